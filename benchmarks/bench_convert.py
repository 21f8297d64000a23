"""Benchmark of ``aqparse convert``: questions per second to JSONL and SQLite with --jobs 1 and
--jobs 2, and peak memory, on a generated dump (default 150,000 questions, about 200 MB).

    PYTHONPATH=. python benchmarks/bench_convert.py [--questions N] [--repeat R] [--dir DIR]
                                                    [--part all|text|opendata]

Each run is the real command line (printed), in a subprocess. Memory: the peak of the summed
resident memory of the command's process tree (sampled every 20 ms from /proc), and the largest
single-process peak (``ru_maxrss``). Targets: --jobs 2 at least 1.8 × --jobs 1, and the parent
process (which cuts the inputs and writes) under a quarter of the work, so that it is not the
limit at --jobs 4; SQLite at least
half the JSONL throughput; peak memory under 200 MB whatever the input size (the dump is also
converted at 1/8 of its size to show that memory does not grow with it).

Open data (``--part opendata``, run by default when the corpus is there): the peak memory of
converting one large open-data JSON dump — every QG15 and QG16 file of ``../shared/corpus``
merged into one ``{"questions": {"question": [...]}}`` file, on one line as the AN publishes
its dumps — and a quarter of it, to show that memory does not follow the size of the dump
either (such a dump is read as a stream). Not a speed figure: the time is printed only.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from processes import process_tree  # noqa: E402  (tests/processes.py)


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cpu(pid: int, task: str = "") -> float:
    """CPU seconds of a process (or of one of its threads: ``task``)."""
    try:
        with open(f"/proc/{pid}{task and f'/task/{task}'}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def run(argv):
    """(seconds, peak summed RSS of the tree, largest single-process peak RSS, CPU seconds of
    the whole tree, CPU seconds of the parent process, CPU seconds of its busiest thread
    but the main one) of a command."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    # run from ROOT: ``python -m`` puts the current folder first on sys.path, before
    # PYTHONPATH, and would time another checkout's aqparse if started from its folder
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak, cpu, threads = [0], {}, {}
    stop = threading.Event()

    def sample():
        # the workers are children of the forkserver, not waited for by the command: their
        # CPU time is read from /proc too (what a process spends in its last 20 ms is missed)
        while not stop.is_set():
            tree = process_tree(proc.pid)
            peak[0] = max(peak[0], sum(_rss(p) for p in tree))
            for p in tree:
                cpu[p] = max(cpu.get(p, 0.0), _cpu(p))
            # the parent's threads (the SQLite writer has one of its own in a parallel run)
            try:
                for task in os.listdir(f"/proc/{proc.pid}/task"):
                    if task == str(proc.pid):
                        continue          # the main thread
                    threads[task] = max(threads.get(task, 0.0), _cpu(proc.pid, task))
            except OSError:
                pass
            time.sleep(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    stop.set()
    thread.join()
    err = proc.stderr.read().decode()
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(argv)}\n{err}")
    parent = max(cpu.get(proc.pid, 0.0), usage.ru_utime + usage.ru_stime)
    return (seconds, peak[0], usage.ru_maxrss * 1024,
            parent + sum(v for p, v in cpu.items() if p != proc.pid), parent,
            min(parent, max(threads.values(), default=0.0)))


def _convert_argv(dump: Path, out: Path, jobs: int) -> list:
    """The command of one timed run, its output removed first (a new database each time)."""
    if out.exists():
        out.unlink()
    return [sys.executable, "-m", "aqparse.cli", "convert", str(dump), "-o", str(out),
            "--jobs", str(jobs), "--quiet"]


CORPUS = ROOT.parent / "shared" / "corpus"


def _opendata_dump(path: Path, folders, share: int = 1) -> int:
    """Merge the open-data question files of ``folders`` (one question each; every ``share``-th
    one) into one dump at ``path``, written as it is read. Returns the number of questions."""
    files = sorted(f for folder in folders for f in folder.glob("*.json"))[::share]
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"questions": {"question": [')
        for i, name in enumerate(files):
            with open(name, encoding="utf-8") as f:
                question = json.load(f)["question"]
            out.write((", " if i else "") + json.dumps(question, ensure_ascii=False))
        out.write("]}}")
    return len(files)


def opendata(folder: Path) -> None:
    sources = [CORPUS / "opendata" / "json" / name for name in ("QG15", "QG16")]
    if not all(s.is_dir() for s in sources):
        print(f"\nopen data: skipped, no corpus at {sources[0].parent} (the QG15 and QG16 files "
              "are merged into the dump this part converts)")
        return
    print("\nopen data: one JSON dump of every QG15 and QG16 question (one line, as published), "
          "and a quarter of it")
    peaks = {}
    for share in (1, 4):
        dump = folder / f"opendata-qg15-qg16-1of{share}.json"
        count = _opendata_dump(dump, sources, share)
        for fmt, jobs in (("jsonl", 1), ("sqlite", 1), ("sqlite", 2)):
            argv = _convert_argv(dump, folder / f"out-opendata.{fmt}", jobs)
            seconds, tree_peak, one_peak, *_ = run(argv)
            peaks[share, fmt, jobs] = tree_peak
            print(f"\n$ PYTHONPATH=. {' '.join(argv)}\n  {count} questions, "
                  f"{dump.stat().st_size / 1e6:.1f} MB: {seconds:.1f} s, peak RSS "
                  f"{tree_peak / 2**20:.0f} MB all processes, {one_peak / 2**20:.0f} MB largest "
                  "process")
    peak = max(peaks.values())
    growth = max(peaks[1, f, j] - peaks[4, f, j] for _, f, j in peaks)
    print(f"\n  open data: peak memory {peak / 2**20:.0f} MB (target < 200 MB) "
          f"{'OK' if peak < 200 * 2**20 else 'MISSED'}; the whole dump takes at most "
          f"{growth / 2**20:+.0f} MB more than a quarter of it")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each configuration")
    parser.add_argument("--dir", help="where to write the dump and outputs (default: a temp dir)")
    parser.add_argument("--part", choices=("all", "text", "opendata"), default="all",
                        help="the generated text dump, the open-data dump, or both")
    args = parser.parse_args()
    import dumps

    folder = Path(args.dir or tempfile.mkdtemp(prefix="aqparse-bench-")).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    if args.part in ("all", "opendata"):
        opendata(folder)
    if args.part == "opendata":
        return
    dump = folder / f"dump-{args.questions}.txt"
    small = folder / f"dump-{args.questions // 8}.txt"
    t = time.perf_counter()
    if not dump.exists():
        dumps.write_dump(dump, args.questions, seed=1)
    if not small.exists():
        dumps.write_dump(small, args.questions // 8, seed=1)
    print(f"dump: {dump} — {args.questions} questions, {dump.stat().st_size / 1e6:.0f} MB "
          f"(generated in {time.perf_counter() - t:.0f} s); cores: {os.cpu_count()}; "
          f"Python {sys.version.split()[0]}")
    results = {}
    # each configuration runs --repeat times, interleaved; the fastest run counts (other work
    # on a shared machine only ever adds time), memory is the highest seen
    for round_ in range(args.repeat):
        for fmt in ("jsonl", "sqlite"):
            for jobs in (1, 2):
                argv = _convert_argv(dump, folder / f"out-{jobs}.{fmt}", jobs)
                seconds, tree_peak, one_peak, cpu, parent, thread = run(argv)
                if round_ == 0:
                    print(f"\n$ PYTHONPATH=. {' '.join(argv)}")
                print(f"  {fmt:6} --jobs {jobs}: {seconds:7.1f} s  {args.questions / seconds:7.0f} "
                      f"questions/s  peak RSS: {tree_peak / 2**20:.0f} MB all processes, "
                      f"{one_peak / 2**20:.0f} MB largest process; CPU {cpu:.1f} s, of which the "
                      f"parent process {parent:.1f} s (its busiest thread but the main one "
                      f"{thread:.1f} s)")
                old = results.get((fmt, jobs))
                if old is None or seconds < old[0]:
                    results[fmt, jobs] = (seconds, tree_peak, one_peak, cpu, parent, thread)
                if old is not None:
                    results[fmt, jobs] = results[fmt, jobs][:1] + (max(tree_peak, old[1]),
                                                                   max(one_peak, old[2])) + results[fmt, jobs][3:]
    argv = _convert_argv(small, folder / "out-small.sqlite", 2)
    small_peak = run(argv)[1]
    print(f"\n$ PYTHONPATH=. {' '.join(argv)}\n  1/8 size, sqlite --jobs 2: peak RSS "
          f"{small_peak / 2**20:.0f} MB all processes")

    rate = {k: args.questions / v[0] for k, v in results.items()}
    peak = max(v[1] for v in results.values())
    print(f"\nload average after the runs: {os.getloadavg()} on {os.cpu_count()} cores (other "
          "work on the machine slows --jobs 2 first: compare the CPU figures)")
    print("\nbest of each (questions/s): " + ", ".join(
        f"{fmt} --jobs {jobs} {rate[fmt, jobs]:.0f}" for fmt, jobs in results))
    print("\ntargets")
    for fmt in ("jsonl", "sqlite"):
        ratio = rate[fmt, 2] / rate[fmt, 1]
        _, _, _, cpu, parent, thread = results[fmt, 2]
        # with two idle cores, --jobs 2 cannot take less than its CPU time over two cores, nor
        # less than the parent's or a worker's share; --jobs 1 takes its CPU time
        floor = max(cpu / 2, parent, (cpu - parent) / 2)
        print(f"  {fmt}: --jobs 2 / --jobs 1 = {ratio:.2f} (target >= 1.8) "
              f"{'OK' if ratio >= 1.8 else 'MISSED'}; CPU: --jobs 1 {results[fmt, 1][3]:.1f} s, "
              f"--jobs 2 {cpu:.1f} s of which the parent {parent:.1f} s, so on two idle cores "
              f"at best {results[fmt, 1][3] / floor:.2f}")
        # the parent (cutting, writing) works alone: with N workers it is the limit once its
        # share of the run's CPU is more than 1/N. SQLite writes from a thread of its own,
        # which holds the GIL only to hand values over (sqlite3 lets go of it while SQLite
        # works): the parent's limit is then the larger of that thread and the rest
        share = parent / cpu
        if fmt == "sqlite":
            share = max(parent - thread, thread) / cpu
            print(f"  {fmt}: the parent's share of the work {parent / cpu:.0%}: its writing "
                  f"thread {thread / cpu:.0%}, the rest of it {(parent - thread) / cpu:.0%}")
        print(f"  {fmt}: the parent's share of the work{' (its busier part)' * (fmt == 'sqlite')} "
              f"{share:.0%}: the limit from --jobs "
              f"{int(1 / share) + 1 if share else '∞'} on (target: not at --jobs 4, a share "
              f"under 25%) {'OK' if share < 0.25 else 'MISSED'}")
    for jobs in (1, 2):
        ratio = rate["sqlite", jobs] / rate["jsonl", jobs]
        print(f"  --jobs {jobs}: sqlite / jsonl = {ratio:.2f} (target >= 0.5) "
              f"{'OK' if ratio >= 0.5 else 'MISSED'}")
    print(f"  peak memory (all processes): {peak / 2**20:.0f} MB (target < 200 MB) "
          f"{'OK' if peak < 200 * 2**20 else 'MISSED'}; at 1/8 of the input "
          f"{small_peak / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
