"""aqparse stats: counts and answer delays, on questions whose figures were worked out by hand."""

import datetime as dt
import json

import attrs
import pytest

import aqparse
from aqparse import cli
from aqparse.stats import format_stats, percentile, stats

import dumps

KNOWN = aqparse.parse(dumps.KNOWN)        # asked 2019-03-12, answered 2020-01-21: 315 days


def _answered(number, days):
    return KNOWN.evolve(number=number, uid=f"QANR5L15QE{number}",
                        answer=attrs.evolve(KNOWN.answer, date=dt.date(2019, 3, 12) + dt.timedelta(days=days)))


def _folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "known.txt").write_text(dumps.KNOWN, encoding="utf-8")
    (folder / "defective.txt").write_text(dumps.DEFECTIVE, encoding="utf-8")   # 16th, pending
    others = [_answered(1, 10), _answered(2, 100), _answered(3, 40)]
    (folder / "others.txt").write_text(dumps.dump_text(others), encoding="utf-8")
    return folder


def test_counts_and_delays(tmp_path):
    result = stats([_folder(tmp_path)], jobs=1)
    assert result.questions == 5
    assert result.by_legislature == {"15": 4, "16": 1}
    assert result.by_kind == {"QE": 5}
    assert result.by_status == {"answered": 4, "pending": 1}
    assert result.by_ministry == {"Logement": 4, "Santé": 1}
    # the defective question's date (31/02/2023) does not exist: its year is unknown
    assert result.by_year == {"2019": 4, "(unknown)": 1}
    # delays 10, 40, 100, 315 days: median (40 + 100) / 2; 90th percentile at rank 2.7
    assert result.answered_with_dates == 4
    assert result.delay_median == 70
    assert result.delay_p90 == pytest.approx(250.5)
    text = format_stats(result)
    assert "median 70, 90th percentile 250.5" in text


def test_percentile():
    assert percentile([5], 90) == 5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90) == 10


def test_cli_stats(tmp_path, capsys):
    folder = _folder(tmp_path)
    assert cli.main(["stats", str(folder), "-j", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["by_status"] == {"answered": 4, "pending": 1} and figures["delay_median"] == 70
    (folder / "junk.txt").write_text("rien à voir\n", encoding="utf-8")
    assert cli.main(["stats", str(folder), "-j", "1"]) == 1      # an input failed
    out = capsys.readouterr()
    assert "questions: 5" in out.out and "junk.txt" in out.err
