"""Typography by language, applied to text nodes (never to markup or URLs).

Every language: straight quotes typed on a keyboard ("…", ') become the
language's quotation marks and apostrophe (Swiss German «…», German „…“,
English “…”, French «…»).

French puts a space before high punctuation and inside guillemets, and that
space must never break a line away from its word: a narrow no-break space
(U+202F) before ``; ! ?``, after ``«`` and before ``»``, before ``%``;
a no-break space (U+00A0) before ``:``. URLs, times (12:30), ratios and
numbers are left alone. Both renderers call ``typeset`` so the worksheet and
the deck follow the same rules.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space
_SPACES = f"[ {NBSP}{NNBSP}\t]"

# Pieces of text that keep their exact characters: web addresses and e-mail addresses.
_PROTECTED = re.compile(r"(?:https?://|www\.)[^\s<>«»\"]+[^\s<>«»\".,;:!?)]|[\w.+-]+@[\w-]+\.[\w.-]+")

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


def quoted(text: str, language: str) -> str:
    """``text`` between the quotation marks of ``language``, typeset."""
    opening, closing = QUOTES.get(language) or QUOTES.get(language.split("-")[0], ("“", "”"))
    return typeset(f"{opening}{text}{closing}", language)


def _quote_rules(language: str) -> list[tuple[re.Pattern[str], str]]:
    """Straight quotes typed on a keyboard become the language's quotation marks; ' becomes ’."""
    opening, closing = QUOTES.get(language) or QUOTES.get(language.split("-")[0], ("“", "”"))
    return [
        (re.compile(r'"([^"\n]+)"'), f"{opening}\\1{closing}"),
        (re.compile(r"(?<=\w)'(?=\w)"), "’"),
    ]


_GERMAN_RULES: list[tuple[re.Pattern[str], str]] = [
    # 47 % and 500 000 stay on one line
    (re.compile(rf"(?<=\d){_SPACES}%"), NBSP + "%"),
    (re.compile(rf"(?<=\d){_SPACES}(?=\d{{3}}(?!\d))"), NNBSP),
]


def typeset(text: str, language: str) -> str:
    """Apply the typographic rules of ``language`` (a tag such as fr, fr-CH, de-CH) to a text node."""
    rules = _rules_for(language)
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


def _rules_for(language: str) -> list[tuple[re.Pattern[str], str]]:
    base = language.split("-")[0]
    specific = {"fr": _FRENCH_RULES, "de": _GERMAN_RULES}.get(base, [])
    # quotes first: French spacing then applies inside the guillemets they produce
    return _quote_rules(language) + specific


def _apply(rules: list[tuple[re.Pattern[str], str]], text: str) -> str:
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text
