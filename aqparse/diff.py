"""diff: two records of the same question, from different sources, field by field.

The records are compared in their JSON form, flattened to dotted paths (``author.group``,
``attributions[1].date``). ``source`` and ``defects`` say how a record was read, not what the
question is, so they are never compared. One source often cannot carry a field at all (the open
data names no author; a text dump has no ``organe_ref``): ``only_common`` compares only the
fields that are non-null on both sides.
"""

import itertools
import re
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence

import attrs

from .fixtures import first_difference, flatten as flatten_json, show
from .records import Question

NEVER_COMPARED = ("source", "defects")


class Difference(NamedTuple):
    path: str
    a: Any
    b: Any


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _ignored(path: str, prefixes: Sequence[str]) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in prefixes)


def flatten(record: Question) -> Dict[str, Any]:
    """The record's JSON form as ``{dotted path: value}`` (``source``, ``defects`` left out)."""
    data = record.to_dict()
    for key in NEVER_COMPARED:
        data.pop(key, None)
    return flatten_json(data)


def compare(a: Question, b: Question, *, only_common: bool = False,
            ignore: Iterable[str] = ()) -> List[Difference]:
    """The fields on which ``a`` and ``b`` disagree, in the record's field order."""
    fa, fb = flatten(a), flatten(b)
    ignore = tuple(ignore)
    order = {f.name: i for i, f in enumerate(attrs.fields(Question))}
    out = []
    for path in sorted(set(fa) | set(fb), key=lambda p: (order.get(_top(p), 99), _natural(p))):
        x, y = fa.get(path), fb.get(path)
        if _empty(x) and _empty(y) or x == y or _ignored(path, ignore):
            continue
        if only_common and (_empty(x) or _empty(y)):
            continue
        out.append(Difference(path, x, y))
    return out


def _top(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _natural(path: str):
    # attributions[10] after attributions[9]
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path)]


def format_difference(d: Difference, names: Sequence[str] = ("A", "B")) -> List[str]:
    """Three lines: the path, then each side's value; for two texts, where they part."""
    lines = [f"{d.path}:", f"  {names[0]}: {show(d.a)}", f"  {names[1]}: {show(d.b)}"]
    if isinstance(d.a, str) and isinstance(d.b, str):
        lines.append(f"  {first_difference(d.a, d.b)}")
    return lines


def _who(q: Question) -> str:
    """A question as a reader names it: its uid, kind, number and legislature, where from."""
    name = q.uid or " ".join(str(v) for v in (q.kind, q.number) if v is not None) or "a question"
    if q.uid is None and q.legislature is not None:
        name += f" of the {q.legislature}th legislature"
    where = q.source.path or q.source.format
    return f"{name} ({where})" if where else name


def different_questions(a: Question, b: Question) -> Optional[str]:
    """Why ``a`` and ``b`` are not the same question (their uid, or for a record without
    one, its legislature, kind or number, differ), or None when they may be the same."""
    if a.uid is not None and b.uid is not None:
        same = a.uid == b.uid
    else:
        same = all(x is None or y is None or x == y for x, y in (
            (a.legislature, b.legislature), (a.kind, b.kind), (a.number, b.number)))
    if same:
        return None
    return f"A and B are different questions: A is {_who(a)}, B is {_who(b)}"


def pair_up(left: Sequence[Question], right: Sequence[Question]):
    """Records to compare: the one of each side, or, for inputs holding many, those with the
    same uid. When a side has a question without a uid, or a uid twice, pairing by uid would
    lose records: they are paired by position, the n-th with the n-th, and the key says so.
    Gives (key, a or None, b or None); every record is in one pair."""
    if len(left) == 1 and len(right) == 1:
        yield left[0].uid or right[0].uid, left[0], right[0]
        return
    why = _no_pairing_by_uid(left, "A") or _no_pairing_by_uid(right, "B")
    if why:
        for i, (a, b) in enumerate(itertools.zip_longest(left, right), 1):
            yield f"question {i} (paired by position: {why})", a, b
        return
    by_uid: Dict[Optional[str], List[Optional[Question]]] = {}
    for side, records in enumerate((left, right)):
        for r in records:
            by_uid.setdefault(r.uid, [None, None])[side] = r
    for uid, (a, b) in by_uid.items():
        yield uid, a, b


def _no_pairing_by_uid(records: Sequence[Question], side: str) -> Optional[str]:
    """Why the records of a side cannot be told apart by their uid (None if they can)."""
    seen = set()
    for r in records:
        if r.uid is None:
            return f"{side} has a question without uid"
        if r.uid in seen:
            return f"{side} has {r.uid} twice"
        seen.add(r.uid)
    return None
