"""Contract: the library observes only the events the dispatch can emit.

Juju runs one hook per dispatch and ops emits only its event, so the requirer and the provider
observe that event alone (nothing in update-status), and every event when ops runs without
``JUJU_DISPATCH_PATH``. What the handlers then do is pinned by the other contract tests; these
pin which ones are observed, by recording ``Framework.observe``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

import ops
import pytest
from ops import testing

from k8s_service_interface import K8sServiceProvider, RequirerBase
from tests.helpers import ENDPOINT, PROVIDER_META, REQUIRER_META, provider_relation, v0_data

if TYPE_CHECKING:
    from jujusim.compat import ScenarioEvent

REQUIRER_HANDLED = (
    "relation_created",
    "relation_joined",
    "relation_changed",
    "relation_departed",
    "relation_broken",
    "upgrade_charm",
    "start",
    "leader_elected",
)
"""Each event the requirer handles."""

PROVIDER_HANDLED = (
    "relation_created",
    "relation_joined",
    "relation_changed",
    "upgrade_charm",
    "leader_elected",
)


def _kind(event: str) -> str:
    return f"{ENDPOINT.replace('-', '_')}_{event}" if event.startswith("relation_") else event


def record_library_observers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the event kind of every handler of the library that ``Framework.observe`` gets."""
    seen: list[str] = []
    observe = ops.Framework.observe

    def recording(self: ops.Framework, event: ops.BoundEvent, observer: Any) -> None:
        if isinstance(getattr(observer, "__self__", None), (RequirerBase, K8sServiceProvider)):
            seen.append(event.event_kind)
        observe(self, event, observer)

    monkeypatch.setattr(ops.Framework, "observe", recording)
    return seen


class LibraryCharm(ops.CharmBase):
    """A charm that builds the library's object in ``__init__``, optionally without the path."""

    build: ClassVar[Callable[[ops.CharmBase], Any]]
    forget_dispatch: ClassVar[bool] = False

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        if self.forget_dispatch:
            # As in a dispatch ops runs without Juju's variable (ops.testing restores it).
            del os.environ["JUJU_DISPATCH_PATH"]
        self.library: Any = type(self).build(self)


def charm_with(
    build: Callable[[ops.CharmBase], Any],
    *,
    forget_dispatch: bool = False,
    base: type[LibraryCharm] = LibraryCharm,
) -> type[LibraryCharm]:
    """A subclass of ``base`` that builds the library's object with ``build``."""
    namespace = {"build": staticmethod(build), "forget_dispatch": forget_dispatch}
    return type("Charm", (base,), namespace)


class AnnouncingCharm(LibraryCharm):
    """Counts ``services_changed``, and emits relation-changed by hand in update-status."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.announced = 0
        requirer: RequirerBase = self.library
        framework.observe(requirer.on.services_changed, self._on_services)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_services(self, _event: ops.EventBase) -> None:
        self.announced += 1

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        relation = self.model.relations[ENDPOINT][0]
        self.on[ENDPOINT].relation_changed.emit(relation, relation.app)


def dispatched(ctx: testing.Context[Any], event: str, relation: testing.Relation) -> ScenarioEvent:
    """How ``ops.testing`` dispatches ``event`` (a relation's with its remote unit 0)."""
    if event in ("relation_joined", "relation_departed"):
        departing = {"departing_unit": 0} if event == "relation_departed" else {}
        return getattr(ctx.on, event)(relation, remote_unit=0, **departing)
    if event.startswith("relation_"):
        return getattr(ctx.on, event)(relation)
    return getattr(ctx.on, event)()


def run(charm: type[ops.CharmBase], meta: dict[str, Any], event: str) -> None:
    """Dispatch one event to ``charm`` with one related application carrying v0 data."""
    relation = provider_relation(data=v0_data())
    ctx = testing.Context(charm, meta=meta)
    ctx.run(dispatched(ctx, event, relation), testing.State(relations={relation}, leader=True))


def requirer(backend: ModuleType) -> Callable[[ops.CharmBase], object]:
    """Build the backend's requirer on the default endpoint."""
    return lambda charm: backend.K8sServiceRequirer(charm)


def provider(charm: ops.CharmBase) -> object:
    """Build a provider publishing one Service."""
    return K8sServiceProvider(charm, service_name="kfp-api.kubeflow", service_port=8888)


def test_update_status_observes_no_handler_of_the_requirer(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In update-status, constructing the requirer observes nothing: no handler could run."""
    seen = record_library_observers(monkeypatch)
    run(charm_with(requirer(backend)), REQUIRER_META, "update_status")
    assert seen == []


@pytest.mark.parametrize("event", REQUIRER_HANDLED)
def test_the_requirer_observes_exactly_the_dispatched_event(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch, event: str
) -> None:
    """In each hook the requirer handles, it observes that hook's event and no other."""
    seen = record_library_observers(monkeypatch)
    run(charm_with(requirer(backend)), REQUIRER_META, event)
    assert seen == [_kind(event)]


@pytest.mark.parametrize("event", PROVIDER_HANDLED)
def test_the_provider_observes_exactly_the_dispatched_event(
    monkeypatch: pytest.MonkeyPatch, event: str
) -> None:
    """In each hook the provider handles, it observes that hook's event and no other."""
    seen = record_library_observers(monkeypatch)
    run(charm_with(provider), PROVIDER_META, event)
    assert seen == [_kind(event)]


def test_without_the_dispatch_path_every_handler_is_observed(
    backend: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no ``JUJU_DISPATCH_PATH`` the hook is unknown, so every handler is observed."""
    seen = record_library_observers(monkeypatch)
    run(
        charm_with(requirer(backend), forget_dispatch=True),
        REQUIRER_META,
        "update_status",
    )
    assert sorted(seen) == sorted(_kind(event) for event in REQUIRER_HANDLED)
    seen.clear()
    run(
        charm_with(provider, forget_dispatch=True),
        PROVIDER_META,
        "update_status",
    )
    assert sorted(seen) == sorted(_kind(event) for event in PROVIDER_HANDLED)


def test_a_hand_emitted_event_reaches_the_requirer_only_without_the_path(
    backend: ModuleType,
) -> None:
    """A relation-changed emitted by hand in update-status announces only when ops has no path."""
    announced: dict[bool, int] = {}
    for forget in (False, True):
        charm = charm_with(requirer(backend), forget_dispatch=forget, base=AnnouncingCharm)
        relation = provider_relation(data=v0_data())
        ctx = testing.Context(charm, meta=REQUIRER_META)
        state = testing.State(relations={relation}, leader=True)
        with ctx(ctx.on.update_status(), state) as manager:
            manager.run()
            charm_instance = manager.charm
            assert isinstance(charm_instance, AnnouncingCharm)
            announced[forget] = charm_instance.announced
    assert announced == {False: 0, True: 1}
