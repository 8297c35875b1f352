"""Unit tests of the dashboard charm with ops.testing, on either backend."""

from __future__ import annotations

from types import ModuleType

import charm
import ops
import pytest
from ops import testing

import interface_live
import interface_stored
from interface_live.testing import ProviderDialect, provider_relation

Ctx = testing.Context[charm.DashboardCharm]


@pytest.fixture(params=[interface_live, interface_stored], ids=lambda module: module.__name__)
def ctx(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Ctx:
    """The charm's context on one backend: the charm switches by its one import line."""
    backend: ModuleType = request.param
    monkeypatch.setattr(charm, "k8s_service", backend)
    return testing.Context(charm.DashboardCharm)  # metadata from ../../charmcraft.yaml


@pytest.mark.parametrize("dialect", ["v0", "v1", "v2"])
def test_provider_service_makes_it_active(ctx: Ctx, dialect: ProviderDialect):
    """A provider's Service in any version is the URL the charm uses, and it goes active."""
    relation = provider_relation(
        "kfp-api", 8888, namespace="kubeflow", dialect=dialect, endpoint="kfp-api"
    )

    with ctx(ctx.on.relation_changed(relation), testing.State(relations={relation})) as manager:
        out = manager.run()
        url = manager.charm.kfp_url

    assert url == "http://kfp-api.kubeflow:8888"
    assert out.unit_status == ops.ActiveStatus("kfp-api at kfp-api.kubeflow:8888")


def test_no_relation_blocks(ctx: Ctx):
    """Without a kfp-api relation the charm says what it needs."""
    out = ctx.run(ctx.on.update_status(), testing.State())

    assert out.unit_status == ops.BlockedStatus("needs a kfp-api relation")


def test_provider_not_ready_waits(ctx: Ctx):
    """A related provider that has published nothing yet makes the charm wait."""
    relation = provider_relation(endpoint="kfp-api", remote_app_data={})

    out = ctx.run(ctx.on.relation_created(relation), testing.State(relations={relation}))

    assert out.unit_status == ops.WaitingStatus("waiting for kfp-api to publish its Service")


def test_invalid_provider_data_blocks(ctx: Ctx):
    """Bad data from the provider blocks the charm, naming the provider; the hook succeeds."""
    relation = provider_relation(
        endpoint="kfp-api",
        remote_app_name="broken",
        remote_app_data={"service-name": "kfp-api", "service-port": "eighty"},
    )

    out = ctx.run(ctx.on.relation_changed(relation), testing.State(relations={relation}))

    assert out.unit_status == ops.BlockedStatus("invalid kfp-api data from broken")
