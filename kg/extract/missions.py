"""Which mission and component a figure is about, how that was decided, and when
nothing decides.

A figure's mission comes from its own sentence (the mission named in the figure's
clause beats the others; two that compete there leave it unknown), else from the
sentences before it in the same paragraph or the lead-in of its list, else from the
section heading above it, else from the committee question it answers, else from
the document's one subject. A component is kept only where it belongs to that
mission: "force protection" names the Erbil company in OIR and the Baghdad unit in
NMI. Every answer records its basis (:class:`kg.model.Basis`).

Theatres decide too. A name that holds only in a text about its theatre
(``kg:contextLabel``: "NAVO-missie") is read as the mission whose theatre the
sentence, its paragraph or the document speaks of, and is no mission name where
none fits. A mission reached from context (not named in the sentence) is excluded
where the text speaks of another theatre: figures of the NATO mission in
Afghanistan are never NMI's. Lifespans are data as well: no fact is given a
mission or component at a time it did not exist (:func:`within_lifespan`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TypeVar

from spacy.tokens import Doc, Span

from kg.extract.modality import with_tense
from kg.gazetteer import Concept, load_gazetteer
from kg.model import Basis, BlockKind, Budget, DocMeta, NormDoc, Personnel
from kg.nlp import CONTEXT_ID, SPANS_KEY, Part
from kg.timevalue import value_bounds

HEADING_REACH = 3  # a heading's mission holds for the next headings that name none
DOCUMENT_SHARE = 3  # a theatre is the document's when named at least 1/3 as often as the top one
# Words that end a clause: a mission named beyond them competes, it does not decide.
CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "–", "—", "maar", "terwijl", "waarvan"})
# Roles of military personnel: not the people of a civilian mission.
MILITARY_ROLES = frozenset({"military", "operator", "staff_officer", "trainer", "liaison_officer"})
# "... en met twee stafofficieren aan B": "en" before these opens a phrase of its own.
COORDINATED_PHRASE = frozenset({"met", "aan", "bij", "binnen", "voor"})
# "aan OIR", "binnen NMI": a mission that governs the figure next to it.
GOVERNING = frozenset({"aan", "voor", "bij", "binnen", "in", "van", "naar", "onder"})
FactT = TypeVar("FactT", Personnel, Budget)
# Words that set a mission apart from the figure's ("los van", "naast", "behalve").
SET_ASIDE = (
    ("los", "van"),
    ("afgezien", "van"),
    ("naast",),
    ("behalve",),
    ("anders", "dan"),
    ("buiten",),
)
ARTICLES = frozenset({"de", "het", "een"})
LIST_MARKERS = ("-", "–", "—", "•", "*", "·", "▪", "○")


@dataclass(frozen=True, slots=True)
class Mention:
    """A mission, component or country named in the text (token offsets in the Doc)."""

    kind: str
    codes: tuple[str, ...]  # a label may name several components
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Attribution:
    mission: str | None
    component: str | None
    basis: Basis = Basis.NONE


_Entry = tuple[int, int, str, str, bool]  # start, end, kind, code, context


def _index(doc: Doc) -> tuple[list[int], list[_Entry]]:
    """The gazetteer spans of a Doc sorted by start, built once per Doc (and replaced
    once the names that hold only in a theatre are read)."""
    cached = doc.user_data.get("kg_mentions")
    if cached is None:
        cached = _indexed(_names_of(doc))
        doc.user_data["kg_mentions"] = cached
    return cached


def _names_of(doc: Doc) -> list[_Entry]:
    """The gazetteer spans of a Doc as the name ruler marked them."""
    return [
        (span.start, span.end, *span.label_.split(":", 1), span.id_ == CONTEXT_ID)
        for span in doc.spans[SPANS_KEY]
    ]


def _indexed(spans: list[_Entry]) -> tuple[list[int], list[_Entry]]:
    ordered = sorted(spans)
    return [s[0] for s in ordered], ordered


def mentions_in(doc: Doc, start: int, end: int, kind: str | None = None) -> list[Mention]:
    """Gazetteer mentions between token offsets ``start`` and ``end``, merged per place."""
    starts, spans = _index(doc)
    by_place: dict[tuple[int, int, str], list[str]] = {}
    for n in range(bisect_left(starts, start), len(spans)):
        span_start, span_end, span_kind, code, context = spans[n]
        if span_start >= end:
            break
        if context or span_end > end or (kind is not None and span_kind != kind):
            continue  # a name that holds only in its theatre names nothing until read as one
        by_place.setdefault((span_start, span_end, span_kind), []).append(code)
    mentions = [
        Mention(k, tuple(sorted(set(codes))), s, e) for (s, e, k), codes in by_place.items()
    ]
    # a longer name wins over a shorter one inside it ("NAVO-missie in Irak" over "Irak")
    return [
        m
        for m in sorted(mentions, key=lambda m: (m.start, -m.end))
        if not any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and o.end - o.start > m.end - m.start
            for o in mentions
        )
    ]


def resolve(candidates: Sequence[Mention], near: int) -> Attribution:
    """The mission and component the mentions point to, nearest to token ``near`` first."""
    components = load_gazetteer().of_kind("component")
    ordered = sorted(candidates, key=lambda m: (abs(_centre(m) - near), m.start))
    missions = [m for m in ordered if m.kind == "mission" and len(m.codes) == 1]
    mission = missions[0].codes[0] if missions else None
    basis = Basis.SENTENCE if mission is not None else Basis.NONE
    component = None
    for mention in (m for m in ordered if m.kind == "component"):
        fitting = [c for c in mention.codes if mission is None or components[c].mission == mission]
        if len(fitting) == 1:
            component = fitting[0]
            break
        if mission is None and len({components[c].mission for c in mention.codes}) == 1:
            mission = components[mention.codes[0]].mission  # all readings share a mission
            basis = Basis.COMPONENT
    if mission is None and component is not None:
        mission = components[component].mission
        basis = Basis.COMPONENT
    return Attribution(mission, component, basis)


def component_for(mentions: Sequence[Mention], mission: str, near: int, role: str) -> str | None:
    """The component of ``mission`` the mentions name (nearest first), else the one
    component of that mission made of people of ``role``, unless people of that role
    serve in every component (``kg:anyComponent``: militairen)."""
    gazetteer = load_gazetteer()
    components = gazetteer.of_kind("component")
    for mention in sorted(mentions, key=lambda m: abs(_centre(m) - near)):
        if mention.kind == "component":
            fitting = [c for c in mention.codes if components[c].mission == mission]
            if len(fitting) == 1:
                return fitting[0]
    known = gazetteer.of_kind("role").get(role)
    if known is not None and known.any_component:
        return None
    typical = [c.code for c in components.values() if c.mission == mission and role in c.roles]
    return typical[0] if len(typical) == 1 else None


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    concepts = load_gazetteer().of_kind("role").values()
    return frozenset(label.lower() for c in concepts for label in c.labels if " " not in label)


def is_generic(doc: Doc, mention: Mention) -> bool:
    """A component named by a role noun ("civiel expert", "stafofficieren") says who
    is counted, not which mission: such a name can fit several missions."""
    last = doc[mention.end - 1].lower_.rsplit("-", 1)[-1]
    return mention.kind == "component" and last in _role_words()


def _centre(mention: Mention) -> float:
    return (mention.start + mention.end) / 2


@dataclass(slots=True)
class SentenceContext:
    """What the surroundings of each sentence say about missions and components.

    Mentions are in the tokens of the Doc the sentences are read with; those of the
    heading, the lead-in and the question may stand in an earlier part of the
    document (token offsets below 0), and are only those that can give a figure its
    mission (:func:`_counts_for`, decided where they stand)."""

    paragraph: dict[int, list[Mention]]  # sentence start -> mentions earlier in its paragraph
    following: dict[int, list[Mention]]  # sentence start -> mentions later in its paragraph
    heading: dict[int, list[Mention]]  # sentence start -> mentions of the governing heading
    question: dict[int, tuple[int, list[Mention]]]  # sentence start -> (number, mentions)
    lead_in: dict[int, list[Mention]] = field(default_factory=dict)  # the lead-in of its list
    theatres: dict[int, frozenset[str]] = field(default_factory=dict)  # named in the sentence
    paragraph_theatres: dict[int, frozenset[str]] = field(default_factory=dict)
    document_theatres: frozenset[str] = frozenset()
    subject: str | None = None  # the one mission the document is about, if one
    day: str | None = None  # the day the text is of (ISO), if known


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """What a whole document says about missions, read before any of its figures:
    the theatres it is about, its one subject, the names of each numbered question
    (in the document's tokens, see :class:`kg.nlp.Part`; by the question's index in
    ``meta.questions``) and the missions each question and its answer name."""

    theatres: frozenset[str] = frozenset()
    subject: str | None = None
    questions: dict[int, list[Mention]] = field(default_factory=dict)
    asked: dict[int, tuple[str, ...]] = field(default_factory=dict)  # question number -> missions
    day: str | None = None  # the day the text is of (ISO), if known


@dataclass(slots=True)
class Carried:
    """What the parts of a document read so far hand the next (document tokens): the
    countries and places of their last :data:`THERE_REACH` tokens, the theatres of
    their last sentence, the recent headings and the lead-in of the list under way."""

    places: list[_Entry] = field(default_factory=list)
    scope: frozenset[str] | None = None  # None before the first sentence
    headings: list[tuple[bool, list[Mention]]] = field(default_factory=list)  # names any?
    lead: tuple[bool, list[Mention]] = field(default_factory=lambda: (False, []))  # any?, counting
    listing: bool = False  # the blocks after a lead-in are list items


def document_context(
    meta: DocMeta, parts: Callable[[], Iterable[Part]], reference: str | None = None
) -> DocumentContext:
    """What the whole document says, read part by part (``parts`` gives the parts
    anew for each reading): first the theatres of all its sentences, then, with the
    names that hold only in a theatre read as its mission, the one mission it is
    about and the names of its questions.

    ``reference`` is the day the text is of (ISO), to choose among the readings of a
    name; the document's date by default."""
    if reference is None and meta.date is not None and meta.date.precision == "day":
        reference = meta.date.iso
    counts: Counter[str] = Counter()
    for part in parts():
        by_sentence, _ = _theatres(part.norm, part.doc)
        counts.update(code for named in by_sentence.values() for code in named)
    theatres = _document_theatres(counts)
    named: set[str] = set()
    questions: dict[int, list[Mention]] = {}
    asked: dict[int, set[str]] = {}
    carried = Carried()
    for part in parts():
        sentence_theatres, paragraph_theatres = _theatres(part.norm, part.doc)
        _resolve_context_names(
            part, sentence_theatres, paragraph_theatres, theatres, reference, carried
        )
        named |= _named_missions(part.doc, part.norm)
        _read_questions(part, meta, questions, asked)
    by_number = {  # a number asked twice: the missions of the last
        q.number: tuple(sorted(asked[n])) for n, q in enumerate(meta.questions) if n in asked
    }
    return DocumentContext(theatres, _subject(named, theatres), questions, by_number, reference)


def build_context(
    part: Part, meta: DocMeta, document: DocumentContext, carried: Carried
) -> SentenceContext:
    """Index each sentence of a part of a document (by its normalized start in the
    part) to its paragraph, list lead-in, heading, question and theatres, and read the
    names that hold only in a theatre ("NAVO-missie") as the mission of the theatre
    they stand in. ``document`` is what the whole document says
    (:func:`document_context`), ``carried`` what the parts before this one handed on;
    it is brought up to the end of this part."""
    norm, doc, tokens = part.norm, part.doc, part.tokens
    sentence_theatres, paragraph_theatres = _theatres(norm, doc)
    _resolve_context_names(
        part, sentence_theatres, paragraph_theatres, document.theatres, document.day, carried
    )
    paragraph: dict[int, list[Mention]] = {}
    following: dict[int, list[Mention]] = {}
    heading: dict[int, list[Mention]] = {}
    lead_in: dict[int, list[Mention]] = {}
    sentences = list(norm.sentences)
    pointer = 0
    for block in norm.blocks:
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING):
            continue
        block_mentions = _char_mentions(doc, block.start, block.end)
        text = norm.text[block.start : block.end].strip()
        separator = not any(c.isalnum() for c in text)  # "* * *", "---": a section break
        if separator or block.kind == BlockKind.HEADING:
            named = (names_mission_or_component(block_mentions), _counting(doc, block_mentions))
            recent = [] if separator else [*carried.headings, _shifted(named, tokens)]
            carried.headings = recent[-HEADING_REACH:]
            carried.lead, carried.listing = (False, []), False
            while pointer < len(sentences) and sentences[pointer][0] < block.end:
                pointer += 1
            continue
        governing = next((m for names, m in reversed(carried.headings) if names), [])
        item = text.startswith(LIST_MARKERS) or _numbered_item(text)
        lead_names, lead = carried.lead
        listing = carried.listing
        own_lead = lead if (listing and item) or (lead_names and not listing) else []
        governing, own_lead = _moved(governing, -tokens), _moved(own_lead, -tokens)
        in_block: list[tuple[int, list[Mention]]] = []
        while pointer < len(sentences) and sentences[pointer][0] < block.end:
            start, end = sentences[pointer]
            in_block.append((start, _char_mentions(doc, start, end)))
            heading[start] = governing
            lead_in[start] = own_lead
            pointer += 1
        for n, (start, _found) in enumerate(in_block):
            paragraph[start] = [m for _, found in in_block[:n] for m in found]
            following[start] = [m for _, found in in_block[n + 1 :] for m in found]
        if text.endswith(":"):
            named = (bool(block_mentions), _counting(doc, block_mentions))
            carried.lead, carried.listing = _shifted(named, tokens), False
        elif lead_names and (item or not listing):
            carried.listing = item  # a list goes on while its items do
            if not item:
                carried.lead = (False, [])
        else:
            carried.lead, carried.listing = (False, []), False
    return SentenceContext(
        paragraph,
        following,
        heading,
        _map_questions(part, meta, document),
        lead_in,
        sentence_theatres,
        paragraph_theatres,
        document.theatres,
        document.subject,
        document.day,
    )


def whole_context(
    norm: NormDoc, meta: DocMeta, doc: Doc, reference: str | None = None
) -> SentenceContext:
    """The context of every sentence of a document read whole, with one Doc."""
    part = Part(norm, doc)
    document = document_context(meta, lambda: (part,), reference)
    return build_context(part, meta, document, Carried())


def _moved(mentions: list[Mention], by: int) -> list[Mention]:
    """The mentions ``by`` tokens further on: from a part's tokens to the document's
    and back."""
    if not by:
        return mentions
    return [Mention(m.kind, m.codes, m.start + by, m.end + by) for m in mentions]


def _shifted(named: tuple[bool, list[Mention]], by: int) -> tuple[bool, list[Mention]]:
    return named[0], _moved(named[1], by)


def _counting(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if _counts_for(doc, m)]


def _numbered_item(text: str) -> bool:
    """A list item numbered "1.", "2)", "a)"."""
    head = text[:4]
    return len(head) >= 2 and head[0].isalnum() and head[1] in ").:" and len(text) > 2


@lru_cache(maxsize=1)
def _theatre_codes() -> frozenset[str]:
    """Every country some mission works in."""
    return frozenset(t for m in load_gazetteer().of_kind("mission").values() for t in m.theatres)


@lru_cache(maxsize=1)
def _place_theatres() -> dict[str, tuple[str, ...]]:
    """Country and place codes -> the theatre countries they stand for."""
    gazetteer = load_gazetteer()
    theatres = _theatre_codes()
    out: dict[str, tuple[str, ...]] = {
        code: (code,) for code in gazetteer.of_kind("country") if code in theatres
    }
    for code, place in gazetteer.of_kind("place").items():
        out[code] = tuple(t for t in place.theatres if t in theatres)
    return out


def _theatres(
    norm: NormDoc, doc: Doc
) -> tuple[dict[int, frozenset[str]], dict[int, frozenset[str]]]:
    """The theatres each sentence names (countries and places), and those its paragraph
    gives it: of the nearest sentence before it that names one, else of the paragraph."""
    places = _place_theatres()
    by_sentence: dict[int, frozenset[str]] = {}
    by_paragraph: dict[int, frozenset[str]] = {}
    sentences = list(norm.sentences)
    pointer = 0
    for block in norm.blocks:
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING):
            continue
        starts = []
        while pointer < len(sentences) and sentences[pointer][0] < block.end:
            start, end = sentences[pointer]
            span = doc.char_span(start, end, alignment_mode="expand")
            named: set[str] = set()
            if span is not None:
                for kind in ("country", "place"):
                    for m in mentions_in(doc, span.start, span.end, kind):
                        for code in m.codes:
                            named.update(places.get(code, ()))
            by_sentence[start] = frozenset(named)
            starts.append(start)
            pointer += 1
        whole = frozenset(t for start in starts for t in by_sentence[start])
        for n, start in enumerate(starts):
            # the nearest sentence before it that names a theatre ("In Afghanistan ...
            # Bij de NAVO-missie daar ..."), else the paragraph's
            earlier = (by_sentence[s] for s in reversed(starts[:n]) if by_sentence[s])
            by_paragraph[start] = next(earlier, whole)
    return by_sentence, by_paragraph


def _document_theatres(counts: Counter[str]) -> frozenset[str]:
    """The theatres a document is about: those named in at least a third as many
    sentences as the one named most (``counts``: sentences that name each)."""
    if not counts:
        return frozenset()
    top = max(counts.values())
    return frozenset(c for c, n in counts.items() if n * DOCUMENT_SHARE >= top)


def scope_theatres(context: SentenceContext, start: int) -> frozenset[str]:
    """The theatres a sentence speaks of: its own, else its paragraph's, else the document's."""
    return _in_scope(context.theatres, context.paragraph_theatres, context.document_theatres, start)


def _in_scope(
    by_sentence: dict[int, frozenset[str]],
    by_paragraph: dict[int, frozenset[str]],
    document: frozenset[str],
    start: int,
) -> frozenset[str]:
    return by_sentence.get(start) or by_paragraph.get(start) or document


def _fits_theatre(concept: Concept, theatres: frozenset[str]) -> bool:
    """A mission or component works in one of the theatres (or says nothing of theatres)."""
    return not theatres or not concept.theatres or bool(theatres & set(concept.theatres))


def _active_near(concept: Concept, day: str | None) -> bool:
    """The mission existed within a year of the day: a letter announces a mission
    before it starts and looks back on one after it ends."""
    if day is None:
        return True
    year = int(day[:4])
    before, after = f"{year - 1}{day[4:]}", f"{year + 1}{day[4:]}"
    return (concept.active_from is None or concept.active_from <= after) and (
        concept.active_until is None or before <= concept.active_until
    )


def _resolve_context_names(
    part: Part,
    sentence_theatres: dict[int, frozenset[str]],
    paragraph_theatres: dict[int, frozenset[str]],
    document_theatres: frozenset[str],
    day: str | None,
    carried: Carried,
) -> None:
    """Read each name of a part that holds only in a theatre as the missions (or
    components) of the theatre its sentence, paragraph or document speaks of, existing
    at the document's date; a name no theatre decides is dropped. ``carried`` gives
    what the parts before said (the places "daar" points back to, the theatres of the
    last sentence) and takes what this part says, for the next."""
    doc, norm = part.doc, part.norm
    _starts, spans = _indexed(_names_of(doc))
    places = [e for e in spans if e[2] in ("country", "place")]
    if not doc.user_data.get("kg_resolved"):  # a Doc is read once
        before = [(s - part.tokens, e - part.tokens, k, c, x) for s, e, k, c, x in carried.places]
        doc.user_data["kg_mentions"] = _indexed(
            _resolved(
                part,
                spans,
                before + places,
                (sentence_theatres, paragraph_theatres, document_theatres),
                day,
                carried.scope,
            )
        )
        doc.user_data["kg_resolved"] = True
    if norm.sentences:
        last = max(norm.sentences)[0]
        carried.scope = _in_scope(sentence_theatres, paragraph_theatres, document_theatres, last)
    end = part.tokens + len(doc)
    moved = [(s + part.tokens, e + part.tokens, k, c, x) for s, e, k, c, x in places]
    carried.places = [e for e in carried.places + moved if e[0] >= end - THERE_REACH]


def _resolved(
    part: Part,
    spans: list[_Entry],
    places: list[_Entry],
    theatres: tuple[dict[int, frozenset[str]], dict[int, frozenset[str]], frozenset[str]],
    day: str | None,
    scope_before: frozenset[str] | None,
) -> list[_Entry]:
    """The spans with each name that holds only in a theatre read (see
    :func:`_resolve_context_names`); ``places`` are the countries and places, those of
    the parts before included, and ``scope_before`` the theatres of the sentence before
    the part."""
    doc, norm = part.doc, part.norm
    sentence_theatres, paragraph_theatres, document_theatres = theatres
    gazetteer = load_gazetteer()
    concepts = {**gazetteer.of_kind("mission"), **gazetteer.of_kind("component")}
    bounds = sorted(norm.sentences)
    kept: list[_Entry] = []
    ended: dict[tuple[int, int], list[_Entry]] = {}  # "de NAVO-missie daar": missions of the past
    for entry in spans:
        start, end, kind, code, context = entry
        if not context:
            kept.append(entry)
            continue
        char = doc[start].idx
        at = bisect_left(bounds, (char + 1, 0)) - 1
        if at < 0 and scope_before is not None:  # after the last sentence of a part before
            scope = scope_before
        else:
            sentence = bounds[at][0] if at >= 0 else -1
            scope = _in_scope(sentence_theatres, paragraph_theatres, document_theatres, sentence)
        there = _there(doc, places, start, end)
        found = there or scope
        concept = concepts.get(code)
        if concept is None or not found & set(concept.theatres):
            continue
        if _active_near(concept, day):
            kept.append((start, end, kind, code, False))
        elif there and (day is None or (concept.active_from or "") <= day):
            ended.setdefault((start, end), []).append((start, end, kind, code, False))
    named = {(e[0], e[1]) for e in kept if e[2] in ("mission", "component")}
    for place, readings in ended.items():
        if place not in named:  # none works there now: the one that ended last
            kept.append(max(readings, key=lambda e: concepts[e[3]].active_until or ""))
    return _of_the_time(kept, concepts, day)


THERE = frozenset({"daar", "aldaar", "ginds"})
THERE_REACH = 40  # tokens back to the place "daar" points to


def _there(doc: Doc, spans: list[_Entry], start: int, end: int) -> frozenset[str]:
    """The theatre of "de NAVO-missie daar": the place named last before the name
    ("... waren eerder in Afghanistan. Bij de NAVO-missie daar ..."); ``spans`` are
    the countries and places, sorted."""
    if end >= len(doc) or doc[end].lower_ not in THERE:
        return frozenset()
    places = _place_theatres()
    window = spans[bisect_left(spans, (start - THERE_REACH,)) : bisect_left(spans, (start + 1,))]
    before = [e for e in window if e[1] <= start]
    if not before:
        return frozenset()
    last = max(e[0] for e in before)
    return frozenset(t for e in before if e[0] == last for t in places.get(e[3], ()))


def _of_the_time(
    spans: list[_Entry], concepts: dict[str, Concept], day: str | None
) -> list[_Entry]:
    """Of the readings of one name ("force protection": the Erbil company until 2023,
    the Baghdad unit from 2024), those that existed near the document's date, where
    any did; a name with one reading keeps it (a letter looks back)."""
    places: dict[tuple[int, int, str], list[_Entry]] = {}
    for entry in spans:
        places.setdefault((entry[0], entry[1], entry[2]), []).append(entry)
    out: list[_Entry] = []
    for readings in places.values():
        if len(readings) > 1:
            current = [
                e for e in readings if e[3] not in concepts or _active_near(concepts[e[3]], day)
            ]
            readings = current or readings
        out.extend(readings)
    return out


def _named_missions(doc: Doc, norm: NormDoc) -> set[str]:
    """The missions the running text names, each by a name of its own."""
    found: set[str] = set()
    for start, end in norm.sentences:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for m in mentions_in(doc, span.start, span.end, "mission"):
            if len(m.codes) == 1 and not _set_aside(doc, span, m):
                found.add(m.codes[0])
    return found


def _subject(missions: set[str], theatres: frozenset[str]) -> str | None:
    """The one mission a document names in the theatres it is about, if it names one."""
    concepts = load_gazetteer().of_kind("mission")
    fitting = {m for m in missions if _fits_theatre(concepts[m], theatres)}
    return next(iter(fitting)) if len(fitting) == 1 else None


def outside_names(doc: Doc, sentence: Span, mentions: list[Mention]) -> list[Mention]:
    """Of ``mentions``, those that are not part of the name of a mission or component
    the sentence names ("Iraq" in "NATO Mission Iraq")."""
    names = [
        (m.start, m.end)
        for kind in ("mission", "component")
        for m in mentions_in(doc, sentence.start, sentence.end, kind)
    ]
    return [m for m in mentions if not any(s <= m.start and m.end <= e for s, e in names)]


def names_mission_or_component(mentions: list[Mention]) -> bool:
    """Some of the mentions name a mission or a component."""
    return any(m.kind in ("mission", "component") for m in mentions)


def _char_mentions(doc: Doc, start: int, end: int) -> list[Mention]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [m for m in mentions_in(doc, span.start, span.end) if m.kind != "country"]


def _read_questions(
    part: Part, meta: DocMeta, questions: dict[int, list[Mention]], asked: dict[int, set[str]]
) -> None:
    """Add the names of each numbered question that the part holds (document tokens;
    those that can give a figure its mission) to ``questions``, and the missions the
    question and its answer name to ``asked``, by the question's index."""
    norm, doc = part.norm, part.doc
    if not norm.running_end:
        return
    first, last = norm.offsets[0], norm.offsets[norm.running_end - 1]  # of the running text
    for n, q in enumerate(meta.questions):
        end = q.answer.end if q.answer is not None else q.question.end
        if max(end, q.question.end) <= first or q.question.start > last:
            continue  # not in this part
        span = _original_to_tokens(norm, doc, q.question.start, q.question.end)
        if span is not None:
            found = [m for m in mentions_in(doc, span.start, span.end) if m.kind != "country"]
            questions.setdefault(n, []).extend(_moved(_counting(doc, found), part.tokens))
        span = _original_to_tokens(norm, doc, q.question.start, end)
        if span is not None:
            missions = mentions_in(doc, span.start, span.end, "mission")
            asked.setdefault(n, set()).update(c for m in missions for c in m.codes)


def _map_questions(
    part: Part, meta: DocMeta, document: DocumentContext
) -> dict[int, tuple[int, list[Mention]]]:
    """Each question and answer sentence of the part gets its question's number and
    the question's mentions (in the part's tokens)."""
    out: dict[int, tuple[int, list[Mention]]] = {}
    if not meta.questions:
        return out
    ranges = []
    for n, q in enumerate(meta.questions):
        end = q.answer.end if q.answer is not None else q.question.end
        ranges.append((q.question.start, end, n, q.number))
    named: dict[int, list[Mention]] = {}
    for start, _end in part.norm.sentences:
        original = part.norm.offsets[start]
        for q_start, a_end, n, number in ranges:
            if q_start <= original < a_end:
                if n not in named:
                    named[n] = _moved(document.questions.get(n, []), -part.tokens)
                out[start] = (number, named[n])
                break
    return out


def _original_to_tokens(norm: NormDoc, doc: Doc, start: int, end: int) -> Span | None:
    """The tokens of the running text that hold original offsets start..end."""
    first, last = norm.from_original(start), norm.from_original(end)
    if first >= last:
        return None
    return doc.char_span(first, last, alignment_mode="expand")


def attribute(
    doc: Doc,
    sentence: Span,
    first: int,
    end: int,
    context: SentenceContext,
    start: int,
    role: str | None = None,
    questions: bool = True,
    foreign: bool = False,
) -> Attribution:
    """The mission and component of the figure at tokens ``first``..``end`` of
    ``sentence`` (normalized start ``start``), with the basis they were decided on.

    The figure's own sentence first: a single mission it names, else the one named
    in the figure's clause or governing the figure ("200 militairen aan NMI");
    missions that compete there and that nothing decides leave the mission unknown
    (:attr:`Basis.AMBIGUOUS`), and so does a figure placed in a whole country where
    several missions work ("In Irak zijn 300 militairen"). Then the one component
    whose place and typical role the sentence names ("beveiligen ... Erbil
    International Airport"), the paragraph before it, the lead-in of its list, the
    heading above it, the question it answers, the places it names
    (:func:`_by_place`), the rest of its paragraph, the document's one subject, and
    last the counted words themselves ("civiel expert").
    ``questions`` False leaves the committee question out (a period's mission is not
    taken from the question it answers); ``foreign`` says the figure counts another
    country's people (not given a theatre's one mission or the document's). A mission
    not named in the sentence must work in the theatre the text speaks of; where it
    does not, the place the sentence names decides, or the mission is
    :attr:`Basis.EXCLUDED`.
    """
    own = [
        m
        for m in mentions_in(doc, sentence.start, sentence.end)
        if m.kind in ("mission", "component") and not _set_aside(doc, sentence, m)
    ]
    inside = [m for m in own if m.start < end and m.end > first]
    outside = [m for m in own if m not in inside and not is_generic(doc, m)]
    found = _from_sentence(doc, sentence, outside, first, end)
    if found.basis == Basis.AMBIGUOUS:
        return found
    if found.mission is None and _whole_theatre(doc, sentence, context, role):
        return Attribution(None, None, Basis.AMBIGUOUS)  # "In Irak zijn 300 militairen"
    if found.mission is None and role is not None:
        placed = _by_place(doc, sentence, context, role, foreign)
        if placed.component is not None:
            found = placed  # "beveiligen ... Erbil International Airport": the place's component
    if found.mission is None:
        fallbacks = (  # the lead-in, heading and question hold only names that count
            (Basis.PARAGRAPH, _counting(doc, context.paragraph.get(start, []))),
            (Basis.PARAGRAPH, context.lead_in.get(start, [])),
            (Basis.HEADING, context.heading.get(start, [])),
            (Basis.QUESTION, context.question.get(start, (0, []))[1] if questions else []),
        )
        for basis, mentions in fallbacks:
            found = resolve(mentions, sentence.start)
            if found.mission is not None:
                found = Attribution(found.mission, found.component, basis)
                break
    if found.mission is None:
        found = _by_place(doc, sentence, context, role, foreign)
    if found.mission is None:  # a later sentence of the paragraph, the weakest context
        later = [m for m in context.following.get(start, []) if _counts_for(doc, m)]
        found = resolve(later, sentence.start)
        found = Attribution(found.mission, found.component, Basis.PARAGRAPH)
    if found.mission is None and context.subject is not None and not foreign:
        found = Attribution(context.subject, None, Basis.DOCUMENT)
    if found.mission is None:
        found = resolve(inside, first)  # the counted words: "twee civiele experts"
        civilian = found.mission is not None and _is_civilian(found.mission)
        if civilian and _mixed(doc, first, end):
            found = Attribution(None, None, Basis.NONE)  # "militaire en civiele experts"
    if found.mission is None:
        return Attribution(None, None, Basis.NONE)
    if found.basis != Basis.SENTENCE:
        concept = load_gazetteer().of_kind("mission")[found.mission]
        if concept.civilian and role in MILITARY_ROLES:
            return Attribution(None, None, Basis.NONE)  # the context's civilian mission
        if not _fits_theatre(concept, scope_theatres(context, start)):
            # the context's mission works elsewhere: the place the sentence names may tell
            placed = _by_place(doc, sentence, context, role, foreign)
            return placed if placed.mission is not None else Attribution(None, None, Basis.EXCLUDED)
    component = found.component
    if component is None and role is not None:
        component = component_for(inside + outside, found.mission, first, role)
    return Attribution(found.mission, component, found.basis)


def _counts_for(doc: Doc, mention: Mention) -> bool:
    """A mention of the context that can give a figure its mission: not a role noun,
    not set apart ("Deze capaciteitsopbouw valt buiten de anti-ISIS-coalitie")."""
    return not is_generic(doc, mention) and not _set_aside(doc, doc[:], mention)


def _is_civilian(mission: str) -> bool:
    return load_gazetteer().of_kind("mission")[mission].civilian


def _mixed(doc: Doc, first: int, end: int) -> bool:
    """The counted words name military and civilian people at once ("militaire en
    civiele experts"): not the people of a civilian mission."""
    words = {t.lower_ for t in doc[first:end]}
    return any(w.startswith("militair") for w in words) and any(
        w.startswith("civiel") for w in words
    )


def _set_aside(doc: Doc, sentence: Span, mention: Mention) -> bool:
    """A mission the sentence sets apart from what it states ("Los van de strijd tegen
    ISIS trainen ... in Jordanië", "Naast de bijdrage aan OIR ..."): not the figure's."""
    words = [t.lower_ for t in doc[max(sentence.start, mention.start - 3) : mention.start]]
    while words and words[-1] in ARTICLES:
        words.pop()
    return any(tuple(words[-len(cue) :]) == cue for cue in SET_ASIDE)


def _whole_theatre(
    doc: Doc, sentence: Span, context: SentenceContext, role: str | None = None
) -> bool:
    """The sentence places its figure in a whole country ("in Irak") in which several
    missions work at its time: a figure of the whole Dutch presence there, not of one
    mission the paragraph names."""
    for m in mentions_in(doc, sentence.start, sentence.end, "country"):
        if not m.start or doc[m.start - 1].lower_ != "in" or m.codes[0] not in _theatre_codes():
            continue
        if len(_working_in(frozenset(m.codes[:1]), context.day, role)) > 1:
            return True
    return False


def _working_in(
    theatres: frozenset[str], day: str | None, role: str | None = None
) -> list[Concept]:
    """The missions that work in any of the theatres and existed near the day; for a
    count of military personnel, not the civilian ones (kg:civilian)."""
    military = role in MILITARY_ROLES
    return [
        m
        for m in load_gazetteer().of_kind("mission").values()
        if theatres & set(m.theatres) and _active_near(m, day) and not (military and m.civilian)
    ]


def _by_place(
    doc: Doc, sentence: Span, context: SentenceContext, role: str | None, foreign: bool = False
) -> Attribution:
    """The mission of the places a sentence names: the one component whose place and
    typical role these are ("130 instructeurs in Noord-Irak"), else the one mission
    working in the theatres named ("250 militairen naar Litouwen"), existing near the
    document's date."""
    gazetteer = load_gazetteer()
    named = {
        code
        for kind in ("place", "country")
        for m in mentions_in(doc, sentence.start, sentence.end, kind)
        for code in m.codes
    }
    if not named:
        return Attribution(None, None, Basis.NONE)
    if role is not None:
        components = [
            c
            for c in gazetteer.of_kind("component").values()
            if role in c.roles and named & set(c.locations) and _active_near(c, context.day)
        ]
        if len(components) == 1:
            component = components[0]
            return Attribution(component.mission, component.code, Basis.PLACE)
        if components:
            return Attribution(None, None, Basis.NONE)
    if foreign:
        return Attribution(None, None, Basis.NONE)  # another country's troops there
    theatres = frozenset(named & _theatre_codes())
    missions = _working_in(theatres, context.day, role)
    if theatres and len(missions) == 1:
        return Attribution(missions[0].code, None, Basis.PLACE)
    return Attribution(None, None, Basis.NONE)


def _from_sentence(
    doc: Doc, sentence: Span, mentions: list[Mention], first: int, end: int
) -> Attribution:
    """The mission the figure's own sentence gives it, if it gives one."""
    missions = [m for m in mentions if m.kind == "mission"]
    codes = {c for m in missions for c in m.codes}
    if len(codes) <= 1:
        return resolve(mentions, first)
    low, high = _clause(doc, sentence, first, end)
    in_clause = [m for m in missions if m.start >= low and m.end <= high]
    clause_codes = {c for m in in_clause for c in m.codes}
    if len(clause_codes) == 1:
        return resolve([m for m in mentions if m.start >= low and m.end <= high], first)
    nearest = _clearly_nearest(in_clause, first, end)
    if nearest is not None:
        return resolve([nearest, *(m for m in mentions if m.kind == "component")], first)
    governing = _governing(doc, in_clause or missions, first, end)
    if governing is not None:
        return resolve([governing, *(m for m in mentions if m.kind == "component")], first)
    # a component in the clause that belongs to one of the competing missions decides
    components = load_gazetteer().of_kind("component")
    for m in mentions:
        if m.kind == "component" and low <= m.start and m.end <= high:
            fitting = {components[c].mission for c in m.codes} & (clause_codes or codes)
            if len(fitting) == 1:
                mission = fitting.pop()
                component = next(c for c in m.codes if components[c].mission == mission)
                return Attribution(mission, component, Basis.COMPONENT)
    return Attribution(None, None, Basis.AMBIGUOUS)


def _clearly_nearest(missions: list[Mention], first: int, end: int) -> Mention | None:
    """The mission of a clause at most half as far from the figure as any other."""
    if len(missions) < 2:
        return None

    def distance(m: Mention) -> int:
        return max(m.start - end, first - m.end, 0) + 1

    ordered = sorted(missions, key=distance)
    best, second = ordered[0], next((m for m in ordered if m.codes != ordered[0].codes), None)
    if second is None or len(best.codes) != 1 or 2 * distance(best) > distance(second):
        return None
    return best


def _clause(doc: Doc, sentence: Span, first: int, end: int) -> tuple[int, int]:
    """Token bounds of the clause that holds the figure: up to the nearest clause break
    on either side (commas, semicolons, brackets, "maar", "terwijl")."""
    low = first
    while low > sentence.start and not _breaks(doc, low - 1):
        low -= 1
    high = end
    while high < sentence.end and not _breaks(doc, high):
        high += 1
    return low, high


def _breaks(doc: Doc, i: int) -> bool:
    """Token ``i`` ends a clause: a clause break, or "en" opening a phrase of its own
    ("met één adviseur bij aan A en met twee stafofficieren aan B")."""
    lower = doc[i].lower_
    if lower in CLAUSE_BREAKS:
        return True
    following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    return lower in ("en", "of") and following in COORDINATED_PHRASE


def _governing(doc: Doc, missions: list[Mention], first: int, end: int) -> Mention | None:
    """A mission right next to the figure that governs it ("200 militairen aan NMI",
    "binnen OIR zes stafofficieren"), unless it is coordinated with another one
    ("aan OIR en NMI")."""

    def after(m: Mention) -> bool:  # "200 militairen aan NMI", not "... en aan UNIFIL met één"
        between = {t.lower_ for t in doc[end : m.start]}
        return (
            end <= m.start <= end + 2
            and doc[m.start - 1].lower_ in GOVERNING
            and not between & {"en", "of", ",", ";"}
        )

    def before(m: Mention) -> bool:  # "binnen OIR zes stafofficieren", not "aan OIR en 50"
        between = {t.lower_ for t in doc[m.end : first]}
        return (
            first - 3 <= m.end <= first
            and doc[max(m.start - 1, 0)].lower_ in GOVERNING
            and not between & {"en", "of", ",", ";"}
        )

    ordered = sorted(missions, key=lambda m: (not after(m), abs(m.start - end)))
    for m in ordered:
        if not (after(m) or before(m)) or len(m.codes) != 1:
            continue
        neighbours = {doc[m.start - 1].lower_ if m.start else "", doc[m.end].lower_}
        if m.end < len(doc) and neighbours & {"en", "of", "/"}:
            coordinated = any(o is not m and abs(o.start - m.end) <= 2 for o in missions)
            if coordinated or any(abs(m.start - o.end) <= 2 for o in missions if o is not m):
                return None
        return m
    return None


def within_lifespan(
    mission: str | None, component: str | None, earliest: str | None, latest: str | None
) -> tuple[str | None, str | None, bool]:
    """The mission and component a fact applying from ``earliest`` to ``latest``
    (ISO days, None where open) can have: one that did not exist then is dropped.
    The flag says the mission was dropped.

    >>> within_lifespan("NMI", None, "2016-01-01", "2016-12-31")
    (None, None, True)
    >>> within_lifespan("NMI", "helicopter-detachment", "2019-01-01", "2019-12-31")
    ('NMI', None, False)
    """
    gazetteer = load_gazetteer()
    if mission is not None and not _overlaps(
        gazetteer.of_kind("mission")[mission], earliest, latest
    ):
        return None, None, True
    if component is not None:
        concept = gazetteer.of_kind("component")[component]
        if not _overlaps(concept, earliest, latest):
            component = None
    return mission, component, False


def component_at(doc: Doc, sentence: Span, earliest: str | None, latest: str | None) -> Attribution:
    """The one component the sentence names (by a name of its own, not a role noun)
    that existed from ``earliest`` to ``latest``: of "de force protection-compagnie
    was daar sinds juni 2021 gelegerd" the Erbil company, not the Baghdad unit of 2024."""
    components = load_gazetteer().of_kind("component")
    alive = {
        code
        for m in mentions_in(doc, sentence.start, sentence.end, "component")
        if not is_generic(doc, m)
        for code in m.codes
        if _overlaps(components[code], earliest, latest)
    }
    if len(alive) != 1:
        return Attribution(None, None, Basis.NONE)
    code = alive.pop()
    return Attribution(components[code].mission, code, Basis.COMPONENT)


def _overlaps(concept: Concept, earliest: str | None, latest: str | None) -> bool:
    if concept.active_from is not None and latest is not None and latest < concept.active_from:
        return False
    return not (
        concept.active_until is not None
        and earliest is not None
        and earliest > concept.active_until
    )


def settle(fact: FactT, anchor: str | None) -> FactT:
    """A fact whose valid time is known, with the mission and component people can
    have served in then (:func:`within_lifespan`; not for money) and, stated for a
    time after the document's date ``anchor``, planned
    (:func:`kg.extract.modality.with_tense`)."""
    earliest, latest = valid_days(fact.valid_from, fact.valid_to)
    modality = with_tense(fact.modality, earliest, anchor)
    if isinstance(fact, Budget):  # money is reserved before and spent after (redeployment)
        return replace(fact, modality=modality)
    mission, component, dropped = within_lifespan(fact.mission, fact.component, earliest, latest)
    basis = Basis.EXCLUDED if dropped else fact.basis
    return replace(fact, mission=mission, component=component, basis=basis, modality=modality)


def valid_days(valid_from: str | None, valid_to: str | None) -> tuple[str | None, str | None]:
    """The first and last day of a fact's valid time, as ISO days (None where open)."""
    try:
        low = value_bounds(valid_from)[0] if valid_from else None
        high = value_bounds(valid_to)[1] if valid_to else None
    except ValueError:
        return None, None
    return (low.isoformat() if low else None), (high.isoformat() if high else None)
