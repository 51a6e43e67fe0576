"""The committed JSON Schema matches the model, and editors accept the shipped sources."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from lessonkit.schema import SCHEMAS, schema_text

from .conftest import ROOT, SAMPLE_LESSON, SHIPPED_FILES, SHIPPED_LESSON, SHIPPED_READING, copy_shipped

SHIPPED = sorted(SHIPPED_FILES)


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_committed_schema_is_up_to_date(kind):
    committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(kind), "schema/ is out of date: run `python make_docs.py schema` and commit"


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schema_is_valid_draft_07_with_descriptions(kind):
    schema = json.loads(schema_text(kind))
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "prefixItems" not in json.dumps(schema)
    for name, definition in [*schema["definitions"].items(), ("root", schema)]:
        for field, spec in definition.get("properties", {}).items():
            assert "description" in spec or "$ref" in spec, f"{name}.{field} has no hover text"


def test_there_are_shipped_sources():
    assert all(path.is_file() for path in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_source_points_editors_at_the_schema(path):
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    kind = path.parent.parent.name.removesuffix("s")
    assert first_line == f"# yaml-language-server: $schema=../../../schema/{kind}.schema.json"
    assert (path.parent / "../../../schema" / f"{kind}.schema.json").resolve().is_file()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_editor_view_of_shipped_source_validates(path):
    """What an editor sees (YAML read with its usual types) passes the schema: no false red squiggles."""
    kind = path.parent.parent.name.removesuffix("s")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))  # dates as text, as in JSON
    jsonschema.Draft7Validator(json.loads(schema_text(kind))).validate(data)


def _editor_view(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))  # dates as text, as in JSON


def test_a_translation_scaffold_passes_the_schema_its_first_line_names(tmp_path):
    """The scaffold leaves out ids, durations, URLs…: its schema, named on its first line, has them optional."""
    from lessonkit.cli import main

    copy_shipped(tmp_path)
    assert main(["--root", str(tmp_path), "translate", SHIPPED_LESSON, "--to", "it"]) == 0
    scaffolds = [
        tmp_path / "sources" / "lessons" / SHIPPED_LESSON / "it.yaml",
        tmp_path / "sources" / "readings" / SHIPPED_READING / "it.yaml",
    ]
    for path in scaffolds:
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        kind = path.parent.parent.name.removesuffix("s")
        assert first_line == f"# yaml-language-server: $schema=../../../schema/{kind}-translation.schema.json"
        schema = json.loads((path.parent / "../../../schema" / f"{kind}-translation.schema.json").read_text("utf-8"))
        jsonschema.Draft7Validator(schema).validate(_editor_view(path))
        with pytest.raises(jsonschema.ValidationError):  # an original needs them
            jsonschema.Draft7Validator(json.loads(schema_text(kind))).validate(_editor_view(path))
        without_original = {k: v for k, v in _editor_view(path).items() if k != "translated_from"}
        with pytest.raises(jsonschema.ValidationError):  # a translation names its original
            jsonschema.Draft7Validator(schema).validate(without_original)


def test_the_readme_example_is_a_valid_lesson(tmp_path):
    """The short lesson the README shows teachers must pass `check` as it stands."""
    from lessonkit.loader import Sources, check_all

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "sources" / "lessons" / "my-lesson"
    folder.mkdir(parents=True)
    (folder / "fr.yaml").write_text(example, encoding="utf-8")
    sources = Sources(tmp_path / "sources")
    assert [str(p) for p in check_all(sources, sources.lessons())] == []


# --------------------------------------------------------------------------- the schema and the loader agree

CHART = """\
        chart:
          categories: [avant, après]
          values: [1, 2.5]
          unit: "%"
          series: Une mesure
          source: Une étude"""


def _with_resource(url: str) -> str:
    return SAMPLE_LESSON + f"resources:\n  - title: Un site\n    url: {url}\n"


AGREEMENT = [
    ("the sample", SAMPLE_LESSON, True),
    ("an https address", _with_resource("https://example.org/page?q=1"), True),
    ("an http address in capitals", _with_resource("HTTP://EXAMPLE.ORG"), True),
    ("an address without its scheme", _with_resource("www.example.org"), False),
    ("an ftp address", _with_resource("ftp://example.org/file"), False),
    ("a file address", _with_resource("file:///etc/passwd"), False),
    ("an address with a space", _with_resource('"https://example.org/a page"'), False),
    ("an address without a host", _with_resource("https:///page"), False),
    ("a chart instead of an image", SAMPLE_LESSON.replace("        image: assets/picture.svg", CHART), True),
    ("a figure with neither", SAMPLE_LESSON.replace("        image: assets/picture.svg\n", ""), False),
    (
        "a figure with both",
        SAMPLE_LESSON.replace("        image: assets/picture.svg", "        image: a.svg\n" + CHART),
        False,
    ),
    ("a title too long", SAMPLE_LESSON.replace("title: Une leçon", "title: " + "x" * 201), False),
    ("seven slide points", SAMPLE_LESSON.replace("      - Un point\n", "      - Un point\n" * 7), False),
    (
        "an empty list of paragraphs",
        SAMPLE_LESSON.replace("  instructions:\n    - Lire le texte.\n", "  instructions: []\n"),
        False,
    ),
    ("too many ruled lines", SAMPLE_LESSON.replace("lines: 4", "lines: 41"), False),
    (
        "no sections",
        SAMPLE_LESSON.split("sections:")[0]
        + "sections: []\n"
        + SAMPLE_LESSON.split("activity:")[1].join(["activity:", ""]),
        False,
    ),
    ("an unknown field", SAMPLE_LESSON.replace("duration: 45\ncredits", "duration: 45\ncolour: blue\ncredits"), False),
    ("a bad id", SAMPLE_LESSON.replace("  - id: intro", "  - id: Intro Part"), False),
]


@pytest.mark.parametrize(("case", "text", "valid"), AGREEMENT, ids=[c[0] for c in AGREEMENT])
def test_the_schema_refuses_what_the_loader_refuses(project, case, text, valid):
    from lessonkit.loader import Sources, check_all

    project.write(text)
    sources = Sources(project.root / "sources")
    loader_problems = check_all(sources, sources.lessons())
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    schema_errors = list(jsonschema.Draft7Validator(json.loads(schema_text("lesson"))).iter_errors(data))
    assert (loader_problems == []) == valid, [str(p) for p in loader_problems]
    assert (schema_errors == []) == valid, [e.message for e in schema_errors]
