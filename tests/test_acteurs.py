"""aqparse.acteurs: the AN's acteurs archive (AMO) read by hand-made archives, in the public
format: one JSON per acteur (``json/acteur/PA….json``) and per organe (``json/organe/PO….json``).
The people, references and places are invented."""

import datetime as dt
import json
import pickle
import zipfile
from pathlib import Path

import attrs
import pytest

import aqparse
from aqparse.acteurs import Acteurs, cached
from aqparse.errors import UsageError
from aqparse.records import Author, Defect, Publication, Question, Source

DATA = Path(__file__).resolve().parent / "data" / "opendata"


# -- the hand-made archive -----------------------------------------------------------------------

def mandat(uid, acteur, kind, organe, start, end, legislature, lieu=None):
    m = {"@xsi:type": "MandatParlementaire_type" if kind == "ASSEMBLEE" else "MandatSimple_Type",
         "uid": uid, "acteurRef": acteur, "legislature": legislature, "typeOrgane": kind,
         "dateDebut": start, "datePublication": None, "dateFin": end,
         "preseance": "20", "nominPrincipale": "0", "infosQualite": {"codeQualite": "Membre"},
         "organes": {"organeRef": organe}}
    if lieu is not None:
        m["election"] = {"lieu": lieu, "causeMandat": "élections générales",
                         "refCirconscription": "PO999"}
    return m


def lieu(region, departement, num_departement, num_circo):
    return {"region": region, "regionType": "Métropolitain", "departement": departement,
            "numDepartement": num_departement, "numCirco": num_circo}


# Claire Exemple: 15th legislature for Gironde (5e), first in group PO1001 then PO1002 from
# 2019-03-01; 16th legislature for Vienne (2e) in group PO1003. Her uid is an object.
CLAIRE = {"acteur": {
    "@xmlns": "http://schemas.assemblee-nationale.fr/referentiel",
    "uid": {"@xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "@xsi:type": "IdActeur_type", "#text": "PA900001"},
    "etatCivil": {"ident": {"civ": "Mme", "prenom": "Claire", "nom": "Exemple-Durand",
                            "alpha": "Exemple-DurandClaire", "trigramme": "CED"},
                  "infoNaissance": {"dateNais": "1970-01-01", "villeNais": "Poitiers"},
                  "dateDeces": None},
    "profession": {"libelleCourant": "Avocate"},
    "mandats": {"mandat": [
        mandat("PM900101", "PA900001", "ASSEMBLEE", "PO717460", "2017-06-21", "2022-06-21", "15",
               lieu("Nouvelle-Aquitaine", "Gironde", "33", "5")),
        mandat("PM900102", "PA900001", "GP", "PO1001", "2017-06-27", "2019-02-28", "15"),
        mandat("PM900103", "PA900001", "GP", "PO1002", "2019-03-01", "2022-06-21", "15"),
        mandat("PM900104", "PA900001", "COMPER", "PO5000", "2017-06-29", "2022-06-21", "15"),
        mandat("PM900201", "PA900001", "ASSEMBLEE", "PO792279", "2022-06-22", None, "16",
               lieu("Nouvelle-Aquitaine", "Vienne", "86", "2")),
        mandat("PM900202", "PA900001", "GP", "PO1003", "2022-06-28", None, "16"),
    ]}}}

# Marc Seul: one mandate, given as an object rather than a list, and no group
MARC = {"acteur": {
    "uid": "PA900002",
    "etatCivil": {"ident": {"civ": "M.", "prenom": "Marc", "nom": "Seul"}},
    "mandats": {"mandat": mandat("PM900301", "PA900002", "ASSEMBLEE", "PO792279", "2022-06-22",
                                 None, "16", lieu("Bretagne", "Finistère", "29", "3"))}}}

# Paul Modèle, the author of tests/data/opendata/QANR5L16QE4242.json (PA700123, PM795555)
PAUL = {"acteur": {
    "uid": {"#text": "PA700123"},
    "etatCivil": {"ident": {"civ": "M.", "prenom": "Paul", "nom": "Modèle"}},
    "mandats": {"mandat": [
        mandat("PM795555", "PA700123", "ASSEMBLEE", "PO792279", "2022-06-22", "2024-06-09", "16",
               lieu("Nouvelle-Aquitaine", "Haute-Vienne", "87", "1")),
        mandat("PM795556", "PA700123", "GP", "PO800490", "2022-06-28", "2024-06-09", "16"),
    ]}}}


def organe(uid, libelle, abbrev, code_type="GP"):
    return {"organe": {"@xsi:type": "GroupePolitique_type", "uid": uid, "codeType": code_type,
                       "libelle": libelle, "libelleEdition": f"du groupe {libelle}",
                       "libelleAbrege": abbrev, "libelleAbrev": abbrev,
                       "viMoDe": {"dateDebut": "2017-06-27", "dateAgrement": None,
                                  "dateFin": None}}}


ORGANES = [organe("PO1001", "Groupe Un", "G1"), organe("PO1002", "Groupe Deux", "G2"),
           organe("PO1003", "Groupe Trois", "G3"),
           organe("PO800490", "Les Républicains", "LR"),
           organe("PO5000", "Commission des lois", "CION_LOIS", "COMPER")]


def members(acteurs=(CLAIRE, MARC, PAUL), organes=ORGANES):
    out = {}
    for a in acteurs:
        uid = a["acteur"]["uid"]
        out[f"json/acteur/{uid['#text'] if isinstance(uid, dict) else uid}.json"] = json.dumps(a)
    for o in organes:
        out[f"json/organe/{o['organe']['uid']}.json"] = json.dumps(o)
    return out


def write_zip(path, files):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def write_folder(root, files):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def archive(tmp_path):
    files = members()
    files["json/acteur/PA900099.json"] = '{"acteur": {"uid": "PA900099", '    # cut short
    files["json/README.txt"] = "not the archive's"
    files["json/deport/PD1.json"] = "{}"
    return Acteurs.load(write_zip(tmp_path / "AMO.json.zip", files))


def question(ref="PA900001", date=None, answer_date=None, **author):
    return Question(uid="QANR5L16QE1", legislature=16, kind="QE", number=1,
                    author=Author(acteur_ref=ref, **author) if ref or author else None,
                    question=Publication(date=date) if date else None,
                    answer=Publication(date=answer_date) if answer_date else None,
                    status="answered" if answer_date else "pending",
                    source=Source(format="opendata-json", path="q.json", line=1))


# -- loading -------------------------------------------------------------------------------------

def test_zip_loads_acteurs_and_group_organes_and_counts_what_is_skipped(archive):
    assert set(archive.acteurs) == {"PA900001", "PA900002", "PA700123"}
    # group organes only: a commission is not needed
    assert set(archive.organes) == {"PO1001", "PO1002", "PO1003", "PO800490"}
    assert archive.organes["PO1002"].name == "Groupe Deux"
    assert archive.organes["PO1002"].abbrev == "G2"
    # the member that is not JSON is skipped and said; what is not named as the archive's is
    # passed over without a word
    assert [name for name, _ in archive.skipped] == ["json/acteur/PA900099.json"]
    assert archive.skipped[0][1].startswith("not JSON")
    assert "PA900001" in archive and len(archive) == 3


def test_only_seat_and_group_mandates_are_kept(archive):
    claire = archive.acteurs["PA900001"]       # uid given as {"#text": …}
    assert (claire.civility, claire.first_name, claire.last_name) == (
        "Mme", "Claire", "Exemple-Durand")
    assert [m.uid for m in claire.mandates] == [
        "PM900101", "PM900102", "PM900103", "PM900201", "PM900202"]
    seat = claire.mandates[0]
    assert seat.start == dt.date(2017, 6, 21) and seat.end == dt.date(2022, 6, 21)
    assert seat.legislature == 15 and seat.organe_ref == "PO717460"
    assert seat.seat == ("Gironde", "33", 5, "Nouvelle-Aquitaine")


def test_folder_loads_the_same_recursively(tmp_path, archive):
    root = write_folder(tmp_path / "AMO", members())
    (root / "notes.md").write_text("# notes")
    folder = Acteurs.load(root)
    assert folder.acteurs == archive.acteurs and folder.organes == archive.organes
    assert folder.skipped == []


def test_single_file(tmp_path):
    path = tmp_path / "marc.json"      # named as a user likes: the content decides
    path.write_text(json.dumps(MARC), encoding="utf-8")
    one = Acteurs.load(path)
    assert set(one.acteurs) == {"PA900002"} and one.organes == {}
    # the one mandate, given as an object
    assert [m.uid for m in one.acteurs["PA900002"].mandates] == ["PM900301"]


def test_single_file_with_a_bom_and_a_single_organe(tmp_path):
    path = tmp_path / "PO1003.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(ORGANES[2]).encode())
    assert Acteurs.load(path).organes["PO1003"].name == "Groupe Trois"


def test_what_cannot_be_read_is_skipped_never_raised(tmp_path):
    bad_date = json.loads(json.dumps(MARC))
    bad_date["acteur"]["uid"] = "PA900003"
    bad_date["acteur"]["mandats"]["mandat"] = [
        bad_date["acteur"]["mandats"]["mandat"],
        mandat("PM9", "PA900003", "GP", "PO1", "2022-13-45", None, "16"),
        "not a mandate"]
    files = {
        "json/acteur/PA900003.json": json.dumps(bad_date),
        "json/acteur/PA900004.json": json.dumps([1, 2]),               # not an object
        "json/acteur/PA900005.json": json.dumps({"organe": ORGANES[0]["organe"]}),  # misnamed
        "json/acteur/PA900006.json": json.dumps({"acteur": {"etatCivil": {}}}),     # no uid
        "json/acteur/PA900007.json": b"\xff\xfe\x00garbage",
        "json/acteur/PA900008.json": json.dumps({"acteur": {"uid": "PA900008"}}),   # bare
    }
    loaded = Acteurs.load(write_zip(tmp_path / "bad.zip", files))
    assert set(loaded.acteurs) == {"PA900003", "PA900008"}
    # the acteur with an unreadable mandate keeps its readable ones
    assert [m.uid for m in loaded.acteurs["PA900003"].mandates] == ["PM900301"]
    names = [n for n, _ in loaded.skipped]
    assert names.count("json/acteur/PA900003.json") == 2       # the bad date, the bad mandate
    assert {"json/acteur/PA900004.json", "json/acteur/PA900005.json",
            "json/acteur/PA900006.json", "json/acteur/PA900007.json"} <= set(names)
    assert "json/acteur/PA900008.json" not in names
    assert any("dateDebut '2022-13-45'" in w for _, w in loaded.skipped)
    # a bare acteur: known, says nothing
    assert loaded.author_at("PA900008", dt.date(2023, 1, 1))["name"] is None


def test_a_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        Acteurs.load(tmp_path / "nowhere.zip")


def test_picklable_and_cached_once_per_process(tmp_path, archive):
    again = pickle.loads(pickle.dumps(archive))
    assert again.acteurs == archive.acteurs and again.skipped == archive.skipped
    path = write_zip(tmp_path / "c.zip", members())
    assert cached(path) is cached(str(path))


# -- author_at -----------------------------------------------------------------------------------

def test_author_at_a_date_of_each_legislature(archive):
    first = archive.author_at("PA900001", dt.date(2018, 5, 2))
    assert first == {
        "civility": "Mme", "first_name": "Claire", "last_name": "Exemple-Durand",
        "name": "Claire Exemple-Durand", "constituency": "Gironde", "department_code": "33",
        "circonscription": 5, "region": "Nouvelle-Aquitaine", "group": "Groupe Un",
        "group_abbrev": "G1", "group_ref": "PO1001", "mandate_ref": "PM900101"}
    later = archive.author_at("PA900001", dt.date(2020, 1, 15))     # changed group
    assert (later["constituency"], later["group_ref"], later["group"]) == (
        "Gironde", "PO1002", "Groupe Deux")
    second = archive.author_at("PA900001", dt.date(2023, 1, 17))
    assert (second["constituency"], second["department_code"], second["circonscription"],
            second["group"], second["group_abbrev"], second["group_ref"],
            second["mandate_ref"]) == ("Vienne", "86", 2, "Groupe Trois", "G3", "PO1003",
                                       "PM900201")


def test_author_at_edges(archive):
    # the first and last days of a mandate are in it
    assert archive.author_at("PA900001", dt.date(2019, 2, 28))["group_ref"] == "PO1001"
    assert archive.author_at("PA900001", dt.date(2019, 3, 1))["group_ref"] == "PO1002"
    # between the seat and the first group (a week): the seat, no group
    gap = archive.author_at("PA900001", dt.date(2022, 6, 23))
    assert gap["constituency"] == "Vienne" and gap["group_ref"] is None
    # no date: the mandate the source names, else the latest seat
    assert archive.author_at("PA900001", None, "PM900101")["group_ref"] == "PO1002"
    assert archive.author_at("PA900001", None)["constituency"] == "Vienne"
    assert archive.author_at("PA900001", None, legislature=15)["constituency"] == "Gironde"
    # the named mandate before the date
    assert archive.author_at("PA900001", dt.date(2023, 1, 1), "PM900101")[
        "constituency"] == "Gironde"
    # a date before any seat: nothing guessed, the civil state still said
    early = archive.author_at("PA900001", dt.date(2001, 1, 1))
    assert early["constituency"] is None and early["group_ref"] is None
    assert early["name"] == "Claire Exemple-Durand"
    assert archive.author_at("PA000000", dt.date(2023, 1, 1)) is None
    assert archive.author_at(None, dt.date(2023, 1, 1)) is None


def test_a_date_after_the_seat_reads_the_group_at_its_end(archive):
    after = archive.author_at("PA700123", dt.date(2024, 9, 1))
    assert (after["constituency"], after["group_ref"]) == ("Haute-Vienne", "PO800490")


def test_without_organe_files_the_group_is_its_ref(tmp_path):
    bare = Acteurs.load(write_zip(tmp_path / "acteurs-only.zip", members(organes=())))
    found = bare.author_at("PA900001", dt.date(2023, 1, 17))
    assert (found["group"], found["group_abbrev"], found["group_ref"]) == (None, None, "PO1003")
    q = bare.enrich(question(date=dt.date(2023, 1, 17)))
    assert q.author.group_ref == "PO1003" and q.author.group is None


# -- enrich --------------------------------------------------------------------------------------

def test_enrich_fills_the_empty_fields_at_the_questions_date(archive):
    q = archive.enrich(question(date=dt.date(2018, 5, 2)))
    assert q.author == Author(
        civility="Mme", name="Claire Exemple-Durand", name_from="acteurs", first_name="Claire",
        last_name="Exemple-Durand", acteur_ref="PA900001", constituency="Gironde",
        department_code="33", circonscription=5, region="Nouvelle-Aquitaine",
        group="Groupe Un", group_abbrev="G1", group_ref="PO1001")
    assert q.defects == ()
    second = archive.enrich(question(date=dt.date(2023, 1, 17)))
    assert (second.author.constituency, second.author.circonscription, second.author.group,
            second.author.group_ref) == ("Vienne", 2, "Groupe Trois", "PO1003")


def test_enrich_uses_the_answer_date_when_the_question_has_none(archive):
    q = archive.enrich(question(answer_date=dt.date(2020, 2, 4)))
    assert (q.author.constituency, q.author.group_ref) == ("Gironde", "PO1002")


def test_a_text_name_is_replaced_silently_when_it_is_the_same(archive):
    q = archive.enrich(question(date=dt.date(2023, 1, 17), civility="Mme",
                                name="Claire EXEMPLE DURAND", name_from="question-text"))
    assert (q.author.civility, q.author.name, q.author.name_from) == (
        "Mme", "Claire Exemple-Durand", "acteurs")
    assert q.defects == ()


def test_a_different_text_name_gives_a_conflict_and_the_archives_is_kept(archive):
    q = archive.enrich(question(date=dt.date(2023, 1, 17), civility="M.", name="Jean Autre",
                                name_from="debate"))
    assert (q.author.civility, q.author.name, q.author.name_from) == (
        "Mme", "Claire Exemple-Durand", "acteurs")
    assert q.defects == (
        Defect("source-conflict", "author.name: 'Claire Exemple-Durand' from acteurs (kept) "
                                  "and 'Jean Autre' from debate"),
        Defect("source-conflict", "author.civility: 'Mme' from acteurs (kept) and 'M.' from "
                                  "debate"))


def test_a_stated_name_is_never_replaced(archive):
    same = archive.enrich(question(date=dt.date(2023, 1, 17), name="EXEMPLE-DURAND Claire"))
    assert (same.author.name, same.author.name_from) == ("EXEMPLE-DURAND Claire", None)
    # the same person: her civility and the name's parts are filled
    assert (same.author.civility, same.author.first_name, same.author.last_name) == (
        "Mme", "Claire", "Exemple-Durand")
    assert same.defects == ()
    other = archive.enrich(question(date=dt.date(2023, 1, 17), civility="Mme",
                                    name="Claire Martin"))
    assert (other.author.name, other.author.name_from, other.author.first_name) == (
        "Claire Martin", None, None)
    assert other.defects == (Defect(
        "source-conflict", "author.name: 'Claire Martin' from opendata-json q.json:1 (kept) and "
                           "'Claire Exemple-Durand' from acteurs"),)
    # the rest is filled all the same
    assert other.author.constituency == "Vienne"


def test_stated_values_are_never_overwritten(archive):
    q = archive.enrich(question(date=dt.date(2023, 1, 17), constituency="Vienne",
                                region="Poitou-Charentes", group="Groupe Trois"))
    a = q.author
    assert (a.constituency, a.region, a.department_code, a.circonscription) == (
        "Vienne", "Poitou-Charentes", "86", 2)
    assert (a.group, a.group_abbrev, a.group_ref) == ("Groupe Trois", "G3", "PO1003")


def test_another_stated_place_or_group_is_not_mixed_with_the_archives(archive):
    q = archive.enrich(question(date=dt.date(2023, 1, 17), constituency="Gironde",
                                group="Groupe Ailleurs"))
    a = q.author
    assert (a.constituency, a.department_code, a.circonscription, a.region) == (
        "Gironde", None, None, None)
    assert (a.group, a.group_abbrev, a.group_ref) == ("Groupe Ailleurs", None, None)
    # a group named by ref: its names, even when the date says another group
    q = archive.enrich(question(date=dt.date(2019, 3, 1), group_ref="PO1001"))
    assert (q.author.group, q.author.group_abbrev, q.author.group_ref) == (
        "Groupe Un", "G1", "PO1001")


def test_the_mandate_the_source_names_gives_the_seat(archive):
    q = archive.enrich(question(date=dt.date(2023, 1, 17), mandate_ref="PM900101"))
    assert q.author.constituency == "Gironde" and q.author.group_ref == "PO1002"


def test_unknown_acteur_and_no_acteur(archive):
    q = question("PA000000", date=dt.date(2023, 1, 17), civility="M.", name="Jean Autre",
                 name_from="question-text")
    out = archive.enrich(q)
    assert out.author == q.author
    assert out.defects == (Defect("unknown-acteur",
                                  "author.acteur_ref 'PA000000' is not in the acteurs archive"),)
    assert archive.enrich(out) == out          # said once
    for none in (question(None, date=dt.date(2023, 1, 17)),
                 question(None, date=dt.date(2023, 1, 17), name="Jean Autre"),
                 Question(uid="QANR5L16QE2")):
        assert archive.enrich(none) is none


def test_enrich_twice_is_enriching_once(archive):
    q = question(date=dt.date(2023, 1, 17), civility="M.", name="Jean Autre",
                 name_from="question-text")
    once = archive.enrich(q)
    assert archive.enrich(once) == once
    done = archive.enrich(question(date=dt.date(2023, 1, 17)))
    assert archive.enrich(done) is done


def test_enriched_records_keep_their_json_form(archive):
    q = archive.enrich(question(date=dt.date(2023, 1, 17), name="Jean Autre",
                                name_from="question-text"))
    assert Question.from_dict(q.to_dict()) == q


# -- real open-data records ----------------------------------------------------------------------

def test_the_open_data_question_4242(archive):
    q = aqparse.parse((DATA / "QANR5L16QE4242.json").read_bytes())
    assert (q.author.acteur_ref, q.author.mandate_ref, q.author.group_ref) == (
        "PA700123", "PM795555", "PO800490")
    assert (q.author.name, q.author.name_from) == ("Paul Modèle", "question-text")
    out = archive.enrich(q)
    assert out.author == attrs.evolve(
        q.author, name_from="acteurs", first_name="Paul", last_name="Modèle",
        constituency="Haute-Vienne", department_code="87", circonscription=1,
        region="Nouvelle-Aquitaine")
    # the group stated by the file is the archive's: nothing to change there
    assert (out.author.group, out.author.group_abbrev) == ("Les Républicains", "LR")
    assert out.defects == q.defects
    assert attrs.evolve(out, author=q.author) == q       # nothing else touched


def test_the_open_data_question_4242_with_another_name_in_the_archive(tmp_path):
    renamed = json.loads(json.dumps(PAUL))
    renamed["acteur"]["etatCivil"]["ident"].update(prenom="Paul", nom="Modèle-Nouveau")
    acteurs = Acteurs.load(write_zip(tmp_path / "a.zip", members([renamed])))
    out = acteurs.enrich(aqparse.parse((DATA / "QANR5L16QE4242.json").read_bytes()))
    assert out.author.name == "Paul Modèle-Nouveau"
    assert Defect("source-conflict", "author.name: 'Paul Modèle-Nouveau' from acteurs (kept) and "
                                     "'Paul Modèle' from question-text") in out.defects
    # no organe files: the group the file states is kept as it is
    assert (out.author.group, out.author.group_ref) == ("Les Républicains", "PO800490")


def test_every_open_data_test_file_enriches_without_error(archive):
    for path in sorted(DATA.glob("*.json")):
        for q in aqparse.read(str(path)):
            out = archive.enrich(q)
            assert Question.from_dict(out.to_dict()) == out


# -- wired: read(..., acteurs=), convert(..., acteurs=), --acteurs ---------------------------------

def test_read_convert_and_the_command_line_complete_authors_from_the_archive(tmp_path):
    from aqparse.cli import main

    path = write_zip(tmp_path / "AMO.zip", members())
    source = DATA / "QANR5L16QE4242.json"
    [q] = aqparse.read(source, acteurs=path)
    # the hand-made archive: Paul Modèle, 1st circonscription of Haute-Vienne (87)
    assert (q.author.name, q.author.name_from, q.author.constituency,
            q.author.circonscription) == ("Paul Modèle", "acteurs", "Haute-Vienne", 1)
    for jobs in (1, 2):
        out = tmp_path / f"q{jobs}.jsonl"
        aqparse.convert([str(source)], out, jobs=jobs, quiet=True, acteurs=path)
        [line] = out.read_text(encoding="utf-8").splitlines()
        assert aqparse.Question.from_dict(json.loads(line)) == q
    out = tmp_path / "cli.jsonl"
    assert main(["convert", str(source), "-o", str(out), "-q", "--acteurs", str(path)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["author"]["department_code"] == "87"
    # a file that holds no acteur is refused before any work
    empty = write_zip(tmp_path / "empty.zip", {"readme.txt": "nothing"})
    with pytest.raises(aqparse.UsageError):
        aqparse.convert([str(source)], tmp_path / "x.jsonl", acteurs=empty)
