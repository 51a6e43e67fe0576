"""Translations: scaffold, parity with the original, neutral data, stale texts, strict builds."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from lessonkit import translation
from lessonkit.cli import main
from lessonkit.errors import SourceError
from lessonkit.loader import Sources, check_all, load_lesson, translation_states
from lessonkit.model import UNTRANSLATED_MARKER
from lessonkit.yamlsafe import read_source

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


# --------------------------------------------------------------------------- the record and each text's state


TEXTS_FR = """\
id: states
language: fr
title: Un titre
sections:
  - id: one
    heading: Un
    body:
      - Premier paragraphe.
  - id: two
    heading: Deux
    body:
      - Second paragraphe.
"""
TEXTS_EN = f"""\
translated_from: fr
id: states
language: en-GB
title: A title
sections:
  - id: one
    heading: "{UNTRANSLATED_MARKER}Un"
    body:
      - First paragraph.
  - id: two
    body:
      - Second paragraph.
"""


@pytest.fixture
def texts(tmp_path) -> Path:
    """A translation (not validated: only its texts are looked at) with one text marked and one left out."""
    folder = tmp_path / "sources" / "lessons" / "states"
    folder.mkdir(parents=True)
    (folder / "fr.yaml").write_text(TEXTS_FR, encoding="utf-8")
    (folder / "en-GB.yaml").write_text(TEXTS_EN, encoding="utf-8")
    return folder / "en-GB.yaml"


def record(path: Path, only: set[str] | None = None) -> int:
    original = read_source(path.with_name("fr.yaml"))[0]
    return translation.write_record(path, "fr", original, read_source(path)[0], only)


def test_each_text_is_missing_untranslated_unrecorded_or_translated_at_its_line(texts):
    """`status` names each text's state and line; a missing text is shown at the item that should hold it."""
    lines = TEXTS_EN.splitlines()
    assert [(s.path, s.state, s.line) for s in translation_states(texts)[1]] == [
        ("title", "unrecorded", lines.index("title: A title") + 1),
        ("sections[one].heading", "untranslated", lines.index(f'    heading: "{UNTRANSLATED_MARKER}Un"') + 1),
        ("sections[one].body.1", "unrecorded", lines.index("      - First paragraph.") + 1),
        ("sections[two].heading", "missing", lines.index("  - id: two") + 1),
        ("sections[two].body.1", "unrecorded", lines.index("      - Second paragraph.") + 1),
    ]
    assert record(texts) == 3  # the finished texts: not the marked one, not the missing one
    assert states(texts) == {
        "title": "translated",
        "sections[one].heading": "untranslated",
        "sections[one].body.1": "translated",
        "sections[two].heading": "missing",
        "sections[two].body.1": "translated",
    }
    edit(texts.with_name("fr.yaml"), "title: Un titre", "title: Un autre titre")
    assert states(texts)["title"] == "stale"
    # only a stale text says what changed
    changes = {s.path: s.change for s in translation_states(texts)[1]}
    assert changes.pop("title") == translation.Change(
        "Un titre", "Un autre titre", ((E, "Un"), (A, " autre"), (E, " titre"))
    )
    assert set(changes.values()) == {None}


def test_the_record_is_one_sorted_line_per_text(texts):
    """`translated` writes the record committed beside the translation: a text recorded again changes one line of
    fingerprints and one of texts (the original's text, as it was when the text was marked)."""
    assert record(texts) == 3
    expected = (
        '{\n "original": "fr",\n "fields": {\n'
        f'  "sections[one].body.1": "{translation.fingerprint("Premier paragraphe.")}",\n'
        f'  "sections[two].body.1": "{translation.fingerprint("Second paragraphe.")}",\n'
        f'  "title": "{translation.fingerprint("Un titre")}"\n'
        " },\n"
        ' "texts": {\n'
        '  "sections[one].body.1": "Premier paragraphe.",\n'
        '  "sections[two].body.1": "Second paragraphe.",\n'
        '  "title": "Un titre"\n'
        " }\n}\n"
    )
    assert texts.with_name("en-GB.translated.json").read_text(encoding="utf-8") == expected


def test_the_record_keeps_the_original_s_text_when_it_was_marked(texts):
    """The record round trip: the texts written are read back, each with its fingerprint, in UTF-8 as typed; a text
    keeps the version it was marked with until it is marked again, and then takes the original's text now."""
    fr = texts.with_name("fr.yaml")
    edit(fr, "title: Un titre", 'title: Un titre « élevé » \\ "cité"')
    assert record(texts) == 3
    path = texts.with_name("en-GB.translated.json")
    assert "« élevé »" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    loaded = translation.load_record(texts)
    assert loaded.texts == {
        "title": 'Un titre « élevé » \\ "cité"',
        "sections[one].body.1": "Premier paragraphe.",
        "sections[two].body.1": "Second paragraphe.",
    }
    assert loaded.fields == translation.read_record(texts)
    assert all(translation.fingerprint(text) == loaded.fields[p] for p, text in loaded.texts.items())

    edit(fr, "Premier paragraphe.", "Premier paragraphe, revu.")
    assert record(texts, only={"title"}) == 1  # the paragraph is not marked again: it keeps the text it translates
    assert translation.load_record(texts).texts["sections[one].body.1"] == "Premier paragraphe."
    [stale] = [s for s in translation_states(texts)[1] if s.state == "stale"]
    assert (stale.path, stale.change.before, stale.change.after) == (
        "sections[one].body.1",
        "Premier paragraphe.",
        "Premier paragraphe, revu.",
    )
    assert record(texts, only={"sections[one].body.1"}) == 1
    assert translation.load_record(texts).texts["sections[one].body.1"] == "Premier paragraphe, revu."
    assert states(texts)["sections[one].body.1"] == "translated"


def test_a_record_without_texts_still_finds_stale_texts(texts):
    """A record written before records held texts (fingerprints only) is read as before: a changed original is
    stale, with no earlier text to show; marking other texts fills in the text of those it recorded unchanged."""
    path = texts.with_name("en-GB.translated.json")
    fields = {
        "title": translation.fingerprint("Un titre"),
        "sections[one].body.1": translation.fingerprint("Premier paragraphe."),
    }
    path.write_text(json.dumps({"original": "fr", "fields": fields}), encoding="utf-8")
    assert translation.record_problem(texts) is None
    assert translation.load_record(texts) == translation.Record(fields, {})
    edit(texts.with_name("fr.yaml"), "title: Un titre", "title: Un autre titre")
    found = {s.path: s for s in translation_states(texts)[1]}
    assert found["title"].state == "stale" and found["sections[one].body.1"].state == "translated"
    assert found["title"].change == translation.Change(None, "Un autre titre", ())
    assert translation.change_in_brief(found["title"].change) is None

    assert record(texts, only={"sections[two].body.1"}) == 1
    loaded = translation.load_record(texts)
    assert loaded.fields["title"] == translation.fingerprint("Un titre")  # still stale: not marked again
    # the paragraph's recorded version is the original's now: its text is known; the title's is not
    assert loaded.texts == {"sections[one].body.1": "Premier paragraphe.", "sections[two].body.1": "Second paragraphe."}
    assert states(texts)["title"] == "stale"


def test_a_text_that_is_not_the_one_its_fingerprint_names_is_not_shown(texts):
    """A record edited by hand, its text no longer the version fingerprinted: stale as before, no earlier text."""
    assert record(texts) == 3
    path = texts.with_name("en-GB.translated.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["texts"]["title"] = "Un titre inventé"
    path.write_text(json.dumps(data), encoding="utf-8")
    edit(texts.with_name("fr.yaml"), "title: Un titre", "title: Un autre titre")
    [stale] = [s for s in translation_states(texts)[1] if s.state == "stale"]
    assert stale.change.before is None and stale.change.runs == ()


def test_a_record_that_would_pass_2_mb_with_its_texts_is_written_without_them(texts, monkeypatch):
    """The 2 MB limit holds for the record written: past it, the texts are left out, the fingerprints kept."""
    assert record(texts) == 3
    size = texts.with_name("en-GB.translated.json").stat().st_size
    monkeypatch.setattr(translation, "MAX_RECORD_BYTES", size - 1)
    assert record(texts) == 3
    data = json.loads(texts.with_name("en-GB.translated.json").read_text(encoding="utf-8"))
    assert "texts" not in data and len(data["fields"]) == 3
    assert translation.record_problem(texts) is None


def test_the_words_that_changed_in_a_sentence():
    """What changed in a stale text, word by word: accents, apostrophes and punctuation kept, a change between
    words never split by a lone space or comma; the runs give both texts back."""
    before = "Il s’agit donc d’une activité très précaire, payée au clic."
    after = "C’est donc une activité très précaire et mal payée, au clic près !"
    runs = translation.word_diff(before, after)
    assert runs == [
        ("removed", "Il s’agit"),
        ("added", "C’est"),
        ("equal", " donc "),
        ("removed", "d’une"),
        ("added", "une"),
        ("equal", " activité très précaire"),
        ("removed", ", payée"),
        ("added", " et mal payée,"),
        ("equal", " au clic"),
        ("removed", "."),
        ("added", " près !"),
    ]
    assert "".join(text for kind, text in runs if kind != "added") == before
    assert "".join(text for kind, text in runs if kind != "removed") == after
    assert translation.word_diff("travail du clic", "travail du clic payé") == [
        ("equal", "travail du clic"),
        ("added", " payé"),
    ]
    # a changed line break is no change (as for the fingerprint): the equal run is spelt as now
    assert translation.word_diff("travail\ndu clic", "travail du  clic payé") == [
        ("equal", "travail du  clic"),
        ("added", " payé"),
    ]


def test_what_changed_is_said_on_one_line():
    """`status` says a stale text's change in brief: short texts whole, long ones shortened around the change."""

    def brief(before: str, after: str) -> str | None:
        return translation.change_in_brief(translation.stale_change(record_of(before), "p", after))

    def record_of(text: str) -> translation.Record:
        return translation.Record({"p": translation.fingerprint(text)}, {"p": text})

    assert brief("travail du clic", "travail du clic payé") == "“travail du clic” → “travail du clic payé”"
    long = (
        "Un paragraphe assez long pour que la traduction le plie sur plusieurs lignes, comme les textes que les "
        "enseignantes écrivent vraiment."
    )
    said = brief(long, long.replace("plusieurs", "deux"))  # a few words on either side of the change
    assert said == "“…le plie sur plusieurs lignes, comme les…” → “…le plie sur deux lignes, comme les…”"
    changed = long.replace("paragraphe assez", "texte vraiment très").replace(
        "écrivent vraiment", "écrivent chaque jour"
    )
    said = brief(long, changed.replace("enseignantes", "enseignantes et les enseignants"))
    assert said == "“Un paragraphe assez long pour que…” → “Un texte vraiment très long pour que…” (and 2 more changes)"
    assert "\n" not in brief("Une ligne\net une autre", "Une ligne\net une troisième")


def test_recording_some_texts_keeps_what_was_recorded_before(texts):
    """`translated --field`: only the texts named are recorded; those recorded earlier stay recorded."""
    assert record(texts, only={"title"}) == 1
    assert set(translation.read_record(texts)) == {"title"}
    assert record(texts, only={"sections[one].body.1", "sections[one].heading"}) == 1  # the heading is marked
    assert translation.read_record(texts) == {
        "title": translation.fingerprint("Un titre"),
        "sections[one].body.1": translation.fingerprint("Premier paragraphe."),
    }


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not json", "is damaged (it is not the record lessonkit writes)"),
        (b'["a list"]', "is damaged (its “fields” are not a list of fingerprints)"),
        (b'{"fields": {"title": 1}}', "is damaged (its “fields” are not a list of fingerprints)"),
        (b" " * (translation.MAX_RECORD_BYTES - 1) + b"{}", "is larger than 2 MB"),
        (b'{"fields": {}, "texts": ["Un titre"]}', "is damaged (its “texts” are not a list of the original's texts)"),
        (b'{"fields": {}, "texts": {"title": 1}}', "is damaged (its “texts” are not a list of the original's texts)"),
        (b'{"fields": {}, "texts": null}', "is damaged (its “texts” are not a list of the original's texts)"),
    ],
    ids=["not JSON", "a list", "numbers", "2 MB and one byte", "texts a list", "a text a number", "texts null"],
)
def test_a_damaged_record_is_named_with_its_fix(texts, content, why):
    """`check` names a damaged record and how to fix it; its texts count as never recorded."""
    texts.with_name("en-GB.translated.json").write_bytes(content)
    fix = "delete en-GB.translated.json and run `lessonkit translated` again"
    assert translation.record_problem(texts) == f"en-GB.translated.json {why}; {fix}"
    assert translation.read_record(texts) == {}
    assert states(texts)["title"] == "unrecorded"


def test_a_record_of_exactly_2_mb_is_read(texts):
    """The limit is 2 MB: a record of that size (a long lesson's, say) is still read."""
    assert record(texts) == 3
    path = texts.with_name("en-GB.translated.json")
    written = path.read_bytes()
    path.write_bytes(written + b" " * (translation.MAX_RECORD_BYTES - len(written)))
    assert path.stat().st_size == translation.MAX_RECORD_BYTES
    assert translation.record_problem(texts) is None
    assert states(texts)["title"] == "translated"


def test_neutral_data_follows_each_item_s_id_and_texts_are_never_filled_in():
    """Neutral data comes from the original's item with the same id (by position for items without one); a text
    left out, or the translation's own language, is never taken from the original."""
    original = {
        "language": "fr",
        "title": "Un titre",
        "sections": [{"id": "a", "icon": "globe", "heading": "A"}, {"id": "b", "icon": "book", "heading": "B"}],
        "resources": [{"title": "Un", "url": "https://a.ch"}, {"title": "Deux", "url": "https://b.ch"}],
    }
    translated = {
        "translated_from": "fr",
        "sections": [{"id": "b", "heading": "Bee"}, {"id": "a"}],
        "resources": [{"title": "One"}, {"title": "Two"}],
    }
    assert translation.with_neutral_data(translated, original) == {
        "translated_from": "fr",
        "sections": [{"id": "b", "heading": "Bee", "icon": "book"}, {"id": "a", "icon": "globe"}],
        "resources": [{"title": "One", "url": "https://a.ch"}, {"title": "Two", "url": "https://b.ch"}],
    }


def test_a_space_added_before_a_mark_is_shown_as_the_change():
    """A stale text whose only change is a space before (or after) a mark, as French typography asks (“Quoi?” →
    “Quoi ?”): the fingerprint changed, so the translator is told what changed, in the browser app and on one line
    in `lessonkit status`, long text or not (it showed “Quoi ?” → “Quoi ?”, and a long text stopped `status` with
    an IndexError)."""
    assert translation.fingerprint("Quoi?") != translation.fingerprint("Quoi ?")
    assert translation.word_diff("Quoi?", "Quoi ?") == [("equal", "Quoi"), ("removed", "?"), ("added", " ?")]
    long = "Un texte assez long , avec une virgule mal placée que quelqu’un a corrigée plus tard dans la journée."
    fixed = long.replace("long , avec", "long, avec")
    change = translation.stale_change(translation.Record({"p": translation.fingerprint(long)}, {"p": long}), "p", fixed)
    assert change.runs == (
        ("equal", "Un texte assez long"),
        ("removed", " ,"),
        ("added", ","),
        ("equal", " avec une virgule mal placée que quelqu’un a corrigée plus tard dans la journée."),
    )
    assert (
        translation.change_in_brief(change)
        == "“Un texte assez long , avec une virgule…” → “Un texte assez long, avec une virgule…”"
    )
    # nothing changed at all: nothing to say
    assert translation.change_in_brief(translation.Change(long, long, tuple(translation.word_diff(long, long)))) is None


# --------------------------------------------------------------------------- what changed, word by word


def gives_both_texts(before: str, after: str, runs: list[tuple[str, str]]) -> bool:
    """word_diff's promise: the equal and added runs are the text now, exactly; the equal and removed runs are the
    text then, but for white space between words (as the fingerprint sees it); no run is empty, and two runs in a
    row are never of one kind (a change is one run removed, one added)."""
    now = "".join(text for kind, text in runs if kind != "removed")
    then = "".join(text for kind, text in runs if kind != "added")
    kinds = [kind for kind, _ in runs]
    return (
        now == after
        and translation.fingerprint(then) == translation.fingerprint(before)
        and all(text for _, text in runs)
        and all(a != b for a, b in itertools.pairwise(kinds))
        and set(kinds) <= {"equal", "removed", "added"}
    )


E, R, A = "equal", "removed", "added"


@pytest.mark.parametrize(
    ("before", "after", "runs"),
    [
        ("le chat dort", "le chien dort", [(E, "le "), (R, "chat"), (A, "chien"), (E, " dort")]),
        ("Le chat dort", "Un chat dort", [(R, "Le"), (A, "Un"), (E, " chat dort")]),
        ("le chat dort", "le chat mange", [(E, "le chat "), (R, "dort"), (A, "mange")]),
        ("chat dort", "le chat dort", [(A, "le "), (E, "chat dort")]),
        ("le chat dort", "le gros chat dort", [(E, "le"), (A, " gros"), (E, " chat dort")]),
        ("le chat dort", "le chat dort bien", [(E, "le chat dort"), (A, " bien")]),
        ("le chat dort", "chat dort", [(R, "le "), (E, "chat dort")]),
        ("le gros chat dort", "le chat dort", [(E, "le"), (R, " gros"), (E, " chat dort")]),
        ("le chat dort", "le chat", [(E, "le chat"), (R, " dort")]),
        ("le chat dort.", "le chat dort !", [(E, "le chat dort"), (R, "."), (A, " !")]),
        ("le chat dort", "le chat dort.", [(E, "le chat dort"), (A, ".")]),
        ("le chat noir", "le chat, noir", [(E, "le chat"), (A, ","), (E, " noir")]),
        ("le chat, noir", "le chat noir", [(E, "le chat"), (R, ","), (E, " noir")]),
        ("Le chat. Le chien.", "Le chat, le chien.", [(E, "Le chat"), (R, ". Le"), (A, ", le"), (E, " chien.")]),
        ("le chat, noir", "le chien, blanc", [(E, "le "), (R, "chat, noir"), (A, "chien, blanc")]),
        ("le chat noir", "le chien blanc", [(E, "le "), (R, "chat noir"), (A, "chien blanc")]),
        (
            "le chat dort sur le lit",
            "le chien dort sur le canapé",
            [(E, "le "), (R, "chat"), (A, "chien"), (E, " dort sur le "), (R, "lit"), (A, "canapé")],
        ),
        ("Il dort, le chat.", "Il dort, le chien.", [(E, "Il dort, le "), (R, "chat"), (A, "chien"), (E, ".")]),
        ("le chat\ndort", "le chat  dort", [(E, "le chat  dort")]),
        ("le chat ", "le chat\n", [(E, "le chat\n")]),
        ("le chat", "  le chat", [(E, "  le chat")]),
        ("le chat", "le chat", [(E, "le chat")]),
        ("", "", []),
        ("", "le chat", [(A, "le chat")]),
        ("le chat", "", [(R, "le chat")]),
        ("Quoi?", "Quoi ?", [(E, "Quoi"), (R, "?"), (A, " ?")]),
        ("« Bonjour »", "«Bonjour»", [(E, "«"), (R, " Bonjour »"), (A, "Bonjour»")]),
        ("l’école, peut-être", "l’école peut-être", [(E, "l’école"), (R, ","), (E, " peut-être")]),
        ("12.5 %", "12,5 %", [(R, "12.5"), (A, "12,5"), (E, " %")]),
        (", chien", "chien", [(R, ", "), (E, "chien")]),
        ("Oui bref, le chien dort", "Oui le chien dort", [(E, "Oui"), (R, " bref,"), (E, " le chien dort")]),
        ("chat, noir", "chien, blanc", [(R, "chat, noir"), (A, "chien, blanc")]),
        ("le chat dort", "le dort dort", [(E, "le "), (R, "chat"), (A, "dort"), (E, " dort")]),
        ("le chat", "  le chat dort", [(E, "  le chat"), (A, " dort")]),
        ("le chat", "le chat\n", [(E, "le chat\n")]),
        ("le chat", "le chien\n", [(E, "le "), (R, "chat"), (A, "chien\n")]),
        ("le chat.\n", "le chien.\n", [(E, "le "), (R, "chat"), (A, "chien"), (E, ".\n")]),
        ("le chat chat", "le chien chat", [(E, "le "), (R, "chat"), (A, "chien"), (E, " chat")]),
        ("chat dort", "le chat mange", [(A, "le "), (E, "chat "), (R, "dort"), (A, "mange")]),
        (", chat dort", "chat mange", [(R, ", "), (E, "chat "), (R, "dort"), (A, "mange")]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_kind_of_change_is_shown_word_by_word(before, after, runs):
    """The browser app strikes through what the original no longer says and underlines what is new: a word
    replaced, added or removed at the start, in the middle or at the end; punctuation changed, added or removed; a
    space that comes or goes before a mark; a change next to another behind a comma or a space is one change; a
    changed line break is none; accents, apostrophes, hyphens and decimals stay whole words."""
    found = translation.word_diff(before, after)
    assert found == runs
    assert gives_both_texts(before, after, found)


def test_a_long_text_changed_in_one_place_shows_that_word_only():
    """A long paragraph with one word changed: the runs are the words before it, the word, the words after."""
    words = [f"mot{i}" for i in range(3000)]
    before, after = " ".join(words), " ".join(words).replace(" mot1500 ", " autre ")
    found = translation.word_diff(before, after)
    assert found == [
        (E, " ".join(words[:1500]) + " "),
        (R, "mot1500"),
        (A, "autre"),
        (E, " " + " ".join(words[1501:])),
    ]
    assert gives_both_texts(before, after, found)


@pytest.mark.parametrize(
    ("most", "runs"),
    [
        (25, [(E, "le "), (R, "chat"), (A, "chien"), (E, " dort sur le "), (R, "lit"), (A, "canapé"), (E, " ce soir")]),
        (24, [(E, "le "), (R, "chat dort sur le lit"), (A, "chien dort sur le canapé"), (E, " ce soir")]),
        (0, [(E, "le "), (R, "chat dort sur le lit"), (A, "chien dort sur le canapé"), (E, " ce soir")]),
    ],
)
def test_past_the_most_pairs_of_words_the_changed_middle_is_one_change(monkeypatch, most, runs):
    """Past MAX_DIFF_TOKENS pairs of changed words (here 5 × 5 = 25), the middle between the equal ends is shown
    as removed, then added, at once; still both texts back."""
    monkeypatch.setattr(translation, "MAX_DIFF_TOKENS", most)
    before, after = "le chat dort sur le lit ce soir", "le chien dort sur le canapé ce soir"
    found = translation.word_diff(before, after)
    assert found == runs
    assert gives_both_texts(before, after, found)


# --------------------------------------------------------------------------- what changed, on one line


def brief(before: str, after: str, most: int = 70) -> str | None:
    return translation.change_in_brief(
        translation.Change(before, after, tuple(translation.word_diff(before, after))), most
    )


S = "Les plateformes paient chaque petite tâche quelques centimes à peine"
TWICE = ("Le clic paie. " + S + ". Le clic ment.", "Le like paie. " + S + ". Le like ment.")
THRICE = (TWICE[0] + " " + S + " donc.", TWICE[1] + " " + S + " alors.")


@pytest.mark.parametrize(
    ("before", "after", "most", "said"),
    [
        ("travail du clic", "travail du clic payé", 70, "“travail du clic” → “travail du clic payé”"),
        (
            S + ", et les travailleurs ne savent jamais pour qui ils travaillent vraiment.",
            S + ", et les travailleurs ignorent pour qui ils travaillent vraiment.",
            70,
            "“…et les travailleurs ne savent jamais pour qui ils travaillent vraiment.”"
            " → “…et les travailleurs ignorent pour qui ils travaillent vraiment.”",
        ),
        (
            "Souvent les plateformes paient chaque petite tâche quelques centimes à peine, sans contrat.",
            "Parfois les plateformes paient chaque petite tâche quelques centimes à peine, sans contrat.",
            70,
            "“Souvent les plateformes paient…” → “Parfois les plateformes paient…”",
        ),
        (
            S + ", sans contrat ni protection.",
            S + ", sans contrat ni assurance.",
            70,
            "“…sans contrat ni protection.” → “…sans contrat ni assurance.”",
        ),
        (
            "Les plateformes paient peu, et les travailleurs ne savent jamais pour qui ils travaillent vraiment.",
            "Les plateformes paient mal, et les travailleurs ne savent jamais pour qui ils travaillent vraiment.",
            70,
            "“Les plateformes paient peu, et les…” → “Les plateformes paient mal, et les…”",
        ),
        (
            "a b c d e f g h i j k l m n o p q r s t u v w x y z plus de mots",
            "a b c d e f g h changé j k l m n o p q r s t u v w x y z plus de mots",
            70,
            "“a b c d e f g h i j k l…” → “a b c d e f g h changé j k l…”",
        ),
        (
            *TWICE,
            70,
            "“Le clic paie. Les plateformes … à peine. Le clic ment.” → “Le like paie. Les plateformes … à peine. Le"
            " like ment.”",
        ),
        (*TWICE, 30, "“Le clic paie. Les plateformes…” → “Le like paie. Les plateformes…” (and 1 more change)"),
        (*THRICE, 30, "“Le clic paie. Les plateformes…” → “Le like paie. Les plateformes…” (and 2 more changes)"),
        (
            *THRICE,
            500,
            "“Le clic paie. Les plateformes … à peine. Le clic ment. Les plateformes … centimes à peine donc.” → “Le"
            " like paie. Les plateformes … à peine. Le like ment. Les plateformes … centimes à peine alors.”",
        ),
        (
            "Le clic paie.",
            "Le clic paie mal, très mal, parce que personne ne négocie jamais les tarifs.",
            20,
            "“Le clic paie.” → “Le clic paie mal, très mal, … jamais les tarifs.”",
        ),
        (
            "Le travail du clic est mal payé.\n",
            "Le travail du clic est très mal payé.\n",
            70,
            "“Le travail du clic est mal payé.” → “Le travail du clic est très mal payé.”",
        ),
        ("", "Un texte nouveau.", 70, "“” → “Un texte nouveau.”"),
        ("Un texte ancien.", "", 70, "“Un texte ancien.” → “”"),
        ("Oui, bref, chien dort", "chien dort", 70, "“Oui, bref, chien dort” → “chien dort”"),
        (
            "Le clic paie bien. Le clic ment.",
            "Le like paie bien. Le like ment.",
            20,
            "“Le clic paie bien. Le…” → “Le like paie bien. Le…” (and 1 more change)",
        ),
    ],
    ids=[
        "short, whole",
        "long, a change near the end: the words before it shortened",
        "long, a change at the start: the words after it shortened",
        "long, a change at the end",
        "six words or fewer on either side: whole",
        "more than six words but 30 characters or fewer: whole",
        "two changes, the words between shortened in the middle",
        "two changes, too long: the first, and 1 more change",
        "three changes, too long: the first, and 2 more changes",
        "three changes, a wider limit: all",
        "one change, too long: still whole, its long run shortened",
        "a text ending in a line break: no space before the closing quote",
        "a text that was empty",
        "a text now empty",
        "words removed at the start, with the space after them",
        "two changes, too long: a few words between them, then “…”",
    ],
)
def test_a_stale_text_s_change_is_said_on_one_line(before, after, most, said):
    """`lessonkit status` says what changed in the original on the text's line: the words changed, a few words of
    context on either side (the rest “…”), the first change only (and how many more) when it is still too long."""
    assert brief(before, after, most) == said


def test_the_limit_of_the_line_counts_characters_of_either_side():
    """All changes are said while both sides, as said, are at most ``most`` characters long; the first only as soon
    as either is longer (here the side of the text then, the longer one)."""
    before, after = "Le travail du clic paie. " + S + ". Le clic ment.", "Le like paie. " + S + ". Le like ment."
    whole = brief(before, after, 500)
    assert whole == (
        "“Le travail du clic paie. Les plateformes … à peine. Le clic ment.” → “Le like paie. Les plateformes … à"
        " peine. Le like ment.”"
    )
    then, now = whole.removeprefix("“").removesuffix("”").split("” → “")
    assert len(then) > len(now)
    assert brief(before, after, len(then)) == whole
    first = "“Le travail du clic paie. Les plateformes…” → “Le like paie. Les plateformes…” (and 1 more change)"
    assert brief(before, after, len(then) - 1) == first
    assert brief(before, after, len(now)) == first
    # the other way round: the side of the text now is the longer one
    assert brief(after, before, len(then)) == f"“{now}” → “{then}”"
    assert brief(after, before, len(then) - 1).endswith("(and 1 more change)")


@pytest.mark.parametrize(
    ("run", "shown"),
    [
        ("", ""),
        ("a" * 40, "a" * 40),
        ("un deux trois quatre cinq six sept huit", "un deux trois quatre cinq six sept huit"),
        ("a" * 41, "a" * 20 + "…" + "a" * 20),
        ("anticonstitutionnellementanticonstitutionnellement", "anticonstitutionnell…onstitutionnellement"),
        (
            "un deux trois quatre cinq six sept huit neuf dix onze douze treize",
            "un deux trois … dix onze douze treize",
        ),
        ("un deux trois quatre cinq six sept huit neuf dix onze", "un deux trois … sept huit neuf dix onze"),
        ("mots mots mots mots mots mots mots mots fin", "mots mots mots mots … mots mots mots fin"),
        ("abcdefghijklmnopqr " + "x" * 30, "abcdefghijklmnopqr …"),
        ("abcdefghijklmnopqrs " + "x" * 30, "abcdefghijklmnopqrs …"),
        ("abcdefghijklmnopqrst " + "x" * 30, "abcdefghijklmnopqrst…xxxxxxxxxxxxxxxxxxxx"),
    ],
    ids=[
        "empty",
        "40 characters: whole",
        "a few words: whole",
        "41 characters in one word: its ends",
        "one long word: its first and last 20 characters",
        "many words: the first under 20 characters, the last up to 40",
        "the last words as many as fit",
        "repeated words",
        "a last word too long to end with: the first words and “…”",
        "a first word of 19 characters",
        "a first word of 20 characters: as one long word",
    ],
)
def test_a_long_changed_run_is_shortened_to_its_first_and_last_words(run, shown):
    """A change longer than 40 characters is said by its first words (under 20 characters), “…”, and its last
    words; one long word by its first and last 20 characters; never a dangling “… ” with nothing after it."""
    assert translation._shortened(run) == shown


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (
            "aaa bbb ccc ddd eee fff ggggg",  # 7 words, 30 characters with the space after them
            [
                "“aaa bbb ccc ddd eee fff ggggg chat.” → “aaa bbb ccc ddd eee fff ggggg chien.”",
                "“Le chat aaa bbb ccc ddd eee fff ggggg” → “Le chien aaa bbb ccc ddd eee fff ggggg”",
                "“Le chat aaa bbb ccc … eee fff ggggg dort.” → “Le chien aaa bbb ccc … eee fff ggggg mange.”",
            ],
        ),
        (
            "aaa bbb ccc ddd eee fff gggggg",  # 7 words, 31 characters
            [
                "“…eee fff gggggg chat.” → “…eee fff gggggg chien.”",
                "“Le chat aaa bbb ccc…” → “Le chien aaa bbb ccc…”",
                "“Le chat aaa bbb ccc … eee fff gggggg dort.” → “Le chien aaa bbb ccc … eee fff gggggg mange.”",
            ],
        ),
        (
            "aaaaaa bbbbbb cccccc dddddd eeeeee ffffff",  # 6 words, 41 characters
            [
                "“aaaaaa bbbbbb cccccc dddddd eeeeee ffffff chat.” → “aaaaaa bbbbbb cccccc dddddd eeeeee ffffff"
                " chien.”",
                "“Le chat aaaaaa bbbbbb cccccc dddddd eeeeee ffffff” → “Le chien aaaaaa bbbbbb cccccc dddddd eeeeee"
                " ffffff”",
                "“Le chat aaaaaa bbbbbb cccccc dddddd eeeeee ffffff dort.” → “Le chien aaaaaa bbbbbb cccccc dddddd"
                " eeeeee ffffff mange.”",
            ],
        ),
    ],
    ids=["7 words in 30 characters: whole", "7 words in 31 characters: shortened", "6 words: whole"],
)
def test_unchanged_words_are_shortened_past_six_words_and_30_characters(words, said):
    """The unchanged words around a change are said whole when they are six words or fewer, or 30 characters or
    fewer; longer, only the three nearest the change (at the start, the end, or on either side between changes)."""
    assert [
        brief(words + " chat.", words + " chien."),
        brief("Le chat " + words, "Le chien " + words),
        brief("Le chat " + words + " dort.", "Le chien " + words + " mange."),
    ] == said


def test_a_record_of_exactly_2_mb_with_its_texts_keeps_them(texts, monkeypatch):
    """The limit is the size written: a record exactly that size keeps its texts; one byte less, the fingerprints
    alone are written, one per line like every record."""
    assert record(texts) == 3
    path = texts.with_name("en-GB.translated.json")
    written = path.read_text(encoding="utf-8")
    monkeypatch.setattr(translation, "MAX_RECORD_BYTES", len(written.encode("utf-8")))
    assert record(texts) == 3
    assert path.read_text(encoding="utf-8") == written
    monkeypatch.setattr(translation, "MAX_RECORD_BYTES", len(written.encode("utf-8")) - 1)
    assert record(texts) == 3
    assert path.read_text(encoding="utf-8") == (
        '{\n "original": "fr",\n "fields": {\n'
        f'  "sections[one].body.1": "{translation.fingerprint("Premier paragraphe.")}",\n'
        f'  "sections[two].body.1": "{translation.fingerprint("Second paragraphe.")}",\n'
        f'  "title": "{translation.fingerprint("Un titre")}"\n'
        " }\n}\n"
    )


class LatinLocalePath(type(Path())):
    """A path on a computer whose locale is not UTF-8 (Windows' cp1252): a text read or written without naming
    its encoding is in cp1252."""

    def write_text(self, data, encoding=None, errors=None, newline=None):
        return super().write_text(data, encoding or "cp1252", errors, newline)

    def read_text(self, encoding=None, errors=None):
        return super().read_text(encoding or "cp1252", errors)


def test_the_record_is_utf_8_whatever_the_computer_s_locale(texts):
    """A record is committed and read on other computers: it is written and read in UTF-8 on any computer, so the
    original's “« élevé »” written on Windows is read back as typed, and a record written elsewhere is read."""
    edit(texts.with_name("fr.yaml"), "title: Un titre", "title: Un titre « élevé » — œuvre")
    latin = LatinLocalePath(texts)
    original = read_source(texts.with_name("fr.yaml"))[0]
    assert translation.write_record(latin, "fr", original, read_source(texts)[0]) == 3
    assert "« élevé » — œuvre" in texts.with_name("en-GB.translated.json").read_bytes().decode("utf-8")
    assert translation.load_record(latin).texts["title"] == "Un titre « élevé » — œuvre"
    assert translation.record_problem(latin) is None


def test_a_word_as_common_as_le_is_still_matched_in_a_long_text():
    """In a long paragraph, “le” (a word found everywhere) between two changes is still an unchanged word: the two
    changes around it are shown apart, not as one change of three words."""
    middle = " ".join(f"le mot{i}" for i in range(100))
    before = f"Avant {middle} un le deux {middle} fin."
    after = f"Après {middle} trois le quatre {middle} enfin."
    found = translation.word_diff(before, after)
    assert [kind for kind, _ in found] == [R, A, E, R, A, E, R, A, E, R, A, E]
    assert found[3:8] == [(R, "un"), (A, "trois"), (E, " le "), (R, "deux"), (A, "quatre")]
    assert gives_both_texts(before, after, found)


def test_status_says_every_change_of_a_text_up_to_70_characters():
    """`lessonkit status` (the default limit): a change said in 70 characters is said whole; in 71, the first only."""
    after = "Le like paie. " + S + ". Le like ment."

    def said(before: str) -> str | None:
        return translation.change_in_brief(
            translation.Change(before, after, tuple(translation.word_diff(before, after)))
        )

    assert said("Le beau travail du clic paie. " + S + ". Le clic ment.") == (
        "“Le beau travail du clic paie. Les plateformes … à peine. Le clic ment.” → “Le like paie. Les plateformes …"
        " à peine. Le like ment.”"
    )
    assert said("Le grand travail du clic paie. " + S + ". Le clic ment.") == (
        "“Le grand travail du clic paie. Les plateformes…” → “Le like paie. Les plateformes…” (and 1 more change)"
    )
