"""Property-based tests: the normaliser, the number, money and time parsers on any
Unicode text, from random noise to text built of the grammar's own pieces (Dutch
number words, month names, currency signs, dates) mixed with control characters,
zero-width and right-to-left marks, combining accents and very long digit runs.

Each property runs a fixed number of examples, derandomized, so that CI sees the
same examples every run; a bug found is kept as an ``@example``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.extract.money import extract_budgets_text, names_amount
from kg.extract.numbers import (
    MAX_DIGITS,
    digits_value,
    fraction_value,
    read_number,
    round_count,
    token_value,
    word_value,
)
from kg.extract.temporal import MONTHS, PRECISION_ORDER, find_dates, find_times
from kg.ingest import parse_bytes
from kg.model import BlockKind, SourceDoc
from kg.normalize import normalize
from kg.timevalue import (
    day_point,
    half_point,
    month_point,
    point_of,
    quarter_point,
    season_point,
    value_bounds,
    week_point,
    year_point,
)


def fuzz(examples: int) -> settings:
    """Settings for a property: ``examples`` examples, the same ones on every run."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None)


# --- the pieces texts are built of ---------------------------------------------------

CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0E, 0x1B, 0x1C, 0x1F, 0x7F, 0x85, 0x9F)]
INVISIBLE = [
    "\u00ad",  # soft hyphen
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\u061c",  # Arabic letter mark
]
COMBINING = ["\u0301", "\u0308", "\u0327", "\u0300", "\u20dd"]
SPACES = [" ", "  ", "\t", "\n", "\n\n", "\r\n", "\f", "\u00a0", "\u202f", "\u2009", "\u2028"]
PUNCTUATION = [".", ",", ";", ":", "-", "–", "—", "/", "(", ")", "’", "'", "„", "”", "%", "-\n"]
# characters that case-insensitive matching takes for an ASCII letter (ſ for s, K for k,
# İ and ı for i) though their lower case is not that letter
CASE_TRAPS = ["ſ", "\u212a", "İ", "ı", "ß", "ﬁ"]
CURRENCY = ["€", "EUR", "$", "US$", "USD", "euro", "dollar", "dollars", "£", "GBP", "¥", "₹"]
NUMBER_WORDS = [
    "een", "één", "twee", "drie", "tien", "twaalf", "twintig", "tweeëntwintig", "honderd",
    "honderdvijfenveertig", "duizend", "tweeduizend", "vijftienhonderd", "anderhalf",
    "anderhalve", "tweeënhalf", "kwart", "half", "halve", "driekwart", "tiental", "honderdtal",
    "tientallen", "honderden", "enkele", "miljoen", "miljard", "mln.", "mld.", "mrd", "biljoen",
    "million", "billion", "en", "ën", "eenentwintig", "negenhonderdnegenennegentigduizend",
]  # fmt: skip
TIME_WORDS = [
    *MONTHS, "maandag", "dinsdag", "woensdag", "zaterdag", "gisteren", "vandaag", "morgen",
    "eergisteren", "overmorgen", "oudejaarsdag", "nieuwjaarsdag", "tweede kerstdag",
    "koningsdag", "voorjaar", "zomer", "najaar", "winter", "zomerreces", "kerstreces",
    "eerste kwartaal", "vierde kwartaal", "Q3", "eerste helft", "tweede jaarhelft",
    "de jaarwisseling", "begin", "medio", "eind", "einde", "ultimo", "rond", "circa",
    "halverwege", "jl.", "j.l.", "a.s.", "aanstaande", "jongstleden", "vorig jaar",
    "dit jaar", "volgend jaar", "het afgelopen jaar", "het komende jaar", "deze maand",
    "vorige week", "volgende week", "komend kwartaal", "dit najaar", "sinds", "vanaf", "tot",
    "tot en met", "t/m", "van", "in", "tussen", "vóór", "na", "uiterlijk", "per",
    "met ingang van", "geleden", "over", "momenteel", "thans", "op dit moment", "het jaar",
    "de maand", "weken", "maanden", "jaren", "dagen", "kwartalen", "in ieder geval",
]  # fmt: skip
WORDS = [
    "Nederland", "levert", "militairen", "aan", "de", "missie", "in", "Irak", "zal", "werd",
    "keerde", "terug", "vertrekt", "kosten", "bedragen", "voor", "NMI", "OIR", "nr.", "artikel",
    "Kamerstuk", "F-16", "Erbil", "trainers", "circa", "ongeveer", "maximaal", "waarvan",
    "Tweede Kamer, vergaderjaar 2018–2019, 27 925, nr. 3", "pagina", "•", "1.", "a)",
]  # fmt: skip


def digit_runs() -> st.SearchStrategy[str]:
    """Numbers as texts write them, and as they never should: thousands dots and
    decimal commas, dates, years, and digit runs of any length."""
    return st.one_of(
        st.integers(0, 40).map(str),
        st.integers(1850, 2150).map(str),
        st.integers(0, 10**15).map(lambda n: f"{n:,}".replace(",", ".")),
        st.tuples(st.integers(0, 10**6), st.integers(0, 999)).map(lambda t: f"{t[0]},{t[1]}"),
        st.tuples(st.integers(0, 40), st.integers(0, 15), st.integers(1890, 2110)).map(
            lambda t: f"{t[0]}-{t[1]:02d}-{t[2]}"
        ),
        st.tuples(st.integers(0, 40), st.integers(0, 15), st.integers(1890, 2110)).map(
            lambda t: f"{t[0]}/{t[1]}/{t[2]}"
        ),
        st.tuples(st.integers(1890, 2110), st.integers(0, 15), st.integers(0, 40)).map(
            lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"
        ),
        st.text("0123456789", min_size=20, max_size=400),
        st.text("0123456789.,", min_size=1, max_size=40),
        st.text("٠١٢٣٤٥٦٧٨٩²³¹½", min_size=1, max_size=6),  # other digits
    )


# letters written with another that case-insensitive matching takes for them
LOOKALIKES = [str.maketrans(m) for m in ({"s": "ſ"}, {"i": "ı"}, {"i": "İ"}, {"k": "\u212a"})]


def disguised(words: list[str]) -> st.SearchStrategy[str]:
    """A word of the grammar with a mark inside it, or its letters as lookalikes."""
    marks = CONTROL + INVISIBLE + COMBINING + ["\u00a0", "-", "\n"]
    inserted = st.tuples(st.sampled_from(words), st.integers(0, 20), st.sampled_from(marks)).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
    )
    lookalike = st.tuples(st.sampled_from(words), st.sampled_from(LOOKALIKES)).map(
        lambda t: t[0].translate(t[1])
    )
    return st.one_of(inserted, lookalike)


def pieces(words: list[str]) -> st.SearchStrategy[str]:
    """One piece of a text: a word of the grammar (in any case, or disguised), a
    number, a mark."""
    cased = st.sampled_from(words).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.capitalize()])
    )
    return st.one_of(
        cased,
        cased,  # the grammar's words, twice as often as anything else
        disguised(words),
        digit_runs(),
        st.sampled_from(WORDS),
        st.sampled_from(CURRENCY),
        st.sampled_from(SPACES + PUNCTUATION),
        st.sampled_from(CONTROL + INVISIBLE + COMBINING + CASE_TRAPS),
        st.text(max_size=8),  # any Unicode but lone surrogates
    )


def amounts() -> st.SearchStrategy[str]:
    """Amounts of money as the money grammar reads them, or nearly: "€ 20,1 miljoen",
    "2 en een half miljoen Amerikaanse dollar", "EUR 239.000,-"."""
    number = st.one_of(digit_runs(), st.sampled_from(NUMBER_WORDS), st.just("2 en een half"))
    multiplier = st.sampled_from(["", "miljoen", "mln.", "miljard", "duizend", "million"])
    before = st.tuples(st.sampled_from(["€", "€ ", "EUR ", "US$ ", "$", "USD ", "£ "]), number)
    after = st.sampled_from(["euro", "dollar", "Amerikaanse dollar", "US-dollar", "pond"])
    return st.one_of(
        st.tuples(before, multiplier).map(lambda t: f"{t[0][0]}{t[0][1]} {t[1]}"),
        st.tuples(number, multiplier, after).map(" ".join),
        st.tuples(digit_runs(), st.sampled_from([",-", ",--", ",- "])).map("".join),
    )


def texts(
    words: list[str], max_pieces: int = 40, extra: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[str]:
    """Texts of pieces, most of them with spaces between, as sentences are written;
    ``extra`` gives pieces of a grammar's phrases, as often as its words."""
    piece = pieces(words) if extra is None else st.one_of(pieces(words), extra)
    return st.lists(
        st.tuples(piece, st.sampled_from([" ", " ", " ", "", "\n", ", "])),
        max_size=max_pieces,
    ).map(lambda parts: "".join(piece + sep for piece, sep in parts))


GRAMMAR = NUMBER_WORDS + TIME_WORDS
ANCHORS = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))


# --- the normaliser's offset map ------------------------------------------------------


def source(text: str) -> SourceDoc:
    return SourceDoc(
        "x.txt", Path("x.txt"), text, "text/plain", hashlib.sha256(text.encode()).hexdigest()
    )


PDF_WORDS = [
    *WORDS, "geïnte-", "greerde", "NAVO-", "missie", "Irak1", "Kamer2,", "1 Zie Kamerstuk 27 925.",
    "2 Idem.", "3", "- 4 -", "blz. 5", "Essentie", "Antwoord", "\f", "\n\n\n",
]  # fmt: skip


@fuzz(2500)
@given(st.one_of(texts(PDF_WORDS + GRAMMAR, 60), st.text(max_size=300)))
def test_fuzz_normalize_maps_every_character_back(text: str) -> None:
    """Every character of the clean text is the original character at its offset (or
    both are white space); offsets stay in the text, rise through the running text and
    through each footnote; every sentence maps to the original span holding it; and
    no character of the original is lost but those the normaliser says it removes."""
    norm = normalize(source(text))
    offsets = norm.offsets
    assert len(offsets) == len(norm.text) + 1
    assert offsets[-1] == len(text)
    for i, char in enumerate(norm.text):
        assert 0 <= offsets[i] < len(text)
        original = text[offsets[i]]
        assert char == original or (char.isspace() and original.isspace()), (i, char, original)
    # the running text keeps the original order; so does each block after it
    runs = [(0, norm.running_end)] + [
        (b.start, b.end) for b in norm.blocks if b.kind == BlockKind.FOOTNOTE
    ]
    for start, end in runs:
        assert all(offsets[i] <= offsets[i + 1] for i in range(start, max(start, end - 1)))
    for i in range(norm.running_end):
        back = norm.from_original(offsets[i])
        assert back <= i and offsets[back] == offsets[i]
    for start, end in norm.sentences:
        assert 0 <= start < end <= len(norm.text)
        span = norm.span(start, end)
        assert span.text == text[span.start : span.end]
        # the sentence's characters, in order, are characters of that span
        assert span.text[:1] == norm.text[start] and span.text[-1:] == norm.text[end - 1]
        assert _subsequence(norm.text[start:end].split(), span.text)
    for block in norm.blocks:
        assert 0 <= block.start <= block.end <= len(norm.text)
    # nothing is dropped unseen: every printed character of the original is kept, or
    # lies in a recorded removal (page number, running header, footnote marker), or is
    # the hyphen of a word broken over a line end
    kept = set(offsets[:-1]).union(*(range(r.start, r.end) for r in norm.removals))
    for at, char in enumerate(text):
        if not (char.isspace() or at in kept):
            assert char == "-" and LINE_END.match(text, at + 1), (at, char, norm.text)


LINE_END = re.compile(r"[^\S\n\f]*[\n\f]")


def _subsequence(words: list[str], text: str) -> bool:
    """Whether the characters of ``words`` stand in ``text`` in that order."""
    position = 0
    for char in "".join(words):
        position = text.find(char, position) + 1
        if not position:
            return False
    return True


# --- numbers ------------------------------------------------------------------------


@fuzz(2500)
@given(texts(NUMBER_WORDS + CURRENCY, 30))
def test_fuzz_read_number_never_crashes_and_stays_in_its_tokens(text: str) -> None:
    """Any token list gives a number phrase within the tokens, or None; every token
    reader gives a finite number or None."""
    tokens = text.split()
    for start in range(len(tokens) + 1):
        phrase = read_number(tokens, start)
        if phrase is not None:
            event("a number phrase")
            assert 1 <= phrase.size <= len(tokens) - start
            assert phrase.value.is_finite() and phrase.value >= 0
    for token in tokens:
        for reader in (token_value, digits_value, fraction_value):
            value = reader(token)
            assert value is None or (isinstance(value, Decimal) and value.is_finite())
        for whole in (word_value(token), round_count(token)):
            assert whole is None or (isinstance(whole, int) and whole >= 0)


MULTIPLIER_VALUES = {"": 1, "duizend": 10**3, "miljoen": 10**6, "mln.": 10**6, "biljoen": 10**12}


@fuzz(1000)
@given(
    st.integers(0, 10**30 - 1),
    st.sampled_from(["", ",5", ",25", ",05"]),
    st.sampled_from(sorted(MULTIPLIER_VALUES)),
    st.sampled_from([".", "\u00a0", "\u202f", ""]),
)
@example(int("1" * 30), "", "miljoen", "")  # rounded to 28 digits: ...1100000000
@example(int("1" * 25), ",5", "biljoen", ".")
def test_fuzz_digits_read_exactly_as_written(
    n: int, fraction: str, multiplier: str, separator: str
) -> None:
    """Every number of up to 30 digits, with thousands dots or typographic spaces and
    a decimal comma, reads back exactly, times its multiplier: no digit rounded away."""
    written = f"{n:,}".replace(",", separator) + fraction
    if sum(c.isdigit() for c in written) > MAX_DIGITS:
        assert digits_value(written) is None  # longer runs are identifiers, not figures
        return
    value = n + Fraction(fraction.replace(",", "0.") or 0)  # Fraction: exact, as Decimal is not
    read = digits_value(written)
    assert read is not None and Fraction(read) == value
    phrase = read_number([written, *multiplier.split()])
    assert phrase is not None
    assert Fraction(phrase.value) == value * MULTIPLIER_VALUES[multiplier]


# --- money --------------------------------------------------------------------------


@fuzz(2500)
@given(texts(NUMBER_WORDS + CURRENCY + ["per jaar", "waarvan", "voor NMI"], 30, amounts()))
def test_fuzz_names_amount_never_crashes(text: str) -> None:
    """Whether a sentence names an amount is answered for any text."""
    named = names_amount(text)
    event("an amount" if named else "no amount")
    assert named in (True, False)


@fuzz(300)
@given(
    texts(NUMBER_WORDS + CURRENCY + TIME_WORDS, 25, amounts()),
    st.sampled_from([None, "2019", "2021-03", "2023-05-01"]),
)
def test_fuzz_budgets_of_any_text_point_into_it(text: str, doc_date: str | None) -> None:
    """A whole text read for amounts of money (normaliser, sentences, tokens, the
    money grammar) gives amounts whose quotes are characters of the text, or is
    rejected as a file with no text."""
    try:
        budgets = extract_budgets_text(text, doc_date)
    except InputError:
        assert not text.strip() or re.search(r"[\x00-\x08\x0e-\x1f]", text)
        return
    event("amounts found" if budgets else "no amount")
    for budget in budgets:
        assert budget.amount.is_finite() and budget.amount >= 0
        assert budget.currency in ("EUR", "USD")
        where = budget.provenance
        assert 0 <= where.start < where.end <= len(text)


# --- time ---------------------------------------------------------------------------

RANK = {precision: n for n, precision in enumerate(PRECISION_ORDER)}
# the finest unit a text can name, by the words it uses (an oracle of its own, not the
# tagger's grammar): a day needs a day number, a weekday or a day word...
NAMES_A_DAY = re.compile(
    r"\d|dag|gisteren|vandaag|morgen|kerstavond|oudejaarsavond|momenteel|thans|moment",
    re.IGNORECASE,
)
NAMES_A_WEEK = re.compile(r"week|weken", re.IGNORECASE)
NAMES_A_MONTH = re.compile(
    "|".join(sorted(MONTHS, key=len, reverse=True)) + r"|maand|jaarwisseling", re.IGNORECASE
)
NAMES_A_SEASON = re.compile(r"voorjaar|lente|zomer|najaar|herfst|winter|reces", re.IGNORECASE)
NAMES_A_QUARTER = re.compile(r"kwarta|Q[1-4]", re.IGNORECASE)
NAMES_A_HALF = re.compile(r"helft|halfjaar", re.IGNORECASE)


def finest_named(text: str) -> str:
    """The finest precision the words of ``text`` can give."""
    for precision, pattern in (
        ("day", NAMES_A_DAY),
        ("week", NAMES_A_WEEK),
        ("month", NAMES_A_MONTH),
        ("season", NAMES_A_SEASON),
        ("quarter", NAMES_A_QUARTER),
        ("half", NAMES_A_HALF),
    ):
        if pattern.search(text):
            return precision
    return "year"


@fuzz(4000)
@given(texts(GRAMMAR, 30), ANCHORS)
@example("op 3 ſeptember 2019", None)  # KeyError: 'ſeptember'
@example("op woenſdag jl.", dt.date(2020, 5, 5))  # AssertionError in _weekday
@example("nİeuwjaarsdag 2019", None)  # StopIteration in the named days
@example("BEGİN januari ", None)  # KeyError: 'begi̇n' in the modifiers
@example("0 ſEP ", dt.date(2020, 5, 5))  # KeyError: 'ſep' in the month abbreviations
def test_fuzz_find_times_gives_sound_time_values(text: str, anchor: dt.date | None) -> None:
    """Any text gives time expressions that quote it exactly, whose earliest day is
    not after their latest, whose value means at least the days they give, and whose
    precision is never finer than their own words can state."""
    times, problems = find_times(text, anchor)
    event("times found" if times else "problems found" if problems else "no time")
    for time in times:
        assert 0 <= time.start < time.end <= len(text)
        assert time.text == text[time.start : time.end]
        for side in (time.begin, time.finish):
            if side is not None:
                assert side.earliest <= side.latest, time
                point = point_of(side.value)
                assert point.precision == side.precision, time
                assert point.earliest <= side.earliest and side.latest <= point.latest, time
        if time.earliest is not None and time.latest is not None:
            assert time.earliest <= time.latest, time
        low, high = value_bounds(time.value)
        assert low is None or (time.earliest is not None and low <= time.earliest), time
        assert high is None or (time.latest is not None and time.latest <= high), time
        assert RANK[time.precision] >= RANK[finest_named(time.text)], time
    for problem in problems:
        assert 0 <= problem.start < problem.end <= len(text)
        assert problem.text == text[problem.start : problem.end]


@fuzz(1000)
@given(texts(GRAMMAR, 30), ANCHORS, st.data())
def test_fuzz_find_times_in_a_sentence_stays_in_it(
    text: str, anchor: dt.date | None, data: st.DataObject
) -> None:
    """Times searched in one sentence of a longer text lie inside that sentence."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    times, problems = find_times(text, anchor, start, end)
    for found in [*times, *problems]:
        assert start <= found.start < found.end <= end


@fuzz(1500)
@given(texts(GRAMMAR, 30))
@example("3 ſeptember 2019")  # KeyError: 'ſeptember'
def test_fuzz_find_dates_gives_real_dates(text: str) -> None:
    """Absolute dates found in any text exist and quote their text."""
    for date in find_dates(text):
        assert 0 <= date.start < date.end <= len(text)
        assert date.earliest == dt.date(date.year, date.month, date.day or 1)
        assert date.precision == ("day" if date.day is not None else "month")
        assert point_of(date.iso).precision == date.precision


@fuzz(500)
@given(
    st.integers(1900, 2099),
    st.sampled_from(["", *MONTHS]),
    st.sampled_from(["", "begin ", "medio ", "eind ", "rond "]),
    st.sampled_from(["in", "sinds", "tot", "vóór", "na"]),
    ANCHORS,
)
def test_fuzz_a_year_or_month_never_gains_days(
    year: int, month: str, modifier: str, cue: str, anchor: dt.date | None
) -> None:
    """A text that names only a year (or a month of a year) gives a year's (or a
    month's) precision, never a day's, and its days lie in that year (or month)."""
    named = f"{modifier}{month} {year}" if month else f"{modifier}{year}"
    times, _ = find_times(f"Dit gebeurde {cue} {named}.", anchor)
    assert [time.text for time in times] == [named]
    time = times[0]
    assert time.precision == ("month" if month else "year"), time
    first = dt.date(year, MONTHS[month] if month else 1, 1)
    last = point_of(first.isoformat()[: 7 if month else 4]).latest
    for side in (time.begin, time.finish):
        if side is not None:
            assert first <= side.earliest <= side.latest <= last, time


@fuzz(1000)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_fuzz_time_values_read_back_as_made(day: dt.date) -> None:
    """Every point the grammar makes, at every precision, reads back from its value
    (as the API, viewer and reconciliation read it) with the same precision and days,
    and holds the day it was made from."""
    made = [
        day_point(day),
        week_point(day),
        month_point(day.year, day.month),
        quarter_point(day.year, (day.month - 1) // 3 + 1),
        half_point(day.year, 1 if day.month <= 6 else 2),
        year_point(day.year),
        *(season_point(day.year, code) for code in ("SP", "SU", "FA", "WI")),
    ]
    for point in made:
        assert point_of(point.value) == point
        assert point.earliest <= point.latest
        assert value_bounds(point.value) == (point.earliest, point.latest)
    for point in made[:-4]:  # the seasons are of the year, not around the day
        assert point.earliest <= day <= point.latest, point


# --- reading markup and encodings -----------------------------------------------------

OPEN = ["div", "section", "article", "main", "b", "blockquote", "td", "li", "span"]
HIDDEN = ["script", "style", "nav", "template", "noscript"]


@fuzz(300)
@given(
    st.integers(0, 1500),
    st.lists(st.sampled_from(OPEN), max_size=20),
    st.lists(st.sampled_from(OPEN), max_size=10),
    st.sampled_from(HIDDEN),
    st.lists(st.sampled_from(OPEN + HIDDEN), max_size=10),
    st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_fuzz_html_keeps_the_text_and_drops_scripts_at_any_depth(
    depth: int, around: list[str], keep: list[str], hidden: str, inside: list[str], encoding: str
) -> None:
    """A paragraph under any nesting of ordinary elements, up to 1,500 deep (past
    Python's recursion limit and libxml2's default of 256), is read, and text under a
    script, style or navigation element is not, whatever the nesting around either and
    the encoding of the page."""

    def wrap(tags: list[str], inner: str) -> str:
        return "".join(f"<{t}>" for t in tags) + inner + "".join(f"</{t}>" for t in reversed(tags))

    page = wrap(
        ["html", "body", *["div"] * depth, *around],
        wrap(keep, "<p>Nederland levert 50 militairen.</p>")
        + wrap([hidden, *inside], "<p>Verborgenwoord</p>"),
    )
    doc = parse_bytes(page.encode(encoding), "text/html", "x.html")
    assert "Nederland levert 50 militairen." in doc.text
    assert "Verborgenwoord" not in doc.text


@fuzz(300)
@given(st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=200))
def test_fuzz_utf16_with_a_byte_order_mark_reads_back_exactly(text: str) -> None:
    """Any text written as UTF-16 with a byte order mark reads back character for
    character, or is rejected as empty."""
    try:
        doc = parse_bytes(text.encode("utf-16"), "text/plain", "x.txt")
    except InputError as err:
        assert not text.strip(), err
    else:
        assert doc.text == text
