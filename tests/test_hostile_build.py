"""What passes `check` builds (issue 10): generated values for the model's fields are refused by `check`
with file, line and field, or the PDFs and the deck build. Checks stay near-linear in the input.

Inputs `check` accepts on purpose build in every output: palette and 1-bit PNG, GIF, WebP, TIFF, BMP,
a long glossary, a chart of zeros, a reading with its own image, a tall and narrow SVG.
"""

from __future__ import annotations

import copy
import io
import re
from contextlib import redirect_stderr, redirect_stdout

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from lessonkit.cli import main

from .conftest import SAMPLE_LESSON, Project

PROBLEM_LINE = re.compile(r"^(.*/)?sources/lessons/sample/fr\.yaml:\d+:\d+: ")
BASE = yaml.safe_load(SAMPLE_LESSON)


def run(project: Project, *command: str) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = main([*command], root=project.root)
    return code, err.getvalue()


def build(project: Project) -> tuple[int, str]:
    return run(project, "build", "--jobs", "1", "--force", "--quiet")


# --------------------------------------------------------------------------- generated lessons

SCHEMES = ["http", "https", "mailto", "file", "smb", "ms-msdt", "javascript", "ftp", ""]
words = st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs", "P", "S"]), min_size=1, max_size=15)
markup = st.sampled_from(["*a*", "**b**", "`c`", "[^note]", "[mot]{lang=en}", "\n\n- ", "«\u202fx\u202f»", "🙂"])
links = st.builds("[lien]({}:{})".format, st.sampled_from(SCHEMES), st.sampled_from(["//example.org/a", "a@b.ch", ""]))
hostile = st.one_of(
    st.sampled_from(["\x00", "\x1b", "\x85", "\ud800", "[^nope]", "\u200b", "\ufeff", "\u0301"]),
    links,
    st.text(max_size=10),
)
# Mostly ordinary text, so that about half the lessons pass `check` and are built.
texts = st.lists(st.one_of(words, words, words, words, words, markup, hostile), min_size=1, max_size=4).map(" ".join)
numbers = st.one_of(st.integers(1, 40), st.integers(-10, 100), st.sampled_from(["0755", "4.5", "1e3", "", "x"]))
chart_values = st.lists(
    st.one_of(
        st.integers(-1000, 1000), st.floats(-1e6, 1e6), st.sampled_from(["nan", "1" + "0" * 400, "2" + "0" * 13])
    ),
    min_size=2,
    max_size=2,
)


def set_at(data: dict, path: tuple, value: object) -> None:
    *parents, last = path
    for key in parents:
        data = data[key]
    data[last] = value


FIELDS = [
    (("title",), texts),
    (("level",), texts),
    (("subject",), texts),
    (("duration",), numbers),
    (("credits", "authors"), st.lists(texts, max_size=3)),
    (("sections", 0, "heading"), texts),
    (("sections", 0, "body", 0), texts.map(lambda text: text + "[^note]")),  # the footnote stays referred to
    (("sections", 0, "footnotes", 0, "text"), texts),
    (("sections", 0, "slide_points", 0), texts),
    (("sections", 0, "figures", 0, "caption"), texts),
    (("sections", 0, "figures", 0, "alt"), texts),
    (("activity", "title"), texts),
    (("activity", "instructions", 0), texts),
    (("activity", "questions", 0, "prompt"), texts),
    (("activity", "questions", 0, "answer"), texts),
    (("activity", "questions", 0, "lines"), numbers),
    (("resources",), st.lists(st.fixed_dictionaries({"title": texts, "url": texts}), max_size=2)),
    (("glossary",), st.lists(st.fixed_dictionaries({"term": texts, "definition": texts}), max_size=3)),
]


@st.composite
def lessons(draw) -> dict:
    data = copy.deepcopy(BASE)
    for path, values in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique_by=lambda f: f[0])):
        set_at(data, path, draw(values))
    if draw(st.booleans()):
        values = draw(chart_values)
        chart = {"categories": ["a", "b"], "values": values, "unit": "%", "series": "s", "source": "t"}
        data["sections"][0]["figures"][0] = {"id": "picture", "caption": "c", "alt": "a", "chart": chart}
    return data


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lessons())
def test_check_refuses_a_document_or_it_builds(project, lesson):
    project.write(yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False))
    code, err = run(project, "check")
    event("refused by check" if code == 2 else "built")
    if code == 2:
        problems = [row for row in err.splitlines() if not row.endswith("file(s).")]
        assert problems and all(PROBLEM_LINE.match(row) for row in problems), err
        assert not any(jargon in err for jargon in ("Input should", "Value error", "internal error")), err
        return
    assert code == 0, err
    code, err = build(project)
    assert code == 0, err
    assert "internal error" not in err


# --------------------------------------------------------------------------- renderer-side, known


def use_image(project: Project, name: str, kind: str, mode: str) -> None:
    Image.new(mode, (8, 8)).save(project.lesson_dir / "assets" / name, format=kind)
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", f"assets/{name}"))


@pytest.mark.parametrize(
    ("name", "kind", "mode"),
    [
        ("p.png", "PNG", "P"),
        ("b.png", "PNG", "1"),
        ("p.gif", "GIF", "P"),
        ("p.webp", "WEBP", "RGB"),
        ("p.tiff", "TIFF", "RGB"),
        ("p.bmp", "BMP", "RGB"),
    ],
)
def test_common_raster_formats_build(project, name, kind, mode):
    use_image(project, name, kind, mode)
    assert run(project, "check")[0] == 0
    code, err = build(project)
    assert code == 0, err


def test_a_long_glossary_builds(project):
    glossary = "glossary:\n" + "".join(f"  - term: Terme {n}\n    definition: Un sens.\n" for n in range(25))
    project.write(SAMPLE_LESSON.replace("readings: []", glossary))
    assert run(project, "check")[0] == 0
    code, err = build(project)
    assert code == 0, err


def test_a_chart_of_zeros_builds(project):
    lesson = copy.deepcopy(BASE)
    chart = {"categories": ["a", "b"], "values": ["0", "0"], "unit": "%", "series": "s", "source": "t"}
    lesson["sections"][0]["figures"][0] = {"id": "picture", "caption": "c", "alt": "a", "chart": chart}
    project.write(yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False))
    assert run(project, "check")[0] == 0
    code, err = build(project)
    assert code == 0, err


def test_a_reading_with_its_own_image_builds(project):
    from .test_hostile_images import READING, SVG

    reading = project.root / "sources" / "readings" / "text"
    (reading / "assets").mkdir(parents=True)
    (reading / "fr.yaml").write_text(READING, encoding="utf-8")
    (reading / "assets" / "figure.svg").write_text(SVG.format(size='width="4" height="3"', body=""), encoding="utf-8")
    project.write(SAMPLE_LESSON.replace("readings: []", "readings: [text]"))
    assert run(project, "check")[0] == 0
    code, err = build(project)
    assert code == 0, err


def test_a_tall_narrow_svg_is_drawn_to_fit_on_its_slide(project):
    """1 × 20 is allowed: the deck draws it 1,600 pixels high, not 32,000."""
    from pptx import Presentation

    tall = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="200"><rect width="10" height="200"/></svg>'
    (project.lesson_dir / "assets" / "picture.svg").write_text(tall, encoding="utf-8")
    assert run(project, "check")[0] == 0
    code, err = build(project)
    assert code == 0, err
    deck = Presentation(str(project.root / "outputs" / "sample" / "fr" / "slides.pptx"))
    sizes = [shape.image.size for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert (80, 1600) in sizes, sizes


# --------------------------------------------------------------------------- linear cost


def lesson_with_paragraphs(count: int) -> str:
    """The sample lesson with ``count`` more paragraphs, in sections of 100 (the most a list takes)."""
    paragraph = "      - Un paragraphe avec *un mot* et [un lien](https://example.org).\n"
    sections = "".join(
        f"  - id: part-{number}\n    heading: Partie {number}\n    body:\n"
        + paragraph * min(100, count - number * 100)
        + "    slide_points:\n      - Un point\n"
        for number in range(-(-count // 100))
    )
    return SAMPLE_LESSON.replace("activity:\n", sections + "activity:\n", 1)


def test_a_lesson_of_12000_paragraphs_is_checked(project):
    """About 1 MB of text is checked, not refused or hung (how long it takes is measured by make bench)."""
    project.write(lesson_with_paragraphs(12_000))
    code, err = run(project, "check")
    assert code == 0, err
