"""Facts -> RDF quads, one named graph per document. IRIs are minted here only.

IRIs are derived from content: a document's IRI from its file name, a span's from
its document and offsets. Two builds of the same input give the same quads, and
:func:`serialize` writes them sorted, so the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import URIRef

from kg.model import (
    Basis,
    Budget,
    DocDate,
    DocResult,
    DocType,
    Event,
    Modality,
    Period,
    Personnel,
    Provenance,
    SourceRecord,
    Span,
    Value,
    When,
)
from kg.vocab import ID, KG, PREFIXES

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
XSD = PREFIXES["xsd"]
DCT = PREFIXES["dcterms"]
NIF = PREFIXES["nif"]
SCHEMA = PREFIXES["schema"]

DOC_TYPES = {
    DocType.ARTIKEL100: KG.Artikel100Brief,
    DocType.KAMERBRIEF: KG.Kamerbrief,
    DocType.VOORTGANG: KG.Voortgangsrapportage,
    DocType.VRAGEN: KG.LijstVanVragen,
    DocType.VERSLAG: KG.VerslagSchriftelijkOverleg,
    DocType.OTHER: KG.OtherDocument,
}
CHAMBERS = {"Eerste Kamer": KG.EersteKamer, "Tweede Kamer": KG.TweedeKamer}
DATE_TYPES = {"day": "date", "month": "gYearMonth", "year": "gYear"}


def node(term: URIRef | str) -> ox.NamedNode:
    """A pyoxigraph node for an rdflib term or an IRI string."""
    return ox.NamedNode(str(term))


def doc_iri(name: str) -> str:
    """The IRI of the document read from the file called ``name``.

    >>> doc_iri("seeds/002 nr 919.txt")
    'https://w3id.org/kg-iraq/id/doc/seeds%2F002%20nr%20919.txt'
    """
    return f"{ID}doc/{quote(name, safe='')}"


def graph_iri(name: str) -> str:
    """The IRI of the named graph holding one document's quads."""
    return f"{ID}graph/{quote(name, safe='')}"


def person_iri(name: str) -> str:
    """People are identified by their name as written (initials included)."""
    return f"{ID}person/{quote(' '.join(name.split()).lower().replace(' ', '-'), safe='')}"


class _Quads:
    """Collects the quads of one document's graph."""

    def __init__(self, graph: str) -> None:
        self.graph = ox.NamedNode(graph)
        self.quads: list[ox.Quad] = []

    def add(self, subject: str, predicate: URIRef | str, obj: ox.NamedNode | ox.Literal) -> None:
        self.quads.append(ox.Quad(ox.NamedNode(subject), node(predicate), obj, self.graph))

    def literal(self, subject: str, predicate: URIRef | str, value: str | int | bool) -> None:
        self.add(subject, predicate, ox.Literal(value))

    def typed(self, subject: str, predicate: URIRef | str, value: str, datatype: str) -> None:
        self.add(subject, predicate, ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)))

    def span(self, iri: str, kind: URIRef, span: Span, doc: str) -> str:
        self.add(iri, RDF_TYPE.value, node(kind))
        self.add(iri, KG.inDocument, ox.NamedNode(doc))
        # xsd:integer, as the store keeps any integer type
        self.typed(iri, NIF + "beginIndex", str(span.start), "integer")
        self.typed(iri, NIF + "endIndex", str(span.end), "integer")
        self.literal(iri, NIF + "anchorOf", span.text)
        return iri


def document_quads(result: DocResult, record_digest: str = "") -> list[ox.Quad]:
    """All quads for one document, in its own named graph; ``record_digest`` is that of
    the official record the build read it with (kg:recordDigest), if any."""
    source, meta = result.source, result.meta
    doc = doc_iri(source.name)
    out = _Quads(graph_iri(source.name))
    out.add(doc, RDF_TYPE.value, node(KG.Document))
    out.literal(doc, KG.fileName, source.name)
    out.literal(doc, KG.sha256, source.sha256)
    out.literal(doc, KG.mediaType, source.media_type)
    out.typed(doc, KG.textLength, str(len(source.text)), "integer")
    if source.record is not None:
        signers = {person_iri(signatory.name) for signatory in meta.signatories}
        _record(out, doc, source.record, signers)
    if record_digest:
        out.literal(doc, KG.recordDigest, record_digest)
    out.add(doc, KG.docType, node(DOC_TYPES[DocType(meta.doc_type.value)]))
    _evidence(out, doc, KG.docType, meta.doc_type)
    if meta.date is not None:
        _date(out, doc, meta.date)
    if meta.chamber is not None:
        out.add(doc, KG.chamber, node(CHAMBERS[meta.chamber.value]))
        _evidence(out, doc, KG.chamber, meta.chamber)
    for prop, value in (
        (KG.dossier, meta.dossier),
        (KG.number, meta.number),
        (DCT + "title", meta.title),
        (KG.committee, meta.committee),
        (KG.answersPaper, meta.about),
    ):
        if value is not None:
            out.literal(doc, prop, value.value)
            _evidence(out, doc, prop, value)
    for zaak in meta.zaken:
        out.literal(doc, KG.zaak, zaak.value)
    for signatory in meta.signatories:
        sig = f"{doc}/signature/{signatory.evidence.start}"
        person = person_iri(signatory.name)
        out.add(doc, KG.signature, ox.NamedNode(sig))
        out.add(sig, RDF_TYPE.value, node(KG.Signature))
        out.add(sig, KG.signer, ox.NamedNode(person))
        out.literal(sig, KG.office, signatory.office)
        out.add(
            sig,
            KG.evidence,
            ox.NamedNode(out.span(f"{sig}/evidence", KG.Evidence, signatory.evidence, doc)),
        )
        out.add(person, RDF_TYPE.value, node(KG.Person))
        out.literal(person, SCHEMA + "name", signatory.name)
    asked = dict(result.question_missions)
    for question in meta.questions:
        q = f"{doc}/question/{question.number}"
        for code in asked.get(question.number, ()):
            out.add(q, KG.mentions, ox.NamedNode(mission_iri(code)))
        out.add(q, RDF_TYPE.value, node(KG.Question))
        out.add(q, KG.inDocument, ox.NamedNode(doc))
        out.typed(q, KG.questionNumber, str(question.number), "integer")
        out.add(
            q,
            KG.questionSpan,
            ox.NamedNode(out.span(f"{q}/question", KG.TextSpan, question.question, doc)),
        )
        if question.answer is not None:
            out.add(
                q,
                KG.answerSpan,
                ox.NamedNode(out.span(f"{q}/answer", KG.TextSpan, question.answer, doc)),
            )
    for sentence in result.sentences:
        out.span(
            f"{doc}/sentence/{sentence.start}-{sentence.end}",
            KG.Sentence,
            Span(sentence.start, sentence.end, sentence.text),
            doc,
        )
    for number, footnote in result.footnotes:
        iri = out.span(
            f"{doc}/footnote/{footnote.start}-{footnote.end}", KG.Footnote, footnote, doc
        )
        out.typed(iri, KG.footnoteNumber, str(number), "integer")
    for repeat in result.repeats:
        out.span(f"{doc}/repeat/{repeat.start}-{repeat.end}", KG.RepeatedBlock, repeat, doc)
    for n, fact in _numbered(result.personnel):
        iri = _fact(
            out,
            source.text,
            doc,
            "personnel",
            n,
            KG.PersonnelFact,
            fact.provenance,
            fact.mission,
            fact.component,
        )
        counts: tuple[tuple[URIRef, int | None], ...] = (
            (KG.value, fact.value),
            (KG.minValue, fact.minimum),
            (KG.maxValue, fact.maximum),
        )
        for prop, count in counts:
            if count is not None:
                out.typed(iri, prop, str(count), "integer")
        out.literal(iri, KG.qualifier, fact.qualifier)
        out.literal(iri, KG.scope, fact.scope)
        out.add(iri, KG.role, ox.NamedNode(f"{ID}role/{fact.role}"))
        if fact.country is not None:
            out.add(iri, KG.country, ox.NamedNode(f"{ID}country/{fact.country}"))
        _valid(out, iri, fact.valid_from, fact.valid_to)
        _how(out, iri, fact.modality, fact.basis)
    for n, budget in _numbered(result.budgets):
        iri = _fact(
            out,
            source.text,
            doc,
            "budget",
            n,
            KG.BudgetFact,
            budget.provenance,
            budget.mission,
            budget.component,
        )
        out.typed(iri, SCHEMA + "value", str(budget.amount), "decimal")
        out.literal(iri, SCHEMA + "currency", budget.currency)
        if budget.year is not None:
            out.literal(iri, KG.year, budget.year)
        out.literal(iri, KG.recurring, budget.recurring)
        out.literal(iri, KG.purpose, budget.purpose)
        _valid(out, iri, budget.valid_from, budget.valid_to)
        _how(out, iri, budget.modality, budget.basis)
    for n, event in _numbered(result.events):
        iri = _fact(
            out, source.text, doc, "event", n, KG.Event, event.provenance, event.mission, None
        )
        out.literal(iri, KG.label, event.label)
        _how(out, iri, event.modality, None)
        if event.event_type is not None:
            out.add(iri, KG.eventType, ox.NamedNode(f"{ID}event-type/{event.event_type}"))
        out.add(iri, KG.time, ox.NamedNode(_when(out, f"{iri}/time", event.when)))
        for code in event.missions:
            out.add(iri, KG.mentions, ox.NamedNode(mission_iri(code)))
        for code in event.countries:
            out.add(iri, KG.mentions, ox.NamedNode(f"{ID}country/{code}"))
        for code in event.organisations:
            out.add(iri, KG.mentions, ox.NamedNode(f"{ID}organisation/{code}"))
        for person in event.people:
            out.literal(iri, KG.person, person)
    for n, period in _numbered(result.periods):
        iri = _fact(
            out,
            source.text,
            doc,
            "period",
            n,
            KG.Period,
            period.provenance,
            period.mission,
            period.component,
        )
        out.literal(iri, KG.label, period.label)
        _how(out, iri, period.modality, period.basis)
        for prop, side, name in (
            (KG.periodStart, period.start, "start"),
            (KG.periodEnd, period.end, "end"),
        ):
            if side is not None:
                out.literal(iri, prop, side.value)
                out.add(iri, KG.time, ox.NamedNode(_when(out, f"{iri}/{name}", side)))
    return out.quads


FactT = TypeVar("FactT", Personnel, Budget, Event, Period)


def _numbered(facts: Iterable[FactT]) -> list[tuple[int, FactT]]:
    """Each fact with its number among the facts read from the same figure (a list
    such as "twee, vier en één persoon" gives three), so that a fact's IRI depends on
    its text, not on the facts before it."""
    seen: dict[tuple[int, int], int] = {}
    numbered = []
    for fact in facts:
        key = (fact.provenance.start, fact.provenance.end)
        seen[key] = seen.get(key, -1) + 1
        numbered.append((seen[key], fact))
    return numbered


def _valid(out: _Quads, iri: str, valid_from: str | None, valid_to: str | None) -> None:
    if valid_from:
        out.literal(iri, KG.validFrom, valid_from)
    if valid_to:
        out.literal(iri, KG.validTo, valid_to)
    if not valid_from and not valid_to:
        out.literal(iri, KG.timeStated, False)  # said explicitly: the text gives no time


def _how(out: _Quads, iri: str, modality: Modality, basis: Basis | None) -> None:
    """How the text states the fact, and how its mission was decided."""
    out.add(iri, KG.modality, ox.NamedNode(modality_iri(modality)))
    if basis is not None:
        out.add(iri, KG.missionBasis, ox.NamedNode(basis_iri(basis)))


def _when(out: _Quads, iri: str, when: When) -> str:
    """A time expression node: value, precision, bounds, modifier and anchor."""
    out.add(iri, RDF_TYPE.value, node(KG.TimeExpression))
    out.literal(iri, KG.timeValue, when.value)
    out.literal(iri, KG.precision, when.precision)
    out.literal(iri, NIF + "anchorOf", when.text)
    if when.earliest:
        out.typed(iri, KG.earliest, when.earliest, "date")
    if when.latest:
        out.typed(iri, KG.latest, when.latest, "date")
    if when.modifier:
        out.literal(iri, KG.modifier, when.modifier)
    if when.anchor:
        out.typed(iri, KG.anchor, when.anchor, "date")
    return iri


def _fact(
    out: _Quads,
    text: str,
    doc: str,
    kind: str,
    n: int,
    cls: URIRef,
    provenance: Provenance,
    mission: str | None,
    component: str | None,
) -> str:
    """The quads every fact has: its class, mission, component and provenance."""
    iri = f"{doc}/{kind}/{provenance.start}-{provenance.end}/{n}"
    out.span(
        iri,
        cls,
        Span(provenance.start, provenance.end, text[provenance.start : provenance.end]),
        doc,
    )
    sentence = provenance.sentence
    out.add(iri, KG.sentence, ox.NamedNode(f"{doc}/sentence/{sentence.start}-{sentence.end}"))
    out.add(iri, KG.mission, node(mission_iri(mission)))
    if component is not None:
        out.add(iri, KG.component, ox.NamedNode(f"{ID}component/{component}"))
    if provenance.question is not None:
        out.typed(iri, KG.questionNumber, str(provenance.question), "integer")
    return iri


def modality_iri(modality: Modality) -> str:
    """A modality's IRI (the concepts of ontology/vocabularies.ttl)."""
    return f"{ID}modality/{modality.value}"


def basis_iri(basis: Basis) -> str:
    """A mission basis's IRI (the concepts of ontology/vocabularies.ttl)."""
    return f"{ID}basis/{basis.value}"


def mission_iri(code: str | None) -> str:
    """A mission's IRI; kg:NoMission where the text names none."""
    return f"{ID}mission/{code}" if code is not None else str(KG.NoMission)


def _date(out: _Quads, doc: str, date: DocDate) -> None:
    out.typed(doc, DCT + "date", date.iso, DATE_TYPES[date.precision])
    out.literal(doc, KG.datePrecision, date.precision)
    out.literal(doc, KG.dateInferred, date.inferred)
    value = Value(date.iso, date.evidence, date.inferred, date.reason, date.stated_by)
    _evidence(out, doc, DCT + "date", value)


def _record(out: _Quads, doc: str, record: SourceRecord, signers: set[str]) -> None:
    """What the official record says of the document beside the metadata it states
    (those go through :func:`_evidence`): its identifier, page, service, retrieval
    and submitters (each person once, named as the signature names them where they
    also signed: ``signers``)."""
    out.literal(doc, KG.sourceService, record.source)
    if record.identifier:
        out.literal(doc, DCT + "identifier", record.identifier)
    if record.url and _is_iri(record.url):
        out.add(doc, DCT + "source", ox.NamedNode(record.url))
    if record.download_url and _is_iri(record.download_url):
        out.typed(doc, KG.downloadUrl, record.download_url, "anyURI")
    if record.retrieved and _is_time(record.retrieved):
        out.typed(doc, KG.retrieved, record.retrieved, "dateTime")
    people = {person_iri(name): name for name in reversed(record.submitters)}
    for person, name in sorted(people.items()):
        out.add(doc, DCT + "creator", ox.NamedNode(person))
        if person not in signers:
            out.add(person, RDF_TYPE.value, node(KG.Person))
            out.literal(person, SCHEMA + "name", name)


def _is_time(text: str) -> bool:
    """An ISO 8601 date and time (a record's time of retrieval); a manifest edited by
    hand may hold anything."""
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return "T" in text


def _is_iri(text: str) -> bool:
    """An absolute http(s) address Oxigraph takes as an IRI (a record's address that is
    not one is left out rather than stored as text that looks like a link)."""
    if not text.startswith(("http://", "https://")):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _evidence(out: _Quads, doc: str, prop: URIRef | str, value: Value) -> None:
    if value.evidence is None and not value.inferred and not value.stated_by:
        return
    local = str(prop).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    iri = f"{doc}/evidence/{local}"
    out.add(doc, KG.evidence, ox.NamedNode(iri))
    if value.evidence is not None:
        out.span(iri, KG.Evidence, value.evidence, doc)
    else:
        out.add(iri, RDF_TYPE.value, node(KG.Evidence))
        out.add(iri, KG.inDocument, ox.NamedNode(doc))
    out.add(iri, KG.evidenceFor, node(prop))
    out.literal(iri, KG.inferred, value.inferred)
    if value.reason:
        out.literal(iri, KG.reason, value.reason)
    if value.stated_by:
        out.literal(iri, KG.statedBy, value.stated_by)


def sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    """Quads sort by graph, subject, predicate and object, as N-Quads terms."""
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


# Resource IRIs are written in full: their paths hold slashes that a prefixed
# name would have to escape.
SERIALIZATION_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "id"}


def serialize(quads: Iterable[ox.Quad], fmt: ox.RdfFormat) -> bytes:
    """Serialize quads in a stable order with the kg prefixes."""
    ordered = sorted(quads, key=sort_key)
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in ordered}, key=str)
        data = ox.serialize(triples, format=fmt, prefixes=SERIALIZATION_PREFIXES)
    else:
        data = ox.serialize(ordered, format=fmt, prefixes=SERIALIZATION_PREFIXES)
    assert data is not None  # no output file given: the bytes are returned
    return data
