"""Quotation marks by language, regional tags included (README: “quotation marks … follow each language”;
Swiss German uses «guillemets»). Both renderers call these functions; the outputs' own checks are in
tests/test_promises.py and tests/test_languages.py."""

from __future__ import annotations

import pytest

from lessonkit.typography import NNBSP, quoted, typeset

N = NNBSP

QUOTED = [
    ("fr", f"«{N}le travail{N}»"),
    ("fr-CH", f"«{N}le travail{N}»"),  # a regional tag falls back to its language
    ("de-CH", "«le travail»"),  # Swiss German: guillemets, no space
    ("de", "„le travail“"),
    ("de-AT", "„le travail“"),
    ("it-CH", "«le travail»"),
    ("en-GB", "“le travail”"),
    ("es", "«le travail»"),
    ("pt", "“le travail”"),  # a language without rules of its own: English marks
]


@pytest.mark.parametrize(("language", "expected"), QUOTED, ids=[language for language, _ in QUOTED])
def test_a_quotation_gets_the_marks_of_its_language(language, expected):
    assert quoted("le travail", language) == expected


TYPED = [
    ("fr-CH", 'Il dit "oui".', f"Il dit «{N}oui{N}»."),
    ("de-AT", 'Er sagt "ja".', "Er sagt „ja“."),
    ("it-CH", 'Dice "sì".', "Dice «sì»."),
    ("pt", 'Ele disse "sim".', "Ele disse “sim”."),
    ("pt", "it's", "it’s"),
]


@pytest.mark.parametrize(("language", "typed", "printed"), TYPED, ids=[f"{t[0]}:{t[1]}" for t in TYPED])
def test_straight_quotes_typed_become_the_languages_marks(language, typed, printed):
    assert typeset(typed, language) == printed


NESTED = [
    ("fr", "le « travail du clic » payé", f"«{N}le “travail du clic” payé{N}»"),
    ("fr-CH", 'le "travail du clic" payé', f"«{N}le “travail du clic” payé{N}»"),
    ("de-CH", "die «Klickarbeit» zählt", "«die ‹Klickarbeit› zählt»"),
    ("de", 'die "Klickarbeit" zählt', "„die ‚Klickarbeit‘ zählt“"),
    ("en-GB", 'the "click work" isn\'t paid', "“the ‘click work’ isn’t paid”"),
    ("pt", 'o "trabalho" pago', "“o ‘trabalho’ pago”"),
]


@pytest.mark.parametrize(("language", "text", "expected"), NESTED, ids=[t[0] for t in NESTED])
def test_a_quotation_inside_a_quotation_gets_the_languages_inner_marks(language, text, expected):
    """A reading quotes an author who quotes a term: « … “ … ” … », never « … « … » … » or “ … ” … “ … ”."""
    assert quoted(text, language) == expected
