"""export: records to JSONL, CSV, Parquet and SQLite — one small writer class per format.

Writers are chosen from ``WRITERS`` by name or by the output's suffix (``SUFFIXES``). Each has
``encode(record, latest)`` (run in the worker processes: the record to what the writer stores,
checked there — a value the format cannot hold raises ``Unwritable`` — so the parent's writing
cannot fail on a record), and ``open()`` / ``write(payload)`` / ``close(drop)`` (run in the
parent, in input order).

The tabular forms all come from one description of the record:

- ``COLUMNS``: the flat form (one row per question), derived from the record's attrs fields, so
  a field added to a record gets its column(s) without touching this module. A nested record
  becomes ``<field>_<subfield>`` columns (a ministry's ``name`` is the column ``<field>``
  itself); a list of records becomes one list column per subfield, ``<list>_<subfield>``;
  ``extra`` is a JSON object. CSV joins list items with ``" | "``; Parquet keeps them as typed
  lists, dates as dates.
- ``TABLES``: one table per list of records (attributions, signalements, renewals, errata,
  defects), keyed by ``(uid, position)``: SQLite's child tables and the CSV ``--tables``.

Records of one ``uid`` are merged field by field (``merge.merge_one``): those met twice in a run
at its end (``Writer.merge_duplicates``: each writer reads its own output back), and in SQLite
a record with the question the database already holds, as it is written.
"""

import csv
import datetime as _dt
import io
import functools
import hashlib
import itertools
import json
import operator
import os
import queue
import sqlite3
import threading
import typing
from array import array
from types import MappingProxyType
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Mapping, NamedTuple, Optional,
                    Tuple)

import attrs

from .inputs import (PARQUET_MAGIC, SQLITE_MAGIC,  # noqa: F401 (told apart there)
                     csv_delimiter, output_format)
from .records import ANSWERED_CODE, Ministry, Publication, Question, Withdrawal

# the "newer state" rule lives with the merging of records it orders (``merge``)
from .merge import (STATUS_RANK, content, latest_date, merge_one,  # noqa: E402,F401
                    precedence, state_key, state_of, supersedes)


# -- the flat form -------------------------------------------------------------------------------

class Column(NamedTuple):
    """One column of the flat form. ``type``: str, int, date, json, or list[str|int|date]."""

    name: str
    type: str
    get: Callable[[Question], Any]


_SCALARS = {str: "str", int: "int", _dt.date: "date"}


def _base(tp):
    """``Optional[X]`` → X."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if typing.get_origin(tp) is typing.Union and len(args) == 1 else tp


def _sub_name(prefix: str, cls, name: str) -> str:
    return prefix if (cls is Ministry and name == "name") else f"{prefix}_{name}"


def _leaves(cls, prefix: str):
    """(column name, scalar type, path) for every scalar under an attrs class; a nested
    attrs class (a ministry inside an attribution) is flattened one more level."""
    for f in attrs.fields(cls):
        tp = _base(f.type)
        name = _sub_name(prefix, cls, f.name)
        if attrs.has(tp):
            for sub, sub_tp, path in _leaves(tp, name):
                yield sub, sub_tp, (f.name,) + path
        else:
            yield name, _SCALARS.get(tp, "str"), (f.name,)


def _walk(value, path):
    for name in path:
        if value is None:
            return None
        value = getattr(value, name)
    return value


def _make_columns() -> Tuple[Column, ...]:
    out: List[Column] = []
    for f in attrs.fields(Question):
        tp = _base(f.type)
        origin = typing.get_origin(tp)
        if origin is tuple:
            item = typing.get_args(tp)[0]
            if attrs.has(item):    # a list of records: one list column per leaf
                for name, sub_tp, path in _leaves(item, f.name):
                    out.append(Column(name, f"list[{sub_tp}]",
                                      lambda q, a=f.name, p=path: [_walk(i, p) for i in getattr(q, a)]))
            else:
                out.append(Column(f.name, f"list[{_SCALARS.get(item, 'str')}]",
                                  lambda q, a=f.name: list(getattr(q, a))))
        elif origin is dict or tp is dict:
            out.append(Column(f.name, "json", lambda q, a=f.name: dict(getattr(q, a))))
        elif attrs.has(tp):
            for name, sub_tp, path in _leaves(tp, f.name):
                out.append(Column(name, sub_tp, lambda q, a=f.name, p=path: _walk(getattr(q, a), p)))
        else:
            out.append(Column(f.name, _SCALARS.get(tp, "str"), lambda q, a=f.name: getattr(q, a)))
    return tuple(out)


COLUMNS: Tuple[Column, ...] = _make_columns()
COLUMN_NAMES: Tuple[str, ...] = tuple(c.name for c in COLUMNS)


def flat_row(q: Question) -> list:
    """The record as one flat row (Python values: dates, ints, lists, a dict for extra)."""
    return [c.get(q) for c in COLUMNS]


def _build(cls, values: Dict[Tuple[str, ...], Any]):
    """An attrs record from {path: value}; None when every value is None."""
    if all(v is None for v in values.values()):
        return None
    kwargs: Dict[str, Any] = {}
    nested: Dict[str, Dict[Tuple[str, ...], Any]] = {}
    for path, value in values.items():
        if len(path) == 1:
            kwargs[path[0]] = value
        else:
            nested.setdefault(path[0], {})[path[1:]] = value
    for name, sub in nested.items():
        kwargs[name] = _build(_base(attrs.fields_dict(cls)[name].type), sub)
    return cls(**kwargs)


def record_from_flat(row: Dict[str, Any]) -> Question:
    """Inverse of ``flat_row`` (given as a dict by column name, Python-typed values).

    A nested record whose columns are all empty reads back as None."""
    kwargs: Dict[str, Any] = {}
    for f in attrs.fields(Question):
        tp = _base(f.type)
        origin = typing.get_origin(tp)
        if origin is tuple and attrs.has(typing.get_args(tp)[0]):
            item = typing.get_args(tp)[0]
            leaves = list(_leaves(item, f.name))
            lists = {path: row.get(name) or [] for name, _, path in leaves}
            n = max((len(v) for v in lists.values()), default=0)
            kwargs[f.name] = [
                _build(item, {p: (v[i] if i < len(v) else None) for p, v in lists.items()})
                or item(**{p[0]: None for p in lists if len(p) == 1})
                for i in range(n)]
        elif attrs.has(tp):
            kwargs[f.name] = _build(tp, {path: row.get(name) for name, _, path in _leaves(tp, f.name)})
            if f.name == "source" and kwargs[f.name] is None:
                kwargs[f.name] = tp()
        elif origin is dict or tp is dict:
            kwargs[f.name] = row.get(f.name) or {}
        else:
            kwargs[f.name] = row.get(f.name)
    # a withdrawal (an answer) none of whose values could be read ("Question retirée le :
    # 12/07") has its columns all empty: the status, which says there is one, brings it back
    closed_answered = kwargs.get("closure") is not None and kwargs["closure"].code == ANSWERED_CODE
    if kwargs.get("status") == "withdrawn" and kwargs.get("withdrawal") is None:
        kwargs["withdrawal"] = Withdrawal()
    elif kwargs.get("status") == "answered" and kwargs.get("answer") is None \
            and not closed_answered:
        kwargs["answer"] = Publication()
    return Question(**{k: v for k, v in kwargs.items() if v is not None})


# -- the normalised tables -----------------------------------------------------------------------

class Table(NamedTuple):
    """A list of records of the question, as rows ``(uid, position, leaf…)``."""

    name: str
    field: str
    columns: Tuple[Tuple[str, str], ...]      # (name, scalar type) after uid and position
    paths: Tuple[Tuple[str, ...], ...]


def _make_tables() -> Dict[str, Table]:
    out = {}
    for f in attrs.fields(Question):
        tp = _base(f.type)
        if typing.get_origin(tp) is tuple and attrs.has(typing.get_args(tp)[0]):
            leaves = [(name[len(f.name) + 1:], t, path)
                      for name, t, path in _leaves(typing.get_args(tp)[0], f.name)]
            out[f.name] = Table(f.name, f.name, tuple((n, t) for n, t, _ in leaves),
                                tuple(p for _, _, p in leaves))
    return out


TABLES: Dict[str, Table] = _make_tables()


def table_rows(q: Question, table: Table) -> List[tuple]:
    """Rows of ``table`` for ``q``: uid, 1-based position, then the leaves (ISO dates)."""
    return [(q.uid, i, *(_sql(_walk(item, p)) for p in table.paths))
            for i, item in enumerate(getattr(q, table.field), 1)]


# -- value conversions ---------------------------------------------------------------------------

def _sql(value):
    return value.isoformat() if isinstance(value, _dt.date) else value


def _cell(value) -> str:
    """A CSV cell: empty for None, ISO dates, list items joined with ' | ', JSON for extra."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else ""
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


LIST_SEPARATOR = " | "


def _uncell(text: str, kind: str):
    """Inverse of ``_cell`` for a column type (reading CSV back)."""
    if kind.startswith("list["):
        inner = kind[5:-1]
        return [_uncell(t, inner) for t in text.split(LIST_SEPARATOR)] if text else []
    if text == "":
        return {} if kind == "json" else None
    if kind == "int":
        return int(text)
    if kind == "date":
        return _dt.date.fromisoformat(text)
    if kind == "json":
        return json.loads(text)
    return text


def output_file(path: str) -> str:
    """The file written for an output named ``path``: the one a symbolic link points to (the
    link is kept and its file written, as ``cp`` and the shell's ``>`` do; a link whose file
    does not exist yet gets it), else ``path`` itself."""
    return os.path.realpath(path) if os.path.islink(path) else path


def temp_path(path: str) -> str:
    # beside the file it replaces, so that the rename stays on one filesystem
    return f"{output_file(path)}.part"


def _put_in_place(src: str, path: str) -> None:
    """The finished output ``src`` put in the place of the file written for ``path`` (the
    link that names it, if any, kept)."""
    os.replace(src, output_file(path))


def write_test(path: str) -> None:
    """Fail now (before any work) if ``path`` cannot be written."""
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path}: is a directory")
    if os.path.exists(path) and not os.path.isfile(path):
        # an output is written to a file of its own, then put in the place of the one named
        # ("-o /dev/null" run as root replaced the device with a file); an errors file that is
        # a FIFO no one reads would block a run for ever, deaf to SIGTERM
        raise FileExistsError(f"{path}: not a regular file (a device, a FIFO, a socket): "
                              "aqparse writes to files only")
    real = output_file(path)
    if os.path.islink(real):     # (realpath stops in a loop of links, at a link)
        raise FileNotFoundError(f"{path}: a loop of symbolic links")
    folder = os.path.dirname(os.path.abspath(real))
    if not os.path.isdir(folder):
        link = f" (a symbolic link to {real})" if real != path else ""
        raise FileNotFoundError(f"{path}: no such directory {folder}{link}")


# -- what a format can hold ------------------------------------------------------------------------

class Unwritable(ValueError):
    """A record holds a value its output format cannot store: a string with a lone surrogate
    (not Unicode text: no UTF-8 file holds it), or a whole number beyond 64 bits (SQLite
    INTEGER, Parquet int64). Raised by ``encode`` in the worker, so the record goes to the
    errors file and the run goes on."""


INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


def _bad_value(value, int64: bool) -> Optional[str]:
    """Why ``value`` (a scalar, a list, a dict) cannot be stored, or None."""
    if value.__class__ is str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            char = value[error.start]
            return f"{value[:60]!r} holds a lone surrogate (U+{ord(char):04X}), not Unicode text"
    elif value.__class__ is int and int64 and not INT64_MIN <= value <= INT64_MAX:
        return f"{value} does not fit a 64-bit integer"
    elif isinstance(value, (list, tuple)):
        for item in value:
            why = _bad_value(item, int64)
            if why:
                return why
    elif isinstance(value, dict):
        for key, item in value.items():
            why = _bad_value(key, int64) or _bad_value(item, int64)
            if why:
                return why
    return None


def _bad_column(names: Iterable[str], values: Iterable[Any], int64: bool = True) -> None:
    """Raise ``Unwritable`` naming the first column whose value cannot be stored."""
    for name, value in zip(names, values):
        why = _bad_value(value, int64)
        if why:
            raise Unwritable(f"{name}: {why}")


_NOT_NONE = functools.partial(operator.is_not, None)


class _Check:
    """Checks rows of one layout (column names and types: str, int, date, list[…]) for a value
    the format cannot hold, raising ``Unwritable``. Every record is checked, so the common case
    is a few C-level calls: the strings joined and encoded at once, the integers' min and max;
    the column at fault is looked for only when something is wrong."""

    def __init__(self, names: Iterable[str], kinds: Iterable[str]):
        self.names = tuple(names)
        kinds = tuple(kinds)
        self.texts = [i for i, k in enumerate(kinds) if k in ("str", "json")]
        self.text_lists = [i for i, k in enumerate(kinds) if k == "list[str]"]
        self.ints = [i for i, k in enumerate(kinds) if k == "int"]
        self.int_lists = [i for i, k in enumerate(kinds) if k == "list[int]"]

    def __call__(self, row) -> None:
        get = row.__getitem__
        ints = [*filter(_NOT_NONE, map(get, self.ints)),
                *filter(_NOT_NONE, itertools.chain.from_iterable(map(get, self.int_lists)))]
        if not ints or (min(ints) >= INT64_MIN and max(ints) <= INT64_MAX):
            try:
                "".join(filter(None, itertools.chain(
                    map(get, self.texts),
                    itertools.chain.from_iterable(map(get, self.text_lists))))).encode("utf-8")
                return
            except UnicodeEncodeError:
                pass
        _bad_column(self.names, row)


def _utf8(text: str, q: Question) -> bytes:
    """``text`` as UTF-8; ``Unwritable`` naming the field when it cannot be encoded."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        data = q.to_dict()
        _bad_column(data.keys(), data.values(), int64=False)
        raise


# -- the writers ---------------------------------------------------------------------------------

class Writer:
    """Base: ``open()`` creates the output, ``write(payload)`` adds one record (as encoded by
    ``encode`` in a worker), ``close(drop)`` finishes it, leaving out the records at positions
    ``drop`` (0-based, in the order written: earlier duplicates replaced by later ones)."""

    name = ""
    merged_with_output = 0     # SQLite: records merged with a question stored before the run
    # ... and the source conflicts of each such merge, by key (none for the other formats)
    output_conflicts: Mapping[str, int] = MappingProxyType({})
    # set by a parallel run before ``open``: the writer may work in a thread of its own, so that
    # the parent process, which also cuts the inputs, is not the limit of a run with many jobs
    background = False

    def __init__(self, path: str, *, tables: bool = False):
        self.path = os.fspath(path)
        self.tables = tables

    @staticmethod
    def encode(q: Question, latest: Optional[_dt.date], tables: bool = False):
        """The record as this writer stores it (``latest``: its ``latest_date``, worked out
        once by the pipeline). Raises ``Unwritable`` for a value the format cannot hold."""
        raise NotImplementedError

    def open(self) -> None:
        raise NotImplementedError

    def write(self, payload) -> None:
        raise NotImplementedError

    def close(self, drop: Iterable[int] = ()) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        """Leave no partial output (the previous file, if any, is kept)."""

    def read_back(self, positions: set) -> Dict[int, Question]:
        """The records written at ``positions`` (0-based), read back from the output."""
        raise NotImplementedError

    MERGE_BATCH = 20_000     # records read back at a time: memory stays bounded

    def merge_duplicates(self, groups: Dict[str, List[int]]) -> Dict[str, "Merged"]:
        """Merge the records of each uid of ``groups`` (written at those positions) into one,
        written after the others; the caller leaves the positions out at ``close``. The
        records are read back a batch of uids at a time (one pass over the output each)."""
        merged: Dict[str, Merged] = {}
        batch: List[str] = []
        count = 0
        for uid in list(groups) + [None]:
            if uid is not None:
                batch.append(uid)
                count += len(groups[uid])
                if count < self.MERGE_BATCH:
                    continue
            if not batch:
                break
            back = self.read_back({p for u in batch for p in groups[u]})
            for u in batch:
                q = merge_one([back.pop(p) for p in groups[u]])
                self.write(self.encode(q, latest_date(q), self.tables))
                merged[u] = Merged.of(q)
            batch, count = [], 0
        return merged


class Merged(NamedTuple):
    """What the run's summary counts of a question merged from several records."""

    kind: Optional[str]
    status: str
    defects: bool
    conflicts: int

    @classmethod
    def of(cls, q: Question) -> "Merged":
        return cls(q.kind, q.status, bool(q.defects),
                   sum(d.code == "source-conflict" for d in q.defects))


class JsonlWriter(Writer):
    """One JSON record per line (the JSON form of DESIGN.md), UTF-8."""

    name = "jsonl"

    @staticmethod
    def encode(q: Question, latest: Optional[_dt.date], tables: bool = False) -> bytes:
        # encoded here, in the worker: a record that is not UTF-8 text fails alone
        return _utf8(json.dumps(q.to_dict(), ensure_ascii=False) + "\n", q)

    def open(self) -> None:
        write_test(self.path)
        # (records of 2–3 KB each: a buffer of 8 KB made a system call every three)
        self._file = open(temp_path(self.path), "wb", buffering=1 << 20)

    def write(self, payload: bytes) -> None:
        self._file.write(payload)

    def read_back(self, positions: set) -> Dict[int, Question]:
        self._file.flush()
        with open(temp_path(self.path), "rb") as f:
            return {i: Question.from_dict(json.loads(line)) for i, line in enumerate(f)
                    if i in positions}

    def close(self, drop: Iterable[int] = ()) -> None:
        self._file.close()
        drop = set(drop)
        if drop:       # rare: rewrite without the replaced duplicates
            src = temp_path(self.path)
            with open(src, "rb") as old, open(src + "2", "wb") as new:
                new.writelines(line for i, line in enumerate(old) if i not in drop)
            os.replace(src + "2", src)
        _put_in_place(temp_path(self.path), self.path)

    def abort(self) -> None:
        self._file.close()
        _remove(temp_path(self.path))


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def table_path(path: str, table: str) -> str:
    """``questions.csv`` → ``questions.attributions.csv``."""
    root, ext = os.path.splitext(path)
    return f"{root}.{table}{ext or '.csv'}"


class CsvWriter(Writer):
    """One row per question, the columns of ``COLUMNS``; with ``tables``, one more CSV per
    list of records (``NAME.attributions.csv``…). UTF-8, comma, RFC 4180 quoting."""

    name = "csv"
    DELIMITER = ","
    BOM = b""          # written first in each file

    @classmethod
    def encode(cls, q: Question, latest: Optional[_dt.date], tables: bool = False):
        """(the row as UTF-8 CSV, {table: (its rows as UTF-8 CSV, how many)} or None): the
        text is encoded here, in the worker, so a record that is not UTF-8 text fails alone."""
        lines = functools.partial(_csv_lines, delimiter=cls.DELIMITER)
        row = _utf8(lines([[_cell(v) for v in flat_row(q)]]), q)
        if not tables:
            return row, None
        children = {}
        for name, t in TABLES.items():
            rows = [[_cell(v) for v in r] for r in table_rows(q, t)]
            children[name] = (_utf8(lines(rows), q), len(rows))
        return row, children

    def _paths(self) -> Dict[Optional[str], str]:
        paths: Dict[Optional[str], str] = {None: self.path}
        if self.tables:     # beside the file written, named after it: an output named by a
            # link is written to the file it points to, and its tables go with it (their rows
            # are numbered by its rows)
            written = output_file(self.path)
            paths.update({name: table_path(written, name) for name in TABLES})
        return paths

    def open(self) -> None:
        self._files = {}
        self._owners: Dict[str, array] = {}    # table -> record position of each row
        for key, path in self._paths().items():
            write_test(path)
            f = open(temp_path(path), "wb")
            self._files[key] = f
            header = COLUMN_NAMES if key is None else \
                ("uid", "position") + tuple(n for n, _ in TABLES[key].columns)
            f.write(self.BOM + _csv_lines([header], self.DELIMITER).encode("utf-8"))
            if key is not None:
                self._owners[key] = array("q")
        self._count = 0

    def write(self, payload) -> None:
        row, tables = payload
        self._files[None].write(row)
        if self.tables and tables:
            for name, (rows, count) in tables.items():
                self._files[name].write(rows)
                self._owners[name].extend([self._count] * count)
        self._count += 1

    def read_back(self, positions: set) -> Dict[int, Question]:
        self._files[None].flush()
        return {i: record_from_flat(row) for i, row in enumerate(read_csv(temp_path(self.path)))
                if i in positions}

    def close(self, drop: Iterable[int] = ()) -> None:
        drop = set(drop)
        for key, f in self._files.items():
            f.close()
            src = temp_path(self._paths()[key])
            if drop:
                owners = self._owners.get(key)
                # (the BOM, when there is one, is read past and written again)
                with open(src, encoding="utf-8-sig", newline="") as old, \
                        open(src + "2", "w", encoding="utf-8", newline="") as new:
                    reader = _csv_reader(old, self.DELIMITER)
                    writer = csv.writer(new, delimiter=self.DELIMITER)
                    new.write(self.BOM.decode("utf-8"))
                    writer.writerow(next(reader))
                    for i, row in enumerate(reader):
                        if (owners[i] if owners is not None else i) not in drop:
                            writer.writerow(row)
                os.replace(src + "2", src)
            _put_in_place(src, self._paths()[key])

    def abort(self) -> None:
        for key, f in self._files.items():
            f.close()
            _remove(temp_path(self._paths()[key]))


class ExcelCsvWriter(CsvWriter):
    """CSV for Excel (``--format csv-excel``): the columns of ``csv``, in UTF-8 with a byte
    order mark, which is how Excel tells UTF-8 from the machine's own code page (without it,
    ``é`` shows as ``Ã©`` on Windows), and ``;`` between cells, the list separator of Excel in
    French and most European locales, so that double-clicking the file opens it in columns."""

    name = "csv-excel"
    DELIMITER = ";"
    BOM = "\ufeff".encode("utf-8")


# one writer per process and delimiter: encode runs in the workers
_CSV_BUFFER = io.StringIO()
_CSV = {d: csv.writer(_CSV_BUFFER, delimiter=d) for d in (",", ";")}


def _csv_lines(rows, delimiter: str = ",") -> str:
    """``rows`` as CSV text (RFC 4180 quoting, CRLF line ends: the ``csv`` module's default)."""
    _CSV_BUFFER.seek(0)
    _CSV_BUFFER.truncate()
    _CSV[delimiter].writerows(rows)
    return _CSV_BUFFER.getvalue()


def _csv_types() -> Dict[str, str]:
    types = {c.name: c.type for c in COLUMNS}
    for t in TABLES.values():
        types.update(dict(t.columns))
    types.update(uid="str", position="int")
    return types


def read_csv(path: str) -> Iterator[Dict[str, Any]]:
    """Rows of a CSV written by ``CsvWriter`` or ``ExcelCsvWriter`` (the questions or one of
    ``--tables``), typed back (dates, ints, lists)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        yield from _csv_rows(f)


# a cell of aqparse's CSV (a body, extra) may be longer than the csv module's default limit
# of 128 KB, which made reading one back (to merge a duplicate, or as an input) fail
_CELL_LIMIT = 2**31 - 1      # (the largest a C long holds everywhere)


def _csv_reader(f, delimiter: str):
    if csv.field_size_limit() < _CELL_LIMIT:
        csv.field_size_limit(_CELL_LIMIT)
    return csv.reader(f, delimiter=delimiter)


def _csv_rows(f) -> Iterator[Dict[str, Any]]:
    """The typed rows of an open CSV text stream (the BOM already read past)."""
    first = f.readline()
    delimiter = csv_delimiter(first) or ","
    header = next(csv.reader([first], delimiter=delimiter))
    types = _csv_types()
    for row in _csv_reader(f, delimiter):
        yield {name: _uncell(text, types.get(name, "str")) for name, text in zip(header, row)}


def _arrow_type(kind: str):
    import pyarrow as pa

    scalar = {"str": pa.string(), "int": pa.int64(), "date": pa.date32(), "json": pa.string()}
    if kind.startswith("list["):
        return pa.list_(scalar[kind[5:-1]])
    return scalar[kind]


class ParquetWriter(Writer):
    """The columns of ``COLUMNS``, typed: int64, date32, strings, lists; ``extra`` as JSON text.
    Written in row groups of ``ROW_GROUP`` records, so memory stays flat."""

    name = "parquet"
    ROW_GROUP = 4000

    @staticmethod
    def encode(q: Question, latest: Optional[_dt.date], tables: bool = False) -> list:
        row = flat_row(q)
        for i, c in _JSON_COLUMNS:
            row[i] = json.dumps(row[i], ensure_ascii=False) if row[i] else None
        _PARQUET_CHECK(row)     # here, in the worker, not when the row group is written
        return row

    def open(self) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ImportError("Parquet output needs pyarrow: pip install 'aqparse[parquet]'") from None
        write_test(self.path)
        self._pa = pa
        self.schema = pa.schema([(c.name, _arrow_type(c.type)) for c in COLUMNS])
        self._writer = pq.ParquetWriter(temp_path(self.path), self.schema, compression="zstd")
        self._rows: List[list] = []

    def write(self, payload: list) -> None:
        self._rows.append(payload)
        if len(self._rows) >= self.ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        columns = list(zip(*self._rows))
        self._writer.write_table(self._pa.Table.from_arrays(
            [self._pa.array(col, type=f.type) for col, f in zip(columns, self.schema)],
            schema=self.schema))
        self._rows = []

    def read_back(self, positions: set) -> Dict[int, Question]:
        # a Parquet file is readable once closed: close it, read it, and go on writing in a
        # new one that starts with a copy of it (duplicates are rare: one copy a run)
        import pyarrow.parquet as pq

        self._flush()
        self._writer.close()
        src = temp_path(self.path)
        os.replace(src, src + "1")
        out: Dict[int, Question] = {}
        self._writer = pq.ParquetWriter(src, self.schema, compression="zstd")
        source = pq.ParquetFile(src + "1")
        start = 0
        for batch in source.iter_batches(batch_size=self.ROW_GROUP):
            self._writer.write_table(self._pa.Table.from_batches([batch], schema=self.schema))
            for i, row in enumerate(batch.to_pylist(), start):
                if i in positions:
                    for name, _ in _JSON_COLUMNS_BY_NAME:
                        row[name] = json.loads(row[name]) if row[name] else {}
                    out[i] = record_from_flat(row)
            start += batch.num_rows
        _remove(src + "1")
        return out

    def close(self, drop: Iterable[int] = ()) -> None:
        self._flush()
        self._writer.close()
        drop = set(drop)
        src = temp_path(self.path)
        if drop:
            import pyarrow.parquet as pq

            source = pq.ParquetFile(src)
            with pq.ParquetWriter(src + "2", self.schema, compression="zstd") as out:
                start = 0
                for batch in source.iter_batches(batch_size=self.ROW_GROUP):
                    mask = [start + i not in drop for i in range(batch.num_rows)]
                    start += batch.num_rows
                    out.write_table(self._pa.Table.from_batches([batch.filter(self._pa.array(mask))],
                                                                schema=self.schema))
            os.replace(src + "2", src)
        _put_in_place(src, self.path)

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            _remove(temp_path(self.path))


_JSON_COLUMNS = tuple((i, c) for i, c in enumerate(COLUMNS) if c.type == "json")
_JSON_COLUMNS_BY_NAME = tuple((c.name, i) for i, c in _JSON_COLUMNS)
_PARQUET_CHECK = _Check(COLUMN_NAMES, (c.type for c in COLUMNS))


# -- SQLite --------------------------------------------------------------------------------------

SCHEMA_VERSION = "1"
_SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "date": "TEXT", "json": "TEXT"}
# the questions table: every flat column but the lists of records (they are child tables);
# a list of strings (analyses) and extra are JSON text (queryable with json_each)
QUESTION_COLUMNS: Tuple[Column, ...] = tuple(
    c for c in COLUMNS
    if not (c.type.startswith("list[") and any(c.name.startswith(t + "_") for t in TABLES)))
SQL_INDEXES = {
    "questions_legislature": "questions(legislature)",
    "questions_kind": "questions(kind)",
    "questions_question_date": "questions(question_date)",
    "questions_answer_date": "questions(answer_date)",
    "questions_author": "questions(author_name)",
    "questions_status": "questions(status)",
    "questions_ministry_assigned": "questions(ministry_assigned)",
}


def sqlite_schema() -> List[str]:
    """The CREATE statements of the database (idempotent)."""
    cols = ",\n  ".join(
        f"{c.name} {_SQL_TYPES.get(c.type, 'TEXT')}" + (" PRIMARY KEY NOT NULL" if c.name == "uid" else "")
        for c in QUESTION_COLUMNS)
    out = ["CREATE TABLE IF NOT EXISTS aqparse_meta (key TEXT PRIMARY KEY, value TEXT)",
           # the records a merged question was made of (its JSON form, one per input), so that
           # a later record merges with all of them, not with their merge: the same database
           # whatever the order the inputs came in
           "CREATE TABLE IF NOT EXISTS aqparse_inputs (\n  uid TEXT NOT NULL,\n  input TEXT NOT NULL,"
           "\n  record TEXT NOT NULL,\n  PRIMARY KEY (uid, input)\n) WITHOUT ROWID",
           f"CREATE TABLE IF NOT EXISTS questions (\n  {cols},\n  latest_date TEXT,\n"
           f"  input_file TEXT\n)"]
    for t in TABLES.values():
        tcols = ",\n  ".join(f"{n} {_SQL_TYPES[k]}" for n, k in t.columns)
        out.append(f"CREATE TABLE IF NOT EXISTS {t.name} (\n  uid TEXT NOT NULL REFERENCES "
                   f"questions(uid),\n  position INTEGER NOT NULL,\n  {tcols},\n"
                   f"  PRIMARY KEY (uid, position)\n) WITHOUT ROWID")
    return out + sqlite_indexes()


def sqlite_indexes() -> List[str]:
    return [f"CREATE INDEX IF NOT EXISTS {name} ON {target}" for name, target in SQL_INDEXES.items()]


def sqlite_key(q: Question) -> str:
    """The key of a question in the database: its uid, or — for a record the parser could not
    give a uid (no legislature, kind or number) — ``~path:line`` of its source."""
    if q.uid:
        return q.uid
    return f"~{q.source.path or ''}:{q.source.line or 0}"


# where a row of ``questions`` holds its record's path
_PATH_COLUMN = [c.name for c in QUESTION_COLUMNS].index("source_path")
# what the SQLite rows hold: lists and extra as JSON text, dates as ISO text
_SQL_CHECK = _Check([c.name for c in QUESTION_COLUMNS] + ["latest_date"],
                    ["int" if c.type == "int" else "str" for c in QUESTION_COLUMNS] + ["str"])
_SQL_TABLE_CHECKS = {
    name: _Check([f"{name}.{n}" for n in ("uid", "position", *(n for n, _ in t.columns))],
                 ["str", "int", *("int" if k == "int" else "str" for _, k in t.columns)])
    for name, t in TABLES.items()}


class SqliteWriter(Writer):
    """A real SQLite file: ``questions`` keyed by uid and one child table per list of records.

    Upsert: a record of a uid the database already holds (from this run or an earlier one) is
    merged with it field by field (``merge.merge_one``: an answered question stays answered,
    what either gives is kept); the records a question was merged from are kept in
    ``aqparse_inputs``, and a record read again from the same input replaces its earlier read.
    Records are applied in batches of ``BATCH``, each batch in one transaction, so a killed run
    leaves a consistent database and a re-run completes it. With ``background``, the batches
    are applied in order by a thread of their own (SQLite lets go of the GIL while it works),
    at most ``QUEUED`` of them waiting."""

    name = "sqlite"
    BATCH = 1000
    LOCK_TIMEOUT = 30.0     # seconds to wait for another program that holds the database
    QUEUED = 1              # batches waiting for the writing thread (memory: ~2 MB each)

    @staticmethod
    def encode(q: Question, latest: Optional[_dt.date], tables: bool = False):
        key = sqlite_key(q)
        row = []
        for c in QUESTION_COLUMNS:
            value = c.get(q)
            if c.type.startswith("list[") or c.type == "json":
                value = json.dumps(value, ensure_ascii=False) if value else None
            row.append(key if c.name == "uid" else _sql(value))
        row.append(latest.isoformat() if latest else None)
        children = {name: [(key,) + r[1:] for r in table_rows(q, t)] for name, t in TABLES.items()}
        _SQL_CHECK(row)          # here, in the worker, not when the batch is committed
        for name, rows in children.items():
            for r in rows:
                _SQL_TABLE_CHECKS[name](r)
        return key, state_key(q.status, latest), tuple(row), children

    def open(self) -> None:
        write_test(self.path)
        # (used by one thread at a time: the writing thread, if any, only while batches are
        # queued; ``_drain`` waits for it)
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=self.LOCK_TIMEOUT,
                                   check_same_thread=False)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            # the writing process is the one that cannot be run in parallel: fewer checkpoints
            # of the write-ahead log (one every ~40 MB, not 4 MB) take time off it (a larger
            # page cache would too, but memory must stay under 200 MB with every worker)
            self._db.execute("PRAGMA wal_autocheckpoint=10000")
            if not self._has_meta() and self._db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone() is not None:
                raise sqlite3.DatabaseError("it holds tables of another program")
            found = self._db.execute("SELECT value FROM aqparse_meta WHERE key = 'schema_version'"
                                     ).fetchone() if self._has_meta() else None
            if found is not None and found[0] != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema version {found[0]}, this aqparse writes "
                                            f"version {SCHEMA_VERSION}")
            # a new database gets its indexes at the end of the run: built once from sorted
            # data, rather than kept up to date row by row (the writing process's largest
            # cost); a run killed before then leaves a database without them, which the next
            # run, finding the database, indexes first
            self._index_at_close = not self._has_meta()
            self._db.execute("BEGIN")
            for statement in sqlite_schema():
                if not (self._index_at_close and statement.startswith("CREATE INDEX")):
                    self._db.execute(statement)
            self._add_missing_columns()
            self._db.execute("INSERT OR REPLACE INTO aqparse_meta VALUES ('schema_version', ?)",
                             (SCHEMA_VERSION,))
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as error:     # locked, full, not writable
            self._db.close()
            raise self._said(error) from None
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise OSError(f"{self.path}: not an aqparse SQLite database ({error})") from None
        names = [c.name for c in QUESTION_COLUMNS] + ["latest_date", "input_file"]
        self._insert = (f"INSERT OR REPLACE INTO questions ({', '.join(names)}) "
                        f"VALUES ({', '.join('?' * len(names))})")
        self._child_sql = {
            name: (f"DELETE FROM {name} WHERE uid = ?",
                   f"INSERT INTO {name} (uid, position, {', '.join(n for n, _ in t.columns)}) "
                   f"VALUES ({', '.join('?' * (len(t.columns) + 2))})")
            for name, t in TABLES.items()}
        self._batch: List[tuple] = []
        self._written: set = set()        # the keys of this run (for merged_with_output)
        self._parts: set = set()          # the ``aqparse_inputs`` names this run wrote
        self._file_path: Optional[str] = None   # (``_file``: the last path and its file)
        self._file_real: Optional[str] = None
        self._with_output: set = set()    # the keys merged with a question stored before
        self.output_conflicts: Dict[str, int] = {}    # ... and their source conflicts
        self._thread: Optional[threading.Thread] = None
        if self.background:
            self._queue: queue.Queue = queue.Queue(self.QUEUED)
            self._failure: Optional[BaseException] = None    # what stopped the thread
            self._stopping = False
            self._thread = threading.Thread(target=self._apply_queued, daemon=True,
                                            name="aqparse-sqlite")
            self._thread.start()

    def _add_missing_columns(self) -> None:
        # a database written by an older aqparse lacks the columns of fields added since
        wanted = {"questions": [(c.name, c.type) for c in QUESTION_COLUMNS]
                  + [("input_file", "str")]}
        wanted.update({name: list(t.columns) for name, t in TABLES.items()})
        for table, columns in wanted.items():
            have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns:
                if name not in have:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} "
                                     f"{_SQL_TYPES.get(kind, 'TEXT')}")

    def _has_meta(self) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'aqparse_meta'").fetchone() is not None

    def write(self, payload) -> None:
        self._batch.append(payload)
        if len(self._batch) >= self.BATCH:
            self._flush()

    def _said(self, error: sqlite3.Error) -> OSError:
        """An error of SQLite as one line naming the database (the run then stops, exit
        status 2): what was committed before stays."""
        message = str(error)
        why = {"database is locked": f"the database is locked by another program (waited "
                                     f"{self.LOCK_TIMEOUT:g} s)",
               "database or disk is full": "the disk is full",
               "attempt to write a readonly database": "the database cannot be written",
               "unable to open database file": "the database cannot be opened",
               "disk I/O error": "a disk error"}.get(message, f"SQLite error: {message}")
        return OSError(f"{self.path}: {why}; what was committed before is kept")

    def _flush(self) -> None:
        """Apply the batch: now, or handed to the writing thread (which applies the batches
        in the order they come); an error of the thread is raised at the next hand-over."""
        batch, self._batch = self._batch, []
        if self._thread is None:
            self._apply(batch)
            return
        self._raise_failure()
        if batch:
            self._queue.put(batch)

    def _apply(self, batch: List[tuple]) -> None:
        try:
            self._flush_batch(batch)
        except sqlite3.Error as error:
            raise self._said(error) from None

    def _apply_queued(self) -> None:
        """The writing thread: applies the batches queued, until ``None``; after an error
        (kept for the run to raise) or an abort, the batches still queued are dropped."""
        while True:
            batch = self._queue.get()
            try:
                if batch is None:
                    return
                if self._failure is None and not self._stopping:
                    self._apply(batch)
            except BaseException as error:
                self._failure = error
            finally:
                self._queue.task_done()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def _drain(self) -> None:
        """Every batch written so far applied (by the thread: waited for)."""
        self._flush()
        if self._thread is not None:
            self._queue.join()
            self._raise_failure()

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _flush_batch(self, batch: List[tuple]) -> None:
        if not batch:
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            keys = list({p[0] for p in batch})
            in_db = set()     # only these can have rows in the child tables to replace
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                in_db.update(uid for uid, in db.execute(
                    f"SELECT uid FROM questions WHERE uid IN ({', '.join('?' * len(part))})", part))
            # the record that ends up stored, per uid, and the file it was read from
            final: Dict[str, Tuple[tuple, Optional[str]]] = {}
            for payload in batch:
                key = payload[0]
                stored = (payload, self._file(payload[2][_PATH_COLUMN]))
                if (key in final or key in in_db) and not key.startswith("~"):
                    if key in in_db and key not in final and key not in self._written:
                        self.merged_with_output += 1     # stored by an earlier run
                        self._with_output.add(key)
                    stored = self._merged(stored, final.get(key))
                    if stored is None:           # a copy: the stored question as it is
                        continue
                final[key] = stored
                self._written.add(key)
            replaced = [(k,) for k in final if k in in_db]
            if replaced:
                for name, (delete, insert) in self._child_sql.items():
                    db.executemany(delete, replaced)
            # (no file known, or a merge: empty, told from the null of a row stored by an
            # older aqparse, whose path ``_stored_file`` resolves)
            db.executemany(self._insert, [p[2] + (file or "",) for p, file in final.values()])
            for name, (delete, insert) in self._child_sql.items():
                db.executemany(insert, [row for p, _ in final.values() for row in p[3][name]])
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _merged(self, stored: Tuple[tuple, Optional[str]],
                pending: Optional[Tuple[tuple, Optional[str]]]) -> Optional[tuple]:
        """The payload of the merge of a record (``stored``: its payload and the file it was
        read from) with the question stored (or ``pending`` in this batch), from the records
        that question was made of, with the file of the record stored when it is one; None
        when nothing changes (the record is a copy of one of them, read from another input: a
        dump holding one question many times stays linear)."""
        payload, path = stored
        key = payload[0]
        parts = {name: Question.from_dict(json.loads(text)) for name, text in self._db.execute(
            "SELECT input, record FROM aqparse_inputs WHERE uid = ?", (key,))}
        if not parts:     # the stored question was read from one input: it is the one part
            if pending is not None:
                old, old_file = _record_of_payload(pending[0]), pending[1]
            else:
                old = self._stored(key)
                old_file = self._stored_file(key, old)
            old_name = _input_key(old, file=old_file)
            parts[old_name] = old
            if pending is not None or key in self._written:      # (stored by this run)
                self._parts.add(old_name)
        new = _record_of_payload(payload)
        said = content(new)
        name = _input_key(new, said, path)
        if path is not None:
            # the same file read again by a later run: what it says now replaces what it said
            # (an edited file, a page saved again once answered), wherever the question now
            # stands in it, however the file is named (relative, absolute, through a link:
            # each part keeps the file its run's folder named). Within a run, two reads of
            # one file are two parts (a dump holding the question twice); stdin names no
            # file: its reads stay parts of their own
            stale = [n for n in parts if n != name and n not in self._parts
                     and _file_of_part(n) == path]
            for other in stale:
                del parts[other]
        else:
            stale = []
        self._parts.add(name)
        keep = True
        if name not in parts:
            # a copy of a part read from another input (the same digest in its name): the
            # one of them ``merge`` keeps
            digest = _digest(said)
            copy = next((n for n in parts if json.loads(n)[-1] == digest), None)
            if copy is not None:
                if precedence(new) > precedence(parts[copy]):
                    del parts[copy]
                elif not stale:
                    return pending         # nothing changes
                else:                      # its file's earlier read goes all the same
                    keep = False
        if keep:
            parts[name] = new      # the same input read again replaces its earlier read
        self._db.execute("DELETE FROM aqparse_inputs WHERE uid = ?", (key,))
        if len(parts) == 1:
            self.output_conflicts.pop(key, None)
            [(only_name, only)] = parts.items()
            if only is new:
                return stored
            return self.encode(only, latest_date(only)), _file_of_part(only_name)
        self._db.executemany("INSERT INTO aqparse_inputs VALUES (?, ?, ?)", [
            (key, name, json.dumps(q.to_dict(), ensure_ascii=False))
            for name, q in sorted(parts.items())])
        q = merge_one([parts[name] for name in sorted(parts)])
        if key in self._with_output:
            self.output_conflicts[key] = sum(d.code == "source-conflict" for d in q.defects)
        return self.encode(q, latest_date(q)), None     # (its parts name their files)

    def _file(self, path: Optional[str]) -> Optional[str]:
        """``_file_of(path)``, as this run's folder resolves it (stored with the record: the
        next run may be made from another folder); once per file (its records come together)."""
        if path != self._file_path:
            self._file_path, self._file_real = path, _file_of(path)
        return self._file_real

    def _stored_file(self, key: str, stored: Question) -> Optional[str]:
        """The file of the record ``stored`` under ``key``, as its row gives it."""
        found = self._db.execute("SELECT input_file FROM questions WHERE uid = ?",
                                 (key,)).fetchone()
        if found is not None and found[0] is not None:
            return found[0] or None     # (empty: no file known, as it was stored)
        # a record stored by an older aqparse: its name resolved now
        return _file_of(stored.source.path)

    def _stored(self, key: str) -> Question:
        return next(_read_rows(self._db, key))

    def merge_duplicates(self, groups: Dict[str, List[int]]) -> Dict[str, Merged]:
        # merged as they were written: the database holds each one's merge
        self._drain()
        return {uid: Merged.of(next(_read_rows(self._db, uid))) for uid in groups}

    def close(self, drop: Iterable[int] = ()) -> None:
        self._drain()
        self._stop_thread()
        try:
            if self._index_at_close:
                self._db.execute("BEGIN")
                for statement in sqlite_indexes():
                    self._db.execute(statement)
                self._db.execute("COMMIT")
            self._db.execute("PRAGMA journal_mode=DELETE")   # one self-contained file again
        except sqlite3.Error as error:
            raise self._said(error) from None
        self._db.close()

    def abort(self) -> None:
        # what was committed stays (a consistent state); the current batch is not applied, nor
        # those queued for the thread (the one it is applying, if any, is finished first)
        if getattr(self, "_thread", None) is not None:
            self._stopping = True
            self._stop_thread()
        self._db.close()


def _input_key(q: Question, said: Optional[str] = None, file: Optional[str] = None) -> str:
    """A part of a merged question, as ``aqparse_inputs`` names it: the input it was read from
    (``file``: its file, ``_file_of`` as the run that read it resolved its path) and a digest
    of what it says (``said``: its ``content``, when known) — two questions of a dump on one
    line, or two runs from stdin, stand at the same path and line, and are two parts; the
    same input read again with the same content is the same part."""
    s = q.source
    return json.dumps([s.format, s.path, s.line, s.layout, file, _digest(said or content(q))])


def _file_of_part(name: str) -> Optional[str]:
    """The file of a part (``_input_key``); one named by an older aqparse (without its file)
    has its path resolved now."""
    said = json.loads(name)
    return said[4] if len(said) == 6 else _file_of(said[1])


def _file_of(path: Optional[str]) -> Optional[str]:
    """The file a record was read from, as one name whatever name it was read by (a member of
    an archive: the archive's, then the member's); None for stdin and what names no file.
    A relative name with no file here (a record read back from an output, which keeps the
    path its first run read it by: "q.txt" of A/ and "q.txt" of B/) names no known file:
    its reads stay parts of their own, as stdin's, and are never taken for one another."""
    if not path or path in ("-", "<stdin>"):
        return None
    archive, bang, member = path.partition("!")
    if bang and os.path.isfile(archive):
        return os.path.realpath(archive) + "!" + member
    if os.path.exists(path):
        return os.path.realpath(path)
    return path if os.path.isabs(path) else None


def _digest(said: str) -> str:
    return hashlib.sha1(said.encode("utf-8")).hexdigest()[:16]


def _record_of_rows(values: Iterable[Any], children: Dict[str, List[tuple]]) -> Question:
    """A record from its ``questions`` row (the columns of ``QUESTION_COLUMNS``, SQLite's
    values) and its rows of the child tables (``uid, position, leaf…``)."""
    row: Dict[str, Any] = {}
    for c, value in zip(QUESTION_COLUMNS, values):
        if c.type.startswith("list[") or c.type == "json":
            value = json.loads(value) if value is not None else ([] if c.type != "json" else {})
        elif c.type == "date" and value is not None:
            value = _dt.date.fromisoformat(value)
        row[c.name] = value
    for name, table in TABLES.items():
        items = [r[2:] for r in children.get(name, ())]
        for i, (leaf, kind) in enumerate(table.columns):
            row[f"{name}_{leaf}"] = [
                _dt.date.fromisoformat(it[i]) if kind == "date" and it[i] is not None
                else it[i] for it in items]
    if row["uid"].startswith("~"):
        row["uid"] = None
    return record_from_flat(row)


def _record_of_payload(payload: tuple) -> Question:
    key, state, row, children = payload
    return _record_of_rows(row, children)


def _read_rows(db, uid: Optional[str] = None,
               have: Optional[Dict[str, set]] = None) -> Iterator[Question]:
    """The records of the database ``db`` (of ``uid`` alone, when given), ordered by key.
    ``have``: the columns each table has, for a database another version of aqparse wrote (a
    column it lacks reads as null); None for one this version writes."""
    def select(table: str, names: Iterable[str]) -> str:
        return ", ".join(n if have is None or n in have[table] else f"NULL AS {n}"
                         for n in names)

    where, args = ("WHERE uid = ?", (uid,)) if uid is not None else ("", ())
    cursors = {name: db.execute(
        f"SELECT {select(name, ['uid', 'position', *(n for n, _ in t.columns)])} FROM {name} "
        f"{where} ORDER BY uid, position", args) for name, t in TABLES.items()}
    pending = {name: next(cur, None) for name, cur in cursors.items()}
    names = select("questions", (c.name for c in QUESTION_COLUMNS))
    for values in db.execute(f"SELECT {names} FROM questions {where} ORDER BY uid", args):
        key = values[0]
        children: Dict[str, List[tuple]] = {}
        for name in TABLES:
            items = children[name] = []
            while pending[name] is not None and pending[name][0] == key:
                items.append(pending[name])
                pending[name] = next(cursors[name], None)
        yield _record_of_rows(values, children)


def read_sqlite(path: str) -> Iterator[Question]:
    """The questions of a database written by ``SqliteWriter``, as records, ordered by key."""
    db = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
    try:
        have = {table: {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                for table in ("questions", *TABLES)}
        missing = [table for table, columns in have.items() if not columns]
        if missing:
            raise NotOurs(f"an SQLite database, but not one aqparse wrote (no table "
                          f"{', '.join(missing)})")
        yield from _read_rows(db, have=have)
    finally:
        db.close()


# -- aqparse's own outputs, read back as inputs -----------------------------------------------------
# ``aqparse stats questions.sqlite``, ``aqparse convert questions.csv -o questions.parquet``,
# ``aqparse.read("questions.parquet")``: an output is told by its first bytes
# (``output_format``) and read back into the records that were written (``read_output``).
# JSONL and JSON records are read by the JSON reader (``opendata.read_record``).

class NotOurs(ValueError):
    """A file in one of the output formats that aqparse did not write (another program's
    database, a CSV of other columns: ``not-a-question``), or a row of it no record can hold
    (a hand-edited cell: ``bad-record``, with the row's ``line`` in a CSV)."""

    def __init__(self, message: str, *, code: str = "not-a-question",
                 line: Optional[int] = None):
        super().__init__(message)
        self.code, self.line = code, line


def _flat_record(row: Dict[str, Any], where: str, line: Optional[int] = None) -> Question:
    try:
        return record_from_flat(row)
    except Exception as error:      # a hand-edited cell: an unknown status, a bad date…
        raise NotOurs(f"{where}not a valid aqparse record: {type(error).__name__}: {error}",
                      code="bad-record", line=line) from None


def _csv_records(path: str) -> Iterator[Tuple[Optional[int], Question]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            yield from _csv_file_records(f)
    except UnicodeDecodeError as error:
        raise NotOurs(f"not UTF-8 text ({error.reason} at byte {error.start} of a block)",
                      code="bad-record") from None


def _csv_file_records(f) -> Iterator[Tuple[Optional[int], Question]]:
    first = f.readline()
    delimiter = csv_delimiter(first) or ","
    header = next(csv.reader([first], delimiter=delimiter))
    if header[:2] == ["uid", "position"]:
        raise NotOurs("one of the --tables CSVs of aqparse (a list of records of each "
                      "question): the questions, with these lists, are in the main CSV", line=1)
    if not {"uid", "status", "source_format"} <= set(header):
        raise NotOurs("a CSV whose header starts with 'uid', but not one aqparse wrote "
                      "(no status or source_format column)", line=1)
    types = _csv_types()
    reader = _csv_reader(f, delimiter)
    line = 2
    for cells in reader:
        try:
            row = {name: _uncell(text, types.get(name, "str"))
                   for name, text in zip(header, cells)}
        except ValueError as error:
            raise NotOurs(f"a cell that is not of its column's type ({error})",
                          code="bad-record", line=line) from None
        yield line, _flat_record(row, "", line)
        line = reader.line_num + 2       # (the header was read apart: line_num counts from 2)


def _parquet_records(path: str) -> Iterator[Tuple[Optional[int], Question]]:
    try:
        import pyarrow
        import pyarrow.parquet as pq
    except ImportError:
        raise NotOurs("Parquet input needs pyarrow: pip install 'aqparse[parquet]'",
                      code="unsupported-format") from None
    try:
        source = pq.ParquetFile(path)
        names = set(source.schema_arrow.names)
        if not {"uid", "status", "source_format"} <= names:
            raise NotOurs("a Parquet file, but not one aqparse wrote (no uid, status or "
                          "source_format column)")
        json_columns = [c.name for c in COLUMNS if c.type == "json" and c.name in names]
        number = 0
        for batch in source.iter_batches(batch_size=ParquetWriter.ROW_GROUP):
            for row in batch.to_pylist():
                number += 1
                for name in json_columns:
                    row[name] = json.loads(row[name]) if row[name] else {}
                yield None, _flat_record(row, f"row {number}: ")
    except (pyarrow.ArrowException, OSError) as error:     # a corrupt file
        raise NotOurs(f"a Parquet file that cannot be read: {error}", code="io-error") from None


def _sqlite_records(path: str) -> Iterator[Tuple[Optional[int], Question]]:
    try:
        for q in read_sqlite(path):
            yield None, q
    except sqlite3.Error as error:
        raise NotOurs(f"an SQLite database that cannot be read: {error}",
                      code="io-error") from None


# how each output is read back, from a file's path (SQLite and Parquet read their file at any
# place, not as a stream: ``inputs`` copies an archive's member or stdin to a file first)
OUTPUT_READERS: Dict[str, Callable[[str], Iterator[Tuple[Optional[int], Question]]]] = {
    "sqlite": _sqlite_records,
    "parquet": _parquet_records,
    "csv": _csv_records,
}


def read_output(path: str, fmt: Optional[str] = None) -> Iterator[Tuple[Optional[int], Question]]:
    """(line, record) for each question of an output aqparse wrote (``fmt``: sqlite, parquet,
    csv; found from the file's first bytes when None): the records that were written, equal
    to them (``line``: a CSV row's line, else None). Raises ``NotOurs`` for a file of that
    format aqparse did not write, or holding a value no record holds."""
    if fmt is None:
        with open(path, "rb") as f:
            fmt = output_format(f.read(4096))
        if fmt is None:
            raise NotOurs("not an output of aqparse (SQLite, Parquet or CSV)")
    return OUTPUT_READERS[fmt](path)


WRITERS: Dict[str, type] = {w.name: w for w in (JsonlWriter, CsvWriter, ExcelCsvWriter,
                                                 ParquetWriter, SqliteWriter)}
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
            ".pq": "parquet", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite"}


def format_for(path: str, format: Optional[str] = None) -> str:
    """The output format: ``format`` if given, else from the suffix. ValueError if unknown."""
    if format is not None:
        if format not in WRITERS:
            raise ValueError(f"unknown output format {format!r} (one of {', '.join(WRITERS)})")
        return format
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"cannot tell the output format from {os.fspath(path)!r}: use --format "
                         f"{'|'.join(WRITERS)} or a suffix {', '.join(SUFFIXES)}")
    return SUFFIXES[suffix]


# -- pandas -----------------------------------------------------------------------------------------

def to_dataframe(records: Iterable[Any]):
    """A pandas DataFrame of ``records`` (``Question`` records or their JSON form), one row
    per question, the columns of ``COLUMNS``: dates as ``datetime64``, whole numbers as the
    nullable ``Int64``, lists as lists, ``extra`` as a dict. Needs ``aqparse[pandas]``."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_dataframe needs pandas: pip install 'aqparse[pandas]'") from None
    rows = [flat_row(r if isinstance(r, Question) else Question.from_dict(r)) for r in records]
    frame = pd.DataFrame(rows, columns=list(COLUMN_NAMES))
    for c in COLUMNS:
        if c.type == "date":
            frame[c.name] = pd.to_datetime(frame[c.name])
        elif c.type == "int":
            frame[c.name] = frame[c.name].astype("Int64")
    return frame
