"""Translations of a lesson or reading: parity with the original, neutral data, and what is stale.

A translation is a source file with ``translated_from: fr`` (the original's
language, a file in the same folder). It holds the translated texts; what
no language changes (ids, URLs, images, durations, chart values…) may be left
out and is taken from the original. Its structure must match the original's.

Which version of the original each field translates is recorded beside the
translation, in ``<lang>.translated.json``: one fingerprint of the original
text per field, and the original's text itself, written by ``lessonkit
translated`` (never by hand). A field is then *translated*, *not yet
translated* (it still starts with the scaffold's marker), *missing*, or
*stale* (its original changed since); for a stale field, the text the
original had when the field was marked shows what changed (``Change``).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
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
class Change:
    """What changed in an original text since its translation was marked: the text then (None when the record
    does not hold it: a record written before records held texts), the text now, and the word runs from one to
    the other (``word_diff``; none without the text then)."""

    before: str | None
    after: str
    runs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FieldState:
    path: str
    state: str  # "translated", "missing", "untranslated", "stale", "unrecorded" (never recorded)
    line: int
    column: int
    change: Change | None = None  # a stale text's: what changed in the original since it was marked


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


@dataclass(frozen=True)
class Record:
    """A translation's record: the fingerprint of the original's text each recorded field translates, and that
    text itself (a record written before records held texts has none; a text is kept for a recorded field only)."""

    fields: dict[str, str]
    texts: dict[str, str]

    def text_then(self, path: str) -> str | None:
        """The original's text when the field was marked; None when the record does not hold it, or holds a text
        that is not the one its fingerprint names (the record was edited by hand)."""
        text = self.texts.get(path)
        return text if text is not None and fingerprint(text) == self.fields.get(path) else None


def load_record(translation: Path) -> Record:
    """A translation's record; empty when there is none or it is damaged (``check`` reports a damaged record:
    see ``record_problem``)."""
    try:
        return _record(record_path(translation))
    except DamagedRecord:
        return Record({}, {})


def read_record(translation: Path) -> dict[str, str]:
    """The fingerprints recorded for a translation; empty when there is no record or it is damaged."""
    return load_record(translation).fields


def record_problem(translation: Path) -> str | None:
    """Why the translation's record cannot be used, or None."""
    try:
        _record(record_path(translation))
    except DamagedRecord as damaged:
        return str(damaged)
    return None


def _record(path: Path) -> Record:
    if not path.is_file():
        return Record({}, {})
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
    if not _strings(fields):
        raise DamagedRecord(f"{path.name} is damaged (its “fields” are not a list of fingerprints); {fix}")
    texts = data.get("texts", {})  # none in a record written before records held texts
    if not _strings(texts):
        raise DamagedRecord(f"{path.name} is damaged (its “texts” are not a list of the original's texts); {fix}")
    return Record(fields, {path: text for path, text in texts.items() if path in fields})


def _strings(data: object) -> bool:
    return isinstance(data, dict) and all(isinstance(value, str) for value in data.values())


def field_states(original: dict, translation: dict, marks: Marks, record: Record) -> list[FieldState]:
    """The state of every text of the original in the translation; a stale text's ``change`` too, when the record
    holds the original's text as it was marked."""
    translated = {f.path: f for f in text_fields(translation)}
    states = []
    for field in text_fields(original):
        mine = translated.get(field.path)
        change = None
        if mine is None:
            state, where = "missing", marks.of_value(field.loc[:-1])
        elif is_untranslated(mine.text):
            state, where = "untranslated", marks.of_value(mine.loc)
        elif field.path not in record.fields:  # translated, perhaps, but never recorded: not stale
            state, where = "unrecorded", marks.of_value(mine.loc)
        elif record.fields[field.path] != fingerprint(field.text):
            state, where = "stale", marks.of_value(mine.loc)
            change = stale_change(record, field.path, field.text)
        else:
            state, where = "translated", marks.of_value(mine.loc)
        states.append(FieldState(field.path, state, *where, change))
    return states


def write_record(
    translation_path: Path, original_language: str, original: dict, translation: dict, only: set[str] | None = None
) -> int:
    """Record that the translation's texts (those not marked) translate the current original. Returns how many.

    With each fingerprint, the original's text it was taken from (what ``stale_change`` compares with later). A
    field recorded earlier keeps its text; one recorded by a record that held no texts gets the original's text
    now when that is the version it recorded. A record that would pass 2 MB with its texts is written without
    them (stale texts are still found; only what changed is not shown)."""
    now = {field.path: field.text for field in text_fields(original)}
    # texts the original no longer has are forgotten, so the record describes the original as it is
    before = load_record(translation_path)
    record = {path: value for path, value in before.fields.items() if path in now}
    done = {f.path for f in text_fields(translation) if not is_untranslated(f.text)}
    count = 0
    for path, text in now.items():
        if path in done and (only is None or path in only):
            record[path] = fingerprint(text)
            count += 1
    texts = {}
    for path, value in record.items():
        kept = before.text_then(path)
        if kept is not None and fingerprint(kept) == value:
            texts[path] = kept
        elif value == fingerprint(now[path]):
            texts[path] = now[path]
    payload = {
        "original": original_language,
        "fields": dict(sorted(record.items())),
        "texts": dict(sorted(texts.items())),
    }
    written = json.dumps(payload, indent=1, ensure_ascii=False) + "\n"
    if len(written.encode("utf-8")) > MAX_RECORD_BYTES:
        del payload["texts"]
        written = json.dumps(payload, indent=1, ensure_ascii=False) + "\n"
    record_path(translation_path).write_text(written, encoding="utf-8")
    return count


# --------------------------------------------------------------------------- what changed in a stale text


def stale_change(record: Record, path: str, text_now: str) -> Change:
    """For a stale field: the original's text when the field was marked (None when the record does not hold
    it), its text now, and the word runs from one to the other."""
    before = record.text_then(path)
    return Change(before, text_now, tuple(word_diff(before, text_now)) if before is not None else ())


# A word (letters with their accents, digits; “l’école”, “peut-être” and “12.5” are one) or one other character
# (punctuation), with the white space before it
TOKENS = re.compile(r"(\s*)(\w+(?:[’'.,-]\w+)*|[^\w\s])")
MAX_DIFF_TOKENS = 1_000_000  # past this many pairs of words, the changed middle is shown as removed, then added


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The runs that turn ``before`` into ``after``, word by word: ``("equal" | "removed" | "added", text)``.

    Words and punctuation are compared, not the white space between them (a changed line break is no change,
    as for ``fingerprint``), but white space that comes or goes between two of them is a change, as for
    ``fingerprint`` too (“Quoi?” → “Quoi ?”: so a stale text always shows a change). The equal and added runs,
    joined, give ``after``; the equal and removed runs give ``before`` where its white space is ``after``'s. Two
    changes are never split by punctuation alone: “le chat, noir” → “le chien, blanc” is one change (“chat,
    noir” → “chien, blanc”), not two around a comma."""
    old, new = _tokens(before), _tokens(after)
    # a word or mark, and whether white space comes before it (the text's start counts as white space): “Quoi?” →
    # “Quoi ?” changes the fingerprint, so it is a change too
    keys_old, keys_new = _keys_of(old), _keys_of(new)
    # the same words at both ends are equal: only the middle is compared (quick on a long text changed in one place)
    head = 0
    while head < min(len(old), len(new)) and keys_old[head] == keys_new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and keys_old[-1 - tail] == keys_new[-1 - tail]:
        tail += 1
    # (equal or not, the text before, the text after)
    parts = [(True, _spelt(old[:head]), _spelt(new[:head]))]
    middle_old, middle_new = old[head : len(old) - tail], new[head : len(new) - tail]
    if len(middle_old) * len(middle_new) > MAX_DIFF_TOKENS:
        parts.append((False, _spelt(middle_old), _spelt(middle_new)))
    else:
        a, b = keys_old[head : len(old) - tail], keys_new[head : len(new) - tail]
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)  # common words are words too
        for kind, i1, i2, j1, j2 in matcher.get_opcodes():
            parts.append((kind == "equal", _spelt(middle_old[i1:i2]), _spelt(middle_new[j1:j2])))
    parts.append((True, _spelt(old[len(old) - tail :]), _spelt(new[len(new) - tail :])))
    parts.append((True, before[len(before.rstrip()) :], after[len(after.rstrip()) :]))  # white space at the end
    parts = [part for part in parts if part[1] or part[2]]
    joined: list[tuple[bool, str, str]] = []
    for index, (equal, then, now) in enumerate(parts):
        between = 0 < index < len(parts) - 1 and not parts[index - 1][0] and not parts[index + 1][0]
        if equal and between and not re.search(r"\w", now):
            equal = False  # punctuation between two changes: part of one change
        if joined and not equal and not joined[-1][0]:
            joined[-1] = (False, joined[-1][1] + then, joined[-1][2] + now)
        elif joined and not equal and then[:1].isspace() and now[:1].isspace():
            # a word replaced: the space before it stays out of the change (“le chat” → “le chien”: “chat”, “chien”)
            space = now[: len(now) - len(now.lstrip())]
            joined[-1] = (True, joined[-1][1] + space, joined[-1][2] + space)
            joined.append((False, then.lstrip(), now.lstrip()))
        else:
            joined.append((equal, then, now))
    for index in range(1, len(joined)):  # the space between a change and the equal words after it: as it was
        (equal, then, now), (changed, changed_then, changed_now) = joined[index], joined[index - 1]
        if not equal or changed:
            continue
        space_then, space_now = then[: len(then) - len(then.lstrip())], now[: len(now) - len(now.lstrip())]
        if space_then and not space_now:  # “, chien” → “chien”: the space went with the comma
            joined[index - 1] = (False, changed_then + space_then, changed_now)
        elif space_now and not space_then:  # “chien” → “le chien”: the space came with “le”
            joined[index - 1] = (False, changed_then, changed_now + space_now)
            joined[index] = (True, then, now[len(space_now) :])
    runs: list[tuple[str, str]] = []
    for equal, then, now in joined:
        for kind, text in [("equal", now)] if equal else [("removed", then), ("added", now)]:
            if text and runs and runs[-1][0] == kind:  # the end's white space after an equal run: one run
                runs[-1] = (kind, runs[-1][1] + text)
            elif text:
                runs.append((kind, text))
    return runs


def _tokens(text: str) -> list[tuple[str, str]]:
    """The words and punctuation of a text, each with the white space before it."""
    return [(match.group(1), match.group(2)) for match in TOKENS.finditer(text)]


def _keys_of(tokens: list[tuple[str, str]]) -> list[tuple[bool, str]]:
    return [(index == 0 or space != "", token) for index, (space, token) in enumerate(tokens)]


def _spelt(tokens: list[tuple[str, str]]) -> str:
    return "".join(space + token for space, token in tokens)


def change_in_brief(change: Change, most: int = 70) -> str | None:
    """A stale text's change on one line, as ``lessonkit status`` says it: ``“travail du clic” → “travail du clic
    payé”``; long texts shortened with “…” around the changes (at most a few words on either side), and when the
    whole is still longer than ``most`` characters, the first change only. None without the text then (or without a
    change)."""
    if change.before is None:
        return None
    runs = list(change.runs)
    groups = [i for i, (kind, _) in enumerate(runs) if kind != "equal" and (i == 0 or runs[i - 1][0] == "equal")]
    if not groups:  # no change at all (a stale text always has one: see word_diff)
        return None
    before, after = _sides(runs, cut=False)
    if (len(before) <= most and len(after) <= most) or len(groups) == 1:
        return f"“{before}” → “{after}”"
    end = groups[1]  # the first change, with the words around it
    before, after = _sides(runs[:end], cut=True)
    more = len(groups) - 1
    return f"“{before}” → “{after}” (and {more} more change{'s' if more > 1 else ''})"


def _sides(runs: list[tuple[str, str]], cut: bool) -> tuple[str, str]:
    """The text then and the text now of some runs, each on one line, long runs shortened; ``cut``: the runs
    stop before the end of the text."""
    before, after = "", ""
    for index, (kind, text) in enumerate(runs):
        if kind == "equal":
            first, last = index == 0, index == len(runs) - 1
            words = text.split()
            lead, trail = " " if text[:1].isspace() else "", " " if text[-1:].isspace() else ""
            # never both first and last (some run is a change); white space alone only at the end, stripped below
            if last and cut:
                shown = lead + " ".join(words[:3]) + "…"
            elif len(words) <= 6 or len(text) <= 30:
                shown = lead + " ".join(words) + trail
            elif first:
                shown = "…" + " ".join(words[-3:]) + trail
            elif last:
                shown = lead + " ".join(words[:3]) + "…"
            else:
                shown = lead + " ".join(words[:3]) + " … " + " ".join(words[-3:]) + trail
            before, after = before + shown, after + shown
        else:
            lead, trail = " " if text[:1].isspace() else "", " " if text[-1:].isspace() else ""
            shown = lead + _shortened(" ".join(text.split())) + trail  # white space alone: only at the end
            if kind == "removed":
                before += shown
            else:
                after += shown
    # a text's white space at either end is no part of it (a “|” text's last line break)
    return before.strip(), after.strip()


def _shortened(text: str, most: int = 40) -> str:
    """A changed run of at most ``most`` characters: its first and last words around “…”."""
    if len(text) <= most:
        return text
    words = text.split()
    start, end = [], []
    while words and len(" ".join(start + end + words[:1])) < most // 2:
        start.append(words.pop(0))
    while words and len(" ".join(start + end + words[-1:])) < most:
        end.insert(0, words.pop())
    if not start:  # one long word
        return text[: most // 2] + "…" + text[-(most // 2) :]
    # words are left over (the text is longer than most); the last word alone may be too long to end with
    return " ".join([*start, "…", *end])


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
