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


def test_odd_characters_are_the_regex_class():
    # (the finds look for these characters one by one: none may be missing)
    every = (chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert set(decode.ODD_CHARS) == {c for c in every if decode._ODD_CHAR.match(c)}


ODD_ALPHABET = "ab \n€’é\x0b\x85\u2028\u2029\u2061\u200b\ufeff\xad"


@given(st.text(alphabet=ODD_ALPHABET, max_size=40), st.integers(0, 600),
       st.integers(0, 40), st.integers(0, 700))
def test_odd_character_checks_are_the_regexes(tail, pad, start, end):
    # long texts take the finds, short ones the regex: both must say what the regex says
    text = "x" * pad + tail
    assert decode.has_odd_characters(text) == (decode._ODD_CHAR.search(text) is not None)
    assert decode.has_other_breaks(text, start, end) == (
        decode._OTHER_BREAK.search(text, start, end) is not None)
    assert decode.has_other_breaks(text) == (decode._OTHER_BREAK.search(text) is not None)
