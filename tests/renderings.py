"""The ways users turn a whole page into text, for the tests: each takes a page's HTML (str)
and gives its text, as that tool would.

Written for the tests, independently from ``aqparse`` (none of its code is used), so that the
parser is checked against renderings it did not make:

- ``get_text``, ``get_text_lines``, ``get_text_spaced``, ``get_text_piped``,
  ``get_text_pipes``: what scrapers store, BeautifulSoup's ``get_text()``,
  ``get_text("\\n")``, ``get_text(" ", strip=True)``, ``get_text(" | ", strip=True)`` and
  ``get_text("|")`` (bs4 is a dependency);
- ``text_content``: lxml's ``text_content()`` (block boundaries glued, scripts kept);
- ``browser``: a browser's "select all, copy" (``html_visible``, buttons shown);
- ``text_browser``: a text browser's dump written here, lynx-like: indented blocks, ``*``
  bullets, ``[n]`` link numbers, wrapped at 76 columns, hidden elements shown, and tables
  with a border drawn as w3m draws them (box characters, cells wrapped in their columns,
  centred vertically);
- ``inscriptis``: the inscriptis package (a test extra), which lays tables out in columns
  and centres a cell vertically, as text browsers do;
- ``one_line``: a spreadsheet cell, the browser copy flattened to one line;
- ``lynx``, ``w3m``, ``elinks``, ``links`` (links2): the real text browsers, when they are
  installed (elinks numbers the links and lists them at the end, as lynx does; links shows
  an empty link's title and lays a table's cells side by side with no border);
- ``pandoc``, ``pandoc_markdown``: pandoc's plain text and Markdown (its program from the
  pypandoc_binary test extra, else the system's).

``RENDERINGS`` names them all; ``SHOWS_HIDDEN`` those that show the old pages' hidden block.
"""

import os
import re
import shutil
import subprocess
import tempfile
import textwrap
from typing import Callable, Dict, List, Optional

import lxml.html
from bs4 import BeautifulSoup

from html_visible import visible_text

WIDTH = 76


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def get_text(html: str) -> str:
    return _soup(html).get_text()


def get_text_lines(html: str) -> str:
    return _soup(html).get_text("\n")


def get_text_spaced(html: str) -> str:
    return _soup(html).get_text(" ", strip=True)


def get_text_piped(html: str) -> str:
    return _soup(html).get_text(" | ", strip=True)


def get_text_pipes(html: str) -> str:
    return _soup(html).get_text("|")


def text_content(html: str) -> str:
    return lxml.html.document_fromstring(html).text_content()


def browser(html: str) -> str:
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    return visible_text([body if body is not None else root], show_controls=True)


def one_line(html: str) -> str:
    return " ".join(browser(html).split())


def inscriptis_text(html: str) -> str:
    import inscriptis
    return inscriptis.get_text(html)


_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.I)


def _program(name: str, *args: str) -> Callable[[str], str]:
    def render(html: str) -> str:
        # the page is given in UTF-8: the charset it declares is taken out
        out = subprocess.run([name, *args], input=_CHARSET.sub("", html).encode("utf-8"),
                             capture_output=True, check=True)
        return out.stdout.decode("utf-8", errors="replace")
    render.__name__ = name
    return render


# -- a text browser, lynx-like, with w3m's bordered tables -----------------------------------

_SKIP = frozenset("script style head title noscript template img".split())
_BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 header footer section article nav main form ul ol "
                    "dl dt dd blockquote center address aside fieldset figure tr".split())


class _Dump:
    def __init__(self):
        self.lines: List[str] = []
        self.inline: List[str] = []     # the text of the paragraph being laid out
        self.indent = 3
        self.links = 0

    def text(self, text: str) -> None:
        self.inline.append(text)

    def flush(self, blank: bool = False) -> None:
        words = " ".join("".join(self.inline).split())
        self.inline = []
        if words:
            width = WIDTH - self.indent
            self.lines.extend(" " * self.indent + line for line in textwrap.wrap(
                words, width, break_long_words=False, break_on_hyphens=False))
        if blank and self.lines and self.lines[-1]:
            self.lines.append("")

    def raw(self, lines: List[str]) -> None:
        self.flush()
        self.lines.extend(lines)


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _walk(el, out: _Dump) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else None
    if tag is None or tag in _SKIP:
        pass
    elif tag == "table" and el.get("border") not in (None, "0"):
        out.raw(_bordered(el))
    elif tag == "br":
        out.flush()
    elif tag == "a" and el.get("href") and _text(el):
        out.links += 1
        out.text(f"[{out.links}]" + _text(el))
    elif tag == "button":
        out.text(" (BUTTON) " + _text(el) + " ")
    elif tag == "input" and el.get("type") not in ("hidden", "submit"):
        out.text(" ____________________ ")
    elif tag == "li":
        out.flush()
        out.text("* ")
        _children(el, out)
        out.flush()
    else:
        block = tag in _BLOCKS
        if block:
            out.flush(blank=tag == "p")
        _children(el, out)
        if block:
            out.flush(blank=tag == "p")
    if el.tail:
        out.text(el.tail)


def _children(el, out: _Dump) -> None:
    if el.text:
        out.text(el.text)
    for child in el:
        _walk(child, out)


def _bordered(table) -> List[str]:
    """A table with a border, as w3m draws it: box characters, each cell wrapped in its
    column and centred vertically in its row."""
    rows = [[c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            for tr in table.iter("tr")]
    rows = [r for r in rows if r]
    columns = max(len(r) for r in rows)
    widths = [12] + [max(10, (WIDTH - 16) // max(columns - 1, 1))] * (columns - 1)
    out = ["┏" + "┯".join("━" * w for w in widths) + "┓"]
    for n, row in enumerate(rows):
        cells = []
        for i in range(columns):
            text = _cell_lines(row[i]) if i < len(row) else []
            cells.append([line for part in text
                          for line in (textwrap.wrap(part, widths[i]) or [""])])
        height = max(1, max(len(c) for c in cells))
        grid = []
        for c in cells:
            top = (height - len(c)) // 2
            grid.append([""] * top + c + [""] * (height - top - len(c)))
        for k in range(height):
            out.append("┃" + "│".join(grid[i][k].ljust(widths[i]) for i in range(columns)) + "┃")
        if n < len(rows) - 1:
            out.append("┠" + "┼".join("─" * w for w in widths) + "┨")
    out.append("┗" + "┷".join("━" * w for w in widths) + "┛")
    return out


def _cell_lines(cell) -> List[str]:
    """A cell's text, a line per ``<br>``."""
    parts: List[List[str]] = [[]]

    def walk(node):
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if tag == "br":
            parts.append([])
        elif tag is not None and tag not in _SKIP:
            if node.text:
                parts[-1].append(node.text)
            for child in node:
                walk(child)
        if node is not cell and node.tail:
            parts[-1].append(node.tail)

    walk(cell)
    return [" ".join("".join(p).split()) for p in parts]


def text_browser(html: str) -> str:
    out = _Dump()
    root = lxml.html.document_fromstring(html)
    _walk(root.find("body") if root.find("body") is not None else root, out)
    out.flush()
    return "\n".join(out.lines) + "\n"


RENDERINGS: Dict[str, Callable[[str], str]] = {
    "get_text": get_text,
    "get_text_lines": get_text_lines,
    "get_text_spaced": get_text_spaced,
    "get_text_piped": get_text_piped,
    "get_text_pipes": get_text_pipes,
    "text_content": text_content,
    "browser": browser,
    "text_browser": text_browser,
    "inscriptis": inscriptis_text,
    "one_line": one_line,
}
if shutil.which("lynx"):
    RENDERINGS["lynx"] = _program("lynx", "-dump", "-stdin", "-assume_charset=utf-8",
                                  "-display_charset=utf-8")
if shutil.which("w3m"):
    RENDERINGS["w3m"] = _program("w3m", "-dump", "-T", "text/html", "-I", "utf-8", "-O", "utf-8")



if shutil.which("elinks"):
    RENDERINGS["elinks"] = _program("elinks", "-dump", "-force-html", "-dump-charset", "utf-8",
                                    "-eval", "set document.codepage.assume = 'utf-8'",
                                    "-eval", "set document.codepage.force_assumed = 1")


def _links(html: str) -> str:
    # (links reads a file: from its standard input it reads only part of a large page)
    with tempfile.NamedTemporaryFile("wb", suffix=".html", delete=False) as page:
        page.write(_CHARSET.sub("", html).encode("utf-8"))
    try:
        out = subprocess.run(["links2", "-dump", "-codepage", "utf-8", "-html-assume-codepage",
                              "utf-8", "-html-hard-assume", "1", page.name],
                             capture_output=True, check=True)
    finally:
        os.remove(page.name)
    return out.stdout.decode("utf-8", errors="replace")


if shutil.which("links2"):
    RENDERINGS["links"] = _links


def pandoc_program() -> Optional[str]:
    """pandoc: the program the pypandoc_binary wheel carries, else the system's, or None."""
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def pandoc_version() -> tuple:
    """pandoc's version, (3, 9) say; () without pandoc."""
    program = pandoc_program()
    if program is None:
        return ()
    first = subprocess.run([program, "--version"], capture_output=True,
                           text=True).stdout.split("\n")[0]
    return tuple(int(part) for part in re.findall(r"\d+", first)[:2])


if pandoc_program():
    RENDERINGS["pandoc"] = _program(pandoc_program(), "-f", "html", "-t", "plain")
    RENDERINGS["pandoc_markdown"] = _program(pandoc_program(), "-f", "html", "-t", "markdown")


def at_width(tool: str, width: int) -> Optional[Callable[[str], str]]:
    """lynx or w3m laying the page out ``width`` columns wide (a narrow terminal, a wide
    one), or None when the program is not installed."""
    if not shutil.which(tool):
        return None
    if tool == "lynx":
        return _program("lynx", "-dump", "-stdin", "-assume_charset=utf-8",
                        "-display_charset=utf-8", f"-width={width}")
    return _program("w3m", "-dump", "-T", "text/html", "-I", "utf-8", "-O", "utf-8",
                    "-cols", str(width))


# the renderings that show the old pages' hidden block of codes
SHOWS_HIDDEN = frozenset(("get_text", "get_text_lines", "get_text_spaced", "get_text_piped",
                          "get_text_pipes", "text_content",
                          "text_browser", "lynx", "w3m", "inscriptis", "elinks", "links",
                          "pandoc", "pandoc_markdown"))
