"""Translations: scaffold, parity with the original, neutral data, stale texts, strict builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit.cli import main
from lessonkit.errors import SourceError
from lessonkit.loader import Sources, check_all, load_lesson, translation_states
from lessonkit.model import UNTRANSLATED_MARKER

from .conftest import copy_shipped


@pytest.fixture
def shipped(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped project's sources, to edit freely."""
    copy_shipped(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def states(path: Path) -> dict[str, str]:
    return {f.path: f.state for f in translation_states(path)[1]}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root: Path) -> list[str]:
    sources = Sources(root / "sources")
    return [str(p) for p in check_all(sources, sources.lessons() + sources.readings())]


# --------------------------------------------------------------------------- scaffold → edit → status


def test_scaffold_edit_status_cycle(shipped, capsys):
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    assert run(shipped, "translate", "digital-labor", "--to", "it") == 0
    target = lesson / "it.yaml"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schema/lesson-translation.schema.json\n")
    assert (shipped / "schema" / "lesson-translation.schema.json").is_file()  # what the first line points at
    assert "translated_from: fr" in text and UNTRANSLATED_MARKER in text
    assert "https://" not in text  # neutral data comes from the original
    assert (shipped / "sources" / "readings" / "casilli-2016" / "it.yaml").is_file()
    assert problems(shipped) == []
    assert set(states(target).values()) == {"untranslated"}

    edit(
        target, f"title: '{UNTRANSLATED_MARKER}Qu’est-ce que le digital labor ?'", "title: Che cos’è il digital labor?"
    )
    assert states(target)["title"] == "unrecorded"  # translated, but not yet recorded: not stale
    reading = (shipped / "sources" / "readings" / "casilli-2016" / "it.yaml").read_text(encoding="utf-8")
    assert "licence" not in text and "authors" not in text and "authors" not in reading  # never translated
    assert run(shipped, "translated", "digital-labor", "--lang", "it") == 0
    after = states(target)
    assert after["title"] == "translated"
    assert sum(state == "translated" for state in after.values()) == 1

    capsys.readouterr()
    assert run(shipped, "status", "--strict") == 2
    out = capsys.readouterr().out
    assert "it.yaml:" in out and "not yet translated" in out


def test_scaffold_never_overwrites_a_translation(shipped, capsys):
    target = shipped / "sources" / "lessons" / "digital-labor" / "en-GB.yaml"
    before = target.read_bytes()
    assert run(shipped, "translate", "digital-labor", "--to", "en-GB") == 2
    assert "never overwritten" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_scaffold_refuses_an_unknown_language(shipped, capsys):
    assert run(shipped, "translate", "digital-labor", "--to", "klingon") == 2


def test_editing_one_french_answer_makes_exactly_that_field_stale(shipped):
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    for language in ("en-GB", "de-CH"):
        assert set(states(lesson / f"{language}.yaml").values()) == {"translated"}
    edit(lesson / "fr.yaml", "Il s’agit donc d’une activité très précaire.", "C’est donc une activité très précaire.")
    for language in ("en-GB", "de-CH"):
        stale = [path for path, state in states(lesson / f"{language}.yaml").items() if state != "translated"]
        assert stale == ["activity.questions[why-micro-work].answer"]


def test_status_names_file_and_line_of_stale_texts(shipped, capsys):
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    edit(lesson / "fr.yaml", "Il s’agit donc d’une activité très précaire.", "C’est donc une activité très précaire.")
    assert run(shipped, "status") == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "en-GB.yaml:" in line)
    assert "activity.questions[why-micro-work].answer: stale" in line
    number = int(line.split(":")[1])
    assert "answer:" in (lesson / "en-GB.yaml").read_text(encoding="utf-8").splitlines()[number - 1]


def test_strict_refuses_an_unfinished_translation_even_when_outputs_are_up_to_date(shipped, capsys):
    out = shipped / "out"
    assert run(shipped, "build", "digital-labor", "--out", str(out)) == 0
    assert run(shipped, "translate", "digital-labor", "--to", "it") == 0
    assert run(shipped, "build", "digital-labor", "--out", str(out)) == 0  # builds it, lists what is left
    capsys.readouterr()
    assert run(shipped, "build", "digital-labor", "--strict", "--out", str(out)) == 2
    assert "Nothing was built (--strict)" in capsys.readouterr().err


def test_build_lists_stale_texts_and_strict_refuses(shipped, capsys):
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    edit(lesson / "fr.yaml", "Il s’agit donc d’une activité très précaire.", "C’est donc une activité très précaire.")
    out = shipped / "out"
    assert run(shipped, "build", "digital-labor", "--strict", "--out", str(out)) == 2
    assert "why-micro-work" in capsys.readouterr().err
    assert not out.exists()


def test_record_is_written_by_the_command_not_by_hand(shipped):
    record = shipped / "sources" / "lessons" / "digital-labor" / "en-GB.translated.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["original"] == "fr" and len(data["fields"]) > 50


def test_the_record_forgets_texts_the_original_no_longer_has(shipped):
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    record = lesson / "en-GB.translated.json"
    edit(lesson / "fr.yaml", "      - Un espace marchand dominé par quelques acteurs centraux\n", "")
    edit(lesson / "en-GB.yaml", "      - A commercial space dominated by a few central players\n", "")
    assert run(shipped, "translated", "digital-labor", "--lang", "en-GB") == 0
    fields = json.loads(record.read_text(encoding="utf-8"))["fields"]
    assert "sections[new-view-of-the-web].slide_points.4" not in fields
    assert "sections[new-view-of-the-web].slide_points.3" in fields


def test_deck_texts_are_translated_and_timings_are_neutral(shipped):
    """Key points, short prompts, teacher notes and the closing are texts to translate; a duration is not."""
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    found = states(lesson / "en-GB.yaml")
    assert found["activity.questions[why-micro-work].key_points.1"] == "translated"
    assert found["activity.questions[geography-of-ai].slide_prompt"] == "translated"
    assert found["sections[definition].teacher_notes.text.1"] == "translated"
    assert found["closing.remember.1"] == "translated" and found["closing.exit_question"] == "translated"
    assert not any(path.endswith("duration") for path in found)
    reading = states(shipped / "sources" / "readings" / "casilli-2016" / "de-CH.yaml")
    assert reading["questions[payer-chaque-clic].key_points.1"] == "translated"
    assert reading["slide_points.1"] == "translated"
    translated = load_lesson(lesson / "de-CH.yaml")
    assert translated.sections[0].teacher_notes.duration == 10  # taken from the original


# --------------------------------------------------------------------------- parity and neutral data


def test_a_missing_question_names_both_files(shipped):
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    edit(lesson / "en-GB.yaml", "    - id: hidden-face", "    - id: masked-face")
    [problem] = [p for p in problems(shipped) if "en-GB.yaml" in p]
    assert "activity.questions.3" in problem and "hidden-face" in problem
    assert "sources/lessons/digital-labor/fr.yaml:" in problem


def test_a_dropped_glossary_entry_is_a_parity_error(shipped):
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    text = (lesson / "de-CH.yaml").read_text(encoding="utf-8")
    start = text.index("  - term: Mikroarbeit")
    (lesson / "de-CH.yaml").write_text(text[:start], encoding="utf-8")
    found = [p for p in problems(shipped) if "de-CH.yaml" in p]
    assert any("glossary" in p and "has 3 items but the original has 4" in p for p in found)


def test_neutral_data_comes_from_the_original(shipped):
    lesson = shipped / "sources" / "lessons" / "digital-labor"
    edit(lesson / "en-GB.yaml", "      url: https://www.youtube.com/watch?v=Y8URdO7mDfg\n", "")
    translated = load_lesson(lesson / "en-GB.yaml")
    assert translated.activity.materials[0].url == "https://www.youtube.com/watch?v=Y8URdO7mDfg"
    assert problems(shipped) == []


# --------------------------------------------------------------------------- a broken original


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("\nduration: ", "\nduration: quarante-", "not a whole number"),  # the model refuses it
        ("\ntitle: ", "\ntitle ", "is a “:” missing"),  # it cannot be read at all
    ],
)
def test_a_mistake_in_the_original_is_reported_once_in_the_original(shipped, old, new, words):
    original = shipped / "sources" / "lessons" / "digital-labor" / "fr.yaml"
    edit(original, old, new)
    found = problems(shipped)
    assert len(found) == 1, found
    assert found[0].startswith("sources/lessons/digital-labor/fr.yaml:") and words in found[0]
    with pytest.raises(SourceError) as error:  # loading one translation alone names the original's mistake
        load_lesson(original.with_name("en-GB.yaml"))
    assert [p.path for p in error.value.problems] == [original]
