"""The open-data reader's shortcuts give what the long way gives.

- markup: a body of simple markup is read with string methods (``markup._simple_text``), any
  other by lxml.etree's HTML parser (``markup.parser_text``), which reads a fragment as
  ``lxml.html.fragment_fromstring`` did before; all three give the same text.
- JSON: a question is decoded in one call once its first members show it is one
  (``_JsonWindow.whole_from``), and plain ``"name": "text"`` members are read by a regex
  (``plain_member``); reading on member by member gives the same records, the same errors.
- the mapping tables' paths are read once (``_plan``); ``_take`` is what it was.
"""

import io
import json
import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aqparse
from aqparse import markup, opendata
from aqparse.errors import ParseError

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "opendata" / "json"
DATA = Path(__file__).resolve().parent / "data" / "opendata"


def lxml_html_text(fragment):
    """How bodies were read before: lxml.html's fragment parser, then ``element_text``
    (a fragment without markup as plain text, as it still is)."""
    if fragment is None or not fragment.strip():
        return None
    if "<" not in fragment and "&" not in fragment:
        return markup.clean_body(fragment)
    # an end tag "</br>" is a <br> (the HTML standard's rule, which libxml2 does not follow:
    # it dropped them, and aqparse read "matériels</br>(en années)" as "matériels(en années)")
    breaks = re.sub(r"</br(?:[\s/][^>]*)?>", "<br>", fragment, flags=re.I)
    try:
        root = lxml.html.fragment_fromstring(breaks, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return markup.clean_body(fragment)
    except AssertionError:
        # a body "<html>" alone has no <body>, and lxml.html fails an assertion on it: aqparse
        # reads the text of what the document holds (it was an internal error); what these
        # fragments can put there (a <head>'s script) is no text
        if lxml.html.document_fromstring(breaks).find("body") is None:
            return None
        raise
    return markup.element_text(root)


def said(read, fragment):
    """What ``read(fragment)`` gives, or the exception it raises."""
    try:
        return read(fragment)
    except Exception as error:
        return type(error).__name__


def simple(fragment) -> bool:
    return markup._simple_text(fragment) is not markup.NOT_SIMPLE


# -- markup ----------------------------------------------------------------------------------

TAGS = ["<p>", "</p>", "<P>", "<br>", "<BR>", "<br/>", "<br />", "<strong>", "</strong>", "<i>",
        "</i>", "<b>", "</b>", "<em>", "</em>", "<u>", "</u>", "<span>", "</span>", "<font>",
        "</font>", "<small>", "</small>", "<a name=PG1>", "</a>", '<p align="CENTER">',
        "<A NAME=x>", "</A>", "<strong >", "<i\n>", "<br\n/>", "<a title='a b' >"]
TEXTS = ["x", "mot", " ", "  ", "\xa0", "\n", "\r\n", "é", "’", ".", ">", "&amp;", "&nbsp;",
         "&lt;", "&#339;", "&#8364;", "&#x20AC;", "& ", "&#160;", "&#32;"]
# what the fast path must leave to the parser, or read as the parser does
ODD = ["</br>", "</BR >", "</br class=x>", "<p/>", "<sup>", "</sup>", "<div>", "</div>", "<table><tr><td>x</td></tr></table>",
       "<!-- c -->", "<", "a < b", "\t", "&D", "&amp", "&#0;", "&#10;", "&#128;", "&#8232;",
       "&#12288;", "\u202f", "\u3000", "\x85", "\u2028", "\x01", "\ufeff", "\u200b", "\xad",
       "<html>", "<body>", "</body>", "<script>x</script>", "<pre>", "<li>", '<a title="<br>">',
       "<a title=<br>>", '<a title="<i>x</i>">', "<a title='<strong>'>", "<a title=<i>x</i>>",
       "<a title=<br>x>", "<a <br>>", "<a <u>w</u>>", "<<i>p></i>", "amp;", "&", '<a title="é">', '<a name="x>y">', "<b/>", "<br"]
simple_fragments = st.lists(st.sampled_from(TAGS + TEXTS), min_size=1, max_size=30).map("".join)
any_fragments = st.lists(st.sampled_from(TAGS + TEXTS + ODD), min_size=1, max_size=30).map(
    "".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(simple_fragments)
def test_simple_markup_gives_the_parsers_text(fragment):
    assert markup.fragment_text(fragment) == lxml_html_text(fragment)
    if "<" in fragment or "&" in fragment:      # (else it is plain text, not markup)
        assert markup.fragment_text(fragment) == markup.parser_text(fragment)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_fragments)
def test_any_markup_gives_the_text_lxml_html_gave(fragment):
    assert said(markup.fragment_text, fragment) == said(lxml_html_text, fragment)


@pytest.mark.parametrize("fragment, text", [
    ("</p><p align=\"CENTER\"> TITRE  <a name=PG7></a> </p><br><strong>Mme\xa0X. </strong>"
     "Texte<br><br><i>(Applaudissements.)</i>", "TITRE\n\nMme X. Texte\n\n(Applaudissements.)"),
    ("a</p>b", "ab"),                         # a </p> without its <p> is dropped
    ("<i>a<p>b</i>c</p>d", "a\n\nbc\n\nd"),   # a <p> closes an open <i>; the </i> is dropped
    ("<strong>a</i>b</strong>", "ab"),        # an end tag of what is not open is dropped
    ("x&#339;y &amp; z", "xœy & z"),
    ("<p>au<br>31-12-2012</br>fin</p>", "au\n31-12-2012\nfin"),   # "</br>": a line break
    ("a</BR >b", "a\nb"),
])
def test_simple_bodies(fragment, text):
    assert simple(fragment)
    assert markup.fragment_text(fragment) == text == lxml_html_text(fragment)


@pytest.mark.parametrize("fragment, text", [
    # a tag inside another tag's attribute value, unquoted (libxml2 ends the value at ">"), or
    # where its attribute's name stands: what follows it is text
    ("<a title=<i>x</i>>", "x>"),
    ("Voir <a href=<i>lien</i>>ici</a>", "Voir lien>ici"),
    ("<a <u>w</u>>", "w>"),
    ("<a title=<br>x>y", "x>y"),
    ("<a <br>>y", ">y"),
    # a "<" of the text before tags whose text makes another tag
    ("<<i>p></i>x", "<p>x"),
    ("a<<i>br</i>>b", "a<br>b"),
    # a reference is read within one text: "&" and "amp;" on either side of a tag are two
    ("&<i>amp;</i>", "&amp;"),
    ("<i>&</i>amp;", "&amp;"),
    ("x&<br>amp;", "x&\namp;"),
])
def test_tags_inside_tags_and_references_across_tags_read_as_the_parser_reads_them(fragment,
                                                                                   text):
    assert lxml_html_text(fragment) == text            # (what the parser gives, as read)
    assert markup.fragment_text(fragment) == text


@pytest.mark.parametrize("fragment", [
    "<em>a<strong>x<p>b</em>c</strong>d",    # <p> stays in <strong>: the parser's business
    "a&#128;b",                               # mapped by the parser (to "€")
    "x<br>\t<b>y</b>",                        # a tab: the parser drops some blank nodes
    "\x01<a name=PG1>x",                      # a control character
    "a<sup> <b>y</b></sup>",                  # <sup>: not an element kept simple
    "x<br",                                   # cut in a tag
    "a</br class=x>b",                         # an end tag with attributes
])
def test_markup_left_to_the_parser(fragment):
    assert not simple(fragment)
    assert markup.fragment_text(fragment) == lxml_html_text(fragment)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")
def test_corpus_bodies_are_read_simply_and_alike():
    bodies = []

    def collect(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("texte", "erratum") and isinstance(item, str):
                    bodies.append(item)
                else:
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    for path in sorted(CORPUS.glob("*/*.json"))[::7]:
        collect(json.loads(path.read_text(encoding="utf-8")))
    assert len(bodies) > 900
    assert sum(map(simple, bodies)) > 0.98 * len(bodies)
    for body in bodies:
        assert markup.fragment_text(body) == lxml_html_text(body)


# -- JSON: the whole-question decode and the plain members, against member by member -----------

@pytest.fixture
def member_by_member(monkeypatch):
    """Reading without the shortcuts: the walk as it was."""
    def without():
        monkeypatch.setattr(opendata._JsonWindow, "whole_from",
                            lambda self, *args: opendata.NOT_WHOLE)
        monkeypatch.setattr(opendata._JsonWindow, "plain_member", lambda self, first: None)
    return without


def outcome(text: str, chunk=None, monkeypatch=None):
    """What reading ``text`` gives: the records' JSON forms, or the error said."""
    try:
        if chunk is None:
            records = list(opendata.parse_many_json(text, path="q.json"))
        else:
            monkeypatch.setattr(opendata, "READ_CHUNK", chunk)
            records = list(opendata.parse_stream(io.BytesIO(text.encode("utf-8", "surrogatepass")),
                                                 "opendata-json", path="q.json"))
    except ParseError as error:
        return ("error", error.code, error.message, error.line)
    return [r.to_dict() for r in records]


def both_ways(text, member_by_member, monkeypatch, chunks=(None, 64)):
    fast = [outcome(text, chunk, monkeypatch) for chunk in chunks]
    member_by_member()
    slow = [outcome(text, chunk, monkeypatch) for chunk in chunks]
    assert fast == slow
    return fast[0]


QUESTION = (DATA / "QANR5L17QE9001.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("text", [
    QUESTION,
    QUESTION.replace("\n", " "),
    "[" + ",\n".join([QUESTION] * 3) + "]",
    "\n".join(json.dumps(json.loads(QUESTION)) for _ in range(3)),            # JSON lines
    # repeated names: the last wins, read either way
    '{"question": {"uid": "QANR5L15QG1", "type": "QE", "type": "QG", "uid": "QANR5L15QG2"}}',
    '{"question": {"uid": "QANR5L15QG1", "x": {"uid": "QANR5L15QG2"}, "uid": 5}}',
    '{"a": {"uid": "QANR5L15QG1"}, "a": {"uid": "QANR5L15QG2", "type": "QG"}}',
    '{"type": "QG", "uid": "QANR5L15QG3", "identifiant": {"numero": "3"}, "type": "QE"}',
    # a later member that makes it stop looking like a question: the walk then reads on, and
    # finds the question inside
    '{"identifiant": {},\n"identifiant": null,\n"uid": [{"auteur": null}]}',
    '{"uid": "QANR5L15QG1", "status": "x",\n"a": [{"auteur": null}]}',
    '{"uid": "QANR5L15QG1", "u\\u0069d": 5,\n"a": [{"auteur": null}]}',
    '{"uid": "QANR5L15QG1", "uid": 5, "a": [{"auteur": null}], "uid": "QANR5L15QG1"}',
    # escapes, a lone surrogate (a defect), control characters refused
    '{"uid": "QANR5L15QG4", "type": "Q\\u0047", "x": "\\ud83d", "y": "\\ud83d\\ude00"}',
    '{"uid": "QANR5L15QG5", "ty\\"pe": "QG"}',
    # broken after the uid: the error the walk always said, where it said it
    '{"uid": "QANR5L15QG6",\n "type": "QG"\n "x": 1}',
    '{"uid": "QANR5L15QG7",\n "type": "QG",\n "x": [1, 2,]}',
    '{"uid": "QANR5L15QG8", "type": "QG", "x": NaN, "n": 1e400}',
    '{"uid": "QANR5L15QG9", "type": "QG", "x": ' + "[" * 3000 + "]" * 3000 + "}",
    '{"uid": "QANR5L15QG10",\n "type": "QG", "x": "unterminated}',
])
def test_the_shortcuts_read_as_member_by_member(text, member_by_member, monkeypatch):
    both_ways(text, member_by_member, monkeypatch)


# a body's characters, written in JSON as escapes (ASCII text) or as they are
BODY_PIECES = ["<p>", "</p>", "<br>", "<strong>", "</strong>", "<i>", "</i>", "x", " ", "é", "’",
               "\xa0", "\t", "\u2028", "\u3000", "\u202f", "\x85", "\x01", "\x0b", "\ufffe",
               "\u2009", "&amp;", "&#8232;", "\n", "\r"]
bodies = st.lists(st.sampled_from(BODY_PIECES), min_size=1, max_size=20).map("".join)


def question_with(body: str, ascii_only: bool) -> str:
    question = {"uid": "QANR5L16QG7", "identifiant": {"numero": "7", "legislature": "16"},
                "type": "QG", "textesReponse": {"texteReponse": {"texte": body}}}
    return json.dumps({"question": question}, ensure_ascii=ascii_only)


@settings(max_examples=400, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(bodies, st.booleans())
def test_a_body_known_plain_reads_as_one_looked_at(member_by_member, monkeypatch, body,
                                                   ascii_only):
    """A question whose text shows no escape of an odd character (ASCII text) is read with
    its bodies known plain: the same text as when they are looked at."""
    text = question_with(body, ascii_only)
    with monkeypatch.context() as patch:
        fast = outcome(text)
        patch.setattr(opendata._JsonWindow, "whole_from", lambda self, *args: opendata.NOT_WHOLE)
        slow = outcome(text)
    assert fast == slow
    before = lxml_html_text(body)
    answer = fast[0]["answer"] or {}
    assert answer.get("text") == (before and before.strip() or None)   # (as a record keeps it)


def test_plain_is_told_by_the_escapes(monkeypatch):
    seen = []
    real = markup.fragment_text
    monkeypatch.setattr(opendata, "fragment_text",
                        lambda fragment, plain=False: (fragment and seen.append(plain))
                        or real(fragment, plain))
    for body, ascii_only in (("<p>é’\xa0x</p>", True), ("<p>a\tb</p>", True),
                             ("<p>a\u2028b</p>", True), ("<p>é</p>", False)):
        list(opendata.parse_many_json(question_with(body, ascii_only)))
    # read member by member (a "uid" further on): never known plain
    text = question_with("<p>x</p>", True).replace('"type"', '"sub": {"uid": 1}, "type"')
    list(opendata.parse_many_json(text))
    assert seen == [True, False, False, False, False]


def test_a_question_longer_than_the_window_is_read_on_member_by_member(member_by_member,
                                                                         monkeypatch):
    long = json.loads(QUESTION)
    long["question"]["textesQuestion"]["texteQuestion"]["texte"] = "<p>mot</p>" * 2000
    records = both_ways(json.dumps(long, indent=1), member_by_member, monkeypatch,
                        chunks=(None, 300, 5000))
    assert len(records) == 1 and records[0]["question"]["text"].count("mot") == 2000


# JSON text with repeated names and any values (json.dumps of a dict cannot repeat a name)
names = st.sampled_from(["uid", "identifiant", "numero", "type", "question", "questions",
                         "status", "texte", "auteur", "x", "a"])
scalars = st.one_of(st.none(), st.integers(-5, 99), st.sampled_from(
    ['"QANR5L15QG1"', '"QANR5L16QE22"', '"QG"', '"15"', '"a\\nb"', '"\\ud83d"', '"é"', '""']))
json_texts = st.recursive(
    scalars.map(lambda v: "null" if v is None else str(v)),
    lambda inner: st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
    | st.lists(st.tuples(names, inner), max_size=6).map(
        lambda pairs: "{" + ",\n".join(f'"{k}": {v}' for k, v in pairs) + "}"),
    max_leaves=25)


@settings(max_examples=400, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(json_texts)
def test_any_json_text_reads_as_member_by_member(member_by_member, monkeypatch, text):
    with monkeypatch.context() as patch:
        fast = [outcome(text, chunk, patch) for chunk in (None, 16)]
        patch.setattr(opendata._JsonWindow, "whole_from", lambda self, *args: opendata.NOT_WHOLE)
        patch.setattr(opendata._JsonWindow, "plain_member", lambda self, first: None)
        slow = [outcome(text, chunk, patch) for chunk in (None, 16)]
    assert fast == slow


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")
def test_corpus_files_read_as_member_by_member(member_by_member, monkeypatch):
    paths = sorted(CORPUS.glob("*/*.json"))[::41]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    dump = "[" + ",\n".join(texts) + "]"
    fast = [outcome(t) for t in texts] + [outcome(dump, 4096, monkeypatch)]
    member_by_member()
    assert fast == [outcome(t) for t in texts] + [outcome(dump, 4096, monkeypatch)]


def test_a_question_file_takes_few_decoder_calls(monkeypatch):
    calls = []
    decoder = opendata._DECODER
    monkeypatch.setattr(opendata, "_DECODER", type("Counting", (), {
        "raw_decode": lambda self, s, i: calls.append(i) or decoder.raw_decode(s, i)})())
    list(opendata.parse_many_json(QUESTION))
    assert len(calls) <= 3        # the member "question", the question; 27 before


def test_a_streamed_dump_keeps_a_small_window(monkeypatch):
    """The start of the question being read is kept, not the dump read so far."""
    monkeypatch.setattr(opendata, "READ_CHUNK", 1000)
    windows = []
    real = opendata._JsonWindow.whole_from

    def watched(self, *args):
        windows.append(len(self.buf))
        return real(self, *args)

    monkeypatch.setattr(opendata._JsonWindow, "whole_from", watched)
    one = json.loads(QUESTION)["question"]
    text = json.dumps({"questions": {"question": [one] * 200}})
    records = list(opendata.parse_stream(io.BytesIO(text.encode()), "opendata-json"))
    assert len(records) == 200 and len(text) > 100 * max(windows)


# -- the mapping tables -----------------------------------------------------------------------

@pytest.mark.parametrize("path, obj, value, left", [
    ("a", {"a": 1, "b": 2}, 1, {"b": 2}),
    ("a.b", {"a": {"b": 1, "c": 2}}, 1, {"a": {"c": 2}}),
    ("a.b", {"a": [1]}, None, {"a": [1]}),
    ("a.b.c", {"a": {"b": {"c": 3}}}, 3, {"a": {"b": {}}}),
    ("a.b.c", {"a": {"b": 4}}, None, {"a": {"b": 4}}),
    ("a|b", {"a": " ", "b": "x"}, "x", {}),             # every alternative is taken
    ("a|b", {"a": "y", "b": "x"}, "y", {}),
    ("a.x|b.x", {"a": {}, "b": {"x": 0}}, 0, {"a": {}, "b": {}}),
    ("", {"a": 1}, {"a": 1}, {"a": 1}),
])
def test_take(path, obj, value, left):
    assert opendata._take(obj, path) == value
    assert obj == left


def test_build_reads_a_table_as_its_rows_say():
    ctx = opendata._Context(1)
    block = {"abrege": " Santé  ", "developpe": None, "organeRef": "PO1", "autre": "x"}
    fields = opendata.build(ctx, block, opendata.MINISTRY, "minInt")
    assert fields == {"name": "Santé", "full_name": None, "organe_ref": "PO1"}
    assert ctx.extra == {"minInt.autre": "x"}
    assert [d.code for d in ctx.defects] == ["unknown-field"]


def test_the_corpus_reads_the_same_through_aqparse_read(tmp_path):
    # a folder read through the public entry point: one record per file, as before
    (tmp_path / "a.json").write_text(QUESTION, encoding="utf-8")
    (tmp_path / "b.json").write_text(QUESTION.replace("9001", "9002"), encoding="utf-8")
    records = list(aqparse.read(str(tmp_path)))
    assert [r.number for r in records] == [9001, 9002]


def test_an_end_tag_br_is_a_line_break_in_every_reading():
    # as browsers read it: "a</br>b" shows "a", a new line, "b" (libxml2 drops the tag)
    for fragment in ("a</br>b", "a</BR>b", "a</br class=x>b", "a</br/>b"):
        assert markup.fragment_text("<p>" + fragment + "</p>") == "a\nb"
        assert markup.parser_text("<p>" + fragment + "</p>") == "a\nb"
    # inside a table's cell a line break is a space: "des matériels</br>(en années)"
    cell = "<table><tr><th>ÂGE MOYEN<br>des matériels</br>(en années)</th></tr></table>"
    assert markup.fragment_text(cell) == "ÂGE MOYEN des matériels (en années)"
    assert markup.html5_breaks("x</brexit>y</br\n>") == "x</brexit>y<br\n >"
