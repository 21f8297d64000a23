"""Open data (JSON, XML) and the legacy per-question XML, on made-up fixtures.

The expected values below were read from the fixture files in ``tests/data/opendata/``.
"""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

import aqparse
from aqparse import opendata
from aqparse.api import sniff
from aqparse.errors import ParseError
from aqparse.inputs import read

DATA = Path(__file__).resolve().parent / "data" / "opendata"
D = dt.date


def one(name: str, **options) -> aqparse.Question:
    path = DATA / name
    return aqparse.parse(path.read_bytes(), path=str(path), **options)


def without_source(record: aqparse.Question) -> dict:
    data = record.to_dict()
    data.pop("source")
    return data


# -- the recent JSON style -----------------------------------------------------------------------

def test_recent_json_identity_author_and_ministries():
    q = one("QANR5L17QE9001.json")
    assert (q.uid, q.legislature, q.kind, q.number) == ("QANR5L17QE9001", 17, "QE", 9001)
    assert q.regime == "5eme Republique"
    assert q.source.format == "opendata-json"
    a = q.author
    # the open data names no author, only references; the question's first words do:
    # "M. Jean Exemple attire l'attention de Mme la ministre…"
    assert (a.civility, a.name, a.name_from) == ("M.", "Jean Exemple", "question-text")
    assert a.constituency is None
    assert (a.acteur_ref, a.mandate_ref) == ("PA700001", "PM800002")
    assert (a.group_ref, a.group_abbrev, a.group) == ("PO845401", "RN", "Rassemblement National")
    assert q.ministry_asked == aqparse.Ministry("Transition écologique",
                                                "Ministère de la transition écologique", "PO847600")
    assert q.ministry_assigned.name == "Transition écologique, biodiversité"
    assert q.ministry_assigned.organe_ref == "PO873600"
    assert q.rubrique == "eau et assainissement"
    assert q.tete_analyse is None
    # a list of two; the final dot of "Compteurs individuels." is punctuation
    assert q.analyses == ("Tarification de l'eau potable", "Compteurs individuels")


def test_recent_json_attribution_history():
    q = one("QANR5L17QE9001.json")
    first, second = q.attributions
    assert first.ministry.organe_ref == "PO847600"
    assert (first.date, first.jo_type, first.page, first.jo_number) == (
        D(2025, 6, 10), "JO_QUESTION", None, None)
    assert second.ministry.full_name == (
        "Ministère de la transition écologique et de la biodiversité")
    assert (second.date, second.jo_type, second.page, second.jo_number) == (
        D(2025, 10, 14), "JO_LOI_DECRET", 3, "0240")
    assert second.url_legifrance == "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000099990001"
    assert second.reference_nor == "PRMX2599001D"


def test_recent_json_publications_signalement_renewals_closure():
    q = one("QANR5L17QE9001.json")
    assert (q.question.date, q.question.page, q.question.jo_number, q.question.jo_type) == (
        D(2025, 6, 10), 4321, "20250023", "JO_QUESTION")
    assert q.question.text.startswith("M. Jean Exemple attire l'attention de Mme la ministre")
    assert (q.answer.date, q.answer.page, q.answer.jo_number) == (D(2026, 4, 21), 3377, "20260016")
    # the answer's HTML: paragraphs, and the table as tab-separated rows
    assert q.answer.text == (
        "Le prix de l'eau est fixé par chaque collectivité.\n\nIl a évolué ainsi :\n\n"
        "Année\tPrix moyen\n2023\t4,30 €\n2024\t4,52 €\n\nLe Gouvernement suit cette évolution.")
    (s,) = q.signalements
    assert (s.date, s.deposit_date, s.jo_number, s.jo_type, s.page) == (
        D(2025, 9, 30), D(2025, 9, 29), "20250039", "JO_QUESTION", None)
    assert [(r.date, r.jo_number) for r in q.renewals] == [
        (D(2025, 9, 16), "20250037"), (D(2026, 3, 17), "20260011")]
    c = q.closure
    assert (c.code, c.label, c.date, c.page, c.jo_date, c.jo_number, c.jo_type) == (
        "REP_PUB", "Réponse publiée", D(2026, 4, 21), 3377, D(2026, 4, 21), "20260016",
        "JO_QUESTION")
    assert q.withdrawal is None and q.status == "answered"
    assert q.errata == () and q.extra == {} and q.defects == ()


def test_one_attribution_is_an_object_and_a_closure_other_than_rep_pub_is_a_withdrawal():
    q = one("QANR5L16QE4242.json")
    (only,) = q.attributions
    assert only.ministry.name == "Transports" and only.date == D(2023, 1, 17)
    assert q.ministry_assigned == q.ministry_asked
    # the 16th legislature's one analyse is what its page shows as "Titre >"
    assert q.title == "Desserte de la ligne Paris-Limoges" and q.analyses == ()
    assert q.answer is None and q.signalements == () and q.renewals == ()
    assert q.withdrawal == aqparse.Withdrawal(date=D(2024, 6, 9), reason="Fin de mandat",
                                              code="FIN_MAN")
    assert q.status == "withdrawn"
    # the closure keeps its own JO, which is not the closure date here
    assert (q.closure.date, q.closure.jo_date, q.closure.jo_number) == (
        D(2024, 6, 9), D(2024, 6, 25), "20240026")


# -- the older dump style ------------------------------------------------------------------------

def test_older_style_qg():
    q = one("QANR5L15QG77.json")
    assert (q.uid, q.kind, q.number, q.legislature) == ("QANR5L15QG77", "QG", 77, 15)
    assert q.regime == "5eme R\ufffdpublique"          # kept as published
    assert q.title == "Prix du lait" and q.analyses == ()   # ANALYSE.ANA: the page's "Titre"
    assert q.ministry_asked == aqparse.Ministry(
        "Agriculture et alimentation", "Ministère de l’agriculture et de l’alimentation", None)
    (attribution,) = q.attributions
    assert attribution.date is None and attribution.jo_type is None   # no infoJO in this style
    # a QG has no question text: its question is the sitting's, the date of the debate's JO
    assert (q.question.date, q.question.page, q.question.text) == (D(2017, 10, 18), None, None)
    # dd/mm/yyyy dates; the answer's JO gives no page, the closure's does
    assert (q.answer.date, q.answer.page, q.answer.jo_type) == (D(2017, 10, 18), None, "JO_DEBAT")
    assert (q.closure.date, q.closure.page) == (D(2017, 10, 18), 2950)
    # an unbalanced HTML fragment, starting with </p>
    assert q.answer.text == (
        "PRIX DU LAIT\n\nM. le président. La parole est à M. Pierre Essai.\n\n"
        "M. Pierre Essai. Monsieur le ministre, que comptez-vous faire ? "
        "(Applaudissements sur les bancs du groupe MODEM.)\n\n"
        "M. le président. La parole est à M. le ministre.")
    assert q.status == "answered" and q.defects == ()


# -- errata --------------------------------------------------------------------------------------

def test_errata_a_second_question_text_and_an_answer_erratum():
    q = one("QANR5L17QE9100.json")
    assert q.question.text.endswith("énergétique de 2023.")      # the first text published
    assert (q.question.date, q.question.page) == (D(2025, 1, 21), 250)
    question_erratum, answer_erratum = q.errata
    assert (question_erratum.target, question_erratum.date, question_erratum.page,
            question_erratum.jo_number) == ("question", D(2025, 2, 11), 1010, "20250006")
    assert question_erratum.text.endswith("énergétique de 2024.")
    assert (answer_erratum.target, answer_erratum.date, answer_erratum.page) == (
        "answer", D(2025, 5, 6), 3120)
    assert answer_erratum.text == "Au lieu de : « 2023 », lire : « 2024 »."
    assert q.answer.text == "Le diagnostic a été réformé en 2024."


# -- XML -----------------------------------------------------------------------------------------

def test_xml_gives_the_same_record_as_json():
    from_json = one("QANR5L17QE9001.json")
    from_xml = one("QANR5L17QE9001.xml")
    assert from_xml.source.format == "opendata-xml"
    assert without_source(from_xml) == without_source(from_json)


def test_dumps_of_many_questions_json_and_xml():
    for name in ("dump-L15.json", "dump-L15.xml"):
        records = list(aqparse.parse_many((DATA / name).read_bytes()))
        assert [r.uid for r in records] == ["QANR5L15QE1", "QANR5L15QE2"], name
        first, second = records
        assert first.tete_analyse == "hôpitaux" and first.analyses == ("urgences",)
        assert (first.question.date, first.question.page, first.question.jo_number) == (
            D(2017, 7, 25), 3901, "30")
        assert first.status == "pending" and first.closure is None
        assert second.analyses == ("latin", "grec")
        assert second.answer.text == "Les langues anciennes restent enseignées."
        assert (second.answer.date, second.answer.page) == (D(2017, 10, 3), 4720)
    json_records = list(aqparse.parse_many((DATA / "dump-L15.json").read_bytes()))
    xml_records = list(aqparse.parse_many((DATA / "dump-L15.xml").read_bytes()))
    assert [without_source(r) for r in json_records] == [without_source(r) for r in xml_records]
    # the line each question starts on
    assert [r.source.line for r in xml_records] == [4, 5]
    assert [r.source.line for r in json_records] == [2, 3]


@pytest.mark.parametrize("written", ["Madame", "MME", "Mme."])
def test_legacy_xml_civility_is_the_records_however_it_is_written(written):
    # <CIVILITE>Mme</CIVILITE> written otherwise: the records' "Mme", as every source gives it
    text = (DATA / "15-1234QE.xml").read_text(encoding="utf-8")
    assert text.count("<CIVILITE>Mme</CIVILITE>") == 1
    q = aqparse.parse(text.replace("<CIVILITE>Mme</CIVILITE>", f"<CIVILITE>{written}</CIVILITE>"))
    assert (q.author.civility, q.author.name) == ("Mme", "Marie-Claire de La Essai")


def test_the_ministry_asked_is_the_first_attribution_when_the_file_lists_only_another():
    # QANR5L15QG77, asked to "Agriculture et alimentation" and attributed to it; asked
    # instead to its secretary of state, as two real QG files of the 15th legislature are:
    # the file lists the ministry that answered alone. A page or a text of the question lists
    # the ministry asked first (dated at the question), and merged with it, conflicted
    data = json.loads((DATA / "QANR5L15QG77.json").read_text(encoding="utf-8"))
    data["question"]["minInt"] = {"abrege": "Agriculture (M. le SE auprès du ministre)",
                                  "developpe": "Secrétariat d'État auprès du ministre"}
    q = aqparse.parse(json.dumps(data).encode(), path="q.json")
    assert [(a.ministry.name, a.date) for a in q.attributions] == [
        ("Agriculture (M. le SE auprès du ministre)", None),
        ("Agriculture et alimentation", None)]
    assert q.ministry_assigned.name == "Agriculture et alimentation"
    text = aqparse.parse(aqparse.render(q), path="q.txt")
    [merged] = aqparse.merge([q, text])
    assert merged.defects == q.defects
    # the same ministry asked and attributed: one attribution, as the file gives it
    plain = aqparse.parse((DATA / "QANR5L15QG77.json").read_bytes())
    assert [a.ministry.name for a in plain.attributions] == ["Agriculture et alimentation"]


def test_legacy_xml_fixture():
    q = one("15-1234QE.xml")
    assert q.source.format == "legacy-xml"
    assert (q.uid, q.kind, q.legislature, q.number) == ("QANR5L15QE1234", "QE", 15, 1234)
    a = q.author
    assert (a.civility, a.first_name, a.last_name, a.name) == (
        "Mme", "Marie-Claire", "de La Essai", "Marie-Claire de La Essai")
    assert (a.acteur_ref, a.mandate_ref) == ("PA610777", "PM722777")
    assert (a.group_abbrev, a.group, a.group_ref) == (
        "UAI", "UDI, Agir et Indépendants", "PO730958")
    assert (a.circonscription, a.department_code, a.constituency, a.region_code, a.region) == (
        3, "971", "Guadeloupe", "01", "Guadeloupe")
    assert q.rubrique == "outre-mer" and q.tete_analyse == "DOM-ROM : Guadeloupe"
    assert q.analyses == ("eau potable",)
    assert q.ministry_asked == aqparse.Ministry("Outre-mer", "Ministère des outre-mer", "PO732010")
    (attribution,) = q.attributions
    assert (attribution.date, attribution.jo_type, attribution.jo_number) == (
        D(2017, 9, 12), "JO_QUESTION", "37")
    # the two DEPOT blocks: the stamp, then the text
    assert (q.question.date, q.question.page, q.question.jo_type, q.question.jo_number) == (
        D(2017, 9, 12), 4410, "JO_QUESTION", "37")
    assert q.question.text == ("Mme Marie-Claire de La Essai interroge Mme la ministre des "
                               "outre-mer sur l'accès à l'eau potable en Guadeloupe.")
    (erratum,) = q.errata        # the empty ERRATUM_REPONSE block gives none
    assert (erratum.target, erratum.date, erratum.page, erratum.jo_type) == (
        "question", D(2017, 9, 26), 4630, "JO_QUESTION")
    (s,) = q.signalements
    assert (s.date, s.deposit_date, s.jo_number) == (D(2018, 1, 16), D(2018, 1, 15), "3")
    # ORDRE NUMERO="2" comes first in the file: renewals are put in their order
    assert [(r.date, r.jo_number) for r in q.renewals] == [
        (D(2017, 12, 19), "51"), (D(2018, 9, 18), "38")]
    assert q.answer is None                              # an empty REPONSE block
    assert q.withdrawal == aqparse.Withdrawal(
        date=D(2019, 2, 5), reason="Retrait à l'initiative de l'auteur", code="RET_AUT")
    assert q.status == "withdrawn"
    assert (q.closure.code, q.closure.page, q.closure.jo_number) == ("RET_AUT", None, "6")
    # <CLOTURE><DATE_JO>05/02/2019</DATE_JO>: the JO's date, in the field the open data fills
    # with its infoJO.dateJO (tests/data/pairs/QANR5L15QE1234.json), and the closure's date
    assert (q.closure.date, q.closure.jo_date) == (D(2019, 2, 5), D(2019, 2, 5))
    assert q.defects == () and q.extra == {}


# -- sniffing, wrappers, records read back -------------------------------------------------------

@pytest.mark.parametrize("head, fmt", [
    ('<?xml version="1.0"?>\n<QUESTION TYPE="QE">', "legacy-xml"),
    ('<?xml version="1.0"?>\n<QUESTIONS><QUESTION TYPE="QE">', "legacy-xml"),
    ('<question xmlns="http://schemas.assemblee-nationale.fr/referentiel">', "opendata-xml"),
    ("<export><questions>", "opendata-xml"),
    ('{"question": {}}', "opendata-json"),
])
def test_sniff(head, fmt):
    assert sniff(head) == fmt


def _question_json(number: int) -> dict:
    return {"uid": f"QANR5L16QG{number}", "identifiant": {"numero": str(number),
                                                          "legislature": "16"},
            "type": "QG", "textesReponse": {"texteReponse": {
                "infoJO": {"dateJO": "2023-01-1%d" % (number % 10)}, "texte": f"Débat {number}"}}}


def test_any_wrapper_list_and_json_lines():
    q1, q2 = _question_json(1), _question_json(2)
    inputs = [
        json.dumps([q1, q2]),
        json.dumps([{"question": q1}, {"question": q2}]),
        json.dumps({"meta": {"count": 2}, "data": {"items": [q1, {"deep": {"question": q2}}]}}),
        json.dumps(q1) + "\n" + json.dumps(q2) + "\n",
    ]
    for text in inputs:
        assert [r.uid for r in aqparse.parse_many(text)] == ["QANR5L16QG1", "QANR5L16QG2"], text


def test_records_written_by_aqparse_parse_are_read_back():
    q = one("QANR5L17QE9001.json")
    text = json.dumps([q.to_dict()], ensure_ascii=False)
    (back,) = aqparse.parse_many(text)
    assert back == q


# -- quirks, defects, strict ---------------------------------------------------------------------

def test_an_unknown_field_is_kept_in_extra_with_a_defect():
    data = json.loads((DATA / "QANR5L16QE4242.json").read_text(encoding="utf-8"))
    data["question"]["nouveauChamp"] = {"valeur": "42"}
    data["question"]["auteur"]["groupe"]["couleur"] = "bleu"
    q = aqparse.parse(json.dumps(data))
    assert q.extra == {"nouveauChamp.valeur": "42", "auteur.groupe.couleur": "bleu"}
    assert sorted(d.code for d in q.defects) == ["unknown-field", "unknown-field"]
    assert q.author.group == "Les Républicains"      # the rest is read as usual
    with pytest.raises(ParseError) as error:
        aqparse.parse(json.dumps(data), strict=True)
    assert error.value.code == "unknown-field"


def test_a_bad_date_and_a_bad_page_are_defects_and_kept():
    data = json.loads((DATA / "QANR5L16QE4242.json").read_text(encoding="utf-8"))
    info = data["question"]["textesQuestion"]["texteQuestion"]["infoJO"]
    info["dateJO"], info["pageJO"] = "31/02/2023", "p. 12"
    q = aqparse.parse(json.dumps(data), path="q.json")
    assert q.question.date is None and q.question.page is None
    assert {d.code for d in q.defects} == {"bad-date", "bad-page"}
    assert q.extra == {"textesQuestion.texteQuestion.infoJO.dateJO": "31/02/2023",
                       "textesQuestion.texteQuestion.infoJO.pageJO": "p. 12"}
    with pytest.raises(ParseError) as error:
        aqparse.parse(json.dumps(data), path="q.json", strict=True)
    assert error.value.path == "q.json" and error.value.line == 1
    assert "textesQuestion.texteQuestion.infoJO.dateJO" in error.value.message


def test_uid_that_contradicts_the_number_is_a_defect():
    q = aqparse.parse(json.dumps({"uid": "QANR5L16QG5", "identifiant": {
        "numero": "6", "legislature": "16"}, "type": "QG"}))
    assert [d.code for d in q.defects] == ["uid-mismatch"]
    assert q.uid == "QANR5L16QG5" and q.number == 6


def test_malformed_json_names_the_line():
    text = '[\n' + json.dumps(_question_json(1)) + ',\n{"uid": "QANR5L16QG2", oops}\n]'
    with pytest.raises(ParseError) as error:
        list(aqparse.parse_many(text, path="broken.json"))
    assert error.value.code == "bad-json" and error.value.line == 3
    assert error.value.path == "broken.json"


def test_malformed_xml_names_the_line():
    text = (DATA / "QANR5L17QE9001.xml").read_text(encoding="utf-8").replace(
        "<rubrique>eau et assainissement</rubrique>", "<rubrique>eau</rubriq>")
    with pytest.raises(ParseError) as error:
        list(aqparse.parse_many(text, path="broken.xml"))
    assert error.value.code == "bad-xml" and error.value.line == 11


def test_json_with_no_question():
    with pytest.raises(ParseError) as error:
        aqparse.parse('{"acteur": {"uid": "PA1"}}', path="x.json")
    assert error.value.code == "not-a-question"


# -- streaming -----------------------------------------------------------------------------------

def _dump(n: int) -> str:
    return json.dumps({"questions": {"question": [_question_json(i) for i in range(1, n + 1)]}},
                      indent=1)


def test_stream_reads_in_chunks(monkeypatch):
    text = _dump(60)
    expected = [without_source(r) for r in aqparse.parse_many(text)]
    # tiny reads: chunk edges fall everywhere, inside names, strings and numbers
    monkeypatch.setattr(opendata, "READ_CHUNK", 37)
    streamed = list(opendata.parse_stream(io.BytesIO(text.encode()), "opendata-json"))
    assert [without_source(r) for r in streamed] == expected
    in_memory = list(opendata.parse_many_json(text))
    assert [without_source(r) for r in in_memory] == expected
    assert [r.source.line for r in streamed] == [r.source.line for r in in_memory]
    assert streamed[0].source.line == 4


def test_a_question_longer_than_a_chunk_is_kept_whole(monkeypatch):
    long_answer = "<p>" + "Une très longue réponse. " * 400 + "</p>"
    q = dict(_question_json(7))
    q["textesReponse"] = {"texteReponse": {"infoJO": {"dateJO": "2023-02-01"},
                                           "texte": long_answer}}
    text = json.dumps({"questions": [_question_json(1), q, _question_json(2)]})
    monkeypatch.setattr(opendata, "READ_CHUNK", 500)
    for records in (list(opendata.parse_many_json(text)),
                    list(opendata.parse_stream(io.BytesIO(text.encode()), "opendata-json"))):
        assert [r.number for r in records] == [1, 7, 2]
        assert records[1].answer.text.count("Une très longue réponse.") == 400


def test_stream_xml(monkeypatch):
    data = (DATA / "dump-L15.xml").read_bytes()
    monkeypatch.setattr(opendata, "READ_CHUNK", 50)
    records = list(opendata.parse_stream(io.BytesIO(data), "opendata-xml"))
    assert [r.uid for r in records] == ["QANR5L15QE1", "QANR5L15QE2"]


def test_inputs_stream_a_large_open_data_file(tmp_path, monkeypatch):
    path = tmp_path / "dump.json"
    path.write_text(_dump(300), encoding="utf-8")
    called = []
    real = opendata.parse_stream
    monkeypatch.setattr(opendata, "parse_stream", lambda *a, **k: called.append(1) or real(*a, **k))
    assert [r.number for r in read(path, stream_above=10_000)] == list(range(1, 301))
    assert called == [1]


def _zip_of(path: Path, count: int, size: int = 3000) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(1, count + 1):
            archive.writestr(f"json/QANR5L16QG{i}.json", json.dumps({"question": {
                **_question_json(i),
                "textesReponse": {"texteReponse": {"infoJO": {"dateJO": "2023-03-01"},
                                                   "texte": f"<p>Réponse {i}. " + "x" * size}}}}))
    return path


def _peak(path: Path):
    import tracemalloc

    tracemalloc.start()
    try:
        count = sum(1 for _ in read(path))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_zip_holds_one_member_at_a_time(tmp_path):
    small = _zip_of(tmp_path / "small.zip", 200, size=3_000)
    large = _zip_of(tmp_path / "large.zip", 200, size=30_000)      # 6 MB of JSON
    _peak(small)                  # warm-up: lazy imports are not counted below
    n_small, peak_small = _peak(small)
    n_large, peak_large = _peak(large)
    assert (n_small, n_large) == (200, 200)
    # ten times the content, hardly more memory: what grows is the one member being read
    assert peak_large < peak_small + 300_000, (peak_small, peak_large)


def test_reading_a_zip_of_more_files_grows_only_by_its_index(tmp_path):
    few = _zip_of(tmp_path / "few.zip", 100)
    many = _zip_of(tmp_path / "many.zip", 1000)
    _peak(few)
    n_few, peak_few = _peak(few)
    n_many, peak_many = _peak(many)
    assert (n_few, n_many) == (100, 1000)
    # zipfile reads the archive's index (its central directory) at once, about half a KB a
    # member; the members themselves (3 KB of JSON each here) are not kept
    per_member = (peak_many - peak_few) / 900
    assert per_member < 1_000, per_member


def test_cli_parse_reads_a_folder_and_a_zip_as_published(tmp_path, capsys):
    from aqparse.cli import main

    archive = tmp_path / "Questions.json.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in ("QANR5L17QE9001.json", "QANR5L16QE4242.json", "QANR5L15QG77.json"):
            z.write(DATA / name, f"json/{name}")
        z.write(DATA / "15-1234QE.xml", "xml/15-1234QE.xml")
    assert main(["parse", "--format", "jsonl", str(archive)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["uid"] for line in lines] == [
        "QANR5L17QE9001", "QANR5L16QE4242", "QANR5L15QG77", "QANR5L15QE1234"]
    assert json.loads(lines[0])["source"]["path"].endswith(
        "Questions.json.zip!json/QANR5L17QE9001.json")
    # the fixtures folder: every fixture; the README is skipped, as convert skips it, and said
    assert main(["parse", "--format", "jsonl", str(DATA)]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 10
    assert "README.md: skipped: not a question file type (.md)" in captured.err


def test_legacy_xml_in_latin1_as_declared():
    text = (DATA / "15-1234QE.xml").read_text(encoding="utf-8").replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"')
    q = aqparse.parse(text.encode("iso-8859-1"))
    assert q.author.group == "UDI, Agir et Indépendants"
    assert q.withdrawal.reason == "Retrait à l'initiative de l'auteur"


def test_legacy_xml_minimal_and_unknown_element():
    q = aqparse.parse('<?xml version="1.0"?>\n<QUESTION TYPE="QOSD"><LEGISLATURE>13</LEGISLATURE>'
                      '<DEPOT NUMERO="88"><DATE_JO>03/02/2009</DATE_JO></DEPOT>'
                      '<AUTEUR ID_MANDAT=""><ID_ACTEUR/></AUTEUR>'
                      '<COMMISSION>affaires sociales</COMMISSION></QUESTION>')
    assert (q.uid, q.question.date, q.question.text) == ("QANR5L13QOSD88", D(2009, 2, 3), None)
    assert q.author is None                 # an empty AUTEUR block is no author
    assert q.extra == {"COMMISSION": "affaires sociales"}
    assert [d.code for d in q.defects] == ["unknown-field"]


# -- records written by aqparse that are not valid records -----------------------------------------

@pytest.mark.parametrize("record, named", [
    ({"uid": "x", "status": "foo", "source": {}}, "'status' must be one of"),
    ({"uid": "x", "status": "pending", "source": {}, "question": {"date": "2020-13-45"}},
     "question.date"),
    ({"uid": "x", "status": "pending", "source": {"format": "nope"}}, "'format' must be one of"),
    ({"uid": "x", "status": "pending", "source": {}, "attributions": 5}, "attributions"),
])
def test_a_record_that_does_not_fit_is_a_parse_error(record, named):
    good = {"uid": "QANR5L16QG1", "status": "pending", "source": {"format": "text"}}
    text = json.dumps(good) + "\n" + json.dumps(record) + "\n"
    with pytest.raises(ParseError) as error:
        list(aqparse.parse_many(text.encode("utf-8"), path="records.jsonl"))
    assert (error.value.code, error.value.path, error.value.line) == ("bad-record",
                                                                      "records.jsonl", 2)
    assert "not a valid aqparse record" in error.value.message
    assert named in error.value.message


# -- a lone surrogate: half of a character (an emoji cut in two) ----------------------------------

def _with_broken_characters() -> str:
    data = json.loads((DATA / "QANR5L16QE4242.json").read_text(encoding="utf-8"))
    question = data["question"]
    question["indexationAN"]["rubrique"] = "santé BROKEN"
    question["textesQuestion"]["texteQuestion"]["texte"] = "<p>Bonjour BROKEN</p>"
    question["autreChamp"] = "x BROKEN"
    question["minInt"]["abrege"] = "Santé EMOJI"
    # json.dumps writes "\ud83d" as the six characters of a JSON escape, as a cut file has it
    return json.dumps(data).replace("BROKEN", "\\ud83d").replace("EMOJI", "\\ud83d\\ude00")


def test_a_lone_surrogate_becomes_a_replacement_character_with_a_defect():
    q = aqparse.parse(_with_broken_characters(), path="cut.json")
    assert q.rubrique == "santé \ufffd"
    assert q.question.text == "Bonjour \ufffd"
    assert q.extra == {"autreChamp": "x \ufffd"}
    assert q.ministry_asked.name == "Santé \U0001F600"      # a whole emoji (two halves) is kept
    broken = sorted(d.message.split(":")[0] for d in q.defects if d.code == "bad-value")
    assert broken == ["autreChamp", "indexationAN.rubrique", "textesQuestion.texteQuestion.texte"]
    json.dumps(q.to_dict(), ensure_ascii=False).encode("utf-8")    # every writer can encode it


def test_a_lone_surrogate_in_a_record_read_back():
    q = one("QANR5L17QE9001.json")
    text = json.dumps(q.to_dict()).replace('"eau et assainissement"', '"eau \\udc00"')
    back = aqparse.parse(text)
    assert back.rubrique == "eau \ufffd"
    assert [(d.code, d.message.split(":")[0]) for d in back.defects] == [("bad-value", "rubrique")]
    assert back.evolve(rubrique=q.rubrique, defects=()) == q


def test_a_lone_surrogate_in_a_streamed_dump(monkeypatch):
    # only the question whose text holds the escape is looked at, in a dump read in chunks
    broken = json.loads(_with_broken_characters())["question"]
    text = json.dumps({"questions": [_question_json(1), broken, _question_json(2)]})
    monkeypatch.setattr(opendata, "READ_CHUNK", 41)
    records = list(opendata.parse_stream(io.BytesIO(text.encode()), "opendata-json"))
    assert [(r.number, r.rubrique) for r in records] == [
        (1, None), (4242, "santé \ufffd"), (2, None)]
    assert [len([d for d in r.defects if d.code == "bad-value"]) for r in records] == [0, 3, 0]


# -- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("field, raw", [
    ("numero", "²"),                   # a digit to str.isdigit(), not to int()
    ("numero", "9" * 25),              # would overflow SQLite's and Parquet's integers
    ("numero", "12345678"),            # the text path reads at most 7 digits
    ("numero", "٤٢"),                  # Arabic-Indic digits
    ("legislature", "123"),            # at most 2 digits
])
def test_a_number_that_is_not_a_few_ascii_digits_is_a_defect_and_kept(field, raw):
    identifiant = {"numero": "6", "legislature": "16", field: raw}
    q = aqparse.parse(json.dumps({"uid": "QANR5L16QG6", "identifiant": identifiant,
                                  "type": "QG"}))
    name = {"numero": "number", "legislature": "legislature"}[field]
    assert getattr(q, name) is None
    assert q.extra == {f"identifiant.{field}": raw}
    assert [d.code for d in q.defects][:1] == ["bad-number"]
    assert f"identifiant.{field}: {raw!r}" in q.defects[0].message


def test_legacy_xml_number_with_a_superscript_digit():
    text = ('<QUESTION TYPE="QE"><LEGISLATURE>14</LEGISLATURE><DEPOT NUMERO="1²">'
            '<DATE_JO>01/02/2013</DATE_JO></DEPOT></QUESTION>')
    q = aqparse.parse(text.encode("utf-8"))
    assert (q.legislature, q.number, q.extra) == (14, None, {"DEPOT.@NUMERO": "1²"})
    assert "bad-number" in [d.code for d in q.defects]


# -- a question that lost its identity is still a question -----------------------------------------

def test_a_question_without_uid_or_identifiant_is_not_dropped():
    nameless = {"uid": None, "identifiant": None, "type": "QE", "textesQuestion": {
        "texteQuestion": {"infoJO": {"dateJO": "2023-01-05", "pageJO": "77"},
                          "texte": "<p>Une question sans numéro.</p>"}}}
    text = json.dumps({"questions": {"question": [_question_json(1), nameless]}})
    first, second = aqparse.parse_many(text, path="dump.json")
    assert (first.uid, first.number) == ("QANR5L16QG1", 1)
    assert (second.uid, second.number, second.kind) == (None, None, "QE")
    assert (second.question.date, second.question.page) == (D(2023, 1, 5), 77)
    assert second.question.text == "Une question sans numéro."
    # and its text names no author: said, not guessed
    assert second.author is None
    assert [d.code for d in second.defects] == ["unnamed-author", "missing-number",
                                                "missing-legislature"]
    # the members of a question, without the type
    del nameless["type"]
    (only,) = aqparse.parse_many(json.dumps([nameless]))
    assert only.question.text == "Une question sans numéro."


def test_objects_that_are_not_questions_are_still_not_questions():
    # a wrapper with a type holding questions; another dataset's objects (an amendment's uid,
    # an author); a type that is no question kind
    wrapped = json.dumps({"type": "export", "questions": [_question_json(1), _question_json(2)]})
    assert [r.number for r in aqparse.parse_many(wrapped)] == [1, 2]
    for text in ('{"amendement": {"uid": "AMANR5L15PO1", "auteur": {"acteurRef": "PA1"}}}',
                 '{"type": "FeatureCollection", "features": []}'):
        with pytest.raises(ParseError) as error:
            aqparse.parse(text, path="other.json")
        assert error.value.code == "not-a-question"
    # inside a question whose uid comes last, an object with a question's member names is a
    # part of that question (here an unknown one, kept), not a question of its own
    late = {"type": "QG", "renouvellements": {"minInt": {"abrege": "Culture"}},
            "uid": "QANR5L16QG3", "identifiant": {"numero": "3", "legislature": "16"}}
    (only,) = aqparse.parse_many(json.dumps({"question": late}))
    assert (only.uid, only.number) == ("QANR5L16QG3", 3)
    assert only.extra == {"renouvellements.minInt.abrege": "Culture"}


def test_an_xml_question_without_uid_or_identifiant_is_not_dropped():
    text = (DATA / "dump-L15.xml").read_text(encoding="utf-8")
    start = text.index("<uid>QANR5L15QE2</uid>")
    end = text.index("</identifiant>", start) + len("</identifiant>")
    first, second = aqparse.parse_many(text[:start] + text[end:])
    assert (first.number, second.number, second.uid, second.kind) == (1, None, None, "QE")
    assert second.rubrique == "enseignement"
    assert second.answer.text == "Les langues anciennes restent enseignées."


# -- nesting deeper than Python's recursion ------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    # a question whose unknown member is nested deeply: decoded by json, then read by the mapping
    ('{"uid": "QANR5L16QG1", "type": "QG",\n"x": ' + "[" * 990 + "1" + "]" * 990 + "}").encode(),
], ids=["list", "object", "member"])
def test_json_nested_too_deeply_is_a_parse_error(data):
    with pytest.raises(ParseError) as error:
        list(aqparse.parse_many(data, path="deep.json"))
    assert (error.value.code, error.value.path) == ("bad-json", "deep.json")
    assert "nested too deeply" in error.value.message


def test_xml_nested_too_deeply_is_a_parse_error():
    text = ('<?xml version="1.0"?>\n<questions>\n<question><uid>QANR5L15QE1</uid>\n'
            + "<a>" * 1500 + "x" + "</a>" * 1500 + "</question></questions>")
    with pytest.raises(ParseError) as error:
        list(aqparse.parse_many(text.encode(), path="deep.xml"))
    assert (error.value.code, error.value.path, error.value.line) == ("bad-xml", "deep.xml", 3)
    assert "nested too deeply" in error.value.message


def test_a_bug_in_the_mapping_is_a_parse_error_naming_the_place(monkeypatch):
    def broken(obj, **options):
        raise KeyError("oops")
    monkeypatch.setattr(opendata, "map_opendata", broken)
    text = json.dumps([_question_json(1)], indent=1)
    with pytest.raises(ParseError) as error:
        list(aqparse.parse_many(text, path="q.json"))
    assert (error.value.code, error.value.path, error.value.line) == ("internal-error",
                                                                      "q.json", 2)
    assert isinstance(error.value, aqparse.InternalError)
    assert "KeyError" in error.value.message


# -- any JSON-ish value: records or a ParseError, never another exception ------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# names and values of open-data questions and of records, so that the values drawn reach deep
# into the mapping, not only its first checks
KEYS = ("uid", "identifiant", "numero", "legislature", "regime", "type", "@xsi:type",
        "textesQuestion", "texteQuestion", "textesReponse", "texteReponse", "texte", "erratum",
        "infoJO", "dateJO", "pageJO", "numJO", "typeJO", "auteur", "identite", "acteurRef",
        "groupe", "minInt", "minAttribs", "minAttrib", "denomination", "abrege", "developpe",
        "indexationAN", "rubrique", "analyses", "analyse", "ANALYSE", "ANA", "cloture",
        "codeCloture", "libelleCloture", "dateCloture", "signalement", "renouvellements",
        "renouvellement", "question", "questions", "status", "source", "format", "number",
        "attributions", "defects", "extra", "date")
SCALARS = ("QANR5L15QE1", "QANR5L16QG2", "15", "16", "200", "²", "9" * 25, "-1", "QE", "QG",
           "QOSD", "QuestionEcrite_Type", "REP_PUB", "FL", "2020-13-45", "31/02/2020",
           "2023-01-05", "05/01/2023", "<p>Texte</p>", "</p><p>DÉBAT", "\ud83d", "x\udc00y",
           "answered", "pending", "foo", "text", "", " ")
leaves = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
          | st.text(max_size=12) | st.sampled_from(SCALARS))
json_values = st.recursive(
    leaves, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=6),
    max_leaves=30)
QUESTION_MEMBERS = ("type", "textesQuestion", "textesReponse", "auteur", "minInt", "minAttribs",
                    "indexationAN", "cloture", "signalement", "renouvellements")
# shaped as an open-data question, and as a record written by aqparse, with any values inside
open_data_questions = st.fixed_dictionaries(
    {"uid": leaves, "identifiant": st.fixed_dictionaries(
        {}, optional={"numero": leaves, "legislature": leaves}) | json_values},
    optional={key: json_values for key in QUESTION_MEMBERS})
RECORD_FIELDS = ("number", "legislature", "kind", "question", "answer", "attributions", "extra",
                 "defects", "analyses", "withdrawal", "errata", "author")
records = st.fixed_dictionaries(
    {"uid": leaves, "status": leaves,
     "source": st.fixed_dictionaries({}, optional={"format": leaves}) | json_values},
    optional={key: json_values for key in RECORD_FIELDS})
any_json = st.one_of(json_values, open_data_questions, records,
                     st.lists(open_data_questions | records, max_size=3))


def _records_or_parse_error(data, **options):
    try:
        for record in aqparse.parse_many(data, **options):
            assert isinstance(record, aqparse.Question)
            # what is read can be written: no lone surrogate is left in a record
            json.dumps(record.to_dict(), ensure_ascii=False).encode("utf-8")
    except ParseError:
        pass


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_json)
def test_any_json_value_gives_records_or_a_parse_error(value):
    for wrapped in (value, {"question": value}, {"questions": {"question": [value, value]}}):
        _records_or_parse_error(json.dumps(wrapped).encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_read_as_open_data_give_records_or_a_parse_error(data):
    for fmt in ("opendata-json", "opendata-xml", "legacy-xml"):
        _records_or_parse_error(data, format=fmt)
    _records_or_parse_error(b"[" + data)


def test_what_a_record_read_back_does_not_hold_is_kept_in_extra():
    q = one("QANR5L17QE9001.json")
    data = q.to_dict()
    data["surnom"] = "la question de l'eau"          # not a field of the record
    data["author"]["couleur"] = "bleu"
    back = aqparse.parse(json.dumps(data), path="r.json")
    assert back.extra == {"surnom": "la question de l'eau", "author.couleur": "bleu"}
    # in the order of the record's fields (surnom was added last)
    assert [(d.code, d.message.split(":")[0]) for d in back.defects] == [
        ("unknown-field", "author.couleur"), ("unknown-field", "surnom")]
    assert back.evolve(extra={}, defects=()) == q


@pytest.mark.parametrize("field, value, said", [
    ("analyses", "eau", "analyses: 'eau' would be read as"),   # not ["e", "a", "u"]
    ("number", 9001.5, "number: 9001.5 would be read as 9001"),
    # (a list is no text, as an empty one, which the check of what was read back missed)
    ("rubrique", ["eau"], "a text, not list: ['eau'] at rubrique"),
])
def test_a_record_value_that_would_be_read_otherwise_is_a_parse_error(field, value, said):
    data = one("QANR5L17QE9001.json").to_dict()
    data[field] = value
    with pytest.raises(ParseError) as error:
        aqparse.parse(json.dumps(data), path="r.json")
    assert (error.value.code, error.value.path, error.value.line) == ("bad-record", "r.json", 1)
    assert said in error.value.message
