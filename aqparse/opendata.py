"""opendata: AN open data (JSON, XML) and the old per-question XML, onto the same records.

Three stages, one per section below:

1. **find** the question objects in a file, streamed: a JSON file is walked container by
   container, and a question's members are decoded by the standard ``json`` decoder (so a dump
   of hundreds of MB never becomes one Python tree, nor one string); an XML file goes through
   lxml's pull parser and each question element is freed once read. A file may hold one question or many, under
   any wrapper (``{"questions": {"question": [...]}}``, a top-level list, JSON lines,
   ``<export>``…): any object that looks like a question is one, wherever it is nested (a
   ``QANR…`` uid, an ``identifiant``; where a question stands, a question's other members).
   A record written by aqparse is read back as it is (``read_record``).
2. **normalise** the quirks: XML elements become the same dicts as the JSON files; a repeated
   element is an object when there is one and a list when there are several (``_many``);
   ``null``, ``xsi:nil`` and empty elements are None; every scalar is a string, typed by the
   converters of the tables (dates of both styles through ``dates.parse_date``, bodies through
   ``markup.fragment_text``).
3. **map** with tables of ``Field(name, path, convert)`` rows (``OPENDATA``, ``LEGACY``). Each
   value is *taken* out of the question's dict as it is read, so whatever is left at the end
   is something this module does not know: it goes to ``extra`` with an ``unknown-field``
   defect, never nowhere. Problems are ``Defect``s on the record; ``strict=True`` raises.
"""

import json
import re
from typing import (Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple,
                    Union)

import attrs

from .dates import parse_date, parse_page
from .decode import clean_value, incremental_decoder, line_text
from .errors import InternalError, ParseError, excerpt, raise_for, raising
from .agree import sitting_question, title_and_analyses
from .markup import fragment_text
from .names import author_of, civility
from .records import (KINDS, Attribution, Author, Closure, Defect, Erratum, Ministry, Publication,
                      Question, Renewal, Signalement, Source, Withdrawal, looks_like_record,
                      make_uid, status_of)

ANSWERED = "REP_PUB"      # the closure code of a published answer; any other is a withdrawal

# =============================================================================================
# 1. finding the questions
# =============================================================================================

# -- JSON --------------------------------------------------------------------------------------

_DECODER = json.JSONDecoder()
# what decodes to a surrogate (a lone one, when its other half is missing); "\\ud83d" (an
# escaped backslash) matches too, which only costs a check for nothing
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_WS = re.compile(r"[ \t\r\n]*")
# the escapes of note in a question's text: of a letter ("\u0041"…"\u007a", and a few more:
# group 1), which may write a member name; of what decodes to a surrogate (as above: group 2);
# of another character a body's fast reading leaves to the parser (``markup._ODD_CHARACTER``:
# controls, tabs, odd blanks and breaks, U+FFFE, U+FFFF). (The escapes of accented letters,
# most of them in an ASCII file, are told apart first: the search then costs no more.)
_NOTABLE_ESCAPE = re.compile(
    r"\\(?!u00(?:[9a-fA-F]|8[0-46-9a-fA-F]))"
    r"(?:u(?:00(?:([4-7])[0-9a-fA-F]|0[0-9bcefBCEF]|1[0-9a-fA-F]|85)|([dD][89a-fA-F])|1680"
    r"|20(?:0[0-9aA]|2[89fF]|5[fF])|3000|[fF]{3}[eEfF])|[tbf])")
# a member "name": "value" whose strings hold no escape and no control character (which the
# decoder refuses), after the comma that comes before any but the first
_PLAIN_MEMBER = re.compile(r'[ \t\r\n]*(,?)[ \t\r\n]*"([^"\\\x00-\x1f]*)"[ \t\r\n]*:'
                           r'[ \t\r\n]*(?:"([^"\\\x00-\x1f]*)")?')
READ_CHUNK = 256 << 10    # characters read at a time from a stream


# the json module's messages name a place they do not give ("Unterminated string starting
# at"): what each means, said whole (the error gives the line and an excerpt)
_JSON_MESSAGES = {
    "Unterminated string starting at": "a string is not closed (the file may be cut short)",
    "Expecting value": "a value is expected here",
    "Expecting property name enclosed in double quotes": "a member's name in double quotes "
                                                         "is expected here",
    "Expecting ',' delimiter": "a ',' between two items is expected here",
    "Expecting ':' delimiter": "a ':' after a member's name is expected here",
    "Extra data": "more data after the end of the JSON value",
    "Invalid control character at": "a control character inside a string",
}


def _json_message(message: str) -> str:
    return _JSON_MESSAGES.get(message, message)


class _JsonWindow:
    """JSON text seen through a window: the whole text, or a stream of chunks read as needed
    (then the consumed part is dropped: memory holds what is being decoded, not the file)."""

    def __init__(self, text: str = "", chunks: Optional[Iterator[str]] = None):
        self.buf = text
        self.i = 0
        self.surrogates = 0      # how many values held a "\ud8xx"-"\udfxx" escape
        self.plain = False       # whether the last object ``whole_from`` gave is plain text
        self.chunks = chunks
        self.line = 1            # line number at ``self.counted``
        self.counted = 0
        self.dropped = 0         # characters dropped before ``buf[0]``
        self.keep: Optional[int] = None   # where the object being read starts (``whole_from``)

    def fill(self, need: int) -> None:
        """Make ``buf[i:i + need]`` available, unless the input ends first."""
        if self.chunks is None or len(self.buf) - self.i >= need:
            return
        # drop what is consumed (count its lines first), but not the start of the object being
        # read while it may still be decoded whole (a question is small: memory stays flat)
        cut = self.i
        if self.keep is not None and self.keep >= self.dropped:
            cut = min(cut, self.keep - self.dropped)
        if cut > READ_CHUNK:
            if self.counted > cut:     # lines were counted past the cut: count them back
                self.line -= self.buf.count("\n", cut, self.counted)
                self.counted = cut
            self.line_at(cut)
            self.buf, self.counted, self.i = self.buf[cut:], 0, self.i - cut
            self.dropped += cut
        parts = [self.buf]
        size = len(self.buf) - self.i
        for chunk in self.chunks:
            parts.append(chunk)
            size += len(chunk)
            if size >= need:
                break
        else:
            self.chunks = None
        self.buf = "".join(parts)

    def line_at(self, pos: int) -> int:
        """1-based line of ``buf[pos]``; positions are asked for in increasing order."""
        if pos > self.counted:
            self.line += self.buf.count("\n", self.counted, pos)
            self.counted = pos
        return self.line

    def peek(self) -> str:
        """The next character that is not a blank ('' at the end of the input)."""
        while True:
            self.i = _WS.match(self.buf, self.i).end()
            if self.i < len(self.buf) or self.chunks is None:
                return self.buf[self.i:self.i + 1]
            self.fill(READ_CHUNK)

    def expect(self, chars: str, where: str) -> None:
        c = self.peek()
        if not c or c not in chars:
            self.fail(f"expected {' or '.join(repr(x) for x in chars)} {where}")
        self.i += 1

    def fail(self, message: str, pos: Optional[int] = None):
        pos = self.i if pos is None else pos
        raise _JsonError(message, self.line_at(pos), excerpt(self.buf, pos))

    def whole(self) -> Any:
        """The value at ``i``, decoded by the ``json`` module."""
        if not self.peek():
            self.fail("the input ends where a value is expected")
        self.fill(READ_CHUNK)
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.i)
            except json.JSONDecodeError as error:
                if self.chunks is None:
                    self.fail(_json_message(error.msg), error.pos)
                self.fill(2 * (len(self.buf) - self.i) + READ_CHUNK)   # not all read yet
                continue
            if end == len(self.buf) and self.chunks is not None:
                self.fill(len(self.buf) - self.i + READ_CHUNK)   # "12" may be "1234" cut short
                continue
            if _SURROGATE_ESCAPE.search(self.buf, self.i, end):   # rare: then strings are
                self.surrogates += 1                              # checked (``_Context.mend``)
            self.i = end
            return value

    def whole_from(self, start: int, rest: int, name: str, member: Optional[str]) -> Any:
        """The object that starts at ``start`` (counted from the input's start, before ``i``)
        decoded again in one call, and ``i`` moved to its end; ``NOT_WHOLE`` (nothing moved)
        when it cannot be: that start is dropped already, the object is much longer than the
        window (a stream), it does not decode (the caller reads on item by item, which says
        what is wrong where it always did), or the walk's reading of it would depend on a
        member after ``rest``: one named ``name`` (quoted) may be there (written so anywhere
        after ``rest``, or with an escaped letter), or ``member`` is one of its members."""
        for attempt in (1, 2):
            pos = start - self.dropped
            if pos < 0:
                return NOT_WHOLE
            try:
                value, end = _DECODER.raw_decode(self.buf, pos)
            except (ValueError, RecursionError):    # (JSONDecodeError is a ValueError)
                if self.chunks is None or attempt == 2:
                    return NOT_WHOLE
                self.fill(len(self.buf) - self.i + READ_CHUNK)   # maybe not all read yet
                continue
            rest_pos = rest - self.dropped
            if member in value or self.buf.find(name, rest_pos, end) != -1:
                return NOT_WHOLE
            # (one pass for the escapes of note; ASCII text holds no odd character but by one)
            surrogate, odd = False, not self.buf.isascii()
            for m in _NOTABLE_ESCAPE.finditer(self.buf, pos, end):
                if m.group(1) is None:
                    surrogate, odd = surrogate or m.group(2) is not None, True
                elif m.start() >= rest_pos:
                    return NOT_WHOLE
            self.surrogates += surrogate
            self.plain = not odd
            self.i = end
            return value
        return NOT_WHOLE

    def plain_member(self, first: bool) -> Optional[Tuple[str, Optional[str]]]:
        """The next member of the object being walked, read by one regex when its name is a
        string without escapes: ``(name, value)`` when its value is one too (most of a
        question's first members), ``(name, None)`` with ``i`` at its value when that is
        anything else; the same strings the decoder gives. None (nothing moved) when its
        name is not that plain."""
        m = _PLAIN_MEMBER.match(self.buf, self.i)
        if m is None or (m.group(1) == ",") == first:
            return None
        self.i = m.end()
        return m.group(2), m.group(3)

    def member_name(self) -> str:
        if self.peek() != '"':
            self.fail("expected a member name")
        name = self.whole()
        self.expect(":", "after a member name")
        return name

    def next_item(self, close: str, first: bool) -> bool:
        """Step to the next item of the container being walked: False at its end."""
        c = self.peek()
        if c == close:
            self.i += 1
            return False
        if not c:
            self.fail(f"the input ends before {close!r}")
        if not first:
            self.expect(",", f"or {close!r} between items")
        return True


class _JsonError(Exception):
    def __init__(self, message, line, snippet):
        super().__init__(message)
        self.message, self.line, self.snippet = message, line, snippet


GIVEN = object()   # what a walked container returns when the questions in it were given out
NOT_WHOLE = object()   # what ``whole_from`` returns when it could not decode the value again


def _looks_like_question(obj: dict) -> bool:
    """What shows a question as soon as it is read (its members after it are decoded whole)."""
    return isinstance(obj.get("identifiant"), dict) or _uid_shows(obj)


def _uid_shows(obj: dict) -> bool:
    uid = obj.get("uid")
    return isinstance(uid, str) and uid.startswith("QANR") and "status" not in obj


# the other members of an open-data question: an object with one of them and no uid of its own
# is a question that lost its identity (a null uid and identifiant), read with missing-* defects
# rather than dropped
_QUESTION_MEMBERS = frozenset({"textesQuestion", "textesReponse", "auteur", "minInt",
                               "minAttribs", "indexationAN"})
_QUESTION_PLACES = frozenset({"question", "questions"})   # members whose value may be one


def _has_question_members(obj: dict) -> bool:
    uid = obj.get("uid")
    if isinstance(uid, str) and uid.strip():     # another dataset's object (AMANR…, PA…)
        return False
    type_ = obj.get("type")
    return not _QUESTION_MEMBERS.isdisjoint(obj) or (
        isinstance(type_, str) and (type_ in KINDS or type_ in _KIND_NAMES))


def _json_walk(w: _JsonWindow, place: bool = True):
    """Give out (question, line, surrogates, plain) for the questions in the JSON value at
    ``w.i``, and return that value when it holds none (``GIVEN`` when it did).

    Containers are walked into item by item, so a dump of any size holds one question in
    memory at a time. An object is a question once its members show a ``uid`` or an
    ``identifiant``: from there its other members are decoded whole by the ``json`` module
    (fast), and the object is given out at its end, with the line it starts on. An object
    with only the other members of a question is one where a question stands (``place``: the
    top, an item of a list, the value of ``question``), not inside another object's members.
    """
    c = w.peek()
    line = w.line_at(w.i)
    if c not in ("{", "["):
        return w.whole()
    start = w.dropped + w.i
    w.i += 1
    given = False
    if c == "[":
        items: List[Any] = []
        while w.next_item("]", not items and not given):
            value = yield from _json_walk(w)
            w.keep = None
            if value is GIVEN:
                given = True
            else:
                items.append(value)
        return GIVEN if given else items
    kept: Dict[str, Any] = {}
    surrogates = w.surrogates
    first, tried, plain = True, False, False
    w.keep = start
    while True:
        member = w.plain_member(first)
        if member is not None:
            name, value = member
        elif w.next_item("}", first):
            name, value = w.member_name(), None
        else:
            break
        if value is None:      # (not a plain string: read as the walk reads any value)
            if _looks_like_question(kept):
                value = w.whole()
            else:
                value = yield from _json_walk(w, name in _QUESTION_PLACES)
        first = False
        if value is GIVEN:
            given = True
            w.keep = None
            continue
        kept[name] = value
        if given or tried or not _looks_like_question(kept):
            continue
        # A question, all plain values so far: the whole object is decoded again in one call
        # (a dozen fewer), which gives the dict that reading on member by member gives (the
        # same members, the last of a repeated name winning) -- unless a later member could
        # make it stop looking like one (a "status", a second "uid" or "identifiant"): the
        # walk would then read the members after it otherwise.
        tried = True
        w.keep = start
        if _uid_shows(kept):     # it is its uid that shows it: a second one, or a "status"
            whole = w.whole_from(start, w.dropped + w.i, '"uid"', "status")
        else:                    # its identifiant: a second one
            whole = w.whole_from(start, w.dropped + w.i, '"identifiant"', None)
        if whole is not NOT_WHOLE:
            kept, plain = whole, w.plain
            break
    if _looks_like_question(kept) or looks_like_record(kept) or (
            place and not given and _has_question_members(kept)):
        yield kept, line, w.surrogates != surrogates, plain
        return GIVEN
    return GIVEN if given else kept


# (question, its line, whether it may hold surrogates, whether it is known to be plain text:
# no string of it holds a character ``markup.fragment_text`` must look for)
Found = Iterator[Tuple[dict, int, bool, bool]]


def _json_questions(window: _JsonWindow, path: Optional[str]) -> Found:
    """Every question of a JSON input: one value, or several one after another (JSON lines)."""
    try:
        while window.peek():
            yield from _json_walk(window)
    except _JsonError as error:
        raise ParseError(f"not valid JSON: {error.message}", code="bad-json", path=path,
                         line=error.line, excerpt=error.snippet) from None
    except RecursionError:   # the walk, and json's decoder, recurse a level a container
        raise too_deep("opendata-json", path, window.line_at(window.i)) from None


def _line_questions(lines: Iterable[Tuple[int, str]], path: Optional[str]
                    ) -> Iterator[Union[Tuple[dict, int, bool, bool], ParseError]]:
    """Every question of JSON lines (``api.json_lines_start``), each line walked on its own:
    a line that is not JSON, or holds no question, is given as its ``ParseError`` and the
    lines after it are read (one bad line cost all of them). A question printed with indents
    among them is read whole (``api.joined_values``)."""
    from .api import joined_values

    for number, line in joined_values(lines):
        if not line.strip():
            continue
        window = _JsonWindow(line)
        window.line = number
        try:
            # every value of the line: two glued on one line (files joined whose last line
            # had no newline) are both read
            left = GIVEN
            while window.peek():
                value = yield from _json_walk(window)
                if value is not GIVEN:
                    left = value
        except _JsonError as error:
            yield ParseError(f"not valid JSON: {error.message}", code="bad-json", path=path,
                             line=number, excerpt=error.snippet)
            continue
        except RecursionError:
            yield too_deep("opendata-json", path, number)
            continue
        if left is not GIVEN:    # other JSON: said, not dropped
            yield ParseError(f"no question in this line ({_NO_QUESTION})",
                             code="not-a-question", path=path, line=number)


_NO_QUESTION = "no object with a 'QANR…' uid, an 'identifiant' or the members of a question"


def too_deep(fmt: str, path: Optional[str], line: Optional[int]) -> ParseError:
    what = "JSON" if fmt == "opendata-json" else "XML"
    return ParseError(f"not valid {what}: nested too deeply (deeper than Python's recursion "
                      "limit)", code=f"bad-{what.lower()}", path=path, line=line)


# -- XML ---------------------------------------------------------------------------------------

_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
# a question element: open data ``question`` (in the AN namespace), legacy ``QUESTION``
_XML_QUESTION = {"opendata-xml": "question", "legacy-xml": "QUESTION"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def element_dict(element) -> Any:
    """An XML element as the AN's JSON files write it: children by (local) name, a repeated
    child a list, attributes as ``@name``, ``xsi:nil`` and empty elements None."""
    if element.get(_XSI + "nil") == "true":
        return None
    out: Dict[str, Any] = {}
    for name, value in element.attrib.items():
        if name.startswith(_XSI):
            if name == _XSI + "type":
                out["@xsi:type"] = value
            continue
        out["@" + _local(name)] = value
    for child in element:
        if not isinstance(child.tag, str):      # comments, processing instructions
            continue
        key = _local(child.tag)
        value = element_dict(child)             # never a list: lists only come from here
        if key not in out:
            out[key] = value
        elif isinstance(out[key], list):
            out[key].append(value)
        else:
            out[key] = [out[key], value]
    text = element.text.strip() if element.text else ""
    if not out:
        return text or None
    if text:
        out["#text"] = text      # text beside attributes or children: kept, not lost
    return out


def _xml_questions(chunks: Iterable, fmt: str, path: Optional[str]) -> Found:
    import lxml.etree

    name = _XML_QUESTION[fmt]
    # an entity the file declares itself is read as its text; one that names another file or
    # an address is never fetched (the document is refused as not well-formed)
    parser = lxml.etree.XMLPullParser(events=("end",), huge_tree=True, resolve_entities="internal",
                                      no_network=True, load_dtd=False)

    def events():
        for _, element in parser.read_events():
            if _local(element.tag) != name or not _xml_looks_like_question(element, fmt):
                continue
            try:
                obj = element_dict(element)
            except RecursionError:
                raise too_deep(fmt, path, element.sourceline) from None
            yield obj, element.sourceline or 1, False, False     # XML holds no surrogates
            # free what is read: the element and the siblings before it
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]

    try:
        for chunk in chunks:
            parser.feed(chunk)
            yield from events()
        parser.close()
        yield from events()
    except lxml.etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        why = error.msg
        if why.startswith("Entity '") and "not defined" in why:
            why += " (an entity that names a file or an address is never read)"
        raise ParseError(f"not well-formed XML: {why}", code="bad-xml", path=path,
                         line=line) from None


def _xml_looks_like_question(element, fmt: str) -> bool:
    if fmt == "legacy-xml":
        return True
    return any(isinstance(c.tag, str) and _local(c.tag) in _XML_QUESTION_MEMBERS for c in element)


_XML_QUESTION_MEMBERS = frozenset({"uid", "identifiant", "type"}) | _QUESTION_MEMBERS


def _text_chunks(text: str, size: int = READ_CHUNK) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start:start + size]


# =============================================================================================
# 2. normalising the quirks
# =============================================================================================

def _blank(value: Any) -> bool:
    """None, an empty string, or a block whose every child is blank (the legacy XML's empty
    ``<SIGNALEMENT><DATE_JO/>…</SIGNALEMENT>``)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list):
        return False
    for item in value:       # (a loop, leaves told here: this runs for every block read)
        if item is None:
            continue
        cls = item.__class__
        if cls is str:
            if item.strip():
                return False
        elif cls is dict and not item:     # (a block the mapping emptied)
            continue
        elif not _blank(item):
            return False
    return True


def _many(value: Any) -> List[Any]:
    """One-or-many: an object when there is one, a list when there are several → a list."""
    if isinstance(value, list):
        return [v for v in value if not _blank(v)]
    return [] if _blank(value) else [value]


def _take(obj: Any, path: str) -> Any:
    """The value at dotted ``path`` in ``obj``, removed from it (so what is never taken can be
    told apart at the end); ``a|b`` tries each path, all are taken; ``""`` is ``obj`` itself."""
    return _take_steps(obj, _steps(path))


def _steps(path: str) -> Tuple[Tuple[Tuple[str, ...], str], ...]:
    """``path`` read once: for each alternative, the keys to go through and the one to take
    (``""`` alone: the block itself)."""
    out = []
    for alternative in path.split("|"):
        *parents, last = alternative.split(".")
        out.append((tuple(parents), last))
    return tuple(out)


def _simple_step(steps) -> Tuple[Optional[str], Optional[str], Any]:
    """``(parent, last, steps)``: a path that is one ``key`` (parent None) or ``block.key``,
    read without ``_take_steps``; ``(None, None, steps)`` for any other."""
    if len(steps) == 1 and len(steps[0][0]) <= 1 and steps[0][1]:
        parents, last = steps[0]
        return (parents[0] if parents else None), last, steps
    return None, None, steps


def _take_steps(obj: Any, steps) -> Any:
    found = None
    for parents, last in steps:
        if not last and not parents:       # "": the block itself
            value = obj
        else:
            block = obj
            for key in parents:
                if not isinstance(block, dict):
                    block = None
                    break
                block = block.get(key)
            value = block.pop(last, None) if isinstance(block, dict) else None
        if found is None and value is not None and (len(steps) == 1 or not _blank(value)):
            found = value
    return found


def _leftovers(obj: Any, prefix: str) -> Iterator[Tuple[str, Any]]:
    """The non-blank leaves still in ``obj``, by dotted path."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _leftovers(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _leftovers(value, f"{prefix}[{i}]")
    elif not _blank(obj):
        yield prefix, obj


# After JSON decoding, a surrogate is always a lone one (a pair is one character): half of a
# character whose other half was cut off ("\ud83d" of an emoji). No UTF-8 writer takes it.
_SURROGATE = re.compile("[\ud800-\udfff]")
_BROKEN = "a broken character (a lone surrogate: half of one, an emoji cut in two) replaced " \
          "with U+FFFD"


class _Context:
    """What a mapping collects besides the fields: defects and values kept in ``extra``."""

    def __init__(self, line: Optional[int], surrogates: bool = True, plain: bool = False):
        self.line = line
        self.defects: List[Defect] = []
        self.extra: Dict[str, str] = {}
        self.surrogates = surrogates     # False: the input is known to hold none
        self.plain = plain               # True: known to be plain text (``Found``)

    def defect(self, code: str, message: str) -> None:
        self.defects.append(Defect(code, _SURROGATE.sub("\ufffd", message), self.line))

    def mend(self, value: str, where: str) -> str:
        """``value`` with its lone surrogates replaced by U+FFFD (a defect says where)."""
        if not self.surrogates or _SURROGATE.search(value) is None:
            return value
        self.defect("bad-value", f"{where}: {_BROKEN}")
        return _SURROGATE.sub("\ufffd", value)

    def keep(self, where: str, value: Any) -> None:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        self.extra[self.mend(where, where)] = self.mend(text, where)


Convert = Callable[[_Context, Any, str], Any]


class Field(NamedTuple):
    """One row of a mapping table: record field ``name`` ← the value at ``path`` (dotted,
    ``a|b`` for alternatives), typed by ``convert``."""

    name: str
    path: str
    convert: Convert


# -- converters: (context, raw value, where it was) -> typed value, or None and a defect ------

def _scalar(ctx: _Context, value: Any, where: str) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, str):
        if ctx.surrogates:
            value = ctx.mend(value, where)
        return clean_value(value) or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    ctx.defect("bad-value", f"{where}: expected a single value, found {type(value).__name__}")
    ctx.keep(where, value)
    return None


text = _scalar     # a value as it is (its blanks made single spaces)


def whole_number(most: int) -> Convert:
    """A number of at most ``most`` ASCII digits, the text path's bounds ("²" is a digit to
    ``str.isdigit``; 25 digits overflow SQLite and Parquet); else a ``bad-number`` defect, and
    the value kept in ``extra``."""
    digits = re.compile(r"[0-9]{1,%d}" % most)

    def convert(ctx, value, where):
        raw = _scalar(ctx, value, where)
        if raw is None:
            return None
        if digits.fullmatch(raw):
            return int(raw)
        ctx.defect("bad-number", f"{where}: {raw!r} is not a number of at most {most} digits")
        ctx.keep(where, raw)
        return None
    return convert


integer = whole_number(7)        # question numbers, orders, circonscriptions
legislature_number = whole_number(2)


def date(ctx, value, where):
    raw = _scalar(ctx, value, where)
    if raw is None:
        return None
    found, problem = parse_date(raw)
    if problem:
        ctx.defect("bad-date", f"{where}: {problem}")
        ctx.keep(where, raw)
    return found


def page(ctx, value, where):
    raw = _scalar(ctx, value, where)
    if raw is None:
        return None
    found, problem = parse_page(raw)
    if problem:
        ctx.defect("bad-page", f"{where}: {problem}")
        ctx.keep(where, raw)
    return found


def body(ctx, value, where):
    """A question or answer text: an HTML fragment (unbalanced in QG/QOSD answers)."""
    if isinstance(value, dict) and set(value) == {"#text"}:
        value = value["#text"]
    if value is not None and not isinstance(value, str):
        return _scalar(ctx, value, where)
    return fragment_text(value if value is None else ctx.mend(value, where), plain=ctx.plain)


def analyses(ctx, value, where):
    """Index terms; a final dot is punctuation, dropped as the text path drops it."""
    items = [text(ctx, v, f"{where}[{i}]") for i, v in enumerate(_many(value))]
    return tuple(i.rstrip(" .") for i in items if i and i.rstrip(" ."))


_KIND_NAMES = {"QuestionEcrite_Type": "QE", "QuestionGouvernement_Type": "QG",
               "QuestionOrale_Type": "QOSD"}


def kind(ctx, value, where):
    raw = _scalar(ctx, value, where)
    if raw is None:
        return None
    found = raw if raw in KINDS else _KIND_NAMES.get(raw)
    if found is None:
        ctx.defect("unknown-kind", f"{where}: question kind {raw!r} is not QE, QOSD or QG")
        ctx.keep(where, raw)
    return found


def civility_of(ctx, value, where):
    """A civility as the records write it ("M.", "Mme"), however the source writes it."""
    return civility(_scalar(ctx, value, where))


def ignore(ctx, value, where):
    """Read and dropped on purpose: namespace declarations, which carry no question data."""
    return None


def reference(prefix: str) -> Convert:
    """The legacy XML's numeric ids (``ID_ACTEUR`` 923) in the open-data form (``PA923``), so
    references from both sources compare; a value that is not a bare number is kept as is."""
    def convert(ctx, value, where):
        raw = _scalar(ctx, value, where)
        return f"{prefix}{raw}" if raw is not None and raw.isascii() and raw.isdigit() else raw
    return convert


def record(cls, table: Tuple[Field, ...]) -> Convert:
    """A sub-record from a block, by its own table; a blank block is None. ``cls`` None gives
    the dict of fields (for the assembling step)."""
    def convert(ctx, value, where):
        if _blank(value):
            return None
        if not isinstance(value, dict):
            ctx.defect("bad-value", f"{where}: expected a block, found {value!r:.60}")
            ctx.keep(where, value)
            return None
        fields = build(ctx, value, table, where)
        if cls is None:
            return fields
        for item in fields.values():
            if item is not None:
                return cls(**fields)
        return None
    return convert


def each(convert: Convert) -> Convert:
    """Every item of a one-or-many value, in order."""
    def each_item(ctx, value, where):
        if value is None:                  # none, or one (most): as ``_many`` reads them
            return ()
        if not isinstance(value, list):
            if _blank(value):
                return ()
            item = convert(ctx, value, where)
            return () if item is None else (item,)
        items = _many(value)
        out = [convert(ctx, v, f"{where}[{i}]" if len(items) > 1 else where)
               for i, v in enumerate(items)]
        return tuple(v for v in out if v is not None)
    return each_item


def build(ctx: _Context, obj: dict, table: Tuple[Field, ...], where: str) -> Dict[str, Any]:
    """The fields of ``table`` read (and taken) from the block ``obj`` found at ``where``.

    What is left of the block afterwards is unknown, and reported. A row whose path is ``""``
    reads a sub-record from the same block (the legacy author, from AUTEUR, GROUPE and
    CIRCONSCRIPTION): it runs after the other rows, and its own ``build`` reports what is left.
    The question level (``where`` empty) is reported by the caller, once everything is read.
    """
    rows, every_row_has_a_path = _plan(table)
    fields: Dict[str, Any] = {}
    is_dict = isinstance(obj, dict)
    plain = not ctx.surrogates
    for name, path, parent, last, steps, convert in rows:
        if last is None:
            value = _take_steps(obj, steps)
        else:       # "key" or "block.key", most paths: ``_take_steps`` written out
            block = obj if parent is None else obj.get(parent) if is_dict else None
            value = block.pop(last, None) if isinstance(block, dict) else None
        if convert is text and (value is None or plain and value.__class__ is str):
            # most rows, a value as it is or none: what ``_scalar`` gives them, written out
            fields[name] = None if value is None else clean_value(value) or None
            continue
        # where the value was, for defects: the first alternative's path
        at = f"{where}.{path}" if where and path else (where or path)
        fields[name] = convert(ctx, value, at)
    if where and every_row_has_a_path:
        _report_leftovers(ctx, obj, where)
    return fields


_PLANS: Dict[int, Tuple[tuple, tuple, bool]] = {}


def _plan(table: Tuple[Field, ...]):
    """A table's rows in the order they run (a ``""`` row last), each path read once: a table
    is read for every block of every question, its paths are split once."""
    plan = _PLANS.get(id(table))
    if plan is None or plan[0] is not table:
        rows = tuple((row.name, row.path.split("|")[0]) + _simple_step(_steps(row.path))
                     + (row.convert,) for row in sorted(table, key=lambda r: not r.path))
        plan = _PLANS[id(table)] = (table, rows, all(row.path for row in table))
    return plan[1], plan[2]


def _report_leftovers(ctx: _Context, obj: Any, where: str) -> None:
    if _blank(obj):         # (nothing left, most blocks: told without the generator)
        return
    for key, value in _leftovers(obj, where):
        ctx.defect("unknown-field", f"{key}: not a field aqparse knows; kept in extra")
        ctx.keep(key, value)


# =============================================================================================
# 3. the mapping tables
# =============================================================================================

def _jo(prefix: str = "infoJO.") -> Tuple[Field, ...]:
    """The ``infoJO`` block every dated event carries: the JO that published it."""
    return (
        Field("date", prefix + "dateJO", date),
        Field("page", prefix + "pageJO", page),
        Field("jo_number", prefix + "numJO", text),
        Field("jo_type", prefix + "typeJO", text),
        Field("url_legifrance", prefix + "urlLegifrance", text),
        Field("reference_nor", prefix + "referenceNOR|" + prefix + "referenceNor", text),
    )


MINISTRY = (
    Field("name", "abrege", text),
    Field("full_name", "developpe", text),
    Field("organe_ref", "organeRef", text),
)

AUTHOR = (
    Field("acteur_ref", "identite.acteurRef", text),
    Field("mandate_ref", "identite.mandatRef", text),
    Field("group_ref", "groupe.organeRef", text),
    Field("group_abbrev", "groupe.abrege", text),
    Field("group", "groupe.developpe", text),
)

ATTRIBUTION = (Field("ministry", "denomination", record(Ministry, MINISTRY)),) + _jo()

TEXT = (  # texteQuestion / texteReponse: the text as published, and its erratum if any
    Field("text", "texte", body),
    Field("erratum", "erratum", body),
) + _jo()

SIGNALEMENT = (Field("deposit_date", "dateDepotSignal", date),) + _jo()

CLOSURE = (
    Field("code", "codeCloture", text),
    Field("label", "libelleCloture", text),
    Field("date", "dateCloture", date),
    Field("page", "infoJO.pageJO", page),
    Field("jo_date", "infoJO.dateJO", date),
    Field("jo_number", "infoJO.numJO", text),
    Field("jo_type", "infoJO.typeJO", text),
    Field("url_legifrance", "infoJO.urlLegifrance", text),
    Field("reference_nor", "infoJO.referenceNOR|infoJO.referenceNor", text),
)

OPENDATA = (
    Field("_ns", "@xmlns|@xmlns:xsi", ignore),
    Field("uid", "uid", text),
    Field("kind", "type|@xsi:type", kind),
    Field("legislature", "identifiant.legislature", legislature_number),
    Field("number", "identifiant.numero", integer),
    Field("regime", "identifiant.regime", text),
    Field("rubrique", "indexationAN.rubrique", text),
    Field("tete_analyse", "indexationAN.teteAnalyse", text),
    # recent dumps: analyses.analyse; older ones: ANALYSE.ANA
    Field("analyses", "indexationAN.analyses.analyse|indexationAN.ANALYSE.ANA", analyses),
    Field("author", "auteur", record(None, AUTHOR)),    # the record is made once named
    Field("ministry_asked", "minInt", record(Ministry, MINISTRY)),
    Field("attributions", "minAttribs.minAttrib", each(record(Attribution, ATTRIBUTION))),
    Field("question_texts", "textesQuestion.texteQuestion", each(record(None, TEXT))),
    Field("answer_texts", "textesReponse.texteReponse", each(record(None, TEXT))),
    Field("signalements", "signalement", each(record(Signalement, SIGNALEMENT))),
    Field("renewals", "renouvellements.renouvellement", each(record(Renewal, _jo()))),
    Field("closure", "cloture", record(Closure, CLOSURE)),
)

# -- the legacy per-question XML (…/q14/14-47351QE.htm/vue/xml) ------------------------------

def _legacy_jo(date_tag: str = "DATE_JO", page_tag: str = "PAGE_JO") -> Tuple[Field, ...]:
    return (
        Field("date", date_tag, date),
        Field("page", page_tag, page),
        Field("jo_type", "TYPE_JO", text),
        Field("jo_number", "NUMERO_JO", text),
    )


LEGACY_MINISTRY = (
    Field("name", "ABREGE", text),
    Field("full_name", "DEVELOPPE", text),
    Field("organe_ref", "ID_MINI|ID_MINA", reference("PO")),
)

LEGACY_AUTHOR = (  # read from three blocks of the question: AUTEUR, GROUPE, CIRCONSCRIPTION
    Field("mandate_ref", "AUTEUR.@ID_MANDAT", reference("PM")),
    Field("acteur_ref", "AUTEUR.ID_ACTEUR", reference("PA")),
    Field("civility", "AUTEUR.CIVILITE", civility_of),
    Field("last_name", "AUTEUR.NOM", text),
    Field("first_name", "AUTEUR.PRENOM", text),
    Field("group_abbrev", "GROUPE.@SIGLE", text),
    Field("group", "GROUPE.LIBELLE", text),
    Field("group_ref", "GROUPE.ID_GROUPE", reference("PO")),
    Field("circonscription", "CIRCONSCRIPTION.@NUMERO_CIRCONSCRIPTION", integer),
    Field("department_code", "CIRCONSCRIPTION.CODE_DEPARTEMENT", text),
    Field("constituency", "CIRCONSCRIPTION.DEPARTEMENT", text),
    Field("region_code", "CIRCONSCRIPTION.CODE_REGION", text),
    Field("region", "CIRCONSCRIPTION.REGION", text),
)

LEGACY_ORDERED = (Field("order", "@NUMERO", integer),)

LEGACY_ATTRIBUTION = LEGACY_ORDERED + (
    Field("ministry", "", record(Ministry, LEGACY_MINISTRY)),
) + _legacy_jo()

LEGACY_RENEWAL = LEGACY_ORDERED + _legacy_jo("DATE_RENOUVELLEMENT")

LEGACY_SIGNALEMENT = (Field("deposit_date", "DATE_DEPOT_SIGNAL", date),) + _legacy_jo()

LEGACY_CLOSURE = (
    Field("code", "ABREGE", text),
    Field("label", "LIBELLE", text),
    Field("date", "DATE_JO", date),      # (also its ``jo_date``: ``map_legacy``)
    Field("page", "PAGE_JO", page),
    Field("jo_number", "NUMERO_JO", text),
    Field("jo_type", "TYPE_JO", text),
)

# DEPOT comes twice: the stamp (number, JO), then the text; they are merged before mapping
LEGACY_QUESTION = (
    Field("number", "@NUMERO", integer),
    Field("text", "TEXTE_DEPOT", body),
) + _legacy_jo()

LEGACY_ANSWER = (
    Field("text", "TEXTE_REPONSE", body),
    Field("date", "DATE_JO_REPONSE", date),
    Field("page", "PAGE_JO_REPONSE", page),
)

LEGACY = (
    Field("kind", "@TYPE", kind),
    Field("legislature", "LEGISLATURE", legislature_number),
    Field("regime", "REGIME", text),
    Field("depot", "DEPOT", record(None, LEGACY_QUESTION)),
    Field("author", "", record(Author, LEGACY_AUTHOR)),
    Field("rubrique", "INDEXATION_AN.@RUBRIQUE|INDEXATION_AN.RUBRIQUE", text),
    Field("tete_analyse", "INDEXATION_AN.TETE_ANALYSE", text),
    Field("analyses", "INDEXATION_AN.ANALYSE.ANA", analyses),
    Field("ministry_asked", "MINI", record(Ministry, LEGACY_MINISTRY)),
    Field("attributions", "MINA.ORDRE", each(record(None, LEGACY_ATTRIBUTION))),
    Field("errata_question", "ERRATUM_QUESTION", each(record(None, _legacy_jo()))),
    Field("signalements", "SIGNALEMENT", each(record(Signalement, LEGACY_SIGNALEMENT))),
    Field("renewals", "RENOUVELLEMENT.ORDRE", each(record(None, LEGACY_RENEWAL))),
    Field("closure", "CLOTURE", record(Closure, LEGACY_CLOSURE)),
    Field("answer", "REPONSE", record(None, LEGACY_ANSWER)),
    Field("errata_answer", "ERRATUM_REPONSE", each(record(None, _legacy_jo()))),
)


# -- assembling the record ---------------------------------------------------------------------

def _publication_and_errata(items: Tuple[dict, ...], target: str):
    """The first text is the publication; later ones, and an ``erratum`` given with a text,
    are errata (dated by the JO that published them)."""
    publication, errata = None, []
    for i, item in enumerate(items):
        erratum_text = item.pop("erratum", None)
        if i == 0:
            publication = Publication(**item)
        else:
            errata.append(_erratum(target, item, item.get("text")))
        if erratum_text:
            errata.append(_erratum(target, item, erratum_text))
    return publication, errata


def _erratum(target: str, jo: dict, body_text: Optional[str]) -> Erratum:
    return Erratum(target=target, date=jo.get("date"), page=jo.get("page"), text=body_text,
                   jo_number=jo.get("jo_number"), jo_type=jo.get("jo_type"),
                   url_legifrance=jo.get("url_legifrance"), reference_nor=jo.get("reference_nor"))


def _ordered(items: Tuple[dict, ...], cls):
    """Legacy ``ORDRE NUMERO="n"`` items, in their order."""
    ranked = sorted(enumerate(items), key=lambda p: (p[1].get("order") is None,
                                                     p[1].get("order") or 0, p[0]))
    return tuple(cls(**{k: v for k, v in item.items() if k != "order"}) for _, item in ranked)


def _withdrawal(closure: Optional[Closure]) -> Optional[Withdrawal]:
    """A closure other than a published answer is a withdrawal; its label is the reason."""
    if closure is None or closure.code is None or closure.code == ANSWERED:
        return None
    return Withdrawal(date=closure.date or closure.jo_date, reason=closure.label,
                      code=closure.code)


def _status(answer, withdrawal, closure) -> str:
    # a closure "Réponse publiée" is an answer even where the file lacks its text (QG15 3307)
    if withdrawal is None and answer is None and closure is not None and closure.code == ANSWERED:
        return "answered"
    return status_of(answer, withdrawal)


def _finish(ctx: _Context, f: Dict[str, Any], fmt: str, path, line) -> Question:
    legislature, kind_, number = f.get("legislature"), f.get("kind"), f.get("number")
    made = make_uid(legislature, kind_, number)
    uid = f.get("uid") or made
    if f.get("uid") and made and f["uid"] != made:
        ctx.defect("uid-mismatch", f"uid {f['uid']!r} does not match legislature {legislature}, "
                                   f"kind {kind_} and number {number} ({made})")
    for field, label in (("number", "number"), ("kind", "question kind"),
                         ("legislature", "legislature")):
        if f.get(field) is None:
            ctx.defect(f"missing-{field}", f"no {label} found")
    attributions = f.get("attributions") or ()
    # the ministry assigned is the last attribution's (None when the file has none)
    assigned = attributions[-1].ministry if attributions else None
    closure = f.get("closure")
    withdrawal = _withdrawal(closure)
    answer = f.get("answer")
    title, analyses = title_and_analyses(legislature, None, f.get("tete_analyse"),
                                         f.get("analyses") or ())
    first = attributions[0] if attributions else None
    question = sitting_question(
        kind_, f.get("question"), answer, first.date if first else None,
        first.jo_type if first else None,
        closure.date if closure is not None and closure.code == ANSWERED else None)
    return Question(
        uid=uid, legislature=legislature, kind=kind_, number=number, author=f.get("author"),
        ministry_asked=f.get("ministry_asked"), ministry_assigned=assigned,
        attributions=attributions, rubrique=f.get("rubrique"),
        tete_analyse=f.get("tete_analyse"), analyses=analyses, title=title, question=question,
        answer=answer,
        signalements=f.get("signalements") or (), renewals=f.get("renewals") or (),
        errata=f.get("errata") or (), withdrawal=withdrawal,
        status=_status(answer, withdrawal, closure), closure=closure, extra=ctx.extra,
        defects=ctx.defects, source=Source(format=fmt, path=path, line=line),
        regime=f.get("regime"),
    )


def map_opendata(obj: dict, *, fmt: str = "opendata-json", path: Optional[str] = None,
                 line: Optional[int] = None, surrogates: bool = True,
                 plain: bool = False) -> Question:
    """One open-data question object (as decoded from JSON, or ``element_dict`` of an XML
    ``question`` element) to a record. ``obj`` is consumed. ``surrogates`` False says that
    its strings hold no lone surrogate (which are otherwise looked for); ``plain`` True, that
    they hold no character ``markup.fragment_text`` must look for (``Found``)."""
    ctx = _Context(line, surrogates, plain)
    f = build(ctx, obj, OPENDATA, "")
    _report_leftovers(ctx, obj, "")
    f["question"], errata = _publication_and_errata(f.pop("question_texts"), "question")
    f["answer"], answer_errata = _publication_and_errata(f.pop("answer_texts"), "answer")
    f["errata"] = tuple(errata + answer_errata)
    f["author"] = _named(ctx, f.get("kind"), f.get("author"), f["question"], f["answer"])
    f["attributions"] = _asked_first(f.get("ministry_asked"), f.get("attributions") or ())
    return _finish(ctx, f, fmt, path, line)


def _asked_first(asked: Optional[Ministry], attributions: tuple) -> tuple:
    """The attributions, the ministry asked first: every source (and nearly every open-data
    file) begins the history with it. Two files of the 15th legislature's QG list only the
    ministry that answered ("Cohésion des territoires", asked to its secretary of state): the
    ministry asked is put first, undated as the file gives no date, so that the record agrees
    with a page or a text of the question, which conflicted with it."""
    if asked is None or not attributions or attributions[0].ministry is None:
        return attributions
    first = attributions[0].ministry
    # (the same ministry: by its organe where both give one, else by its name)
    if (first.organe_ref == asked.organe_ref if first.organe_ref and asked.organe_ref
            else first.name == asked.name):
        return attributions
    return (Attribution(ministry=asked),) + tuple(attributions)


def _named(ctx: _Context, kind: Optional[str], fields: Optional[Dict[str, Any]],
           question: Optional[Publication], answer: Optional[Publication]) -> Optional[Author]:
    """The author, from the ``fields`` the open data gives (None when it gives none): it
    names no author (only ``acteurRef``), so civility and name are as the question's opening
    words or its debate give them (``names.author_of``), marked ``name_from``; when a text is
    there but does not name its author, the name stays unknown, with a defect (never a
    guess). (The record is made once, here, not made and then remade with the name.)"""
    if fields is not None and all(v is None for v in fields.values()):
        fields = None                       # a block of nothing: no author given
    if fields is not None and fields.get("name") is not None:
        return Author(**fields)
    texts = (question.text if question is not None else None,
             answer.text if answer is not None else None)
    found = author_of(kind, *texts)
    if found is None:
        if any(texts):
            ctx.defect("unnamed-author", "neither the question's opening words nor its debate "
                                         "name its author (the open data gives only acteurRef)")
        return None if fields is None else Author(**fields)
    civility, name, where = found
    return Author(**{**(fields or {}), "civility": civility, "name": name, "name_from": where})


def map_legacy(obj: dict, *, path: Optional[str] = None, line: Optional[int] = None) -> Question:
    """One legacy ``QUESTION`` element (as ``element_dict``) to a record. ``obj`` is consumed."""
    ctx = _Context(line)
    depots = obj.get("DEPOT")
    if isinstance(depots, list):    # the stamp, then the text: one block
        merged: Dict[str, Any] = {}
        for block in depots:
            if isinstance(block, dict):
                merged.update({k: v for k, v in block.items() if not _blank(v) or k not in merged})
            elif not _blank(block):
                ctx.defect("bad-value", f"DEPOT: unexpected value {block!r:.60}")
                ctx.keep("DEPOT", block)
        obj["DEPOT"] = merged
    f = build(ctx, obj, LEGACY, "")
    _report_leftovers(ctx, obj, "")
    depot = f.pop("depot") or {}
    f["number"] = depot.pop("number", None)
    f["question"] = Publication(**depot) if not _blank(list(depot.values())) else None
    answer = f.get("answer")
    f["answer"] = Publication(**answer) if answer else None
    f["attributions"] = _ordered(f["attributions"], Attribution)
    f["renewals"] = _ordered(f["renewals"], Renewal)
    f["errata"] = tuple(_erratum("question", e, None) for e in f.pop("errata_question")) + tuple(
        _erratum("answer", e, None) for e in f.pop("errata_answer"))
    closure = f.get("closure")
    if closure is not None and closure.jo_date is None:
        # DATE_JO is the JO's date, which the open data gives as ``infoJO.dateJO``; the
        # closure's own date, which the old XML does not give apart, is taken to be it
        f["closure"] = attrs.evolve(closure, jo_date=closure.date)
    author = f.get("author")
    if author is not None and (author.first_name or author.last_name):
        # the text layout's "Prénom Nom"
        name = " ".join(p for p in (author.first_name, author.last_name) if p)
        f["author"] = attrs.evolve(author, name=name)
    return _finish(ctx, f, "legacy-xml", path, line)


def read_record(obj: dict, *, path: Optional[str] = None, line: Optional[int] = None,
                surrogates: bool = True) -> Question:
    """A record written by aqparse (its JSON form), read back as it is; one that does not fit
    the record (a status, a date, a list that is not one) is a ``bad-record`` ParseError."""
    broken: List[str] = []
    if surrogates:
        obj = _mended(obj, "", broken)
    try:
        record = Question.from_dict(obj)
    except Exception as error:      # cattrs' ClassValidationError, or what a converter raised
        raise ParseError(f"not a valid aqparse record: {_why(error)}", code="bad-record",
                         path=path, line=line) from None
    defects = [Defect("bad-value", f"{where}: {_BROKEN}", line) for where in broken]
    extra = _not_read_back(obj, record, path, line)
    defects += [Defect("unknown-field", f"{where}: not a field of the record; kept in extra",
                       line) for where in extra]
    if defects:
        record = record.evolve(extra={**record.extra, **extra},
                               defects=record.defects + tuple(defects))
    return record


_PARENT = re.compile(r"[.[][^.[]*\Z")    # the last step of a dotted path


def _not_read_back(obj: dict, record: Question, path: Optional[str],
                   line: Optional[int]) -> Dict[str, str]:
    """What of ``obj`` the record does not hold as given: a name the record does not have
    (returned, for ``extra``), or a value it would read otherwise (``"analyses": "eau"`` as
    three letters; ``bad-record``)."""
    data = record.to_dict()
    # as written by aqparse (compared at C speed; a record holds no boolean, which would
    # compare equal to the number it was read as: looked for apart)
    if data == obj and not _holds_boolean(obj):
        return {}
    back = dict(_leftovers(data, ""))
    unknown: Dict[str, str] = {}
    for where, value in _leftovers(obj, ""):
        if where in back and _same(back[where], value):
            continue
        ancestor, above = where, []
        while _PARENT.search(ancestor):
            ancestor = _PARENT.sub("", ancestor)
            above.append(ancestor)
        inside = [v for k, v in back.items() if k.startswith((where + ".", where + "["))]
        if where in back or any(a in back for a in above) or inside:
            seen = back[where] if where in back else next(
                (back[a] for a in above if a in back), inside)
            raise ParseError(f"not a valid aqparse record: {where}: {value!r} would be read as "
                             f"{seen!r}", code="bad-record", path=path, line=line)
        unknown[where] = value if isinstance(value, str) else json.dumps(value)
    return unknown


def _holds_boolean(value: Any) -> bool:
    """Whether a JSON value holds ``true`` or ``false`` anywhere (a walk without recursion:
    about 5 µs a record, a thirtieth of reading it)."""
    stack = [value]
    while stack:
        item = stack.pop()
        cls = item.__class__
        if cls is dict:
            stack.extend(item.values())
        elif cls is list:
            stack.extend(item)
        elif cls is bool:
            return True
    return False


def _same(read: Any, given: Any) -> bool:
    """Whether a record read ``given`` as ``read`` without losing it: a number written as a
    string ("12") is the number; but a number is no string (``"uid": 5`` read as "5", which
    names no question), and a boolean no number (``"number": true`` read as 1, equal to it
    for Python: a question's number that its uid does not give)."""
    if isinstance(read, str) and not isinstance(given, str):
        return False
    if isinstance(given, bool) and not isinstance(read, bool):
        return False
    return read == given or str(read) == str(given).strip()


def _mended(value: Any, where: str, broken: List[str]) -> Any:
    """``value`` with the lone surrogates of its strings and names replaced by U+FFFD; the
    paths where there were some are added to ``broken``."""
    if isinstance(value, str):
        if _SURROGATE.search(value) is None:
            return value
        broken.append(_SURROGATE.sub("\ufffd", where))
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_mended(v, f"{where}[{i}]", broken) for i, v in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            at = f"{where}.{key}" if where else key
            out[_mended(key, at, broken)] = _mended(item, at, broken)
        return out
    return value


def _why(error: Exception) -> str:
    """What cattrs and attrs found wrong, and where (``question.date``)."""
    import cattrs

    def said(exc: BaseException, _type=None) -> str:   # attrs' validators: (message, attribute…)
        first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        return f"{type(exc).__name__}: {first}"

    if not isinstance(error, cattrs.BaseValidationError):
        return said(error)
    found = cattrs.transform_error(error, format_exception=said)
    return "; ".join(f.replace(" @ $.", " at ").replace(" @ $", "") for f in found)


# =============================================================================================
# 4. entry points (registered in ``api.FORMAT_PARSERS``)
# =============================================================================================

def _records(found: Iterable, fmt: str, path: Optional[str], strict: bool,
             text: str = "", lines: bool = False) -> Iterator[Union[Question, ParseError]]:
    """The records of what was found. ``lines``: JSON lines, where a bad line (found as its
    ``ParseError``, or whose question cannot be read) is given in its place and the lines
    after it are read; otherwise the first error is raised."""
    count = bad = 0
    for item in found:
        if isinstance(item, ParseError):
            bad += 1
            yield item
            continue
        obj, line, surrogates, plain = item
        count += 1
        is_record = looks_like_record(obj)  # a record written by ``aqparse parse``: read back as is
        try:
            record_ = _record(obj, is_record, fmt, path, line, surrogates, plain)
            # (a record's defects are the source's, not this file's)
            if strict and not is_record and record_.defects:
                raise_for(record_, text)
        except ParseError as exc:
            error = exc
        except RecursionError:       # a member nested deeper than the mapping's recursion
            error = too_deep(fmt, path, line)
        except Exception as exc:     # a bug: said as a ParseError naming the input and place
            error = InternalError(f"internal error: {type(exc).__name__}: {exc}",
                                  code="internal-error", path=path, line=line)
            error.__cause__ = exc
        else:
            yield record_
            continue
        if not lines:
            raise error
        bad += 1
        yield error
    if not count and not bad:
        what = {"opendata-json": "JSON", "opendata-xml": "XML", "legacy-xml": "XML"}[fmt]
        raise ParseError(f"no question found in this {what} ({_NO_QUESTION})",
                         code="not-a-question", path=path, line=1)


def _record(obj: dict, is_record: bool, fmt: str, path: Optional[str], line: Optional[int],
            surrogates: bool, plain: bool) -> Question:
    if is_record:
        return read_record(obj, path=path, line=line, surrogates=surrogates)
    if fmt == "legacy-xml":
        return map_legacy(obj, path=path, line=line)
    return map_opendata(obj, fmt=fmt, path=path, line=line, surrogates=surrogates, plain=plain)


def parse_many_json(text: str, *, path: Optional[str] = None,
                    strict: bool = False) -> Iterator[Question]:
    """Every question of an open-data JSON file: one question, a dump, a list, JSON lines."""
    return raising(json_items(text, path=path, strict=strict))


def json_items(text: str, *, path: Optional[str] = None,
               strict: bool = False) -> Iterator[Union[Question, ParseError]]:
    """``parse_many_json``'s questions; JSON lines are read line by line, a bad line given as
    its ``ParseError`` in its place (``api.parse_items``)."""
    from .api import json_lines_start

    if json_lines_start(text) is not None:
        return _records(_line_questions(enumerate(text.split("\n"), 1), path), "opendata-json",
                        path, strict, lines=True)
    return _records(_json_questions(_JsonWindow(text), path), "opendata-json", path, strict,
                    text)


def parse_many_xml(text: str, *, path: Optional[str] = None,
                   strict: bool = False) -> Iterator[Question]:
    """Every question of an open-data XML file (one ``question``, or a dump of them)."""
    return _records(_xml_questions(_text_chunks(text), "opendata-xml", path), "opendata-xml",
                    path, strict, text)


def parse_many_legacy_xml(text: str, *, path: Optional[str] = None,
                          strict: bool = False) -> Iterator[Question]:
    """The old per-question XML of the AN site (uppercase ``QUESTION``)."""
    return _records(_xml_questions(_text_chunks(text), "legacy-xml", path), "legacy-xml",
                    path, strict, text)


def parse_stream(stream, fmt: str, *, head: bytes = b"", path: Optional[str] = None,
                 strict: bool = False) -> Iterator[Union[Question, ParseError]]:
    """A large file read from a binary stream in chunks (``inputs.parse_document`` uses it):
    memory holds the question being read and a window of a few ``READ_CHUNK``. JSON lines
    are read line by line, a bad line given as its ``ParseError`` (``json_items``)."""
    from .api import chunk_lines, json_lines_start

    # the file's first blocks: the head, read on past it for JSON lines whose first line is
    # longer (``_lines_head``); given to the readers one block at a time
    parts = _lines_head(stream, head) if fmt == "opendata-json" else [head]

    def raw_chunks():
        while parts:
            block = parts.pop(0)
            if block:
                yield block
        while True:
            block = stream.read(READ_CHUNK)
            if not block:
                return
            yield block

    if fmt == "opendata-json" and json_lines_start(_decoded_head(b"".join(parts)),
                                                   whole=False):
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):     # UTF-16: decoded as a whole
            texts = chunk_lines(_decoded(raw_chunks(), head))
        else:                 # each line on its own, as ``decode`` reads the file read whole
            texts = map(line_text, chunk_lines(raw_chunks()))
        lines = enumerate(texts, 1)
        return _records(_line_questions(lines, path), fmt, path, strict, lines=True)
    if fmt == "opendata-json":
        found = _json_questions(_JsonWindow("", _decoded(raw_chunks(), head)), path)
    else:               # lxml reads the bytes itself, with the encoding the file declares
        found = _xml_questions(raw_chunks(), fmt, path)
    return _records(found, fmt, path, strict)


LINES_HEAD = 4 << 20     # the most of a JSON input read to tell whether it is JSON lines
# the start of a line that is one question (the AN's NDJSON, aqparse's records)
_QUESTION_LINE = re.compile(rb'[ \t\r]*(?:\xef\xbb\xbf)?\{\s*"(?:question|uid|identifiant|@xmlns)"')


def _lines_head(stream, head: bytes, most: int = LINES_HEAD) -> List[bytes]:
    """The blocks of ``head`` read on (from ``stream``) until they hold the lines
    ``api.json_lines_start`` looks at, or ``most`` bytes: JSON lines whose first line (or a
    broken line and the one after it) is longer than the head were read as one JSON text, a
    bad line losing every line after it."""
    from .api import JSON_LINES_BROKEN

    if not _QUESTION_LINE.match(head, head.rfind(b"\n") + 1):
        return [head]       # the line the head cuts is no question's: a dump on one line…
    parts, size, newlines = [head], len(head), head.count(b"\n")
    while newlines < JSON_LINES_BROKEN + 2 and size < most:
        block = stream.read(READ_CHUNK)
        if not block:
            break
        parts.append(block)
        size += len(block)
        newlines += block.count(b"\n")
    return parts


def _decoded_head(head: bytes) -> str:
    """The text of a file's head, as ``_decoded`` reads it (its last character may be cut)."""
    return incremental_decoder(head).decode(head)


def _decoded(chunks: Iterator[bytes], head: bytes) -> Iterator[str]:
    """UTF-8 (the JSON standard), else windows-1252, decoded incrementally."""
    decoder = incremental_decoder(head)
    for chunk in chunks:
        out = decoder.decode(chunk)
        if out:
            yield out
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail
