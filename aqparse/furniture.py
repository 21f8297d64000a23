"""furniture: what the text of a whole page holds besides its question.

A scraper's ``get_text()``, a browser's "select all", ``lynx -dump`` or ``text_content()`` of a
page of questions.assemblee-nationale.fr give its question amid the site's menus, breadcrumb,
buttons, footer and scripts. These rows say what that furniture looks like, so that the
tokenizer (``tokenize.RULES`` gets one rule per row) reads it as furniture: never a question,
never a body, never text under no label. Text outside a question that no row knows is
still reported (``unlabelled-text``), so nothing is lost without a word.

- ``PHRASES``: the site's menu and footer items, read as *runs*: one or more items with only
  blanks, separators (``|``, ``*``, ``•``) and tool marks between them, glued or not (``get_text()``
  glues ``LCPAccédez à toute``). Looked for only where no field is open (between questions),
  so a rubrique or a title that happens to be a menu word is never taken.
- ``PIECES``: patterns of their own (page titles, breadcrumbs, buttons, link lists, rules,
  script lines), each a row.
- ``ENDS``: what the site puts right after a question (the print buttons, the footer's first
  items, the next page's skip link). Inside a body they are looked for at a line start, and
  in the one-line forms of ``inline`` anywhere, so that a body ends where the page's furniture
  starts.

Only the site's own words are listed: the vocabulary of every page of the site, not of one.
"""

import re
from typing import NamedTuple, Tuple

# What shows that a text holds a whole page (its furniture is looked for only then: a dump of
# questions copied alone never pays for it): the site's name, in every page's title, menus or
# footer, the print buttons, the current pages' box of key data (pandoc 3 keeps none of the
# rest of them); on the old "FICHE QUESTION" pages, which show none of that, their headings
# in capitals, which the text layout does not write. Plain strings: ``str.find`` looks for
# them far faster than a regex would.
OLD_PAGE_SIGNS = ("Texte de la QUESTION", "Texte de la REPONSE", "DEBAT")
PAGE_SIGNS = ("Assemblée nationale", "Format PDF", "Données clés") + OLD_PAGE_SIGNS


# (a table a text browser drew with borders is a page's: its words may be cut by them)
_ALL_SIGNS = PAGE_SIGNS + ("│", "┃")
_NO_BREAK_SIGNS = tuple(sign.replace(" ", "\xa0") for sign in _ALL_SIGNS if " " in sign)
# ... drawn in ASCII: "+-----+" and "|-----+-----|", a "+" with "---" before it
ASCII_RULE_SIGN = "---+"
SIGN_CHARS = max(map(len, _ALL_SIGNS + (ASCII_RULE_SIGN,)))


def shows_page(text: str) -> bool:
    """Whether ``text`` shows a sign of a whole page of the site, as written: one with an
    invisible character inside it is none (looking for them without those would cost every
    text beyond Latin-1 a scan more); a text holding invisible characters keeps this answer
    when the tokenizer reads it without them, so its parts answer as the whole does."""
    return any(sign in text for sign in _ALL_SIGNS) or _shows_ascii_rule(text) or (
        # (a page copied with no-break spaces for its blanks, as some browsers copy it)
        "\xa0" in text and any(sign in text for sign in _NO_BREAK_SIGNS))


def _shows_ascii_rule(text: str) -> bool:
    """Whether ``text`` holds "---+": each "+" found (a search for one character runs at
    the speed of ``memchr``; for the four characters, ten times slower on a dump of
    questions, which seldom holds a "+") and the characters before it read."""
    at = text.find("+", 3)
    while at >= 0:
        if text.startswith(ASCII_RULE_SIGN[:-1], at - 3):
            return True
        at = text.find("+", at + 1)
    return False


# -- the site's menus and footer, item by item (2019-2024 layout) ----------------------------------

PHRASES: Tuple[str, ...] = (
    # skip links, language switch, logo
    "Aller au contenu", "Aller en bas de la page", "Aller à la navigation",
    "Basculer vers le site en anglais", "Basculer vers le site en allemand",
    "Accèder à la page d'accueil", "Accéder à la page d'accueil", "Assemblée nationale",
    "Logo LCP Assemblée nationale", "Logo Assemblée nationale", "printer-icon", "pdf",
    # the main menu
    "Accueil", "Vos députés", "Travaux parlementaires", "Connaître l'Assemblée",
    "Découvrir les lieux", "Mon compte", "Présidence", "577 députés", "Groupes politiques",
    "Élections législatives", "Séance publique", "Commissions et autres organes",
    "Europe et International", "Contrôle et évaluation", "Congrès", "Pétitions",
    "Documents parlementaires", "Projets de loi", "Propositions de loi", "Amendements",
    "Textes adoptés", "Rapports d'information", "Rapports d'enquête", "Rapports législatifs",
    "Rapports sur l'application des lois", "Baromètre de l'application des lois",
    "Dossiers législatifs", "Budget et sécurité sociale", "Questions écrites et orales",
    "Comptes rendus des débats", "Rôle et pouvoirs de l'Assemblée",
    "Fiches « Connaissance de l'Assemblée »", "Organisation de l'Assemblée",
    "Conférence des Présidents", "Bureau", "Collège des Questeurs", "Services",
    "Statistiques et chiffres clés", "Transparence et déontologie", "Documents de référence",
    "( Constitution | Règlement de l'Assemblée | Règlement du Congrès ... )",
    "( Constitution | Règlement de l'Assemblée ... )", "Histoire", "Juniors",
    "Anciennes législatures", "Liens vers les sites publics", "Visiter l'Assemblée",
    "Visite virtuelle du palais Bourbon", "Assister à une séance",
    "Accès des chercheurs à l'Assemblée", "Patrimoine", "Bibliothèque et archives",
    "Contacts et plan d'accès", "Photos libres de droit", "recherche", "Rechercher", "Questions",
    # the account box
    "Connexion & inscription", "S'identifier", "Mot de passe oublié",
    "Vous n'avez pas encore de compte ?", "Enregistrez-vous", "S'inscrire",
    # the breadcrumb's fixed part
    "Vous êtes ici :", "Recherche...", "Recherche",
    # the buttons
    "Imprimer", "Format PDF", "partager", "Partager", "Facebook", "Twitter", "LinkedIn",
    "Envoyer par courriel",
    # the footer
    "LCP", "Accédez à toute", "l'actualité de", "la Chaine Parlementaire", "OPEN DATA",
    "Accédez à toutes", "les données de", "l'Assemblée nationale", "BOUTIQUE DE L'ASSEMBLEE",
    "UNE SEMAINE À L'ASSEMBLÉE", "Une semaine à l'Assemblée", "Inscrivez-vous à notre lettre",
    "et recevez tous", "les vendredis dans votre messagerie les temps forts de l'actualité "
    "de la semaine à venir !",
    "Votre adresse de messagerie est uniquement utilisée pour vous envoyer les lettres de "
    "l'Assemblée nationale.",
    "Vous pouvez à tout moment utiliser le lien de désabonnement intégré dans la lettre.",
    "En savoir plus sur la", "gestion de vos données et de vos droits", "OK",
    "Abonnez-vous à la lettre d'actualité", "S'ABONNER À UN SERVICE",
    "OUTIL D'ÉVALUATION LEXIMPACT", "Mentions légales", "Accessibilité : partiellement conforme",
    "Contacter le webmestre", "Fils RSS", "Gestion des cookies",
    "Assemblée nationale - 126 Rue de l'Université, 75355 Paris 07 SP - Standard 01 40 63 60 00",
    # the old pages' title
    "FICHE QUESTION",
    # what the markup gives as a title or an image's text, which some text browsers show (an
    # empty link's title in links, a field's placeholder)
    "Malentendants ? Sourds ? Contactez-nous avec ACCEO",
    "Accéder à la page Twitter de l'Assemblée nationale",
    "Accéder à la page Facebook de l'Assemblée nationale",
    "Accéder à la page Instagram de l'Assemblée nationale",
    "Accéder à la page LinkedIn de l'Assemblée nationale",
    "Site web LCP Assemblée nationale", "Site web de l'open data", "Recherche général",
    "Recherche avancée des questions", "Adresse e-mail",
)

_KIND_WORDS = r"(?i:écrite|orale[ ]sans[ ]débat|orale|au[ ]gouvernement)"
# a blank between two words, or the line break of a text browser that wrapped there
_WRAP = r"(?:[ ]|[ ]?\n[ ]{0,40})"
# items that vary from page to page, as patterns
# the Assemblée's address, in the footers of every era
ADDRESS = (r"Assemblée_nationale_-_126_[Rr]ue_de_l['’]Université,?_-?_?75355_Paris_07_SP"
           r"(?:_-_Standard_?:?_01_40_63_60_00)?".replace("_", r"[ \t\n]{0,200}"))
# the footer's rights (a text browser may wrap it anywhere: "… Assemblée" then "nationale 2019";
# html2text writes "(C)" for "©")
_RIGHTS = (r"(?:©|\(C\))[ ]?Tous[ \n]{1,40}droits[ \n]{1,40}réservés"
           r"(?:[ \n]{1,40}Assemblée[ \n]{1,40}nationale)?"
           r"(?:[ \n]{1,40}\d{4})?")
# right after a breadcrumb's ">", on its line or (wrapped) at the start of the next
_AFTER_CHEVRON = "(?:" + "|".join([r"(?<=>[ ])"] + [rf"(?<=>\n[ ]{{{k}}})" for k in range(9)]) + ")"
ITEM_PATTERNS: Tuple[str, ...] = (
    ADDRESS,
    # the end of a breadcrumb trail: "Accueil > Recherche > Question N°24518"
    _AFTER_CHEVRON + r"Question" + _WRAP + r"(?:" + _KIND_WORDS.replace("[ ]", _WRAP) + _WRAP
    + r")?[Nn][°º][ ]?\d{1,7}",
    _RIGHTS,
    # (a superscript "e": "16^e", "16^(e)" as pandoc writes it)
    r"(?:Recherche[ \n]{1,200}de[ \n]{1,200})?[Qq]uestions[ \n]{1,200}\d{1,2}[ \n^]{0,3}(?:e|\(e\))"
    r"[ \n]{1,200}législature",
)

# what the text tools add around the items: separators, bullets, list numbers, buttons, the
# brackets of an image's text ("[Logo LCP Assemblée nationale]", inscriptis, lynx), a link's
# number that lynx's reading leaves (elinks numbers a link before its text's first blank:
# "printer-icon[60] Imprimer")
_LINK_NUMBER = r"\[\d{1,4}\]"
_MARK = (r"(?:" + _LINK_NUMBER + r"|[|*•·+>»\[\]]|\d{1,3}\.(?=[ \t])|\(BUTTON\)"
         r"|\[(?:IMG|INLINE|LINK|BUTTON)\])")
# (a "-" alone between blanks: a list's bullet, a separator)
_BETWEEN = rf"(?:[ \t\n]|{_MARK}|(?<![^ \t\n])-(?=[ \t]))"
# before a piece of furniture: a bullet or a list number ("5. Question écrite N°…")
# (or a "-" bullet: markdownify's, a hand-made list's)
LEAD = rf"(?:(?:{_MARK}|-(?=[ ]))[ \t]{{0,6}}){{0,5}}"
_WORD_BLANK = r"[ \t\n]{0,200}"   # between the words of an item: any blanks, or none (glued)


def phrase(text: str) -> str:
    """A regex for a phrase of the site: blanks loose (glued, or broken across lines), the
    apostrophes and ellipses as any tool writes them."""
    out = []
    for word in text.split(" "):
        # (a text browser writing Latin-1 or ASCII puts "?" for a curly apostrophe; a page
        # whose pieces a scraper joined with pipes is read with its pipes blanked, its own
        # among them: "( Constitution | Règlement …" as "( Constitution   Règlement …")
        piece = re.escape(word).replace("'", "['’ʼ?]").replace(r"\.\.\.", r"(?:\.\.\.|…)")
        out.append(r"\|?" if word == "|" else piece)
    return _WORD_BLANK.join(out)


def _trie(phrases) -> str:
    """The phrases as one regex factored on their common first words (the regex engine then
    tries a handful of branches where a piece of furniture may start, not every phrase); a
    longer phrase before its prefix ("Recherche de questions…" before "Recherche")."""
    tree: dict = {}
    for text in phrases:
        node = tree
        for word in text.split(" "):
            node = node.setdefault(word, {})
        node[""] = {}                               # a phrase ends here

    def branch(node) -> str:
        words = sorted((w for w in node if w), key=lambda w: (-len(w), w))
        return "(?:" + "|".join(phrase(w) + following(node[w]) for w in words) + ")"

    def following(node) -> str:
        # the words after a word, the blanks before them with them: a phrase that stops here
        # ("Questions", before "Questions écrites et orales") ends on its last word, not on
        # the blanks after it (a piece of a line's start after them was lost)
        if not any(node):
            return ""
        after = "(?:" + _WORD_BLANK + branch(node) + ")"
        return after + "?" if "" in node else after      # ... or stop here
    return branch(tree)


def _alternation(phrases, patterns) -> str:
    # the patterns first: an alternation takes the first that matches
    return "(?:" + "|".join(list(patterns) + [_trie(set(phrases))]) + ")"


_ITEM = _alternation(PHRASES, ITEM_PATTERNS)
# a run of items, ending where a word ends (an item is never the start of a longer word, nor
# of a file's name: "[LCP.png]", an image's text)
RUN = (f"{LEAD}{_ITEM}(?:{_BETWEEN}{{0,60}}{_ITEM}){{0,400}}"
       f"(?:[ \t]{{0,3}}{_MARK}){{0,5}}(?![^\\W_]|\\.[^\\W_])")


class Piece(NamedTuple):
    """One row of the furniture that is a pattern, not a phrase.

    name      what it is (the token's label says which)
    pattern   where it starts, and all of it (case-sensitive)
    line      only as a whole line
    """

    name: str
    pattern: str
    line: bool = False


_N = r"[Nn][°º][ ]?\d{1,7}"
# a rule drawn in characters (an <hr>, an input field; a table's edge, its columns' rules a
# blank apart as pandoc draws them: "-------- --------")
RULE_LINE = r"[_\u2500-\u257f—=-]{6,400}(?:[ ]{1,3}[_\u2500-\u257f—=-]{3,400}){0,30}"
_CIVILITY = r"(?:M\.|MM\.|Mme|Mlle)"

_TITLE = (r"Question[ ](?:" + _KIND_WORDS + r"[ ])?" + _N
          + r"(?:[ ]?:[^\n]{1,300}?)?[ ]-[ ]Assemblée[ ]nationale")

PIECES: Tuple[Piece, ...] = (
    # the page's title: "Question n°45373 - Assemblée nationale",
    # "Question n°200 : Agriculture biologique - Assemblée nationale"
    Piece("title", _TITLE),
    # the breadcrumb of the 2010s-2020s pages: "Question écrite N°45373 de M. Gérard Leseul"
    # (the page's buttons or its legislature follow it: a citation of a question is not one)
    # (a narrow text browser wraps it: a blank between its words may be a line break)
    Piece("breadcrumb", r"Question" + _WRAP + _KIND_WORDS.replace("[ ]", _WRAP) + _WRAP
          + r"[Nn][°º][ ]?\d{1,7}" + _WRAP + "de" + _WRAP
          + _CIVILITY + _WRAP + r"[^\n()]{1,80}?(?:\n[ ]{0,40}[^\n()]{1,80}?)?"
          r"(?=[ \t\n]{1,400}(?:Imprimer|\(BUTTON\)"
          r"|\[?printer-icon|\[?pdf\]?[ ]{1,8}Format|\d{1,2}(?:e|ème)[ ][Ll]égislature))"),
    # the /dyn/ breadcrumb: "Question n°200" just before the title "Question écrite n°200 :"
    # (a narrow text browser may wrap the title before its colon)
    # (pandoc's Markdown puts a page's blocks between them, blanked)
    Piece("breadcrumb", r"Question" + _WRAP + _N + r"(?=[ \n]{1,2000}Question[ ]" + _KIND_WORDS
          + r"[ ]" + _N + r"[ ]{0,3}(?:\n[ ]{0,40})?:)"),
    # lynx: the list of the links' addresses at the end of a page
    # (elinks: "Visible links" with no colon, and a link's title before its address, which
    # stands on the next line after a tab: a blank, as the tokenizer reads it; w3m numbering
    # its links: "References:" then "[1] https://…"; links numbering them: "Links:" then
    # "1. https://…", an image's "7. Image: file:///…")
    Piece("links", r"References(?=[ \n]{1,40}(?:Visible[ ]links|1\.[ ]))|Visible[ ]links:?"
          r"|Hidden[ ]links:?|References:(?=[ \n]{1,40}\[1\][ ])|Links:(?=[ \n]{1,40}1\.[ ])"),
    Piece("links", r"(?:\d{1,4}\.|" + _LINK_NUMBER + r")[ ](?:[^\n]{1,300}\n[ ]{1,8})?"
          r"(?:(?:Image|Post[ ]form|Get[ ]form):[ ])?(?:(?:https?|file|ftp|mailto|javascript):"
          r"|-#)[^\s]{1,2000}"),      # ("-#main": w3m's link to a part of a page read on stdin)
    # ... and links's form fields there ("33. Text field", "64. Button")
    Piece("links", r"\d{1,4}\.[ ](?:Text[ ]field|Password[ ]field|Text[ ]area|Button"
          r"|Submit[ ]button|Reset[ ]button|Checkbox|Radio[ ]button|Select[ ]field"
          r"|File[ ]upload)(?=[ \t]*(?:\n|\Z))", line=True),
    # what text browsers draw for images, form fields and buttons ("[icon_deput]", "[ ]",
    # "[OK]"), for list items with no text ("1.", "*"), for separators
    Piece("marks", r"\[[\w .-]{0,40}\](?:[ ]{1,3}\[[\w .-]{0,40}\]){0,20}(?=[ \t]*(?:\n|\Z))",
          line=True),
    Piece("marks", r"(?:\d{1,3}\.|[*•·+o#@|-])(?:[ \t]{1,10}(?:\d{1,3}\.|[*•·+o#@|-])){0,100}"
          r"(?=[ \t]*(?:\n|\Z))", line=True),
    # a page's video as elinks shows it (its <source>, a link)
    Piece("video", r"Source(?=[ \t]*(?:\n|\Z))", line=True),
    # rules: an <hr> or an input field as text browsers draw them
    Piece("rule", RULE_LINE + r"(?=[ \t]*(?:\n|\Z))", line=True),
    Piece("rule", r"_{6,400}"),
    # the lines of the pages' scripts, which ``text_content()`` keeps
    Piece("script", r"(?:var[ ]|function[ (]|\(function|\}\)\(|\$\.|\$\(|jQuery|window\.|"
          r"document\.|_paq\.|\$matomo|_ez|post(?:\[|\.push|[ ]\+=)|url[ ]\+=|param\.|g\.type"
          r"|if[ ]?\(|else\b|return\b|//|/\*|\*/|<!--|-->|[{}]|\}\)|\);?)[^\n]{0,2000}",
          line=True),
    # ... and, in one-line text, a script from its first words to the last ";", "}" or ")"
    # before the page's next item
    Piece("script", r"(?:\(function|\$matomo|var[ ]_|_paq\.|jQuery|window\.|document\.)"
          r"[^\n]{0,20000}?[;})](?=[ ]{0,3}\Z|[ ]{1,3}(?:Aller[ ]au[ ]contenu|Assemblée[ ]nationale|Question[ ]"
          + _N + r"|\d{1,2}(?:e|ème)[ ][Ll]égislature|Accueil|FICHE|\(function|\$matomo|var[ ]_))"),
    # ... and any line of code: an assignment or a call, ending in ";" glued to it
    Piece("script", r"[^\n]{0,2000}?[=(][^\n]{0,2000}[^\s;];(?=[ \t]*(?:\n|\Z))", line=True),
)


# What stands right after the end of a page: the end of the text, or the next page or
# question of a dump (so that a text cut between two questions reads as the whole did); a
# text browser draws the next page's skip link as a list item and a link ("* [1]Aller au
# contenu"): only that one (a list in an answer may start with anything else)
NEXT_PAGE = (r"(?=[ \t\n]{0,400}"
             r"(?:\Z|References\b|FICHE[ ]QUESTION"
             r"|(?:[*•·+][ \t]{1,6})?(?:\[\d{1,4}\])?Aller[ ]au[ ]contenu"
             r"|Question[ ](?:" + _KIND_WORDS + r"[ ])?[Nn][°º]|Assemblée[ ]nationale"
             r"|[1-9][0-9]?(?:ème|e|è)[ ][Ll]égislature))")


class End(NamedTuple):
    """What the site puts right after a question: ends the body before it.

    pattern  as a whole line (after the indentation)
    inline   forms unmistakable enough to end a body mid-line (one-line text), each starting
             with a literal character
    """

    name: str
    pattern: str
    inline: Tuple[str, ...] = ()


_LINE_END = r"(?=[ \t]*(?:\n|\Z))"
# the site's name, not "l'Assemblée nationale" in a sentence (the elision is looked at behind
# its first letter, so that each form still starts with a literal)
_AN = r"A(?<!['’]A)ssemblée[ ]nationale"
_SITE_MENU = _AN + r"(?=[ \t\n*•·+|]{1,200}Accueil\b)"
_MENU_START = (r"Accueil(?=[ \t\n*•·+|>]{1,200}(?:Vos[ ]députés|Questions\b|Recherche\b"
               r"|Travaux[ ]parlementaires|Séance[ ]publique|Accueil\b))")
# ... as pandoc writes it, "-" items; a body's own list may start so ("- Accueil" then
# "- Recherche d'un emploi"), so only items that are the menu's whole lines
_MENU_ITEM = (r"(?:Vos[ ]députés|Questions(?:[ ]écrites[ ]et[ ]orales)?|Recherche"
              r"|Travaux[ ]parlementaires|Séance[ ]publique|Accueil)")
_DASH_MENU = (r"-[ ]{1,6}Accueil(?=[ \t]*\n(?:[ \t]*\n)?[ \t]{0,40}-[ ]{1,6}" + _MENU_ITEM
              + _LINE_END + r")")
# the page's buttons, a line each or side by side: "Imprimer" with "Format PDF" (or another
# piece of the page after it), "partager" with the sharing links or the footer after it
_AFTER_BUTTONS = r"(?:\(BUTTON\)|\[?pdf|Format|LCP|Logo|Mentions|[Pp]artager|Envoyer|©|Aller|Accueil|FICHE)"
# (a button's image, its lynx link number blanked before it: "(BUTTON) [65]printer-icon";
# elinks numbers the link after the image's text, before a blank: "printer-icon[60] Imprimer",
# a number lynx's reading leaves as it is; pandoc's Markdown puts the image on a line of its
# own)
_MARK_AFTER = "(?:" + _LINK_NUMBER + ")?"
_PRINT = (r"(?:\(BUTTON\)[ ]{0,12})?(?:\[?printer-icon\]?" + _MARK_AFTER
          + r"(?:[ ]{0,8}|[ ]{0,200}\n[ ]{0,40}))?Imprimer(?=[ \t]*\n[ \t\n*•·]{0,200}"
          + _AFTER_BUTTONS + r"|[ \t]*\Z)")
_PDF = r"(?:\(BUTTON\)[ ]{0,12})?(?:\[?pdf\]?" + _MARK_AFTER + r"[ ]{1,8})?Format[ ]PDF" + _LINE_END
# (a page as Markdown: the sharing links, images without text, are blank items)
# (pandoc writes them as "-" items, before the end of the page)
# (... empty items only: "partager" then "- Question écrite n°12", a body's own list, is not
# the end of a page)
_SHARE = (r"partager(?=[ \t]*\n[ \t\n*•·-]{0,2000}(?:LCP|Logo|Facebook|Twitter|\[|©)"
          r"|[ \t]*(?:\n[ \t]{0,2000}(?:[*•·-][ \t]{0,2000})?(?=\n|\Z)){0,100}" + NEXT_PAGE + ")")

ENDS: Tuple[End, ...] = (
    End("buttons", _PRINT + "|" + _PDF,
        # (the blanks between them: up to 40, the pipes of a page's pieces blanked, ``layout``)
        (r"Imprimer[ ]{1,40}(?:\(BUTTON\)[ ]{1,3})?(?:\[?pdf\]?" + _MARK_AFTER
         + r"[ ]{1,8})?Format[ ]PDF",
         r"Imprimer(?=[ ]{1,40}" + _AFTER_BUTTONS + r"|[ ]{1,40}" + _AN + ")",
         r"printer-icon" + _MARK_AFTER + r"[ ]{1,8}Imprimer",
         r"[(]BUTTON[)][ ]{1,3}printer-icon[ ]{1,8}Imprimer",
         r"[\[]printer-icon\][ ]{1,8}Imprimer")),
    End("buttons", _SHARE,
        (r"partager(?=[ *•·]{1,40}(?:LCP|Logo|Facebook|Twitter|\[))",)),
    End("footer", r"(?:Logo[ ]LCP[ ]Assemblée[ ]nationale[ \n]{1,40})?LCP[ \n]{0,40}"
        r"Accédez[ \n]{1,40}à[ \n]{1,40}toute", (r"LCP[ ]?Accédez[ ]à[ ]toute",)),
    End("footer", _RIGHTS + r"(?:[ ]{0,3}\|)?", (_RIGHTS,)),
    End("footer", ADDRESS, (ADDRESS,)),
    End("page", r"Aller[ ]au[ ]contenu" + _LINE_END, (r"Aller[ ]au[ ]contenu[ ]Aller[ ]en[ ]bas",)),
    End("page", _TITLE + _LINE_END, (_TITLE,)),
    # the next page's menu: the site's name, then its first item; or its first two items
    End("page", _SITE_MENU, (_SITE_MENU,)),
    End("page", _MENU_START, (_MENU_START, r"[*•·+][ ]{1,6}" + _MENU_START)),
    End("page", _DASH_MENU),
    # the site's name alone on the last line of a page (a footer of a line)
    End("footer", _AN + _LINE_END + NEXT_PAGE, (
        # (one blank before it, or three: a pipe between two, blanked, ``layout``)
        r"A(?:(?<=[.!?»)] A)|(?<=[.!?»)]   A))ssemblée[ ]nationale" + NEXT_PAGE,)),
    End("page", r"FICHE[ ]QUESTION" + _LINE_END, (r"FICHE[ ]QUESTION",)),
)

# A line that is only a rule (an <hr>, an input field, as text browsers draw them) ends a
# header value ("Question écrite n°200 : Agriculture biologique" then a rule); inside a body
# it may be the text's own, and is left to it.
VALUE_ENDS: Tuple[str, ...] = (RULE_LINE + _LINE_END,
                               # (html2text's and markdownify's <hr>, in a page read as
                               # no Markdown)
                               r"\*[ ]\*[ ]\*" + _LINE_END, r"-{3,5}" + _LINE_END)
# ... and a long one in the middle of a line (one-line text)
VALUE_ENDS_INLINE: Tuple[str, ...] = (r"[_\u2500-\u257f]{10,400}",)
