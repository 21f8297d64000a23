"""The faster mojibake hint and blank collapsing of ``decode`` give what the plain regexes give."""

import re
from pathlib import Path

from hypothesis import given, strategies as st

import aqparse
from aqparse import decode

ALPHABET = "ab \n\xa0\u202f\u2007ÂÃÅâé©\x80\x9f\xbf€’œŸ"


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_mojibake_hint_is_the_regex(text):
    assert decode._has_mojibake_hint(text) == (decode._MOJIBAKE_HINT.search(text) is not None)


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_blank_runs_collapse_as_before(text):
    assert decode._SPACES.sub(" ", text) == re.sub(r"[ \xa0\u202f\u2007]+", " ", text)


def test_old_page_bytes_read_as_windows_1252():
    # "é" is 0xE9 and "’" 0x92 in windows-1252; an old page of the AN site declares nothing
    assert decode.decode(b"Minist\xe8re interrog\xe9 : l\x92\xe9ducation") == \
        "Ministère interrogé : l’éducation"
    # 0x81 is undefined in windows-1252: the whole text is then read as ISO-8859-1
    assert decode.decode(b"caf\xe9 \x81 \x92") == "café \x81 \x92"


@given(st.binary(max_size=400))
def test_non_utf8_bytes_decode_as_unicode_dammit_did(data):
    # what ``bs4.dammit.UnicodeDammit`` gave with these two encodings, which decode used
    from bs4.dammit import UnicodeDammit

    if any(data.startswith(bom) for bom, _ in decode._BOMS) or b"\x00" in data:
        return                      # BOMs and binary data: taken before
    try:
        data.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    dammit = UnicodeDammit(data, ["windows-1252", "iso-8859-1"], is_html=True)
    assert decode._decode_bytes(data, None) == dammit.unicode_markup


def test_odd_characters_are_the_regex_class():
    # (the finds look for these characters one by one: none may be missing)
    every = (chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert set(decode.ODD_CHARS) == {c for c in every if decode._ODD_CHAR.match(c)}


ODD_ALPHABET = "ab \n€’é\x0b\x85\u2028\u2029\u2061\u200b\ufeff\xad"
# (texts of these alone are stored a byte a character: the finds read them)
LATIN1_ODD_ALPHABET = "ab \né\x0b\x0c\x1c\x1d\x1e\x85\xad"


@given(st.sampled_from([ODD_ALPHABET, LATIN1_ODD_ALPHABET]).flatmap(
           lambda alphabet: st.text(alphabet=alphabet, max_size=40)),
       st.sampled_from(["x", "é"]), st.integers(0, 600), st.integers(-700, 40),
       st.integers(-700, 700))
def test_odd_character_checks_are_the_regexes(tail, pad_char, pad, start, end):
    # long texts take the finds, short ones the regex: both must say what the regex says of
    # ``text[start:end]`` (a negative bound counts from the end, as in a slice)
    text = pad_char * pad + tail
    assert decode.has_odd_characters(text) == (decode._ODD_CHAR.search(text) is not None)
    assert decode.has_other_breaks(text, start, end) == (
        decode._OTHER_BREAK.search(text[start:end]) is not None)
    assert decode.has_other_breaks(text) == (decode._OTHER_BREAK.search(text) is not None)


ODD_BY_THE_REGEX = [chr(c) for c in range(0x10000) if decode._ODD_CHAR.match(chr(c))]


def test_every_odd_character_is_found_in_a_long_text():
    # every kind of storage (ASCII, Latin-1, two bytes a character) and both ends of a text
    # longer than a window of the finds
    for pad in ("x", "é", "€"):
        clean = pad * 70000
        assert not decode.has_odd_characters(clean)
        assert not decode.has_other_breaks(clean)
        for char in ODD_BY_THE_REGEX:
            for text in (clean + char, char + clean, clean[:300] + char):
                assert decode.has_odd_characters(text), (pad, hex(ord(char)))
        for char in decode.OTHER_BREAKS:
            text = clean + char + clean
            assert decode.has_other_breaks(text)
            assert decode.has_other_breaks(text, 69990, 70001)
            assert not decode.has_other_breaks(text, 0, 70000)
            assert decode.has_other_breaks(text, 100, 70001)


def test_a_text_is_told_one_byte_by_its_characters():
    # Latin-1 characters only: no surrogate can be in it (decode does not look for one)
    for n in range(0, 300):
        assert decode._one_byte("é" * n + "a") == (n > 0)      # (ASCII alone: another storage)
        for other in ("€", "\ud800", "\U0001f600", "Ā"):
            assert not decode._one_byte("é" * n + other)
            assert not decode._one_byte(other + "é" * n)


def test_a_lone_surrogate_in_a_text_of_latin1_and_more_is_replaced():
    assert decode.decode("é" * 300 + "\ud800" + "é") == "é" * 300 + "\ufffd" + "é"


def test_an_odd_character_at_the_edges_of_the_finds_windows_is_found():
    # the finds read a long text of Latin-1 characters a window at a time: a character on
    # either side of a window's edge is found
    window = decode._FIND_WINDOW
    for char in ("\x85", "\x0b", "\xad"):
        for at in (window - 1, window, window + 1, 2 * window - 1, 2 * window, 2 * window + 1):
            text = "a" * at + char + "a" * 10
            assert decode.has_odd_characters(text), (hex(ord(char)), at)
        for at in (window - 1, window, window + 1, 2 * window - 1, 2 * window, 2 * window + 1):
            if char != "\xad":           # (a soft hyphen is no line break)
                text = "a" * at + char + "a" * 10
                assert decode.has_other_breaks(text), (hex(ord(char)), at)
                assert decode.has_other_breaks(text, at, at + 1)
                assert not decode.has_other_breaks(text, 0, at)


class _Lying(str):
    """A str subclass that says the size of a text stored a byte a character."""

    def __sizeof__(self):
        return decode._ONE_BYTE + len(self)


def test_a_str_subclass_is_read_as_the_plain_str_it_holds():
    # a lone surrogate in a subclass that lies about its storage is still replaced, and a
    # subclass's own methods play no part: what is decoded is a plain str
    text = decode.decode(_Lying("é" * 300 + "\ud800" + "é"))
    assert type(text) is str and text == "é" * 300 + "\ufffd" + "é"



class _NoFind(str):
    """A str subclass whose ``find`` finds nothing."""

    def find(self, *args):
        return -1


def test_a_str_subclass_s_methods_play_no_part():
    # a question whose lines end in U+0085 (NEL): the subclass's find would hide them
    text = (Path(__file__).resolve().parents[1] / "fixtures"
            / "qe-answered-attribution-change.txt").read_text(encoding="utf-8")
    text = text.replace("\n", "\x85") * 40        # (long enough for the finds)
    plain = [q.uid for q in aqparse.parse_many(text)]
    assert plain == ["QANR5L15QE23817"] * 40
    assert [q.uid for q in aqparse.parse_many(_NoFind(text))] == plain


def test_the_bounds_of_has_other_breaks_read_as_a_slice_s():
    # a short range goes to the regex, a long one to the finds: the same slice either way
    for length in (100, 300):
        text = "\x0b" + "a" * length
        assert not decode.has_other_breaks(text, -10)          # the last ten: "a"s only
        assert decode.has_other_breaks(text, -length - 1)      # from the start again
        assert decode.has_other_breaks(text, -400, -1)
