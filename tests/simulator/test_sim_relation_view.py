"""Which relations and units a hook sees: ``relation-ids`` and ``relation-list``."""

from __future__ import annotations

import ops
from ops import hookcmds

from jujusim import Simulator
from tests.simulator.charms import (
    PROV_META,
    REQ_META,
    ProbeCharm,
    hook,
    probe,
    record_relation_view,
)


def test_relation_ids_are_sorted_as_strings_like_juju(sim: Simulator) -> None:
    """With twelve relations, ``relation-ids`` lists ``ep:10`` and ``ep:11`` before ``ep:2``."""
    sim.add_app("prov", probe({"update-status": record_relation_view("k8s-service")}), PROV_META)
    for i in range(12):
        sim.add_app(f"req{i}", probe({}), REQ_META)
        sim.relate("prov", "k8s-service", f"req{i}", "k8s-service")
    sim.run_until_quiet()
    sim.update_status("prov")
    record = sim.step()
    assert record is not None
    ids = record.observations["relation_ids"]
    assert ids == sorted(f"k8s-service:{i}" for i in range(12))
    assert ids.index("k8s-service:10") < ids.index("k8s-service:2")


def test_a_relation_is_visible_from_relation_created_until_relation_broken(
    sim: Simulator,
) -> None:
    """``relation-ids`` shows a relation from its created hook on, and not in or after broken."""
    view = record_relation_view("k8s-service")
    sim.add_app("prov", probe({}), PROV_META)
    sim.add_app("req", probe({"*": view}), REQ_META)
    sim.run_until_quiet()
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.update_status("req")
    records = sim.run_until_quiet()
    ref = f"k8s-service:{rid}"
    mine = [r for r in records if r.unit == "req/0"]
    assert mine[0].hook == "k8s-service-relation-created"
    assert ref in mine[0].observations["relation_ids"]
    assert rid in mine[0].relations_at_start
    assert all(ref in r.observations["relation_ids"] for r in mine)

    sim.unrelate(rid)
    records = sim.run_until_quiet()
    sim.update_status("req")
    records += sim.run_until_quiet()
    mine = [r for r in records if r.unit == "req/0"]
    departed = next(r for r in mine if r.hook.endswith("relation-departed"))
    broken = next(r for r in mine if r.hook.endswith("relation-broken"))
    after = next(r for r in mine if r.hook == "update-status")
    assert ref in departed.observations["relation_ids"]  # members remain until departed commits
    assert ref not in broken.observations["relation_ids"]
    assert broken.relations_at_start[rid].broken
    assert not departed.relations_at_start[rid].broken
    assert ref not in after.observations["relation_ids"]
    assert rid not in after.relations_at_start


def test_a_removed_relation_without_members_is_broken_before_its_broken_hook(
    sim: Simulator,
) -> None:
    """Removed before any join, a relation leaves ``relation-ids`` and shows as broken at once."""
    view = record_relation_view("k8s-service")
    sim.add_app("prov", probe({}), PROV_META)
    sim.add_app("req", probe({"*": view}), REQ_META)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    assert [sim.step("req/0"), sim.step("req/0")][1] is not None
    sim.unrelate(rid)
    records = [r for r in sim.run_until_quiet() if r.unit == "req/0"]
    assert records[0].relation_id is None  # a queued lifecycle hook runs before broken
    for record in records:
        assert record.observations["relation_ids"] == []
        assert record.relations_at_start[rid].broken
    assert records[-1].hook == "k8s-service-relation-broken"
    assert [r.hook for r in records].count("k8s-service-relation-broken") == 1


def test_hooks_before_relation_created_do_not_see_the_relation(sim: Simulator) -> None:
    """A unit's install runs before its relation-created, without the relation in its context."""
    view = record_relation_view("k8s-service")
    sim.add_app("prov", probe({}), PROV_META)
    rid = None
    sim.add_app("req", probe({"*": view}), REQ_META, units=0)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.add_unit("req")
    records = [r for r in sim.run_until_quiet() if r.unit == "req/0"]
    assert records[0].hook == "install"
    assert records[0].observations["relation_ids"] == []
    assert records[0].relations_at_start == {}
    assert records[1].hook == "k8s-service-relation-created"
    assert records[1].relation_id == rid


def test_relation_list_shows_only_units_whose_joined_hook_ran(sim: Simulator) -> None:
    """``relation-list`` grows with each relation-joined this unit runs, and never before it."""
    view = record_relation_view("k8s-service")
    sim.add_app("prov", probe({"*": view}), PROV_META)
    sim.add_app("req", probe({}), REQ_META, units=2)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = [r for r in sim.run_until_quiet() if r.unit == "prov/0" and r.relation_id == rid]
    ref = f"k8s-service:{rid}"
    joined_so_far: set[str] = set()
    for record in records:
        if record.hook.endswith("relation-joined"):
            assert record.remote_unit is not None
            joined_so_far.add(record.remote_unit)
        listed = record.observations["relation_lists"][ref]
        assert set(listed) == joined_so_far
        assert listed == list(record.relations_at_start[rid].remote_units)
    assert joined_so_far == {"req/0", "req/1"}


def test_relation_list_hides_the_departing_unit_during_its_departed_hook(
    sim: Simulator,
) -> None:
    """In relation-departed for ``req/1``, the remaining units are listed but not ``req/1``."""
    view = record_relation_view("k8s-service")
    sim.add_app("prov", probe({"*": view}), PROV_META)
    sim.add_app("req", probe({}), REQ_META, units=2)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    sim.remove_unit("req/1")
    records = sim.run_until_quiet()
    departed = next(
        r for r in records if r.unit == "prov/0" and r.hook.endswith("relation-departed")
    )
    assert departed.remote_unit == "req/1"
    assert departed.departing_unit == "req/1"
    assert departed.observations["relation_lists"][f"k8s-service:{rid}"] == ["req/0"]
    assert departed.relations_at_start[rid].remote_units == ("req/0",)


def test_relation_list_app_names_the_remote_application(sim: Simulator) -> None:
    """``relation-list --app`` answers the remote application, even with no unit joined."""

    def app_name(charm: ProbeCharm, event: ops.EventBase) -> None:
        rid = hook().relation_id
        assert rid is not None
        hook().observe("app", hookcmds.relation_list(rid, app=True))

    sim.add_app("prov", probe({"relation-created": app_name}), PROV_META)
    sim.add_app("req", probe({}), REQ_META)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    record = sim.step("prov/0")
    while record is not None and record.hook != "k8s-service-relation-created":
        record = sim.step("prov/0")
    assert record is not None
    assert record.observations["app"] == "req"
