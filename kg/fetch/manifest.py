"""The manifest of a fetched folder: ``kg-manifest.jsonl``, one JSON line a document.

Each line names a file of the folder (relative, forward slashes) with its SHA-256,
the validators the server gave (ETag, Last-Modified) and the service's record of the
document, every field of :class:`~kg.model.SourceRecord` (identifier, official page,
download address, time of retrieval, type, dossier, number, date, title,
submitters). The keys of each line are sorted.

While ``kg fetch`` runs, the manifest is a journal (:class:`Journal`): a line is
appended and synced to disk for each document, and a line ``{"file": NAME,
"removed": true}`` takes a file's entry out before a changed copy replaces it. It is
read as "the last line for a file wins". At the end of every fetch it is compacted:
written again, one line a file sorted by file name, whole or not at all
(:func:`kg.files.write_atomic`), so the same entries give the same bytes; a fetch
that was killed leaves a journal that reads as the same entries. Either way every
file the manifest names is complete and has the recorded SHA-256. ``kg build``
reads it with :func:`manifest_records` and applies a record only to a file whose
SHA-256 still matches; it ignores the file itself, whose suffix it does not read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, fields
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from kg.errors import InputError
from kg.files import write_atomic
from kg.model import SourceRecord

MANIFEST = "kg-manifest.jsonl"
RECORD_FIELDS = tuple(field.name for field in fields(SourceRecord))
SHA256 = re.compile(r"\A[0-9a-f]{64}\Z")


@dataclass(frozen=True, slots=True)
class Entry:
    """One document of the manifest: its file in the folder, the file's SHA-256, the
    validators for a conditional request, and the service's record of it."""

    file: str  # relative to the folder, forward slashes: "kst-27925-946.xml"
    sha256: str
    record: SourceRecord
    etag: str | None = None
    last_modified: str | None = None


def entry_line(entry: Entry) -> str:
    """The manifest line of ``entry`` (without its newline): one JSON object, sorted
    keys, non-ASCII as it is.

    >>> record = SourceRecord("officielebekendmakingen", identifier="kst-1-2", title="Brief")
    >>> line = entry_line(Entry("kst-1-2.xml", "0" * 64, record))
    >>> line[:48]
    '{"date": null, "doc_type": null, "dossier": null'
    >>> parse_entry(line) == Entry("kst-1-2.xml", "0" * 64, record)
    True
    """
    values: dict[str, Any] = {name: getattr(entry.record, name) for name in RECORD_FIELDS}
    values["submitters"] = list(entry.record.submitters)
    values.update(
        file=entry.file, sha256=entry.sha256, etag=entry.etag, last_modified=entry.last_modified
    )
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def parse_entry(line: str) -> Entry:
    """The entry of one manifest line; :class:`ValueError` saying what is wrong."""
    entry = parse_line(line)
    if isinstance(entry, str):
        raise ValueError("a line that takes an entry out, not an entry")
    return entry


def removal_line(file: str) -> str:
    """The journal line that takes ``file``'s entry out of the manifest.

    >>> removal_line("kst-1-2.xml")
    '{"file": "kst-1-2.xml", "removed": true}'
    >>> parse_line(removal_line("kst-1-2.xml"))
    'kst-1-2.xml'
    """
    return json.dumps({"file": file, "removed": True}, sort_keys=True, ensure_ascii=False)


def parse_line(line: str) -> Entry | str:
    """The entry of one manifest line, or the file name of a line that takes an entry
    out (:func:`removal_line`); :class:`ValueError` saying what is wrong."""
    try:
        values = json.loads(line)
    except json.JSONDecodeError as err:
        raise ValueError(f"not JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(values, dict):
        raise ValueError("not a JSON object")
    file = values.get("file")
    if not isinstance(file, str) or not file:
        raise ValueError("'file' is missing or not a string")
    if not safe_name(file):
        raise ValueError(f"'file' {file!r} is not a plain relative name inside the folder")
    if values.get("removed") is True:
        return file
    for name in ("sha256", "source"):
        if not isinstance(values.get(name), str) or not values[name]:
            raise ValueError(f"'{name}' is missing or not a string")
    for name in (*RECORD_FIELDS, "etag", "last_modified"):
        if name != "submitters" and not isinstance(values.get(name), str | None):
            raise ValueError(f"'{name}' is not a string")
    submitters = values.get("submitters", [])
    if not isinstance(submitters, list) or not all(isinstance(s, str) for s in submitters):
        raise ValueError("'submitters' is not a list of strings")
    if not SHA256.match(values["sha256"]):
        raise ValueError("'sha256' is not 64 lower-case hexadecimal digits")
    kept: dict[str, Any] = {name: values.get(name) for name in RECORD_FIELDS}
    kept["submitters"] = tuple(submitters)
    record = SourceRecord(**kept)
    return Entry(file, values["sha256"], record, values.get("etag"), values.get("last_modified"))


def safe_name(name: str) -> bool:
    """Whether ``name`` is a file name relative to a folder that stays inside it and is
    not hidden (what a manifest may name).

    >>> [safe_name(n) for n in ("kst-1-2.xml", "a/b.pdf", "../x.xml", "/etc/x", ".x.part")]
    [True, True, False, False, False]
    """
    parts = name.split("/")
    return (
        "\\" not in name
        and "\0" not in name
        and all(part and not part.startswith(".") for part in parts)
    )


def read_manifest(folder: Path) -> dict[str, Entry]:
    """The entries of ``folder``'s manifest by file name, the last line for a file
    winning (a journal a fetch was stopped in reads so too); empty when it has none.
    A line that cannot be read is an :class:`~kg.errors.InputError` naming the file
    and the line; a last line cut short (no newline: a fetch stopped as it wrote it)
    is left out."""
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(str(path), f"cannot read the manifest ({err})") from err
    entries: dict[str, Entry] = {}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = parse_line(line)
        except ValueError as err:
            if number == len(lines):  # no newline after it: its writing was cut short
                break
            raise InputError(
                str(path),
                f"line {number}: {err}; repair or delete the line (kg fetch then fetches that "
                "document again)",
            ) from None
        if isinstance(entry, str):
            entries.pop(entry, None)
        else:
            entries[entry.file] = entry
    return entries


def manifest_text(entries: Iterable[Entry]) -> str:
    """The compacted manifest of ``entries``: one line each, sorted by file name."""
    ordered = sorted(entries, key=lambda entry: entry.file)
    return "".join(entry_line(entry) + "\n" for entry in ordered)


def write_manifest(folder: Path, entries: Iterable[Entry]) -> None:
    """Write ``folder``'s manifest compacted (:func:`manifest_text`), whole or not at
    all."""
    write_atomic(folder / MANIFEST, manifest_text(entries).encode("utf-8"), sync=True)


class Journal:
    """``folder``'s manifest while a fetch writes it (the fetch holds the folder).

    :attr:`entries` are those the manifest reads as; :meth:`put` and :meth:`remove`
    change one and append its line, synced to disk before they return; :meth:`close`
    compacts the manifest (where its bytes are not the compacted ones already) and
    closes it. Opening it reads the manifest (an :class:`~kg.errors.InputError` when a
    line cannot be read, the folder untouched) and compacts a manifest whose last
    line was cut short, so that what is appended starts a line of its own.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self.entries = read_manifest(folder)
        self._handle: IO[str] | None = None
        if self.path.exists() and not _ends_a_line(self.path):
            write_manifest(folder, self.entries.values())

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is None:
            self.close()
        else:  # the manifest reads as the entries whether compacted or not
            with suppress(OSError):
                self.close()

    def put(self, entry: Entry) -> None:
        """Record ``entry``, superseding any entry of its file."""
        self._append(entry_line(entry))
        self.entries[entry.file] = entry

    def remove(self, file: str) -> None:
        """Take ``file``'s entry out (before the file is replaced by other bytes)."""
        if file in self.entries:
            self._append(removal_line(file))
            del self.entries[file]

    def close(self) -> None:
        """Compact the manifest, and close it."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        text = manifest_text(self.entries.values())
        try:
            current = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = ""
        if current != text:
            write_atomic(self.path, text.encode("utf-8"), sync=True)

    def _append(self, line: str) -> None:
        if self._handle is None:
            self._handle = self.path.open("a", encoding="utf-8", newline="\n")
        self._handle.write(line + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())


def _ends_a_line(path: Path) -> bool:
    """Whether the file is empty or ends with a newline."""
    with path.open("rb") as handle:
        if handle.seek(0, os.SEEK_END) == 0:
            return True
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def manifest_records(folder: Path) -> dict[str, tuple[str, SourceRecord]]:
    """For ``kg build``: the file names (relative to ``folder``, forward slashes) its
    manifest names, each with the SHA-256 it had when it was fetched and the
    service's record of it; empty when the folder has no manifest."""
    return {name: (entry.sha256, entry.record) for name, entry in read_manifest(folder).items()}
