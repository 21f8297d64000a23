"""One question, one record: the same fact in the same field from every source, and the records
of one question from several sources merged field by field (``aqparse.merge``, ``convert``).

The pairs of the corpus (a saved page and the open-data file of the same question, named in the
corpus README) are checked when ``../shared/corpus`` is there; the pairs written by hand for
these tests (``tests/data/pairs``: a text paste and an open-data file, a legacy XML and an
open-data file) always are.
"""

import datetime as dt
import itertools
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import aqparse
from aqparse.agree import rubrique_form, sitting_question, title_and_analyses
from aqparse.cli import main
from aqparse.diff import compare, different_questions
from aqparse.records import Author, Defect, Publication, Question, Source
from aqparse.stats import stats

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PAIRS = DATA / "pairs"
CORPUS = HERE.parents[1] / "shared" / "corpus"
D = dt.date

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside "
                                                                "this checkout")


def one(path: Path) -> Question:
    return aqparse.parse(path.read_bytes(), path=str(path))


# -- the same fact in the same field ---------------------------------------------------------------

@pytest.mark.parametrize("shown,vocabulary", [
    ("Sécurité des biens et des personnes", "sécurité des biens et des personnes"),
    ("Agriculture", "agriculture"),
    ("Professions et activites paramedicales", "professions et activites paramedicales"),
    ("agriculture", "agriculture"),                  # already in form
    ("Union européenne", "Union européenne"),        # a proper noun stays
    ("État", "État"),
    ("Français de l'étranger", "Français de l'étranger"),
    ("TVA", "TVA"),                                  # an acronym stays
    (None, None),
])
def test_rubriques_in_the_vocabulary_s_form(shown, vocabulary):
    assert rubrique_form(shown) == vocabulary


def test_a_single_analyse_is_the_title_from_the_15th_legislature():
    assert title_and_analyses(15, None, None, ("Accès aux livres",)) == ("Accès aux livres", ())
    # before: an analyse; beside a tête d'analyse: the older indexing; two: analyses
    assert title_and_analyses(14, None, None, ("urgences",)) == (None, ("urgences",))
    assert title_and_analyses(15, None, "hôpitaux", ("urgences",)) == (None, ("urgences",))
    assert title_and_analyses(16, None, None, ("a", "b")) == (None, ("a", "b"))


def test_a_qg_is_dated_by_its_sitting():
    debate = Publication(date=D(2022, 10, 26), page=4558, text="La parole est à …")
    assert sitting_question("QG", None, debate) == Publication(date=D(2022, 10, 26))
    # without the debate: the attribution's JO when it is the debates', else the closure's
    assert sitting_question("QG", None, None, D(2022, 10, 26), "JO_DEBAT").date == D(2022, 10, 26)
    assert sitting_question("QG", None, None, D(2022, 10, 26), "JO_QUESTION") is None
    assert sitting_question("QG", None, None, None, None, D(2020, 9, 16)).date == D(2020, 9, 16)
    # a QE or a QOSD has its own question, published before
    assert sitting_question("QOSD", None, debate) is None


def test_text_and_open_data_of_one_question_agree():
    # tests/data/pairs/16-4242QE.txt, written as the site shows the question, and the open
    # data of it (tests/data/opendata/QANR5L16QE4242.json)
    text = one(PAIRS / "16-4242QE.txt")
    data = one(DATA / "opendata" / "QANR5L16QE4242.json")
    # "Rubrique > Transports ferroviaires", "Titre > Desserte de la ligne Paris-Limoges"
    assert (text.rubrique, text.title) == (data.rubrique, data.title) == (
        "transports ferroviaires", "Desserte de la ligne Paris-Limoges")
    # the open data's author named by the question's first words: "M. Paul Modèle interroge…"
    assert (data.author.civility, data.author.name, data.author.name_from) == (
        "M.", "Paul Modèle", "question-text")
    assert (text.author.civility, text.author.name, text.author.name_from) == (
        "M.", "Paul Modèle", None)
    # the site's "(fin de mandat)", the open data's "Fin de mandat": one fact
    assert compare(text, data, only_common=True) == [
        ("withdrawal.reason", "fin de mandat", "Fin de mandat")]
    [merged] = aqparse.merge([text, data])
    assert merged.defects == ()
    assert (merged.author.constituency, merged.author.acteur_ref, merged.author.group_abbrev) == (
        "Haute-Vienne", "PA700123", "LR")
    assert merged.withdrawal.code == "FIN_MAN" and merged.status == "withdrawn"


def test_legacy_xml_and_open_data_of_one_question_agree():
    legacy = one(DATA / "opendata" / "15-1234QE.xml")
    data = one(PAIRS / "QANR5L15QE1234.json")
    assert compare(legacy, data, only_common=True) == []
    # "Mme Marie-Claire de La Essai interroge…": the name the legacy XML gives in NOM, PRENOM
    assert (data.author.civility, data.author.name) == ("Mme", "Marie-Claire de La Essai")
    [merged] = aqparse.merge([data, legacy])
    assert merged.defects == ()
    assert merged.author.name_from is None         # the name a source states is kept
    assert (merged.author.constituency, merged.author.circonscription) == ("Guadeloupe", 3)
    # the open data gives the erratum's text and the closure's JO, the legacy XML neither
    assert [(e.date, e.page) for e in merged.errata] == [(D(2017, 9, 26), 4630)]
    assert merged.errata[0].text.startswith("Mme Marie-Claire de La Essai interroge")
    assert merged.closure.jo_date == D(2019, 2, 5)


@needs_corpus
@pytest.mark.parametrize("page,data,name", [
    ("aclain_16_qg.html", "QG16/QANR5L16QG200.json", ("M.", "Sacha Houlié")),
    ("assemblee_leg_16-qg.html", "QG16/QANR5L16QG1398.json", ("Mme", "Mereana Reid Arbelot")),
])
def test_each_corpus_page_and_its_open_data_agree_on_every_field_both_carry(page, data, name):
    from_page = one(CORPUS / "html" / page)
    from_data = one(CORPUS / "opendata" / "json" / data)
    assert compare(from_page, from_data, only_common=True) == []
    # the fields that differed by source before: the sitting's date, the title, the author
    assert from_data.question.date == from_page.question.date == from_page.answer.date
    assert from_data.title == from_page.title and from_data.analyses == ()
    assert (from_data.author.civility, from_data.author.name) == name
    assert from_data.author.name_from == "debate"


@needs_corpus
def test_every_open_data_question_has_its_question_date_and_nearly_all_their_author():
    records = list(aqparse.read(CORPUS / "opendata" / "json"))
    assert len(records) == 6625
    assert [r.uid for r in records if r.question is None or r.question.date is None] == []
    unnamed = [r.uid for r in records if r.author is None or r.author.name is None]
    # 15-3307QG has no debate in the file; 15-1623QG's holds a heckle and the answer only
    assert sorted(unnamed) == ["QANR5L15QG1623", "QANR5L15QG3307"]
    assert {r.author.name_from for r in records if r.author and r.author.name} == {
        "debate", "question-text"}


# -- merging -----------------------------------------------------------------------------------

def _q(**changes) -> Question:
    base = dict(uid="QANR5L16QE1", legislature=16, kind="QE", number=1,
                question=Publication(date=D(2023, 1, 3), page=10, text="Mme Anne Test interroge."),
                source=Source(format="text", path="a.txt", line=1))
    base.update(changes)
    return Question(**base)


def test_merge_keeps_what_one_gives_and_says_where_two_disagree():
    page = _q(author=Author(civility="Mme", name="Anne Test"), rubrique="agriculture",
              source=Source(format="html", path="page.html", line=40))
    data = _q(author=Author(acteur_ref="PA1", civility="Mme", name="Anne Test",
                            name_from="question-text"),
              rubrique="élevage", source=Source(format="opendata-json", path="q.json", line=1))
    [m] = aqparse.merge([page, data])
    assert (m.author.name, m.author.acteur_ref, m.author.name_from) == ("Anne Test", "PA1", None)
    # same state, same richness: the structured source's value is kept, and both are named
    assert m.rubrique == "élevage"
    assert m.defects == (Defect("source-conflict", "rubrique: 'élevage' from opendata-json "
                                "q.json:1 (kept) and 'agriculture' from html page.html:40"),)
    assert m.source == data.source and set(m.sources) == {page.source, data.source}


def test_merge_puts_the_later_state_first_whatever_the_order():
    pending = _q(rubrique="agriculture", source=Source(format="text", path="old.txt", line=1))
    answered = _q(answer=Publication(date=D(2023, 5, 2), page=99, text="Réponse."), status="answered",
                  rubrique="élevage", source=Source(format="text", path="new.txt", line=1))
    renewed = _q(renewals=[aqparse.Renewal(date=D(2023, 4, 4))],
                 source=Source(format="text", path="mid.txt", line=1))
    results = {aqparse.merge(list(p))[0] for p in itertools.permutations([pending, answered,
                                                                          renewed])}
    assert len(results) == 1
    [m] = results
    assert m.status == "answered" and m.rubrique == "élevage"
    assert [r.date for r in m.renewals] == [D(2023, 4, 4)]
    assert [d.code for d in m.defects] == ["source-conflict"]


def test_merge_lists_item_by_item_and_lists_of_other_lengths_kept_whole():
    one_change = _q(attributions=[aqparse.Attribution(aqparse.Ministry("Agriculture"), D(2023, 1, 3))])
    refs = _q(attributions=[aqparse.Attribution(aqparse.Ministry("Agriculture", None, "PO1"),
                                                D(2023, 1, 3), jo_type="JO_QUESTION")],
              source=Source(format="opendata-json", path="q.json", line=1))
    [m] = aqparse.merge([one_change, refs])
    assert m.attributions[0].ministry.organe_ref == "PO1" and m.defects == ()
    two = _q(attributions=[aqparse.Attribution(aqparse.Ministry("Agriculture"), D(2023, 1, 3)),
                           aqparse.Attribution(aqparse.Ministry("Élevage"), D(2023, 2, 1))],
             source=Source(format="text", path="b.txt", line=1))
    [m] = aqparse.merge([refs, two])
    assert len(m.attributions) == 2        # the later state: it knows of the second one
    assert m.defects[0].message.startswith("attributions: 2 items from text b.txt:1 (kept) and "
                                           "1 item from opendata-json q.json:1")


def test_merge_passes_a_record_without_uid_through_and_keeps_the_order_of_first_sight():
    lone = Question(kind="QE", source=Source(format="text", path="x.txt", line=9))
    a, b = _q(), _q(uid="QANR5L16QE2", number=2)
    assert aqparse.merge([a, lone, b, a]) == [a, lone, b]


def test_the_same_items_in_another_order_merge_without_a_conflict():
    # QANR5L17QE9100: a second question text of 11/02/2025 (page 1010: an erratum) and an
    # answer erratum of 06/05/2025 (page 3120); a third question text of 10/06/2025 added. The open data lists the question's errata
    # first, a page prints them by date: the same three errata, which conflicted by position
    data = json.loads((DATA / "opendata" / "QANR5L17QE9100.json").read_text(encoding="utf-8"))
    data["question"]["textesQuestion"]["texteQuestion"].append({
        "infoJO": {"typeJO": "JO_QUESTION", "dateJO": "2025-06-10", "pageJO": "4000",
                   "numJO": "1", "urlLegifrance": None, "referenceNOR": None},
        "texte": "Mme Anne Essai interroge (2e erratum)."})
    opendata = aqparse.parse(json.dumps(data).encode(), path="q.json")
    question = "Erratum de la question publié au JO le : 10/06/2025 page : 4000"
    answer = "Erratum de la réponse publié au JO le : 06/05/2025 page : 3120"
    text = aqparse.render(opendata)
    assert text.count(question + "\n" + answer) == 1
    page = aqparse.parse(text.replace(question + "\n" + answer, answer + "\n" + question),
                         path="page.txt")
    expected = [("question", D(2025, 2, 11), 1010), ("question", D(2025, 6, 10), 4000),
                ("answer", D(2025, 5, 6), 3120)]
    for records in ([opendata, page], [page, opendata]):
        [merged] = aqparse.merge(records)
        assert [d.code for d in merged.defects] == []
        assert [(e.target, e.date, e.page) for e in merged.errata] == expected
    # items that differ still conflict: the answer erratum's page read otherwise
    other = aqparse.parse(text.replace(answer, answer.replace("3120", "3121")), path="p.txt")
    [merged] = aqparse.merge([opendata, other])
    assert [d.code for d in merged.defects] == ["source-conflict"]
    assert merged.defects[0].message.startswith("errata[3].page: 3120 from")


# -- convert: the same one record whatever the order of the inputs -----------------------------------

def _convert(inputs, out):
    return aqparse.convert([str(p) for p in inputs], out, jobs=1, quiet=True)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "sqlite"])
def test_convert_a_b_equals_convert_b_a(tmp_path, fmt):
    text, data = PAIRS / "16-4242QE.txt", DATA / "opendata" / "QANR5L16QE4242.json"
    read = {"jsonl": lambda p: [Question.from_dict(json.loads(x))
                                for x in p.read_text(encoding="utf-8").splitlines()],
            "csv": lambda p: [aqparse.export.record_from_flat(r)
                              for r in aqparse.export.read_csv(str(p))],
            "sqlite": lambda p: list(aqparse.export.read_sqlite(str(p)))}[fmt]
    results = []
    for name, inputs in (("ab", [text, data]), ("ba", [data, text])):
        summary = _convert(inputs, tmp_path / f"{name}.{fmt}")
        assert (summary.questions, summary.duplicates, summary.merged, summary.conflicts) == (
            1, 1, 1, 0)
        assert "merged into 1 question(s), 0 source conflict(s)" in summary.report()
        assert summary.merged_with_output == 0          # (both read in this run)
        results.append(read(tmp_path / f"{name}.{fmt}"))
    assert results[0] == results[1]
    [q] = results[0]
    # the text's constituency and the open data's references, in one record
    assert (q.author.constituency, q.author.acteur_ref) == ("Haute-Vienne", "PA700123")
    assert {Path(s.path).name for s in q.sources} == {"16-4242QE.txt", "QANR5L16QE4242.json"}


def test_sqlite_merges_with_what_an_earlier_run_stored(tmp_path):
    db = tmp_path / "q.sqlite"
    _convert([PAIRS / "16-4242QE.txt"], db)
    summary = _convert([DATA / "opendata" / "QANR5L16QE4242.json"], db)
    assert summary.merged_with_output == 1
    both = tmp_path / "both.sqlite"
    _convert([DATA / "opendata" / "QANR5L16QE4242.json", PAIRS / "16-4242QE.txt"], both)
    assert list(aqparse.export.read_sqlite(str(db))) == list(aqparse.export.read_sqlite(str(both)))
    rows = sqlite3.connect(db).execute("SELECT author_name, author_acteur_ref, "
                                       "author_constituency FROM questions").fetchall()
    assert rows == [("Paul Modèle", "PA700123", "Haute-Vienne")]


def test_sqlite_a_file_read_again_by_a_later_run_replaces_what_it_said(tmp_path):
    # the pair's text, "Titre > Desserte de la ligne Paris-Limoges", first saved with a typo,
    # then corrected and converted again: the database says what the file says now, with no
    # conflict with its own earlier read (it kept both, and the typo could win)
    text = (PAIRS / "16-4242QE.txt").read_text(encoding="utf-8")
    assert text.count("Paris-Limoges\n") == 1
    path, db = tmp_path / "q.txt", tmp_path / "q.sqlite"
    path.write_text(text.replace("Paris-Limoges\n", "Paris-Limoes\n"), encoding="utf-8")
    _convert([path], db)
    path.write_text(text, encoding="utf-8")
    summary = _convert([path], db)
    [q] = aqparse.export.read_sqlite(str(db))
    assert q.title == "Desserte de la ligne Paris-Limoges"
    assert q.defects == () and q.sources == ()
    assert (summary.merged_with_output, summary.conflicts) == (1, 0)
    assert "merged with the question already in the output: 1, 0 source conflict(s)" in \
        summary.report()
    # moved further down its file (a question added before it): still the same file
    path.write_text(text.replace("Paris-Limoges\n", "Paris-Limoes\n") + "\n" + text.replace(
        "4242", "4243"), encoding="utf-8")
    _convert([path], db)
    path.write_text(text.replace("4242", "4241") + "\n" + text, encoding="utf-8")
    _convert([path], db)
    q = next(r for r in aqparse.export.read_sqlite(str(db)) if r.number == 4242)
    assert q.title == "Desserte de la ligne Paris-Limoges" and q.defects == ()


def test_sqlite_another_file_of_the_question_is_a_part_and_its_conflict_is_counted(tmp_path):
    # a second file of the same question that says another title: both are kept, the merge
    # says the conflict, and the run's summary counts it (it said 0)
    text = (PAIRS / "16-4242QE.txt").read_text(encoding="utf-8")
    first, second, db = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "q.sqlite"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("Paris-Limoges\n", "Paris-Limoes\n"), encoding="utf-8")
    _convert([first], db)
    summary = _convert([second], db)
    [q] = aqparse.export.read_sqlite(str(db))
    assert {Path(s.path).name for s in q.sources} == {"a.txt", "b.txt"}
    assert [d.code for d in q.defects] == ["source-conflict"]
    assert "'Desserte de la ligne Paris-Limoes'" in q.defects[0].message
    assert (summary.merged_with_output, summary.conflicts, summary.output_conflicts) == (1, 1, 1)
    assert "merged with the question already in the output: 1, 1 source conflict(s)" in \
        summary.report()
    # the first file again, as it was: the database is as it was
    _convert([first], db)
    assert list(aqparse.export.read_sqlite(str(db))) == [q]


@needs_corpus
def test_convert_page_and_open_data_in_either_order(tmp_path):
    page = CORPUS / "html" / "aclain_16_qg.html"
    data = CORPUS / "opendata" / "json" / "QG16" / "QANR5L16QG200.json"
    _convert([page, data], tmp_path / "ab.jsonl")
    _convert([data, page], tmp_path / "ba.jsonl")
    assert (tmp_path / "ab.jsonl").read_bytes() == (tmp_path / "ba.jsonl").read_bytes()
    [q] = [json.loads(x) for x in (tmp_path / "ab.jsonl").read_text(encoding="utf-8").splitlines()]
    # the page's author (its region too) and the open data's references and closure
    assert (q["author"]["name"], q["author"]["region"]) == ("Sacha Houlié", "Nouvelle-Aquitaine")
    assert (q["author"]["acteur_ref"], q["ministry_asked"]["organe_ref"]) == ("PA722150", "PO801854")
    assert q["closure"]["code"] == "REP_PUB" and q["defects"] == []


# -- diff and stats --------------------------------------------------------------------------------

def test_diff_says_plainly_that_two_inputs_are_different_questions(capsys):
    a = DATA / "opendata" / "QANR5L16QE4242.json"
    b = DATA / "opendata" / "QANR5L17QE9001.json"
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("A and B are different questions: A is QANR5L16QE4242")
    assert "B is QANR5L17QE9001" in out and "author" not in out
    assert different_questions(one(a), one(a)) is None


def test_stats_answer_delay_per_legislature_and_kind():
    s = stats([str(HERE.parent / "fixtures")], jobs=1)
    per = s.delay_by_legislature
    # fixtures/qe-answered-with-attribution-change.txt and the like: the answered questions of
    # the fixtures, each counted under its legislature and kind
    assert sum(d["answered"] for kinds in per.values() for d in kinds.values()) == \
        s.answered_with_dates
    assert all(d["median"] <= d["p90"] for kinds in per.values() for d in kinds.values())


def test_sqlite_stdin_twice_is_two_parts_and_a_file_is_one_however_it_is_named(tmp_path):
    # stdin names no file: two runs reading it are two parts (a later one replaced the
    # earlier, silently); a file named "d/a.txt" then by its absolute path is one file: its
    # edit replaces its earlier read (both were kept, and the old answer won)
    text = (PAIRS / "16-4242QE.txt").read_text(encoding="utf-8")
    assert text.count("Paris-Limoges\n") == 1
    edited = text.replace("Paris-Limoges\n", "Paris-Limoes\n")
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    run = [sys.executable, "-m", "aqparse", "convert", "-q"]
    for given in (text, edited):
        subprocess.run(run + ["-", "-o", "stdin.sqlite"], input=given.encode("utf-8"),
                       cwd=tmp_path, env=env, check=True)
    [q] = aqparse.export.read_sqlite(str(tmp_path / "stdin.sqlite"))
    assert [d.code for d in q.defects] == ["source-conflict"]
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text(edited, encoding="utf-8")
    subprocess.run(run + ["d", "-o", "file.sqlite"], cwd=tmp_path, env=env, check=True)
    (tmp_path / "d" / "a.txt").write_text(text, encoding="utf-8")
    subprocess.run(run + [str(tmp_path / "d"), "-o", "file.sqlite"], cwd=tmp_path, env=env,
                   check=True)
    [q] = aqparse.export.read_sqlite(str(tmp_path / "file.sqlite"))
    assert q.title == "Desserte de la ligne Paris-Limoges" and q.defects == ()


def test_sqlite_two_files_of_one_relative_name_in_two_folders_are_two_parts(tmp_path):
    # "q.txt" converted from folder A, then another "q.txt" from folder B, into one database:
    # two files, so two parts and their conflict. The first run's relative name was resolved
    # against the second run's folder: taken for the same file read again, A's read was
    # replaced without a word (its title lost)
    text = (PAIRS / "16-4242QE.txt").read_text(encoding="utf-8")
    assert text.count("Paris-Limoges\n") == 1
    for folder, title in (("A", "Paris-Limoges"), ("B", "Paris-Limoes")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "q.txt").write_text(
            text.replace("Paris-Limoges\n", title + "\n"), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    run = [sys.executable, "-m", "aqparse", "convert", "-q", "q.txt", "-o", "../q.sqlite"]
    for folder in ("A", "B"):
        subprocess.run(run, cwd=tmp_path / folder, env=env, check=True)
    [q] = aqparse.export.read_sqlite(str(tmp_path / "q.sqlite"))
    assert [d.code for d in q.defects] == ["source-conflict"]
    assert "'Desserte de la ligne Paris-Limoes'" in q.defects[0].message
    assert "'Desserte de la ligne Paris-Limoges'" in q.defects[0].message
    # A's file edited and converted again from A: it replaces A's read, not B's
    (tmp_path / "A" / "q.txt").write_text(text.replace("Paris-Limoges\n", "Paris-Limoes\n"),
                                          encoding="utf-8")
    subprocess.run(run, cwd=tmp_path / "A", env=env, check=True)
    [q] = aqparse.export.read_sqlite(str(tmp_path / "q.sqlite"))
    assert q.title == "Desserte de la ligne Paris-Limoes" and q.defects == ()


def test_sqlite_records_read_back_from_two_outputs_of_two_folders_are_two_parts(tmp_path):
    # "q.txt" of A converted from A to a.jsonl, another "q.txt" of B from B to b.jsonl: their
    # records keep the path their run read them by ("q.txt"), which names no file where the
    # outputs are then converted into one database. Left unresolved, the two "q.txt" were
    # one file read again: b.jsonl's record replaced a.jsonl's without a word (its title lost)
    text = (PAIRS / "16-4242QE.txt").read_text(encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    for folder, title in (("A", "Paris-Limoges"), ("B", "Paris-Limoes")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "q.txt").write_text(
            text.replace("Paris-Limoges\n", title + "\n"), encoding="utf-8")
        subprocess.run([sys.executable, "-m", "aqparse", "convert", "-q", "q.txt", "-o",
                        f"../{folder}.jsonl"], cwd=tmp_path / folder, env=env, check=True)
    for name in ("A.jsonl", "B.jsonl"):
        subprocess.run([sys.executable, "-m", "aqparse", "convert", "-q", name, "-o", "q.sqlite"],
                       cwd=tmp_path, env=env, check=True)
    [q] = aqparse.export.read_sqlite(str(tmp_path / "q.sqlite"))
    assert q.uid == "QANR5L16QE4242"
    assert [d.code for d in q.defects] == ["source-conflict"]
    assert "'Desserte de la ligne Paris-Limoes'" in q.defects[0].message
    assert "'Desserte de la ligne Paris-Limoges'" in q.defects[0].message
    # A's records into a new database, then B's q.txt itself from B: the stored record
    # (no file known) was resolved again there, taken for B/q.txt, and replaced by it
    subprocess.run([sys.executable, "-m", "aqparse", "convert", "-q", "A.jsonl", "-o", "n.sqlite"],
                   cwd=tmp_path, env=env, check=True)
    subprocess.run([sys.executable, "-m", "aqparse", "convert", "-q", "q.txt", "-o",
                    "../n.sqlite"], cwd=tmp_path / "B", env=env, check=True)
    [q] = aqparse.export.read_sqlite(str(tmp_path / "n.sqlite"))
    assert [d.code for d in q.defects] == ["source-conflict"]
    assert "'Desserte de la ligne Paris-Limoges'" in q.defects[0].message


def test_sqlite_a_file_edited_to_say_what_another_says_drops_its_earlier_read(tmp_path):
    # a.txt and b.txt of the same question disagree on the title (two parts, a conflict);
    # a.txt is then made to say what b.txt says: its earlier read must go, and with it the
    # conflict (it stayed: the new read was a copy of b.txt's, and nothing was rewritten)
    text = (PAIRS / "16-4242QE.txt").read_text(encoding="utf-8")
    edited = text.replace("Paris-Limoges\n", "Paris-Limoes\n")
    a, b, db = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "q.sqlite"
    a.write_text(text, encoding="utf-8")
    b.write_text(edited, encoding="utf-8")
    _convert([a, b], db)
    [q] = aqparse.export.read_sqlite(str(db))
    assert [d.code for d in q.defects] == ["source-conflict"]
    a.write_text(edited, encoding="utf-8")
    summary = _convert([a], db)
    [q] = aqparse.export.read_sqlite(str(db))
    assert q.title == "Desserte de la ligne Paris-Limoes" and q.defects == ()
    assert summary.conflicts == 0
