"""The saved pages and open-data files shipped in ``fixtures/pages`` and ``fixtures/opendata``:
written for the project (made-up questions, in the shapes of the AN's pages and files: see
``fixtures/README.md``), so that what the tests of the corpus check runs without it — every
layout read as a reader sees it, a page equal to its visible text and to its text in every
rendering (``test_page_text.py``), the markup-only values, the open data's styles and its XML
form, and one question from a page and from the open data merged into one.

The expected values below were read on the inputs themselves.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest

import aqparse
from aqparse import fixtures
from aqparse.decode import decode
from aqparse.diff import compare
from aqparse.render import render, text_fields
from html_visible import parse_page, question_region, visible_text
from page_checks import check_body
from renderings import RENDERINGS, _program, browser, get_text

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "fixtures" / "pages"
OPENDATA = ROOT / "fixtures" / "opendata"


def d(text):
    return dt.date(*map(int, reversed(text.split("/"))))


@pytest.mark.parametrize("folder", [PAGES, OPENDATA], ids=["pages", "opendata"])
def test_every_pair_gives_its_expected_record(folder):
    results = fixtures.check(str(folder))
    assert len(results) >= 5
    assert [(r.name, r.diff) for r in results if not r.ok] == []


# One row per page: what a reader sees on it.
#   file, layout, uid, author (civility, name, group, département or, on /dyn/ pages, region),
#   ministry asked, ministry assigned, question (date, page), answer (date, page) or None,
#   status, withdrawal reason, question body (first, last words), answer body (first, last)
PAGE_ROWS = [
    ("fiche-09-qe-answered.html", "fiche", "QANR5L9QE71234",
     ("M.", "Verdier Paul", "Socialiste", "Hérault"),
     "équipement, logement et transports", "équipement, logement et transports",
     ("08/06/1992", 2501), ("27/07/1992", 3402), "answered", None,
     ("M. Paul Verdier appelle", "quelles dessertes seront maintenues."),
     ("Réponse. - La ligne de Bédarieux", "aux mêmes horaires.")),
    ("fiche-08-qosd-withdrawn.html", "fiche", "QANR5L8QOSD245",
     ("Mme", "Lambert Hélène", "Communiste", "Val-de-Marne"),
     "éducation nationale", "éducation nationale", ("06/05/1987", 845), None, "withdrawn",
     "Retrait à l'initiative de l'auteur",
     ("Mme Hélène Lambert interroge", "dans les écoles de Vitry-sur-Seine."), None),
    ("question-col-14-qe-attribution-change.html", "question_col", "QANR5L14QE51234",
     ("M.", "Jean-Marc Fabre", "Les Républicains", "Aveyron"),
     "Agriculture, agroalimentaire et forêt", "Économie, industrie et numérique",
     ("10/03/2015", 1620), ("15/09/2015", 7050), "answered", None,
     ("M. Jean-Marc Fabre attire", "quel calendrier est prévu pour ces communes."),
     ("Le plan « France très haut débit »", "une aide à l'équipement satellitaire.")),
    ("question-col-15-qe-withdrawn.html", "question_col", "QANR5L15QE45870",
     ("Mme", "Sophie Garnier", "La République en Marche", "Loire-Atlantique"),
     "Transition écologique", "Transition écologique", ("18/01/2022", 312), None,
     "withdrawn", "fin de mandat",
     ("Mme Sophie Garnier interroge", "quelles mesures sont prévues contre les nitrates."),
     None),
    ("dyn-16-qe-answered.html", "dyn", "QANR5L16QE3095",
     ("M.", "Olivier Perrin", "Les Républicains", "Auvergne-Rhône-Alpes"),
     "Éducation nationale et jeunesse", "Éducation nationale et jeunesse",
     ("08/11/2022", 5230), ("14/02/2023", 1498), "answered", None,
     ("M. Olivier Perrin attire", "à raccourcir ces trajets."),
     ("Le transport scolaire relève des régions.", "tient compte des zones de montagne.")),
    # a QG's question date is its sitting's; the page gives no page number
    ("dyn-16-qg-debate.html", "dyn", "QANR5L16QG735",
     ("Mme", "Claire Dubois", "Socialistes et apparentés", "Bretagne"),
     "Santé et prévention", "Santé et prévention", ("15/02/2023", None),
     ("15/02/2023", None), "answered", None, None,
     ("FERMETURE DES URGENCES DE NUIT", "rouvrira la nuit dès le mois d'avril.")),
]


@pytest.mark.parametrize("row", PAGE_ROWS, ids=[row[0] for row in PAGE_ROWS])
def test_page_reads_as_a_reader_sees_it(row):
    (name, layout, uid, author, asked, assigned, published, answered, status, reason,
     question_words, answer_words) = row
    q = aqparse.parse((PAGES / name).read_bytes(), path=name)
    assert (q.defects, q.extra) == ((), {})
    assert (q.source.format, q.source.layout, q.uid) == ("html", layout, uid)
    civility, name_, group, place = author
    assert (q.author.civility, q.author.name, q.author.group) == (civility, name_, group)
    assert (q.author.region if layout == "dyn" else q.author.constituency) == place
    assert (q.ministry_asked.name, q.ministry_assigned.name) == (asked, assigned)
    assert (q.question.date, q.question.page) == (d(published[0]), published[1])
    if answered is None:
        assert q.answer is None
    else:
        assert (q.answer.date, q.answer.page) == (d(answered[0]), answered[1])
    assert q.status == status
    assert (q.withdrawal.reason if q.withdrawal else None) == reason
    check_body(q.question, question_words)
    check_body(q.answer, answer_words)


# what only a page's markup gives: the text has these the same, or not at all
MARKUP_ONLY = (("closure",), ("author", "group_abbrev"), ("author", "region"),
               ("author", "acteur_ref"))


def _dotted(record, path):
    for key in path:
        record = (record or {}).get(key)
    return record


@pytest.mark.parametrize("name", [row[0] for row in PAGE_ROWS])
def test_page_gives_the_record_of_its_visible_text(name):
    data = (PAGES / name).read_bytes()
    from_html = aqparse.parse(data).to_dict()
    from_text = aqparse.parse(visible_text(question_region(parse_page(decode(data, is_html=True))))).to_dict()
    for path in MARKUP_ONLY:
        assert _dotted(from_text, path) in (None, _dotted(from_html, path)), path
        for record in (from_html, from_text):
            *parents, last = path
            holder = record
            for key in parents:
                holder = holder.get(key) or {}
            holder[last] = None
    del from_html["source"], from_text["source"]
    assert from_html == from_text


def test_the_old_pages_hidden_codes():
    # fiche-09: <GRP>SOC</GRP> <NLEG>9</NLEG> <CODRET>REP_PUB</CODRET>
    # <REG>Languedoc-Roussillon</REG> <REPONSE>O</REPONSE>; fiche-08: COM, AU, Ile-de-France
    q = aqparse.parse((PAGES / "fiche-09-qe-answered.html").read_bytes())
    assert (q.author.group_abbrev, q.author.region) == ("SOC", "Languedoc-Roussillon")
    assert (q.closure.code, q.closure.label) == ("REP_PUB", "Réponse publiée")
    q = aqparse.parse((PAGES / "fiche-08-qosd-withdrawn.html").read_bytes())
    assert (q.author.group_abbrev, q.author.region, q.closure.code) == ("COM", "Ile-de-France", "AU")
    # get_text() shows the codes: the text gives them too
    html = decode((PAGES / "fiche-09-qe-answered.html").read_bytes(), is_html=True)
    text = get_text(html)
    assert "SOC\n9\nREP_PUB\nLanguedoc-Roussillon\nO" in text
    q = aqparse.parse(text)
    assert (q.closure.code, q.author.group_abbrev, q.author.region) == (
        "REP_PUB", "SOC", "Languedoc-Roussillon")
    # codes that disagree with the text are a defect, the text's value kept
    q = aqparse.parse(text.replace("SOC\n9\nREP_PUB", "SOC\n10\nREP_PUB"))
    assert [(x.code, x.message) for x in q.defects] == [
        ("hidden-mismatch", "the page's hidden codes give legislature '10' but its text gives '9'")]
    assert q.legislature == 9


def test_a_page_that_hides_its_codes_disagreeing_is_a_defect():
    data = (PAGES / "fiche-09-qe-answered.html").read_bytes().replace(b"<NLEG>9", b"<NLEG>8")
    q = aqparse.parse(data)
    assert [x.code for x in q.defects] == ["hidden-mismatch"] and q.legislature == 9


def test_the_deputy_s_link_and_the_dyn_key_data():
    q = aqparse.parse((PAGES / "question-col-14-qe-attribution-change.html").read_bytes())
    assert q.author.acteur_ref == "PA610001"            # …/deputes/fiche/OMC_PA610001
    assert (q.tete_analyse, q.analyses) == ("zones rurales", ("haut débit", "couverture"))
    assert [(a.ministry.name, a.date) for a in q.attributions] == [
        ("Agriculture, agroalimentaire et forêt", dt.date(2015, 3, 10)),
        ("Économie, industrie et numérique", dt.date(2015, 4, 7))]
    # the /dyn/ page: the rubrique and the ministries are only in its "Données clés" box
    html = decode((PAGES / "dyn-16-qe-answered.html").read_bytes(), is_html=True)
    [q] = aqparse.parse_many(browser(html))
    assert (q.uid, q.title, q.rubrique) == ("QANR5L16QE3095", "Transport scolaire en zone rurale",
                                            "transports routiers")
    assert q.ministry_asked.name == "Éducation nationale et jeunesse"
    assert (q.author.region, q.author.group) == ("Auvergne-Rhône-Alpes", "Les Républicains")


def test_the_site_furniture_is_neither_a_question_nor_a_body():
    html = decode((PAGES / "question-col-15-qe-withdrawn.html").read_bytes(), is_html=True)
    text = get_text(html)
    for furniture in ("Question n°45870 - Assemblée nationale",
                      "Question écrite N°45870 de Mme Sophie Garnier", "Mentions légales",
                      "Standard 01 40 63 60 00", "Format PDF"):
        assert furniture in " ".join(text.split())
    [q] = aqparse.parse_many(text)
    assert (q.uid, q.status, q.title) == ("QANR5L15QE45870", "withdrawn",
                                          "Qualité de l'eau des captages du littoral")
    assert q.question.text.endswith("quelles mesures sont prévues contre les nitrates.")
    assert q.defects == () and q.extra == {}


def test_text_outside_every_question_is_reported_never_lost():
    first, second = "question-col-14-qe-attribution-change.html", "fiche-09-qe-answered.html"
    note = "Copié le 3 mars 2024 pour le mémoire de Mme Durand."
    pages = [browser(decode((PAGES / n).read_bytes(), is_html=True)) for n in (first, second)]
    dump = pages[0] + "\n" + note + "\n" + pages[1]
    records = list(aqparse.parse_many(dump))
    assert [r.uid for r in records] == ["QANR5L14QE51234", "QANR5L9QE71234"]
    assert records[0].extra == {"(unlabelled)": note}
    [defect] = records[0].defects
    assert (defect.code, defect.line) == ("unlabelled-text", dump.split("\n").index(note) + 1)
    assert records[1].defects == ()


def test_source_says_which_lines_a_question_was_read_from():
    names = ["fiche-09-qe-answered.html", "dyn-16-qg-debate.html", "question-col-15-qe-withdrawn.html"]
    dump = "\n".join(get_text(decode((PAGES / n).read_bytes(), is_html=True)) for n in names)
    lines = dump.split("\n")
    records = list(aqparse.parse_many(dump))
    starts = [r.source.line for r in records]
    assert [lines[n - 1].strip() for n in starts] == [
        "9ème législature", "Question au Gouvernement n°735 :", "15ème législature"]
    for record, following in zip(records, starts[1:] + [len(lines) + 1]):
        assert record.source.line < record.source.end_line < following


# lynx without its list of links at the end of a page (-nolist): the next page follows the
# site's name at once (with the list, "References" follows it, a page's end already)
_LYNX_NOLIST = {"lynx -nolist": _program("lynx", "-dump", "-nolist", "-stdin",
                                         "-assume_charset=utf-8", "-display_charset=utf-8")
                } if shutil.which("lynx") else {}


@pytest.mark.parametrize("rendering", ["text_browser", "lynx -nolist"])
def test_a_table_page_then_a_dyn_page_in_a_text_browser_dump(rendering):
    # the table page ends with the site's name on a line of its own; the next page starts
    # with a list item and a link, "* [1]Aller au contenu": that name is the first page's
    # footer, not the last words of its answer (it was, found with these pages)
    render = {**RENDERINGS, **_LYNX_NOLIST}.get(rendering)
    if render is None:
        pytest.skip(f"{rendering} is not installed")
    table = ROOT / "tests" / "fixtures" / "html" / "table_qg_latin1.html"
    texts = [render(decode(p.read_bytes(), is_html=True))
             for p in (table, PAGES / "dyn-16-qe-answered.html")]
    first, second = aqparse.parse_many("\n\n".join(texts))
    assert (first.uid, second.uid) == ("QANR5L13QG1204", "QANR5L16QE3095")
    assert first.answer.text.endswith("(Applaudissements sur les\nbancs du groupe UMP.)")



# an answer's own heading "Assemblée nationale" followed by a list: no page ends there (the
# rule above must not take it for a footer; found by a review of that rule)
_LIST = ["14e législature : 312 questions ;", "15e législature : 128 questions."]


def test_an_answer_s_heading_with_the_site_s_name_then_a_list_is_the_answer_s():
    text = (ROOT / "fixtures" / "qe-answered-attribution-change.txt").read_text(encoding="utf-8")
    text += "\nLes questions sur ce sujet :\n\nAssemblée nationale\n\n" + "".join(
        f"* {item}\n" for item in _LIST)
    [q] = aqparse.parse_many(text)
    assert q.answer.text.endswith("Assemblée nationale\n\n* 14e législature : 312 questions ;"
                                  "\n* 15e législature : 128 questions.")
    assert q.defects == ()


@pytest.mark.parametrize("rendering", ["text_browser", "lynx", "w3m"])
def test_a_page_whose_answer_has_that_heading_and_list_in_a_text_browser(rendering):
    if rendering not in RENDERINGS:
        pytest.skip(f"{rendering} is not installed")
    page = (PAGES / "question-col-14-qe-attribution-change.html").read_text(encoding="utf-8")
    last = "Les exploitations isolées recevront d'ici là une aide à l'équipement satellitaire."
    assert last in page
    page = page.replace(last, last + "<br /><br />Les questions sur ce sujet :"
                        "<p>Assemblée nationale</p><ul>"
                        + "".join(f"<li>{item}</li>" for item in _LIST) + "</ul>")
    [q] = aqparse.parse_many(RENDERINGS[rendering](page))
    assert q.uid == "QANR5L14QE51234"
    text = " ".join(q.answer.text.split())      # (as each browser wraps and marks items)
    assert "sur ce sujet : Assemblée nationale " in text
    assert "14e législature : 312 questions ;" in text
    assert text.endswith("15e législature : 128 questions.")


# -- open data ---------------------------------------------------------------------------------------

def _one(name):
    return aqparse.parse((OPENDATA / name).read_bytes(), path=name)


def test_recent_open_data_with_reshuffle_decrees():
    q = _one("qe-17-reshuffle.input.json")
    assert (q.uid, q.status, q.regime) == ("QANR5L17QE2468", "answered", "5eme Republique")
    # the author's name is in no field of the file: read from the question's first words
    assert (q.author.civility, q.author.name, q.author.name_from) == ("Mme", "Lucie Ferrand",
                                                                      "question-text")
    assert (q.author.acteur_ref, q.author.group_abbrev) == ("PA795312", "EPR")
    assert [(a.ministry.name, a.date, a.jo_type, a.reference_nor) for a in q.attributions] == [
        ("Logement", dt.date(2024, 11, 5), "JO_QUESTION", None),
        ("Ville et logement", dt.date(2024, 12, 24), "JO_LOI_DECRET", "PRMX2499111D"),
        ("Aménagement du territoire", dt.date(2025, 1, 10), "JO_LOI_DECRET", "PRMX2599222D")]
    assert q.ministry_assigned.name == "Aménagement du territoire"
    assert q.analyses == ("Aides au logement", "Délais de versement")   # the final '.' dropped
    assert [(s.deposit_date, s.date) for s in q.signalements] == [
        (dt.date(2025, 2, 17), dt.date(2025, 2, 18))]
    assert [r.date for r in q.renewals] == [dt.date(2025, 3, 11)]       # one: an object
    assert q.answer.text == ("Le délai moyen de versement est passé de 45 à 21 jours en 2024."
                             "\n\nUn simulateur en ligne permet désormais aux étudiants de "
                             "connaître leurs droits avant la rentrée.")
    assert (q.answer.date, q.answer.page, q.closure.code) == (dt.date(2025, 4, 8), 2617, "REP_PUB")


def test_the_xml_form_gives_the_same_record():
    from_json, from_xml = _one("qe-17-reshuffle.input.json"), _one("qe-17-reshuffle-xml.xml")
    assert from_xml.source.format == "opendata-xml"
    assert from_xml.evolve(source=from_json.source) == from_json


def test_older_open_data_style():
    q = _one("qg-15-older-style.input.json")
    # dd/mm/yyyy dates, ANALYSE.ANA, no organeRef, a debate starting with "</p>", U+FFFD kept
    assert (q.question.date, q.answer.date) == (dt.date(2020, 2, 12), dt.date(2020, 2, 12))
    assert q.question.text is None and q.title == "Desserte des villes moyennes"
    assert q.ministry_asked.organe_ref is None and q.regime == "5eme R\ufffdpublique"
    assert (q.author.name, q.author.name_from) == ("Henri Vasseur", "debate")
    assert q.answer.text.startswith("DESSERTE DES VILLES MOYENNES\n\nM. le président. La "
                                    "parole est à M. Henri Vasseur.")
    assert (q.closure.page, q.status, q.defects) == (1188, "answered", ())


def test_the_old_per_question_xml():
    q = _one("legacy-14-qe.xml")
    assert (q.uid, q.source.format) == ("QANR5L14QE62817", "legacy-xml")
    assert (q.author.name, q.author.first_name, q.author.last_name) == (
        "Étienne Lemaire", "Étienne", "Lemaire")
    assert (q.author.acteur_ref, q.author.mandate_ref, q.author.circonscription) == (
        "PA608812", "PM610512", 2)
    # MINA/ORDRE given 2 then 1: put in their NUMERO order
    assert [a.ministry.name for a in q.attributions] == [
        "Écologie, développement durable et énergie", "Transports, mer et pêche"]
    assert "Organisation\tPart\nBretagne Nord\t55 %\nBretagne Sud\t45 %" in q.answer.text
    assert [r.date for r in q.renewals] == [dt.date(2014, 11, 4)]


@pytest.mark.parametrize("name", ["qe-17-reshuffle.input.json", "qg-15-older-style.input.json",
                                  "qg-16-debate.input.json", "legacy-14-qe.xml"])
def test_render_round_trip(name):
    record = _one(name)
    back = aqparse.parse(render(record))
    assert back.defects == () and text_fields(back) == text_fields(record)


# -- one question, a page and its open data ---------------------------------------------------------

def test_the_page_and_the_open_data_of_a_question_agree_and_merge():
    page, data = _one_page("dyn-16-qg-debate.html"), _one("qg-16-debate.input.json")
    assert compare(data, page, only_common=True, ignore=["extra"]) == []
    [q] = aqparse.merge([page, data])
    # the page alone gives the region; the open data alone the closure and the group's code
    assert (q.author.name, q.author.region, q.author.acteur_ref) == (
        "Claire Dubois", "Bretagne", "PA795001")
    assert (q.author.group_abbrev, q.closure.code, q.answer.page) == ("SOC", "REP_PUB", 1520)
    assert q.defects == () and len(q.sources) == 2
    assert aqparse.merge([data, page]) == [q]


def _one_page(name):
    return aqparse.parse((PAGES / name).read_bytes(), path=name)


def test_convert_page_and_data_in_either_order(tmp_path):
    page, data = str(PAGES / "dyn-16-qg-debate.html"), str(OPENDATA / "qg-16-debate.input.json")
    out = []
    for i, inputs in enumerate(([page, data], [data, page])):
        path = tmp_path / f"q{i}.jsonl"
        summary = aqparse.convert(inputs, path, jobs=1, quiet=True)
        assert (summary.questions, summary.merged, summary.conflicts) == (1, 1, 0)
        out.append(path.read_text(encoding="utf-8"))
    assert out[0] == out[1]
