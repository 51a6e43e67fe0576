#!/usr/bin/env python3
"""Pages of decks and PDFs on one picture, as a reader sees them: the README's pictures.

    .venv/bin/python tools/contact_sheet.py outputs/digital-labor/fr/slides.pptx docs/deck-fr.png
    .venv/bin/python tools/contact_sheet.py --columns 3 --resolution 40 \
        outputs/digital-labor/fr/worksheet.pdf@1 outputs/digital-labor/fr/answer-key.pdf@1,2 docs/worksheet-and-key.png

A file may be followed by @ and the pages to show (1-based, comma-separated); by default all.
Needs LibreOffice (soffice, for decks) and poppler (pdftoppm).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

COLUMNS, GAP, BACKGROUND = 5, 8, "#9a9a9a"


def page_pictures(source: str, folder: Path, resolution: int) -> list[Path]:
    """PNG pictures of a deck's slides or a PDF's pages (``path@1,3`` for some of them)."""
    path, _, wanted = source.partition("@")
    document = Path(path).resolve()
    pdf = document if document.suffix == ".pdf" else slides_pdf(document, folder)
    prefix = folder / f"{len(list(folder.glob('*.png'))):03d}-{document.stem}"
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(prefix)], check=True)
    pictures = sorted(folder.glob(f"{prefix.name}-*.png"))
    return [pictures[int(n) - 1] for n in wanted.split(",")] if wanted else pictures


def slides_pdf(deck: Path, folder: Path) -> Path:
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder / f"{deck.stem}.pdf"


def contact_sheet(pictures: list[Path], columns: int = COLUMNS) -> Image.Image:
    slides = [Image.open(path).convert("RGB") for path in pictures]
    width, height = slides[0].size
    rows = -(-len(slides) // columns)
    sheet = Image.new("RGB", (columns * (width + GAP) + GAP, rows * (height + GAP) + GAP), BACKGROUND)
    for index, slide in enumerate(slides):
        row, column = divmod(index, columns)
        sheet.paste(slide, (GAP + column * (width + GAP), GAP + row * (height + GAP)))
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", help="decks or PDFs (file@pages), then the picture to write")
    parser.add_argument("--resolution", type=int, default=30, help="pixels per inch of each slide (default 30)")
    parser.add_argument("--columns", type=int, default=COLUMNS)
    arguments = parser.parse_args()
    *sources, target = arguments.sources
    with tempfile.TemporaryDirectory(prefix="lessonkit-sheet-") as folder:
        pictures = [
            picture for source in sources for picture in page_pictures(source, Path(folder), arguments.resolution)
        ]
        sheet = contact_sheet(pictures, arguments.columns)
        # 128 colours are plenty for pages and slides, and keep the README's pictures small
        sheet.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print(f"wrote {target} ({sheet.width}×{sheet.height})")


if __name__ == "__main__":
    main()
