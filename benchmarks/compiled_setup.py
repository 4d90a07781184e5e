"""The compiled build measured in benchmarks/README.md ("Compiled path"): NOT the project's build.

To reproduce: in a clean checkout, copy this file to `setup.py`, add "Cython>=3.0,<4" to
`[build-system] requires` in pyproject.toml, then `pip install .` in a fresh venv. Cython compiles
the modules of extractor/layers and extractor/assembly, unchanged (pure-Python mode, annotations
not enforced), to extension modules installed beside the .py files. Pure Python stays the
fallback: EXTRACTOR_PURE=1, no Cython, or a module that fails to compile (no C compiler)
installs the .py alone; the records are the same.
"""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HOT_PACKAGES = ("extractor/layers", "extractor/assembly")
DIRECTIVES = {"language_level": 3, "annotation_typing": False}


def compiled_extensions() -> list:
    if os.environ.get("EXTRACTOR_PURE"):
        return []
    try:
        from Cython.Build import cythonize
        from Cython.Compiler import Options
    except ImportError:
        return []
    Options.error_on_unknown_names = False  # a name missing on an error path stays a NameError at run time
    sources = sorted(str(path) for folder in HOT_PACKAGES for path in Path(folder).glob("*.py")
                     if path.name != "__init__.py")
    # one module at a time, in child processes (setup.py is exec'd: nothing of it pickles): a module
    # Cython rejects stays pure Python, the rest compile
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        accepted = [source for source, ok in zip(sources, pool.map(translates, sources)) if ok]
    for source in sorted(set(sources) - set(accepted)):
        print(f"compiled_setup: {source} not compiled (Cython rejects it); the pure-Python module is used",
              file=sys.stderr)
    return cythonize(accepted, compiler_directives=DIRECTIVES, quiet=True)  # the .c files are current now


def translates(source: str) -> bool:
    """Whether Cython translates one module to C (the .c file is then written)."""
    code = ("import sys; from Cython.Build import cythonize; from Cython.Compiler import Options; "
            "Options.error_on_unknown_names = False; "
            f"cythonize([sys.argv[1]], compiler_directives={DIRECTIVES!r}, quiet=True)")
    return subprocess.run([sys.executable, "-c", code, source], capture_output=True).returncode == 0


class OptionalBuildExt(build_ext):
    """A module that does not compile is installed as pure Python."""

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:  # no compiler, a compiler error: fall back to the .py
            self.warn(f"{ext.name}: not compiled ({exc}); the pure-Python module is used")


if __name__ == "__main__":  # setuptools runs setup.py as __main__
    setup(ext_modules=compiled_extensions(), cmdclass={"build_ext": OptionalBuildExt})
