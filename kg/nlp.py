"""The spaCy pipeline: a blank Dutch tokenizer and phrase matchers built from the gazetteers.

No pretrained Dutch model is needed (none can be installed here): ``spacy.blank("nl")``
tokenizes, our own segmenter sets the sentence starts, and phrase matchers over
the names in ``ontology/`` (a hash lookup per token, where token patterns cost
a check per pattern and token) mark missions, components and countries
in ``doc.spans["gazetteer"]``, each span labelled ``kind:code`` ("mission:OIR"); a
name that holds only in a text about the concept's theatre ("NAVO-missie") has the
span id ``context``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IDX, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.gazetteer import load_gazetteer
from kg.model import NormDoc

SPANS_KEY = "gazetteer"
RULER_KINDS = ("mission", "component", "country", "organisation", "place")
CONTEXT_ID = "context"  # the span id of a name that holds only in its theatre (kg:contextLabel)


def _case_sensitive(label: str) -> bool:
    """Acronyms (OIR, MoP, GMT) match only as written; names match in any case."""
    letters = [c for c in label if c.isalpha()]
    return sum(c.isupper() for c in letters) >= 2 and len(label) <= 8


@dataclass(frozen=True, slots=True)
class _Names:
    """The gazetteer's names, compiled for matching: names in any case (compared
    on lower-cased tokens), acronyms of several tokens as written, and acronyms of
    one token, which also match as a part of a hyphenated word ("OIR-commandant")."""

    lower: PhraseMatcher
    exact: PhraseMatcher
    acronyms: dict[str, tuple[tuple[str, str], ...]]  # acronym -> (label, span id)


def _compile(nlp: Language) -> _Names:
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    acronyms: dict[str, list[tuple[str, str]]] = {}
    for concept in load_gazetteer().concepts:
        if concept.kind not in RULER_KINDS:
            continue
        names = [(label, "") for label in concept.labels]
        names += [(label, CONTEXT_ID) for label in concept.context_labels]
        for label, span_id in names:
            key = (f"{concept.kind}:{concept.code}", span_id)
            pattern = nlp.make_doc(label)
            if _case_sensitive(label) and len(pattern) == 1:
                acronyms.setdefault(label, []).append(key)
            else:
                matcher = exact if _case_sensitive(label) else lower
                matcher.add(_KEY_SEP.join(key), [pattern])
    return _Names(lower, exact, {name: tuple(keys) for name, keys in acronyms.items()})


_KEY_SEP = "\x1f"  # between a match's label and its span id in a phrase matcher's key


def _acronym_keys(
    text: str, acronyms: dict[str, tuple[tuple[str, str], ...]]
) -> set[tuple[str, str]]:
    """The acronyms a token is or holds as a part between hyphens: "OIR",
    "OIR-commandant", "anti-OIR-inzet"; not "-OIR" or "OIR-" (nothing on that side)."""
    keys = set(acronyms.get(text, ()))  # the whole token, a hyphen in the name or not
    parts = text.split("-")
    last = len(parts) - 1
    for i, part in enumerate(parts):
        if (
            part in acronyms
            and (i == 0 or "".join(parts[:i]))
            and (i == last or "".join(parts[i + 1 :]))
        ):
            keys.update(acronyms[part])
    return keys


def _mark_names(doc: Doc, names: _Names) -> None:
    """Put every gazetteer name of ``doc`` in ``doc.spans[SPANS_KEY]``, each once,
    in document order, labelled ``kind:code`` with its span id."""
    found: set[tuple[int, int, str, str]] = set()
    strings = doc.vocab.strings
    for matcher in (names.lower, names.exact):
        for match_id, start, end in matcher(doc):
            label, span_id = strings[match_id].split(_KEY_SEP)
            found.add((start, end, label, span_id))
    # each distinct word once, not each token: the words that are or hold an acronym
    orths = doc.to_array(ORTH)
    keys = {int(h): _acronym_keys(strings[int(h)], names.acronyms) for h in numpy.unique(orths)}
    keys = {h: found_here for h, found_here in keys.items() if found_here}
    for i in numpy.flatnonzero(numpy.isin(orths, list(keys))).tolist():
        for label, span_id in keys[int(orths[i])]:
            found.add((i, i + 1, label, span_id))
    spans = [
        Span(doc, start, end, label=label, span_id=span_id) for start, end, label, span_id in found
    ]
    doc.spans[SPANS_KEY] = sorted(spans)


@dataclass(frozen=True, slots=True)
class Part:
    """One stretch of whole paragraphs of a document, read with a Doc of its own
    (:func:`kg.normalize.text_parts`), or the whole document as one part.

    ``norm`` is the part as a text of its own (normalized offsets from the part's
    start, original offsets the document's); ``start`` is where the part begins in
    the document's normalized text and ``tokens`` how many of the document's tokens
    come before it: token i of ``doc`` is the document's token ``tokens + i``, as a
    part begins and ends between paragraphs, where no token runs across.
    """

    norm: NormDoc
    doc: Doc
    start: int = 0
    tokens: int = 0


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared tokenizer: blank Dutch."""
    return spacy.blank("nl")


@lru_cache(maxsize=1)
def _names() -> _Names:
    return _compile(get_nlp())


def make_doc(norm: NormDoc) -> Doc:
    """A spaCy Doc of the normalized text, its sentences set by our segmenter.

    Tokens outside the running text's sentences (footnotes, repeats) form
    sentences of their own and are never read for facts.
    """
    nlp = get_nlp()
    # the tokenizer uses memory in proportion to the text: the pipeline reads a long
    # document in parts (kg.settings: part_chars); a part, or one paragraph, longer
    # than spaCy's default limit (1,000,000 characters) is read whole, offsets intact
    nlp.max_length = max(nlp.max_length, len(norm.text) + 1)
    doc = nlp.make_doc(norm.text)
    if len(doc):
        # a token starts a sentence where one of ours starts, or after one ends
        where = doc.to_array([IDX, LENGTH]).astype("int64")
        starts = numpy.array([start for start, _ in norm.sentences], dtype="int64")
        ends = numpy.array([end for _, end in norm.sentences], dtype="int64")
        first = numpy.isin(where[:, 0], starts)
        first[0] = True
        first[1:] |= numpy.isin(where[:-1, 0] + where[:-1, 1], ends)
        flags = numpy.where(first, 1, -1).astype("int64").reshape(-1, 1)
        # spaCy stores attributes as uint64: -1 ("not a start") wraps as in Doc.to_array
        doc.from_array([SENT_START], flags.astype("uint64"))  # type: ignore[arg-type]
    _mark_names(doc, _names())
    return doc
