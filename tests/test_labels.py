"""Label catalogs: every language has every label, and the layouts use only catalog words."""

from __future__ import annotations

import re

import pytest
import yaml

from lessonkit.i18n import LABELS, catalog_languages, labels_for

from .conftest import ROOT


def test_the_five_languages_have_a_catalog():
    assert {"fr", "de", "it", "en", "es"} <= set(catalog_languages())


CATALOGS = ROOT / "layouts" / "labels"
ON_DISK = sorted(path.stem for path in CATALOGS.glob("*.yaml"))
OTHER_LANGUAGES = [language for language in ON_DISK if language != "fr"]


def catalog(language: str) -> dict:
    """A catalog as written on disk, read without lessonkit (independent of ``labels_for``)."""
    return yaml.safe_load((CATALOGS / f"{language}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_catalog_has_the_same_keys_as_the_french_one(language):
    """Every label the layouts use exists in every language (French is the reference)."""
    reference, keys = catalog("fr").keys(), catalog(language).keys()
    assert keys == reference, f"{language}: missing {reference - keys}, extra {keys - reference}"
    assert labels_for(language).keys() == set(reference)  # and lessonkit reads the same keys


@pytest.mark.parametrize("language", ON_DISK)
def test_every_label_is_a_non_empty_text_with_the_french_placeholders(language):
    """A label is printed as is: never empty, never a number or a list; ``{n}`` where French has it."""
    french = catalog("fr")
    for key, value in catalog(language).items():
        assert isinstance(value, str) and value.strip(), f"{language}.{key} is empty or not a text"
        assert set(re.findall(r"{\w+}", value)) == set(re.findall(r"{\w+}", french[key])), f"{language}.{key}"


# Labels that must read differently in every language: the sheet's name, the key's warning, continuation marks.
DISTINCT = ("language_name", "worksheet", "answer_key", "answer_key_notice", "continued", "scan_to_open")


def test_languages_differ_where_they_must():
    """A catalog is a translation, not a copy: the labels above differ between every two languages, and no
    catalog repeats more than a quarter of the French labels (words such as “Date” or “Source” may)."""
    catalogs = {language: catalog(language) for language in ON_DISK}
    for key in DISTINCT:
        values = [words[key] for words in catalogs.values()]
        assert len(set(values)) == len(values), f"{key}: {values}"
    french = catalogs["fr"]
    for language in OTHER_LANGUAGES:
        same = [key for key, value in catalogs[language].items() if value == french[key]]
        assert len(same) <= len(french) // 4, f"{language} repeats the French labels {same}"


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
