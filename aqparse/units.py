"""units: the inputs of a ``convert`` run cut into work units, in the parent process.

A work unit is what one worker parses at a time:

- ``Whole``: a small document, its bytes (parsed whole, whatever its format);
- ``TextPart``: whole questions of a large text dump, cut where the tokenizer would also start
  a question (the one cutter: ``text.text_units``), so a dump of any size is parsed in parallel
  with flat memory;
- ``RecordLines``: whole lines of a large file of aqparse's own JSON lines;
- ``Stream``: a large open-data or XML dump, which cannot be cut without parsing it: the
  parent reads it as a stream (never sent to a worker);
- ``Skip`` and ``Failure``: an input not read (and why), or one that failed before any parsing.

``Sizes`` holds the sizes the cutting uses, given to ``convert.run`` (tests make them small).
"""

import glob
import os
import stat
import zipfile
from typing import Callable, Iterator, List, Optional, Tuple, Union

import attrs

from .api import HELD_LINE, JOINED_MOST, sniff
from .decode import decode
from .errors import ParseError, UsageError
from .inputs import (HEAD, READ_ERRORS, RECORDS_SKIPPED, Document, Problem, Skipped,
                     dump_units, output_format, read_error, record_form, walk)
from .rawtext import Tap
from .text import UNIT_CHARS

def _size(least: int, most: int = 1 << 30):
    """A whole number from ``least`` to ``most``: a size of 0 would read nothing (a read of 0
    bytes is the end of a file), a huge one would hold a whole dump in memory."""
    def check(instance, attribute, value):
        if not isinstance(value, int) or isinstance(value, bool) or not least <= value <= most:
            raise UsageError(f"sizes.{attribute.name} must be a whole number from {least:,} to "
                             f"{most:,}, not {value!r}")
    return check


@attrs.frozen
class Sizes:
    """The sizes of a run's cutting and streaming (characters or bytes)."""

    # documents larger than this (or of unknown size) are cut
    split_above: int = attrs.field(default=2 << 20, validator=_size(0, 1 << 40))
    # what a unit cut from a text dump aims at
    chunk_chars: int = attrs.field(default=UNIT_CHARS, validator=_size(1))
    # what one question of a text dump may hold (then cut, said)
    max_question: int = attrs.field(default=4 << 20, validator=_size(4096, 1 << 34))
    # bytes read at a time from a large document
    read_block: int = attrs.field(default=1 << 20, validator=_size(1, 256 << 20))
    # records of a streamed dump handed to the writer at a time
    stream_batch: int = attrs.field(default=500, validator=_size(1))
    # bytes of a streamed dump kept for errors entries (``Tap``)
    raw_keep: int = attrs.field(default=8 << 20, validator=_size(1))


# -- the units -------------------------------------------------------------------------------------
# frozen, slotted: they go to the worker processes by pickle

@attrs.frozen
class Whole:
    name: str
    data: bytes
    explicit: bool          # named on the command line (then aqparse's own records are read)


@attrs.frozen
class TextPart:
    name: str
    text: str
    offset: int             # characters before it in the dump
    line: int               # the dump's line it starts at
    page: Optional[bool] = None     # whether the dump shows a page (read as it is read whole)
    links: Optional[bool] = None    # and lynx's link numbers


@attrs.frozen
class RecordLines:
    name: str
    data: bytes             # whole JSON lines
    line: int               # the file's line it starts at


@attrs.frozen
class Stream:
    name: str
    tap: Tap = attrs.field(eq=False)


@attrs.frozen
class Skip:
    name: str
    why: str


@attrs.frozen
class Failure:
    name: str
    message: str
    code: str


Unit = Union[Whole, TextPart, RecordLines, Stream, Skip, Failure]


# -- cutting ---------------------------------------------------------------------------------------

def _text_parts(name: str, stream, head: bytes, sizes: Sizes) -> Iterator[Unit]:
    """A text dump, read block by block, in units of whole questions; a question too long to
    be held is cut, and said."""
    for unit in dump_units(stream, head, sizes.read_block, chunk=sizes.chunk_chars,
                           max_question=sizes.max_question):
        if unit.too_long:
            yield Failure(name, unit.too_long, "question-too-long")
        yield TextPart(name, unit.text, unit.offset, unit.line, unit.page, unit.links)


def _record_lines(name: str, stream, head: bytes, sizes: Sizes) -> Iterator[Unit]:
    """aqparse JSON lines in units of whole lines."""
    buffer, line, looked = head, 1, 0
    while True:
        block = stream.read(sizes.read_block)
        buffer += block
        if block and len(buffer) < sizes.chunk_chars:
            continue
        # (a value printed with indents longer than a unit is held whole, as joined_values
        # holds it: up to its bound, each line counted as it counts them, past which its
        # lines are read as they came anyway)
        held = len(buffer) + HELD_LINE * buffer.count(b"\n")
        cut = len(buffer) if not block else \
            _line_cut(buffer, whole=held > JOINED_MOST + sizes.chunk_chars, since=looked)
        looked = max(len(buffer) - 1, 0)     # (no cut before it: not looked at again)
        if cut:
            looked = 0
            yield RecordLines(name, buffer[:cut], line)
            line += buffer.count(b"\n", 0, cut)
            buffer = buffer[cut:]
        if not block:
            return


def _line_cut(buffer: bytes, whole: bool = True, since: int = 0) -> int:
    """Where to cut JSON lines read so far: after the last newline that starts a line no value
    printed with indents goes on with (``api.joined_values``: not indented, not blank, not its
    closing "}" or "]"), so that such a value is read whole by one unit (cut in two, each of
    its lines was an error and its question lost); when there is none, after the last newline
    if ``whole`` (0: no newline yet), else 0: read on (a value longer than a unit was cut and
    lost while ``aqparse.read`` read it). ``since``: where the newlines looked at before end
    (none of them was a cut)."""
    end = len(buffer)
    while True:
        cut = buffer.rfind(b"\n", since, end)
        if cut < 0:
            return buffer.rfind(b"\n") + 1 if whole else 0
        if buffer[cut + 1:cut + 2] not in _GOES_ON:
            return cut + 1
        end = cut


_GOES_ON = frozenset((b"", b" ", b"\t", b"\r", b"\n", b"}", b"]"))


def units_of(doc: Document, explicit: bool, sizes: Sizes = Sizes()) -> Iterator[Unit]:
    """The units of one document."""
    if doc.size is not None and doc.size <= sizes.split_above:
        yield Whole(doc.name, doc.read(), explicit)
        return
    with doc.opener() as stream:
        head = stream.read(HEAD)
        if len(head) < HEAD and not head.strip():    # empty stdin: "empty", as an empty file
            yield Whole(doc.name, head, explicit)
            return
        if output_format(head) is not None:    # aqparse's own SQLite / Parquet / CSV output
            yield Stream(doc.name, Tap(stream, head, sizes.raw_keep))
            return
        form = record_form(head)
        if form is not None:
            if not explicit:
                yield Skip(doc.name, RECORDS_SKIPPED)
            elif form == "lines":
                yield from _record_lines(doc.name, stream, head, sizes)
            else:                       # a (large) JSON list of records: read back as a stream
                yield Stream(doc.name, Tap(stream, head, sizes.raw_keep))
            return
        try:
            is_text = sniff(decode(head + b" ", path=doc.name)) == "text"
        except ParseError:
            is_text = False
        if is_text:
            yield from _text_parts(doc.name, stream, head, sizes)
        elif len(head) < HEAD:          # small after all (stdin)
            yield Whole(doc.name, head, explicit)
        else:                           # an open-data or XML dump: streamed, in the parent
            yield Stream(doc.name, Tap(stream, head, sizes.raw_keep))


def documents(path: str) -> Iterator[Tuple[Union[Document, Problem, Skipped], bool]]:
    """(document, named explicitly) for an input argument, from ``inputs.walk`` (a corrupt
    archive or an unreadable file is a ``Problem`` that costs only itself). A document is
    named explicitly when its name is the argument (or ``-``); the files a glob matches are
    named too, so a glob is expanded here."""
    for one in _expanded(path):
        try:
            for item in walk(one):
                yield item, one == "-" or (isinstance(item, Document) and item.name == one)
        except FileNotFoundError as error:     # gone since check_inputs looked
            yield Problem(one, error), False


def _expanded(path: str) -> List[str]:
    """An input argument as the paths it names: a glob's matches (sorted), else itself."""
    if path != "-" and not os.path.exists(path) and glob.has_magic(path):
        return sorted(glob.glob(path, recursive=True))
    return [path]


def internal(error: Exception) -> str:
    return f"internal error: {type(error).__name__}: {error}"


def units(paths: List[str], sizes: Sizes = Sizes(),
          seen: Optional[Callable[[Union[Document, Problem, Skipped]], None]] = None
          ) -> Iterator[Unit]:
    """The units of every input, in input order; ``seen`` is told of each document met (the
    run counts them, and says the skipped ones)."""
    for path in paths:
        for doc, explicit in documents(path):
            if seen is not None:
                seen(doc)
            if isinstance(doc, Problem):
                yield Failure(doc.name, read_error(doc.name, doc.error).message, "io-error")
            elif isinstance(doc, Document):
                try:
                    yield from units_of(doc, explicit, sizes)
                except READ_ERRORS as error:       # a member that cannot be read (bad CRC…)
                    yield Failure(doc.name, read_error(doc.name, error).message, "io-error")
                except Exception as error:         # a bug must cost this input, not the run
                    yield Failure(doc.name, internal(error), "internal-error")
            # a Skipped document (a README, a FIFO in a folder) has no unit: ``seen`` said it


# -- how much there is to read (the progress bar's total) -------------------------------------------

_TARS = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


def _file_bytes(path: str, in_folder: bool = False) -> Optional[int]:
    """The bytes a file gives to read: its size, or a zip's members' sizes (from its central
    directory); None for a tar archive (only reading it through would tell) or a stream (a
    pipe named on the command line; in a folder it is skipped: nothing to read). A broken
    link in a folder gives nothing to read (the walk says so)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if in_folder and os.path.islink(path):
            return 0
        raise
    if not stat.S_ISREG(st.st_mode):
        return 0 if in_folder else None
    if path.lower().endswith(_TARS):
        return None
    if path.lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(path) as archive:
                return sum(i.file_size for i in archive.infolist() if not i.is_dir())
        except (zipfile.BadZipFile, OSError, ValueError):
            return st.st_size       # read as it comes: the walk says what is wrong with it
    return st.st_size


def input_bytes(paths: List[str]) -> Optional[int]:
    """The bytes the inputs give to read — files, folders, globs, zip archives — or None where
    that cannot be known without reading them (stdin, a pipe, a tar archive)."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        for one in _expanded(path):
            try:
                in_folder = os.path.isdir(one)
                files = ([os.path.join(folder, name) for folder, _, names in os.walk(one)
                          for name in names] if in_folder else [one])
                for name in files:
                    size = _file_bytes(name, in_folder)
                    if size is None:
                        return None
                    total += size
            except OSError:         # gone, unreadable: the walk says so; no total then
                return None
    return total
