"""Model time: the update-status timer, and the leadership lease gap after a leader resigns."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import ops
import pytest

from jujusim import HookRecord, Simulator
from tests.simulator.charms import PEER_META, PROV_META, REQ_META, ProbeCharm, hook, probe


def _update_status_per_unit(records: list[HookRecord]) -> Counter[str]:
    return Counter(r.unit for r in records if r.hook == "update-status")


class TestUpdateStatusTimer:
    """Tests for update-status every ``update_status_interval`` of model time."""

    def test_ten_minutes_give_two_per_unit(self, sim: Simulator) -> None:
        """With Juju's default 5 min interval, 600 s of model time run two on every unit."""
        sim.add_app("prov", probe({}), PROV_META, units=2)
        sim.add_app("req", probe({}), REQ_META)
        sim.relate("prov", "k8s-service", "req", "k8s-service")
        records = sim.clock.advance(600)
        assert _update_status_per_unit(records) == {"prov/0": 2, "prov/1": 2, "req/0": 2}
        assert sim.clock.now == 600
        assert records[-1].hook == "update-status"

    def test_each_agent_ticks_from_its_own_start(self, tmp_path: Path) -> None:
        """A unit added at 100 s ticks at 400 s; the first one at 300 s and 600 s."""
        with Simulator(workdir=tmp_path, update_status_interval=300) as sim:
            sim.add_app("req", probe({}), REQ_META)
            sim.clock.advance(100)
            sim.add_unit("req")
            records = sim.clock.advance(500)
        assert _update_status_per_unit(records) == {"req/0": 2, "req/1": 1}

    def test_the_interval_is_a_setting(self, sim: Simulator) -> None:
        """Set to 60 s after the deploy, from the next tick on: 300, 360, ..., 600 s give six."""
        sim.add_app("req", probe({}), REQ_META)
        sim.clock.update_status_interval = 60
        assert _update_status_per_unit(sim.clock.advance(600)) == {"req/0": 6}
        with pytest.raises(ValueError, match="update_status_interval must be > 0, not 0"):
            sim.clock.update_status_interval = 0

    def test_no_update_status_before_start(self, sim: Simulator) -> None:
        """An update-status due on a unit that has not started runs only after its start."""
        sim.add_app("req", probe({}), REQ_META)
        sim.update_status("req/0")
        hooks = [r.hook for r in sim.run_until_quiet()]
        assert hooks[-2:] == ["start", "update-status"]

    def test_a_unit_being_removed_gets_none(self, sim: Simulator) -> None:
        """A unit being removed runs no timed update-status; the others still do."""
        sim.add_app("req", probe({}), REQ_META, units=2)
        sim.run_until_quiet()
        sim.remove_unit("req/1")
        assert _update_status_per_unit(sim.clock.advance(300)) == {"req/0": 1}

    def test_time_cannot_go_back(self, sim: Simulator) -> None:
        """A negative advance is refused."""
        with pytest.raises(ValueError, match="time cannot go back"):
            sim.clock.advance(-1)


class TestLeaseGap:
    """Tests for the window without a leader after a dying leader resigns."""

    @staticmethod
    def _watch(sim: Simulator) -> type[ProbeCharm]:
        """A peer charm noting, in every hook, its own is-leader and the model's leader."""

        def note(charm: ProbeCharm, event: ops.EventBase) -> None:
            hook().observe("is_leader", charm.unit.is_leader())
            try:
                hook().observe("leader", sim.leader("peer"))
            except LookupError:
                hook().observe("leader", None)

        return probe({"*": note})

    def test_no_unit_is_leader_between_resignation_and_election(self, tmp_path: Path) -> None:
        """Removing the leader: three hooks, on any unit, run with no leader; then peer/1 is."""
        with Simulator(workdir=tmp_path, leader_gap_hooks=3) as sim:
            sim.add_app("peer", self._watch(sim), PEER_META, units=3)
            sim.run_until_quiet()
            sim.remove_unit("peer/0")
            sim.set_config("peer", {"x": 1})  # work for the other units during the gap
            records = sim.run_until_quiet()
        assert [r.observations["leader"] for r in records[:3]] == [None, None, None]
        assert not any(r.observations["is_leader"] for r in records[:3])
        assert {r.unit for r in records[:3]} > {"peer/0"}
        assert {r.observations["leader"] for r in records[3:]} == {"peer/1"}
        elected = next(r for r in records if r.hook == "leader-elected")
        assert (elected.unit, elected.observations["is_leader"]) == ("peer/1", True)

    def test_the_dying_leader_is_not_leader_in_its_own_hooks(self, sim: Simulator) -> None:
        """Every hook the removed leader runs after it resigned sees ``is_leader()`` False."""
        sim.add_app("peer", self._watch(sim), PEER_META, units=2)
        sim.run_until_quiet()
        sim.remove_unit("peer/0")
        mine = [r for r in sim.run_until_quiet() if r.unit == "peer/0"]
        assert [r.hook for r in mine][-2:] == ["stop", "remove"]
        assert not any(r.observations["is_leader"] for r in mine)

    def test_an_idle_model_elects_at_once(self, tmp_path: Path) -> None:
        """With nothing else to run, the lease runs out and the next unit is elected."""
        with Simulator(workdir=tmp_path, leader_gap_hooks=1000) as sim:
            sim.add_app("req", probe({}), REQ_META, units=2)
            sim.run_until_quiet()
            sim.remove_unit("req/0")
            sim.run_until_quiet()
            assert sim.leader("req") == "req/1"

    def test_set_leader_ends_the_gap(self, sim: Simulator) -> None:
        """Choosing a leader during the gap makes it leader, and no other election follows."""
        sim.add_app("req", probe({}), REQ_META, units=3)
        sim.run_until_quiet()
        sim.remove_unit("req/0")
        sim.set_leader("req/2")
        elected = [r.unit for r in sim.run_until_quiet() if r.hook == "leader-elected"]
        assert (elected, sim.leader("req")) == (["req/2"], "req/2")
