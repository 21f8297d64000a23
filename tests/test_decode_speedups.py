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
