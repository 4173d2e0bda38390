"""Modality: whether a sentence states a figure, period or event as so, or as
planned, expected, possible, conditional or negated.

The cue words are data (``ontology/vocabularies.ttl``, the ``modality:`` concepts:
their labels are the cues, ``kg:exceptIn`` the phrases in which a cue is none,
``kg:rank`` which modality wins). A cue counts where it stands before the figure
in its sentence, or after it in the figure's own clause; a negation only in the
figure's clause ("Nederland levert 50 militairen, maar geen gevechtstroepen"
states the 50).

>>> modality_of_text("Het kabinet overweegt 50 extra militairen te sturen.", "50")
<Modality.POSSIBLE: 'possible'>
>>> modality_of_text("Een uitbreiding tot 4000 wordt niet verwacht.", "4000")
<Modality.NEGATED: 'negated'>
>>> modality_of_text("Nederland levert sinds 2019 50 militairen.", "50")
<Modality.STATED: 'stated'>
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import load_gazetteer
from kg.model import Modality

# Where a clause ends: a cue beyond it is about something else.
CLAUSE_BREAKS = frozenset(
    {",", ";", ":", "(", ")", "–", "—", "maar", "terwijl", "die", "dat", "waarmee", "waarvan"}
)
# After the figure a coordinated clause ("... 600 personen en kan worden aangepast")
# is about something else too.
AFTER_BREAKS = CLAUSE_BREAKS | {"en", "of"}
WORD = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class _Cue:
    words: tuple[str, ...]
    modality: Modality
    rank: int


@dataclass(frozen=True, slots=True)
class _Lexicon:
    cues: dict[str, tuple[_Cue, ...]]  # first word -> cues starting with it
    exceptions: tuple[tuple[str, ...], ...]  # phrases in which a cue is no cue


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    cues: dict[str, list[_Cue]] = {}
    exceptions: list[tuple[str, ...]] = []
    for concept in load_gazetteer().of_kind("modality").values():
        modality = Modality(concept.code)
        if modality == Modality.STATED:
            continue
        for label in concept.labels:
            words = tuple(w.lower() for w in WORD.findall(label))
            if words == tuple(WORD.findall(concept.code)):
                continue  # the English name of the concept is no Dutch cue
            cues.setdefault(words[0], []).append(_Cue(words, modality, concept.rank))
        exceptions.extend(tuple(w.lower() for w in WORD.findall(p)) for p in concept.exceptions)
    ordered = {k: tuple(sorted(v, key=lambda c: -len(c.words))) for k, v in sorted(cues.items())}
    return _Lexicon(ordered, tuple(sorted(set(exceptions))))


def modality_of(words: list[str], first: int, last: int) -> Modality:
    """The modality of the figure at word indices ``first``..``last`` (inclusive) of
    a sentence given as lower-case words (punctuation as words of its own)."""
    lexicon = _lexicon()
    low = first
    while low > 0 and words[low - 1] not in CLAUSE_BREAKS:
        low -= 1
    high = last + 1
    while high < len(words) and words[high] not in AFTER_BREAKS:
        high += 1
    excepted = _excepted(words, lexicon.exceptions)
    found: list[_Cue] = []
    for i, word in enumerate(words[:high]):
        if i in excepted or first <= i <= last:
            continue
        for cue in lexicon.cues.get(word, ()):
            if tuple(words[i : i + len(cue.words)]) != cue.words:
                continue
            if cue.modality == Modality.NEGATED and i < low:
                continue  # a negation holds in its own clause
            found.append(cue)
            break
    if not found:
        return Modality.STATED
    return min(found, key=lambda c: c.rank).modality


def _excepted(words: list[str], exceptions: tuple[tuple[str, ...], ...]) -> set[int]:
    """The word indices inside a phrase in which a cue is no cue ("zo snel mogelijk")."""
    out: set[int] = set()
    by_first = _by_first_word(exceptions)
    for i, word in enumerate(words):
        for phrase in by_first.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                out.update(range(i, i + len(phrase)))
    return out


@lru_cache(maxsize=8)
def _by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


def modality_of_text(sentence: str, figure: str) -> Modality:
    """The modality of the first occurrence of ``figure`` in a plain sentence."""
    words = [w.lower() for w in WORD.findall(sentence)]
    target = [w.lower() for w in WORD.findall(figure)]
    for i in range(len(words) - len(target) + 1):
        if words[i : i + len(target)] == target:
            return modality_of(words, i, i + len(target) - 1)
    raise ValueError(f"'{figure}' is not in the sentence")


def with_tense(modality: Modality, earliest: str | None, anchor: str | None) -> Modality:
    """A figure the text states for a time that starts after the document's date is
    planned, not (yet) so: "van mei 2024 tot en met mei 2025" in a letter of 2023.

    >>> with_tense(Modality.STATED, "2024-05-01", "2023-09-29")
    <Modality.PLANNED: 'planned'>
    >>> with_tense(Modality.STATED, "2023-01-01", "2023-09-29")
    <Modality.STATED: 'stated'>
    """
    if modality == Modality.STATED and earliest and anchor and earliest > anchor:
        return Modality.PLANNED
    return modality


__all__ = ["modality_of", "modality_of_text", "with_tense"]
