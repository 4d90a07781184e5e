"""Where the project itself is: the site, resolved from the place mentions (skeleton)."""
from __future__ import annotations

from spacy.tokens import Doc

from .models import Site


def resolve_site(doc: Doc) -> Site | None:
    """The project's site (skeleton: not resolved yet)."""
    return None
