"""render: a record back to the canonical text layout (the one of ``14-60104QE.txt``).

Separate from the parser (as in mistune): it knows the layout, not the rules. What the record
kept verbatim in ``extra`` (unknown labels, values the parser could not read) is written back
under its label, so ``parse(render(q))`` gives ``q`` again.
"""

from typing import List, Optional

from .dates import format_date
from .extract import UNLABELLED
from .records import Author, Publication, Question

KIND_LABELS = {"QE": "Question écrite", "QOSD": "Question orale sans débat",
               "QG": "Question au gouvernement"}

# extra keys that replace a structured line (the parser kept the raw value there)
_RAW_OF = {
    "question": "Question publiée au JO le",
    "answer": "Réponse publiée au JO le",
}


def _author(author: Author) -> Optional[str]:
    words = " ".join(w for w in (author.civility, author.name) if w)
    if not words:      # open data names no author (only acteur_ref): the layout has no line
        return None
    if author.region is not None and author.constituency is None and " - " not in author.region:
        # the current site's form, place first: "Auteur : Mme X (Ile-de-France - Renaissance)"
        return f"Auteur : {words} ({author.region}" + (f" - {author.group})" if author.group
                                                        else " - )")
    if author.group is not None or author.constituency is not None:
        inside = author.group or ""
        if author.constituency is not None:
            inside = f"{inside} - {author.constituency}" if inside else f"- {author.constituency}"
        elif " - " in inside:   # else the part after the group's own dash reads as a place
            inside += " -"
        words += f" ({inside} )"
    return f"de {words}"


def _published(label: str, pub: Optional[Publication]) -> Optional[str]:
    if pub is None or (pub.date is None and pub.page is None):
        return None
    line = f"{label} :"
    if pub.date is not None:
        line += f" {format_date(pub.date)}"
    if pub.page is not None:
        line += f" page : {pub.page}"
    return line


def render(q: Question) -> str:
    """The canonical text of ``q``."""
    extra = dict(q.extra)
    out: List[str] = []
    preamble = extra.pop(UNLABELLED, None)
    if preamble:
        out += [preamble, ""]
    if q.legislature is not None:
        out += [f"{q.legislature}ème législature", ""]
    if q.number is not None:
        out.append(f"Question N° {q.number}")
    if q.author is not None and _author(q.author):
        out.append(_author(q.author))
    if q.kind is not None:
        out.append(KIND_LABELS[q.kind])
    if q.ministry_asked is not None and q.ministry_asked.name:
        out.append(f"Ministère interrogé > {q.ministry_asked.name}")
    if q.ministry_assigned is not None and q.ministry_assigned.name:
        out.append(f"Ministère attributaire > {q.ministry_assigned.name}")
    for label, value in (("Rubrique", q.rubrique), ("Tête d'analyse", q.tete_analyse),
                         ("Titre", q.title)):
        if value is not None:
            out += ["", f"{label} > {value}"]
    if q.analyses:
        out += ["", "Analyse > " + ". ".join(q.analyses) + "."]
    out.append("")
    for field, label in _RAW_OF.items():
        raw = extra.pop(label, None)
        line = f"{label} : {raw}" if raw is not None else _published(label, getattr(q, field))
        if line:
            out.append(line)
    for attribution in q.attributions[1:]:
        if attribution.date is not None:
            out.append(f"Date de changement d'attribution: {format_date(attribution.date)}")
    for s in q.signalements:
        out.append(f"Date de signalement : {format_date(s.date)}")
    for r in q.renewals:
        out.append(f"Date de renouvellement : {format_date(r.date)}")
    for e in q.errata:
        what = "de la question" if e.target == "question" else "de la réponse"
        out.append(_published(f"Erratum {what} publié au JO le", e))
    if q.withdrawal is not None:
        raw = extra.pop("Question retirée le", None)   # a value the parser could not read
        w = q.withdrawal
        if raw is not None:
            parts = [raw]
        else:
            parts = [format_date(w.date) if w.date else ""]
            if w.reason:
                parts.append(f"({w.reason})")
        out.append(("Question retirée le : " + " ".join(p for p in parts if p)).rstrip())
    for key, value in extra.items():
        out.append(f"{key} : {value}")
    out += ["", "Texte de la question", ""]
    if q.question is not None and q.question.text:
        out += [q.question.text, ""]
    if q.answer is not None:
        out += ["Texte de la réponse", ""]
        if q.answer.text:
            out += [q.answer.text, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def text_fields(q: Question) -> dict:
    """What the canonical text layout carries of ``q``, by dotted field path: the fields on
    which ``parse(render(q))`` must agree with ``q``, whatever source ``q`` came from.

    Not carried: references (``acteur_ref``, ``organe_ref``…), full names, JO numbers and types,
    the ministries of intermediate attributions, the closure, ``source`` and ``defects``. The
    first attribution's date is the question's date in the layout, so only the changes count.
    An author is carried only with a name (the layout's line is "de M. Name (Group - Place)").
    """
    a = q.author if q.author is not None and (q.author.name or q.author.civility) else None
    pub = {}
    for field in ("question", "answer"):
        p = getattr(q, field)
        for key in ("date", "page", "text"):
            pub[f"{field}.{key}"] = getattr(p, key) if p is not None else None
    return {
        "legislature": q.legislature, "kind": q.kind, "number": q.number,
        "author.civility": a and a.civility, "author.name": a and a.name,
        "author.group": a and a.group, "author.constituency": a and a.constituency,
        "ministry_asked.name": q.ministry_asked and q.ministry_asked.name,
        "ministry_assigned.name": q.ministry_assigned and q.ministry_assigned.name,
        "rubrique": q.rubrique, "tete_analyse": q.tete_analyse, "analyses": list(q.analyses),
        "title": q.title, **pub,
        "attribution_changes": [x.date for x in q.attributions[1:] if x.date is not None],
        "signalements": [s.date for s in q.signalements],
        "renewals": [r.date for r in q.renewals],
        "errata": [(e.target, e.date, e.page) for e in q.errata],
        "withdrawal.date": q.withdrawal and q.withdrawal.date,
        "withdrawal.reason": q.withdrawal and q.withdrawal.reason,
    }
