"""The library's entry points: ``parse``, ``parse_many``, ``read``.

Whatever the input is — question text, a saved page, an open-data file, the old per-question
XML — it is sniffed and handed to the parser of its format; all of them give ``Question``
records. Text is the core path: decode → tokenize → split into questions → extract
(``text``). Each format's reader is imported when first needed.
"""

import importlib
import json
import re
from typing import AnyStr, Callable, Dict, Iterable, Iterator, Optional, Tuple, Union

from .decode import decode
from .errors import ParseError, UsageError, raising
from .records import Question

Data = Union[str, bytes]

# format -> "module:function" giving parse_many(text, *, path, strict) -> Iterator[Question];
# imported on first use: the text path never pays for lxml, nor the others for the tokenizer.
FORMAT_PARSERS = {
    "text": "aqparse.text:parse_text_many",
    "html": "aqparse.html:parse_many",
    "opendata-json": "aqparse.opendata:parse_many_json",
    "opendata-xml": "aqparse.opendata:parse_many_xml",
    "legacy-xml": "aqparse.opendata:parse_many_legacy_xml",
}
# the formats whose parser can go on past a bad part (a line of JSON lines): it gives that
# part's ParseError among its records (``parse_items``)
ITEM_PARSERS = {"opendata-json": "aqparse.opendata:json_items"}

# a JSON list; not a text that starts with a link number ("[1]Accueil", lynx)
_JSON_LIST = re.compile(r'\[\s*(?:[{\["\]]|-?\d+(?:\.\d+)?\s*(?:,|\]\s*(?:\Z|[,\]}]))'
                        r'|true\b|false\b|null\b)')
_HTML = re.compile(r"\s*(?:<!doctype\s+html|<html|<head|<body|<title|<meta|<div|<table|<!--)", re.I)
# the root's tag, after the XML declaration, comments and a document type (which may hold
# its own entity declarations)
_XML = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                  r"(?:<!DOCTYPE\s+[\w:.-]+[^\[>]*(?:\[.*?\]\s*)?>\s*(?:<!--.*?-->\s*)*)?"
                  r"<(?P<tag>[\w:.-]+)", re.S)


def sniff(text: str) -> str:
    """The format of a decoded input: 'text', 'html', 'opendata-json', 'opendata-xml' or
    'legacy-xml'."""
    head = text[:4096].lstrip()
    if head.startswith("{") or _JSON_LIST.match(head):
        return "opendata-json"
    if head.startswith("<"):
        if _HTML.match(head):
            return "html"
        m = _XML.match(head)
        if m:
            tag = m.group("tag").split(":")[-1]
            if tag in ("QUESTION", "QUESTIONS"):
                return "legacy-xml"
            if tag in ("question", "questions", "export", "questionsEcrites",
                       "questionsGouvernement", "questionsOralesSansDebat"):
                return "opendata-xml"
        return "html"
    if _json_lines_of_questions(text):
        return "opendata-json"
    return "text"


def _json_lines_of_questions(text: str) -> bool:
    """Whether ``text`` is the AN's open data one question a line whose first line (or first
    few) is broken: a copy cut from the middle of a file, a note written above the lines. It
    was read as text, no question in it, and lost whole; it is JSON lines, each bad line its
    own error (``json_lines_start``, which looks at the head's first lines only)."""
    head = text[:_LINES_HEAD]
    if "{" not in head:         # cheap: a text stops here
        return False
    first = json_lines_start(head, whole=len(text) <= _LINES_HEAD)
    if first is None:
        return False
    from .opendata import _looks_like_question

    question = first.get("question", first)
    return isinstance(question, dict) and _looks_like_question(question)


_LINES_HEAD = 65536     # the characters of a text looked at for JSON lines


def _parser_for(fmt: str, items: bool = False,
                path: Optional[str] = None) -> Callable[..., Iterator[Question]]:
    key = (fmt, items and fmt in ITEM_PARSERS)
    found = _PARSERS.get(key)
    if found is None:
        found = _PARSERS[key] = _import_parser((ITEM_PARSERS if key[1] else FORMAT_PARSERS)[fmt],
                                               fmt, path)
    # (the module is kept, its function asked each time: a test that patches
    # ``aqparse.text.parse_text_many`` reaches it after a first text was read too)
    return getattr(*found)


_PARSERS: Dict[Tuple[str, bool], Tuple[object, str]] = {}   # (asked for every document)


def _import_parser(where: str, fmt: str, path: Optional[str] = None) -> Tuple[object, str]:
    """The module of a format's reader and its function's name."""
    module_name, function = where.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:  # a format whose parser is not installed in this build
        raise ParseError(f"{fmt} input is not supported by this build ({exc})",
                         code="unsupported-format", path=path, line=1) from None
    return module, function


def parse_many(data: Data, *, strict: bool = False, path: Optional[str] = None,
               format: Optional[str] = None) -> Iterator[Question]:
    """Every question in ``data`` (a dump may hold many, one after another), in order.

    Raises ``ParseError`` when the input holds no question at all, and under ``strict=True``
    for the first question with a defect.
    """
    return raising(parse_items(data, strict=strict, path=path, format=format))


def parse_items(data: Data, *, strict: bool = False, path: Optional[str] = None,
                format: Optional[str] = None) -> Iterator[Union[Question, ParseError]]:
    """``parse_many``'s questions, and, where the format has parts read on their own (the
    lines of JSON lines), a bad part's ``ParseError`` in its place: the parts after it are
    read (``read(on_error=…)`` and ``convert`` go on past it). Other errors are raised."""
    if format is not None and format != "" and (not isinstance(format, str)
                                                 or format not in FORMAT_PARSERS):
        raise UsageError(f"unknown input format {format!r}: one of "
                         f"{', '.join(sorted(FORMAT_PARSERS))}, or none to sniff it")
    text = decode(data, path=path)
    if not text.strip():
        raise ParseError("empty input", code="empty", path=path, line=1)
    fmt = format or sniff(text)
    yield from _parser_for(fmt, items=True, path=path)(text, path=path, strict=strict)


def json_lines_start(text: str, whole: bool = True) -> Optional[dict]:
    """The first value of JSON lines (one JSON value a line, as ``convert`` writes and the
    AN's NDJSON): the first line of ``text`` that holds a whole JSON object on its own, from
    its first column, past broken lines before it (a line that fails within itself or holds
    something else: cut short at its end or its start, edited, a note), at most
    ``JSON_LINES_BROKEN`` of them. None when ``text`` is not JSON lines: one value across
    lines (pretty-printed: its lines are indented, or a line that opens a value another line
    closes), or a first line the text cuts (``whole=False``: the text is the head of a file).
    Each line looked at costs a decode of it and the line after it, never more (this runs on
    the head of every JSON input that holds records' keys, and of every open-data JSON input);
    a file of one line is left to the JSON reader (one value: no line is broken)."""
    start, broken = 0, False
    for _ in range(JSON_LINES_BROKEN + 1):
        start = _BLANK_LINES.match(text, start).end()
        end = text.find("\n", start)
        if end < 0:
            if not whole or start == len(text):
                return None
            end = len(text)
        after = _BLANK.match(text, end).end()     # where the next line's value starts
        if after == len(text) and not broken:
            return None                        # one line: one value (read as it always was)
        # the line and the next one: a value across lines fails or ends past this line
        stop_at = text.find("\n", after)
        window = text[start:len(text) if stop_at < 0 else stop_at]
        try:
            value, stop = _JSON.raw_decode(window)
        except (ValueError, RecursionError) as error:
            if getattr(error, "pos", len(window)) > after - start:
                return None                    # fails further: a value across lines
            start, broken = end + 1, True      # a broken line: the next one tells
            continue
        if stop > end - start:
            return None
        if (isinstance(value, dict) and value and not window[stop:end - start].strip()
                and text[start] not in " \t"):     # (an indented one is pretty-printed JSON's)
            return value
        start, broken = end + 1, True   # a line that is not one object: a value's tail, a note
    return None


JSON_LINES_BROKEN = 8
JOINED_MOST = 8 << 20    # what joined_values holds of a value printed with indents, at most
_JSON = json.JSONDecoder()
_BLANK = re.compile(r"[ \t\r\n]*")
_BLANK_LINES = re.compile(r"(?:[ \t\r]*\n)*")


def joined_values(lines: Iterable[Tuple[int, AnyStr]],
                  most: int = JOINED_MOST) -> Iterator[Tuple[int, AnyStr]]:
    """Numbered lines of JSON lines, a value printed with indents among them joined into one
    line numbered as its first: from a line that is only "{" or "[" to the next that is only
    "}" or "]" from its first column, every line between indented (files of one question a
    line joined with a file printed with indents: each of its lines was an error, its
    question lost). Lines that do not close so, within ``most`` (characters, and
    ``HELD_LINE`` more for each line held: blank lines too), are given as they came."""
    held: list = []
    size = 0
    for number, line in lines:
        if held:
            if line[:1] in _CLOSING and line.rstrip() in _CLOSING:
                held.append((number, line))
                yield held[0][0], (b" " if isinstance(line, bytes) else " ").join(
                    part for _, part in held)
                held = []
                continue
            size += len(line) + HELD_LINE
            if (line[:1] in _INDENT or not line.strip()) and size <= most:
                held.append((number, line))
                continue
            yield from held          # not a value printed with indents: its lines as they are
            held = []
        if _opens(line):
            held, size = [(number, line)], len(line)
        else:
            yield number, line
    yield from held


def _opens(line: AnyStr) -> bool:
    """Whether ``line`` is only "{" or "[" (after a byte order mark: a file's first line)."""
    if line[:3] == b"\xef\xbb\xbf" or line[:1] == "\ufeff":
        line = line[3:] if isinstance(line, bytes) else line[1:]
    return line[:1] in _OPENING and line.rstrip() in _OPENING


# what a line held costs beyond its characters (a blank line is held too: ``most`` bounds the
# memory held, not only the characters; "{" and ten million blank lines held 1 GB)
HELD_LINE = 64
_OPENING = frozenset(("{", "[", b"{", b"["))
_CLOSING = frozenset(("}", "]", b"}", b"]"))
_INDENT = frozenset((" ", "\t", b" ", b"\t"))


def chunk_lines(chunks: Iterable[AnyStr]) -> Iterator[AnyStr]:
    """The lines of text or bytes read in chunks, without their "\n" (a line in memory at a
    time; the last one, after the last "\n", may be empty)."""
    pending: list = []
    for chunk in chunks:
        parts = chunk.split("\n" if isinstance(chunk, str) else b"\n")
        if len(parts) > 1:
            yield parts[0][:0].join(pending + parts[:1])
            yield from parts[1:-1]
            pending = []
        pending.append(parts[-1])
    if pending:
        yield pending[0][:0].join(pending)


def parse(data: Data, *, strict: bool = False, path: Optional[str] = None,
          format: Optional[str] = None) -> Question:
    """The one question in ``data``. Raises ``ParseError`` if there is none, or several."""
    questions = parse_many(data, strict=strict, path=path, format=format)
    first = next(questions)
    second = next(questions, None)
    if second is not None:
        raise ParseError("the input holds more than one question; use parse_many()",
                         code="many-questions", path=path, line=second.source.line)
    return first



def __getattr__(name: str):
    """The text path's names, which were here before it had its module (``text_units``,
    ``find_cut``, ``UNIT_CHARS``…, as the docs once named them): found in ``aqparse.text``,
    imported when first asked."""
    if not name.startswith("_"):
        from . import text

        if name in vars(text):
            return getattr(text, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
