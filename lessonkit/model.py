"""The lesson model: what a lesson and a reading *are*.

One tree in the middle, like pandoc's document AST: the loader reads YAML into
it, transforms and renderers read out of it. Nothing here knows about YAML,
PDF or PPTX. The field descriptions double as the editor's hover text in the
JSON Schema (``make_docs.py schema``).

Text fields hold inline Markdown (see ``markup``); they are kept as the
teacher wrote them and parsed by whoever needs the structure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from . import markup, safety
from .sources import LANGUAGE_TAG, SLUG

MAX_ID_LENGTH = 64  # ids name folders and files: far below what file systems take (255 bytes)
# A text the translation scaffold copied from the original, not yet translated, starts with this.
UNTRANSLATED_MARKER = "TODO translate: "
MAX_SLIDE_POINTS = 6
MAX_QUESTIONS = 500  # more is not a lesson: a hostile or broken file
MAX_WORDS_PER_SLIDE_POINT = 12
# PowerPoint's document properties hold at most 255 characters: the title, and “level · subject”.
MAX_TITLE_LENGTH = 200
MAX_LABEL_LENGTH = 100
MAX_AUTHORS_LENGTH = 200  # every author's name, joined by “, ”
MAX_CHART_VALUE = 1e12  # a chart's scale must stay computable (1e400 would be infinite)
MAX_KEY_POINTS = 4

# Icons bundled in layouts/icons/ (SVG), so no output depends on emoji fonts.
Icon = Literal[
    "hand-pointing",
    "mouse",
    "globe",
    "clock",
    "pencil",
    "book",
    "link",
    "lightbulb",
    "question",
    "people",
    "chart",
    "quote",
    "robot",
    "warning",
]


def _whole_number(value: object) -> object:
    """Accept 45 or "45"; refuse 0755, 1e3 and 4.5 instead of reinterpreting them."""
    if isinstance(value, str) and not re.fullmatch(r"[+-]?(0|[1-9][0-9]*)", value.strip()):
        raise ValueError(f"“{value}” is not a whole number (write it with digits only, like 45)")
    return value


def _decimal_number(value: object) -> object:
    if isinstance(value, str):
        cleaned = value.strip()
        if not re.fullmatch(r"[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?", cleaned):
            raise ValueError(f"“{value}” is not a number (write digits with a dot, like 6.2)")
    return value


def _known_language(tag: str) -> str:
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"“{tag}” is not a language code this tool knows (try fr, de-CH, en-GB)") from None
    return tag


def _web_url(url: str) -> str:
    if problem := safety.link_problem(url, safety.WEB_SCHEMES):
        raise ValueError(problem)
    return url


def _one_line(text: str) -> str:
    if "\n" in text:
        raise ValueError("this text must stay on one line: remove the line break (or use “>” instead of “|”)")
    return text


def count_words(text: str) -> int:
    """Words as a reader counts them: pieces between spaces holding a letter or a digit (not “:” or “?”)."""
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


def _slide_point(text: str) -> str:
    words = count_words(markup.plain_text(markup.parse_inline(text.removeprefix(UNTRANSLATED_MARKER))))
    if words > MAX_WORDS_PER_SLIDE_POINT:
        raise ValueError(
            f"a slide point has at most {MAX_WORDS_PER_SLIDE_POINT} words, this one has {words}; "
            "shorten it (the full text belongs in the body)"
        )
    return text


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Names, labels and short captions are drawn as one line (slides measure them as one line of text).
Line = Annotated[Text, AfterValidator(_one_line)]
Markdown = Annotated[
    Text,
    Field(description=("A text. It may hold *italics*, **bold**, a [link](https://…) and a footnote mark [^id].")),
]
Slug = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=SLUG, max_length=MAX_ID_LENGTH),
    Field(description="An identifier in lower case: letters, digits and dashes, e.g. “micro-work”."),
]
Language = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=LANGUAGE_TAG),
    AfterValidator(_known_language),
    Field(description="Language code: fr, de, en, or with a region: fr-CH, de-CH, en-GB."),
]
# What _web_url checks, as far as a JSON Schema can say it (for the editor): http or https, a host, no space.
# Only in the schema: the loader's own check gives the plainer message.
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s]*$"
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_web_url),
    Field(
        description="A full web address starting with https:// (or http://), e.g. https://example.org/page.",
        json_schema_extra={"pattern": URL_PATTERN, "maxLength": safety.MAX_URL_LENGTH},
    ),
]
Minutes = Annotated[int, Field(ge=1, le=6000, description="Minutes."), BeforeValidator(_whole_number)]
# Bars start at zero: the charts draw no negative value.
ChartValue = Annotated[
    float,
    Field(ge=0, le=MAX_CHART_VALUE, allow_inf_nan=False, description="A number, zero or more."),
    BeforeValidator(_decimal_number),
]
AssetPath = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    Field(description="A file in the lesson's assets/ folder, e.g. assets/automaton.svg."),
]
SlidePoint = Annotated[Markdown, AfterValidator(_slide_point)]
# Texts that become document properties of the PDF and the deck: short enough for PowerPoint.
Title = Annotated[Markdown, StringConstraints(max_length=MAX_TITLE_LENGTH)]
Label = Annotated[Line, StringConstraints(max_length=MAX_LABEL_LENGTH)]
SlidePoints = Annotated[
    list[SlidePoint],
    Field(
        min_length=1,
        max_length=MAX_SLIDE_POINTS,
        description=(
            f"Short bullets for the projected slide: at most {MAX_SLIDE_POINTS} bullets "
            f"of at most {MAX_WORDS_PER_SLIDE_POINT} words each."
        ),
    ),
]
KeyPoints = Annotated[list[SlidePoint], Field(min_length=1, max_length=MAX_KEY_POINTS)]
Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]  # where in the source (field path), what is wrong
MAX_PARAGRAPHS = 100  # in one list: a part of a lesson, not a book (and every check stays quick)
Paragraphs = Annotated[
    list[Markdown],
    Field(
        min_length=1,
        max_length=MAX_PARAGRAPHS,
        description=f"Paragraphs, one list item each (at most {MAX_PARAGRAPHS}).",
    ),
]


class Node(BaseModel):
    """Base of every source object: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --------------------------------------------------------------------------- shared parts


class Footnote(Node):
    """A footnote, printed at the foot of the page that refers to it with [^id]."""

    id: Slug
    text: Markdown = Field(description="The footnote's text.")


class TeacherNotes(Node):
    """For the teacher only: shown in the slide's speaker notes, never on the slide or the sheet."""

    duration: Minutes | None = Field(
        None, description="How many minutes this part takes in class (the parts of a lesson add up to its duration)."
    )
    text: list[Markdown] = Field(
        default_factory=list, description="What to do, what to ask, what to watch for: one paragraph each."
    )


TEACHER_NOTES = "Timing and hints for the teacher, shown in the speaker notes of the slide (never on the slide)."


class Chart(Node):
    """A data chart drawn by lessonkit (and, in decks, a native editable chart)."""

    kind: Literal["bar", "line"] = Field("bar", description="bar or line.")
    categories: list[Line] = Field(min_length=2, description="The labels along the axis, e.g. dates.")
    values: list[ChartValue] = Field(min_length=2, description="One number per category.")
    unit: Line = Field(description="Unit of the values, e.g. % or millions.")
    series: Line = Field(description="What the values measure, e.g. “Organic reach of a post”.")
    source: Markdown = Field(description="Where the numbers come from.")

    @model_validator(mode="after")
    def _one_value_per_category(self) -> Chart:
        if len(self.values) != len(self.categories):
            raise ValueError(
                f"a chart needs one value per category: {len(self.categories)} categories but {len(self.values)} values"
            )
        return self


class Figure(Node):
    """An image from the lesson's assets/ folder, or a data chart."""

    # the schema says what _image_or_chart checks: exactly one of image and chart
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": ["image"], "properties": {"image": {"type": "string"}}},
                {"required": ["chart"], "properties": {"chart": {"type": "object"}}},
            ]
        }
    )

    id: Slug
    caption: Markdown = Field(description="The caption printed under the figure.")
    alt: Text = Field(description="What the figure shows, in words, for screen readers and when it cannot be seen.")
    credit: Markdown | None = Field(None, description="Who made the image or where it comes from.")
    image: AssetPath | None = Field(None, description="The image file, e.g. assets/automaton.svg.")
    chart: Chart | None = Field(None, description="A data chart, instead of an image.")

    @model_validator(mode="after")
    def _image_or_chart(self) -> Figure:
        if (self.image is None) == (self.chart is None):
            raise ValueError("a figure needs either an image or a chart (exactly one of the two)")
        return self


class Question(Node):
    """A question with its model answer and the space students get to write."""

    id: Slug = Field(description="Stable identifier: keep it when the wording changes.")
    prompt: Markdown = Field(description="The question as students read it.")
    answer: Text = Field(
        description="The model answer: paragraphs separated by a blank line, or bullets starting with “- ”."
    )
    lines: Annotated[int, Field(ge=1, le=40), BeforeValidator(_whole_number)] | None = Field(
        None,
        description=(
            "Number of ruled lines students get for their answer. Leave it out: lessonkit gives "
            "enough room to write the model answer by hand, plus a spare line."
        ),
    )
    points: Annotated[float, Field(gt=0, le=1000), BeforeValidator(_decimal_number)] | None = Field(
        None, description="Points the question is worth (optional): printed beside it, totalled in the answer key."
    )
    key_points: KeyPoints | None = Field(
        None,
        description=(
            f"The answer in at most {MAX_KEY_POINTS} bullets of at most {MAX_WORDS_PER_SLIDE_POINT} words: they "
            "appear on the question's slide on a click; the full model answer stays in the notes and the key."
        ),
    )
    slide_prompt: SlidePoint | None = Field(
        None,
        description=(
            f"The question in at most {MAX_WORDS_PER_SLIDE_POINT} words, for a slide that lists several questions "
            "(a reading's discussion questions) or when the whole question is too long for its slide."
        ),
    )
    teacher_notes: TeacherNotes | None = Field(None, description=TEACHER_NOTES)


class GlossaryEntry(Node):
    """A term with a definition written for the students."""

    term: Markdown = Field(description="The word or expression, as printed.")
    definition: Markdown = Field(description="What it means, in words students understand.")


# --------------------------------------------------------------------------- lesson


class Credits(Node):
    """Who made the lesson and under which licence it may be shared."""

    authors: list[Line] = Field(default_factory=list, description="Authors of the lesson.")
    source: Markdown | None = Field(None, description="The original material this lesson is based on.")
    licence: Line = Field(description="Licence, e.g. CC BY-SA 4.0.")

    @model_validator(mode="after")
    def _authors_fit_a_document_property(self) -> Credits:
        length = len(", ".join(self.authors))
        if length > MAX_AUTHORS_LENGTH:
            raise ValueError(
                f"the authors' names take {length} characters together; at most {MAX_AUTHORS_LENGTH} are allowed "
                "(they become the author of the PDF and of the deck): keep the main authors"
            )
        return self


class Subsection(Node):
    """A titled part of a section."""

    heading: Markdown = Field(description="The title of this part, printed above its text.")
    body: Paragraphs


class Box(Node):
    """A callout box printed beside the text: a case study, a story, a definition."""

    kind: Literal["case", "story", "definition", "tip", "warning"] = Field(description="What kind of box.")
    title: Markdown = Field(description="The title printed at the top of the box.")
    icon: Icon | None = Field(None, description="A bundled icon shown before the title.")
    body: Paragraphs
    figure: Figure | None = Field(None, description="An illustration inside the box.")
    slide_points: SlidePoints | None = Field(
        None,
        description=(
            "Short bullets for the box's slide. A box gets a slide when it has slide points or a figure; "
            "its text goes to the speaker notes."
        ),
    )
    teacher_notes: TeacherNotes | None = Field(None, description=TEACHER_NOTES)


class Section(Node):
    """A part of the lesson: heading, text, boxes, footnotes, and what goes on its slide."""

    id: Slug
    heading: Markdown = Field(description="The section's title, printed above its text and on its slide.")
    icon: Icon | None = Field(None, description="A bundled icon shown before the heading.")
    body: Paragraphs
    subsections: list[Subsection] = Field(default_factory=list, description="Titled parts after the body.")
    figures: list[Figure] = Field(default_factory=list, description="Images or charts of the section.")
    boxes: list[Box] = Field(default_factory=list, description="Callout boxes printed after the text.")
    footnotes: list[Footnote] = Field(default_factory=list, description="Footnotes referred to as [^id].")
    slide_points: SlidePoints
    teacher_notes: TeacherNotes | None = Field(None, description=TEACHER_NOTES)


class Material(Node):
    """Something the class uses: a video, a website, a document."""

    title: Markdown = Field(description="The name of the video, website or document, as students see it.")
    url: Url
    provider: Line | None = Field(None, description="Who publishes it, e.g. France TV.")
    duration: Minutes | None = Field(None, description="How long it lasts, in minutes (videos, podcasts).")
    description: Markdown | None = Field(None, description="One sentence on what it is.")


class Activity(Node):
    """The classroom activity and its questions."""

    title: Line = Field(description="The activity's title, e.g. En classe.")
    duration: Minutes = Field(description="Duration of the activity, in minutes.")
    mode: Literal["unplugged", "plugged", "mixed"] = Field(
        description="unplugged: no computers needed; plugged: students use devices; mixed."
    )
    materials: list[Material] = Field(default_factory=list, description="Videos, sites and documents used.")
    instructions: Paragraphs = Field(
        description="What students do, step by step, in words addressed to them: printed on the student sheet."
    )
    teacher_instructions: Paragraphs | None = Field(
        None,
        description=(
            "What the teacher does, step by step: printed in the answer key and the slide notes, "
            "never on the student sheet."
        ),
    )
    questions: list[Question] = Field(
        min_length=1, max_length=MAX_QUESTIONS, description="Questions, in order: printed a), b), c)…"
    )
    slide_points: SlidePoints | None = Field(
        None, description="Short bullets for the activity's slide: the task, in a few words."
    )
    teacher_notes: TeacherNotes | None = Field(None, description=TEACHER_NOTES)


class Resource(Node):
    """A resource to go further: a book, a website, a programme."""

    title: Markdown = Field(description="The name of the book, website or programme.")
    url: Url
    description: Markdown | None = Field(None, description="One sentence on what students find there.")


class Closing(Node):
    """The deck's last slide: what to remember, and a question students answer before they leave."""

    remember: SlidePoints = Field(description="What to remember: short bullets for the last slide.")
    exit_question: Markdown | None = Field(
        None, description="A question students answer before leaving the room (an exit ticket)."
    )
    teacher_notes: TeacherNotes | None = Field(None, description=TEACHER_NOTES)


class Lesson(Node):
    """A lesson sheet: the source of the worksheet, the answer key and the deck."""

    id: Slug = Field(description="The lesson's identifier: the name of its folder in sources/lessons/.")
    language: Language
    translated_from: Language | None = Field(
        None, description="For a translation: the language of the original, a file in the same folder (e.g. fr)."
    )
    title: Title = Field(description="The lesson's title, printed on the worksheet, the key and the first slide.")
    level: Label = Field(description="School level, e.g. Secondaire II.")
    subject: Label = Field(description="School subject or theme.")
    duration: Minutes = Field(description="Total duration of the lesson, in minutes.")
    credits: Credits
    sections: list[Section] = Field(min_length=1, description="The parts of the lesson, in order.")
    activity: Activity | None = Field(None, description="The classroom activity with its questions.")
    resources: list[Resource] = Field(default_factory=list, description="Books, sites and programmes to go further.")
    glossary: list[GlossaryEntry] = Field(default_factory=list, description="Terms defined for the students.")
    closing: Closing | None = Field(None, description="The deck's last slide: what to remember and an exit question.")
    readings: list[Slug] = Field(
        default_factory=list, description="Readings to include, by id (folders in sources/readings/)."
    )

    def problems(self) -> list[Problem]:
        """Mistakes that span several fields: repeated ids, dangling footnotes."""
        found = _repeated("section id", [(("sections", i, "id"), s.id) for i, s in enumerate(self.sections)])
        found += _repeated("question id", [(loc, q.id) for loc, q in self._located_questions()])
        found += _repeated("figure id", [((*loc, "id"), f.id) for loc, f in self.located_figures()])
        found += _repeated("glossary term", [(("glossary", i, "term"), g.term) for i, g in enumerate(self.glossary)])
        found += _repeated("reading", [(("readings", i), r) for i, r in enumerate(self.readings)])
        return found + _footnote_problems(self.sections) + _misplaced_footnotes(self)

    def questions(self) -> list[Question]:
        return [q for _, q in self._located_questions()]

    def located_questions(self) -> list[tuple[Loc, Question]]:
        return [(loc[:-1], question) for loc, question in self._located_questions()]

    def figures(self) -> list[Figure]:
        return [f for _, f in self.located_figures()]

    def _located_questions(self) -> list[tuple[Loc, Question]]:
        if not self.activity:
            return []
        return [(("activity", "questions", i, "id"), q) for i, q in enumerate(self.activity.questions)]

    def located_figures(self) -> list[tuple[Loc, Figure]]:
        found: list[tuple[Loc, Figure]] = []
        for i, section in enumerate(self.sections):
            found += [(("sections", i, "figures", j), f) for j, f in enumerate(section.figures)]
            found += [
                (("sections", i, "boxes", j, "figure"), box.figure) for j, box in enumerate(section.boxes) if box.figure
            ]
        return found


# --------------------------------------------------------------------------- reading


class Author(Node):
    name: Line = Field(description="Full name, e.g. Antonio A. Casilli.")
    affiliation: Line | None = Field(None, description="Institution at the time of writing.")


class Presentation(Node):
    """Where and when the text was first presented or published."""

    event: Markdown = Field(description="The conference, seminar or publication where the text first appeared.")
    place: Line | None = Field(None, description="Town or institution.")
    date: dt.date | None = Field(None, description="Date as YYYY-MM-DD.")


class Quote(Node):
    """A short quotation, with who said it and where."""

    text: Text = Field(description="The exact words quoted, without quotation marks.")
    author: Line = Field(description="Who wrote or said them.")
    source: Markdown | None = Field(None, description="Book, article or page the quote comes from.")


class KeyFigure(Node):
    """A number worth remembering, what it measures and where it comes from."""

    value: Line = Field(description="The number as printed, e.g. 47 % or 15 millions.")
    measures: Markdown = Field(description="What the number measures.")
    source: Markdown = Field(description="Where the number comes from: a study, a report, a website.")


class ReadingSection(Node):
    id: Slug
    heading: Markdown = Field(description="The title of this part of the text.")
    key_points: Paragraphs = Field(description="The section's ideas, one short paragraph each.")
    quotes: list[Quote] = Field(default_factory=list, description="Short quotations from this part of the text.")
    figures: list[Figure] = Field(default_factory=list, description="Images or charts for this part.")
    slide_points: SlidePoints | None = Field(
        None, description="Short bullets shown on the slide beside the section's figure (its key numbers, say)."
    )


class Reference(Node):
    citation: Markdown = Field(description="Author (year). Title. Publisher.")
    url: Url | None = Field(None, description="Where to find it online, if anywhere.")


class Reading(Node):
    """The summary of a text students read alongside a lesson."""

    id: Slug = Field(description="The reading's identifier: the name of its folder in sources/readings/.")
    language: Language
    translated_from: Language | None = Field(
        None, description="For a translation: the language of the original, a file in the same folder (e.g. fr)."
    )
    title: Title = Field(description="Title of the original text.")
    subtitle: Markdown | None = Field(None, description="Subtitle of the original text.")
    authors: list[Author] = Field(min_length=1, description="Authors of the original text.")
    year: Annotated[
        int, Field(ge=1000, le=2999, description="Year of the original text."), BeforeValidator(_whole_number)
    ]
    original_language: Language | None = Field(None, description="Language of the original text.")
    first_presented: Presentation | None = Field(None, description="Where the text was first presented.")
    summary_credits: Credits = Field(description="Who wrote this summary and its licence.")
    thesis: Markdown = Field(description="The text's thesis in two or three sentences.")
    slide_points: SlidePoints | None = Field(
        None, description="The thesis in short bullets, for its slide (without them the slide shows the thesis)."
    )
    sections: list[ReadingSection] = Field(min_length=1, description="The text's parts, in order.")
    key_figures: list[KeyFigure] = Field(default_factory=list, description="Numbers worth remembering.")
    concepts: list[GlossaryEntry] = Field(default_factory=list, description="Key concepts and what they mean.")
    questions: list[Question] = Field(
        min_length=1, max_length=MAX_QUESTIONS, description="Discussion questions with model answers."
    )
    references: list[Reference] = Field(default_factory=list, description="Works the summary relies on.")

    def problems(self) -> list[Problem]:
        """Mistakes that span several fields: repeated ids."""
        found = _repeated("section id", [(("sections", i, "id"), s.id) for i, s in enumerate(self.sections)])
        found += _repeated("question id", [(("questions", i, "id"), q.id) for i, q in enumerate(self.questions)])
        found += _repeated("concept", [(("concepts", i, "term"), c.term) for i, c in enumerate(self.concepts)])
        found += _repeated("figure id", [((*loc, "id"), f.id) for loc, f in self.located_figures()])
        return found + _misplaced_footnotes(self)

    def located_questions(self) -> list[tuple[Loc, Question]]:
        return [(("questions", i), question) for i, question in enumerate(self.questions)]

    def located_figures(self) -> list[tuple[Loc, Figure]]:
        return [
            (("sections", i, "figures", j), figure)
            for i, section in enumerate(self.sections)
            for j, figure in enumerate(section.figures)
        ]


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class Document:
    """A lesson in one language with the readings it includes: what renderers turn into outputs."""

    lesson: Lesson
    readings: tuple[Reading, ...]
    folder: Path  # the lesson's folder; the lesson's images are relative to it
    reading_folders: tuple[Path, ...] = ()  # one per reading; each reading's images are relative to its own
    warnings: tuple = ()  # errors.Problem: not wrong, but worth the teacher's look (too few lines for an answer)

    def folder_of(self, source: Lesson | Reading) -> Path:
        """The folder a source's image paths are relative to (``confine.asset_path`` finds them there)."""
        for reading, folder in zip(self.readings, self.reading_folders, strict=False):
            if reading is source:
                return folder
        return self.folder


# --------------------------------------------------------------------------- checks


def _repeated(what: str, located: list[tuple[Loc, str]]) -> list[Problem]:
    """One problem for every repetition of a value that must be unique."""
    counts = Counter(value for _, value in located)
    seen: set[str] = set()
    found: list[Problem] = []
    for loc, value in located:
        if counts[value] > 1 and value in seen:
            found.append((loc, f"each {what} must be unique, but “{value}” is used more than once"))
        seen.add(value)
    return found


def _footnote_problems(sections: list[Section]) -> list[Problem]:
    """Each section's footnotes are referred to from that section's running text, and only there."""
    owner = {note.id: section.id for section in sections for note in section.footnotes}
    every_note = [
        (("sections", i, "footnotes", j, "id"), note.id)
        for i, section in enumerate(sections)
        for j, note in enumerate(section.footnotes)
    ]
    found = _repeated("footnote id", every_note)  # unique across sections: renderers look notes up by id
    for i, section in enumerate(sections):
        own = {note.id for note in section.footnotes}
        used = set()
        for loc, text in _section_body_texts(i, section):
            for ref in markup.footnote_refs(text):
                used.add(ref)
                if ref not in own:
                    found.append((loc, _missing_footnote(ref, owner.get(ref))))
        found += [
            (
                ("sections", i, "footnotes", j, "id"),
                f"footnote “{note.id}” is never referred to: add [^{note.id}] where it belongs",
            )
            for j, note in enumerate(section.footnotes)
            if note.id not in used
        ]
    return found


def _missing_footnote(ref: str, owner: str | None) -> str:
    if owner:
        return f"footnote “{ref}” belongs to section “{owner}”; a text can only refer to its own section's footnotes"
    return f"the text refers to footnote [^{ref}] but no footnote has the id “{ref}”"


def _section_body_texts(i: int, section: Section):
    """The running text of a section, where its footnotes are printed: body, subsections, boxes."""
    yield from ((("sections", i, "body", j), p) for j, p in enumerate(section.body))
    for j, sub in enumerate(section.subsections):
        yield from ((("sections", i, "subsections", j, "body", k), p) for k, p in enumerate(sub.body))
    for j, box in enumerate(section.boxes):
        yield from ((("sections", i, "boxes", j, "body", k), p) for k, p in enumerate(box.body))


FOOTNOTE_PLACES = "the body of a section, of its subsections or of its boxes"
# Where a section's footnotes are printed: the only texts that may refer to one.
RUNNING_TEXT = (
    ("sections", int, "body", int),
    ("sections", int, "subsections", int, "body", int),
    ("sections", int, "boxes", int, "body", int),
)


def _misplaced_footnotes(document: Node) -> list[Problem]:
    """Footnote references [^id] where no footnote is printed: headings, titles, captions, the activity,
    the glossary, slide points, readings, and footnotes themselves."""
    found: list[Problem] = []
    for loc, text in safety.strings(document.model_dump(exclude_none=True)):
        refs = markup.footnote_refs(text) if "[^" in text else []
        if not refs or _is_running_text(loc):
            continue
        if "footnotes" in loc:
            found.append((loc, f"a footnote cannot refer to a footnote ([^{refs[0]}]); write its text out"))
        else:
            found.append((loc, f"a footnote reference ([^{refs[0]}]) can only be used in {FOOTNOTE_PLACES}"))
    return found


def _is_running_text(loc: Loc) -> bool:
    def matches(shape: tuple) -> bool:
        return len(loc) == len(shape) and all(
            isinstance(part, int) if want is int else part == want for part, want in zip(loc, shape, strict=True)
        )

    return any(matches(shape) for shape in RUNNING_TEXT)
