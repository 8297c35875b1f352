"""Version matrix: providers and requirers supporting each subset of {v0, v1, v2}.

Here the full matrix runs at the ``relation_protocol.Protocol`` level (a peer of each subset on
each side), and through ops.testing each subset meets our full-version requirer and our
full-version provider, on both backends. ``test_version_matrix_charms.py`` runs the same matrix
with our own charms restricted through the public ``versions=`` argument.
"""

from __future__ import annotations

import re

import pytest
from ops import testing

from k8s_service_interface import PROTOCOL
from relation_protocol import Protocol, Reading, Version, WireError
from tests.helpers import (
    ProviderCharm,
    RequirerCharm,
    current,
    established,
    provider_relation,
    run_requirer,
    updated,
)
from tests.protocol.peers import (
    PUBLICATION,
    SUBSETS,
    as_stored,
    payload_keys,
    peer_databag,
    publish,
    service_seen,
    subset_id,
)

subsets = pytest.mark.parametrize("versions", SUBSETS, ids=subset_id)


def _names(versions: tuple[Version, ...]) -> str:
    return "[" + ", ".join(version.name for version in versions) + "]"


class TestNegotiationMatrix:
    """Every provider subset against every requirer subset, at the protocol level."""

    @pytest.mark.parametrize("provider_versions", SUBSETS, ids=subset_id)
    @pytest.mark.parametrize("requirer_versions", SUBSETS, ids=subset_id)
    def test_given_version_subsets_when_sides_negotiate_then_highest_common_or_clear_reason(
        self, provider_versions: tuple[Version, ...], requirer_versions: tuple[Version, ...]
    ):
        """Both sides agree on the highest common version, or the requirer says why not."""
        provider = Protocol(provider_versions)
        requirer = Protocol(requirer_versions)
        requirer_bag = requirer.advertisement()
        provider_bag = peer_databag(provider_versions, requirer_bag)
        common = [version for version in provider_versions if version in requirer_versions]

        if common:
            agreed = common[-1]
            assert provider.agreed(requirer_bag) == agreed
            assert requirer.agreed(provider_bag) == agreed
            assert requirer.read(provider_bag) == Reading(agreed.name, PUBLICATION.payload(agreed))
            assert set(provider_bag) == payload_keys(agreed)
        else:
            reason = (
                f"no common protocol version: we support {_names(requirer_versions)}, "
                f"remote supports {_names(provider_versions)}"
            )
            with pytest.raises(WireError, match=f"^{re.escape(reason)}$"):
                requirer.read(provider_bag)
            assert set(provider_bag) == {"_supported_versions"}


class TestRequirerAgainstEachProviderSubset:
    """Our requirer (every version) meets a provider of each subset, through ops.testing."""

    @subsets
    def test_given_provider_subset_when_it_answers_our_advertisement_then_highest_served(
        self, requirer_ctx: testing.Context[RequirerCharm], versions: tuple[Version, ...]
    ):
        """The provider's highest version is agreed and its service is announced once."""
        relation = provider_relation(data={})
        state = established(requirer_ctx, relation)
        advertised = current(state, relation).local_app_data
        provider_bag = peer_databag(versions, advertised)
        state, answered = updated(state, relation, remote_app_data=provider_bag)

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(answered, remote_unit=0), state
        )

        agreed = versions[-1]
        assert advertised == PROTOCOL.advertisement()
        assert set(provider_bag) == payload_keys(agreed)
        assert result.changes == ((service_seen(agreed.name, relation),),)
        assert result.invalid == ()


class TestProviderAgainstEachRequirerSubset:
    """Our provider (every version) meets a requirer of each subset, through ops.testing."""

    @subsets
    def test_given_requirer_subset_when_provider_publishes_then_requirer_reads_its_highest(
        self,
        provider_ctx: testing.Context[ProviderCharm],
        requirer_ctx: testing.Context[RequirerCharm],
        versions: tuple[Version, ...],
    ):
        """The provider writes the requirer's highest version, which both requirers can read."""
        requirer = Protocol(versions)
        to_requirer = testing.Relation(
            "k8s-service", remote_app_name="dashboard", remote_app_data=requirer.advertisement()
        )
        state = testing.State(relations={to_requirer}, leader=True)
        with provider_ctx(
            provider_ctx.on.relation_changed(to_requirer, remote_unit=0), state
        ) as manager:
            publish(manager.charm.provider)
            state_out = manager.run()
        provider_bag = as_stored(state_out.get_relation(to_requirer.id).local_app_data)
        from_provider = provider_relation(data=provider_bag)

        ours = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(from_provider, remote_unit=0),
            testing.State(relations={from_provider}, leader=True),
        )

        agreed = versions[-1]
        assert requirer.read(provider_bag) == Reading(agreed.name, PUBLICATION.payload(agreed))
        assert set(provider_bag) == payload_keys(agreed)
        assert ours.changes == ((service_seen(agreed.name, from_provider),),)
