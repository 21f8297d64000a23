"""Inputs: files, folders, globs, zip and tar archives, stdin — as a stream of documents.

A ``Document`` is opened only when it is read, so a folder or an archive of any size is walked
with flat memory; a large text dump is read in chunks and cut between questions.
"""

import glob
import io
import os
import sys
import tarfile
import zipfile
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Union

import attrs

from .api import parse_many, sniff
from .decode import decode, incremental_decoder, repair_mojibake
from .errors import ParseError
from .extract import extract, raise_for
from .records import Question, Source
from .tokenize import split_questions, tokenize

STREAM_THRESHOLD = 8 << 20     # text files larger than this are read in chunks
CHUNK = 4 << 20
_SKIP_NAMES = (".DS_Store", "Thumbs.db")
_STREAMED_FORMATS = ("opendata-json", "opendata-xml", "legacy-xml")


@attrs.frozen
class Document:
    """One input file: ``name`` (a path, or ``archive.zip!member``) and how to open it."""

    name: str
    opener: Callable[[], BinaryIO] = attrs.field(repr=False)
    size: Optional[int] = None

    def read(self) -> bytes:
        with self.opener() as stream:
            return stream.read()


def _is_archive(path: str) -> bool:
    lower = path.lower()
    return lower.endswith((".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"))


def _skip(name: str) -> bool:
    base = os.path.basename(name.rstrip("/"))
    return not base or base.startswith(".") or base in _SKIP_NAMES or base.startswith("__MACOSX")


def _zip_documents(path: str) -> Iterator[Document]:
    # One archive open for the whole walk: opening it again for each member re-reads its
    # central directory every time, which is quadratic on an archive of many files. A document
    # opened once the walk is over opens the archive again for itself.
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir() or _skip(info.filename) or "__MACOSX/" in info.filename:
                continue
            yield Document(f"{path}!{info.filename}",
                           lambda info=info: (archive.open(info) if archive.fp is not None
                                              else _ZipMember(path, info)), info.file_size)


class _ZipMember(io.BufferedIOBase):
    """A zip member that closes its archive with it (so documents can be opened lazily)."""

    def __init__(self, path, info):
        self._archive = zipfile.ZipFile(path)
        self._member = self._archive.open(info)

    def read(self, size=-1):
        return self._member.read(size)

    def readable(self):
        return True

    def close(self):
        self._member.close()
        self._archive.close()
        super().close()


def _tar_documents(path: str) -> Iterator[Document]:
    # tar members can only be read in order: read each member while the archive is open
    with tarfile.open(path) as archive:
        for member in archive:
            if not member.isfile() or _skip(member.name):
                continue
            data = archive.extractfile(member).read()
            yield Document(f"{path}!{member.name}", lambda data=data: io.BytesIO(data), len(data))


def _dir_documents(path: str) -> Iterator[Document]:
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not _skip(d))
        for name in sorted(files):
            if not _skip(name):
                yield from documents(os.path.join(root, name))


def documents(path: Union[str, os.PathLike]) -> Iterator[Document]:
    """The documents under ``path``: a file, a folder (walked in sorted order), a zip or tar
    archive, a glob pattern, or ``-`` for stdin. A missing path raises ``FileNotFoundError``."""
    path = os.fspath(path)
    if path == "-":
        data = sys.stdin.buffer.read()
        yield Document("<stdin>", lambda: io.BytesIO(data), len(data))
    elif os.path.isdir(path):
        yield from _dir_documents(path)
    elif os.path.isfile(path):
        if zipfile.is_zipfile(path) and path.lower().endswith(".zip"):
            yield from _zip_documents(path)
        elif _is_archive(path) and tarfile.is_tarfile(path):
            yield from _tar_documents(path)
        else:
            yield Document(path, lambda: open(path, "rb"), os.path.getsize(path))
    elif glob.has_magic(path):
        matches = sorted(glob.glob(path, recursive=True))
        if not matches:
            raise FileNotFoundError(f"{path}: no file matches this pattern")
        for match in matches:
            yield from documents(match)
    else:
        raise FileNotFoundError(f"{path}: no such file or directory")


def parse_document(doc: Document, *, strict: bool = False) -> Iterator[Question]:
    """The questions of one document; a large text dump is streamed in chunks."""
    if doc.size is not None and doc.size > STREAM_THRESHOLD:
        with doc.opener() as stream:
            head = stream.read(65536)
            fmt = sniff(decode(head[:4096] + b" ", path=doc.name))
            if fmt == "text":
                yield from _stream_text(head, stream, doc.name, strict)
                return
            if fmt in _STREAMED_FORMATS:   # open-data dumps: one question in memory at a time
                from .opendata import parse_stream

                yield from parse_stream(stream, fmt, head=head, path=doc.name, strict=strict)
                return
            data = head + stream.read()
    else:
        data = doc.read()
    yield from parse_many(data, path=doc.name, strict=strict)


def _stream_text(head: bytes, stream: BinaryIO, path: str, strict: bool) -> Iterator[Question]:
    decoder = incremental_decoder(head)
    buffer, offset, line = "", 0, 1
    pending = head
    found = False
    while True:
        block = pending if pending is not None else stream.read(CHUNK)
        pending = None
        final = not block
        buffer += decoder.decode(block, final=final)
        if not final:
            cut = buffer.rfind("\n")       # hold back a partial line (and a split mojibake)
            if cut < 0 or len(buffer) < CHUNK:
                continue
            ready, rest = buffer[:cut + 1], buffer[cut + 1:]
        else:
            ready, rest = buffer, ""
        ready = repair_mojibake(ready)
        groups = list(split_questions(tokenize(ready, offset=offset, first_line=line)))
        keep = groups if final else groups[:-1]
        for group in keep:
            found = True
            yield _extract(group, ready, offset, line, path, strict)
        if final:
            break
        if keep:   # carry the last, perhaps incomplete, question into the next round
            cut_at = groups[-1][0].start - offset
            line += ready.count("\n", 0, cut_at)
            offset += cut_at
            buffer = ready[cut_at:] + rest
        else:
            buffer = ready + rest
    if not found:
        raise ParseError("not a parliamentary question: no 'Question N°' and no header labels "
                         "found", path=path, line=1)


def _extract(group, text, offset, first_line, path, strict) -> Question:
    source = Source(format="text", layout="text", path=path, line=group[0].line)
    record = extract(group, text, source=source, first_line=first_line)
    if strict and record.defects:
        raise_for(record, text, first_line)
    return record


def read(path: Union[str, os.PathLike], *, strict: bool = False,
         on_error: Optional[Callable[[str, ParseError], None]] = None) -> Iterator[Question]:
    """Every question under ``path`` (file, folder, archive, glob, ``-``), in order.

    A document that cannot be parsed raises ``ParseError``, unless ``on_error(name, error)``
    is given: then it is called and reading goes on with the next document.
    """
    for doc in documents(path):
        try:
            yield from parse_document(doc, strict=strict)
        except ParseError as error:
            if on_error is None:
                raise
            on_error(doc.name, error)


def read_all(paths: Iterable[Union[str, os.PathLike]], **options) -> Iterator[Question]:
    for path in paths:
        yield from read(path, **options)
