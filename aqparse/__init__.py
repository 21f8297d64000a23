"""aqparse: Assemblée nationale parliamentary questions (QE, QOSD, QG) into typed records.

    parse(text_or_bytes)        -> Question        one question (text, HTML page, open data)
    parse_many(text_or_bytes)   -> Iterator[Question]   a dump of many
    read(path)                  -> Iterator[Question]   a file, folder or archive (aqparse's own
                                                        JSONL, CSV, Parquet, SQLite outputs too)
    render(question)            -> str             the canonical text layout
    Question.to_dict() / Question.from_dict()      the JSON form
    ParseError                                     bad input: path, line, excerpt
    InternalError (a ParseError)                   a bug of aqparse met on some input
    UsageError                                     a bad argument to convert / stats
    merge(records)              -> List[Question]  one record per uid, field by field
    convert(inputs, output)     -> Summary         folders / archives to JSONL, CSV, Parquet, SQLite
    to_dataframe(records)       -> pandas.DataFrame  the flat columns, for notebooks
    json_schema()               -> dict            the JSON Schema of a record's JSON form

Submodules the docs name are attributes after ``import aqparse``: ``aqparse.stats.stats``,
``aqparse.diff.compare``, ``aqparse.export.read_sqlite``, ``aqparse.errors.CODES``…
"""

import importlib
import pkgutil
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:     # for type checkers and editors; at run time see __getattr__
    # (the submodules convert, merge and render are named by their functions, below)
    from . import (acteurs, agree, api, cli, dates, decode, diff, errors, export, extract,
                   fixtures, furniture, html, inputs, layout, markup, names, opendata, pool,
                   rawtext, records, schema, stats, stopping, text, tokenize, units, work)
    from .api import parse, parse_many, sniff
    from .convert import convert
    from .errors import InternalError, ParseError, UsageError
    from .export import to_dataframe
    from .inputs import read
    from .merge import merge
    from .records import (Attribution, Author, Closure, Defect, Erratum, Ministry, Publication,
                          Question, Renewal, Signalement, Source, Withdrawal)
    from .render import render
    from .schema import json_schema

__version__ = "0.1.0"
__all__ = ["parse", "parse_many", "read", "render", "sniff", "ParseError", "Question", "Author",
           "Ministry", "Attribution", "Publication", "Signalement", "Renewal", "Erratum",
           "Withdrawal", "Closure", "Defect", "Source", "convert", "to_dataframe", "UsageError",
           "merge", "InternalError", "json_schema"]

# Everything is imported on first use: a process imports only what it runs. Reading open data
# never loads the tokenizer nor the machinery of ``convert``, and ``import aqparse`` works (and
# reads text) where lxml is missing: a page is then an ``unsupported-format`` error.
# The names of the API -> the module that defines each:
_FROM = {
    "parse": "api", "parse_many": "api", "sniff": "api", "read": "inputs", "render": "render",
    "convert": "convert", "to_dataframe": "export", "merge": "merge", "json_schema": "schema",
    "ParseError": "errors", "InternalError": "errors", "UsageError": "errors",
    **{name: "records" for name in ("Question", "Author", "Ministry", "Attribution",
                                    "Publication", "Signalement", "Renewal", "Erratum",
                                    "Withdrawal", "Closure", "Defect", "Source")},
}


def __getattr__(name: str):
    """A name of the API, or a submodule (``aqparse.stats.stats``), imported when first asked."""
    if name in _FROM:
        value = getattr(importlib.import_module(f".{_FROM[name]}", __name__), name)
    elif name.startswith("_") or not name.isidentifier():   # ("__path__", "no.such")
        raise AttributeError(f"module 'aqparse' has no attribute {name!r}")
    else:
        try:
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":      # a module it imports is missing
                raise
            raise AttributeError(f"module 'aqparse' has no attribute {name!r}") from None
    globals()[name] = value      # (asked once)
    return value


def __dir__():     # (the submodules too, as an eager import listed them: tab completion)
    names = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    if not _has_lxml():     # (those cannot be imported: help() and inspect ask for each name)
        names -= _NEED_LXML
    return sorted(set(globals()) | set(_FROM) | names)


def _has_lxml() -> bool:
    try:        # (imported, not only found: an install without its libxml2, or left half
        import lxml.etree  # noqa: F401          # removed, is found and fails to import)
    except ImportError:
        return False
    return True


_NEED_LXML = frozenset({"html", "markup", "opendata"})


class _Package(types.ModuleType):
    """The package's module. Importing a submodule binds its name on the package (the import
    system does it): ``aqparse.convert``, ``merge`` and ``render`` are submodules and functions
    of the same name, and the name stays the function's."""

    def __setattr__(self, name: str, value) -> None:
        if (name in _FROM and isinstance(value, types.ModuleType)
                and value.__name__ == f"{__name__}.{name}"):    # the submodule of that name
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
