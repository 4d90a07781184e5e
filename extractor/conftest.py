"""Doctest collection over extractor/: modules of an optional extra are skipped where it is absent."""
from importlib.util import find_spec

collect_ignore = [] if find_spec("distributed") and find_spec("dask") else ["dask.py"]
