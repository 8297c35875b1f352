"""Juju's hook-ordering guarantees and the seeded, reproducible interleaving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ops
import pytest

from jujusim import HookRecord, Simulator
from tests.simulator.charms import (
    PEER_META,
    PROV_META,
    REQ_META,
    ProbeCharm,
    ProviderCharm,
    RequirerCharm,
    hook,
    probe,
    record_env,
)


def _busy_model(sim: Simulator) -> list[HookRecord]:
    """Deploy, relate, write, scale, remove and unrelate, interleaved with steps."""
    sim.add_app("prov", ProviderCharm, PROV_META, units=2, config={"port": 80})
    sim.add_app("req", RequirerCharm, REQ_META, units=3)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    records: list[HookRecord] = []
    for _ in range(15):
        record = sim.step()
        if record is not None:
            records.append(record)
    sim.set_config("prov", {"port": 81})
    sim.add_unit("req")
    records += sim.run_until_quiet()
    sim.remove_unit("req/1")
    sim.set_config("prov", {"port": 82})
    for _ in range(5):
        record = sim.step()
        if record is not None:
            records.append(record)
    sim.unrelate(rid)
    records += sim.run_until_quiet()
    return records


def _by_unit_and_relation(records: list[HookRecord]) -> dict[tuple[str, int], list[HookRecord]]:
    grouped: dict[tuple[str, int], list[HookRecord]] = {}
    for record in records:
        if record.relation_id is not None and record.ok:
            grouped.setdefault((record.unit, record.relation_id), []).append(record)
    return grouped


@pytest.mark.parametrize("seed", range(4))
def test_relation_created_comes_before_any_other_hook_of_the_relation(
    tmp_path: Path, seed: int
) -> None:
    """On every unit, the first hook of a relation is relation-created and it runs once."""
    with Simulator(seed=seed, workdir=tmp_path) as sim:
        grouped = _by_unit_and_relation(_busy_model(sim))
    assert grouped
    for hooks in grouped.values():
        kinds = [r.hook.split("-relation-")[1] for r in hooks]
        assert kinds[0] == "created"
        assert kinds.count("created") == 1


@pytest.mark.parametrize("seed", range(4))
def test_joined_comes_before_changed_for_each_remote_unit(tmp_path: Path, seed: int) -> None:
    """A relation-changed for a remote unit never precedes that unit's relation-joined."""
    with Simulator(seed=seed, workdir=tmp_path) as sim:
        grouped = _by_unit_and_relation(_busy_model(sim))
    checked = 0
    for hooks in grouped.values():
        joined: set[str] = set()
        for record in hooks:
            if record.hook.endswith("relation-joined"):
                assert record.remote_unit is not None
                joined.add(record.remote_unit)
            elif record.hook.endswith("relation-changed") and record.remote_unit is not None:
                assert record.remote_unit in joined
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("seed", range(4))
def test_departed_comes_before_broken_and_broken_is_last(tmp_path: Path, seed: int) -> None:
    """Every joined unit departs before relation-broken, and nothing of it follows broken."""
    with Simulator(seed=seed, workdir=tmp_path) as sim:
        grouped = _by_unit_and_relation(_busy_model(sim))
    broken_seen = 0
    for hooks in grouped.values():
        members: set[str] = set()
        for i, record in enumerate(hooks):
            if record.hook.endswith("relation-joined"):
                members.add(str(record.remote_unit))
            elif record.hook.endswith("relation-departed"):
                members.discard(str(record.remote_unit))
            elif record.hook.endswith("relation-broken"):
                assert members == set()
                assert i == len(hooks) - 1
                broken_seen += 1
    assert broken_seen >= 5


def test_several_remote_app_writes_coalesce_into_one_relation_changed(sim: Simulator) -> None:
    """Three provider writes between two requirer hooks give it one changed with the last data."""
    sim.add_app("prov", ProviderCharm, PROV_META, config={"port": 80})
    sim.add_app("req", RequirerCharm, REQ_META)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    for port in (81, 82, 83):
        sim.set_config("prov", {"port": port})
        while sim.step("prov/0") is not None:
            pass
    records: list[HookRecord] = []
    while (record := sim.step("req/0")) is not None:
        records.append(record)
    assert [r.hook for r in records] == ["k8s-service-relation-changed"]
    assert records[0].remote_unit is None
    assert records[0].remote_app == "prov"
    assert records[0].observations["port"] == "83"


def test_several_remote_unit_writes_coalesce_into_one_relation_changed(sim: Simulator) -> None:
    """Repeated unit-data writes by one unit give each remote unit one changed for it."""

    def write(charm: ProbeCharm, event: ops.EventBase) -> None:
        for relation in charm.model.relations["k8s-service"]:
            relation.data[charm.unit]["n"] = str(charm.config.get("n", 0))

    def read(charm: ProbeCharm, event: ops.EventBase) -> None:
        relation = charm.model.get_relation("k8s-service")
        assert relation is not None
        hook().observe("n", {u.name: relation.data[u].get("n") for u in relation.units})

    sim.add_app("prov", probe({"relation-changed": read}), PROV_META)
    sim.add_app("req", probe({"config-changed": write}), REQ_META)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    for n in (1, 2, 3):
        sim.set_config("req", {"n": n})
        while sim.step("req/0") is not None:
            pass
    records: list[HookRecord] = []
    while (record := sim.step("prov/0")) is not None:
        records.append(record)
    assert [(r.hook, r.remote_unit) for r in records] == [
        ("k8s-service-relation-changed", "req/0")
    ]
    assert records[0].observations["n"] == {"req/0": "3"}


def test_a_remote_app_change_runs_changed_with_only_the_remote_app_set(sim: Simulator) -> None:
    """For application data, relation-changed has an empty JUJU_REMOTE_UNIT and the app set."""
    sim.add_app("prov", ProviderCharm, PROV_META)
    sim.add_app("req", probe({"relation-changed": record_env}), REQ_META)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = [r for r in sim.run_until_quiet() if r.unit == "req/0"]
    app_changes = [
        r for r in records if r.hook.endswith("relation-changed") and r.remote_unit is None
    ]
    assert len(app_changes) == 1
    env: dict[str, Any] = app_changes[0].observations["env"]
    assert env["JUJU_REMOTE_UNIT"] == ""
    assert env["JUJU_REMOTE_APP"] == "prov"


def test_leader_elected_runs_on_the_new_leader_and_is_leader_follows(sim: Simulator) -> None:
    """After set_leader, the new leader runs leader-elected and is-leader moves with it."""

    def leadership(charm: ProbeCharm, event: ops.EventBase) -> None:
        hook().observe("leader", charm.unit.is_leader())

    sim.add_app("req", probe({"*": leadership}), REQ_META, units=3)
    records = sim.run_until_quiet()
    elected = [r.unit for r in records if r.hook == "leader-elected"]
    assert elected == ["req/0"]
    assert sim.leader("req") == "req/0"
    sim.set_leader("req/2")
    sim.update_status("req")
    records = sim.run_until_quiet()
    assert [r.unit for r in records if r.hook == "leader-elected"] == ["req/2"]
    status = {r.unit: r.observations["leader"] for r in records if r.hook == "update-status"}
    assert status == {"req/0": False, "req/1": False, "req/2": True}


def test_a_unit_that_lost_leadership_before_its_leader_elected_does_not_run_it(
    sim: Simulator,
) -> None:
    """Leadership moved before the first leader ran leader-elected: only the new one runs it."""
    sim.add_app("req", probe({}), REQ_META, units=2)
    sim.set_leader("req/1")
    records = sim.run_until_quiet()
    assert [r.unit for r in records if r.hook == "leader-elected"] == ["req/1"]


def test_leader_elected_runs_before_config_changed_already_queued(sim: Simulator) -> None:
    """A new leader runs leader-elected before a config-changed that was queued earlier."""
    sim.add_app("req", probe({}), REQ_META, units=2)
    sim.run_until_quiet()
    sim.set_config("req", {"x": 1})
    sim.set_leader("req/1")
    hooks = [sim.step("req/1"), sim.step("req/1")]
    assert [r.hook for r in hooks if r is not None] == ["leader-elected", "config-changed"]


def test_a_write_triggers_changed_on_the_other_side_only(sim: Simulator) -> None:
    """A requirer's unit-data write reaches the provider, not the requirer's own other unit."""

    def write(charm: ProbeCharm, event: ops.EventBase) -> None:
        relation = charm.model.get_relation("k8s-service")
        assert relation is not None
        relation.data[charm.unit]["v"] = str(charm.config.get("v", 0))

    sim.add_app("prov", probe({}), PROV_META)
    sim.add_app("req", probe({"config-changed": write}), REQ_META, units=2)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    sim.set_config("req", {"v": 1})
    records = [r for r in sim.run_until_quiet() if r.hook.endswith("relation-changed")]
    assert sorted((r.unit, r.remote_unit) for r in records) == [
        ("prov/0", "req/0"),
        ("prov/0", "req/1"),
    ]


def test_peer_writes_trigger_changed_on_the_other_peers(sim: Simulator) -> None:
    """On a peer relation, a unit's write runs relation-changed on each other peer unit."""

    def write(charm: ProbeCharm, event: ops.EventBase) -> None:
        relation = charm.model.get_relation("cluster")
        assert relation is not None
        if charm.unit.name == "peer/0":
            relation.data[charm.unit]["v"] = str(charm.config.get("v", 0))

    sim.add_app("peer", probe({"config-changed": write}), PEER_META, units=3)
    sim.run_until_quiet()
    sim.set_config("peer", {"v": 1})
    records = [r for r in sim.run_until_quiet() if r.hook == "cluster-relation-changed"]
    assert sorted((r.unit, r.remote_unit) for r in records) == [
        ("peer/1", "peer/0"),
        ("peer/2", "peer/0"),
    ]


def test_a_peer_app_write_reaches_the_other_peers_but_not_the_leader_itself(
    sim: Simulator,
) -> None:
    """The leader's peer application-data write runs changed on the others, not on itself."""

    def write(charm: ProbeCharm, event: ops.EventBase) -> None:
        relation = charm.model.get_relation("cluster")
        assert relation is not None
        if charm.unit.is_leader():
            relation.data[charm.app]["v"] = str(charm.config.get("v", 0))

    sim.add_app("peer", probe({"config-changed": write}), PEER_META, units=3)
    sim.run_until_quiet()
    sim.set_config("peer", {"v": 1})
    records = [r for r in sim.run_until_quiet() if r.hook == "cluster-relation-changed"]
    assert sorted((r.unit, r.remote_unit, r.remote_app) for r in records) == [
        ("peer/1", None, "peer"),
        ("peer/2", None, "peer"),
    ]


def test_the_same_seed_and_operations_give_identical_hook_records(tmp_path: Path) -> None:
    """Two runs with one seed match record for record; another seed interleaves differently."""
    runs: list[list[HookRecord]] = []
    for i, seed in enumerate((7, 7, 8)):
        with Simulator(seed=seed, workdir=tmp_path / str(i)) as sim:
            runs.append(_busy_model(sim))
    assert runs[0] == runs[1]
    assert [(r.unit, r.hook) for r in runs[0]] != [(r.unit, r.hook) for r in runs[2]]


def test_asking_whether_the_model_is_quiet_does_not_change_the_sequence(
    tmp_path: Path,
) -> None:
    """Queries between steps leave the seeded sequence unchanged."""
    sequences: list[list[tuple[str, str]]] = []
    for i, ask in enumerate((False, True)):
        with Simulator(seed=5, workdir=tmp_path / str(i)) as sim:
            sim.add_app("prov", ProviderCharm, PROV_META, units=2)
            sim.add_app("req", RequirerCharm, REQ_META, units=2)
            sim.relate("prov", "k8s-service", "req", "k8s-service")
            sequence: list[tuple[str, str]] = []
            while True:
                if ask:
                    _ = sim.is_quiet
                    sim.relation_ids()
                    sim.state_bytes("req/0")
                record = sim.step()
                if record is None:
                    break
                sequence.append((record.unit, record.hook))
            sequences.append(sequence)
    started = {unit for unit, hook_name in sequences[0] if hook_name == "start"}
    assert started == {"prov/0", "prov/1", "req/0", "req/1"}
    assert sequences[0] == sequences[1]


def test_unrelate_drops_pending_changes_and_runs_departed_then_broken(sim: Simulator) -> None:
    """A relation removed while a changed is pending runs departed and broken, not changed."""
    sim.add_app("prov", ProviderCharm, PROV_META)
    sim.add_app("req", RequirerCharm, REQ_META)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    sim.set_config("prov", {"port": 9000})
    while sim.step("prov/0") is not None:
        pass
    assert sim.app_data(rid, "prov")["service-port"] == "9000"
    sim.unrelate(rid)
    records = sim.run_until_quiet()
    assert [(r.unit, r.hook) for r in records if r.unit == "req/0"] == [
        ("req/0", "k8s-service-relation-departed"),
        ("req/0", "k8s-service-relation-broken"),
    ]
    assert [r.hook for r in records if r.unit == "prov/0"] == [
        "k8s-service-relation-departed",
        "k8s-service-relation-broken",
    ]
    assert sim.relation_ids() == []
    assert sim.is_quiet


@pytest.mark.parametrize("seed", range(10))
def test_a_failed_hook_is_retried_later_before_any_other_hook_of_its_unit(
    tmp_path: Path, seed: int
) -> None:
    """The retry waits for another unit's hook, and its unit runs nothing else in between."""
    with Simulator(seed=seed, workdir=tmp_path) as sim:
        sim.add_app("a", probe({}), REQ_META)
        sim.add_app("b", probe({}), REQ_META, units=3)
        sim.fail_next_hook("a/0", "leader-elected")
        sim.fail_next_hook("a/0", "leader-elected")
        records = sim.run_until_quiet()
    failures = [i for i, r in enumerate(records) if not r.ok]
    assert len(failures) == 2
    for i in failures:
        if any(r.unit != "a/0" for r in records[i + 1 :]):
            assert records[i + 1].unit != "a/0"  # another unit was ready, so it goes first
    assert any(records[i + 1].unit != "a/0" for i in failures)
    mine = [(r.hook, r.ok, r.attempt) for r in records if r.unit == "a/0"]
    assert mine == [
        ("install", True, 1),
        ("leader-elected", False, 1),
        ("leader-elected", False, 2),
        ("leader-elected", True, 3),
        ("config-changed", True, 1),
        ("start", True, 1),
    ]
