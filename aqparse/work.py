"""work: what a worker process does with one unit — parse it, and encode its records for the
writer — and what the parent does with a dump it reads as a stream.

Workers parse leniently, apply ``strict`` by looking at ``record.defects``, and return each
record already encoded for the writer (a JSON line, a CSV row, SQLite rows…, checked there: a
value the format cannot hold refuses that record), so the parent only writes. A refused record
or a failed unit becomes an errors-file entry with its raw lines (``rawtext``).
"""

import io
import json
from typing import Iterator, List, NamedTuple, Optional, Tuple

import attrs

from .text import parse_text_many
from .decode import repair_mojibake
from .errors import InternalError, ParseError
from .export import Unwritable, latest_date, state_key
from .inputs import (HEAD, READ_ERRORS, RECORDS_SKIPPED, Document, document_items,
                     read_error, record_form, record_lines)
from .rawtext import NO_RAW, Raw, entry
from .records import Question, looks_like_record
from .units import (Failure, RecordLines, Skip, Stream, TextPart, Unit, Whole,
                    internal)


class Meta(NamedTuple):
    """What the parent needs to know of a record it writes (the summary, the duplicates)."""

    uid: Optional[str]
    kind: Optional[str]
    status: str
    state: Tuple[int, int]      # ``export.state_key``: which of two records is the later state
    defects: bool
    path: Optional[str]
    line: Optional[int]


class Result(NamedTuple):
    name: str
    items: List[Tuple[Meta, object]]    # (meta, the record encoded for the writer), in order
    problems: List[dict]                # errors-file entries
    skipped: Optional[str]
    failed: bool
    done: int = 0                       # bytes of input it stands for (the progress bar)


@attrs.frozen
class Task:
    """How every unit of a run is worked: the writer's class (its encoder), the strict policy,
    CSV's side tables, the acteurs archive that completes authors."""

    writer: type
    strict: bool = False
    tables: bool = False
    acteurs: Optional[str] = None


# -- parsing a unit --------------------------------------------------------------------------------

def _records_of_whole(unit: Whole) -> Iterator[Tuple[object, Optional[int]]]:
    doc = Document(unit.name, lambda: io.BytesIO(unit.data), len(unit.data))
    return ((q, q.line if isinstance(q, ParseError) else _line_of(q, unit.name))
            for q in document_items(doc))


def _records_of_text(unit: TextPart) -> Iterator[Tuple[Question, Optional[int]]]:
    records = parse_text_many(repair_mojibake(unit.text), path=unit.name, offset=unit.offset,
                              first_line=unit.line, page=unit.page,
                              links=unit.links)
    return ((q, _line_of(q, unit.name)) for q in records)


def _records_of_lines(unit: RecordLines) -> Iterator[Tuple[object, Optional[int]]]:
    """The records of JSON lines, each line on its own (``inputs.record_lines``): a bad line
    is given as its ``ParseError`` and the lines after it are read."""
    return record_lines(unit.data.splitlines(), unit.name, unit.line)


def _records_of_failure(unit: Failure) -> Iterator[Tuple[Question, Optional[int]]]:
    raise ParseError(unit.message, code=unit.code, path=unit.name)


# each kind of unit a worker parses: its (record, line where it starts) pairs, and its raw
# text (for the errors file)
PARSERS = {Whole: _records_of_whole, TextPart: _records_of_text,
           RecordLines: _records_of_lines, Failure: _records_of_failure}
RAW = {Whole: lambda u: Raw(u.data), TextPart: lambda u: Raw(u.text, u.line),
       RecordLines: lambda u: Raw(u.data, u.line, json_lines=True), Failure: lambda u: NO_RAW}
# and the bytes of input it stands for (a text part: its characters, near enough)
WEIGHT = {Whole: lambda u: len(u.data), TextPart: lambda u: len(u.text),
          RecordLines: lambda u: len(u.data), Failure: lambda u: 0}


def _line_of(q: Question, name: str) -> Optional[int]:
    """The line of input ``name`` where ``q`` starts (None for a record read back from
    aqparse's JSON form inside a list: its source is another input)."""
    return q.source.line if q.source.path == name else None


def parse_unit(unit: Unit) -> Tuple[List[Question], Optional[ParseError], List[Optional[int]],
                                    List[ParseError]]:
    """The records of a unit, the error that stopped it (if any; the records before it are
    kept), the line of the unit where each record starts (its source line; for records
    read from JSON lines, that line), and the errors of lines read on their own (JSON lines:
    each bad line is one, and the reading goes on)."""
    records: List[Question] = []
    lines: List[Optional[int]] = []
    bad_lines: List[ParseError] = []
    try:
        for q, line in PARSERS[type(unit)](unit):
            if isinstance(q, ParseError):
                bad_lines.append(q)
                continue
            records.append(q)
            lines.append(line)
    except ParseError as error:
        return records, error, lines, bad_lines
    except Exception as error:   # a bug in a parser must not stop the run: report it
        return records, InternalError(internal(error), path=unit.name), lines, bad_lines
    return records, None, lines, bad_lines


def _record_list(data: bytes) -> Optional[list]:
    """The records of a JSON file of aqparse's records written as one value (a list, or one
    record printed with indents), else None (it is read as any JSON input is)."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):    # (a value nested deeper than json can decode)
        return None
    items = value if isinstance(value, list) else [value]
    return items if items and all(looks_like_record(i) for i in items) else None


# -- encoding its records --------------------------------------------------------------------------

def outcome(q: Question, task: Task):
    """(the record encoded for the writer, with its ``Meta``, None), or (None, why it was
    refused: code, message, more keys of its errors entry). With ``task.acteurs``, the author
    is completed from the AN's acteurs archive first."""
    if task.acteurs is not None:
        from .acteurs import cached          # loaded once per process

        q = cached(task.acteurs).enrich(q)
    if task.strict and q.defects:
        return None, (q.defects[0].code, q.defects[0].message, {
            "uid": q.uid,
            "defects": [{"code": d.code, "message": d.message, "line": d.line} for d in q.defects]})
    latest = latest_date(q)       # once: the writer and the duplicates rule both need it
    try:
        payload = task.writer.encode(q, latest, task.tables)
    except Unwritable as exc:
        return None, ("unwritable-value", f"{task.writer.name} cannot hold this record: {exc}",
                      {"uid": q.uid})
    except Exception as exc:     # a bug costs this record, reported, not the run
        return None, ("internal-error", f"cannot write this record: {type(exc).__name__}: {exc}",
                      {"uid": q.uid})
    meta = Meta(q.uid, q.kind, q.status, state_key(q.status, latest), bool(q.defects),
                q.source.path, q.source.line)
    return (meta, payload), None


def refused(name: str, q: Question, why: tuple, raw, line: Optional[int],
            end: Optional[int]) -> dict:
    """The errors entry of a refused record: its raw text is its lines, from ``line`` to
    before ``end`` (where the next record starts). When it has no lines of its own (a record
    that shares its line with others, as in a one-line JSON dump), the entry holds the
    record in its JSON form instead, so that nothing is lost."""
    code, message, more = why
    if line is None:
        raw = NO_RAW
    out = entry(name, line, code, message, raw, line, end, **more)
    if not out["raw"]:
        out["record"] = q.to_dict()
    return out


# a short question, read once by each worker at its start (``pool``): what a text needs
# compiled (the tokenizer's patterns, a fifth of a second) is compiled then
_WARM_TEXT = ("15ème législature\n"
              "Question N° 1 de M. Jean Martin (Socialiste - Ain) QE\n"
              "Ministère interrogé > Culture\n"
              "Question publiée au JO le : 07/01/2020 page : 12\n"
              "Texte de la question\nUne question.\n"
              "Réponse publiée au JO le : 03/03/2020 page : 1750\n"
              "Texte de la réponse\nUne réponse.\n")


def warm() -> None:
    """Compile what reading a text needs, at a worker's start (before it has a unit)."""
    try:
        for _ in parse_text_many(_WARM_TEXT):
            pass
    except Exception:    # (a warm-up, not work: a fault shows at the first real text)
        pass


def work(unit: Unit, task: Task) -> Result:
    """Parse one unit and encode its records (runs in a worker process)."""
    if isinstance(unit, Skip):
        return Result(unit.name, [], [], unit.why, False)
    done = WEIGHT[type(unit)](unit)
    if isinstance(unit, Whole) and unit.name.lower().endswith((".json", ".jsonl")):
        form = record_form(unit.data[:HEAD])     # (cheap: most files stop at its first check)
        if form is not None and not unit.explicit:
            return Result(unit.name, [], [], RECORDS_SKIPPED, False, done)
        if form == "lines":       # read line by line: a bad line is its own error
            unit = RecordLines(unit.name, unit.data, 1)
        elif form == "json":
            items = _record_list(unit.data)
            if items is not None:
                unit = RecordLines(unit.name, b"\n".join(json.dumps(i).encode() for i in items),
                                   1)
    records, error, lines, bad_lines = parse_unit(unit)
    raw = RAW[type(unit)](unit)
    items, problems = [], []
    for bad in bad_lines:        # (its raw text: its line alone)
        problems.append(entry(unit.name, bad.line, bad.code, bad.message, raw, bad.line,
                              bad.line + 1))
    ends = lines[1:] + [error.line if error else None]
    for q, line, end in zip(records, lines, ends):
        item, why = outcome(q, task)
        if why is None:
            items.append(item)
        else:
            problems.append(refused(unit.name, q, why, raw, line, end))
    if error is not None:
        start = error.line if records else None
        problems.append(entry(unit.name, error.line, error.code, error.message, raw, start, None))
    return Result(unit.name, items, problems, None, error is not None, done)


def streamed(unit: Stream, task: Task, batch: int = 500) -> Iterator[Result]:
    """A large open-data or XML dump, parsed as a stream (``inputs.document_items``: one
    question in memory at a time; a bad line of JSON lines is its own errors entry), in the
    parent; its records are handed to the writer ``batch`` at a time, so memory stays flat
    whatever the size of the dump."""
    name, tap = unit.name, unit.tap
    records = document_items(Document(name, lambda: tap, None))
    items: list = []
    problems: list = []
    waiting: list = []     # refused records whose raw text ends where the next one starts
    error: Optional[ParseError] = None
    found = False
    while True:
        try:
            q = next(records)
        except StopIteration:
            break
        except ParseError as exc:
            error = exc
        except READ_ERRORS as exc:     # a bad member of an archive
            error = read_error(name, exc)
        except Exception as exc:       # a bug in a parser must not stop the run
            error = InternalError(internal(exc), path=name)
        if error is not None:
            break
        if isinstance(q, ParseError):     # a bad line of JSON lines: the next are read
            problems += [refused(name, *w, q.line) for w in waiting]
            waiting = []
            problems.append(entry(name, q.line, q.code, q.message, tap, q.line, q.line + 1))
            tap.release(q.line + 1)
        else:
            found = True
            line = _line_of(q, name)
            problems += [refused(name, *w, line if line is not None else w[-1])
                         for w in waiting]
            waiting = []
            tap.release(line)
            item, why = outcome(q, task)
            if why is None:
                items.append(item)
            else:
                waiting.append((q, why, tap, line))
        if len(items) + len(problems) >= batch:
            yield Result(name, items, problems, None, False, tap.take_read())
            items, problems = [], []
    end = error.line if error is not None else None
    problems += [refused(name, *w, end) for w in waiting]
    if error is not None:
        start = error.line if found else None
        problems.append(entry(name, error.line, error.code, error.message, tap, start, None))
    yield Result(name, items, problems, None, error is not None, tap.take_read())
