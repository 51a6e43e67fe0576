"""The printed worksheet and its answer key: Jinja2 templates + CSS in layouts/pdf, rendered by WeasyPrint.

Both PDFs come from the same template. In the key the model answers are laid
*over* the ruled answer space (absolutely positioned), so they cannot move
anything: the student sheet and the key have the same page breaks by
construction, and a check after layout proves it. An answer taller than its
space is reported by name.
"""

from __future__ import annotations

import html
import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from . import markup
from .fetcher import ConfinedFetcher, FetchRefused
from .i18n import LAYOUTS, Labels, format_day, format_number, labels_for
from .model import Document, Question
from .qr import qr_svg_data_uri, short_url
from .typography import quoted, typeset

PDF_LAYOUTS = LAYOUTS / "pdf"
PAPER_SIZES = ("a4", "letter")
RENDERER_ERROR, RENDERER_REMARK = "WeasyPrint error: ", "WeasyPrint: "  # prefixes of the log lines we pass on


class RenderError(Exception):
    """The document could not be rendered; the message says why in plain words."""


@dataclass
class RenderedPdfs:
    """Both PDFs of a document, laid out, checked, and ready to write."""

    worksheet: object  # weasyprint.Document
    answer_key: object
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.worksheet.pages)


class PdfRenderer:
    """Renders documents to PDF; one per process, so fonts and images are loaded once."""

    def __init__(self, layouts: Path = LAYOUTS):
        self.layouts = layouts
        self.font_config = FontConfiguration()
        self.image_cache: dict = {}
        self.environment = _environment(layouts / "pdf")
        self._stylesheets: dict[str, list[CSS]] = {}

    def render(self, document: Document, paper: str = "a4") -> RenderedPdfs:
        if paper not in PAPER_SIZES:
            raise RenderError(f"unknown paper size “{paper}” (use {' or '.join(PAPER_SIZES)})")
        fetcher = ConfinedFetcher([document.folder, self.layouts])
        try:
            with _captured_weasyprint_log() as log:
                student, key = (self._layout(document, paper, fetcher, answer_key=flag) for flag in (False, True))
        finally:
            self._forget_document_images()
        warnings = list(log)
        student_layout, key_layout = _Laid(student), _Laid(key)
        warnings += _missing_glyphs(key_layout)  # the key holds every text of the sheet, and the answers
        _check_same_pages(student_layout, key_layout)
        warnings += _answer_overflows(document, key_layout)
        return RenderedPdfs(student, key, warnings)

    def _styles(self, paper: str) -> list[CSS]:
        """The stylesheets, parsed once per paper size: their fonts are loaded once per process."""
        if paper not in self._stylesheets:
            fetcher = ConfinedFetcher([self.layouts])
            self._stylesheets[paper] = [
                CSS(filename=str(self.layouts / "pdf" / name), url_fetcher=fetcher, font_config=self.font_config)
                for name in ("worksheet.css", f"paper-{paper}.css")
            ]
        return self._stylesheets[paper]

    def _forget_document_images(self) -> None:
        """Keep the layouts' icons cached, drop the document's own images and QR codes:
        WeasyPrint's cached SVG keeps the whole document it was first drawn in alive."""
        shared = self.layouts.resolve().as_uri()
        for url in [url for url in self.image_cache if not str(url).startswith(shared)]:
            del self.image_cache[url]

    def write(self, rendered, target: Path) -> None:
        """Write a laid-out document as a tagged PDF (PDF/UA-1) with its metadata."""
        rendered.write_pdf(target, pdf_variant="pdf/ua-1", uncompressed_pdf=False)

    def html(self, document: Document, answer_key: bool, paper: str = "a4") -> str:
        context = _Context(document, labels_for(document.lesson.language), answer_key, self.layouts, paper)
        return self.environment.get_template("worksheet.html.j2").render(c=context)

    def _layout(self, document: Document, paper: str, fetcher: ConfinedFetcher, answer_key: bool):
        source = self.html(document, answer_key, paper)
        try:
            page = HTML(string=source, base_url=str(document.folder) + "/", url_fetcher=fetcher)
            return page.render(stylesheets=self._styles(paper), font_config=self.font_config, cache=self.image_cache)
        except FetchRefused as refused:
            raise RenderError(f"{refused.url}: {refused.reason}") from None


# --------------------------------------------------------------------------- template context


class _Context:
    """What the template sees: the document, its labels, and helpers that return safe HTML."""

    def __init__(self, document: Document, labels: Labels, answer_key: bool, layouts: Path, paper: str):
        self.document = document
        self.lesson = document.lesson
        self.language = document.lesson.language
        self.labels = labels
        self.answer_key = answer_key
        self.layouts_url = layouts.resolve().as_uri()
        self.paper = paper
        self._footnotes = {note.id: note.text for s in self.lesson.sections for note in s.footnotes}

    # text
    def inline(self, text: str | None) -> Markup:
        return Markup(self._nodes(markup.parse_inline(text))) if text else Markup("")

    def plain(self, text: str | None) -> str:
        return typeset(markup.plain_text(markup.parse_inline(text)), self.language) if text else ""

    def blocks(self, text: str) -> Markup:
        parts = []
        for block in markup.parse_blocks(text):
            if isinstance(block, markup.Paragraph):
                parts.append(f"<p>{self._nodes(block.children)}</p>")
            else:
                items = "".join(f"<li>{self._nodes(item)}</li>" for item in block.items)
                parts.append(f"<ul>{items}</ul>")
        return Markup("".join(parts))

    def quoted(self, text: str) -> str:
        return quoted(markup.plain_text(markup.parse_inline(text)), self.language)

    def label(self, key: str, **values: object) -> str:
        return self.labels.format(key, **values) if values else self.labels[key]

    def number(self, value: float) -> str:
        return format_number(value, self.language)

    def day(self, value) -> str:
        return format_day(value, self.language)

    # links, icons, QR codes
    def icon_url(self, name: str) -> str:
        return f"{self.layouts_url}/icons/{name}.svg"

    def qr(self, url: str) -> str:
        return qr_svg_data_uri(url)

    def short_url(self, url: str) -> str:
        return short_url(url)

    # questions
    def letter(self, index: int) -> str:
        return f"{chr(ord('a') + index)})"

    @cached_property
    def authors(self) -> str:
        return ", ".join(self.lesson.credits.authors)

    @cached_property
    def keywords(self) -> str:
        return ", ".join([self.lesson.subject, *(self.plain(g.term) for g in self.lesson.glossary)])

    def _nodes(self, nodes) -> str:
        return "".join(self._node(node) for node in nodes)

    def _node(self, node) -> str:
        if isinstance(node, markup.Text):
            return html.escape(typeset(node.text, self.language), quote=False)
        if isinstance(node, markup.Code):
            return f"<code>{html.escape(node.text, quote=False)}</code>"
        if isinstance(node, markup.Emphasis):
            return f"<em>{self._nodes(node.children)}</em>"
        if isinstance(node, markup.Strong):
            return f"<strong>{self._nodes(node.children)}</strong>"
        if isinstance(node, markup.Link):
            return f'<a href="{html.escape(node.url)}">{self._nodes(node.children)}</a>'
        if isinstance(node, markup.Foreign):
            return f'<span lang="{html.escape(node.language)}">{self._nodes(node.children)}</span>'
        if isinstance(node, markup.FootnoteRef):
            return f'<span class="footnote">{self._nodes(markup.parse_inline(self._footnotes[node.id]))}</span>'
        return "<br>"


def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


# --------------------------------------------------------------------------- checks after layout


class _LogCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # errors (a resource that failed to load) always matter; warnings (CSS it ignored) are for --verbose
        prefix = RENDERER_ERROR if record.levelno >= logging.ERROR else RENDERER_REMARK
        self.messages.append(prefix + record.getMessage())


class _captured_weasyprint_log:
    """Collect WeasyPrint's warnings (failed resources, fonts) instead of losing them."""

    def __enter__(self) -> list[str]:
        self.handler = _LogCollector()
        logging.getLogger("weasyprint").addHandler(self.handler)
        return self.handler.messages

    def __exit__(self, *exc) -> None:
        logging.getLogger("weasyprint").removeHandler(self.handler)


@lru_cache(maxsize=1)
def _bundled_characters(fonts: Path = LAYOUTS / "fonts") -> frozenset[int]:
    """Every character the bundled fonts can draw."""
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its remarks on font dates are noise here

    covered: set[int] = set()
    for path in fonts.glob("Lato-*.ttf"):  # the faces worksheet.css declares
        covered.update(TTFont(path, lazy=True).getBestCmap())
    return frozenset(covered)


def _boxes(box) -> Iterator:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _boxes(child)


class _Laid:
    """A laid-out document walked once: where each element with an id is, and every character drawn."""

    def __init__(self, rendered):
        self.pages = len(rendered.pages)
        self.ids: dict[str, tuple[int, object]] = {}  # id → (page number, first box)
        self.characters: set[str] = set()
        for number, page in enumerate(rendered.pages, start=1):
            for box in _boxes(page._page_box):
                self.characters.update(getattr(box, "text", "") or "")
                element = getattr(box, "element", None)
                element_id = element.get("id") if element is not None else None
                if element_id and element_id not in self.ids:
                    self.ids[element_id] = (number, box)

    def pages_of(self, prefix: str) -> dict[str, int]:
        return {key: page for key, (page, _) in self.ids.items() if key.startswith(prefix)}


def _missing_glyphs(laid: _Laid) -> list[str]:
    """Characters that would fall back to a system font (so print differently on each machine)."""
    covered = _bundled_characters()
    missing = {
        char
        for char in laid.characters
        if ord(char) not in covered and not char.isspace() and unicodedata.category(char) != "Cf"
    }
    return [f"no glyph for “{char}” (U+{ord(char):04X}) in the bundled fonts" for char in sorted(missing)]


def _check_same_pages(student: _Laid, key: _Laid) -> None:
    if student.pages != key.pages:
        raise RenderError(f"the answer key has {key.pages} pages but the worksheet {student.pages}")
    student_pages, key_pages = student.pages_of("question-"), key.pages_of("question-")
    if student_pages != key_pages:
        moved = sorted(k for k in student_pages if student_pages[k] != key_pages.get(k))
        raise RenderError(f"questions moved between the worksheet and the key: {', '.join(moved)}")


def _answer_overflows(document: Document, key: _Laid) -> list[str]:
    """Name every model answer that is taller than the ruled space students get."""
    warnings = []
    for scope, question in _scoped_questions(document):
        answer = key.ids.get(f"answer-{scope}{question.id}")
        space = key.ids.get(f"space-{scope}{question.id}")
        if not answer or not space:
            continue
        needed, available = answer[1].margin_height(), space[1].height
        if needed > available + 0.5:
            line = available / question.lines
            warnings.append(
                f"the model answer to “{question.id}” needs about {round(needed / line + 0.49)} lines "
                f"but the space has {question.lines}: raise its “lines” or shorten the answer"
            )
    return warnings


def _scoped_questions(document: Document) -> list[tuple[str, Question]]:
    """Questions with the id prefix the template gives them (readings may reuse a lesson's ids)."""
    scoped = [("", q) for q in document.lesson.questions()]
    scoped += [(f"{r.id}-", q) for r in document.readings for q in r.questions]
    return scoped
