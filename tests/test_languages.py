"""Every shipped language, built end to end: labels, questions, pages and slides agree."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pptx import Presentation

from lessonkit.cli import main
from lessonkit.i18n import labels_for
from lessonkit.loader import Sources, load_document

from .conftest import ROOT, SHIPPED_LESSON_FILES
from .pdftools import page_of, page_texts, printed_page_of

LANGUAGES = ["fr", "en-GB", "de-CH"]
LABEL_KEYS = [
    "answer_key",
    "answer_key_notice",
    "worksheet",
    "glossary",
    "resources",
    "continued",
    "key_figures",
    "discussion",
    "references",
    "concepts",
    "materials",
]

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    files = [str(path) for path in SHIPPED_LESSON_FILES]
    assert main(["--root", str(ROOT), "build", *files, "--out", str(out)]) == 0
    return out / "digital-labor"


def document(language):
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", language)]
    return load_document(sources, source)


def deck_text(path) -> str:
    deck = Presentation(str(path))
    return "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_label_of_another_language_in_any_output(outputs, language):
    texts = {
        "worksheet": "".join(page_texts(outputs / language / "worksheet.pdf")),
        "answer key": "".join(page_texts(outputs / language / "answer-key.pdf")),
        "slides": deck_text(outputs / language / "slides.pptx"),
    }
    own = {labels_for(language)[key] for key in LABEL_KEYS}
    for other in LANGUAGES:
        for key in LABEL_KEYS:
            label = labels_for(other)[key]
            if other == language or label in own:
                continue
            for name, text in texts.items():
                assert not re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text), (
                    f"{label!r} ({other}) in {language} {name}"
                )
    assert labels_for(language)["answer_key"] in texts["answer key"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_sheet_and_key_agree_page_for_page(outputs, language):
    sheet = page_texts(outputs / language / "worksheet.pdf")
    key = page_texts(outputs / language / "answer-key.pdf")
    doc = document(language)
    from lessonkit.markup import parse_inline, plain_text

    for question in doc.lesson.questions() + [q for r in doc.readings for q in r.questions]:
        prompt = plain_text(parse_inline(question.prompt))
        assert page_of(sheet, prompt) == printed_page_of(key, prompt) is not None, (language, question.id)


def test_every_language_has_the_same_questions_and_slides_per_question(outputs):
    from pptx.oxml.ns import qn

    counts = {}
    for language in LANGUAGES:
        doc = document(language)
        ids = [q.id for q in doc.lesson.questions()] + [q.id for r in doc.readings for q in r.questions]
        slides = list(Presentation(str(outputs / language / "slides.pptx")).slides)
        question_word = labels_for(language)["question"]
        questions = [s for s in slides if s.shapes.title.text_frame.text.startswith(question_word + " ")]
        # each question slide reveals its answer on a click (an entrance effect), never on a second slide
        revealed = [
            any(c.get("presetClass") == "entr" for c in s._element.iter(qn("p:cTn")))
            and any(c.get("nodeType") == "clickEffect" for c in s._element.iter(qn("p:cTn")))
            for s in questions
        ]
        counts[language] = (ids, len(questions), all(revealed))
    assert len({tuple(ids) for ids, _, _ in counts.values()}) == 1
    assert len({n for _, n, _ in counts.values()}) == 1
    assert all(every for _, _, every in counts.values())  # a question slide whose answer appears on a click


def test_swiss_german_output_has_no_sharp_s(outputs):
    text = "".join(page_texts(outputs / "de-CH" / "answer-key.pdf")) + deck_text(outputs / "de-CH" / "slides.pptx")
    assert "ß" not in text and "„" not in text
    assert "«" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_edition_is_hyphenated_and_tagged_in_its_own_language(outputs, language):
    """Words are broken at line ends by the language's hyphenation rules (pyphen, from the page's lang)."""
    from lessonkit.prepare import prepare
    from lessonkit.render.pdf import PdfRenderer

    html = PdfRenderer().html(prepare(document(language)), answer_key=False)
    assert f'<html lang="{language}">' in html
    text = subprocess.run(
        ["pdftotext", "-layout", str(outputs / language / "worksheet.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout  # -layout: pdftotext keeps the hyphens at the line ends as printed
    broken = re.findall(r"(\w+)[-\u2010]\n\s*(\w+)", text)  # a hyphen at a line end
    source = (ROOT / "sources" / "lessons" / "digital-labor" / f"{language}.yaml").read_text(encoding="utf-8")
    joined = [a + b for a, b in broken if re.search(rf"\b{a + b}\b", source)]
    assert len(joined) >= 5, broken  # real words of this edition, hyphenated


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_pdf_declares_its_language(outputs, language):
    from pypdf import PdfReader

    assert PdfReader(outputs / language / "worksheet.pdf").trailer["/Root"]["/Lang"] == language
