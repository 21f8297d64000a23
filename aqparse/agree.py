"""agree: one fact, one form — the conventions every source's record follows.

Each source shows some facts its own way: a ``/dyn`` page capitalises the rubrique the AN's
vocabulary writes in lower case; the open data of the 15th legislature on holds as its single
``analyse`` what the pages show as "Titre"; a question to the government has no question of its
own in the open data, only the sitting that published the debate. The small rules here bring
each to the one form of DESIGN.md, so that the records of one question from two sources agree
field by field (``docs/sources.md`` has the table of which source fills which field).
"""

import functools
import re
from typing import Optional, Tuple

from .records import Publication

# -- rubrique: the AN vocabulary's form --------------------------------------------------------

# The vocabulary writes its rubriques in lower case ("sécurité des biens et des personnes"),
# except those that start with a proper noun or an acronym. Those seen in the AN's open data
# (every rubrique of the 15th, 16th and 17th legislatures), and the like of them:
PROPER_STARTS = frozenset("""
    Union État Etat Gouvernement Parlement Français Francais Internet Mutualité Mutualite
    Europe Assemblée Assemblee Sénat Senat Président President Corse Paris Alsace Moselle
    Mayotte Guyane Guadeloupe Martinique Réunion Reunion Polynésie Polynesie Nouvelle Wallis
    Saint Sainte Île Ile Seine
""".split())

_ACRONYM = re.compile(r"[A-ZÀ-Ý]{2,}\b")


@functools.lru_cache(maxsize=4096)
def rubrique_form(value: Optional[str]) -> Optional[str]:
    """``value`` in the AN vocabulary's form: the first letter in lower case, unless the
    rubrique starts with a proper noun (``Union européenne``) or an acronym (``TVA``).
    "Sécurité des biens et des personnes" → "sécurité des biens et des personnes"."""
    if not value or not value[0].isupper():
        return value
    first = value.split(None, 1)[0].rstrip(",:;")
    # the first word's first part: "Wallis-et-Futuna", "Île-de-France"; an acronym, dotted
    # or not ("TVA", "D.O.M."), or a word with a capital inside ("DOM-TOM") stays
    part = re.split(r"[-'’]", first, 1)[0]
    if part in PROPER_STARTS or _ACRONYM.match(first) or any(c.isupper() for c in first[1:]):
        return value
    return value[0].lower() + value[1:]


# -- title and analyses -------------------------------------------------------------------------

FIRST_TITLED = 15     # the first legislature whose pages show "Titre >" for the analyse


def title_and_analyses(legislature: Optional[int], title: Optional[str], tete_analyse: Optional[str],
                       analyses: Tuple[str, ...]) -> Tuple[Optional[str], Tuple[str, ...]]:
    """From the 15th legislature on, the one ``analyse`` of a structured source with no tête
    d'analyse is the question's title (what the pages show as "Titre >"); before, or beside a
    tête d'analyse (the older indexing, which the pages show as "Analyse >"), analyses stay
    analyses."""
    if (title is None and tete_analyse is None and len(analyses) == 1
            and legislature is not None and legislature >= FIRST_TITLED):
        return analyses[0], ()
    return title, analyses


# -- the question's date when the source has no question text -----------------------------------

SITTING_KINDS = frozenset(("QG",))


def sitting_question(kind: Optional[str], question: Optional[Publication],
                     answer: Optional[Publication], attribution_date=None,
                     attribution_jo: Optional[str] = None,
                     answered_on=None) -> Optional[Publication]:
    """A question to the government is asked at a sitting and published with its answer, in
    the debates: its question date is the sitting's, as the pages give it. The open data has
    no question for it: the date is the debate's (the answer's JO); without the debate, the
    attribution's when its JO is the debates', or the closure's "answer published" date."""
    if kind not in SITTING_KINDS or (question is not None and question.date is not None):
        return question
    date = answer.date if answer is not None else None
    if date is None and attribution_jo == "JO_DEBAT":
        date = attribution_date
    if date is None:
        date = answered_on
    if date is None:
        return question
    if question is None:
        return Publication(date=date)
    return Publication(date=date, page=question.page, text=question.text,
                       jo_number=question.jo_number, jo_type=question.jo_type,
                       url_legifrance=question.url_legifrance,
                       reference_nor=question.reference_nor)
