"""The author of an open-data question, read from its text.

Open data names the author only by ``acteurRef``; the texts name them in words:

- a QE or QOSD question text opens with the author: ``Mme Christelle D'Intorni appelle
  l'attention de M. le ministre…``;
- a QG (and an answered QOSD) answer is the debate extract, where the chair gives the floor to
  the deputy who asks: ``Mme la présidente. La parole est à M. Sacha Houlié.``; when it does
  not in those words, the speaker labels say who spoke the question (``M. Sacha Houlié. …``).

The name is the one the text gives, as written (a deputy's name may change over a term: the
text gives the name of the day), without a homonym's department ("Alexandra Martin
(Gironde)"). In a debate it is the deputy who asked on the floor; in a handful of open-data
records that is not the deputy of ``acteurRef`` (a colleague asking in their stead).

    author_from_opening(text)        -> (civility, name) or None
    author_from_debate(text)         -> (civility, name) or None
    author_of(kind, question, answer) -> (civility, name, where) or None,
                                        where = "question-text" or "debate"

Never a guess: a name is returned only when it stands where the author stands, starts with a
civility and has at least two capitalised words (first name and surname). Members of the
government and the chair (``M. le ministre de…``, ``Mme la présidente``, ``M. le Premier
ministre``) have no first name after the civility and are never returned.
"""

import re
from typing import Optional, Tuple

# -- the pieces -----------------------------------------------------------------------------------

# blanks inside a line: the texts come from HTML, where no-break and thin spaces are common
_BL = r"[ \t\u00a0\u202f\u2007\u2009]"
_UP = r"A-ZÀ-ÖØ-ÞŒ"              # capitals, accented ones included (Éric, Œ)
_LETTER = r"[^\W\d_]"            # any letter
_APOS = r"['’]"

# One capitalised word of a name: Sacha, D'Intorni, Prud'homme, M'jid, O'Petit, Braun-Pivet,
# Kéclard-Mondésir, O (Delphine O), K/Bidi (Emeline K/Bidi: Réunion names keep the slash).
# Parts after a hyphen, a slash or an apostrophe may be lowercase.
_WORD = (rf"[{_UP}]{_LETTER}*(?:{_APOS}{_LETTER}+)*"
         rf"(?:[-/]{_LETTER}+(?:{_APOS}{_LETTER}+)*)*")
# Lowercase particles allowed between capitalised words (Charles de Courson, Charles de la
# Verpillière, Valéry Giscard d'Estaing). Bare "le"/"la" are not particles: "Le Foll" and
# "La Raudière" are capitalised, and a lowercase "le"/"la" after a name starts the sentence.
_PARTICLE = r"(?:de(?:" + _BL + r"+la)?|du|des|von|van|der|den|di|da|del|della|dos|ten|ter)"
_LINK = rf"{_BL}+(?:{_PARTICLE}{_BL}+)*(?:(?:de{_BL}+)?[dl]{_APOS})?"
# Greedy and with nothing after it, so the regex never backtracks to a shorter name: what
# follows the name is checked in code (``_END``).
_NAME = rf"(?P<name>{_WORD}(?:{_LINK}{_WORD})*)"

# The civilities; the plural ones (several authors) are matched so that they can be refused.
# A question text may spell them out; speaker labels and "La parole est à" never do, and in a
# speech "Madame la ministre," / "Monsieur Attal," are words addressed to someone.
_CIVILITY = (r"(?P<civ>MM\.|Mmes\b|Mlles\b|Mme\.?|Mlle\.?|Madame|Mademoiselle|Monsieur"
             rf"|M\.|M(?={_BL}))")
_SHORT_CIVILITY = r"(?P<civ>MM\.|Mmes\b|Mlles\b|Mme|Mlle|M\.)"
# the civilities the records use, "M.", "Mme", "Mlle", whichever way a source writes one
# ("Monsieur", "Madame", "M", "Mme.", "MME"): the same author reads the same from every source
_CIVILITIES = {"m": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme",
               "mlle": "Mlle", "mademoiselle": "Mlle", "mm": "MM."}


def civility(written: Optional[str]) -> Optional[str]:
    """The civility the records use for one as written (``Monsieur`` → ``M.``); another text
    as it is."""
    if written is None:
        return None
    return _CIVILITIES.get(written.strip().rstrip(".").lower(), written)

# "La parole est à M. le président Gilles Le Gendre": a group president asks a QG; the title
# is skipped only when a capitalised name follows it (the chair, "M. le président.", has none).
_TITLE = rf"(?:(?:le|la){_BL}+présidente?{_BL}+)?"

# A person as the texts write one: civility, blanks, (title), name.
_PERSON = rf"{_CIVILITY}{_BL}+{_TITLE}{_NAME}"
_SPEAKER = rf"{_SHORT_CIVILITY}{_BL}+{_TITLE}{_NAME}"

# Capitalised words that are no first name: offices, should one ever follow a civility, and
# the particles of a surname ("Mme Le Pen", "M. Di Filippo" name a deputy by surname only).
_NOT_FIRST_NAMES = frozenset({"Premier", "Première", "Président", "Présidente", "Ministre",
                              "Secrétaire", "Le", "La", "Les", "L", "De", "Du", "Des", "D",
                              "Di", "Da", "Del", "Van", "Von", "El"})
_NAME_WORD = re.compile(rf"[{_UP}]\S*")

# What may follow a name: punctuation, the end of the line or text, or a lowercase word (the
# verb, "pour le groupe", "et"…). A capital, a digit or a quote after it means we misread.
_END = re.compile(rf"{_BL}*(?:[,.;:()\[\]!?–—]|\r|\n|\Z)|{_BL}+(?:-|[a-zß-öø-ÿœ])")

# -- the three places a name stands ---------------------------------------------------------------

# The opening words of a question text (leading blanks and lines allowed).
_OPENING = re.compile(rf"\s*{_PERSON}")
# "La parole est à …", also mid-sentence ("…s'étant exprimé, la parole est à…"), with an
# adverb ("La parole est maintenant à"), without accent in old texts ("est a").
_FLOOR = re.compile(rf"[Ll]a{_BL}+parole{_BL}+est{_BL}+(?:(?:maintenant|donc|enfin){_BL}+)?"
                    rf"[àa]{_BL}+")
_FLOOR_TO = re.compile(_SPEAKER)        # who the floor is given to, right after
# a member of the government the chair names with the office: "La parole est à Mme Élisabeth
# Borne, Première ministre.", "… à M. Gabriel Attal, ministre de l'éducation."
_OFFICE = re.compile(rf"{_BL}*,{_BL}*(?:(?:Premi[eè]re?|premi[eè]re?){_BL}+ministre|ministre|"
                     rf"secr[ée]taire{_BL}+d.[ÉE]tat|garde{_BL}+des{_BL}+sceaux|"
                     rf"haut[e]?{_BL}+commissaire|porte-parole{_BL}+du{_BL}+[Gg]ouvernement)")
# Homonyms are told apart by their department: "Mme Alexandra Martin (Gironde)."; the name
# is given without it.
_PLACE = rf"(?:{_BL}*\([^()\n]{{1,40}}\))?"
# A speaker label at the start of a paragraph: "M. Sacha Houlié. Avant d'interroger…", maybe
# with a stray space before the period. A member of the government is labelled with a title
# after a comma ("M. Edouard Philippe, Premier ministre.") and so never matches.
_LABEL = re.compile(rf"(?:^|\n){_BL}*{_SPEAKER}{_PLACE}{_BL}*\.(?={_BL}|\n|\Z)")
# A member of the government's label: a title after a comma ("M. Gabriel Attal, ministre…").
_GOVERNMENT_LABEL = re.compile(rf"(?:^|\n){_BL}*{_SPEAKER}{_BL}*,")
# Where a speech ends: the next speaker label, of anyone: the chair ("Mme la présidente."),
# a named speaker ("M. Pierre Cordier.", "Mme Élisabeth Borne, ministre…"), an unnamed one
# ("Un député du groupe LR.", "Plusieurs députés…"). A paragraph of the speech may start with
# "Mme la ministre de la santé a agité…": that is no label, and does not end the speech.
_ANYONE = _SPEAKER.replace("?P<civ>", "?:").replace("?P<name>", "?:")
_TURN = re.compile(
    rf"\n{_BL}*(?:{_ANYONE}{_PLACE}{_BL}*[.,]"
    rf"|(?:M\.|Mme){_BL}+(?:le|la){_BL}+présidente?{_BL}*\."
    rf"|Une?{_BL}+députée?|(?:Plusieurs|Des|De{_BL}+nombreux|Quelques){_BL}+députés)")
# A question to the government lasts two minutes (some 1,500 characters); an interruption is
# a sentence. Below this, the longest speech before the answer is not taken for the question.
_QUESTION_LENGTH = 400


def _person(match: "re.Match[str]", text: str) -> Optional[Tuple[str, str]]:
    """(civility, name) from a match of ``_PERSON``, or None when it is not one named deputy."""
    civility = _CIVILITIES.get(match.group("civ").rstrip(".").lower())
    if civility is None or civility == "MM.":     # MM., Mmes, Mlles: several people
        return None
    name = match.group("name")
    words = _NAME_WORD.findall(name)
    # at least a first name and a surname
    if len(words) < 2 or words[0].split("'")[0].split("’")[0] in _NOT_FIRST_NAMES:
        return None
    if not _END.match(text, match.end("name")):
        return None
    return civility, " ".join(name.split())


def author_from_opening(text: Optional[str]) -> Optional[Tuple[str, str]]:
    """(civility, name) read from a QE/QOSD question text's opening words, e.g.
    "Mme Christelle D'Intorni appelle l'attention de M. le ministre…" -> ("Mme", "Christelle
    D'Intorni"); "M. Charles de Courson attire l'attention…" -> ("M.", "Charles de Courson").
    None when the opening does not give a name."""
    if not text:
        return None
    match = _OPENING.match(text)
    return _person(match, text) if match else None


def _floor_given(text: str) -> Tuple[Optional[Tuple[str, str]], int, int]:
    """The first deputy given the floor and where; and where the floor is first given to
    someone else (a minister, the Prime minister), -1 when it never is."""
    other = -1
    for floor in _FLOOR.finditer(text):
        match = _FLOOR_TO.match(text, floor.end())
        found = _person(match, text) if match else None
        if found and _OFFICE.match(text, match.end()):
            found = None           # a member of the government, not the deputy who asks
        if found:
            return found, floor.start(), other
        if other < 0:
            other = floor.start()
    return None, -1, other


def _speech(text: str, label: "re.Match[str]") -> int:
    """How long the speech that a speaker label starts is, up to the next speaker."""
    turn = _TURN.search(text, label.end())
    return (turn.start() if turn else len(text)) - label.end()


def _long_speech(text: str, labels: "re.Pattern[str]") -> int:
    """Where the first speech as long as a question starts, under one of these labels."""
    for label in labels.finditer(text):
        if _speech(text, label) >= _QUESTION_LENGTH:
            return label.start()
    return -1


def _main_speaker(text: str, answer: int) -> Optional[Tuple[str, str]]:
    """The deputy who speaks longest before ``answer`` (the government's answer; -1: none),
    when that is long enough to be a question rather than an interruption."""
    spoken = {}
    for label in _LABEL.finditer(text):
        if 0 <= answer <= label.start():
            break
        found = _person(label, text)
        if found:
            spoken[found] = spoken.get(found, 0) + _speech(text, label)
    if not spoken:
        return None
    best = max(spoken, key=spoken.get)
    return best if spoken[best] >= _QUESTION_LENGTH else None


def author_from_debate(text: Optional[str]) -> Optional[Tuple[str, str]]:
    """(civility, name) of the deputy who asks, read from a QG (or QOSD) debate extract.

    The first "La parole est à" that names a deputy (civility then a capitalised first name,
    never a minister, the chair or "M. le Premier ministre"), unless the floor was given to the
    government before it. Otherwise (the extract starts with the deputy already speaking, or
    the chair gave the floor in other words: "Vous avez la parole, monsieur Leclerc"), the
    deputy whose labelled speech before the government's answer is longest, if it is as long
    as a question: the first label alone is not safe, since a heckler often speaks before the
    asker ("M. Pierre Cordier. C'est LR qui a gagné !"). None when neither names anyone."""
    if not text:
        return None
    found, at, other = _floor_given(text)
    if found and (other < 0 or other > at):
        return found
    # where the government's answer starts: the floor given to it, else its first long speech
    # (a minister may interrupt the question with a sentence)
    answer = other if other >= 0 else _long_speech(text, _GOVERNMENT_LABEL)
    return _main_speaker(text, answer)


def author_of(kind: Optional[str], question_text: Optional[str],
              answer_text: Optional[str]) -> Optional[Tuple[str, str, str]]:
    """(civility, name, where) with where = "question-text" or "debate": QE and QOSD from the
    opening first, then (QOSD) the debate; QG from the debate. None when neither names the
    author."""
    if kind in ("QE", "QOSD"):
        found = author_from_opening(question_text)
        if found:
            return found + ("question-text",)
    if kind in ("QG", "QOSD"):
        found = author_from_debate(answer_text)
        if found:
            return found + ("debate",)
    return None
