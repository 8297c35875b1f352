"""A hook over 1000 relations sees and writes every one of them (timings live in benchmarks/)."""

from __future__ import annotations

import ops

from jujusim import Simulator
from tests.simulator.charms import PROV_META, REQ_META, ProbeCharm, hook, probe

RELATIONS = 1000


def _touch_every_relation(charm: ProbeCharm, event: ops.EventBase) -> None:
    seen = 0
    for relation in charm.model.relations["k8s-service"]:
        seen += len(relation.data[relation.app])
        relation.data[charm.app]["service-port"] = "80"
    hook().observe("relations", len(charm.model.relations["k8s-service"]))
    hook().observe("seen", seen)


def test_one_hook_reads_and_writes_1000_relations(sim: Simulator) -> None:
    """One update-status lists, reads and writes all 1000 relations, one tool call each."""
    charm = probe({"update-status": _touch_every_relation})
    providers = sim.preload(
        "prov",
        charm,
        requirer_meta=PROV_META,
        provider_charm=probe({}),
        provider_meta=REQ_META,
        providers=RELATIONS,
        provider_data={"wanted": "yes"},
        provider_prefix="req",
    )
    sim.update_status("prov")

    record = sim.step("prov/0")

    assert record is not None
    assert record.ok, record.error
    assert record.hook == "update-status"
    assert record.observations == {"relations": RELATIONS, "seen": RELATIONS}
    assert len(record.relations_at_start) == RELATIONS
    assert record.tool_calls["relation-set"] == RELATIONS
    assert record.tool_calls["relation-get"] >= RELATIONS
    last = max(providers)
    assert sim.app_data(last, "prov") == {"service-port": "80"}
