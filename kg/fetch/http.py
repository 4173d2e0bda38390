"""HTTP for ``kg fetch``: a polite session and a download that is whole or not there.

:func:`polite_session` is a :class:`requests.Session` that keeps to a rate (at most
``rate`` requests a second, every attempt counted), retries connection errors and the
answers 429, 500, 502, 503 and 504 with exponential backoff, honours ``Retry-After``
(seconds or an HTTP date) up to :data:`MAX_WAIT` seconds and fails with a clear message
beyond it, waits at most ``timeout`` seconds for an answer and names kg and its version
in its User-Agent. The retrying is urllib3's :class:`~urllib3.util.retry.Retry`, set
to wait at least the rate's interval and to refuse a wait longer than the maximum.

:func:`get` reads a listing's whole body, and asks again (after the same backoff, as
often as the session retries) when the body is cut short, which urllib3's retries do
not cover. :func:`download` makes a conditional request (If-None-Match,
If-Modified-Since), streams the body into a hidden file beside the destination
(``.NAME.part``, which ``kg build`` never reads), checks its length, computes its
SHA-256 on the way, and puts it in place with :func:`os.replace` only when it is
complete. A connection dropped mid-file is asked for again after the backoff, from
where it stopped when the server answers a Range request with 206, else from the
start. A message says "after N retries" with the retries that were made.

Every failure a user can meet raises :class:`~kg.fetch.base.FetchError` with the
address, the reason and what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Self

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    InvalidHeader,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ResponseError,
)
from urllib3.util.retry import Retry

from kg import __version__
from kg.fetch.base import FetchError

DEFAULT_RATE = 1.0  # requests a second: polite to a public service
DEFAULT_RETRIES = 3  # retries of a request that failed for a reason that may pass
DEFAULT_TIMEOUT = 30.0  # seconds to wait for a connection, and then for each part of the answer
DEFAULT_BACKOFF = 1.0  # seconds before the first retry; doubled for each further one
MAX_BACKOFF = 60.0  # the longest wait between retries kg chooses itself
MAX_WAIT = 300.0  # the longest Retry-After kg waits for; a longer one fails the request
MAX_BYTES = 1 << 28  # a document larger than 256 MiB is refused: not a parliamentary paper
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
CHUNK = 1 << 16
USER_AGENT = f"kg/{__version__} (knowledge graph of Dutch parliamentary documents) " + (
    f"python-requests/{requests.__version__}"
)

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class Unreachable(FetchError):
    """The service could not be reached at all (no connection, no name, no answer):
    other requests to it will most likely fail too."""


class Pace:
    """At most ``rate`` requests a second: :meth:`wait` before each one sleeps until
    ``1 / rate`` seconds have passed since the previous one began.

    >>> now = [0.0]
    >>> pace = Pace(2.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    >>> for _ in range(3):
    ...     pace.wait()
    >>> now[0]
    1.0
    """

    def __init__(self, rate: float, clock: Clock = time.monotonic, sleep: Sleep = time.sleep):
        if rate <= 0:
            raise ValueError(f"rate must be positive, not {rate}")
        self.interval = 1.0 / rate
        self.clock = clock
        self.sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None:
            left = self._last + self.interval - self.clock()
            if left > 0:
                self.sleep(left)
        self._last = self.clock()


class _Retry(Retry):
    """urllib3's Retry that keeps to the session's pace between attempts, waits at least
    the backoff factor before the first retry too (urllib3 retries at once), gives up
    on an answer whose Retry-After asks for more than ``wait_limit`` seconds (urllib3
    would sleep that long, or a shortened time): the answer is then handed back, and
    :func:`check` says how long the service asks to wait; and calls ``counted`` before
    each retry, so that a message can say how many there were."""

    def __init__(
        self,
        *args: Any,
        pace: Pace | None = None,
        wait_limit: float = MAX_WAIT,
        counted: Callable[[], None] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.pace = pace
        self.wait_limit = wait_limit
        self.counted = counted

    def new(self, **kw: Any) -> Self:
        kw.setdefault("pace", self.pace)
        kw.setdefault("wait_limit", self.wait_limit)
        kw.setdefault("counted", self.counted)
        return super().new(**kw)

    def get_retry_after(self, response: Any) -> float | None:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:  # a Retry-After kg cannot read: back off as without one
            return None

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Self:
        if response is not None:
            asked = self.get_retry_after(response)
            if asked is not None and asked > self.wait_limit:
                raise MaxRetryError(_pool, url or "", ResponseError("Retry-After too long"))
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_backoff_time(self) -> float:
        return max(super().get_backoff_time(), self.backoff_factor if self.history else 0.0)

    def sleep(self, response: Any = None) -> None:
        if self.counted is not None:
            self.counted()
        asked = self.get_retry_after(response) if response is not None else None
        wait = asked if asked is not None else self.get_backoff_time()
        pause = self.pace.sleep if self.pace is not None else time.sleep
        if wait > 0:
            pause(wait)
        if self.pace is not None:
            self.pace.wait()  # a retry is a request like any other


class _PoliteAdapter(HTTPAdapter):
    """Keeps to the pace before each request and gives each one the session's timeout."""

    def __init__(self, pace: Pace, timeout: float, retry: _Retry) -> None:
        super().__init__(max_retries=retry)
        self.pace = pace
        self.timeout = timeout

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        self.pace.wait()
        return super().send(
            request, stream, self.timeout if timeout is None else timeout, verify, cert, proxies
        )


class PoliteSession(requests.Session):
    """A :class:`requests.Session` made by :func:`polite_session`; it knows its pace,
    retries, timeout, backoff and the longest Retry-After it waits for, for
    :func:`get`, :func:`download` and the messages, and counts the retries made
    (``retried``, since :func:`get` or :func:`download` began)."""

    def __init__(
        self, pace: Pace, retries: int, timeout: float, backoff: float, wait_limit: float
    ) -> None:
        super().__init__()
        self.pace = pace
        self.retries = retries
        self.timeout = timeout
        self.backoff = backoff
        self.wait_limit = wait_limit
        self.retried = 0

    def count_retry(self) -> None:
        self.retried += 1

    def back_off(self, retry: int) -> None:
        """Wait before retry number ``retry`` (1, 2, ...) of what urllib3 does not
        retry: ``backoff`` seconds, doubled for each further one, at most
        :data:`MAX_BACKOFF` (the pace is kept by the request itself); count it."""
        self.count_retry()
        self.pace.sleep(min(self.backoff * 2 ** (retry - 1), MAX_BACKOFF))


def polite_session(
    rate: float = DEFAULT_RATE,
    retries: int = DEFAULT_RETRIES,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    backoff: float = DEFAULT_BACKOFF,
    wait_limit: float = MAX_WAIT,
    clock: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
) -> PoliteSession:
    """A session for public services: at most ``rate`` requests a second, ``retries``
    retries of connection errors and of 429, 500, 502, 503, 504 (``backoff`` seconds
    before the first, doubled for each further one, or as long as the answer's
    Retry-After asks, up to ``wait_limit``), ``timeout`` seconds of waiting for an
    answer, and :data:`USER_AGENT`. ``clock`` and ``sleep`` measure and pass the waits
    (a test gives its own).

    >>> session = polite_session(rate=2.0)
    >>> session.headers["User-Agent"].startswith("kg/")
    True
    """
    pace = Pace(rate, clock, sleep)
    session = PoliteSession(pace, retries, timeout, backoff, wait_limit)
    retry = _Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        redirect=10,
        backoff_factor=backoff,
        backoff_max=MAX_BACKOFF,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the last answer is handed back, for check() to explain
        pace=pace,
        wait_limit=wait_limit,
        counted=session.count_retry,
    )
    adapter = _PoliteAdapter(pace, timeout, retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def get(
    session: requests.Session,
    url: str,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> requests.Response:
    """GET ``url`` (a listing, a record) and read its whole body: the answer when it is
    a success, else :class:`FetchError` saying why. A body cut short (the connection
    dropped while it was read) is asked for again after the session's backoff, up to
    its number of retries; the message counts the retries made."""
    retries = _start(session)
    failure: requests.RequestException | None = None
    for attempt in range(retries + 1):
        if attempt and isinstance(session, PoliteSession):
            session.back_off(attempt)
        try:
            response = session.get(url, params=params, headers=dict(headers or {}), stream=True)
        except requests.RequestException as err:
            raise request_error(url, err, session) from err
        if response.status_code >= 400:
            response.close()
            raise status_error(response, session)
        try:
            response.content  # noqa: B018 -- read the whole body now, where it can be retried
        except requests.RequestException as err:
            response.close()
            failure = err
            continue
        return response
    assert failure is not None
    raise request_error(url, failure, session) from failure


def check(response: requests.Response, session: requests.Session | None = None) -> None:
    """Nothing when ``response`` is not an error (a status below 400: 2xx, 304, and a
    redirect requests did not follow); else :class:`FetchError` naming its address,
    the status and what to do."""
    if response.status_code < 400:
        return
    raise status_error(response, session)


def status_error(
    response: requests.Response, session: requests.Session | None = None
) -> FetchError:
    """The :class:`FetchError` for an answer that is not a success."""
    url = _shown(response.url)
    code = response.status_code
    status = f"HTTP {code} {response.reason or ''}".strip()
    asked = _Retry(0).get_retry_after(response)  # urllib3 reads it (and caps it at 6 h)
    limit = getattr(session, "wait_limit", MAX_WAIT)
    if asked is not None and asked > limit:
        until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=asked)
        return FetchError(
            f"{url}: the service answered {status} and asks to wait {_seconds(asked)} before "
            f"the next request, longer than kg waits ({_seconds(limit)}): try again after "
            f"{until:%Y-%m-%d %H:%M} UTC"
        )
    tries = _tries(session)
    if code == 429:
        return FetchError(
            f"{url}: the service answered {status} (too many requests){tries}: try again "
            "later, with fewer requests a second (--rate)"
        )
    if code in (404, 410):
        return FetchError(f"{url}: {status}: no such document; check the address or identifier")
    if code in (401, 403):
        return FetchError(
            f"{url}: the service refuses the request ({status}): check the address; the "
            "service may not allow automated access to it"
        )
    if code >= 500:
        return FetchError(f"{url}: the service answered {status}{tries}: try again later")
    return FetchError(
        f"{url}: the service does not accept the request ({status}): check the address and "
        "its parameters"
    )


def request_error(
    url: str, err: BaseException, session: requests.Session | None = None
) -> FetchError:
    """The :class:`FetchError` (an :class:`Unreachable` when the service could not be
    reached) for a request that raised ``err``."""
    shown = _shown(url)
    tries = _tries(session)
    timeout = getattr(session, "timeout", None)
    within = f" within {_seconds(timeout)}" if timeout else ""
    causes = list(_causes(err))
    if any(isinstance(c, (NameResolutionError, socket.gaierror)) for c in causes):
        host = requests.utils.urlparse(url).hostname
        return Unreachable(
            f"{shown}: the host name '{host}' cannot be resolved (DNS){tries}: check the "
            "address and your internet connection"
        )
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return Unreachable(
            f"{shown}: the connection was refused{tries}: check the address, or try later "
            "if the service is down"
        )
    if isinstance(err, requests.exceptions.ConnectTimeout):
        return Unreachable(
            f"{shown}: no connection{within}{tries}: check your internet connection, or try later"
        )
    if isinstance(err, requests.exceptions.SSLError):
        return Unreachable(
            f"{shown}: the secure connection failed ({_innermost(causes)}): check the address"
        )
    if isinstance(err, requests.exceptions.Timeout) or any(
        isinstance(c, TimeoutError) for c in causes
    ):
        return Unreachable(f"{shown}: no answer{within}{tries}: try again later")
    if any(isinstance(c, NewConnectionError) for c in causes):
        return Unreachable(
            f"{shown}: cannot connect ({_innermost(causes)}){tries}: check the address, or try "
            "later"
        )
    if isinstance(err, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return FetchError(f"{shown}: not a web address kg can use ({err}): check it")
    if isinstance(err, requests.exceptions.ChunkedEncodingError | requests.ConnectionError):
        return Unreachable(
            f"{shown}: the connection was closed before the answer was complete{tries}: try "
            "again later"
        )
    return FetchError(f"{shown}: the request failed ({_innermost(causes)}): try again later")


@dataclass(frozen=True, slots=True)
class Download:
    """What :func:`download` did: ``downloaded`` (the file is in place, with this
    SHA-256 and size) or ``unchanged`` (the server answered 304: the file was left
    alone, ``sha256`` is None), and the validators to send next time."""

    url: str  # the address the file came from, after redirects
    status: Literal["downloaded", "unchanged"]
    sha256: str | None
    size: int  # bytes written (0 when unchanged)
    etag: str | None
    last_modified: str | None


def part_path(dest: Path) -> Path:
    """The hidden file a download of ``dest`` is written to until it is complete.

    >>> part_path(Path("corpus/kst-27925-1.xml")).as_posix()
    'corpus/.kst-27925-1.xml.part'
    """
    return dest.with_name(f".{dest.name}.part")


def download(
    session: requests.Session,
    url: str,
    dest: Path,
    etag: str | None = None,
    last_modified: str | None = None,
    before_replace: Callable[[str], None] | None = None,
) -> Download:
    """Download ``url`` into ``dest``, whole or not at all.

    With ``etag`` or ``last_modified`` (those of the copy at ``dest``) the request is
    conditional: a 304 leaves ``dest`` alone. Otherwise the body goes to the hidden
    :func:`part_path` beside ``dest``, its length is checked against Content-Length
    and its SHA-256 computed; only a complete file replaces ``dest``
    (:func:`os.replace`). A connection dropped mid-file is retried (the session's
    retries): from where it stopped if the server answers a Range request with 206,
    else from the start, each time after the session's backoff. ``before_replace`` is
    called with the SHA-256 of the complete file just before it replaces ``dest`` (for
    a manifest to stop naming the old copy). Raises :class:`FetchError` when it cannot
    be done.
    """
    retries = _start(session)
    part = part_path(dest)
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    digest = hashlib.sha256()
    size = 0
    validator: str | None = None  # what the server called this version: for If-Range
    first: requests.Response | None = None
    problem = ""
    handle = None
    try:
        for attempt in range(retries + 1):
            if attempt and isinstance(session, PoliteSession):
                session.back_off(attempt)
            headers = dict(conditional) if attempt == 0 else {}
            if size and validator:
                headers["Range"] = f"bytes={size}-"
                headers["If-Range"] = validator
            try:
                response = session.get(url, headers=headers, stream=True)
            except requests.RequestException as err:
                raise request_error(url, err, session) from err
            with response:
                if response.status_code == 304 and attempt == 0 and conditional:
                    return Download(
                        response.url or url,
                        "unchanged",
                        None,
                        0,
                        response.headers.get("ETag") or etag,
                        response.headers.get("Last-Modified") or last_modified,
                    )
                if response.status_code == 206 and _resumes_at(response, size):
                    expected = _length(response)
                    expected = None if expected is None else size + expected
                elif response.status_code == 200:
                    first = response
                    expected = _length(response)
                    digest, size = hashlib.sha256(), 0
                    if handle is not None:
                        handle.seek(0)
                        handle.truncate()
                    validator = _validator(response)
                elif response.status_code == 206:  # not the part asked for: start again
                    validator = None
                    problem = "the server sent another part of the file than the one asked for"
                    continue
                else:
                    check(response, session)
                    raise FetchError(
                        f"{_shown(url)}: the service answered HTTP {response.status_code} "
                        "where kg expected the file: check the address"
                    )
                if expected is not None and expected > MAX_BYTES:
                    raise FetchError(
                        f"{_shown(url)}: the file is {expected} bytes, more than kg fetches "
                        f"({MAX_BYTES}): check the address"
                    )
                if handle is None:
                    part.parent.mkdir(parents=True, exist_ok=True)
                    handle = part.open("wb")
                try:
                    for chunk in response.iter_content(CHUNK):
                        handle.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                        if size > MAX_BYTES:
                            raise FetchError(
                                f"{_shown(url)}: the file is larger than kg fetches "
                                f"({MAX_BYTES} bytes): check the address"
                            )
                    dropped = False
                except requests.RequestException:  # urllib3 found the body cut short
                    dropped = True
                if dropped or (expected is not None and size < expected):
                    of = "" if expected is None else f" of {expected}"
                    problem = f"the connection was dropped after {size}{of} bytes"
                    continue
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
                handle = None
                if before_replace is not None:
                    before_replace(digest.hexdigest())
                os.replace(part, dest)
                assert first is not None
                return Download(
                    first.url or url,
                    "downloaded",
                    digest.hexdigest(),
                    size,
                    first.headers.get("ETag"),
                    first.headers.get("Last-Modified"),
                )
        raise Unreachable(
            f"{_shown(url)}: {problem}, {retries + 1} times: the file was not saved; try again "
            "later"
        )
    finally:
        if handle is not None:
            handle.close()
        if part.exists():
            part.unlink()


def _length(response: requests.Response) -> int | None:
    """The length of the body as it is stored: Content-Length, unless the body is
    encoded (gzip), whose length urllib3 checks itself."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    length = response.headers.get("Content-Length", "")
    if encoding not in ("", "identity") or not length.strip().isdigit():
        return None
    return int(length)


def _validator(response: requests.Response) -> str | None:
    """What an If-Range may name to resume this answer: a strong ETag, else its
    Last-Modified; None when the body is encoded, as a range of it cannot be decoded."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        return None
    etag = response.headers.get("ETag")
    if etag and not etag.startswith("W/"):
        return etag
    return response.headers.get("Last-Modified")


def _resumes_at(response: requests.Response, offset: int) -> bool:
    """Whether a 206 answer holds the bytes from ``offset`` on."""
    content_range = response.headers.get("Content-Range", "")
    unit, _, spec = content_range.partition(" ")
    start = spec.partition("-")[0]
    return offset > 0 and unit == "bytes" and start.isdigit() and int(start) == offset


def _start(session: requests.Session) -> int:
    """Begin counting the retries of one :func:`get` or :func:`download`; the number
    of times the session asks again for what urllib3 does not retry (none for a
    session not made by :func:`polite_session`)."""
    if not isinstance(session, PoliteSession):
        return 0
    session.retried = 0
    return session.retries


def _tries(session: requests.Session | None) -> str:
    """ " (after 3 retries)": the retries made since :func:`get` or :func:`download`
    began; empty when there were none."""
    retried = getattr(session, "retried", 0)
    if not retried:
        return ""
    return f" (after {retried} {'retry' if retried == 1 else 'retries'})"


def _seconds(value: float) -> str:
    """ "30 s", "1.5 s", "3600 s (1 h)"."""
    text = f"{value:.0f} s" if value >= 10 or value == int(value) else f"{value:.1f} s"
    if value >= 3600:
        text += f" ({value / 3600:.1f} h)"
    elif value >= 120:
        text += f" ({value / 60:.0f} min)"
    return text


def _shown(url: str, width: int = 200) -> str:
    """The address as a message shows it: whole, or cut with … when very long."""
    return url if len(url) <= width else url[: width - 1] + "…"


def _causes(err: BaseException) -> Iterator[BaseException]:
    """``err`` and what it wraps (arguments, reasons, causes), each once."""
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [*current.args, getattr(current, "reason", None)]
        wrapped += [current.__cause__, current.__context__]
        todo.extend(w for w in wrapped if isinstance(w, BaseException))


def _innermost(causes: list[BaseException]) -> str:
    """The words of the system's own error among ``causes`` ("Connection reset by
    peer"), else of the last one."""
    for cause in causes:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
    return str(causes[-1]) or type(causes[-1]).__name__
