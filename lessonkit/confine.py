"""Keeping file paths inside the folder they belong to (lessons are shared: no path may reach out)."""

from __future__ import annotations

from pathlib import Path


def inside(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` resolved, if it really lies inside ``folder``: no “..”, no absolute path,
    no URL, no symlink pointing out. Otherwise None."""
    if Path(relative).is_absolute() or ".." in Path(relative).parts or "://" in relative:
        return None
    candidate = (folder / relative).resolve()
    return candidate if candidate.is_relative_to(folder.resolve()) else None
