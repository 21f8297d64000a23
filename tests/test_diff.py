"""``aqparse diff``: two records of the same question from different sources."""

import datetime as dt
import json
from pathlib import Path

import aqparse
from aqparse import fixtures
from aqparse.cli import main
from aqparse.diff import Difference, compare, format_difference, pair_up

DATA = Path(__file__).resolve().parent / "data" / "opendata"
QE = DATA / "QANR5L17QE9001.json"


def record(path: Path) -> aqparse.Question:
    return aqparse.parse(path.read_bytes(), path=str(path))


def test_same_question_from_json_and_xml_has_no_difference():
    assert compare(record(QE), record(DATA / "QANR5L17QE9001.xml")) == []


def test_fields_that_disagree_by_dotted_path():
    a = record(QE)
    b = a.evolve(rubrique="eau", answer=a.answer.__class__(date=dt.date(2026, 4, 22),
                                                           page=3377, text=a.answer.text),
                 source=aqparse.Source(format="text"), defects=(aqparse.Defect("x", "y"),))
    assert compare(a, b) == [
        Difference("rubrique", "eau et assainissement", "eau"),
        Difference("answer.date", "2026-04-21", "2026-04-22"),
        Difference("answer.jo_number", "20260016", None),
        Difference("answer.jo_type", "JO_QUESTION", None),
    ]
    # source and defects are never compared; --ignore leaves out a field and what is under it
    assert compare(a, b, ignore=["answer", "rubrique"]) == []


def test_only_common_skips_what_one_source_cannot_carry():
    a = record(QE)
    b = aqparse.parse(aqparse.render(a))           # the text layout: no references, no JO numbers
    paths = [d.path for d in compare(a, b)]
    assert "author.acteur_ref" in paths and "attributions[1].reference_nor" in paths
    assert "closure.code" in paths
    assert compare(a, b, only_common=True) == []
    changed = b.evolve(number=9002)
    assert compare(a, changed, only_common=True) == [Difference("number", 9001, 9002)]


def test_format_shows_both_values_and_where_two_texts_part():
    lines = format_difference(Difference("answer.text", "Le prix de l'eau", "Le prix du gaz"))
    assert lines == ["answer.text:", '  A: "Le prix de l\'eau"', '  B: "Le prix du gaz"',
                     "  first difference at character 9: \"e l'eau\" vs 'u gaz'"]


def test_cli_exit_status_and_output(tmp_path, capsys):
    assert main(["diff", str(QE), str(DATA / "QANR5L17QE9001.xml")]) == 0
    text = tmp_path / "q.txt"
    assert main(["render", str(QE)]) == 0
    text.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["diff", str(QE), str(text)]) == 1
    out = capsys.readouterr().out
    assert 'author.group_abbrev:\n  A: "RN"\n  B: null\n' in out
    assert main(["diff", "--only-common", str(QE), str(text)]) == 0
    assert main(["diff", str(QE), str(tmp_path / "missing.json")]) == 2
    assert "missing.json: no such file or directory" in capsys.readouterr().err


def test_cli_reads_records_written_by_parse(tmp_path, capsys):
    assert main(["parse", str(QE)]) == 0
    saved = tmp_path / "saved.json"
    saved.write_text(capsys.readouterr().out, encoding="utf-8")
    assert json.loads(saved.read_text(encoding="utf-8"))[0]["uid"] == "QANR5L17QE9001"
    assert main(["diff", str(saved), str(DATA / "QANR5L17QE9001.xml")]) == 0


def test_cli_dumps_are_paired_by_uid(capsys):
    assert main(["diff", str(DATA / "dump-L15.json"), str(DATA / "dump-L15.xml")]) == 0
    assert main(["diff", str(DATA / "dump-L15.json"), str(QE)]) == 1
    out = capsys.readouterr().out
    assert "== QANR5L15QE1: only in A" in out and "== QANR5L17QE9001: only in B" in out


def test_cli_unreadable_input_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"uid": "QANR5L17QE1", ', encoding="utf-8")
    assert main(["diff", str(QE), str(bad)]) == 2
    assert "bad.json:1: not valid JSON" in capsys.readouterr().err


# -- questions without a uid, or a uid twice: paired by position ------------------------------------

def _two_questions(first_rubrique: str, second_rubrique: str) -> str:
    # no legislature: no uid
    return (f"Question N° 1\nQuestion écrite\nMinistère interrogé > Culture\n"
            f"Rubrique > {first_rubrique}\n\n"
            f"Question N° 2\nQuestion écrite\nMinistère interrogé > Culture\n"
            f"Rubrique > {second_rubrique}\n")


def test_questions_without_uid_are_paired_by_position(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(_two_questions("arts", "arts"), encoding="utf-8")
    b.write_text(_two_questions("ZZZ", "arts"), encoding="utf-8")
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert out == ("== question 1 (paired by position: A has a question without uid)\n"
                   'rubrique:\n  A: "arts"\n  B: "ZZZ"\n'
                   "  first difference at character 0: 'arts' vs 'ZZZ'\n")
    b.write_text(_two_questions("arts", "arts"), encoding="utf-8")
    assert main(["diff", str(a), str(b)]) == 0
    assert "no difference (2 questions compared)" in capsys.readouterr().err


def test_a_uid_twice_on_a_side_pairs_by_position_and_nothing_is_left_out():
    q = record(QE)
    left = [q, q.evolve(rubrique="eau")]
    right = [q, q.evolve(rubrique="gaz"), q.evolve(number=9002, uid="QANR5L17QE9002")]
    pairs = list(pair_up(left, right))
    why = "(paired by position: A has QANR5L17QE9001 twice)"
    assert [(key, a is None, b is None) for key, a, b in pairs] == [
        (f"question 1 {why}", False, False), (f"question 2 {why}", False, False),
        (f"question 3 {why}", True, False)]
    assert compare(*pairs[1][1:]) == [Difference("rubrique", "eau", "gaz")]
    # unique uids on both sides: paired by uid, whatever the order
    by_uid = list(pair_up([q, right[2]], [right[2], q]))
    assert [(key, a.number, b.number) for key, a, b in by_uid] == [
        ("QANR5L17QE9001", 9001, 9001), ("QANR5L17QE9002", 9002, 9002)]


def test_fixture_diffs_and_aqparse_diff_show_values_alike():
    # one helper for both: a value of 80 characters is shown whole by each, a longer one cut
    # the same way, and two texts part at the same place
    x = "Le prix de l'eau dans les communes rurales et les petites villes de montagne ..."
    y = x.replace("montagne", "campagne")
    assert len(x) == 80
    name, a, b, where = format_difference(Difference("rubrique", x, y))
    assert (a, b) == (f"  A: {json.dumps(x, ensure_ascii=False)}",
                      f"  B: {json.dumps(y, ensure_ascii=False)}")
    assert fixtures.diff({"rubrique": x}, {"rubrique": y}) == [
        f"rubrique: expected {a[5:]}, got {b[5:]} ({where[2:]})"]
    assert where == (f"  first difference at character {x.index('montagne')}: 'montagne ...' vs "
                     "'campagne ...'")
    long = x * 2
    assert format_difference(Difference("t", long, None))[1] == (
        f"  A: {json.dumps(long, ensure_ascii=False)[:60]}…(162 chars)")
    assert fixtures.diff({"t": long}, {"t": None}) == [
        f"t: expected {json.dumps(long, ensure_ascii=False)[:60]}…(162 chars), got null"]
