"""French spacing rules, table-driven: what the teacher types → what is printed."""

from __future__ import annotations

import pytest

from lessonkit.typography import NBSP, NNBSP, typeset, typeset_runs

N, B = NNBSP, NBSP

FRENCH = [
    ("Pourquoi ?", f"Pourquoi{N}?"),
    ("Pourquoi?", f"Pourquoi{N}?"),
    (f"Pourquoi{B}?", f"Pourquoi{N}?"),
    ("Vraiment ?!", f"Vraiment{N}?!"),
    ("Attention !", f"Attention{N}!"),
    ("un point ; un autre", f"un point{N}; un autre"),
    ("Durée : env. 20 min", f"Durée{B}: env. 20 min"),
    ("Durée: 20 min", f"Durée{B}: 20 min"),
    ("«travail du clic»", f"«{N}travail du clic{N}»"),
    ("« travail du clic »", f"«{N}travail du clic{N}»"),
    ("à 12:30 précises", "à 12:30 précises"),
    ("un rapport 3:2", "un rapport 3:2"),
    ("https://www.rts.ch/play?id=9060121&a=b", "https://www.rts.ch/play?id=9060121&a=b"),
    ("voir https://exemple.ch/a?b=c ; merci", f"voir https://exemple.ch/a?b=c{N}; merci"),
    ("Lien : https://exemple.ch/page.", f"Lien{B}: https://exemple.ch/page."),
    ("écrire à prof@ecole.ch ?", f"écrire à prof@ecole.ch{N}?"),
    ("47 % des emplois", f"47{N}% des emplois"),
    ("47% des emplois", f"47{N}% des emplois"),
    ("500 000 «j’aime»", f"500{N}000 «{N}j’aime{N}»"),
    ("en 2013 2014 fois", "en 2013 2014 fois"),
    ("? au début", f"{N}? au début"),
    (": au début", f"{B}: au début"),
    ("fin:", f"fin{B}:"),
    ("Micro-travail", "Micro-travail"),
]


@pytest.mark.parametrize(("typed", "printed"), FRENCH, ids=[t for t, _ in FRENCH])
def test_french_spacing(typed, printed):
    assert typeset(typed, "fr") == printed
    assert typeset(typed, "fr-CH") == printed


def test_rules_are_idempotent():
    for _typed, printed in FRENCH:
        assert typeset(printed, "fr") == printed


@pytest.mark.parametrize("language", ["en", "en-GB", "de-CH", "it"])
def test_french_rules_only_in_french(language):
    assert typeset("Why? «Yes» ; no!", language) == "Why? «Yes» ; no!"


OTHERS = [
    ("de-CH", 'Er sagt "Hallo".', "Er sagt «Hallo»."),
    ("de-CH", "47 % der Stellen", f"47{B}% der Stellen"),
    ("de-CH", "500 000 Likes", f"500{N}000 Likes"),
    ("de", 'Er sagt "Hallo".', "Er sagt „Hallo“."),
    ("en-GB", 'She said "hello".', "She said “hello”."),
    ("en-GB", "it's", "it’s"),
    ("en-GB", "47% of jobs", "47% of jobs"),
    ("fr", 'Il dit "bonjour".', f"Il dit «{N}bonjour{N}»."),
    ("fr", "l'algorithme", "l’algorithme"),
    ("de-CH", "https://example.ch/?a=1 ok", "https://example.ch/?a=1 ok"),
]


@pytest.mark.parametrize(("language", "typed", "printed"), OTHERS, ids=[f"{lang}:{typed}" for lang, typed, _ in OTHERS])
def test_quotes_and_numbers_by_language(language, typed, printed):
    assert typeset(typed, language) == printed


def test_an_apostrophe_after_code_or_an_address_in_the_same_paragraph_is_still_curled():
    """Text kept as typed (code, a URL) before an apostrophe must not shift where the apostrophe is found."""
    runs = [("voir ", "fr"), ("l'outil", None), (" sur https://ex.org/a'b puis l'eau d'ici", "fr")]
    assert typeset_runs(runs) == ["voir ", "l'outil", " sur https://ex.org/a'b puis l’eau d’ici"]
