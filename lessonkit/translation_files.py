"""The translation workflow on disk: start a translation, record what is translated.

``translate`` writes ``<lang>.yaml`` beside the original (and its readings'),
every text marked as not yet translated; it never overwrites a translation.
``translated`` records, in ``<lang>.translated.json``, which version of the
original each finished text translates, so ``status`` can tell what is stale.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import translation
from .i18n import babel_locale
from .yamlsafe import read_source

SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/{kind}.schema.json\n"


class TranslateError(Exception):
    """The translation cannot be started or recorded; the message says why."""


def start_translation(sources: Path, lesson_id: str, language: str, original: str | None) -> list[tuple[Path, str]]:
    _check_language(language)
    folder = _lesson_folder(sources, lesson_id)
    original_path = _original(folder, original)
    target = folder / f"{language}.yaml"
    if target.exists():
        raise TranslateError(f"{target} already exists: a translation is never overwritten")
    data, _, _ = read_source(original_path)
    written = [(target, "wrote")]
    _write_scaffold(target, "lesson", data, language, original_path.stem)
    for reading_id in data.get("readings") or []:
        reading_folder = sources / "readings" / str(reading_id)
        reading_original = reading_folder / f"{original_path.stem}.yaml"
        reading_target = reading_folder / f"{language}.yaml"
        if reading_target.exists():
            written.append((reading_target, "kept (already there)"))
        elif reading_original.is_file():
            reading, _, _ = read_source(reading_original)
            _write_scaffold(reading_target, "reading", reading, language, original_path.stem)
            written.append((reading_target, "wrote"))
    return written


def mark_translated(sources: Path, lesson_id: str, language: str, fields: list[str] | None) -> list[tuple[Path, int]]:
    folder = _lesson_folder(sources, lesson_id)
    lesson_path = folder / f"{language}.yaml"
    if not lesson_path.is_file():
        raise TranslateError(
            f"there is no translation {lesson_path}; start one with `translate {lesson_id} --to {language}`"
        )
    lesson, _, _ = read_source(lesson_path)
    paths = [lesson_path]
    paths += [sources / "readings" / str(r) / f"{language}.yaml" for r in lesson.get("readings") or []]
    recorded = []
    for path in paths:
        if not path.is_file():
            continue
        data, _, _ = read_source(path)
        if not isinstance(data.get("translated_from"), str):
            raise TranslateError(f"{path} is not a translation (it has no “translated_from”)")
        original, _, _ = read_source(path.with_name(f"{data['translated_from']}.yaml"))
        only = set(fields) if fields else None
        recorded.append((path, translation.write_record(path, data["translated_from"], original, data, only)))
    return recorded


def _check_language(language: str) -> None:
    try:
        babel_locale(language)
    except (ValueError, Exception) as error:  # babel raises UnknownLocaleError or ValueError
        raise TranslateError(f"“{language}” is not a language code this tool knows (try it, de-CH, en-GB)") from error


def _lesson_folder(sources: Path, lesson_id: str) -> Path:
    folder = sources / "lessons" / lesson_id
    if not folder.is_dir():
        raise TranslateError(f"there is no lesson “{lesson_id}” in {sources / 'lessons'}")
    return folder


def _original(folder: Path, wanted: str | None) -> Path:
    if wanted:
        path = folder / f"{wanted}.yaml"
        if not path.is_file():
            raise TranslateError(f"there is no {path} to translate from")
        return path
    originals = [p for p in sorted(folder.glob("*.yaml")) if "translated_from" not in read_source(p)[0]]
    if len(originals) != 1:
        names = ", ".join(p.stem for p in originals) or "none"
        raise TranslateError(f"cannot tell which file is the original ({names}); say it with --from")
    return originals[0]


class _Dumper(yaml.SafeDumper):
    """Readable YAML for teachers: long texts as folded blocks, several paragraphs as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)  # indent list items under their key, as people write them


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 70:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def _write_scaffold(target: Path, kind: str, data: dict, language: str, original_language: str) -> None:
    body = translation.scaffold(data, language, original_language)
    text = yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88, indent=2)
    target.write_text(SCHEMA_LINE.format(kind=kind) + text, encoding="utf-8")
