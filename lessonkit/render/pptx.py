"""The classroom deck: the plan (``deckplan``) written with python-pptx on the template's named layouts.

``deckplan`` decides what goes on which slide and at which size, from the
prepared document and the layouts' measures; this module only writes it.
Text goes into the layouts' real placeholders, so it stays editable and
follows the template's styles, at the size it was measured at. Raw XML is
written only through ``ooxml``'s named helpers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Pt

from ..confine import svg_problem
from ..errors import RenderError
from ..layouts import LAYOUTS
from ..prepared import PreparedDocument
from . import deckplan, ooxml, textfit
from .deckplan import LayoutMetrics, Placeholder, Rect
from .pictures import png_or_jpeg as _png_or_jpeg
from .pictures import svg_png as _svg_png
from .qr import qr_png

ZWSP = textfit.ZERO_WIDTH_SPACE

TEMPLATE = LAYOUTS / "pptx" / "template.pptx"
LAYOUT_NAMES = ("Title", "Bullets", "Question", "Picture", "Two Columns", "Chart", "Closing")
# what each layout must hold besides its title: text placeholders, and a picture or chart placeholder
NEEDS = {"Question": (2, None), "Picture": (1, "PICTURE"), "Two Columns": (2, None), "Chart": (1, "CHART")}
TEXT_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.OBJECT}
TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}
AREA_TYPES = {"PICTURE": {PP_PLACEHOLDER.PICTURE}, "CHART": {PP_PLACEHOLDER.CHART}}
EMU = textfit.EMU_PER_PT


class DeckError(RenderError):
    """The deck could not be made; the message says why in plain words."""


@dataclass
class RenderedDeck:
    presentation: object
    slides: int
    warnings: list[str] = field(default_factory=list)


class DeckRenderer:
    """Builds decks from prepared documents; the template is read and measured once per renderer."""

    def __init__(self, template: Path = TEMPLATE):
        self.template = template
        self.template_bytes = template.read_bytes()
        self.metrics = template_metrics(Presentation(io.BytesIO(self.template_bytes)))

    def plan(self, document: PreparedDocument) -> deckplan.Plan:
        return deckplan.plan(document, self.metrics)

    def render(self, document: PreparedDocument) -> RenderedDeck:
        plan = self.plan(document)
        presentation = Presentation(io.BytesIO(self.template_bytes))
        writer = _Writer(presentation, document)
        for slide in plan.slides:
            writer.slide(slide)
        return RenderedDeck(presentation, len(presentation.slides), plan.warnings + writer.warnings)

    def write(self, presentation, target: Path) -> None:
        presentation.save(str(target))


# --------------------------------------------------------------------------- the template's measures


def template_metrics(presentation) -> dict[str, LayoutMetrics]:
    """What the plan needs to know of each named layout: its boxes and the text sizes they give."""
    layouts = {layout.name: layout for layout in presentation.slide_layouts}
    missing = [name for name in LAYOUT_NAMES if name not in layouts]
    if missing:
        raise DeckError(f"the slide template has no layout named {', '.join(missing)}")
    master = presentation.slide_master
    metrics = {}
    for name in LAYOUT_NAMES:
        layout = layouts[name]
        title = next((s for s in layout.placeholders if s.placeholder_format.type in TITLE_TYPES), None)
        bodies = sorted(_text_placeholders(layout), key=lambda s: (round(s.top / EMU), round(s.left / EMU)))
        texts, area_kind = NEEDS.get(name, (1, None))
        area = _area(layout, area_kind) if area_kind else None
        if len(bodies) < texts or (area_kind and area is None):
            what = f"{texts} text placeholder(s)" + (f" and a {area_kind.lower()} placeholder" if area_kind else "")
            raise DeckError(f"the layout “{name}” of the slide template needs {what}")
        metrics[name] = LayoutMetrics(
            name,
            _placeholder(title, master, title=True) if title is not None else None,
            tuple(_placeholder(body, master, title=False) for body in bodies),
            _rect(area) if area is not None else None,
        )
    return metrics


def _text_placeholders(layout_or_slide) -> list:
    return [s for s in layout_or_slide.placeholders if s.placeholder_format.type in TEXT_TYPES]


def _area(layout, kind: str):
    return next((s for s in layout.placeholders if s.placeholder_format.type in AREA_TYPES[kind]), None)


def _placeholder(shape, master, title: bool) -> Placeholder:
    size, bold, _ = ooxml.inherited_style(shape, master, title)
    frame = shape.text_frame
    insets = tuple(
        margin / EMU for margin in (frame.margin_left, frame.margin_right, frame.margin_top, frame.margin_bottom)
    )
    return Placeholder(_rect(shape), size or 18.0, bool(bold), insets)


def _rect(shape) -> Rect:
    return Rect(shape.left / EMU, shape.top / EMU, shape.width / EMU, shape.height / EMU)


# --------------------------------------------------------------------------- writing a plan


class _Writer:
    def __init__(self, presentation, document: PreparedDocument):
        self.presentation = presentation
        self.document = document
        self.tag = document.proofing_tag
        self.layouts = {layout.name: layout for layout in presentation.slide_layouts}
        self.warnings: list[str] = []
        self._set_properties()

    def slide(self, plan: deckplan.Slide) -> None:
        layout = self.layouts[plan.layout]
        slide = self.presentation.slides.add_slide(layout)
        if slide.shapes.title is not None:
            self._title(slide.shapes.title, plan)
        # the slide's text placeholders in the order the plan numbers them (the layout's)
        layout_order = sorted(_text_placeholders(layout), key=lambda s: (round(s.top / EMU), round(s.left / EMU)))
        by_index = {shape.placeholder_format.idx: shape for shape in _text_placeholders(slide)}
        bodies = [by_index.get(shape.placeholder_format.idx) for shape in layout_order]
        revealed = []
        for block in plan.texts:
            shape = bodies[block.placeholder]
            bodies[block.placeholder] = None
            self._text(shape, block)
            if block.revealed:
                revealed.append(shape.shape_id)
        for unused in (shape for shape in bodies if shape is not None):
            ooxml.remove_shape(unused)
        areas = [
            s for s in slide.placeholders if s.placeholder_format.type in AREA_TYPES["PICTURE"] | AREA_TYPES["CHART"]
        ]
        for image in plan.images:
            self._image(slide, image)
        if plan.chart:
            self._chart(slide, plan.chart)
        for area in areas:
            ooxml.remove_shape(area)
        ooxml.add_click_reveal(slide, revealed)
        self._notes(slide, plan.notes)

    # ------------------------------------------------------------------ text

    def _title(self, shape, plan: deckplan.Slide) -> None:
        frame = shape.text_frame
        frame.clear()
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        paragraph = frame.paragraphs[0]
        for run in plan.title:
            self._run(paragraph, run, plan.title_size, bold=None)  # the layout's weight

    def _text(self, shape, block: deckplan.TextBlock) -> None:
        if block.rect is not None:
            shape.left, shape.top = Emu(round(block.rect.left * EMU)), Emu(round(block.rect.top * EMU))
            shape.width, shape.height = Emu(round(block.rect.width * EMU)), Emu(round(block.rect.height * EMU))
        frame = shape.text_frame
        frame.clear()
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        for index, para in enumerate(block.paras):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            measured = deckplan.measured(para, block.size, block.bold)
            ooxml.set_indent(paragraph, round(measured.indent * EMU), -round(measured.hanging * EMU))
            ooxml.set_marker(paragraph, para.marker, para.number)
            paragraph.space_before = Pt(measured.space_before)
            paragraph.line_spacing = measured.line_spacing
            for run in para.runs:
                self._run(paragraph, run, block.size, bold=block.bold)

    def _run(self, paragraph, run: deckplan.Run, size: float, bold: bool | None) -> None:
        """A run at ``size``; a linked text becomes one link per word, so that no client breaks it mid-word."""
        pieces = _linked_words(run.text) if run.link else [(run.text, False)]
        for text, linked in pieces:
            written = paragraph.add_run()
            written.text = text
            written.font.size = Pt(size)
            weight = run.bold if run.bold is not None else bold
            if weight is not None:
                written.font.bold = weight
            if run.italic:
                written.font.italic = True
            if run.code:
                ooxml.set_monospace(written, textfit.CODE_FONT)
            ooxml.set_language(written, self.document.proofing_tags[run.language] if run.language else self.tag)
            if linked:
                written.hyperlink.address = run.link
                written.font.color.theme_color = MSO_THEME_COLOR.HYPERLINK  # one colour in every client

    def _notes(self, slide, lines) -> None:
        frame = slide.notes_slide.notes_text_frame
        frame.clear()
        for index, line in enumerate(line for line in lines if line):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            ooxml.set_language(run, self.tag)

    # ------------------------------------------------------------------ pictures and charts

    def _image(self, slide, image: deckplan.Image) -> None:
        data = qr_png(image.qr) if image.qr else self._picture_bytes(image.path)
        from PIL import Image

        width, height = Image.open(io.BytesIO(data)).size
        area = image.area
        scale = min(area.width / width, area.height / height)
        shown_width, shown_height = width * scale, height * scale
        left = area.left + (area.width - shown_width) / 2
        top = area.top + (area.height - shown_height) / 2
        picture = slide.shapes.add_picture(
            io.BytesIO(data), *(Emu(round(v * EMU)) for v in (left, top, shown_width, shown_height))
        )
        if image.qr:
            picture.name = f"QR {image.qr}"
        ooxml.set_alt_text(picture, image.alt)

    def _picture_bytes(self, path: Path) -> bytes:
        """PNG or JPEG bytes of a picture: SVG drawn with the bundled fonts; other formats converted by
        Pillow (python-pptx and PowerPoint take no WebP, and TIFF or BMP are clumsy in a deck)."""
        if path.suffix.lower() == ".svg":
            if problem := svg_problem(path):
                raise DeckError(problem)
            return _svg_png(path)
        return _png_or_jpeg(path)

    def _chart(self, slide, block: deckplan.ChartBlock) -> None:
        """A native chart, editable, in the template's theme colours, its labels formatted for the locale."""
        chart = block.chart
        data = CategoryChartData()
        data.categories = list(chart.categories)
        data.add_series(chart.series, chart.values)
        kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
        area = block.area
        frame = slide.shapes.add_chart(
            kind, *(Emu(round(v * EMU)) for v in (area.left, area.top, area.width, area.height)), data
        )
        graph = frame.chart
        graph.has_legend = False
        graph.has_title = False  # the slide's title and text say what it shows; the series is in the notes
        graph.font.size = Pt(block.text_size)
        series = graph.plots[0].series[0]
        if chart.kind == "bar":
            series.format.fill.solid()
            series.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
            graph.plots[0].gap_width = 60
            graph.category_axis.reverse_order = True  # first category on top, as in the source
        else:
            series.format.line.color.theme_color = MSO_THEME_COLOR.ACCENT_1
        graph.value_axis.visible = False  # each bar says its value
        graph.value_axis.has_major_gridlines = False
        graph.category_axis.tick_labels.font.size = Pt(block.text_size)
        graph.category_axis.format.line.color.theme_color = MSO_THEME_COLOR.TEXT_1
        for point, label in zip(series.points, chart.value_labels, strict=True):
            text = point.data_label.text_frame
            text.text = label  # "12 %", "6,2 %": as the worksheet prints them
            text.paragraphs[0].runs[0].font.size = Pt(block.text_size)
            text.paragraphs[0].runs[0].font.bold = True
            point.data_label.position = (
                XL_LABEL_POSITION.OUTSIDE_END if chart.kind == "bar" else XL_LABEL_POSITION.ABOVE
            )
        ooxml.positive_axis_ids(graph)
        ooxml.tag_languages(ooxml.chart_element(graph), self.tag)
        ooxml.set_alt_text(frame, chart.series)

    # ------------------------------------------------------------------ the file

    def _set_properties(self) -> None:
        properties, metadata = self.presentation.core_properties, self.document.metadata
        properties.title = metadata.title
        properties.author = metadata.author
        properties.subject = metadata.subject
        properties.language = self.tag
        properties.keywords = metadata.keywords
        properties.comments = self.document.labels["slides"]
        ooxml.set_default_language(self.presentation, self.tag)


def _linked_words(text: str) -> list[tuple[str, bool]]:
    """``"a b"`` → ``["a ", "b"]``: one link per word (a space or a zero-width space ends it).

    LibreOffice turns a linked run into one text field, which it cannot wrap
    between words: a long link title broke inside a word (“micro-gagn|er”).
    It wraps between two fields, so one link per word wraps as text does in
    every client. No plain text goes between the pieces (LibreOffice then
    draws the first link in the text's colour)."""
    return [(piece, True) for piece in re.findall(rf"[^ {ZWSP}]+[ {ZWSP}]*|[ {ZWSP}]+", text)]
