"""schema: the JSON Schema of a record's JSON form (``Question.to_dict()``), generated from the
attrs classes of ``records``, so that users in other languages can check what they receive.

Each field's type comes from its annotation (``TYPES``: str, int, dates as ISO strings; a nested
record is an object of its own, under ``$defs``; a tuple is an array); the fields whose value
is one of a closed list get an ``enum`` (``ENUMS``). Every key is required (``to_dict`` writes
them all, ``null`` for missing). Keys the schema does not list are allowed: a newer aqparse
may add fields (never rename them), and a consumer keeping this schema still accepts them.
``json_schema(strict=True)`` forbids them, to check that the schema describes every key.
"""

import datetime as _dt
import typing
from typing import Any, Dict, Optional

import attrs

from . import records
from .records import Question

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# the JSON type of each scalar annotation
TYPES: Dict[Any, Dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    _dt.date: {"type": "string", "format": "date"},
}

# (class, field) → the values it takes (the validators of ``records`` hold the same tuples)
ENUMS = {
    (records.Question, "kind"): records.KINDS,
    (records.Question, "status"): records.STATUSES,
    (records.Erratum, "target"): records.ERRATUM_TARGETS,
    (records.Source, "format"): records.FORMATS,
    (records.Author, "name_from"): records.NAME_FROM,
}


def _optional(tp) -> Optional[Any]:
    """X for ``Optional[X]``, else None."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) is typing.Union and len(args) == 2 and type(None) in args:
        return next(a for a in args if a is not type(None))
    return None


def _type_of(tp, defs: Dict[str, dict], strict: bool) -> Dict[str, Any]:
    inner = _optional(tp)
    if inner is not None:
        given = _type_of(inner, defs, strict)
        if isinstance(given.get("type"), str):     # a scalar: "type": ["string", "null"]
            return dict(given, type=[given["type"], "null"])
        return {"anyOf": [given, {"type": "null"}]}
    if attrs.has(tp):
        _define(tp, defs, strict)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    origin = typing.get_origin(tp)
    if origin is tuple:        # records hold tuples; their JSON form, lists
        return {"type": "array", "items": _type_of(typing.get_args(tp)[0], defs, strict)}
    if origin is dict or tp is dict:
        args = typing.get_args(tp)
        values = _type_of(args[1], defs, strict) if args else {}
        return {"type": "object", "additionalProperties": values}
    if tp in TYPES:
        return dict(TYPES[tp])
    raise TypeError(f"no JSON Schema type for the annotation {tp!r}")


def _field(cls, f: attrs.Attribute, defs: Dict[str, dict], strict: bool) -> Dict[str, Any]:
    out = _type_of(f.type, defs, strict)
    choices = ENUMS.get((cls, f.name))
    if choices is not None:
        out["enum"] = list(choices) + ([None] if _optional(f.type) is not None else [])
    return out


def _define(cls, defs: Dict[str, dict], strict: bool) -> Dict[str, Any]:
    """The object schema of an attrs class (added to ``defs`` once)."""
    if cls.__name__ in defs:
        return defs[cls.__name__]
    body: Dict[str, Any] = {"type": "object", "title": cls.__name__}
    defs[cls.__name__] = body          # before the fields: a class may nest itself
    if cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("):   # attrs' default doc
        body["description"] = " ".join(cls.__doc__.split())
    fields = attrs.fields(cls)
    body["properties"] = {f.name: _field(cls, f, defs, strict) for f in fields}
    body["required"] = [f.name for f in fields]
    body["additionalProperties"] = not strict
    return body


def json_schema(strict: bool = False) -> Dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one record in its JSON form, as ``aqparse parse
    --format jsonl`` and JSONL output write it. ``strict``: no key beyond the record's fields
    (a record of this version of aqparse, exactly)."""
    from . import __version__

    defs: Dict[str, dict] = {}
    top = dict(_define(Question, defs, strict))
    del defs["Question"]
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "aqparse question record",
        "description": ("One parliamentary question of the French Assemblée nationale in "
                        f"aqparse's JSON form (aqparse {__version__}): ISO dates, lists, null "
                        "for missing. Fields may be added in later versions, never renamed."),
        **{k: v for k, v in top.items() if k != "title"},
        "$defs": dict(sorted(defs.items())),
    }
