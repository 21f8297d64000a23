"""merge: the records of one question from several sources, as one record, field by field.

Each source gives part of a question: a saved page names the author, the open data gives the
organe references and the closure; a dump taken later holds the answer an earlier one lacked.
``merge`` makes one record per ``uid`` of them:

- a value only one record has is kept;
- values several records have must agree (text compared with its blanks collapsed, its case
  and its typographic apostrophes aside), else the
  record keeps the value of the first record in the order of precedence and gets a
  ``source-conflict`` defect that names both values and where each came from;
- lists of records (attributions, errata…) of the same length merge item by item, the same
  items in another order (by target and date) matched first; of different lengths, the first
  record's list is kept, with a ``source-conflict``;
- the precedence: the later state of the question first (``export.state_of``: answered, then
  withdrawn, then pending, then the latest date it knows of: ``state_of``),
  then the richer record (more fields filled), then the structured sources before the pages
  and the pages before text; the path and line of the input break the last ties, so that the
  result never depends on the order the records were given in;
- an author's civility and name the source states are kept before those read from a text
  (``Author.name_from``);
- copies (records that say the same of the question, read from several inputs) count once:
  the one that comes first stands for them;
- ``status`` is the furthest along of the parts' (an answered question stays answered);
- ``source`` is the first record's; ``sources`` lists the input of each part (empty when all the parts
  were read from one); defects are all kept.
"""

import datetime as _dt
import json
from typing import Any, Dict, Iterable, List, Optional, Tuple

import attrs

from .records import Author, Defect, Question, Source, status_of

# -- the "newer state" rule: which record of a question is further along ------------------------

# A question moves from pending to answered or to withdrawn, and never back: both are final.
# An answer cannot follow a withdrawal nor the reverse, so when two records disagree on a final
# state, the answered one wins (it carries the answer text; nothing is lost by keeping it).
STATUS_RANK = {"pending": 0, "withdrawn": 1, "answered": 2}


def latest_date(q: Question) -> Optional[_dt.date]:
    """The latest date a record knows of: question, answer, attributions, renewals,
    signalements, errata, withdrawal, closure."""
    dates = [p.date for p in (q.question, q.answer, q.withdrawal, q.closure) if p is not None]
    for items in (q.attributions, q.renewals, q.signalements, q.errata):
        dates += [item.date for item in items]
    dates = [d for d in dates if d is not None]
    return max(dates) if dates else None


def state_key(status: str, latest: Optional[_dt.date]) -> Tuple[int, int]:
    """How far along a record is: status first (answered > withdrawn > pending: an answered
    question is never downgraded by an older dump), then its latest date."""
    return STATUS_RANK.get(status, 0), latest.toordinal() if latest is not None else 0


def state_of(q: Question) -> Tuple[int, int]:
    return state_key(q.status, latest_date(q))


def supersedes(new: Tuple[int, int], old: Tuple[int, int]) -> bool:
    """Whether a record of state ``new`` replaces one of state ``old`` with the same uid.
    On a tie the newer input wins (re-running the same input rewrites the same record)."""
    return new >= old


# -- merging ------------------------------------------------------------------------------------

# structured sources state more of a question, and state it as the AN records it
FORMAT_RANK = {"opendata-json": 4, "opendata-xml": 4, "legacy-xml": 3, "html": 2, "text": 1}

# fields that say how a record was read rather than what the question is, merged apart
_OWN = frozenset(("uid", "status", "extra", "defects", "source", "sources"))
# an author's fields that go with the name: taken from the same record as the name
_NAME = ("civility", "name", "name_from")


def _filled(value: Any) -> int:
    """How many values a record (or part of one) holds: the "richer" of the precedence."""
    if value is None or value == () or value == "":
        return 0
    if attrs.has(type(value)):
        return sum(_filled(getattr(value, f.name)) for f in attrs.fields(type(value)))
    if isinstance(value, tuple):
        return sum(_filled(v) for v in value)
    if isinstance(value, dict):
        return len(value)
    return 1


def precedence(q: Question) -> tuple:
    """The order in which records of one question give their values (largest first)."""
    values = sum(_filled(getattr(q, f.name)) for f in attrs.fields(Question)
                 if f.name not in _OWN)
    # last, what the record says: two records read from one place (a dump on one line, stdin)
    # are still ordered by themselves, never by the order they were given in
    return (state_of(q), values, FORMAT_RANK.get(q.source.format, 0), q.source.path or "",
            q.source.line or 0, q.source.layout or "", content(q))


def content(q: Question) -> str:
    """What a record says of its question, not where it was read (nor the lines of its
    defects): copies of one question in a dump say the same."""
    data = q.to_dict()
    for name in ("source", "sources"):
        data.pop(name, None)
    for d in data.get("defects", ()):
        d.pop("line", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def merge(records: Iterable[Question]) -> List[Question]:
    """One record per ``uid``, in the order each uid first appears; records without a uid
    (the parser could not tell which question they are) are passed through as they are."""
    order: List[Any] = []
    groups: Dict[str, List[Question]] = {}
    for q in records:
        if q.uid is None:
            order.append(q)
            continue
        if q.uid not in groups:
            groups[q.uid] = []
            order.append(q.uid)
        groups[q.uid].append(q)
    return [merge_one(groups[x]) if isinstance(x, str) else x for x in order]


def merge_one(records: List[Question]) -> Question:
    """The records of one question (same uid) as one record."""
    if len(records) == 1:
        return records[0]
    ordered, seen = [], set()
    # (what a record says is the last of its precedence: worked out once per record)
    for key, q in sorted(((precedence(q), q) for q in records), key=lambda p: p[0],
                         reverse=True):
        if key[-1] not in seen:       # a copy adds nothing: the first of them stands for all
            seen.add(key[-1])
            ordered.append(q)
    if len(ordered) == 1:
        return ordered[0]
    conflicts: List[Defect] = []
    values: Dict[str, Any] = {}
    for f in attrs.fields(Question):
        if f.name not in _OWN:
            values[f.name] = _merged(f.name, [getattr(q, f.name) for q in ordered], ordered,
                                     conflicts)
    extra: Dict[str, str] = {}
    for q in ordered:
        for key, value in q.extra.items():
            if key not in extra:
                extra[key] = value
            elif _differ(extra[key], value):
                conflicts.append(conflict(f"extra[{key!r}]", extra[key], value,
                                           where_of(_giver(ordered, "extra", key)), where_of(q)))
    first = ordered[0]
    # the furthest status any part or the merged answer and withdrawal show
    status = max([q.status for q in ordered] + [status_of(values["answer"], values["withdrawal"])],
                 key=STATUS_RANK.__getitem__)
    final = {q.status for q in ordered} - {"pending"}
    if len(final) > 1:          # answered by one source, withdrawn by another: said
        other = next(q for q in ordered if q.status != status and q.status != "pending")
        giver = next(q for q in ordered if q.status == status)
        conflicts.append(conflict("status", status, other.status, where_of(giver), where_of(other)))
    defects: List[Defect] = []
    for d in [d for q in ordered for d in q.defects] + conflicts:
        if d not in defects:
            defects.append(d)
    sources: List[Source] = []
    for q in ordered:
        for s in q.sources or (q.source,):
            if s not in sources:
                sources.append(s)
    return Question(uid=first.uid, status=status, extra=extra, defects=defects,
                    source=first.source, sources=sources if len(sources) > 1 else (), **values)


# -- field by field ------------------------------------------------------------------------------

def _empty(value: Any) -> bool:
    return value is None or value == () or value == ""


def _plain(text: str) -> List[str]:
    return text.replace("\u2019", "'").casefold().split()


def _same(a: Any, b: Any) -> bool:
    # text compared with its blanks collapsed, its case and apostrophes aside: two sources
    # lay out one body differently, and write one label "(fin de mandat)" or "Fin de mandat"
    if isinstance(a, str) and isinstance(b, str):
        return a == b or _plain(a) == _plain(b)
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _differ(a: Any, b: Any) -> bool:
    return not _same(a, b)


def _merged(path: str, values: List[Any], records: List[Question],
            conflicts: List[Defect]) -> Any:
    """The merged value of ``path`` from ``values`` (one per record, in precedence order)."""
    given = [(v, q) for v, q in zip(values, records) if not _empty(v)]
    if not given:
        return values[0]
    if len(given) == 1:
        return given[0][0]
    kept, giver = given[0]
    if attrs.has(type(kept)) and all(type(v) is type(kept) for v, _ in given):
        return _merged_record(path, given, conflicts)
    if (isinstance(kept, tuple) and kept and attrs.has(type(kept[0]))
            and all(len(v) == len(kept) for v, _ in given)):
        lists = [kept] + [_in_order_of(kept, v) for v, _ in given[1:]]
        return tuple(_merged(f"{path}[{i + 1}]", [v[i] for v in lists], [q for _, q in given],
                             conflicts) for i in range(len(kept)))
    for value, q in given[1:]:
        if _differ(kept, value):
            conflicts.append(conflict(path, kept, value, where_of(giver), where_of(q)))
    return kept


def _item_key(item: Any) -> Tuple[Any, ...]:
    """What tells one item of a list from the others of its list: its target (an erratum of the
    question or of the answer) and its date."""
    return getattr(item, "target", None), getattr(item, "date", None)


def _in_order_of(kept: tuple, other: tuple) -> tuple:
    """``other``'s items in the order of ``kept``'s when they are the same items in another
    order (the open data lists the question's errata before the answer's, a page as it prints
    them): merged item by item, they would conflict for their order alone. Else ``other``."""
    keys = [_item_key(item) for item in kept]
    if keys == [_item_key(item) for item in other]:
        return other
    left = list(other)
    ordered = []
    for key in keys:
        at = next((i for i, item in enumerate(left) if _item_key(item) == key), None)
        if at is None:
            return other
        ordered.append(left.pop(at))
    return tuple(ordered)


def _merged_record(path: str, given: List[Tuple[Any, Question]],
                   conflicts: List[Defect]) -> Any:
    cls = type(given[0][0])
    out = {}
    named = given
    if cls is Author:   # a name the source states before one read from a text
        named = sorted(given, key=lambda p: p[0].name_from is not None)
    for f in attrs.fields(cls):
        pairs = named if f.name in _NAME else given
        if f.name == "name_from":     # follows the name
            out[f.name] = next((v.name_from for v, _ in pairs if v.name), None)
            continue
        out[f.name] = _merged(f"{path}.{f.name}", [getattr(v, f.name) for v, _ in pairs],
                              [q for _, q in pairs], conflicts)
    return cls(**out)


def _giver(records: List[Question], field: str, key: str) -> Question:
    return next(q for q in records if key in getattr(q, field))


def where_of(q: Question) -> str:
    """Where a record was read, as a conflict names it: ``html page.html:40``."""
    s = q.source
    where = s.format or "record"
    if s.path:
        where += f" {s.path}" + (f":{s.line}" if s.line else "")
    return where


def _show(value: Any) -> str:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if attrs.has(type(value)) or (isinstance(value, tuple) and value
                                  and attrs.has(type(value[0]))):
        n = len(value) if isinstance(value, tuple) else 1
        return f"{n} item" + ("s" if n != 1 else "")
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…"


def conflict(path: str, kept: Any, other: Any, kept_from: str, other_from: str) -> Defect:
    return Defect("source-conflict", f"{path}: {_show(kept)} from {kept_from} (kept) and "
                                     f"{_show(other)} from {other_from}")
