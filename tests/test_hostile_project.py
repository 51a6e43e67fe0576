"""Hostile files around a lesson: each is reported with file, line and field, the other lessons still
check and build, and no command reads or writes outside ``sources/`` and the output folder (issue 10)."""

from __future__ import annotations

import json

import pytest

from lessonkit.cli import main

from .conftest import ALL_OUTPUTS, SAMPLE_LESSON, Project

TRANSLATION = SAMPLE_LESSON.replace("language: fr", "language: de\ntranslated_from: fr")
DEEP = "title:\n" + "".join(" " * (2 * i) + "- \n" for i in range(1, 600))


def run(project: Project, capsys, monkeypatch, *command: str) -> tuple[int, str]:
    monkeypatch.chdir(project.root)
    capsys.readouterr()
    code = main(["--root", str(project.root), *command])
    return code, capsys.readouterr().err


def write(project: Project, name: str, text: str):
    path = project.lesson_dir / name
    path.write_text(text, encoding="utf-8")
    return path


# (case, files to add beside the sample: name → text, the line expected in stderr)
BAD_FILES = [
    ("nesting 600 levels deep", {"de.yaml": DEEP}, "sources/lessons/sample/de.yaml:33:"),
    ("flow nesting 600 deep", {"de.yaml": "title: " + "[" * 600 + "]" * 600}, "sources/lessons/sample/de.yaml:1:"),
    (
        "translated_from leading out",
        {"de.yaml": TRANSLATION.replace("translated_from: fr", "translated_from: ../fr")},
        "sources/lessons/sample/de.yaml:3:18: translated_from: “../fr” is not a language code",
    ),
    (
        "translated_from of 300 characters",
        {"de.yaml": TRANSLATION.replace("translated_from: fr", "translated_from: " + "a" * 300)},
        "sources/lessons/sample/de.yaml:3:18: translated_from:",
    ),
    ("file name of 250 characters", {"a" * 250 + ".yaml": SAMPLE_LESSON}, "must be a language code, like fr.yaml"),
    (
        "record with null fields",
        {"de.yaml": TRANSLATION, "de.translated.json": '{"fields": null}'},
        "sources/lessons/sample/de.translated.json:1:1: de.translated.json is damaged",
    ),
    (
        "record nested 600 levels deep",
        {"de.yaml": TRANSLATION, "de.translated.json": '{"fields": ' + "[" * 600 + "]" * 600 + "}"},
        "sources/lessons/sample/de.translated.json:1:1: de.translated.json is damaged",
    ),
    (
        "record that is not JSON",
        {"de.yaml": TRANSLATION, "de.translated.json": "\xff{"},
        "sources/lessons/sample/de.translated.json:1:1: de.translated.json is damaged",
    ),
    (
        "reading id leading out",
        {"de.yaml": TRANSLATION.replace("readings: []", "readings: [../../victim]")},
        "sources/lessons/sample/de.yaml:41:12: readings.1: “../../victim” is not a valid id",
    ),
    (
        "reading id of 300 characters",
        {"de.yaml": TRANSLATION.replace("readings: []", f"readings: [{'a' * 300}]")},
        "sources/lessons/sample/de.yaml:41:12: readings.1: this text has 300 characters; at most 64",
    ),
]


@pytest.mark.parametrize(("case", "files", "expected"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_reported_and_the_others_still_check(project, capsys, monkeypatch, case, files, expected):
    for name, text in files.items():
        write(project, name, text)
    other = project.root / "sources" / "lessons" / "other"
    other.mkdir()
    (other / "fr.yaml").write_text(SAMPLE_LESSON.replace("id: sample", "id: other"), encoding="utf-8")
    code, err = run(project, capsys, monkeypatch, "check")
    assert code == 2, err
    assert expected in err
    assert "internal error" not in err
    assert "sources/lessons/other/fr.yaml:24:" in err  # the other lesson was checked: its image is missing


def test_every_bad_file_at_once_still_builds_the_good_lesson(project, capsys, monkeypatch):
    write(project, "de.yaml", DEEP)
    write(project, "it.yaml", TRANSLATION.replace("language: de", "language: it").replace(": fr", ": ../fr"))
    write(project, "es.yaml", TRANSLATION.replace("language: de", "language: es"))
    write(project, "es.translated.json", '{"fields": null}')
    write(project, "a" * 250 + ".yaml", SAMPLE_LESSON)
    code, err = run(project, capsys, monkeypatch, "build", "--jobs", "1")
    assert code == 2, err
    for name in ("de.yaml", "it.yaml", "es.translated.json", "a" * 250 + ".yaml"):
        assert f"sources/lessons/sample/{name}:" in err
    assert "internal error" not in err
    built = sorted(p.name for p in (project.root / "outputs" / "sample" / "fr").iterdir())
    assert built == list(ALL_OUTPUTS)
    assert run(project, capsys, monkeypatch, "status")[0] == 0


def test_translate_never_follows_a_reading_id_out_of_sources(project, capsys, monkeypatch, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "fr.yaml").write_text("id: victim\n", encoding="utf-8")
    project.write(SAMPLE_LESSON.replace("readings: []", "readings: [../../victim]"))
    code, err = run(project, capsys, monkeypatch, "translate", "sample", "--to", "it")
    assert code == 2 and "readings.1" in err and "not a valid id" in err
    assert not (victim / "it.yaml").exists()
    assert not (project.lesson_dir / "it.yaml").exists()


def test_translate_never_writes_through_a_reading_folder_that_is_a_symlink_out(project, capsys, monkeypatch, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "fr.yaml").write_text("id: linked\n", encoding="utf-8")
    readings = project.root / "sources" / "readings"
    readings.mkdir(parents=True)
    (readings / "linked").symlink_to(outside)
    project.write(SAMPLE_LESSON.replace("readings: []", "readings: [linked]"))
    code, err = run(project, capsys, monkeypatch, "translate", "sample", "--to", "it")
    assert code == 2 and "leads outside" in err
    assert not (outside / "it.yaml").exists()
    assert not (project.lesson_dir / "it.yaml").exists()  # nothing is written unless everything can be


@pytest.mark.parametrize(
    "arguments",
    [
        ["translate", "../../sample", "--to", "it"],
        ["translate", "sample", "--to", "../../it"],
        ["translate", "sample", "--to", "it", "--from", "../../../../etc/fr"],
        ["translate", "sample", "--to", "pt"],  # no labels in Portuguese
        ["translated", "sample", "--lang", "../../x"],
    ],
)
def test_translate_takes_only_ids_and_language_codes(project, capsys, monkeypatch, arguments):
    before = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    code, err = run(project, capsys, monkeypatch, *arguments)
    assert code == 2, err
    assert "lessonkit:" in err and "internal error" not in err
    assert sorted(p.relative_to(project.root) for p in project.root.rglob("*")) == before


def test_a_translation_record_is_written_beside_the_translation_only(project, capsys, monkeypatch):
    assert run(project, capsys, monkeypatch, "translate", "sample", "--to", "it")[0] == 0
    assert run(project, capsys, monkeypatch, "translated", "sample", "--lang", "it")[0] == 0
    record = json.loads((project.lesson_dir / "it.translated.json").read_text(encoding="utf-8"))
    assert record["original"] == "fr"


@pytest.mark.parametrize("out", ["/", ".", "..", "sources", "sources/lessons", "layouts", "a-file"])
def test_out_cannot_be_the_root_the_project_or_its_sources(project, capsys, monkeypatch, out):
    (project.root / "a-file").write_text("keep me", encoding="utf-8")
    code, err = run(project, capsys, monkeypatch, "build", "--out", out)
    assert code == 2, err
    assert "--out" in err and "nothing was built" in err
    assert not list(project.root.rglob("*.pdf"))
