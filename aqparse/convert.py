"""convert: folders, archives and dumps of questions into one dataset, in parallel, losing none.

The pipeline::

    inputs ─▶ documents ─▶ work units ─▶ worker processes ─▶ results in input order ─▶ writer
                             (parent)     parse + encode        (bounded in flight)      (parent)

- The parent cuts the inputs into work units (``units``): a small document, whole questions of
  a large text dump, whole lines of aqparse's own JSON lines; a large open-data or XML dump is
  read as a stream in the parent (one question in memory at a time).
- Workers parse them and encode each record for the writer (``work``); the pool gives the
  results back in input order (``pool``); this module runs it all and writes (``run``).
- Nothing is lost: an input that cannot be parsed, or (under ``strict``) a question with
  defects, or a record the output cannot hold, goes to the errors file with its path, line,
  error and raw text, and the run goes on.
- Records of one uid met more than once in a run (the same question from several inputs) are
  merged field by field (``aqparse.merge``) into one record, whatever their order: the writer
  reads them back at the end of the run (``Writer.merge_duplicates``); SQLite merges with what
  the database already holds as it writes.
"""

import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from typing import Dict, Iterable, List, Optional, Tuple, Union

import attrs

from .errors import UsageError
from .export import STATUS_RANK, WRITERS, Writer, format_for, temp_path, write_test
from .inputs import Skipped, check_inputs
from .pool import results
from .stopping import Stopped, clear_stop, request_stop, stop_point
from .units import Sizes, input_bytes, units
from .work import Task

MAX_QUESTION_CHARS = Sizes().max_question    # what one question of a text dump may hold
STDOUT = "-"                                 # the output named so is stdout
TO_STDOUT = ("jsonl", "csv", "csv-excel")    # the formats it takes

__all__ = ["Summary", "Sizes", "Stopped", "request_stop", "run", "convert", "MAX_QUESTION_CHARS"]

Paths = Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]]


@attrs.define
class Summary:
    """What a run did. ``exit_status``: 0 nothing went to the errors, 1 something did."""

    output: Optional[str] = None
    format: Optional[str] = None
    inputs: int = 0                                   # documents read
    questions: int = 0                                # records written (after duplicates)
    by_kind: Dict[str, int] = attrs.Factory(Counter)
    by_status: Dict[str, int] = attrs.Factory(Counter)
    with_defects: int = 0                             # written records that have defects
    errors: int = 0                                   # entries in the errors file
    rejected: int = 0                                 # questions refused under strict
    failed: List[str] = attrs.Factory(list)           # inputs that (partly) failed to parse
    skipped: List[Tuple[str, str]] = attrs.Factory(list)   # (input, why it was not read)
    duplicates: int = 0                               # records of a uid met before in the run
    duplicate_examples: List[str] = attrs.Factory(list)
    merged: int = 0                                   # questions merged from several records
    conflicts: int = 0                                # source-conflict defects of the merges
    merged_with_output: int = 0                       # SQLite: merged with a stored question
    output_conflicts: int = 0                         # ... their source-conflict defects
    seconds: float = 0.0
    stdout_closed: bool = False                       # -o -: its reader closed it before the end

    @property
    def exit_status(self) -> int:
        return 1 if self.errors else 0

    def report(self) -> str:
        """The human summary printed at the end of a run."""
        rate = self.questions / self.seconds if self.seconds else 0.0
        lines = [f"{self.inputs} input(s) read, {self.questions} question(s) written to "
                 f"{self.output} ({self.format}) in {self.seconds:.1f} s ({rate:.0f} questions/s)"]
        if self.questions:
            lines.append("  by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(self.by_kind.items()) if n))
            lines.append("  by status: " + ", ".join(f"{k} {n}" for k, n in sorted(self.by_status.items()) if n))
        lines.append(f"  questions with defects: {self.with_defects}")
        if self.rejected:
            lines.append(f"  questions refused (--strict, defects): {self.rejected}")
        if self.duplicates:
            lines.append(f"  duplicates (same uid again): {self.duplicates}, merged into "
                         f"{self.merged} question(s), "
                         f"{self.conflicts - self.output_conflicts} source conflict(s)"
                         + "".join(f"\n    {e}" for e in self.duplicate_examples))
        if self.merged_with_output:
            lines.append(f"  merged with the question already in the output: "
                         f"{self.merged_with_output}, {self.output_conflicts} source conflict(s)")
        if self.skipped:
            reasons = Counter(reason for _, reason in self.skipped)
            lines.append("  skipped: " + "; ".join(f"{n} {r}" for r, n in reasons.items()))
        lines.append(f"  inputs that failed: {len(self.failed)}"
                     + "".join(f"\n    {name}" for name in self.failed[:20])
                     + (f"\n    … and {len(self.failed) - 20} more" if len(self.failed) > 20 else ""))
        if self.errors:
            lines.append(f"  problems sent to the errors: {self.errors}")
        if self.stdout_closed:
            lines.append("  stdout was closed by its reader before the end of the output")
        return "\n".join(lines)


class _Problems:
    """The errors file (JSON lines; ``-``: stdout), or stderr when there is none."""

    SHOWN = 20

    def __init__(self, path: Optional[str]):
        self.path = path
        self.count = 0
        self._file = sys.stdout if path == STDOUT else \
            open(path, "w", encoding="utf-8") if path else None

    def add(self, entry: dict) -> None:
        self.count += 1
        if self._file is not None:
            line = json.dumps(entry, ensure_ascii=False)
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:      # a lone surrogate: JSON escapes it, as "\ud83d"
                line = json.dumps(entry)
            if self._file is sys.stdout and hasattr(sys.stdout, "buffer"):
                # UTF-8, as the errors file and -o - are: not the console's encoding (an
                # accent on an ASCII or cp1252 stdout stopped the run with a traceback)
                sys.stdout.flush()
                sys.stdout.buffer.write((line + "\n").encode("utf-8"))
                sys.stdout.buffer.flush()
            else:
                self._file.write(line + "\n")
                self._file.flush()
        elif self.count <= self.SHOWN:
            from tqdm import tqdm

            where = entry["path"] + (f":{entry['position']}" if entry["position"] else "")
            # above the progress bar, not inside it
            tqdm.write(f"aqparse: {where}: {entry['error']} [{entry['code']}]", file=sys.stderr)

    def close(self) -> None:
        if self._file is sys.stdout:
            self._file.flush()
        elif self._file is not None:
            self._file.close()
        elif self.count > self.SHOWN:
            print(f"aqparse: … and {self.count - self.SHOWN} more problems (use --errors FILE "
                  "to keep them all, with their raw text)", file=sys.stderr)


class _Progress:
    """The progress bar (on a terminal): the bytes of input read, out of all there is to read
    when that can be known without reading (files, folders, zip archives: then an ETA), with
    the questions written and the problems met."""

    def __init__(self, paths: List[str], label: str, enabled: bool, file=None):
        from tqdm import tqdm

        total = input_bytes(paths) if enabled else None
        self._bar = tqdm(desc=label, total=total, unit="B", unit_scale=True, unit_divisor=1024,
                         file=file or sys.stderr, dynamic_ncols=True, disable=not enabled)

    def advance(self, done: int, questions: int, problems: int) -> None:
        if self._bar.disable:
            return
        total = self._bar.total
        # a text part counts its characters: never past the total before the end
        self._bar.update(min(done, total - self._bar.n) if total else done)
        self._bar.set_postfix_str(f"{questions} questions"
                                  + (f", {problems} problems" if problems else ""), refresh=False)

    def finish(self, questions: int, problems: int) -> None:
        """All read: at the total (skipped files and the sizes of text parts told apart), with
        the questions written once duplicates are merged."""
        if not self._bar.disable and self._bar.total:
            self._bar.update(self._bar.total - self._bar.n)
        self.advance(0, questions, problems)

    def close(self) -> None:
        self._bar.close()


# index value: the state (status rank, latest date ordinal), whether it had defects, and its
# position in the output, packed in one int to keep the per-uid index small
def _pack(state: Tuple[int, int], defects: bool, position: int) -> int:
    return (((state[0] << 22 | state[1]) << 1 | int(defects)) << 40) | position


def _unpack(value: int) -> Tuple[Tuple[int, int], bool, int]:
    position = value & ((1 << 40) - 1)
    value >>= 40
    defects = bool(value & 1)
    value >>= 1
    return (value >> 22, value & ((1 << 22) - 1)), defects, position


_STATUS_OF_RANK = {rank: status for status, rank in STATUS_RANK.items()}


def _merge_twice(writer: Writer, twice: Dict[str, List[int]], summary: Summary,
                 drop: set) -> None:
    """The records of a uid met more than once in the run, merged into one (``aqparse.merge``)
    by the writer, which adds it to the output; the summary counts the merged record instead
    of its parts, and the parts' positions are left out of the output."""
    groups = {uid: [_unpack(p)[2] for p in packed] for uid, packed in twice.items()}
    merged = writer.merge_duplicates(groups)
    for uid, packed in twice.items():
        q = merged[uid]       # its kind, status, defects and conflicts
        for p in packed:
            state, defects, position = _unpack(p)
            drop.add(position)
            summary.questions -= 1
            summary.by_kind[q.kind or "(unknown)"] -= 1
            summary.by_status[_STATUS_OF_RANK[state[0]]] -= 1
            summary.with_defects -= defects
        summary.questions += 1
        summary.by_kind[q.kind or "(unknown)"] += 1
        summary.by_status[q.status] += 1
        summary.with_defects += q.defects
        summary.merged += 1
        summary.conflicts += q.conflicts


def _script_hint() -> str:
    """Why the workers of a run started from a script most likely died: each worker imports
    the script again (Python's multiprocessing, without fork), and one whose call of
    ``convert`` is not guarded runs it again in every worker, which Python refuses."""
    main = sys.modules.get("__main__")
    script = getattr(main, "__file__", None)
    if not script or os.path.dirname(os.path.abspath(script)) == os.path.dirname(__file__):
        return ""          # the command line, an interactive session
    return (f". If {os.path.basename(script)} calls convert() or stats() at its top level, put "
            "the call under `if __name__ == \"__main__\":` (each worker process imports the "
            "script again), or pass jobs=1")


# the writers whose output replaces the file named (SQLite adds to a database; stats counts)
_REPLACED = ("jsonl", "csv", "csv-excel", "parquet")


def _outputs(writer: Writer) -> List[Optional[str]]:
    """The files a writer writes: its output, and CSV's tables beside it (``--tables``)."""
    return list(writer._paths().values()) if hasattr(writer, "_paths") else [writer.path]


def _one_file_each(writer: Writer) -> None:
    """The files a writer writes are distinct files: a table that is the output, or another
    table, through a link (``out.attributions.csv -> out.csv``) would be written into it,
    mixed, and the file named replaced with the mixture."""
    seen: dict = {}
    for out in _outputs(writer):
        if out and out != STDOUT:
            real = os.path.realpath(out)
            if real in seen:
                raise UsageError(f"{out}: the same file as {seen[real]} (through a link): "
                                 "each of the output's files must be a file of its own")
            seen[real] = out


def _not_an_input(paths: List[str], writer: Writer, errors: Optional[str]) -> None:
    """An output or errors file that is one of the files named as inputs (by its name, by a
    glob that matches it, or through a link) is refused: it would be replaced while it is
    read."""
    from .units import _expanded     # (a glob names the files it matches: they are read)

    named = set().union(*(_file_ids(p) for path in paths for p in _expanded(path)
                          if p != "-" and os.path.isfile(p)))
    for what, path in [("output", out) for out in _outputs(writer)] + [("errors file", errors)]:
        if path and path != STDOUT and _file_ids(path) & named:
            raise UsageError(f"{path}: the {what} is one of the inputs (it would be replaced "
                             "as it is read)")


def _file_ids(path: str) -> set:
    """What tells the file ``path`` names however it is named: its real path (through
    symbolic links) and, once it exists, its device and inode (a hard link is the file under
    another name). Two names share one when they name one file."""
    ids: set = {os.path.realpath(path)}
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return ids
    ids.add((st.st_dev, st.st_ino))
    return ids


def _warm_ups(paths: List[str], sizes: Sizes) -> int:
    """The workers worth starting before the first unit: as many as the units of the large
    files named (those the parent looks through before it cuts them); none for a run of small
    files, folders or stdin (their workers start as their units come)."""
    count = 0
    for path in paths:
        try:
            size = os.path.getsize(path) if os.path.isfile(path) else 0
        except OSError:
            continue
        if size > sizes.split_above:
            count += size // sizes.chunk_chars + 1
    return count


def _as_list(paths: Paths) -> List[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _jobs(jobs: Optional[int]) -> int:
    if jobs is None:
        return os.cpu_count() or 1
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"--jobs must be a whole number of at least 1, not {jobs!r}")
    return jobs


def run(paths: Paths, writer: Writer, *, jobs: Optional[int] = None, errors: Optional[str] = None,
        strict: bool = False, quiet: bool = False, tables: bool = False,
        label: str = "converting", max_question: Optional[int] = None,
        acteurs: Optional[Union[str, os.PathLike]] = None, sizes: Sizes = Sizes(),
        stdout_taken: bool = False) -> Summary:
    """The pipeline, for any writer (``convert`` and ``stats`` use it). ``sizes``: how inputs
    are cut (``units.Sizes``); ``max_question``, when given, overrides its ``max_question``.
    ``errors``: a file, ``-`` for stdout (refused when ``stdout_taken``: the output is there)."""
    paths = _as_list(paths)
    check_inputs(paths)
    jobs = _jobs(jobs)
    if jobs > 1 and multiprocessing.parent_process() is not None:
        # a worker of this very run, importing a script that calls convert unguarded
        raise UsageError("aqparse.convert was called while a worker process was starting: in "
                         "a script, call it under `if __name__ == \"__main__\":`")
    if max_question is None:
        max_question = sizes.max_question
    if not isinstance(max_question, int) or max_question < 4096:
        raise UsageError(f"--max-question-chars must be a whole number of at least 4096, "
                         f"not {max_question!r}")
    if acteurs is not None:          # a bad archive is a usage error, before any work
        from .acteurs import cached

        archive = cached(acteurs)
        if not len(archive):
            raise UsageError(f"{acteurs}: no acteur found in it (not the AN's acteurs archive)")
        acteurs = os.path.abspath(os.fspath(acteurs))
    if errors is not None and os.fspath(errors) == STDOUT:
        errors = STDOUT
        if stdout_taken:
            raise UsageError("--errors -: stdout holds the output (-o -); give the errors a file")
    elif errors is not None:
        errors = os.fspath(errors)
        # (through links, hard ones too: a link to the output is the output; --tables: its
        # tables are too; and the file the output is written to before it is put in place)
        ids = _file_ids(errors)
        if any(ids & _file_ids(o) for out in _outputs(writer) if out and out != STDOUT
               for o in (out, temp_path(out))):
            raise UsageError(f"{errors}: the errors file cannot be the output")
        try:
            write_test(errors)      # (a device or a FIFO, refused as an output is)
        except OSError as error:
            raise UsageError(str(error)) from None
    _one_file_each(writer)
    _not_an_input(paths, writer, errors)
    # in a parallel run the parent cuts the inputs and writes: a writer that can write from a
    # thread of its own (SQLite) does, so that the two overlap
    writer.background = jobs > 1
    try:
        writer.open()
    except (OSError, ImportError) as error:
        raise UsageError(str(error)) from None
    try:
        problems = _Problems(errors)
    except OSError as error:
        writer.abort()
        raise UsageError(f"{errors}: {error.strerror or error}") from None

    summary = Summary(output=writer.path, format=writer.name)
    started = time.perf_counter()
    clear_stop()
    sizes = attrs.evolve(sizes, max_question=max_question)
    index: Dict[str, int] = {}
    twice: Dict[str, List[int]] = {}     # uid -> every record of it (packed), when more than one
    drop: set = set()
    position = 0
    bar = _Progress(paths, label, enabled=not quiet and sys.stderr.isatty())
    done = False
    def seen(doc) -> None:
        summary.inputs += 1
        if isinstance(doc, Skipped):       # a README, a FIFO in a folder (``inputs.walk``)
            summary.skipped.append((doc.name, doc.why))

    task = Task(type(writer), strict, tables, acteurs)
    worked = results(units(paths, sizes, seen), jobs, task, sizes.stream_batch,
                     _warm_ups(paths, sizes) if jobs > 1 else 0)
    try:
        for result in worked:
            stop_point()
            if result.skipped:
                summary.skipped.append((result.name, result.skipped))
            if result.failed and (not summary.failed or summary.failed[-1] != result.name):
                summary.failed.append(result.name)
            for entry in result.problems:
                problems.add(entry)
                if entry.get("defects") is not None:
                    summary.rejected += 1
            for meta, payload in result.items:
                uid, kind, status, state, defects, where, line = meta
                kind = kind or "(unknown)"
                old = index.get(uid) if uid is not None else None
                if old is not None:
                    # merged at the end, field by field, whatever the order they came in
                    summary.duplicates += 1
                    if uid not in twice:
                        twice[uid] = [old]
                    twice[uid].append(_pack(state, defects, position))
                    if len(summary.duplicate_examples) < 10:
                        summary.duplicate_examples.append(f"{uid} again at {where}:{line}")
                writer.write(payload)
                if uid is not None:
                    index[uid] = _pack(state, defects, position)
                position += 1
                summary.questions += 1
                summary.by_kind[kind] += 1
                summary.by_status[status] += 1
                summary.with_defects += defects
            bar.advance(result.done, summary.questions, problems.count)
        if twice:
            _merge_twice(writer, twice, summary, drop)
        if not summary.questions and not summary.rejected and writer.name in _REPLACED:
            # no question found: the output named is left as it was (an empty file replaced a
            # dataset, when the summary said "nothing was written to" it); questions found and
            # all refused (--strict) are this run's dataset, written empty
            writer.abort()
        else:
            writer.close(drop)
        # (SQLite, once all is written) the conflicts of a question merged with the one stored
        # before the run, read once in this run: those read more are ``_merge_twice``'s
        summary.output_conflicts = sum(n for uid, n in writer.output_conflicts.items()
                                       if uid not in twice)
        summary.conflicts += summary.output_conflicts
        bar.finish(summary.questions, problems.count)
        done = True
    except BrokenProcessPool as error:
        raise OSError(f"a worker process died ({error}); what was written so far is kept "
                      "only in SQLite output" + _script_hint()) from None
    except OSError as error:      # the output: the disk is full, the file was taken away…
        if writer.path and writer.path in str(error):
            raise
        raise OSError(f"{writer.path}: cannot write: {error.strerror or error}") from None
    finally:
        worked.close()            # stops the worker processes now, not at garbage collection
        bar.close()
        problems.close()
        if not done:
            writer.abort()
        # (the run's signals end with it: a later read of a FIFO or stdin, which looks for a
        # stop as it starts to wait, is not stopped by them)
        clear_stop()
    summary.errors = problems.count
    summary.merged_with_output = writer.merged_with_output
    summary.by_kind = dict(summary.by_kind)
    summary.by_status = dict(summary.by_status)
    summary.seconds = time.perf_counter() - started
    return summary


def convert(inputs: Paths, output: Union[str, os.PathLike], *, format: Optional[str] = None,
            jobs: Optional[int] = None, errors: Optional[Union[str, os.PathLike]] = None,
            strict: bool = False, quiet: bool = False, tables: bool = False,
            max_question: Optional[int] = None,
            acteurs: Optional[Union[str, os.PathLike]] = None,
            sizes: Sizes = Sizes()) -> Summary:
    """Convert every question under ``inputs`` (files, folders, globs, zip / tar archives,
    ``-`` for stdin) into ``output``: JSONL, CSV, Parquet or SQLite, from ``format`` or the
    output's suffix (``-``: stdout, JSONL unless ``format`` says CSV, once the run is done;
    a symbolic link: the file it points to). Returns the ``Summary``; raises ``UsageError``
    for a bad argument before doing any work. See ``docs/convert.md``."""
    output = os.fspath(output)
    to_stdout = output == STDOUT
    if to_stdout and format is None:
        format = "jsonl"         # no suffix to tell it from: the records, one a line
    try:
        fmt = format_for(output, format)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if tables and fmt not in ("csv", "csv-excel"):
        raise UsageError("--tables applies to CSV output only (SQLite always has the tables)")
    options = dict(jobs=jobs, errors=errors, strict=strict, quiet=quiet, tables=tables,
                   max_question=max_question, acteurs=acteurs, sizes=sizes)
    if to_stdout:
        _stdout_usage(fmt, tables)
        return _to_stdout(inputs, fmt, options)
    return run(inputs, WRITERS[fmt](output, tables=tables), **options)


def _stdout_usage(fmt: str, tables: bool) -> None:
    if fmt not in TO_STDOUT:
        raise UsageError(f"-o - (stdout) takes --format {', '.join(TO_STDOUT)}, not {fmt}: "
                         f"{fmt} needs a file (-o NAME)")
    if tables:
        raise UsageError("--tables writes files beside the output: give a file (-o NAME.csv), "
                         "not - (stdout)")
    if sys.stdout is None:       # (closed: `aqparse convert … -o - >&-`), said before any work
        raise UsageError("-o -: there is no stdout to write to (it is closed)")


def _to_stdout(inputs: Paths, fmt: str, options: dict) -> Summary:
    """``-o -``: the output is written to a file of the temporary folder as to any file (the
    duplicates of a run are merged at its end, by reading it back), then copied to stdout:
    the same bytes, nothing on stdout before the run is done, nothing of a stopped run."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="aqparse-stdout-") as folder:
        spool = os.path.join(folder, f"output.{fmt}")
        summary = run(inputs, WRITERS[fmt](spool), stdout_taken=True, **options)
        summary.output = "<stdout>"
        if os.path.exists(spool):        # (nothing is written of a run that found nothing)
            try:
                _copy_to_stdout(spool)
            except BrokenPipeError:
                # ("-o - | head"): the reader has what it wanted; the run is done and is
                # reported as any run, its exit status its own
                stdout_closed()
                summary.stdout_closed = True
    return summary


def stdout_closed() -> None:
    """stdout closed by its reader ("| head"): pointed at /dev/null, so that the exit's
    flush stays quiet."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _copy_to_stdout(path: str) -> None:
    import shutil

    out = sys.stdout
    out.flush()
    if hasattr(out, "buffer"):
        with open(path, "rb") as f:
            shutil.copyfileobj(f, out.buffer, 1 << 20)
        out.buffer.flush()
    else:       # a text stream put in its place (by Python code, a test)
        with open(path, encoding="utf-8", newline="") as f:
            shutil.copyfileobj(f, out, 1 << 20)
        out.flush()
