"""Hook-tool answers: relation-get, relation-set, state-*, and Juju's flag parsing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import ops
import pytest
import yaml
from ops import hookcmds

from jujusim import MAX_STATE_VALUE, Simulator
from tests.simulator.charms import (
    PEER_META,
    PROV_META,
    REQ_META,
    ProbeCharm,
    StoredCharm,
    hook,
    probe,
)


def test_relation_get_returns_the_first_read_of_a_bag_for_the_whole_hook(
    sim: Simulator,
) -> None:
    """A bag read twice in one hook gives its first content even if another unit commits."""
    holder: list[Simulator] = [sim]

    def read_twice(charm: ProbeCharm, event: ops.EventBase) -> None:
        rid = hook().relation_id
        assert rid is not None
        first = hookcmds.relation_get(rid, app=True, unit="prov")
        # Another unit's agent commits in between (as could happen with concurrent agents).
        holder[0].set_relation_data(rid, "prov", {"service-port": "9999"})
        holder[0].set_relation_data(rid, "prov/0", {"later": "yes"})
        second = hookcmds.relation_get(rid, app=True, unit="prov")
        other_bag = hookcmds.relation_get(rid, unit="prov/0")
        hook().observe("reads", [first, second, other_bag])

    def publish(charm: ProbeCharm, event: ops.EventBase) -> None:
        if charm.unit.is_leader():
            for relation in charm.model.relations["k8s-service"]:
                relation.data[charm.app]["service-port"] = "80"

    sim.add_app("prov", probe({"relation-created": publish}), PROV_META)
    sim.add_app("req", probe({"relation-joined": read_twice}), REQ_META)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = sim.run_until_quiet()
    joined = next(r for r in records if r.unit == "req/0" and r.hook.endswith("joined"))
    first, second, other_bag = joined.observations["reads"]
    assert first == second == {"service-port": "80"}
    assert other_bag == {"later": "yes"}


def test_a_non_leader_cannot_read_its_own_application_bag(sim: Simulator) -> None:
    """Reading the own app bag as a non-leader is refused with Juju's permission error."""

    def read_own_app(charm: ProbeCharm, event: ops.EventBase) -> None:
        rid = hook().relation_id
        assert rid is not None
        try:
            hook().observe("data", hookcmds.relation_get(rid, app=True, unit="req"))
        except hookcmds.Error as e:
            hook().observe("error", e.stderr)

    sim.add_app("prov", probe({}), PROV_META)
    sim.add_app("req", probe({"relation-created": read_own_app}), REQ_META, units=2)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = [r for r in sim.run_until_quiet() if r.hook.endswith("relation-created")]
    by_unit = {r.unit: r.observations for r in records if r.unit.startswith("req")}
    assert by_unit["req/0"] == {"data": {}}
    assert "permission denied" in by_unit["req/1"]["error"]


def test_any_unit_can_read_the_remote_application_bag(sim: Simulator) -> None:
    """A non-leader reads the remote app databag, through ops and through the raw tool."""

    def read_remote(charm: ProbeCharm, event: ops.EventBase) -> None:
        relation = charm.model.get_relation("k8s-service")
        assert relation is not None
        hook().observe("data", dict(relation.data[relation.app]))

    def publish(charm: ProbeCharm, event: ops.EventBase) -> None:
        if charm.unit.is_leader():
            for relation in charm.model.relations["k8s-service"]:
                relation.data[charm.app]["service-port"] = "80"

    sim.add_app("prov", probe({"relation-created": publish}), PROV_META)
    sim.add_app("req", probe({"relation-changed": read_remote}), REQ_META, units=2)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = sim.run_until_quiet()
    follower = [r for r in records if r.unit == "req/1" and r.hook.endswith("relation-changed")]
    assert follower
    assert follower[-1].observations["data"] == {"service-port": "80"}


def test_relation_writes_are_read_back_in_the_hook_and_committed_only_on_success(
    tmp_path: Path,
) -> None:
    """A unit reads its own writes within the hook; the controller sees them only after."""
    holder: list[Simulator] = []

    def write(charm: ProbeCharm, event: ops.EventBase) -> None:
        rid = hook().relation_id
        assert rid is not None
        hookcmds.relation_set({"a": "1", "b": "2"}, rid)
        hookcmds.relation_set({"b": ""}, rid)
        argv = ["relation-set", "-r", f"k8s-service:{rid}", "c=3", "c="]
        subprocess.run(argv, check=True, capture_output=True, text=True)
        hook().observe("own", hookcmds.relation_get(rid, unit=charm.unit.name))
        hook().observe("committed", holder[0].unit_data(rid, charm.unit.name))

    # The exec mode runs the real tool executables, so a raw argv can be given to one.
    with Simulator(seed=0, workdir=tmp_path, hook_tools="exec") as sim:
        holder.append(sim)
        sim.add_app("prov", probe({}), PROV_META)
        sim.add_app("req", probe({"relation-created": write}), REQ_META)
        rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
        sim.fail_next_hook("req/0", "k8s-service-relation-created")
        records = [r for r in sim.run_until_quiet() if r.unit == "req/0"]
        created = [r for r in records if r.hook.endswith("relation-created")]
        assert [r.ok for r in created] == [False, True]
        assert created[0].observations == {"own": {"a": "1"}, "committed": {}}
        assert created[1].observations == {"own": {"a": "1"}, "committed": {}}
        assert sim.unit_data(rid, "req/0") == {"a": "1"}


def test_a_non_leader_cannot_write_the_application_bag(sim: Simulator) -> None:
    """``relation-set --app`` by a non-leader fails: Juju's "cannot write relation settings"."""

    def write_app(charm: ProbeCharm, event: ops.EventBase) -> None:
        rid = hook().relation_id
        assert rid is not None
        try:
            hookcmds.relation_set({"k": charm.unit.name}, rid, app=True)
        except hookcmds.Error as e:
            hook().observe("error", e.stderr)

    sim.add_app("prov", probe({}), PROV_META)
    sim.add_app("req", probe({"relation-created": write_app}), REQ_META, units=2)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = [r for r in sim.run_until_quiet() if r.hook.endswith("relation-created")]
    follower = next(r for r in records if r.unit == "req/1")
    assert "cannot write relation settings" in follower.observations["error"]
    assert sim.app_data(rid, "req") == {"k": "req/0"}


def test_writing_the_app_bag_of_a_removed_relation_in_relation_broken_is_refused(
    sim: Simulator,
) -> None:
    """During relation-broken of a removed relation, ops gets Juju's permission error and copes."""

    def write_app(charm: ProbeCharm, event: ops.EventBase) -> None:
        rid = hook().relation_id
        assert rid is not None
        try:
            hookcmds.relation_set({"k": "v"}, rid, app=True)
        except hookcmds.Error as e:
            hook().observe("error", e.stderr)
        relation = charm.model.get_relation("k8s-service", rid)
        assert relation is not None
        hook().observe("ops-read", dict(relation.data[charm.app]))

    sim.add_app("prov", probe({}), PROV_META)
    sim.add_app("req", probe({"relation-broken": write_app}), REQ_META)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    sim.unrelate(rid)
    records = sim.run_until_quiet()
    broken = next(r for r in records if r.unit == "req/0" and r.hook.endswith("relation-broken"))
    assert "permission denied" in broken.observations["error"]
    assert broken.observations["ops-read"] == {}


def test_state_set_values_over_64_kib_fail_the_hook_and_are_reported(tmp_path: Path) -> None:
    """Controller storage refuses a value over Juju's 64 KiB quota, failing the hook."""

    class Big(ops.CharmBase):
        _stored = ops.StoredState()

        def __init__(self, framework: ops.Framework) -> None:
            super().__init__(framework)
            framework.observe(self.on.config_changed, self._on_config)

        def _on_config(self, event: ops.ConfigChangedEvent) -> None:
            self._stored.blob = "x" * int(self.config.get("size", 10))

    with Simulator(seed=0, workdir=tmp_path, storage="controller") as sim:
        sim.add_app("big", Big, PROV_META, config={"size": 10})
        assert all(r.ok for r in sim.run_until_quiet())
        before = sim.state_bytes("big/0")
        sim.set_config("big", {"size": MAX_STATE_VALUE + 1})
        record = sim.step()
        assert record is not None
        assert not record.ok
        assert record.state_limit_hits == 1
        assert sim.state_limit_hits == 1
        assert record.error is not None
        assert "CalledProcessError" in record.error
        assert record.bytes_written == 0
        assert sim.state_bytes("big/0") == before
        sim.set_config("big", {"size": 100})
        records = sim.run_until_quiet()
        assert records[-1].ok
        assert records[-1].attempt == 2
        assert sim.state_limit_hits == 1


def test_controller_storage_keeps_state_in_the_controller(tmp_path: Path) -> None:
    """With controller storage, StoredState lives in state-set values, not in a local DB."""
    with Simulator(seed=0, workdir=tmp_path, storage="controller") as sim:
        sim.add_app("store", StoredCharm, REQ_META)
        sim.run_until_quiet()
        seen: list[int] = []
        for _ in range(2):
            sim.update_status()
            record = sim.step()
            assert record is not None
            seen.append(record.observations["hooks"])
            assert record.tool_calls["state-set"] > 0
            assert record.bytes_written > 0
        assert seen[1] == seen[0] + 1
        assert not (tmp_path / "store-0" / ".unit-state.db").exists()
        values = sim.charm_state("store/0")
        assert sim.state_bytes("store/0") == sum(len(v.encode()) for v in values.values()) > 0
        stored = yaml.safe_load(values["StoredCharm/StoredStateData[_stored]"])
        assert stored["hooks"] == seen[1]


def test_peer_units_may_read_the_peer_application_bag(sim: Simulator) -> None:
    """On a peer relation every unit may read the application bag the leader writes."""

    def peer_hook(charm: ProbeCharm, event: ops.EventBase) -> None:
        relation = charm.model.get_relation("cluster")
        assert relation is not None
        if charm.unit.is_leader():
            relation.data[charm.app]["token"] = "t1"
        else:
            hook().observe("token", relation.data[charm.app].get("token"))

    sim.add_app(
        "peer",
        probe({"cluster-relation-changed": peer_hook, "start": peer_hook}),
        PEER_META,
        units=2,
    )
    records = sim.run_until_quiet()
    follower = [r for r in records if r.unit == "peer/1" and "token" in r.observations]
    assert follower
    assert follower[-1].observations["token"] == "t1"


@pytest.mark.parametrize("argv", [["relation-get", "--bogus"], ["relation-ids", "-r"]])
def test_bad_flags_fail_like_juju_flag_parsing(tmp_path: Path, argv: list[str]) -> None:
    """Unknown or incomplete flags exit with status 2 and a gnuflag-style message."""

    def call(charm: ProbeCharm, event: ops.EventBase) -> None:
        done = subprocess.run(argv, capture_output=True, text=True)
        hook().observe("error", (done.returncode, done.stderr))

    # The exec mode runs the real tool executables, so a raw argv can be given to one.
    with Simulator(seed=0, workdir=tmp_path, hook_tools="exec") as sim:
        sim.add_app("prov", probe({"install": call}), PROV_META)
        record = sim.step()
    assert record is not None
    code, stderr = record.observations["error"]
    assert code == 2
    assert stderr.startswith("ERROR flag")
