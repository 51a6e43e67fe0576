"""The DOCX's only raw WordprocessingML, behind named helpers: what python-docx has no API for
(languages on styles and runs, hyperlinks, footnotes, alternative text of pictures)."""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

__all__ = ["Footnotes", "add_hyperlink", "set_alt_text", "set_language", "set_style_languages"]


def _language_element(properties, tag: str) -> None:
    """``<w:lang w:val=tag/>`` in run properties, keeping an East Asian or bidi language given."""
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        # w:lang sits near the end of rPr: before eastAsianLayout, specVanish, oMath
        successors = [properties.find(qn(name)) for name in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
        following = next((element for element in successors if element is not None), None)
        if following is not None:
            following.addprevious(lang)
        else:
            properties.append(lang)
    lang.set(qn("w:val"), tag)


def set_language(run: Run, tag: str) -> None:
    _language_element(run._r.get_or_add_rPr(), tag)


def set_style_languages(document, tag: str) -> None:
    """The document's defaults and every paragraph and character style in the language ``tag``, so
    that Word and Writer check spelling and hyphenate in it (Word reads no core property for that)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None:
        properties = run_defaults.find(qn("w:rPr"))
        if properties is None:
            properties = OxmlElement("w:rPr")
            run_defaults.append(properties)
        _language_element(properties, tag)
    for style in document.styles:
        if style.type in (1, 2):  # WD_STYLE_TYPE.PARAGRAPH, CHARACTER
            _language_element(style.element.get_or_add_rPr(), tag)


def add_hyperlink(paragraph: Paragraph, url: str) -> Paragraph:
    """A ``w:hyperlink`` to ``url`` at the end of ``paragraph``: runs added to the returned paragraph
    proxy go inside the link."""
    relationship = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    paragraph._p.append(link)
    return _LinkParagraph(link, paragraph)


class _LinkParagraph(Paragraph):
    """A paragraph proxy whose ``add_run`` appends inside a hyperlink."""

    def __init__(self, link, paragraph: Paragraph):
        super().__init__(paragraph._p, paragraph._parent)
        self._link = link

    def add_run(self, text: str | None = None, style=None) -> Run:
        element = OxmlElement("w:r")
        self._link.append(element)
        run = Run(element, self)
        if text:
            run.text = text
        return run


def set_paragraph_style(paragraph: Paragraph, style_id: str) -> None:
    """The paragraph's style by its id: python-docx's lookup by name scans every style of the
    template twice per paragraph (a second per document)."""
    paragraph._p.get_or_add_pPr().style = style_id


def set_run_style(run: Run, style_id: str) -> None:
    run._r.get_or_add_rPr().style = style_id


def runs_of(link: Paragraph) -> list[Run]:
    """The runs inside a hyperlink made by ``add_hyperlink``."""
    return [Run(element, link) for element in link._link.findall(qn("w:r"))]


def set_alt_text(inline_shape, text: str) -> None:
    """The alternative text of a picture (``wp:docPr/@descr``): what a screen reader says."""
    inline_shape._inline.docPr.set("descr", text)


class Footnotes:
    """Word footnotes: the template's ``footnotes.xml`` part (which python-docx reads as bytes) parsed,
    added to, and put back. Each note gets the next id after the template's separators."""

    def __init__(self, document, text_style: str, reference_style: str):
        self.text_style, self.reference_style = text_style, reference_style  # style ids
        self.part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FOOTNOTES), None)
        if self.part is None:
            raise ValueError("the DOCX template has no footnotes part")
        self.root = parse_xml(self.part.blob)
        ids = [int(note.get(qn("w:id"))) for note in self.root.findall(qn("w:footnote"))]
        self.next_id = max([0, *ids]) + 1

    def add(self, paragraph: Paragraph) -> Paragraph:
        """Call a new footnote at the end of ``paragraph``; return the note's own paragraph to fill."""
        number = self.next_id
        self.next_id += 1
        call = paragraph.add_run()
        set_run_style(call, self.reference_style)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(number))
        call._r.append(reference)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        self.root.append(note)
        body = OxmlElement("w:p")
        note.append(body)
        text = Paragraph(body, paragraph._parent)
        set_paragraph_style(text, self.text_style)
        mark = text.add_run()
        set_run_style(mark, self.reference_style)
        mark._r.append(OxmlElement("w:footnoteRef"))
        text.add_run(" ")
        return text

    def save(self) -> None:
        from lxml import etree

        self.part._blob = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
