"""decode: bytes to text, and the text normalisations every stage shares.

UTF-8 first (a valid UTF-8 byte string is almost never anything else); then windows-1252, or
ISO-8859-1 for bytes windows-1252 leaves undefined (the old AN pages use them without
declaring it; a charset a page declares is not looked at). Double-encoded UTF-8 (``Ã©``) is
repaired.
"""

import codecs
import re
import sys
from typing import Optional, Sequence, Tuple, Union

from .errors import ParseError

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# a run of characters that UTF-8 bytes become when read as windows-1252 or ISO-8859-1:
# a lead byte (Â..ô) then one to three continuation bytes (0x80-0xBF in either reading)
_CONT = "\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")
_MOJIBAKE_HINT = re.compile(f"[\u00c2\u00c3\u00c5\u00e2][{_CONT}]")


def decode(data: Union[bytes, str], *, path: Optional[str] = None, is_html: bool = False) -> str:
    """Text of ``data``: BOM stripped, mojibake repaired. Raises ParseError for binary data.
    (``is_html`` changes nothing: markup is decoded as any text is.)"""
    if isinstance(data, str):
        if type(data) is not str:      # a subclass: a plain str from here on (the stages
            data = str.__str__(data)   # call str methods, which a subclass may change)
        # (a text stored a byte a character holds no surrogate: it is not read for one)
        text = data if data.isascii() or _one_byte(data) else _without_lone_surrogates(data)
    else:
        text = _decode_bytes(bytes(data), path)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text[:8192]:
        raise ParseError("binary data, not text", code="binary", path=path, line=1)
    return repair_mojibake(text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(text: str) -> str:
    """A str built in Python may hold half a surrogate pair, which is not text (no UTF-8 file
    can hold it): U+FFFD stands in for it, as the decoders do for bad bytes."""
    # the UTF-8 encoder finds one three times faster than a regex search; by slices, so
    # that a large text is not copied whole
    step = 1 << 20
    for start in range(0, len(text), step):
        try:
            text[start:start + step].encode("utf-8")
        except UnicodeEncodeError:
            return _SURROGATE.sub("\ufffd", text)
    return text


def _decode_bytes(data: bytes, path: Optional[str]) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise ParseError("binary data, not text", code="binary", path=path, line=1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # (what ``bs4.dammit.UnicodeDammit(data, ["windows-1252", "iso-8859-1"])`` gave, which
    # tries the encodings it is given before any the page declares, at a fraction of its
    # cost: it was most of the decoding of an old page)
    try:
        return data.decode("windows-1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _byte_of(char: str) -> int:
    code = ord(char)
    return code if code < 256 else char.encode("cp1252")[0]


# What a run is mended into: the characters text double-encoded holds — Latin letters and
# their accents (and the Romanian ș, ț), Greek small letters (μ), combining accents,
# punctuation, sub- and superscripts, symbols, arrows and maths, ligatures, a byte order mark,
# emoji. A run that decodes to anything else is correct text as written: "é", a no-break space
# and "»" (the bytes E9 A0 BB) are "proximité\xa0»", not a CJK character; "SANTÉ…" is no
# "SANTɅ", nor "L'ÎLE\xa0" a Greek capital, nor "à…" a Samaritan letter.
_MENDED = re.compile("[\u00a0-\u017f\u0218-\u021b\u02bc\u02c6\u02dc\u0300-\u036f"
                     "\u03b1-\u03c9\u1e00-\u1eff\u2000-\u2bff\ufb00-\ufb4f\ufe00-\ufe0f"
                     "\ufeff\uff00-\uffef\ufffd\U0001f000-\U0001faff]")
# how many bytes a UTF-8 sequence holds, by its lead byte
_SEQUENCE = {**dict.fromkeys(range(0xC2, 0xE0), 2), **dict.fromkeys(range(0xE0, 0xF0), 3),
             **dict.fromkeys(range(0xF0, 0xF5), 4)}


def _unmangle(match: "re.Match[str]") -> str:
    chunk = match.group(0)
    size = _SEQUENCE[ord(chunk[0])]
    if len(chunk) < size:
        return chunk
    try:
        char = bytes(_byte_of(c) for c in chunk[:size]).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return chunk
    # (what follows the sequence, continuation bytes of no sequence, stays as it is)
    return char + chunk[size:] if _MENDED.match(char) else chunk


_HINT_LEADS = "\u00c2\u00c3\u00c5\u00e2"
_CONT_CHARS = frozenset(map(chr, range(0x80, 0xC0))) | frozenset(_CONT.replace("\x80-\xbf", ""))


def _has_mojibake_hint(text: str) -> bool:
    """``_MOJIBAKE_HINT.search(text) is not None``, some 40 times faster on a whole page:
    the lead characters are rare, and ``str.find`` skips to them."""
    for lead in _HINT_LEADS:
        i = text.find(lead)
        while i >= 0:
            if text[i + 1:i + 2] in _CONT_CHARS:
                return True
            i = text.find(lead, i + 1)
    return False


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was decoded as windows-1252/latin-1 (``Ã©`` → ``é``).

    Only runs that decode as valid UTF-8 are replaced, so correct text is left alone.
    """
    if not _has_mojibake_hint(text):
        return text
    return _MOJIBAKE.sub(_unmangle, text)


# Every character ``str.splitlines()`` breaks a line at is a line break for aqparse too (a
# text saved by some tools ends its lines in U+2028, U+0085, a form feed…), everywhere: in
# matching, in bodies, in the line numbers of defects. CR and CRLF are handled apart.
OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_BREAK = re.compile(f"[{OTHER_BREAKS}]")


# Whether a text holds one of a few characters: a regex of their class tries the text one
# character at a time, where ``str.find`` skips to one character at the speed of ``memchr``
# (and at once when the text cannot hold it: "\u2028" in a text of Latin-1 characters); a
# find per character is the cheaper beyond this length, the regex below it (a call each).
_FIND_FROM = 256
# ... a window at a time, which stays in the processor's cache for the finds of all the
# characters (a find per character over a whole large text reads it from memory each time)
_FIND_WINDOW = 1 << 16


def _holds_any(text: str, chars: Sequence[str], start: int, end: int) -> bool:
    find = text.find
    for at in range(start, end, _FIND_WINDOW):
        stop = min(at + _FIND_WINDOW, end)
        for char in chars:
            if find(char, at, stop) >= 0:
                return True
    return False


def has_other_breaks(text: str, start: int = 0, end: Optional[int] = None) -> bool:
    """Whether ``text[start:end]`` holds a line break other than CR and LF."""
    # (bounds as a slice reads them: the finds would read a negative one from the end, the
    # regex as 0)
    start, end, _ = slice(start, end).indices(len(text))
    if end - start < _FIND_FROM:
        return _OTHER_BREAK.search(text, start, end) is not None
    return _holds_any(text, OTHER_BREAKS, start, end)


def unify_breaks(text: str) -> str:
    """Every line break as ``\n``: CRLF, a lone CR and the others ``splitlines`` knows."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_other_breaks(text):
        text = _OTHER_BREAK.sub("\n", text)
    return text


# Characters that show nothing and cannot be meant inside a label, a number or a date: a BOM
# left inside a text, direction marks and embeddings, zero-width spaces and joiners, soft
# hyphens. The tokenizer reads the text without them (``visible``); bodies keep them.
_INVISIBLES = "\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLES}]+")


def has_invisible(text: str) -> bool:
    return not text.isascii() and _INVISIBLE.search(text) is not None


def without_invisible(text: str) -> str:
    """``text`` without its invisible characters (``visible``'s text, without the places)."""
    return _INVISIBLE.sub("", text) if has_invisible(text) else text


def visible(text: str) -> "tuple[str, list]":
    """``text`` without its invisible characters, and where each of its characters (and its
    end) stands in ``text``."""
    kept, where, last = [], [], 0
    for m in _INVISIBLE.finditer(text):
        kept.append(text[last:m.start()])
        where.extend(range(last, m.start()))
        last = m.end()
    kept.append(text[last:])
    where.extend(range(last, len(text) + 1))
    return "".join(kept), where


# same-length replacements, so offsets in the normalised text are offsets in the input
_ODD_BLANKS = ("\t", "\xa0", "\u202f", "\u2007", "\u3000", "\u2009", "\u2002",
               "\u2003", "\u2004", "\u2005", "\u2006", "\u2008", "\u200a", "\u2000", "\u2001",
               "\u205f")


# any character of the two kinds above: one scan tells a text that has none (most of them)
_ODD_CHAR = re.compile(f"[{OTHER_BREAKS}{_INVISIBLES}]")


def _class_chars(spec: str) -> Tuple[str, ...]:
    """The characters of a regex class's inside written as characters and ``a-b`` ranges."""
    chars, i = [], 0
    while i < len(spec):
        if spec[i + 1:i + 2] == "-" and i + 2 < len(spec):
            chars += map(chr, range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            chars.append(spec[i])
            i += 1
    return tuple(chars)


ODD_CHARS = _class_chars(OTHER_BREAKS + _INVISIBLES)     # what _ODD_CHAR matches


def has_odd_characters(text: str) -> bool:
    """Whether ``text`` holds a line break other than CR and LF, or an invisible character."""
    # a find per character where the text holds Latin-1 characters only (most of the other
    # characters then cost nothing to look for); in a text with others, the finds of the
    # characters whose low byte is a letter's (U+2061…) stop at every letter: the regex
    if len(text) >= _FIND_FROM and (text.isascii() or _one_byte(text)):
        return _holds_any(text, ODD_CHARS, 0, len(text))
    return _ODD_CHAR.search(text) is not None


def _one_byte_overhead() -> Optional[int]:
    try:
        return sys.getsizeof("\xe9" * 2) - 2
    except TypeError:      # (an interpreter with no sizes: always the regex)
        return None


_ONE_BYTE = _one_byte_overhead()


def _one_byte(text: str) -> bool:
    """Whether CPython stores ``text`` one byte a character (it takes 1, 2 or 4 bytes a
    character, the fewest its characters allow): whether it holds Latin-1 characters only,
    told without reading it (a str's size in memory is a fixed part and its characters'; a
    subclass may say another size: never one byte)."""
    return (type(text) is str and _ONE_BYTE is not None
            and sys.getsizeof(text) - len(text) == _ONE_BYTE)


def for_matching(text: str, odd: Optional[bool] = None) -> str:
    """The text the tokenizer matches against: same length as ``text``, CR and odd blanks
    turned into plain newlines and spaces. ``odd``: what ``has_odd_characters`` said of it."""
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    if (odd is None or odd) and has_other_breaks(text):
        text = _OTHER_BREAK.sub("\n", text)
    for blank in _ODD_BLANKS:   # str.replace is much faster than str.translate here
        if blank in text:
            text = text.replace(blank, " ")
    return text


# a run of blanks that is not already one plain space (those are most of a text: leaving
# them alone makes the substitution several times faster)
_SPACES = re.compile(r" [ \xa0\u202f\u2000-\u200a\u205f]+|[\xa0\u202f\u2000-\u200a\u205f]"
                     r"[ \xa0\u202f\u2000-\u200a\u205f]*")


_THIN = re.compile("[\u2000-\u200a\u205f]")


def clean_value(value: str) -> str:
    """A header value on one line: every run of whitespace becomes one space; a line break
    where a text browser broke a token at a slash ("22/" then "07/2008", "07/04" then
    "/2015") or after a compound's hyphen ("Oloron-" then "Sainte-Marie") is none (a header
    value is one line on the page: its breaks are wraps)."""
    if "\n" in value:         # (most values end with their line's break: none inside)
        inner = value.strip()
        if "\n" in inner and ("/" in inner or "-" in inner):
            value = _TOKEN_WRAP.sub("", inner)
    return " ".join(value.split())


# (a CRLF's CR is a blank before its line's end)
_TOKEN_WRAP = re.compile(r"(?<=[^\s/]/)[ \t\r]*\n[ \t]*(?=[^\s/])"
                         r"|(?<=[^\W_])[ \t\r]*\n[ \t]*(?=/[^\W_])"
                         r"|(?<=[^\W\d_]-)[ \t\r]*\n[ \t]*(?=[^\W\d_])")


def clean_body(text: Optional[str]) -> Optional[str]:
    """A question or answer body: paragraphs separated by one blank line (``\\n\\n``), lines
    within a paragraph kept (table rows), runs of spaces collapsed, tabs kept (table cells)."""
    if not text:
        return None
    return _clean_paragraphs(unify_breaks(text))


def _clean_paragraphs(text: str) -> Optional[str]:
    """``clean_body`` of a text whose line breaks are all ``\n``."""
    if "  " in text or not text.isascii() and (
            "\xa0" in text or "\u202f" in text or _THIN.search(text) is not None):
        text = _SPACES.sub(" ", text)   # (the checks are much cheaper than the search)
    return paragraphs_of(text.split("\n"))


def paragraphs_of(lines) -> Optional[str]:
    """Lines (blanks at their ends dropped) as paragraphs: a blank line or several between
    two paragraphs becomes one; None when there is no text."""
    paragraphs, current = [], []
    for line in lines:
        line = line.strip(" ")
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs) or None


# What the text of a page loses of its markup, mended in a body read from text:
# - ``get_text()`` and ``text_content()`` glue a paragraph (or a line after a ``<br>``) to
#   the next when the page's source has no blank between them: "Sarlat.Mme Brigitte
#   Allain." A sentence's end glued to a capital is broken there;
# - ``get_text("\\n")`` breaks the line before punctuation that followed an inline element
#   ("groupe UMP)\\n,..."): a comma, a closing parenthesis or a full stop never starts a line
#   (a run of blanks is tried from its start only: tried at each of its blanks, a long run
#   would cost its length squared);
# - text browsers wrap lines at their width: a wrapped paragraph is joined again (a line
#   broken where its next word would still have fitted was broken by the page, and stays).
_GLUED = re.compile(r"(?:[.!?…][)»]|(?<![A-ZÀ-Ý])\.|[!?…])(?=[A-ZÀ-ÝÉ])")
_BREAK_BEFORE = re.compile(r"(?<![ \t\xa0])[ \t\xa0]*\n[ \t\xa0]*(?=[,)\]]|\.(?!\.))")
# ... and ``get_text(" ")`` sets them apart with a blank ("groupe UMP) ,...", "( Exclamations"):
# French puts no blank before a comma, a full stop or a closing parenthesis, nor after an
# opening one
_BLANK_AROUND = re.compile(r"(?<=\S)[ \t\xa0]+(?=[,)]|\.(?!\.))|(?<=\()[ \t\xa0]+(?=\S)")


def wrap_width(text: str) -> Optional[int]:
    """The width a text browser wrapped ``text`` at, or None when it was not wrapped: no
    line longer than that width, and lines (8 at least) filled close to it, most of them
    broken where their next word would not have fitted."""
    # (an invisible character takes no column: a line holding one is as wide without it)
    lines = without_invisible(text[:1 << 18]).split("\n")
    widths = [len(line.rstrip()) for line in lines]
    # (a word longer than the width, an address, overflows it: its line does not count; nor
    # does a table's row, its cells a tab or a "|" apart, which is not wrapped)
    width = max((w for w, line in zip(widths, lines) if " " in line.strip()
                 and "\t" not in line and " | " not in line
                 and max(map(len, line.split())) <= 40), default=0)
    if not 40 <= width <= 120:
        return None
    full = [i for i in range(len(lines) - 1)
            if width - 20 <= widths[i] <= width and lines[i + 1].strip()
            and "\t" not in lines[i] and "://" not in lines[i]]
    if len(full) < 8:
        return None
    wrapped = sum(widths[i] + 1 + len(_first_word(lines[i + 1])) > width for i in full)
    return width if wrapped >= 0.85 * len(full) else None


def _first_word(line: str) -> str:
    # a no-break space does not break a word ("5\xa0septembre" is not wrapped between)
    return line.lstrip(" \t").split(" ", 1)[0]


# a line that ends after a compound's hyphen ("Meurthe-et-"), where a wrap is joined without
# a blank (``_unwrap``, and the cells of a table, ``layout``)
HYPHEN_END = re.compile(r"[^\W\d_]-\Z")
_SLASH_END = re.compile(r"[^\s/]/\Z")
_SLASH_START = re.compile(r"/[^\W_]")


def broken_at_slash(line: str, following: str) -> bool:
    """Whether a wrapped ``line`` broke a token at one of its slashes, to be joined to the
    ``following`` line without a blank: a token too long for the line is broken after a slash
    ("…/jorf/" then "id/JORFTEXT…", "17/04/" then "2019"), or by w3m before one ("2017" then
    "/1564")."""
    if not following or following[0].isspace():
        return False
    return (_SLASH_END.search(line) is not None
            or (_SLASH_START.match(following) is not None and line[-1:].isalnum()))


def _unwrap(text: str, width: int) -> str:
    """The lines of ``text`` joined where they were wrapped at ``width`` (after a compound's
    hyphen, "Meurthe-et-" then "Moselle", without a blank)."""
    lines = text.split("\n")
    # (an invisible character takes no column, nor makes a word: "\u200b   exercice")
    seen = without_invisible if has_invisible(text) else str
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        end, shown, next_shown = line.rstrip(), seen(line).rstrip(), seen(following)
        if not (shown.strip() and next_shown.strip() and "\t" not in line):
            out.append("\n")
        elif HYPHEN_END.search(shown):
            out[-1] = end
            out.append("")
            lines[i + 1] = following.lstrip()
        elif len(shown) + 1 + len(_first_word(next_shown)) > width:    # wrapped there
            if broken_at_slash(shown, next_shown):
                out[-1] = end
                out.append("")
            else:
                out.append(" ")
        else:
            out.append("\n")
    return "".join(out[:-1])


def clean_text_body(text: Optional[str], wrapped_at: Optional[int] = None) -> Optional[str]:
    """A body read from text: what ``clean_body`` does, after mending what a page's text
    loses of its markup (see above). ``wrapped_at``: the width the whole text was wrapped at
    (``wrap_width``)."""
    if not text:
        return None
    text = unify_breaks(text)
    text = _GLUED.sub(lambda m: m.group(0) + "\n", text)
    text = _BLANK_AROUND.sub("", _BREAK_BEFORE.sub("", text))
    if wrapped_at and "\n" in text:
        text = _unwrap(text, wrapped_at)
    return _clean_paragraphs(text) if text else None


def _latin1_fallback(error: UnicodeDecodeError):
    # bytes windows-1252 leaves undefined (0x81, 0x8D…) are read as ISO-8859-1: nothing lost
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("aqparse-latin1", _latin1_fallback)


def line_text(line: bytes) -> str:
    """A line of JSON lines read on its own: UTF-8, else windows-1252, its UTF-8 mended (a
    line saved again by an editor; one such line in a UTF-8 file made the whole file
    windows-1252, every other line's accents mojibake)."""
    try:
        return line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return repair_mojibake(line.decode("cp1252", "aqparse-latin1"))


def incremental_decoder(head: bytes) -> "codecs.IncrementalDecoder":
    """A decoder for a stream that starts with ``head``: the encoding its byte order mark
    names (UTF-16 as ``decode`` reads it whole: a text PowerShell or Notepad saved), else
    UTF-8 (BOM stripped) when ``head`` is UTF-8, else windows-1252 (the streamed counterpart
    of ``decode``)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom) and encoding != "utf-8":
            # (the mark itself is read by the UTF-16 decoder, which drops it)
            return codecs.getincrementaldecoder("utf-16")(errors="replace")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    return codecs.getincrementaldecoder(encoding)(errors="aqparse-latin1")
