"""The browser app's pages (issue 12, musts 2–4): the library, the edit page, the preview routes, Build.

Run in process with Starlette's TestClient against fixture projects, with a small stand-in for the preview
worker; the same pages in a real Chromium, with the real worker, are in test_web_e2e.py.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lessonkit.web.app import create_app
from lessonkit.web.views import library
from lessonkit.web.views.library import plain_field

from .conftest import SAMPLE_LESSON, copy_shipped

TOKEN = "the-one-time-token"
HOST = "testserver"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(autouse=True)
def check_everything_at_once(monkeypatch):
    """The library checks for 1.5 s and leaves the rest to the background; here, everything at once."""
    monkeypatch.setattr(library, "CHECK_BUDGET", 3600)


def browser(app) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    assert client.get(f"/?token={TOKEN}").status_code == 303
    return client


def post(client: TestClient, url: str, **kwargs):
    return client.post(url, headers={"origin": f"http://{HOST}"}, **kwargs)


@pytest.fixture
def client(project):
    with browser(create_app(project.root, token=TOKEN, hosts=frozenset({HOST}))) as client:
        yield client


@pytest.fixture
def shipped(tmp_path):
    root = copy_shipped(tmp_path / "shipped")
    with browser(create_app(root, token=TOKEN, hosts=frozenset({HOST}))) as client:
        yield root, client


# --------------------------------------------------------------------------- the library


def test_the_library_says_a_good_lesson_has_no_mistakes_and_is_not_built(client):
    page = client.get("/").text
    assert 'data-lesson="sample" data-language="fr"' in page
    assert "Une leçon" in page  # the lesson's title
    assert "No mistakes." in page and "Not built yet" in page
    assert 'href="/edit/lesson/sample/fr"' in page
    assert 'data-build="/api/build/sample/fr"' in page


HOSTILE_TITLE = "<b>Gras</b> & </textarea><img src=x>"


@pytest.mark.parametrize("path", ["/", "/edit/lesson/sample/fr"])
def test_a_title_with_html_in_it_is_shown_as_typed_on_every_page(client, project, path):
    """A lesson's texts are shown as typed, never read as HTML: a colleague's file cannot change a page."""
    project.write(SAMPLE_LESSON.replace("title: Une leçon", f'title: "{HOSTILE_TITLE}"'))
    page = client.get(path).text
    assert "&lt;b&gt;Gras&lt;/b&gt; &amp; &lt;/textarea&gt;&lt;img src=x&gt;" in page
    assert "<b>Gras" not in page and "<img src=x>" not in page
    title = page[page.index("<title>") : page.index("</title>")]
    assert "&lt;b&gt;Gras" in title or "Gras" not in title


def test_the_library_lists_the_first_mistakes_with_a_link_to_their_line(client, project):
    project.replace_line(35, "      lines: six")
    page = client.get("/").text
    assert "1 mistake to fix" in page
    assert 'href="/edit/lesson/sample/fr?line=35"' in page
    assert "activity › question 1 › lines" in page
    assert "whole number" in page


def test_the_check_is_cached_until_a_file_of_the_lesson_changes(client, project, monkeypatch):
    from lessonkit import loader

    client.get("/")
    calls = []
    original = loader.check_all
    monkeypatch.setattr(loader, "check_all", lambda *a, **k: calls.append(1) or original(*a, **k))
    client.get("/")
    assert calls == []  # nothing changed: the cached check
    project.replace_line(35, "      lines: six")
    assert "1 mistake to fix" in client.get("/").text
    assert calls == [1]


def test_the_library_shows_translation_progress_and_offers_translations(shipped):
    root, client = shipped
    page = client.get("/").text
    assert "translated from French" in page
    assert page.count("Translated: 272 of 272 texts") == 2
    form = page.split('<form class="translate"', 1)[1].split("</form>", 1)[0]
    assert 'data-from="fr"' in form and 'value="it"' in form
    assert 'value="de-CH"' not in form and 'value="fr"' not in form  # not the editions it has
    # a text of the original changes: its translations have a text to check again
    original = root / "sources" / "lessons" / "digital-labor" / "fr.yaml"
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("Qu’est-ce que le digital labor ?", "Qu’est-ce que le travail du clic ?", 1))
    page = client.get("/").text
    assert "Translated: 271 of 272 texts (1 stale)." in page  # the name the translation page and status use


def test_a_translation_that_is_not_yaml_yet_is_still_shown_as_a_translation(shipped):
    root, client = shipped
    path = root / "sources" / "lessons" / "digital-labor" / "de-CH.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if line.startswith("title:"))
    lines[number] = "title: [Was ist\n"
    path.write_text("".join(lines), encoding="utf-8")
    page = client.get("/").text
    assert '<h2 id="lesson-digital-labor">Qu’est-ce que le digital labor ?' in page  # the original's title
    german = page.split('data-language="de-CH"', 1)[1].split("</li>\n    \n", 1)[0]
    assert "translated from French" in german and "1 mistake to fix" in german
    assert 'href="/edit/lesson/digital-labor/de-CH?line=' in german
    assert page.index('data-language="fr"') < page.index('data-language="de-CH"')  # the original first


def test_outputs_are_up_to_date_only_when_the_manifest_says_so(client, project):
    from lessonkit.cli import main

    assert main(["--root", str(project.root), "build", "--formats", "html", "--quiet"]) == 0
    page = client.get("/").text
    assert "Files out of date: 6 of 8 need building again" in page
    handout = page.split('download="sample_fr_handout.html"', 1)[1].split("</a>", 1)[0]
    assert "Handout (web page)" in handout and "(old)" not in handout
    project.replace_line(3, "title: Une autre leçon")  # the source changed: the handout is old now
    page = client.get("/").text
    assert "Files out of date: 8 of 8" in page
    assert "(old)" in page.split('download="sample_fr_handout.html"', 1)[1].split("</a>", 1)[0]


def test_a_library_of_many_lessons_is_shown_at_once_and_checked_meanwhile(shipped, monkeypatch):
    root, client = shipped
    monkeypatch.setattr(library, "CHECK_BUDGET", 0)
    (root / "sources" / "lessons" / "digital-labor" / "fr.yaml").touch()  # not checked since
    page = client.get("/").text
    assert page.count("data-checking") == 3 and "Checking for mistakes…" in page
    assert "Qu’est-ce que le digital labor ?" in page and "translated from French" in page  # read at a glance
    deadline = time.monotonic() + 120
    while client.get("/api/library/checking").json()["pending"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    page = client.get("/").text
    assert "data-checking" not in page and page.count("Translated: 272 of 272 texts") == 2


def test_field_paths_read_as_words():
    assert plain_field("activity.questions.2.lines") == "activity › question 2 › lines"
    assert plain_field("sections.1.slide_points.3") == "section 1 › slide point 3"
    assert plain_field("") == ""


# --------------------------------------------------------------------------- building


def wait_for_build(client, url: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(url).json()
        if state["state"] != "running":
            return state
        time.sleep(0.3)
    raise AssertionError("the build did not finish")


def test_a_build_of_a_broken_lesson_is_refused_in_plain_words_and_the_library_still_loads(client, project):
    project.write("id: sample\nlanguage: fr\ntitle: [unclosed\n")
    response = post(client, "/api/build/sample/fr")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error.startswith("This lesson has 1 mistake to fix before it can be built. The first one, line ")
    assert "Traceback" not in error
    page = client.get("/")
    assert page.status_code == 200 and "1 mistake to fix" in page.text


def test_a_failed_build_is_reported_and_the_server_goes_on(project, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the outputs should go")
    app = create_app(project.root, token=TOKEN, hosts=frozenset({HOST}), outputs=blocked)
    with browser(app) as client:
        assert post(client, "/api/build/sample/fr").status_code == 202
        state = wait_for_build(client, "/api/build/sample/fr")
        assert state["state"] == "failed"
        assert state["message"] == "The build failed. The files built before are unchanged."
        assert any("is a file, not a folder" in line for line in state["problems"])
        assert client.get("/").status_code == 200


def test_build_runs_the_build_engine_for_one_edition(client, project):
    response = post(client, "/api/build/sample/fr")
    assert response.status_code == 202 and response.json()["state"] == "running"
    again = post(client, "/api/build/sample/fr").json()  # pressed twice: the same build
    assert again["state"] in ("running", "done")
    state = wait_for_build(client, "/api/build/sample/fr")
    assert state["state"] == "done", state
    assert "Worksheet (PDF)" in state["made"] and state["message"].startswith("Done: ")
    assert (project.root / "outputs" / "sample" / "fr" / "worksheet.pdf").read_bytes().startswith(b"%PDF")
    assert "Files up to date." in client.get("/").text


def test_files_built_on_letter_paper_are_up_to_date_until_the_source_changes(client, project):
    from lessonkit.cli import main

    assert main(["--root", str(project.root), "build", "--paper", "letter", "--quiet", "--jobs", "1"]) == 0
    assert "Files up to date." in client.get("/").text
    project.write(SAMPLE_LESSON.replace("Pourquoi ?", "Pourquoi donc ?"))
    assert "Files out of date" in client.get("/").text


def test_stop_ends_a_running_build_and_leaves_every_file_whole(shipped):
    """Stop is Ctrl-C: the build ends at once, each file it made is whole, and the rest are as they were."""
    from pypdf import PdfReader

    root, client = shipped
    url = "/api/build/digital-labor/fr"
    outputs = root / "outputs" / "digital-labor" / "fr"
    assert post(client, url).status_code == 202
    deadline = time.monotonic() + 120
    while not client.get(url).json()["made"] and time.monotonic() < deadline:
        time.sleep(0.1)  # stop once the first file is made, so some are made and some are not
    stopped = post(client, f"{url}/stop")
    assert stopped.status_code == 200 and stopped.json()["state"] in ("running", "stopped")
    state = wait_for_build(client, url, seconds=30)
    assert state["state"] == "stopped", state
    assert state["message"] == "Stopped. The files it had made are whole; the others are as they were."
    files = sorted(p.name for p in outputs.iterdir())
    assert 1 <= len(files) < 8, files  # stopped midway: some files made, not all
    assert not [name for name in files if name.endswith(".part") or name.startswith(".")]
    for name in files:
        if name.endswith(".pdf"):
            assert len(PdfReader(outputs / name).pages) > 1, name
    assert post(client, f"{url}/stop").json()["state"] == "stopped"  # pressed again: nothing more happens
    assert "Not built yet" in client.get("/").text or "Files out of date" in client.get("/").text


def test_build_and_its_state_need_an_existing_edition(client):
    assert post(client, "/api/build/sample/it").status_code == 404
    assert post(client, "/api/build/..%2f..%2fetc/fr").status_code == 404
    assert client.get("/api/build/sample/fr").json() == {"state": "none", "message": ""}
    assert client.post("/api/build/sample/fr").status_code == 403  # no Origin: not from the app's page


# --------------------------------------------------------------------------- the edit page


def test_the_edit_page_names_its_json_routes_and_schema(client):
    response = client.get("/edit/lesson/sample/fr?line=12")
    assert response.status_code == 200
    page = response.text
    for attribute in (
        'data-source="/api/source/lesson/sample/fr"',
        'data-check="/api/check/lesson/sample/fr"',
        'data-save="/api/save/lesson/sample/fr"',
        'data-undo="/api/undo/lesson/sample/fr"',
        'data-upload="/api/upload/lesson/sample"',
        'data-preview="/api/preview/sample/fr"',
        'data-schema="/schema/lesson.json"',
        'data-line="12"',
    ):
        assert attribute in page
    assert 'src="/static/edit.js"' in page and 'src="/static/editor.js"' in page


def test_a_translation_is_edited_with_the_translation_schema(shipped):
    _, client = shipped
    assert 'data-schema="/schema/lesson-translation.json"' in client.get("/edit/lesson/digital-labor/de-CH").text
    reading = client.get("/edit/reading/casilli-2016/fr").text
    assert 'data-schema="/schema/reading.json"' in reading and 'data-preview=""' in reading


@pytest.mark.parametrize(
    "path",
    ["/edit/lesson/sample/it", "/edit/lesson/..%2f..%2fetc/fr", "/edit/nothing/sample/fr", "/edit/lesson/a/%2e%2e"],
)
def test_the_edit_page_opens_only_existing_sources(client, path):
    assert client.get(path).status_code == 404


def test_the_schema_is_served_from_the_model(client):
    from lessonkit.schema import schema_for

    for name in ("lesson", "reading", "lesson-translation"):
        response = client.get(f"/schema/{name}.json")
        assert response.status_code == 200
        assert json.loads(response.text) == schema_for(name)
    assert client.get("/schema/lesson.schema.json").status_code == 200
    assert client.get("/schema/passwd.json").status_code == 404


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline, self.sources, self.styles = [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            (self.sources if attributes.get("src") else self.inline).append(attributes)
        if tag == "style" or "style" in attributes or any(name.startswith("on") for name in attributes):
            self.styles.append((tag, attributes))


@pytest.mark.parametrize("path", ["/", "/edit/lesson/sample/fr"])
def test_pages_have_no_inline_script_or_style(client, path):
    parser = Scripts()
    parser.feed(client.get(path).text)
    assert parser.inline == [] and parser.styles == []
    assert all(s["src"].startswith("/static/") for s in parser.sources)
    for script in parser.sources:
        assert client.get(script["src"]).status_code == 200 or script["src"].endswith("editor.js")


# --------------------------------------------------------------------------- the preview


@dataclass
class Slide:
    number: int
    title: str
    lines: list[str]
    kind: str = "section"


@dataclass
class Preview:
    version: int
    stale: bool = False
    problems: list = field(default_factory=list)
    worksheet: list = field(default_factory=list)
    answer_key: list = field(default_factory=list)
    slides: list = field(default_factory=list)
    outline: list = field(default_factory=list)
    busy: bool = False


class FakePreviewer:
    """lessonkit.preview.Previewer's contract: request, current, wait, close."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.previews: dict[tuple[str, str], Preview] = {}
        self.requested: list[tuple[str, str]] = []

    def request(self, lesson, language):
        self.requested.append((lesson, language))

    def current(self, lesson, language):
        return self.previews.get((lesson, language))

    def wait(self, lesson, language, newer_than, timeout):
        return self.current(lesson, language)

    def close(self):
        pass


@pytest.fixture
def previewing(project):
    folder = project.root / "outputs" / ".preview"
    pages = folder / "sample" / "fr" / "3"
    pages.mkdir(parents=True)
    for name in ("worksheet-1.png", "worksheet-2.png", "key-1.png"):
        (pages / name).write_bytes(PNG)
    previewer = FakePreviewer(folder)
    previewer.previews["sample", "fr"] = Preview(
        3,
        worksheet=[pages / "worksheet-1.png", pages / "worksheet-2.png"],
        answer_key=[pages / "key-1.png"],
        outline=[Slide(1, "Une leçon", ["Secondaire II"], "title"), Slide(2, "Texte", ["Un point"])],
    )
    app = create_app(project.root, token=TOKEN, hosts=frozenset({HOST}), previewer=previewer)
    with browser(app) as client:
        yield previewer, pages, client


def test_the_preview_is_described_with_image_addresses_never_paths(previewing):
    _, pages, client = previewing
    data = client.get("/api/preview/sample/fr").json()
    assert data["available"] is True and data["version"] == 3 and data["stale"] is False
    assert data["worksheet"] == ["/preview/sample/fr/3/worksheet-1.png", "/preview/sample/fr/3/worksheet-2.png"]
    assert data["answer_key"] == ["/preview/sample/fr/3/answer-key-1.png"]
    assert data["slides"] == []
    assert data["outline"][1] == {"number": 2, "title": "Texte", "lines": ["Un point"], "kind": "section"}
    assert str(pages) not in json.dumps(data)


def test_preview_images_are_served_from_the_preview_folder_only(previewing, tmp_path):
    previewer, pages, client = previewing
    response = client.get("/preview/sample/fr/3/worksheet-2.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content == PNG
    for path in (
        "/preview/sample/fr/2/worksheet-1.png",  # an older version
        "/preview/sample/fr/3/worksheet-3.png",  # no such page
        "/preview/sample/fr/3/..%2f..%2fpasswd",
        "/preview/sample/fr/3/worksheet-1.txt",
        "/preview/sample/it/3/worksheet-1.png",
    ):
        assert client.get(path).status_code == 404, path
    # a preview naming a file outside its folder, or through a link, is never served
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    os.symlink(outside, pages / "linked.png")
    previewer.previews["sample", "fr"].worksheet = [outside, pages / "linked.png"]
    assert client.get("/preview/sample/fr/3/worksheet-1.png").status_code == 404
    assert client.get("/preview/sample/fr/3/worksheet-2.png").status_code == 404


def test_the_first_visit_asks_for_a_preview_and_a_stale_one_says_so(previewing):
    previewer, _, client = previewing
    previewer.previews.clear()
    data = client.get("/api/preview/sample/fr").json()
    assert data["version"] is None and data["busy"] is True
    assert previewer.requested == [("sample", "fr")]
    previewer.previews["sample", "fr"] = Preview(4, stale=True, problems=["line 3: a mistake"])
    data = client.get("/api/preview/sample/fr").json()
    assert data["stale"] is True and data["problems"][0]["message"] == "line 3: a mistake"


def test_without_a_preview_worker_the_page_says_so(client):
    data = client.get("/api/preview/sample/fr").json()
    assert data["available"] is False and "not available" in data["message"]
    assert client.get("/api/preview/sample/it").status_code == 404
