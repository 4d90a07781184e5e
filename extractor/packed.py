"""Prebuilt lookup tables read in one go at start-up instead of being rebuilt from their sources.

The places gazetteer (pycountry, GeoNames, our rules: ~200,000 names) took a second and
~120 MB to build at every start. `scripts/build_place_table.py` builds it once and writes it
here as one gzipped JSON file: the names, and each name's readings as a JSON string decoded only when
the name is looked up. The file carries a fingerprint of everything it was built from; where
that differs (a rule or the code changed, the table was not rebuilt) the caller builds afresh,
so a stale table costs time, never a different result.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PackedEntries(Mapping, Generic[T]):
    """A read-only `dict[str, list[T]]` whose lists are decoded on first lookup.

    >>> table = PackedEntries(["Lyon", "Paris"], ['[["city", 1]]', '[["city", 2]]'], lambda *row: row)
    >>> table.get("Paris"), "Nice" in table, list(table)
    ([('city', 2)], False, ['Lyon', 'Paris'])
    """

    def __init__(self, keys: list[str], packed: list[str], make: Callable[..., T]):
        self._index = dict(zip(keys, range(len(keys))))
        self._packed = packed
        self._make = make
        self._decoded: dict[int, list[T]] = {}

    def __getitem__(self, key: str) -> list[T]:
        number = self._index[key]
        found = self._decoded.get(number)
        if found is None:
            found = self._decoded[number] = [self._make(*row) for row in json.loads(self._packed[number])]
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def pack_entries(table: Mapping[str, list[Any]]) -> dict[str, list[str]]:
    """The JSON form of a `dict[str, list[tuple]]`: keys, and each key's list as a JSON string."""
    keys = list(table)
    return {"keys": keys, "packed": [json.dumps([list(e) for e in table[k]], ensure_ascii=False) for k in keys]}


def unpack_entries(data: dict[str, list[str]], make: Callable[..., T]) -> PackedEntries[T]:
    return PackedEntries(data["keys"], data["packed"], make)


def fingerprint(files: list[Path], packages: tuple[str, ...]) -> str:
    """A digest of the source files' bytes and the packages' versions a table is built from."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for name in packages:
        digest.update(f"{name}=={metadata.version(name)}".encode())
    return digest.hexdigest()


def read_table(path: Path, expected_fingerprint: str) -> dict[str, Any] | None:
    """The table at `path` if it was built from the same sources, else None."""
    try:
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)
    except (OSError, ValueError, EOFError):
        return None
    return data if data.get("fingerprint") == expected_fingerprint else None
