"""Pages per second: aqparse on the ``question_col`` pages of the corpus, next to a plain
``BeautifulSoup(page, "html.parser")`` of the same pages (what most scrapers start with),
measured in the same run.

    python benchmarks/bench_html.py [--rounds N]

The baseline only builds the soup; aqparse goes from the page's bytes to a finished record
(decode, parse, layout, tokens, extract). Each figure is the best of ``--rounds`` passes.
"""

import argparse
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "html"


def question_col_pages():
    pages = []
    for path in sorted(CORPUS.glob("*.html")):
        data = path.read_bytes()
        if b"question_legislature" in data:
            pages.append(data)
    return pages


def best_rates(functions, pages, rounds):
    """Pages per second of each function, best of ``rounds`` passes over ``pages``; the
    functions take turns within each round, so that a busy machine slows them alike."""
    best = [float("inf")] * len(functions)
    for _ in range(rounds):
        for i, function in enumerate(functions):
            start = time.perf_counter()
            for page in pages:
                function(page)
            best[i] = min(best[i], time.perf_counter() - start)
    return [len(pages) / b for b in best]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: the corpus is not at {CORPUS}")
        return 0
    pages = question_col_pages()
    if not pages:
        print(f"skipped: no question_col page in {CORPUS}")
        return 0

    import lxml.html
    from bs4 import BeautifulSoup

    import aqparse

    assert all(aqparse.parse(p).source.layout == "question_col" for p in pages)
    aqparse.parse(pages[0])    # warm up: imports, compiled patterns
    size = sum(map(len, pages)) / len(pages) / 1024
    print(f"{len(pages)} question_col pages, {size:.0f} KiB each on average, "
          f"best of {args.rounds} rounds")
    ours, soup, tree = best_rates(
        [aqparse.parse, lambda p: BeautifulSoup(p, "html.parser"), lxml.html.document_fromstring],
        pages, args.rounds)
    print(f"  aqparse.parse (bytes -> record)         {ours:8.0f} pages/s")
    print(f"  BeautifulSoup(page, 'html.parser')      {soup:8.0f} pages/s")
    print(f"  lxml.html.document_fromstring (alone)   {tree:8.0f} pages/s")
    print(f"  aqparse / BeautifulSoup: {ours / soup:.1f}x")
    print("command: python " + " ".join(shlex.quote(a) for a in
                                        ["benchmarks/bench_html.py"] + sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
