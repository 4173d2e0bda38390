"""What an official record says of a document, over what its text suggests.

A document fetched from an official service (or carrying the metadata block of
officielebekendmakingen) comes with a :class:`~kg.model.SourceRecord`. Its type,
dossier, number, date and title take precedence over the values read from the text:
a value both state keeps the text's evidence and is marked as stated by the record;
one only the record states has the record as its evidence; where the two differ the
record's is kept and a warning names both (not for a title, which the text and the
record word differently as a rule). The record's words for a kind of document
are mapped by :data:`TYPE_WORDS`; a word it does not know ("Kamerstuk") leaves the
type read from the text.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, fields, replace

from kg.extract.metadata import extract_metadata
from kg.extract.timing import furniture
from kg.model import (
    DocDate,
    DocMeta,
    DocType,
    NormDoc,
    SourceRecord,
    Span,
    Value,
    dossier_number,
    iso_day,
)

# The words the services use for a kind of document (officielebekendmakingen's
# documenttype, the Tweede Kamer's Soort), first match wins, on the lower-cased word.
TYPE_WORDS: tuple[tuple[re.Pattern[str], DocType], ...] = (
    (
        re.compile(r"\blijst (?:van|met) (?:feitelijke )?vragen(?: en antwoorden)?\b"),
        DocType.VRAGEN,
    ),
    (re.compile(r"\bverslag (?:van )?(?:een )?schriftelijk overleg\b"), DocType.VERSLAG),
    (re.compile(r"\bvoortgangsrapportage\b"), DocType.VOORTGANG),
    (re.compile(r"\bartikel[ -]100\b"), DocType.ARTIKEL100),
    (re.compile(r"\bbrief\b"), DocType.KAMERBRIEF),
    (
        re.compile(
            r"\b(?:motie|amendement|wetsvoorstel|voorstel van wet|memorie van toelichting|"
            r"nota van wijziging|verslag van een (?:algemeen|commissie)debat|"
            r"verslag van een wetgevingsoverleg|stenogram|agenda|besluitenlijst)\b"
        ),
        DocType.OTHER,
    ),
)
# Kinds of letter the text tells apart more finely than a service's "Brief" does: the
# text's reading stands where the record only says it is a letter.
LETTERS = {DocType.KAMERBRIEF, DocType.ARTIKEL100, DocType.VOORTGANG}
# A number within a dossier: digits in the Tweede Kamer, letters in the Eerste ("AP").
NUMBER = re.compile(r"\A(?:(?:nr\.\s*)?(?P<digits>\d{1,5})|(?P<letters>[A-Z]{1,3}))\Z", re.I)


def merged(first: SourceRecord, then: SourceRecord | None) -> SourceRecord:
    """``first``'s values, each missing one taken from ``then`` (the service's record
    over the metadata block the file itself carries)."""
    if then is None:
        return first
    missing = (f.name for f in fields(first) if getattr(first, f.name) in (None, ()))
    return replace(first, **{name: getattr(then, name) for name in missing})


def record_digest(record: SourceRecord | None) -> str:
    """A digest of what a record says (empty for none): a document whose record
    changes is read again though its file is the same."""
    if record is None:
        return ""
    data = json.dumps(asdict(record), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def stated_by(record: SourceRecord) -> str:
    """How a value stated by ``record`` is attributed: "officielebekendmakingen
    (kst-27925-946)"."""
    return f"{record.source} ({record.identifier})" if record.identifier else record.source


def read_metadata(
    norm: NormDoc, record: SourceRecord | None, name: str
) -> tuple[DocMeta, tuple[Span, ...], tuple[str, ...]]:
    """A document's metadata, with the values ``record`` states in their place
    (:func:`with_record`); the document's furniture as its text states it (its date
    line, title and header, not events whatever the record says); and the warnings
    where the record and the text differ. Where the record settles another kind of
    document than the text suggests, the text is read by the record's kind (its date
    line, its title, the questions of a list of questions)."""
    text = extract_metadata(norm)
    if record is None:
        return text, tuple(furniture(text)), ()
    kind = record_kind(text.doc_type, record)
    read = text if kind is None else replace(extract_metadata(norm, kind), doc_type=text.doc_type)
    meta, warnings = with_record(read, record, name)
    return meta, tuple(furniture(text, read)), warnings


def with_record(meta: DocMeta, record: SourceRecord, name: str) -> tuple[DocMeta, tuple[str, ...]]:
    """``meta`` with the values ``record`` states in their place, and the warnings for
    values the text states otherwise.

    >>> from kg.model import Span
    >>> text = Value("kamerbrief", Span(0, 5, "BRIEF"))
    >>> meta = DocMeta(text, None, None, Value("27 925", None), None, None, None)
    >>> record = SourceRecord("officielebekendmakingen", "kst-27925-946", dossier="27925",
    ...                       number="946", date="2018-09-14")
    >>> new, warnings = with_record(meta, record, "a.xml")
    >>> new.dossier.value, new.number.value, new.date.iso, new.doc_type.value
    ('27 925', 'nr. 946', '2018-09-14', 'kamerbrief')
    >>> new.dossier.stated_by, new.date.stated_by, warnings
    ('officielebekendmakingen (kst-27925-946)', 'officielebekendmakingen (kst-27925-946)', ())
    """
    by = stated_by(record)
    warnings: list[str] = []

    def over(label: str, read: Value | None, stated: str | None, warn: bool = True) -> Value | None:
        if stated is None:
            return read
        if read is None or read.inferred:
            return Value(stated, None, stated_by=by)
        if read.value != stated:
            if not warn:  # a title is worded otherwise in the text and the record alike
                return Value(stated, None, stated_by=by)
            warnings.append(
                f"{name}: the text gives {label} '{read.value}', the record of {by} "
                f"'{stated}'; the record's is used"
            )
            return Value(stated, None, stated_by=by)
        return replace(read, stated_by=by)

    return (
        replace(
            meta,
            doc_type=_doc_type(meta.doc_type, record, by, name, warnings),
            date=_date(meta.date, record.date, by, name, warnings),
            dossier=over("the dossier", meta.dossier, _dossier(record.dossier)),
            number=over("the number", meta.number, _number(record.number)),
            title=over("the title", meta.title, _title(record.title), warn=False),
        ),
        tuple(warnings),
    )


def record_type(word: str | None) -> DocType | None:
    """The kind of document a service's word names, or None for a word not known.

    >>> record_type("Brief regering"), record_type("Lijst met vragen en antwoorden")
    (<DocType.KAMERBRIEF: 'kamerbrief'>, <DocType.VRAGEN: 'lijst-van-vragen-en-antwoorden'>)
    >>> record_type("Kamerstuk") is None
    True
    """
    if not word:
        return None
    lowered = " ".join(word.lower().split())
    return next((kind for pattern, kind in TYPE_WORDS if pattern.search(lowered)), None)


def record_kind(read: Value, record: SourceRecord) -> DocType | None:
    """The kind of document ``record`` settles over the type read from the text
    (``read``), or None where the text's stands: a word naming no kind, or a letter
    the text reads more finely (:data:`LETTERS`)."""
    stated = record_type(record.doc_type)
    text = DocType(read.value)
    if stated is None or stated == text or (stated == DocType.KAMERBRIEF and text in LETTERS):
        return None
    return stated


def _doc_type(read: Value, record: SourceRecord, by: str, name: str, warnings: list[str]) -> Value:
    stated = record_kind(read, record)
    if stated is None:
        agrees = record_type(record.doc_type) is not None
        return replace(read, stated_by=by) if agrees and not read.inferred else read
    if not read.inferred:
        warnings.append(
            f"{name}: the text reads as a {read.value}, the record of {by} says "
            f"'{record.doc_type}'; the record's is used"
        )
    return Value(stated.value, None, stated_by=by)


def _date(
    read: DocDate | None, stated: str | None, by: str, name: str, warnings: list[str]
) -> DocDate | None:
    stated = iso_day(stated)
    if stated is None:
        return read
    if read is not None and not read.inferred and read.iso == stated:
        return replace(read, stated_by=by)
    if read is not None and not read.inferred:
        warnings.append(
            f"{name}: the text is dated {read.iso}, the record of {by} {stated}; "
            "the record's date is used"
        )
    return DocDate(stated, "day", None, stated_by=by)


def _dossier(raw: str | None) -> str | None:
    """A record's dossier number as kg writes it, its digits in groups of three ("27 925",
    "36 200-V", "21 501-02"); None if it is not a dossier number."""
    compact = dossier_number(raw or "")
    if compact is None:
        return None
    digits, _, suffix = compact.partition("-")
    grouped = f"{int(digits):,}".replace(",", " ")
    return f"{grouped}-{suffix}" if suffix else grouped


def _number(raw: str | None) -> str | None:
    """A record's number as kg writes it ("nr. 946", "AP"); None if it is not one."""
    match = NUMBER.match((raw or "").strip())
    if match is None:
        return None
    return f"nr. {int(match['digits'])}" if match["digits"] else match["letters"].upper()


def _title(raw: str | None) -> str | None:
    title = " ".join((raw or "").split())
    return title or None
