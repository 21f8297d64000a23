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
from typing import TYPE_CHECKING

from . import diff, errors, export, fixtures, records, stats
from .api import parse, parse_many, sniff
from .convert import convert
from .errors import InternalError, ParseError, UsageError
from .export import to_dataframe
from .inputs import read
from .merge import merge
from .records import (Attribution, Author, Closure, Defect, Erratum, Ministry, Publication, Question,
                      Renewal, Signalement, Source, Withdrawal)
from .render import render
from .schema import json_schema

if TYPE_CHECKING:     # imported when first used (they need lxml): see __getattr__
    from . import acteurs, html, markup, opendata

__version__ = "0.1.0"
__all__ = ["parse", "parse_many", "read", "render", "sniff", "ParseError", "Question", "Author",
           "Ministry", "Attribution", "Publication", "Signalement", "Renewal", "Erratum",
           "Withdrawal", "Closure", "Defect", "Source", "convert", "to_dataframe", "UsageError",
           "merge", "InternalError", "json_schema"]

# the readers that need lxml are imported on first use, so that ``import aqparse`` works (and
# reads text) where lxml is missing: a page is then an ``unsupported-format`` error
_LAZY = frozenset({"acteurs", "html", "markup", "opendata"})


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'aqparse' has no attribute {name!r}")
