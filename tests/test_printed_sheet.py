"""The printed sheet as a class gets it: students' words only, room to write, points, a header that
holds, a key of the question pages, an accessible PDF.

Tests about the shipped lesson name it (``digital-labor``); the engine tests build fixture projects.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from lessonkit import handwriting
from lessonkit.cli import main
from lessonkit.loader import Sources, load_document
from lessonkit.prepare import prepare

from .conftest import ROOT, SAMPLE_LESSON, SHIPPED_LESSON_FILES
from .pdftools import page_texts, printed_page_number, squash

LANGUAGES = ["fr", "en-GB", "de-CH"]
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (CI installs it)")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("printed")
    assert main(["--root", str(ROOT), "build", *map(str, SHIPPED_LESSON_FILES), "--quiet", "--out", str(out)]) == 0
    return out / "digital-labor"


def shipped_document(language: str):
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", language)]
    return load_document(sources, source)


# --------------------------------------------------------------------------- students' and teacher's words


@pytest.mark.parametrize("language", LANGUAGES)
def test_teacher_instructions_are_in_the_key_never_on_the_student_sheet(shipped, language):
    activity = shipped_document(language).lesson.activity
    assert activity.teacher_instructions, "the shipped lesson says what the teacher does"
    sheet = squash("".join(page_texts(shipped / language / "worksheet.pdf")))
    key = squash("".join(page_texts(shipped / language / "answer-key.pdf")))
    for text in (prepare(shipped_document(language)).activity.teacher_instructions[0].plain,):
        assert squash(text)[:60] not in sheet
        assert squash(text)[:60] in key
    for text in prepare(shipped_document(language)).activity.instructions:
        assert squash(text.plain)[:60] in sheet


def test_the_french_sheet_speaks_to_students():
    instructions = " ".join(shipped_document("fr").lesson.activity.instructions)
    assert "Regardez" in instructions and "répondez" in instructions
    assert "Diffuser" not in instructions and "poser les questions" not in instructions


# --------------------------------------------------------------------------- room to write


@pytest.mark.parametrize(
    ("answer", "lines"),
    [
        ("Oui.", 2),  # one line, and the spare one
        ("x" * 60, 2),
        ("x" * 61, 3),
        ("x" * 680, 13),  # the measured case: 680 characters need 12 handwritten lines
        ("Un début.\n\n- un\n- deux", 4),  # each paragraph and each bullet starts a line
        ("x" * 5000, 40),  # never more than a page of lines
    ],
)
def test_handwriting_space_follows_the_answer(answer, lines):
    assert handwriting.lines_needed(answer) == lines


def test_a_question_without_lines_gets_room_for_its_answer(project):
    text = SAMPLE_LESSON.replace("      lines: 4\n", "").replace("answer: Parce que.", "answer: " + "mot " * 60)
    project.write(text)
    sources = Sources(project.root / "sources")
    question = prepare(load_document(sources, sources.lessons()[0])).activity.questions[0]
    assert question.lines == handwriting.lines_needed("mot " * 60) == 5  # 239 characters: 4 lines and a spare


def test_too_few_lines_is_a_warning_with_file_line_and_field(project, capsys):
    project.write(SAMPLE_LESSON.replace("answer: Parce que.", "answer: " + "Une longue réponse. " * 20))
    assert main(["--root", str(project.root), "check"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"fr\.yaml:35:14: activity\.questions\.1\.lines: warning: question “first” gives 4 lines", err)
    assert "about 8" in err


def test_the_shipped_lesson_needs_no_warning(capsys):
    assert main(["--root", str(ROOT), "check", "digital-labor"]) == 0
    assert "warning" not in capsys.readouterr().err


# --------------------------------------------------------------------------- points, the key


def test_points_beside_each_question_and_the_total_in_the_title_block(shipped):
    document = prepare(shipped_document("fr"))
    pages = page_texts(shipped / "fr" / "worksheet.pdf")
    assert document.total_points == "30 pt"
    assert re.search(r"Points\s*/\s*30\u202fpt|Points\s*/ 30 pt", pages[0].replace("\u00a0", " "))
    for question in document.questions():
        page = next(p for p in pages if squash(question.prompt.plain)[:40] in squash(p))
        assert question.points.replace("\u00a0", " ") in page.replace("\u00a0", " "), question.id


def test_the_key_starts_with_a_marking_scheme_that_adds_up(shipped):
    document = prepare(shipped_document("fr"))
    cover = page_texts(shipped / "fr" / "answer-key.pdf")[0]
    assert "Barème" in cover and "Total" in cover and "30 pt" in cover
    points = [float(q.points.split()[0].replace(",", ".")) for q in document.questions()]
    assert sum(points) == 30
    for question in document.questions():
        assert f"{question.label}." in cover


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_key_keeps_only_question_pages_with_their_numbers(shipped, language):
    sheet = page_texts(shipped / language / "worksheet.pdf")
    key = page_texts(shipped / language / "answer-key.pdf")
    numbers = [printed_page_number(page) for page in key[1:]]
    assert numbers == sorted(numbers) and len(key) < len(sheet)
    for number, page in zip(numbers, key[1:], strict=True):
        assert f"/ {len(sheet)}" in page, "the key shows the worksheet's page count"
        assert page_texts_share_a_question(sheet[number - 1], page), number


def page_texts_share_a_question(sheet_page: str, key_page: str) -> bool:
    """The key's page shows the prompts of the sheet's page of the same number; a page where a question's
    lines go on from the page before (it may have no prompt) shows the sheet page's text."""
    prompts = re.findall(r"^\d+\. .{20}", sheet_page, flags=re.MULTILINE)
    if prompts:
        return all(squash(p) in squash(key_page) for p in prompts)
    body = [line for line in sheet_page.splitlines()[2:-2] if len(line.strip()) > 25]
    return all(squash(line) in squash(key_page) for line in body)


# --------------------------------------------------------------------------- the header


def test_units_are_in_normal_case(shipped):
    first = page_texts(shipped / "fr" / "worksheet.pdf")[0]
    assert "90 min" in first and "90 MIN" not in first


LONG_TITLE = "Une leçon au titre très long " * 5  # about 145 characters, cut to 120 below
LONG_SUBJECT = "Éducation numérique et citoyenneté dans un monde connecté" + "!"  # 58 characters


@pytest.mark.parametrize("language", ["fr", "de", "it", "en", "es"])
def test_the_key_label_never_covers_the_title_block(tmp_path, language):
    pdfplumber = pytest.importorskip("pdfplumber")
    folder = tmp_path / "sources" / "lessons" / "sample"
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "picture.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8"
    )
    data = yaml.safe_load(SAMPLE_LESSON)
    data.update(language=language, title=LONG_TITLE[:120].strip(), subject=LONG_SUBJECT, level="Secondaire II")
    (folder / f"{language}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["--root", str(tmp_path), "build", "--quiet", "--out", str(tmp_path / "out")]) == 0
    key = tmp_path / "out" / "sample" / language / "answer-key.pdf"
    with pdfplumber.open(key) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        kicker_top = min(w["top"] for w in words if w["text"].startswith("Secondaire"))
        label_bottom = max(w["bottom"] for w in words if w["bottom"] < kicker_top)
        assert label_bottom < kicker_top, "the key's label sits above the title block, in the margin"
        assert any(w["text"].startswith("connecté") for w in words), "the subject is printed whole"


# --------------------------------------------------------------------------- reading comfort, paper


def test_lesson_lines_are_under_90_characters(shipped):
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(shipped / "fr" / "worksheet.pdf") as pdf:
        longest = max(len(line) for page in pdf.pages[:6] for line in column_lines(page))
    assert longest < 90


def column_lines(page) -> list[str]:
    """Each line of body text on a page (10 pt or more: not footnotes, headers or captions), a line of
    each column on its own (a gap of 5 mm splits them)."""
    lines: dict[int, list] = {}
    for word in page.extract_words(extra_attrs=["size"]):
        if word["size"] < 9.9:
            continue
        lines.setdefault(round(word["top"]), []).append(word)
    result = []
    for words in lines.values():
        words.sort(key=lambda w: w["x0"])
        current = [words[0]]
        for word in words[1:]:
            if word["x0"] - current[-1]["x1"] > 14:  # 5 mm
                result.append(" ".join(w["text"] for w in current))
                current = []
            current.append(word)
        result.append(" ".join(w["text"] for w in current))
    return result


def test_references_stay_on_the_sheet_in_small_print(shipped):
    reading = shipped_document("fr").readings[0]
    text = squash("".join(page_texts(shipped / "fr" / "worksheet.pdf")))
    assert all(squash(r.citation)[:30].replace("*", "") in text.replace("*", "") for r in reading.references[:3])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reading_title_keeps_the_original_with_a_gloss(language):
    title = shipped_document(language).readings[0].title
    assert "La plateformisation comme mise au travail des usagers" in title
    if language != "fr":
        assert "(" in title and title.rstrip().endswith(")"), "a translation glosses the French title"


# --------------------------------------------------------------------------- an accessible PDF


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["worksheet.pdf", "answer-key.pdf"])
def test_an_independent_pdf_ua_checker_finds_no_error(shipped, language, name):
    outloud = shutil.which("outloud") or str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "outloud")
    if not Path(outloud).exists():
        pytest.skip("needs outloud (requirements-dev.lock)")
    report = subprocess.run([outloud, "--json", "-", str(shipped / language / name)], capture_output=True, text=True)
    [result] = json.loads(report.stdout)["results"]
    findings = {finding["rule"]: finding["message"] for finding in result["findings"]}
    assert result["counts"]["error"] == 0, findings
    # fixed in lessonkit: list structure, running headers as artifacts, printable links, no empty tags
    assert not {"LST-001", "LST-003", "PAG-001", "LNK-004", "TAG-020"} & set(findings), findings


def test_links_print_and_running_headers_are_artifacts(shipped):
    reader = PdfReader(shipped / "fr" / "worksheet.pdf")
    flags = [
        annotation.get_object().get("/F")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert flags and all(flag == 4 for flag in flags)
    content = reader.pages[1].get_contents().get_data()
    assert b"/Artifact" in content and b"/Pagination" in content


def test_the_deck_shows_each_question_s_points(shipped):
    from pptx import Presentation

    titles = [s.shapes.title.text_frame.text for s in Presentation(str(shipped / "fr" / "slides.pptx")).slides]
    for question in prepare(shipped_document("fr")).activity.questions:
        assert f"Question {question.label} · {question.points}" in titles


def test_the_french_sheet_prints_on_ten_a4_pages_and_its_translations_on_eleven_at_most(shipped):
    """Paper: the shipped French worksheet on at most 10 A4 pages, nothing dropped (every prompt, all
    the ruled lines of the handwriting rule), the other languages within one page of it."""
    pages = {language: len(PdfReader(shipped / language / "worksheet.pdf").pages) for language in LANGUAGES}
    assert pages["fr"] <= 10, pages
    assert all(count <= 11 for count in pages.values()), pages
    document = prepare(shipped_document("fr"))
    text = squash("".join(page_texts(shipped / "fr" / "worksheet.pdf")))
    assert all(squash(q.prompt.plain)[:40] in text for q in document.questions())
    assert sum(q.lines for q in document.questions()) == 136  # the handwriting rule's space, not less


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_typed_answer_goes_on_over_the_page_where_the_lines_do(shipped, language):
    """A question's lines may go on over the page; in the key its typed answer begins on the page of its
    prompt and ends there or on the next page, the one the lines go on to. The French key has one."""
    from lessonkit.prepared import BulletList

    sheet = page_texts(shipped / language / "worksheet.pdf")
    key = {printed_page_number(page): squash(page) for page in page_texts(shipped / language / "answer-key.pdf")[1:]}
    continued = 0
    for question in prepare(shipped_document(language)).questions():
        page = next(n for n, text in enumerate(sheet, 1) if squash(question.prompt.plain)[:40] in squash(text))
        texts = [t.plain for b in question.answer for t in (b.items if isinstance(b, BulletList) else [b.text])]
        first, last = squash(texts[0])[:30], squash(texts[-1])[-30:]
        assert first in key[page], question.id
        assert last in key[page] or last in key.get(page + 1, ""), question.id
        continued += last not in key[page]
    assert continued or language != "fr"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_but_the_last_is_more_than_a_quarter_empty_unless_a_question_would_be_cut(language):
    """A page ends more than 25 % short only where the next question, kept whole with its lines,
    did not fit in what was left."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox

    from lessonkit.render.pdf import PdfRenderer, iter_boxes

    sheet = PdfRenderer().render(prepare(shipped_document(language))).worksheet
    for number, (page, following) in enumerate(zip(sheet.pages, sheet.pages[1:], strict=False), start=1):
        box = page._page_box
        top, height = box.content_box_y(), box.height
        margins = {id(b) for m in box.children if isinstance(m, MarginBox) for b in iter_boxes(m)}
        drawn = [
            b.position_y + b.height
            for b in iter_boxes(box)
            if id(b) not in margins
            and (isinstance(b, LineBox) or "rule" in (b.element.get("class") or "") if b.element is not None else False)
        ]
        empty = 1 - (max(drawn) - top) / height
        if empty > 0.25:
            first_question = next(
                (
                    b
                    for b in iter_boxes(following._page_box)
                    if b.element is not None and (b.element.get("id") or "").startswith("question-")
                ),
                None,
            )
            assert first_question is not None, f"{language}: page {number} is {empty:.0%} empty"
            assert first_question.margin_height() > empty * height, f"{language}: page {number}: the question fitted"


CONTINUED = {"fr": "Question {} (suite)", "en-GB": "Question {} (continued)", "de-CH": "Frage {} (Fortsetzung)"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_that_starts_inside_a_questions_lines_names_the_question_in_its_header(language):
    """Lines at the top of a page with no question above them say whose they are: “Question 3 (suite)”,
    on the sheet and in the key; a page that does not start inside a question says nothing there."""
    from weasyprint.formatting_structure.boxes import MarginBox, TextBox

    from lessonkit.render.pdf import PdfRenderer, iter_boxes

    document = prepare(shipped_document(language))
    labels = {f"question-{q.anchor}": q.label for q in document.questions()}
    rendered = PdfRenderer().render(document)
    named = 0
    for kind, pdf in (("sheet", rendered.worksheet), ("key", rendered.answer_key)):
        started: set[str] = set()  # questions whose prompt is on this page or an earlier one
        for number, page in enumerate(pdf.pages, start=1):
            box = page._page_box
            margins = [m for m in box.children if isinstance(m, MarginBox)]
            [centre] = [m for m in margins if m.at_keyword == "@top-center"]
            header = "".join(b.text for b in iter_boxes(centre) if isinstance(b, TextBox))
            in_flow = [b for b in iter_boxes(box) if b.element is not None and not any(b is m for m in margins)]
            questions = [b.element.get("id") for b in in_flow if (b.element.get("id") or "") in labels]
            going_on = [q for q in dict.fromkeys(questions) if q in started]
            expected = CONTINUED[language].format(labels[going_on[0]]) if going_on else ""
            assert header.replace("\xa0", " ") == expected, f"{language} {kind}, page {number}"
            named += bool(going_on)
            started.update(questions)
    assert named >= 4, "the shipped sheet has questions that go on over a page, in the sheet and the key"
