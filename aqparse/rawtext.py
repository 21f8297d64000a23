"""rawtext: the raw text of what could not be converted, quoted in the errors file.

Nothing is lost: a refused record or a failed input goes to the errors file with its lines,
as they were. ``Raw`` holds them for a unit a worker parsed (decoded only when a problem
needs them); ``Tap`` for a dump the parent reads as a stream, of which it keeps only what the
parser may still be asked to quote, so that memory stays flat.
"""

import io
import itertools
import re
from typing import List, Optional, Tuple, Union

from .decode import OTHER_BREAKS, decode
from .errors import ParseError

RAW_LIMIT = 1 << 20       # raw text kept in an errors-file entry (characters)
READ_BLOCK = 1 << 20      # bytes read on at a time to quote a question to its end

# A line of text ends where the tokenizer counts one (``count_lines``): "\n", "\r\n", a lone
# "\r", and the other breaks of str.splitlines() (form feed, U+2028…). A line of aqparse's
# own JSON lines ends at "\n", "\r\n" or "\r" only (``bytes.splitlines``): a record's text
# may hold U+2028.
_BREAKS = "\r\n" + OTHER_BREAKS
_LINE = re.compile(f"[^{_BREAKS}]*(?:\r\n|[{_BREAKS}])|[^{_BREAKS}]+")
_JSON_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def split_lines(text: str, json_lines: bool = False) -> List[str]:
    """``text`` cut into lines as the tokenizer counts them, each with its line end."""
    return (_JSON_LINE if json_lines else _LINE).findall(text)


class Raw:
    """The raw text of a unit — its text, or its bytes (decoded as the parser decodes them;
    JSON lines as UTF-8) — starting at line ``first_line`` of its input, cut into lines only
    when a problem needs them."""

    def __init__(self, data: Union[str, bytes], first_line: int = 1, json_lines: bool = False):
        self._data = data
        self._first = first_line
        self._json_lines = json_lines
        self._lines: Optional[List[str]] = None
        self.encoding: Optional[str] = None

    def lines(self) -> List[str]:
        if self._lines is None:
            data = self._data
            if isinstance(data, bytes) and self._json_lines:
                data = data.decode("utf-8", errors="replace")
            elif isinstance(data, bytes):
                try:
                    data = decode(data)
                except ParseError:            # binary: one character per byte, reversible
                    data, self.encoding = data.decode("latin-1"), "latin-1"
            self._lines = split_lines(data, json_lines=self._json_lines)
        return self._lines

    def between(self, start: Optional[int], end: Optional[int]) -> Tuple[str, bool]:
        """(the lines from ``start`` to before ``end``, all of them): None is the unit's start,
        or its end."""
        lines = self.lines()
        a = 0 if start is None else max(0, start - self._first)
        b = len(lines) if end is None else max(a, end - self._first)
        return "".join(lines[a:b]), True


NO_RAW = Raw("")      # a record with no lines of its own


_BREAK = re.compile(rb"\r\n|\r|\n")      # a line end, as the tokenizer counts them


class Tap(io.BufferedIOBase):
    """A large document that is parsed as a stream (an open-data or XML dump) is read through
    this. It keeps the bytes from line ``first`` on — the question being parsed and what the
    parser read ahead, at most ``keep`` bytes — so that an errors entry can still quote a
    question's lines once the parser has gone past them; ``release(line)`` forgets the lines
    before ``line``. Memory stays flat whatever the size of the document."""

    def __init__(self, stream, head: bytes, keep: int = 8 << 20):
        super().__init__()
        self._stream = stream
        self._replay = head               # read already: given out first
        self._limit = keep
        self._kept = bytearray()
        self._first: Optional[int] = 1    # the line kept[0] starts; None: at the next line start
        self._full = False                # bytes after kept were dropped (the limit reached)
        self._breaks = 0                  # line ends in all that was read
        self._cr = False                  # what was read ends with "\r"
        self._eof = False
        self._taken = 0                   # bytes read and told (``take_read``)
        self._read = len(head)            # bytes read from the stream
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
        self._read += len(data)
        self._keep(data)
        return data

    def take_read(self) -> int:
        """The bytes read from the stream since the last call (the progress bar)."""
        new, self._taken = self._read - self._taken, self._read
        return new

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
                self._kept = bytearray(data[start:start + self._limit])
                self._full = len(data) - start > self._limit
        elif not self._full:
            room = self._limit - len(self._kept)
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
        broken = False
        if end is None:
            from .inputs import read_errors

            try:
                while not self._eof and not self._full and len(self._kept) - a <= RAW_LIMIT:
                    self._pull(READ_BLOCK)
            except read_errors():     # the stream breaks on (a corrupt compressed file, whose
                broken = True         # fault the entry reports): what was read, cut short
        b = len(self._kept) if end is None else self._offset(end)
        complete = b is not None and not (self._full and b == len(self._kept))
        if end is None:
            complete = complete and self._eof and not broken
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


def entry(name: str, line: Optional[int], code: str, message: str, raw, start, end,
          **more) -> dict:
    """An errors-file entry: where, what, and the raw lines from ``start`` to before ``end``."""
    text, complete = raw.between(start, end)
    out = {"path": name, "position": line, "code": code, "error": message}
    out.update(more)
    out["raw"] = text[:RAW_LIMIT]
    if len(text) > RAW_LIMIT or not complete:
        out["raw_truncated"] = True
    if raw.encoding:
        out["raw_encoding"] = raw.encoding
    return out
