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
