"""The consistency suite: random lifecycles in the simulator, invariants on the shipped backends.

A hypothesis state machine plays lifecycle operations (relate, unrelate, port changes, pod
reschedules, upgrades, leader changes, scaling, hook failures) interleaved with hooks, then drains
every queue and checks what the study measures. The two shipped backends must be consistent; the
baselines from the design discussion must be caught breaking the same invariants.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from jujusim import LibraryBackend, Simulator, Strategy
from jujusim.vocabulary import BASELINES, LIBRARY_BACKENDS, Baseline
from study.charms import requirer_charm
from study.deployment import REQUIRER_APP, Deployment
from study.metrics import RunMetrics
from study.run import run_once
from study.scenarios import SCENARIOS

BROKEN_INVARIANT = "^invariant broken: "
"""How every message of ``assert_consistent`` starts (so a test can tell it from other asserts)."""


def assert_consistent(metrics: RunMetrics, *, live: bool) -> None:
    """Assert every invariant the shipped backends promise."""
    broken = "invariant broken: "
    assert metrics.failed_hooks == 0, broken + "a hook failed because of the library"
    if live:
        assert metrics.stale_hooks == 0, broken + "the live backend was stale within a hook"
    assert metrics.stale_at_quiescence == 0, broken + "a unit was still stale at quiescence"
    assert metrics.missed_at_quiescence == 0, broken + "a change was never announced"
    assert metrics.duplicate_events == 0, broken + "a change was announced twice"
    assert metrics.dropped_events == 0, broken + "an event was emitted where nobody observed it"
    assert metrics.spurious_events == 0, broken + "an event changed only the order"
    assert metrics.order_disagreements == 0, broken + "units ordered the services differently"
    assert metrics.order_flips == 0, broken + "a unit's order changed while its services did not"


class _Lifecycle(RuleBasedStateMachine):
    """Random lifecycles of a requirer application and its providers."""

    strategy: Strategy = "live"

    def __init__(self) -> None:
        super().__init__()
        self._workdir = tempfile.TemporaryDirectory(prefix="consistency-")
        self.model: Deployment | None = None

    @initialize(seed=st.integers(0, 2**16))
    def deploy(self, seed: int) -> None:
        """Deploy the requirer (two units) and one related provider."""
        sim = Simulator(seed=seed, workdir=Path(self._workdir.name))
        self.model = Deployment.deployed(sim, requirer_charm(self.strategy), seed=seed)
        self.model.add_provider()

    @property
    def _model(self) -> Deployment:
        assert self.model is not None
        return self.model

    @rule(hooks=st.integers(0, 30))
    def run_hooks(self, hooks: int) -> None:
        """Run a few hooks."""
        self._model.steps(hooks)

    @rule(units=st.integers(1, 2), port=st.integers(1, 65535))
    def relate_provider(self, units: int, port: int) -> None:
        """Deploy and relate another provider."""
        self._model.add_provider(units=units, port=port)

    @precondition(lambda self: bool(self.model and self.model.relations))
    @rule(data=st.data())
    def unrelate_provider(self, data: st.DataObject) -> None:
        """Remove one provider's relation."""
        self._model.unrelate(data.draw(st.sampled_from(sorted(self._model.relations))))

    @precondition(lambda self: bool(self.model and self.model.relations))
    @rule(data=st.data(), port=st.integers(1, 65535))
    def change_port(self, data: st.DataObject, port: int) -> None:
        """A provider publishes a new port."""
        self._model.set_port(data.draw(st.sampled_from(sorted(self._model.relations))), port)

    @rule(data=st.data())
    def reschedule_requirer_pod(self, data: st.DataObject) -> None:
        """A requirer pod is rescheduled: its state is lost."""
        units = self._model.sim.units(REQUIRER_APP)
        self._model.sim.reschedule(data.draw(st.sampled_from(units)))

    @rule()
    def upgrade_requirer(self) -> None:
        """The requirer application is upgraded: every pod is replaced."""
        self._model.sim.upgrade_charm(REQUIRER_APP)

    @rule(data=st.data())
    def move_requirer_leadership(self, data: st.DataObject) -> None:
        """Leadership of the requirer application moves."""
        units = self._model.sim.units(REQUIRER_APP)
        self._model.sim.set_leader(data.draw(st.sampled_from(units)))

    @rule()
    def add_requirer_unit(self) -> None:
        """The requirer application scales up."""
        self._model.sim.add_unit(REQUIRER_APP)

    @precondition(lambda self: bool(self.model and len(self.model.sim.units(REQUIRER_APP)) > 1))
    @rule(data=st.data())
    def remove_requirer_unit(self, data: st.DataObject) -> None:
        """The requirer application scales down."""
        units = self._model.sim.units(REQUIRER_APP)
        self._model.sim.remove_unit(data.draw(st.sampled_from(units)))

    @rule(data=st.data())
    def fail_a_requirer_hook(self, data: st.DataObject) -> None:
        """The next hook of a requirer unit fails (for a reason outside the library)."""
        units = self._model.sim.units(REQUIRER_APP)
        self._model.sim.fail_next_hook(data.draw(st.sampled_from(units)))

    @rule()
    def update_status(self) -> None:
        """Juju runs update-status on the requirer's units."""
        self._model.sim.update_status(REQUIRER_APP)

    def teardown(self) -> None:
        """Drain every queue, then check the whole run against the invariants."""
        try:
            if self.model is not None:
                metrics = self.model.measure_at_quiescence()
                self.model.sim.close()
                assert_consistent(metrics, live=self.strategy == "live")
        finally:
            self._workdir.cleanup()


_SETTINGS = settings(max_examples=12, stateful_step_count=12, deadline=None)


@_SETTINGS
class LiveBackendLifecycle(_Lifecycle):
    """The live backend stays consistent through random lifecycles."""

    strategy = "live"

    @rule(data=st.data())
    def skip_a_failed_requirer_hook(self, data: st.DataObject) -> None:
        """A requirer hook fails and is resolved with --no-retry (live must still announce)."""
        sim = self._model.sim
        unit = data.draw(st.sampled_from(sim.units(REQUIRER_APP)))
        sim.fail_next_hook(unit)
        for _ in range(60):
            record = sim.step()
            if record is None:
                return
            if record.unit == unit and not record.ok:
                sim.resolve_no_retry(unit)
                return


@_SETTINGS
class StoredBackendLifecycle(_Lifecycle):
    """The stored backend stays consistent through random lifecycles."""

    strategy = "stored"


TestLiveBackendLifecycle = LiveBackendLifecycle.TestCase
TestStoredBackendLifecycle = StoredBackendLifecycle.TestCase


class TestNamedScenarios:
    """Every scenario of the catalogue keeps the shipped backends consistent."""

    @pytest.mark.parametrize("strategy", LIBRARY_BACKENDS)
    @pytest.mark.parametrize("scenario", [s.name for s in SCENARIOS if s.name != "many-relations"])
    def test_given_shipped_backend_when_scenario_plays_then_invariants_hold(
        self, strategy: LibraryBackend, scenario: str
    ):
        """The scenario ends consistent: nothing stale, missed, duplicated, dropped, reordered."""
        run = run_once(strategy, scenario, seed=0)

        assert run.metrics.hooks > 0
        assert_consistent(run.metrics, live=strategy == "live")


class TestStudyCatchesBaselines:
    """The study sees the faults the design discussion predicted in the naive designs."""

    def test_given_init_emit_when_relations_change_then_events_are_dropped_and_missed(self):
        """Emitting from ``__init__`` reaches no observer, so changes are never announced."""
        run = run_once("init-emit", "steady", seed=0)

        assert run.metrics.events_emitted > 0
        assert run.metrics.events_received == 0
        assert run.metrics.dropped_events == run.metrics.events_emitted
        assert run.metrics.missed_at_quiescence > 0

    def test_given_hybrid_without_departure_when_relation_broken_then_removal_is_missed(self):
        """Checking only on joined/changed never announces a provider that went away."""
        run = run_once("hybrid", "broken-while-data-changes", seed=0)

        assert run.metrics.missed_at_quiescence > 0
        assert run.metrics.stale_hooks == 0

    def test_given_naive_cache_when_pod_replaced_then_stale_at_quiescence(self):
        """A cache with no recovery stays empty after the pod lost its state."""
        run = run_once("naive-cache", "pod-churn", seed=0)

        assert run.metrics.stale_at_quiescence > 0

    def test_given_naive_cache_when_relations_arrive_in_different_orders_then_units_disagree(
        self,
    ):
        """Arrival order differs between units, and so does the order they present."""
        disagreements = sum(
            run_once("naive-cache", "relation-id-order", seed).metrics.order_disagreements
            for seed in range(3)
        )

        assert disagreements > 0

    def test_given_stored_backend_when_data_changes_then_stale_within_hooks_is_seen(self):
        """The cache lags live data between a remote write and its relation-changed hook."""
        run = run_once("stored", "relation-id-order", seed=0)

        assert run.metrics.stale_hooks > 0
        assert run.metrics.stale_at_quiescence == 0

    def test_given_naive_cache_when_a_hook_is_skipped_then_stale_at_quiescence(self):
        """A relation-changed resolved with --no-retry leaves a cache with no heal stale."""
        run = run_once("naive-cache", "skipped-hook", seed=0)

        assert run.metrics.stale_at_quiescence > 0

    def test_given_live_backend_when_data_changes_then_it_runs_ahead_of_its_notifications(self):
        """Live is never behind the providers but is ahead of what its hooks have told it."""
        run = run_once("live", "realistic-mix", seed=0)

        assert run.metrics.stale_hooks == 0
        assert run.metrics.notified_stale_hooks > 0

    def test_given_realistic_mix_then_timer_and_workload_hooks_dominate(self):
        """Most requirer hooks of the realistic mix are update-status and workload hooks."""
        hooks = run_once("live", "realistic-mix", seed=0).metrics.hooks_by_hook
        steady = ("update-status", "workload-pebble-ready", "show-upstreams-action")

        assert sum(hooks.get(kind, 0) for kind in steady) > sum(hooks.values()) / 2
        assert all(hooks.get(kind, 0) > 0 for kind in steady)

    def test_given_realistic_mix_then_stored_lags_and_runs_ahead_less_than_live(self):
        """Stored lags the providers at times, and runs ahead of its hooks less often than live."""
        stored = run_once("stored", "realistic-mix", seed=0).metrics
        live = run_once("live", "realistic-mix", seed=0).metrics

        assert stored.stale_hooks > 0
        assert stored.notified_stale_hooks < live.notified_stale_hooks


class TestStateMachineCatchesBaselines:
    """The same state machine fails on the naive designs, so its invariants can fail."""

    @pytest.mark.parametrize("strategy", BASELINES)
    def test_given_baseline_when_random_lifecycles_play_then_an_invariant_breaks(
        self, strategy: Baseline
    ):
        """Random lifecycles (a fixed set of them) find a broken invariant in each naive design."""

        class BaselineLifecycle(_Lifecycle):
            pass

        BaselineLifecycle.strategy = strategy

        with pytest.raises(AssertionError, match=BROKEN_INVARIANT):
            run_state_machine_as_test(
                BaselineLifecycle,
                settings=settings(
                    max_examples=400,  # stops at the first fault; a rare one needs room
                    stateful_step_count=12,
                    deadline=None,
                    phases=[Phase.generate],
                    derandomize=True,
                    database=None,
                ),
            )
