"""Building outputs: which documents, where they go, written so nothing is ever half-written.

Every output is written to a temporary file in its own folder and renamed
into place, so a failed or interrupted build leaves the previous good file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .model import Document

WORKSHEET, ANSWER_KEY, SLIDES = "worksheet.pdf", "answer-key.pdf", "slides.pptx"


@dataclass
class Built:
    """One output that landed, for the progress line and the summary."""

    path: Path
    pages: int
    seconds: float


@dataclass
class DocumentResult:
    document: Document
    built: list[Built] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def output_folder(outputs: Path, document: Document) -> Path:
    return outputs / document.lesson.id / document.lesson.language


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed onto it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix + ".part", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build_pdfs(document: Document, outputs: Path, renderer, paper: str = "a4") -> DocumentResult:
    """The worksheet and the answer key of one document."""
    from .render_pdf import RenderError

    result = DocumentResult(document)
    started = time.perf_counter()
    try:
        rendered = renderer.render(document, paper)
    except RenderError as error:
        result.error = str(error)
        return result
    result.warnings += rendered.warnings
    folder = output_folder(outputs, document)
    for name, laid_out in ((WORKSHEET, rendered.worksheet), (ANSWER_KEY, rendered.answer_key)):
        _write(result, folder / name, rendered.pages, started, lambda path, doc=laid_out: renderer.write(doc, path))
        started = time.perf_counter()
    return result


def build_deck(document: Document, outputs: Path, renderer, answers: str = "slides") -> DocumentResult:
    """The slide deck of one document."""
    from .render_pptx import DeckError

    result = DocumentResult(document)
    started = time.perf_counter()
    try:
        deck = renderer.render(document, answers=answers)
    except DeckError as error:
        result.error = str(error)
        return result
    result.warnings += deck.warnings
    target = output_folder(outputs, document) / SLIDES
    _write(result, target, deck.slides, started, lambda path: renderer.write(deck.presentation, path))
    return result


def _write(result: DocumentResult, target: Path, pages: int, started: float, write: Callable[[Path], None]) -> None:
    with atomic_output(target) as temporary:
        write(temporary)
    result.built.append(Built(target, pages, time.perf_counter() - started))
