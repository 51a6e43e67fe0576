"""The confined fetcher: the only files WeasyPrint may read are the lesson's folder and layouts/.

README: “A lesson can only use files of its own folder: a path such as
../../secret or a link to the network is refused, because lessons are shared
between colleagues.” ``ConfinedFetcher`` is stable API; it is tested directly.
"""

from __future__ import annotations

import base64
import http.server
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from weasyprint.urls import FatalURLFetchingError, URLFetcher
from weasyprint.urls import fetch as weasyprint_fetch

from lessonkit.fetcher import ConfinedFetcher, FetchRefused


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    """``lesson/`` (allowed) and, beside it, ``lesson-evil/``: a folder whose name starts with the lesson's."""
    lesson, evil, layouts = tmp_path / "lesson", tmp_path / "lesson-evil", tmp_path / "layouts"
    for folder, text in ((lesson, "mine"), (evil, "secret"), (layouts, "style")):
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / "file.txt").write_text(text, encoding="utf-8")
    return {"lesson": lesson, "evil": evil, "layouts": layouts, "top": tmp_path}


def fetched(fetcher: ConfinedFetcher, url: str) -> bytes:
    response = fetcher.fetch(url)
    return response.read()


def test_files_of_the_allowed_folders_are_served(folders):
    """The lesson's own files and the layouts are readable (the positive control of the refusals below)."""
    fetcher = ConfinedFetcher([folders["lesson"], folders["layouts"]])
    assert fetched(fetcher, (folders["lesson"] / "assets" / "file.txt").as_uri()) == b"mine"
    assert fetched(fetcher, (folders["layouts"] / "assets" / "file.txt").as_uri()) == b"style"


def test_a_sibling_folder_whose_name_starts_like_the_lessons_is_refused(folders):
    """README: “A lesson can only use files of its own folder”. ``lesson-evil/`` starts with the text of
    ``lesson``: comparing paths as strings would serve it."""
    fetcher = ConfinedFetcher([folders["lesson"]])
    url = (folders["evil"] / "assets" / "file.txt").as_uri()
    assert str(folders["evil"]).startswith(str(folders["lesson"]))  # the trap is set
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch(url)
    assert refused.value.url == url and "outside" in refused.value.reason
    assert str(refused.value) == f"refused to read {url}: {refused.value.reason}"  # what a log would show


@pytest.mark.parametrize(
    "where",
    [
        lambda f: (f["lesson"] / "assets" / ".." / ".." / "lesson-evil" / "assets" / "file.txt").as_uri(),
        lambda f: f"file://{f['lesson']}/assets/../../lesson-evil/assets/file.txt",
        lambda f: f"file://{f['lesson']}/%2E%2E/lesson-evil/assets/file.txt",
        lambda f: (f["top"] / "secret.txt").as_uri(),
    ],
    ids=["dot-dot", "dot-dot-raw", "dot-dot-escaped", "parent"],
)
def test_paths_climbing_out_of_the_folder_are_refused(folders, where):
    """README: “a path such as ../../secret … is refused”."""
    (folders["top"] / "secret.txt").write_text("secret", encoding="utf-8")
    with pytest.raises(FetchRefused):
        ConfinedFetcher([folders["lesson"]]).fetch(where(folders))


def test_a_symlink_pointing_out_of_the_folder_is_refused(folders):
    """README: lessons only use files of their own folder — a link inside it that points out does not count."""
    link = folders["lesson"] / "assets" / "link.txt"
    link.symlink_to(folders["evil"] / "assets" / "file.txt")
    with pytest.raises(FetchRefused):
        ConfinedFetcher([folders["lesson"]]).fetch(link.as_uri())


@pytest.mark.parametrize("url", ["https://example.org/x.png", "http://127.0.0.1/", "ftp://example.org/x"])
def test_the_network_is_refused(folders, url):
    """README: “… or a link to the network is refused”."""
    with pytest.raises(FetchRefused) as refused:
        ConfinedFetcher([folders["lesson"]]).fetch(url)
    assert "network" in refused.value.reason


def test_data_uris_are_served(folders):
    """QR codes reach WeasyPrint as data: URIs; they must still be served."""
    assert fetched(ConfinedFetcher([folders["lesson"]]), "data:text/plain,hello") == b"hello"


NETWORK = "lessons may only use files from their own folder, not the network"
OUTSIDE = "the file lies outside the lesson's folder"
MISSING = "there is no such file"


def refusal(fetcher: ConfinedFetcher, url: str) -> FetchRefused:
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch(url)
    assert refused.value.url == url
    assert str(refused.value) == f"refused to read {url}: {refused.value.reason}"  # what the build prints
    return refused.value


def test_a_data_uri_is_served_with_its_bytes_and_type(folders):
    """A QR code reaches WeasyPrint as a data: URI: its exact bytes, with the type the URI declares."""
    png = b"\x89PNG\r\n\x1a\n\x00\x01"
    url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    response = ConfinedFetcher([folders["lesson"]]).fetch(url)
    assert (response.read(), response.content_type) == (png, "image/png")


def test_a_data_uri_is_served_whatever_the_case_of_its_scheme(folders):
    """URL schemes ignore case (RFC 3986): ``DATA:`` is a data: URI, not the network."""
    response = ConfinedFetcher([folders["lesson"]]).fetch("DATA:text/plain,hello")
    assert (response.read(), response.content_type) == (b"hello", "text/plain")


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("picture.png", "image/png"), ("style.css", "text/css"), ("drawing.svg", "image/svg+xml"), ("data.qqq", None)],
)
def test_a_file_of_the_folder_is_served_with_its_bytes_type_and_real_address(folders, name, content_type):
    """WeasyPrint decodes by the Content-Type (an unknown kind is plain bytes, never guessed as text) and
    resolves relative links from the response's address: the file's own, with “..” resolved."""
    path = folders["lesson"] / "assets" / name
    path.write_bytes(b"\x00bytes\xff")
    response = ConfinedFetcher([folders["lesson"]]).fetch(f"file://{folders['lesson']}/assets/../assets/{name}")
    assert response.read() == b"\x00bytes\xff"
    assert response.content_type == (content_type or "application/octet-stream")
    assert response.url == path.resolve().as_uri()


def test_a_symlink_inside_the_folder_is_served_from_its_target(folders):
    """A link that stays inside the folder is fine; the address served is the target's."""
    target = folders["lesson"] / "assets" / "file.txt"
    (folders["lesson"] / "link.txt").symlink_to(target)
    response = ConfinedFetcher([folders["lesson"]]).fetch((folders["lesson"] / "link.txt").as_uri())
    assert (response.read(), response.url) == (b"mine", target.resolve().as_uri())


def test_a_file_url_is_recognized_whatever_the_case_of_its_scheme(folders):
    """``FILE:`` is a file URL: served inside the folder, refused outside it (never mistaken for the network)."""
    fetcher = ConfinedFetcher([folders["lesson"]])
    inside = "FILE://" + str(folders["lesson"] / "assets" / "file.txt")
    assert fetcher.fetch(inside).read() == b"mine"
    outside = "FILE://" + str(folders["evil"] / "assets" / "file.txt")
    assert refusal(fetcher, outside).reason == OUTSIDE


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/x.png",
        "http://127.0.0.1/",
        "ftp://example.org/x",
        "HTTPS://EXAMPLE.ORG/X.PNG",
        "smb://host/share/x.png",
        "javascript:alert(1)",
        "mailto:someone@example.org",
    ],
)
def test_every_scheme_but_data_and_file_is_refused_as_the_network(folders, url):
    """README: “… or a link to the network is refused”: the exact reason the teacher reads."""
    assert refusal(ConfinedFetcher([folders["lesson"]]), url).reason == NETWORK


@pytest.mark.parametrize(
    "where",
    [
        lambda f: (f["evil"] / "assets" / "file.txt").as_uri(),
        lambda f: f"file://{f['lesson']}/assets/../../lesson-evil/assets/file.txt",
        lambda f: f"file://{f['lesson']}/%2E%2E/lesson-evil/assets/file.txt",
        lambda f: f"file://{f['lesson']}/assets/%2e%2e%2f%2e%2e%2flesson-evil/assets/file.txt",
        lambda f: "file:///etc/passwd",
        lambda f: f"file://{f['top']}",
    ],
    ids=["sibling folder", "dot-dot", "escaped dot-dot", "escaped slashes", "system file", "parent folder"],
)
def test_a_file_outside_the_folders_is_refused_as_outside(folders, where):
    """Percent-escapes are decoded before the path is resolved, so “%2E%2E” climbs like “..” — and is refused."""
    url = where(folders)
    assert refusal(ConfinedFetcher([folders["lesson"], folders["layouts"]]), url).reason == OUTSIDE


def test_a_symlink_out_is_refused_as_outside(folders):
    link = folders["lesson"] / "assets" / "link.txt"
    link.symlink_to(folders["evil"] / "assets" / "file.txt")
    assert refusal(ConfinedFetcher([folders["lesson"]]), link.as_uri()).reason == OUTSIDE


@pytest.mark.parametrize("relative", ["assets/missing.png", "assets", ""], ids=["missing", "folder", "root"])
def test_what_is_not_a_file_inside_is_refused_as_missing(folders, relative):
    """A missing file, or a folder, is never served (a folder would list its files)."""
    url = (folders["lesson"] / relative).as_uri()
    assert refusal(ConfinedFetcher([folders["lesson"]]), url).reason == MISSING


def test_a_broken_data_uri_stops_the_render(folders):
    """A data: URI WeasyPrint cannot read (a QR code gone wrong) is an error that stops the render, not a
    warning and a blank square in the printed sheet."""
    fetcher = ConfinedFetcher([folders["lesson"]])
    with pytest.raises(FatalURLFetchingError), weasyprint_fetch(fetcher, "data:image/png;base64"):
        pass
    with weasyprint_fetch(fetcher, "data:text/plain,fine") as response:  # the positive control
        assert response.read() == b"fine"


def test_a_refusal_stops_the_render_with_its_reason(folders):
    """WeasyPrint lets a FetchRefused through unchanged, so the build prints its reason."""
    fetcher = ConfinedFetcher([folders["lesson"]])
    with pytest.raises(FetchRefused) as refused, weasyprint_fetch(fetcher, "https://example.org/x.png"):
        pass
    assert refused.value.reason == NETWORK


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x.png", "file:///etc/passwd"], ids=["network", "file"])
def test_the_fetch_underneath_takes_data_uris_alone(folders, url):
    """A second fence: WeasyPrint's own fetch, which ConfinedFetcher.fetch only calls for data: URIs, is set to
    refuse every other protocol, should a WeasyPrint version ever call it directly (nothing is read; no
    connection is made)."""
    fetcher = ConfinedFetcher([folders["lesson"]])
    with pytest.raises(ValueError, match="disallowed protocol"):
        URLFetcher.fetch(fetcher, url)
    assert URLFetcher.fetch(fetcher, "data:text/plain,fine").read() == b"fine"  # what it is there for


@pytest.fixture
def redirecting_server(monkeypatch):
    """A web server on 127.0.0.1 whose every address redirects to /elsewhere; no proxy in between."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/elsewhere":
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"followed")
            else:
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_opener_underneath_follows_no_redirect(folders, redirecting_server):
    """The second fence again: the opener ConfinedFetcher is built on has no redirect handler, so even an
    address it were made to open could not send it on elsewhere (the answer is an error, not the target)."""
    fetcher = ConfinedFetcher([folders["lesson"]])
    with urllib.request.urlopen(f"{redirecting_server}/elsewhere", timeout=5) as direct:  # the server works
        assert direct.read() == b"followed"
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.OpenerDirector.open(fetcher, f"{redirecting_server}/start", timeout=5)
    assert answer.value.code == 302
    answer.value.close()
