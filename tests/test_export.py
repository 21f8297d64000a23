"""Every output format written, read back and compared with the records; the upsert rule."""

import datetime as dt
import json
import sqlite3

import pytest

import aqparse
from aqparse.convert import convert
from aqparse.export import (COLUMN_NAMES, TABLES, WRITERS, Unwritable, latest_date, read_csv,
                            read_sqlite, record_from_flat, state_of, supersedes, table_path)
from aqparse.records import Question, Withdrawal

import dumps


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A folder: generated dump (varied), the hand-written question, a defective one."""
    folder = tmp_path_factory.mktemp("in")
    dumps.write_dump(folder / "a_dump.txt", 120, seed=7, words=20)
    (folder / "b_known.txt").write_text(dumps.KNOWN, encoding="utf-8")
    (folder / "c_defective.txt").write_text(dumps.DEFECTIVE, encoding="utf-8")
    records = list(aqparse.read(folder))
    assert len(records) == 122
    return folder, records


def _by_uid(records):
    return {q.uid: q for q in records}


def _dicts(records):
    return sorted((q.to_dict() for q in records), key=lambda d: d["uid"])


def test_jsonl_is_the_json_form_in_input_order(corpus, tmp_path):
    folder, records = corpus
    out = tmp_path / "q.jsonl"
    summary = convert([folder], out, jobs=1, quiet=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [q.to_dict() for q in records]
    assert [Question.from_dict(json.loads(line)) for line in lines] == records
    assert summary.questions == 122 and summary.with_defects == 1 and summary.exit_status == 0


def test_csv_columns_and_list_joining(corpus, tmp_path):
    folder, records = corpus
    out = tmp_path / "q.csv"
    convert([folder], out, jobs=1, quiet=True, tables=True)
    import csv

    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0].keys()) == COLUMN_NAMES
    known = next(r for r in rows if r["uid"] == "QANR5L15QE4321")
    # read from dumps.KNOWN
    assert known["legislature"] == "15" and known["kind"] == "QE" and known["number"] == "4321"
    assert known["author_name"] == "Claire Martin" and known["author_constituency"] == "Gironde"
    assert known["ministry_asked"] == "Transition écologique"
    assert known["ministry_assigned"] == "Logement"
    assert known["attributions_date"] == "2019-03-12 | 2019-07-16"
    assert known["attributions_ministry"] == "Transition écologique | Logement"
    assert known["signalements_date"] == "2019-07-02"
    assert known["renewals_date"] == ""
    assert known["question_date"] == "2019-03-12" and known["question_page"] == "2301"
    assert known["answer_date"] == "2020-01-21" and known["answer_page"] == "512"
    assert known["question_text"] == ("Mme Claire Martin attire l'attention de Mme la ministre sur "
                                      "la rénovation thermique.\n\nElle souhaite connaître le "
                                      "calendrier des aides.")
    assert known["status"] == "answered" and known["extra"] == "" and known["withdrawal_date"] == ""
    bad = next(r for r in rows if r["uid"] == "QANR5L16QE777")
    assert bad["defects_code"] == "unknown-label | bad-date"
    assert json.loads(bad["extra"])["Humeur"] == "inquiète"
    assert bad["question_date"] == "" and bad["question_page"] == "1200"

    # read back, typed, into records: the same records
    back = [record_from_flat(r) for r in read_csv(str(out))]
    assert _dicts(back) == _dicts(records)

    # the tables
    attributions = list(read_csv(table_path(str(out), "attributions")))
    mine = [a for a in attributions if a["uid"] == "QANR5L15QE4321"]
    assert [(a["position"], a["ministry"], a["date"]) for a in mine] == [
        (1, "Transition écologique", dt.date(2019, 3, 12)), (2, "Logement", dt.date(2019, 7, 16))]
    assert len(attributions) == sum(len(q.attributions) for q in records)
    for name in TABLES:
        rows = list(read_csv(table_path(str(out), name)))
        assert len(rows) == sum(len(getattr(q, name)) for q in records), name
    defects = list(read_csv(table_path(str(out), "defects")))
    assert [(d["uid"], d["code"], d["line"]) for d in defects] == [
        ("QANR5L16QE777", "unknown-label", 11), ("QANR5L16QE777", "bad-date", 12)]


def test_parquet_typed_columns(corpus, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    folder, records = corpus
    out = tmp_path / "q.parquet"
    convert([folder], out, jobs=1, quiet=True)
    table = pq.read_table(out)
    assert table.schema.field("question_date").type == pa.date32()
    assert table.schema.field("legislature").type == pa.int64()
    assert table.schema.field("attributions_date").type == pa.list_(pa.date32())
    assert table.schema.field("analyses").type == pa.list_(pa.string())
    rows = table.to_pylist()
    known = next(r for r in rows if r["uid"] == "QANR5L15QE4321")
    assert known["answer_date"] == dt.date(2020, 1, 21)
    assert known["attributions_date"] == [dt.date(2019, 3, 12), dt.date(2019, 7, 16)]
    for row in rows:
        row["extra"] = json.loads(row["extra"]) if row["extra"] else {}
    assert [record_from_flat(r) for r in rows] == records


def test_sqlite_tables_indexes_and_read_back(corpus, tmp_path):
    folder, records = corpus
    out = tmp_path / "q.sqlite"
    convert([folder], out, jobs=1, quiet=True)
    assert _dicts(read_sqlite(str(out))) == _dicts(records)
    db = sqlite3.connect(out)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"questions", "attributions", "renewals", "signalements", "errata", "defects"} <= tables
    indexed = {r[0] for r in db.execute(
        "SELECT il.name FROM sqlite_master m, pragma_index_list(m.name) l, "
        "pragma_index_info(l.name) il WHERE m.name = 'questions'")}
    assert {"legislature", "kind", "question_date", "author_name"} <= indexed
    row = db.execute("SELECT ministry_assigned, question_date, answer_date, "
                     "julianday(answer_date) - julianday(question_date) FROM questions "
                     "WHERE uid = 'QANR5L15QE4321'").fetchone()
    assert row == ("Logement", "2019-03-12", "2020-01-21", 315.0)
    assert db.execute("SELECT code, line FROM defects WHERE uid = 'QANR5L16QE777' "
                      "ORDER BY position").fetchall() == [("unknown-label", 11), ("bad-date", 12)]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_to_dataframe(corpus):
    pd = pytest.importorskip("pandas")
    _, records = corpus
    frame = aqparse.to_dataframe(records)
    assert list(frame.columns) == list(COLUMN_NAMES) and len(frame) == 122
    assert str(frame["question_date"].dtype).startswith("datetime64")
    assert str(frame["legislature"].dtype) == "Int64"
    known = frame[frame["uid"] == "QANR5L15QE4321"].iloc[0]
    assert known["answer_date"] == pd.Timestamp("2020-01-21")
    assert known["ministry_assigned"] == "Logement"
    # the JSON form works too
    assert aqparse.to_dataframe([records[0].to_dict()])["uid"][0] == records[0].uid


def test_every_field_of_the_record_has_a_column():
    import attrs

    for field in attrs.fields(Question):
        assert any(c == field.name or c.startswith(field.name + "_") for c in COLUMN_NAMES), field.name


# -- the "newer state" rule ------------------------------------------------------------------------

KNOWN = aqparse.parse(dumps.KNOWN)
PENDING = KNOWN.evolve(answer=None, status="pending")


def test_latest_date_takes_every_date():
    assert latest_date(KNOWN) == dt.date(2020, 1, 21)               # the answer
    assert latest_date(PENDING) == dt.date(2019, 7, 16)             # the attribution change


def test_rule_answered_never_downgraded_by_a_later_pending():
    later_pending = PENDING.evolve(renewals=[aqparse.Renewal(dt.date(2021, 1, 1))])
    assert not supersedes(state_of(later_pending), state_of(KNOWN))
    assert supersedes(state_of(KNOWN), state_of(later_pending))


def test_rule_withdrawn_and_dates():
    withdrawn = PENDING.evolve(withdrawal=Withdrawal(dt.date(2019, 9, 1), "fin de mandat"),
                               status="withdrawn")
    assert supersedes(state_of(withdrawn), state_of(PENDING))
    assert not supersedes(state_of(PENDING), state_of(withdrawn))
    assert supersedes(state_of(KNOWN), state_of(withdrawn))          # an answer is kept
    renewed = PENDING.evolve(renewals=[aqparse.Renewal(dt.date(2020, 3, 1))])
    assert supersedes(state_of(renewed), state_of(PENDING))
    assert not supersedes(state_of(PENDING), state_of(renewed))
    assert supersedes(state_of(PENDING), state_of(PENDING))          # tie: the newer input


def test_sqlite_upsert(tmp_path):
    db = tmp_path / "q.sqlite"
    answered = tmp_path / "answered.txt"
    answered.write_text(dumps.KNOWN, encoding="utf-8")
    pending_text = aqparse.render(PENDING.evolve(renewals=[aqparse.Renewal(dt.date(2021, 1, 1))]))
    older = tmp_path / "pending.txt"
    older.write_text(pending_text, encoding="utf-8")

    convert([older], db, jobs=1, quiet=True)
    [q] = read_sqlite(str(db))
    assert q.status == "pending" and [r.date for r in q.renewals] == [dt.date(2021, 1, 1)]

    # the answer arrives: merged with what the database holds, field by field
    summary = convert([answered], db, jobs=1, quiet=True)
    assert summary.merged_with_output == 1
    [q] = read_sqlite(str(db))
    assert q.status == "answered" and q.answer.page == 512
    # the renewal only the older dump gives is kept: merging loses nothing
    assert [r.date for r in q.renewals] == [dt.date(2021, 1, 1)]
    assert {s.path for s in q.sources} == {str(older), str(answered)}
    assert [len(dumps.db_tables(db)[t]) for t in ("renewals", "aqparse_inputs")] == [1, 2]

    before = dumps.db_tables(db)
    convert([older], db, jobs=1, quiet=True)     # an input read again replaces its earlier read
    assert dumps.db_tables(db) == before
    convert([answered], db, jobs=1, quiet=True)
    assert dumps.db_tables(db) == before

    # both in one run, in either order: the same question as from the two runs
    for name, inputs in (("ab", [answered, older]), ("ba", [older, answered])):
        summary = convert(inputs, tmp_path / f"{name}.sqlite", jobs=1, quiet=True)
        assert (summary.questions, summary.merged, summary.conflicts) == (1, 1, 0)
        assert list(read_sqlite(str(tmp_path / f"{name}.sqlite"))) == [q]


def test_duplicates_in_one_run_merged_like_the_upsert(tmp_path):
    # pending first, answered later in the run; then answered first, pending later
    pending = aqparse.render(PENDING)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "1.txt").write_text(pending, encoding="utf-8")
    (tmp_path / "in" / "2.txt").write_text(dumps.KNOWN, encoding="utf-8")
    (tmp_path / "in" / "3.txt").write_text(pending, encoding="utf-8")
    (tmp_path / "in" / "4.txt").write_text(dumps.DEFECTIVE, encoding="utf-8")
    for fmt in ("jsonl", "csv", "sqlite", "parquet"):
        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        out = tmp_path / f"out.{fmt}"
        summary = convert([tmp_path / "in"], out, jobs=1, quiet=True)
        assert summary.duplicates == 2 and summary.questions == 2, fmt
        assert {k: v for k, v in summary.by_status.items() if v} == {"answered": 1, "pending": 1}
        assert summary.exit_status == 0
    # the merged question is written after the others; its source is the answered one's, and
    # its sources the inputs of what was merged: 1.txt and 3.txt hold the same pending copy,
    # which counts once (the later path stands for both)
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["uid"], r["status"], r["source"]["path"].rsplit("/", 1)[-1]) for r in lines] == [
        ("QANR5L16QE777", "pending", "4.txt"), ("QANR5L15QE4321", "answered", "2.txt")]
    assert sorted(s["path"].rsplit("/", 1)[-1] for s in lines[1]["sources"]) == [
        "2.txt", "3.txt"]
    merged = aqparse.Question.from_dict(lines[1])
    rows = list(read_csv(str(tmp_path / "out.csv")))
    assert [(r["uid"], r["status"]) for r in rows] == [("QANR5L16QE777", "pending"),
                                                       ("QANR5L15QE4321", "answered")]
    assert record_from_flat(rows[1]) == merged
    assert [q.status for q in read_sqlite(str(tmp_path / "out.sqlite"))] == ["answered", "pending"]
    assert list(read_sqlite(str(tmp_path / "out.sqlite")))[0] == merged
    if (tmp_path / "out.parquet").exists():
        import pyarrow.parquet as pq

        assert pq.read_table(tmp_path / "out.parquet").column("uid").to_pylist() == [
            "QANR5L16QE777", "QANR5L15QE4321"]


def test_the_real_text_dump_into_sqlite(tmp_path):
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    if not (corpus / "text").is_dir():
        pytest.skip("the shared corpus is not beside this checkout")
    out = tmp_path / "q.sqlite"
    summary = convert([corpus / "text"], out, jobs=1, quiet=True)
    assert summary.questions == 1 and summary.exit_status == 0
    db = sqlite3.connect(out)
    # read from corpus/text/14-60104QE.txt
    assert db.execute("SELECT uid, author_name, ministry_asked, ministry_assigned, question_date, "
                      "question_page, answer_date, answer_page, status FROM questions").fetchall() == [
        ("QANR5L14QE60104", "Valérie Lacroute", "Économie, redressement productif et numérique",
         "Numérique", "2014-07-08", 5747, "2014-12-09", 10362, "answered")]
    assert db.execute("SELECT position, ministry, date FROM attributions ORDER BY position").fetchall() == [
        (1, "Économie, redressement productif et numérique", "2014-07-08"),
        (2, "Numérique", "2014-08-27")]
    assert json.loads(db.execute("SELECT analyses FROM questions").fetchone()[0]) == [
        "transition numérique", "conseillers", "modalités"]


def test_parquet_and_pandas_say_which_extra_is_missing(tmp_path, monkeypatch):
    import sys

    from aqparse.convert import UsageError

    (tmp_path / "q.txt").write_text(dumps.KNOWN, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pyarrow", None)     # as if pyarrow were not installed
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(UsageError, match=r"aqparse\[parquet\]"):
        convert([tmp_path / "q.txt"], tmp_path / "q.parquet", jobs=1)
    assert not (tmp_path / "q.parquet").exists() and not (tmp_path / "q.parquet.part").exists()
    with pytest.raises(ImportError, match=r"aqparse\[pandas\]"):
        aqparse.to_dataframe([KNOWN])


# -- a record a format cannot hold costs only itself -------------------------------------------

# (what is put into the second record, where, whether JSONL / CSV can still hold it)
UNWRITABLE = {
    # a 25-digit question number: text formats hold it, SQLite INTEGER and int64 do not
    "25-digit number": ("number", 1234567890123456789012345, True),
}


def _stored_uids(path, fmt):
    if fmt == "jsonl":
        return [json.loads(line)["uid"] for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "csv":
        return [row["uid"] for row in read_csv(str(path))]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).column("uid").to_pylist()
    return [q.uid for q in read_sqlite(str(path))]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "sqlite"])
@pytest.mark.parametrize("case", sorted(UNWRITABLE))
def test_a_value_a_format_cannot_hold_costs_only_its_record(tmp_path, fmt, case):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    field, value, text_formats_hold_it = UNWRITABLE[case]
    records = [q.to_dict() for q in dumps.records(3, seed=31, legislature=15)]
    records[1][field] = value
    # aqparse's own JSON lines, written by hand: the bad value is on the second line
    source = tmp_path / "in.jsonl"
    lines = [json.dumps(r) for r in records]
    source.write_text("\n".join(lines) + "\n", encoding="ascii")
    uids = [r["uid"] for r in records]
    out, errors = tmp_path / f"q.{fmt}", tmp_path / "errors.jsonl"
    summary = convert([source], out, jobs=2 if fmt == "sqlite" else 1, quiet=True, errors=errors)
    entries = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    if text_formats_hold_it and fmt in ("jsonl", "csv"):
        assert _stored_uids(out, fmt) == uids and entries == [] and summary.exit_status == 0
        return
    assert _stored_uids(out, fmt) == [uids[0], uids[2]]          # the others are all there
    assert summary.questions == 2 and summary.exit_status == 1
    [entry] = entries
    assert (entry["path"], entry["position"], entry["uid"]) == (str(source), 2, uids[1])
    assert entry["code"] == "unwritable-value" and field in entry["error"]
    assert entry["raw"] == lines[1] + "\n"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "sqlite"])
def test_a_lone_surrogate_is_mended_before_it_reaches_a_writer(tmp_path, fmt):
    # "\ud83d" (half an emoji, as open data may carry it) in a record read back: the reader
    # puts U+FFFD in its place and says so, so every format can store the record
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    records = [q.to_dict() for q in dumps.records(3, seed=31, legislature=15)]
    records[1]["rubrique"] = "abc \ud83d def"
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="ascii")
    out = tmp_path / f"q.{fmt}"
    summary = convert([source], out, jobs=1, quiet=True, errors=tmp_path / "errors.jsonl")
    assert summary.exit_status == 0
    assert sorted(_stored_uids(out, fmt)) == sorted(r["uid"] for r in records)
    [mended] = [q for q in aqparse.read(source) if q.uid == records[1]["uid"]]
    assert mended.rubrique == "abc \ufffd def"
    assert [d.code for d in mended.defects][-1:] == ["bad-value"]


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_writer_refuses_a_lone_surrogate_itself(writer):
    # the last line of defence, for a record built in code: encode refuses it (in the worker)
    if writer == "parquet":
        pytest.importorskip("pyarrow")
    q = next(iter(dumps.records(1, seed=5, legislature=15))).evolve(rubrique="abc \ud83d def")
    with pytest.raises(Unwritable) as info:
        WRITERS[writer].encode(q, None)
    assert "rubrique" in str(info.value) and "lone surrogate" in str(info.value)


@pytest.mark.parametrize("fmt", ["csv", "csv-excel"])
def test_a_cell_longer_than_the_csv_module_s_limit_is_written_and_read_back(tmp_path, fmt):
    # the csv module refuses a field over 128 KB by default: merging a duplicate (which reads
    # the CSV back) and reading the CSV as an input failed on a long answer
    from pathlib import Path
    text = (Path(__file__).resolve().parents[1] / "fixtures"
            / "qe-answered-attribution-change.txt").read_text(encoding="utf-8")
    long_answer = "Le ministre répond longuement." + " Le ministre répond longuement." * 5000
    longer = text[:text.index("Texte de la réponse")] + "Texte de la réponse\n" + long_answer
    source = tmp_path / "dump.txt"
    source.write_text(longer + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert convert([str(source)], str(out), format=fmt, quiet=True).failed == []
    [q] = aqparse.read(out)
    assert len(long_answer) > 131072 and q.answer.text == long_answer
    # the same question twice: the second is merged with the first, read back from the CSV
    source.write_text(text + "\n" + longer + "\n", encoding="utf-8")
    again = tmp_path / "again.csv"
    summary = convert([str(source)], str(again), format=fmt, quiet=True)
    assert (summary.failed, summary.duplicates) == ([], 1)
    assert [q.uid for q in aqparse.read(again)] == ["QANR5L15QE23817"]
