#!/usr/bin/env python3
"""Regenerate layouts/pptx/template.pptx, the 16:9 deck template with named layouts.

The template is data: a school may replace it with its own, as long as it has
layouts with the same names (see README). This script only documents how the
shipped one was made, from python-pptx's default template:

    .venv/bin/python tools/make_pptx_template.py

Fonts: Calibri (Carlito, metric-compatible, renders it where Calibri is missing).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches

TARGET = Path(__file__).resolve().parent.parent / "layouts" / "pptx" / "template.pptx"
FONT = "Calibri"
INK, ACCENT, MUTED, LIGHT = "1A1A1A", "1F4E79", "4D4D4D", "EEF2F6"
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, 13.333 × 7.5 in

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}

# (name, layout type, placeholders). A placeholder: (kind, idx, x, y, w, h in inches, style).
# Text is never below 24 pt; the title slide's title and subtitle share one alignment (left, as every title).
TITLE_BAR = ("title", 0, 0.6, 0.25, 12.13, 1.3, {"size": 36, "anchor": "b"})
LAYOUTS = [
    (
        "Title",
        "title",
        [
            ("ctrTitle", 0, 0.8, 1.7, 11.73, 2.2, {"size": 48, "anchor": "b", "align": "l"}),
            (
                "subTitle",
                1,
                0.8,
                4.2,
                11.73,
                2.4,
                {"size": 24, "anchor": "t", "bullets": False, "color": MUTED, "align": "l"},
            ),
        ],
    ),
    (
        "Section",
        "secHead",
        [
            ("title", 0, 0.8, 2.3, 11.73, 1.8, {"size": 44, "anchor": "b"}),
            ("body", 1, 0.8, 4.3, 11.73, 1.6, {"size": 24, "anchor": "t", "bullets": False, "color": MUTED}),
        ],
    ),
    ("Bullets", "obj", [TITLE_BAR, ("body", 1, 0.6, 1.7, 12.13, 5.4, {"size": 32})]),
    (
        "Question",
        "obj",
        [
            TITLE_BAR,
            # the question, large; under it its key points, which appear on a click
            ("body", 1, 0.6, 1.7, 12.13, 2.45, {"size": 36, "bullets": False, "bold": True}),
            ("body", 2, 0.6, 4.25, 12.13, 2.9, {"size": 32, "color": ACCENT}),
        ],
    ),
    (
        "Picture",
        "picTx",
        [
            TITLE_BAR,
            ("pic", 13, 0.6, 1.7, 6.0, 5.3, {}),
            ("body", 1, 6.9, 1.7, 5.83, 5.3, {"size": 28}),
        ],
    ),
    (
        "Two Columns",
        "twoObj",
        [
            TITLE_BAR,
            ("body", 1, 0.6, 1.7, 5.9, 5.3, {"size": 24}),
            ("body", 2, 6.83, 1.7, 5.9, 5.3, {"size": 24}),
        ],
    ),
    (
        "Chart",
        "obj",
        [
            TITLE_BAR,
            ("chart", 14, 0.6, 1.7, 6.9, 5.3, {}),
            ("body", 1, 7.7, 1.7, 5.03, 5.3, {"size": 28}),
        ],
    ),
    ("Closing", "obj", [TITLE_BAR, ("body", 1, 0.6, 1.7, 12.13, 5.4, {"size": 32})]),
]
# The theme's colours: charts and anything a school adds take them from here.
THEME_COLOURS = {
    "dk1": INK,
    "lt1": "FFFFFF",
    "dk2": ACCENT,
    "lt2": LIGHT,
    "accent1": ACCENT,
    "accent2": "C55A11",
    "accent3": "548235",
    "accent4": "7F6000",
    "accent5": "2E75B6",
    "accent6": "7030A0",
    "hlink": "2E75B6",
    "folHlink": "7030A0",
}


def main() -> None:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    master = presentation.slide_master
    _style_master(master)
    _add_accent_bar(master)
    _set_theme(master)
    layouts = list(master.slide_layouts)
    for layout, (name, kind, placeholders) in zip(layouts, LAYOUTS, strict=False):
        _rewrite_layout(layout, name, kind, placeholders)
    for layout in layouts[len(LAYOUTS) :]:
        master.slide_layouts.remove(layout)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    presentation.core_properties.title = "lessonkit template"
    presentation.core_properties.author = "lessonkit"
    presentation.save(TARGET)
    print(f"wrote {TARGET}")


def _style_master(master) -> None:
    """16:9 positions and the text styles every layout inherits."""
    for placeholder in master.placeholders:
        kind = placeholder.placeholder_format.type
        if "TITLE" in str(kind):
            placeholder.left, placeholder.top, placeholder.width, placeholder.height = _box(0.6, 0.25, 12.13, 1.3)
        elif "BODY" in str(kind):
            placeholder.left, placeholder.top, placeholder.width, placeholder.height = _box(0.6, 1.7, 12.13, 5.3)
        else:  # date, footer, slide number: along the bottom edge
            placeholder.top = Inches(7.0)
    styles = master._element.find(qn("p:txStyles"))
    title = styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr"))
    _paragraph_style(title, size=36, bold=True, color=ACCENT, spacing=90, before=0)
    body = styles.find(qn("p:bodyStyle"))
    for level, size in ((1, 24), (2, 22), (3, 20), (4, 20), (5, 20)):
        _paragraph_style(body.find(qn(f"a:lvl{level}pPr")), size=size, bold=False, color=INK, spacing=100, before=10)


def _add_accent_bar(master) -> None:
    """A thin band of the accent colour along the top of every slide: the deck's one ornament, no text."""
    tree = master._element.find(qn("p:cSld")).find(qn("p:spTree"))
    bar = etree.fromstring(
        f"""<p:sp xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}">
          <p:nvSpPr><p:cNvPr id="90" name="Accent bar"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>
          <p:spPr>
            <a:xfrm><a:off x="0" y="0"/><a:ext cx="{WIDTH}" cy="{Inches(0.14)}"/></a:xfrm>
            <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
            <a:solidFill><a:srgbClr val="{ACCENT}"/></a:solidFill>
            <a:ln><a:noFill/></a:ln>
          </p:spPr>
        </p:sp>"""
    )
    tree.insert(2, bar)  # behind the placeholders


def _paragraph_style(element, size: int, bold: bool, color: str, spacing: int, before: int) -> None:
    for tag in ("a:lnSpc", "a:spcBef", "a:spcAft"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    line_spacing = etree.SubElement(element, qn("a:lnSpc"))
    etree.SubElement(line_spacing, qn("a:spcPct"), val=str(spacing * 1000))
    space_before = etree.SubElement(element, qn("a:spcBef"))
    etree.SubElement(space_before, qn("a:spcPts"), val=str(before * 100))
    # lnSpc and spcBef must come first in a:lvlNpPr
    element.insert(0, space_before)
    element.insert(0, line_spacing)
    properties = element.find(qn("a:defRPr"))
    properties.set("sz", str(size * 100))
    properties.set("b", "1" if bold else "0")
    for fill in properties.findall(qn("a:solidFill")):
        properties.remove(fill)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=color)
    properties.insert(0, fill)


def _set_theme(master) -> None:
    """Calibri for every text, and the deck's colours as the theme's (charts take their colours from it)."""
    theme_part = next(rel.target_part for rel in master.part.rels.values() if rel.reltype.endswith("/theme"))
    theme = etree.fromstring(theme_part.blob)
    for font in theme.iter(qn("a:latin")):
        font.set("typeface", FONT)
    scheme = theme.find(".//" + qn("a:clrScheme"))
    scheme.set("name", "lessonkit")
    for name, colour in THEME_COLOURS.items():
        slot = scheme.find(qn(f"a:{name}"))
        for old in list(slot):
            slot.remove(old)
        etree.SubElement(slot, qn("a:srgbClr"), val=colour)
    theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite_layout(layout, name: str, kind: str, placeholders) -> None:
    element = layout._element
    element.set("type", kind)
    element.set("preserve", "1")
    c_sld = element.find(qn("p:cSld"))
    c_sld.set("name", name)
    tree = c_sld.find(qn("p:spTree"))
    for shape in list(tree)[2:]:  # keep nvGrpSpPr and grpSpPr
        tree.remove(shape)
    for number, spec in enumerate(placeholders, start=2):
        tree.append(_placeholder(number, *spec))


def _placeholder(shape_id, kind, idx, x, y, w, h, style) -> etree._Element:
    names = {
        "ctrTitle": "Title",
        "title": "Title",
        "subTitle": "Subtitle",
        "body": "Text",
        "pic": "Picture",
        "chart": "Chart",
    }
    ph_type = {
        "ctrTitle": "ctrTitle",
        "title": "title",
        "subTitle": "subTitle",
        "body": "body",
        "pic": "pic",
        "chart": "chart",
    }[kind]
    attributes = f'type="{ph_type}"' + (f' idx="{idx}"' if idx else "")
    left, top, width, height = _box(x, y, w, h)
    xml = f"""
    <p:sp xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}" xmlns:r="{NS["r"]}">
      <p:nvSpPr>
        <p:cNvPr id="{shape_id}" name="{names[kind]} {idx}"/>
        <p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>
        <p:nvPr><p:ph {attributes}/></p:nvPr>
      </p:nvSpPr>
      <p:spPr><a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></a:xfrm></p:spPr>
      <p:txBody>
        <a:bodyPr anchor="{style.get("anchor", "t")}"><a:noAutofit/></a:bodyPr>
        <a:lstStyle>{_level_style(kind, style)}</a:lstStyle>
        <a:p><a:r><a:rPr lang="en-GB"/><a:t>{names[kind]}</a:t></a:r></a:p>
      </p:txBody>
    </p:sp>"""
    shape = etree.fromstring(xml)
    if kind in ("pic", "chart"):
        shape.remove(shape.find(qn("p:txBody")))
    return shape


def _level_style(kind: str, style: dict) -> str:
    if "size" not in style:
        return ""
    bold = "1" if style.get("bold") or kind in ("ctrTitle", "title") else "0"
    color = style.get("color", ACCENT if kind in ("ctrTitle", "title") else INK)
    bullets = "" if style.get("bullets", True) else "<a:buNone/>"
    indent = "" if style.get("bullets", True) else ' marL="0" indent="0"'
    if kind == "title" or style.get("align"):
        indent += f' algn="{style.get("align", "l")}"'
    return (
        f"<a:lvl1pPr{indent}>{bullets}"
        f'<a:defRPr sz="{style["size"] * 100}" b="{bold}"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
        f"</a:defRPr></a:lvl1pPr>"
    )


def _box(x: float, y: float, w: float, h: float) -> tuple[Emu, Emu, Emu, Emu]:
    return Inches(x), Inches(y), Inches(w), Inches(h)


if __name__ == "__main__":
    main()
