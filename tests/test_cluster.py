"""Builds on a Dask cluster (kg build --dask): a LocalCluster build gives the same graph,
byte for byte, as a build in one process, and a scheduler that cannot be reached is a
clear error that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import cluster
from kg.errors import KgError
from kg.pipeline import build

pytest.importorskip("distributed", reason="the distributed extra is not installed")


@pytest.fixture
def inputs(three_seeds_and_a_broken_pdf: Path) -> Path:
    return three_seeds_and_a_broken_pdf


@pytest.mark.slow
def test_cluster_a_local_dask_build_is_the_same_graph_as_a_local_one(
    inputs: Path, tmp_path: Path
) -> None:
    here = build([inputs], tmp_path / "here", jobs=1)
    there = build([inputs], tmp_path / "there", jobs=2, cluster=cluster.LOCAL)
    assert [b.name for b in there.built] == [b.name for b in here.built]
    assert len(there.built) == 3
    assert [r.path for r in there.rejected] == [r.path for r in here.rejected]
    assert (tmp_path / "there" / "graph.trig").read_bytes() == (
        tmp_path / "here" / "graph.trig"
    ).read_bytes()
    # an incremental build on the cluster reads only the changed document
    changed = sorted(inputs.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEinde.\n", encoding="utf-8")
    again = build([inputs], tmp_path / "there", jobs=2, cluster=cluster.LOCAL)
    assert [b.name for b in again.built] == [changed.name] and len(again.kept) == 2


def test_cluster_a_scheduler_that_cannot_be_reached_is_a_clear_error(
    inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 2)
    out = tmp_path / "out"
    with pytest.raises(KgError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        build([inputs], out, cluster="tcp://127.0.0.1:9")
    assert not (out / "store").exists() and not (out / ".store.building").exists()
