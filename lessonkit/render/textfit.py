"""Will this text fit in that box? Measured with the real font metrics, the way slides lay text out.

PowerPoint ignores autofit flags until the text is edited and LibreOffice
shrinks text on its own, so neither can be trusted to keep slides legible.
Instead we lay the text out ourselves: glyph advances from the font file
(Pillow), line height from the font's hhea metrics times the line spacing,
paragraph spacing, bullet indents and the text frame's insets. The deck's
font is Calibri; Carlito (``layouts/fonts``) has exactly the same metrics.

Inline code is set in Consolas, which classroom machines have (Windows and
Office for Mac ship it); where it is missing, LibreOffice shows a monospace
substitute (DejaVu Sans Mono or Liberation Mono). Every character of a
monospace face has the same advance, so code is measured at the widest of
those faces' advances and fits in all of them.

All lengths are in points (1 pt = 12,700 EMU).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from ..layouts import LAYOUTS

EMU_PER_PT = 12_700
# Measure a little wider than the font says: renderers differ by a few percent in
# kerning and justification, and a slide must fit in PowerPoint *and* LibreOffice.
WIDTH_SAFETY = 1.04
FACES = {
    (False, False): "Carlito-Regular.ttf",
    (True, False): "Carlito-Bold.ttf",
    (False, True): "Carlito-Italic.ttf",
    (True, True): "Carlito-BoldItalic.ttf",
}
ZERO_WIDTH_SPACE = "\u200b"
_BREAKS = re.compile(f"( |{ZERO_WIDTH_SPACE})")
CODE_FONT = "Consolas"
# Advance of every character, in em: Consolas 0.550, Liberation Mono 0.600, DejaVu Sans Mono 0.602.
CODE_ADVANCE = 0.602


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False  # set in the monospace face


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    size: float  # points
    indent: float = 0.0  # left margin of the text (marL), points
    hanging: float = 0.0  # how far the first line starts left of it, for the bullet (−indent), points
    space_before: float = 0.0  # points
    line_spacing: float = 1.0  # multiple of single spacing


@dataclass(frozen=True)
class Frame:
    width: float  # points, including insets
    height: float
    inset_left: float = 7.2  # PowerPoint's defaults: 0.1 in left/right, 0.05 in top/bottom
    inset_right: float = 7.2
    inset_top: float = 3.6
    inset_bottom: float = 3.6


@lru_cache(maxsize=8)
def _metrics(folder: Path = LAYOUTS / "fonts") -> float:
    """Single line height as a multiple of the font size (hhea ascender + descender + line gap)."""
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its remarks on font dates are noise here

    font = TTFont(folder / FACES[(False, False)], lazy=True)
    hhea = font["hhea"]
    return (hhea.ascent - hhea.descent + hhea.lineGap) / font["head"].unitsPerEm


@lru_cache(maxsize=64)
def _font(bold: bool, italic: bool, folder: Path = LAYOUTS / "fonts") -> ImageFont.FreeTypeFont:
    # Measured at 100 px per em and scaled: advances are then exact to 1/100 of the size.
    return ImageFont.truetype(str(folder / FACES[(bold, italic)]), size=100)


@lru_cache(maxsize=65536)
def text_width(text: str, size: float, bold: bool = False, italic: bool = False, code: bool = False) -> float:
    """Advance width of ``text`` in points at ``size`` points."""
    if code:
        return len(text) * CODE_ADVANCE * size * WIDTH_SAFETY
    return _font(bold, italic).getlength(text) * size / 100 * WIDTH_SAFETY


def line_height(size: float, line_spacing: float = 1.0) -> float:
    return size * _metrics() * line_spacing


def wrap(paragraph: Paragraph, width: float) -> list[float]:
    """Greedy word wrap, as text frames do; returns the width of each line."""
    words = _words(paragraph)
    first_line = width - paragraph.indent + paragraph.hanging
    other_lines = width - paragraph.indent
    if min(first_line, other_lines) < paragraph.size:
        raise ValueError(f"a text box {width:.0f} pt wide cannot hold text at {paragraph.size:.0f} pt")
    lines: list[float] = []
    current = 0.0
    available = first_line
    for word_width, space_width in words:
        if current and current + space_width + word_width > available:
            lines.append(current)
            current, available = 0.0, other_lines
        while word_width > available and current == 0.0:  # a word longer than the line breaks anywhere
            lines.append(available)
            word_width -= available
            available = other_lines
        current += (space_width if current else 0.0) + word_width
    lines.append(current)
    return lines


def _words(paragraph: Paragraph) -> list[tuple[float, float]]:
    """(width of the word, width of the space before it) for every word, across runs.

    Lines break at spaces, and at zero-width spaces (U+200B, put after the slashes of an address)."""
    words: list[tuple[float, float]] = []
    pending = 0.0  # width of a word split across runs (“**digital** labor”)
    joined = False
    before = 0.0  # the width of what separates the pending word from the previous one
    for run in paragraph.runs:
        space = text_width(" ", paragraph.size, run.bold, run.italic, run.code)
        for part in _BREAKS.split(run.text):
            if part in (" ", ZERO_WIDTH_SPACE):
                if pending or joined:
                    words.append((pending, before))
                    pending, joined = 0.0, False
                before = space if part == " " else 0.0
            elif part:
                pending += text_width(part, paragraph.size, run.bold, run.italic, run.code)
                joined = True
    if pending or joined:
        words.append((pending, before))
    return words


def breaks_a_word(paragraphs: list[Paragraph], frame: Frame) -> bool:
    """Whether a word of the paragraphs is wider than its line, so that it would be broken in two."""
    width = frame.width - frame.inset_left - frame.inset_right
    for paragraph in paragraphs:
        narrowest = min(width - paragraph.indent + paragraph.hanging, width - paragraph.indent)
        if any(word_width > narrowest for word_width, _ in _words(paragraph)):
            return True
    return False


def paragraph_height(paragraph: Paragraph, width: float, first: bool) -> float:
    lines = len(wrap(paragraph, width))
    before = 0.0 if first else paragraph.space_before
    return before + lines * line_height(paragraph.size, paragraph.line_spacing)


def text_height(paragraphs: list[Paragraph], frame: Frame) -> float:
    """Height the paragraphs take inside the frame's insets."""
    width = frame.width - frame.inset_left - frame.inset_right
    return sum(paragraph_height(p, width, first=index == 0) for index, p in enumerate(paragraphs))


def fits(paragraphs: list[Paragraph], frame: Frame) -> bool:
    return text_height(paragraphs, frame) <= frame.height - frame.inset_top - frame.inset_bottom


def split_to_fit(paragraphs: list[Paragraph], frame: Frame) -> list[list[Paragraph]]:
    """Pages of paragraphs that each fit the frame, balanced so no page is a lonely leftover.

    A paragraph is never cut in two: one too tall for a whole frame is an
    error for the caller to report (it means the text must be shortened).
    """
    pages: list[list[Paragraph]] = [[]]
    for paragraph in paragraphs:
        if pages[-1] and not fits([*pages[-1], paragraph], frame):
            pages.append([])
        pages[-1].append(paragraph)
    if len(pages) > 1:
        pages = _balance(pages, frame)
    return pages


def _balance(pages: list[list[Paragraph]], frame: Frame) -> list[list[Paragraph]]:
    """Move paragraphs from full pages to the last one while everything still fits."""
    changed = True
    while changed:
        changed = False
        for index in range(len(pages) - 1, 0, -1):
            previous, current = pages[index - 1], pages[index]
            if len(previous) > 1 and text_height(current, frame) < text_height(previous, frame):
                candidate = [previous[-1], *current]
                if fits(candidate, frame) and text_height(candidate, frame) <= text_height(previous, frame):
                    pages[index - 1], pages[index] = previous[:-1], candidate
                    changed = True
    return pages
