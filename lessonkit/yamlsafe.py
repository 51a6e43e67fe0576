"""Reading a YAML source safely and keeping where every value came from.

PyYAML's defaults are wrong for files teachers write and share:

- duplicate keys silently keep the last value: here they are an error;
- anchors and aliases make "billion laughs" files explode when walked:
  here they are refused before anything is expanded;
- YAML 1.1 turns ``no`` into False, ``12:30`` into 750 and ``0755`` into 493:
  here every scalar stays the text the teacher typed (the model converts the
  few numeric fields itself, strictly);
- tags such as ``!!python/object`` are refused.

The result is plain data (dict, list, str, None) plus a ``Marks`` index from
field paths to line and column, so validation errors can point at the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem, SourceError, field_path
from .files import NotARegularFile, TooLarge, read_regular

MAX_SOURCE_BYTES = 2 * 1024 * 1024
# A lesson nests about 8 levels deep; hundreds would exhaust Python's stack while reading or validating.
MAX_DEPTH = 32
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

Loc = tuple[str | int, ...]


@dataclass
class Marks:
    """Line and column (1-based) of every value and key, by field path."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    # Unquoted values followed by “ #…” on their line: YAML drops that part as a comment. Whether that
    # loses text depends on the field (a comment after “duration: 45” is fine): the loader decides.
    comments: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, loc: Loc) -> tuple[int, int]:
        """The place of the value at ``loc``, or of its nearest enclosing value."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return (1, 1)

    def of_key(self, loc: Loc) -> tuple[int, int]:
        return self.keys.get(loc) or self.of_value(loc)


class _SourceLoader(yaml.SafeLoader):
    """A composer that refuses aliases, anchors, explicit tags and deep nesting up front."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if self.depth >= MAX_DEPTH:
            message = f"the fields are nested more than {MAX_DEPTH} levels deep; a lesson needs far fewer"
            raise _Refused(event.start_mark, message)
        if isinstance(event, AliasEvent):
            raise _Refused(event.start_mark, "aliases (*name) are not allowed in lesson sources; write the text out")
        if isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor is not None:
                raise _Refused(
                    event.start_mark, "anchors (&name) are not allowed in lesson sources; write the text out"
                )
            if event.tag not in (None, "!") and not (isinstance(event, ScalarEvent) and event.implicit[0]):
                raise _Refused(event.start_mark, f"YAML tags such as “{event.tag}” are not allowed in lesson sources")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Refused(Exception):
    def __init__(self, mark, message: str):
        self.mark = mark
        self.message = message


def read_source(path: Path, raw: bytes | None = None) -> tuple[dict[str, object], Marks, list[Problem]]:
    """Read one YAML source into plain data, marks and problems that did not stop reading.

    Raises ``SourceError`` when the file cannot be read as YAML at all.
    A repeated key is reported but does not stop reading, so the file's
    other mistakes are listed in the same run. ``raw``, when given, is read
    as the contents of ``path`` instead of the file (an editor's unsaved text).
    """
    text = _decode(path, raw)
    if problems := _tab_indentation(path, text):
        raise SourceError(problems)
    root = _compose(path, text)
    if root is None:
        raise SourceError([Problem(path, 1, 1, "", "the file is empty: a source needs at least an id and a title")])
    builder = _DataBuilder(path, text.splitlines())
    data = builder.build(root)
    if not isinstance(data, dict):
        line, column = builder.marks.of_value(())
        raise SourceError([Problem(path, line, column, "", "the file must be a set of fields (“key: value” lines)")])
    return data, builder.marks, builder.problems


def _decode(path: Path, raw: bytes | None = None) -> str:
    try:
        if raw is None:
            raw = read_regular(path, MAX_SOURCE_BYTES)
        elif len(raw) > MAX_SOURCE_BYTES:
            raise TooLarge(path.name)
    except TooLarge:
        raise SourceError(
            [Problem(path, 1, 1, "", "the file is larger than 2 MB; a lesson source is far smaller")]
        ) from None
    except NotARegularFile:
        message = "this is not an ordinary file (a pipe or a device); it was not read"
        raise SourceError([Problem(path, 1, 1, "", message)]) from None
    except OSError as error:
        raise SourceError([Problem(path, 1, 1, "", f"the file cannot be read ({error.strerror})")]) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError([Problem(path, 1, 1, "", "the file is saved as UTF-16; save it as UTF-8 in your editor")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        message = (
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X} cannot be read); "
            "save it as UTF-8 in your editor"
        )
        raise SourceError([Problem(path, line, column, "", message)]) from None


def _tab_indentation(path: Path, text: str) -> list[Problem]:
    message = "a tab is used for indentation; YAML needs spaces (set your editor to insert spaces)"
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = re.match(r"[ \t]*", line).group()
        if "\t" in indent:
            problems.append(Problem(path, number, indent.index("\t") + 1, "", message))
    return problems


def _compose(path: Path, text: str) -> Node | None:
    loader = None
    try:
        loader = _SourceLoader(text)  # the reader already rejects control characters here
        return loader.get_single_node()
    except _Refused as refused:
        mark, message = _starting_character(refused.mark) or (refused.mark, refused.message)
        raise SourceError([Problem(path, mark.line + 1, mark.column + 1, "", message)]) from None
    except yaml.MarkedYAMLError as error:
        mark, message = _located_message(error)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SourceError([Problem(path, line, column, "", message)]) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        message = f"the file contains an invisible control character (#x{error.character:04x}); remove it"
        raise SourceError([Problem(path, line, column, "", message)]) from None
    finally:
        if loader is not None:
            loader.dispose()


# Characters that give an unquoted text another meaning in YAML when they start it (“*Plants*” is read as a
# reference to another value, “&”, “!” and “%” likewise; “@” and “`” are reserved).
STARTING_CHARACTERS = "*&!%@`"
QUOTE_MESSAGE = (
    "the text starts with quotation marks and goes on after them: put the whole text in double quotes "
    '(and write inner quotes as \\" or use « »)'
)
# What starts a value on a line: indentation, list dashes, then a key and its colon.
_VALUE_START = re.compile(r"[ ]*(?:-[ ]+)*(?:(?P<key>[^\s#:\"'][^:#]*?)[ ]*:[ ]+)?")


def _located_message(error: yaml.MarkedYAMLError):
    """Where a YAML error really is, and what it means in plain words."""
    context = error.context or ""
    problem = error.problem or ""
    for mark in (error.context_mark, error.problem_mark):
        if found := _starting_character(mark):
            return found
    if _after_quoted_start(error.problem_mark) and "quoted" not in context:
        return error.problem_mark, QUOTE_MESSAGE
    if "quoted scalar" in context or "could not find expected ':'" in problem:
        # an unclosed quote, or a line with no colon: the mistake is where the text or line starts
        return error.context_mark or error.problem_mark, _plain_yaml_message(error)
    return error.problem_mark or error.context_mark, _plain_yaml_message(error)


def _line_at(mark) -> str | None:
    buffer = getattr(mark, "buffer", None)
    if mark is None or not isinstance(buffer, str):
        return None
    start = buffer.rfind("\n", 0, mark.pointer) + 1
    end = buffer.find("\n", mark.pointer)
    return buffer[start : end if end >= 0 else len(buffer)].rstrip("\0")


def _starting_character(mark):
    """A text starting with “*”, “&”, “!”, “%”, “@” or “`” at ``mark``: (mark, plain message), or None."""
    line = _line_at(mark)
    if line is None:
        return None
    start = _VALUE_START.match(line).end()
    if start != mark.column or start >= len(line) or line[start] not in STARTING_CHARACTERS:
        return None
    return mark, f"a text cannot start with “{line[start]}” unless the whole text is in double quotes"


def _after_quoted_start(mark) -> bool:
    """Whether ``mark`` is on a line whose value starts with a quotation mark, after that value's start."""
    line = _line_at(mark)
    if line is None:
        return False
    start = _VALUE_START.match(line).end()
    if start >= len(line) or line[start] not in "\"'":
        return False
    closing = re.compile(r'(?<!\\)"' if line[start] == '"' else "'").search(line, start + 1)
    return closing is not None and closing.end() <= mark.column  # closed on this line, and text goes on after


def _plain_yaml_message(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's parser messages, said the way a teacher understands them."""
    problem = error.problem or ""
    context = error.context or ""
    if "mapping values are not allowed" in problem:
        if _indented_deeper(error.problem_mark):
            return (
                "this line is indented more than the line before it; check its indentation "
                "(if it goes on with a text holding a “: ”, put the whole text in double quotes)"
            )
        return "a “: ” appears inside a text; put the whole text in double quotes"
    if "could not find expected ':'" in problem:
        return "this line is not “key: value” (is a “:” missing, or is the line indented wrongly?)"
    if "found unexpected end of stream" in problem and "quoted" in context:
        return "a quotation mark is opened but never closed"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        bracket, opens = ("[", "a list") if "]" in problem else ("{", "a group of fields")
        return (
            f"a “{bracket}” opens {opens} that is not closed; close it, "
            f"or put the whole text in double quotes if it starts with “{bracket}”"
        )
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "this line is not lined up with the lines before it; check its indentation"
    if "did not find expected '-' indicator" in problem:
        return "this list item is not lined up with the items before it; check its indentation"
    if "but found another document" in problem:
        return "the file holds more than one document (“---”); keep one lesson per file"
    if "cannot start any token" in problem:
        return "this character cannot start a text; put the whole text in double quotes"
    if "found undefined alias" in problem or "found duplicate anchor" in problem:
        return "aliases (*name) are not allowed in lesson sources; write the text out"
    return f"this is not valid YAML: {problem or context}"


def _indented_deeper(mark) -> bool:
    """Whether the line of ``mark`` is indented more than the line before it that holds a key and its text
    (``heading: Introduction`` then ``      icon: globe``): an indentation mistake, not a “: ” inside a text."""
    if mark is None or not isinstance(getattr(mark, "buffer", None), str):
        return False
    lines = mark.buffer.split("\n")
    before = [line for line in lines[: mark.line] if line.strip() and not line.lstrip().startswith("#")]
    if not before or mark.line >= len(lines):
        return False

    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    return indent(lines[mark.line]) > indent(before[-1]) and not before[-1].rstrip().endswith(":")


class _DataBuilder:
    """Turns the composed node tree into plain data, recording marks and key problems."""

    def __init__(self, path: Path, lines: list[str]):
        self.path = path
        self.lines = lines
        self.marks = Marks()
        self.problems: list[Problem] = []

    def build(self, node: Node, loc: Loc = ()) -> object:
        self.marks.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            plain = node.style is None
            if plain and node.value:
                self._comment_after(node, loc)
            return None if plain and node.value in NULL_WORDS else node.value
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        return self._mapping(node, loc)

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, object]:
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, ScalarNode) or not key_node.value:
                self._problem(where, loc, "a field name must be a simple word, like “title”")
                continue
            key = key_node.value
            if key in result:
                first_line = self.marks.keys[(*loc, key)][0]
                self._problem(where, (*loc, key), f"“{key}” is written twice (first on line {first_line}); keep one")
                continue
            self.marks.keys[(*loc, key)] = where
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _comment_after(self, node: ScalarNode, loc: Loc) -> None:
        """Comments are not tokens: what follows an unquoted text on its last line tells whether one was cut off."""
        end = node.end_mark
        if end.line < len(self.lines):
            rest = self.lines[end.line][end.column :]
            if comment := re.match(r"[ \t]+#", rest):
                self.marks.comments[loc] = (end.line + 1, end.column + comment.end())

    def _problem(self, where: tuple[int, int], loc: Loc, message: str) -> None:
        self.problems.append(Problem(self.path, *where, field_path(loc), message))
