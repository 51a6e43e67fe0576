"""Label catalogs: every language has every label, and the layouts use only catalog words."""

from __future__ import annotations

import re

import pytest

from lessonkit.i18n import LABELS, catalog_languages, labels_for

from .conftest import ROOT


def test_the_five_languages_have_a_catalog():
    assert {"fr", "de", "it", "en", "es"} <= set(catalog_languages())


@pytest.mark.parametrize("language", catalog_languages())
def test_every_catalog_has_the_same_keys(language):
    reference = labels_for("fr").keys()
    keys = labels_for(language).keys()
    assert keys == reference, f"{language}: missing {reference - keys}, extra {keys - reference}"


def test_regional_tags_fall_back_to_their_language():
    assert labels_for("de-CH")["answer_key"] == labels_for("de")["answer_key"] == "Lösungen"


def test_swiss_german_labels_have_no_sharp_s():
    assert "ß" not in (LABELS / "de.yaml").read_text(encoding="utf-8")


def test_templates_use_every_label_they_name():
    used = set()
    for template in (ROOT / "layouts").rglob("*.j2"):
        used |= set(re.findall(r'label\("([a-z_]+)"[,)]', template.read_text(encoding="utf-8")))
    used |= {"mode_unplugged", "mode_plugged", "mode_mixed"}  # built as "mode_" ~ activity.mode
    assert used and used <= labels_for("fr").keys()
