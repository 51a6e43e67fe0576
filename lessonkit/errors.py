"""Problems found in sources, reported the way a teacher can act on them.

Every problem names the file, the line and column, the field, and says in
plain words what is wrong: ``path:line:col: field.path: message``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int  # 1-based, as editors count
    column: int  # 1-based
    field: str  # dotted path such as ``sections.2.heading`` (items counted from 1), or ""
    message: str

    def __str__(self) -> str:
        where = f"{display_path(self.path)}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class LessonkitError(Exception):
    """Base of the errors lessonkit reports in plain words (never an "internal error")."""


class SourceError(LessonkitError):
    """One or more sources are wrong; nothing was built from them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """The path relative to the working folder when possible: short and clickable. The path as named,
    not where a symlink leads: the teacher looks for the file they wrote."""
    here = Path.cwd()
    for named, folder in ((Path(os.path.abspath(path)), here), (path.resolve(), here.resolve())):
        if named.is_relative_to(folder):
            return str(named.relative_to(folder))
    return str(path)


def field_path(loc: tuple[str | int, ...]) -> str:
    """``("sections", 0, "heading")`` → ``sections.1.heading``: items count from 1, like people do."""
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in loc)


class RenderError(LessonkitError):
    """A document could not be prepared or rendered; the message says why in plain words."""
