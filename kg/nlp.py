"""The spaCy pipeline: a blank Dutch tokenizer and a span ruler built from the gazetteers.

No pretrained Dutch model is needed (none can be installed here): ``spacy.blank("nl")``
tokenizes, our own segmenter sets the sentence starts, and a ``span_ruler``
whose patterns come from ``ontology/`` marks missions, components and countries
in ``doc.spans["gazetteer"]``, each span labelled ``kind:code`` ("mission:OIR"); a
name that holds only in a text about the concept's theatre ("NAVO-missie") has the
span id ``context``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from kg.gazetteer import load_gazetteer
from kg.model import NormDoc

SPANS_KEY = "gazetteer"
RULER_KINDS = ("mission", "component", "country", "organisation", "place")
CONTEXT_ID = "context"  # the span id of a name that holds only in its theatre (kg:contextLabel)


def _case_sensitive(label: str) -> bool:
    """Acronyms (OIR, MoP, GMT) match only as written; names match in any case."""
    letters = [c for c in label if c.isalpha()]
    return sum(c.isupper() for c in letters) >= 2 and len(label) <= 8


def _patterns(nlp: Language) -> list[dict[str, object]]:
    patterns: list[dict[str, object]] = []
    gazetteer = load_gazetteer()
    for concept in gazetteer.concepts:
        if concept.kind not in RULER_KINDS:
            continue
        names = [(label, "") for label in concept.labels]
        names += [(label, CONTEXT_ID) for label in concept.context_labels]
        for label, span_id in names:
            tokens = [t.text for t in nlp.make_doc(label)]
            pattern: list[dict[str, object]]
            if _case_sensitive(label) and len(tokens) == 1:
                # also as a part of a hyphenated word: "OIR-commandant", "SOF-operators"
                pattern = [{"TEXT": {"REGEX": rf"^(?:.+-)?{_escape(label)}(?:-.+)?$"}}]
            elif _case_sensitive(label):
                pattern = [{"ORTH": t} for t in tokens]
            else:
                pattern = [{"LOWER": t.lower()} for t in tokens]
            patterns.append(
                {"label": f"{concept.kind}:{concept.code}", "pattern": pattern, "id": span_id}
            )
    return patterns


def _escape(text: str) -> str:
    import re

    return re.escape(text)


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline: blank Dutch with the gazetteer span ruler."""
    nlp = spacy.blank("nl")
    ruler = nlp.add_pipe(
        "span_ruler",
        name="gazetteer",
        config={"spans_key": SPANS_KEY, "overwrite": True},
    )
    ruler.add_patterns(_patterns(nlp))  # type: ignore[attr-defined]
    return nlp


def make_doc(norm: NormDoc) -> Doc:
    """A spaCy Doc of the normalized text, its sentences set by our segmenter.

    Tokens outside the running text's sentences (footnotes, repeats) form
    sentences of their own and are never read for facts.
    """
    nlp = get_nlp()
    # a tokenizer and a span ruler use memory in proportion to the text: a text longer
    # than spaCy's default limit (1,000,000 characters) is read whole, offsets intact
    nlp.max_length = max(nlp.max_length, len(norm.text) + 1)
    doc = nlp.make_doc(norm.text)
    starts = {start for start, _ in norm.sentences}
    ends = {end for _, end in norm.sentences}
    flags = numpy.empty((len(doc), 1), dtype="int64")
    previous_end = True
    for i, token in enumerate(doc):
        flags[i, 0] = 1 if token.idx in starts or previous_end else -1
        previous_end = token.idx + len(token.text) in ends
    if len(doc):
        # spaCy stores attributes as uint64: -1 ("not a start") wraps as in Doc.to_array
        doc.from_array([SENT_START], flags.astype("uint64"))  # type: ignore[arg-type]
    for name, component in nlp.pipeline:
        try:
            doc = component(doc)
        except Exception as err:  # name the failing component, as spaCy's Language does
            raise RuntimeError(f"pipeline component '{name}' failed: {err}") from err
    return doc
