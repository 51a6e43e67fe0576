"""The library: every lesson and language, and a download button for each output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ...formats import FORMATS
from ...sources import Sources
from ..pages import page, project_of
from ..paths import download_name, not_found, output_path


@dataclass(frozen=True)
class Output:
    name: str  # worksheet.pdf
    download: str  # digital-labor_fr_worksheet.pdf
    exists: bool


@dataclass(frozen=True)
class Edition:
    lesson: str
    language: str
    source: Path
    outputs: tuple[Output, ...]


def editions(sources: Path, outputs: Path) -> list[Edition]:
    """Every lesson edition under ``sources/``, with the outputs it has on disk."""
    found = []
    for source in Sources(sources).lessons():
        built = tuple(
            Output(
                name,
                download_name(source.id, source.language, name),
                (outputs / source.id / source.language / name).is_file(),
            )
            for format_ in FORMATS.values()
            for name in format_.outputs
        )
        found.append(Edition(source.id, source.language, source.path, built))
    return found


async def library_page(request: Request) -> Response:
    project = project_of(request)
    return page(request, "library.html.j2", title="Your lessons", editions=editions(project.sources, project.outputs))


async def download(request: Request) -> Response:
    """One built output, under a name that says which lesson and language it is."""
    lesson, language, name = (request.path_params[key] for key in ("lesson", "language", "name"))
    path = output_path(project_of(request).outputs, lesson, language, name)
    if not path.is_file():
        raise not_found("This output has not been built yet.")
    return FileResponse(path, filename=download_name(lesson, language, name))


routes = [
    Route("/", library_page, name="library"),
    Route("/download/{lesson}/{language}/{name}", download, name="download"),
]
