"""Personnel figures: how many people, of which role, from which country, for
which mission and component, with the qualifier the text gives.

A figure is a number (digits or Dutch words; "een" only where it counts) or a
range ("drie tot twaalf") or a list ("twee, vier en één"), then at most a few
adjectives, then a role noun from the role gazetteer ("militairen",
"civiel experts", "SOF-operators"). Words before the number set the qualifier
(circa, maximaal, ruim). Figures about people who are not personnel
(refugees, fighters, victims, trainees) are left out by the words around them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from kg.extract.cues import period_cue
from kg.extract.metadata import extract_metadata
from kg.extract.missions import (
    Attribution,
    SentenceContext,
    attribute,
    mentions_in,
    outside_names,
    whole_context,
)
from kg.extract.modality import modality_of
from kg.extract.numbers import as_int, read_number, round_count, token_value
from kg.extract.temporal import MONTH_NAMES, YEAR_CUE_BEFORE
from kg.gazetteer import load_gazetteer
from kg.ingest import parse_bytes
from kg.model import Modality, NormDoc, Personnel, Provenance
from kg.nlp import make_doc
from kg.normalize import normalize

QUALIFIER_WORDS: dict[tuple[str, ...], str] = {
    ("circa",): "approx",
    ("ca.",): "approx",
    ("ca",): "approx",
    ("ongeveer",): "approx",
    ("zo'n",): "approx",
    ("zo’n",): "approx",
    ("z'n",): "approx",
    ("’n", "zo"): "approx",  # "zo’n" as the tokenizer splits it, read backwards
    ("'n", "zo"): "approx",
    ("’n", "z"): "approx",
    ("z’n",): "approx",
    ("gemiddeld",): "approx",
    ("rond",): "approx",
    ("rondom",): "approx",
    ("ruwweg",): "approx",
    ("pakweg",): "approx",
    ("bijna",): "approx",
    ("ongeveer", "tot"): "max",  # "tot ongeveer 20": a ceiling
    ("maximaal",): "max",
    ("max.",): "max",
    ("tot",): "max",
    ("hooguit",): "max",
    ("hoogste",): "max",  # "ten hoogste"
    ("maximum",): "max",  # "een maximum van"
    ("ruim",): "min",
    ("minimaal",): "min",
    ("minstens",): "min",
    ("zeker",): "min",  # "zeker zes militairen": at least six
    ("minste",): "min",  # "ten minste"
    ("dan", "meer", "niet"): "max",  # "niet meer dan", read backwards
    ("dan", "minder", "niet"): "min",  # "niet minder dan"
    ("dan", "meer"): "min",  # "meer dan", read backwards
    ("dan", "minder"): "max",  # "minder dan"
}
PLACE_BEFORE = frozenset({"in", "naar", "vanuit", "uit", "boven", "bij", "op"})
SKIP_BEFORE = {"van", "uit", "met", "de", "het", "een", "aan", "op", "in", "en", "totaal"}
ADJECTIVES = {"extra", "nieuwe", "additionele", "andere", "overige", "eigen", "huidige", "vaste"}
MULTIPLIER_AFTER = {"miljoen", "miljard", "mln.", "mln", "mld.", "duizend", "%", "procent", "keer"}
# Words that show a count of people who are not mission personnel.
VETO = re.compile(
    r"^(?:uitreiziger|jihadist|strijders?$|vluchteling|ontheemd|terugke|slachtoffer|doden?$|"
    r"(?:licht|zwaar)?gewond|demonstrant|gevangen|gedetineerd|kinderen$|inwoner|burgers?$|ondernemer|"
    r"deelnemers$|cursist|bewoner|getraind|opgeleid|gedood|gesneuveld|omgekomen|leven$|zetel|"
    r"stemmen$|aanhanger|terrorist|gerepatrieerd|repatri|besmet|ziek|terugkeer|ongeluk$|ongeval$)",
    re.I,
)
RETURNS = re.compile(r"^terugke", re.I)
MONTH_WORDS = frozenset(MONTH_NAMES)
# People the counted personnel train ("De zestig militairen trainen Koerdische
# strijders"): with a verb of training after the figure, no veto.
TRAINS = re.compile(
    r"^(?:train|traint|trainen|trainde|trainden|leiden|opleiden|bijscholen|adviseren)$"
)
TRAINEES = re.compile(r"^(?:strijders?|peshmerga|militairen|eenheden|burgers?)$")
CONTRIBUTION_VERBS = re.compile(
    r"^(?:lever|levert|leverde|leveren|draagt|dragen|droeg|droegen|stuur|stuurt|stuurde|sturen|"
    r"stuurden|"
    r"zet|zette|zetten|plaats|plaatst|bijdrage|bijdragen|inzet|ingezet|actief|werken|werkt|"
    r"uitgezonden|ontplooid|gestationeerd|detachement|eenheid|team|compagnie|bestaat|bestaan|"
    r"missie|omvang|totaal|groei|groeit|uitbreiding|reist|reizen|vertrek|mee$|gedetacheerd|"
    r"werkzaam|bemanning|personeel|grondpersoneel|namen|deel$|train|traint|trainde|adviseer|"
    r"adviseren|dien|dient|diende|dienden|staf$|groep$|ploeg$|contingent|compagnie|gelegerd)",
    re.I,
)
DEPLOYMENT = re.compile(
    r"\b(?:in te zetten|te plaatsen|uit te zenden|uitgezonden|geplaatst|ingezet|levert|leveren|"
    r"leverde|draagt|dragen|bijdragen|bijdrage|actief|bij te dragen|stuurt|sturen|stuurde)\b",
    re.I,
)
NOT_A_COUNT_BEFORE = {
    "van",
    "door",
    "als",
    "bij",
    "over",
    "tegen",
    "tot",
    "naar",
    "om",
    "zo'n",
    "zo’n",
}
# "een 90-koppig team", "het vijftienkoppige detachement": a unit of so many people.
HEADS = re.compile(r"^(?P<number>\d+|[a-zë]+?)-?koppige?$")
UNIT_NOUNS = re.compile(
    r"(?:team|detachement|eenheid|compagnie|peloton|contingent|bataljon|staf|ploeg|groep|"
    r"delegatie|bemanning|cel|element)$",
    re.I,
)
TOTAL_CUES = re.compile(
    r"^(?:totaal|totale|omvang|groei|groeit|groeien|groeide|uitbreiding|uitbreiden|omvat)$", re.I
)
APPROXIMATE_BEFORE = frozenset(
    {"ongeveer", "circa", "ca.", "zo'n", "zo’n", "ruim", "bijna", "maximaal"}
)
CEILING = re.compile(r"plafond", re.I)
QUOTES = frozenset({"'", "‘", "’", '"', "“", "”"})
# Words of the Dutch side: a sentence with them speaks of a contribution, not a mission's
# total ("Het kabinet wil de bijdrage aan de NAVO-missie in Irak uitbreiden met ...").
OWN_SIDE = frozenset({"kabinet", "regering", "bijdrage"})
# Verbs by which a country subject has or forms a figure ("Duitsland heeft 150 militairen").
HAVE_VERBS = re.compile(r"^(?:heeft|hebben|had|hadden|telt|telde|vormt|vormen|vormde|houdt)$", re.I)
SUBJECT_REACH = 8  # tokens between a contributing country and its figure
CIVILIANS = frozenset({"burgers", "civielen", "burgerpersoneel"})
CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")"})


@dataclass(frozen=True, slots=True)
class _Count:
    first: int  # token index of the first number
    last: int  # token index of the last number
    values: tuple[int, ...]
    kind: str  # "single", "range" or "list"
    approximate: bool = False  # "een tiental": about ten


@lru_cache(maxsize=1)
def _roles() -> dict[str, str]:
    """Role nouns (lower-case single words) by role code."""
    index: dict[str, str] = {}
    for concept in load_gazetteer().of_kind("role").values():
        for label in concept.labels:
            if " " not in label:
                index[label.lower()] = concept.code
    return index


@lru_cache(maxsize=1)
def _role_pairs() -> dict[tuple[str, str], str]:
    """Two-word role labels ("rode baretten", "militair personeel") by their words."""
    index: dict[tuple[str, str], str] = {}
    for concept in load_gazetteer().of_kind("role").values():
        for label in concept.labels:
            words = label.lower().split()
            if len(words) == 2:
                index[(words[0], words[1])] = concept.code
    return index


def _role_of(tokens: list[Token], roles: dict[str, str]) -> tuple[str, int] | None:
    """The role of a noun phrase after a number, and the index of its last token.

    The last role noun decides ("militair adviseur" counts advisers); a few words
    combine with the next ("civiel expert", "liaison officer").
    """
    found: tuple[str, int] | None = None
    conjoined = False  # after "en"/"of": a second role noun may follow
    pairs = _role_pairs()
    for i, token in enumerate(tokens[:6]):
        lower = token.lower_
        if found is not None and found[1] >= i:
            continue  # the second word of a two-word role ("rode baretten")
        if lower in QUOTES:
            continue  # "150 Nederlandse 'Rode Baretten'"
        pair = pairs.get((lower, tokens[i + 1].lower_)) if i + 1 < len(tokens) else None
        if pair is not None and (found is None or conjoined):
            if found is not None and found[0] != pair:
                return "person", i + 1  # "militairen en civiele experts": mixed roles
            found, conjoined = (pair, i + 1), False
            continue
        previous_part = i > 0 and tokens[i - 1].lower_.endswith("-")
        part = lower.rsplit("-", 1)[-1]
        code = roles.get(lower) or roles.get(part) or _compound_role(part)
        if code is not None:
            previous = tokens[i - 1].lower_ if i else ""
            if part.startswith("expert") and previous in ("civiel", "civiele"):
                code = "civilian_expert"
            if previous.startswith("liaison") and part.startswith("offic"):
                code = "liaison_officer"
            if found is not None and conjoined and found[0] != code:
                return "person", i  # "militairen en civiel experts": people of mixed roles
            found = (code, i)
            conjoined = False
            continue
        if found is not None and conjoined and lower in CIVILIANS:
            return "person", i  # "militairen en burgers": a mission's people of both kinds
        if found is not None and not conjoined:
            following = tokens[i + 1].lower_ if i + 1 < len(tokens) else ""
            if lower == "als" and following in roles:
                return roles[following], i + 1  # "een kolonel als adviseur": the post counts
            if lower in ("en", "of"):
                conjoined = True
                continue
            break
        if lower.startswith("liaison") or _adjective(token):
            continue
        following = tokens[i + 1].lower_ if i + 1 < len(tokens) else ""
        if lower.endswith("-") and following in ("en", "of"):
            continue  # "staf- en liaisonofficieren"
        if found is None and lower in ("en", "of") and previous_part:
            continue
        demonym = token.is_title and lower.endswith("er") and len(lower) > 3
        if demonym and (following in roles or following.rsplit("-", 1)[-1] in roles):
            continue  # "zestig Asser militairen"
        # "civiele en militaire adviseurs"
        if (
            found is None
            and lower in ("en", "of")
            and i + 1 < len(tokens)
            and _adjective(tokens[i + 1])
        ):
            continue
        break
    return found


def _compound_role(word: str) -> str | None:
    """The role of a compound that ends in a role noun: "landmachtmilitairen",
    "marinemilitairen" (only long nouns, so that "man" does not end "bemanning")."""
    for noun, code in _long_roles():
        if word.endswith(noun) and len(word) > len(noun) + 2:
            return code
    return None


@lru_cache(maxsize=1)
def _long_roles() -> tuple[tuple[str, str], ...]:
    return tuple(
        (noun, code) for noun, code in sorted(_roles().items()) if len(noun) >= 8 and noun.isalpha()
    )


def _adjective(token: Token) -> bool:
    lower = token.lower_
    if lower in ADJECTIVES or lower in ("civiel", "civiele", "militaire", "liaison-", "liaison"):
        return True
    return (
        len(lower) > 3
        and lower.isalpha()
        and lower.endswith(("se", "sche", "ische", "lijke", "le"))
    )


def _counts(sentence: Span) -> list[_Count]:
    """Numbers, ranges and lists of numbers in a sentence."""
    out: list[_Count] = []
    tokens = list(sentence)
    i = 0
    while i < len(tokens):
        rough = _round_count(tokens, i)
        if rough is not None:
            out.append(rough)
            i = rough.last - sentence.start + 1
            continue
        scaled = _scaled_fraction(tokens, i)
        if scaled is not None:
            out.append(scaled)
            i += 2
            continue
        value = _count_value(tokens, i)
        if value is None:
            i += 1
            continue
        values, last, kind = [value], i, "single"
        # a range: "drie tot twaalf", "3 - 12", "3 à 12", "tussen de 20 en 30"
        between = i >= 1 and "tussen" in (
            tokens[i - 1].lower_,
            tokens[i - 2].lower_ if i > 1 else "",
        )
        joiners = ("tot", "-", "–", "à", "a", "of", *(("en",) if between else ()))
        if i + 2 < len(tokens) and tokens[i + 1].lower_ in joiners:
            second = _count_value(tokens, i + 2)
            # "groeide van 270 tot 350": where a change goes from and to, not a range;
            # "drie of vier": about so many, a range
            if second is not None and second > value and not _changes_from(tokens[i], sentence):
                values, last, kind = [value, second], i + 2, "range"
        # a list: "twee, vier en één"
        if kind == "single":
            j = i + 1
            while j + 1 < len(tokens) and tokens[j].text in (",", "en", "of"):
                nxt = _count_value(tokens, j + 1)
                if nxt is None:
                    break
                values.append(nxt)
                last, kind = j + 1, "list"
                j += 2
        out.append(_Count(tokens[i].i, tokens[last].i, tuple(values), kind))
        i = last + 1
    return out


def _round_count(tokens: list[Token], i: int) -> _Count | None:
    """ "een tiental" (about ten); "een 90-koppig team", "de 145-koppige compagnie"
    (a unit of so many heads: its last token is the unit noun)."""
    token = tokens[i]
    if token.lower_ in ("een", "één") and i + 1 < len(tokens):
        about = round_count(tokens[i + 1].text)
        if about is not None:
            return _Count(token.i, tokens[i + 1].i, (about,), "single", approximate=True)
    heads = HEADS.match(token.lower_)
    if heads is None:
        return None
    value = token_value(heads["number"])
    number = as_int(value) if value is not None else None
    if number is None or number <= 0:
        return None
    return _Count(token.i, token.i, (number,), "unit")


def _scaled_fraction(tokens: list[Token], i: int) -> _Count | None:
    """ "anderhalf honderd", "tweeënhalf duizend": a fraction of a scale, two words."""
    value = token_value(tokens[i].text)
    if value is None or value == value.to_integral_value() or i + 1 >= len(tokens):
        return None
    phrase = read_number([t.text for t in tokens[i : i + 2]])
    number = as_int(phrase.value) if phrase is not None and phrase.size == 2 else None
    if number is None:
        return None
    return _Count(tokens[i].i, tokens[i + 1].i, (number,), "single")


def _count_value(tokens: list[Token], i: int) -> int | None:
    token = tokens[i]
    if token.lower_ == "een":
        return None  # the article; a counting "een" is handled where a role follows
    value = token_value(token.text)
    if value is None or value <= 0:
        return None
    number = as_int(value)
    if number is None:
        return None
    if i + 1 < len(tokens) and tokens[i + 1].lower_ in MULTIPLIER_AFTER:
        return None
    if i and tokens[i - 1].text in ("€", "EUR", "USD", "$", "US$", "nr.", "artikel", "resolutie"):
        return None
    if (
        i
        and 1900 <= number <= 2100
        and (tokens[i - 1].lower_ in MONTH_WORDS or YEAR_CUE_BEFORE.search(tokens[i - 1].text))
    ):
        return None  # "tot eind juni 2021 militairen", "sinds 2017 militairen": a year
    return number


def _qualifier(doc: Doc, first: int, sentence: Span) -> str | None:
    """The qualifier words just before a figure, skipping prepositions."""
    words: list[Token] = []
    i = first - 1
    while i >= sentence.start and len(words) < 3:
        token = doc[i]
        if token.lower_ in SKIP_BEFORE and not words:
            i -= 1
            continue
        words.append(token)
        i -= 1
    lowers = [t.lower_ for t in words]
    if "tot" in lowers[:2]:
        at = lowers.index("tot")
        # "groeit ... tot 4000 mensen": after a word of change "tot" names the strength
        # reached, not a ceiling; a qualifier after "tot" still holds ("tot maximaal 350")
        if _changes(doc, sentence, words[at].i):
            inner = lowers[:at]
            return QUALIFIER_WORDS.get((inner[0],)) if inner else None
    for size in (3, 2, 1):
        key = tuple(lowers[:size])
        if key in QUALIFIER_WORDS:
            return QUALIFIER_WORDS[key]
    # "het personeelsplafond ... te verhogen van 270 naar 350": figures of a ceiling
    if CEILING.search(doc[sentence.start : first].text):
        return "max"
    return None


def _changes(doc: Doc, sentence: Span, before: int) -> bool:
    """The clause up to token ``before`` speaks of a change of strength ("groeit de
    bijdrage volgend jaar", "loopt het aantal op"): the cue words are data
    (``periodcue:change``)."""
    return period_cue("change").search(_clause_to(doc, sentence, before).text) is not None


def _clause_to(doc: Doc, sentence: Span, last: int) -> Span:
    """The clause that ends with token ``last`` (from the last comma, semicolon or
    bracket before it)."""
    start = last
    while start > sentence.start and doc[start - 1].text not in CLAUSE_BREAKS:
        start -= 1
    return doc[start : last + 1]


def _vetoed(doc: Doc, first: int, last: int, sentence: Span, role: str = "person") -> bool:
    """Words around the figure (not the counted words themselves: "80 mannen en
    vrouwen" are personnel) show that it counts people who are not personnel; a return
    vetoes only people of no role ("30 mensen zijn teruggekeerd", but "de terugkeer
    van de laatste zeven stafofficieren" counts personnel)."""
    window = [
        t
        for t in doc[max(sentence.start, first - 6) : min(sentence.end, last + 8)]
        if not first <= t.i < last
    ]
    trains = any(TRAINS.match(t.lower_) for t in doc[last : sentence.end])
    return any(
        VETO.match(part)
        and not (trains and TRAINEES.match(part))
        and not (role != "person" and RETURNS.match(part))
        for token in window
        for part in token.lower_.split("-")
        if part
    )


def _country(doc: Doc, count: _Count, role_end: int, sentence: Span) -> list[str | None]:
    """The contributing country of each value: named with "respectievelijk", an
    adjective in the phrase ("Duitse militairen"), a subject that contributes, or NL."""
    countries = {c.code for c in load_gazetteer().of_kind("country").values()}
    found = mentions_in(doc, sentence.start, sentence.end, "country")
    respectively = any(t.lower_ == "respectievelijk" for t in doc[sentence.start : count.first])
    if count.kind == "list" and respectively:
        before = [m.codes[0] for m in found if m.end <= count.first]
        if len(before) >= len(count.values):
            return list(before[-len(count.values) :])
    in_phrase = [m for m in found if count.last < m.start < role_end]
    if in_phrase:
        return [in_phrase[0].codes[0]] * len(count.values)
    # "NATO Mission Iraq": a country in a mission's name is no contributor
    earlier = [m for m in outside_names(doc, sentence, found) if m.end <= count.first]
    for mention in reversed(earlier):
        if _placed(doc, mention.start, sentence):
            continue  # "het detachement in Jordanië", "naar de Golf van Aden": a place
        code = mention.codes[0]
        between = doc[mention.end : count.first]
        inverted = (
            not between
            and mention.start > sentence.start
            and CONTRIBUTION_VERBS.match(doc[mention.start - 1].text) is not None
        )  # "levert Duitsland 50 militairen"
        # "Duitsland heeft ongeveer 150 militairen", "Noorwegen levert daarna mogelijk een
        # eenheid van 60", "Duitsland, dat de battlegroup aanvoert, levert er ruim 800"
        subject = (
            len(between) <= SUBJECT_REACH
            and not any(t.text in (";", ":") for t in between)
            and any(CONTRIBUTION_VERBS.match(t.text) or HAVE_VERBS.match(t.text) for t in between)
        )
        if (inverted or subject) and code in countries:
            return [code] * len(count.values)
        if between:
            break  # an earlier country is further from the figure than this one
    return ["NL"] * len(count.values)


def _placed(doc: Doc, start: int, sentence: Span) -> bool:
    """The name at token ``start`` follows a preposition of place ("in Irak", "naar de
    Golf van Aden")."""
    i = start - 1
    while i >= sentence.start and doc[i].lower_ in ("de", "het"):
        i -= 1
    return i >= sentence.start and doc[i].lower_ in PLACE_BEFORE


def _scope(doc: Doc, sentence: Span, attribution: Attribution, first: int) -> str:
    """A mission's total size ("groei van de missie tot 4.000 personen") where the
    sentence speaks of a total or of growth and not of a country's share (no country
    but as part of a mission's name, no "het kabinet" or "de bijdrage" before the
    figure at token ``first``)."""
    words = doc[sentence.start : sentence.end]
    countries = outside_names(
        doc, sentence, mentions_in(doc, sentence.start, sentence.end, "country")
    )
    contributor = (
        any(t.lower_.startswith("nederland") for t in words)
        or any(t.lower_ in OWN_SIDE for t in doc[sentence.start : first])
        or bool(countries)
    )
    total = any(TOTAL_CUES.match(t.text) for t in words)
    return "mission_total" if total and attribution.mission and not contributor else "contribution"


def extract_personnel(
    norm: NormDoc, doc: Doc, context: SentenceContext, questions: dict[int, int] | None = None
) -> list[Personnel]:
    """Every personnel figure in the running text of a document."""
    roles = _roles()
    facts: list[Personnel] = []
    block_starts = [b.start for b in norm.blocks]
    last_role: str | None = None  # the role of the last figure of the paragraph
    last_paragraph = -1
    for start, end in norm.sentences:
        sentence = doc.char_span(start, end, alignment_mode="expand")
        if sentence is None:
            continue
        words = [t.lower_ for t in sentence]
        counts = sorted(
            _counts(sentence) + _singular_counts(sentence, roles), key=lambda c: c.first
        )
        paragraph = bisect_right(block_starts, start)
        if paragraph != last_paragraph:
            last_role, last_paragraph = None, paragraph
        last_role = _counted_role(sentence, roles) or last_role
        for n, count in enumerate(counts):
            found = _role_end(doc, count, counts[n + 1 :], sentence, roles)
            elided = False
            if (
                found is None
                and last_role is not None
                and (_elided(doc, count, sentence) or _number_of(doc, count, sentence, roles))
            ):
                found, elided = (last_role, count.last + 1), True  # "... OIR en 50 aan NMI"
            if found is None:
                continue
            code, role_end = found
            last_role = code
            if _vetoed(doc, count.first, role_end, sentence, code):
                continue
            # generic people count where a contribution is spoken of, or a mission decided;
            # the figure a left-out noun refers to was already read as personnel
            generic = code == "person" and not elided
            if generic and any(PEOPLE_VETO.match(t.text) for t in sentence):
                continue
            qualifier = _qualifier(doc, count.first, sentence)
            if qualifier is None and count.approximate:
                qualifier = "approx"
            named = _country(doc, count, role_end, sentence)
            foreign = named[0] not in (None, "NL")
            attribution = attribute(
                doc, sentence, count.first, role_end, context, start, code, foreign=foreign
            )
            if generic and attribution.mission is None and not _contribution_context(doc, sentence):
                continue
            scope = _scope(doc, sentence, attribution, count.first)
            if scope == "mission_total":
                attribution = Attribution(attribution.mission, None, attribution.basis)
            countries: list[str | None] = (
                [None] * len(count.values) if scope == "mission_total" else named
            )
            figure = doc[count.first : role_end]
            provenance = Provenance(
                norm.source.name,
                *norm.to_original(figure.start_char, figure.end_char),
                norm.span(start, end),
                context.question.get(start, (None, []))[0],
            )
            modality = (
                Modality.STATED  # "van 500 naar maximaal 4.000": where a change starts from
                if _change_from(doc, count, sentence)
                else modality_of(words, count.first - sentence.start, role_end - 1 - sentence.start)
            )
            each = _each(doc, count, sentence) if scope == "contribution" else []
            for group in [[c] * len(count.values) for c in each] or [countries]:
                facts.extend(
                    replace(f, modality=modality, basis=attribution.basis)
                    for f in _facts(count, qualifier, code, group, scope, attribution, provenance)
                )
    return facts


DISTRIBUTIVE = frozenset({"elk", "ieder", "elke", "beide", "allebei"})


def _each(doc: Doc, count: _Count, sentence: Span) -> list[str | None]:
    """The countries that each contribute the figure: "Zweden en Finland sturen elk
    zo'n 25 militairen" is 25 from Sweden and 25 from Finland."""
    window = doc[max(sentence.start, count.first - 3) : count.first]
    if not any(t.lower_ in DISTRIBUTIVE for t in window):
        return []
    found = mentions_in(doc, sentence.start, count.first, "country")
    group: list[str | None] = []
    after = count.first  # the start of the mention taken last
    for mention in reversed(found):
        if mention.start and doc[mention.start - 1].lower_ in PLACE_BEFORE:
            break  # "aan de NAVO-missie in Irak, Noorwegen en Denemarken": a place
        if group:
            between = {t.lower_ for t in doc[mention.end : after]}
            if not between or not between <= {"en", ","}:
                break
        group.insert(0, mention.codes[0])
        after = mention.start
    return group if len(group) >= 2 else []


def _change_from(doc: Doc, count: _Count, sentence: Span) -> bool:
    """The figure a change starts from: "van 120 naar 80", "van ongeveer 500 naar",
    "groeide van 270 tot 350"."""
    after = count.last + 1
    if after >= sentence.end:
        return False
    return doc[after].lower_ == "naar" or (
        doc[after].lower_ == "tot" and _changes_from(doc[count.first], sentence)
    )


def _changes_from(token: Token, sentence: Span) -> bool:
    """The number after "van" in a clause of change: "groeit van (ongeveer) 270 tot ..."."""
    doc, i = token.doc, token.i
    while i > sentence.start and doc[i - 1].lower_ in APPROXIMATE_BEFORE:
        i -= 1
    if i == sentence.start or doc[i - 1].lower_ != "van":
        return False
    return _changes(doc, sentence, i - 1)


# Before a number whose role noun is left out: "en 50 aan NMI", "Denemarken stuurt 70",
# "Veertig van hen", "van wie er vijf", "daarvan zijn er 25", "gehalveerd van acht naar vier".
ELIDED_BEFORE = frozenset(
    [
        "en",
        "er",
        "elk",
        "ieder",
        "nog",
        "stuurt",
        "sturen",
        "levert",
        "leveren",
        "wie",
        "naar",
        "van",
        "tot",
        "ongeveer",
        "circa",
        "zo'n",
        "zo’n",
        "ruim",
        "bijna",
        "maximaal",
        "hoogste",
        "hooguit",
        "met",
        ":",
        ",",
        "’n",
        "'n",
    ]
)
ANAPHORA = frozenset({"daarvan", "waarvan", "wie"})
BREAKDOWN = frozenset({"wie", "waaronder", "waarvan"})  # "onder wie een jurist"
# Generic people ("mensen") who went home are returnees, not personnel.
PEOPLE_VETO = re.compile(r"^(?:teruggekeerd|teruggekomen|huiswaarts)$", re.I)
ELIDED_AFTER = frozenset(
    {".", ",", ";", "aan", "naar", "in", "bij", "voor", "uit", "van", "op", "en", "maar"}
)


def _elided(doc: Doc, count: _Count, sentence: Span) -> bool:
    """A number that counts the people named before it without repeating the noun."""
    if count.kind == "unit" or count.values[0] >= 1900:
        return False  # "2019" is a year, not 2019 people
    after = doc[count.last + 1].lower_ if count.last + 1 < sentence.end else "."
    before = doc[count.first - 1].lower_ if count.first > sentence.start else ""
    if {t.lower_ for t in doc[max(sentence.start, count.first - 4) : count.first]} & ANAPHORA:
        return True  # "Daarvan zijn er twee afkomstig van ...", "van wie ruim honderd van de"
    if after == "van" and count.last + 2 < sentence.end:
        return doc[count.last + 2].lower_ in ("hen", "wie")  # "Veertig van hen"
    near = {t.lower_ for t in doc[max(sentence.start, count.first - 3) : count.first]}
    year = count.first > sentence.start and _is_year(doc[count.first - 1])  # "in 2003 6"
    if after not in ELIDED_AFTER or (before not in ELIDED_BEFORE and "er" not in near and not year):
        return False
    return not any(t.is_digit and len(t.text) == 4 for t in doc[count.last + 1 : count.last + 3])


def _number_of(doc: Doc, count: _Count, sentence: Span, roles: dict[str, str]) -> bool:
    """A bare number that states "het aantal (Nederlandse) politiemensen" or, back in
    the paragraph, "dit aantal": "Daarmee komt het aantal ... op zes", "Dit aantal kan
    oplopen tot tweehonderd"."""
    if count.kind == "unit" or count.values[0] >= 1900:
        return False
    after = doc[count.last + 1].lower_ if count.last + 1 < sentence.end else "."
    if after not in ELIDED_AFTER:
        return False
    tokens = list(doc[sentence.start : count.first])
    for i, token in enumerate(tokens):
        if token.lower_ != "aantal":
            continue
        anaphoric = i > 0 and tokens[i - 1].lower_ in ("dit", "dat", "hetzelfde", "hun")
        if anaphoric or _role_of(tokens[i + 1 : i + 5], roles) is not None:
            return True
    return False


def _is_year(token: Token) -> bool:
    return token.is_digit and len(token.text) == 4 and 1900 <= int(token.text) <= 2100


def _counted_role(sentence: Span, roles: dict[str, str]) -> str | None:
    """The role of "het aantal (Nederlandse) instructeurs": what the bare numbers of
    the sentence count."""
    tokens = list(sentence)
    for i, token in enumerate(tokens):
        if token.lower_ == "aantal":
            found = _role_of(tokens[i + 1 : i + 5], roles)
            if found is not None:
                return found[0]
    return None


def _role_end(
    doc: Doc, count: _Count, later: list[_Count], sentence: Span, roles: dict[str, str]
) -> tuple[str, int] | None:
    """The role of a figure and the token just past it. In "van ongeveer 500 naar
    maximaal 4.000 personen" the first number shares the role of the second."""
    after = list(doc[count.last + 1 : min(sentence.end, count.last + 6)])
    if count.kind == "unit":
        for n, token in enumerate(after[:3]):
            if UNIT_NOUNS.search(token.lower_):
                return "military", count.last + 1 + n + 1
        return None
    role = _role_of(after, roles)
    if role is not None:
        return role[0], count.last + 1 + role[1] + 1
    # "van 120 naar 80 militairen", "niet 145 maar 100 militairen", "met 30 uitgebreid tot 170",
    # "groeit van 270 tot 350 militairen"
    shares = after and (
        after[0].lower_ in ("naar", "maar")
        or (after[0].lower_ == "tot" and _changes_from(doc[count.first], sentence))
        or period_cue("change").search(doc[count.last + 1 : count.last + 4].text) is not None
    )
    if shares and not _is_year(doc[count.last]) and later and later[0].first <= count.last + 4:
        target = list(doc[later[0].last + 1 : min(sentence.end, later[0].last + 6)])
        found = _role_of(target, roles)
        if found is not None:
            return found[0], later[0].last + 1 + found[1] + 1
    return None


def _facts(
    count: _Count,
    qualifier: str | None,
    role: str,
    countries: list[str | None],
    scope: str,
    attribution: Attribution,
    provenance: Provenance,
) -> list[Personnel]:
    """One fact per value: a range is one fact, a list one per value (and country)."""

    def fact(n: int, numbers: tuple[int | None, int | None, int | None], how: str) -> Personnel:
        country = countries[n] if len(countries) == len(count.values) else countries[0]
        return Personnel(
            *numbers,
            how,
            role,
            country,
            scope,
            attribution.mission,
            attribution.component,
            provenance,
        )

    if count.kind == "range":
        low, high = count.values
        return [fact(0, (None, low, high), "range")]
    shapes = {"max": lambda v: (None, None, v), "min": lambda v: (None, v, None)}
    shape = shapes.get(qualifier or "", lambda v: (v, None, None))
    return [fact(n, shape(v), qualifier or "exact") for n, v in enumerate(count.values)]


def _singular_counts(sentence: Span, roles: dict[str, str]) -> list[_Count]:
    """A counting "een": "met een civiel expert", "voornemens een militair adviseur
    in te zetten". The sentence must speak of deploying or contributing."""
    if not DEPLOYMENT.search(sentence.text):
        return []
    out = []
    tokens = list(sentence)
    for i, token in enumerate(tokens):
        if token.lower_ != "een" or (i and tokens[i - 1].lower_ in NOT_A_COUNT_BEFORE):
            continue
        if any(t.lower_ in BREAKDOWN for t in tokens[max(0, i - 6) : i]):
            continue  # "vier experts, onder wie een jurist": one of those already counted
        role = _role_of(tokens[i + 1 : i + 4], roles)
        if role is None:
            continue
        noun = tokens[i + 1 + role[1]].lower_
        if noun.endswith(("en", "s")) and not noun.endswith(("persoon", "man")):
            continue  # a plural cannot follow a counting "een"
        out.append(_Count(token.i, token.i, (1,), "single"))
    return out


def _contribution_context(doc: Doc, sentence: Span) -> bool:
    """Generic nouns (personen, mensen) count only where a contribution is spoken of."""
    if mentions_in(doc, sentence.start, sentence.end, "mission") or mentions_in(
        doc, sentence.start, sentence.end, "component"
    ):
        return True
    return any(CONTRIBUTION_VERBS.match(t.text) for t in sentence)


def extract_personnel_text(text: str) -> list[Personnel]:
    """Every personnel figure in a plain text, read as a document of its own (its
    mission, basis and modality as in a build; the time a figure applies to is given
    by :mod:`kg.extract.timing` in the pipeline, not here).

    >>> [(f.value, f.mission, f.basis.value, f.modality.value)
    ...  for f in extract_personnel_text("Het kabinet overweegt 50 militairen naar NMI te sturen.")]
    [(50, 'NMI', 'sentence', 'possible')]
    """
    norm = normalize(parse_bytes(text.encode(), "text/plain", "text.txt"))
    doc = make_doc(norm)
    return extract_personnel(norm, doc, whole_context(norm, extract_metadata(norm), doc))


__all__ = ["extract_personnel", "extract_personnel_text"]
