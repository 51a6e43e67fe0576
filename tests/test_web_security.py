"""The browser app lets in only its own pages (issue 12, must 6): the token, CSRF, hosts, confinement.

Run in process with Starlette's TestClient against a fixture project; the end-to-end tests in a real
Chromium are in test_web_e2e.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lessonkit.web.app import create_app
from lessonkit.web.security import COOKIE, allowed_hosts

TOKEN = "the-one-time-token"
HOST = "testserver"  # what TestClient sends as Host


@pytest.fixture
def app(project):
    (project.root / "outputs" / "sample" / "fr").mkdir(parents=True)
    (project.root / "outputs" / "sample" / "fr" / "worksheet.pdf").write_bytes(b"%PDF-1.7 sheet")
    return create_app(project.root, token=TOKEN, hosts=frozenset({HOST}))


@pytest.fixture
def client(app):
    """A browser that opened the printed address once, so it holds the cookie."""
    with TestClient(app, follow_redirects=False) as browser:
        assert browser.get(f"/?token={TOKEN}").status_code == 303
        yield browser


def test_every_page_needs_the_token(app):
    with TestClient(app) as stranger:
        for path in ("/", "/download/sample/fr/worksheet.pdf", "/static/app.css"):
            response = stranger.get(path)
            assert response.status_code == 401, path
            assert "lessonkit serve" in response.text


def test_the_printed_address_sets_a_strict_cookie_and_drops_the_token_from_the_url(app):
    with TestClient(app, follow_redirects=False) as browser:
        response = browser.get(f"/?token={TOKEN}&x=1")
        assert response.status_code == 303
        assert response.headers["location"] == "/?x=1"
        cookie = response.headers["set-cookie"]
        assert f"{COOKIE}={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert browser.get("/").status_code == 200


def test_a_wrong_token_or_cookie_is_refused(app):
    with TestClient(app, follow_redirects=False) as browser:
        assert browser.get("/?token=guess").status_code == 401
        browser.cookies.set(COOKIE, "guess")
        assert browser.get("/").status_code == 401


def test_an_unknown_host_is_refused_even_with_the_cookie(client):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example."""
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    "headers",
    [{}, {"origin": "http://evil.example"}, {"origin": "null"}, {"referer": "http://evil.example/page"}],
    ids=["no origin", "foreign origin", "null origin", "foreign referer"],
)
def test_a_change_from_another_site_is_refused(client, headers):
    response = client.post("/", headers=headers)
    assert response.status_code == 403
    assert "own page" in response.text


def test_a_post_from_the_apps_own_page_passes_the_csrf_check(client):
    # "/" takes no POST: getting past the guard shows as 405 from the router, not 403
    assert client.post("/", headers={"origin": f"http://{HOST}"}).status_code == 405
    assert client.post("/", headers={"referer": f"http://{HOST}/edit"}).status_code == 405


def test_download_names_the_lesson_and_language(client):
    response = client.get("/download/sample/fr/worksheet.pdf")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 sheet"
    assert 'filename="sample_fr_worksheet.pdf"' in response.headers["content-disposition"]


@pytest.mark.parametrize(
    "path",
    [
        "/download/../fr/worksheet.pdf",
        "/download/%2e%2e/fr/worksheet.pdf",
        "/download/sample/%2e%2e/worksheet.pdf",
        "/download/sample/fr/..%2f..%2fsources%2flessons%2fsample%2ffr.yaml",
        "/download/sample/fr/%2fetc%2fpasswd",
        "/download/sample/fr/fr.yaml",
        "/download/Sample/fr/worksheet.pdf",
        "/download/sample/fr/slides.pptx",  # a known name, not built yet
    ],
)
def test_downloads_never_leave_the_output_folder(client, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert b"root:" not in response.content and b"id: sample" not in response.content


def test_a_symbolic_link_in_the_outputs_is_not_followed(client, project, tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF secret")
    elsewhere = project.root / "outputs" / "sample" / "de"
    elsewhere.mkdir()
    os.symlink(secret, elsewhere / "worksheet.pdf")
    os.symlink(project.root / "outputs" / "sample" / "fr", project.root / "outputs" / "sample" / "it")
    assert client.get("/download/sample/de/worksheet.pdf").status_code == 404
    assert client.get("/download/sample/it/worksheet.pdf").status_code == 404


def test_pages_carry_a_content_policy_that_loads_nothing_from_elsewhere(client):
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert 'href="/static/app.css"' in response.text or "/static/app.css" in response.text
    assert "http" not in response.text.split("<body", 1)[0].replace('"http-equiv', "")


def test_the_library_lists_each_edition_with_its_built_outputs(client):
    page = client.get("/").text
    assert 'data-lesson="sample"' in page and 'data-language="fr"' in page
    assert 'download="sample_fr_worksheet.pdf"' in page
    assert "slides.pptx" not in page  # not built: no button


def test_allowed_hosts_are_the_loopback_names_with_the_port():
    assert allowed_hosts("127.0.0.1", 8040) == {"127.0.0.1:8040", "localhost:8040", "[::1]:8040"}
    assert allowed_hosts("192.168.1.5", 8040) == {"192.168.1.5:8040"}
    assert allowed_hosts("0.0.0.0", 8040) is None


def test_a_lesson_path_with_a_link_is_refused(project, tmp_path: Path):
    from starlette.exceptions import HTTPException

    from lessonkit.web.paths import source_path

    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, project.root / "sources" / "lessons" / "linked")
    with pytest.raises(HTTPException):
        source_path(project.root, "lesson", "linked", "fr")
    with pytest.raises(HTTPException):
        source_path(project.root, "lesson", "..", "fr")
    with pytest.raises(HTTPException):
        source_path(project.root, "lesson", "sample", "../fr")
    assert source_path(project.root, "lesson", "sample", "fr") == project.lesson_path.resolve()
    assert source_path(project.root, "lesson", "sample", "it").name == "it.yaml"  # a new translation
