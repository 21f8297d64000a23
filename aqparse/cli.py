"""cli: the ``aqparse`` command.

Each subcommand is one row of ``COMMANDS``: a name, a function adding its arguments, a
function running it, and its exit statuses (shown by its ``--help``). Exit status: 0 all went
well, 1 some input failed (or had defects under ``--strict``; ``convert`` and ``stats``: or no
question was found), 2 usage or I/O error. Errors go to stderr with the path and the line.
"""

import argparse
import json
import sys
from typing import Callable, Dict, List, NamedTuple, Optional

from .errors import ParseError, UsageError

OK, SOME_FAILED, USAGE = 0, 1, 2
INPUTS_HELP = ("files, folders, globs, .zip / .tar.gz archives, aqparse's own outputs (.jsonl, "
               ".csv, .parquet, .sqlite) named on their own; '-' reads stdin")


def _err(message: str) -> None:
    print(f"aqparse: {message}", file=sys.stderr)


def _records(paths: List[str], strict: bool):
    """The records of every input, and a list that fills with what failed: an input that
    cannot be read or parsed, and under ``strict`` a question with defects (reported at its
    first defect, and left out). One failure never stops the rest."""
    from .errors import defect_error
    from .inputs import check_inputs, read

    check_inputs(paths)
    failed: List[ParseError] = []

    def report(_name: str, error: ParseError) -> None:
        _err(str(error))
        failed.append(error)

    def skipped(name: str, why: str) -> None:      # said, as convert says it
        _err(f"{name}: skipped: {why}")

    def records():
        for path in paths:
            for record in read(path, on_error=report, on_skip=skipped):
                if strict and record.defects:
                    report(record.source.path, defect_error(record))
                    continue
                yield record
    return records(), failed


# -- parse -------------------------------------------------------------------------------------

def _add_parse(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help=INPUTS_HELP)
    p.add_argument("--format", choices=("json", "jsonl"), default="json",
                   help="json: one JSON array (default); jsonl: one record per line")
    p.add_argument("--strict", action="store_true",
                   help="a question with any defect is an error (exit status 1)")


def _run_parse(args: argparse.Namespace) -> int:
    records, failed = _records(args.paths, args.strict)
    out = sys.stdout
    count = 0
    if args.format == "json":
        out.write("[")
    for record in records:
        text = json.dumps(record.to_dict(), ensure_ascii=False,
                          indent=None if args.format == "jsonl" else 2)
        if args.format == "json":
            out.write(("," if count else "") + "\n" + text)
        else:
            out.write(text + "\n")
        count += 1
    if args.format == "json":
        out.write("\n]\n" if count else "]\n")
    return SOME_FAILED if failed else OK


# -- render ------------------------------------------------------------------------------------

def _add_render(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="inputs of any format; records in JSON (from 'aqparse parse') too")


def _run_render(args: argparse.Namespace) -> int:
    from .render import render

    # JSON records written by `aqparse parse` are read back as they are
    records, failed = _records(args.paths, strict=False)
    for i, record in enumerate(records):
        sys.stdout.write(("\n" if i else "") + render(record))
    return SOME_FAILED if failed else OK


# -- fixtures ----------------------------------------------------------------------------------

def _add_fixtures(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("check", "update"),
                   help="check: compare each input with its NAME.json; update: rewrite them")
    p.add_argument("dirs", nargs="+", metavar="DIR")


def _run_fixtures(args: argparse.Namespace) -> int:
    from . import fixtures
    from .inputs import check_inputs

    check_inputs(args.dirs)
    status = OK
    for folder in args.dirs:
        if args.action == "update":
            for name, outcome in fixtures.update(folder):
                print(f"{outcome}: {name}")
                status = SOME_FAILED if outcome.startswith("not updated") else status
            continue
        results = fixtures.check(folder)
        for result in results:
            if result.ok:
                continue
            status = SOME_FAILED
            print(f"FAIL {result.name}")
            for line in result.diff:
                print(f"  {line}")
        failed = sum(not r.ok for r in results)
        print(f"{folder}: {len(results) - failed} of {len(results)} fixtures match")
    return status


# -- diff --------------------------------------------------------------------------------------

def _add_diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A", help="a question in any input aqparse reads, or a JSON "
                                          "record written by 'aqparse parse'")
    p.add_argument("b", metavar="B", help="the same question from another source")
    p.add_argument("--only-common", action="store_true",
                   help="compare only the fields that are non-null on both sides (ignore what "
                        "one source cannot carry)")
    p.add_argument("--ignore", action="append", default=[], metavar="FIELD",
                   help="a dotted field path not to compare, with what is under it "
                        "(repeatable; e.g. --ignore extra --ignore author.acteur_ref)")


def _run_diff(args: argparse.Namespace) -> int:
    from .diff import compare, different_questions, format_difference, pair_up
    from .inputs import check_inputs, read

    check_inputs([args.a, args.b])
    sides = []
    for path in (args.a, args.b):
        try:
            sides.append(list(read(path)))
        except ParseError as error:
            raise UsageError(f"cannot compare: {error}") from None
    status = OK
    pairs = list(pair_up(*sides))
    for uid, a, b in pairs:
        header = f"== {uid}" if len(pairs) > 1 else None
        if a is None or b is None:
            print(f"== {uid}: only in {'B' if a is None else 'A'}")
            status = SOME_FAILED
            continue
        different = different_questions(a, b)
        if different:     # said plainly, not as a difference in every field
            print(f"== {uid}: {different}" if header else different)
            status = SOME_FAILED
            continue
        differences = compare(a, b, only_common=args.only_common, ignore=args.ignore)
        if differences:
            status = SOME_FAILED
            if header:
                print(header)
            for d in differences:
                print("\n".join(format_difference(d)))
    if status == OK:
        print(f"no difference ({len(pairs)} question{'s' if len(pairs) != 1 else ''} compared)",
              file=sys.stderr)
    return status


# -- convert / stats --------------------------------------------------------------------------

def _add_convert(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUTS_HELP)
    required = p.add_argument_group("required")
    required.add_argument("-o", "--output", metavar="OUTPUT", required=True,
                          help="the dataset to write (.jsonl, .csv, .parquet, .sqlite); a "
                               "symbolic link: the file it points to; '-': stdout, once the "
                               "run is done (JSONL, or CSV with --format; not Parquet, SQLite "
                               "or --tables); './-' names a file '-'")
    p.add_argument("--format", metavar="FORMAT",
                   help="jsonl | csv | csv-excel | parquet | sqlite (default: from the output's "
                        "suffix; jsonl for '-o -'); csv-excel: UTF-8 with a BOM and ';' between "
                        "cells, for Excel")
    _add_run_options(p, "convert")
    p.add_argument("--tables", action="store_true",
                   help="CSV: also write NAME.attributions.csv, .renewals, .signalements, "
                        ".errata, .defects")


# the options convert and stats share, in the words of each
RUN_OPTION_HELP = {
    "convert": {
        "errors": "write what could not be converted here (JSON lines with the raw text; "
                  "'-': stdout, unless the output is there)",
        "strict": "a question with defects goes to the errors, not to the output",
        "quiet": "no progress bar, no summary",
    },
    "stats": {
        "errors": "write what could not be read here (JSON lines with the raw text)",
        "strict": "a question with defects goes to the errors and is not counted",
        "quiet": "no progress bar (the figures are printed all the same)",
    },
}


def _add_run_options(p: argparse.ArgumentParser, command: str) -> None:
    words = RUN_OPTION_HELP[command]
    p.add_argument("-j", "--jobs", metavar="N", help="worker processes (default: the cores)")
    p.add_argument("--errors", metavar="FILE", help=words["errors"])
    p.add_argument("--strict", action="store_true", help=words["strict"])
    p.add_argument("-q", "--quiet", action="store_true", help=words["quiet"])
    p.add_argument("--acteurs", metavar="PATH",
                   help="the AN's open-data acteurs archive (zip or folder): completes each "
                        "author (name, constituency, group) as at the question's date")
    p.add_argument("--max-question-chars", metavar="N", default=None,
                   help="what one question of a text dump may hold (default 4194304); a "
                        "longer one is cut there, and the cut is sent to the errors")


def _max_question(value: Optional[str]) -> int:
    from .convert import MAX_QUESTION_CHARS

    if value is None:
        return MAX_QUESTION_CHARS
    if not value.isdigit():
        raise UsageError(f"--max-question-chars must be a whole number, not {value!r}")
    return int(value)


def _jobs_arg(value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"--jobs must be a whole number of at least 1, not {value!r}")
    return int(value)


def _nothing_found(summary, inputs: List[str], what: str) -> int:
    """The exit status of a run: a run that found no question at all says so (even under
    --quiet) and exits 1, whatever the rest: it did not do its job."""
    if summary.questions or summary.exit_status != OK:
        return summary.exit_status
    skipped = summary.skipped
    said = ""
    if skipped:
        name, why = skipped[0]
        said = f"; {len(skipped)} file(s) skipped, such as {name}: {why}"
    _err(f"no question found in {' '.join(inputs)}: {what}{said}")
    return SOME_FAILED


def _run_convert(args: argparse.Namespace) -> int:
    from .convert import convert

    summary = convert(args.inputs, args.output, format=args.format, jobs=_jobs_arg(args.jobs),
                      errors=args.errors, strict=args.strict, quiet=args.quiet,
                      tables=args.tables, max_question=_max_question(args.max_question_chars),
                      acteurs=args.acteurs)
    if not args.quiet:
        print(summary.report(), file=sys.stderr)
    return _nothing_found(summary, args.inputs, f"nothing was written to {summary.output}")


def _add_stats(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=INPUTS_HELP)
    p.add_argument("--top", type=int, default=25, metavar="N",
                   help="ministries shown (default 25; 0 for all)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    _add_run_options(p, "stats")


def _run_stats(args: argparse.Namespace) -> int:
    from . import stats

    if args.errors == "-":
        raise UsageError("--errors -: stdout holds the figures; give the errors a file")
    result = stats.stats(args.inputs, jobs=_jobs_arg(args.jobs), errors=args.errors,
                         strict=args.strict, quiet=args.quiet,
                         max_question=_max_question(args.max_question_chars),
                         acteurs=args.acteurs)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(stats.format_stats(result, top=args.top))
    return _nothing_found(result.summary, args.inputs, "nothing was counted")


# -- schema ------------------------------------------------------------------------------------

def _add_schema(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true",
                   help="no key beyond the record's fields (by default a key a newer aqparse "
                        "adds is allowed)")


def _run_schema(args: argparse.Namespace) -> int:
    from .schema import json_schema

    print(json.dumps(json_schema(strict=args.strict), ensure_ascii=False, indent=2))
    return OK


class Command(NamedTuple):
    help: str
    add: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    exits: str          # the exit statuses, as the command's help gives them


RUN_EXITS = """\
exit status:
  0    every input was read and every question %s (files that hold no question,
       such as a README in a folder, are skipped and listed)
  1    something went to the errors (an input that could not be read or parsed, a
       question refused under --strict%s, each named on stderr or in
       the --errors file; the run goes on with the rest), or no question was found
  2    a usage or I/O error, said in one line (a missing input, an unwritable output, a
       full disk), before any work when it can be
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)"""

PARSE_EXITS = """\
exit status:
  0    every input parsed
  1    some input failed (named on stderr; the others are printed)%s
  2    a usage error (a missing input, a bad option)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)"""

COMMANDS: Dict[str, Command] = {
    "convert": Command("convert inputs into a dataset: JSONL, CSV, Parquet or SQLite",
                       _add_convert, _run_convert,
                       RUN_EXITS % ("written", " or that the output cannot hold")),
    "parse": Command("parse inputs and print the records as JSON", _add_parse, _run_parse,
                     PARSE_EXITS % ", or, under --strict, a question has defects"),
    "stats": Command("counts by legislature, kind, status, ministry, year; answer delays, "
                     "overall and per legislature and kind", _add_stats, _run_stats,
                     RUN_EXITS % ("counted", "")),
    "diff": Command("compare two records of the same question from different sources "
                    "(exit status 1 when they differ)", _add_diff, _run_diff,
                    "exit status:\n  0    the same\n  1    different (or a question in one "
                    "input only)\n  2    a usage error, or an input that cannot be read"),
    "render": Command("print inputs (or JSON records) in the canonical text layout",
                      _add_render, _run_render, PARSE_EXITS % ""),
    "fixtures": Command("check or update golden fixtures (NAME.txt + NAME.json pairs)",
                        _add_fixtures, _run_fixtures,
                        "exit status:\n  0    every fixture matches (check), or was updated\n"
                        "  1    a fixture differs (check), or an input could not be parsed "
                        "(update)\n  2    a usage error (a missing folder)"),
    "schema": Command("print the JSON Schema of a record's JSON form (what parse and JSONL "
                      "output write)", _add_schema, _run_schema,
                      "exit status:\n  0    printed\n  2    a usage error"),
}


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors said in one line as aqparse says the others (exit
    status 2), the way to the help given instead of the usage."""

    def error(self, message: str):
        self.exit(USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aqparse",
        description="Parse Assemblée nationale parliamentary questions into typed records.",
        epilog="'aqparse COMMAND --help' gives a command's options and exit statuses.")
    from . import __version__

    parser.add_argument("--version", action="version", version=f"aqparse {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, command in COMMANDS.items():
        command.add(sub.add_parser(name, help=command.help, description=command.help,
                                   epilog=command.exits,
                                   formatter_class=argparse.RawDescriptionHelpFormatter))
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    import signal
    import threading

    from .stopping import request_stop, stop_now

    parser = build_parser()
    args = parser.parse_args(argv)
    # SIGTERM and Ctrl-C stop a run at its next safe point (between two units): its workers
    # stopped, what was committed kept, a line said; the other commands stop at once on
    # SIGTERM, as on Ctrl-C (``stopping.stop_now``). (Handlers: the main thread's only.)
    handlers = ({signal.SIGTERM: request_stop, signal.SIGINT: request_stop}
                if args.command in ("convert", "stats") else {signal.SIGTERM: stop_now})
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum, handler in handlers.items():
            previous[signum] = signal.signal(signum, handler)
    try:
        return _main(args)
    finally:
        for signum, handler in previous.items():     # (main() called from Python code)
            signal.signal(signum, handler)


def _main(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command].run(args)
    except UsageError as error:
        _err(str(error))
        return USAGE
    except BrokenPipeError:     # `aqparse parse … | head`: the reader has seen enough
        from .convert import stdout_closed

        stdout_closed()
        return OK
    except OSError as error:
        _err(str(error))
        return USAGE
    except KeyboardInterrupt as stop:
        output = getattr(args, "output", None)
        # (a command that prints as it reads, parse or render, has printed what it printed:
        # nothing is said of an output it does not have)
        kept = ("" if output is None else
                f"; {output}: what was committed is kept" if
                str(output).lower().endswith((".sqlite", ".sqlite3", ".db"))
                else "; no partial output is left")
        import signal

        term = getattr(stop, "signum", signal.SIGINT) == signal.SIGTERM
        _err(("terminated" if term else "interrupted") + kept)
        return 143 if term else 130


if __name__ == "__main__":
    sys.exit(main())
