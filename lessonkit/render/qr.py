"""QR codes for links on paper and on slides (segno; always a full QR code, never a Micro QR)."""

from __future__ import annotations

import io
from functools import lru_cache

import segno


@lru_cache(maxsize=256)
def qr_svg_data_uri(url: str) -> str:
    """A vector QR code as a ``data:`` URI, for the PDF."""
    return segno.make_qr(url, error="m").svg_data_uri(scale=4, border=2, dark="#000", light="#fff")


@lru_cache(maxsize=256)
def qr_png(url: str) -> bytes:
    """A QR code as PNG bytes, for the slides (PowerPoint takes no SVG)."""
    buffer = io.BytesIO()
    segno.make_qr(url, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()
