"""Reading PDFs back the way a reader sees them: text per page (poppler), pictures of pages."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

HYPHENS = "\\-\u2010\u00ad"
QUOTES = '"“”«»„'  # the language's quotation marks replace the ones typed: compare the words


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def squash(text: str) -> str:
    """Text without spaces, hyphens or quotation marks: immune to line breaks, justification,
    hyphenation and the language's quotation marks."""
    return re.sub(rf"[\s{HYPHENS}{QUOTES}\u202f\u00a0]+", "", text)


def page_of(pages: list[str], text: str) -> int | None:
    """1-based page where ``text`` begins (its first 40 squashed characters), or None."""
    needle = squash(text)[:40]
    for number, page in enumerate(pages, start=1):
        if needle in squash(page):
            return number
    return None


def printed_page_number(page: str) -> int | None:
    """The worksheet page number printed in a page's footer (“Page 4 / 10” → 4), or None."""
    found = re.findall(r"(\d+)\s*/\s*\d+\s*$", page.rstrip())
    return int(found[-1]) if found else None


def printed_page_of(pages: list[str], text: str) -> int | None:
    """The printed page number of the first numbered page where ``text`` begins (the key keeps the
    sheet's numbers; its first page, the teacher's, has none)."""
    numbered = [page for page in pages if printed_page_number(page) is not None]
    index = page_of(numbered, text)
    return printed_page_number(numbered[index - 1]) if index else None


def figure_alt_texts(reader) -> list[str]:
    """The /Alt text of every /Figure in the PDF's structure tree (what a screen reader says)."""
    found: list[str] = []

    def walk(node, depth=0):
        node = node.get_object() if hasattr(node, "get_object") else node
        if depth > 200:
            return
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                walk(kids, depth + 1)
        elif isinstance(node, list):
            for kid in node:
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def render_pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))
