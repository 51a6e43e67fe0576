"""Keeping file paths inside the folder they belong to, and SVG files within what renderers can take.

Lessons are shared: no path may reach out of its folder, and an SVG must be
self-contained and small enough that rendering it ends (nested ``<use>``
references grow exponentially; a 1 × 10,000,000 picture aborts resvg).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .files import read_regular

MAX_SVG_BYTES = 20 * 1024 * 1024
MAX_SVG_SIDE = 20_000  # px, after units: a poster at 300 dpi is about 14,000 px
MAX_SVG_ASPECT = 20  # longer side / shorter side: decks render SVGs 1,600 px wide
MAX_SVG_ELEMENTS = 100_000  # as written
MAX_SVG_EXPANDED = 200_000  # after every <use> and url(#…) reference is expanded
MAX_SVG_USES = 10_000
MAX_SVG_REFERENCE_DEPTH = 10
PX_PER_UNIT = {"": 1, "px": 1, "pt": 4 / 3, "pc": 16, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96, "em": 16, "ex": 8}
LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-z]*)\s*")
URL_REFERENCE = re.compile(r"url\(\s*['\"]?([^)'\"\s]+)")  # what url(…) points at: #id, data:…, or a file
IMPORT = re.compile(r"@import\b", re.IGNORECASE)  # a style sheet reading another: @import "x.css" or url(x.css)
# No DTD is read and no entity expanded: a file that declares any is refused, in UTF-8 before it is parsed.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def reaches_out(relative: str) -> bool:
    """Whether a path, as written, points out of its folder: absolute, with “..”, or a URL."""
    return Path(relative).is_absolute() or ".." in Path(relative).parts or "://" in relative


def inside(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` resolved, if it really lies inside ``folder``: no “..”, no absolute path,
    no URL, no symlink pointing out. Otherwise None."""
    if reaches_out(relative):
        return None
    candidate = (folder / relative).resolve()
    return candidate if candidate.is_relative_to(folder.resolve()) else None


def asset_path(folder: Path, relative: str) -> Path | None:
    """The one rule for finding an image, for ``check`` and every renderer: ``relative`` is read from
    the folder of the source that names it (a lesson's images from the lesson's folder, a reading's
    from the reading's folder) and must resolve inside that folder, symlinks included."""
    return inside(folder, relative)


# --------------------------------------------------------------------------- SVG


class _Unusable(Exception):
    """Why an SVG cannot be used, in words for the teacher."""


def svg_problem(path: Path) -> str | None:
    """Why an SVG file cannot be used, or None: it must be well-formed and self-contained (no DOCTYPE,
    no entities, no reference to another file), of a sane size and shape, and references must not
    expand it beyond what a renderer finishes in a moment."""
    try:
        data = read_regular(path, MAX_SVG_BYTES)
        plain = f"{path.name} declares a DOCTYPE or entities; save it as plain SVG (no DTD)"
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise _Unusable(plain)
        root = etree.fromstring(data, _PARSER)
        if root.getroottree().docinfo.doctype:  # in UTF-16 or UTF-32, a DOCTYPE is not those bytes
            raise _Unusable(plain)
        if etree.QName(root).localname != "svg":
            raise _Unusable(f"{path.name} is not an SVG picture (it starts with <{etree.QName(root).localname}>)")
        elements = [element for element in root.iter() if isinstance(element.tag, str)]
        _check_size(path.name, root)
        _check_references(path.name, elements)
    except _Unusable as unusable:
        return str(unusable)
    except etree.XMLSyntaxError as error:
        return f"{path.name} is not a valid SVG file ({error})"
    except OSError as error:
        return f"{path.name} cannot be read ({error})"
    return None


def _check_size(name: str, root) -> None:
    width, height = _length(root.get("width")), _length(root.get("height"))
    for side in (width, height):
        if side is not None and not 0 < side <= MAX_SVG_SIDE:
            raise _Unusable(f"{name} is {side:.0f} px on one side; it must be between 1 and {MAX_SVG_SIDE} px")
    box = _view_box(name, root.get("viewBox"))
    for shown, measured in (((width, height), "size"), (box, "viewBox")):
        if shown and None not in shown and max(shown) / min(shown) > MAX_SVG_ASPECT:
            raise _Unusable(
                f"{name} has a {measured} of {shown[0]:g} × {shown[1]:g}: one side is more than "
                f"{MAX_SVG_ASPECT} times the other; crop it or split it"
            )


def _length(value: str | None) -> float | None:
    """A length in px, or None when absent or relative (percentages, auto)."""
    match = LENGTH.fullmatch(value or "")
    if not match or match.group(2) not in PX_PER_UNIT:
        return None
    return float(match.group(1)) * PX_PER_UNIT[match.group(2)]


def _view_box(name: str, value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        _, _, width, height = (float(part) for part in value.replace(",", " ").split())
    except ValueError:
        raise _Unusable(f"{name} has a viewBox that is not four numbers: “{value[:40]}”") from None
    if not (width > 0 and height > 0) or max(width, height) == float("inf"):
        raise _Unusable(f"{name} has a viewBox of {width:g} × {height:g}; both must be positive numbers")
    return width, height


def _check_references(name: str, elements: list) -> None:
    """Self-contained, and not a “billion laughs” of ``<use>`` referring to groups of ``<use>``."""
    if len(elements) > MAX_SVG_ELEMENTS:
        raise _Unusable(f"{name} has {len(elements)} elements; at most {MAX_SVG_ELEMENTS} are allowed")
    uses = sum(1 for element in elements if etree.QName(element).localname == "use")
    if uses > MAX_SVG_USES:
        raise _Unusable(f"{name} has {uses} <use> elements; at most {MAX_SVG_USES} are allowed")
    by_id = {element.get("id"): element for element in elements if element.get("id")}
    targets = {id(element): _targets(name, element, by_id) for element in elements}
    _Expansion(name, targets).measure(elements[0])


def _targets(name: str, element, by_id: dict) -> list:
    """The elements ``element`` refers to (by href or url(#…), in its attributes or its style sheet); a
    reference to anything but an element of the file or a data: URI makes the SVG unusable."""
    references = []
    for attribute, value in element.attrib.items():
        references += [value] if attribute.endswith("href") else []
        references += URL_REFERENCE.findall(value)
    if etree.QName(element).localname == "style" and element.text:
        if IMPORT.search(element.text):
            raise _Unusable(f"{name} imports another style sheet (@import); an SVG must be self-contained")
        references += URL_REFERENCE.findall(element.text)
    for reference in references:
        if not reference.startswith(("#", "data:")):
            raise _Unusable(f"{name} refers to another file ({reference[:80]}); an SVG must be self-contained")
    return [by_id[reference[1:]] for reference in references if reference[1:] in by_id]


class _Expansion:
    """How many elements a renderer draws once references are expanded, and how deep they nest.

    One pass over elements and references, without recursion (nesting can be as deep as the file
    is long): each element is measured once, after its children and the elements it refers to.
    """

    def __init__(self, name: str, targets: dict[int, list]):
        self.name = name
        self.targets = targets
        self.size: dict[int, int] = {}
        self.depth: dict[int, int] = {}

    def measure(self, root) -> None:
        on_path: set[int] = set()
        stack = [(root, False)]
        while stack:
            element, children_done = stack.pop()
            key = id(element)
            if children_done:
                on_path.discard(key)
                self._finish(element)
            elif key in on_path:
                raise _Unusable(f"{self.name} has an element that refers to itself (through <use> or url(#…))")
            elif key not in self.size:
                on_path.add(key)
                stack.append((element, True))
                stack += [(child, False) for child in self._successors(element)]

    def _successors(self, element) -> list:
        return [child for child in element if isinstance(child.tag, str)] + self.targets[id(element)]

    def _finish(self, element) -> None:
        children = [child for child in element if isinstance(child.tag, str)]
        referred = self.targets[id(element)]
        size = 1 + sum(self.size[id(c)] for c in children) + sum(self.size[id(r)] for r in referred)
        depth = max([self.depth[id(c)] for c in children] + [self.depth[id(r)] + 1 for r in referred], default=0)
        if size > MAX_SVG_EXPANDED:
            raise _Unusable(
                f"{self.name} expands to more than {MAX_SVG_EXPANDED} elements through <use> and url(#…) "
                "references; simplify it"
            )
        if depth > MAX_SVG_REFERENCE_DEPTH:
            raise _Unusable(f"{self.name} nests references more than {MAX_SVG_REFERENCE_DEPTH} levels deep")
        self.size[id(element)] = size
        self.depth[id(element)] = depth
