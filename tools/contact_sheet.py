#!/usr/bin/env python3
"""Every slide of a deck on one picture, as LibreOffice shows them: the README's docs/deck-fr.png.

    .venv/bin/python tools/contact_sheet.py outputs/digital-labor/fr/slides.pptx docs/deck-fr.png

Needs LibreOffice (soffice) and poppler (pdftoppm).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

COLUMNS, GAP, BACKGROUND = 5, 8, "#9a9a9a"


def slide_pictures(deck: Path, folder: Path, resolution: int) -> list[Path]:
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
    pdf = folder / f"{deck.stem}.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(folder / "slide")], check=True)
    return sorted(folder.glob("slide-*.png"))


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
    parser.add_argument("deck", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--resolution", type=int, default=30, help="pixels per inch of each slide (default 30)")
    parser.add_argument("--columns", type=int, default=COLUMNS)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lessonkit-sheet-") as folder:
        sheet = contact_sheet(
            slide_pictures(arguments.deck.resolve(), Path(folder), arguments.resolution), arguments.columns
        )
        # 128 colours are plenty for slides, and keep the README's picture small
        sheet.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(arguments.target, optimize=True)
    print(f"wrote {arguments.target} ({sheet.width}×{sheet.height})")


if __name__ == "__main__":
    main()
