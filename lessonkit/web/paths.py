"""Every file the app reads or writes, named from a URL: only inside ``sources/`` and the output folder.

A URL names a lesson or reading by its id and language; both must be the slugs and language tags
the sources use (``sources.is_id``, ``sources.is_language``), so ``..``, ``%2e%2e``, slashes and
absolute paths never reach the disk. The resolved path must still lie inside its root, and no part of
it may be a symbolic link: a link in a colleague's shared folder must not lead the app elsewhere.
"""

from __future__ import annotations

import stat
from pathlib import Path

from starlette.exceptions import HTTPException

from ..formats import BY_OUTPUT
from ..sources import is_id, is_language

KINDS = {"lesson": "lessons", "reading": "readings"}


def not_found(what: str = "No such lesson or language.") -> HTTPException:
    return HTTPException(404, what)


def source_path(project: Path, kind: str, document_id: str, language: str) -> Path:
    """``sources/<lessons|readings>/<id>/<language>.yaml`` (which may not exist yet); 404 for any other name."""
    if kind not in KINDS or not is_id(document_id) or not is_language(language):
        raise not_found()
    return confined(project / "sources", KINDS[kind], document_id, f"{language}.yaml")


def output_path(outputs: Path, lesson: str, language: str, name: str) -> Path:
    """One built output, ``<outputs>/<lesson>/<language>/<name>``; only the registry's file names."""
    if not is_id(lesson) or not is_language(language) or name not in BY_OUTPUT:
        raise not_found("No such output.")
    return confined(outputs, lesson, language, name)


def download_name(lesson: str, language: str, name: str) -> str:
    """A name that stays unique in a Downloads folder: ``digital-labor_fr_worksheet.pdf``."""
    return f"{lesson}_{language}_{name}"


def confined(root: Path, *parts: str) -> Path:
    """``root/part/…`` when no part climbs out and none is a symbolic link (parts not yet made are fine); else 404."""
    path = root.resolve()
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\\" in part or "\0" in part:
            raise not_found()
        path = path / part
        try:
            if stat.S_ISLNK(path.lstat().st_mode):
                raise not_found()
        except FileNotFoundError:
            pass  # not made yet (a new translation, a first upload): nothing there to follow
    return path
