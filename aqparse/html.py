"""html: saved pages of questions.assemblee-nationale.fr, every layout, into the same records.

The layout of a page is found by itself (``LAYOUTS``, tried in order: markers in the source,
then the element the question starts at) and its question region is turned into the tokens of
the text path, so that the one extractor (``extract.extract``) builds the record:

- ``fiche``: the old "FICHE QUESTION" pages (legislatures 7-11). The data is in made-up
  elements (``<NUM>``, ``<AUT>``, ``<DPQ>``…); each becomes a token (``FICHE_FIELDS``). A hidden
  block at the end holds codes no reader sees: the group abbreviation, the region, the
  closure code.
- ``table`` (the 2010s), ``question_col`` (legislatures 14-16) and ``dyn`` (the current
  ``/dyn/<legislature>/questions/<uid>`` pages): label and value stand side by side. The region
  is cut into fields (the smallest blocks holding text) and bodies (the question and answer
  texts, which the layout's ``role`` names); the fields are read by the tokenizer, as a browser
  copy of the page would be, and each body becomes the value of the body label before it
  (``Texte de la question``, ``Réponse publiée le …``).

Bodies follow ``markup``'s convention (paragraphs, tables as tab-separated rows). Token lines
are the page's source lines, so defects and ``strict`` errors point into the HTML.

lxml reads the pages (only the question region of the large ones). bs4 is used where lxml
cannot: when the source shows a question layout but lxml's tree does not (libxml2 swallows a
page after an unclosed ``<title>``, for one), the page is read again through
``lxml.html.soupparser`` (BeautifulSoup's ``html.parser``).

Speed (benchmarks/bench_html.py): the tree is of plain ``lxml.etree`` elements (lxml.html's
classes cost a Python lookup per element touched); a region is walked once to tell its
containers, its line breaks and whether anything in it needs markup's own reading; a field's
text comes from libxml2 at once (``string()``) and is cleaned with str methods; the layouts'
anchors are found by walking the tree, cheaper than evaluating an XPath. What a page costs
beyond that is lxml's parse, ``decode`` and ``extract``.
"""

import functools
import itertools
import re
from typing import Callable, Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

import attrs
import lxml.etree
from lxml.html.defs import tags as _HTML_TAGS

from .text import is_question
from .decode import clean_value
from .errors import InternalError, ParseError, excerpt, raise_for
from .extract import BODY_TOKENS, clean_body_lines as _clean_body, extract, status_with_closure
from . import markup
from .markup import _BLOCKS as markup_blocks, _SKIP as markup_skip, PARAGRAPH, html5_breaks
from .records import CLOSURE_LABELS, Author, Closure, Defect, Question, Source
from .tokenize import RULES, Token, tokenize

# huge_tree: without it libxml2 silently drops everything nested deeper than 256 elements,
# which the unclosed <B> and <FONT> of old pages can reach. Plain etree elements: lxml.html's
# classes cost a Python lookup for every element the code touches.
_PARSER = lxml.etree.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
# all the text below an element, in C (what lxml.html's ``text_content()`` is)
_STRING = lxml.etree.XPath("string()", smart_strings=False)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")

_BLOCKS = frozenset("address article aside blockquote center dd div dl dt fieldset figure "
                    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p section table "
                    "tbody thead tfoot tr td th ul".split())
# not part of a question: code, and the controls of the page ("Être alerté(e) de la réponse")
_SKIP = frozenset("script style noscript template form button input select textarea".split())
_HIDDEN = re.compile(r"visibility\s*:\s*hidden|display\s*:\s*none", re.I)


def _classes(el) -> Sequence[str]:
    return (el.get("class") or "").split()


def _has_class_name(el, name: str) -> bool:
    """``name in _classes(el)``, without splitting the attribute of most elements."""
    value = el.get("class")
    return value is not None and name in value and name in value.split()


def _hidden(el) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN.search(el.get("style") or ""))


# -- text: markup's convention, at a fraction of its cost -----------------------------------------
# ``markup.element_text`` and ``nodes_text`` give the text of an element; these give the same
# text (tests/test_html_speed.py checks it), faster: an element without children is its own
# text, and the text is cleaned a line at a time with str methods, where ``decode.clean_body``
# runs regexes over the whole text (most of the time of a long answer). Tables, comments and
# what markup leaves out (script, title…) are rare in a question: such an element is read by
# markup itself. The walk recurses an element at a time, as markup's does, so a page nested
# too deeply still fails the same way (``parse_many``).

_TEXT_BLOCKS = markup_blocks
# what only markup reads: tables, what it leaves out, its blocks that are not the region's
# (<pre>: a field holding one is not one line); and comments, processing instructions
_MARKUP_ONLY = frozenset(("table",)) | markup_skip | (markup_blocks - _BLOCKS)


def _flow(text: str) -> str:
    # a newline in the HTML source is just a blank; only elements break lines
    return text.replace("\r", " ").replace("\n", " ")


def _only_markup_reads(node) -> bool:
    """Whether ``node`` is a table, a comment, a script… (what only markup reads)."""
    return not isinstance(node.tag, str) or node.tag in _MARKUP_ONLY


def _markup_only(el) -> bool:
    """Whether ``el`` holds what only markup reads."""
    # (a walk: lxml's iterators filtered by many tags cost more than they save here)
    return any(map(_only_markup_reads, el.iterdescendants()))


def element_text(el, plain: bool = False) -> Optional[str]:
    """``markup.element_text(el)``: the text of ``el``'s content. ``plain``: ``el`` is known
    to hold nothing that only markup reads."""
    text = el.text
    if not len(el):
        return _clean_body(_flow(text)) if text else None
    if not plain and _markup_only(el):
        return markup.element_text(el)
    out: List[str] = [_flow(text)] if text else []
    for child in el:
        _walk(child, out)
    return _clean_body("".join(out))


def nodes_text(nodes: Sequence, text: Optional[str] = None, plain: bool = False) -> Optional[str]:
    """``markup.nodes_text(nodes, text)``: the text of sibling nodes (and their tails) after
    ``text``."""
    if not plain and any(_only_markup_reads(n) or _markup_only(n) for n in nodes):
        return markup.nodes_text(nodes, text)
    out: List[str] = [_flow(text)] if text else []
    for node in nodes:
        _walk(node, out)
    return _clean_body("".join(out))


def _walk(node, out: List[str]) -> None:
    """markup's walk, of a node holding no table, comment nor left-out element."""
    tag = node.tag.lower()
    if tag == "br":
        out.append("\n")
    else:
        block = tag in _TEXT_BLOCKS
        if block:
            out.append(PARAGRAPH)
        text = node.text          # (each reading of it makes a new str)
        if text:
            out.append(_flow(text))
        for child in node:
            _walk(child, out)
        if block:
            out.append(PARAGRAPH)
    tail = node.tail
    if tail:
        out.append(_flow(tail))


# -- the page cut into fields and bodies -----------------------------------------------------------

class Field(NamedTuple):
    text: str
    line: Optional[int]                      # the source line of its first line of text
    breaks: Tuple[Optional[int], ...] = ()   # the source lines of the next ones (<br>)


class Body(NamedTuple):
    text: Optional[str]
    line: Optional[int]


Part = Union[Field, Body]
Role = Callable[[object], Optional[str]]   # element -> 'skip' | 'body' | 'heading' | None


def _cut(elements: Sequence, role: Role) -> List[Part]:
    """Fields and bodies of ``elements``, in page order. ``role`` names the elements that are a
    body ('body'), a heading whose following siblings are a body ('heading'), or to be left
    out ('skip')."""
    for el in elements:
        _prune(el)
    survey = _survey(elements)
    parts: List[Part] = []
    for el in elements:
        _collect(el, role, parts, survey)
    return parts


class Survey(NamedTuple):
    """What one walk of a region tells of its elements."""
    containers: set      # those holding a block (the others are read as one field)
    with_br: set         # those holding a <br>
    plain: bool          # nothing in the region is read by markup alone (tables, comments…)


def _survey(elements: Sequence) -> Survey:
    containers: set = set()
    with_br: set = set()
    plain = True
    for top in elements:
        for el in top.iterdescendants():
            tag = el.tag
            if tag in _BLOCKS:
                _mark_ancestors(el, top, containers)
            elif tag == "br":
                _mark_ancestors(el, top, with_br)
            if plain and (tag in _MARKUP_ONLY or tag.__class__ is not str):
                plain = False       # (a comment's tag is a function)
    return Survey(containers, with_br, plain)


def _mark_ancestors(el, top, found: set) -> None:
    """Add ``el``'s ancestors up to ``top`` to ``found`` (up to the first one already in)."""
    parent = el.getparent()
    while parent not in found:
        found.add(parent)
        if parent is top:
            return
        parent = parent.getparent()


# what ``_prune`` looks at, in one pass of libxml2 (an attribute found stands for its element)
_PRUNE = lxml.etree.XPath(" | ".join(f"descendant::{tag}" for tag in sorted(_SKIP))
                          + " | descendant::*/@hidden | descendant::*/@style")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _drop_tree(el) -> None:
    """The element gone, its tail kept (lxml.html's ``drop_tree``)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _drop_keeping_tail(el) -> None:
    parent, previous = el.getparent(), el.getprevious()
    tail = el.tail or ""
    if previous is not None:
        previous.tail = _CONTROL.sub(" ", (previous.tail or "")) + tail
    else:
        parent.text = _CONTROL.sub(" ", (parent.text or "")) + tail
    parent.remove(el)


def _prune(region) -> None:
    """Drop what a reader does not see as text of the question (controls, code, hidden
    elements), keeping the text that follows them."""
    if not len(region):
        return
    for found in _PRUNE(region):
        el = found.getparent() if isinstance(found, str) else found
        if (el.tag in _SKIP or _hidden(el)) and el.getparent() is not None:
            try:
                _drop_tree(el)
            except ValueError:
                # a control character in the text around it, which lxml parses but will not
                # set again: the element goes, its tail is kept without them (found by fuzzing)
                el.tail = _CONTROL.sub(" ", el.tail or "")
                _drop_keeping_tail(el)


def _collect(el, role: Role, parts: List[Part], survey: Survey) -> bool:
    """Add ``el``'s parts; True when ``el`` was a heading (its siblings are taken)."""
    if not isinstance(el.tag, str):
        return False
    kind = role(el)
    if kind == "skip":
        return False
    if kind == "body":
        parts.append(Body(element_text(el, survey.plain), el.sourceline))
        return False
    if kind == "heading":
        parts.append(Field(element_text(el, survey.plain) or "", el.sourceline))
        parts.append(Body(nodes_text(list(el.itersiblings()), el.tail, survey.plain),
                          el.sourceline))
        return True
    if el not in survey.containers:
        _add_field(el, parts, survey)
        return False
    # a container: runs of text and inline elements between its blocks are fields too
    run_text, run = el.text, []
    for child in el:
        if isinstance(child.tag, str) and (child.tag in _BLOCKS or role(child)):
            if run or run_text and not run_text.isspace():
                _flush(run_text, run, el, parts, survey.plain)
            if _collect(child, role, parts, survey):
                return False
            run_text, run = child.tail, []
        else:
            run.append(child)
    _flush(run_text, run, el, parts, survey.plain)
    return False


def _add_field(el, parts: List[Part], survey: Survey) -> None:
    """An element holding no block: one field, a line per ``<br>``."""
    own = el.text
    if not len(el) and el.tag != "br":        # most of them: a label, a value
        text = _clean_body(_flow(own)) if own else None
        if text:
            parts.append(Field(text, _text_line(el.sourceline, own)))
        return
    brs = list(el.iter("br")) if el in survey.with_br or el.tag == "br" else []
    # inline elements only: their text is all the text below, which libxml2 gives at once
    text = _clean_body(_flow(_STRING(el))) if survey.plain and not brs \
        else element_text(el, survey.plain)
    if text:
        parts.append(Field(text, _text_line(el.sourceline, own),
                           tuple(_text_line(br.sourceline, br.tail) for br in brs)))


def _flush(text: Optional[str], run: list, parent, parts: List[Part], plain: bool) -> None:
    if not run and not (text and text.strip()):
        return
    found = nodes_text(run, text, plain)
    if found:
        line = next((n.sourceline for n in run if n.sourceline), parent.sourceline)
        parts.append(Field(found, line))


def _tokens(parts: Sequence[Part]) -> List[Token]:
    """The fields read by the tokenizer, a run at a time; each body becomes the value of the
    (empty) body label that precedes it."""
    tokens: List[Token] = []
    run: List[Field] = []
    for part in parts:
        if isinstance(part, Field):
            run.append(part)
            continue
        tokens.extend(_read_fields(run))
        run = []
        last = tokens[-1] if tokens else None
        if last is not None and last.name in BODY_TOKENS and not last.value.strip():
            tokens[-1] = last._replace(value=part.text or "")
        elif part.text:           # a body under no label: kept, and reported by the extractor
            tokens.append(Token("unlabelled", "", part.text, 0, 0, part.line))
    tokens.extend(_read_fields(run))
    return tokens


def _cleaned_bodies(tokens: List[Token]) -> List[Token]:
    """``tokens`` with the values of their bodies cleaned as a ``Body``'s text is: ``extract``
    is told every body is clean, and does not clean one again (a long answer's cost)."""
    for i, t in enumerate(tokens):
        if t.name in BODY_TOKENS and t.value:
            tokens[i] = t._replace(value=_clean_body(t.value) or "")
    return tokens


def _text_line(line: Optional[int], text: Optional[str]) -> Optional[int]:
    """The source line where ``text`` (starting on ``line``) has its first visible character."""
    if line is None or not text or not text.strip():
        return line
    return line + text.count("\n", 0, len(text) - len(text.lstrip()))


# A field that is one label, its separator and a value on one line ("Ministère interrogé >
# Culture") needs the tokenizer only for its label, which pages repeat: that reading is
# remembered and the rest of the line is the value. Other fields, and labels that a rule
# after them depends on (``Rule.after``), are read by the tokenizer a run at a time.
_HEAD = re.compile(r"[^\n>:]{1,60}?[ ]{0,3}[>:]")
_CONTEXT = frozenset(name for rule in RULES for name in rule.after)
_OPENS = frozenset(rule.name for rule in RULES if rule.opens)


def _label_of(head: str) -> Optional[str]:
    """The token name when ``head`` is exactly one known label, with no value of its own."""
    tokens = list(tokenize(head))
    if len(tokens) != 1:
        return None
    t = tokens[0]
    if t.name in ("unknown", "unlabelled") or t.value.strip() or t.start != 0 \
            or t.name in _CONTEXT or t.name in _OPENS:
        return None
    return t.name


# The labels the site's layouts show, read once at import: a page read with values no cache
# has seen still knows its labels (each costs a tokenizer run). Other heads are remembered.
_LAYOUT_LABELS = (
    "Ministère interrogé", "Ministère attributaire", "Ministère répondant", "Rubrique",
    "Tête d'analyse", "Analyse", "Titre", "Question publiée au JO le",
    "Réponse publiée au JO le", "Date de changement d'attribution", "Date de signalement",
    "Date de renouvellement", "Question retirée le", "Erratum de la question publié au JO le",
    "Erratum de la réponse publié au JO le", "Auteur", "Type de question",
    "Date de la séance", "Question de")
_LAYOUT_HEADS = {head: _label_of(head) for head in (
    words + separator for words in _LAYOUT_LABELS for separator in (" >", " :", ":"))}


@functools.lru_cache(maxsize=1024)
def _other_label(head: str) -> Optional[str]:
    return _label_of(head)


def _plain_label(head: str) -> Optional[str]:
    name = _LAYOUT_HEADS.get(head, "")
    return _other_label(head) if name == "" else name


def _read_fields(fields: Sequence[Field]) -> List[Token]:
    tokens: List[Token] = []
    run: List[Field] = []
    for field in fields:
        m = _HEAD.match(field.text) if "\n" not in field.text else None
        name = _plain_label(m.group(0)) if m and field.text[m.end():].strip() else None
        if name is None:
            run.append(field)
            continue
        tokens.extend(_tokenize_fields(run))
        run = []
        tokens.append(Token(name, m.group(0), field.text[m.end():], 0, 0, field.line))
    tokens.extend(_tokenize_fields(run))
    return _cleaned_bodies(tokens)


def _tokenize_fields(fields: Sequence[Field]) -> List[Token]:
    """The tokens of ``fields`` read as one text, a field a line (or more, at its ``<br>``),
    with the page's source lines."""
    if not fields:
        return []
    lines: List[Optional[int]] = []
    for field in fields:
        more = field.text.count("\n")
        lines.append(field.line)
        lines.extend(field.breaks[min(i, len(field.breaks) - 1)] if field.breaks else field.line
                     for i in range(more))
    text = "\n".join(f.text for f in fields)
    last = len(lines)
    found = _LAYOUT_RUNS.get(text)
    if found is None:
        found = _tokenized(text)
    return [Token._make((*t[:5], lines[min(t.line, last) - 1])) for t in found]


@functools.lru_cache(maxsize=512)
def _tokenized(text: str) -> Tuple[Token, ...]:
    return tuple(tokenize(text))


# The runs of the layouts' own words, each a field of its own on every page (a body's
# heading), read once at import as the labels are (``_LAYOUT_HEADS``): a page read with
# values no cache has seen knows them still (two runs of the tokenizer a page).
_LAYOUT_RUNS = {text: tuple(tokenize(text))
                for text in ("Texte de la question", "Texte de la réponse")}


# -- markup-only values (not visible on the page) --------------------------------------------------

class Check(NamedTuple):
    """A value the markup gives that the record must agree with (else a defect)."""
    what: str
    expected: str
    seen: Callable[[Dict[str, object]], str]     # the value, from the record's fields
    line: Optional[int]


class Page(NamedTuple):
    tokens: List[Token]
    line: Optional[int]                      # where the question starts in the page
    author: Dict[str, Optional[str]] = {}    # Author fields only the markup gives
    closure: Optional[Closure] = None
    checks: Tuple[Check, ...] = ()


_ACTEUR = re.compile(r"(PA\d+)")


def _acteur_ref(links) -> Dict[str, Optional[str]]:
    """The deputy's identifier from the link to their page (``…/deputes/fiche/OMC_PA334``)."""
    for a in links:
        m = _ACTEUR.search(a.get("data-document-id") or "") or _ACTEUR.search(a.get("href") or "")
        if m:
            return {"acteur_ref": m.group(1)}
    return {}


def _with_markup(page: Page) -> Callable[[Dict[str, object]], None]:
    """What adds to a record's fields what only the markup gives (never over a value the
    page's text gave): ``extract``'s ``complete``."""
    def complete(values: Dict[str, object]) -> None:
        defects = [Defect("hidden-mismatch", f"the page's markup gives {c.what} {c.expected!r} "
                          f"but its text gives {c.seen(values)!r}", c.line)
                   for c in page.checks if c.seen(values) != c.expected]
        if defects:
            values["defects"] = tuple(values["defects"]) + tuple(defects)
        author = values["author"] or Author()
        found = {k: v for k, v in page.author.items() if v and getattr(author, k) is None}
        if found:
            values["author"] = attrs.evolve(author, **found)
        if page.closure is not None:
            values["closure"] = page.closure
            # the hidden code "answer published" is an answer, even where the text lacks it
            values["status"] = status_with_closure(values["answer"], values["withdrawal"],
                                                   page.closure)
    return complete


# -- layout "fiche": the old pages' made-up elements -----------------------------------------------

class FicheField(NamedTuple):
    tags: Tuple[str, ...]     # the elements holding the value (lxml lower-cases them)
    name: str                 # the token name (extract.HANDLERS)
    label: str                # the label the page shows (for messages and ``extra``)


FICHE_FIELDS: Tuple[FicheField, ...] = (
    FicheField(("leg",), "legislature", "législature"),
    FicheField(("num",), "number", "Question N° :"),
    FicheField(("civ", "aut", "groupe", "dept"), "author", "de"),
    FicheField(("nat",), "kind", "Question"),
    FicheField(("ret", "dret", "cret"), "withdrawal", "Question retirée le :"),
    FicheField(("mini",), "ministry_asked", "Ministère interrogé :"),
    FicheField(("mina",), "ministry_assigned", "Ministère attributaire :"),
    FicheField(("dpq", "pgq"), "question_published", "Question publiée au JO le :"),
    FicheField(("dpr", "pgrep"), "answer_published", "Réponse publiée au JO le :"),
    FicheField(("derq", "pgerq"), "erratum_question", "Erratum de la question publié au JO le :"),
    FicheField(("derr", "pgerrep"), "erratum_answer", "Erratum de la réponse publié au JO le :"),
    FicheField(("dsign",), "signalement", "Date de signalement :"),
    # DRAPS is taken for the date of renewal ("rappel"); no page seen so far fills it
    FicheField(("draps",), "renewal", "Date de renouvellement :"),
    FicheField(("dca",), "attribution_change", "Date de changement d'attribution :"),
    FicheField(("rub",), "rubrique", "Rubrique :"),
    FicheField(("tana",), "tete_analyse", "Tête d'analyse :"),
    FicheField(("ana",), "analyses", "Analyse :"),
    FicheField(("quest",), "question_text", "Texte de la QUESTION :"),
    FicheField(("rep", "comprep"), "answer_text", "Texte de la REPONSE :"),
)
# the hidden block: group abbreviation, legislature, closure code, region, answered (O/N)
_FICHE_HIDDEN = ("grp", "nleg", "codret", "reg", "reponse")
# elements that only hold others
_FICHE_CONTAINERS = ("rubriquage", "textes")
_FICHE_TAGS = frozenset(t for f in FICHE_FIELDS for t in f.tags) | frozenset(_FICHE_HIDDEN) \
    | frozenset(_FICHE_CONTAINERS)
_LEG_NUMBER = re.compile(r"\s*(\d{1,2}(?!\d)|[IVXL]{1,6}(?![\w]))")


def _fiche_elements(root) -> Tuple[Dict[str, list], list]:
    """The page's made-up elements in one walk: those of the table (by tag), and the others
    (elements HTML does not know), in page order."""
    values: Dict[str, list] = {}
    unknown = []
    for el in root.iter(lxml.etree.Element):
        tag = el.tag
        if tag in _FICHE_TAGS:
            values.setdefault(tag, []).append(el)
        elif tag not in _HTML_TAGS:
            unknown.append(el)
    return values, unknown


def _value(el) -> str:
    if len(el):
        return clean_value(_STRING(el))
    text = el.text      # (most of them hold their text alone, or nothing)
    return clean_value(text) if text else ""


# -- how a field's elements make its value (the value as the page shows it) --

def _fiche_body(row: Sequence) -> Optional[str]:
    bodies = [element_text(e) for e in row if e is not None]
    return "\n\n".join(b for b in bodies if b) or None


def _fiche_legislature(texts: Sequence[str]) -> str:
    m = _LEG_NUMBER.match(texts[0])
    return m.group(1) if m else texts[0]


def _fiche_author(texts: Sequence[str]) -> str:
    # "M. Nom Prénom (Groupe - Département)"
    civ, aut, group, dept = texts
    paren = f"({group} - {dept})" if dept else f"({group})" if group else ""
    return " ".join(p for p in (civ, aut, paren) if p)


def _fiche_withdrawal(texts: Sequence[str]) -> str:
    _, date, reason = texts
    return f"{date} ({reason})" if reason else date


def _fiche_date_page(texts: Sequence[str]) -> str:
    date, page = texts
    return f"{date} page : {page}" if page else date


_FICHE_VALUES: Dict[str, Callable[[Sequence[str]], str]] = {
    "legislature": _fiche_legislature, "author": _fiche_author,
    "withdrawal": _fiche_withdrawal}


def _fiche_value(field: FicheField, row: Sequence) -> Optional[str]:
    """The token value of ``field`` given its elements (None where one is missing); None
    when the field is empty."""
    if field.name in BODY_TOKENS:
        return _fiche_body(row)
    texts = [_value(e) if e is not None else "" for e in row]
    if not any(texts):
        return None
    read = _FICHE_VALUES.get(field.name)
    if read is not None:
        return read(texts)
    return _fiche_date_page(texts) if len(texts) == 2 else texts[0]


# the fields whose value is the text of one element (what ``_fiche_value`` gives them)
_FICHE_PLAIN = frozenset(f for f in FICHE_FIELDS if len(f.tags) == 1
                         and f.name not in BODY_TOKENS and f.name not in _FICHE_VALUES)


def _fiche_rows(field: FicheField, els: Dict[str, list]) -> Iterator[Sequence]:
    """The elements of each occurrence of ``field`` (a field may repeat), None where one is
    missing."""
    if len(field.tags) == 1:                     # (most fields)
        for el in els.get(field.tags[0], ()):
            yield (el,)
        return
    columns = [els.get(tag, ()) for tag in field.tags]
    for i in range(max(map(len, columns))):
        yield [column[i] if i < len(column) else None for column in columns]


def read_fiche(root, anchor) -> Page:
    els, unknown = _fiche_elements(root)
    tokens: List[Token] = []
    for field in FICHE_FIELDS:
        if field in _FICHE_PLAIN:      # (most fields: the value is the element's text)
            for el in els.get(field.tags[0], ()):
                value = _value(el)
                if value:
                    tokens.append(Token(field.name, field.label, value, 0, 0, el.sourceline))
            continue
        for row in _fiche_rows(field, els):
            value = _fiche_value(field, row)
            if value is not None:
                line = row[0].sourceline if row[0] is not None else None
                tokens.append(Token(field.name, field.label, value, 0, 0, line))
    # a made-up element the table does not know (a filled <DC>, say): kept (extra), reported
    for el in unknown:
        value = _value(el)
        if value:
            tokens.append(Token("unknown", el.tag.upper(), value, 0, 0, el.sourceline))
    hidden = {tag: (_value(e[0]), e[0].sourceline)
              for tag, e in els.items() if tag in _FICHE_HIDDEN}

    def h(tag):
        return hidden.get(tag, (None, None))

    code = h("codret")[0]
    checks = []
    if h("nleg")[0]:
        checks.append(Check("legislature", h("nleg")[0], lambda q: str(q["legislature"]),
                            h("nleg")[1]))
    if h("reponse")[0] in ("O", "N"):     # O: an answer was published
        checks.append(Check("answered", h("reponse")[0],
                            lambda q: "O" if q["answer"] is not None else "N", h("reponse")[1]))
    return Page(tokens, anchor.sourceline,
                author={"group_abbrev": h("grp")[0], "region": h("reg")[0]},
                closure=Closure(code=code, label=CLOSURE_LABELS.get(code)) if code else None,
                checks=tuple(checks))


# -- layout "question_col": legislatures 14-16 -----------------------------------------------------

def _question_col_role(el) -> Optional[str]:
    if el.tag == "h3":
        parent = el.getparent()
        if parent is not None and {"question", "answer"} & set(_classes(parent)):
            return "heading"
    return None


_AUTHOR_LINKS = lxml.etree.XPath("descendant::*[@id='question_col80']/descendant::a")


def read_question_col(root, anchor) -> Page:
    region = [anchor]
    for sibling in anchor.itersiblings():
        region.append(sibling)
        if "question_answer" in _classes(sibling):
            break
    links = _AUTHOR_LINKS(anchor.getparent()) if anchor.getparent() is not None else []
    return Page(_tokens(_cut(region, _question_col_role)), anchor.sourceline,
                author=_acteur_ref(links))


# -- layout "dyn": the current site ----------------------------------------------------------------

def _dyn_role(el) -> Optional[str]:
    if _has_class_name(el, "bloc-actions"):     # "partager" and the share buttons
        return "skip"
    if el.tag == "p":
        following = el.getnext()
        if following is not None and following.tag == "p" \
                and _has_class_name(following, "_pa-small"):
            return "heading"
    return None


_DYN_UID = re.compile(r"\s*(QANR5L\d+(?:QE|QG|QOSD)\d+)")


def read_dyn(root, anchor) -> Page:
    tokens = _tokens(_cut([anchor], _dyn_role))
    checks = []
    m = _DYN_UID.match(anchor.get("data-id") or "")
    if m:
        checks.append(Check("uid", m.group(1), lambda q: str(q["uid"]), anchor.sourceline))
    return Page(tokens, anchor.sourceline,
                author=_acteur_ref(a for a in anchor.iterdescendants("a")
                                   if a.get("data-document-id") is not None),
                checks=tuple(checks))


# -- layout "table": the 2010s ---------------------------------------------------------------------

def _table_role(el) -> Optional[str]:
    return "body" if el.tag == "div" and "contenutexte" in _classes(el) else None


def read_table(root, anchor) -> Page:
    bodies = list(_with_class(root, "contenutexte", "div"))
    if _table_role(anchor) == "body":      # no legislature cell: the whole page
        region = root.find("body") if root.find("body") is not None else root
    else:                                  # the smallest element holding it and the last body
        ancestors = set(bodies[-1].iterancestors()) if bodies else set()
        region = next((a for a in anchor.iterancestors() if a in ancestors), anchor)
    return Page(_tokens(_cut([region], _table_role)), anchor.sourceline,
                author=_acteur_ref(a for a in region.iterdescendants("a")
                                   if "PA" in (a.get("href") or "")))


# -- finding the layout ----------------------------------------------------------------------------

def _class_tokens(value: str) -> List[str]:
    # the class names as XPath's normalize-space() splits them (XML blanks only)
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ").split(" ")


def _page_iter(root, *tags: str) -> Iterator:
    """The elements of ``tags`` in the whole document of ``root``, as XPath's ``//`` sees
    them: libxml2 may end a broken page with a second root element after the first."""
    for top in itertools.chain((root,), root.itersiblings()):
        yield from top.iter(*tags)


def _with_class(root, name: str, *tags: str) -> Iterator:
    """The elements (of ``tags``, else all) whose class attribute holds ``name``, in page
    order: ``//*[contains(concat(' ', normalize-space(@class), ' '), ' name ')]`` without
    the cost of an XPath evaluation."""
    for el in _page_iter(root, *(tags or (lxml.etree.Element,))):
        value = el.get("class")
        if value and name in value and name in _class_tokens(value):
            yield el


def _first_with_class(name: str, *tags: str) -> Callable[[object], Optional[object]]:
    return lambda root: next(_with_class(root, name, *tags), None)


def _table_anchor(root):
    """The legislature cell, or the first body when there is none."""
    for el in _page_iter(root, "td", "div"):
        value = el.get("class")
        if value and ("tdstyleh1" if el.tag == "td" else "contenutexte") in _class_tokens(value):
            return el
    return None


class Layout(NamedTuple):
    name: str
    anchor: Callable[[object], Optional[object]]   # the element the question region starts at
    markers: Tuple[str, ...]       # what shows this layout in the page's source
    read: Callable[[object, object], Page]
    # what follows the question region in the source: when found, only the region is parsed
    # (the site's menus, scripts and footer are most of a page's bytes and of its parse time)
    region_ends: Tuple[str, ...] = ()


_PAGE_END = ("<footer", "</main>", "</body>", "</BODY>")

LAYOUTS: Tuple[Layout, ...] = (
    Layout("dyn", _first_with_class("_style-question", "div"),
           ("_style-question",), read_dyn, ("bloc-actions",) + _PAGE_END),
    Layout("question_col", _first_with_class("question_legislature"),
           ("question_legislature",), read_question_col, ("print_and_pdf",) + _PAGE_END),
    Layout("fiche", lambda root: next(_page_iter(root, "leg", "num"), None),
           ("<NUM>", "<num>", "<LEG>", "<leg>"), read_fiche),
    Layout("table", _table_anchor, ("tdstyleh1", "contenutexte"), read_table),
)


def _first(text: str, needles: Sequence[str], start: int = 0) -> int:
    """Where the first of ``needles`` stands in ``text`` (from ``start``), or -1."""
    best = -1
    for needle in needles:      # each search stops where the best so far is
        i = text.find(needle, start, len(text) if best < 0 else best)
        if i >= 0:
            best = i
    return best


def detect(root) -> Optional[Tuple[Layout, object]]:
    """The layout of a parsed page and the element its question starts at, or None."""
    for layout in LAYOUTS:
        found = layout.anchor(root)
        if found is not None:
            return layout, found
    return None


def _without_declaration(text: str) -> str:
    """An XML declaration blanked, keeping lines: lxml refuses one naming an encoding on str
    input, and BeautifulSoup's tree keeps it before the page, which then has two roots."""
    declaration = _XML_DECLARATION.match(text)
    if declaration is None:
        return text
    head = declaration.group(0)
    return re.sub(r"[^\n]", " ", head) + text[len(head):]


def _lxml_tree(text: str):
    try:
        # (lxml.html's document_fromstring: None for an empty document)
        return lxml.etree.fromstring(html5_breaks(_without_declaration(text)), _PARSER)
    except (lxml.etree.ParserError, ValueError):
        return None


def _region_tree(text: str, layout: Layout, marker: int):
    """The question region alone (from the tag holding ``marker`` to the tag holding the first
    of ``region_ends``), parsed with the page's line numbers (blank lines before it)."""
    start = text.rfind("<", 0, marker)
    end = _first(text, layout.region_ends, marker) if layout.region_ends else -1
    if start < 0 or end < 0:
        return None
    end = text.rfind("<", start, end)
    return _lxml_tree("\n" * text.count("\n", 0, start) + text[start:end])


# what lxml's tree builder refuses: characters that are not XML characters (C0 controls but
# tab, LF and CR -- a form feed in an old page's text --, lone surrogates, U+FFFE, U+FFFF) ...
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# ... and these characters in an element's name
_BAD_NAME = re.compile(r"""[&<>/"'\s]""")


def _xml_char(m: "re.Match[str]") -> str:
    return " " if m.group(0) < " " else "\ufffd"   # a control is layout; the others broken


def _soup(source: str, **options):
    """BeautifulSoup with element names lxml accepts: html.parser takes a broken byte and
    what follows it into a tag's name (``<span\\x8estyle="a">``); the name is cut before the
    first character lxml refuses."""
    import warnings

    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():   # advice to a developer, not news to a user of aqparse
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(source, **options)
    for tag in soup.find_all(lambda tag: _BAD_NAME.search(tag.name)):
        tag.name = _BAD_NAME.split(tag.name, 1)[0] or "span"
    return soup


def _soup_tree(text: str):
    """The page read by bs4 (``html.parser``) into an lxml tree; None if that fails too."""
    from lxml.html import soupparser   # bs4: only for the pages lxml cannot read

    try:
        return soupparser.fromstring(_NOT_XML.sub(_xml_char, _without_declaration(text)),
                                     beautifulsoup=_soup, features="html.parser")
    except (ValueError, lxml.etree.LxmlError):
        return None


def _find(text: str, path: Optional[str]):
    """The tree to read, the layout and the element the question starts at."""
    page = None
    shown = False
    for layout in LAYOUTS:
        marker = _first(text, layout.markers)
        if marker < 0:
            continue
        shown = True
        root = _region_tree(text, layout, marker)
        found = layout.anchor(root) if root is not None else None
        if found is None:
            page = page if page is not None else _lxml_tree(text)
            root, found = page, layout.anchor(page) if page is not None else None
        if found is not None:
            return root, (layout, found)
    if shown:   # the source shows a question that lxml's tree lost: read it through bs4
        root = _soup_tree(text)
        found = detect(root) if root is not None else None
        if found:
            return root, found
    raise not_a_question(page if page is not None else _lxml_tree(text), text, path)


# -- pages that are not a question -----------------------------------------------------------------

class LooksLike(NamedTuple):
    """A kind of page that is not a question: how its title (or first heading) reads, or an
    element that gives it away."""
    what: str
    title: "re.Pattern[str]"
    element: Optional["lxml.etree.XPath"] = None


LOOKS_LIKE: Tuple[LooksLike, ...] = (
    LooksLike("a 404 error page (page not found)",
              re.compile(r"\b404\b|page (?:non trouvée|introuvable)|\bnot found\b"
                         r"|n'existe (?:pas|plus)", re.I)),
    LooksLike("a server error page (50x)",
              re.compile(r"\b50[0234]\b|service (?:temporairement )?(?:unavailable|indisponible)"
                         r"|bad gateway|internal server error|gateway time-?out"
                         r"|erreur (?:interne|du serveur)|en maintenance", re.I)),
    # before the search page: the home page has a search box too
    LooksLike("the site's home page",
              re.compile(r"\A\s*(?:accueil|assemblée nationale)\s*(?:[-|–—]\s*"
                         r"(?:accueil|assemblée nationale)\s*)?\Z", re.I)),
    LooksLike("a search page", re.compile(r"recherche|résultats?\b|search", re.I),
              lxml.etree.XPath("//form//input[@type='search' or @name='q' or @name='query']")),
)


def _what_page(root) -> Tuple[str, str]:
    if root is None:
        return "an empty HTML document", ""
    title = clean_value(root.findtext(".//title") or "")
    heading = next((clean_value(_STRING(h)) for h in root.iter("h1")), "")
    for looks in LOOKS_LIKE:
        if looks.title.search(title) or looks.title.search(heading) \
                or (looks.element is not None and looks.element(root)):
            return looks.what, title or heading
    return "an HTML page with no question on it", title or heading


# an XML document's first element (after its declaration, comments and doctype)
_XML_ROOT = re.compile(r"\A\ufeff?\s*<\?xml[^>]*>(?:\s*<!--.*?-->|\s*<![^>]*>|\s*<\?.*?\?>)*\s*"
                       r"<([^\s/>!?]+)", re.S)


def not_a_question(root, text: str, path: Optional[str], why: str = "") -> ParseError:
    xml = _XML_ROOT.match(text[:4096])
    if xml is not None and xml.group(1).lower() != "html":
        # (an XML document of another kind read as a page: it is not "an HTML page")
        return ParseError(f"not a parliamentary question: an XML document of another kind "
                          f"(its root <{xml.group(1)}>, neither the AN's open data nor its old "
                          f"per-question XML){why}", code="not-a-question", path=path, line=1,
                          excerpt=excerpt(text.lstrip()))
    what, title = _what_page(root)
    title = title if len(title) <= 80 else title[:79] + "…"   # an unclosed <title>: the page
    named = f" (title: {title!r})" if title else ""
    return ParseError(f"not a parliamentary question: this page looks like {what}{named}{why}",
                      code="not-a-question", path=path, line=1, excerpt=excerpt(text.lstrip()))


# -- entry point -----------------------------------------------------------------------------------

def parse_many(text: str, *, path: Optional[str] = None,
               strict: bool = False) -> Iterator[Question]:
    """The question on a saved page (``text`` already decoded). Raises ``ParseError`` for a
    page that is not a question, naming what it looks like."""
    line = 1
    try:
        root, (layout, anchor) = _find(text, path)
        line = anchor.sourceline or 1
        record = _read(text, path, root, layout, anchor)
    except ParseError:
        raise
    except RecursionError:   # the readers recurse an element at a time: thousands deep
        raise ParseError("unreadable page: its elements are nested too deeply (deeper than "
                         "Python's recursion limit)", code="bad-html", path=path,
                         line=line) from None
    except Exception as error:   # a bug: said as a ParseError naming the page and place
        raise InternalError(f"internal error: {type(error).__name__}: {error}",
                            code="internal-error", path=path, line=line) from error
    if strict and record.defects:
        raise_for(record, text)
    yield record


def _read(text: str, path: Optional[str], root, layout: Layout, anchor) -> Question:
    page = layout.read(root, anchor)
    if not is_question(page.tokens):    # the text path's test: a number, or 3 labels
        whole = root if root.find(".//title") is not None else _lxml_tree(text)
        raise not_a_question(whole, text, path, f": the markup of the {layout.name} layout, but "
                             "no question number and fewer than three labels")
    source = Source(format="html", layout=layout.name, path=path, line=page.line)
    # (a page's tokens are not a page's text: its bodies need no mending)
    return extract(page.tokens, text, source=source, page_text=False, clean_bodies=True,
                   complete=_with_markup(page))
