"""The deck's raw OOXML, behind named helpers: the only module of the deck that touches XML.

python-pptx covers shapes, text, pictures and charts; for what it has no API
for (bullets, languages, alternative text, animations, the inherited text
style of a layout, a chart's axis ids) the deck calls a helper here, so the
XML it writes is in one place and follows the schema's element order.
"""

from __future__ import annotations

import itertools

from lxml import etree
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

BULLETS = ("a:buNone", "a:buAutoNum", "a:buChar", "a:buBlip")
BULLET_FONTS = ("a:buFontTx", "a:buFont")
AFTER_BULLETS = ("a:tabLst", "a:defRPr", "a:extLst")  # what follows the bullet in a:pPr (CT_TextParagraphProperties)
BULLET_CHAR, BULLET_FACE = "•", "Arial"
# Consolas, declared fixed-pitch and modern (pitchFamily 49) so that a client lacking it picks a monospace face.
CODE_PANOSE, CODE_PITCH_FAMILY = "020B0609020204030204", "49"


# --------------------------------------------------------------------------- reading the template


def inherited_style(placeholder, master, title: bool) -> tuple[float | None, bool | None, str | None]:
    """(size in points, bold, alignment) the first level of a layout placeholder's text inherits:
    its own list style, else the master's title or body style. None where nothing says."""
    size = bold = align = None
    levels = [level for level in placeholder._element.iter(qn("a:lvl1pPr"))]
    styles = master._element.find(qn("p:txStyles"))
    if styles is not None:
        style = styles.find(qn("p:titleStyle" if title else "p:bodyStyle"))
        if style is not None and style.find(qn("a:lvl1pPr")) is not None:
            levels.append(style.find(qn("a:lvl1pPr")))
    for level in levels:
        properties = level.find(qn("a:defRPr"))
        if properties is not None:
            if size is None and properties.get("sz"):
                size = int(properties.get("sz")) / 100
            if bold is None and properties.get("b") is not None:
                bold = properties.get("b") in ("1", "true")
        if align is None and level.get("algn"):
            align = level.get("algn")
    return size, bold, align


# --------------------------------------------------------------------------- paragraphs and runs


def set_indent(paragraph, margin_emu: int, first_line_emu: int) -> None:
    """The paragraph's left margin and its first line's offset from it (negative: a hanging bullet)."""
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(margin_emu))
    properties.set("indent", str(first_line_emu))


def set_marker(paragraph, marker: str, number: int = 1) -> None:
    """A bullet (``"bullet"``), a number starting at ``number`` (``"number"``) or nothing (``"none"``),
    written on the paragraph itself so that it does not depend on the template."""
    properties = paragraph._p.get_or_add_pPr()
    for tag in (*BULLET_FONTS, *BULLETS):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    if marker == "bullet":
        elements = [
            parse_xml(f'<a:buFont {nsdecls("a")} typeface="{BULLET_FACE}"/>'),
            parse_xml(f'<a:buChar {nsdecls("a")} char="{BULLET_CHAR}"/>'),
        ]
    elif marker == "number":
        elements = [parse_xml(f'<a:buAutoNum {nsdecls("a")} type="arabicPeriod" startAt="{number}"/>')]
    else:
        elements = [parse_xml(f"<a:buNone {nsdecls('a')}/>")]
    for element in elements:
        properties.insert_element_before(element, *AFTER_BULLETS)


def set_language(run, tag: str) -> None:
    run._r.get_or_add_rPr().set("lang", tag)


def set_monospace(run, typeface: str) -> None:
    """Set the run in a monospace face, declared as such for clients that must substitute it."""
    run.font.name = typeface
    latin = run._r.get_or_add_rPr().find(qn("a:latin"))
    latin.set("panose", CODE_PANOSE)
    latin.set("pitchFamily", CODE_PITCH_FAMILY)


def tag_languages(element, tag: str) -> None:
    """Give every run, default and end-of-paragraph property under ``element`` the language ``tag``,
    unless it already names one other than PowerPoint's default en-US."""
    for name in ("a:defRPr", "a:rPr", "a:endParaRPr"):
        for properties in element.iter(qn(name)):
            if properties.get("lang") in (None, "en-US"):
                properties.set("lang", tag)


def set_default_language(presentation, tag: str) -> None:
    """The presentation's, master's, layouts' and notes master's default text styles in the deck's language."""
    roots = [presentation.part._element, presentation.slide_master._element]
    roots += [layout._element for layout in presentation.slide_layouts]
    if presentation.notes_master is not None:
        roots.append(presentation.notes_master._element)
    for root in roots:
        tag_languages(root, tag)


# --------------------------------------------------------------------------- shapes


def set_alt_text(shape, text: str) -> None:
    shape._element.find(".//" + qn("p:cNvPr")).set("descr", text)


def alt_text(shape) -> str:
    return shape._element.find(".//" + qn("p:cNvPr")).get("descr") or ""


def remove_shape(shape) -> None:
    """python-pptx 1.0 has no public way to delete a shape."""
    shape._element.getparent().remove(shape._element)


# --------------------------------------------------------------------------- charts


def positive_axis_ids(chart) -> None:
    """python-pptx numbers a chart's axes with negative ids; the schema allows only unsigned ones."""
    space = chart._chartSpace
    elements = [*space.iter(qn("c:axId")), *space.iter(qn("c:crossAx"))]
    renumbered: dict[str, str] = {}
    numbers = itertools.count(100_000_001)
    for element in elements:
        value = element.get("val")
        if value not in renumbered:
            renumbered[value] = str(next(numbers))
        element.set("val", renumbered[value])


def chart_element(chart):
    return chart._chartSpace


# --------------------------------------------------------------------------- a click reveal

P = "http://schemas.openxmlformats.org/presentationml/2006/main"

# The main sequence PowerPoint writes for one "Appear" entrance effect (presetID 1) started by a click:
# the shape is hidden until the click, then made visible. LibreOffice Impress imports it as its own
# "Appear" effect on a click (tests/test_slides.py checks this through a round trip to ODP).
_TIMING = """<p:timing xmlns:p="{p}"><p:tnLst><p:par>
<p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>
<p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>
<p:par><p:cTn id="3" fill="hold"><p:stCondLst><p:cond delay="indefinite"/></p:stCondLst><p:childTnLst>
<p:par><p:cTn id="4" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>
{effects}
</p:childTnLst></p:cTn></p:par>
</p:childTnLst></p:cTn></p:par>
</p:childTnLst></p:cTn>
<p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst>
<p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst>
</p:seq></p:childTnLst></p:cTn></p:par></p:tnLst>
<p:bldLst>{builds}</p:bldLst></p:timing>"""

_APPEAR = """<p:par><p:cTn id="{id}" presetID="1" presetClass="entr" presetSubtype="0" fill="hold" grpId="0"
 nodeType="{node}"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>
<p:set><p:cBhvr><p:cTn id="{set_id}" dur="1" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn>
<p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl><p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst>
</p:cBhvr><p:to><p:strVal val="visible"/></p:to></p:set>
</p:childTnLst></p:cTn></p:par>"""


def add_click_reveal(slide, shape_ids: list[int]) -> None:
    """The shapes appear together on the next click (PowerPoint's and Impress's "Appear" entrance)."""
    if not shape_ids:
        return
    effects = "".join(
        _APPEAR.format(
            id=5 + 2 * index, set_id=6 + 2 * index, spid=spid, node="clickEffect" if index == 0 else "withEffect"
        )
        for index, spid in enumerate(shape_ids)
    )
    builds = "".join(f'<p:bldP spid="{spid}" grpId="0"/>' for spid in shape_ids)
    timing = etree.fromstring(_TIMING.format(p=P, effects=effects, builds=builds))
    element = slide._element
    for old in element.findall(qn("p:timing")):
        element.remove(old)
    extension = element.find(qn("p:extLst"))
    if extension is not None:
        extension.addprevious(timing)
    else:
        element.append(timing)
