"""kg fetch: the polite HTTP layer (kg.fetch.http) against a scripted server of our own,
the manifest (kg.fetch.manifest), the fetch loop (kg.fetch.run), and the command end
to end against the fake services of tests/fetchserver.py, then kg build."""

from __future__ import annotations

import datetime as dt
import email.utils
import errno
import fcntl
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from fetchserver import REPOSITORY, FakeServices, seed_documents

from kg.cli import FETCH_SOURCES, cli
from kg.errors import InputError
from kg.fetch.base import Failure, FetchError, Item
from kg.fetch.http import Unreachable, download, get, part_path, polite_session
from kg.fetch.manifest import (
    MANIFEST,
    Entry,
    Journal,
    entry_line,
    manifest_records,
    read_manifest,
    removal_line,
    write_manifest,
)
from kg.fetch.odata import ODATA_URL
from kg.fetch.run import LOCK_FILE, FolderError, fetch, fetch_lock
from kg.fetch.sru import SRU_URL
from kg.model import SourceRecord

# ----------------------------------------------------------------------------- a scripted server


@dataclass
class Step:
    """One answer of the scripted server: a status, a body, headers; ``drop`` sends
    only that many bytes of the body and closes; ``ranges`` answers a Range with 206."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: int | None = None
    ranges: bool = False
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class Scripted:
    """A loopback server answering each path with its steps in turn (the last one
    again when they run out), and a log of what it was asked."""

    def __init__(self) -> None:
        self.steps: dict[str, list[Step]] = {}
        self.seen: list[Seen] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedHandler)
        self.server.daemon_threads = True
        self.server.script = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def script(self, path: str, *steps: Step) -> str:
        self.steps[path] = list(steps)
        return self.url(path)

    def next_step(self, path: str) -> Step:
        steps = self.steps.get(path) or [Step(404, b"no such path")]
        return steps.pop(0) if len(steps) > 1 else steps[0]


class _ScriptedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        script: Scripted = self.server.script
        headers = {name.lower(): value for name, value in self.headers.items()}
        script.seen.append(Seen(self.path, headers, time.monotonic()))
        step = script.next_step(self.path)
        time.sleep(step.delay)
        status, body, extra = step.status, step.body, dict(step.headers)
        wanted = re.fullmatch(r"bytes=(\d+)-", headers.get("range", ""))
        if step.ranges and wanted and status == 200:
            first = int(wanted[1])
            status, body = 206, body[first:]
            extra["Content-Range"] = f"bytes {first}-{len(step.body) - 1}/{len(step.body)}"
        if status == 304:
            body = b""
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        if step.drop is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        try:
            self.wfile.write(body if step.drop is None else body[: step.drop])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


class FakeClock:
    """A clock that moves only when slept on, and the sleeps asked for."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


BODY = bytes(range(256)) * 1000  # 256 000 bytes: several chunks of a download


# ----------------------------------------------------------------------------- the HTTP layer


def test_fetch_http_rate_limit_spaces_requests(scripted: Scripted) -> None:
    url = scripted.script("/a", Step(200, b"x"))
    fake = FakeClock()
    session = polite_session(rate=2.0, clock=fake.clock, sleep=fake.sleep)
    for _ in range(4):
        assert session.get(url).status_code == 200
    assert fake.sleeps == [0.5, 0.5, 0.5]


def test_fetch_http_rate_limit_measured(scripted: Scripted) -> None:
    url = scripted.script("/a", Step(200, b"x"))
    session = polite_session(rate=20.0)
    began = time.monotonic()
    for _ in range(5):
        session.get(url)
    assert time.monotonic() - began >= 4 / 20.0  # four intervals between five starts
    assert len(scripted.seen) == 5


def test_fetch_http_honours_retry_after_seconds(scripted: Scripted) -> None:
    url = scripted.script("/a", Step(503, b"busy", {"Retry-After": "7"}), Step(200, b"ok"))
    fake = FakeClock()
    session = polite_session(clock=fake.clock, sleep=fake.sleep)
    response = session.get(url)
    assert (response.status_code, response.content) == (200, b"ok")
    assert fake.sleeps == [7]
    assert len(scripted.seen) == 2


def test_fetch_http_honours_retry_after_as_http_date(scripted: Scripted) -> None:
    when = email.utils.format_datetime(
        dt.datetime.now(dt.UTC) + dt.timedelta(seconds=40), usegmt=True
    )
    url = scripted.script("/a", Step(429, b"slow down", {"Retry-After": when}), Step(200, b"ok"))
    fake = FakeClock()
    session = polite_session(clock=fake.clock, sleep=fake.sleep)
    assert session.get(url).status_code == 200
    assert len(fake.sleeps) == 1 and 37 <= fake.sleeps[0] <= 41, fake.sleeps


def test_fetch_http_retries_503_with_growing_backoff(scripted: Scripted) -> None:
    url = scripted.script("/a", Step(503), Step(502), Step(200, b"ok"))
    fake = FakeClock()
    session = polite_session(backoff=1.0, clock=fake.clock, sleep=fake.sleep)
    assert session.get(url).content == b"ok"
    assert fake.sleeps == [1.0, 2.0]


def test_fetch_http_retries_exhausted_is_a_fetch_error(scripted: Scripted, tmp_path: Path) -> None:
    url = scripted.script("/doc.xml", Step(503, b"down"))
    fake = FakeClock()
    session = polite_session(retries=3, clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(FetchError) as caught:
        download(session, url, tmp_path / "doc.xml")
    message = str(caught.value)
    assert url in message and "503" in message and "after 3 retries" in message
    assert "try again later" in message
    assert len(scripted.seen) == 4
    assert list(tmp_path.iterdir()) == []


def test_fetch_http_refuses_a_retry_after_longer_than_the_limit(scripted: Scripted) -> None:
    url = scripted.script("/a", Step(429, b"", {"Retry-After": "3600"}), Step(200, b"ok"))
    fake = FakeClock()
    session = polite_session(clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(FetchError, match=r"asks to wait 3600 s .*try again after") as caught:
        download(session, url, Path("unused"))
    assert url in str(caught.value)
    assert fake.sleeps == [] and len(scripted.seen) == 1


def test_fetch_http_a_dropped_connection_is_resumed_with_range(
    scripted: Scripted, tmp_path: Path
) -> None:
    headers = {"ETag": '"v1"'}
    url = scripted.script(
        "/doc.xml",
        Step(200, BODY, headers, drop=150_000),
        Step(200, BODY, headers, ranges=True),
    )
    dest = tmp_path / "doc.xml"
    got = download(polite_session(rate=100, backoff=0.01), url, dest)
    assert dest.read_bytes() == BODY
    assert got.sha256 == hashlib.sha256(BODY).hexdigest() and got.size == len(BODY)
    resumed = re.fullmatch(r"bytes=(\d+)-", scripted.seen[1].headers["range"])
    assert resumed is not None and 0 < int(resumed[1]) <= 150_000
    assert scripted.seen[1].headers["if-range"] == '"v1"'
    assert not part_path(dest).exists()


def test_fetch_http_a_dropped_connection_without_ranges_starts_again(
    scripted: Scripted, tmp_path: Path
) -> None:
    url = scripted.script("/doc.xml", Step(200, BODY, drop=5000), Step(200, BODY))
    dest = tmp_path / "doc.xml"
    got = download(polite_session(rate=100, backoff=0.01), url, dest)
    assert dest.read_bytes() == BODY and got.sha256 == hashlib.sha256(BODY).hexdigest()
    assert "range" not in scripted.seen[1].headers  # no validator: no If-Range possible


def test_fetch_http_never_leaves_a_partial_file_in_place(
    scripted: Scripted, tmp_path: Path
) -> None:
    url = scripted.script("/doc.xml", Step(200, BODY, drop=4000))
    dest = tmp_path / "doc.xml"
    dest.write_bytes(b"the old copy")
    with pytest.raises(FetchError, match=r"dropped after \d+ of 256000 bytes, 3 times") as caught:
        download(polite_session(rate=100, retries=2, backoff=0.01), url, dest)
    assert url in str(caught.value)
    assert dest.read_bytes() == b"the old copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.xml"]


def test_fetch_http_304_leaves_the_file_alone(scripted: Scripted, tmp_path: Path) -> None:
    url = scripted.script("/doc.xml", Step(304, headers={"ETag": '"v1"'}))
    dest = tmp_path / "doc.xml"
    dest.write_bytes(b"kept")
    os.utime(dest, (1_000_000, 1_000_000))
    got = download(polite_session(rate=100), url, dest, etag='"v1"', last_modified="x")
    assert got.status == "unchanged" and got.sha256 is None and got.size == 0
    assert dest.read_bytes() == b"kept" and dest.stat().st_mtime == 1_000_000
    assert scripted.seen[0].headers["if-none-match"] == '"v1"'
    assert scripted.seen[0].headers["if-modified-since"] == "x"


def test_fetch_http_unreachable_port_names_the_address(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/sru"
    session = polite_session(retries=1, backoff=0.01, rate=100)
    with pytest.raises(Unreachable, match=r"connection was refused \(after 1 retry\)") as caught:
        download(session, url, tmp_path / "x.xml")
    assert str(caught.value).startswith(url)


def test_fetch_http_no_answer_in_time(scripted: Scripted) -> None:
    url = scripted.script("/slow", Step(200, b"late", delay=1.0))
    with pytest.raises(Unreachable, match=r"no answer within 0\.2 s"):
        get(polite_session(retries=0, timeout=0.2), url)


def test_fetch_http_a_listing_body_cut_short_is_asked_for_again(scripted: Scripted) -> None:
    url = scripted.script("/sru", Step(200, BODY, drop=5000), Step(200, BODY))
    fake = FakeClock()
    session = polite_session(retries=2, clock=fake.clock, sleep=fake.sleep)
    assert get(session, url).content == BODY
    assert fake.sleeps == [1.0] and len(scripted.seen) == 2  # the backoff, then the pace


def test_fetch_http_a_listing_body_always_cut_short_names_the_retries_made(
    scripted: Scripted,
) -> None:
    url = scripted.script("/sru", Step(200, BODY, drop=5000))
    fake = FakeClock()
    session = polite_session(retries=2, clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(Unreachable, match=r"complete \(after 2 retries\)") as caught:
        get(session, url)
    assert str(caught.value).startswith(url)
    assert fake.sleeps == [1.0, 2.0] and len(scripted.seen) == 3


@pytest.mark.parametrize(
    ("steps", "retries"),
    [
        ([Step(501, b"no")], 0),  # not a status that is retried
        ([Step(404)], 0),
        ([Step(503), Step(503), Step(501)], 2),  # 501 is not retried
        ([Step(503), Step(200, BODY, drop=10), Step(503)], 5),  # 1, the body, then 3 more
    ],
)
def test_fetch_http_a_message_counts_the_retries_that_were_made(
    scripted: Scripted, steps: list[Step], retries: int
) -> None:
    url = scripted.script("/sru", *steps)
    fake = FakeClock()
    with pytest.raises(FetchError) as caught:
        get(polite_session(retries=3, clock=fake.clock, sleep=fake.sleep), url)
    assert len(scripted.seen) == retries + 1
    said = re.search(r"\(after (\d+) retr(?:y|ies)\)", str(caught.value))
    assert (int(said[1]) if said else 0) == retries, str(caught.value)


def test_fetch_http_a_dropped_file_is_asked_for_again_after_the_backoff(
    scripted: Scripted, tmp_path: Path
) -> None:
    url = scripted.script(
        "/doc.xml", Step(200, BODY, drop=100), Step(200, BODY, drop=100), Step(200, BODY)
    )
    fake = FakeClock()
    got = download(polite_session(clock=fake.clock, sleep=fake.sleep), url, tmp_path / "d.xml")
    assert got.size == len(BODY) and len(scripted.seen) == 3
    assert fake.sleeps == [1.0, 2.0]


def test_fetch_http_user_agent_names_kg_and_its_version(scripted: Scripted) -> None:
    from kg import __version__

    polite_session().get(scripted.script("/a", Step(200)))
    assert scripted.seen[0].headers["user-agent"].startswith(f"kg/{__version__} ")


# ----------------------------------------------------------------------------- the manifest


def entry(name: str, title: str = "Brief over de inzet in Irak", **record: Any) -> Entry:
    identifier = name.rsplit(".", 1)[0]
    return Entry(
        name,
        hashlib.sha256(name.encode()).hexdigest(),
        SourceRecord(
            "officielebekendmakingen",
            identifier=identifier,
            url=f"https://zoek.officielebekendmakingen.nl/{identifier}.html",
            title=title,
            submitters=("A. Ministèr", "B. de Vries"),
            **record,
        ),
        etag='"e1"',
    )


def test_fetch_manifest_round_trip_is_sorted_and_deterministic(tmp_path: Path) -> None:
    entries = [entry("kst-2-1.xml", "Brief – één"), entry("kst-1-1.xml", date="2018-09-14")]
    write_manifest(tmp_path, entries)
    first = (tmp_path / MANIFEST).read_bytes()
    write_manifest(tmp_path, reversed(entries))
    assert (tmp_path / MANIFEST).read_bytes() == first
    lines = first.decode("utf-8").splitlines()
    assert [json.loads(line)["file"] for line in lines] == ["kst-1-1.xml", "kst-2-1.xml"]
    assert "één" in lines[1]  # not escaped
    assert list(json.loads(lines[0])) == sorted(json.loads(lines[0]))
    assert read_manifest(tmp_path) == {e.file: e for e in entries}
    records = manifest_records(tmp_path)
    assert records["kst-1-1.xml"] == (entries[1].sha256, entries[1].record)


def test_fetch_manifest_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_manifest(tmp_path, [entry("kst-1-1.xml")])
    before = (tmp_path / MANIFEST).read_bytes()

    def killed(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_manifest(tmp_path, [entry("kst-1-1.xml"), entry("kst-1-2.xml")])
    assert (tmp_path / MANIFEST).read_bytes() == before
    visible = [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert visible == [MANIFEST]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ('["a list"]', "not a JSON object"),
        ('{"file": "a.xml", "source": "x"}', "'sha256' is missing"),
        ('{"file": "a.xml", "source": "x", "sha256": "abc"}', "64 lower-case hexadecimal"),
        ('{"file": "../a.xml", "source": "x", "sha256": "' + "0" * 64 + '"}', "inside the folder"),
        ('{"file": "a.xml", "source": "x", "sha256": "' + "0" * 64 + '", "title": 3}', "'title'"),
    ],
)
def test_fetch_manifest_malformed_line_names_file_and_line(
    tmp_path: Path, line: str, reason: str
) -> None:
    write_manifest(tmp_path, [entry("kst-1-1.xml")])
    path = tmp_path / MANIFEST
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_manifest(tmp_path)
    assert str(caught.value).startswith(f"{path}: line 2: ")
    assert reason in str(caught.value)


def test_fetch_manifest_journal_reads_the_last_line_for_a_file(tmp_path: Path) -> None:
    first, second = entry("kst-2-1.xml"), entry("kst-1-1.xml")
    changed = entry("kst-2-1.xml", "Een andere titel")
    lines = [entry_line(first), entry_line(second), entry_line(changed)]
    lines += [removal_line("kst-1-1.xml"), removal_line("kst-9-9.xml")]
    (tmp_path / MANIFEST).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    assert read_manifest(tmp_path) == {"kst-2-1.xml": changed}


def test_fetch_manifest_journal_appends_then_compacts(tmp_path: Path) -> None:
    write_manifest(tmp_path, [entry("kst-3-1.xml"), entry("kst-1-1.xml")])
    path = tmp_path / MANIFEST
    with Journal(tmp_path) as journal:
        before = path.read_bytes()
        journal.put(entry("kst-2-1.xml"))
        journal.remove("kst-3-1.xml")
        journal.put(entry("kst-1-1.xml", "Nieuw"))
        grown = path.read_bytes()
        assert grown.startswith(before) and grown.count(b"\n") == 5  # appended, in place
        assert read_manifest(tmp_path) == journal.entries
    expected = [entry("kst-1-1.xml", "Nieuw"), entry("kst-2-1.xml")]
    assert read_manifest(tmp_path) == {e.file: e for e in expected}
    compacted = path.read_bytes()
    write_manifest(tmp_path, expected)
    assert compacted == path.read_bytes()  # the bytes of a manifest written whole


def test_fetch_manifest_a_last_line_cut_short_is_left_out(tmp_path: Path) -> None:
    write_manifest(tmp_path, [entry("kst-1-1.xml")])
    path = tmp_path / MANIFEST
    whole = path.read_text(encoding="utf-8")
    path.write_text(whole + entry_line(entry("kst-1-2.xml"))[:40], encoding="utf-8")
    assert sorted(read_manifest(tmp_path)) == ["kst-1-1.xml"]
    with Journal(tmp_path) as journal:  # the cut line goes, so the next one is a line
        assert path.read_text(encoding="utf-8") == whole
        journal.put(entry("kst-1-3.xml"))
    assert sorted(read_manifest(tmp_path)) == ["kst-1-1.xml", "kst-1-3.xml"]


def test_fetch_manifest_of_a_folder_without_one_is_empty(tmp_path: Path) -> None:
    assert read_manifest(tmp_path / "none") == {} and manifest_records(tmp_path) == {}


# ----------------------------------------------------------------------------- the fetch loop


def item(scripted: Scripted, identifier: str, body: bytes, **headers: str) -> Item:
    url = scripted.script(f"/{identifier}.xml", Step(200, body, dict(headers)))
    return Item(identifier, url, ".xml", SourceRecord("test", title=f"Titel {identifier}"))


def listing(items: list[Item], then: Exception | None = None) -> Iterator[Item]:
    yield from items
    if then is not None:
        raise then


def test_fetch_run_records_each_document_and_counts(scripted: Scripted, tmp_path: Path) -> None:
    items = [item(scripted, f"doc-{n}", f"<t>{n}</t>".encode()) for n in range(3)]
    done: list[tuple[int, str, str]] = []
    moment = dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC)
    report = fetch(
        items, tmp_path, polite_session(rate=100), lambda *a: done.append(a), lambda: moment
    )
    assert (report.new, report.failed, report.ok) == (["doc-0", "doc-1", "doc-2"], [], True)
    assert done == [(1, "doc-0", "new"), (2, "doc-1", "new"), (3, "doc-2", "new")]
    entries = read_manifest(tmp_path)
    assert sorted(entries) == ["doc-0.xml", "doc-1.xml", "doc-2.xml"]
    kept = entries["doc-1.xml"]
    assert kept.sha256 == hashlib.sha256(b"<t>1</t>").hexdigest()
    assert kept.record.identifier == "doc-1" and kept.record.title == "Titel doc-1"
    assert kept.record.download_url == items[1].download_url
    assert kept.record.retrieved == "2026-01-02T03:04:05Z"


def test_fetch_run_a_failed_document_does_not_stop_the_others(
    scripted: Scripted, tmp_path: Path
) -> None:
    items = [item(scripted, "a", b"a"), item(scripted, "b", b"b"), item(scripted, "c", b"c")]
    scripted.script("/b.xml", Step(404, b"gone"))
    unsafe = Item("../evil", items[0].download_url, ".xml", SourceRecord("test"))
    report = fetch([*items, unsafe], tmp_path, polite_session(rate=100))
    assert report.new == ["a", "c"]
    assert [i for i, _ in report.failed] == ["b", "../evil"]
    assert "HTTP 404" in report.failed[0][1] and "not a file name" in report.failed[1][1]
    assert sorted(read_manifest(tmp_path)) == ["a.xml", "c.xml"]
    assert not (tmp_path.parent / "evil.xml").exists()


def test_fetch_run_a_listing_that_fails_at_once_leaves_no_folder(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    with pytest.raises(FetchError, match="down"):
        fetch(listing([], FetchError("http://x/sru: down")), folder, polite_session())
    assert not folder.exists()


def test_fetch_run_a_listing_that_fails_later_keeps_what_is_done(
    scripted: Scripted, tmp_path: Path
) -> None:
    items = [item(scripted, "a", b"a")]
    report = fetch(listing(items, FetchError("page 2: down")), tmp_path, polite_session(rate=100))
    assert report.new == ["a"] and report.stopped == "page 2: down" and not report.ok
    assert sorted(read_manifest(tmp_path)) == ["a.xml"]


def test_fetch_run_stops_when_the_service_cannot_be_reached(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    items = [Item(f"d{n}", f"{dead}/d{n}.xml", ".xml", SourceRecord("t")) for n in range(6)]
    report = fetch(items, tmp_path, polite_session(rate=100, retries=0))
    assert len(report.failed) == 3 and report.stopped is not None
    assert "3 documents in a row could not be reached" in report.stopped


def test_fetch_run_a_second_fetch_into_a_folder_is_refused(
    scripted: Scripted, tmp_path: Path
) -> None:
    with fetch_lock(tmp_path), pytest.raises(FolderError, match=rf"process {os.getpid()}\)"):
        fetch([item(scripted, "a", b"a")], tmp_path, polite_session(rate=100))
    assert not (tmp_path / "a.xml").exists()


def test_fetch_folder_lock_closes_its_file_when_there_is_no_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Any] = []

    def no_locks(handle: Any, flags: int) -> None:
        opened.append(handle)
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(FolderError, match=r"cannot write there \(No locks available\)"):
        fetch_lock(tmp_path).__enter__()
    assert len(opened) == 1 and opened[0].closed


def test_fetch_run_a_folder_that_cannot_be_written_is_named(
    scripted: Scripted, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("not a folder")
    folder = tmp_path / "file" / "corpus"
    with pytest.raises(FolderError, match=rf"^{re.escape(str(folder))}: cannot write there"):
        fetch([item(scripted, "a", b"a")], folder, polite_session(rate=100))


def test_fetch_run_a_changed_file_is_never_named_with_its_old_hash(
    scripted: Scripted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed just as the new copy would replace the old: the manifest no longer
    names the file, so it never names a file whose bytes are not the recorded ones."""
    first = item(scripted, "a", b"old", ETag='"1"')
    fetch([first], tmp_path, polite_session(rate=100))
    scripted.script("/a.xml", Step(200, b"new", {"ETag": '"2"'}))
    real_replace = os.replace

    def killed(source: Any, target: Any) -> None:
        if Path(target).name == "a.xml":
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        fetch([first], tmp_path, polite_session(rate=100))
    monkeypatch.undo()
    assert read_manifest(tmp_path) == {}  # the old copy is whole, but no longer named
    assert (tmp_path / "a.xml").read_bytes() == b"old"
    assert not part_path(tmp_path / "a.xml").exists()
    report = fetch([first], tmp_path, polite_session(rate=100))
    assert report.new == ["a"] and (tmp_path / "a.xml").read_bytes() == b"new"


def test_fetch_run_appends_a_line_a_document_and_compacts_at_the_end(
    scripted: Scripted, tmp_path: Path
) -> None:
    """While the fetch runs the manifest only grows (one line a document, in the
    listing's order); at its end it is the sorted manifest written whole."""
    items = [item(scripted, name, name.encode()) for name in ("c", "a", "b")]
    seen: list[bytes] = []

    def watch(*_: Any) -> None:
        seen.append((tmp_path / MANIFEST).read_bytes())

    fetch(items, tmp_path, polite_session(rate=100), watch)
    assert [text.count(b"\n") for text in seen] == [1, 2, 3]
    assert seen[1].startswith(seen[0]) and seen[2].startswith(seen[1])
    assert [json.loads(line)["file"] for line in seen[2].splitlines()] == [
        "c.xml",
        "a.xml",
        "b.xml",
    ]
    compacted = (tmp_path / MANIFEST).read_bytes()
    entries = read_manifest(tmp_path)
    write_manifest(tmp_path, entries.values())
    assert compacted == (tmp_path / MANIFEST).read_bytes()
    assert list(entries) == ["a.xml", "b.xml", "c.xml"]


@pytest.mark.parametrize("changed", [False, True])
def test_fetch_run_killed_between_a_files_replace_and_its_manifest_line(
    scripted: Scripted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: bool
) -> None:
    """The file is in place, its line not yet written: the manifest does not name it
    (nor, when it changed, its old copy), and the next fetch records it."""
    other = item(scripted, "b", b"b")
    first = item(scripted, "a", b"old", ETag='"1"')
    if changed:
        fetch([first], tmp_path, polite_session(rate=100))
        scripted.script("/a.xml", Step(200, b"new", {"ETag": '"2"'}))
    fetch([other], tmp_path, polite_session(rate=100))
    real_replace = os.replace

    def killed(source: Any, target: Any) -> None:
        real_replace(source, target)
        if Path(target).name == "a.xml":
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        fetch([first], tmp_path, polite_session(rate=100))
    monkeypatch.undo()
    assert (tmp_path / "a.xml").read_bytes() == (b"new" if changed else b"old")
    assert sorted(read_manifest(tmp_path)) == ["b.xml"]
    assert_consistent(tmp_path, unnamed=frozenset({"a.xml"}))
    report = fetch([first], tmp_path, polite_session(rate=100))
    assert report.new == ["a"] and report.transferred == 3
    assert sorted(assert_consistent(tmp_path)) == ["a.xml", "b.xml"]


def test_fetch_run_a_file_deleted_from_the_folder_is_new_and_one_edited_changed(
    scripted: Scripted, tmp_path: Path
) -> None:
    items = [item(scripted, "a", b"a", ETag='"a"'), item(scripted, "b", b"b", ETag='"b"')]
    fetch(items, tmp_path, polite_session(rate=100), now=lambda: dt.datetime(2026, 1, 1))
    (tmp_path / "a.xml").unlink()
    (tmp_path / "b.xml").write_bytes(b"edited")
    later = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    report = fetch(items, tmp_path, polite_session(rate=100), now=lambda: later)
    assert (report.new, report.changed, report.unchanged) == (["a"], ["b"], [])
    assert report.transferred == 2
    entries = assert_consistent(tmp_path)
    assert {e.record.retrieved for e in entries.values()} == {"2026-02-01T00:00:00Z"}
    assert all("if-none-match" not in seen.headers for seen in scripted.seen[2:])


def test_fetch_run_a_record_the_listing_cannot_read_fails_alone(
    scripted: Scripted, tmp_path: Path
) -> None:
    listed = [
        Failure("record 1", "http://x/sru: a record without an identifier"),
        item(scripted, "a", b"a"),
        Failure("kst-1-2", "http://x/sru: no record of kst-1-2"),
        item(scripted, "b", b"b"),
    ]
    done: list[tuple[int, str, str]] = []
    report = fetch(listed, tmp_path, polite_session(rate=100), lambda *a: done.append(a))
    assert report.new == ["a", "b"] and not report.ok and not report.again
    assert [i for i, _ in report.failed] == ["record 1", "kst-1-2"]
    assert [outcome for _, _, outcome in done] == ["failed", "new", "failed", "new"]
    assert [n for n, _, _ in done] == [1, 2, 3, 4]
    nothing = tmp_path / "nothing"
    report = fetch(listed[2:3], nothing, polite_session(rate=100))
    assert report.failed == [("kst-1-2", "http://x/sru: no record of kst-1-2")]
    assert not nothing.exists()  # nothing to download: the folder is not touched


def test_fetch_run_a_request_error_the_listing_let_through_is_a_fetch_error(
    scripted: Scripted, tmp_path: Path
) -> None:
    cut = requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead")
    with pytest.raises(FetchError, match="closed before the answer was complete"):
        fetch(listing([], cut), tmp_path / "none", polite_session(rate=100))
    report = fetch(listing([item(scripted, "a", b"a")], cut), tmp_path, polite_session(rate=100))
    assert report.new == ["a"] and report.again
    assert report.stopped is not None and "closed before the answer was complete" in report.stopped


# ----------------------------------------------------------------------------- end to end


def assert_consistent(folder: Path, unnamed: frozenset[str] = frozenset()) -> dict[str, Entry]:
    """Every file the manifest names is whole (its SHA-256 is the recorded one); every
    other file is hidden, the manifest, or one of ``unnamed``."""
    entries = read_manifest(folder)
    for name, kept in entries.items():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == kept.sha256, name
    others = {
        p.name for p in folder.iterdir() if p.name not in entries and not p.name.startswith(".")
    }
    assert others <= {MANIFEST, *unnamed}, others
    return entries


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def fake() -> Iterator[FakeServices]:
    with FakeServices(seed_documents(generated=8)) as services:
        yield services


def kg_fetch(runner: CliRunner, fake: FakeServices, *args: str) -> Any:
    return runner.invoke(
        cli,
        ["fetch", *args, "--sru-url", fake.sru_url, "--odata-url", fake.odata_url, "--rate", "100"],
    )


def file_requests(fake: FakeServices) -> list[tuple[int, int]]:
    """(status, body bytes) of each request for a file of the repository."""
    return [(r.status, r.sent) for r in logged(fake) if r.path.startswith(REPOSITORY)]


def logged(fake: FakeServices) -> list[Any]:
    """The fake's log once it is complete: it logs a request after sending the answer,
    so the client can be done a moment before the log is."""
    seen = -1
    while seen != len(fake.requests):
        seen = len(fake.requests)
        time.sleep(0.05)
    return list(fake.requests)


@pytest.mark.slow
def test_fetch_cli_dossier_then_build(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    result = kg_fetch(runner, fake, "dossier", "27925", "--to", str(corpus), "--limit", "4")
    assert result.exit_code == 0, result.output
    assert "4 new, 0 changed, 0 unchanged, 0 failed" in result.stderr
    assert f"Next: kg build {corpus}" in result.stderr
    assert re.search(r"\[4 of at most 4\] kst-27925-\d+: new, [\d.]+ documents/s", result.stderr)
    entries = assert_consistent(corpus)
    assert len(entries) == 4 and all(name.endswith(".xml") for name in entries)
    kept = next(iter(entries.values()))
    assert kept.record.source == "officielebekendmakingen" and kept.record.dossier == "27925"
    assert kept.record.url and kept.record.download_url and kept.record.retrieved
    built = runner.invoke(cli, ["build", str(corpus), "--out", str(out), "-q"])
    assert built.exit_code == 0, built.output
    assert "kg-manifest" not in built.output  # the manifest is not read as a document


def test_fetch_cli_again_transfers_nothing(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    corpus = tmp_path / "corpus"
    assert kg_fetch(runner, fake, "dossier", "27925", "--to", str(corpus)).exit_code == 0
    first = snapshot(corpus)
    count = len(file_requests(fake))
    fake.clear()
    result = kg_fetch(runner, fake, "dossier", "27925", "--to", str(corpus))
    assert result.exit_code == 0, result.output
    assert f"0 new, 0 changed, {count} unchanged, 0 failed (0 bytes" in result.stderr
    assert file_requests(fake) == [(304, 0)] * count
    assert snapshot(corpus) == first


def test_fetch_cli_a_changed_document_is_fetched_again(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    corpus = tmp_path / "corpus"
    args = ("dossier", "27925", "--to", str(corpus), "--since", "2019-01-01", "--limit", "3")
    assert kg_fetch(runner, fake, *args).exit_code == 0
    before = read_manifest(corpus)
    changed = sorted(before)[1].removesuffix(".xml")
    fake.change(changed, ["Een geheel nieuwe alinea over 450 militairen."])
    fake.clear()
    result = kg_fetch(runner, fake, *args)
    assert result.exit_code == 0, result.output
    assert "0 new, 1 changed, 2 unchanged, 0 failed" in result.stderr
    assert sorted(status for status, _ in file_requests(fake)) == [200, 304, 304]
    after = assert_consistent(corpus)
    assert after[f"{changed}.xml"].sha256 != before[f"{changed}.xml"].sha256
    assert b"450 militairen" in (corpus / f"{changed}.xml").read_bytes()


@pytest.mark.slow
def test_fetch_cli_killed_midway_then_rerun_completes(tmp_path: Path, fake: FakeServices) -> None:
    corpus = tmp_path / "corpus"
    fake.delay(REPOSITORY, 0.25)
    command = [sys.executable, "-m", "kg", "fetch", "dossier", "27925", "--to", str(corpus)]
    environment = {**os.environ, "KG_SRU_URL": fake.sru_url}
    process = subprocess.Popen(
        [*command, "--rate", "100"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if (corpus / MANIFEST).exists() and len(read_manifest(corpus)) >= 3:
                break
            time.sleep(0.02)
        time.sleep(0.1)  # into the middle of the next document
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=10)
    done = assert_consistent(corpus)
    listed = [d for d in fake.documents.values() if d.dossier == "27925" and d.in_repository]
    assert 3 <= len(done) < len(listed)
    fake.clear()
    rerun = subprocess.run(
        [*command, "--rate", "100"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert rerun.returncode == 0, rerun.stderr
    entries = assert_consistent(corpus)
    assert len(entries) == len(listed)
    for name in done:
        asked = [r for r in logged(fake) if r.path.endswith("/" + name)]
        assert [(r.status, r.sent) for r in asked] == [(304, 0)], name
    assert not list(corpus.glob(".*.part"))


def test_fetch_cli_unreachable_service_exits_1_and_leaves_the_folder(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    corpus = tmp_path / "corpus"
    assert (
        kg_fetch(runner, fake, "dossier", "27925", "--to", str(corpus), "--limit", "2").exit_code
        == 0
    )
    before = snapshot(corpus)
    dead = f"http://127.0.0.1:{free_port()}/sru"
    for folder in (corpus, tmp_path / "new"):
        result = runner.invoke(
            cli,
            ["fetch", "dossier", "27925", "--to", str(folder), "--sru-url", dead, "--retries", "0"],
        )
        assert result.exit_code == 1
        assert dead in result.stderr and "refused" in result.stderr
        assert "Traceback" not in result.output
        assert f"nothing fetched; {folder}/ is left as it was" in result.stderr
    assert snapshot(corpus) == before
    assert not (tmp_path / "new").exists()


def test_fetch_cli_waits_out_503_and_429(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    fake.fail("/sru", 503, retry_after=1)
    fake.fail(REPOSITORY, 429, retry_after=0)
    corpus = tmp_path / "corpus"
    result = kg_fetch(runner, fake, "dossier", "27925", "--to", str(corpus), "--limit", "2")
    assert result.exit_code == 0, result.output
    statuses = [r.status for r in logged(fake)]
    assert statuses[:2] == [503, 200] and statuses[2:4] == [429, 200]
    assert len(assert_consistent(corpus)) == 2


def test_fetch_cli_a_too_long_wait_fails_clearly(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    fake.fail("/sru", 503, retry_after=7200)
    result = kg_fetch(runner, fake, "dossier", "27925", "--to", str(tmp_path / "c"))
    assert result.exit_code == 1
    assert "503" in result.stderr and "Traceback" not in result.output


def test_fetch_cli_a_malformed_listing_exits_1(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    fake.malformed("/sru")
    result = kg_fetch(runner, fake, "dossier", "27925", "--to", str(tmp_path / "c"))
    assert result.exit_code == 1
    assert fake.sru_url in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "c").exists()


def test_fetch_cli_a_dropped_file_is_fetched_whole(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    fake.drop(REPOSITORY, after_bytes=100, times=2)
    corpus = tmp_path / "corpus"
    result = kg_fetch(runner, fake, "dossier", "27925", "--to", str(corpus), "--limit", "2")
    assert result.exit_code == 0, result.output
    # a body cut short before a whole chunk arrived is asked for again from its start
    assert [status for status, _ in file_requests(fake)] == [200, 200, 200, 200]
    assert len(assert_consistent(corpus)) == 2


def test_fetch_cli_ids_names_the_missing_and_keeps_the_others(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    corpus = tmp_path / "corpus"
    result = kg_fetch(runner, fake, "ids", "kst-27925-5101", "kst-27925-9999", "--to", str(corpus))
    assert result.exit_code == 1
    assert f"kg: failed kst-27925-9999: {fake.sru_url}: no record of kst-27925-9999" in (
        result.stderr
    )
    assert "1 new, 0 changed, 0 unchanged, 1 failed: kst-27925-9999" in result.stderr
    assert "run the same command again" not in result.stderr  # it would not be found then
    assert sorted(assert_consistent(corpus)) == ["kst-27925-5101.xml"]


def test_fetch_cli_tweedekamer_and_format(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    tk, pdf = tmp_path / "tk", tmp_path / "pdf"
    result = kg_fetch(
        runner, fake, "dossier", "27925", "--source", "tweedekamer", "--to", str(tk), "--limit", "2"
    )
    assert result.exit_code == 0, result.output
    entries = assert_consistent(tk)
    assert all(n.endswith(".pdf") and re.match(r"\d{4}D\d+", n) for n in entries)
    assert {e.record.source for e in entries.values()} == {"tweedekamer"}
    result = kg_fetch(
        runner, fake, "search", "Irak", "--format", "pdf", "--to", str(pdf), "--limit", "1"
    )
    assert result.exit_code == 0, result.output
    assert [n[-4:] for n in assert_consistent(pdf)] == [".pdf"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2019-13-01"], "Invalid value for '--since'"),
        (["--since", "2020-01-01", "--until", "2019-01-01"], "is after --until"),
        (["--source", "tweedekamer", "--format", "pdf"], "leave it out with --source tweedekamer"),
        (["--rate", "0"], "Invalid value for '--rate'"),
    ],
)
def test_fetch_cli_bad_arguments_are_usage_errors(
    tmp_path: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    folder = tmp_path / "c"
    result = runner.invoke(cli, ["fetch", "dossier", "27925", "--to", str(folder), *args])
    assert result.exit_code == 2 and message in result.stderr
    assert not folder.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dossier", "Irak"], "dossier 'Irak': not a dossier number; give its digits"),
        (["dossier", "Irak", "--source", "tweedekamer"], "as in 27925 or 36200-V"),
        (["ids", "kst-27925-5101", "27925-946"], "'27925-946': not an identifier of offic"),
        (["ids", "blg-123456", "--source", "tweedekamer"], "give a document number (2018D45001)"),
        (["search", " "], "search: no words to search for"),
    ],
)
def test_fetch_cli_an_argument_the_service_cannot_take_is_a_usage_error(
    tmp_path: Path, runner: CliRunner, fake: FakeServices, args: list[str], message: str
) -> None:
    folder = tmp_path / "c"
    result = kg_fetch(runner, fake, *args, "--to", str(folder))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Usage: " in result.stderr
    assert "Traceback" not in result.output
    assert fake.requests == [] and not folder.exists()


def test_fetch_cli_a_record_kg_cannot_read_fails_alone(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    corpus = tmp_path / "corpus"
    listed = sorted(
        (d for d in fake.documents.values() if d.dossier == "27925" and d.in_repository),
        key=lambda d: d.date,
    )
    fake.misreport(listed[1].identifier, without=["identifier"])
    result = kg_fetch(runner, fake, "dossier", "27925", "--to", str(corpus), "--limit", "3")
    assert result.exit_code == 1, result.output
    assert re.search(
        rf"kg: failed record 2: {re.escape(fake.sru_url)}\?\S+: a record without", result.stderr
    )
    assert "2 new, 0 changed, 0 unchanged, 1 failed: record 2" in result.stderr
    assert "run the same command again" not in result.stderr  # it would fail again
    assert sorted(assert_consistent(corpus)) == [f"{d.identifier}.xml" for d in listed[0:3:2]]


def test_fetch_cli_a_folder_in_use_is_refused(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    with fetch_lock(tmp_path):
        result = kg_fetch(runner, fake, "dossier", "27925", "--to", str(tmp_path), "--limit", "1")
    assert result.exit_code == 2
    assert f"another kg fetch (process {os.getpid()})" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_FILE]


def test_fetch_cli_a_malformed_manifest_is_named_and_left_alone(
    tmp_path: Path, runner: CliRunner, fake: FakeServices
) -> None:
    (tmp_path / MANIFEST).write_text('{"file": "a.xml"}\n', encoding="utf-8")
    # the part file of another document: the fetch of this one does not overwrite it
    (tmp_path / ".kst-27925-5102.xml.part").write_bytes(b"left by a stopped fetch")
    result = kg_fetch(runner, fake, "ids", "kst-27925-5101", "--to", str(tmp_path))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{tmp_path / MANIFEST}: line 1: 'sha256' is missing" in result.stderr
    assert (tmp_path / MANIFEST).read_text(encoding="utf-8") == '{"file": "a.xml"}\n'
    assert (tmp_path / ".kst-27925-5102.xml.part").exists()
    (tmp_path / MANIFEST).unlink()
    assert kg_fetch(runner, fake, "ids", "kst-27925-5101", "--to", str(tmp_path)).exit_code == 0
    assert not list(tmp_path.glob(".*.part"))  # what a stopped fetch left is cleared


def test_fetch_cli_help_names_the_services_real_addresses(runner: CliRunner) -> None:
    assert FETCH_SOURCES["officielebekendmakingen"][1] == SRU_URL
    assert FETCH_SOURCES["tweedekamer"][1] == ODATA_URL
    text = runner.invoke(cli, ["fetch", "ids", "--help"], terminal_width=200).output
    assert SRU_URL in text and ODATA_URL in text
    assert "KG_SRU_URL" in text and "KG_ODATA_URL" in text
