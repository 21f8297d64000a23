"""The library's entry points: ``parse``, ``parse_many``, ``read``.

Whatever the input is — question text, a saved page, an open-data file, the old per-question
XML — it is sniffed and handed to the parser of its format; all of them give ``Question``
records. Text is the core path: decode → tokenize → split into questions → extract.
"""

import importlib
import itertools
import re
from typing import Callable, Iterable, Iterator, List, Optional, Union

from .decode import decode, wrap_width
from .errors import ParseError, excerpt
from .extract import PAGE_TOKENS, extract
from .records import Question, Source
from .tokenize import HEADS, Token, count_lines, split_questions, tokenize

Data = Union[str, bytes]

# format -> "module:function" giving parse_many(text, *, path, strict) -> Iterator[Question];
# imported on first use, so the text path never pays for lxml.
FORMAT_PARSERS = {
    "html": "aqparse.html:parse_many",
    "opendata-json": "aqparse.opendata:parse_many_json",
    "opendata-xml": "aqparse.opendata:parse_many_xml",
    "legacy-xml": "aqparse.opendata:parse_many_legacy_xml",
}

# a JSON list; not a text that starts with a link number ("[1]Accueil", lynx)
_JSON_LIST = re.compile(r'\[\s*(?:[{\["\]]|-?\d+(?:\.\d+)?\s*(?:,|\]\s*(?:\Z|[,\]}]))'
                        r'|true\b|false\b|null\b)')
_HTML = re.compile(r"\s*(?:<!doctype\s+html|<html|<head|<body|<title|<meta|<div|<table|<!--)", re.I)
_XML = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?P<tag>[\w:.-]+)", re.S)


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
    return "text"


def _parser_for(fmt: str) -> Callable[..., Iterator[Question]]:
    module_name, function = FORMAT_PARSERS[fmt].split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:  # a format whose parser is not installed in this build
        raise ParseError(f"{fmt} input is not supported by this build ({exc})",
                         code="unsupported-format") from None
    return getattr(module, function)


def parse_many(data: Data, *, strict: bool = False, path: Optional[str] = None,
               format: Optional[str] = None) -> Iterator[Question]:
    """Every question in ``data`` (a dump may hold many, one after another), in order.

    Raises ``ParseError`` when the input holds no question at all, and under ``strict=True``
    for the first question with a defect.
    """
    markup = isinstance(data, bytes) and data.lstrip()[:1] == b"<"
    text = decode(data, path=path, is_html=markup)
    if not text.strip():
        raise ParseError("empty input", code="empty", path=path, line=1)
    fmt = format or sniff(text)
    if fmt != "text":
        yield from _parser_for(fmt)(text, path=path, strict=strict)
        return
    yield from parse_text_many(text, path=path, strict=strict)


def parse_text_many(text: str, *, path: Optional[str] = None, strict: bool = False,
                    layout: str = "text", offset: int = 0,
                    first_line: int = 1) -> Iterator[Question]:
    """The text path on decoded text (used by the HTML parser too, on a page's text)."""
    groups = split_questions(tokenize(text, offset=offset, first_line=first_line))
    first = next(groups, None)
    if first is None:
        _raise_not_a_question(text, path, [], False)
    yield from records_of(itertools.chain((first,), groups), text, path=path, strict=strict,
                          layout=layout, first_line=first_line, offset=offset)


def records_of(groups: Iterable[List[Token]], text: str, *, path: Optional[str], strict: bool,
               layout: str = "text", first_line: int = 1, offset: int = 0,
               after_a_question: bool = False) -> Iterator[Question]:
    """The record of each question's tokens (``text`` starts at character ``offset`` and
    line ``first_line`` of the input); a group that is no question is the input's error: not
    a question at all, or text after the last question."""
    for group in groups:
        if not is_question(group):
            # no number and hardly any label: trailing garbage, or no question at all
            _raise_not_a_question(text, path, group, after_a_question)
        after_a_question = True
        line, end_line = lines_of(group, text, offset)
        # the width a text browser wrapped this question's page at, read on the question's
        # own text (the same however a dump is cut); a question copied alone is not wrapped
        page_text = any(t[0] in PAGE_TOKENS for t in group)
        wrapped_at = (wrap_width(text[group[0].start - offset:group[-1].end - offset])
                      if page_text else None)
        source = Source(format="text", layout=layout, path=path, line=line, end_line=end_line)
        try:
            record = extract(group, text, source=source, strict=strict, first_line=first_line,
                             page_text=page_text, wrapped_at=wrapped_at)
        except ParseError:
            raise
        except Exception as error:   # a bug: said as a ParseError naming the input and place
            raise ParseError(f"internal error: {type(error).__name__}: {error}",
                             code="internal-error", path=path, line=group[0].line) from error
        yield record


_NOT_FIELDS = frozenset(("unknown", "unlabelled", "furniture"))


def is_question(group: List[Token]) -> bool:
    """Whether a group of tokens is a question: it has a number, or three known labels."""
    for token in group:
        if token[0] == "number" or token[0] == "heading":
            return True
    names = {t.name for t in group}
    return len(names - _NOT_FIELDS) >= 3


def lines_of(group: List[Token], text: str, offset: int = 0):
    """The first and last lines of ``text`` (which starts at character ``offset`` of the
    input) that a question's tokens stand on, from its first head to its last field: the
    site's furniture around it is not the question."""
    fields = [t for t in group if t[0] != "furniture"] or group
    first = next((t for t in fields if t[0] in HEADS), fields[0])
    last = fields[-1]
    if last[0] == "unlabelled" and len(fields) > 1:    # text after the question, reported
        last = fields[-2]
    start, end = last.start - offset, last.end - offset
    while end > start and text[end - 1] in " \t\r\n\xa0":   # (no copy of a long body)
        end -= 1
    return first.line, last.line + count_lines(text, start, end)


_LOOKS_LIKE = (
    (re.compile(r"<\s*html|<!doctype", re.I), "an HTML page"),
    (re.compile(r"\A\s*[{\[]"), "JSON"),
    (re.compile(r"\A\s*<"), "XML or markup"),
    (re.compile(r"%PDF-"), "a PDF file"),
)


def _raise_not_a_question(text: str, path: Optional[str], group: List[Token], after: bool):
    if after:
        first = group[0]
        raise ParseError("text after the last question is not a question", code="trailing-text",
                         path=path, line=first.line, excerpt=excerpt(first.value))
    what = next((name for pattern, name in _LOOKS_LIKE if pattern.search(text[:2048])),
                "text with no question labels")
    raise ParseError(f"not a parliamentary question: looks like {what} (no 'Question N°' "
                     "and no header labels found)", code="not-a-question", path=path, line=1,
                     excerpt=excerpt(text.lstrip()))


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
