"""The README's promises about the command line, run in-process on fixture projects.

Covered: ``translated --field``, the “missing” state of ``status``, a
non-strict build of an unfinished translation listing what is left, exit code
1 on an internal error, ``LESSON`` given as a source file path, and what
``--quiet`` and ``--verbose`` print. Each docstring quotes the promise.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from lessonkit.cli import main
from lessonkit.model import UNTRANSLATED_MARKER

from .conftest import ALL_OUTPUTS, SAMPLE_LESSON, Project
from .projects import ORIGINAL, TRANSLATION, write

LESSON = Path("sources/lessons/parity")


@pytest.fixture
def pair(tmp_path, monkeypatch) -> Path:
    """The “parity” lesson, French original and complete English translation; the working folder is the project."""
    write(tmp_path / LESSON / "fr.yaml", ORIGINAL)
    write(tmp_path / LESSON / "en-GB.yaml", TRANSLATION)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def status_counts(out: str, language: str = "en-GB") -> dict[str, int]:
    """The status table's row of a translation: missing, not yet translated, stale, not marked yet, translated."""
    [row] = [line for line in out.splitlines() if line.startswith(language + " ")]
    numbers = [int(n) for n in row.split()[-5:]]
    return dict(zip(("missing", "untranslated", "stale", "unrecorded", "translated"), numbers, strict=True))


def states(out: str) -> dict[str, str]:
    """field path → state word, from status's detail lines ``file:line:col: path: state``."""
    found = re.findall(r"^sources/lessons/parity/en-GB\.yaml:\d+:\d+: (\S+): (.+)$", out, re.MULTILINE)
    return {field: state.split(" (")[0] for field, state in found}


# --------------------------------------------------------------------------- translations


def test_translated_field_records_only_the_fields_named(pair, capsys):
    """README: `translated LESSON --lang LANG [--field PATH …]` records which version of the original each
    finished text translates; with --field, only those texts."""
    assert (
        main(["translated", "parity", "--lang", "en-GB", "--field", "title", "--field", "sections[suite].heading"]) == 0
    )
    assert "2 text(s) recorded" in capsys.readouterr().out
    record = json.loads((pair / LESSON / "en-GB.translated.json").read_text(encoding="utf-8"))
    assert record["original"] == "fr" and set(record["fields"]) == {"title", "sections[suite].heading"}
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert status_counts(out)["translated"] == 2
    detail = states(out)
    assert "title" not in detail and "sections[suite].heading" not in detail  # done: not listed
    assert detail["sections[intro].heading"] == "not marked yet"  # not named: still to record, never stale
    assert main(["translated", "parity", "--lang", "en-GB"]) == 0  # without --field: every finished text
    capsys.readouterr()
    assert main(["status", "--strict"]) == 0
    assert "Every translation is complete and up to date." in capsys.readouterr().out


def test_status_shows_a_missing_text_with_file_and_line(pair, capsys):
    """README: `status` shows, for every translation, how many texts are … missing …, with the file and line
    of each. The translation leaves out a text the original has (credits.source)."""
    write(pair / LESSON / "en-GB.yaml", TRANSLATION.replace("  source: A school sheet\n", ""))
    assert main(["translated", "parity", "--lang", "en-GB"]) == 0
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    # 15: the licence is not a text to translate (it is taken from the original)
    assert status_counts(out) == {"translated": 15, "missing": 1, "untranslated": 0, "stale": 0, "unrecorded": 0}
    assert states(out) == {"credits.source": "missing"}
    line = TRANSLATION.replace("  source: A school sheet\n", "").splitlines().index("credits:") + 2
    assert re.search(rf"^sources/lessons/parity/en-GB\.yaml:{line}:\d+: credits\.source: missing$", out, re.MULTILINE)
    assert main(["status", "--strict"]) == 2


def test_status_says_what_changed_in_a_stale_text(pair, capsys):
    """README: `status` shows … stale texts (the original changed since) …; a stale text's line also says, in
    brief, what the original said when the text was marked and what it says now, on the same line."""
    assert main(["translated", "parity", "--lang", "en-GB"]) == 0
    write(pair / LESSON / "fr.yaml", ORIGINAL.replace("- Un autre paragraphe.", "- Un autre paragraphe, revu."))
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert states(out) == {"sections[suite].body.1": "stale"}  # the state word first, as before
    line = TRANSLATION.splitlines().index("      - Another paragraph.") + 1
    said = "“Un autre paragraphe.” → “Un autre paragraphe, revu.”"
    assert re.search(
        rf"^sources/lessons/parity/en-GB\.yaml:{line}:\d+: sections\[suite\]\.body\.1: "
        rf"stale \(the original changed since\): {re.escape(said)}$",
        out,
        re.MULTILINE,
    )
    # marked again: translated, and nothing more said
    assert main(["translated", "parity", "--lang", "en-GB"]) == 0
    capsys.readouterr()
    assert main(["status", "--strict"]) == 0


def test_a_non_strict_build_of_an_unfinished_translation_works_and_lists_what_is_left(pair, capsys):
    """README: “A build of an unfinished translation works, and lists what is left.” (and `build --strict` fails)."""
    marked = f"title: '{UNTRANSLATED_MARKER}Une leçon'"
    unfinished = TRANSLATION.replace("title: A lesson", marked)
    write(pair / LESSON / "en-GB.yaml", unfinished)
    assert main(["translated", "parity", "--lang", "en-GB"]) == 0
    capsys.readouterr()
    assert main(["build", "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    line = unfinished.splitlines().index(marked) + 1
    assert re.search(rf"^sources/lessons/parity/en-GB\.yaml:{line}:\d+: title: not yet translated$", err, re.MULTILINE)
    assert len([line for line in err.splitlines() if line.startswith("sources/lessons/parity/en-GB.yaml:")]) == 1
    for language in ("fr", "en-GB"):
        assert {p.name for p in (pair / "outputs" / "parity" / language).iterdir()} == set(ALL_OUTPUTS)
    assert main(["build", "--jobs", "1", "--strict", "--force", "--out", "strict"]) == 2
    assert "not yet translated" in capsys.readouterr().err
    assert not (pair / "strict").exists()


# --------------------------------------------------------------------------- exit codes and selection


@pytest.fixture
def sample(tmp_path, monkeypatch) -> Project:
    project = Project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return project


def test_an_internal_error_exits_1_and_changes_nothing(sample, capsys, monkeypatch):
    """README: “Exit codes: 0 all good, 2 a source (or an argument) is wrong, 1 an internal error.”
    A bug of ours (forced here in the loader) is an internal error: exit 1, said in one line, no traceback,
    and outputs built before are left as they were."""
    assert main(["build", "--jobs", "1", "--quiet"]) == 0
    outputs = sorted((sample.root / "outputs" / "sample" / "fr").iterdir())
    before = {path: path.read_bytes() for path in outputs}

    def broken(*args, **kwargs):
        raise RuntimeError("planted bug")

    monkeypatch.setattr("lessonkit.loader.load_document", broken)
    sample.replace_line(3, "title: Une autre leçon")  # something to rebuild
    capsys.readouterr()
    assert main(["build", "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: planted bug" in err and "Traceback" not in err
    assert {path: path.read_bytes() for path in outputs} == before


def test_an_internal_error_in_check_exits_1(sample, capsys, monkeypatch):
    """README: exit code 1 for an internal error, whatever the command."""

    def broken(*args, **kwargs):
        raise KeyError("planted")

    monkeypatch.setattr("lessonkit.loader.check_all", broken)
    assert main(["check"]) == 1
    assert "internal error: KeyError" in capsys.readouterr().err


def test_exit_code_2_for_a_wrong_source_is_not_1(sample, capsys):
    """README: exit code 2 when a source is wrong (the other side of the internal-error promise)."""
    sample.replace_line(6, "duration: x")
    assert main(["build", "--jobs", "1"]) == 2


def test_lesson_given_as_a_source_file_path(sample, capsys):
    """README: “LESSON is a lesson id (digital-labor) or a source file path.” Only that file's language
    is built, whether the path is relative to the working folder or absolute."""
    write(sample.lesson_dir / "de-CH.yaml", SAMPLE_LESSON.replace("language: fr", "language: de-CH"))
    assert main(["build", "--jobs", "1", "sources/lessons/sample/fr.yaml"]) == 0
    assert {p.name for p in (sample.root / "outputs" / "sample").iterdir()} == {"fr"}
    assert main(["build", "--jobs", "1", str(sample.root / "sources/lessons/sample/de-CH.yaml")]) == 0
    assert {p.name for p in (sample.root / "outputs" / "sample").iterdir()} == {"fr", "de-CH"}
    capsys.readouterr()
    assert main(["check", "sources/lessons/sample/fr.yaml"]) == 0
    assert "1 source file(s) checked: no problems." in capsys.readouterr().out


# --------------------------------------------------------------------------- --quiet and --verbose

LONG_ANSWER = "answer: " + " ".join(["Une réponse beaucoup trop longue pour une seule ligne."] * 12)


def test_default_output_lists_every_output_built(sample, capsys):
    """README: the build says what it did: each output with its pages, then a summary."""
    assert main(["build", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    for name in ("worksheet.pdf", "answer-key.pdf", "slides.pptx"):
        assert re.search(rf"^  outputs/sample/fr/{re.escape(name)}  \d+ (pages|slides)", out, re.MULTILINE)
    for name in ALL_OUTPUTS:
        assert re.search(rf"^  outputs/sample/fr/{re.escape(name)}  ", out, re.MULTILINE)
    assert f"{len(ALL_OUTPUTS)} output(s) built into outputs" in out


def test_quiet_prints_only_problems(sample, capsys):
    """README: “--quiet (only problems)”: nothing for a good build or an up-to-date one; warnings and
    mistakes still."""
    assert main(["build", "--jobs", "1", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["build", "--jobs", "1", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    sample.replace_line(34, "      " + LONG_ANSWER)  # the first question's answer, far longer than its 4 lines
    assert main(["build", "--jobs", "1", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    warnings = [line for line in err.splitlines() if line.startswith("sources/lessons/sample/fr.yaml: warning: ")]
    assert len(warnings) == 1 and "“first”" in warnings[0], err  # the answer too long for its lines, by name
    sample.replace_line(6, "duration: x")
    assert main(["build", "--jobs", "1", "--quiet"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "sources/lessons/sample/fr.yaml:6:11: duration:" in err


@pytest.fixture
def noisy_weasyprint(monkeypatch):
    """WeasyPrint makes one remark of its own (as it does for a CSS property it ignores) while laying out."""
    import weasyprint

    remark = "Ignored `hyphens-whatever` at 1:1, unknown property."
    original = weasyprint.HTML.render

    def render(self, *args, **kwargs):
        logging.getLogger("weasyprint").warning(remark)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    return remark


def test_verbose_adds_the_renderers_own_warnings(sample, capsys, noisy_weasyprint):
    """README: “--verbose (also the renderers' own warnings)”: WeasyPrint's remarks are shown with --verbose
    only, named as WeasyPrint's."""
    assert main(["build", "--jobs", "1"]) == 0
    assert noisy_weasyprint not in capsys.readouterr().err
    assert main(["build", "--jobs", "1", "--force", "--verbose"]) == 0
    err = capsys.readouterr().err
    assert f"sources/lessons/sample/fr.yaml: warning: WeasyPrint: {noisy_weasyprint}" in err
