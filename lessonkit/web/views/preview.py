"""The preview beside the editor: the worksheet and key pages and the slides, as the warm worker drew them.

``GET /api/preview/{lesson}/{language}`` says what lessonkit.preview has now (asking it to draw the lesson
the first time), with addresses of images, never paths on disk. ``GET /preview/{lesson}/{language}/{version}/
{file}`` serves one of those PNGs: only a file the current preview names, only inside the preview folder, and
never through a symbolic link. A file is named by what it shows (``worksheet-3.png``, ``slide-12.png``), so the
address says nothing of the folders behind it.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ...sources import is_id, is_language
from ..pages import project_of
from ..paths import confined, not_found

PARTS = {"worksheet": "worksheet", "answer-key": "answer_key", "slide": "slides"}
FILE = re.compile(r"^(worksheet|answer-key|slide)-([1-9][0-9]{0,3})\.png$")
UNAVAILABLE = (
    "The preview is not available in this installation; the editor, the check and the Build button still work."
)


def _edition(request: Request) -> tuple[str, str]:
    lesson, language = request.path_params["lesson"], request.path_params["language"]
    if not is_id(lesson) or not is_language(language):
        raise not_found()
    return lesson, language


def _folder(project) -> Path:
    previewer = project.previewer
    folder = getattr(previewer, "folder", None) or project.outputs / ".preview"
    return Path(folder).resolve()


async def preview_state(request: Request) -> Response:
    lesson, language = _edition(request)
    project = project_of(request)
    if not (project.sources / "lessons" / lesson / f"{language}.yaml").is_file():
        raise not_found()
    previewer = project.previewer
    if previewer is None:
        return JSONResponse({"available": False, "message": UNAVAILABLE})
    try:
        current = await run_in_threadpool(previewer.current, lesson, language)
        if current is None:
            await run_in_threadpool(previewer.request, lesson, language)
    except Exception as error:  # the preview worker's trouble must not break the edit page
        return JSONResponse({"available": False, "message": f"The preview stopped working ({error})."})
    if current is None:
        return JSONResponse(
            {"available": True, "version": None, "busy": True, "stale": False, "problems": [], **_empty()}
        )
    return JSONResponse({"available": True, **describe(current, lesson, language)})


def _empty() -> dict:
    return {"worksheet": [], "answer_key": [], "slides": [], "outline": []}


def describe(preview, lesson: str, language: str) -> dict:
    """A Preview as JSON: image addresses, the slide outline, its problems in plain words."""
    version = preview.version
    base = f"/preview/{lesson}/{language}/{version}"
    images = {
        key: [f"{base}/{prefix}-{number}.png" for number in range(1, len(getattr(preview, key, None) or ()) + 1)]
        for prefix, key in PARTS.items()
    }
    return {
        "version": version,
        "stale": bool(getattr(preview, "stale", False)),
        "busy": bool(getattr(preview, "busy", False)),
        "problems": [_problem(p) for p in getattr(preview, "problems", None) or ()],
        "outline": [_slide(slide) for slide in getattr(preview, "outline", None) or ()],
        **images,
    }


def _problem(problem) -> dict:
    if isinstance(problem, str):
        return {"line": None, "column": None, "field": "", "message": problem}
    return {
        "line": getattr(problem, "line", None),
        "column": getattr(problem, "column", None),
        "field": getattr(problem, "field", "") or "",
        "message": getattr(problem, "message", str(problem)),
    }


def _slide(slide) -> dict:
    if dataclasses.is_dataclass(slide):
        data = dataclasses.asdict(slide)
    else:
        data = {key: getattr(slide, key, None) for key in ("number", "title", "lines", "kind")}
    return {
        "number": data.get("number"),
        "title": str(data.get("title") or ""),
        "lines": [str(line) for line in data.get("lines") or ()],
        "kind": str(data.get("kind") or ""),
    }


async def preview_image(request: Request) -> Response:
    """One page or slide of the current preview, as a PNG from the preview folder."""
    lesson, language = _edition(request)
    version, name = request.path_params["version"], request.path_params["file"]
    match = FILE.fullmatch(name)
    project = project_of(request)
    if match is None or project.previewer is None:
        raise not_found("No such picture.")
    current = await run_in_threadpool(project.previewer.current, lesson, language)
    if current is None or str(current.version) != version:
        raise not_found("This preview was replaced by a newer one.")
    pictures = list(getattr(current, PARTS[match.group(1)], None) or ())
    number = int(match.group(2))
    if number > len(pictures):
        raise not_found("No such picture.")
    path = Path(pictures[number - 1])
    folder = _folder(project)
    try:
        relative = Path(path).resolve(strict=False).relative_to(folder) if path.is_absolute() else path
    except ValueError:
        raise not_found("No such picture.") from None
    if relative.is_absolute() or path.suffix.lower() != ".png":
        raise not_found("No such picture.")
    if path.is_absolute() and path.is_symlink():
        raise not_found("No such picture.")
    safe = confined(folder, *relative.parts)
    if not safe.is_file():
        raise not_found("No such picture.")
    return FileResponse(safe, media_type="image/png", headers={"cache-control": "private, max-age=86400"})


routes = [
    Route("/api/preview/{lesson}/{language}", preview_state, name="preview_state"),
    Route("/preview/{lesson}/{language}/{version}/{file}", preview_image, name="preview_image"),
]
