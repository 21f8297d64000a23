"""Whole pages turned into text (a scraper's get_text(), a browser copy, a text browser's dump,
one line of a spreadsheet...): each question is read once, as its HTML page gives it, and the
site's furniture around it is neither a question, nor a body, nor text under no label.

The renderings are made here from the pages themselves (``renderings.py``); the records they
give are held against the record of the same page's HTML, which ``test_html.py`` checks against
the values a reader sees on the page.
"""

import functools
import json
import re
from pathlib import Path

import pytest

import aqparse
from aqparse.decode import decode
from aqparse.units import Sizes
from renderings import (RENDERINGS, SHOWS_HIDDEN, browser, get_text, get_text_lines,
                        pandoc_version, text_browser)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE.parents[1] / "shared" / "corpus" / "html"
FIXTURES = HERE / "fixtures" / "html"

CORPUS_PAGES = sorted(p.name for p in CORPUS.glob("*.html")) if CORPUS.is_dir() else []
# the table layout (no saved copy of a real page is known): pages written for the tests
TABLE_PAGES = sorted(p.name for p in FIXTURES.glob("table_*.html"))
# pages of the other layouts written for the project (fixtures/pages, with their records):
# the renderings are tested on them without the corpus too
FIXTURE_PAGE_DIR = HERE.parent / "fixtures" / "pages"
# (the /dyn/ pages last, and the table pages after them)
FIXTURE_PAGES = sorted((p.name for p in FIXTURE_PAGE_DIR.glob("*.html")),
                       key=lambda name: (name.startswith("dyn-"), name))
OUR_PAGES = FIXTURE_PAGES + TABLE_PAGES

# What the markup alone gives (the old pages' hidden block; the link to the deputy's page):
# a rendering that does not show it leaves it empty, one that shows it gives the same.
HIDDEN_BLOCK = (("closure",), ("author", "group_abbrev"), ("author", "region"))
LINK_ONLY = (("author", "acteur_ref"),)

# What a rendering cannot carry, for want of the markup, and the record then holds:
LIMITS = {
    # get_text() and text_content() glue the cells of a table in an answer
    # ("<th>Année</th><th>Rattachements</th>" reads "AnnéeRattachements")
    ("table_qe_answered.html", "get_text"): "glued cells",
    ("table_qe_answered.html", "text_content"): "glued cells",
    # w3m shows neither the title nor any furniture of this page (written without them): its
    # text shows no page, and a page's layout (its rows in columns) is undone only in a page's
    # text; in a dump with other pages it is (see test_a_w3m_dump_of_table_pages_...)
    ("table_qe_withdrawn.html", "w3m"): "no page sign",
    # ... nor do elinks and links (whose rows of cells side by side are not undone either)
    ("table_qe_withdrawn.html", "elinks"): "no page sign",
    ("table_qe_withdrawn.html", "links"): "no page sign",
    # pandoc draws the answer's own table, inside the layout's table, with a rule under its
    # first row that its narrow cell breaks ("--" then "----- ---------------"): it stays in
    # the answer
    ("table_qe_answered.html", "pandoc"): "a table's rule in a table's cell",
    # pandoc's Markdown writes the table layout as grid tables ("+----+", "| … |"), read cell
    # by cell before the Markdown in them; pandoc 2 breaks a long word in a narrow cell ("fe"
    # then "rroviaires"), which is read as two words
    **{(name, "pandoc_markdown"): "a word broken in a grid table's cell"
       for name in TABLE_PAGES if pandoc_version()[:1] == (2,)},
}


def _page(name):
    if name in TABLE_PAGES:
        return FIXTURES / name
    if name in FIXTURE_PAGES:
        return FIXTURE_PAGE_DIR / name
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS / name


def _html(name):
    raw = _page(name).read_bytes()
    return raw, decode(raw, is_html=True)


def _dotted(record, path):
    for key in path:
        record = (record or {}).get(key)
    return record


def _blank(record, path):
    *parents, last = path
    for key in parents:
        record = record.get(key) or {}
    if last in record:
        record[last] = None


def words(text):
    return " ".join(text.split()) if text else text


def comparable(record: dict, rendering: str, from_html: dict) -> dict:
    """A record's JSON form, as a text record and an HTML record are compared: but ``source``;
    bodies with their blanks collapsed (the text keeps the paragraphs its rendering shows);
    what only the markup gives, empty."""
    record = {k: v for k, v in record.items() if k != "source"}
    for key in ("question", "answer"):
        if record.get(key):
            record[key] = dict(record[key], text=words(record[key]["text"]))
    for path in LINK_ONLY + HIDDEN_BLOCK:
        _blank(record, path)
    return record


def assert_same_record(from_text, from_html, rendering, where=""):
    text, html = from_text.to_dict(), from_html.to_dict()
    assert text["source"]["format"] == "text"
    for path in HIDDEN_BLOCK:
        seen = _dotted(text, path)
        if rendering in SHOWS_HIDDEN:
            assert seen == _dotted(html, path), (where, path)
        else:
            assert seen in (None, _dotted(html, path)), (where, path)
    assert comparable(text, rendering, html) == comparable(html, rendering, html), where


CASES = [(page, rendering) for page in CORPUS_PAGES + OUR_PAGES for rendering in RENDERINGS
         if (page, rendering) not in LIMITS]


@pytest.mark.parametrize("name, rendering", CASES)
def test_a_page_in_any_rendering_gives_its_one_record(name, rendering):
    text, from_html = _rendered(name, rendering)
    records = list(aqparse.parse_many(text))
    assert len(records) == 1, [r.uid for r in records]
    assert_same_record(records[0], from_html, rendering)
    assert records[0].defects == ()


@functools.lru_cache(maxsize=None)
def _rendered(name, rendering):
    raw, html = _html(name)
    return RENDERINGS[rendering](html), aqparse.parse(raw)


def _dump(rendering, names, joint):
    texts, expected = zip(*(_rendered(name, rendering) for name in names))
    return joint.join(texts), list(expected)


# renderings whose text a dump holds whole; a text browser's columns (pandoc's plain text
# draws tables in columns too) do not survive being flattened to one line, so those are
# dumped line by line only; nor is Markdown ever flattened, nor a text whose every piece is
# already joined by a pipe ("get_text('|')": flattened, runs of "| | | |" between labels)
LINE_RENDERINGS = [r for r in RENDERINGS if r not in ("inscriptis", "w3m", "text_browser",
                                                      "elinks", "links", "pandoc",
                                                      "pandoc_markdown", "get_text_pipes")]


@pytest.mark.parametrize("rendering", list(RENDERINGS))
@pytest.mark.parametrize("joint", ["\n\n", "\n"], ids=["blank-line", "next-line"])
def test_a_dump_of_many_pages_splits_into_its_questions(rendering, joint):
    names = [n for n in CORPUS_PAGES + OUR_PAGES
             if all((n, r) not in LIMITS for r in (rendering,))]
    dump, expected = _dump(rendering, names, joint)
    records = list(aqparse.parse_many(dump))
    assert [r.uid for r in records] == [q.uid for q in expected]
    for record, html_record in zip(records, expected):
        assert_same_record(record, html_record, rendering, html_record.uid)
        assert record.defects == ()


@pytest.mark.parametrize("rendering", list(RENDERINGS))
def test_a_dump_of_many_pages_with_crlf_line_ends_splits_into_its_questions(rendering):
    # a CR at the end of each line of a text browser's columns (w3m, links) was text of a
    # column of its own: the header rows of the table pages were not read (no number)
    names = [n for n in CORPUS_PAGES + OUR_PAGES if (n, rendering) not in LIMITS]
    dump, expected = _dump(rendering, names, "\n")
    records = list(aqparse.parse_many(dump.replace("\r\n", "\n").replace("\n", "\r\n")))
    assert [r.uid for r in records] == [q.uid for q in expected]
    for record, html_record in zip(records, expected):
        assert_same_record(record, html_record, rendering, html_record.uid)
        assert record.defects == ()


@pytest.mark.parametrize("rendering", LINE_RENDERINGS)
def test_a_whole_dump_on_one_line_splits_into_its_questions(rendering):
    names = [n for n in CORPUS_PAGES + OUR_PAGES if (n, rendering) not in LIMITS]
    dump, expected = _dump(rendering, names, "\n")
    records = list(aqparse.parse_many(" ".join(dump.split())))
    assert [r.uid for r in records] == [q.uid for q in expected]
    for record, html_record in zip(records, expected):
        assert_same_record(record, html_record, rendering, html_record.uid)


# -- what a reader sees, read from the text ----------------------------------------------------

def test_the_old_pages_hidden_codes_are_read_from_the_text():
    # the page's source ends with <GRP>SOC</GRP> <NLEG>8</NLEG> <CODRET>REP_PUB</CODRET>
    # <REG>Nord-Pas-de-Calais</REG> <REPONSE>O</REPONSE>; get_text() shows them, a line each
    raw, html = _html("assemblee_leg_08-qe_ar.html")
    text = get_text(html)
    assert "SOC\n8\nREP_PUB\nNord-Pas-de-Calais\nO" in text
    q = aqparse.parse(text)
    assert (q.closure.code, q.closure.label) == ("REP_PUB", "Réponse publiée")
    assert (q.author.group_abbrev, q.author.region) == ("SOC", "Nord-Pas-de-Calais")
    assert q.answer.text.endswith("remises en cause a l'issue de cette periode.")
    # one line: the same
    q = aqparse.parse(" ".join(text.split()))
    assert (q.closure.code, q.author.group_abbrev, q.author.region) == (
        "REP_PUB", "SOC", "Nord-Pas-de-Calais")


def test_hidden_codes_that_disagree_with_the_text_are_a_defect():
    raw, html = _html("assemblee_leg_08-qe_ar.html")
    text = get_text(html).replace("SOC\n8\nREP_PUB", "SOC\n9\nREP_PUB")
    q = aqparse.parse(text)
    assert [(d.code, d.message) for d in q.defects] == [
        ("hidden-mismatch", "the page's hidden codes give legislature '9' but its text "
                            "gives '8'")]


def test_the_site_furniture_is_neither_a_question_nor_a_body():
    # the page of question 15-45373: its title and breadcrumb name the question, its footer
    # follows the answer
    raw, html = _html("assemblee_leg_15-qe-ar.html")
    text = get_text(html)
    for furniture in ("Question n°45373 - Assemblée nationale",
                      "Question écrite N°45373 de M. Gérard Leseul", "Mentions légales",
                      "Une semaine à l'Assemblée", "Standard 01 40 63 60 00"):
        assert furniture in " ".join(text.split())
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.status, q.title) == ("QANR5L15QE45373", "answered", "Accès aux livres")
    assert q.answer.text.endswith("les contours opérationnels, administratifs et financiers.")
    assert q.question.text.startswith("M. Gérard Leseul appelle l'attention de Mme la ministre")
    assert q.defects == () and q.extra == {}


def test_the_dyn_key_data_box_completes_the_question():
    # /dyn/ page of 16-200 QE: "Données clés" repeats the author and dates, and alone gives
    # the rubrique and the ministries
    raw, html = _html("aclain_16_qe.html")
    [q] = aqparse.parse_many(browser(html))
    assert (q.uid, q.title, q.rubrique) == ("QANR5L16QE200", "Agriculture biologique",
                                            "agriculture")
    assert q.ministry_asked.name == q.ministry_assigned.name == \
        "Agriculture et souveraineté alimentaire"
    assert (q.author.civility, q.author.name, q.author.region, q.author.group) == (
        "Mme", "Marie-Pierre Rixain", "Ile-de-France", "Renaissance")
    assert str(q.question.date) == "2022-07-26" and str(q.answer.date) == "2022-09-27"


def test_text_outside_every_question_is_reported_never_lost():
    # (after a page whose answer the site's footer ends: on an old page's browser copy,
    # nothing ends the answer but the next question, and the note would be read as its end)
    first, second = "assemblee_leg_15-qe-ar.html", "assemblee_leg_08-qe_ar.html"
    note = "Copié le 3 mars 2024 pour le mémoire de Mme Durand."
    dump = browser(_html(first)[1]) + "\n" + note + "\n" + browser(_html(second)[1])
    records = list(aqparse.parse_many(dump))
    assert [r.uid for r in records] == ["QANR5L15QE45373", "QANR5L8QE39461"]
    assert records[0].extra == {"(unlabelled)": note}
    [defect] = records[0].defects
    line = dump.split("\n").index(note) + 1
    assert (defect.code, defect.line) == ("unlabelled-text", line)
    assert records[1].defects == ()
    # before the first question: on the first record
    records = list(aqparse.parse_many(note + "\n" + dump))
    assert records[0].extra["(unlabelled)"].startswith(note)


def test_source_says_which_lines_a_question_was_read_from():
    names = ["assemblee_leg_08-qe_ar.html", "aclain_16_qg.html", "assemblee_leg_15-qe-ar.html"]
    dump, _ = _dump("get_text", names, "\n")
    lines = dump.split("\n")
    records = list(aqparse.parse_many(dump))
    starts = [r.source.line for r in records]
    assert [lines[n - 1].strip() for n in starts] == [
        "8ème législature", "Question au Gouvernement n°200 :", "15ème législature"]
    for record, following in zip(records, starts[1:] + [len(lines) + 1]):
        assert record.source.line < record.source.end_line < following
    # the last line of a question is the last of its answer, before the page's footer
    last = lines[records[2].source.end_line - 1]
    assert last.strip().endswith("les contours opérationnels, administratifs et financiers.")


def test_marks_of_text_tools_do_not_confuse_the_reading():
    # runs of indentation, "*" bullets, [n] link numbers, tabs between cells, no-break and
    # thin spaces, typographic apostrophes
    raw, html = _html("assemblee_leg_15-qe-ar.html")
    from_html = aqparse.parse(raw)
    text = text_browser(html)
    assert re.search(r"\[\d+\]M\. Gérard Leseul", text) and "   * " in text
    text = "\n".join("\t  " + line if n % 3 else line for n, line in enumerate(text.split("\n")))
    text = text.replace("Ministère interrogé > Culture", "Ministère\u00a0interrogé\u2009>\u202fCulture")
    text = text.replace("Tête d'analyse", "Tête d’analyse").replace("l'accès", "l’accès")
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.ministry_asked.name, q.rubrique, q.title) == (
        "QANR5L15QE45373", "Culture", "presse et livres", "Accès aux livres")
    assert q.author.name == "Gérard Leseul" and q.question.page == 2623
    assert words(q.answer.text.replace("’", "'")) == words(from_html.answer.text)
    assert q.defects == ()


def test_w3m_centred_header_row():
    # w3m wraps the 2010s header row in three columns and centres "Question N° : 812" on the
    # row's middle line, the author's cell wrapped above and below it
    if "w3m" not in RENDERINGS:
        pytest.skip("w3m is not installed")
    raw, html = _html("table_page_qosd_latin1.html")
    text = RENDERINGS["w3m"](html)
    assert re.search(r"\n +de Mme Odile Marchetti.*\nQuestion N° : 812  radical", text)
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.author.civility, q.author.name, q.author.group, q.author.constituency) == (
        "QANR5L13QOSD812", "Mme", "Odile Marchetti",
        "Socialiste, radical, citoyen et divers gauche", "Ariège")
    assert (q.rubrique, q.tete_analyse, q.analyses) == (
        "établissements de santé", "hôpitaux", ("maternité", "Saint-Girons"))
    assert q.defects == ()


@pytest.mark.parametrize("first, second", [
    ("table_qg_latin1.html", "dyn-16-qe-answered.html"),
    ("dyn-16-qe-answered.html", "table_qg_latin1.html"),
    ("table_qe_withdrawn.html", "table_qg_latin1.html"),
])
def test_a_w3m_dump_of_table_pages_gives_a_record_a_page(first, second):
    # "Question" over "N° : 1204" in the header row's first column: the page's question was
    # glued to the next page's; the withdrawn page's number and author are on one line with
    # single blanks between the cells, its author's cell wrapped under them
    if "w3m" not in RENDERINGS:
        pytest.skip("w3m is not installed")
    pages = [RENDERINGS["w3m"](_html(name)[1]) for name in (first, second)]
    assert re.search(r"\nQuestion +de M\. Paul Martin.*\nN° : 1204 ", "".join(pages))
    records = {q.uid: q for q in aqparse.parse_many("\n".join(pages))}
    uids = {"table_qg_latin1.html": "QANR5L13QG1204", "dyn-16-qe-answered.html": "QANR5L16QE3095",
            "table_qe_withdrawn.html": "QANR5L13QE30211"}
    assert list(records) == [uids[first], uids[second]]
    qg = records["QANR5L13QG1204"]
    assert (qg.kind, qg.number, qg.author.name, qg.author.constituency) == (
        "QG", 1204, "Paul Martin", "Gironde")
    assert qg.author.group == "Socialiste, radical, citoyen et divers gauche"
    assert qg.defects == ()
    if "QANR5L13QE30211" in records:
        qe = records["QANR5L13QE30211"]
        assert (qe.author.name, qe.author.group, qe.author.constituency) == (
            "Jean Lefort", "Gauche démocrate et républicaine", "Val-de-Marne")
        assert (qe.rubrique, qe.tete_analyse, qe.analyses) == (
            "transports ferroviaires", "RER", ("ligne C", "fonctionnement"))
        assert qe.defects == ()


_AUTHOR = re.compile(r"(M\.|Mme) [^<]*((?:</a>)?</b>) \( [^<]*? - [^<)]* \)")


@pytest.mark.parametrize("cols, author", [
    (60, None), (70, None), (100, None), (120, None),
    (75, "Jean-Christophe Lagarde-Dupont ( Gauche démocrate et républicaine - Seine-Saint-"
         "Denis )"),
    (60, "Li Wu ( UMP - Ain )"), (90, "Li Wu ( UMP - Ain )"),
])
def test_a_w3m_dump_of_the_table_pages_at_other_widths(cols, author):
    # narrower or wider, or another author, w3m wraps the header row's cells otherwise:
    # "Question N° :" over "24518", "N° :" over "1204" with a single blank before the author's
    # cell, "Question au" over "gouvernement" after a single blank, the author's cell above and
    # below the number, "Rubrique > impôt sur le Tête d'analyse > quotient  Analyse >"...
    if "w3m" not in RENDERINGS:
        pytest.skip("w3m is not installed")
    from renderings import _program
    w3m = _program("w3m", "-dump", "-T", "text/html", "-I", "utf-8", "-O", "utf-8",
                   "-cols", str(cols))
    pages = [_html(name)[1] for name in TABLE_PAGES]
    if author:
        # (the author's name, group and constituency: "M. Paul Martin</b> ( … - Gironde )")
        def another(m):
            return f"{m.group(1)} " + author.replace(" (", m.group(2) + " (", 1)
        pages = [_AUTHOR.sub(another, page, 1) for page in pages]
    dump = "\n".join(w3m(page) for page in pages)
    records = list(aqparse.parse_many(dump))
    expected = [aqparse.parse(page) for page in pages]
    if author:
        assert all(q.author.name == author.split(" (")[0] for q in expected)
    assert [r.uid for r in records] == [q.uid for q in expected]
    for record, html_record in zip(records, expected):
        assert_same_record(record, html_record, "w3m", html_record.uid)
        assert record.defects == ()


# -- the one cutter: a large dump of page texts read in parts gives the records of the whole ------

@pytest.mark.parametrize("rendering", ["get_text", "browser", "text_browser", "one_line",
                                       "elinks", "links", "pandoc", "pandoc_markdown"])
def test_convert_cuts_a_dump_of_page_texts_where_the_whole_is_cut(rendering, tmp_path):
    import json
    if rendering not in RENDERINGS:
        pytest.skip(f"{rendering} is not installed")
    names = CORPUS_PAGES + OUR_PAGES
    dump, expected = _dump(rendering, [n for n in names if (n, rendering) not in LIMITS], "\n")
    if rendering == "one_line":
        dump = " ".join(dump.split())          # a whole dump on one line: one unit
    path = tmp_path / "pages.txt"
    path.write_text(dump * 3, encoding="utf-8")
    parts = Sizes(split_above=20_000, chunk_chars=30_000)   # cut in parts of about 30 KB
    whole = list(aqparse.parse_many(dump * 3, path=str(path)))
    # the dump holds each question three times: copies, merged into one, which is each copy
    # but for where it was read (the last copy stands for the three)
    merged = {q.uid: q.to_dict() for q in aqparse.merge(whole)}
    # (on one line, the copies are glued with no blank: a copy's last word and the next one's
    # first are one word, and the questions there are not quite the same text)
    for q in whole if rendering != "one_line" else ():
        one = aqparse.Question.from_dict(merged[q.uid])
        assert one.sources == () and one.source.line >= q.source.line
        assert one.evolve(source=q.source, defects=q.defects) == q
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        summary = aqparse.convert([str(path)], out, jobs=jobs, quiet=True, sizes=parts)
        assert summary.errors == 0
        twice = {u for u in merged if [q.uid for q in whole].count(u) > 1}
        assert (summary.questions, summary.merged) == (len(merged), len(twice))
        written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert {q["uid"]: q for q in written} == merged


def test_a_large_page_text_dump_is_streamed_in_parts_like_the_whole(tmp_path):
    dump, expected = _dump("get_text", CORPUS_PAGES + OUR_PAGES, "\n")
    path = tmp_path / "pages.txt"
    path.write_text(dump, encoding="utf-8")
    # streamed above 1000 bytes, in parts of 8192 characters, cut inside pages
    streamed = [q.to_dict() for q in aqparse.read(path, stream_above=1000, chunk=8192)]
    whole = [q.to_dict() for q in aqparse.parse_many(dump, path=str(path))]
    assert streamed == whole
    assert [q["uid"] for q in streamed] == [q.uid for q in expected]


# -- found by an independent review: each failed before ------------------------------------------

def _page_html(name, change=None):
    raw, html = _html(name)
    return change(html) if change else html


def test_a_date_wrapped_by_a_text_browser_is_read():
    # lynx and w3m may wrap "…, posée en séance, et publiée le 26 octobre 2022" anywhere
    html = _page_html("aclain_16_qg.html")
    text = browser(html).replace("et publiée le 26 octobre 2022", "et publiée le 26\noctobre 2022")
    assert "le 26\noctobre 2022" in text
    [q] = aqparse.parse_many(text)
    assert (q.status, str(q.answer.date)) == ("answered", "2022-10-26")
    assert q.answer.text.startswith("PROJET DE LOI D'ORIENTATION")


@pytest.mark.parametrize("rendering", ["inscriptis", "text_browser"])
def test_a_body_of_two_paragraphs_in_a_table_cell(rendering):
    # the old pages' answers lie in a table cell; a paragraph break in it, then the heading
    # centred on the cell's middle line, or a blank line inside a drawn row
    html = _page_html("assemblee_leg_08-qe_ar.html", lambda h: h.replace(
        "certaines academies. Est ainsi", "certaines academies.<BR><BR>Est ainsi", 1))
    [q] = aqparse.parse_many(RENDERINGS[rendering](html))
    assert q.answer.text.startswith("Reponse. - disciplines, le mouvement national")
    assert "certaines academies.\n\nEst ainsi notamment" in q.answer.text
    assert q.question.text.endswith("statut d'athlete de haut niveau.")
    assert q.analyses == ("Enseignants", "mutations")


def test_the_assembly_named_at_the_end_of_a_body_stays_in_it():
    text = (FIXTURES.parents[1].parent / "fixtures" / "qe-pending.txt").read_text(encoding="utf-8")
    dumped = text.rstrip() + " dont a débattu l'Assemblée nationale\n" + text
    first = list(aqparse.parse_many(dumped))[0]
    assert first.question.text.endswith("dont a débattu l'Assemblée nationale")


def test_a_note_after_an_old_page_s_codes_is_reported_and_the_codes_read():
    html = _page_html("assemblee_leg_09-qe_ar.html")
    text = get_text(html).rstrip() + "\nRelevé le 3 mars 2024 par le service documentation.\n"
    [q] = aqparse.parse_many(text)
    assert (q.closure.code, q.author.group_abbrev, q.author.region) == (
        "REP_PUB", "UDF", "Pays-de-Loire")
    assert q.answer.text.endswith("a 7 200 francs par mois.")
    assert q.extra == {"(unlabelled)": "Relevé le 3 mars 2024 par le service documentation."}


def test_a_drawn_table_with_crlf_line_ends():
    html = _page_html("assemblee_leg_10-qe_ar.html")
    text = text_browser(html).replace("\n", "\r\n")
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.author.name) == ("QANR5L10QE50237", "Marlin Franck")
    assert q.defects == ()


def test_one_line_answer_heading_after_a_body_without_a_final_stop():
    text = (FIXTURES.parents[1].parent / "fixtures" / "qe-answered-attribution-change.txt"
            ).read_text(encoding="utf-8")
    whole = aqparse.parse(text)
    body = whole.question.text.split("\n\n")[-1]
    flat = " ".join(text.replace(body, body.rstrip(".")).split())
    q = aqparse.parse(flat)
    assert q.answer is not None and words(q.answer.text) == words(whole.answer.text)


def test_a_legislature_named_in_a_sentence_starts_no_question_on_one_line():
    text = (FIXTURES.parents[1].parent / "fixtures" / "qe-pending.txt").read_text(encoding="utf-8")
    body_end = text.rstrip().rsplit(".", 1)[0]
    flat = " ".join((body_end + ", au cours de la 15e législature Question N° 1234 reste posée."
                     ).split())
    records = list(aqparse.parse_many(flat))
    assert len(records) == 1 and "15e législature Question N° 1234" in records[0].question.text


def test_a_print_word_alone_on_a_body_line_is_the_body_s_own():
    text = (FIXTURES.parents[1].parent / "fixtures" / "qe-pending.txt").read_text(encoding="utf-8")
    text = text.rstrip() + "\nImprimer\nsuite du texte adoptée par l'Assemblée nationale.\n"
    [q] = aqparse.parse_many(text)
    assert q.question.text.endswith("Imprimer\nsuite du texte adoptée par l'Assemblée nationale.")
    assert q.defects == ()


def test_box_characters_in_running_text_are_kept():
    text = (FIXTURES.parents[1].parent / "fixtures" / "qe-pending.txt").read_text(encoding="utf-8")
    text = text.rstrip() + " Le ratio passe de 1 ─ 2 à 3 │ 4.\n"
    [q] = aqparse.parse_many(text)
    assert q.question.text.endswith("Le ratio passe de 1 ─ 2 à 3 │ 4.")


def test_a_dump_of_one_page_a_line_reads_in_linear_time():
    # (a ratio of two times taken in the same run: no wall-clock bound)
    import time
    one = "\n".join(_rendered(name, "get_text_spaced")[0]
                    for name in (CORPUS_PAGES or OUR_PAGES * 2)[:12])

    def timed(text):
        start = time.perf_counter()
        n = sum(1 for _ in aqparse.parse_many(text))
        return time.perf_counter() - start, n

    (small, n1), (large, n8) = timed(one), timed("\n".join([one] * 8))
    assert n8 == 8 * n1
    assert large / small < 20, (small, large)      # linear: about 8; quadratic: about 64


@pytest.mark.parametrize("where", ["line start", "mid-line", "line end"])
def test_a_body_wrapped_by_a_text_browser_is_joined_with_an_invisible_character_in_it(where):
    # an invisible character takes no column: a line holding one was read as wider than the
    # text's width (the body then not wrapped at all), and one starting a line as its first
    # word (that line then not joined to the one before)
    answer = ("Le transport scolaire relève des régions. L'État leur verse chaque année une "
              "dotation qui tient compte des zones de montagne, des distances parcourues et du "
              "nombre d'élèves transportés. Les régions peuvent en outre conclure avec les "
              "départements des conventions de délégation, qui précisent les circuits, les "
              "horaires et les points d'arrêt, ainsi que la participation demandée aux "
              "familles. Une mission d'inspection a été chargée d'examiner les trajets les plus "
              "longs et de proposer, avant la fin de l'année, des solutions adaptées aux "
              "communes de montagne, en lien avec les autorités organisatrices de la mobilité.")
    html = _html("dyn-16-qe-answered.html")[1].replace(
        "Le transport scolaire relève des régions. L'État leur verse chaque année une "
        "dotation qui tient compte des zones de montagne.", answer)
    text = text_browser(html)
    lines = text.split("\n")
    # the widest line of the answer, inside it (lines before and after)
    first = next(n for n, line in enumerate(lines) if "Le transport scolaire" in line)
    last = next(n for n, line in enumerate(lines) if "autorités organisatrices" in line)
    k = max(range(first + 1, last), key=lambda n: len(lines[n].rstrip()))
    line = lines[k]
    at = {"line start": 0, "mid-line": line.index(" ", len(line) // 2),
          "line end": len(line.rstrip())}[where]
    lines[k] = line[:at] + "\u200b" + line[at:]
    record = aqparse.parse("\n".join(lines))
    assert " ".join(record.answer.text.replace("\u200b", "").split()) == answer
    assert "\n" not in record.answer.text       # one paragraph, as the page has it


def test_what_a_text_holding_an_invisible_character_keeps_as_written_is_read_as_without_it():
    # its bodies are kept as written, invisible characters and all, but laid out as the text
    # without them is: lynx's numbers blanked where the visible text shows them ("[1\u200b2]"
    # too), a note's number kept where it does not ("INSEE[7]\u200b,"), a bordered table's
    # cells read one after another
    page = text_browser(_html("question-col-14-qe-attribution-change.html")[1])
    body = "Il lui demande quel calendrier est prévu pour ces communes."
    assert body in page
    for added, kept in (("selon l'INSEE[7]\u200b, en 2019", "selon l'INSEE[7]\u200b, en 2019"),
                        ("voir [1\u200b2]Mme X et [\u200b9]M. Y", "voir \u200b Mme X et \u200b M. Y")):
        record = aqparse.parse(page.replace(body, body + " " + added))
        assert record.question.text.endswith(body + " " + kept)
        assert record.author.name == "Jean-Marc Fabre"
    if "w3m" not in RENDERINGS:
        pytest.skip("w3m is not installed: its bordered tables are not rendered")
    for name in TABLE_PAGES:
        table = RENDERINGS["w3m"](_html(name)[1])
        if "│" not in table and "┃" not in table:
            continue
        clean = aqparse.parse_many(table)
        with_one = aqparse.parse_many(table + "\u200b\n")
        for a, b in zip(clean, with_one):
            for field in ("status", "question", "answer", "author", "rubrique"):
                assert getattr(a, field) == getattr(b, field), (name, field)


def test_a_line_ending_in_a_blank_then_an_invisible_character_is_as_wide_as_without_them():
    from aqparse.decode import clean_text_body

    line = "Le ministre répond à la question posée par le député de la circonscription"[:73]
    assert len(line) == 73
    for end in (" \u200b", "\u200b", "\u200b ", ""):
        text = clean_text_body(line + end + "\nM. le président. La parole est à M. X.",
                               wrapped_at=76)
        # 73 columns and "M." (2) do not make 76: the line was not wrapped, it ends there
        assert text.split("\n")[0].replace("\u200b", "").rstrip() == line, end


@pytest.mark.parametrize("name, codes, status", [
    # the fixture pages' hidden block: <GRP>SOC</GRP> <NLEG>9</NLEG> <CODRET>REP_PUB</CODRET>
    # <REG>Languedoc-Roussillon</REG> <REPONSE>O</REPONSE>; and COM 8 AU Ile-de-France N
    ("fiche-09-qe-answered", "SOC 9 REP_PUB Languedoc-Roussillon O", "answered"),
    ("fiche-08-qosd-withdrawn", "COM 8 AU Ile-de-France N", "withdrawn"),
])
@pytest.mark.parametrize("after, kept", [
    ("\nNote : copié le 3 mars 2021\n", "copié le 3 mars 2021"),
    ("\n\nCopié le 3 mars 2021", "Copié le 3 mars 2021"),
    ("\nsource : archives, relevé de 1998\n", "source : archives, relevé de 1998"),
])
def test_hidden_codes_at_the_end_of_a_line_end_the_answer_whatever_follows(name, codes, status,
                                                                            after, kept):
    # a whole old page on one line (get_text(" ", strip=True)), its codes after the last
    # answer words, then a note: the codes and the note were read as the end of the answer
    # (a question left unanswered got one), and the codes were lost
    html = (FIXTURE_PAGE_DIR / f"{name}.html").read_bytes().decode("cp1252")
    one_line = " ".join(get_text(html).split())
    assert one_line.endswith(" " + codes)
    q = aqparse.parse(one_line + after)
    group, _, closure, region, _ = codes.split()
    assert (q.author.group_abbrev, q.closure.code, q.author.region, q.status) == (
        group, closure, region, status)
    if status == "answered":
        assert q.answer.text.endswith("aux mêmes horaires.")
    else:
        assert q.answer is None
    # the note is not lost: kept and said
    assert kept in " ".join(dict(q.extra).values()) + " " + " ".join(dict(q.extra))
    assert q.defects


@pytest.mark.parametrize("invisible", ["\ufeff", "\u200b", "\u200e"])
def test_an_invisible_character_between_two_files_of_a_dump_is_nobody_s(tmp_path, invisible):
    # `cat` of files saved with a byte order mark, the second a page's text (its first lines
    # blank): the mark went into the last body of the file before it, and an empty answer
    # ("Texte de la REPONSE :" and nothing) became an answer, "\ufeff"
    page = get_text((FIXTURE_PAGE_DIR / "question-col-14-qe-attribution-change.html")
                    .read_text(encoding="utf-8"))
    assert page.startswith("\n")
    pending = (ROOT / "fixtures" / "qe-pending.txt").read_text(encoding="utf-8")
    withdrawn = (ROOT / "fixtures" / "copied-fiche-08-qosd-ret.txt").read_text(encoding="utf-8")
    path = tmp_path / "all.txt"
    for first in (pending, withdrawn + "\n"):
        path.write_text(invisible + first + invisible + page, encoding="utf-8")
        q, from_page = aqparse.read(str(path))
        assert from_page.uid == "QANR5L14QE51234"
        if first is pending:      # "… de la pêche." ends its question
            assert q.question.text.endswith("de la pêche.") and q.answer is None
        else:                     # "Texte de la REPONSE :" and nothing after it
            assert (q.status, q.answer) == ("withdrawn", None)


@pytest.mark.parametrize("end", ["", " ", "\n"])
def test_a_one_line_question_ending_with_an_empty_answer_heading(end):
    # fixtures/copied-question-col-14-qe-sr.txt on one line (a spreadsheet's cell): its
    # question ends "… le vignoble français." and its answer area holds only the heading
    # "Texte de la réponse", which stayed in the question's body at the very end of the text
    one = " ".join((ROOT / "fixtures" / "copied-question-col-14-qe-sr.txt")
                   .read_text(encoding="utf-8").split())
    assert one.endswith("le vignoble français. Texte de la réponse")
    [q] = aqparse.parse_many(one + end)
    assert q.question.text.endswith("qui impactent gravement le vignoble français.")
    assert q.answer is None and q.status == "withdrawn"     # "Question retirée le : …"


def test_a_dyn_page_author_whose_parenthesis_a_text_browser_wrapped():
    # fixtures/pages/dyn-16-qe-answered.html's author, "M. Olivier Perrin
    # (Auvergne-Rhône-Alpes - Les Républicains)", given a longer name and region: lynx wraps
    # the line before "(", and the region and group were lost into the question's body
    html = (FIXTURE_PAGE_DIR / "dyn-16-qe-answered.html").read_text(encoding="utf-8")
    assert html.count("M. Olivier Perrin") and html.count("Auvergne-Rhône-Alpes")
    html = html.replace("M. Olivier Perrin", "Mme Marie-Christine Verdier-Jouclas").replace(
        "Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté")
    # the text browser's dump, the line wrapped before the parenthesis whatever its width
    wrapped, n = re.subn(r"Verdier-Jouclas\s*\(Bourgogne", "Verdier-Jouclas\n   (Bourgogne",
                         text_browser(html), count=1)
    assert n == 1
    q = aqparse.parse(wrapped)
    assert (q.author.name, q.author.region, q.author.group) == (
        "Marie-Christine Verdier-Jouclas", "Bourgogne-Franche-Comté", "Les Républicains")
    assert q.defects == ()
    assert q.question.text.startswith("Mme Marie-Christine Verdier-Jouclas attire l'attention")


def test_a_token_a_text_browser_broke_after_a_slash_is_joined_whole():
    # w3m breaks a token too long for its line after one of its slashes: an address, a date.
    # Joined with a blank, "…/jorf/ id/JORFTEXT…" and "17/04/ 2019" were read, and a date
    # broken so in a table's cell was lost (bad-date). A line that was not wrapped there (the
    # next word would have fitted) keeps its break
    from aqparse.decode import clean_text_body

    body = ("Voir https://www.legifrance.gouv.fr/jorf/\n"
            "id/JORFTEXT000046383394 et le décret n° 2019-1234 du 17/04/\n"
            "2019 relatif aux transports scolaires dans les communes de\n"
            "montagne.\n"
            "Court/\n"
            "Fin.")
    assert clean_text_body(body, wrapped_at=60) == (
        "Voir https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000046383394 et le décret n° "
        "2019-1234 du 17/04/2019 relatif aux transports scolaires dans les communes de "
        "montagne.\nCourt/\nFin.")


@pytest.mark.parametrize("line", [
    "Les travaux sur la RN 12 A Rennes, puis sur la N",
    "le contrat Lille 3 CHU Roubaix, Tourcoing et N",
    "la SNCF 12 TER Bretagne et N",
    "le réseau RER 2 SNCF Ile-de-France N",
    "le CHU 3 ARS Hauts-de-France O",
    "le décret CE 12 UE Bruxelles O",
    # (a region of seven words of capitals: the pattern took seconds on it, as n**7)
    "Les sigles SOC 9 REP_PUB " + " ".join(["A" * 30] * 7) + " et",
])
def test_an_answer_line_shaped_like_the_hidden_codes_stays_in_the_answer(line):
    # fixtures/pages/fiche-09-qe-answered.html, its answer given one more sentence, the line
    # broken after "N" (a road, "N 165"): the line was read as the hidden codes (group "RN",
    # closure "A", region "Rennes, puis sur la"), the answer cut there
    html = (FIXTURE_PAGE_DIR / "fiche-09-qe-answered.html").read_bytes().decode("cp1252")
    html = html.replace("l'automne, aux mêmes horaires.",
                        f"l'automne, aux mêmes horaires. {line}<br>165 se poursuivent.")
    q = aqparse.parse(get_text_lines(html))
    assert (q.author.group_abbrev, q.closure.code, q.author.region) == (
        "SOC", "REP_PUB", "Languedoc-Roussillon")
    assert q.answer.text.endswith(f"{line}\n165 se poursuivent.")


def test_a_dyn_page_question_beginning_with_a_parenthesis_keeps_it():
    # the author's line with no parenthesis, the question's first line one: it is no region
    # and group (it became the author's group, cut from the question)
    html = (FIXTURE_PAGE_DIR / "dyn-16-qe-answered.html").read_text(encoding="utf-8")
    text = text_browser(html)
    text, n = re.subn(r"(Question de : M\. Olivier Perrin)\s*\(Auvergne-Rhône-Alpes - Les "
                      r"Républicains\)\s*", "\\1\n   (Question reprise du 12 mars) ", text)
    assert n == 1
    q = aqparse.parse(text)
    assert (q.author.name, q.author.group, q.author.region) == ("Olivier Perrin", None, None)
    assert q.question.text.startswith("(Question reprise du 12 mars) M. Olivier Perrin attire")


@pytest.mark.parametrize("region", ["Provence-Alpes-Côte d'Azur", "Pays de la Loire", "DOM-TOM",
                                    "Polynésie française", "Français de l'étranger"])
def test_hidden_codes_at_a_line_end_with_a_region_of_several_words(region):
    html = (FIXTURE_PAGE_DIR / "fiche-09-qe-answered.html").read_bytes().decode("cp1252")
    html = html.replace("<REG>Languedoc-Roussillon</REG>", f"<REG>{region}</REG>")
    one_line = " ".join(get_text(html).split())
    assert one_line.endswith(f"SOC 9 REP_PUB {region} O")
    q = aqparse.parse(one_line + "\nNote : copié le 3 mars 2021\n")
    assert (q.author.group_abbrev, q.closure.code, q.author.region) == ("SOC", "REP_PUB", region)
    assert q.answer.text.endswith("aux mêmes horaires.")


@pytest.mark.parametrize("wrap", ["Auvergne-Rhône-Alpes\n- Les Républicains",
                                  "Auvergne-Rhône-Alpes -\nLes Républicains",
                                  "Auvergne-Rhône-Alpes\n   - Les Républicains"])
def test_a_dyn_page_author_parenthesis_wrapped_around_its_dash(wrap):
    # "(Auvergne-Rhône-Alpes - Les Républicains)" on the line after the author, wrapped again
    # around its dash: still the author's region and group
    html = (FIXTURE_PAGE_DIR / "dyn-16-qe-answered.html").read_text(encoding="utf-8")
    text, n = re.subn(r"(Question de : M\. Olivier Perrin)\s*\(Auvergne-Rhône-Alpes - Les "
                      r"Républicains\)", lambda m: m.group(1) + "\n(" + wrap + ")",
                      text_browser(html))
    assert n == 1
    q = aqparse.parse(text)
    assert (q.author.name, q.author.region, q.author.group) == (
        "Olivier Perrin", "Auvergne-Rhône-Alpes", "Les Républicains")
    assert q.question.text.startswith("M. Olivier Perrin attire")


# -- narrow (and wide) text browsers: each failed before ------------------------------------------

# lynx at 40 columns breaks a word longer than its line anywhere ("Sarl" then "at"): the
# corpus pages are read at the widths where only blanks and slashes are broken
_NARROW_OURS = [("lynx", 40), ("lynx", 50), ("lynx", 60), ("w3m", 50), ("w3m", 66)]
_NARROW_CORPUS = [("lynx", 50), ("w3m", 50), ("w3m", 66)]


@pytest.mark.parametrize("name, tool, width",
                         [(n, t, w) for n in OUR_PAGES for t, w in _NARROW_OURS
                          if (n, t) not in LIMITS]
                         + [(n, t, w) for n in CORPUS_PAGES for t, w in _NARROW_CORPUS])
def test_a_page_dumped_by_a_text_browser_at_another_width_gives_its_one_record(name, tool, width):
    # a narrow terminal wraps the breadcrumb ("Recherche >" then "Question N°24518"), the
    # footer ("… Assemblée" then "nationale 2019"), the /dyn/ title before its colon, the
    # author's name before its parenthesis, a header value before the next label ("Tête
    # d'analyse >" then "RER Analyse > ligne C"), a date at a slash ("08/06/" then "1992",
    # in a table's cell or not, "2017" then "/1564" in a body): each gave a wrong field, a
    # lost date or title, text under no label, or a record of the breadcrumb
    from renderings import at_width
    render = at_width(tool, width)
    if render is None:
        pytest.skip(f"{tool} is not installed")
    raw, html = _html(name)
    records = list(aqparse.parse_many(render(html)))
    assert len(records) == 1, [r.uid for r in records]
    assert_same_record(records[0], aqparse.parse(raw), tool, f"{tool} -width {width}")
    assert records[0].defects == ()


def test_a_dyn_page_title_and_author_wrapped_by_a_narrow_text_browser():
    html = (FIXTURE_PAGE_DIR / "dyn-16-qg-debate.html").read_text(encoding="utf-8")
    text = browser(html)
    for line, wrapped in (
            ("Question au Gouvernement n°735 : FERMETURE DES URGENCES DE NUIT",
             "Question au Gouvernement n°735\n: FERMETURE DES URGENCES DE\nNUIT"),
            ("Question de : Mme Claire Dubois (Bretagne - Socialistes et apparentés)",
             "Question de : Mme Claire\nDubois\n(Bretagne - Socialistes et\napparentés)")):
        assert line in text
        text = text.replace(line, wrapped)
    q = aqparse.parse(text)
    assert (q.kind, q.number, q.title) == ("QG", 735, "FERMETURE DES URGENCES DE NUIT")
    assert (q.author.civility, q.author.name, q.author.region, q.author.group) == (
        "Mme", "Claire Dubois", "Bretagne", "Socialistes et apparentés")
    assert q.defects == ()


def test_a_header_value_wrapped_before_the_next_label_or_at_a_date_s_slash():
    text = ("13ème législature\n"
            "Question N° : 30211 de M. Jean Lefort ( Gauche démocrate et républicaine - "
            "Val-de-Marne ) QE\n"
            "Ministère interrogé > Transports\n"
            "Ministère attributaire > Écologie\n"
            "Rubrique > transports ferroviaires Tête d'analyse >\n"
            "RER Analyse > ligne C. fonctionnement\n"
            "Question publiée au JO le : 05/\n"
            "01/2010 page : 41\n"
            "Date de changement d'attribution : 02/03\n"
            "/2010\n"
            "Texte de la question\n"
            "M. Jean Lefort interroge M. le ministre sur la ligne C du RER.\n")
    q = aqparse.parse(text)
    assert (q.rubrique, q.tete_analyse, q.analyses) == (
        "transports ferroviaires", "RER", ("ligne C", "fonctionnement"))
    assert (str(q.question.date), q.question.page) == ("2010-01-05", 41)
    assert [str(a.date) for a in q.attributions][-1] == "2010-03-02"
    assert q.defects == ()


def test_a_date_w3m_broke_at_its_slash_in_a_table_cell():
    # fixtures/pages/fiche-09-qe-answered.html as w3m -cols 50 draws it: each date broken
    # after its slash in its cell ("08/06/" over "1992")
    text = """\
                9ème législature
┏━━━━━━━━━━━━┯━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┯━━┓
┃Question N° │     de  M.   Verdier Paul (    │QE┃
┃  : 71234   │     Socialiste - Hérault )     │  ┃
┠────────────┼────────────────────────────────┴──┨
┃Ministère   │équipement, logement et transports ┃
┃interrogé : │                                   ┃
┠────────────┼───────────────────────────────────┨
┃            │Question publiée au JO le :  08/06/┃
┃            │1992  page :  2501                 ┃
┠────────────┼───────────────────────────────────┨
┃            │Réponse publiée au JO le :  27/07/ ┃
┃            │1992  page :  3402                 ┃
┠────────────┼───────────────────────────────────┨
┃            │M. Paul Verdier appelle l'attention┃
┃Texte de la │de M. le ministre sur la ligne de  ┃
┃ QUESTION : │Bédarieux à Lodève.                ┃
┠────────────┼───────────────────────────────────┨
┃Texte de la │Réponse. - La ligne ne reçoit plus ┃
┃ REPONSE :  │que quelques voyageurs par jour.   ┃
┗━━━━━━━━━━━━┷━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛
"""
    q = aqparse.parse(text)
    assert (q.uid, q.author.name) == ("QANR5L9QE71234", "Verdier Paul")
    assert (str(q.question.date), q.question.page) == ("1992-06-08", 2501)
    assert (str(q.answer.date), q.answer.page) == ("1992-07-27", 3402)
    assert q.answer.text == "Réponse. - La ligne ne reçoit plus que quelques voyageurs par jour."
    assert q.defects == ()


def test_a_token_w3m_broke_before_its_slash_is_joined_whole():
    # w3m also breaks a token before one of its slashes ("directive 2017" then "/1564")
    from aqparse.decode import clean_text_body

    body = ("Le traité a été inscrit dans le droit communautaire par la directive 2017\n"
            "/1564 et du règlement 2017/1563 du 13 septembre 2017. En France, c'est la\n"
            "loi du 5 septembre 2018 pour la liberté de choisir son avenir qui l'a fait\n"
            "dans le code de la propriété intellectuelle, aux articles L. 122-5 et\n"
            "suivants, pour les personnes empêchées de lire du fait d'un handicap, et\n"
            "qui a transposé ces textes européens dans le droit français depuis lors,\n"
            "sans attendre la fin des travaux de la Commission européenne sur ce sujet\n"
            "qui se poursuivent, pour l'essentiel, dans le cadre du marché unique.\n"
            "Court\n"
            "/fin.")
    assert clean_text_body(body, wrapped_at=75).startswith(
        "Le traité a été inscrit dans le droit communautaire par la directive 2017/1564 et "
        "du règlement 2017/1563 du 13 septembre 2017. En France, c'est la loi du")
    assert clean_text_body(body, wrapped_at=75).endswith("marché unique.\nCourt\n/fin.")


# -- tables drawn in ASCII: w3m in a Latin-1 or ASCII terminal (each failed before) ---------------

# what a Latin-1 terminal cannot show of a page: "?" for a curly apostrophe; w3m then breaks a
# line after "l?", and the break is read as a blank ("l? Assemblée"): that answer is compared
# with that blank taken out
_LATIN1_LIMITS = {("aclain_16_qosd.html", "answer")}


def _as_latin1_shows_it(record):
    data = json.dumps(record.to_dict(), ensure_ascii=False)
    return aqparse.Question.from_dict(json.loads(data.encode("latin-1", "replace").decode("latin-1")))


@pytest.mark.parametrize("name", [n for n in OUR_PAGES + CORPUS_PAGES if (n, "w3m") not in LIMITS])
def test_a_page_dumped_by_w3m_in_a_latin1_terminal_gives_its_one_record(name):
    # w3m writing Latin-1 draws a table's borders in ASCII ("+-----+", "|-----+-----|", "|"
    # between cells): the old pages gave no number, no dates, fields under unknown labels
    if "w3m" not in RENDERINGS:
        pytest.skip("w3m is not installed")
    import subprocess
    raw, html = _html(name)
    out = subprocess.run(["w3m", "-dump", "-T", "text/html", "-I", "utf-8", "-O", "iso-8859-1"],
                         input=re.sub(r"<meta[^>]*charset[^>]*>", "", html, flags=re.I)
                         .encode("utf-8"), capture_output=True, check=True).stdout
    records = list(aqparse.parse_many(out))
    assert len(records) == 1, [r.uid for r in records]
    from_html = _as_latin1_shows_it(aqparse.parse(raw))
    if (name, "answer") in _LATIN1_LIMITS:
        text, html_ = (comparable(r.to_dict(), "w3m", from_html.to_dict())
                       for r in (records[0], from_html))
        assert text["answer"]["text"].replace("l? ", "l?") == html_["answer"]["text"]
        text["answer"] = html_["answer"] = None
        assert text == html_
    else:
        assert_same_record(records[0], from_html, "w3m")
    assert records[0].defects == ()


def test_a_table_drawn_in_ascii_is_read_cell_by_cell():
    # fixtures/pages/fiche-09-qe-answered.html as w3m -O iso-8859-1 draws it, saved in Latin-1
    text = """\
                               9ème législature
+-----------------------------------------------------------------------------+
|Question N° :  |      de  M.   Verdier Paul ( Socialiste - Hérault )     |QE |
|     71234     |                                                         |   |
|---------------+-------------------------------------------------------------|
|Ministère      |équipement, logement et transports                           |
|interrogé :    |                                                             |
|---------------+-------------------------------------------------------------|
|Ministère      |équipement, logement et transports                           |
|attributaire : |                                                             |
|---------------+-------------------------------------------------------------|
|               |Question publiée au JO le :  08/06/1992  page :  2501        |
|---------------+-------------------------------------------------------------|
|               |Réponse publiée au JO le :  27/07/1992  page :  3402         |
|---------------+-------------------------------------------------------------|
|---------------+-------------------------------------------------------------|
|Rubrique :     |Transports ferroviaires                                      |
|---------------+-------------------------------------------------------------|
|Tête d'analyse |Lignes                                                       |
|:              |                                                             |
|---------------+-------------------------------------------------------------|
|Analyse :      |Fermeture. Hérault                                           |
|---------------+-------------------------------------------------------------|
|               |M. Paul Verdier appelle l'attention de M. le ministre de     |
|  Texte de la  |l'équipement, du logement et des transports sur le projet de |
|  QUESTION :   |fermeture de la ligne de Bédarieux à Lodève. Il lui demande  |
|               |quelles dessertes seront maintenues.                         |
|---------------+-------------------------------------------------------------|
|  Texte de la  |Réponse. - La ligne de Bédarieux à Lodève ne reçoit plus que |
|   REPONSE :   |quelques voyageurs par jour. Un service d'autocars la        |
|               |remplacera dès l'automne, aux mêmes horaires.                |
+-----------------------------------------------------------------------------+
SOC 9 REP_PUB Languedoc-Roussillon O
"""
    q = aqparse.parse(text.encode("latin-1"))
    assert (q.uid, q.author.civility, q.author.name) == ("QANR5L9QE71234", "M.", "Verdier Paul")
    assert (q.author.group, q.author.constituency) == ("Socialiste", "Hérault")
    assert q.ministry_asked.name == q.ministry_assigned.name == "équipement, logement et transports"
    assert (str(q.question.date), q.question.page) == ("1992-06-08", 2501)
    assert (str(q.answer.date), q.answer.page) == ("1992-07-27", 3402)
    assert (q.rubrique, q.tete_analyse, q.analyses) == (
        "transports ferroviaires", "Lignes", ("Fermeture", "Hérault"))
    assert q.question.text == (
        "M. Paul Verdier appelle l'attention de M. le ministre de l'équipement, du logement et "
        "des transports sur le projet de fermeture de la ligne de Bédarieux à Lodève. Il lui "
        "demande quelles dessertes seront maintenues.")
    assert q.answer.text.endswith("remplacera dès l'automne, aux mêmes horaires.")
    assert (q.closure.code, q.author.region) == ("REP_PUB", "Languedoc-Roussillon")
    assert q.defects == ()


# -- a page as Markdown (html2text, markdownify): each failed before ----------------------------------

def _markdown(tool):
    """A Markdown rendering: the tool, then its options ("html2text-nolinks")."""
    base, _, options = tool.partition("-")
    if base == "html2text":
        html2text = pytest.importorskip("html2text")
        settings = {"": {}, "nolinks": {"ignore_links": True}, "unwrapped": {"body_width": 0},
                    "references": {"inline_links": False}, "crlf": {},
                    "protect": {"protect_links": True},
                    "imageshtml": {"images_as_html": True}}[options]

        def render(html):
            h = html2text.HTML2Text()
            for key, value in settings.items():
                setattr(h, key, value)
            text = h.handle(html)
            return text.replace("\n", "\r\n") if options == "crlf" else text
        return render
    markdownify = pytest.importorskip("markdownify").markdownify
    kwargs = {"": {}, "bullets": {"bullets": "-+*"}, "atx": {"heading_style": "ATX"},
              "underscore": {"strong_em_symbol": "_"}, "nolinks": {"strip": ["a"]}}[options]
    return lambda html: markdownify(html, **kwargs)


# (html2text-protect: addresses in angle brackets; -imageshtml: images left as <img>;
# markdownify-underscore: "__bold__" and "_italics_"; -nolinks: links dropped, their text kept)
_MARKDOWN_TOOLS = ["html2text", "html2text-nolinks", "html2text-unwrapped",
                   "html2text-references", "html2text-crlf", "html2text-protect",
                   "html2text-imageshtml", "markdownify", "markdownify-bullets",
                   "markdownify-atx", "markdownify-underscore", "markdownify-nolinks"]


# what the tools lose of a page, by default: "œ" written "oe" (html2text); a blank after a
# bold or italic run ("Darmanin,**_ministre")
_MARKDOWN_LOSSES = (("œ", "oe"), ("Œ", "OE"))
# ... and what is not read from their text, page by page:
_MARKDOWN_LIMITS = {
    # written with entities ("&eacute;"): html2text drops their accents
    ("html2text", "table_qe_answered.html"): ("question", "answer"),
    # the hidden codes' region wrapped at its hyphen ("Ile-de-" then "France O") are not
    # read as the codes: they stay in the answer
    ("html2text", "assemblee_leg_10-qosd.html"): ("answer",),
    # markdownify writes a table inside a table's cell on one line ("| Année | … | | --- |")
    ("markdownify", "table_qe_answered.html"): ("answer",),
}


def _words_as_markdown_keeps_them(text):
    for char, written in _MARKDOWN_LOSSES:
        text = (text or "").replace(char, written)
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("tool", _MARKDOWN_TOOLS)
@pytest.mark.parametrize("name", [n for n in OUR_PAGES + CORPUS_PAGES
                                  # (no sign of a page: see LIMITS)
                                  if n != "table_qe_withdrawn.html"])
def test_a_page_as_markdown_gives_its_one_record(name, tool):
    # links "[M. X](/dyn/deputes/PA1 "title")" with their address wrapped over lines,
    # "[![alt](image)](address)", "**bold**", "_italics_", "*italics*", "\\-", "### headings",
    # "* * *" and "---", tables of "|" cells under a "---|---" rule, links by reference
    # ("[text][12]" and "   [12]: address"), "-" bullets, CRLF line ends: no number, fields
    # under unknown labels, the site's menus as text under no label, "|" in the values
    raw, html = _html(name)
    records = list(aqparse.parse_many(_markdown(tool)(html)))
    assert len(records) == 1, [r.uid for r in records]
    text, expected = (comparable(r.to_dict(), tool, aqparse.parse(raw).to_dict())
                      for r in (records[0], aqparse.parse(raw)))
    # header fields exactly; the bodies' words as the tool keeps them (see above)
    for record in (text, expected):
        for key in ("question", "answer"):
            if record.get(key):
                record[key] = dict(record[key],
                                   text=_words_as_markdown_keeps_them(record[key]["text"]))
    for key in _MARKDOWN_LIMITS.get((tool.partition("-")[0], name), ()):
        text[key] = expected[key] = None
    for path in HIDDEN_BLOCK:
        if _dotted(text, path) is None:
            _blank(expected, path)
    assert text == expected
    assert records[0].defects == ()


@pytest.mark.parametrize("tool", ["html2text", "markdownify"])
def test_a_dump_of_pages_as_markdown_splits_into_its_questions(tool):
    # (a page number linked, "[312](/static/…pdf)", three or more: taken for lynx's numbers)
    names = OUR_PAGES + CORPUS_PAGES
    dump = "\n".join(_markdown(tool)(_html(name)[1]) for name in names)
    records = list(aqparse.parse_many(dump))
    assert [r.uid for r in records] == [aqparse.parse(_html(name)[0]).uid for name in names]
    assert [r.uid for r in records if r.defects] == []


def _undone_lines(page):
    """The lines of ``page`` as ``layout.markdown_undone`` gives them back, their blanks at
    the end dropped; the text's length and its number of lines kept."""
    from aqparse.layout import markdown_undone

    undone = markdown_undone(page)
    assert len(undone) == len(page) and undone.count("\n") == page.count("\n")
    return [line.rstrip() for line in undone.split("\n")]


def test_markdown_is_undone_in_the_same_length_and_lines():
    page = ("Question de : [M. Olivier Perrin (Auvergne-Rhône-Alpes - Les\n"
            "Républicains)](https://www.assemblee-nationale.fr/dyn/deputes/PA795444 \"Fiche\n"
            "de M. Olivier Perrin\") suite\n"
            "fin du paragraphe\n"
            "\n"
            "**_Texte de la QUESTION :_** | M. X demande \\- enfin.\n"
            "### Texte de la réponse\n")
    lines = _undone_lines(page)
    # the link's text where it stood, the rest of its line after it; the line break of its
    # title, and blanks for what was dropped, after its paragraph
    assert lines == [
        "Question de : M. Olivier Perrin (Auvergne-Rhône-Alpes - Les",
        "Républicains) suite", "fin du paragraphe", "", "",
        "Texte de la QUESTION : | M. X demande - enfin.", "Texte de la réponse", ""]


@pytest.mark.parametrize("tool", ["html2text", "markdownify"])
def test_convert_cuts_a_dump_of_pages_as_markdown_where_the_whole_is_cut(tool, tmp_path):
    # convert cuts a large dump in parts of about 30 KB here: their records are the whole's
    names = CORPUS_PAGES + OUR_PAGES
    dump = "\n".join(_markdown(tool)(_html(name)[1]) for name in names) + "\n"
    path = tmp_path / "pages.md"
    path.write_text(dump * 3, encoding="utf-8")
    merged = {q.uid: q.to_dict()
              for q in aqparse.merge(aqparse.parse_many(dump * 3, path=str(path)))}
    assert len(merged) == len(names)
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        summary = aqparse.convert([str(path)], out, jobs=jobs, quiet=True,
                                  sizes=Sizes(split_above=20_000, chunk_chars=30_000))
        assert (summary.errors, summary.questions) == (0, len(names))
        written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert {q["uid"]: q for q in written} == merged


# -- images shown as their text in brackets: each failed before ---------------------------------

def _with_images(tool):
    if tool == "inscriptis":
        inscriptis = pytest.importorskip("inscriptis")
        from inscriptis.model.config import ParserConfig
        return lambda html: inscriptis.get_text(html, ParserConfig(display_images=True))
    if "lynx" not in RENDERINGS:
        pytest.skip("lynx is not installed")
    from renderings import _program
    return _program("lynx", "-dump", "-stdin", "-image_links", "-assume_charset=utf-8",
                    "-display_charset=utf-8")


@pytest.mark.parametrize("tool", ["inscriptis", "lynx"])
@pytest.mark.parametrize("name", OUR_PAGES + CORPUS_PAGES)
def test_a_page_rendered_with_its_images_gives_its_one_record(name, tool):
    # inscriptis' display_images and lynx's -image_links show an image as its text in
    # brackets ("[printer-icon] Imprimer", "(BUTTON) [65]printer-icon Imprimer",
    # "[LCP.png]"): the print buttons ended no answer, and "[pdf]", "(BUTTON)" or ".png]" were
    # text under no label
    raw, html = _html(name)
    records = list(aqparse.parse_many(_with_images(tool)(html)))
    assert len(records) == 1, [r.uid for r in records]
    assert_same_record(records[0], aqparse.parse(raw), "inscriptis" if tool == "inscriptis"
                       else "lynx")
    assert records[0].defects == ()


@pytest.mark.parametrize("rendering", ["browser", "get_text_lines"])
@pytest.mark.parametrize("name", OUR_PAGES + CORPUS_PAGES)
def test_a_page_copied_with_no_break_spaces_for_its_blanks(name, rendering):
    # some browsers copy a page's blanks as no-break spaces: its signs ("Assemblée nationale")
    # were not found, and its menus, breadcrumb and buttons became text under no label
    raw, html = _html(name)
    text = RENDERINGS[rendering](html).replace(" ", "\xa0")
    records = list(aqparse.parse_many(text))
    assert len(records) == 1, [r.uid for r in records]
    assert_same_record(records[0], aqparse.parse(raw), rendering)
    assert records[0].defects == ()


def test_a_text_browser_s_link_whose_text_starts_with_a_parenthesis_is_no_markdown_link():
    # lynx numbers a link glued to its text: "[57](BnF) a reçu" is a link mark then "(BnF)",
    # no Markdown link (whose address is an address: "[312](/static/…pdf)"); it was kept,
    # and read as a Markdown link whose text is "57": "(BnF)" was lost, silently
    raw, html = _html("assemblee_leg_15-qe-ar.html")
    from_html = aqparse.parse(raw)
    html = html.replace("(BnF)", '<a href="/bnf">(BnF)</a>', 1)
    text = text_browser(html)
    assert re.search(r"\[\d+\]\(BnF\)", text)
    [q] = aqparse.parse_many(text)
    assert words(q.answer.text) == words(from_html.answer.text)
    assert q.defects == ()


def test_a_markdown_link_to_an_address_is_no_text_browser_s_link_mark():
    from aqparse.layout import shows_links

    assert not shows_links("[1](/a) [2](https://b.fr/c) [3](#top) [4](./d.pdf) [5](e/f.pdf)")
    assert shows_links("[1](BnF) [2](Les Républicains - Ain) [3](1)")


@pytest.mark.parametrize("tool", ["html2text", "markdownify"])
def test_a_page_as_markdown_with_crlf_line_ends_reads_as_with_lf(tool):
    # a page saved as Markdown on Windows: its table rows ("| Question de : | … |\r") and rules
    # ("---|---\r") were not seen for the "\r", their "|"s were read into the values
    raw, html = _html("aclain_11_qe.html")
    text = _markdown(tool)(html)
    with_lf, with_crlf = (aqparse.parse(t) for t in (text, text.replace("\n", "\r\n")))
    assert with_crlf.defects == with_lf.defects == ()
    lf, crlf = (comparable(q.to_dict(), tool, {}) for q in (with_lf, with_crlf))
    for record in (lf, crlf):
        for key in ("question", "answer"):
            if record.get(key):
                record[key] = dict(record[key], text=words(record[key]["text"]))
    assert crlf == lf


@pytest.mark.parametrize("alt", ["Graphique de l'évolution des dotations",
                                 'Graphique "dotations 2019"', "Carte des régions"])
def test_an_image_left_as_html_reads_as_its_whole_alt_text(alt):
    # html2text's images_as_html writes alt='…' whatever the alt holds: an apostrophe in it
    # ended it ("Graphique de l"), a double quote dropped it; its default writes "![alt](…)"
    raw, html = _html("dyn-16-qe-answered.html")
    quote = "'" if '"' in alt else '"'
    html = html.replace("Le transport scolaire relève des régions.",
                        "Le transport scolaire relève des régions. <img src=\"g.png\" "
                        f"alt={quote}{alt}{quote}> Fin.", 1)
    assert alt in html
    answers = []
    for tool in ("html2text", "html2text-imageshtml"):
        [q] = aqparse.parse_many(_markdown(tool)(html))
        assert q.defects == ()
        answers.append(words(q.answer.text))
    assert answers[0] == answers[1]
    assert f"régions. {alt} Fin." in answers[1]


def test_markdown_with_crlf_line_ends_is_undone_in_the_same_length_and_lines():
    from aqparse.layout import markdown_undone, shows_markdown

    page = ("| Question de : | [M. X](/dyn/x \"Fiche\nde M. X\") (A - B) |\n|---|---|\n"
            "| Rubrique : | **logement** |\n\n* * *\n\nfin\n")
    crlf = page.replace("\n", "\r\n")
    assert shows_markdown(crlf)
    undone = markdown_undone(crlf)
    assert len(undone) == len(crlf) and undone.count("\n") == crlf.count("\n")
    assert undone.replace("\r\n", "\n") == markdown_undone(page)


@pytest.mark.parametrize("line", [
    "::: <img src='logo.png'\nwidth='10' />",
    "::: [Accueil](https://www.assemblee-nationale.fr/\n\"Accueil\")",
])
def test_a_fenced_div_line_holding_a_wrapped_image_or_link_keeps_its_line_breaks(line):
    # a fenced div's line is blanked; an image or a link wrapped over lines, read before it,
    # left the placeholder of its line break there, which was blanked too: the text came back
    # with a line fewer (its lines after it read a line higher, its line numbers wrong)
    from aqparse.layout import untangle

    page = ("::: {.section}\n# Question écrite n° 12\n" + line + "\n:::\n\n"
            "[M. X](/dyn/deputes/PA1) **Texte de la question**\n\nLe texte.\n")
    for text in (page, page.replace("\n", "\r\n")):
        undone = untangle(text)
        assert len(undone) == len(text) and undone.count("\n") == text.count("\n")


def test_a_header_value_wrapped_at_a_hyphen_or_slash_with_crlf_line_ends_is_joined():
    from aqparse.decode import clean_value

    for lf in ("l'hôpital d'Oloron-\n   Sainte-Marie", "07/04\n/2015", "22/\n07/2008"):
        assert clean_value(lf.replace("\n", "\r\n")) == clean_value(lf)


@pytest.mark.parametrize("rendering", ["browser", "get_text_lines", "text_browser", "lynx", "w3m"])
def test_a_page_s_own_stars_and_underscores_are_no_markdown(rendering):
    # found by a review: one "* * *" paragraph or "**5**" in a page's text made it Markdown,
    # and "(*)" lost its star, "montant_hors_taxe_" its last underscore, without a word
    if rendering not in RENDERINGS:
        pytest.skip(f"{rendering} is not installed")
    html = (FIXTURE_PAGE_DIR / "dyn-16-qe-answered.html").read_text(encoding="utf-8")
    extra = ("</p><p class=\"_pa-small\">* * *</p><p class=\"_pa-small\">(*) le montant_hors_taxe_ "
             "de la dotation, **5** millions *bis*, [voir](annexe).")
    html = html.replace("zones de montagne.</p>", "zones de montagne. (*)" + extra + "</p>", 1)
    q = aqparse.parse(RENDERINGS[rendering](html))
    assert words(q.answer.text).endswith(
        "zones de montagne. (*) * * * (*) le montant_hors_taxe_ de la dotation, **5** millions "
        "*bis*, [voir](annexe).")
    assert q.defects == ()


@pytest.mark.parametrize("own, kept", [
    ("</p><p class=\"_pa-small\"># 1. Les mesures", "# 1. Les mesures"),
    ("</p><p class=\"_pa-small\">**Note** : voir l'annexe", "**Note** : voir l'annexe"),
    (" (voir [le site](https://www.legifrance.gouv.fr/x))",
     "(voir [le site](https://www.legifrance.gouv.fr/x))"),
])
@pytest.mark.parametrize("rendering", ["browser", "get_text_lines", "inscriptis"])
def test_one_markdown_like_line_of_a_page_s_own_text_is_kept(rendering, own, kept):
    # found by a review: a page's body with one heading-like line, one line beginning in
    # bold or one Markdown-like link made the page Markdown, and lost "# ", "**" or the
    # address without a word (two kinds of signs, or three of one, are needed now)
    html = (FIXTURE_PAGE_DIR / "dyn-16-qe-answered.html").read_text(encoding="utf-8")
    html = html.replace("zones de montagne.</p>", "zones de montagne." + own + "</p>", 1)
    q = aqparse.parse(RENDERINGS[rendering](html))
    assert words(q.answer.text).endswith(kept)
    assert q.defects == ()


# -- more tools: elinks, links, pandoc (their texts of the project's own pages, saved in
# tests/data/renderings, read whether the tools are installed or not) -----------------------

RENDERED = HERE / "data" / "renderings"


def _rendered_text(name):
    return (RENDERED / name).read_text(encoding="utf-8")


def test_a_page_as_elinks_dumps_it_gives_its_one_record():
    # elinks numbers a link after an image's text, before a blank ("printer-icon[10] Imprimer",
    # a number lynx's reading leaves), lists the links as "Visible links" with no colon, a
    # link's title before its address on a line of its own after a tab, and shows a page's
    # video as "Source": before, "[10]" and "[16]" were text under no label, the print
    # buttons were read as an empty answer, and the list as text under no label
    text = _rendered_text("question-col-15-qe-withdrawn.elinks.txt")
    assert "[9]printer-icon[10] Imprimer" in text and "   Visible links\n" in text
    assert "  8. Recherche\n\thttps://questions.assemblee-nationale.fr/recherche/simple" in text
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.title, q.status) == (
        "QANR5L15QE45870", "Qualité de l'eau des captages du littoral", "withdrawn")
    assert (str(q.withdrawal.date), q.withdrawal.reason) == ("2022-06-21", "fin de mandat")
    assert (str(q.question.date), q.question.page) == ("2022-01-18", 312)
    assert words(q.question.text) == (
        "Mme Sophie Garnier interroge Mme la ministre de la transition écologique sur la "
        "qualité de l'eau des captages du littoral. Elle lui demande quelles mesures sont "
        "prévues contre les nitrates.")
    assert q.answer is None
    assert q.defects == () and q.extra == {}


def test_a_table_page_as_links_dumps_it_gives_its_one_record():
    # links centres the row's shorter cells beside the author's, under the legislature's line
    # with no blank line between them: the row was not read, and the author was lost
    text = _rendered_text("table_page_qe_renewed.links.txt")
    assert ("   13ème législature        \n"
            "                            de M. Hugues Vernier (") in text
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.kind, q.author.civility, q.author.name) == (
        "QANR5L13QE41287", "QE", "M.", "Hugues Vernier")
    assert (q.author.group, q.author.constituency) == ("Nouveau Centre", "Haute-Savoie")
    assert (q.rubrique, q.tete_analyse, q.analyses) == (
        "transports ferroviaires", "lignes", ("desserte", "vallée de l'Arve"))
    assert [str(r.date) for r in q.renewals] == ["2009-05-19"]
    assert q.ministry_assigned.name == "Transports"
    assert q.defects == () and q.extra == {}


def test_a_table_row_whose_cells_break_more_often_than_it_has_lines_loses_no_text():
    # pandoc draws a table page's rows in "+---+" and "|" (its plain text); a row's cells
    # broken where their own lines end (the author's, the answer's paragraphs) added up more
    # breaks than the row had lines: the text under the table moved down and its last line
    # was lost ("Standard : 01 40 63 60 00"), and " -" was text under no label
    from aqparse.layout import untangle

    text = _rendered_text("table_page_qosd_latin1.pandoc.txt")
    assert text.endswith("75355 Paris 07 SP -\nStandard : 01 40 63 60 00\n")
    untangled = untangle(text)
    assert len(untangled) == len(text) and untangled.count("\n") == text.count("\n")
    assert untangled.endswith("75355 Paris 07 SP -\nStandard : 01 40 63 60 00\n")
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.author.name, q.author.group) == (
        "QANR5L13QOSD812", "Odile Marchetti", "Socialiste, radical, citoyen et divers gauche")
    assert words(q.answer.text).endswith(
        "Madame la députée, la maternité restera ouverte. (Applaudissements sur les bancs du "
        "groupe UMP.)")
    assert q.defects == () and q.extra == {}


def test_a_dyn_page_as_pandoc_3_writes_it_shows_a_page():
    # pandoc 3 leaves out a current page's menus and footer: no "Assemblée nationale" tells
    # it is a page; its box of key data does. Read as no page, the rule under the title was
    # the title's, and "partager" with its "-" items text under no label
    text = _rendered_text("dyn-16-qe-answered.pandoc.txt")
    assert "Assemblée nationale" not in text and "\nDonnées clés\n" in text
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.title, q.rubrique) == (
        "QANR5L16QE3095", "Transport scolaire en zone rurale", "transports routiers")
    assert words(q.answer.text) == (
        "Le transport scolaire relève des régions. L'État leur verse chaque année une dotation "
        "qui tient compte des zones de montagne.")
    assert q.defects == () and q.extra == {}


def test_a_menu_item_that_begins_a_longer_one_ends_on_its_last_word():
    # "Questions" (the item) begins "Questions écrites et orales" (another): the run of
    # menu items took the blanks after it, and the line after them was no longer read from
    # its start (pandoc's rule of a table, "----- -----", was text under no label)
    import re
    from aqparse.furniture import RUN

    assert re.match(RUN, "- Accueil\n- Questions\n\n  ------ ------\n").group(0) == (
        "- Accueil\n- Questions")
    assert re.match(RUN, "Questions écrites et orales\n\nx").group(0) == (
        "Questions écrites et orales")


def test_pandoc_markdown_is_undone_in_the_same_length_and_lines():
    page = ("::: {.section .question_header}\n"
            "::: {}\n"
            "de [[M. Gérard\n"
            "Leseul](https://www2.assemblee-nationale.fr/deputes/fiche/OMC_PA774958 \"Lien\")"
            "{target=\"_blank\"}]{.question_big_content}\n"
            "(Socialistes et apparentés - Seine-Maritime )\n"
            ":::\n"
            "<div>\n"
            "\n"
            "Question publiée au JO le : [26/04/2022]{.question_big_content} page :\n"
            "[[2623](/static/15/questions/jo/jo_anq_202217.pdf)]{.question_big_content}\n"
            "\n"
            "</div>\n"
            "```{=html}\n"
            "<!-- -->\n"
            "```\n"
            "[Questions 16^e^ législature](/dyn/16/questions){target=\"_self\"}\n"
            "d\\'un système plus juste ? *(Applaudissements sur les\n"
            "bancs du groupe SRC.)\\\n"
            "***Plusieurs députés du groupe UMP.** Allô !\n"
            "nos atouts -- la qualité -- et la \"dotation\" d'État...\n")
    lines = _undone_lines(page)
    assert lines == [
        "", "", "de M. Gérard", "Leseul", "(Socialistes et apparentés - Seine-Maritime )", "",
        "", "", "Question publiée au JO le : 26/04/2022 page :", "2623", "", "", "", "", "",
        "Questions 16e législature", "d'un système plus juste ? (Applaudissements sur les",
        "bancs du groupe SRC.)", "Plusieurs députés du groupe UMP. Allô !",
        "nos atouts – la qualité – et la “dotation” d’État…", ""]


def test_a_page_number_in_a_pandoc_span_is_no_link_mark():
    # "[4774]{.question_big_content}" three times in a dump of pages as pandoc's Markdown:
    # taken for lynx's link numbers, blanked, and the page numbers lost
    from aqparse.layout import shows_links

    assert not shows_links("page : [4774]{.question_big_content} [1324]{.x} [2623]{#y}")
    assert shows_links("[4774]Accueil [1324]Questions [2623]Recherche")


# -- review: pandoc's Markdown written without its "smart" punctuation -----------------------

_NOT_SMART = ("::: {.section}\n"
              "Question publiée au JO le : [26/04/2022]{.question_big_content}\n"
              ":::\n"
              "l'objet d'un « plan » -- dit \"l'État\" -- au 1er mai... l’État – “oui” …\n")


def test_pandoc_markdown_without_smart_punctuation_keeps_the_text_s_own_quotes_and_dashes():
    # pandoc -t markdown-smart writes a text's curly quotes, dashes and ellipses as they are,
    # and its plain ones plain, unescaped: they were all taken for "smart" punctuation written
    # back as plain ("l'objet" read "l’objet", "..." "…", "--" "–")
    lines = _undone_lines(_NOT_SMART)
    assert lines[3] == (
        "l'objet d'un « plan » -- dit \"l'État\" -- au 1er mai... l’État – “oui” …")


def test_pandoc_markdown_without_smart_keeps_its_quotes_and_dashes():
    # "-t markdown-smart": pandoc writes "’" and "–" as they are, and a plain quote or "--"
    # of the text unescaped: they are the text's own (they were made curly quotes and dashes)
    page = ("::: {.an-bloc actions=\"{\\\"blank\\\":\\\"\\\"}\"}\n"
            "[Titre \\> ]{.question_big_content}l'attention -- de l’État...\n")
    assert _undone_lines(page)[1] == "Titre > l'attention -- de l’État..."


@pytest.mark.parametrize("name", [n for n in OUR_PAGES + CORPUS_PAGES if n not in TABLE_PAGES])
def test_a_page_as_pandoc_markdown_without_smart_gives_its_one_record(name):
    from renderings import _program, pandoc_program

    if pandoc_program() is None:
        pytest.skip("pandoc is not installed")
    raw, html = _html(name)
    render = _program(pandoc_program(), "-f", "html", "-t", "markdown-smart")
    [q] = aqparse.parse_many(render(html))
    assert_same_record(q, aqparse.parse(raw), "pandoc_markdown")
    assert q.defects == ()


def test_a_table_page_as_pandoc_3_markdown_is_read_cell_by_cell():
    # pandoc's Markdown draws the table layout as grid tables whose cells hold Markdown
    # ("[Santé et sports]{.contenu}", "**812**", "## Texte de la question", "::: contenutexte"):
    # the grid is read first, then the Markdown of its cells (the Markdown was undone first,
    # which moved what it dropped out of the cells' columns: no number, no author)
    text = _rendered_text("table_page_qosd_latin1.pandoc_markdown.txt")
    assert "| Question N° : **812**   | de **Mme Odile          |" in text
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.author.civility, q.author.name, q.author.constituency) == (
        "QANR5L13QOSD812", "Mme", "Odile Marchetti", "Ariège")
    assert q.author.group == "Socialiste, radical, citoyen et divers gauche"
    assert (q.rubrique, q.tete_analyse, q.analyses) == (
        "établissements de santé", "hôpitaux", ("maternité", "Saint-Girons"))
    assert q.ministry_asked.name == q.ministry_assigned.name == "Santé et sports"
    assert words(q.question.text) == ("Mme Odile Marchetti appelle l'attention de Mme la "
                                      "ministre de la santé et des sports sur l'avenir de la "
                                      "maternité de Saint-Girons.")
    assert q.defects == () and q.extra == {}


@pytest.mark.parametrize("rendering, listed", [
    # links -html-numbered-links 1: "Links:", then its images, buttons and forms too
    ("links-numbered", ("Links:\n1. https://www.assemblee-nationale.fr/\n",
                        "10. Button\n", "12. Post form: https://questions.assemblee-nationale.fr",
                        "9. Image: file:///extension/an/design/an/images/printer-icon.gif")),
    # w3m -o display_link_number=1: "References:", then "[1] https://…"
    ("w3m-numbered", ("References:\n\n[1] https://www.assemblee-nationale.fr/\n",
                      "[21] file:///dyn/contact\n")),
])
def test_a_page_whose_links_a_text_browser_listed_at_its_end(rendering, listed):
    # the lists were text under no label, "Links:" an unknown label
    text = _rendered_text(f"question-col-14-qe-attribution-change.{rendering}.txt")
    assert all(item in text for item in listed)
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.author.name, q.rubrique, q.tete_analyse) == (
        "QANR5L14QE51234", "Jean-Marc Fabre", "agriculture", "zones rurales")
    assert [str(a.date) for a in q.attributions] == ["2015-03-10", "2015-04-07"]
    assert words(q.answer.text) == (
        "Le plan « France très haut débit » prévoit la couverture de toutes les communes "
        "d'ici 2022. Les exploitations isolées recevront d'ici là une aide à l'équipement "
        "satellitaire.")
    assert q.defects == () and q.extra == {}


def test_a_link_s_number_before_a_blank_and_a_label_is_blanked():
    # w3m numbering its links writes "[8] Publication de la question au Journal Officiel
    # du …" (a link whose text begins with a blank): the label was not at its line's start,
    # and the question's date and page were lost
    text = _rendered_text("dyn-16-qe-answered.w3m-numbered.txt")
    assert ("\n[8] Publication de la question au Journal Officiel du 8 novembre 2022, page\n"
            "5230\n") in text
    [q] = aqparse.parse_many(text)
    assert (str(q.question.date), q.question.page) == ("2022-11-08", 5230)
    assert (str(q.answer.date), q.answer.page) == ("2023-02-14", 1498)
    assert q.defects == () and q.extra == {}


@pytest.mark.parametrize("note", ["[1] Réponse publiée au JO le 12/03/2019, page 2345.",
                                  "[2] Question écrite n° 1234 du 3 mars 2020.",
                                  "[1] Publication de la question au JO du 3 mai 2020."])
def test_a_note_before_a_label_s_words_keeps_its_number_beside_numbered_links(note):
    # a note's number at a line's start before a label's words was blanked as a link's in
    # any text showing link numbers: a body's own note in a w3m page, and a plain question's
    # in a dump with such a page, whose record then differed from the question's alone
    page = _rendered_text("dyn-16-qe-answered.w3m-numbered.txt")
    dotation = "dotation qui tient compte des zones de montagne.\n"
    own = page.replace(dotation, dotation + "\n" + note + "\n", 1)
    assert note in own
    [q] = aqparse.parse_many(own)
    assert note in q.answer.text
    plain = _A_FICHE.replace("de s'y maintenir.", "de s'y maintenir.\n\n" + note, 1)
    assert note in plain
    [alone] = aqparse.parse_many(plain)
    assert note in alone.answer.text
    for dump in (plain + "\n\n" + page, page + "\n\n" + plain):
        [mine] = [r for r in aqparse.parse_many(dump) if r.uid == alone.uid]
        assert mine.answer.text == alone.answer.text


def test_a_note_s_number_at_a_line_start_in_a_page_with_link_numbers_is_kept():
    # elsewhere a number before a blank may be a note's: it stays in the body
    from aqparse.layout import untangle

    def is_label(line):
        return line.lstrip().startswith("Publication de la question")
    text = ("[1]Accueil [2]Questions [3]Recherche\n"
            "[4] Publication de la question au JO du 1er mars 2022\n"
            "[1] Voir le rapport de la Cour des comptes.\n")
    assert untangle(text, is_label=is_label) == (
        "   Accueil    Questions    Recherche\n"
        "    Publication de la question au JO du 1er mars 2022\n"
        "[1] Voir le rapport de la Cour des comptes.\n")


_A_FICHE = (ROOT / "fixtures" / "copied-fiche-11-qe.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("own", [
    "Le dispositif comporte :\n- Accueil\n- Recherche d'un emploi\n- Formation.",
    "Ses axes :\n- Accueil ;\n- Questions sociales.",
    "Cf.\n- Aller au contenu",
    "Les boutons :\n- Imprimer\n- Format PDF",
    "Mots :\n- partager\n- Twitter",
])
def test_a_body_s_own_dash_list_does_not_end_it(own):
    # a "-" before what ends a page (pandoc's menu, "- Accueil" then "- Questions") was taken
    # before every end: a body's own list ("- Accueil" then "- Recherche d'un emploi") ended
    # the answer, and its lines after it were text under no label
    text = _A_FICHE.replace("de s'y maintenir.", "de s'y maintenir.\n" + own + "\nFin du texte.")
    [q] = aqparse.parse_many(text)
    assert q.answer.text.rstrip().endswith(own + "\nFin du texte.")
    assert q.defects == ()


def test_pandoc_s_menu_of_dash_items_still_ends_a_page_without_a_footer():
    page = _A_FICHE.replace("de s'y maintenir.", "de s'y maintenir.\n\n- Accueil\n- Questions\n")
    [q] = aqparse.parse_many(page)
    assert q.answer.text.rstrip().endswith("de s'y maintenir.")
    assert q.defects == ()


_SIMPLE_TABLE = ("::: {.a}\n"
                 "l\\'objet\n"
                 "\n"
                 "  N   A   Année\n"
                 "  --- --- -------\n"
                 "  1   x   2008\n"
                 "\n"
                 "+-----+---+\n"
                 "| a   | b |\n"
                 "+=====+===+\n"
                 ":::\n")


def test_a_simple_table_s_rule_in_pandoc_markdown_is_no_text():
    # pandoc writes a table of one-line cells as a "simple table", its rule runs of dashes a
    # blank apart; a one-character column's is "---", which the smart punctuation written back
    # read as an em dash ("— — -------" in the answer), and any rule stayed in the body
    lines = _undone_lines(_SIMPLE_TABLE)
    assert lines[1] == "l'objet"
    assert lines[4] == ""
    # (a grid table is left as it is: its borders are not dashes of the text)
    assert lines[7] == "+-----+---+" and lines[9] == "+=====+===+"


@pytest.mark.parametrize("header", ["<th>N</th><th>A</th>", "<th>N°</th><th>Ax</th>"])
def test_a_table_in_an_answer_as_pandoc_markdown_reads_as_its_cells(header):
    from renderings import _program, pandoc_program

    if not pandoc_program():
        pytest.skip("no pandoc")
    raw, html = _html("dyn-16-qe-answered.html")
    table = (f"<table><tr>{header}<th>Année</th></tr>"
             "<tr><td>1</td><td>x</td><td>2008</td></tr></table>")
    html = html.replace("Le transport scolaire relève", table + "<p>Le transport scolaire relève", 1)
    text = _program(pandoc_program(), "-f", "html", "-t", "markdown")(html)
    [q] = aqparse.parse_many(text)
    assert_same_record(q, aqparse.parse(html), "pandoc_markdown")
    assert q.defects == ()


@pytest.mark.parametrize("own, read", [
    # pandoc escapes any punctuation ("l\\'Assemblée"); html2text and markdownify only the
    # Markdown's marks: a backslash of the text's own before a quote, a colon or a slash was
    # dropped from their pages too
    ("Le fichier C:\\'dossier\\:x et a\\/b. ", "Le fichier C:\\'dossier\\:x et a\\/b."),
    # pandoc's raw HTML lines ("<div>") are blanked; html2text and markdownify write the
    # text's own "&lt;…&gt;" as it reads: a paragraph "<Texte non communiqué>" was lost
    ("&lt;Texte non communiqué&gt;</p><p>", "<Texte non communiqué> Le transport"),
    # pandoc's superscripts ("16^e^") and spans ("[x]{.c}") were read in any Markdown:
    # "2^10^3" read "2103", "[sic]{x}" "sic" (a span with a class, "]{.", is a sign of pandoc)
    ("Soit 2^10^3 octets [sic]{x} et [1]{n=2}. ", "Soit 2^10^3 octets [sic]{x} et [1]{n=2}."),
])
@pytest.mark.parametrize("tool", ["html2text", "markdownify"])
def test_the_text_s_own_marks_in_a_page_as_html2text_or_markdownify_markdown_are_kept(
        tool, own, read):
    raw, html = _html("dyn-16-qe-answered.html")
    html = html.replace("Le transport scolaire relève", own + "Le transport scolaire relève", 1)
    [q] = aqparse.parse_many(_markdown(tool)(html))
    assert words(q.answer.text).startswith(read)
    assert q.defects == ()


def test_pandoc_s_smart_punctuation_is_written_back_whatever_a_link_s_title_holds():
    # pandoc writes a link's title and a span's attributes as they are, curly quotes and all:
    # taken for the text's own, they made a page's smart punctuation read as written
    page = ("::: a\n"
            "l\\'objet l'État [lien](/x \"Page de l’Assemblée\") [s]{.c x=\"l’a\"}\n"
            "<div title=\"l’a\">\n"
            ":::\n")
    lines = _undone_lines(page)
    assert lines[1] == "l'objet l’État lien s"


@pytest.mark.parametrize("own", ["Voir :\npartager\n- Question écrite n°12",
                                 "Voir :\npartager\n- 15e législature"])
def test_a_share_word_then_a_body_s_own_list_does_not_end_it(own):
    # pandoc's sharing links are empty "-" items after "partager", before the end of the page:
    # any "-" item was taken for one, and a body's "partager" then "- Question écrite n°12"
    # ended it ("-" and "n°12 …" text under no label)
    text = _A_FICHE.replace("de s'y maintenir.", "de s'y maintenir.\n" + own + "\nFin du texte.")
    [q] = aqparse.parse_many(text)
    assert q.answer.text.rstrip().endswith(own + "\nFin du texte.")
    assert q.defects == ()
