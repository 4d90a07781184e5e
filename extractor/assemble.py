"""Record assembly: mentions in, ProjectRecord out (skeleton: lists mentions, fills no slot).

Plain Python over the spans the layers wrote; no spaCy internals, so it is easy to test with
hand-made docs.
"""
from __future__ import annotations

from spacy.tokens import Doc

from . import spans as S
from .companies import company_records
from .dateline import dateline_record
from .models import ProjectRecord
from .places import place_records
from .quantities import quantity_record
from .site import resolve_site


def assemble(doc: Doc, *, doc_id: str, text_sha256: str) -> ProjectRecord:
    """The record of one analysed document."""
    return ProjectRecord(
        doc_id=doc_id,
        text_sha256=text_sha256,
        title=doc._.title,
        dateline=dateline_record(doc),
        companies=company_records(doc),
        site=resolve_site(doc),
        places=place_records(doc),
        quantities=[quantity_record(span) for span in doc.spans.get(S.QUANTITY, [])],
        warnings=list(doc._.warnings or []),
    )
