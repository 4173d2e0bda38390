"""Consolidation: one story per contribution, made from the mentions of all documents.

Runs after the reconciliation, when every document's graph is in the store. It reads
the period, event and personnel facts of each document (kept per document between
builds, like the reconciliation's figures: :func:`read_mentions`) and writes, into a
named graph of its own (:data:`CONSOLIDATION_GRAPH`), replaced on every build
(:func:`write_consolidation`):

- **contribution phases** (``kg:ContributionPhase``, :mod:`kg.consolidate.phases`): per
  mission and component, one interval joining the starts, extensions and ends that
  sentences and documents state, with every mention that supports it
  (``kg:supportedBy``), its start and end at the precision the text states, or
  ``unstated``/``disputed``, the plans kept apart, and the rules that joined them
  (``kg:joinedBy``);
- links between the period facts that disagree about a phase's start or end
  (``kg:startConflictsWith``, ``kg:endConflictsWith``; a later document's
  ``kg:startSupersedes``/``kg:endSupersedes``, and for an end ``kg:extendsEnd`` or
  ``kg:cutsEnd``), as the reconciliation links personnel figures;
- **strength steps** (``kg:StrengthStep``, :mod:`kg.consolidate.strength`): per
  mission, component and role, the Dutch contribution's reported strength over time,
  one step per figure and time with every fact that states it.

The rules are written out in ontology/README.md, "Consolidation".
"""

from kg.consolidate.graph import (
    CONSOLIDATION_GRAPH,
    Consolidated,
    Mentions,
    concept,
    consolidation_of,
    consolidation_texts,
    mentions_from_json,
    mentions_json,
    mentions_of,
    read_mentions,
    write_consolidation,
)
from kg.consolidate.phases import (
    NO_MISSION,
    Decision,
    EventMention,
    Link,
    Mention,
    Phase,
    Relation,
    Rule,
    Side,
    SideStatus,
    consolidate,
    decide,
)
from kg.consolidate.strength import Figure, Step, TimeBasis, strength_steps

__all__ = [
    "CONSOLIDATION_GRAPH",
    "NO_MISSION",
    "Consolidated",
    "Decision",
    "EventMention",
    "Figure",
    "Link",
    "Mention",
    "Mentions",
    "Phase",
    "Relation",
    "Rule",
    "Side",
    "SideStatus",
    "Step",
    "TimeBasis",
    "concept",
    "consolidate",
    "consolidation_of",
    "consolidation_texts",
    "decide",
    "mentions_from_json",
    "mentions_json",
    "mentions_of",
    "read_mentions",
    "strength_steps",
    "write_consolidation",
]
