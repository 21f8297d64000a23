"""The one exception aqparse raises for bad input."""

from typing import Optional


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


def excerpt(text: str, start: int = 0, width: int = 60) -> str:
    """A short one-line excerpt of ``text`` from ``start``, for messages."""
    piece = " ".join(text[start:start + width * 2].split())
    return piece[:width] + ("…" if len(piece) > width else "")
