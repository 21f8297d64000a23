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

import functools
import re
from typing import Any, Callable, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from . import furniture
from .decode import (OTHER_BREAKS, for_matching, has_invisible, has_odd_characters,
                     has_other_breaks, visible)
from .layout import shows_links, untangle

try:   # the standard library's regex parser, read to find where each rule can start
    import re._constants as _sre_constants
    import re._parser as _sre_parse
except ImportError:   # Python 3.10
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse

# -- building label patterns -----------------------------------------------------------------

# Old pages lose accents (``Minist?re``, ``Tete``), so each accented letter matches its plain
# form, a '?' and U+FFFD as well.
_LOOSE = {
    "e": "[eéèêë?\ufffd]", "é": "[eéèêë?\ufffd]", "è": "[eéèêë?\ufffd]", "ê": "[eéèêë?\ufffd]",
    "a": "[aàâ]", "à": "[aàâ?\ufffd]", "â": "[aàâ?\ufffd]", "ô": "[oô?\ufffd]",
    "i": "[iîï]", "î": "[iîï?\ufffd]", "u": "[uùû]", "c": "[cç]", "ç": "[cç?\ufffd]",
}
# a space inside a label; copied pages may break the line there, and indent the next line
BLANK = "[ \n]{1,400}"
# the separator after a label, when there is one (alone on the next line in some page texts)
SEP = "[ ]{0,60}(?:\n[ ]{0,200}(?=[>:]))?(?:>|:)?"
NOT_IN_WORD = r"(?<![\w])"  # a label starts a word


def label(words: str) -> str:
    """A regex for a label written the readable way: case, accents, blanks and apostrophes
    loose; ``N°`` matching ``N°``, ``n°``, ``No``, ``Nº``."""
    out = []
    for word in words.split(" "):
        if word == "N°":
            out.append(r"n(?:°|º|o\.?|r\.?|[?\ufffd])")   # '?': a degree sign lost in decoding
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
    # "N°" may touch its number ("Question n°60104"): no word boundary after it
    tail = "" if words.endswith("N°") else r"(?![\w])"
    return NOT_IN_WORD + BLANK.join(out) + tail


def word_label(word: str) -> dict:
    """A one-word label that is also a common word of values (``Titre`` / "titre de séjour",
    ``Analyse``, ``Rubrique``): a label when its separator follows, or alone on its line
    (value on the next line); elsewhere it is part of a value. Gives the ``pattern`` and
    ``line_pattern`` of its rule."""
    words = label(word)
    with_separator = words + r"[ ]{0,60}(?:\n[ ]{0,200})?(?:>|:)"
    return {"pattern": with_separator,
            "line_pattern": r"(?:" + with_separator + "|" + words + r"(?=[ ]{0,400}(?:\n|\Z)))"}


class Rule(NamedTuple):
    """One row of the vocabulary.

    name         the field the value feeds (the extractor's handler key)
    pattern      regex of the label (and separator) where it starts; a group ``v`` holds an
                 inline value. Tried at line starts, and mid-line where a word starts with a
                 capital letter or a number starts (the old one-line layout)
    line_pattern the pattern to use at a line start instead of ``pattern``
    line_only    only at a line start
    in_body      also a label inside a question/answer body, at a line start
    body_pattern the pattern to use there instead of ``pattern``
    body_inline  forms unmistakable enough to be a label mid-line inside a body: case-
                 sensitive, each starting with a literal character
    opens        the body that starts after this label ('question' / 'answer'), if any
    after        only a label when the previous token is one of these; looked for right
                 after that token, wherever it stands (the author's lowercase "de")
    furniture    the site's furniture (``aqparse.furniture``): looked for only where no field
                 is open (between questions), and before the labels there
    page         only in a text that shows a whole page (``furniture.shows_page``): a dump
                 of questions copied alone never pays for it
    """

    name: str
    pattern: str
    in_body: bool = False
    body_pattern: Optional[str] = None
    opens: Optional[str] = None
    after: Tuple[str, ...] = ()
    line_only: bool = False
    body_inline: Tuple[str, ...] = ()
    line_pattern: Optional[str] = None
    furniture: bool = False
    page: bool = False


_PUBLISHED = label("publiée au JO le") + SEP
# a label is not the object of a sentence: "pendant cette 15e législature", "à la question
# écrite n° 12" inside a value are not labels
_NOT_AFTER_DETERMINER = "".join(f"(?<!{word} )" for word in (
    "la", "une", "cette", "sa", "ma", "ta", "leur", "notre", "votre", "chaque"))
# (the determiners are checked once the start looks like a label: most places where a rule is
# tried are not, and ten look-behinds cost more than the look-ahead)
_LEG = (NOT_IN_WORD + r"(?=(?:\d{1,2}|[IVXL]{1,6})[ ]?(?:i?[eèé?\ufffd]me|è|e|°)?[ ]{1,3}l)"
        r"(?-i:(?<!questions ))" + _NOT_AFTER_DETERMINER + r"(?P<v>\d{1,2}|[IVXL]{1,6})"
        r"[ ]?(?:i?[eèé?\ufffd]me|è|e|°)?[ ]{1,3}" + label("législature"))
_NUMBER = label("Question N°") + r"[ ]{0,3}:?"
# inside a body, a legislature starts the next question of a dump at a line start, when it
# stands alone on its line or (one-line old layout) "Question N° <number>" follows it at once
_LEG_LINE = _LEG + r"(?=[ ]{0,400}(?:\n|\Z)|[ ]{1,3}" + _NUMBER + r"[ ]{0,3}\d)"
# ... and a number line when it is one: a capital "Question", its number, then the end of the
# line or the author ("de M. …"); a wrapped body may well put "question no 1340." at a line
# start
_NUMBER_LINE = (r"(?-i:Q)" + _NUMBER[len(NOT_IN_WORD) + 1:] + r"(?=[ ]{0,3}\d{1,7}(?:[ ]{0,400}"
                r"(?:\n|\Z)|[ ]{1,3}(?:de|\()))")
# one-line text (a whole dump or page flattened): inside a body, the next question starts
# mid-line at its legislature when "Question N° <number>" follows it at once
_LEG_INLINE = (r"(?P<v>[1-9][0-9]?)"
               # not the object of a sentence ("de la 15e législature Question N° 12…")
               + "".join(f"(?<!{word} [1-9])(?<!{word} [1-9][0-9])" for word in (
                   "la", "une", "cette", "sa", "ma", "ta", "leur", "notre", "votre", "chaque"))
               + r"(?:ème|e|è)[ ]{1,3}[Ll][ée]gislature"
               r"(?=[ ]{1,3}Question[ ]{1,3}[Nn][°º][ ]{0,3}:?[ ]{0,3}\d)")
_HEADING_KINDS = r"(?:[eéèêë?\ufffd]crite|orale[ ]sans[ ]d[ée]bat|orale|au[ ]gouvernement)"
_HEADING = (NOT_IN_WORD + r"(?-i:Q)uestion[ ]{1,3}" + _HEADING_KINDS
            + r"[ ]{1,3}n[°º][ ]{0,3}(?=\d{1,7}[ ]{0,3}(?:\n[ ]{0,40})?:)")
_HEADING_LINE = (_HEADING + r"(?=\d{1,7}[ ]{0,3}:[^\n]{0,300}\n[ \n]{0,40}"
                 r"(?:\d{1,2}|[IVXL]{1,6})[ ]?(?:i?[eèé]me|è|e)[ ]{1,3}l)")
_HEADING_INLINE = (r"Question[ ]" + _HEADING_KINDS + r"[ ]n[°º][ ]?(?=\d{1,7}[ ]?:[^\n]{1,300}?"
                   r"[ ]\d{1,2}(?:ème|e|è)[ ][Ll]égislature)")
# the old pages' "DEBAT :" heading has its colon, or stands alone on its line: a debate
# paragraph may well start with "DÉBAT NATIONAL SUR …"
_ANSWER_HEAD = (r"(?:" + label("Texte de la réponse") + SEP
                + r"|(?-i:D[EÉ]BAT)(?:[ ]{0,3}:|(?=[ ]{0,400}(?:\n|\Z))))")

def _capitalised(words: str) -> str:
    """A one-line form of a label, capitalised as the site writes it (a capital in the
    middle of a sentence is a heading), blanks and accents loose; its first letter a literal,
    for the body's search."""
    loose = label(words)[len(NOT_IN_WORD):]
    first = words[0]
    assert loose.startswith(first), words
    return first + loose[len(first):]


# the civilities that start an author's name after "de" (the author's rule, and a question's
# number followed by its author)
_AUTHOR_CIVILITY = r"M\.?|MM\.|Mme\.?|Mlle\.?|Monsieur|Madame|Mademoiselle"

RULES: Tuple[Rule, ...] = (
    Rule("legislature", _LEG, in_body=True, body_pattern=_LEG_LINE, body_inline=(_LEG_INLINE,)),
    # "Question N°" is a label at a line start, or right after the legislature (the one-line
    # old layout); elsewhere ("… à la question n° 1893" in a title) it is part of a value
    Rule("number", _NUMBER, line_only=True, in_body=True, body_pattern=_NUMBER_LINE),
    Rule("number", _NUMBER, after=("legislature",)),
    # the current site's title line, "Question écrite n°200 : Agriculture biologique": the
    # kind, the number and the title (before the long kind, which it starts with)
    Rule("heading", _HEADING, in_body=True, body_pattern=_HEADING_LINE,
         body_inline=(_HEADING_INLINE,)),
    Rule("author", NOT_IN_WORD + r"de(?=[ \n]{1,10}(?:" + _AUTHOR_CIVILITY + r")[ \n])",
         after=("number",)),
    # the long kind as a label is capitalised and not after a determiner
    Rule("kind", NOT_IN_WORD + r"(?=(?-i:(?=Q))" + label("Question") + BLANK + "[eéèêë?\ufffdoa])"
         + _NOT_AFTER_DETERMINER + r"(?P<v>" + label("Question")
         + BLANK + "(?:" + "|".join(label(k) for k in (
             "écrite", "orale sans débat", "orale avec débat", "au gouvernement", "orale"))
         + "))"),
    Rule("kind", NOT_IN_WORD + r"(?-i:(?P<v>QE|QOSD|QG|QOAD))(?![\w])",
         after=("number", "author")),
    Rule("ministry_asked", label("Ministère interrogé") + SEP),
    Rule("ministry_assigned", label("Ministère attributaire") + SEP),
    Rule("rubrique", **word_label("Rubrique")),
    Rule("tete_analyse", label("Tête d'analyse") + SEP),
    Rule("analyses", **word_label("Analyse")),
    Rule("title", **word_label("Titre")),
    Rule("question_published", label("Question") + BLANK + _PUBLISHED),
    Rule("answer_published", label("Réponse") + BLANK + _PUBLISHED),
    Rule("attribution_change", label("Date de changement d'attribution") + SEP),
    Rule("signalement", label("Date de signalement") + SEP),
    Rule("renewal", label("Date de renouvellement") + SEP),
    Rule("withdrawal", label("Question retirée") + r"(?:" + BLANK + label("le") + r")?" + SEP),
    Rule("erratum_question", label("Erratum de la question") + BLANK + label("publié au JO le") + SEP),
    Rule("erratum_answer", label("Erratum de la réponse") + BLANK + label("publié au JO le") + SEP),
    Rule("question_text", label("Texte de la question") + SEP, opens="question"),
    # inside a question body: at a line start, or mid-line written as a heading with its colon
    Rule("answer_text", _ANSWER_HEAD, opens="answer", in_body=True,
         body_inline=(r"Texte de la R[EÉ]PONSE[ ]{0,3}:", r"Texte de la r[ée]ponse[ ]{0,3}:",
                      _capitalised("Texte de la réponse") + "(?=[ \\n]|\\Z)",
                      r"D[EÉ]BAT[ ]{0,3}:")),
    # the site's button in the empty answer area of a pending question, copied with the page:
    # not an answer; recognised only as a whole line
    Rule("site_button", r"(?:\(BUTTON\)[ ]{0,3})?" + label("Être alerté(e) de la réponse")
         + r"[ ]{0,400}(?=\n|\Z)",
         line_only=True, in_body=True,
         body_inline=(r"Être alerté\(e\) de la réponse", r"[(]BUTTON[)] Être alerté\(e\) de la réponse")),
)

# The current site's /dyn/ pages as a browser copies them: a title line "Question écrite
# n°200 : Agriculture biologique", long dates ("du 26 juillet 2022, page 3501"), the author
# with the place first ("Question de : Mme X (Ile-de-France - Renaissance)") then the
# question, "Réponse publiée le <date>" then the answer, and a "Données clés" box that
# repeats them with the rubrique and the ministries. A label with its value inline that
# ``opens`` a body is followed by that body.
# (a text browser may wrap a line inside a date, or before it; up to 12 blanks: its link
# number, blanked, may stand before a date)
_GAP = r"(?:[ ]{1,12}|[ ]{0,12}\n[ ]{0,200})"
_DATE = (r"(?:\d{1,2}/\d{1,2}/\d{4}|(?:1er|\d{1,2})" + _GAP + r"[^\W\d_]{3,9}\.?" + _GAP
         + r"\d{4})")
_DATED = _GAP + r"(?P<v>" + _DATE + ")"
_ANSWERED = (label("Réponse publiée le") + _DATED,
             label("Réponse en séance, et publiée le") + _DATED)
# (it starts at its comma or its first word, never on a blank: the scanner tries a rule at
# every blank, and a run of blank lines would be tried again and again)
_ASKED_IN_SESSION = r"(?:," + BLANK + "?)?" + label("posée en séance, et publiée le") + _DATED


_KEY_DATE = r"[ \n]{1,400}(?:" + label("Question publiée le") + "|" + label("Réponse publiée le") \
    + r")(?:[ ]{1,12}|[ ]{0,12}\n[ ]{0,200})" + _DATE

RULES += (
    Rule("question_published_jo", label("Publication de la question au Journal Officiel du")),
    Rule("answer_published_jo", label("Publication de la réponse au Journal Officiel du")),
    # (a text browser may wrap its parenthesis to the next line when the name is long, or the
    # name itself when the lines are narrow: then "(place - group)" follows it there)
    Rule("author_place_first", label("Question de") + r"[ ]{0,60}:[ ]{0,200}(?:\n[ ]{0,200}){0,6}"
         r"(?P<v>[^\n(]{1,160}(?:\([^()]{0,200}\)|\n[ ]{0,200}(?:[^\n(]{1,160}(?:\n[ ]{0,200})?)?"
         r"\([^()]{0,200}[ \n][-–][ \n][^()]{0,200}\))?)",
         opens="question"),
    Rule("author_place_first", label("Auteur") + r"[ ]{0,60}:", line_only=True),
    Rule("author_place_first", label("Auteur") + r"[ ]{0,60}:", after=("key_data",)),
    # a QG: ", posée en séance, et publiée le <date>", then the debate, which is its answer
    Rule("asked_in_session", _ASKED_IN_SESSION, opens="answer", in_body=True,
         body_inline=(r"," + BLANK + "?" + label("posée en séance, et publiée le")[len(NOT_IN_WORD):]
                      + _DATED,)),
    # (in one-line text, mid-line after a sentence's end)
    Rule("answer_dated", _ANSWERED[0], opens="answer", in_body=True,
         body_inline=(_capitalised("Réponse publiée le") + _DATED,)),
    Rule("answer_dated", _ANSWERED[1], opens="answer", in_body=True,
         body_inline=(_capitalised("Réponse en séance, et publiée le") + _DATED,)),
    # the box's heading: what follows it stands under the box's own labels
    Rule("key_data", "(?P<v>" + label("Données clés") + ")", in_body=True,
         body_pattern="(?P<v>" + label("Données clés") + r")[ ]{0,400}(?=\n|\Z)",
         body_inline=(r"Données clés(?=[ ]{1,3}(?:[_\u2500-\u257f]{6,400}[ ]{1,3})?Auteur[ ]{0,3}:)",)),
    Rule("question_type", label("Type de question") + r"[ ]{0,60}:"),
    Rule("ministry_assigned", label("Ministère répondant") + SEP),
    # the box's own date lines, taken with their label so they do not open a body again
    Rule("key_dates", label("Dates") + r"(?:[ ]{0,200}\n){0,3}[ ]{0,200}:(?P<v>(?:" + _KEY_DATE
         + "){1,4})"),
    Rule("session_date", label("Date de la séance") + r"[ ]{0,60}:"),
)

# The old "FICHE QUESTION" pages end with a hidden block of codes that ``get_text()``, lynx or
# ``text_content()`` show after the answer: group abbreviation, legislature, closure code,
# region, answered (O/N) — "SOC 8 REP_PUB Nord-Pas-de-Calais O", a value a line or all on
# one. It is read (``extract``) as the page's markup is; it is the end of a page: the end of
# the text or the next page follows it.
_CODES = (r"(?P<v>(?:[A-Z][A-Za-z0-9.&-]{0,11}[ \t\n]{1,12})?[1-9][0-9]?[ \t\n]{1,12}"
          r"[A-Z][A-Z0-9_]{0,15}[ \t\n]{1,12}(?:[A-ZÀ-Ý][^\n]{0,60}?[ \t\n]{1,12})?[ON])")
# ... or all five at the end of a line after other text, whatever comes on the next line
# (``get_text(" ", strip=True)`` puts a whole page on one line, lynx glues them to the
# answer's last line: a note after them was read as the answer)
# (strictly: a group in capitals, one of the old layout's legislatures (7th to 11th), a code
# of two characters or more, a region of words alone, its first capitalised, so that an
# answer's line "… la RN 12 A Rennes, puis sur la N" or "… le réseau RER 2 SNCF Ile-de-France
# N" is not taken for them. Words apart by blanks, each quantifier bounded: one way to read a
# line, which fails at once when it is not the codes)
_ALL_CODES_AT_LINE_END = (r"[A-Z][A-Z0-9.&-]{0,11}[ \t\n]{1,12}(?:[7-9]|1[01])[ \t\n]{1,12}"
                          r"[A-Z][A-Z0-9_]{1,15}[ \t\n]{1,12}"
                          r"[A-ZÀ-Ý][\w'’-]{0,40}(?:[ ]{1,3}[\w'’-]{1,40}){0,6}"
                          r"[ \t\n]{1,12}[ON][ \t]*(?:\n|\Z)")
_CODES_MID_LINE = (f"(?:(?={_ALL_CODES_AT_LINE_END})|(?={_CODES.replace('(?P<v>', '(?:')}"
                   f"{furniture.NEXT_PAGE})){_CODES}")
RULES += (
    # a block of lines of its own (what follows it, the next page or a note, on a line of its
    # own too); mid-line (one-line text), only before the end of the text or the next page,
    # or all five at a line's end
    Rule("fiche_codes", r"(?-i:" + _CODES + r"(?=[ \t]*(?:\n|\Z)))", line_only=True, in_body=True,
         body_inline=(_CODES_MID_LINE,), page=True),
)

# The site's furniture (``aqparse.furniture``): what ends a question (at a line start, and
# in its one-line forms inside a body), then the rest, looked for only between questions.
FURNITURE_RULES: Tuple[Rule, ...] = tuple(
    Rule("furniture", f"(?-i:(?P<v>(?:[*•·+][ ]{{1,6}})?(?:{end.pattern})))", line_only=True,
         in_body=True, body_inline=end.inline, page=True)
    for end in furniture.ENDS) + tuple(
    # ... and in a header value of one-line text, where it ends the value
    Rule("furniture", f"(?-i:(?P<v>{'|'.join(end.inline)}))", page=True) for end in furniture.ENDS
    if end.inline) + tuple(
    Rule("furniture", f"(?-i:(?P<v>{furniture.LEAD}(?:{piece.pattern})))", line_only=piece.line,
         furniture=True, page=True)
    for piece in furniture.PIECES) + tuple(
    Rule("furniture", f"(?-i:(?P<v>{pattern}))", line_only=True, page=True)
    for pattern in furniture.VALUE_ENDS) + tuple(
    Rule("furniture", f"(?-i:(?P<v>{pattern}))", page=True)
    for pattern in furniture.VALUE_ENDS_INLINE) + (
    Rule("furniture", f"(?-i:(?P<v>{furniture.RUN}))", furniture=True, page=True),)
RULES += FURNITURE_RULES

# Words that start a line inside a known field's value in copied pages ("page :" on its own
# line in the old layout): not unknown labels.
_NOT_LABELS = ("page", "le", "de")
# A label the vocabulary does not know: at a line start, a capitalised run of words, then '>'
# or ':'. Looked for in the header only; its value goes to ``extra``.
_UNKNOWN = (r"(?!(?:" + "|".join(_NOT_LABELS) + r")\b)"
            r"(?P<v>(?-i:[A-ZÀ-Ý])[^\W\d_](?:[^\W\d_]|['’ -]){0,46}?)[ ]{0,3}(?:>|:)(?![/\d])")


class Token(NamedTuple):
    name: str      # rule name, or 'unknown' (label not in RULES), 'unlabelled' (text under no label)
    label: str     # the label as written ('' for unlabelled text)
    value: str     # the raw text of the value (inline value, or up to the next label)
    start: int     # offset of the label in the text
    end: int       # offset where the value ends
    line: int      # 1-based line of the label


# group name -> (rule, or None for an unknown label; group of its inline value, if any)
_BY_GROUP: dict = {}


def _named(prefix: str, index, rule: Optional[Rule], pattern: str) -> str:
    name = f"{prefix}{index}"
    inline = f"{name}v" if "(?P<v>" in pattern else None
    _BY_GROUP[name] = (rule, inline)
    return f"(?P<{name}>{pattern.replace('(?P<v>', f'(?P<{name}v>')})"


def _alternation(rules: Sequence[Tuple[int, Rule]], attr: str, prefix: str,
                 unknown: bool = False, after_blank: bool = False) -> str:
    """The rules as one alternation, dispatched on the first character: each branch is
    guarded by the class of characters its rules can start with, so at a given position the
    engine tries only the few rules that can match there (rule order is kept within a
    branch). A rule whose first characters cannot be worked out is tried everywhere.
    ``after_blank``: the scanner only tries the rules after a blank or at the start of the
    text, where a rule's leading word-start check always holds; it is left out."""
    entries = [(index, rule, getattr(rule, attr) or rule.pattern) for index, rule in rules]
    if after_blank:
        entries = [(index, rule, pattern[len(NOT_IN_WORD):]
                    if pattern.startswith(NOT_IN_WORD) else pattern)
                   for index, rule, pattern in entries]
    firsts = [first_chars(pattern) for _, _, pattern in entries]
    # one branch per set of candidate rules; a character and its other case share a branch
    # (a rule that cares about case checks it itself), which keeps the regex small
    by_candidates: dict = {}
    for char in sorted({c.lower() for f in firsts if f is not None for c in f}, key=_frequent):
        variants = {char, char.upper()}
        key = tuple(k for k, f in enumerate(firsts) if f is None or variants & f)
        by_candidates.setdefault(key, set()).update(variants)
    branches = []
    for b, (key, chars) in enumerate(by_candidates.items()):
        alternatives = "|".join(_named(f"{prefix}{b}_", *entries[k]) for k in key)
        branches.append(f"(?-i:(?=[{''.join(map(re.escape, sorted(chars)))}]))(?:{alternatives})")
    anywhere = [k for k, f in enumerate(firsts) if f is None]
    if anywhere:
        branches.append("|".join(_named(f"{prefix}x_", *entries[k]) for k in anywhere))
    starts = set().union(*(chars for chars in by_candidates.values()))
    if unknown:   # last: tried where no known label matched
        branches.append(_named(prefix, "unknown", None, _UNKNOWN))
        starts |= first_chars(_UNKNOWN) or {""}
    if anywhere or "" in starts:
        return "|".join(branches)
    # one check first for all the branches: most positions tried (a blank line, a line of
    # text) start no label at all
    return f"(?-i:(?=[{''.join(map(re.escape, sorted(starts)))}]))(?:{'|'.join(branches)})"


# The branches are tried in turn, and a label's first character selects exactly one of them:
# the letters that start the most labels go first.
_FREQUENT_FIRST = "qmrtad0123456789"


def _frequent(char: str):
    rank = _FREQUENT_FIRST.find(char)
    return (rank if rank >= 0 else len(_FREQUENT_FIRST), char)


@functools.lru_cache(maxsize=None)    # (a rule's pattern is read by several scanners)
def first_chars(pattern: str) -> Optional[frozenset]:
    """The characters a match of ``pattern`` (case-insensitive) can start with, or None when
    that cannot be worked out. Reads the parsed pattern of the standard ``re`` module."""
    try:
        parsed = _sre_parse.parse(pattern, re.IGNORECASE)
    except Exception:   # an internal API: never let it break the import
        return None
    found = _first(list(parsed), re.IGNORECASE)
    return None if found is None or found[1] else frozenset(found[0])


def _cased(char: str, flags: int) -> set:
    return {char, char.lower(), char.upper()} if flags & re.IGNORECASE else {char}


def _first(items, flags):
    """(first characters, may match empty) of a parsed sequence, or None if unknown."""
    c = _sre_constants
    out: set = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op is c.SUBPATTERN:
            sub_flags = (flags | av[1]) & ~av[2]
            found = _first(list(av[3]), sub_flags)
        elif op is c.BRANCH:
            results = [_first(list(alt), flags) for alt in av[1]]
            if any(r is None for r in results):
                return None
            found = (set().union(*(r[0] for r in results)), any(r[1] for r in results))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            found = _first(list(av[2]), flags)
            if found is not None and av[0] == 0:
                found = (found[0], True)
        elif op is c.LITERAL:
            found = (_cased(chr(av), flags), False)
        elif op is c.IN:
            chars: set = set()
            for item_op, item in av:
                if item_op is c.LITERAL:
                    chars |= _cased(chr(item), flags)
                elif item_op is c.RANGE:
                    for code in range(item[0], item[1] + 1):
                        chars |= _cased(chr(code), flags)
                elif item_op is c.CATEGORY and item is c.CATEGORY_DIGIT:
                    chars |= set("0123456789")
                else:
                    return None
            found = (chars, False)
        else:
            return None
        if found is None:
            return None
        out |= found[0]
        if not found[1]:
            return out, False
    return out, True


# Mid-line, a label follows a blank and starts with one of these (a capitalised word, or a
# legislature's number); at a line start any case will do. Each scanner starts with a plain
# character class, so the regex engine skips every other position at once: the scan is one
# linear pass in C, and Python only sees the labels.
MID_LINE_FIRST = "QRMTADEP0-9"


class _OnFirstUse:
    """A pattern compiled when it is first used (``.search`` and the like). The scanners are
    the largest patterns here, and the ones of a page's text (its furniture, its own labels)
    are never used on a dump of questions: compiled at import, they cost every process (each
    worker of a run, each command) a third of a second. Their groups are named when the
    pattern's text is built, at import, as the tokenizer's tables need."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int = 0):
        self._source, self._flags, self._compiled = source, flags, None

    def __getattr__(self, name: str):
        # (only a pattern's own attributes: a copy made without ``__init__`` asks for its
        # slots, which would come back here for ever)
        if name.startswith("_"):
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return getattr(self._compiled, name)

    def __reduce__(self):
        return (_OnFirstUse, (self._source, self._flags))


def _scanner(line_rules, line_attr, mid_rules, mid_attr, guard, unknown=False):
    line = _alternation(line_rules, line_attr, "l", unknown, after_blank=True)
    mid = _alternation(mid_rules, mid_attr, "m", after_blank=True)
    # every match starts on the blank before the label: a charset the engine skips to fast
    return _OnFirstUse(f"[ \\n](?:(?<=\\n)[ ]{{0,400}}(?:{line})"
                       f"|(?-i:(?=[{guard}]))(?:{mid}))", re.IGNORECASE)


_INDEXED = tuple(enumerate(RULES))

_HEADER_RULES = [(i, r) for i, r in _INDEXED if not r.after and not r.furniture]
# (the one-line forms of what ends a question start with characters of their own)
_ENDS_FIRST = "".join(sorted(set().union(*(
    first_chars(r.pattern) or set() for _, r in _HEADER_RULES
    if r.name == "furniture" and not r.line_only)) - set(MID_LINE_FIRST)))
_HEADER_SCAN = _scanner(_HEADER_RULES, "line_pattern",
                        [(i, r) for i, r in _HEADER_RULES if not r.line_only], "pattern",
                        MID_LINE_FIRST + re.escape(_ENDS_FIRST), unknown=True)
_TEXT_RULES = [(i, r) for i, r in _HEADER_RULES if not r.page]
_TEXT_SCAN = _scanner(_TEXT_RULES, "line_pattern",
                      [(i, r) for i, r in _TEXT_RULES if not r.line_only], "pattern",
                      MID_LINE_FIRST, unknown=True)
# Where no field is open (before a question, between two, after an inline value) the site's
# furniture is looked for too, with its own scanner, and wins over a label found at the same
# place: a page's title "Question n°45373 - Assemblée nationale" is furniture, not the label
# "Question n°". (Its rules are few but long: a scanner of their own keeps them out of the
# dispatch of the header scanner, which would copy them into many branches.)
_FURNITURE = [(i, r) for i, r in _INDEXED if r.furniture]


def _furniture_scanner(prefix: str, at_start: bool = False):
    line = "|".join(_named(f"{prefix}l", i, r, r.pattern) for i, r in _FURNITURE)
    if at_start:
        return _OnFirstUse(f"[ \t]{{0,400}}(?:{line})")
    mid_rules = [(i, r) for i, r in _FURNITURE if not r.line_only]
    mid = "|".join(_named(f"{prefix}m", i, r, r.pattern) for i, r in mid_rules)
    # mid-line, one check of the characters a piece can start with: most blanks are
    # followed by none of them
    firsts = set().union(*(first_chars(r.pattern) or {""} for _, r in mid_rules))
    guard = "" if "" in firsts else f"(?=[{''.join(map(re.escape, sorted(firsts)))}])"
    return _OnFirstUse(f"[ \n](?:(?<=\n)[ \t]{{0,400}}(?:{line})|{guard}(?:{mid}))")


_FURNITURE_SCAN = _furniture_scanner("u")
_FURNITURE_FIRST = _furniture_scanner("v", at_start=True)


# Inside a body (most of the text), searches the regex engine runs at memchr speed: line
# starts (a literal "\n" prefix), and the unmistakable mid-line forms (``body_inline``, case-
# sensitive, each beginning with a literal: one search per first character, so that the
# engine skips to that character). The rule is identified afterwards.
_BODY_RULES = [(i, r) for i, r in _INDEXED if r.in_body]


def _body_line(rules):
    alternation = _alternation(rules, 'body_pattern', 'l', after_blank=True)
    return _OnFirstUse(f"\\n[ ]{{0,400}}(?:{alternation})", re.IGNORECASE)


_BODY_LINE = _body_line(_BODY_RULES)
_TEXT_BODY_LINE = _body_line([(i, r) for i, r in _BODY_RULES if not r.page])
def _inline_forms(rule: Rule) -> str:
    """A rule's ``body_inline`` forms as one pattern; the inline value of a rule that has one
    is the whole match, unless a form says which part it is."""
    forms = "|".join(rule.body_inline)
    if "(?P<v>" in rule.pattern and "(?P<v>" not in forms:
        return f"(?P<v>{forms})"
    return forms


# (named at import, as the tables need; compiled when a body is first read, like the
# scanners: ``import aqparse`` compiles none of the text's patterns)
_BODY_INLINE_SOURCES = tuple(NOT_IN_WORD + _named("b", i, r, _inline_forms(r))
                             for i, r in _INDEXED if r.body_inline)


# The patterns compiled when first used, kept for the life of the process: not in an
# ``lru_cache``, which is for values (a value cache cleared, as a benchmark of values no cache
# has seen clears them, would compile them again)
_COMPILED: dict = {}


def _once(key, make: Callable) -> Any:
    found = _COMPILED.get(key)
    if found is None:
        found = _COMPILED[key] = make()
    return found


def _body_inline() -> Tuple[Callable, ...]:
    return _once("body_inline", lambda: tuple(re.compile(source).match
                                              for source in _BODY_INLINE_SOURCES))


_UNNAMED = re.compile(r"\(\?P<\w+>")


def _searches(forms: Sequence[str]) -> Tuple[Callable, ...]:
    """The searches for all the forms, one per literal character a form starts with (and one
    for the forms that start with a class): the regex engine skips to a literal character at
    the speed of ``memchr``, but to the union of several characters one character at a time,
    several times slower (that one search was a third of the reading of a long question).
    The earliest of their matches is the next form (``_BodyScan``)."""
    groups: dict = {}
    for form in forms:
        if not form or form[0] in "\\.^$*+?{|)":
            raise ValueError(f"a body_inline form must start with a literal or a class: {form!r}")
        groups.setdefault(_literal_first(form), []).append(form)
    return tuple(re.compile("|".join(f"(?:{_UNNAMED.sub('(?:', form)})" for form in group)).search
                 for group in groups.values())


def _literal_first(form: str) -> Optional[str]:
    """The literal character every match of ``form`` starts with, or None (a class, a group)."""
    try:
        parsed = list(_sre_parse.parse(form))
    except Exception:   # an internal API: the form is then searched with the others
        return None
    if parsed and parsed[0][0] is _sre_constants.LITERAL:
        return chr(parsed[0][1])
    return None


# The forms looked for inside a body: those of the text's own labels always; those that
# end a page only in a page's text; the legislature heading the next question on the same
# line only where a text holds one ("…législature Question N°…" on a line: one-line text):
# a digit starts them, and a body is full of digits.
_ONE_LINE_HEADS = tuple(form for _, r in _INDEXED if r.name == "legislature" for form in r.body_inline)
_PAGE_FORMS = tuple(form for _, r in _INDEXED if r.page for form in r.body_inline)
_TEXT_FORMS = tuple(form for _, r in _INDEXED if not r.page and r.name != "legislature"
                    for form in r.body_inline)


def _body_mid(page: bool, heads: bool) -> Tuple[Callable, ...]:
    return _once(("body_mid", page, heads), lambda: _searches(
        _TEXT_FORMS + (_PAGE_FORMS if page else ()) + (_ONE_LINE_HEADS if heads else ())))


_ONE_LINE_SIGN = re.compile(r"égislature[ ]{1,3}Question[ ]{1,3}[Nn][°º]")


class _BodyScan:
    """The next label inside a body: the next one at a line start, or the next of the forms
    unmistakable mid-line (``body_inline``), whichever comes first. Both are remembered until
    the reading passes them, so that a text is searched once however many bodies it holds
    (a dump of one page a line holds no line start to stop a search at); so is the next match
    of each of the forms' searches (``_searches``). A form may run on past the next line
    start (a text browser wraps a line anywhere)."""

    __slots__ = ("scan", "line_search", "mid_searches", "inline", "line", "line_from", "mid",
                 "mid_from", "mids", "mids_from")

    def __init__(self, scan: str, line_search: Callable, mid_searches: Sequence[Callable]):
        self.scan, self.line_search, self.mid_searches = scan, line_search, mid_searches
        self.inline = _body_inline()
        self.line = self.mid = None
        self.line_from = self.mid_from = -1
        self.mids = [None] * len(mid_searches)
        self.mids_from = [-1] * len(mid_searches)

    def _mid_search(self, pos: int):
        """The earliest match at or after ``pos`` of the forms' searches; each is searched
        again only once the reading has passed its remembered match."""
        mids, froms, scan = self.mids, self.mids_from, self.scan
        earliest = None
        for k, search in enumerate(self.mid_searches):
            m = mids[k]
            if froms[k] < 0 or froms[k] > pos or (m is not None and m.start() < pos):
                m = mids[k] = search(scan, pos)
                froms[k] = pos
            if m is not None and (earliest is None or m.start() < earliest.start()):
                earliest = m
        return earliest

    def next(self, resume: int):
        scan = self.scan
        if self.line_from < 0 or (self.line is not None and self.line.start() < resume):
            self.line, self.line_from = self.line_search(scan, resume), resume
        line = self.line
        stop = line.start() if line is not None else len(scan)
        pos = resume
        while True:
            if self.mid_from < 0 or (self.mid is not None and self.mid.start() < pos):
                self.mid, self.mid_from = self._mid_search(pos), pos
            mid = self.mid
            if mid is None or mid.start() >= stop:
                return line
            at = mid.start()
            for match in self.inline:
                m = match(scan, at)
                if m is not None:
                    return m
            pos = at + 1


# the start of the text is a line start too
_HEADER_FIRST_SOURCE = (
    f"[ ]{{0,400}}(?:{_alternation(_HEADER_RULES, 'line_pattern', 'l', True, after_blank=True)})")


def _header_first() -> Callable:     # (the largest pattern: a third of the import, compiled)
    return _once("header_first", lambda: re.compile(_HEADER_FIRST_SOURCE, re.IGNORECASE).match)


class _Follower(NamedTuple):
    """The rules looked for right after a token (``after``). Their window is mostly text
    where none of them can start (an author's name and group): a plain class of the
    characters they start with, which the regex engine skips along, finds the first place
    worth trying, or that there is none."""

    first: Callable      # search for a character a rule can start with
    search: Callable     # search for the rules


def _follower(rules: Sequence[Tuple[int, Rule]]) -> _Follower:
    chars = set().union(*(first_chars(r.pattern) or {""} for _, r in rules))
    pattern = re.compile(_alternation(rules, "pattern", "f"), re.IGNORECASE)
    if "" in chars:   # a start that cannot be worked out: every place is worth trying
        return _Follower(re.compile(r"[\s\S]").search, pattern.search)
    return _Follower(re.compile(f"[{''.join(map(re.escape, sorted(chars)))}]").search,
                     pattern.search)


_FOLLOWERS = {name: _follower([(i, r) for i, r in _INDEXED if name in r.after])
              for name in {n for _, r in _INDEXED for n in r.after}}
_FOLLOW_WINDOW = 400   # how far after its token a follower is looked for
_NO_VALUE_YET = frozenset(("unlabelled", "unknown"))


# the fields whose value is free words (a title, an analysis, a ministry's name), which may
# begin with a label's words
_FREE_TEXT = frozenset(("title", "tete_analyse", "analyses", "rubrique", "ministry_asked",
                        "ministry_assigned"))


def _label_words_as_value(scan: str, open_start: int, value_start: int, m: "re.Match") -> bool:
    """Whether ``m``, a label found right after a free-text label opened at ``open_start``
    (nothing but blanks between them), is rather that label's value: the open label stands
    at its line's start, ``m`` is written without a separator of its own, and stands on the
    open label's line, or at the start of the next with more words after it ("Titre >" then
    "Texte de la question prioritaire…": a body's heading stands alone on its line). A label
    with an empty value followed by another, "Rubrique > Titre > X", is two labels; so is one
    of a text of one line, whose labels stand mid-line."""
    start = m.start(m.lastgroup)
    line_start = scan.rfind("\n", 0, open_start) + 1
    if scan[line_start:open_start].strip():
        return False
    label = scan[start:m.end()]
    if _with_separator(scan, m):
        return False
    if _GIVES_ITS_VALUE.get(_GROUPS[m.lastgroup].name, _NEVER).match(
            scan, m.end(), _line_end(scan, m.end())):
        # the label's own value follows it ("Titre >" then "Question publiée au JO le
        # 02/01/2024 page 40", "Question N° 14250 de Mme X (…)"): an empty title, then that
        # label, as before; a title is not a date nor a question's number and author
        return False
    breaks = scan.count("\n", value_start, start)
    return breaks == 0 or (breaks == 1 and "\n" not in label
                           and scan[m.end():_line_end(scan, m.end())].strip() != "")


# what follows a label when it is that label's own value, not a title's words: a date for a
# dated label (a withdrawal's may be missing: its reason in brackets), a number alone or
# with its author for a question's number
_NEVER = re.compile(r"(?!)")
_DATE_VALUE = re.compile(r"[ ]{0,60}(?:" + _DATE + ")", re.IGNORECASE)
_GIVES_ITS_VALUE = {name: _DATE_VALUE for name in (
    "question_published", "answer_published", "attribution_change", "signalement", "renewal",
    "erratum_question", "erratum_answer")}
_GIVES_ITS_VALUE["withdrawal"] = re.compile(r"[ ]{0,60}(?:\(|" + _DATE + ")", re.IGNORECASE)
_GIVES_ITS_VALUE["number"] = re.compile(
    r"[ ]{0,3}\d{1,6}[ ]{0,60}(?:$|\n|de[ ]{1,10}(?:" + _AUTHOR_CIVILITY + r")(?![\w]))",
    re.IGNORECASE | re.MULTILINE)


def _after_label_words(scan: str, m: "re.Match", search) -> Optional["re.Match"]:
    """The next label after ``m``, label words taken for a value: the first after its line,
    or one on its line written with its separator ("Titre > Tête d'analyse des crédits
    Analyse > lignes": the title, then the analyses)."""
    end = _line_end(scan, m.start(m.lastgroup))
    found = search(scan, m.end())
    while found is not None and found.start(found.lastgroup) < end:
        if _with_separator(scan, found):
            return found
        found = search(scan, found.end())
    return found


def _known_within(scan: str, m: "re.Match", search) -> "re.Match":
    """An unknown label ``m`` whose last words are a known label with its separator, a value
    wrapped before that label ("Tête d'analyse >" then "RER Analyse > ligne C", as a narrow
    text browser wraps "Tête d'analyse > RER Analyse > ligne C"): the known label, as on one
    line; else ``m``."""
    inner = search(scan, m.start(m.lastgroup) + 1)
    if (inner is not None and inner.start(inner.lastgroup) < m.end()
            and not _GROUPS[inner.lastgroup].unknown and _with_separator(scan, inner)):
        return inner
    return m


def _with_separator(scan: str, m: "re.Match") -> bool:
    """Whether the label ``m`` found is written with its separator ("Analyse >", "Titre :")."""
    return scan[m.start(m.lastgroup):m.end()].rstrip().endswith((">", ":"))


def _line_end(scan: str, at: int) -> int:
    end = scan.find("\n", at)
    return len(scan) if end < 0 else end


class _Group(NamedTuple):
    """What the tokenizer needs to know of a matched group, worked out once."""

    name: str                     # the token's name
    unknown: bool                 # an unknown label (its captured words are the label)
    inline: Optional[str]         # the group of an inline value
    opens: Optional[str]          # the body token that follows an inline value, if any
    in_body_after: bool           # a body follows the label
    follower: Optional[_Follower]


def _group_info(rule: Optional[Rule], inline: Optional[str]) -> _Group:
    if rule is None:
        return _Group("unknown", True, inline, None, False, None)
    opens = f"{rule.opens}_text" if rule.opens else None
    return _Group(rule.name, False, inline, opens, rule.opens is not None,
                  _FOLLOWERS.get(rule.name))


_GROUPS = {group: _group_info(*found) for group, found in _BY_GROUP.items()}

# what ``layout.untangle`` needs to know of the vocabulary: the headings of the bodies, and
# whether a line starts with a known label
_BODY_HEADING = re.compile("[ ]{0,40}(?:" + "|".join(r.pattern for r in RULES if r.opens
                                                     and "(?P<v>" not in r.pattern) + ")",
                           re.IGNORECASE)


def _is_label_line(line: str) -> bool:
    m = _header_first()(line)
    return m is not None and not _GROUPS[m.lastgroup].unknown
_new_token = functools.partial(tuple.__new__, Token)   # Token(...) without a Python frame


def tokenize(text: str, *, offset: int = 0, first_line: int = 1,
             page: Optional[bool] = None, signs: Optional[bool] = None,
             links: Optional[bool] = None) -> Iterator[Token]:
    """Tokens of ``text`` (already decoded), lazily, in order.

    ``offset``/``first_line`` place the text inside a larger input (streamed dumps); ``page``
    says whether it is (part of) a whole page's text, when the part alone may not show it;
    ``signs``, what ``furniture.shows_page(text)`` gives, when the caller has asked it (a
    pass over the whole text saved; a part of a larger text gets the whole's as ``page``);
    ``links``, whether the whole shows lynx's link numbers (``layout.shows_links``).
    """
    odd = has_odd_characters(text)
    if page is None:
        page = furniture.shows_page(text) if signs is None else signs
    if odd and has_invisible(text):
        # (read without its invisible characters, as a page's text or not as it is written,
        # and with lynx's link numbers or not as it reads without them: a part of a dump is
        # read as the whole, whose flags it is given)
        yield from _tokenize_visible(text, offset, first_line, page, links)
        return
    text = untangle(text, _BODY_HEADING, _is_label_line, page=page, links=links)
    scan = for_matching(text, odd)
    count = scan.count
    # a whole page's text is read with the site's furniture; a dump of questions copied alone
    # without it (faster)
    header_search = (_HEADER_SCAN if page else _TEXT_SCAN).search
    header_first = _header_first()
    # (a text with no sign of a page never looks for furniture: its scanners stay uncompiled)
    furniture_search, furniture_first = ((_FURNITURE_SCAN.search, _FURNITURE_FIRST.match)
                                         if page else (None, None))
    body = _BodyScan(scan, (_BODY_LINE if page else _TEXT_BODY_LINE).search,
                     _body_mid(page, "égislature" in scan and _ONE_LINE_SIGN.search(scan) is not None))
    groups, token = _GROUPS, _new_token
    # the token being filled: name, label, label start, line, value start
    open_name, open_label, open_start, open_line, value_start = "unlabelled", "", 0, first_line, 0
    in_body = False
    follower = None
    # (no sign of a page in the text: no furniture to look for, as if searched to its end)
    piece, piece_from = None, (-1 if page else len(scan) + 1)
    header, header_from = None, -1
    line, counted = first_line, 0
    resume = 0
    while True:
        if in_body:
            m = body.next(resume)
        else:
            # the next label is remembered, as the next piece of furniture below: between
            # two labels stand many pieces of furniture (a page's menus), each a step here
            if header_from < 0 or (header is not None and header.start() < resume):
                header, header_from = header_search(scan, resume), resume
            m = (header_first(scan, 0) if resume == 0 else None) or header
            if open_name == "unlabelled":     # between questions: the site's furniture too
                # the next piece of furniture is remembered: where it is, or that there is
                # none, holds until the scan passes it (a text with none is searched once)
                if piece_from < 0 or (piece is not None and piece.start() < resume):
                    piece = (furniture_first(scan, 0) if resume == 0 else None) \
                        or furniture_search(scan, resume)
                    piece_from = resume
                if piece is not None and (m is None or piece.start(piece.lastgroup)
                                          <= m.start(m.lastgroup)):
                    m = piece
            if m is not None and groups[m.lastgroup].unknown:
                m = _known_within(scan, m, header_search)
            # a known label with nothing after it yet takes the next line as its value, even
            # one that looks like a label (old pages: "Tête d'analyse :" then
            # "Entreprises: Meurthe-et-Moselle")
            while m is not None and open_name not in _NO_VALUE_YET \
                    and groups[m.lastgroup].unknown \
                    and not scan[value_start:m.start(m.lastgroup)].strip():
                m = header_search(scan, m.end())
            # ... and a known label at a line's start takes the rest of its line as its value
            # when it begins with a label's words written without a separator ("Titre > Texte
            # de la question prioritaire…", "Titre > Ministère interrogé sur les retards")
            while m is not None and open_name in _FREE_TEXT and follower is None \
                    and not scan[value_start:m.start(m.lastgroup)].strip() \
                    and _label_words_as_value(scan, open_start, value_start, m):
                m = _after_label_words(scan, m, header_search)
            if follower is not None:    # a rule looked for right after the previous token
                window_end = m.start(m.lastgroup) if m else resume + _FOLLOW_WINDOW
                first = follower.first(scan, resume, window_end)
                if first is not None:
                    found = follower.search(scan, first.start(), window_end)
                    if found is not None:
                        m = found
        if m is None:
            break
        group = m.lastgroup
        info = groups[group]
        start = m.start(group)
        line += count("\n", counted, start)
        counted = start
        if open_name != "unlabelled":
            yield token((open_name, open_label, text[value_start:start], open_start + offset,
                         start + offset, open_line))
        elif text[value_start:start].strip():
            yield token((open_name, open_label, text[value_start:start], value_start + offset,
                         start + offset, open_line))
        end = m.end()
        if info.unknown:           # unknown label: the captured words are the label
            open_name, open_label, open_start = info.name, m.group(info.inline), start
        elif info.inline is None:
            open_name, open_label, open_start = info.name, text[start:end], start
        else:                      # the label carries its value (legislature, short kind)
            yield token((info.name, text[start:end], text[m.start(info.inline):m.end(info.inline)],
                         start + offset, end + offset, line))
            open_name, open_label, open_start = "unlabelled", "", end
            if info.opens is not None:   # "Réponse publiée le <date>" then the answer
                open_name, open_label = info.opens, text[start:end]
            else:                        # text after it starts on the line it ends on
                line += count("\n", counted, end)
                counted = end
        open_line, value_start = line, end
        in_body = info.in_body_after
        if info.name != "furniture":    # a rule between (one-line text) keeps the follower
            follower = info.follower
        resume = end if end > start else start + 1
    if open_name != "unlabelled" or text[value_start:].strip():
        yield token((open_name, open_label, text[value_start:],
                     (open_start if open_name != "unlabelled" else value_start) + offset,
                     len(text) + offset, open_line))


# -- dumps holding many questions --------------------------------------------------------------

# tokens whose value is kept as written, invisible characters and all (``_tokenize_visible``)
_AS_WRITTEN = frozenset(("question_text", "answer_text", "unlabelled", "unknown"))


def _tokenize_visible(text: str, offset: int, first_line: int,
                      page: bool, links: Optional[bool]) -> Iterator[Token]:
    """The tokens of a text holding invisible characters (a BOM or a direction mark before a
    label, a soft hyphen inside "Ministère", a zero-width space inside a number): read
    without them, so that labels, numbers and dates are found; placed back in the input (its
    offsets), and the bodies, and what is kept as given, with them."""
    seen, where = visible(text)
    if links is None:
        links = shows_links(seen)
    # what is kept as written is the text as ``untangle`` gives it back (lynx's numbers
    # blanked, a table's cells read one after another), its invisible characters where they
    # stand: as a text without them reads, and a part of a dump holding none
    untangled = untangle(seen, _BODY_HEADING, _is_label_line, page=page, links=links)
    written = _placed_back(text, seen, untangled, where) if untangled != seen else text
    for t in tokenize(seen, offset=0, first_line=first_line, page=page, links=links):
        # a token ends after its last visible character: what is invisible before the next
        # label (a BOM of the next file of a dump) is nobody's
        start = where[t.start]
        end = where[t.end - 1] + 1 if t.end > t.start else where[t.end]
        value = t.value
        if t.name in _AS_WRITTEN:
            value = _as_written(value, written, where, t.end - len(value))
        yield Token(t.name, t.label, value, start + offset, end + offset, t.line)


def _as_written(value: str, written: str, where: List[int], first: int) -> str:
    """A value read without invisible characters (at ``first`` in that reading) as written,
    its invisible characters where they stand inside it; none in the blanks that begin or
    end it: a byte order mark of the next file of a dump after a body's last line, or before
    the next page's first line, is nobody's (it made an empty answer one, "\ufeff")."""
    lead = len(value) - len(value.lstrip())
    core = len(value.rstrip())
    if core <= lead:             # blanks only (or nothing)
        return value
    return value[:lead] + written[where[first + lead]:where[first + core - 1] + 1] + value[core:]


def _placed_back(text: str, seen: str, untangled: str, where: List[int]) -> str:
    """``text`` with each of its visible characters (``seen``, at ``where`` in it) as
    ``untangled`` (``seen`` reworked, same length) has it; its invisible characters stay."""
    chars = list(text)
    for at in range(0, len(seen), 256):      # (most blocks are unchanged: compared whole)
        if seen[at:at + 256] != untangled[at:at + 256]:
            for i in range(at, min(at + 256, len(seen))):
                if seen[i] != untangled[i]:
                    chars[where[i]] = untangled[i]
    return "".join(chars)


def count_lines(text: str, start: int, end: int) -> int:
    """The line breaks in ``text[start:end]`` as the tokenizer counts them (``\\r\\n``, a lone
    ``\\r``, ``\\n`` and the others of ``str.splitlines`` are one each)."""
    breaks = text.count("\n", start, end)
    if text.find("\r", start, end) >= 0:
        breaks += text.count("\r", start, end) - text.count("\r\n", start, end)
    if has_other_breaks(text, start, end):     # U+2028, a form feed… (``decode``)
        breaks += sum(text.count(c, start, end) for c in OTHER_BREAKS)
    return breaks


# The one cutter: where a question starts, for every reader of text (``api``, ``inputs``,
# ``convert``). A question starts at its legislature line, or at its number when the
# legislature is missing, or (the current site) at its title line "Question écrite n°200 :
# …", whose legislature follows it. What stands between two questions (the end of a page,
# the next page's menus) stays with the question before; what stands before the first
# question goes with it: nothing is dropped.
HEADS = frozenset(("legislature", "number", "heading"))


class Cutter:
    """Feeds on tokens one at a time; ``starts(token)`` says whether the token starts a new
    question. The state it keeps is that of the question being read."""

    __slots__ = ("numbered", "titled")

    def __init__(self):
        self.numbered = False     # the question has its number
        self.titled = False       # ... from a title line, and its legislature is still to come

    def starts(self, token: Token) -> bool:
        name = token[0]
        if name not in HEADS:
            return False
        new = self.numbered and not (name == "legislature" and self.titled)
        if new:
            self.numbered = self.titled = False
        if name == "legislature":
            self.titled = False
        else:
            self.numbered = True
            self.titled = name == "heading"
        return new


def split_questions(tokens: Iterator[Token]) -> Iterator[List[Token]]:
    """Group a token stream into questions (``Cutter``). Tokens before the first question (a
    page's preamble) go with the first question, so nothing is dropped."""
    current: List[Token] = []
    append = current.append
    starts = Cutter().starts
    for token in tokens:
        if token[0] in HEADS and starts(token) and current:
            yield current     # the current question is complete
            current = []
            append = current.append
        append(token)
    if current:
        yield current


# Where a question may start, for ``text.find_cut``: the heads as the body's own patterns find
# them at a line start, and their one-line forms (a dump flattened to one line)
HEAD_CANDIDATES = _OnFirstUse(
    "|".join(["(?<=\n)[ ]{0,400}(?:" + _UNNAMED.sub("(?:", r.body_pattern) + ")"
              for r in RULES if r.name in HEADS and r.body_pattern]
             + ["(?-i:" + _UNNAMED.sub("(?:", form) + ")"
                for r in RULES if r.name in HEADS for form in r.body_inline]), re.IGNORECASE)
