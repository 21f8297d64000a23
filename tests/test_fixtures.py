"""The golden fixtures of ``fixtures/``: every input gives the record written by hand next to it.

The expected files were written from what each input says, not from the parser's output; a
failure prints the readable diff of ``aqparse.fixtures`` (one line per differing field).
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import aqparse
from aqparse.decode import decode
from aqparse import fixtures
from aqparse.cli import main
from aqparse.errors import ParseError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
PAIRS = list(fixtures.pairs(str(FIXTURES)))


def _expected(expected_path):
    with open(expected_path, encoding="utf-8") as f:
        return json.load(f)


def test_the_folder_holds_the_fixtures_of_issue_2():
    # at least 32 pairs, each input with its expected file (an empty folder must not pass)
    assert len(PAIRS) >= 32
    assert all(Path(expected).exists() for _, _, expected in PAIRS)
    # the folder's README describes it and is not an input
    assert (FIXTURES / "README.md").exists() and "README" not in {name for name, _, _ in PAIRS}


@pytest.mark.parametrize("name,path,expected_path", PAIRS, ids=[p[0] for p in PAIRS])
def test_fixture(name, path, expected_path):
    lines = fixtures.diff(_expected(expected_path), fixtures.actual(path))
    if lines:
        pytest.fail(f"{name}: the parser's record differs from {Path(expected_path).name}:\n  "
                    + "\n  ".join(lines), pytrace=False)


# -- strict mode: the first defect of the lenient record, raised --------------------------------

_WITH_DEFECTS = [(n, p, e) for n, p, e in PAIRS
                 if any(r["defects"] for r in (lambda x: x if isinstance(x, list) else [x])(
                     _expected(e)))]


def test_some_fixtures_have_defects():
    assert len(_WITH_DEFECTS) >= 6


@pytest.mark.parametrize("name,path,expected_path", _WITH_DEFECTS, ids=[p[0] for p in _WITH_DEFECTS])
def test_strict_raises_the_first_defect_with_its_line_and_an_excerpt(name, path, expected_path):
    expected = _expected(expected_path)
    records = expected if isinstance(expected, list) else [expected]
    first = next(d for r in records for d in r["defects"])
    data = Path(path).read_bytes()
    with pytest.raises(ParseError) as info:
        list(aqparse.parse_many(data, strict=True, path=path))
    error = info.value
    assert (error.code, error.line) == (first["code"], first["line"])
    assert error.message == first["message"]
    assert error.path == path
    # the excerpt is the start of the offending line, whatever its line breaks
    line = decode(data).replace("\r\n", "\n").replace("\r", "\n").split("\n")[
        first["line"] - 1]
    assert error.excerpt and " ".join(line.split()).startswith(error.excerpt.rstrip("…"))


def test_strict_accepts_the_fixtures_without_defects():
    clean = [p for n, p, e in PAIRS if (n, p, e) not in _WITH_DEFECTS]
    assert len(clean) >= 25
    for path in clean:
        list(aqparse.parse_many(Path(path).read_bytes(), strict=True, path=path))


# -- the encoded inputs really are what their names say ---------------------------------------

def _bytes(name):
    return (FIXTURES / f"{name}.txt").read_bytes()


def test_cp1252_input_is_windows_1252():
    data = _bytes("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\x92" in data and b"\x9c" in data and b"\x80" in data     # ’ œ €: cp1252 only


def test_latin1_input_is_iso_8859_1():
    data = _bytes("latin1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert not any(0x80 <= b <= 0x9f for b in data)     # nothing cp1252 would read differently


def test_bom_crlf_and_cr_inputs():
    data = _bytes("utf8-bom-crlf")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    data = _bytes("cr-line-endings")
    assert b"\r" in data and b"\n" not in data


def test_double_encoded_input_holds_mojibake():
    text = _bytes("double-encoded").decode("utf-8")
    assert "Ã©" in text and "â€™" in text and "é" not in text


def test_nbsp_input_holds_no_break_spaces_and_tabs():
    text = _bytes("nbsp-tabs-blanks").decode("utf-8")
    assert "\xa0" in text and "\u202f" in text and "\t" in text


# -- the command line ---------------------------------------------------------------------------

@pytest.fixture
def wrong_copy(tmp_path):
    """A copy of one pair whose expected record is deliberately wrong in two fields."""
    shutil.copy(FIXTURES / "qe-pending.txt", tmp_path / "qe-pending.txt")
    record = _expected(FIXTURES / "qe-pending.json")
    record["number"] = 98713
    record["rubrique"] = "pêche maritime"
    (tmp_path / "qe-pending.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_cli_check_exits_non_zero_with_a_diff(wrong_copy):
    done = subprocess.run([sys.executable, "-m", "aqparse.cli", "fixtures", "check", str(wrong_copy)],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1
    assert "FAIL qe-pending" in done.stdout
    assert "number: expected 98713, got 98712" in done.stdout
    assert 'rubrique: expected "pêche maritime", got "mer et littoral"' in done.stdout
    assert "0 of 1 fixtures match" in done.stdout


def test_cli_update_rewrites_the_expected_file(wrong_copy, capsys):
    assert main(["fixtures", "update", str(wrong_copy)]) == 0
    assert "updated: qe-pending" in capsys.readouterr().out
    rewritten = _expected(wrong_copy / "qe-pending.json")
    assert (rewritten["number"], rewritten["rubrique"]) == (98712, "mer et littoral")   # the input's
    assert rewritten["source"]["path"] is None
    assert main(["fixtures", "check", str(wrong_copy)]) == 0
    assert "1 of 1 fixtures match" in capsys.readouterr().out
    # a second update has nothing to change
    assert main(["fixtures", "update", str(wrong_copy)]) == 0
    assert "unchanged: qe-pending" in capsys.readouterr().out


def test_cli_check_reports_an_input_without_expected_file(tmp_path, capsys):
    shutil.copy(FIXTURES / "qe-pending.txt", tmp_path / "lonely.txt")
    assert main(["fixtures", "check", str(tmp_path)]) == 1
    assert "no expected file" in capsys.readouterr().out
