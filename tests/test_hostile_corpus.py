"""A corpus of hostile sources: each one is refused by `check` (exit 2) with its file, line and field.

Every case here once passed `check` and then broke the build, or reached
outside the lesson (issue 10). Each edits the sample lesson of ``conftest``
(line numbers refer to ``SAMPLE_LESSON``) and runs the real command line.
"""

from __future__ import annotations

import pytest

from lessonkit.cli import main

from .conftest import SAMPLE_LESSON, Project

LESSON = "sources/lessons/sample/fr.yaml"


def replace(old: str, new: str):
    assert old in SAMPLE_LESSON, old
    return lambda project: project.write(SAMPLE_LESSON.replace(old, new, 1))


def check(project: Project, capsys, monkeypatch) -> tuple[int, str]:
    """Run `check` from the project folder (so paths print relative); the exit code and stderr."""
    monkeypatch.chdir(project.root)
    capsys.readouterr()
    code = main(["--root", str(project.root), "check"])
    return code, capsys.readouterr().err


def assert_refused(project, capsys, monkeypatch, line: int, field: str, words: str, file: str = LESSON) -> None:
    code, err = check(project, capsys, monkeypatch)
    assert code == 2, err
    matching = [row for row in err.splitlines() if row.startswith(f"{file}:{line}:") and f": {field}: " in row]
    assert matching, f"expected {file}:{line}: … {field}: …, got:\n{err}"
    assert words in matching[0], matching[0]
    assert "Traceback" not in err and "internal error" not in err


# (case, edit of the sample, line, field, words of the message)
LINKS = [
    ("file link", replace("Pourquoi ?", '"[x](file:///etc/passwd)"'), 33, "activity.questions.1.prompt", "file:"),
    ("file share", replace("Pourquoi ?", '"[x](file://host/share/x)"'), 33, "activity.questions.1.prompt", "http"),
    ("smb link", replace("Une note.", '"[x](smb://host/share)"'), 17, "sections.1.footnotes.1.text", "smb://"),
    ("ms-msdt link", replace("Une image", '"[y](ms-msdt:/id PCWDiagnostic)"'), 22, "sections.1.figures.1.caption", ""),
    ("relative link", replace("Lire le texte.", '"[x](../../etc/passwd)"'), 30, "activity.instructions.1", "../"),
    ("javascript link", replace("Parce que.", '"*[x](javascript:alert(1))*"'), 34, "activity.questions.1.answer", ""),
    ("link in a bullet", replace("Ainsi.", '"- [x](smb://h/s)"'), 38, "activity.questions.2.answer", "smb"),
    ("link in the title", replace("title: Une leçon", 'title: "[x](smb://h/s)"'), 3, "title", "smb"),
    ("link in the licence", replace("CC BY-SA 4.0", '"[x](file:///x)"'), 8, "credits.licence", "file"),
    ("address without host", replace("Pourquoi ?", '"[x](https:///etc)"'), 33, "activity.questions.1.prompt", "web"),
    ("network-path link", replace("Pourquoi ?", '"[x](//evil.example/x)"'), 33, "activity.questions.1.prompt", ""),
    (
        "overlong link",
        replace("Pourquoi ?", f'"[x](https://example.org/{"a" * 1000})"'),
        33,
        "activity.questions.1.prompt",
        "at most 1000",
    ),
]

MATERIAL = "  materials:\n    - title: Une vidéo\n      url: {url}\n  instructions:"
URL_FIELDS = [
    ("file url", "file:///etc/passwd", "http"),
    ("smb url", "smb://host/share", "http"),
    ("mailto url", "mailto:someone@example.org", "https"),  # a resource is printed as a QR code of a web page
    ("overlong url", "https://example.org/" + "a" * 3000, "at most 1000"),
    ("url with a control character", '"https://example.org/\\x1b"', "invisible"),
]


@pytest.mark.parametrize(("case", "edit", "line", "field", "words"), LINKS, ids=[c[0] for c in LINKS])
def test_links_other_than_web_and_mail_are_refused(project, capsys, monkeypatch, case, edit, line, field, words):
    edit(project)
    assert_refused(project, capsys, monkeypatch, line, field, words)


@pytest.mark.parametrize(("case", "url", "words"), URL_FIELDS, ids=[c[0] for c in URL_FIELDS])
def test_url_fields_take_only_web_addresses(project, capsys, monkeypatch, case, url, words):
    replace("  instructions:", MATERIAL.format(url=url))(project)
    assert_refused(project, capsys, monkeypatch, 31, "activity.materials.1.url", words)


@pytest.mark.parametrize(
    "text", ["[a](https://example.org/x?y=1#z)", "[écrire](mailto:prof@example.org)", "[a](HTTP://EXAMPLE.ORG)"]
)
def test_web_and_mail_links_pass(project, capsys, monkeypatch, text):
    replace("Pourquoi ?", f'"{text}"')(project)
    code, err = check(project, capsys, monkeypatch)
    assert code == 0, err


CRASHES = [
    ("footnote in a question", replace("Pourquoi ?", "Pourquoi[^note] ?"), 33, "activity.questions.1.prompt"),
    ("unknown footnote in an answer", replace("Parce que.", "Parce que.[^nope]"), 34, "activity.questions.1.answer"),
    ("footnote in a caption", replace("Une image", "Une image[^note]"), 22, "sections.1.figures.1.caption"),
    ("footnote in the instructions", replace("Lire le texte.", "Lire.[^note]"), 30, "activity.instructions.1"),
    ("footnote in a heading", replace("Introduction", "Introduction[^note]"), 11, "sections.1.heading"),
    ("footnote in a slide point", replace("Un point", "Un point[^note]"), 19, "sections.1.slide_points.1"),
    ("footnote citing itself", replace("Une note.", "Une note.[^note]"), 17, "sections.1.footnotes.1.text"),
    ("title over 200 characters", replace("Une leçon", "x" * 201), 3, "title"),
    ("level over 100 characters", replace("Secondaire II", "x" * 101), 4, "level"),
    ("subject over 100 characters", replace("Éducation numérique", "x" * 101), 5, "subject"),
    ("NUL escape", replace("Pourquoi ?", '"Pour\\0quoi"'), 33, "activity.questions.1.prompt"),
    ("ESC escape", replace("Introduction", '"\\x1b[31mIntroduction"'), 11, "sections.1.heading"),
    ("C1 control", replace("Une note.", '"Une\\x85note"'), 17, "sections.1.footnotes.1.text"),
    ("lone surrogate", replace("Un dessin", '"\\ud800"'), 23, "sections.1.figures.1.alt"),
    ("control in an id", replace("id: first", 'id: "fi\\x00rst"'), 32, "activity.questions.1.id"),
    ("text of 10,001 characters", replace("Parce que.", '"' + "[" * 10_001 + '"'), 34, "activity.questions.1.answer"),
]


@pytest.mark.parametrize(("case", "edit", "line", "field"), CRASHES, ids=[c[0] for c in CRASHES])
def test_what_crashed_the_build_is_refused_by_check(project, capsys, monkeypatch, case, edit, line, field):
    edit(project)
    assert_refused(project, capsys, monkeypatch, line, field, "")


def test_a_footnote_of_another_section_is_named(project, capsys, monkeypatch):
    second = "  - id: second\n    heading: Suite\n    body:\n      - Voir.[^note]\n"
    second += "    slide_points:\n      - Un point\n"
    replace("activity:", second + "activity:")(project)
    assert_refused(project, capsys, monkeypatch, 28, "sections.2.body.1", "belongs to section “intro”")


CHART = """\
    figures:
      - id: picture
        caption: Une image
        alt: Un dessin
        chart:
          categories: [a, b]
          values: [{values}]
          unit: "%"
          series: Portée
          source: Étude
"""


@pytest.mark.parametrize(
    "values", ["1" + "0" * 400 + ", 1", "nan, 1", "inf, 1", "1e3, 1", "2" + "0" * 13 + ", 1", "-1, 1", "-1, -2"]
)
def test_chart_values_must_be_finite_numbers_from_zero(project, capsys, monkeypatch, values):
    start = SAMPLE_LESSON.index("    figures:")
    end = SAMPLE_LESSON.index("activity:")
    project.write(SAMPLE_LESSON[:start] + CHART.format(values=values) + SAMPLE_LESSON[end:])
    assert_refused(project, capsys, monkeypatch, 26, "sections.1.figures.1.chart.values.1", "")


def test_authors_that_overflow_the_document_property_are_refused(project, capsys, monkeypatch):
    authors = "  authors: [" + ", ".join(f"Auteur Numéro {n:02}" for n in range(20)) + "]\n"
    replace("credits:\n", "credits:\n" + authors)(project)
    assert_refused(project, capsys, monkeypatch, 8, "credits", "authors' names")


def test_a_language_without_labels_lists_the_catalogs(project, capsys, monkeypatch):
    project.lesson_path.unlink()
    project.lesson_path = project.lesson_dir / "pt.yaml"
    project.write(SAMPLE_LESSON.replace("language: fr", "language: pt"))
    assert_refused(
        project, capsys, monkeypatch, 2, "language", "de, en, es, fr, it", file="sources/lessons/sample/pt.yaml"
    )


def test_a_regional_language_uses_its_language_labels(project, capsys, monkeypatch):
    project.lesson_path.unlink()
    project.lesson_path = project.lesson_dir / "fr-CH.yaml"
    project.write(SAMPLE_LESSON.replace("language: fr", "language: fr-CH"))
    code, err = check(project, capsys, monkeypatch)
    assert code == 0, err
