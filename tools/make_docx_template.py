#!/usr/bin/env python3
"""Regenerate layouts/docx/template.docx, the template of worksheet.docx and answer-key.docx.

The template is data: a school may restyle it in Word (or replace it), as long as the named styles
below stay. This script only documents how the shipped one was made, from python-docx's default
template, and adds what python-docx cannot: a footnotes part (with Word's two separator notes)
for real footnotes.

    .venv/bin/python tools/make_docx_template.py

Fonts: Calibri (Carlito, metric-compatible, where Calibri is missing), like the deck.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parent.parent / "layouts" / "docx" / "template.docx"
FONT = "Calibri"
INK, ACCENT, MUTED, LIGHT, RULE, ANSWER = "1A1A1A", "1F4E79", "4D4D4D", "EEF2F6", "8C9AA8", "2F5E1A"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES = f"""<w:footnotes {nsdecls("w")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p>
<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""

# name: (based on, size pt, bold, italic, colour, space before, space after, keep with next)
PARAGRAPH_STYLES = {
    "Kicker": ("Normal", 9, False, False, MUTED, 0, 2, True),
    "Student Fields": ("Normal", 11, False, False, INK, 6, 12, False),
    "Question": ("Normal", 11, True, False, INK, 10, 3, True),
    "Points": ("Normal", 9, False, False, MUTED, 0, 3, True),
    "Answer": ("Normal", 11, False, True, ANSWER, 2, 4, False),
    "Answer Space": ("Normal", 11, False, False, INK, 0, 0, False),
    "Box Title": ("Normal", 11, True, False, ACCENT, 8, 2, True),
    "Box": ("Normal", 10.5, False, False, INK, 0, 4, False),
    "Glossary Term": ("Normal", 11, True, False, INK, 6, 0, True),
    "Glossary Definition": ("Normal", 11, False, False, INK, 0, 4, False),
    "Link Title": ("Normal", 11, True, False, INK, 0, 0, False),
    "Link Details": ("Normal", 9.5, False, False, MUTED, 0, 0, False),
    "Teacher": ("Normal", 11, False, False, INK, 0, 6, False),
    "Credits": ("Normal", 8.5, False, False, MUTED, 0, 2, False),
    "Thesis": ("Normal", 11.5, False, False, INK, 0, 8, False),
    "Footnote Text": ("Normal", 9, False, False, INK, 0, 0, False),
}


def main() -> None:
    document = Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.font.color.rgb = RGBColor.from_string(INK)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = RGBColor.from_string(ACCENT)
        style.paragraph_format.space_before = Pt(0 if name == "Title" else 14)
        style.paragraph_format.space_after = Pt(4)
        _ascii_font(style, FONT)
    for name in ("Caption", "Quote", "List Bullet"):
        styles[name].font.name = FONT
    styles["Caption"].font.color.rgb = RGBColor.from_string(MUTED)
    for name, (base, size, bold, italic, colour, before, after, keep) in PARAGRAPH_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        font = style.font
        font.size, font.bold, font.italic = Pt(size), bold, italic
        font.color.rgb = RGBColor.from_string(colour)
        paragraph = style.paragraph_format
        paragraph.space_before, paragraph.space_after, paragraph.keep_with_next = Pt(before), Pt(after), keep
    styles["Kicker"].font.all_caps = True
    styles["Student Fields"].paragraph_format.tab_stops.add_tab_stop(
        Cm(7.5), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.LINES
    )
    styles["Student Fields"].paragraph_format.tab_stops.add_tab_stop(Cm(12), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.LINES)
    styles["Student Fields"].paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.LINES)
    # one ruled line to write on: a paragraph of fixed height with a line under it; Enter adds one
    space = styles["Answer Space"].paragraph_format
    space.line_spacing, space.space_before, space.space_after = Pt(24), Pt(0), Pt(0)
    _border(styles["Answer Space"], f'<w:bottom w:val="single" w:sz="4" w:space="1" w:color="{RULE}"/>', between=True)
    _border(styles["Box"], f'<w:left w:val="single" w:sz="24" w:space="8" w:color="{ACCENT}"/>', shade=LIGHT)
    _border(styles["Box Title"], f'<w:left w:val="single" w:sz="24" w:space="8" w:color="{ACCENT}"/>', shade=LIGHT)
    _border(styles["Thesis"], f'<w:left w:val="single" w:sz="18" w:space="8" w:color="{ACCENT}"/>')
    for name in ("Box", "Box Title", "Thesis"):
        styles[name].paragraph_format.left_indent = Cm(0.4)
    styles["Glossary Definition"].paragraph_format.left_indent = Cm(0.6)
    reference = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    reference.font.superscript = True
    _footnotes_part(document)
    _drop_styles_with_effects(document)
    _drop_table_styles(document, keep=("Normal Table", "Table Grid"))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    document.save(buffer)
    TARGET.write_bytes(buffer.getvalue())
    print(f"wrote {TARGET}")


def _ascii_font(style, font: str) -> None:
    """Headings of the default template name the theme's heading font: use ours on every script."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), font)
    fonts.set(qn("w:hAnsi"), font)


def _border(style, edges: str, between: bool = False, shade: str | None = None) -> None:
    properties = style.element.get_or_add_pPr()
    inner = edges + (edges.replace("w:bottom", "w:between") if between else "")
    borders = parse_xml(f"<w:pBdr {nsdecls('w')}>{inner}</w:pBdr>")
    # pBdr and shd come right after keepNext/keepLines/pageBreakBefore… and before tabs and spacing
    successors = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr")
    properties.insert_element_before(borders, *successors)
    if shade:
        shading = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{shade}"/>')
        properties.insert_element_before(shading, *successors[1:])


def _drop_table_styles(document, keep: tuple[str, ...]) -> None:
    """The default template's 140 table styles make every style lookup slow; a school adds its own."""
    for style in list(document.styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in keep:
            style.element.getparent().remove(style.element)


def _drop_styles_with_effects(document) -> None:
    """The default template carries Word 2010's copy of the styles (stylesWithEffects.xml): a style
    added to one and not the other is a validation error, and Word reads styles.xml alone."""
    for key, relationship in list(document.part.rels.items()):
        if relationship.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[key]


def _footnotes_part(document) -> None:
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, FOOTNOTES.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


if __name__ == "__main__":
    main()
