"""Open data: how fast aqparse reads the QG15 + QG16 folders of the corpus, and with how much
memory, as a folder, as a zip of the folder, and as one per-legislature dump.

    PYTHONPATH=. python benchmarks/bench_opendata.py [--repeat N] [--cold N]

Each input has its own baseline, measured in the same run: ``json.loads`` of the same bytes
read the same way and nothing else (the floor for reading these files in Python): each file
of the folders, each member of the zip, the dump in one piece. The ratio is aqparse's time over
that baseline's.

- warm: best of N runs in this process, taking turns with the baseline's, after one run that
  imports what aqparse uses and fills its caches (dates, tags);
- cold: the best of ``--cold`` runs (3), each in a fresh interpreter (imports and aqparse's
  caches empty; the system's file cache is not emptied: these files were just read; one run
  alone was a tenth slower now and then on this shared machine);
- peak MB: tracemalloc's peak of Python allocations, in a separate pass (tracing slows the
  program down, so it is never timed); (json): the baseline's. A dump is read in chunks: its
  peak must not grow with it, which the last line checks on a dump of half of it.

The issue's target: aqparse at least 1/8 of the speed of json.loads (8.0x or less).
"""

import argparse
import json
import os
import subprocess
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


# -- the baselines: json.loads of the same bytes -------------------------------------------------

def loads_files(paths):
    def run():
        for path in paths:
            with open(path, "rb") as f:
                json.loads(f.read())
        return len(paths)
    return run


def loads_members(archive):
    def run():
        count = 0
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                json.loads(z.read(info))
                count += 1
        return count
    return run


def loads_whole(path):
    def run():
        with open(path, "rb") as f:
            return len(json.loads(f.read())["export"]["questions"]["question"])
    return run


# -- aqparse -------------------------------------------------------------------------------------

def aqparse_read(targets):
    def run():
        return sum(1 for target in targets for _ in read(target))
    return run


COLD = ("import sys, time; start = time.perf_counter(); from aqparse.inputs import read; "
        "n = sum(1 for t in sys.argv[1:] for _ in read(t)); "
        "print(n, time.perf_counter() - start)")


def cold(targets) -> float:
    """Seconds of one read in a fresh interpreter, imports included."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", COLD, *map(str, targets)], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[1])


def best(runs, repeat):
    """The best time of each of ``runs`` over ``repeat`` rounds, the runs taking turns (so a
    machine busy for a while slows both, not one: the ratio is what is compared), and the
    last run's count."""
    seconds = [float("inf")] * len(runs)
    for _ in range(repeat):
        for k, run in enumerate(runs):
            start = time.perf_counter()
            count = run()
            seconds[k] = min(seconds[k], time.perf_counter() - start)
    return count, seconds


def peak(run) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def write_dump(path: Path, paths) -> None:
    """The per-legislature dump style: one file, every question in one list."""
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"export": {"questions": {"question": [\n')
        for i, p in enumerate(paths):
            question = json.loads(p.read_text(encoding="utf-8"))["question"]
            out.write((",\n" if i else "") + json.dumps(question, ensure_ascii=False))
        out.write("\n]}}}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="best of N warm runs (default 5)")
    parser.add_argument("--cold", type=int, default=3,
                        help="best of N runs in a fresh interpreter (default 3)")
    args = parser.parse_args()
    if args.repeat < 1 or args.cold < 1:
        parser.error("--repeat and --cold take a number of runs, at least 1")
    if not all((CORPUS / f).is_dir() for f in FOLDERS):
        print(f"skipped: the corpus is absent ({CORPUS})")
        return 0
    print("command: PYTHONPATH=. python benchmarks/bench_opendata.py" +
          (f" --repeat {args.repeat}" if args.repeat != 5 else "")
          + (f" --cold {args.cold}" if args.cold != 3 else ""))
    paths = sorted(p for f in FOLDERS for p in (CORPUS / f).glob("*.json"))
    size = sum(p.stat().st_size for p in paths)
    print(f"input: {len(paths)} files of {', '.join(FOLDERS)}, {size / 1e6:.1f} MB; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; best of {args.repeat} warm, "
          f"{args.cold} cold")

    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "questions.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for p in paths:
                z.write(p, f"{p.parent.name}/{p.name}")
        dump, half = Path(tmp) / "dump.json", Path(tmp) / "half.json"
        write_dump(dump, paths)
        write_dump(half, paths[:len(paths) // 2])

        folders = [CORPUS / f for f in FOLDERS]
        runs = [
            ("folders", loads_files(paths), folders),
            (f"zip ({archive.stat().st_size / 1e6:.1f} MB)", loads_members(archive), [archive]),
            (f"one dump ({dump.stat().st_size / 1e6:.1f} MB)", loads_whole(dump), [dump]),
        ]
        aqparse_read(folders[:1])()     # warm-up: imports, caches
        print(f"{'':24} {'questions':>9} {'json.loads':>10} {'aqparse':>8} {'per s':>6} "
              f"{'warm':>6} {'cold':>6} {'peak MB':>8} {'(json)':>7}")
        for name, baseline, targets in runs:
            count, (base, seconds) = best([baseline, aqparse_read(targets)], args.repeat)
            first = min(cold(targets) for _ in range(args.cold))
            print(f"{name:24} {count:9d} {base:9.2f}s {seconds:7.2f}s {count / seconds:6.0f} "
                  f"{seconds / base:5.1f}x {first / base:5.1f}x {peak(aqparse_read(targets)):8.1f} "
                  f"{peak(baseline):7.1f}")
        full, halved = peak(aqparse_read([dump])), peak(aqparse_read([half]))
        print(f"memory on a dump: {full:.1f} MB for all {len(paths)} questions, {halved:.1f} MB "
              f"for half of them: {'flat' if full < 1.5 * halved else 'NOT FLAT'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
