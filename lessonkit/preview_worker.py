"""The preview's worker process (see ``preview``): one lesson edition at a time, drawn as PNG images.

It imports WeasyPrint and makes its renderers once (``build``'s, so fonts, stylesheets and the slide
template are loaded once and reloaded only when a layout changes), then answers jobs from the
``Previewer`` over a pipe. For each job it sends ``("started",)``, then each part as soon as it is
ready:

- ``("worksheet", [png, …])``, then ``("answer_key", [png, …])``, then ``("outline", [(number, title,
  lines, kind), …])``, then ``("slides", [png, …])`` when LibreOffice is installed;
- and one last message: ``("done",)``, ``("problems", [text, …])`` (the source is wrong: nothing was
  drawn), ``("failed", text)`` (it could not be drawn) or ``("stopped",)`` (a newer request came).

``("soffice", pid)`` and ``("soffice", None)`` tell the ``Previewer`` which LibreOffice process group
to end should this worker die while it runs. Every PNG is written beside its place and renamed into it.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DPI = 84  # a side pane: an A4 page is 695 × 982 pixels
SLIDE_DPI = 60  # a 16:9 slide (13.33 × 7.5 in) is 800 × 450 pixels
SOFFICE_TIME_LIMIT = 90.0  # seconds for LibreOffice to turn a deck into a PDF
RENDER_TIME_LIMIT = 60.0  # seconds for one stage; the Previewer ends a worker silent for longer


def main(arguments: list[str]) -> None:
    """``python -m lessonkit.preview_worker PROJECT SCRATCH IN OUT``: jobs come on file descriptor IN,
    messages go out on OUT; SIGUSR1 asks it to drop the rest of the job. ``SCRATCH``: its own folder for
    temporary files (WeasyPrint's fonts, LibreOffice's profile, the deck)."""
    from multiprocessing.connection import Connection

    project, scratch = Path(arguments[0]), Path(arguments[1])
    jobs, messages = Connection(int(arguments[2]), writable=False), Connection(int(arguments[3]), readable=False)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the terminal stops the server, which ends us
    signal.signal(signal.SIGUSR1, _stop)
    (scratch / "tmp").mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(scratch / "tmp")
    os.environ["TMPDIR"] = tempfile.tempdir
    os.chdir(project)  # problems name their files from the project (“sources/lessons/…/fr.yaml:12:3: …”)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    worker = _Worker(project, scratch, messages)
    gc.collect()
    gc.freeze()  # what lives from now on (modules, renderers) is never scanned again: about 5 % less work a job
    messages.send(("ready", os.getpid()))
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):  # the Previewer is gone
            return
        if job[0] == "quit":
            return
        _, lesson, language, target = job
        messages.send(("started",))
        _Stop.asked = False  # a request that came before this job is older than the source it reads
        messages.send(worker.job(lesson, language, Path(target)))


class Stopped(BaseException):
    """Raised by SIGUSR1 inside ``interruptible()``: drawing an older source than the saved one is
    wasted time. A BaseException, so that no ``except Exception`` of a library swallows it."""


class _Stop:
    """Set by SIGUSR1: a newer request for the edition being drawn came."""

    asked = False
    interruptible = False  # the worker is computing (never while it sends: a message is never cut)


def _stop(_number, _frame) -> None:
    _Stop.asked = True
    if _Stop.interruptible:
        _Stop.interruptible = False
        raise Stopped


@contextlib.contextmanager
def interruptible():
    """A stretch of drawing that a newer request stops at once (the next save's sheet comes sooner)."""
    _Stop.interruptible = True
    try:
        if _Stop.asked:
            raise Stopped
        yield
    finally:
        _Stop.interruptible = False


class _Worker:
    def __init__(self, project: Path, scratch: Path, connection):
        import pypdfium2  # noqa: F401 (imported now: the first job is as fast as the next)

        from . import build

        self.project, self.scratch, self.connection = project, scratch, connection
        self.build = build
        self.pdf, self.deck = build._renderer("pdf"), build._renderer("pptx")
        self.soffice = shutil.which("soffice")

    def job(self, lesson: str, language: str, target: Path) -> tuple:
        """Draw one edition into ``target``; the job's last message."""
        from .errors import RenderError, SourceError
        from .loader import load_document
        from .prepare import prepare
        from .sources import SourceFile, Sources

        build = self.build
        source = SourceFile(
            "lesson", lesson, language, self.project / "sources" / "lessons" / lesson / f"{language}.yaml"
        )
        send = self.connection.send
        try:
            with build.time_limit(RENDER_TIME_LIMIT):
                with interruptible():
                    ready = prepare(load_document(Sources(self.project / "sources"), source), build.Options())
                    self.pdf, self.deck = build._renderer("pdf"), build._renderer("pptx")  # anew if a layout changed
                    sheet = self.pdf.layout_worksheet(ready)
                    drawn = pictures(sheet.write_pdf(uncompressed_pdf=True), target, "worksheet", DPI)
                send(("worksheet", drawn))
                with interruptible():
                    key = self.pdf.render(ready, worksheet=sheet).answer_key
                    drawn = pictures(key.write_pdf(uncompressed_pdf=True), target, "answer-key", DPI)
                send(("answer_key", drawn))
                with interruptible():
                    slides = [outline(number, slide) for number, slide in enumerate(self.deck.plan(ready).slides, 1)]
                send(("outline", slides))
                if not self.soffice:
                    return ("done",)
                with interruptible():
                    deck = self.deck.render(ready)
        except Stopped:
            return ("stopped",)
        except SourceError as error:
            return ("problems", [str(problem) for problem in error.problems])
        except RenderError as error:
            return ("failed", str(error))
        except build.TooSlow:
            return ("failed", f"drawing the preview took longer than {RENDER_TIME_LIMIT:g} s and was stopped")
        except Exception as error:  # a bug of ours with this document: the worker goes on
            return ("failed", f"internal error: {type(error).__name__}: {error}")
        try:
            return self.slides(deck, target)
        except Exception:  # LibreOffice could not draw them: the outline stands in (the lesson is not at fault)
            return ("done",)

    def slides(self, deck, target: Path) -> tuple:
        """Each slide as LibreOffice draws it, from the deck exported as a PDF."""
        folder = self.scratch / "deck"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        self.deck.write(deck.presentation, folder / "slides.pptx")
        profile = (self.scratch / "libreoffice").resolve().as_uri()  # private: parallel runs never share one
        command = [self.soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
        command += ["--convert-to", "pdf", "--outdir", str(folder), str(folder / "slides.pptx")]
        env = {**os.environ, "HOME": str(self.scratch)}
        process = subprocess.Popen(
            ["nice", "-n", "10", *command] if shutil.which("nice") else command,  # after the sheet and key: no hurry
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )
        self.connection.send(("soffice", process.pid))
        deadline = time.monotonic() + SOFFICE_TIME_LIMIT
        try:
            while process.poll() is None:
                if _Stop.asked:
                    return ("stopped",)
                if time.monotonic() > deadline:
                    return ("done",)  # LibreOffice is stuck: the outline stands in for the slides
                time.sleep(0.05)
        finally:
            end_group(process.pid)
            process.wait()
            self.connection.send(("soffice", None))
        exported = folder / "slides.pdf"
        if process.returncode != 0 or not exported.is_file():
            return ("done",)  # LibreOffice could not draw them: the outline stands in
        self.connection.send(("slides", pictures(exported.read_bytes(), target, "slide", SLIDE_DPI)))
        return ("done",)


def end_group(group: int) -> None:
    """Kill a process group (LibreOffice's: a script, its launcher and soffice.bin), if it is still there."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def pictures(pdf: bytes, folder: Path, stem: str, dpi: int) -> list[str]:
    """Every page of a PDF as ``folder/<stem>-01.png``…, each written whole (beside, then renamed).
    PDFium draws one page at a time (it is not thread-safe); Pillow compresses them in threads (it lets
    go of the GIL), so a free core shares the work."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    writes = []
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72).to_pil()
            page.close()
            writes.append(_ENCODERS.submit(_write_png, image, folder / f"{stem}-{index + 1:02d}.png"))
    finally:
        document.close()
        written = [write.result() for write in writes]
    return written


def _write_png(image, target: Path) -> str:
    from .build import atomic_output

    with atomic_output(target) as temporary:
        image.save(temporary, format="PNG", compress_level=1)  # fast: the pane redraws after each save
    return str(target)


_ENCODERS = ThreadPoolExecutor(2, thread_name_prefix="png")


def outline(number: int, slide) -> tuple[int, str, tuple[str, ...], str]:
    """A slide of the deck plan as text: its title and each paragraph, as the deck writes them."""
    from .render.deckplan import plain
    from .render.textfit import ZERO_WIDTH_SPACE

    lines = tuple(plain(para).replace(ZERO_WIDTH_SPACE, "") for block in slide.texts for para in block.paras)
    return (
        number,
        slide.title_text.replace(ZERO_WIDTH_SPACE, ""),
        tuple(line for line in lines if line.strip()),
        slide.kind,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
