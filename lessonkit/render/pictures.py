"""Pictures as PNG or JPEG bytes, for the formats that take no SVG (the deck, the DOCX): an SVG is
drawn with resvg and the bundled fonts, other formats converted by Pillow."""

from __future__ import annotations

import io
from pathlib import Path

from ..layouts import LAYOUTS

FONTS = LAYOUTS / "fonts"
PICTURE_SIDE = 1600  # pixels an SVG is drawn to, on its longer side


def picture_bytes(path: Path, side: int = PICTURE_SIDE) -> bytes:
    """PNG or JPEG bytes of a picture of the lesson, an SVG drawn to fit ``side`` pixels (its limits
    are checked by the caller)."""
    return svg_png(path, side) if path.suffix.lower() == ".svg" else png_or_jpeg(path)


def png_or_jpeg(path: Path) -> bytes:
    return raster(path, keep=("PNG", "JPEG"))[0]


def raster(path: Path, keep: tuple[str, ...]) -> tuple[bytes, str]:
    """A raster picture's bytes and media type: as it is when its format is one of ``keep`` (Pillow's
    names), else converted to PNG (an animation's first frame)."""
    from PIL import Image

    with Image.open(path) as image:
        if image.format in keep:
            return path.read_bytes(), Image.MIME[image.format]
        image.seek(0)
        buffer = io.BytesIO()
        image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB").save(buffer, "PNG")
        return buffer.getvalue(), "image/png"


def svg_png(path: Path, side: int = PICTURE_SIDE) -> bytes:
    """The SVG drawn to fit a square of ``PICTURE_SIDE`` pixels, so a tall, narrow one is not drawn
    32,000 pixels high; a tiny first drawing gives its shape."""
    from PIL import Image

    probe = Image.open(io.BytesIO(_draw_svg(path, width=64)))
    return _draw_svg(path, **({"width": side} if probe.width >= probe.height else {"height": side}))


def _draw_svg(path: Path, **size: int) -> bytes:
    import resvg_py

    # the bundled fonts, so that a diagram's labels are drawn as on the sheet (no system font is read)
    return bytes(
        resvg_py.svg_to_bytes(
            svg_path=str(path),
            skip_system_fonts=True,
            font_dirs=[str(FONTS)],
            font_family="Lato",
            sans_serif_family="Lato",
            serif_family="Lato",
            monospace_family="Lato",
            **size,
        )
    )
