"""Sentence segmentation for Dutch parliamentary text.

A sentence ends at ``.``, ``!`` or ``?`` (and any closing quote or bracket)
followed by white space and a capital, a quote or a bullet, unless the word
before the full stop is an abbreviation (``jl.``, ``d.d.``, ``o.a.``, ``nr.``,
``ca.``, ``blz.``, initials such as ``S.A.``). The abbreviations are data, in
``kg/resources/abbreviations_nl.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

BOUNDARY = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(•\w])")
WORD_BEFORE = re.compile(r"(\S+)$")
INITIALS = re.compile(r"^\(?(?:[A-Z][a-z]{0,2}\.)+$")
ENUMERATOR = re.compile(r"\(?\d{1,3}")  # "2." opening a numbered heading or item


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as (start, end) offsets into ``text``.

    >>> text = "Op 18 juli jl. werd Hajin heroverd. Zie o.a. nr. 919. Dat is S.A. Blok."
    >>> [text[s:e] for s, e in sentences(text)]
    ['Op 18 juli jl. werd Hajin heroverd.', 'Zie o.a. nr. 919.', 'Dat is S.A. Blok.']
    """
    stop = len(text) if end is None else end
    never, may_end = abbreviations()
    spans: list[tuple[int, int]] = []
    window = text[start:stop]
    begin = start + len(window) - len(window.lstrip())  # a sentence starts at its first word
    for match in BOUNDARY.finditer(text, start, stop):
        cut = match.end()
        follow = text[cut:stop].lstrip()
        if not follow:
            continue
        word_match = WORD_BEFORE.search(text, begin, match.start() + 1)
        word = word_match.group(1).lower() if word_match else ""
        if match.group(0)[0] == "." and word:
            if ENUMERATOR.fullmatch(text, begin, match.start()):
                continue
            if word in never or INITIALS.match(word_match.group(1) if word_match else ""):
                continue
            if word in may_end and not follow[0].isupper():
                continue
        if not (follow[0].isupper() or follow[0].isdigit() or not follow[0].isalnum()):
            continue
        spans.append((begin, cut))
        begin = cut + (len(text[cut:stop]) - len(follow))
    tail = text[begin:stop].rstrip()
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        spans.append((begin + lead, begin + len(tail)))
    return spans


@lru_cache(maxsize=1)
def abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """Dutch abbreviations: (never end a sentence, may end a sentence)."""
    never: set[str] = set()
    may_end: set[str] = set()
    data = resources.files("kg").joinpath("resources/abbreviations_nl.txt").read_text("utf-8")
    for raw in data.splitlines():
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        if entry.startswith("!"):
            may_end.add(entry[1:].lower())
        else:
            never.add(entry.lower())
    return frozenset(never), frozenset(may_end)
