"""A deterministic generator of synthetic benchmark corpora.

    python bench/make_corpus.py --docs 1000 --to /tmp/kg-corpus-1000 [--seed 20261202] [--force]
    python bench/make_corpus.py --to /tmp/kg-corpus-1000 --change 17 [--variant 1]

Writes --docs plain-text documents (UTF-8) named ``NNNNN_<kind>.txt`` into --to and
prints a one-line summary. The kinds are Kamerstuk letters (``kamerstuk``), lists of
questions and answers (``vragen``), government pages (``government``), news items
(``news``) and texts about other missions (``distractor``), chosen by weight. Each
document has a first part of its own kind (heading, date line, addressee; a
headline and date line; numbered questions) followed by paragraphs drawn from the
source paragraphs of matching kinds and some of other kinds. Lengths are skewed:
most documents are 2-15 KB, some 50-200 KB and about 1 in 500 0.5-1.5 MB.

The paragraphs come from ``seeds/*.txt`` (Kamerstukken) and from
``tests/corpus/*/text.txt`` of the folders whose ``case.json`` has ``"split": "dev"``
(never the test split), classified by the folder's ``kind``. No paragraph is copied
as it is: the figures (in their format: "1.000", "12,5"), the day numbers of dates,
the years (shifted together within a document by -2..+2, kept within 2003-2026),
sometimes the month names and, in a few documents, the names of the Iraq missions
are varied, so that no two documents are alike and none is a copy of a seed.

The output is the same bytes for the same --docs and --seed on every run and
machine, and document i does not depend on --docs: the 100-document corpus is a
prefix of the 1,000-document one. --change I rewrites document I of an existing
corpus in place with another variation of the same kind and length class (the same
file name, different content), to measure an incremental rebuild.

The corpora are generated, never committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
CORPUS_DIR = ROOT / "tests" / "corpus"

DEFAULT_SEED = 20261202
NAME_WIDTH = 5
MAX_DOCS = 10**NAME_WIDTH - 1
NAME_PATTERN = re.compile(rf"\A\d{{{NAME_WIDTH}}}_[a-z]+\.txt\Z")

# The kinds of generated document and their weights.
KINDS: tuple[tuple[str, float], ...] = (
    ("kamerstuk", 0.25),
    ("vragen", 0.15),
    ("government", 0.20),
    ("news", 0.28),
    ("distractor", 0.12),
)
# Where the body paragraphs of each kind of document come from (source kind, weight).
MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "kamerstuk": (("kamerstuk", 0.75), ("government", 0.1), ("challenge", 0.1), ("news", 0.05)),
    "vragen": (("kamerstuk", 0.8), ("government", 0.1), ("challenge", 0.1)),
    "government": (("government", 0.6), ("challenge", 0.15), ("news", 0.15), ("kamerstuk", 0.1)),
    "news": (("news", 0.65), ("challenge", 0.15), ("government", 0.15), ("kamerstuk", 0.05)),
    "distractor": (("distractor", 0.9), ("news", 0.1)),
}
SOURCE_KINDS = ("kamerstuk", "government", "news", "distractor", "challenge")

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTH_INDEX = {name: i for i, name in enumerate(MONTHS)}

# The Iraq missions whose names a document may swap: (long forms, short form).
MISSIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("Operation Inherent Resolve",), "OIR"),
    (
        (
            "NATO Mission Iraq",
            "NAVO-missie in Irak",
            "NATO Missie Irak",
            "NAVO Missie Irak",
            "NAVO-missie Irak",
        ),
        "NMI",
    ),
    (("EUAM Irak", "EU Adviesmissie Irak", "EU Advisory Mission Iraq"), "EUAM"),
)
MISSION_OF = {form: (k, False) for k, (longs, _) in enumerate(MISSIONS) for form in longs} | {
    short: (k, True) for k, (_, short) in enumerate(MISSIONS)
}

MIN_PARAGRAPH = 40  # shorter blocks are headings or left out
YEAR_SHIFTED = (2014, 2024)  # years in this range move with the document's offset
YEAR_CLAMP = (2003, 2026)

# --- Source paragraphs -----------------------------------------------------------------

# Blocks that state a document's own identity: the generated first part says these.
IDENTITY = re.compile(
    r"\A\s*(?:Den Haag|'s-Gravenhage|Vastgesteld|Datum|Aan de [Vv]oorzitter|Nr\.?\s+\d+\s+[A-Z]{4}"
    r"|nr\.\s+Lijst|\d{2}\s?\d{3}[-\s]|\d{4}Z\d{5}|Nr Vraag|Tweede Kamer|Eerste Kamer"
    r"|Vergaderjaar|[A-Z]{1,3}\s+BRIEF|(?:De |Adjunct-|Plaatsvervangend )?[Gg]riffier"
    r"|(?:De )?[Vv]oorzitter van de|De [Mm]inister (?:van|voor) [^\n]*,\s*$)"
    r"|Lijst van vragen en antwoorden|LIJST VAN VRAGEN|een aantal vragen voorgelegd"
    r"|deze vragen beantwoord|antwoorden zijn hierbij afgedrukt",
    re.M,
)
DATE_BLOCK = re.compile(
    rf"\A(?:(?:{'|'.join(WEEKDAYS)})\s+)?(?:[0-3]?\d\s+)?(?:{'|'.join(MONTHS)})\s+(?:19|20)\d\d\Z"
    r"|\A[0-3]?\d-[01]?\d-(?:19|20)\d\d\Z",
    re.I,
)
NUMBERED = re.compile(r"\A\d{1,3}\s+(?=[A-Z«“\"'(])")
QUESTION_LABEL = re.compile(r"\A(?:Vraag|Vragen)\s+\d+[a-z]?\Z|\AAntwoord\b", re.I)
PAGE_FOOTER = re.compile(r"\s\d+/\d*\Z")  # "... (2021Z08317) 13/16"
PAGE_NUMBER = re.compile(r"\A\d{1,3}\s*\n\s*")  # "12\n De ..." (a page number)
ANSWER_LABEL = re.compile(r"\AAntwoord\b\s*:?\s*(?=\S)")  # "Antwoord\nDe ...", "Antwoord: Ja"
OFFICE_BLOCK = re.compile(r",\s*\n")  # "De Minister van Defensie,\nNaam": a signature
# "De Roon", "Hanke Bruins Slot": a name on a line of its own is not a heading.
NAME_ONLY = re.compile(r"\A(?:[A-Z][a-z]+\s+)*(?:(?:van|de|der|den|ten|ter)\s+)*[A-Z][a-z]+\Z")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Slot:
    """A varied part of a paragraph: what it is, its original text and what it needs."""

    what: str  # number, year, day, month, mission
    text: str
    value: int = 0
    decimals: int = 0
    grouped: bool = False  # thousands separators ("1.000")
    percent: bool = False
    capital: bool = False
    high: int = 0  # the last day of a range of days


Segment = str | Slot


@dataclass(slots=True)
class Pools:
    """The source material, by source kind."""

    paragraphs: dict[str, list[tuple[Segment, ...]]] = field(default_factory=dict)
    numbered: dict[str, list[bool]] = field(default_factory=dict)  # starts "12 Het ..."
    headings: dict[str, list[tuple[Segment, ...]]] = field(default_factory=dict)
    headlines: dict[str, list[tuple[Segment, ...]]] = field(default_factory=dict)
    questions: list[tuple[Segment, ...]] = field(default_factory=list)


MONTH_ALT = "|".join(MONTHS)
MONTH_ABBREVIATIONS = r"(?:jan|feb|mrt|apr|jun|jul|aug|sept?|okt|nov|dec)\.?"  # "25 jun 2007"
TOKEN = re.compile(
    # Left as they are: dossier numbers, references, unit names, numeric dates.
    r"(?P<keep>(?<!\d)\d{2}\s\d{3}(?!\d)"
    r"|(?i:\b(?:artikel|art\.|resoluties?|resolution|nrs?\.?|nummer|bijlage|blz\.?|pagina"
    r"|kenmerk|hoofdstuk|paragraaf)\s*\d+(?:\s*[-–]\s*\d+)?)"
    r"|\b\d+\s+(?:Luchtmobiele|Lichte|Gemechaniseerde|Brigade|Commando|Squadron|Korps)\b"
    r"|\b[0-3]?\d-[01]?\d-(?:19|20)\d\d\b|\b\d{1,2}[.:]\d\d\b)"
    r"|(?<![\w-])(?P<mission>"
    + "|".join(sorted((re.escape(form) for form in MISSION_OF), key=len, reverse=True))
    + r")(?!\w)"
    # The day or days before a month name ("3 mei", "19 en 20 februari", "12-14 juni").
    r"|(?<![\w.,/-])(?P<day>[0-3]?\d(?:\s*(?:,|en|t/m|tot en met|[-–])\s*[0-3]?\d)*)"
    r"(?=\s+(?i:" + MONTH_ALT + r"|" + MONTH_ABBREVIATIONS + r")(?!\w))"
    r"|(?<!\w)(?P<month>(?i:" + MONTH_ALT + r"))(?!\w)"
    r"|(?<![\w.,/])(?P<year>(?:19|20)\d\d)(?!\w|[.,]\d)"
    r"|(?<![\w.,/-])(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?P<dec>,\d+)?(?!\w|[.,]\d)"
)
DIGITS = re.compile(r"\d+")
PERCENT_AFTER = re.compile(r"\s?(?:%|procent)")


def parse(text: str) -> tuple[Segment, ...]:
    """A paragraph as literal text and the slots that vary.

    >>> [s.what if isinstance(s, Slot) else s for s in parse("Op 3 mei 2018 150 man")]
    ['Op ', 'day', ' ', 'month', ' ', 'year', ' ', 'number', ' man']
    """
    out: list[Segment] = []
    pos = 0

    def literal(chunk: str) -> None:
        if not chunk:
            return
        if out and isinstance(out[-1], str):
            out[-1] += chunk
        else:
            out.append(chunk)

    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "dec":  # the decimals of a number: the group that ended last
            kind = "int"
        literal(text[pos : match.start()])
        pos = match.end()
        token = match.group()
        slot: Slot | None = None
        if kind == "mission":
            slot = Slot("mission", token)
        elif kind == "day":
            days = [int(day) for day in DIGITS.findall(token)]
            if all(1 <= day <= 31 for day in days):
                slot = Slot("day", token, min(days), high=max(days))
        elif kind == "month":
            slot = Slot("month", token, MONTH_INDEX[token.lower()], capital=token[0].isupper())
        elif kind == "year":
            year = int(token)
            if YEAR_SHIFTED[0] <= year <= YEAR_SHIFTED[1]:
                slot = Slot("year", token, year)
        elif kind == "int":
            whole, dec = match.group("int"), match.group("dec") or ""
            grouped = "." in whole
            digits = whole.replace(".", "")
            # Leading zeros and long runs of digits are codes, not figures.
            if not (digits.startswith("0") and len(digits) > 1) and (grouped or len(digits) < 6):
                slot = Slot(
                    "number",
                    token,
                    int(digits),
                    decimals=len(dec) - 1 if dec else 0,
                    grouped=grouped,
                    percent=PERCENT_AFTER.match(text, pos) is not None,
                )
        if slot is None:
            literal(token)
        else:
            out.append(slot)
    literal(text[pos:])
    return tuple(out)


def _blocks(text: str) -> list[str]:
    """The blocks of a text: paragraphs and headings, lines stripped at the end."""
    text = CONTROL.sub(" ", text.replace("\r\n", "\n"))
    lines = text.split("\n")
    spaces = sum(1 for line in lines if line and not line.strip())
    if spaces >= 10 and lines.count("") > 0.4 * len(lines):
        # A text layer with an empty line after every line: the paragraphs are
        # separated by lines holding only spaces ("1 \n\n \n\nEerste Kamer").
        text = "\n".join(line for line in lines if line)
    blocks = []
    for raw in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = [line.rstrip() for line in raw.strip("\n").split("\n")]
        block = "\n".join(line for line in lines if line.strip()).strip()
        block = ANSWER_LABEL.sub("", PAGE_NUMBER.sub("", block))
        if block and not (PAGE_FOOTER.search(block) and block.count("\n") <= 1):
            blocks.append(block)
    return blocks


def _is_heading(block: str) -> bool:
    letters = [c for c in block if c.isalpha()]
    return (
        "\n" not in block
        and len(letters) >= 4
        and block[0].isupper()
        and not block.endswith((",", ":", ";", "."))
        and ":" not in block
        and not (" " in block and NAME_ONLY.match(block))
        and sum(c.isupper() for c in letters) <= len(letters) * 0.5
        and not QUESTION_LABEL.match(block)
        and not DATE_BLOCK.match(block)
        and not NUMBERED.match(block)
    )


def sources() -> list[tuple[str, str, str]]:
    """(source kind, name, text) of the seeds and the dev folders of the corpus, sorted."""
    found = [("kamerstuk", f"seeds/{p.name}", p) for p in sorted(SEEDS_DIR.glob("*.txt"))]
    for case in sorted(CORPUS_DIR.glob("*/case.json")):
        meta = json.loads(case.read_text(encoding="utf-8"))
        text = case.parent / "text.txt"
        if meta.get("split") == "dev" and meta.get("kind") in SOURCE_KINDS and text.is_file():
            found.append((meta["kind"], f"tests/corpus/{case.parent.name}", text))
    found.sort(key=lambda item: item[1])
    return [(kind, name, path.read_text(encoding="utf-8")) for kind, name, path in found]


@cache
def pools() -> Pools:
    """The paragraphs, headings, headlines and questions of the sources, parsed once."""
    result = Pools()
    for kind in SOURCE_KINDS:
        result.paragraphs[kind] = []
        result.numbered[kind] = []
        result.headings[kind] = []
        result.headlines[kind] = []
    for kind, _name, text in sources():
        blocks = _blocks(text)
        after_label = False
        for n, block in enumerate(blocks):
            label = QUESTION_LABEL.match(block) is not None
            if n == 0 and kind not in ("kamerstuk", "challenge") and len(block) <= 140:
                result.headlines[kind].append(parse(block))
            elif kind == "kamerstuk" and "?" in block and (NUMBERED.match(block) or after_label):
                result.questions.append(parse(NUMBERED.sub("", block, count=1)))
            elif DATE_BLOCK.match(block) or IDENTITY.search(block) or OFFICE_BLOCK.search(block):
                pass
            elif len(block) >= MIN_PARAGRAPH:
                result.paragraphs[kind].append(parse(block))
                result.numbered[kind].append(NUMBERED.match(block) is not None)
            elif _is_heading(block):
                result.headings[kind].append(parse(block))
            after_label = label and block.lower().startswith("vraag")
    # Challenge items are in the style of ministries and newspapers: they lend
    # their headings to the government pages and news items.
    result.headings["government"] += result.headings["challenge"]
    result.headings["news"] += result.headings["challenge"]
    return result


# --- Variation ---------------------------------------------------------------------------


class Variation:
    """How one document varies its paragraphs: consistent within the document."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.year_offset = rng.randint(-2, 2)
        self.month_shift = rng.randint(1, 11) if rng.random() < 0.3 else 0
        self.missions: dict[int, int] = {}
        if rng.random() < 0.15:
            a, b = rng.sample(range(len(MISSIONS)), 2)
            self.missions = {a: b, b: a}
        self.long_form = [rng.choice(longs) for longs, _ in MISSIONS]
        self.day_shift = rng.randint(-14, 14) or 7
        self.numbers: dict[tuple[str, bool], str] = {}

    def year(self, year: int) -> int:
        return min(max(year + self.year_offset, YEAR_CLAMP[0]), YEAR_CLAMP[1])

    def render(self, segments: Sequence[Segment]) -> str:
        parts: list[str] = []
        for seg in segments:
            if isinstance(seg, str):
                parts.append(seg)
            elif seg.what == "number":
                parts.append(self._number(seg))
            elif seg.what == "year":
                parts.append(str(self.year(seg.value)))
            elif seg.what == "day":
                # The days of a document move together, a range as a whole; always 1-28.
                shift = min(max(self.day_shift, 1 - seg.value), 28 - seg.high)
                if seg.high > 28:
                    shift = max(shift, 1 - seg.value)  # 30 and 31 give 28 ...
                parts.append(DIGITS.sub(_shifted(shift), seg.text))
            elif seg.what == "month":
                name = MONTHS[(seg.value + self.month_shift) % 12]
                parts.append(name.capitalize() if seg.capital else name)
            else:  # mission
                mission, short = MISSION_OF[seg.text]
                other = self.missions.get(mission)
                if other is None:
                    parts.append(seg.text)
                else:
                    parts.append(MISSIONS[other][1] if short else self.long_form[other])
        return "".join(parts)

    def _number(self, seg: Slot) -> str:
        key = (seg.text, seg.percent)
        done = self.numbers.get(key)
        if done is not None:
            return done
        rng = self.rng
        if seg.decimals:
            scale = 10**seg.decimals
            raw = int(seg.text.replace(".", "").replace(",", ""))
            new = max(1, round(raw * rng.uniform(0.6, 1.5)))
            whole, frac = divmod(new, scale)
            text = f"{_group(whole) if seg.grouped else whole},{frac:0{seg.decimals}d}"
        elif seg.value <= 1:
            text = seg.text
        else:
            value = seg.value
            if value <= 12:
                new = rng.randint(max(2, value // 2), value * 2)
            else:
                digits = str(value)
                zeros = len(digits) - len(digits.rstrip("0"))
                unit = 10 ** min(zeros, len(digits) - 1)
                new = max(unit, round(value * rng.uniform(0.6, 1.6) / unit) * unit)
            if seg.percent:
                new = min(new, 100)
            text = _group(new) if seg.grouped else str(new)
        self.numbers[key] = text
        return text


def _shifted(shift: int) -> Callable[[re.Match[str]], str]:
    def day(match: re.Match[str]) -> str:
        return str(min(int(match[0]) + shift, 28))

    return day


def _group(value: int) -> str:
    """1000 -> '1.000'."""
    return f"{value:,}".replace(",", ".")


# --- Documents ---------------------------------------------------------------------------

DEFENCE = ((2017, "J.A. Hennis-Plasschaert"), (2021, "A.Th.B. Bijleveld-Schouten"),
           (2024, "K.H. Ollongren"), (2099, "R.P. Brekelmans"))  # fmt: skip
FOREIGN = ((2017, "A.G. Koenders"), (2018, "H. Zijlstra"), (2021, "S.A. Blok"),
           (2023, "W.B. Hoekstra"), (2024, "H.G.J. Bruins Slot"),
           (2099, "C.C.J. Veldkamp"))  # fmt: skip
CHAIRS = ("Van Helvert", "Pia Dijkstra", "Ten Broeke", "Agema", "Van der Staaij", "Kuzu",
          "Teunissen", "Aukje de Vries", "Heerema", "Van Wijngaarden")  # fmt: skip
CLERKS = ("Van Toor", "Mittendorff", "Westerhoff", "Van Luijk", "Sneep", "Konings",
          "Drost", "De Lange")  # fmt: skip
COMMITTEES = ("Defensie", "Buitenlandse Zaken", "Buitenlandse Handel en Ontwikkelingssamenwerking")
SUBJECTS = (
    "de Nederlandse bijdrage aan de anti-ISIS-coalitie",
    "de brede veiligheidsinzet in Irak",
    "de verlenging van de Nederlandse bijdrage aan de strijd tegen ISIS",
    "de voortgang van de Nederlandse bijdrage aan de NAVO-missie in Irak",
    "de Nederlandse bijdrage aan EUAM Irak",
    "de inzet van Nederlandse F-16's tegen ISIS",
    "de capaciteitsopbouw van de Iraakse veiligheidssector",
    "de Force Protection-eenheid in Irak",
)
SENDERS = (
    "DE MINISTERS VAN BUITENLANDSE ZAKEN EN VAN DEFENSIE",
    "DE MINISTER VAN DEFENSIE",
    "DE MINISTERS VAN BUITENLANDSE ZAKEN, VAN DEFENSIE EN VOOR BUITENLANDSE HANDEL EN "
    "ONTWIKKELINGSSAMENWERKING",
)
OPENINGS = (
    "Met deze brief informeren wij u, mede namens de Minister voor Buitenlandse Handel en "
    "Ontwikkelingssamenwerking, over {subject}.",
    "Hierbij informeer ik u over {subject}, zoals toegezegd in het commissiedebat van {date}.",
    "In overeenstemming met artikel 100 van de Grondwet informeren wij u hierbij over het "
    "besluit van het kabinet over {subject}.",
    "Graag informeren wij u over de stand van zaken van {subject}.",
)
HEAD_SUBJECTS = ("Kabinet", "Nederland", "Defensie", "Het kabinet", "Minister", "NAVO")
HEAD_VERBS = ("verlengt", "stuurt", "beëindigt", "vergroot", "verkleint", "evalueert", "hervat")
HEAD_OBJECTS = (
    "inzet in Irak", "bijdrage aan de strijd tegen ISIS", "trainingsmissie in Noord-Irak",
    "bijdrage aan de NAVO-missie in Irak", "adviseurs naar Bagdad", "militairen naar Erbil",
    "F-16's naar het Midden-Oosten", "steun aan EUAM Irak", "Chinooks naar Al Asad",
)  # fmt: skip
DISTRACTOR_OBJECTS = (
    "inzet in Mali", "bijdrage aan MINUSMA", "militairen naar Litouwen",
    "missie in Afghanistan", "bijdrage aan KFOR", "inzet in Libanon", "fregat naar Atalanta",
)  # fmt: skip


def _by_year(table: tuple[tuple[int, str], ...], year: int) -> str:
    return next(name for until, name in table if year <= until)


def _date(rng: random.Random) -> dt.date:
    return dt.date(rng.randint(2014, 2025), rng.randint(1, 12), rng.randint(1, 28))


def _spell(date: dt.date, weekday: bool = False) -> str:
    text = f"{date.day} {MONTHS[date.month - 1]} {date.year}"
    return f"{WEEKDAYS[date.weekday()]} {text}" if weekday else text


@dataclass(frozen=True, slots=True)
class Plan:
    """What does not change when a document is varied: its kind and its length."""

    kind: str
    target: int  # characters


def plan(i: int, seed: int) -> Plan:
    """The kind and the target length of document ``i``."""
    rng = random.Random(f"kg-bench-corpus:{seed}:{i}:plan")
    kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    r = rng.random()
    if r < 0.002:
        target = rng.randint(512_000, 1_536_000)
    elif r < 0.042:
        target = rng.randint(50_000, 200_000)
    else:  # log-uniform 2-15 KB: most documents short
        target = round(2_000 * 7.5 ** rng.random())
    return Plan(kind, target)


class Writer:
    """One document being assembled."""

    def __init__(self, kind: str, target: int, rng: random.Random) -> None:
        self.kind = kind
        self.target = target
        self.rng = rng
        self.var = Variation(rng)
        self.pools = pools()
        self.parts: list[str] = []
        self.size = 0
        self.recent: list[tuple[str, int]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text) + 2

    def full(self) -> bool:
        return self.size >= self.target

    def paragraph(self, plain: bool = False) -> str:
        """A varied paragraph from the sources of this kind's mix."""
        mix = MIX[self.kind]
        rng = self.rng
        source = rng.choices([k for k, _ in mix], weights=[w for _, w in mix])[0]
        paragraphs = self.pools.paragraphs[source]
        numbered = self.pools.numbered[source]
        for _ in range(8):  # not one of the last few, not a numbered one where unwanted
            n = rng.randrange(len(paragraphs))
            key = (source, n)
            if key in self.recent or (plain and numbered[n]):
                continue
            break
        self.recent = [*self.recent[-7:], key]
        return self.var.render(paragraphs[n])

    def heading(self, source: str) -> str:
        return self.var.render(self.rng.choice(self.pools.headings[source]))

    def body(self, heading_source: str, heading_chance: float) -> None:
        while not self.full():
            if self.rng.random() < heading_chance and self.pools.headings[heading_source]:
                self.add(self.heading(heading_source))
            self.add(self.paragraph())

    def text(self) -> str:
        return "\n\n".join(self.parts) + "\n"


def _kamerstuk(w: Writer, date: dt.date) -> None:
    rng = w.rng
    nr = rng.randint(500, 999)
    w.add(f"Kamerstuk 27925-{nr}")
    if rng.random() < 0.7:
        w.add("Tweede Kamer der Staten-Generaal")
    w.add("27 925 Bestrijding internationaal terrorisme")
    sender = rng.choice(SENDERS)
    w.add(f"Nr. {nr} BRIEF VAN {sender}")
    w.add("Aan de Voorzitter van de Tweede Kamer der Staten-Generaal")
    w.add(f"Den Haag, {_spell(date)}")
    earlier = _spell(date - dt.timedelta(days=rng.randint(20, 200)))
    w.add(rng.choice(OPENINGS).format(subject=rng.choice(SUBJECTS), date=earlier))
    closing = f"De Minister van Defensie,\n{_by_year(DEFENCE, date.year)}"
    if "BUITENLANDSE ZAKEN" in sender:
        closing = (
            f"De Minister van Buitenlandse Zaken,\n{_by_year(FOREIGN, date.year)}\n\n{closing}"
        )
    w.target -= len(closing)
    w.body("kamerstuk", 0.12)
    w.add(closing)


def _vragen(w: Writer, date: dt.date) -> None:
    rng = w.rng
    nr = rng.randint(500, 999)
    letter = date - dt.timedelta(days=rng.randint(30, 90))
    answered = date - dt.timedelta(days=rng.randint(3, 25))
    letter_nr = nr - rng.randint(1, 9)
    w.add(f"Kamerstuk 27925-{nr}")
    w.add("27 925 Bestrijding internationaal terrorisme")
    w.add(f"Nr. {nr} LIJST VAN VRAGEN EN ANTWOORDEN")
    w.add(f"Vastgesteld {_spell(date)}")
    w.add(
        f"De vaste commissie voor {rng.choice(COMMITTEES)} heeft een aantal vragen voorgelegd "
        f"aan de Ministers van Buitenlandse Zaken en van Defensie over de brief van "
        f"{_spell(letter)} inzake {rng.choice(SUBJECTS)} (Kamerstuk 27 925, nr. {letter_nr})."
    )
    w.add(
        f"De Ministers hebben deze vragen beantwoord bij brief van {_spell(answered)}. "
        "Vragen en antwoorden zijn hierna afgedrukt."
    )
    w.add(f"De voorzitter van de commissie, {rng.choice(CHAIRS)}")
    w.add(f"De griffier van de commissie, {rng.choice(CLERKS)}")
    questions = w.pools.questions
    number = 0
    while not w.full() or number == 0:
        number += 1
        w.add(f"{number} {w.var.render(rng.choice(questions))}")
        for k in range(rng.choice((1, 1, 1, 2, 2, 3))):
            answer = w.paragraph(plain=True)
            w.add(f"Antwoord\n{answer}" if k == 0 and rng.random() < 0.3 else answer)


def _headline(w: Writer, source: str, objects: tuple[str, ...]) -> str:
    rng = w.rng
    pool = w.pools.headlines[source]
    if pool and rng.random() < 0.6:
        return w.var.render(rng.choice(pool))
    return f"{rng.choice(HEAD_SUBJECTS)} {rng.choice(HEAD_VERBS)} {rng.choice(objects)}"


def _page(w: Writer, date: dt.date, source: str, objects: tuple[str, ...]) -> None:
    """A government page or a news item: headline and date line, or the other way round."""
    rng = w.rng
    headline = _headline(w, source, objects)
    dateline = _spell(date, weekday=rng.random() < 0.2)
    if source == "news" and rng.random() < 0.5:
        w.add(dateline)
        w.add(headline)
    else:
        w.add(headline)
        w.add(dateline)
    w.add(w.paragraph())
    w.body("distractor" if source == "distractor" else source, 0.2)


def document(i: int, seed: int = DEFAULT_SEED, variant: int = 0) -> tuple[str, str]:
    """The file name and text of document ``i``; another ``variant`` varies it differently."""
    p = plan(i, seed)
    rng = random.Random(f"kg-bench-corpus:{seed}:{i}:{variant}")
    w = Writer(p.kind, p.target, rng)
    date = _date(rng)
    if p.kind == "kamerstuk":
        _kamerstuk(w, date)
    elif p.kind == "vragen":
        _vragen(w, date)
    elif p.kind == "distractor":
        _page(w, date, "distractor", DISTRACTOR_OBJECTS)
    else:
        _page(w, date, p.kind, HEAD_OBJECTS)
    return f"{i:0{NAME_WIDTH}d}_{p.kind}.txt", w.text()


def generate(n: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[str, str]]:
    """(file name, text) of documents 0 .. n-1."""
    if not 0 <= n <= MAX_DOCS:
        raise ValueError(f"n must be between 0 and {MAX_DOCS}, not {n}")
    for i in range(n):
        yield document(i, seed)


# --- Writing -----------------------------------------------------------------------------


class CorpusError(Exception):
    """The corpus cannot be written as asked."""


@dataclass(slots=True)
class Summary:
    docs: int = 0
    size: int = 0  # bytes
    kinds: Counter[str] = field(default_factory=Counter)
    largest: tuple[int, str] = (0, "")
    seconds: float = 0.0

    def add(self, name: str, data: bytes) -> None:
        self.docs += 1
        self.size += len(data)
        self.kinds[name.split("_", 1)[1].removesuffix(".txt")] += 1
        self.largest = max(self.largest, (len(data), name))

    def line(self) -> str:
        kinds = ", ".join(f"{k} {c}" for k, c in sorted(self.kinds.items()))
        size, name = self.largest
        return (
            f"{self.docs} documents, {self.size / 1e6:.1f} MB ({kinds}); "
            f"largest {name} {size / 1e3:.1f} KB; {self.seconds:.1f} s"
        )


def write_corpus(n: int, to: Path | str, seed: int = DEFAULT_SEED, force: bool = False) -> Summary:
    """Write documents 0 .. n-1 into ``to``.

    A folder that exists and is not empty is refused unless ``force``; then the
    files named like this generator's output (``NNNNN_kind.txt``) are removed
    first and nothing else is touched.
    """
    start = time.perf_counter()
    folder = Path(to)
    if folder.exists() and not folder.is_dir():
        raise CorpusError(f"{folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        if not force:
            raise CorpusError(f"{folder} is not empty; use --force to replace its corpus files")
        for old in sorted(folder.iterdir()):
            if old.is_file() and NAME_PATTERN.match(old.name):
                old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    for name, text in generate(n, seed):
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        summary.add(name, data)
    summary.seconds = time.perf_counter() - start
    return summary


def change_document(i: int, to: Path | str, seed: int = DEFAULT_SEED, variant: int = 1) -> Path:
    """Rewrite document ``i`` of the corpus in ``to`` with another variation."""
    if variant == 0:
        raise CorpusError("variant 0 is the document as generated; use 1 or more")
    name, text = document(i, seed, variant)
    path = Path(to) / name
    if not path.is_file():
        raise CorpusError(f"{path} does not exist (is {to} a corpus made with --seed {seed}?)")
    if text == document(i, seed)[1]:  # pragma: no cover - a variation always differs
        raise CorpusError(f"variant {variant} of document {i} is the same text")
    path.write_bytes(text.encode("utf-8"))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make_corpus.py",
        description="Write a deterministic synthetic corpus for benchmarks (never committed).",
    )
    parser.add_argument("--docs", type=int, help="the number of documents (e.g. 100, 1000)")
    parser.add_argument("--to", type=Path, required=True, help="the folder to write into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="default %(default)s")
    parser.add_argument(
        "--force", action="store_true", help="replace the corpus files of a non-empty folder"
    )
    parser.add_argument(
        "--change", type=int, metavar="I", help="rewrite document I in place, varied otherwise"
    )
    parser.add_argument(
        "--variant", type=int, default=1, help="which other variation --change writes (1, 2, ...)"
    )
    args = parser.parse_args(argv)
    try:
        if args.change is not None:
            if args.change < 0 or args.change > MAX_DOCS:
                parser.error(f"--change must be between 0 and {MAX_DOCS}")
            path = change_document(args.change, args.to, args.seed, args.variant)
            print(f"rewrote {path} ({path.stat().st_size / 1e3:.1f} KB, variant {args.variant})")
            return 0
        if args.docs is None:
            parser.error("--docs is required (unless --change)")
        if not 1 <= args.docs <= MAX_DOCS:
            parser.error(f"--docs must be between 1 and {MAX_DOCS}")
        summary = write_corpus(args.docs, args.to, args.seed, args.force)
    except CorpusError as err:
        print(f"make_corpus.py: error: {err}", file=sys.stderr)
        return 2
    print(f"{args.to}: {summary.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
