"""Contract: the ``testing`` helpers build relations the library reads as the dialect they name.

The requirer's dialect tests go through the helpers, as a charm author's tests would.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import ops
import pytest
from ops import testing

from k8s_service_interface import ServicePort
from tests.helpers import REQUIRER_META, requirer_charm, run_requirer

PROVIDES = {"k8s-service": {"interface": "k8s-service"}}


def helpers(backend: ModuleType) -> ModuleType:
    """Return the backend's ``testing`` module (a charm imports it only in its tests)."""
    return importlib.import_module(f"{backend.__name__}.testing")


def provider_charm(backend: ModuleType) -> type[ops.CharmBase]:
    """Return a provider charm on the backend publishing kfp-api in namespace kubeflow."""

    class KfpApiCharm(ops.CharmBase):
        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            self.service = backend.K8sServiceProvider(
                self,
                service_name="kfp-api",
                service_port=8888,
                namespace="kubeflow",
                ports=[ServicePort("grpc", 8887)],
            )

    return KfpApiCharm


def seen_by_requirer(backend: ModuleType, relation: testing.Relation) -> list[list[Any]]:
    """Run relation-changed on the requirer charm; return the services its observer received."""
    ctx = testing.Context(requirer_charm(backend), meta=REQUIRER_META)
    run = run_requirer(ctx, ctx.on.relation_changed(relation), testing.State(relations={relation}))
    return [
        [(svc.name, svc.port, svc.namespace, svc.ports) for svc in services]
        for services in run.changes
    ]


class TestProviderRelation:
    """``provider_relation`` builds a provider in each readable dialect."""

    @pytest.mark.parametrize(
        ("dialect", "namespace", "ports"),
        [
            ("v0", None, ()),
            ("v1", None, ()),
            ("v2", "kubeflow", (ServicePort("grpc", 8887),)),
        ],
    )
    def test_each_version_is_served(
        self, backend: ModuleType, dialect: str, namespace: str | None, ports: Any
    ):
        """The requirer's observer receives the Service the helper's provider published."""
        relation = helpers(backend).provider_relation(
            "kfp-api.kubeflow" if namespace is None else "kfp-api",
            8888,
            namespace=namespace,
            ports=ports,
            dialect=dialect,
        )

        seen = seen_by_requirer(backend, relation)

        assert seen == [[("kfp-api.kubeflow", 8888, namespace, ports)]]

    def test_v1_is_the_serialized_data_interface_databag(self, backend: ModuleType):
        """A v1 provider advertises v1 alone and writes both fields as YAML strings."""
        relation = helpers(backend).provider_relation("kfp-api.kubeflow", 8888, dialect="v1")

        assert relation.remote_app_data == {
            "_supported_versions": "- v1\n",
            "data": "service-name: kfp-api.kubeflow\nservice-port: '8888'\n",
        }

    def test_mlops_is_flat_name_and_port(self, backend: ModuleType):
        """An mlops_libs provider writes flat ``name`` and ``port`` strings and no versions."""
        relation = helpers(backend).provider_relation(
            "metadata-grpc-service", 8080, dialect="mlops", endpoint="k8s-service-info"
        )

        assert relation.endpoint == "k8s-service-info"
        assert relation.remote_app_data == {"name": "metadata-grpc-service", "port": "8080"}

    def test_invalid_service_is_refused(self, backend: ModuleType):
        """The helper validates what it builds, so a typo fails in the test that made it."""
        with pytest.raises(ValueError, match=r"^service_port 0 is not in 1-65535$"):
            helpers(backend).provider_relation("kfp-api", 0)

    def test_raw_databag_is_kept(self, backend: ModuleType):
        """``remote_app_data`` is used as given, to test bad data."""
        relation = helpers(backend).provider_relation(
            remote_app_data={"service-name": "kfp-api", "service-port": "abc"}
        )

        assert seen_by_requirer(backend, relation) == []
        assert relation.remote_app_data == {"service-name": "kfp-api", "service-port": "abc"}


class TestRequirerRelation:
    """``requirer_relation`` and ``published_service`` test a provider charm in each dialect."""

    @pytest.mark.parametrize(
        ("dialect", "expected"),
        [
            ("v0", ("v0", "kfp-api.kubeflow", 8888, None, ())),
            ("v1", ("v1", "kfp-api.kubeflow", 8888, None, ())),
            ("v2", ("v2", "kfp-api.kubeflow", 8888, "kubeflow", (ServicePort("grpc", 8887),))),
        ],
    )
    def test_provider_publishes_in_the_requirer_dialect(
        self, backend: ModuleType, dialect: str, expected: tuple[Any, ...]
    ):
        """The provider charm's leader publishes in the newest version its requirer speaks."""
        ctx = testing.Context(
            provider_charm(backend), meta={"name": "kfp-api", "provides": PROVIDES}
        )
        relation = helpers(backend).requirer_relation(dialect)

        state = ctx.run(
            ctx.on.relation_created(relation), testing.State(relations={relation}, leader=True)
        )
        published = helpers(backend).published_service(state.get_relation(relation.id))

        assert published is not None
        assert (
            published.version,
            published.name,
            published.port,
            published.namespace,
            published.ports,
        ) == expected

    def test_nothing_published_by_a_non_leader(self, backend: ModuleType):
        """``published_service`` is ``None`` where the provider wrote no payload."""
        ctx = testing.Context(
            provider_charm(backend), meta={"name": "kfp-api", "provides": PROVIDES}
        )
        relation = helpers(backend).requirer_relation("v2")

        state = ctx.run(ctx.on.relation_created(relation), testing.State(relations={relation}))

        assert helpers(backend).published_service(state.get_relation(relation.id)) is None

    def test_invalid_publication_fails_the_test(self, backend: ModuleType):
        """Invalid data in the provider's databag raises ``AssertionError`` with the reason."""
        written = testing.Relation(
            "k8s-service", local_app_data={"service-name": "kfp-api", "service-port": "abc"}
        )

        with pytest.raises(AssertionError, match="service-port 'abc' is not an integer"):
            helpers(backend).published_service(written)

    def test_advertised_versions_can_be_chosen(self, backend: ModuleType):
        """``versions=`` advertises exactly the versions given, as YAML."""
        relation = helpers(backend).requirer_relation(versions=["v1", "v3"])

        assert relation.remote_app_data == {"_supported_versions": "- v1\n- v3\n"}
