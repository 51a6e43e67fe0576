"""Prepare: the one step between the model and every renderer.

Like pandoc's readers and writers around one document tree, lessonkit reads
sources into the model (``loader``), prepares the model once here, and lets
each renderer write its format from the result (``prepared``):

    sources → loader → model → prepare → renderers → outputs

Here, and only here, each text is parsed into inline nodes and typeset in its
own language, footnote references become numbered notes, questions get one
label across the activity and the readings, labels come from the catalog,
numbers and dates are formatted for the locale, images are found inside their
source's folder, and links get the short form printed under their QR code.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from . import handwriting, i18n, markup, model
from . import prepared as p
from .confine import inside
from .errors import RenderError
from .nodes import Code, Emphasis, FootnoteRef, Foreign, LineBreak, Link, Note, Strong, Text, plain_text
from .typography import quoted, typeset, typeset_runs

METADATA_LIMIT = 255  # characters: the longest a PPTX core property may be


def prepare(document: model.Document, options: p.Options | None = None) -> p.PreparedDocument:
    """The document, ready for every renderer (see the module's docstring)."""
    options = options or p.Options()
    if options.paper not in p.PAPER_SIZES:
        raise RenderError(f"unknown paper size “{options.paper}” (use {' or '.join(p.PAPER_SIZES)})")
    if options.answers not in p.ANSWERS_MODES:
        raise RenderError(f"unknown answers mode “{options.answers}” (use {' or '.join(p.ANSWERS_MODES)})")
    return _Preparer(document, options).document()


def short_url(url: str, limit: int = 48) -> str:
    """The address as people read it: no scheme, no “www.”, shortened with “…” when long."""
    parts = urlsplit(url)
    shown = parts.netloc.removeprefix("www.") + parts.path.rstrip("/")
    if parts.query:
        shown += "?" + parts.query
    return shown if len(shown) <= limit else shown[: limit - 1].rstrip("/?&=-") + "…"


class _Preparer:
    """Walks one document in reading order, so footnotes and questions are numbered as printed."""

    def __init__(self, document: model.Document, options: p.Options):
        self.source = document
        self.lesson = document.lesson
        self.language = self.lesson.language
        self.options = options
        self.catalog = i18n.labels_for(self.language)
        self.footnote_texts = {note.id: note.text for s in self.lesson.sections for note in s.footnotes}
        self.footnote_numbers: dict[str, int] = {}
        self.question_count = 0
        self.languages: set[str] = {self.language}

    def document(self) -> p.PreparedDocument:
        lesson = self.lesson
        duration = self._minutes(lesson.duration)
        level, subject = self._text(lesson.level), self._text(lesson.subject)
        # in the order they are printed, so that footnotes are numbered as a reader meets them
        title = self._inlines(lesson.title)
        sections = tuple(self._section(section) for section in lesson.sections)
        activity = self._activity(lesson.activity) if lesson.activity else None
        resources = tuple(self._link(r.title, r.url, r.description) for r in lesson.resources)
        glossary = tuple(self._entry(entry.term, entry.definition) for entry in lesson.glossary)
        closing = self._closing(lesson.closing) if lesson.closing else None
        credits = self._credits(lesson.credits)
        folders = self._reading_folders()
        readings = tuple(self._reading(r, folder) for r, folder in zip(self.source.readings, folders, strict=True))
        return p.PreparedDocument(
            id=lesson.id,
            language=self.language,
            options=self.options,
            labels=self._labels(),
            metadata=self._metadata(title, level, subject, glossary),
            title=title,
            kicker=f"{level} · {subject} · {duration}",
            level=level,
            subject=subject,
            duration=duration,
            total_points=self._total_points(),
            credits=credits,
            sections=sections,
            activity=activity,
            resources=resources,
            glossary=glossary,
            readings=readings,
            folders=(self.source.folder, *folders),
            closing=closing,
            proofing_tags={language: i18n.proofing_tag(language) for language in sorted(self.languages)},
        )

    # ------------------------------------------------------------------ the lesson

    def _section(self, section: model.Section) -> p.Section:
        heading = self._inlines(section.heading)
        body = self._paragraphs(section.body)
        subsections = tuple(
            p.Subsection(self._inlines(sub.heading), self._paragraphs(sub.body)) for sub in section.subsections
        )
        figures = tuple(self._figure(figure, self.source.folder) for figure in section.figures)
        boxes = tuple(self._box(box) for box in section.boxes)
        return p.Section(
            id=section.id,
            heading=heading,
            icon=section.icon,
            body=body,
            subsections=subsections,
            figures=figures,
            boxes=boxes,
            footnotes=self._footnotes(section.footnotes),
            slide_points=self._slide_points(section.slide_points),
            teacher_notes=self._teacher_notes(section.teacher_notes),
        )

    def _box(self, box: model.Box) -> p.Box:
        title = self._inlines(box.title)
        figure = self._figure(box.figure, self.source.folder) if box.figure else None
        return p.Box(
            kind=box.kind,
            title=title,
            icon=box.icon,
            body=self._paragraphs(box.body),
            figure=figure,
            slide_points=self._slide_points(box.slide_points),
            teacher_notes=self._teacher_notes(box.teacher_notes),
        )

    def _footnotes(self, footnotes: list[model.Footnote]) -> tuple[p.Footnote, ...]:
        numbered = [
            p.Footnote(self.footnote_numbers[note.id], self._inlines(note.text, notes=False))
            for note in footnotes
            if note.id in self.footnote_numbers
        ]
        return tuple(sorted(numbered, key=lambda note: note.number))

    def _activity(self, activity: model.Activity) -> p.Activity:
        return p.Activity(
            title=self._text(activity.title),
            duration=self._minutes(activity.duration),
            mode=activity.mode,
            mode_label=self._label("mode_" + activity.mode),
            materials=tuple(self._material(material) for material in activity.materials),
            instructions=self._paragraphs(activity.instructions),
            teacher_instructions=self._paragraphs(activity.teacher_instructions or []),
            questions=self._questions(activity.questions, scope=""),
            slide_points=self._slide_points(activity.slide_points),
            teacher_notes=self._teacher_notes(activity.teacher_notes),
        )

    def _material(self, material: model.Material) -> p.Link:
        link = self._link(material.title, material.url, material.description)
        provider = self._text(material.provider) if material.provider else None
        duration = self._minutes(material.duration) if material.duration else None
        return p.Link(link.title, link.url, link.short_url, link.description, provider, duration)

    def _link(self, title: str, url: str, description: str | None) -> p.Link:
        return p.Link(
            title=self._inlines(title),
            url=url,
            short_url=short_url(url),
            description=self._inlines(description) if description else None,
        )

    def _questions(self, questions: list[model.Question], scope: str) -> tuple[p.Question, ...]:
        return tuple(self._question(question, scope) for question in questions)

    def _question(self, question: model.Question, scope: str) -> p.Question:
        self.question_count += 1
        return p.Question(
            id=question.id,
            anchor=f"{scope}{question.id}",
            label=str(self.question_count),
            prompt=self._inlines(question.prompt),
            answer=self._blocks(question.answer),
            lines=question.lines or handwriting.lines_needed(question.answer),
            points=self._label("points", n=self._number(question.points)) if question.points else None,
            score=question.points,
            key_points=self._slide_points(question.key_points),
            slide_prompt=self._inlines(question.slide_prompt, notes=False) if question.slide_prompt else None,
            teacher_notes=self._teacher_notes(question.teacher_notes),
        )

    def _teacher_notes(self, notes: model.TeacherNotes | None) -> p.TeacherNotes | None:
        if notes is None:
            return None
        duration = self._minutes(notes.duration) if notes.duration else None
        # never printed on the sheet: a footnote reference here must not take a number
        return p.TeacherNotes(duration, tuple(self._inlines(text, notes=False) for text in notes.text))

    def _closing(self, closing: model.Closing) -> p.Closing:
        return p.Closing(
            remember=self._slide_points(closing.remember),
            exit_question=self._inlines(closing.exit_question, notes=False) if closing.exit_question else None,
            teacher_notes=self._teacher_notes(closing.teacher_notes),
        )

    def _credits(self, credits: model.Credits) -> p.Credits:
        return p.Credits(
            authors=", ".join(self._text(author) for author in credits.authors),
            source=self._inlines(credits.source) if credits.source else None,
            licence=self._text(credits.licence),
        )

    def _figure(self, figure: model.Figure, folder: Path) -> p.Figure:
        return p.Figure(
            id=figure.id,
            caption=self._inlines(figure.caption),
            alt=self._text(figure.alt),
            credit=self._inlines(figure.credit) if figure.credit else None,
            image=_asset(folder, figure.image) if figure.image else None,
            chart=self._chart(figure.chart) if figure.chart else None,
        )

    def _chart(self, chart: model.Chart) -> p.Chart:
        unit = self._text(chart.unit)
        top = max(chart.values)
        return p.Chart(
            kind=chart.kind,
            categories=tuple(self._text(category) for category in chart.categories),
            values=tuple(chart.values),
            value_labels=tuple(self._text(self._value(value, chart.unit)) for value in chart.values),
            shares=tuple(max(value, 0) / top if top > 0 else 0.0 for value in chart.values),
            unit=unit,
            series=self._text(chart.series),
            source=self._inlines(chart.source),
        )

    def _entry(self, term: str, definition: str) -> p.Entry:
        return p.Entry(self._inlines(term), self._inlines(definition))

    # ------------------------------------------------------------------ a reading

    def _reading_folders(self) -> tuple[Path, ...]:
        folders = self.source.reading_folders
        if len(folders) != len(self.source.readings):
            raise RenderError("the document does not say where its readings' folders are")
        return folders

    def _reading(self, reading: model.Reading, folder: Path) -> p.Reading:
        return p.Reading(
            id=reading.id,
            title=self._inlines(reading.title),
            subtitle=self._inlines(reading.subtitle) if reading.subtitle else None,
            authors=tuple(
                p.Author(self._text(a.name), self._text(a.affiliation) if a.affiliation else None)
                for a in reading.authors
            ),
            year=str(reading.year),
            quote_language=reading.original_language or reading.language,
            first_presented=self._presented(reading.first_presented) if reading.first_presented else None,
            thesis=self._inlines(reading.thesis),
            sections=tuple(self._reading_section(section, folder) for section in reading.sections),
            key_figures=tuple(
                p.KeyFigure(self._text(f.value), self._inlines(f.measures), self._inlines(f.source))
                for f in reading.key_figures
            ),
            concepts=tuple(self._entry(c.term, c.definition) for c in reading.concepts),
            questions=self._questions(reading.questions, scope=f"{reading.id}-"),
            references=tuple(
                p.Reference(self._inlines(r.citation), r.url, short_url(r.url) if r.url else None)
                for r in reading.references
            ),
            summary_credits=self._credits(reading.summary_credits),
            slide_points=self._slide_points(reading.slide_points),
        )

    def _presented(self, presented: model.Presentation) -> p.Presented:
        return p.Presented(
            event=self._inlines(presented.event),
            place=self._text(presented.place) if presented.place else None,
            date=i18n.format_day(presented.date, self.language) if presented.date else None,
        )

    def _reading_section(self, section: model.ReadingSection, folder: Path) -> p.ReadingSection:
        return p.ReadingSection(
            id=section.id,
            heading=self._inlines(section.heading),
            key_points=self._paragraphs(section.key_points),
            quotes=tuple(
                p.Quote(
                    quoted(plain_text(markup.parse_inline(q.text)), self.language),
                    self._text(q.author),
                    self._inlines(q.source) if q.source else None,
                )
                for q in section.quotes
            ),
            figures=tuple(self._figure(figure, folder) for figure in section.figures),
            slide_points=self._slide_points(section.slide_points),
        )

    # ------------------------------------------------------------------ labels, numbers, metadata

    def _labels(self) -> p.Labels:
        keys = sorted(self.catalog.keys())
        words = {key: typeset(self.catalog[key], self.language) for key in keys}
        leads = {key: typeset(f"{self.catalog[key]}:", self.language) for key in keys}
        separator = typeset("x: x", self.language)[1:-1]
        return p.Labels(words, leads, separator)

    def _label(self, key: str, **values: object) -> str:
        return typeset(self.catalog.format(key, **values), self.language)

    def _total_points(self) -> str | None:
        questions = self.lesson.questions() + [q for reading in self.source.readings for q in reading.questions]
        points = [q.points for q in questions if q.points]
        return self._label("points", n=self._number(sum(points))) if points else None

    def _minutes(self, minutes: int) -> str:
        return self._label("minutes", n=minutes)

    def _number(self, value: float) -> str:
        return i18n.format_number(value, self.language)

    def _value(self, value: float, unit: str) -> str:
        """A chart's value with its unit, as the locale writes it (a percentage with the locale's sign)."""
        if unit.strip() == "%":
            return i18n.format_percent(value, self.language)
        return f"{self._number(value)} {unit}"

    def _metadata(self, title: p.Inlines, level: str, subject: str, glossary: tuple[p.Entry, ...]) -> p.Metadata:
        keywords = ", ".join([subject, *(entry.term.plain for entry in glossary)])
        return p.Metadata(
            title=_clip(title.plain),
            author=_clip(", ".join(self.lesson.credits.authors)),
            subject=_clip(f"{level} · {subject}"),
            keywords=_clip(keywords),
        )

    # ------------------------------------------------------------------ text

    def _inlines(self, text: str, notes: bool = True) -> p.Inlines:
        """A text parsed, its footnote references resolved (or dropped), typeset in the edition's language."""
        nodes = markup.parse_inline(text)
        nodes = self._resolved(nodes) if notes else _without_notes(nodes)
        nodes = self._typeset(nodes, self.language)
        return p.Inlines(nodes, plain_text(nodes))

    def _text(self, text: str) -> str:
        """A text field that holds no Markdown (a name, a unit, a level), typeset as typed."""
        return typeset(text, self.language)

    def _paragraphs(self, texts: list[str]) -> tuple[p.Inlines, ...]:
        return tuple(self._inlines(text) for text in texts)

    def _slide_points(self, texts: list[str] | None) -> tuple[p.Inlines, ...]:
        """Slide points have no foot to hold a note: their footnote references are dropped."""
        return tuple(self._inlines(text, notes=False) for text in texts or ())

    def _blocks(self, text: str) -> tuple[p.Block, ...]:
        blocks: list[p.Block] = []
        for block in markup.parse_blocks(text):
            if isinstance(block, markup.Paragraph):
                blocks.append(p.Paragraph(self._finished(block.children)))
            else:
                blocks.append(p.BulletList(tuple(self._finished(item) for item in block.items)))
        return tuple(blocks)

    def _finished(self, nodes) -> p.Inlines:
        nodes = self._typeset(self._resolved(nodes), self.language)
        return p.Inlines(nodes, plain_text(nodes))

    def _resolved(self, nodes) -> tuple:
        """Footnote references become numbered notes holding the footnote's text (numbered on first call)."""
        return tuple(self._resolve(node) for node in nodes)

    def _resolve(self, node):
        if isinstance(node, FootnoteRef):
            if node.id not in self.footnote_texts:
                raise RenderError(f"the text refers to footnote [^{node.id}], but the lesson defines no such footnote")
            number = self.footnote_numbers.setdefault(node.id, len(self.footnote_numbers) + 1)
            return Note(number, _without_notes(markup.parse_inline(self.footnote_texts[node.id])))
        if isinstance(node, (Emphasis, Strong, Link, Foreign)):
            return _with_children(node, self._resolved(node.children))
        return node

    def _typeset(self, nodes: tuple, language: str) -> tuple:
        """Typeset the text nodes as one paragraph, each in its language; a note's text as a paragraph of its own."""
        self.languages |= {leaf_language for _, leaf_language in _leaves(nodes, language) if leaf_language}
        typeset_texts = iter(typeset_runs(list(_leaves(nodes, language))))
        return _rebuilt(nodes, typeset_texts, lambda children: self._typeset(children, language))


# --------------------------------------------------------------------------- helpers


def _asset(folder: Path, relative: str) -> Path:
    """The image, resolved inside its source's folder: the same rule ``check`` applies."""
    path = inside(folder, relative)
    if path is None:
        raise RenderError(f"the image “{relative}” lies outside {folder} (no “..”, no absolute path, no link out)")
    if not path.is_file():
        raise RenderError(f"the image “{relative}” is not a file in {folder}")
    return path


def _clip(text: str) -> str:
    return text if len(text) <= METADATA_LIMIT else text[: METADATA_LIMIT - 1].rstrip() + "…"


def _without_notes(nodes) -> tuple:
    """The nodes with footnote references left out (a footnote's own text, slide points)."""
    kept = []
    for node in nodes:
        if isinstance(node, FootnoteRef):
            continue
        if isinstance(node, (Emphasis, Strong, Link, Foreign)):
            node = _with_children(node, _without_notes(node.children))
        kept.append(node)
    return tuple(kept)


def _with_children(node, children: tuple):
    if isinstance(node, Link):
        return Link(node.url, children)
    if isinstance(node, Foreign):
        return Foreign(node.language, children)
    return type(node)(children)


def _leaves(nodes, language: str):
    """The paragraph's pieces of text in order, each with its language; code (kept as typed) has None."""
    for node in nodes:
        if isinstance(node, Text):
            yield node.text, language
        elif isinstance(node, Code):
            yield node.text, None
        elif isinstance(node, LineBreak):
            yield "\n", None
        elif isinstance(node, Foreign):
            yield from _leaves(node.children, node.language)
        elif isinstance(node, (Emphasis, Strong, Link)):
            yield from _leaves(node.children, language)
        # a Note's text is a paragraph of its own: typeset separately


def _rebuilt(nodes, texts, typeset_note) -> tuple:
    """The same tree with each text piece replaced by the next typeset one (in ``_leaves`` order)."""
    rebuilt = []
    for node in nodes:
        if isinstance(node, Text):
            rebuilt.append(Text(next(texts)))
        elif isinstance(node, (Code, LineBreak)):
            next(texts)  # kept exactly as typed
            rebuilt.append(node)
        elif isinstance(node, Note):
            rebuilt.append(Note(node.number, typeset_note(node.children)))
        elif isinstance(node, (Emphasis, Strong, Link, Foreign)):
            rebuilt.append(_with_children(node, _rebuilt(node.children, texts, typeset_note)))
        else:
            rebuilt.append(node)
    return tuple(rebuilt)
