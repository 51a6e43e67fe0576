"""A translation beside its original, as the translation page shows and changes it.

How a text is written back, and why this way: the file is the teacher's, with their comments, blank
lines, order and wrapping. A round-trip library (ruamel.yaml) re-emits the whole document from its own
model, with one indentation setting for the whole file and its own line folding, so a file written by
hand (or by PyYAML, like the scaffold) changes in places nobody touched. Here only the characters of the
one scalar change: the file is composed by PyYAML (the same parser the loader uses; the file has already
passed ``yamlsafe.read_source``, which refuses aliases, tags and deep nesting), the scalar's start and end
marks give its exact span, and the new text, spelt as the scaffold spells texts
(``translation_files.text_as_yaml``), replaces that span. A text the translation lacks is added as one
``key: text`` line at the end of its group of fields. Every candidate is read back with
``read_source`` before anything is replaced: the file must hold exactly the old data with that one text
changed, or a plainer spelling (one double-quoted line) is tried; the write is then ``editing.save``'s: atomic,
keeping the version it replaces for the editor's undo.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import translation
from ..errors import Problem, SourceError, field_path
from ..files import read_regular
from ..loader import load_lesson, load_reading, original_of
from ..translation_files import text_as_yaml
from ..yamlsafe import MAX_SOURCE_BYTES, Loc, Marks, read_source
from . import editing
from .paths import KINDS, confined, not_found, source_path

MAX_TEXT_CHARACTERS = 100_000  # one field of a lesson; the whole file may hold 2 MB
MAX_BODY_BYTES = 4 * 1024 * 1024  # a request: every text of the largest file, with room for JSON escapes

# The states of translation.field_states, in the order the counts are shown (translation.STATES), named in the
# counts as `lessonkit status` names them (translation.STATE_NAMES), and beside each text in a full phrase.
STATES = translation.STATES
COUNT_WORDS = translation.STATE_NAMES
STATE_WORDS = {
    "missing": "Missing",
    "untranslated": "Not yet translated",
    "stale": "Stale: the original changed",
    "unrecorded": "Translated, not marked yet",
    "translated": "Done",
}
STATE_HELP = {
    "missing": "The translation has no text here yet: write it, then save.",
    "untranslated": f"This text still starts with “{translation.MARKER.strip()}”: translate it and remove that mark.",
    "stale": "The original changed after this text was marked as translated: compare, update, then mark it again.",
    "unrecorded": "Translated, but not marked as translated yet: check it, then mark it.",
    "translated": "",
}

# How the fields of a lesson or reading are named on the page: lists by their items, the rest by name.
ITEMS = {
    "sections": "Section",
    "subsections": "Subsection",
    "body": "Paragraph",
    "boxes": "Box",
    "figures": "Figure",
    "footnotes": "Footnote",
    "slide_points": "Slide point",
    "key_points": "Key point",
    "questions": "Question",
    "materials": "Material",
    "instructions": "Instruction",
    "resources": "Resource",
    "glossary": "Glossary entry",
    "remember": "Point to remember",
    "quotes": "Quote",
    "key_figures": "Key figure",
    "concepts": "Concept",
    "references": "Reference",
    "categories": "Category",
    "series": "Series",
    "measures": "Measure",
    "text": "Paragraph",
}
NAMES = {
    "alt": "Description for screen readers",
    "slide_prompt": "Prompt on the slide",
    "teacher_notes": "Teacher's notes",
    "teacher_instructions": "Instructions for the teacher",
    "exit_question": "Exit question",
    "first_presented": "First presented",
    "summary_credits": "Credits of the summary",
}
TITLES = ("heading", "title", "term", "prompt")  # what names an item in its group's heading

changing = editing.changing  # one change at a time, shared with the editor: no save interleaves another


class Refused(Exception):
    """A change that was not made, and why in plain words; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, problems: list[str] | None = None):
        super().__init__(message)
        self.message, self.status, self.problems = message, status, problems or []
        self.field: str | None = None  # the text it is about, when several were sent


# --------------------------------------------------------------------------- the two files


@dataclass
class Pair:
    """A translation file and its original, read."""

    kind: str
    path: Path
    language: str
    original_path: Path
    original_language: str
    data: dict
    original: dict
    marks: Marks

    def states(self) -> list[translation.FieldState]:
        return translation.field_states(self.original, self.data, self.marks, translation.load_record(self.path))


def read_pair(project: Path, kind: str, document_id: str, language: str) -> Pair:
    """The translation at the URL and its original; 404 when there is none, ``Refused`` when it cannot be read."""
    path = source_path(project, kind, document_id, language)
    if not path.is_file():
        raise not_found(f"There is no {language} translation of “{document_id}” yet.")
    try:
        data, marks, _ = read_source(path)
    except SourceError as error:
        raise Refused(
            "This translation has a mistake that stops it from being read: fix it in the edit page first.",
            409,
            plain(error.problems, path),
        ) from None
    original_path = original_of(path, data)
    if original_path is None:
        raise not_found(f"{path.name} is not a translation: it names no original (“translated_from”).")
    original_path = confined(project / "sources", KINDS[kind], document_id, original_path.name)
    if not original_path.is_file():
        raise not_found(f"The original of this translation, {original_path.name}, is not there.")
    try:
        original, _, _ = read_source(original_path)
    except SourceError as error:
        raise Refused("The original has a mistake that stops it from being read.", 409, plain(error.problems)) from None
    return Pair(kind, path, language, original_path, original_path.stem, data, original, marks)


def check(pair: Pair) -> list[Problem]:
    """lessonkit's own check of the translation file (as ``lessonkit check``): its problems, none when fine."""
    try:
        (load_lesson if pair.kind == "lesson" else load_reading)(pair.path)
    except SourceError as error:
        return error.problems
    except OSError as error:
        return [Problem(pair.path, 1, 1, "", f"a file cannot be read ({error.strerror or error})")]
    return []


def plain(problems: list[Problem], here: Path | None = None) -> list[str]:
    """Problems in words: “Line 12: …” in this file, “fr.yaml, line 3: …” in another."""
    said = []
    for problem in problems:
        where = f"Line {problem.line}" if problem.path == here else f"{problem.path.name}, line {problem.line}"
        said.append(f"{where}: {problem.message}")
    return said


# --------------------------------------------------------------------------- the page's rows


@dataclass
class Row:
    path: str  # the stable field path of translation.text_fields: sections[intro].body.1
    group: tuple[str, str]  # ("Section 2", "Qu’est-ce que le digital labor ?"): a name, and the original's title
    label: str  # Subsection 1 › Paragraph 2
    original: str
    text: str | None  # None: missing from the translation
    state: str
    placeable: bool = True  # False: a list or group above it is not in the translation (the edit page adds it)
    problems: list[str] = field(default_factory=list)
    change: translation.Change | None = None  # stale: the original's text when it was marked, and the word runs

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def help(self) -> str:
        return STATE_HELP[self.state]


def rows(pair: Pair, problems: list[Problem]) -> tuple[list[Row], list[str]]:
    """One row per text of the original, in its order; the problems no row shows (other places, other files)."""
    known = {state.path: state for state in pair.states()}
    theirs = {f.path: f for f in translation.text_fields(pair.data)}
    by_place: dict[str, str] = {}
    found = []
    for original in translation.text_fields(pair.original):
        mine = theirs.get(original.path)
        loc = mine.loc if mine else _place(pair.original, pair.data, original.loc)
        if loc is not None:
            by_place[field_path(loc)] = original.path
        group, label = _names(pair.original, original.loc)
        text = mine.text if mine else None
        state = known[original.path]
        found.append(
            Row(original.path, group, label, original.text, text, state.state, loc is not None, change=state.change)
        )
    first: dict[tuple[str, str], int] = {}  # groups in the order they first come; a group's rows together
    found.sort(key=lambda row: first.setdefault(row.group, len(first)))
    by_path = {row.path: row for row in found}
    elsewhere = []
    for problem in problems:
        owner = by_place.get(problem.field) if problem.path == pair.path else None
        if owner is not None:
            by_path[owner].problems.append(problem.message)
        else:
            elsewhere += plain([problem], pair.path)
    return found, elsewhere


def counts(states: dict[str, str]) -> dict[str, int]:
    return {state: sum(s == state for s in states.values()) for state in STATES}


def _names(original: dict, loc: Loc) -> tuple[tuple[str, str], str]:
    """(group, field label) of a text of the original: (("Activity", ""), "Question 3 › Prompt"); a group is
    named in the page's words, with the original's own title of the item when it has one."""
    if len(loc) == 1:
        return ("General", ""), _name(loc[0])
    if not isinstance(loc[1], int):  # a group of fields: activity, closing, credits
        return (_name(loc[0]), ""), " › ".join(_parts(loc[1:])) or "Text"
    item = original[loc[0]][loc[1]]
    if not isinstance(item, dict):  # a list of texts: slide points, instructions
        return (_name(loc[0]), ""), " › ".join(_parts(loc))
    title = next((item[k] for k in TITLES if isinstance(item.get(k), str)), "")
    return (f"{_noun(loc[0])} {loc[1] + 1}", shortened(title)), " › ".join(_parts(loc[2:])) or "Text"


def _parts(loc: Loc) -> list[str]:
    parts = []
    for index, part in enumerate(loc):
        if isinstance(part, int):
            continue
        following = loc[index + 1] if index + 1 < len(loc) else None
        parts.append(f"{_noun(part)} {following + 1}" if isinstance(following, int) else _name(part))
    return parts


def _noun(key: str) -> str:
    return ITEMS.get(key) or _name(key)


def _name(key: str) -> str:
    return NAMES.get(key) or key.replace("_", " ").capitalize()


def shortened(text: str, most: int = 60) -> str:
    """A title as plain words: no mark, no emphasis stars, ``[word]{lang=en}`` as ``word``; at most ``most``."""
    text = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text.removeprefix(translation.MARKER)).replace("*", "")
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _place(original: object, data: object, loc: Loc) -> Loc | None:
    """Where a text of the original goes in the translation (items matched by id, as text_fields does); None
    when a list or group above it is not in the translation."""
    place: list[str | int] = []
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(part, str):
            if not isinstance(data, dict) or (part not in data and not last):
                return None
            place.append(part)
            original, data = original[part], data.get(part)
        else:
            item = original[part]
            if not isinstance(data, list):
                return None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids = [d.get("id") if isinstance(d, dict) else None for d in data]
                if item["id"] not in ids:
                    return None
                index = ids.index(item["id"])
            elif part < len(data):
                index = part
            else:
                return None
            place.append(index)
            original, data = item, data[index]
    return tuple(place)


# --------------------------------------------------------------------------- writing one text back


def new_source(source: str, data: dict, loc: Loc, text: str) -> tuple[list[str], dict]:
    """``source`` with the text at ``loc`` replaced (or added), and the data it must read back as.

    Candidates, best first: the scaffold's spelling, then one double-quoted line; the caller keeps the first
    that reads back as ``expected``."""
    expected = copy.deepcopy(data)
    _set(expected, loc, text)
    root = yaml.compose(source, Loader=yaml.SafeLoader)  # safe: read_source has accepted this very text
    parent, node = _nodes(root, loc)
    if node is not None and not isinstance(node, ScalarNode):
        raise Refused("In the translation this place holds a list or a group, not a text: fix it in the edit page.")
    if node is None and not (isinstance(parent, MappingNode) and isinstance(loc[-1], str)):
        raise Refused("This text has no place in the translation yet: add its part in the edit page first.")
    if parent.flow_style:  # inside [ … ] or { … }: only a quoted text may stand there
        spellings = [json.dumps(text, ensure_ascii=False)]
    else:
        indent = parent.start_mark.column + 2
        spellings = [text_as_yaml(text, indent), json.dumps(text, ensure_ascii=False)]
    candidates = []
    for spelling in spellings:
        if node is not None:
            start, end = node.start_mark.index, _content_end(node, source)
            gap = " " if start == end and not spelling.startswith(" ") else ""  # an empty value: “key:”
            candidates.append(source[:start] + gap + spelling + source[end:])
        else:
            end = _content_end(parent, source)
            end = source.find("\n", end) if "\n" in source[end:] else len(source)  # after a comment ending the line
            line = f"\n{' ' * parent.start_mark.column}{loc[-1]}: {spelling}"
            candidates.append(source[:end] + line + source[end:])
    return candidates, expected


def _set(data: object, loc: Loc, value: str) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _nodes(root: Node, loc: Loc) -> tuple[Node, Node | None]:
    """The node holding the value at ``loc``, and that value's node (None when the key is not there)."""
    parent, node = None, root
    for part in loc:
        parent = node
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == part), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
    return parent, node


def _content_end(node: Node, source: str) -> int:
    """Where a node's own characters end: a block text's marks run on over the blank lines after it."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        return start + len(source[start:end].rstrip())
    return end


def write_texts(pair: Pair, texts: dict[str, str]) -> None:
    """Write texts of the translation into its file, changing nothing else, in one write; ``Refused`` (with the
    field it is about) when one cannot be written, and then nothing is."""
    raw = read_regular(pair.path, MAX_SOURCE_BYTES)
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    source = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in source else "\n"
    source, data = source.replace("\r\n", "\n"), pair.data
    for path_of_field, text in texts.items():
        try:
            source, data = _with_text(pair, source, data, path_of_field, text, bom, newline)
        except Refused as refused:
            refused.field = path_of_field
            raise
    written = bom + source.replace("\n", newline).encode("utf-8")
    if written != raw:  # the same texts again: nothing to write, no version to keep
        try:
            editing.save(pair.path, written)  # atomic, and the replaced version kept for the editor's undo
        except editing.Refused as refused:
            raise Refused(refused.message, 409) from None


def _with_text(pair: Pair, source: str, data: dict, path_of_field: str, text: str, bom: bytes, newline: str):
    """``source`` and ``data`` with one text replaced (or added), checked by reading the new source back."""
    original = next((f for f in translation.text_fields(pair.original) if f.path == path_of_field), None)
    if original is None:
        raise Refused("The original has no such text.")
    mine = next((f for f in translation.text_fields(data) if f.path == path_of_field), None)
    if mine is not None and mine.text == text:
        return source, data
    loc = mine.loc if mine else _place(pair.original, data, original.loc)
    if loc is None:
        raise Refused("This text has no place in the translation yet: add its part in the edit page first.")
    candidates, expected = new_source(source, data, loc, text)
    for candidate in candidates:
        if _reads_as(pair.path, bom + candidate.replace("\n", newline).encode("utf-8"), expected):
            return candidate, expected
    raise Refused("This text could not be written without changing other parts of the file; nothing was saved.")


def _reads_as(path: Path, data: bytes, expected: dict) -> bool:
    """Whether ``data``, saved at ``path``, would read back as ``expected`` (checked in a file beside it)."""
    handle, trial = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        return read_source(Path(trial))[0] == expected
    except SourceError:
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(trial)
