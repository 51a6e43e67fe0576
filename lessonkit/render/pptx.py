"""The classroom deck: python-pptx on a template whose layouts are found by name.

Text goes into the layouts' real placeholders, so it stays editable and
follows the template's styles. Every text is measured (``textfit``) before it
is placed; what does not fit moves to a continuation slide, so nothing ever
overflows, whatever the language. Answers go to the speaker notes, and to
reveal slides after each question unless ``answers="notes"``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from ..confine import svg_problem
from ..errors import RenderError
from ..layouts import LAYOUTS
from ..nodes import Code, Emphasis, Foreign, LineBreak, Link, Strong, Text
from ..prepared import BulletList, Figure, Inlines, PreparedDocument, Question
from . import textfit
from .qr import qr_png

TEMPLATE = LAYOUTS / "pptx" / "template.pptx"
LAYOUT_NAMES = ("Title", "Section", "Bullets", "Question", "Answer", "Picture", "Two Columns", "Chart", "Closing")
MIN_BODY_PT, MIN_TITLE_PT = 20, 32
QR_SIZE = Emu(1_645_920)  # 1.8 in: scannable from the middle of a classroom


class DeckError(RenderError):
    """The deck could not be made; the message says why in plain words."""


@dataclass(frozen=True)
class Piece:
    """A run of text with its formatting, before it becomes a python-pptx run."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    language: str | None = None  # a foreign word's language; None: the deck's


@dataclass(frozen=True)
class Para:
    pieces: tuple[Piece, ...]
    bullet: bool = True


@dataclass
class RenderedDeck:
    presentation: object
    slides: int
    warnings: list[str] = field(default_factory=list)


class DeckRenderer:
    """Builds decks from documents; the template is read once per renderer."""

    def __init__(self, template: Path = TEMPLATE):
        self.template = template
        self.template_bytes = template.read_bytes()

    def render(self, document: PreparedDocument) -> RenderedDeck:
        builder = _DeckBuilder(document, Presentation(io.BytesIO(self.template_bytes)))
        builder.build()
        return RenderedDeck(builder.presentation, len(builder.presentation.slides), builder.warnings)

    def write(self, presentation, target: Path) -> None:
        presentation.save(str(target))


class _DeckBuilder:
    def __init__(self, document: PreparedDocument, presentation):
        self.document = document
        self.presentation = presentation
        self.tag = document.proofing_tag
        self.labels = document.labels
        self.answers = document.options.answers
        self.warnings: list[str] = []
        self.layouts = {layout.name: layout for layout in presentation.slide_layouts}
        missing = [name for name in LAYOUT_NAMES if name not in self.layouts]
        if missing:
            raise DeckError(f"the slide template has no layout named {', '.join(missing)}")

    # ------------------------------------------------------------------ the deck, in order

    def build(self) -> None:
        doc = self.document
        self._set_properties()
        self._simple("Title", doc.title.plain, [doc.kicker], notes=self._credits_lines())
        for section in doc.sections:
            self._section(section)
        if doc.activity:
            self._activity(doc.activity)
        for reading in doc.readings:
            self._reading(reading)
        if doc.glossary:
            items = [self._definition(g.term, g.definition) for g in doc.glossary]
            notes = [self._term_line(g.term.plain, g.definition.plain) for g in doc.glossary]
            self._bullets(self.labels["glossary"], items, notes)
        if doc.resources:
            self._links(self.labels["resources"], doc.resources)
        self._simple("Closing", self.labels["credits"], self._credits_lines(), notes=self._credits_lines())

    def _section(self, section) -> None:
        notes = [p.plain for p in section.body]
        for part in section.subsections:
            notes += [part.heading.plain, *(p.plain for p in part.body)]
        notes += [f"{note.number}. {note.text.plain}" for note in section.footnotes]
        self._bullets(section.heading.plain, [self._para(p) for p in section.slide_points], notes)
        for figure in section.figures:
            self._figure(figure, section.heading.plain, [], [figure.caption.plain])
        for box in section.boxes:
            box_notes = [p.plain for p in box.body]
            points = (
                [self._para(p) for p in box.slide_points]
                if box.slide_points
                else [self._para(p, bullet=False) for p in box.body]
            )
            if box.figure:
                self._figure(box.figure, box.title.plain, points, box_notes)
            else:
                self._bullets(box.title.plain, points, box_notes)

    def _activity(self, activity) -> None:
        meta = f"{activity.duration} · {activity.mode_label}"
        instructions = [p.plain for p in (*activity.teacher_instructions, *activity.instructions)]
        self._simple("Section", activity.title, [meta], notes=instructions)
        if activity.slide_points:
            self._bullets(activity.title, [self._para(p) for p in activity.slide_points], instructions)
        for material in activity.materials:
            self._material(material, instructions)
        self._questions(activity.questions)

    def _reading(self, reading) -> None:
        authors = ", ".join(a.name for a in reading.authors)
        byline = [f"{authors} · {reading.year}"]
        if reading.subtitle:
            byline.insert(0, reading.subtitle.plain)
        self._simple("Section", reading.title.plain, byline, notes=[reading.thesis.plain])
        self._bullets(self.labels["thesis"], [self._para(reading.thesis, bullet=False)], [reading.thesis.plain])
        for section in reading.sections:
            notes = [p.plain for p in section.key_points]
            notes += [f"{q.text} — {q.author}" for q in section.quotes]
            self._bullets(section.heading.plain, [self._para(p) for p in section.key_points], notes)
            for figure in section.figures:
                self._figure(figure, section.heading.plain, [], [figure.caption.plain, figure.alt])
        if reading.key_figures:
            items = [
                Para((Piece(f.value, bold=True), Piece(" — "), *self._pieces(f.measures))) for f in reading.key_figures
            ]
            notes = [self._term_line(f.value, f"{f.measures.plain} ({f.source.plain})") for f in reading.key_figures]
            self._bullets(self.labels["key_figures"], items, notes)
        if reading.concepts:
            items = [self._definition(c.term, c.definition) for c in reading.concepts]
            notes = [self._term_line(c.term.plain, c.definition.plain) for c in reading.concepts]
            self._bullets(self.labels["concepts"], items, notes)
        self._questions(reading.questions)

    # ------------------------------------------------------------------ kinds of slides

    def _simple(self, layout: str, title: str, lines: list[str], notes: list[str]) -> None:
        """A title slide, section or closing slide: the lines that fit show, all of them are in the notes."""
        slide = self._slide(layout, title)
        body = self._body(slide)
        if body is not None:
            paragraphs = [Para((Piece(line),), bullet=False) for line in lines]
            size, frame = self._shape_body_size(body), _frame(body)
            while len(paragraphs) > 1 and not textfit.fits([self._measured(p, size) for p in paragraphs], frame):
                paragraphs = paragraphs[:-1]
            self._fill(body, paragraphs, title)
        self._notes(slide, [*notes, *(line for line in lines if line not in notes)])

    def _bullets(self, title: str, items: list[Para], notes: list[str], layout: str = "Bullets") -> None:
        """One or more slides: what does not fit goes on a continuation slide, marked as such."""
        pages = self._paginate(layout, items)
        for number, page in enumerate(pages):
            slide = self._slide(layout, self._continued(title, number))
            self._fill(self._body(slide), page, title)
            self._notes(slide, notes)

    def _questions(self, questions: Iterable[Question]) -> None:
        for question in questions:
            answer_notes = self._answer_notes(question)
            prompt = [self._para(question.prompt, bullet=False)]
            self._bullets(f"{self.labels['question']} {question.label}", prompt, answer_notes, layout="Question")
            if self.answers == "slides":
                title = f"{self.labels['answer']} {question.label}"
                self._bullets(title, self._answer_paras(question), answer_notes, "Answer")

    def _figure(self, figure: Figure, title: str, points: list[Para], notes: list[str]) -> None:
        if figure.chart:
            self._chart(figure, title, notes)
            return
        points = [replace(point, bullet=False) for point in points]  # the picture's text column has no bullets
        caption = self._para(figure.caption, bullet=False)
        credit_lines = []
        if figure.credit:
            credit_lines.append(Para(tuple(replace(p, italic=True) for p in self._pieces(figure.credit)), bullet=False))
        # the fullest text that fits beside the picture; the caption can go to the notes, the credit never
        frame = _frame(self._layout_body("Picture"))
        size = self._body_size("Picture")
        for text in ([*points, caption, *credit_lines], [*points, *credit_lines]):
            if textfit.fits([self._measured(p, size) for p in text], frame):
                break
        else:
            text = [*points, *credit_lines]
        picture = self._picture_bytes(figure.image)
        for number, page in enumerate(self._paginate("Picture", text)):
            slide = self._slide("Picture", self._continued(title, number))
            self._place_picture(slide, self._placeholder(slide, "PICTURE"), picture, figure.alt)
            self._fill(self._body(slide), page, title)
            self._notes(slide, [*notes, figure.caption.plain, figure.alt])

    def _chart(self, figure: Figure, title: str, notes: list[str]) -> None:
        chart = figure.chart
        slide = self._slide("Chart", title)
        area = self._placeholder(slide, "CHART")
        data = CategoryChartData(number_format="0.0")
        data.categories = list(chart.categories)
        data.add_series(chart.series, chart.values)
        kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
        frame = slide.shapes.add_chart(kind, area.left, area.top, area.width, area.height, data)
        area._element.getparent().remove(area._element)
        graph = frame.chart
        graph.has_legend = False
        graph.font.size = Pt(MIN_BODY_PT)
        plot = graph.plots[0]
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = '0.0" ' + chart.unit.replace('"', "") + '"'
        labels.number_format_is_linked = False
        labels.font.bold = True
        if chart.kind == "bar":
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            graph.category_axis.reverse_order = True  # first category on top, as in the source
        _tag_languages(frame._element, self.tag)
        caption = [self._para(figure.caption, bullet=False)]
        caption.append(
            Para((Piece(f"{self.labels.lead('source')} ", bold=True), *self._pieces(chart.source)), bullet=False)
        )
        self._fill(self._body(slide), caption, title)
        values = ", ".join(
            self._term_line(category, value)
            for category, value in zip(chart.categories, chart.value_labels, strict=True)
        )
        self._notes(slide, [*notes, values])

    def _material(self, material, notes: list[str]) -> None:
        title = self.labels["materials"]
        slide = self._slide("Picture", title)
        area = self._placeholder(slide, "PICTURE")
        self._place_qr(slide, area, material.url)
        about = [Para((Piece(material.title.plain, bold=True, link=material.url),), bullet=False)]
        details = [detail for detail in (material.provider, material.duration) if detail]
        if details:
            about.append(Para((Piece(" · ".join(details)),), bullet=False))
        if material.description:
            about.append(self._para(material.description, bullet=False))
        about.append(Para((Piece(material.short_url, link=material.url),), bullet=False))
        self._fill(self._body(slide), about, title)
        self._notes(slide, [*notes, material.url])

    def _links(self, title: str, links) -> None:
        """Two links per slide, each with its QR code under it."""
        for number, start in enumerate(range(0, len(links), 2)):
            slide = self._slide("Two Columns", self._continued(title, number))
            columns = sorted(self._bodies(slide), key=lambda shape: shape.left)
            for column, link in zip(columns, links[start : start + 2], strict=False):
                left, top, width, height = column.left, column.top, column.width, column.height
                column.left, column.top, column.width = left, top, width  # own geometry, not the layout's
                column.height = Emu(height - QR_SIZE - Emu(182_880))
                paragraphs = [Para((Piece(link.title.plain, bold=True, link=link.url),), bullet=False)]
                if link.description:
                    paragraphs.append(self._para(link.description, bullet=False))
                paragraphs.append(Para((Piece(link.short_url, link=link.url),), bullet=False))
                self._fill(column, paragraphs, title)
                picture = slide.shapes.add_picture(
                    io.BytesIO(qr_png(link.url)),
                    column.left + Emu(91_440),
                    column.top + column.height + Emu(91_440),
                    QR_SIZE,
                    QR_SIZE,
                )
                picture.name = f"QR {link.short_url}"
                _describe(picture, f"{self.labels['qr_code']}: {link.url}")
            for extra in columns[len(links[start : start + 2]) :]:
                extra._element.getparent().remove(extra._element)
            self._notes(slide, [self._term_line(link.title.plain, link.url) for link in links[start : start + 2]])

    # ------------------------------------------------------------------ placing text

    def _paginate(self, layout: str, items: list[Para]) -> list[list[Para]]:
        placeholder = self._layout_body(layout)
        frame = _frame(placeholder)
        size = self._body_size(layout)
        pages = textfit.split_to_fit([self._measured(p, size) for p in items], frame)
        result, position = [], 0  # pages hold measured paragraphs: map them back to ours by position
        for page in pages:
            result.append(items[position : position + len(page)])
            position += len(page)
        return result  # a page that still does not fit (one paragraph too long) is reported by _fill

    def _fill(self, shape, paragraphs: list[Para], title: str) -> bool:
        """Write paragraphs into a text placeholder with explicit sizes, so what we measured is what shows."""
        frame = shape.text_frame
        frame.clear()
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        size = self._shape_body_size(shape)
        measured = [self._measured(para, size) for para in paragraphs]
        for index, (para, measure) in enumerate(zip(paragraphs, measured, strict=True)):
            self._write_paragraph(frame.paragraphs[0] if index == 0 else frame.add_paragraph(), para, measure)
        fits = textfit.fits(measured, _frame(shape))
        if not fits:
            self.warnings.append(f"slide “{title}”: the text is taller than its box; shorten it")
        return fits

    def _write_paragraph(self, paragraph, para: Para, measured: textfit.Paragraph) -> None:
        properties = paragraph._p.get_or_add_pPr()
        properties.set("marL", str(int(measured.indent * textfit.EMU_PER_PT)))
        properties.set("indent", str(int(-measured.hanging * textfit.EMU_PER_PT)))
        paragraph.space_before = Pt(measured.space_before)
        paragraph.line_spacing = measured.line_spacing
        if not para.bullet:
            for old in properties.findall(qn("a:buNone")):
                properties.remove(old)
            etree.SubElement(properties, qn("a:buNone"))
        for piece in para.pieces:
            run = paragraph.add_run()
            run.text = piece.text
            run.font.size = Pt(measured.size)
            run.font.bold = piece.bold
            run.font.italic = piece.italic
            tag = self.document.proofing_tags[piece.language] if piece.language else self.tag
            run._r.get_or_add_rPr().set("lang", tag)
            if piece.link:
                run.hyperlink.address = piece.link

    def _measured(self, para: Para, size: float) -> textfit.Paragraph:
        indent = 27.0 if para.bullet else 0.0  # 0.375 in, the template's bullet indent
        runs = tuple(textfit.Run(p.text, p.bold, p.italic) for p in para.pieces)
        return textfit.Paragraph(runs, size, indent=indent, hanging=indent, space_before=size * 0.45, line_spacing=1.0)

    def _notes(self, slide, lines: list[str]) -> None:
        frame = slide.notes_slide.notes_text_frame
        frame.clear()
        for index, line in enumerate(line for line in lines if line):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            run._r.get_or_add_rPr().set("lang", self.tag)

    # ------------------------------------------------------------------ text conversions

    def _pieces(self, text: Inlines | None) -> list[Piece]:
        return list(_walk(text.nodes, Piece(""))) if text else []

    def _para(self, text: Inlines, bullet: bool = True) -> Para:
        return Para(tuple(self._pieces(text)), bullet=bullet)

    def _definition(self, term: Inlines, definition: Inlines) -> Para:
        bold_term = [replace(piece, bold=True) for piece in self._pieces(term)]
        return Para((*bold_term, Piece(self.labels.separator), *self._pieces(definition)))

    def _term_line(self, term: str, what: str) -> str:
        return f"{term}{self.labels.separator}{what}"

    def _answer_paras(self, question: Question) -> list[Para]:
        paras = []
        for block in question.answer:
            if isinstance(block, BulletList):
                paras += [self._para(item) for item in block.items]
            else:
                paras.append(self._para(block.text, bullet=False))
        return paras

    def _answer_notes(self, question: Question) -> list[str]:
        lines = [self.labels.lead("answer")]
        for block in question.answer:
            if isinstance(block, BulletList):
                lines += [f"• {item.plain}" for item in block.items]
            else:
                lines.append(block.text.plain)
        return lines

    def _continued(self, title: str, number: int) -> str:
        return f"{title} {self.labels['continued']}" if number else title

    def _credits_lines(self) -> list[str]:
        credits = self.document.credits
        lines = []
        if credits.authors:
            lines.append(self._term_line(self.labels["authors"], credits.authors))
        if credits.source:
            lines.append(self._term_line(self.labels["source"], credits.source.plain))
        lines.append(self._term_line(self.labels["licence"], credits.licence))
        return lines

    # ------------------------------------------------------------------ slides and shapes

    def _slide(self, layout: str, title: str):
        slide = self.presentation.slides.add_slide(self.layouts[layout])
        heading = slide.shapes.title
        heading.text_frame.clear()
        heading.text_frame.word_wrap = True
        heading.text_frame.auto_size = MSO_AUTO_SIZE.NONE
        frame = _frame(heading)
        sizes = range(int(max(MIN_TITLE_PT, self._title_size(layout))), MIN_TITLE_PT - 1, -2)
        fitting = [s for s in sizes if textfit.fits([textfit.Paragraph((textfit.Run(title, True),), s)], frame)]
        if not fitting:
            self.warnings.append(f"the title “{title}” is too long for its slide; shorten it")
        size = fitting[0] if fitting else MIN_TITLE_PT
        measured = textfit.Paragraph((textfit.Run(title, True),), size)
        self._write_paragraph(heading.text_frame.paragraphs[0], Para((Piece(title),), bullet=False), measured)
        return slide

    def _body(self, slide):
        bodies = self._bodies(slide)
        return bodies[0] if bodies else None

    def _bodies(self, slide) -> list:
        return [
            shape
            for shape in slide.placeholders
            if shape.placeholder_format.type is not None
            and str(shape.placeholder_format.type).split(" ")[0] in ("BODY", "SUBTITLE", "OBJECT")
        ]

    def _placeholder(self, slide, kind: str):
        for shape in slide.placeholders:
            if str(shape.placeholder_format.type).startswith(kind):
                return shape
        raise DeckError(f"the layout “{slide.slide_layout.name}” has no {kind.lower()} placeholder")

    def _layout_body(self, layout: str):
        for shape in self.layouts[layout].placeholders:
            if str(shape.placeholder_format.type).split(" ")[0] in ("BODY", "SUBTITLE", "OBJECT"):
                return shape
        raise DeckError(f"the layout “{layout}” has no text placeholder")

    def _body_size(self, layout: str) -> float:
        return max(MIN_BODY_PT, _style_size(self._layout_body(layout), self.presentation, "body"))

    def _shape_body_size(self, shape) -> float:
        layout_shape = shape.slide_layout_placeholder if hasattr(shape, "slide_layout_placeholder") else None
        return max(MIN_BODY_PT, _style_size(layout_shape or shape, self.presentation, "body"))

    def _title_size(self, layout: str) -> float:
        for shape in self.layouts[layout].placeholders:
            if "TITLE" in str(shape.placeholder_format.type):
                return _style_size(shape, self.presentation, "title")
        return MIN_TITLE_PT

    def _place_picture(self, slide, area, image: bytes, alt: str) -> None:
        from PIL import Image

        width, height = Image.open(io.BytesIO(image)).size
        scale = min(area.width / width, area.height / height)
        shown_width, shown_height = int(width * scale), int(height * scale)
        left = area.left + (area.width - shown_width) // 2
        top = area.top + (area.height - shown_height) // 2
        picture = slide.shapes.add_picture(io.BytesIO(image), left, top, shown_width, shown_height)
        _describe(picture, alt)
        area._element.getparent().remove(area._element)

    def _place_qr(self, slide, area, url: str) -> None:
        side = min(area.width, area.height, Emu(3_200_400))
        picture = slide.shapes.add_picture(
            io.BytesIO(qr_png(url)),
            area.left + (area.width - side) // 2,
            area.top + (area.height - side) // 2,
            side,
            side,
        )
        _describe(picture, f"{self.labels['qr_code']}: {url}")
        area._element.getparent().remove(area._element)

    def _picture_bytes(self, path: Path) -> bytes:
        if path.suffix.lower() != ".svg":
            return path.read_bytes()
        if problem := svg_problem(path):
            raise DeckError(problem)
        import resvg_py

        return bytes(resvg_py.svg_to_bytes(svg_path=str(path), width=1600, skip_system_fonts=True))

    def _set_properties(self) -> None:
        properties, metadata = self.presentation.core_properties, self.document.metadata
        properties.title = metadata.title
        properties.author = metadata.author
        properties.subject = metadata.subject
        properties.language = self.tag
        properties.keywords = metadata.keywords
        properties.comments = self.labels["slides"]
        _set_default_language(self.presentation, self.tag)


# ------------------------------------------------------------------------- helpers


def _frame(shape) -> textfit.Frame:
    body = shape._element.find(".//" + qn("a:bodyPr"))

    def inset(name: str, default: int) -> float:
        value = body.get(name) if body is not None else None
        return int(value if value is not None else default) / textfit.EMU_PER_PT

    return textfit.Frame(
        width=shape.width / textfit.EMU_PER_PT,
        height=shape.height / textfit.EMU_PER_PT,
        inset_left=inset("lIns", 91_440),
        inset_right=inset("rIns", 91_440),
        inset_top=inset("tIns", 45_720),
        inset_bottom=inset("bIns", 45_720),
    )


def _style_size(shape, presentation, kind: str) -> float:
    """Font size a placeholder's first level inherits: its own list style, else the master's text style."""
    for level in shape._element.iter(qn("a:lvl1pPr")):
        properties = level.find(qn("a:defRPr"))
        if properties is not None and properties.get("sz"):
            return int(properties.get("sz")) / 100
    master = presentation.slide_master._element
    style = master.find(qn("p:txStyles")).find(qn("p:titleStyle" if kind == "title" else "p:bodyStyle"))
    properties = style.find(qn("a:lvl1pPr")).find(qn("a:defRPr"))
    return int(properties.get("sz", "1800")) / 100


def _set_default_language(presentation, tag: str) -> None:
    """Give the presentation's, master's and notes master's default text styles the deck's language."""
    roots = [presentation.part._element, presentation.slide_master._element]
    roots += [layout._element for layout in presentation.slide_layouts]
    if presentation.notes_master is not None:
        roots.append(presentation.notes_master._element)
    for root in roots:
        _tag_languages(root, tag)


def _tag_languages(element, tag: str) -> None:
    for name in ("a:defRPr", "a:rPr", "a:endParaRPr"):
        for properties in element.iter(qn(name)):
            if properties.get("lang") in (None, "en-US"):
                properties.set("lang", tag)


def _describe(picture, text: str) -> None:
    picture._element.find(".//" + qn("p:cNvPr")).set("descr", text)


def _walk(nodes, style: Piece):
    """Prepared inline nodes as runs of text with their formatting."""
    for node in nodes:
        if isinstance(node, (Text, Code)):
            yield replace(style, text=node.text)
        elif isinstance(node, Emphasis):
            yield from _walk(node.children, replace(style, italic=True))
        elif isinstance(node, Strong):
            yield from _walk(node.children, replace(style, bold=True))
        elif isinstance(node, Link):
            yield from _walk(node.children, replace(style, link=node.url))
        elif isinstance(node, Foreign):
            yield from _walk(node.children, replace(style, language=node.language))
        elif isinstance(node, LineBreak):
            yield replace(style, text=" ")
        # notes stay in the speaker notes: a slide has no foot
