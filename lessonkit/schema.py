"""JSON Schema of the source files, for editors.

VS Code's YAML extension (yaml-language-server) reads draft-07 schemas: it
completes field names and shows each field's description as hover text.
pydantic writes draft 2020-12, so the few differences are rewritten here.

A translation (``translated_from: fr``) has a schema of its own, in which the
language-neutral fields (ids, durations, URLs, images, authors, licence…) are
optional: the loader takes them from the original when a translation leaves
them out, and the ``translate`` scaffold leaves them out so that they are
written once, in the original, and never drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import Lesson, Reading
from .translation import NEUTRAL_KEYS

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
MODELS = {"lesson": Lesson, "reading": Reading}
# the schema files: one for originals, one for translations, of each kind of source
SCHEMAS = {**MODELS, **{f"{kind}-translation": model for kind, model in MODELS.items()}}
TRANSLATION_REQUIRED = ("translated_from", "id", "language")


def schema_for(kind: str) -> dict:
    if kind.endswith("-translation"):
        return _translation_schema(kind)
    schema = MODELS[kind].model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    document = {"$schema": DRAFT_07, "$id": f"https://lessonkit.invalid/schema/{kind}.schema.json"}
    document.update(schema)
    if definitions:
        document["definitions"] = dict(sorted(definitions.items()))
    return document


def _translation_schema(kind: str) -> dict:
    """The original's schema with the language-neutral fields optional, and ``translated_from`` required."""
    document = schema_for(kind.removesuffix("-translation"))
    document["$id"] = f"https://lessonkit.invalid/schema/{kind}.schema.json"
    for definition in [document, *document.get("definitions", {}).values()]:
        definition.pop("oneOf", None)  # a figure's image or chart comes from the original
        if "required" in definition:
            required = [name for name in definition["required"] if name not in NEUTRAL_KEYS]
            if required:
                definition["required"] = required
            else:
                del definition["required"]
    document["required"] = [
        *TRANSLATION_REQUIRED,
        *(n for n in document.get("required", []) if n not in TRANSLATION_REQUIRED),
    ]
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
