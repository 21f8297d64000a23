"""convert: folders, archives and dumps of questions into one dataset, in parallel, losing none.

The pipeline::

    inputs ─▶ documents ─▶ work units ─▶ worker processes ─▶ results in input order ─▶ writer
                             (parent)     parse + encode        (bounded in flight)      (parent)

- A work unit is a small document (its bytes), or — for a large text dump — a chunk of whole
  questions cut by the parent at a line the tokenizer would also start a question at, so a
  dump of any size is parsed in parallel with flat memory; or a chunk of aqparse JSON lines.
- Workers parse leniently, apply ``strict`` by looking at ``record.defects``, and return each
  record already encoded for the writer (a JSON line, a CSV row, SQLite rows…, checked there:
  a value the format cannot hold refuses that record), so the parent only writes. ``jobs=1``
  runs the same units in-process: the output is the same byte for byte.
- A large open-data or XML dump cannot be cut without parsing it: the parent reads it as a
  stream (``inputs.parse_document``: one question in memory at a time) once the units before
  it are done, and writes its records ``STREAM_BATCH`` at a time, so memory stays flat.
- At most ``2 × jobs + 1`` units are in flight, and the parent writes them in input order.
- Nothing is lost: an input that cannot be parsed, or (under ``strict``) a question with
  defects, or a record the output cannot hold, goes to the errors file with its path, line,
  error and raw text, and the run goes on.
- Records of one uid met more than once in a run (the same question from several inputs) are
  merged field by field (``aqparse.merge``) into one record, whatever their order: the writer
  reads them back at the end of the run (``Writer.merge_duplicates``); SQLite merges with what
  the database already holds as it writes.
"""

import glob
import io
import itertools
import json
import multiprocessing
import signal
import os
import re
import sys
import time
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple, Union

import attrs

from .api import parse_text_many, sniff, text_units
from .decode import OTHER_BREAKS, decode, incremental_decoder, repair_mojibake
from .errors import InternalError, ParseError, UsageError
from .export import STATUS_RANK, WRITERS, Unwritable, Writer, format_for, latest_date, state_key
from .inputs import (READ_ERRORS, Document, Problem, Skipped, check_inputs, decoded_blocks,
                     parse_document, read_error, walk)
from .records import RECORD_KEYS, Question, looks_like_record

SPLIT_ABOVE = 2 << 20     # text documents larger than this (or of unknown size) are cut in units
CHUNK_CHARS = 1 << 20     # the size a unit cut from a text dump aims at
MAX_QUESTION_CHARS = 4 << 20    # what one question of a text dump may hold (then cut, said)
READ_BLOCK = 1 << 20
RAW_LIMIT = 1 << 20       # raw text kept in an errors-file entry (characters)
STREAM_BATCH = 500        # records of a streamed document handed to the writer at a time
RAW_KEEP = 8 << 20        # bytes of a streamed document kept for errors entries (see _Tap)
# aqparse's own JSON records (``convert`` / ``parse`` output, expected fixtures): read when
# named on the command line, skipped inside folders and archives (where they are outputs or
# the expected side of fixture pairs, not inputs)
RECORDS_SKIPPED = "aqparse record files (outputs or expected fixtures) in a folder or archive"

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
    seconds: float = 0.0

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
                         f"{self.merged} question(s), {self.conflicts} source conflict(s)"
                         + "".join(f"\n    {e}" for e in self.duplicate_examples))
        if self.merged_with_output:
            lines.append(f"  merged with the question already in the output: "
                         f"{self.merged_with_output}")
        if self.skipped:
            reasons = Counter(reason for _, reason in self.skipped)
            lines.append("  skipped: " + "; ".join(f"{n} {r}" for r, n in reasons.items()))
        lines.append(f"  inputs that failed: {len(self.failed)}"
                     + "".join(f"\n    {name}" for name in self.failed[:20])
                     + (f"\n    … and {len(self.failed) - 20} more" if len(self.failed) > 20 else ""))
        if self.errors:
            lines.append(f"  problems sent to the errors: {self.errors}")
        return "\n".join(lines)


# -- work units ------------------------------------------------------------------------------------
# ("doc", name, bytes, explicit) | ("text", name, text, char offset, first line) |
# ("records", name, JSON lines, first line) | ("skip", name, why) | ("error", name, message, code)

def _chunks(name: str, stream, head: bytes, max_question: int) -> Iterator[tuple]:
    """Cut a text dump into units of whole questions, reading it block by block (the one
    cutter: ``api.text_units``); a question too long to be held is cut, and said."""
    for unit in text_units(decoded_blocks(stream, head, READ_BLOCK), chunk=CHUNK_CHARS,
                           max_question=max_question):
        if unit.too_long:
            yield ("error", name, unit.too_long, "question-too-long")
        yield ("text", name, unit.text, unit.offset, unit.line)


def _documents(path: str) -> Iterator[Tuple[Union[Document, Problem], bool]]:
    """(document, named explicitly) for an input argument, from ``inputs.walk`` (a corrupt
    archive or an unreadable file is a ``Problem`` that costs only itself). A document is
    named explicitly when its name is the argument (or ``-``); the files a glob matches are
    named too, so a glob is expanded here."""
    if path != "-" and not os.path.exists(path) and glob.has_magic(path):
        paths = sorted(glob.glob(path, recursive=True))
    else:
        paths = [path]
    for one in paths:
        try:
            for item in walk(one):
                yield item, one == "-" or (isinstance(item, Document) and item.name == one)
        except FileNotFoundError as error:     # gone since check_inputs looked
            yield Problem(one, error), False


def _is_records(head: bytes) -> bool:
    """Whether a JSON input starts with a record in aqparse's JSON form (``convert`` /
    ``aqparse parse`` output): a JSON line, or the first item of a list."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text[:1] == "[":
        text = text[1:].lstrip(" \t\r\n")
    if text[:1] != "{":
        return False
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return False
    return looks_like_record(value)


def _record_lines(name: str, stream, head: bytes) -> Iterator[tuple]:
    """Cut aqparse JSON lines into units of whole lines."""
    buffer, line = head, 1
    while True:
        block = stream.read(READ_BLOCK)
        buffer += block
        if block and len(buffer) < CHUNK_CHARS:
            continue
        cut = len(buffer) if not block else buffer.rfind(b"\n") + 1
        if cut:
            yield ("records", name, buffer[:cut], line)
            line += buffer.count(b"\n", 0, cut)
            buffer = buffer[cut:]
        if not block:
            return


def _units_of(doc: Document, explicit: bool,
              max_question: int = MAX_QUESTION_CHARS) -> Iterator[tuple]:
    if doc.size is not None and doc.size <= SPLIT_ABOVE:
        yield ("doc", doc.name, doc.read(), explicit)
        return
    with doc.opener() as stream:
        head = stream.read(65536)
        start = head.lstrip()[:1]
        if start in (b"{", b"[") and _is_records(head):
            if not explicit:
                yield ("skip", doc.name, RECORDS_SKIPPED)
            elif start == b"{":
                yield from _record_lines(doc.name, stream, head)
            else:                       # a (large) JSON list of records: read back as a stream
                yield ("stream", doc.name, _Tap(stream, head))
            return
        try:
            is_text = sniff(decode(head[:4096] + b" ", path=doc.name)) == "text"
        except ParseError:
            is_text = False
        if is_text:
            yield from _chunks(doc.name, stream, head, max_question)
        elif len(head) < 65536:         # small after all (stdin)
            yield ("doc", doc.name, head, explicit)
        else:                           # an open-data or XML dump: streamed, in the parent
            yield ("stream", doc.name, _Tap(stream, head))


def _units(paths: List[str], summary: Summary,
           max_question: int = MAX_QUESTION_CHARS) -> Iterator[tuple]:
    for path in paths:
        for doc, explicit in _documents(path):
            summary.inputs += 1
            if isinstance(doc, Problem):
                yield ("error", doc.name, read_error(doc.name, doc.error).message, "io-error")
                continue
            if isinstance(doc, Skipped):       # a README, a FIFO in a folder (``inputs.walk``)
                summary.skipped.append((doc.name, doc.why))
                continue
            try:
                yield from _units_of(doc, explicit, max_question)
            except READ_ERRORS as error:       # a member that cannot be read (bad CRC…)
                yield ("error", doc.name, read_error(doc.name, error).message, "io-error")
            except Exception as error:         # a bug must cost this input, not the run
                yield ("error", doc.name, _internal(error), "internal-error")


# -- the worker ------------------------------------------------------------------------------------

class _Result(NamedTuple):
    name: str
    items: list          # (meta, payload) per record, in order
    problems: list       # errors-file entries
    skipped: Optional[str]
    failed: bool


_RECORD_MARKS = tuple(f'"{key}"'.encode() for key in RECORD_KEYS)


def _record_items(name: str, data: bytes) -> Optional[list]:
    """The items of a .json / .jsonl file holding aqparse records (``looks_like_record``), else
    None (open data and everything else)."""
    if not name.lower().endswith((".json", ".jsonl")):
        return None
    head = data[:65536]
    if not all(mark in head for mark in _RECORD_MARKS):     # cheap: most files stop here
        return None
    try:
        value = json.loads(data)
    except ValueError:
        try:
            value = [json.loads(line) for line in data.splitlines() if line.strip()]
        except ValueError:
            return None
    items = value if isinstance(value, list) else [value]
    if items and all(looks_like_record(i) for i in items):
        return items
    return None


# A line of text ends where the tokenizer counts one (``count_lines``): "\n", "\r\n", a lone
# "\r", and the other breaks of str.splitlines() (form feed, U+2028…). A line of aqparse's
# own JSON lines ends at "\n", "\r\n" or "\r" only (``bytes.splitlines``): a record's text
# may hold U+2028.
_BREAKS = "\r\n" + OTHER_BREAKS
_LINE = re.compile(f"[^{_BREAKS}]*(?:\r\n|[{_BREAKS}])|[^{_BREAKS}]+")
_JSON_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _split_lines(text: str, json_lines: bool = False) -> List[str]:
    """``text`` cut into lines as the tokenizer counts them, each with its line end."""
    return (_JSON_LINE if json_lines else _LINE).findall(text)


class _Raw:
    """The raw text of a unit, decoded only when a problem needs it."""

    def __init__(self, unit: tuple):
        self.unit = unit
        self._lines: Optional[List[str]] = None
        self.encoding: Optional[str] = None

    def lines(self) -> List[str]:
        if self._lines is None:
            kind = self.unit[0]
            if kind == "text":
                text = self.unit[2]
            elif kind == "records":
                text = self.unit[2].decode("utf-8", errors="replace")
            elif kind == "doc":
                try:
                    text = decode(self.unit[2])
                except ParseError:            # binary: one character per byte, reversible
                    text, self.encoding = self.unit[2].decode("latin-1"), "latin-1"
            else:
                text = ""
            self._lines = _split_lines(text, json_lines=kind == "records")
        return self._lines

    def first_line(self) -> int:
        return {"text": lambda: self.unit[4], "records": lambda: self.unit[3]}.get(
            self.unit[0], lambda: 1)()

    def between(self, start: Optional[int], end: Optional[int]) -> Tuple[str, bool]:
        """(the lines from ``start`` to before ``end``, all of them): None is the unit's start,
        or its end."""
        lines = self.lines()
        first = self.first_line()
        a = 0 if start is None else max(0, start - first)
        b = len(lines) if end is None else max(a, end - first)
        return "".join(lines[a:b]), True


_BREAK = re.compile(rb"\r\n|\r|\n")      # a line end, as the tokenizer counts them


class _Tap(io.BufferedIOBase):
    """A large document that is parsed as a stream (an open-data or XML dump) is read through
    this. It keeps the bytes from line ``first`` on — the question being parsed and what the
    parser read ahead, at most ``RAW_KEEP`` bytes — so that an errors entry can still quote a
    question's lines once the parser has gone past them; ``release(line)`` forgets the lines
    before ``line``. Memory stays flat whatever the size of the document."""

    def __init__(self, stream, head: bytes):
        super().__init__()
        self._stream = stream
        self._replay = head               # read already: given out first
        self._kept = bytearray()
        self._first: Optional[int] = 1    # the line kept[0] starts; None: at the next line start
        self._full = False                # bytes after kept were dropped (RAW_KEEP reached)
        self._breaks = 0                  # line ends in all that was read
        self._cr = False                  # what was read ends with "\r"
        self._eof = False
        self.encoding: Optional[str] = None
        self._keep(head)

    def readable(self) -> bool:
        return True

    def read(self, size: Optional[int] = -1) -> bytes:
        if size is None or size < 0:
            out, self._replay = self._replay, b""
            return out + self._pull(-1)
        out, self._replay = self._replay[:size], self._replay[size:]
        if len(out) < size:
            out += self._pull(size - len(out))
        return out

    def _pull(self, size: int) -> bytes:
        data = b"" if self._eof else self._stream.read(size)
        if not data or size < 0:
            self._eof = True
        self._keep(data)
        return data

    def _count(self, data) -> int:
        """Line ends in ``data``, read right after what was read so far."""
        return (data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
                - (self._cr and data[:1] == b"\n"))

    def _keep(self, data: bytes) -> None:
        if not data:
            return
        if self._first is None:           # kept again from the next line start
            start = 1 if self._cr and data[:1] == b"\n" else None
            if start is None:
                m = _BREAK.search(data)
                if m is not None and not (m.group() == b"\r" and m.end() == len(data)):
                    start = m.end()
            if start is not None:
                self._first = self._breaks + self._count(data[:start]) + 1
                self._kept = bytearray(data[start:start + RAW_KEEP])
                self._full = len(data) - start > RAW_KEEP
        elif not self._full:
            room = RAW_KEEP - len(self._kept)
            self._kept += data[:room]
            self._full = len(data) > room
        self._breaks += self._count(data)
        self._cr = data[-1:] == b"\r"

    def _offset(self, line: int) -> Optional[int]:
        """Where ``line`` starts in what is kept, or None if it is not there."""
        if self._first is None or line < self._first:
            return None
        if line == self._first:
            return 0
        m = next(itertools.islice(_BREAK.finditer(self._kept), line - self._first - 1, None), None)
        return m.end() if m is not None else None

    def release(self, line: Optional[int]) -> None:
        """Nothing before ``line`` will be asked for again."""
        if line is None or self._first is None or line <= self._first:
            return
        at = self._offset(line)
        if at is not None and (at < len(self._kept) or not self._full):
            del self._kept[:at]
            self._first = line
        else:                             # it starts in what was dropped: start again
            self._kept, self._full, self._first = bytearray(), False, None

    def between(self, start: Optional[int], end: Optional[int]) -> Tuple[str, bool]:
        """(the lines from ``start`` to before ``end``, all of them): None is the start of the
        document, or its end (read on, as far as an errors entry can hold)."""
        a = self._offset(1 if start is None else start)
        if a is None:
            return "", False
        if end is None:
            while not self._eof and not self._full and len(self._kept) - a <= RAW_LIMIT:
                self._pull(READ_BLOCK)
        b = len(self._kept) if end is None else self._offset(end)
        complete = b is not None and not (self._full and b == len(self._kept))
        if end is None:
            complete = complete and self._eof
        data = bytes(self._kept[a:len(self._kept) if b is None else b])
        if not complete:                  # cut short: maybe inside a UTF-8 character
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                if error.reason == "unexpected end of data":
                    data = data[:error.start]
        if not data:
            return "", complete
        try:
            return decode(data), complete
        except ParseError:                # binary: one character per byte, reversible
            self.encoding = "latin-1"
            return data.decode("latin-1"), complete


def _entry(name: str, line: Optional[int], code: str, message: str, raw, start, end,
           **more) -> dict:
    text, complete = raw.between(start, end)
    entry = {"path": name, "position": line, "code": code, "error": message}
    entry.update(more)
    entry["raw"] = text[:RAW_LIMIT]
    if len(text) > RAW_LIMIT or not complete:
        entry["raw_truncated"] = True
    if raw.encoding:
        entry["raw_encoding"] = raw.encoding
    return entry


def _internal(error: Exception) -> str:
    return f"internal error: {type(error).__name__}: {error}"


def _line_of(q: Question, name: str) -> Optional[int]:
    """The line of input ``name`` where ``q`` starts (None for a record read back from
    aqparse's JSON form inside a list: its source is another input)."""
    return q.source.line if q.source.path == name else None


def _parse_unit(unit: tuple) -> Tuple[List[Question], Optional[ParseError], List[Optional[int]]]:
    """The records of a unit, the error that stopped it (if any), and the line of the unit
    where each record starts (its source line; for records read from JSON lines, that line)."""
    records, error, lines = _parse_records(unit)
    if unit[0] != "records":
        lines = [_line_of(q, unit[1]) for q in records]
    return records, error, lines


def _parse_records(unit: tuple):
    kind, name = unit[0], unit[1]
    records: List[Question] = []
    lines: List[int] = []
    try:
        if kind == "doc":
            data = unit[2]
            doc = Document(name, lambda: io.BytesIO(data), len(data))
            records.extend(parse_document(doc))
        elif kind == "text":
            text, offset, first_line = unit[2], unit[3], unit[4]
            records.extend(parse_text_many(repair_mojibake(text), path=name, offset=offset,
                                           first_line=first_line))
        elif kind == "records":
            from .opendata import read_record   # the one reader of aqparse's own records

            for number, line in enumerate(unit[2].splitlines(), unit[3]):
                if line.strip():
                    try:
                        obj = json.loads(line)
                    except ValueError as error:
                        return records, ParseError(f"not an aqparse record: {error}",
                                                   code="bad-record", path=name, line=number), lines
                    records.append(read_record(obj, path=name, line=number))
                    lines.append(number)
        else:
            return records, ParseError(unit[2], code=unit[3], path=name), lines
    except ParseError as error:
        return records, error, lines
    except Exception as error:   # a bug in a parser must not stop the run: report it
        return records, InternalError(_internal(error), path=name), lines
    return records, None, lines


def _outcome(q: Question, writer: type, strict: bool, tables: bool,
             acteurs: Optional[str] = None):
    """(the record encoded for the writer, with what the parent needs to know of it, None),
    or (None, why it was refused: code, message, more keys of its errors entry). With
    ``acteurs``, the author is completed from the AN's acteurs archive first."""
    if acteurs is not None:
        from .acteurs import cached          # loaded once per process

        q = cached(acteurs).enrich(q)
    if strict and q.defects:
        return None, (q.defects[0].code, q.defects[0].message, {
            "uid": q.uid,
            "defects": [{"code": d.code, "message": d.message, "line": d.line} for d in q.defects]})
    latest = latest_date(q)       # once: the writer and the duplicates rule both need it
    try:
        payload = writer.encode(q, latest, tables)
    except Unwritable as exc:
        return None, ("unwritable-value", f"{writer.name} cannot hold this record: {exc}",
                      {"uid": q.uid})
    except Exception as exc:     # a bug costs this record, reported, not the run
        return None, ("internal-error", f"cannot write this record: {type(exc).__name__}: {exc}",
                      {"uid": q.uid})
    meta = (q.uid, q.kind, q.status, state_key(q.status, latest), bool(q.defects),
            q.source.path, q.source.line)
    return (meta, payload), None


def _refused(name: str, q: Question, why: tuple, raw, line: Optional[int],
             end: Optional[int]) -> dict:
    """The errors entry of a refused record: its raw text is its lines, from ``line`` to
    before ``end`` (where the next record starts). When it has no lines of its own (a record
    that shares its line with others, as in a one-line JSON dump), the entry holds the
    record in its JSON form instead, so that nothing is lost."""
    code, message, more = why
    if line is None:
        raw = _NO_RAW
    entry = _entry(name, line, code, message, raw, line, end, **more)
    if not entry["raw"]:
        entry["record"] = q.to_dict()
    return entry


class _NoRaw:
    encoding = None

    @staticmethod
    def between(start, end):
        return "", True


_NO_RAW = _NoRaw()


def _work(unit: tuple, writer: type, strict: bool, tables: bool,
          acteurs: Optional[str] = None) -> _Result:
    """Parse one unit and encode its records for ``writer`` (runs in a worker process)."""
    name = unit[1]
    if unit[0] == "skip":
        return _Result(name, [], [], unit[2], False)
    if unit[0] == "doc":
        items = _record_items(name, unit[2])
        if items is not None and not unit[3]:
            return _Result(name, [], [], RECORDS_SKIPPED, False)
        if items is not None:
            unit = ("records", name, b"\n".join(json.dumps(i).encode() for i in items), 1)
    records, error, lines = _parse_unit(unit)
    raw = _Raw(unit)
    items, problems = [], []
    ends = lines[1:] + [error.line if error else None]
    for q, line, end in zip(records, lines, ends):
        item, why = _outcome(q, writer, strict, tables, acteurs)
        if why is None:
            items.append(item)
        else:
            problems.append(_refused(name, q, why, raw, line, end))
    if error is not None:
        start = error.line if records else None
        problems.append(_entry(name, error.line, error.code, error.message, raw, start, None))
    return _Result(name, items, problems, None, error is not None)


def _streamed(unit: tuple, writer: type, strict: bool, tables: bool,
              acteurs: Optional[str] = None) -> Iterator[_Result]:
    """A large open-data or XML dump, parsed as a stream (``inputs.parse_document``: one
    question in memory at a time), in the parent; its records are handed to the writer
    ``STREAM_BATCH`` at a time, so memory stays flat whatever the size of the dump."""
    _, name, tap = unit
    records = parse_document(Document(name, lambda: tap, None))
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
            error = InternalError(_internal(exc), path=name)
        if error is not None:
            break
        found = True
        line = _line_of(q, name)
        problems += [_refused(name, *w, line if line is not None else w[-1]) for w in waiting]
        waiting = []
        tap.release(line)
        item, why = _outcome(q, writer, strict, tables, acteurs)
        if why is None:
            items.append(item)
        else:
            waiting.append((q, why, tap, line))
        if len(items) + len(problems) >= STREAM_BATCH:
            yield _Result(name, items, problems, None, False)
            items, problems = [], []
    end = error.line if error is not None else None
    problems += [_refused(name, *w, end) for w in waiting]
    if error is not None:
        start = error.line if found else None
        problems.append(_entry(name, error.line, error.code, error.message, tap, start, None))
    yield _Result(name, items, problems, None, error is not None)


# -- the parent --------------------------------------------------------------------------------------

def _results(units: Iterator[tuple], jobs: int, args: tuple) -> Iterator[_Result]:
    """The results of the units, in input order: a streamed dump is read in the parent (its
    units before it are finished first), every other unit in a worker."""
    if jobs == 1:
        for unit in units:
            stop_point()
            if unit[0] == "stream":
                yield from _streamed(unit, *args)
            else:
                yield _work(unit, *args)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_start)
    try:
        in_flight: deque = deque()
        for unit in units:
            stop_point()
            if unit[0] == "stream":
                while in_flight:
                    yield in_flight.popleft().result()
                yield from _streamed(unit, *args)
                continue
            in_flight.append(pool.submit(_work, unit, *args))
            if len(in_flight) > 2 * jobs:
                yield in_flight.popleft().result()
        while in_flight:
            stop_point()
            yield in_flight.popleft().result()
    except BaseException:
        # stopped (Ctrl-C, SIGTERM, an error of the output): the workers are stopped now,
        # not left to finish their units, and none is left behind
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        _stop_helpers()
        raise
    pool.shutdown(wait=True)


class Stopped(KeyboardInterrupt):
    """A run asked to stop (SIGTERM, Ctrl-C): raised at a safe point of the run, between two
    units, never inside a lock of the worker pool (which an exception raised by a signal
    handler at any point could leave held, and the run hung)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_STOP: List[int] = []       # the signals received, for ``stop_point``


def request_stop(signum: int, frame=None) -> None:
    """A signal handler: the run stops at its next safe point; a second signal stops it at
    once (Ctrl-C twice)."""
    if _STOP:
        raise Stopped(signum)
    _STOP.append(signum)


def stop_point() -> None:
    if _STOP:
        raise Stopped(_STOP[0])


def _stop_helpers() -> None:
    """Stop the fork server and the resource tracker multiprocessing started, now: left to
    themselves they outlive a stopped run by seconds. (Private hooks of the standard library,
    used when present.)"""
    from multiprocessing import forkserver, resource_tracker

    for helper in (getattr(forkserver, "_forkserver", None),
                   getattr(resource_tracker, "_resource_tracker", None)):
        try:
            helper._stop()
        except Exception:      # absent in this Python, or already stopped: nothing to do
            pass


def _worker_start() -> None:
    # Ctrl-C reaches every process of the terminal: the parent alone handles it (it stops the
    # workers), so that no worker prints a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Problems:
    """The errors file (JSON lines), or stderr when there is none."""

    SHOWN = 20

    def __init__(self, path: Optional[str]):
        self.path = path
        self.count = 0
        self._file = open(path, "w", encoding="utf-8") if path else None

    def add(self, entry: dict) -> None:
        self.count += 1
        if self._file is not None:
            line = json.dumps(entry, ensure_ascii=False)
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:      # a lone surrogate: JSON escapes it, as "\ud83d"
                line = json.dumps(entry)
            self._file.write(line + "\n")
            self._file.flush()
        elif self.count <= self.SHOWN:
            from tqdm import tqdm

            where = entry["path"] + (f":{entry['position']}" if entry["position"] else "")
            # above the progress bar, not inside it
            tqdm.write(f"aqparse: {where}: {entry['error']} [{entry['code']}]", file=sys.stderr)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        elif self.count > self.SHOWN:
            print(f"aqparse: … and {self.count - self.SHOWN} more problems (use --errors FILE "
                  "to keep them all, with their raw text)", file=sys.stderr)


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
        label: str = "converting", max_question: int = MAX_QUESTION_CHARS,
        acteurs: Optional[Union[str, os.PathLike]] = None) -> Summary:
    """The pipeline, for any writer (``convert`` and ``stats`` use it)."""
    paths = _as_list(paths)
    check_inputs(paths)
    jobs = _jobs(jobs)
    if not isinstance(max_question, int) or max_question < 4096:
        raise UsageError(f"--max-question-chars must be a whole number of at least 4096, "
                         f"not {max_question!r}")
    if acteurs is not None:          # a bad archive is a usage error, before any work
        from .acteurs import cached

        archive = cached(acteurs)
        if not len(archive):
            raise UsageError(f"{acteurs}: no acteur found in it (not the AN's acteurs archive)")
        acteurs = os.path.abspath(os.fspath(acteurs))
    if errors is not None:
        errors = os.fspath(errors)
        if writer.path and os.path.abspath(errors) == os.path.abspath(writer.path):
            raise UsageError(f"{errors}: the errors file cannot be the output")
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
    _STOP.clear()
    index: Dict[str, int] = {}
    twice: Dict[str, List[int]] = {}     # uid -> every record of it (packed), when more than one
    drop: set = set()
    position = 0
    from tqdm import tqdm

    bar = tqdm(desc=label, unit=" questions", file=sys.stderr, dynamic_ncols=True,
               disable=quiet or not sys.stderr.isatty())
    done = False
    results = _results(_units(paths, summary, max_question), jobs,
                       (type(writer), strict, tables, acteurs))
    try:
        for result in results:
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
            bar.update(len(result.items))
            if problems.count:
                bar.set_postfix(problems=problems.count, refresh=False)
        if twice:
            _merge_twice(writer, twice, summary, drop)
        writer.close(drop)
        done = True
    except BrokenProcessPool as error:
        raise OSError(f"a worker process died ({error}); what was written so far is kept "
                      "only in SQLite output") from None
    except OSError as error:      # the output: the disk is full, the file was taken away…
        if writer.path and writer.path in str(error):
            raise
        raise OSError(f"{writer.path}: cannot write: {error.strerror or error}") from None
    finally:
        results.close()           # stops the worker processes now, not at garbage collection
        bar.close()
        problems.close()
        if not done:
            writer.abort()
    summary.errors = problems.count
    summary.merged_with_output = writer.merged_with_output
    summary.by_kind = dict(summary.by_kind)
    summary.by_status = dict(summary.by_status)
    summary.seconds = time.perf_counter() - started
    return summary


def convert(inputs: Paths, output: Union[str, os.PathLike], *, format: Optional[str] = None,
            jobs: Optional[int] = None, errors: Optional[Union[str, os.PathLike]] = None,
            strict: bool = False, quiet: bool = False, tables: bool = False,
            max_question: int = MAX_QUESTION_CHARS,
            acteurs: Optional[Union[str, os.PathLike]] = None) -> Summary:
    """Convert every question under ``inputs`` (files, folders, globs, zip / tar archives,
    ``-`` for stdin) into ``output``: JSONL, CSV, Parquet or SQLite, from ``format`` or the
    output's suffix. Returns the ``Summary``; raises ``UsageError`` for a bad argument before
    doing any work. See ``docs/convert.md``."""
    output = os.fspath(output)
    try:
        fmt = format_for(output, format)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if tables and fmt != "csv":
        raise UsageError("--tables applies to CSV output only (SQLite always has the tables)")
    writer = WRITERS[fmt](output, tables=tables)
    return run(inputs, writer, jobs=jobs, errors=errors, strict=strict, quiet=quiet, tables=tables,
               max_question=max_question, acteurs=acteurs)
