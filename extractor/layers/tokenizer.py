"""Our tokenizer rules on top of spaCy's English defaults.

Press releases glue currencies and units to numbers ("RMB15 billion", "US$0.98", "20GWh");
each mention layer is simpler when those arrive as separate tokens. Numbers with separators
("3,000", "95.7") and names with apostrophes ("Gui'an") stay whole, as spaCy keeps them.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from extractor.ruleset import lexicon
from extractor.spans import TEXT_KEY


def tokenizer_rules() -> dict[str, list[str]]:
    """The affix lists of `rules/tokenizer.jsonl`, loaded once per process."""
    return lexicon("tokenizer.jsonl")


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))


def currency_prefix_pattern(forms: list[str]) -> str:
    """A currency mark that is directly followed by a digit: 'RMB15' -> 'RMB'."""
    return rf"(?:{_alternation(forms)})(?=[0-9])"


def unit_suffix_pattern(forms: list[str]) -> str:
    """A unit or scale mark right after a digit at the token's end: '20GWh' -> 'GWh'."""
    return rf"(?<=[0-9])(?:{_alternation(forms)})$"


# a slash between a unit and the next number: '200MW/800MWh' -> '200MW', '/', '800MWh'
UNIT_SLASH = r"(?<=[A-Za-z])/(?=[0-9])"


def range_dash_pattern(dashes: list[str]) -> str:
    """A dash between two digits, so that '6–12' reads as 6, '–', 12 like '6-12' already does."""
    if not dashes:
        return r"(?!)"
    return rf"(?<=[0-9])(?:{_alternation(dashes)})(?=[0-9])"


def link_joint_pattern(joints: list[str]) -> str:
    """A markdown link's joint glued between link text and its address:
    'investment](https://x.org)' -> 'investment', '](', 'https://x.org', ')'."""
    if not joints:
        return r"(?!)"
    return _alternation(joints)


def currency_range_pattern(dashes: list[str], currencies: list[str]) -> str:
    """A dash between a digit and a currency mark: '$2-$3 billion' -> '$2', '-', '$3'."""
    return rf"(?<=[0-9])(?:-|{_alternation(dashes)})(?=(?:{_alternation(currencies)})[0-9])"


class TextKeepingTokenizer(Tokenizer):
    """spaCy's tokenizer that also keeps the text it was given in `doc.user_data`.

    Tokenizing is lossless, so that text is `doc.text`; `spans.document_text` then reads it
    instead of joining every token again (which costs about as much as tokenizing).
    """

    def __call__(self, text: str):
        doc = super().__call__(text)
        doc.user_data[TEXT_KEY] = text
        return doc


def our_affix_searches(defaults: Any) -> dict[str, Callable]:
    """Our prefix, suffix and infix rules before the language's `defaults`, compiled: the
    `prefix_search`, `suffix_search` and `infix_finditer` arguments of a `Tokenizer`."""
    rules = tokenizer_rules()
    prefixes = [currency_prefix_pattern(rules["currency_prefixes"]), *defaults.prefixes]
    suffixes = [unit_suffix_pattern(rules["unit_suffixes"]), *defaults.suffixes]
    infixes = [range_dash_pattern(rules.get("range_dashes", [])),
               currency_range_pattern(rules.get("range_dashes", []), rules["currency_prefixes"]),
               link_joint_pattern(rules.get("link_joints", [])), UNIT_SLASH, *defaults.infixes]
    return {"prefix_search": compile_prefix_regex(prefixes).search,
            "suffix_search": compile_suffix_regex(suffixes).search,
            "infix_finditer": compile_infix_regex(infixes).finditer}


def with_our_affixes(tokenizer: Tokenizer, defaults: Any) -> Tokenizer:
    """`tokenizer` keeping its docs' text (see `TextKeepingTokenizer`), our prefix, suffix and
    infix rules before the language's `defaults`.

    A plain spaCy `Tokenizer` is made anew in one go: each affix set on a made one reloads
    its ~1,800 special cases (tokenizing each), which cost more than the rest of the start-up.
    """
    searches = our_affix_searches(defaults)
    if type(tokenizer) is not Tokenizer and not isinstance(tokenizer, TextKeepingTokenizer):
        for name, search in searches.items():  # someone else's tokenizer: set in place
            setattr(tokenizer, name, search)
        return tokenizer
    return TextKeepingTokenizer(tokenizer.vocab, rules=tokenizer.rules, token_match=tokenizer.token_match,
                                url_match=tokenizer.url_match, faster_heuristics=tokenizer.faster_heuristics,
                                **searches)


def make_tokenizer(nlp: Language) -> Tokenizer:
    """The pipeline's tokenizer: spaCy's for the language (its exceptions, token and URL
    matches) with our affix rules, made once (spaCy's own would compile and load its rules
    only to have them replaced)."""
    defaults = nlp.Defaults
    return TextKeepingTokenizer(nlp.vocab, rules=defaults.tokenizer_exceptions, token_match=defaults.token_match,
                                url_match=defaults.url_match, **our_affix_searches(defaults))


def customize_tokenizer(nlp: Language) -> None:
    """Add our prefix and suffix rules to the tokenizer of `nlp`, in place.

    >>> import spacy
    >>> nlp = spacy.blank("en"); customize_tokenizer(nlp)
    >>> [token.text for token in nlp("RMB15 billion for 20GWh, $2-$3 billion, 6–12 months")]
    ['RMB', '15', 'billion', 'for', '20', 'GWh', ',', '$', '2', '-', '$3', 'billion', ',', '6', '–', '12', 'months']
    """
    nlp.tokenizer = with_our_affixes(nlp.tokenizer, nlp.Defaults)


# No model and no parser: a long text costs only time linear in its length.
MAX_TEXT_LENGTH = 50_000_000


@registry.tokenizers("extractor.Tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """The pipeline's tokenizer, named in its config so that `spacy.load` of a saved pipeline
    builds the same one (registered through the `spacy_tokenizers` entry point).

    It also lifts the pipeline's text length limit: nothing here grows faster than the text.
    """

    def make(nlp: Language) -> Tokenizer:
        nlp.max_length = MAX_TEXT_LENGTH
        return make_tokenizer(nlp)

    return make
