"""The requirer-side charms the benchmarks time: the two backends and the baselines.

- ``live`` and ``stored``: a charm with the library's requirer (one backend each). It reads
  ``services`` when ``services_changed`` fires, and on ``update-status`` as many times as
  ``reads_on_update_status`` says (0, 1 or 2), recording what it read.
- ``noop``: a charm that constructs nothing (it only observes ``update-status``, as the others
  do), with the same relations: ops' own cost of the hook.
- ``ops-read``: a charm without the library that reads every provider's application databag
  with plain ops on ``update-status``: the cost of the data alone (ops' share of the cost).
"""

from __future__ import annotations

from typing import ClassVar

import ops

import interface_live
import interface_stored
from jujusim import CurrentHook, current_hook
from k8s_service_interface import RequirerBase

ENDPOINT = "k8s-service"
"""The requirer's endpoint."""

REQUIRER_BACKENDS: dict[str, type[RequirerBase]] = {
    "live": interface_live.K8sServiceRequirer,
    "stored": interface_stored.K8sServiceRequirer,
}
"""The library's backends by name."""


def _hook() -> CurrentHook:
    hook = current_hook()
    assert hook is not None, "charm code runs only inside a simulated hook"
    return hook


class NoopCharm(ops.CharmBase):
    """Constructs nothing: the baseline every time is divided by.

    It observes ``update-status`` as the library charms do (and does nothing there), so that
    "constructing a requirer, nothing read / no-op" measures the library alone, not the charm's
    own observer.
    """

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        pass


class OpsReadCharm(ops.CharmBase):
    """Reads every provider application databag with plain ops on update-status."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        bags = [dict(r.data[r.app]) for r in self.model.relations[ENDPOINT]]
        _hook().observe("databags", len(bags))


class BenchRequirerCharm(ops.CharmBase):
    """A charm using the library's requirer; subclasses name the backend."""

    requirer_class: ClassVar[type[RequirerBase]]
    """The backend's ``K8sServiceRequirer``."""

    reads_on_update_status: ClassVar[int] = 0
    """How many times ``update-status`` reads ``services`` (set by the benchmark)."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.k8s = self.requirer_class(self, ENDPOINT)
        framework.observe(self.k8s.on.services_changed, self._on_services_changed)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_services_changed(self, _event: ops.EventBase) -> None:
        _hook().observe("announced", self.k8s.services)

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        for _ in range(self.reads_on_update_status):
            _hook().observe("services", self.k8s.services)


def charm_for(backend: str) -> type[ops.CharmBase]:
    """Make a fresh charm class for one model (its read count is set per benchmark).

    Args:
        backend: ``live``, ``stored``, ``noop`` or ``ops-read``.

    Returns:
        The charm class the requirer application runs.
    """
    if backend == "noop":
        return type("NoopCharm", (NoopCharm,), {})
    if backend == "ops-read":
        return type("OpsReadCharm", (OpsReadCharm,), {})
    requirer_class = REQUIRER_BACKENDS[backend]
    return type("RequirerCharm", (BenchRequirerCharm,), {"requirer_class": requirer_class})
