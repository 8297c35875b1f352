"""Contract: wiring mistakes fail at construction with a clear message, and silent no-ops log.

Each expected message below is the exact text a charm author sees.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import ops
import pytest
from ops import testing

from interface_live.testing import published_service, requirer_relation

PROVIDES = {"k8s-service": {"interface": "k8s-service"}}
REQUIRES = {"upstreams": {"interface": "k8s-service"}}
OTHER = {"db": {"interface": "postgresql_client"}}
PEERS = {"cluster": {"interface": "k8s-service"}}


def exactly(message: str) -> str:
    """Return a ``match=`` pattern that accepts ``message`` and nothing else."""
    return f"^{re.escape(message)}$"


def construct(meta: dict[str, Any], build: Callable[[ops.CharmBase], object]) -> None:
    """Run a hook of a bare charm with ``meta`` and call ``build(charm)`` inside it."""
    ctx = testing.Context(ops.CharmBase, meta={"name": "app", **meta})
    with ctx(ctx.on.update_status(), testing.State()) as manager:
        build(manager.charm)


def provider(backend: ModuleType, relation_name: str) -> Callable[[ops.CharmBase], object]:
    """Return a builder of the backend's provider on ``relation_name``."""
    return lambda charm: backend.K8sServiceProvider(
        charm, relation_name, service_name="kfp-api", service_port=8888
    )


def requirer(backend: ModuleType, relation_name: str) -> Callable[[ops.CharmBase], object]:
    """Return a builder of the backend's requirer on ``relation_name``."""
    return lambda charm: backend.K8sServiceRequirer(charm, relation_name)


class TestProviderWiring:
    """``K8sServiceProvider`` checks its endpoint when it is constructed."""

    def test_missing_endpoint(self, backend: ModuleType):
        """A misspelt relation_name is named, with the k8s-service endpoints declared."""
        message = (
            "K8sServiceProvider(relation_name='k8s-servce'): the charm's metadata has no "
            "endpoint 'k8s-servce'; its k8s-service endpoints are: 'k8s-service' (provides)"
        )

        with pytest.raises(ValueError, match=exactly(message)):
            construct({"provides": PROVIDES}, provider(backend, "k8s-servce"))

    def test_requires_endpoint(self, backend: ModuleType):
        """A provider on a ``requires`` endpoint is told it needs one under ``provides``."""
        message = (
            "K8sServiceProvider(relation_name='upstreams'): endpoint 'upstreams' is declared "
            "under 'requires', but a provider needs one under 'provides'; its k8s-service "
            "endpoints are: 'upstreams' (requires)"
        )

        with pytest.raises(ValueError, match=exactly(message)):
            construct({"requires": REQUIRES}, provider(backend, "upstreams"))

    def test_other_interface(self, backend: ModuleType):
        """An endpoint of another interface is named with its interface."""
        message = (
            "K8sServiceProvider(relation_name='db'): endpoint 'db' has interface "
            "'postgresql_client', not 'k8s-service'; its k8s-service endpoints are: none"
        )

        with pytest.raises(ValueError, match=exactly(message)):
            construct({"provides": OTHER}, provider(backend, "db"))

    def test_right_endpoint(self, backend: ModuleType):
        """A provider on a ``provides`` endpoint of k8s-service constructs without an error."""
        built: list[object] = []
        build = provider(backend, "k8s-service")

        construct({"provides": PROVIDES}, lambda charm: built.append(build(charm)))

        assert [type(item).__name__ for item in built] == ["K8sServiceProvider"]


class TestRequirerWiring:
    """``K8sServiceRequirer`` (either backend) checks its endpoint when it is constructed."""

    def test_missing_endpoint(self, backend: ModuleType):
        """A misspelt relation_name is named, with every k8s-service endpoint declared."""
        message = (
            "K8sServiceRequirer(relation_name='upstream'): the charm's metadata has no "
            "endpoint 'upstream'; its k8s-service endpoints are: 'k8s-service' (provides), "
            "'upstreams' (requires)"
        )

        with pytest.raises(ValueError, match=exactly(message)):
            construct({"provides": PROVIDES, "requires": REQUIRES}, requirer(backend, "upstream"))

    def test_provides_endpoint(self, backend: ModuleType):
        """A requirer on a ``provides`` endpoint is told it needs one under ``requires``."""
        message = (
            "K8sServiceRequirer(relation_name='k8s-service'): endpoint 'k8s-service' is "
            "declared under 'provides', but a requirer needs one under 'requires'; its "
            "k8s-service endpoints are: 'k8s-service' (provides)"
        )

        with pytest.raises(ValueError, match=exactly(message)):
            construct({"provides": PROVIDES}, requirer(backend, "k8s-service"))

    def test_peer_endpoint(self, backend: ModuleType):
        """A requirer on a peer endpoint of the interface is told it needs ``requires``."""
        message = (
            "K8sServiceRequirer(relation_name='cluster'): endpoint 'cluster' is declared "
            "under 'peers', but a requirer needs one under 'requires'; its k8s-service "
            "endpoints are: 'cluster' (peers)"
        )

        with pytest.raises(ValueError, match=exactly(message)):
            construct({"peers": PEERS}, requirer(backend, "cluster"))

    def test_other_interface(self, backend: ModuleType):
        """An endpoint of another interface is named with its interface."""
        message = (
            "K8sServiceRequirer(relation_name='db'): endpoint 'db' has interface "
            "'postgresql_client', not 'k8s-service'; its k8s-service endpoints are: "
            "'upstreams' (requires)"
        )

        with pytest.raises(ValueError, match=exactly(message)):
            construct({"requires": {**OTHER, **REQUIRES}}, requirer(backend, "db"))


def v2_provider_charm(backend: ModuleType) -> type[ops.CharmBase]:
    """Return a provider charm that speaks only v2 and republishes on config-changed."""

    class V2ProviderCharm(ops.CharmBase):
        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            self.service = backend.K8sServiceProvider(
                self, service_name="kfp-api", service_port=8888, versions=["v2"]
            )
            framework.observe(self.on.config_changed, self._on_config_changed)

        def _on_config_changed(self, _event: ops.ConfigChangedEvent) -> None:
            self.service.publish("kfp-api", 9999)

    return V2ProviderCharm


@pytest.fixture
def v2_provider_ctx(backend: ModuleType) -> testing.Context[ops.CharmBase]:
    """A context for a v2-only provider charm on the backend under test."""
    return testing.Context(
        v2_provider_charm(backend), meta={"name": "kfp-api", "provides": PROVIDES}
    )


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the library's WARNING messages captured so far."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno == logging.WARNING and record.name.startswith("k8s_service_interface")
    ]


class TestProviderLogging:
    """The provider says why it publishes nothing instead of staying silent."""

    def test_non_leader_publish(
        self, v2_provider_ctx: testing.Context[ops.CharmBase], caplog: pytest.LogCaptureFixture
    ):
        """``publish()`` on a non-leader writes nothing and says so at DEBUG."""
        relation = requirer_relation("v2")
        caplog.set_level(logging.DEBUG, logger="k8s_service_interface")

        state = v2_provider_ctx.run(
            v2_provider_ctx.on.config_changed(), testing.State(relations={relation})
        )

        assert state.get_relation(relation.id).local_app_data == {}
        assert (
            "k8s_service_interface._provider",
            logging.DEBUG,
            "k8s-service: kfp-api/0 is not the leader, so it publishes nothing; the leader "
            "publishes",
        ) in caplog.record_tuples

    def test_no_common_version_warns_once(
        self, v2_provider_ctx: testing.Context[ops.CharmBase], caplog: pytest.LogCaptureFixture
    ):
        """A 2020 requirer of a v2-only provider gets one WARNING, not one per hook."""
        relation = requirer_relation("v0")
        state = testing.State(relations={relation}, leader=True)

        state = v2_provider_ctx.run(v2_provider_ctx.on.relation_created(relation), state)
        for event in ("relation_joined", "relation_changed"):
            relation = state.get_relation(relation.id)
            state = v2_provider_ctx.run(getattr(v2_provider_ctx.on, event)(relation), state)
        state = v2_provider_ctx.run(v2_provider_ctx.on.config_changed(), state)

        assert published_service(state.get_relation(relation.id)) is None
        assert warnings_of(caplog) == [
            f"k8s-service relation {relation.id} with dashboard: nothing is published, no "
            "common protocol version: we support [v2], remote supports [v0] (it advertises none)"
        ]

    def test_no_common_version_again_after_a_change(
        self, v2_provider_ctx: testing.Context[ops.CharmBase], caplog: pytest.LogCaptureFixture
    ):
        """A relation that was published and loses its common version is reported again."""
        relation = requirer_relation("v2")
        state = testing.State(relations={relation}, leader=True)
        state = v2_provider_ctx.run(v2_provider_ctx.on.relation_created(relation), state)
        assert published_service(state.get_relation(relation.id)) is not None
        downgraded = dataclasses.replace(
            state.get_relation(relation.id), remote_app_data={"_supported_versions": "- v1\n"}
        )
        state = dataclasses.replace(state, relations={downgraded})

        state = v2_provider_ctx.run(v2_provider_ctx.on.relation_changed(downgraded), state)

        assert published_service(state.get_relation(relation.id)) is None
        assert warnings_of(caplog) == [
            f"k8s-service relation {relation.id} with dashboard: nothing is published, no "
            "common protocol version: we support [v2], remote supports [v1]"
        ]

    def test_remote_version_list_is_bounded(
        self, v2_provider_ctx: testing.Context[ops.CharmBase], caplog: pytest.LogCaptureFixture
    ):
        """A requirer advertising hundreds of versions gets a warning of bounded length."""
        # 900 versions: under the remote YAML budget (1000 nodes), so the list is read whole.
        relation = requirer_relation(versions=[f"v{number}" for number in range(3, 903)])

        v2_provider_ctx.run(
            v2_provider_ctx.on.relation_created(relation),
            testing.State(relations={relation}, leader=True),
        )

        assert warnings_of(caplog) == [
            f"k8s-service relation {relation.id} with dashboard: nothing is published, no "
            "common protocol version: we support [v2], remote supports [v3, v4, v5, v6, v7, v8, "
            "v9, v10, ... 892 more]"
        ]

    def test_malformed_advertisement_is_escaped(
        self, v2_provider_ctx: testing.Context[ops.CharmBase], caplog: pytest.LogCaptureFixture
    ):
        """A malformed advertisement is quoted, escaped and shortened in the warning."""
        relation = dataclasses.replace(
            requirer_relation("v2"),
            remote_app_data={"_supported_versions": "\x1b[31mred\nforged log line " + "x" * 500},
        )

        v2_provider_ctx.run(
            v2_provider_ctx.on.relation_created(relation),
            testing.State(relations={relation}, leader=True),
        )

        assert warnings_of(caplog) == [
            f"k8s-service relation {relation.id} with dashboard: nothing is published, "
            "_supported_versions '\\x1b[31mred\\nforged log line "
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a YAML list of versions like [v0, v1]"
        ]
