"""The edit page: the source in the code editor beside its preview, and the JSON Schema the editor reads.

The page itself is a shell: edit.js loads the text (``GET /api/source/…``), checks it as the teacher types
(``POST /api/check/…``), saves it (``POST /api/save/…``), undoes a save and uploads pictures through the JSON
routes of views/api.py, and follows the preview (views/preview.py).
"""

from __future__ import annotations

import functools
import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ...schema import SCHEMAS, schema_text
from ..pages import page, project_of
from ..paths import not_found, source_path
from .library import language_name

TRANSLATION = re.compile(rb"^translated_from\s*:", re.MULTILINE)


async def edit_page(request: Request) -> Response:
    kind, document_id, language = (request.path_params[key] for key in ("kind", "id", "language"))
    project = project_of(request)
    path = source_path(project.root, kind, document_id, language)
    if not path.is_file():
        raise not_found("There is no such lesson in this language yet.")
    try:
        is_translation = TRANSLATION.search(path.read_bytes()[:200_000]) is not None
    except OSError:
        is_translation = False
    heading = _title(path) or document_id
    line = request.query_params.get("line", "")
    schema = f"{kind}-translation" if is_translation else kind
    base = f"{kind}/{document_id}/{language}"
    has_translation_page = (
        kind == "lesson"
        and is_translation
        and any(getattr(route, "path", "").startswith("/translate/") for route in request.app.routes)
    )
    return page(
        request,
        "edit.html.j2",
        title=f"{heading} ({language_name(language)})",
        kind=kind,
        document_id=document_id,
        heading=heading,
        language=language,
        language_name=language_name(language),
        file=str(path.relative_to(project.root)),
        urls={
            "source": f"/api/source/{base}",
            "check": f"/api/check/{base}",
            "save": f"/api/save/{base}",
            "undo": f"/api/undo/{base}",
            "upload": f"/api/upload/{kind}/{document_id}",
            "preview": f"/api/preview/{document_id}/{language}" if kind == "lesson" else "",
            "schema": str(request.app.url_path_for("schema", name=f"{schema}.json")),
        },
        line=line if line.isdigit() else "",
        translation_page=f"/translate/{kind}/{document_id}/{language}" if has_translation_page else "",
        scripts=["app.js", "editor.js", "edit.js"],
        styles=["editor.css"] if _has_static("editor.css") else [],
        wide=True,
    )


def _title(path) -> str:
    """The source's title, shown as the page's heading; "" when the file cannot be read as YAML yet."""
    from ...errors import SourceError
    from ...yamlsafe import read_source

    try:
        title = read_source(path)[0].get("title")
    except (SourceError, OSError, ValueError):
        return ""
    return title if isinstance(title, str) else ""


def _has_static(name: str) -> bool:
    from ..pages import STATIC

    return (STATIC / name).is_file()


@functools.lru_cache(maxsize=8)
def _schema(kind: str) -> str:
    return schema_text(kind)


async def schema(request: Request) -> Response:
    """``/schema/lesson.json`` (or ``lesson.schema.json``): the JSON Schema the editor completes from."""
    name = request.path_params["name"].removesuffix(".json").removesuffix(".schema")
    if name not in SCHEMAS:
        raise not_found("No such schema.")
    return Response(_schema(name), media_type="application/schema+json", headers={"cache-control": "no-cache"})


routes = [
    Route("/edit/{kind}/{id}/{language}", edit_page, name="edit"),
    Route("/schema/{name}", schema, name="schema"),
]
