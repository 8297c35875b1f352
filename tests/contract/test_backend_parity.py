"""Contract: both backends answer alike wherever a charm (or its unit tests) reads them."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import attrs
import ops
import pytest
from ops import testing

from k8s_service_interface import (
    K8sService,
    RequirerBase,
    ServicePort,
    canonical_json,
    services_digest,
)
from tests.helpers import (
    ENDPOINT,
    REQUIRER_META,
    RequirerCharm,
    established,
    expected_service,
    provider_relation,
    run_requirer,
    updated,
    v0_data,
)

Ctx = testing.Context[RequirerCharm]
EventFor = Callable[[Ctx, testing.Relation], Any]

NON_RELATION_EVENTS: dict[str, EventFor] = {
    "update-status": lambda ctx, _rel: ctx.on.update_status(),
    "config-changed": lambda ctx, _rel: ctx.on.config_changed(),
    "start": lambda ctx, _rel: ctx.on.start(),
    "upgrade-charm": lambda ctx, _rel: ctx.on.upgrade_charm(),
    "leader-elected": lambda ctx, _rel: ctx.on.leader_elected(),
}


class TestStateWithProviders:
    """A ``State`` that already holds related providers: the usual unit-test shape."""

    @pytest.mark.parametrize("hook", sorted(NON_RELATION_EVENTS))
    def test_services_in_any_hook(self, requirer_ctx: Ctx, hook: str):
        """Both backends serve the providers of the State in the first hook, whatever it is."""
        first = provider_relation("kfp-api", v0_data(port=8888))
        second = provider_relation("katib", v0_data("katib.kubeflow", 6789))
        state = testing.State(relations={first, second}, leader=True)
        run = run_requirer(requirer_ctx, NON_RELATION_EVENTS[hook](requirer_ctx, first), state)
        assert run.services == (
            expected_service(first),
            expected_service(second, "katib.kubeflow", 6789),
        )

    def test_is_available_and_is_created(self, requirer_ctx: Ctx):
        """``is_available`` and ``is_created`` agree with the State's providers too."""
        relation = provider_relation(data=v0_data())
        state = testing.State(relations={relation})
        with requirer_ctx(requirer_ctx.on.update_status(), state) as manager:
            requirer = manager.charm.requirer
            seen = (requirer.is_created, requirer.is_available, requirer.invalid_relations)
            manager.run()
        assert seen == (True, True, ())


class TestReadAfterTheHook:
    """Reading the requirer after ``mgr.run()``, a common ``ops.testing`` idiom."""

    def test_after_relation_changed(self, requirer_ctx: Ctx):
        """After a relation event, the services read after ``mgr.run()`` are the new ones."""
        relation = provider_relation(data=v0_data(port=8888))
        state = established(requirer_ctx, relation)
        state, changed = updated(state, relation, remote_app_data=v0_data(port=9999))
        with requirer_ctx(requirer_ctx.on.relation_changed(changed), state) as manager:
            manager.run()
            services = manager.charm.requirer.services
        assert services == (expected_service(relation, port=9999),)

    def test_read_before_and_after(self, requirer_ctx: Ctx):
        """Read before ``mgr.run()``, and again after: the second read sees the hook's change."""
        relation = provider_relation(data=v0_data(port=8888))
        state = established(requirer_ctx, relation)
        state, changed = updated(state, relation, remote_app_data=v0_data(port=9999))
        with requirer_ctx(requirer_ctx.on.relation_changed(changed), state) as manager:
            _ = manager.charm.requirer.services
            manager.run()
            after = manager.charm.requirer.services
        assert after == (expected_service(relation, port=9999),)

    def test_unread_hook_then_read(self, backend: ModuleType, requirer_ctx: Ctx):
        """After a hook that read nothing, live reads; stored says what to do, not a DB error."""
        relation = provider_relation(data=v0_data())
        state = established(requirer_ctx, relation)
        with requirer_ctx(requirer_ctx.on.update_status(), state) as manager:
            manager.charm.read_at_end = False
            manager.run()
            requirer = manager.charm.requirer
            if backend.__name__ == "interface_live":
                assert requirer.services == (expected_service(relation),)
            else:
                with pytest.raises(RuntimeError, match="during the hook"):
                    _ = requirer.services


class _EarlyReader(ops.CharmBase):
    """Reads ``services`` in a relation-changed observer registered before the library's."""

    requirer_type: type[RequirerBase]

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on[ENDPOINT].relation_changed, self._on_early)
        self.requirer = self.requirer_type(self)
        framework.observe(self.requirer.on.services_changed, self._on_services_changed)
        self.early: tuple[K8sService, ...] = ()
        self.changes: list[tuple[K8sService, ...]] = []

    def _on_early(self, _event: ops.RelationChangedEvent) -> None:
        self.early = self.requirer.services

    def _on_services_changed(self, _event: ops.EventBase) -> None:
        self.changes.append(self.requirer.services)


class TestViewKeptWithinAHook:
    """The view is built once a hook, and built anew when the stored cache changes in it."""

    def test_read_before_the_library_stores(self, backend: ModuleType):
        """A read before the library handled the event does not hide the change from observers."""
        charm = type(
            "DashboardCharm", (_EarlyReader,), {"requirer_type": backend.K8sServiceRequirer}
        )
        ctx = testing.Context(charm, meta=REQUIRER_META)
        relation = provider_relation(data=v0_data(port=8888))
        state = ctx.run(ctx.on.relation_changed(relation), testing.State(relations={relation}))
        state, changed = updated(state, relation, remote_app_data=v0_data(port=9999))
        with ctx(ctx.on.relation_changed(changed), state) as manager:
            manager.run()
            after = manager.charm.requirer.services
            changes = manager.charm.changes
        assert changes == [(expected_service(relation, port=9999),)]
        assert after == (expected_service(relation, port=9999),)


class TestDigest:
    """The announced digest, which decides whether ``services_changed`` fires."""

    def test_pinned(self):
        """The digest of a fixed service is a fixed value, so an upgrade cannot change it."""
        plain = K8sService("kfp-api.kubeflow", 8888, relation_id=3, app="kfp-api")
        ports = (ServicePort("grpc", 8887), ServicePort("metrics", 9090, protocol="UDP"))
        full = K8sService(
            "kfp-api.kubeflow", 8888, relation_id=4, app="kfp", namespace="kubeflow", ports=ports
        )
        assert services_digest(()) == "71857576257465c7"
        assert services_digest([plain]) == "eba33c8d12981aaa"
        assert services_digest([plain, full]) == "f1c8abe1c68facfb"

    def test_field_added_with_a_default(self):
        """A public field added later with its default value leaves the encoding unchanged."""

        @attrs.frozen
        class LaterService:
            name: str
            port: int
            relation_id: int
            app: str
            namespace: str | None = None
            ports: tuple[ServicePort, ...] = ()
            weight: int = 1

        today = K8sService("kfp-api.kubeflow", 8888, relation_id=3, app="kfp-api")
        later = LaterService("kfp-api.kubeflow", 8888, relation_id=3, app="kfp-api")
        assert canonical_json(later) == canonical_json(today)
        assert canonical_json(today) == (
            '{"app":"kfp-api","name":"kfp-api.kubeflow","port":8888,"relation_id":3}'
        )
