"""The library: every lesson and language with its state, a download button for each output, a Build button.

The state of an edition is read, never built: its problems come from lessonkit's own check (cached by the
size and time of every file it may read, so 30 lessons load fast), its translation progress from the same
count as ``lessonkit status``, and whether its outputs are up to date from the build manifest, compared
digest by digest as ``lessonkit build`` decides.

*Build* runs the real build engine, ``python -m lessonkit build <source>``, in a process of its own: the
server stays responsive, a renderer that crashes takes only that process down, and a closed tab leaves the
build to finish. The page asks how it is going (``GET /api/build/…``) and shows it in plain words. *Stop*
(``POST /api/build/…/stop``) ends it as Ctrl-C would: the files it made are whole, the others unchanged.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ...errors import Problem, SourceError
from ...formats import FORMATS
from ...sources import SourceFile, Sources, is_id, is_language
from ..pages import page, project_of
from ..paths import KINDS, download_name, not_found, output_path

# What each output is, in a teacher's words: the button says this, the file keeps its unique name.
OUTPUT_WORDS = {
    "worksheet.pdf": "Worksheet (PDF)",
    "answer-key.pdf": "Answer key (PDF)",
    "slides.pptx": "Slides (PowerPoint)",
    "worksheet.docx": "Worksheet (Word)",
    "answer-key.docx": "Answer key (Word)",
    "handout.html": "Handout (web page)",
    "handout-key.html": "Handout with answers (web page)",
    "quiz.moodle.xml": "Quiz for Moodle",
}
OUTPUT_NAMES = tuple(name for format_ in FORMATS.values() for name in format_.outputs)
CHECK_BUDGET = 1.5  # seconds a library page spends checking; the editions left are checked in the background
SHOWN_PROBLEMS = 3  # the first few problems of an edition on the library page; the edit page lists them all
# Translations offered in “Translate to…”: every language lessonkit has labels for, and common regional forms.
REGIONAL = ("de-CH", "fr-CH", "it-CH", "en-GB", "en-US")


# --------------------------------------------------------------------------- what the page shows


@dataclass(frozen=True)
class Output:
    name: str  # worksheet.pdf
    download: str  # digital-labor_fr_worksheet.pdf
    exists: bool
    current: bool = False  # built from the sources and layouts as they are now
    words: str = ""


@dataclass(frozen=True)
class ShownProblem:
    where: str  # "line 12" or "fr.yaml, line 12" when it is in another file
    field: str  # in plain words: "activity › question 2 › lines"
    message: str
    edit: str | None  # the edit page at that line, when the file can be edited here


@dataclass(frozen=True)
class Translation:
    original: str  # its language
    total: int
    counts: dict[str, int]

    @property
    def done(self) -> int:
        return self.counts.get("translated", 0)

    @property
    def left(self) -> list[tuple[int, str]]:
        """What is left to do, counted and named as the translation page and ``lessonkit status`` do."""
        from ...translation import STATE_NAMES, STATES

        return [
            (self.counts[state], STATE_NAMES[state])
            for state in STATES
            if state != "translated" and self.counts.get(state)
        ]


@dataclass(frozen=True)
class Edition:
    lesson: str
    language: str
    source: Path
    outputs: tuple[Output, ...]
    title: str = ""
    problems: tuple[ShownProblem, ...] = ()
    problem_count: int = 0
    warning_count: int = 0
    translation: Translation | None = None
    translated_from: str | None = None
    checking: bool = False  # not checked yet: the page says so, and asks again

    @property
    def editable(self) -> bool:
        """A ``.yml`` file is reported (rename it), never opened or built: it is not read as a source."""
        return self.source.suffix == ".yaml"

    @property
    def built(self) -> int:
        return sum(output.exists for output in self.outputs)

    @property
    def stale(self) -> int:
        return sum(not output.current for output in self.outputs)

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def translated_from_name(self) -> str:
        return language_name(self.translated_from) if self.translated_from else ""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    editions: tuple[Edition, ...]
    original: str | None  # the language the others are translated from
    can_translate_to: tuple[tuple[str, str], ...]  # (code, name)


def language_name(code: str) -> str:
    """“French”, “German (Switzerland)”: what a teacher calls a language code."""
    try:
        from babel import Locale

        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except Exception:  # an unknown code: show it as it is
        return code


def language_choices(exclude: set[str] = frozenset()) -> tuple[tuple[str, str], ...]:
    from ...i18n import catalog_languages

    codes = sorted({*catalog_languages(), *REGIONAL} - set(exclude), key=lambda c: (language_name(c), c))
    return tuple((code, language_name(code)) for code in codes)


def editions(sources: Path, outputs: Path, project: Path | None = None) -> list[Edition]:
    """Every lesson edition under ``sources/`` with its problems, translation progress and outputs."""
    from ...build import Options
    from ...manifest import Manifest

    project = project or sources.parent
    manifest = Manifest(outputs, project)
    options = Options()
    found = []
    every = Sources(sources)
    started = time.monotonic()
    for source in every.lessons():
        if source.path.suffix != ".yaml" and any(
            other.id == source.id and other.language == source.language and other.path.suffix == ".yaml"
            for other in every.lessons()
        ):
            continue
        state = CHECKS.cached(every, source)
        checking = False
        if state is None and time.monotonic() - started < CHECK_BUDGET:
            state = CHECKS.state(every, source)
        elif state is None:  # the page is shown now; the rest is checked meanwhile
            CHECKS.later(every, source)
            state, checking = _unchecked(source), True
        folder = outputs / source.id / source.language
        built = tuple(
            Output(
                name,
                download_name(source.id, source.language, name),
                (folder / name).is_file(),
                _is_current(manifest, folder / name, options.for_output(name)),
                OUTPUT_WORDS.get(name, name),
            )
            for name in OUTPUT_NAMES
        )
        found.append(
            Edition(
                source.id,
                source.language,
                source.path,
                built,
                state.title,
                tuple(_shown(p, source, sources) for p in state.problems[:SHOWN_PROBLEMS]),
                len(state.problems),
                len(state.warnings),
                state.translation,
                state.translated_from,
                checking,
            )
        )
    return found


TITLE = re.compile(r"^title:[ \t]*(?P<title>.+?)[ \t]*$", re.MULTILINE)
FROM = re.compile(r"^translated_from:[ \t]*(?P<language>[A-Za-z-]+)[ \t]*$", re.MULTILINE)


def _unchecked(source: SourceFile) -> State:
    """What the page can say of an edition not checked yet: its title and original, read at a glance."""
    try:
        text = source.path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        text = ""
    title, original = TITLE.search(text), FROM.search(text)
    return State(
        title.group("title").strip("'\"") if title else "",
        (),
        (),
        None,
        original.group("language") if original else None,
    )


def lessons(found: list[Edition]) -> list[Lesson]:
    """The editions grouped by lesson, the original first."""
    grouped: dict[str, list[Edition]] = {}
    for edition in found:
        grouped.setdefault(edition.lesson, []).append(edition)
    result = []
    for lesson_id, group in grouped.items():
        translated_from = {e.translated_from for e in group}
        originals = [e for e in group if e.translated_from is None]
        originals.sort(key=lambda e: (e.language not in translated_from, e.language))  # the one translated first
        group.sort(key=lambda e: (e.translated_from is not None, e.language))
        original = originals[0] if originals else None
        title = next((e.title for e in [*originals, *group] if e.title), lesson_id)
        existing = {e.language for e in group}
        result.append(
            Lesson(
                lesson_id,
                title,
                tuple(group),
                original.language if original else None,
                language_choices(existing) if original else (),
            )
        )
    return sorted(result, key=lambda lesson: lesson.title.casefold())


def _is_current(manifest, output: Path, default_options: dict) -> bool:
    """Whether ``output`` is current with its sources, for the options it was built with: a sheet built on
    Letter paper (``lessonkit build --paper letter``) is up to date until a source changes, not out of date."""
    if not output.is_file():
        return False
    return manifest.is_current(output, manifest.options_of(output) or default_options)


def _shown(problem: Problem, source: SourceFile, sources: Path) -> ShownProblem:
    place = source_of(problem.path, sources)
    same = problem.path == source.path
    where = f"line {problem.line}" if same else f"{_short(problem.path, sources)}, line {problem.line}"
    edit = None
    if place is not None:
        kind, document_id, language = place
        edit = f"/edit/{kind}/{document_id}/{language}?line={problem.line}"
    return ShownProblem(where, plain_field(problem.field), problem.message, edit)


def _short(path: Path, sources: Path) -> str:
    try:
        return str(path.relative_to(sources))
    except ValueError:
        return path.name


def source_of(path: Path, sources: Path) -> tuple[str, str, str] | None:
    """(kind, id, language) of a source file, when it is one the edit page can open."""
    try:
        folder, document_id, name = path.relative_to(sources).parts
    except ValueError:
        return None
    kinds = {folder_name: kind for kind, folder_name in KINDS.items()}
    language = name.removesuffix(".yaml")
    if folder not in kinds or not name.endswith(".yaml") or not is_id(document_id) or not is_language(language):
        return None
    return kinds[folder], document_id, language


def plain_field(dotted: str) -> str:
    """``activity.questions.2.lines`` → ``activity › question 2 › lines``: the field as a teacher reads it."""
    if not dotted:
        return ""
    words: list[str] = []
    for part in dotted.split("."):
        if part.isdigit() and words:
            previous = words.pop()
            words.append(f"{previous[:-1] if previous.endswith('s') else previous} {part}")
        else:
            words.append(part.replace("_", " "))
    return " › ".join(words)


# --------------------------------------------------------------------------- checking, cached


@dataclass(frozen=True)
class State:
    title: str
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    translation: Translation | None
    translated_from: str | None


class Checks:
    """lessonkit's check of each edition, kept while none of the files it may read has changed.

    A lesson reads its own folder (its file, its original, its assets, its translation record) and the
    readings: their sizes and modification times are the key. Safe from several threads.
    """

    def __init__(self):
        self._cache: dict[Path, tuple[tuple, State]] = {}
        self._lock = threading.Lock()
        self._waiting: dict[Path, tuple[Sources, SourceFile]] = {}  # to check in the background
        self._worker: threading.Thread | None = None
        self._busy = False

    def state(self, sources: Sources, source: SourceFile) -> State:
        state = self.cached(sources, source)
        if state is not None:
            return state
        key = _signature(sources, source)
        state = _check(sources, source)
        with self._lock:
            self._cache[source.path] = (key, state)
        return state

    def cached(self, sources: Sources, source: SourceFile) -> State | None:
        """The state checked before, if none of the files it read changed since; None otherwise."""
        with self._lock:
            cached = self._cache.get(source.path)
        if cached is not None and cached[0] == _signature(sources, source):
            return cached[1]
        return None

    def later(self, sources: Sources, source: SourceFile) -> None:
        """Check this edition in the background (one thread, one edition at a time)."""
        with self._lock:
            self._waiting[source.path] = (sources, source)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, daemon=True, name="lessonkit checks")
                self._worker.start()

    def pending(self) -> int:
        with self._lock:
            return len(self._waiting) + (1 if self._busy else 0)

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._waiting:
                    self._worker = None
                    return
                path = next(iter(self._waiting))
                sources, source = self._waiting.pop(path)
                self._busy = True
            try:
                self.state(sources, source)
            except Exception:  # _check says what is wrong itself; a file removed meanwhile is simply skipped
                pass
            finally:
                with self._lock:
                    self._busy = False


def _signature(sources: Sources, source: SourceFile) -> tuple:
    stats = []
    for folder in (source.path.parent, sources.root / "readings"):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            try:
                stat = path.lstat()
            except OSError:
                continue
            stats.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stats)


def _check(sources: Sources, source: SourceFile) -> State:
    from ...loader import check_all, translation_states
    from ...yamlsafe import read_source

    try:
        data = read_source(source.path)[0]
        title = data.get("title") if isinstance(data.get("title"), str) else ""
        translated_from = data.get("translated_from") if isinstance(data.get("translated_from"), str) else None
    except (SourceError, OSError, ValueError):  # not YAML yet: its title and original, read at a glance
        glance = _unchecked(source)
        title, translated_from = glance.title, glance.translated_from
    try:
        warnings: list[Problem] = []
        problems = check_all(sources, [source], warnings)
    except Exception as error:  # a bug of ours must not hide the library: say it as a problem of this file
        problems, warnings = [Problem(source.path, 1, 1, "", f"lessonkit could not check it ({error})")], []
    translation = None
    if translated_from:
        translation = _translation(sources, source, translated_from, translation_states)
    return State(title, tuple(problems), tuple(warnings), translation, translated_from)


def _translation(sources: Sources, source: SourceFile, original: str, translation_states) -> Translation | None:
    """How far the translation is, counted as ``lessonkit status`` does: the lesson file and its readings."""
    from ...yamlsafe import read_source

    files = [source.path]
    try:
        readings = read_source(source.path)[0].get("readings") or []
    except (SourceError, OSError):
        readings = []
    if isinstance(readings, list):
        files += [sources.reading_path(r, source.language) for r in readings if is_id(r)]
    counts: dict[str, int] = {}
    total = 0
    for path in files:
        try:
            states = translation_states(path) if path.is_file() else None
        except (SourceError, OSError, ValueError):
            continue
        if states is None:
            continue
        for state in states[1]:
            counts[state.state] = counts.get(state.state, 0) + 1
            total += 1
    return Translation(original, total, counts)


CHECKS = Checks()


# --------------------------------------------------------------------------- building


@dataclass
class Build:
    """One run of the build engine for one edition, as the page sees it."""

    lesson: str
    language: str
    state: str = "running"  # running, done, failed, stopped
    made: list[str] = field(default_factory=list)  # output names, as they land
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    waiting: bool = False
    message: str = "Building…"
    started: float = field(default_factory=time.monotonic)
    stopping: bool = False  # the teacher pressed Stop
    process: subprocess.Popen | None = field(default=None, repr=False)

    def as_json(self) -> dict:
        return {
            "lesson": self.lesson,
            "language": self.language,
            "state": self.state,
            "message": self.message,
            "made": [OUTPUT_WORDS.get(name, name) for name in self.made],
            "problems": self.problems[:20],
            "warnings": self.warnings[:20],
            "waiting": self.waiting,
        }


class Builds:
    """The builds this server started, one at a time per edition."""

    def __init__(self):
        self._builds: dict[tuple[str, str], Build] = {}
        self._lock = threading.Lock()

    def get(self, lesson: str, language: str) -> Build | None:
        with self._lock:
            return self._builds.get((lesson, language))

    def start(self, project, source: Path, lesson: str, language: str) -> Build:
        with self._lock:
            running = self._builds.get((lesson, language))
            if running is not None and running.state == "running":
                return running
            build = self._builds[(lesson, language)] = Build(lesson, language)
        thread = threading.Thread(target=_run, args=(build, project, source), daemon=True, name=f"build {lesson}")
        thread.start()
        return build

    def stop(self, lesson: str, language: str) -> Build | None:
        """Stop a running build as Ctrl-C would: every file it made is whole, the others stay as they were."""
        build = self.get(lesson, language)
        if build is not None and build.state == "running" and not build.stopping:
            build.stopping, build.message = True, "Stopping…"
            _terminate(build.process)
        return build


def _terminate(process: subprocess.Popen | None) -> None:
    """SIGTERM, which ``lessonkit build`` takes as Ctrl-C, to the build and its worker processes: the build
    runs in a process group of its own, as a terminal's Ctrl-C reaches every process of a command
    (TerminateProcess on Windows)."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(OSError):  # it ended meanwhile
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()


PROGRESS = re.compile(r"^\s+\S*?([\w.-]+)(?:\s+\d+ \w+)?\s+\d+(?:\.\d+)? s$")
PROBLEM = re.compile(r"^(?P<file>\S+?\.ya?ml):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$")


def _run(build: Build, project, source: Path) -> None:
    """Run ``lessonkit build`` for one edition and follow its output; never raises."""
    command = [
        sys.executable,
        "-m",
        "lessonkit",
        "--root",
        str(project.root),
        "build",
        str(source),
        "--out",
        str(project.outputs),
    ]
    try:
        process = subprocess.Popen(
            command,
            cwd=project.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=hasattr(os, "killpg"),  # a group of its own, for Stop (see _terminate)
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert process.stdout is not None
        build.process = process
        if build.stopping:  # Stop was pressed while the process started
            _terminate(process)
        other: list[str] = []
        for line in process.stdout:
            _follow(build, line.rstrip("\n"), other)
        code = process.wait()
    except Exception as error:  # could not even start: say so, the server goes on
        build.state, build.message = "failed", f"The build could not start ({error})."
        return
    build.waiting, build.process = False, None
    if build.stopping and code != 0:
        build.state = "stopped"
        build.message = "Stopped. The files it had made are whole; the others are as they were."
    elif code == 0:
        build.state = "done"
        build.message = (
            f"Done: {len(build.made)} file(s) made." if build.made else "Done: every file was already up to date."
        )
    elif build.problems:
        build.state = "failed"
        build.message = "The build stopped: the lesson has mistakes. Fix them on the edit page, then build again."
    else:
        build.state = "failed"
        build.problems += other[-5:]
        build.message = "The build failed. The files built before are unchanged."


def _follow(build: Build, line: str, other: list[str]) -> None:
    text = line.strip()
    if not text:
        return
    if text.startswith("Another build is writing"):
        build.waiting, build.message = True, "Waiting for another build to finish…"
        return
    if (match := PROGRESS.match(line)) and match.group(1) in OUTPUT_WORDS:
        build.waiting = False
        build.made.append(match.group(1))
        build.message = f"Building… {len(build.made)} file(s) made so far."
        return
    if match := PROBLEM.match(text):
        rest = match.group("rest")
        words = f"{Path(match.group('file')).name}, line {match.group('line')}: {rest}"
        (build.warnings if rest.startswith("warning:") or ": warning:" in rest else build.problems).append(words)
        return
    if ": warning:" in text or text.startswith("lessonkit: warning"):
        build.warnings.append(text.split("warning: ", 1)[-1])
        return
    if ": error:" in text:
        build.problems.append(text.split(": error: ", 1)[-1])
        return
    summary = text.startswith(("failed:", "Nothing was built", "Everything is up to date")) or "output(s) built" in text
    if not summary:
        other.append(text)


def _builds(request: Request) -> Builds:
    state = request.app.state
    if not hasattr(state, "lessonkit_builds"):
        state.lessonkit_builds = Builds()
    return state.lessonkit_builds


# --------------------------------------------------------------------------- routes


async def library_page(request: Request) -> Response:
    project = project_of(request)
    found = await run_in_threadpool(editions, project.sources, project.outputs, project.root)
    has_translation_page = any(getattr(route, "path", "").startswith("/translate/") for route in request.app.routes)
    return page(
        request,
        "library.html.j2",
        title="Your lessons",
        lessons=lessons(found),
        languages=language_choices(),
        translation_page=has_translation_page,
        scripts=["app.js", "library.js"],
    )


async def download(request: Request) -> Response:
    """One built output, under a name that says which lesson and language it is."""
    lesson, language, name = (request.path_params[key] for key in ("lesson", "language", "name"))
    path = output_path(project_of(request).outputs, lesson, language, name)
    if not path.is_file():
        raise not_found("This output has not been built yet.")
    return FileResponse(path, filename=download_name(lesson, language, name))


def _edition_source(request: Request) -> SourceFile:
    lesson, language = request.path_params["lesson"], request.path_params["language"]
    if not is_id(lesson) or not is_language(language):
        raise not_found()
    project = project_of(request)
    path = project.sources / "lessons" / lesson / f"{language}.yaml"
    if not path.is_file():
        raise not_found()
    return SourceFile("lesson", lesson, language, path)


async def start_build(request: Request) -> Response:
    """Build one edition. A source with mistakes is refused at once, in plain words; the rest runs apart."""
    source = _edition_source(request)
    project = project_of(request)
    state = await run_in_threadpool(CHECKS.state, Sources(project.sources), source)
    if state.problems:
        count = len(state.problems)
        first = _shown(state.problems[0], source, project.sources)
        return JSONResponse(
            {
                "error": f"This lesson has {count} mistake{'s' if count > 1 else ''} to fix before it can be built. "
                f"The first one, {first.where}: {first.message}",
                "state": "failed",
            },
            status_code=400,
        )
    build = _builds(request).start(project, source.path, source.id, source.language)
    return JSONResponse(build.as_json(), status_code=202)


async def stop_build(request: Request) -> Response:
    """Stop this edition's running build (nothing happens to a build that has ended)."""
    source = _edition_source(request)
    return _build_state(_builds(request).stop(source.id, source.language))


async def checking(request: Request) -> Response:
    """How many editions are still being checked in the background (the library reloads at 0)."""
    return JSONResponse({"pending": CHECKS.pending()})


async def build_status(request: Request) -> Response:
    source = _edition_source(request)
    return _build_state(_builds(request).get(source.id, source.language))


def _build_state(build: Build | None) -> Response:
    """A build as the page reads it; state ``none`` for an edition this server has not built."""
    return JSONResponse(build.as_json() if build is not None else {"state": "none", "message": ""})


routes = [
    Route("/", library_page, name="library"),
    Route("/download/{lesson}/{language}/{name}", download, name="download"),
    Route("/api/library/checking", checking, name="library_checking"),
    Route("/api/build/{lesson}/{language}", start_build, methods=["POST"], name="build"),
    Route("/api/build/{lesson}/{language}", build_status, methods=["GET"], name="build_status"),
    Route("/api/build/{lesson}/{language}/stop", stop_build, methods=["POST"], name="stop_build"),
]
