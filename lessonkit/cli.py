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


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    args = _parser().parse_args(argv)
    args.paper = getattr(args, "paper", "a4")
    args.out = getattr(args, "out", None)
    args.answers = getattr(args, "answers", "slides")
    project = (args.root or root or Path.cwd()).resolve()
    try:
        return args.run(args, project)
    except KeyboardInterrupt:
        print("Interrupted: outputs already written are intact.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours, not the teacher's: say so, briefly
        print(f"make-docs: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("Please report it with the lesson file; nothing already built was changed.", file=sys.stderr)
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make-docs",
        description="Turn lesson sources into worksheets, answer keys and slide decks.",
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
    return parser


def _add_build_options(parser: argparse.ArgumentParser) -> None:
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
        "--out", type=Path, default=argparse.SUPPRESS, metavar="FOLDER", help="where outputs go (default: outputs/)"
    )


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
    from .build import build_deck, build_pdfs
    from .loader import load_document

    sources, selected, unknown = _select(project, args.lessons)
    if unknown:
        _report_unknown(project, unknown, [s.id for s in sources.lessons()])
        return EXIT_BAD_SOURCES
    status = _check(argparse.Namespace(lessons=args.lessons), project)
    if status != EXIT_OK:
        print("Nothing was built.", file=sys.stderr)
        return status
    documents = [load_document(sources, s) for s in selected if s.kind == "lesson"]
    from .render_pdf import PdfRenderer  # renderers are imported only when there is something to render
    from .render_pptx import DeckRenderer

    pdf_renderer, deck_renderer = PdfRenderer(), DeckRenderer()
    outputs = args.out or project / "outputs"
    failed = set()
    for document in documents:
        source = display_path(document.folder / f"{document.lesson.language}.yaml")
        for result in (
            build_pdfs(document, outputs, pdf_renderer, paper=args.paper),
            build_deck(document, outputs, deck_renderer, answers=args.answers),
        ):
            for built in result.built:
                unit = "slides" if built.path.suffix == ".pptx" else "pages"
                print(f"  {display_path(built.path)}  {built.pages} {unit}  {built.seconds:.1f} s")
            for warning in result.warnings:
                print(f"{source}: warning: {warning}", file=sys.stderr)
            if result.error:
                failed.add(source)
                print(f"{source}: error: {result.error} (nothing was replaced)", file=sys.stderr)
    built = len(documents) - len(failed)
    print(f"{built} of {len(documents)} lesson edition(s) built into {display_path(outputs)}.")
    return EXIT_BAD_SOURCES if failed else EXIT_OK


def _schema(args: argparse.Namespace, project: Path) -> int:
    from .schema import write_schemas

    changed = write_schemas(project / "schema")
    for path in changed:
        print(f"wrote {display_path(path)}")
    if not changed:
        print("schema/ is up to date.")
    return EXIT_OK
