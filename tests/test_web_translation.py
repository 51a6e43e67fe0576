"""The translation page of the browser app (issue 12, must 5): a translation beside its original, field by
field, states as ``lessonkit status`` gives them, a text written back without touching the rest of the file,
"Mark as translated" as ``lessonkit translated`` does it; refusals write nothing.

A fixture project of its own: the sample lesson (tests/conftest.py) with a long paragraph, and a German
translation scaffolded by ``start_translation``. The end-to-end test runs ``lessonkit serve`` and Debian's
Chromium through Playwright (skipped where either is missing), with axe-core on the page.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from lessonkit.cli import main
from lessonkit.loader import translation_states
from lessonkit.translation import MARKER, read_record, record_path, text_fields
from lessonkit.translation_files import start_translation
from lessonkit.web.app import create_app
from lessonkit.yamlsafe import read_source

from .browser import AXE
from .conftest import ROOT, SAMPLE_LESSON, SHIPPED_LESSON, SHIPPED_READING, Project, copy_shipped
from .webserver import serving

TOKEN = "the-one-time-token"
HOST = "testserver"
SAME_ORIGIN = {"origin": f"http://{HOST}"}
PAGE = "/translate/lesson/sample/de"
FIELD = "/api/translation/lesson/sample/de/field"
FIELDS = "/api/translation/lesson/sample/de/fields"
TRANSLATED = "/api/translation/lesson/sample/de/translated"

LONG = (
    "Un paragraphe assez long pour que la traduction le plie sur plusieurs lignes, comme les textes "
    "que les enseignantes écrivent vraiment.[^note]"
)
COMMENT = "# Notes for the colleague who checks this translation: keep the footnote marks.\n"


def translated_project(root: Path) -> Path:
    """The sample lesson in French, with a long paragraph, and its German translation just scaffolded."""
    project = Project(root)
    project.write(SAMPLE_LESSON.replace("Un paragraphe avec une note.[^note]", LONG))
    start_translation(root / "sources", "sample", "de", None)
    german = german_path(root)
    text = german.read_text(encoding="utf-8")
    german.write_text(text.replace("activity:\n", COMMENT + "activity:\n"), encoding="utf-8")  # a teacher's comment
    return root


def german_path(root: Path) -> Path:
    return root / "sources" / "lessons" / "sample" / "de.yaml"


def french_path(root: Path) -> Path:
    return root / "sources" / "lessons" / "sample" / "fr.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return translated_project(tmp_path / "project")


@pytest.fixture
def client(root: Path):
    app = create_app(root, token=TOKEN, hosts=frozenset({HOST}))
    with TestClient(app, follow_redirects=False) as browser:
        assert browser.get(f"/?token={TOKEN}").status_code == 303
        yield browser


def shown_states(client) -> dict[str, str]:
    """Each field of the page and the state it shows (the article's data-state)."""
    page = client.get(PAGE)
    assert page.status_code == 200
    return {
        html.unescape(path): state
        for path, state in re.findall(r'<article class="field"[^>]*data-field="([^"]+)" data-state="(\w+)"', page.text)
    }


def status_states(root: Path) -> dict[str, str]:
    _, states = translation_states(german_path(root))
    return {state.path: state.state for state in states}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def save(client, field: str, text: str, **headers):
    return client.post(FIELD, json={"field": field, "text": text}, headers=headers or SAME_ORIGIN)


# --------------------------------------------------------------------------- the page


def test_the_page_shows_every_text_of_the_original_in_order_with_both_languages(client, root):
    page = client.get(PAGE)
    assert page.status_code == 200
    paths = re.findall(r'data-field="([^"]+)"', page.text)
    # every text, in the original's order (the texts of a group come together)
    assert [html.unescape(p) for p in paths] == list(status_states(root))
    assert 'lang="fr"' in page.text and 'lang="de"' in page.text
    assert "<h2" in page.text and "Activity" in page.text and "Question 1 › Prompt" in page.text
    assert html.escape(MARKER + "Pourquoi ?", quote=False) in page.text  # the scaffold's text, to be translated
    assert '<script src="/static/translation.js"' in page.text and "<script>" not in page.text  # CSP: no inline


def test_the_states_shown_are_those_lessonkit_status_gives(client, root, capsys):
    replace_in(german_path(root), f"'{MARKER}Une leçon'", "Eine Lektion")  # translated, then recorded…
    replace_in(german_path(root), f"'{MARKER}Pourquoi ?'", "Warum?")
    assert main(["--root", str(root), "translated", "sample", "--lang", "de"]) == 0
    replace_in(french_path(root), "title: Une leçon", "title: Une leçon revue")  # … and the original changes: stale
    replace_in(german_path(root), f"'{MARKER}Éducation numérique'", "Digitale Bildung")  # translated, not recorded
    replace_in(german_path(root), f"      answer: '{MARKER}Ainsi.'\n", "")  # missing
    capsys.readouterr()

    shown = shown_states(client)
    assert shown == status_states(root)
    assert {"stale", "translated", "unrecorded", "missing", "untranslated"} == set(shown.values())
    assert main(["--root", str(root), "status"]) == 0
    table = capsys.readouterr().out.splitlines()
    row = next(line for line in table if line.startswith("de "))
    counts = [int(n) for n in row.split()[3:]]  # missing, not yet translated, stale, not marked yet, translated
    said = re.search(r'id="counts"[^>]*>(.*?)</p>', client.get(PAGE).text, re.S).group(1)
    words = {w: int(n) for n, w in re.findall(r'<span class="number">(\d+)</span> ([a-z ]+)</span>', said)}
    # the same counts under the same names as `lessonkit status`
    names = ("missing", "not yet translated", "stale", "not marked yet", "translated")
    assert counts == [words[name] for name in names]
    header = next(line for line in table if line.startswith("language"))
    assert all(name in header for name in words)


def article(page: str, field: str) -> str:
    """The HTML of one field of the page."""
    return re.search(rf'data-field="{re.escape(html.escape(field))}".*?</article>', page, re.S).group(0)


def test_a_stale_text_shows_what_changed_in_the_original(client, root):
    """Under a stale text's original: what it said when the text was marked, the words removed since struck (del)
    and those added marked (ins), said in words for screen readers, the original's text escaped; nothing under
    a translated text, and nothing once the stale text is marked again."""
    replace_in(german_path(root), f"'{MARKER}Une leçon'", "Eine Lektion")
    replace_in(german_path(root), f"'{MARKER}Pourquoi ?'", "Warum?")
    assert main(["--root", str(root), "translated", "sample", "--lang", "de"]) == 0
    replace_in(french_path(root), "title: Une leçon", "title: La leçon <b>revue</b>")
    page = client.get(PAGE).text
    title = article(page, "title")
    assert 'data-state="stale"' in title and "What changed in the original" in title
    removed = '<del><span class="visually-hidden" lang="en">removed: </span>'
    added = '<ins><span class="visually-hidden" lang="en">added: </span>'
    runs = f"{removed}Une</del>{added}La</ins> leçon{added} &lt;b&gt;revue&lt;/b&gt;</ins>"
    diff = f'<div class="diff" lang="fr">{runs}</div>'
    assert diff in title
    assert "<b>" not in page[page.index("<main") :]  # the original's text is escaped, never taken as HTML
    assert 'class="change"' not in article(page, "activity.questions[first].prompt")  # translated: nothing shown
    assert page.count('class="change"') == 1

    marked = client.post(TRANSLATED, json={"fields": ["title"]}, headers=SAME_ORIGIN).json()
    assert marked["states"]["title"]["state"] == "translated"
    page = client.get(PAGE).text
    assert 'class="change"' not in page and "<del>" not in page


def test_a_stale_text_of_a_record_without_texts_says_the_earlier_text_is_not_known(client, root):
    """A record written before records held the original's texts: the text is stale, with no change to show."""
    replace_in(german_path(root), f"'{MARKER}Une leçon'", "Eine Lektion")
    assert main(["--root", str(root), "translated", "sample", "--lang", "de"]) == 0
    path = record_path(german_path(root))
    path.write_text(json.dumps({"original": "fr", "fields": json.loads(path.read_text())["fields"]}), encoding="utf-8")
    replace_in(french_path(root), "title: Une leçon", "title: La leçon revue")
    title = article(client.get(PAGE).text, "title")
    assert 'data-state="stale"' in title and "What it said before is not known" in title
    assert "<del>" not in title and "<ins>" not in title


def test_a_problem_of_the_translation_is_shown_beside_its_field(client, root):
    replace_in(german_path(root), f"      answer: '{MARKER}Ainsi.'\n", "")
    page = client.get(PAGE).text
    article = re.search(r'data-field="activity.questions\[second\].answer".*?</article>', page, re.S).group(0)
    assert "the required field “answer” is missing" in html.unescape(article)


def test_an_original_a_missing_translation_or_a_broken_one_gets_a_plain_page(client, root):
    assert client.get("/translate/lesson/sample/fr").status_code == 404  # an original is no translation
    assert client.get("/translate/lesson/sample/it").status_code == 404
    assert client.get("/translate/reading/sample/de").status_code == 404
    german_path(root).write_text("id: sample\ntitle: [unclosed\n", encoding="utf-8")
    page = client.get(PAGE)
    assert page.status_code == 409 and "edit page" in page.text


# --------------------------------------------------------------------------- saving a text


def test_saving_a_text_changes_that_text_only_and_keeps_comments(client, root):
    before = german_path(root).read_text(encoding="utf-8")
    data_before, _, _ = read_source(german_path(root))
    answer = save(client, "activity.questions[first].prompt", "Warum?")
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "unrecorded" and answer.json()["problems"] == []
    after = german_path(root).read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("+ ", "- ")]
    assert changed == [f"-       prompt: '{MARKER}Pourquoi ?'", "+       prompt: Warum?"]
    assert COMMENT in after
    data_after, _, _ = read_source(german_path(root))
    data_before["activity"]["questions"][0]["prompt"] = "Warum?"
    assert data_after == data_before


def test_a_long_text_is_written_as_a_folded_block_and_the_lines_around_it_stay(client, root):
    before = german_path(root).read_text(encoding="utf-8")
    old = re.search(r"    body:\n      - >-\n(?:        .*\n)+", before).group(0)  # the scaffold folded it
    text = (
        "Ein Absatz, lang genug, dass die Übersetzung ihn auf mehrere Zeilen faltet, wie die Texte, "
        "die Lehrerinnen wirklich schreiben.[^note]"
    )
    assert save(client, "sections[intro].body.1", text).status_code == 200
    after = german_path(root).read_text(encoding="utf-8")
    new = re.search(r"    body:\n      - >-\n(?:        .*\n)+", after).group(0)
    assert after == before.replace(old, new)
    assert read_source(german_path(root))[0]["sections"][0]["body"] == [text]


def test_a_text_with_several_lines_and_yaml_characters_reads_back_as_typed(client, root):
    for text in ["Zwei Zeilen:\n- eine\n- zwei", "*Betont*: mit « Zeichen » # und mehr", "null", "'quoted'"]:
        assert save(client, "activity.questions[second].answer", text).status_code == 200
        assert read_source(german_path(root))[0]["activity"]["questions"][1]["answer"] == text


def test_a_missing_text_is_added_to_its_group(client, root):
    replace_in(german_path(root), f"      answer: '{MARKER}Ainsi.'\n", "")
    replace_in(german_path(root), f"'{MARKER}Comment ?'\n", f"'{MARKER}Comment ?'  # ask Anna\n")
    assert status_states(root)["activity.questions[second].answer"] == "missing"
    answer = save(client, "activity.questions[second].answer", "So.")
    assert answer.status_code == 200 and answer.json()["state"] == "unrecorded"
    assert answer.json()["problems"] == []
    assert read_source(german_path(root))[0]["activity"]["questions"][1]["answer"] == "So."
    assert (
        german_path(root).read_text(encoding="utf-8").endswith(f"'{MARKER}Comment ?'  # ask Anna\n      answer: So.\n")
    )


def test_the_state_moves_from_untranslated_to_done_and_from_stale_to_done(client, root):
    field = "activity.questions[first].prompt"
    assert status_states(root)[field] == "untranslated"
    save(client, field, f"{MARKER}Warum")  # still marked: still not translated
    assert status_states(root)[field] == "untranslated"
    assert save(client, field, "Warum?").json()["state"] == "unrecorded"
    marked = client.post(TRANSLATED, json={"fields": [field]}, headers=SAME_ORIGIN).json()
    assert marked["states"][field]["state"] == "translated" and marked["recorded"] == 1
    replace_in(french_path(root), "prompt: Pourquoi ?", "prompt: Pour quelle raison ?")
    assert shown_states(client)[field] == "stale"
    assert save(client, field, "Aus welchem Grund?").json()["state"] == "stale"  # until it is marked again
    marked = client.post(TRANSLATED, json={"fields": [field]}, headers=SAME_ORIGIN).json()
    assert marked["states"][field] == {"state": "translated", "words": "Done", "help": ""}


def test_a_save_keeps_the_previous_version(client, root):
    before = german_path(root).read_bytes()
    save(client, "title", "Eine Lektion")
    kept = list((german_path(root).parent / ".history" / "de").glob("*.yaml"))
    assert [p.read_bytes() for p in kept] == [before]
    save(client, "title", "Eine Lektion")  # the same text again: nothing written, nothing kept
    assert len(list((german_path(root).parent / ".history" / "de").glob("*.yaml"))) == 1


def test_the_editors_undo_takes_back_a_save_made_on_the_translation_page(client, root):
    """One history for both pages: the edit page's "Undo save" undoes what the translation page wrote."""
    before = german_path(root).read_bytes()
    save(client, "title", "Eine Lektion")
    assert german_path(root).read_bytes() != before
    assert client.get("/api/source/lesson/sample/de").json()["can_undo"] is True
    assert client.post("/api/undo/lesson/sample/de", headers=SAME_ORIGIN).status_code == 200
    assert german_path(root).read_bytes() == before


def test_save_all_writes_several_texts_in_one_write(client, root):
    texts = {
        "title": "Eine Lektion",
        "activity.questions[first].prompt": "Warum?",
        "sections[intro].heading": "Einleitung",
    }
    answer = client.post(FIELDS, json={"texts": texts}, headers=SAME_ORIGIN)
    assert answer.status_code == 200, answer.text
    assert {path: field["state"] for path, field in answer.json()["fields"].items()} == dict.fromkeys(
        texts, "unrecorded"
    )
    data = read_source(german_path(root))[0]
    assert (data["title"], data["activity"]["questions"][0]["prompt"], data["sections"][0]["heading"]) == tuple(
        texts.values()
    )
    assert len(list((german_path(root).parent / ".history" / "de").glob("*.yaml"))) == 1  # one write, one version


def test_save_all_with_one_text_refused_writes_none_and_names_it(client, root):
    third = "    - id: third\n      prompt: Et alors ?\n      answer: Voilà.\n      lines: 2\nreadings: []\n"
    replace_in(french_path(root), "readings: []\n", third)  # a new question the translation lacks
    before = unchanged(root)
    texts = {"title": "Eine Lektion", "activity.questions[third].prompt": "Und dann?"}
    answer = client.post(FIELDS, json={"texts": texts}, headers=SAME_ORIGIN)
    assert answer.status_code == 400 and answer.json()["field"] == "activity.questions[third].prompt"
    assert "edit page" in answer.json()["error"]
    assert unchanged(root) == before
    page = client.get(PAGE).text
    article = re.search(r'data-field="activity.questions\[third\].prompt".*?</article>', page, re.S).group(0)
    assert "<textarea" not in article and "add it in the edit page" in article
    texts = {"title": "Eine Lektion", "nowhere": "x"}
    answer = client.post(FIELDS, json={"texts": texts}, headers=SAME_ORIGIN)
    assert answer.status_code == 400 and answer.json()["field"] == "nowhere"
    assert unchanged(root) == before


def test_a_text_inside_braces_is_written_as_one_quoted_line(client, root):
    replace_in(french_path(root), "credits:\n", "credits:\n  source: Une source\n")
    replace_in(german_path(root), "credits: {}", "credits: {source: 'TODO translate: Une source'}")
    answer = save(client, "credits.source", "Eine Quelle: mit Doppelpunkt")
    assert answer.status_code == 200, answer.text
    assert 'credits: {source: "Eine Quelle: mit Doppelpunkt"}' in german_path(root).read_text(encoding="utf-8")


TEXTS = [
    "Kurz.",
    "Ein langer Text, der über die Breite einer Zeile hinausgeht und gefaltet wird, " * 2 + "Ende.",
    "Zwei Zeilen\nund *mehr*: « x » # y",
    "- wie eine Liste",
    "'quoted' and \"double\"",
    "null",
]


@pytest.mark.parametrize("kind,document", [("lesson", SHIPPED_LESSON), ("reading", SHIPPED_READING)])
def test_texts_of_the_shipped_translation_are_written_in_place_and_read_back_as_typed(tmp_path, kind, document):
    """The shipped de-CH translation (hand-written: folded blocks, blank lines, comments): every thirteenth text
    is replaced in turn; each time only that text's lines change and every other text reads back the same."""
    project = copy_shipped(tmp_path / "shipped")
    path = project / "sources" / f"{kind}s" / document / "de-CH.yaml"
    with TestClient(create_app(project, token=TOKEN, hosts=frozenset({HOST}))) as browser:
        browser.get(f"/?token={TOKEN}")
        original, _, _ = read_source(path.with_name("fr.yaml"))
        for number, field in enumerate(list(text_fields(original))[::13]):
            before_text = path.read_text(encoding="utf-8")
            before = {f.path: f.text for f in text_fields(read_source(path)[0])}
            text = TEXTS[number % len(TEXTS)]
            address = f"/api/translation/{kind}/{document}/de-CH/field"
            answer = browser.post(address, json={"field": field.path, "text": text}, headers=SAME_ORIGIN)
            assert answer.status_code == 200, (field.path, answer.text)
            after = {f.path: f.text for f in text_fields(read_source(path)[0])}
            kept_break = "\n" if field.text.endswith("\n") else ""  # a text written with “|” keeps its last line break
            assert after == {**before, field.path: text + kept_break}, field.path
            lines = difflib.SequenceMatcher(
                None, before_text.splitlines(), path.read_text(encoding="utf-8").splitlines()
            )
            assert len([op for op in lines.get_opcodes() if op[0] != "equal"]) == 1, field.path  # one place changed


def test_a_request_larger_than_a_lesson_is_refused_unread(client, root):
    before = unchanged(root)
    answer = client.post(
        FIELD, content=b'{"field": "title", "text": "' + b"x" * (5 * 1024 * 1024) + b'"}', headers=SAME_ORIGIN
    )
    assert answer.status_code == 413
    assert unchanged(root) == before


# --------------------------------------------------------------------------- marking as translated


def test_marking_one_field_then_all_records_what_lessonkit_translated_records(client, root, tmp_path):
    twin = translated_project(tmp_path / "twin")  # the same project, marked by the command line
    for folder in (root, twin):
        replace_in(german_path(folder), f"'{MARKER}Une leçon'", "Eine Lektion")
        replace_in(german_path(folder), f"'{MARKER}Pourquoi ?'", "Warum?")
    answer = client.post(TRANSLATED, json={"fields": ["title"]}, headers=SAME_ORIGIN)
    assert answer.status_code == 200 and answer.json()["recorded"] == 1
    assert main(["--root", str(twin), "translated", "sample", "--lang", "de", "--field", "title"]) == 0
    assert record_path(german_path(root)).read_bytes() == record_path(german_path(twin)).read_bytes()
    assert answer.json()["states"]["title"]["state"] == "translated"

    answer = client.post(TRANSLATED, json={"fields": None}, headers=SAME_ORIGIN)
    assert answer.status_code == 200 and answer.json()["recorded"] == 2
    assert main(["--root", str(twin), "translated", "sample", "--lang", "de"]) == 0
    assert record_path(german_path(root)).read_bytes() == record_path(german_path(twin)).read_bytes()
    assert set(read_record(german_path(root))) == {"title", "activity.questions[first].prompt"}
    assert answer.json()["counts"] == {k: list(status_states(root).values()).count(k) for k in answer.json()["counts"]}


def test_a_translation_with_problems_is_not_marked(client, root):
    replace_in(german_path(root), f"      answer: '{MARKER}Ainsi.'\n", "")
    answer = client.post(TRANSLATED, json={"fields": None}, headers=SAME_ORIGIN)
    assert answer.status_code == 409 and any("answer" in p for p in answer.json()["problems"])
    assert not record_path(german_path(root)).exists()


# --------------------------------------------------------------------------- refusals write nothing


def unchanged(root: Path):
    """Every file under the project, as bytes: compared before and after a refused request."""
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize(
    "body",
    [
        {"field": "sections[nowhere].heading", "text": "x"},
        {"field": "duration", "text": "90"},  # not a text: no language changes it
        {"field": "title"},
        {"field": ["title"], "text": "x"},
        {"text": "x"},
        {"field": "title", "text": "x" * 100_001},
    ],
    ids=["unknown field", "neutral field", "no text", "not a name", "no field", "too long"],
)
def test_a_bad_text_is_refused_and_nothing_is_written(client, root, body):
    before = unchanged(root)
    answer = client.post(FIELD, json=body, headers=SAME_ORIGIN)
    assert answer.status_code == 400 and answer.json()["error"]
    assert unchanged(root) == before


@pytest.mark.parametrize("fields", [["sections[nowhere].heading"], ["duration"], "title", [1]])
def test_marking_a_bad_field_is_refused_and_nothing_is_written(client, root, fields):
    replace_in(german_path(root), f"'{MARKER}Une leçon'", "Eine Lektion")
    before = unchanged(root)
    answer = client.post(TRANSLATED, json={"fields": fields}, headers=SAME_ORIGIN)
    assert answer.status_code == 400 and answer.json()["error"]
    assert unchanged(root) == before


@pytest.mark.parametrize(
    "address",
    [
        "/api/translation/lesson/..%2f..%2fsources/de/field",
        "/api/translation/lesson/%2e%2e/de/field",
        "/api/translation/lesson/sample/..%2fde/field",
        "/api/translation/lesson/%2Ftmp%2Fsample/de/field",
        "/api/translation/lessons/sample/de/field",
        "/api/translation/lesson/sample/de.yaml/field",
    ],
)
def test_a_path_out_of_sources_is_refused_and_nothing_is_written(client, root, address):
    before = unchanged(root)
    answer = client.post(address, json={"field": "title", "text": "x"}, headers=SAME_ORIGIN)
    assert answer.status_code in (400, 404)
    assert client.get(address.removesuffix("/field").replace("/api/translation/", "/translate/")).status_code == 404
    assert unchanged(root) == before


def test_a_translation_or_record_that_is_a_link_is_refused_and_nothing_is_written(client, root, tmp_path):
    outside = tmp_path / "outside.yaml"
    shutil.copy(german_path(root), outside)
    before = outside.read_bytes()
    german_path(root).unlink()
    german_path(root).symlink_to(outside)
    assert client.get(PAGE).status_code == 404
    assert save(client, "title", "x").status_code == 404
    assert outside.read_bytes() == before

    german_path(root).unlink()
    shutil.copy(outside, german_path(root))
    replace_in(german_path(root), f"'{MARKER}Une leçon'", "Eine Lektion")
    record = tmp_path / "outside.json"
    record.write_text("{}", encoding="utf-8")
    record_path(german_path(root)).symlink_to(record)
    assert client.post(TRANSLATED, json={"fields": None}, headers=SAME_ORIGIN).status_code == 404
    assert record.read_text(encoding="utf-8") == "{}"


def test_a_linked_lesson_folder_is_refused(client, root, tmp_path):
    shutil.copytree(german_path(root).parent, tmp_path / "elsewhere")
    (root / "sources" / "lessons" / "linked").symlink_to(tmp_path / "elsewhere")
    assert client.get("/translate/lesson/linked/de").status_code == 404
    answer = client.post(
        "/api/translation/lesson/linked/de/field", json={"field": "title", "text": "x"}, headers=SAME_ORIGIN
    )
    assert answer.status_code == 404
    assert "x" not in read_source(tmp_path / "elsewhere" / "de.yaml")[0]["title"]


@pytest.mark.parametrize("headers", [{}, {"origin": "http://evil.example"}], ids=["no origin", "foreign origin"])
def test_a_change_without_the_apps_origin_is_refused(client, root, headers):
    before = unchanged(root)
    assert client.post(FIELD, json={"field": "title", "text": "x"}, headers=headers).status_code == 403
    assert client.post(TRANSLATED, json={"fields": None}, headers=headers).status_code == 403
    assert unchanged(root) == before


def test_the_page_needs_the_token(root):
    with TestClient(create_app(root, token=TOKEN, hosts=frozenset({HOST}))) as stranger:
        assert stranger.get(PAGE).status_code == 401


# --------------------------------------------------------------------------- in Chromium


@pytest.fixture
def server(root):
    """``lessonkit serve`` on the fixture project; yields the address it printed (with its token)."""
    with serving(root) as (address, _base):
        yield address


def test_a_teacher_translates_saves_and_marks_a_text_in_chromium(root, server, browser):
    replace_in(german_path(root), f"'{MARKER}Une leçon'", "Eine Lektion")
    assert main(["--root", str(root), "translated", "sample", "--lang", "de", "--field", "title"]) == 0
    replace_in(french_path(root), "title: Une leçon", "title: La leçon revue")  # the title is now stale
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and "favicon" not in r.url else None,
    )
    page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None
    )
    page.goto(server.replace("/?", "/translate/lesson/sample/de?"))

    title = page.locator('article[data-field="title"]')
    assert title.get_attribute("data-state") == "stale"
    assert "Stale" in title.locator(".state").inner_text()
    # what changed in the original since the title was marked: struck through and underlined, not colour alone
    change = title.locator(".change")
    assert change.is_visible() and "What changed in the original" in change.inner_text()
    assert change.locator(".diff del").all_text_contents() == ["removed: Une"]
    assert change.locator(".diff ins").all_text_contents() == ["added: La", "added:  revue"]
    decoration = "(e) => getComputedStyle(e).textDecorationLine"
    assert change.locator(".diff del").evaluate(decoration) == "line-through"
    assert change.locator(".diff ins").first.evaluate(decoration) == "underline"
    assert change.locator(".diff .visually-hidden").first.evaluate("(e) => e.getBoundingClientRect().width") <= 1
    prompt = page.locator('article[data-field="activity.questions[first].prompt"]')
    assert prompt.locator(".state").inner_text().endswith("Not yet translated")
    page.get_by_label("Show only what needs work").check()
    assert page.locator('article[data-state="translated"]:visible').count() == 0

    prompt.locator("textarea").fill("Warum?")
    assert "not saved" in prompt.locator(".note").inner_text()
    prompt.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('[data-field=\"activity.questions[first].prompt\"] .note')"
        ".textContent === 'Saved.'"
    )
    assert prompt.get_attribute("data-state") == "unrecorded"
    assert read_source(german_path(root))[0]["activity"]["questions"][0]["prompt"] == "Warum?"

    title.locator("textarea").fill("Eine überarbeitete Lektion")
    title.get_by_role("button", name="Mark as translated").click()  # saves first, then marks
    page.wait_for_function(
        "() => document.querySelector('article[data-field=\"title\"]').dataset.state === 'translated'"
    )
    assert title.locator(".state").inner_text().endswith("Done")
    assert change.is_hidden()  # marked again: the change is recorded, nothing more to compare
    assert read_source(german_path(root))[0]["title"] == "Eine überarbeitete Lektion"
    assert "title" in read_record(german_path(root))
    assert "1 translated" in page.locator("#counts").inner_text()

    page.get_by_label("Show only what needs work").uncheck()
    page.locator('article[data-field="level"] textarea').fill("Sekundarstufe II")
    page.locator('article[data-field="subject"] textarea').fill("Digitale Bildung")
    page.get_by_role("button", name="Save all changes").click()
    page.wait_for_function("() => document.getElementById('page-note').textContent === 'Saved 2 text(s).'")
    saved = read_source(german_path(root))[0]
    assert (saved["level"], saved["subject"]) == ("Sekundarstufe II", "Digitale Bildung")
    page.get_by_role("button", name="Mark all as translated").click()
    page.wait_for_function("() => /marked as translated/.test(document.getElementById('page-note').textContent)")
    assert "4 translated" in page.locator("#counts").inner_text()
    assert set(read_record(german_path(root))) == {"title", "level", "subject", "activity.questions[first].prompt"}
    assert errors == []

    page.close()


def test_axe_core_finds_no_serious_violation_on_the_translation_page(root, server, browser):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: npm ci")
    replace_in(german_path(root), f"'{MARKER}Une leçon'", "Eine Lektion")
    replace_in(german_path(root), f"'{MARKER}Pourquoi ?'", "Warum?")
    assert main(["--root", str(root), "translated", "sample", "--lang", "de"]) == 0
    replace_in(french_path(root), "title: Une leçon", "title: La leçon revue")  # every state, and what changed
    replace_in(german_path(root), f"'{MARKER}Éducation numérique'", "Digitale Bildung")
    replace_in(german_path(root), f"      answer: '{MARKER}Ainsi.'\n", "")
    context = browser.new_context(bypass_csp=True)  # axe-core is injected as an inline script
    page = context.new_page()
    page.goto(server.replace("/?", "/translate/lesson/sample/de?"))
    assert page.locator(".change .diff del").count() == 1  # axe-core sees what changed in the stale title
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"{width} px: {serious}"
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    if os.environ.get("LESSONKIT_SCREENSHOTS") == "docs":
        page.set_viewport_size({"width": 1280, "height": 900})
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(ROOT / "docs" / "web-translation.png"))
    context.close()
