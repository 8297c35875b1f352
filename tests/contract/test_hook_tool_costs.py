"""Contract: what the library costs in hook-tool calls, counted by jujusim per hook.

ops.testing answers hook tools from memory and has no public way to count them, so these tests
deploy the charms on the simulator, which runs the real ops dispatch and counts every tool call
in ``HookRecord.tool_calls``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jujusim import HookRecord, LibraryBackend, Simulator
from jujusim.vocabulary import LIBRARY_BACKENDS
from study.charms import PROVIDER_META, REQUIRER_META, ProviderCharm, requirer_charm

REQ = "req"


def calls(record: HookRecord, tool: str) -> int:
    """How many times the hook ran ``tool``."""
    return record.tool_calls.get(tool, 0)


def deploy(sim: Simulator, backend: LibraryBackend, *, read_services: bool = True) -> None:
    """Deploy the requirer and two providers (``p1`` on 8081, ``p2`` on 8082) and settle."""
    charm = requirer_charm(backend, read_services=read_services)
    sim.add_app(REQ, charm, {**REQUIRER_META, "name": REQ})
    for number in (1, 2):
        name = f"p{number}"
        config = {"service-name": f"{name}.svc", "service-port": 8080 + number}
        sim.add_app(name, ProviderCharm, {**PROVIDER_META, "name": name}, config=config)
        sim.relate(name, "k8s-service", REQ, "k8s-service")
    sim.run_until_quiet()


def run(sim: Simulator, unit: str) -> HookRecord:
    """Run the unit's next hook, which must succeed."""
    record = sim.step(unit)
    assert record is not None
    assert record.ok, record.error
    return record


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    """A simulator with local storage and in-process hook tools."""
    with Simulator(seed=0, workdir=tmp_path) as simulator:
        yield simulator


class TestRequirerReads:
    """The requirer reads relation data only where the backend needs it."""

    @pytest.mark.parametrize("backend", LIBRARY_BACKENDS)
    def test_no_read_without_services(self, sim: Simulator, backend: LibraryBackend) -> None:
        """A config-changed whose charm does not read ``services`` makes no ``relation-get``."""
        deploy(sim, backend, read_services=False)
        sim.set_config(REQ, {"anything": "new"})

        record = run(sim, f"{REQ}/0")

        assert record.hook == "config-changed"
        assert calls(record, "relation-get") == 0

    def test_stored_reads_from_cache(self, sim: Simulator) -> None:
        """The stored backend answers ``services`` in update-status with no ``relation-get``."""
        deploy(sim, "stored")
        sim.update_status(f"{REQ}/0")

        record = run(sim, f"{REQ}/0")

        assert [s[1:] for s in record.observations["services"]] == [
            ("p1", "p1.svc", 8081),
            ("p2", "p2.svc", 8082),
        ]
        assert calls(record, "relation-get") == 0

    def test_live_reads_each_provider_bag_once(self, sim: Simulator) -> None:
        """The live backend reads one databag per relation (the provider app's) per hook."""
        deploy(sim, "live")
        sim.update_status(f"{REQ}/0")

        record = run(sim, f"{REQ}/0")

        assert [s[1:] for s in record.observations["services"]] == [
            ("p1", "p1.svc", 8081),
            ("p2", "p2.svc", 8082),
        ]
        assert calls(record, "relation-get") == 2


class TestProviderWrites:
    """The provider's leader writes only what changed; other units never write."""

    def test_leader_publishes_at_relation_created(self, sim: Simulator) -> None:
        """The provider leader's relation-created writes its service with ``relation-set``."""
        deploy(sim, "live")

        created = [r for r in sim.records if r.unit == "p1/0" and r.hook.endswith("created")]

        assert [calls(r, "relation-set") > 0 for r in created] == [True]
        assert sim.app_data(sim.relation_ids("p1")[0], "p1")

    @pytest.mark.parametrize(
        ("operation", "hooks"),
        [
            ("upgrade-charm", {("p1/0", "upgrade-charm"), ("p1/1", "upgrade-charm")}),
            ("leader-elected", {("p1/1", "leader-elected")}),
            (
                "new-requirer-unit",
                {
                    ("p1/0", "k8s-service-relation-joined"),
                    ("p1/0", "k8s-service-relation-changed"),
                },
            ),
        ],
    )
    def test_nothing_new_no_write(
        self, sim: Simulator, operation: str, hooks: set[tuple[str, str]]
    ) -> None:
        """Hooks that find the service already published make no ``relation-set``."""
        deploy(sim, "live")
        sim.add_unit("p1")
        sim.run_until_quiet()
        if operation == "upgrade-charm":
            sim.upgrade_charm("p1")
        elif operation == "leader-elected":
            sim.set_leader("p1/1")
        else:
            sim.add_unit(REQ)

        later = [r for r in sim.run_until_quiet() if r.unit.startswith("p1/")]

        assert hooks <= {(r.unit, r.hook) for r in later if r.ok}
        assert [
            (r.hook, calls(r, "relation-set")) for r in later if calls(r, "relation-set")
        ] == []

    def test_same_value_no_write(self, sim: Simulator) -> None:
        """Publishing the port that is already published makes no ``relation-set``."""
        deploy(sim, "live")
        sim.set_config("p1", {"service-port": 8081})

        record = run(sim, "p1/0")

        assert record.hook == "config-changed"
        assert calls(record, "relation-set") == 0

    def test_only_the_leader_writes_a_new_value(self, sim: Simulator) -> None:
        """A new port is written by the leader once; the other unit writes nothing."""
        deploy(sim, "live")
        sim.add_unit("p1")
        sim.run_until_quiet()
        sim.set_config("p1", {"service-port": 9999})

        leader, other = run(sim, "p1/0"), run(sim, "p1/1")

        assert calls(leader, "relation-set") == 1
        assert calls(other, "relation-set") == 0
        non_leader = [r for r in sim.records if r.unit == "p1/1"]
        assert sum(calls(r, "relation-set") for r in non_leader) == 0
