"""What a browser copy of a page's question gives (an ``innerText``-like reading), for tests.

Written for the tests on its own, independently from ``aqparse.html`` and ``aqparse.markup``,
so that the HTML parser is checked against a second reading of the same page:
- text runs: whitespace collapses to one space (CSS ``white-space: normal``), no-break spaces kept;
- block elements start and end a line; ``<p>`` is set off by a blank line; ``<br>`` breaks the line;
- table cells are separated by a tab and rows by a line break;
- what a browser does not show is dropped: ``script``, ``style``, ``head``, elements styled
  ``visibility: hidden`` / ``display: none`` or with the ``hidden`` attribute, comments.
"""

import re
from typing import Iterable, List

import lxml.html

BLOCKS = frozenset("address article aside blockquote center dd div dl dt fieldset figure footer "
                   "form h1 h2 h3 h4 h5 h6 header hr li main nav ol section table tr ul "
                   "html body".split())
INVISIBLE = frozenset("script style head title noscript template button input select "
                      "textarea img".split())
CONTROLS = frozenset(("button",))      # what a browser shows of the controls: a button's words
_HIDDEN_STYLE = re.compile(r"visibility\s*:\s*hidden|display\s*:\s*none", re.I)

# markers written while walking, resolved at the end: a required number of line breaks
_BREAK = "\x00{}\x00"


class _Out:
    def __init__(self):
        self.parts: List[str] = []

    def text(self, text: str) -> None:
        text = re.sub(r"[ \t\r\n\f]+", " ", text)
        if text:
            self.parts.append(text)

    def breaks(self, n: int) -> None:
        self.parts.append(_BREAK.format(n))

    def raw(self, text: str) -> None:
        self.parts.append(text)

    def result(self) -> str:
        joined = "".join(self.parts)
        # a run of break markers and blanks becomes the largest number of line breaks asked
        def resolve(m):
            counts = [int(c) for c in re.findall(r"\x00(\d)\x00", m.group(0))]
            return "\n" * max(counts)
        joined = re.sub(r"(?:[ ]*\x00\d\x00[ ]*)+", resolve, joined)
        joined = re.sub(r" {2,}", " ", joined)       # spaces across element boundaries collapse
        lines = [re.sub(r" *\t *", "\t", line).strip(" ") for line in joined.split("\n")]
        text = "\n".join(lines)
        return text.strip("\n") + "\n"


def _hidden(el) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _walk(el, out: _Out, invisible=INVISIBLE) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else None
    if tag is None or tag in invisible or _hidden(el):
        if el.tail:
            out.text(el.tail)
        return
    if tag == "br":
        out.raw("\n")
    elif tag in ("td", "th"):
        if el.text:
            out.text(el.text)
        for child in el:
            _walk(child, out, invisible)
        if el.getnext() is not None and isinstance(el.getnext().tag, str) \
                and el.getnext().tag in ("td", "th"):
            out.raw("\t")
    else:
        block = 2 if tag == "p" else 1 if tag in BLOCKS else 0
        if block:
            out.breaks(block)
        if el.text:
            out.text(el.text)
        for child in el:
            _walk(child, out, invisible)
        if block:
            out.breaks(block)
    if el.tail:
        out.text(el.tail)


def visible_text(elements: Iterable, show_controls: bool = False) -> str:
    """The visible text of ``elements`` (lxml elements, in page order), as a browser copies it;
    ``show_controls``: with the words of the page's buttons, as a "select all" copies them."""
    out = _Out()
    invisible = INVISIBLE - CONTROLS if show_controls else INVISIBLE
    for el in elements:
        out.breaks(1)
        tail, el.tail = el.tail, None
        try:
            _walk(el, out, invisible)
        finally:
            el.tail = tail
    return out.result()


def parse_page(text: str):
    """The page as lxml reads it (the test's own parse, not aqparse's)."""
    return lxml.html.document_fromstring(text)


def question_region(root) -> List:
    """The elements of a page's question, as a reader would select them to copy it: from the
    legislature heading to the end of the answer (the /dyn/ pages: from the title down to the
    "Données clés" box, before "partager"); the old pages: the whole page."""
    heading = root.xpath('//header[contains(@class, "question_legislature")]')
    if heading:
        out = [heading[0]]
        for sibling in heading[0].itersiblings():
            out.append(sibling)
            if "question_answer" in (sibling.get("class") or ""):
                break
        return out
    dyn = root.xpath('//div[contains(@class, "_style-question")]'
                     '//div[contains(@class, "_vertical")]')
    if dyn:
        return [dyn[0]]
    table = root.xpath('//td[@class="tdstyleh1"]/ancestor::table[last()]')
    if table:
        following = list(table[0].itersiblings())
        last = max((i for i, el in enumerate(following)
                    if el.xpath('descendant-or-self::div[@class="contenutexte"]')), default=-1)
        return [table[0]] + following[:last + 1]
    return [root.find("body")]
