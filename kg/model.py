"""Typed records passed between the pipeline stages.

Every record is a frozen dataclass. Offsets called ``start``/``end`` are
character offsets, ``end`` exclusive. Unless a name says otherwise they are
offsets into :attr:`SourceDoc.text`, the *original* text of a document, so that
a user can always find the exact characters a fact came from.
"""

from __future__ import annotations

import datetime as dt
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One input document as read from disk.

    ``text`` is the original text: the decoded file for .txt, the text the
    markup or the PDF text layer yields for .html/.xml/.pdf. All provenance
    offsets point into it.
    """

    name: str
    path: Path
    text: str
    media_type: str
    sha256: str
    personnel: tuple[Personnel, ...] = ()
    budgets: tuple[Budget, ...] = ()
    events: tuple[Event, ...] = ()
    periods: tuple[Period, ...] = ()
    question_missions: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (number, mission codes)
    warnings: tuple[str, ...] = ()
    record: SourceRecord | None = None  # what the official source says of the document


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What an official source says about a document: the metadata of its record in
    a service (written by ``kg fetch`` into the folder's manifest) or of the metadata
    block the file carries (the ``<meta>`` of officielebekendmakingen XML and HTML).

    Where it states a value (type, dossier, number, date, title, submitters), that
    value takes precedence over what the text suggests. Values are as the source
    writes them, except ``date`` (ISO 8601, "2018-09-14") and ``dossier`` (digits and
    any suffix, no spaces: "27925", "36200-V"); ``doc_type`` is the source's own word
    for the kind of document ("Kamerstuk", "Brief regering"), mapped by the build.
    """

    source: str  # the service, e.g. "officielebekendmakingen", "tweedekamer", "embedded"
    identifier: str | None = None  # the official identifier, e.g. "kst-27925-946"
    url: str | None = None  # the official page of the document (for a reader)
    download_url: str | None = None  # the file as fetched
    retrieved: str | None = None  # when it was fetched, ISO 8601 UTC ("2026-12-03T16:20:00Z")
    doc_type: str | None = None
    dossier: str | None = None
    number: str | None = None  # the number within the dossier ("946"), as written
    date: str | None = None
    title: str | None = None
    submitters: tuple[str, ...] = ()


# A dossier number as written: its digits (four to six, in groups of three or not) and any suffix,
# letters ("36200-V", "32 100 XIV") or digits ("21501-02"), after a hyphen or a space.
DOSSIER_NUMBER = re.compile(
    r"\A(?P<digits>\d{1,3}(?: \d{3})+|\d{4,6})(?:(?: ?- ?| )(?P<suffix>[A-Za-z]{1,5}|\d{1,3}))?\Z"
)


def dossier_number(text: str) -> str | None:
    """A dossier number in the form :attr:`SourceRecord.dossier` keeps (digits, then any
    suffix after a hyphen, upper-case), the first of several separated by ";"; None
    for text that is not one.

    >>> dossier_number("27 925"), dossier_number("36200 v"), dossier_number("21501-02")
    ('27925', '36200-V', '21501-02')
    >>> dossier_number("32100 XIV;27925"), dossier_number("Irak")
    ('32100-XIV', None)
    """
    found = DOSSIER_NUMBER.match(" ".join(text.split(";")[0].split()))
    if found is None:
        return None
    digits = found["digits"].replace(" ", "")
    return f"{digits}-{found['suffix'].upper()}" if found["suffix"] else digits


# A day as a record writes it: ISO (W3CDTF, with or without a time after it) or
# day-month-year.
RECORD_DAYS = (
    re.compile(r"\A(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:[T ]\S*)?\Z"),
    re.compile(r"\A(?P<d>\d\d?)-(?P<m>\d\d?)-(?P<y>\d{4})\Z"),
)


def iso_day(value: object) -> str | None:
    """A record's date as :attr:`SourceRecord.date` keeps it, the ISO day; None for a
    value that is no whole day (a year, a month, a day that does not exist).

    >>> iso_day("2018-09-14T00:00:00+02:00"), iso_day("14-9-2018"), iso_day("2018")
    ('2018-09-14', '2018-09-14', None)
    >>> iso_day("2018-13-01"), iso_day("2018-02-30"), iso_day(None)
    (None, None, None)
    """
    if not isinstance(value, str):
        return None
    for pattern in RECORD_DAYS:
        match = pattern.match(value.strip())
        if match is None:
            continue
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
        except ValueError:
            return None
    return None


class BlockKind(StrEnum):
    """What a block of the normalized text is."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    FOOTNOTE = "footnote"
    REPEAT = "repeat"


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-sized stretch of the normalized text (normalized offsets)."""

    kind: BlockKind
    start: int
    end: int
    number: int | None = None  # the footnote number, for footnotes


@dataclass(frozen=True, slots=True)
class Removal:
    """Original text left out of the normalized text, and why."""

    reason: str  # "page-number" or "running-header"
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NormDoc:
    """A document's clean text with a map back to the original.

    ``offsets[i]`` is the original offset of ``text[i]``; one extra entry at the
    end holds the original offset just past the last character. ``blocks`` cover
    the text in order; ``sentences`` are the sentences of the running text
    (paragraphs and headings, not footnotes and repeats), in normalized offsets.
    """

    source: SourceDoc
    text: str
    offsets: array[int]
    blocks: tuple[Block, ...]
    sentences: tuple[tuple[int, int], ...]
    removals: tuple[Removal, ...] = ()
    running_end: int = field(init=False, repr=False, compare=False)  # where footnotes begin

    def __post_init__(self) -> None:
        first_note = (b.start for b in self.blocks if b.kind == BlockKind.FOOTNOTE)
        object.__setattr__(self, "running_end", next(first_note, len(self.text)))

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span to the original span that holds the same characters."""
        if end <= start:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The original-text span of a normalized span."""
        ostart, oend = self.to_original(start, end)
        return Span(ostart, oend, self.source.text[ostart:oend])

    def from_original(self, original: int) -> int:
        """The normalized offset of an original offset in the running text.

        The running text comes first in the normalized text and keeps the order of
        the original (footnotes follow it), so it can be searched by bisection.
        """
        return bisect_left(self.offsets, original, 0, self.running_end)


class Modality(StrEnum):
    """How a text states a fact (the cue words are data: ontology/vocabularies.ttl)."""

    STATED = "stated"
    PLANNED = "planned"
    EXPECTED = "expected"
    POSSIBLE = "possible"
    CONDITIONAL = "conditional"
    NEGATED = "negated"


class Basis(StrEnum):
    """How a fact's mission was decided (ontology/vocabularies.ttl, basis:)."""

    SENTENCE = "sentence"
    COMPONENT = "component"
    PLACE = "place"  # a place only one mission works in, or a component's place and role
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUESTION = "question"
    DOCUMENT = "document"
    AMBIGUOUS = "ambiguous"  # missions compete, nothing decides: unknown
    EXCLUDED = "excluded"  # a mission was found but cannot be the fact's: unknown
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the original text: evidence for a value or a fact."""

    start: int
    end: int
    text: str


class DocType(StrEnum):
    """The kinds of parliamentary document the pipeline tells apart."""

    ARTIKEL100 = "artikel-100-brief"
    KAMERBRIEF = "kamerbrief"
    VOORTGANG = "voortgangsrapportage"
    VRAGEN = "lijst-van-vragen-en-antwoorden"
    VERSLAG = "verslag-schriftelijk-overleg"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Value:
    """A metadata value with its evidence.

    ``inferred`` values were not stated as such; ``reason`` says how they were
    reached. ``evidence`` is the span that states or supports the value.
    """

    value: str
    evidence: Span | None
    inferred: bool = False
    reason: str = ""
    stated_by: str = ""  # the official record that states the value (SourceRecord), if any


@dataclass(frozen=True, slots=True)
class DocDate:
    """A document date at the precision the text gives ("2018-09-14", "2022-12")."""

    iso: str
    precision: str  # "day", "month" or "year"
    evidence: Span | None
    inferred: bool = False
    reason: str = ""
    stated_by: str = ""  # as for Value


@dataclass(frozen=True, slots=True)
class Signatory:
    """Someone who signed the document, with the office named above the name."""

    name: str
    office: str
    evidence: Span


@dataclass(frozen=True, slots=True)
class Question:
    """A numbered committee question and the answer that follows it."""

    number: int
    question: Span
    answer: Span | None


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What a document says about itself."""

    doc_type: Value
    date: DocDate | None
    chamber: Value | None
    dossier: Value | None
    number: Value | None
    title: Value | None
    committee: Value | None
    zaken: tuple[Value, ...] = ()
    about: Value | None = None  # the paper a list of questions answers ("27 925, nr. 919")
    signatories: tuple[Signatory, ...] = ()
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the running text, in original offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact was read: the document, the figure's original offsets, the
    sentence, and the committee question it answers, if any."""

    doc: str
    start: int
    end: int
    sentence: Span
    question: int | None = None


@dataclass(frozen=True, slots=True)
class Personnel:
    """A number of people in a mission or component, as one sentence states it.

    ``value`` holds exact and approximate counts; ``minimum``/``maximum`` hold
    ranges ("drie tot twaalf") and bounds ("maximaal 50", "ruim 100").
    ``scope`` is "contribution" (what ``country`` contributes) or
    "mission_total" (the size of the whole mission).
    """

    value: int | None
    minimum: int | None
    maximum: int | None
    qualifier: str  # exact, approx, max, min, range
    role: str
    country: str | None
    scope: str
    mission: str | None
    component: str | None
    provenance: Provenance
    valid_from: str | None = None
    valid_to: str | None = None
    modality: Modality = Modality.STATED
    basis: Basis = Basis.NONE


@dataclass(frozen=True, slots=True)
class Budget:
    """An amount of money, as one sentence states it.

    ``year`` is the year it applies to ("2023"), a period ("2014/2020") or None.
    """

    amount: Decimal
    currency: str
    year: str | None
    recurring: bool
    purpose: str
    mission: str | None
    component: str | None
    provenance: Provenance
    valid_from: str | None = None
    valid_to: str | None = None
    modality: Modality = Modality.STATED
    basis: Basis = Basis.NONE


@dataclass(frozen=True, slots=True)
class When:
    """A time as the text states it, normalised (see kg.extract.temporal).

    ``value`` is at the stated precision ("2018-09-14", "2017-11", "2018-FA",
    "2023-05/2024-04"); ``earliest``/``latest`` are ISO days, empty for an open
    side; ``start``/``end`` are original offsets of the expression.
    """

    text: str
    start: int
    end: int
    value: str
    precision: str
    earliest: str | None
    latest: str | None
    modifier: str | None = None
    anchor: str | None = None
    begin: str | None = None  # the start side's value
    finish: str | None = None  # the end side's value


@dataclass(frozen=True, slots=True)
class Event:
    """A dated statement: its trigger phrase, its time and what its sentence names."""

    label: str
    event_type: str | None
    when: When
    mission: str | None
    missions: tuple[str, ...]
    countries: tuple[str, ...]
    organisations: tuple[str, ...]
    people: tuple[str, ...]
    provenance: Provenance
    modality: Modality = Modality.STATED


@dataclass(frozen=True, slots=True)
class Period:
    """The start and/or end of a contribution or mandate, as one sentence states it."""

    mission: str | None
    component: str | None
    start: When | None
    end: When | None
    label: str
    provenance: Provenance
    modality: Modality = Modality.STATED
    basis: Basis = Basis.NONE


@dataclass(frozen=True, slots=True)
class DocResult:
    """Everything the pipeline learned from one document, ready for RDF."""

    source: SourceDoc
    meta: DocMeta
    sentences: tuple[Sentence, ...]
    footnotes: tuple[tuple[int, Span], ...] = ()  # (number, body)
    repeats: tuple[Span, ...] = ()
    personnel: tuple[Personnel, ...] = ()
    budgets: tuple[Budget, ...] = ()
    events: tuple[Event, ...] = ()
    periods: tuple[Period, ...] = ()
    question_missions: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (number, mission codes)
    warnings: tuple[str, ...] = ()
