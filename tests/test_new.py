"""``lessonkit new``: a starter lesson with every kind of part, explained, that checks and builds (issue 11)."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from lessonkit.cli import main
from lessonkit.schema import schema_text

PARTS = (  # every kind of part, each once
    ("sections", 0, "subsections"),
    ("sections", 0, "figures"),
    ("sections", 0, "boxes"),
    ("sections", 0, "footnotes"),
    ("sections", 0, "slide_points"),
    ("sections", 0, "teacher_notes"),
    ("activity", "materials"),
    ("activity", "questions", 0, "points"),
    ("activity", "questions", 0, "key_points"),
    ("activity", "teacher_instructions"),
    ("resources",),
    ("glossary",),
    ("closing",),
)
# A word of the comments, in each language the comments are written in.
COMMENT_WORD = {"fr": "diapositive", "en": "slide", "de": "Folie", "it": "slide"}


def _new(tmp_path, *arguments: str) -> int:
    return main(["--root", str(tmp_path), "new", *arguments])


@pytest.mark.parametrize("language", ["fr", "en", "de", "it", "de-CH"])
def test_a_starter_lesson_checks_without_a_warning_and_validates_in_the_editor(tmp_path, capsys, language):
    assert _new(tmp_path, "my-lesson", "--lang", language) == 0
    path = tmp_path / "sources" / "lessons" / "my-lesson" / f"{language}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../schema/lesson.schema.json"
    assert (tmp_path / "schema" / "lesson.schema.json").is_file()  # what the first line points at
    assert (path.parent / "assets" / "picture.svg").is_file()
    assert COMMENT_WORD[language.split("-")[0]] in " ".join(line for line in text.splitlines() if "#" in line)
    capsys.readouterr()

    assert main(["--root", str(tmp_path), "check"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "no problems" in captured.out

    data = yaml.safe_load(text)
    jsonschema.Draft7Validator(json.loads(schema_text("lesson"))).validate(data)
    for part in PARTS:
        value = data
        for key in part:
            value = value[key]
        assert value, part


def test_the_title_is_kept_as_typed(tmp_path):
    title = 'Photosynthèse : la "lumière" #1'
    assert _new(tmp_path, "plants", "--lang", "fr", "--title", title) == 0
    data = yaml.safe_load((tmp_path / "sources" / "lessons" / "plants" / "fr.yaml").read_text(encoding="utf-8"))
    assert data["title"] == title


def test_new_never_overwrites_and_refuses_what_it_cannot_write(tmp_path, capsys):
    assert _new(tmp_path, "plants") == 0
    path = tmp_path / "sources" / "lessons" / "plants" / "fr.yaml"
    path.write_text("my own work\n", encoding="utf-8")
    assert _new(tmp_path, "plants") == 2
    assert path.read_text(encoding="utf-8") == "my own work\n"
    assert "already exists" in capsys.readouterr().err
    assert _new(tmp_path, "Plants") == 2
    assert _new(tmp_path, "plants", "--lang", "xx") == 2
    assert "lessonkit cannot print" in capsys.readouterr().err


def test_a_starter_lesson_builds(tmp_path, capsys):
    assert _new(tmp_path, "my-lesson", "--lang", "en", "--title", "Plants") == 0
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "build", "--jobs", "1"]) == 0
    assert "warning" not in capsys.readouterr().err
    for name in ("worksheet.pdf", "answer-key.pdf", "slides.pptx"):
        assert (tmp_path / "outputs" / "my-lesson" / "en" / name).is_file()
