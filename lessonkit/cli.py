"""The command line: ``lessonkit [build|check|watch|schema|new|translate|translated|status|serve] …``.

Also ``make-docs`` (an alias), ``python -m lessonkit`` and ``python make_docs.py`` in a clone.

A thin shell: it parses arguments, calls the package, prints what happened
and chooses the exit code (0 done, 2 bad sources or arguments, 1 internal error).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

from . import __version__
from .errors import display_path
from .formats import BY_OUTPUT, FORMAT_NAMES, parse_formats

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_SOURCES = 0, 1, 2


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = _parser().parse_args(argv)
    args.paper = getattr(args, "paper", "a4")
    args.out = getattr(args, "out", None)
    args.answers = getattr(args, "answers", "slides")
    args.formats = getattr(args, "formats", FORMAT_NAMES)
    for flag in ("strict", "force", "quiet", "verbose"):
        setattr(args, flag, getattr(args, flag, False))
    args.jobs = getattr(args, "jobs", None)
    project = (args.root or root or Path.cwd()).resolve()
    try:
        with _stopped_by_signals():
            return args.run(args, project)
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt as interrupt:
        print("Interrupted: outputs already written are intact.", file=sys.stderr)
        return 128 + getattr(interrupt, "signal", signal.SIGINT)
    except Exception as error:  # a bug of ours, not the teacher's: say so, briefly
        print(f"lessonkit: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("Please report it with the lesson file; nothing already built was changed.", file=sys.stderr)
        return EXIT_INTERNAL


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (the session closed, the machine shuts down): stop exactly as Ctrl-C does, so
    every temporary file is removed and every output already written stays intact."""

    def __init__(self, number: int):
        super().__init__(signal.Signals(number).name)
        self.signal = number


@contextlib.contextmanager
def _stopped_by_signals():
    """Turn SIGTERM and SIGHUP into ``Stopped`` while a command runs (worker processes inherit it)."""

    def stop(number, _frame):
        raise Stopped(number)

    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {name: signal.signal(getattr(signal, name), stop) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lessonkit",
        description="Turn lesson sources into worksheets, answer keys, slide decks, handouts and quizzes.",
    )
    parser.add_argument("--version", action="version", version=f"lessonkit {__version__}")
    parser.add_argument("--root", type=Path, help="project folder holding sources/ (default: here)")
    parser.set_defaults(run=_build, lessons=[])
    _add_build_options(parser)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build = commands.add_parser("build", help="build every output (the default command)")
    build.add_argument("lessons", nargs="*", metavar="LESSON", help="lesson ids or source files (default: all)")
    _add_build_options(build)
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="check sources and list every problem")
    check.add_argument("lessons", nargs="*", metavar="LESSON", help="lesson ids or source files (default: all)")
    check.set_defaults(run=_check)

    schema = commands.add_parser("schema", help="write the JSON Schema files editors use into schema/")
    schema.set_defaults(run=_schema)

    watch = commands.add_parser("watch", help="rebuild what a saved change affects, until Ctrl-C")
    watch.add_argument("lessons", nargs="*", metavar="LESSON", help="lesson ids (default: all)")
    _add_build_options(watch)
    watch.set_defaults(run=_watch)

    new = commands.add_parser("new", help="write a starter lesson to fill in, with every kind of part explained")
    new.add_argument("lesson", metavar="LESSON", help="the new lesson's id, e.g. photosynthesis")
    new.add_argument("--lang", default="fr", metavar="LANG", help="its language, e.g. fr, de-CH, en-GB (default: fr)")
    new.add_argument("--title", metavar="TEXT", help="its title (default: a placeholder to replace)")
    new.set_defaults(run=_new)

    translate = commands.add_parser("translate", help="start a translation: write <lang>.yaml ready to translate")
    translate.add_argument("lesson", metavar="LESSON", help="the lesson id, e.g. digital-labor")
    translate.add_argument("--to", required=True, metavar="LANG", help="language of the translation, e.g. it or de-CH")
    translate.add_argument("--from", dest="original", metavar="LANG", help="the original's language (default: found)")
    translate.set_defaults(run=_translate)

    translated = commands.add_parser(
        "translated", help="record that a translation is up to date with its original (after translating)"
    )
    translated.add_argument("lesson", metavar="LESSON")
    translated.add_argument("--lang", required=True, metavar="LANG", help="the translation's language")
    translated.add_argument("--field", action="append", metavar="PATH", help="only this field (repeatable)")
    translated.set_defaults(run=_translated)

    status = commands.add_parser("status", help="which texts of each translation are missing, untranslated or stale")
    status.add_argument("lessons", nargs="*", metavar="LESSON", help="lesson ids (default: all)")
    status.add_argument("--strict", action="store_true", help="exit 2 when anything is missing or stale")
    status.set_defaults(run=_status)

    serve = commands.add_parser("serve", help="edit, check, preview and translate lessons in your browser")
    serve.add_argument("--port", type=int, default=8040, metavar="N", help="the port to listen on (default: 8040)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1, this computer only)"
    )
    serve.add_argument("--no-browser", action="store_true", help="print the address without opening a browser")
    serve.set_defaults(run=_serve)
    return parser


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        default=argparse.SUPPRESS,
        help="refuse to build a translation with missing, untranslated or stale texts",
    )
    parser.add_argument(
        "--paper", choices=("a4", "letter"), default=argparse.SUPPRESS, help="paper size of the PDFs (default: a4)"
    )
    parser.add_argument(
        "--answers",
        choices=("slides", "notes"),
        default=argparse.SUPPRESS,
        help="answers in the deck: a reveal slide after each question and the notes (default), or the notes only",
    )
    parser.add_argument(
        "--formats",
        type=_formats,
        default=argparse.SUPPRESS,
        metavar="LIST",
        help=f"which outputs to build, separated by commas (default: all of {','.join(FORMAT_NAMES)})",
    )
    parser.add_argument(
        "--out", type=Path, default=argparse.SUPPRESS, metavar="FOLDER", help="where outputs go (default: outputs/)"
    )
    parser.add_argument("--force", action="store_true", default=argparse.SUPPRESS, help="rebuild every output")
    parser.add_argument(
        "--jobs", "-j", type=int, default=argparse.SUPPRESS, metavar="N", help="parallel workers (default: cores)"
    )
    parser.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS, help="print only problems")
    parser.add_argument(
        "--verbose", "-v", action="store_true", default=argparse.SUPPRESS, help="also show the renderers' warnings"
    )


def _formats(text: str) -> tuple[str, ...]:
    try:
        return parse_formats(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _select(project: Path, wanted: list[str]):
    """The source files named on the command line (ids or paths), or all lessons; unknown names are reported."""
    from .sources import SourceFile, Sources

    sources = Sources(project / "sources")
    lessons = sources.lessons()
    if not wanted:
        return sources, lessons + sources.readings(), []
    selected, unknown = [], []
    for name in wanted:
        path = Path(name)
        if path.suffix in (".yaml", ".yml") and path.is_file():
            kind = "reading" if path.resolve().parent.parent.name == "readings" else "lesson"
            selected.append(SourceFile(kind, path.parent.name, path.stem, path))
        elif matches := [s for s in lessons if s.id == name]:
            selected += matches
        else:
            unknown.append(name)
    _report_unknown(project, unknown, [s.id for s in lessons])
    return sources, selected, unknown


def _report_unknown(project: Path, unknown: list[str], known: list[str]) -> None:
    for name in unknown:
        listing = ", ".join(sorted(set(known))) or "none yet"
        print(
            f"lessonkit: no lesson “{name}” in {display_path(project / 'sources' / 'lessons')} (lessons: {listing})",
            file=sys.stderr,
        )


def _check(args: argparse.Namespace, project: Path) -> int:
    from .loader import check_all

    sources, selected, unknown = _select(project, args.lessons)
    if unknown:
        return EXIT_BAD_SOURCES
    if not selected:
        print(f"lessonkit: no sources found in {display_path(project / 'sources')}", file=sys.stderr)
        return EXIT_BAD_SOURCES
    warnings: list = []
    problems = check_all(sources, selected, warnings)
    for problem in warnings + problems:
        print(problem, file=sys.stderr)
    files = len({p.path for p in problems})
    if problems:
        print(f"{len(problems)} problem(s) in {files} file(s).", file=sys.stderr)
        return EXIT_BAD_SOURCES
    print(f"{len(selected)} source file(s) checked: no problems.")
    return EXIT_OK


def _build(args: argparse.Namespace, project: Path) -> int:
    from .build import outputs_locked, outputs_problem

    sources, selected, unknown = _select(project, args.lessons)
    if unknown:
        return EXIT_BAD_SOURCES
    lessons = [s for s in selected if s.kind == "lesson"]
    outputs = (args.out or project / "outputs").resolve()
    if problem := outputs_problem(outputs, project):
        print(f"lessonkit: {problem}; nothing was built", file=sys.stderr)
        return EXIT_BAD_SOURCES
    with outputs_locked(outputs, lambda: _say_waiting(outputs)):
        return _build_locked(args, project, sources, lessons, outputs)


def _say_waiting(outputs: Path) -> None:
    print(f"Another build is writing into {display_path(outputs)}; waiting for it to finish…", file=sys.stderr)


def _build_locked(args, project: Path, sources, lessons, outputs: Path) -> int:
    from .build import Options, plan
    from .manifest import Manifest

    manifest = Manifest(outputs, project)
    if manifest.warning:
        print(f"lessonkit: warning: {manifest.warning}", file=sys.stderr)
    options = Options(args.paper, args.answers, getattr(args, "formats", FORMAT_NAMES))
    tasks = plan(lessons, outputs, manifest, options, args.force)
    if args.strict and _report_translations(sources, lessons, quiet=True):
        # up to date or not: an unfinished translation is refused, so a school's CI never passes on one
        print("Nothing was built (--strict): finish the translations listed above.", file=sys.stderr)
        return EXIT_BAD_SOURCES
    if not tasks:
        if not args.quiet:
            print(
                f"Everything is up to date: {len(options.outputs()) * len(lessons)} outputs in {display_path(outputs)}."
            )
        return EXIT_OK
    pending = _report_translations(sources, [s for s in lessons if any(t.source == s.path for t in tasks)], quiet=True)
    if pending and args.strict:
        print("Nothing was built (--strict): finish the translations listed above.", file=sys.stderr)
        return EXIT_BAD_SOURCES
    return _run_tasks(args, project, outputs, manifest, options, tasks)


def _run_tasks(args, project: Path, outputs: Path, manifest, options, tasks) -> int:
    from .build import run

    failed: dict[str, str] = {}  # source → why; a document's PDFs and deck fail for the same reason once
    outputs_built = 0
    started = time.perf_counter()
    try:
        for result in run(tasks, project, outputs, options, args.jobs or os.cpu_count() or 1):
            outputs_built += _report_result(args, result, manifest, options, failed, outputs)
            manifest.save()
    except KeyboardInterrupt:
        manifest.save()
        raise
    if outputs_built and not args.quiet:
        seconds = time.perf_counter() - started
        print(f"{outputs_built} output(s) built into {display_path(outputs)} in {seconds:.1f} s.")
    if not failed:
        return EXIT_OK
    if not outputs_built:
        print("Nothing was built.", file=sys.stderr)
    for source, reason in failed.items():
        print(f"failed: {source} ({reason})", file=sys.stderr)
    internal = any(reason.startswith("internal error") for reason in failed.values())
    return EXIT_INTERNAL if internal else EXIT_BAD_SOURCES


def _report_result(args, result, manifest, options, failed: dict[str, str], outputs: Path) -> int:
    """Print one task's outputs, warnings and problems as they land; record them. Returns outputs built."""
    source = display_path(result.task.source)
    for output in result.built:
        unit = BY_OUTPUT[output.path.name].unit
        count = f"  {output.pages} {unit}" if unit and output.pages is not None else ""
        if not args.quiet:
            print(f"  {display_path(output.path)}{count}  {output.seconds:.1f} s", flush=True)
        manifest.record(output.path, result.inputs, options.for_output(output.path.name))
    for warning in result.source_warnings:
        print(warning, file=sys.stderr)
    for warning in result.warnings + (result.renderer_warnings if args.verbose else []):
        print(f"{source}: warning: {warning}", file=sys.stderr)
    if result.problems or result.error:
        if source not in failed:
            for problem in result.problems:
                print(problem, file=sys.stderr)
        if result.error:
            print(f"{source}: error: {result.error} (nothing was replaced)", file=sys.stderr)
        failed.setdefault(source, "mistakes in the source, listed above" if result.problems else result.error)
        for name in result.task.outputs:  # a later build must try again
            manifest.forget(outputs / result.task.lesson / result.task.language / name)
    return len(result.built)


def _watch(args: argparse.Namespace, project: Path, changes=None) -> int:
    """Build, then rebuild after every saved change; mistakes are shown and the watch goes on."""
    args.jobs = 1  # one process keeps WeasyPrint, fonts and the template loaded between rebuilds
    _build(args, project)
    if changes is None:
        from watchfiles import watch

        from .layouts import LAYOUTS

        changes = watch(project / "sources", LAYOUTS, debounce=300)
        print("Watching sources/ and the layouts (Ctrl-C to stop)…", flush=True)
    for changed in changes:
        names = sorted({display_path(Path(path)) for _, path in changed})
        print(f"changed: {', '.join(names)}", flush=True)
        try:
            _build(args, project)
        except Exception as error:
            print(f"lessonkit: internal error: {type(error).__name__}: {error}", file=sys.stderr)
    return EXIT_OK


def _translation_files(sources, lesson_sources) -> list[Path]:
    """Each lesson file and the readings it includes, in the same language."""
    from .errors import SourceError
    from .sources import is_id
    from .yamlsafe import read_source

    files = []
    for source in lesson_sources:
        files.append(source.path)
        try:
            readings = read_source(source.path)[0].get("readings") or []
        except SourceError:  # the build reports it with the lesson
            continue
        if isinstance(readings, list):  # anything but ids is reported by the build, never read
            files += [sources.reading_path(r, source.language) for r in readings if is_id(r)]
    return files


def _report_translations(sources, lesson_sources, quiet: bool) -> int:
    """Print the state of every translation; return how many texts are missing, untranslated or stale.

    quiet (during a build): only what needs work, on stderr. Otherwise a table per lesson.
    """
    from .errors import SourceError
    from .loader import translation_states
    from .translation import STATE_NAMES, STATES, change_in_brief

    # a text's state as the table names it, with what to do where the name alone does not say it
    words = {
        **STATE_NAMES,
        "stale": "stale (the original changed since)",
        "unrecorded": "not marked yet (run `lessonkit translated` once it is translated)",
    }
    out = sys.stderr if quiet else sys.stdout
    pending = 0
    rows, details = [], []
    for path in _translation_files(sources, lesson_sources):
        try:
            states = translation_states(path) if path.is_file() else None
        except SourceError:  # a broken file: `check` and the build say what is wrong with it
            continue
        if states is None:
            continue
        fields = states[1]
        todo = [f for f in fields if f.state != "translated"]
        pending += len(todo)
        what = f"{path.parent.parent.name[:-1]} {path.parent.name}"
        rows.append((path.stem, what, *(sum(f.state == s for f in fields) for s in STATES)))
        details += [(path, f) for f in todo]
    if not rows or (quiet and not details):
        return pending
    print(f"{'language':<10}{'source':<30}" + "".join(f"{STATE_NAMES[s]:>20}" for s in STATES), file=out)
    for language, what, *counts in rows:
        print(f"{language:<10}{what:<30}" + "".join(f"{count:>20}" for count in counts), file=out)
    shown = details[:10] if quiet else details
    for path, field in shown:
        # a stale text: what changed in the original, on the same line (when the record holds the text then)
        changed = change_in_brief(field.change) if field.change else None
        said = f"{words[field.state]}: {changed}" if changed else words[field.state]
        print(f"{display_path(path)}:{field.line}:{field.column}: {field.path}: {said}", file=out)
    if len(details) > len(shown):
        print(f"… and {len(details) - len(shown)} more: see `lessonkit status`", file=out)
    return pending


def _status(args: argparse.Namespace, project: Path) -> int:
    sources, selected, unknown = _select(project, args.lessons)
    if unknown:
        return EXIT_BAD_SOURCES
    lessons = [s for s in selected if s.kind == "lesson"]
    pending = _report_translations(sources, lessons, quiet=False)
    if not pending:
        print("Every translation is complete and up to date.")
    return EXIT_BAD_SOURCES if pending and args.strict else EXIT_OK


def _new(args: argparse.Namespace, project: Path) -> int:
    from .starter import StarterError, write_starter

    try:
        written = write_starter(project, args.lesson, args.lang, args.title)
    except StarterError as error:
        print(f"lessonkit: {error}", file=sys.stderr)
        return EXIT_BAD_SOURCES
    for path in written:
        print(f"wrote {display_path(path)}")
    print(f"Fill in {display_path(written[0])}, then run: lessonkit check {args.lesson}")
    return EXIT_OK


def _translate(args: argparse.Namespace, project: Path) -> int:
    from .errors import SourceError
    from .translation_files import TranslateError, start_translation

    try:
        written = start_translation(project / "sources", args.lesson, args.to, args.original)
    except (TranslateError, SourceError) as error:
        print(f"lessonkit: {error}", file=sys.stderr)
        return EXIT_BAD_SOURCES
    from .schema import write_schemas

    for path in write_schemas(project / "schema"):  # the editor's help, named on the scaffold's first line
        written.append((path, "wrote"))
    for path, note in written:
        print(f"{note} {display_path(path)}")
    return EXIT_OK


def _translated(args: argparse.Namespace, project: Path) -> int:
    from .errors import SourceError
    from .translation_files import TranslateError, mark_translated

    try:
        for path, count in mark_translated(project / "sources", args.lesson, args.lang, args.field):
            print(f"{display_path(path)}: {count} text(s) recorded as translating the current original")
    except (TranslateError, SourceError) as error:
        print(f"lessonkit: {error}", file=sys.stderr)
        return EXIT_BAD_SOURCES
    return EXIT_OK


def _serve(args: argparse.Namespace, project: Path) -> int:
    from .web.server import PortTaken, serve  # Starlette and Uvicorn only load for this command

    try:
        serve(project, host=args.host, port=args.port, open_browser=not args.no_browser, outputs=args.out)
    except PortTaken as error:
        print(f"lessonkit serve: {error}", file=sys.stderr)
        return EXIT_BAD_SOURCES
    return EXIT_OK


def _schema(args: argparse.Namespace, project: Path) -> int:
    from .schema import write_schemas

    changed = write_schemas(project / "schema")
    for path in changed:
        print(f"wrote {display_path(path)}")
    if not changed:
        print("schema/ is up to date.")
    return EXIT_OK
