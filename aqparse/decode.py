"""decode: bytes to text, and the text normalisations every stage shares.

UTF-8 first (a valid UTF-8 byte string is almost never anything else); then what the bytes
say through ``bs4.dammit.UnicodeDammit`` (a declared charset, else windows-1252 / ISO-8859-1,
which the old AN pages use without declaring it). Double-encoded UTF-8 (``Ã©``) is repaired.
"""

import codecs
import re
from typing import Optional, Union

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
    """Text of ``data``: BOM stripped, mojibake repaired. Raises ParseError for binary data."""
    if isinstance(data, str):
        text = data if data.isascii() else _without_lone_surrogates(data)
    else:
        text = _decode_bytes(bytes(data), path, is_html)
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


def _decode_bytes(data: bytes, path: Optional[str], is_html: bool) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise ParseError("binary data, not text", code="binary", path=path, line=1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from bs4.dammit import UnicodeDammit  # only the non-UTF-8 path pays for bs4

    dammit = UnicodeDammit(data, ["windows-1252", "iso-8859-1"], is_html=is_html)
    if dammit.unicode_markup is None:
        return data.decode("latin-1")
    return dammit.unicode_markup


def _byte_of(char: str) -> int:
    code = ord(char)
    return code if code < 256 else char.encode("cp1252")[0]


def _unmangle(match: "re.Match[str]") -> str:
    chunk = match.group(0)
    try:
        return bytes(_byte_of(c) for c in chunk).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return chunk


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


# same-length replacements, so offsets in the normalised text are offsets in the input
_ODD_BLANKS = ("\t", "\xa0", "\u202f", "\u2007", "\u3000", "\x0b", "\x0c")


def for_matching(text: str) -> str:
    """The text the tokenizer matches against: same length as ``text``, CR and odd blanks
    turned into plain newlines and spaces."""
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    for blank in _ODD_BLANKS:   # str.replace is much faster than str.translate here
        if blank in text:
            text = text.replace(blank, " ")
    return text


# a run of blanks that is not already one plain space (those are most of a text: leaving
# them alone makes the substitution several times faster)
_SPACES = re.compile(r" [ \xa0\u202f\u2007]+|[\xa0\u202f\u2007][ \xa0\u202f\u2007]*")


def clean_value(value: str) -> str:
    """A header value on one line: every run of whitespace becomes one space."""
    return " ".join(value.split())


def clean_body(text: Optional[str]) -> Optional[str]:
    """A question or answer body: paragraphs separated by one blank line (``\\n\\n``), lines
    within a paragraph kept (table rows), runs of spaces collapsed, tabs kept (table cells)."""
    if not text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text or "\xa0" in text or "\u202f" in text or "\u2007" in text:
        text = _SPACES.sub(" ", text)   # (the checks are much cheaper than the search)
    lines = [line.strip(" ") for line in text.split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs) or None


def _latin1_fallback(error: UnicodeDecodeError):
    # bytes windows-1252 leaves undefined (0x81, 0x8D…) are read as ISO-8859-1: nothing lost
    return error.object[error.start:error.end].decode("latin-1"), error.end


codecs.register_error("aqparse-latin1", _latin1_fallback)


def incremental_decoder(head: bytes) -> "codecs.IncrementalDecoder":
    """A decoder for a stream that starts with ``head``: UTF-8 (BOM stripped) when ``head`` is
    UTF-8, else windows-1252 (the streamed counterpart of ``decode``)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    return codecs.getincrementaldecoder(encoding)(errors="aqparse-latin1")
