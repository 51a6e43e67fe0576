"""The quiz for a learning platform: every question of the lesson and its readings as a Moodle essay
question, in Moodle XML (``quiz.moodle.xml``), built with lxml.

One category question first (named after the lesson and its language), then one ``essay`` question
per question, in the order of their labels: the prompt is the question text, the model answer the
information for graders, the points the default grade (1 when the question has none). HTML goes in
CDATA; a picture goes inside its text as a base64 ``<file>`` and is referred to as
``@@PLUGINFILE@@/name``. UTF-8, with the XML declaration on the very first line: Moodle's importer
says little about a malformed file, so nothing is left to chance.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from markupsafe import Markup, escape

from ..prepared import PreparedDocument, Question
from .html import blocks_html, inline_html

__all__ = ["QUIZ", "MoodleRenderer", "RenderedQuiz", "embedded_image"]

QUIZ = "quiz.moodle.xml"
PLUGINFILE = "@@PLUGINFILE@@/"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass
class RenderedQuiz:
    files: list[tuple[str, int | None, bytes]]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Attachment:
    """A picture carried inside a text of the quiz."""

    name: str
    data: bytes


class MoodleRenderer:
    def render(self, document: PreparedDocument) -> RenderedQuiz:
        questions = document.questions()
        return RenderedQuiz([(QUIZ, len(questions), quiz_xml(document))])


def quiz_xml(document: PreparedDocument) -> bytes:
    quiz = etree.Element("quiz")
    quiz.append(_category(document))
    for question in document.questions():
        quiz.append(_essay(document, question))
    body = etree.tostring(quiz, encoding="UTF-8", pretty_print=True)
    return DECLARATION + body  # the declaration as Moodle's own exports write it, double quotes


def category_name(document: PreparedDocument) -> str:
    """``$course$/top/Le travail du clic (fr)``: the category the questions land in (a ``/`` in the
    title would start a subcategory: it is doubled, as Moodle escapes it)."""
    title = document.title.plain.replace("/", "//")
    return f"$course$/top/{title} ({document.language})"


def _category(document: PreparedDocument) -> etree._Element:
    question = etree.Element("question", type="category")
    _text(etree.SubElement(question, "category"), category_name(document))
    info = etree.SubElement(question, "info", format="html")
    _text(info, f"<p>{escape(document.kicker)}</p>", cdata=True)
    return question


def _essay(document: PreparedDocument, question: Question) -> etree._Element:
    essay = etree.Element("question", type="essay")
    name = f"{question.label}. {question.prompt.plain}"
    _text(etree.SubElement(essay, "name"), name if len(name) <= 250 else name[:249] + "…")
    _html(essay, "questiontext", inline_html(question.prompt, notes="inline"), wrap=True)
    _html(essay, "generalfeedback", Markup(""))
    etree.SubElement(essay, "defaultgrade").text = _grade(question.score)
    etree.SubElement(essay, "penalty").text = "0"
    etree.SubElement(essay, "hidden").text = "0"
    etree.SubElement(essay, "idnumber").text = f"{document.id}-{document.language}-{question.anchor}"[:100]
    etree.SubElement(essay, "responseformat").text = "editor"
    etree.SubElement(essay, "responserequired").text = "1"
    etree.SubElement(essay, "responsefieldlines").text = str(max(5, min(question.lines, 40)))
    etree.SubElement(essay, "minwordlimit")
    etree.SubElement(essay, "maxwordlimit")
    etree.SubElement(essay, "attachments").text = "0"
    etree.SubElement(essay, "attachmentsrequired").text = "0"
    etree.SubElement(essay, "maxbytes").text = "0"
    etree.SubElement(essay, "filetypeslist")
    _html(essay, "graderinfo", blocks_html(question.answer, notes="inline"))
    _html(essay, "responsetemplate", Markup(""))
    return essay


def _grade(score: float | None) -> str:
    """``2``, ``1.5``: a plain decimal whatever the edition's language (1 when the question has no points)."""
    value = score if score else 1
    return f"{value:g}" if value == int(value) or len(f"{value:g}") < 10 else f"{value:.4f}".rstrip("0")


def _html(parent, tag: str, html: Markup, wrap: bool = False, images: tuple[Attachment, ...] = ()) -> None:
    element = etree.SubElement(parent, tag, format="html")
    _text(element, f"<p>{html}</p>" if wrap and html else str(html), cdata=True)
    for image in images:
        file = etree.SubElement(element, "file", name=image.name, path="/", encoding="base64")
        file.text = base64.b64encode(image.data).decode("ascii")


def _text(parent, value: str, cdata: bool = False) -> None:
    text = etree.SubElement(parent, "text")
    if value and cdata:
        text.text = etree.CDATA(value.replace("]]>", "]]&gt;"))  # a CDATA section cannot hold its own end
    else:
        text.text = value


def embedded_image(path: Path, alt: str, number: int) -> tuple[Markup, Attachment]:
    """An ``<img>`` for a text of the quiz and the file it carries (``@@PLUGINFILE@@/figure-1.png``)."""
    name = f"figure-{number}{path.suffix.lower()}"
    tag = Markup('<img src="{}" alt="{}">').format(PLUGINFILE + name, alt)
    return tag, Attachment(name, path.read_bytes())
