"""The README's “What the tests protect” table names tests that exist (a renamed or deleted test shows here)."""

from __future__ import annotations

import ast
import re

from .conftest import ROOT


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("### What the tests protect")
    return text[start : text.index("\n### ", start + 1)]


def test_every_test_the_readme_names_exists():
    """README (contributors): each promise is mapped to tests; the names must be real test functions."""
    section = readme_section()
    named = re.findall(r"`(test_\w+)(?:::(test_\w+))?(?:\[[^\]]*\])?`", section)
    assert len(named) > 40
    missing = []
    for module, function in named:
        path = ROOT / "tests" / f"{module}.py"
        if not path.is_file():
            missing.append(module)
            continue
        if function:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
            if function not in names:
                missing.append(f"{module}::{function}")
    assert not missing, missing


def test_every_promise_row_names_at_least_one_test():
    """A promise with no test is a row without a test name."""
    rows = [line for line in readme_section().splitlines() if line.startswith("| ") and "---" not in line]
    bare = [row for row in rows[1:] if "`test_" not in row]
    assert rows and not bare, bare
