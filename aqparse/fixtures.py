"""Golden fixtures: an input ``NAME.<ext>`` next to its expected record(s) ``NAME.json``.

``NAME`` has no dot: ``NAME.txt``, ``NAME.html``, ``NAME.xml``, ``NAME.input.json`` (an
open-data input) all pair with ``NAME.json``. A ``README.*`` in the folder describes it and is
not an input. The expected file holds one record (a JSON
object) or, for a dump, a list of records. ``source.path`` is not compared (it depends on
where the folder lives) and is written as null.
"""

import json
import os
from typing import Iterator, List, NamedTuple, Tuple

from .errors import ParseError
from .inputs import Document, parse_document


class Result(NamedTuple):
    name: str
    ok: bool
    diff: List[str]


def pairs(folder: str) -> Iterator[Tuple[str, str, str]]:
    """(name, input path, expected path) for each input in ``folder``, sorted by name."""
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if entry.startswith(".") or not os.path.isfile(path):
            continue
        name, _, ext = entry.partition(".")
        if ext == "json" or not ext or name.upper() == "README":   # the folder's own notes
            continue
        yield name, path, os.path.join(folder, name + ".json")


def actual(path: str):
    """The JSON form the parser gives for an input: one record, or a list for a dump."""
    doc = Document(path, lambda: open(path, "rb"), os.path.getsize(path))
    records = [r.to_dict() for r in parse_document(doc)]
    for record in records:
        record["source"]["path"] = None
    return records[0] if len(records) == 1 else records


def flatten(value, prefix: str = "") -> dict:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else key))
        return out or {prefix: {}}
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{i}]"))
        return out or {prefix: []}
    return {prefix: value}


def show(value) -> str:
    """A value as JSON on one line, cut after 60 characters when longer than 90 (fixture
    diffs and ``aqparse diff``)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 90 else text[:60] + f"…({len(text)} chars)"


def first_difference(x: str, y: str) -> str:
    """Where two texts part: ``first difference at character 9: "e l'eau" vs 'u gaz'``."""
    i = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
    return f"first difference at character {i}: {x[i:i + 30]!r} vs {y[i:i + 30]!r}"


def diff(expected, got) -> List[str]:
    """One readable line per field that differs, by its path in the record."""
    if isinstance(expected, dict) and isinstance(expected.get("source"), dict):
        expected = dict(expected, source=dict(expected["source"], path=None))
    if isinstance(expected, list):
        expected = [dict(e, source=dict(e.get("source") or {}, path=None)) for e in expected]
    a, b = flatten(expected), flatten(got)
    lines = []
    for key in sorted(set(a) | set(b), key=lambda k: (k.split(".")[0], k)):
        if key not in b:
            lines.append(f"{key}: expected {show(a[key])}, missing")
        elif key not in a:
            lines.append(f"{key}: not expected, got {show(b[key])}")
        elif a[key] != b[key]:
            x, y = a[key], b[key]
            where = ""
            if isinstance(x, str) and isinstance(y, str):
                where = f" ({first_difference(x, y)})"
            lines.append(f"{key}: expected {show(x)}, got {show(y)}{where}")
    return lines


def check(folder: str) -> List[Result]:
    results = []
    for name, path, expected_path in pairs(folder):
        try:
            got = actual(path)
        except ParseError as error:
            results.append(Result(name, False, [f"parse error: {error}"]))
            continue
        if not os.path.exists(expected_path):
            results.append(Result(name, False, [f"no expected file {expected_path}"]))
            continue
        with open(expected_path, encoding="utf-8") as f:
            expected = json.load(f)
        lines = diff(expected, got)
        results.append(Result(name, not lines, lines))
    return results


def update(folder: str) -> Iterator[Tuple[str, str]]:
    """Rewrite every expected file from the parser, for a human to review; gives (name,
    outcome): "updated", "unchanged", or "not updated: <error>" for an input that does not
    parse (its expected file is left as it is, and the others are still updated)."""
    for name, path, expected_path in pairs(folder):
        try:
            text = json.dumps(actual(path), ensure_ascii=False, indent=2) + "\n"
        except ParseError as error:
            yield name, f"not updated: {error}"
            continue
        old = None
        if os.path.exists(expected_path):
            with open(expected_path, encoding="utf-8") as f:
                old = f.read()
        if old != text:
            with open(expected_path, "w", encoding="utf-8") as f:
                f.write(text)
        yield name, "updated" if old != text else "unchanged"
