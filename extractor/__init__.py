"""extractor: press releases about industrial projects in, validated project records out.

    from extractor import extract, extract_many
    record = extract(text, doc_id="catl-guizhou")
"""
from __future__ import annotations

import hashlib
import re
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple, Sequence

from extractor.models import ProjectRecord
from extractor.ruleset import RuleFileError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__version__ = "0.1.0"
__all__ = ["extract", "extract_many", "load", "record_of", "ProjectRecord", "RuleFileError", "__version__"]

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


def _as_rule_files(rules) -> tuple[str | Path, ...]:
    """Rule files as a tuple: one path given alone (`rules="mine.jsonl"`) is one file, not its letters."""
    if rules is None:
        return ()
    if isinstance(rules, (str, Path)):
        return (rules,)
    return tuple(rules)


def _as_doc_id(doc_id) -> str | None:
    """An id as text: `doc_id=123` is "123", not a validation error."""
    if doc_id is None or isinstance(doc_id, str):
        return doc_id
    return str(doc_id)


# Letters of the Latin script (ASCII and the Latin-1 to Latin Extended-B blocks), any letter,
# and a letter of another script (what an English release has none of).
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ANY_LETTER = re.compile(r"[^\W\d_]")
_OTHER_SCRIPT_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
# How much of the text the script check reads: enough to judge, cheap on a 5 MB text.
_SCRIPT_SAMPLE = 20_000
_MIN_LETTERS = 20
_MIN_LATIN_SHARE = 0.5


def script_warning(text: str) -> str | None:
    """A warning when the text is mostly in a script the English rules cannot read (Chinese, ...).

    Example: a release only in Chinese gives "text is mostly not in Latin script (0% of letters
    are Latin): the rules read English", so that its empty record says why it is empty.
    """
    sample = text[:_SCRIPT_SAMPLE]
    if _OTHER_SCRIPT_LETTER.search(sample) is None:  # all Latin (most texts): no letters to count
        return None
    letters = len(_ANY_LETTER.findall(sample))
    if letters < _MIN_LETTERS:
        return None
    share = len(_LATIN_LETTER.findall(sample)) / letters
    if share >= _MIN_LATIN_SHARE:
        return None
    return f"text is mostly not in Latin script ({share:.0%} of letters are Latin): the rules read English"


def load(rules: Sequence[str | Path] = ()):
    """The pipeline as a spaCy `Language` of the caller's own (built afresh, not shared with
    `extract`): add components to it, `nlp.to_disk` it; `doc._.record` is each doc's record.

    `rules` are extra rule files, as for `extract`.
    """
    from extractor.pipeline import build_pipeline

    return build_pipeline(_as_rule_files(rules))


def record_of(doc) -> ProjectRecord:
    """The record of a doc our pipeline analysed (what `doc._.record` gives); its doc_id is
    `doc.user_data["doc_id"]` where the caller put one there."""
    from extractor.spans import document_text

    text = document_text(doc)
    return _from_doc(doc, text, doc.user_data.get("doc_id"), sanitized=False)


def extract(text: str, doc_id: str | None = None, *, rules: Sequence[str | Path] = ()) -> ProjectRecord:
    """The project record of one press release.

    Never raises on a `str` (a subclass such as `numpy.str_` included): the worst case is an
    empty record with a `warnings` entry. `rules` are extra rule files (JSONL, each line naming
    its `layer`), one path may be given alone; a file that cannot be read or holds a bad rule
    raises `RuleFileError` (the caller's to fix, not the text's).
    """
    from extractor.pipeline import get_pipeline

    nlp = get_pipeline(_as_rule_files(rules))  # RuleFileError names the file, the line and the key
    return _extract_batch(nlp, [(text, _as_doc_id(doc_id))])[0]


class _Started(NamedTuple):
    """A text on its way through `extract`: tokenized, and what its record needs besides."""

    text: str
    doc_id: str | None
    sanitized: bool  # lone surrogates were replaced: evidence is quoted again from `text`
    doc: Doc


def _started(nlp: Language, text: object, doc_id: str | None) -> _Started | ProjectRecord:
    """The text tokenized and marked for the layers, or the empty record saying why not."""
    from extractor.mentions import want_mentions_only

    if not isinstance(text, str):
        return empty_record("", doc_id, f"input is {type(text).__name__}, not str")
    if type(text) is not str:
        text = str.__str__(text)  # spaCy's tokenizer takes exactly `str`
    try:
        safe = sanitize(text)
        doc = want_mentions_only(nlp.make_doc(safe))
    except Exception as exc:
        return empty_record(text, doc_id, _analysis_failed(exc))
    return _Started(text, doc_id, safe is not text, doc)


def _analysis_failed(exc: Exception) -> str:
    return f"analysis failed: {type(exc).__name__}: {exc}"


def _finished(started: _Started) -> ProjectRecord:
    """The record of an analysed text: assembled, with the script warning where it applies."""
    record = _from_doc(started.doc, started.text, started.doc_id, sanitized=started.sanitized)
    warning = script_warning(started.text)
    if warning is not None:
        record.warnings.append(warning)
    return record


def _extract_batch(nlp: Language, pairs: Sequence[tuple[object, str | None]]) -> list[ProjectRecord]:
    """`extract`'s record of each (text, doc_id), the pipeline's layers taken one at a time over
    the whole batch.

    Why layer by layer: each layer's tables (gazetteer, phrase tries, matchers) then stay in
    the CPU's caches from one document to the next; one document through all the layers, then
    the next, costs 11-15% more CPU for the same records. A document whose analysis raises gets
    the empty record naming the fault, as `extract` gives it; the others go on.
    """
    batch = [_started(nlp, text, doc_id) for text, doc_id in pairs]
    if any(isinstance(item, _Started) for item in batch):  # else only empty records: no layer to run
        _run_layers(nlp, batch)
    return [item if isinstance(item, ProjectRecord) else _finished(item) for item in batch]


def _run_layers(nlp: Language, batch: list[_Started | ProjectRecord]) -> None:
    """Each component of `nlp` over every started text of `batch` in turn, in place; a text
    whose component raises becomes its empty record naming the fault."""
    for _name, component in nlp.pipeline:
        for i, item in enumerate(batch):
            if isinstance(item, _Started):
                try:
                    batch[i] = item._replace(doc=component(item.doc))
                except Exception as exc:
                    batch[i] = empty_record(item.text, item.doc_id, _analysis_failed(exc))


# extract_many's batches in one process (`_extract_batch`): enough documents for the layers'
# tables to stay warm (16 gave 11% less CPU, 115 15%), few enough characters that a batch of
# long texts stays small in memory; a longer text is a batch of its own.
LAYER_BATCH_DOCS = 32
LAYER_BATCH_CHARS = 1_000_000


def layer_batches(pairs: Iterable[tuple[object, object]], max_docs: int = LAYER_BATCH_DOCS,
                  max_chars: int = LAYER_BATCH_CHARS) -> Iterator[list[tuple[object, object]]]:
    """`pairs` in batches of at most `max_docs` documents and, past the first, `max_chars` characters.

    >>> [len(b) for b in layer_batches([("a" * 6, None)] * 5, max_docs=2, max_chars=10)]
    [1, 1, 1, 1, 1]
    >>> [len(b) for b in layer_batches([("a", None)] * 5, max_docs=2)]
    [2, 2, 1]
    """
    batch: list[tuple[object, object]] = []
    chars = 0
    for pair in pairs:
        size = len(pair[0]) if isinstance(pair[0], str) else 0
        if batch and (len(batch) >= max_docs or chars + size > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(pair)
        chars += size
    if batch:
        yield batch


def _as_pair(item) -> tuple[object, object]:
    """(text, doc_id) from a text alone or a pair; anything else is a text `extract` reports."""
    if isinstance(item, tuple) and len(item) == 2:
        return item[0], item[1]
    return item, None


def extract_many(
    texts_or_pairs: Iterable[str | tuple[str, str | None]],
    *,
    n_process: int = 1,
    batch_size: int = 8,
    rules: Sequence[str | Path] = (),
    timeout: float | None = None,
) -> Iterator[ProjectRecord]:
    """Records for many texts (or `(text, doc_id)` pairs), streamed in input order.

    Each record equals `extract`'s on the same input, whatever `n_process`: with more than one,
    worker processes each run the whole `extract` (see `extractor.parallel`), `batch_size`
    documents at a time; in one process, up to `LAYER_BATCH_DOCS` documents go through the
    layers together, one layer at a time (see `_extract_batch`). `timeout` (seconds per
    document, run in a worker even when `n_process` is 1) turns a document over it into an
    empty record warning "timed out after N s".
    A bad item (None, a number) gets the warning `extract` gives it; the stream goes on.
    """
    for text, doc_id, result in extract_results(texts_or_pairs, n_process=n_process, batch_size=batch_size,
                                         rules=rules, timeout=timeout):
        if isinstance(result, ProjectRecord):
            yield result
        else:
            yield empty_record(text if isinstance(text, str) else "", _as_doc_id(doc_id), result.error)


def extract_results(texts_or_pairs, *, n_process: int = 1, batch_size: int = 8, rules=(),
                    timeout: float | None = None) -> Iterator[tuple]:
    """(text, doc_id, record or `parallel.Failure`) per input, in order: here, or from the pool.

    What `extract_many` and the batch command share; a Failure is a document the pool had to
    give up (over `timeout`, or its worker died).
    """
    from extractor.parallel import pool_results

    rule_files = _as_rule_files(rules)
    from extractor.pipeline import get_pipeline

    get_pipeline(rule_files)  # built once here: forked workers share it, a bad file raises now
    pairs = (_as_pair(item) for item in texts_or_pairs)
    if n_process <= 1 and not timeout:
        nlp = get_pipeline(rule_files)
        for batch in layer_batches(pairs):
            records = _extract_batch(nlp, [(text, _as_doc_id(doc_id)) for text, doc_id in batch])
            for (text, doc_id), record in zip(batch, records):
                yield text, doc_id, record
        return
    given: deque = deque()

    def remembered():
        for text, doc_id in pairs:
            given.append((text, doc_id))
            yield text, doc_id

    rule_names = tuple(str(p) for p in rule_files)
    results = pool_results(remembered(), n_process=n_process, rules=rule_names, timeout=timeout,
                           chunk_size=batch_size)
    try:
        for result in results:
            yield (*given.popleft(), result)
    finally:
        results.close()  # stops the workers now, even when the caller stops early
