"""The committed JSON Schema matches the model, and editors accept the shipped sources."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from lessonkit.schema import SCHEMAS, schema_text

from .conftest import ROOT, SHIPPED_FILES, SHIPPED_LESSON, SHIPPED_READING, copy_shipped

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
