"""Where the layouts are: templates, stylesheets, fonts, icons, label catalogs, the slide template.

``layouts/`` is data, not code. Anything that keeps what it read from there
beyond one build (label catalogs, parsed stylesheets, the slide template, the
renderers holding them) keys it by ``version()``, so ``watch`` and a later
build see an edited layout at once.
"""

from __future__ import annotations

from pathlib import Path

LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


def layout_files(layouts: Path = LAYOUTS) -> list[Path]:
    return sorted(path for path in layouts.rglob("*") if path.is_file() and not path.name.startswith("."))


def version(layouts: Path = LAYOUTS) -> tuple:
    """A value that changes whenever a layout file is added, removed or edited (names, sizes, times)."""
    stamps = []
    for path in layout_files(layouts):
        stat = path.stat()
        stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)
