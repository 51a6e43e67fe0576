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
from .errors import SourceError
from .i18n import babel_locale
from .loader import catalog_problem, load_lesson, original_of
from .model import Lesson
from .sources import is_id, is_language
from .yamlsafe import read_source

# a translation leaves out the language-neutral fields: its schema has them optional (see schema.py)
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/{kind}-translation.schema.json\n"


class TranslateError(Exception):
    """The translation cannot be started or recorded; the message says why."""


def start_translation(sources: Path, lesson_id: str, language: str, original: str | None) -> list[tuple[Path, str]]:
    """Write the scaffolds of a lesson's translation and of its readings'; every target is checked
    before anything is written."""
    _check_language(language)
    folder = _lesson_folder(sources, lesson_id)
    original_path = _original(folder, original)
    target = _confined(sources, folder / f"{language}.yaml")
    if target.exists():
        raise TranslateError(f"{target} already exists: a translation is never overwritten")
    lesson = _checked_original(original_path)
    scaffolds = [(target, "lesson", original_path)]
    kept = []
    for reading_id in lesson.readings:  # ids checked by the model: slugs, never paths
        reading_original = sources / "readings" / reading_id / f"{original_path.stem}.yaml"
        reading_target = _confined(sources, reading_original.with_name(f"{language}.yaml"))
        if reading_target.exists():
            kept.append((reading_target, "kept (already there)"))
        elif reading_original.is_file():
            scaffolds.append((reading_target, "reading", reading_original))
    for scaffold_target, kind, source in scaffolds:
        _write_scaffold(scaffold_target, kind, read_source(source)[0], language, original_path.stem)
    return [(scaffold_target, "wrote") for scaffold_target, _, _ in scaffolds] + kept


def mark_translated(sources: Path, lesson_id: str, language: str, fields: list[str] | None) -> list[tuple[Path, int]]:
    _check_code(language, "--lang")
    folder = _lesson_folder(sources, lesson_id)
    lesson_path = folder / f"{language}.yaml"
    if not lesson_path.is_file():
        raise TranslateError(
            f"there is no translation {lesson_path}; start one with `translate {lesson_id} --to {language}`"
        )
    lesson = load_lesson(lesson_path)  # a translation with mistakes is fixed before it is recorded
    paths = [lesson_path, *(sources / "readings" / r / f"{language}.yaml" for r in lesson.readings)]
    recorded = []
    for path in paths:
        if not path.is_file():
            continue
        data, _, _ = read_source(path)
        if not isinstance(data.get("translated_from"), str):
            raise TranslateError(f"{path} is not a translation (it has no “translated_from”)")
        original_path = original_of(path, data)
        original, _, _ = read_source(original_path)
        only = set(fields) if fields else None
        _confined(sources, translation.record_path(path))
        recorded.append((path, translation.write_record(path, data["translated_from"], original, data, only)))
    return recorded


def _check_language(language: str) -> None:
    _check_code(language, "--to")
    try:
        babel_locale(language)
    except (ValueError, Exception) as error:  # babel raises UnknownLocaleError or ValueError
        raise TranslateError(f"“{language}” is not a language code this tool knows (try it, de-CH, en-GB)") from error
    if message := catalog_problem(language):
        raise TranslateError(message)


def _check_code(language: str, option: str) -> None:
    """A language names a file: anything but a language code could name one elsewhere."""
    if not is_language(language):
        raise TranslateError(f"{option} “{language}” is not a language code: write it like it, de or de-CH")


def _lesson_folder(sources: Path, lesson_id: str) -> Path:
    folder = sources / "lessons" / lesson_id
    if not is_id(lesson_id) or not folder.is_dir():
        raise TranslateError(f"there is no lesson “{lesson_id}” in {sources / 'lessons'}")
    return folder


def _original(folder: Path, wanted: str | None) -> Path:
    if wanted:
        _check_code(wanted, "--from")
        path = folder / f"{wanted}.yaml"
        if not path.is_file():
            raise TranslateError(f"there is no {path} to translate from")
        return path
    originals = [p for p in sorted(folder.glob("*.yaml")) if "translated_from" not in read_source(p)[0]]
    if len(originals) != 1:
        names = ", ".join(p.stem for p in originals) or "none"
        raise TranslateError(f"cannot tell which file is the original ({names}); say it with --from")
    return originals[0]


def _checked_original(path: Path) -> Lesson:
    """The original, checked: a translation starts from a lesson without mistakes."""
    try:
        return load_lesson(path)
    except SourceError as error:
        raise TranslateError(f"fix the original first (`lessonkit check`):\n{error}") from None


def _confined(sources: Path, target: Path) -> Path:
    """``target`` if it really lies in ``sources/`` (a folder that is a symlink out of it is refused)."""
    if not target.parent.resolve().is_relative_to(sources.resolve()):
        raise TranslateError(f"{target.parent} leads outside {sources}; nothing was written")
    return target


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


def text_as_yaml(value: str, indent: int) -> str:
    """``value`` spelt as the scaffold spells texts (folded when long, literal when it has several lines), to
    follow a ``key: `` or ``- `` whose content is indented by ``indent`` spaces (no final line break).

    The browser's translation page writes one text back into a file this way, so an edited field looks like
    the rest of a scaffolded translation.
    """
    width = max(40, 88 - indent + 2)  # the scaffold wraps at 88 columns from the left margin
    dumped = yaml.dump({"k": value}, Dumper=_Dumper, allow_unicode=True, width=width, indent=2)
    first, *rest = dumped.removeprefix("k: ").removesuffix("\n").split("\n")
    return "\n".join([first, *((" " * (indent - 2) + line) if line else line for line in rest)])
