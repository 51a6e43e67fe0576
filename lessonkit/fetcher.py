"""What WeasyPrint may read while rendering: the lesson's own folder, layouts/, data: URIs. Nothing else.

Lesson files are shared between colleagues. A source must not be able to
read the machine (``file:///etc/passwd``, ``../../``, a symlink pointing out
of the folder) or call the network. Every refusal stops the render with a
``FetchRefused`` error the build reports in plain words.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class FetchRefused(FatalURLFetchingError):
    """A resource outside the allowed folders was asked for. (A BaseException, as WeasyPrint requires.)"""

    def __init__(self, url: str, reason: str):
        super().__init__(f"refused to read {url}: {reason}")
        self.url = url
        self.reason = reason


class ConfinedFetcher(URLFetcher):
    """Serves ``data:`` URIs and files that really lie inside ``roots`` (after resolving symlinks)."""

    def __init__(self, roots: list[Path]):
        # fetch() reads files itself and hands WeasyPrint's own fetch data: URIs alone: a second fence
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise FetchRefused(url, "lessons may only use files from their own folder, not the network")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise FetchRefused(url, "the file lies outside the lesson's folder")
        if not path.is_file():
            raise FetchRefused(url, "there is no such file")
        mime, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
        )
