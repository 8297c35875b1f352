"""The requirer-side charms the benchmarks time: the two backends and the baselines."""

from __future__ import annotations

from typing import ClassVar

import ops

from jujusim import BenchBackend, CurrentHook, current_hook
from k8s_service_interface import RequirerBase
from study.charms import ENDPOINT, REQUIRERS


def _hook() -> CurrentHook:
    hook = current_hook()
    assert hook is not None, "charm code runs only inside a simulated hook"
    return hook


class NoopCharm(ops.CharmBase):
    """``noop``: constructs nothing, with the same relations: the baseline times are divided by.

    It observes ``update-status`` as the library charms do, so that "constructing a requirer,
    nothing read / no-op" measures the library alone, not the charm's own observer.
    """

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        pass


class OpsReadCharm(NoopCharm):
    """``ops-read``: no library; reads every provider's application bag with plain ops."""

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        bags = [dict(r.data[r.app]) for r in self.model.relations[ENDPOINT]]
        _hook().observe("databags", len(bags))


class BenchRequirerCharm(NoopCharm):
    """``live`` or ``stored``: the library's requirer (``charm_for`` names its class).

    It reads ``services`` when ``services_changed`` fires, and on update-status as many times as
    ``reads_on_update_status`` says (set per benchmark).
    """

    requirer_class: ClassVar[type[RequirerBase]]
    reads_on_update_status: ClassVar[int] = 0

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
    return type("RequirerCharm", (BenchRequirerCharm,), {"requirer_class": REQUIRERS[backend]})
