"""How much room a handwritten answer needs.

Students write by hand: about 60 characters fit on a ruled line (8 mm apart on the sheet),
where a typed line holds about 110. A question's space is computed from its
model answer (each paragraph or bullet starts a new line) plus one spare line,
unless the teacher sets ``lines``; a smaller ``lines`` is worth a warning.
"""

from __future__ import annotations

import math

from . import markup

CHARACTERS_PER_LINE = 60
SPARE_LINES = 1
MAX_LINES = 40


def lines_needed(answer: str) -> int:
    """Ruled lines a student needs to write ``answer`` (a model answer as typed in the source) by hand."""
    lines = sum(max(1, math.ceil(len(text) / CHARACTERS_PER_LINE)) for text in _written_texts(answer))
    return min(MAX_LINES, lines + SPARE_LINES)


def _written_texts(answer: str) -> list[str]:
    texts = []
    for block in markup.parse_blocks(answer):
        items = block.items if isinstance(block, markup.BulletList) else [block.children]
        texts += [markup.plain_text(item) for item in items]
    return texts
