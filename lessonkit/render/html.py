"""Prepared text as safe HTML: the PDF's templates use it, and so will any HTML output.

Every character of the source is escaped: ``<b>`` typed by a teacher prints as
``<b>``. Only the nodes make markup.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from ..nodes import Code, Emphasis, Foreign, LineBreak, Link, Note, Strong, Text
from ..prepared import Block, BulletList, Inlines


def inline_html(text: Inlines | None) -> Markup:
    """A prepared text as HTML (``{{ section.heading | html }}`` in a template)."""
    return Markup(_nodes(text.nodes)) if text else Markup("")


def blocks_html(blocks: tuple[Block, ...]) -> Markup:
    """Paragraphs and bullet lists (a model answer) as HTML."""
    parts = []
    for block in blocks:
        if isinstance(block, BulletList):
            parts.append("<ul>" + "".join(f"<li>{_nodes(item.nodes)}</li>" for item in block.items) + "</ul>")
        else:
            parts.append(f"<p>{_nodes(block.text.nodes)}</p>")
    return Markup("".join(parts))


def _nodes(nodes) -> str:
    return "".join(_node(node) for node in nodes)


def _node(node) -> str:
    if isinstance(node, Text):
        return escape(node.text, quote=False)
    if isinstance(node, Code):
        return f"<code>{escape(node.text, quote=False)}</code>"
    if isinstance(node, Emphasis):
        return f"<em>{_nodes(node.children)}</em>"
    if isinstance(node, Strong):
        return f"<strong>{_nodes(node.children)}</strong>"
    if isinstance(node, Link):
        return f'<a href="{escape(node.url)}">{_nodes(node.children)}</a>'
    if isinstance(node, Foreign):
        return f'<span lang="{escape(node.language)}">{_nodes(node.children)}</span>'
    if isinstance(node, Note):
        return f'<span class="footnote" data-number="{node.number}">{_nodes(node.children)}</span>'
    if isinstance(node, LineBreak):
        return "<br>"
    return ""
