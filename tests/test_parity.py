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


# --------------------------------------------------------------------------- what is reported, and where

# A case box in the original's first section; in the translation, its kind (neutral data) is left out.
BOX_FR = "      - Un point\n    boxes:\n      - kind: case\n        title: Un cas\n        body:\n          - Le cas.\n"
BOX_EN = "      - A point\n    boxes:\n      - title: A case\n        body:\n          - The case.\n"
SUITE_EN = TRANSLATION[TRANSLATION.index("  - id: suite") : TRANSLATION.index("activity:")]


KEEP = "keep the original's items, in order"


def there(original: str, needle: str) -> str:
    """Where a problem points in the original: its file and the line of ``needle``."""
    return f"(sources/lessons/parity/fr.yaml:{line_of(original, needle)})"


def fixture_project(tmp_path: Path, original: str, translation: str) -> Path:
    folder = tmp_path / "sources" / "lessons" / "parity"
    write(folder / "fr.yaml", original)
    write(folder / "en-GB.yaml", translation)
    return folder


def test_a_section_left_out_is_named_at_the_translations_sections(tmp_path, monkeypatch):
    """README: keep the ids … of sections: a section left out names the original's section and its line; the
    translation has nothing there, so its list of sections is the place."""
    folder = fixture_project(tmp_path, ORIGINAL, TRANSLATION.replace(SUITE_EN, ""))
    sections = line_of(TRANSLATION, "  - id: intro")
    assert problems(folder, monkeypatch) == [
        f"sources/lessons/parity/en-GB.yaml:{sections}:3: sections: the original has “suite” here, the translation "
        f"nothing: {KEEP} {there(ORIGINAL, '  - id: suite')}"
    ]


def test_an_extra_section_is_named_where_it_is(tmp_path, monkeypatch):
    """README: keep the ids … of sections: a section the original does not have is named, at its own line."""
    extra = "  - id: extra\n    heading: Extra\n    body:\n      - More.\n    slide_points:\n      - More\n"
    translation = TRANSLATION.replace("activity:", extra + "activity:")
    folder = fixture_project(tmp_path, ORIGINAL, translation)
    assert problems(folder, monkeypatch) == [
        f"sources/lessons/parity/en-GB.yaml:{line_of(translation, '  - id: extra')}:5: sections.3: the original has "
        f"nothing more here, the translation “extra”: {KEEP} "
        f"{there(ORIGINAL, '  - id: intro')}"
    ]


def test_a_box_left_out_of_a_section_is_an_error_naming_both_files(tmp_path, monkeypatch):
    """The boxes of every section correspond one to one: a translated section without the original's box is named."""
    original = ORIGINAL.replace("      - Un point\n", BOX_FR)
    folder = fixture_project(tmp_path, original, TRANSLATION)
    assert problems(folder, monkeypatch) == [
        f"sources/lessons/parity/en-GB.yaml:{line_of(TRANSLATION, '  - id: intro')}:5: sections.1.boxes: has 0 items "
        f"but the original has 1 {there(original, '      - kind: case')}"
    ]


def test_a_translated_box_takes_its_kind_from_the_original(tmp_path, monkeypatch):
    """The positive control of the box fixture: a box's kind is neutral data, left out of the translation."""
    original = ORIGINAL.replace("      - Un point\n", BOX_FR)
    folder = fixture_project(tmp_path, original, TRANSLATION.replace("      - A point\n", BOX_EN))
    assert problems(folder, monkeypatch) == []


def test_sections_written_as_one_text_are_reported_once(tmp_path, monkeypatch):
    """A list written as one text: the model says a list is expected and parity names the first section; the
    boxes inside the original's sections are not compared with the letters of the text."""
    original = ORIGINAL.replace("      - Un point\n", BOX_FR)
    start, end = TRANSLATION.index("sections:"), TRANSLATION.index("activity:")
    translation = TRANSLATION[:start] + "sections: Two sections\n" + TRANSLATION[end:]
    folder = fixture_project(tmp_path, original, translation)
    line = line_of(translation, "sections: Two sections")
    assert problems(folder, monkeypatch) == [
        f"sources/lessons/parity/en-GB.yaml:{line}:11: sections: expected a list (lines starting with “- ”), "
        "found “Two sections”",
        f"sources/lessons/parity/en-GB.yaml:{line}:11: sections: the original has “intro” here, the translation "
        f"nothing: {KEEP} {there(original, '  - id: intro')}",
    ]


def test_resources_written_as_one_text_are_refused_not_split_into_letters(tmp_path, monkeypatch):
    """A list written as one text is a mistake to fix, not nine resources made of its letters."""
    translation = TRANSLATION.replace(
        "resources:\n  - title: First site\n  - title: Second site\n", "resources: Two sites\n"
    )
    folder = fixture_project(tmp_path, ORIGINAL, translation)
    line = line_of(translation, "resources: Two sites")
    assert problems(folder, monkeypatch) == [
        f"sources/lessons/parity/en-GB.yaml:{line}:12: resources: expected a list (lines starting with “- ”), "
        "found “Two sites”",
        f"sources/lessons/parity/en-GB.yaml:{line}:12: resources: has 0 items but the original has 2 "
        f"{there(ORIGINAL, '  - title: Premier site')}",
    ]


def test_an_activity_written_as_a_list_is_refused(tmp_path, monkeypatch):
    """A group of fields written as a list is reported (not a crash), and its questions are missing."""
    start, end = TRANSLATION.index("activity:"), TRANSLATION.index("resources:")
    translation = TRANSLATION[:start] + "activity:\n  - Read.\n" + TRANSLATION[end:]
    folder = fixture_project(tmp_path, ORIGINAL, translation)
    line = line_of(translation, "  - Read.")
    assert problems(folder, monkeypatch) == [
        f"sources/lessons/parity/en-GB.yaml:{line}:3: activity: expected a group of fields (“key: value” lines), "
        "found a list",
        f"sources/lessons/parity/en-GB.yaml:{line}:3: activity.questions: the original has “first” here, the "
        f"translation nothing: {KEEP} {there(ORIGINAL, '    - id: first')}",
    ]


def test_an_activity_left_out_names_the_questions_it_misses(tmp_path, monkeypatch):
    """The original's questions must be in the translation, even when its whole activity is left out."""
    start, end = TRANSLATION.index("activity:"), TRANSLATION.index("resources:")
    folder = fixture_project(tmp_path, ORIGINAL, TRANSLATION[:start] + TRANSLATION[end:])
    assert problems(folder, monkeypatch) == [
        "sources/lessons/parity/en-GB.yaml:1:1: activity.questions: the original has “first” here, the translation "
        f"nothing: {KEEP} {there(ORIGINAL, '    - id: first')}"
    ]


def test_a_section_written_as_one_text_is_named_in_plain_words(tmp_path, monkeypatch):
    """A section written as one line of text has no id: the message says so, not Python's “None”."""
    translation = TRANSLATION.replace(SUITE_EN, "  - What follows\n")
    folder = fixture_project(tmp_path, ORIGINAL, translation)
    line = line_of(translation, "  - What follows")
    assert problems(folder, monkeypatch) == [
        f"sources/lessons/parity/en-GB.yaml:{line}:5: sections.2: expected a group of fields (“key: value” lines), "
        "found “What follows”",
        f"sources/lessons/parity/en-GB.yaml:{line}:5: sections.2: the original has “suite” here, the translation an "
        f"item without an id: {KEEP} "
        f"{there(ORIGINAL, '  - id: suite')}",
    ]


def test_a_translation_without_its_language_is_told_so(tmp_path, monkeypatch):
    """The language is the translation's own: it is never taken from the original, so leaving it out is named."""
    folder = fixture_project(tmp_path, ORIGINAL, TRANSLATION.replace("language: en-GB\n", ""))
    assert problems(folder, monkeypatch) == [
        "sources/lessons/parity/en-GB.yaml:1:1: language: the required field “language” is missing"
    ]


def test_readings_in_another_order_are_an_error(tmp_path, monkeypatch):
    """A translation that lists the lesson's readings may leave them out, but not change them or their order."""
    for reading in ("text", "more"):
        write(tmp_path / "sources" / "readings" / reading / "fr.yaml", READING.replace("id: text", f"id: {reading}"))
    original = ORIGINAL + "readings: [text, more]\n"
    folder = fixture_project(tmp_path, original, TRANSLATION + "readings: [more, text]\n")
    found = problems(folder, monkeypatch)
    line = len(TRANSLATION.splitlines()) + 1
    expected = (
        f"sources/lessons/parity/en-GB.yaml:{line}:12: readings.1: the original has “text” here, the translation "
        f"“more”: {KEEP} {there(original, 'readings: [text, more]')}"
    )
    assert expected in found, found


def test_a_lesson_without_an_activity_and_its_translation_are_valid(tmp_path, monkeypatch):
    """An activity is optional: when the original has none, a translation without one matches it."""
    original = ORIGINAL[: ORIGINAL.index("activity:")] + ORIGINAL[ORIGINAL.index("resources:") :]
    translation = TRANSLATION[: TRANSLATION.index("activity:")] + TRANSLATION[TRANSLATION.index("resources:") :]
    folder = fixture_project(tmp_path, original, translation)
    assert problems(folder, monkeypatch) == []
