"""The JSON Schema of the record (``aqparse schema``, ``aqparse.json_schema()``), generated from
the attrs classes: every fixture's record, expected and parsed, is valid against it, and a
record that breaks the contract is not."""

import copy
import json
from pathlib import Path

import attrs
import pytest

import aqparse
from aqparse import records

ROOT = Path(__file__).resolve().parents[1]


def _expected_records():
    """The expected side of every fixture pair of the project (one record, or a list)."""
    for path in sorted(ROOT.glob("fixtures/**/*.json")) + sorted(ROOT.glob("tests/data/pairs/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for i, record in enumerate(data if isinstance(data, list) else [data]):
            if records.looks_like_record(record):
                yield f"{path.relative_to(ROOT)}[{i}]", record


def _parsed_records():
    """What the parser gives for every input of the fixtures and of the test data."""
    for folder in ("fixtures", "tests/data", "tests/fixtures"):
        for q in aqparse.read(ROOT / folder):
            yield f"{q.source.path}:{q.source.line}", q.to_dict()


EXPECTED = list(_expected_records())
PARSED = list(_parsed_records())


def test_there_are_records_to_check():
    assert len(EXPECTED) >= 50 and len(PARSED) >= 60


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = aqparse.json_schema(strict=True)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize("where, record", EXPECTED + PARSED, ids=[w for w, _ in EXPECTED + PARSED])
def test_every_fixture_record_is_valid(validator, where, record):
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]
    assert errors == []


@pytest.mark.parametrize("change, where", [
    (lambda r: r.update(status="closed"), "status"),
    (lambda r: r.update(kind="QX"), "kind"),
    (lambda r: r["question"].update(date="12/03/2019"), "question/date"),
    (lambda r: r["question"].update(page="2301"), "question/page"),
    (lambda r: r.update(analyses="eau"), "analyses"),
    (lambda r: r["attributions"][0].update(ministry="Logement"), "attributions/0/ministry"),
    (lambda r: r["extra"].update({"Humeur": 3}), "extra/Humeur"),
    (lambda r: r.pop("defects"), ""),
    (lambda r: r["author"].update(surnom="Claire"), "author"),      # strict: no other key
])
def test_a_record_that_breaks_the_contract_is_invalid(validator, change, where):
    import dumps

    record = aqparse.parse(dumps.KNOWN).to_dict()
    assert list(validator.iter_errors(record)) == []
    broken = copy.deepcopy(record)
    change(broken)
    from jsonschema.exceptions import best_match

    error = best_match(validator.iter_errors(broken))     # the deepest error, under anyOf too
    assert error is not None and "/".join(map(str, error.absolute_path)) == where


def test_a_key_a_newer_aqparse_adds_is_allowed_unless_strict():
    schema = aqparse.json_schema()
    assert schema["additionalProperties"] is True
    assert aqparse.json_schema(strict=True)["additionalProperties"] is False


def _classes(cls, seen):
    if cls in seen:
        return
    seen.add(cls)
    for f in attrs.fields(cls):
        for arg in (f.type, *getattr(f.type, "__args__", ())):
            for inner in (arg, *getattr(arg, "__args__", ())):
                if attrs.has(inner):
                    _classes(inner, seen)


def test_the_schema_has_every_field_of_every_record_class_and_nothing_else():
    # without jsonschema too: the schema follows the classes, field by field
    schema = aqparse.json_schema()
    seen = set()
    _classes(records.Question, seen)
    assert set(schema["$defs"]) == {c.__name__ for c in seen} - {"Question"}
    for cls in seen:
        body = schema if cls is records.Question else schema["$defs"][cls.__name__]
        assert list(body["properties"]) == [f.name for f in attrs.fields(cls)]
        assert body["required"] == [f.name for f in attrs.fields(cls)]
    # the forms the JSON takes, read off a record: dates ISO strings, pages integers
    assert schema["properties"]["legislature"] == {"type": ["integer", "null"]}
    assert schema["$defs"]["Publication"]["properties"]["date"] == {
        "type": ["string", "null"], "format": "date"}
    assert schema["properties"]["kind"]["enum"] == ["QE", "QOSD", "QG", None]
    assert schema["properties"]["source"] == {"$ref": "#/$defs/Source"}
