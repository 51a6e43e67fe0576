"""Safe YAML reading (``lessonkit/yamlsafe.py``), file by file: the README's promises that every mistake is
reported with its line and column in plain words, that the text is kept as typed, and that a shared file
cannot exhaust memory or the stack (aliases, anchors, tags, deep nesting are refused before anything is
expanded). ``test_loading_errors`` checks the same through the command line on a whole lesson; these read
one YAML file at a time and pin the exact place and message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lessonkit.errors import SourceError
from lessonkit.yamlsafe import MAX_DEPTH, MAX_SOURCE_BYTES, Marks, read_source

TAB_MESSAGE = "a tab is used for indentation; YAML needs spaces (set your editor to insert spaces)"
IN_QUOTES = "a “: ” appears inside a text; put the whole text in double quotes"
DEEPER = (
    "this line is indented more than the line before it; check its indentation "
    "(if it goes on with a text holding a “: ”, put the whole text in double quotes)"
)
NOT_LINED_UP = "this line is not lined up with the lines before it; check its indentation"
QUOTED_START = (
    "the text starts with quotation marks and goes on after them: put the whole text in double quotes "
    '(and write inner quotes as \\" or use « »)'
)
CANNOT_START = "this character cannot start a text; put the whole text in double quotes"
UTF_16 = "the file is saved as UTF-16; save it as UTF-8 in your editor"
NOT_UTF_8 = "the file is not UTF-8 text (byte 0xE9 cannot be read); save it as UTF-8 in your editor"
CONTROL = "the file contains an invisible control character (#x{}); remove it"
TOO_DEEP = f"the fields are nested more than {MAX_DEPTH} levels deep; a lesson needs far fewer"
ANCHORS = "anchors (&name) are not allowed in lesson sources; write the text out"
ALIASES = "aliases (*name) are not allowed in lesson sources; write the text out"
TAGS = "YAML tags such as “tag:yaml.org,2002:{}” are not allowed in lesson sources"
STARTS = "a text cannot start with “{}” unless the whole text is in double quotes"
UNCLOSED = (
    "a “{0}” opens {1} that is not closed; close it, or put the whole text in double quotes if it starts with “{0}”"
)
NO_COLON = "this line is not “key: value” (is a “:” missing, or is the line indented wrongly?)"
TWO_DOCUMENTS = "the file holds more than one document (“---”); keep one lesson per file"
NOT_YAML = "this is not valid YAML: {}"


def source(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "fr.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def refused(tmp_path: Path, text: str | bytes) -> list[tuple[int, int, str, str]]:
    """(line, column, field, message) of every problem that stopped reading the file."""
    with pytest.raises(SourceError) as error:
        read_source(source(tmp_path, text))
    return [(p.line, p.column, p.field, p.message) for p in error.value.problems]


def nested(lists: int) -> str:
    return "a: " + "[" * lists + "]" * lists + "\n"


# (case, source, line, column, message): a file that cannot be read as a lesson, with the exact place and words
UNREADABLE = [
    ("empty", "", 1, 1, "the file is empty: a source needs at least an id and a title"),
    ("a list at the top", "- a\n", 1, 1, "the file must be a set of fields (“key: value” lines)"),
    ("a text at the top", "\n\njust text\n", 3, 1, "the file must be a set of fields (“key: value” lines)"),
    ("UTF-16, big-endian", b"\xfe\xff\x00i\x00d", 1, 1, UTF_16),
    (
        "UTF-16, little-endian",
        b"\xff\xfei\x00d\x00",
        1,
        1,
        UTF_16,
    ),
    (
        "Latin-1",
        "id: x\ntitle: \xe9t\xe9\n".encode("latin-1"),
        2,
        8,
        "the file is not UTF-8 text (byte 0xE9 cannot be read); save it as UTF-8 in your editor",
    ),
    # the place of a byte that is not UTF-8 counts the lines before it, and the characters since its line began
    ("Latin-1 after a blank first line", "\nt: \xe9t\xe9\n\n\n".encode("latin-1"), 2, 4, NOT_UTF_8),
    ("Latin-1 on the third line", "a: b\nc: d\nt: \xe9\n".encode("latin-1"), 3, 4, NOT_UTF_8),
    (
        "a NUL character",
        "id: sample\ntitle: a\x00b\n",
        2,
        9,
        CONTROL.format("0000"),
    ),
    (
        "an escape character",
        "id: sample\n\ntitle: ab\x1b\n",
        3,
        10,
        CONTROL.format("001b"),
    ),
    (
        "nested too deep",
        nested(MAX_DEPTH),
        1,
        35,
        TOO_DEEP,
    ),
    # deep after a sibling has been read: the depth counts the levels above, not the nodes read before
    (
        "nested too deep after a sibling",
        "a: " + "[" * 30 + "x, " + "[" * 3 + "]" * 3 + "]" * 30 + "\n",
        1,
        38,
        TOO_DEEP,
    ),
    ("a NUL character after a blank first line", "\nt: a\x00b\n", 2, 5, CONTROL.format("0000")),
    (
        "an anchor inside a list",
        "a: [&x 1]\n",
        1,
        5,
        ANCHORS,
    ),
    (
        "an alias inside a list",
        "a:\n  - [*x]\n",
        2,
        6,
        ALIASES,
    ),
    (
        "a tag inside a list",
        "a: [!!str x]\n",
        1,
        5,
        TAGS.format("str"),
    ),
    (
        "a tag on a group",
        "a: [1, !!map {b: c}]\n",
        1,
        8,
        TAGS.format("map"),
    ),
    (
        "a text starting with *",
        "a:\n  - *Plants* here\n",
        2,
        5,
        STARTS.format("*"),
    ),
    (
        "a text starting with &",
        "a:\n  - &x y\n",
        2,
        5,
        STARTS.format("&"),
    ),
    (
        "a text starting with %",
        "a: %x\n",
        1,
        4,
        STARTS.format("%"),
    ),
    ("a text starting with * after a blank first line", "\nb: *x\n", 2, 4, STARTS.format("*")),
    (
        "an alias as a list item's value",
        "- a: *x\n",
        1,
        6,
        STARTS.format("*"),
    ),
    ("an @ inside a list", "a: [@x]\n", 1, 5, CANNOT_START),
    (
        "an unclosed list",
        "a: [x, y\nb: c\n",
        2,
        2,
        UNCLOSED.format("[", "a list"),
    ),
    (
        "an unclosed group",
        "a: {x: y\nb: c\n",
        2,
        2,
        UNCLOSED.format("{", "a group of fields"),
    ),
    ("a list item out of line", "a:\n  - x\n - y\n", 3, 2, NOT_LINED_UP),
    ("a field out of line", "a:\n  b: 1\n c: 2\n", 3, 2, NOT_LINED_UP),
    # a line out of line that starts with quotation marks closed on it is out of line, not a quoting mistake
    ("a quoted key out of line", 'a: "x"\n "b": c\n', 2, 2, NOT_LINED_UP),
    ("a quoted list item out of line", "a:\n  - x\n 'y'\n", 3, 2, NOT_LINED_UP),
    ("a field indented deeper", "heading: Introduction\n      icon: globe\n", 2, 11, DEEPER),
    (
        "a field indented deeper in a list",
        "sections:\n  - id: x\n    heading: Intro\n      icon: globe\n",
        4,
        11,
        DEEPER,
    ),
    ("a field deeper after a comment", "heading: Introduction\n# a comment\n\n      icon: globe\n", 4, 7, NOT_LINED_UP),
    ("a colon inside a title", "title: Le travail: une notion\n", 1, 18, IN_QUOTES),
    ("a colon on the first line", "a: b: c\n", 1, 5, IN_QUOTES),
    ("a colon after a group", "a:\n  b: c: d\n", 2, 7, IN_QUOTES),
    # a “: ” inside a text, on a line no deeper than the last line holding a key and its text: not an indentation
    # mistake, whatever blank lines, comments (indented less) or trailing spaces come between
    ("a colon at the same indentation", "a:\n  b: c\n  d: e: f\n", 3, 7, IN_QUOTES),
    ("a colon after a comment", "a:\n  b: c\n # a comment\n\n  d: e: f\n", 5, 7, IN_QUOTES),
    ("a colon after a key and spaces", "a:   \n    b: c: d\n", 2, 9, IN_QUOTES),
    ("a quoted start that goes on", 'a: "Plants" release it\n', 1, 13, QUOTED_START),
    ("a single-quoted start that goes on", "a: 'Plants' release it\n", 1, 13, QUOTED_START),
    ("an escaped quote inside", 'a: "Pl\\"ants" release it\n', 1, 15, QUOTED_START),
    ("empty quotes that go on", 'a: "" and more\n', 1, 7, QUOTED_START),
    ("a quoted start with no space after", 'a: "Plants"release\n', 1, 12, QUOTED_START),
    ("an apostrophe in a text, not a quote", "title: Xavier's book: nice\n", 1, 21, IN_QUOTES),
    ("an unclosed quote", 'a: "abc\nb: c\n', 1, 4, "a quotation mark is opened but never closed"),
    # inside quotes, but closed: not “never closed”
    ("an unknown escape in quotes", 'a: "x\\qy"\n', 1, 4, NOT_YAML.format("found unknown escape character 'q'")),
    # the mistake is inside the second quoted text: said where that text starts, not as a text going on
    (
        "an unknown escape in a second quote",
        'a: "x" "y\\qz"\n',
        1,
        8,
        NOT_YAML.format("found unknown escape character 'q'"),
    ),
    ("an unclosed single quote", "a: b\nc: 'abc\n", 2, 4, "a quotation mark is opened but never closed"),
    (
        "a missing colon",
        "a: b\ntitle Une\nc: d\n",
        2,
        1,
        NO_COLON,
    ),
    (
        "two documents",
        "a: b\n---\nc: d\n",
        2,
        1,
        TWO_DOCUMENTS,
    ),
    (
        "a block text with a stray letter",
        "a: |x\n  y\n",
        1,
        5,
        NOT_YAML.format("expected chomping or indentation indicators, but found 'x'"),
    ),
]


@pytest.mark.parametrize(("case", "text", "line", "column", "message"), UNREADABLE, ids=[c[0] for c in UNREADABLE])
def test_an_unreadable_file_gets_one_plain_message_at_its_place(tmp_path, case, text, line, column, message):
    assert refused(tmp_path, text) == [(line, column, "", message)]


def test_nesting_up_to_the_limit_is_read(tmp_path):
    data, _, problems = read_source(source(tmp_path, nested(MAX_DEPTH - 1)))
    depth, value = 0, data["a"]
    while value:
        depth, value = depth + 1, value[0]
    assert (depth, problems) == (MAX_DEPTH - 2, [])


def test_the_non_specific_tag_is_plain_text(tmp_path):
    """“! text” is YAML's way of saying “just text”: nothing is converted, so nothing is refused."""
    data, _, problems = read_source(source(tmp_path, "a: ! [x]\nb: ! y\n"))
    assert (data, problems) == ({"a": ["x"], "b": "y"}, [])


def test_every_tab_of_the_indentation_is_reported_at_its_column(tmp_path):
    """A tab after spaces is found too; a tab inside a text is not indentation."""
    assert refused(tmp_path, "a:\n  \tb: c\n\t\td: e\ne: 'x\ty'\n") == [
        (2, 3, "", TAB_MESSAGE),
        (3, 1, "", TAB_MESSAGE),
    ]


def test_a_missing_file_and_a_pipe_are_reported_not_read(tmp_path):
    for name, message in (
        ("nope.yaml", "the file cannot be read (No such file or directory)"),
        ("pipe.yaml", "this is not an ordinary file (a pipe or a device); it was not read"),
    ):
        if name == "pipe.yaml":
            os.mkfifo(tmp_path / name)
        with pytest.raises(SourceError) as error:
            read_source(tmp_path / name)
        assert [(p.line, p.column, p.field, p.message) for p in error.value.problems] == [(1, 1, "", message)]


def test_the_size_limit_is_2_mb(tmp_path):
    at_limit = "a: b\n" + "#" * (MAX_SOURCE_BYTES - 6) + "\n"
    assert len(at_limit.encode()) == MAX_SOURCE_BYTES
    assert read_source(source(tmp_path, at_limit))[0] == {"a": "b"}
    message = "the file is larger than 2 MB; a lesson source is far smaller"
    assert refused(tmp_path, at_limit + "\n") == [(1, 1, "", message)]


def test_an_unsaved_text_is_read_instead_of_the_file_with_the_same_size_limit(tmp_path):
    """The editor checks what the teacher typed, not what was saved last (``raw``), within the same 2 MB."""
    path = source(tmp_path, "a: saved\n")
    assert read_source(path, b"a: typed\n")[0] == {"a": "typed"}
    at_limit = ("a: b\n" + "#" * (MAX_SOURCE_BYTES - 6) + "\n").encode()
    assert read_source(path, at_limit)[0] == {"a": "b"}
    with pytest.raises(SourceError) as error:
        read_source(path, at_limit + b"\n")
    assert [p.message for p in error.value.problems] == ["the file is larger than 2 MB; a lesson source is far smaller"]


def test_a_byte_order_mark_is_not_part_of_the_first_key(tmp_path):
    data, marks, _ = read_source(source(tmp_path, b"\xef\xbb\xbfid: x\n"))
    assert data == {"id": "x"} and marks.keys[("id",)] == (1, 1)


def test_only_the_null_words_are_empty_and_quoted_ones_are_text(tmp_path):
    text = "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: \"null\"\ng: nULL\nh: ''\ni: no\n"
    data, _, _ = read_source(source(tmp_path, text))
    assert data == {"a": None, "b": None, "c": None, "d": None, "e": None, "f": "null", "g": "nULL", "h": "", "i": "no"}


def test_values_and_keys_are_marked_with_line_and_column(tmp_path):
    data, marks, _ = read_source(source(tmp_path, "id: x\nlist:\n  - one\n  - two: 2\n    three: 3\n"))
    assert data == {"id": "x", "list": ["one", {"two": "2", "three": "3"}]}
    assert marks.values == {
        (): (1, 1),
        ("id",): (1, 5),
        ("list",): (3, 3),
        ("list", 0): (3, 5),
        ("list", 1): (4, 5),
        ("list", 1, "two"): (4, 10),
        ("list", 1, "three"): (5, 12),
    }
    assert marks.keys == {("id",): (1, 1), ("list",): (2, 1), ("list", 1, "two"): (4, 5), ("list", 1, "three"): (5, 5)}


def test_a_field_without_a_mark_takes_its_nearest_enclosing_value(tmp_path):
    marks = Marks()
    assert marks.of_value(("a", 0)) == (1, 1) and marks.of_key(("a",)) == (1, 1)
    marks.values.update({(): (1, 1), ("a",): (3, 4)})
    assert marks.of_value(("a", 0, "b")) == (3, 4) and marks.of_value(("b",)) == (1, 1)
    assert marks.of_key(("a", 0)) == (3, 4)
    marks.keys[("a", 0)] = (5, 6)
    assert marks.of_key(("a", 0)) == (5, 6)


def test_a_repeated_key_is_reported_with_its_first_line_and_reading_goes_on(tmp_path):
    data, _, problems = read_source(source(tmp_path, "a: 1\nb:\n  c: 2\n  c: 3\na: 4\nd: 5\n"))
    assert data == {"a": "1", "b": {"c": "2"}, "d": "5"}
    assert [(p.line, p.column, p.field, p.message) for p in problems] == [
        (4, 3, "b.c", "“c” is written twice (first on line 3); keep one"),
        (5, 1, "a", "“a” is written twice (first on line 1); keep one"),
    ]


@pytest.mark.parametrize(("text", "line", "column"), [("? [a]\n: b\nc: d\n", 1, 3), ('"": x\nc: d\n', 1, 1)])
def test_a_key_that_is_not_a_word_is_reported_and_skipped(tmp_path, text, line, column):
    data, _, problems = read_source(source(tmp_path, text))
    assert data == {"c": "d"}
    assert [(p.line, p.column, p.field, p.message) for p in problems] == [
        (line, column, "", "a field name must be a simple word, like “title”")
    ]


def test_a_comment_after_an_unquoted_text_is_marked_where_it_starts(tmp_path):
    """Only after unquoted text on its last line; a “#” inside a word is text."""
    text = "a: \"x\" # c\nb: x  # c\nc: 'y' #d\nd: e#f\nlist:\n  - x # c\n  - y\nlong: x\n  y # c\n"
    data, marks, _ = read_source(source(tmp_path, text))
    assert data == {"a": "x", "b": "x", "c": "y", "d": "e#f", "list": ["x", "y"], "long": "x y"}
    assert marks.comments == {("b",): (2, 7), ("list", 0): (6, 7), ("long",): (9, 5)}
