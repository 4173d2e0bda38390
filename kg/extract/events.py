"""Dated events and the periods of contributions (the time facts apply to is in
:mod:`kg.extract.timing`).

Every time expression in a sentence of the running text is an event: its label
is the trigger word nearest to it (from the event-type gazetteer: verkiezingen,
aanval, besluit, verlengd, beëindigd...), and it carries the missions,
countries, organisations and people its sentence names. A sentence that speaks
of a contribution or mandate and of its start or end ("Sinds januari 2024 levert
Nederland een Force Protection-eenheid", "beëindigd op 31 december 2018",
"verlengd tot en met 31 december 2019") gives a period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from kg.extract.cues import period_cue, period_cues
from kg.extract.missions import (
    SentenceContext,
    attribute,
    component_at,
    mentions_in,
    names_mission_or_component,
    outside_names,
    resolve,
    valid_days,
)
from kg.extract.modality import modality_of, with_tense
from kg.extract.money import names_amount
from kg.extract.numbers import token_value
from kg.extract.temporal import TimeExpr
from kg.extract.timing import SentenceTimes, to_when
from kg.gazetteer import load_gazetteer
from kg.model import (
    Basis,
    Event,
    Modality,
    NormDoc,
    Period,
    Provenance,
    When,
)
from kg.timevalue import point_of

# A person is named after a title ("premier Abadi", "minister Blok"); after the
# title may come the office ("minister van Buitenlandse Zaken Blok", "minister voor
# Ontwikkelingssamenwerking Kaag"): "van" or "voor" and a ministry or portfolio of
# this table, which is no part of the name. Ministries name their field
# ("Defensie"), so "de minister van Defensie" without a name is an office, no person.
PERSON_TITLES = (
    "Minister-President",
    "premier",
    "minister",
    "president",
    "staatssecretaris",
    "generaal-majoor",
    "secretaris-generaal",
    "generaal",
    "ayatollah",
    "sjeik",
    "koning",
    "kolonel",
    "OIR-commandant",
    "commandant",
    "ambassadeur",
    "VN-gezant",
    "gezant",
)
MINISTRIES = (
    "Algemene Zaken",
    "Asiel en Migratie",
    "Binnenlandse Zaken en Koninkrijksrelaties",
    "Binnenlandse Zaken",
    "Buitenlandse Handel en Ontwikkelingssamenwerking",
    "Buitenlandse Handel",
    "Buitenlandse Zaken",
    "Defensie",
    "Economische Zaken en Klimaat",
    "Economische Zaken",
    "Financiën",
    "Infrastructuur en Waterstaat",
    "Justitie en Veiligheid",
    "Justitie",
    "Klimaat en Energie",
    "Klimaat en Groene Groei",
    "Medische Zorg",
    "Migratie",
    "Landbouw, Natuur en Voedselkwaliteit",
    "Landbouw, Visserij, Voedselzekerheid en Natuur",
    "Onderwijs, Cultuur en Wetenschap",
    "Ontwikkelingssamenwerking",
    "Rechtsbescherming",
    "Sociale Zaken en Werkgelegenheid",
    "Veiligheid en Justitie",
    "Volksgezondheid, Welzijn en Sport",
    "Volkshuisvesting en Ruimtelijke Ordening",
)
# Particles inside a name ("Mark van Dam", "Van der Maat"): lower case only after a
# first name (Dutch writes "minister Van Aartsen"), so a lower-case "van" right after
# the title is an office or a place ("commandant van NMI", "premier van Irak").
NAME_PARTICLES = ("van", "de", "der", "den", "ter", "ten", "von")


def _words(phrase: str) -> str:
    """A phrase, its words apart by any space within one paragraph."""
    return _GAP.join(re.escape(word) for word in phrase.split())


# space within a paragraph: a line break, but not a blank line
_GAP = r"(?:[^\S\n]+\n?[^\S\n]*|\n[^\S\n]*)"
_PARTICLE = "(?:" + "|".join(NAME_PARTICLES) + ")"
# a word of a name: capitalised, with a lower-case letter ("NMI", "KAR" are no names)
_NAME_WORD = r"(?:al-|el-)?[A-ZÀ-ÖØ-Þ][\w'’-]*[a-zß-öø-ÿ][\w'’-]*"
PERSON = re.compile(
    r"\b(?i:"
    + "|".join(_words(title) for title in PERSON_TITLES)
    + r")(?:"
    + _GAP
    + "(?:[Vv]an|[Vv]oor)"
    + _GAP
    + "(?:"
    + "|".join(_words(m) for m in sorted(MINISTRIES, key=len, reverse=True))
    + r")\b)?"
    + _GAP
    + rf"(?P<name>{_NAME_WORD}(?:{_GAP}(?:{_PARTICLE}{_GAP})*{_NAME_WORD}){{0,2}})"
)


def people_named(text: str) -> tuple[str, ...]:
    """The people a sentence names after a title, each once, in order of their names.

    >>> people_named("Minister van Buitenlandse Zaken Blok sprak met premier al-Sudani.")
    ('Blok', 'al-Sudani')
    >>> people_named("De minister van Justitie en Veiligheid schreef de commandant van NMI.")
    ()
    """
    return tuple(sorted({" ".join(m["name"].split()) for m in PERSON.finditer(text)}))


# A sentence gives a period only where it speaks of a contribution (the period cue
# words are data: ontology/vocabularies.ttl, read by kg.extract.cues), names a
# contributing country with a mission known, or names the people a contribution is
# made of.
@lru_cache(maxsize=1)
def _people() -> re.Pattern[str]:
    """The role nouns of the gazetteer (instructeurs, stafofficieren, commando's...):
    people a contribution is made of, not people in general."""
    nouns = {
        label.lower()
        for code, concept in load_gazetteer().of_kind("role").items()
        if code != "person"  # "mensen", "personen" may be anyone: refugees, jihadists
        for label in concept.labels
        if " " not in label and len(label) > 3
    }
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, nouns))) + r")\b", re.I)


def _about_forces(text: str) -> bool:
    """The sentence speaks of a contribution or of the people it is made of."""
    return period_cue("contribution").search(text) is not None or _people().search(text) is not None


# "de voortgangsrapportage van 13 april jl.": a document's date, not a period's end
DOCUMENT_DATE = re.compile(
    r"(?:brief|brieven|rapportage|verslag|motie|Kamerbrief|nota|kennisgevingsbrief)\w*\s+"
    r"(?:van|d\.d\.)\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern of the event-type words, and the type of each."""
    types: dict[str, str] = {}
    for concept in load_gazetteer().of_kind("eventtype").values():
        for label in concept.labels:
            types[label.lower()] = concept.code
    words = sorted(types, key=len, reverse=True)
    alternatives = [
        rf"\b{re.escape(w)}\b" if " " in w or len(w) < 5 else rf"\b\w*{re.escape(w)}\w*"
        for w in words
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE), types


def _trigger(text: str, at: int) -> tuple[str, str | None]:
    """The event word nearest to offset ``at`` in a sentence, and its type."""
    pattern, types = _triggers()
    best: tuple[int, str, str | None] | None = None
    for match in pattern.finditer(text):
        word = match.group(0)
        kind = types.get(word.lower()) or next(
            (types[w] for w in sorted(types, key=len, reverse=True) if w in word.lower()), None
        )
        distance = min(abs(match.start() - at), abs(match.end() - at))
        if best is None or distance < best[0]:
            best = (distance, word, kind)
    if best is not None:
        return best[1], best[2]
    words = re.findall(r"[\w'’-]+", text[at:])[:6]
    return " ".join(words), None


def extract_events(
    norm: NormDoc,
    doc: Doc,
    context: SentenceContext,
    found: SentenceTimes,
    anchor: str | None = None,
) -> list[Event]:
    """An event for every time expression in the running text, with the modality its
    sentence gives it (a time after the document's date ``anchor`` is planned)."""
    events: list[Event] = []
    for start, end in norm.sentences:
        times = [t for t in found.times.get(start, []) if not t.present]
        if not times:
            continue
        sentence = doc.char_span(start, end, alignment_mode="expand")
        if sentence is None:
            continue
        text = norm.text[start:end]
        named = mentions_in(doc, sentence.start, sentence.end)
        missions = tuple(sorted({c for m in named if m.kind == "mission" for c in m.codes}))
        countries = tuple(sorted({c for m in named if m.kind == "country" for c in m.codes}))
        organisations = tuple(
            sorted({c for m in named if m.kind == "organisation" for c in m.codes})
        )
        people = people_named(text)
        lowers = [t.lower_ for t in sentence]
        for time in times:
            label, kind = _trigger(text, time.start - start)
            token = doc.char_span(time.start, time.end, alignment_mode="expand")
            near = token.start if token is not None else sentence.start
            last = token.end if token is not None else near + 1
            mission = _mission(doc, sentence, near, context, start)
            when = to_when(norm, time)
            modality = modality_of(lowers, near - sentence.start, last - 1 - sentence.start)
            events.append(
                Event(
                    label,
                    kind,
                    when,
                    mission,
                    missions,
                    countries,
                    organisations,
                    people,
                    _provenance(norm, start, end, time, context),
                    with_tense(modality, when.earliest, anchor),
                )
            )
    return events


def _mission(
    doc: Doc, sentence: Span, near: int, context: SentenceContext, start: int
) -> str | None:
    own = [
        m
        for m in mentions_in(doc, sentence.start, sentence.end)
        if m.kind in ("mission", "component")
    ]
    found = resolve(own, near)
    if found.mission is None:
        found = resolve(context.paragraph.get(start, []), sentence.start)
    return found.mission


def _provenance(
    norm: NormDoc, start: int, end: int, time: TimeExpr, context: SentenceContext
) -> Provenance:
    ostart, oend = norm.to_original(time.start, time.end)
    question = context.question.get(start, (None, []))[0]
    return Provenance(norm.source.name, ostart, oend, norm.span(start, end), question)


def extract_periods(
    norm: NormDoc,
    doc: Doc,
    context: SentenceContext,
    found: SentenceTimes,
    anchor: str | None = None,
) -> list[Period]:
    """Starts and ends of contributions and mandates, with their mission and component
    (unknown where nothing decides it), the basis of the mission, and the modality
    (a start after the document's date ``anchor`` is planned)."""
    periods: list[Period] = []
    for start, end in norm.sentences:
        times = [t for t in found.times.get(start, []) if not t.present]
        if not times:
            continue
        text = norm.text[start:end]
        sentence = doc.char_span(start, end, alignment_mode="expand")
        if sentence is None or text.rstrip().endswith("?"):
            continue  # a question asks, it does not state a period
        named = mentions_in(doc, sentence.start, sentence.end, "component")
        cues = _Cues.of(text)
        # "Dat wordt verlengd tot juni 2025", "Zij trainden sinds februari 2016": the
        # contribution named before it
        cued = cues.extension or cues.end or _pronoun_since(text)
        follows = bool(cued and names_mission_or_component(context.paragraph.get(start, [])))
        about = _about_forces(text)
        if not (period_cue("contributor").search(text) or named or follows or about):
            continue
        if period_cues("change", "rotation").search(text):
            continue  # "per 1 juli van 120 naar 80", "lossen ... af": a change or a rotation
        if _foreign_subject(doc, sentence, times):
            continue  # "Canada draagt het bevel volgend jaar over": not a Dutch contribution
        times = _years_as_spans(text, start, times)
        if any(t.bounded for t in times) and names_amount(text):
            times = [t for t in times if not t.bounded]  # "over 2018-2020 EUR 41,5 mln"
        times = [t for t in times if not DOCUMENT_DATE.search(norm.text, start, t.start)]
        points = [t for t in times if not t.is_interval]
        lowers = [t.lower_ for t in sentence]
        for time in times:
            since = SINCE_IN_CLAUSE.search(norm.text, max(start, time.start - 60), time.start)
            pause_here = cues.pause is not None and _same_clause(
                text, time.start - start, cues.pause.start()
            )
            sides = _sides(
                time, cues, _opens(norm.text, start, time, times, cues), bool(since), pause_here
            )
            if sides is None:
                continue
            if time in points and (cues.end or pause_here) and cues.start:
                sides = _nearest_side(text, time.start - start, time.end - start) or sides
            cue = sides[2]
            if time in points and cue is not None and _superseded(text, cue, cues):
                continue  # "zou eind dit jaar aflopen, maar wordt tot eind 2021 verlengd"
            if time in points and cue is not None:
                # each start or end word goes with the date nearest to it
                words = list(cue.re.finditer(text))
                offset = time.start - start
                word = min(words, key=lambda w: min(abs(w.start() - offset), abs(w.end() - offset)))
                at = start + word.start()
                nearest = min(times, key=lambda t: min(abs(t.start - at), abs(t.end - at)))
                low, high = sorted((word.start(), offset))
                if nearest is not time or ";" in text[low:high]:
                    continue  # "Begonnen werd met twee experts; in 2020 waren het er zes"
                sides = (sides[0], sides[1], word)
            token = doc.char_span(time.start, time.end, alignment_mode="expand")
            first = token.start if token is not None else sentence.start
            last = token.end if token is not None else sentence.start + 1
            attribution = attribute(doc, sentence, first, last, context, start, questions=False)
            when = to_when(norm, time)
            sides_at = [v for v in (sides[0] and when.begin, sides[1] and when.finish) if v]
            if attribution.mission is None and attribution.basis != Basis.AMBIGUOUS and sides_at:
                # a name of several components read at the time of the period's side
                attribution = component_at(doc, sentence, *valid_days(min(sides_at), max(sides_at)))
            if attribution.mission is None and not about:
                continue  # with no mission, only a sentence about a contribution has one
            whole_year = sides[:2] == ("begin", "finish") and not time.bounded
            if attribution.mission is None and whole_year:
                continue  # "de inzet in Irak in 2019 voortzetten": no one contribution's year
            begin, finish, cue = sides
            modality = modality_of(lowers, first - sentence.start, last - 1 - sentence.start)
            if _considered(text, time.end - start) and modality in UNSURE:
                continue  # a period only studied or considered is not (yet) a period
            earliest = when.earliest if begin else None
            # "tussen juli 2016 en januari 2018 lagen de F-16's stil": an end, then a start
            paused = time.bounded and cues.pause is not None
            shapes = [(None, begin), (finish, None)] if paused else [(begin, finish)]
            # "de inzet van adviseurs ten behoeve van NMI, EUAM en MoPA ... verlengt": each
            listed = _listed_missions(doc, sentence) if attribution.basis == Basis.AMBIGUOUS else []
            whose: list[tuple[str | None, str | None]] = [(code, None) for code in listed] or [
                (attribution.mission, attribution.component)
            ]
            for mission, component in whose:
                for opens, closes in shapes:
                    periods.append(
                        Period(
                            mission,
                            component,
                            _side(when, opens),
                            _side(when, closes),
                            cue.group(0) if cue else "",
                            _provenance(norm, start, end, time, context),
                            with_tense(modality, earliest if opens else None, anchor),
                            Basis.SENTENCE if listed else attribution.basis,
                        )
                    )
    return periods


LIST_GLUE = frozenset({",", "en", "de", "het", "(", ")", "/", "van"})


def _listed_missions(doc: Doc, sentence: Span) -> list[str]:
    """The missions a sentence lists together ("NMI, de Europese Adviesmissie in Irak
    (EUAM) en de hervorming van het Ministry of Peshmerga Affairs (MoPA)"), in their
    order; none where they are not one list."""
    components = load_gazetteer().of_kind("component")
    named: list[tuple[int, int, str]] = []
    for m in mentions_in(doc, sentence.start, sentence.end):
        if m.kind == "mission" and len(m.codes) == 1:
            named.append((m.start, m.end, m.codes[0]))
        elif m.kind == "component" and len({components[c].mission for c in m.codes}) == 1:
            mission = components[m.codes[0]].mission
            if mission is not None:
                named.append((m.start, m.end, mission))
    named.sort()
    groups: list[tuple[int, int, str]] = []
    for start, end, code in named:
        if groups and code == groups[-1][2]:
            groups[-1] = (groups[-1][0], max(end, groups[-1][1]), code)  # "... (EUAM)"
            continue
        if groups:
            between = {t.lower_ for t in doc[groups[-1][1] : start]}
            if not between <= LIST_GLUE:
                return []
        groups.append((start, end, code))
    codes = [code for _, _, code in groups]
    return codes if len(groups) >= 2 and len(set(codes)) == len(codes) else []


SUBJECT_KINDS = ("country", "organisation")
SUBJECT_WORDS = frozenset(
    {"de", "het", "een", "meer", "dan", "ruim", "ongeveer", "circa", "bijna", "zo'n", "zo’n"}
)
DUTCH_SIDE = re.compile(r"\b(?:nederland\w*|kabinet|regering|wij|we|ons|onze)\b", re.IGNORECASE)


def _foreign_subject(doc: Doc, sentence: Span, times: list[TimeExpr]) -> bool:
    """Another country or an organisation is the sentence's subject, first in it
    ("Canada draagt het bevel volgend jaar over", "De NAVO traint sinds dit jaar") or
    right after the verb of a time put first ("Vanaf 1 juli 2016 neemt België de taak
    over", "Vanaf mei nemen ruim honderd Belgische soldaten deel"), and nothing in it
    speaks of the Dutch side."""
    if DUTCH_SIDE.search(sentence.text):
        return False
    opening = sentence.start
    text, offset = sentence.text, sentence.start_char  # (Doc.text joins every token anew)
    fronted = [  # the time first, after at most its preposition ("Vanaf 1 juli 2016")
        t for t in times if len(text[: max(0, t.start - offset)].split()) <= 1
    ]
    if fronted:
        span = doc.char_span(fronted[0].start, fronted[0].end, alignment_mode="expand")
        if span is not None:
            opening = span.end + 1  # past the time and the verb after it
    named_mission = bool(mentions_in(doc, sentence.start, sentence.end, "mission"))
    for kind in SUBJECT_KINDS:
        if kind == "organisation" and named_mission:
            continue  # "De Raad van de EU verlengde het mandaat van EUAM": the mission's own
        subjects = outside_names(
            doc, sentence, mentions_in(doc, sentence.start, sentence.end, kind)
        )
        for m in subjects:
            if "NL" in m.codes:
                continue
            i = m.start - 1
            while i >= sentence.start and _subject_word(doc[i]):
                i -= 1
            if i < sentence.start or i == opening - 1:
                return True
    return False


def _subject_word(token: Token) -> bool:
    """An article, number or quantity word before the subject's country ("meer dan
    honderd Belgische soldaten")."""
    return token.lower_ in SUBJECT_WORDS or token_value(token.text) is not None


# Modalities under which a studied or considered period is left out.
UNSURE = frozenset({Modality.STATED, Modality.POSSIBLE, Modality.CONDITIONAL, Modality.NEGATED})
CLAUSE_END = re.compile(r",|;|\s(?:en|maar)\s")
SUBCLAUSE = re.compile(r"\sdat\s")


def _considered(text: str, after: int) -> bool:
    """The sentence studies or considers what it dates ("onderzoekt", "voorbereidingen"),
    not in a later clause ("sinds januari 2024 in Irak en het mandaat zou ... aflopen")."""
    found = period_cue("considered").search(text)
    if found is None:
        return False
    return not (found.start() > after and CLAUSE_END.search(text, after, found.start()))


def _years_as_spans(text: str, start: int, times: list[TimeExpr]) -> list[TimeExpr]:
    """ "de bijdrage in 2020 en 2021": two consecutive years joined by "en" run as one."""
    out: list[TimeExpr] = []
    for time in times:
        last = out[-1] if out else None
        if (
            last is not None
            and last.begin == last.finish
            and time.begin == time.finish
            and last.begin is not None
            and time.begin is not None
            and last.begin.precision == time.begin.precision == "year"
            and int(time.begin.value) == int(last.begin.value) + 1
            and text[last.end - start : time.start - start].strip() == "en"
        ):
            out[-1] = replace(
                last, end=time.end, text=f"{last.text} en {time.text}", finish=time.begin
            )
            continue
        out.append(time)
    return out


@dataclass(frozen=True, slots=True)
class _Cues:
    """The first period cue word of each kind in a sentence (None where it has none)."""

    end: re.Match[str] | None
    start: re.Match[str] | None  # a word that starts a contribution by itself
    opening: re.Match[str] | None  # that, or a word of a contribution under way
    extension: re.Match[str] | None
    continued: re.Match[str] | None
    report: re.Match[str] | None
    pause: re.Match[str] | None  # a pause: an interval's first side ends, a point ends

    @staticmethod
    def of(text: str) -> _Cues:
        return _Cues(
            period_cue("end").search(text),
            period_cue("start").search(text),
            period_cues("start", "ongoing").search(text),
            period_cue("extension").search(text),
            period_cue("continued").search(text),
            period_cue("report").search(text),
            period_cue("pause").search(text),
        )


SINCE = re.compile(r"\bsinds\s+$", re.IGNORECASE)
# "sinds de oprichting van de missie in oktober 2018": "sinds" earlier in the clause
SINCE_IN_CLAUSE = re.compile(r"\bsinds\b[^;:\d]*$", re.IGNORECASE)
# "Zij leidden sinds begin 2015 ...": people of the paragraph's contribution since a date
PRONOUN_SINCE = re.compile(
    r"^\s*(?:zij|ze|hij|die|deze)\b[^.;:]*\b(?:sinds|vanaf|tot)\b", re.IGNORECASE
)
# Times a contribution continues through as a whole ("in de eerste helft van 2020 voortgezet")
WHOLE = frozenset({"year", "half", "quarter", "season"})


def _pronoun_since(text: str) -> bool:
    return PRONOUN_SINCE.search(text) is not None


def _opens(text: str, start: int, time: TimeExpr, times: list[TimeExpr], cues: _Cues) -> bool:
    """A time after "sinds" opens a start though the sentence ends something, where the
    end word is nearer another of its dates or in another clause ("sinds december 2014
    ... heeft eind april 2022 zijn laatste cursus afgerond"; but "is sinds mei 2023
    beëindigd" is an end)."""
    if cues.end is None or SINCE.search(text, max(start, time.start - 8), time.start) is None:
        return False
    at = start + cues.end.start()
    nearest = min(times, key=lambda t: min(abs(t.start - at), abs(t.end - at)))
    low, high = sorted((time.end, at))
    return nearest is not time or CLAUSE_END.search(text, low, high) is not None


SUPERSEDED = re.compile(r"\b(?:zou|zouden|zo\s+zou)\b(?:\s+\S+){0,4}\s*$", re.IGNORECASE)


def _superseded(text: str, cue: re.Match[str], cues: _Cues) -> bool:
    """An end the sentence says would have been, before an extension replaced it ("De
    missie zou eind dit jaar aflopen, maar wordt tot eind 2021 verlengd")."""
    if cues.extension is None or cues.end is None or cue.re is not cues.end.re:
        return False
    return SUPERSEDED.search(text, 0, cue.start()) is not None


def _same_clause(text: str, a: int, b: int) -> bool:
    """Offsets ``a`` and ``b`` of a sentence lie in one clause (no comma, semicolon,
    "en", "maar" or "dat" between them)."""
    low, high = sorted((a, b))
    return SUBCLAUSE.search(text, low, high) is None and CLAUSE_END.search(text, low, high) is None


def _nearest_side(
    text: str, begin: int, end: int
) -> tuple[str | None, str | None, re.Match[str]] | None:
    """Of a sentence that starts one thing and ends another ("Op 1 oktober 2020 hervatte
    een team het werk, tot het detachement eind 2021 werd teruggetrokken"), the side a
    point takes from the start or end word nearest to it."""
    words = [(m, "begin") for m in period_cue("start").finditer(text)] + [
        (m, "finish") for m in period_cues("end", "pause").finditer(text)
    ]
    if not words:
        return None

    def distance(w: tuple[re.Match[str], str]) -> tuple[bool, int]:
        low, high = sorted((w[0].start(), begin))
        other_clause = CLAUSE_END.search(text, low, high) is not None
        return other_clause, min(abs(w[0].start() - end), abs(w[0].end() - begin))

    word, side = min(words, key=distance)  # in the point's own clause first
    return ("begin", None, word) if side == "begin" else (None, "finish", word)


def _sides(
    time: TimeExpr,
    cues: _Cues,
    opens: bool = False,
    since_before: bool = False,
    pause_here: bool = False,
) -> tuple[str | None, str | None, re.Match[str] | None] | None:
    """Which sides of a period a time gives ("begin", "finish"), and the cue word.

    An interval gives both sides; "sinds"/"vanaf"/"per" opens a start unless the
    sentence speaks of an end ("wordt per 1 januari 2023 stopgezet"); "tot en met"
    gives an end; a point is an end where the sentence ends something and a start
    where it starts something ("gaat dit najaar van start"); a year that a sentence
    extends is the whole year ("wordt in 2022 voortgezet").
    """
    ends, starts, extends = cues.end, cues.opening, cues.extension
    if ends is None and cues.pause is not None and (time.bounded or pause_here):
        ends = cues.pause  # "op 20 maart 2020 tijdelijk stilgelegd"
    if time.bounded:
        if time.anchor is not None or (cues.report and not cues.continued):
            return None  # "het afgelopen jaar", a report's own period: not a contribution's
        return "begin", "finish", starts or extends or ends
    if time.begin is not None and time.finish is None:
        if ends and not opens:  # "sinds december 2014 ..., eind april 2022 afgerond"
            return None, "begin", ends
        return "begin", None, starts or extends
    if time.begin is None and time.finish is not None:
        return None, "finish", extends or ends
    if time.modifier in ("before", "after"):
        return None
    if ends:
        return None, "finish", ends
    if cues.continued and time.begin is not None and time.begin.precision in WHOLE:
        return "begin", "finish", cues.continued  # "wordt in 2022 voortgezet": the whole year
    if cues.start:
        return "begin", None, cues.start
    if since_before and starts:  # "draagt bij sinds de oprichting van de missie in oktober 2018"
        return "begin", None, starts
    return None


def _side(when: When, side: str | None) -> When | None:
    """One side of a time as a When of its own."""
    if side is None:
        return None
    value = when.begin if side == "begin" else when.finish
    if value is None:
        return None
    if when.begin == when.finish:
        return when
    earliest = when.earliest if side == "begin" else None
    latest = when.latest if side == "finish" else None
    return When(
        when.text, when.start, when.end, value, point_of(value).precision, earliest, latest,
        None, when.anchor, value if side == "begin" else None, value if side == "finish" else None,
    )  # fmt: skip
