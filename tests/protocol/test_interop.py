"""Interoperation with the k8s-service charms already deployed: 2020 and Kubeflow-era peers.

The wire data below is what those libraries write, byte for byte: the 2020 library
(``charmed-kubernetes/interface-k8s-service``) puts ``service-name`` and ``service-port`` strings
in the provider's application databag; serialized-data-interface charms write ``yaml.dump``
output, with ``service-port`` a string as their ``k8s-service`` v1 schema requires;
``mlops_libs.v0.k8s_service_info`` (canonical/mlops-libs) puts ``name`` and ``port`` strings in
the provider's application databag, ``relation.data[app].update({"name": ..., "port": ...})``,
and nothing else (an earlier revision of it, also at LIBPATCH 1, wrote ``svc_name`` and
``svc_port``); it advertises no version and its requirer writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
import yaml
from ops import testing

from relation_protocol import MAX_REASON_LENGTH
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

WIRE_MLOPS = {"name": "metadata-grpc-service", "port": "8080"}
"""An ``mlops_libs.v0.k8s_service_info`` provider databag (no version key, port a string)."""

WIRE_MLOPS_SVC = {"svc_name": "metadata-grpc-service", "svc_port": "8080"}
"""The same library's earlier revision: ``svc_name`` and ``svc_port``."""

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


class TestServingMlopsProviders:
    """Our requirer reads the mlops_libs dialect, and names the keys of a bag it cannot read."""

    @pytest.mark.parametrize("bag", [WIRE_MLOPS, WIRE_MLOPS_SVC], ids=["name-port", "svc"])
    def test_mlops_provider_is_served(self, requirer_ctx: Ctx, bag: dict[str, str]):
        """The flat mlops_libs keys, from a provider advertising nothing, are served."""
        relation = provider_relation("mlmd", bag)

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert result.invalid == ()
        assert result.changes == ((expected_service(relation, "metadata-grpc-service", 8080),),)

    def test_bad_mlops_port_is_reported(self, requirer_ctx: Ctx):
        """An mlops_libs port that is not a decimal port makes the relation invalid."""
        relation = provider_relation("mlmd", {"name": "mlmd", "port": "grpc"})

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert result.services == ()
        assert result.invalid is not None
        assert [bad.reason for bad in result.invalid] == ["port 'grpc' is not an integer"]

    def test_unknown_bag_is_reported_with_its_keys(self, requirer_ctx: Ctx):
        """A bag in no dialect we know is invalid, naming its keys and what we read."""
        relation = provider_relation("odd", {"host": "db", "ingress-address": "10.0.0.1"})

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert result.services == ()
        assert result.invalid is not None
        assert [bad.reason for bad in result.invalid] == [
            "no known dialect: the databag has keys ['host'], "
            "we read [v0, v1, v2, mlops-libs, mlops-libs-svc]"
        ]

    def test_unknown_keys_are_escaped_and_bounded(self, requirer_ctx: Ctx):
        """Many long keys with control characters give a short printable reason."""
        bag = {f"key\n{index}{'x' * 500}": "1" for index in range(100)}
        relation = provider_relation("odd", bag)

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert result.invalid is not None
        (reason,) = [bad.reason for bad in result.invalid]
        assert reason.startswith("no known dialect: the databag has keys ['key\\n")
        assert reason.isprintable()
        assert len(reason) <= MAX_REASON_LENGTH


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
