"""The current site's /dyn/ question pages, copied from a browser as text (rows of
``tokenize.RULES`` for their labels). The text below is a trimmed copy of the page of question
16-350 (QOSD), written out by hand."""

import datetime as dt

import aqparse

QOSD = """Question orale n°350 : Revalorisation du Ségur du personnel du secteur social
16ème Législature
Publication de la question au Journal Officiel du 16 mai 2023

Question de : Mme Danielle Brulebois (Bourgogne-Franche-Comté - Renaissance)

Mme Danielle Brulebois attire l'attention de M. le ministre des solidarités sur les oubliés du Ségur.

Elle lui demande ce qu'il entend faire.

Réponse en séance, et publiée le 24 mai 2023

OUBLIÉS DU SÉGUR DE LA SANTÉ

Mme la présidente. La parole est à Mme Danielle Brulebois.

Mme Danielle Brulebois. Merci, madame la ministre déléguée.

Données clés
Auteur : Mme Danielle Brulebois (Bourgogne-Franche-Comté - Renaissance)
Type de question : Question orale
Rubrique : Professions et activités sociales
Ministère interrogé : Solidarités, autonomie et personnes handicapées
Ministère répondant : Solidarités, autonomie et personnes handicapées
Date de la séance : La question a été posée au Gouvernement en séance, parue dans le journal officiel le 16 mai 2023
"""

QE = """Question écrite n°200 : Agriculture biologique
16ème Législature
Publication de la question au Journal Officiel du 26 juillet 2022, page 3501
Publication de la réponse au Journal Officiel du 27 septembre 2022, page 4253
Question de : Mme Marie-Pierre Rixain (Ile-de-France - Renaissance)
Mme Marie-Pierre Rixain appelle l'attention de M. le ministre de l'agriculture.
Réponse publiée le 27 septembre 2022
Le secteur biologique a connu un développement historique.
Données clés
Auteur : Mme Marie-Pierre Rixain (Ile-de-France - Renaissance)
Type de question : Question écrite
Rubrique : Agriculture
Ministère interrogé : Agriculture et souveraineté alimentaire
Ministère répondant : Agriculture et souveraineté alimentaire
Dates :
Question publiée le 26 juillet 2022
Réponse publiée le 27 septembre 2022
"""


def test_dyn_qosd_copied_as_text():
    q = aqparse.parse(QOSD)
    assert q.defects == () and q.extra == {}
    assert (q.uid, q.status, q.source.format) == ("QANR5L16QOSD350", "answered", "text")
    assert q.title == "Revalorisation du Ségur du personnel du secteur social"
    assert (q.author.civility, q.author.name, q.author.group, q.author.region) == (
        "Mme", "Danielle Brulebois", "Renaissance", "Bourgogne-Franche-Comté")
    assert q.author.constituency is None
    # "Rubrique : Professions et activités sociales", in the AN vocabulary's form
    assert q.rubrique == "professions et activités sociales"
    assert q.ministry_asked.name == "Solidarités, autonomie et personnes handicapées"
    assert (q.question.date, q.question.page) == (dt.date(2023, 5, 16), None)
    assert q.question.text.split("\n\n") == [
        "Mme Danielle Brulebois attire l'attention de M. le ministre des solidarités sur les "
        "oubliés du Ségur.", "Elle lui demande ce qu'il entend faire."]
    assert q.answer.date == dt.date(2023, 5, 24)
    assert q.answer.text.startswith("OUBLIÉS DU SÉGUR DE LA SANTÉ\n\nMme la présidente.")
    assert q.answer.text.endswith("Merci, madame la ministre déléguée.")


def test_dyn_qe_copied_as_text():
    q = aqparse.parse(QE)
    assert q.defects == () and q.extra == {}
    assert (q.uid, q.kind, q.title) == ("QANR5L16QE200", "QE", "Agriculture biologique")
    assert (q.question.date, q.question.page) == (dt.date(2022, 7, 26), 3501)
    assert (q.answer.date, q.answer.page) == (dt.date(2022, 9, 27), 4253)
    assert q.question.text == "Mme Marie-Pierre Rixain appelle l'attention de M. le ministre de " \
                              "l'agriculture."
    assert q.answer.text == "Le secteur biologique a connu un développement historique."


def test_dyn_dates_that_disagree_are_a_defect():
    q = aqparse.parse(QE.replace("Réponse publiée le 27 septembre 2022\nLe secteur",
                                 "Réponse publiée le 28 septembre 2022\nLe secteur"))
    assert [d.code for d in q.defects] == ["duplicate-label"]
    assert q.answer.date == dt.date(2022, 9, 27)


def test_citation_with_number_and_author_is_not_a_title():
    # "Question écrite n° 12345 de M. …" (no colon after the number) is not a /dyn/ title
    q = aqparse.parse("Question écrite n° 12345 de M. Jean Dupont\nRubrique > santé\n"
                      "Ministère interrogé > Santé\n")
    assert q.title is None
