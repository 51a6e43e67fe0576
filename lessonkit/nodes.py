"""The inline nodes of the document tree: words, emphasis, links, notes.

``markup`` parses a source's inline Markdown into these nodes; ``prepare``
resolves footnote references into numbered ``Note``s and typesets the ``Text``
nodes; renderers walk the result. Like pandoc's ``Inline``: a closed set of
plain values that no step has to parse again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Code:
    """Typed as is, between backticks: printed exactly so, in a monospace face."""

    text: str


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Foreign:
    """Words in another language than the document's."""

    language: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class FootnoteRef:
    """``[^id]`` as written in a source; ``prepare`` replaces it with a ``Note``."""

    id: str


@dataclass(frozen=True)
class Note:
    """A footnote at the place it is called: its number is the same in every output."""

    number: int
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class LineBreak:
    pass


Inline = Text | Code | Emphasis | Strong | Link | Foreign | FootnoteRef | Note | LineBreak
CONTAINERS = (Emphasis, Strong, Link, Foreign)


def plain_text(nodes) -> str:
    """The words of inline nodes, without markup and without footnotes (titles, metadata, slides)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        elif isinstance(node, CONTAINERS):
            parts.append(plain_text(node.children))
    return "".join(parts)
