"""Load and validate sources into the lesson model.

``sources/lessons/<id>/<lang>.yaml`` and ``sources/readings/<id>/<lang>.yaml``
are read safely (``yamlsafe``), validated against the model, then checked
across files (readings exist, images exist inside the lesson's folder). Every
mistake of every file is collected and reported at once as ``Problem``s.
"""

from __future__ import annotations

import difflib
import io
import types
import typing
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import handwriting, i18n, model, safety, translation
from .confine import asset_path, reaches_out, svg_problem
from .errors import Problem, SourceError, display_path, field_path
from .files import is_regular, read_regular
from .model import SLUG, Document, Lesson, Reading
from .sources import SourceFile, Sources, is_id, is_language
from .yamlsafe import Loc, Marks, read_source

IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp"})
RASTER_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP", "TIFF", "BMP"})  # what Pillow calls them
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


def load_lesson(path: Path) -> Lesson:
    return _load(path, Lesson)


def load_reading(path: Path) -> Reading:
    return _load(path, Reading)


def load_document(sources: Sources, source: SourceFile) -> Document:
    """A lesson in one language with its readings, fully checked, or ``SourceError``."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    lesson = _collect(problems, lambda path: _load(path, Lesson, warnings), source.path)
    if lesson is None:
        raise SourceError(problems)
    readings, folders = [], []
    for reading_id in lesson.readings:
        path = sources.reading_path(reading_id, lesson.language)
        if path.is_file():
            readings.append(_collect(problems, lambda path: _load(path, Reading, warnings), path))
            folders.append(path.parent)
    if problems:
        raise SourceError(problems)
    return Document(lesson, tuple(readings), source.path.parent, tuple(folders), tuple(sorted(warnings)))


def check_all(
    sources: Sources,
    selected: list[SourceFile],
    warnings: list[Problem] | None = None,
    unsaved: dict[Path, bytes] | None = None,
) -> list[Problem]:
    """Every problem of the selected files and of the readings they include (and their warnings, if asked).
    ``unsaved`` gives, by path, texts to check instead of what the files hold."""
    unsaved = unsaved or {}
    problems: list[Problem] = []
    seen_readings: set[Path] = set()
    advice: list[Problem] = []
    for source in selected:
        kind = Lesson if source.kind == "lesson" else Reading
        loaded = _collect(problems, lambda path, kind=kind: _load(path, kind, advice, unsaved.get(path)), source.path)
        if isinstance(loaded, Lesson):
            for reading_id in loaded.readings:
                path = sources.reading_path(reading_id, loaded.language)
                if path.is_file() and path not in seen_readings and all(s.path != path for s in selected):
                    seen_readings.add(path)
                    _collect(problems, lambda path: _load(path, Reading, advice), path)
    if warnings is not None:
        warnings += sorted(set(advice))
    return sorted(set(problems))  # an original's mistake, found again through its translations, is listed once


def check_text(
    sources: Sources, source: SourceFile, raw: bytes, warnings: list[Problem] | None = None
) -> list[Problem]:
    """``check_all`` of one source whose contents are ``raw`` (an editor's unsaved text) instead of the file's,
    checked as if it were saved at ``source.path``: its readings, pictures and original are found from there."""
    return check_all(sources, [source], warnings, {source.path: raw})


def _collect(problems: list[Problem], load, path: Path):
    """Load one file, adding its problems to ``problems``: one bad file never stops the others."""
    try:
        return load(path)
    except SourceError as error:
        problems.extend(error.problems)
    except OSError as error:  # a file or a file it refers to cannot be opened
        problems.append(Problem(path, 1, 1, "", f"a file cannot be read ({error.strerror or error})"))
    return None


# --------------------------------------------------------------------------- one file


def _load(
    path: Path, kind: type[Lesson] | type[Reading], warnings: list[Problem] | None = None, raw: bytes | None = None
):
    """One file (or ``raw``, its unsaved text), validated and checked; what is not wrong but worth a look is
    added to ``warnings``."""
    if message := _name_problem(path):
        raise SourceError([Problem(path, 1, 1, "", message)])
    data, marks, problems = read_source(path, raw)
    problems += _cut_comments(path, marks)
    if isinstance(data.get("translated_from"), str):
        data, more = _completed_translation(path, data, marks, "lesson" if kind is Lesson else "reading")
        problems += more + _record_problems(path)
    refused_texts = [_problem(path, marks, loc, message) for loc, message in safety.text_problems(data)]
    problems += refused_texts
    try:
        document = kind.model_validate(data)
    except ValidationError as error:
        said = {(p.line, p.column, p.field) for p in refused_texts}  # a text already refused is not refused twice
        more = [p for p in _validation_problems(path, marks, kind, error) if (p.line, p.column, p.field) not in said]
        raise SourceError(problems + more) from None
    problems += [_problem(path, marks, loc, message) for loc, message in document.problems()]
    problems += _file_problems(path, marks, document)
    if problems:
        raise SourceError(problems)
    if warnings is not None:
        warnings += _space_warnings(path, marks, document)
    return document


def _cut_comments(path: Path, marks: Marks) -> list[Problem]:
    """A text followed by “ #…” loses that part: YAML takes it as a comment. The README promises text is kept as
    typed, so it is a problem; after data no language writes (“duration: 45  # minutes”) a comment is fine."""
    message = "everything after “ #” is left out as a comment: put the whole text in double quotes, or remove the #"
    return [
        Problem(path, line, column, field_path(loc), message)
        for loc, (line, column) in marks.comments.items()
        if not any(isinstance(part, str) and part in translation.NEUTRAL_KEYS for part in loc)
    ]


def _space_warnings(path: Path, marks: Marks, document: Lesson | Reading) -> list[Problem]:
    """Questions whose explicit ``lines`` leave too little room to write the model answer by hand."""
    found = []
    for loc, question in document.located_questions():
        needed = handwriting.lines_needed(question.answer)
        if question.lines is not None and question.lines < needed:
            message = (
                f"warning: question “{question.id}” gives {question.lines} lines, but writing its model answer "
                f"by hand takes about {needed}: raise “lines”, or leave it out and lessonkit gives enough room"
            )
            found.append(_problem(path, marks, (*loc, "lines"), message))
    return found


def _name_problem(path: Path) -> str | None:
    """A source is <id>/<language>.yaml: other names would make outputs, originals and records
    with names no file system takes (or outside their folder)."""
    if path.suffix == ".yml":
        return f"lessonkit reads only files ending in .yaml: rename {_shortened(path.name)} to {path.stem}.yaml"
    if not is_language(path.stem) or path.suffix != ".yaml":
        return f"the file name “{_shortened(path.name)}” must be a language code, like fr.yaml or de-CH.yaml"
    if not is_id(path.parent.name) or len(path.parent.name) > model.MAX_ID_LENGTH:
        return (
            f"the folder name “{_shortened(path.parent.name)}” must be an id: lower-case letters, digits and "
            f"dashes, at most {model.MAX_ID_LENGTH} characters, like “micro-work”"
        )
    sources = path.parent.parent.parent  # sources/lessons/<id>/<language>.yaml
    if not path.resolve().is_relative_to(sources.resolve()):
        return "this file, or its folder, is a link to somewhere outside sources/; copy the files here instead"
    return None


def _shortened(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "…"


def original_of(path: Path, data: dict) -> Path | None:
    """The original of a translation: a file in the same folder, if ``translated_from`` is a language code."""
    language = data.get("translated_from")
    if not isinstance(language, str) or not is_language(language.strip()):
        return None
    return path.with_name(f"{language.strip()}.yaml")


def _completed_translation(path: Path, data: dict, marks: Marks, kind: str) -> tuple[dict, list[Problem]]:
    """A translation completed with its original's neutral data, and where its structure differs."""
    original_path = original_of(path, data)
    where = marks.of_value(("translated_from",))
    if original_path is None:  # the model says why
        return data, []
    if not original_path.is_file():
        message = f"the original is not there: looked for {display_path(original_path)}"
        return data, [Problem(path, *where, "translated_from", message)]
    original, original_marks, _ = read_source(original_path)  # a mistake that stops reading is the original's
    if "translated_from" in original:
        message = f"{display_path(original_path)} is itself a translation; name the original language"
        return data, [Problem(path, *where, "translated_from", message)]
    # A mistake in the original is reported once, in the original: not again in every field of every
    # translation that takes its data (check_all lists a problem found twice once).
    _load(original_path, Lesson if kind == "lesson" else Reading)
    completed = translation.with_neutral_data(data, original)
    problems = translation.parity_problems(kind, (original_path, original, original_marks), (path, completed, marks))
    return completed, problems


def _record_problems(path: Path) -> list[Problem]:
    """A damaged ``<lang>.translated.json`` is named; the translation itself is still checked."""
    message = translation.record_problem(path)
    return [Problem(translation.record_path(path), 1, 1, "", message)] if message else []


def translation_states(path: Path) -> tuple[Path, list[translation.FieldState]] | None:
    """For a translation file: its original and the state of every text; None for an original."""
    data, marks, _ = read_source(path)
    if not isinstance(data.get("translated_from"), str):
        return None
    original_path = original_of(path, data)
    if original_path is None or not original_path.is_file():
        raise SourceError([Problem(path, *marks.of_value(("translated_from",)), "translated_from", "no original")])
    original, _, _ = read_source(original_path)
    return original_path, translation.field_states(original, data, marks, translation.load_record(path))


def _file_problems(path: Path, marks: Marks, document: Lesson | Reading) -> list[Problem]:
    """What only the files around the source can tell: names, readings, images."""
    found: list[Problem] = []
    if document.id != path.parent.name:
        message = f"the id is “{document.id}” but the folder is “{path.parent.name}”; they must be the same"
        found.append(_problem(path, marks, ("id",), message))
    if document.language != path.stem:
        message = (
            f"the language is “{document.language}” but the file is “{path.name}”; name it {document.language}.yaml"
        )
        found.append(_problem(path, marks, ("language",), message))
    elif message := catalog_problem(document.language):
        found.append(_problem(path, marks, ("language",), message))
    for loc, figure in document.located_figures():
        if figure.image is not None and (message := _image_problem(path.parent, figure.image)):
            found.append(_problem(path, marks, (*loc, "image"), message))
    if isinstance(document, Lesson):
        sources = Sources(path.parent.parent.parent)
        for index, reading_id in enumerate(document.readings):
            reading = sources.reading_path(reading_id, document.language)
            if not reading.is_file():
                message = f"reading “{reading_id}” not found: looked for {display_path(reading)}"
                found.append(_problem(path, marks, ("readings", index), message))
    return found


def catalog_problem(language: str) -> str | None:
    """Every fixed word of the outputs (“Question”, “Answer”…) comes from a label catalog of the language."""
    catalogs = i18n.catalog_languages()
    if language in catalogs or language.split("-")[0] in catalogs:
        return None
    return (
        f"lessonkit has no labels (the words “Question”, “Answer”…) in “{language}”; "
        f"the languages it can print are: {', '.join(catalogs)}"
    )


def _image_problem(folder: Path, relative: str) -> str | None:
    """Why an image path cannot be used, or None: it must be a file inside the source's folder."""
    if reaches_out(relative):
        return f"the image “{relative}” must be a file inside {display_path(folder)} (no “..”, no absolute path)"
    path = asset_path(folder, relative)
    if path is None:
        return f"the image “{relative}” points outside {display_path(folder)} (a link to another folder is not allowed)"
    if not path.exists():
        return f"image not found: looked for {display_path(folder / relative)}{_did_you_mean(folder, relative)}"
    if not is_regular(path):
        return f"“{relative}” is not an ordinary file (a folder, a pipe or a device); it was not read"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return f"“{relative}” is not an image this tool can use (use {', '.join(sorted(IMAGE_SUFFIXES))})"
    return _image_content_problem(path)


def _did_you_mean(folder: Path, relative: str) -> str:
    """“; did you mean assets/leaf.png?” for a name that differs in case only, or is close to a file's name."""
    wanted = folder / relative
    try:
        names = sorted(p.name for p in wanted.parent.iterdir() if p.name.lower().endswith(tuple(IMAGE_SUFFIXES)))
    except OSError:  # the folder itself is missing
        return ""
    same = [n for n in names if n.lower() == wanted.name.lower()]
    close = same or difflib.get_close_matches(wanted.name, names, n=1, cutoff=0.6)
    if not close:
        return ""
    guess = relative[: len(relative) - len(wanted.name)] + close[0]
    return f"; did you mean {guess}?"


def _image_content_problem(path: Path) -> str | None:
    """Huge or unusual images are refused before any renderer tries to decode them."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"the image {path.name} is {size / 1024 / 1024:.0f} MB; the limit is 20 MB (make it smaller)"
    if path.suffix.lower() == ".svg":
        return svg_problem(path)
    return _raster_problem(path)


def _raster_problem(path: Path) -> str | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(read_regular(path, MAX_IMAGE_BYTES))) as image:  # decodes the header only
            kind, (width, height) = image.format, image.size
    except Exception:  # Pillow raises many kinds of errors for files it cannot read
        return f"{path.name} cannot be read as an image (is the file damaged?)"
    if kind not in RASTER_FORMATS:
        return f"{path.name} is a {kind} image; save it as PNG or JPEG (or {', '.join(sorted(RASTER_FORMATS))})"
    if width * height > MAX_IMAGE_PIXELS:
        return f"the image {path.name} has {width * height / 1e6:.0f} megapixels; the limit is 40 (make it smaller)"
    return None


# --------------------------------------------------------------------------- validation errors


def _problem(path: Path, marks: Marks, loc: Loc, message: str) -> Problem:
    return Problem(path, *marks.of_value(loc), field_path(loc), message)


def _validation_problems(path: Path, marks: Marks, kind: type[BaseModel], error: ValidationError) -> list[Problem]:
    details = error.errors(include_url=False)
    misspelt = {  # (parent, field) that an unknown key probably meant: say it once, as the typo
        (tuple(d["loc"][:-1]), guess)
        for d in details
        if d["type"] == "extra_forbidden"
        for guess in _close_fields(kind, tuple(d["loc"]))
    }
    problems = []
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "missing" and (loc[:-1], loc[-1]) in misspelt:
            continue
        message = _plain_message(kind, loc, detail)
        where = marks.of_key(loc) if detail["type"] == "extra_forbidden" else marks.of_value(loc)
        problems.append(Problem(path, *where, field_path(loc), message))
    return problems


def _close_fields(kind: type[BaseModel], loc: Loc) -> list[str]:
    return difflib.get_close_matches(str(loc[-1]), _field_names(kind, loc[:-1]), n=1, cutoff=0.6)


def _plain_message(kind: type[BaseModel], loc: Loc, detail: dict) -> str:
    """pydantic's error, in words a teacher can act on."""
    kind_of_error = detail["type"]
    given = detail.get("input")
    ctx = detail.get("ctx", {})
    name = loc[-1] if loc else ""
    if kind_of_error == "missing":
        return f"the required field “{name}” is missing"
    if kind_of_error == "extra_forbidden":
        guess = _close_fields(kind, loc)
        hint = (
            f"; did you mean “{guess[0]}”?"
            if guess
            else f"; the fields here are: {', '.join(_field_names(kind, loc[:-1]))}"
        )
        return f"unknown field “{name}”{hint}"
    if given is None and kind_of_error not in ("missing",):
        return "this field is empty; write a value or remove the line"
    simple = {
        "string_type": f"expected text here, found {_describe(given)}",
        "string_too_short": "this text is empty; write the text or remove the line",
        "string_unicode": "the text holds a character that is not valid Unicode; remove it",
        "string_too_long": (
            f"this text has {len(str(given))} characters; at most {ctx.get('max_length')} are allowed here "
            "(it becomes a property of the PDF and the deck, which limit its length)"
        ),
        "finite_number": f"“{given}” is too large to be a number; write a value between −10¹² and 10¹²",
        "int_parsing": f"“{given}” is not a whole number",
        "int_type": f"expected a whole number, found {_describe(given)}",
        "float_parsing": f"“{given}” is not a number",
        "float_type": f"expected a number, found {_describe(given)}",
        "list_type": f"expected a list (lines starting with “- ”), found {_describe(given)}",
        "model_type": f"expected a group of fields (“key: value” lines), found {_describe(given)}",
        "dict_type": f"expected a group of fields (“key: value” lines), found {_describe(given)}",
        "date_from_datetime_parsing": f"“{given}” is not a date; write it as YYYY-MM-DD, e.g. 2016-09-09",
        "date_parsing": f"“{given}” is not a date; write it as YYYY-MM-DD, e.g. 2016-09-09",
        # 20160909 or 2016-09-09T10:00: a date and time (or a number read as a timestamp), not a day
        "date_from_datetime_inexact": f"“{given}” is not a date; write it as YYYY-MM-DD, e.g. 2016-09-09",
        "date_type": "expected a date written as YYYY-MM-DD",
    }
    if kind_of_error in simple:
        return simple[kind_of_error]
    if kind_of_error == "string_pattern_mismatch":
        if ctx.get("pattern") == SLUG:
            return f"“{given}” is not a valid id: use lower-case letters, digits and dashes, like “micro-work”"
        if ctx.get("pattern") == model.LANGUAGE_TAG:
            return f"“{given}” is not a language code: write it like fr, de, en, or fr-CH, de-CH, en-GB"
        return f"“{given}” does not have the expected form"
    if kind_of_error == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s), found {ctx.get('actual_length', 0)}"
    if kind_of_error == "too_long":
        return f"has {ctx.get('actual_length')} items, but at most {ctx.get('max_length')} are allowed"
    if kind_of_error == "literal_error":
        return f"“{given}” is not allowed here; choose one of: {ctx.get('expected')}"
    if kind_of_error == "greater_than_equal":
        return f"{given} is too small; it must be at least {_number(ctx.get('ge'))}"
    if kind_of_error == "greater_than":  # points: 0 is refused, 0.5 is fine
        return f"{given} is too small; it must be more than {_number(ctx.get('gt'))}"
    if kind_of_error in ("less_than_equal", "less_than"):
        return f"{given} is too large; it must be at most {_number(ctx.get('le', ctx.get('lt')))}"
    if kind_of_error == "value_error":
        return str(ctx.get("error", detail["msg"]))
    return detail["msg"]


def _number(limit: object) -> str:
    """1e12 → “1,000,000,000,000”: limits as people read them."""
    if isinstance(limit, float) and limit.is_integer():
        limit = int(limit)
    return f"{limit:,}" if isinstance(limit, int) else str(limit)


def _describe(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return f"“{value}”"


def _field_names(kind: type[BaseModel], loc: Loc) -> list[str]:
    """The fields allowed at ``loc`` of a model (for “did you mean …?”)."""
    current: object = kind
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            current = current.model_fields[part].annotation if part in current.model_fields else None
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: object) -> object:
    """``Optional[X]`` and ``Annotated[X, …]`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation
