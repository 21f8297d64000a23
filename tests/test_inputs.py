"""Reading inputs: folders, archives, globs, and large dumps streamed in chunks."""

import io
import json
import os
import sys
import tarfile
import zipfile

import pytest

import aqparse

QUESTION = """\
14ème législature

Question N° {n}
de M. Paul Ricard (Les Républicains - Var )
Question écrite
Ministère interrogé > Défense
Ministère attributaire > Défense
Question publiée au JO le : 07/01/2014 page : 18
Texte de la question

M. Paul Ricard interroge M. le ministre de la défense (question {n}).
"""


def dump(count, start=1):
    return "\n".join(QUESTION.format(n=n) for n in range(start, start + count))


def test_large_dump_streamed_in_chunks_gives_the_same_records(tmp_path):
    text = dump(300)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="cp1252")
    # streamed above 1000 bytes, in parts of 2048 characters: cuts fall inside questions
    streamed = list(aqparse.read(path, stream_above=1000, chunk=2048))
    whole = list(aqparse.parse_many(text, path=str(path)))
    assert [q.number for q in streamed] == list(range(1, 301))
    assert [q.to_dict() for q in streamed] == [q.to_dict() for q in whole]
    assert streamed[-1].source.line == whole[-1].source.line == 1 + 299 * 12


def test_folder_zip_tar_and_glob(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(dump(2, 1), encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(dump(1, 3), encoding="utf-8")
    (folder / ".hidden.txt").write_text("ignored", encoding="utf-8")
    assert [q.number for q in aqparse.read(folder)] == [1, 2, 3]

    archive = tmp_path / "questions.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x/1.txt", dump(1, 10))
        z.writestr("x/2.txt", dump(1, 11))
    records = list(aqparse.read(archive))
    assert [q.number for q in records] == [10, 11]
    assert records[0].source.path == f"{archive}!x/1.txt"

    tarball = tmp_path / "questions.tar.gz"
    with tarfile.open(tarball, "w:gz") as t:
        data = dump(1, 20).encode()
        info = tarfile.TarInfo("q/20.txt")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    assert [q.number for q in aqparse.read(tarball)] == [20]

    assert [q.number for q in aqparse.read(str(folder / "*.txt"))] == [1, 2]


def test_read_reports_bad_documents_and_goes_on(tmp_path):
    (tmp_path / "1.txt").write_text(dump(1, 1), encoding="utf-8")
    (tmp_path / "2.txt").write_text("pas une question", encoding="utf-8")
    (tmp_path / "3.txt").write_text(dump(1, 3), encoding="utf-8")
    with pytest.raises(aqparse.ParseError):
        list(aqparse.read(tmp_path))
    failed = []
    records = list(aqparse.read(tmp_path, on_error=lambda name, error: failed.append(name)))
    assert [q.number for q in records] == [1, 3]
    assert failed == [str(tmp_path / "2.txt")]


def test_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(aqparse.read(tmp_path / "nope.txt"))


def _corrupt_zip(path, good, bad_name):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", good)
        z.writestr(bad_name, dump(1, 2))
        z.writestr("c.txt", dump(1, 3))
    data = bytearray(path.read_bytes())
    # flip a byte of the second member's data: its CRC no longer matches
    at = data.find(b"Paul Ricard interroge", data.find(bad_name.encode()))
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def test_unreadable_files_and_corrupt_archives_never_stop_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "1.txt").write_text(dump(1, 1), encoding="utf-8")
    (folder / "2-broken-link.txt").symlink_to(tmp_path / "nowhere.txt")
    _corrupt_zip(folder / "3.zip", dump(1, 31), "b.txt")
    whole = tmp_path / "whole.tar.gz"
    with tarfile.open(whole, "w:gz") as t:
        data = ("".join(dump(1, n) for n in range(40, 60))).encode()
        info = tarfile.TarInfo("q/many.txt")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    (folder / "4.tar.gz").write_bytes(whole.read_bytes()[:400])    # cut short
    (folder / "5.txt").write_text(dump(1, 5), encoding="utf-8")
    failed = []
    records = list(aqparse.read(folder, on_error=lambda name, error: failed.append(
        (name, error.code))))
    # 3.zip!b.txt is lost to its bad CRC, but a.txt before it and c.txt after it are read
    assert [q.number for q in records] == [1, 31, 3, 5]
    assert failed == [(str(folder / "2-broken-link.txt"), "io-error"),
                      (f"{folder / '3.zip'}!b.txt", "io-error"),
                      (str(folder / "4.tar.gz"), "io-error")]
    # without on_error, the first one is raised, as a ParseError naming the file
    with pytest.raises(aqparse.ParseError) as info:
        list(aqparse.read(folder))
    assert info.value.path == str(folder / "2-broken-link.txt")


def test_stdin_is_read_as_a_stream(monkeypatch):
    text = dump(40)                                        # more than the 64 KiB first read
    assert len(text.encode()) > 65536 // 20
    big = dump(300)
    for data, count in ((text, 40), (big, 300)):
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
        records = list(aqparse.read("-"))
        assert [q.number for q in records] == list(range(1, count + 1))
        assert records[-1].source.path == "<stdin>"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_large_utf16_dump_is_read_streamed_and_converted_as_whole(tmp_path, encoding):
    # a text PowerShell or Notepad saved: UTF-16 with its byte order mark. Read whole it gave
    # its 300 questions; streamed or converted in parts, none (its bytes read as windows-1252)
    text = dump(300)
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    path = tmp_path / "big.txt"
    path.write_bytes(bom + text.encode(encoding))
    whole = [q.to_dict() for q in aqparse.parse_many(path.read_bytes(), path=str(path))]
    assert [q["number"] for q in whole] == list(range(1, 301))
    streamed = [q.to_dict() for q in aqparse.read(path, stream_above=1000, chunk=2048)]
    assert streamed == whole
    # convert cuts a dump of more than a megabyte in parts: 6,000 questions
    text = dump(6000)
    path.write_bytes(bom + text.encode(encoding))
    whole = [q.to_dict() for q in aqparse.parse_many(path.read_bytes(), path=str(path))]
    assert len(text) > 1 << 20 and len(whole) == 6000
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        summary = aqparse.convert([str(path)], str(out), jobs=jobs, quiet=True)
        assert (summary.questions, summary.errors) == (6000, 0)
        assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == \
            whole


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")
def test_a_folder_reached_by_a_link_is_read_once_and_loops_are_said(tmp_path):
    # in/linked -> ../real (questions 2): it was passed over without a word; in/up -> .. and
    # in/self -> . (loops) and in/again -> sub (read anyway) are said and skipped
    folder, real = tmp_path / "in", tmp_path / "real"
    (folder / "sub").mkdir(parents=True)
    real.mkdir()
    (folder / "a.txt").write_text(dump(1, 1), encoding="utf-8")
    (real / "q.txt").write_text(dump(1, 2), encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(dump(1, 3), encoding="utf-8")
    for name, target in (("linked", "../real"), ("up", ".."), ("self", "."), ("again", "sub")):
        os.symlink(target, folder / name)
    skipped = []
    records = list(aqparse.read(folder, on_skip=lambda name, why: skipped.append(name)))
    assert sorted(q.number for q in records) == [1, 2, 3]
    assert sorted(os.path.basename(n) for n in skipped) == ["again", "self", "up"]
    summary = aqparse.convert([str(folder)], str(tmp_path / "out.jsonl"), jobs=1, quiet=True)
    assert summary.questions == 3 and len(summary.skipped) == 3


def test_a_file_name_that_is_not_utf8_does_not_cost_its_questions(tmp_path):
    # "caf\xe9.txt" (a zip unpacked from Windows): Python holds the name's byte as a lone
    # surrogate, which no output can store, and every question of the file was refused
    name = os.fsdecode(b"caf\xe9.txt")
    try:
        (tmp_path / name).write_text(dump(2, 1), encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses a name that is not UTF-8")
    records = list(aqparse.read(tmp_path))
    assert [q.number for q in records] == [1, 2]
    assert records[0].source.path == str(tmp_path / "caf\\xe9.txt")
    for fmt in ("jsonl", "sqlite"):
        out = tmp_path / f"out.{fmt}"
        summary = aqparse.convert([str(tmp_path / name)], str(out), jobs=1, quiet=True)
        assert (summary.questions, summary.errors) == (2, 0)
        assert [q.source.path for q in aqparse.read(str(out))] == \
            [str(tmp_path / "caf\\xe9.txt")] * 2


# -- JSON lines: one bad line never loses the lines after it ---------------------------------------

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures")
OPENDATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "opendata")


def _json_line(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        return json.dumps(json.load(f), ensure_ascii=False)


def _read_with_errors(path, **options):
    errors = []
    records = list(aqparse.read(path, on_error=lambda name, error: errors.append((name, error)),
                                **options))
    return records, errors


@pytest.mark.parametrize("stream_above", [None, 100])    # read whole, and streamed
def test_read_goes_on_past_a_bad_line_of_aqparse_json_lines(tmp_path, stream_above):
    # aqparse's records (the expected side of three fixtures), one a line, line 2 cut short:
    # the record of line 3 was lost into the error's text
    good1 = _json_line(FIXTURES, "qe-pending.json")          # QE 98712 of the 14th
    cut = _json_line(FIXTURES, "qg-no-page.json")[:120]      # QG 512 of the 16th
    good3 = _json_line(FIXTURES, "iso-dates.json")           # QE 2231 of the 15th
    path = tmp_path / "records.jsonl"
    path.write_text(f"{good1}\n{cut}\n{good3}\n", encoding="utf-8")
    options = {} if stream_above is None else {"stream_above": stream_above}
    records, errors = _read_with_errors(path, **options)
    assert [(q.kind, q.number, q.legislature) for q in records] == [("QE", 98712, 14),
                                                                      ("QE", 2231, 15)]
    [(name, error)] = errors
    assert (name, error.path, error.line, error.code) == (str(path), str(path), 2, "bad-record")
    # without on_error, the bad line is raised where it stands, as a document error is
    found = aqparse.read(path, **options)
    assert next(found).number == 98712
    with pytest.raises(aqparse.ParseError) as raised:
        next(found)
    assert (raised.value.path, raised.value.line) == (str(path), 2)


@pytest.mark.parametrize("copies", [1, 30])     # read whole, and streamed (above 64 KiB)
def test_read_goes_on_past_a_bad_line_of_open_data_ndjson(tmp_path, copies):
    # the AN's open data, one question a line: 4242 of the 16th, 9001 cut short, 9100 of the 17th
    good1 = _json_line(OPENDATA, "QANR5L16QE4242.json")
    cut = _json_line(OPENDATA, "QANR5L17QE9001.json")[:200]
    good3 = _json_line(OPENDATA, "QANR5L17QE9100.json")
    path = tmp_path / "questions.ndjson"
    path.write_text(f"{good1}\n{cut}\n{good3}\n" * copies, encoding="utf-8")
    assert (copies > 1) == (path.stat().st_size > 65536)
    records, errors = _read_with_errors(path, stream_above=1000)
    assert [q.uid for q in records] == ["QANR5L16QE4242", "QANR5L17QE9100"] * copies
    assert [q.source.line for q in records[:4]] == [1, 3, 4, 6][:2 * copies]
    assert [(error.line, error.code) for _, error in errors] == [(2 + 3 * n, "bad-json")
                                                                 for n in range(copies)]
    assert {name for name, _ in errors} == {str(path)}
    # the same questions one a line inside a wrapper (a dump written so) are one JSON value
    # across lines, not JSON lines: read as a dump
    wrapped = tmp_path / "dump.json"
    wrapped.write_text('{"questions": {"question": [\n' + f"{good1},\n{good3}\n" + "]}}\n",
                       encoding="utf-8")
    assert [q.uid for q in aqparse.read(wrapped)] == ["QANR5L16QE4242", "QANR5L17QE9100"]


@pytest.mark.parametrize("first", ["cut", "not JSON", "other JSON"])
def test_aqparse_json_lines_whose_first_line_is_bad_are_still_read(tmp_path, first):
    good2 = _json_line(FIXTURES, "qe-pending.json")          # QE 98712 of the 14th
    good3 = _json_line(FIXTURES, "iso-dates.json")           # QE 2231 of the 15th
    bad = {"cut": _json_line(FIXTURES, "qg-no-page.json")[:120],
           "not JSON": "exported by hand, 2024-03-01",
           "other JSON": '{"note": "exported by hand"}'}[first]
    path = tmp_path / "records.jsonl"
    path.write_text(f"{bad}\n{good2}\n{good3}\n", encoding="utf-8")
    records, errors = _read_with_errors(path)
    assert [q.number for q in records] == [98712, 2231]
    assert [error.line for _, error in errors] == [1]


@pytest.mark.parametrize("stream_above", [None, 100])    # read whole, and streamed
def test_aqparse_json_lines_saved_in_windows_1252_are_read(tmp_path, stream_above):
    # aqparse's records saved again by an editor in windows-1252 ("é" one byte): each line
    # failed as not UTF-8 ("not an aqparse record"), losing every record with an accent
    good1 = _json_line(FIXTURES, "qe-pending.json")          # QE 98712 of the 14th
    good2 = _json_line(FIXTURES, "iso-dates.json")           # QE 2231 of the 15th
    assert not good1.isascii() and not good2.isascii()
    path = tmp_path / "records.jsonl"
    path.write_bytes(f"{good1}\n{good2}\n".encode("cp1252"))
    options = {} if stream_above is None else {"stream_above": stream_above}
    records, errors = _read_with_errors(path, **options)
    assert errors == []
    assert [(q.kind, q.number, q.legislature) for q in records] == [("QE", 98712, 14),
                                                                      ("QE", 2231, 15)]
    expected = json.loads(good1)
    assert records[0].author.name == expected["author"]["name"]
    assert records[0].question.text == expected["question"]["text"]


def _three_a_file(tmp_path, line, second, stream_above):
    """aqparse's records (QE 98712 of the 14th, QG 512 of the 16th, QE 2231 of the 15th) and
    the AN's open data (QE 4242 of the 16th, 9001 and 9100 of the 17th), three a file, the
    second written by ``second(folder, name)`` and joined to the third by ``line``: each
    file read (whole, or streamed), its records and errors."""
    records_path = tmp_path / "records.jsonl"
    records_path.write_text(
        f"{_json_line(FIXTURES, 'qe-pending.json')}\n{second(FIXTURES, 'qg-no-page.json')}"
        f"{line}{_json_line(FIXTURES, 'iso-dates.json')}\n", encoding="utf-8")
    ndjson = tmp_path / "questions.ndjson"
    ndjson.write_text(
        f"{_json_line(OPENDATA, 'QANR5L16QE4242.json')}\n"
        f"{second(OPENDATA, 'QANR5L17QE9001.json')}{line}"
        f"{_json_line(OPENDATA, 'QANR5L17QE9100.json')}\n", encoding="utf-8")
    options = {} if stream_above is None else {"stream_above": stream_above}
    return _read_with_errors(records_path, **options), _read_with_errors(ndjson, **options)


@pytest.mark.parametrize("stream_above", [None, 100])    # read whole, and streamed
def test_two_json_lines_glued_on_one_line_are_both_read(tmp_path, stream_above):
    # files joined whose last line had no newline: the two values of the line were one
    # error ("Extra data"), both questions lost
    (records, errors), (questions, more) = _three_a_file(tmp_path, "", _json_line, stream_above)
    assert errors == [] and more == []
    assert [(q.kind, q.number, q.legislature) for q in records] == [
        ("QE", 98712, 14), ("QG", 512, 16), ("QE", 2231, 15)]
    assert [q.uid for q in questions] == ["QANR5L16QE4242", "QANR5L17QE9001", "QANR5L17QE9100"]
    assert [q.source.line for q in questions] == [1, 2, 2]


@pytest.mark.parametrize("stream_above", [None, 100])    # read whole, and streamed
def test_a_json_line_nested_too_deeply_costs_that_line_alone(tmp_path, stream_above):
    # a line of aqparse's records nested deeper than json decodes: RecursionError escaped
    # (said as an io-error of the whole file, the lines after it lost)
    rec1 = _json_line(FIXTURES, "qe-pending.json")           # QE 98712 of the 14th
    rec3 = _json_line(FIXTURES, "iso-dates.json")            # QE 2231 of the 15th
    path = tmp_path / "records.jsonl"
    path.write_text(f"{rec1}\n{'[' * 100000}{']' * 100000}\n{rec3}\n", encoding="utf-8")
    options = {} if stream_above is None else {"stream_above": stream_above}
    records, errors = _read_with_errors(path, **options)
    assert [q.number for q in records] == [98712, 2231]
    assert [(error.line, error.code) for _, error in errors] == [(2, "bad-record")]


@pytest.mark.parametrize("records", [False, True])    # the AN's NDJSON, aqparse's records
def test_streamed_json_lines_whose_first_line_is_longer_than_the_head(tmp_path, records):
    # JSON lines were told by the file's first 64 KiB: a first line longer than that (a long
    # answer) made a streamed file one JSON text, and its bad line 3 lost every line after
    # it (the file read whole was read line by line)
    if records:
        names, folder = ["qe-pending.json", "iso-dates.json", "qg-no-page.json"], FIXTURES
    else:
        names, folder = ["QANR5L16QE4242.json", "QANR5L17QE9001.json",
                         "QANR5L17QE9100.json"], OPENDATA
    long, good, cut = (json.loads(_json_line(folder, name)) for name in names)
    long["extra" if records else "padding"] = {"note": "x" * 100000}
    cut = json.dumps(cut, ensure_ascii=False)[:150]
    path = tmp_path / "lines.jsonl"
    path.write_text("\n".join([json.dumps(long, ensure_ascii=False), json.dumps(good), cut,
                               json.dumps(good)]) + "\n", encoding="utf-8")
    expected = [_uid(long), _uid(good), _uid(good)]
    for options in ({}, {"stream_above": 1000}):
        records_read, errors = _read_with_errors(path, **options)
        assert [q.uid for q in records_read] == expected
        assert [error.line for _, error in errors] == [3]


def _uid(value):
    return value["uid"] if "uid" in value else value["question"]["uid"]


def test_an_error_raised_by_on_error_for_a_bad_line_is_not_said_again(tmp_path):
    # on_error called for bad line 2 raised it (a caller that stops at some errors): it was
    # caught as the document's error and on_error called a second time with the same line
    good1 = _json_line(OPENDATA, "QANR5L16QE4242.json")
    cut = _json_line(OPENDATA, "QANR5L17QE9001.json")[:200]
    good3 = _json_line(OPENDATA, "QANR5L17QE9100.json")
    path = tmp_path / "questions.ndjson"
    path.write_text(f"{good1}\n{cut}\n{good3}\n", encoding="utf-8")
    said = []

    def on_error(name, error):
        said.append((name, error.line))
        raise error

    found = []
    with pytest.raises(aqparse.ParseError) as raised:
        for q in aqparse.read(path, on_error=on_error):
            found.append(q.uid)
    assert found == ["QANR5L16QE4242"]
    assert raised.value.line == 2
    assert said == [(str(path), 2)]


def test_streamed_ndjson_with_one_windows_1252_byte_in_its_head_reads_the_other_lines(tmp_path):
    # a UTF-8 NDJSON file, one line edited in windows-1252 ("café" one byte) within the first
    # 64 KiB: streamed, the whole file was decoded as windows-1252, every other line's
    # accents mojibake ("RÃ©ponse") and its author's name lost; read whole it was right
    lines = [_json_line(OPENDATA, name) for name in ("QANR5L16QE4242.json",
                                                     "QANR5L17QE9001.json",
                                                     "QANR5L17QE9100.json")] * 10
    assert all(not line.isascii() for line in lines)
    data = [line.encode("utf-8") for line in lines]
    assert data[1].endswith(b"}}")      # (the note: a member of the question)
    data[1] = data[1][:-2] + ', "note": "caf\xe9"}}'.encode("cp1252")
    path = tmp_path / "questions.ndjson"
    path.write_bytes(b"\n".join(data) + b"\n")
    assert path.stat().st_size > 65536 and data[1].index(b"caf\xe9") < 65536
    whole = list(aqparse.read(path))
    streamed = list(aqparse.read(path, stream_above=1000))
    assert [q.uid for q in streamed] == [q.uid for q in whole] == [
        "QANR5L16QE4242", "QANR5L17QE9001", "QANR5L17QE9100"] * 10
    assert streamed == whole
    assert streamed[1].extra == {"note": "café"}
    expected = json.loads(lines[0])
    assert streamed[0].author.name and streamed[0].author.name == whole[0].author.name
    assert streamed[0].rubrique == expected["question"]["indexationAN"]["rubrique"]


@pytest.mark.parametrize("copies", [1, 30])     # read whole, and streamed (above 64 KiB)
@pytest.mark.parametrize("first", ["tail", "note"])
def test_open_data_ndjson_whose_first_line_is_broken_is_still_json_lines(tmp_path, copies,
                                                                          first):
    # the AN's NDJSON whose first line is the end of a question (a copy cut from the middle of
    # a file) or a note: it was read as text, "no question", and lost whole
    lines = [_json_line(OPENDATA, name) for name in ("QANR5L16QE4242.json",
                                                     "QANR5L17QE9100.json")] * copies
    bad = (_json_line(OPENDATA, "QANR5L17QE9001.json")[-300:] if first == "tail"
           else "exported from the AN's site, 2024-03-01")
    path = tmp_path / "questions.ndjson"
    path.write_text("\n".join([bad] + lines) + "\n", encoding="utf-8")
    for options in ({}, {"stream_above": 1000}):
        records, errors = _read_with_errors(path, **options)
        assert [q.uid for q in records] == ["QANR5L16QE4242", "QANR5L17QE9100"] * copies
        assert [(error.line, error.code) for _, error in errors] == [(1, "bad-json")]
    # a text dump is still text (its questions read as such)
    text = tmp_path / "dump.txt"
    with open(os.path.join(FIXTURES, "qe-pending.txt"), encoding="utf-8") as f:
        text.write_text(f.read() + '\n{"note": 1}\n', encoding="utf-8")
    assert [q.number for q in aqparse.read(text)] == [98712]


def _pretty(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        return json.dumps(json.load(f), ensure_ascii=False, indent=2)


@pytest.mark.parametrize("stream_above", [None, 100])    # read whole, and streamed
def test_a_value_printed_with_indents_among_json_lines_is_read_whole(tmp_path, stream_above):
    # files of one question a line joined with one printed with indents (`cat`): each of its
    # lines was an error of its own (63 for one question), its question lost
    (records, errors), (questions, more) = _three_a_file(tmp_path, "\n", _pretty, stream_above)
    assert errors == [] and more == []
    assert [(q.kind, q.number, q.legislature) for q in records] == [
        ("QE", 98712, 14), ("QG", 512, 16), ("QE", 2231, 15)]
    assert [q.uid for q in questions] == ["QANR5L16QE4242", "QANR5L17QE9001", "QANR5L17QE9100"]
    # numbered by their first line: the indented question starts on line 2
    assert [q.source.line for q in questions][:2] == [1, 2]
    # one that never closes (cut short) is still an error per line, the last line read
    options = {} if stream_above is None else {"stream_above": stream_above}
    ndjson = tmp_path / "questions.ndjson"
    ndjson.write_text(_json_line(OPENDATA, "QANR5L16QE4242.json") + "\n" + "\n".join(
        _pretty(OPENDATA, "QANR5L17QE9001.json").splitlines()[:5]) + "\n" + _json_line(
        OPENDATA, "QANR5L17QE9100.json") + "\n", encoding="utf-8")
    records, errors = _read_with_errors(ndjson, **options)
    assert [q.uid for q in records] == ["QANR5L16QE4242", "QANR5L17QE9100"]
    assert [error.line for _, error in errors] == [2, 3, 4, 5, 6]


def test_a_value_printed_with_indents_across_a_cut_of_large_json_lines_is_converted(tmp_path):
    # convert cuts a large file of aqparse's JSON lines into units of about 1 MiB of whole
    # lines: a record printed with indents across a cut was split between two units, each of
    # its lines an error and its question lost (aqparse.read, which does not cut, read it)
    from aqparse.convert import convert

    line = _json_line(FIXTURES, "qe-pending.json")             # QE 98712 of the 14th
    with open(os.path.join(FIXTURES, "qg-no-page.json"), encoding="utf-8") as f:
        pretty = json.dumps(json.load(f), ensure_ascii=False, indent=12)   # QG 512 of the 16th
    cut = (1 << 20) + 65536          # where the first unit is cut (read head + one block)
    lines = [line] * ((cut - 1) // (len(line.encode()) + 1))
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines + [pretty] + [line] * 1600) + "\n", encoding="utf-8")
    assert path.stat().st_size > (2 << 20)                     # cut, not read whole
    start = len(("\n".join(lines) + "\n").encode())
    assert start < cut < start + len(pretty.encode())          # the pretty record spans the cut
    out = tmp_path / "out.jsonl"
    convert([str(path)], str(out), jobs=1, quiet=True)
    uids = {json.loads(row)["uid"] for row in out.read_text(encoding="utf-8").splitlines()}
    assert uids == {"QANR5L14QE98712", "QANR5L16QG512"}


def test_a_lone_brace_and_many_blank_lines_hold_bounded_memory(tmp_path):
    # a "{" line followed by blank lines held them all, each a few dozen bytes counted as 0
    # against the 8 MB bound: ten million blank lines (a 10 MB file) held 1 GB
    import tracemalloc

    rec = _json_line(FIXTURES, "qe-pending.json")              # QE 98712 of the 14th
    path = tmp_path / "records.jsonl"
    path.write_text(rec + "\n{\n" + "\n" * 600_000 + _json_line(FIXTURES, "iso-dates.json")
                    + "\n", encoding="utf-8")
    tracemalloc.start()
    try:
        records, errors = _read_with_errors(path, stream_above=100)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(q.kind, q.number, q.legislature) for q in records] == [("QE", 98712, 14),
                                                                      ("QE", 2231, 15)]
    assert [error.line for _, error in errors] == [2]
    assert peak < 30 << 20, peak


@pytest.mark.parametrize("stream_above", [None, 100])    # read whole, and streamed
def test_a_list_of_records_among_json_lines_and_a_pretty_first_record_after_a_bom(
        tmp_path, stream_above):
    # a JSON output (a list of records) joined with JSONL ones, on one line or printed with
    # indents: "a JSON value without a record's uid" cost both records; a file that begins
    # with a byte order mark and a record printed with indents: each of its lines an error
    rec1 = _json_line(FIXTURES, "qe-pending.json")           # QE 98712 of the 14th
    rec2 = _json_line(FIXTURES, "qg-no-page.json")           # QG 512 of the 16th
    rec3 = _json_line(FIXTURES, "iso-dates.json")            # QE 2231 of the 15th
    options = {} if stream_above is None else {"stream_above": stream_above}
    path = tmp_path / "records.jsonl"
    pretty_list = json.dumps([json.loads(rec2), json.loads(rec3)], ensure_ascii=False, indent=2)
    for middle in (f"[{rec2}, {rec3}]", pretty_list):
        path.write_text(f"{rec1}\n{middle}\n{rec1}\n", encoding="utf-8")
        records, errors = _read_with_errors(path, **options)
        assert errors == []
        assert [(q.kind, q.number, q.legislature) for q in records] == [
            ("QE", 98712, 14), ("QG", 512, 16), ("QE", 2231, 15), ("QE", 98712, 14)]
    path.write_text("\ufeff" + _pretty(FIXTURES, "qg-no-page.json") + f"\n{rec3}\n",
                    encoding="utf-8")
    records, errors = _read_with_errors(path, **options)
    assert errors == []
    assert [(q.kind, q.number) for q in records] == [("QG", 512), ("QE", 2231)]


def test_a_list_printed_with_indents_longer_than_a_unit_of_large_json_lines_is_converted(
        tmp_path):
    # a list of records printed with indents among large JSON lines, longer than one of
    # convert's units (about 1 MiB): no line to cut before within it, it was cut at the last
    # newline anyway, each of its lines an error and its records lost, while aqparse.read
    # (which holds such a value up to 8 MB) read them all
    from aqparse.convert import convert

    line = _json_line(FIXTURES, "qe-pending.json")             # QE 98712 of the 14th
    with open(os.path.join(FIXTURES, "qg-no-page.json"), encoding="utf-8") as f:
        record = json.load(f)                                      # QG 512 of the 16th
    listed = [dict(record, uid=f"QANR5L16QG{n}", number=n) for n in range(1000, 2500)]
    pretty = "[\n" + ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in listed) + "\n]"
    assert len(pretty.encode()) > (5 << 20) // 2               # longer than two units
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([line] * 800 + [pretty] + [line] * 800) + "\n", encoding="utf-8")
    assert path.stat().st_size > (2 << 20)                     # cut, not read whole
    read = [q.uid for q in aqparse.read(str(path))]
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    convert([str(path)], str(out), jobs=1, quiet=True, errors=str(errors))
    uids = {json.loads(row)["uid"] for row in out.read_text(encoding="utf-8").splitlines()}
    assert uids == {"QANR5L14QE98712"} | {f"QANR5L16QG{n}" for n in range(1000, 2500)}
    assert uids == set(read)
    assert errors.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("stream_above", [None, 100])    # read whole, and streamed
def test_a_bad_record_of_a_list_among_json_lines_costs_only_itself(tmp_path, stream_above):
    # a list of records among JSON lines whose second record is not valid: its error was
    # said, and the records after it in the list were lost without a word
    rec1 = _json_line(FIXTURES, "qe-pending.json")           # QE 98712 of the 14th
    rec2 = _json_line(FIXTURES, "qg-no-page.json")           # QG 512 of the 16th
    rec3 = _json_line(FIXTURES, "iso-dates.json")            # QE 2231 of the 15th
    bad = dict(json.loads(rec2), status="lost")
    options = {} if stream_above is None else {"stream_above": stream_above}
    path = tmp_path / "records.jsonl"
    listed = [json.loads(rec2), bad, json.loads(rec3)]
    for middle in (json.dumps(listed), json.dumps(listed, indent=2)):
        path.write_text(f"{rec1}\n{middle}\n{rec1}\n", encoding="utf-8")
        records, errors = _read_with_errors(path, **options)
        assert [(error.code, error.line) for _, error in errors] == [("bad-record", 2)]
        assert [(q.kind, q.number, q.legislature) for q in records] == [
            ("QE", 98712, 14), ("QG", 512, 16), ("QE", 2231, 15), ("QE", 98712, 14)]


# -- files compressed on their own: gzip, bzip2, xz (each was "binary data" or skipped) -----------

import bz2
import gzip
import lzma
import subprocess
from pathlib import Path

_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
_OPENDATA = Path(__file__).resolve().parent / "data" / "opendata"
# (read by a person in the fixture: its legislature line, "Question N° 23817", "Question écrite")
_ANSWERED = (_FIXTURES / "qe-answered-attribution-change.txt").read_bytes()
_UID = "QANR5L15QE23817"
_COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@pytest.mark.parametrize("suffix", sorted(_COMPRESS))
def test_a_compressed_file_is_read_through_its_decompressor(tmp_path, suffix):
    path = tmp_path / f"q.txt{suffix}"
    path.write_bytes(_COMPRESS[suffix](_ANSWERED))
    [q] = aqparse.read(path)
    assert (q.uid, q.source.format, q.source.path) == (_UID, "text", str(path))
    assert q.question.text.startswith("M. Julien Carrel")


def test_a_folder_of_compressed_files_and_a_corrupt_one(tmp_path):
    # every compressed file of a folder is read; a corrupt one is said and costs itself;
    # aqparse's own compressed output is a dataset, skipped in a folder
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(_ANSWERED))
    (tmp_path / "b.txt.xz").write_bytes(lzma.compress(
        _ANSWERED.replace(b"Question N\xc2\xb0 23817", b"Question N\xc2\xb0 1")))
    (tmp_path / "c.txt.gz").write_bytes(b"not gzip at all")
    (tmp_path / "out.jsonl.gz").write_bytes(gzip.compress(b"{}\n"))
    failed = []
    found = list(aqparse.read(tmp_path, on_error=lambda name, error: failed.append(
        (os.path.basename(name), error.code))))
    assert [q.uid for q in found] == [_UID, "QANR5L15QE1"]
    assert failed == [("c.txt.gz", "io-error")]
    skipped = [s for s in aqparse.inputs.walk(str(tmp_path))
               if isinstance(s, aqparse.inputs.Skipped)]
    assert [(os.path.basename(s.name), s.why) for s in skipped] == [
        ("out.jsonl.gz", "datasets, read only when named on their own (.jsonl)")]


@pytest.mark.parametrize("archive", ["zip", "tar"])
def test_a_compressed_member_of_an_archive_is_read(tmp_path, archive):
    path = tmp_path / f"qs.{archive}"
    data = bz2.compress(_ANSWERED)
    if archive == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("inbox/q.txt.bz2", data)
    else:
        with tarfile.open(path, "w:gz") as t:
            info = tarfile.TarInfo("inbox/q.txt.bz2")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    [q] = aqparse.read(path)
    assert (q.uid, q.source.path) == (_UID, f"{path}!inbox/q.txt.bz2")


def test_a_corrupt_compressed_dump_of_open_data_is_an_io_error_of_its_own(tmp_path):
    # a bad CRC at the end of a gzipped dump: the errors entry of the failure read the broken
    # stream again to quote it, and convert stopped on that second EOFError's traceback
    question = json.loads((_OPENDATA / "QANR5L15QG77.json").read_text(encoding="utf-8"))
    dump = json.dumps({"export": {"questions": {"question": [
        dict(question["question"], uid=f"QANR5L15QG{n}") for n in range(100, 200)]}}})
    assert len(dump) > 65536                    # past the first block read of a stream
    packed = bytearray(gzip.compress(dump.encode("utf-8")))
    packed[-8] ^= 0xFF
    bad = tmp_path / "dump.json.gz"
    bad.write_bytes(bytes(packed))
    errors = tmp_path / "errors.jsonl"
    summary = aqparse.convert([bad], tmp_path / "out.jsonl", jobs=1, errors=errors, quiet=True)
    assert summary.exit_status == 1
    [problem] = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert (problem["path"], problem["code"]) == (str(bad), "io-error")
    assert "CRC check failed" in problem["error"] and problem["raw_truncated"]
    assert problem["raw"].startswith('{"export": {"questions": {"question": [{"@xmlns"')


@pytest.mark.parametrize("what", ["gzip", "zip"])
def test_stdin_compressed_or_a_zip_archive(tmp_path, what):
    # "curl …/dump.txt.gz | aqparse convert -": stdin was "binary data, not text"
    if what == "gzip":
        data = gzip.compress(_ANSWERED)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("a/q.txt", _ANSWERED)
            z.writestr("a/README", b"notes")
        data = buffer.getvalue()
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, PYTHONPATH=str(_FIXTURES.parent))
    done = subprocess.run([sys.executable, "-m", "aqparse.cli", "convert", "-", "-o", str(out)],
                          input=data, capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (record["uid"], record["source"]["path"]) == (
        _UID, "<stdin>.gz" if what == "gzip" else "<stdin>!a/q.txt")


def test_stdin_closed_is_said_as_an_error_of_stdin_not_a_traceback(tmp_path):
    # "aqparse parse - <&-" (a cron job, a service without stdin): Python has no sys.stdin,
    # and the reading of "-" stopped on an AttributeError
    env = dict(os.environ, PYTHONPATH=str(_FIXTURES.parent))
    for command in (["parse", "-"], ["convert", "-", "-o", str(tmp_path / "out.jsonl")]):
        done = subprocess.run([sys.executable, "-m", "aqparse.cli", *command],
                              stdin=subprocess.DEVNULL, capture_output=True, env=env,
                              timeout=120, preexec_fn=lambda: os.close(0))
        assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr
        assert done.stderr.decode().splitlines()[0] == (
            "aqparse: <stdin>: cannot read: stdin is closed: there is nothing to read "
            "[io-error]")


def test_stdin_of_text_alone_or_closed_by_the_program_is_said_as_an_error_of_stdin(
        monkeypatch, tmp_path):
    # a notebook's or a test harness's stdin may be text with no bytes under it; a program
    # may have closed it ("ValueError: read of closed file")
    closed = io.TextIOWrapper(io.BytesIO(_ANSWERED))
    closed.close()
    for stdin, said in ((io.StringIO(_ANSWERED.decode("utf-8")), "not a stream of bytes"),
                        (closed, "stdin is closed")):
        monkeypatch.setattr("sys.stdin", stdin)
        with pytest.raises(aqparse.ParseError) as info:
            list(aqparse.read("-"))
        assert info.value.path == "<stdin>" and info.value.code == "io-error"
        assert said in str(info.value)
    # and a file named "<stdin>" in the current folder is not what stdin is read as
    monkeypatch.chdir(tmp_path)
    aqparse.convert([_FIXTURES / "qe-pending.txt"], tmp_path / "one.sqlite", quiet=True)
    aqparse.convert([_FIXTURES], tmp_path / "<stdin>", format="sqlite", quiet=True)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        (tmp_path / "one.sqlite").read_bytes())))
    assert [q.uid for q in aqparse.read("-")] == ["QANR5L14QE98712"]


def test_stdin_that_starts_like_a_zip_and_is_none_is_said_as_stdin(tmp_path):
    # (found by a review: the error was named "-", "File is not a zip file")
    env = dict(os.environ, PYTHONPATH=str(_FIXTURES.parent))
    done = subprocess.run([sys.executable, "-m", "aqparse.cli", "convert", "-", "-o",
                           str(tmp_path / "out.jsonl")], input=b"PK\x03\x04 not a zip",
                          capture_output=True, env=env, timeout=120)
    assert done.returncode == 1
    assert done.stderr.decode().startswith("aqparse: <stdin>:1: ")
