"""The editing API of the browser app (issue 12, musts 3 and 6): read, check, save, undo, upload, new, translate.

In process with Starlette's TestClient, on fixture projects (conftest's ``project``, or a copy of the
shipped lesson): never on whatever lessons sources/ holds.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import re
import stat
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from lessonkit.build import document_inputs
from lessonkit.cli import main
from lessonkit.loader import check_all, check_text, load_document
from lessonkit.sources import SourceFile, Sources
from lessonkit.web import editing
from lessonkit.web.app import create_app
from lessonkit.yamlsafe import MAX_SOURCE_BYTES, read_source

from .conftest import SAMPLE_LESSON, SAMPLE_SVG, SHIPPED_LESSON, copy_shipped

TOKEN = "the-one-time-token"
HOST = "testserver"
SAME_SITE = {"origin": f"http://{HOST}"}
SAMPLE = "/lesson/sample/fr"


class FakePreviewer:
    def __init__(self):
        self.asked: list[tuple[str, str]] = []

    def request(self, lesson: str, language: str) -> None:
        self.asked.append((lesson, language))

    def close(self) -> None:
        pass


@pytest.fixture
def previewer():
    return FakePreviewer()


@pytest.fixture
def client(project, previewer):
    app = create_app(project.root, token=TOKEN, hosts=frozenset({HOST}), previewer=previewer)
    with TestClient(app, follow_redirects=False) as browser:
        assert browser.get(f"/?token={TOKEN}").status_code == 303
        yield browser


def post(client, path: str, headers: dict | None = None, **kwargs):
    return client.post(path, headers={**SAME_SITE, **(headers or {})}, **kwargs)


def line_of(text: str, start: str) -> int:
    """The number of the first line starting (after its indentation) with ``start``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(start))


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every path under ``folder``, with the contents, time and mode of every file: a change anywhere shows."""
    found = {}
    for path in sorted(folder.rglob("*")):
        status = path.lstat()
        if stat.S_ISREG(status.st_mode):
            found[path.relative_to(folder).as_posix()] = (
                path.read_bytes(),
                status.st_mtime_ns,
                stat.S_IMODE(status.st_mode),
            )
        else:
            found[path.relative_to(folder).as_posix()] = stat.S_IFMT(status.st_mode)
    return found


# A buffer with two mistakes: an unknown field, a wrong type.
BROKEN = SAMPLE_LESSON.replace("      prompt: Pourquoi ?", "      promt: Pourquoi ?").replace(
    "duration: 45\ncredits", "duration: longue\ncredits"
)
# Files around the source are looked at once the fields are right: a picture that is not there.
MISSING_PICTURE = SAMPLE_LESSON.replace("image: assets/picture.svg", "image: assets/pictur.svg")
# A lesson without mistakes but with a warning: too few lines for the model answer.
WARNED = SAMPLE_LESSON.replace("      lines: 3", "      lines: 1").replace(
    "answer: Ainsi.", "answer: " + "Une très longue réponse modèle, écrite à la main. " * 8
)


# --------------------------------------------------------------------------- source and check


def test_source_gives_the_text_its_file_undo_and_problems(client):
    answer = client.get(f"/api/source{SAMPLE}")
    assert answer.status_code == 200
    assert answer.json() == {
        "text": SAMPLE_LESSON,
        "file": "sources/lessons/sample/fr.yaml",
        "can_undo": False,
        "problems": [],
    }


def test_source_of_a_file_that_is_not_there_is_404(client):
    assert client.get("/api/source/lesson/sample/de").status_code == 404
    assert client.get("/api/source/lesson/nothing/fr").status_code == 404
    assert client.get("/api/source/reading/sample/fr").status_code == 404
    assert "error" in client.get("/api/source/lesson/sample/de").json()


def test_source_that_is_not_utf8_is_refused_in_plain_words(client, project):
    project.write(SAMPLE_LESSON.encode("latin-1"))
    answer = client.get(f"/api/source{SAMPLE}")
    assert answer.status_code == 422
    assert "not UTF-8" in answer.json()["error"] and "save it as UTF-8" in answer.json()["error"]


@pytest.mark.parametrize(
    ("text", "severity", "count"),
    [(BROKEN, "error", 2), (MISSING_PICTURE, "error", 1), (WARNED, "warning", 1)],
    ids=["errors", "picture", "warning"],
)
def test_check_of_a_buffer_matches_lessonkit_check_of_the_same_text_saved(
    client, project, capsys, text, severity, count
):
    checked = post(client, f"/api/check{SAMPLE}", json={"text": text}).json()["problems"]
    project.write(text)
    capsys.readouterr()
    assert main(["check", str(project.lesson_path)], root=project.root) == (2 if severity == "error" else 0)
    printed = [line for line in capsys.readouterr().err.splitlines() if re.match(r".*fr\.yaml:\d+:\d+: ", line)]
    said = [re.sub(r"^.*?fr\.yaml:", "", line) for line in printed]
    expected = [
        f"{p['line']}:{p['column']}: " + (f"{p['field']}: {p['message']}" if p["field"] else p["message"])
        for p in checked
    ]
    assert said == expected
    assert {p["severity"] for p in checked} == {severity}
    assert all(p["message"].startswith("warning:") == (p["severity"] == "warning") for p in checked)
    assert len(checked) == count


def test_a_broken_buffer_gives_the_error_at_its_line_with_the_field(client):
    problems = post(client, f"/api/check{SAMPLE}", json={"text": BROKEN}).json()["problems"]
    typo = next(p for p in problems if "promt" in p["message"])
    assert typo["line"] == line_of(BROKEN, "promt:")
    assert typo["field"] == "activity.questions.1.promt"
    assert "did you mean “prompt”" in typo["message"]
    assert typo["file"] == "sources/lessons/sample/fr.yaml" and typo["severity"] == "error"
    [picture] = post(client, f"/api/check{SAMPLE}", json={"text": MISSING_PICTURE}).json()["problems"]
    assert picture["line"] == line_of(MISSING_PICTURE, "image:")
    assert picture["field"] == "sections.1.figures.1.image"
    assert "image not found" in picture["message"] and "did you mean assets/picture.svg" in picture["message"]
    assert post(client, f"/api/check{SAMPLE}", json={"text": SAMPLE_LESSON}).json() == {"problems": []}


def test_a_yaml_mistake_is_found_at_its_line(client):
    text = SAMPLE_LESSON.replace("heading: Introduction", "heading: Introduction: la suite")
    problems = post(client, f"/api/check{SAMPLE}", json={"text": text}).json()["problems"]
    assert [(p["line"], p["severity"]) for p in problems] == [(line_of(text, "heading:"), "error")]
    assert "double quotes" in problems[0]["message"]


def test_check_writes_nothing(client, project):
    before = snapshot(project.root)
    for text in (BROKEN, SAMPLE_LESSON, "", "id: [", SAMPLE_LESSON.replace("fr", "de")):
        assert post(client, f"/api/check{SAMPLE}", json={"text": text}).status_code == 200
    assert post(client, "/api/check/lesson/sample/de", json={"text": SAMPLE_LESSON}).status_code == 200
    assert snapshot(project.root) == before


def test_check_finds_readings_pictures_and_originals_from_the_files_folder(tmp_path):
    root = copy_shipped(tmp_path)
    app = create_app(root, token=TOKEN, hosts=frozenset({HOST}))
    with TestClient(app) as browser:
        browser.get(f"/?token={TOKEN}")
        for language in ("fr", "de-CH"):
            text = browser.get(f"/api/source/lesson/{SHIPPED_LESSON}/{language}").json()["text"]
            checked = post(browser, f"/api/check/lesson/{SHIPPED_LESSON}/{language}", json={"text": text})
            assert checked.json() == {"problems": []}, language
        text = (root / "sources" / "lessons" / SHIPPED_LESSON / "de-CH.yaml").read_text(encoding="utf-8")
        orphan = re.sub(r"(?m)^translated_from: .*$", "translated_from: it", text)
        problems = post(browser, f"/api/check/lesson/{SHIPPED_LESSON}/de-CH", json={"text": orphan}).json()
        assert any("the original is not there" in p["message"] for p in problems["problems"])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "\0\0\0binary",
        "id: sample\ttitle",
        "\tid: sample",
        "- a list\n- not fields",
        "a: &x [1]\nb: *x",
        "a: " + "[" * 5000,
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 200)),
        "id: sample\nid: twice\n",
        "\ud83d broken half of an emoji",
        "x: !!python/object:os.system ls",
        "\ufeff\ufeff" + SAMPLE_LESSON,
        "\r\n".join(SAMPLE_LESSON.splitlines()),
        "\x1b[31m" * 100,
        "x" * (10 * 1024 * 1024),
    ],
    ids=lambda text: repr(text[:20]),
)
def test_check_never_fails_whatever_the_text(client, text):
    answer = post(client, f"/api/check{SAMPLE}", content=json.dumps({"text": text}).encode())
    assert answer.status_code == 200
    problems = answer.json()["problems"]
    assert problems or SAMPLE_LESSON.strip() in text.replace("\r\n", "\n")
    for problem in problems:
        assert problem["line"] >= 1 and problem["column"] >= 1 and problem["message"]
        assert "internal error" not in problem["message"]


def test_check_of_random_junk_never_fails(client):
    chance = random.Random(12)
    for _ in range(30):
        junk = bytes(chance.randrange(256) for _ in range(chance.randrange(1, 400))).decode("latin-1")
        mixed = SAMPLE_LESSON[: chance.randrange(len(SAMPLE_LESSON))] + junk
        for text in (junk, mixed):
            answer = post(client, f"/api/check{SAMPLE}", json={"text": text})
            assert answer.status_code == 200
            assert not any("internal error" in p["message"] for p in answer.json()["problems"])


def test_a_text_over_the_source_limit_is_one_plain_problem(client):
    problems = post(client, f"/api/check{SAMPLE}", json={"text": "#" * (MAX_SOURCE_BYTES + 1)}).json()["problems"]
    assert [(p["line"], p["message"]) for p in problems] == [
        (1, "the file is larger than 2 MB; a lesson source is far smaller")
    ]


def test_the_loader_checks_a_text_up_to_the_limit(project):
    """``check_text`` reads exactly what it is given: up to MAX_SOURCE_BYTES, the same limit as a file."""
    sources = Sources(project.root / "sources")
    source = SourceFile("lesson", "sample", "fr", project.lesson_path)
    padded = SAMPLE_LESSON.encode() + b"#" * (MAX_SOURCE_BYTES - len(SAMPLE_LESSON.encode()))
    assert check_text(sources, source, padded) == []
    assert "larger than 2 MB" in check_text(sources, source, padded + b"#")[0].message
    project.write(BROKEN)
    assert check_text(sources, source, SAMPLE_LESSON.encode()) == []
    assert check_text(sources, source, BROKEN.encode()) == check_all(sources, [source])
    assert read_source(project.lesson_path, SAMPLE_LESSON.encode())[0]["duration"] == "45"


# --------------------------------------------------------------------------- save and undo


def test_save_writes_the_file_keeps_its_mode_and_the_previous_version(client, project, previewer):
    project.lesson_path.chmod(0o640)
    text = SAMPLE_LESSON.replace("Une leçon", "Une autre leçon")
    answer = post(client, f"/api/save{SAMPLE}", json={"text": text})
    assert answer.status_code == 200
    assert answer.json() == {"saved": True, "changed": True, "problems": [], "can_undo": True, "preview": ["sample/fr"]}
    assert project.lesson_path.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(project.lesson_path.stat().st_mode) == 0o640
    kept = editing.history(project.lesson_path)
    assert [path.read_text(encoding="utf-8") for path in kept] == [SAMPLE_LESSON]
    assert kept[0].parent == project.lesson_dir / ".history" / "fr"
    assert previewer.asked == [("sample", "fr")]
    assert not [p for p in project.lesson_dir.iterdir() if p.name.endswith(".part")]


def test_save_is_atomic_a_failed_write_leaves_the_file_as_it_was(client, project, monkeypatch):
    def full_disk(_descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(editing.os, "fsync", full_disk)
    answer = post(client, f"/api/save{SAMPLE}", json={"text": "id: half"})
    assert answer.status_code == 500
    assert "No space left on device" in answer.json()["error"] and "nothing was changed" in answer.json()["error"]
    assert project.lesson_path.read_text(encoding="utf-8") == SAMPLE_LESSON
    assert not [p for p in project.lesson_dir.iterdir() if p.name.endswith(".part")]
    assert editing.history(project.lesson_path) == []  # no copy of a version that was not replaced


def test_saving_the_same_text_again_keeps_no_copy(client, project):
    answer = post(client, f"/api/save{SAMPLE}", json={"text": SAMPLE_LESSON}).json()
    assert answer["changed"] is False and answer["can_undo"] is False
    assert editing.history(project.lesson_path) == []


def test_a_text_with_problems_is_saved_and_its_problems_come_back(client, project):
    answer = post(client, f"/api/save{SAMPLE}", json={"text": BROKEN})
    assert answer.status_code == 200
    assert answer.json()["saved"] is True
    assert project.lesson_path.read_text(encoding="utf-8") == BROKEN
    checked = post(client, f"/api/check{SAMPLE}", json={"text": BROKEN}).json()["problems"]
    assert answer.json()["problems"] == checked and checked


def test_undo_puts_back_the_previous_version_and_undo_twice_gives_it_back(client, project):
    first, second = SAMPLE_LESSON, SAMPLE_LESSON.replace("Une leçon", "Deuxième")
    post(client, f"/api/save{SAMPLE}", json={"text": second})
    undone = post(client, f"/api/undo{SAMPLE}")
    assert undone.status_code == 200
    assert undone.json()["text"] == first == project.lesson_path.read_text(encoding="utf-8")
    assert undone.json()["can_undo"] is True and undone.json()["file"] == "sources/lessons/sample/fr.yaml"
    redone = post(client, f"/api/undo{SAMPLE}").json()
    assert redone["text"] == second == project.lesson_path.read_text(encoding="utf-8")
    assert [p.read_text(encoding="utf-8") for p in editing.history(project.lesson_path)] == [first]


def test_undo_with_nothing_kept_is_refused_plainly(client, project):
    answer = post(client, f"/api/undo{SAMPLE}")
    assert answer.status_code == 409 and "no earlier version" in answer.json()["error"]
    assert project.lesson_path.read_text(encoding="utf-8") == SAMPLE_LESSON


def test_the_history_keeps_the_last_twenty_versions(client, project):
    for number in range(25):
        post(client, f"/api/save{SAMPLE}", json={"text": SAMPLE_LESSON + f"# version {number}\n"})
    kept = editing.history(project.lesson_path)
    assert len(kept) == editing.MAX_HISTORY == 20
    assert kept == sorted(kept)
    assert kept[-1].read_text(encoding="utf-8").endswith("# version 23\n")
    assert kept[0].read_text(encoding="utf-8").endswith("# version 4\n")


def test_sources_check_and_the_build_ignore_the_history(client, project, capsys):
    post(client, f"/api/save{SAMPLE}", json={"text": BROKEN})  # the history keeps the good text…
    post(client, f"/api/save{SAMPLE}", json={"text": SAMPLE_LESSON})  # …and now the broken one
    assert any("promt" in p.read_text(encoding="utf-8") for p in editing.history(project.lesson_path))
    sources = Sources(project.root / "sources")
    assert [s.path.name for s in sources.lessons()] == ["fr.yaml"]
    assert check_all(sources, sources.lessons() + sources.readings()) == []
    assert main(["check"], root=project.root) == 0
    assert "1 source file(s) checked: no problems." in capsys.readouterr().out
    document = load_document(sources, sources.lessons()[0])
    assert not [path for path in document_inputs(document, project.root) if ".history" in path.parts]


def test_a_saved_reading_refreshes_the_lessons_that_include_it(tmp_path):
    root = copy_shipped(tmp_path)
    previewer = FakePreviewer()
    app = create_app(root, token=TOKEN, hosts=frozenset({HOST}), previewer=previewer)
    with TestClient(app) as browser:
        browser.get(f"/?token={TOKEN}")
        reading = root / "sources" / "readings" / "casilli-2016"
        for language in ("fr", "de-CH"):
            text = (reading / f"{language}.yaml").read_text(encoding="utf-8") + "\n# seen\n"
            answer = post(browser, f"/api/save/reading/casilli-2016/{language}", json={"text": text}).json()
            assert answer["problems"] == [] and answer["preview"] == [f"{SHIPPED_LESSON}/{language}"]
    assert previewer.asked == [(SHIPPED_LESSON, "fr"), (SHIPPED_LESSON, "de-CH")]


def test_a_save_over_the_size_limit_is_refused_and_nothing_changes(client, project):
    answer = post(client, f"/api/save{SAMPLE}", json={"text": "#" * (MAX_SOURCE_BYTES + 1)})
    assert answer.status_code == 413 and "at most 2 MB" in answer.json()["error"]
    assert project.lesson_path.read_text(encoding="utf-8") == SAMPLE_LESSON
    assert editing.history(project.lesson_path) == []


def test_a_text_that_cannot_be_utf8_is_refused_and_nothing_changes(client, project):
    answer = post(client, f"/api/save{SAMPLE}", content=b'{"text": "id: sample\\ntitle: \\ud83d"}')
    assert answer.status_code == 400 and "broken character" in answer.json()["error"]
    assert "line 2" in answer.json()["error"]
    assert project.lesson_path.read_text(encoding="utf-8") == SAMPLE_LESSON
    problems = post(client, f"/api/check{SAMPLE}", content=b'{"text": "id: sample\\ntitle: \\ud83d"}').json()
    assert [(p["line"], p["column"]) for p in problems["problems"]] == [(2, 8)]


def test_a_source_that_is_not_a_regular_file_is_never_written(client, project):
    project.lesson_path.unlink()
    os.mkfifo(project.lesson_path)
    answer = post(client, f"/api/save{SAMPLE}", json={"text": SAMPLE_LESSON})
    assert answer.status_code == 400 and "not an ordinary file" in answer.json()["error"]
    assert stat.S_ISFIFO(project.lesson_path.lstat().st_mode)
    assert client.get(f"/api/source{SAMPLE}").status_code == 422


def test_a_new_language_file_can_be_saved_into_an_existing_lesson_folder(client, project):
    text = SAMPLE_LESSON.replace("language: fr", "language: de")
    answer = post(client, "/api/save/lesson/sample/de", json={"text": text})
    assert answer.status_code == 200 and answer.json()["can_undo"] is False
    assert (project.lesson_dir / "de.yaml").read_text(encoding="utf-8") == text


# --------------------------------------------------------------------------- garbage and refusals


@pytest.mark.parametrize("route", ["check", "save"])
@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[1, 2]", b'"text"', b'{"text": 12}', b'{"txt": "id: x"}', b"\xff\xfe\x00", b"[" * 100_000],
    ids=["empty", "not json", "a list", "a string", "a number", "no text", "not utf-8", "nested deep"],
)
def test_garbage_bodies_get_a_plain_400(client, project, route, body):
    answer = post(client, f"/api/{route}{SAMPLE}", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert "reload the page" in answer.json()["error"]
    assert project.lesson_path.read_text(encoding="utf-8") == SAMPLE_LESSON


def test_a_body_over_the_request_limit_is_413(client, project):
    answer = post(client, f"/api/save{SAMPLE}", content=b"x" * (16 * 1024 * 1024 + 1))
    assert answer.status_code == 413
    assert project.lesson_path.read_text(encoding="utf-8") == SAMPLE_LESSON


CHANGING_ROUTES = [
    f"/api/check{SAMPLE}",
    f"/api/save{SAMPLE}",
    f"/api/undo{SAMPLE}",
    "/api/upload/lesson/sample",
    "/api/new",
    "/api/translate/sample",
]


@pytest.mark.parametrize("route", CHANGING_ROUTES)
def test_a_post_without_origin_is_refused_on_every_route(client, project, route):
    before = snapshot(project.root)
    for headers in ({}, {"origin": "http://evil.example"}):
        answer = client.post(
            route, json={"text": "id: evil", "id": "evil", "language": "fr", "to": "it"}, headers=headers
        )
        assert answer.status_code == 403, route
    assert snapshot(project.root) == before


TRAVERSALS = [
    "/api/{route}/lesson/../fr",
    "/api/{route}/lesson/%2e%2e/fr",
    "/api/{route}/lesson/sample/%2e%2e",
    "/api/{route}/lesson/sample/..%2f..%2f..%2fescaped",
    "/api/{route}/lesson/%2e%2e%2f%2e%2e%2fescaped/fr",
    "/api/{route}/lesson/%2fetc/fr",
    "/api/{route}/lesson/sample/%2ftmp%2fescaped",
    "/api/{route}/lessons/sample/fr",
    "/api/{route}/lesson/Sample/fr",
    "/api/{route}/lesson/linked/fr",
    "/api/{route}/lesson/sample/it",  # a language file that is a link
]


@pytest.mark.parametrize("route", ["source", "check", "save", "undo"])
@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_route_leaves_sources(client, project, tmp_path, route, path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / "fr.yaml").write_text(SAMPLE_LESSON, encoding="utf-8")
    os.symlink(outside, project.root / "sources" / "lessons" / "linked")
    os.symlink(outside / "fr.yaml", project.lesson_dir / "it.yaml")
    before, outside_before = snapshot(project.root), snapshot(outside)
    url = path.format(route=route)
    answer = client.get(url) if route == "source" else post(client, url, json={"text": "id: escaped"})
    assert answer.status_code == 404, url
    assert "id: sample" not in answer.text
    assert snapshot(project.root) == before and snapshot(outside) == outside_before
    assert not list(tmp_path.parent.glob("**/escaped*"))


@pytest.mark.parametrize(
    "route",
    [
        "/api/upload/lesson/%2e%2e",
        "/api/upload/lesson/linked",
        "/api/upload/lesson/nothing",
        "/api/translate/%2e%2e",
        "/api/translate/linked",
    ],
)
def test_upload_and_translate_stay_in_sources(client, project, tmp_path, route):
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    (outside / "assets").mkdir(parents=True, exist_ok=True)
    (outside / "fr.yaml").write_text(SAMPLE_LESSON, encoding="utf-8")
    os.symlink(outside, project.root / "sources" / "lessons" / "linked")
    before = snapshot(outside)
    answer = (
        post(client, route, files={"file": ("a.png", png())})
        if "upload" in route
        else post(client, route, json={"to": "it"})
    )
    assert answer.status_code == 404, route
    assert snapshot(outside) == before


def test_a_picture_for_a_reading_goes_beside_the_reading_and_its_figure_then_checks_clean(client, project):
    """A reading's image paths are relative to the reading's folder: its pictures are uploaded there."""
    from .test_hostile_images import READING

    reading = project.root / "sources" / "readings" / "text"
    reading.mkdir(parents=True)
    (reading / "fr.yaml").write_text(READING, encoding="utf-8")
    project.write(SAMPLE_LESSON.replace("readings: []", "readings: [text]"))
    answer = client.get("/api/source/reading/text/fr").json()
    [missing] = answer["problems"]
    assert missing["message"].startswith("image not found") and missing["field"] == "sections.1.figures.1.image"
    assert missing["message"].endswith("sources/readings/text/assets/figure.svg")
    answer = post(client, "/api/upload/reading/text", files={"file": ("figure.svg", SAMPLE_SVG.encode())})
    assert answer.status_code == 200 and answer.json() == {"path": "assets/figure.svg"}
    assert (reading / "assets" / "figure.svg").read_text(encoding="utf-8") == SAMPLE_SVG
    assert not (project.lesson_dir / "assets" / "figure.svg").exists()
    assert client.get("/api/source/reading/text/fr").json()["problems"] == []


@pytest.mark.parametrize("route", ["/api/upload/readings/sample", "/api/upload/reading/%2e%2e", "/api/upload/x/y/z"])
def test_an_upload_to_an_unknown_kind_or_name_is_refused(client, project, route):
    before = snapshot(project.root)
    assert post(client, route, files={"file": ("a.png", png())}).status_code == 404
    assert snapshot(project.root) == before


def test_a_linked_assets_folder_is_not_followed(client, project, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-pictures"
    outside.mkdir()
    (project.lesson_dir / "assets" / "picture.svg").unlink()
    (project.lesson_dir / "assets").rmdir()
    os.symlink(outside, project.lesson_dir / "assets")
    assert post(client, "/api/upload/lesson/sample", files={"file": ("a.png", png())}).status_code == 404
    assert list(outside.iterdir()) == []


def test_a_linked_history_folder_is_not_followed(client, project, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-history"
    outside.mkdir()
    os.symlink(outside, project.lesson_dir / ".history")
    answer = post(client, f"/api/save{SAMPLE}", json={"text": SAMPLE_LESSON + "# changed\n"})
    assert answer.status_code == 400 and "link" in answer.json()["error"]
    assert list(outside.iterdir()) == []
    assert project.lesson_path.read_text(encoding="utf-8") == SAMPLE_LESSON


# --------------------------------------------------------------------------- pictures


def png(size: tuple[int, int] = (4, 3), kind: str = "PNG") -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(stream, format=kind)
    return stream.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that only says how large it is: enough for the size checks, which read the header only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "data", "stored"),
    [
        ("Photo été (1).PNG", png(), "assets/photo-ete-1.png"),
        ("camera.jpeg", png(kind="JPEG"), "assets/camera.jpg"),
        ("anim.gif", png(kind="GIF"), "assets/anim.gif"),
        ("web.webp", png(kind="WEBP"), "assets/web.webp"),
        ("drawing.svg", SAMPLE_SVG.encode(), "assets/drawing.svg"),
        ("wrong-extension.gif", png(), "assets/wrong-extension.png"),  # told by the content
        ("no extension", SAMPLE_SVG.encode(), "assets/no-extension.svg"),
        ("../../x.png", png(), "assets/x.png"),
        ("..\\..\\windows.png", png(), "assets/windows.png"),
        ("/etc/passwd.png", png(), "assets/passwd.png"),
        ("....png", png(), "assets/picture.png"),
    ],
)
def test_each_picture_kind_is_stored_in_assets_under_a_safe_name(client, project, name, data, stored):
    answer = post(client, "/api/upload/lesson/sample", files={"file": (name, data, "application/octet-stream")})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"path": stored}
    assert (project.lesson_dir / stored).read_bytes() == data
    assert sorted(p.name for p in (project.lesson_dir / "assets").iterdir()) == sorted(
        {"picture.svg", Path(stored).name}
    )
    text = SAMPLE_LESSON.replace("image: assets/picture.svg", f"image: {stored}")
    assert post(client, f"/api/check{SAMPLE}", json={"text": text}).json() == {"problems": []}


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("page.png", b"<!DOCTYPE html><html><body>hello</body></html>", "not a picture lessonkit can use"),
        ("script.png", b"#!/bin/sh\nrm -rf /\n", "not a picture lessonkit can use"),
        ("empty.png", b"", "not a picture lessonkit can use"),
        ("scan.tif", png(kind="TIFF"), "is a TIFF picture; save it as PNG or JPEG"),
        ("cut.png", png()[:30], "not a picture lessonkit can use"),
        (
            "entity.svg",
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "declares a DOCTYPE or entities",
        ),
        (
            "html.svg",
            b'<html><svg xmlns="http://www.w3.org/2000/svg"/></html>',
            "is not an SVG picture (it starts with <html>)",
        ),
        ("broken.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "is not a valid SVG file"),
        ("thin.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="10"/>', "crop it or split it"),
        ("huge.png", png_header(8000, 6000), "megapixels; the limit is 40"),
        ("bomb.png", png_header(60000, 60000), "far too many pixels"),
    ],
)
def test_what_the_build_would_refuse_is_not_stored(client, project, name, data, said):
    before = snapshot(project.root)
    answer = post(client, "/api/upload/lesson/sample", files={"file": (name, data, "image/png")})
    assert answer.status_code == 400
    assert said in answer.json()["error"]
    assert snapshot(project.root) == before


def test_a_picture_over_the_size_limit_is_413(client, project):
    too_large = png() + b"\0" * editing.MAX_PICTURE_BYTES
    before = snapshot(project.root)
    answer = post(client, "/api/upload/lesson/sample", files={"file": ("big.png", too_large)})
    assert answer.status_code == 413 and "20 MB" in answer.json()["error"]
    assert snapshot(project.root) == before


def test_the_size_limit_holds_while_the_upload_streams_in(project):
    """No Content-Length, a body that would go on for a gigabyte: the app stops reading past the limit."""
    app = create_app(project.root, token=TOKEN, hosts=frozenset({HOST}))
    chunk = 1024 * 1024
    pulled = 0
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n\r\n' + png()

    async def receive():
        nonlocal pulled
        pulled += 1
        if pulled > 1024:
            return {"type": "http.request", "body": b"\r\n--b--\r\n", "more_body": False}
        return {"type": "http.request", "body": head if pulled == 1 else b"\0" * chunk, "more_body": True}

    sent = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/upload/lesson/sample",
        "raw_path": b"/api/upload/lesson/sample",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", HOST.encode()),
            (b"origin", f"http://{HOST}".encode()),
            (b"cookie", f"lessonkit_token={TOKEN}".encode()),
            (b"content-type", b"multipart/form-data; boundary=b"),
        ],
        "client": ("127.0.0.1", 5000),
        "server": (HOST, 80),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled <= editing.MAX_PICTURE_BYTES // chunk + 2
    assert sorted(p.name for p in (project.lesson_dir / "assets").iterdir()) == ["picture.svg"]


def test_a_name_already_taken_gets_a_number_unless_replacing_is_asked(client, project):
    first, second = png((4, 3)), png((5, 3))

    def upload(data, **form):
        return post(client, "/api/upload/lesson/sample", files={"file": ("leaf.png", data)}, data=form)

    assert upload(first).json() == {"path": "assets/leaf.png"}
    assert upload(first).json() == {"path": "assets/leaf.png"}  # the same picture: stored once
    assert upload(second).json() == {"path": "assets/leaf-2.png"}
    assert upload(second).json() == {"path": "assets/leaf-2.png"}
    assert (project.lesson_dir / "assets" / "leaf.png").read_bytes() == first
    third = png((6, 3))
    assert upload(third, replace="true").json() == {"path": "assets/leaf.png"}
    assert (project.lesson_dir / "assets" / "leaf.png").read_bytes() == third
    assert not [p for p in (project.lesson_dir / "assets").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"content": b"garbage", "headers": {"content-type": "multipart/form-data; boundary=x"}},
        {"content": b"a=b", "headers": {"content-type": "application/x-www-form-urlencoded"}},
        {"json": {"file": "x"}},
        {"files": {"other": ("a.png", b"x")}},
    ],
    ids=["broken multipart", "no file", "json", "another field"],
)
def test_a_broken_upload_gets_a_plain_400(client, kwargs):
    headers = {**SAME_SITE, **kwargs.pop("headers", {})}
    answer = client.post("/api/upload/lesson/sample", headers=headers, **kwargs)
    assert answer.status_code == 400
    assert answer.json()["error"]


# --------------------------------------------------------------------------- new lesson, translation


def test_new_writes_the_starter_lesson(client, project, capsys):
    answer = post(client, "/api/new", json={"id": "photosynthesis", "language": "fr", "title": "La photosynthèse"})
    assert answer.status_code == 200
    assert answer.json()["edit"] == "/edit/lesson/photosynthesis/fr"
    assert "sources/lessons/photosynthesis/fr.yaml" in answer.json()["files"]
    source = client.get("/api/source/lesson/photosynthesis/fr").json()
    assert "title: La photosynthèse" in source["text"] and source["problems"] == []
    assert main(["check", "photosynthesis"], root=project.root) == 0


def test_new_and_translate_write_only_inside_sources(client, project):
    """Issue 12, must 6: no route writes outside sources/ (the command line also writes schema/; the app serves it)."""
    outside = {path for path in project.root.rglob("*") if "sources" not in path.relative_to(project.root).parts[:1]}
    assert post(client, "/api/new", json={"id": "photosynthesis", "language": "fr"}).status_code == 200
    assert post(client, "/api/translate/photosynthesis", json={"to": "it"}).status_code == 200
    now = {path for path in project.root.rglob("*") if "sources" not in path.relative_to(project.root).parts[:1]}
    assert now == outside
    assert (project.root / "sources" / "lessons" / "photosynthesis" / "it.yaml").is_file()


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"id": "sample", "language": "de"}, "already a lesson “sample”"),
        ({"id": "sample", "language": "fr"}, "already"),
        ({"id": "Bad Id", "language": "fr"}, "cannot name a lesson"),
        ({"id": "../escape", "language": "fr"}, "cannot name a lesson"),
        ({"id": "ok", "language": "french"}, "not a language code"),
        ({"id": "ok", "language": "xx"}, "cannot print “xx”"),
        ({"id": "ok", "language": "fr", "title": "two\nlines"}, "one line"),
        ({"id": "ok", "language": "fr", "title": 12}, "no text “title”"),
        ({"language": "fr"}, "no text “id”"),
    ],
)
def test_new_refuses_in_plain_words(client, project, body, said):
    before = snapshot(project.root)
    answer = post(client, "/api/new", json=body)
    assert answer.status_code == 400
    assert said in answer.json()["error"]
    assert snapshot(project.root) == before


def test_translate_writes_the_same_scaffold_as_the_command_line(client, project, tmp_path):
    answer = post(client, "/api/translate/sample", json={"to": "it", "from": None})
    assert answer.status_code == 200
    assert answer.json()["edit"] == "/translate/lesson/sample/it"
    assert client.get(answer.json()["edit"]).status_code == 200  # the address of the translation page
    assert {"file": "sources/lessons/sample/it.yaml", "note": "wrote"} in answer.json()["files"]
    scaffold = (project.lesson_dir / "it.yaml").read_text(encoding="utf-8")
    other = Path(str(tmp_path) + "-cli")
    (other / "sources" / "lessons" / "sample" / "assets").mkdir(parents=True)
    (other / "sources" / "lessons" / "sample" / "fr.yaml").write_text(SAMPLE_LESSON, encoding="utf-8")
    (other / "sources" / "lessons" / "sample" / "assets" / "picture.svg").write_text(SAMPLE_SVG, encoding="utf-8")
    assert main(["translate", "sample", "--to", "it"], root=other) == 0
    assert (other / "sources" / "lessons" / "sample" / "it.yaml").read_text(encoding="utf-8") == scaffold
    again = post(client, "/api/translate/sample", json={"to": "it"})
    assert again.status_code == 400 and "already exists" in again.json()["error"]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"to": "french"}, "not a language code"),
        ({"to": "xx"}, "not a language code this tool knows"),
        ({"to": "it", "from": "de"}, "no "),
        ({"from": "fr"}, "no text “to”"),
    ],
)
def test_translate_refuses_in_plain_words(client, project, body, said):
    before = snapshot(project.root)
    answer = post(client, "/api/translate/sample", json=body)
    assert answer.status_code == 400
    assert said in answer.json()["error"]
    assert snapshot(project.root) == before


def test_translating_a_broken_original_says_to_fix_it_first(client, project):
    project.write(BROKEN)
    answer = post(client, "/api/translate/sample", json={"to": "it"})
    assert answer.status_code == 400 and "fix the original first" in answer.json()["error"]
    assert not (project.lesson_dir / "it.yaml").exists()


def test_problems_are_json_with_the_fields_the_edit_page_reads(client):
    problem = post(client, f"/api/check{SAMPLE}", json={"text": BROKEN}).json()["problems"][0]
    assert set(problem) == {"file", "line", "column", "field", "message", "severity"}
    assert json.loads(json.dumps(problem)) == problem


def test_a_bug_in_the_check_becomes_a_plain_problem_not_a_crash(client, monkeypatch):
    def broken(*_args):
        raise KeyError("oops")

    monkeypatch.setattr(editing, "check", broken)
    answer = post(client, f"/api/check{SAMPLE}", json={"text": SAMPLE_LESSON})
    assert answer.status_code == 200
    [problem] = answer.json()["problems"]
    assert problem["line"] == 1 and "internal error: KeyError" in problem["message"]
    assert problem["severity"] == "error" and "your text is unchanged" in problem["message"]


def test_a_failing_preview_never_fails_the_save(client, project, previewer, monkeypatch):
    def stuck(_lesson, _language):
        raise RuntimeError("the worker is gone")

    monkeypatch.setattr(previewer, "request", stuck)
    answer = post(client, f"/api/save{SAMPLE}", json={"text": SAMPLE_LESSON + "# changed\n"})
    assert answer.status_code == 200
    assert answer.json()["saved"] is True and answer.json()["preview"] == []
    assert project.lesson_path.read_text(encoding="utf-8").endswith("# changed\n")


def test_a_bug_while_saving_answers_json_and_the_server_goes_on(client, project, monkeypatch):
    def broken(*_args):
        raise ZeroDivisionError

    monkeypatch.setattr(editing, "save", broken)
    answer = post(client, f"/api/save{SAMPLE}", json={"text": SAMPLE_LESSON})
    assert answer.status_code == 500 and "internal error (ZeroDivisionError)" in answer.json()["error"]
    assert client.get(f"/api/source{SAMPLE}").status_code == 200
