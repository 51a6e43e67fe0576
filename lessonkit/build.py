"""Building outputs: what is out of date, built in parallel workers, written so nothing is ever half-written.

A *task* is one lesson in one language and some of its formats (``formats.FORMATS``): the PDFs, the
deck, or the lighter outputs (DOCX, HTML handout, Moodle quiz) together.
The manifest says which tasks are out of date; worker processes build them
(each imports WeasyPrint once and keeps one font configuration and one image
cache for all its documents); every output is written to a temporary file in
its own folder and renamed into place, so a failed or interrupted build
leaves the previous good file.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import prepared
from .formats import BY_OUTPUT, FORMAT_NAMES, FORMATS, Format
from .layouts import LAYOUTS, layout_files
from .manifest import Manifest, code_files

WORKSHEET, ANSWER_KEY = FORMATS["pdf"].outputs
(SLIDES,) = FORMATS["pptx"].outputs
LOCK_NAME = ".lessonkit.lock"


@dataclass(frozen=True)
class Options(prepared.Options):
    formats: tuple[str, ...] = FORMAT_NAMES  # which formats a build makes (--formats)

    def for_output(self, name: str) -> dict:
        """The options an output depends on: a change of one of them rebuilds it."""
        return {key: getattr(self, key) for key in BY_OUTPUT[name].option_keys}

    def outputs(self) -> tuple[str, ...]:
        """The file names a build with these options makes for each lesson edition."""
        return tuple(output for name in self.formats for output in FORMATS[name].outputs)


@dataclass(frozen=True)
class Task:
    """One lesson in one language, and which of its outputs need building."""

    source: Path
    lesson: str
    language: str
    outputs: tuple[str, ...]


@dataclass
class Built:
    """One output that landed, for the progress line and the summary."""

    path: Path
    pages: int | None  # pages, slides or questions (``Format.unit``); None: nothing to count
    seconds: float


@dataclass
class DocumentResult:
    built: list[Built] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class TaskResult:
    task: Task
    built: list[Built] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_warnings: list[str] = field(default_factory=list)  # path:line:col: field: warning: …
    renderer_warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # bad sources: path:line:col: field: message
    error: str | None = None  # could not render
    inputs: list[Path] = field(default_factory=list)


def output_folder(outputs: Path, lesson: str, language: str) -> Path:
    return outputs / lesson / language


def outputs_problem(outputs: Path, project: Path) -> str | None:
    """Why ``--out`` cannot take the outputs, or None: they need a folder of their own, since a
    build writes and replaces files in it (a root, the project or its sources would be overwritten)."""
    outputs, project = outputs.resolve(), project.resolve()
    advice = "choose a folder of its own, such as outputs/"
    if outputs == Path(outputs.anchor) or project.is_relative_to(outputs):
        return f"--out {outputs} holds the whole project; {advice}"
    for kept in ("sources", "layouts", "schema", "lessonkit", ".git"):
        if outputs.is_relative_to(project / kept):
            return f"--out {outputs} lies in the project's {kept}/ folder; {advice}"
    if outputs.exists() and not outputs.is_dir():
        return f"--out {outputs} is a file, not a folder; {advice}"
    return None


@contextlib.contextmanager
def outputs_locked(outputs: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """One build at a time plans and writes into an output folder: a second one calls ``waiting``
    and waits for the first to finish (then finds most outputs up to date). A build that wrote
    nothing leaves no output folder behind."""
    from filelock import FileLock, Timeout

    created = not outputs.exists()
    outputs.mkdir(parents=True, exist_ok=True)
    lock = FileLock(outputs / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        waiting()
        lock.acquire()
    _remove_leftovers(outputs)
    try:
        yield
    finally:
        lock.release()
        if created and [path.name for path in outputs.iterdir()] == [LOCK_NAME]:
            with contextlib.suppress(OSError):
                (outputs / LOCK_NAME).unlink()
                outputs.rmdir()


def _remove_leftovers(outputs: Path) -> None:
    """Temporary files a killed build left (SIGKILL, a crashed worker, a power cut): with the lock
    held, no other build is writing them."""
    for leftover in [*outputs.glob(".*.part"), *outputs.glob("*/*/.*.part")]:
        with contextlib.suppress(OSError):
            leftover.unlink()


# --------------------------------------------------------------------------- planning


def plan(lesson_sources, outputs: Path, manifest: Manifest, options: Options, force: bool) -> list[Task]:
    """The tasks whose outputs are missing or older than their inputs, the longest first.

    A format that takes seconds (the PDFs, the deck) is a task of its own, so that workers share
    the work evenly (three documents on two cores would otherwise leave one idle); the light
    formats of a document are built together, after them.
    """
    alone: list[Task] = []
    together: list[Task] = []
    for source in lesson_sources:
        folder = output_folder(outputs, source.id, source.language)
        light: list[str] = []
        for fmt in (FORMATS[name] for name in options.formats):
            if not force and all(manifest.is_current(folder / n, options.for_output(n)) for n in fmt.outputs):
                continue
            if fmt.alone:
                alone.append(Task(source.path, source.id, source.language, fmt.outputs))
            else:
                light += fmt.outputs
        if light:
            together.append(Task(source.path, source.id, source.language, tuple(light)))
    heavy_first = sorted(alone, key=lambda task: FORMAT_NAMES.index(BY_OUTPUT[task.outputs[0]].name))
    return heavy_first + together


# --------------------------------------------------------------------------- running


def run(tasks: list[Task], project: Path, outputs: Path, options: Options, jobs: int) -> Iterator[TaskResult]:
    """Build the tasks, yielding each result as it lands (in parallel when jobs > 1).

    A worker that dies (a native crash in a renderer) fails its own document only: the documents it
    took down with it are built again, one at a time until the one that crashes is found.
    """
    if jobs <= 1 or len(tasks) <= 1:
        _process_temporary_folder()
        for task in tasks:
            yield build_task(task, project, outputs, options)
        return
    workers, remaining = min(jobs, len(tasks)), list(tasks)
    with _workers_temporary_folder() as folder:
        while remaining:
            failed = yield from _in_pool(remaining, workers, folder, (project, outputs, options))
            if failed and workers == 1:  # one worker builds in order: the first task that failed crashed it
                yield TaskResult(failed[0], error=CRASHED)
                failed, workers = failed[1:], min(jobs, max(len(failed) - 1, 1))
            elif failed:
                workers = 1
            remaining = failed


CRASHED = "internal error: the renderer crashed on this document (nothing was replaced); the others were built"


def _in_pool(tasks: list[Task], workers: int, folder: str, arguments: tuple) -> Iterator[TaskResult]:
    """Yield the results of a pool of workers; return the tasks lost when a worker died, in order."""
    from concurrent.futures import ProcessPoolExecutor, as_completed  # not needed by a build with nothing to do
    from concurrent.futures.process import BrokenProcessPool

    lost: list[Task] = []
    with ProcessPoolExecutor(workers, initializer=_private_temp, initargs=(folder,)) as pool:
        futures = {pool.submit(build_task, task, *arguments): task for task in tasks}
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except BrokenProcessPool:
                    lost.append(futures[future])
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return sorted(lost, key=tasks.index)


@contextlib.contextmanager
def _workers_temporary_folder() -> Iterator[str]:
    """A folder for the workers' temporary files, removed after the pool stops: a worker exits without
    running the clean-up of WeasyPrint's font folders (``weasyprint-*``)."""
    folder = tempfile.mkdtemp(prefix="lessonkit-build-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _process_temporary_folder() -> None:
    """A build in this process keeps its renderers until the process ends (``watch`` reuses them), and
    WeasyPrint's clean-up of its font folders does not run at exit: its temporary files go into one
    folder of this process, removed at exit."""
    global _PROCESS_TEMPORARY
    if _PROCESS_TEMPORARY is None:
        _PROCESS_TEMPORARY = tempfile.mkdtemp(prefix="lessonkit-")
        atexit.register(shutil.rmtree, _PROCESS_TEMPORARY, ignore_errors=True)
        tempfile.tempdir = _PROCESS_TEMPORARY


_PROCESS_TEMPORARY: str | None = None


def _private_temp(parent: str) -> None:
    """In each worker: every temporary file and folder goes into a folder of its own under ``parent``."""
    folder = tempfile.mkdtemp(prefix="worker-", dir=parent)
    tempfile.tempdir = folder
    os.environ["TMPDIR"] = folder


# A document renders in seconds; far longer means a hostile input or a renderer bug, not patience.
RENDER_TIME_LIMIT = 300.0


class TooSlow(Exception):
    """Rendering one document took longer than ``RENDER_TIME_LIMIT``."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TooSlow`` in the block after ``seconds`` (a timer signal: main thread, POSIX only; a
    native call that never returns is not interrupted, and is left to the caller)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def too_slow(_number, _frame):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_RENDERERS: dict[tuple[str, tuple], object] = {}


def _renderer(kind: str):
    """One renderer of each kind per process, so fonts, images and the template are loaded once,
    and made anew when a layout file changed (``watch`` runs many builds in one process)."""
    from .layouts import version

    key = (kind, version())
    if key not in _RENDERERS:
        for stale in [cached for cached in _RENDERERS if cached[0] == kind]:
            del _RENDERERS[stale]
        _RENDERERS[key] = FORMATS[kind].load()
    return _RENDERERS[key]


def task_formats(task: Task) -> list[Format]:
    """The formats a task builds, in the registry's order."""
    return [fmt for fmt in FORMATS.values() if any(name in task.outputs for name in fmt.outputs)]


def build_task(task: Task, project: Path, outputs: Path, options: Options) -> TaskResult:
    from .errors import RenderError, SourceError
    from .loader import load_document
    from .prepare import prepare
    from .sources import SourceFile, Sources

    result = TaskResult(task)
    sources = Sources(project / "sources")
    try:
        document = load_document(sources, SourceFile("lesson", task.lesson, task.language, task.source))
    except SourceError as error:
        result.problems = [str(problem) for problem in error.problems]
        return result
    except Exception as error:  # a bug of ours with this document: the others still build
        result.error = f"internal error: {type(error).__name__}: {error}"
        return result
    result.source_warnings = [str(warning) for warning in document.warnings]
    try:
        ready = prepare(document, options)
        steps = []
        with time_limit(RENDER_TIME_LIMIT):
            for fmt in task_formats(task):
                builder = globals()[fmt.builder]  # looked up now: tests replace a builder
                steps.append(builder(ready, outputs, _renderer(fmt.name)))
    except RenderError as error:
        result.error = str(error)
        return result
    except TooSlow:
        result.error = (
            f"rendering {task.lesson} ({task.language}) took longer than {RENDER_TIME_LIMIT:g} s and was stopped; "
            "is a picture or a list very large? (nothing was replaced)"
        )
        return result
    except Exception as error:
        result.error = f"internal error: {type(error).__name__}: {error}"
        return result
    for step in steps:
        result.built += step.built
        # the renderer's own remarks (e.g. a CSS property it ignores) are shown with --verbose only
        result.warnings += [w for w in step.warnings if not w.startswith("WeasyPrint: ")]
        result.renderer_warnings += [w for w in step.warnings if w.startswith("WeasyPrint: ")]
        result.error = result.error or step.error
    result.inputs = document_inputs(document, project)
    return result


def document_inputs(document, project: Path) -> list[Path]:
    """Every file an output of this document depends on: sources, originals, the images they name
    (found as ``confine.asset_path`` finds them, so a folder leading out of the lesson is never
    walked or hashed), layouts and lessonkit's code."""
    from .confine import asset_path

    files = []
    for source in (document.lesson, *document.readings):
        folder = document.folder_of(source)
        files.append(folder / f"{source.language}.yaml")
        if source.translated_from:
            files.append(folder / f"{source.translated_from}.yaml")
        images = (asset_path(folder, figure.image) for figure in _figures(source) if figure.image)
        files += [image for image in images if image is not None]
    return files + layout_files(LAYOUTS) + code_files()


def _figures(source) -> list:
    return [figure for _, figure in source.located_figures()]


# --------------------------------------------------------------------------- one document


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed onto it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix + ".part", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build_pdfs(document: prepared.PreparedDocument, outputs: Path, renderer) -> DocumentResult:
    """The worksheet and the answer key of one prepared document."""
    result, started = DocumentResult(), time.perf_counter()
    if rendered := _rendered(renderer, document, result):
        files = ((WORKSHEET, rendered.worksheet), (ANSWER_KEY, rendered.answer_key))
        for name, laid_out in files:
            write = partial(renderer.write, laid_out)
            started = _write(result, _folder(outputs, document) / name, len(laid_out.pages), started, write)
    return result


def build_deck(document: prepared.PreparedDocument, outputs: Path, renderer) -> DocumentResult:
    """The slide deck of one prepared document."""
    result, started = DocumentResult(), time.perf_counter()
    if deck := _rendered(renderer, document, result):
        write = partial(renderer.write, deck.presentation)
        _write(result, _folder(outputs, document) / SLIDES, deck.slides, started, write)
    return result


def build_files(document: prepared.PreparedDocument, outputs: Path, renderer) -> DocumentResult:
    """The outputs of a renderer that gives its files as bytes (DOCX, HTML, Moodle XML)."""
    result, started = DocumentResult(), time.perf_counter()
    if rendered := _rendered(renderer, document, result):
        for name, count, data in rendered.files:
            write = partial(_write_bytes, data)
            started = _write(result, _folder(outputs, document) / name, count, started, write)
    return result


def _rendered(renderer, document: prepared.PreparedDocument, result: DocumentResult):
    """What the renderer made of the document, its warnings recorded; None, and the error recorded,
    when it could not (nothing is written then)."""
    from .errors import RenderError

    try:
        rendered = renderer.render(document)
    except RenderError as error:
        result.error = str(error)
        return None
    result.warnings += rendered.warnings
    return rendered


def _write_bytes(data: bytes, path: Path) -> None:
    path.write_bytes(data)


def _folder(outputs: Path, document: prepared.PreparedDocument) -> Path:
    return output_folder(outputs, document.id, document.language)


def _write(result: DocumentResult, target: Path, pages, started: float, write: Callable[[Path], None]) -> float:
    """Write one output atomically and record it; the time it was done (the next output's start)."""
    with atomic_output(target) as temporary:
        write(temporary)
    done = time.perf_counter()
    result.built.append(Built(target, pages, done - started))
    return done
