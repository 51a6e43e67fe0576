"""Translation parity: a translation whose structure differs from its original is an error naming both files.

README (Translating a lesson, step 2): “Keep the ids and the order of
sections, questions, resources and glossary entries: a translation that
differs from its original is an error naming both files.” Checked on a fixture
project (not the shipped lesson) through ``check``'s list of problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit.loader import Sources, check_all

from .projects import ORIGINAL, TRANSLATION, write


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    folder = tmp_path / "sources" / "lessons" / "parity"
    write(folder / "fr.yaml", ORIGINAL)
    write(folder / "en-GB.yaml", TRANSLATION)
    return folder


def problems(lesson: Path, monkeypatch) -> list[str]:
    monkeypatch.chdir(lesson.parent.parent.parent)  # paths shown relative to the project, as teachers see them
    sources = Sources(Path("sources"))
    return [str(p) for p in check_all(sources, sources.lessons())]


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_the_fixture_translation_is_valid(lesson, monkeypatch):
    """The positive control: the untouched translation matches its original."""
    assert problems(lesson, monkeypatch) == []


def test_a_translation_with_one_resource_fewer_is_an_error_naming_both_files(lesson, monkeypatch):
    """README: keep … the order of … resources: one resource fewer is an error naming both files."""
    write(lesson / "en-GB.yaml", TRANSLATION.replace("  - title: Second site\n", ""))
    found = problems(lesson, monkeypatch)
    assert len(found) == 1, found
    [problem] = found
    # both places are the lists' first lines
    assert problem.startswith(f"sources/lessons/parity/en-GB.yaml:{line_of(TRANSLATION, '  - title: First site')}:")
    assert ": resources: " in problem and "has 1 items but the original has 2" in problem
    assert problem.endswith(f"(sources/lessons/parity/fr.yaml:{line_of(ORIGINAL, '  - title: Premier site')})")


def test_a_translation_with_one_resource_more_is_an_error(lesson, monkeypatch):
    """README: keep … resources: one more is as wrong as one fewer."""
    extra = "  - title: Third site\n    url: https://example.org/three\n"
    write(lesson / "en-GB.yaml", TRANSLATION + extra)
    [problem] = problems(lesson, monkeypatch)
    assert "en-GB.yaml" in problem and "has 3 items but the original has 2" in problem and "fr.yaml:" in problem


def test_a_renamed_section_id_is_an_error_naming_both_files(lesson, monkeypatch):
    """README: keep the ids … of sections: a renamed section id is an error naming both files and both ids."""
    renamed = TRANSLATION.replace("  - id: suite\n", "  - id: next\n")
    write(lesson / "en-GB.yaml", renamed)
    found = problems(lesson, monkeypatch)
    assert len(found) == 1, found
    [problem] = found
    assert problem.startswith(f"sources/lessons/parity/en-GB.yaml:{line_of(renamed, '  - id: next')}:")
    assert ": sections.2: " in problem and "“suite”" in problem and "“next”" in problem
    assert problem.endswith(f"(sources/lessons/parity/fr.yaml:{line_of(ORIGINAL, '  - id: suite')})")


def test_sections_in_another_order_are_an_error(lesson, monkeypatch):
    """README: keep … the order of sections."""
    start, middle = TRANSLATION.index("  - id: intro"), TRANSLATION.index("  - id: suite")
    end = TRANSLATION.index("activity:")
    swapped = TRANSLATION[:start] + TRANSLATION[middle:end] + TRANSLATION[start:middle] + TRANSLATION[end:]
    write(lesson / "en-GB.yaml", swapped)
    found = problems(lesson, monkeypatch)
    assert any("sections.1" in p and "“intro”" in p and "fr.yaml:" in p for p in found), found


def test_a_renamed_question_id_is_an_error_naming_both_files(lesson, monkeypatch):
    """README: keep the ids … of questions."""
    write(lesson / "en-GB.yaml", TRANSLATION.replace("    - id: first\n", "    - id: premier\n"))
    found = problems(lesson, monkeypatch)
    named = [p for p in found if ": activity.questions.1: " in p and "“first”" in p and "“premier”" in p]
    assert named and "fr.yaml:" in named[0], found


READING = """\
id: text
language: fr
title: Un texte
authors:
  - name: Ada Exemple
year: 2016
summary_credits:
  licence: CC BY-SA 4.0
thesis: Une thèse.
sections:
  - id: part
    heading: Une partie
    key_points:
      - Un point clé.
  - id: end
    heading: La fin
    key_points:
      - Un dernier point.
questions:
  - id: discuss
    prompt: Qu’en pensez-vous ?
    answer: Une réponse.
    lines: 2
"""

READING_EN = """\
translated_from: fr
id: text
language: en-GB
title: A text
authors:
  - name: Ada Exemple
summary_credits:
  licence: CC BY-SA 4.0
thesis: A thesis.
sections:
  - id: part
    heading: A part
    key_points:
      - A key point.
  - id: end
    heading: The end
    key_points:
      - A last point.
questions:
  - id: discuss
    prompt: What do you think?
    answer: An answer.
"""


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("  - id: end\n", "  - id: ending\n"), ": sections.2: the original has “end” here, the translation “ending”"),
        (("  - id: discuss\n", "  - id: talk\n"), ": questions.1: the original has “discuss” here"),
    ],
    ids=["section id", "question id"],
)
def test_a_readings_translation_with_other_ids_is_an_error_naming_both_files(tmp_path, monkeypatch, change, words):
    """README: keep the ids and the order of sections and questions — in the readings a lesson includes too."""
    folder = tmp_path / "sources" / "readings" / "text"
    write(folder / "fr.yaml", READING)
    write(folder / "en-GB.yaml", READING_EN.replace(*change))
    monkeypatch.chdir(tmp_path)
    sources = Sources(Path("sources"))
    found = [str(p) for p in check_all(sources, sources.readings())]
    named = [p for p in found if p.startswith("sources/readings/text/en-GB.yaml:") and words in p]
    assert named and "(sources/readings/text/fr.yaml:" in named[0], found
