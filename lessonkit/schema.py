"""JSON Schema of the source files, for editors.

VS Code's YAML extension (yaml-language-server) reads draft-07 schemas: it
completes field names and shows each field's description as hover text.
pydantic writes draft 2020-12, so the few differences are rewritten here.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import Lesson, Reading

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMAS = {"lesson": Lesson, "reading": Reading}


def schema_for(kind: str) -> dict:
    schema = SCHEMAS[kind].model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    document = {"$schema": DRAFT_07, "$id": f"https://lessonkit.invalid/schema/{kind}.schema.json"}
    document.update(schema)
    if definitions:
        document["definitions"] = dict(sorted(definitions.items()))
    return document


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` files; return those whose content changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for kind in SCHEMAS:
        target = folder / f"{kind}.schema.json"
        text = schema_text(kind)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed
