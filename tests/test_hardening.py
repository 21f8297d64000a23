"""Hardening (issue 11): no silent corruption from what tools put in a text.

Each test here failed before its fix; the values asserted are read from
``fixtures/qe-answered-attribution-change.txt`` by a person.
"""

import json

import attrs
import pytest

import aqparse

from pathlib import Path

from processes import process_tree

FIXTURE = (Path(__file__).resolve().parents[1] / "fixtures"
           / "qe-answered-attribution-change.txt").read_text(encoding="utf-8")


def _facts(q):
    return (q.uid, q.status, q.author.constituency, q.ministry_assigned.name,
            q.answer.date.isoformat() if q.answer else None)


# what fixtures/qe-answered-attribution-change.txt says
FACTS = ("QANR5L15QE23817", "answered", "Meurthe-et-Moselle", "Personnes handicapées",
         "2020-02-11")


@pytest.mark.parametrize("newline", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d",
                                     "\x1e", "\r", "\r\n"])
def test_every_line_break_of_splitlines_is_a_line_break(newline):
    q = aqparse.parse(FIXTURE.replace("\n", newline))
    assert _facts(q) == FACTS and q.defects == ()
    assert q == aqparse.parse(FIXTURE).evolve(source=q.source)
    assert (q.source.line, q.source.end_line) == (1, FIXTURE.rstrip("\n").count("\n") + 1)


@pytest.mark.parametrize("blank", ["\x0b", "\x0c", "\u2028"])
def test_a_blank_line_of_odd_breaks_keeps_the_answer_apart(blank):
    # only the blank lines are written with the odd character
    q = aqparse.parse(FIXTURE.replace("\n\n", "\n" + blank))
    assert _facts(q) == FACTS
    assert q.question.text == aqparse.parse(FIXTURE).question.text
    assert q.answer.text == aqparse.parse(FIXTURE).answer.text


def test_a_defect_s_line_counts_odd_breaks_as_lines():
    # "Date de changement d'attribution : 12/11/2019" is on line 15 of the fixture
    bad = FIXTURE.replace("12/11/2019", "31/02/2019")
    assert [(d.code, d.line) for d in aqparse.parse(bad).defects] == [("bad-date", 15)]
    assert [(d.code, d.line) for d in aqparse.parse(bad.replace("\n", "\u2028")).defects] == [
        ("bad-date", 15)]


# -- invisible characters: removed where they cannot be meant, kept in bodies ----------------------

@pytest.mark.parametrize("where,changed", [
    ("a BOM before a label", ("Rubrique >", "\ufeffRubrique >")),
    ("a right-to-left mark before a label", ("Titre >", "\u200fTitre >")),
    ("a left-to-right mark in a date", ("11/02/2020", "11/02/\u200e2020")),
    ("a soft hyphen inside a label", ("Ministère attributaire", "Minis\xadtère attributaire")),
    ("a zero-width space inside the number", ("23817", "238\u200b17")),
    ("a word joiner inside the author's line", ("de M. Julien Carrel", "de M. Julien\u2060 Carrel")),
])
def test_invisible_characters_do_not_change_a_value(where, changed):
    q = aqparse.parse(FIXTURE.replace(*changed))
    assert q == aqparse.parse(FIXTURE).evolve(source=q.source), where
    assert q.defects == ()
    # what the fixture says, read by a person
    assert (q.rubrique, q.title, q.number) == (
        "personnes handicapées", "Délais d'instruction des dossiers par les MDPH", 23817)


def test_invisible_characters_stay_in_a_body():
    q = aqparse.parse(FIXTURE.replace("Le délai moyen", "Le\u200b délai\xad moyen"))
    assert q.answer.text.startswith("Le\u200b délai\xad moyen de traitement")
    assert q.defects == ()


@pytest.mark.parametrize("blank", ["\xa0", " ", "\u202f"])
def test_a_number_grouped_by_thousands_is_read_and_said(blank):
    q = aqparse.parse(FIXTURE.replace("Question N° 23817", f"Question N° 23{blank}817"))
    assert (q.uid, q.number) == ("QANR5L15QE23817", 23817)
    assert [(d.code, d.line) for d in q.defects] == [("spaced-number", 3)]


# -- XML with a document type -----------------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data" / "opendata"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def _with_doctype(name, root, subset=""):
    xml = (DATA / name).read_text(encoding="utf-8")
    assert xml.startswith(_DECLARATION)
    return xml.replace(_DECLARATION, f"{_DECLARATION}\n<!DOCTYPE {root}{subset}>", 1)


@pytest.mark.parametrize("name,root", [("QANR5L17QE9001.xml", "question"),
                                       ("15-1234QE.xml", "QUESTION")])
def test_xml_with_a_doctype_is_read_as_xml(name, root):
    q = aqparse.parse(_with_doctype(name, root))
    assert q == aqparse.parse((DATA / name).read_bytes()).evolve(source=q.source)
    assert q.source.format in ("opendata-xml", "legacy-xml")


def test_an_internal_entity_is_read_as_its_text():
    xml = _with_doctype("QANR5L17QE9001.xml", "question",
                        ' [ <!ENTITY te "transition écologique"> ]')
    head, body = xml.split("]>", 1)
    q = aqparse.parse(head + "]>" + body.replace("transition écologique", "&te;"))
    # <minInt><abrege>Transition écologique</abrege>… and "ministre de la &te;" in the text
    assert q.ministry_asked.full_name == "Ministère de la transition écologique"
    assert "ministre de la transition écologique" in q.question.text
    assert q == aqparse.parse((DATA / "QANR5L17QE9001.xml").read_bytes()).evolve(source=q.source)


def test_an_external_entity_is_never_read():
    xml = _with_doctype("QANR5L17QE9001.xml", "question",
                        ' [ <!ENTITY te SYSTEM "file:///etc/hostname"> ]')
    head, body = xml.split("]>", 1)
    with pytest.raises(aqparse.ParseError) as caught:
        aqparse.parse(head + "]>" + body.replace("transition écologique", "&te;"), path="q.xml")
    assert caught.value.code == "bad-xml" and caught.value.path == "q.xml"
    assert "never read" in str(caught.value) and caught.value.line is not None


# -- what a folder holds besides questions ----------------------------------------------------------

import os
import subprocess
import sys
import threading

ROOT = Path(__file__).resolve().parents[1]


def _folder_with_a_fifo(tmp_path):
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "q.txt").write_text(FIXTURE, encoding="utf-8")
    (folder / "README.md").write_text("# my dumps\n", encoding="utf-8")
    os.mkfifo(folder / "pipe")
    return folder


def _run(*args, timeout=120):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_skipped_by_convert_stats_and_read(tmp_path):
    folder = _folder_with_a_fifo(tmp_path)
    out = tmp_path / "q.jsonl"
    done = _run("-m", "aqparse.cli", "convert", str(folder), "-o", str(out), "-j", "1")
    assert done.returncode == 0, done.stderr
    assert [json.loads(x)["uid"] for x in out.read_text(encoding="utf-8").splitlines()] == [
        "QANR5L15QE23817"]
    assert "skipped: 1 not a question file type (.md); " \
           "1 not a regular file (a FIFO, a socket or a device)" in done.stderr
    done = _run("-m", "aqparse.cli", "stats", str(folder), "-j", "1")
    assert done.returncode == 0 and "questions: 1" in done.stdout
    # the library: the README does not stop the reading, nor the FIFO block it
    script = ("import aqparse, sys; skipped = []; "
              f"uids = [q.uid for q in aqparse.read({str(folder)!r}, "
              "on_skip=lambda n, w: skipped.append(w))]; print(uids, sorted(skipped))")
    done = _run("-c", script)
    assert done.stdout.strip() == (
        "['QANR5L15QE23817'] ['not a question file type (.md)', "
        "'not a regular file (a FIFO, a socket or a device)']"), done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_explicitly_is_read_as_a_stream(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(FIXTURE, encoding="utf-8"),
                              daemon=True)
    writer.start()
    try:
        [q] = aqparse.read(fifo)
    finally:
        writer.join(timeout=30)
    assert q.uid == "QANR5L15QE23817"


# -- long lines, long questions, tiny questions: linear, bounded -------------------------------------

import io

from aqparse import text as text_reader
from aqparse.units import TextPart, units_of
from aqparse.inputs import Document

ONE_LINE = " ".join(FIXTURE.split()) + " "


def _doc(text, name="dump.txt"):
    data = text.encode("utf-8")
    return Document(name, lambda: io.BytesIO(data), None)      # size unknown: cut in units


def test_cutting_a_dump_on_one_line_reads_it_a_bounded_number_of_times(monkeypatch):
    scanned = []
    real = text_reader.for_matching
    monkeypatch.setattr(text_reader, "for_matching", lambda text: scanned.append(len(text)) or real(text))
    text = ONE_LINE * (6_000_000 // len(ONE_LINE))
    units = [u for u in units_of(_doc(text), True) if isinstance(u, TextPart)]
    assert "".join(u.text for u in units) == text and len(units) >= 4
    # the cutter looks near each cut, not again over the whole growing buffer
    assert sum(scanned) < 3 * len(text)


def test_a_question_longer_than_the_cap_is_cut_and_said(tmp_path):
    # no label anywhere: nothing to cut at, 3 MB on one line after a question
    text = FIXTURE + "lorem ipsum " * 250_000
    path = tmp_path / "dump.txt"
    path.write_text(text, encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    summary = aqparse.convert([str(path)], tmp_path / "q.jsonl", jobs=1, quiet=True,
                              errors=errors, max_question=100_000)
    entries = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert "question-too-long" in [e["code"] for e in entries]
    assert summary.questions == 1 and summary.exit_status == 1
    with pytest.raises(aqparse.UsageError):
        aqparse.convert([str(path)], tmp_path / "x.jsonl", max_question=10)


@pytest.mark.parametrize("head", ["Question N° 1", "QUESTION N° 1", "QuESTION N° 1",
                                  "Quéstion N° 1"])
def test_a_unit_of_tiny_questions_holds_a_bounded_number_of_them(head):
    # (the tokenizer reads each of these heads as a question: the odd case ones too)
    assert len(list(aqparse.parse_many(f"{head}2\n{head}3\n"))) == 2
    text = "".join(f"{head}{n}\n" for n in range(20_000))
    units = [u for u in units_of(_doc(text), True) if isinstance(u, TextPart)]
    assert "".join(u.text for u in units) == text
    assert max(u.text.count(head) for u in units) <= text_reader.UNIT_QUESTIONS + 1


@pytest.mark.parametrize("before", [0, 60_000, 65_530, 65_536 - 3999 * 15 - 3 - 1,
                                    65_536 - 3999 * 15 - 3 - 2])
@pytest.mark.parametrize("heads", [text_reader.UNIT_QUESTIONS, text_reader.UNIT_QUESTIONS + 1, 9000])
def test_a_unit_of_tiny_questions_ends_at_its_last_mention_allowed(before, heads):
    # lines of 15 characters, "stion" 3 characters into each: the 4,000th mention stands at
    # 3,999 lines and 3 characters after the text before them; with exactly 4,000 mentions
    # in the span, the unit keeps its size (the mentions are counted by blocks of 64 KB,
    # and these prefixes put the 4,000th, or the one after it, across a block's edge: the
    # 4,000th ending the first block, or starting 2 characters before its edge)
    assert len("Question N° 10\n") == 15
    text = "x" * before + "Question N° 10\n" * heads + "y" * 300_000
    want = text_reader.UNIT_CHARS if heads == text_reader.UNIT_QUESTIONS else before + 3999 * 15 + 3
    assert text_reader._target(text, text_reader.UNIT_CHARS) == want


@pytest.mark.parametrize("base", [0, 1, 65_535, 100_000])
def test_the_counts_kept_from_one_block_to_the_next_give_the_same_end(base):
    # text_units keeps the count of each whole block of 64 KB of the text (its offsets in the
    # whole text, the buffer starting at ``base``), and counts only what it has not: lines of
    # 15 characters, "stion" 3 characters into each, the 4,000th mention 3,999 lines and 3
    # characters in, whatever was counted before, as the buffer grows and loses its start
    line = "Question N° 10\n"
    text = "x" * 30_000 + line * 9000 + "y" * 300_000
    counts = {}
    for end in (70_000, 140_000, 200_000, len(text)):   # the buffer as it grows
        assert text_reader._target(text[:end], text_reader.UNIT_CHARS, base, counts) \
            == text_reader._target(text[:end], text_reader.UNIT_CHARS)
    assert counts and all(at % 65_536 == 0 for at in counts)
    assert text_reader._target(text, text_reader.UNIT_CHARS, base, counts) == 30_000 + 3999 * 15 + 3
    # the kept counts are read, not counted again: blocks said to hold none move the end on
    wrong = dict.fromkeys(counts, 0)
    assert text_reader._target(text, text_reader.UNIT_CHARS, base, wrong) > 30_000 + 3999 * 15 + 3
    cut = 30_000 + 2000 * 15     # a cut: the buffer loses its start, the counts after it hold
    kept = {at: n for at, n in counts.items() if at >= base + cut}
    assert text_reader._target(text[cut:], text_reader.UNIT_CHARS, base + cut, kept) == 3999 * 15 + 3


@pytest.mark.parametrize("gap", [0, 70_000, 140_000])
def test_the_last_mention_allowed_is_found_across_blocks_without_one(gap):
    # 4,000 mentions end the first block of 64 KB, blocks with none follow (a long answer),
    # then another: the 4,000th is the last of the first block's ("stion\n" 4,000 times: it
    # starts 6 × 3,999 characters in), however many blocks without one stand between
    text = "stion\n" * 4000 + "x" * (65_536 - 24_000) + "y" * gap + "stion\n" + "z" * 1_000_000
    assert text_reader._target(text, text_reader.UNIT_CHARS) == 6 * 3999
    # and a dump made so is read whole, streamed in parts too (it was an internal error)
    tiny = "".join(f"Question N° {10 + n % 90}\n" for n in range(3999))
    long = "Question N° 5000\nTexte " + "blabla " * 15_000 + "\n"
    rest = "".join(f"Question N° {n}\n" for n in range(6000, 6100))
    dump = tiny + long + rest
    units = [u for u in units_of(_doc(dump), True) if isinstance(u, TextPart)]
    assert "".join(u.text for u in units) == dump


def test_a_dump_of_ordinary_questions_is_cut_in_units_near_the_size_aimed_at():
    # the fixture mentions "question" 4 times in its 1,220 characters: a unit of it is bounded
    # by its size, not by its count of questions (units of a quarter of the size made the
    # parent of a parallel run spend its time confirming cuts)
    text = (FIXTURE + "\n") * 2500
    units = [u for u in units_of(_doc(text), True) if isinstance(u, TextPart)]
    assert "".join(u.text for u in units) == text
    assert len(units) == 3
    assert min(len(u.text) for u in units[:-1]) >= text_reader.UNIT_CHARS


def _footer_dump():
    """Generated questions joined by the site's footer line, one answer naming the
    "Assemblée nationale" (a sign of a page's text): as a whole, the text of pages."""
    import dumps
    questions = [aqparse.render(q) for q in dumps.records(40, seed=5)]
    assert sum(q.answer is not None for q in dumps.records(40, seed=5)) > 10
    questions[30] = questions[30].rstrip("\n") + " Adopté par l'Assemblée nationale.\n"
    return "\n© Tous droits réservés\n".join(questions)


def _assert_read_in_parts_as_whole(path, tmp_path, whole):
    """``convert`` (one job and two) cutting the file in small parts, and ``read``, give the
    records ``whole`` (their JSON form)."""
    from aqparse.units import Sizes
    small = Sizes(split_above=10_000, chunk_chars=5_000)
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        aqparse.convert([str(path)], out, jobs=jobs, quiet=True, sizes=small)
        assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == whole
    assert [q.to_dict() for q in aqparse.read(str(path))] == whole


def test_the_parts_of_a_dump_are_each_read_as_the_whole_is(tmp_path):
    # whether a text is a page's (its furniture looked for) was decided part by part: the
    # parts without the one sign read the footer line "© Tous droits réservés" into the
    # answer before it, and the records changed with the size of the parts
    path = tmp_path / "dump.txt"
    path.write_text(_footer_dump(), encoding="utf-8")
    whole = [q.to_dict() for q in aqparse.parse_many(path.read_bytes(), path=str(path))]
    assert len(whole) == 40
    # the footer is the site's, never an answer's or a question's
    assert not any("droits réservés" in ((q["answer"] or {}).get("text") or "")
                   + ((q["question"] or {}).get("text") or "") for q in whole)
    _assert_read_in_parts_as_whole(path, tmp_path, whole)
    from aqparse import inputs
    streamed = inputs.parse_document(inputs.Document(str(path), lambda: open(path, "rb"),
                                                     path.stat().st_size),
                                     stream_above=10_000, chunk=5_000)
    assert [q.to_dict() for q in streamed] == whole


def test_duplicates_merged_a_batch_at_a_time_give_the_same_output(tmp_path, monkeypatch):
    from aqparse.export import Writer

    dump = tmp_path / "dump.txt"
    dump.write_text((FIXTURE + "\n") * 5, encoding="utf-8")
    whole = aqparse.convert([str(dump)], tmp_path / "whole.jsonl", jobs=1, quiet=True)
    monkeypatch.setattr(Writer, "MERGE_BATCH", 2)
    parts = aqparse.convert([str(dump)], tmp_path / "parts.jsonl", jobs=1, quiet=True)
    assert (whole.questions, whole.merged) == (parts.questions, parts.merged) == (1, 1)
    assert (tmp_path / "whole.jsonl").read_bytes() == (tmp_path / "parts.jsonl").read_bytes()


# -- a bug is told apart from bad input -------------------------------------------------------------

def test_a_bug_is_an_internal_error_that_property_tests_fail_on(monkeypatch):
    import pickle

    from aqparse import text as text_reader

    def broken(*args, **kwargs):
        raise KeyError("oops")
    monkeypatch.setattr(text_reader, "extract", broken)
    with pytest.raises(aqparse.InternalError) as caught:
        aqparse.parse(FIXTURE, path="q.txt")
    error = caught.value
    assert isinstance(error, aqparse.ParseError)      # a batch still goes on past it
    assert (error.code, error.path, error.line) == ("internal-error", "q.txt", 1)
    again = pickle.loads(pickle.dumps(error))         # as a worker process sends it back
    assert type(again) is aqparse.InternalError and str(again) == str(error)
    # the property tests' check fails on it, where it once passed (it caught ParseError)
    from test_properties import _records_or_a_parse_error
    with pytest.raises(aqparse.InternalError):
        _records_or_a_parse_error(FIXTURE)


# -- records protect their own invariants ------------------------------------------------------------

def test_a_record_s_status_agrees_with_its_answer_and_withdrawal():
    q = aqparse.parse(FIXTURE)               # answered: "Réponse publiée au JO le : 11/02/2020"
    with pytest.raises(ValueError, match="status 'pending' does not agree"):
        q.evolve(status="pending")
    with pytest.raises(ValueError, match="does not agree"):
        q.evolve(answer=None)                # answered with no answer
    with pytest.raises(ValueError, match="does not agree"):
        q.evolve(status="withdrawn")         # withdrawn with no withdrawal
    assert q.evolve(answer=None, status="pending").status == "pending"
    # an answer published, the text not in the file (open data's 15-3307QG): answered
    closed = q.evolve(answer=None, closure=aqparse.Closure(code="REP_PUB"))
    assert closed.status == "answered"


def test_nested_fields_hold_records_of_their_type():
    q = aqparse.parse(FIXTURE)
    with pytest.raises(TypeError, match="'author' holds a Author record, not Ministry"):
        q.evolve(author=q.ministry_asked)
    with pytest.raises(TypeError, match="Publication"):
        q.evolve(answer={"date": "2020-02-11"})
    with pytest.raises(TypeError, match="Ministry"):
        aqparse.Attribution(ministry="Intérieur")


def test_extra_is_read_only_and_still_a_mapping():
    import pickle

    q = aqparse.parse(FIXTURE.replace("Rubrique >", "Couleur > bleue\nRubrique >"))
    assert q.extra == {"Couleur": "bleue"}
    with pytest.raises(TypeError, match="read-only"):
        q.extra["Couleur"] = "rouge"
    with pytest.raises(TypeError):
        q.extra.update(autre="x")
    assert q.to_dict()["extra"] == {"Couleur": "bleue"}
    assert json.dumps(q.extra) == '{"Couleur": "bleue"}'
    assert pickle.loads(pickle.dumps(q)) == q
    assert aqparse.Question.from_dict(q.to_dict()) == q
    assert q.evolve(extra={"a": "b"}).extra == {"a": "b"}


# -- one table of every code ------------------------------------------------------------------------

def test_every_code_the_package_uses_is_in_the_table_and_the_readme():
    import re

    from aqparse.errors import CODES

    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in (ROOT / "aqparse").glob("*.py") if p.name != "errors.py")
    used = set(re.findall(r'(?:defect|Defect)\(\s*"([a-z-]+)"', source))
    used |= set(re.findall(r'code="([a-z-]+)"', source))
    used |= {f"missing-{f}" for f in ("number", "kind", "legislature")}   # f"missing-{field}"
    table = {c.code for c in CODES}
    assert used - table == set(), "codes used but not in errors.CODES"
    # and no code in the table that the package never gives (f"bad-{what}": bad-json, bad-xml)
    literals = set(re.findall(r'"([a-z][a-z-]+)"', source)) | {"bad-json", "bad-xml"}
    literals |= {f"missing-{f}" for f in ("number", "kind", "legislature")}
    assert table - literals == set()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for c in CODES:
        assert f"| `{c.code}` |" in readme, c.code


# -- failures of the output are clean: one line naming it, exit status 2 ------------------------------

import sqlite3
import time


def _cli(*args):
    from aqparse.cli import main
    return main(list(args))


def test_a_locked_database_is_waited_for_then_said(tmp_path, capsys, monkeypatch):
    from aqparse.export import SqliteWriter

    db = tmp_path / "q.sqlite"
    assert _cli("convert", str(ROOT / "fixtures"), "-o", str(db), "-q", "-j", "1") == 0
    monkeypatch.setattr(SqliteWriter, "LOCK_TIMEOUT", 0.5)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")          # another program writing the database
    try:
        status = _cli("convert", str(ROOT / "fixtures"), "-o", str(db), "-q", "-j", "1")
    finally:
        holder.execute("COMMIT")
        holder.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert err == [f"aqparse: {db}: the database is locked by another program (waited 0.5 s); "
                   "what was committed before is kept"]


@pytest.mark.parametrize("jobs", ["1", "2"])     # 2: SQLite is written from a thread
def test_a_full_disk_under_sqlite_is_said(tmp_path, capsys, monkeypatch, jobs):
    from aqparse import export

    real = sqlite3.connect

    def small(*args, **kwargs):           # a database that may not grow: the disk is full
        db = real(*args, **kwargs)
        db.execute("PRAGMA max_page_count = 25")
        return db
    monkeypatch.setattr(export.sqlite3, "connect", small)
    db = tmp_path / "q.sqlite"
    status = _cli("convert", str(ROOT / "fixtures"), "-o", str(db), "-q", "-j", jobs)
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "Traceback" not in err[0]
    assert err[0] == (f"aqparse: {db}: the disk is full; what was committed before is kept")


def test_a_full_disk_under_jsonl_is_said(tmp_path, capsys, monkeypatch):
    import errno

    from aqparse.export import JsonlWriter

    def full(self, payload):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(JsonlWriter, "write", full)
    out = tmp_path / "q.jsonl"
    status = _cli("convert", str(ROOT / "fixtures"), "-o", str(out), "-q", "-j", "1")
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert err == [f"aqparse: {out}: cannot write: No space left on device"]
    assert not out.exists() and not (tmp_path / "q.jsonl.part").exists()


def test_an_unwritable_output_is_said_before_any_work(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        status = _cli("convert", str(ROOT / "fixtures"), "-o", str(folder / "q.sqlite"), "-q")
    finally:
        folder.chmod(0o700)
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and str(folder / "q.sqlite") in err[0]


def _signalled(proc, signum, timeout):
    """``proc`` (started in a session of its own) sent ``signum``: its exit status and its
    stderr; one that does not end is killed with what it started, then the failure."""
    import signal

    proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return proc.returncode, err


def _parallel_run(tmp_path, out, **popen):
    """``convert --jobs 2`` of a dump of about 24 MB into ``out``, started in a session of its
    own (so that what it leaves behind can be found and stopped)."""
    dump = tmp_path / "dump.txt"
    dump.write_text((FIXTURE + "\n") * 20_000, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "aqparse.cli", "convert", str(dump), "-o",
                             str(out), "-j", "2", "-q"], env=env, start_new_session=True,
                            **popen)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_stops_a_parallel_run_and_leaves_no_process_behind(tmp_path):
    import signal

    db = tmp_path / "q.sqlite"
    proc = _parallel_run(tmp_path, db, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            if sqlite3.connect(db).execute("SELECT count(*) FROM questions").fetchone()[0]:
                break
        except sqlite3.Error:
            pass
    assert proc.poll() is None, "the run ended before it could be stopped"
    status, err = _signalled(proc, signal.SIGTERM, 60)
    assert status == 143
    assert err.strip().splitlines()[-1] == f"aqparse: terminated; {db}: what was committed is kept"
    # the workers, the fork server and the resource tracker are gone with it
    time.sleep(1)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM questions").fetchone()[0] >= 1


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads /proc")
def test_a_parallel_run_killed_outright_leaves_no_process_behind(tmp_path):
    # SIGKILL gives the run no chance to stop its workers: they waited for work for ever (each
    # holds both ends of its queue), and kept the fork server and the resource tracker alive
    import signal

    proc = _parallel_run(tmp_path, tmp_path / "q.jsonl")
    deadline = time.monotonic() + 120
    helpers: list = []
    while time.monotonic() < deadline and proc.poll() is None and len(helpers) < 4:
        time.sleep(0.2)      # the resource tracker, the fork server and two workers
        helpers = process_tree(proc.pid)[1:]
    assert proc.poll() is None and len(helpers) >= 4, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in helpers):
        time.sleep(0.2)
    left = [p for p in helpers if os.path.exists(f"/proc/{p}")]
    for p in left:           # (nothing of a failed test left running)
        os.kill(p, signal.SIGKILL)
    assert left == []


# -- found by fuzzing (tests/fuzz.py) and by a review: each failed before ------------------------------

def test_a_control_character_beside_a_hidden_element_of_a_page():
    page = (ROOT / "tests" / "fixtures" / "html" / "table_qe_answered.html").read_bytes()
    for inserted in (b"<script>x</script>\x01 y", b"a\x01<script>x</script> y"):
        q = aqparse.parse(page.replace(b'<div class="contenutexte">Mme Claire',
                                       b'<div class="contenutexte">' + inserted + b" Mme Claire"))
        assert q.question.text.startswith("y Mme Claire Dumont attire")
        assert q.defects == ()


def test_an_old_page_s_hidden_code_answer_published_without_the_answer():
    text = (ROOT / "fixtures" / "copied-fiche-11-qe.txt").read_text(encoding="utf-8")
    text = text[:text.index("Texte de la REPONSE")].replace(
        "\tRéponse publiée au JO le :  22/09/1997  page :  3099\n", "")
    q = aqparse.parse(text + "\nCOM\n11\nREP_PUB\nIle-de-France\nO\n")
    # the codes say the answer was published (REP_PUB, O); the text holds none: said
    assert (q.status, q.answer, q.closure.code) == ("answered", None, "REP_PUB")
    assert [d.code for d in q.defects] == ["hidden-mismatch"]


def test_a_withdrawal_with_a_closing_parenthesis_alone():
    q = aqparse.parse(FIXTURE.replace("Date de changement",
                                      "Question retirée le : fin de mandat)\nDate de changement"))
    assert q.status == "withdrawn" and "bad-withdrawal" in {d.code for d in q.defects}
    assert "internal-error" not in {d.code for d in q.defects}


def test_records_at_one_place_merge_by_what_they_say_in_every_output(tmp_path):
    # two versions of one question on one line (both at line 1): merged, not replaced, the
    # answered one first whatever the order, in JSONL as in SQLite
    answered = " ".join(FIXTURE.split())
    pending = answered[:answered.index("Réponse publiée")] + answered[
        answered.index("Date de changement"):answered.index("Texte de la réponse")]
    pending = pending.replace("Rubrique > personnes handicapées", "Rubrique > santé")
    for name, text in (("ab", answered + " " + pending), ("ba", pending + " " + answered)):
        (tmp_path / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        for fmt in ("jsonl", "sqlite"):
            aqparse.convert([str(tmp_path / f"{name}.txt")], tmp_path / f"{name}.{fmt}",
                            jobs=1, quiet=True)
    from aqparse.export import read_sqlite
    got = [Path(tmp_path / f"{n}.jsonl").read_text(encoding="utf-8") for n in ("ab", "ba")]
    q = aqparse.Question.from_dict(json.loads(got[0]))
    assert (q.status, q.rubrique) == ("answered", "personnes handicapées")
    assert [d.code for d in q.defects] == ["source-conflict"]
    for n in ("ab", "ba"):
        [stored] = read_sqlite(str(tmp_path / f"{n}.sqlite"))
        assert (stored.status, stored.rubrique, [d.code for d in stored.defects]) == (
            "answered", "personnes handicapées", ["source-conflict"])


def test_merge_says_when_one_source_answered_and_another_withdrew():
    a = aqparse.parse(FIXTURE, path="A.txt")
    w = a.evolve(answer=None, withdrawal=aqparse.Withdrawal(reason="fin de mandat"),
                 status="withdrawn", source=aqparse.Source(format="text", path="W.txt"))
    for parts in ([a, w], [w, a]):
        [m] = aqparse.merge(parts)
        assert m.status == "answered"
        assert [d.message for d in m.defects] == [
            "status: 'answered' from text A.txt:1 (kept) and 'withdrawn' from text W.txt"]


def test_merge_of_records_from_one_place_never_depends_on_their_order():
    a = aqparse.parse(FIXTURE, path="dump.txt")
    b = a.evolve(rubrique="santé")
    assert aqparse.merge([a, b]) == aqparse.merge([b, a])


@pytest.mark.parametrize("shown", ["Wallis-et-Futuna", "Alsace-Moselle", "Île-de-France",
                                   "D.O.M.", "Francais de l'etranger"])
def test_a_rubrique_starting_with_a_proper_noun_keeps_its_capital(shown):
    from aqparse.agree import rubrique_form
    assert rubrique_form(shown) == shown


def test_a_minister_given_the_floor_is_never_the_author():
    from aqparse.names import author_from_debate
    assert author_from_debate("Mme la présidente. La parole est à Mme Élisabeth Borne, "
                              "Première ministre.\n") is None


def test_a_bom_between_the_files_of_a_dump_is_nobody_s():
    pending = (ROOT / "fixtures" / "qe-pending.txt").read_bytes()
    answered = FIXTURE.encode("utf-8")
    bom = b"\xef\xbb\xbf"
    with_boms = list(aqparse.parse_many(bom + pending + bom + answered))
    without = list(aqparse.parse_many(pending + answered))
    assert [q.evolve(source=w.source) for q, w in zip(with_boms, without)] == without
    assert [q.source.end_line for q in with_boms] == [w.source.end_line for w in without]


def test_notes_without_suffix_in_a_folder_are_skipped(tmp_path):
    (tmp_path / "README").write_text("my dumps\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("MIT\n", encoding="utf-8")
    (tmp_path / "q").write_text(FIXTURE, encoding="utf-8")       # a dump without suffix: read
    skipped = []
    assert [q.uid for q in aqparse.read(tmp_path, on_skip=lambda n, w: skipped.append(w))] == [
        "QANR5L15QE23817"]
    assert sorted(skipped) == ["notes, not a question file (LICENSE)",
                               "notes, not a question file (README)"]


def test_stats_merge_never_depends_on_the_order_of_the_inputs(tmp_path):
    from aqparse.stats import stats
    other = FIXTURE.replace("Ministère attributaire > Personnes handicapées",
                            "Ministère attributaire > Santé")
    (tmp_path / "a.txt").write_text(FIXTURE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(other, encoding="utf-8")
    one = stats([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], jobs=1)
    two = stats([str(tmp_path / "b.txt"), str(tmp_path / "a.txt")], jobs=1)
    assert one.by_ministry == two.by_ministry and one.questions == two.questions == 1


def test_a_zip_of_a_version_zipfile_does_not_know_is_an_io_error(tmp_path):
    # found by fuzzing: zipfile raised NotImplementedError ("zip file version 23.5")
    import zipfile

    path = tmp_path / "dump.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("q.txt", FIXTURE)
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6:central + 8] = (235).to_bytes(2, "little")   # version needed: 23.5
    path.write_bytes(bytes(data))
    errors = []
    assert list(aqparse.read(path, on_error=lambda name, error: errors.append(error))) == []
    assert [(e.code, e.path) for e in errors] == [("io-error", str(path))]
    summary = aqparse.convert([str(path)], tmp_path / "q.jsonl", jobs=1, quiet=True)
    assert summary.exit_status == 1 and summary.errors == 1


# -- one place for each decision --------------------------------------------------------------------

def test_every_rule_of_the_tokenizer_has_its_handler():
    from aqparse.extract import HANDLERS
    from aqparse.tokenize import RULES

    names = {rule.name for rule in RULES} | {"unknown", "unlabelled"}
    assert names - set(HANDLERS) == set()
    assert set(HANDLERS) - names == set(), "handlers no rule gives"


def test_the_strict_policy_lives_next_to_parse_error():
    from aqparse import errors

    q = aqparse.parse(FIXTURE.replace("12/11/2019", "31/02/2019"), path="q.txt")
    error = errors.defect_error(q, FIXTURE.replace("12/11/2019", "31/02/2019"))
    assert (error.code, error.path, error.line) == ("bad-date", "q.txt", 15)
    assert error.excerpt.startswith("Date de changement d'attribution: 31/02/2019")


def test_a_zip_member_without_a_name_is_passed_over(tmp_path):
    # found by fuzzing with atheris: zipfile's is_dir() failed with an IndexError on it
    import zipfile

    path = tmp_path / "dump.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("q.txt", FIXTURE)
        archive.writestr(zipfile.ZipInfo(""), b"nameless")
    errors = []
    uids = [q.uid for q in aqparse.read(path, on_error=lambda n, e: errors.append(e))]
    assert uids == ["QANR5L15QE23817"] and errors == []


# -- convert's work units: typed, each kind with its handler ----------------------------------------

def test_every_kind_of_work_unit_has_its_handler_and_travels_to_a_worker():
    import pickle
    import typing

    from aqparse import units, work

    kinds = set(typing.get_args(units.Unit))
    # a worker parses every kind but the two the parent keeps: a stream, a skipped input
    assert set(work.PARSERS) == set(work.RAW) == kinds - {units.Stream, units.Skip}
    unit = units.TextPart("dump.txt", "Question N° 1\n", 10, 3)
    assert pickle.loads(pickle.dumps(unit)) == unit
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        unit.line = 4


def test_the_sizes_of_a_run_are_its_parameters(tmp_path):
    from aqparse.units import Sizes

    dump = tmp_path / "dump.txt"
    dump.write_text((FIXTURE + "\n") * 40, encoding="utf-8")
    whole, cut = tmp_path / "whole.jsonl", tmp_path / "cut.jsonl"
    aqparse.convert([str(dump)], whole, jobs=1, quiet=True)
    # tiny units: one question or so in each, parsed apart, the same output
    small = Sizes(split_above=1000, chunk_chars=len(FIXTURE) // 2)
    aqparse.convert([str(dump)], cut, jobs=1, quiet=True, sizes=small)
    assert cut.read_bytes() == whole.read_bytes()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        small.chunk_chars = 1


@pytest.mark.parametrize("split_sign", [False, True])
def test_a_part_holding_an_invisible_character_is_read_as_the_whole_is(tmp_path, split_sign):
    # a text holding invisible characters (here a zero-width space in a question's text,
    # far from the one sign of a page) is read without them: that reading asked its own part
    # for a page's signs again, and the footer line went into the answer before it. The one
    # sign cut by a zero-width space: the whole read it as a page's (its reading without the
    # invisible characters asked again), its parts did not; a sign is now looked for as
    # written, by the whole and its parts alike: that one is none
    text = _footer_dump()
    if split_sign:
        assert text.count("Assemblée nationale") == 1
        text = text.replace("Assemblée nationale", "Assemblée nati\u200bonale")
    at = text.index("\n© Tous droits réservés\n")     # after the first question
    first = text.index(" ", text.index("Texte de la question\n\n") + 22)   # its 1st blank
    assert first < at
    text = text[:first] + "\u200b" + text[first:]
    path = tmp_path / "dump.txt"
    path.write_text(text, encoding="utf-8")
    whole = [q.to_dict() for q in aqparse.parse_many(path.read_bytes(), path=str(path))]
    assert len(whole) == 40
    # the footer is the site's (a page's text), or the last body's (plain questions)
    footers = ["droits réservés" in ((q["answer"] or {}).get("text") or "")
               + ((q["question"] or {}).get("text") or "") for q in whole]
    assert footers == [split_sign] * 39 + [False]
    assert "\u200b" in whole[0]["question"]["text"]
    _assert_read_in_parts_as_whole(path, tmp_path, whole)


def _large_footer_dump(sign_at, mojibake=False, questions=200):
    """A dump over 64 KB: generated questions joined by the site's footer line, one answer
    (the ``sign_at``-th question's) naming the "Assemblée nationale", in mojibake if asked."""
    import dumps
    texts = [aqparse.render(q) for q in dumps.records(questions, seed=5)]
    sign = "Adopté par l'Assemblée nationale."
    if mojibake:
        sign = sign.encode("utf-8").decode("cp1252")      # "AdoptÃ© par l'AssemblÃ©e…"
    if sign_at is not None:
        texts[sign_at] = texts[sign_at].rstrip("\n") + " " + sign + "\n"
    return "\n© Tous droits réservés\n".join(texts).encode("utf-8")


class _Unseekable(io.RawIOBase):
    """A pipe: read once, as it comes."""

    def __init__(self, data):
        self._data = io.BytesIO(data)

    def readinto(self, buffer):
        chunk = self._data.read(len(buffer))
        buffer[:len(chunk)] = chunk
        return len(chunk)

    def readable(self):
        return True


class _NoSeekable:
    """A file that seeks but has no ``seekable()`` (Python 3.10's SpooledTemporaryFile, a tar
    member's copy)."""

    def __init__(self, data):
        self._file = io.BytesIO(data)
        self.read, self.seek, self.tell = self._file.read, self._file.seek, self._file.tell

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


@pytest.mark.parametrize("sign_at, mojibake", [(199, False), (199, True), (0, True)])
def test_a_large_dump_read_as_a_stream_is_read_as_the_whole_is(sign_at, mojibake):
    # the only sign of a page stands in the last question, or is in mojibake (mended into one
    # when the whole is decoded): the look-ahead through a file finds it, and a pipe, which
    # cannot be looked through, finds it from where it stands on (the first question here)
    from aqparse import inputs
    data = _large_footer_dump(sign_at, mojibake)
    assert len(data) > 200_000
    whole = [q.to_dict() for q in aqparse.parse_many(data, path="dump.txt")]
    assert len(whole) == 200
    assert not any("droits réservés" in ((q["answer"] or {}).get("text") or "") for q in whole)
    openers = [lambda: io.BytesIO(data), lambda: _NoSeekable(data)]
    if sign_at == 0:
        openers.append(lambda: io.BufferedReader(_Unseekable(data)))
    for opener in openers:
        for block in (1 << 20, 777):
            doc = inputs.Document("dump.txt", opener, None)
            streamed = [q.to_dict() for q in inputs.parse_document(doc, stream_above=0,
                                                                   chunk=block)]
            assert streamed == whole


def test_a_member_that_cannot_be_read_through_gives_what_comes_before_its_fault(tmp_path):
    # a stored zip member with one byte changed: its CRC fails at its end. Looking it through
    # for a page's signs first (it shows none: read to its end) must not cost the records
    # before the fault
    import zipfile
    data = _large_footer_dump(None)
    archive = tmp_path / "dumps.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
        z.writestr("dump.txt", data)
    raw = bytearray(archive.read_bytes())
    at = raw.find(b"Jean", len(raw) * 3 // 4)
    raw[at] ^= 0x20                       # "Jean" -> "jean", late in the member
    archive.write_bytes(bytes(raw))
    errors = tmp_path / "errors.jsonl"
    from aqparse.units import Sizes
    summary = aqparse.convert([str(archive)], tmp_path / "q.jsonl", jobs=1, quiet=True,
                              errors=errors, sizes=Sizes(split_above=10_000, chunk_chars=20_000,
                                                                   read_block=4096))
    entries = [json.loads(x) for x in errors.read_text(encoding="utf-8").splitlines()]
    assert [e["code"] for e in entries] == ["io-error"] and "CRC" in entries[0]["error"]
    assert 150 <= summary.questions < 200


def test_the_cutter_reads_a_text_as_a_page_s_from_the_first_sign_met_on(monkeypatch):
    # text_units tells find_cut whether the text is a page's, kept up to date block by block
    # without reading the buffer again: read as it comes (nothing known ahead), from the
    # first sign of a page met on, whatever the cuts; known ahead, as the caller says. Each
    # unit is read as its cut was confirmed
    import random

    from aqparse.furniture import shows_page

    real, seen, read = text_reader.find_cut, [], []

    def checked(text, target, *args, page=None, **kwargs):
        seen.append(page)
        assert page == (expected if expected is not None else shows_page("".join(read)))
        return real(text, target, *args, page=page, **kwargs)

    def blocks(text, rng):
        at = 0
        while at < len(text):
            size = rng.randint(1, 9000)
            read.append(text[at:at + size])
            yield read[-1]
            at += size

    monkeypatch.setattr(text_reader, "find_cut", checked)
    rng = random.Random(3)
    questions = [FIXTURE.replace("60104", str(60104 + n)) for n in range(60)]
    for n in rng.sample(range(20, 60), 3):     # a page's signs in a few questions only
        questions[n] = questions[n].replace("Texte de la question", "Assemblée nationale\n"
                                            "Texte de la question")
    text = "\n".join(questions)
    for expected in (None, True, False):
        seen.clear()
        read.clear()
        units = list(text_reader.text_units(blocks(text, rng), chunk=12_000, page=expected))
        assert "".join(u.text for u in units) == text
        if expected is None:
            assert seen.index(True) > 0 and False not in seen[seen.index(True):]
            flags = [u.page for u in units]
            assert flags[0] is False and flags[-1] is True
            assert flags == sorted(flags)        # from the first sign on
        else:
            assert set(seen) == {expected} and {u.page for u in units} == {expected}


def test_sizes_that_would_read_nothing_or_everything_are_refused(tmp_path):
    # found by a review: a read block of 0 bytes is an end of file, and lost 98 % of a dump
    from aqparse.units import Sizes

    for bad in (dict(read_block=0), dict(read_block=10 ** 12), dict(chunk_chars=-5),
                dict(split_above="x"), dict(stream_batch=0), dict(max_question=10)):
        with pytest.raises(aqparse.UsageError, match=f"sizes.{next(iter(bad))} must be"):
            Sizes(**bad)
    # a run's cap on a question is the one its sizes give, unless max_question is said
    text = FIXTURE + "lorem ipsum " * 20_000
    path = tmp_path / "dump.txt"
    path.write_text(text, encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    aqparse.convert([str(path)], tmp_path / "q.jsonl", jobs=1, quiet=True, errors=errors,
                    sizes=Sizes(split_above=1000, chunk_chars=20_000, max_question=100_000))
    assert "question-too-long" in errors.read_text(encoding="utf-8")


@pytest.mark.parametrize("body", ["<html>", "<HTML>", "<html></html>", " <html> "])
def test_an_answer_that_is_an_html_tag_alone_is_no_text(body):
    # lxml's HTML parser gives "<html>" alone an <html> with no <body>: an assertion there
    # made it an internal error
    path = Path(__file__).resolve().parents[1] / "fixtures" / "opendata" / "qe-17-reshuffle.input.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["question"]["textesReponse"]["texteReponse"]["texte"] = body
    q = aqparse.parse(json.dumps(data, ensure_ascii=False))
    # the answer's JO is as the fixture gives it; its text, none
    assert (q.answer.date.isoformat(), q.answer.page, q.answer.text) == ("2025-04-08", 2617, None)
    assert "internal-error" not in {d.code for d in q.defects}


def test_an_answer_in_an_html_tag_without_a_body_keeps_its_text():
    # <frameset> takes the place of <body>: the text in it is the answer's, never dropped
    path = Path(__file__).resolve().parents[1] / "fixtures" / "opendata" / "qe-17-reshuffle.input.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["question"]["textesReponse"]["texteReponse"]["texte"] = (
        "<html><frameset><noframes>Le ministre répond.</noframes></frameset></html>")
    q = aqparse.parse(json.dumps(data, ensure_ascii=False))
    assert q.answer.text == "Le ministre répond."


def test_a_zip_member_opened_after_the_walk_is_looked_through_too(tmp_path):
    # a member opened once the walk of its archive is over opens the archive for itself
    # (inputs._ZipMember): it seeks as the member does, so its dump is read as the whole is
    import zipfile

    from aqparse import inputs
    data = _large_footer_dump(199)
    archive = tmp_path / "dumps.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("dump.txt", data)
    [doc] = list(inputs.documents(str(archive)))
    whole = [q.to_dict() for q in aqparse.parse_many(data, path=doc.name)]
    streamed = [q.to_dict() for q in inputs.parse_document(doc, stream_above=0, chunk=777)]
    assert streamed == whole


def _lynx_page():
    """A text browser's dump of a page (fixtures/pages/question-col-14-qe-attribution-change.
    html), its links numbered lynx's way ("de [9]M. Jean-Marc Fabre", "page : [10]1620")."""
    from renderings import text_browser
    from aqparse.decode import decode
    page = (Path(__file__).resolve().parents[1] / "fixtures" / "pages"
            / "question-col-14-qe-attribution-change.html").read_bytes()
    return text_browser(decode(page))


def _plain_then_lynx_page(questions=70):
    """A dump of generated plain questions (over 64 KB), then ``_lynx_page()``."""
    import dumps
    plain = dumps.dump_text(dumps.records(questions, seed=1))
    assert len(plain) > 1 << 16
    return plain + "\n" + _lynx_page()


def test_link_numbers_are_blanked_in_a_dump_whose_first_page_stands_far_in(tmp_path):
    # whether a text shows lynx's link numbers was decided on its first 64 KB: after 70 plain
    # questions, the page's numbers were read as text in the whole dump (no author, no page
    # of the JO) and blanked in its parts, which changed the records with the part size
    data = _plain_then_lynx_page()
    path = tmp_path / "dump.txt"
    path.write_text(data, encoding="utf-8")
    records = list(aqparse.parse_many(path.read_bytes(), path=str(path)))
    assert len(records) == 71
    last = records[-1]
    assert (last.number, last.author.civility, last.author.name) == (51234, "M.", "Jean-Marc Fabre")
    assert (last.question.page, last.answer.page) == (1620, 7050)
    assert "[" not in last.question.text + last.answer.text
    whole = [q.to_dict() for q in records]
    _assert_read_in_parts_as_whole(path, tmp_path, whole)
    from aqparse import inputs
    for chunk in (5_000, 40_000):
        streamed = inputs.parse_document(inputs.Document(str(path), lambda: open(path, "rb"),
                                                         path.stat().st_size),
                                         stream_above=10_000, chunk=chunk)
        assert [q.to_dict() for q in streamed] == whole


def test_a_dump_read_as_it_comes_blanks_link_numbers_from_the_first_page_of_lynx_on():
    # a text read block by block (stdin, a pipe) cannot look ahead: lynx's numbers are
    # blanked from the block that shows them on, which holds the page's first ones ("[1]",
    # "[2]" in its menus), so the page's question is read as in the whole, whatever the blocks
    import random

    data = _plain_then_lynx_page()
    whole = [q.to_dict() for q in aqparse.parse_many(data)]
    rng = random.Random(7)
    for _ in range(4):
        sizes, at = [], 0
        while at < len(data):
            sizes.append(rng.randint(1, 20_000))
            at += sizes[-1]
        blocks = (data[sum(sizes[:n]):sum(sizes[:n + 1])] for n in range(len(sizes)))
        units = list(text_reader.text_units(blocks, chunk=8_000))
        assert "".join(u.text for u in units) == data
        flags = [u.links for u in units]
        assert flags[0] is False and flags[-1] is True and flags == sorted(flags)
        records = [q.to_dict() for u in units
                   for q in text_reader.parse_text_many(u.text, offset=u.offset, first_line=u.line,
                                                page=u.page, links=u.links)]
        assert records == whole


def _links_read_in_blocks(text):
    """Whether ``text`` shows lynx's numbers, as its whole is read (mended, without invisible
    characters); asserted the same when ``text_reader.DumpSigns`` reads it in three blocks, cut at
    every pair of places."""
    from aqparse.decode import repair_mojibake, without_invisible
    from aqparse.layout import shows_links

    expected = shows_links(without_invisible(repair_mojibake(text)))
    for cut in range(len(text) + 1):
        for second in range(cut, len(text) + 1):
            signs = text_reader.DumpSigns(page=False)
            for block in (text[:cut], text[cut:second], text[second:]):
                signs.add(block)
            signs.end()
            assert signs.links == expected, (text, cut, second)
    return expected


def test_link_numbers_cut_by_a_block_edge_are_seen_as_in_the_whole_text():
    # a text read block by block decides as it does whole: marks split at every place
    texts = ["x[1]a b[2]c", "[9]M. X [10]1620 [1234]y", "[1] [2] [3]", "a [12345]b [1]c [2]d",
             "[[1]]a[2]b", "[1]\n[2]\n", "voir [1]a, [1]b, [1]c", "[3]a [4]b [5]c",
             "l'INSEE[1], en 2019[2]. (voir[3])", "[1][2]x"]
    # what a person sees: lynx's first two, or three marks (a number glued to its link's
    # text); one mark repeated is the text's; a number before a blank, the end or closing
    # punctuation is no mark (a note's: "l'INSEE[1],")
    assert [_links_read_in_blocks(t) for t in texts] == [True, True, False, True, False, False,
                                                         False, True, False, True]


def _plain_dump_with(note, questions=70):
    """A dump of generated plain questions (over 64 KB), ``note`` added to the question text
    of the 41st."""
    import dumps
    texts = [aqparse.render(q) for q in dumps.records(questions, seed=1)]
    at = texts[40].index("\n", texts[40].index("Texte de la question") + 22)
    texts[40] = texts[40][:at] + note + texts[40][at:]
    return "\n".join(texts)


def test_numbers_before_a_mended_no_break_space_are_no_link_marks_in_any_reading(tmp_path):
    # "[1]Â\xa0:" is "[1]" then a no-break space turned into mojibake: mended, no mark. The
    # parts of a dump were judged on their text as decoded, not mended, and blanked the one
    # real "[7]Annexe" where the whole kept it
    note = " (note [1]\u00c2\u00a0: rapport ; [2]\u00c2\u00a0: circulaire ; [7]Annexe)"
    path = tmp_path / "dump.txt"
    path.write_text(_plain_dump_with(note), encoding="utf-8")
    records = list(aqparse.parse_many(path.read_bytes(), path=str(path)))
    # (the body's no-break spaces are spaces)
    assert "[1] : rapport ; [2] : circulaire ; [7]Annexe)" in records[40].question.text
    whole = [q.to_dict() for q in records]
    _assert_read_in_parts_as_whole(path, tmp_path, whole)


def test_a_note_s_numbers_before_punctuation_are_kept(tmp_path):
    # "l'INSEE[1], … 2019[2]." are a note's numbers, not lynx's: kept as written (two of them
    # blanked every "[n]" of the dump)
    note = " Selon l'INSEE[1], le taux a doublé depuis 2019[2]. Voir le rapport[3])."
    path = tmp_path / "dump.txt"
    path.write_text(_plain_dump_with(note), encoding="utf-8")
    records = list(aqparse.parse_many(path.read_bytes(), path=str(path)))
    assert note.strip() in records[40].question.text
    _assert_read_in_parts_as_whole(path, tmp_path, [q.to_dict() for q in records])


@pytest.mark.parametrize("invisible", ["[\u200b", "\u200e]"])
def test_link_numbers_holding_an_invisible_character_are_blanked(tmp_path, invisible):
    # a text holding invisible characters is read without them: so is the question of
    # whether it shows lynx's numbers, alone and in a dump read in parts
    import dumps
    from renderings import text_browser
    from aqparse.decode import decode
    html = (Path(__file__).resolve().parents[1] / "fixtures" / "pages"
            / "question-col-14-qe-attribution-change.html").read_bytes()
    page = text_browser(decode(html)).replace(invisible.strip("\u200b\u200e"), invisible)
    assert page.count(invisible) >= 10
    alone = aqparse.parse(page)
    assert (alone.author.name, alone.question.page, alone.answer.page) \
        == ("Jean-Marc Fabre", 1620, 7050)
    path = tmp_path / "dump.txt"
    path.write_text(dumps.dump_text(dumps.records(70, seed=1)) + "\n" + page, encoding="utf-8")
    whole = [q.to_dict() for q in aqparse.parse_many(path.read_bytes(), path=str(path))]
    assert whole[-1]["author"]["name"] == "Jean-Marc Fabre"
    _assert_read_in_parts_as_whole(path, tmp_path, whole)


class _CountedSearches:
    """A pattern whose searches are counted (``searches``: the marks known at each)."""

    def __init__(self, pattern, searches, known=frozenset()):
        self._pattern, self._searches, self._known = pattern, searches, known

    def search(self, *args):
        self._searches.append(self._known)
        return self._pattern.search(*args)

    def sub(self, *args):
        return self._pattern.sub(*args)


def test_one_note_s_number_repeated_is_searched_past_at_once(monkeypatch):
    # a text repeating one number glued to a word ("[1]x" a hundred thousand times) holds one
    # mark: whether it shows lynx's numbers is a few searches, not a step per mark; a small
    # text with marks of its own compiles no pattern (a compile a file tripled the reading of
    # a folder of small files)
    from aqparse import layout

    searches, compiled = [], []
    real_new, real_mark = layout._new_mark, layout._LINK_MARK

    def new_mark(known):
        compiled.append(known)
        return _CountedSearches(real_new(known), searches, known)
    monkeypatch.setattr(layout, "_new_mark", new_mark)
    monkeypatch.setattr(layout, "_LINK_MARK", _CountedSearches(real_mark, searches))
    assert layout.shows_links("[1]x " * 100_000) is False
    assert len(searches) <= layout._REPEATS + 2 and compiled == [frozenset({"[1]"})]
    searches.clear()
    assert layout.shows_links("[1]x " * 50_000 + "[2]y") is True
    assert len(searches) <= layout._REPEATS + 2
    compiled.clear()
    assert layout.shows_links("Selon[4821]l'INSEE et[77]la DREES, voir[4821]plus bas") is False
    assert layout.shows_links("[4821]a [77]b [5]c") is True
    assert compiled == []


def test_a_mark_before_a_mojibake_run_cut_by_a_block_edge_is_read_as_the_whole_reads_it():
    # "[1]Â" then, in the next block, "\xa0": mended, "[1]" stands before a no-break space (a
    # note's number, no mark), as the whole reads it. The block's own text, mended alone,
    # showed a mark: a mark whose next character is among a block's last three waits for the
    # next one. Also invisible characters between a mark and its next character
    texts = ["INSEE[1]\u00c2\u00a0et la DREES[2]bis, [3]\u00c3\u00a9t\u00c3\u00a9",
             "voir[7]\u00e2\u20ac\u00a6 et[8]\u00c2\u00bb puis [9]x",
             "[2][1]\u00c2\u00a0\ufeff[", "M[2][1]\ufeff\u200e" + "\u200b" * 60 + "Mx[5]",
             "[2][1]\u00c2"]
    assert [_links_read_in_blocks(t) for t in texts] == [False, False, False, True, True]


def test_stdin_redirected_from_a_file_is_read_as_the_file_named(tmp_path, monkeypatch):
    # "convert - < dump" can read its input twice: it is looked through first as a file named
    # is, and a plain question's "[3]voir" before a lynx page further in is blanked as in the
    # whole (read as it came, it was kept: the numbers met only later)
    from aqparse.units import Sizes

    data = _plain_dump_with(" (note [3]voir plus bas)") + "\n" + _lynx_page()
    path = tmp_path / "dump.txt"
    path.write_text(data, encoding="utf-8")
    whole = [q.to_dict() for q in aqparse.parse_many(path.read_bytes(), path=str(path))]
    assert "(note voir plus bas)" in whole[40]["question"]["text"]     # (blanks made one)
    assert whole[-1]["author"]["name"] == "Jean-Marc Fabre"
    for record in whole:
        record["source"]["path"] = "<stdin>"
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        with open(path, encoding="utf-8") as stdin:      # (its .buffer: the file, seekable)
            monkeypatch.setattr("sys.stdin", stdin)
            aqparse.convert(["-"], out, jobs=jobs, quiet=True,
                            sizes=Sizes(split_above=10_000, chunk_chars=5_000))
        assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] \
            == whole
    with open(path, encoding="utf-8") as stdin:
        monkeypatch.setattr("sys.stdin", stdin)
        streamed = [q.to_dict() for q in aqparse.read("-", stream_above=0, chunk=5000)]
    assert streamed == whole


@pytest.mark.parametrize("invisible", ["", "\u200b", "\ufeff"])
def test_link_numbers_are_blanked_in_bodies_whether_or_not_the_text_holds_an_invisible_character(
        tmp_path, invisible):
    # a text holding an invisible character is read without it, and its bodies are kept as
    # written: they kept lynx's numbers ("[1]Mme X"), where the same text without one, or a
    # part of it without one, had them blanked (one ZWSP 50 KB away changed the body)
    import dumps

    base = dumps.dump_text(dumps.records(60, 3))
    first, last = base.index("interrogé"), base.rindex("interrogé")
    assert last - first > 50_000
    text = base[:first] + invisible + base[first:last] + "voir [1]Mme X, [2]M. Y " + base[last:]
    path = tmp_path / "dump.txt"
    path.write_text(text, encoding="utf-8")
    records = list(aqparse.parse_many(path.read_bytes(), path=str(path)))
    bodies = [(q.question.text if q.question else "") + (q.answer.text if q.answer else "")
              for q in records]
    assert sum("voir Mme X, M. Y" in b for b in bodies) == 1
    assert not any("[1]" in b or "[2]" in b for b in bodies)
    _assert_read_in_parts_as_whole(path, tmp_path, [q.to_dict() for q in records])


# -- a wait on an input that never comes ends with the run's signal ---------------------------------

def _waiting_run(args, tmp_path, **popen):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "aqparse.cli", "convert", *args, "-o",
                             str(tmp_path / "out.jsonl")], env=env, start_new_session=True,
                            stderr=subprocess.PIPE, text=True, **popen)


def _stopped(proc, signum):
    """``proc`` sent ``signum`` once it waits: its exit status and its last line."""
    time.sleep(2)      # (started, and blocked on its input)
    assert proc.poll() is None, "the run ended before it could be stopped"
    status, err = _signalled(proc, signum, 30)
    return status, err.strip().splitlines()[-1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("signame, status, said", [("SIGTERM", 143, "terminated"),
                                                   ("SIGINT", 130, "interrupted")])
def test_a_run_waiting_for_a_fifo_no_one_writes_to_is_stopped_by_a_signal(tmp_path, signame,
                                                                          status, said):
    # opening a FIFO waits for a writer; Python retries the open after each signal, and the
    # run's handler only asked for a stop at the next unit: SIGTERM and Ctrl-C went unheard
    import signal

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    proc = _waiting_run([str(fifo)], tmp_path)
    assert _stopped(proc, getattr(signal, signame)) == (
        status, f"aqparse: {said}; no partial output is left")
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_run_reading_a_stalled_pipe_is_stopped_by_sigterm(tmp_path):
    # stdin is a pipe whose writer has sent one question, then nothing, and does not close it
    # (a guard: this one was stopped before too, where the FIFO's open was not)
    import signal

    proc = _waiting_run(["-"], tmp_path, stdin=subprocess.PIPE)
    proc.stdin.write(FIXTURE)
    proc.stdin.flush()
    try:
        assert _stopped(proc, signal.SIGTERM) == (
            143, "aqparse: terminated; no partial output is left")
    finally:
        proc.stdin.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("command", ["parse", "convert"])
def test_a_command_stopped_while_it_copies_an_output_from_stdin_leaves_no_copy(tmp_path,
                                                                              command):
    # an output read back is copied to a temporary file first (SQLite reads a file): parse
    # has no safe point to stop at, and SIGTERM's default killed it outright, the copy left
    # in the temporary folder; convert left it too (the copy was made outside its ``try``)
    import gzip
    import signal

    database = tmp_path / "q.sqlite"
    aqparse.convert([ROOT / "fixtures"], database, quiet=True)
    packed = gzip.compress(database.read_bytes(), compresslevel=0)    # (no smaller than it)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(temporary))
    args = ["parse", "-"] if command == "parse" else ["convert", "-", "-o",
                                                      str(tmp_path / "out.jsonl")]
    proc = subprocess.Popen([sys.executable, "-m", "aqparse.cli", *args], env=env,
                            start_new_session=True, stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        proc.stdin.write(packed[:len(packed) // 2])     # half of it, then nothing: it waits
        proc.stdin.flush()
        deadline = time.monotonic() + 60
        while not list(temporary.iterdir()):             # (its copy started)
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        status, err = _signalled(proc, signal.SIGTERM, 30)
    finally:
        proc.stdin.close()
    err = err.decode("utf-8", "replace")
    assert status == 143 and "Traceback" not in err, err
    # (parse prints as it reads: nothing is said of a partial output it does not have)
    assert err.strip().splitlines()[-1] == ("aqparse: terminated" if command == "parse" else
                                            "aqparse: terminated; no partial output is left")
    assert list(temporary.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork")
def test_a_parallel_run_in_a_process_forked_after_one(tmp_path):
    # a process forked (a pre-forking server, a task queue's worker) from one that had run
    # convert(jobs=2) held its parent's fork server, which it cannot wait for: its own run
    # failed with "out.jsonl: cannot write: No child processes"
    script = tmp_path / "forked.py"
    script.write_text(f"""
import os, sys
import aqparse

def run(name):
    summary = aqparse.convert([{str(ROOT / "fixtures")!r}], {str(tmp_path)!r} + "/" + name,
                              jobs=2, quiet=True)
    return summary.questions

if __name__ == "__main__":
    first = run("parent.jsonl")
    pid = os.fork()
    if pid == 0:
        try:
            print("child", run("child.jsonl"), flush=True)
        except Exception as error:
            print("child failed:", error, flush=True)
        os._exit(0)
    os.waitpid(pid, 0)
    print("parent", first, flush=True)
""", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=300)
    lines = done.stdout.split("\n")
    questions = len((tmp_path / "parent.jsonl").read_text(encoding="utf-8").splitlines())
    assert questions > 0
    assert lines[:2] == [f"child {questions}", f"parent {questions}"], done.stdout + done.stderr
    assert (tmp_path / "child.jsonl").read_text(encoding="utf-8") == \
        (tmp_path / "parent.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("key, value", [("uid", 5), ("rubrique", 3), ("title", 12.5)])
def test_a_record_read_back_with_a_number_for_a_string_is_refused(key, value):
    # "uid": 5 was read as the uid "5" (a key merges questions by): a number is no string
    q = aqparse.parse(FIXTURE)
    data = dict(q.to_dict(), **{key: value})
    with pytest.raises(aqparse.ParseError) as error:
        list(aqparse.parse_many((json.dumps(data) + "\n").encode()))
    assert error.value.code == "bad-record"
    assert f"{key}: {value!r} would be read as {str(value)!r}" in str(error.value)
    # a number written as a string is still the number
    [back] = aqparse.parse_many((json.dumps(dict(q.to_dict(), number=str(q.number))) + "\n")
                                .encode())
    assert back.number == q.number


@pytest.mark.parametrize("key", ["number", "legislature"])
def test_a_record_read_back_with_a_boolean_for_a_number_is_refused(key):
    # "number": true was read as the number 1 (True equals 1 for Python): a question's
    # number that its uid does not give, without a word
    q = aqparse.parse(FIXTURE)
    data = dict(q.to_dict(), **{key: True})
    with pytest.raises(aqparse.ParseError) as error:
        list(aqparse.parse_many((json.dumps(data) + "\n").encode()))
    assert error.value.code == "bad-record"
    assert f"{key}: True would be read as 1" in str(error.value)


@pytest.mark.parametrize("path", [("rubrique",), ("title",), ("author", "name"),
                                  ("answer", "text"), ("question", "text")])
@pytest.mark.parametrize("empty", [[], {}])
def test_a_record_read_back_with_an_empty_list_or_object_for_a_text_is_refused(path, empty):
    # an empty list or object, blank to the check of what was read back, was read as the
    # text "[]" or "{}" without a word
    q = aqparse.parse(FIXTURE)
    data = q.to_dict()
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    assert isinstance(parent[path[-1]], str)
    parent[path[-1]] = empty
    with pytest.raises(aqparse.ParseError) as error:
        list(aqparse.parse_many((json.dumps(data) + "\n").encode()))
    assert error.value.code == "bad-record"
    assert ".".join(path) in str(error.value)


def test_an_xml_document_of_another_kind_is_said_so():
    # it was "this page looks like an HTML page with no question on it"
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- export -->\n<catalogue><livre/></catalogue>'
    with pytest.raises(aqparse.ParseError) as error:
        aqparse.parse(xml)
    assert error.value.code == "not-a-question"
    assert "an XML document of another kind (its root <catalogue>" in str(error.value)
    # an XHTML page keeps its page's message
    page = b'<?xml version="1.0"?>\n<html><head><title>Erreur 404</title></head><body/></html>'
    with pytest.raises(aqparse.ParseError) as error:
        aqparse.parse(page)
    assert "this page looks like" in str(error.value)


def test_stdout_closed_by_its_reader_still_reports_the_run(tmp_path):
    # "convert … -o - | head -1": the run exited 0 without a word, a failed input unsaid.
    # (The reader closes stdout before the run writes it: a write into a pipe whose reader
    # has gone fails for sure only then, the pipe's buffer taking what fits.)
    dump = tmp_path / "dump.txt"
    dump.write_text("\n".join(FIXTURE.replace("Question N° 23817", f"Question N° {n}")
                              for n in range(1, 301)), encoding="utf-8")
    (tmp_path / "bad.txt.gz").write_bytes(b"not gzip")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "aqparse.cli", "convert", str(dump),
                             str(tmp_path / "bad.txt.gz"), "-o", "-", "-j", "1"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1, err
    assert "300 question(s) written to <stdout>" in err
    assert "bad.txt.gz" in err
    assert err.rstrip().endswith("stdout was closed by its reader before the end of the output")


@pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "win32", reason="POSIX FIFOs")
def test_a_run_stopped_in_process_leaves_no_stop_behind_for_a_later_read(tmp_path):
    # ``aqparse.cli.main`` stopped by SIGTERM while it waited on a FIFO; the program goes on
    # and reads a FIFO that is written to: the earlier run's signal stopped that read at once
    import signal
    import threading

    from aqparse import cli

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    timer = threading.Timer(1, lambda: os.kill(os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        assert cli.main(["convert", str(fifo), "-o", str(tmp_path / "out.jsonl"), "-q"]) == 143
    finally:
        timer.join()
    writer = threading.Thread(target=lambda: fifo.write_text(FIXTURE, encoding="utf-8"),
                              daemon=True)
    writer.start()
    try:
        assert len(list(aqparse.read(str(fifo)))) == 1
    finally:
        writer.join(5)
