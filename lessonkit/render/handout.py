"""The screen handout: ``handout.html`` for students, ``handout-key.html`` for the teacher.

Each is one self-contained file (Jinja2 templates in ``layouts/html``): the style sheet, the
pictures, the icons and the QR codes are inline as ``data:`` URIs, so it opens from a USB stick,
a learning platform or an e-mail, and fetches nothing. Landmarks, one heading hierarchy, alt text
and ``lang`` on the page and on every foreign span make it readable with a screen reader. The
student version has no answers; the teacher's has the lesson plan, the marking scheme and each
model answer in a ``<details>`` under its question.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..confine import svg_problem
from ..errors import RenderError
from ..layouts import LAYOUTS
from ..prepared import PreparedDocument
from .html import template_environment
from .pictures import raster
from .qr import qr_svg_data_uri

__all__ = ["HANDOUT", "HANDOUT_KEY", "HandoutRenderer", "RenderedHandout"]

HANDOUT, HANDOUT_KEY = "handout.html", "handout-key.html"
WEB_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")  # what every browser shows (Pillow's names); others become PNG


@dataclass
class RenderedHandout:
    files: list[tuple[str, int | None, bytes]]
    warnings: list[str] = field(default_factory=list)


class HandoutRenderer:
    """Writes handouts from prepared documents; the templates, style sheet and icons are read once."""

    def __init__(self, layouts: Path = LAYOUTS):
        self.layouts = layouts
        self.environment = template_environment(layouts / "html", notes="link")
        # the layouts' own style sheet, written as it is (escaped, `a > b` would break); never a source's text
        css = (layouts / "html" / "handout.css").read_text(encoding="utf-8")
        if "</" in css:
            raise RenderError("layouts/html/handout.css may not contain “</”")
        self.css = Markup(css)
        self.icons: dict[str, str] = {}

    def render(self, document: PreparedDocument) -> RenderedHandout:
        images: dict[Path, str] = {}  # each picture encoded once for both files
        files = [
            (name, None, self.html(document, answer_key, images).encode("utf-8"))
            for name, answer_key in ((HANDOUT, False), (HANDOUT_KEY, True))
        ]
        return RenderedHandout(files)

    def html(self, document: PreparedDocument, answer_key: bool, images: dict | None = None) -> str:
        context = _Context(self, document, answer_key, {} if images is None else images)
        return self.environment.get_template("handout.html.j2").render(doc=document, c=context)

    def icon(self, name: str) -> str:
        if name not in self.icons:
            self.icons[name] = data_uri((self.layouts / "icons" / f"{name}.svg").read_bytes(), "image/svg+xml")
        return self.icons[name]


class _Context:
    def __init__(self, renderer: HandoutRenderer, document: PreparedDocument, answer_key: bool, images: dict):
        self.renderer = renderer
        self.answer_key = answer_key
        self.labels = document.labels
        self.css = renderer.css
        self.images = images

    def icon(self, name: str) -> str:
        return self.renderer.icon(name)

    def qr(self, url: str) -> str:
        return qr_svg_data_uri(url)

    def image(self, path: Path) -> str:
        if path not in self.images:
            self.images[path] = picture_data_uri(path)
        return self.images[path]


def data_uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def picture_data_uri(path: Path) -> str:
    """A picture as a ``data:`` URI: PNG, JPEG, GIF, WebP and SVG as they are (an SVG in an ``<img>``
    runs no script and fetches nothing), other formats converted to PNG."""
    media_type = mimetypes.guess_type(path.name)[0]
    if media_type == "image/svg+xml":
        if problem := svg_problem(path):
            raise RenderError(problem)
        return data_uri(path.read_bytes(), media_type)
    return data_uri(*raster(path, keep=WEB_FORMATS))
