"""Reading documents on a Dask cluster: ``kg build --dask ADDRESS``.

The map over documents runs on Dask's workers (the ``distributed`` extra): each task
reads one document from its bytes, sent with the task, so a worker needs no access to
the input folder, and gives back the document's graph as N-Quads
(:class:`kg.pipeline.Extracted`). The build takes the results in input order and
bulk-loads them into its store as a local build does, so the graph is the same bytes.
A few tasks per worker are under way at a time: results never pile up in memory.

``ADDRESS`` is a scheduler's address (``tcp://host:8786``) or ``local``: a cluster of
worker processes on this machine, one per job, started and stopped by the build.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from itertools import islice
from typing import Any

from kg.errors import KgError
from kg.ingest import Rejection
from kg.pipeline import Extracted, Input, extract_document

LOCAL = "local"
IN_FLIGHT = 4  # tasks under way per worker
CONNECT_SECONDS = 30


def extract_on_dask(
    address: str, todo: list[Input], debug: bool, jobs: int
) -> Iterator[Extracted | Rejection]:
    """The documents of ``todo`` read on the cluster at ``address``, in input order."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:
        raise KgError(
            "kg build --dask needs Dask's distributed scheduler: pip install -e '.[distributed]'"
        ) from err
    cluster: Any = None
    try:
        if address == LOCAL:
            cluster = LocalCluster(
                n_workers=max(1, jobs),
                threads_per_worker=1,  # the text stages hold the GIL: one document per process
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise KgError(f"cannot reach the Dask scheduler at {address} ({err})") from err
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        items = iter(todo)
        pending = deque(_submit(client, item, debug) for item in islice(items, IN_FLIGHT * workers))
        while pending:
            done = pending.popleft().result()
            for item in islice(items, 1):
                pending.append(_submit(client, item, debug))
            yield done
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _submit(client: Any, item: Input, debug: bool) -> Any:
    """A task reading one document, its bytes sent along; an unreadable file is a
    rejection at once, without a task."""
    try:
        data = item.path.read_bytes()
    except OSError as err:
        return _Done(Rejection(str(item.path), f"cannot be read ({err.strerror or err})"))
    # pure=False: a task of its own, even for bytes another document has too
    return client.submit(extract_document, item, debug, data, pure=False)


class _Done:
    """A result known without a task, shaped as a future."""

    def __init__(self, value: Extracted | Rejection) -> None:
        self.value = value

    def result(self) -> Extracted | Rejection:
        return self.value
