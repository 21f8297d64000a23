"""The real open-data files and the legacy XML of ``../shared/corpus`` (skipped when absent).

Expected values were read from the files themselves (``python -m json.tool FILE``).
"""

import datetime as dt
import json
from pathlib import Path

import pytest

import aqparse
from aqparse.inputs import read
from aqparse.render import render, text_fields

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
OPENDATA = CORPUS / "opendata" / "json"
LEGACY = CORPUS / "legacy-xml" / "14-47351QE.xml"
D = dt.date

pytestmark = pytest.mark.skipif(not OPENDATA.is_dir(), reason="the shared corpus is absent")


def one(relative: str) -> aqparse.Question:
    path = OPENDATA / relative
    return aqparse.parse(path.read_bytes(), path=str(path))


# -- every file ----------------------------------------------------------------------------------

def test_every_corpus_file_parses_without_defect():
    failures, count, by_folder = [], 0, {}
    for folder in (OPENDATA, LEGACY.parent):
        for record in read(folder, on_error=lambda name, error: failures.append(str(error))):
            count += 1
            name = Path(record.source.path).stem
            by_folder[Path(record.source.path).parent.name] = \
                by_folder.get(Path(record.source.path).parent.name, 0) + 1
            if record.uid == "QANR5L15QG1623":
                # its debate holds a heckle and the minister's answer, not the question: no
                # name to read, and the record says so
                assert [d.code for d in record.defects] == ["unnamed-author"]
                assert record.author.name is None
            else:
                assert record.defects == (), (record.source.path, record.defects)
            assert record.extra == {}, (record.source.path, record.extra)
            # the file is named after the question
            assert name in (record.uid, f"{record.legislature}-{record.number}{record.kind}")
    assert failures == []
    assert by_folder == {"QE17": 16, "QG17": 1, "QOSD17": 1, "QG16": 1940, "QG15": 4667,
                         "legacy-xml": 1}
    assert count == 6626


# -- values read by hand, per kind and dump style ------------------------------------------------

def test_qe17_answered():
    q = one("QE17/QANR5L17QE10723.json")
    assert (q.uid, q.kind, q.number, q.legislature) == ("QANR5L17QE10723", "QE", 10723, 17)
    assert q.rubrique == "fin de vie et soins palliatifs"
    # the one analyse of the 17th legislature: the page's "Titre"
    assert q.title == ("Reconnaître le métier de musicothérapeute dans le champ des soins "
                       "palliatifs") and q.analyses == ()
    assert (q.author.acteur_ref, q.author.mandate_ref, q.author.group_ref) == (
        "PA793322", "PM840246", "PO872880")
    assert (q.author.group_abbrev, q.author.group) == ("UDDPLR", "Union des droites pour la "
                                                                 "République")
    # "Mme Christelle D'Intorni appelle l'attention de Mme la ministre…"
    assert (q.author.civility, q.author.name, q.author.name_from) == (
        "Mme", "Christelle D'Intorni", "question-text")
    assert (q.question.date, q.question.page, q.question.jo_number) == (
        D(2025, 11, 4), 8897, "20250044")
    assert q.question.text.startswith("Mme Christelle D'Intorni appelle l'attention de Mme la "
                                      "ministre de la santé")
    assert (q.answer.date, q.answer.page, q.answer.jo_number) == (D(2026, 5, 12), 4246, "20260019")
    assert q.answer.text.startswith("L'intégration des musicothérapeutes comme profession de santé")
    assert q.status == "answered"
    assert (q.closure.code, q.closure.label) == ("REP_PUB", "Réponse publiée")


def test_qe17_four_attributions_with_reshuffle_decrees():
    q = one("QE17/QANR5L17QE5560.json")
    assert [(a.date, a.jo_type, a.ministry.organe_ref) for a in q.attributions] == [
        (D(2025, 4, 1), "JO_QUESTION", "PO855081"),
        (D(2025, 4, 8), "JO_QUESTION", "PO855064"),
        (D(2025, 10, 5), "JO_LOI_DECRET", "PO873446"),
        (D(2025, 10, 13), "JO_LOI_DECRET", "PO873673"),
    ]
    assert q.ministry_asked.name == "Travail, santé, solidarités et familles"
    assert q.ministry_assigned.name == "Santé, familles, autonomie et personnes handicapées"
    assert (q.answer.date, q.answer.page) == (D(2026, 5, 12), 4213)


def test_qe17_renewal_and_decree():
    q = one("QE17/QANR5L17QE357.json")
    assert [(a.date, a.jo_type) for a in q.attributions] == [
        (D(2024, 10, 8), "JO_QUESTION"), (D(2024, 12, 24), "JO_LOI_DECRET")]
    assert q.attributions[1].ministry.full_name == (
        "Ministère auprès de la ministre du travail, de la santé, de la solidarité et des "
        "familles, chargé de la santé et de l’accès aux soins")
    (renewal,) = q.renewals
    assert (renewal.date, renewal.jo_number, renewal.jo_type) == (
        D(2025, 1, 7), "20250001", "JO_QUESTION")
    assert (q.question.date, q.question.page, q.question.jo_number) == (
        D(2024, 10, 8), 5240, "20240026")
    assert (q.answer.date, q.answer.page, q.answer.jo_number) == (D(2025, 3, 11), 1606, "20250010")


def test_qe17_signalement():
    q = one("QE17/QANR5L17QE4679.json")
    (s,) = q.signalements
    assert (s.date, s.deposit_date, s.jo_number, s.jo_type) == (
        D(2025, 7, 8), D(2025, 7, 7), "20250027", "JO_QUESTION")
    assert q.ministry_assigned.name == "Autonomie et handicap"
    assert q.ministry_assigned.organe_ref == "PO855067"


def test_qe17_pending():
    q = one("QE17/QANR5L17QE13134.json")
    assert q.answer is None and q.closure is None and q.status == "pending"
    assert [(r.date, r.jo_number) for r in q.renewals] == [(D(2026, 6, 16), "20260024")]
    assert (q.question.date, q.question.page) == (D(2026, 2, 24), 1599)


def test_qosd17():
    q = one("QOSD17/QANR5L17QOSD1.json")
    assert (q.kind, q.number, q.rubrique) == ("QOSD", 1, "gendarmerie")
    assert q.title == "Nouvelles brigades de gendarmerie" and q.analyses == ()
    assert (q.author.acteur_ref, q.author.group_abbrev, q.author.group) == (
        "PA720256", "DEM", "Les Démocrates")
    assert q.ministry_asked == aqparse.Ministry("Intérieur", "Ministère de l'intérieur", "PO847643")
    assert (q.question.date, q.question.page, q.question.jo_number) == (
        D(2024, 11, 19), None, "20240032")
    assert (q.answer.date, q.answer.page, q.answer.jo_type) == (D(2024, 11, 27), 7011, "JO_DEBAT")
    # an unbalanced fragment: "</p><p align=CENTER> GENDARMERIE … </p><br><strong>…"
    assert q.answer.text.startswith(
        "GENDARMERIE\n\nMme la présidente . La parole est à Mme Géraldine Bannier, pour exposer sa "
        "question, no 1, relative à la gendarmerie.\n\nMme Géraldine Bannier . Dans son discours")
    # the sample this file comes from was cut by the repository that saved it
    assert q.answer.text.endswith("159 brigades restant… [truncated 1856 chars]")


def test_qg17_has_no_question_text():
    q = one("QG17/QANR5L17QG1.json")
    # "textesQuestion": null; the question's date is its sitting's (the debate's JO)
    assert (q.question.date, q.question.page, q.question.text) == (D(2024, 10, 3), None, None)
    assert q.attributions[0].date == D(2024, 10, 3)
    assert q.attributions[0].jo_type == "JO_DEBAT"
    assert (q.answer.date, q.answer.page) == (D(2024, 10, 3), 5283)
    assert q.answer.text.startswith("SITUATION À MAYOTTE\n\nMme la présidente . La parole est à "
                                    "Mme Anchya Bamana.")


def test_qg16_recent_style():
    q = one("QG16/QANR5L16QG200.json")
    assert (q.uid, q.kind, q.number) == ("QANR5L16QG200", "QG", 200)
    assert q.rubrique == "sécurité des biens et des personnes"
    assert q.title == ("PROJET DE LOI D'ORIENTATION ET DE PROGRAMMATION DU MINISTÈRE DE "
                       "L'INTÉRIEUR") and q.analyses == ()
    assert q.question.date == D(2022, 10, 26)
    assert (q.author.acteur_ref, q.author.group_abbrev, q.author.group) == (
        "PA722150", "RE", "Renaissance")
    assert q.ministry_asked.organe_ref == "PO801854"
    assert (q.answer.date, q.answer.page) == (D(2022, 10, 26), 4558)
    assert q.answer.text.startswith(
        "PROJET DE LOI D'ORIENTATION ET DE PROGRAMMATION DU MINISTÈRE DE L'INTÉRIEUR\n\n"
        "Mme la présidente. La parole est à M. Sacha Houlié.\n\nM. Sacha Houlié. Avant "
        "d'interroger le ministre de l'intérieur et des outre-mer")
    assert q.answer.text.endswith("(Applaudissements sur de nombreux bancs des groupes RE et Dem.)")


def test_qg15_older_style():
    q = one("QG15/QANR5L15QG1.json")
    assert q.regime == "5eme R\ufffdpublique"
    assert q.rubrique == "Gouvernement" and q.title == "engagement du Gouvernement"
    assert q.question.date == D(2017, 7, 6)
    assert (q.author.acteur_ref, q.author.mandate_ref, q.author.group_ref) == (
        "PA605036", "PM722444", "PO730934")
    assert (q.author.group_abbrev, q.author.group) == ("LR", "Les Républicains")
    # no organeRef on ministries, no infoJO on the attribution in this style
    assert q.ministry_asked == aqparse.Ministry("Premier ministre", "Premier ministre", None)
    assert q.attributions[0].date is None
    # dd/mm/yyyy: "06/07/2017"; the answer's infoJO has no page, the closure's has 1215
    assert (q.answer.date, q.answer.page, q.answer.jo_type) == (D(2017, 7, 6), None, "JO_DEBAT")
    assert (q.closure.date, q.closure.page) == (D(2017, 7, 6), 1215)
    assert q.answer.text.startswith("ENGAGEMENTS DU GOUVERNEMENT\n\nM. le président. La parole est "
                                    "à M. Damien Abad, pour le groupe Les Républicains.")


def test_qg15_closed_as_answered_without_the_answer_text():
    q = one("QG15/QANR5L15QG3307.json")
    assert q.answer is None                    # "textesReponse": null
    assert q.title == "Accès à l'eau potable dans les collectivités d'outre-mer"
    # without the debate, the sitting's date is the closure's: "Réponse publiée" that day
    assert (q.question.date, q.question.text) == (D(2020, 9, 16), None)
    assert (q.closure.code, q.closure.date, q.closure.page, q.closure.jo_type) == (
        "REP_PUB", D(2020, 9, 16), None, None)
    assert q.status == "answered"              # the closure says the answer was published


def test_legacy_xml_14_47351qe():
    q = aqparse.parse(LEGACY.read_bytes(), path=str(LEGACY))
    assert (q.uid, q.kind, q.legislature, q.number) == ("QANR5L14QE47351", "QE", 14, 47351)
    a = q.author
    assert (a.civility, a.name, a.first_name, a.last_name) == (
        "M.", "François Cornut-Gentille", "François", "Cornut-Gentille")
    assert (a.acteur_ref, a.mandate_ref) == ("PA923", "PM645363")
    assert (a.group_abbrev, a.group, a.group_ref) == ("LES-REP", "Les Républicains", "PO707869")
    assert (a.constituency, a.department_code, a.circonscription) == ("Haute-Marne", "52", 2)
    assert (a.region, a.region_code) == ("Alsace - Champagne-Ardenne - Lorraine", "36")
    assert q.rubrique == "défense" and q.tete_analyse == "équipements"
    assert q.analyses == ("équipements militaires", "vieillissement", "bilan")
    # two attributions, the second from a reshuffle decree on 2014-04-03
    first, second = q.attributions
    assert (first.date, first.jo_type, first.jo_number, first.ministry.organe_ref) == (
        D(2014, 1, 7), "JO_QUESTION", "1", "PO653280")
    assert (second.date, second.jo_type, second.jo_number, second.ministry.organe_ref) == (
        D(2014, 4, 3), "JO_LOI_DECRET", None, "PO700737")
    assert q.ministry_assigned.organe_ref == "PO700737"
    (renewal,) = q.renewals
    assert (renewal.date, renewal.jo_number, renewal.jo_type) == (
        D(2014, 4, 15), "15", "JO_QUESTION")
    assert (q.question.date, q.question.page, q.question.jo_number) == (D(2014, 1, 7), 18, "1")
    assert q.question.text.startswith("M. François Cornut-Gentille interroge M. le ministre de la "
                                      "défense sur les équipements des unités du génie")
    assert q.signalements == () and q.errata == ()         # empty blocks with empty children
    assert (q.closure.code, q.closure.label, q.closure.date, q.closure.page,
            q.closure.jo_number) == ("REP_PUB", "Réponse publiée", D(2014, 5, 13), 3858, "19")
    assert (q.answer.date, q.answer.page) == (D(2014, 5, 13), 3858)
    # the answer's table is kept: a header row, then one row per equipment, tab-separated
    rows = q.answer.text.split("\n\n")[1].split("\n")
    assert rows[0].startswith("TYPE DE MATÉRIEL\tNOMBRE DE MATÉRIEL en service\t")
    assert "AMX30B2 DT (char télécommandé, équipé d'outils de déminage pour permettre la création "\
           "de brèches)\t10\t10\t23,30\t37,60\t12\t194 588" in rows
    assert rows[-1].startswith("VBHP (véhicule blindé d'accompagnement des détachements")
    assert rows[-1].endswith("\t15\t14\t70,30\t11,30\t4\t125 000")
    assert len(rows) == 2 + 16          # two header rows, 16 equipments (AMX30B2 DT … VBHP)
    assert q.status == "answered" and q.defects == ()


# -- XML gives what JSON gives -------------------------------------------------------------------

def to_xml(obj, name: str) -> str:
    """The AN's XML form of an open-data JSON question (the JSON files are that XML converted):
    ``null`` is ``xsi:nil``, a list is a repeated element, ``@name`` an attribute."""
    from xml.sax.saxutils import escape, quoteattr

    if obj is None:
        return f'<{name} xsi:nil="true"/>'
    if isinstance(obj, list):
        return "".join(to_xml(item, name) for item in obj)
    if isinstance(obj, str):
        return f"<{name}>{escape(obj)}</{name}>"
    attributes = "".join(f" {k[1:]}={quoteattr(v)}" for k, v in obj.items()
                         if k.startswith("@") and not k.startswith("@xmlns"))
    children = "".join(to_xml(v, k) for k, v in obj.items() if not k.startswith("@"))
    return f"<{name}{attributes}>{children}</{name}>"


SAMPLE = sorted((OPENDATA / "QE17").glob("*.json")) + [
    OPENDATA / "QG17" / "QANR5L17QG1.json", OPENDATA / "QOSD17" / "QANR5L17QOSD1.json",
] + sorted((OPENDATA / "QG16").glob("*.json"))[::97] \
  + sorted((OPENDATA / "QG15").glob("*.json"))[::233]


@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: p.stem)
def test_the_xml_form_gives_the_same_record(path):
    question = json.loads(path.read_text(encoding="utf-8"))["question"]
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<question '
           'xmlns="http://schemas.assemblee-nationale.fr/referentiel" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
           + to_xml(question, "question")[len("<question"):])
    from_json = aqparse.parse(path.read_bytes()).to_dict()
    from_xml = aqparse.parse(xml.encode("utf-8")).to_dict()
    assert from_xml.pop("source")["format"] == "opendata-xml"
    from_json.pop("source")
    assert from_xml == from_json


# -- render, then parse: the same record in every field the text layout carries ------------------

@pytest.mark.parametrize("path", SAMPLE + [LEGACY], ids=lambda p: p.stem)
def test_render_round_trip(path):
    record = aqparse.parse(path.read_bytes())
    text = render(record)
    back = aqparse.parse(text)
    assert back.defects == ()
    assert text_fields(back) == text_fields(record)


# Two limits the text layout once had (tokenizer), met in 6 of the 6,626 corpus records.
def test_render_round_trip_label_word_in_a_value():
    # QG15 4428, QG16 260 and 573: 'Titre' inside a value is a label only with its separator
    record = one("QG15/QANR5L15QG4428.json")
    assert record.title == "Titre emploi service entreprise"
    assert text_fields(aqparse.parse(render(record))) == text_fields(record)


def test_render_round_trip_debat_at_a_paragraph_start():
    # QG15 3991, 4035, 4574: only the old pages' heading "DEBAT :" (with its colon, or alone
    # on its line) is a label, not a debate paragraph starting "DÉBAT NATIONAL …"
    record = one("QG15/QANR5L15QG3991.json")
    assert record.answer.text.startswith("DÉBAT NATIONAL SUR LA CONSOMMATION DE DROGUE\n\n")
    assert text_fields(aqparse.parse(render(record))) == text_fields(record)


# -- the same question from the open data and from a saved page ----------------------------------

def test_open_data_and_the_saved_page_agree():
    """16-200QG is both in the open data and saved as a page (``html/aclain_16_qg.html``): on
    every field both give, they agree: the rubrique the page capitalises ("Rubrique : Sécurité
    des biens et des personnes") is read in the vocabulary's form of the open data ("sécurité
    des biens et des personnes"). The debate, an HTML fragment in both, reads as the same
    text."""
    from aqparse.diff import compare

    page = CORPUS / "html" / "aclain_16_qg.html"
    from_page = aqparse.parse(page.read_bytes(), path=str(page))
    from_data = one("QG16/QANR5L16QG200.json")
    assert from_page.rubrique == "sécurité des biens et des personnes"
    assert compare(from_data, from_page, only_common=True, ignore=["extra"]) == []
