"""aqparse reads what it writes: its JSONL, CSV (plain and for Excel), Parquet and SQLite
outputs, named on their own, are inputs of ``read``, ``convert``, ``stats``, ``parse`` and
``diff``, and give back the records that were written; in folders they are skipped as datasets.
"""

import csv
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import aqparse
from aqparse import cli
from aqparse.convert import convert
from aqparse.errors import ParseError
from aqparse.stats import stats

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
FORMATS = {"jsonl": "q.jsonl", "csv": "q.csv", "csv-excel": "excel.csv",
           "parquet": "q.parquet", "sqlite": "q.sqlite"}


def _key(q):
    return (q.uid, q.source.path, q.source.line)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The shipped fixtures converted into every format, and the records convert wrote."""
    folder = tmp_path_factory.mktemp("out")
    paths = {}
    for fmt, name in FORMATS.items():
        paths[fmt] = folder / name
        summary = convert([FIXTURES], paths[fmt], format=fmt, jobs=1, quiet=True)
        assert summary.exit_status == 0 and summary.questions > 50
    written = aqparse.merge(list(aqparse.read(FIXTURES)))    # convert merges by uid, as this
    return paths, {_key(q): q for q in written}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_output_reads_back_into_the_records_written(outputs, fmt):
    paths, written = outputs
    back = list(aqparse.read(paths[fmt]))
    assert len(back) == len(written)
    assert {_key(q): q for q in back} == written
    # read in fixtures/qe-answered-attribution-change.txt
    q = next(q for q in back if q.uid == "QANR5L15QE23817")
    assert q.ministry_assigned.name == "Personnes handicapées"
    assert [(a.ministry.name, a.date) for a in q.attributions] == [
        ("Solidarités et santé", dt.date(2019, 10, 29)),
        ("Personnes handicapées", dt.date(2019, 11, 12))]
    assert (q.answer.date, q.answer.page) == (dt.date(2020, 2, 11), 1080)
    assert q.source.path.endswith("qe-answered-attribution-change.txt")   # where it was read


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sqlite", "csv-excel"])
def test_convert_from_one_output_to_another_keeps_every_record(outputs, fmt, tmp_path):
    paths, written = outputs
    out = tmp_path / "again.jsonl"
    summary = convert([paths[fmt]], out, jobs=2, quiet=True)
    assert summary.exit_status == 0 and summary.questions == len(written)
    assert {_key(q): q for q in aqparse.read(out)} == written


@pytest.mark.parametrize("fmt, packer", [("csv", "gz"), ("sqlite", "xz"), ("csv-excel", "bz2"),
                                         ("parquet", "gz")])
def test_an_output_compressed_on_its_own_reads_back(outputs, fmt, packer, tmp_path):
    # "q.sqlite.xz" named: the file on disk was read as the output itself ("cannot be read",
    # or a CSV "not UTF-8 text") where its decompressed bytes are the output
    import bz2
    import gzip
    import lzma

    paths, written = outputs
    packed = tmp_path / f"{paths[fmt].name}.{packer}"
    compress = {"gz": gzip.compress, "xz": lzma.compress, "bz2": bz2.compress}[packer]
    packed.write_bytes(compress(paths[fmt].read_bytes()))
    assert {_key(q): q for q in aqparse.read(packed)} == written
    out = tmp_path / "again.jsonl"
    summary = convert([packed], out, jobs=2, quiet=True)
    assert summary.exit_status == 0 and summary.questions == len(written)
    assert {_key(q): q for q in aqparse.read(out)} == written


@pytest.mark.parametrize("damage", ["truncated", "crc"])
def test_a_corrupt_compressed_output_is_an_io_error_and_leaves_no_copy(outputs, damage,
                                                                      tmp_path, monkeypatch):
    # its decompressed copy was left in the temporary folder when the decompression failed,
    # and convert stopped on a traceback (the errors entry read the broken stream again)
    import gzip
    import tempfile

    paths, _ = outputs
    packed = bytearray(gzip.compress(paths["sqlite"].read_bytes()))
    if damage == "truncated":
        packed = packed[:len(packed) // 2]
    else:
        packed[-8] ^= 0xFF                         # the CRC in gzip's trailer
    bad = tmp_path / "q.sqlite.gz"
    bad.write_bytes(bytes(packed))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    failed = []
    assert list(aqparse.read(bad, on_error=lambda name, e: failed.append((name, e.code)))) == []
    assert failed == [(str(bad), "io-error")] and list(temporary.iterdir()) == []
    for jobs in (1, 2):
        errors = tmp_path / f"errors-{jobs}.jsonl"
        summary = convert([bad], tmp_path / "out.jsonl", jobs=jobs, errors=errors, quiet=True)
        assert summary.exit_status == 1 and summary.questions == 0
        # (lines split at "\n" alone: the raw bytes of a database hold other breaks)
        [problem] = [json.loads(line) for line in errors.read_bytes().split(b"\n") if line]
        assert (problem["path"], problem["code"]) == (str(bad), "io-error")
        assert problem["raw"].startswith("SQLite format 3") and problem["raw_truncated"]
    assert list(temporary.iterdir()) == []


def test_stats_of_the_database_are_the_stats_of_its_inputs(outputs):
    paths, _ = outputs
    of_inputs, of_db = stats([FIXTURES], jobs=1), stats([paths["sqlite"]], jobs=1)
    assert of_db.summary.exit_status == 0
    assert of_db.to_dict() == of_inputs.to_dict()
    assert of_db.questions == len(outputs[1])


def test_the_cli_reads_its_own_outputs(outputs, capsys, tmp_path):
    paths, _ = outputs
    assert cli.main(["stats", str(paths["sqlite"]), "-j", "1"]) == 0
    assert f"questions: {len(outputs[1])}\n" in capsys.readouterr().out
    assert cli.main(["parse", "--format", "jsonl", str(paths["csv"])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(outputs[1])
    assert json.loads(lines[0])["uid"] == "QANR5L15QE41090"  # assigned-differs-no-change-date.txt
    # a question in a database, and the text it was read from: the same
    one = tmp_path / "one.sqlite"
    assert cli.main(["convert", str(FIXTURES / "qe-pending.txt"), "-o", str(one), "-q"]) == 0
    assert cli.main(["diff", str(one), str(FIXTURES / "qe-pending.txt")]) == 0
    assert "no difference (1 question compared)" in capsys.readouterr().err


def test_a_large_database_read_as_a_stream_by_convert(outputs, tmp_path):
    from aqparse.units import Sizes

    # above ``split_above`` a binary input is read by the parent as a stream (no worker)
    paths, written = outputs
    out = tmp_path / "big.jsonl"
    summary = convert([paths["sqlite"], paths["parquet"]], out, jobs=1, quiet=True,
                      sizes=Sizes(split_above=1000))
    assert summary.exit_status == 0
    assert {_key(q): q for q in aqparse.read(out)} == written     # the same records, merged


def test_a_database_on_stdin(outputs, tmp_path):
    paths, _ = outputs
    with open(paths["sqlite"], "rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "aqparse", "stats", "-", "-j", "1"],
                              stdin=stdin, capture_output=True, text=True, cwd=tmp_path,
                              env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert f"questions: {len(outputs[1])}\n" in done.stdout


def test_excel_csv_has_a_bom_and_semicolons(outputs):
    paths, _ = outputs
    data = paths["csv-excel"].read_bytes()
    assert data.startswith("\ufeffuid;legislature;kind;number;".encode("utf-8"))
    with open(paths["csv-excel"], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    row = next(r for r in rows if r["uid"] == "QANR5L15QE23817")
    # fixtures/qe-answered-attribution-change.txt, accents as written
    assert row["ministry_asked"] == "Solidarités et santé"
    assert row["attributions_date"] == "2019-10-29 | 2019-11-12"


def test_excel_csv_tables_and_duplicates(tmp_path):
    # two records of one question: the CSV is rewritten without the first, BOM and ';' kept
    text = (FIXTURES / "qe-pending.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "q.csv"
    summary = convert([tmp_path / "a.txt", tmp_path / "b.txt"], out, format="csv-excel",
                      jobs=1, quiet=True)
    assert summary.questions == 1 and summary.duplicates == 1
    data = out.read_bytes()
    assert data.startswith("\ufeffuid;".encode()) and data.count(b"\r\n") == 2
    [q] = aqparse.read(out)
    assert q.uid == "QANR5L14QE98712"


# -- what is not aqparse's, or not a record, is said -------------------------------------------------

def test_a_database_of_another_program_is_not_a_question(tmp_path):
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(ParseError) as info:
        list(aqparse.read(db))
    assert info.value.code == "not-a-question" and info.value.path == str(db)
    assert "not one aqparse wrote" in str(info.value)


def test_a_hand_edited_csv_cell_is_a_bad_record_at_its_line(outputs, tmp_path):
    paths, _ = outputs
    lines = paths["csv"].read_bytes().decode("utf-8").split("\r\n")
    row = next(csv.reader([lines[1]]))
    row[2] = "QX"                      # kind: no such kind
    lines[1] = ",".join(f'"{c}"' for c in row)
    bad = tmp_path / "bad.csv"
    bad.write_text("\r\n".join(lines), encoding="utf-8")
    with pytest.raises(ParseError) as info:
        list(aqparse.read(bad))
    assert (info.value.code, info.value.line, info.value.path) == ("bad-record", 2, str(bad))
    assert "'kind' must be one of" in info.value.message


def test_a_tables_csv_says_where_the_questions_are(tmp_path):
    convert([FIXTURES / "qe-pending.txt"], tmp_path / "q.csv", jobs=1, quiet=True, tables=True)
    with pytest.raises(ParseError) as info:
        list(aqparse.read(tmp_path / "q.attributions.csv"))
    assert info.value.code == "not-a-question"
    assert "the questions, with these lists, are in the main CSV" in info.value.message


def test_one_bad_output_never_stops_the_rest(outputs, tmp_path):
    paths, written = outputs
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1" + b"\0" * 100)
    failed = []
    back = list(aqparse.read(broken, on_error=lambda name, e: failed.append((name, e.code))))
    back += list(aqparse.read(paths["parquet"]))
    assert failed == [(str(broken), "io-error")] and len(back) == len(written)


def test_strict_names_the_output_and_the_question(tmp_path):
    db = tmp_path / "q.sqlite"
    convert([FIXTURES / "qe-pending.txt", FIXTURES / "bad-date-31-02.txt"], db, jobs=1, quiet=True)
    assert len(list(aqparse.read(db))) == 2
    with pytest.raises(ParseError) as info:
        list(aqparse.read(db, strict=True))
    # fixtures/bad-date-31-02.txt: "Question N° 51177" (14th), 31/02/2014 on its line 15
    assert (info.value.path, info.value.code) == (str(db), "bad-date")
    assert info.value.message.startswith("QANR5L14QE51177: Question publiée au JO le: "
                                         "'31/02/2014' is not a date that exists (read from ")
    assert info.value.message.endswith("bad-date-31-02.txt:15)")


def test_outputs_and_records_in_a_folder_are_skipped_and_said(outputs, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    for fmt in ("jsonl", "csv", "sqlite", "parquet"):
        (folder / outputs[0][fmt].name).write_bytes(outputs[0][fmt].read_bytes())
    (folder / "q.txt").write_bytes((FIXTURES / "qe-pending.txt").read_bytes())
    (folder / "q.json").write_bytes((FIXTURES / "qe-pending.json").read_bytes())
    skipped = []
    records = list(aqparse.read(folder, on_skip=lambda name, why: skipped.append((Path(name).name, why))))
    assert [q.uid for q in records] == ["QANR5L14QE98712"]
    assert sorted(skipped) == [
        ("q.csv", "datasets, read only when named on their own (.csv)"),
        ("q.json", "aqparse record files (outputs or expected fixtures) in a folder or archive"),
        ("q.jsonl", "datasets, read only when named on their own (.jsonl)"),
        ("q.parquet", "datasets, read only when named on their own (.parquet)"),
        ("q.sqlite", "datasets, read only when named on their own (.sqlite)")]
    # named on its own, the JSON record is read
    assert [q.uid for q in aqparse.read(folder / "q.json")] == ["QANR5L14QE98712"]


def test_an_output_in_an_archive_is_skipped_too(outputs, tmp_path):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(outputs[0]["sqlite"], "q.sqlite")
        z.write(FIXTURES / "qe-pending.txt", "q.txt")
    skipped = []
    records = list(aqparse.read(archive, on_skip=lambda name, why: skipped.append(name)))
    assert [q.uid for q in records] == ["QANR5L14QE98712"]
    assert skipped == [f"{archive}!q.sqlite"]


# -- a large output read back as a stream; Excel's CSV with its side tables -----------------------

@pytest.mark.parametrize("fmt", ["csv", "csv-excel"])
def test_a_large_csv_is_read_back_by_convert(outputs, tmp_path, fmt):
    from aqparse.units import Sizes

    paths, written = outputs
    out = tmp_path / "big.jsonl"
    # "large": above the size from which an input is cut or streamed
    summary = convert([paths[fmt]], out, jobs=1, quiet=True, sizes=Sizes(split_above=1000))
    assert summary.exit_status == 0
    assert {_key(q): q for q in aqparse.read(out)} == written


def test_excel_csv_with_tables(tmp_path):
    out = tmp_path / "q.csv"
    convert([FIXTURES / "qe-answered-attribution-change.txt"], out, format="csv-excel",
            tables=True, jobs=1, quiet=True)
    data = (tmp_path / "q.attributions.csv").read_bytes()
    assert data.startswith("\ufeffuid;position;ministry;".encode("utf-8"))


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sqlite"])
def test_a_withdrawal_none_of_whose_values_was_read_reads_back(tmp_path, fmt):
    # fixtures/copied-question-col-14-qe-sr.txt, its withdrawal line cut short ("Question
    # retirée le: 20/06" — a dump cut mid-line): withdrawn, with a withdrawal of no value read.
    # The flat formats dropped it: reading them back failed ("status 'withdrawn' does not
    # agree"), and a duplicate or a second SQLite run crashed the run
    text = (FIXTURES / "copied-question-col-14-qe-sr.txt").read_text(encoding="utf-8")
    line = "Question retirée le: 20/06/2017 (fin de mandat)"
    assert text.count(line) == 1
    path = tmp_path / "q.txt"
    path.write_text(text.replace(line, "Question retirée le: 20/06"), encoding="utf-8")
    q = aqparse.parse(path.read_bytes(), path=str(path))
    assert q.status == "withdrawn" and q.withdrawal == aqparse.Withdrawal()
    out = tmp_path / f"out.{fmt}"
    for inputs in ([path], [path, path]):        # once, then twice (merged at the end)
        summary = convert(inputs, out, format=fmt, jobs=1, quiet=True)
        assert (summary.questions, summary.errors) == (1, 0)
        assert list(aqparse.read(str(out))) == [q]
        if fmt != "sqlite":
            out.unlink()
