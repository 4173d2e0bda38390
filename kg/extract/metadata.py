"""What a parliamentary document says about itself: type, date, chamber, dossier
and number, zaak numbers, title, committee, signatories, numbered questions.

Every value carries the span of the original text it was read from. Values the
text does not state but that can be reasoned out (the date of a list of
questions whose date line was left blank, the chamber of a list with a Tweede
Kamer zaak number) are marked inferred, with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass

from kg.extract.temporal import MONTHS, WEEKDAYS, CalendarDate, find_dates
from kg.model import (
    BlockKind,
    DocDate,
    DocMeta,
    DocType,
    NormDoc,
    Question,
    Signatory,
    Span,
    Value,
)

HEAD_CHARS = 3000  # the head of a document: where its own identity is stated

DATE_LINE = re.compile(
    r"(?<![\w-])(?:Den Haag|'s-Gravenhage|Vastgesteld|Datum)\s*,?\s+"
    r"(?P<date>(?:[0-3]?\d\s+)?[a-z]+\s+(?:19|20)\d\d)",
    re.IGNORECASE,
)
# A news item or web page dated by a line of its own at the top: "14 juni 2023",
# "dinsdag 14 juni 2023", "14-06-2023".
DATE_ONLY_LINE = re.compile(
    rf"\A\s*(?:[^\n]*\n\s*)?(?:(?:{'|'.join(WEEKDAYS)})\s+)?"
    r"(?P<date>(?:[0-3]?\d\s+)?[a-z]+\s+(?:19|20)\d\d|[0-3]?\d-[01]?\d-(?:19|20)\d\d)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
BLANK_DATE_LINE = re.compile(r"Vastgesteld\s*\(\s*wordt door (?:de )?griffie ingevuld[^)]*\)", re.I)
ZAAK = re.compile(r"(?<![\w-])((?:19|20)\d\dZ\d{5})(?!\d)")
DOSSIER = r"(?P<dossier>\d{2}\s?\d{3}(?:-[A-Z]{1,3})?)"
RUNNING_ID = re.compile(
    r"(?P<chamber>Eerste|Tweede)\s+Kamer,\s+vergaderjaar\s+\d{4}\s*[–-]\s*\d{4},\s+"
    + DOSSIER
    + r",\s+(?P<number>nr\.\s*\d+|[A-Z]{1,3})\b"
)
HEADER_DOSSIER = re.compile(
    r"^[ \t]*" + DOSSIER + r"[ \t]+(?P<title>[A-Z][^\n]{3,120}?)[ \t]*$", re.M
)
HEADER_NUMBER = re.compile(
    r"^[ \t]*(?P<number>(?:[Nn]r\.\s*\d+)|[A-Z]{1,3})[ \t]+(?P<heading>(?:BRIEF|VERSLAG|MOTIE|"
    r"LIJST|MEMORIE|NOTA|VOORSTEL|AMENDEMENT|VERSLAG)\b[^\n]*)$",
    re.M,
)
LIST_REFERENCE = re.compile(
    r"^[ \t]*" + DOSSIER + r"\s*-\s*(?P<number>\d{1,4})\s+(?P<title>\S[^\n]+)$", re.M
)
ADDRESSEE = re.compile(r"Aan de [Vv]oorzitter van de (?P<chamber>Eerste|Tweede) Kamer")
CHAMBER_HEADER = re.compile(r"(?P<chamber>Eerste|Tweede) Kamer der Staten-Generaal")
COMMITTEE = re.compile(
    r"\b[Vv]aste [Cc]ommissie voor (?P<name>[A-Z][\w-]*(?:(?: |, | en )[A-Z][\w-]*)*)"
)
QUESTION_START = re.compile(r"^(?P<number>\d{1,3})\s+(?=[A-Z«“\"'(])")
ANSWER_PREFIX = re.compile(r"^Antwoord\s*:?\s*", re.I)
OFFICE_START = re.compile(
    r"^(?:[Dd]e\s+)?(?:[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris|[Vv]oorzitter|"
    r"(?:[Aa]djunct-|[Pp]laatsvervangend\s+)?[Gg]riffier|[Ss]ecretaris)\b"
)
NAME_LINE = re.compile(
    r"^(?:(?:drs|mr|dr|ir|prof|ing)\.?\s+)*(?:(?:[A-Z][a-z]{0,2}\.)+\s*)?"
    r"(?:[A-Z][\w'’-]*(?:\s+|$)|(?:van|de|der|den|ten|ter)\s+){1,6}$"
)
TYPE_RULES: tuple[tuple[DocType, re.Pattern[str]], ...] = (
    (DocType.VRAGEN, re.compile(r"\bLijst van vragen en antwoorden\b", re.I)),
    (
        DocType.VERSLAG,
        re.compile(r"\bverslag (?:uit )?van (?:een|het gevoerde) schriftelijk overleg\b", re.I),
    ),
    (
        DocType.VOORTGANG,
        re.compile(r"\b(?:hierbij|bijgaand) (?:de |het )?(?:\w+ )?voortgangsrapportage\b", re.I),
    ),
    (
        DocType.ARTIKEL100,
        re.compile(r"\bIn overeenstemming met artikel 100 van de Grondwet\b", re.I),
    ),
    (
        DocType.KAMERBRIEF,
        re.compile(r"\bBRIEF VAN DE\b|\bAan de [Vv]oorzitter van de (?:Eerste|Tweede) Kamer\b"),
    ),
)
FUTURE_CUE = re.compile(
    r"\b(?:zal|zullen|zou|zouden|gaat|gaan|gepland|verwacht\w*|voornemens|aanstaande|a\.s\.|"
    r"uiterlijk|per|tot(?: en met)?|t/m|einddatum|loopt|voor|vanaf|eind|na)\s*$",
    re.I,
)
FUTURE_WORDS = re.compile(r"\b(?:zal|zullen|gepland|verwacht|voornemens|aanstaande|a\.s\.)\b", re.I)


@dataclass(frozen=True, slots=True)
class _Found:
    value: str
    start: int  # normalized offsets
    end: int


def extract_metadata(norm: NormDoc, kind: DocType | None = None) -> DocMeta:
    """Read a document's metadata from its normalized text, with evidence.

    ``kind``, where an official record settles the kind of document otherwise than
    the text suggests, is the kind the rules that depend on it read the text by (the
    date line, the title, the questions); the type read stays the text's.

    >>> from kg.ingest import parse_bytes
    >>> from kg.normalize import normalize
    >>> raw = "Aan de Voorzitter van de Tweede Kamer\\n\\nDen Haag, 14 september 2018\\n\\n"
    >>> raw += "In overeenstemming met artikel 100 van de Grondwet informeren wij u.\\n"
    >>> meta = extract_metadata(normalize(parse_bytes(raw.encode(), "text/plain", "b.txt")))
    >>> meta.doc_type.value, meta.date.iso, meta.chamber.value
    ('artikel-100-brief', '2018-09-14', 'Tweede Kamer')
    """
    doc_type = _doc_type(norm)
    kind = kind or DocType(doc_type.value)
    dossier, number, about = _dossier_and_number(norm)
    zaken = _zaken(norm)
    return DocMeta(
        doc_type=doc_type,
        date=_date(norm, kind),
        chamber=_chamber(norm, zaken, number),
        dossier=dossier,
        number=number,
        title=_title(norm, kind),
        committee=_committee(norm),
        zaken=zaken,
        signatories=_signatories(norm),
        questions=_questions(norm) if kind == DocType.VRAGEN else (),
        about=about,
    )


def _value(
    norm: NormDoc, value: str, start: int, end: int, inferred: bool = False, reason: str = ""
) -> Value:
    """A value whose evidence is a span of the normalized text."""
    return Value(value, norm.span(start, end), inferred, reason)


def _original_value(norm: NormDoc, value: str, start: int, end: int) -> Value:
    """A value whose evidence is a span of the original text."""
    return Value(value, Span(start, end, norm.source.text[start:end]))


def _doc_type(norm: NormDoc) -> Value:
    head = norm.text[:HEAD_CHARS]
    for doc_type, pattern in TYPE_RULES:
        match = pattern.search(head)
        if match:
            return _value(norm, doc_type.value, match.start(), match.end())
    return Value(DocType.OTHER.value, None, inferred=True, reason="no known document heading")


def _date(norm: NormDoc, doc_type: DocType) -> DocDate | None:
    """The document's own date: its "Vastgesteld" or "Den Haag" line, else inferred."""
    head = norm.text[:HEAD_CHARS]
    fixed = letter = month = None
    for match in DATE_LINE.finditer(head):
        found = next(find_dates(norm.text, match.start("date"), match.end("date")), None)
        if found is None:
            continue
        if found.day is None:  # "Den Haag, september 2018": the month only
            month = month or (found, match)
        elif match.group(0).lower().startswith("vastgesteld"):
            fixed = fixed or (found, match)
        else:
            letter = letter or (found, match)
    letter = letter or month
    # A list of questions or a report of a written consultation quotes letters with
    # their own "Den Haag" lines; only its "Vastgesteld" line dates it.
    compiled = doc_type in (DocType.VRAGEN, DocType.VERSLAG)
    stated = fixed or (None if compiled else letter)
    if stated is not None:
        found, match = stated
        return DocDate(found.iso, found.precision, norm.span(match.start(), match.end()))
    own = DATE_ONLY_LINE.match(head)
    if own is not None and not compiled:
        found = next(find_dates(norm.text, own.start("date"), own.end("date")), None)
        if found is not None:
            return DocDate(found.iso, found.precision, norm.span(own.start(), own.end()))
    # Only a parliamentary paper whose date line is left blank or belongs to a quoted
    # letter is dated by what it reports; a page or news text with no date of its own
    # gets none (its relative times stay unresolved), not one guessed from its content.
    if not (compiled or BLANK_DATE_LINE.search(head) or letter is not None):
        return None
    latest = _latest_past_date(norm)
    if latest is None:
        return None
    if BLANK_DATE_LINE.search(head):
        why = "the date line was left blank ('Vastgesteld (wordt door griffie ingevuld ...)')"
    elif letter is not None:
        line = norm.text[letter[1].start() : letter[1].end()]
        why = f"the date line '{line}' belongs to a quoted letter"
    else:
        why = "the document has no date line"
    said = norm.text[latest.start : latest.end]
    reason = (
        f"{why}; the document is not older than the latest date it reports as past, '{said}'"
        + (f" (read as {latest.iso})" if not any(ch.isdigit() for ch in said[-4:]) else "")
    )
    return DocDate(latest.iso, latest.precision, norm.span(latest.start, latest.end), True, reason)


RELATIVE_PAST = re.compile(
    rf"(?<![\w-])(?:(?P<day>[0-3]?\d)\s+)?(?P<month>{'|'.join(MONTHS)})\s+(?:jl\.|jongstleden)",
    re.IGNORECASE,
)


def letter_dates(norm: NormDoc, meta: DocMeta) -> list[tuple[int, int, dt.date]]:
    """The stretches of a document that belong to a dated letter: from each
    "Den Haag, <date>" line to the signature that closes it (normalized offsets).
    A report that quotes letters resolves "jl." in each against its own date."""
    out = []
    signed = sorted(s.evidence.start for s in meta.signatories)
    for match in DATE_LINE.finditer(norm.text):
        if not match.group(0).lower().startswith(("den haag", "'s-gravenhage")):
            continue
        found = next(find_dates(norm.text, match.start("date"), match.end("date")), None)
        if found is None or found.day is None:
            continue
        original = norm.offsets[match.start()]
        close = next((pos for pos in signed if pos > original), None)
        end = len(norm.text)
        if close is not None:
            end = _first_at(norm, close, end)
        out.append((match.start(), end, dt.date(found.year, found.month, found.day)))
    return out


def _first_at(norm: NormDoc, original: int, default: int) -> int:
    """The first normalized offset whose original offset is at or after ``original``:
    found by bisection in the running text (in the original's order), else among the
    footnotes that follow it; ``default`` where none is."""
    at = bisect_left(norm.offsets, original, 0, norm.running_end)
    if at < norm.running_end:
        return at
    notes = range(norm.running_end, len(norm.text))
    return next((i for i in notes if norm.offsets[i] >= original), default)


def _latest_past_date(norm: NormDoc) -> CalendarDate | None:
    """The latest absolute date in a sentence that speaks of it as past; a month
    or day marked "jl." later in that year moves it on ("in mei jl.")."""
    best = _latest_absolute(norm)
    if best is None:
        return None
    for start, end in norm.sentences:
        for match in RELATIVE_PAST.finditer(norm.text, start, end):
            month = MONTHS[match["month"].lower()]
            day = int(match["day"]) if match["day"] else None
            try:
                candidate = CalendarDate(best.year, month, day, match.start(), match.end())
                later = candidate.earliest > best.earliest
            except ValueError:
                continue
            if later:
                best = candidate
    return best


def _latest_absolute(norm: NormDoc) -> CalendarDate | None:
    best: CalendarDate | None = None
    for start, end in norm.sentences:
        sentence = norm.text[start:end]
        if sentence.rstrip().endswith("?") or FUTURE_WORDS.search(sentence):
            continue
        for found in find_dates(norm.text, start, end):
            if FUTURE_CUE.search(norm.text[max(start, found.start - 16) : found.start]):
                continue
            if best is None or found.earliest > best.earliest:
                best = found
    return best


def _zaken(norm: NormDoc) -> tuple[Value, ...]:
    seen: dict[str, Value] = {}
    for match in ZAAK.finditer(norm.text):
        if match.group(1) not in seen:
            seen[match.group(1)] = _value(norm, match.group(1), match.start(1), match.end(1))
    return tuple(seen.values())


def _dossier_and_number(norm: NormDoc) -> tuple[Value | None, Value | None, Value | None]:
    """Dossier and sub-number from running headers, the document header, or (for
    a list of questions) the letter it answers."""
    text = norm.source.text
    dossier = number = about = None
    running = RUNNING_ID.search(text)
    if running:
        dossier = _original_value(norm, _fmt_dossier(running["dossier"]), *running.span("dossier"))
        number = _original_value(norm, _fmt_number(running["number"]), *running.span("number"))
    head = text[: HEAD_CHARS // 2]
    header = HEADER_DOSSIER.search(head)
    if dossier is None and header:
        dossier = _original_value(norm, _fmt_dossier(header["dossier"]), *header.span("dossier"))
    heading = HEADER_NUMBER.search(head)
    if number is None and heading:
        number = _original_value(norm, _fmt_number(heading["number"]), *heading.span("number"))
    reference = LIST_REFERENCE.search(head)
    if reference:
        about_text = f"{_fmt_dossier(reference['dossier'])}, nr. {reference['number']}"
        about = _original_value(norm, about_text, reference.start(), reference.end("number"))
        if dossier is None:
            dossier = _original_value(
                norm, _fmt_dossier(reference["dossier"]), *reference.span("dossier")
            )
    return dossier, number, about


def _fmt_dossier(raw: str) -> str:
    digits = raw.replace(" ", "")
    return f"{digits[:2]} {digits[2:]}"


def _fmt_number(raw: str) -> str:
    match = re.match(r"[Nn]r\.\s*(\d+)", raw)
    return f"nr. {match.group(1)}" if match else raw


def _chamber(norm: NormDoc, zaken: tuple[Value, ...], number: Value | None) -> Value | None:
    text = norm.source.text
    for pattern in (ADDRESSEE, CHAMBER_HEADER, RUNNING_ID):
        match = pattern.search(text if pattern is RUNNING_ID else text[:HEAD_CHARS])
        if match:
            start = match.start("chamber")
            return _original_value(
                norm, f"{match['chamber']} Kamer", start, text.index("Kamer", start) + 5
            )
    if zaken:
        reason = f"zaak numbers such as {zaken[0].value} are given by the Tweede Kamer"
        return Value("Tweede Kamer", zaken[0].evidence, inferred=True, reason=reason)
    if number is not None:
        if number.value.startswith("nr."):
            reason = "numbered 'nr.' as the Tweede Kamer numbers its papers"
            return Value("Tweede Kamer", number.evidence, inferred=True, reason=reason)
        reason = "lettered as the Eerste Kamer numbers its papers"
        return Value("Eerste Kamer", number.evidence, inferred=True, reason=reason)
    return None


def _title(norm: NormDoc, doc_type: DocType) -> Value | None:
    text = norm.source.text
    head = text[: HEAD_CHARS // 2]
    if doc_type == DocType.VRAGEN:
        # "2021Z08317 Voortgangsrapportage over ..." or "27925- 919 Verlenging van ..."
        match = re.search(
            r"^\s*(?:(?:19|20)\d\dZ\d{5}|\d{2}\s?\d{3}\s*-\s*\d{1,4})\s+(?P<title>\S.*?)\s*(?:\n\s*\n|\n\s*nr\.)",
            head,
            re.S,
        )
        if match:
            return _original_value(norm, " ".join(match["title"].split()), *match.span("title"))
    if doc_type == DocType.VERSLAG:
        match = re.search(
            r"kennis\s?genomen\s+van\s+(?P<title>de\s.+?)\s+(?:die|van|d\.d\.)\s", norm.text
        )
        if match:
            title = "Verslag van een schriftelijk overleg over " + " ".join(match["title"].split())
            return _value(norm, title, match.start("title"), match.end("title"))
    header = HEADER_DOSSIER.search(head)
    heading = HEADER_NUMBER.search(head)
    if heading:
        end = heading.end("heading")
        # the heading may run over the next lines, up to a blank line
        more = re.match(r"(?:[ \t]*\n(?:[ \t]*\n)?[ \t]*[A-Z][A-Z ,-]+[ \t]*(?=\n))+", text[end:])
        if more:
            end += len(more.group(0).rstrip())
        value = re.sub(
            r"([A-Z]{4,})- ([A-Z])", r"\1\2", " ".join(text[heading.start("heading") : end].split())
        )
        if header:
            value = f"{' '.join(header['title'].split())}: {value}"
        return _original_value(norm, value, heading.start("heading"), end)
    if header:
        return _original_value(norm, " ".join(header["title"].split()), *header.span("title"))
    for block in norm.blocks:
        if block.kind == BlockKind.HEADING:
            value = norm.text[block.start : block.end]
            return _value(
                norm, value, block.start, block.end, inferred=True, reason="first heading"
            )
    return None


def _committee(norm: NormDoc) -> Value | None:
    match = COMMITTEE.search(norm.text[:HEAD_CHARS])
    if match is None:
        return None
    name = re.sub(r"\s+", " ", match["name"]).rstrip(", ")
    return _value(
        norm, f"vaste commissie voor {name}", match.start(), match.start("name") + len(name)
    )


def _signatories(norm: NormDoc) -> tuple[Signatory, ...]:
    """Office lines ending in a comma ("De Minister van Defensie,") followed by a name."""
    text = norm.source.text
    lines = [
        (m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.group(0).strip())
        for m in re.finditer(r"[^\n]+", text)
        if m.group(0).strip()
    ]
    found: list[Signatory] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        if not OFFICE_START.match(line) or len(line) > 120:
            i += 1
            continue
        office_lines = [line]
        j = i
        while not office_lines[-1].endswith(",") and j + 1 < len(lines) and len(office_lines) < 3:
            j += 1
            office_lines.append(lines[j][1])
        if not office_lines[-1].endswith(",") or j + 1 >= len(lines):
            i += 1
            continue
        name_start, name = lines[j + 1]
        if (
            len(name) > 50
            or name.endswith(",")
            or OFFICE_START.match(name)
            or not NAME_LINE.match(name)
        ):
            i += 1
            continue
        office = " ".join(" ".join(office_lines).split()).rstrip(",").replace("- ", "-")
        office = re.sub(r"^[Dd]e\s+", "", office)
        office = office[0].upper() + office[1:]
        end = name_start + len(name)
        found.append(Signatory(name, office, Span(start, end, text[start:end])))
        i = j + 2
    return tuple(found)


def _questions(norm: NormDoc) -> tuple[Question, ...]:
    """Numbered questions, each with the answer that follows it."""
    blocks = [b for b in norm.blocks if b.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING)]
    starts: list[tuple[int, int]] = []  # (block index, number)
    seen: set[int] = set()
    last = highest = 0
    for n, block in enumerate(blocks):
        paragraph = norm.text[block.start : block.end]
        match = QUESTION_START.match(paragraph)
        if match is None:
            continue
        number = int(match["number"])
        # Questions answered together are printed together, out of order ("27"
        # then "59"); a number that is new, in range and asks something is a question.
        plausible = number == last + 1 or ("?" in paragraph and number <= highest + 40)
        if number not in seen and plausible:
            starts.append((n, number))
            seen.add(number)
            last, highest = number, max(highest, number)
    questions: list[Question] = []
    for k, (n, number) in enumerate(starts):
        question_block = blocks[n]
        end_index = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        answer_blocks = blocks[n + 1 : end_index]
        answer = None
        if answer_blocks:
            a_start = answer_blocks[0].start
            prefix = ANSWER_PREFIX.match(norm.text[a_start : answer_blocks[0].end])
            if prefix:
                a_start += prefix.end()
                if a_start >= answer_blocks[0].end and len(answer_blocks) > 1:
                    a_start = answer_blocks[1].start
            a_end = answer_blocks[-1].end
            if a_end > a_start:
                answer = norm.span(a_start, a_end)
        questions.append(
            Question(number, norm.span(question_block.start, question_block.end), answer)
        )
    return tuple(questions)


__all__ = ["MONTHS", "extract_metadata"]
