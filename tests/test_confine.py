"""confine.py on its own: paths that stay in their folder, and the SVG checks, refusal by refusal.

`check` runs these checks for every picture a lesson names (tests/test_hostile_images.py shows them through the
command line). Here each limit is tested at its edge, with the exact words a teacher reads, by calling
``svg_problem`` on a file in ``tmp_path``: no project, no build.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lessonkit.confine import asset_path, inside, reaches_out, svg_problem

NAMESPACES = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def svg(body: str = "", size: str = 'width="10" height="10"') -> str:
    return f"<svg {NAMESPACES} {size}>{body}</svg>"


def problem(tmp_path: Path, content: str | bytes) -> str | None:
    """What ``check`` says about ``p.svg`` holding ``content`` (None: the picture can be used)."""
    path = tmp_path / "p.svg"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return svg_problem(path)


# --------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("relative", "out"),
    [
        ("assets/picture.png", False),
        ("notes..v2.png", False),  # “..” inside a name is not a step up
        ("assets/a..b/picture.png", False),
        ("/etc/passwd", True),
        ("../secret.png", True),
        ("assets/../../secret.png", True),
        ("https://example.org/picture.png", True),
        ("file:///etc/passwd", True),
    ],
)
def test_a_path_reaches_out_when_absolute_climbing_or_a_url(relative, out):
    """README: “a path such as ../../secret or a link to the network is refused”; a file name with two dots
    in it is not a path out."""
    assert reaches_out(relative) is out


def test_a_path_inside_the_folder_is_found_there(tmp_path):
    """An image path is read from the folder of the source naming it, resolved, for check and every renderer."""
    folder = tmp_path / "lesson"
    (folder / "assets").mkdir(parents=True)
    expected = (folder / "assets" / "picture.png").resolve()
    assert inside(folder, "assets/picture.png") == expected
    assert asset_path(folder, "assets/picture.png") == expected


@pytest.mark.parametrize("relative", ["../elsewhere/secret.png", "linked/secret.png", "/etc/passwd"])
def test_a_path_leading_out_of_the_folder_is_not_found(tmp_path, relative):
    """No “..”, no absolute path, and no symlink inside the folder that points out of it."""
    folder, elsewhere = tmp_path / "lesson", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (elsewhere / "secret.png").write_bytes(b"secret")
    (folder / "linked").symlink_to(elsewhere)
    assert inside(folder, relative) is None
    assert asset_path(folder, relative) is None


# --------------------------------------------------------------------------- SVG: the file itself

DOCTYPE = "p.svg declares a DOCTYPE or entities; save it as plain SVG (no DTD)"


@pytest.mark.parametrize(
    "content",
    [
        f"<!DOCTYPE svg>{svg()}".encode(),
        f"<!DOCTYPE svg [ this is not a DTD ]>{svg()}".encode(),  # refused as a DTD, before any parser reads it
        svg("<!-- <!ENTITY a 'aaaa'> -->").encode(),
        f'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>{svg("<text>&a;</text>")}'.encode("utf-16"),
        f'<!DOCTYPE svg [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>{svg()}'.encode("utf-16"),
        f'<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE svg [<!ENTITY a "a">]>{svg("<text>&a;</text>")}'.encode(
            "utf-32"
        ),
    ],
    ids=["bare doctype", "malformed DTD", "entity in a comment", "utf-16 entity", "utf-16 external", "utf-32 entity"],
)
def test_an_svg_declaring_a_doctype_or_entities_is_refused_in_any_encoding(tmp_path, content):
    """An SVG must be plain: no DTD, no entity, whatever the encoding. A file in UTF-16 or UTF-32 does not hold
    the bytes “<!DOCTYPE”: it once passed `check` with its entities (and a reference to /etc/passwd)."""
    assert problem(tmp_path, content) == DOCTYPE


def test_a_file_over_20_megabytes_is_not_read(tmp_path):
    """The picture is refused from its size, before it is read or parsed."""
    path = tmp_path / "p.svg"
    with open(path, "wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    assert svg_problem(path) == "p.svg cannot be read (p.svg is larger than 20971520 bytes)"


def test_a_file_of_exactly_20_megabytes_is_read(tmp_path):
    """The limit is 20 MB: a file of that size is parsed (here: found not to be XML)."""
    path = tmp_path / "p.svg"
    with open(path, "wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    assert svg_problem(path).startswith("p.svg is not a valid SVG file (")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_a_picture_is_never_read(tmp_path):
    """A FIFO would hang the check: it is refused without being opened for reading."""
    os.mkfifo(tmp_path / "p.svg")
    assert svg_problem(tmp_path / "p.svg") == "p.svg cannot be read (p.svg is not an ordinary file)"


def test_an_xml_file_that_is_not_an_svg_is_refused(tmp_path):
    html = '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    assert problem(tmp_path, html) == "p.svg is not an SVG picture (it starts with <html>)"


def test_an_svg_with_a_namespace_prefix_is_an_svg(tmp_path):
    """The root is recognized by its local name: <svg:svg> is an SVG picture."""
    assert problem(tmp_path, '<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="5" height="5"/>') is None


def test_a_file_that_is_not_xml_is_named_so(tmp_path):
    assert problem(tmp_path, "<svg").startswith("p.svg is not a valid SVG file (")


# --------------------------------------------------------------------------- SVG: size and shape

SIDE = "p.svg is {} px on one side; it must be between 1 and 20000 px"
ASPECT = "p.svg has a {} of {} × {}: one side is more than 20 times the other; crop it or split it"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ('width="30000" height="10"', SIDE.format(30000)),
        ('width="10" height="30000"', SIDE.format(30000)),
        ('width="20001" height="20001"', SIDE.format(20001)),
        ('width="0" height="10"', SIDE.format(0)),
        ('width="10" height="-5"', SIDE.format(-5)),
        ('width="250in" height="20in"', SIDE.format(24000)),  # 96 px to the inch
        ('width="1cm" height="600cm"', SIDE.format(22677)),
        ('width="10" height="900"', ASPECT.format("size", 10, 900)),
        ('width="21" height="1"', ASPECT.format("size", 21, 1)),
        ('width="1in" height="30in"', ASPECT.format("size", 96, 2880)),
        ('viewBox="0 0 1 30"', ASPECT.format("viewBox", 1, 30)),
        ('width="10" height="10" viewBox="0 0 400 10"', ASPECT.format("viewBox", 400, 10)),
    ],
)
def test_a_picture_too_large_or_too_thin_is_refused(tmp_path, size, expected):
    """Sides from 1 to 20,000 px after units; neither size nor viewBox more than 20 times longer than wide."""
    assert problem(tmp_path, svg(size=size)) == expected


@pytest.mark.parametrize(
    "size",
    [
        'width="1" height="1"',
        'width="20000" height="20000"',
        'width="1" height="20"',
        'width="20" height="1"',
        'width="10cm" height="5cm"',
        'width="1.5e1pt" height="12pt"',
        'width="100%" height="1"',  # relative lengths are not measured
        'width="5vw" height="90000vw"',  # nor units a renderer decides
        "",
        'viewBox="0 0 1 1"',
        'viewBox="0 0 0.5 10"',
        'viewBox="0,0,10,200"',
        'viewBox="-5 -5 20 20"',
    ],
)
def test_pictures_of_a_sane_size_and_shape_pass(tmp_path, size):
    """The edges themselves are allowed: 1 px, 20,000 px, exactly 20 times; commas separate a viewBox too."""
    assert problem(tmp_path, svg(size=size)) is None


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("0 0 0 10", "p.svg has a viewBox of 0 × 10; both must be positive numbers"),
        ("0 0 10 0", "p.svg has a viewBox of 10 × 0; both must be positive numbers"),
        ("0 0 -5 10", "p.svg has a viewBox of -5 × 10; both must be positive numbers"),
        ("0 0 nan 10", "p.svg has a viewBox of nan × 10; both must be positive numbers"),
        ("0 0 inf 10", "p.svg has a viewBox of inf × 10; both must be positive numbers"),
        ("0 0 10 1e999", "p.svg has a viewBox of 10 × inf; both must be positive numbers"),
        ("a b c d", "p.svg has a viewBox that is not four numbers: “a b c d”"),
        ("0 0 10", "p.svg has a viewBox that is not four numbers: “0 0 10”"),
        ("1 " * 30, f"p.svg has a viewBox that is not four numbers: “{'1 ' * 20}”"),  # the first 40 characters
    ],
)
def test_a_viewbox_must_be_four_finite_positive_numbers(tmp_path, box, expected):
    assert problem(tmp_path, svg(size=f'viewBox="{box}"')) == expected


# --------------------------------------------------------------------------- SVG: references

SELF = "p.svg has an element that refers to itself (through <use> or url(#…))"
EXPANDS = "p.svg expands to more than 200000 elements through <use> and url(#…) references; simplify it"
DEEP = "p.svg nests references more than 10 levels deep"
# The ways an element refers to another: each is expanded by renderers.
REFERENCES = {
    "href": '<use href="#{}"/>',
    "xlink:href": '<use xlink:href="#{}"/>',
    "url() in an attribute": '<rect fill="url(#{})"/>',
    "url() in style": "<rect style=\"fill: url('#{}')\"/>",
}


def test_at_most_100000_elements_as_written(tmp_path):
    """100,000 elements (the <svg> included) pass; one more is refused, counted."""
    assert problem(tmp_path, svg("<g/>" * 99_999)) is None
    assert problem(tmp_path, svg("<g/>" * 100_000)) == "p.svg has 100001 elements; at most 100000 are allowed"


def test_at_most_10000_use_elements(tmp_path):
    """10,000 <use> pass; one more is refused, and only <use> elements are counted."""
    assert problem(tmp_path, svg('<g id="a"/>' + '<use href="#a"/>' * 10_000)) is None
    too_many = svg('<g id="a"/>' + '<use href="#a"/>' * 10_001)
    assert problem(tmp_path, too_many) == "p.svg has 10001 <use> elements; at most 10000 are allowed"


def expanding_to(total: int, reference: str) -> str:
    """An SVG that draws ``total`` elements once references are expanded: a group of 99 (itself and 98
    rectangles), 1,999 references to it (100 each: the reference and the group) and the <svg> itself."""
    group = '<g id="a">' + "<rect/>" * 98 + "</g>"
    extra = total - 200_000
    return svg(group + reference.format("a") * 1999 + "<rect/>" * extra)


@pytest.mark.parametrize("reference", REFERENCES.values(), ids=REFERENCES.keys())
def test_at_most_200000_elements_once_references_are_expanded(tmp_path, reference):
    """A “billion laughs” of references is measured exactly: 200,000 elements drawn pass, 200,001 are refused,
    whichever way the references are written."""
    assert problem(tmp_path, expanding_to(200_000, reference)) is None
    assert problem(tmp_path, expanding_to(200_001, reference)) == EXPANDS


def test_a_nested_use_bomb_is_refused(tmp_path):
    """Ten levels of groups drawing the previous one eight times: 134 million elements from 1.5 KB."""
    groups = '<g id="g0"><rect/></g>'
    for level in range(1, 10):
        groups += f'<g id="g{level}">' + f'<use xlink:href="#g{level - 1}"/>' * 8 + "</g>"
    assert problem(tmp_path, svg(groups + '<use xlink:href="#g9"/>')) == EXPANDS


def chain(levels: int, reference: str) -> str:
    """Groups each referring to the previous one: ``levels`` references deep."""
    groups = '<g id="g0"/>' + "".join(f'<g id="g{n}">{reference.format(f"g{n - 1}")}</g>' for n in range(1, levels + 1))
    return svg(groups)


@pytest.mark.parametrize("reference", REFERENCES.values(), ids=REFERENCES.keys())
def test_references_nest_at_most_10_levels_deep(tmp_path, reference):
    """Ten levels of references pass, eleven are refused, whichever way the references are written."""
    assert problem(tmp_path, chain(10, reference)) is None
    assert problem(tmp_path, chain(11, reference)) == DEEP


def test_gradients_inheriting_from_gradients_count_as_references(tmp_path):
    """A gradient's href is a reference as well: a chain of eleven is refused."""
    gradients = '<linearGradient id="l0"/>' + "".join(
        f'<linearGradient id="l{n}" xlink:href="#l{n - 1}"/>' for n in range(1, 12)
    )
    assert problem(tmp_path, svg(gradients)) == DEEP


@pytest.mark.parametrize(
    "body",
    [
        '<g id="a"><use href="#a"/></g>',
        '<g id="a"><use xlink:href="#b"/></g><g id="b"><use xlink:href="#a"/></g>',
        '<pattern id="p"><rect fill="url(#q)"/></pattern><pattern id="q" fill="url(#p)"/>',
        "<pattern id=\"p\"><style>rect { fill: url('#p') }</style></pattern>",
        # one element, two references: the second does not hide the first
        '<pattern id="p"><rect fill="url(#p)" href="#q"/></pattern><g id="q"/>',
    ],
    ids=["use itself", "use cycle", "pattern cycle", "style sheet", "two references"],
)
def test_an_element_referring_to_itself_is_refused(tmp_path, body):
    """A reference cycle would never finish expanding: refused, through <use>, url(#…) or a style sheet."""
    assert problem(tmp_path, svg(body)) == SELF


@pytest.mark.parametrize(
    "body",
    [
        '<symbol id="s"><circle r="2"/></symbol><use href="#s"/><use href="#s"/><use xlink:href="#s"/>',
        '<linearGradient id="l"/><rect fill="url(#l)"/><rect fill="url(#l)"/>',
        '<use href="#missing"/><rect fill="url(#nowhere)"/>',  # renderers draw nothing for these
        '<g id="t"><text>fill: url(#t)</text><desc>url(#t)</desc></g>',  # words, not references
        '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>',
        '<image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>',
        '<style>rect { fill: url(#l) }</style><linearGradient id="l"/>',
        '<linearGradient id="l"/><rect fill="url( \'#l\' )"/><rect style=\'fill:url("#l")\'/>',
        "<rect style=\"fill: url('data:image/png;base64,iVBORw0KGgo=')\"/>",
    ],
    ids=[
        "symbol used thrice",
        "gradient used twice",
        "missing targets",
        "text",
        "data href",
        "data xlink",
        "style",
        "quoted url()",
        "data url()",
    ],
)
def test_self_contained_svgs_with_references_pass(tmp_path, body):
    """References to an element drawn elsewhere, however often, are no cycle; data: pictures are inside the file."""
    assert problem(tmp_path, svg(body)) is None


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ('<image href="file:///etc/passwd"/>', "file:///etc/passwd"),
        ('<image xlink:href="picture.png"/>', "picture.png"),
        ('<use href="other.svg#a"/>', "other.svg#a"),
        ('<a href="https://example.org/page"><rect/></a>', "https://example.org/page"),
        (f'<image href="https://example.org/{"x" * 100}.png"/>', "https://example.org/" + "x" * 60),
        ('<rect fill="url(other.svg#gradient)"/>', "other.svg#gradient"),
        ("<rect style=\"fill: url('file:///etc/passwd')\"/>", "file:///etc/passwd"),
        ('<style>rect { fill: url("https://example.org/x.svg#p") }</style>', "https://example.org/x.svg#p"),
        ("<style>@font-face { font-family: f; src: url(font.woff) }</style>", "font.woff"),
        ('<style href="theme.css">rect { fill: red }</style>', "theme.css"),  # its text read, its href still is
    ],
    ids=[
        "file",
        "relative",
        "other svg",
        "link",
        "long",
        "url() fill",
        "url() style",
        "style sheet",
        "font",
        "style href",
    ],
)
def test_an_svg_referring_to_another_file_is_refused(tmp_path, body, target):
    """An SVG must be self-contained: no href and no url(…) to another file, in an attribute or a style sheet
    (a url() to a file once passed `check`). The reference is named (its first 80 characters)."""
    expected = f"p.svg refers to another file ({target}); an SVG must be self-contained"
    assert problem(tmp_path, svg(body)) == expected


@pytest.mark.parametrize(
    "sheet",
    ['@import "other.css"; rect { fill: red }', "rect { fill: red } @IMPORT 'x.css';", "@import url(#nothing);"],
    ids=["string", "capitals", "url"],
)
def test_a_style_sheet_importing_another_is_refused(tmp_path, sheet):
    """WeasyPrint follows an @import in an SVG's style sheet: written as a string, it is no url(…), and it once
    passed `check`. Any @import is refused."""
    expected = "p.svg imports another style sheet (@import); an SVG must be self-contained"
    assert problem(tmp_path, svg(f"<style>{sheet}</style>")) == expected


def test_words_about_style_sheets_in_the_text_are_no_import(tmp_path):
    """Only a <style> element's text is a style sheet: a picture may say “@import” in its text."""
    assert problem(tmp_path, svg("<text>@import is a CSS rule</text><desc>@import</desc>")) is None
