"""The Tweede Kamer's Open Data Portaal through its OData v4 API
(gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/): the documents of a dossier, of a
search or of a list of identifiers, each with the metadata of its ``Document``.

A ``Document`` has its kind (``Soort``), number (``DocumentNummer``, "2018D45001"),
subject (``Onderwerp``), date (``Datum``), number in its dossier (``Volgnummer``), the
media type of its file (``ContentType``) and ``Verwijderd`` for one withdrawn; its
dossier is the navigation property ``Kamerstukdossier`` (``Nummer``, ``Toevoeging``)
and its submitters ``DocumentActor`` (``ActorNaam``, ``Relatie``). The file is at
``Document(Id)/resource``. Pages follow ``@odata.nextLink``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote, urlencode, urljoin

import requests

from kg.fetch.base import (
    ArgumentChecks,
    Failure,
    FetchError,
    Item,
    Listed,
    Period,
    checked_dossier,
    kamerstuk_parts,
    search_words,
    within,
)
from kg.fetch.http import get
from kg.model import SourceRecord, dossier_number, iso_day

ODATA_URL = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/"
PAGE_URL = "https://www.tweedekamer.nl/kamerstukken/detail?id={number}&did={number}"
MAX_PAGE = 250  # the service's page: it sends at most this many entities at a time
DOCUMENT_NUMBER = re.compile(r"\A\d{4}D\d{4,6}\Z")
# The media types of the files kg reads, and the suffix each is saved under.
SUFFIXES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "text/html": ".html",
    "application/xml": ".xml",
    "text/xml": ".xml",
}
# DocumentActor.Relatie of those who submit a document: the first rank before the
# second (co-submitters), each in the service's order.
SUBMITTER_RANKS = {
    "indiener": 0,
    "eerste ondertekenaar": 0,
    "ondertekenaar": 0,
    "medeindiener": 1,
    "mede-indiener": 1,
    "mede ondertekenaar": 1,
}
EXPAND = "DocumentActor,Kamerstukdossier"
ORDER = "Datum,Id"


def literal(text: str) -> str:
    """An OData string literal.

    >>> literal("Irak's")
    "'Irak''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def dossier_filter(dossier: str) -> str:
    """The ``$filter`` clause for the documents of a dossier in kg's form.

    >>> dossier_filter("27925")
    'Kamerstukdossier/any(d:d/Nummer eq 27925 and d/Toevoeging eq null)'
    >>> dossier_filter("36200-V")
    "Kamerstukdossier/any(d:d/Nummer eq 36200 and d/Toevoeging eq 'V')"
    """
    digits, _, suffix = dossier.partition("-")
    toevoeging = literal(suffix) if suffix else "null"
    return f"Kamerstukdossier/any(d:d/Nummer eq {int(digits)} and d/Toevoeging eq {toevoeging})"


def identifier_filter(identifier: str) -> str:
    """The ``$filter`` clause for a document number or a Kamerstuk's identifier, or
    :class:`FetchError` naming the forms the Tweede Kamer knows.

    >>> identifier_filter("2018D45001")
    "DocumentNummer eq '2018D45001'"
    """
    if DOCUMENT_NUMBER.match(identifier):
        return f"DocumentNummer eq {literal(identifier)}"
    dossier, number = kamerstuk_parts(identifier) or ("", "")
    if dossier_number(dossier) == dossier and number.isdigit():
        return f"{dossier_filter(dossier)} and Volgnummer eq {int(number)}"
    raise FetchError(
        f"'{identifier}': not an identifier the Tweede Kamer knows; give a document "
        "number (2018D45001) or a Kamerstuk with a numbered place in its dossier "
        "(kst-27925-506)"
    )


def period_filter(period: Period) -> list[str]:
    """``$filter`` clauses for a period, a day wider on each side: ``Datum`` carries
    the Dutch offset (+01:00, +02:00); the items are checked again on their own day."""
    clauses = []
    if period.since is not None:
        since = period.since - dt.timedelta(days=1)
        clauses.append(f"Datum ge {since.isoformat()}T00:00:00Z")
    if period.until is not None:
        until = period.until + dt.timedelta(days=2)
        clauses.append(f"Datum lt {until.isoformat()}T00:00:00Z")
    return clauses


class TweedeKamer(ArgumentChecks):
    """The documents of the Tweede Kamer's OData API, read page by page; each an
    :class:`~kg.fetch.base.Item` whose file is ``Document(Id)/resource``. Withdrawn
    documents (``Verwijderd``) and documents without a file kg reads are left out.

    ``page_size`` is asked for with ``Prefer: odata.maxpagesize``; the service pages
    by at most 250 whatever is asked.
    """

    name = "tweedekamer"

    def __init__(
        self,
        session: requests.Session,
        base_url: str = ODATA_URL,
        page_size: int = MAX_PAGE,
    ) -> None:
        if not 1 <= page_size <= MAX_PAGE:
            raise FetchError(f"page size {page_size}: the service takes 1 to {MAX_PAGE}")
        self.session = session
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.page_size = page_size

    def check_identifiers(self, identifiers: Sequence[str]) -> None:
        """:class:`FetchError` naming the first identifier that is neither a document
        number nor a Kamerstuk with a numbered place in its dossier."""
        for identifier in identifiers:
            identifier_filter(identifier.strip())

    def dossier(self, number: str, period: Period) -> Iterator[Listed]:
        """The documents of dossier ``number`` ("27925", "36200-V") in ``period``,
        oldest first."""
        dossier = checked_dossier(number)
        clauses = [dossier_filter(dossier), *period_filter(period)]
        yield from self._items(clauses, period, dossier)

    def search(self, text: str, period: Period) -> Iterator[Listed]:
        """The documents whose title or subject has every word of ``text``, oldest
        first."""
        words = search_words(text)
        clauses = [
            f"(contains(Titel,{literal(w)}) or contains(Onderwerp,{literal(w)}))" for w in words
        ]
        yield from self._items([*clauses, *period_filter(period)], period)

    def identifiers(self, identifiers: Sequence[str], period: Period) -> Iterator[Listed]:
        """The documents named by a Tweede Kamer document number ("2018D45001") or a
        Kamerstuk's identifier ("kst-27925-506") and dated in ``period``, in the order
        given; then a :class:`~kg.fetch.base.Failure` for each one the service has no
        document for (or only a withdrawn one)."""
        wanted = list(dict.fromkeys(identifier.strip() for identifier in identifiers))
        clauses = {identifier: identifier_filter(identifier) for identifier in wanted}
        missing = []
        for identifier in wanted:
            found = False
            for item in self._items([clauses[identifier]], Period()):
                found = True
                if isinstance(item, Failure) or within(item.record.date, period):
                    yield item
            if not found:
                missing.append(identifier)
        for identifier in missing:
            yield Failure(
                identifier,
                f"{self.base_url}: no document {identifier} (or only a withdrawn one); "
                "check the identifier at www.tweedekamer.nl",
            )

    def _items(
        self, clauses: list[str], period: Period, dossier: str | None = None
    ) -> Iterator[Listed]:
        params = {
            "$filter": " and ".join(["Verwijderd eq false", *clauses]),
            "$expand": EXPAND,
            "$orderby": ORDER,
        }
        address: str | None = (
            f"{self.base_url}Document?{urlencode(params, quote_via=quote, safe='$,()/:')}"
        )
        headers = {"Prefer": f"odata.maxpagesize={self.page_size}", "Accept": "application/json"}
        seen = set()
        position = 0
        while address is not None:
            seen.add(address)
            page = _page(get(self.session, address, headers=headers), address)
            for entity in page["value"]:
                position += 1
                try:
                    item = self._item(entity, address, dossier)
                except FetchError as err:  # this entity alone: the others are still read
                    yield Failure(_entity_name(entity, position), str(err))
                    continue
                if item is not None and within(item.record.date, period):
                    yield item
            following = page.get("@odata.nextLink")
            if isinstance(following, str):
                following = urljoin(address, following)  # it may be relative to the page
            if following is not None and (
                not isinstance(following, str)
                or not following.startswith(self.base_url)
                or following in seen
            ):
                raise FetchError(
                    f"{address}: the next page '{following}' is not a new page of "
                    f"{self.base_url}; report this to the service"
                )
            address = following

    def _item(self, entity: Any, address: str, dossier: str | None) -> Item | None:
        if not isinstance(entity, dict) or not all(
            isinstance(entity.get(name), str) for name in ("Id", "DocumentNummer")
        ):
            raise FetchError(
                f"{address}: a Document without an Id or a DocumentNummer; report this "
                "to the service"
            )
        media_type = str(entity.get("ContentType") or "").split(";")[0].strip().lower()
        suffix = SUFFIXES.get(media_type)
        if entity.get("Verwijderd") is True or suffix is None:
            return None
        number = entity["DocumentNummer"]
        download = f"{self.base_url}Document({quote(entity['Id'])})/resource"
        dossiers = _dossiers(entity.get("Kamerstukdossier"))
        volgnummer = entity.get("Volgnummer")
        record = SourceRecord(
            source=self.name,
            identifier=number,
            url=PAGE_URL.format(number=quote(number)),
            download_url=download,
            doc_type=_string(entity.get("Soort")),
            dossier=dossier if dossier in dossiers else next(iter(dossiers), None),
            number=str(volgnummer) if isinstance(volgnummer, int) and volgnummer > 0 else None,
            date=iso_day(entity.get("Datum")),
            title=_string(entity.get("Onderwerp")) or _string(entity.get("Titel")),
            submitters=_submitters(entity.get("DocumentActor")),
        )
        return Item(number, download, suffix, record)


def _page(response: requests.Response, address: str) -> dict[str, Any]:
    try:
        page = json.loads(response.content)
    except ValueError as err:
        raise FetchError(f"{address}: the answer is not JSON ({err}); try again later") from err
    if not isinstance(page, dict) or not isinstance(page.get("value"), list):
        raise FetchError(
            f"{address}: the answer has no 'value' list of entities; check the address "
            "of the service"
        )
    return page


def _entity_name(entity: Any, position: int) -> str:
    """What names an entity in a message: its DocumentNummer, else its Id, else its
    position in the listing ("record 7")."""
    if isinstance(entity, dict):
        for name in ("DocumentNummer", "Id"):
            if isinstance(entity.get(name), str) and entity[name].strip():
                return str(entity[name].strip())
    return f"record {position}"


def _string(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _live(related: Any) -> list[dict[str, Any]]:
    """The entities of an expanded navigation property, less the withdrawn ones."""
    if isinstance(related, dict):
        related = [related]
    if not isinstance(related, list):
        return []
    return [r for r in related if isinstance(r, dict) and r.get("Verwijderd") is not True]


def _dossiers(related: Any) -> list[str]:
    found = []
    for dossier in _live(related):
        nummer, toevoeging = dossier.get("Nummer"), _string(dossier.get("Toevoeging"))
        if not isinstance(nummer, int):
            continue
        # A Rijkswet's "(R2048)" is a mark of the dossier, not a part of its number.
        suffix = f"-{toevoeging}" if toevoeging and "(" not in toevoeging else ""
        found.append(dossier_number(f"{nummer}{suffix}") or f"{nummer}{suffix}")
    return found


def _submitters(related: Any) -> tuple[str, ...]:
    ranked = [
        (SUBMITTER_RANKS[relation], position, name)
        for position, actor in enumerate(_live(related))
        if (relation := " ".join(str(actor.get("Relatie") or "").lower().split()))
        in SUBMITTER_RANKS
        and (name := _string(actor.get("ActorNaam")))
    ]
    return tuple(name for _, _, name in sorted(ranked))
