"""What goes on which slide: the deck as a plan, decided from the prepared document alone.

A slide is not a page. A teacher projects a few words, large, and keeps the
rest in the speaker notes, so the plan follows a budget:

- the title; one slide per section, from its slide points; a slide per box
  that has slide points or a figure; the activity (its task, duration and the
  QR code of its video); one slide per question, its key points appearing on
  a click; a reading in at most four slides (thesis, figure, key concepts,
  discussion questions); the glossary's terms; the resources with their QR
  codes; a closing slide (what to remember, an exit question);
- at most ``WORD_BUDGET`` words on a slide besides its title, no paragraph
  of more than ``PARAGRAPH_WORDS`` words, text never below ``MIN_BODY_PT``
  (questions never below ``MIN_QUESTION_PT``); prose that does not fit stays
  in the notes, and only slide points ever continue on a second slide;
- a slide's notes are its teacher notes, then once the full text the slide
  sums up.

The plan measures every text (``textfit``) with the sizes and boxes of the
template's layouts (``LayoutMetrics``, read by the writer), and says at which
size each text is written: what was measured is what is written. It knows
nothing of python-pptx or XML; ``pptx`` writes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..nodes import Code, Emphasis, Foreign, LineBreak, Link, Strong, Text
from ..prepared import (
    Activity,
    Box,
    BulletList,
    Chart,
    Entry,
    Figure,
    Inlines,
    PreparedDocument,
    Question,
    Reading,
    Section,
    TeacherNotes,
)
from ..prepared import Link as LinkItem
from . import textfit

WORD_BUDGET = 40  # words a slide shows at most, besides its title
PARAGRAPH_WORDS = 25  # words a paragraph on a slide has at most
MIN_BODY_PT, MIN_QUESTION_PT, MIN_TITLE_PT = 24, 32, 32
SIZE_STEP = 2  # points: sizes tried from the layout's down to the minimum
BULLET_INDENT = 27.0  # points: where the text of a bulleted item starts
DIGIT_EM, NUMBER_EM = 0.55, 0.65  # a numbered item's text starts after its widest number and its period
SPACE_BEFORE = 0.45  # paragraph spacing, as a share of the text size
QR_SIDE, QR_MAX = 129.6, 324.0  # points: a link's QR code (1.8 in); the activity's at most 4.5 in
CHART_TEXT_PT = 20  # the chart's own labels (categories, values), at least 18 pt
GAP = 14.4  # points between a column's text and its QR code


# --------------------------------------------------------------------------- what the plan knows of the template


@dataclass(frozen=True)
class Rect:
    """A box on the slide, in points from the top left corner."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Placeholder:
    """A text placeholder of a layout: where it is, its insets, and the text style it gives."""

    rect: Rect
    size: float  # points
    bold: bool
    insets: tuple[float, float, float, float] = (7.2, 7.2, 3.6, 3.6)  # left, right, top, bottom

    def frame(self, rect: Rect | None = None) -> textfit.Frame:
        rect = rect or self.rect
        left, right, top, bottom = self.insets
        return textfit.Frame(rect.width, rect.height, left, right, top, bottom)


@dataclass(frozen=True)
class LayoutMetrics:
    name: str
    title: Placeholder | None
    bodies: tuple[Placeholder, ...]  # text placeholders, top to bottom, then left to right
    area: Rect | None = None  # the picture or chart placeholder


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool | None = None  # None: the weight the placeholder gives
    italic: bool = False
    code: bool = False
    link: str | None = None
    language: str | None = None  # a foreign word's language; None: the deck's


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    marker: str = "bullet"  # "bullet", "number" or "none"
    number: int = 1  # the first number of a numbered list (every item of the list says it)
    digits: int = 1  # digits of the list's largest number: how much room the numbers take


@dataclass(frozen=True)
class TextBlock:
    """Paragraphs written into one text placeholder of the layout, all at one size."""

    placeholder: int  # index in the layout's ``bodies``
    paras: tuple[Para, ...]
    size: float
    bold: bool = False  # the placeholder's weight, written on every run that does not set its own
    rect: Rect | None = None  # where it goes, when not where the layout puts it
    revealed: bool = False  # appears on a click

    def words(self) -> int:
        return sum(count_words(plain(para)) for para in self.paras)


@dataclass(frozen=True)
class Image:
    area: Rect  # the picture is fitted inside, centred, its proportions kept
    alt: str
    path: Path | None = None  # a picture file
    qr: str | None = None  # or a QR code of this address


@dataclass(frozen=True)
class ChartBlock:
    area: Rect
    chart: Chart
    text_size: float = CHART_TEXT_PT


@dataclass(frozen=True)
class Slide:
    kind: str  # "title", "section", "box", "question", "thesis", "discussion", "resources", "closing", …
    layout: str
    title: tuple[Run, ...]
    title_size: float
    texts: tuple[TextBlock, ...] = ()
    images: tuple[Image, ...] = ()
    chart: ChartBlock | None = None
    notes: tuple[str, ...] = ()

    @property
    def title_text(self) -> str:
        return "".join(run.text for run in self.title)

    def words(self) -> int:
        return sum(block.words() for block in self.texts)


@dataclass
class Plan:
    slides: list[Slide] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def plan(document: PreparedDocument, metrics: Mapping[str, LayoutMetrics]) -> Plan:
    """Every slide of the document's deck, in order, with the warnings a teacher should read."""
    return _Planner(document, metrics).plan()


# --------------------------------------------------------------------------- measuring


def count_words(text: str) -> int:
    """Words as a reader counts them: pieces between spaces that hold a letter or a digit."""
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


def plain(para: Para) -> str:
    return "".join(run.text for run in para.runs)


def indent_of(para: Para, size: float) -> float:
    if para.marker == "number":
        return round(size * (DIGIT_EM * para.digits + NUMBER_EM), 1)
    return BULLET_INDENT if para.marker == "bullet" else 0.0


def measured(para: Para, size: float, bold: bool = False) -> textfit.Paragraph:
    """The paragraph as ``textfit`` measures it, and as the writer writes it (indents, spacing)."""
    runs = tuple(
        textfit.Run(run.text, bold if run.bold is None else run.bold, run.italic, run.code) for run in para.runs
    )
    indent = indent_of(para, size)
    return textfit.Paragraph(runs, size, indent=indent, hanging=indent, space_before=size * SPACE_BEFORE)


def sizes(largest: float, minimum: float) -> list[float]:
    """The sizes to try, largest first: the layout's, then down in steps to the minimum."""
    largest = max(largest, minimum)
    found = [largest - step * SIZE_STEP for step in range(int((largest - minimum) // SIZE_STEP) + 1)]
    return found if found[-1] == minimum else [*found, minimum]


def height(paras: Sequence[Para], size: float, placeholder: Placeholder, rect: Rect | None = None) -> float:
    """Height of the paragraphs inside the placeholder (or ``rect``), insets included, in points."""
    frame = placeholder.frame(rect)
    inner = textfit.text_height([measured(p, size, placeholder.bold) for p in paras], frame)
    return inner + frame.inset_top + frame.inset_bottom


def fitting_size(
    paras: Sequence[Para], placeholder: Placeholder, minimum: float = MIN_BODY_PT, rect: Rect | None = None
) -> float | None:
    """The largest size, from the placeholder's down to ``minimum``, at which the paragraphs fit without
    breaking a word (a link, an address), else at which they fit; None if they fit at none."""
    if not paras:
        return max(placeholder.size, minimum)
    frame = placeholder.frame(rect)
    fitting = []
    for size in sizes(placeholder.size, minimum):
        laid_out = [measured(p, size, placeholder.bold) for p in paras]
        if textfit.fits(laid_out, frame):
            if not textfit.breaks_a_word(laid_out, frame):
                return size
            fitting.append(size)
    return fitting[0] if fitting else None  # a word too long for any line at any size: broken where it must


def words_of(paras: Iterable[Para]) -> int:
    return sum(count_words(plain(para)) for para in paras)


def breakable_address(address: str) -> str:
    """The address with a zero-width space after each slash: a long one wraps there, not inside a word."""
    return address.replace("/", "/" + textfit.ZERO_WIDTH_SPACE).removesuffix(textfit.ZERO_WIDTH_SPACE)


def _blocks_within_budget(blocks: Sequence[TextBlock]) -> bool:
    """At most ``WORD_BUDGET`` words, and no paragraph of more than ``PARAGRAPH_WORDS``."""
    paras = [para for block in blocks for para in block.paras]
    return words_of(paras) <= WORD_BUDGET and all(count_words(plain(p)) <= PARAGRAPH_WORDS for p in paras)


def runs_of(text: Inlines | None, base: Run | None = None) -> tuple[Run, ...]:
    """Prepared inline nodes as runs with their formatting; notes stay in the speaker notes."""
    return tuple(_walk(text.nodes, base or Run(""))) if text else ()


def _walk(nodes, style: Run):
    for node in nodes:
        if isinstance(node, Text):
            yield replace(style, text=node.text)
        elif isinstance(node, Code):
            yield replace(style, text=node.text, code=True)
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
        # a Note's number and text have no place on a slide: a slide has no foot


# --------------------------------------------------------------------------- the planner


class _Planner:
    def __init__(self, document: PreparedDocument, metrics: Mapping[str, LayoutMetrics]):
        self.document = document
        self.metrics = metrics
        self.labels = document.labels
        self.reveal = document.options.answers == "slides"
        self.result = Plan()

    def plan(self) -> Plan:
        doc = self.document
        self._title_slide()
        for section in doc.sections:
            self._section(section)
        if doc.activity:
            self._activity(doc.activity)
        for reading in doc.readings:
            self._reading(reading)
        if doc.glossary:
            self._terms("glossary", self.labels["glossary"], doc.glossary)
        if doc.resources:
            self._links("resources", self.labels["resources"], doc.resources)
        self._closing()
        return self.result

    # ------------------------------------------------------------------ the lesson

    def _title_slide(self) -> None:
        doc = self.document
        lines = [doc.kicker, *self._credit_lines(short=True)]
        paras = [Para((Run(line),), "none") for line in lines]
        body = self._body("Title")
        while len(paras) > 1 and (fitting_size(paras, body) is None or words_of(paras) > WORD_BUDGET):
            paras = paras[:-1]  # the kicker always shows; the credits when they fit (they are in the notes)
        notes = [doc.title.plain, doc.kicker, *self._credit_lines()]
        self._add("title", "Title", runs_of(doc.title), [self._block("Title", 0, paras)], notes=notes)

    def _section(self, section: Section) -> None:
        notes = self._teacher(section.teacher_notes)
        notes += [p.plain for p in section.body]
        for part in section.subsections:
            notes += [part.heading.plain, *(p.plain for p in part.body)]
        notes += [f"{note.number}. {note.text.plain}" for note in section.footnotes]
        points = [self._para(p) for p in section.slide_points]
        self._points("section", "Bullets", runs_of(section.heading), points, notes)
        for figure in section.figures:
            self._figure("figure", figure, runs_of(section.heading), [], [figure.caption.plain])
        for box in section.boxes:
            self._box(box)

    def _box(self, box: Box) -> None:
        if not box.slide_points and not box.figure:
            return  # its text is on the sheet; a slide would only repeat it
        notes = [*self._teacher(box.teacher_notes), *(p.plain for p in box.body)]
        points = [self._para(p) for p in box.slide_points]
        if box.figure:
            self._figure("box", box.figure, runs_of(box.title), points, notes)
        else:
            self._points("box", "Bullets", runs_of(box.title), points, notes)

    def _activity(self, activity: Activity) -> None:
        notes = self._teacher(activity.teacher_notes)
        notes += [p.plain for p in activity.teacher_instructions]
        notes += [p.plain for p in activity.instructions]
        notes += [self._term_line(m.title.plain, m.url) for m in activity.materials]
        paras = [Para((Run(f"{activity.duration} · {activity.mode_label}", bold=True),), "none")]
        paras += [self._para(p) for p in activity.slide_points]
        title = (Run(activity.title),)
        materials = list(activity.materials)
        if materials:
            first = materials.pop(0)
            paras += self._link_paras(first, description=False)
            paras = self._within_budget(paras, "activity")
            layout = self.metrics["Picture"]
            image = Image(self._qr_area(layout.area), f"{self.labels['qr_code']}: {first.url}", qr=first.url)
            self._add("activity", "Picture", title, [self._block("Picture", 0, paras)], images=[image], notes=notes)
        else:
            self._points("activity", "Bullets", title, paras, notes)
        if materials:
            self._links("materials", self.labels["materials"], materials)
        for question in activity.questions:
            self._question(question)

    # ------------------------------------------------------------------ questions

    def _question(self, question: Question) -> None:
        points = f" · {question.points}" if question.points else ""  # as on the sheet, beside the question
        title = (Run(f"{self.labels['question']} {question.label}{points}"),)
        notes = self._teacher(question.teacher_notes)
        if not self.reveal and question.key_points:
            notes += [self.labels.lead("key_points"), *(f"• {p.plain}" for p in question.key_points)]
        notes += self._answer_lines(question)
        layout = self.metrics["Question"]
        prompts = [question.prompt, *([question.slide_prompt] if question.slide_prompt else [])]
        options = []
        for prompt in prompts:
            asked = [self._para(prompt, "none")]
            options.append((asked, self._reveal_paras(question, asked) if self.reveal else []))
        fitting = [blocks for asked, shown in options if (blocks := self._question_blocks(layout, asked, shown))]
        within = [blocks for blocks in fitting if _blocks_within_budget(blocks)]
        if within or fitting:
            blocks = (within or fitting)[0]
        else:
            self._warn(title, "the question and its key points do not fit on the slide; shorten them")
            asked = options[-1][0]
            blocks = self._question_blocks(layout, asked, [self._in_notes()] if self.reveal else []) or [
                TextBlock(0, tuple(asked), MIN_QUESTION_PT, layout.bodies[0].bold)
            ]
        if sum(block.words() for block in blocks) > WORD_BUDGET:
            self._warn(title, f"more than {WORD_BUDGET} words on the slide; give the question a shorter slide_prompt")
        self._add("question", "Question", title, blocks, notes=notes)

    def _reveal_paras(self, question: Question, asked: list[Para]) -> list[Para]:
        """What appears on a click: the key points; else the answer, if it is short; else where the answer is."""
        if question.key_points:
            return [self._para(p) for p in question.key_points]
        answer = []
        for block in question.answer:
            if isinstance(block, BulletList):
                answer += [self._para(item) for item in block.items]
            else:
                answer.append(self._para(block.text, "none"))
        short = all(count_words(plain(p)) <= PARAGRAPH_WORDS for p in answer)
        if short and words_of(asked) + words_of(answer) <= WORD_BUDGET:
            return answer
        return [self._in_notes()]

    def _in_notes(self) -> Para:
        return Para((Run(self.labels["answer_in_notes"], italic=True),), "none")

    def _question_blocks(self, layout: LayoutMetrics, asked: list[Para], shown: list[Para]) -> list[TextBlock] | None:
        """The question large, its revealed text under it: in the layout's boxes when they hold them,
        else the question's box shrunk to the question and the revealed text moved up under it."""
        prompt_box = layout.bodies[0]
        if not shown:
            whole = Rect(prompt_box.rect.left, prompt_box.rect.top, prompt_box.rect.width, self._bottom(layout))
            for rect in (None, whole):
                size = fitting_size(asked, prompt_box, MIN_QUESTION_PT, rect)
                if size is not None:
                    return [TextBlock(0, tuple(asked), size, prompt_box.bold, rect)]
            return None
        answer_box = layout.bodies[1]
        asked_size = fitting_size(asked, prompt_box, MIN_QUESTION_PT)
        shown_size = fitting_size(shown, answer_box)
        if asked_size is not None and shown_size is not None:
            return [
                TextBlock(0, tuple(asked), asked_size, prompt_box.bold),
                TextBlock(1, tuple(shown), shown_size, answer_box.bold, revealed=True),
            ]
        gap = max(answer_box.rect.top - prompt_box.rect.bottom, 7.2)
        bottom = self._bottom(layout)
        for asked_size in sizes(prompt_box.size, MIN_QUESTION_PT):
            asked_height = height(asked, asked_size, prompt_box, replace(prompt_box.rect, height=bottom))
            top = prompt_box.rect.top + asked_height + gap
            rest = Rect(answer_box.rect.left, top, answer_box.rect.width, bottom - top)
            if rest.height <= 0:
                continue
            shown_size = fitting_size(shown, answer_box, MIN_BODY_PT, rest)
            if shown_size is not None:
                asked_rect = replace(prompt_box.rect, height=asked_height)
                return [
                    TextBlock(0, tuple(asked), asked_size, prompt_box.bold, asked_rect),
                    TextBlock(1, tuple(shown), shown_size, answer_box.bold, rest, revealed=True),
                ]
        return None

    @staticmethod
    def _bottom(layout: LayoutMetrics) -> float:
        return max(body.rect.bottom for body in layout.bodies)

    def _answer_lines(self, question: Question) -> list[str]:
        lines = [self.labels.lead("answer")]
        for block in question.answer:
            if isinstance(block, BulletList):
                lines += [f"• {item.plain}" for item in block.items]
            else:
                lines.append(block.text.plain)
        return lines

    # ------------------------------------------------------------------ a reading: at most four slides

    def _reading(self, reading: Reading) -> None:
        self._thesis(reading)
        figures = [(section, figure) for section in reading.sections for figure in section.figures]
        for section, figure in figures:
            notes = [p.plain for p in section.key_points]
            notes += [f"{q.text} — {q.author}" for q in section.quotes]
            notes += self._key_figure_lines(reading)
            points = [self._para(p) for p in section.slide_points]
            self._figure("reading_figure", figure, runs_of(section.heading), points, notes)
        if reading.key_figures and not figures:
            items = [Para((Run(f.value, bold=True), Run(" "), *runs_of(f.measures))) for f in reading.key_figures]
            title = (Run(self.labels["key_figures"]),)
            self._points("key_figures", "Bullets", title, items, self._key_figure_lines(reading), prose=True)
        if reading.concepts:
            self._terms("concepts", self.labels["concepts"], reading.concepts)
        if reading.questions:
            self._discussion(reading)

    def _thesis(self, reading: Reading) -> None:
        authors = ", ".join(author.name for author in reading.authors)
        byline = Para((Run(f"{authors} · {reading.year}", bold=True),), "none")
        notes = [self.labels.lead("thesis"), reading.thesis.plain]
        if reading.subtitle:
            notes.insert(0, reading.subtitle.plain)
        if reading.first_presented:
            presented = reading.first_presented
            where = ", ".join(part for part in (presented.place, presented.date) if part)
            notes.append(
                self._term_line(self.labels["first_presented"], presented.event.plain + (f", {where}" if where else ""))
            )
        if reading.slide_points:
            points = [self._para(p) for p in reading.slide_points]
            self._points("thesis", "Bullets", runs_of(reading.title), [byline, *points], notes)
            return
        thesis = [byline, self._para(reading.thesis, "none")]
        shown = thesis if self._prose_fits(thesis, "Bullets") else [byline]
        if len(shown) == 1:
            self._warn(runs_of(reading.title), "the thesis is too long for its slide; give the reading slide_points")
        self._add("thesis", "Bullets", runs_of(reading.title), [self._block("Bullets", 0, shown)], notes=notes)

    def _key_figure_lines(self, reading: Reading) -> list[str]:
        if not reading.key_figures:
            return []
        lines = [self.labels.lead("key_figures")]
        lines += [self._term_line(f.value, f"{f.measures.plain} ({f.source.plain})") for f in reading.key_figures]
        return lines

    def _discussion(self, reading: Reading) -> None:
        """The reading's questions on one slide, numbered as on the sheet; their answers in the notes."""
        labels = [int(q.label) if q.label.isdigit() else 1 for q in reading.questions]
        items = []
        notes = []
        for question in reading.questions:
            shown = question.slide_prompt or question.prompt
            items.append(Para(runs_of(shown), "number", labels[0], len(str(max(labels)))))
            notes += [f"{question.label}. {question.prompt.plain}", *self._teacher(question.teacher_notes)]
            if question.key_points:
                notes += [self.labels.lead("key_points"), *(f"• {p.plain}" for p in question.key_points)]
            notes += self._answer_lines(question)
        self._points("discussion", "Bullets", (Run(self.labels["discussion"]),), items, notes)

    # ------------------------------------------------------------------ terms, links, closing

    def _terms(self, kind: str, title: str, entries: Sequence[Entry]) -> None:
        """The terms on the slide, to point at and ask about; their definitions in the notes."""
        items = [self._para(entry.term) for entry in entries]
        notes = [self._term_line(entry.term.plain, entry.definition.plain) for entry in entries]
        self._points(kind, "Bullets", (Run(title),), items, notes)

    def _links(self, kind: str, title: str, links: Sequence[LinkItem]) -> None:
        """Two links per slide, each with its QR code under it."""
        layout = self.metrics["Two Columns"]
        columns = sorted(layout.bodies, key=lambda body: body.rect.left)
        pairs = [links[start : start + 2] for start in range(0, len(links), 2)]
        for number, pair in enumerate(pairs):
            described = [bool(link.description) for link in pair]
            # descriptions go to the notes, the longest first, until the slide is within its budget
            while sum(words_of(self._link_paras(*item)) for item in zip(pair, described, strict=True)) > WORD_BUDGET:
                if not any(described):
                    break
                longest = max(
                    (i for i, shown in enumerate(described) if shown),
                    key=lambda i: count_words(pair[i].description.plain),
                )
                described[longest] = False
            blocks, images = [], []
            for index, link in enumerate(pair):
                column = columns[index]
                rect = replace(column.rect, height=column.rect.height - QR_SIDE - GAP)
                paras = self._link_paras(link, described[index])
                if fitting_size(paras, column, rect=rect) is None:
                    paras = self._link_paras(link, description=False)
                blocks.append(self._block("Two Columns", layout.bodies.index(column), paras, rect=rect))
                qr_area = Rect(rect.left + column.insets[0], rect.bottom + GAP, QR_SIDE, QR_SIDE)
                images.append(Image(qr_area, f"{self.labels['qr_code']}: {link.url}", qr=link.url))
            notes = []
            for link in pair:
                notes.append(self._term_line(link.title.plain, link.url))
                if link.description:
                    notes.append(link.description.plain)
            self._add(kind, "Two Columns", self._continued((Run(title),), number), blocks, images=images, notes=notes)

    def _link_paras(self, link: LinkItem, description: bool = True) -> list[Para]:
        paras = [Para(runs_of(link.title, Run("", bold=True, link=link.url)), "none")]
        details = [detail for detail in (link.provider, link.duration) if detail]
        if details:
            paras.append(Para((Run(" · ".join(details)),), "none"))
        if description and link.description:
            paras.append(Para(runs_of(link.description), "none"))
        paras.append(Para((Run(breakable_address(link.short_url), link=link.url),), "none"))
        return paras

    def _closing(self) -> None:
        doc = self.document
        credits = self._credit_lines()
        if doc.closing is None:
            paras = [Para((Run(line),), "none") for line in credits]
            block = self._block("Closing", 0, paras)
            self._add("credits", "Closing", (Run(self.labels["credits"]),), [block], notes=credits)
            return
        closing = doc.closing
        notes = self._teacher(closing.teacher_notes)
        notes += [f"• {point.plain}" for point in closing.remember]
        paras = [self._para(point) for point in closing.remember]
        if closing.exit_question:
            lead = Run(f"{self.labels.lead('exit_question')} ", bold=True)
            paras.append(Para((lead, *runs_of(closing.exit_question)), "none"))
            notes.append(f"{self.labels.lead('exit_question')} {closing.exit_question.plain}")
        self._points("closing", "Closing", (Run(self.labels["remember"]),), paras, [*notes, *credits])

    # ------------------------------------------------------------------ kinds of slides

    def _points(
        self,
        kind: str,
        layout: str,
        title: tuple[Run, ...],
        items: list[Para],
        notes: list[str],
        prose: bool = False,
    ) -> None:
        """Slide points: on one slide when they fit at the minimum size and within the word budget, else
        continued on the next slide. Prose (``prose=True``) never continues: what does not fit stays in the notes."""
        body = self._body(layout)
        pages = self._pages(items, body)
        if len(pages) > 1 and not prose:
            self._warn(
                title, f"the points need {len(pages)} slides (at most {WORD_BUDGET} words a slide); shorten them"
            )
        if prose and len(pages) > 1:
            self._warn(title, "the text is too long for its slide: the slide shows the beginning, the notes all of it")
            pages = pages[:1]
        for number, page in enumerate(pages):
            page_notes = self._page_notes(notes, title, number, page)
            self._add(kind, layout, self._continued(title, number), [self._block(layout, 0, page)], notes=page_notes)

    def _pages(self, items: list[Para], body: Placeholder) -> list[list[Para]]:
        pages: list[list[Para]] = [[]]
        for item in items:
            if pages[-1] and words_of([*pages[-1], item]) > WORD_BUDGET:
                pages.append([])
            pages[-1].append(item)
        fitted: list[list[Para]] = []
        for page in pages:
            if fitting_size(page, body) is not None:
                fitted.append(page)
                continue
            frame = body.frame()
            split = textfit.split_to_fit([measured(p, MIN_BODY_PT, body.bold) for p in page], frame)
            position = 0
            for part in split:
                fitted.append(page[position : position + len(part)])
                position += len(part)
        return [page for page in fitted if page] or [[]]

    def _figure(self, kind: str, figure: Figure, title: tuple[Run, ...], points: list[Para], notes: list[str]) -> None:
        """A picture or a chart, with the slide points (or, if it is short, the caption) beside it."""
        notes = [*notes, figure.caption.plain]
        if figure.chart:
            self._chart(kind, figure, title, points, notes)
            return
        notes.append(figure.alt)
        credit = []
        if figure.credit:
            notes.append(figure.credit.plain)
            credit = [Para(runs_of(figure.credit, Run("", italic=True)), "none")]
        caption = [self._para(figure.caption, "none")]
        text = [*points, *credit] if points else [*caption, *credit]
        if not points and not self._prose_fits(text, "Picture"):
            text = credit
        layout = self.metrics["Picture"]
        image = Image(layout.area, figure.alt, path=figure.image)
        pages = self._pages(text, self._body("Picture")) if points else [text]
        for number, page in enumerate(pages):
            page_notes = self._page_notes(notes, title, number, page)
            blocks = [self._block("Picture", 0, page)] if page else []
            self._add(kind, "Picture", self._continued(title, number), blocks, images=[image], notes=page_notes)

    def _chart(self, kind: str, figure: Figure, title: tuple[Run, ...], points: list[Para], notes: list[str]) -> None:
        chart = figure.chart
        source = Para((Run(f"{self.labels.lead('source')} ", bold=True), *runs_of(chart.source)), "none")
        caption = [self._para(figure.caption, "none")]
        candidates = [[*points, source]] if points else [[*caption, source], [source]]
        for text in candidates:
            if words_of(text) <= WORD_BUDGET and fitting_size(text, self._body("Chart")) is not None:
                break
        else:
            self._warn(title, "the slide points beside the chart are too long; shorten them")
        values = [self._term_line(c, v) for c, v in zip(chart.categories, chart.value_labels, strict=True)]
        notes = [*notes, f"{chart.series}: " + "; ".join(values)]
        area = self.metrics["Chart"].area
        self._add(kind, "Chart", title, [self._block("Chart", 0, text)], chart=ChartBlock(area, chart), notes=notes)

    # ------------------------------------------------------------------ helpers

    def _add(
        self,
        kind: str,
        layout: str,
        title: tuple[Run, ...],
        texts: Sequence[TextBlock],
        images: Sequence[Image] = (),
        chart: ChartBlock | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        slide = Slide(
            kind, layout, title, self._title_size(layout, title), tuple(texts), tuple(images), chart, tuple(notes)
        )
        for block in slide.texts:
            for para in block.paras:
                if count_words(plain(para)) > PARAGRAPH_WORDS:
                    self._warn(title, f"a paragraph of more than {PARAGRAPH_WORDS} words: shorten it")
        self.result.slides.append(slide)

    def _block(self, layout: str, index: int, paras: Sequence[Para], rect: Rect | None = None) -> TextBlock:
        """Paragraphs in a placeholder, at the largest size that fits (reported when none does)."""
        body = self.metrics[layout].bodies[index]
        size = fitting_size(paras, body, rect=rect)
        if size is None:
            self.result.warnings.append(f"a {layout.lower()} slide: the text is taller than its box; shorten it")
            size = MIN_BODY_PT
        return TextBlock(index, tuple(paras), size, body.bold, rect)

    def _body(self, layout: str) -> Placeholder:
        return self.metrics[layout].bodies[0]

    def _prose_fits(self, paras: list[Para], layout: str) -> bool:
        short = all(count_words(plain(p)) <= PARAGRAPH_WORDS for p in paras)
        return short and words_of(paras) <= WORD_BUDGET and fitting_size(paras, self._body(layout)) is not None

    def _within_budget(self, paras: list[Para], what: str) -> list[Para]:
        if words_of(paras) > WORD_BUDGET:
            self.result.warnings.append(f"the {what} slide has more than {WORD_BUDGET} words: some are left out")
        while words_of(paras) > WORD_BUDGET and len(paras) > 1:
            paras = paras[:-1]
        return paras

    def _title_size(self, layout: str, title: tuple[Run, ...]) -> float:
        placeholder = self.metrics[layout].title
        if placeholder is None:
            return MIN_TITLE_PT
        para = [Para(title, "none")]
        size = fitting_size(para, placeholder, MIN_TITLE_PT)
        if size is None:
            self._warn(title, "the title is too long for its slide; shorten it")
            return MIN_TITLE_PT
        return size

    def _qr_area(self, area: Rect) -> Rect:
        side = min(area.width, area.height, QR_MAX)
        return Rect(area.left + (area.width - side) / 2, area.top + (area.height - side) / 2, side, side)

    def _para(self, text: Inlines, marker: str = "bullet") -> Para:
        return Para(runs_of(text), marker)

    def _teacher(self, notes: TeacherNotes | None) -> list[str]:
        if notes is None:
            return []
        lines = [f"{self.labels.lead('duration')} {notes.duration}"] if notes.duration else []
        return lines + [paragraph.plain for paragraph in notes.text]

    def _credit_lines(self, short: bool = False) -> list[str]:
        credits = self.document.credits
        lines = []
        if credits.authors:
            lines.append(credits.authors if short else self._term_line(self.labels["authors"], credits.authors))
        if credits.source and not short:
            lines.append(self._term_line(self.labels["source"], credits.source.plain))
        lines.append(self._term_line(self.labels["licence"], credits.licence))
        return lines

    def _term_line(self, term: str, what: str) -> str:
        return f"{term}{self.labels.separator}{what}"

    def _continued(self, title: tuple[Run, ...], number: int) -> tuple[Run, ...]:
        return (*title, Run(f" {self.labels['continued']}")) if number else title

    def _page_notes(self, notes: list[str], title: tuple[Run, ...], number: int, page: list[Para]) -> list[str]:
        """The notes of a slide's first page; a continuation's are its own points, never a repeat."""
        if number == 0:
            return notes
        return ["".join(run.text for run in self._continued(title, number)), *(plain(p) for p in page)]

    def _warn(self, title: tuple[Run, ...], message: str) -> None:
        self.result.warnings.append(f"slide “{''.join(run.text for run in title)}”: {message}")
