"""The manifest of a fetched folder: ``kg-manifest.jsonl``, one JSON line a document.

Each line names a file of the folder (relative, forward slashes) with its SHA-256,
the validators the server gave (ETag, Last-Modified) and the service's record of the
document, every field of :class:`~kg.model.SourceRecord` (identifier, official page,
download address, time of retrieval, type, dossier, number, date, title,
submitters). The lines are sorted by file name, the keys of each line too, so the
same entries give the same bytes. ``kg fetch`` writes it whole after every document
(a temporary file put in place with :func:`os.replace`): every file it names is
complete and has the recorded SHA-256. ``kg build`` reads it with
:func:`manifest_records` and applies a record only to a file whose SHA-256 still
matches; it ignores the file itself, whose suffix it does not read.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from kg.errors import InputError
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

    @property
    def identifier(self) -> str | None:
        return self.record.identifier


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
    try:
        values = json.loads(line)
    except json.JSONDecodeError as err:
        raise ValueError(f"not JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(values, dict):
        raise ValueError("not a JSON object")
    for name in ("file", "sha256", "source"):
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
    file = values["file"]
    if not safe_name(file):
        raise ValueError(f"'file' {file!r} is not a plain relative name inside the folder")
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
    """The entries of ``folder``'s manifest by file name; empty when it has none.
    A line that cannot be read is an :class:`~kg.errors.InputError` naming the file
    and the line."""
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(str(path), f"cannot read the manifest ({err})") from err
    entries: dict[str, Entry] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = parse_entry(line)
        except ValueError as err:
            raise InputError(
                str(path),
                f"line {number}: {err}; repair or delete the line (kg fetch then fetches that "
                "document again)",
            ) from None
        if entry.file in entries:
            raise InputError(
                str(path),
                f"line {number}: '{entry.file}' is named on line {lines[entry.file]} already; "
                "delete one of the two lines",
            )
        entries[entry.file] = entry
        lines[entry.file] = number
    return entries


def write_manifest(folder: Path, entries: Iterable[Entry]) -> None:
    """Write ``folder``'s manifest: the entries sorted by file name, into a hidden
    temporary file put in place at once, so the manifest is always whole."""
    ordered = sorted(entries, key=lambda entry: entry.file)
    text = "".join(entry_line(entry) + "\n" for entry in ordered)
    path = folder / MANIFEST
    part = folder / f".{MANIFEST}.part"
    with part.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(part, path)


def manifest_records(folder: Path) -> dict[str, tuple[str, SourceRecord]]:
    """For ``kg build``: the file names (relative to ``folder``, forward slashes) its
    manifest names, each with the SHA-256 it had when it was fetched and the
    service's record of it; empty when the folder has no manifest."""
    return {name: (entry.sha256, entry.record) for name, entry in read_manifest(folder).items()}
