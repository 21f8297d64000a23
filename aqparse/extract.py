"""extract: the tokens of one question to a ``Question`` record.

One small handler per token name (``HANDLERS``). A handler reads its token's value into the
builder and records what it could not read as a ``Defect`` (code, message, line), like the
``email`` package's defects: the record is always built, ``strict=True`` turns the first defect
into a ``ParseError``. A value the extractor could not fully read is also kept verbatim in
``extra`` under its label, so that nothing is lost and ``render`` can write it back.
"""

import datetime as _dt
import functools
import re

import attrs
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .agree import rubrique_form
from .dates import parse_date, parse_page
from .decode import clean_text_body, clean_value, paragraphs_of, unify_breaks
from .names import civility
from .errors import ParseError, defect_error, excerpt, line_of, raise_for  # noqa: F401
from .records import (CLOSURE_LABELS, Attribution, Author, Closure, Defect, Erratum, Ministry,
                      Publication, Question, Renewal, Signalement, Source, Withdrawal, make_uid,
                      status_of)
from .tokenize import Token

UNLABELLED = "(unlabelled)"   # the ``extra`` key of text that stood under no label

KIND_NAMES = {
    "question écrite": "QE", "qe": "QE",
    "question orale sans débat": "QOSD", "question orale": "QOSD", "qosd": "QOSD",
    "question au gouvernement": "QG", "qg": "QG",
}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def label_name(token: Token) -> str:
    """The label as written, without its separator (``Rubrique >`` → ``Rubrique``): the name
    that defect messages and ``extra`` keys show."""
    name = clean_value(token.label)
    return name.rstrip(" :>") or name


class Builder:
    """Mutable scratch space for one question; turned into a frozen Question at the end."""

    def __init__(self, page_text: bool = False, wrapped_at: Optional[int] = None,
                 clean_bodies: bool = False):
        self.page_text = page_text       # the tokens were read from the text of a whole page
        self.wrapped_at = wrapped_at     # ... wrapped by a text browser at this width
        self.clean_bodies = clean_bodies   # the bodies' values are already clean_body_lines'
        self.fields: Dict[str, object] = {}
        self.changes: List[Optional[_dt.date]] = []  # dates of the attribution changes, in order
        self.signalements: List[Signalement] = []
        self.renewals: List[Renewal] = []
        self.errata: List[Erratum] = []
        self.extra: Dict[str, str] = {}
        self._repeats: Dict[str, int] = {}   # the last "(n)" given to a label kept again
        self.defects: List[Defect] = []

    def defect(self, code: str, message: str, token: Optional[Token]) -> None:
        self.defects.append(Defect(code, message, None if token is None else token.line))

    def keep(self, token: Token, value: Optional[str] = None) -> None:
        """Keep a value verbatim in ``extra`` (unknown label, or a value not fully read)."""
        key = label_name(token) or UNLABELLED
        value = clean_value(token.value) if value is None else value
        if key in self.extra:
            if key == UNLABELLED:
                self.extra[key] += "\n" + value
                return
            # "Note (2)", "Note (3)"…: counted on from the last one given (looked for from 2
            # each time, a label repeated 20,000 times took half a minute)
            n = self._repeats.get(key, 1) + 1
            while f"{key} ({n})" in self.extra:
                n += 1
            self._repeats[key] = n
            key = f"{key} ({n})"
        self.extra[key] = value

    def set_once(self, field: str, value, token: Token) -> None:
        """Most labels appear once; a second, different value is a defect, kept in extra."""
        if field in self.fields and self.fields[field] != value:
            self.defect("duplicate-label",
                        f"{label_name(token)!r} given twice with different values", token)
            self.keep(token)
            return
        self.fields[field] = value


# -- value readers -----------------------------------------------------------------------------

# (the page is all that follows its label: one it cannot read costs the page, not the date)
_DATE_PAGE = re.compile(r"(?P<date>.*?)(?:\s*\bpage\s*:?\s*(?P<page>.*?))?\s*\Z", re.S | re.I)
_WITHDRAWAL = re.compile(r"(?P<date>[^()]*?)\s*(?:\((?P<reason>[^()]*)\))?\s*\Z", re.S)
# what is left when the parentheses do not pair: the date before the first one, the rest
_WITHDRAWAL_ODD = re.compile(r"(?P<date>[^(]*?)\s*\((?P<reason>.*?)\)?\s*\Z", re.S)
# (a civility however it is written, "Monsieur", "Mme.", "MME", "M", made the records' by
# ``names.civility``; one that is not a word of its own, "Mmeyer", is part of the name)
_AUTHOR = re.compile(r"(?P<civ>(?i:MM\.|M\.|Mme\.|Mlle\.|(?:Mme|Mlle|Monsieur|Madame|Mademoiselle|M)"
                     r"(?![^\W\d_.]|['’])))?\s*(?P<name>[^(]*?)\s*"
                     r"(?:\((?P<paren>.*?)\)?)?\s*\Z", re.S)
_NUMBER_VALUE = re.compile(r"\s*(?P<n>\d{1,7})\b(?P<rest>.*)\Z", re.S)
# digits grouped by thousands with a blank, as French typography writes "23 817"
_NUMBER_GROUPS = re.compile(r"(?:[ \xa0\u202f\u2009]\d{3}\b)+")


def _date(b: Builder, token: Token, raw: str):
    """A date, or None and a defect (the raw value is then kept in extra)."""
    if not raw.strip():     # a label with nothing after it: the same defect as _date_page's
        b.defect("missing-date", f"{label_name(token)}: no date", token)
        return None
    found, problem = parse_date(raw)
    if problem:
        b.defect("bad-date", f"{label_name(token)}: {problem}", token)
    return found


# Values that repeat from question to question (a JO page holds several questions, a few
# dozen ministries and rubriques name most of them) are read once: the readers below are pure
# and their results immutable, so they are cached on the value as written.

@functools.lru_cache(maxsize=8192)
def read_date_page(value: str):
    """``dd/mm/yyyy page : N`` → (date, page, problems as (code, reason) pairs)."""
    m = _DATE_PAGE.match(clean_value(value))
    date_raw, page_raw = m.group("date"), m.group("page")
    date = page = None
    problems = []
    if not date_raw.strip():
        problems.append(("missing-date", "no date"))
    else:
        date, problem = parse_date(date_raw)
        if problem:
            problems.append(("bad-date", problem))
    if page_raw is not None:
        page, problem = parse_page(page_raw)
        if problem:
            problems.append(("bad-page", problem))
    return date, page, tuple(problems)


def _date_page(b: Builder, token: Token):
    """A date and a page; either one not read is a defect, and the value is kept."""
    date, page, problems = read_date_page(token.value)
    for code, reason in problems:
        b.defect(code, f"{label_name(token)}: {reason}", token)
    if problems:
        b.keep(token)
    return date, page


@functools.lru_cache(maxsize=8192)   # deputies ask many questions; records are immutable
def split_author(value: str, place_first: bool = False) -> Author:
    """``Mme Prénom Nom (Group - Département )``; the département is after the last `` - ``
    (groups may contain `` - ``). The current site prints the place first: ``place_first``."""
    m = _AUTHOR.match(clean_value(value))
    group = constituency = None
    paren = m.group("paren")
    if paren is not None:
        paren = paren.strip()
        if paren.startswith("- "):
            group, constituency = None, paren[2:]
        elif paren.endswith(" -"):        # a group and no place (place first: a place alone)
            if place_first:
                constituency = paren[:-2]
            else:
                group = paren[:-2]
        elif place_first and " - " in paren:
            constituency, group = paren.split(" - ", 1)
        elif " - " in paren:
            group, constituency = paren.rsplit(" - ", 1)
        else:
            group = paren
    return Author(civility=civility(m.group("civ")), name=m.group("name"), group=group,
                  constituency=constituency)


def _roman(value: str) -> Optional[int]:
    total = 0
    values = [_ROMAN.get(c) for c in value.upper()]
    if None in values:
        return None
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total


# -- handlers ----------------------------------------------------------------------------------

def _legislature(b: Builder, t: Token):
    value = t.value.strip()
    b.set_once("legislature", int(value) if value.isdigit() else _roman(value), t)


def _number(b: Builder, t: Token):
    m = _NUMBER_VALUE.match(t.value)
    if m is None:
        b.defect("bad-number", f"{label_name(t)!r} is not followed by a number", t)
        b.keep(t)
        return
    digits, rest = m.group("n"), m.group("rest")
    groups = _NUMBER_GROUPS.match(rest) if len(digits) <= 3 else None
    if groups is not None:      # said: the number was not written as the AN writes it
        digits += "".join(groups.group(0).split())
        rest = rest[groups.end():]
        b.defect("spaced-number", f"{label_name(t)!r}: {clean_value(m.group('n') + groups.group(0))!r} "
                                  f"read as the number {int(digits)}", t)
    b.set_once("number", int(digits), t)
    rest = rest.strip(" \n:")
    if rest:
        _unlabelled(b, t._replace(value=rest))


def _author(b: Builder, t: Token):
    b.set_once("author", split_author(t.value), t)


@functools.lru_cache(maxsize=1024)
def kind_of(value: str) -> Optional[str]:
    return KIND_NAMES.get(clean_value(value).lower().replace("debat", "débat"))


def _kind(b: Builder, t: Token):
    kind = kind_of(t.value)
    if kind is None:
        b.defect("unknown-kind", f"question kind {clean_value(t.value)!r} is not QE, QOSD or QG", t)
        b.keep(t, clean_value(t.value))
        return
    b.set_once("kind", kind, t)


def _text_field(field: str, repeats: bool = False) -> Callable[[Builder, Token], None]:
    """A value on one line. ``repeats``: a value many questions share (a rubrique), read
    once."""
    read = text_value_of if repeats else clean_value

    def handler(b: Builder, t: Token):
        b.set_once(field, read(t.value) or None, t)
    handler.__name__ = f"_{field}"
    return handler


@functools.lru_cache(maxsize=8192)
def text_value_of(value: str) -> str:
    return clean_value(value)


def _rubrique(b: Builder, t: Token):
    # in the AN vocabulary's form, as the open data gives it (a /dyn page capitalises it)
    b.set_once("rubrique", rubrique_form(text_value_of(t.value)) or None, t)


@functools.lru_cache(maxsize=4096)
def ministry_of(value: str) -> Optional[Ministry]:
    name = clean_value(value)
    return Ministry(name=name) if name else None


def _ministry(field: str) -> Callable[[Builder, Token], None]:
    def handler(b: Builder, t: Token):
        b.set_once(field, ministry_of(t.value), t)
    handler.__name__ = f"_{field}"
    return handler


# items end at ". " or ";" — but not at the dot of "M." / "MM." ("élection de M. Jair Bolsonaro")
_ANALYSIS_SEP = re.compile(r"(?<!\bM)(?<!\bMM)\.\s+|;|\.\Z")


@functools.lru_cache(maxsize=8192)
def analyses_of(value: str) -> Tuple[str, ...]:
    items = [item.strip(" .") for item in _ANALYSIS_SEP.split(clean_value(value))]
    return tuple(i for i in items if i)


def _analyses(b: Builder, t: Token):
    b.set_once("analyses", analyses_of(t.value), t)


def _published(field: str) -> Callable[[Builder, Token], None]:
    date_key, page_key, seen_key = f"{field}_date", f"{field}_page", f"{field}_seen"

    def handler(b: Builder, t: Token):
        date, page = _date_page(b, t)
        b.set_once(date_key, date, t)
        b.set_once(page_key, page, t)
        b.fields[seen_key] = True
    handler.__name__ = f"_{field}_published"
    return handler


def _attribution_change(b: Builder, t: Token):
    # a change whose date cannot be read still happened: it counts, with a null date
    date = _date(b, t, clean_value(t.value))
    if date is None:
        b.keep(t)
    b.changes.append(date)


def _dated_event(events: str, cls) -> Callable[[Builder, Token], None]:
    """A signalement or a renewal: a date; one that cannot be read is kept verbatim."""
    def handler(b: Builder, t: Token):
        date = _date(b, t, clean_value(t.value))
        if date is None:
            b.keep(t)
        else:
            getattr(b, events).append(cls(date=date))
    handler.__name__ = f"_{events}"
    return handler


def _withdrawal(b: Builder, t: Token):
    value = clean_value(t.value)
    m = _WITHDRAWAL.match(value)
    if m is None:       # "20/06/2017 (fin de mandat": read what can be, keep it as given
        m = _WITHDRAWAL_ODD.match(value)
        b.defect("bad-withdrawal", f"{label_name(t)}: unpaired parentheses in {value!r}", t)
        b.keep(t)
    if m is None:       # a ")" with no "(" before it: no date nor reason can be told apart
        b.set_once("withdrawal", Withdrawal(), t)
        return
    date_raw, reason = m.group("date").strip(), m.group("reason")
    date = _date(b, t, date_raw) if date_raw else None
    if date_raw and date is None and m.re is _WITHDRAWAL:
        b.keep(t)
    b.set_once("withdrawal", Withdrawal(date=date, reason=reason), t)


def _erratum(target: str) -> Callable[[Builder, Token], None]:
    def handler(b: Builder, t: Token):
        date, page = _date_page(b, t)
        if date is not None:
            b.errata.append(Erratum(target=target, date=date, page=page))
    handler.__name__ = f"_erratum_{target}"
    return handler


_SPACE_RUN = re.compile("  +")
# the blanks decode.clean_body makes a space of (its ``_SPACES``, less the space itself)
_ODD_SPACES = ("\xa0", "\u202f", "\u205f") + tuple(map(chr, range(0x2000, 0x200b)))


def clean_body_lines(text: Optional[str]) -> Optional[str]:
    """``decode.clean_body(text)``, with str methods a line at a time: its regexes over the
    whole text were half of the reading of a page's tokens (a long answer, checked for odd
    breaks and blanks it does not hold). tests/test_html_speed.py checks the two agree."""
    if not text:
        return None
    if not text.isascii():
        for blank in _ODD_SPACES:
            if blank in text:
                text = text.replace(blank, " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    # (splitlines breaks where decode.unify_breaks does: CR, LF, CRLF and the others)
    lines = text.splitlines()
    if len(lines) == 1:
        line = lines[0].strip(" ")
        return line if line.strip() else None
    return paragraphs_of(lines)


def _body(field: str) -> Callable[[Builder, Token], None]:
    text_key, seen_key = f"{field}_text", f"{field}_seen"

    def handler(b: Builder, t: Token):
        if b.clean_bodies:      # (cleaning again would give the same text: a long one's cost)
            body = t.value or None
        else:
            body = clean_text_body(t.value, b.wrapped_at) if b.page_text \
                else clean_body_lines(t.value)
        b.set_once(text_key, body, t)
        b.fields[seen_key] = True
    handler.__name__ = f"_{field}_text"
    return handler


def _site_button(b: Builder, t: Token):
    """A button of the AN site copied with the page: its own words carry nothing; text after
    it stood under no label."""
    _unlabelled(b, t)


def _unknown(b: Builder, t: Token):
    b.defect("unknown-label", f"unknown label {label_name(t)!r}", t)
    b.keep(t)


def _unlabelled(b: Builder, t: Token):
    text = clean_value(t.value)
    if text:
        # the defect points at the line where the text starts, not where its token opened
        lead = t.value[:len(t.value) - len(t.value.lstrip())]
        if t.line is not None:      # (a page's tokens may have no line)
            t = t._replace(line=t.line + unify_breaks(lead).count("\n"))
        b.defect("unlabelled-text", f"text under no label: {excerpt(text)!r}", t)
        b.keep(t._replace(label=""), text)


# the tokens that are a body, and which body (a reader that cleans them itself, as the page
# reader does, tells ``extract`` so with ``clean_bodies``)
BODY_TOKENS = {"question_text": "question", "answer_text": "answer"}

HANDLERS: Dict[str, Callable[[Builder, Token], None]] = {
    "legislature": _legislature,
    "number": _number,
    "author": _author,
    "kind": _kind,
    "ministry_asked": _ministry("ministry_asked"),
    "ministry_assigned": _ministry("ministry_assigned"),
    "rubrique": _rubrique,
    "tete_analyse": _text_field("tete_analyse", repeats=True),
    "analyses": _analyses,
    "title": _text_field("title"),
    "question_published": _published("question"),
    "answer_published": _published("answer"),
    "attribution_change": _attribution_change,
    "signalement": _dated_event("signalements", Signalement),
    "renewal": _dated_event("renewals", Renewal),
    "withdrawal": _withdrawal,
    "erratum_question": _erratum("question"),
    "erratum_answer": _erratum("answer"),
    **{name: _body(target) for name, target in BODY_TOKENS.items()},
    "site_button": _site_button,
    "unknown": _unknown,
    "unlabelled": _unlabelled,
}


# -- the current site's /dyn/ pages (see tokenize: their rows) --------------------------------

_HEADING = re.compile(r"\s*(?P<n>\d{1,7})\s*:?\s*(?P<title>.*)\Z", re.S)
_DATE_AT_END = re.compile(r"(?:\ble\s+)?(?P<date>(?:1er|\d{1,2})\s+[^\W\d_]{3,9}\.?\s+\d{4}"
                          r"|\d{1,2}/\d{1,2}/\d{4})\s*\Z")
_KEY_DATE = re.compile(r"(?P<what>question|r[ée]ponse)\s+publi[ée]e\s+le\s+(?P<date>"
                       r"(?:1er|\d{1,2})\s+[^\W\d_]{3,9}\.?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|[^\n]+)",
                       re.I)


def _heading(b: Builder, t: Token):
    """``Question écrite n°`` then ``200 : Agriculture biologique``: the kind, the number,
    then the title."""
    kind = kind_of(_HEADING_NUMBER_SIGN.sub("", t.label))
    if kind is None:
        b.defect("unknown-kind", f"question kind {clean_value(t.label)!r} is not QE, QOSD or QG", t)
    else:
        b.set_once("kind", kind, t)
    m = _HEADING.match(t.value)
    if m is None:
        _number(b, t)
        return
    b.set_once("number", int(m.group("n")), t)
    title = clean_value(m.group("title"))
    if title:
        b.set_once("title", title, t)


_HEADING_NUMBER_SIGN = re.compile(r"\s*n[°º]\s*\Z", re.I)


def _published_jo(field: str) -> Callable[[Builder, Token], None]:
    """``26 juillet 2022, page 3501``: the comma before ``page`` is the only difference."""
    inner = _published(field)

    def handler(b: Builder, t: Token):
        inner(b, t._replace(value=t.value.replace(",", " ")))
    handler.__name__ = f"_{field}_published_jo"
    return handler


def _author_place_first(b: Builder, t: Token):
    """``Mme X (Ile-de-France - Renaissance)``: the place is a region, the group comes last."""
    a = split_author(t.value, place_first=True)
    b.set_once("author", Author(civility=a.civility, name=a.name, group=a.group,
                                region=a.constituency), t)


def _dated(*fields: str) -> Callable[[Builder, Token], None]:
    """A date alone (``Réponse publiée le 27 septembre 2022``) for the given publications;
    their page, if any, comes from another line."""
    def handler(b: Builder, t: Token):
        date = _date(b, t, clean_value(t.value))
        if date is None:
            b.keep(t)
            return
        for field in fields:
            b.set_once(f"{field}_date", date, t)
    handler.__name__ = "_dated_" + "_".join(fields)
    return handler


def _key_dates(b: Builder, t: Token):
    for m in _KEY_DATE.finditer(t.value):
        field = "question" if m.group("what").lower() == "question" else "answer"
        _dated(field)(b, t._replace(value=m.group("date")))


def _session_date(b: Builder, t: Token):
    """``La question a été posée au Gouvernement en séance, parue dans le journal officiel le
    26 octobre 2022``: the question's date in the JO."""
    m = _DATE_AT_END.search(clean_value(t.value))
    if m is None:
        b.defect("bad-date", f"{clean_value(t.label)}: no date in {excerpt(t.value)!r}", t)
        b.keep(t)
        return
    _dated("question")(b, t._replace(value=m.group("date")))


def _question_type(b: Builder, t: Token):
    # "Type de question : Question écrite": the kind is read as a token of its own
    if clean_value(t.value):
        _kind(b, t)


def _furniture(b: Builder, t: Token):
    """The site's menus, buttons, footer (``aqparse.furniture``): not the question's."""


_CODES = re.compile(r"(?:(?P<group>\S+) )?(?P<legislature>\d{1,2}) (?P<code>\S+) "
                    r"(?:(?P<region>.+?) )?(?P<answered>[ON])\Z")


def _fiche_codes(b: Builder, t: Token):
    """The old pages' hidden codes, shown by a page's text: ``SOC 8 REP_PUB
    Nord-Pas-de-Calais O`` (group abbreviation, legislature, closure code, region,
    answered). Read as the HTML reader reads them from the markup."""
    m = _CODES.match(clean_value(t.value))
    if m is None:      # the rule's pattern has this shape: not reached, but never lost
        _unlabelled(b, t)
        return
    b.set_once("codes", (m.group("group"), m.group("legislature"), m.group("code"),
                         m.group("region"), m.group("answered"), t.line), t)


HANDLERS.update({
    "furniture": _furniture,
    "fiche_codes": _fiche_codes,
    "heading": _heading,
    "question_published_jo": _published_jo("question"),
    "answer_published_jo": _published_jo("answer"),
    "author_place_first": _author_place_first,
    "asked_in_session": _dated("question", "answer"),
    "answer_dated": _dated("answer"),
    "key_data": _furniture,
    "question_type": _question_type,
    "key_dates": _key_dates,
    "session_date": _session_date,
})

# -- assembling the record ---------------------------------------------------------------------

def _publication(b: Builder, field: str) -> Optional[Publication]:
    f = b.fields
    date, page, text = f.get(f"{field}_date"), f.get(f"{field}_page"), f.get(f"{field}_text")
    if date is None and page is None and text is None:
        return None
    return Publication(date=date, page=page, text=text)


@functools.lru_cache(maxsize=8192)   # a ministry, a JO date: shared by many questions
def attribution(ministry: Optional[Ministry], date: Optional[_dt.date]) -> Attribution:
    return Attribution(ministry=ministry, date=date)


def _attributions(b: Builder, question: Optional[Publication]):
    """The first attribution is the ministry asked, dated at the question's publication; each
    change of attribution adds one; only the last ministry of a chain of changes is known."""
    asked = b.fields.get("ministry_asked")
    assigned = b.fields.get("ministry_assigned")
    chain: List[Attribution] = []
    if asked is not None:
        chain.append(attribution(asked, question.date if question else None))
    for i, date in enumerate(b.changes):
        chain.append(attribution(assigned if i == len(b.changes) - 1 else None, date))
    if len(chain) <= 1 and assigned is not None and assigned != asked:
        chain.append(attribution(assigned, None))
    if assigned is None and chain:
        assigned = chain[-1].ministry
    return tuple(chain), assigned


def _check_required(b: Builder, first: Optional[Token]) -> None:
    for field, label in (("number", "Question N°"), ("kind", "question kind"),
                         ("legislature", "législature")):
        if b.fields.get(field) is None:
            b.defect(f"missing-{field}", f"no {label} found", first)


# the tokens that show a question read from a whole page's text
PAGE_TOKENS = frozenset(("furniture", "fiche_codes", "key_data"))


def extract(tokens: Sequence[Token], text: str, *, source: Source, strict: bool = False,
            first_line: int = 1, page_text: Optional[bool] = None,
            wrapped_at: Optional[int] = None, clean_bodies: bool = False,
            complete: Optional[Callable[[Dict[str, object]], None]] = None) -> Question:
    """A record from the tokens of one question. ``text`` is the input they were read from,
    starting at line ``first_line``; ``wrapped_at``, the width a text browser wrapped it at.
    ``clean_bodies``: the values of the body tokens are already what ``clean_body_lines``
    makes of them (a page's reader cleans them as it reads them). ``complete`` adds what the
    source gives besides its tokens (a page's markup) to the record's fields before the
    record is built (once: building one runs its validators)."""
    # a body is mended (``decode.clean_text_body``) where the text is a whole page's: the
    # page's furniture stands among the question's tokens
    if page_text is None:
        page_text = any(t[0] in PAGE_TOKENS for t in tokens)
    page_text = page_text and source.format == "text"
    b = Builder(page_text=page_text, wrapped_at=wrapped_at, clean_bodies=clean_bodies)
    for token in tokens:
        try:
            HANDLERS[token.name](b, token)
        except Exception as error:   # a bug must not lose the question: keep the value, say so
            b.defect("internal-error", f"{label_name(token) or token.name}: "
                                       f"{type(error).__name__}: {error}", token)
            b.keep(token)
    first = tokens[0] if tokens else None
    _check_required(b, first)
    f = b.fields
    question = _publication(b, "question")
    answer = _publication(b, "answer")
    attributions, assigned = _attributions(b, question)
    withdrawal = f.get("withdrawal")
    author, closure = f.get("author"), None
    if "codes" in f:
        author, closure = _with_codes(b, author, f["codes"], answer)
    values: Dict[str, object] = dict(
        uid=make_uid(f.get("legislature"), f.get("kind"), f.get("number")),
        legislature=f.get("legislature"), kind=f.get("kind"), number=f.get("number"),
        author=author, ministry_asked=f.get("ministry_asked"),
        ministry_assigned=assigned, attributions=attributions,
        rubrique=f.get("rubrique"), tete_analyse=f.get("tete_analyse"),
        analyses=f.get("analyses", ()), title=f.get("title"),
        question=question, answer=answer,
        signalements=b.signalements, renewals=b.renewals, errata=b.errata,
        withdrawal=withdrawal, status=status_with_closure(answer, withdrawal, closure), closure=closure,
        extra=b.extra, defects=b.defects, source=source,
    )
    if complete is not None:
        complete(values)
    record = Question(**values)
    if strict and record.defects:
        raise_for(record, text, first_line)
    return record


def status_with_closure(answer, withdrawal, closure) -> str:
    # an old page's hidden code "answer published" is an answer, even where its text lacks it
    status = status_of(answer, withdrawal)
    if status == "pending" and closure is not None and closure.code in CLOSURE_LABELS:
        return "answered"
    return status


def _with_codes(b: Builder, author: Optional[Author], codes: tuple,
                answer: Optional[Publication]) -> Tuple[Optional[Author], Optional[Closure]]:
    """The author and the closure completed with the old pages' hidden codes; the codes that
    repeat what the text says (legislature, answered) are checked against it."""
    group, legislature, code, region, answered, line = codes
    checks = (("legislature", legislature, str(b.fields.get("legislature"))),
              ("answered", answered, "O" if answer is not None else "N"))
    for what, expected, seen in checks:
        if expected != seen:
            b.defects.append(Defect("hidden-mismatch", f"the page's hidden codes give {what} "
                                    f"{expected!r} but its text gives {seen!r}", line))
    author = author or Author()
    values = {k: v for k, v in (("group_abbrev", group), ("region", region))
              if v and getattr(author, k) is None}
    if values:
        author = attrs.evolve(author, **values)
    return author, Closure(code=code, label=CLOSURE_LABELS.get(code))
