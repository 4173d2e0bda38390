"""The kg vocabulary as Python names, checked against ontology/kg.ttl.

``KG`` is an rdflib ``DefinedNamespace`` with ``_fail = True``: a misspelt term
(``KG.Documnet``) raises at once instead of minting a new IRI. A test keeps this
list and the ontology in step.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

ONTOLOGY_IRI = "https://w3id.org/kg-iraq/ontology"
ID = "https://w3id.org/kg-iraq/id/"

PREFIXES = {
    "kg": ONTOLOGY_IRI + "#",
    "id": ID,
    "dcterms": "http://purl.org/dc/terms/",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class KG(DefinedNamespace):
    """Terms of the kg ontology (ontology/kg.ttl)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Document: URIRef
    DocumentType: URIRef
    Chamber: URIRef
    TextSpan: URIRef
    Sentence: URIRef
    Footnote: URIRef
    RepeatedBlock: URIRef
    Evidence: URIRef
    Question: URIRef
    Signature: URIRef
    Person: URIRef
    Mission: URIRef
    Component: URIRef
    Fact: URIRef
    PersonnelFact: URIRef
    BudgetFact: URIRef
    Event: URIRef
    Period: URIRef
    TimeExpression: URIRef
    Role: URIRef
    Country: URIRef
    Organisation: URIRef
    EventType: URIRef
    Place: URIRef
    Modality: URIRef
    MissionBasis: URIRef
    PeriodCue: URIRef
    PlausibilityBound: URIRef

    # document types and chambers (individuals)
    Artikel100Brief: URIRef
    Kamerbrief: URIRef
    Voortgangsrapportage: URIRef
    LijstVanVragen: URIRef
    VerslagSchriftelijkOverleg: URIRef
    OtherDocument: URIRef
    EersteKamer: URIRef
    TweedeKamer: URIRef

    # document properties
    fileName: URIRef
    sha256: URIRef
    mediaType: URIRef
    textLength: URIRef
    docType: URIRef
    chamber: URIRef
    dossier: URIRef
    number: URIRef
    zaak: URIRef
    committee: URIRef
    answersPaper: URIRef
    datePrecision: URIRef
    dateInferred: URIRef
    signature: URIRef
    signer: URIRef
    office: URIRef
    sourceService: URIRef
    retrieved: URIRef
    downloadUrl: URIRef
    recordDigest: URIRef
    statedBy: URIRef

    # facts
    NoMission: URIRef
    mission: URIRef
    component: URIRef
    country: URIRef
    role: URIRef
    value: URIRef
    minValue: URIRef
    maxValue: URIRef
    qualifier: URIRef
    scope: URIRef
    sentence: URIRef
    year: URIRef
    recurring: URIRef
    purpose: URIRef
    validFrom: URIRef
    validTo: URIRef
    typicalRole: URIRef
    softwareVersion: URIRef
    rulesDigest: URIRef
    textDigest: URIRef
    timeStated: URIRef
    time: URIRef
    timeValue: URIRef
    precision: URIRef
    earliest: URIRef
    latest: URIRef
    modifier: URIRef
    anchor: URIRef
    eventType: URIRef
    label: URIRef
    mentions: URIRef
    person: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    modality: URIRef
    missionBasis: URIRef

    # the vocabularies' own terms (ontology/missions.ttl, vocabularies.ttl)
    theatre: URIRef
    inCountry: URIRef
    location: URIRef
    activeFrom: URIRef
    activeUntil: URIRef
    contextLabel: URIRef
    exceptIn: URIRef
    rank: URIRef
    matchWithin: URIRef
    civilian: URIRef
    anyComponent: URIRef
    maxPlausible: URIRef

    # spans, evidence and provenance
    inDocument: URIRef
    evidence: URIRef
    evidenceFor: URIRef
    inferred: URIRef
    reason: URIRef
    footnoteNumber: URIRef
    questionNumber: URIRef
    questionSpan: URIRef
    answerSpan: URIRef

    # reconciliation (kg/reconcile.py)
    comparedFromYear: URIRef
    comparedToYear: URIRef
    conflictsWith: URIRef
    supersedes: URIRef
    confirms: URIRef

    # consolidation (kg/consolidate/)
    ContributionPhase: URIRef
    StrengthStep: URIRef
    ConsolidationRule: URIRef
    SideStatus: URIRef
    TimeBasis: URIRef
    ofMission: URIRef
    ofComponent: URIRef
    ofRole: URIRef
    supportedBy: URIRef
    joinedBy: URIRef
    startMention: URIRef
    endMention: URIRef
    startTime: URIRef
    endTime: URIRef
    plannedStartTime: URIRef
    plannedEndTime: URIRef
    startStatus: URIRef
    endStatus: URIRef
    startConflictsWith: URIRef
    endConflictsWith: URIRef
    startSupersedes: URIRef
    endSupersedes: URIRef
    extendsEnd: URIRef
    cutsEnd: URIRef
    timeBasis: URIRef
    stepFrom: URIRef
    stepTo: URIRef
    representative: URIRef


def ontology_dir() -> Path:
    """The folder that holds the ontology files.

    Installed, it is package data (kg/ontology); in a source checkout it is the
    top-level ontology/ folder beside the package.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "ontology"
    return packaged if packaged.is_dir() else here.parent / "ontology"
