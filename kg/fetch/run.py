"""Fetch the documents a service lists into a folder, keeping its manifest.

:func:`fetch` takes the documents of a listing (a dossier, a search, identifiers:
:class:`~kg.fetch.base.Item` objects, and a :class:`~kg.fetch.base.Failure` for each
one that cannot be fetched) and, for each item, downloads its file as
``IDENTIFIER.SUFFIX`` into the folder. A document the manifest has, whose file is still
the one fetched, is asked for conditionally: an answer 304 transfers nothing. A line
is appended to the manifest after every document (:class:`~kg.fetch.manifest.Journal`),
and a changed file replaces the old one only after the manifest has stopped naming it,
so a fetch stopped at any moment leaves every file the manifest names whole and with
its recorded SHA-256; running the same fetch again goes on where it stopped, without
transferring again what is done. At its end the manifest is compacted.

A document that fails is reported with its reason and the others go on; a listing that
fails (the service cannot be reached, or answers what kg cannot read) ends the fetch:
before the first document, with :class:`~kg.fetch.base.FetchError` and the folder as
it was; later, in the report's ``stopped``. A second fetch into a folder is refused
while one runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import requests

from kg.errors import KgError
from kg.fetch.base import Failure, FetchError, Item, Listed
from kg.fetch.http import Unreachable, download, request_error
from kg.fetch.manifest import Entry, Journal
from kg.files import file_sha256, folder_lock
from kg.ingest import SUFFIXES as READ_SUFFIXES

LOCK_FILE = ".kg-fetch.lock"
SUFFIXES = frozenset(READ_SUFFIXES)  # a file is saved only as a type kg build reads
SAFE_IDENTIFIER = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,199}\Z")
_SUFFIX_LIST = ", ".join(sorted(SUFFIXES))
GIVE_UP_AFTER = 3  # documents in a row whose service cannot be reached end the fetch

Progress = Callable[[int, str, str], None]  # documents done, identifier, outcome
Now = Callable[[], dt.datetime]


class FolderError(KgError):
    """The folder cannot be fetched into: another fetch is writing there, or it cannot
    be written."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class FetchReport:
    """What a fetch did: the identifiers of the documents new to the folder (a file
    deleted from it and fetched again too), changed (the folder's file replaced by
    other bytes), unchanged, and failed (with the reason), and why the listing stopped
    before its end, if it did. ``lasting`` counts the failures that fetching again will
    not mend: a record kg cannot read, an identifier the service has no record of, a
    name kg does not save a file under."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    lasting: int = 0
    stopped: str | None = None
    transferred: int = 0  # bytes of the files downloaded

    @property
    def done(self) -> int:
        return len(self.new) + len(self.changed) + len(self.unchanged) + len(self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed and self.stopped is None

    @property
    def again(self) -> bool:
        """Whether fetching again may fetch more: the listing stopped before its end,
        or a document failed for a reason that may pass."""
        return self.stopped is not None or len(self.failed) > self.lasting

    def counts(self) -> str:
        """How many documents were new, changed, unchanged and failed.

        >>> FetchReport(new=["kst-1-1"], failed=[("kst-1-2", "gone")]).counts()
        '1 new, 0 changed, 0 unchanged, 1 failed'
        """
        return (
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.unchanged)} "
            f"unchanged, {len(self.failed)} failed"
        )


def fetch(
    items: Iterable[Listed],
    folder: Path,
    session: requests.Session,
    progress: Progress | None = None,
    now: Now = utc_now,
) -> FetchReport:
    """Download the documents of ``items`` into ``folder`` and keep its manifest.

    ``progress`` is called after each document with the number done, its identifier
    and what became of it ("new", "changed", "unchanged", "failed"; a
    :class:`~kg.fetch.base.Failure` of the listing is "failed"). ``now`` gives the time
    recorded as ``retrieved`` for a file downloaded. The folder is not touched until
    there is a file to download. Raises :class:`FetchError` when the listing fails
    before its first document, :class:`FolderError` when another fetch holds the folder
    or it cannot be written, and :class:`~kg.errors.InputError` when its manifest
    cannot be read (the folder is then left as it was).
    """
    listed = iter(items)
    report = FetchReport()
    while True:
        try:
            first = _next(listed)  # a service that cannot be reached fails here
        except FetchError as err:
            if not report.done:
                raise
            report.stopped = str(err)
            return report
        if not isinstance(first, Failure):
            break
        _failed(report, first, progress)
    if first is None:
        return report
    with fetch_lock(folder):
        try:
            _fetch_all(first, listed, folder, session, report, progress, now)
        except requests.RequestException as err:  # one no service turned into a FetchError
            report.stopped = str(request_error(_address(err), err, session))
        except OSError as err:
            raise _unwritable(folder, err) from err
    return report


def _fetch_all(
    first: Item,
    listed: Iterator[Listed],
    folder: Path,
    session: requests.Session,
    report: FetchReport,
    progress: Progress | None,
    now: Now,
) -> None:
    """The loop of :func:`fetch`, in the locked folder."""
    with Journal(folder) as journal:  # a manifest that cannot be read: nothing is changed
        _clear_parts(folder)
        seen: set[str] = set()
        unreachable = 0
        item: Listed | None = first
        while item is not None:
            if isinstance(item, Failure):
                _failed(report, item, progress)
                unreachable = 0
            elif (name := f"{item.identifier}{item.suffix}") not in seen:
                seen.add(name)
                outcome, reached = _fetch_one(item, folder, session, journal, report, now)
                unreachable = 0 if reached else unreachable + 1
                if progress is not None:
                    progress(report.done, item.identifier, outcome)
                if unreachable >= GIVE_UP_AFTER:
                    report.stopped = (
                        f"{GIVE_UP_AFTER} documents in a row could not be reached; the last: "
                        f"{report.failed[-1][1]}"
                    )
                    break
            try:
                item = _next(listed)
            except FetchError as err:
                report.stopped = str(err)
                break


def _next(listed: Iterator[Listed]) -> Listed | None:
    """The next document of the listing, None at its end; :class:`FetchError` when
    reading the listing fails (a request error the service let through included)."""
    try:
        return next(listed, None)
    except requests.RequestException as err:
        raise request_error(_address(err), err) from err


def _address(err: requests.RequestException) -> str:
    """The address of the request that raised ``err``, as far as it says."""
    url = getattr(err.request, "url", None)
    return url if isinstance(url, str) and url else "the service"


def _failed(report: FetchReport, failure: Failure, progress: Progress | None) -> None:
    """Record a document of the listing that cannot be fetched."""
    report.failed.append((failure.identifier, failure.reason))
    report.lasting += 1
    if progress is not None:
        progress(report.done, failure.identifier, "failed")


def _fetch_one(
    item: Item,
    folder: Path,
    session: requests.Session,
    journal: Journal,
    report: FetchReport,
    now: Now,
) -> tuple[str, bool]:
    """Fetch one document and record it: what became of it ("new", "changed",
    "unchanged", "failed"), and whether its service could be reached."""
    if not SAFE_IDENTIFIER.match(item.identifier) or item.suffix not in SUFFIXES:
        report.failed.append(
            (
                item.identifier,
                f"'{item.identifier}{item.suffix}' is not a file name kg saves a document "
                f"under (letters, digits, '.', '-', '_'; a suffix of {_SUFFIX_LIST})",
            )
        )
        report.lasting += 1
        return "failed", True
    name = f"{item.identifier}{item.suffix}"
    dest = folder / name
    known = journal.entries.get(name)
    present = file_sha256(dest)  # None: the folder has no such file
    fresh = known is not None and present == known.sha256

    def forget(sha256: str) -> None:
        """The manifest stops naming the old copy before other bytes replace it."""
        if known is not None and sha256 != known.sha256:
            journal.remove(name)

    try:
        got = download(
            session,
            item.download_url,
            dest,
            etag=known.etag if known is not None and fresh else None,
            last_modified=known.last_modified if known is not None and fresh else None,
            before_replace=forget,
        )
    except FetchError as err:
        report.failed.append((item.identifier, str(err)))
        return "failed", not isinstance(err, Unreachable)
    report.transferred += got.size
    if known is not None and fresh and (got.sha256 is None or got.sha256 == known.sha256):
        outcome, sha256, retrieved = "unchanged", known.sha256, known.record.retrieved
    else:
        outcome = "new" if known is None or present is None else "changed"
        assert got.sha256 is not None
        sha256, retrieved = got.sha256, now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    record = replace(
        item.record,
        identifier=item.record.identifier or item.identifier,
        download_url=item.record.download_url or item.download_url,
        retrieved=retrieved,
    )
    entry = Entry(name, sha256, record, got.etag, got.last_modified)
    if journal.entries.get(name) != entry:
        journal.put(entry)
    getattr(report, outcome).append(item.identifier)
    return outcome, True


def _unwritable(folder: Path, err: OSError) -> FolderError:
    return FolderError(
        f"{folder}: cannot write there ({err.strerror or err}): free some space, or choose "
        "another folder with --to"
    )


def _clear_parts(folder: Path) -> None:
    """Remove the hidden part files a stopped fetch left (the lock keeps out any
    fetch that could be writing them)."""
    for part in folder.glob(".*.part"):
        part.unlink(missing_ok=True)


@contextmanager
def fetch_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder`` for one fetch (making it if need be): a second fetch into it is
    refused at once with the process number of the first (:class:`FolderError`)."""

    def busy(other: str) -> FolderError:
        return FolderError(
            f"{folder}: another kg fetch (process {other}) is writing here; wait until it "
            "has finished, or fetch into another folder with --to"
        )

    with ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(folder, LOCK_FILE, busy))
        except OSError as err:  # the folder cannot be made, or the lock file not written
            raise _unwritable(folder, err) from err
        yield
