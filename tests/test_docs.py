"""Every example of the README and of docs/ runs as shown.

Each document's examples run in order in a folder of their own (the fixtures copied there, the
corpus beside it as ``../shared/corpus`` when it is present), as a reader runs them from a
clone; for those of docs/, ``python tests/dumps.py examples`` first makes the files they name,
as the README says. The fenced blocks are the examples:

- ``sh``: commands, run by bash with ``aqparse`` and ``python`` on the PATH; an untagged block
  right after is their output (stdout and stderr);
- an untagged block whose lines start with ``$ ``: a session, each command followed by its
  output (``echo $?`` gives the status of the one before);
- ``python``: a script; a value written as a comment after an expression (``q.uid  # 'QANR…'``,
  or on the next line) is checked; ``>>>`` examples run as doctests;
- ``sql``: a query on the database the document opened with ``sqlite3 … FILE``, its untagged
  block right after the table it prints (``-header -column``);
- ``json``: checked against what the comment before it names (``<!-- check: … -->``: a
  command's output, or a file): the keys it shows, with those values (a text ending in ``…``
  is cut).

In an output, a line ``…`` stands for any lines, ``…`` in a line for any text, and times and
rates (``in 0.9 s (2 questions/s)``) are not compared. What is not run is in ``NOT_RUN``.
"""

import ast
import datetime
import doctest
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import List, NamedTuple, Optional

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# commands of the docs the tests do not run, and why
NOT_RUN = {
    r"^pip install [^&]*(&&\s*|$)": "installs the package: the tests run in the checkout",
    r"^python -m pytest\b": "the test suite itself",
    r"\bbenchmarks/": "a benchmark, minutes long, run by hand (its output is a measure)",
}
# what needs the real corpus beside the project (../shared/corpus): run when it is there
NEEDS_CORPUS = re.compile(r"\.\./shared/corpus|\bopendata/json/|\bhtml/(?:aclain|assemblee)")
TIMES = re.compile(r"in [\d.]+ s \([\d,]+ questions/s\)")


class Block(NamedTuple):
    doc: str
    line: int
    lang: str
    text: str
    output: Optional[str]      # the untagged block right after (sh, sql)
    check: Optional[str]       # the <!-- check: … --> before it (json)


FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)


def blocks_of(path: Path) -> List[Block]:
    text = path.read_text(encoding="utf-8")
    found = [(m.start(), m.end(), m.group(1), m.group(2)) for m in FENCE.finditer(text)]
    out = []
    for i, (start, end, lang, body) in enumerate(found):
        if not lang and not body.startswith("$ "):
            continue        # an output (taken with its block) or a synopsis
        following = None
        if i + 1 < len(found) and not found[i + 1][2] and not text[end:found[i + 1][0]].strip() \
                and not found[i + 1][3].startswith("$ "):
            following = found[i + 1][3]
        before = text[:start].rstrip().rsplit("\n", 1)[-1]
        check = re.fullmatch(r"<!-- check: (.*) -->", before)
        out.append(Block(path.name, text.count("\n", 0, start) + 1, lang or "session", body,
                         following if lang in ("sh", "sql") else None,
                         check.group(1) if check else None))
    return out


BLOCKS = [b for doc in DOCS for b in blocks_of(doc)]


# -- the folder each document's examples run in ----------------------------------------------------

class Sandbox:
    def __init__(self, base: Path):
        self.cwd = base / "work"
        self.cwd.mkdir(parents=True)
        shutil.copytree(ROOT / "fixtures", self.cwd / "fixtures")
        (self.cwd / "tests").symlink_to(ROOT / "tests")
        if CORPUS.is_dir():     # as ../shared/corpus, and its folders as the docs name them
            (base / "shared").mkdir()
            (base / "shared" / "corpus").symlink_to(CORPUS)
            for entry in CORPUS.iterdir():
                if entry.is_dir():
                    (self.cwd / entry.name).symlink_to(entry)
        bin_ = base / "bin"
        bin_.mkdir()
        for name, line in (("aqparse", f'exec "{sys.executable}" -m aqparse "$@"'),
                           ("python", f'exec "{sys.executable}" "$@"')):
            (bin_ / name).write_text(f"#!/bin/sh\n{line}\n")
            (bin_ / name).chmod(0o755)
        self.env = dict(os.environ, PATH=f"{bin_}{os.pathsep}{os.environ.get('PATH', '')}",
                        PYTHONPATH=str(ROOT), COLUMNS="100")
        self.db: Optional[Path] = None       # the database the last 'sqlite3 … FILE' opened
        self.done = 0                        # blocks run so far

    def bash(self, script: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", script], cwd=self.cwd, env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=900)


@pytest.fixture(scope="module")
def sandboxes(tmp_path_factory):
    return {}


def _sandbox(sandboxes, tmp_path_factory, block: Block) -> Sandbox:
    """The document's folder, with every example before this one run (their failures are
    their own tests')."""
    if block.doc not in sandboxes:
        box = Sandbox(tmp_path_factory.mktemp(block.doc.replace(".", "_")))
        if block.doc != "README.md":    # the files the docs' examples name, as the README says
            made = box.bash("python tests/dumps.py examples")
            assert made.returncode == 0, made.stderr
        sandboxes[block.doc] = box
    box = sandboxes[block.doc]
    mine = [b for b in BLOCKS if b.doc == block.doc]
    for earlier in mine[box.done:mine.index(block)]:
        try:
            RUNNERS[earlier.lang](box, earlier)
        except (AssertionError, pytest.skip.Exception):
            pass
    box.done = mine.index(block) + 1
    return box


# -- comparing an output with the docs' ---------------------------------------------------------------

def _pattern(expected: str) -> "re.Pattern":
    parts = []
    for line in expected.rstrip("\n").split("\n"):
        if line.strip() == "…":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        piece = ".*?".join(re.escape(p) for p in TIMES.sub("\0", line.rstrip()).split("…"))
        parts.append(piece.replace(re.escape("\0"), TIMES.pattern) + r"\n")
    return re.compile("".join(parts))


def assert_output(expected: str, actual: str, where: str) -> None:
    actual = "\n".join(line.rstrip() for line in actual.rstrip("\n").split("\n")) + "\n"
    assert _pattern(expected).fullmatch(actual), (
        f"{where}: the output differs from the docs'\n--- docs\n{expected}--- actual\n{actual}")


# -- the runners -----------------------------------------------------------------------------------

def _not_run(command: str) -> Optional[str]:
    return next((why for pattern, why in NOT_RUN.items() if re.search(pattern, command)), None)


def _runnable(command: str) -> str:
    """The part of a command line the tests run ('' for none): ``pip install . && X`` is X."""
    for pattern, _ in NOT_RUN.items():
        if re.search(pattern, command):
            command = re.sub(pattern, "", command) if pattern.startswith("^pip") else ""
    return command.strip()


def _needs_corpus(text: str) -> None:
    if NEEDS_CORPUS.search(text) and not CORPUS.is_dir():
        pytest.skip("the example reads the corpus (../shared/corpus), not beside this checkout")


def _note_db(box: Sandbox, command: str) -> None:
    m = re.search(r"\bsqlite3\b.*?(\S+\.sqlite)\b", command)
    if m:
        box.db = box.cwd / m.group(1)


def run_sh(box: Sandbox, block: Block) -> None:
    _needs_corpus(block.text)
    lines = [_runnable(line) for line in block.text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines:
        pytest.skip("nothing the tests run: " + "; ".join(
            filter(None, (_not_run(line) for line in block.text.splitlines()))))
    for line in lines:
        _note_db(box, line)
    done = box.bash("set -e\n" + "\n".join(lines))
    where = f"{block.doc}:{block.line}"
    assert done.returncode == 0, f"{where}: exit status {done.returncode}\n{done.stderr[-3000:]}"
    if block.output is not None:
        assert_output(block.output, done.stdout + done.stderr, where)


def run_session(box: Sandbox, block: Block) -> None:
    _needs_corpus(block.text)
    steps = re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", block.text, re.M)
    for command, _ in steps:
        if _not_run(command):
            pytest.skip(_not_run(command))
        _note_db(box, command)
    script = ["__s=0"]
    for i, (command, _) in enumerate(steps):
        script.append(f"echo '@@{i}@@'; (exit $__s); {{ {command} ; }} 2>&1; __s=$?")
    done = box.bash("\n".join(script))
    outputs = re.split(r"^@@\d+@@\n", done.stdout, flags=re.M)[1:]
    assert len(outputs) == len(steps), done.stderr
    for (command, expected), actual in zip(steps, outputs):
        if expected.strip():
            assert_output(expected, actual, f"{block.doc}:{block.line}: $ {command}")


def _checked(script: str) -> str:
    """The script with each value written in a comment after an expression turned into a
    check of that value."""
    lines = script.split("\n")
    out = []
    for i, line in enumerate(lines):
        code, _, comment = line.partition("  #")
        value = comment.strip()
        if not value and i + 1 < len(lines) and lines[i + 1].lstrip().startswith("# "):
            code, value = line, lines[i + 1].strip()[2:]
        if value and _is_expression(code.strip()) and _is_value(value):
            indent = code[:len(code) - len(code.lstrip())]
            line = f"{indent}__check(({code.strip()}), {value!r}, {i + 1})"
        out.append(line)
    return CHECK + "\n".join(out)


CHECK = '''import datetime
def __check(value, expected, line):
    expected = eval(expected, {"datetime": datetime})
    assert value == expected, f"line {line} of the example: {value!r}, the docs say {expected!r}"
'''


def _is_expression(code: str) -> bool:
    try:
        ast.parse(code, mode="eval")
        return bool(code) and "=" not in code.split("(")[0]
    except SyntaxError:
        return False


def _is_value(text: str) -> bool:
    try:
        eval(text, {"datetime": datetime, "__builtins__": {}})
        return True
    except Exception:
        return False


def run_python(box: Sandbox, block: Block) -> None:
    _needs_corpus(block.text)
    where = f"{block.doc}:{block.line}"
    if ">>> " in block.text:
        parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(
            optionflags=doctest.ELLIPSIS)
        test = parser.get_doctest(block.text, {}, where, block.doc, block.line)
        cwd = os.getcwd()
        os.chdir(box.cwd)
        try:
            result = runner.run(test, out=lambda s: pytest.fail(s))
        finally:
            os.chdir(cwd)
        assert result.failed == 0
        return
    script = box.cwd / f"example_{block.line}.py"
    script.write_text(_checked(block.text), encoding="utf-8")
    done = subprocess.run([sys.executable, script.name], cwd=box.cwd, env=box.env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{where}:\n{done.stderr[-3000:]}"


def _table(text: str) -> List[List[str]]:
    """The cells of a table as ``sqlite3 -header -column`` prints it."""
    lines = text.rstrip("\n").split("\n")
    spans = [m.span() for m in re.finditer(r"-+", lines[1])]
    cut = [(a, spans[i + 1][0] if i + 1 < len(spans) else None) for i, (a, _) in enumerate(spans)]
    return [[line[a:b].strip() for a, b in cut] for i, line in enumerate(lines) if i != 1]


def run_sql(box: Sandbox, block: Block) -> None:
    assert box.db is not None, "no 'sqlite3 FILE' before this query"
    if not box.db.exists():
        pytest.skip(f"{box.db.name} was not made (an example before failed or was skipped)")
    db = sqlite3.connect(box.db)
    cursor = db.execute(block.text)
    rows = [[c[0] for c in cursor.description]] + [
        ["" if v is None else str(v) for v in row] for row in cursor]
    db.close()
    assert block.output is not None, "no output after the query"
    assert rows == _table(block.output), f"{block.doc}:{block.line}"


def _subset(shown, actual, path="", top=True):
    """``shown`` (the docs' JSON) says the truth of ``actual``: every key it shows, with its
    value (a text ending in … is cut); inside nested objects the keys it leaves out are null."""
    if isinstance(shown, dict):
        assert isinstance(actual, dict), path
        if top:
            assert set(shown) == set(actual), (path, set(shown) ^ set(actual))
        for key, value in actual.items():
            if key in shown:
                _subset(shown[key], value, f"{path}.{key}", top=False)
            else:
                assert value is None, f"{path}.{key} is {value!r}, left out of the docs"
    elif isinstance(shown, list):
        assert isinstance(actual, list) and len(shown) == len(actual), path
        for i, (a, b) in enumerate(zip(shown, actual)):
            _subset(a, b, f"{path}[{i}]", top=isinstance(a, dict) and top and False)
    elif isinstance(shown, str) and shown.endswith("…"):
        assert isinstance(actual, str) and actual.startswith(shown[:-1]), path
    else:
        assert shown == actual, (path, shown, actual)


def _records(text: str) -> list:
    text = text.strip()
    try:
        value = json.loads(text)
        return value if isinstance(value, list) else [value]
    except ValueError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def run_json(box: Sandbox, block: Block) -> None:
    assert block.check, f"{block.doc}:{block.line}: a JSON example needs <!-- check: … -->"
    m = re.fullmatch(r"the (?:records? printed by|output of) `(.*)`|the lines of `(.*)`", block.check)
    assert m, block.check
    if m.group(1):
        done = box.bash(m.group(1))
        assert done.returncode == 0, done.stderr
        actual = _records(done.stdout)
    else:
        actual = _records((box.cwd / m.group(2)).read_text(encoding="utf-8"))
    shown = _records(block.text)
    assert len(shown) == len(actual)
    for a, b in zip(shown, actual):
        _subset(a, b)


RUNNERS = {"sh": run_sh, "session": run_session, "python": run_python, "sql": run_sql,
           "json": run_json}


@pytest.mark.parametrize("block", BLOCKS, ids=[f"{b.doc}:{b.line}:{b.lang}" for b in BLOCKS])
def test_the_example_runs_as_shown(block, sandboxes, tmp_path_factory):
    assert block.lang in RUNNERS, f"{block.doc}:{block.line}: no runner for ```{block.lang}"
    box = _sandbox(sandboxes, tmp_path_factory, block)
    RUNNERS[block.lang](box, block)


def test_every_document_has_examples_and_each_kind_is_run():
    assert {b.doc for b in BLOCKS} >= {"README.md", "convert.md", "html.md", "opendata.md"}
    assert {b.lang for b in BLOCKS} == set(RUNNERS)


def test_the_output_comparison_can_fail():
    assert _pattern("1 input(s) read in 0.9 s (2 questions/s)\n…\nend\n").fullmatch(
        "1 input(s) read in 12.5 s (1,234 questions/s)\na\nb\nend\n")
    assert not _pattern("questions: 5000\n").fullmatch("questions: 4999\n")
    assert not _pattern("a\n…\nend\n").fullmatch("a\nb\n")
    with pytest.raises(AssertionError):
        _subset({"uid": "Q1", "author": {"name": "X"}}, {"uid": "Q1", "author": {"name": "Y"}})
    with pytest.raises(AssertionError):         # a nested key left out must be null
        _subset({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}})
    assert "__check((q.uid), \"'Q1'\", 1)" in _checked("q.uid  # 'Q1'")
    assert "__check((" not in _checked("q = f()  # 'Q1'") + _checked("x  # a note")


def test_convert_in_a_script_without_its_main_guard_says_why(tmp_path):
    # docs/convert.md's example as it was, without `if __name__ == "__main__":`
    (tmp_path / "q.txt").write_bytes((ROOT / "fixtures" / "qe-pending.txt").read_bytes())
    (tmp_path / "script.py").write_text(
        "import aqparse\n\nsummary = aqparse.convert(['q.txt'], 'q.sqlite', jobs=2)\n"
        "print(summary.questions)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "script.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode != 0
    assert 'if __name__ == "__main__":' in done.stderr, done.stderr[-2000:]
