"""The fast paths of the page reader give what the plain ones give.

``aqparse.html`` reads a page's text with its own walk (``element_text``, ``nodes_text``) and
cleans bodies with ``extract.clean_body_lines``; these must agree with ``markup`` and
``decode.clean_body``, which define the convention. The layouts' anchors are found by walking
the tree where an XPath was evaluated before; long dates are read without dateparser.
"""

import random
from pathlib import Path

import lxml.etree
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqparse import dates, html, markup
from aqparse.decode import clean_body, decode
from aqparse.extract import clean_body_lines

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "html"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def pages():
    found = sorted(CORPUS.glob("*.html")) + sorted(FIXTURES.glob("*.html"))
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    return [decode(path.read_bytes(), is_html=True) for path in found]


# -- cleaning a body ------------------------------------------------------------------------------

# the characters clean_body treats apart: blanks, odd blanks, every line break, tabs, controls
ODD = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u200b\u2028\u2029" \
      "\u202f\u205f\u3000"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(ODD + "ab.é"), max_size=40))
def test_clean_body_lines_is_clean_body(text):
    assert clean_body_lines(text) == clean_body(text)


def test_clean_body_lines_on_the_pages_text():
    for text in pages():
        for start in range(0, len(text), 997):
            piece = text[start:start + 3000]
            assert clean_body_lines(piece) == clean_body(piece)


# -- the text of elements -------------------------------------------------------------------------

def test_element_text_is_markups():
    for text in pages():
        root = html._lxml_tree(text)
        for el in root.iter(lxml.etree.Element):
            expected = markup.element_text(el)
            assert html.element_text(el) == expected
            if not html._markup_only(el):        # what a region known plain reads
                assert html.element_text(el, plain=True) == expected
            siblings = list(el.itersiblings())
            assert html.nodes_text(siblings, el.tail) == markup.nodes_text(siblings, el.tail)


def test_text_of_rare_markup_is_markups():
    page = ("<div><p>a<!-- c --> b<script>x()</script></p><table><tr><td>1<br>2</td>"
            "<td>3</td></tr></table><pre>p  q</pre><title>t</title>tail<br/>end</div>")
    root = lxml.etree.fromstring(page, lxml.etree.HTMLParser())
    for el in root.iter(lxml.etree.Element):
        assert html.element_text(el) == markup.element_text(el)
        nodes = list(el)
        assert html.nodes_text(nodes, el.text) == markup.nodes_text(nodes, el.text)


def test_survey_finds_the_containers():
    # a container is an element holding a block, as the region's first reading defined it
    for text in pages():
        root = html._lxml_tree(text)
        body = root.find("body")
        if body is None:
            continue
        tops = list(body)
        survey = html._survey(tops)
        expected = {el for top in tops for el in top.iter()
                    if any(d.tag in html._BLOCKS for d in el.iterdescendants())}
        assert survey.containers == expected
        assert survey.with_br == {el for top in tops for el in top.iter()
                                  if next(el.iterdescendants("br"), None) is not None}


# -- finding the layout ---------------------------------------------------------------------------

def has_class(name):
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


ANCHORS = {   # what each layout's anchor was, as an XPath
    "dyn": f"//div[{has_class('_style-question')}]",
    "question_col": f"//*[{has_class('question_legislature')}]",
    "fiche": "//leg | //num",
    "table": f"//td[{has_class('tdstyleh1')}] | //div[{has_class('contenutexte')}]",
}


def test_anchors_are_the_xpaths():
    classes = [" a\tquestion_legislature\nb ", "question_legislature", "question_legislature2",
               "x\xa0question_legislature", "contenutexte", "tdstyleh1 y", "_style-question"]
    made_up = "".join(f"<div class='{c}'>d</div><td class='{c}'>t</td><p class='{c}'>p</p>"
                      for c in classes)
    texts = pages() + [f"<html><body>{made_up}<num>1</num></body></html>",
                       "<html><body><p>x</p></body></html><html><num>2</num></html>"]
    for text in texts:
        root = html._lxml_tree(text)
        for layout in html.LAYOUTS:
            found = lxml.etree.XPath(ANCHORS[layout.name])(root)
            assert layout.anchor(root) is (found[0] if found else None)


# -- long dates -----------------------------------------------------------------------------------

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def test_long_dates_are_dateparsers():
    rng = random.Random(12)
    days = ["1er", "0", "00", "01", "1", "9", "28", "29", "30", "31", "32", "99"]
    years = ["2022", "2024", "1900", "2000", "0000", "0001", "9999"]
    cases = [f"{d} {m} {y}" for d in days for m in MONTHS for y in years]
    for value in rng.sample(cases, 150) + ["29 février 2024", "29 février 2023", "31 avril 2022",
                                           "1er mai 2023", "mardi 9 décembre 2014"]:
        dates._long_date.cache_clear()
        assert dates._long_date(value) == dates.dateparser_date(value), value
