"""Prebuilt lookup tables read in one go at start-up instead of being rebuilt from their sources.

The places gazetteer (pycountry, GeoNames, our rules: ~200,000 names) took a second and
~120 MB to build at every start. `scripts/build_place_table.py` builds it once and writes it
here as one compressed numpy archive: per table, the names' 64-bit hashes (sorted, searched by
bisection), the names and their readings as two UTF-8 blobs with offsets; a reading is decoded
(JSON) only when its name is looked up. No Python object per name is made at start-up, and the
file is read in one go but each array inflated only when first used: a process that looks up no
name never inflates the 20 MB of readings.

The file carries a fingerprint of everything its contents are built from (the building code, its
data, the rules as parsed); where that differs (a rule or that code changed, the table was not
rebuilt) the caller builds afresh, so a stale table costs time, never a different result.
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy
from spacy.strings import hash_string

T = TypeVar("T")


def _blob(texts: list[str]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The texts as one UTF-8 byte array and the offsets where each starts (one more: the end)."""
    encoded = [t.encode("utf-8") for t in texts]
    offsets = numpy.zeros(len(encoded) + 1, dtype=numpy.uint64)
    numpy.cumsum([len(b) for b in encoded], out=offsets[1:])
    return numpy.frombuffer(b"".join(encoded), dtype=numpy.uint8), offsets


class PackedEntries(Mapping, Generic[T]):
    """A read-only `dict[str, list[T]]` kept as arrays; a key's list is decoded on lookup.

    >>> table = PackedEntries.pack({"Lyon": [("city", 1)], "Paris": [("city", 2)]}, lambda *row: row)
    >>> table.get("Paris"), "Nice" in table, sorted(table), len(table)
    ([('city', 2)], False, ['Lyon', 'Paris'], 2)
    """

    def __init__(self, arrays: Mapping[str, numpy.ndarray], make: Callable[..., T], prefix: str = ""):
        self._arrays, self._prefix = arrays, prefix
        self._hashes = arrays[f"{prefix}hashes"]
        self._make = make
        self._decoded: dict[int, list[T]] = {}

    @cached_property
    def _keys(self) -> numpy.ndarray:
        return self._arrays[f"{self._prefix}keys"]

    @cached_property
    def _key_offsets(self) -> numpy.ndarray:
        return self._arrays[f"{self._prefix}key_offsets"]

    @cached_property
    def _rows(self) -> numpy.ndarray:
        return self._arrays[f"{self._prefix}rows"]

    @cached_property
    def _row_offsets(self) -> numpy.ndarray:
        return self._arrays[f"{self._prefix}row_offsets"]

    @classmethod
    def pack(cls, table: Mapping[str, list[Any]], make: Callable[..., T]) -> "PackedEntries[T]":
        """The packed form of `table` (its keys ordered by hash)."""
        keys = sorted(table, key=hash_string)
        key_bytes, key_offsets = _blob(keys)
        rows = [json.dumps([list(e) for e in table[k]], ensure_ascii=False) for k in keys]
        row_bytes, row_offsets = _blob(rows)
        hashes = numpy.array([hash_string(k) for k in keys], dtype=numpy.uint64)
        return cls({"hashes": hashes, "keys": key_bytes, "key_offsets": key_offsets,
                    "rows": row_bytes, "row_offsets": row_offsets}, make)

    def arrays(self, prefix: str) -> dict[str, numpy.ndarray]:
        """The arrays to save, their names prefixed (several tables share one archive)."""
        return {f"{prefix}{name}": array for name, array in (
            ("hashes", self._hashes), ("keys", self._keys), ("key_offsets", self._key_offsets),
            ("rows", self._rows), ("row_offsets", self._row_offsets))}

    def _key(self, number: int) -> str:
        start, end = int(self._key_offsets[number]), int(self._key_offsets[number + 1])
        return self._keys[start:end].tobytes().decode("utf-8")

    def _number(self, key: object) -> int | None:
        if not isinstance(key, str):
            return None
        try:
            wanted = numpy.uint64(hash_string(key))
        except UnicodeEncodeError:  # a lone surrogate names no place
            return None
        number = int(numpy.searchsorted(self._hashes, wanted))
        while number < len(self._hashes) and self._hashes[number] == wanted:
            if self._key(number) == key:
                return number
            number += 1  # two names with one hash: the next one may be it
        return None

    def __getitem__(self, key: str) -> list[T]:
        number = self._number(key)
        if number is None:
            raise KeyError(key)
        found = self._decoded.get(number)
        if found is None:
            start, end = int(self._row_offsets[number]), int(self._row_offsets[number + 1])
            rows = json.loads(self._rows[start:end].tobytes().decode("utf-8"))
            found = self._decoded[number] = [self._make(*row) for row in rows]
        return found

    def __contains__(self, key: object) -> bool:
        return self._number(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (self._key(number) for number in range(len(self._hashes)))

    def __len__(self) -> int:
        return len(self._hashes)


def fingerprint(files: list[Path], packages: tuple[str, ...], parsed: Mapping[str, Any] | None = None) -> str:
    """A digest of the source files' bytes, the packages' versions and `parsed` data (as JSON)
    a table is built from."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for name in packages:
        digest.update(f"{name}=={metadata.version(name)}".encode())
    for name, value in sorted((parsed or {}).items()):
        digest.update(name.encode())
        digest.update(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def save_table(path: Path, header: dict[str, Any], arrays: dict[str, numpy.ndarray]) -> None:
    """One compressed archive: the JSON `header` (fingerprint included) and the arrays."""
    encoded = numpy.frombuffer(json.dumps(header, ensure_ascii=False).encode("utf-8"), dtype=numpy.uint8)
    with path.open("wb") as out:
        numpy.savez_compressed(out, header=encoded, **arrays)


class LazyArrays(Mapping):
    """The arrays of an archive read into memory, each inflated on first use and kept."""

    def __init__(self, archive: Any) -> None:
        self._archive = archive
        self._loaded: dict[str, numpy.ndarray] = {}

    def __getitem__(self, name: str) -> numpy.ndarray:
        array = self._loaded.get(name)
        if array is None:
            array = self._loaded[name] = self._archive[name]
        return array

    def __iter__(self) -> Iterator[str]:
        return iter(self._archive.files)

    def __len__(self) -> int:
        return len(self._archive.files)


def read_table(path: Path, expected_fingerprint: str) -> tuple[dict[str, Any], Mapping[str, numpy.ndarray]] | None:
    """The header and arrays at `path` if they were built from the same sources, else None.

    The file is read in one go; its arrays are inflated when first used (`LazyArrays`).
    """
    try:
        archive = numpy.load(io.BytesIO(path.read_bytes()), allow_pickle=False)
        header = json.loads(archive["header"].tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
    if header.get("fingerprint") != expected_fingerprint:
        return None
    return header, LazyArrays(archive)
