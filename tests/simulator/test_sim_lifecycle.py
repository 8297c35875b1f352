"""Lifecycle operations: deploy, scale, leadership, upgrades, rescheduling, failures, state."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import ops
import pytest

from jujusim import HookLimitError, HookRecord, Simulator
from tests.simulator.charms import (
    PEER_META,
    PROV_META,
    REQ_META,
    ProbeCharm,
    ProviderCharm,
    RequirerCharm,
    StoredCharm,
    hook,
    probe,
)


def _hooks_of(records: list[HookRecord], unit: str) -> list[str]:
    return [r.hook for r in records if r.unit == unit]


def test_deploying_runs_install_leader_elected_config_changed_start(sim: Simulator) -> None:
    """The first unit is leader and runs leader-elected; the others do not."""
    units = sim.add_app("req", probe({}), REQ_META, units=2)
    assert units == ["req/0", "req/1"]
    records = sim.run_until_quiet()
    assert _hooks_of(records, "req/0") == ["install", "leader-elected", "config-changed", "start"]
    assert _hooks_of(records, "req/1") == ["install", "config-changed", "start"]
    assert sim.units("req") == ["req/0", "req/1"]
    assert sim.leader("req") == "req/0"


def test_a_new_unit_enters_existing_relations_and_is_joined_by_the_other_side(
    sim: Simulator,
) -> None:
    """add_unit: the unit runs relation-created after install, then joins; others join it."""
    sim.add_app("prov", ProviderCharm, PROV_META)
    sim.add_app("req", RequirerCharm, REQ_META)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    assert sim.add_unit("req") == "req/1"
    records = sim.run_until_quiet()
    mine = _hooks_of(records, "req/1")
    assert mine[:2] == ["install", "k8s-service-relation-created"]
    assert mine.index("start") < mine.index("k8s-service-relation-joined")
    assert ("prov/0", "k8s-service-relation-joined", "req/1") in [
        (r.unit, r.hook, r.remote_unit) for r in records
    ]
    assert sim.unit_data(rid, "req/1") == {"seen-port": "80"}


def test_removing_a_unit_tears_down_its_relations_then_stops_and_removes_it(
    sim: Simulator,
) -> None:
    """The unit departs (as the departing unit) and breaks; the other side sees it depart."""
    sim.add_app("prov", probe({}), PROV_META)
    sim.add_app("req", probe({}), REQ_META, units=2)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    sim.remove_unit("req/1")
    assert sim.units("req") == ["req/0"]
    records = sim.run_until_quiet()
    mine = [(r.hook, r.remote_unit, r.departing_unit) for r in records if r.unit == "req/1"]
    assert mine == [
        ("k8s-service-relation-departed", "prov/0", "req/1"),
        ("k8s-service-relation-broken", None, None),
        ("stop", None, None),
        ("remove", None, None),
    ]
    theirs = [(r.hook, r.remote_unit, r.departing_unit) for r in records if r.unit == "prov/0"]
    assert theirs == [("k8s-service-relation-departed", "req/1", "req/1")]
    assert _hooks_of(records, "req/0") == []


def test_removing_a_peer_unit_departs_it_on_the_other_peers(sim: Simulator) -> None:
    """Peers see the removed unit depart; the removed unit departs its peers too."""
    sim.add_app("peer", probe({}), PEER_META, units=3)
    sim.run_until_quiet()
    sim.remove_unit("peer/2")
    records = sim.run_until_quiet()
    departed = sorted(
        (r.unit, r.remote_unit) for r in records if r.hook == "cluster-relation-departed"
    )
    assert departed == [
        ("peer/0", "peer/2"),
        ("peer/1", "peer/2"),
        ("peer/2", "peer/0"),
        ("peer/2", "peer/1"),
    ]
    assert _hooks_of(records, "peer/2")[-2:] == ["stop", "remove"]


def test_removing_the_leader_elects_the_lowest_remaining_unit(sim: Simulator) -> None:
    """When the leader is gone, another unit becomes leader and runs leader-elected."""
    sim.add_app("req", probe({}), REQ_META, units=3)
    sim.run_until_quiet()
    sim.remove_unit("req/0")
    records = sim.run_until_quiet()
    assert sim.leader("req") == "req/1"
    assert [r.unit for r in records if r.hook == "leader-elected"] == ["req/1"]
    assert records.index(next(r for r in records if r.hook == "leader-elected")) > records.index(
        next(r for r in records if r.hook == "remove")
    )


def test_a_kubernetes_upgrade_stops_the_old_pod_then_runs_upgrade_config_changed_start(
    sim: Simulator,
) -> None:
    """The old pod runs stop with its state; the new pod, state lost, runs the upgrade trio."""
    sim.add_app("store", StoredCharm, REQ_META, units=2)
    deployed = sim.run_until_quiet()
    assert sim.state_bytes("store/0") > 0

    class StoredCharmV2(StoredCharm):
        pass

    StoredCharmV2.__name__ = StoredCharm.__name__
    sim.upgrade_charm("store", StoredCharmV2)
    assert sim.state_bytes("store/0") > 0  # the old pod still runs
    records = sim.run_until_quiet()
    for unit in ("store/0", "store/1"):
        before = [r for r in deployed if r.unit == unit][-1].observations["hooks"]
        hooks = [r for r in records if r.unit == unit]
        assert [r.hook for r in hooks] == ["stop", "upgrade-charm", "config-changed", "start"]
        assert [r.observations["hooks"] for r in hooks] == [before + 1, 1, 2, 3]
        assert [r.new_pod for r in hooks] == [False, True, False, False]


def test_the_old_pod_stops_with_the_old_charm(sim: Simulator) -> None:
    """On an upgrade, stop runs the charm class the old pod had; the new pod runs the new one."""

    def mark(version: str):
        def handler(charm: ProbeCharm, event: ops.EventBase) -> None:
            hook().observe("version", version)

        return handler

    sim.add_app("req", probe({"*": mark("v1")}), REQ_META)
    sim.run_until_quiet()
    sim.upgrade_charm("req", probe({"*": mark("v2")}))
    records = sim.run_until_quiet()
    assert [(r.hook, r.observations["version"]) for r in records] == [
        ("stop", "v1"),
        ("upgrade-charm", "v2"),
        ("config-changed", "v2"),
        ("start", "v2"),
    ]


def test_rescheduling_a_pod_loses_local_state_and_redeploys_the_charm(sim: Simulator) -> None:
    """reschedule: the state DB is gone; the unit runs upgrade-charm, config-changed, start."""
    sim.add_app("store", StoredCharm, REQ_META)
    sim.run_until_quiet()
    sim.reschedule("store/0")
    assert sim.state_bytes("store/0") == 0
    records = sim.run_until_quiet()
    assert [(r.hook, r.observations["hooks"]) for r in records] == [
        ("upgrade-charm", 1),
        ("config-changed", 2),
        ("start", 3),
    ]


def test_a_container_restart_runs_start_only_and_keeps_the_state(sim: Simulator) -> None:
    """restart_container: same pod, so the state survives and the unit runs start alone."""
    sim.add_app("store", StoredCharm, REQ_META)
    deployed = sim.run_until_quiet()
    sim.restart_container("store/0")
    records = sim.run_until_quiet()
    count = deployed[-1].observations["hooks"]
    assert [(r.hook, r.observations["hooks"], r.new_pod) for r in records] == [
        ("start", count + 1, False)
    ]


def test_a_rescheduled_pod_runs_upgrade_charm_before_pending_relation_created(
    sim: Simulator,
) -> None:
    """After a reschedule, upgrade-charm comes first, even before a relation-created."""
    sim.add_app("prov", probe({}), PROV_META)
    sim.add_app("req", probe({}), REQ_META)
    sim.run_until_quiet()
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.reschedule("req/0")
    first = sim.step("req/0")
    second = sim.step("req/0")
    assert first is not None
    assert second is not None
    assert (first.hook, second.hook) == ("upgrade-charm", "k8s-service-relation-created")


def test_controller_storage_survives_pod_replacement(tmp_path: Path) -> None:
    """With controller storage, an upgrade keeps StoredState: the counter carries on past stop."""
    with Simulator(seed=0, workdir=tmp_path, storage="controller") as sim:
        sim.add_app("store", StoredCharm, REQ_META)
        first = sim.run_until_quiet()
        sim.upgrade_charm("store")
        records = sim.run_until_quiet()
    assert [r.observations["hooks"] for r in first] == [1, 2, 3, 4]
    assert [r.observations["hooks"] for r in records] == [5, 6, 7, 8]


def test_a_failed_hook_commits_no_stored_state(sim: Simulator) -> None:
    """A hook failed after the charm ran leaves StoredState as it was before the hook."""
    sim.add_app("store", StoredCharm, REQ_META)
    deployed = sim.run_until_quiet()
    before = sim.state_bytes("store/0")
    sim.update_status()
    sim.fail_next_hook("store/0")
    failed = sim.step()
    retried = sim.step()
    assert failed is not None
    assert retried is not None
    assert (failed.ok, retried.ok) == (False, True)
    count = deployed[-1].observations["hooks"]
    assert failed.observations["hooks"] == retried.observations["hooks"] == count + 1
    assert failed.bytes_written == 0
    assert failed.state_bytes == before


def test_fail_next_hook_with_a_name_waits_for_that_hook(sim: Simulator) -> None:
    """A named failure skips other hooks and fails the next hook with that name."""
    sim.add_app("req", probe({}), REQ_META)
    sim.fail_next_hook("req/0", "start")
    records = sim.run_until_quiet()
    assert [(r.hook, r.ok, r.attempt) for r in records] == [
        ("install", True, 1),
        ("leader-elected", True, 1),
        ("config-changed", True, 1),
        ("start", False, 1),
        ("start", True, 2),
    ]


def _rows(db: Path) -> dict[str, bytes]:
    with closing(sqlite3.connect(db)) as conn:
        return {h: bytes(d) for h, d in conn.execute("SELECT handle, data FROM snapshot")}


def test_state_bytes_and_bytes_written_measure_the_snapshot_table(sim: Simulator) -> None:
    """state_bytes sums the blobs; bytes_written counts only new or changed rows."""
    sim.add_app("prov", ProviderCharm, PROV_META)
    sim.add_app("store", StoredCharm, REQ_META)
    sim.relate("prov", "k8s-service", "store", "k8s-service")
    db = sim.workdir / "store-0" / ".unit-state.db"
    previous: dict[str, bytes] = {}
    checked = 0
    while (record := sim.step()) is not None:
        if record.unit != "store/0":
            continue
        rows = _rows(db)
        assert record.state_bytes == sum(len(b) for b in rows.values())
        changed = sum(len(b) for h, b in rows.items() if previous.get(h) != b)
        assert record.bytes_written == changed
        previous = rows
        checked += 1
    assert checked >= 5
    assert sim.state_bytes("store/0") == sum(len(b) for b in _rows(db).values())


def test_config_changes_are_answered_by_config_get(sim: Simulator) -> None:
    """set_config queues config-changed and the charm reads the new values."""

    def read(charm: ProbeCharm, event: ops.EventBase) -> None:
        hook().observe("config", dict(charm.config))

    sim.add_app("prov", probe({"config-changed": read}), PROV_META, config={"port": 80})
    first = sim.run_until_quiet()
    sim.set_config("prov", {"port": 8080, "name": "svc"})
    sim.set_config("prov", {"name": None})
    second = sim.run_until_quiet()
    assert [r.observations["config"] for r in first if r.hook == "config-changed"] == [
        {"port": 80}
    ]
    assert [r.observations["config"] for r in second] == [{"port": 8080}]
    assert sim.config("prov") == {"port": 8080}


@pytest.mark.parametrize(
    ("target", "expected"),
    [(None, ["a/0", "a/1", "b/0"]), ("a", ["a/0", "a/1"]), ("a/1", ["a/1"])],
)
def test_update_status_runs_on_the_units_asked_for(
    sim: Simulator, target: str | None, expected: list[str]
) -> None:
    """update_status targets all units, one application's units, or one unit."""
    sim.add_app("a", probe({}), REQ_META, units=2)
    sim.add_app("b", probe({}), REQ_META)
    sim.run_until_quiet()
    sim.update_status(target)
    records = sim.run_until_quiet()
    assert sorted(r.unit for r in records) == expected
    assert {r.hook for r in records} == {"update-status"}


def test_unit_status_is_set_immediately_and_kept(sim: Simulator) -> None:
    """status-set takes effect at once, even when the hook then fails."""

    def set_status(charm: ProbeCharm, event: ops.EventBase) -> None:
        charm.unit.status = ops.ActiveStatus("ready")

    sim.add_app("req", probe({"start": set_status}), REQ_META)
    sim.fail_next_hook("req/0", "start")
    sim.step("req/0")
    sim.step("req/0")
    sim.step("req/0")
    failed = sim.step("req/0")
    assert failed is not None
    assert not failed.ok
    assert sim.unit_status("req/0") == ("active", "ready")


def test_run_until_quiet_stops_at_its_limit_when_a_hook_keeps_failing(sim: Simulator) -> None:
    """A hook that fails every retry keeps the model busy; the hook limit raises."""

    def boom(charm: ProbeCharm, event: ops.EventBase) -> None:
        raise RuntimeError("always")

    sim.add_app("req", probe({"start": boom}), REQ_META)
    with pytest.raises(HookLimitError, match="still busy after 8 hooks"):
        sim.run_until_quiet(max_hooks=8)
    assert sim.hook_count == 8
    assert [r.attempt for r in sim.records if r.hook == "start"] == [1, 2, 3, 4, 5]
    assert not sim.is_quiet
