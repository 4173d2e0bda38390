"""Files and folders shared by the build and the fetch: one process at a time in a
folder, a file written whole or not at all, and the SHA-256 of a file as a document
records it."""

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
    except OSError:  # no lock to be had (ENOLCK: a file system without locks)
        handle.close()
        raise
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


def write_atomic(path: Path, data: bytes, *, sync: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a hidden file beside it
    (``.NAME.part``), with ``sync`` synced to disk first (what must outlast a crash of
    the machine, not only of the process), then put in place with :func:`os.replace`;
    a write that fails leaves ``path`` as it was and no hidden file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_atomic(Path(folder) / "a.txt", b"whole")
    ...     sorted(p.name for p in Path(folder).iterdir())
    ['a.txt']
    """
    part = path.with_name(f".{path.name}.part")
    try:
        with part.open("wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


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
