"""Rendering the app's pages: one Jinja environment over templates/, and the static folder."""

from __future__ import annotations

from pathlib import Path

from jinja2 import pass_context
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from .. import __version__

HERE = Path(__file__).parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
# Every page shows teachers' own texts (titles, mistakes, translations): escaped everywhere. Jinja's default
# only escapes names ending in .html or .xml, and these templates end in .j2.
templates.env.autoescape = True
templates.env.globals["version"] = __version__


@pass_context
def path_for(context, route: str, /, **params) -> str:
    """A route's path (``/download/…``), not a full address: the page works under any host name."""
    return str(context["request"].app.url_path_for(route, **params))


templates.env.globals["path_for"] = path_for


def page(request: Request, template: str, status_code: int = 200, **context) -> Response:
    """A full HTML page from ``templates/<template>`` (it extends base.html.j2)."""
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def project_of(request: Request):
    """The app's ``Project`` (root, outputs, previewer)."""
    return request.app.state.lessonkit
