"""Lexeme flags the layers register on the pipeline's vocabulary, within spaCy's 64 bits.

A layer marks the words it cares about with one lexeme flag: spaCy computes it once per word
type, so a doc's candidate tokens come out of one `to_array` column. spaCy never frees a flag
bit, and a layer rebuilt with other rules (`LayerComponent.set_rules`, `from_disk`) makes a new
flag getter each time: `lexeme_flag` keeps that within the bits there are.
"""
from __future__ import annotations

from typing import Callable

from spacy.vocab import Vocab


def lexeme_flag(vocab: Vocab, getter: Callable[[str], bool]) -> int:
    """The id of a lexeme flag computing `getter` on `vocab`.

    A getter equal to one registered already reuses its bit (a layer rebuilt with the same
    rules). Where no bit is free, the bit of an earlier getter of the same type (a layer
    rebuilt with other rules) is given to this one, and spaCy computes it again for every word.
    """
    same_type = []
    for flag_id, registered in vocab.lex_attr_getters.items():
        if type(registered) is type(getter):
            if registered == getter:
                return flag_id
            same_type.append(flag_id)
    try:
        return vocab.add_flag(getter)
    except ValueError:  # spaCy's E062: all 64 bits taken
        if not same_type:
            raise
        return vocab.add_flag(getter, flag_id=same_type[0])
