"""The package as the Python ecosystem sees it: ``python -m aqparse``, ``py.typed``, the
licence, the submodules the docs name, and what a wheel and a source distribution hold (the
sdist's tests must run on their own)."""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args, cwd=None, env=None):
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


def _python(code: str, env=None):
    """``python -c code`` in a fresh interpreter, from the project's folder; it must succeed."""
    done = _run("-c", code, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    return done


def test_python_m_aqparse_runs_the_command_line(tmp_path):
    (tmp_path / "q.txt").write_bytes((ROOT / "fixtures" / "qe-pending.txt").read_bytes())
    done = _run("-m", "aqparse", "parse", "--format", "jsonl", "q.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # fixtures/qe-pending.txt: "Question N° 98712", 14th legislature, a written question
    assert '"uid": "QANR5L14QE98712"' in done.stdout
    version = _run("-m", "aqparse", "--version")
    assert version.returncode == 0 and version.stdout.strip() == "aqparse 0.1.0"


def test_the_submodules_the_docs_name_are_attributes_after_import_aqparse():
    # a fresh interpreter: in this one other tests may have imported the submodules already
    names = sorted(set(re.findall(r"\baqparse\.(?:[a-z_]+\.)+[A-Za-z_]+\b",
                                  "\n".join(p.read_text(encoding="utf-8") for p in
                                            [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]))))
    names = [n for n in names if not n.endswith((".py", ".md", ".json", ".zip", ".csv"))]
    assert "aqparse.stats.stats" in names and "aqparse.diff.compare" in names
    code = ("import aqparse, functools\n"
            f"for name in {names!r}:\n"
            "    functools.reduce(getattr, name.split('.')[1:], aqparse)\n")
    done = _run("-c", code)
    assert done.returncode == 0, done.stderr


def test_py_typed_is_in_the_package_and_declared_as_its_data():
    assert (ROOT / "aqparse" / "py.typed").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'\[tool\.setuptools\.package-data\]\s*\n(#.*\n)*aqparse = \["py\.typed"\]',
                     pyproject)


def test_licence_is_an_spdx_expression_and_its_file_ships():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', pyproject, re.M)
    assert re.search(r'^license-files = \["LICENSE"\]$', pyproject, re.M)
    assert "license = {" not in pyproject          # the table form setuptools deprecates
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").startswith("# Changelog")


# -- building: what the wheel and the sdist hold ----------------------------------------------------

def _backend():
    """setuptools' build backend, when this interpreter's is recent enough for pyproject's
    licence form (else the build would not be this project's)."""
    setuptools = pytest.importorskip("setuptools")
    major = int(setuptools.__version__.split(".")[0])
    if major < 77:
        pytest.skip(f"setuptools {setuptools.__version__} < 77 (pip builds with a recent one)")
    return setuptools


def _source_tree(tmp_path) -> Path:
    """A copy of the project without what a checkout accumulates (builds, caches)."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", "build", "dist", ".hypothesis", ".pytest_cache",
        "*.sqlite", ".ci-venv", "venv", "fuzz-crashes", ".ci-fuzz-crashes"))
    return copy


def _build(tmp_path, kind: str) -> Path:
    _backend()
    source = _source_tree(tmp_path)
    out = tmp_path / "dist"
    done = _run("-c", f"from setuptools import build_meta as b; print(b.build_{kind}({str(out)!r}))",
                cwd=source, env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 0, done.stderr[-3000:]
    return out / done.stdout.strip().splitlines()[-1]


def test_the_wheel_holds_py_typed_the_licence_and_the_main_module(tmp_path):
    wheel = _build(tmp_path, "wheel")
    names = zipfile.ZipFile(wheel).namelist()
    assert "aqparse/py.typed" in names and "aqparse/__main__.py" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    metadata = next(zipfile.ZipFile(wheel).read(n).decode() for n in names
                    if n.endswith("METADATA"))
    assert "License-Expression: MIT" in metadata
    assert not any(n.startswith(("tests/", "fixtures/")) for n in names)


def test_the_sdist_holds_what_its_tests_need(tmp_path):
    sdist = _build(tmp_path, "sdist")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for needed in ("tests/conftest.py", "tests/dumps.py", "tests/renderings.py",
                   "tests/html_visible.py", "tests/data/opendata/QANR5L17QE9001.json",
                   "tests/data/renderings/table_page_qe_renewed.links.txt",
                   "tests/fixtures/html/table_qe_answered.html", "fixtures/qe-pending.txt",
                   "fixtures/qe-pending.json", "fixtures/README.md", "docs/convert.md",
                   "LICENSE", "CHANGELOG.md", "README.md", "aqparse/py.typed"):
        assert needed in names, needed
    assert not any("__pycache__" in n or n.endswith(".sqlite") for n in names)


def test_a_dump_of_questions_never_compiles_the_scanners_of_a_page_s_text():
    # they are the largest patterns of the tokenizer; compiled at import, they cost every
    # process a third of a second (each worker of a run, each command). A page's text, read
    # afterwards in the same process, still finds its furniture with them.
    code = (
        "import aqparse, json\n"
        "from aqparse import fixtures, tokenize as t\n"
        "page = [t._HEADER_SCAN, t._FURNITURE_SCAN, t._FURNITURE_FIRST, t._BODY_LINE]\n"
        "for name in ('qe-pending', 'copied-question-col-14-qosd-sr'):\n"
        "    q = aqparse.parse(open(f'fixtures/{name}.txt', 'rb').read())\n"
        "    expected = json.load(open(f'fixtures/{name}.json', encoding='utf-8'))\n"
        "    same = not fixtures.diff(expected, fixtures.actual(f'fixtures/{name}.txt'))\n"
        "    print(q.uid, same, [p._compiled is None for p in page])\n")
    done = _python(code)
    # the uids read off the fixtures: "Question N° 98712" (14th legislature, written) and
    # "Question N° 1453" (14th, oral without debate), the latter a page copied with its menus
    # (each record the same as its fixture's expected one)
    assert done.stdout.splitlines() == [
        "QANR5L14QE98712 True [True, True, True, True]",
        "QANR5L14QOSD1453 True [False, False, False, False]"]


def test_import_and_open_data_compile_none_of_the_text_s_large_patterns():
    # ``import aqparse`` is what every command and every worker of a run pays first: the
    # tokenizer's large patterns are compiled when a text is first read, never for a process
    # that reads open data only, which does not even import the tokenizer. Every pattern
    # compiled is seen (its length), then a text read afterwards is still read right.
    code = (
        "import re, sys\n"
        "compiled = [0]\n"
        "plain = re.compile\n"
        "def spy(pattern, flags=0):\n"
        "    compiled.append(len(str(pattern)))\n"
        "    return plain(pattern, flags)\n"
        "re.compile = spy\n"
        "import aqparse\n"
        "print('import', max(compiled), 'aqparse.tokenize' in sys.modules)\n"
        "q = aqparse.parse(open('tests/data/opendata/QANR5L16QE4242.json', 'rb').read())\n"
        "print('open data', q.uid, q.answer is None, max(compiled),\n"
        "      'aqparse.tokenize' in sys.modules)\n"
        "q = aqparse.parse(open('fixtures/qe-pending.txt', 'rb').read())\n"
        "print('text', q.uid, q.number, max(compiled) > 10000)\n")
    done = _python(code)
    lines = [line.split() for line in done.stdout.splitlines()]
    # the tokenizer's largest patterns are over 10,000 characters long; none is compiled by
    # the import or by reading a question's open data ("uid": "QANR5L16QE4242", no
    # "reponse"), and reading a text ("Question N° 98712") compiles them
    assert lines[0][0] == "import" and int(lines[0][1]) < 10000 and lines[0][2] == "False", lines
    assert lines[1][:4] == ["open", "data", "QANR5L16QE4242", "True"] and int(lines[1][4]) < 10000
    assert lines[1][5] == "False", lines
    assert lines[2] == ["text", "QANR5L14QE98712", "98712", "True"]


def test_reading_open_data_from_a_folder_imports_none_of_the_writers():
    # every file of a folder is asked whether it is one of aqparse's outputs (SQLite, Parquet,
    # CSV): that is told from its first bytes without importing the writers (``export``,
    # ``merge``, sqlite3, csv), which a process that only reads open data never needs
    code = (
        "import sys\n"
        "from aqparse.inputs import read\n"
        "found = [q.uid for q in read('tests/data/opendata')]\n"
        "print(len(found), 'QANR5L16QE4242' in found)\n"
        "print(*sorted(m for m in ('aqparse.export', 'aqparse.merge', 'sqlite3', 'csv')\n"
        "              if m in sys.modules) or ['none'])\n")
    lines = _python(code).stdout.splitlines()
    assert int(lines[0].split()[0]) > 1 and lines[0].split()[1] == "True", lines
    assert lines[1] == "none", lines


def test_a_reading_left_unfinished_closes_quietly_and_imports_no_archive_module():
    # a ``read`` generator still suspended when the interpreter exits is closed then: the
    # ``except`` clause around its ``yield`` imported the archive modules at that moment
    # ("Exception ignored … ImportError: sys.meta_path is None" on stderr)
    code = (
        "import sys\n"
        "import aqparse\n"
        "left = aqparse.read('tests/data/opendata')\n"
        "print(next(left).uid.startswith('QANR'))\n"
        "for q in aqparse.read('tests/data/opendata'):\n"
        "    break\n"
        "print(*sorted(m for m in ('lzma', 'tarfile', 'zipfile') if m in sys.modules)"
        " or ['none'])\n")
    done = _python(code)
    assert done.stdout.split() == ["True", "none"] and done.stderr == "", done.stderr


def test_a_submodule_imported_leaves_the_function_of_the_same_name_to_the_package():
    # ``aqparse.convert``, ``merge``, ``render``: functions, and submodules of the same name.
    # The package imports what it names when first asked; the import system binds a
    # submodule's name on the package when it loads it, which must not hide the function
    code = ("import aqparse.stats, aqparse.render, aqparse.merge, aqparse.cli, aqparse\n"
            "from aqparse.convert import run\n"
            "print(type(aqparse.convert).__name__, type(aqparse.merge).__name__,\n"
            "      type(aqparse.render).__name__, type(aqparse.stats).__name__,\n"
            "      aqparse.convert.__module__, 'read' in dir(aqparse), hasattr(aqparse, 'nope'))\n")
    done = _python(code)
    assert done.stdout.split() == ["function", "function", "function", "module",
                                   "aqparse.convert", "True", "False"]


def test_without_lxml_the_package_imports_reads_text_and_shows_its_help():
    # a fresh interpreter where lxml cannot be imported: ``import aqparse`` works, a text is
    # read, a page is an ``unsupported-format`` error, and help() and inspect, which ask the
    # package for every name dir() lists, do not fail on the readers that need lxml
    code = ("import sys, importlib.abc\n"
            "class NoLxml(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path, target=None):\n"
            "        if name.split('.')[0] == 'lxml':\n"
            "            raise ModuleNotFoundError(name, name=name)\n"
            "sys.meta_path.insert(0, NoLxml())\n"
            "import inspect, pydoc, aqparse\n"
            "names = dict(inspect.getmembers(aqparse))\n"
            "print('html' in names, 'stats' in names, len(pydoc.render_doc(aqparse)) > 0)\n"
            "print(aqparse.parse(open('fixtures/qe-pending.txt', 'rb').read()).number)\n"
            "try:\n"
            "    aqparse.parse('<html><body><p>x</p></body></html>')\n"
            "except aqparse.ParseError as error:\n"
            "    print(error.code)\n")
    done = _python(code)
    # fixtures/qe-pending.txt: "Question N° 98712"
    assert done.stdout.split() == ["False", "True", "True", "98712", "unsupported-format"]


def test_with_an_lxml_that_fails_to_import_the_package_shows_its_help(tmp_path):
    # an lxml that is found but does not import (its libxml2 missing, a wheel of another
    # Python, a folder an uninstall left): as without lxml, the readers that need it are not
    # listed, help() and inspect work, and a page says it is not supported, naming the input
    broken = tmp_path / "lxml"
    broken.mkdir()
    (broken / "__init__.py").write_text("")
    (broken / "etree.py").write_text("raise ImportError('libxml2.so.2: cannot open')\n")
    code = ("import inspect, pydoc, aqparse\n"
            "names = dict(inspect.getmembers(aqparse))\n"
            "print('html' in names, 'acteurs' in names, len(pydoc.render_doc(aqparse)) > 0)\n"
            "try:\n"
            "    aqparse.parse('<html><body><p>x</p></body></html>', path='p.html')\n"
            "except aqparse.ParseError as error:\n"
            "    print(error.code, error.path)\n")
    done = _python(code, env=dict(os.environ, PYTHONPATH=str(tmp_path)))   # (after ROOT)
    # acteurs needs no lxml: it is listed
    assert done.stdout.split() == ["False", "True", "True", "unsupported-format", "p.html"]


def test_the_lazy_package_lists_lends_and_takes_names_as_an_eager_one_did():
    # a fresh interpreter, nothing imported but the package: dir() lists the submodules the
    # docs name (tab completion), a dotted name is no attribute, a module a user assigns
    # to a function's name is kept (only the import system's own binding is not), and the
    # text path's names are still found where they were (``aqparse.api.text_units``)
    code = ("import aqparse, types\n"
            "print(sorted({'stats', 'diff', 'export', 'errors', 'records', 'fixtures', 'text'}\n"
            "             - set(dir(aqparse))), hasattr(aqparse, 'no.such'))\n"
            "fake = types.ModuleType('fake'); aqparse.render = fake\n"
            "from aqparse.api import text_units, UNIT_CHARS\n"
            "import aqparse.text\n"
            "print(aqparse.render is fake, text_units is aqparse.text.text_units, UNIT_CHARS)\n")
    done = _python(code)
    assert done.stdout.split() == ["[]", "False", "True", "True", str(1 << 20)]


def test_a_worker_of_a_parallel_run_is_made_ready_for_text_before_its_first_unit(monkeypatch,
                                                                                  tmp_path):
    # a worker's first text compiles the tokenizer's patterns: the pool gives each worker a
    # warm-up task at its start, while the parent still looks through its first dump
    from aqparse import pool

    submitted = []

    class Recording:
        def __init__(self, jobs, **options):
            self.jobs = jobs

        def submit(self, function, *args):
            submitted.append(function.__name__)

        def shutdown(self, **options):
            pass

    monkeypatch.setattr(pool, "ProcessPoolExecutor", Recording)
    # as many as asked, at most one a worker; none unless asked (a small run starts the
    # workers it needs when it needs them: 16 workers started for one small file took 6 s)
    for asked, warmed in ((5, 3), (1, 1), (0, 0)):
        submitted.clear()
        assert list(pool._results(iter(()), 3, None, 500, asked)) == []
        assert submitted == ["warm"] * warmed
    # asked for by convert for the large files named (the parent looks through them first),
    # a unit's worth of them each; not for small files, folders or stdin
    from aqparse.convert import _warm_ups
    from aqparse.units import Sizes

    sizes = Sizes(split_above=1000, chunk_chars=1000)
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_bytes(b"x" * 1000)
    large.write_bytes(b"x" * 2500)
    assert _warm_ups([str(small), str(tmp_path), "-"], sizes) == 0
    assert _warm_ups([str(large)], sizes) == 3 and _warm_ups([str(large)] * 2, sizes) == 6
    # the warm-up compiles what a plain question needs, not a page's scanners, and leaves no
    # trace: its record is read right (nothing else runs in that process)
    code = (
        "from aqparse import tokenize as t, work\n"
        "page = [t._HEADER_SCAN, t._FURNITURE_SCAN, t._FURNITURE_FIRST, t._BODY_LINE]\n"
        "before = len(t._COMPILED)\n"
        "work.warm()\n"
        "print(before, len(t._COMPILED) > 0, [p._compiled is None for p in page])\n")
    done = _python(code)
    assert done.stdout.split() == ["0", "True", "[True,", "True,", "True,", "True]"]


def test_the_patterns_compiled_when_first_used_copy_and_pickle_as_patterns():
    import copy
    import pickle

    from aqparse import tokenize

    text = "Accueil\n Aller au contenu\nQuestion N° 12\n"
    for lazy in (tokenize._FURNITURE_SCAN, tokenize._HEADER_SCAN):
        found = lazy.search(text)
        for other in (copy.copy(lazy), copy.deepcopy(lazy), pickle.loads(pickle.dumps(lazy))):
            assert other.pattern == lazy.pattern and other.flags == lazy.flags
            m = other.search(text)
            assert (m.span(), m.lastgroup) == (found.span(), found.lastgroup)
