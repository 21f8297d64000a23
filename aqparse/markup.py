"""markup: question and answer bodies given as HTML, to the text every source shares.

One convention for all sources (pages, open data, legacy XML), so the same question read
from any of them has the same text:
- block elements (``p``, ``div``, headings, list items…) are paragraphs, separated by one
  blank line (``\\n\\n``); ``<br>`` is a line break, two of them a paragraph break;
- a table is a paragraph of its own, one line per row, cells separated by a tab
  (a ``<br>`` inside a cell is a space);
- entities are decoded, runs of blanks collapsed (``decode.clean_body``).
"""

from typing import List, Optional

import lxml.etree
import lxml.html

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


def fragment_text(fragment: Optional[str]) -> Optional[str]:
    """Text of an HTML fragment (possibly unbalanced, e.g. starting with ``</p>``)."""
    if fragment is None or not fragment.strip():
        return None
    if "<" not in fragment and "&" not in fragment:
        return clean_body(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return clean_body(fragment)
    return element_text(root)
