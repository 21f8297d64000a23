"""Inputs: files, folders, globs, zip and tar archives, stdin — as a stream of documents.

A ``Document`` is opened only when it is read, so a folder or an archive of any size is walked
with flat memory; a large text dump is read in chunks and cut between questions.
"""

import glob
import io
import json
import os
import re
import stat
import sys
from typing import (TYPE_CHECKING, BinaryIO, Callable, Dict, Iterable, Iterator, NamedTuple,
                    Optional, Tuple, Union)

import attrs

from .api import chunk_lines, joined_values, json_lines_start, parse_items, sniff
from .decode import decode, incremental_decoder, line_text, repair_mojibake
from .errors import ParseError, UsageError, raising
from .records import RECORD_KEYS, Question, looks_like_record
from .stopping import waiting_on_input

if TYPE_CHECKING:
    import zipfile

    from .text import Unit

# (the modules of archives, compressed files and temporary files -- bz2, gzip, lzma, shutil,
# tarfile, tempfile, zipfile, zlib -- are imported where one is first read: a process that
# reads plain files, most of them, starts 5 ms sooner without them)

STREAM_THRESHOLD = 8 << 20     # text files larger than this are read in chunks
CHUNK = 4 << 20
_SKIP_NAMES = (".DS_Store", "Thumbs.db")
# what a folder or an archive may hold a question in; other files found there (a README, an
# image, a spreadsheet) are skipped and said so. A file named explicitly is read whatever its
# name.
INPUT_SUFFIXES = frozenset({"", ".txt", ".text", ".htm", ".html", ".xhtml", ".json", ".xml"})
NOT_REGULAR = "not a regular file (a FIFO, a socket or a device)"
LINK_LOOP = "a link to a folder the walk reads anyway (one inside it, or above it: a loop)"


def shown(name: str) -> str:
    """A file's name as records and reports give it: the bytes of a name that are not UTF-8
    (a zip unpacked from Windows: "caf\xe9.txt"), which Python holds as lone surrogates that
    no output can store, written as ``\\xe9``. Every question of such a file was refused."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


_STREAMED_FORMATS = ("opendata-json", "opendata-xml", "legacy-xml")
_RECORD_MARKS = tuple(f'"{key}"'.encode() for key in RECORD_KEYS)


@attrs.frozen
class Document:
    """One input file: ``name`` (a path, or ``archive.zip!member``) and how to open it."""

    name: str
    opener: Callable[[], BinaryIO] = attrs.field(repr=False)
    size: Optional[int] = None

    def read(self) -> bytes:
        with self.opener() as stream:
            return stream.read()


def _is_archive(path: str) -> bool:
    lower = path.lower()
    return lower.endswith((".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"))


def _gunzipped(f: BinaryIO) -> BinaryIO:
    import gzip
    return gzip.GzipFile(fileobj=f, mode="rb")


def _bunzipped(f: BinaryIO) -> BinaryIO:
    import bz2
    return bz2.BZ2File(f)


def _unxzed(f: BinaryIO) -> BinaryIO:
    import lzma
    return lzma.LZMAFile(f)


# a file compressed on its own ("dump.txt.gz", "QE17.json.xz"), by the last suffix of its
# name, or stdin by its first bytes: read through its decompressor, as a stream (its size
# unknown until it is read)
_DECOMPRESSORS: Dict[str, Callable[[BinaryIO], BinaryIO]] = {
    ".gz": _gunzipped, ".bz2": _bunzipped, ".xz": _unxzed}
_COMPRESSED_ENDINGS = tuple(_DECOMPRESSORS)
_MAGIC = ((b"\x1f\x8b", ".gz"), (b"BZh", ".bz2"), (b"\xfd7zXZ\x00", ".xz"))


def _compression(name: str) -> Optional[str]:
    """The suffix of a file compressed on its own, or None (a ".tar.gz" is an archive)."""
    # (the cheap test first: a folder of open data holds thousands of files)
    if not name[-4:].lower().endswith(_COMPRESSED_ENDINGS) or _is_archive(name):
        return None
    return os.path.splitext(name)[1].lower()


class _Decompressing(io.BufferedIOBase):
    """A compressed file or member read through its decompressor; closed with it."""

    def __init__(self, inner: BinaryIO, suffix: str):
        self._inner = inner
        self._outer = _DECOMPRESSORS[suffix](inner)

    def read(self, size=-1):
        return self._outer.read(size)

    def readable(self):
        return True

    def close(self):
        if not self.closed:
            self._outer.close()
            self._inner.close()
        super().close()


def _document(name: str, opener: Callable[[], BinaryIO], size: Optional[int]) -> Document:
    """A file or a member of an archive; one compressed on its own ("QE17/1.json.gz") read
    through its decompressor, as a stream."""
    compressed = _compression(name)
    if compressed is not None:
        return Document(shown(name), lambda: _Decompressing(opener(), compressed), None)
    return Document(shown(name), opener, size)


def _zip_members(archive: "zipfile.ZipFile") -> Iterator["zipfile.ZipInfo"]:
    """The members of a zip that are files to read: not folders, notes nor macOS's copies.
    (A member without a name, from a broken archive, is no file: found by fuzzing.)"""
    for info in archive.infolist():
        if (info.filename and not info.is_dir() and not _skip(info.filename)
                and "__MACOSX/" not in info.filename):
            yield info


def _stdin_documents() -> Iterator[Document]:
    """stdin: text, JSON, XML or a page, or one of them compressed (gzip, bzip2, xz: read
    through its decompressor), or a zip archive (copied to a temporary file: a zip is read
    from its end). Never closed by a ``with`` block."""
    # (none when the process was started with its stdin closed, "<&-", or when stdin was
    # replaced by a stream of text alone, as in some notebooks: said, not a traceback)
    buffer = getattr(sys.stdin, "buffer", None)
    if sys.stdin is None or getattr(buffer, "closed", False):     # (closed by the program)
        raise OSError("stdin is closed: there is nothing to read")
    if buffer is None:
        raise OSError("stdin is not a stream of bytes (no 'buffer'): name a file instead")
    stdin = _Waited(buffer, owned=False)
    peek = getattr(buffer, "peek", None)
    try:
        with waiting_on_input():
            head = peek(6)[:6] if peek is not None else b""
    except (OSError, ValueError):
        head = b""
    compressed = next((suffix for magic, suffix in _MAGIC if head.startswith(magic)), None)
    if compressed is not None:
        yield Document(f"<stdin>{compressed}", lambda: _DECOMPRESSORS[compressed](stdin), None)
    elif head.startswith(b"PK\x03\x04"):
        import shutil
        import tempfile
        import zipfile

        copy = tempfile.TemporaryFile()
        shutil.copyfileobj(stdin, copy)
        copy.seek(0)
        # (left open for the documents, opened when they are read: the temporary file is
        # removed when the process ends)
        try:
            archive = zipfile.ZipFile(copy)
        except zipfile.BadZipFile:      # (not a zip after all: read as any input, and said so)
            copy.seek(0)
            yield Document("<stdin>", lambda: copy, None)
            return
        for info in _zip_members(archive):
            yield _document(f"<stdin>!{info.filename}", lambda info=info: archive.open(info),
                            info.file_size)
    else:
        yield Document("<stdin>", lambda: stdin, None)


def _skip(name: str) -> bool:
    base = os.path.basename(name.rstrip("/"))
    return not base or base.startswith(".") or base in _SKIP_NAMES or base.startswith("__MACOSX")


def _zip_documents(path: str) -> Iterator[Document]:
    # One archive open for the whole walk: opening it again for each member re-reads its
    # central directory every time, which is quadratic on an archive of many files. A document
    # opened once the walk is over opens the archive again for itself.
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for info in _zip_members(archive):
            yield _document(f"{path}!{info.filename}",
                            lambda info=info: (archive.open(info) if archive.fp is not None
                                               else _ZipMember(path, info)), info.file_size)


class _ZipMember(io.BufferedIOBase):
    """A zip member that closes its archive with it (so documents can be opened lazily)."""

    def __init__(self, path, info):
        import zipfile

        self._archive = zipfile.ZipFile(path)
        self._member = self._archive.open(info)

    def read(self, size=-1):
        return self._member.read(size)

    def readable(self):
        return True

    def seekable(self):
        return self._member.seekable()

    def seek(self, offset, whence=io.SEEK_SET):
        return self._member.seek(offset, whence)

    def tell(self):
        return self._member.tell()

    def close(self):
        self._member.close()
        self._archive.close()
        super().close()


def _tar_documents(path: str) -> Iterator[Document]:
    # tar members can only be read in order: each is copied out while the archive is open,
    # into memory when small, into a temporary file when large (memory stays flat)
    import shutil
    import tarfile
    import tempfile

    with tarfile.open(path) as archive:
        for member in archive:
            if not member.isfile() or _skip(member.name):
                continue
            copy = tempfile.SpooledTemporaryFile(max_size=STREAM_THRESHOLD)
            shutil.copyfileobj(archive.extractfile(member), copy)
            yield _document(f"{path}!{member.name}", lambda copy=copy: _rewound(copy),
                            member.size)


def _rewound(spooled) -> BinaryIO:
    spooled.seek(0)
    return spooled


def _file_documents(path: str) -> Iterator[Document]:
    """The documents of one file: itself, or the members of a zip or tar archive; ``-`` is
    stdin. Errors of reading are raised."""
    if path == "-":   # read as a stream, once: a dump piped in is not held in memory
        yield from _stdin_documents()
    elif not stat.S_ISREG(os.stat(path).st_mode):
        # named explicitly (a FIFO, "<(zcat dump.gz)"): read once as a stream, never probed
        yield Document(shown(path), lambda: _opened_waiting(path), None)
    elif path.lower().endswith(".zip") and _zipfile().is_zipfile(path):   # (cheap test first)
        yield from _zip_documents(path)
    elif _is_archive(path) and _tarfile().is_tarfile(path):
        yield from _tar_documents(path)
    else:
        yield _plain_document(path, os.path.getsize(path))


def _plain_document(path: str, size: int) -> Document:
    """A file (not an archive) of ``size`` bytes; compressed, a stream of unknown size."""
    return _document(path, lambda: open(path, "rb"), size)


def documents(path: Union[str, os.PathLike]) -> Iterator[Document]:
    """The documents under ``path``: a file, a folder (walked in sorted order), a zip or tar
    archive, a glob pattern, or ``-`` for stdin. A missing path raises ``FileNotFoundError``;
    a file that cannot be read, its error (``walk`` goes on past it instead)."""
    for item in walk(path):
        if isinstance(item, Problem):
            raise item.error
        if isinstance(item, Document):
            yield item


class _Waited(io.BufferedIOBase):
    """An input that may keep a run waiting (stdin, a FIFO, "<(zcat dump.gz)"): each read is
    a wait on it (``stopping.waiting_on_input``: SIGTERM or Ctrl-C ends it at once). stdin is
    not ``owned``: a ``with`` block does not close it. Redirected from a file (``< dump``),
    it can be read twice, and is looked through first as a file named is (``read_ahead``)."""

    def __init__(self, stream, owned: bool = True):
        self._stream, self._owned = stream, owned

    def read(self, size=-1):
        with waiting_on_input():
            return self._stream.read(size)

    def readable(self):
        return True

    def seekable(self):
        try:
            return bool(self._stream.seekable())
        except (AttributeError, OSError, ValueError):
            return False

    def seek(self, offset, whence=io.SEEK_SET):
        return self._stream.seek(offset, whence)

    def tell(self):
        return self._stream.tell()

    def close(self):
        if self._owned and not self.closed:
            self._stream.close()
        super().close()


def _opened_waiting(path: str) -> _Waited:
    """A FIFO or a device named as an input: opening it waits for a writer."""
    with waiting_on_input():
        return _Waited(open(path, "rb"))


class Problem(NamedTuple):
    """A file or archive that could not be read, in place of its documents."""

    name: str
    error: Exception


class Skipped(NamedTuple):
    """A file of a folder or a member of an archive that holds no question: why it is not
    read (a FIFO would block the walk forever; a README is no question)."""

    name: str
    why: str


def _suffix(name: str) -> str:
    """A file's type by its name: "dump.json.gz" is a ".json" (compressed)."""
    stem, suffix = os.path.splitext(name.rsplit("!", 1)[-1])
    suffix = suffix.lower()
    if suffix in _DECOMPRESSORS:
        suffix = os.path.splitext(stem)[1].lower()
    return suffix


# notes that sit beside data and have no suffix
_NOTES = frozenset(("README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "NOTICE", "AUTHORS"))


# the outputs of ``convert`` (JSON lines, CSV, Parquet, SQLite): in a folder or an archive they
# are datasets beside the inputs, read only when named on their own
OUTPUT_SUFFIXES = frozenset({".jsonl", ".ndjson", ".csv", ".parquet", ".pq", ".sqlite",
                             ".sqlite3", ".db"})
# aqparse's own JSON records inside a folder or an archive are outputs or the expected side of
# fixture pairs (NAME.txt + NAME.json), not inputs (``convert`` says the same)
RECORDS_SKIPPED = "aqparse record files (outputs or expected fixtures) in a folder or archive"


def _not_a_question_file(name: str) -> Optional[str]:
    base = os.path.basename(name.rsplit("!", 1)[-1])
    if base.upper() in _NOTES:
        return f"notes, not a question file ({base})"
    suffix = _suffix(name)
    if suffix in OUTPUT_SUFFIXES:
        return f"datasets, read only when named on their own ({suffix})"
    return None if suffix in INPUT_SUFFIXES else f"not a question file type ({suffix})"


def record_form(head: bytes) -> Optional[str]:
    """How the first bytes of a JSON input hold aqparse's records (what ``convert`` and
    ``aqparse parse`` write, the expected side of fixtures): ``"lines"`` (JSON lines, the first
    line that is one telling: a broken line before it is looked past; read line by line:
    ``record_lines``), ``"json"`` (a list, or one record across lines), or None (no record:
    open data, anything else)."""
    if not all(mark in head for mark in _RECORD_MARKS):      # cheap: most files stop here
        return None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text[:1] == "[":
        return "json" if _starts_with_record(text[1:].lstrip(" \t\r\n")) else None
    # (a head shorter than the most asked for is the whole file: its last line is whole)
    first = json_lines_start(text, whole=len(head) < HEAD)
    if first is not None:
        return "lines" if looks_like_record(first) else None
    found = _starts_with_record(text)     # one record across lines, or a line the head cuts
    return None if not found else "json" if found == "whole" else "lines"


def _starts_with_record(text: str) -> Optional[str]:
    """Whether ``text`` starts with a record: ``"whole"``, ``"cut"`` (cut short by the head:
    its first keys tell), or None."""
    if text[:1] != "{":
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        found = text.startswith('{"uid"') and '"status"' in text and '"source"' in text
        return "cut" if found else None
    return "whole" if looks_like_record(value) else None


HEAD = 65536      # the bytes of a file looked at first (``record_form``, ``parse_document``,
                  # ``units.units_of``)


# -- aqparse's other outputs, told from their first bytes (``export`` writes and reads them;
# they are told apart here, where every input is looked at, without importing the writers)

SQLITE_MAGIC = b"SQLite format 3\x00"
PARQUET_MAGIC = b"PAR1"
CSV_DELIMITERS = (",", ";")     # aqparse's CSV, and the one for Excel
_CSV_HEADS = tuple(f"uid{d}".encode() for d in CSV_DELIMITERS)
_BOM = "\ufeff".encode()


def csv_delimiter(first_line: str) -> Optional[str]:
    """The delimiter of a CSV aqparse wrote (``,``, or ``;`` for Excel), from its header line
    (a byte order mark before it is allowed), or None when the header is not aqparse's."""
    header = first_line.lstrip("\ufeff")
    return next((d for d in CSV_DELIMITERS if header.startswith(f"uid{d}")), None)


def output_format(head: bytes) -> Optional[str]:
    """Which output of aqparse a file is, from its first bytes: ``sqlite``, ``parquet`` or
    ``csv`` (``csv-excel`` too: with a BOM and ``;``); None for anything else."""
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    # ``csv_delimiter`` of the first line, on its bytes (each file of a folder is asked: not
    # the whole first line decoded, which for a JSON file of one line is all of it)
    first = head[:64]
    while first.startswith(_BOM):
        first = first[len(_BOM):]
    return "csv" if first.startswith(_CSV_HEADS) else None


def record_lines(lines: Iterable[bytes], name: str, first: int = 1
                 ) -> Iterator[Tuple[Union[Question, ParseError], int]]:
    """The records of aqparse's JSON lines, each line on its own, with its line number: a line
    that is no record is given as its ``ParseError`` and the lines after it are read (one bad
    line cost all of them). A line is UTF-8, else windows-1252 (a file saved again by an
    editor, as ``decode`` reads any input); two records glued on one line (files joined whose
    last line had no newline) are both read."""
    from .opendata import read_record   # the one reader of aqparse's own records

    for number, line in joined_values(enumerate(lines, first)):
        if not line.strip():
            continue
        text = line_text(line)
        at = _JSON_BLANK.match(text).end()
        while at < len(text):
            try:
                obj, at = _RECORD_DECODER.raw_decode(text, at)
            except ValueError as error:
                yield ParseError(f"not an aqparse record: {error}", code="bad-record",
                                 path=name, line=number), number
                break
            except RecursionError:
                yield ParseError("not an aqparse record: nested too deeply", code="bad-record",
                                 path=name, line=number), number
                break
            at = _JSON_BLANK.match(text, at).end()
            # a list of records among the lines (a JSON output joined with JSONL ones): each
            objs = obj if isinstance(obj, list) and obj else [obj]
            if not all(map(looks_like_record, objs)):  # other JSON: said, not an empty record
                yield ParseError("not an aqparse record: a JSON value without a record's uid, "
                                 "status and source", code="bad-record", path=name,
                                 line=number), number
                break                          # (the line's one error)
            bad = False
            for obj in objs:        # (a bad record of a list: its error, and the next are read)
                try:
                    record: Union[Question, ParseError] = read_record(obj, path=name,
                                                                      line=number)
                except ParseError as error:
                    record, bad = error, True
                yield record, number
            if bad:
                break


_RECORD_DECODER = json.JSONDecoder()
_JSON_BLANK = re.compile(r"[ \t\r\n]*")


def _zipfile():
    import zipfile
    return zipfile


def _tarfile():
    import tarfile
    return tarfile


def read_errors() -> Tuple[type, ...]:
    """What reading a file or an archive raises on a broken one (``READ_ERRORS``): zipfile
    raises NotImplementedError for a version or compression it does not know (a corrupt
    header, found by fuzzing) and RuntimeError for an encrypted member. (A function: its
    modules are imported when an error is met, an ``except`` clause's tuple being made then;
    where a generator's ``yield`` stands in the ``try``, use ``except Exception`` and this
    inside, or its closing imports them.)"""
    global _READ_ERRORS
    if _READ_ERRORS is None:
        import lzma
        import tarfile
        import zipfile
        import zlib

        _READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, zlib.error,
                        NotImplementedError, RuntimeError, lzma.LZMAError)
    return _READ_ERRORS


_READ_ERRORS: Optional[Tuple[type, ...]] = None


def __getattr__(name: str):
    if name == "READ_ERRORS":      # (for the modules that name it: ``units``, ``work``)
        return read_errors()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def walk(path: Union[str, os.PathLike]) -> Iterator[Union[Document, Problem, Skipped]]:
    """The documents under ``path`` (see ``documents``); a file that cannot be read or an
    archive that is corrupt comes out as a ``Problem`` and the walk goes on with the rest (one
    bad file never stops it); a file of a folder or a member of an archive that holds no
    question (``INPUT_SUFFIXES``, not a regular file) comes out as ``Skipped``. A missing path
    raises ``FileNotFoundError``: that is the caller's mistake."""
    path = os.fspath(path)
    if path != "-" and os.path.isdir(path):
        # folders reached by a link are read too (they were passed over without a word),
        # each once: a link to a folder the walk reads anyway (inside it, or one of its
        # ancestors: a loop) or has read is said and skipped
        folders = [os.path.realpath(path)]     # (the folders the walk reads whole)
        for root, dirs, files in os.walk(path, followlinks=True):
            kept = []
            for d in sorted(d for d in dirs if not _skip(d)):
                full = os.path.join(root, d)
                if os.path.islink(full):
                    real = os.path.realpath(full)
                    if any(real == r or real.startswith(r + os.sep) or r.startswith(real + os.sep)
                           for r in folders):
                        yield Skipped(shown(full), LINK_LOOP)
                        continue
                    folders.append(real)
                kept.append(d)
            dirs[:] = kept
            for name in sorted(files):
                if _skip(name):
                    continue
                full = os.path.join(root, name)
                try:
                    status = os.stat(full)
                except OSError as error:        # a broken link: this one only
                    yield Problem(shown(full), error)
                    continue
                if not stat.S_ISREG(status.st_mode):
                    yield Skipped(shown(full), NOT_REGULAR)
                elif _is_archive(full):
                    yield from _guarded(full, members_only=False)
                else:
                    why = _not_a_question_file(full)
                    # (a plain file: its document made from the one stat, not two more)
                    yield Skipped(shown(full), why) if why else _plain_document(full,
                                                                                status.st_size)
    elif path != "-" and not os.path.exists(path) and glob.has_magic(path):
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            raise FileNotFoundError(f"{path}: no file matches this pattern")
        for match in matches:
            yield from walk(match)
    else:
        if path != "-" and not os.path.lexists(path):
            raise FileNotFoundError(f"{path}: no such file or directory")
        yield from _guarded(path)


def _guarded(path: str, members_only: bool = True) -> Iterator[Union[Document, Problem, Skipped]]:
    found = _file_documents(path)
    name = "<stdin>" if path == "-" else shown(path)     # (as its documents are named)
    while True:
        try:
            doc = next(found)
        except StopIteration:
            return
        except read_errors() as error:    # a broken link, a corrupt archive: this one only
            yield Problem(name, error)
            return
        why = _not_a_question_file(doc.name) if doc.name != name else None
        yield Skipped(doc.name, why) if why else doc


def _named(path: Union[str, os.PathLike]) -> frozenset:
    """The files named by an input argument: itself, or what a glob matches (not the files
    of a folder or the members of an archive)."""
    path = os.fspath(path)
    if path != "-" and not os.path.exists(path) and glob.has_magic(path):
        return frozenset(map(shown, glob.glob(path, recursive=True)))
    return frozenset({"<stdin>" if path == "-" else shown(path)})


def check_inputs(paths: Iterable[str]) -> None:
    """Fail at once, with ``UsageError``, for an input that does not exist, a glob matching
    nothing, or an unreadable file: before any work."""
    paths = list(paths)
    if not paths:
        raise UsageError("no input given")
    for path in paths:
        if path == "-":
            continue
        if not os.path.exists(path) and glob.has_magic(path):
            if not glob.glob(path, recursive=True):
                raise UsageError(f"{path}: no file matches this pattern")
        elif not os.path.exists(path):
            raise UsageError(f"{path}: no such file or directory")
        elif not os.access(path, os.R_OK):
            raise UsageError(f"{path}: not readable")


def read_error(name: str, error: Exception) -> ParseError:
    """A ``ParseError`` for an input that could not be read (code ``io-error``)."""
    return ParseError(f"cannot read: {error}", code="io-error", path=name)


class RecordsSkipped(Exception):
    """``parse_document(records=False)`` met a file of aqparse's JSON records."""


def parse_document(doc: Document, *, strict: bool = False, records: bool = True,
                   stream_above: int = STREAM_THRESHOLD, chunk: int = CHUNK
                   ) -> Iterator[Question]:
    """The questions of one document; a large dump (or stdin) is streamed. aqparse's own
    SQLite, Parquet and CSV outputs are read back into the records they hold
    (``own_records``). ``records=False``: a .json / .jsonl file of aqparse's JSON records
    raises ``RecordsSkipped`` instead (a document of a folder or an archive). Documents larger
    than ``stream_above`` bytes are streamed, a text dump in parts of about ``chunk``. The
    first error raises ``ParseError`` (``document_items`` goes on past a bad line)."""
    return raising(document_items(doc, strict=strict, records=records,
                                  stream_above=stream_above, chunk=chunk))


def document_items(doc: Document, *, strict: bool = False, records: bool = True,
                   stream_above: int = STREAM_THRESHOLD, chunk: int = CHUNK
                   ) -> Iterator[Union[Question, ParseError]]:
    """``parse_document``'s questions; JSON lines (aqparse's records, the AN's NDJSON) are
    read line by line, a bad line given as its ``ParseError`` in its place and the lines after
    it read. Other errors are raised."""
    json_file = not records and _suffix(doc.name) in (".json", ".jsonl")
    if doc.size is None or doc.size > stream_above:
        with doc.opener() as stream:
            head = stream.read(HEAD)
            form = record_form(head)
            if json_file and form:
                raise RecordsSkipped(doc.name)
            if form == "lines":
                yield from _record_items(chunk_lines(_blocks(head, stream)), doc.name)
                return
            own = output_format(head)
            if own is not None:
                yield from own_records(doc.name, own, head, stream, strict=strict)
                return
            if len(head) < HEAD:          # it was small after all (stdin)
                yield from parse_items(head, path=doc.name, strict=strict)
                return
            fmt = sniff(decode(head + b" ", path=doc.name))
            if fmt == "text":
                yield from _stream_text(head, stream, doc.name, strict, chunk)
                return
            if fmt in _STREAMED_FORMATS:   # open-data dumps: one question in memory at a time
                from .opendata import parse_stream

                yield from parse_stream(stream, fmt, head=head, path=doc.name, strict=strict)
                return
            data = head + stream.read()
    else:
        data = doc.read()
        form = record_form(data[:HEAD])
        if json_file and form:
            raise RecordsSkipped(doc.name)
        if form == "lines":
            yield from _record_items(data.split(b"\n"), doc.name)
            return
        own = output_format(data[:4096])
        if own is not None:
            yield from own_records(doc.name, own, data, io.BytesIO(b""), strict=strict)
            return
    yield from parse_items(data, path=doc.name, strict=strict)


def _record_items(lines: Iterable[bytes], name: str) -> Iterator[Union[Question, ParseError]]:
    """The records of aqparse's JSON lines (``record_lines``), its bad lines among them. (A
    record's defects are its source's, not this file's: ``strict`` is not asked of them.)"""
    return (item for item, _ in record_lines(lines, name))


def _blocks(head: bytes, stream: BinaryIO, size: int = CHUNK) -> Iterator[bytes]:
    block = head
    while block:
        yield block
        block = stream.read(size)


def own_records(name: str, fmt: str, head: bytes, rest: BinaryIO, *,
                strict: bool = False) -> Iterator[Question]:
    """The records of an output aqparse wrote (``export.read_output``), ``head`` then ``rest``
    being its bytes. A file on disk is read where it is; an archive's member, a file
    compressed on its own or stdin is copied to a temporary file first (SQLite and Parquet
    read a file, not a stream). A file of that format aqparse did not write, or a row no
    record can hold, is a ParseError naming the input and the row; under ``strict``, so is a
    record with defects."""
    from .errors import defect_error
    from .export import NotOurs, read_output

    copy = None
    path = name
    try:
        # (a file compressed on its own, "q.sqlite.gz", is read through its decompressor: the
        # file on disk is not the output, its copy is; stdin's documents are "<stdin>…", never
        # a file of that name in the folder. The copy is made inside the ``try``: a corrupt
        # compressed file, a full disk or Ctrl-C while it was made left it behind)
        if (name.startswith("<stdin>") or not os.path.isfile(name)
                or _compression(name) is not None):
            import shutil
            import tempfile

            copy = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
            with copy:
                copy.write(head)
                shutil.copyfileobj(rest, copy)
            path = copy.name
        for line, record in read_output(path, fmt):
            if strict and record.defects:
                first = defect_error(record)
                raise ParseError(f"{record.uid or 'a question'}: {first.message} (read from "
                                 f"{first.path}:{first.line})", code=first.code, path=name,
                                 line=line)
            yield record
    except NotOurs as error:
        raise ParseError(str(error), code=error.code, path=name, line=error.line) from None
    finally:
        if copy is not None:
            try:
                os.remove(copy.name)
            except OSError:        # (gone already: nothing left to remove)
                pass


def decoded_blocks(stream: BinaryIO, head: bytes, size: int) -> Iterator[str]:
    """The text of ``head`` and the rest of ``stream``, decoded block by block."""
    decoder = incremental_decoder(head)
    block = head
    while block:
        yield decoder.decode(block)
        block = stream.read(size)
    yield decoder.decode(b"", final=True)


def read_ahead(stream: BinaryIO, head: bytes, size: int) -> Tuple[Optional[bool], Optional[bool]]:
    """Whether the whole text of a dump shows a page (``furniture.shows_page``, on its text as
    it is decoded and mended) and lynx's link numbers (``layout.shows_links``), read through
    and the stream put back where it was; None for a stream that cannot be read twice (stdin,
    a pipe). The parts of a dump read apart are each read as the whole is
    (``text.text_units``): one answer that names the "Assemblée nationale" must not make its
    part alone a page's, nor a page of lynx far into a dump leave its numbers as text."""
    seekable = getattr(stream, "seekable", None)     # (3.10's SpooledTemporaryFile has none)
    try:
        if seekable is not None and not seekable():
            return None, None
        at = stream.tell()
    except (OSError, ValueError):
        return None, None
    from .text import DumpSigns      # (the text path, imported when a text is first read)

    signs = DumpSigns()
    try:
        for text in decoded_blocks(stream, head, size):
            signs.add(text)
            if signs.settled:
                break
        else:
            signs.end()
        found: Tuple[Optional[bool], Optional[bool]] = (signs.page, signs.links)
    except read_errors():
        # a member that cannot be read through (a bad CRC): read as a stream, whose reading
        # gives what comes before the fault and says it where it meets it
        found = (None, None)
    stream.seek(at)
    return found


def dump_units(stream: BinaryIO, head: bytes, block: int, **cut) -> Iterator["Unit"]:
    """The units of a text dump read from ``stream`` (``text.text_units``, given ``cut``'s
    sizes), each read as the whole is: the stream is looked through for a page's signs first
    and lynx's link numbers (``read_ahead``), then read again, a ``block`` of bytes at a time."""
    from .text import text_units

    page, links = read_ahead(stream, head, block)
    return text_units(decoded_blocks(stream, head, block), page=page, links=links, **cut)


def _stream_text(head: bytes, stream: BinaryIO, path: str, strict: bool,
                 chunk: int = CHUNK) -> Iterator[Question]:
    """A large text dump, part by part: cut where ``convert`` cuts it (``text.text_units``, the
    one cutter), each part read as ``convert``'s workers read it."""
    from .text import question_groups, records_of

    found = False
    for unit in dump_units(stream, head, chunk, chunk=chunk):
        text = repair_mojibake(unit.text)
        groups, page = question_groups(text, offset=unit.offset, first_line=unit.line,
                                       page=unit.page, links=unit.links)
        for record in records_of(groups, text, path=path, strict=strict, first_line=unit.line,
                                 offset=unit.offset, after_a_question=found, signs=page):
            found = True
            yield record
        if unit.too_long:
            raise ParseError(unit.too_long, code="question-too-long", path=path, line=unit.line)
    if not found:
        raise ParseError("not a parliamentary question: no 'Question N°' and no header labels "
                         "found", code="not-a-question", path=path, line=1)


def read(path: Union[str, os.PathLike], *, strict: bool = False,
         on_error: Optional[Callable[[str, ParseError], None]] = None,
         on_skip: Optional[Callable[[str, str], None]] = None,
         acteurs: Optional[Union[str, os.PathLike]] = None,
         stream_above: int = STREAM_THRESHOLD, chunk: int = CHUNK) -> Iterator[Question]:
    """Every question under ``path`` (file, folder, archive, glob, ``-``), in order.

    A document that cannot be parsed or read raises ``ParseError``, unless
    ``on_error(name, error)`` is given: then it is called and reading goes on with the next
    document, so one bad file never stops the rest. In JSON lines (aqparse's records, the
    AN's open data one question a line) a bad line is an error of its own, naming the file
    and the line: raised where it stands, or, with ``on_error``, said and the lines after it
    read. The files of a folder (or members of an
    archive) that hold no question — a README, an image, a FIFO — are skipped as ``convert``
    skips them, and ``on_skip(name, why)`` is called for each when given. ``acteurs``: the
    AN's open-data acteurs archive (zip or folder), which completes each record's author as
    it was at the question's date (``aqparse.acteurs``). A document larger than
    ``stream_above`` bytes is streamed (memory stays flat), a text dump in parts of about
    ``chunk`` characters.
    """
    if acteurs is not None:
        from .acteurs import Acteurs

        archive = Acteurs.load(acteurs)
        for q in read(path, strict=strict, on_error=on_error, on_skip=on_skip,
                      stream_above=stream_above, chunk=chunk):
            yield archive.enrich(q)
        return
    named = _named(path)
    for item in walk(path):
        if isinstance(item, Skipped):
            if on_skip is not None:
                on_skip(item.name, item.why)
            continue
        if isinstance(item, Problem):
            name, error = item.name, read_error(item.name, item.error)
        else:
            name = item.name
            in_on_error = False    # (what on_error raises is the caller's: not said again)
            try:
                for q in document_items(item, strict=strict, records=name in named,
                                        stream_above=stream_above, chunk=chunk):
                    if not isinstance(q, ParseError):
                        yield q
                    elif on_error is None:     # (a bad line stops the reading, as any error)
                        raise q
                    else:                      # a bad line of JSON lines: the next are read
                        in_on_error = True
                        on_error(name, q)
                        in_on_error = False
                continue
            except RecordsSkipped:
                if on_skip is not None:
                    on_skip(name, RECORDS_SKIPPED)
                continue
            except ParseError as parse_error:
                if in_on_error:
                    raise
                error = parse_error
            except Exception as io_error:   # a bad member of an archive, a vanished file
                # (told inside: an ``except`` clause's tuple is made for whatever passes,
                # the GeneratorExit of a reading left unfinished too, which then imported
                # the modules ``read_errors`` names, at the interpreter's exit among others)
                if in_on_error or not isinstance(io_error, read_errors()):
                    raise
                error = read_error(name, io_error)
        if on_error is None:
            raise error
        on_error(name, error)
