"""Hostile pictures are refused by `check`, with the file, line and field of the figure (issue 10)."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from lessonkit.cli import main

from .conftest import SAMPLE_LESSON, Project

IMAGE_LINE, IMAGE_FIELD = 24, "sections.1.figures.1.image"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" {size}>{body}</svg>'


def nested_use_bomb(levels: int = 10, fan_out: int = 8) -> str:
    """Each group draws the previous one eight times: 8⁹ (134 million) elements from about 1.5 KB."""
    groups = ['<g id="g0"><rect width="1" height="1"/></g>']
    for level in range(1, levels):
        uses = "".join(f'<use href="#g{level - 1}"/>' for _ in range(fan_out))
        groups.append(f'<g id="g{level}">{uses}</g>')
    body = "".join(groups) + f'<use href="#g{levels - 1}"/>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{body}</svg>'


def check(project: Project, capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.chdir(project.root)
    capsys.readouterr()
    return main(["--root", str(project.root), "check"]), capsys.readouterr().err


def assert_image_refused(project, capsys, monkeypatch, words: str) -> str:
    code, err = check(project, capsys, monkeypatch)
    assert code == 2, err
    expected = f"sources/lessons/sample/fr.yaml:{IMAGE_LINE}:16: {IMAGE_FIELD}: "
    assert expected in err, err
    assert words in err, err
    assert "internal error" not in err
    return err


def use_picture(project: Project, name: str, content: bytes | str) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    (project.lesson_dir / "assets" / name).write_bytes(data)
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", f"assets/{name}"))


SVGS = [
    (
        "parameter entity",
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
        '<svg xmlns="http://www.w3.org/2000/svg"/>',
        "DOCTYPE",
    ),
    (
        "internal entity",
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>',
        "DOCTYPE",
    ),
    (
        "entities in UTF-16",  # not the bytes “<!DOCTYPE”: refused once parsed
        ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>' + SVG.format(size="", body="<text>&a;</text>")).encode("utf-16"),
        "DOCTYPE",
    ),
    ("1 × 10,000,000", SVG.format(size='width="1" height="10000000"', body=""), "between 1 and 20000 px"),
    ("1 cm × 6 m", SVG.format(size='width="1cm" height="600cm"', body=""), "between 1 and 20000 px"),
    ("extreme aspect ratio", SVG.format(size='width="10" height="900"', body=""), "more than 20 times"),
    ("extreme viewBox", SVG.format(size='viewBox="0 0 1 10000000"', body=""), "more than 20 times"),
    ("empty viewBox", SVG.format(size='viewBox="0 0 0 10"', body=""), "positive"),
    ("viewBox of words", SVG.format(size='viewBox="a b c d"', body=""), "four numbers"),
    ("zero width", SVG.format(size='width="0" height="10"', body=""), "between 1 and"),
    ("nested <use>", nested_use_bomb(), "expands to more than"),
    ("too many <use>", SVG.format(size="", body='<g id="a"/>' + '<use href="#a"/>' * 10_001), "<use> elements"),
    ("self-reference", SVG.format(size="", body='<g id="a"><use href="#a"/></g>'), "refers to itself"),
    (
        "pattern cycle",
        SVG.format(size="", body='<pattern id="p"><rect fill="url(#q)"/></pattern><pattern id="q" fill="url(#p)"/>'),
        "refers to itself",
    ),
    ("link to a file", SVG.format(size="", body='<image href="file:///etc/passwd"/>'), "self-contained"),
    ("not an SVG", '<html xmlns="http://www.w3.org/1999/xhtml"/>', "not an SVG"),
]


@pytest.mark.parametrize(("case", "svg", "words"), SVGS, ids=[c[0] for c in SVGS])
def test_hostile_svgs_are_refused(project, capsys, monkeypatch, case, svg, words):
    use_picture(project, "picture.svg", svg)
    assert_image_refused(project, capsys, monkeypatch, words)


def test_a_use_bomb_is_refused(project, capsys, monkeypatch):
    """1.5 KB that would draw 134 million elements (how fast it is refused is measured by make bench)."""
    bomb = nested_use_bomb()
    assert len(bomb) < 1600
    use_picture(project, "picture.svg", bomb)
    assert_image_refused(project, capsys, monkeypatch, "expands")


def test_reasonable_svgs_pass(project, capsys, monkeypatch):
    icon = '<symbol id="s"><circle r="2"/></symbol>' + '<use href="#s"/>' * 50
    gradient = '<linearGradient id="l"/><rect width="5" height="5" fill="url(#l)"/>'
    use_picture(project, "picture.svg", SVG.format(size='width="10cm" height="5cm"', body=icon + gradient))
    code, err = check(project, capsys, monkeypatch)
    assert code == 0, err


def raster(kind: str, mode: str = "RGB", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("icon.png", raster("ICO"), "is a ICO image"),  # Pillow opens it; no renderer is asked to
        ("picture.pdf", b"%PDF-1.4", "not an image this tool can use"),
        ("truncated.png", raster("PNG")[:20], "cannot be read as an image"),
    ],
    ids=["ico", "pdf", "truncated png"],
)
def test_formats_other_than_the_common_ones_are_refused(project, capsys, monkeypatch, name, data, words):
    use_picture(project, name, data)
    assert_image_refused(project, capsys, monkeypatch, words)


@pytest.mark.parametrize(
    ("name", "kind", "mode"),
    [
        ("p.png", "PNG", "P"),
        ("bw.png", "PNG", "1"),
        ("p.gif", "GIF", "P"),
        ("p.webp", "WEBP", "RGB"),
        ("p.tiff", "TIFF", "RGB"),
        ("p.bmp", "BMP", "RGB"),
        ("p.jpg", "JPEG", "L"),
    ],
)
def test_common_raster_formats_pass_check(project, capsys, monkeypatch, name, kind, mode):
    use_picture(project, name, raster(kind, mode))
    code, err = check(project, capsys, monkeypatch)
    assert code == 0, err


def test_an_assets_folder_leading_out_of_the_lesson_is_refused(project, capsys, monkeypatch, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project.lesson_dir / "assets" / "picture.svg").rename(outside / "picture.svg")
    (project.lesson_dir / "assets").rmdir()
    (project.lesson_dir / "assets").symlink_to(outside)
    assert_image_refused(project, capsys, monkeypatch, "points outside")


@pytest.mark.built  # builds: left out of make mutation's fast selection
def test_a_folder_leading_out_is_never_walked_or_hashed(project, capsys, monkeypatch, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (project.lesson_dir / "assets" / "linked").symlink_to(outside)
    monkeypatch.chdir(project.root)
    assert main(["--root", str(project.root), "build", "--jobs", "1", "--quiet"]) == 0
    manifest = (project.root / "outputs" / ".lessonkit-manifest.json").read_text(encoding="utf-8")
    assert "secret" not in manifest and "elsewhere" not in manifest and "linked" not in manifest
    assert "sources/lessons/sample/assets/picture.svg" in json.loads(manifest)["files"]


def test_a_reading_image_is_looked_up_in_the_readings_folder(project, capsys, monkeypatch):
    """The rule (confine.asset_path): a reading's image paths are relative to the reading's folder."""
    reading = project.root / "sources" / "readings" / "text"
    (reading / "assets").mkdir(parents=True)
    (reading / "fr.yaml").write_text(READING, encoding="utf-8")
    project.write(SAMPLE_LESSON.replace("readings: []", "readings: [text]"))
    code, err = check(project, capsys, monkeypatch)
    assert code == 2 and "sources/readings/text/fr.yaml:18:16: sections.1.figures.1.image: image not found" in err
    (reading / "assets" / "figure.svg").write_text(SVG.format(size='width="4" height="3"', body=""))
    code, err = check(project, capsys, monkeypatch)
    assert code == 0, err


READING = """\
id: text
language: fr
title: Un texte
authors:
  - name: Une autrice
year: 2016
summary_credits:
  licence: CC BY-SA 4.0
thesis: Une thèse.
sections:
  - id: one
    heading: Une partie
    key_points:
      - Une idée.
    figures:
      - id: drawing
        caption: Un dessin
        image: assets/figure.svg
        alt: Un dessin
questions:
  - id: why
    prompt: Pourquoi ?
    answer: Parce que.
    lines: 2
"""


def test_a_reading_folder_leading_out_of_sources_is_refused(project, capsys, monkeypatch, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "fr.yaml").write_text(READING.replace("id: text", "id: linked"), encoding="utf-8")
    readings = project.root / "sources" / "readings"
    readings.mkdir()
    (readings / "linked").symlink_to(outside)
    project.write(SAMPLE_LESSON.replace("readings: []", "readings: [linked]"))
    code, err = check(project, capsys, monkeypatch)
    assert code == 2 and "sources/readings/linked/fr.yaml:1:1: this file, or its folder, is a link" in err


def test_a_lesson_file_leading_out_of_sources_is_refused(project, capsys, monkeypatch, tmp_path):
    outside = tmp_path / "fr.yaml"
    outside.write_text(SAMPLE_LESSON, encoding="utf-8")
    project.lesson_path.unlink()
    project.lesson_path.symlink_to(outside)
    code, err = check(project, capsys, monkeypatch)
    assert code == 2 and "sources/lessons/sample/fr.yaml:1:1: this file, or its folder, is a link" in err
