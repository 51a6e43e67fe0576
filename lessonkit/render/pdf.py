"""The printed worksheet and its answer key: Jinja2 templates + CSS in layouts/pdf, rendered by WeasyPrint.

Both PDFs come from the same template. In the key the model answers are laid
*over* the ruled answer space (absolutely positioned), so they cannot move
anything: the student sheet and the key have the same page breaks by
construction, and a check after layout proves it. An answer taller than its
space is reported by name.

A question's ruled lines may go on over a page, three lines at least on each side (the prompt
keeps its first three, the last three stay together): a question of seven lines or more never
leaves a blank at the foot of a page that could hold its prompt and three lines. In the key, the
answer of a question whose lines do go on over a page is set *in* the flow instead, on lines of
the same pitch, followed by the blank lines that remain, so the typed answer goes on over the
page exactly where the sheet's lines do (a second layout of the key, knowing how many lines each
such answer takes); the check then also compares where each question's lines break. Should the
key still break otherwise, every question is kept whole instead.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from ..errors import RenderError
from ..fetcher import ConfinedFetcher, FetchRefused
from ..layouts import LAYOUTS
from ..prepared import PreparedDocument
from .html import calls_a_note, template_environment
from .pdf_tags import fix_tagging
from .qr import qr_svg_data_uri

__all__ = [
    "LaidOut",
    "PdfRenderer",
    "RenderError",
    "RenderedPdfs",
    "captured_weasyprint_log",
    "iter_boxes",
    "same_pages",
]

RENDERER_ERROR, RENDERER_REMARK = "WeasyPrint error: ", "WeasyPrint: "  # prefixes of the log lines we pass on


@dataclass
class RenderedPdfs:
    """Both PDFs of a document, laid out, checked, and ready to write."""

    worksheet: object  # weasyprint.Document
    answer_key: object
    warnings: list[str] = field(default_factory=list)


class PdfRenderer:
    """Renders prepared documents to PDF; one per process, so fonts and images are loaded once."""

    def __init__(self, layouts: Path = LAYOUTS):
        self.layouts = layouts
        self.font_config = FontConfiguration()
        self.image_cache: dict = {}
        self.environment = template_environment(layouts / "pdf")
        self._stylesheets: dict[str, CSS] = {}

    def render(self, document: PreparedDocument, worksheet=None) -> RenderedPdfs:
        """Lay out the worksheet, and the answer key: a first page for the teacher (lesson plan,
        marking scheme), then only the worksheet's pages that hold questions, with their page numbers.
        ``worksheet``: the sheet ``layout_worksheet`` laid out for this document (the preview shows it
        before the key), not laid out again."""
        if worksheet is None:
            self._forget_previous_images()
        fetcher = ConfinedFetcher([*document.folders, self.layouts])
        with captured_weasyprint_log() as log:
            split = _splittable(document)
            student = worksheet if worksheet is not None else self._layout(document, fetcher, False, split)
            try:
                key, key_layout, answers = self._key(document, fetcher, split, LaidOut(student))
            except RenderError:
                if not split:
                    raise
                # the key could not follow a split question page for page: keep every question whole
                split, student = frozenset(), self._layout(document, fetcher, answer_key=False)
                key, key_layout, answers = self._key(document, fetcher, split, LaidOut(student))
            key_pages = sorted(key_layout.question_pages) or list(range(1, key_layout.pages + 1))
            cover = self._cover(document, fetcher, key_pages)
        warnings = list(dict.fromkeys(log))  # the sheet may be laid out more than once
        warnings += _missing_glyphs(key_layout)  # the key holds every text of the sheet, and the answers
        warnings += _answer_overflows(document, answers)
        cover_pages = cover.pages if cover else []
        answer_key = key.copy([*cover_pages, *(key.pages[number - 1] for number in key_pages)])
        return RenderedPdfs(student, answer_key, warnings)

    def _key(self, document: PreparedDocument, fetcher: ConfinedFetcher, split: frozenset[str], student: LaidOut):
        """The key, checked page for page against the sheet, and how tall each model answer is laid whole.
        The answer of a question whose lines go on over a page is set in the flow, on as many lines as it
        takes (measured first in a small document of those answers alone: no second layout of the key),
        so it goes on over the page where the sheet's lines do."""
        broken = _broken_spaces(student, split)
        measured = self._measured_answers(document, fetcher, student, broken) if broken else {}
        typed = _typed_lines(document, measured, broken)
        key = self._layout(document, fetcher, answer_key=True, split=split, typed=typed or None)
        key_layout = LaidOut(key)
        same_pages(student, key_layout)
        return key, key_layout, {**_answer_heights(key_layout), **measured}

    def _measured_answers(
        self, document: PreparedDocument, fetcher: ConfinedFetcher, student: LaidOut, anchors
    ) -> dict[str, tuple[float, float]]:
        """Height and line pitch of each model answer of ``anchors``, laid whole at its space's width."""
        spaces = {anchor: student.ids[f"space-{anchor}"][1] for anchor in anchors}
        answers = [(q, round(spaces[q.anchor].width, 3)) for q in document.questions() if q.anchor in spaces]
        source = self.environment.get_template("answers.html.j2").render(doc=document, answers=answers)
        laid = LaidOut(self._laid_out(source, document, fetcher, answer_key=True))
        return {
            anchor: (laid.ids[f"answer-{anchor}"][1].margin_height(), _rule_pitch(space))
            for anchor, space in spaces.items()
            if f"answer-{anchor}" in laid.ids
        }

    def layout_worksheet(self, document: PreparedDocument):
        """The worksheet alone, laid out (``weasyprint.Document``): what the preview shows first. Its
        questions may go on over a page, as in ``render``."""
        self._forget_previous_images()
        fetcher = ConfinedFetcher([*document.folders, self.layouts])
        with captured_weasyprint_log():
            return self._layout(document, fetcher, answer_key=False, split=_splittable(document))

    def _cover(self, document: PreparedDocument, fetcher: ConfinedFetcher, key_pages: list[int]):
        """The key's first page, when the teacher has something to read there."""
        activity = document.activity
        if not document.total_points and not (activity and activity.teacher_instructions):
            return None
        context = _Context(document, True, self.layouts, key_pages)
        source = self.environment.get_template("key-cover.html.j2").render(doc=document, c=context)
        return self._laid_out(source, document, fetcher, answer_key=True)

    def _styles(self, paper: str, answer_key: bool) -> list[CSS]:
        """The stylesheets, each parsed once per process, so their fonts are loaded once."""
        names = ["worksheet.css", f"paper-{paper}.css", *(["answer-key.css"] if answer_key else [])]
        return [self._stylesheet(name) for name in names]

    def _stylesheet(self, name: str) -> CSS:
        if name not in self._stylesheets:
            fetcher = ConfinedFetcher([self.layouts])
            path = self.layouts / "pdf" / name
            self._stylesheets[name] = CSS(filename=str(path), url_fetcher=fetcher, font_config=self.font_config)
        return self._stylesheets[name]

    def _forget_previous_images(self) -> None:
        """Keep the layouts' icons cached, drop the previous document's images and QR codes: WeasyPrint's
        cached SVG keeps the whole document it was first drawn in alive. Not before: ``write`` still
        needs them (a raster image's cache entry is read when the PDF is written)."""
        shared = self.layouts.resolve().as_uri()
        for url in [url for url in self.image_cache if not str(url).startswith(shared)]:
            del self.image_cache[url]

    def write(self, rendered, target: Path) -> None:
        """Write a laid-out document as a tagged PDF (PDF/UA-1) with its metadata."""
        rendered.write_pdf(target, pdf_variant="pdf/ua-1", uncompressed_pdf=False, finisher=fix_tagging)

    def html(
        self, document: PreparedDocument, answer_key: bool, split: frozenset[str] = frozenset(), typed=None
    ) -> str:
        """The HTML of the sheet or the key. ``split``: anchors of the questions whose lines may go on over
        a page; ``typed``: for those, in the key, how many lines the typed answer takes (set in the flow)."""
        context = _Context(document, answer_key, self.layouts, split=split, typed=typed)
        return self.environment.get_template("worksheet.html.j2").render(doc=document, c=context)

    def _layout(
        self,
        document: PreparedDocument,
        fetcher: ConfinedFetcher,
        answer_key: bool,
        split: frozenset[str] = frozenset(),
        typed=None,
    ):
        return self._laid_out(self.html(document, answer_key, split, typed), document, fetcher, answer_key)

    def _laid_out(self, source: str, document: PreparedDocument, fetcher: ConfinedFetcher, answer_key: bool):
        try:
            page = HTML(string=source, base_url=str(document.folders[0]) + "/", url_fetcher=fetcher)
            styles = self._styles(document.options.paper, answer_key)
            return page.render(stylesheets=styles, font_config=self.font_config, cache=self.image_cache)
        except FetchRefused as refused:
            raise RenderError(f"{refused.url}: {refused.reason}") from None


# --------------------------------------------------------------------------- template context


class _Context:
    """What the templates need beside the prepared document: which PDF this is, and where files are."""

    def __init__(
        self,
        document: PreparedDocument,
        answer_key: bool,
        layouts: Path,
        key_pages: list[int] = (),
        split: frozenset[str] = frozenset(),
        typed: dict[str, tuple[int, int]] | None = None,
    ):
        self.answer_key = answer_key
        self.labels = document.labels
        self.layouts_url = layouts.resolve().as_uri()
        self.key_pages = key_pages  # the worksheet's pages the key holds
        self.split = split  # questions whose lines may go on over a page
        self.typed = typed or {}  # in the key, for a question that goes on over a page: (answer's lines, first page's)

    def runs(self, section) -> list[tuple[str, object]]:
        """A lesson section's text as the page sets it: in two columns, but a paragraph that calls a
        footnote goes across the page, with the headings just before it: WeasyPrint 70 mislays a
        footnote called from inside columns (it may push the whole section to the next page, or fail).
        Runs: ("across", paragraph), ("heading", heading) or ("columns", [("h3" or "p", text), ...]);
        the last is always columns, for the figures and boxes."""
        runs: list[tuple[str, object]] = []
        columns: list[tuple[str, object]] = []
        texts = [("p", paragraph) for paragraph in section.body]
        for part in section.subsections:
            texts += [("h3", part.heading), *(("p", paragraph) for paragraph in part.body)]
        for tag, text in texts:
            if tag == "h3" or not calls_a_note(text):
                columns.append((tag, text))
                continue
            headings = []
            while columns and columns[-1][0] == "h3":
                headings.insert(0, ("heading", columns.pop()[1]))
            runs += [*([("columns", columns)] if columns else []), *headings, ("across", text)]
            columns = []
        return [*runs, ("columns", columns)]

    def icon_url(self, name: str) -> str:
        return f"{self.layouts_url}/icons/{name}.svg"

    def qr(self, url: str) -> str:
        return qr_svg_data_uri(url)


# --------------------------------------------------------------------------- checks after layout


class _LogCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # errors (a resource that failed to load) always matter; warnings (CSS it ignored) are for --verbose
        prefix = RENDERER_ERROR if record.levelno >= logging.ERROR else RENDERER_REMARK
        self.messages.append(prefix + record.getMessage())


class captured_weasyprint_log:
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


def iter_boxes(box) -> Iterator:
    """A layout box and every box inside it, depth first."""
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from iter_boxes(child)


class LaidOut:
    """A laid-out document walked once: where each element with an id is, and every character drawn."""

    def __init__(self, rendered):
        self.pages = len(rendered.pages)
        self.ids: dict[str, tuple[int, object]] = {}  # id → (page number, first box)
        self.last_pages: dict[str, int] = {}  # id → page of its last piece
        self.question_pages: set[int] = set()  # every page that shows part of a question
        self.characters: set[str] = set()
        for number, page in enumerate(rendered.pages, start=1):
            for box in iter_boxes(page._page_box):
                self.characters.update(getattr(box, "text", "") or "")
                element = getattr(box, "element", None)
                element_id = element.get("id") if element is not None else None
                if element_id and element_id not in self.ids:
                    self.ids[element_id] = (number, box)
                if element_id:
                    self.last_pages[element_id] = number
                if element_id and element_id.startswith("question-"):
                    self.question_pages.add(number)

    def pages_of(self, prefix: str) -> dict[str, int]:
        return {key: page for key, (page, _) in self.ids.items() if key.startswith(prefix)}


def _missing_glyphs(laid: LaidOut) -> list[str]:
    """Characters that would fall back to a system font (so print differently on each machine)."""
    covered = _bundled_characters()
    missing = {
        char
        for char in laid.characters
        if ord(char) not in covered and not char.isspace() and unicodedata.category(char) != "Cf"
    }
    return [f"no glyph for “{char}” (U+{ord(char):04X}) in the bundled fonts" for char in sorted(missing)]


def same_pages(student: LaidOut, key: LaidOut) -> None:
    """Refuse a key whose pages break otherwise than the sheet's: the teacher matches them page for page.
    A question whose lines go on over a page must break after as many lines in both."""
    student_pages, key_pages = student.pages_of("question-"), key.pages_of("question-")
    if student_pages != key_pages:
        moved = sorted(k for k in student_pages if student_pages[k] != key_pages.get(k))
        raise RenderError(f"questions moved between the worksheet and the key: {', '.join(moved)}")
    if student.pages != key.pages:
        raise RenderError(f"the answer key has {key.pages} pages but the worksheet {student.pages}")
    for space, (_, box) in student.ids.items():
        if not space.startswith("space-") or space not in key.ids:
            continue
        if student.last_pages[space] != key.last_pages[space] or _lines_in(box) != _lines_in(key.ids[space][1]):
            raise RenderError(f"the lines of {space.removeprefix('space-')} break otherwise in the key")


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def _splittable(document: PreparedDocument) -> frozenset[str]:
    """The questions whose lines may go on over a page: all of them (the template keeps those of fewer
    than seven lines whole). Three lines at least stay on each side, so a question only goes on over
    a page that would otherwise keep a blank of about a sixth of its height or more."""
    return frozenset(question.anchor for question in document.questions())


def _rule_pitch(space) -> float:
    """The height of one ruled line of an answer space."""
    return next(b.margin_height() for b in iter_boxes(space) if "rule" in _classes(b))


def _broken_spaces(laid: LaidOut, split: frozenset[str]) -> dict[str, int]:
    """The questions whose lines do go on over a page, and how many of their lines the first page holds."""
    broken = {}
    for anchor in split:
        page, space = laid.ids.get(f"space-{anchor}", (None, None))
        if space is not None and laid.last_pages[f"space-{anchor}"] != page:
            broken[anchor] = _lines_in(space)
    return broken


def _lines_in(space) -> int:
    """The ruled lines a piece of an answer space holds: blank, or carrying the key's typed answer.
    Counted, not measured: WeasyPrint 70 may count in the height of a piece lines it pushed over the page."""
    from weasyprint.formatting_structure.boxes import LineBox

    def lines(box) -> int:
        if "::marker" in (getattr(box, "element_tag", "") or ""):
            return 0  # a bullet, beside a line of its item
        if isinstance(box, LineBox):
            return 1
        return sum(lines(child) for child in getattr(box, "children", ()) or ())

    typed = [b for b in iter_boxes(space) if "in-flow" in _classes(b)]
    return sum("rule" in _classes(b) for b in iter_boxes(space)) + sum(lines(answer) for answer in typed)


def _typed_lines(
    document: PreparedDocument, measured: dict[str, tuple[float, float]], broken: dict[str, int]
) -> dict[str, tuple[int, int]]:
    """For each question whose lines go on over a page: how many ruled lines its model answer takes, typed,
    and how many lines the sheet's first page holds."""
    typed = {}
    for question in document.questions():
        if question.anchor in broken and question.anchor in measured:
            height, pitch = measured[question.anchor]
            lines = math.ceil(height / pitch - 0.01)
            typed[question.anchor] = (min(max(lines, 1), question.lines), broken[question.anchor])
    return typed


def _answer_heights(key: LaidOut) -> dict[str, tuple[float, float]]:
    """Height and line pitch of each model answer laid over its lines (out of the flow) in the key."""
    heights = {}
    for element_id, (_, answer) in key.ids.items():
        anchor = element_id.removeprefix("answer-")
        space = key.ids.get(f"space-{anchor}")
        if element_id.startswith("answer-") and space and "in-flow" not in _classes(answer):
            heights[anchor] = (answer.margin_height(), _rule_pitch(space[1]))
    return heights


def _answer_overflows(document: PreparedDocument, answers: dict[str, tuple[float, float]]) -> list[str]:
    """Name every model answer that is taller than the ruled space students get."""
    warnings = []
    for question in document.questions():
        if question.anchor not in answers:
            continue
        needed, line = answers[question.anchor]
        if needed > line * question.lines + 0.5:
            warnings.append(
                f"the model answer to question {question.label} (“{question.id}”) needs about "
                f"{round(needed / line + 0.49)} lines but the space has {question.lines}: "
                "raise its “lines” or shorten the answer"
            )
    return warnings
