"""markup: question and answer bodies given as HTML, to the text every source shares.

One convention for all sources (pages, open data, legacy XML), so the same question read
from any of them has the same text:
- block elements (``p``, ``div``, headings, list items…) are paragraphs, separated by one
  blank line (``\\n\\n``); ``<br>`` is a line break, two of them a paragraph break;
- a table is a paragraph of its own, one line per row, cells separated by a tab
  (a ``<br>`` inside a cell is a space);
- entities are decoded, runs of blanks collapsed (``decode.clean_body``).

A body is read by lxml.etree's HTML parser, or, when its markup is simple (paragraphs, breaks,
inline elements: nearly every open-data body), with string methods, to the same text.
"""

import itertools
import re
from typing import List, Optional

import lxml.etree

from .decode import clean_body

_BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol blockquote center section article header "
                    "footer dl dt dd pre address form fieldset hr".split())
_SKIP = frozenset(("script", "style", "noscript", "head", "title"))
PARAGRAPH = "\n\n"


def _cell_text(cell) -> str:
    parts: List[str] = []
    for node in cell.iter():
        if node is not cell and isinstance(node.tag, str) and node.tag in _SKIP:
            continue
        if isinstance(node.tag, str):
            if node.tag == "br":
                parts.append(" ")
            if node.text and node.tag not in _SKIP:
                parts.append(node.text)
        if node is not cell and node.tail:
            parts.append(node.tail)
    return " ".join("".join(parts).split())


def _table(table, out: List[str]) -> None:
    out.append(PARAGRAPH)
    for row in table.iter("tr"):
        # only this table's rows: nested tables are flattened into their cell
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        out.append("\t".join(_cell_text(c) for c in cells) + "\n")
    out.append(PARAGRAPH)


def _walk(node, out: List[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else None
    if tag is None:               # comment or processing instruction: only its tail counts
        if node.tail:
            out.append(_flow(node.tail))
        return
    tag = tag.lower()
    if tag in _SKIP:
        if node.tail:
            out.append(_flow(node.tail))
        return
    if tag == "table":
        _table(node, out)
    elif tag == "br":
        out.append("\n")
    else:
        block = tag in _BLOCKS
        if block:
            out.append(PARAGRAPH)
        if node.text:
            out.append(_flow(node.text))
        for child in node:
            _walk(child, out)
        if block:
            out.append(PARAGRAPH)
    if node.tail:
        out.append(_flow(node.tail))


def element_text(element) -> Optional[str]:
    """The body text of an lxml element (its children, not its own tail)."""
    out: List[str] = []
    if element.text:
        out.append(_flow(element.text))
    for child in element:
        _walk(child, out)
    return clean_body("".join(out))


def nodes_text(nodes, text: Optional[str] = None) -> Optional[str]:
    """The body text of a run of sibling nodes (each with its tail) after ``text``: what
    follows a heading inside its container, say (the heading's tail, then its next siblings)."""
    out: List[str] = [_flow(text)] if text else []
    for node in nodes:
        _walk(node, out)
    return clean_body("".join(out))


def _flow(text: str) -> str:
    # a newline in the HTML source is just a blank; only elements break lines
    return text.replace("\r", " ").replace("\n", " ")


def fragment_text(fragment: Optional[str], plain: bool = False) -> Optional[str]:
    """Text of an HTML fragment (possibly unbalanced, e.g. starting with ``</p>``).
    ``plain`` True says the caller knows it holds none of the characters a simple reading
    leaves to the parser (``_ODD_CHARACTER``), which are then not looked for."""
    if fragment is None or not fragment.strip():
        return None
    if "<" not in fragment and "&" not in fragment:
        return clean_body(fragment)
    text = _simple_text(fragment, plain)
    if text is not NOT_SIMPLE:
        return text
    return parser_text(fragment)


def parser_text(fragment: str) -> Optional[str]:
    """The text of a fragment as the HTML parser reads it (``fragment_text`` of any fragment
    whose markup is not simple)."""
    try:
        text, children = _parsed_fragment(fragment)
    except (lxml.etree.ParserError, ValueError):
        return clean_body(fragment)
    return nodes_text(children, text)


# An end tag "</br>" is a line break, as browsers read it (the HTML standard's rule); the
# parser of lxml (libxml2) drops it, and the words on either side ran together: "des
# matériels<br>…</br>(en années)". The same length, so that lines and offsets stay.
_END_BR = re.compile(r"</br(?:[ \t\n\r\f/][^>]*)?>", re.I)
_END_BR_STARTS = ("/br", "/BR", "/Br", "/bR")     # (looked for first: a page holds none)


def html5_breaks(markup: str) -> str:
    """``markup`` with each ``</br>`` a ``<br>`` of the same length."""
    if not any(start in markup for start in _END_BR_STARTS):
        return markup
    # (its attributes dropped, as the standard says; its newlines kept: lines stay)
    return _END_BR.sub(lambda m: "<br" + re.sub(r"[^\n]", " ", m.group(0)[4:-1]) + " >", markup)


# -- bodies parsed by lxml ---------------------------------------------------------------------
#
# What ``lxml.html.fragment_fromstring(fragment, create_parent="div")`` does, with lxml.etree's
# own HTML parser: lxml.html's parser looks a Python class up for every element it makes
# (a quarter of the time of a body), and the text is all that is wanted here.

_HTML_PARSER = lxml.etree.HTMLParser()      # lxml.html's options, without its class lookup
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.I)


def _parsed_fragment(fragment: str):
    """``(text, children)``: the fragment's leading text (None when it is only blanks, as
    lxml.html drops it) and its top elements, as lxml.html reads the fragment."""
    fragment = html5_breaks(fragment)
    if not _FULL_HTML.match(fragment):
        fragment = "<html><body>%s</body></html>" % fragment
    doc = lxml.etree.fromstring(fragment, _HTML_PARSER, base_url=None)
    if doc is None:
        raise lxml.etree.ParserError("Document is empty")
    # (lxml.html asserts the same two things: an input that breaks them fails alike)
    assert _local_name(doc.tag) == "html"
    bodies = [e for e in doc if _local_name(e.tag) == "body"]
    if not bodies:      # "<html>" with no body (lxml.html's assertion fails there): the
        return None, list(doc)      # text of what it holds, none for "<html>" alone
    assert len(bodies) == 1, ("too many bodies: %r in %r" % (bodies, fragment))
    body = bodies[0]
    text = body.text if body.text and body.text.strip() else None
    if text is not None:
        # lxml.html sets it as the text of a new element, which refuses a control character
        # (ValueError): the fragment is then read as plain text, and so it is here
        lxml.etree.Element("div").text = text
    return text, list(body)


_XHTML = "{http://www.w3.org/1999/xhtml}"


def _local_name(tag):
    # lxml.html's ``_nons``: a tag without the XHTML namespace (comments have no str tag)
    if isinstance(tag, str) and tag.startswith(_XHTML):
        return tag.split("}")[-1]
    return tag


# -- bodies read without a parser ---------------------------------------------------------------
#
# Most bodies (all of the open data's, nearly) are text with paragraphs, line breaks and a few
# inline elements (``<strong>``, ``<i>``, ``<a name=…>``). For those, the text is the fragment
# with each ``<p>``/``</p>`` a paragraph break, each ``<br>`` a line break and the inline tags
# dropped: what the parser and ``_walk`` give, found with string methods, several times faster.
# Anything whose reading by the HTML parser is less obvious — another element, a comment, a
# ``<`` that is no tag, an entity other than a few, a paragraph inside an inline element, end
# tags that do not match, the characters the parser drops or replaces, blanks other than
# spaces and no-break spaces — is left to the parser. tests/test_opendata_speed.py holds both
# readings to the same text, on the corpus and on generated fragments.

_BR, _P, _END_P, _OPEN, _CLOSE = range(5)
# inline elements whose text flows into their parent's, blanks included: each is one the
# parser keeps a blank text node in (``sup`` and ``sub`` are not, so they are not here)
_INLINE = frozenset(("strong", "b", "i", "em", "u", "a", "span", "font", "small"))
# what an opening <p> closes (the parser's rule, as tests/test_opendata_speed.py checks it;
# <strong>, <em>, <a>, <span>, <font> stay open around the paragraph)
_CLOSED_BY_P = frozenset(("p", "i", "b", "u", "small"))
_HTML_BLANK = "[ \n\r\f]"
_TAG = re.compile(  # what is between "<" and ">": a name and plain attributes, or an end tag
    r"(/?)([A-Za-z][A-Za-z0-9]*)"
    r"((?:" + _HTML_BLANK + r"+[A-Za-z_:][-A-Za-z0-9_:.]*"          # name, then one of
    r"(?:" + _HTML_BLANK + r"*=" + _HTML_BLANK + r"*"               # ="…", ='…', =word
    r"(?:\"[ !#-;=?-~]*\"|'[ -&(-;=?-~]*'|[-A-Za-z0-9_.:#%]+))?)*)"  # (printable ASCII)
    + _HTML_BLANK + r"*(/?)\Z")
_TAGS = {}                 # a tag's text -> (what it does, its name): ``_read_tag``'s cache
# the characters left to the parser: those it drops or replaces (C0 controls, lone surrogates,
# U+FFFE, U+FFFF), and blanks other than a space, a newline or a no-break space (the parser
# drops some blank text nodes, and a tab would survive in ours; the others are rare)
_ODD_CHARACTER = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x85\u1680\u2000-\u200a\u2028\u2029"
                            "\u202f\u205f\u3000\ud800-\udfff\ufffe\uffff]")
_ENTITY = re.compile(r"&(?:#([0-9]{1,7});|#[xX]([0-9a-fA-F]{1,6});|(amp|lt|gt|quot|nbsp);)")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "nbsp": "\xa0"}
_AMPERSAND = re.compile(r"&(?=[A-Za-z0-9#])")        # a "&" that may start a reference
_MAX_SIMPLE = 1 << 20     # longer: left to the parser (and its limits)


NOT_SIMPLE = object()     # what ``_simple_text`` gives for a fragment it leaves to the parser


def _simple_text(fragment: str, plain: bool = False):
    """``fragment_text`` of a fragment of simple markup (see above); ``NOT_SIMPLE`` for any
    other."""
    text = _simple_markup(fragment)
    return NOT_SIMPLE if text is None else _clean_simple(text, plain)


def _simple_markup(fragment: str) -> Optional[str]:
    """The text of a fragment of simple markup, its breaks and paragraphs as newlines, before
    its blanks are cleaned; None when its markup is not simple."""
    if len(fragment) > _MAX_SIMPLE:
        return None
    if "\n" in fragment or "\r" in fragment:     # a newline in HTML is a blank (``_flow``)
        fragment = fragment.replace("\r", " ").replace("\n", " ")
    if "<br>" in fragment:       # the commonest tag, the same wherever it stands: at once
        fragment = fragment.replace("<br>", "\n")   # (inside a tag, "\n" spoils that tag)
    pieces = fragment.split("<")
    out = [pieces[0]]
    open_: List[str] = []              # open elements: "p", then inline ones
    for piece in itertools.islice(pieces, 1, None):
        tag, gt, text = piece.partition(">")
        found = (_TAGS.get(tag) or _read_tag(tag)) if gt else None
        if found is None:              # a "<" that is no tag read here
            return None
        action, name = found
        if action == _BR:
            out.append("\n")
        elif action == _OPEN:
            if name == "a" and "a" in open_:   # a link in a link: the parser closes the first
                return None
            open_.append(name)
        elif action == _CLOSE:
            if open_ and open_[-1] == name:
                open_.pop()
            elif name in open_:                # closes others on its way: left to the parser
                return None
            # (an end tag of an element that is not open is dropped)
        elif action == _P:
            # a <p> closes an open one (the same break) and the inline elements the parser
            # closes before a paragraph; inside any other, it is left to the parser
            if not _CLOSED_BY_P.issuperset(open_):
                return None
            open_[:] = ["p"]
            out.append(PARAGRAPH)
        elif open_ and open_[-1] != "p":       # </p> with an inline element open in it
            return None
        elif open_:                            # </p> closes the open <p>
            open_.clear()
            out.append(PARAGRAPH)
        # (a </p> without its <p> is dropped)
        out.append(text)
    text = "".join(out)
    if "&" in text:     # each text's own references, as the parser reads them ("&" then
        out = [_entities(piece) if "&" in piece else piece for piece in out]   # "<i>amp;")
        return None if None in out else "".join(out)
    return text


def _read_tag(tag: str):
    """``(action, name)`` for the text between "<" and ">" of a tag the fast path reads, None
    for any other. Kept in ``_TAGS``, which stays small: tags repeat."""
    if "\n" in tag:    # a "<br>" inside this tag ("<a title=<br>x>"), made a "\n" (newlines
        return None     # in the markup are blanks by now): the tag is the parser's to read
    m = _TAG.match(tag)
    found = None
    if m is not None:
        end, name, attributes, slash = m.group(1) == "/", m.group(2).lower(), m.group(3), \
            m.group(4) == "/"
        if name == "br" and not (end and attributes):
            found = (_BR, name)          # ("</br>" too: ``html5_breaks``)
        elif slash or end and attributes:
            found = None
        elif name == "p":
            found = (_END_P if end else _P, name)
        elif name in _INLINE:
            found = (_CLOSE if end else _OPEN, name)
    if found is not None and len(_TAGS) < 4096:
        _TAGS[tag] = found
    return found


def _entities(text: str) -> Optional[str]:
    """``text`` with its character references decoded; None when one is not read here."""
    if len(_AMPERSAND.findall(text)) != len(_ENTITY.findall(text)):
        return None
    try:
        return _ENTITY.sub(_entity, text)
    except ValueError:
        return None


def _entity(m) -> str:
    decimal, hexadecimal, name = m.groups()
    if name:
        return _NAMED[name]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    # the code points the parser gives as they are (others it maps: &#128; is "€", 0 is
    # U+FFFD…); no control character, and no blank but a space or a no-break space
    if (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFDCF
            or 0xFDF0 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
            and code & 0xFFFE != 0xFFFE) and (code in (0x20, 0xA0) or not chr(code).isspace()):
        return chr(code)
    raise ValueError(code)


def _clean_simple(text: str, plain: bool = False):
    """``clean_body(text)`` for a text of ``_simple_markup``: every run of blanks one space,
    lines stripped, paragraphs separated by one blank line (the same steps, in one pass over
    its lines; the tests hold it to ``clean_body``'s text); ``NOT_SIMPLE`` when it holds a
    character left to the parser."""
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    lines = text.split("\n")
    # (a printable line holds none of them: that test is quick, the search is not; and the
    # references ``_entity`` decodes are none of them)
    if not plain and not all(map(str.isprintable, lines)) and any(
            _ODD_CHARACTER.search(line) for line in lines if not line.isprintable()):
        return NOT_SIMPLE
    out: List[str] = []
    blank = False              # an empty line since the last line kept: a paragraph ends
    for line in lines:
        if line:               # (half of them are empty: <br><br>)
            if "  " in line:   # (runs of spaces are few: looked for line by line)
                line = _one_space(line)
            line = line.strip(" ")
            if line:
                if out:
                    out.append(PARAGRAPH if blank else "\n")
                out.append(line)
                blank = False
                continue
        blank = True
    return "".join(out) or None


def _one_space(line: str) -> str:
    while "  " in line:
        line = line.replace("  ", " ")
    return line
