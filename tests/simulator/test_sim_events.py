"""Workload, secret and action events: what the charm gets, and where Juju puts them in line."""

from __future__ import annotations

import ops
import pytest

from jujusim import HookRecord, Simulator
from tests.simulator.charms import (
    EVENT_META,
    PROV_META,
    ProbeCharm,
    ProviderCharm,
    hook,
    probe,
    record_env,
)


def _note_event(charm: ProbeCharm, event: ops.EventBase) -> None:
    if isinstance(event, ops.PebbleReadyEvent):
        hook().observe("workload", event.workload.name)
    elif isinstance(event, ops.SecretChangedEvent):
        hook().observe("secret", (event.secret.id, event.secret.label))
        hook().observe("content", event.secret.get_content(refresh=True))
        try:
            charm.model.get_secret(label="nothing-by-this-label")
        except ops.SecretNotFoundError:
            hook().observe("unknown label", "not found")
    elif isinstance(event, ops.ActionEvent):
        hook().observe("params", dict(event.params))
        if event.params.get("mode") == "fail":
            event.fail("asked to fail")
        elif event.params.get("mode") == "raise":
            raise RuntimeError("the action broke")
        else:
            event.set_results({"done": "yes"})


def _settled(sim: Simulator) -> int:
    """Deploy ``prov`` and an event-observing ``req``, related and settled."""
    sim.add_app("prov", ProviderCharm, PROV_META, config={"port": 80})
    sim.add_app("req", probe({"*": _note_event}), EVENT_META)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    sim.run_until_quiet()
    return rid


def _drain(sim: Simulator, unit: str) -> list[HookRecord]:
    """Run the unit's hooks (at most 20, so that a hook failing on every retry ends it)."""
    records: list[HookRecord] = []
    while len(records) < 20 and (record := sim.step(unit)) is not None:
        records.append(record)
    return records


class TestDispatch:
    """Tests for what the charm receives through ops."""

    def test_pebble_ready(self, sim: Simulator) -> None:
        """pebble-ready dispatches ``<container>-pebble-ready`` with ``JUJU_WORKLOAD_NAME``."""
        sim.add_app("req", probe({"pebble-ready": record_env}), EVENT_META)
        sim.run_until_quiet()
        sim.pebble_ready("req/0", "workload")
        record = sim.step()
        assert record is not None
        assert (record.hook, record.ok) == ("workload-pebble-ready", True)
        assert record.observations["env"]["JUJU_WORKLOAD_NAME"] == "workload"

    def test_secret_changed(self, sim: Simulator) -> None:
        """secret-changed gives the secret's id and label; secret-get its newest content."""
        _settled(sim)
        sim.secret_changed("req", "secret:cs7ir3nmp25c7b6g4esg", {"password": "s3"}, label="db")
        [record] = sim.run_until_quiet(max_hooks=20)
        assert record.hook == "secret-changed"
        assert record.observations["secret"] == ("secret:cs7ir3nmp25c7b6g4esg", "db")
        assert record.observations["content"] == {"password": "s3"}
        assert record.observations["unknown label"] == "not found"

    def test_action_results(self, sim: Simulator) -> None:
        """An action gets its params through action-get; its results end up in ``action``."""
        _settled(sim)
        action_id = sim.run_action("req/0", "refresh", {"mode": "quick"})
        assert sim.action(action_id).status == "pending"
        [record] = sim.run_until_quiet(max_hooks=20)
        assert (record.hook, record.observations["params"]) == (
            "refresh-action",
            {"mode": "quick"},
        )
        outcome = sim.action(action_id)
        assert (outcome.status, dict(outcome.results)) == ("completed", {"done": "yes"})

    @pytest.mark.parametrize(("mode", "message"), [("fail", "asked to fail"), ("raise", "broke")])
    def test_a_failed_action_fails_itself_not_the_unit(
        self, sim: Simulator, mode: str, message: str
    ) -> None:
        """``event.fail`` or an exception fails the action; the unit has nothing to retry."""
        _settled(sim)
        action_id = sim.run_action("req/0", "refresh", {"mode": mode})
        [record] = sim.run_until_quiet(max_hooks=20)
        outcome = sim.action(action_id)
        assert outcome.status == "failed"
        assert message in outcome.message
        assert record.ok is (mode == "fail")
        assert sim.is_quiet

    def test_undeclared_names_are_refused(self, sim: Simulator) -> None:
        """A container or action the charm does not declare is refused, naming what it has."""
        _settled(sim)
        with pytest.raises(ValueError, match=r"declares no containers 'db': \['workload'\]"):
            sim.pebble_ready("req/0", "db")
        with pytest.raises(ValueError, match=r"declares no actions 'backup': \['refresh'\]"):
            sim.run_action("req/0", "backup")
        with pytest.raises(ValueError, match="a secret id starts with 'secret:'"):
            sim.secret_changed("req", "db-password")


class TestOrder:
    """Tests for where Juju's resolver puts the events among other hooks."""

    def test_events_run_before_relation_hooks_in_resolver_order(self, sim: Simulator) -> None:
        """Pebble-ready, then secret-changed, then the action, then the pending relation hook."""
        rid = _settled(sim)
        sim.set_relation_data(rid, "prov", {"service-port": "81"})
        sim.run_action("req/0", "refresh")
        sim.secret_changed("req/0", "secret:one")
        sim.pebble_ready("req/0", "workload")
        assert [r.hook for r in _drain(sim, "req/0")] == [
            "workload-pebble-ready",
            "secret-changed",
            "refresh-action",
            "k8s-service-relation-changed",
        ]

    def test_secret_revisions_coalesce(self, sim: Simulator) -> None:
        """Two new revisions of a secret before the unit runs give one secret-changed."""
        _settled(sim)
        sim.secret_changed("req/0", "secret:one")
        sim.secret_changed("req/0", "secret:one")
        assert [r.hook for r in _drain(sim, "req/0")] == ["secret-changed"]

    def test_a_hook_queued_by_the_last_commit_runs_before_events(self, sim: Simulator) -> None:
        """After the first config-changed, Juju has start queued: it runs before pebble-ready."""
        sim.add_app("req", probe({}), EVENT_META)
        hooks = [sim.step("req/0") for _ in range(3)]
        assert [r.hook for r in hooks if r is not None] == [
            "install",
            "leader-elected",
            "config-changed",
        ]
        sim.pebble_ready("req/0", "workload")
        assert [r.hook for r in _drain(sim, "req/0")] == ["start", "workload-pebble-ready"]

    def test_events_run_before_lifecycle_hooks_juju_has_not_queued(self, sim: Simulator) -> None:
        """A config-changed from a config change waits for a pending pebble-ready."""
        sim.add_app("req", probe({}), EVENT_META)
        sim.run_until_quiet()
        sim.set_config("req", {"x": 1})
        sim.pebble_ready("req/0", "workload")
        hooks = [r.hook for r in _drain(sim, "req/0")]
        assert hooks == ["workload-pebble-ready", "config-changed"]

    def test_an_action_runs_while_a_hook_is_in_error(self, sim: Simulator) -> None:
        """An action queued after a hook failed runs before the hook's retry."""
        rid = _settled(sim)
        sim.set_relation_data(rid, "prov", {"service-port": "82"})
        sim.fail_next_hook("req/0")
        failed = sim.step("req/0")
        assert failed is not None
        assert not failed.ok
        sim.run_action("req/0", "refresh")
        hooks = [(r.hook, r.attempt) for r in _drain(sim, "req/0")]
        assert hooks == [("refresh-action", 1), ("k8s-service-relation-changed", 2)]

    def test_a_dying_unit_runs_no_secret_changed(self, sim: Simulator) -> None:
        """A unit being removed is not told of new secret revisions."""
        _settled(sim)
        sim.secret_changed("req/0", "secret:one")
        sim.remove_unit("req/0")
        hooks = [r.hook for r in _drain(sim, "req/0")]
        assert hooks[-2:] == ["stop", "remove"]
        assert "secret-changed" not in hooks
