"""The screen handout (handout.html, handout-key.html) of the shipped lesson: self-contained, structured for
screen readers, without answers for students, with them in <details> for the teacher; checked in Chromium
by axe-core at a phone's and a projector's width. The browser tests are skipped where Chromium, Playwright
or axe-core (``npm ci``) is missing; CI installs all three."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lessonkit.loader import Sources, load_document
from lessonkit.prepare import prepare
from lessonkit.render.handout import HANDOUT, HANDOUT_KEY, HandoutRenderer

from .browser import AXE
from .conftest import ROOT
from .projects import squash

LANGUAGES = ["fr", "en-GB", "de-CH"]
WIDTHS = {"phone": (390, 844), "projector": (1280, 800)}


def shipped(language: str):
    sources = Sources(ROOT / "sources")
    [source] = [s for s in sources.lessons() if (s.id, s.language) == ("digital-labor", language)]
    return prepare(load_document(sources, source))


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handout")
    renderer = HandoutRenderer()
    found = {}
    for language in LANGUAGES:
        document = shipped(language)
        paths = {}
        for name, _, data in renderer.render(document).files:
            paths[name] = folder / f"{language}-{name}"
            paths[name].write_bytes(data)
        found[language] = (document, paths)
    return found


class Outline(HTMLParser):
    """What a screen reader is given: tags, headings, images, languages, addresses of resources."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.images: list[dict] = []
        self.resources: list[str] = []
        self.languages: list[str] = []
        self.text: list[str] = []
        self.details = 0

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(attributes)
        if tag == "details":
            self.details += 1
        if "lang" in attributes:
            self.languages.append(attributes["lang"])
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if tag in ("img", "script", "link", "iframe", "video", "audio", "source") and value:
                self.resources.append(value)
        style = attributes.get("style") or ""
        self.resources += re.findall(r"url\('?([^')]+)", style)

    def handle_data(self, data):
        self.text.append(data)


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_self_contained_file_with_landmarks_headings_alt_and_languages(editions, language):
    document, paths = editions[language]
    for path in paths.values():
        page = outline(path)
        html = path.read_text(encoding="utf-8")
        assert f'<html lang="{document.language}">' in html
        assert all(resource.startswith("data:") for resource in page.resources), page.resources
        assert "@import" not in html and not re.search(r"url\((?!'?data:)", html)
        assert {"header", "nav", "main", "footer"} <= set(page.tags)
        assert page.headings[0] == 1 and page.headings.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))  # no level skipped
        assert page.images and all(image.get("alt") for image in page.images)
        if language == "fr":
            assert "en" in page.languages  # *digital labor*


@pytest.mark.parametrize("language", LANGUAGES)
def test_students_get_the_questions_without_answers_and_the_teacher_gets_them_in_details(editions, language):
    document, paths = editions[language]
    sheet, key = (squash("".join(outline(paths[name]).text)) for name in (HANDOUT, HANDOUT_KEY))
    questions = document.questions()
    assert outline(paths[HANDOUT]).details == 0 and outline(paths[HANDOUT_KEY]).details == len(questions)
    for question in questions:
        assert squash(question.prompt.plain) in sheet and squash(question.prompt.plain) in key
        for block in question.answer:
            texts = [item.plain for item in block.items] if hasattr(block, "items") else [block.text.plain]
            for text in texts:
                assert squash(text) in key and squash(text) not in sheet


# --------------------------------------------------------------------------- in Chromium


def open_page(browser, path: Path, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(path.as_uri())
    return page, [url for url in fetched if not url.startswith(("data:", path.as_uri()))]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [HANDOUT, HANDOUT_KEY])
def test_axe_core_finds_no_violation(editions, browser, name, width):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: npm ci")
    for language in LANGUAGES:
        page, fetched = open_page(browser, editions[language][1][name], *WIDTHS[width])
        assert fetched == []  # nothing fetched
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
        assert violations == [], f"{language}: {violations}"
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_overflows_the_screen(editions, browser, width):
    page, _ = open_page(browser, editions["fr"][1][HANDOUT_KEY], *WIDTHS[width])
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.close()
