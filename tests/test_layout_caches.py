"""Caches that outlive one build are keyed by the layout files they came from.

``watch`` runs many builds in one process; a label catalog, a stylesheet or the
slide template edited meanwhile must be seen by the next build.
"""

from __future__ import annotations

import os
import shutil

from lessonkit import build, layouts
from lessonkit.i18n import LABELS, labels_for


def edit(path, old: str, new: str) -> None:
    """Change a file's text, and its time by a whole second (some file systems count seconds)."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_an_edited_label_catalog_is_read_again(tmp_path):
    folder = tmp_path / "labels"
    shutil.copytree(LABELS, folder)
    assert labels_for("fr", folder)["glossary"] == "Glossaire"
    edit(folder / "fr.yaml", "glossary: Glossaire", "glossary: Lexique")
    assert labels_for("fr", folder)["glossary"] == "Lexique"


def test_the_layouts_version_changes_with_any_layout_file(tmp_path):
    shutil.copytree(LABELS, tmp_path / "labels")
    before = layouts.version(tmp_path)
    edit(tmp_path / "labels" / "de.yaml", "Glossar", "Wörterverzeichnis")
    assert layouts.version(tmp_path) != before
    (tmp_path / "labels" / "pt.yaml").write_text("glossary: Glossário\n", encoding="utf-8")
    assert layouts.version(tmp_path) != before


def test_renderers_are_made_anew_when_a_layout_changed(monkeypatch):
    monkeypatch.setattr(build, "_RENDERERS", {})
    monkeypatch.setattr(layouts, "version", lambda: ("first",))
    first = build._renderer("pptx")
    assert build._renderer("pptx") is first
    monkeypatch.setattr(layouts, "version", lambda: ("edited",))
    assert build._renderer("pptx") is not first
    assert len(build._RENDERERS) == 1  # the stale one is dropped
