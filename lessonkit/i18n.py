"""Labels and locale formatting: every fixed word of the layouts comes from here.

Label catalogs are data, one YAML file per language in ``layouts/labels/``.
A regional tag falls back to its language (``de-CH`` → ``de.yaml``).
Numbers and dates are formatted by Babel with the document's locale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent

from . import layouts
from .errors import Problem, SourceError
from .layouts import LAYOUTS
from .yamlsafe import read_source

LABELS = LAYOUTS / "labels"


class Labels:
    """The fixed words of one language: ``labels["glossary"]``, ``labels.format("minutes", n=45)``."""

    def __init__(self, language: str, words: dict[str, str]):
        self.language = language
        self._words = words

    def __getitem__(self, key: str) -> str:
        return self._words[key]

    def format(self, key: str, **values: object) -> str:
        return self._words[key].format(**values)

    def keys(self) -> set[str]:
        return set(self._words)


def labels_for(language: str, folder: Path = LABELS) -> Labels:
    """The catalog of ``language`` (or of its base language), read again whenever a layout file changed."""
    return _labels_for(language, folder, layouts.version(folder))


@lru_cache(maxsize=16)
def _labels_for(language: str, folder: Path, _version: tuple) -> Labels:
    for candidate in (language, language.split("-")[0]):
        path = folder / f"{candidate}.yaml"
        if path.is_file():
            data, marks, problems = read_source(path)
            bad = [key for key, value in data.items() if not isinstance(value, str)]
            if problems or bad:
                problems += [Problem(path, *marks.of_value((key,)), key, "a label must be text") for key in bad]
                raise SourceError(problems)
            return Labels(language, data)
    raise SourceError([Problem(folder / f"{language}.yaml", 1, 1, "", f"no label catalog for “{language}”")])


def catalog_languages(folder: Path = LABELS) -> list[str]:
    return sorted(path.stem for path in folder.glob("*.yaml"))


# The region a bare language code means for proofing tools (PowerPoint's spell-checker needs one).
DEFAULT_REGIONS = {"fr": "fr-CH", "de": "de-CH", "it": "it-CH", "en": "en-GB", "es": "es-ES"}


def proofing_tag(language: str) -> str:
    """A full language tag such as fr-CH for ``fr``; tags with a region are kept."""
    return language if "-" in language else DEFAULT_REGIONS.get(language, language)


def babel_locale(language: str) -> Locale:
    return Locale.parse(language.replace("-", "_"))


def format_number(value: float, language: str) -> str:
    """6.2 → «6,2» in French, «6.2» in English; whole numbers lose their “.0”."""
    shown = int(value) if float(value).is_integer() else value
    return format_decimal(shown, locale=babel_locale(language))


def format_percent(value: float, language: str) -> str:
    """12 → «12 %» in French, «12%» in English and Swiss German: the locale's percent sign and spacing."""
    share = Decimal(str(value)) / 100
    return babel_percent(share, locale=babel_locale(language), decimal_quantization=False)


def format_day(day: dt.date, language: str) -> str:
    """9 September 2016 in the document's language (“9 septembre 2016”)."""
    return format_date(day, format="long", locale=babel_locale(language))
