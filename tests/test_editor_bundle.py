"""The source editor of the browser app (issue 12): lessonkit/web/static/editor.js, built from web-src/ by
``npm run build:editor`` and committed, so that installing lessonkit needs no Node.js.

In Chromium, on a page holding only the bundle and the real lesson schema: the schema drives completion and
hover text, lessonkit's problems show at their lines, typing reaches getText and onChange, the keyboard can
leave the editor, nothing is fetched, and axe-core finds no serious violation. The browser tests are skipped
where Chromium, Playwright or axe-core (``npm ci``) is missing; the rebuild test where npm is; CI has all."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .browser import AXE
from .conftest import ROOT

STATIC = ROOT / "lessonkit" / "web" / "static"
BUNDLE = STATIC / "editor.js"
BUILT = ("editor.js", "editor.licenses.txt")  # what web-src/build.mjs writes
SCHEMA = ROOT / "schema" / "lesson.schema.json"

# Lines 1-3 hold keys; line 4 is empty, for typing; line 5 is long prose, for wrapping.
DOC = (
    "id: sample\n"
    "language: fr\n"
    "title: Une leçon\n"
    "\n"
    "subject: " + "Une phrase écrite par une enseignante, assez longue pour passer à la ligne. " * 4 + "\n"
)
PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Editor test page</title></head>
<body>
<main>
  <h1>Edit the lesson</h1>
  <div id="editor"></div>
  <button id="after" type="button">Save</button>
</main>
<script src="editor.js"></script>
<script>
  window.changes = [];
  window.editor = LessonkitEditor.create(document.getElementById("editor"), {
    doc: DOC, schema: SCHEMA, label: "Lesson source", onChange: (text) => window.changes.push(text),
  });
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- the committed bundle


def test_the_bundle_is_one_offline_file_without_source_map():
    text = BUNDLE.read_text(encoding="ascii")  # esbuild's charset=ascii: safe under any served charset
    assert "sourceMappingURL" not in text
    assert "LessonkitEditor" in text
    assert (STATIC / "editor.licenses.txt").read_text(encoding="utf-8").count("@codemirror/view") == 1


def locked_versions_installed() -> list[str]:
    """The packages of node_modules whose version differs from package-lock.json's."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    wrong = []
    for where, entry in lock["packages"].items():
        if not where.startswith("node_modules/") or entry.get("optional"):
            continue
        installed = ROOT / where / "package.json"
        version = json.loads(installed.read_text(encoding="utf-8"))["version"] if installed.is_file() else None
        if version != entry["version"]:
            wrong.append(f"{where}: {version} installed, {entry['version']} locked")
    return wrong


def test_rebuilding_from_the_lock_gives_the_committed_bundle_byte_for_byte(tmp_path):
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("npm is not installed, so the editor bundle cannot be rebuilt here (CI has npm)")
    assert locked_versions_installed() == [], "node_modules differs from package-lock.json: run npm ci"
    subprocess.run(["node", "web-src/build.mjs", "--outdir", str(tmp_path)], cwd=ROOT, check=True, capture_output=True)
    for name in BUILT:
        assert (tmp_path / name).read_bytes() == (STATIC / name).read_bytes(), (
            f"{name} is not what web-src/ builds: run make editor and commit lessonkit/web/static/"
        )


# --------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def test_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("editor")
    shutil.copy2(BUNDLE, folder / "editor.js")
    schema = SCHEMA.read_text(encoding="utf-8")
    html = PAGE.replace("DOC", json.dumps(DOC)).replace("SCHEMA", schema.replace("</", "<\\/"))
    (folder / "index.html").write_text(html, encoding="utf-8")
    return folder / "index.html"


@pytest.fixture
def page(browser, test_page):
    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.set_default_timeout(5000)
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(test_page.as_uri())
    page.wait_for_selector(".cm-content")
    yield page
    assert page.errors == []
    page.close()


def type_at(page, line: int, text: str):
    page.evaluate("(line) => editor.goTo(line)", line)
    page.keyboard.type(text)


def completion_labels(page) -> list[str]:
    page.wait_for_selector(".cm-tooltip-autocomplete li")
    return page.locator(".cm-tooltip-autocomplete .cm-completionLabel").all_inner_texts()


def test_the_page_fetches_nothing_but_itself_and_the_bundle(page, test_page):
    type_at(page, 4, "act")
    completion_labels(page)
    page.evaluate("() => editor.setProblems([{line: 2, column: 11, message: 'x', severity: 'error'}])")
    page.wait_for_timeout(300)
    assert page.requests == [test_page.as_uri(), (test_page.parent / "editor.js").as_uri()]


def test_a_key_typed_at_the_top_level_is_completed_from_the_schema(page):
    type_at(page, 4, "a")
    assert "activity" in completion_labels(page)
    page.keyboard.press("Backspace")
    page.keyboard.type("t")
    assert completion_labels(page) == ["translated_from"]  # title is there already: not offered again
    page.keyboard.press("Backspace")
    page.keyboard.press("Control+Space")
    offered = completion_labels(page)
    assert {"sections", "activity", "duration", "credits", "glossary"} <= set(offered)
    assert {"id", "language", "title", "subject"}.isdisjoint(offered)
    page.keyboard.press("Escape")
    # inside a section, on an empty line: the keys a section may still take
    page.evaluate("() => { editor.setText('sections:\\n  - id: intro\\n    \\n'); editor.goTo(3); }")
    page.keyboard.press("Control+Space")
    offered = completion_labels(page)
    assert {"heading", "body", "icon"} <= set(offered) and "id" not in offered and "activity" not in offered


def test_a_completed_key_is_written_in_block_style(page):
    type_at(page, 4, "sectio")
    assert completion_labels(page) == ["sections"]
    page.wait_for_timeout(200)  # CodeMirror ignores Enter for 75 ms after the list opens: no accidental pick
    page.keyboard.press("Enter")
    page.keyboard.type("id: intro")
    assert page.evaluate("() => editor.getText()").split("\n")[3:5] == ["sections:", "  - id: intro"]


@pytest.mark.parametrize("field", ["title", "credits"])
def test_hovering_a_key_shows_its_schema_description(page, field):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # credits is a group of fields, a "$ref" in the schema: the hover text is the group's description
    description = (
        schema["properties"]["title"]["description"]
        if field == "title"
        else schema["definitions"]["Credits"]["description"]
    )
    if field == "credits":
        page.evaluate("() => editor.setText('id: sample\\ncredits:\\n  licence: CC BY 4.0\\n')")
    key = page.locator(".cm-line").nth(2 if field == "title" else 1).get_by_text(field, exact=True)
    box = key.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.wait_for_selector(".cm-tooltip-hover .cm6-json-schema-hover")
    assert description in tooltip.inner_text()


def test_problems_show_at_their_line_with_their_message(page):
    problems = [
        {"line": 2, "column": 11, "message": "language: « fr » is fine, this is a test", "severity": "warning"},
        {"line": 3, "column": 8, "message": "title: too short for a title", "severity": "error"},
    ]
    page.evaluate("(problems) => editor.setProblems(problems)", problems)
    page.wait_for_selector(".cm-lint-marker-error")
    # the gutter marker sits beside line 3, the marked text is on line 3, from column 8
    error = page.locator(".cm-lint-marker-error").bounding_box()
    line3 = page.locator(".cm-line").nth(2).bounding_box()
    assert abs((error["y"] + error["height"] / 2) - (line3["y"] + line3["height"] / 2)) < line3["height"] / 2
    assert page.locator(".cm-line").nth(2).locator(".cm-lintRange-error").inner_text() == "Une leçon"
    assert page.locator(".cm-line").nth(1).locator(".cm-lintRange-warning").inner_text() == "fr"
    # hovering the marked text shows the message
    box = page.locator(".cm-lintRange-error").bounding_box()
    page.mouse.move(box["x"] + 4, box["y"] + box["height"] / 2)
    assert "too short for a title" in page.wait_for_selector(".cm-tooltip-lint").inner_text()
    # the lint panel lists both
    page.evaluate("() => editor.focus()")
    page.keyboard.press("Control+Shift+M")
    panel = page.wait_for_selector(".cm-panel-lint").inner_text()
    assert "too short for a title" in panel and "is fine, this is a test" in panel
    # and problems are cleared by an empty list
    page.evaluate("() => editor.setProblems([])")
    page.wait_for_selector(".cm-lint-marker-error", state="detached")


def test_typing_reaches_get_text_and_on_change_and_undo_takes_it_back(page):
    type_at(page, 4, "duration: 45")
    text = page.evaluate("() => editor.getText()")
    assert text.split("\n")[3] == "duration: 45"
    assert page.evaluate("() => changes.at(-1)") == text
    page.evaluate("() => editor.setText('id: other\\n')")
    assert page.evaluate("() => editor.getText()") == "id: other\n"
    assert page.evaluate("() => changes.at(-1)") == text  # setText is the page's own change: not reported
    page.evaluate("() => editor.focus()")
    page.keyboard.press("Control+z")
    assert page.evaluate("() => editor.getText()") == text


def test_go_to_puts_the_cursor_on_the_line_and_focuses(page):
    page.evaluate("() => editor.goTo(3)")
    assert page.evaluate("() => document.activeElement.classList.contains('cm-content')")
    assert page.evaluate("() => editor.view.state.doc.lineAt(editor.view.state.selection.main.head).number") == 3


def test_the_keyboard_can_leave_the_editor_and_search_it(page):
    page.evaluate("() => editor.goTo(1)")
    page.keyboard.press("Tab")  # indents: Tab stays in the editor
    assert page.evaluate("() => editor.getText()").startswith("  id: sample")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Escape then Tab moves on
    assert page.evaluate("() => document.activeElement.id") == "after"
    page.evaluate("() => editor.focus()")
    page.keyboard.press("Control+f")
    assert page.evaluate("() => document.activeElement.getAttribute('name')") == "search"


def test_the_editor_is_readable_and_wraps_long_lines(page):
    content = page.locator(".cm-content")
    assert content.get_attribute("aria-label") == "Lesson source"
    assert float(content.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 15
    assert page.locator(".cm-lineNumbers").count() == 1
    scroller = page.locator(".cm-scroller")
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")  # the long line wraps
    assert page.locator(".cm-line").nth(4).evaluate("e => e.getBoundingClientRect().height") > 60


def test_without_a_schema_there_is_no_completion_nor_hover(page):
    page.evaluate(
        """() => { editor.destroy(); window.editor = LessonkitEditor.create(document.getElementById("editor"),
           {doc: "id: x\\n\\n", schema: null, label: "Lesson source"}); }"""
    )
    type_at(page, 2, "act")
    page.keyboard.press("Control+Space")
    page.wait_for_timeout(400)
    assert page.locator(".cm-tooltip-autocomplete").count() == 0
    assert page.evaluate("() => editor.getText()") == "id: x\nact\n"


def test_axe_core_finds_no_serious_violation_with_the_editor(page):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: npm ci")
    page.evaluate("() => editor.setProblems([{line: 3, column: 8, message: 'A problem', severity: 'error'}])")
    type_at(page, 4, "a")
    completion_labels(page)  # the completion list is open too
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
