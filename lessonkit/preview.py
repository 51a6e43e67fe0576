"""Previews of a lesson edition as images, for the browser app: drawn by one warm worker process.

The web app asks for a preview after each save and shows what is ready. It knows nothing of how a
preview is drawn; this module knows nothing of HTTP.

API::

    with Previewer(project, project / "outputs" / ".preview") as previewer:
        previewer.request("digital-labor", "fr")      # returns at once; repeated requests coalesce
        preview = previewer.wait("digital-labor", "fr", newer_than=0, timeout=30)
        preview.worksheet                              # (Path, …): one PNG per page
        previewer.current("digital-labor", "fr")       # the latest Preview, at once (None: never requested)

``Preview`` (frozen): ``lesson``, ``language``; ``version``, +1 on each successful refresh of the
edition; ``stale``, True while the source has errors or a drawing failed, the images being the last
good ones; ``problems``, why it is stale in the teacher's words (``sources/lessons/x/fr.yaml:12:3:
field: message``), empty when fresh; ``worksheet``, ``answer_key`` and ``slides``, PNG files in page
order; ``outline``, a ``SlideOutline`` (``number``, ``title``, ``lines``, ``kind``) per slide of the
deck plan, the slides' text even without LibreOffice; ``busy``, True while a refresh is queued or running.

A refresh draws, in this order: the worksheet (the version goes up then: the images the teacher is
editing against come first), the answer key, the outline, then the slides (through LibreOffice, when
``soffice`` is installed). While ``busy``, the fields of the new version that are not drawn yet are
empty. A new request for the edition being drawn drops the rest of that refresh and starts again
from the saved source (the latest source wins); requests for other editions wait their turn.

``wait(lesson, language, newer_than, timeout, settled=False)`` returns the preview once its version is
above ``newer_than`` (its worksheet is drawn), or once a refresh failed and none is pending (``stale``
and not ``busy``); with ``settled=True``, only when nothing is pending any more either; None after
``timeout`` seconds. ``close()`` (or leaving the ``with`` block) ends the worker and LibreOffice.

Files: ``folder/<lesson>/<language>/<version>/worksheet-01.png``, ``answer-key-01.png``,
``slide-01.png``…, each written beside its place and renamed into it, so a browser never reads half
a picture. The current and the previous version are kept (a page may still be loading the previous
one); older ones are removed. Versions carry on from the numbers already in the folder, so a
browser's cache never shows a picture of an earlier session. The worker's temporary files (fonts,
LibreOffice's profile) live in ``folder/.work-*``, removed by ``close()``; nothing is written
outside ``folder``. A lesson id or language that is not one (``../x``) raises ``ValueError`` before
any path is made.

Robustness: a worker that crashes, or says nothing for ``time_limit`` seconds (a hang), is killed with
its LibreOffice and started again; the edition it was drawing is marked stale, and the next request
is drawn as usual. The caller is never taken down: every failure becomes a stale preview.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

from . import preview_worker
from .sources import is_id, is_language

TIME_LIMIT = preview_worker.SOFFICE_TIME_LIMIT + 30.0  # seconds without a word from the worker: it hangs
CRASHED = "the preview stopped unexpectedly while drawing this lesson; save again to retry"
HUNG = "drawing the preview took longer than {limit:g} s and was stopped; save again to retry"
NO_WORKER = "the preview could not start: {why}"


@dataclass(frozen=True)
class SlideOutline:
    number: int
    title: str
    lines: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class Preview:
    lesson: str
    language: str
    version: int = 0
    stale: bool = False
    problems: tuple[str, ...] = ()
    worksheet: tuple[Path, ...] = ()
    answer_key: tuple[Path, ...] = ()
    slides: tuple[Path, ...] = ()
    outline: tuple[SlideOutline, ...] = ()
    busy: bool = False


class _Edition:
    """What the Previewer knows of one edition: its last preview, and whether a refresh is pending."""

    def __init__(self, lesson: str, language: str, folder: Path):
        self.folder = folder
        versions = [int(path.name) for path in folder.glob("*") if path.name.isdecimal()] if folder.is_dir() else []
        self.preview = Preview(lesson, language, version=max(versions, default=0))
        self.requested = False  # requested at least once
        self.queued = self.running = self.again = False

    def busy(self) -> bool:
        return self.queued or self.running or self.again


class Previewer:
    """One warm worker drawing previews of lesson editions; see the module's description."""

    def __init__(self, project: Path, folder: Path, time_limit: float = TIME_LIMIT):
        self.project, self.folder = Path(project).resolve(), Path(folder).resolve()
        self.time_limit = time_limit
        self.folder.mkdir(parents=True, exist_ok=True)
        self._scratch = Path(tempfile.mkdtemp(prefix=".work-", dir=self.folder))
        self._condition = threading.Condition()
        self._editions: dict[tuple[str, str], _Edition] = {}
        self._queue: list[tuple[str, str]] = []
        self._closed = False
        self._process: subprocess.Popen | None = None
        self._jobs = self._connection = None  # multiprocessing Connections over two pipes
        self._drawing = False  # a job was sent to the worker and has not ended
        self._soffice: int | None = None  # LibreOffice's process group while the worker runs it
        self._thread = threading.Thread(target=self._serve, name="lessonkit-preview", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ the caller's side

    def request(self, lesson: str, language: str) -> None:
        """Refresh the edition's preview from its saved source, soon; returns at once."""
        key = _checked(lesson, language)
        with self._condition:
            if self._closed:
                raise RuntimeError("the previewer is closed")
            edition = self._edition(key)
            edition.requested = True
            if edition.running:
                edition.again = True
                self._signal(signal.SIGUSR1)  # the source changed again: what is being drawn is out of date
            elif not edition.queued:
                edition.queued = True
                self._queue.append(key)
            self._condition.notify_all()

    def current(self, lesson: str, language: str) -> Preview | None:
        """The edition's latest preview; None if it was never requested."""
        key = _checked(lesson, language)
        with self._condition:
            edition = self._editions.get(key)
            return replace(edition.preview, busy=edition.busy()) if edition and edition.requested else None

    def wait(
        self, lesson: str, language: str, newer_than: int, timeout: float, settled: bool = False
    ) -> Preview | None:
        """The preview once its version is above ``newer_than`` (or a refresh failed and none is
        pending); with ``settled``, once nothing is pending either. None after ``timeout`` seconds."""
        _checked(lesson, language)
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                preview = self.current(lesson, language)
                if preview is not None:
                    new = preview.version > newer_than or (preview.stale and not preview.busy)
                    if new and not (settled and preview.busy):
                        return preview
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    return None
                self._condition.wait(left)

    @property
    def worker_pid(self) -> int | None:
        """The worker's process id (for tests), None while none runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def close(self) -> None:
        """End the worker (and LibreOffice, if it runs) and remove the temporary files."""
        with self._condition:
            self._closed = True
            self._signal(signal.SIGUSR1)  # drop the job: the worker then reads "quit"
            self._condition.notify_all()
        self._thread.join()
        shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> Previewer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _edition(self, key: tuple[str, str]) -> _Edition:
        if key not in self._editions:
            self._editions[key] = _Edition(*key, self.folder / key[0] / key[1])
        return self._editions[key]

    # ------------------------------------------------------------------ the thread that drives the worker

    def _serve(self) -> None:
        try:
            self._start()
            while True:
                with self._condition:
                    while not self._queue and not self._closed:
                        self._condition.wait(1.0)
                        if self._process is not None and self._process.poll() is not None:
                            break  # killed while idle: started again at once, to stay warm
                    if self._closed:
                        return
                    key = self._queue.pop(0) if self._queue else None
                    if key:
                        edition = self._editions[key]
                        edition.queued, edition.running, edition.again = False, True, False
                if self._process is None or self._process.poll() is not None:
                    self._end_worker()
                    problem = self._start()
                    if problem and key:
                        self._finish(key, ("failed", NO_WORKER.format(why=problem)))
                        continue
                if key:
                    last = self._job(key)
                    self._finish(key, last)
                    if last[0] in ("crashed", "hung") and not self._closed:
                        self._start()  # at once, to stay warm for the next request
        finally:
            self._end_worker(politely=True)

    def _start(self) -> str | None:
        """A new worker, ready; why it could not start, or None. A fresh interpreter, not a fork (the server
        has threads) nor multiprocessing's spawn (which runs the caller's main module again)."""
        jobs_in, jobs_out = os.pipe()
        messages_in, messages_out = os.pipe()
        package = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (package, os.environ.get("PYTHONPATH")) if p)
        command = [sys.executable, "-m", "lessonkit.preview_worker", str(self.project), str(self._scratch)]
        try:
            process = subprocess.Popen(
                [*command, str(jobs_in), str(messages_out)],
                pass_fds=(jobs_in, messages_out),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"},  # no .pyc beside the code
            )
        except OSError as error:  # no processes left, no memory
            for fd in (jobs_out, messages_in):
                os.close(fd)
            return f"{type(error).__name__}: {error}"
        finally:
            os.close(jobs_in)
            os.close(messages_out)
        with self._condition:
            self._process = process
        self._jobs, self._connection = Connection(jobs_out, readable=False), Connection(messages_in, writable=False)
        message = self._receive()
        if message[0] != "ready":
            self._end_worker()
            return "the worker did not start"
        return None

    def _signal(self, number: int) -> None:
        """Signal the worker while it draws a job (called with the condition held)."""
        if self._drawing and self._process is not None and self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.send_signal(number)

    def _job(self, key: tuple[str, str]) -> tuple:
        """Have the worker draw one edition, publishing each part as it lands; the job's last message.
        A worker found dead before it took the job (killed while idle) is replaced, and the job sent again."""
        edition = self._editions[key]
        version = edition.preview.version + 1
        target = edition.folder / str(version)
        shutil.rmtree(target, ignore_errors=True)  # what a job that failed or crashed left there
        target.mkdir(parents=True)
        last = self._attempt(key, target, version)
        if last[0] == "lost" and not self._closed:
            self._end_worker()
            problem = self._start()
            last = ("failed", NO_WORKER.format(why=problem)) if problem else self._attempt(key, target, version)
        return ("crashed",) if last[0] == "lost" else last

    def _attempt(self, key: tuple[str, str], target: Path, version: int) -> tuple:
        edition, parts = self._editions[key], {}
        try:
            self._jobs.send(("refresh", *key, str(target)))
        except (OSError, ValueError):
            return ("lost",)
        with self._condition:
            self._drawing = True
        started = False
        while True:
            message = self._receive()
            kind = message[0]
            if kind == "started":
                started = True
                continue
            if kind == "crashed" and not started:
                return ("lost",)
            if kind == "soffice":
                self._soffice = message[1]
                continue
            if kind == "outline":
                parts[kind] = tuple(SlideOutline(n, title, tuple(lines), k) for n, title, lines, k in message[1])
            elif kind in ("worksheet", "answer_key", "slides"):
                parts[kind] = tuple(Path(path) for path in message[1] if Path(path).parent == target)
            else:
                return message
            with self._condition:
                if kind == "worksheet":  # the new version: the worksheet first, the rest as it lands
                    edition.preview = Preview(*key, version=version, worksheet=parts[kind])
                else:
                    edition.preview = replace(edition.preview, **{kind: parts[kind]})
                self._condition.notify_all()

    def _receive(self) -> tuple:
        """The worker's next message; ``("crashed",)`` if it died, ``("hung",)`` if it said nothing for
        ``time_limit`` seconds, ``("closed",)`` if the Previewer is closing."""
        deadline = time.monotonic() + self.time_limit
        while time.monotonic() < deadline:
            if self._closed:
                return ("closed",)
            try:
                if self._connection.poll(0.1):
                    return self._connection.recv()
            except (EOFError, OSError):
                return ("crashed",)
            if self._process.poll() is not None:
                return ("crashed",)
        return ("hung",)

    def _finish(self, key: tuple[str, str], last: tuple) -> None:
        """Record how a job ended, queue the edition again if it was asked for meanwhile, clean up."""
        kind = last[0]
        if kind in ("crashed", "hung") and not self._closed:
            self._end_worker()
        problems = {
            "problems": lambda: tuple(last[1]),
            "failed": lambda: (last[1],),
            "crashed": lambda: (CRASHED,),
            "hung": lambda: (HUNG.format(limit=self.time_limit),),
        }.get(kind)
        edition = self._editions[key]
        keep = {edition.preview.version, edition.preview.version - 1}  # only this thread changes versions
        for path in edition.folder.glob("*"):
            if path.name.isdecimal() and int(path.name) not in keep:
                shutil.rmtree(path, ignore_errors=True)
        with self._condition:
            if problems and not self._closed:
                edition.preview = replace(edition.preview, stale=True, problems=problems())
            edition.running = self._drawing = False
            if edition.again and not self._closed:
                edition.again, edition.queued = False, True
                self._queue.append(key)
            self._condition.notify_all()

    def _end_worker(self, politely: bool = False) -> None:
        """Stop the worker: asked to quit when ``politely``, else killed; and its LibreOffice."""
        with self._condition:
            process, self._process = self._process, None
        if process is not None:
            if politely and process.poll() is None:
                with contextlib.suppress(OSError, ValueError):
                    self._jobs.send(("quit",))
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(5.0)
            if process.poll() is None:
                process.kill()
            process.wait()
        for connection in (self._jobs, self._connection):
            if connection is not None:
                connection.close()
        self._jobs = self._connection = None
        if self._soffice is not None:
            preview_worker.end_group(self._soffice)
            self._soffice = None


def _checked(lesson: str, language: str) -> tuple[str, str]:
    """(lesson, language), or ValueError: they name folders, so only an id and a language tag will do."""
    if not is_id(lesson):
        raise ValueError(f"not a lesson id: {lesson!r}")
    if not is_language(language):
        raise ValueError(f"not a language: {language!r}")
    return lesson, language
