"""The cue words of a contribution's period, read from the ontology.

The words by which a sentence starts, ends, extends or only studies a
contribution, and the words that tell it speaks of one, are data
(``ontology/vocabularies.ttl``, the ``periodcue:`` concepts): the labels of each
are its cues. A label matches as whole words, case-insensitively, with any space
between its words; "…" in a label stands for one to ten words of one clause
("loopt … af": "loopt de missie eind dit jaar af");
a concept with ``kg:matchWithin true`` also matches inside longer words ("missie"
in "trainingsmissie").

>>> bool(period_cue("end").search("Het mandaat loopt eind dit jaar af."))
True
>>> period_cue("contribution").search("de adviesmissie").group(0)
'missie'
"""

from __future__ import annotations

import re
from functools import cache

from kg.gazetteer import load_gazetteer

GAP = "…"
GAP_WORDS = 10  # "…" stands for one to this many words of the same clause


def _label_pattern(label: str, within: bool) -> str:
    parts = []
    for chunk in label.split(GAP):
        words = chunk.split()
        parts.append(r"\s+".join(map(re.escape, words)))
    body = rf"(?:\s+[^\s,;:]+){{1,{GAP_WORDS}}}?\s+".join(p for p in parts if p)
    return body if within else rf"\b{body}\b"


@cache
def period_cue(code: str) -> re.Pattern[str]:
    """The pattern of one period cue's words (``start``, ``ongoing``, ``end``,
    ``extension``, ``continued``, ``change``, ``pause``, ``rotation``, ``considered``,
    ``contribution``, ``contributor``, ``report``)."""
    concept = load_gazetteer().of_kind("periodcue").get(code)
    if concept is None:
        raise KeyError(f"no period cue {code!r} in the ontology")
    labels = sorted(concept.labels, key=lambda label: (-len(label), label))
    return re.compile(
        "|".join(_label_pattern(label, concept.within) for label in labels), re.IGNORECASE
    )


@cache
def period_cues(*codes: str) -> re.Pattern[str]:
    """One pattern of the words of several period cues."""
    return re.compile("|".join(f"(?:{period_cue(code).pattern})" for code in codes), re.IGNORECASE)
