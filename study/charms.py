"""The charms the study deploys: one provider, and one requirer per strategy under test.

The requirer charm constructs its requirer first and observes ``services_changed`` afterwards, as
the README tells charm authors to. At the end of every hook (``collect-unit-status``, which ops
runs after every other handler) it records what ``services`` says, so the study can compare it with
the truth of that hook.

Each strategy's requirer class is run as a subclass whose ``services_changed`` counts its own
emissions in the hook's ``emitted`` observation (ops makes one event object per emission). ops
runs an emission's observers at once, so an emission made before the charm observed the event
(for example from a library's ``__init__``) reaches nobody; comparing ``emitted`` with what the
observer received measures such drops.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

import ops

import interface_live
import interface_stored
from jujusim import Strategy, current_hook
from k8s_service_interface import (
    K8sService,
    K8sServiceProvider,
    K8sServiceRequirerEvents,
    ServicesChangedEvent,
)

from .baselines import HybridRequirer, InitEmitRequirer, NaiveCacheRequirer

ENDPOINT = "k8s-service"
"""The endpoint of the interface, on every charm of the study and the benchmarks."""

PROVIDER_META: dict[str, Any] = {
    "name": "provider",
    "provides": {ENDPOINT: {"interface": "k8s-service"}},
}
REQUIRER_META: dict[str, Any] = {
    "name": "requirer",
    "requires": {ENDPOINT: {"interface": "k8s-service"}},
    "containers": {"workload": {"resource": "workload-image"}},
    "actions": {"show-upstreams": {"description": "List the upstream Services."}},
}
"""A Kubernetes requirer: a workload container (pebble-ready) and an action, as deployed charms
have, so that the study can run the hooks Juju runs ahead of relation hooks."""


class Requirer(Protocol):
    """What the study needs of a requirer, whichever strategy built it."""

    @property
    def on(self) -> K8sServiceRequirerEvents:  # noqa: D102
        ...

    @property
    def services(self) -> tuple[K8sService, ...]:  # noqa: D102
        ...


REQUIRERS: dict[Strategy, Any] = {
    "live": interface_live.K8sServiceRequirer,
    "stored": interface_stored.K8sServiceRequirer,
    "init-emit": InitEmitRequirer,
    "hybrid": HybridRequirer,
    "naive-cache": NaiveCacheRequirer,
}
"""Every strategy the study compares, by name: the two shipped backends, then the baselines."""


class _CountedServicesChanged(ServicesChangedEvent):
    """``services_changed``, counted in the running hook's ``emitted`` as ops makes each one."""

    def __init__(self, handle: ops.Handle):
        super().__init__(handle)
        hook = current_hook()
        if hook is not None:
            hook.observe("emitted", int(hook.observations.get("emitted", 0)) + 1)


class CountedRequirerEvents(K8sServiceRequirerEvents):
    """The requirer's events, with emissions of ``services_changed`` counted."""

    services_changed = ops.EventSource(_CountedServicesChanged)


_COUNTED_EVENTS = CountedRequirerEvents()
"""One descriptor serves every counted class: ops binds its events per requirer instance."""


@functools.cache
def _counted(strategy: Strategy, rereads_per_event: int | None) -> type[Any]:
    """A strategy's requirer class, the same but for counting ``services_changed`` emissions.

    Made once, under the base class's name, so that stored-state and event handles are those of
    the base itself; ``rereads_per_event`` (for ``stored``) sets another re-read budget.
    """
    base = REQUIRERS[strategy]
    namespace = {"on": _COUNTED_EVENTS, "__module__": base.__module__}
    if rereads_per_event is not None:
        namespace["rereads_per_event"] = rereads_per_event
    return type(base.__name__, (base,), {**namespace, "__qualname__": base.__qualname__})


PlainService = tuple[int, str, str, int]
"""A service as plain data: (relation id, provider application, name, port)."""


def plain(services: tuple[K8sService, ...]) -> tuple[PlainService, ...]:
    """Reduce services to comparable plain tuples (relation id, app, name, port), order kept."""
    return tuple((svc.relation_id, svc.app, svc.name, svc.port) for svc in services)


def requirer_charm(
    strategy: Strategy, *, read_services: bool = True, rereads_per_event: int | None = None
) -> type[ops.CharmBase]:
    """Build a requirer charm class for one strategy.

    Args:
        strategy: A key of ``REQUIRERS``.
        read_services: Whether the charm reads ``services`` at the end of every hook (the study
            does; a cost benchmark may not).
        rereads_per_event: For ``stored``, its re-read budget if not the default.
    """
    requirer_class = _counted(strategy, rereads_per_event)

    class RequirerCharm(ops.CharmBase):
        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            self.k8s: Requirer = requirer_class(self)
            framework.observe(self.k8s.on.services_changed, self._on_services_changed)
            if read_services:
                framework.observe(self.on.collect_unit_status, self._on_collect_status)

        def _on_services_changed(self, _event: ops.EventBase) -> None:
            hook = current_hook()
            if hook is not None:
                received = [*hook.observations.get("events", []), plain(self.k8s.services)]
                hook.observe("events", received)

        def _on_collect_status(self, _event: ops.CollectStatusEvent) -> None:
            hook = current_hook()
            if hook is not None:
                hook.observe("services", plain(self.k8s.services))

    RequirerCharm.__name__ = RequirerCharm.__qualname__ = "RequirerCharm"
    return RequirerCharm


def configured(charm: ops.CharmBase) -> tuple[str, int]:
    """The Service a provider's ``service-name`` and ``service-port`` config name (app, 8080)."""
    name, port = charm.config.get("service-name"), charm.config.get("service-port")
    return (
        name if isinstance(name, str) and name else charm.app.name,
        port if isinstance(port, int) else 8080,
    )


class ProviderCharm(ops.CharmBase):
    """Publishes the Service named in its config (``service-name``, ``service-port``)."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        name, port = configured(self)
        self.service = K8sServiceProvider(self, service_name=name, service_port=port)
        framework.observe(self.on.config_changed, self._on_config_changed)

    def _on_config_changed(self, _event: ops.ConfigChangedEvent) -> None:
        self.service.publish(*configured(self))
