"""The records: small frozen attrs classes, and their JSON form.

Field names are the public contract of DESIGN.md; fields may be added, never renamed.
Lists are tuples inside Python (records are immutable); dates are ``datetime.date``.
``to_dict`` / ``from_dict`` give the JSON form (ISO dates, lists, ``None`` for missing)
and are exact inverses of each other.
"""

import datetime as _dt
from typing import TYPE_CHECKING, Dict, Optional, Tuple

import attrs

if TYPE_CHECKING:
    import cattrs

KINDS = ("QE", "QOSD", "QG")
# closure codes whose label the AN publishes (open data ``libelleCloture``)
CLOSURE_LABELS = {"REP_PUB": "Réponse publiée"}
ANSWERED_CODE = "REP_PUB"     # the closure of a question whose answer was published
STATUSES = ("answered", "withdrawn", "pending")
ERRATUM_TARGETS = ("question", "answer")
FORMATS = ("text", "html", "opendata-json", "opendata-xml", "legacy-xml")
# how an author's name was found where the source does not state it: the question's opening
# words ("Mme X appelle l'attention…"), the debate ("La parole est à M. X."), the AN's acteurs
NAME_FROM = ("question-text", "debate", "acteurs")


def _blank_to_none(value):
    """Missing is ``None``, never an empty string (the contract of the JSON form)."""
    if value is None or value.__class__ is not str:
        return value
    return value.strip() or None


def _opt_int(value):
    if value is None or isinstance(value, int):
        return value
    value = _blank_to_none(value)
    return None if value is None else int(value)


def _opt_date(value):
    if value is None or type(value) is _dt.date:
        return value
    if isinstance(value, _dt.datetime):
        return value.date()
    value = _blank_to_none(value)
    return None if value is None else _dt.date.fromisoformat(value)


def _str_tuple(values):
    if not values:
        return ()
    return tuple(v for v in map(_blank_to_none, values) if v is not None)


def _one_of(choices, optional=True):
    """A value among ``choices`` (or None when ``optional``). A plain function: attrs' own
    composed validators cost several calls per field, on every record built."""
    def check(instance, attribute, value):
        if value not in choices and not (optional and value is None):
            raise ValueError(f"{attribute.name!r} must be one of {choices}, not {value!r}")
    return check


def _items_of(cls):
    def check(instance, attribute, value):
        for item in value:
            if not isinstance(item, cls):
                raise TypeError(f"{attribute.name!r} holds {cls.__name__} records, "
                                f"not {type(item).__name__}: {item!r}")
    return check


def _record_of(cls):
    """A nested record of ``cls``, or None."""
    def check(instance, attribute, value):
        if value is not None and not isinstance(value, cls):
            raise TypeError(f"{attribute.name!r} holds a {cls.__name__} record, not "
                            f"{type(value).__name__}: {value!r:.80}")
    return check


def _r(cls):
    return attrs.field(default=None, validator=_record_of(cls))


class FrozenDict(dict):
    """``extra``: a dict that cannot be changed in place (a record is immutable; make another
    with ``evolve(extra=…)``). It compares, prints, pickles and encodes as a plain dict."""

    def _read_only(self, *args, **kwargs):
        raise TypeError("a record's extra is read-only: use record.evolve(extra={...})")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __reduce__(self):
        return (FrozenDict, (dict(self),))


def _frozen_dict(value) -> "FrozenDict":
    return value if type(value) is FrozenDict else FrozenDict(value or {})


def _s():
    return attrs.field(default=None, converter=_blank_to_none)


def _d():
    return attrs.field(default=None, converter=_opt_date)


def _i():
    return attrs.field(default=None, converter=_opt_int)


def _tuple_of(cls):
    return attrs.field(factory=tuple, converter=tuple, validator=_items_of(cls))


@attrs.frozen
class Ministry:
    name: Optional[str] = _s()
    full_name: Optional[str] = _s()
    organe_ref: Optional[str] = _s()


@attrs.frozen
class Author:
    civility: Optional[str] = _s()
    name: Optional[str] = _s()
    group: Optional[str] = _s()
    group_abbrev: Optional[str] = _s()
    constituency: Optional[str] = _s()
    acteur_ref: Optional[str] = _s()
    group_ref: Optional[str] = _s()
    mandate_ref: Optional[str] = _s()
    region: Optional[str] = _s()
    department_code: Optional[str] = _s()
    circonscription: Optional[int] = _i()
    # legacy XML (AUTEUR/PRENOM, NOM, CIRCONSCRIPTION/CODE_REGION); ``name`` is "first last"
    first_name: Optional[str] = _s()
    last_name: Optional[str] = _s()
    region_code: Optional[str] = _s()
    # where civility and name were read when the source does not state them (open data):
    # one of NAME_FROM; None when the source gives them as such
    name_from: Optional[str] = attrs.field(default=None, validator=_one_of(NAME_FROM))


@attrs.frozen
class Attribution:
    ministry: Optional[Ministry] = _r(Ministry)
    date: Optional[_dt.date] = _d()
    jo_type: Optional[str] = _s()
    # the JO that published the attribution (open data ``infoJO``, legacy ``MINA/ORDRE``)
    page: Optional[int] = _i()
    jo_number: Optional[str] = _s()
    url_legifrance: Optional[str] = _s()
    reference_nor: Optional[str] = _s()


@attrs.frozen
class Publication:
    """The question or the answer as published in the JO: date, page, text."""

    date: Optional[_dt.date] = _d()
    page: Optional[int] = _i()
    text: Optional[str] = _s()
    jo_number: Optional[str] = _s()
    jo_type: Optional[str] = _s()
    url_legifrance: Optional[str] = _s()
    reference_nor: Optional[str] = _s()


@attrs.frozen
class Signalement:
    """``date`` is the JO that published the signalement; ``deposit_date`` the day the group
    filed it (open data ``dateDepotSignal``)."""

    date: Optional[_dt.date] = _d()
    deposit_date: Optional[_dt.date] = _d()
    page: Optional[int] = _i()
    jo_number: Optional[str] = _s()
    jo_type: Optional[str] = _s()
    url_legifrance: Optional[str] = _s()
    reference_nor: Optional[str] = _s()


@attrs.frozen
class Renewal:
    date: Optional[_dt.date] = _d()
    page: Optional[int] = _i()
    jo_number: Optional[str] = _s()
    jo_type: Optional[str] = _s()
    url_legifrance: Optional[str] = _s()
    reference_nor: Optional[str] = _s()


@attrs.frozen
class Erratum:
    target: str = attrs.field(validator=_one_of(ERRATUM_TARGETS, optional=False))
    date: Optional[_dt.date] = _d()
    page: Optional[int] = _i()
    text: Optional[str] = _s()
    jo_number: Optional[str] = _s()
    jo_type: Optional[str] = _s()
    url_legifrance: Optional[str] = _s()
    reference_nor: Optional[str] = _s()


@attrs.frozen
class Withdrawal:
    date: Optional[_dt.date] = _d()
    reason: Optional[str] = _s()
    code: Optional[str] = _s()


@attrs.frozen
class Closure:
    """How the AN closed the question (open data ``cloture``, legacy ``CLOTURE``, the old pages'
    hidden ``CODRET``): ``code`` such as ``REP_PUB``, its ``label`` as published."""

    code: Optional[str] = _s()
    label: Optional[str] = _s()
    date: Optional[_dt.date] = _d()
    page: Optional[int] = _i()
    # the JO that published the closure, when the source gives it apart from ``date``
    jo_date: Optional[_dt.date] = _d()
    jo_number: Optional[str] = _s()
    jo_type: Optional[str] = _s()
    url_legifrance: Optional[str] = _s()
    reference_nor: Optional[str] = _s()


@attrs.frozen
class Defect:
    """Something the parser had to guess or could not read. ``line`` is 1-based, or None."""

    code: str
    message: str
    line: Optional[int] = None


@attrs.frozen
class Source:
    """Where a record was read: the input's format, layout and path, and the lines of the
    input the question stands on (``line`` to ``end_line``, 1-based, when known)."""

    format: Optional[str] = attrs.field(default=None, validator=_one_of(FORMATS))
    layout: Optional[str] = _s()
    path: Optional[str] = _s()
    line: Optional[int] = None
    end_line: Optional[int] = None


def _status_agrees(instance, attribute, status):
    """The status follows the answer and the withdrawal: pending has neither; withdrawn has a
    withdrawal; answered has an answer, or a closure that says it was published (the open
    data of a question whose answer text the file lacks)."""
    q = instance
    closed_answered = q.closure is not None and q.closure.code == ANSWERED_CODE
    ok = {"pending": q.answer is None and q.withdrawal is None and not closed_answered,
          "withdrawn": q.withdrawal is not None,
          "answered": q.answer is not None or closed_answered}.get(status, True)
    if not ok:
        raise ValueError(f"status {status!r} does not agree with the record: answer "
                         f"{'given' if q.answer else 'none'}, withdrawal "
                         f"{'given' if q.withdrawal else 'none'}"
                         + (", closure 'answer published'" if closed_answered else ""))


@attrs.frozen
class Question:
    uid: Optional[str] = _s()
    legislature: Optional[int] = _i()
    kind: Optional[str] = attrs.field(default=None, validator=_one_of(KINDS))
    number: Optional[int] = _i()
    author: Optional[Author] = _r(Author)
    ministry_asked: Optional[Ministry] = _r(Ministry)
    ministry_assigned: Optional[Ministry] = _r(Ministry)
    attributions: Tuple[Attribution, ...] = _tuple_of(Attribution)
    rubrique: Optional[str] = _s()
    tete_analyse: Optional[str] = _s()
    analyses: Tuple[str, ...] = attrs.field(factory=tuple, converter=_str_tuple)
    title: Optional[str] = _s()
    question: Optional[Publication] = _r(Publication)
    answer: Optional[Publication] = _r(Publication)
    signalements: Tuple[Signalement, ...] = _tuple_of(Signalement)
    renewals: Tuple[Renewal, ...] = _tuple_of(Renewal)
    errata: Tuple[Erratum, ...] = _tuple_of(Erratum)
    withdrawal: Optional[Withdrawal] = _r(Withdrawal)
    status: str = attrs.field(default="pending",
                              validator=[_one_of(STATUSES, optional=False), _status_agrees])
    closure: Optional[Closure] = _r(Closure)
    extra: Dict[str, str] = attrs.field(factory=FrozenDict, converter=_frozen_dict, hash=False)
    defects: Tuple[Defect, ...] = _tuple_of(Defect)
    source: Source = attrs.field(factory=Source, validator=_record_of(Source))
    regime: Optional[str] = _s()     # open data ``identifiant.regime``, as published
    # every input a record merged from several was read from (``aqparse.merge``); ``source``
    # is then the one whose values came first. Empty for a record read from one input.
    sources: Tuple[Source, ...] = _tuple_of(Source)

    def to_dict(self) -> dict:
        """The JSON form of DESIGN.md: ISO dates, lists, ``None`` for missing."""
        return (_converter or _made_converter()).unstructure(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Question":
        """Inverse of :meth:`to_dict`."""
        return (_converter or _made_converter()).structure(data, cls)

    def evolve(self, **changes) -> "Question":
        return attrs.evolve(self, **changes)


def status_of(answer: Optional[Publication], withdrawal: Optional[Withdrawal]) -> str:
    """A withdrawn question stays withdrawn; otherwise an answer makes it answered."""
    if withdrawal is not None:
        return "withdrawn"
    if answer is not None:
        return "answered"
    return "pending"


def make_uid(legislature: Optional[int], kind: Optional[str], number: Optional[int]) -> Optional[str]:
    """The AN open-data identifier: ``QANR5L{legislature}{kind}{number}``."""
    if legislature is None or kind is None or number is None:
        return None
    return f"QANR5L{legislature}{kind}{number}"


# The keys that tell aqparse's own JSON form (``Question.to_dict()``: what ``convert`` and
# ``aqparse parse`` write) from open data, which has ``uid`` but never ``status`` and
# ``source`` (and always ``identifiant``). The one definition every reader uses.
RECORD_KEYS = frozenset({"uid", "status", "source"})


def looks_like_record(obj: dict) -> bool:
    """Whether a decoded JSON object is a record in aqparse's JSON form."""
    return isinstance(obj, dict) and RECORD_KEYS <= obj.keys() and "identifiant" not in obj


def _structure_str(value, _) -> str:
    """A text field's value: a string, or what reads as one (a number); a list or an object
    is none (``"rubrique": {}`` was read as the text "{}", an empty one passing as blank)."""
    if isinstance(value, (list, dict, tuple)):
        raise TypeError(f"a text, not {type(value).__name__}: {value!r:.60}")
    return value if value.__class__ is str else str(value)


def _made_converter() -> "cattrs.Converter":
    """The converter of the JSON form, made when first used: reading open data or text into
    records never imports cattrs (a tenth of the import of what reads open data)."""
    global _converter
    import cattrs

    conv = cattrs.Converter()
    conv.register_structure_hook(str, _structure_str)
    conv.register_unstructure_hook(_dt.date, _dt.date.isoformat)
    conv.register_structure_hook(_dt.date, lambda value, _: _opt_date(value))
    # tuples inside Python, lists in the JSON form
    conv.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", None) is tuple,
        lambda value: [conv.unstructure(x) for x in value],
    )
    conv.register_unstructure_hook(dict, dict)
    conv.register_unstructure_hook(FrozenDict, dict)
    conv.register_structure_hook(FrozenDict, lambda value, _: _frozen_dict(value))
    _converter = conv
    return conv


_converter = None
