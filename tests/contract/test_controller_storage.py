"""Contract: the stored backend with controller storage (``state-get``/``state-set``), in jujusim.

ops.testing never simulates controller storage; jujusim answers ``state-*`` as Juju does,
including its cap on one state value (``MAX_STATE_VALUE``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import ops

from jujusim import MAX_STATE_VALUE, HookRecord, Simulator, current_hook
from k8s_service_interface import PROTOCOL, Publication, RequirerBase
from study.charms import PROVIDER_META, REQUIRER_META, ProviderCharm

RELATIONS = 256
"""N: enough relations that one record per relation would show in every count."""

UNIT = "req/0"
"""The requirer unit."""

HUGE = 70 * 1024
"""A value over Juju's 64 KiB cap on one state value."""


class _Requirer(ops.CharmBase):
    """Records ``services`` (as plain tuples) on update-status and on ``services_changed``."""

    requirer_class: ClassVar[type[RequirerBase]]
    reads: ClassVar[int] = 1

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.k8s = self.requirer_class(self)
        framework.observe(self.on.update_status, self._on_update_status)
        framework.observe(self.k8s.on.services_changed, self._on_services_changed)

    def _record(self, key: str) -> None:
        hook = current_hook()
        assert hook is not None
        hook.observe(key, [(s.relation_id, s.app, s.port) for s in self.k8s.services])
        hook.observe(
            "invalid", [(bad.relation_id, bad.reason) for bad in self.k8s.invalid_relations]
        )

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        for _ in range(self.reads):
            self._record("services")

    def _on_services_changed(self, _event: ops.EventBase) -> None:
        self._record("announced")


def _databag(app: str, requirer_bag: Mapping[str, str], huge: bool) -> dict[str, str]:
    entries = PROTOCOL.write(requirer_bag, Publication(app, 8080).payload)
    if app == "p1" and huge:
        entries["data"] = "name: p1\nport: 8080\nnote: " + "x" * HUGE + "\n"
    return {key: value for key, value in entries.items() if value}


@contextlib.contextmanager
def _model(
    backend: ModuleType, workdir: Path, *, huge: bool
) -> Generator[tuple[Simulator, dict[int, str]], None, None]:
    """A requirer ``req/0`` with controller storage related to N providers, just rescheduled.

    Its first hook is ``upgrade-charm``, which builds the stored backend's cache. With
    ``huge``, the provider ``p1`` writes a value over 64 KiB. Yields the simulator and each
    relation's provider.
    """
    charm = type("Requirer", (_Requirer,), {"requirer_class": backend.K8sServiceRequirer})
    with Simulator(seed=0, workdir=workdir, storage="controller") as sim:
        providers = sim.preload(
            "req",
            charm,
            requirer_meta={**REQUIRER_META, "name": "req"},
            provider_charm=ProviderCharm,
            provider_meta=PROVIDER_META,
            providers=RELATIONS,
            provider_data=lambda app, bag: _databag(app, bag, huge),
            requirer_data=PROTOCOL.advertisement(),
        )
        sim.reschedule(UNIT)
        yield sim, providers


def _step(sim: Simulator, unit: str) -> HookRecord:
    record = sim.step(unit)
    assert record is not None
    return record


def _update_status(sim: Simulator, unit: str) -> HookRecord:
    sim.update_status(unit)
    return _step(sim, unit)


def _largest_value(sim: Simulator, unit: str) -> int:
    state: Mapping[str, Any] = sim.charm_state(unit)
    return max((len(str(value).encode()) for value in state.values()), default=0)


class TestControllerStorage:
    """Hooks of a requirer that keeps its state in the controller."""

    def test_oversized_provider_value(self, backend: ModuleType, tmp_path: Path):
        """A provider value over 64 KiB makes its relation invalid; every hook still succeeds."""
        with _model(backend, tmp_path, huge=True) as (sim, providers):
            self._check_oversized(sim, UNIT, {app: rid for rid, app in providers.items()})

    def _check_oversized(self, sim: Simulator, unit: str, relation_of: dict[str, int]) -> None:
        first = _step(sim, unit)
        sim.set_config("p2", {"service-port": 9000})
        records = sim.run_until_quiet(max_hooks=20)
        second = _update_status(sim, unit)
        assert [r.ok for r in (first, *records, second)] == [True] * (len(records) + 2)
        assert sim.state_limit_hits == 0
        assert _largest_value(sim, unit) < MAX_STATE_VALUE // 2
        served = second.observations["services"]
        assert [rid for rid, _app, _port in served] == sorted(
            set(relation_of.values()) - {relation_of["p1"]}
        )
        assert (relation_of["p2"], "p2", 9000) in served
        [(bad_id, reason)] = second.observations["invalid"]
        assert bad_id == relation_of["p1"]
        assert "over the 65536-byte limit" in reason

    def test_read_loads_few_records(self, backend: ModuleType, tmp_path: Path):
        """Reading ``services`` costs at most N/32 + 16 ``state-get`` calls in all in the hook.

        N/32 + 5 for the cache's records and ops' own state; 11 more for the end-of-hook check
        of a missed change (ops keeps the ``pre_commit`` notice in controller state).
        """
        with _model(backend, tmp_path, huge=False) as (sim, _providers):
            assert _step(sim, UNIT).hook == "upgrade-charm"
            sim.run_until_quiet()
            record = _update_status(sim, UNIT)
        assert record.ok, record.error
        assert len(record.observations["services"]) == RELATIONS
        assert record.tool_calls.get("state-get", 0) <= RELATIONS // 32 + 16
