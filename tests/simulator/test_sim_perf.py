"""A model with 1000 relations stays practical."""

from __future__ import annotations

import time

import ops

from jujusim import Simulator
from tests.simulator.charms import PROV_META, REQ_META, ProbeCharm, hook, probe

RELATIONS = 1000


def _touch_every_relation(charm: ProbeCharm, event: ops.EventBase) -> None:
    seen = 0
    for relation in charm.model.relations["k8s-service"]:
        seen += len(relation.data[relation.app])
        relation.data[charm.app]["service-port"] = "80"
    hook().record("relations", len(charm.model.relations["k8s-service"]))
    hook().record("seen", seen)


def test_one_hook_over_1000_relations_takes_well_under_a_second(sim: Simulator) -> None:
    """A hook that reads and writes 1000 relations' databags dispatches in well under 1 s."""
    sim.add_app("prov", probe({"update-status": _touch_every_relation}), PROV_META)
    started = time.perf_counter()
    for i in range(RELATIONS):
        sim.add_app(f"req{i}", probe({}), REQ_META, units=1)
        sim.relate("prov", "k8s-service", f"req{i}", "k8s-service")
    kinds = ("install", "leader-elected", "config-changed", "start", "relation-created")
    assert sim._skip_hooks("prov/0", kinds) == RELATIONS + 4
    setup = time.perf_counter() - started
    sim.update_status("prov")

    record = sim.step("prov/0")

    assert record is not None
    assert record.ok, record.error
    assert record.hook == "update-status"
    assert record.observations["relations"] == RELATIONS
    assert len(record.relations_at_start) == RELATIONS
    assert record.tool_calls["relation-set"] == RELATIONS
    assert record.tool_calls["relation-get"] >= RELATIONS
    assert record.duration_s < 0.5
    assert sim.app_data(RELATIONS - 1, "prov") == {"service-port": "80"}
    assert setup < 10
