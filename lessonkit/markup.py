"""Inline and block Markdown of the sources, parsed into plain nodes.

Teachers write a small, safe subset of Markdown: *emphasis*, **strong**,
[links](https://…), `code`, footnote references ``[^id]``, words in another
language ``[digital labor]{lang=en}`` (for hyphenation and spell-checking)
and, in model answers, paragraphs and ``- `` bullet lists. markdown-it-py does the parsing;
raw HTML is switched off, so ``<b>`` in a source stays the text ``<b>``.

The nodes are defined in ``nodes``; ``prepare`` turns them into the prepared
document renderers walk, so no renderer ever sees Markdown syntax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.attrs import attrs_plugin

from .nodes import CONTAINERS, Code, Emphasis, FootnoteRef, Foreign, Inline, LineBreak, Link, Strong, Text, plain_text

__all__ = [
    "BulletList", "Code", "Emphasis", "FootnoteRef", "Foreign", "Inline", "LineBreak", "Link", "Paragraph",
    "Strong", "Text", "footnote_refs", "parse_blocks", "parse_inline", "plain_text",
]  # fmt: skip

FOOTNOTE_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Inline, ...], ...] = field(default_factory=tuple)


Block = Paragraph | BulletList


def _footnote_ref_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it inline rule for ``[^label]`` (labels: lower-case slugs)."""
    src, start = state.src, state.pos
    if not src.startswith("[^", start):
        return False
    end = src.find("]", start + 2)
    label = src[start + 2 : end] if end > 0 else ""
    if not label or not set(label) <= FOOTNOTE_LABEL_CHARS:
        return False
    if not silent:
        token = state.push("footnote_ref", "", 0)
        token.meta = {"id": label}
    state.pos = end + 1
    return True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "escape", "backticks", "newline", "list"])
    md.inline.ruler.before("link", "footnote_ref", _footnote_ref_rule)
    md.use(attrs_plugin, spans=True, allowed=["lang"])
    return md


def _inline_nodes(tokens) -> tuple[Inline, ...]:
    """Turn markdown-it's flat open/close token stream into a node tree."""
    stack: list[tuple[str, dict, list[Inline]]] = [("root", {}, [])]
    for token in tokens:
        kind = token.type
        if kind == "text":
            stack[-1][2].append(Text(token.content))
        elif kind == "code_inline":
            stack[-1][2].append(Code(token.content))
        elif kind in ("softbreak",):
            stack[-1][2].append(Text(" "))
        elif kind == "hardbreak":
            stack[-1][2].append(LineBreak())
        elif kind == "footnote_ref":
            stack[-1][2].append(FootnoteRef(token.meta["id"]))
        elif kind.endswith("_open"):
            stack.append((kind[: -len("_open")], dict(token.attrs), []))
        elif kind.endswith("_close"):
            name, attrs, children = stack.pop()
            stack[-1][2].extend(_element(name, attrs, tuple(children)))
    return _merge_text(stack[0][2])


def _element(name: str, attrs: dict, children: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if name == "em":
        return (Emphasis(children),)
    if name == "strong":
        return (Strong(children),)
    if name == "link":
        return (Link(str(attrs.get("href", "")), children),)
    if name == "span" and attrs.get("lang"):
        return (Foreign(str(attrs["lang"]), children),)
    return children  # a span without a language is just its words


def _merge_text(nodes: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and not node.text:
            continue
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)


@lru_cache(maxsize=4096)
def parse_inline(text: str) -> tuple[Inline, ...]:
    """Parse one paragraph of inline Markdown."""
    tokens = _parser().parseInline(text)
    return _inline_nodes(tokens[0].children or []) if tokens else ()


@lru_cache(maxsize=1024)
def parse_blocks(text: str) -> tuple[Block, ...]:
    """Parse paragraphs and ``- `` bullet lists (model answers)."""
    blocks: list[Block] = []
    items: list[tuple[Inline, ...]] = []
    in_list = 0
    for token in _parser().parse(text):
        if token.type == "bullet_list_open" or token.type == "ordered_list_open":
            in_list += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
            if not in_list:
                blocks.append(BulletList(tuple(items)))
                items = []
        elif token.type == "inline":
            nodes = _inline_nodes(token.children or [])
            if in_list:
                items.append(nodes)
            else:
                blocks.append(Paragraph(nodes))
    return tuple(blocks)


def footnote_refs(text: str) -> list[str]:
    """Ids of the footnotes an inline text refers to, in order."""
    found: list[str] = []

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, FootnoteRef):
                found.append(node.id)
            elif isinstance(node, CONTAINERS):
                walk(node.children)

    walk(parse_inline(text))
    return found
