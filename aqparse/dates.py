"""Dates and pages.

The fast path reads ``dd/mm/yyyy`` and ISO ``yyyy-mm-dd`` with a regex and ``datetime.date``;
French long forms are read by a regex when they are ``<day> <month> <year>``
(``1er décembre 2015``); the others (``mardi 9 décembre 2014``) go to dateparser, which costs
about a millisecond a call, so its answers are cached.
"""

import datetime as _dt
import functools
import re
from typing import Optional, Tuple

_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})\Z")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
# a long form must at least look like "<day> <month> <year>" before dateparser sees it
_LONG = re.compile(
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(?:1er|\d{1,2})\s+[^\W\d_]{3,10}\.?\s+\d{4}\Z",
    re.IGNORECASE,
)
_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "DATE_ORDER": "DMY",
}

DateResult = Tuple[Optional[_dt.date], Optional[str]]


@functools.lru_cache(maxsize=8192)   # the JO appears a few days a week: dates repeat
def parse_date(value: str) -> DateResult:
    """``(date, None)`` or ``(None, reason)``; never raises, never guesses."""
    value = " ".join(value.split())
    if not value:
        return None, "empty date"
    m = _NUMERIC.match(value)
    if m:
        return _checked(int(m.group(3)), int(m.group(2)), int(m.group(1)), value)
    m = _ISO.match(value)
    if m:
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)), value)
    if _LONG.match(value):
        found = _long_date(value.lower())
        if found is None:
            return None, f"{value!r} is not a date that exists"
        return found, None
    return None, f"{value!r} is not a date (expected dd/mm/yyyy, yyyy-mm-dd or '9 décembre 2014')"


def _checked(year: int, month: int, day: int, raw: str) -> DateResult:
    try:
        return _dt.date(year, month, day), None
    except ValueError:
        return None, f"{raw!r} is not a date that exists"


# "26 juillet 2022", "1er mai 2023": the long form the current site writes, read here; what
# dateparser gives for it is the same (every day 0-99 of every month, years 0000-9999 checked),
# at about a thousandth of the cost. Other long forms (a weekday, "déc.") go to dateparser.
_MONTHS = {name: number for number, name in enumerate(
    ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"), 1)}
_DAY_MONTH_YEAR = re.compile(r"(1er|[0-9]{1,2}) (\w+) ([0-9]{4})\Z")


@functools.lru_cache(maxsize=4096)
def _long_date(value: str) -> Optional[_dt.date]:
    m = _DAY_MONTH_YEAR.match(value)
    if m is None or m.group(2) not in _MONTHS:
        return dateparser_date(value)
    day = 1 if m.group(1) == "1er" else int(m.group(1))
    try:
        return _dt.date(int(m.group(3)), _MONTHS[m.group(2)], day)
    except ValueError:        # "31 avril 2022", year 0: no such date (dateparser: None too)
        return None


def dateparser_date(value: str) -> Optional[_dt.date]:
    """dateparser on its own, uncached (the benchmarks' slow baseline uses it directly)."""
    import dateparser  # imported late: it takes a quarter of a second to load

    found = dateparser.parse(value, languages=["fr"], settings=_DATEPARSER_SETTINGS)
    return None if found is None else found.date()


def format_date(value: _dt.date) -> str:
    """The canonical text form, ``dd/mm/yyyy``."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


# a page number, its digits grouped by thousands with a blank as French typography writes
# them ("9 543") or not
_PAGE = re.compile(r"\d{1,6}\Z|\d{1,3}[ \xa0\u202f\u2009]\d{3}\Z")
_GROUP_BLANKS = str.maketrans("", "", " \xa0\u202f\u2009")


def parse_page(value: str) -> Tuple[Optional[int], Optional[str]]:
    value = value.strip()
    if _PAGE.match(value):
        return int(value.translate(_GROUP_BLANKS)), None
    return None, f"{value!r} is not a page number"
