"""stats: a first look at a corpus — counts by legislature, kind, status, ministry and year,
and how long answers take (median and 90th percentile, in days from question to answer).

It runs the ``convert`` pipeline (parallel, same inputs, same errors handling, duplicates
resolved by the same rule) with an aggregating writer instead of a file.
"""

import datetime
import statistics
from collections import Counter
from typing import Dict, Iterable, List, Optional

import attrs

from .convert import MAX_QUESTION_CHARS, Paths, Summary, run
from .export import Merged, Writer, state_key
from .records import Question

UNKNOWN = "(unknown)"


@attrs.define
class Stats:
    questions: int = 0
    by_legislature: Dict[str, int] = attrs.Factory(dict)
    by_kind: Dict[str, int] = attrs.Factory(dict)
    by_status: Dict[str, int] = attrs.Factory(dict)
    by_ministry: Dict[str, int] = attrs.Factory(dict)    # the current (assigned) ministry
    by_year: Dict[str, int] = attrs.Factory(dict)        # year the question was published
    answered_with_dates: int = 0
    delay_median: Optional[float] = None                 # days, question → answer
    delay_p90: Optional[float] = None
    # per legislature, then per kind: {"answered": n, "median": days, "p90": days}
    delay_by_legislature: Dict[str, Dict[str, Dict[str, float]]] = attrs.Factory(dict)
    summary: Optional[Summary] = None

    def to_dict(self) -> dict:
        out = attrs.asdict(self, filter=lambda a, _: a.name != "summary")
        return out


def _row(legislature, kind, status, ministry, asked, answered, state, defects) -> tuple:
    delay = (answered - asked).days if status == "answered" and asked and answered else None
    return (legislature, kind, status, ministry, asked.year if asked else None, delay, asked,
            answered, state, defects)


def _key(value) -> str:
    return UNKNOWN if value is None else str(value)


class StatsWriter(Writer):
    """Keeps one small tuple per question (so duplicates can be merged), counts at close."""

    name = "stats"

    def __init__(self, path=None, *, tables: bool = False):
        super().__init__("", tables=tables)

    @staticmethod
    def encode(q: Question, latest: Optional[datetime.date], tables: bool = False) -> tuple:
        ministry = q.ministry_assigned or q.ministry_asked
        asked = q.question.date if q.question is not None else None
        answered = q.answer.date if q.answer is not None else None
        return _row(q.legislature, q.kind, q.status, ministry.name if ministry else None, asked,
                    answered, state_key(q.status, latest), bool(q.defects))

    def merge_duplicates(self, groups: Dict[str, List[int]]) -> Dict[str, Merged]:
        # the few values counted here, merged as ``merge`` merges them: the later state
        # first, then the first value given
        merged = {}
        for uid, positions in groups.items():
            # the later state first, then the row itself: never the order of the inputs
            rows = sorted((self.rows[p] for p in positions), key=lambda r: (r[8], repr(r)),
                          reverse=True)
            first = rows[0]
            given = [next((r[i] for r in rows if r[i] is not None), None) for i in (3, 6, 7)]
            row = _row(first[0], first[1], first[2], *given, first[8], any(r[9] for r in rows))
            self.rows.append(row)
            merged[uid] = Merged(row[1], row[2], row[9], 0)
        return merged

    def open(self) -> None:
        self.rows: List[tuple] = []

    def write(self, payload: tuple) -> None:
        self.rows.append(payload)

    def close(self, drop: Iterable[int] = ()) -> None:
        drop = set(drop)
        self.rows = [r for i, r in enumerate(self.rows) if i not in drop]

    def result(self) -> Stats:
        counters = [Counter() for _ in range(5)]
        delays = []
        for row in self.rows:
            for counter, value in zip(counters, row):
                counter[_key(value)] += 1
            if row[5] is not None:
                delays.append(row[5])
        leg, kind, status, ministry, year = (dict(c.most_common()) for c in counters)
        stats = Stats(questions=len(self.rows), by_kind=kind, by_status=status,
                      by_ministry=ministry, answered_with_dates=len(delays),
                      by_legislature=dict(sorted(leg.items(), key=_sort_key)),
                      by_year=dict(sorted(year.items(), key=_sort_key)))
        if delays:
            stats.delay_median = float(statistics.median(delays))
            stats.delay_p90 = float(percentile(delays, 90))
        per: Dict[str, Dict[str, List[int]]] = {}
        for row in self.rows:
            if row[5] is not None:
                per.setdefault(_key(row[0]), {}).setdefault(_key(row[1]), []).append(row[5])
        stats.delay_by_legislature = {
            leg: {kind: {"answered": len(d), "median": float(statistics.median(d)),
                         "p90": float(percentile(d, 90))} for kind, d in sorted(kinds.items())}
            for leg, kinds in sorted(per.items(), key=_sort_key)}
        return stats


def _sort_key(item):
    key = item[0]
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def percentile(values: List[float], p: float) -> float:
    """The p-th percentile, linear between the closest ranks (numpy's default, Excel's
    PERCENTILE.INC)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def stats(inputs: Paths, *, jobs: Optional[int] = None, errors=None, strict: bool = False,
          quiet: bool = True, max_question: int = MAX_QUESTION_CHARS, acteurs=None) -> Stats:
    """Counts and answer delays for every question under ``inputs``."""
    writer = StatsWriter()
    summary = run(inputs, writer, jobs=jobs, errors=errors, strict=strict, quiet=quiet,
                  label="reading", max_question=max_question, acteurs=acteurs)
    result = writer.result()
    result.summary = summary
    return result


def format_stats(s: Stats, top: int = 25) -> str:
    """The report ``aqparse stats`` prints."""
    lines = [f"questions: {s.questions}"]

    def block(title: str, counts: Dict[str, int], limit: int = 0):
        lines.append("")
        shown = list(counts.items())
        more = len(shown) - limit if limit and len(shown) > limit else 0
        lines.append(f"by {title}" + (f" ({limit} of {len(shown)}; --top 0 for all)" if more else ""))
        width = max((len(k) for k, _ in shown[:limit or None]), default=0)
        for key, n in shown[:limit or None]:
            lines.append(f"  {key:<{width}}  {n:>7}  {100 * n / s.questions:5.1f}%")

    if s.questions:
        block("legislature", s.by_legislature)
        block("kind", s.by_kind)
        block("status", s.by_status)
        block("ministry (current)", s.by_ministry, top)
        block("year of the question", s.by_year)
    lines.append("")
    if s.delay_median is None:
        lines.append("answer delay: no answered question with both dates")
    else:
        lines.append(f"answer delay (days from question to answer, {s.answered_with_dates} "
                     f"answered questions): median {s.delay_median:g}, "
                     f"90th percentile {round(s.delay_p90, 1):g}")
        lines.append("")
        lines.append("answer delay by legislature and kind (days from question to answer)")
        lines.append(f"  {'legislature':<11}  {'kind':<4}  {'answered':>8}  {'median':>7}  "
                     f"{'90th pct':>8}")
        for leg, kinds in s.delay_by_legislature.items():
            for kind, d in kinds.items():
                lines.append(f"  {leg:<11}  {kind:<4}  {d['answered']:>8}  {d['median']:>7g}  "
                             f"{round(d['p90'], 1):>8g}")
    return "\n".join(lines)
