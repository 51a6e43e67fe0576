"""Shared fixtures: a small valid project written into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lessonkit.formats import FORMATS

from .browser import browser  # noqa: F401 (Debian's Chromium, a fixture for every test module)

ROOT = Path(__file__).resolve().parent.parent
# every output a default build makes for one lesson edition (formats.FORMATS), sorted by name
ALL_OUTPUTS = tuple(sorted(name for fmt in FORMATS.values() for name in fmt.outputs))

# The shipped lesson, named: tests about it never depend on which other lessons or translations a
# teacher adds to sources/ (a one-page lesson, a new translation being written).
SHIPPED_LESSON = "digital-labor"
SHIPPED_READING = "casilli-2016"
SHIPPED_LANGUAGES = ("fr", "en-GB", "de-CH")
SHIPPED_LESSON_FILES = tuple(
    ROOT / "sources" / "lessons" / SHIPPED_LESSON / f"{lang}.yaml" for lang in SHIPPED_LANGUAGES
)
SHIPPED_READING_FILES = tuple(
    ROOT / "sources" / "readings" / SHIPPED_READING / f"{lang}.yaml" for lang in SHIPPED_LANGUAGES
)
SHIPPED_FILES = SHIPPED_LESSON_FILES + SHIPPED_READING_FILES


def copy_shipped(target: Path) -> Path:
    """A project holding the shipped lesson and its reading in the shipped languages only."""
    for files in (SHIPPED_LESSON_FILES, SHIPPED_READING_FILES):
        folder = files[0].parent
        destination = target / "sources" / folder.relative_to(ROOT / "sources")
        destination.mkdir(parents=True, exist_ok=True)
        if (folder / "assets").is_dir():
            shutil.copytree(folder / "assets", destination / "assets")
        for path in files:
            shutil.copy2(path, destination / path.name)
            record = path.with_name(f"{path.stem}.translated.json")
            if record.is_file():
                shutil.copy2(record, destination / record.name)
    return target


# A minimal valid lesson. Its line numbers matter: the broken-input table refers to them.
SAMPLE_LESSON = """\
id: sample
language: fr
title: Une leçon
level: Secondaire II
subject: Éducation numérique
duration: 45
credits:
  licence: CC BY-SA 4.0
sections:
  - id: intro
    heading: Introduction
    icon: globe
    body:
      - Un paragraphe avec une note.[^note]
    footnotes:
      - id: note
        text: Une note.
    slide_points:
      - Un point
    figures:
      - id: picture
        caption: Une image
        alt: Un dessin
        image: assets/picture.svg
activity:
  title: En classe
  duration: 45
  mode: unplugged
  instructions:
    - Lire le texte.
  questions:
    - id: first
      prompt: Pourquoi ?
      answer: Parce que.
      lines: 4
    - id: second
      prompt: Comment ?
      answer: Ainsi.
      lines: 3
readings: []
"""

SAMPLE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>x</title></svg>\n'


class Project:
    """A throw-away project folder with one lesson, ``sample`` in French."""

    def __init__(self, root: Path):
        self.root = root
        self.lesson_dir = root / "sources" / "lessons" / "sample"
        (self.lesson_dir / "assets").mkdir(parents=True)
        (self.lesson_dir / "assets" / "picture.svg").write_text(SAMPLE_SVG, encoding="utf-8")
        self.lesson_path = self.lesson_dir / "fr.yaml"
        self.write(SAMPLE_LESSON)

    def write(self, text: str | bytes) -> Path:
        if isinstance(text, str):
            text = text.encode("utf-8")
        self.lesson_path.write_bytes(text)
        return self.lesson_path

    def replace_line(self, number: int, new: str) -> Path:
        lines = SAMPLE_LESSON.splitlines(keepends=True)
        lines[number - 1] = new + "\n"
        return self.write("".join(lines))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)
