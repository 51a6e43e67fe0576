"""The README's promises about what the worksheet, the answer key and the deck show.

Black-box: a fixture lesson (``tests/projects.py``, not the shipped one) is built
once per module with the command line, in French, British English and Swiss
German; the tests read the files back (poppler, pdfplumber, python-pptx,
zxing-cpp) and never call the renderers. Each docstring quotes the promise.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from .projects import (
    HTML_BODY,
    HTML_POINT,
    JPEG_SIZE,
    LONG_BODY,
    LONG_POINTS,
    PNG_SIZE,
    QUESTION_LINES,
    RESOURCE_URLS,
    SHORT_URL,
    build,
    horizontal_lines,
    page_pictures,
    promises_project,
    squash,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (CI installs it)")

LANGUAGES = ("fr", "en-GB", "de-CH")
DPI = 100
PT = DPI / 72  # pixels per PDF point


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Path:
    root = promises_project(tmp_path_factory.mktemp("promises"), LANGUAGES)
    assert build(root, "--quiet") == 0
    return root / "outputs" / "promises"


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def deck_texts(deck: Path) -> tuple[list[str], list[str]]:
    """The text of every shape of every slide, and the speaker notes of every slide."""
    slides = list(Presentation(str(deck)).slides)
    shapes = [shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame]
    notes = [slide.notes_slide.notes_text_frame.text for slide in slides if slide.has_notes_slide]
    return shapes, notes


def pictures(deck: Path) -> list:
    return [
        shape
        for slide in Presentation(str(deck)).slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]


# --------------------------------------------------------------------------- the printed sheet


STUDENT_FIELDS = {
    "fr": ("Nom", "Classe", "Date"),
    "en-GB": ("Name", "Class", "Date"),
    "de-CH": ("Name", "Klasse", "Datum"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_worksheet_has_name_class_and_date_lines(outputs, tmp_path, language):
    """README: “worksheet.pdf … A4, Name / Class / Date lines”: the three words on the first page, in the
    sheet's language, each with its own line to write on under it (three lines, not one rule across the page)."""
    pdf = outputs / language / "worksheet.pdf"
    with pdfplumber.open(pdf) as document:
        words = {w["text"]: w for w in document.pages[0].extract_words()}
    labels = STUDENT_FIELDS[language]
    missing = [label for label in labels if label not in words]
    assert not missing, f"{language}: not on the first page: {missing}"
    fields = [words[label] for label in labels]
    picture = Image.open(page_pictures(pdf, tmp_path, DPI, gray=True)[0]).point(lambda v: 255 if v < 128 else 0)

    def inked(y: int, left: float, right: float) -> float:
        return picture.crop((int(left * PT), y, int(right * PT), y + 1)).histogram()[255] / ((right - left) * PT)

    top, bottom = int(max(f["bottom"] for f in fields) * PT), int((fields[0]["bottom"] + 40) * PT)
    rows = [
        y
        for y in range(top, bottom)
        if all(inked(y, f["x0"], f["x0"] + 60) > 0.98 for f in fields)  # a line under each word
        and all(inked(y, f["x0"] - 4, f["x0"] - 1) == 0 for f in fields[1:])  # … that stops before the next
    ]
    assert rows, f"{language}: no separate line to write on under each of {labels}"


def answer_space_lines(pdf: Path, folder: Path, prompt_word: str) -> int:
    """How many lines are drawn across the text width between a question's prompt and the next text below it."""
    with pdfplumber.open(pdf) as document:
        found = [(n, page, w) for n, page in enumerate(document.pages) for w in page.extract_words()]
        matches = [(n, page, w) for n, page, w in found if w["text"] == prompt_word]
        assert matches, f"no “{prompt_word}” in {pdf.name}"
        number, page, prompt = matches[0]
        below = [w["top"] for n, _, w in found if n == number and w["top"] > prompt["bottom"] + 1]
        bottom = min(below) if below else float(page.height)
        width = float(page.width)
    picture = Image.open(page_pictures(pdf, folder, DPI, gray=True)[number])
    space = picture.crop((0, int(prompt["bottom"] * PT), picture.width, int(bottom * PT)))
    return len(horizontal_lines(space, int(0.15 * width * PT), int(0.85 * width * PT), cover=0.95))


@pytest.mark.parametrize(
    ("prompt_word", "question"), [("Première", "first"), ("Deuxième", "second"), ("Troisième", "third")]
)
def test_each_question_gets_as_many_ruled_lines_as_its_lines(outputs, tmp_path, prompt_word, question):
    """README: “lines: 5  # ruled lines for the students' answer”, in the lesson's activity and in a reading.
    The lines are counted on the page as printed (full-width strokes between the prompt and the next text)."""
    counted = answer_space_lines(outputs / "fr" / "worksheet.pdf", tmp_path, prompt_word)
    assert counted == QUESTION_LINES[question]


def test_html_in_a_source_is_printed_as_typed(outputs):
    """README: “HTML is shown as typed, never interpreted” (the worksheet; the key holds only the pages
    with questions, and this text is in a section)."""
    text = squash(pdf_text(outputs / "fr" / "worksheet.pdf"))
    assert squash(HTML_BODY) in text
    assert "<b>" in text and "<br/>" in text


def test_html_in_a_source_is_shown_as_typed_in_the_deck(outputs):
    """README: “HTML is shown as typed, never interpreted” (the slide and its notes)."""
    shapes, notes = deck_texts(outputs / "fr" / "slides.pptx")
    assert HTML_POINT in shapes
    assert any(HTML_BODY in note for note in notes)


# --------------------------------------------------------------------------- numbers and dates

# Babel's long dates and decimal numbers: the README's “number formats follow each language”.
DAYS = {"fr": "9 septembre 2016", "en-GB": "9 September 2016", "de-CH": "9. September 2016"}
NUMBERS = {
    "fr": ("1234,5%", "6,2%", "1,5pt"),  # 1 234,5 % with narrow spaces, squashed
    "en-GB": ("1,234.5%", "6.2%", "1.5pt"),
    "de-CH": ("1’234.5%", "6.2%", "1.5P."),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_written_in_the_sheets_language(outputs, language):
    """README: “number formats follow each language”: a reading's first_presented.date is printed
    “9 septembre 2016” in French, “9 September 2016” in British English, “9. September 2016” in Swiss German."""
    text = " ".join(pdf_text(outputs / language / "worksheet.pdf").replace("\u202f", " ").replace("\xa0", " ").split())
    assert DAYS[language] in text
    assert not [day for other, day in DAYS.items() if other != language and day in text]


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_are_written_in_the_sheets_language(outputs, language):
    """README: “number formats follow each language”: chart values and points on the sheet
    (decimal comma in French, ’ between thousands in Swiss German), and in the deck's notes."""
    text = squash(pdf_text(outputs / language / "worksheet.pdf"))
    for number in NUMBERS[language]:
        assert number in text, (language, number)
    _, notes = deck_texts(outputs / language / "slides.pptx")
    chart_notes = squash(" ".join(notes))
    assert NUMBERS[language][0] in chart_notes and NUMBERS[language][1] in chart_notes


# --------------------------------------------------------------------------- pictures and QR codes


def pdf_images(pdf: Path) -> list[tuple[int, int, str]]:
    """(width, height, encoding) of every image drawn in the PDF, as poppler lists them."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    return [(int(row[3]), int(row[4]), row[8]) for row in rows]


@pytest.mark.parametrize("name", ["worksheet.pdf"])  # the key holds the question pages, not the pictures
def test_png_and_jpeg_pictures_are_drawn_in_the_pdf(outputs, name):
    """README: “Images go in the lesson's assets/ folder (SVG, PNG, JPEG)”: the PNG and the JPEG
    are really drawn, at their size (the JPEG kept as JPEG)."""
    images = pdf_images(outputs / "fr" / name)
    assert (*PNG_SIZE, "image") in images
    assert (*JPEG_SIZE, "jpeg") in images


def test_png_and_jpeg_pictures_are_shown_in_the_deck(outputs):
    """README: “Images go in the lesson's assets/ folder (SVG, PNG, JPEG)”: the deck shows both pictures, unchanged."""
    assets = outputs.parent.parent / "sources" / "lessons" / "promises" / "assets"
    blobs = {(p.image.content_type, p.image.blob) for p in pictures(outputs / "fr" / "slides.pptx")}
    assert ("image/png", (assets / "photo.png").read_bytes()) in blobs
    assert ("image/jpeg", (assets / "photo.jpg").read_bytes()) in blobs


def decoded(image: Image.Image) -> list[tuple[str, str]]:
    import zxingcpp

    return [(result.format.name, result.text) for result in zxingcpp.read_barcodes(image)]


def test_pdf_qr_codes_are_full_qr_codes_even_for_short_links(outputs, tmp_path):
    """README: “Every link of the activity and of the resources is printed with a QR code”; qr.py: never a
    Micro QR (phones' camera apps cannot read them). A link as short as https://a.ch would get a Micro QR
    from segno.make."""
    pytest.importorskip("zxingcpp")
    found = []
    for page in page_pictures(outputs / "fr" / "worksheet.pdf", tmp_path, 150):
        found += decoded(Image.open(page))
    assert found, "no code found at all"
    assert {kind for kind, _ in found} == {"QRCode"}, found
    assert {text for _, text in found} == {SHORT_URL, *RESOURCE_URLS}


def test_deck_qr_codes_are_full_qr_codes_even_for_short_links(outputs):
    """README: every link has its QR code, on slides too; never a Micro QR (see the PDF test)."""
    pytest.importorskip("zxingcpp")
    found = []
    for picture in pictures(outputs / "fr" / "slides.pptx"):
        found += decoded(Image.open(io.BytesIO(picture.image.blob)))
    assert found, "no code found at all"
    assert {kind for kind, _ in found} == {"QRCode"}, found
    assert {text for _, text in found} == {SHORT_URL, *RESOURCE_URLS}


# --------------------------------------------------------------------------- the deck's text

CONTINUED = {"fr": "(suite)", "en-GB": "(continued)", "de-CH": "(Fortsetzung)"}
EMU_PER_PT = 12_700


@pytest.mark.parametrize("language", LANGUAGES)
def test_text_that_does_not_fit_goes_on_continuation_slides_never_shrunk(outputs, language):
    """README: “Text on slides is never shrunk to fit: … moves what does not fit to a continuation slide
    marked “(suite)” / “(continued)”. Body text is at least 20 pt, titles 32 pt.” Six points of twelve long
    words: every point is shown once, on the section's slide or its continuations, in the sheet's language."""
    from pptx.oxml.ns import qn

    slides = [
        s
        for s in Presentation(str(outputs / language / "slides.pptx")).slides
        if s.shapes.title is not None and s.shapes.title.text_frame.text.startswith("Longue")
    ]
    titles = [s.shapes.title.text_frame.text for s in slides]
    assert len(titles) > 1 and titles[0] == "Longue"
    assert titles[1:] == [f"Longue {CONTINUED[language]}"] * (len(titles) - 1)
    shown = [
        paragraph.text
        for slide in slides
        for shape in slide.shapes
        if shape.has_text_frame and shape != slide.shapes.title
        for paragraph in shape.text_frame.paragraphs
        if paragraph.text
    ]
    assert sorted(shown) == sorted(LONG_POINTS)
    for slide in slides:
        assert not slide.shapes._spTree.findall(".//" + qn("a:normAutofit")), "text shrunk by the viewer"
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            least = 32 if shape == slide.shapes.title else 20
            sizes = [r.font.size for p in shape.text_frame.paragraphs for r in p.runs]
            assert sizes and all(size is not None and size.pt >= least for size in sizes), (shape.name, sizes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_full_text_is_in_the_speaker_notes(outputs, language):
    """README: “slides.pptx: … the answers and the full text in the speaker notes”: each section's body, which
    the slides only summarise in slide points, is in the notes."""
    _, notes = deck_texts(outputs / language / "slides.pptx")
    everything = squash(" ".join(notes))
    for paragraph in (HTML_BODY, LONG_BODY):
        assert squash(paragraph) in everything
