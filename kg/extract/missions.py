"""Which mission and component a figure is about, and where in the text that is said.

A figure's mission comes from its own sentence (the component or mission named
nearest to it), else from the sentences before it in the same paragraph, else
from the section heading, else from the committee question it answers. A
component is kept only where it belongs to that mission: "force protection"
names the Erbil company in OIR and the Baghdad unit in NMI.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.gazetteer import load_gazetteer
from kg.model import BlockKind, DocMeta, NormDoc
from kg.nlp import SPANS_KEY

HEADING_REACH = 3  # a heading's mission holds for the next headings that name none


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


def _index(doc: Doc) -> tuple[list[int], list[tuple[int, int, str, str]]]:
    """The gazetteer spans of a Doc sorted by start, built once per Doc."""
    cached = doc.user_data.get("kg_mentions")
    if cached is None:
        spans = sorted(
            (span.start, span.end, *span.label_.split(":", 1)) for span in doc.spans[SPANS_KEY]
        )
        cached = ([s[0] for s in spans], spans)
        doc.user_data["kg_mentions"] = cached
    return cached


def mentions_in(doc: Doc, start: int, end: int, kind: str | None = None) -> list[Mention]:
    """Gazetteer mentions between token offsets ``start`` and ``end``, merged per place."""
    starts, spans = _index(doc)
    by_place: dict[tuple[int, int, str], list[str]] = {}
    for span_start, span_end, span_kind, code in spans[bisect_left(starts, start) :]:
        if span_start >= end:
            break
        if span_end > end or (kind is not None and span_kind != kind):
            continue
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
    missions = [m for m in ordered if m.kind == "mission"]
    mission = missions[0].codes[0] if missions else None
    component = None
    for mention in (m for m in ordered if m.kind == "component"):
        fitting = [c for c in mention.codes if mission is None or components[c].mission == mission]
        if len(fitting) == 1:
            component = fitting[0]
            break
        if mission is None and len({components[c].mission for c in mention.codes}) == 1:
            mission = components[mention.codes[0]].mission  # all readings share a mission
    if mission is None and component is not None:
        mission = components[component].mission
    return Attribution(mission, component)


def component_for(mentions: Sequence[Mention], mission: str, near: int, role: str) -> str | None:
    """The component of ``mission`` the mentions name (nearest first), else the one
    component of that mission made of people of ``role``."""
    components = load_gazetteer().of_kind("component")
    for mention in sorted(mentions, key=lambda m: abs(_centre(m) - near)):
        if mention.kind == "component":
            fitting = [c for c in mention.codes if components[c].mission == mission]
            if len(fitting) == 1:
                return fitting[0]
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
    """What the surroundings of each sentence say about missions and components."""

    paragraph: dict[int, list[Mention]]  # sentence start -> mentions earlier in its paragraph
    following: dict[int, list[Mention]]  # sentence start -> mentions later in its paragraph
    heading: dict[int, list[Mention]]  # sentence start -> mentions of the governing heading
    question: dict[int, tuple[int, list[Mention]]]  # sentence start -> (number, mentions)


def build_context(norm: NormDoc, meta: DocMeta, doc: Doc) -> SentenceContext:
    """Index each sentence (by its normalized start) to its paragraph, heading and question."""
    paragraph: dict[int, list[Mention]] = {}
    following: dict[int, list[Mention]] = {}
    heading: dict[int, list[Mention]] = {}
    question: dict[int, tuple[int, list[Mention]]] = {}
    recent_headings: list[list[Mention]] = []
    sentences = list(norm.sentences)
    pointer = 0
    for block in norm.blocks:
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.HEADING):
            continue
        block_mentions = _char_mentions(doc, block.start, block.end)
        if block.kind == BlockKind.HEADING:
            recent_headings = [*recent_headings, block_mentions][-HEADING_REACH:]
            while pointer < len(sentences) and sentences[pointer][0] < block.end:
                pointer += 1
            continue
        governing = next((m for m in reversed(recent_headings) if _has_mission_or_component(m)), [])
        in_block: list[tuple[int, list[Mention]]] = []
        while pointer < len(sentences) and sentences[pointer][0] < block.end:
            start, end = sentences[pointer]
            in_block.append((start, _char_mentions(doc, start, end)))
            heading[start] = governing
            pointer += 1
        for n, (start, _found) in enumerate(in_block):
            paragraph[start] = [m for _, found in in_block[:n] for m in found]
            following[start] = [m for _, found in in_block[n + 1 :] for m in found]
    if meta.questions:
        _map_questions(norm, meta, doc, question)
    return SentenceContext(paragraph, following, heading, question)


def _has_mission_or_component(mentions: list[Mention]) -> bool:
    return any(m.kind in ("mission", "component") for m in mentions)


def _char_mentions(doc: Doc, start: int, end: int) -> list[Mention]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [m for m in mentions_in(doc, span.start, span.end) if m.kind != "country"]


def _map_questions(
    norm: NormDoc, meta: DocMeta, doc: Doc, out: dict[int, tuple[int, list[Mention]]]
) -> None:
    """Each answer sentence gets its question's number and the question's mentions."""
    ranges = []
    for q in meta.questions:
        end = q.answer.end if q.answer is not None else q.question.end
        ranges.append((q.question.start, q.question.end, end, q.number))
    for start, _end in norm.sentences:
        original = norm.offsets[start]
        for q_start, q_end, a_end, number in ranges:
            if q_start <= original < a_end:
                q_span = _original_to_tokens(norm, doc, q_start, q_end)
                found = mentions_in(doc, q_span.start, q_span.end) if q_span is not None else []
                out[start] = (number, [m for m in found if m.kind != "country"])
                break


def _original_to_tokens(norm: NormDoc, doc: Doc, start: int, end: int) -> Span | None:
    """The tokens of the running text that hold original offsets start..end."""
    first, last = norm.from_original(start), norm.from_original(end)
    if first >= last:
        return None
    return doc.char_span(first, last, alignment_mode="expand")


def question_missions(norm: NormDoc, meta: DocMeta, doc: Doc) -> dict[int, tuple[str, ...]]:
    """The missions each numbered question and its answer name, by question number."""
    out: dict[int, tuple[str, ...]] = {}
    for question in meta.questions:
        end = question.answer.end if question.answer is not None else question.question.end
        span = _original_to_tokens(norm, doc, question.question.start, end)
        if span is None:
            continue
        codes = sorted(
            {c for m in mentions_in(doc, span.start, span.end, "mission") for c in m.codes}
        )
        out[question.number] = tuple(codes)
    return out
