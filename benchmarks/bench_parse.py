"""Throughput of the text parser on a large generated dump, against two baselines measured
in the same run:

  (a) a bare regex scan of the same text for the labels: the floor no parser beats;
  (b) the same parse with every date sent to dateparser (no fast path, no cache).

The dump is made of the repository's fixtures, parsed and rendered back to the canonical
layout, repeated with fresh question numbers until it holds --questions questions.

    python benchmarks/bench_parse.py [--questions 20000] [--slow-sample 1000]

Targets (issue 2): aqparse >= 20% of the bare scan's throughput, and >= 20x (b).
(b) is measured on a sample of the dump (--slow-sample questions) because it is slow, against
aqparse on the same sample. Each time is the best of --runs turns (of five parses a turn for
aqparse on the sample, which is quick), and the two sides of a ratio take turns, so that both
see the same stretches of a shared, drifting machine.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aqparse  # noqa: E402
from aqparse import dates, extract  # noqa: E402
from aqparse.fixtures import pairs  # noqa: E402

# the labels as literals, case-sensitive: the fastest scan Python's re can do for them
BARE_SCAN = re.compile(
    r"\d{1,2}(?:ème|e) législature|Question N°|Question écrite|Question orale sans débat|"
    r"Question au gouvernement|Ministère interrogé|Ministère attributaire|Rubrique|"
    r"Tête d'analyse|Analyse|Titre|Question publiée au JO le|Réponse publiée au JO le|"
    r"Date de changement d'attribution|Date de signalement|Date de renouvellement|"
    r"Question retirée le|Erratum de la question|Erratum de la réponse|Texte de la question|"
    r"Texte de la réponse")


def sample_records(folder=ROOT / "fixtures"):
    records = []
    for _, path, _ in pairs(str(folder)):
        try:
            found = list(aqparse.read(path))
        except aqparse.ParseError:
            continue
        records += [r for r in found if r.number is not None and r.kind and r.legislature]
    if not records:
        sys.exit("no fixtures found in fixtures/")
    return records


def make_dump(records, count):
    parts = []
    for i in range(count):
        record = records[i % len(records)]
        parts.append(aqparse.render(record.evolve(number=100000 + i)))
    return "\n".join(parts)


def best_of(runs, **funcs):
    """The best time of each function over ``runs`` rounds, the functions taking turns in
    each round: this machine's speed drifts, and a ratio is only fair between times taken in
    the same stretch of it. Returns {name: (best time, result)}."""
    best = {}
    for _ in range(runs):
        for name, func in funcs.items():
            start = time.perf_counter()
            result = func()
            elapsed = time.perf_counter() - start
            if name not in best or elapsed < best[name][0]:
                best[name] = (elapsed, result)
    return best


SLOW_CALLS = [0]


def slow_parse_date(value):
    """Every date through dateparser, uncached: what a parser without a fast path does."""
    SLOW_CALLS[0] += 1
    value = " ".join(value.split())
    found = dates.dateparser_date(value)
    return (found, None) if found else (None, f"{value!r} is not a date")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=20000)
    parser.add_argument("--slow-sample", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    records = sample_records()
    dump = make_dump(records, args.questions)
    size_mb = len(dump.encode()) / 1e6
    print(f"dump: {args.questions} questions, {size_mb:.1f} MB, from {len(records)} fixture "
          f"records")

    timed = best_of(args.runs, scan=lambda: sum(1 for _ in BARE_SCAN.finditer(dump)),
                    parse=lambda: sum(1 for _ in aqparse.parse_many(dump)))
    (scan_time, hits), (parse_time, n) = timed["scan"], timed["parse"]
    assert n == args.questions, (n, args.questions)

    sample = make_dump(records, args.slow_sample)
    dates.dateparser_date("1 janvier 2000")          # load dateparser before timing

    fast_times = []

    def fast():
        # the sample parses in a few hundredths of a second: five times a turn
        for _ in range(5):
            start = time.perf_counter()
            sum(1 for _ in aqparse.parse_many(sample))
            fast_times.append(time.perf_counter() - start)

    def slow():
        # every date through dateparser: the fast path and every cache in front of it off
        with mock.patch.object(dates, "parse_date", slow_parse_date), \
                mock.patch("aqparse.extract.parse_date", slow_parse_date), \
                mock.patch("aqparse.extract.read_date_page", extract.read_date_page.__wrapped__):
            return sum(1 for _ in aqparse.parse_many(sample))

    timed = best_of(args.runs, fast=fast, slow=slow)
    fast_sample, (slow_time, m) = min(fast_times), timed["slow"]
    assert m == args.slow_sample
    SLOW_CALLS[0] //= args.runs

    scan_qps = args.questions / scan_time
    parse_qps = args.questions / parse_time
    fast_qps = args.slow_sample / fast_sample
    slow_qps = args.slow_sample / slow_time
    print(f"bare regex scan (a):          {scan_qps:12,.0f} questions/s  ({hits} label hits)")
    print(f"aqparse parse_many:           {parse_qps:12,.0f} questions/s")
    print(f"all dates via dateparser (b): {slow_qps:12,.0f} questions/s  "
          f"(sample of {args.slow_sample}; aqparse on the same sample: {fast_qps:,.0f}/s; "
          f"{SLOW_CALLS[0] / args.slow_sample:.2f} dates a question sent to dateparser)")
    print(f"aqparse / bare scan = {parse_qps / scan_qps:.1%}   (target >= 20%)")
    print(f"aqparse / (b)       = {fast_qps / slow_qps:.1f}x   (target >= 20x)")
    print(f"command: python {os.path.relpath(__file__, ROOT)} --questions {args.questions} "
          f"--slow-sample {args.slow_sample} --runs {args.runs}")


if __name__ == "__main__":
    main()
