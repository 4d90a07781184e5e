"""extractor: press releases about industrial projects in, validated project records out.

    from extractor import extract, extract_many
    record = extract(text, doc_id="catl-guizhou")
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from extractor.models import ProjectRecord

__version__ = "0.1.0"
__all__ = ["extract", "extract_many", "ProjectRecord", "__version__"]

TextOrPair = "str | tuple[str, str | None]"


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the text's UTF-8 bytes (lone surrogates kept, so any str hashes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def empty_record(text: str, doc_id: str | None, warning: str | None = None) -> ProjectRecord:
    """The worst case `extract` returns: no facts, and why in `warnings`."""
    return ProjectRecord(
        doc_id=doc_id or "",
        text_sha256=text_sha256(text),
        warnings=[warning] if warning else [],
    )


def sanitize(text: str) -> str:
    """The text spaCy can take: lone surrogates become U+FFFD, one code point for one.

    Offsets therefore stay those of the text as given.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def _requote(record: ProjectRecord, source: str) -> None:
    """Quote every evidence from the text as given (after `sanitize` replaced characters)."""
    from extractor.models import Evidence

    stack: list = [record]
    while stack:
        node = stack.pop()
        if isinstance(node, Evidence):
            node.text = source[node.start:node.end]
        elif isinstance(node, list):
            stack.extend(node)
        elif hasattr(node, "__pydantic_fields__"):
            stack.extend(getattr(node, name) for name in type(node).model_fields)


def _from_doc(doc, text: str, doc_id: str | None, sanitized: bool) -> ProjectRecord:
    from extractor.assembly.assemble import assemble

    try:
        record = assemble(doc, doc_id=doc_id or "", text_sha256=text_sha256(text))
    except Exception as exc:  # never raise on a str: report instead
        return empty_record(text, doc_id, f"assembly failed: {type(exc).__name__}: {exc}")
    if sanitized:
        _requote(record, text)
    return record


def extract(text: str, doc_id: str | None = None, *, rules: Sequence[str | Path] = ()) -> ProjectRecord:
    """The project record of one press release.

    Never raises on a `str`: the worst case is an empty record with a `warnings` entry.
    `rules` are extra rule files (JSONL, each line naming its `layer`); a file that cannot be
    read or holds a bad rule raises `RuleFileError` (the caller's to fix, not the text's).
    """
    from extractor.pipeline import get_pipeline

    nlp = get_pipeline(rules)  # RuleFileError names the file, the line and the key
    if not isinstance(text, str):
        return empty_record("", doc_id, f"input is {type(text).__name__}, not str")
    try:
        safe = sanitize(text)
        doc = nlp(safe)
    except Exception as exc:
        return empty_record(text, doc_id, f"analysis failed: {type(exc).__name__}: {exc}")
    return _from_doc(doc, text, doc_id, sanitized=safe is not text)


def _as_pair(item) -> tuple[str, str | None]:
    if isinstance(item, tuple):
        text, doc_id = item
        return text, doc_id
    return item, None


def extract_many(
    texts_or_pairs: Iterable[str | tuple[str, str | None]],
    *,
    n_process: int = 1,
    batch_size: int = 32,
    rules: Sequence[str | Path] = (),
) -> Iterator[ProjectRecord]:
    """Records for many texts (or `(text, doc_id)` pairs), streamed in input order.

    `n_process` and `batch_size` go to spaCy's `nlp.pipe`; each record equals `extract`'s.
    """
    from extractor.pipeline import cache_msgpack_codecs, get_pipeline

    nlp = get_pipeline(rules)
    if n_process > 1:
        cache_msgpack_codecs()
    pairs = (_as_pair(item) for item in texts_or_pairs)
    given: dict[int, tuple[str, bool]] = {}

    def numbered():
        for number, (text, doc_id) in enumerate(pairs):
            text = text if isinstance(text, str) else ""
            safe = sanitize(text)
            given[number] = (text, safe is not text)
            yield safe, (number, doc_id)

    docs = nlp.pipe(numbered(), as_tuples=True, n_process=n_process, batch_size=batch_size)
    for doc, (number, doc_id) in docs:
        text, sanitized = given.pop(number)
        yield _from_doc(doc, text, doc_id, sanitized)
