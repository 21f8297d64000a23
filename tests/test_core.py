"""The text parser: values read by hand from the inputs."""

import datetime as dt
import json
from pathlib import Path

import pytest

import aqparse
from aqparse import ParseError
from aqparse.dates import parse_date
from aqparse.records import Question

D = dt.date

# A question written for these tests, in the canonical layout.
CANONICAL = """\
15ème législature

Question N° 1234
de M. Jean Dupont (Gauche démocrate et républicaine - NUPES - Haute-Garonne )
Question écrite
Ministère interrogé > Transition écologique
Ministère attributaire > Transports

Rubrique > transports ferroviaires

Tête d'analyse > SNCF

Analyse > lignes secondaires. fermeture; avenir.

Question publiée au JO le : 03/10/2017 page : 4567
Réponse publiée au JO le : 16/01/2018 page : 389
Date de changement d'attribution: 12/10/2017
Date de signalement : 20/11/2017
Date de renouvellement : 08/01/2018
Erratum de la réponse publié au JO le : 23/01/2018 page : 512

Texte de la question

M. Jean Dupont interroge Mme la ministre sur l'avenir des lignes secondaires.

Il souhaite connaître ses intentions.

Texte de la réponse

Le Gouvernement a engagé une revue des lignes.
"""


def test_canonical_layout_fields():
    q = aqparse.parse(CANONICAL)
    assert q.uid == "QANR5L15QE1234"
    assert (q.legislature, q.kind, q.number) == (15, "QE", 1234)
    assert q.author.civility == "M."
    assert q.author.name == "Jean Dupont"
    # the group itself contains " - ": the constituency is after the last one
    assert q.author.group == "Gauche démocrate et républicaine - NUPES"
    assert q.author.constituency == "Haute-Garonne"
    assert q.ministry_asked.name == "Transition écologique"
    assert q.ministry_assigned.name == "Transports"
    assert [(a.ministry.name, a.date) for a in q.attributions] == [
        ("Transition écologique", D(2017, 10, 3)), ("Transports", D(2017, 10, 12))]
    assert q.rubrique == "transports ferroviaires"
    assert q.tete_analyse == "SNCF"
    assert q.analyses == ("lignes secondaires", "fermeture", "avenir")
    assert (q.question.date, q.question.page) == (D(2017, 10, 3), 4567)
    assert q.question.text == ("M. Jean Dupont interroge Mme la ministre sur l'avenir des lignes "
                               "secondaires.\n\nIl souhaite connaître ses intentions.")
    assert (q.answer.date, q.answer.page) == (D(2018, 1, 16), 389)
    assert q.answer.text == "Le Gouvernement a engagé une revue des lignes."
    assert [s.date for s in q.signalements] == [D(2017, 11, 20)]
    assert [r.date for r in q.renewals] == [D(2018, 1, 8)]
    assert [(e.target, e.date, e.page) for e in q.errata] == [("answer", D(2018, 1, 23), 512)]
    assert q.status == "answered"
    assert q.defects == () and q.extra == {}
    assert q.source.format == "text" and q.source.line == 1


def test_real_dump(corpus):
    data = (corpus / "text" / "14-60104QE.txt").read_bytes()
    q = aqparse.parse(data, path="14-60104QE.txt")
    assert q.uid == "QANR5L14QE60104"
    assert q.author.civility == "Mme" and q.author.name == "Valérie Lacroute"
    assert q.author.group == "Union pour un Mouvement Populaire"
    assert q.author.constituency == "Seine-et-Marne"
    assert q.ministry_asked.name == "Économie, redressement productif et numérique"
    assert q.ministry_assigned.name == "Numérique"
    assert [a.date for a in q.attributions] == [D(2014, 7, 8), D(2014, 8, 27)]
    assert q.rubrique == "télécommunications" and q.tete_analyse == "Internet"
    assert q.analyses == ("transition numérique", "conseillers", "modalités")
    assert (q.question.date, q.question.page) == (D(2014, 7, 8), 5747)
    assert (q.answer.date, q.answer.page) == (D(2014, 12, 9), 10362)
    assert q.question.text.startswith("Mme Valérie Lacroute interroge M. le ministre")
    assert q.answer.text.startswith("Contrairement aux grandes entreprises")
    assert q.answer.text.endswith("Echangeur PME Ile-de-France, etc.")
    assert q.status == "answered" and q.defects == ()
    assert q.source.path == "14-60104QE.txt"


@pytest.mark.parametrize("transform", [
    pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    pytest.param(lambda t: ("\ufeff" + t).encode("utf-8"), id="bom"),
    pytest.param(lambda t: t.encode("cp1252"), id="windows-1252"),
    pytest.param(lambda t: t.encode("latin-1"), id="iso-8859-1"),
    pytest.param(lambda t: t.encode("utf-8").decode("cp1252").encode("utf-8"), id="double-utf8"),
    pytest.param(lambda t: t.replace(" > ", " >\xa0").replace("N° ", "N°\xa0"), id="nbsp"),
    pytest.param(lambda t: t.replace(" > ", "\t>\t  ").replace(" : ", "   :\t"), id="tabs-blanks"),
])
def test_encodings_and_blanks_give_the_same_record(transform):
    expected = aqparse.parse(CANONICAL)
    got = aqparse.parse(transform(CANONICAL))
    assert got.to_dict() == expected.to_dict()


def test_value_on_the_following_lines_and_old_one_line_layout():
    copied = ("14ème législature\n\n Question N° 200\n de\nMme\nMarie Durand\n(Socialiste - Isère )"
              "\nQuestion au gouvernement\n\nMinistère interrogé >\n Affaires sociales et santé\n"
              "Ministère attributaire >\n\n Affaires sociales et santé\n"
              "Question publiée au JO le : 25/10/2012\n"
              "Réponse publiée au JO le : 25/10/2012 page : 4198\n"
              "Texte de la question\n\nTexte de la réponse\n\nM. le président. La parole est à "
              "Mme Marie Durand.\n")
    q = aqparse.parse(copied)
    assert (q.kind, q.number, q.legislature) == ("QG", 200, 14)
    assert (q.author.civility, q.author.name, q.author.group, q.author.constituency) == (
        "Mme", "Marie Durand", "Socialiste", "Isère")
    assert q.ministry_asked.name == q.ministry_assigned.name == "Affaires sociales et santé"
    assert q.question.page is None and q.question.text is None
    assert q.answer.text == "M. le président. La parole est à Mme Marie Durand."
    assert q.defects == ()

    one_line = ("Question N° : 450 de Mme Jacquaint Muguette ( Communiste - Seine-Saint-Denis ) QE "
                "Ministère interrogé : logement Ministère attributaire : logement Question publiée "
                "au JO le : 30/06/1997 page : 2254 Rubrique : logement : aides et prêts "
                "Texte de la QUESTION : Mme Muguette Jacquaint attire l'attention. "
                "Texte de la REPONSE : Les mesures prises.")
    q = aqparse.parse(one_line)
    assert (q.number, q.kind, q.author.name, q.author.group) == (450, "QE", "Jacquaint Muguette",
                                                                 "Communiste")
    assert q.author.constituency == "Seine-Saint-Denis"
    assert q.rubrique == "logement : aides et prêts"
    assert q.question.text == "Mme Muguette Jacquaint attire l'attention."
    assert q.answer.text == "Les mesures prises."
    # no legislature line: the uid cannot be built, and that is said
    assert q.uid is None and [d.code for d in q.defects] == ["missing-legislature"]


def test_withdrawal_with_and_without_date():
    base = "XIVe législature\nQuestion N° 7\nQuestion orale sans débat\n"
    q = aqparse.parse(base + "Question retirée le : 20/06/2017 (fin de mandat)\n")
    assert q.legislature == 14 and q.kind == "QOSD"
    assert (q.withdrawal.date, q.withdrawal.reason) == (D(2017, 6, 20), "fin de mandat")
    assert q.status == "withdrawn"
    q = aqparse.parse(base + "Question retirée le : (Retrait à l'initiative de l'auteur)\n")
    assert q.withdrawal.date is None
    assert q.withdrawal.reason == "Retrait à l'initiative de l'auteur"
    assert q.status == "withdrawn"


def test_pending_without_answer():
    q = aqparse.parse("16e législature\nQuestion n°99\nQE\nQuestion publiée au JO le : "
                      "2023-01-10 page : 12\nTexte de la question\nUne question.\n")
    assert q.status == "pending" and q.answer is None
    assert q.question.date == D(2023, 1, 10)


def test_repeated_attribution_changes_keep_unknown_ministries_null():
    q = aqparse.parse("14ème législature\nQuestion N° 5\nQuestion écrite\n"
                      "Ministère interrogé > Intérieur\nMinistère attributaire > Justice\n"
                      "Question publiée au JO le : 07/01/2014 page : 18\n"
                      "Date de changement d'attribution: 03/04/2014\n"
                      "Date de changement d'attribution: 27/08/2014\n")
    assert [(a.ministry and a.ministry.name, a.date) for a in q.attributions] == [
        ("Intérieur", D(2014, 1, 7)), (None, D(2014, 4, 3)), ("Justice", D(2014, 8, 27))]
    assert q.ministry_assigned.name == "Justice"


def test_bad_date_is_a_defect_kept_verbatim():
    text = CANONICAL.replace("03/10/2017 page : 4567", "31/02/2014 page : 4567")
    q = aqparse.parse(text)
    assert q.question.date is None and q.question.page == 4567
    assert [d.code for d in q.defects] == ["bad-date"]
    assert "31/02/2014" in q.defects[0].message
    assert q.defects[0].line == 15
    assert q.extra["Question publiée au JO le"] == "31/02/2014 page : 4567"
    with pytest.raises(ParseError) as info:
        aqparse.parse(text, strict=True)
    assert info.value.line == 15 and info.value.code == "bad-date"
    assert "31/02/2014" in info.value.excerpt


def test_unknown_label_and_unlabelled_text_are_kept_and_reported():
    text = "Copié depuis le site\n" + CANONICAL.replace(
        "Rubrique > transports", "Commission saisie > affaires sociales\n\nRubrique > transports")
    q = aqparse.parse(text)
    assert q.extra == {"(unlabelled)": "Copié depuis le site",
                       "Commission saisie": "affaires sociales"}
    assert [(d.code, d.line) for d in q.defects] == [("unlabelled-text", 1), ("unknown-label", 10)]


@pytest.mark.parametrize("value, expected", [
    ("08/07/2014", D(2014, 7, 8)),
    ("2014-07-08", D(2014, 7, 8)),
    ("9 décembre 2014", D(2014, 12, 9)),
    ("1er janvier 2015", D(2015, 1, 1)),
    ("mardi 9 décembre 2014", D(2014, 12, 9)),
])
def test_dates(value, expected):
    assert parse_date(value) == (expected, None)


@pytest.mark.parametrize("value", ["31/02/2014", "30 février 2015", "hier", "2014-13-01", ""])
def test_dates_that_do_not_exist_are_not_guessed(value):
    found, problem = parse_date(value)
    assert found is None and problem


@pytest.mark.parametrize("data, code", [
    (b"", "empty"),
    ("   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Lorem ipsum dolor sit amet.\nNothing here is a question.", "not-a-question"),
    ("Compte rendu de la réunion du 3 mai : ordre du jour, divers.", "not-a-question"),
])
def test_not_a_question(data, code):
    with pytest.raises(ParseError) as info:
        aqparse.parse(data, path="in.txt")
    assert info.value.code == code
    assert info.value.path == "in.txt"
    assert "in.txt" in str(info.value)


@pytest.mark.parametrize("fmt", ["bogus", "TEXT", "json", ("text",), ["html"], 0, False, []])
def test_an_unknown_format_is_a_usage_error_that_names_the_formats(fmt):
    # the formats are the sniffer's names ("text", "html", "opendata-json"…); another was a
    # bare KeyError (or TypeError) from inside the dispatch
    with pytest.raises(aqparse.UsageError) as info:
        aqparse.parse(CANONICAL, format=fmt)
    assert repr(fmt) in str(info.value) and "opendata-json" in str(info.value)
    assert aqparse.parse(CANONICAL, format="text").number == 1234     # the known ones read


def test_a_reader_patched_after_a_first_input_was_read_is_the_one_used(monkeypatch):
    # as a user's test patches it: ``aqparse.text.parse_text_many`` (and each format's
    # reader) is looked up at each input, not kept from the first one read
    from aqparse import text as text_reader

    assert aqparse.parse(CANONICAL).number == 1234          # a first text: its reader found
    seen, real = [], text_reader.parse_text_many

    def patched(data, **options):
        seen.append(options["path"])
        return real(data, **options)

    monkeypatch.setattr(text_reader, "parse_text_many", patched)
    assert aqparse.parse(CANONICAL, path="again.txt").number == 1234
    assert seen == ["again.txt"]


def test_dump_of_several_questions():
    second = CANONICAL.replace("Question N° 1234", "Question N° 1235")
    without_leg = "\n".join(CANONICAL.splitlines()[2:]).replace("1234", "1236")
    records = list(aqparse.parse_many(CANONICAL + "\n" + second + "\n" + without_leg))
    assert [r.number for r in records] == [1234, 1235, 1236]
    # CANONICAL is 30 lines; a blank line separates the questions
    assert [r.source.line for r in records] == [1, 32, 63]
    assert records[2].legislature is None
    with pytest.raises(ParseError) as info:
        aqparse.parse(CANONICAL + second)
    assert info.value.code == "many-questions"


def test_json_form_round_trip():
    q = aqparse.parse(CANONICAL)
    d = q.to_dict()
    assert d["question"]["date"] == "2017-10-03" and d["answer"]["page"] == 389
    assert d["withdrawal"] is None and d["extra"] == {} and d["analyses"][0] == "lignes secondaires"
    assert Question.from_dict(d) == q


def test_render_gives_the_canonical_layout_back():
    q = aqparse.parse(CANONICAL)
    text = aqparse.render(q)
    assert text.startswith("15ème législature\n\nQuestion N° 1234\n")
    again = aqparse.parse(text)
    assert again.to_dict() == q.to_dict()


def _fixture_records():
    from aqparse.fixtures import pairs

    folder = Path(__file__).resolve().parents[1] / "fixtures"
    for name, path, _ in pairs(str(folder)):
        for i, record in enumerate(aqparse.read(path)):
            yield pytest.param(record, id=f"{name}-{i}")


@pytest.mark.parametrize("record", list(_fixture_records()))
def test_render_round_trip_of_every_fixture_record(record):
    """parse(render(q)) gives q back in every field but ``source`` — defects included, but
    for their line numbers, which say where each was found in the text it was read from."""
    again = aqparse.parse(aqparse.render(record))
    a, b = record.to_dict(), again.to_dict()
    for d in (a, b):
        d.pop("source")
        d["defects"] = [(x["code"], x["message"]) for x in d["defects"]]
    assert b == a


def test_unpaired_parenthesis_in_a_withdrawal_is_a_defect_and_kept():
    text = ("14ème législature\nQuestion N° 7\nQuestion écrite\n"
            "Question retirée le : 20/06/2017 (fin de mandat\n")
    q = aqparse.parse(text)
    assert (q.withdrawal.date, q.withdrawal.reason) == (D(2017, 6, 20), "fin de mandat")
    assert [(d.code, d.line) for d in q.defects] == [("bad-withdrawal", 4)]
    assert q.extra == {"Question retirée le": "20/06/2017 (fin de mandat"}
    assert q.status == "withdrawn"
    again = aqparse.parse(aqparse.render(q))        # the raw value is written back as given
    assert again.withdrawal == q.withdrawal and again.extra == q.extra


def test_a_bug_in_a_handler_loses_nothing(monkeypatch):
    from aqparse import extract

    def broken(builder, token):
        raise RuntimeError("boom")

    monkeypatch.setitem(extract.HANDLERS, "rubrique", broken)
    q = aqparse.parse(CANONICAL)
    assert q.rubrique is None
    assert [(d.code, d.line) for d in q.defects] == [("internal-error", 9)]
    assert "RuntimeError: boom" in q.defects[0].message
    assert q.extra == {"Rubrique": "transports ferroviaires"}


def test_a_lone_surrogate_in_a_python_string_becomes_a_replacement_character():
    q = aqparse.parse(CANONICAL.replace("SNCF", "SNCF \ud83d"))
    assert q.tete_analyse == "SNCF \ufffd"
    json.dumps(q.to_dict(), ensure_ascii=False).encode("utf-8")   # every writer can store it


def test_a_lone_surrogate_far_into_a_large_string_is_found_too():
    # the check reads a large text by slices: one after the first megabyte counts as well
    long_body = "Une phrase.\n" * 100000 + "Fin \udc80 ici.\n"
    text = CANONICAL.replace("Texte de la question\n", "Texte de la question\n" + long_body, 1)
    assert text.index("\udc80") > 1 << 20
    q = aqparse.parse(text)
    assert "Une phrase.\nFin \ufffd ici.\n" in q.question.text


@pytest.mark.parametrize("written, page", [
    ("page : 4 567", 4567),            # grouped by thousands, as French typography writes it
    ("page : 4\xa0567", 4567),
    ("page : 4\u202f567", 4567),
    ("page :4567", 4567),
])
def test_a_page_written_with_its_thousands_apart_is_read(written, page):
    q = aqparse.parse(CANONICAL.replace("page : 4567", written))
    assert (q.question.date, q.question.page) == (D(2017, 10, 3), page)
    assert q.defects == () and q.extra == {}


@pytest.mark.parametrize("written, raw", [
    ("page : 4567.", "4567."),
    ("page : 4 567 et 4 568", "4 567 et 4 568"),
    ("page : 45 67", "45 67"),
    ("page : p. 4567", "p. 4567"),
])
def test_a_page_not_read_costs_the_page_not_the_date(written, raw):
    # "Question publiée au JO le : 03/10/2017 page : …": the date is read whatever the page
    q = aqparse.parse(CANONICAL.replace("page : 4567", written))
    assert (q.question.date, q.question.page) == (D(2017, 10, 3), None)
    assert [(d.code, d.line) for d in q.defects] == [("bad-page", 15)]
    assert repr(raw) in q.defects[0].message
    assert q.extra == {"Question publiée au JO le": f"03/10/2017 {written}"}


@pytest.mark.parametrize("written, civility", [
    ("M.", "M."), ("M", "M."), ("Monsieur", "M."), ("MONSIEUR", "M."),
    ("Mme", "Mme"), ("Mme.", "Mme"), ("MME", "Mme"), ("Madame", "Mme"),
    ("Mlle", "Mlle"), ("Mlle.", "Mlle"), ("Mademoiselle", "Mlle"),
])
def test_the_author_s_civility_reads_the_same_however_it_is_written(written, civility):
    # "de M. Jean Dupont (Gauche démocrate et républicaine - NUPES - Haute-Garonne )", the
    # civility written otherwise: the records' civility, the rest of the line as before (the
    # same author from open data, a page or a text merges without a conflict)
    q = aqparse.parse(CANONICAL.replace("de M. Jean Dupont", f"de {written} Jean Dupont"))
    assert (q.author.civility, q.author.name, q.author.group, q.author.constituency) == (
        civility, "Jean Dupont", "Gauche démocrate et républicaine - NUPES", "Haute-Garonne")
    assert q.defects == () and q.extra == {}


def test_a_name_that_starts_like_a_civility_is_a_name():
    from aqparse.extract import split_author

    author = split_author("Mmeyer Jean (Les Républicains - Oise )")
    assert (author.civility, author.name) == (None, "Mmeyer Jean")
    author = split_author("Monsieur Jean Mmeyer (Les Républicains - Oise )")
    assert (author.civility, author.name, author.constituency) == ("M.", "Jean Mmeyer", "Oise")


def test_mending_double_encoded_text_leaves_correct_text_as_it_is():
    # one double-encoded question (fixtures/double-encoded.txt: "lâ€™Ã‰tat") in a dump mends
    # that question; the correct French of another, "proximité » " with its no-break space
    # (the bytes E9 A0 BB, which UTF-8 reads as one CJK character), stays as written
    good = CANONICAL.replace("l'avenir des lignes secondaires.",
                             "la loi « engagement et proximité\xa0» et l'ÉTÉ\xa0».")
    bad = (Path(__file__).resolve().parents[1] / "fixtures" / "double-encoded.txt").read_text(
        encoding="utf-8")
    first, second = aqparse.parse_many(good + "\n" + bad)
    assert first.question.text.startswith(
        "M. Jean Dupont interroge Mme la ministre sur la loi « engagement et proximité » et "
        "l'ÉTÉ ».")
    assert second.author.name == "Élodie Brunet"
    assert second.question.text.startswith(
        "Mme Élodie Brunet attire l’attention de Mme la ministre de la transition écologique")


@pytest.mark.parametrize("written, mended", [
    ("Ã©", "é"), ("lâ€™Ã‰tat", "l’État"), ("Å“uvre", "œuvre"), ("Â« x Â»", "« x »"),
    ("Ã©»", "é»"),                       # a continuation byte of no sequence after it
    ("eÌ\x81t\u00c3\u00a9", "e\u0301té"),  # a decomposed accent
    ("proximit\u00e9\u00a0» Ã©", "proximit\u00e9\u00a0» é"),
    ("\u00c9T\u00c9\u00a0» Ã©", "\u00c9T\u00c9\u00a0» é"),
    ("\u00e0\u2026 Ã©", "\u00e0\u2026 é"),    # "à…" (E0 85 …) is no Samaritan letter
    # an uppercase word ending in "É" or "Î" before "…", "€", a no-break space: as written
    ("La SANTÉ… PRIORITÉ€ RÉSUMÉˆ L'ÎLE\u00a0» Ã©", "La SANTÉ… PRIORITÉ€ RÉSUMÉˆ L'ÎLE\u00a0» é"),
    # beyond French: sub- and superscripts, maths, arrows, Greek, Romanian, a PDF's
    # ligature, an emoji (four bytes); mended where the text shows double-encoding ("Ã©")
    ("COâ‚‚ â‰¥ â†’ â„– Î¼g", "CO₂ ≥ → № μg"), ("È˜tefan Ã©", "Ștefan é"),
    ("ï¬\x81nancement Ã©", "ﬁnancement é"), ("ðŸ˜€ Ã©", "😀 é"),
])
def test_repair_mojibake_mends_only_what_double_encoding_makes(written, mended):
    from aqparse.decode import repair_mojibake

    assert repair_mojibake(written) == mended


def test_a_label_repeated_many_times_is_kept_in_linear_work(monkeypatch):
    # "Note > a" 2,000 times in a question: each kept in extra as "Note", "Note (2)"… The
    # free name was looked for from "(2)" each time: 2,000 repeats cost two million lookups
    # (20,000 took half a minute)
    from aqparse import extract

    lookups = []

    class Counted(dict):
        def __contains__(self, key):
            lookups.append(key)
            return super().__contains__(key)

    plain_init = extract.Builder.__init__

    def init(self, *args, **kwargs):
        plain_init(self, *args, **kwargs)
        self.extra = Counted()

    monkeypatch.setattr(extract.Builder, "__init__", init)
    q = aqparse.parse(CANONICAL.replace("Rubrique >", "Note > a\n" * 2000 + "Rubrique >", 1))
    assert q.rubrique == "transports ferroviaires"
    assert list(q.extra)[:3] == ["Note", "Note (2)", "Note (3)"] and len(q.extra) == 2000
    assert q.extra["Note (2000)"] == "a"
    assert len(lookups) < 3 * 2000


def test_a_name_beginning_with_m_and_an_apostrophe_is_no_civility():
    # "M'jid El Guerrab", a deputy's first name: "M" before an apostrophe is no "M."
    from aqparse.extract import split_author

    author = split_author("M'jid El Guerrab (La République en Marche - Français établis hors "
                          "de France )")
    assert (author.civility, author.name) == (None, "M'jid El Guerrab")
    author = split_author("M. M’jid El Guerrab (LREM - Français établis hors de France )")
    assert (author.civility, author.name) == ("M.", "M’jid El Guerrab")


@pytest.mark.parametrize("title", [
    "Texte de la question prioritaire de constitutionnalité",
    "Ministère interrogé sur les retards de paiement",
    "Date de signalement des violences",
    "Tête d'analyse des crédits",
    "Question N° 12 du député : suites données",
])
@pytest.mark.parametrize("layout", ["same line", "next line"])
def test_a_title_beginning_with_a_label_s_words_is_the_title(title, layout):
    # "Tête d'analyse > SNCF" made a title that begins with a label's words, on its label's
    # line (a pasted text, lynx, w3m) or on the next (a page's get_text("\n")): the words
    # were taken for that label; the title was lost (without a word for "Tête d'analyse"),
    # "Texte de la question …" began the question's body there, and "Question N° 12" on
    # the next line began another question
    separator = " " if layout == "same line" else "\n"
    text = CANONICAL.replace("Tête d'analyse > SNCF", "Titre >" + separator + title)
    q = aqparse.parse(text)
    assert q.title == title
    assert q.question.text.startswith("M. Jean Dupont interroge Mme la ministre")
    assert q.ministry_asked.name == "Transition écologique" and q.signalements[0].date == \
        D(2017, 11, 20) and q.rubrique == "transports ferroviaires"
    assert q.defects == ()


def test_an_empty_label_before_another_on_its_line_or_a_heading_are_still_labels():
    # an empty title followed by a label with its separator, or by the question's heading
    # alone on its line: labels, as before
    q = aqparse.parse(CANONICAL.replace("Tête d'analyse > SNCF", "Titre > Tête d'analyse > SNCF"))
    assert (q.title, q.tete_analyse) == (None, "SNCF")
    q = aqparse.parse(CANONICAL.replace("Il souhaite connaître ses intentions.\n", "").replace(
        "\nTexte de la question\n", "\nTitre >\nTexte de la question\n"))
    assert q.title is None
    assert q.question.text == "M. Jean Dupont interroge Mme la ministre sur l'avenir des " \
                              "lignes secondaires."


@pytest.mark.parametrize("layout", ["same line", "next line"])
def test_an_empty_title_before_a_dated_label_written_without_its_colon_is_still_empty(layout):
    # "Titre >" with no title, then "Question publiée au JO le 03/10/2017 page 4567" (a
    # pasted text that lost its colons): that label and its date, not a title; the title
    # rule took it, lost the question's date and page, and "Réponse publiée au JO le …"
    # taken so made an answered question pending
    separator = " " if layout == "same line" else "\n"
    text = CANONICAL.replace("Tête d'analyse > SNCF", "Titre >" + separator
                             + "Réponse publiée au JO le 16/01/2018 page 389").replace(
        "Réponse publiée au JO le : 16/01/2018 page : 389\n", "").replace(
        "Question publiée au JO le : 03/10/2017", "Titre >\nQuestion publiée au JO le 03/10/2017")
    q = aqparse.parse(text)
    assert q.uid == "QANR5L15QE1234"
    assert q.title is None
    assert (q.question.date, q.question.page) == (D(2017, 10, 3), 4567)
    assert (q.answer.date, q.answer.page, q.status) == (D(2018, 1, 16), 389, "answered")
    assert q.signalements[0].date == D(2017, 11, 20)


def test_an_empty_title_ending_a_question_does_not_swallow_the_next_of_a_dump():
    # a dump's question ends with an empty "Titre >"; the next begins at its "Question N°"
    # line (no legislature line): two questions, not one whose title is the next's header
    first = CANONICAL.split("Question publiée")[0] + "Titre >\n"
    second = CANONICAL.split("\n", 2)[2].replace("Question N° 1234", "Question N° 1235")
    qs = list(aqparse.parse_many(first + second))
    assert [(q.uid, q.number, q.title) for q in qs] == [("QANR5L15QE1234", 1234, None),
                                                        (None, 1235, None)]
    assert qs[1].author.name == "Jean Dupont"
    assert qs[1].question.date == D(2017, 10, 3)


def test_a_title_of_label_words_stops_at_a_label_with_its_separator_on_its_line():
    # "Titre > Tête d'analyse des crédits Analyse > lignes …" on one line: the title is the
    # words up to "Analyse >", a label written with its separator; the whole line was the
    # title, and the analyses were lost without a word
    text = CANONICAL.replace("Tête d'analyse > SNCF", "Titre > Tête d'analyse des crédits "
                             "Analyse > lignes secondaires. fermeture").replace(
        "Analyse > lignes secondaires. fermeture; avenir.\n", "")
    q = aqparse.parse(text)
    assert q.uid == "QANR5L15QE1234"
    assert q.title == "Tête d'analyse des crédits"
    assert q.analyses == ("lignes secondaires", "fermeture")
    assert q.question.date == D(2017, 10, 3) and q.defects == ()
