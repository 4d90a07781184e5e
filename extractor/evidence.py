"""One way to turn a mention into Evidence, so `text == source[start:end]` always holds."""
from __future__ import annotations

from spacy.tokens import Span

from extractor.models import Evidence
from extractor.spans import document_text


def evidence_from_span(span: Span) -> Evidence:
    """Evidence of a spaCy span, quoted from the doc's own text (the text as given).

    `span.text` equals `doc.text[span.start_char:span.end_char]`; reading it avoids
    `doc.text`, which spaCy rebuilds from every token on each access; `span.text` would join
    the span's tokens, so the slice of the doc's kept text is read instead.
    """
    start, end = span.start_char, span.end_char
    return Evidence(start=start, end=end, text=document_text(span.doc)[start:end])
