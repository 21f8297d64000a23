"""layout: what text tools do to the layout of a page, undone before its text is read.

A text browser (lynx, w3m, inscriptis…) draws a page: it numbers the links ("[56]M. Gérard
Leseul"), draws the borders of tables, and lays the cells of a row side by side, wrapping each
in its column and centring it vertically. The old "FICHE QUESTION" pages are tables: their
labels end up beside, or in the middle of, their values.

``untangle(text)`` gives the text back as a reader would take it in: link numbers and borders
blanked, the cells of a drawn table read one after another, a label moved to the first line of
its cell. It keeps the length of the text and the line of each row, so offsets and line numbers
still point into the input.
"""

import bisect
import functools
import itertools
import re
from typing import Callable, FrozenSet, List, NamedTuple, Optional, Set, Tuple

from .decode import HYPHEN_END, broken_at_slash

# lynx numbers each link, glued to its text ("[9]M. Jean-Marc Fabre"); one "[1]" may be the
# text's own, so only a text with several. A number before a blank or closing punctuation is
# a note's ("selon l'INSEE[1], …"), not a link's; nor one before "(" and an address: a
# Markdown link ("[312](/static/…pdf)", a page number linked), nor one before pandoc's
# attributes ("[4774]{.question_big_content}"). A link whose text starts with "(" is lynx's:
# "[57](BnF)", "[9](Les Républicains - Ain)"
_FOLLOWER = (r"(?=[^\s,.;:!?)\]}»…])"
             r"(?!\((?:[A-Za-z][\w+.-]{0,30}:|[/#.?]|[^\s()]{0,300}/)|\{[.#])")
_LINK_MARK = re.compile(r"\[\d{1,4}\]" + _FOLLOWER)
_BOX = re.compile("[\u2500-\u257f]+")


def shows_links(text: str, marks: Optional[Set[str]] = None, end: Optional[int] = None) -> bool:
    """Whether ``text`` shows lynx's link numbers: three marks or more, or its first two
    ("[1]", "[2]": lynx numbers from 1). ``marks``: those met before it, when a text is read
    block by block (``text.shows_links_since``), and updated; ``end``: a mark counts when the
    character after it stands before ``end``. Looked for through the whole text, however
    long (a dump of plain questions may hold a page further in), and no further than the
    marks that decide."""
    if "[" not in text:
        return False
    marks = set() if marks is None else marks
    end = len(text) if end is None else end
    at, repeats, search = 0, 0, _LINK_MARK.search
    while not (len(marks) >= 3 or ("[1]" in marks and "[2]" in marks)):
        m = search(text, at, end)
        if m is None:
            return False
        at = m.end()
        if m.group(0) not in marks:
            marks.add(m.group(0))
        else:
            repeats += 1
        # a text that repeats its marks (one note's number a hundred thousand times) is
        # searched past them in C, by a pattern of the marks not met (compiled for that
        # text alone: a compile costs what a small text's whole reading does)
        if repeats >= _REPEATS:
            search = _new_mark(frozenset(marks)).search
    return True


_REPEATS = 64


@functools.lru_cache(maxsize=256)
def _new_mark(known: FrozenSet[str]) -> "re.Pattern[str]":
    """A mark other than those ``known``."""
    if not known:
        return _LINK_MARK
    numbers = "|".join(sorted(mark[1:-1] for mark in known))
    return re.compile(rf"\[(?!(?:{numbers})\])\d{{1,4}}\]" + _FOLLOWER)


# (a mark blanked by a search of its width each, in C, where a Python call per mark cost a
# page of lynx 2 µs a link; a mark blanked first stands as a placeholder, so that the mark
# before it is still followed by what it was followed by: "[12][3]x" is two marks)
_MARKS_OF_WIDTH = tuple((re.compile(rf"\[\d{{{n}}}\]" + _FOLLOWER), "\ue000" * (n + 2))
                        for n in range(1, 5))


def blank_links(text: str) -> str:
    """``text`` with lynx's link numbers blanked (``_LINK_MARK``), its length kept."""
    if "\ue000" in text:       # (the placeholder is the text's own: a Python call per mark)
        return _LINK_MARK.sub(lambda m: " " * len(m.group(0)), text)
    for mark, placeholder in _MARKS_OF_WIDTH:
        text = mark.sub(placeholder, text)
    return text.replace("\ue000", " ")


# a link's number at a line's start before a blank (w3m numbering a link whose text begins
# with one: "[67] Publication de la question au Journal Officiel du …")
_LINE_MARK = re.compile(r"^[ ]*\[(\d{1,4})\](?=[ ])", re.M)


def _marks_before_labels_blanked(text: str, is_label: Callable[[str], bool]) -> str:
    """``text`` with each link's number that stands at a line's start before a blank and a
    known label blanked, its length kept: a number in the run of the links' numbers around
    it, above the one glued to a link before it and below the one after it ("[7]Questions",
    "[8] Publication de la question…", "[10]M. X"). Elsewhere such a number is a note's,
    "[1] " at the start of a note (of a page's body, or of a plain question in a dump with
    such a page), and is left."""
    lines = list(_LINE_MARK.finditer(text))
    if not lines:
        return text
    glued = [(m.start(), int(m.group(0)[1:-1])) for m in _LINK_MARK.finditer(text)]
    starts = [at for at, _ in glued]
    out, done = [], 0
    for m in lines:
        end = text.find("\n", m.end())
        if not is_label(text[m.end():end if end >= 0 else len(text)]):
            continue
        number, i = int(m.group(1)), bisect.bisect_left(starts, m.start())
        before = glued[i - 1][1] if i > 0 else None
        after = glued[i][1] if i < len(glued) else None
        if (before is None and after is None) or (before is not None and before >= number) \
                or (after is not None and after <= number):
            continue
        out.append(text[done:m.start()] + " " * len(m.group(0)))
        done = m.end()
    return "".join(out) + text[done:] if out else text


def _pipes_as_blanks(text: str) -> str:
    """``text`` with its pipes blanked, when a scraper put one between every piece of a page
    (``get_text(" | ")``, ``get_text("|")``: its labels and their values, the
    words of a sentence cut by a link, and its line breaks): the text is then read as the
    page's text with blanks. Same length, same lines. A text with fewer pipes than lines, or
    whose pipes draw tables (a text browser's in ASCII; Markdown, which the caller tells
    apart), is left as it is."""
    if text.count("|") < text.count("\n") + 1 or _ASCII_RULE.search(text) is not None:
        return text
    return text.replace("|", " ")


def untangle(text: str, body_label: Optional["re.Pattern[str]"] = None,
             is_label: Optional[Callable[[str], bool]] = None, page: bool = True,
             links: Optional[bool] = None) -> str:
    """``text`` as a reader takes it in (see the module's doc), same length, same lines.
    ``body_label`` matches the heading of a question or answer body at a line start (after
    its indentation); ``is_label`` says whether a line starts with a known label; ``page``,
    whether the text shows a whole page (tables are a page's layout); ``links``, whether it
    shows lynx's link numbers (``shows_links``), when it is a part of a text that does."""
    if links is None:
        links = shows_links(text)
    if links and "[" in text:
        # (the numbers before a blank first: whether one is a link's is told by the numbers
        # glued to the links around it)
        if is_label is not None and "] " in text:
            text = _marks_before_labels_blanked(text, is_label)
        text = blank_links(text)
    # (each layout is looked for only where a quick look finds its sign: most texts have none)
    if not page:
        return text
    markdown = shows_markdown(text)
    if not markdown and "|" in text:
        text = _pipes_as_blanks(text)
    # (a table drawn in ASCII is read before the Markdown: pandoc's grid tables hold Markdown
    # in their cells, whose undoing would move what it drops out of the cells' columns)
    for grid in _GRIDS:
        if any(sign in text for sign in grid.signs) and grid.rule.search(text) is not None:
            text = _line_ends_kept(_bordered_tables, text, grid)
    if markdown:
        text = markdown_undone(text)
    if "  " in text:
        text = _line_ends_kept(_columns_read, text, body_label, is_label)
    return text


def _columns_read(text: str, body_label: Optional["re.Pattern[str]"],
                  is_label: Optional[Callable[[str], bool]]) -> str:
    """The cells a text browser laid side by side, read (``_centred_labels``, ``_side_by_side``)."""
    if body_label is not None and _CELL_BESIDE.search(text) is not None:
        text = _centred_labels(text, body_label, is_label or (lambda line: False))
    if is_label is not None:
        signs = sorted(m.end() - 1 for rx in _ROW_SIGNS for m in rx.finditer(text))
        if signs:
            text = _side_by_side(text, is_label, signs)
    return text


def _line_ends_kept(read: Callable[..., str], text: str, *args) -> str:
    """``read(text, *args)`` on the text without the CR that ends some of its lines (CRLF),
    put back at the end of the same lines: a CR at a line's end is none of the layout's
    (of a column, which made every line end in a column of its own; of a table's row, of
    Markdown), and ``read`` keeps the number of lines."""
    if "\r" not in text:
        return read(text, *args)
    lines = text.split("\n")
    ends = ["\r" if line.endswith("\r") else "" for line in lines]
    if not any(ends):
        return read(text, *args)
    bare = "\n".join(line[:len(line) - len(end)] for line, end in zip(lines, ends))
    return "\n".join(line + end for line, end in zip(read(bare, *args).split("\n"), ends))


# -- Markdown (html2text, markdownify, pandoc: a scraper's page as Markdown) ----------------------

# a link or an image, "[text](address "title")": its text (which markdownify may end with
# blank lines), its address (which may hold parentheses, "…/liste/(type)/ta") and title may
# be wrapped over lines (html2text wraps at 78 columns), the address and title never over a
# blank line; pandoc's attributes after it ("{.inner target="_blank"}", wrapped too)
_NO_BLANK_LINE = r"(?:[^\S\n]|\n(?![ \t]*\n))"
_MD_ATTRIBUTES = (r"\{(?=[ ]?[.#\w-])(?:[^{}\n]|\{[^{}\n]{0,200}\}|\n(?![ \t]*\n)){0,1000}\}")
_MD_LINK = re.compile(r"(!?)\[([^\[\]]{0,500}?)\]\((?:[^()\s]|\([^()\s]{0,200}\)"
                      r"|\n(?![ \t]*\n))*?"
                      r'(?:' + _NO_BLANK_LINE + r'+"(?:[^"\n]|\n(?![ \t]*\n))*")?\)'
                      r"(?:" + _MD_ATTRIBUTES + ")?")
_DROPPED, _MOVED = "\x00", "\x01"      # (placeholders, taken out line by line)

# an image left as HTML (html2text's images_as_html), as its text, if it has one
_MD_IMG = re.compile(r"<img\b[^<>]{0,1000}>", re.I)
# (its alt up to the quote that closes it, before the next attribute or the tag's end: the
# other quote, an apostrophe inside html2text's alt='…', "l'Assemblée", are the alt's own)
_MD_ALT = re.compile(r"""\balt=(?:"([^"<>]{0,200})"|'([^<>]{0,200}?)'(?=\s*/?>\Z|\s+[\w:-]+=))""",
                     re.I)


def _image_text(m: "re.Match[str]") -> str:
    whole = m.group(0)
    alt = _MD_ALT.search(whole)
    inner = (alt.group(1) if alt.group(1) is not None else alt.group(2)) if alt else ""
    breaks = whole.count("\n")
    return inner + _DROPPED * (len(whole) - len(inner) - breaks) + _MOVED * breaks


# pandoc's Markdown, told by its fenced divs and spans: a span, "[text]{.class}", as its text,
# a superscript "16^e^" as "16e"; a fenced div's line ("::: {.section}", ":::"), a raw block's
# fence ("```{=html}") and a line of raw HTML ("<div>"), blanks
_PANDOC = re.compile(r"^:::[ ]?(?:\{[.#}]|[\w-]+[ ]*$)|\]\{[.#]", re.M)
_MD_SPAN = re.compile(r"(\[)([^\[\]]{0,500}?)\]" + _MD_ATTRIBUTES)
_MD_SUPERSCRIPT = re.compile(r"(?<=\w)(\^)([^\s^]{1,10})\^")
_MD_DIV = re.compile(r"^[ ]{0,3}(?::{3,}(?:[ ]*(?:" + _MD_ATTRIBUTES + r"|\{\}|[^\s{}]+))?"
                     r"|```(?:\{=\w{1,20}\})?|<!--[^\n]{0,300}?-->"
                     r"|</?[A-Za-z][A-Za-z0-9]{0,20}(?:[ ][^<>\n]{0,300})?/?>)[ ]*$", re.M)
# ... its simple table: the rule under its header, or above and below it, runs of dashes a
# blank apart, a column's each ("  --- -------"); blanks, as a Markdown table's rule
_MD_SIMPLE_RULE = re.compile(r"^[ ]{0,3}-{3,}(?:[ ]{1,3}-{3,}){1,50}[ ]*$", re.M)
# ... and its "smart" punctuation, written back: "--", "---", "..." for the dashes and the
# ellipsis, a plain quote for a curly one; only where pandoc wrote it so: its "smart" writing
# escapes the text's own plain apostrophes, ellipses and double hyphens, "l\\'objet", "\\...",
# "\\--", and never leaves a curly quote, a dash or an ellipsis as it is; "-t markdown-smart"
# leaves them all as they are, and the text's own "'", "..." and "--" unescaped: a page with
# none of the first kind, or any of the second (a dump of pages of both), is read as written
_SMART_WRITTEN = re.compile(r"\\(?:'|\.\.\.|--)")
_SMART_LITERAL = re.compile("[\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")
# (a table's borders and rules are no dashes: "+---+", "|--|", ":--")
_SMART = re.compile(r"(?<![\\+|:-])(?:---|--)(?![+|:-])|(?<![\\.])\.\.\.(?!\.)|(?<!\\)['\"]")
_SMART_MARKS = {"---": "—" + _DROPPED * 2, "--": "–" + _DROPPED, "...": "…" + _DROPPED * 2}


def _smart(m: "re.Match[str]") -> str:
    found = m.group(0)
    if found in _SMART_MARKS:
        return _SMART_MARKS[found]
    # (opening after a blank or a bracket, before a word; else closing, or an apostrophe)
    after = m.string[m.end():m.end() + 1]
    opens = (m.start() == 0 or m.string[m.start() - 1] in " \t\n([«" + _DROPPED) \
        and after.strip() != ""
    if found == "'":
        return "‘" if opens else "’"
    return "“" if opens else "”"


# what is dropped: emphasis ("_italics_", "*x*" in pairs inside a paragraph: a lone "*" is the
# text's own, "(*)" a note's mark; "_" only around words, never inside one; html2text may
# wrap a closing mark onto a line of its own, after a hard break), escapes ("\\-"), a
# heading's "#"s
_IN_PARAGRAPH = r"(?:[^\n]|\n(?![ \t]*\n))"


def _pair(mark: str, around: str) -> "re.Pattern[str]":
    m, c = re.escape(mark), re.escape(mark[0])
    # (a closing mark may start a line after a hard break: two blanks, or a backslash
    # dropped, "\\" as pandoc writes it)
    # (inside a pair, the mark only where it can neither open nor close one, between two
    # letters or two blanks: a mark that opens no pair is passed at the next one, not looked
    # past for 2000 characters, which made "*a *a *a …" quadratic)
    inner = rf"(?:[^\n{c}]|\n(?![ \t]*\n)|(?<=[^\W_]){c}(?=[^\W_])|(?<=\s){c}(?=\s))"
    return re.compile(rf"(?<!{around}){m}(?=[^\s{c}])"
                      rf"{inner}{{1,2000}}?(?:(?<=[^\s{c}])|(?<=[ ]{{2}}\n)|(?<=\x00\n)){m}"
                      rf"(?!{around})")


_MD_PAIRS = tuple((mark, _pair(mark, around)) for mark, around in (
    ("*", r"[^\W_]|\*"), ("_", r"\w")))
# (doubled marks are Markdown's own wherever they stand: html2text writes "** 9ème
# législature **" and "__" for an empty icon, which no pairing reads)
# (a run of three is a single's and a double's: the double is taken at its end, "*)***P" is
# "*)" closing and "**P" opening)
# (what the tools escape: html2text the Markdown's own marks, markdownify those and "&<~=";
# pandoc any punctuation, "l\\'Assemblée", "\\>", "\\...": elsewhere a backslash before
# another is the text's own, "C:\\'x"; a backslash at a line's end is a line break)
_MD_MARKS_OF = r"(?:\*\*)+(?!\*)|(?:__)+(?!_)|\\(?=[{}]|\n)|^[ ]{{0,3}}#{{1,6}}[ ]"
_MD_MARKS = re.compile(_MD_MARKS_OF.format(r"\\`*_{}\[\]()#+\-.!>|&<~="), re.M)
_PANDOC_MARKS = re.compile(_MD_MARKS_OF.format(r"!-/:-@\[-`{-~"), re.M)
# a line of a lone mark, once the pairs are read: an empty list item, or a closing mark of
# no pair
_MD_LONE = re.compile(r"^[ ]*(?:_|\*|-|\+)(?=[ \x00\x01]*$)", re.M)
# a link or an image by reference ("[text][12]", html2text's inline_links=False; its text
# may be wrapped) and its definition ("   [12]: https://… (title)", wrapped over lines)
_MD_REF_LINK = re.compile(r"!?\[([^\[\]]{0,500})\]\[\d{1,4}\]")
_MD_REF_DEFINITION = re.compile(r"^[ ]{0,3}\[\d{1,4}\]:(?:[ ]+|[ ]*\n[ ]*)\S[^\n]*"
                                r"(?:\n(?![ \t]*\n|[ ]{0,3}\[\d)[^\n]*){0,20}$", re.M)
# "* * *" (an <hr>: blanks, too short for a rule's six characters); a table's rule under its
# first row ("---|---|---")
_MD_RULE = re.compile(r"^[ ]{0,3}\*[ ]\*[ ]\*[ ]*$", re.M)
_MD_TABLE_RULE = re.compile(r"^[ ]*\|?[ ]*:?-{3,}:?[ ]*(?:\|[ ]*:?-{3,}:?[ ]*)+\|?[ ]*$", re.M)
_MD_ONE_RULE = re.compile(r"[ ]*-{3,}[ ]*\Z")
_MD_PIPED_ROW = re.compile(r"[ ]*\|.*\|[ ]*\Z")
# a thematic break or a heading's underline ("---", "***", "===")
_MD_BREAK = re.compile(r"^[ ]{0,3}(?:-{3,}|\*{3,}|_{3,}|={3,})[ ]*$", re.M)


# what shows a page's text is Markdown: a link to an address, a heading, one of the site's
# labels or a line's first words in bold, a table's rule, a link's definition by reference.
# Two kinds of them, or three of one: a page's own text may hold one of each ("# 1. Les
# mesures", "**Note** :", "[le site](https://…)"), and loses nothing for it
_MD_SIGNS = (
    # (an address in angle brackets: html2text's protect_links)
    ("](", re.compile(r"\]\(<?(?:[a-z][a-z0-9+.-]{0,20}:|/|#|\.{1,2}/)", re.I)),
    ("]:", _MD_REF_DEFINITION),
    ("#", re.compile(r"^#{1,6}[ ]+\S", re.M)),
    ("**", re.compile(r"\*\*_?(?:Texte de la|Question|\d{1,2}(?:e|ème) [Ll]égislature)"
                      r"|^\*\*[^\s*][^*\n]{0,200}\*\*", re.M)),
    # (markdownify's strong_em_symbol="_")
    ("__", re.compile(r"__(?:Texte de la|Question|\d{1,2}(?:e|ème) [Ll]égislature)"
                      r"|^__[^\s_][^_\n]{0,200}__", re.M)),
    ("---", _MD_TABLE_RULE),
    ("\n---", re.compile(r"^[ ]*-{3,}[ ]*\n[^\n]* \| ", re.M)),
    # pandoc's fenced divs and spans
    (":::", re.compile(r"^:::[ ]?(?:\{[.#}]|[\w-]+[ ]*$)", re.M)),
    ("]{", re.compile(r"\]\{[.#]")),
)


def shows_markdown(text: str) -> bool:
    """Whether a page's text is Markdown (``_MD_SIGNS``: two kinds, or three of one)."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    kinds = 0
    for sign, rx in _MD_SIGNS:
        if sign in text:
            found = sum(1 for _ in itertools.islice(rx.finditer(text), 3))
            kinds += found > 0
            if found >= 3 or kinds >= 2:
                return True
    return False


def markdown_undone(text: str) -> str:
    """A page as Markdown (html2text, markdownify) as its text reads: links and images as
    their text, emphasis, escapes and headings' "#"s dropped, "* * *" blanks, a table's cells
    a tab apart (as a browser copies them). Same length, same number of lines: what is
    dropped is made blanks at the end of its paragraph, and the line breaks inside a link's
    wrapped address follow that paragraph (its lines after the link are read a line or two
    higher than they stand)."""
    # (a CR before a line's end is kept there, out of the Markdown read)
    return _line_ends_kept(_markdown_undone, text)


def _markdown_undone(text: str) -> str:
    if _DROPPED in text or _MOVED in text:
        return text
    if "][" in text:
        text = _MD_REF_LINK.sub(lambda m: (_DROPPED if m.group(0)[0] == "!" else "") + _DROPPED
                                + m.group(1) + _DROPPED * (len(m.group(0)) - len(m.group(1))
                                                           - 1 - (m.group(0)[0] == "!")), text)
    if "]:" in text:
        text = _MD_REF_DEFINITION.sub(lambda m: "".join(_MOVED if c == "\n" else _DROPPED
                                                        for c in m.group(0)), text)
    # (read before its signs are undone; its spans, superscripts, raw lines and escapes are
    # read in its Markdown only: elsewhere "2^10^3", "<Texte>" are the text's own)
    pandoc = _PANDOC.search(text) is not None
    spans = pandoc and "]{" in text
    smart = pandoc and _SMART_WRITTEN.search(text) is not None
    for _ in range(4):      # (the inner first: an image inside a link, "[![alt](image)](…)",
        text, found = _MD_LINK.subn(_link_text, text)      # a span inside a link, a link in
        if spans:                                           # a span, a span in a span)
            text, more = _MD_SPAN.subn(_link_text, text)
            found += more
        if not found:
            break
    if "<img" in text or "<IMG" in text:
        text = _MD_IMG.sub(_image_text, text)
    if pandoc and "^" in text:
        text = _MD_SUPERSCRIPT.sub(_link_text, text)
    # (pandoc's only: in html2text's or markdownify's Markdown a line "<Texte non
    # communiqué>" is the text's own, which pandoc would have escaped, "\\<Texte")
    # (blanked but for the line breaks of a wrapped link or image read before, which follow
    # its paragraph: a blank for one lost a line)
    if pandoc and (":::" in text or "<" in text or "```" in text):
        text = _MD_DIV.sub(lambda m: re.sub("[^\n" + _MOVED + "]", " ", m.group(0)), text)
    if "---" in text:
        text = _MD_SIMPLE_RULE.sub(lambda m: " " * len(m.group(0)), text)
    # (a curly quote in a link's title, an attribute or a raw HTML line is written as it
    # is, smart or not: looked for in the text once those are dropped)
    if smart and _SMART_LITERAL.search(text) is None:
        text = _SMART.sub(_smart, text)
    text = (_PANDOC_MARKS if pandoc else _MD_MARKS).sub(lambda m: _DROPPED * len(m.group(0)), text)
    for mark, pair in _MD_PAIRS:
        if mark in text:
            text = pair.sub(lambda m, n=len(mark): _DROPPED * n + m.group(0)[n:-n] + _DROPPED * n,
                            text)
    text = _MD_LONE.sub(lambda m: m.group(0)[:-1] + _DROPPED, text)
    text = _MD_RULE.sub(lambda m: " " * len(m.group(0)), text)
    if "|" in text and "---" in text:
        text = _md_tables(text)
    text = _MD_BREAK.sub(lambda m: " " * len(m.group(0)), text)
    # what was dropped is owed to the paragraph's end: blanks after its last line, and the
    # line breaks a link's address held after them (inside a paragraph, a run of blanks
    # would stand between two words of a phrase, a break would make two paragraphs of one)
    lines = text.split("\n")
    owed_blanks = owed_breaks = 0
    for i, line in enumerate(lines):
        dropped, moved = line.count(_DROPPED), line.count(_MOVED)
        if dropped or moved:
            line = line.replace(_DROPPED, "").replace(_MOVED, "")
            owed_blanks, owed_breaks = owed_blanks + dropped, owed_breaks + moved
        if owed_blanks or owed_breaks:
            if i + 1 == len(lines) or not lines[i + 1].strip(" \t" + _DROPPED + _MOVED):
                line += " " * owed_blanks + "\n" * owed_breaks
                owed_blanks = owed_breaks = 0
        lines[i] = line
    return "\n".join(lines)


def _link_text(m: "re.Match[str]") -> str:
    """A link as its text (an image as its alt text), the rest of it dropped; the line
    breaks of its address and title moved after it."""
    inner = m.group(2)
    whole = m.group(0)
    rest = len(whole) - len(inner)
    breaks = whole.count("\n") - inner.count("\n")
    return inner + _DROPPED * (rest - breaks) + _MOVED * breaks


def _md_tables(text: str) -> str:
    """Each Markdown table's rows (its first above its rule, and any line between "|"s), with
    their cells a tab apart; its rule blanks."""
    lines = text.split("\n")
    in_table = [bool(_MD_PIPED_ROW.match(line)) for line in lines]
    for i, line in enumerate(lines):
        # (a table of one column has a rule of one: "---", a row of cells after it)
        if _MD_TABLE_RULE.match(line) or (_MD_ONE_RULE.match(line) and i + 1 < len(lines)
                                          and " | " in lines[i + 1]):
            in_table[i] = True
            if i > 0:
                in_table[i - 1] = True
            k = i + 1
            while k < len(lines) and lines[k].strip():   # (a row without a cell too)
                in_table[k] = True
                k += 1
    for i, line in enumerate(lines):
        if in_table[i]:
            if _MD_TABLE_RULE.match(line) or _MD_ONE_RULE.match(line):
                lines[i] = " " * len(line)
            else:
                lines[i] = _md_row(line)
    return "\n".join(lines)


def _md_row(line: str) -> str:
    """A table's row: its cells a tab apart, the "|"s at its ends blanks (a label then starts
    its line, as in a browser's copy)."""
    body = line.rstrip()
    tail = line[len(body):]
    lead = len(body) - len(body.lstrip())
    body = body[lead:]
    if body.startswith("|"):
        body = " " + body[1:]
    if body.endswith("|") and len(body) > 1:
        body = body[:-1] + " "
    body = body.replace(" | ", " \t ").replace("| ", "\t ").replace(" |", " \t")
    return line[:lead] + body + tail


# -- tables drawn with borders (w3m) ----------------------------------------------------------------

class _Grid(NamedTuple):
    """How a text browser draws a table's borders.

    signs      strings one of which a text holding such a table holds (a quick look first)
    rule       a search for a line of the grid between two rows
    line       a line of the table: a row or a rule
    verticals  the characters of a border between two cells
    is_rule    whether a line of the table is a rule
    blank      the border characters to blank in a row once its cells are read, if any
    """

    signs: Tuple[str, ...]
    rule: "re.Pattern[str]"
    line: "re.Pattern[str]"
    verticals: FrozenSet[str]
    is_rule: Callable[[str], bool]
    blank: Optional["re.Pattern[str]"]


_HORIZONTAL = frozenset("─━═┄┅┈┉╌╍")


def _is_box_rule(line: str) -> bool:
    """A line of box characters only, a horizontal line among them (a line of vertical bars
    and blanks is a blank line inside a row: a paragraph break in a cell)."""
    return (not any(c not in " \t" and not "\u2500" <= c <= "\u257f" for c in line)
            and any(c in _HORIZONTAL for c in line))


# (a rule of ASCII characters: "+-----+", "|-----+-----|", "+=====+")
_ASCII_RULE = re.compile(r"^[ \t]*[+|][-=]{3,}(?:\+[-=]{3,}){0,40}[+|][ \t]*\r?$", re.M)

_GRIDS: Tuple[_Grid, ...] = (
    # box-drawing characters (w3m, elinks, in a UTF-8 terminal)
    _Grid(("│", "┃", "║"), _BOX, re.compile(r"[ \t]*[\u2500-\u257f]"),
          frozenset("│┃║┆┇┊┋╎╏"), _is_box_rule, _BOX),
    # ASCII (w3m in a Latin-1 or ASCII terminal, links): "+---+" above and below, "|" between
    # cells; a "-" or "|" in a cell's text is the text's own, never blanked
    _Grid(("---+",), _ASCII_RULE, re.compile(r"[ \t]*(?:\|.*\||\+[-=]{3,}.*\+)[ \t]*\Z"),
          frozenset("|"), lambda line: _ASCII_RULE.match(line) is not None, None),
)


def _bordered_tables(text: str, grid: _Grid) -> str:
    # (read without the CR of CRLF line ends: ``_line_ends_kept``)
    lines = text.split("\n")
    out: List[str] = []
    i = 0
    while i < len(lines):
        if not grid.line.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        row: List[str] = []
        while i < len(lines) and grid.line.match(lines[i]):
            if grid.is_rule(lines[i]):
                out.extend(_row(row, grid))
                out.append(" " * len(lines[i]))
                row = []
            else:
                row.append(lines[i])
            i += 1
        out.extend(_row(row, grid))
    return "\n".join(out)


def _row(lines: List[str], grid: _Grid) -> List[str]:
    """The lines of one row of a bordered table, rewritten: its cells one after another
    (tab-separated, a cell's lines joined, a blank line in a cell kept as a paragraph break),
    in the same number of lines and characters."""
    if not lines:
        return []
    bars = [i for i, c in enumerate(lines[0]) if c in grid.verticals]
    if len(bars) < 2:
        return lines
    cells = []
    for left, right in zip(bars, bars[1:]):
        width = right - left - 1
        out: List[str] = []
        before = 0           # the length of the cell's line before, 0 after a blank one
        for line in lines:
            piece = line[left + 1:right].strip() if len(line) > left else ""
            if not piece:
                if out and before:
                    out.append("\n\n")
                before = 0
                continue
            if before:
                # the cell was wrapped there when this line's first word did not fit on the
                # line before, or after a compound's hyphen ("Meurthe-et-" then "Moselle");
                # else the line break is the page's own
                fits = before + 1 + len(piece.split(None, 1)[0]) <= width
                out.append("" if HYPHEN_END.search(out[-1]) else "\n" if fits
                           else "" if broken_at_slash(out[-1], piece) else " ")
            out.append(piece)
            before = len(piece)
        cells.append("".join(out).strip("\n"))
    content = "\t".join(c for c in cells)
    size = sum(len(line) for line in lines) + len(lines) - 1
    breaks = content.count("\n")
    if breaks > len(lines) - 1:
        # more breaks than the row has lines (its cells' breaks add up): each paragraph a
        # line, and if that is still too many, none; more lines than the row's shifted the
        # text below it, and its last lines were lost
        content = content.replace("\n\n", "\n")
        breaks = content.count("\n")
        if breaks > len(lines) - 1:
            content, breaks = content.replace("\n", " "), 0
    room = size - len(content) - (len(lines) - 1 - breaks)
    if room < 0:          # cannot happen (the borders alone leave room): leave the row
        return lines
    rewritten = content + " " * room + "\n" * (len(lines) - 1 - breaks)
    if rewritten.count("\n") != len(lines) - 1:    # (never: the row is then left as it is)
        return lines
    if grid.blank is None:
        return rewritten.split("\n")
    return [grid.blank.sub(lambda m: " " * len(m.group(0)), line) for line in rewritten.split("\n")]


# -- a label beside its cell, centred in it (inscriptis and other borderless layouts) ----------

# a body's heading with text beside it on its line, after a gap: the cells of a row side by side
_CELL_BESIDE = re.compile(r"(?:Texte[ ]de[ ]la[ ](?:QUESTION|REPONSE|RÉPONSE|question|réponse)|"
                          r"D[EÉ]BAT)[ ]{0,3}:?[ ]{2,}\S")


def _centred_labels(text: str, body_label: "re.Pattern[str]",
                    is_label: Callable[[str], bool]) -> str:
    """Move each body heading that a layout centred beside its body to the body's first line.

    The heading stands in the left column of a two-column row, its body in the right column,
    from column ``x``. The body's row runs from the first line after the row above (a line
    with something in the left column, or a label) down to the last line of the right column;
    a centred heading stands in the middle of it: the row starts at ``2 * line - end`` at the
    latest. The heading is moved to the row's first line (same characters, same lines)."""
    lines = text.split("\n")
    found = []
    for n, line in enumerate(lines):
        m = body_label.match(line)
        if m is None:
            continue
        gap = re.match(r"[ ]{2,}", line[m.end():])
        if gap is not None and m.end() + gap.end() < len(line.rstrip()):
            found.append((n, m.end() + gap.end()))       # its body's text beside it
        elif not line[m.end():].strip():
            # nothing beside it (a blank line of its cell): the column is where the text of
            # the lines around starts, beyond the heading
            x = next((len(near) - len(near.lstrip(" ")) for near in (
                lines[k] for k in (n - 1, n + 1) if 0 <= k < len(lines))
                if near.strip() and len(near) - len(near.lstrip(" ")) >= m.end()), None)
            if x is not None:
                found.append((n, x))
    for n, x in reversed(found):
        def beside(k):   # a line of the right column only, at the same column
            line = lines[k]
            return len(line) > x and not line[:x].strip() and not is_label(line[x:])

        start = n
        while start - 1 >= 0 and (beside(start - 1) or not lines[start - 1].strip()):
            start -= 1
        while start < n and not lines[start].strip():
            start += 1
        end = n
        while end + 1 < len(lines) and beside(end + 1):
            end += 1
        first = max(start, 2 * n - end)
        if first < n and len(lines[first]) >= x:
            head = lines[n][:x]
            lines[first] = head + lines[first][x:]
            lines[n] = " " * x + lines[n][x:]
    return "\n".join(lines)


# -- cells side by side, wrapped in their columns, no border (w3m) --------------------------------

# the signs of a row of cells side by side: a label, its value (or none), a gap, and another
# label on the same line ("Rubrique > transports Tête d'analyse > lignes     Analyse > desserte.",
# "Rubrique >          Analyse > ligne C."); the number's label with a cell beside it, after a
# gap on its line ("N° : 1204  citoyen") or on the line below ("1204     - Gironde )", or
# indented past the label: "          républicaine - Val-de-Marne )"); a label's separator
# wrapped to the next line ("Tête d'analyse" over "> RER"). (Patterns apart: the regex engine
# finds each from its first characters, far faster than their alternation.)
_CELLS_BESIDE = re.compile(r"(?m)^[ ]{0,40}\S[^\n]{0,200}?[>:](?:[^\n]{0,200}\S|)[ ]{2,200}"
                           r"\S[^\n>:]{0,60}[>:]")
_ROW_SIGNS = (_CELLS_BESIDE,
              re.compile(r"N°[^\n]{0,40}?\S[ ]{2,60}\S"
                         r"|N°[^\n]{0,200}\n(?:[ ]{4,60}|[^\n]{0,60}?\S[ ]{2,60})\S"),
              re.compile(r"\n[ ]{0,60}[>:] "))


def _side_by_side(text: str, is_label: Callable[[str], bool], signs: List[int]) -> str:
    """Read the rows of a borderless table whose cells a text browser laid side by side, a
    cell wrapped in its column over the row's lines (same characters, same lines), where a
    row's sign was found (at the offsets ``signs``, in order).

    A row is a block of lines (up to a blank line, or a line that starts with a label of its
    own) whose columns are blank on every line of it (see ``_bounds``). It is read cell after
    cell when two of its cells, read whole (each column's pieces joined), start with a label.
    A label in the column the lines above leave blank is on the row's line ("Question N° :
    812" centred beside the author's cell); a line above that cuts the row's columns is not
    of the row ("13ème législature" over the header row)."""
    lines = text.split("\n")
    n = at = before = 0
    for sign in signs:
        at, before = at + text.count("\n", before, sign), sign      # the sign's line
        if at < n:
            continue
        # (blocks read from the blank line above the sign, as a reading of the whole would,
        # and not again)
        read, n = n, at
        while n > read and lines[n - 1].strip() and at - n < 8:
            n -= 1
        while n <= at:
            n = _read_block(lines, n, is_label)
    return "\n".join(lines)


def _read_block(lines: List[str], n: int, is_label: Callable[[str], bool]) -> int:
    """Read the block of lines that starts at line ``n`` as a row, if it is one; the line
    after it."""
    if not lines[n].strip():
        return n + 1
    end = _block_end(lines, n, is_label)
    while end + 1 < len(lines) and lines[end + 1].strip() and end + 1 - n < 8 \
            and _centred_beside(lines, n, end + 1, is_label):
        end = _block_end(lines, end + 1, is_label, n)
    if end > n and _apart(lines[n:end + 1]):
        start = n + _lines_above(lines[n:end + 1], is_label)
        block = lines[start:end + 1]
        bounds = _columns(block, is_label)
        if bounds:
            lines[start:end + 1] = _read_cells(block, bounds)
    return end + 1


def _block_end(lines: List[str], k: int, is_label: Callable[[str], bool],
               n: Optional[int] = None) -> int:
    """The last line of the block that goes on from line ``k`` (begun at line ``n``): up to
    a blank line, or a line that starts with a label (a line of its own), 8 lines at most."""
    n = k if n is None else n
    end = k
    while end + 1 < len(lines) and lines[end + 1].strip() and end + 1 - n < 8 \
            and not is_label(lines[end + 1].lstrip()):
        end += 1
    return end


def _centred_beside(lines: List[str], n: int, k: int, is_label: Callable[[str], bool]) -> bool:
    """Line ``k``, which starts with a label, is a cell centred beside the cells of a row
    begun above it, at line ``n`` or below: its label stands where the row's lines above are
    blank, no lower than the row's middle, and the block with it, and the lines that go on
    below it, reads as a row."""
    line = lines[k]
    block = lines[n:_block_end(lines, k, is_label, n) + 1]
    row = block[_lines_above(block, is_label):]
    at = len(row) - (len(block) - (k - n))        # line k in the row
    if not 0 < at <= len(row) - 1 - at:
        return False
    # (the row's lines above line k only: a line of its own above the row, "13ème
    # législature" with no blank line under it (links), is not the left column's)
    left = min((_indent(upper) for upper in row[:at] if upper.startswith(" ")), default=0)
    return (left >= 2 and line[left - 1:left] == " " and bool(line[:left].strip())
            and bool(line[left:].strip()) and not any(upper[:left].strip() for upper in row[:at])
            and bool(_columns(row, is_label)))


def _lines_above(block: List[str], is_label: Callable[[str], bool]) -> int:
    """How many of the block's first lines are lines of their own above a row."""
    k = 0
    while len(block) - k > 2 and _not_of_the_row(block[k:], is_label):
        k += 1
    return k


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _apart(block: List[str]) -> bool:
    """Some text apart on a line, or lines starting at different columns: maybe columns (a
    paragraph has neither)."""
    return (any("  " in line.strip() for line in block)
            or len({_indent(line) for line in block}) > 1)


def _not_of_the_row(block: List[str], is_label: Callable[[str], bool]) -> bool:
    """The block's first line is a line of its own above a row: it runs across a column of the
    lines below it, or it starts with a label in their first column, whose cell starts with a
    label too (a cell holds one label)."""
    first, below = block[0], block[1:]
    bounds = _bounds(below, is_label)
    if not bounds:
        return False
    return (not set(bounds) <= set(_bounds(block, is_label))
            or _indent(first) < bounds[0] and is_label(first)
            and is_label(_cells(below, bounds)[0]))


_TEXT_RUN = re.compile("[^ ]+")


def _bounds(block: List[str], is_label: Callable[[str], bool]) -> List[int]:
    """Where the block's columns start (after the first): after a run of columns blank on
    every line, two wide at least, or one before a label (on a line, or in the cell read
    whole: "Question au" over "gouvernement") or before the text of a line that blanks bring
    to it (a short line of the cell before, padded: "1204          divers"; a text browser's
    row fits its screen: 200 columns at most)."""
    if any(len(line) > 200 for line in block):
        return []
    runs = sorted((m.start(), m.end()) for line in block for m in _TEXT_RUN.finditer(line))
    gaps = []           # where text starts after a run of blank columns, and the run's width
    end = runs[0][1]
    for a, b in runs:
        if a > end:
            gaps.append((a, a - end))
        end = max(end, b)
    nexts = [a for a, _ in gaps[1:]] + [end]
    # a row has a few cells: a block whose lines share many single blanks (text justified,
    # words lined up) is no row of them, and each would be read for a label
    ones = sum(width == 1 for _, width in gaps) <= _MOST_ONE_BLANK_EDGES
    return [a for (a, width), after in zip(gaps, nexts)
            if width >= 2 or ones and _edge_after_one_blank(block, a, after, is_label)]


_MOST_ONE_BLANK_EDGES = 24


def _edge_after_one_blank(block: List[str], a: int, after: int,
                          is_label: Callable[[str], bool]) -> bool:
    """A column starts at ``a`` (and goes on to ``after`` at most) after a single blank: a
    line's text there comes after two blanks or more, or at its start (padded to it), or is a
    label; or the column's pieces joined are one."""
    return (any(line[a:a + 1].strip() != ""
                and (line[max(a - 2, 0):a] == "  " or _indent(line) == a or is_label(line[a:]))
                for line in block)
            or is_label(_joined(block, a, after)))


def _columns(block: List[str], is_label: Callable[[str], bool]) -> List[int]:
    """Where the block's columns start (after the first), or [] when it is not a row of
    cells side by side."""
    starts = _bounds(block, is_label)
    if not starts:
        return []
    cells = _cells(block, starts)
    if sum(map(is_label, cells)) < 2:
        return []
    # a cell wrapped in its column leaves text beyond the first column on a line below; a
    # paragraph wrapped at the page's width (lynx) does not
    beyond = any(line[starts[0]:].strip() for line in block[1:])
    return starts if beyond else []


def _cells(block: List[str], starts: List[int]) -> List[str]:
    """The block's cells, each column's pieces joined."""
    bounds = zip([0] + starts, starts + [max(len(line) for line in block)])
    return [_joined(block, a, b) for a, b in bounds]


def _joined(block: List[str], a: int, b: int) -> str:
    """The pieces of the block's lines between columns ``a`` and ``b``, joined (a word cut
    after its hyphen, a token broken at a slash, glued: as a bordered cell's, ``_row``)."""
    out = ""
    for line in block:
        piece = line[a:b].strip()
        if piece:
            glued = not out or HYPHEN_END.search(out) or broken_at_slash(out, piece)
            out += ("" if glued else " ") + piece
    return out


def _read_cells(block: List[str], starts: List[int]) -> List[str]:
    content = "\t".join(c for c in _cells(block, starts) if c)
    size = sum(len(line) for line in block) + len(block) - 1
    room = size - len(content) - (len(block) - 1)
    if room < 0:
        return block
    return (content + " " * room + "\n" * (len(block) - 1)).split("\n")
