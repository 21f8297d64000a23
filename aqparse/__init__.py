"""aqparse: Assemblée nationale parliamentary questions (QE, QOSD, QG) into typed records.

    parse(text_or_bytes)        -> Question        one question (text, HTML page, open data)
    parse_many(text_or_bytes)   -> Iterator[Question]   a dump of many
    read(path)                  -> Iterator[Question]   a file, folder or archive
    render(question)            -> str             the canonical text layout
    Question.to_dict() / Question.from_dict()      the JSON form
    ParseError                                     bad input: path, line, excerpt
    InternalError (a ParseError)                   a bug of aqparse met on some input
    UsageError                                     a bad argument to convert / stats
    merge(records)              -> List[Question]  one record per uid, field by field
    convert(inputs, output)     -> Summary         folders / archives to JSONL, CSV, Parquet, SQLite
    to_dataframe(records)       -> pandas.DataFrame  the flat columns, for notebooks
"""

from .api import parse, parse_many, sniff
from .convert import convert
from .errors import InternalError, ParseError, UsageError
from .inputs import read
from .merge import merge
from .records import (Attribution, Author, Closure, Defect, Erratum, Ministry, Publication, Question,
                      Renewal, Signalement, Source, Withdrawal)
from .render import render
from .export import to_dataframe

__version__ = "0.1.0"
__all__ = ["parse", "parse_many", "read", "render", "sniff", "ParseError", "Question", "Author",
           "Ministry", "Attribution", "Publication", "Signalement", "Renewal", "Erratum",
           "Withdrawal", "Closure", "Defect", "Source", "convert", "to_dataframe", "UsageError", "merge", "InternalError"]
