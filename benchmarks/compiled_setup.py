"""The compiled build measured in benchmarks/README.md ("Compiled path"): NOT the project's build.

To reproduce: in a clean checkout, copy this file to `setup.py`, add "Cython>=3.0,<4" to
`[build-system] requires` in pyproject.toml, then `pip install .` in a fresh venv. Cython compiles
the modules of extractor/layers and extractor/assembly, unchanged (pure-Python mode, annotations
not enforced), to extension modules installed beside the .py files. Pure Python stays the
fallback: EXTRACTOR_PURE=1, no Cython, or a module that fails to compile (no C compiler)
installs the .py alone; the records are the same.
"""
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HOT_PACKAGES = ("extractor/layers", "extractor/assembly")


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
    return cythonize(sources, compiler_directives={"language_level": 3, "annotation_typing": False},
                     nthreads=os.cpu_count() or 1, quiet=True)


class OptionalBuildExt(build_ext):
    """A module that does not compile is installed as pure Python."""

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:  # no compiler, a compiler error: fall back to the .py
            self.warn(f"{ext.name}: not compiled ({exc}); the pure-Python module is used")


if __name__ == "__main__":  # setuptools runs setup.py as __main__
    setup(ext_modules=compiled_extensions(), cmdclass={"build_ext": OptionalBuildExt})
