"""``create_app(project)``: the Starlette application, its route table and its shared state.

Shaped like datasette: one module per kind of page in views (library, editor, preview, translation),
each exporting ``routes``; templates and static files are package data; the state the views share (the
project, its outputs folder, the preview worker) lives on ``app.state.lessonkit``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from .pages import STATIC, page
from .security import Guard
from .views import api, editor, library, preview, translation

# What a page may load: only the app's own scripts, styles, fonts and pictures (CodeMirror adds <style>
# elements at run time, hence 'unsafe-inline' for styles only). No frame may show the app.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@dataclass
class Project:
    """What every view needs: where the sources are, where outputs go, who renders previews."""

    root: Path
    outputs: Path
    previewer: object | None = None  # lessonkit.preview.Previewer, started with the app

    @property
    def sources(self) -> Path:
        return self.root / "sources"


def create_app(
    root: Path,
    *,
    token: str,
    hosts: frozenset[str] | None,
    outputs: Path | None = None,
    previewer: object | None = None,
) -> Starlette:
    project = Project(root.resolve(), (outputs or root / "outputs").resolve(), previewer)
    routes = [
        *library.routes,
        *editor.routes,
        *preview.routes,
        *api.routes,
        *translation.routes,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=token, hosts=hosts), Middleware(SecurityHeaders)],
        exception_handlers={500: _internal_error},
        lifespan=_lifespan,
    )
    app.state.lessonkit = project
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette):
    yield
    previewer = app.state.lessonkit.previewer
    if previewer is not None:
        previewer.close()


async def _internal_error(request: Request, error: Exception) -> Response:
    """A bug of ours: say so in plain words; the server keeps running and nothing was changed."""
    return page(
        request,
        "error.html.j2",
        status_code=500,
        title="Something went wrong",
        message=f"lessonkit hit an internal error ({type(error).__name__}). Nothing was changed; "
        "go back and try again, and report it with the lesson file if it happens again.",
    )


class SecurityHeaders:
    """Headers for every response: the content policy above, no sniffing, no caching of pages."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                headers += [
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                ]
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
            await send(message)

        await self.app(scope, receive, with_headers)
