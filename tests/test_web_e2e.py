"""The browser app in a real browser (issue 12, musts 2–4, 7, 8): Debian's Chromium driven by Playwright.

One real server (``lessonkit serve --no-browser --port N``, a process of its own) on a copy of the shipped
lesson; the tests run in order, as a teacher would: open the library, edit a field, see the mistake at its
line, fix it, save, see the preview change, build and download a PDF, start a translation. axe-core checks
every page. With ``LESSONKIT_SCREENSHOTS=docs`` they also take the README's screenshots into docs/.

Skipped where Chromium, Playwright or axe-core (``npm ci``) is missing; CI installs all three. Never
``playwright install``: the browser is Debian's.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import time
from pathlib import Path

import pytest

from .browser import AXE, CHROMIUM
from .conftest import ROOT, copy_shipped
from .webserver import serving

LESSON, ORIGINAL = "digital-labor", "fr"
SOURCE = Path("sources") / "lessons" / LESSON / f"{ORIGINAL}.yaml"
WIDE, PHONE = {"width": 1280, "height": 860}, {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Chromium is not installed")


def screenshots() -> Path | None:
    """Where the README's screenshots go (``LESSONKIT_SCREENSHOTS=docs``), or None: not taken."""
    folder = os.environ.get("LESSONKIT_SCREENSHOTS")
    return (ROOT / folder if not Path(folder).is_absolute() else Path(folder)) if folder else None


def shoot(page, name: str, **options) -> None:
    folder = screenshots()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / name), **options)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real server on a copy of the shipped lesson: (project root, printed address, base URL)."""
    root = copy_shipped(tmp_path_factory.mktemp("project"))
    with serving(root) as (address, base):
        yield root, address, base


@pytest.fixture(scope="module")
def chromium(browser):
    return browser


class Tab:
    """A page of the app, with what went wrong in it: script errors and content-policy refusals."""

    def __init__(self, context, base: str):
        self.page = context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: (
                self.errors.append(message.text)
                if message.type == "error" and "Failed to load resource" not in message.text
                else None
            ),
        )

    def open(self, path: str):
        if path == "/":  # a first visit checks the lessons in the background, then reloads: wait for that
            deadline = time.monotonic() + 120
            while self.page.request.get(self.base + "/api/library/checking").json()["pending"]:
                assert time.monotonic() < deadline, "the lessons were never checked"
                time.sleep(0.3)
        self.page.goto(self.base + path)
        return self.page


@pytest.fixture(scope="module")
def context(chromium, server):
    """A browser that opened the printed address once (it holds the cookie); the content policy applies."""
    _, address, _ = server
    context = chromium.new_context(viewport=WIDE, accept_downloads=True)
    page = context.new_page()
    page.goto(address)
    assert "token=" not in page.url  # traded for a cookie
    page.close()
    yield context
    context.close()


@pytest.fixture(scope="module")
def audit(chromium, context):
    """axe-core in a browser of its own (Playwright injects it inline, which the app's content policy forbids)."""
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: npm ci")
    checker = chromium.new_context(viewport=WIDE, bypass_csp=True)
    checker.add_cookies(context.cookies())

    def run(url: str, viewport: dict = WIDE, ready: str = "main") -> list:
        page = checker.new_page()
        page.set_viewport_size(viewport)
        page.goto(url)
        page.wait_for_selector(ready)
        page.wait_for_timeout(300)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        page.close()
        return [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    yield run
    checker.close()


def preview_expected() -> bool:
    try:
        import lessonkit.preview  # noqa: F401
    except ImportError:
        return False
    return True


def no_overflow(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


# --------------------------------------------------------------------------- the library


def test_the_library_shows_every_edition_with_its_state(context, server, audit):
    _, _, base = server
    tab = Tab(context, base)
    page = tab.open("/")
    editions = page.locator("li.edition")
    assert editions.count() == 3
    french = page.locator('li.edition[data-language="fr"]')
    assert "No mistakes." in french.inner_text() and "Not built yet" in french.inner_text()
    german = page.locator('li.edition[data-language="de-CH"]')
    assert "Translated: 272 of 272 texts." in german.inner_text()
    assert page.get_by_role("button", name="New lesson").is_visible() or page.locator("summary").is_visible()
    assert audit(base + "/") == []
    assert audit(base + "/", PHONE) == []
    phone = context.new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(base + "/")
    no_overflow(phone)
    phone.close()
    assert tab.errors == []
    tab.page.close()


# --------------------------------------------------------------------------- editing, checking, saving, preview


def editor_line(page, text: str):
    return page.locator(".cm-content .cm-line", has_text=text).first


def replace_in_line(page, line_text: str, old: str, new: str) -> None:
    """Click at the end of the line holding ``line_text``, delete ``old`` and type ``new``, as a teacher does."""
    line = editor_line(page, line_text)
    line.click()
    page.keyboard.press("End")
    for _ in old:
        page.keyboard.press("Backspace")
    page.keyboard.type(new)


def preview_state(page) -> tuple[str | None, str | None]:
    version = page.get_attribute("#edit", "data-preview-version")
    first = page.locator("#panel-worksheet img").first
    return version, (first.get_attribute("src") if first.count() else None)


def image_digest(page, src: str) -> str:
    body = page.evaluate("async (src) => Array.from(new Uint8Array(await (await fetch(src)).arrayBuffer()))", src)
    return hashlib.sha256(bytes(body)).hexdigest()


def test_edit_a_field_see_the_mistake_at_its_line_fix_it_save_and_see_the_preview_change(context, server, audit):
    root, _, base = server
    tab = Tab(context, base)
    page = tab.open("/")
    page.locator('li.edition[data-language="fr"]').get_by_role("link", name="Edit").click()
    page.wait_for_url(f"**/edit/lesson/{LESSON}/{ORIGINAL}")
    page.wait_for_selector(".cm-content")
    expect_preview = preview_expected()
    if expect_preview:
        page.wait_for_selector("#panel-worksheet img", timeout=90_000)
        before = preview_state(page)
        assert before[0] is not None
        alt = page.locator("#panel-worksheet img").first.get_attribute("alt")
        assert re.fullmatch(r"Worksheet, page 1 of \d+", alt)
    page.wait_for_function("() => document.querySelector('#problems-summary').textContent === 'No mistakes.'")
    if expect_preview and screenshots():  # the README's picture: every part of the preview drawn
        page.wait_for_function(
            "() => document.querySelector('#preview-state').textContent === 'Up to date with the saved text.'",
            timeout=180_000,
        )
    shoot(page, "web-edit.png")

    # a wrong value: the mistake shows in the list and at its line, in the teacher's words
    lines = source_lines(root)
    duration_line = next(n for n, text in enumerate(lines, 1) if text.startswith("duration:"))
    replace_in_line(page, "duration: 90", "90", "ninety")
    assert page.locator("#save-state").inner_text() == "Changes not saved yet."
    page.wait_for_selector("#edit[data-problems='1']", timeout=10_000)
    first = page.locator("#problems li").first
    assert first.locator("button").inner_text() == f"Line {duration_line}"
    assert "duration" in first.inner_text() and "ninety" in first.inner_text()
    marked = page.locator(".cm-gutterElement .cm-lint-marker-error, .cm-lintRange-error")
    assert marked.count() >= 1
    shoot(page, "web-edit-mistake.png")
    # selecting the line number puts the cursor on that line
    first.locator("button").click()
    active = page.locator(".cm-activeLine").first.inner_text()
    assert active.startswith("duration:")

    # saved with the mistake: the file is written, the preview keeps its last good pages, marked out of date
    page.keyboard.press("Control+s")
    page.wait_for_function("() => document.querySelector('#save-state').textContent.startsWith('Saved, with 1')")
    assert "duration: ninety" in (root / SOURCE).read_text(encoding="utf-8")
    library = page.request.get(base + "/")
    assert library.status == 200 and "1 mistake to fix" in library.text()  # a broken lesson stops nothing
    if expect_preview:
        page.wait_for_selector("#stale:not([hidden])", timeout=60_000)
        assert "Out of date" in page.locator("#stale").inner_text()
        assert preview_state(page) == before  # the last good preview stays

    # fixed, and the title changed: saved, and the preview is redrawn
    replace_in_line(page, "duration: ninety", "ninety", "90")
    replace_in_line(page, "title: Qu’est-ce que le digital labor ?", "?", "? (essai)")
    page.wait_for_selector("#edit[data-problems='0']", timeout=10_000)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_function("() => document.querySelector('#save-state').textContent === 'Saved.'")
    assert "title: Qu’est-ce que le digital labor ? (essai)" in (root / SOURCE).read_text(encoding="utf-8")
    assert page.locator("#undo").is_enabled()
    if expect_preview:
        page.wait_for_function(
            "(old) => document.querySelector('#edit').dataset.previewVersion !== old "
            "&& document.querySelector('#edit').dataset.previewStale === 'no'",
            arg=before[0],
            timeout=60_000,
        )
        after = preview_state(page)
        assert after[0] != before[0] and after[1] != before[1]
        assert image_digest(page, after[1]) != image_digest(page, before[1]) if before[1] else True
        assert page.locator("#stale").is_hidden()
        page.get_by_role("tab", name="Slides").click()
        page.wait_for_selector("#panel-slides img, #panel-slides .outline > li", timeout=120_000)
        page.get_by_role("tab", name="Answer key").click()
        key = page.locator("#panel-answer-key img").first
        assert re.fullmatch(r"Answer key, page 1 of \d+", key.get_attribute("alt"))
        page.get_by_role("tab", name="Worksheet").click()
    assert audit(page.url, ready=".cm-content") == []
    assert audit(page.url, PHONE, ready=".cm-content") == []
    phone = context.new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(page.url)
    phone.wait_for_selector(".cm-content")
    no_overflow(phone)
    phone.close()
    assert tab.errors == []
    tab.page.close()


def source_lines(root: Path) -> list[str]:
    return (root / SOURCE).read_text(encoding="utf-8").splitlines()


def test_undo_the_last_save(context, server):
    root, _, base = server
    tab = Tab(context, base)
    page = tab.open(f"/edit/lesson/{LESSON}/{ORIGINAL}")
    page.wait_for_selector(".cm-content")
    page.wait_for_function("() => !document.querySelector('#undo').disabled")
    page.get_by_role("button", name="Undo the last save").click()
    page.wait_for_function(
        "() => document.querySelector('#save-state').textContent.startsWith('The last save is undone')"
    )
    text = (root / SOURCE).read_text(encoding="utf-8")
    assert "title: Qu’est-ce que le digital labor ?\n" in text and "duration: ninety" in text
    assert "duration: ninety" in page.locator(".cm-content").inner_text()
    # and back to a good lesson for the tests that follow
    replace_in_line(page, "duration: ninety", "ninety", "90")
    page.keyboard.press("Control+s")
    page.wait_for_function("() => document.querySelector('#save-state').textContent === 'Saved.'")
    assert tab.errors == []
    tab.page.close()


def test_leaving_with_unsaved_changes_asks_first(context, server):
    root, _, base = server
    saved = (root / SOURCE).read_text(encoding="utf-8")
    tab = Tab(context, base)
    page = tab.open(f"/edit/lesson/{LESSON}/{ORIGINAL}")
    page.wait_for_selector(".cm-content")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    replace_in_line(page, "duration: 90", "90", "95")
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and not page.is_closed()  # the teacher chose to stay
    page.close()
    assert (root / SOURCE).read_text(encoding="utf-8") == saved  # nothing saved behind their back


def test_a_picture_is_added_to_the_lessons_assets(context, server, tmp_path):
    root, _, base = server
    picture = tmp_path / "drawing.svg"
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>x</title></svg>\n')
    tab = Tab(context, base)
    page = tab.open(f"/edit/lesson/{LESSON}/{ORIGINAL}")
    page.wait_for_selector(".cm-content")
    page.set_input_files("#picture", str(picture))
    note = page.locator("#picture-note")
    note.locator("code").wait_for()
    line = note.locator("code").inner_text()
    assert line.startswith("image: assets/") and line.endswith(".svg")
    assert (root / "sources" / "lessons" / LESSON / line.removeprefix("image: ")).is_file()
    tab.page.close()


# --------------------------------------------------------------------------- building and downloading


def test_stop_a_build_from_the_library(context, server):
    _, _, base = server
    tab = Tab(context, base)
    page = tab.open("/")
    english = page.locator('li.edition[data-language="en-GB"]')
    stop = english.get_by_role("button", name="Stop")
    assert stop.is_hidden()  # only while a build runs
    english.get_by_role("button", name="Build").click()
    stop.wait_for(state="visible")
    english.get_by_text("file(s) made so far").wait_for(timeout=60_000)  # stopped midway, after a first file
    stop.click()
    status = english.locator('.build-status[data-tone="warn"]')
    status.wait_for(timeout=30_000)
    assert status.inner_text().startswith("Stopped. The files it had made are whole")
    assert stop.is_hidden() and english.get_by_role("button", name="Build").is_enabled()
    # the page was reloaded to show what was made: some files, not all
    assert 1 <= english.locator(".downloads a").count() < 8
    assert page.request.get(base + f"/api/build/{LESSON}/en-GB").json()["state"] == "stopped"
    assert tab.errors == []
    tab.page.close()


def test_build_then_download_a_pdf_named_for_the_lesson_and_language(context, server, tmp_path):
    from pypdf import PdfReader

    _, _, base = server
    tab = Tab(context, base)
    page = tab.open("/")
    french = page.locator('li.edition[data-language="fr"]')
    french.get_by_role("button", name="Build").click()
    page.wait_for_selector('li.edition[data-language="fr"] .build-status[data-tone="busy"]')
    # the tab is closed while it builds: the build goes on, and the server with it
    tab.page.close()
    tab = Tab(context, base)
    page = tab.open("/")
    deadline = time.monotonic() + 300
    while page.request.get(base + f"/api/build/{LESSON}/{ORIGINAL}").json()["state"] == "running":
        assert time.monotonic() < deadline, "the build did not finish"
        time.sleep(1)
    state = page.request.get(base + f"/api/build/{LESSON}/{ORIGINAL}").json()
    assert state["state"] == "done", state
    page.reload()
    french = page.locator('li.edition[data-language="fr"]')
    assert "Files up to date." in french.inner_text()
    shoot(page, "web-library.png", full_page=True)
    with page.expect_download() as downloading:
        french.get_by_role("link", name="Worksheet (PDF)").click()
    download = downloading.value
    assert download.suggested_filename == f"{LESSON}_{ORIGINAL}_worksheet.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(saved.read_bytes())).pages) > 1
    assert tab.errors == []
    tab.page.close()


# --------------------------------------------------------------------------- new lessons and translations


def test_start_a_translation_from_the_library(context, server, audit):
    root, _, base = server
    tab = Tab(context, base)
    page = tab.open("/")
    form = page.locator(f'form.translate[data-lesson="{LESSON}"]')
    form.get_by_label("Translate to").select_option("it")
    form.get_by_role("button", name="Start the translation").click()
    page.wait_for_url(re.compile(rf"/(translate|edit)/lesson/{LESSON}/it$"), timeout=60_000)
    assert (root / "sources" / "lessons" / LESSON / "it.yaml").is_file()
    page.wait_for_load_state("networkidle")  # (the translation page's own test takes its screenshot)
    assert audit(page.url) == []
    library = tab.open("/")
    italian = library.locator('li.edition[data-language="it"]')
    assert "translated from French" in italian.inner_text()
    assert re.search(r"Translated: 0 of \d+ texts", italian.inner_text())
    assert tab.errors == []
    tab.page.close()


def test_a_new_lesson_opens_in_the_editor(context, server, audit):
    root, _, base = server
    tab = Tab(context, base)
    page = tab.open("/")
    page.get_by_text("New lesson", exact=True).click()
    page.get_by_label("Title").fill("Qu’est-ce qu’un algorithme ?")
    assert page.get_by_label("Short name").input_value() == "qu-est-ce-qu-un-algorithme"
    page.get_by_label("Short name").fill("algorithmes")
    page.get_by_role("button", name="Create the lesson").click()
    page.wait_for_url("**/edit/lesson/algorithmes/fr")
    page.wait_for_selector(".cm-content")
    assert (root / "sources" / "lessons" / "algorithmes" / "fr.yaml").is_file()
    page.wait_for_function("() => document.querySelector('#problems-summary').textContent.startsWith('No mistakes')")
    assert tab.errors == []
    tab.page.close()
