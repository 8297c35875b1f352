"""Contract: a relation-changed the unit never ran (``juju resolved --no-retry``) is not lost.

Juju can mark a failed hook done without running it; the unit's charm then never saw the change
that hook carried. Both backends announce it in the next hook that reads ``services``: the live
backend reads it there, the stored backend re-reads one relation per such hook, round robin.
"""

from __future__ import annotations

import pytest
from ops import testing

from tests.helpers import (
    V0_DATA,
    RequirerCharm,
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

    def test_the_next_hook_that_reads_services_announces_the_missed_change(
        self, requirer_ctx: Ctx
    ):
        """update-status that reads ``services`` fires one event with the new port."""
        relation = provider_relation(data=V0_DATA)
        state = _skipped(requirer_ctx, relation)

        result = run_requirer(requirer_ctx, requirer_ctx.on.update_status(), state)

        assert result.changes == ((expected_service(relation, port=9999),),)
        assert result.services == (expected_service(relation, port=9999),)

    def test_a_hook_that_reads_nothing_announces_nothing_and_the_next_reader_does(
        self, requirer_ctx: Ctx
    ):
        """A hook not reading ``services`` stays silent; the next one that reads announces."""
        relation = provider_relation(data=V0_DATA)
        state = _skipped(requirer_ctx, relation)

        silent = run_requirer(
            requirer_ctx, requirer_ctx.on.config_changed(), state, read_at_end=False
        )
        reader = run_requirer(requirer_ctx, requirer_ctx.on.update_status(), silent.state)

        assert silent.changes == ()
        assert reader.changes == ((expected_service(relation, port=9999),),)

    def test_the_missed_change_is_announced_exactly_once(self, requirer_ctx: Ctx):
        """After the announcing hook, further reading hooks fire nothing."""
        relation = provider_relation(data=V0_DATA)
        state = run_requirer(
            requirer_ctx, requirer_ctx.on.update_status(), _skipped(requirer_ctx, relation)
        ).state

        again = run_requirer(requirer_ctx, requirer_ctx.on.update_status(), state)

        assert again.changes == ()
        assert again.services == (expected_service(relation, port=9999),)

    @pytest.mark.parametrize("relations", [2, 3])
    def test_with_n_relations_the_change_is_announced_within_n_reading_hooks(
        self, requirer_ctx: Ctx, relations: int
    ):
        """Within N reading update-status hooks, one event carries the new port (the bound)."""
        related = [
            provider_relation(data=v0_data(name=f"svc{i}"), app=f"p{i}") for i in range(relations)
        ]
        state = _skipped(requirer_ctx, *related, name="svc0")
        changes: list[tuple[object, ...]] = []
        for _ in range(relations):
            result = run_requirer(requirer_ctx, requirer_ctx.on.update_status(), state)
            changes += result.changes
            state = result.state

        assert len(changes) == 1
        assert expected_service(related[0], name="svc0", port=9999) in changes[0]
