"""The output formats, listed once: what each writes, which options shape it, where its renderer is.

``build`` plans, builds and records outputs by walking this table; the CLI
reads it for ``--formats`` and its counts. A renderer is named by its module
and class and imported only when a build needs it, so a build with nothing
to do imports none. Standard library only: the no-op path imports this.

A renderer's ``render(document)`` returns an object with ``warnings`` and, for
the formats built by ``build.build_files``, ``files``: (name, count, bytes)
for each output (the count is pages, slides or questions, or None).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str  # as given to --formats
    outputs: tuple[str, ...]  # the files it writes into outputs/<lesson>/<language>/
    option_keys: tuple[str, ...]  # the build options that shape it: a change of one rebuilds it
    renderer: str  # "module:Class", imported lazily
    builder: str = "build_files"  # the function of ``build`` that renders and writes it
    unit: str = ""  # what the count printed after each file counts ("pages", "slides"); "" prints none
    alone: bool = False  # built in a task of its own (it takes seconds): workers share the work evenly

    def load(self):
        """A new renderer of this format (its module imported now)."""
        module, name = self.renderer.split(":")
        return getattr(importlib.import_module(module), name)()


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "pdf",
            ("worksheet.pdf", "answer-key.pdf"),
            ("paper",),
            "lessonkit.render.pdf:PdfRenderer",
            "build_pdfs",
            "pages",
            alone=True,
        ),
        Format(
            "pptx", ("slides.pptx",), ("answers",), "lessonkit.render.pptx:DeckRenderer", "build_deck", "slides", True
        ),
        Format("docx", ("worksheet.docx", "answer-key.docx"), ("paper",), "lessonkit.render.docx:DocxRenderer"),
        Format("html", ("handout.html", "handout-key.html"), (), "lessonkit.render.handout:HandoutRenderer"),
        Format("moodle", ("quiz.moodle.xml",), (), "lessonkit.render.moodle:MoodleRenderer", unit="questions"),
    )
}
FORMAT_NAMES = tuple(FORMATS)
BY_OUTPUT: dict[str, Format] = {output: f for f in FORMATS.values() for output in f.outputs}


def parse_formats(text: str) -> tuple[str, ...]:
    """``"pdf,pptx"`` → ``("pdf", "pptx")``, in the registry's order; ValueError naming an unknown one."""
    names = {name.strip().lower() for name in text.split(",") if name.strip()}
    unknown = sorted(names - set(FORMATS))
    if unknown or not names:
        raise ValueError(f"unknown format {', '.join(unknown) or '(none)'}; choose among {', '.join(FORMATS)}")
    return tuple(name for name in FORMATS if name in names)
