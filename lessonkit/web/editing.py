"""Editing sources from the browser, without HTTP: checking an unsaved text, saving it, undoing a save,
storing an uploaded picture.

- **Check.** The text is checked by the loader's own ``check_text``, as if it were saved at its path:
  the same messages, lines and fields as ``lessonkit check``; nothing is written.
- **Save.** The text is written atomically (a temporary file in the same folder, then ``os.replace``;
  the file keeps its mode). The version it replaces is kept in ``<folder>/.history/<language>/`` (the
  last ``MAX_HISTORY``), so a save can be undone. A text with problems is saved all the same: a
  teacher's work is never refused; only what cannot be a source is (too large, broken characters).
- **Undo.** The newest kept version is put back and the current one is kept in its place, so undoing
  an undo gives back what was there before.
- **Pictures.** PNG, JPEG, GIF, WebP or SVG, told by their content, under the build's own limits
  (``loader``'s image checks, ``confine``'s SVG checks), stored under a safe name in ``assets/``.

The history folder starts with a dot and sits one level below the source: ``Sources`` (which lists
``<id>/<language>.yaml`` only), ``check`` and the build manifest never see it.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import re
import shutil
import stat
import tempfile
import threading
import unicodedata
from pathlib import Path

from ..errors import Problem, display_path
from ..files import TooLarge, read_regular
from ..loader import MAX_IMAGE_BYTES, _image_problem, check_text
from ..sources import SourceFile, Sources
from ..yamlsafe import MAX_SOURCE_BYTES

HISTORY = ".history"
MAX_HISTORY = 20
HISTORY_NAME = re.compile(r"^(\d{8}-\d{6}-\d{6})\.yaml$")  # 20261126-031500-123456.yaml, UTC: sorts by time
MAX_PICTURE_BYTES = MAX_IMAGE_BYTES  # the build refuses larger pictures (loader and confine: 20 MB)
PICTURE_KINDS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}  # Pillow's names → extension
MAX_NAME_LENGTH = 60

# One change at a time: two tabs saving the same lesson never interleave their history and writes.
changing = threading.RLock()  # the translation page shares it


class Refused(Exception):
    """Why a text or picture was not stored, in plain words; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


# --------------------------------------------------------------------------- checking


def check(sources: Path, kind: str, path: Path, text: str) -> list[dict]:
    """``lessonkit check`` of ``text`` as if it were saved at ``path``: warnings, then errors; nothing written."""
    if broken := _broken_character(text):
        return [as_json(Problem(path, *broken, "", BROKEN_CHARACTER), "error", sources.parent)]
    warnings: list[Problem] = []
    problems = check_text(
        Sources(sources), SourceFile(kind, path.parent.name, path.stem, path), text.encode(), warnings
    )
    return [as_json(p, "warning", sources.parent) for p in warnings] + [
        as_json(p, "error", sources.parent) for p in problems
    ]


def as_json(problem: Problem, severity: str, root: Path) -> dict:
    """A problem as the edit page shows it; ``file`` is relative to the project (the edited file or another)."""
    return {
        "file": relative(root, problem.path),
        "line": problem.line,
        "column": problem.column,
        "field": problem.field,
        "message": problem.message,
        "severity": severity,
    }


def relative(root: Path, path: Path) -> str:
    """``sources/lessons/x/fr.yaml``: where a file is, as the teacher sees the project."""
    for named, base in ((Path(os.path.abspath(path)), root), (path.resolve(), root.resolve())):
        if named.is_relative_to(base):
            return named.relative_to(base).as_posix()
    return display_path(path)


BROKEN_CHARACTER = "the text holds a broken character (half of an emoji or symbol); delete it and type it again"


def _broken_character(text: str) -> tuple[int, int] | None:
    """Where a lone surrogate (half of an emoji, say) is: it cannot be written as UTF-8."""
    found = re.search(r"[\ud800-\udfff]", text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return line, found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1


# --------------------------------------------------------------------------- reading and saving


def read_text(path: Path) -> str:
    """The text of a source for the editor; ``Refused`` (422) when it cannot be shown as text."""
    name = path.name
    try:
        raw = read_regular(path, MAX_SOURCE_BYTES)
    except FileNotFoundError:
        raise Refused(f"{name} does not exist (any more)", 404) from None
    except TooLarge:
        raise Refused(
            f"{name} is larger than 2 MB; a lesson source is far smaller; it cannot be edited here", 422
        ) from None
    except OSError:
        raise Refused(f"{name} is not an ordinary file (a folder, a pipe or a device); it was not read", 422) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(f"{name} is saved as UTF-16; open it in a text editor and save it as UTF-8", 422)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = (
            f"{name} is not UTF-8 text (byte 0x{raw[error.start]:02X} cannot be read); "
            "open it in a text editor and save it as UTF-8"
        )
        raise Refused(message, 422) from None


def encoded(text: str) -> bytes:
    """The bytes a text is saved as; ``Refused`` for what cannot be a source (nothing is written then)."""
    if broken := _broken_character(text):
        raise Refused(f"line {broken[0]}: {BROKEN_CHARACTER}; nothing was saved")
    data = text.encode("utf-8")
    if len(data) > MAX_SOURCE_BYTES:
        message = (
            f"the text is {len(data) / 1024 / 1024:.1f} MB; a source may be at most 2 MB "
            "(a lesson is far smaller); nothing was saved"
        )
        raise Refused(message, 413)
    return data


def save(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically, keeping the version it replaces; False when nothing changed."""
    with changing:
        current = _current(path)
        if current is not None and _same_contents(path, current, data):
            return False
        _replace(path, current, data)
        return True


def undo(path: Path) -> None:
    """Put back the newest kept version; the current one is kept in its place (so undo twice gives it back)."""
    with changing:
        kept = history(path)
        if not kept:
            raise Refused("there is no earlier version to go back to", 409)
        newest = kept[-1]
        try:
            data = read_regular(newest, MAX_SOURCE_BYTES)
        except OSError:
            raise Refused("the earlier version cannot be read; nothing was changed", 409) from None
        _replace(path, _current(path), data)
        newest.unlink()


def can_undo(path: Path) -> bool:
    return bool(history(path))


def history_folder(path: Path) -> Path:
    """``sources/lessons/<id>/.history/<language>/``."""
    return path.parent / HISTORY / path.stem


def history(path: Path) -> list[Path]:
    """The kept versions of a source, oldest first (only the names the history writes; never links)."""
    folder = history_folder(path)
    if _has_link(path.parent, folder) or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if HISTORY_NAME.match(p.name) and stat.S_ISREG(p.lstat().st_mode))


def _replace(path: Path, current: os.stat_result | None, data: bytes) -> None:
    """Keep the current version (if any) in the history, then write ``data``; a failed write keeps no copy."""
    kept = _keep(path) if current is not None else None
    try:
        write_atomically(path, data, stat.S_IMODE(current.st_mode) if current else None)
    except BaseException:
        if kept is not None:
            kept.unlink(missing_ok=True)
        raise


def _current(path: Path) -> os.stat_result | None:
    """The file's status when it is there; ``Refused`` when it is anything but a regular file."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(status.st_mode):
        raise Refused(f"{path.name} is not an ordinary file (a link, a folder or a device); nothing was saved")
    return status


def _same_contents(path: Path, status: os.stat_result, data: bytes) -> bool:
    if status.st_size != len(data):
        return False
    try:
        return read_regular(path, len(data)) == data
    except OSError:
        return False


def _keep(path: Path) -> Path:
    """Copy the current file into the history under a name later than every kept one; keep the last few."""
    folder = history_folder(path)
    if _has_link(path.parent, folder):
        raise Refused(f"{display_path(folder)} is a link to another folder; nothing was saved")
    folder.mkdir(parents=True, exist_ok=True)
    kept = history(path)
    stamp = datetime.datetime.now(datetime.UTC)
    if kept:
        last = datetime.datetime.strptime(kept[-1].stem, "%Y%m%d-%H%M%S-%f").replace(tzinfo=datetime.UTC)
        stamp = max(stamp, last + datetime.timedelta(microseconds=1))
    target = folder / f"{stamp:%Y%m%d-%H%M%S-%f}.yaml"
    handle, temporary = tempfile.mkstemp(prefix=".keep-", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream, open(path, "rb") as source:
            shutil.copyfileobj(source, stream)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    for old in [*kept, target][:-MAX_HISTORY]:
        old.unlink(missing_ok=True)
    return target


def _has_link(start: Path, folder: Path) -> bool:
    """Whether any folder from ``start`` (excluded) down to ``folder`` is a symbolic link."""
    for part in [folder, *folder.parents]:
        if part == start:
            return False
        if part.is_symlink():
            return True
    return False


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


DEFAULT_MODE = _default_mode()  # read once, at import: os.umask is process-wide


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a temporary file beside ``path``, then rename it over ``path``: never a half-written file.
    The temporary name ends in ``.part``, which no listing of sources or pictures takes."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, DEFAULT_MODE if mode is None else mode)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


# --------------------------------------------------------------------------- previews


def lessons_including(sources: Path, reading_id: str, language: str) -> list[str]:
    """The lessons whose edition in ``language`` includes a reading (a translation takes its original's list)."""
    from ..loader import original_of
    from ..yamlsafe import read_source

    found = []
    for source in Sources(sources).lessons():
        if source.language != language or source.path.suffix != ".yaml":
            continue
        try:
            data = read_source(source.path)[0]
            if "readings" not in data and (original := original_of(source.path, data)) is not None:
                data = read_source(original)[0]
        except Exception:  # a broken lesson is not previewed; its own check says why
            continue
        readings = data.get("readings")
        if isinstance(readings, list) and reading_id in readings:
            found.append(source.id)
    return found


# --------------------------------------------------------------------------- pictures


def picture_name(filename: str | None, extension: str) -> str:
    """A safe name from what the teacher's computer called the file: ``Photo été (1).PNG`` → ``photo-ete-1.png``.
    Only the last part of a path counts, and the extension comes from the content."""
    base = re.split(r"[/\\]", filename or "")[-1]
    stem = base.rsplit(".", 1)[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")[:MAX_NAME_LENGTH].strip("-")
    return f"{slug or 'picture'}.{extension}"


def picture_kind(data: bytes, name: str) -> str:
    """The extension a picture gets, told by its content; ``Refused`` for anything but PNG, JPEG, GIF, WebP, SVG."""
    if _looks_like_svg(data):
        return "svg"
    from PIL import Image

    refusal = f"“{name}” is not a picture lessonkit can use: upload a PNG, JPEG, GIF, WebP or SVG file"
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            kind = image.format
    except Image.DecompressionBombError:
        raise Refused(f"“{name}” has far too many pixels; the limit is 40 megapixels (make it smaller)") from None
    except Exception:  # Pillow raises many kinds of errors for what it cannot read
        raise Refused(refusal) from None
    if kind not in PICTURE_KINDS:
        raise Refused(f"“{name}” is a {kind} picture; save it as PNG or JPEG and upload it again")
    return PICTURE_KINDS[kind]


def _looks_like_svg(data: bytes) -> bool:
    """Text (UTF-8) starting with “<” that names an ``<svg`` element early on."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and b"<svg" in head


def store_picture(folder: Path, filename: str | None, data: bytes, replace: bool = False) -> str:
    """Store a picture in the ``assets/`` folder beside a lesson or reading, after the build's own checks; the path
    to type in ``image:``.

    A file of the same name and other contents is kept: the new one gets ``-2`` (``-3``…) unless
    ``replace``; the same picture uploaded twice is stored once.
    """
    shown = re.split(r"[/\\]", filename or "")[-1] or "the file"
    if len(data) > MAX_PICTURE_BYTES:
        raise Refused(f"“{shown}” is larger than 20 MB, the limit for pictures (make it smaller)", 413)
    name = picture_name(filename, picture_kind(data, shown))
    assets = folder / "assets"
    if assets.is_symlink() or (assets.exists() and not assets.is_dir()):
        raise Refused("the assets folder is a link or not a folder; nothing was stored")
    assets.mkdir(exist_ok=True)
    with changing:
        staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=assets))
        try:
            staged = staging / name
            staged.write_bytes(data)
            if problem := _image_problem(folder, f"assets/{staging.name}/{name}"):
                raise Refused(problem)
            target, stored = _target(assets, name, data, replace)
            if not stored:
                os.chmod(staged, DEFAULT_MODE)
                os.replace(staged, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return f"assets/{target.name}"


def _target(assets: Path, name: str, data: bytes, replace: bool) -> tuple[Path, bool]:
    """Where the picture goes, and whether the very same picture is already stored there."""
    stem, extension = name.rsplit(".", 1)
    for number in range(1, 1000):
        candidate = assets / (name if number == 1 else f"{stem}-{number}.{extension}")
        if not os.path.lexists(candidate):
            return candidate, False
        if _same_file(candidate, data):
            return candidate, True
        if replace and number == 1 and stat.S_ISREG(candidate.lstat().st_mode):
            return candidate, False
    raise Refused("too many pictures of that name; rename the file and upload it again")


def _same_file(path: Path, data: bytes) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode) and read_regular(path, len(data)) == data
    except OSError:
        return False
