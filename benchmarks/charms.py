"""The requirer-side charms the benchmarks time: the two backends and the baselines.

- ``live`` and ``stored``: the library's requirer (one backend each), reading ``services`` when
  ``services_changed`` fires and ``reads_on_update_status`` times on ``update-status``.
- ``noop``: constructs nothing, with the same relations: ops' own cost of the hook.
- ``ops-read``: no library; reads every provider's application databag with plain ops on
  ``update-status``: the cost of the data alone.
"""

from __future__ import annotations

from typing import ClassVar

import ops

import interface_live
import interface_stored
from jujusim import BenchBackend, CurrentHook, current_hook
from k8s_service_interface import RequirerBase

ENDPOINT = "k8s-service"
"""The requirer's endpoint."""


def _hook() -> CurrentHook:
    hook = current_hook()
    assert hook is not None, "charm code runs only inside a simulated hook"
    return hook


class NoopCharm(ops.CharmBase):
    """Constructs nothing: the baseline every time is divided by.

    It observes ``update-status`` as the library charms do, so that "constructing a requirer,
    nothing read / no-op" measures the library alone, not the charm's own observer.
    """

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        pass


class OpsReadCharm(NoopCharm):
    """Reads every provider application databag with plain ops on update-status."""

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        bags = [dict(r.data[r.app]) for r in self.model.relations[ENDPOINT]]
        _hook().observe("databags", len(bags))


class BenchRequirerCharm(NoopCharm):
    """A charm using the library's requirer; subclasses name the backend."""

    requirer_class: ClassVar[type[RequirerBase]]
    reads_on_update_status: ClassVar[int] = 0
    """How many times ``update-status`` reads ``services`` (set per benchmark)."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.k8s = self.requirer_class(self, ENDPOINT)
        framework.observe(self.k8s.on.services_changed, self._on_services_changed)

    def _on_services_changed(self, _event: ops.EventBase) -> None:
        _hook().observe("announced", self.k8s.services)

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        for _ in range(self.reads_on_update_status):
            _hook().observe("services", self.k8s.services)


def charm_for(backend: BenchBackend) -> type[ops.CharmBase]:
    """A fresh charm class for one model (so that its read count is its own)."""
    if backend == "noop":
        return type("NoopCharm", (NoopCharm,), {})
    if backend == "ops-read":
        return type("OpsReadCharm", (OpsReadCharm,), {})
    requirer = {"live": interface_live, "stored": interface_stored}[backend].K8sServiceRequirer
    return type("RequirerCharm", (BenchRequirerCharm,), {"requirer_class": requirer})
