"""Generated question dumps for the convert tests and benchmarks, and the files the docs'
examples name.

Records are built in code (varied kinds, statuses, attribution changes, renewals, signalements,
errata, withdrawals) and written with ``aqparse.render``, so a dump of any size can be made
without copying the corpus. ``records(n, seed)`` is deterministic.

From a clone of the project (aqparse installed, or ``PYTHONPATH=.``)::

    python tests/dumps.py dumps.zip     # the generated dumps.zip of the docs' examples
    python tests/dumps.py examples      # every file the docs' examples name, in this folder
"""

import datetime as dt
import os
import random
import shutil
import sqlite3
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Iterator, List, Optional

if __name__ == "__main__" and not __package__:     # run as a script from a clone
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aqparse import render
from aqparse.records import (Attribution, Author, Erratum, Ministry, Publication, Question,
                             Renewal, Signalement, Withdrawal, make_uid, status_of)

MINISTRIES = ["Économie et finances", "Intérieur", "Justice", "Santé", "Travail",
              "Éducation nationale", "Agriculture et alimentation", "Numérique",
              "Transition écologique", "Armées", "Culture", "Logement"]
GROUPS = ["Les Républicains", "Socialistes et apparentés", "Renaissance",
          "Gauche démocrate et républicaine - NUPES", "Rassemblement National"]
PLACES = ["Seine-et-Marne", "Nord", "Gironde", "Bouches-du-Rhône", "Puy-de-Dôme", "Corse-du-Sud"]
NAMES = ["Valérie Lacroute", "Jean Dupont", "Marie Curie", "Éric Martin", "Anne-Sophie Roux",
         "Paul Lefèvre", "Chloé Bernard"]
RUBRIQUES = ["télécommunications", "impôts et taxes", "santé", "agriculture", "justice"]
WORDS = ("le ministre est interrogé sur la situation des communes rurales et les moyens "
         "consacrés à la politique publique concernée par cette question depuis plusieurs "
         "années ainsi que sur les mesures envisagées pour y remédier").split()
REASONS = ["fin de mandat", "retrait à l'initiative de l'auteur", "changement de gouvernement"]


def _text(rng: random.Random, words: int) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        n = max(5, words // 2 + rng.randint(-words // 4, words // 4))
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
    return "\n\n".join(paragraphs)


def record(i: int, rng: random.Random, *, legislature: Optional[int] = None,
           number: Optional[int] = None, status: Optional[str] = None,
           words: int = 60) -> Question:
    """One varied record (the i-th)."""
    legislature = legislature or rng.choice([13, 14, 15, 16])
    kind = rng.choices(["QE", "QOSD", "QG"], weights=[8, 1, 1])[0]
    number = number or i + 1
    asked = Ministry(rng.choice(MINISTRIES))
    day = dt.date(2000 + legislature, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
    attributions = [Attribution(asked, day)]
    when = day
    for _ in range(rng.choices([0, 1, 2], weights=[6, 3, 1])[0]):
        when += dt.timedelta(days=rng.randint(5, 90))
        attributions.append(Attribution(Ministry(rng.choice(MINISTRIES)), when))
    # the text layout names only the first and the current ministry: an intermediate
    # attribution is known by its date alone
    attributions[1:-1] = [Attribution(None, a.date) for a in attributions[1:-1]]
    status = status or rng.choices(["answered", "pending", "withdrawn"], weights=[6, 3, 1])[0]
    answer = withdrawal = None
    signalements, renewals, errata = [], [], []
    if kind == "QE" and rng.random() < 0.3:
        renewals = [Renewal(day + dt.timedelta(days=300))]
    if kind == "QE" and rng.random() < 0.2:
        signalements = [Signalement(day + dt.timedelta(days=120))]
    last = max([a.date for a in attributions] + [r.date for r in renewals]
               + [s.date for s in signalements])
    page = (lambda: rng.randint(1, 12000)) if kind != "QG" else (lambda: None)
    if status == "answered":
        answer = Publication(last + dt.timedelta(days=rng.randint(1, 400)), page(),
                             _text(rng, words * 2))
        if rng.random() < 0.05:
            errata = [Erratum("answer", answer.date + dt.timedelta(days=14), rng.randint(1, 9000))]
    elif status == "withdrawn":
        withdrawal = Withdrawal(last + dt.timedelta(days=rng.randint(1, 400)), rng.choice(REASONS))
    name = rng.choice(NAMES)
    civility = rng.choice(["M.", "Mme"])
    question = Question(
        uid=make_uid(legislature, kind, number), legislature=legislature, kind=kind,
        number=number,
        author=Author(civility=civility, name=name, group=rng.choice(GROUPS),
                      constituency=rng.choice(PLACES)),
        ministry_asked=asked, ministry_assigned=attributions[-1].ministry,
        attributions=attributions, rubrique=rng.choice(RUBRIQUES),
        tete_analyse="politique " + str(i % 7), analyses=["mesures", f"sujet {i % 13}"],
        question=Publication(day, page(), f"{civility} {name} " + _text(rng, words)),
        answer=answer, signalements=signalements, renewals=renewals, errata=errata,
        withdrawal=withdrawal, status=status_of(answer, withdrawal))
    return question


def records(n: int, seed: int = 1, **options) -> Iterator[Question]:
    rng = random.Random(seed)
    for i in range(n):
        yield record(i, rng, **options)


def dump_text(questions) -> str:
    """A dump: the canonical text of each question, one after another."""
    return "\n".join(render(q) for q in questions)


def write_dump(path, n: int, seed: int = 1, **options) -> List[str]:
    """Write a dump of ``n`` generated questions to ``path``; return their uids in order."""
    uids = []
    with open(path, "w", encoding="utf-8") as f:
        for i, q in enumerate(records(n, seed, **options)):
            if i:
                f.write("\n")
            f.write(render(q))
            uids.append(q.uid)
    return uids


# A question written by hand (not generated, not copied): the values the tests assert were read
# from this text.
KNOWN = """15ème législature

Question N° 4321
de Mme Claire Martin (Socialistes et apparentés - Gironde )
Question écrite
Ministère interrogé > Transition écologique
Ministère attributaire > Logement

Rubrique > logement

Titre > Rénovation thermique des logements

Question publiée au JO le : 12/03/2019 page : 2301
Réponse publiée au JO le : 21/01/2020 page : 512
Date de changement d'attribution: 16/07/2019
Date de signalement : 02/07/2019

Texte de la question

Mme Claire Martin attire l'attention de Mme la ministre sur la rénovation thermique.

Elle souhaite connaître le calendrier des aides.

Texte de la réponse

Le calendrier des aides a été publié le 1er janvier.
"""

# Another, with two defects: an impossible date (31 February) and a label no rule knows.
DEFECTIVE = """16ème législature

Question N° 777
de M. Paul Lefèvre (Renaissance - Nord )
Question écrite
Ministère interrogé > Santé
Ministère attributaire > Santé

Rubrique > santé

Humeur > inquiète
Question publiée au JO le : 31/02/2023 page : 1200

Texte de la question

M. Paul Lefèvre interroge M. le ministre sur les urgences.
"""


def db_tables(path) -> dict:
    """Every row of every table of an aqparse SQLite database, in a stable order."""
    db = sqlite3.connect(path)
    out = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
           for t in ("questions", "attributions", "signalements", "renewals", "errata", "defects",
                     "sources", "aqparse_inputs")}
    db.close()
    return out


# -- the files of the docs' examples -----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
# the dumps of docs/convert.md's examples: (legislature, questions, seed), one text dump each
DOCS_DUMPS = ((14, 3000, 14), (15, 2000, 15))


def docs_dumps(folder: Path) -> List[Path]:
    """``dump-14.txt`` (3,000 generated questions of the 14th legislature) and ``dump-15.txt``
    (2,000 of the 15th) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for legislature, count, seed in DOCS_DUMPS:
        path = folder / f"dump-{legislature}.txt"
        write_dump(path, count, seed, legislature=legislature)
        paths.append(path)
    return paths


def dumps_zip(path: Path) -> None:
    """The ``dumps.zip`` of the docs' examples: the two dumps of ``docs_dumps``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for dump in docs_dumps(path.parent / ".dumps"):
            archive.write(dump, dump.name)
    shutil.rmtree(path.parent / ".dumps")


def _inbox(folder: Path) -> None:
    """docs/convert.md's ``inbox``: two good questions, one with defects, a note, a README."""
    folder.mkdir(exist_ok=True)
    (folder / "README.md").write_text("Questions reçues cette semaine.\n", encoding="utf-8")
    (folder / "known.txt").write_text(KNOWN, encoding="utf-8")
    shutil.copy(ROOT / "fixtures" / "qe-pending.txt", folder / "pending.txt")
    (folder / "777.txt").write_text(DEFECTIVE, encoding="utf-8")
    (folder / "notes.txt").write_text("Liste de courses : pain, lait.\n", encoding="utf-8")


def _scraped(folder: Path) -> None:
    """What a scraper stored: ``get_text()`` of each saved page of the fixtures, and of two
    pages one after the other."""
    from bs4 import BeautifulSoup

    from aqparse.decode import decode

    folder.mkdir(exist_ok=True)
    texts = []
    for page in sorted((ROOT / "fixtures" / "pages").glob("*.html")):
        text = BeautifulSoup(decode(page.read_bytes(), is_html=True), "html.parser").get_text()
        (folder / f"{page.stem}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    (folder / "two-pages.txt").write_text("\n".join(texts[:2]), encoding="utf-8")


def examples(folder: Path) -> None:
    """Every file the examples of the README and of docs/ name, made in ``folder``:
    ``dumps.zip``, ``dumps/`` (two smaller dumps: 200 generated questions of the 14th and of
    the 15th), ``dump.txt`` (300 of the 16th) and ``dumps.tar.gz`` (it, archived), ``export.zip`` and
    ``Questions_ecrites_XVII.json.zip`` (open data of the fixtures, as the AN zips it),
    ``pages/`` (the saved pages of the fixtures), ``scraped/`` (their ``get_text()``), and
    ``inbox/``."""
    folder = Path(folder)
    dumps_zip(folder / "dumps.zip")
    (folder / "dumps").mkdir(exist_ok=True)
    for legislature in (14, 15):
        write_dump(folder / "dumps" / f"dump-{legislature}.txt", 200, legislature * 10,
                   legislature=legislature)
    write_dump(folder / "dump.txt", 300, 16, legislature=16)
    with tarfile.open(folder / "dumps.tar.gz", "w:gz") as archive:
        archive.add(folder / "dump.txt", "dump.txt")
    opendata = sorted(p for p in (ROOT / "fixtures" / "opendata").iterdir()
                      if p.name.endswith((".input.json", ".xml")))
    with zipfile.ZipFile(folder / "export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in opendata:
            archive.write(path, path.name.replace(".input.json", ".json"))
    with zipfile.ZipFile(folder / "Questions_ecrites_XVII.json.zip", "w") as archive:
        archive.write(ROOT / "fixtures" / "opendata" / "qe-17-reshuffle.input.json",
                      "json/QANR5L17QE2468.json")
    pages = folder / "pages" / "2023"
    pages.mkdir(parents=True, exist_ok=True)
    for page in (ROOT / "fixtures" / "pages").glob("*.html"):
        shutil.copy(page, pages / page.name)
    _scraped(folder / "scraped")
    _inbox(folder / "inbox")


def main(argv: List[str]) -> int:
    what = argv[1:] or ["examples"]
    for name in what:
        if name == "dumps.zip":
            dumps_zip(Path("dumps.zip"))
        elif name == "examples":
            examples(Path(os.getcwd()))
        else:
            print(f"usage: python tests/dumps.py [dumps.zip | examples]  (not {name!r})",
                  file=sys.stderr)
            return 2
        print(f"made {name} in {os.getcwd()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
