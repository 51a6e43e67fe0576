"""The editable worksheet and answer key: ``worksheet.docx`` and ``answer-key.docx``, written with
python-docx on the named styles of ``layouts/docx/template.docx``.

The same content in the same order as the PDFs: a school restyles the template as it restyles the
deck's. The ruled answer space is one empty ``Answer Space`` paragraph per line (the style draws a
line under each: Enter adds a line, Delete removes one). Footnotes are Word footnotes, pictures and
QR codes images with alternative text, and the edition's language is on every style and on each
foreign span, so Word and Writer check spelling in the right language. The key opens with the
lesson plan and the marking scheme, and gives each model answer in the ``Answer`` style where the
sheet has lines. Raw XML only through ``docx_xml``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Emu, Pt, RGBColor

from ..confine import svg_problem
from ..errors import RenderError
from ..layouts import LAYOUTS
from ..nodes import Code, Emphasis, Foreign, LineBreak, Link, Note, Strong, Text
from ..prepared import BulletList, Figure, Inlines, PreparedDocument, Question
from ..prepared import Link as LinkCard
from . import docx_xml
from .pictures import picture_bytes
from .qr import qr_png

__all__ = ["ANSWER_KEY", "TEMPLATE", "WORKSHEET", "DocxRenderer", "RenderedDocx"]

TEMPLATE = LAYOUTS / "docx" / "template.docx"
WORKSHEET, ANSWER_KEY = "worksheet.docx", "answer-key.docx"
PAPER = {"a4": (Cm(21), Cm(29.7)), "letter": (Emu(7772400), Emu(10058400))}
MARGIN = Cm(2)
FIGURE_WIDTH, QR_SIDE = Cm(11), Cm(2.3)
SVG_SIDE = 1000  # pixels an SVG is drawn to: 11 cm at about 230 dpi
LINK_COLOUR = RGBColor(0x1F, 0x4E, 0x79)
MONOSPACE = "Consolas"
STYLES = ("Kicker", "Student Fields", "Question", "Points", "Answer", "Answer Space", "Box", "Box Title",
          "Glossary Term", "Glossary Definition", "Footnote Text", "Footnote Reference")  # fmt: skip


@dataclass
class RenderedDocx:
    files: list[tuple[str, int | None, bytes]]
    warnings: list[str] = field(default_factory=list)


class DocxRenderer:
    """Writes DOCX files from prepared documents; the template is read once."""

    def __init__(self, template: Path = TEMPLATE):
        self.template_bytes = template.read_bytes()
        names = {style.name for style in Document(io.BytesIO(self.template_bytes)).styles}
        if missing := [name for name in STYLES if name not in names]:
            raise RenderError(f"the DOCX template has no style named {', '.join(missing)}")

    def render(self, document: PreparedDocument) -> RenderedDocx:
        pictures: dict[Path, bytes] = {}
        files = []
        for name, answer_key in ((WORKSHEET, False), (ANSWER_KEY, True)):
            writer = _Writer(Document(io.BytesIO(self.template_bytes)), document, answer_key, pictures)
            writer.write()
            buffer = io.BytesIO()
            writer.docx.save(buffer)
            files.append((name, None, buffer.getvalue()))
        return RenderedDocx(files)


class _Writer:
    def __init__(self, docx, document: PreparedDocument, answer_key: bool, pictures: dict):
        self.docx = docx
        self.doc = document
        self.labels = document.labels
        self.answer_key = answer_key
        self.pictures = pictures
        self.style_ids = {style.name: style.style_id for style in docx.styles}
        self.footnotes = docx_xml.Footnotes(docx, self.style_ids["Footnote Text"], self.style_ids["Footnote Reference"])

    # ------------------------------------------------------------------ the document

    def write(self) -> None:
        self._page()
        body = self.docx.element.body
        for paragraph in list(body.iterchildren()):
            if paragraph.tag.endswith("}p"):  # the template's empty paragraph
                body.remove(paragraph)
        self._title()
        if self.answer_key:
            self._teacher_pages()
        for section in self.doc.sections:
            self._section(section)
        if self.doc.activity:
            self._activity(self.doc.activity)
        if self.doc.resources:
            self.heading(self.labels["resources"], 1)
            for resource in self.doc.resources:
                self._link_card(resource)
        if self.doc.glossary:
            self.heading(self.labels["glossary"], 1)
            self._entries(self.doc.glossary)
        self._credits()
        for reading in self.doc.readings:
            self._reading(reading)
        self.footnotes.save()
        self._properties()

    def _page(self) -> None:
        width, height = PAPER[self.doc.options.paper]
        for section in self.docx.sections:
            section.page_width, section.page_height = width, height
            section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN

    def _properties(self) -> None:
        properties, metadata = self.docx.core_properties, self.doc.metadata
        properties.title = metadata.title + (f" — {self.labels['answer_key']}" if self.answer_key else "")
        properties.author = metadata.author
        properties.subject = metadata.subject
        properties.keywords = metadata.keywords
        properties.language = self.doc.proofing_tag
        properties.comments = self.labels["answer_key" if self.answer_key else "worksheet"]
        docx_xml.set_style_languages(self.docx, self.doc.proofing_tag)

    def _title(self) -> None:
        self.paragraph(self.doc.kicker, "Kicker")
        self.text(self.doc.title, "Title")
        if self.answer_key:
            self.paragraph(self.labels["answer_key_notice"], "Subtitle")
            return
        fields = "".join(f"{self.labels.lead(key)}\t" for key in ("name", "class", "date"))
        self.paragraph(fields, "Student Fields")
        if self.doc.total_points:
            self.paragraph(f"{self.labels.lead('points_heading')} ____ / {self.doc.total_points}", "Points")

    def _teacher_pages(self) -> None:
        """The key's first pages: what the teacher does, and the marking scheme."""
        activity = self.doc.activity
        if activity and activity.teacher_instructions:
            self.heading(f"{self.labels['lesson_plan']} · {activity.title}", 1)
            for paragraph in activity.teacher_instructions:
                self.text(paragraph, "Teacher")
        if self.doc.total_points:
            self.heading(self.labels["grading"], 1)
            questions = self.doc.questions()
            table = self.docx.add_table(rows=len(questions) + 2, cols=2)
            table.style = "Table Grid"
            self._widths(table, Cm(14), Cm(3))
            header = table.rows[0].cells
            header[0].text, header[1].text = self.labels["question"], self.labels["points_heading"]
            for row, question in zip(table.rows[1:], questions, strict=False):
                row.cells[0].text = f"{question.label}. {question.prompt.plain}"
                row.cells[1].text = question.points or "–"
            total = table.rows[-1].cells
            total[0].text, total[1].text = self.labels["total"], self.doc.total_points
            for cell in (*header, *total):
                for run in cell.paragraphs[0].runs:
                    run.bold = True
        self.docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _section(self, section) -> None:
        self.text(section.heading, "Heading 1")
        for paragraph in section.body:
            self.text(paragraph, "Normal")
        for part in section.subsections:
            self.text(part.heading, "Heading 2")
            for paragraph in part.body:
                self.text(paragraph, "Normal")
        for figure in section.figures:
            self._figure(figure)
        for box in section.boxes:
            self.text(box.title, "Box Title")
            if box.figure:
                self._figure(box.figure, "Box")
            for paragraph in box.body:
                self.text(paragraph, "Box")

    def _activity(self, activity) -> None:
        self.heading(activity.title, 1)
        self.paragraph(f"{activity.duration} · {activity.mode_label}", "Kicker")
        if activity.materials:
            self.heading(self.labels["materials"], 2)
            for material in activity.materials:
                self._link_card(material)
        for paragraph in activity.instructions:
            self.text(paragraph, "Normal")
        for question in activity.questions:
            self._question(question)

    def _question(self, question: Question) -> None:
        prompt = self.paragraph("", "Question")
        prompt.add_run(f"{question.label}. ")
        self.inlines(prompt, question.prompt.nodes)
        if question.points:
            self.paragraph(question.points, "Points")
        if not self.answer_key:
            for _ in range(question.lines):
                self.paragraph("", "Answer Space")
            return
        for block in question.answer:
            items = block.items if isinstance(block, BulletList) else (block.text,)
            for item in items:
                paragraph = self.paragraph("", "Answer")
                if isinstance(block, BulletList):
                    paragraph.add_run("– ")
                self.inlines(paragraph, item.nodes)

    def _entries(self, entries) -> None:
        for entry in entries:
            self.text(entry.term, "Glossary Term")
            self.text(entry.definition, "Glossary Definition")

    def _credits(self) -> None:
        credits = self.doc.credits
        if credits.authors:
            self.paragraph(f"{self.labels.lead('authors')} {credits.authors}", "Credits")
        if credits.source:
            paragraph = self.paragraph(f"{self.labels.lead('source')} ", "Credits")
            self.inlines(paragraph, credits.source.nodes)
        self.paragraph(f"{self.labels.lead('licence')} {credits.licence}", "Credits")

    def _reading(self, reading) -> None:
        self.docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.paragraph(self.labels["reading"], "Kicker")
        self.text(reading.title, "Title")
        if reading.subtitle:
            self.text(reading.subtitle, "Subtitle")
        authors = ", ".join(a.name + (f" ({a.affiliation})" if a.affiliation else "") for a in reading.authors)
        self.paragraph(f"{authors} · {reading.year}", "Kicker")
        if presented := reading.first_presented:
            paragraph = self.paragraph(f"{self.labels.lead('first_presented')} ", "Credits")
            self.inlines(paragraph, presented.event.nodes)
            paragraph.add_run("".join(f", {part}" for part in (presented.place, presented.date) if part) + ".")
        self.heading(self.labels["thesis"], 1)
        self.text(reading.thesis, "Thesis")
        for section in reading.sections:
            self.text(section.heading, "Heading 1")
            for point in section.key_points:
                self.text(point, "List Bullet")
            for quote in section.quotes:
                paragraph = self.paragraph(quote.text, "Quote")
                for run in paragraph.runs:
                    docx_xml.set_language(run, reading.quote_language)
                attribution = self.paragraph(f"— {quote.author}", "Credits")
                if quote.source:
                    attribution.add_run(", ")
                    self.inlines(attribution, quote.source.nodes)
            for figure in section.figures:
                self._figure(figure)
        if reading.key_figures:
            self.heading(self.labels["key_figures"], 1)
            for item in reading.key_figures:
                self.paragraph(item.value, "Glossary Term")
                paragraph = self.text(item.measures, "Glossary Definition")
                paragraph.add_run(" (")
                self.inlines(paragraph, item.source.nodes)
                paragraph.add_run(")")
        if reading.concepts:
            self.heading(self.labels["concepts"], 1)
            self._entries(reading.concepts)
        if reading.references:
            self.heading(self.labels["references"], 1)
            for reference in reading.references:
                paragraph = self.text(reference.citation, "Normal")
                if reference.url:
                    paragraph.add_run(" ")
                    self._link_run(paragraph, reference.url, reference.short_url or reference.url)
        if reading.questions:
            self.heading(self.labels["discussion"], 1)
            for question in reading.questions:
                self._question(question)
        summary = reading.summary_credits
        self.paragraph(
            f"{self.labels.lead('summary_by')} {summary.authors} · {self.labels.lead('licence')} {summary.licence}",
            "Credits",
        )

    # ------------------------------------------------------------------ pictures and links

    def _figure(self, figure: Figure, style: str = "Normal") -> None:
        if figure.image:
            paragraph = self.paragraph("", style)
            paragraph.paragraph_format.keep_with_next = True
            shape = paragraph.add_run().add_picture(io.BytesIO(self._picture(figure.image)), width=FIGURE_WIDTH)
            docx_xml.set_alt_text(shape, figure.alt)
        elif figure.chart:
            self._chart(figure)
        caption = self.text(figure.caption, "Caption" if style == "Normal" else style)
        for run in caption.runs if style != "Normal" else ():
            run.italic = True
        if figure.credit:
            caption.add_run(" ")
            self.inlines(caption, figure.credit.nodes)

    def _picture(self, path: Path) -> bytes:
        if path not in self.pictures:
            if path.suffix.lower() == ".svg" and (problem := svg_problem(path)):
                raise RenderError(problem)
            self.pictures[path] = picture_bytes(path, SVG_SIDE)
        return self.pictures[path]

    def _chart(self, figure: Figure) -> None:
        """A chart as a table of its values (editable, read aloud row by row), with its series and source."""
        chart = figure.chart
        self.paragraph(f"{chart.series} ({chart.unit})", "Caption")
        table = self.docx.add_table(rows=len(chart.categories), cols=2)
        table.style = "Table Grid"
        for row, category, value in zip(table.rows, chart.categories, chart.value_labels, strict=True):
            row.cells[0].text, row.cells[1].text = category, value
        paragraph = self.paragraph(f"{self.labels.lead('source')} ", "Caption")
        self.inlines(paragraph, chart.source.nodes)

    def _link_card(self, link: LinkCard) -> None:
        table = self.docx.add_table(rows=1, cols=2)
        self._widths(table, Cm(2.8), Cm(14))
        left, right = table.rows[0].cells
        shape = left.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png(link.url)), width=QR_SIDE)
        docx_xml.set_alt_text(shape, f"{self.labels['qr_code']}: {link.url}")
        title = right.paragraphs[0]
        docx_xml.set_paragraph_style(title, self.style_ids["Link Title"])
        self.inlines(title, link.title.nodes)
        if link.provider:
            title.add_run(f" ({link.provider}" + (f", {link.duration})" if link.duration else ")"))
        if link.description:
            self.inlines(self._cell_paragraph(right, "Link Details"), link.description.nodes)
        self._link_run(self._cell_paragraph(right, "Link Details"), link.url, link.short_url)
        self.paragraph("", "Normal").paragraph_format.space_after = Pt(0)

    def _widths(self, table, *widths) -> None:
        """Column widths: on the grid for Writer, on every cell for Word."""
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
            for cell in column.cells:
                cell.width = width

    def _cell_paragraph(self, cell, style: str):
        paragraph = cell.add_paragraph()
        docx_xml.set_paragraph_style(paragraph, self.style_ids[style])
        return paragraph

    def _link_run(self, paragraph, url: str, text: str) -> None:
        run = docx_xml.add_hyperlink(paragraph, url).add_run(text)
        run.font.color.rgb, run.font.underline = LINK_COLOUR, True

    # ------------------------------------------------------------------ text

    def heading(self, text: str, level: int):
        return self.paragraph(text, f"Heading {level}")

    def paragraph(self, text: str, style: str):
        paragraph = self.docx.add_paragraph(text)
        docx_xml.set_paragraph_style(paragraph, self.style_ids[style])
        return paragraph

    def text(self, text: Inlines, style: str):
        paragraph = self.paragraph("", style)
        self.inlines(paragraph, text.nodes)
        return paragraph

    def inlines(self, paragraph, nodes, bold=False, italic=False, language=None, mono=False) -> None:
        for node in nodes:
            if isinstance(node, (Text, Code)):
                run = paragraph.add_run(node.text)
                run.bold, run.italic = bold or None, italic or None
                if mono or isinstance(node, Code):
                    run.font.name = MONOSPACE
                if language:
                    docx_xml.set_language(run, language)
            elif isinstance(node, Emphasis):
                self.inlines(paragraph, node.children, bold, not italic, language, mono)
            elif isinstance(node, Strong):
                self.inlines(paragraph, node.children, True, italic, language, mono)
            elif isinstance(node, Foreign):
                self.inlines(paragraph, node.children, bold, italic, node.language, mono)
            elif isinstance(node, Link):
                target = docx_xml.add_hyperlink(paragraph, node.url)
                before = len(docx_xml.runs_of(target))
                self.inlines(target, node.children, bold, italic, language, mono)
                for run in docx_xml.runs_of(target)[before:]:
                    run.font.color.rgb, run.font.underline = LINK_COLOUR, True
            elif isinstance(node, Note):
                note = self.footnotes.add(paragraph)
                self.inlines(note, node.children)
            elif isinstance(node, LineBreak):
                paragraph.add_run().add_break()
