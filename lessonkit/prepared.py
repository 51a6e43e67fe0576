"""The prepared document: what every renderer reads, and all it reads.

``prepare`` builds it once per lesson edition from the loaded model: each text
parsed into inline nodes and typeset in its language, footnotes numbered,
questions labelled, labels taken from the catalog, numbers and dates formatted
for the locale, images resolved inside their folder, links given the short
form printed beside their QR code. Renderers turn it into bytes; they never
parse, typeset, number or look anything up. Nothing here knows of PDF or PPTX.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .nodes import Inline

ANSWERS_MODES = ("slides", "notes")
PAPER_SIZES = ("a4", "letter")


@dataclass(frozen=True)
class Options:
    """How an edition is built: the paper of the PDFs, where the deck shows the answers."""

    paper: str = "a4"
    answers: str = "slides"  # "slides": revealed on the deck; "notes": in the speaker notes only


@dataclass(frozen=True)
class Inlines:
    """One text of the source, parsed and typeset: its nodes, and its words without markup."""

    nodes: tuple[Inline, ...] = ()
    plain: str = ""

    def __bool__(self) -> bool:
        return bool(self.nodes)


@dataclass(frozen=True)
class Paragraph:
    text: Inlines


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inlines, ...]


Block = Paragraph | BulletList


@dataclass(frozen=True)
class Labels:
    """The fixed words of the edition's language, typeset: ``labels["glossary"]``, ``labels.lead("source")``."""

    words: Mapping[str, str]
    leads: Mapping[str, str]  # "Source :" in French, "Source:" in English: a label introducing a value
    separator: str  # ": " typeset in the language ("\u00a0: " in French), between a term and what follows

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def lead(self, key: str) -> str:
        return self.leads[key]


# --------------------------------------------------------------------------- shared parts


@dataclass(frozen=True)
class Footnote:
    number: int  # the same in the worksheet, the key and the deck's notes
    text: Inlines


@dataclass(frozen=True)
class TeacherNotes:
    """For the teacher's eyes only (the deck's speaker notes): how long, what to do, ask, watch for."""

    duration: str | None  # "10 min", formatted; None when the source gives no timing
    text: tuple[Inlines, ...]


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar" or "line"
    categories: tuple[str, ...]
    values: tuple[float, ...]
    value_labels: tuple[str, ...]  # each value with its unit, formatted for the locale: "12 %", "6,2 %"
    shares: tuple[float, ...]  # each value as a share of the largest (0 to 1): the length of its bar
    unit: str
    series: str
    source: Inlines


@dataclass(frozen=True)
class Figure:
    id: str
    caption: Inlines
    alt: str
    credit: Inlines | None
    image: Path | None  # absolute, and known to lie inside the folder of the source that names it
    chart: Chart | None


@dataclass(frozen=True)
class Link:
    """A web address printed with its QR code."""

    title: Inlines
    url: str  # also what the QR code encodes
    short_url: str  # the address as printed beside the QR code
    description: Inlines | None = None
    provider: str | None = None
    duration: str | None = None  # "20 min"


@dataclass(frozen=True)
class Question:
    id: str
    anchor: str  # unique in the document: the question's id, prefixed in a reading
    label: str  # "1", "2", …: unique across the activity and the readings
    prompt: Inlines
    answer: tuple[Block, ...]
    lines: int  # as the source says, or enough to write the model answer by hand
    points: str | None  # "2 pt", formatted; None when the question has no points
    score: float | None = None  # the points as a number (a quiz's grade); None when the question has none
    key_points: tuple[Inlines, ...] = ()  # the answer in a few bullets, for the slide's reveal
    slide_prompt: Inlines | None = None  # the question in a few words, for a slide listing several
    teacher_notes: TeacherNotes | None = None


@dataclass(frozen=True)
class Entry:
    """A glossary term or a key concept."""

    term: Inlines
    definition: Inlines


# --------------------------------------------------------------------------- the lesson


@dataclass(frozen=True)
class Subsection:
    heading: Inlines
    body: tuple[Inlines, ...]


@dataclass(frozen=True)
class Box:
    kind: str
    title: Inlines
    icon: str | None
    body: tuple[Inlines, ...]
    figure: Figure | None
    slide_points: tuple[Inlines, ...]  # empty: the box has none
    teacher_notes: TeacherNotes | None = None


@dataclass(frozen=True)
class Section:
    id: str
    heading: Inlines
    icon: str | None
    body: tuple[Inlines, ...]
    subsections: tuple[Subsection, ...]
    figures: tuple[Figure, ...]
    boxes: tuple[Box, ...]
    footnotes: tuple[Footnote, ...]  # in the order of their numbers
    slide_points: tuple[Inlines, ...]
    teacher_notes: TeacherNotes | None = None


@dataclass(frozen=True)
class Activity:
    title: str
    duration: str  # "45 min"
    mode: str  # unplugged, plugged or mixed: names the icon
    mode_label: str  # the mode in words
    materials: tuple[Link, ...]
    instructions: tuple[Inlines, ...]  # for students
    teacher_instructions: tuple[Inlines, ...]  # for the teacher only: the key and the deck's notes
    questions: tuple[Question, ...]
    slide_points: tuple[Inlines, ...]
    teacher_notes: TeacherNotes | None = None


@dataclass(frozen=True)
class Closing:
    """The deck's last slide."""

    remember: tuple[Inlines, ...]
    exit_question: Inlines | None
    teacher_notes: TeacherNotes | None


@dataclass(frozen=True)
class Credits:
    authors: str  # "Ann, Bob"; "" when nobody is named
    source: Inlines | None
    licence: str


@dataclass(frozen=True)
class Metadata:
    """What a file says about itself (PDF info, PPTX core properties), each at most 255 characters."""

    title: str
    author: str
    subject: str  # "Secondaire II · Éducation numérique"
    keywords: str


# --------------------------------------------------------------------------- a reading


@dataclass(frozen=True)
class Author:
    name: str
    affiliation: str | None


@dataclass(frozen=True)
class Presented:
    event: Inlines
    place: str | None
    date: str | None  # "9 septembre 2016"


@dataclass(frozen=True)
class Quote:
    text: str  # between the quotation marks of the edition's language
    author: str
    source: Inlines | None


@dataclass(frozen=True)
class KeyFigure:
    value: str
    measures: Inlines
    source: Inlines


@dataclass(frozen=True)
class Reference:
    citation: Inlines
    url: str | None
    short_url: str | None


@dataclass(frozen=True)
class ReadingSection:
    id: str
    heading: Inlines
    key_points: tuple[Inlines, ...]
    quotes: tuple[Quote, ...]
    figures: tuple[Figure, ...]
    slide_points: tuple[Inlines, ...] = ()  # beside the section's figure on its slide


@dataclass(frozen=True)
class Reading:
    id: str
    title: Inlines
    subtitle: Inlines | None
    authors: tuple[Author, ...]
    year: str
    quote_language: str  # the language the quotations were written in
    first_presented: Presented | None
    thesis: Inlines
    sections: tuple[ReadingSection, ...]
    key_figures: tuple[KeyFigure, ...]
    concepts: tuple[Entry, ...]
    questions: tuple[Question, ...]
    references: tuple[Reference, ...]
    summary_credits: Credits
    slide_points: tuple[Inlines, ...] = ()  # the thesis in short bullets, for its slide


# --------------------------------------------------------------------------- the whole


@dataclass(frozen=True)
class PreparedDocument:
    """A lesson in one language with its readings, ready for every renderer."""

    id: str
    language: str  # the edition's language tag, e.g. fr, de-CH
    options: Options
    labels: Labels
    metadata: Metadata
    title: Inlines
    kicker: str  # "Secondaire II · Éducation numérique · 90 min"
    level: str
    subject: str
    duration: str  # "90 min"
    total_points: str | None  # "20 pt": the sum of the questions' points; None when no question has points
    credits: Credits
    sections: tuple[Section, ...]
    activity: Activity | None
    resources: tuple[Link, ...]
    glossary: tuple[Entry, ...]
    readings: tuple[Reading, ...]
    folders: tuple[Path, ...]  # the only folders a renderer may read from: the lesson's, its readings'
    closing: Closing | None = None
    proofing_tags: Mapping[str, str] = field(default_factory=dict)  # language → tag with a region (fr → fr-CH)

    @property
    def proofing_tag(self) -> str:
        return self.proofing_tags[self.language]

    def questions(self) -> tuple[Question, ...]:
        """Every question, in the order of their labels."""
        own = self.activity.questions if self.activity else ()
        return own + tuple(q for reading in self.readings for q in reading.questions)
