"""The editing API (JSON) the edit, translation and library pages call: read, check, save, undo, upload,
new lesson, new translation.

Every path comes from ``paths.source_path`` or ``paths.confined`` (404 for any other name); the work
itself is in ``editing`` (no HTTP there). Answers are JSON; a refusal is ``{"error": "plain words"}``
with its status (400, 404, 409, 413, 422). Checking and saving run in a worker thread: the server
keeps answering while a lesson is checked.

    GET  /api/source/{kind}/{id}/{language}   → {"text", "file", "can_undo", "problems"}
    POST /api/check/{kind}/{id}/{language}    {"text"} → {"problems"}   (nothing is written)
    POST /api/save/{kind}/{id}/{language}     {"text"} → {"saved", "changed", "problems", "can_undo", "preview"}
    POST /api/undo/{kind}/{id}/{language}     → as GET source
    POST /api/upload/{kind}/{id}              multipart “file” (and “replace”: "true") → {"path"}
    POST /api/new                             {"id", "language", "title"} → {"edit", "files"}
    POST /api/translate/{id}                  {"to", "from"} → {"edit", "files"}

A problem is ``{"file", "line", "column", "field", "message", "severity"}``: ``file`` is relative to
the project (a problem may lie in a reading or an original, not in the edited file); ``field`` is
written as ``lessonkit check`` writes it (``activity.questions.2.prompt``, items counted from 1).
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ...sources import is_id, is_language
from .. import editing
from ..pages import project_of
from ..paths import KINDS, confined, not_found, source_path

# A JSON body holds one source (2 MB at most, see yamlsafe) with room for escapes: a larger text still
# gets its plain problem (“larger than 2 MB”) from the check; beyond this the answer is 413.
MAX_BODY_BYTES = 16 * 1024 * 1024
# A picture and the multipart form around it.
MAX_UPLOAD_BODY_BYTES = editing.MAX_PICTURE_BYTES + 64 * 1024

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class _BodyTooLarge(Exception):
    pass


def api(endpoint):
    """Refusals as ``{"error": …}`` with their status; a failed write or a bug answers 500 in plain words."""

    @functools.wraps(endpoint)
    async def answer(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ApiError as error:
            return _error(error.status, error.message)
        except editing.Refused as refused:
            return _error(refused.status, refused.message)
        except HTTPException as error:
            return _error(error.status_code, error.detail)
        except _BodyTooLarge:
            return _error(413, "the request is too large; nothing was stored")
        except OSError as error:  # a full disk, a folder without permission: nothing was changed
            log.exception("%s failed", request.url.path)
            return _error(500, f"a file could not be read or written ({error.strerror or error}); nothing was changed")
        except Exception as error:  # a bug of ours: the page gets JSON it can show, the server keeps running
            log.exception("%s failed", request.url.path)
            message = (
                f"lessonkit hit an internal error ({type(error).__name__}); reload the page to see what is saved, "
                "and report it with the lesson file if it happens again"
            )
            return _error(500, message)

    return answer


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


# --------------------------------------------------------------------------- requests


def _source(request: Request) -> tuple[object, str, Path]:
    """The project, the kind and the file a route names; 404 unless its lesson or reading folder exists."""
    project = project_of(request)
    kind, document_id, language = (request.path_params[key] for key in ("kind", "id", "language"))
    path = source_path(project.root, kind, document_id, language)
    if not path.parent.is_dir():
        raise not_found()
    return project, kind, path


async def _body(request: Request, limit: int) -> bytes:
    """The request's body, read as it comes: never more than ``limit`` bytes kept."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise _BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _BodyTooLarge
    return bytes(body)


async def _json(request: Request) -> dict:
    try:
        data = json.loads(await _body(request, MAX_BODY_BYTES))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
        raise ApiError(400, "the request is not JSON text; reload the page and try again") from None
    if not isinstance(data, dict):
        raise ApiError(400, "the request is not a set of fields (a JSON object); reload the page and try again")
    return data


def _field(data: dict, name: str, *, optional: bool = False) -> str | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"the request has no text “{name}”; reload the page and try again")
    return value


def _file(project, path: Path) -> str:
    return editing.relative(project.root, path)


# --------------------------------------------------------------------------- routes


@api
async def get_source(request: Request) -> Response:
    project, kind, path = _source(request)
    if not path.exists():
        raise not_found("This lesson has no file in this language.")
    return JSONResponse(await run_in_threadpool(_source_answer, project, kind, path))


def _source_answer(project, kind: str, path: Path) -> dict:
    text = editing.read_text(path)
    return {
        "text": text,
        "file": _file(project, path),
        "can_undo": editing.can_undo(path),
        "problems": editing.check(project.sources, kind, path, text),
    }


@api
async def check(request: Request) -> Response:
    project, kind, path = _source(request)
    text = _field(await _json(request), "text")
    return JSONResponse({"problems": await run_in_threadpool(_checked, project, kind, path, text)})


def _checked(project, kind: str, path: Path, text: str) -> list[dict]:
    """The check never fails the editor: a bug of ours becomes a problem at line 1, said plainly."""
    try:
        return editing.check(project.sources, kind, path, text)
    except Exception as error:
        log.exception("checking %s failed", path)
        message = (
            f"lessonkit could not check this text (an internal error: {type(error).__name__}); your text is "
            "unchanged. Save it, and report the problem with the lesson file."
        )
        problem = {"file": _file(project, path), "line": 1, "column": 1, "field": "", "message": message}
        return [problem | {"severity": "error"}]


@api
async def save(request: Request) -> Response:
    project, kind, path = _source(request)
    text = _field(await _json(request), "text")

    def work() -> dict:
        changed = editing.save(path, editing.encoded(text))
        return {
            "saved": True,
            "changed": changed,
            "problems": _checked(project, kind, path, text),
            "can_undo": editing.can_undo(path),
            "preview": _refresh_previews(project, kind, path),
        }

    return JSONResponse(await run_in_threadpool(work))


@api
async def undo(request: Request) -> Response:
    project, kind, path = _source(request)

    def work() -> dict:
        editing.undo(path)
        answer = _source_answer(project, kind, path)
        return answer | {"preview": _refresh_previews(project, kind, path)}

    return JSONResponse(await run_in_threadpool(work))


def _refresh_previews(project, kind: str, path: Path) -> list[str]:
    """Ask the preview to redraw what the saved file shows in: ``["<lesson>/<language>", …]``."""
    previewer = project.previewer
    if previewer is None:
        return []
    language = path.stem
    lessons = (
        [path.parent.name]
        if kind == "lesson"
        else editing.lessons_including(project.sources, path.parent.name, language)
    )
    asked = []
    for lesson in lessons:
        try:
            previewer.request(lesson, language)
            asked.append(f"{lesson}/{language}")
        except Exception:  # the preview is a help: a failing one never fails the save
            log.exception("the preview of %s/%s could not be requested", lesson, language)
    return asked


@api
async def upload(request: Request) -> Response:
    project = project_of(request)
    kind, document_id = request.path_params["kind"], request.path_params["id"]
    if kind not in KINDS or not is_id(document_id):
        raise not_found()
    folder = confined(project.sources, KINDS[kind], document_id)  # a reading's pictures sit beside it too
    confined(folder, "assets")  # a link named assets is never followed
    if not folder.is_dir():
        raise not_found()
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_UPLOAD_BODY_BYTES:
        return _too_large()
    limited = Request(request.scope, _limited(request.receive, MAX_UPLOAD_BODY_BYTES))
    try:
        form = await limited.form(max_files=1, max_fields=4)
    except _BodyTooLarge:
        return _too_large()
    except HTTPException as error:
        raise ApiError(400, f"the upload could not be read ({error.detail}); try again") from None
    try:
        picture = form.get("file")
        if picture is None or isinstance(picture, str):
            raise ApiError(400, "choose a picture to upload (the form has no file)")
        data = await picture.read()
        replace = str(form.get("replace", "")).lower() in ("1", "true", "yes", "on")
        stored = await run_in_threadpool(editing.store_picture, folder, picture.filename, data, replace)
    finally:
        await form.close()
    return JSONResponse({"path": stored})


def _too_large() -> Response:
    return _error(413, "the picture is larger than 20 MB, the limit for pictures (make it smaller); nothing was stored")


def _limited(receive, limit: int):
    """``receive`` that stops the request once more than ``limit`` bytes of body have come."""
    seen = 0

    async def limited_receive():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _BodyTooLarge
        return message

    return limited_receive


@api
async def new_lesson(request: Request) -> Response:
    from ...starter import StarterError, write_starter

    project = project_of(request)
    data = await _json(request)
    lesson, language = _field(data, "id"), _field(data, "language")
    title = _field(data, "title", optional=True)
    if is_id(lesson) and is_language(language):
        folder = source_path(project.root, "lesson", lesson, language).parent  # 404 for a linked folder
        if folder.is_dir() and any(folder.glob("*.yaml")):
            raise ApiError(400, f"there is already a lesson “{lesson}”; choose another id (or translate it)")

    def work() -> list[Path]:
        try:
            return write_starter(project.root, lesson, language, title, schemas=False)  # only sources/ is written
        except StarterError as error:
            raise ApiError(400, str(error)) from None

    written = await run_in_threadpool(work)
    return JSONResponse(
        {"edit": f"/edit/lesson/{lesson}/{language}", "files": [_file(project, path) for path in written]}
    )


@api
async def translate(request: Request) -> Response:
    from ...errors import SourceError
    from ...translation_files import TranslateError, start_translation

    project = project_of(request)
    lesson = request.path_params["id"]
    if not is_id(lesson) or not confined(project.sources, "lessons", lesson).is_dir():
        raise not_found("No such lesson.")
    data = await _json(request)
    language, original = _field(data, "to"), _field(data, "from", optional=True)
    if is_language(language):
        source_path(project.root, "lesson", lesson, language)  # 404 for a linked file

    def work() -> list[tuple[Path, str]]:
        try:
            written = start_translation(project.sources, lesson, language, original)
        except (TranslateError, SourceError) as error:
            raise ApiError(400, str(error)) from None
        return written  # unlike the command line, no schema/ files: the app writes only inside sources/

    written = await run_in_threadpool(work)
    return JSONResponse(
        {
            "edit": str(request.app.url_path_for("translation", kind="lesson", id=lesson, language=language)),
            "files": [{"file": _file(project, path), "note": note} for path, note in written],
        }
    )


routes = [
    Route("/api/source/{kind}/{id}/{language}", get_source, methods=["GET"], name="api-source"),
    Route("/api/check/{kind}/{id}/{language}", check, methods=["POST"], name="api-check"),
    Route("/api/save/{kind}/{id}/{language}", save, methods=["POST"], name="api-save"),
    Route("/api/undo/{kind}/{id}/{language}", undo, methods=["POST"], name="api-undo"),
    Route("/api/upload/{kind}/{id}", upload, methods=["POST"], name="api-upload"),
    Route("/api/new", new_lesson, methods=["POST"], name="api-new"),
    Route("/api/translate/{id}", translate, methods=["POST"], name="api-translate"),
]
