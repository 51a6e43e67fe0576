"""The data flows one way: sources → loader → model → prepare → renderers → outputs.

Renderers read only the prepared document: they never import the Markdown
parser, the typography, the YAML reader, the loader, the model or the label
catalogs. This test reads their imports from the source, so a renderer that
starts parsing or typesetting again fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

RENDERERS = ROOT / "lessonkit" / "render"
FORBIDDEN = {"markup", "typography", "yamlsafe", "loader", "model", "i18n"}


def lessonkit_imports(path: Path) -> set[str]:
    """The lessonkit modules a file imports, by their last name (``..markup`` → ``markup``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level or module.startswith("lessonkit"):
                names = [module.split(".")[-1]] if module and module != "lessonkit" else []
                found |= set(names) | {alias.name for alias in node.names if not module or module == "lessonkit"}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[-1] for alias in node.names if alias.name.startswith("lessonkit")}
    return found


@pytest.mark.parametrize("module", sorted(RENDERERS.glob("*.py")), ids=lambda path: path.name)
def test_no_renderer_parses_or_typesets(module):
    assert not lessonkit_imports(module) & FORBIDDEN


@pytest.mark.parametrize(
    "line",
    [
        "from .. import markup",
        "from ..markup import parse_inline",
        "from lessonkit.typography import typeset",
        "import lessonkit.loader",
        "from lessonkit import yamlsafe",
    ],
)
def test_the_import_check_finds_a_forbidden_import(tmp_path, line):
    """Control: the check above can fail."""
    module = tmp_path / "renderer.py"
    module.write_text(f"{line}\n", encoding="utf-8")
    assert lessonkit_imports(module) & FORBIDDEN


def test_renderers_sit_together_beside_prepare_and_the_model():
    package = ROOT / "lessonkit"
    assert {"pdf.py", "pptx.py"} <= {path.name for path in RENDERERS.glob("*.py")}
    assert {"prepare.py", "prepared.py", "model.py", "loader.py"} <= {path.name for path in package.glob("*.py")}
    assert not list(package.glob("render_*.py"))


DECK = ("pptx.py", "deckplan.py", "textfit.py")
RAW_XML = ("._element", "._p.", "._r.", "._chartSpace", "qn(", "lxml", "etree", "parse_xml")


@pytest.mark.parametrize("module", DECK)
def test_the_deck_writes_raw_xml_only_through_ooxml(module):
    """“What goes on which slide” (deckplan) and “how python-pptx writes it” (pptx) never touch XML;
    ooxml.py holds every helper that does."""
    text = (RENDERERS / module).read_text(encoding="utf-8")
    assert not [marker for marker in RAW_XML if marker in text]


def test_the_deck_plan_knows_nothing_of_python_pptx():
    assert "pptx" not in {name.split(".")[0] for name in _imports(RENDERERS / "deckplan.py")}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module or "")
    return found
