"""The command line: `aqparse parse` and `aqparse render` (exit status, outputs, errors)."""

import json
import subprocess
import sys

import pytest

from aqparse.cli import main

QUESTION = """\
16ème législature
Question N° 4242
de Mme Zoé Martin (Écologiste - NUPES - Gironde )
Question écrite
Ministère interrogé > Santé et prévention
Ministère attributaire > Santé et prévention
Rubrique > santé
Question publiée au JO le : 04/10/2022 page : 4410
Texte de la question
Mme Zoé Martin interroge M. le ministre.
"""


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(QUESTION, encoding="utf-8")
    defective = tmp_path / "defective.txt"
    defective.write_text(QUESTION.replace("04/10/2022", "31/02/2022"), encoding="utf-8")
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("Liste des courses : pain, lait.\n", encoding="utf-8")
    return good, defective, garbage


def test_parse_prints_a_json_array(files, capsys):
    good, _, _ = files
    assert main(["parse", str(good)]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["uid"] for r in records] == ["QANR5L16QE4242"]
    assert records[0]["author"]["group"] == "Écologiste - NUPES"
    question = records[0]["question"]
    assert (question["date"], question["page"]) == ("2022-10-04", 4410)
    assert question["text"] == "Mme Zoé Martin interroge M. le ministre."
    assert records[0]["source"]["path"] == str(good)


def test_parse_jsonl_and_lenient_defects(files, capsys):
    good, defective, _ = files
    assert main(["parse", "--format", "jsonl", str(good), str(defective)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    second = json.loads(lines[1])
    assert second["question"]["date"] is None
    assert second["defects"][0]["code"] == "bad-date" and second["defects"][0]["line"] == 8


def test_strict_mode_reports_path_and_line_and_goes_on(files, capsys):
    good, defective, _ = files
    assert main(["parse", "--strict", "--format", "jsonl", str(defective), str(good)]) == 1
    captured = capsys.readouterr()
    assert f"{defective}:8:" in captured.err and "bad-date" in captured.err
    assert json.loads(captured.out)["uid"] == "QANR5L16QE4242"   # the good file still printed


def test_not_a_question_is_an_error_with_the_path(files, capsys):
    _, _, garbage = files
    assert main(["parse", str(garbage)]) == 1
    err = capsys.readouterr().err
    assert str(garbage) in err and "not a parliamentary question" in err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt: no such file or directory" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["parse", "--format", "xml", str(tmp_path)])
    assert info.value.code == 2


def test_render_command_gives_the_canonical_text(files, capsys):
    good, _, _ = files
    assert main(["render", str(good)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("16ème législature\n\nQuestion N° 4242\nde Mme Zoé Martin "
                          "(Écologiste - NUPES - Gironde )\nQuestion écrite\n")


def test_console_script_module_runs(files):
    good, _, _ = files
    run = subprocess.run([sys.executable, "-m", "aqparse.cli", "parse", "--format", "jsonl",
                          str(good)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["number"] == 4242


def test_strict_parse_of_a_dump_leaves_out_only_the_defective_question(tmp_path, capsys):
    second = QUESTION.replace("4242", "4243").replace("04/10/2022", "31/02/2022")
    third = QUESTION.replace("4242", "4244")
    dump = tmp_path / "dump.txt"
    dump.write_text(QUESTION + "\n" + second + "\n" + third, encoding="utf-8")
    assert main(["parse", "--strict", "--format", "jsonl", str(dump)]) == 1
    captured = capsys.readouterr()
    assert [json.loads(line)["number"] for line in captured.out.splitlines()] == [4242, 4244]
    # QUESTION is 10 lines, then a blank line: the second question's date line (its 8th) is 19
    assert f"{dump}:19:" in captured.err and "bad-date" in captured.err


def test_fixtures_update_goes_on_past_an_input_that_does_not_parse(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(QUESTION, encoding="utf-8")
    (tmp_path / "b.txt").write_text("pas une question", encoding="utf-8")
    (tmp_path / "c.txt").write_text(QUESTION.replace("4242", "4245"), encoding="utf-8")
    assert main(["fixtures", "update", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "updated: a" in out and "updated: c" in out
    assert "not updated: " in out and "not a parliamentary question" in out
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["number"] == 4245
    assert not (tmp_path / "b.json").exists()
