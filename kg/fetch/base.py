"""What every service ``kg fetch`` reads offers: the documents of a dossier, of a
search or of a list of identifiers, each as an :class:`Item` to download (or a
:class:`Failure`, a document that cannot be), and checks of those arguments."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeAlias

from kg.errors import KgError
from kg.model import SourceRecord, dossier_number

# A Kamerstuk's official identifier (with its dossier's suffix and a reprint's "-n1").
KAMERSTUK = re.compile(
    r"\Akst-(?P<dossier>\d+(?:-[0-9A-Z]+)?)-(?P<number>[0-9A-Z]+)(?P<reprint>-n\d+)?\Z"
)


class FetchError(KgError):
    """A service cannot be reached or answers what kg cannot read; the message names
    the address and the reason, and says what to do."""


@dataclass(frozen=True, slots=True)
class Item:
    """One document a service offers: its official identifier, the file to download
    (and the suffix it is saved under), and the service's record of it."""

    identifier: str  # e.g. "kst-27925-946": also the saved file's name, with ``suffix``
    download_url: str
    suffix: str  # ".xml", ".html", ".pdf", ".docx", ".odt"
    record: SourceRecord


@dataclass(frozen=True, slots=True)
class Failure:
    """A document a listing names that kg cannot fetch: a record it cannot read, or an
    identifier the service has no record of. It fails on its own; the listing goes on."""

    identifier: str  # its identifier, or where it stands when it has none: "record 7"
    reason: str  # names the address and the reason, and says what to do


Listed: TypeAlias = Item | Failure


@dataclass(frozen=True, slots=True)
class Period:
    """The dates a fetch is limited to (either end open), inclusive."""

    since: dt.date | None = None
    until: dt.date | None = None


class Service(Protocol):
    """A source of documents. Items are yielded in a stable order (the service's own,
    page after page), each in ``period``; each call reads the service lazily, page by
    page. A record that cannot be read, and an identifier the service has no record
    of, are each a :class:`Failure` (those of ``identifiers`` after the others).

    The ``check_`` methods raise :class:`FetchError` for an argument the service cannot
    take, before any request, with a message that names the forms it accepts; the
    listings raise the same error, when they are first read, for one not checked."""

    name: str  # as recorded in the manifest and the graph: "officielebekendmakingen"

    def check_dossier(self, number: str) -> None: ...

    def check_search(self, text: str) -> None: ...

    def check_identifiers(self, identifiers: Sequence[str]) -> None: ...

    def dossier(self, number: str, period: Period) -> Iterator[Listed]: ...

    def search(self, text: str, period: Period) -> Iterator[Listed]: ...

    def identifiers(self, identifiers: Sequence[str], period: Period) -> Iterator[Listed]: ...


class ArgumentChecks:
    """The checks of a dossier number and of a search that every service makes alike
    (before any request: a bad argument is a usage error, not a failed fetch)."""

    def check_dossier(self, number: str) -> None:
        """:class:`FetchError` for a ``number`` that is not a dossier's."""
        checked_dossier(number)

    def check_search(self, text: str) -> None:
        """:class:`FetchError` for a search without words."""
        search_words(text)


def checked_dossier(number: str) -> str:
    """A dossier number in kg's form (:func:`kg.model.dossier_number`), or
    :class:`FetchError` saying how one is written.

    >>> checked_dossier("27 925")
    '27925'
    >>> checked_dossier("Irak")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.fetch.base.FetchError: dossier 'Irak': not a dossier number; ... as in 27925 or 36200-V
    """
    dossier = dossier_number(number)
    if dossier is None:
        raise FetchError(
            f"dossier '{number}': not a dossier number; give its digits and any suffix, "
            "as in 27925 or 36200-V"
        )
    return dossier


def search_words(text: str) -> list[str]:
    """The words of a search, or :class:`FetchError` when it has none.

    >>> search_words(" F-16  Irak ")
    ['F-16', 'Irak']
    """
    words = text.split()
    if not words:
        raise FetchError("search: no words to search for; give one or more")
    return words


def kamerstuk_parts(identifier: str) -> tuple[str, str] | None:
    """The dossier and the number of a Kamerstuk's identifier, or None.

    >>> kamerstuk_parts("kst-27925-506"), kamerstuk_parts("kst-36200-V-3")
    (('27925', '506'), ('36200-V', '3'))
    >>> kamerstuk_parts("blg-123456") is None
    True
    """
    found = KAMERSTUK.match(identifier)
    return (found["dossier"], found["number"]) if found else None


def within(date: str | None, period: Period) -> bool:
    """Whether an ISO day lies in ``period``; a missing date lies in no bounded one."""
    if period.since is None and period.until is None:
        return True
    if date is None:
        return False
    day = dt.date.fromisoformat(date)
    return (period.since is None or period.since <= day) and (
        period.until is None or day <= period.until
    )
