"""Fixture projects for black-box tests: lessons written into a temporary folder, built with the CLI.

Nothing here depends on the lessons shipped in ``sources/``; every text is
chosen so that a test can find it again in the outputs.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PIL import Image

from lessonkit.cli import main

# Texts a test looks for in the outputs.
HTML_BODY = "Balises <b>x</b> et <br/> telles quelles."
HTML_POINT = "Balise <b>x</b> visible"
SHORT_URL = "https://a.ch"  # short enough that segno.make would choose a Micro QR
RESOURCE_URLS = ("https://b.ch", "https://c.ch/d")
QUESTION_LINES = {"first": 4, "second": 7, "third": 2}
PNG_SIZE, JPEG_SIZE = (400, 300), (360, 240)
CHART_VALUES = (1234.5, 6.2)
POINTS = 1.5
PRESENTED = "2016-09-09"
# Six slide points of twelve long words: more than one slide holds at 20 pt.
LONG_POINTS = tuple(" ".join([f"point{n}", *["anticonstitutionnellement"] * 11]) for n in range(1, 7))
LONG_BODY = "Le texte entier de la section longue, pour les notes."

LESSON = """\
id: {id}
language: {language}
title: Leçon {language}
level: Secondaire II
subject: Éducation numérique
duration: 45
credits:
  authors: [Camille Exemple]
  licence: CC BY-SA 4.0
sections:
  - id: intro
    heading: Introduction
    icon: globe
    body:
      - "{html_body}"
    slide_points:
      - "{html_point}"
    figures:
      - id: photo-png
        caption: Une photo PNG
        alt: Un rectangle rouge
        image: assets/photo.png
      - id: photo-jpeg
        caption: Une photo JPEG
        alt: Un rectangle bleu
        image: assets/photo.jpg
      - id: numbers
        caption: Des nombres
        alt: Deux barres
        chart:
          categories: [Avant, Après]
          values: [{chart_values}]
          unit: "%"
          series: Une mesure
          source: Une source
  - id: long
    heading: Longue
    body:
      - "{long_body}"
    slide_points:
{long_points}activity:
  title: En classe
  duration: 20
  mode: unplugged
  materials:
    - title: Un site très court
      url: {short_url}
  instructions:
    - Lire puis répondre.
  questions:
    - id: first
      prompt: Première question ?
      answer: Une réponse.
      lines: {first}
      points: {points}
    - id: second
      prompt: Deuxième question ?
      answer: Une autre réponse.
      lines: {second}
resources:
  - title: Premier site
    url: {resource_0}
  - title: Second site
    url: {resource_1}
readings: [text]
"""

READING = """\
id: text
language: {language}
title: Un texte
authors:
  - name: Ada Exemple
year: 2016
first_presented:
  event: Un colloque
  place: Cerisy
  date: {presented}
summary_credits:
  authors: [Équipe]
  licence: CC BY-SA 4.0
thesis: Une thèse courte.
sections:
  - id: part
    heading: Une partie
    key_points:
      - Un point clé.
questions:
  - id: third
    prompt: Troisième question ?
    answer: Une troisième réponse.
    lines: {third}
references:
  - citation: Ada Exemple (2016). Un texte. Un éditeur.
"""


# A lesson (“parity”, French) and its complete British English translation (ids, URLs and numbers
# come from the original).
ORIGINAL = """\
id: parity
language: fr
title: Une leçon
level: Secondaire II
subject: Éducation numérique
duration: 45
credits:
  source: Une fiche d’école
  licence: CC BY-SA 4.0
sections:
  - id: intro
    heading: Introduction
    body:
      - Un paragraphe.
    slide_points:
      - Un point
  - id: suite
    heading: La suite
    body:
      - Un autre paragraphe.
    slide_points:
      - Un autre point
activity:
  title: En classe
  duration: 20
  mode: unplugged
  instructions:
    - Lire.
  questions:
    - id: first
      prompt: Pourquoi ?
      answer: Parce que.
      lines: 3
resources:
  - title: Premier site
    url: https://example.org/one
  - title: Second site
    url: https://example.org/two
"""

TRANSLATION = """\
translated_from: fr
id: parity
language: en-GB
title: A lesson
level: Upper secondary
subject: Digital education
credits:
  source: A school sheet
  licence: CC BY-SA 4.0
sections:
  - id: intro
    heading: Introduction
    body:
      - A paragraph.
    slide_points:
      - A point
  - id: suite
    heading: What follows
    body:
      - Another paragraph.
    slide_points:
      - Another point
activity:
  title: In class
  instructions:
    - Read.
  questions:
    - id: first
      prompt: Why?
      answer: Because.
resources:
  - title: First site
  - title: Second site
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def promises_project(root: Path, languages: tuple[str, ...] = ("fr",)) -> Path:
    """One lesson, ``promises``, with a reading, in each language (each an original): HTML in its texts,
    a PNG and a JPEG picture, a chart, a very short link, questions with known numbers of lines."""
    lesson_dir = root / "sources" / "lessons" / "promises"
    (lesson_dir / "assets").mkdir(parents=True)
    Image.new("RGB", PNG_SIZE, (200, 30, 30)).save(lesson_dir / "assets" / "photo.png")
    Image.new("RGB", JPEG_SIZE, (30, 30, 200)).save(lesson_dir / "assets" / "photo.jpg")
    for language in languages:
        values = {
            "id": "promises",
            "language": language,
            "html_body": HTML_BODY,
            "html_point": HTML_POINT,
            "chart_values": ", ".join(str(v) for v in CHART_VALUES),
            "short_url": SHORT_URL,
            "resource_0": RESOURCE_URLS[0],
            "resource_1": RESOURCE_URLS[1],
            "points": POINTS,
            "long_body": LONG_BODY,
            "long_points": "".join(f"      - {point}\n" for point in LONG_POINTS),
            **QUESTION_LINES,
        }
        write(lesson_dir / f"{language}.yaml", LESSON.format(**values))
        write(
            root / "sources" / "readings" / "text" / f"{language}.yaml",
            READING.format(language=language, presented=PRESENTED, **QUESTION_LINES),
        )
    return root


def build(root: Path, *args: str) -> int:
    """A build in this process, one worker (so a test's monkeypatches apply to it)."""
    return main(["--root", str(root), "build", "--jobs", "1", *args])


def squash(text: str) -> str:
    """Without any kind of space: immune to line breaks and to the narrow spaces of typography."""
    return re.sub(r"\s+", "", text.replace("\u202f", " ").replace("\u00a0", " "))


# --------------------------------------------------------------------------- reading pages as pictures


def page_pictures(pdf: Path, folder: Path, dpi: int, gray: bool = False) -> list[Path]:
    """Every page of a PDF as a PNG (poppler), as a reader sees it."""
    folder.mkdir(parents=True, exist_ok=True)
    command = ["pdftoppm", "-png", "-r", str(dpi), *(["-gray"] if gray else []), str(pdf), str(folder / "page")]
    subprocess.run(command, check=True)
    return sorted(folder.glob("page-*.png"))


def horizontal_lines(picture: Image.Image, left: int, right: int, cover: float, darker_than: int = 235) -> list[float]:
    """The rows (in pixels, centre of each stroke) where non-white pixels cover ``cover`` of [left, right):
    lines drawn across that width. Text never covers a row that evenly, so it is not counted."""
    mask = picture.convert("L").point(lambda value: 255 if value < darker_than else 0)
    rows = [
        y for y in range(mask.height) if mask.crop((left, y, right, y + 1)).histogram()[255] >= cover * (right - left)
    ]
    strokes: list[list[int]] = []
    for y in rows:
        if strokes and y - strokes[-1][1] <= 1:
            strokes[-1][1] = y
        else:
            strokes.append([y, y])
    return [(first + last) / 2 for first, last in strokes]
