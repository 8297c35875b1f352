"""Version matrix through charms: our provider and our requirer, each speaking a subset.

Every non-empty subset of {v0, v1, v2} on the provider side meets every subset on the requirer
side, on both backends, through ops.testing and the public ``versions=`` argument: the requirer's
leader advertises on relation-created, the provider's leader answers on relation-changed, and the
requirer reads what the provider wrote.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
from types import ModuleType
from typing import Any

import ops
import pytest
from ops import testing

from k8s_service_interface import InvalidRelation, K8sService, K8sServiceProvider

VERSIONS = ("v0", "v1", "v2")
SUBSETS = [subset for size in (1, 2, 3) for subset in itertools.combinations(VERSIONS, size)]
PROVIDER_META = {"name": "kfp-api", "provides": {"k8s-service": {"interface": "k8s-service"}}}
REQUIRER_META = {"name": "dashboard", "requires": {"k8s-service": {"interface": "k8s-service"}}}


def _provider_charm(versions: tuple[str, ...]) -> type[ops.CharmBase]:
    class Provider(ops.CharmBase):
        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            self.service = K8sServiceProvider(
                self,
                service_name="kfp-api",
                service_port=8888,
                namespace="kubeflow",
                versions=versions,
            )

    return Provider


def _requirer_charm(backend: ModuleType, versions: tuple[str, ...]) -> type[ops.CharmBase]:
    class Requirer(ops.CharmBase):
        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            self.k8s: Any = backend.K8sServiceRequirer(self, versions=versions)

    return Requirer


def _exchange(
    backend: ModuleType, provider: tuple[str, ...], requirer: tuple[str, ...]
) -> tuple[dict[str, str], tuple[K8sService, ...], tuple[InvalidRelation, ...]]:
    """Run the three hooks of a first exchange; return the provider's databag and the view."""
    requirer_ctx = testing.Context(_requirer_charm(backend, requirer), meta=REQUIRER_META)
    relation = testing.Relation("k8s-service", remote_app_name="kfp-api")
    created = requirer_ctx.run(
        requirer_ctx.on.relation_created(relation),
        testing.State(relations={relation}, leader=True),
    )
    advertised = dict(created.get_relation(relation.id).local_app_data)

    provider_ctx = testing.Context(_provider_charm(provider), meta=PROVIDER_META)
    provider_side = testing.Relation(
        "k8s-service", remote_app_name="dashboard", remote_app_data=advertised
    )
    answered = provider_ctx.run(
        provider_ctx.on.relation_changed(provider_side, remote_unit=0),
        testing.State(relations={provider_side}, leader=True),
    )
    published = dict(answered.get_relation(provider_side.id).local_app_data)

    seen = dataclasses.replace(created.get_relation(relation.id), remote_app_data=published)
    with requirer_ctx(
        requirer_ctx.on.relation_changed(seen, remote_unit=0),
        dataclasses.replace(created, relations={seen}),
    ) as manager:
        manager.run()
        charm: Any = manager.charm
        return published, charm.k8s.services, charm.k8s.invalid_relations


@pytest.mark.parametrize("backend_name", ["interface_live", "interface_stored"])
@pytest.mark.parametrize("provider", SUBSETS, ids="+".join)
@pytest.mark.parametrize("requirer", SUBSETS, ids="+".join)
def test_given_version_subsets_when_charms_exchange_then_highest_common_or_clear_reason(
    backend_name: str, provider: tuple[str, ...], requirer: tuple[str, ...]
):
    """The requirer serves the Service in the highest common version, or says why it cannot."""
    backend = importlib.import_module(backend_name)
    published, services, invalid = _exchange(backend, provider, requirer)
    common = [version for version in VERSIONS if version in provider and version in requirer]

    if not common:
        assert services == ()
        assert len(invalid) == 1
        assert invalid[0].reason.startswith("no common protocol version: we support [")
        return
    agreed = common[-1]
    assert invalid == ()
    (service,) = services
    assert (service.name, service.port) == ("kfp-api.kubeflow", 8888)
    assert service.namespace == ("kubeflow" if agreed == "v2" else None)
    if agreed == "v0":
        assert {"service-name", "service-port"} <= set(published)
        assert "data" not in published
    else:
        assert "service-name" not in published
        assert "data" in published
