"""Prepared text as safe HTML: the PDF's templates, the HTML handout and the Moodle quiz use it.

Every character of the source is escaped: ``<b>`` typed by a teacher prints as
``<b>``. Only the nodes make markup.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..nodes import CONTAINERS, Code, Emphasis, LineBreak, Link, Note, Strong, Text
from ..prepared import Block, BulletList, Inlines

NOTE_STYLES = ("float", "link", "inline")


def template_environment(folder: Path, notes: str = "float") -> jinja2.Environment:
    """Jinja2 for the HTML templates in ``folder``: everything escaped, a missing name an error, and
    filters that write prepared text: ``| html`` (inline), ``| blocks`` (a model answer), ``| uri``."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["html"] = lambda text: inline_html(text, notes=notes)
    environment.filters["blocks"] = lambda blocks: blocks_html(blocks, notes=notes)
    environment.filters["uri"] = lambda path: path.as_uri()
    environment.tests["calling_a_note"] = calls_a_note
    return environment


def calls_a_note(text: Inlines | None) -> bool:
    """Whether a prepared text calls a footnote (``{% if paragraph is calling_a_note %}``)."""

    def calls(nodes) -> bool:
        return any(isinstance(node, Note) or (isinstance(node, CONTAINERS) and calls(node.children)) for node in nodes)

    return bool(text) and calls(text.nodes)


def inline_html(text: Inlines | None, notes: str = "float") -> Markup:
    """A prepared text as HTML (``{{ section.heading | html }}`` in a template).

    A footnote is written where it is called, as ``notes`` says: ``float`` its text in a span the
    PDF's CSS floats to the foot of the page; ``link`` its number, linked to ``#note-N`` (a page that
    lists the notes); ``inline`` its text in brackets (a quiz question has no foot)."""
    return Markup(_nodes(text.nodes, notes)) if text else Markup("")


def blocks_html(blocks: tuple[Block, ...], notes: str = "float") -> Markup:
    """Paragraphs and bullet lists (a model answer) as HTML."""
    parts = []
    for block in blocks:
        if isinstance(block, BulletList):
            items = "".join(f"<li>{_nodes(item.nodes, notes)}</li>" for item in block.items)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_nodes(block.text.nodes, notes)}</p>")
    return Markup("".join(parts))


def _nodes(nodes, notes: str = "float") -> str:
    return "".join(_node(node, notes) for node in nodes)


def _node(node, notes: str = "float") -> str:
    if isinstance(node, Note) and notes == "link":
        return f'<sup class="note-ref"><a href="#note-{node.number}">{node.number}</a></sup>'
    if isinstance(node, Note) and notes == "inline":
        return f" <small>({_nodes(node.children, notes)})</small>"
    if isinstance(node, CONTAINERS):
        return _container(node, _nodes(node.children, notes))
    return _leaf(node)


def _container(node, inner: str) -> str:
    if isinstance(node, Emphasis):
        return f"<em>{inner}</em>"
    if isinstance(node, Strong):
        return f"<strong>{inner}</strong>"
    if isinstance(node, Link):
        return f'<a href="{escape(node.url)}">{inner}</a>'
    return f'<span lang="{escape(node.language)}">{inner}</span>'  # Foreign


def _leaf(node) -> str:
    if isinstance(node, Text):
        return escape(node.text, quote=False)
    if isinstance(node, Code):
        return f"<code>{escape(node.text, quote=False)}</code>"
    if isinstance(node, Note):
        return f'<span class="footnote" data-number="{node.number}">{_nodes(node.children)}</span>'
    if isinstance(node, LineBreak):
        return "<br>"
    return ""
