"""A command line that never surprises: what each subcommand's help says (required options,
exit statuses, its own words), usage errors in one line, a run that finds nothing, the
per-legislature figures of ``stats``, error messages said whole."""

import json

import pytest

from aqparse import cli

import dumps


def _help(capsys, *command) -> str:
    with pytest.raises(SystemExit) as info:
        cli.main([*command, "--help"])
    assert info.value.code == 0
    return capsys.readouterr().out


def test_convert_help_shows_the_output_as_required(capsys):
    text = _help(capsys, "convert")
    usage = text.split("\n\n")[0]
    assert " -o OUTPUT " in usage and "[-o OUTPUT]" not in usage
    assert "required:\n  -o OUTPUT, --output OUTPUT" in text
    assert "csv-excel" in text


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_every_subcommand_help_gives_its_exit_statuses(capsys, command):
    text = _help(capsys, command)
    statuses = text[text.index("exit status:"):]
    assert "\n  0  " in statuses and "\n  2  " in statuses
    if command != "schema":
        assert "\n  1  " in statuses


def test_run_commands_help_give_ctrl_c_and_the_empty_run(capsys):
    for command in ("convert", "stats"):
        text = _help(capsys, command)
        assert "130  interrupted" in text and "no question was found" in text
    for command in ("parse", "render"):     # (SIGTERM stops them at once, as Ctrl-C does)
        assert "143 terminated (SIGTERM)" in _help(capsys, command)


def test_stats_help_speaks_of_counting_not_converting(capsys):
    text = " ".join(_help(capsys, "stats").split())
    assert "converted" not in text and "not to the output" not in text
    assert "could not be read here" in text and "is not counted" in text
    assert "figures are printed all the same" in text
    convert_text = " ".join(_help(capsys, "convert").split())
    assert "could not be converted here" in convert_text and "not to the output" in convert_text


def test_a_missing_output_is_a_usage_error_in_one_line(tmp_path, capsys):
    (tmp_path / "q.txt").write_text(dumps.KNOWN, encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        cli.main(["convert", str(tmp_path / "q.txt")])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err == ("aqparse convert: the following arguments are required: -o/--output "
                   "(see 'aqparse convert --help')\n")


@pytest.mark.parametrize("command", [["convert", "-o", "{tmp}/out.jsonl"], ["stats"]])
def test_a_run_that_finds_no_question_says_so_and_exits_1(tmp_path, capsys, command):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "README").write_text("Notes on the data.\n", encoding="utf-8")
    argv = [a.format(tmp=tmp_path) for a in command] + [str(folder), "-j", "1", "-q"]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert f"aqparse: no question found in {folder}: " in err
    assert f"1 file(s) skipped, such as {folder / 'README'}: notes, not a question file" in err
    # the same run with a question in the folder: exit 0, no such line
    (folder / "q.txt").write_text(dumps.KNOWN, encoding="utf-8")
    assert cli.main(argv) == 0
    assert "no question found" not in capsys.readouterr().err


def test_schema_command_prints_the_schema(capsys):
    assert cli.main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["status"]["enum"] == ["answered", "withdrawn", "pending"]
    assert cli.main(["schema", "--strict"]) == 0
    assert json.loads(capsys.readouterr().out)["additionalProperties"] is False


def test_stats_per_legislature_and_kind(tmp_path, capsys):
    # dumps.KNOWN: 15th, QE, asked 12/03/2019, answered 21/01/2020 (315 days); DEFECTIVE:
    # 16th, QE, pending. Two more answered QE of the 15th: 10 and 40 days.
    known = dumps.KNOWN
    ten = known.replace("4321", "4322").replace("21/01/2020", "22/03/2019")
    forty = known.replace("4321", "4323").replace("21/01/2020", "21/04/2019")
    (tmp_path / "q.txt").write_text("\n".join([known, ten, forty, dumps.DEFECTIVE]),
                                    encoding="utf-8")
    assert cli.main(["stats", str(tmp_path / "q.txt"), "-j", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["by_legislature"] == {"15": 3, "16": 1}
    assert figures["delay_by_legislature"] == {"15": {"QE": {"answered": 3, "median": 40,
                                                             "p90": 260.0}}}
    assert cli.main(["stats", str(tmp_path / "q.txt"), "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert "by legislature\n  15        3   75.0%\n  16        1   25.0%" in out
    # delays 10, 40, 315: median 40; 90th percentile at rank 1.8 between 40 and 315: 260
    assert "  15           QE           3       40       260" in out


def test_a_truncated_json_error_is_said_whole(tmp_path, capsys):
    cut = tmp_path / "cut.json"
    cut.write_text('{"question": {"uid": "QANR5L16QE1", "type": "QE", "titre": "Une question '
                   'coup', encoding="utf-8")
    assert cli.main(["parse", str(cut)]) == 1
    err = capsys.readouterr().err
    assert "Unterminated string starting at [" not in err     # cut mid-sentence
    assert "cut short" in err or "not closed" in err
