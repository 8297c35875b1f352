"""Contract: ``K8sServiceRequirer.services`` and ``on.services_changed``, for both backends."""

from __future__ import annotations

import dataclasses

import pytest
from ops import testing

from tests.helpers import (
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


class TestServicesAppear:
    """When and how a provider's service first becomes visible."""

    def test_given_data_written_before_join_when_relation_joined_then_service_seen_at_joined(
        self, requirer_ctx: Ctx
    ):
        """Data already in the provider's databag at relation-joined is served at joined."""
        relation = provider_relation(data=V0_DATA)
        state = established(requirer_ctx)
        created = dataclasses.replace(relation, remote_app_data={}, remote_units_data={})
        state = dataclasses.replace(state, relations={created})
        at_created = run_requirer(requirer_ctx, requirer_ctx.on.relation_created(created), state)
        state, joined = updated(
            at_created.state, relation, remote_app_data=V0_DATA, remote_units_data={0: {}}
        )

        at_joined = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_joined(joined, remote_unit=0), state
        )

        assert at_created.changes == ()
        assert at_joined.changes == ((expected_service(relation),),)
        assert at_joined.services == (expected_service(relation),)

    def test_given_no_data_at_joined_when_relation_changed_brings_data_then_one_event_at_changed(
        self, requirer_ctx: Ctx
    ):
        """A provider that writes after joining is served at relation-changed, with one event."""
        relation = provider_relation(data={})
        state = established(requirer_ctx, relation)
        state, changed = updated(state, relation, remote_app_data=V0_DATA)

        at_changed = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(changed, remote_unit=0), state
        )

        assert at_changed.changes == ((expected_service(relation),),)
        assert at_changed.services == (expected_service(relation),)

    def test_given_empty_databag_when_relation_forms_then_no_service_no_event_and_not_invalid(
        self, requirer_ctx: Ctx
    ):
        """An empty provider databag means "not ready yet": no service, no event, no complaint."""
        relation = provider_relation(data={})
        state = established(requirer_ctx)

        at_joined = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_joined(relation, remote_unit=0),
            dataclasses.replace(state, relations={relation}),
        )

        assert at_joined.changes == ()
        assert at_joined.services == ()
        assert at_joined.invalid == ()

    def test_given_fresh_unit_when_first_hook_sees_data_then_observer_registered_after_receives_it(
        self, requirer_ctx: Ctx
    ):
        """The charm observes after constructing the requirer and still gets the first event."""
        relation = provider_relation(data=V0_DATA)

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert result.changes == ((expected_service(relation),),)


class TestServicesChangedOnChange:
    """``services_changed`` fires exactly once for each change of ``services``."""

    def test_given_served_relation_when_port_changes_then_exactly_one_event_with_new_port(
        self, requirer_ctx: Ctx
    ):
        """A new port gives one event, and the observer sees the new port."""
        relation = provider_relation(data=V0_DATA)
        state = established(requirer_ctx, relation)
        state, changed = updated(state, relation, remote_app_data=v0_data(port=9999))

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(changed, remote_unit=0), state
        )

        assert result.changes == ((expected_service(relation, port=9999),),)

    def test_given_two_remote_units_when_one_departs_then_services_unchanged_and_no_event(
        self, requirer_ctx: Ctx
    ):
        """A remote unit leaving does not change the provider application's service."""
        relation = provider_relation(data=V0_DATA, units=(0, 1))
        state = established(requirer_ctx, relation)
        state, departed = updated(state, relation, remote_units_data={0: {}})

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_departed(departed, remote_unit=1, departing_unit=1),
            state,
        )

        assert result.changes == ()
        assert result.services == (expected_service(relation),)

    def test_given_two_relations_when_one_is_broken_then_it_leaves_services_with_one_event(
        self, requirer_ctx: Ctx
    ):
        """The broken relation is gone from ``services`` in its own relation-broken hook."""
        kept = provider_relation("kept", v0_data("kept.kubeflow", 80))
        gone = provider_relation("gone", v0_data("gone.kubeflow", 81))
        state = established(requirer_ctx, kept, gone)

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_broken(current(state, gone)), state
        )

        assert result.changes == ((expected_service(kept, "kept.kubeflow", 80),),)
        assert result.services == (expected_service(kept, "kept.kubeflow", 80),)

    def test_given_only_relation_when_broken_then_services_empty_with_one_event(
        self, requirer_ctx: Ctx
    ):
        """Losing the last service is a change too: one event, and the observer sees none."""
        relation = provider_relation(data=V0_DATA)
        state = established(requirer_ctx, relation)

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_broken(current(state, relation)), state
        )

        assert result.changes == ((),)
        assert result.services == ()

    def test_given_broken_relation_when_next_hook_runs_then_no_further_event(
        self, requirer_ctx: Ctx
    ):
        """After relation-broken, the relation's departure is not announced a second time."""
        relation = provider_relation(data=V0_DATA)
        state = established(requirer_ctx, relation)
        state = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_broken(current(state, relation)), state
        ).state
        state = dataclasses.replace(state, relations=frozenset())

        result = run_requirer(requirer_ctx, requirer_ctx.on.upgrade_charm(), state)

        assert result.changes == ()
        assert result.services == ()


class TestNoEventWithoutChange:
    """``services_changed`` never fires in a hook where ``services`` did not change."""

    @pytest.mark.parametrize("hook", ["update_status", "config_changed"])
    def test_given_served_relation_when_unrelated_hook_runs_then_no_event(
        self, requirer_ctx: Ctx, hook: str
    ):
        """update-status and config-changed announce nothing and leave ``services`` as it was."""
        relation = provider_relation(data=V0_DATA)
        state = established(requirer_ctx, relation)
        event = getattr(requirer_ctx.on, hook)()

        result = run_requirer(requirer_ctx, event, state)

        assert result.changes == ()
        assert result.services == (expected_service(relation),)

    def test_given_served_relation_when_relation_changed_carries_same_data_then_no_event(
        self, requirer_ctx: Ctx
    ):
        """A relation-changed whose data is what was already served announces nothing."""
        relation = provider_relation(data=V0_DATA)
        state = established(requirer_ctx, relation)
        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(current(state, relation), remote_unit=0),
            state,
        )

        assert result.changes == ()
        assert result.services == (expected_service(relation),)

    def test_given_served_relation_when_other_relation_forms_without_data_then_no_event(
        self, requirer_ctx: Ctx
    ):
        """A second relation that has no data yet does not change ``services``."""
        served = provider_relation("served", V0_DATA)
        state = established(requirer_ctx, served)
        waiting = provider_relation("waiting", {})

        state = dataclasses.replace(state, relations={*state.relations, waiting})
        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_joined(waiting, remote_unit=0), state
        )

        assert result.changes == ()
        assert result.services == (expected_service(served),)


class TestStateLoss:
    """After the unit's state is lost (a new pod), services are rebuilt and announced once."""

    @pytest.mark.parametrize("hook", ["upgrade_charm", "start"])
    def test_given_state_wiped_when_first_hook_after_loss_then_services_rebuilt_and_one_event(
        self, requirer_ctx: Ctx, hook: str
    ):
        """upgrade-charm or start after the state DB is lost serves every relation again."""
        first = provider_relation("first", v0_data("first.kubeflow", 80))
        second = provider_relation("second", v0_data("second.kubeflow", 81))
        state = established(requirer_ctx, first, second)
        wiped = dataclasses.replace(state, stored_states=frozenset())

        result = run_requirer(requirer_ctx, getattr(requirer_ctx.on, hook)(), wiped)
        after = run_requirer(requirer_ctx, requirer_ctx.on.update_status(), result.state)

        expected = (
            expected_service(first, "first.kubeflow", 80),
            expected_service(second, "second.kubeflow", 81),
        )
        assert result.changes == (expected,)
        assert after.changes == ()
        assert after.services == expected

    def test_given_state_wiped_when_relation_event_on_one_relation_then_all_relations_served(
        self, requirer_ctx: Ctx
    ):
        """A relation event as the first hook after the loss rebuilds every relation, not one."""
        first = provider_relation("first", v0_data("first.kubeflow", 80))
        second = provider_relation("second", v0_data("second.kubeflow", 81))
        state = established(requirer_ctx, first, second)
        wiped = dataclasses.replace(state, stored_states=frozenset())
        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(current(wiped, first), remote_unit=0),
            wiped,
        )

        expected = (
            expected_service(first, "first.kubeflow", 80),
            expected_service(second, "second.kubeflow", 81),
        )
        assert result.changes == (expected,)
        assert result.services == expected

    def test_given_state_wiped_and_no_relation_when_start_then_no_event(self, requirer_ctx: Ctx):
        """A new pod with nothing to serve announces nothing."""
        state = established(requirer_ctx)
        wiped = dataclasses.replace(state, stored_states=frozenset())

        result = run_requirer(requirer_ctx, requirer_ctx.on.start(), wiped)

        assert result.changes == ()
        assert result.services == ()
