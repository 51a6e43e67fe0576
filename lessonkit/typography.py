"""Typography by language, applied to text nodes (never to code, tags or URLs).

Every language: straight quotes typed on a keyboard ("…") and English curly
quotes (“…”) become the language's quotation marks (Swiss German «…», German
„…“, English “…”, French « … »), and an apostrophe between two letters
becomes ’, even when emphasis markup sits between them (``d'**Internet**``).

French puts a space before high punctuation and inside guillemets, and that
space must never break a line away from its word: a narrow no-break space
(U+202F) before ``; ! ?``, after ``«`` and before ``»``, before ``%``;
a no-break space (U+00A0) before ``:``. URLs, e-mail addresses, anything that
reads as an HTML or XML tag, times (12:30), ratios and numbers are left alone.

``prepare`` calls ``typeset_runs`` once per paragraph, with each piece of text
in its own language (``[Management: A Proposal]{lang=en}`` in a French lesson
keeps English spacing); renderers never typeset.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space
_SPACES = f"[ {NBSP}{NNBSP}\t]"

# Pieces of text that keep their exact characters: web and e-mail addresses, HTML or XML tags as typed.
_PROTECTED = re.compile(
    r"(?:https?://|www\.)[^\s<>«»\"]+[^\s<>«»\".,;:!?)]"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>|<![^<>]*>|<\?[^<>]*\?>"
)

_FRENCH_RULES: list[tuple[re.Pattern[str], str]] = [
    # a space (or none) before ; ! ? becomes a narrow no-break space; "?!" stays together
    (re.compile(rf"(?<=[^\s;!?]){_SPACES}*([;!?]+)"), NNBSP + r"\1"),
    (re.compile(rf"^{_SPACES}*([;!?]+)"), NNBSP + r"\1"),
    # a colon followed by a space or the end (not 12:30, not https://): no-break space before it
    (re.compile(rf"(?<=[^\s:]){_SPACES}*:(?=\s|$)"), NBSP + ":"),
    (re.compile(rf"^{_SPACES}*:(?=\s|$)"), NBSP + ":"),
    # guillemets: narrow no-break space inside
    (re.compile(rf"«{_SPACES}*"), "«" + NNBSP),
    (re.compile(rf"{_SPACES}*»"), NNBSP + "»"),
    # percent and digit groups stay with their number: 47 %, 500 000
    (re.compile(rf"(?<=\d){_SPACES}?%"), NNBSP + "%"),
    (re.compile(rf"(?<=\d){_SPACES}(?=\d{{3}}(?!\d))"), NNBSP),
]


# Opening and closing quotation marks by language (Swiss German uses guillemets, without spaces).
QUOTES = {"fr": ("«", "»"), "de-CH": ("«", "»"), "de": ("„", "“"), "en": ("“", "”"), "it": ("«", "»"), "es": ("«", "»")}
# The marks of a quotation inside a quotation: « … “ … ” … », «… ‹…› …», „… ‚…‘ …“, “… ‘…’ …”.
INNER_QUOTES = {
    "fr": ("“", "”"),
    "de-CH": ("‹", "›"),
    "de": ("‚", "‘"),
    "en": ("‘", "’"),
    "it": ("“", "”"),
    "es": ("“", "”"),
}


def quoted(text: str, language: str) -> str:
    """``text`` between the quotation marks of ``language``, typeset; quotation marks already in the text
    become the language's inner marks, so a quotation that quotes someone reads « … “ … ” … »."""
    opening, closing = _quotes(language)
    inner_opening, inner_closing = _quotes(language, INNER_QUOTES, ("‘", "’"))
    inner = typeset(text, language)
    # French spaces inside « » do not go inside “ ”
    inner = re.sub(rf"{re.escape(opening)}{_SPACES}*", inner_opening, inner)
    inner = re.sub(rf"{_SPACES}*{re.escape(closing)}", inner_closing, inner)
    return _spaced(f"{opening}{inner}{closing}", language)


_GERMAN_RULES: list[tuple[re.Pattern[str], str]] = [
    # 47 % and 500 000 stay on one line
    (re.compile(rf"(?<=\d){_SPACES}%"), NBSP + "%"),
    (re.compile(rf"(?<=\d){_SPACES}(?=\d{{3}}(?!\d))"), NNBSP),
]


def typeset(text: str, language: str) -> str:
    """Apply the typographic rules of ``language`` (a tag such as fr, fr-CH, de-CH) to one text."""
    return typeset_runs([(text, language)])[0]


def typeset_runs(runs: Sequence[tuple[str, str | None]]) -> list[str]:
    """Typeset the pieces of one paragraph, each in its language; ``None`` marks a piece kept as typed (code).

    Quotation marks and apostrophes are decided on the paragraph as a whole, so a pair of quotes
    or an apostrophe may span emphasis, links or foreign words; spacing is added within each piece.
    """
    texts = [text for text, _ in runs]
    kept = _kept_characters(runs)
    characters = list("".join(texts))
    languages = [language for text, language in runs for _ in text]
    visible = "".join("\0" if is_kept else char for char, is_kept in zip(characters, kept, strict=True))
    for match in _APOSTROPHE.finditer(visible):
        characters[match.start()] = "’"
    for match in _DOUBLE_QUOTES.finditer(visible):
        for position, side in ((match.start(), 0), (match.end() - 1, 1)):
            characters[position] = _quotes(languages[position])[side]
    pieces, position = [], 0
    for text, language in runs:
        piece = "".join(characters[position : position + len(text)])
        pieces.append(piece if language is None else _spaced(piece, language))
        position += len(text)
    return pieces


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_DOUBLE_QUOTES = re.compile(r'["“][^"“”\n]+["”]')  # a pair on one line; quotes kept as typed are masked


def _kept_characters(runs: Sequence[tuple[str, str | None]]) -> list[bool]:
    """For every character of the paragraph: must it stay exactly as typed (code, URL, tag)?"""
    kept: list[bool] = []
    for text, language in runs:
        mask = [language is None] * len(text)
        if language is not None:
            for protected in _PROTECTED.finditer(text):
                mask[protected.start() : protected.end()] = [True] * (protected.end() - protected.start())
        kept += mask
    return kept


def _quotes(language: str, marks: dict = QUOTES, default: tuple[str, str] = ("“", "”")) -> tuple[str, str]:
    """The language's marks (``QUOTES`` or ``INNER_QUOTES``): for its region, else for the language alone."""
    return marks.get(language) or marks.get(language.split("-")[0], default)


def _spaced(text: str, language: str) -> str:
    """The language's spacing rules, outside URLs, addresses and tags."""
    rules = _SPACING.get(language.split("-")[0], [])
    if not rules:
        return text
    pieces = []
    position = 0
    for protected in _PROTECTED.finditer(text):
        pieces.append(_apply(rules, text[position : protected.start()]))
        pieces.append(protected.group())
        position = protected.end()
    pieces.append(_apply(rules, text[position:]))
    return "".join(pieces)


def _apply(rules: list[tuple[re.Pattern[str], str]], text: str) -> str:
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


_SPACING = {"fr": _FRENCH_RULES, "de": _GERMAN_RULES}
