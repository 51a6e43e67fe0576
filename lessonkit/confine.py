"""Keeping file paths inside the folder they belong to (lessons are shared: no path may reach out)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path


def reaches_out(relative: str) -> bool:
    """Whether a path, as written, points out of its folder: absolute, with “..”, or a URL."""
    return Path(relative).is_absolute() or ".." in Path(relative).parts or "://" in relative


def inside(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` resolved, if it really lies inside ``folder``: no “..”, no absolute path,
    no URL, no symlink pointing out. Otherwise None."""
    if reaches_out(relative):
        return None
    candidate = (folder / relative).resolve()
    return candidate if candidate.is_relative_to(folder.resolve()) else None


def svg_problem(path: Path) -> str | None:
    """Why an SVG file cannot be used, or None. An SVG must be well-formed and self-contained:
    a reference to another file (``href``) could read the machine or the network."""
    try:
        for _, element in ElementTree.iterparse(path):
            for name, value in element.attrib.items():
                if name.endswith("href") and not value.startswith(("#", "data:")):
                    return f"{path.name} refers to another file ({value}); an SVG must be self-contained"
    except ElementTree.ParseError as error:
        return f"{path.name} is not a valid SVG file ({error})"
    return None
