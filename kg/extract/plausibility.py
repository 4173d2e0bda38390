"""Which figures are too large to be facts: the plausibility bounds, decided in one place.

The bounds are data (``ontology/vocabularies.ttl``, ``kg:PlausibilityBound``): the
largest personnel figure of each scope (a country's contribution, a mission's size)
and the largest amount in each currency. A figure beyond its bound is a misreading or
nonsense ("1.000.000.000.000.000 militairen"): it is not stored, and the build says
which file, which sentence and why, so that nothing absurd is shown as a fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kg.gazetteer import load_gazetteer
from kg.model import Budget, Personnel, Provenance

# how much of a sentence a warning quotes: enough to find it, not a whole paragraph
QUOTE_CHARS = 160


@dataclass(frozen=True, slots=True)
class Implausible:
    """A figure left out: where it was read and why."""

    provenance: Provenance
    figure: str  # the figure as written
    reason: str

    def message(self, name: str) -> str:
        """The build's warning about it, naming the file ``name``."""
        sentence = self.provenance.sentence.text
        if len(sentence) > QUOTE_CHARS:
            sentence = sentence[: QUOTE_CHARS - 1] + "…"
        return (
            f"{name}: '{self.figure}' (characters {self.provenance.start}-"
            f'{self.provenance.end}, in "{sentence}") {self.reason}; it is not stored'
        )


def _beyond(values: Iterable[Decimal | int | None], kind: str) -> str | None:
    """Why the largest of ``values`` is implausible for the bound ``kind``, or None
    when it is within the bound (or there is no bound of that kind)."""
    bound = load_gazetteer().of_kind("bound").get(kind)
    if bound is None or bound.most is None:
        return None
    largest = max((Decimal(v) for v in values if v is not None), default=None)
    if largest is None or largest <= bound.most:
        return None
    return f"is more than is plausible for {bound.name} (at most {bound.most:,f})"


def plausible(
    personnel: Iterable[Personnel], budgets: Iterable[Budget], text: str
) -> tuple[list[Personnel], list[Budget], list[Implausible]]:
    """The personnel figures within the bound of their scope, the amounts within the
    bound of their currency, and the figures of either beyond it.

    ``text`` is the document's original text, which the facts' offsets index.

    >>> from kg.model import Span
    >>> where = Provenance("a.txt", 0, 9, Span(0, 20, "1.000.000 militairen"))
    >>> fact = Personnel(10**15, None, None, "exact", "military", "NL", "contribution",
    ...                  None, None, where)
    >>> kept, _, left = plausible([fact], [], "1.000.000 militairen")
    >>> kept, left[0].reason
    ([], "is more than is plausible for a country's contribution (at most 1,000,000)")
    """
    left: list[Implausible] = []

    def within(where: Provenance, values: Iterable[Decimal | int | None], kind: str) -> bool:
        reason = _beyond(values, kind)
        if reason is not None:
            left.append(Implausible(where, text[where.start : where.end], reason))
        return reason is None

    people = [
        f for f in personnel if within(f.provenance, (f.value, f.minimum, f.maximum), f.scope)
    ]
    money = [b for b in budgets if within(b.provenance, (b.amount,), b.currency)]
    return people, money, left
