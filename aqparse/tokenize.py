"""tokenize: raw question text to a stream of tokens (label, value, span).

The vocabulary is a table of small named rules (``RULES``), tried together as one compiled
alternation, mistune-style: adding a label is adding a row. A token's value is everything
between its label and the next label, so no text is dropped: what stands before the first
label of a question comes out as an ``unlabelled`` token.

Two modes keep question bodies safe from false labels: in the header every rule is looked for
anywhere (old pages put all fields on one line); inside a body only the rules marked ``in_body``
are, and only where they can really stand (at a line start, or in their unmistakable form).

Every quantifier in the rules is bounded, so the scan stays linear in the input.
"""

import re
from typing import Iterator, List, NamedTuple, Optional, Sequence, Tuple

from .decode import for_matching

# -- building label patterns -----------------------------------------------------------------

# Old pages lose accents (``Minist?re``, ``Tete``), so each accented letter matches its plain
# form, a '?' and U+FFFD as well.
_LOOSE = {
    "e": "[eéèêë?\ufffd]", "é": "[eéèêë?\ufffd]", "è": "[eéèêë?\ufffd]", "ê": "[eéèêë?\ufffd]",
    "a": "[aàâ]", "à": "[aàâ?\ufffd]", "â": "[aàâ?\ufffd]", "ô": "[oô?\ufffd]",
    "i": "[iîï]", "î": "[iîï?\ufffd]", "u": "[uùû]", "c": "[cç]", "ç": "[cç?\ufffd]",
}
BLANK = "[ \n]{1,6}"        # a space inside a label; copied pages may break the line there
SEP = "[ ]{0,3}(?:>|:)?"    # the separator after a label, when there is one


def label(words: str) -> str:
    """A regex for a label written the readable way: case, accents, blanks and apostrophes
    loose; ``N°`` matching ``N°``, ``n°``, ``No``, ``Nº``."""
    out = []
    for word in words.split(" "):
        if word == "N°":
            out.append(r"n(?:°|º|o\.?|r\.?)")
            continue
        piece = []
        for ch in word:
            if ch in "'’":
                piece.append("['’ʼ`´ ]?")
            elif ch.lower() in _LOOSE:
                piece.append(_LOOSE[ch.lower()])
            else:
                piece.append(re.escape(ch))
        out.append("".join(piece))
    return r"(?<![\w])" + BLANK.join(out) + r"(?![\w])"


class Rule(NamedTuple):
    """One row of the vocabulary.

    name     the field the value feeds (the extractor's handler key)
    pattern  regex of the label (and separator); a group ``v`` holds an inline value
    in_body  also looked for inside a question/answer body (with ``body_pattern`` if given)
    opens    the body that starts after this label ('question' / 'answer'), if any
    starts   may start a new question in a dump
    after    only a label when the previous token is one of these
    """

    name: str
    pattern: str
    in_body: bool = False
    body_pattern: Optional[str] = None
    opens: Optional[str] = None
    starts: bool = False
    after: Tuple[str, ...] = ()


_PUBLISHED = label("publiée au JO le") + SEP
_LEG = (r"(?<!questions )(?<!de la )(?<!la )(?<![\w])(?P<v>\d{1,2}|[IVXL]{1,6})"
        r"[ ]?(?:ème|eme|ième|ieme|è|e|°)?[ ]{1,3}" + label("législature"))
_LEG_LINE = r"(?m:^)[ ]{0,400}" + _LEG + r"[ ]{0,400}(?=\n|\Z)"
_NUMBER = label("Question N°") + r"[ ]{0,3}:?"
_NUMBER_LINE = r"(?m:^)[ ]{0,400}" + _NUMBER + r"(?=[ ]{0,3}\d)"
_ANSWER_HEAD = r"(?:" + label("Texte de la réponse") + r"|(?-i:D[EÉ]BAT))"

RULES: Tuple[Rule, ...] = (
    Rule("legislature", _LEG, in_body=True, body_pattern=_LEG_LINE, starts=True),
    Rule("number", _NUMBER, in_body=True, body_pattern=_NUMBER_LINE, starts=True),
    Rule("author", r"(?<![\w])de(?=[ \n]{1,10}(?:M\.|MM\.|Mme|Mlle|Monsieur|Madame)[ \n])",
         after=("number",)),
    Rule("kind", r"(?<![\w])(?P<v>" + "|".join(
        label(k) for k in ("Question écrite", "Question orale sans débat",
                           "Question orale avec débat", "Question au gouvernement",
                           "Question orale")) + ")"),
    Rule("kind", r"(?<![\w])(?-i:(?P<v>QE|QOSD|QG|QOAD))(?![\w])", after=("number", "author")),
    Rule("ministry_asked", label("Ministère interrogé") + SEP),
    Rule("ministry_assigned", label("Ministère attributaire") + SEP),
    Rule("rubrique", label("Rubrique") + SEP),
    Rule("tete_analyse", label("Tête d'analyse") + SEP),
    Rule("analyses", r"(?<!d')(?<!d’)" + label("Analyse") + SEP),
    Rule("title", label("Titre") + SEP),
    Rule("question_published", label("Question") + BLANK + _PUBLISHED),
    Rule("answer_published", label("Réponse") + BLANK + _PUBLISHED),
    Rule("attribution_change", label("Date de changement d'attribution") + SEP),
    Rule("signalement", label("Date de signalement") + SEP),
    Rule("renewal", label("Date de renouvellement") + SEP),
    Rule("withdrawal", label("Question retirée") + r"(?:" + BLANK + label("le") + r")?" + SEP),
    Rule("erratum_question", label("Erratum de la question") + BLANK + label("publié au JO le") + SEP),
    Rule("erratum_answer", label("Erratum de la réponse") + BLANK + label("publié au JO le") + SEP),
    Rule("question_text", label("Texte de la question") + SEP, opens="question"),
    Rule("answer_text", _ANSWER_HEAD + SEP, opens="answer", in_body=True,
         # inside a question body: at a line start, or written as a heading with its colon
         body_pattern=r"(?:(?m:^)[ ]{0,400}" + _ANSWER_HEAD + SEP + r"|" + _ANSWER_HEAD + r"[ ]{0,3}:)"),
)

# The current site's /dyn/ pages as a browser copies them: a title line "Question écrite
# n°200 : Agriculture biologique", long dates ("du 26 juillet 2022, page 3501"), the author
# with the place first ("Question de : Mme X (Ile-de-France - Renaissance)") then the
# question, "Réponse publiée le <date>" then the answer, and a "Données clés" box that
# repeats them with the rubrique and the ministries. A label with its value inline that
# ``opens`` a body is followed by that body.
_DATE = (r"(?:\d{1,2}/\d{1,2}/\d{4}|(?:1er|\d{1,2})[ ]{1,3}[^\W\d_]{3,9}\.?[ ]{1,3}\d{4})")
_DATED = r"[ ]{1,3}(?P<v>" + _DATE + ")"
_LINE_START = r"(?m:^)[ ]{0,400}"
_ANSWERED = (label("Réponse publiée le") + _DATED,
             label("Réponse en séance, et publiée le") + _DATED)
_ASKED_IN_SESSION = r",?[ ]{0,3}" + label("posée en séance, et publiée le") + _DATED
_KEY_DATE = r"[ \n]{1,10}(?:" + label("Question publiée le") + "|" + label("Réponse publiée le") \
    + r")[ ]{1,3}" + _DATE

RULES += (
    Rule("heading_number", r"(?<![\w])n[°º][ ]{0,3}(?=\d{1,7}[ ]{0,3}:)", after=("kind",)),
    Rule("question_published_jo", label("Publication de la question au Journal Officiel du")),
    Rule("answer_published_jo", label("Publication de la réponse au Journal Officiel du")),
    Rule("author_place_first", label("Question de") + r"[ ]{0,3}:[ ]{0,3}"
         r"(?P<v>[^\n(]{1,160}(?:\([^\n()]{0,200}\))?)", opens="question"),
    Rule("author_place_first", _LINE_START + label("Auteur") + r"[ ]{0,3}:"),
    # a QG: ", posée en séance, et publiée le <date>", then the debate, which is its answer
    Rule("asked_in_session", _ASKED_IN_SESSION, opens="answer", in_body=True),
    Rule("answer_dated", _ANSWERED[0], opens="answer", in_body=True,
         body_pattern=_LINE_START + _ANSWERED[0]),
    Rule("answer_dated", _ANSWERED[1], opens="answer", in_body=True,
         body_pattern=_LINE_START + _ANSWERED[1]),
    Rule("key_data", label("Données clés"), in_body=True,
         body_pattern=_LINE_START + label("Données clés") + r"[ ]{0,400}(?=\n|\Z)"),
    Rule("question_type", label("Type de question") + r"[ ]{0,3}:"),
    Rule("ministry_assigned", label("Ministère répondant") + SEP),
    # the box's own date lines, taken with their label so they do not open a body again
    Rule("key_dates", label("Dates") + r"[ ]{0,3}:(?P<v>(?:" + _KEY_DATE + "){1,4})"),
    Rule("session_date", label("Date de la séance") + r"[ ]{0,3}:"),
)

# Words that start a line inside a known field's value in copied pages ("page :" on its own
# line in the old layout): not unknown labels.
_NOT_LABELS = ("page", "le", "de")
# A label the vocabulary does not know: at a line start, a capitalised run of words, then '>'
# or ':'. Looked for in the header only; its value goes to ``extra``.
_UNKNOWN = (r"(?m:^)[ ]{0,400}(?!(?:" + "|".join(_NOT_LABELS) + r")\b)"
            r"(?P<v>(?-i:[A-ZÀ-Ý])[^\W\d_][^\W\d_'’ -]{0,46}?)[ ]{0,3}(?:>|:)(?![/\d])")


class Token(NamedTuple):
    name: str      # rule name, or 'unknown', 'unlabelled', 'question_body', 'answer_body'
    label: str     # the label as written ('' for bodies and unlabelled text)
    value: str     # the raw text of the value (inline value, or up to the next label)
    start: int     # offset of the label in the text
    end: int       # offset where the value ends
    line: int      # 1-based line of the label


def _compile(rules: Sequence[Tuple[int, Rule]], body: bool) -> "re.Pattern[str]":
    parts = []
    for index, rule in rules:
        pattern = rule.body_pattern if body and rule.body_pattern else rule.pattern
        parts.append(f"(?P<r{index}>{pattern.replace('(?P<v>', f'(?P<v{index}>')})")
    if not body:
        parts.append(f"(?P<unknown>{_UNKNOWN.replace('(?P<v>', '(?P<vu>')})")
    # unknown labels must not shadow known ones that start at the same line position
    known = "|".join(r.pattern.replace("(?P<v>", "(?:") for _, r in rules)
    joined = "|".join(parts).replace("(?!(?:" + "|".join(_NOT_LABELS), "(?!(?:" + known + "|"
                                                                  + "|".join(_NOT_LABELS))
    return re.compile(joined, re.IGNORECASE)


_INDEXED = tuple(enumerate(RULES))
_HEADER_RE = _compile(_INDEXED, body=False)
_BODY_RE = _compile(tuple((i, r) for i, r in _INDEXED if r.in_body), body=True)
_BY_GROUP = {f"r{i}": (i, r) for i, r in _INDEXED}


def tokenize(text: str, *, offset: int = 0, first_line: int = 1) -> Iterator[Token]:
    """Tokens of ``text`` (already decoded), lazily, in order.

    ``offset``/``first_line`` place the text inside a larger input (streamed dumps).
    """
    scan = for_matching(text)
    # the token being filled: name, label, label start, line, value start
    open_name, open_label, open_start, open_line, value_start = "unlabelled", "", 0, first_line, 0
    in_body = False
    previous = None
    line, counted = first_line, 0
    search_from = 0
    while True:
        m = (_BODY_RE if in_body else _HEADER_RE).search(scan, search_from)
        if m is None:
            break
        start = m.start()
        group = m.lastgroup
        if group == "unknown":
            rule, name, inline_group = None, "unknown", "vu"
        else:
            index, rule = _BY_GROUP[group]
            if rule.after and previous not in rule.after:
                search_from = start + 1
                continue
            name, inline_group = rule.name, f"v{index}"
        if rule is None and open_name not in ("unlabelled", "unknown") \
                and not in_body and not scan[value_start:start].strip():
            # a known label with nothing after it yet takes this line as its value
            # (old pages: "Tête d'analyse :" then "Entreprises: Meurthe-et-Moselle")
            search_from = m.end()
            continue
        line += scan.count("\n", counted, start)
        counted = start
        if open_name != "unlabelled" or text[value_start:start].strip():
            yield Token(open_name, open_label, text[value_start:start],
                        (open_start if open_name != "unlabelled" else value_start) + offset,
                        start + offset, open_line)
        inline = m.group(inline_group) if inline_group in m.re.groupindex else None
        if rule is None:           # unknown label: the captured words are the label
            open_name, open_label = name, inline
            open_start, open_line, value_start = start, line, m.end()
        elif inline is not None:   # the label carries its value (legislature, short kind)
            yield Token(name, text[start:m.end()], text[m.start(inline_group):m.end(inline_group)],
                        start + offset, m.end() + offset, line)
            open_name, open_label = "unlabelled", ""
            if rule.opens is not None:   # "Réponse publiée le <date>" then the answer
                open_name, open_label = f"{rule.opens}_text", text[start:m.end()]
            open_start, open_line, value_start = m.end(), line, m.end()
        else:
            open_name, open_label = name, text[start:m.end()]
            open_start, open_line, value_start = start, line, m.end()
        in_body = rule is not None and rule.opens is not None
        previous = name
        search_from = m.end() if m.end() > start else start + 1
    if open_name != "unlabelled" or text[value_start:].strip():
        yield Token(open_name, open_label, text[value_start:],
                    (open_start if open_name != "unlabelled" else value_start) + offset,
                    len(text) + offset, open_line)


# -- dumps holding many questions --------------------------------------------------------------

def split_questions(tokens: Iterator[Token]) -> Iterator[List[Token]]:
    """Group a token stream into questions.

    A question starts at its legislature line or, when that is missing, at its ``Question N°``
    line. Tokens before the first question (a page's preamble) go with the first question, so
    nothing is dropped.
    """
    current: List[Token] = []
    seen = set()
    for token in tokens:
        if token.name in ("legislature", "number") and _starts_new(token.name, seen):
            if "number" in seen:
                yield current
                current, seen = [], set()
        current.append(token)
        seen.add(token.name)
    if current:
        yield current


def _starts_new(name: str, seen: set) -> bool:
    if name == "legislature":
        return "legislature" in seen or "question_body" in seen or "answer_body" in seen \
            or "number" in seen
    return "number" in seen
