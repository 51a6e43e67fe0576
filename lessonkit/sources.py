"""Where sources live on disk. Standard library only: a build that has nothing to do must start fast."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceFile:
    """A source on disk: which lesson or reading, in which language."""

    kind: str  # "lesson" or "reading"
    id: str
    language: str
    path: Path


class Sources:
    """The ``sources/`` folder of a project."""

    def __init__(self, root: Path):
        self.root = root

    def lessons(self) -> list[SourceFile]:
        return self._find("lesson", self.root / "lessons")

    def readings(self) -> list[SourceFile]:
        return self._find("reading", self.root / "readings")

    def reading_path(self, reading_id: str, language: str) -> Path:
        return self.root / "readings" / reading_id / f"{language}.yaml"

    @staticmethod
    def _find(kind: str, folder: Path) -> list[SourceFile]:
        return [
            SourceFile(kind, path.parent.name, path.stem, path)
            for path in sorted(folder.glob("*/*.yaml"))
            if path.is_file()
        ]
