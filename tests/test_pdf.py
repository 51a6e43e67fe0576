"""The printed worksheet and answer key, read back from the real PDFs."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from lessonkit.cli import main
from lessonkit.loader import Sources, load_document
from lessonkit.markup import BulletList, parse_blocks, plain_text
from lessonkit.prepare import prepare

from .conftest import ROOT, SHIPPED_LESSON_FILES
from .pdftools import figure_alt_texts, page_of, page_texts, printed_page_number, printed_page_of, render_pages, squash

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (CI installs it)")


@pytest.fixture(scope="module")
def document():
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", "fr")]
    return load_document(sources, source)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    assert main(["--root", str(ROOT), "build", *map(str, SHIPPED_LESSON_FILES), "--out", str(out)]) == 0
    folder = out / "digital-labor" / "fr"
    return folder / "worksheet.pdf", folder / "answer-key.pdf"


@pytest.fixture(scope="module")
def sheet_pages(built):
    return page_texts(built[0])


@pytest.fixture(scope="module")
def key_pages(built):
    return page_texts(built[1])


def all_questions(document):
    return document.lesson.questions() + [q for r in document.readings for q in r.questions]


def answer_sentences(answer: str) -> list[str]:
    texts = []
    for block in parse_blocks(answer):
        items = block.items if isinstance(block, BulletList) else [block.children]
        texts += [plain_text(item) for item in items]
    return [t for t in texts if len(t) > 30]


def test_nothing_of_the_source_is_dropped(document, sheet_pages):
    ready = prepare(document)
    running = [ready.title.plain, ready.labels["worksheet"], f"{ready.level} · {ready.subject}"]
    notes = [f"{n.number}. {n.text.plain}" for section in ready.sections for n in section.footnotes]
    text = squash("".join(sheet_pages)) + squash("".join(body_of(page, running + notes) for page in sheet_pages))
    lesson = document.lesson
    expected = [plain_text_of(s.heading) for s in lesson.sections]
    expected += [plain_text_of(sub.heading) for s in lesson.sections for sub in s.subsections]
    expected += [plain_text_of(b.title) for s in lesson.sections for b in s.boxes]
    expected += [plain_text_of(q.prompt) for q in all_questions(document)]
    expected += [plain_text_of(r.title) for r in lesson.resources] + [plain_text_of(g.term) for g in lesson.glossary]
    expected += [n.text for s in lesson.sections for n in s.footnotes]
    # body text sentence by sentence (a footnote call sits between two sentences)
    expected += [sentence for s in lesson.sections for p in s.body for sentence in plain_text_of(p).split(". ")]
    reading = document.readings[0]
    expected += [plain_text_of(s.heading) for s in reading.sections] + [plain_text_of(c.term) for c in reading.concepts]
    missing = [e for e in expected if squash(e) not in text]
    assert not missing


def body_of(page: str, skipped: list[str]) -> str:
    """A page's text without the lines of ``skipped`` (running header and footer, footnotes) and its
    page number: a sentence that goes on over the page then reads whole."""
    skipped = [squash(text) for text in skipped]
    kept = [
        line
        for line in page.splitlines()
        if not re.fullmatch(r"Page \d+ / \d+", line.strip())
        and not any(squash(line) and text.startswith(squash(line)) for text in skipped)
    ]
    return "\n".join(kept)


def plain_text_of(text: str) -> str:
    from lessonkit.markup import parse_inline

    return plain_text(parse_inline(text))


def test_sheet_and_key_have_identical_page_breaks(document, sheet_pages, key_pages):
    """Each question is on the key's page that bears the number of the sheet's page it is on."""
    assert len(sheet_pages) >= 5
    for question in all_questions(document):
        prompt = plain_text_of(question.prompt)
        assert page_of(sheet_pages, prompt) == printed_page_of(key_pages, prompt) is not None, question.id


def test_the_key_holds_a_teacher_page_then_only_the_sheet_pages_with_questions(document, sheet_pages, key_pages):
    with_questions = sorted(
        {page_of(sheet_pages, plain_text_of(question.prompt)) for question in all_questions(document)}
    )
    assert "Barème" in key_pages[0] and "Déroulement" in key_pages[0]
    assert printed_page_number(key_pages[0]) is None
    numbers = [printed_page_number(page) for page in key_pages[1:]]
    assert numbers == sorted(set(numbers)) and set(with_questions) <= set(numbers)
    # any other page holds the lines of a question begun on the page before
    assert all(number - 1 in numbers for number in set(numbers) - set(with_questions)), numbers
    assert len(key_pages) < len(sheet_pages)


def test_student_sheet_has_no_answer_and_the_key_has_them_all(document, sheet_pages, key_pages):
    sheet, key = squash("".join(sheet_pages)), squash("".join(key_pages))
    for question in all_questions(document):
        for sentence in answer_sentences(question.answer):
            assert squash(sentence)[:60] not in sheet, question.id
            assert squash(sentence)[:60] in key, question.id


def test_key_is_marked_on_every_page(key_pages, sheet_pages):
    assert all("Corrigé" in page for page in key_pages)
    assert not any("Corrigé" in page for page in sheet_pages)


def test_running_footer_counts_pages(sheet_pages):
    total = len(sheet_pages)
    for number, page in enumerate(sheet_pages, start=1):
        assert f"Page {number} / {total}" in page


def test_footnotes_print_on_the_page_of_their_call(document, sheet_pages):
    """Each footnote is printed at the foot of the page where the text that calls it is."""
    from lessonkit.nodes import Note, Text

    calls = 0
    for section in prepare(document).sections:
        for paragraph in section.body:
            before = ""
            for node in paragraph.nodes:
                if isinstance(node, Note):
                    page = page_of(sheet_pages, before[-40:])  # the words just before the call
                    assert page is not None, before
                    assert squash("".join(n.text for n in node.children if isinstance(n, Text))) in squash(
                        sheet_pages[page - 1].split(before[-20:].split()[-1])[-1]
                    )
                    calls += 1
                before += getattr(node, "text", "") or plain_text(getattr(node, "children", ()))
    assert calls == sum(len(s.footnotes) for s in document.lesson.sections) > 0


def test_fonts_are_the_bundled_ones_all_embedded(built):
    listing = subprocess.run(["pdffonts", str(built[0])], check=True, capture_output=True, text=True).stdout
    fonts = listing.splitlines()[2:]
    assert fonts and all("Lessonkit-Lato" in line and " yes yes " in line for line in fonts), listing


def test_a_real_pdf_metadata_bookmarks_links_tags(built, document):
    reader = PdfReader(built[0])
    meta = reader.metadata
    assert meta.title.startswith("Qu’est-ce que le digital labor")
    assert "Équipe lessonkit" in meta.author
    assert "Secondaire II" in meta.subject and "Crowdsourcing" in meta.get("/Keywords", "")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    titles = [item.title for item in flatten(reader.outline)]
    assert any("Un nouveau regard sur le Web" in t for t in titles)
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    }
    assert {r.url for r in document.lesson.resources} <= uris


def flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


def test_figures_and_qr_codes_carry_alt_text(built, document):
    alts = figure_alt_texts(PdfReader(built[0]))
    assert alts and all(alts), alts
    [figure] = [f for f in document.lesson.figures() if f.image]
    assert figure.alt.split()[0] in " ".join(alts)
    assert sum(a.startswith("code QR") for a in alts) == len(document.lesson.resources) + 1


def test_every_link_has_a_qr_code_that_scans_back_to_it(built, document, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    expected = {r.url for r in document.lesson.resources} | {m.url for m in document.lesson.activity.materials}
    decoded = set()
    for png in render_pages(built[0], tmp_path, dpi=150):
        for result in zxingcpp.read_barcodes(Image.open(png)):
            assert result.format == zxingcpp.BarcodeFormat.QRCode
            decoded.add(result.text)
    assert decoded == expected


def test_letter_paper(tmp_path):
    french = str(SHIPPED_LESSON_FILES[0])
    assert main(["--root", str(ROOT), "build", french, "--paper", "letter", "--out", str(tmp_path)]) == 0
    box = PdfReader(tmp_path / "digital-labor" / "fr" / "worksheet.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_a4_is_the_default(built):
    box = PdfReader(built[0]).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_french_spacing_reaches_the_page_but_not_the_urls(built):
    text = "".join(page.extract_text() for page in PdfReader(built[0]).pages)
    assert "de «\u202fmicro-travail\u202f»\u202f?" in text
    assert "youtube.com/watch?v=Y8URdO7mDfg" in text


@pytest.fixture(scope="module")
def renderer():
    from lessonkit.render.pdf import PdfRenderer

    return PdfRenderer()


def test_no_heading_is_left_alone_at_the_foot_of_a_page(renderer, document):
    from lessonkit.render.pdf import iter_boxes

    rendered = renderer.render(prepare(document))
    for layout in (rendered.worksheet, rendered.answer_key):
        for number, page in enumerate(layout.pages, start=1):
            blocks = [
                box.element_tag
                for box in iter_boxes(page._page_box)
                if box.element_tag in ("h1", "h2", "h3", "p", "li", "dd", "figure", "div")
                and box.element is not None
                and "footnote" not in (box.element.get("class") or "")
                and "running-strings" not in (box.element.get("class") or "")
            ]
            assert blocks and blocks[-1] not in ("h1", "h2", "h3"), f"page {number} ends with a heading"


def test_document_and_foreign_words_carry_their_language(renderer, document):
    html = renderer.html(prepare(document), answer_key=False)
    assert '<html lang="fr">' in html
    assert '<span lang="en">digital labor</span>' in html
    assert "hyphens: auto" in (ROOT / "layouts" / "pdf" / "worksheet.css").read_text(encoding="utf-8")


def test_shipped_lesson_renders_without_any_warning(renderer, document):
    """No missing glyph, no failed resource, no answer longer than its lines."""
    assert renderer.render(prepare(document)).warnings == []


@pytest.mark.parametrize("language", ["fr", "de-CH"])
def test_callout_boxes_hold_their_floated_figures(renderer, language):
    from lessonkit.render.pdf import iter_boxes

    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", language)]
    rendered = renderer.render(prepare(load_document(sources, source)))
    with_figure = 0
    for page in rendered.worksheet.pages:
        for box in iter_boxes(page._page_box):
            if box.element_tag == "aside" and "box" in (box.element.get("class") or ""):
                bottom = box.position_y + box.margin_height()
                inner = [b.position_y + b.margin_height() for b in iter_boxes(box) if hasattr(b, "margin_height")]
                assert max(inner) <= bottom + 1, f"{language}: something sticks out of a box"
                with_figure += any(b.element_tag == "figure" for b in iter_boxes(box))
    assert with_figure, f"{language}: the shipped lesson's illustrated box was not found"
