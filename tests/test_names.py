"""aqparse.names: the author of a question read from its text (open data has only acteurRef).

Hand-written texts first, one per rule and per refusal; then the real corpus of
``../shared/corpus`` (skipped when absent), with values read in the files themselves.
"""

from pathlib import Path

import pytest

import aqparse
from aqparse.names import author_from_debate, author_from_opening, author_of

NBSP, NNBSP = "\u00a0", "\u202f"

# A question to the government lasts two minutes; this one is long enough to be told from an
# interruption when no "La parole est à" names its author.
QUESTION = ("Monsieur le ministre de l'intérieur, les communes rurales de ma circonscription "
            "attendent depuis deux ans les gendarmes promis. Les brigades ferment le week-end, "
            "les délais d'intervention s'allongent et les maires se sentent seuls face aux "
            "incivilités. Vous aviez annoncé deux cents nouvelles brigades ; combien ont "
            "ouvert, où, et avec quels effectifs ? Quand les habitants de nos villages "
            "verront-ils enfin les gendarmes qu'on leur a promis ? (Applaudissements sur les "
            "bancs du groupe LR.)")


# -- the opening of a question text --------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Mme Christelle D'Intorni appelle l'attention de M. le ministre de l'intérieur sur…",
     ("Mme", "Christelle D'Intorni")),                                      # apostrophe
    ("M. Charles de Courson attire l'attention de M. le ministre de l'économie…",
     ("M.", "Charles de Courson")),                                         # particle
    ("M. Charles de la Verpillière interroge Mme la ministre des armées…",
     ("M.", "Charles de la Verpillière")),                                  # two particles
    ("M. Valéry Giscard d'Estaing demande à M. le Premier ministre…",
     ("M.", "Valéry Giscard d'Estaing")),                                   # elided particle
    ("Mme Yaël Braun-Pivet alerte Mme la ministre de la justice…",
     ("Mme", "Yaël Braun-Pivet")),                                          # hyphen
    ("M. Jean-Paul Bacquet attire l'attention de M. le ministre de l'agriculture…",
     ("M.", "Jean-Paul Bacquet")),                                          # hyphenated first name
    ("M. Loïc Prud'homme interroge M. le ministre de l'agriculture…",
     ("M.", "Loïc Prud'homme")),                                            # lowercase after '
    ("M. Corentin Le Fur attire l'attention de Mme la ministre du travail…",
     ("M.", "Corentin Le Fur")),                                            # capitalised particle
    ("Mme Mereana Reid Arbelot s'inquiète auprès de M. le ministre des outre-mer…",
     ("Mme", "Mereana Reid Arbelot")),                                      # three words
    ("Mme Emeline K/Bidi questionne M. le ministre des outre-mer…",
     ("Mme", "Emeline K/Bidi")),                                            # slash
    ("Mme Delphine O souhaite attirer l'attention de M. le ministre…",
     ("Mme", "Delphine O")),                                                # one-letter surname
    (f"Mme{NBSP}Christelle{NNBSP}D'Intorni{NBSP}appelle l'attention de M. le ministre…",
     ("Mme", "Christelle D'Intorni")),                                      # no-break spaces
    ("\n  M. Thibault Bazin attire l'attention de Mme la ministre de la santé…",
     ("M.", "Thibault Bazin")),                                             # leading blanks
    ("M. Jean Lassalle, député des Pyrénées-Atlantiques, alerte M. le ministre…",
     ("M.", "Jean Lassalle")),                                              # ends at a comma
    ("Mme Maud Gatel (Dem) appelle l'attention de M. le ministre…",
     ("Mme", "Maud Gatel")),                                                # ends at "("
    ("Madame Anne Martin interroge M. le ministre de la culture…", ("Mme", "Anne Martin")),
    ("Monsieur Paul Durand interroge M. le ministre de la culture…", ("M.", "Paul Durand")),
    ("Mlle Jeanne Petit interroge M. le ministre de la culture…", ("Mlle", "Jeanne Petit")),
    ("M Andre Delehedde appelle l'attention de M le ministre de l'education nationale…",
     ("M.", "Andre Delehedde")),                                            # old texts: "M" alone
])
def test_opening_names_the_author(text, expected):
    assert author_from_opening(text) == expected


@pytest.mark.parametrize("text", [
    None, "", "   ",
    "M. le ministre de l'intérieur a annoncé la création de brigades…",      # a minister
    "Mme la ministre de la santé a publié un décret…",
    "M. le Premier ministre a déclaré…",
    "M. le président de la République a annoncé…",
    "MM. Jean Dupont et Paul Durand appellent l'attention de M. le ministre…",  # several
    "Mmes Anne Martin et Marie Petit appellent l'attention de M. le ministre…",
    "Jean Dupont attire l'attention de M. le ministre…",                     # no civility
    "Le député attire l'attention de M. le ministre…",
    "mme christelle d'intorni appelle l'attention de M. le ministre…",      # lowercase
    "M. christelle Dintorni appelle l'attention…",                   # lowercase first name
    "M. Dupont attire l'attention de M. le ministre…",                       # surname alone
    "Mme Le Pen attire l'attention de M. le ministre…",                      # surname alone
    "M. Jean Dupont « alerte » M. le ministre…",                     # not a verb after it
    "Le décret du 30 mai 1997 relatif à l'accueil des urgences…",           # no name at all
])
def test_opening_refuses(text):
    assert author_from_opening(text) is None


# -- the debate extract ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("PROJET DE LOI D'ORIENTATION\n\nMme la présidente. La parole est à M. Sacha Houlié.\n\n"
     "M. Sacha Houlié. Avant d'interroger le ministre…", ("M.", "Sacha Houlié")),
    ("GENDARMERIE\n\nMme la présidente . La parole est à Mme Géraldine Bannier, pour exposer sa "
     "question, no 1, relative à la gendarmerie.\n\nMme Géraldine Bannier . Dans son discours…",
     ("Mme", "Géraldine Bannier")),                              # space before the periods
    ("PESTICIDES\n\nM. le président. La parole est à M. Loïc Prud'homme, pour le groupe La "
     "France insoumise.\n\nM. Loïc Prud'homme. Je ne sais…", ("M.", "Loïc Prud'homme")),
    (f"TITRE\n\nMme la présidente.{NBSP}La parole est à{NBSP}Mme{NBSP}Yaël{NNBSP}Braun-Pivet."
     f"\n\nMme Yaël Braun-Pivet. Monsieur le président…", ("Mme", "Yaël Braun-Pivet")),
    ("TITRE\n\nM. le président. La parole est maintenant à M. Luc Carvounas, et à lui seul."
     "\n\nM. Luc Carvounas. Monsieur le…", ("M.", "Luc Carvounas")),
    # a group president: the title is skipped, the deputy named
    ("POLITIQUE DU GOUVERNEMENT\n\nM. le président. La parole est à M. le président Gilles Le "
     "Gendre, pour le groupe La République en marche.", ("M.", "Gilles Le Gendre")),
    # homonyms told apart by their department: the name without it
    ("TITRE\n\nMme la présidente. La parole est à Mme Alexandra Martin (Gironde).\n\n"
     "Mme Alexandra Martin (Gironde). Ma question…", ("Mme", "Alexandra Martin")),
    # the floor goes to ministers first in the text: the first one that names a deputy
    ("TITRE\n\nMme la présidente. Chaque groupe s'étant exprimé, la parole est à Mme la "
     "Première ministre.", None),
])
def test_debate_floor(text, expected):
    assert author_from_debate(text) == expected


@pytest.mark.parametrize("text", [
    None, "",
    "TITRE\n\nM. le président. La parole est à M. le ministre de l'intérieur.\n\n"
    "M. Gérald Darmanin, ministre de l'intérieur. Monsieur le député…",
    "TITRE\n\nM. le président. La parole est à Mme la ministre des armées.",
    "TITRE\n\nM. le président. La parole est à M. le Premier ministre.",
    "TITRE\n\nM. le président. La parole est à M. le président de la commission des lois.",
    "TITRE\n\nMme la présidente. La parole est à Mme la secrétaire d'État chargée de la mer.",
    "TITRE\n\nM. le président. La parole est à M. le garde des sceaux, ministre de la justice.",
    "TITRE\n\nM. le président. La parole est à MM. Jean Dupont et Paul Durand.",
    "TITRE\n\nM. le président. La parole est à M. Dupont.",                   # surname alone
    # no "La parole est à" and the only deputy speaks one sentence: a heckle, not a question
    "TITRE\n\nM. Charles de la Verpillière. Tu l'auras, va, ton investiture !\n\n"
    "M. le président. La parole est à M. le ministre chargé du logement.\n\n"
    "M. Julien Denormandie, ministre chargé du logement. Vous l'avez dit…",
])
def test_debate_refuses(text):
    assert author_from_debate(text) is None


def test_debate_without_floor_the_speaker_of_the_question():
    # the extract starts with the deputy's speech: the speaker label says who asks
    text = f"SITUATION EN ISRAËL\n\nM. Sylvain Maillard. {QUESTION}\n\n" \
           "Mme la présidente. La parole est à Mme la Première ministre.\n\n" \
           "Mme Élisabeth Borne, Première ministre. Ce samedi 7 octobre…"
    assert author_from_debate(text) == ("M.", "Sylvain Maillard")
    # with a stray space before the label's period
    assert author_from_debate(text.replace("Maillard.", "Maillard .")) == \
        ("M.", "Sylvain Maillard")


def test_debate_without_floor_a_heckler_first_is_not_the_author():
    # the first speaker label is an interruption; the asker is the one who speaks at length
    text = ("PRIME DE FEU\n\nM. le président. Avant de vous céder la parole, monsieur Leclerc, "
            "je tiens à vous féliciter.\n\nM. Pierre Cordier. C'est LR qui a gagné !\n\n"
            "M. le président. Vous avez la parole, monsieur Leclerc.\n\n"
            f"M. Sébastien Leclerc. {QUESTION}\n\n"
            "M. le président. La parole est à M. le ministre de l'intérieur.\n\n"
            "M. Gérald Darmanin, ministre de l'intérieur. Monsieur le député…")
    assert author_from_debate(text) == ("M.", "Sébastien Leclerc")


def test_debate_without_floor_a_short_speech_is_not_enough():
    text = "TITRE\n\nM. Sacha Houlié. Avant d'interroger le ministre, je veux rendre hommage…"
    assert author_from_debate(text) is None


def test_debate_floor_to_the_government_first_the_asker_spoke_before():
    # the extract starts with the question under way; a later floor is a reply
    text = (f"TITRE\n\nM. Stéphane Le Foll. {QUESTION}\n\n"
            "M. le président. La parole est à M. le ministre de l'éducation nationale.\n\n"
            "M. Jean-Michel Blanquer, ministre de l'éducation nationale. Monsieur…\n\n"
            "M. le président. La parole est à M. Pierre Cordier.")
    assert author_from_debate(text) == ("M.", "Stéphane Le Foll")


def test_debate_a_minister_interrupting_does_not_end_the_question():
    text = (f"TITRE\n\nM. Alexis Jolly. Ma question s'adresse au ministre.\n\n"
            "Mme Olivia Grégoire, ministre déléguée. Bravo, champion !\n\n"
            f"M. Alexis Jolly. {QUESTION}\n\n"
            f"Mme Olivia Grégoire, ministre déléguée. {QUESTION}")
    assert author_from_debate(text) == ("M.", "Alexis Jolly")


# -- by kind --------------------------------------------------------------------------------------

def test_author_of_by_kind():
    opening = "Mme Géraldine Bannier interroge M. le ministre de l'intérieur sur…"
    debate = ("GENDARMERIE\n\nMme la présidente. La parole est à Mme Géraldine Bannier, pour "
              "exposer sa question.\n\nMme Géraldine Bannier. Dans son discours…")
    assert author_of("QE", opening, "Le Gouvernement est attentif…") == \
        ("Mme", "Géraldine Bannier", "question-text")
    assert author_of("QOSD", opening, debate) == ("Mme", "Géraldine Bannier", "question-text")
    assert author_of("QOSD", None, debate) == ("Mme", "Géraldine Bannier", "debate")
    assert author_of("QOSD", "Le décret du 30 mai 1997…", debate) == \
        ("Mme", "Géraldine Bannier", "debate")
    assert author_of("QG", None, debate) == ("Mme", "Géraldine Bannier", "debate")
    # a QE answer is no debate; a QG has no question text to read
    assert author_of("QE", None, debate) is None
    assert author_of("QG", opening, None) is None
    assert author_of(None, opening, debate) is None
    assert author_of("QE", None, None) is None


# -- the real corpus ------------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
OPENDATA = CORPUS / "opendata" / "json"
corpus = pytest.mark.skipif(not OPENDATA.is_dir(), reason="the shared corpus is absent")


def found(record):
    return author_of(record.kind, record.question.text if record.question else None,
                     record.answer.text if record.answer else None)


def one(relative):
    (record,) = aqparse.read(str(CORPUS / relative))
    return record


@corpus
@pytest.mark.parametrize("relative, expected", [
    # "Mme la présidente. La parole est à M. Sacha Houlié."
    ("opendata/json/QG16/QANR5L16QG200.json", ("M.", "Sacha Houlié", "debate")),
    # the saved page of the same question says "Mme Mereana Reid Arbelot"
    ("opendata/json/QG16/QANR5L16QG1398.json", ("Mme", "Mereana Reid Arbelot", "debate")),
    # no "La parole est à" for the asker: the extract starts "M. Sylvain Maillard. Ils
    # s'appelaient Tamar et Yonathan…"
    ("opendata/json/QG16/QANR5L16QG1176.json", ("M.", "Sylvain Maillard", "debate")),
    # "M. Pierre Cordier. C'est LR qui a gagné les élections municipales !" speaks first
    ("opendata/json/QG15/QANR5L15QG3242.json", ("M.", "Sébastien Leclerc", "debate")),
    # "La parole est à M. le président Gilles Le Gendre, pour le groupe…"
    ("opendata/json/QG15/QANR5L15QG1161.json", ("M.", "Gilles Le Gendre", "debate")),
    # "Mme Christelle D'Intorni appelle l'attention de Mme la ministre de la santé…"
    ("opendata/json/QE17/QANR5L17QE10723.json", ("Mme", "Christelle D'Intorni", "question-text")),
    ("opendata/json/QE17/QANR5L17QE1681.json", ("Mme", "Sandrine Dogor-Such", "question-text")),
    ("opendata/json/QOSD17/QANR5L17QOSD1.json", ("Mme", "Géraldine Bannier", "question-text")),
    ("text/14-60104QE.txt", ("Mme", "Valérie Lacroute", "question-text")),
])
def test_corpus_names(relative, expected):
    assert found(one(relative)) == expected


@corpus
def test_corpus_qosd_debate_names_the_same_deputy():
    record = one("opendata/json/QOSD17/QANR5L17QOSD1.json")
    assert author_from_debate(record.answer.text) == ("Mme", "Géraldine Bannier")


@corpus
def test_corpus_extract_without_question_gives_none():
    # the extract holds a heckle ("M. Charles de la Verpillière. Tu l'auras, va, ton
    # investiture !") and the minister's answer, not the question
    assert found(one("opendata/json/QG15/QANR5L15QG1623.json")) is None


@corpus
def test_corpus_pages_state_the_same_names():
    # every saved page from the 12th legislature on states "Prénom Nom" (older ones "Nom Prénom")
    checked = 0
    for path in sorted((CORPUS / "html").glob("*.html")):
        for record in aqparse.read(str(path)):
            if record.legislature < 12:
                continue
            checked += 1
            assert found(record)[:2] == (record.author.civility, record.author.name), path.name
    assert checked == 18


@corpus
@pytest.mark.parametrize("folder, total, floor", [
    # measured: QG15 4665 of 4667 (one extract has no question, one record no text),
    # QG16 1940 of 1940, QE17 16 of 16
    ("QG15", 4667, 4640), ("QG16", 1940, 1925), ("QE17", 16, 16),
])
def test_corpus_coverage(folder, total, floor):
    records = list(aqparse.read(str(OPENDATA / folder)))
    assert len(records) == total
    assert sum(1 for r in records if found(r)) >= floor
