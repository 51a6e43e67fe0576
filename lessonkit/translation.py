"""Translations of a lesson or reading: parity with the original, neutral data, and what is stale.

A translation is a source file with ``translated_from: fr`` (the original's
language, a file in the same folder). It holds the translated texts; what
no language changes (ids, URLs, images, durations, chart values…) may be left
out and is taken from the original. Its structure must match the original's.

Which version of the original each field translates is recorded beside the
translation, in ``<lang>.translated.json``: one fingerprint of the original
text per field, written by ``lessonkit translated`` (never by hand). A
field is then *translated*, *not yet translated* (it still starts with the
scaffold's marker), *missing*, or *stale* (its original changed since).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, display_path, field_path
from .model import UNTRANSLATED_MARKER
from .yamlsafe import Loc, Marks

MARKER = UNTRANSLATED_MARKER
# Data no language changes: taken from the original when a translation leaves it out.
NEUTRAL_KEYS = frozenset(
    {
        "id",
        "language",
        "url",
        "image",
        "duration",
        "lines",
        "points",
        "mode",
        "icon",
        "kind",
        "values",
        "readings",
        "year",
        "date",
        "translated_from",
        "original_language",
        # names and the licence are never translated: the original's are used
        "authors",
        "licence",
    }
)
# Collections whose items must correspond one to one: (path with * for “every item”, compared by).
LESSON_PARITY = [
    ("sections", "id"),
    ("sections.*.subsections", "count"),
    ("sections.*.boxes", "count"),
    ("sections.*.figures", "id"),
    ("sections.*.footnotes", "id"),
    ("activity.questions", "id"),
    ("activity.materials", "count"),
    ("resources", "count"),
    ("glossary", "count"),
    ("readings", "value"),
]
READING_PARITY = [
    ("sections", "id"),
    ("sections.*.quotes", "count"),
    ("sections.*.figures", "id"),
    ("key_figures", "count"),
    ("concepts", "count"),
    ("questions", "id"),
    ("references", "count"),
]


@dataclass(frozen=True)
class Field:
    """One translatable text, found by a path that survives reordering (``sections[intro].body.1``)."""

    path: str
    loc: Loc
    text: str


# The states of field_states, in the order they are counted, named as `lessonkit status` and the browser app's
# translation page both say them.
STATES = ("missing", "untranslated", "stale", "unrecorded", "translated")
STATE_NAMES = {
    "missing": "missing",
    "untranslated": "not yet translated",
    "stale": "stale",
    "unrecorded": "not marked yet",
    "translated": "translated",
}


@dataclass(frozen=True)
class FieldState:
    path: str
    state: str  # "translated", "missing", "untranslated", "stale", "unrecorded" (never recorded)
    line: int
    column: int


# --------------------------------------------------------------------------- walking texts


def text_fields(data: object, loc: Loc = (), path: str = "") -> Iterator[Field]:
    """Every human text of a source's data, with its stable path and its place."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NEUTRAL_KEYS:
                yield from text_fields(value, (*loc, key), f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            name = f"[{item['id']}]" if isinstance(item, dict) and isinstance(item.get("id"), str) else f".{index + 1}"
            yield from text_fields(item, (*loc, index), f"{path}{name}")
    elif isinstance(data, str):
        yield Field(path, loc, data)


def fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def is_untranslated(text: str) -> bool:
    return text.startswith(MARKER)


# --------------------------------------------------------------------------- neutral data


def with_neutral_data(translation: object, original: object) -> object:
    """The translation, completed with the original's language-neutral data where it left it out."""
    if isinstance(translation, dict) and isinstance(original, dict):
        merged = dict(translation)
        for key, value in original.items():
            if key not in merged and (key in NEUTRAL_KEYS and key not in ("language", "translated_from")):
                merged[key] = value
            elif key in merged:
                merged[key] = with_neutral_data(merged[key], value)
        return merged
    if isinstance(translation, list) and isinstance(original, list):
        return [with_neutral_data(item, _counterpart(item, index, original)) for index, item in enumerate(translation)]
    return translation


def _counterpart(item: object, index: int, original: list) -> object:
    if isinstance(item, dict) and "id" in item:
        return next((o for o in original if isinstance(o, dict) and o.get("id") == item["id"]), None)
    return original[index] if index < len(original) else None


# --------------------------------------------------------------------------- structural parity


def parity_problems(
    kind: str,
    original: tuple[Path, dict, Marks],
    translation: tuple[Path, dict, Marks],
) -> list[Problem]:
    """Where the translation's structure differs from the original's, naming both files and lines."""
    rules = LESSON_PARITY if kind == "lesson" else READING_PARITY
    problems: list[Problem] = []
    for pattern, compare in rules:
        for loc, ours, theirs in _aligned(pattern.split("."), (), translation[1], original[1]):
            problems += _compare(compare, loc, ours, theirs, original, translation)
    return problems


def _aligned(parts: list[str], loc: Loc, ours: object, theirs: object) -> Iterator[tuple[Loc, object, object]]:
    if not parts:
        yield loc, ours, theirs
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(ours, list) and isinstance(theirs, list):
            for index, (mine, other) in enumerate(zip(ours, theirs, strict=False)):
                yield from _aligned(rest, (*loc, index), mine, other)
        return
    mine = ours.get(head) if isinstance(ours, dict) else None
    other = theirs.get(head) if isinstance(theirs, dict) else None
    yield from _aligned(rest, (*loc, head), mine if mine is not None else [], other if other is not None else [])


def _compare(compare: str, loc: Loc, ours: object, theirs: object, original, translation) -> list[Problem]:
    ours = ours if isinstance(ours, list) else []
    theirs = theirs if isinstance(theirs, list) else []
    original_path, _, original_marks = original
    path, _, marks = translation

    def problem(where: Loc, message: str, their_loc: Loc) -> list[Problem]:
        there = f"{display_path(original_path)}:{original_marks.of_value(their_loc)[0]}"
        return [Problem(path, *marks.of_value(where), field_path(where), f"{message} ({there})")]

    if compare == "count":
        if len(ours) != len(theirs):
            return problem(loc, f"has {len(ours)} items but the original has {len(theirs)}", loc)
        return []
    mine, others = _keys(ours, compare), _keys(theirs, compare)
    if mine == others:
        return []
    found = next((i for i, (a, b) in enumerate(zip(mine, others, strict=False)) if a != b), min(len(mine), len(others)))
    expected = _shown(others[found]) if found < len(others) else "nothing more"
    given = _shown(mine[found]) if found < len(mine) else "nothing"
    message = f"the original has {expected} here, the translation {given}: keep the original's items, in order"
    return problem((*loc, found) if found < len(ours) else loc, message, (*loc, found))


def _shown(key: object) -> str:
    """An item's id (or value) in a message; an item without an id (a text, or fields without “id”) in words."""
    return "an item without an id" if key is None else f"“{key}”"


def _keys(items: list, compare: str) -> list:
    if compare == "value":
        return items
    return [item.get("id") if isinstance(item, dict) else None for item in items]


# --------------------------------------------------------------------------- what is stale


def record_path(translation: Path) -> Path:
    return translation.with_name(f"{translation.stem}.translated.json")


MAX_RECORD_BYTES = 2 * 1024 * 1024


class DamagedRecord(ValueError):
    """A ``.translated.json`` that is not what ``translated`` writes; the message says what is wrong."""


def read_record(translation: Path) -> dict[str, str]:
    """The fingerprints recorded for a translation; empty when there is no record or it is damaged
    (``check`` reports a damaged record: see ``record_problem``)."""
    try:
        return _record_fields(record_path(translation))
    except DamagedRecord:
        return {}


def record_problem(translation: Path) -> str | None:
    """Why the translation's record cannot be used, or None."""
    try:
        _record_fields(record_path(translation))
    except DamagedRecord as damaged:
        return str(damaged)
    return None


def _record_fields(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    fix = f"delete {path.name} and run `lessonkit translated` again"
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            raise DamagedRecord(f"{path.name} is larger than 2 MB; {fix}")
        data = json.loads(path.read_text(encoding="utf-8"))
    except DamagedRecord:  # a ValueError too: said as it is, not as “not the record lessonkit writes”
        raise
    except (ValueError, RecursionError, OSError):  # not JSON, not UTF-8, nested too deep, unreadable
        raise DamagedRecord(f"{path.name} is damaged (it is not the record lessonkit writes); {fix}") from None
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise DamagedRecord(f"{path.name} is damaged (its “fields” are not a list of fingerprints); {fix}")
    return fields


def field_states(original: dict, translation: dict, marks: Marks, record: dict[str, str]) -> list[FieldState]:
    """The state of every text of the original in the translation."""
    translated = {f.path: f for f in text_fields(translation)}
    states = []
    for field in text_fields(original):
        mine = translated.get(field.path)
        if mine is None:
            state, where = "missing", marks.of_value(field.loc[:-1])
        elif is_untranslated(mine.text):
            state, where = "untranslated", marks.of_value(mine.loc)
        elif field.path not in record:  # translated, perhaps, but never recorded: not stale
            state, where = "unrecorded", marks.of_value(mine.loc)
        elif record[field.path] != fingerprint(field.text):
            state, where = "stale", marks.of_value(mine.loc)
        else:
            state, where = "translated", marks.of_value(mine.loc)
        states.append(FieldState(field.path, state, *where))
    return states


def write_record(
    translation_path: Path, original_language: str, original: dict, translation: dict, only: set[str] | None = None
) -> int:
    """Record that the translation's texts (those not marked) translate the current original. Returns how many."""
    current = {field.path for field in text_fields(original)}
    # texts the original no longer has are forgotten, so the record describes the original as it is
    record = {path: value for path, value in read_record(translation_path).items() if path in current}
    done = {f.path for f in text_fields(translation) if not is_untranslated(f.text)}
    count = 0
    for field in text_fields(original):
        if field.path in done and (only is None or field.path in only):
            record[field.path] = fingerprint(field.text)
            count += 1
    payload = {"original": original_language, "fields": dict(sorted(record.items()))}
    record_path(translation_path).write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return count


# --------------------------------------------------------------------------- scaffold


def scaffold(original: object, language: str, original_language: str) -> object:
    """The original's structure with every text marked as not yet translated and neutral data left out."""

    def walk(data: object) -> object:
        if isinstance(data, dict):
            return {k: (v if k == "id" else walk(v)) for k, v in data.items() if k == "id" or k not in NEUTRAL_KEYS}
        if isinstance(data, list):
            return [walk(item) for item in data]
        if isinstance(data, str):
            return MARKER + data
        return data

    body = walk(original)
    head = {"translated_from": original_language, "id": original["id"], "language": language}
    return {**head, **{k: v for k, v in body.items() if k not in head}}
