"""Interoperation with the k8s-service charms already deployed: 2020 and Kubeflow-era peers.

The wire data below is what those libraries write, byte for byte: the 2020 library
(``charmed-kubernetes/interface-k8s-service``) puts ``service-name`` and ``service-port`` strings
in the provider's application databag; serialized-data-interface charms write ``yaml.dump``
output, with ``service-port`` a string as their ``k8s-service`` v1 schema requires.
"""

from __future__ import annotations

from collections.abc import Mapping

import yaml
from ops import testing

from tests.helpers import (
    ENDPOINT,
    ProviderCharm,
    RequirerCharm,
    expected_service,
    provider_relation,
    run_requirer,
)

Ctx = testing.Context[RequirerCharm]

WIRE_2020 = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}
"""The 2020 library's provider databag (no version key)."""

WIRE_KUBEFLOW = {
    "_supported_versions": "- v1\n",
    "data": "service-name: kfp-api.kubeflow\nservice-port: '8888'\n",
}
"""A Kubeflow-era provider databag (serialized-data-interface, schema version v1)."""

KUBEFLOW_V1_SCHEMA_REQUIRED = {"service-name": str, "service-port": str}
"""The ``k8s-service`` v1 schema of serialized-data-interface: two required strings."""


def services_2020_requirer_sees(bag: Mapping[str, str]) -> list[tuple[str, str]]:
    """Read a provider databag the way the 2020 requirer does: both keys, non-empty, as strings."""
    name = bag.get("service-name")
    port = bag.get("service-port")
    return [(name, port)] if name and port else []


def provider_output(
    provider_ctx: testing.Context[ProviderCharm], requirer_bag: dict[str, str]
) -> dict[str, str]:
    """Return what our provider's leader writes at relation-created for a requirer databag."""
    relation = testing.Relation(
        ENDPOINT, remote_app_name="dashboard", remote_app_data=requirer_bag
    )
    state_out = provider_ctx.run(
        provider_ctx.on.relation_created(relation),
        testing.State(relations={relation}, leader=True),
    )
    return dict(state_out.get_relation(relation.id).local_app_data)


class TestServingOldProviders:
    """Our requirer serves the data of providers built on older libraries."""

    def test_given_2020_provider_data_when_relation_changed_then_service_served(
        self, requirer_ctx: Ctx
    ):
        """The flat 2020 data with no version key is served as version 0."""
        relation = provider_relation(data=WIRE_2020)

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert result.changes == ((expected_service(relation),),)
        assert result.invalid == ()

    def test_given_kubeflow_era_provider_data_when_relation_changed_then_service_served(
        self, requirer_ctx: Ctx
    ):
        """``_supported_versions: [v1]`` plus the YAML payload under ``data`` is served."""
        relation = provider_relation(data=WIRE_KUBEFLOW)

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert result.changes == ((expected_service(relation),),)
        assert result.invalid == ()


class TestServingOldRequirers:
    """Our provider writes what requirers built on older libraries expect."""

    def test_given_requirer_advertising_nothing_when_provider_publishes_then_2020_wire_format(
        self, provider_ctx: testing.Context[ProviderCharm]
    ):
        """A 2020 requirer gets exactly its two string keys (the advertisement aside)."""
        bag = provider_output(provider_ctx, {})

        payload = {key: value for key, value in bag.items() if key != "_supported_versions"}
        assert payload == WIRE_2020
        assert services_2020_requirer_sees(bag) == [("kfp-api.kubeflow", "8888")]

    def test_given_kubeflow_era_requirer_when_provider_publishes_then_v1_schema_satisfied(
        self, provider_ctx: testing.Context[ProviderCharm]
    ):
        """A v1-only requirer gets ``data`` whose fields have the types its schema requires."""
        bag = provider_output(provider_ctx, {"_supported_versions": "- v1\n"})

        payload = yaml.safe_load(bag["data"])
        assert "v1" in yaml.safe_load(bag["_supported_versions"])
        assert payload == {"service-name": "kfp-api.kubeflow", "service-port": "8888"}
        assert {key: type(value) for key, value in payload.items()} == (
            KUBEFLOW_V1_SCHEMA_REQUIRED
        )
        assert set(bag) == {"_supported_versions", "data"}
