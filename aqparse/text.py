"""The text path: the questions of a decoded text (tokenize, split into questions, extract),
and a large text cut into parts that each read as they read in the whole (``text_units``,
the one cutter of a dump: ``convert`` parses the parts in parallel, ``read`` streams them).

Imported when a text is first read (``api.parse_items``, ``inputs``): a process that reads
only open data, pages' own parsers aside, or aqparse's outputs never loads the tokenizer.
"""

import itertools
import re
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Set, Tuple

from .decode import OTHER_BREAKS, for_matching, has_invisible, repair_mojibake, \
    without_invisible, wrap_width
from .errors import InternalError, ParseError, excerpt
from .extract import PAGE_TOKENS, extract
from .furniture import SIGN_CHARS, shows_page
from .layout import shows_links
from .records import Question, Source
from .tokenize import HEAD_CANDIDATES, HEADS, Token, count_lines, split_questions, tokenize

def parse_text_many(text: str, *, path: Optional[str] = None, strict: bool = False,
                    layout: str = "text", offset: int = 0, first_line: int = 1,
                    page: Optional[bool] = None,
                    links: Optional[bool] = None) -> Iterator[Question]:
    """The text path on decoded text (used by the HTML parser too, on a page's text).
    ``page``, ``links``: what the whole this text is a part of shows (``question_groups``)."""
    groups, page = question_groups(text, offset=offset, first_line=first_line, page=page,
                                   links=links)
    first = next(groups, None)
    if first is None:
        _raise_not_a_question(text, path, [], False)
    yield from records_of(itertools.chain((first,), groups), text, path=path, strict=strict,
                          layout=layout, first_line=first_line, offset=offset, signs=page)


def question_groups(text: str, *, offset: int = 0, first_line: int = 1,
                    page: Optional[bool] = None,
                    links: Optional[bool] = None) -> Tuple[Iterator[List[Token]], bool]:
    """The tokens of each question of ``text``, and whether it shows a whole page
    (``furniture.shows_page``: asked once, for the tokenizer and then ``records_of``'s
    ``signs``). ``page``, ``links`` (lynx's link numbers, ``layout.shows_links``): what the
    whole of which ``text`` is a part gives, when it is a part (``text_units``): each part is
    read as the whole is, whatever it shows itself."""
    if page is None:
        page = shows_page(text)
    return split_questions(tokenize(text, offset=offset, first_line=first_line,
                                    signs=page, links=links)), page


def records_of(groups: Iterable[List[Token]], text: str, *, path: Optional[str], strict: bool,
               layout: str = "text", first_line: int = 1, offset: int = 0,
               after_a_question: bool = False, signs: Optional[bool] = None) -> Iterator[Question]:
    """The record of each question's tokens (``text`` starts at character ``offset`` and
    line ``first_line`` of the input); a group that is no question is the input's error: not
    a question at all, or text after the last question. ``signs``: what
    ``furniture.shows_page(text)`` gives, when the caller has asked it."""
    # (no page: no question of it can be a page's)
    page = shows_page(text) if signs is None else signs
    for group in groups:
        if not is_question(group):
            # no number and hardly any label: trailing garbage, or no question at all
            _raise_not_a_question(text, path, group, after_a_question)
        after_a_question = True
        first, last, end = span_of(group, text, offset)
        # the width a text browser wrapped this question's page at, read on the question's
        # own lines (the same whatever stands around it, however a dump is cut); a question
        # copied alone is not wrapped
        page_text = page and any(t[0] in PAGE_TOKENS for t in group)
        wrapped_at = wrap_width(text[first.start - offset:end]) if page_text else None
        source = Source(format="text", layout=layout, path=path, line=first.line,
                        end_line=last.line + count_lines(text, last.start - offset, end))
        try:
            record = extract(group, text, source=source, strict=strict, first_line=first_line,
                             page_text=page_text, wrapped_at=wrapped_at)
        except ParseError:
            raise
        except Exception as error:   # a bug: said as a ParseError naming the input and place
            raise InternalError(f"internal error: {type(error).__name__}: {error}",
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


_TRAILING = " \t\r\n\xa0" + OTHER_BREAKS


def span_of(group: List[Token], text: str, offset: int = 0) -> Tuple[Token, Token, int]:
    """What a question stands on in ``text`` (which starts at character ``offset`` of the
    input): its first head, its last field, and where the last field's text ends in ``text``
    — the site's furniture around it is not the question."""
    first = group[0] if group[0][0] in HEADS else (
        next((t for t in group if t[0] in HEADS), None)
        or next((t for t in group if t[0] != "furniture"), group[0]))
    n = len(group) - 1
    while n > 0 and group[n][0] == "furniture":
        n -= 1
    if n and group[n][0] == "unlabelled":         # text after the question, reported
        k = n - 1
        while k > 0 and group[k][0] == "furniture":
            k -= 1
        if k >= 0 and group[k][0] != "furniture":
            n = k
    last = group[n]
    start, end = last.start - offset, last.end - offset
    while end > start and text[end - 1] in _TRAILING:   # (no copy of a long body)
        end -= 1
    return first, last, end


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


# -- cutting a large text into parts read apart --------------------------------------------------

# what one unit of a text cut by ``text_units`` aims at, and what one question may hold
UNIT_CHARS = 1 << 20
# a unit holds at most this many mentions of "question" (counted as "stion" or "STION", which the
# tokenizer's heads hold however the rest of the word is written: "QuESTION", "Quéstion"), so
# at most this many questions of that word: the records of a unit of tiny ones (about 0.7 KB of
# JSON each) then take about what those of a unit of ordinary ones take. A real question
# mentions it 4 to 8 times: a lower bound cut ordinary dumps into units of a sixth of
# ``UNIT_CHARS``, and the parent of a parallel run spent its time confirming cuts. (Heads
# written otherwise, "QuestiOn", "Questîon", which the tokenizer reads too, are bounded by
# ``UNIT_CHARS`` alone: a regex that counts them all costs five times these counts.)
UNIT_QUESTIONS = 4000
MAX_QUESTION_CHARS = 16 << 20


class Unit(NamedTuple):
    """A part of a text holding whole questions: its text, where it starts in the input
    (character offset, line), and, when it had to be cut inside a question longer than
    ``max_question`` characters, why (the cut is reported, not silent)."""

    text: str
    offset: int
    line: int
    too_long: Optional[str] = None
    page: Optional[bool] = None     # how it is read: ``question_groups``'s ``page``
    links: Optional[bool] = None    # and ``links``


def text_units(blocks: Iterable[str], *, chunk: int = UNIT_CHARS,
               max_question: int = MAX_QUESTION_CHARS,
               page: Optional[bool] = None, links: Optional[bool] = None) -> Iterator[Unit]:
    """Cut a text, given block by block, into units of whole questions read apart (the one
    cutter of a large text: ``convert`` parses the units in parallel, ``read`` streams them).

    Linear in the text: the cut is searched from where the last search stopped, never again
    over the whole growing buffer. Memory stays bounded: a unit aims at ``chunk`` characters
    and at ``UNIT_QUESTIONS`` questions (a dump of tiny questions gives many records a
    character); a question longer than ``max_question`` characters is cut at a line end there,
    and the unit says so.

    Every unit is read as the whole text is: as a page's text or not (``page``, which each
    unit carries), whatever its own part shows; a part that shows no sign of a page, in a
    dump of pages, is still read with the site's furniture, and one that shows one (an answer
    that names the "Assemblée nationale"), in a dump of plain questions, is not. ``page``:
    what the whole text shows (``furniture.shows_page``), when the caller could look ahead
    (a file); else a text read as it comes (stdin, a pipe) is read as a page's from the
    first sign met on, which the text before it could not know. ``links``, whether the whole
    text shows lynx's link numbers (``layout.shows_links``), likewise."""
    buffer, offset, line, begin = "", 0, 1, 0
    # how the units are read: as the caller knows it, else from the first sign met on
    signs = DumpSigns(page, links)
    counts: Dict[int, int] = {}     # ``_target``'s, kept from one block to the next
    for block in itertools.chain(blocks, [None]):
        final = block is None
        if not final:
            signs.add(block)
            buffer += block
        else:
            signs.end()
        as_page, as_links = signs.page, signs.links
        while True:
            target = _target(buffer, chunk, offset, counts)
            if len(buffer) < target + (target >> 2):
                break
            cut = find_cut(buffer, target, begin=begin, page=as_page, links=as_links)
            forced = cut is None
            if forced:
                if len(buffer) <= max_question:
                    if not final:      # searched up to here: the next search starts there
                        begin = max(target, len(buffer) - (1 << 16))
                    break
                cut = _forced_cut(buffer, max_question)
            lines = count_lines(buffer, 0, cut)
            too_long = (f"a question of more than {max_question:,} characters (line {line}): "
                        f"cut at line {line + lines}") if forced else None
            yield Unit(buffer[:cut], offset, line, too_long, as_page, as_links)
            offset += cut
            line += lines
            buffer, begin = buffer[cut:], 0
            for gone in [at for at in counts if at < offset]:
                del counts[gone]
    if buffer.strip() or offset == 0:
        yield Unit(buffer, offset, line, None, as_page, as_links)


def shows_page_since(before: str, text: str) -> bool:
    """Whether ``text``, read after ``before``, shows a sign of a page (``furniture.shows_page``)
    on its text mended as the whole's would be ("AssemblÃ©e nationale"): the text itself, and
    where it meets what came before (a sign, or a mojibake sequence mended into one, cut by
    the edge between them). A text read block by block is looked at once."""
    return (shows_page(repair_mojibake(text))
            or shows_page(repair_mojibake(before[-SIGN_EDGE:] + text[:SIGN_EDGE])))


SIGN_EDGE = 2 * SIGN_CHARS      # what of the text before a block ``shows_page_since`` reads


def shows_links_since(before: str, text: str, marks: Set[str], final: bool = False) -> bool:
    """Whether ``text``, read after ``before``, shows lynx's link numbers
    (``layout.shows_links``, ``marks`` those met before it) on its text as the whole's is
    read: mended ("[1]Â\xa0" is "[1]" before a no-break space, a note's number) and without
    invisible characters ("[\u200b9]M. X" is a mark). A mark whose next character is one of
    the last three is left to the next block, unless the text is ``final``: that character
    may start a mojibake run the next block ends ("[1]Â" then "\xa0")."""
    edge = before[-LINKS_EDGE:]
    if "[" not in text and "[" not in edge:    # (no copy of the block)
        return False
    if has_invisible(edge):     # (a mark may stand further back, behind invisible characters)
        edge = before[-LINKS_FAR_EDGE:]
    seen = without_invisible(repair_mojibake(edge + text))
    return shows_links(seen, marks, None if final else len(seen) - 3)


# what of the text before a block ``shows_links_since`` reads: a mark left by the block before
# and the character after it, with room for what mending takes away; where that holds
# invisible characters, more (a mark more than 4 KB of them away from that character is
# missed)
LINKS_EDGE = 48
LINKS_FAR_EDGE = 1 << 12


class DumpSigns:
    """What a text read block by block has shown so far, as its whole is read: a page's signs
    (``shows_page_since``) and lynx's link numbers (``shows_links_since``), each block looked
    at once, after the end of those before it. ``page``/``links``: what is known already
    (not looked for again); None, looked for."""

    __slots__ = ("page", "links", "_looking", "_marks", "_tail")

    def __init__(self, page: Optional[bool] = None, links: Optional[bool] = None):
        self._looking = (page is None, links is None)
        self.page, self.links = bool(page), bool(links)
        self._marks: Set[str] = set()
        self._tail = ""

    def add(self, block: str) -> None:
        looking_page, looking_links = self._looking
        if looking_page and not self.page:
            self.page = shows_page_since(self._tail, block)
        if looking_links and not self.links:
            self.links = shows_links_since(self._tail, block, self._marks)
        self._tail = (self._tail + block[-_SIGNS_TAIL:])[-_SIGNS_TAIL:]    # (blocks may be tiny)

    def end(self) -> None:
        """The text read is all there is: a mark left for the next block is read now."""
        if self._looking[1] and not self.links:
            self.links = shows_links_since(self._tail, "", self._marks, final=True)

    @property
    def settled(self) -> bool:
        """Whether what is looked for is all found (the blocks after cannot change it)."""
        return (self.page or not self._looking[0]) and (self.links or not self._looking[1])


_SIGNS_TAIL = max(SIGN_EDGE, LINKS_FAR_EDGE)


def _target(buffer: str, chunk: int, base: int = 0,
            counts: Optional[Dict[int, int]] = None) -> int:
    # a unit of tiny questions ("Question N° 1" lines) holds fewer characters: its records,
    # not its text, are what the workers send back. It ends at its last mention allowed (not
    # at the span's average: its lines may grow, "Question N° 9" then "Question N° 10000"),
    # found by counting blocks of the span (``str.count``; the regex's walk over thousands of
    # matches cost the parent of a run seven times as much). The blocks are those of the
    # whole text (``base``: where ``buffer`` starts in it), and ``counts`` keeps the count of
    # each whole one: the buffer grows at its end and loses its start at a cut, and counting
    # it again at each block read was a twentieth of the parent's work
    span = min(chunk, len(buffer))
    seen, held, start = 0, (0, 0), 0     # held: the last block that held mentions
    while start < span:
        # (the mentions that start in the block: it ends where the next one starts, 4 on)
        after = start + _COUNT_BLOCK - (base + start) % _COUNT_BLOCK
        end = min(after + 4, span)
        whole = counts is not None and (base + start) % _COUNT_BLOCK == 0 and end == after + 4
        found = counts.get(base + start) if whole else None
        if found is None:
            found = buffer.count("stion", start, end) + buffer.count("STION", start, end)
            if whole:
                counts[base + start] = found
        if seen + found > UNIT_QUESTIONS:
            if seen < UNIT_QUESTIONS:
                last = next(itertools.islice(_MENTION.finditer(buffer, start, end),
                                             UNIT_QUESTIONS - seen - 1, None))
            else:   # the last allowed is the last of the last block that held any
                *_, last = _MENTION.finditer(buffer, *held)
            return max(4096, last.start())
        if found:
            seen, held = seen + found, (start, end)
        start = after
    return chunk


_COUNT_BLOCK = 1 << 16
_MENTION = re.compile("stion|STION")


def _forced_cut(buffer: str, at: int) -> int:
    """Where a question too long is cut: at the last line end before ``at``, else the last
    blank, else at ``at``."""
    at = min(at, len(buffer))
    for mark in ("\n", " "):
        cut = buffer.rfind(mark, at >> 1, at)
        if cut > 0:
            return cut + 1
    return at


def find_cut(text: str, target: int, window: int = 1 << 16, *, begin: int = 0,
             page: Optional[bool] = None, links: Optional[bool] = None) -> Optional[int]:
    """An offset at or after ``target`` where ``text`` may be cut into two parts read apart
    (``convert`` reads a large dump in parallel, ``inputs`` streams one) that give the records
    of the whole; None when none is found after ``target``.

    The cut is made at a question's start, found by the tokenizer's own patterns and cutter,
    or before the next page's furniture that stands right before it (a breadcrumb that looks
    ahead to the title after it cannot be cut from it), and only where the records of the
    question before and the question after, read in two parts, are those read whole.
    ``begin``: no cut was found before it (a search that goes on where one stopped);
    ``page``: whether ``text`` shows a whole page's signs, ``links`` lynx's link numbers,
    when the caller knows."""
    target = max(target, begin)
    start = text.rfind("\n", 0, target)
    if start < target - 4096:      # a long line (a dump on one line): from the blank before
        start = max(text.rfind(" ", 0, target), 0)
    size = window
    if page is None:    # (read as the whole is: a part may not show its page's signs)
        page = shows_page(text)
    if links is None:
        links = shows_links(text)
    how = (page, links)
    while True:
        end = min(len(text), start + size)
        heads: List[int] = []
        # the heads are taken as the search finds them, and tried as soon as there are enough:
        # the first pair of questions almost always gives the cut, and the search over the
        # whole window (the tokenizer's patterns, at every line start) is the costly part
        for head in _heads(text, start, end):
            heads.append(head)
            cut = _cut_at(text, heads, len(heads) - 5, how)
            if cut is not None:
                return cut
        if end >= len(text):
            # what is left: the last heads have only the text's end after them
            for n in range(max(0, len(heads) - 5), len(heads) - 1):
                cut = _cut_at(text, heads + [len(text)], n, how)
                if cut is not None:
                    return cut
            return None
        size <<= 2


def _heads(text: str, start: int, end: int) -> Iterator[int]:
    """Where a question may start in ``text[start:end]`` (``HEAD_CANDIDATES``), in order,
    each once."""
    last = -1
    for m in HEAD_CANDIDATES.finditer(for_matching(text[start:end])):
        head = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" ")) + start
        if head > last:
            last = head
            yield head


def _cut_at(text: str, heads: List[int], n: int, how: Tuple[bool, bool]) -> Optional[int]:
    """The cut at the question starting at ``heads[n + 1]`` (the one before it starting at
    ``heads[n]``), read whole up to one of the three heads after it; None if there is none.
    ``how``: how the text is read (``tokenize``'s ``page`` and ``links``)."""
    if n < 0:
        return None
    a, b = heads[n], heads[n + 1]
    for after in heads[n + 2:n + 5]:
        cut = _clean_cut(text, a, b, after, how)
        if cut is not None:
            return cut
    return None


def _clean_cut(text: str, a: int, b: int, after: int, how: Tuple[bool, bool]) -> Optional[int]:
    """Where ``text[a:after]`` (a question's start at ``a``) may be cut at the question
    starting at ``b``, or None."""
    page, links = how
    groups = list(split_questions(tokenize(text[a:after], offset=a, page=page, links=links)))
    at = next((n for n, g in enumerate(groups) if g[0].start >= b), None)
    if at is None or at == 0 or groups[at][0].start != b:
        return None
    before = groups[at - 1]
    # the cut: at the head, else before the furniture right before it, latest first
    cuts = [b] + [t.start for t in reversed(before)
                  if t[0] == "furniture" and t.start >= _last_field_end(before)]
    expected = _records(text, a, after, a, how)
    if expected is None:
        return None
    for cut in cuts:
        left, right = _records(text, a, cut, a, how), _records(text, cut, after, a, how)
        if left is not None and right is not None and left + right == expected:
            return cut
    return None


def _last_field_end(group: List[Token]) -> int:
    fields = [t for t in group if t[0] != "furniture"]
    return fields[-1].end if fields else group[0].start


def _records(text: str, start: int, end: int, base: int, how: Tuple[bool, bool]):
    """The JSON form of the records of ``text[start:end]`` read apart, its lines counted
    from ``base`` (None when it is not whole questions)."""
    if start >= end:
        return []
    part, line = text[start:end], 1 + count_lines(text, base, start)
    try:
        page, links = how
        groups = split_questions(tokenize(part, offset=start, first_line=line, page=page,
                                          links=links))
        return [r.to_dict() for r in records_of(groups, part, path=None, strict=False,
                                                 first_line=line, offset=start, signs=page)]
    except ParseError:
        return None
