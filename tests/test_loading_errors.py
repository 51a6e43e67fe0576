"""Broken sources give one clear ``path:line:col: field: message`` each, never a traceback."""

from __future__ import annotations

import shutil
import tracemalloc

import pytest

from lessonkit.cli import main
from lessonkit.errors import SourceError
from lessonkit.loader import Sources, check_all, check_text, load_lesson

from .conftest import SAMPLE_LESSON


def problems_of(project):
    sources = Sources(project.root / "sources")
    return check_all(sources, sources.lessons())


def line_edit(number, new):
    return lambda project: project.replace_line(number, new)


def whole_file(text):
    return lambda project: project.write(text)


def insert_after(number, new):
    lines = SAMPLE_LESSON.splitlines(keepends=True)
    lines.insert(number, new + "\n")
    return whole_file("".join(lines))


def without_line(number):
    lines = SAMPLE_LESSON.splitlines(keepends=True)
    del lines[number - 1]
    return whole_file("".join(lines))


BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

# (case, how to break the sample, expected line, expected field, words the message must contain)
BROKEN = [
    ("unclosed quote", line_edit(3, 'title: "Une leçon'), 3, "", "never closed"),
    ("tab indentation", line_edit(11, "\theading: Introduction"), 11, "", "tab"),
    ("unclosed list", line_edit(3, "title: [Une leçon, revue"), 4, "", "if it starts with “[”"),
    ("empty file", whole_file(""), 1, "", "empty"),
    ("only comments", whole_file("# nothing yet\n"), 1, "", "empty"),
    ("not utf-8", whole_file("id: sample\ntitle: \xe9t\xe9\n".encode("latin-1")), 2, "", "UTF-8"),
    ("utf-16", whole_file("id: sample\n".encode("utf-16")), 1, "", "UTF-16"),
    ("colon inside text", line_edit(3, "title: Le travail: une notion"), 3, "", "quotes"),
    ("bad indentation", line_edit(12, "      icon: globe"), 12, "", "check its indentation"),
    ("duplicate key", insert_after(3, "title: Autre titre"), 4, "title", "twice (first on line 3)"),
    ("nested duplicate key", insert_after(35, "      lines: 5"), 36, "activity.questions.1.lines", "twice"),
    ("anchors", whole_file(BILLION_LAUGHS), 1, "", "cannot start with “&”"),
    ("alias", insert_after(5, "other: *x"), 6, "", "cannot start with “*”"),
    ("python tag", line_edit(3, "title: !!python/object/apply:os.system [ls]"), 3, "", "cannot start with “!”"),
    ("typo in a key", line_edit(31, "  quesions:"), 31, "activity.quesions", "did you mean “questions”"),
    ("unknown key", insert_after(6, "colour: blue"), 7, "colour", "unknown field"),
    ("missing field", without_line(3), 1, "title", "required field “title” is missing"),
    ("missing nested field", without_line(34), 32, "activity.questions.1.answer", "is missing"),
    ("not a number", line_edit(6, "duration: quarante-cinq"), 6, "duration", "not a whole number"),
    ("octal-looking number", line_edit(35, "      lines: 0755"), 35, "activity.questions.1.lines", "0755"),
    ("number out of range", line_edit(35, "      lines: 400"), 35, "activity.questions.1.lines", "at most 40"),
    ("list instead of text", line_edit(33, "      prompt: [a, b]"), 33, "activity.questions.1.prompt", "expected text"),
    ("text instead of list", line_edit(13, "    body: Un texte"), 13, "sections.1.body", "expected a list"),
    ("empty text", line_edit(11, '    heading: ""'), 11, "sections.1.heading", "empty"),
    ("empty value", line_edit(11, "    heading:"), 11, "sections.1.heading", "empty"),
    ("duplicate question id", line_edit(36, "    - id: first"), 36, "activity.questions.2.id", "unique"),
    ("id not a slug", line_edit(1, "id: Sample Lesson"), 1, "id", "not a valid id"),
    ("unknown language", line_edit(2, "language: xx"), 2, "language", "not a language code"),
    ("language not a code", line_edit(2, "language: français"), 2, "language", "language code"),
    ("unknown icon", line_edit(12, "    icon: star"), 12, "sections.1.icon", "choose one of"),
    ("unknown mode", line_edit(28, "  mode: offline"), 28, "activity.mode", "choose one of"),
    (
        "missing image",
        line_edit(24, "        image: assets/missing.svg"),
        24,
        "sections.1.figures.1.image",
        "looked for sources/lessons/sample/assets/missing.svg",
    ),
    (
        "image outside the folder",
        line_edit(24, "        image: ../../../../etc/passwd"),
        24,
        "sections.1.figures.1.image",
        "inside",
    ),
    ("unknown footnote", line_edit(14, "      - Un paragraphe.[^nope]"), 14, "sections.1.body.1", "[^nope]"),
    ("unused footnote", line_edit(14, "      - Un paragraphe."), 16, "sections.1.footnotes.1.id", "never referred"),
    ("slide point too long", line_edit(19, "      - " + "mot " * 13), 19, "sections.1.slide_points.1", "12 words"),
    (
        "key point too long",
        insert_after(35, "      key_points: [" + "mot " * 13 + "]"),
        36,
        "activity.questions.1.key_points.1",
        "12 words",
    ),
    (
        "too many key points",
        insert_after(35, "      key_points: [un, deux, trois, quatre, cinq]"),
        36,
        "activity.questions.1.key_points",
        "at most 4",
    ),
    (
        "teacher notes with a wrong duration",
        insert_after(35, "      teacher_notes: {duration: cinq}"),
        36,
        "activity.questions.1.teacher_notes.duration",
        "not a whole number",
    ),
    (
        "seven slide points",
        insert_after(19, "".join(f"      - Un point {n}\n" for n in range(6)).rstrip("\n")),
        19,
        "sections.1.slide_points",
        "has 7 items, but at most 6",
    ),
    (
        "missing reading",
        line_edit(40, "readings: [nowhere]"),
        40,
        "readings.1",
        "looked for sources/readings/nowhere/fr.yaml",
    ),
    ("id differs from folder", line_edit(1, "id: other"), 1, "id", "folder"),
    ("language differs from file", line_edit(2, "language: de"), 2, "language", "de.yaml"),
    ("two documents", whole_file(SAMPLE_LESSON + "---\nid: again\n"), 41, "", "more than one document"),
    ("list at the top", whole_file("- id: sample\n"), 1, "", "set of fields"),
    ("control character", whole_file("id: sample\ntitle: a\x00b\n"), 2, "", "control character"),
]


IN_QUOTES = "put the whole text in double quotes"
CUT_COMMENT = "everything after “ #” is left out as a comment: put the whole text in double quotes, or remove the #"
ANSWER = "activity.questions.1.answer"

# YAML traps a teacher falls into: (case, how to break the sample, line, column, field, words of the message)
TRAPS = [
    ("comment cuts a text", line_edit(34, "      answer: see page 12 #photosynthesis"), 34, 27, ANSWER, CUT_COMMENT),
    ("comment cuts a title", line_edit(3, "title: Une leçon # brouillon"), 3, 18, "title", CUT_COMMENT),
    (
        "comment cuts a list item",
        line_edit(14, "      - Un paragraphe.[^note] # à revoir"),
        14,
        31,
        "sections.1.body.1",
        CUT_COMMENT,
    ),
    *[
        (
            f"text starting with {c}",
            line_edit(34, f"      answer: {c}Plants{c} release it."),
            34,
            15,
            "",
            f"a text cannot start with “{c}” unless the whole text is in double quotes",
        )
        for c in "*&!%@`"
    ],
    (
        "quoted start goes on",
        line_edit(34, '      answer: "Plants" release it'),
        34,
        24,
        "",
        "the text starts with quotation marks and goes on after them: " + IN_QUOTES + ' (and write inner quotes as \\"',
    ),
    (
        "single-quoted start goes on",
        line_edit(34, "      answer: 'Plants' release it"),
        34,
        24,
        "",
        "the text starts with quotation marks and goes on after them",
    ),
    ("missing colon", line_edit(3, "title Une leçon"), 3, 1, "", "is a “:” missing"),
    ("missing colon in a question", line_edit(33, "      prompt Pourquoi ?"), 33, 7, "", "is a “:” missing"),
    ("colon inside an answer", line_edit(34, "      answer: Réponse: oui"), 34, 22, "", IN_QUOTES),
    (
        "image name differs in case",
        line_edit(24, "        image: assets/Picture.svg"),
        24,
        16,
        "sections.1.figures.1.image",
        "did you mean assets/picture.svg?",
    ),
    (
        "image name misspelt",
        line_edit(24, "        image: assets/pictur.svg"),
        24,
        16,
        "sections.1.figures.1.image",
        "did you mean assets/picture.svg?",
    ),
]


@pytest.mark.parametrize(("case", "breakage", "line", "column", "field", "words"), TRAPS, ids=[c[0] for c in TRAPS])
def test_yaml_traps_get_plain_words_on_the_right_line(project, monkeypatch, case, breakage, line, column, field, words):
    monkeypatch.chdir(project.root)
    breakage(project)
    problems = problems_of(project)
    found = [p for p in problems if (p.line, p.column, p.field) == (line, column, field)]
    assert found, f"{case}: expected {line}:{column}, field {field!r}; got " + "; ".join(map(str, problems))
    assert words in found[0].message, str(found[0])
    assert str(found[0]).startswith(f"sources/lessons/sample/fr.yaml:{line}:{column}: ")
    assert "block" not in found[0].message and "YAML" not in found[0].message


@pytest.mark.parametrize(
    "line",
    [
        "      answer: Parce que.   # the full-line and key comments stay allowed",
        '      answer: "see page 12 #photosynthesis"',
        "      answer: see page 12#photosynthesis",
        "      lines: 4  # a comment after data no language writes",
    ],
)
def test_comments_that_lose_no_text_are_fine(project, line):
    lines = SAMPLE_LESSON.replace("  questions:\n", "  questions:  # the questions\n").splitlines(keepends=True)
    lines[33 if "answer" in line else 34] = line + "\n"
    project.write("# a full-line comment\n" + "".join(lines))
    if "Parce que." in line:
        assert [p.message for p in problems_of(project)] == [CUT_COMMENT]
    else:
        assert problems_of(project) == []


def test_a_block_text_keeps_its_hash(project):
    project.write(SAMPLE_LESSON.replace("answer: Parce que.", "answer: >-\n        see page 12 #photosynthesis"))
    assert load_lesson(project.lesson_path).questions()[0].answer == "see page 12 #photosynthesis"


def test_a_yml_file_is_refused_with_a_message_not_ignored(project, monkeypatch):
    monkeypatch.chdir(project.root)
    project.lesson_path.rename(project.lesson_path.with_suffix(".yml"))
    problems = problems_of(project)
    assert [str(p) for p in problems] == [
        "sources/lessons/sample/fr.yml:1:1: lessonkit reads only files ending in .yaml: rename fr.yml to fr.yaml"
    ]


@pytest.mark.parametrize(("case", "breakage", "line", "field", "words"), BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_input_is_reported_with_line_and_field(project, monkeypatch, case, breakage, line, field, words):
    monkeypatch.chdir(project.root)
    breakage(project)
    problems = problems_of(project)
    assert problems, f"{case}: no problem reported"
    found = [p for p in problems if (p.line, p.field) == (line, field)]
    assert found, f"{case}: expected line {line}, field {field!r}; got " + "; ".join(map(str, problems))
    assert words in found[0].message, str(found[0])
    assert str(found[0]).startswith(f"sources/lessons/sample/fr.yaml:{line}:")


def test_the_sample_itself_is_valid(project):
    assert problems_of(project) == []


def test_punctuation_is_not_a_word_of_a_slide_point(project):
    """“mot ?” is one word: French puts a space before “?”, “:” and “»”."""
    project.replace_line(19, "      - " + "mot " * 11 + "« mot » ?")
    assert problems_of(project) == []


def test_every_problem_of_a_file_is_listed(project):
    lines = SAMPLE_LESSON.replace("duration: 45\ncredits", "duration: x\ncredits").replace("icon: globe", "icon: st")
    project.write(lines.replace("  quesions", "  questions").replace("lines: 3", "lines: three"))
    fields = [p.field for p in problems_of(project)]
    assert fields == ["duration", "sections.1.icon", "activity.questions.2.lines"]


def test_a_typo_is_reported_once_not_also_as_a_missing_field(project):
    project.replace_line(31, "  quesions:")
    assert [p.field for p in problems_of(project)] == ["activity.quesions"]


def test_yaml_1_1_coercions_keep_the_teachers_text(project):
    text = SAMPLE_LESSON.replace("answer: Parce que.", "answer: no").replace(
        "subject: Éducation numérique", "subject: 12:30"
    )
    project.write(text.replace("title: Une leçon", "title: 0755"))
    lesson = load_lesson(project.lesson_path)
    assert (lesson.title, lesson.subject, lesson.questions()[0].answer) == ("0755", "12:30", "no")


def test_raw_html_stays_text(project):
    from lessonkit.markup import Text, parse_inline

    assert parse_inline("<b>gras</b> et *fin*")[0] == Text("<b>gras</b> et ")


def test_billion_laughs_fails_at_the_first_anchor_without_expanding(project):
    project.write(BILLION_LAUGHS * 50)
    tracemalloc.start()
    with pytest.raises(SourceError) as error:
        load_lesson(project.lesson_path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert error.value.problems[0].line == 1
    assert peak < 5 * 1024 * 1024


def test_a_file_over_the_size_limit_is_refused(project):
    project.write(SAMPLE_LESSON + "# " + "x" * (2 * 1024 * 1024) + "\n")
    assert "2 MB" in problems_of(project)[0].message


@pytest.mark.parametrize(
    ("svg", "words"),
    [
        ("<svg this is not XML", "not a valid SVG"),
        ('<svg xmlns:x="http://www.w3.org/1999/xlink"><image x:href="file:///etc/passwd"/></svg>', "self-contained"),
    ],
)
def test_a_broken_or_reaching_svg_is_refused(project, svg, words):
    (project.lesson_dir / "assets" / "picture.svg").write_text(svg, encoding="utf-8")
    problem = problems_of(project)[0]
    assert (problem.line, problem.field) == (24, "sections.1.figures.1.image")
    assert words in problem.message


def test_a_symlink_out_of_the_lesson_folder_is_refused(project, tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg/>", encoding="utf-8")
    (project.lesson_dir / "assets" / "link.svg").symlink_to(secret)
    project.replace_line(24, "        image: assets/link.svg")
    problem = problems_of(project)[0]
    assert problem.line == 24
    assert "points outside" in problem.message


def test_check_lists_problems_of_every_file_and_exits_2(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    project.replace_line(6, "duration: x")
    reading_dir = project.root / "sources" / "readings" / "r"
    reading_dir.mkdir(parents=True)
    (reading_dir / "fr.yaml").write_text("id: r\nlanguage: fr\ntitel: x\n", encoding="utf-8")
    assert main(["--root", str(project.root), "check"]) == 2
    err = capsys.readouterr().err
    assert "sources/lessons/sample/fr.yaml:6:11: duration:" in err
    assert "sources/readings/r/fr.yaml:3:1: titel: unknown field “titel”; did you mean “title”?" in err
    assert "Traceback" not in err


def test_build_with_bad_sources_writes_nothing(project, capsys):
    project.replace_line(6, "duration: x")
    assert main(["--root", str(project.root)]) == 2
    assert "Nothing was built" in capsys.readouterr().err
    assert not (project.root / "outputs").exists()


def test_unknown_lesson_name_is_an_error(project, capsys):
    assert main(["--root", str(project.root), "check", "nope"]) == 2
    assert "no lesson “nope”" in capsys.readouterr().err


def replaced(old, new):
    assert old in SAMPLE_LESSON, old
    return whole_file(SAMPLE_LESSON.replace(old, new, 1))


CHART = (
    "        chart:\n          categories: [a, b]\n          values: [1, {}]\n          unit: '%'\n"
    "          series: s\n"
)
FIELDS_OF_A_SECTION = "id, heading, icon, body, subsections, figures, boxes, footnotes, slide_points, teacher_notes"
FIELDS_OF_A_QUESTION = "id, prompt, answer, lines, points, key_points, slide_prompt, teacher_notes"
FIELDS_OF_A_LESSON = (
    "id, language, translated_from, title, level, subject, duration, credits, sections, activity, resources, "
    "glossary, closing, readings"
)

# Every kind of mistake the model finds, in the exact words a teacher reads: (case, breakage, line, column, field,
# message). test_broken_input_is_reported_with_line_and_field checks a few words of each; these pin the sentence.
EXACT = [
    (
        "a list for a text",
        replaced("title: Une leçon", "title: [a, b]"),
        3,
        8,
        "title",
        "expected text here, found a list",
    ),
    (
        "a group for a text",
        replaced("title: Une leçon", "title: {a: b}"),
        3,
        8,
        "title",
        "expected text here, found a group of fields",
    ),
    (
        "a text for a list",
        replaced("readings: []", "readings: nowhere"),
        40,
        11,
        "readings",
        "expected a list (lines starting with “- ”), found “nowhere”",
    ),
    (
        "a text for a group",
        replaced("credits:\n  licence: CC BY-SA 4.0", "credits: CC"),
        7,
        10,
        "credits",
        "expected a group of fields (“key: value” lines), found “CC”",
    ),
    (
        "an empty text",
        replaced("heading: Introduction", 'heading: ""'),
        11,
        14,
        "sections.1.heading",
        "this text is empty; write the text or remove the line",
    ),
    (
        "an empty value",
        replaced("heading: Introduction", "heading:"),
        11,
        13,
        "sections.1.heading",
        "this field is empty; write a value or remove the line",
    ),
    (
        "a title too long",
        replaced("title: Une leçon", "title: " + "x" * 201),
        3,
        8,
        "title",
        "this text has 201 characters; at most 200 are allowed here "
        "(it becomes a property of the PDF and the deck, which limit its length)",
    ),
    (
        "a list for a whole number",
        replaced("duration: 45\ncredits", "duration: [4]\ncredits"),
        6,
        11,
        "duration",
        "expected a whole number, found a list",
    ),
    (
        "a list for a number",
        replaced("lines: 4", "lines: 4\n      points: [1]"),
        36,
        15,
        "activity.questions.1.points",
        "expected a number, found a list",
    ),
    (
        "no points",
        replaced("lines: 4", "lines: 4\n      points: 0"),
        36,
        15,
        "activity.questions.1.points",
        "0 is too small; it must be more than 0",
    ),
    (
        "too many points",
        replaced("lines: 4", "lines: 4\n      points: 5000"),
        36,
        15,
        "activity.questions.1.points",
        "5000 is too large; it must be at most 1,000",
    ),
    (
        "no minutes",
        replaced("duration: 45\ncredits", "duration: 0\ncredits"),
        6,
        11,
        "duration",
        "0 is too small; it must be at least 1",
    ),
    (
        "too many minutes",
        replaced("duration: 45\ncredits", "duration: 60000\ncredits"),
        6,
        11,
        "duration",
        "60000 is too large; it must be at most 6,000",
    ),
    (
        "a chart value over 10¹²",
        replaced("        image: assets/picture.svg", CHART.format("20000000000000") + "          source: s"),
        26,
        23,
        "sections.1.figures.1.chart.values.2",
        "20000000000000 is too large; it must be at most 1,000,000,000,000",
    ),
    (
        "no sections",
        whole_file(
            SAMPLE_LESSON[: SAMPLE_LESSON.index("sections:")]
            + "sections: []\n"
            + SAMPLE_LESSON[SAMPLE_LESSON.index("activity:") :]
        ),
        9,
        11,
        "sections",
        "needs at least 1 item(s), found 0",
    ),
    (
        "an id with spaces",
        replaced("    - id: first", "    - id: First one"),
        32,
        11,
        "activity.questions.1.id",
        "“First one” is not a valid id: use lower-case letters, digits and dashes, like “micro-work”",
    ),
    (
        "a language in words",
        replaced("language: fr", "language: français"),
        2,
        11,
        "language",
        "“français” is not a language code: write it like fr, de, en, or fr-CH, de-CH, en-GB",
    ),
    (
        "a mode not in the list",
        replaced("mode: unplugged", "mode: offline"),
        28,
        9,
        "activity.mode",
        "“offline” is not allowed here; choose one of: 'unplugged', 'plugged' or 'mixed'",
    ),
    (
        "an unknown field far from any",
        replaced("    heading: Introduction", "    heading: Introduction\n    zzzzzz: blue"),
        12,
        5,
        "sections.1.zzzzzz",
        f"unknown field “zzzzzz”; the fields here are: {FIELDS_OF_A_SECTION}",
    ),
    (
        "an unknown field of a question",
        replaced("      lines: 4", "      lines: 4\n      qqqqqq: 2"),
        36,
        7,
        "activity.questions.1.qqqqqq",
        f"unknown field “qqqqqq”; the fields here are: {FIELDS_OF_A_QUESTION}",
    ),
    (
        "an unknown field of the lesson",
        replaced("readings: []", "readings: []\nqqqqq: 1"),
        41,
        1,
        "qqqqq",
        f"unknown field “qqqqq”; the fields here are: {FIELDS_OF_A_LESSON}",
    ),
    (
        "a typo inside a question",
        replaced("      lines: 4", "      lines: 4\n      pionts: 2"),
        36,
        7,
        "activity.questions.1.pionts",
        "unknown field “pionts”; did you mean “points”?",
    ),
    (
        "a typo inside optional notes",
        replaced("      lines: 4", "      lines: 4\n      teacher_notes: {texte: [a]}"),
        36,
        23,
        "activity.questions.1.teacher_notes.texte",
        "unknown field “texte”; did you mean “text”?",
    ),
    (
        "a typo in the credits",
        replaced("  licence: CC BY-SA 4.0", "  licence: CC BY-SA 4.0\n  author: [x]"),
        9,
        3,
        "credits.author",
        "unknown field “author”; did you mean “authors”?",
    ),
    (
        "an id differing from its folder",
        replaced("id: sample", "id: other"),
        1,
        5,
        "id",
        "the id is “other” but the folder is “sample”; they must be the same",
    ),
    (
        "a language differing from its file",
        replaced("language: fr", "language: de"),
        2,
        11,
        "language",
        "the language is “de” but the file is “fr.yaml”; name it de.yaml",
    ),
]


@pytest.mark.parametrize(("case", "breakage", "line", "column", "field", "message"), EXACT, ids=[c[0] for c in EXACT])
def test_each_kind_of_mistake_gets_its_own_plain_sentence(
    project, monkeypatch, case, breakage, line, column, field, message
):
    """The promise: every mistake with file, line, column and field, in plain words (never pydantic's)."""
    monkeypatch.chdir(project.root)
    breakage(project)
    assert [(p.line, p.column, p.field, p.message) for p in problems_of(project)] == [(line, column, field, message)]


def test_a_language_without_labels_is_refused_with_the_languages_it_can_print(project, monkeypatch):
    """Every fixed word comes from a label catalog: a language Babel knows but lessonkit has no words for is a
    mistake; a region of a language it has (fr-BE) is fine."""
    monkeypatch.chdir(project.root)
    project.write(SAMPLE_LESSON.replace("language: fr", "language: pt"))
    project.lesson_path.rename(project.lesson_dir / "pt.yaml")
    message = (
        "lessonkit has no labels (the words “Question”, “Answer”…) in “pt”; "
        "the languages it can print are: de, en, es, fr, it"
    )
    assert [(p.line, p.field, p.message) for p in problems_of(project)] == [(2, "language", message)]
    (project.lesson_dir / "pt.yaml").rename(project.lesson_dir / "fr-BE.yaml")
    project.lesson_path = project.lesson_dir / "fr-BE.yaml"
    project.lesson_path.write_text(SAMPLE_LESSON.replace("language: fr", "language: fr-BE"), encoding="utf-8")
    assert problems_of(project) == []


def test_file_and_folder_names_that_are_not_a_language_or_an_id_are_named(project, monkeypatch):
    """Names become output folders and files: a source is <id>/<language>.yaml, and a long name is shortened
    in the message (to 57 characters and “…”, from 61 on)."""
    monkeypatch.chdir(project.root)
    lessons = project.root / "sources" / "lessons"

    def only_problem() -> str:
        [problem] = problems_of(project)
        assert (problem.line, problem.column, problem.field) == (1, 1, "")
        return problem.message

    project.lesson_path.rename(project.lesson_dir / "french.yaml")
    assert only_problem() == "the file name “french.yaml” must be a language code, like fr.yaml or de-CH.yaml"
    (project.lesson_dir / "french.yaml").rename(project.lesson_dir / ("x" * 56 + ".yml"))
    assert only_problem() == f"lessonkit reads only files ending in .yaml: rename {'x' * 56}.yml to {'x' * 56}.yaml"
    (project.lesson_dir / ("x" * 56 + ".yml")).rename(project.lesson_dir / ("x" * 57 + ".yml"))
    assert only_problem() == f"lessonkit reads only files ending in .yaml: rename {'x' * 57}… to {'x' * 57}.yaml"
    (project.lesson_dir / ("x" * 57 + ".yml")).rename(project.lesson_path)
    rule = "must be an id: lower-case letters, digits and dashes, at most 64 characters, like “micro-work”"
    for folder, shown in (("Sample", "Sample"), ("a" * 65, "a" * 57 + "…")):
        project.lesson_dir.rename(lessons / folder)
        project.lesson_dir = lessons / folder
        assert only_problem() == f"the folder name “{shown}” {rule}"
    project.lesson_dir.rename(lessons / ("a" * 64))
    project.lesson_dir = lessons / ("a" * 64)
    assert [p.message for p in problems_of(project)] == [
        f"the id is “sample” but the folder is “{'a' * 64}”; they must be the same"
    ]


def test_a_lesson_folder_linked_from_outside_sources_is_refused(project, tmp_path, monkeypatch):
    monkeypatch.chdir(project.root)
    elsewhere = tmp_path / "elsewhere"
    project.lesson_dir.rename(elsewhere)
    (project.root / "sources" / "lessons" / "sample").symlink_to(elsewhere, target_is_directory=True)
    [problem] = problems_of(project)
    assert (problem.line, problem.column, problem.field) == (1, 1, "")
    assert (
        problem.message
        == "this file, or its folder, is a link to somewhere outside sources/; copy the files here instead"
    )


IMAGE = "sections.1.figures.1.image"
SUFFIXES = ".bmp, .gif, .jpeg, .jpg, .png, .svg, .tif, .tiff, .webp"


def ico(path):
    from PIL import Image

    Image.new("RGB", (16, 16)).save(path, format="ICO")


def big(path):
    with open(path, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "folder.png",
            lambda path: path.mkdir(),
            "“{image}” is not an ordinary file (a folder, a pipe or a device); it was not read",
        ),
        (
            "notes.txt",
            lambda path: path.write_text("x"),
            "“{image}” is not an image this tool can use (use " + SUFFIXES + ")",
        ),
        ("icon.png", ico, "icon.png is a ICO image; save it as PNG or JPEG (or BMP, GIF, JPEG, PNG, TIFF, WEBP)"),
        ("big.png", big, "the image big.png is 21 MB; the limit is 20 MB (make it smaller)"),
        ("elsewhere/zzz.svg", None, "image not found: looked for sources/lessons/sample/{image}"),
        ("assets/zzz.svg", None, "image not found: looked for sources/lessons/sample/{image}"),
        (
            "/etc/passwd",
            None,
            "the image “{image}” must be a file inside sources/lessons/sample (no “..”, no absolute path)",
        ),
    ],
)
def test_an_image_that_cannot_be_used_is_named_with_the_reason(project, monkeypatch, name, make, message):
    """Only images inside the lesson's folder, ordinary files, of a kind and size the renderers take; an image
    not found suggests a close name only when there is one."""
    monkeypatch.chdir(project.root)
    image = name if "/" in name else f"assets/{name}"
    if make:
        make(project.lesson_dir / image)
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", image))
    problems = problems_of(project)
    assert [(p.line, p.column, p.field, p.message) for p in problems] == [(24, 16, IMAGE, message.format(image=image))]


def test_a_gif_image_is_accepted(project):
    from PIL import Image

    Image.new("RGB", (16, 16)).save(project.lesson_dir / "assets" / "a.gif")
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", "assets/a.gif"))
    assert problems_of(project) == []


def test_an_answer_longer_than_its_lines_is_a_warning_with_file_line_and_field(project, monkeypatch):
    """README: a smaller ``lines`` than the model answer needs is a warning, never an error."""
    monkeypatch.chdir(project.root)
    project.write(SAMPLE_LESSON.replace("answer: Parce que.", "answer: " + "Une réponse longue. " * 30))
    sources = Sources(project.root / "sources")
    warnings = []
    assert check_all(sources, sources.lessons(), warnings) == []
    assert [str(w) for w in warnings] == [
        "sources/lessons/sample/fr.yaml:35:14: activity.questions.1.lines: warning: question “first” gives 4 lines, "
        "but writing its model answer by hand takes about 11: raise “lines”, or leave it out and lessonkit gives "
        "enough room"
    ]
    for lines, expected in (("2", []), ("1", ["gives 1 lines, but writing its model answer by hand takes about 2"])):
        project.write(SAMPLE_LESSON.replace("lines: 4", f"lines: {lines}"))  # “Parce que.” takes two lines
        warnings = []
        assert check_all(sources, sources.lessons(), warnings) == []
        assert [w.message[w.message.index("gives") : w.message.index(":", 10)] for w in warnings] == expected


# --------------------------------------------------------------------------- a lesson with its readings


def reading_project(tmp_path):
    from .projects import promises_project

    root = promises_project(tmp_path)
    return root, Sources(root / "sources"), root / "sources" / "readings" / "text" / "fr.yaml"


def test_a_lesson_is_loaded_with_its_readings_each_with_its_own_folder(tmp_path):
    from lessonkit.loader import load_document

    root, sources, _ = reading_project(tmp_path)
    [source] = sources.lessons()
    document = load_document(sources, source)
    assert (document.lesson.id, [r.id for r in document.readings]) == ("promises", ["text"])
    assert document.folder == root / "sources" / "lessons" / "promises"
    assert document.reading_folders == (root / "sources" / "readings" / "text",)
    assert document.warnings == ()


def test_a_readings_mistakes_and_warnings_come_with_the_lesson(tmp_path, monkeypatch):
    """Nothing is built from a wrong file, a reading included; its warnings are the lesson's, in file order."""
    from lessonkit.loader import load_document

    root, sources, reading = reading_project(tmp_path)
    monkeypatch.chdir(root)
    [source] = sources.lessons()
    long = "Une réponse longue. " * 30
    lesson = source.path.read_text(encoding="utf-8")
    source.path.write_text(lesson.replace("answer: Une réponse.", f"answer: {long}"), encoding="utf-8")
    reading.write_text(reading.read_text(encoding="utf-8").replace("Une troisième réponse.", long), encoding="utf-8")
    document = load_document(sources, source)
    assert [(str(w.path.relative_to(root)), w.line) for w in document.warnings] == [
        ("sources/lessons/promises/fr.yaml", 60),
        ("sources/readings/text/fr.yaml", 24),
    ]
    reading.write_text(reading.read_text(encoding="utf-8").replace("year: 2016", "year: x"), encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_document(sources, source)
    assert [str(p) for p in error.value.problems] == [
        "sources/readings/text/fr.yaml:6:7: year: “x” is not a whole number (write it with digits only, like 45)"
    ]


def test_check_reads_a_shared_reading_once_and_gives_warnings_only_when_asked(tmp_path, monkeypatch):
    root, sources, reading = reading_project(tmp_path)
    monkeypatch.chdir(root)
    lesson = root / "sources" / "lessons" / "promises"
    other = root / "sources" / "lessons" / "other"
    shutil.copytree(lesson, other)
    (other / "fr.yaml").write_text((lesson / "fr.yaml").read_text().replace("id: promises", "id: other"))
    text = reading.read_text(encoding="utf-8")
    reading.write_text(text.replace("year: 2016", "year: x").replace("lines: 2", "lines: 1"), encoding="utf-8")
    year = "sources/readings/text/fr.yaml:6:7: year: “x” is not a whole number (write it with digits only, like 45)"
    assert [str(p) for p in check_all(sources, sources.lessons())] == [year]
    assert [str(p) for p in check_all(sources, sources.lessons() + sources.readings())] == [year]
    reading.write_text(text.replace("Une troisième réponse.", "Une réponse longue. " * 30), encoding="utf-8")
    warnings = []
    assert check_all(sources, sources.lessons(), warnings) == []
    assert [(str(w.path.relative_to(root)), w.line) for w in warnings] == [("sources/readings/text/fr.yaml", 24)]


def test_a_file_that_cannot_be_opened_is_a_problem_not_a_crash(project, monkeypatch):
    from lessonkit import loader

    def unreadable(*_arguments, **_options):  # read_source(path) or read_source(path, raw)
        raise PermissionError(13, "Permission denied")

    monkeypatch.chdir(project.root)
    monkeypatch.setattr(loader, "read_source", unreadable)
    assert [str(p) for p in problems_of(project)] == [
        "sources/lessons/sample/fr.yaml:1:1: a file cannot be read (Permission denied)"
    ]


# --------------------------------------------------------------------------- a translation and its original

TRANSLATION = SAMPLE_LESSON.replace("language: fr", "language: de\ntranslated_from: fr")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"de.yaml": TRANSLATION.replace("translated_from: fr", "translated_from: it")},
            "sources/lessons/sample/de.yaml:3:18: translated_from: the original is not there: "
            "looked for sources/lessons/sample/it.yaml",
        ),
        (
            {
                "de.yaml": TRANSLATION.replace("translated_from: fr", "translated_from: it"),
                "it.yaml": TRANSLATION.replace("language: de", "language: it"),
            },
            "sources/lessons/sample/de.yaml:3:18: translated_from: sources/lessons/sample/it.yaml is itself a "
            "translation; name the original language",
        ),
        (
            {"de.yaml": TRANSLATION, "de.translated.json": '{"fields": null}'},
            "sources/lessons/sample/de.translated.json:1:1: de.translated.json is damaged (its “fields” are not a "
            "list of fingerprints); delete de.translated.json and run `lessonkit translated` again",
        ),
    ],
    ids=["original missing", "original itself a translation", "damaged record"],
)
def test_a_translation_whose_original_or_record_is_wrong_is_reported_on_its_line(project, monkeypatch, files, expected):
    monkeypatch.chdir(project.root)
    for name, text in files.items():
        (project.lesson_dir / name).write_text(text, encoding="utf-8")
    assert [str(p) for p in problems_of(project)] == [expected]


def test_a_mistake_of_the_original_is_reported_in_the_original_only(project, monkeypatch):
    monkeypatch.chdir(project.root)
    (project.lesson_dir / "de.yaml").write_text(TRANSLATION, encoding="utf-8")
    assert problems_of(project) == []
    project.replace_line(6, "duration: x")
    assert [str(p) for p in problems_of(project)] == [
        "sources/lessons/sample/fr.yaml:6:11: duration: “x” is not a whole number (write it with digits only, like 45)"
    ]


def test_the_state_of_a_translation_s_texts_needs_its_original(project, monkeypatch):
    from lessonkit.loader import translation_states

    monkeypatch.chdir(project.root)
    translation = project.lesson_dir / "de.yaml"
    translation.write_text(TRANSLATION, encoding="utf-8")
    assert translation_states(project.lesson_path) is None  # an original has no state
    original, states = translation_states(translation)
    assert original == project.lesson_path
    assert (states[0].path, states[0].state, states[0].line, states[0].column) == ("title", "unrecorded", 4, 8)
    for wrong in ("it", "../fr"):
        translation.write_text(
            TRANSLATION.replace("translated_from: fr", f"translated_from: {wrong}"), encoding="utf-8"
        )
        with pytest.raises(SourceError) as error:
            translation_states(translation)
        assert [str(p) for p in error.value.problems] == [
            "sources/lessons/sample/de.yaml:3:18: translated_from: no original"
        ]


def test_a_name_differing_only_in_case_is_suggested_even_far_from_it(project, monkeypatch):
    """“PICTURE.SVG” shares few letters with “picture.svg” as typed, yet it is the file meant."""
    monkeypatch.chdir(project.root)
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", "assets/PICTURE.SVG"))
    [problem] = problems_of(project)
    assert problem.message == (
        "image not found: looked for sources/lessons/sample/assets/PICTURE.SVG; did you mean assets/picture.svg?"
    )


@pytest.mark.parametrize(("size", "refused"), [((8000, 5000), False), ((8000, 5001), True)])
def test_an_image_of_40_megapixels_is_the_largest_accepted(project, monkeypatch, size, refused):
    from PIL import Image

    monkeypatch.chdir(project.root)
    Image.new("1", size).save(project.lesson_dir / "assets" / "large.png")  # a small file all the same
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", "assets/large.png"))
    message = "the image large.png has 40 megapixels; the limit is 40 (make it smaller)"
    assert [p.message for p in problems_of(project)] == ([message] if refused else [])


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2016-13-45", "“2016-13-45” is not a date; write it as YYYY-MM-DD, e.g. 2016-09-09"),
        ("hier", "“hier” is not a date; write it as YYYY-MM-DD, e.g. 2016-09-09"),
        ("20160909", "“20160909” is not a date; write it as YYYY-MM-DD, e.g. 2016-09-09"),
        ("2016-09-09T10:00", "“2016-09-09T10:00” is not a date; write it as YYYY-MM-DD, e.g. 2016-09-09"),
        ("[2016]", "expected a date written as YYYY-MM-DD"),
    ],
)
def test_a_date_that_is_not_a_day_is_refused_in_plain_words(tmp_path, monkeypatch, date, message):
    """pydantic's “Datetimes provided to dates should have zero time” never reaches a teacher."""
    root, sources, reading = reading_project(tmp_path)
    monkeypatch.chdir(root)
    reading.write_text(reading.read_text(encoding="utf-8").replace("date: 2016-09-09", f"date: {date}"))
    assert [str(p) for p in check_all(sources, sources.readings())] == [
        f"sources/readings/text/fr.yaml:10:9: first_presented.date: {message}"
    ]


def test_a_year_out_of_range_gives_the_limit_as_people_write_it(tmp_path, monkeypatch):
    root, sources, reading = reading_project(tmp_path)
    monkeypatch.chdir(root)
    reading.write_text(reading.read_text(encoding="utf-8").replace("year: 2016", "year: 12"))
    assert [str(p) for p in check_all(sources, sources.readings())] == [
        "sources/readings/text/fr.yaml:6:7: year: 12 is too small; it must be at least 1,000"
    ]


def test_a_typo_of_a_required_field_deep_in_a_question_is_reported_once(project):
    """“promt” is the typo of “prompt”: said once, as the typo, not again as “prompt” missing."""
    project.replace_line(33, "      promt: Pourquoi ?")
    assert [(p.line, p.field, p.message) for p in problems_of(project)] == [
        (33, "activity.questions.1.promt", "unknown field “promt”; did you mean “prompt”?")
    ]


def test_a_lesson_with_mistakes_loads_into_nothing_but_its_problems(project, monkeypatch):
    from lessonkit.loader import load_document

    monkeypatch.chdir(project.root)
    project.replace_line(6, "duration: x")
    sources = Sources(project.root / "sources")
    with pytest.raises(SourceError) as error:
        load_document(sources, sources.lessons()[0])
    assert [str(p) for p in error.value.problems] == [
        "sources/lessons/sample/fr.yaml:6:11: duration: “x” is not a whole number (write it with digits only, like 45)"
    ]


def test_a_number_too_long_to_be_a_number_is_refused_in_plain_words(project):
    """Four hundred nines are infinity to a computer: said as too large, in the chart's own words."""
    nines = "9" * 400
    project.write(
        SAMPLE_LESSON.replace("        image: assets/picture.svg", CHART.format(nines) + "          source: s")
    )
    assert [(p.line, p.field, p.message) for p in problems_of(project)] == [
        (
            26,
            "sections.1.figures.1.chart.values.2",
            f"“{nines}” is too large to be a number; write a value between −10¹² and 10¹²",
        )
    ]


def test_too_few_items_says_how_many_were_found(project):
    """A chart needs two categories and two values: one of each is “at least 2, found 1”."""
    chart = CHART.replace("categories: [a, b]", "categories: [a]").replace("values: [1, {}]", "values: [1]")
    project.write(SAMPLE_LESSON.replace("        image: assets/picture.svg", chart + "          source: s"))
    assert [(p.line, p.field, p.message) for p in problems_of(project)] == [
        (25, "sections.1.figures.1.chart.categories", "needs at least 2 item(s), found 1"),
        (26, "sections.1.figures.1.chart.values", "needs at least 2 item(s), found 1"),
    ]


def test_a_missing_reading_is_one_problem_on_the_lesson_s_line(project, monkeypatch):
    monkeypatch.chdir(project.root)
    project.replace_line(40, "readings: [nowhere]")
    assert [str(p) for p in problems_of(project)] == [
        "sources/lessons/sample/fr.yaml:40:12: readings.1: reading “nowhere” not found: "
        "looked for sources/readings/nowhere/fr.yaml"
    ]


def test_an_image_of_exactly_20_mb_is_not_refused_for_its_size(project):
    with open(project.lesson_dir / "assets" / "full.png", "wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # not a picture either: that is what is said
    project.write(SAMPLE_LESSON.replace("assets/picture.svg", "assets/full.png"))
    assert [p.message for p in problems_of(project)] == ["full.png cannot be read as an image (is the file damaged?)"]


# --------------------------------------------------------------------------- texts no output may carry

CONTROL_IN_TITLE = (
    "sources/lessons/sample/fr.yaml:3:8: title: the text contains an invisible control character (U+001B); "
    "remove it (escapes such as “\\0” or “\\x1b” are not allowed)"
)


def test_a_link_that_could_harm_is_refused_on_its_line(project, monkeypatch):
    monkeypatch.chdir(project.root)
    project.replace_line(14, "      - Un [lien](javascript:alert(1)) ici.[^note]")
    assert [str(p) for p in problems_of(project)] == [
        "sources/lessons/sample/fr.yaml:14:9: sections.1.body.1: the link “javascript:alert(1” is not allowed: links "
        "must start with http: or https: or mailto: (a link to a file, a network share or a program could harm "
        "whoever clicks it)"
    ]


@pytest.mark.parametrize("length", [20, 300])
def test_an_invisible_character_is_refused_once_even_in_a_text_wrong_otherwise(project, monkeypatch, length):
    """A title too long that also holds an escape character is told about the character, once."""
    monkeypatch.chdir(project.root)
    project.replace_line(3, 'title: "Une \\x1b ' + "l" * length + '"')
    assert [str(p) for p in problems_of(project)] == [CONTROL_IN_TITLE]


def test_a_translation_s_own_mistakes_come_with_its_differences_from_the_original(project, monkeypatch):
    monkeypatch.chdir(project.root)
    translation = TRANSLATION.replace("answer: Parce que.", "answer: Parce que. # note")
    (project.lesson_dir / "de.yaml").write_text(translation.replace("    - id: second", "    - id: third"))
    assert [str(p) for p in problems_of(project)] == [
        "sources/lessons/sample/de.yaml:35:26: activity.questions.1.answer: " + CUT_COMMENT,
        "sources/lessons/sample/de.yaml:37:7: activity.questions.2: the original has “second” here, the translation "
        "“third”: keep the original's items, in order (sources/lessons/sample/fr.yaml:36)",
    ]


def test_the_editors_unsaved_text_is_checked_as_if_it_were_saved_there(project, monkeypatch):
    """The browser app checks what the teacher typed (loader.check_text): its mistakes at their lines and its
    warnings, found beside the saved file (pictures, readings), and the saved file is neither read nor changed."""
    monkeypatch.chdir(project.root)
    sources = Sources(project.root / "sources")
    [source] = sources.lessons()
    saved = project.lesson_path.read_bytes()
    typo = SAMPLE_LESSON.replace("lines: 3", "linez: 3")
    assert [str(p) for p in check_text(sources, source, typo.encode())] == [
        "sources/lessons/sample/fr.yaml:39:7: activity.questions.2.linez: unknown field “linez”; did you mean “lines”?"
    ]
    warnings = []
    long_answer = SAMPLE_LESSON.replace("answer: Parce que.", "answer: " + "Une réponse longue. " * 30)
    assert check_text(sources, source, long_answer.encode(), warnings) == []
    assert [w.field for w in warnings] == ["activity.questions.1.lines"]
    assert check_text(sources, source, SAMPLE_LESSON.replace("assets/picture.svg", "assets/nope.svg").encode())
    project.write(typo)  # the file has the mistake, the typed text has not: the typed text is checked
    assert check_text(sources, source, saved) == []
    assert project.lesson_path.read_text(encoding="utf-8") == typo


def test_the_editors_unsaved_text_brings_its_readings_mistakes(project, monkeypatch):
    """The unsaved lesson is checked with the readings it names, found in the project's sources."""
    from .test_hostile_images import READING

    monkeypatch.chdir(project.root)
    reading = project.root / "sources" / "readings" / "text"
    reading.mkdir(parents=True)
    (reading / "fr.yaml").write_text(READING, encoding="utf-8")
    sources = Sources(project.root / "sources")
    [source] = sources.lessons()
    typed = SAMPLE_LESSON.replace("readings: []", "readings: [text]").encode()
    assert [(str(p.path.relative_to(project.root)), p.field) for p in check_text(sources, source, typed)] == [
        ("sources/readings/text/fr.yaml", "sections.1.figures.1.image")
    ]
