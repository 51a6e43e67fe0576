"""The command line: ``python make_docs.py [build|check|schema] …``.

A thin shell: it parses arguments, calls the package, prints what happened
and chooses the exit code (0 done, 2 bad sources or arguments, 1 internal error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import display_path

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_SOURCES = 0, 1, 2
OUTPUT_NAMES = ("worksheet.pdf", "answer-key.pdf", "slides.pptx")


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = _parser().parse_args(argv)
    project = (args.root or root or Path.cwd()).resolve()
    try:
        return args.run(args, project)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make-docs",
        description="Turn lesson sources into worksheets, answer keys and slide decks.",
    )
    parser.add_argument("--version", action="version", version=f"lessonkit {__version__}")
    parser.add_argument("--root", type=Path, help="project folder holding sources/ (default: here)")
    parser.set_defaults(run=_build, lessons=[])
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build = commands.add_parser("build", help="build every output (the default command)")
    build.add_argument("lessons", nargs="*", metavar="LESSON", help="lesson ids or source files (default: all)")
    build.set_defaults(run=_build)

    check = commands.add_parser("check", help="check sources and list every problem")
    check.add_argument("lessons", nargs="*", metavar="LESSON", help="lesson ids or source files (default: all)")
    check.set_defaults(run=_check)

    schema = commands.add_parser("schema", help="write the JSON Schema files editors use into schema/")
    schema.set_defaults(run=_schema)
    return parser


def _select(project: Path, wanted: list[str]):
    """The source files named on the command line (ids or paths), or all lessons."""
    from .loader import SourceFile, Sources

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
    return sources, selected, unknown


def _report_unknown(project: Path, unknown: list[str], known: list[str]) -> None:
    for name in unknown:
        listing = ", ".join(sorted(set(known))) or "none yet"
        print(
            f"make-docs: no lesson “{name}” in {display_path(project / 'sources' / 'lessons')} (lessons: {listing})",
            file=sys.stderr,
        )


def _check(args: argparse.Namespace, project: Path) -> int:
    from .loader import check_all

    sources, selected, unknown = _select(project, args.lessons)
    if unknown:
        _report_unknown(project, unknown, [s.id for s in sources.lessons()])
        return EXIT_BAD_SOURCES
    if not selected:
        print(f"make-docs: no sources found in {display_path(project / 'sources')}", file=sys.stderr)
        return EXIT_BAD_SOURCES
    problems = check_all(sources, selected)
    for problem in problems:
        print(problem, file=sys.stderr)
    files = len({p.path for p in problems})
    if problems:
        print(f"{len(problems)} problem(s) in {files} file(s).", file=sys.stderr)
        return EXIT_BAD_SOURCES
    print(f"{len(selected)} source file(s) checked: no problems.")
    return EXIT_OK


def _build(args: argparse.Namespace, project: Path) -> int:
    from .errors import SourceError
    from .loader import load_document

    sources, selected, unknown = _select(project, args.lessons)
    if unknown:
        _report_unknown(project, unknown, [s.id for s in sources.lessons()])
        return EXIT_BAD_SOURCES
    status = _check(argparse.Namespace(lessons=args.lessons), project)
    if status != EXIT_OK:
        print("Nothing was built.", file=sys.stderr)
        return status
    outputs = project / "outputs"
    for source in (s for s in selected if s.kind == "lesson"):
        try:
            document = load_document(sources, source)
        except SourceError as error:  # pragma: no cover - check_all has seen it already
            print(error, file=sys.stderr)
            return EXIT_BAD_SOURCES
        readings = ", ".join(r.id for r in document.readings) or "no reading"
        print(f"{document.lesson.id} ({document.lesson.language}, with {readings}):")
        for name in OUTPUT_NAMES:
            target = outputs / document.lesson.id / document.lesson.language / name
            print(f"  would build {display_path(target)}")
    print("The renderers (PDF, PPTX) are not part of this version yet: nothing was written.")
    return EXIT_OK


def _schema(args: argparse.Namespace, project: Path) -> int:
    from .schema import write_schemas

    changed = write_schemas(project / "schema")
    for path in changed:
        print(f"wrote {display_path(path)}")
    if not changed:
        print("schema/ is up to date.")
    return EXIT_OK
