"""Budget figures: amounts of money with their currency, the year they apply to,
their purpose and, where the sentence says so, their mission.

Amounts are written the Dutch way: "EUR 1,8 miljoen", "€20,1 miljoen",
"24,6 miljoen euro", "EUR 239.000,-", "USD 88,2 miljard", "18 mln. euro",
in words ("een kwart miljoen euro", "twee en een half miljoen euro"), in
dollars ("$ 15 million", "US$ 3 million", "3 miljoen Amerikaanse dollar"), or
with the currency named earlier in the paragraph ("Daarnaast trekt het kabinet
nog eens 7 miljoen uit"). Other currencies ("£ 15 million") are not read.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace
from decimal import Decimal

from spacy.lang.nl.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.extract.metadata import extract_metadata
from kg.extract.missions import Mention, mentions_in, resolve
from kg.extract.numbers import MULTIPLIERS, THOUSANDS, read_number
from kg.ingest import parse_bytes
from kg.model import Basis, Budget, DocDate, DocMeta, NormDoc, Provenance
from kg.nlp import make_doc
from kg.normalize import normalize

# The tokens an amount is read from: currency signs, digits (with their thousands
# dots or thin spaces, "239.000,-"), abbreviated multipliers with their dot, words.
TOKEN = re.compile(
    rf"US\$|US-dollars?|(?:mln|mld|mrd)\.|[0-9][0-9,{THOUSANDS}]*[0-9](?:,-)?|[0-9](?:,-)?"
    r"|[^\W\d_]+|\S"
)
CURRENCY_BEFORE = {"€": "EUR", "EUR": "EUR", "USD": "USD", "US$": "USD", "$": "USD",
                   "US-dollar": "USD"}  # fmt: skip
CURRENCY_AFTER = {"euro": "EUR", "eur": "EUR", "dollar": "USD", "dollars": "USD", "usd": "USD",
                  "us-dollar": "USD", "us-dollars": "USD"}  # fmt: skip
# "3 miljoen Amerikaanse dollar": an adjective that names the currency's country.
CURRENCY_ADJECTIVES = {"amerikaanse": "USD"}
# Typesetters' spaces that normalize folds to a plain space; amounts read them back.
TYPOGRAPHIC_SPACES = THOUSANDS.replace(".", "")
# What may follow an amount that names no currency ("nog eens 7 miljoen uit voor"):
# function words, punctuation, a participle ("7 miljoen bijgedragen"). A noun
# ("4 miljoen mensen", "15 miljoen pond") makes it a count of something else.
LINK_AFTER = frozenset(
    STOP_WORDS
    | {"per", "extra", "beschikbaar", "jaarlijks"}
    # verbs an amount is the subject of: "nog eens 7 miljoen gaat naar UNICEF"
    | {"gaat", "gaan", "ging", "gingen", "komt", "komen", "kwam", "blijft", "bleef"}
    | {"bedraagt", "bedroeg", "betreft", "betrof", "staat", "stond", "wordt", "werd"}
)
# Codes of currencies kg does not read: the amount after one is not in the
# currency named before it ("GBP 15 mln").
FOREIGN_CODES = frozenset(
    {"GBP", "CHF", "JPY", "CNY", "CAD", "AUD", "SEK", "NOK", "DKK", "TRY", "IQD", "SYP", "JOD"}
    | {"LBP", "IRR", "SAR", "AED", "KWD", "QAR", "RUB"}
)
# Participles; plurals of nominal participles ("gedetineerden", "getroffenen") are nouns.
PARTICIPLE = re.compile(r"^(?:[a-z]*ge[a-zë]+(?:d|t|[^dnt]en)|(?:be|ver|ont)[a-zë]+[dt])$")
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


@dataclass(frozen=True, slots=True)
class _Amount:
    start: int  # offsets in the sentence
    end: int
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _amounts(text: str, carried: str | None = None) -> list[_Amount]:
    """The amounts of a sentence.

    An amount that names no currency but has a multiplier ("waarvan 40 miljoen
    voor Irak") takes the currency of the amount before it in the sentence, else
    ``carried``, the currency last named earlier in the paragraph.
    """
    tokens = _tokens(text)
    words = [t.text for t in tokens]
    found: list[_Amount] = []
    bare: list[tuple[int, _Amount]] = []  # (index of the token after it, amount)
    i = 0
    while i < len(tokens):
        currency = CURRENCY_BEFORE.get(words[i])
        phrase = read_number(words, i + 1 if currency else i)
        if phrase is None or (not currency and _glued(text, tokens[i])):
            i += 1
            continue
        first = i + 1 if currency else i
        end = first + phrase.size
        if currency is None:
            currency, after = _currency_after(words, end)
            if currency is not None:
                end = after
        amount = _Amount(tokens[i].start, tokens[end - 1].end, phrase.value, currency or "")
        if currency:
            found.append(amount)
        elif words[first + phrase.size - 1].lower() in MULTIPLIERS:
            bare.append((end, amount))
        else:
            i += 1
            continue
        i = end
    for after, amount in bare:
        before = [a for a in found if a.end <= amount.start]
        currency = before[-1].currency if before else carried
        if currency and _money_follows(words, after) and not _foreign(words, tokens, amount):
            found.append(_Amount(amount.start, amount.end, amount.amount, currency))
    return sorted(found, key=lambda a: a.start)


def names_amount(text: str) -> bool:
    """The text states an amount of money in a currency ("EUR 41,5 mln", "2 miljoen euro").

    >>> names_amount("over 2018-2020 in totaal EUR 41,5 mln"), names_amount("van 2018 tot 2020")
    (True, False)
    """
    return any(amount.currency for amount in _amounts(text))


def _glued(text: str, token: _Token) -> bool:
    """Whether a number is stuck to the word before it ("A4", "nr.12")."""
    return token.start > 0 and (text[token.start - 1].isalnum() or text[token.start - 1] in "€$")


def _currency_after(words: list[str], at: int) -> tuple[str | None, int]:
    """The currency named at ``words[at]`` after a number, and the index after it;
    not when a number follows ("2019 EUR 5 miljoen": the currency is the next one's)."""
    if at >= len(words):
        return None, at
    lower = words[at].lower()
    currency, after = CURRENCY_AFTER.get(lower), at + 1
    adjective = CURRENCY_ADJECTIVES.get(lower)
    if currency is None and adjective and words[at + 1 : at + 2] in (["dollar"], ["dollars"]):
        currency, after = adjective, at + 2
    if currency is None or (after < len(words) and words[after][:1].isdigit()):
        return None, at
    return currency, after


def _money_follows(words: list[str], at: int) -> bool:
    """Whether the word after an amount without a currency lets it be money."""
    if at >= len(words):
        return True
    word = words[at].lower()
    return not word[:1].isalnum() or word in LINK_AFTER or bool(PARTICIPLE.match(word))


def _foreign(words: list[str], tokens: list[_Token], amount: _Amount) -> bool:
    """Whether a currency kg does not read stands before the amount ("£ 15 million")."""
    at = next(n for n, t in enumerate(tokens) if t.start == amount.start)
    if at == 0:
        return False
    before = words[at - 1]
    return before in FOREIGN_CODES or (len(before) == 1 and unicodedata.category(before) == "Sc")


def _typographic(norm: NormDoc, start: int, end: int) -> str:
    """The normalized text of a span with the thin and non-breaking spaces of the
    original put back, so that "1 500" in the original reads as one number."""
    original = norm.source.text
    return "".join(
        original[norm.offsets[i]]
        if char == " " and original[norm.offsets[i]] in TYPOGRAPHIC_SPACES
        else char
        for i, char in enumerate(norm.text[start:end], start)
    )


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
    norm: NormDoc,
    meta: DocMeta,
    doc: Doc,
    questions: dict[int, int],
    year: str | None = None,
) -> list[Budget]:
    """Every amount of money in the running text of a document, or of a part of it
    whose text before spoke of ``year`` (:func:`year_after`).

    An amount without a currency is money only when a currency was named before
    it in the same paragraph ("Daarnaast trekt het kabinet nog eens 7 miljoen uit").
    """
    doc_year = int(meta.date.iso[:4]) if meta.date is not None else None
    facts: list[Budget] = []
    previous_year = year  # the year the sentence before speaks of
    block_starts = [b.start for b in norm.blocks]
    paragraph, carried = -1, None  # the block of the sentence, its last currency
    for start, end in norm.sentences:
        block = bisect_right(block_starts, start) - 1
        if block != paragraph:
            paragraph, carried = block, None
        text = _typographic(norm, start, end)
        matches = _amounts(text, carried)
        carried = matches[-1].currency if matches else carried
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
                    # an amount's mission is only ever read from its own sentence
                    basis=Basis.SENTENCE if mission is not None else Basis.NONE,
                )
            )
        previous_year = _year(text, doc_year, len(text))
    return facts


def year_after(norm: NormDoc, meta: DocMeta, doc: Doc, year: str | None = None) -> str | None:
    """The year an amount after the text takes from it when its own sentence names
    none: the year the text's last sentence speaks of (:func:`extract_budgets` reads
    it the same way), or ``year``, that of the text before, where the text has none."""
    doc_year = int(meta.date.iso[:4]) if meta.date is not None else None
    for start, end in reversed(norm.sentences):
        if doc.char_span(start, end, alignment_mode="expand") is not None:
            text = _typographic(norm, start, end)
            return _year(text, doc_year, len(text))
    return year


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


def extract_budgets_text(text: str, doc_date: str | None = None) -> list[Budget]:
    """Every amount of money in a plain text, read as a document of its own;
    ``doc_date`` ("2023-05-01") stands in for the date the text gives.

    >>> [(b.amount, b.currency) for b in extract_budgets_text("Het kost anderhalf miljoen euro.")]
    [(Decimal('1500000'), 'EUR')]
    >>> [b.year for b in extract_budgets_text("Dit jaar gaat 3 mln euro naar FFS.", "2021-03-01")]
    ['2021']
    """
    norm = normalize(parse_bytes(text.encode(), "text/plain", "text.txt"))
    meta = extract_metadata(norm)
    if doc_date is not None:
        precision = {10: "day", 7: "month"}.get(len(doc_date), "year")
        meta = replace(meta, date=DocDate(doc_date, precision, None))
    return extract_budgets(norm, meta, make_doc(norm), {})


__all__ = ["extract_budgets", "extract_budgets_text", "year_after"]
