"""Where sources live on disk. Standard library only: a build that has nothing to do must start fast."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Names of folders and files: an id (“micro-work”) and a language code (“fr”, “de-CH”). Nothing else
# may name a path, so no name can lead out of sources/.
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LANGUAGE_TAG = r"^[a-z]{2,3}(?:-[A-Z]{2})?$"


def is_id(name: object) -> bool:
    return isinstance(name, str) and re.fullmatch(SLUG, name) is not None


def is_language(name: object) -> bool:
    return isinstance(name, str) and re.fullmatch(LANGUAGE_TAG, name) is not None


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
        # Not only regular files: a FIFO or a dangling link named like a source is reported, never skipped.
        # “.yml” files are listed too, so that checking refuses them with a message (“rename fr.yml to
        # fr.yaml”) rather than skipping them silently. They are not read as sources: outputs, originals of
        # translations, records and readings are all found by “<language>.yaml”, and a folder holding both
        # fr.yml and fr.yaml would have two French editions.
        return [
            SourceFile(kind, path.parent.name, path.stem, path)
            for path in sorted([*folder.glob("*/*.yaml"), *folder.glob("*/*.yml")])
            if not path.is_dir()
        ]
