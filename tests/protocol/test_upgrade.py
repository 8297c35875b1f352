"""A relation whose peer upgrades to a newer protocol keeps its service throughout."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from ops import testing

from k8s_service_interface._wire import V2
from tests.helpers import (
    ENDPOINT,
    V0_DATA,
    ProviderCharm,
    RequirerCharm,
    current,
    established,
    provider_relation,
    run_requirer,
    updated,
)
from tests.protocol.peers import (
    ALL_VERSIONS,
    as_stored,
    payload_keys,
    peer_databag,
    publish,
    service_seen,
)

Ctx = testing.Context[RequirerCharm]


def upgraded_provider_bag(
    provider_ctx: testing.Context[ProviderCharm],
    requirer_bag: Mapping[str, str],
    before: Mapping[str, str],
) -> dict[str, str]:
    """Run our provider's upgrade-charm over a bag an older provider wrote; return the result."""
    relation = testing.Relation(
        ENDPOINT,
        remote_app_name="dashboard",
        remote_app_data=dict(requirer_bag),
        local_app_data=dict(before),
    )
    with provider_ctx(
        provider_ctx.on.upgrade_charm(), testing.State(relations={relation}, leader=True)
    ) as manager:
        publish(manager.charm.provider)
        state_out = manager.run()
    return as_stored(state_out.get_relation(relation.id).local_app_data)


class TestProviderUpgrade:
    """A provider moving from the 2020 library (v0 only) to ours (v0, v1, v2)."""

    def test_given_2020_provider_when_it_upgrades_to_ours_then_v2_without_losing_the_service(
        self, requirer_ctx: Ctx, provider_ctx: testing.Context[ProviderCharm]
    ):
        """The requirer goes from the v0 service to the v2 one in one event, never to none."""
        relation = provider_relation(data=V0_DATA)
        state = established(requirer_ctx, relation)
        before = run_requirer(requirer_ctx, requirer_ctx.on.update_status(), state)
        new_bag = upgraded_provider_bag(
            provider_ctx, current(state, relation).local_app_data, V0_DATA
        )
        state, upgraded = updated(state, relation, remote_app_data=new_bag)

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(upgraded, remote_unit=0), state
        )

        assert before.services == (service_seen("v0", relation),)
        assert set(new_bag) == payload_keys(V2)
        assert result.changes == ((service_seen("v2", relation),),)
        assert result.invalid == ()

    @pytest.mark.parametrize(
        "steps",
        [
            pytest.param(["advertise-first", "v2"], id="advertisement-before-payload"),
            pytest.param(["v2"], id="all-at-once"),
        ],
    )
    def test_given_v0_only_peer_when_it_moves_to_v2_in_steps_then_service_never_withdrawn(
        self, requirer_ctx: Ctx, steps: list[str]
    ):
        """Whatever the order of the peer's writes, no event removes and re-adds the service."""
        relation = provider_relation(data=V0_DATA)
        state = established(requirer_ctx, relation)
        advertised = current(state, relation).local_app_data
        bags = {
            "advertise-first": {"_supported_versions": "- v0\n- v1\n- v2\n", **V0_DATA},
            "v2": peer_databag(ALL_VERSIONS, advertised),
        }
        seen: list[tuple[object, ...]] = []
        for step in steps:
            state, changed = updated(state, relation, remote_app_data=bags[step])
            result = run_requirer(
                requirer_ctx, requirer_ctx.on.relation_changed(changed, remote_unit=0), state
            )
            state = result.state
            seen.extend(result.changes)
            assert result.services in (
                (service_seen("v0", relation),),
                (service_seen("v2", relation),),
            )

        assert seen == [(service_seen("v2", relation),)]


class TestRequirerUpgrade:
    """A requirer moving from the Kubeflow-era library (v1 only) to ours."""

    def test_given_sdi_requirer_when_it_upgrades_to_ours_then_service_kept_until_v2_arrives(
        self, requirer_ctx: Ctx, provider_ctx: testing.Context[ProviderCharm]
    ):
        """The v1 data our provider wrote for the old requirer is served until v2 replaces it."""
        old_advertisement = {"_supported_versions": "- v1\n"}
        for_old_requirer = peer_databag(ALL_VERSIONS, old_advertisement)
        relation = testing.Relation(
            ENDPOINT,
            remote_app_name="kfp-api",
            remote_app_data=for_old_requirer,
            local_app_data=old_advertisement,
        )
        state = testing.State(relations={relation}, leader=True)

        at_upgrade = run_requirer(requirer_ctx, requirer_ctx.on.upgrade_charm(), state)
        new_advertisement = current(at_upgrade.state, relation).local_app_data
        state, answered = updated(
            at_upgrade.state,
            relation,
            remote_app_data=upgraded_provider_bag(
                provider_ctx, new_advertisement, for_old_requirer
            ),
        )
        at_answer = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(answered, remote_unit=0), state
        )

        assert at_upgrade.changes == ((service_seen("v1", relation),),)
        assert at_upgrade.invalid == ()
        assert new_advertisement == {"_supported_versions": "- v0\n- v1\n- v2\n"}
        assert at_answer.changes == ((service_seen("v2", relation),),)
