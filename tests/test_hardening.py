"""Hardening (issue 11): no silent corruption from what tools put in a text.

Each test here failed before its fix; the values asserted are read from
``fixtures/qe-answered-attribution-change.txt`` by a person.
"""

import pytest

import aqparse

from pathlib import Path

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
