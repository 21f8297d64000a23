"""Fuzz aqparse for a bounded time: every input gives records or a ParseError, nothing else.

    python tests/fuzz.py --seconds 60            # atheris (libFuzzer, coverage-guided) if
                                                 # installed: pip install '.[fuzz]'
    python tests/fuzz.py --seconds 60 --random   # seeded random mutations, no atheris
    python tests/fuzz.py --random --seed 1 --max-inputs 20000   # the same inputs everywhere (CI)

Seeds: the fixtures of the repository — text dumps (``fixtures/``), saved pages
(``tests/fixtures/html``), open-data JSON and XML and the old XML (``tests/data/opendata``) —
and zip and tar archives made of them. Each input is read as bytes, as text, and (one in eight)
as a file inside an archive through ``aqparse.read``. A failure is any exception other than
``ParseError``, an ``InternalError`` (a bug the parser met), or a record with an
``internal-error`` defect; it is printed with the input that gave it (saved under
``--crashes``) and the exit status is 1.
"""

import argparse
import io
import os
import random
import sys
import tarfile
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRAGMENTS = [b"Question N\xc2\xb0 ", b"14\xc3\xa8me l\xc3\xa9gislature\n", b"de Mme ", b" ( ", b" - ",
             b")\n", b"QE\n", b"Minist\xc3\xa8re interrog\xc3\xa9 > ", b"Rubrique : ",
             b"Question publi\xc3\xa9e au JO le : 31/02/2014 page : ", b"Texte de la question\n",
             b"Texte de la REPONSE :", b"DEBAT :", b"<p>", b"</td>", b"<table>", b'{"question": ',
             b"[", b"]", b"}", b"<question>", b"</question>", b"<!DOCTYPE x [<!ENTITY e 'a'>]>",
             b"&e;", b"\xe2\x80\xa8", b"\x0c", b"\r", b"\xef\xbb\xbf", b"\xc2\xad", b"\x00",
             b"\xff\xfe", b"\xc3\xa9", b"\xc3\x83\xc2\xa9", b"\t", b"\n\n", b"Imprimer ",
             b"Format PDF", b"Accueil > Questions > ", b"SOC 8 REP_PUB Nord O"]


def seeds() -> list:
    found = []
    for folder, patterns in ((ROOT / "fixtures", ("*.txt",)),
                             (ROOT / "tests" / "fixtures" / "html", ("*.html",)),
                             (ROOT / "tests" / "data" / "opendata", ("*.json", "*.xml"))):
        for pattern in patterns:
            found += [p.read_bytes() for p in sorted(folder.glob(pattern))]
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        for i, data in enumerate(found[:4]):
            archive.writestr(f"q{i}.txt", data)
    tarred = io.BytesIO()
    with tarfile.open(fileobj=tarred, mode="w:gz") as archive:
        for i, data in enumerate(found[4:7]):
            info = tarfile.TarInfo(f"q{i}.txt")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return found + [zipped.getvalue(), tarred.getvalue()]


class Failure(Exception):
    pass


def check(data: bytes, workdir: str, count: int) -> None:
    """Read ``data`` every way aqparse reads an input; raise ``Failure`` on anything but
    records and ``ParseError``."""
    import aqparse

    def records(make):
        try:
            for record in make():
                if not isinstance(record, aqparse.Question):
                    raise Failure(f"not a record: {type(record).__name__}")
                if any(d.code == "internal-error" for d in record.defects):
                    raise Failure(f"internal-error defect: {record.defects}")
        except aqparse.InternalError as error:
            raise Failure(f"InternalError: {error}") from error
        except aqparse.ParseError:
            pass
        except Failure:
            raise
        except RecursionError:
            raise Failure("RecursionError") from None
        except Exception as error:
            raise Failure(f"{type(error).__name__}: {error}\n{traceback.format_exc()}") from error

    records(lambda: aqparse.parse_many(data))
    records(lambda: aqparse.parse_many(data.decode("utf-8", errors="replace")))
    if count % 8 == 0:     # through the file reader: archives, streaming, sniffing by content
        name = ("dump.zip" if data[:2] == b"PK" else "dump.tar.gz" if data[:2] == b"\x1f\x8b"
                else "dump.txt")
        path = os.path.join(workdir, name)
        with open(path, "wb") as f:
            f.write(data)
        records(lambda: aqparse.read(path, on_error=lambda name, error: None))


def mutate(rng: random.Random, data: bytes, pool: list) -> bytes:
    """One random change of the kinds that break parsers: flips, cuts, repeats, splices,
    label fragments and odd characters inserted."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.randrange(7)
        at = rng.randrange(len(data) + 1)
        if choice == 0 and data:
            data[min(at, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif choice == 1:
            data[at:at] = rng.choice(FRAGMENTS)
        elif choice == 2 and data:
            end = min(len(data), at + rng.randint(1, 200))
            del data[at:end]
        elif choice == 3 and data:
            end = min(len(data), at + rng.randint(1, 500))
            data[at:at] = data[at:end] * rng.randint(1, 20)
        elif choice == 4:
            other = rng.choice(pool)
            cut = rng.randrange(len(other) + 1)
            data[at:] = other[cut:]
        elif choice == 5:
            del data[at:]
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(data)


def random_fuzz(seconds: float, crashes: str, seed: int, max_inputs: int = 0) -> int:
    rng = random.Random(seed)
    pool = seeds()
    start, count, failures = time.monotonic(), 0, 0
    with tempfile.TemporaryDirectory() as workdir:
        for data in pool:            # the seeds themselves first
            count += 1
            check(data, workdir, count)
        while time.monotonic() - start < seconds and not (max_inputs and count >= max_inputs):
            data = mutate(rng, rng.choice(pool), pool)
            count += 1
            try:
                check(data, workdir, count)
            except Failure as failure:
                failures += 1
                _save(crashes, data, failure)
            if count % 50 == 0 and len(data) < 200_000:
                pool.append(data)      # mutations of mutations, too
                if len(pool) > 400:
                    pool.pop(rng.randrange(40, len(pool)))
    elapsed = time.monotonic() - start
    print(f"random mutations: {count} inputs in {elapsed:.0f} s ({count / elapsed:.0f}/s), "
          f"seed {seed}: {failures} failure(s)")
    return 1 if failures else 0


def _save(crashes: str, data: bytes, failure: Exception) -> None:
    os.makedirs(crashes, exist_ok=True)
    path = os.path.join(crashes, f"crash-{abs(hash(data)):x}")
    with open(path, "wb") as f:
        f.write(data)
    print(f"FAILURE ({path}): {failure}", file=sys.stderr)


def atheris_fuzz(seconds: float, crashes: str) -> int:
    import atheris

    with atheris.instrument_imports():
        import aqparse  # noqa: F401

    workdir = tempfile.mkdtemp()
    corpus = tempfile.mkdtemp()
    for i, data in enumerate(seeds()):
        with open(os.path.join(corpus, f"seed-{i}"), "wb") as f:
            f.write(data)
    count = [0]

    def one_input(data: bytes) -> None:
        count[0] += 1
        check(data, workdir, count[0])      # a Failure is a crash for libFuzzer

    os.makedirs(crashes, exist_ok=True)
    atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds)}", "-rss_limit_mb=2048",
                   "-timeout=20", "-max_len=200000", f"-artifact_prefix={crashes}/", corpus],
                  one_input)
    atheris.Fuzz()      # exits the process: non-zero on a crash
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--random", action="store_true", help="random mutations, no atheris")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--crashes", default="fuzz-crashes")
    parser.add_argument("--max-inputs", type=int, default=0,
                        help="random mutations: stop after this many inputs (a run of a given "
                             "seed and count is the same on every machine)")
    args = parser.parse_args(argv)
    if not args.random:
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("atheris is not installed (pip install '.[fuzz]'): random mutations instead",
                  file=sys.stderr)
            args.random = True
    if args.random:
        return random_fuzz(args.seconds, args.crashes, args.seed, args.max_inputs)
    return atheris_fuzz(args.seconds, args.crashes)


if __name__ == "__main__":
    sys.exit(main())
