"""acteurs: who an author was, from the AN's open-data "acteurs" archive (the AMO datasets).

The questions' open data names its author by references only (``acteurRef``, ``mandatRef``,
``groupe.organeRef``); the acteurs archive says who that is: civil state, and per mandate its
organe, its dates and, for a seat (``ASSEMBLEE``), the constituency it was won in.

    Acteurs.load(path)                                    a zip, a folder (recursively) or one JSON
    Acteurs.author_at(acteur_ref, date, mandate_ref=None)  -> dict or None: what the archive says
    Acteurs.enrich(question)                               -> Question with its author filled
    cached(path)                                           one load per process (worker processes)

The archive: members ``json/acteur/PA*.json`` (one acteur each) and ``json/organe/PO*.json``
(one organe each). As in all of the AN's JSON, which is XML turned into JSON, every scalar may
be a string, ``null`` or ``{"@xsi:nil": "true"}``; a repeated element is an object when there is
one and a list when there are several; a ``uid`` is a string or ``{"#text": ...}``. Nothing in
a member stops the load: what cannot be read is left out and listed in ``Acteurs.skipped``.

Only what enrichment needs is kept (a real archive holds some 2,000 acteurs with tens of
mandates each, most of them in commissions): per acteur the civility and names and the seat
and group mandates; per organe its name, abbreviation and type, for groups only.
"""

import datetime as _dt
import functools
import json
import os
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Tuple, Union

import attrs

from .dates import parse_date
from .errors import UsageError
from .names import civility
from .merge import conflict, where_of
from .records import Author, Defect, Question

# -- rule tables ------------------------------------------------------------------------------

# the mandates enrichment reads: a seat (its constituency) and a political group; the rest
# (commissions, delegations, study groups…) is most of an archive and is not kept
SEAT, GROUP = "ASSEMBLEE", "GP"
KEPT_MANDATES = frozenset((SEAT, GROUP))
# organes kept: the groups, for their names; an organe without a type is kept (cannot tell)
KEPT_ORGANES = frozenset((GROUP,))

# which members are acteurs and organes: by file name, in whatever folder (users unzip and
# move files); the content then decides (``acteur`` / ``organe`` at the top)
_MEMBER = re.compile(r"(?:^|/)(PA|PO)\d+\.json\Z", re.IGNORECASE | re.ASCII)
_KIND_OF_PREFIX = {"PA": "acteur", "PO": "organe"}


# an organe's abbreviation: ``libelleAbrev`` first, ``libelleAbrege`` when it is missing
_ABBREV_KEYS = ("libelleAbrev", "libelleAbrege")

# names read from a text (and a previous enrichment's) give way to the archive's; a name the
# source states (``name_from`` None) never does
REPLACEABLE_NAMES = frozenset(("question-text", "debate", "acteurs"))
TEXT_NAMES = frozenset(("question-text", "debate"))

# the author's fields this module fills when the record leaves them empty, by what they go with
SEAT_FIELDS = ("constituency", "department_code", "circonscription", "region")
GROUP_FIELDS = ("group", "group_abbrev", "group_ref")
NAME_PARTS = ("first_name", "last_name")


# -- what is kept ------------------------------------------------------------------------------

class Seat(NamedTuple):
    """Where a seat was won (a mandate's ``election.lieu``)."""
    constituency: Optional[str]          # the département's name
    department_code: Optional[str]
    circonscription: Optional[int]
    region: Optional[str]


class Mandate(NamedTuple):
    uid: Optional[str]
    kind: str                            # typeOrgane
    organe_ref: Optional[str]
    start: Optional[_dt.date]            # None: unknown, taken as "since ever"
    end: Optional[_dt.date]              # None: still running
    legislature: Optional[int]
    seat: Optional[Seat]


class Person(NamedTuple):
    civility: Optional[str]
    first_name: Optional[str]
    last_name: Optional[str]
    mandates: Tuple[Mandate, ...]        # seat and group mandates only, by start date


class Organe(NamedTuple):
    name: Optional[str]
    abbrev: Optional[str]
    kind: Optional[str]


# -- reading the AN's JSON tolerantly ----------------------------------------------------------

def _text(value: Any) -> Optional[str]:
    """A scalar as text: ``{"#text": …}`` unwrapped, blanks and ``{"@xsi:nil": …}`` as None."""
    if isinstance(value, dict):
        value = value.get("#text")
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _items(value: Any) -> List[Any]:
    """A repeated element as a list: one object, a list of them, or nothing."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _get(obj: Any, *keys: str) -> Any:
    """``obj[k1][k2]…``, None as soon as a step is missing or not an object."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


_DIGITS = re.compile(r"[0-9]+\Z")


def _int(value: Any) -> Optional[int]:
    text = _text(value)
    return int(text) if text is not None and _DIGITS.match(text) else None


class _BadValue(ValueError):
    pass


def _date(value: Any, what: str) -> Optional[_dt.date]:
    """An ISO date (maybe with a time after it) or a dd/mm/yyyy one; None when missing;
    ``_BadValue`` when given and unreadable: the mandate it dates is then left out."""
    text = _text(value)
    if text is None:
        return None
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        found, reason = parse_date(text)
        if found is None:
            raise _BadValue(f"{what} {text!r}: {reason}")
        return found


def _civility(value: Any) -> Optional[str]:
    text = _text(value)
    return civility(text)      # the records' ("M.", "Mme"), as the archive may write them


# -- one member --------------------------------------------------------------------------------

def _seat(mandate: dict) -> Optional[Seat]:
    lieu = _get(mandate, "election", "lieu")
    if not isinstance(lieu, dict):
        return None
    seat = Seat(_text(lieu.get("departement")), _text(lieu.get("numDepartement")),
                _int(lieu.get("numCirco")), _text(lieu.get("region")))
    return seat if any(v is not None for v in seat) else None


def _mandate(raw: Any) -> Optional[Mandate]:
    """A kept mandate, None for one of a type not kept; ``_BadValue`` when unreadable."""
    if not isinstance(raw, dict):
        raise _BadValue(f"a mandat that is not an object: {raw!r:.40}")
    kind = _text(raw.get("typeOrgane"))
    if kind not in KEPT_MANDATES:
        return None
    uid = _text(raw.get("uid"))
    organe = _items(_get(raw, "organes", "organeRef"))
    try:
        start = _date(raw.get("dateDebut"), "dateDebut")
        end = _date(raw.get("dateFin"), "dateFin")
    except _BadValue as bad:
        raise _BadValue(f"mandat {uid or '?'}: {bad}") from None
    return Mandate(uid, kind, _text(organe[0]) if organe else None, start, end,
                   _int(raw.get("legislature")), _seat(raw) if kind == SEAT else None)


def _person(raw: dict, problems: List[str]) -> Person:
    ident = _get(raw, "etatCivil", "ident")
    mandates = []
    for item in _items(_get(raw, "mandats", "mandat")):
        try:
            mandate = _mandate(item)
        except _BadValue as bad:      # one bad mandate does not lose the acteur
            problems.append(str(bad))
            continue
        if mandate is not None:
            mandates.append(mandate)
    mandates.sort(key=lambda m: m.start or _dt.date.min)
    return Person(_civility(_get(ident, "civ")), _text(_get(ident, "prenom")),
                  _text(_get(ident, "nom")), tuple(mandates))


def _organe(raw: dict) -> Organe:
    abbrev = next((a for a in map(_text, map(raw.get, _ABBREV_KEYS)) if a), None)
    return Organe(_text(raw.get("libelle")), abbrev, _text(raw.get("codeType")))


# -- the archive -------------------------------------------------------------------------------

class Acteurs:
    """The acteurs (by ``PA…`` uid) and group organes (by ``PO…`` uid) of an AMO archive.

    ``skipped``: (member name, why) for every member, or part of one, left out because it
    could not be read (not JSON, not an acteur or organe inside, an unreadable mandate).
    Picklable: worker processes may be sent one (or call :func:`cached` themselves)."""

    def __init__(self, acteurs: Optional[Dict[str, Person]] = None,
                 organes: Optional[Dict[str, Organe]] = None,
                 skipped: Optional[List[Tuple[str, str]]] = None, path: Optional[str] = None):
        self.acteurs: Dict[str, Person] = acteurs if acteurs is not None else {}
        self.organes: Dict[str, Organe] = organes if organes is not None else {}
        self.skipped: List[Tuple[str, str]] = skipped if skipped is not None else []
        self.path = path

    def __len__(self) -> int:
        return len(self.acteurs)

    def __contains__(self, acteur_ref: object) -> bool:
        return acteur_ref in self.acteurs

    def __repr__(self) -> str:
        return (f"<Acteurs {self.path or ''} {len(self.acteurs)} acteurs, "
                f"{len(self.organes)} organes, {len(self.skipped)} skipped>")

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Acteurs":
        """Read a zip archive, a folder (recursively) or a single acteur or organe JSON file.
        In an archive or a folder only ``PA*.json`` and ``PO*.json`` files are read; anything
        else there is not the archive's and is passed over. ``UsageError`` when ``path`` does
        not exist; the content never raises."""
        p = Path(path)
        self = cls(path=str(p))
        if p.is_dir():
            for name, data in _folder_members(p, self.skipped):
                self._add(name, data, _member_kind(name))
        elif p.is_file() and zipfile.is_zipfile(p):
            for name, data in _zip_members(p, self.skipped):
                self._add(name, data, _member_kind(name))
        elif p.is_file():
            try:
                data = p.read_bytes()
            except OSError as e:
                raise UsageError(f"{p}: cannot read the acteurs file: {e.strerror or e}") from None
            self._add(p.name, data, None)     # named as it may be: its content decides
        else:
            raise UsageError(f"{p}: no such acteurs archive, folder or file")
        return self

    def _add(self, name: str, data: bytes, expected: Optional[str]) -> None:
        """One member: an acteur or an organe (``expected`` from its name; None: either)."""
        try:
            obj = json.loads(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        except (ValueError, UnicodeDecodeError) as e:      # JSONDecodeError is a ValueError
            self.skipped.append((name, f"not JSON: {e}"))
            return
        if not isinstance(obj, dict):
            self.skipped.append((name, "not a JSON object"))
            return
        found = False
        for kind in ("acteur", "organe"):
            if kind in obj and expected in (None, kind):
                # one object per file in the archive; a list is read as well (tolerance)
                for raw in _items(obj[kind]):
                    found = True
                    self._add_one(name, kind, raw)
        if not found:
            self.skipped.append((name, f"no {expected or 'acteur or organe'} in it"))

    def _add_one(self, name: str, kind: str, raw: Any) -> None:
        uid = _text(raw.get("uid")) if isinstance(raw, dict) else None
        if uid is None:
            self.skipped.append((name, f"an {kind} without a uid"))
            return
        if kind == "organe":
            organe = _organe(raw)
            if organe.kind is None or organe.kind in KEPT_ORGANES:
                self.organes[uid] = organe
            return
        problems: List[str] = []
        self.acteurs[uid] = _person(raw, problems)
        self.skipped.extend((name, why) for why in problems)

    # -- looking up ----------------------------------------------------------------------------

    def author_at(self, acteur_ref: Optional[str], date: Optional[_dt.date] = None,
                  mandate_ref: Optional[str] = None, *,
                  legislature: Optional[int] = None) -> Optional[Dict[str, Any]]:
        """What the archive says of ``acteur_ref`` at ``date``, None for an acteur it does not
        hold. Keys: civility, first_name, last_name, name ("Prénom Nom"), constituency (the
        département's name), department_code, circonscription (int), region, group (the
        organe's libelle, when the organe files are there), group_abbrev, group_ref, and
        mandate_ref (the seat's mandate); None for what it does not say.

        The seat: the seat mandate ``mandate_ref`` names; else the one covering ``date``, else
        the last one begun before it (an answer may come after the mandate); with no date, the
        one of ``legislature`` if given, else the latest. The group: the group mandate
        covering ``date``, moved into the seat's dates (a date after the mandate's end gives
        the group at its end); with no date, the latest group mandate of the seat."""
        person = self.acteurs.get(acteur_ref) if acteur_ref else None
        if person is None:
            return None
        seat = _seat_mandate(person.mandates, date, mandate_ref, legislature)
        group = _group_mandate(person.mandates, date, seat)
        organe = self.organes.get(group.organe_ref) if group is not None else None
        place = seat.seat if seat is not None and seat.seat is not None else Seat(None, None, None,
                                                                                  None)
        parts = [p for p in (person.first_name, person.last_name) if p]
        return {
            "civility": person.civility, "first_name": person.first_name,
            "last_name": person.last_name, "name": " ".join(parts) or None,
            "constituency": place.constituency, "department_code": place.department_code,
            "circonscription": place.circonscription, "region": place.region,
            "group": organe.name if organe else None,
            "group_abbrev": organe.abbrev if organe else None,
            "group_ref": group.organe_ref if group is not None else None,
            "mandate_ref": seat.uid if seat is not None else None,
        }

    def enrich(self, q: Question) -> Question:
        """``q`` with its author filled from the archive, for ``q.author.acteur_ref`` at the
        question's date (``q.question.date``, else the answer's). The rules:

        - a value the record's source states is never overwritten;
        - civility and name read from a text (``name_from`` "question-text" or "debate") are
          replaced by the archive's, and ``name_from`` becomes "acteurs"; when the two names
          differ beyond case, accents, hyphens, apostrophes and word order (or the
          civilities differ), the record gets a ``source-conflict`` defect naming both:
          ``author.name: 'X' from acteurs (kept) and 'Y' from question-text``;
          an empty name is filled the same way, without a defect;
        - a name the source states (``name_from`` None) is kept; when the archive's differs,
          a ``source-conflict`` says so (the source's kept), and the name's parts
          (civility, first and last name) are not filled, since they would not be that name's;
        - the empty fields are filled: first_name, last_name (with the name); constituency,
          department_code, circonscription, region (from the seat, unless the record states
          another constituency); group, group_abbrev, group_ref (from the group the record
          names by ``group_ref`` when the archive has that organe, else from the group mandate
          at the date, unless the record states another group by name);
        - a record without ``acteur_ref`` is returned as it is; one whose acteur the archive
          does not hold is returned with an ``unknown-acteur`` defect naming the ref (an
          enrichment asked for and not done should not pass unseen: the archive may be of
          another period, AMO10 holds the sitting deputies only), and nothing else changed.

        Enriching twice gives the same record."""
        author = q.author
        if author is None or not author.acteur_ref:
            return q
        found = self.author_at(author.acteur_ref, _date_of(q), author.mandate_ref,
                               legislature=q.legislature)
        if found is None:
            return _with_defects(q, [Defect(
                "unknown-acteur", f"author.acteur_ref {author.acteur_ref!r} is not in the "
                                  f"acteurs archive")])
        defects: List[Defect] = []
        changes = _name_changes(author, found, where_of(q), defects)
        changes.update(_seat_changes(author, found))
        changes.update(_group_changes(author, found, self.organes))
        changes = {k: v for k, v in changes.items() if getattr(author, k) != v}
        if changes:
            q = attrs.evolve(q, author=attrs.evolve(author, **changes))
        return _with_defects(q, defects)


# -- reading the members -----------------------------------------------------------------------

def _member_kind(name: str) -> Optional[str]:
    """"acteur" / "organe" for a member named as one, else None (not the archive's)."""
    m = _MEMBER.search(name)
    return _KIND_OF_PREFIX[m.group(1).upper()] if m else None


def _folder_members(root: Path, skipped: List[Tuple[str, str]]) -> Iterable[Tuple[str, bytes]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = os.path.join(dirpath, filename)
            name = os.path.relpath(path, root).replace(os.sep, "/")
            # only regular files: a FIFO named PA1.json would block the walk
            if _member_kind(name) is None or not os.path.isfile(path):
                continue
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as e:
                skipped.append((name, f"cannot read: {e.strerror or e}"))
                continue
            yield name, data


def _zip_members(path: Path, skipped: List[Tuple[str, str]]) -> Iterable[Tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        skipped.append((str(path), f"not a readable zip: {e}"))
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir() or "__MACOSX/" in info.filename or _member_kind(info.filename) is None:
                continue
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as e:
                skipped.append((info.filename, f"cannot unzip: {e}"))   # bad CRC, encrypted…
                continue
            yield info.filename, data


# -- picking the mandates ----------------------------------------------------------------------

def _covers(m: Mandate, date: _dt.date) -> bool:
    return (m.start is None or m.start <= date) and (m.end is None or date <= m.end)


def _seat_mandate(mandates: Tuple[Mandate, ...], date: Optional[_dt.date],
                  mandate_ref: Optional[str], legislature: Optional[int]) -> Optional[Mandate]:
    seats = [m for m in mandates if m.kind == SEAT]      # by start date
    if mandate_ref:        # the mandate the question was asked under, as the source says
        named = next((m for m in seats if m.uid == mandate_ref), None)
        if named is not None:
            return named
    if date is not None:
        covering = [m for m in seats if _covers(m, date)]
        if covering:
            return covering[-1]
        begun = [m for m in seats if m.start is not None and m.start <= date]
        return begun[-1] if begun else None     # a date before any seat: no guess
    if legislature is not None:
        of_term = [m for m in seats if m.legislature == legislature]
        if of_term:
            return of_term[-1]
    return seats[-1] if seats else None


def _group_mandate(mandates: Tuple[Mandate, ...], date: Optional[_dt.date],
                   seat: Optional[Mandate]) -> Optional[Mandate]:
    groups = [m for m in mandates if m.kind == GROUP]    # by start date
    if seat is not None and date is not None:
        # a date outside the seat (an answer after its end) reads the group at its edge
        if seat.end is not None and date > seat.end:
            date = seat.end
        elif seat.start is not None and date < seat.start:
            date = seat.start
    if date is not None:
        # when one group mandate ends the day the next begins, the later one
        covering = [m for m in groups if _covers(m, date)]
        return covering[-1] if covering else None
    if seat is not None:   # no date: the seat's last group
        groups = [m for m in groups if _overlap(m, seat)]
    return groups[-1] if groups else None


def _overlap(a: Mandate, b: Mandate) -> bool:
    lo, hi = _dt.date.min, _dt.date.max
    return (a.start or lo) <= (b.end or hi) and (b.start or lo) <= (a.end or hi)


# -- filling the author ------------------------------------------------------------------------

def _date_of(q: Question) -> Optional[_dt.date]:
    for publication in (q.question, q.answer):
        if publication is not None and publication.date is not None:
            return publication.date
    return None


def _fold(text: Optional[str]) -> Tuple[str, ...]:
    """A name or place as compared: case, accents, hyphens, apostrophes and order aside
    ("Jean-Luc Mélenchon" = "MELENCHON Jean Luc")."""
    if not text:
        return ()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return tuple(sorted(re.sub(r"[-‐‑–'’.\s]+", " ", text.casefold()).split()))


def _same(a: Optional[str], b: Optional[str]) -> bool:
    return _fold(a) == _fold(b)


def _conflict(field: str, kept: str, kept_from: str, other: str, other_from: str) -> Defect:
    # the message of ``aqparse.merge``'s source conflicts
    return conflict(f"author.{field}", kept, other, kept_from, other_from)


def _empty_fills(author: Author, found: Dict[str, Any], fields: Iterable[str]) -> Dict[str, Any]:
    return {f: found[f] for f in fields if getattr(author, f) is None and found[f] is not None}


def _name_changes(author: Author, found: Dict[str, Any], where: str,
                  defects: List[Defect]) -> Dict[str, Any]:
    name, civility = found["name"], found["civility"]
    if name is None:                       # the archive has no civil state for them
        return {}
    if author.name is None or author.name_from in REPLACEABLE_NAMES:
        read_from = author.name_from if author.name_from in TEXT_NAMES else None
        if read_from and not _same(author.name, name):
            defects.append(_conflict("name", name, "acteurs", author.name, read_from))
        if read_from and author.civility and civility and author.civility != civility:
            defects.append(_conflict("civility", civility, "acteurs", author.civility, read_from))
        changes = {"name": name, "name_from": "acteurs",
                   "civility": civility or author.civility}
        changes.update(_empty_fills(author, found, NAME_PARTS))
        return changes
    # a name the source states: kept; its parts are filled only when it is the archive's
    if not _same(author.name, name):
        defects.append(_conflict("name", author.name, where, name, "acteurs"))
        return {}
    return _empty_fills(author, found, ("civility",) + NAME_PARTS)


def _seat_changes(author: Author, found: Dict[str, Any]) -> Dict[str, Any]:
    # a département code or a circonscription with another constituency's name would
    # describe no place at all: filled only where the constituency is the archive's
    if author.constituency is not None and not _same(author.constituency, found["constituency"]):
        return {}
    return _empty_fills(author, found, SEAT_FIELDS)


def _group_changes(author: Author, found: Dict[str, Any],
                   organes: Dict[str, Organe]) -> Dict[str, Any]:
    if author.group_ref is not None and author.group_ref != found["group_ref"]:
        # the group the source names (the date may fall on a change of group): its names
        organe = organes.get(author.group_ref)
        if organe is None:
            return {}
        found = dict(found, group=organe.name, group_abbrev=organe.abbrev,
                     group_ref=author.group_ref)
    elif author.group_ref is None and (author.group or author.group_abbrev):
        # a group stated by name only: the archive's must be it, else its ref would be wrong
        if not ((author.group and _same(author.group, found["group"]))
                or (author.group_abbrev and _same(author.group_abbrev, found["group_abbrev"]))):
            return {}
    return _empty_fills(author, found, GROUP_FIELDS)


def _with_defects(q: Question, defects: List[Defect]) -> Question:
    new = [d for d in defects if d not in q.defects]
    return attrs.evolve(q, defects=q.defects + tuple(new)) if new else q


# -- one load per process ----------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int, size: int) -> Acteurs:
    return Acteurs.load(path)


def cached(path: Union[str, "os.PathLike[str]"]) -> Acteurs:
    """``Acteurs.load(path)``, loaded once per process while the file is unchanged: for worker
    processes, which each enrich many records with one archive."""
    p = os.path.abspath(os.fspath(path))
    try:
        st = os.stat(p)
    except OSError:
        return Acteurs.load(p)      # raises the UsageError
    return _cached(p, st.st_mtime_ns, st.st_size)
