"""The prepare step, seen from its outputs: typography, footnote numbers and question labels are
decided once, so the worksheet, the answer key and the deck agree.

A fixture project of its own (three lessons, in fr, de-CH and en-GB) is built
once with the real command line; the tests read the PDFs (pypdf) and the decks
(python-pptx) back and compare them with what the teacher typed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader

from lessonkit.cli import main
from lessonkit.loader import Sources, load_document
from lessonkit.prepare import prepare
from lessonkit.prepared import Options

from .conftest import ROOT

N, B = "\u202f", "\u00a0"  # narrow no-break space, no-break space

# (language, what the teacher types, what every output prints)
TYPOGRAPHY = [
    ("fr", "Voir [Information Management: A Proposal]{lang=en} ici.", "Information Management: A Proposal"),
    ("fr", 'Tapez `"x" : y` ici.', '"x" : y'),
    ("fr", 'Le lien <a href="https://x.ch">ici</a> reste.', '<a href="https://x.ch">ici</a>'),
    ("fr", "Une ligne<br/>tapée.", "ligne<br/>tapée"),
    ("fr", "Il dit “On aide l'algorithme” ici.", f"«{N}On aide l’algorithme{N}»"),
    ("fr", 'Le "travail du clic" reste caché.', f"«{N}travail du clic{N}»"),
    ("fr", "Le rôle d'**Internet** et de l'*IA*.", "d’Internet et de l’IA"),
    ("de-CH", 'Er sagt "Hallo" und “Tschüss”.', "«Hallo» und «Tschüss»"),
    ("en-GB", 'She said "hello" and it\'s fine.', "“hello” and it’s fine"),
]
LANGUAGES = {"fr": "typo-fr", "de-CH": "typo-de", "en-GB": "typo-en"}
QUESTIONS = 30  # more than the 26 letters of the alphabet


def lesson_source(lesson_id: str, language: str) -> dict:
    rows = [typed for row_language, typed, _ in TYPOGRAPHY if row_language == language]
    sections = [
        {"id": f"row-{index}", "heading": f"Section {index}", "body": [typed], "slide_points": [typed]}
        for index, typed in enumerate(rows, start=1)
    ]
    sections[0]["body"].append("Une première note.[^first]")
    sections[0]["footnotes"] = [{"id": "first", "text": "La première note."}]
    sections.append(
        {
            "id": "notes",
            "heading": "Notes",
            "body": ["Une deuxième note.[^second]"],
            "footnotes": [{"id": "second", "text": "La seconde note, numéro deux."}],
            "slide_points": ["Des notes"],
        }
    )
    questions = [
        {"id": f"q{number}", "prompt": f"Question numéro {number} ?", "answer": f"Réponse {number}.", "lines": 1}
        for number in range(1, QUESTIONS + 1)
    ]
    questions += [  # the answer key holds the question pages: the rows are there as prompts and answers
        {"id": f"row-{index}", "prompt": typed, "answer": typed, "lines": 2}
        for index, typed in enumerate(rows, start=1)
    ]
    return {
        "id": lesson_id,
        "language": language,
        "title": f"Typographie {language}",
        "level": "Secondaire II",
        "subject": "Test",
        "duration": 45,
        "credits": {"licence": "CC BY-SA 4.0"},
        "sections": sections,
        "activity": {
            "title": "En classe",
            "duration": 45,
            "mode": "unplugged",
            "instructions": ["Répondre."],
            "questions": questions if language == "fr" else questions[:2] + questions[QUESTIONS:],
        },
    }


@pytest.fixture(scope="module")
def sources_root(tmp_path_factory) -> Path:
    """The fixture project's sources only: enough for the tests of the prepared document itself."""
    root = tmp_path_factory.mktemp("prepare-project")
    for language, lesson_id in LANGUAGES.items():
        folder = root / "sources" / "lessons" / lesson_id
        folder.mkdir(parents=True)
        text = yaml.safe_dump(lesson_source(lesson_id, language), allow_unicode=True, sort_keys=False)
        (folder / f"{language}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(sources_root) -> Path:
    """The fixture project, built once with the real command line."""
    assert main(["--root", str(sources_root), "build", "--quiet", "--out", str(sources_root / "out")]) == 0
    return sources_root


def outputs(project: Path, language: str) -> Path:
    return project / "out" / LANGUAGES[language] / language


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks and runs of ordinary spaces as one space (no-break spaces kept),
    and words hyphenated at the end of a line joined again."""
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"[ \n]+", " ", re.sub("\u2010\n", "", text))


def deck_texts(path: Path) -> tuple[str, str]:
    """What the slides show, and what their speaker notes say."""
    shown, notes = [], []
    for slide in Presentation(str(path)).slides:
        shown += [p.text for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]
        notes += [p.text for p in slide.notes_slide.notes_text_frame.paragraphs]
    return "\n".join(shown), "\n".join(notes)


def prepared(project: Path, language: str, options: Options | None = None):
    sources = Sources(project / "sources")
    [source] = [s for s in sources.lessons() if s.language == language]
    return prepare(load_document(sources, source), options)


@pytest.mark.built
@pytest.mark.parametrize(("language", "typed", "printed"), TYPOGRAPHY, ids=[typed for _, typed, _ in TYPOGRAPHY])
def test_typography_is_the_same_in_pdf_and_pptx(project, language, typed, printed):
    folder = outputs(project, language)
    shown, notes = deck_texts(folder / "slides.pptx")
    assert printed in pdf_text(folder / "worksheet.pdf"), "worksheet"
    assert printed in pdf_text(folder / "answer-key.pdf"), "answer key"
    assert printed in shown, "slide"
    assert printed in notes, "speaker notes"


@pytest.mark.built
def test_foreign_words_keep_their_own_spacing(project):
    """In a French lesson, English words get no space before their colon."""
    text = pdf_text(outputs(project, "fr") / "worksheet.pdf")
    assert f"Management{B}:" not in text and f"Management{N}:" not in text


@pytest.mark.built
def test_footnotes_have_one_number_in_every_output(project):
    """The second footnote of the lesson is number 2 on the sheet and in the deck's notes.
    (The key holds only the pages with questions, and the lesson's footnotes are not on them.)"""
    folder = outputs(project, "fr")
    assert "2. La seconde note, numéro deux." in pdf_text(folder / "worksheet.pdf")
    assert "1. La première note." in pdf_text(folder / "worksheet.pdf")
    _, notes = deck_texts(folder / "slides.pptx")
    assert "2. La seconde note, numéro deux." in notes.splitlines()
    assert "1. La première note." in notes.splitlines()


@pytest.mark.built
def test_question_labels_never_run_out(project):
    """30 questions: labelled 1 to 30 on the sheet, in the key and on the deck, never a stray character."""
    folder = outputs(project, "fr")
    document = prepared(project, "fr")
    labels = [q.label for q in document.questions()]
    assert labels == [str(n) for n in range(1, len(labels) + 1)] and len(labels) > QUESTIONS
    slides = {s.shapes.title.text_frame.text: s for s in Presentation(str(folder / "slides.pptx")).slides}
    for number in (1, 26, 27, QUESTIONS):
        assert f"Question {number}" in slides
        # the answer appears on the question's own slide, on a click: its last text shape
        texts = [shape.text_frame.text for shape in slides[f"Question {number}"].placeholders if shape.has_text_frame]
        assert texts[-1] == f"Réponse {number}."
        for pdf in ("worksheet.pdf", "answer-key.pdf"):
            assert f"{number}. Question numéro {number}{N}?" in pdf_text(folder / pdf)


def test_questions_are_labelled_once_across_the_activity_and_the_reading():
    """The shipped lesson: its reading's questions go on from the activity's (no second a)…e))."""
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", "fr")]
    document = prepare(load_document(sources, source))
    labels = [q.label for q in document.questions()]
    own = len(document.activity.questions)
    assert labels == [str(n) for n in range(1, len(labels) + 1)]
    assert document.readings[0].questions[0].label == str(own + 1)


def test_notes_mode_and_paper_travel_with_the_prepared_document(sources_root):
    document = prepared(sources_root, "fr", Options(paper="letter", answers="notes"))
    assert (document.options.paper, document.options.answers) == ("letter", "notes")


@pytest.mark.parametrize("options", [Options(paper="a5"), Options(answers="nowhere")])
def test_unknown_options_are_refused_in_plain_words(sources_root, options):
    from lessonkit.errors import RenderError

    with pytest.raises(RenderError, match="unknown"):
        prepared(sources_root, "fr", options)


def test_labels_numbers_and_separators_follow_the_language(sources_root):
    french, english = prepared(sources_root, "fr"), prepared(sources_root, "en-GB")
    assert (french.labels.separator, english.labels.separator) == (f"{B}: ", ": ")
    assert (french.labels.lead("source"), english.labels.lead("source")) == (f"Source{B}:", "Source:")
    assert french.duration == "45 min" and french.proofing_tag == "fr-CH"
    assert english.proofing_tags == {"en-GB": "en-GB"}
