"""Contribution phases: the starts, extensions and ends that sentences of all documents
state, joined into one interval per run of a contribution (ontology/README.md,
"Consolidation"; the rules are the ``kg:ConsolidationRule`` concepts of
ontology/vocabularies.ttl).

1. A period fact is a *mention*: it states a start, an end or both (an interval). One
   whose two sides are one time ("wordt in 2019 voortgezet") says the contribution runs
   then and states neither side: it supports the phase it falls in and makes none.
   Only stated, planned and expected mentions take part; possible, conditional and
   negated ones neither start nor end anything. A mention of no mission
   (``kg:NoMission``) joins nothing.
2. Per mission and component (:func:`runs`): the mentions in the order of their first
   day form one phase, a *run*, until a start that lies after every end stated so far:
   that begins the next run (the F-16s' two deployment periods). Ends, extensions and
   early stops join the run they follow.
3. Of a mission with no component named (:func:`same_sides`), a start or end may be any
   part's (the force protection task's end, a mandate's), so mentions join only when
   they state the same start or the same end (their days overlap) or are one sentence.
4. A start stated without an end speaks of a contribution under way when its document
   was written: it never joins a phase whose stated end lies before its document's date
   (:func:`under_way`); such starts make a phase of their own, with no stated end.
5. A side is decided by the latest documents that state it (:func:`decide`): a later
   document supersedes an earlier one (an extension moves the end, an early stop cuts
   it). Where the latest documents disagree the side is ``disputed``; where no stated
   mention gives it, ``unstated``. Only stated mentions give a phase's start and end;
   the planned and expected ones give its planned start and end, kept apart.
   Mentions that disagree are linked (:func:`phase_links`), as the reconciliation
   links personnel figures.
6. An event read from the sentence of a period fact of the same mission supports that
   fact's phase where its date agrees with the fact's side (a start with its start, an
   end or extension with its end; a decision's date is not a side). Events alone make
   no phase.

Everything here is pure: dataclasses in, dataclasses out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate, pairwise

from kg.timevalue import value_bounds
from kg.vocab import ID, KG

NO_MISSION = str(KG.NoMission)
KEPT = frozenset({"stated", "planned", "expected"})  # modalities that take part
PLANNED = frozenset({"planned", "expected"})
SIDES = ("start", "end")
# Documents after a mention's whose mentions of the same side it is compared with
# (as the reconciliation's NEIGHBOURS): every pair in a phase of a few documents, each
# with those nearest in time where hundreds of documents state one end.
NEIGHBOURS = 5
FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"  # for an open side


class SideStatus(StrEnum):
    """Whether a phase's start or end is stated (``<id>side-status/...``)."""

    STATED = "stated"
    UNSTATED = "unstated"
    DISPUTED = "disputed"


class Rule(StrEnum):
    """The rules that join mentions into a phase (``<id>consolidation-rule/...``)."""

    SINGLE = "single"
    RUN = "run"
    SAME_START = "same-start"
    SAME_END = "same-end"
    UNDER_WAY = "under-way"
    SAME_SENTENCE = "same-sentence"


class Relation(StrEnum):
    """How two mentions' sides that disagree relate."""

    CONFLICT = "conflict"  # neither document is later
    SUPERSEDES = "supersedes"  # a (of the later document) replaces b
    EXTENDS = "extends"  # a's end moves the end of the document before it later
    CUTS = "cuts"  # a's end moves it earlier


@dataclass(frozen=True, slots=True)
class Side:
    """A start or end as a mention states it: the value at its precision, the first and
    last day it can mean (ISO), and the IRI of its time expression.

    >>> Side("2018-12", "month", "2018-12-01", "2018-12-31").agrees(
    ...     Side("2018-12-31", "day", "2018-12-31", "2018-12-31"))
    True
    """

    value: str
    precision: str
    earliest: str
    latest: str
    time: str = ""

    def agrees(self, other: Side) -> bool:
        """Whether the two can mean the same day."""
        return self.earliest <= other.latest and other.earliest <= self.latest

    @property
    def width(self) -> int:
        """How many days the side can mean, less one: 0 for a day."""
        return (dt.date.fromisoformat(self.latest) - dt.date.fromisoformat(self.earliest)).days


@dataclass(frozen=True, slots=True)
class Mention:
    """A period fact as the consolidation sees it. ``mission``, ``component``, ``doc``
    and ``sentence`` are IRIs (``component`` None where the text names none);
    ``doc_date`` is the document's date as the graph writes it; ``modality`` a
    notation (stated, planned, ...)."""

    iri: str
    doc: str
    doc_date: str | None
    mission: str
    component: str | None
    modality: str
    sentence: str
    begin: int
    start: Side | None
    end: Side | None

    @property
    def during(self) -> bool:
        """The two sides are one time: the contribution runs then ("in 2019 voortgezet")."""
        return (
            self.start is not None and self.end is not None and self.start.value == self.end.value
        )

    def side(self, name: str) -> Side | None:
        """The mention's start or end, None where it states none (or runs "during")."""
        if self.during:
            return None
        return self.start if name == "start" else self.end

    @property
    def stated(self) -> bool:
        return self.modality == "stated"

    @property
    def first_day(self) -> str:
        side = self.start or self.end
        return side.earliest if side is not None else FIRST_DAY


@dataclass(frozen=True, slots=True)
class EventMention:
    """An event as the consolidation sees it: its type's notation, its days and its
    document's IRI."""

    iri: str
    mission: str
    event_type: str
    sentence: str
    earliest: str
    latest: str
    doc: str = ""

    def agrees(self, side: Side) -> bool:
        return self.earliest <= side.latest and side.earliest <= self.latest


@dataclass(frozen=True, slots=True)
class Decision:
    """A phase's side: its status, and the mention whose side it is when stated."""

    status: SideStatus
    mention: Mention | None = None


UNSTATED = Decision(SideStatus.UNSTATED)


@dataclass(frozen=True, slots=True)
class Phase:
    """One contribution phase: its mentions (period facts, sorted by IRI), the events
    that support it, its sides and the rules that joined them."""

    mission: str
    component: str | None
    mentions: tuple[Mention, ...]
    rules: tuple[Rule, ...]
    start: Decision = UNSTATED
    end: Decision = UNSTATED
    planned_start: Decision = UNSTATED
    planned_end: Decision = UNSTATED
    events: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        """From its mission, component and mentions: the same mentions, the same IRI."""
        digest = hashlib.sha256("\n".join(m.iri for m in self.mentions).encode()).hexdigest()
        return f"{ID}phase/{code(self.mission)}/{code(self.component)}/{digest[:16]}"


@dataclass(frozen=True, slots=True, order=True)
class Link:
    """Two mentions that disagree about a side; ``a`` is the later document's where
    one supersedes the other."""

    a: str
    b: str
    side: str
    relation: Relation


def _link_order(link: Link) -> tuple[str, str, str, str]:
    """A link's place among links: by its fields, as their order would compare it (a
    tuple of strings compares faster than the dataclass)."""
    return (link.a, link.b, link.side, link.relation)


def code(iri: str | None) -> str:
    """The last step of a concept's IRI ("OIR", "f16-detachment"), "mission" for none."""
    return iri.rsplit("/", 1)[-1] if iri else "mission"


@lru_cache(maxsize=4096)
def doc_bounds(date: str | None) -> tuple[str, str] | None:
    """The first and last day of a document's date at its precision, None when undated
    (documents share dates: each is read once)."""
    if not date:
        return None
    first, last = value_bounds(date)
    return (first.isoformat(), last.isoformat()) if first and last else None


def doc_day(date: str | None) -> str:
    """The first day of a document's date ("" when undated: before every date)."""
    bounds = doc_bounds(date)
    return bounds[0] if bounds else ""


# ------------------------------------------------------------------ phases


def consolidate(
    mentions: Iterable[Mention], events: Iterable[EventMention] = ()
) -> tuple[list[Phase], list[Link]]:
    """The phases of all mentions and the links between those that disagree, sorted.

    >>> def m(iri, doc, date, start=None, end=None, modality="stated"):
    ...     side = lambda v: Side(v, "day", v, v) if v else None
    ...     return Mention(iri, doc, date, "OIR", "f16", modality, "s", 0, side(start),
    ...                    side(end))
    >>> phases, links = consolidate([
    ...     m("a", "d1", "2018-09-14", start="2018-01-01"),
    ...     m("b", "d1", "2018-09-14", end="2018-12-31"),
    ...     m("c", "d2", "2018-11-01", end="2019-06-30")])  # a later letter extends it
    >>> [(p.start.mention.iri, p.end.mention.iri, p.end.status.value) for p in phases]
    [('a', 'c', 'stated')]
    >>> [(link.a, link.b, link.side, link.relation.value) for link in links]
    [('c', 'b', 'end', 'extends'), ('c', 'b', 'end', 'supersedes')]
    """
    by_key: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.mission != NO_MISSION and mention.modality in KEPT:
            by_key[(mention.mission, mention.component or "")].append(mention)
    phases: list[Phase] = []
    for (mission, component), found in sorted(by_key.items()):
        groups = runs(found) if component else same_sides(found)
        for group in groups:
            phases.extend(_phases_of(mission, component or None, group))
    links = sorted({link for phase in phases for link in phase_links(phase)}, key=_link_order)
    phases = _with_events(phases, events)
    return sorted(phases, key=lambda p: p.iri), links


def _order(mention: Mention) -> tuple[str, str, str, int, str]:
    return (mention.first_day, doc_day(mention.doc_date), mention.doc, mention.begin, mention.iri)


def runs(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """A component's mentions as runs (rule 2): in the order of their first day, each
    joins the run before it unless it starts after every end stated in that run."""
    found: list[list[Mention]] = []
    ended: str | None = None  # the latest day of the current run's stated ends
    for mention in sorted(mentions, key=_order):
        opens = mention.start is not None
        if not found or (opens and ended is not None and mention.first_day > ended):
            found.append([])
            ended = None
        found[-1].append(mention)
        end = mention.side("end")
        if mention.stated and end is not None:
            ended = end.latest if ended is None else max(ended, end.latest)
    return found


def same_sides(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """A mission's mentions that name no component, joined only where they state the
    same start or the same end (rule 3); a mention that only runs "during" a time
    states neither and makes no phase."""
    parent = {m.iri: m.iri for m in mentions}

    def root(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    for name in SIDES:
        # the days of two sides overlap: in the order of their first days, each side
        # that begins before the group so far reaches its last day belongs to it
        sided = sorted(
            (side.earliest, side.latest, m.iri)
            for m in mentions
            if (side := m.side(name)) is not None
        )
        head, reach = "", ""
        for earliest, latest, iri in sided:
            if head and earliest <= reach:
                parent[root(iri)] = root(head)
                reach = max(reach, latest)
            else:
                head, reach = iri, latest
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in sorted(mentions, key=_order):
        if not mention.during:
            groups[root(mention.iri)].append(mention)
    return list(groups.values())


def _phases_of(mission: str, component: str | None, group: list[Mention]) -> list[Phase]:
    """The phase of a group, and those of the starts under way it keeps apart (rule 4)."""
    if all(m.during for m in group):
        return []  # neither side stated nor planned: no phase to draw
    end = decide(group, "end", stated=True)
    apart = under_way(group, end)
    kept = [m for m in group if m not in apart]
    phases = [_phase(mission, component, kept)]
    if apart:
        for starts in same_sides(apart):
            phases.append(_phase(mission, component, starts, Rule.UNDER_WAY))
    return phases


def under_way(group: Sequence[Mention], end: Decision) -> list[Mention]:
    """The stated starts of ``group`` given without an end in a document dated after the
    group's stated end (rule 4)."""
    if end.status != SideStatus.STATED or end.mention is None or end.mention.end is None:
        return []
    ended = end.mention.end.latest
    apart = []
    for mention in group:
        written = doc_bounds(mention.doc_date)
        if (
            mention.stated
            and mention.start is not None
            and mention.end is None
            and written is not None
            and ended < written[0]
            and mention.start.earliest <= written[0]
        ):
            apart.append(mention)
    return apart


def _phase(mission: str, component: str | None, members: Sequence[Mention], *extra: Rule) -> Phase:
    mentions = tuple(sorted(members, key=lambda m: m.iri))
    return Phase(
        mission,
        component,
        mentions,
        _rules(component, mentions, extra),
        decide(mentions, "start", stated=True),
        decide(mentions, "end", stated=True),
        decide(mentions, "start", stated=False),
        decide(mentions, "end", stated=False),
    )


def _rules(
    component: str | None, mentions: Sequence[Mention], extra: Sequence[Rule]
) -> tuple[Rule, ...]:
    """The rules that joined a phase's mentions."""
    rules = set(extra)
    if len(mentions) == 1:
        rules.add(Rule.SINGLE)
    elif component is not None and Rule.UNDER_WAY not in rules:
        rules.add(Rule.RUN)
    else:
        for name, rule in (("start", Rule.SAME_START), ("end", Rule.SAME_END)):
            sides = sorted(
                (s for m in mentions if (s := m.side(name)) is not None),
                key=lambda s: (s.earliest, s.latest),
            )
            if any(a.agrees(b) for a, b in pairwise(sides)):
                rules.add(rule)
    return tuple(sorted(rules))


def decide(mentions: Iterable[Mention], name: str, *, stated: bool) -> Decision:
    """A side of a phase (rule 5): of the stated mentions (``stated``) or the planned
    and expected ones, those of the latest documents decide. Where they disagree the
    side is disputed; where they agree it is the most precise of them and of the
    earlier mentions that agree with every mention of a later document ("31 december
    2018" in a letter of 2018, where a list of 2021 says "december 2018").

    >>> def m(iri, date, end):
    ...     return Mention(iri, iri, date, "OIR", None, "stated", "s", 0, None,
    ...                    Side(end, "day", end, end))
    >>> decide([m("a", "2019-01-01", "2019-12-31"), m("b", "2020-01-01", "2019-06-30")],
    ...        "end", stated=True).mention.iri
    'b'
    >>> decide([m("a", "2019", "2019-12-31"), m("b", "2019", "2019-06-30")],
    ...        "end", stated=True).status.value
    'disputed'
    """
    found = [
        (s, m)
        for m in mentions
        if (s := m.side(name)) is not None and (m.stated if stated else m.modality in PLANNED)
    ]
    if not found:
        return UNSTATED
    deciding = {m.iri for m in _latest([m for _, m in found])}
    sides = [(s, m) for s, m in found if m.iri in deciding]
    if max(s.earliest for s, _ in sides) > min(s.latest for s, _ in sides):
        return Decision(SideStatus.DISPUTED)
    _, chosen = min(_confirmed(found, deciding), key=lambda pair: _precise(*pair))
    return Decision(SideStatus.STATED, chosen)


def _confirmed(found: list[tuple[Side, Mention]], deciding: set[str]) -> list[tuple[Side, Mention]]:
    """Of the sides ``found``, those of the ``deciding`` mentions and those that agree
    with every side of a document dated wholly after their own (an interval meets each
    of a set of intervals when it starts before the first of their ends and ends after
    the last of their starts)."""
    dated = sorted(
        ((bounds[0], side) for side, m in found if (bounds := doc_bounds(m.doc_date))),
        key=lambda pair: pair[0],
    )
    firsts = [first for first, _ in dated]
    ends, starts = [LAST_DAY] * (len(dated) + 1), [FIRST_DAY] * (len(dated) + 1)
    for n in range(len(dated) - 1, -1, -1):  # of the sides from the n-th on
        ends[n] = min(ends[n + 1], dated[n][1].latest)
        starts[n] = max(starts[n + 1], dated[n][1].earliest)
    kept = []
    for side, mention in found:
        written = doc_bounds(mention.doc_date)
        if mention.iri in deciding:
            kept.append((side, mention))
        elif written is not None:
            n = bisect_right(firsts, written[1])  # the documents dated wholly after
            if side.earliest <= ends[n] and side.latest >= starts[n]:
                kept.append((side, mention))
    return kept


def _precise(side: Side, mention: Mention) -> tuple[int, int, str]:
    """The most precise side first; of equally precise ones the latest document's."""
    first, _ = value_bounds(mention.doc_date) if mention.doc_date else (None, None)
    return (side.width, -first.toordinal() if first else 1, mention.iri)


def _latest(mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions of the documents no other document of ``mentions`` is dated wholly
    after (an undated document is never after nor before another)."""
    bounds = {m.doc: doc_bounds(m.doc_date) for m in mentions}
    firsts = [b[0] for b in bounds.values() if b is not None]
    newest = max(firsts, default=None)
    return [
        m
        for m in mentions
        if newest is None or (found := bounds[m.doc]) is None or found[1] >= newest
    ]


def later(a: Mention, b: Mention) -> bool:
    """Whether ``a``'s document is dated wholly after ``b``'s."""
    da, db = doc_bounds(a.doc_date), doc_bounds(b.doc_date)
    return da is not None and db is not None and da[0] > db[1]


def compare(a: Mention, b: Mention, name: str) -> Link | None:
    """How two mentions of other documents relate on a side, or None where they agree
    or do not bear on each other: a later document's mention supersedes an earlier
    one's, a plan never supersedes a statement, and two mentions of which neither
    document is later conflict when both are stated or both planned."""
    sa, sb = a.side(name), b.side(name)
    if a.doc == b.doc or sa is None or sb is None or sa.agrees(sb):
        return None
    winner, loser = (a, b) if later(a, b) else (b, a) if later(b, a) else (None, None)
    if winner is None or loser is None:
        if a.stated != b.stated:
            return None  # a plan and a statement of the same time: not a conflict
        first, second = sorted((a, b), key=lambda m: m.iri)
        return Link(first.iri, second.iri, name, Relation.CONFLICT)
    if not winner.stated and loser.stated:
        return None
    return Link(winner.iri, loser.iri, name, Relation.SUPERSEDES)


def phase_links(phase: Phase) -> Iterator[Link]:
    """The links between a phase's mentions that disagree about a side, each mention
    compared with those of the next :data:`NEIGHBOURS` documents in date order, and
    the revisions of its end (:func:`revisions`)."""
    for name in SIDES:
        sided = sorted(
            (m for m in phase.mentions if m.side(name) is not None),
            key=lambda m: (doc_day(m.doc_date), m.doc, m.iri),
        )
        for i, a in enumerate(sided):
            after: list[str] = []
            for b in sided[i + 1 :]:
                if b.doc == a.doc:
                    continue
                if b.doc not in after:
                    if len(after) == NEIGHBOURS:
                        break
                    after.append(b.doc)
                found = compare(a, b, name)
                if found is not None:
                    yield found
    yield from revisions(phase)


def revisions(phase: Phase) -> Iterator[Link]:
    """How each end a phase's mention states moves the end of the document before it:
    of the documents dated wholly before its own that state an end of the phase, the
    latest ones' ends it supersedes are extended (it lies after them) or cut (before)."""
    dated = [
        (bounds, m)
        for m in phase.mentions
        if m.side("end") is not None and (bounds := doc_bounds(m.doc_date)) is not None
    ]
    by_last = sorted(dated, key=lambda pair: (pair[0][1], pair[1].iri))
    lasts = [bounds[1] for bounds, _ in by_last]
    newest = list(accumulate((bounds[0] for bounds, _ in by_last), max))  # of each prefix
    for (first, _), mention in dated:
        before = bisect_left(lasts, first)  # the documents that end before this one starts
        if not before:
            continue
        # of those, the latest: none of the others is dated wholly after them
        for _, previous in by_last[bisect_left(lasts, newest[before - 1], 0, before) : before]:
            found = compare(mention, previous, "end")
            side, other = mention.side("end"), previous.side("end")
            if found is None or found.relation != Relation.SUPERSEDES or not side or not other:
                continue
            relation = Relation.EXTENDS if side.earliest > other.latest else Relation.CUTS
            yield Link(mention.iri, previous.iri, "end", relation)


def _with_events(phases: list[Phase], events: Iterable[EventMention]) -> list[Phase]:
    """The phases with the events that support them (rule 6)."""
    where: dict[tuple[str, str], list[tuple[int, Mention]]] = defaultdict(list)
    for n, phase in enumerate(phases):
        for mention in phase.mentions:
            where[(mention.sentence, mention.mission)].append((n, mention))
    joined: dict[int, set[str]] = defaultdict(set)
    for event in events:
        for n, mention in where.get((event.sentence, event.mission), []):
            # a decision's date is the decision's, or a letter's it cites: not a side
            sides = {"start": ("start",), "decision": ()}.get(event.event_type, ("end",))
            if event.event_type == "decision" or any(
                (side := mention.side(name)) is not None and event.agrees(side) for name in sides
            ):
                joined[n].add(event.iri)
    return [
        replace(
            phase,
            events=tuple(sorted(joined[n])),
            rules=tuple(sorted({*phase.rules, Rule.SAME_SENTENCE})),
        )
        if joined.get(n)
        else phase
        for n, phase in enumerate(phases)
    ]
