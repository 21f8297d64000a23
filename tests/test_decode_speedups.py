"""The faster mojibake hint and blank collapsing of ``decode`` give what the plain regexes give."""

import re

from hypothesis import given, strategies as st

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
       st.sampled_from(["x", "é"]), st.integers(0, 600), st.integers(0, 40), st.integers(0, 700))
def test_odd_character_checks_are_the_regexes(tail, pad_char, pad, start, end):
    # long texts take the finds, short ones the regex: both must say what the regex says
    text = pad_char * pad + tail
    assert decode.has_odd_characters(text) == (decode._ODD_CHAR.search(text) is not None)
    assert decode.has_other_breaks(text, start, end) == (
        decode._OTHER_BREAK.search(text, start, end) is not None)
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
