"""Two fixes to WeasyPrint 70's PDF/UA tagging, applied while the PDF is written (its ``finisher``).

- Link annotations get the Print flag, so a reader on paper and on screen get the same document.
- Running headers, footers and page numbers (the page's margin boxes) become artifacts: WeasyPrint
  marks their text as content but keeps it out of the structure tree ("it could be included as an
  artifact, but that is only allowed in PDF 2.0", pdf/tags.py), so a screen reader would read the
  title and "Page 3 / 10" again on every page. A marked-content sequence whose structure element
  is not reachable from the tree's root is re-marked ``/Artifact <</Type /Pagination>>``.

Both work on pydyf objects before they are serialised; nothing is parsed back.
"""

from __future__ import annotations

import pydyf

PRINT_FLAG = 1 << 2  # annotation flag bit 3


def fix_tagging(document, pdf) -> None:
    """WeasyPrint's ``write_pdf(finisher=…)`` hook."""
    objects = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Object) and obj.number}
    _printable_links(objects.values())
    root = pdf.catalog.get("StructTreeRoot")
    if root is not None:
        _margins_as_artifacts(objects, objects[root])


def _printable_links(objects) -> None:
    for obj in objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Annot" and obj.get("Subtype") == "/Link":
            obj["F"] = PRINT_FLAG


def _margins_as_artifacts(objects: dict, root) -> None:
    reachable = _reachable(objects, root)
    parent_tree = objects[root["ParentTree"]]["Nums"]
    page_elements = dict(zip(parent_tree[::2], parent_tree[1::2], strict=True))
    for page_index, page in enumerate(obj for obj in objects.values() if _is_page(obj)):
        elements = page_elements.get(page_index)
        if elements is None:
            continue
        hidden = {mcid for mcid, element in enumerate(elements) if element not in reachable}
        if hidden:
            _remark(objects[page["Contents"]], hidden)
            for mcid in hidden:
                elements[mcid] = "null"


def _reachable(objects: dict, root) -> set:
    """References of every structure element reachable from the root by /K."""
    seen: set = set()
    pending = [root]
    while pending:
        node = pending.pop()
        kids = node.get("K")
        for kid in kids if isinstance(kids, (list, pydyf.Array)) else [kids]:
            if isinstance(kid, bytes) and kid in objects and kid not in seen:
                seen.add(kid)
                pending.append(objects[kid])
    return seen


def _is_page(obj) -> bool:
    return isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"


def _remark(stream, hidden_mcids: set[int]) -> None:
    """``/Span <</MCID n>> BDC`` → ``/Artifact <</Type /Pagination>> BDC`` for the hidden MCIDs."""
    operations = stream.stream
    for index, operation in enumerate(operations):
        if (
            isinstance(operation, pydyf.Dictionary)
            and operation.get("MCID") in hidden_mcids
            and index + 1 < len(operations)
            and operations[index + 1] == b"BDC"
        ):
            operations[index - 1] = "/Artifact"
            operations[index] = pydyf.Dictionary({"Type": "/Pagination"})
