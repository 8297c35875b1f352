"""Contract: ``K8sServiceProvider`` publishes from the leader only, and only what changed.

What each hook costs in ``relation-set`` calls is in ``test_hook_tool_costs.py`` (counted by the
simulator); these tests check what ends up in the databag.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from ops import testing

from tests.helpers import ENDPOINT, V0_DATA, ProviderCharm, v0_data

if TYPE_CHECKING:
    from jujusim.compat import ScenarioEvent

Ctx = testing.Context[ProviderCharm]

ADVERTISEMENT = {"_supported_versions": "- v0\n- v1\n- v2\n"}
PUBLISHED = {**ADVERTISEMENT, **V0_DATA}
"""What the provider writes to a requirer that advertises no versions (a 2020 requirer)."""


def requirer_relation(
    local_app_data: dict[str, str] | None = None, app: str = "dashboard"
) -> testing.Relation:
    """Build the provider's view of a relation to a requirer that advertises nothing."""
    return testing.Relation(
        ENDPOINT,
        remote_app_name=app,
        local_app_data=dict(local_app_data or {}),
        remote_units_data={0: {}},
    )


def relation_hook(ctx: Ctx, relation: testing.Relation, hook: str) -> ScenarioEvent:
    """Return the event of a relation hook by name."""
    if hook == "relation_created":
        return ctx.on.relation_created(relation)
    event: ScenarioEvent = getattr(ctx.on, hook)(relation, remote_unit=0)
    return event


class TestProviderPublishes:
    """The leader writes its service on every relation, at the hooks the issue names."""

    def test_given_leader_when_relation_created_then_service_published(self, provider_ctx: Ctx):
        """relation-created makes the leader write the advertisement and the v0 payload."""
        relation = requirer_relation()

        state_out = provider_ctx.run(
            provider_ctx.on.relation_created(relation),
            testing.State(relations={relation}, leader=True),
        )

        assert state_out.get_relation(relation.id).local_app_data == PUBLISHED

    @pytest.mark.parametrize("hook", ["leader_elected", "upgrade_charm"])
    def test_given_new_leader_when_leadership_or_upgrade_hook_then_it_publishes_everywhere(
        self, provider_ctx: Ctx, hook: str
    ):
        """A unit that just became leader (or was upgraded) writes on every relation."""
        first = requirer_relation(app="first")
        second = requirer_relation(app="second")
        state = testing.State(relations={first, second}, leader=True)

        state_out = provider_ctx.run(getattr(provider_ctx.on, hook)(), state)

        assert state_out.get_relation(first.id).local_app_data == PUBLISHED
        assert state_out.get_relation(second.id).local_app_data == PUBLISHED

    @pytest.mark.parametrize(
        "hook",
        ["relation_created", "relation_joined", "relation_changed", "upgrade_charm"],
    )
    def test_given_non_leader_when_hook_runs_then_nothing_written_and_no_failure(
        self, provider_ctx: Ctx, hook: str
    ):
        """A non-leader never writes the application databag and never fails."""
        relation = requirer_relation()
        state = testing.State(relations={relation}, leader=False)
        event = (
            provider_ctx.on.upgrade_charm()
            if hook == "upgrade_charm"
            else relation_hook(provider_ctx, relation, hook)
        )

        state_out = provider_ctx.run(event, state)

        assert state_out.get_relation(relation.id).local_app_data == {}


class TestPublish:
    """``publish()`` changes what the leader publishes, validated at the call."""

    def test_given_leader_when_publish_new_port_then_every_relation_updated(
        self, provider_ctx: Ctx
    ):
        """The new value reaches every relation in the same hook."""
        first = requirer_relation(PUBLISHED, app="first")
        second = requirer_relation(PUBLISHED, app="second")
        state = testing.State(relations={first, second}, leader=True)

        with provider_ctx(provider_ctx.on.config_changed(), state) as manager:
            manager.charm.provider.publish("kfp-api.kubeflow", 9999)
            state_out = manager.run()

        expected = {**ADVERTISEMENT, **v0_data(port=9999)}
        assert state_out.get_relation(first.id).local_app_data == expected
        assert state_out.get_relation(second.id).local_app_data == expected

    def test_given_non_leader_when_publish_then_nothing_written_and_no_failure(
        self, provider_ctx: Ctx
    ):
        """On a non-leader, ``publish()`` is a no-op."""
        relation = requirer_relation()
        state = testing.State(relations={relation}, leader=False)

        with provider_ctx(provider_ctx.on.config_changed(), state) as manager:
            manager.charm.provider.publish("kfp-api.kubeflow", 9999)
            state_out = manager.run()

        assert state_out.get_relation(relation.id).local_app_data == {}

    @pytest.mark.parametrize(
        ("name", "port", "message"),
        [
            pytest.param("kfp-api.kubeflow", 0, "service_port 0 is not in 1-65535", id="port-0"),
            pytest.param(
                "kfp-api.kubeflow", 70000, "service_port 70000 is not in 1-65535", id="port-70000"
            ),
            pytest.param("Bad_Name!", 80, "service_name 'Bad_Name!' is not a DNS name", id="dns"),
            pytest.param(
                ".".join(["a" * 63] * 4), 80, "253 characters at most", id="name-over-253"
            ),
        ],
    )
    def test_given_invalid_arguments_when_publish_then_value_error_and_nothing_written(
        self,
        provider_ctx: Ctx,
        name: str,
        port: int,
        message: str,
    ):
        """A bad name or port raises ``ValueError`` at the call; the published data stays."""
        relation = requirer_relation(PUBLISHED)
        state = testing.State(relations={relation}, leader=True)

        with provider_ctx(provider_ctx.on.leader_elected(), state) as manager:
            with pytest.raises(ValueError, match=message):
                manager.charm.provider.publish(name, port)
            state_out = manager.run()

        assert state_out.get_relation(relation.id).local_app_data == PUBLISHED

    def test_given_invalid_arguments_when_constructing_provider_then_value_error(
        self, provider_ctx: Ctx, backend: ModuleType
    ):
        """The constructor validates its arguments like ``publish()`` does."""
        with provider_ctx(provider_ctx.on.update_status(), testing.State()) as manager:
            with pytest.raises(ValueError, match="service_port 0 is not in 1-65535"):
                backend.K8sServiceProvider(
                    manager.charm, "other", service_name="kfp-api", service_port=0
                )
            manager.run()

    def test_given_name_fitting_alone_when_namespace_makes_it_too_long_then_value_error(
        self, provider_ctx: Ctx
    ):
        """The full name sent to v0/v1 requirers (name.namespace) is checked at the call too."""
        relation = requirer_relation(PUBLISHED)
        state = testing.State(relations={relation}, leader=True)
        name = ".".join(["a" * 63] * 3 + ["a" * 61])  # 253 characters: valid on its own

        with provider_ctx(provider_ctx.on.leader_elected(), state) as manager:
            with pytest.raises(ValueError, match="253 characters at most"):
                manager.charm.provider.publish(name, 80, namespace="kubeflow")
            state_out = manager.run()

        assert state_out.get_relation(relation.id).local_app_data == PUBLISHED
