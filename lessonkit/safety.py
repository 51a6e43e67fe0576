"""What no source may carry into an output, whatever field it is written in.

Lessons are shared between colleagues, so every text is untrusted:

- a link may only lead to the web or to an e-mail address (http, https,
  mailto). ``file:``, ``smb:``, ``ms-msdt:`` or a relative ``../../etc/passwd``
  would open a file, a network share (leaking the reader's password hash on
  Windows) or a program on the reader's machine when clicked in a PDF or a deck;
- no text may hold control characters (``"\\0"``, ``"\\x1b"``…): PDF and PPTX
  writers cannot take them, and they hide text from the reader;
- a link longer than ``MAX_URL_LENGTH`` cannot be printed as a QR code.

Standard library and ``markup`` only; ``model`` and ``loader`` use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from . import markup

LINK_SCHEMES = ("http", "https", "mailto")
WEB_SCHEMES = ("http", "https")
# A QR code at error level M holds about 2,300 characters; far below that, a link is still typeable.
MAX_URL_LENGTH = 1000
# A paragraph, an answer or a caption; more is a pasted document (and Markdown parsing of hostile text
# such as “[[[[…” costs about 50 µs a character).
MAX_TEXT_LENGTH = 10_000
# C0 controls but tab and newline, DEL and C1 controls, lone surrogates and the two non-characters
# XML (hence PPTX) refuses.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What a teacher wrote as a link but Markdown kept as plain text because of its scheme
# (markdown-it refuses file:, javascript:, vbscript: and data: links): “[text](file:///…)”.
REFUSED_LINK = re.compile(r"\]\(\s*<?\s*([A-Za-z][A-Za-z0-9+.-]*:[^)\s>]*)")
# Fields whose value is not text to show: checked by their own rules in the model.
NOT_TEXT = frozenset({"url", "image"})

Loc = tuple[str | int, ...]


def link_problem(url: str, schemes: tuple[str, ...] = LINK_SCHEMES) -> str | None:
    """Why a link cannot reach an output, or None."""
    if len(url) > MAX_URL_LENGTH:
        return (
            f"the address has {len(url)} characters; at most {MAX_URL_LENGTH} are allowed (a QR code cannot hold more)"
        )
    if CONTROL.search(url) or any(character.isspace() for character in url):
        return f"the address “{_shown(url)}” contains spaces or invisible characters; remove them"
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return f"“{_shown(url)}” is not a valid address"
    allowed = " or ".join(f"{scheme}:" for scheme in schemes)
    if parts.scheme.lower() not in schemes:
        return (
            f"the link “{_shown(url)}” is not allowed: links must start with {allowed} "
            "(a link to a file, a network share or a program could harm whoever clicks it)"
        )
    if parts.scheme.lower() in WEB_SCHEMES and not host:
        return f"“{_shown(url)}” is not a web address: write it in full, like https://example.org/page"
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        return f"“{_shown(url)}” is not an e-mail address: write it like mailto:name@example.org"
    return None


def strings(data: object, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every text in plain data (dicts and lists), with its field path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*loc, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from strings(item, (*loc, index))
    elif isinstance(data, str):
        yield loc, data


def text_problems(data: object) -> Iterator[tuple[Loc, str]]:
    """Control characters and forbidden links in every text of a source's data (plain dicts and lists)."""
    for loc, text in strings(data):
        if problem := _text_problem(text, is_text=not loc or loc[-1] not in NOT_TEXT):
            yield loc, problem


def _text_problem(text: str, is_text: bool) -> str | None:
    if len(text) > MAX_TEXT_LENGTH:
        return (
            f"this text has {len(text):,} characters; at most {MAX_TEXT_LENGTH:,} are allowed in one field "
            "(split it into paragraphs)"
        )
    if found := CONTROL.search(text):
        return (
            f"the text contains an invisible control character (U+{ord(found.group()):04X}); remove it "
            "(escapes such as “\\0” or “\\x1b” are not allowed)"
        )
    if not is_text:
        return None
    for url in _links(text):
        if problem := link_problem(url):
            return problem
    return None


def _links(text: str) -> Iterator[str]:
    """Every link target of a text, including those Markdown kept as text because of their scheme."""
    for block in markup.parse_blocks(text):
        lines = block.items if isinstance(block, markup.BulletList) else (block.children,)
        for nodes in lines:
            yield from _node_links(nodes)


def _node_links(nodes) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, markup.Link):
            yield node.url
        if isinstance(node, markup.Text):
            yield from REFUSED_LINK.findall(node.text)
        if isinstance(node, (markup.Emphasis, markup.Strong, markup.Link, markup.Foreign)):
            yield from _node_links(node.children)


def _shown(url: str) -> str:
    """An address short enough to quote in a message, without its invisible characters."""
    visible = CONTROL.sub("?", url)
    return visible if len(visible) <= 80 else visible[:77] + "…"
