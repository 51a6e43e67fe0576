"""Hostile and broken input: limits, and a fuzz test of the loader (always a lesson or our own error)."""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from lessonkit.confine import inside
from lessonkit.errors import SourceError
from lessonkit.loader import Sources, check_all, load_lesson

from .conftest import SAMPLE_LESSON, Project

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def problems_of(project: Project) -> list[str]:
    sources = Sources(project.root / "sources")
    return [str(p) for p in check_all(sources, sources.lessons())]


def test_more_than_500_questions_is_refused(project):
    question = "    - id: q{n}\n      prompt: Pourquoi ?\n      answer: Parce que.\n      lines: 1\n"
    many = "".join(question.format(n=n) for n in range(501))
    start = SAMPLE_LESSON.index("    - id: first")
    end = SAMPLE_LESSON.index("readings: []")
    project.write(SAMPLE_LESSON[:start] + many + SAMPLE_LESSON[end:])
    assert any("activity.questions: has 501 items, but at most 500" in p for p in problems_of(project))


def test_an_image_over_40_megapixels_is_refused(project):
    Image.new("1", (8000, 6000)).save(project.lesson_dir / "assets" / "huge.png")  # 48 megapixels, small file
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", "assets/huge.png"))
    assert any("48 megapixels; the limit is 40" in p for p in problems_of(project))


def test_an_image_over_20_megabytes_is_refused(project):
    with open(project.lesson_dir / "assets" / "big.png", "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", "assets/big.png"))
    assert any("the limit is 20 MB" in p for p in problems_of(project))


def test_a_damaged_image_is_named(project):
    (project.lesson_dir / "assets" / "broken.png").write_bytes(b"not a png at all")
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", "assets/broken.png"))
    assert any("broken.png cannot be read as an image" in p for p in problems_of(project))


def load_or_our_error(path: Path) -> None:
    """Loading gives a lesson that keeps the loader's promises, or our own error naming a place, never another
    exception. A lesson that loads is the file's (id = folder, language = file name), with no cross-field
    mistake left, questions within the limits, and images inside its folder."""
    text_lines = path.read_bytes().count(b"\n") + 1
    try:
        lesson = load_lesson(path)
    except SourceError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path == path and problem.message.strip()
            assert 1 <= problem.line <= text_lines + 1 and problem.column >= 1
        return
    assert (lesson.id, lesson.language) == (path.parent.name, path.stem)
    assert lesson.problems() == []
    assert lesson.sections and all(q.lines is None or 1 <= q.lines <= 40 for q in lesson.questions())
    assert len(lesson.questions()) <= 500
    assert all(inside(path.parent, f.image) for f in lesson.figures() if f.image)


def test_the_check_of_a_loaded_lesson_runs_on_the_sample(project):
    """The fuzz tests' check of a lesson that loads is exercised at least once (the sample is valid)."""
    load_or_our_error(project.lesson_path)
    project.write(SAMPLE_LESSON.replace("id: sample", "id: other"))
    load_or_our_error(project.lesson_path)  # our error, naming the place


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_lesson_or_our_error(project, data):
    project.write(data)
    load_or_our_error(project.lesson_path)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
keys = st.one_of(
    st.sampled_from(["id", "title", "sections", "body", "heading", "activity", "questions", "lines", "answer"]),
    st.text(alphabet=string.ascii_lowercase + "_-", min_size=1, max_size=10),
)
trees = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5), max_leaves=30
)


@FUZZ
@given(st.dictionaries(keys, trees, max_size=8))
def test_arbitrary_yaml_trees_give_a_lesson_or_our_error(project, tree):
    project.write(yaml.safe_dump(tree, allow_unicode=True))
    load_or_our_error(project.lesson_path)


@FUZZ
@given(
    st.lists(st.integers(min_value=0, max_value=len(SAMPLE_LESSON) - 1), min_size=1, max_size=5), st.text(max_size=5)
)
def test_damaged_copies_of_a_real_lesson_give_a_lesson_or_our_error(project, positions, insert):
    text = SAMPLE_LESSON
    for position in positions:
        text = text[:position] + insert + text[position + 1 :]
    project.write(text)
    load_or_our_error(project.lesson_path)
