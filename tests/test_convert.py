"""The convert pipeline: parallel = serial byte for byte, cutting dumps, archives, errors,
strict, usage errors, stdin, a killed run, the fixtures folder."""

import datetime as dt
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
import zipfile
from collections import Counter
from pathlib import Path

import attrs
import pytest

import aqparse
from aqparse import cli
from aqparse import convert as convert_function
from aqparse.convert import UsageError, convert
from aqparse.units import Sizes, units_of
from aqparse.work import parse_unit
from aqparse.export import SQL_INDEXES, read_sqlite
from aqparse.inputs import documents

import dumps

ROOT = Path(__file__).resolve().parents[1]


# dumps cut into many small units, so that a small test input exercises the cutting
SMALL_UNITS = Sizes(split_above=20_000, chunk_chars=6_000)


def test_convert_is_reexported():
    assert convert_function is convert


def test_jobs_1_and_2_give_byte_identical_jsonl(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    dumps.write_dump(folder / "big.txt", 300, seed=3, words=20)
    (folder / "known.txt").write_text(dumps.KNOWN, encoding="utf-8")
    with zipfile.ZipFile(folder / "more.zip", "w") as z:
        z.writestr("d.txt", dumps.dump_text(dumps.records(40, seed=4, legislature=12)))
    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    s1 = convert([folder], one, jobs=1, quiet=True, sizes=SMALL_UNITS)
    s2 = convert([folder], two, jobs=2, quiet=True, sizes=SMALL_UNITS)
    assert one.read_bytes() == two.read_bytes()
    assert s1.questions == s2.questions == 341 - s1.duplicates
    # input order: the dump first (big.txt), then known.txt, then the zip
    uids = [json.loads(line)["uid"] for line in one.read_text(encoding="utf-8").splitlines()]
    assert uids.index("QANR5L15QE4321") > 0 and uids[-1].startswith("QANR5L12")


def _whole_and_parts(path):
    doc = next(documents(str(path)))
    units = list(units_of(doc, True, SMALL_UNITS))
    whole = [q.to_dict() for q in aqparse.parse_many(path.read_bytes(), path=str(path))]
    parts = [q.to_dict() for u in units for q in parse_unit(u)[0]]
    return whole, parts, units


def test_cut_dumps_parse_exactly_like_the_whole(tmp_path):
    qs = list(dumps.records(200, seed=5, words=20))
    # traps: a legislature label inside a body, mid-line and on its own line, a
    # "Question N°" line inside an answer
    qs[20] = qs[20].evolve(question=attrs.evolve(qs[20].question, 
        text="Pendant cette XIVe législature rien.\n\n14ème législature\n\nFin."))
    qs[50] = qs[50].evolve(question=attrs.evolve(qs[50].question, 
        text="Comme le disait la\nQuestion N° 12 déjà posée."))
    text = dumps.dump_text(qs)
    cases = {
        "plain.txt": text.encode("utf-8"),
        "crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
        "cp1252.txt": text.encode("cp1252", errors="replace"),
        "no_legislature.txt": "\n".join(
            line for line in text.split("\n") if "ème législature" not in line).encode("utf-8"),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        whole, parts, units = _whole_and_parts(path)
        assert len(units) > 10, name
        assert parts == whole, name


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


ARCHIVE = {
    "good/one.txt": dumps.KNOWN,
    "good/two.txt": dumps.DEFECTIVE,
    "bad/notes.txt": "Liste de courses : pain, lait, oeufs.\n",
    "bad/empty.txt": "",
    "README.md": "# not a question\n",
    "scan.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00",
    "good/one.json": json.dumps(aqparse.parse(dumps.KNOWN).to_dict()),   # an expected fixture
}


@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_archive_of_good_bad_and_other_files(tmp_path, capsys, kind):
    archive = tmp_path / f"mixed.{kind}"
    if kind == "zip":
        _zip(archive, ARCHIVE)
    else:
        with tarfile.open(archive, "w:gz") as tar:
            for name, data in ARCHIVE.items():
                data = data.encode("utf-8") if isinstance(data, str) else data
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    out, errors = tmp_path / "q.jsonl", tmp_path / "errors.jsonl"
    status = cli.main(["convert", str(archive), "-o", str(out), "--errors", str(errors), "-j", "1"])
    assert status == 1
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["uid"] for r in records] == ["QANR5L15QE4321", "QANR5L16QE777"]
    entries = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert sorted((e["path"].split("!")[1], e["code"]) for e in entries) == [
        ("bad/empty.txt", "empty"), ("bad/notes.txt", "not-a-question")]
    notes = next(e for e in entries if e["path"].endswith("notes.txt"))
    assert notes["raw"] == "Liste de courses : pain, lait, oeufs.\n"
    assert notes["position"] == 1
    report = capsys.readouterr().err
    assert "7 input(s) read, 2 question(s) written" in report
    assert "questions with defects: 1" in report
    assert "inputs that failed: 2" in report
    assert "1 aqparse record files" in report and "not a question file type" in report


def test_strict_sends_defective_questions_to_the_errors(tmp_path):
    a, b = list(dumps.records(2, seed=9))
    dump = tmp_path / "dump.txt"
    dump.write_text(aqparse.render(a) + "\n" + dumps.DEFECTIVE + "\n" + aqparse.render(b),
                    encoding="utf-8")
    out, errors = tmp_path / "q.jsonl", tmp_path / "e.jsonl"
    summary = convert([dump], out, jobs=1, quiet=True, strict=True, errors=errors)
    assert summary.exit_status == 1 and summary.rejected == 1 and summary.questions == 2
    [entry] = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert entry["uid"] == "QANR5L16QE777"
    assert entry["raw"] == dumps.DEFECTIVE + "\n"
    assert entry["position"] == aqparse.render(a).count("\n") + 2
    assert [d["code"] for d in entry["defects"]] == ["unknown-label", "bad-date"]
    # without --strict the question is written, with its defects, and nothing is an error
    summary = convert([dump], out, jobs=1, quiet=True, errors=errors)
    assert summary.exit_status == 0 and summary.questions == 3 and summary.with_defects == 1
    assert errors.read_text() == ""


@pytest.mark.parametrize("argv, message", [
    (["convert", "{tmp}/missing", "-o", "{tmp}/q.sqlite"], "no such file or directory"),
    (["convert", "{tmp}/in", "-o", "{tmp}/q.xlsx"], "cannot tell the output format"),
    (["convert", "{tmp}/in", "-o", "{tmp}/q.out", "--format", "xls"], "unknown output format"),
    (["convert", "{tmp}/in", "-o", "{tmp}/nowhere/q.jsonl"], "no such directory"),
    (["convert", "{tmp}/in", "-o", "{tmp}/in"], "cannot tell the output format"),
    (["convert", "{tmp}/in", "-o", "{tmp}/dir.jsonl"], "is a directory"),
    (["convert", "{tmp}/in", "-o", "{tmp}/q.jsonl", "-j", "0"], "--jobs"),
    (["convert", "{tmp}/in", "-o", "{tmp}/q.sqlite", "--tables"], "--tables"),
    (["convert", "{tmp}/in", "-o", "{tmp}/q.jsonl", "--errors", "{tmp}/nowhere/e.jsonl"], "nowhere"),
])
def test_bad_arguments_fail_at_once_in_one_line(tmp_path, capsys, argv, message):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "q.txt").write_text(dumps.KNOWN, encoding="utf-8")
    (tmp_path / "dir.jsonl").mkdir()
    status = cli.main([a.format(tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "q.jsonl").exists() and not (tmp_path / "q.jsonl.part").exists()


def test_library_raises_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        convert([tmp_path / "missing.txt"], tmp_path / "q.jsonl")


def _run_cli(*args, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "aqparse.cli", *args], env=env,
                          capture_output=True, **kw)


def test_stdin(tmp_path):
    out = tmp_path / "q.jsonl"
    done = _run_cli("convert", "-", "-o", str(out), "-j", "1",
                    input=(dumps.KNOWN + "\n" + dumps.DEFECTIVE).encode("utf-8"))
    assert done.returncode == 0, done.stderr
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["uid"], r["source"]["path"]) for r in records] == [
        ("QANR5L15QE4321", "<stdin>"), ("QANR5L16QE777", "<stdin>")]
    assert b"2 question(s) written" in done.stderr


@pytest.mark.parametrize("given", [b"", b"\n \n"])
def test_empty_stdin_is_said_empty_as_an_empty_file_is(tmp_path, given):
    # it was said "not a parliamentary question … no question labels"
    done = _run_cli("convert", "-", "-o", str(tmp_path / "q.jsonl"), "-j", "1", input=given)
    assert done.returncode == 1
    assert b"aqparse: <stdin>:1: empty input [empty]" in done.stderr.splitlines()


def _count(path):
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)
        try:
            return db.execute("SELECT count(*) FROM questions").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def test_killed_run_then_rerun_gives_the_same_database(tmp_path):
    # The run reads the dump on stdin. The test gives it the first three quarters and keeps the
    # pipe open: the run commits its first batches, then waits for the rest — it cannot end
    # before it is killed, however fast the machine.
    dump = tmp_path / "dump.txt"
    uids = dumps.write_dump(dump, 4000, seed=11, words=40)
    data = dump.read_bytes()
    total = len(set(uids))
    full, killed = tmp_path / "full.sqlite", tmp_path / "killed.sqlite"
    argv = ["convert", "-", "-j", "1", "-q", "-o"]
    assert _run_cli(*argv, str(full), input=data).returncode == 0

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "aqparse.cli", *argv, str(killed)], env=env,
                            stdin=subprocess.PIPE)
    try:
        proc.stdin.write(data[:len(data) * 3 // 4])
        proc.stdin.flush()
        deadline = time.monotonic() + 300
        while _count(killed) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before the rest of its input"
        proc.kill()
    finally:
        proc.wait()
        proc.stdin.close()
    stored = _count(killed)
    assert 0 < stored < total                      # killed midway, with committed batches
    # whole batches of 1,000 questions, nothing half-written
    assert stored in {len(set(uids[:n])) for n in range(1000, len(uids), 1000)}
    assert dumps.db_tables(killed)["questions"] != dumps.db_tables(full)["questions"]

    # a new database is indexed at the end of its run: the killed one was not yet
    assert _indexes(killed) == set()
    assert _run_cli(*argv, str(killed), input=data).returncode == 0
    assert dumps.db_tables(killed) == dumps.db_tables(full)
    assert _count(full) == total
    assert _indexes(killed) == _indexes(full) == set(SQL_INDEXES)


def _indexes(path):
    db = sqlite3.connect(path)
    try:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                         "AND name NOT LIKE 'sqlite_autoindex%'")}
    finally:
        db.close()      # an open reader would keep the next run from leaving WAL mode


def test_a_fixtures_folder_converts_without_its_expected_files(tmp_path):
    from aqparse import fixtures

    folder = tmp_path / "fixtures"
    folder.mkdir()
    (folder / "known.txt").write_text(dumps.KNOWN, encoding="utf-8")
    (folder / "defective.txt").write_text(dumps.DEFECTIVE, encoding="utf-8")
    (folder / "dump.txt").write_text(dumps.dump_text(dumps.records(3, seed=2)), encoding="utf-8")
    list(fixtures.update(str(folder)))
    assert (folder / "known.json").exists()
    db = tmp_path / "questions.sqlite"
    done = _run_cli("convert", str(folder), "-o", str(db))
    assert done.returncode == 0, done.stderr
    assert len(list(read_sqlite(str(db)))) == 5
    assert b"skipped: 3 aqparse record files" in done.stderr


def _expected_fixture_records(folder):
    """The records of the fixtures as written by hand (``NAME.json``, one record or a list),
    one per key of the database: the uid, or ``~PATH:LINE`` of the input for a question
    without one."""
    from aqparse.records import looks_like_record

    out = {}
    # (the pairs of its subfolders too: pages/, opendata/; an open-data input is no record)
    for expected in sorted(folder.rglob("*.json")):
        value = json.loads(expected.read_text(encoding="utf-8"))
        for record in value if isinstance(value, list) else [value]:
            if not looks_like_record(record):
                continue
            key = record["uid"] or f"~{expected.with_suffix('.txt')}:{record['source']['line']}"
            assert out.get(key, record)["status"] == record["status"], key   # same question
            out[key] = record
    return out


def test_sqlite_of_a_parallel_run_is_written_from_a_thread_the_same(tmp_path, monkeypatch):
    # --jobs 2: the parent hands its batches to a thread of their own (it cuts the next units
    # meanwhile); the database is the one --jobs 1 writes in its one thread, row for row and
    # in the same order, merges of duplicates across batches included
    import threading

    from aqparse.export import SqliteWriter

    dump, again = tmp_path / "dump.txt", tmp_path / "again.txt"
    uids = dumps.write_dump(dump, 2500, seed=5)
    assert dumps.write_dump(again, 300, seed=5) == uids[:300]    # met again, batches later
    applied_by = set()
    apply = SqliteWriter._flush_batch

    def spy(self, batch):
        applied_by.add(threading.current_thread().name)
        return apply(self, batch)
    monkeypatch.setattr(SqliteWriter, "_flush_batch", spy)
    rows = {}
    for jobs in (1, 2):
        applied_by.clear()
        out = tmp_path / f"q{jobs}.sqlite"
        summary = convert([dump, again], out, jobs=jobs, quiet=True)
        assert summary.questions == len(set(uids)) and summary.duplicates == 300
        assert applied_by == ({"MainThread"} if jobs == 1 else {"aqparse-sqlite"})
        db = sqlite3.connect(out)
        rows[jobs] = [db.execute("SELECT rowid, * FROM questions").fetchall()] + [
            db.execute(f"SELECT * FROM {t}").fetchall() for t in ("attributions", "aqparse_inputs")]
        db.close()
    assert rows[1] == rows[2]


def test_the_repository_fixtures_convert_to_sqlite(tmp_path):
    folder = ROOT / "fixtures"
    if not folder.is_dir():
        pytest.skip("no fixtures/ folder in this checkout")
    db = tmp_path / "questions.sqlite"
    done = _run_cli("convert", str(folder), "-o", str(db), "-j", "2")
    assert done.returncode == 0, done.stderr.decode()
    expected = _expected_fixture_records(folder)
    con = sqlite3.connect(db)
    assert dict(con.execute("SELECT uid, status FROM questions")) == {
        key: r["status"] for key, r in expected.items()}
    # the three queries of the README, against what the expected files say
    by_ministry = Counter((r["ministry_assigned"] or {}).get("name") for r in expected.values())
    assert con.execute(
        "SELECT ministry_assigned, count(*) AS questions FROM questions GROUP BY "
        "ministry_assigned ORDER BY questions DESC, ministry_assigned LIMIT 5").fetchall() == \
        sorted(by_ministry.items(), key=lambda kv: (-kv[1], kv[0] is not None, kv[0] or ""))[:5]
    delays = {}
    for r in expected.values():
        if r["status"] == "answered" and r["question"]["date"] and r["answer"]["date"]:
            days = (dt.date.fromisoformat(r["answer"]["date"])
                    - dt.date.fromisoformat(r["question"]["date"])).days
            delays.setdefault((r["ministry_assigned"] or {}).get("name"), []).append(days)
    assert {row[0]: row[1:] for row in con.execute(
        "SELECT ministry_assigned, count(*) AS answered, "
        "round(avg(julianday(answer_date) - julianday(question_date))) AS mean_days, "
        "max(julianday(answer_date) - julianday(question_date)) AS longest_days FROM questions "
        "WHERE status = 'answered' AND question_date IS NOT NULL AND answer_date IS NOT NULL "
        "GROUP BY ministry_assigned")} == {
        name: (len(d), int(sum(d) / len(d) + 0.5), max(d)) for name, d in delays.items()}
    assert dict(con.execute(
        "SELECT withdrawal_reason, count(*) AS questions FROM questions WHERE status = "
        "'withdrawn' GROUP BY withdrawal_reason")) == dict(Counter(
            r["withdrawal"]["reason"] for r in expected.values() if r["status"] == "withdrawn"))


def test_a_dump_with_a_bad_tail_keeps_its_questions(tmp_path):
    dump = tmp_path / "dump.txt"
    tail = "15ème législature\n\nfin du fichier\n"
    dump.write_text(dumps.KNOWN + "\n" + tail, encoding="utf-8")
    out, errors = tmp_path / "q.jsonl", tmp_path / "e.jsonl"
    summary = convert([dump], out, jobs=1, quiet=True, errors=errors)
    assert summary.questions == 1 and summary.exit_status == 1 and summary.failed == [str(dump)]
    [entry] = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert entry["code"] == "trailing-text"
    assert entry["position"] == dumps.KNOWN.count("\n") + 2
    assert entry["raw"] == tail


@pytest.mark.parametrize("small_units", [False, True])
def test_own_jsonl_named_explicitly_is_read_as_records(tmp_path, small_units):
    # small units: the JSON lines are then cut into units of whole lines
    sizes = SMALL_UNITS if small_units else Sizes()
    dump = tmp_path / "dump.txt"
    dump.write_text(dumps.dump_text(dumps.records(60, seed=21)) + "\n" + dumps.DEFECTIVE,
                    encoding="utf-8")
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    convert([dump], first, jobs=1, quiet=True, sizes=sizes)
    summary = convert([first], second, jobs=2, quiet=True, sizes=sizes)
    assert summary.questions == 61 and summary.with_defects == 1 and summary.exit_status == 0
    assert second.read_bytes() == first.read_bytes()
    # inside a folder, the same file is an output, not an input
    folder = tmp_path / "folder"
    folder.mkdir()
    first.rename(folder / "1.jsonl")
    (folder / "q.json").write_text(json.dumps(aqparse.parse(dumps.KNOWN).to_dict()), encoding="utf-8")
    summary = convert([folder], tmp_path / "3.jsonl", jobs=1, quiet=True, sizes=sizes)
    assert summary.questions == 0 and len(summary.skipped) == 2 and summary.exit_status == 0


def test_a_question_without_kind_has_no_uid_and_is_still_kept(tmp_path):
    text = dumps.KNOWN.replace("Question écrite\n", "")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "nokind.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "q.sqlite"
    summary = convert([tmp_path / "in"], out, jobs=1, quiet=True)
    assert summary.by_kind == {"(unknown)": 1} and "(unknown) 1" in summary.report()
    key = sqlite3.connect(out).execute("SELECT uid, number FROM questions").fetchall()
    assert key == [(f"~{tmp_path / 'in' / 'nokind.txt'}:1", 4321)]
    [back] = read_sqlite(str(out))
    assert back.uid is None and back.kind is None and back.number == 4321


def test_a_corrupt_archive_in_a_folder_costs_only_itself(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(dumps.KNOWN, encoding="utf-8")
    _zip(folder / "b.zip", {"x.txt": dumps.KNOWN})
    data = bytearray((folder / "b.zip").read_bytes())
    at = data.rfind(b"PK\x01\x02")                  # break the central directory entry
    data[at:at + 4] = b"XXXX"
    (folder / "b.zip").write_bytes(bytes(data))
    (folder / "c.txt").write_text(dumps.DEFECTIVE, encoding="utf-8")
    out, errors = tmp_path / "q.jsonl", tmp_path / "e.jsonl"
    summary = convert([folder], out, jobs=1, quiet=True, errors=errors)
    assert summary.questions == 2 and summary.inputs == 3 and summary.exit_status == 1
    [entry] = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert entry["path"] == str(folder / "b.zip") and entry["code"] == "io-error"


def test_an_sqlite_file_of_another_program_is_not_touched(tmp_path, capsys):
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE questions (id INTEGER, texte TEXT)")
    db.commit()
    db.close()
    (tmp_path / "notes.sqlite").write_text("pas une base\n", encoding="utf-8")
    (tmp_path / "q.txt").write_text(dumps.KNOWN, encoding="utf-8")
    for target in (other, tmp_path / "notes.sqlite"):
        assert cli.main(["convert", str(tmp_path / "q.txt"), "-o", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "not an aqparse SQLite database" in err
    assert sqlite3.connect(other).execute("PRAGMA table_info(questions)").fetchall()[1][1] == "texte"


def test_an_errors_entry_of_a_record_with_a_lone_surrogate_is_utf8(tmp_path):
    # a record (aqparse's JSON form, read back) whose defect message holds half an emoji: the
    # reader mends it (U+FFFD); refused under --strict, its entry is plain UTF-8
    good, bad = (q.to_dict() for q in dumps.records(2, seed=41, legislature=15))
    bad["defects"] = [{"code": "bad-date", "message": "date \ud83d illisible", "line": 3}]
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="ascii")
    out, errors = tmp_path / "q.jsonl", tmp_path / "e.jsonl"
    summary = convert([source], out, jobs=1, quiet=True, strict=True, errors=errors)
    assert summary.questions == 1 and summary.rejected == 1
    [entry] = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert entry["uid"] == bad["uid"] and entry["error"] == "date \ufffd illisible"
    assert entry["position"] == 2


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_raw_of_a_refused_question_starts_at_its_own_line(tmp_path, newline):
    # Characters Python's str.splitlines() also takes as line breaks (form feed, separators,
    # NEL, U+2028/2029), which the parser takes as line breaks too, inside the first question:
    # the raw text of the second (refused) one must still be its own lines, counted as the
    # parser counts them (each of the 8 characters, twice, is one more line).
    odd = "\x0c\x0b\x1c\x1d\x1e\x85\u2028\u2029"
    first = dumps.KNOWN.replace("Rénovation thermique", f"Rénovation{odd}thermique").replace(
        "calendrier des aides.", f"calendrier{odd}des aides.")
    text = (first + "\n" + dumps.DEFECTIVE).replace("\n", newline)
    dump = tmp_path / "dump.txt"
    dump.write_bytes(text.encode("utf-8"))
    out, errors = tmp_path / "q.jsonl", tmp_path / "e.jsonl"
    summary = convert([dump], out, jobs=1, quiet=True, strict=True, errors=errors)
    assert summary.questions == 1 and summary.rejected == 1
    # (the entry holds U+2028 as is: JSON lines are split on "\n" alone)
    [entry] = [json.loads(x) for x in errors.read_text(encoding="utf-8").split("\n") if x]
    assert entry["uid"] == "QANR5L16QE777"
    assert entry["position"] == dumps.KNOWN.count("\n") + 2 + 2 * len(odd)
    assert entry["raw"] == dumps.DEFECTIVE.replace("\n", newline)


def test_files_a_glob_matches_are_named_explicitly(tmp_path):
    # named (here by a glob), aqparse's own JSON lines are read as records, and a file of any
    # suffix is read; inside a folder both would be skipped
    dump = tmp_path / "dump.txt"
    dump.write_text(dumps.KNOWN + "\n" + dumps.DEFECTIVE, encoding="utf-8")
    convert([dump], tmp_path / "part-1.jsonl", jobs=1, quiet=True)
    (tmp_path / "part-2.question").write_text(dumps.KNOWN.replace("4321", "4322"), encoding="utf-8")
    out = tmp_path / "all.jsonl"
    summary = convert([str(tmp_path / "part-*")], out, jobs=1, quiet=True)
    assert summary.inputs == 2 and summary.skipped == []
    uids = [json.loads(x)["uid"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert uids == ["QANR5L15QE4321", "QANR5L16QE777", "QANR5L15QE4322"]


# -- large open-data dumps: streamed in the parent --------------------------------------------------

def _od_question(n, date="2023-01-12", words=300):
    """A made-up open-data question au gouvernement (the shape of the AN's JSON)."""
    return {"question": {
        "uid": f"QANR5L16QG{n}", "identifiant": {"numero": str(n), "legislature": "16"},
        "type": "QG", "textesReponse": {"texteReponse": {
            "infoJO": {"dateJO": date}, "texte": "<p>M. le président. La parole est à M. Jean "
                                                 f"Essai.</p><p>Débat {n}. " + "réponse " * words + "</p>"}}}}


def _od_dump(path, count, *, bad_date=(), one_line=False, tail="", words=300):
    """A list of open-data questions, one per line (or all on one line, as the AN publishes
    its dumps); the questions numbered in ``bad_date`` answered on 31 February. Returns the
    lines of the file."""
    items = [json.dumps(_od_question(n, "2023-02-31" if n in bad_date else "2023-01-12", words),
                        ensure_ascii=False) for n in range(1, count + 1)]
    text = ("[" + ", ".join(items) + "]" if one_line else "[\n" + ",\n".join(items) + "\n]\n")
    path.write_text(text + tail, encoding="utf-8")
    return (text + tail).split("\n")


# dumps above 50 KB are streamed, their records written 25 at a time
STREAMED = Sizes(split_above=50_000, stream_batch=25)


def test_a_streamed_open_data_dump_converts_as_a_whole_one_does(tmp_path, monkeypatch):
    dump = tmp_path / "dump.json"
    lines = _od_dump(dump, 120, bad_date={7, 120},
                     tail='{"question": {"uid": "QANR5L16QG999",\n oops\n')
    whole, whole_errors = tmp_path / "whole.jsonl", tmp_path / "whole-errors.jsonl"
    s1 = convert([dump], whole, jobs=1, quiet=True, strict=True, errors=whole_errors)
    called = []
    from aqparse import pool

    real = pool.streamed
    monkeypatch.setattr(pool, "streamed", lambda *a: called.append(a[0].name) or real(*a))
    for jobs in (1, 2):
        out, errors = tmp_path / f"s{jobs}.jsonl", tmp_path / f"s{jobs}-errors.jsonl"
        s2 = convert([dump], out, jobs=jobs, quiet=True, strict=True, errors=errors,
                     sizes=STREAMED)
        assert out.read_bytes() == whole.read_bytes()
        assert errors.read_bytes() == whole_errors.read_bytes()
        assert (s2.questions, s2.rejected, s2.failed) == (s1.questions, s1.rejected, s1.failed)
    assert called == [str(dump), str(dump)]
    # read from the input: 120 questions, 7 and 120 answered on 31 February, a broken tail
    uids = [json.loads(x)["uid"] for x in whole.read_text(encoding="utf-8").splitlines()]
    assert uids == [f"QANR5L16QG{n}" for n in range(1, 121) if n not in (7, 120)]
    seven, last, tail = [json.loads(x) for x in whole_errors.read_text(encoding="utf-8").splitlines()]
    assert (seven["uid"], seven["position"], seven["code"]) == ("QANR5L16QG7", 8, "bad-date")
    assert seven["raw"] == lines[7] + "\n"              # its own line of the file
    assert (last["uid"], last["position"]) == ("QANR5L16QG120", 121)
    assert last["raw"] == "\n".join(lines[120:123]) + "\n"   # up to the line of the error
    assert (tail["code"], tail["position"]) == ("bad-json", 124)
    assert tail["raw"] == " oops\n"


def test_a_question_sharing_its_line_is_refused_with_its_record(tmp_path):
    # the AN's dumps are one line: a refused question has no lines of its own to quote
    dump = tmp_path / "dump.json"
    _od_dump(dump, 60, bad_date={5}, one_line=True)
    out, errors = tmp_path / "q.jsonl", tmp_path / "e.jsonl"
    summary = convert([dump], out, jobs=1, quiet=True, strict=True, errors=errors,
                      sizes=STREAMED)
    assert summary.questions == 59 and summary.rejected == 1
    [entry] = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert (entry["uid"], entry["position"], entry["raw"]) == ("QANR5L16QG5", 1, "")
    assert entry["record"]["number"] == 5
    assert entry["record"]["answer"]["text"].startswith(
        "M. le président. La parole est à M. Jean Essai.\n\nDébat 5.")


def _convert_peak(source, out, sizes):
    import tracemalloc

    tracemalloc.start()
    try:
        summary = convert([source], out, jobs=1, quiet=True, sizes=sizes)
        return summary.questions, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("one_line", [False, True])
def test_a_large_open_data_dump_is_converted_in_flat_memory(tmp_path, monkeypatch, one_line):
    from aqparse import opendata

    # smaller than the dumps: what a streamed dump keeps for errors, the parser's read window
    sizes = attrs.evolve(STREAMED, raw_keep=100_000)
    monkeypatch.setattr(opendata, "READ_CHUNK", 20_000)
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    _od_dump(small, 100, words=400, one_line=one_line)     # 0.3 MB
    _od_dump(large, 500, words=400, one_line=one_line)     # 1.6 MB
    # (JSON lines: written at once, where SQLite holds a batch of 1,000 records)
    _convert_peak(small, tmp_path / "warm-up.jsonl", sizes)   # lazy imports not counted below
    n_small, peak_small = _convert_peak(small, tmp_path / "small.jsonl", sizes)
    n_large, peak_large = _convert_peak(large, tmp_path / "large.jsonl", sizes)
    assert (n_small, n_large) == (100, 500)
    # five times the questions, hardly more memory: not the dump, nor all its records
    assert peak_large < peak_small + 400_000, (peak_small, peak_large)


@pytest.mark.parametrize("keep", [1 << 20, 300])
def test_a_streamed_dump_quotes_the_lines_it_still_holds(keep):
    # what the parser of a streamed dump does: read blocks, then — a question found at line
    # L — ask for earlier lines, and forget those before L
    import random

    from aqparse.rawtext import Tap, split_lines

    rng = random.Random(5)
    ends = ["\n", "\r\n", "\r"]
    lines = [f"ligne {i} " + "é" * rng.randint(0, 40) + rng.choice(ends) for i in range(1, 301)]
    data = "".join(lines).encode("utf-8")
    tap = Tap(io.BytesIO(data[1000:]), data[:1000], keep)
    read, line, exact = b"", 1, 0
    while True:
        block = tap.read(rng.randint(1, 90))
        if not block:
            break
        read += block
        # the last line that has been read whole, and a question from there
        whole = split_lines(read.decode("utf-8", errors="ignore"))
        if len(whole) > line + 3 and rng.random() < 0.3:
            start, end = line, rng.randint(line + 1, len(whole) - 1)
            text, complete = tap.between(start, end)
            expected = "".join(lines[start - 1:end - 1])
            assert text == expected if complete else expected.startswith(text)
            exact += complete
            tap.release(end)
            line = end
    assert read == data
    assert exact > 10 if keep > len(data) else exact > 0
    text, complete = tap.between(line, None)
    rest = "".join(lines[line - 1:])
    assert text == rest if complete else rest.startswith(text)
    assert complete or keep < len(data)


def test_an_open_data_dump_on_stdin_is_streamed(tmp_path):
    dump = tmp_path / "dump.json"
    _od_dump(dump, 80, words=200)                           # above the 64 KB first read
    assert dump.stat().st_size > 65536
    out = tmp_path / "q.jsonl"
    done = _run_cli("convert", "-", "-o", str(out), "-j", "2", input=dump.read_bytes())
    assert done.returncode == 0, done.stderr
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["uid"] for r in records] == [f"QANR5L16QG{n}" for n in range(1, 81)]
    assert {r["source"]["path"] for r in records} == {"<stdin>"}


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_progress_bar_has_a_total_and_an_eta_where_the_inputs_tell_it(tmp_path, monkeypatch):
    from aqparse.units import input_bytes

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "known.txt").write_text(dumps.KNOWN, encoding="utf-8")
    _zip(folder / "more.zip", {"a.txt": dumps.DEFECTIVE, "b.txt": dumps.KNOWN})
    known, defective = len(dumps.KNOWN.encode()), len(dumps.DEFECTIVE.encode())
    # a file's size, a zip's members' sizes (what there is to read, not the archive's bytes)
    assert input_bytes([str(folder)]) == 2 * known + defective
    assert input_bytes([str(folder / "known.txt"), str(folder / "more.zip")]) == 2 * known + defective
    assert input_bytes(["-"]) is None                     # stdin: unknown
    # a broken link in a folder gives nothing to read (the walk says it failed): the total stays
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    assert input_bytes([str(folder)]) == 2 * known + defective
    (folder / "gone.txt").unlink()
    with tarfile.open(tmp_path / "d.tar.gz", "w:gz") as tar:
        tar.add(folder / "known.txt", arcname="known.txt")
    assert input_bytes([str(tmp_path / "d.tar.gz")]) is None
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    summary = convert([folder], tmp_path / "q.jsonl", jobs=1)
    shown = terminal.getvalue().split("\r")[-1]
    assert summary.questions == 2
    # at the end: the whole of it read, out of the total, with the questions written
    assert "100%" in shown and "2 questions" in shown, shown


def test_a_script_without_the_main_guard_is_told_why_its_workers_died(tmp_path):
    import subprocess

    script = tmp_path / "convert_dumps.py"
    script.write_text("import aqparse\n"
                      f"aqparse.convert([{str(ROOT / 'fixtures')!r}], {str(tmp_path / 'q.jsonl')!r},"
                      " jobs=2, quiet=True)\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode != 0
    # multiprocessing's resource tracker writes to the same stderr at the same time, and the
    # interpreter writes an error's last line in pieces ("OSError", ": ", the message): the
    # two may interleave anywhere (a flaky failure of this test on a busy machine), so the
    # message is looked for in the whole of it, each piece where it stands
    assert "OSError" in run.stderr and "a worker process died" in run.stderr
    hint = run.stderr[run.stderr.index("a worker process died"):]
    assert ". If convert_dumps.py calls convert() or stats() at its top level" in hint
    assert 'put the call under `if __name__ == "__main__":`' in hint


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_output_that_is_not_a_regular_file_is_refused_and_left_as_it_is(tmp_path):
    # the output is written apart, then put in the place of the one named: "-o /dev/null"
    # run as root replaced the device with a file. A FIFO stands for such an output here
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "aqparse", "convert", str(ROOT / "fixtures"
                                                                           / "qe-pending.txt"),
                           "-o", str(fifo)], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("copies", [1, 40])       # a file read whole, and one read in parts
def test_a_bad_line_of_json_records_costs_that_line_alone(tmp_path, copies):
    # aqparse's JSON lines, converted again: line 11 cut short (a copy stopped midway). The
    # lines after it were lost (only the first ten written, the rest in the error's raw text)
    good = tmp_path / "good.jsonl"
    convert([str(ROOT / "fixtures")], str(good), jobs=1, quiet=True)
    lines = good.read_text(encoding="utf-8").splitlines() * copies
    cut = lines[10][:150]
    assert json.loads(lines[10])["uid"] and not cut.endswith("}")
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines[:10] + [cut] + lines[11:]) + "\n", encoding="utf-8")
    assert (copies == 1) == (broken.stat().st_size < 1 << 20)
    outputs = []
    for jobs in (1, 2):
        out, errors = tmp_path / f"out{jobs}.jsonl", tmp_path / f"errors{jobs}.jsonl"
        summary = convert([str(broken)], str(out), jobs=jobs, quiet=True, errors=str(errors))
        [error] = [json.loads(e) for e in errors.read_text(encoding="utf-8").splitlines()]
        assert (error["position"], error["code"], error["raw"]) == (11, "bad-record", cut + "\n")
        assert summary.errors == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    # every question of the other lines is written (a uid met again is merged into one)
    written = {json.loads(x)["uid"] for x in outputs[0].decode("utf-8").splitlines()}
    assert written == {json.loads(x)["uid"] for x in lines[:10] + lines[11:]}


def test_json_lines_of_records_with_a_line_that_is_no_record(tmp_path):
    # a JSON line that is no record ({"a": 1}) among aqparse's records: it was dropped without
    # a word; it is an errors entry, the records around it written
    good = tmp_path / "good.jsonl"
    convert([str(ROOT / "fixtures" / "qe-pending.txt"),
             str(ROOT / "fixtures" / "qe-answered-attribution-change.txt")],
            str(good), jobs=1, quiet=True)
    first, second = good.read_text(encoding="utf-8").splitlines()
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([first, '{"a": 1}', second]) + "\n", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    summary = convert([str(mixed)], str(out), jobs=1, quiet=True, errors=str(errors))
    [error] = [json.loads(e) for e in errors.read_text(encoding="utf-8").splitlines()]
    assert (error["position"], error["code"], error["raw"]) == (2, "bad-record", '{"a": 1}\n')
    assert [json.loads(x)["uid"] for x in out.read_text(encoding="utf-8").splitlines()] == [
        json.loads(first)["uid"], json.loads(second)["uid"]]
    assert summary.errors == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_errors_file_that_is_a_fifo_is_refused(tmp_path):
    # a FIFO no one reads blocked the run for ever, deaf to SIGTERM
    fifo = tmp_path / "errors"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        convert([str(ROOT / "fixtures" / "qe-pending.txt")], str(tmp_path / "out.jsonl"), jobs=1,
                quiet=True, errors=str(fifo))


# -- the output's path: a symbolic link, "-" --------------------------------------------------------

PENDING = ROOT / "fixtures" / "qe-pending.txt"      # "14ème législature", "Question N° 98712"
ANSWERED = ROOT / "fixtures" / "qe-answered-attribution-change.txt"    # 15th, N° 23817


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_an_output_that_is_a_symbolic_link_is_written_through_it(tmp_path, suffix):
    # the output was written beside the link and renamed onto it: the link became a file and
    # the file it pointed to kept its old content. The file is written, the link kept
    data = tmp_path / "data"
    data.mkdir()
    real = data / f"questions{suffix}"
    real.write_text("old\n")
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    assert cli.main(["convert", str(PENDING), "-o", str(link), "-j", "1", "-q"]) == 0
    assert os.path.islink(link) and os.readlink(link) == str(real)
    assert [q.uid for q in aqparse.read(str(real))] == ["QANR5L14QE98712"]
    assert sorted(os.listdir(data)) == [real.name]       # no .part left behind
    assert sorted(os.listdir(tmp_path)) == ["data", link.name]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_the_tables_of_an_output_named_by_a_link_go_beside_the_file_it_names(tmp_path):
    # "latest.csv" -> "runs/monday.csv": the rows go to monday.csv, and its tables (whose
    # rows are numbered by its rows) beside it, named after it: they went beside the link,
    # where the next run, writing another file, replaced them
    runs = tmp_path / "runs"
    runs.mkdir()
    link = tmp_path / "latest.csv"
    link.symlink_to(runs / "monday.csv")
    assert cli.main(["convert", str(ANSWERED), "-o", str(link), "--tables", "-j", "1",
                     "-q"]) == 0
    assert os.path.islink(link) and sorted(os.listdir(tmp_path)) == ["latest.csv", "runs"]
    assert "monday.attributions.csv" in os.listdir(runs)
    # the question's two attributions ("Solidarités et santé", then "Personnes handicapées")
    rows = (runs / "monday.attributions.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3 and "Personnes handicapées" in rows[2]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
@pytest.mark.parametrize("table, target", [("out.attributions.csv", "out.csv"),
                                           ("out.attributions.csv", "out.defects.csv")])
def test_a_table_that_is_the_output_or_another_table_through_a_link_is_refused(
        tmp_path, capsys, table, target):
    # both were written into one file, and the file named replaced with the mixture
    (tmp_path / "out.csv").write_text("PRECIOUS\n")
    (tmp_path / table).symlink_to(tmp_path / target)
    assert cli.main(["convert", str(ANSWERED), "-o", str(tmp_path / "out.csv"), "--tables",
                     "-j", "1", "-q"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "the same file as" in line and "through a link" in line
    assert (tmp_path / "out.csv").read_text() == "PRECIOUS\n"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
@pytest.mark.parametrize("linked_to", ["input", "output"])
def test_an_errors_file_that_is_an_input_or_the_output_by_a_hard_link_is_refused(
        tmp_path, capsys, linked_to):
    # the errors file is written in place: a hard link to an input truncated the input (to
    # the errors of the run that read it), one to a SQLite output overwrote the database
    source = tmp_path / "in.txt"
    source.write_bytes(PENDING.read_bytes())
    db = tmp_path / "db.sqlite"
    assert cli.main(["convert", str(source), "-o", str(db), "-j", "1", "-q"]) == 0
    before = {p.name: p.read_bytes() for p in (source, db)}
    errors = tmp_path / "errors.jsonl"
    os.link(source if linked_to == "input" else db, errors)
    capsys.readouterr()
    assert cli.main(["convert", str(source), "-o", str(db), "--errors", str(errors),
                     "-j", "1", "-q"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert str(errors) in line and ("one of the inputs" in line or "cannot be the output" in line)
    assert {p.name: p.read_bytes() for p in (source, db)} == before


def test_an_errors_file_that_is_the_output_s_file_in_progress_is_refused(tmp_path, capsys):
    # "-o out.jsonl --errors out.jsonl.part": the errors went to the file the output is
    # written to before it is put in place, and were lost
    out = tmp_path / "out.jsonl"
    assert cli.main(["convert", str(PENDING), "-o", str(out), "--errors",
                     f"{out}.part", "-j", "1", "-q"]) == 2
    assert "cannot be the output" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_dangling_link_gets_its_file_written_or_is_refused_when_its_folder_is_missing(
        tmp_path, capsys):
    # as the shell's ">" does: the file the link names is created, the link kept
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "new.jsonl")
    assert cli.main(["convert", str(PENDING), "-o", str(link), "-j", "1", "-q"]) == 0
    assert os.path.islink(link)
    [record] = (tmp_path / "new.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(record)["uid"] == "QANR5L14QE98712"
    # ... its folder missing: refused in one line naming the link and where it points
    lost = tmp_path / "lost.jsonl"
    lost.symlink_to(tmp_path / "nowhere" / "new.jsonl")
    capsys.readouterr()
    assert cli.main(["convert", str(PENDING), "-o", str(lost), "-j", "1", "-q"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"aqparse: {lost}: no such directory {tmp_path / 'nowhere'}")
    assert "symbolic link" in line
    assert os.path.islink(lost) and not os.path.exists(tmp_path / "nowhere")


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(os, "symlink"),
                    reason="no FIFOs or links here")
@pytest.mark.parametrize("option", ["-o", "--errors"])
def test_a_link_to_a_fifo_is_refused_as_the_fifo_is(tmp_path, capsys, option):
    # (writing through a link must not write into a device or a FIFO)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.jsonl"
    link.symlink_to(fifo)
    other = ["--errors", str(tmp_path / "errors.jsonl")] if option == "-o" else \
        ["-o", str(tmp_path / "out.jsonl")]
    assert cli.main(["convert", str(PENDING), option, str(link), *other, "-j", "1", "-q"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert os.path.islink(link) and stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_errors_file_through_a_link(tmp_path, capsys):
    # a link to the output, as the errors file, is the output: refused as the output's own
    # name is (the errors were written into the output's file, then replaced by it)
    out = tmp_path / "out.jsonl"
    link = tmp_path / "errors.jsonl"
    link.symlink_to(out)
    assert cli.main(["convert", str(PENDING), "-o", str(out), "--errors", str(link),
                     "-j", "1", "-q"]) == 2
    assert "the errors file cannot be the output" in capsys.readouterr().err
    # a link whose folder is missing: the same one line as for an output
    lost = tmp_path / "lost.jsonl"
    lost.symlink_to(tmp_path / "nowhere" / "errors.jsonl")
    assert cli.main(["convert", str(PENDING), "-o", str(out), "--errors", str(lost),
                     "-j", "1", "-q"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"aqparse: {lost}: no such directory") and "symbolic link" in line


def test_errors_file_that_is_a_table_of_the_csv_output_is_refused(tmp_path, capsys):
    # --tables writes out.attributions.csv beside out.csv: an errors file of that name was
    # written, then replaced by the table (the errors of the run lost without a word)
    out = tmp_path / "out.csv"
    bad = tmp_path / "bad.txt"
    bad.write_text("garbage\n", encoding="utf-8")
    errors = tmp_path / "out.attributions.csv"
    assert cli.main(["convert", str(PENDING), str(bad), "-o", str(out), "--tables",
                     "--errors", str(errors), "-j", "1", "-q"]) == 2
    assert "the errors file cannot be the output" in capsys.readouterr().err
    assert not out.exists() and not errors.exists()
    # without --tables it is a file of its own: the errors go there
    assert cli.main(["convert", str(PENDING), str(bad), "-o", str(out), "--errors",
                     str(errors), "-j", "1", "-q"]) == 1
    assert json.loads(errors.read_text(encoding="utf-8").splitlines()[0])["path"] == str(bad)


@pytest.mark.parametrize("format, suffix", [(None, ".jsonl"), ("csv", ".csv")])
def test_output_dash_is_stdout_the_same_bytes_as_a_file(tmp_path, format, suffix):
    # "-o -" wrote a file named "-"; it is stdout (JSONL when --format says nothing), and
    # holds the same bytes as the file: the question met twice merged into one record
    inputs = [str(PENDING), str(ANSWERED), str(PENDING)]
    fmt = ["--format", format] if format else []
    out = tmp_path / f"out{suffix}"
    done = _run_cli("convert", *inputs, "-o", str(out), *fmt, "-j", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    piped = _run_cli("convert", *inputs, "-o", "-", *fmt, "-j", "2", cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == out.read_bytes()
    assert sorted(os.listdir(tmp_path)) == [out.name]         # no file named "-"
    assert b"2 question(s) written to <stdout>" in piped.stderr
    if format is None:
        uids = [json.loads(x)["uid"] for x in piped.stdout.decode("utf-8").splitlines()]
        assert uids == ["QANR5L15QE23817", "QANR5L14QE98712"]


@pytest.mark.parametrize("options, said", [
    (["--format", "sqlite"], "-o - (stdout) takes --format jsonl, csv, csv-excel, not sqlite"),
    (["--format", "parquet"], "-o - (stdout) takes --format jsonl, csv, csv-excel, not parquet"),
    (["--format", "csv", "--tables"], "--tables writes files beside the output")])
def test_output_dash_refuses_what_needs_a_file(tmp_path, options, said):
    done = _run_cli("convert", str(PENDING), "-o", "-", *options, cwd=tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.decode("utf-8").splitlines()
    assert line.startswith(f"aqparse: {said}")
    assert done.stdout == b"" and os.listdir(tmp_path) == []


def test_output_dash_with_stdout_closed_is_refused_before_any_work(tmp_path, monkeypatch):
    # `aqparse convert … -o - >&-`: Python's sys.stdout is None; the run read and converted
    # everything, then died on it with a traceback (AttributeError)
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(UsageError, match="no stdout"):
        convert([str(PENDING)], "-", jobs=1, quiet=True)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    convert([str(PENDING)], "-", jobs=1, quiet=True)
    assert [json.loads(x)["uid"] for x in out.getvalue().splitlines()] == ["QANR5L14QE98712"]


def _json_line(path):
    return json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)


OPENDATA = ROOT / "tests" / "data" / "opendata"


@pytest.mark.parametrize("copies", [1, 30])       # a file read whole, and one streamed
@pytest.mark.parametrize("bad", ["cut", "other JSON"])
def test_a_bad_line_of_open_data_ndjson_costs_that_line_alone(tmp_path, copies, bad):
    # the AN's open data, one question a line; line 2 cut short (a copy stopped midway), or a
    # line of JSON that is no question: the lines after it were lost (or it was dropped
    # without a word)
    good1 = _json_line(OPENDATA / "QANR5L16QE4242.json")
    line2 = {"cut": _json_line(OPENDATA / "QANR5L17QE9001.json")[:200],
             "other JSON": '{"note": "export of 2024-03-01"}'}[bad]
    good3 = _json_line(OPENDATA / "QANR5L17QE9100.json")
    path = tmp_path / "questions.ndjson"
    path.write_text(f"{good1}\n{line2}\n{good3}\n" * copies, encoding="utf-8")
    sizes = Sizes(split_above=65536, stream_batch=7)    # (streamed above 64 KiB)
    assert (copies > 1) == (path.stat().st_size > sizes.split_above)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    summary = convert([str(path)], str(out), jobs=1, quiet=True, errors=str(errors),
                      sizes=sizes)
    written = [json.loads(x)["uid"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert written == ["QANR5L16QE4242", "QANR5L17QE9100"]     # (a uid met again: merged)
    entries = [json.loads(e) for e in errors.read_text(encoding="utf-8").splitlines()]
    code = {"cut": "bad-json", "other JSON": "not-a-question"}[bad]
    assert [(e["position"], e["code"], e["raw"]) for e in entries] == [
        (2 + 3 * n, code, line2 + "\n") for n in range(copies)]
    assert summary.errors == copies and summary.failed == []


@pytest.mark.parametrize("copies", [1, 40])       # a file read whole, and one read in parts
@pytest.mark.parametrize("first", ["tail", "not JSON"])
def test_aqparse_json_lines_with_a_bad_first_line_are_written(tmp_path, copies, first):
    # recognised by its first line, such a file was lost whole as "not a question": its
    # first line the end of a record (a copy made from the middle of a file: tail -c), or a
    # note written above the records
    good = tmp_path / "good.jsonl"
    convert([str(ROOT / "fixtures")], str(good), jobs=1, quiet=True)
    lines = good.read_text(encoding="utf-8").splitlines() * copies
    bad = lines[0][-150:] if first == "tail" else "exported by hand, 2024-03-01"
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([bad] + lines[1:]) + "\n", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    summary = convert([str(broken)], str(out), jobs=1, quiet=True, errors=str(errors))
    [entry] = [json.loads(e) for e in errors.read_text(encoding="utf-8").splitlines()]
    assert (entry["position"], entry["code"], entry["raw"]) == (1, "bad-record", bad + "\n")
    assert summary.errors == 1
    written = {json.loads(x)["uid"] for x in out.read_text(encoding="utf-8").splitlines()}
    assert written == {json.loads(x)["uid"] for x in lines[1:]}


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
@pytest.mark.parametrize("split_above", [None, 0])    # a file read whole, and one in parts
def test_json_records_nested_too_deeply_or_in_windows_1252_are_read(tmp_path, split_above,
                                                                     encoding):
    # aqparse's records saved in windows-1252 were each a bad-record error (not UTF-8); a line
    # nested deeper than json decodes stopped the whole run with a RecursionError traceback
    def line(name):
        with open(ROOT / "fixtures" / name, encoding="utf-8") as f:
            return json.dumps(json.load(f), ensure_ascii=False)

    rec1, rec3 = line("qe-pending.json"), line("iso-dates.json")   # QE 98712 (14th), 2231 (15th)
    path = tmp_path / "records.jsonl"
    path.write_bytes(f"{rec1}\n{'[' * 100000}{']' * 100000}\n{rec3}\n".encode(encoding))
    sizes = Sizes() if split_above is None else Sizes(split_above=split_above)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    summary = convert([str(path)], str(out), jobs=1, quiet=True, errors=str(errors), sizes=sizes)
    written = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["uid"] for r in written] == [json.loads(rec1)["uid"], json.loads(rec3)["uid"]]
    assert written[0]["author"] == json.loads(rec1)["author"]
    [error] = [json.loads(e) for e in errors.read_text(encoding="utf-8").splitlines()]
    assert (error["position"], error["code"]) == (2, "bad-record")
    assert summary.errors == 1


@pytest.mark.parametrize("how", ["a link to it", "its own name", "the errors file"])
def test_an_input_named_as_the_output_is_refused_and_kept(tmp_path, how):
    # `-o out.jsonl` a link to the input (written through since links are followed) replaced
    # the question's text with its JSON; naming the input itself as -o or --errors did too
    text = (ROOT / "fixtures" / "qe-pending.txt").read_bytes()
    given = tmp_path / "d.txt"
    given.write_bytes(text)
    out = tmp_path / "out.jsonl"
    if how == "a link to it":
        out.symlink_to(given)
    args = ["-o", str(given), "--format", "jsonl"] if how == "its own name" else ["-o", str(out)]
    if how == "the errors file":
        args += ["--errors", str(given)]
    done = _run_cli("convert", str(given), *args, "-q")
    assert done.returncode == 2
    assert b"is one of the inputs" in done.stderr and len(done.stderr.splitlines()) == 1
    assert given.read_bytes() == text and text.startswith("14ème législature".encode())


def test_an_input_a_glob_matches_named_as_the_output_through_a_link_is_refused(tmp_path):
    # the check looked at the arguments that name a file: a glob's matches were read and a
    # link among them, named as -o, was written through over the input it points to
    text = (ROOT / "fixtures" / "qe-pending.txt").read_bytes()
    given = tmp_path / "d.txt"
    given.write_bytes(text)
    out = tmp_path / "out.jsonl"
    out.symlink_to(given)
    done = _run_cli("convert", str(tmp_path / "*.txt"), "-o", str(out), "-q")
    assert done.returncode == 2
    assert b"is one of the inputs" in done.stderr and len(done.stderr.splitlines()) == 1
    assert given.read_bytes() == text and "Question N° 98712".encode() in text


@pytest.mark.parametrize("output", ["keep.jsonl", "keep.csv", "-"])
def test_a_run_that_finds_nothing_leaves_the_output_as_it_was(tmp_path, output):
    # it said "nothing was written to keep.jsonl", and had emptied it
    (tmp_path / "empty").mkdir()
    kept = tmp_path / output
    if output != "-":
        kept.write_text("the dataset of an earlier run\n", encoding="utf-8")
    done = _run_cli("convert", str(tmp_path / "empty"), "-o",
                    str(kept) if output != "-" else "-", "-q")
    assert done.returncode == 1
    assert done.stderr.strip().endswith(b"nothing was written to " + (
        str(kept).encode() if output != "-" else b"<stdout>"))
    if output == "-":
        assert done.stdout == b""
    else:
        assert kept.read_text(encoding="utf-8") == "the dataset of an earlier run\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", output]


def test_errors_dash_is_stdout_unless_the_output_or_the_figures_are_there(tmp_path):
    # `--errors -` wrote a file named "-"; `-` is stdout, as for -o
    bad = tmp_path / "bad.txt"
    bad.write_text("hello, no question here\n", encoding="utf-8")
    out = tmp_path / "q.jsonl"
    done = _run_cli("convert", str(ROOT / "fixtures" / "qe-pending.txt"), str(bad), "-o",
                    str(out), "--errors", "-", "-q", cwd=tmp_path)
    assert done.returncode == 1
    [entry] = [json.loads(line) for line in done.stdout.splitlines()]
    assert (entry["path"], entry["code"]) == (str(bad), "not-a-question")
    assert entry["raw"].startswith("hello, no question here")
    assert [json.loads(x)["uid"] for x in out.read_text(encoding="utf-8").splitlines()] == [
        "QANR5L14QE98712"]
    assert not (tmp_path / "-").exists()
    # refused where stdout holds something else: the records (-o -), stats' figures
    for command in (["convert", str(bad), "-o", "-"], ["stats", str(bad)]):
        done = _run_cli(*command, "--errors", "-", "-q", cwd=tmp_path)
        assert done.returncode == 2 and done.stdout == b""
        assert done.stderr.startswith(b"aqparse: --errors -: stdout holds the")
    assert not (tmp_path / "-").exists()


def test_errors_dash_is_utf_8_whatever_stdout_s_encoding(tmp_path):
    # `--errors -` wrote its entries through sys.stdout's encoding: on an ASCII (or cp1252)
    # stdout an accent of a refused question's raw text stopped the run with a traceback
    out = tmp_path / "q.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "aqparse.cli", "convert",
         str(ROOT / "fixtures" / "attribution-change-bad-date.txt"), "-o", str(out), "--strict",
         "--errors", "-", "-q"], cwd=tmp_path, capture_output=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="ascii"))
    assert done.returncode == 1, done.stderr
    [entry] = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert (entry["uid"], entry["code"]) == ("QANR5L14QE48210", "bad-date")
    assert "é" in entry["raw"]
    assert out.read_text(encoding="utf-8") == ""


def test_questions_all_refused_under_strict_are_this_run_s_empty_dataset(tmp_path):
    # found and refused (--strict): the output is this run's, empty; only a run that finds no
    # question at all leaves the output as it was (it kept the earlier run's records, while
    # the summary said "0 question(s) written to" it)
    out = tmp_path / "q.jsonl"
    out.write_text("the dataset of an earlier run\n", encoding="utf-8")
    # bad-date-31-02.txt: "Question publiée au JO le : 31/02/2014", a date that does not exist
    done = _run_cli("convert", str(ROOT / "fixtures" / "bad-date-31-02.txt"), "-o", str(out),
                    "--strict", "-q")
    assert done.returncode == 1
    assert out.read_text(encoding="utf-8") == ""
