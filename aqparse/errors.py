"""The one exception aqparse raises for bad input, and the table of every code it uses.

Codes are a stable contract: a code is never renamed nor given another meaning; new ones may be
added. ``CODES`` lists each, with what it means, an input that gives it, and what the record
then holds (for a defect) or what happens (for an error). The README shows this table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple, Optional, Union

if TYPE_CHECKING:      # (records do not import this module, but decode does)
    from .records import Question


class Code(NamedTuple):
    code: str
    kind: str          # "defect": on a record, which is still given; "error": a ParseError
    meaning: str
    example: str
    then: str


CODES = (
    # -- defects: the record is given, and says what went wrong ---------------------------------
    Code("missing-number", "defect", "no question number found",
         "a text without its `Question N°` line", "`number` and `uid` null"),
    Code("missing-kind", "defect", "no kind (QE, QOSD, QG) found",
         "a text without its `Question écrite` line", "`kind` and `uid` null"),
    Code("missing-legislature", "defect", "no legislature found",
         "a text without its `15ème législature` line", "`legislature` and `uid` null"),
    Code("bad-number", "defect", "a number that is not one",
         "`Question N° douze`; open data `numero: \"12a\"`",
         "the field null; the value kept in `extra`"),
    Code("spaced-number", "defect", "a question number grouped by thousands, read whole",
         "`Question N° 23 817`", "`number` 23817"),
    Code("missing-date", "defect", "a dated label without its date",
         "`Question publiée au JO le : page : 12`", "the date null; the value kept in `extra`"),
    Code("bad-date", "defect", "a date that does not exist or cannot be read",
         "`Question publiée au JO le : 31/02/2014`", "the date null; the value kept in `extra`"),
    Code("bad-page", "defect", "a JO page that is not a number",
         "`… page : xii`", "the page null; the value kept in `extra`"),
    Code("bad-withdrawal", "defect", "a withdrawal with unpaired parentheses",
         "`Question retirée le : 20/06/2017 (fin de mandat`", "the withdrawal as read"),
    Code("bad-value", "defect", "a structured value of the wrong shape (open data, records)",
         "open data `\"rubrique\": {\"a\": 1}`", "the field null; the value kept in `extra`"),
    Code("unknown-kind", "defect", "a kind that is not QE, QOSD or QG",
         "open data `\"type\": \"QX\"`", "`kind` null; the value kept in `extra`"),
    Code("unknown-label", "defect", "a header label aqparse does not know",
         "`Couleur > bleue` among the labels", "the value kept in `extra` under its label"),
    Code("unknown-field", "defect", "a member of open data or of a record that is no field",
         "open data `\"couleur\": \"bleue\"`", "the value kept in `extra`"),
    Code("unlabelled-text", "defect", "text under no label (not furniture of the site)",
         "a stray line between two header labels", "the text kept in `extra['(unlabelled)']`"),
    Code("duplicate-label", "defect", "a label given twice with different values",
         "`Rubrique >` twice", "the first value; the second kept in `extra`"),
    Code("uid-mismatch", "defect", "an open-data uid that contradicts the number",
         "`uid QANR5L16QE1` with `numero 2`", "the file's uid"),
    Code("hidden-mismatch", "defect", "an old page's hidden codes contradict its text",
         "codes saying answered on a page without answer", "the text's values"),
    Code("unnamed-author", "defect", "open data whose text names no author (never guessed)",
         "a debate holding only a heckle and the answer", "`author.name` null"),
    Code("unknown-acteur", "defect", "`--acteurs`: the author's acteurRef is not in the archive",
         "an archive of another legislature", "the author as the source gives it"),
    Code("source-conflict", "defect", "two sources of one question disagree (merge)",
         "a page and its open data with two rubriques", "the value of the record that comes "
                                                        "first; both named in the message"),
    Code("internal-error", "defect", "a bug of aqparse on one label (please report it)",
         "—", "the value kept in `extra`"),
    # -- errors: a ParseError, no record; convert and read(on_error=…) go on with the rest ---------
    Code("not-a-question", "error", "the input holds no question", "an empty page, a CSV",
         "the input goes to the errors"),
    Code("trailing-text", "error", "text after the last question that is no question",
         "a dump ending in a signature", "the questions before are given; the text is reported"),
    Code("many-questions", "error", "`parse()` of an input holding several", "a dump",
         "use `parse_many()`"),
    Code("empty", "error", "an empty input", "a 0-byte file, blank lines", "reported"),
    Code("binary", "error", "bytes that are no text", "a PDF, an image (NUL bytes)",
         "reported"),
    Code("unsupported-format", "error", "a format whose parser this installation lacks",
         "HTML without lxml installed", "reported"),
    Code("bad-html", "error", "a page that cannot be read", "elements nested 10,000 deep",
         "reported"),
    Code("bad-json", "error", "JSON that is not well-formed", "a file cut short", "reported"),
    Code("bad-xml", "error", "XML that is not well-formed, or names an external entity",
         "`<!ENTITY x SYSTEM \"file:///etc/passwd\">`", "reported; nothing fetched"),
    Code("bad-record", "error", "a record in aqparse's JSON form that is not valid",
         "a status that contradicts the answer", "reported"),
    Code("io-error", "error", "a file or an archive member that cannot be read",
         "a corrupt zip member", "reported; the rest is read"),
    Code("question-too-long", "error", "a question longer than `--max-question-chars`",
         "a 2 GiB line without a label", "cut there; the cut is reported"),
    Code("unwritable-value", "error", "`convert`: a value the output format cannot hold",
         "an integer beyond 64 bits for Parquet", "the record goes to the errors"),
    Code("internal-error", "error", "a bug of aqparse met on an input (`InternalError`)", "—",
         "reported with the input and the place; the rest is read"),
)


class ParseError(ValueError):
    """Input that is not a question, or a defect under ``strict=True``.

    Carries where it happened: ``path`` (when known), 1-based ``line`` (when known),
    a defect ``code`` and a short ``excerpt`` of the offending input.
    """

    def __init__(self, message: str, *, code: str = "not-a-question", path: Optional[str] = None,
                 line: Optional[int] = None, excerpt: Optional[str] = None):
        self.message = message
        self.code = code
        self.path = path
        self.line = line
        self.excerpt = excerpt
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.message} [{self.code}]"
        if self.excerpt:
            text += f": {self.excerpt!r}"
        return text

    def __reduce__(self):  # picklable across worker processes
        return (_rebuild, (type(self), self.message, self.code, self.path, self.line,
                           self.excerpt))


class InternalError(ParseError):
    """A bug of aqparse met on some input, not bad input: it says the input and the place
    (code ``internal-error``), like any ``ParseError``, so that a batch goes on past it, but
    tests and fuzzing tell it apart and fail on it. Please report it with the input."""

    def __init__(self, message: str, *, code: str = "internal-error", **where):
        super().__init__(message, code=code, **where)


class UsageError(ValueError):
    """A bad argument (a missing input, an unwritable output, an unknown format): found before
    any work is done, reported in one line; exit status 2 on the command line."""


def _rebuild(cls, message, code, path, line, excerpt):
    return cls(message, code=code, path=path, line=line, excerpt=excerpt)


def raising(items: Iterable[Union[Question, ParseError]]) -> Iterator[Question]:
    """The questions of ``items``, its first ``ParseError`` raised: a reader that goes on
    past a bad part (a line of JSON lines) gives it among its records, and a caller without
    ``on_error`` stops there as at any error."""
    for item in items:
        if isinstance(item, ParseError):
            raise item
        yield item


# -- the strict policy: a record's first defect as the ParseError it is under strict=True -------

def line_of(text: str, first_line: int, line: int) -> Optional[str]:
    """The text of ``line`` in ``text`` (whose first line is ``first_line``)."""
    from .decode import unify_breaks   # (decode imports this module)

    text = unify_breaks(text)   # lines are counted as the tokenizer counts them
    pos = 0
    for _ in range(line - first_line):
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return None
    end = text.find("\n", pos)
    return text[pos:] if end < 0 else text[pos:end]


def defect_error(record: Question, text: Optional[str] = None,
                 first_line: int = 1) -> ParseError:
    """The ``ParseError`` of the first defect of ``record``: same code, message and line, and
    an excerpt of that line when the text it was read from is given."""
    d = record.defects[0]
    line_text = None
    if text is not None and d.line is not None and d.line >= first_line:
        line_text = line_of(text, first_line, d.line)
    return ParseError(d.message, code=d.code, path=record.source.path, line=d.line,
                      excerpt=excerpt(line_text) if line_text is not None else None)


def raise_for(record: Question, text: str, first_line: int = 1) -> None:
    """Raise the ``ParseError`` of the first defect of ``record`` (``strict=True``)."""
    raise defect_error(record, text, first_line)


def excerpt(text: str, start: int = 0, width: int = 60) -> str:
    """A short one-line excerpt of ``text`` from ``start``, for messages."""
    piece = " ".join(text[start:start + width * 2].split())
    return piece[:width] + ("…" if len(piece) > width else "")
