"""What reaches the outputs from a shared lesson (issue 10): only web and e-mail links, and no
list so long that a renderer would work on it for minutes."""

from __future__ import annotations

import re
import zipfile
from urllib.parse import urlsplit

from pypdf import PdfReader

from lessonkit.cli import main

from .conftest import SAMPLE_LESSON

ALLOWED = {"http", "https", "mailto"}

LINKS = SAMPLE_LESSON.replace(
    "      - Un paragraphe avec une note.[^note]\n",
    "      - Un paragraphe avec une note.[^note] Voir [le site](https://example.org/page),"
    " [l’ancien](http://example.org) ou [écrire](mailto:prof@example.org).\n",
).replace("readings: []", "resources:\n  - title: Un site\n    url: https://example.org/ressource\nreadings: []")


def test_only_web_and_mail_links_reach_the_pdf_and_the_deck(project, tmp_path):
    project.write(LINKS)
    assert main(["--root", str(project.root), "build", "--quiet", "--out", str(tmp_path / "out")]) == 0
    folder = tmp_path / "out" / "sample" / "fr"
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for name in ("worksheet.pdf", "answer-key.pdf")
        for page in PdfReader(folder / name).pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    ]
    with zipfile.ZipFile(folder / "slides.pptx") as deck:
        relationships = "".join(
            deck.read(name).decode("utf-8") for name in deck.namelist() if name.endswith(".xml.rels")
        )
    targets = re.findall(r'Target="([^"]+)"[^>]*TargetMode="External"', relationships)
    targets += re.findall(r'TargetMode="External"[^>]*Target="([^"]+)"', relationships)
    assert "https://example.org/page" in uris and "mailto:prof@example.org" in uris
    assert "https://example.org/ressource" in targets
    assert {urlsplit(uri).scheme for uri in uris + targets} <= ALLOWED, uris + targets


def test_a_box_of_6000_paragraphs_is_refused_by_the_limits(project, capsys):
    box = (
        "    boxes:\n      - kind: case\n        title: Une boîte\n        body:\n"
        + "          - Un paragraphe de la boîte.\n" * 6000
    )
    project.write(
        SAMPLE_LESSON.replace("    slide_points:\n      - Un point\n", box + "    slide_points:\n      - Un point\n")
    )
    assert main(["--root", str(project.root), "check"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"fr\.yaml:\d+:\d+: sections\.1\.boxes\.1\.body: has 6000 items, but at most 100", err), err
