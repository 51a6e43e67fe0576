"""Where the layouts are: templates, stylesheets, fonts, icons, label catalogs, the slide template.

In a clone of the repository they are the top-level ``layouts/``; in an installed package, the copy
the wheel carries in ``lessonkit/_layouts/``.

``layouts/`` is data, not code. Anything that keeps what it read from there
beyond one build (label catalogs, parsed stylesheets, the slide template, the
renderers holding them) keys it by ``version()``, so ``watch`` and a later
build see an edited layout at once.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def find_layouts(package: Path = PACKAGE) -> Path:
    """The repository's top-level ``layouts/`` when lessonkit runs from a clone (so an edited layout is
    used at once), else the copy installed with the package (``lessonkit/_layouts/``, see pyproject.toml)."""
    beside = package.parent / "layouts"
    if all((beside / part).is_dir() for part in ("labels", "pdf", "pptx")):
        return beside
    return package / "_layouts"


LAYOUTS = find_layouts()


def layout_files(layouts: Path = LAYOUTS) -> list[Path]:
    return sorted(path for path in layouts.rglob("*") if path.is_file() and not path.name.startswith("."))


def version(layouts: Path = LAYOUTS) -> tuple:
    """A value that changes whenever a layout file is added, removed or edited (names, sizes, times)."""
    stamps = []
    for path in layout_files(layouts):
        stat = path.stat()
        stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)
