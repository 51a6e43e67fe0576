"""The shipped decks (digital-labor in fr, en-GB and de-CH), opened with python-pptx and rendered by LibreOffice.

What a teacher projects: at most 20 slides, a few words each, large; answers appear on a click; the
speaker notes hold the teacher notes and the full text; the chart speaks the edition's language; the
file passes an OOXML validator that is not python-pptx. The rules themselves are tested on fixture
projects of their own in ``test_deck_plan.py``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn

from lessonkit.i18n import format_number, labels_for, proofing_tag
from lessonkit.loader import Sources, load_document
from lessonkit.markup import parse_blocks, plain_text
from lessonkit.prepare import prepare
from lessonkit.prepared import Options
from lessonkit.render import textfit
from lessonkit.render.ooxml import inherited_style
from lessonkit.render.pptx import LAYOUT_NAMES, TEMPLATE, DeckError, DeckRenderer

from .conftest import ROOT

LANGUAGES = ["fr", "en-GB", "de-CH"]
EMU = textfit.EMU_PER_PT
SLIDE_BUDGET, WORD_BUDGET, PARAGRAPH_WORDS = 20, 40, 25
MIN_BODY, MIN_QUESTION, MIN_TITLE, MIN_CHART = 24, 32, 32, 18


def shipped(language: str):
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", language)]
    return load_document(sources, source)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("decks")
    renderer = DeckRenderer()
    paths = {}
    for language in LANGUAGES:
        deck = renderer.render(prepare(shipped(language)))
        assert deck.warnings == [], deck.warnings
        paths[language] = folder / f"{language}.pptx"
        renderer.write(deck.presentation, paths[language])
    return paths


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def squash(text: str) -> str:
    """The words, without spaces or quotation marks (the language's marks replace the ones typed)."""
    return "".join(char for char in "".join(text.split()) if char not in '\u202f\u00a0"“”«»„')


def count_words(text: str) -> int:
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


def notes_of(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def text_shapes(slide):
    """The slide's text, title excepted: every text shape on it."""
    return [s for s in slide.shapes if s.has_text_frame and s != slide.shapes.title and s.text_frame.text.strip()]


def plain_text_of(text: str) -> str:
    from lessonkit.markup import parse_inline

    return plain_text(parse_inline(text))


def click_targets(slide) -> list[int]:
    """Ids of the shapes an entrance effect shows on a click (p:timing), in order."""
    targets = []
    for node in slide._element.iter(qn("p:cTn")):
        if node.get("presetClass") == "entr" and node.get("nodeType") in ("clickEffect", "withEffect"):
            targets += [int(t.get("spid")) for t in node.iter(qn("p:spTgt"))]
    return targets


def question_slides(deck, language: str):
    word = labels_for(language)["question"]
    return [s for s in deck.slides if re.fullmatch(rf"{word} \d+( · .+)?", slide_title(s))]  # and its points


# --------------------------------------------------------------------------- template and structure


def test_template_is_16_9_with_named_layouts():
    template = Presentation(str(TEMPLATE))
    assert (template.slide_width, template.slide_height) == (12_192_000, 6_858_000)
    assert set(LAYOUT_NAMES) <= {layout.name for layout in template.slide_layouts}


def test_a_template_missing_a_layout_is_refused_by_name(tmp_path):
    template = Presentation(str(TEMPLATE))
    [chart] = [layout for layout in template.slide_layouts if layout.name == "Chart"]
    chart._element.find(qn("p:cSld")).set("name", "Graph")
    template.save(str(tmp_path / "school.pptx"))
    with pytest.raises(DeckError, match="Chart"):
        DeckRenderer(tmp_path / "school.pptx").render(prepare(shipped("fr")))


def test_deck_follows_the_lesson(decks):
    document = shipped("fr")
    deck = Presentation(str(decks["fr"]))
    slides = list(deck.slides)
    titles = [slide_title(s) for s in slides]
    assert slides[0].slide_layout.name == "Title" and "digital labor" in titles[0]
    for section in document.lesson.sections:
        assert any(squash(plain_text_of(section.heading)) in squash(t) for t in titles), section.heading
    assert any(s.slide_layout.name == "Picture" and any(sh.shape_type == 13 for sh in s.shapes) for s in slides)
    questions = [i for i, t in enumerate(titles) if t.startswith("Question ")]
    assert len(questions) == len(document.lesson.questions())  # the reading's are on its discussion slide
    for index in questions:  # no “Réponse” slide any more: the answer appears on the question's slide
        assert not titles[index + 1].startswith("Réponse "), titles[index + 1]
        assert click_targets(slides[index])
    [discussion] = [s for s in slides if slide_title(s) == labels_for("fr")["discussion"]]
    listed = discussion.placeholders[1].text_frame.text
    assert all(squash(plain_text_of(q.slide_prompt)) in squash(listed) for q in document.readings[0].questions)
    glossary = " ".join(s.shapes.placeholders[1].text_frame.text for s in slides if "Glossaire" in slide_title(s))
    assert all(plain_text_of(g.term) in glossary for g in document.lesson.glossary)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_deck_keeps_to_its_budget(decks, language):
    """At most 20 slides; no continuation slide; one slide per question; the reading in at most 4 slides."""
    deck = Presentation(str(decks[language]))
    document = shipped(language)
    labels = labels_for(language)
    slides = list(deck.slides)
    titles = [slide_title(s) for s in slides]
    assert len(slides) <= SLIDE_BUDGET
    # no continuation slide, but the links' (two with their QR codes on a slide)
    assert not any(labels["continued"] in slide_title(s) for s in slides if s.slide_layout.name != "Two Columns")
    assert len(question_slides(deck, language)) == len(document.lesson.questions())
    reading_title = plain_text_of(document.readings[0].title)
    start = next(i for i, t in enumerate(titles) if squash(reading_title) in squash(t))
    end = titles.index(labels["discussion"])
    assert end - start + 1 <= 4
    assert titles[-1] == labels["remember"]
    resources = [s for s in slides if slide_title(s).startswith(labels["resources"])]
    assert len(resources) == -(-len(document.lesson.resources) // 2)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_slide_shows_more_than_40_words(decks, language):
    for number, slide in enumerate(Presentation(str(decks[language])).slides, start=1):
        shapes = text_shapes(slide)
        words = sum(count_words(s.text_frame.text) for s in shapes)
        assert words <= WORD_BUDGET, f"{language} slide {number} “{slide_title(slide)}”: {words} words"
        for shape in shapes:
            for paragraph in shape.text_frame.paragraphs:
                assert count_words(paragraph.text) <= PARAGRAPH_WORDS, (language, number, paragraph.text)


# --------------------------------------------------------------------------- fit, sizes, languages


def default_bold(shape) -> bool:
    """The weight a shape's runs inherit from its layout placeholder when they say none."""
    if not shape.is_placeholder:
        return False
    layout = shape.part.slide_layout
    inherited = next((s for s in layout.placeholders if s.placeholder_format.idx == shape.placeholder_format.idx), None)
    if inherited is None:
        return False
    title = shape.placeholder_format.type is not None and "TITLE" in str(shape.placeholder_format.type)
    return bool(inherited_style(inherited, layout.slide_master, title)[1])


def measured_paragraphs(shape) -> list[textfit.Paragraph]:
    """Re-measure a saved text shape from its XML alone (independent of how the renderer built it)."""
    paragraphs = []
    inherited = default_bold(shape)
    for paragraph in shape.text_frame.paragraphs:
        properties = paragraph._p.pPr
        runs = tuple(
            textfit.Run(
                r.text,
                inherited if r.font.bold is None else r.font.bold,
                bool(r.font.italic),
                r.font.name == textfit.CODE_FONT,
            )
            for r in paragraph.runs
        )
        sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None]
        assert sizes or not runs, f"a run without an explicit size in “{shape.text_frame.text[:40]}”"
        before = properties.find(qn("a:spcBef")) if properties is not None else None
        points = before.find(qn("a:spcPts")) if before is not None else None
        indent = int(properties.get("marL", 0)) / EMU if properties is not None else 0.0
        hanging = -int(properties.get("indent", 0)) / EMU if properties is not None else 0.0
        paragraphs.append(
            textfit.Paragraph(
                runs,
                max(sizes) if sizes else 18.0,
                indent=indent,
                hanging=hanging,
                space_before=int(points.get("val")) / 100 if points is not None else 0.0,
                line_spacing=paragraph.line_spacing if isinstance(paragraph.line_spacing, float) else 1.0,
            )
        )
    return paragraphs


def frame_of(shape) -> textfit.Frame:
    body = shape.text_frame._txBody.bodyPr
    inset = lambda name, default: int(body.get(name, default)) / EMU  # noqa: E731
    return textfit.Frame(
        shape.width / EMU,
        shape.height / EMU,
        inset("lIns", 91440),
        inset("rIns", 91440),
        inset("tIns", 45720),
        inset("bIns", 45720),
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_is_taller_than_its_box_and_sizes_are_legible(decks, language):
    deck = Presentation(str(decks[language]))
    questions = question_slides(deck, language)
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            where = f"{language} slide {number} “{shape.text_frame.text[:50]}”"
            paragraphs = measured_paragraphs(shape)
            assert textfit.fits(paragraphs, frame_of(shape)), where
            if shape == slide.shapes.title:
                minimum = MIN_TITLE
            elif slide in questions and shape.shape_id not in click_targets(slide):
                minimum = MIN_QUESTION  # the question itself
            else:
                minimum = MIN_BODY
            assert min(p.size for p in paragraphs if p.runs) >= minimum, where
            assert shape.text_frame._txBody.bodyPr.find(qn("a:normAutofit")) is None, where


def test_text_is_written_at_the_size_it_was_measured_at(decks):
    """The plan's size for every text block is the size of every run the file holds for it."""
    renderer = DeckRenderer()
    plan = renderer.plan(prepare(shipped("fr")))
    deck = Presentation(str(decks["fr"]))
    for planned, slide in zip(plan.slides, deck.slides, strict=True):
        shapes = text_shapes(slide)
        written = sorted({run.font.size.pt for s in shapes for p in s.text_frame.paragraphs for run in p.runs})
        assert written == sorted({block.size for block in planned.texts if block.paras}), planned.title_text
        titles = {run.font.size.pt for p in slide.shapes.title.text_frame.paragraphs for run in p.runs}
        assert titles == {planned.title_size}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_run_carries_its_language(decks, language):
    tag = proofing_tag(language)
    deck = Presentation(str(decks[language]))
    assert deck.core_properties.language == tag
    assert deck.core_properties.title
    for slide in deck.slides:
        for part in (slide, slide.notes_slide):
            for run in part._element.iter(qn("a:r")):
                lang = run.find(qn("a:rPr")).get("lang")
                assert lang == tag or (run.findtext(qn("a:t")) or "").strip() in foreign_words(language, lang), (
                    lang,
                    run.findtext(qn("a:t")),
                )
    defaults = deck.part._element.find(qn("p:defaultTextStyle")).find(qn("a:lvl1pPr")).find(qn("a:defRPr"))
    assert defaults.get("lang") == tag


REGIONS = {"en": "en-GB", "fr": "fr-CH", "de": "de-CH"}  # the spell-checker's tag of a foreign word's language


def foreign_words(language: str, tag: str) -> set[str]:
    """Words the sources mark as being in another language ([digital labor]{lang=en}), with their tag,
    read from the files themselves: every word of such a span may be a run of its own."""
    words: set[str] = {""}
    for folder in ("lessons/digital-labor", "readings/casilli-2016"):
        text = (ROOT / "sources" / folder / f"{language}.yaml").read_text(encoding="utf-8")
        for span, span_language in re.findall(r"\[([^\[\]]+)\]\{lang=([a-zA-Z-]+)\}", text.replace("\n", " ")):
            if REGIONS.get(span_language, span_language) == tag:
                span = " ".join(span.replace("*", "").split())
                words |= {span, *span.split()}
    return words


@pytest.mark.parametrize("language", LANGUAGES)
def test_foreign_words_get_exactly_their_language(decks, language):
    """In the French deck, “digital labor” is tagged en-GB, so PowerPoint spell-checks it as English."""
    deck = Presentation(str(decks[language]))
    tags = {
        (run.findtext(qn("a:t")) or "").strip(): run.find(qn("a:rPr")).get("lang")
        for slide in deck.slides
        for run in slide._element.iter(qn("a:r"))
    }
    english = [text for text, tag in tags.items() if tag == "en-GB"]
    if language == "fr":
        assert any("labor" in text for text in english), english
        assert tags.get("Plateformisation") == "fr-CH"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_label_of_another_language(decks, language):
    text = " ".join(
        shape.text_frame.text
        for slide in Presentation(str(decks[language])).slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    for other in LANGUAGES:
        if other != language:
            for key in ("answer", "glossary", "continued", "remember", "exit_question"):
                assert labels_for(other)[key] not in text.split("\n"), (other, key)
                assert f"{labels_for(other)[key]} " not in text, (other, key)
    assert labels_for(language)["glossary"] in text


def test_title_and_subtitle_share_one_alignment_and_titles_keep_their_weight(decks):
    deck = Presentation(str(decks["fr"]))
    master = deck.slide_master
    [layout] = [layout for layout in deck.slide_layouts if layout.name == "Title"]
    title, subtitle = sorted(layout.placeholders, key=lambda s: s.placeholder_format.idx)
    assert inherited_style(title, master, True)[2] == inherited_style(subtitle, master, False)[2]
    for slide in deck.slides:
        for paragraph in slide.shapes.title.text_frame.paragraphs:
            assert paragraph._p.pPr is None or paragraph._p.pPr.get("algn") is None  # the layout's alignment
            for run in paragraph.runs:
                assert run.font.bold is None, slide_title(slide)  # the weight the layout gives
        assert default_bold(slide.shapes.title), slide.slide_layout.name


# --------------------------------------------------------------------------- answers on a click, notes


@pytest.mark.parametrize("language", LANGUAGES)
def test_key_points_appear_on_a_click(decks, language):
    document = prepare(shipped(language))
    deck = Presentation(str(decks[language]))
    slides = question_slides(deck, language)
    assert len(slides) == len(document.activity.questions)
    for slide, question in zip(slides, document.activity.questions, strict=True):
        [target] = click_targets(slide)
        shapes = {shape.shape_id: shape for shape in slide.shapes}
        revealed = shapes[target].text_frame
        assert [p.text for p in revealed.paragraphs] == [point.plain for point in question.key_points]
        asked = [s for s in text_shapes(slide) if s.shape_id != target]
        prompts = [[question.prompt.plain], *([[question.slide_prompt.plain]] if question.slide_prompt else [])]
        assert [s.text_frame.text for s in asked] in prompts
        timing = slide._element.find(qn("p:timing"))
        [effect] = [c for c in timing.iter(qn("p:cTn")) if c.get("presetClass") == "entr"]
        assert (effect.get("nodeType"), effect.get("presetID")) == ("clickEffect", "1")  # “Appear”, on a click
        [behaviour] = timing.iter(qn("p:set"))
        assert behaviour.find(".//" + qn("p:attrName")).text == "style.visibility"
        assert behaviour.find(".//" + qn("p:strVal")).get("val") == "visible"
        assert [b.get("spid") for b in timing.iter(qn("p:bldP"))] == [str(target)]


def test_answers_in_notes_only(decks):
    renderer = DeckRenderer()
    deck = renderer.render(prepare(shipped("fr"), Options(answers="notes"))).presentation
    titles = [slide_title(s) for s in deck.slides]
    assert not any(t.startswith("Réponse") for t in titles)
    assert len(titles) == len(Presentation(str(decks["fr"])).slides)  # the same slides, without the reveals
    assert not any(slide._element.find(qn("p:timing")) is not None for slide in deck.slides)
    question = next(s for s in deck.slides if slide_title(s).startswith("Question 1 ·"))
    assert len(text_shapes(question)) == 1  # the question alone
    assert "micro-tâche" in question.notes_slide.notes_text_frame.text
    assert "Points clés" in question.notes_slide.notes_text_frame.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_notes_on_every_slide_and_no_two_neighbours_alike(decks, language):
    slides = list(Presentation(str(decks[language])).slides)
    notes = [notes_of(s) for s in slides]
    assert all(text.strip() for text in notes)
    for index in range(1, len(notes)):
        assert notes[index] != notes[index - 1], f"{language} slides {index} and {index + 1}"
    document = prepare(shipped(language))
    # teacher notes first, then, once, the full text the slide sums up
    for question, slide in zip(
        document.activity.questions, question_slides(Presentation(str(decks[language])), language), strict=True
    ):
        lines = notes_of(slide).split("\n")
        assert lines[0] == f"{document.labels.lead('duration')} {question.teacher_notes.duration}"
        assert lines[1] == question.teacher_notes.text[0].plain
        answer = squash(" ".join(lines[lines.index(document.labels.lead("answer")) + 1 :]))
        first = question.answer[0]
        assert squash(first.text.plain if hasattr(first, "text") else first.items[0].plain) in answer
    everything = "\n".join(notes)
    for section in document.sections:
        assert everything.count(section.body[0].plain) == 1, section.id


def test_every_content_slide_has_speaker_notes_and_answers_are_in_them(decks):
    document = shipped("fr")
    slides = list(Presentation(str(decks["fr"])).slides)
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in slides)
    notes = squash(" ".join(s.notes_slide.notes_text_frame.text for s in slides))
    for question in document.lesson.questions() + list(document.readings[0].questions):
        first = parse_blocks(question.answer)[0]
        words = plain_text(first.children if hasattr(first, "children") else first.items[0])
        assert squash(words)[:50] in notes, question.id


# --------------------------------------------------------------------------- the chart, the links, the file


def test_reading_chart_is_a_native_editable_chart(decks):
    deck = Presentation(str(decks["fr"]))
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 1
    values = list(charts[0].plots[0].series[0].values)
    assert values == [12.0, 6.2, 2.1]
    assert "Octobre 2013" in charts[0].plots[0].categories[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chart_speaks_the_editions_language_in_the_themes_colours(decks, language):
    document = prepare(shipped(language))
    expected = document.readings[0].sections[5].figures[0].chart.value_labels
    deck = Presentation(str(decks[language]))
    [(slide, frame)] = [(s, shape) for s in deck.slides for shape in s.shapes if shape.has_chart]
    space = frame.chart._chartSpace
    labels = ["".join(t.text for t in label.iter(qn("a:t"))) for label in space.iter(qn("c:dLbl"))]
    assert labels == list(expected)  # “6,2 %” in French, “6.2%” in English and Swiss German: as on the sheet
    assert format_number(6.2, language) in labels[1]
    assert labels[0] == {"fr": "12\u202f%", "en-GB": "12%", "de-CH": "12%"}[language]  # the locale's percent
    assert not any("0.0" in (code.get("formatCode") or "") for code in space.iter(qn("c:numFmt")))
    body = text_shapes(slide)[0].text_frame.text
    assert document.labels.lead("source") in body
    fill = space.find(".//" + qn("c:ser")).find(qn("c:spPr")).find(qn("a:solidFill"))
    assert fill.find(qn("a:schemeClr")).get("val") == "accent1"  # from the template's theme
    sizes = [int(p.get("sz")) / 100 for p in space.iter() if p.tag in (qn("a:defRPr"), qn("a:rPr")) and p.get("sz")]
    assert sizes and min(sizes) >= MIN_CHART
    ids = [int(a.get("val")) for a in (*space.iter(qn("c:axId")), *space.iter(qn("c:crossAx")))]
    assert ids and min(ids) > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_decks_pass_an_independent_ooxml_validator(decks, language, tmp_path):
    openxml_audit = pytest.importorskip("openxml_audit")
    result = openxml_audit.validate_pptx(decks[language])
    assert result.is_valid, [str(error) for error in result.errors]
    notes_only = tmp_path / "notes.pptx"
    renderer = DeckRenderer()
    renderer.write(renderer.render(prepare(shipped(language), Options(answers="notes"))).presentation, notes_only)
    assert openxml_audit.validate_pptx(notes_only).is_valid


def test_the_validator_finds_negative_axis_ids(decks, tmp_path):
    """Control: python-pptx's own axis ids are refused by the validator the deck passes."""
    openxml_audit = pytest.importorskip("openxml_audit")
    deck = Presentation(str(decks["fr"]))
    [frame] = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    for axis in frame.chart._chartSpace.iter(qn("c:axId")):
        axis.set("val", "-2068027336")
    deck.save(str(tmp_path / "broken.pptx"))
    assert not openxml_audit.validate_pptx(tmp_path / "broken.pptx").is_valid


def test_links_are_clickable_and_their_qr_codes_scan(decks):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    document = shipped("fr")
    expected = {r.url for r in document.lesson.resources} | {m.url for m in document.lesson.activity.materials}
    deck = Presentation(str(decks["fr"]))
    links, decoded = set(), set()
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                links |= {
                    r.hyperlink.address for p in shape.text_frame.paragraphs for r in p.runs if r.hyperlink.address
                }
            description = shape._element.find(".//" + qn("p:cNvPr")).get("descr") or ""
            if shape.shape_type == 13 and description.startswith(labels_for("fr")["qr_code"]):
                image = Image.open(io.BytesIO(shape.image.blob))
                decoded |= {result.text for result in zxingcpp.read_barcodes(image)}
    assert expected <= links
    assert decoded == expected


# --------------------------------------------------------------------------- in a real client


def libreoffice_convert(pptx: Path, folder: Path, kind: str = "pdf") -> Path:
    profile = folder / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(folder),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "HOME": str(folder)},
    )
    return folder / f"{pptx.stem}.{kind}"


def libreoffice_pdf(pptx: Path, folder: Path) -> Path:
    return libreoffice_convert(pptx, folder, "pdf")


def characters_outside_their_boxes(pptx: Path, pdf: Path) -> tuple[int, list[str]]:
    """Return the page count of LibreOffice's rendering and every character outside the slide or every text box."""
    pdfplumber = pytest.importorskip("pdfplumber")
    deck = Presentation(str(pptx))
    outside = []
    with pdfplumber.open(pdf) as document:
        for number, (page, slide) in enumerate(zip(document.pages, deck.slides, strict=False), start=1):
            scale = page.width / (deck.slide_width / EMU)
            boxes = [
                tuple(v / EMU * scale for v in (s.left, s.top, s.left + s.width, s.top + s.height))
                for s in slide.shapes
                if s.has_text_frame or s.has_chart
            ]
            for char in page.chars:
                x0, x1, top, bottom = char["x0"], char["x1"], char["top"], char["bottom"]
                on_page = x0 >= 0 and x1 <= page.width and top >= 0 and bottom <= page.height
                in_a_box = any(
                    left - 2 <= x0 and x1 <= right + 2 and upper - 2 <= top and bottom <= lower + 2
                    for left, upper, right, lower in boxes
                )
                if char["text"].strip() and not (on_page and in_a_box):
                    outside.append(f"slide {number}: “{char['text']}” at ({x0:.0f}, {top:.0f})")
        return len(document.pages), outside


def broken_link_titles(pptx: Path, pdf: Path) -> list[str]:
    """Every word of a link's title that LibreOffice's rendering does not show whole on its page."""
    pdfplumber = pytest.importorskip("pdfplumber")
    broken = []
    with pdfplumber.open(pdf) as document:
        for page, slide in zip(document.pages, Presentation(str(pptx)).slides, strict=False):
            shown = {word["text"] for word in page.extract_words(keep_blank_chars=False)}
            for shape in text_shapes(slide):
                for paragraph in shape.text_frame.paragraphs:
                    runs = paragraph.runs
                    if not runs or not all(run.hyperlink.address for run in runs if run.text.strip()):
                        continue  # not a link's title
                    if "/" in paragraph.text or "." in paragraph.text.strip()[:-1]:
                        continue  # an address, not a title
                    for word in paragraph.text.split():
                        parts = word.split("-")
                        halves = [f"{part}-" for part in parts[:-1]] + parts[-1:]
                        whole = word in shown or (len(parts) > 1 and all(half in shown for half in halves))
                        if not whole:
                            broken.append(f"“{word}” of “{paragraph.text}”")
    return broken


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (CI installs it)")


@pytest.fixture(scope="module")
def rendered(decks, tmp_path_factory) -> dict[str, Path]:
    """Each deck as LibreOffice renders it (one conversion per language, shared by the tests below)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    return {language: libreoffice_pdf(path, folder) for language, path in decks.items()}


@needs_libreoffice
@pytest.mark.parametrize("language", LANGUAGES)
def test_libreoffice_shows_every_character_inside_its_box(decks, rendered, language):
    pages, outside = characters_outside_their_boxes(decks[language], rendered[language])
    assert pages == len(Presentation(str(decks[language])).slides)
    assert outside == []


@needs_libreoffice
@pytest.mark.parametrize("language", LANGUAGES)
def test_libreoffice_shows_every_link_title_whole(decks, rendered, language):
    assert broken_link_titles(decks[language], rendered[language]) == []


@needs_libreoffice
def test_the_link_check_catches_a_title_broken_mid_word(tmp_path):
    """Control: a linked title written as one run in a narrow box is broken inside a word by LibreOffice."""
    deck = Presentation(str(TEMPLATE))
    [layout] = [layout for layout in deck.slide_layouts if layout.name == "Bullets"]
    slide = deck.slides.add_slide(layout)
    slide.shapes.title.text = "Liens"
    body = slide.placeholders[1]
    body.width = int(body.width * 0.2)
    body.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    run = body.text_frame.paragraphs[0].add_run()
    run.text = "Micro-travailler plus pour micro-gagner moins"
    run.hyperlink.address = "https://example.org/"
    deck.save(str(tmp_path / "link.pptx"))
    assert broken_link_titles(tmp_path / "link.pptx", libreoffice_pdf(tmp_path / "link.pptx", tmp_path))


@needs_libreoffice
def test_the_client_check_catches_an_overflowing_box(tmp_path):
    """The check above can fail: text written past its box, with autofit off, is found."""
    deck = Presentation(str(TEMPLATE))
    [layout] = [layout for layout in deck.slide_layouts if layout.name == "Bullets"]
    slide = deck.slides.add_slide(layout)
    slide.shapes.title.text = "Trop de texte"
    body = slide.placeholders[1].text_frame
    body.auto_size = MSO_AUTO_SIZE.NONE
    body.text = "Une phrase bien trop longue pour tenir dans la boîte. " * 60
    deck.save(str(tmp_path / "overflow.pptx"))
    pdf = libreoffice_pdf(tmp_path / "overflow.pptx", tmp_path)
    _, outside = characters_outside_their_boxes(tmp_path / "overflow.pptx", pdf)
    assert outside


@needs_libreoffice
def test_impress_plays_the_reveal_as_its_own_appear_effect(decks, tmp_path):
    """Opened in Impress (converted to ODP), each question's key points appear on a click."""
    import zipfile

    odp = libreoffice_convert(decks["fr"], tmp_path, "odp")
    content = zipfile.ZipFile(odp).read("content.xml").decode("utf-8")
    pages = content.split("<draw:page ")[1:]
    document = prepare(shipped("fr"))
    found = 0
    for page in pages:
        if 'presentation:preset-id="ooo-entrance-appear"' not in page:
            continue
        assert 'presentation:node-type="on-click"' in page
        [target] = set(re.findall(r'<anim:set [^>]*smil:targetElement="([^"]+)"', page))
        frame = page[page.index(f'xml:id="{target}"') :]
        frame = frame[: frame.index("</draw:frame>")]
        question = document.activity.questions[found]
        assert squash(question.key_points[0].plain) in squash(re.sub(r"<[^>]+>", "", frame))
        found += 1
    assert found == len(document.activity.questions)
