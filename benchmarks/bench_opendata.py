"""Open data: how fast aqparse reads the QG15 + QG16 folders of the corpus, and with how much
memory, as a folder, as a zip of the folder, and as one per-legislature dump.

    PYTHONPATH=. python benchmarks/bench_opendata.py [--repeat N]

Speed is given as files (questions) a second and as a ratio against a baseline measured in the
same run: ``json.load`` of every file and nothing else (the floor for reading these files in
Python). Peak memory is tracemalloc's peak of Python allocations, measured in a separate pass
(tracing slows the program down, so it is never timed).
"""

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "opendata" / "json"
FOLDERS = ("QG15", "QG16")

sys.path.insert(0, str(ROOT))

from aqparse.inputs import read  # noqa: E402


def baseline(paths):
    for path in paths:
        with open(path, "rb") as f:
            json.load(f)
    return len(paths)


def aqparse_read(target):
    def run(_paths=None):
        return sum(1 for _ in read(target))
    return run


def timed(run, paths, repeat):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        count = run(paths)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return count, best


def peak(run, paths):
    tracemalloc.start()
    try:
        run(paths)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of N timed runs (default 1)")
    args = parser.parse_args()
    if not all((CORPUS / f).is_dir() for f in FOLDERS):
        print(f"skipped: the corpus is absent ({CORPUS})")
        return 0
    print("command: PYTHONPATH=. python benchmarks/bench_opendata.py" +
          (f" --repeat {args.repeat}" if args.repeat != 1 else ""))
    paths = sorted(p for f in FOLDERS for p in (CORPUS / f).glob("*.json"))
    size = sum(p.stat().st_size for p in paths)
    print(f"input: {len(paths)} files of {', '.join(FOLDERS)}, {size / 1e6:.1f} MB; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "questions.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for p in paths:
                z.write(p, f"{p.parent.name}/{p.name}")
        dump = Path(tmp) / "dump.json"   # the per-legislature dump style, one file
        with open(dump, "w", encoding="utf-8") as out:
            out.write('{"export": {"questions": {"question": [\n')
            for i, p in enumerate(paths):
                question = json.loads(p.read_text(encoding="utf-8"))["question"]
                out.write((",\n" if i else "") + json.dumps(question, ensure_ascii=False))
            out.write("\n]}}}\n")

        runs = [
            ("baseline: json.load of each file", baseline, paths),
            ("aqparse.read(folders)", lambda _: sum(sum(1 for _ in read(CORPUS / f))
                                                    for f in FOLDERS), paths),
            (f"aqparse.read(zip, {archive.stat().st_size / 1e6:.1f} MB)", aqparse_read(archive),
             paths),
            (f"aqparse.read(one dump, {dump.stat().st_size / 1e6:.1f} MB)", aqparse_read(dump),
             paths),
        ]
        base = None
        print(f"{'':44} {'questions':>9} {'seconds':>8} {'per s':>7} {'vs base':>8} {'peak MB':>8}")
        for name, run, arg in runs:
            count, seconds = timed(run, arg, args.repeat)
            if base is None:
                base = seconds
            memory = peak(run, arg)
            print(f"{name:44} {count:9d} {seconds:8.2f} {count / seconds:7.0f} "
                  f"{seconds / base:7.1f}x {memory / 1e6:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
