"""Doctest collection over extractor/: a module of an optional extra is skipped where it is absent."""
from importlib.util import find_spec

collect_ignore = [] if find_spec("distributed") and find_spec("dask") else ["extractor/dask.py"]
