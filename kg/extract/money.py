"""Budget figures: amounts of money with their currency, the year they apply to,
their purpose and, where the sentence says so, their mission.

Amounts are written the Dutch way: "EUR 1,8 miljoen", "€20,1 miljoen",
"24,6 miljoen euro", "EUR 239.000,-", "USD 88,2 miljard", "18 mln. euro".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from spacy.tokens import Doc

from kg.extract.missions import Mention, mentions_in, resolve
from kg.extract.numbers import MULTIPLIERS, digits_value, word_value
from kg.model import Budget, DocMeta, NormDoc, Provenance

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|[a-zë]+"
MULTIPLIER = r"miljoen|miljard|mln\.?|mld\.?|mrd\.?|duizend"
CURRENCY_BEFORE = r"€|EUR|USD|US\$|\$|US-dollar"
CURRENCY_AFTER = r"euro|dollar|US-dollar|USD|EUR"
AMOUNT = re.compile(
    rf"(?:(?P<cur1>{CURRENCY_BEFORE})\s?(?P<num1>{NUMBER})(?:\s(?P<mult1>{MULTIPLIER}))?(?P<dash1>,-)?"
    rf"|(?<![\w€$])(?P<num2>{NUMBER})\s(?:(?P<mult2>{MULTIPLIER})\s)?(?P<cur2>{CURRENCY_AFTER})(?!\s?\d))"
    r"(?!\w)"
)
CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "usd": "USD", "us$": "USD", "$": "USD",
              "us-dollar": "USD", "dollar": "USD"}  # fmt: skip
YEAR = r"(?:19|20)\d\d"
PERIOD = re.compile(
    rf"(?:van|in de periode|periode)?\s*(?P<a>{YEAR})\s*"
    rf"(?:tot en met|t/m|tot|[-–/])\s*(?P<b>{YEAR})"
)
SINCE = re.compile(rf"\b(?:sinds|vanaf)\s+(?P<a>{YEAR})\b")
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
BARE_YEAR = re.compile(rf"(?<![\d.,])(?P<y>{YEAR})(?![\d.,]\d|\d)")
MONTH_BEFORE = re.compile(rf"(?:{MONTHS})\s+$", re.I)
RECURRING = re.compile(r"\b(?:per jaar|jaarlijks|per annum|elk jaar|ieder jaar)\b", re.I)
# Purpose cues, checked in this order; two different cues make "other".
PURPOSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "reconstruction_estimate",
        re.compile(r"wederopbouwkosten|kosten van (?:de )?wederopbouw", re.I),
    ),
    (
        "stabilisation",
        re.compile(r"stabilisatie|Funding Facility for Stabili[sz]ation|\bFFS\b", re.I),
    ),
    ("humanitarian", re.compile(r"humanitai|noodhulp", re.I)),
    (
        "development",
        re.compile(
            r"ontwikkelingssamenwerking|\bOS-|PROSPECTS|opvang in de regio|ontwikkelings", re.I
        ),
    ),
    (
        "military",
        re.compile(
            r"Budget Internationale Veiligheid|\bBIV\b|uitgaven|kosten|kostte|jaarverslag|"
            r"additionele|(?:militaire |veiligheids)inzet|missie|trainingsmissie|F-16",
            re.I,
        ),
    ),
)
LINKS = {"voor", "aan", "naar", "behoeve"}
PART_OF = {"inclusief", "waaronder", "naast", "zoals", "exclusief", "behalve"}
APPOSITION = {"van", "ongeveer", "circa", "ca.", "ruim", "maximaal", "bijna", "zo'n", "zo’n"}


BARE_AMOUNT = re.compile(
    rf"(?<![\w€$.,])(?P<num>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)\s(?P<mult>{MULTIPLIER})(?!\w)"
)


@dataclass(frozen=True, slots=True)
class _Amount:
    start: int  # offsets in the sentence
    end: int
    amount: Decimal
    currency: str


def _amounts(text: str) -> list[_Amount]:
    """The amounts of a sentence. "waarvan 40 miljoen voor Irak" names no currency:
    it takes the currency of the amount before it in the same sentence."""
    found = []
    for match in AMOUNT.finditer(text):
        amount = _amount(match)
        if amount is not None:
            found.append(_Amount(match.start(), match.end(), amount, _currency(match)))
    if found:
        for match in BARE_AMOUNT.finditer(text):
            before = [a for a in found if a.end <= match.start()]
            overlaps = any(a.start <= match.start() < a.end for a in found)
            value = digits_value(match["num"])
            if before and not overlaps and value is not None:
                value *= MULTIPLIERS[match["mult"].lower()]
                found.append(
                    _Amount(match.start(), match.end(), _whole(value), before[-1].currency)
                )
    return sorted(found, key=lambda a: a.start)


def _whole(value: Decimal) -> Decimal:
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def _amount(match: re.Match[str]) -> Decimal | None:
    raw = match["num1"] or match["num2"]
    value = digits_value(raw)
    if value is None:
        word = word_value(raw)
        if word is None:
            return None
        value = Decimal(word)
    multiplier = (match["mult1"] or match["mult2"] or "").lower()
    if multiplier:
        value *= MULTIPLIERS[multiplier]
    return _whole(value)


def _currency(match: re.Match[str]) -> str:
    return CURRENCIES[(match["cur1"] or match["cur2"]).lower()]


def _year(sentence: str, doc_year: int | None, before: int) -> str | None:
    """The year or period a sentence's amount applies to."""
    period = PERIOD.search(sentence)
    if period and int(period["a"]) < int(period["b"]):
        return f"{period['a']}/{period['b']}"
    since = SINCE.search(sentence)
    if since:
        return f"{since['a']}/{doc_year}" if doc_year else f"{since['a']}/"
    years = [
        m for m in BARE_YEAR.finditer(sentence) if not MONTH_BEFORE.search(sentence[: m.start()])
    ]
    if years:
        # the year nearest before the amount, else the first after it
        prior = [m for m in years if m.start() < before]
        return (prior[-1] if prior else years[0])["y"]
    lower = sentence.lower()
    if doc_year and "dit jaar" in lower:
        return str(doc_year)
    if doc_year and "vorig jaar" in lower:
        return str(doc_year - 1)
    return None


def _purpose(sentence: str, window: str) -> str:
    """The purpose the words around an amount name, else its whole sentence."""
    return _purpose_of(window) or _purpose_of(sentence) or "other"


def _purpose_of(text: str) -> str | None:
    found = [name for name, pattern in PURPOSES if pattern.search(text)]
    if not found:
        return None
    civil = [name for name in found if name != "military"]
    if len(set(civil)) > 1:
        return "other"
    return civil[0] if civil else "military"


def extract_budgets(
    norm: NormDoc, meta: DocMeta, doc: Doc, questions: dict[int, int]
) -> list[Budget]:
    """Every amount of money in the running text of a document."""
    doc_year = int(meta.date.iso[:4]) if meta.date is not None else None
    facts: list[Budget] = []
    previous_year: str | None = None
    for start, end in norm.sentences:
        text = norm.text[start:end]
        matches = _amounts(text)
        sentence = doc.char_span(start, end, alignment_mode="expand")
        if not matches or sentence is None:
            previous_year = (
                _year(text, doc_year, len(text)) if sentence is not None else previous_year
            )
            continue
        own = [m for m in mentions_in(doc, sentence.start, sentence.end) if m.kind != "country"]
        for n, match in enumerate(matches):
            year = _year(text, doc_year, match.start) or previous_year
            mission, component = _mission(doc, own, matches, n, start, len(matches))
            provenance = Provenance(
                norm.source.name,
                *norm.to_original(start + match.start, start + match.end),
                norm.span(start, end),
                questions.get(start),
            )
            facts.append(
                Budget(
                    match.amount,
                    match.currency,
                    year,
                    bool(RECURRING.search(text)),
                    _purpose(text, _window(text, matches, n)),
                    mission,
                    component,
                    provenance,
                )
            )
        previous_year = _year(text, doc_year, len(text))
    return facts


def _window(text: str, matches: list[_Amount], n: int) -> str:
    """The words of a sentence that belong to its n-th amount: from the amount
    before it to the amount after it."""
    begin = matches[n - 1].end if n else 0
    end = matches[n + 1].start if n + 1 < len(matches) else len(text)
    return text[begin:end]


def _mission(
    doc: Doc, own: list[Mention], matches: list[_Amount], n: int, start: int, total: int
) -> tuple[str | None, str | None]:
    """The mission an amount is for: named right after it ("€1,8 miljoen voor NMI"),
    or the only one the sentence names when it states only one amount."""
    match = matches[n]
    amount_span = doc.char_span(start + match.start, start + match.end, alignment_mode="expand")
    if amount_span is None:
        return None, None
    limit = (
        doc.char_span(
            start + matches[n + 1].start, start + matches[n + 1].end, alignment_mode="expand"
        )
        if n + 1 < total
        else None
    )
    # "de trainingsmissie van ongeveer 14 miljoen euro"
    before = [m for m in own if m.end <= amount_span.start]
    if before:
        between = doc[before[-1].end : amount_span.start]
        if all(t.lower_ in APPOSITION for t in between):
            found = resolve([before[-1]], before[-1].start)
            return found.mission, found.component
    # "waarvan €18,3 miljoen voor OIR"
    stop = limit.start if limit is not None else amount_span.end + 10
    after = [m for m in own if amount_span.end <= m.start < stop]
    if after:
        between = doc[amount_span.end : after[0].start]
        linked = any(t.lower_ in LINKS for t in between)
        if len(between) <= 8 and linked and not any(t.text in ",;" for t in between):
            found = resolve([after[0]], after[0].start)
            return found.mission, found.component
    # the only mission of a one-amount sentence, unless named as a part of it
    # ("de uitgaven voor de inzet in Irak, inclusief de strijd tegen ISIS")
    whole = [
        m for m in own if not any(t.lower_ in PART_OF for t in doc[max(0, m.start - 3) : m.start])
    ]
    if total == 1 and whole:
        found = resolve(whole, amount_span.start)
        return found.mission, found.component
    return None, None


__all__ = ["AMOUNT", "extract_budgets"]
