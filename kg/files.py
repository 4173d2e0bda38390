"""Files and folders shared by the build and the fetch: one process at a time in a
folder, and the SHA-256 of a file as a document records it."""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def folder_lock(folder: Path, name: str, busy: Callable[[str], Exception]) -> Iterator[None]:
    """Hold ``folder`` (made if need be) through the lock file ``name`` in it, which
    names the holding process; where another process holds it, raise ``busy(pid)`` at
    once. The operating system lets go of the lock when its process ends, however it
    ends (SIGKILL included), so a stale lock file never keeps anyone out."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / name).open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        other = handle.read().strip() or "unknown"
        handle.close()
        raise busy(other) from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, as the document records it; None if unreadable."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
