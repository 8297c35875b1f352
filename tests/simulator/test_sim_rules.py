"""Juju's relation-hook rules that the ordering tests do not pin on their own."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from jujusim import HookRecord, Simulator
from tests.simulator.charms import PROV_META, REQ_META, ProviderCharm, RequirerCharm, probe


def _settled(sim: Simulator, *, requirers: int = 1, providers: int = 1) -> int:
    """Deploy ``prov`` and ``req``, relate them and run every hook; return the relation id."""
    sim.add_app("prov", ProviderCharm, PROV_META, units=providers, config={"port": 80})
    sim.add_app("req", RequirerCharm, REQ_META, units=requirers)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    return rid


def _drain(sim: Simulator, unit: str) -> list[HookRecord]:
    """Run the unit's hooks, and only its hooks, until it has nothing to do."""
    records: list[HookRecord] = []
    while (record := sim.step(unit)) is not None:
        records.append(record)
    return records


def test_an_app_bag_change_reaches_every_unit_of_the_other_side(sim: Simulator) -> None:
    """A provider app-bag write gives each requirer unit one app-level relation-changed."""
    _settled(sim, requirers=3)
    sim.set_config("prov", {"port": 81})
    records = sim.run_until_quiet()
    changed = [
        (r.unit, r.observations["port"])
        for r in records
        if r.hook == "k8s-service-relation-changed" and r.unit.startswith("req/")
    ]
    assert sorted(changed) == [("req/0", "81"), ("req/1", "81"), ("req/2", "81")]
    assert all(
        r.remote_unit is None
        for r in records
        if r.hook == "k8s-service-relation-changed"
        if r.unit.startswith("req/")
    )


@pytest.mark.parametrize("seed", range(4))
def test_relation_joined_is_followed_by_changed_for_that_unit(tmp_path: Path, seed: int) -> None:
    """The unit's next hook on a relation after relation-joined is relation-changed for it."""
    with Simulator(seed=seed, workdir=tmp_path) as sim:
        sim.add_app("prov", ProviderCharm, PROV_META, units=3, config={"port": 80})
        sim.add_app("req", RequirerCharm, REQ_META, units=2)
        sim.add_app("other", ProviderCharm, {**PROV_META, "name": "other"}, units=2)
        sim.relate("prov", "k8s-service", "req", "k8s-service")
        sim.relate("other", "k8s-service", "req", "k8s-service")
        records = sim.run_until_quiet()
        sim.add_unit("prov")
        sim.set_config("other", {"port": 90})
        records += sim.run_until_quiet()
    joins = 0
    for unit in ("req/0", "req/1"):
        for rid in {r.relation_id for r in records if r.unit == unit} - {None}:
            hooks = [r for r in records if r.unit == unit and r.relation_id == rid]
            for current, following in itertools.pairwise(hooks):
                if current.hook.endswith("relation-joined"):
                    joins += 1
                    assert following.hook.endswith("relation-changed")
                    assert following.remote_unit == current.remote_unit
    assert joins == 2 * 6  # every requirer unit joins 4 prov units and 2 other units


def test_update_status_waits_until_no_relation_hook_is_pending(sim: Simulator) -> None:
    """With relation changes pending, update-status runs only after every relation hook."""
    rid = _settled(sim, providers=2)
    sim.update_status("req/0")
    sim.set_relation_data(rid, "prov", {"service-port": "99"})
    sim.set_relation_data(rid, "prov/1", {"seen-port": "99"})
    hooks = [(r.hook, r.remote_unit) for r in _drain(sim, "req/0")]
    assert sorted(hooks[:2], key=str) == sorted(
        [("k8s-service-relation-changed", None), ("k8s-service-relation-changed", "prov/1")],
        key=str,
    )
    assert hooks[2:] == [("update-status", None)]


def test_no_relation_hook_runs_before_start_on_a_new_unit(sim: Simulator) -> None:
    """A unit added to a busy relation runs joined and changed only after its start."""
    rid = _settled(sim, providers=2)
    sim.add_unit("req")
    sim.set_relation_data(rid, "prov", {"service-port": "91"})
    hooks = [r.hook for r in _drain(sim, "req/1")]
    start = hooks.index("start")
    before = [h for h in hooks[:start] if "-relation-" in h]
    assert before == ["k8s-service-relation-created"]
    assert "k8s-service-relation-joined" in hooks[start:]


def test_no_relation_hook_runs_before_start_on_a_rescheduled_pod(sim: Simulator) -> None:
    """A relation change pending on a rescheduled pod waits for the new pod's start."""
    rid = _settled(sim)
    sim.set_relation_data(rid, "prov", {"service-port": "92"})
    sim.reschedule("req/0")
    records = _drain(sim, "req/0")
    assert [r.hook for r in records] == [
        "upgrade-charm",
        "config-changed",
        "start",
        "k8s-service-relation-changed",
    ]
    assert records[-1].observations["port"] == "92"


def test_an_upgrade_runs_no_relation_hook_between_stop_and_start(sim: Simulator) -> None:
    """A change pending when the upgrade starts reaches the unit only after the new start."""
    sim.add_app("prov", ProviderCharm, PROV_META, config={"port": 80})
    sim.add_app("req", probe({}), REQ_META)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    sim.set_relation_data(rid, "prov", {"service-port": "93"})
    sim.upgrade_charm("req")
    hooks = [r.hook for r in _drain(sim, "req/0")]
    assert hooks == [
        "stop",
        "upgrade-charm",
        "config-changed",
        "start",
        "k8s-service-relation-changed",
    ]


def test_resolved_no_retry_marks_the_failed_hook_done_without_running_it(sim: Simulator) -> None:
    """After resolve_no_retry the failed relation-changed never runs again; later changes do."""
    rid = _settled(sim)
    sim.set_relation_data(rid, "prov", {"service-port": "94"})
    sim.fail_next_hook("req/0")
    failed = sim.step("req/0")
    assert failed is not None
    assert (failed.hook, failed.ok) == ("k8s-service-relation-changed", False)
    assert sim.resolve_no_retry("req/0") == "k8s-service-relation-changed"
    assert _drain(sim, "req/0") == []
    assert sim.unit_data(rid, "req/0") == {"seen-port": "80"}  # the skipped hook wrote nothing
    sim.set_relation_data(rid, "prov", {"service-port": "95"})
    [record] = _drain(sim, "req/0")
    assert (record.hook, record.observations["port"]) == ("k8s-service-relation-changed", "95")


def test_resolved_no_retry_needs_a_failed_hook(sim: Simulator) -> None:
    """Resolving a unit with no failed hook is refused, naming the unit."""
    _settled(sim)
    with pytest.raises(ValueError, match="unit req/0 has no failed hook to resolve"):
        sim.resolve_no_retry("req/0")


def test_scaling_down_removes_the_highest_numbered_units_first(sim: Simulator) -> None:
    """Scale 3 -> 1 removes req/2 and req/1; the provider sees both depart, req/0 stays."""
    _settled(sim, requirers=3)
    assert sim.scale("req", 1) == []
    records = sim.run_until_quiet()
    assert sim.units("req") == ["req/0"]
    assert {r.unit for r in records if r.hook == "remove"} == {"req/1", "req/2"}
    departed = {
        r.remote_unit
        for r in records
        if r.unit == "prov/0" and r.hook.endswith("relation-departed")
    }
    assert departed == {"req/1", "req/2"}


def test_scaling_up_adds_units_after_the_highest(sim: Simulator) -> None:
    """Scale 1 -> 3 adds req/1 and req/2, which join the relation."""
    _settled(sim)
    assert sim.scale("req", 3) == ["req/1", "req/2"]
    records = sim.run_until_quiet()
    assert sim.units("req") == ["req/0", "req/1", "req/2"]
    joined = {(r.unit, r.remote_unit) for r in records if r.hook == "k8s-service-relation-joined"}
    assert joined == {
        ("req/1", "prov/0"),
        ("req/2", "prov/0"),
        ("prov/0", "req/1"),
        ("prov/0", "req/2"),
    }


def test_scaling_to_zero_removes_every_unit_and_the_leader(sim: Simulator) -> None:
    """Scale to 0: every unit runs stop and remove, and the application has no leader."""
    _settled(sim, requirers=2)
    sim.scale("req", 0)
    records = sim.run_until_quiet()
    assert sim.units("req") == []
    assert sorted(r.unit for r in records if r.hook == "remove") == ["req/0", "req/1"]
    with pytest.raises(LookupError, match="has no leader"):
        sim.leader("req")


def test_a_model_migration_replays_relation_changed_with_unchanged_data(sim: Simulator) -> None:
    """migrate: each unit runs one relation-changed per remote unit and app, data the same."""
    _settled(sim, providers=2)
    sim.migrate()
    records = [r for r in sim.run_until_quiet() if r.unit == "req/0"]
    assert sorted((r.hook, str(r.remote_unit)) for r in records) == [
        ("k8s-service-relation-changed", "None"),
        ("k8s-service-relation-changed", "prov/0"),
        ("k8s-service-relation-changed", "prov/1"),
    ]
    assert [r.observations["port"] for r in records] == ["80", "80", "80"]


def test_removing_a_unit_whose_relation_created_failed_removes_it(sim: Simulator) -> None:
    """A unit removed while its failed relation-created awaits retry is torn down, not stuck."""
    _settled(sim)
    sim.add_unit("req")
    sim.fail_next_hook("req/1", "k8s-service-relation-created")
    records = [sim.step("req/1"), sim.step("req/1")]
    assert [(r.hook, r.ok) for r in records if r is not None] == [
        ("install", True),
        ("k8s-service-relation-created", False),
    ]
    sim.remove_unit("req/1")
    sim.run_until_quiet()
    assert sim.units("req") == ["req/0"]
