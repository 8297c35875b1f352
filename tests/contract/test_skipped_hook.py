"""Contract: a relation-changed the unit never ran (``juju resolved --no-retry``) is not lost.

Juju can mark a failed hook done without running it; the unit's charm then never saw the change
that hook carried. Both backends announce it: the live backend in the next hook that reads
``services``, the stored backend once its round-robin re-read (``rereads_per_event`` other
relations per relation event of the endpoint) reaches it.
"""

from __future__ import annotations

from types import ModuleType

import ops
import pytest
from ops import testing

import interface_live
import interface_stored
from tests.helpers import (
    REQUIRER_META,
    V0_DATA,
    RequirerCharm,
    current,
    established,
    expected_service,
    provider_relation,
    run_requirer,
    updated,
    v0_data,
)

Ctx = testing.Context[RequirerCharm]


def _skipped(
    ctx: Ctx, *relations: testing.Relation, name: str = "kfp-api.kubeflow"
) -> testing.State:
    """Every relation served, then the first one's port changed with its hook never run."""
    state = established(ctx, *relations)
    state, _ = updated(state, relations[0], remote_app_data=v0_data(name=name, port=9999))
    return state


class TestSkippedRelationChanged:
    """A change whose relation-changed was skipped reaches the charm, once."""

    def test_the_next_update_status_that_reads_announces_what_it_reads(
        self, requirer_ctx: Ctx, backend: ModuleType
    ):
        """Live reads and announces the new port; stored shows its cache, silently, till healed."""
        relation = provider_relation(data=V0_DATA)
        state = _skipped(requirer_ctx, relation)

        result = run_requirer(requirer_ctx, requirer_ctx.on.update_status(), state)

        port = 9999 if backend is interface_live else 8888
        assert result.services == (expected_service(relation, port=port),)
        assert result.changes == (
            ((expected_service(relation, port=9999),),) if port == 9999 else ()
        )

    def test_a_hook_that_reads_nothing_announces_nothing(self, requirer_ctx: Ctx):
        """A hook that does not read ``services`` fires nothing, whatever it missed."""
        relation = provider_relation(data=V0_DATA)
        state = _skipped(requirer_ctx, relation)

        silent = run_requirer(
            requirer_ctx, requirer_ctx.on.config_changed(), state, read_at_end=False
        )

        assert silent.changes == ()

    @pytest.mark.parametrize("relations", [2, 3])
    def test_within_n_relation_events_the_change_is_announced_exactly_once(
        self, requirer_ctx: Ctx, relations: int
    ):
        """Within N relation events (data unchanged), one event carries the new port, no more."""
        related = [
            provider_relation(data=v0_data(name=f"svc{i}"), app=f"p{i}") for i in range(relations)
        ]
        state = _skipped(requirer_ctx, *related, name="svc0")
        changes: list[tuple[object, ...]] = []
        services: tuple[object, ...] = ()
        for index in [*range(1, relations), *range(1, relations)]:
            event = requirer_ctx.on.relation_changed(current(state, related[index]), remote_unit=0)
            result = run_requirer(requirer_ctx, event, state)
            changes += result.changes
            state, services = result.state, result.services or ()

        assert len(changes) == 1
        assert expected_service(related[0], name="svc0", port=9999) in changes[0]
        assert expected_service(related[0], name="svc0", port=9999) in services


class _StoredWithBudget(interface_stored.K8sServiceRequirer):
    """The stored requirer with another re-read budget (set per test)."""


def _stored_ctx(budget: int) -> Ctx:
    _StoredWithBudget.rereads_per_event = budget
    charm = type("DashboardCharm", (RequirerCharm,), {"requirer_type": _StoredWithBudget})
    return testing.Context(charm, meta=REQUIRER_META)


class TestRereadBudget:
    """``rereads_per_event`` bounds how fast the stored backend heals a skipped change."""

    @pytest.mark.parametrize(("budget", "events_to_heal"), [(1, 4), (2, 2), (4, 1)])
    def test_a_budget_of_k_heals_within_the_stated_bound(self, budget: int, events_to_heal: int):
        """With N=5, a budget of k heals in ceil((N - 1) / k) events at worst (the last id)."""
        ctx = _stored_ctx(budget)
        related = [provider_relation(data=v0_data(name=f"svc{i}"), app=f"p{i}") for i in range(5)]
        state = _skipped(ctx, related[4], *related[:4], name="svc4")
        healed = expected_service(related[4], name="svc4", port=9999)
        healed_after: list[int] = []
        for count, index in enumerate([0, 1, 2, 3], start=1):
            event = ctx.on.relation_changed(current(state, related[index]), remote_unit=0)
            result = run_requirer(ctx, event, state)
            state = result.state
            if healed in (result.services or ()):
                healed_after.append(count)

        assert healed_after[:1] == [events_to_heal]

    def test_a_budget_of_zero_never_heals(self):
        """With healing off, the skipped change stays out of the cache through relation events."""
        ctx = _stored_ctx(0)
        related = [provider_relation(data=v0_data(name=f"svc{i}"), app=f"p{i}") for i in range(3)]
        state = _skipped(ctx, *related, name="svc0")
        for index in [1, 2, 1, 2]:
            event = ctx.on.relation_changed(current(state, related[index]), remote_unit=0)
            result = run_requirer(ctx, event, state)
            state = result.state

            assert result.services is not None
            assert expected_service(related[0], name="svc0") in result.services  # as cached
            assert expected_service(related[0], name="svc0", port=9999) not in result.services

    @pytest.mark.parametrize("budget", [-1, 1.5, True])
    def test_a_budget_that_is_not_a_count_is_refused_at_construction(self, budget: object):
        """A subclass setting a negative, fractional or boolean budget gets a clear ValueError."""
        _StoredWithBudget.rereads_per_event = budget  # type: ignore[assignment]
        ctx = testing.Context(ops.CharmBase, meta=REQUIRER_META)

        refused = pytest.raises(ValueError, match=r"rereads_per_event must be an int of 0 or more")
        with ctx(ctx.on.update_status(), testing.State()) as manager, refused:
            _StoredWithBudget(manager.charm)
