"""Contract: the requirer under Juju behaviour that ops.testing does not reproduce.

Juju lists relation ids sorted as strings (``ep:10`` before ``ep:2``) and dispatches a change of
the remote application's databag as a relation-changed with no remote unit. The simulator does
both, so these tests deploy the charms on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import ops
import pytest

from jujusim import LibraryBackend, Simulator, current_hook
from jujusim.vocabulary import LIBRARY_BACKENDS
from k8s_service_interface import PROTOCOL, Publication
from study.charms import PROVIDER_META, REQUIRER_META, ProviderCharm, requirer_charm

REQ = "req"
PROVIDERS = 11
"""Enough providers for relation ids 2 and 10 to exist."""


def recording_charm(backend: LibraryBackend) -> type[ops.CharmBase]:
    """The study's requirer charm, also recording relation order and relation-changed units."""
    base = requirer_charm(backend)

    class RecordingCharm(base):
        def __init__(self, framework: ops.Framework):
            super().__init__(framework)
            framework.observe(self.on.update_status, self._on_update_status)
            framework.observe(self.on["k8s-service"].relation_changed, self._on_changed)

        def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
            hook = current_hook()
            assert hook is not None
            hook.observe("listed", [r.id for r in self.model.relations["k8s-service"]])

        def _on_changed(self, event: ops.RelationChangedEvent) -> None:
            hook = current_hook()
            assert hook is not None
            hook.observe("remote_unit", None if event.unit is None else event.unit.name)

    return RecordingCharm


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    """A simulator with local storage and in-process hook tools."""
    with Simulator(seed=0, workdir=tmp_path) as simulator:
        yield simulator


@pytest.mark.parametrize("backend", LIBRARY_BACKENDS)
class TestJujuBehaviour:
    """Both backends under the Juju behaviour the simulator reproduces."""

    def test_services_by_integer_relation_id(self, sim: Simulator, backend: LibraryBackend):
        """``services`` comes by integer relation id although Juju lists ``ep:10`` first."""
        providers = sim.preload(
            REQ,
            recording_charm(backend),
            requirer_meta={**REQUIRER_META, "name": REQ},
            provider_charm=ProviderCharm,
            provider_meta=PROVIDER_META,
            providers=PROVIDERS,
            provider_data=lambda app, bag: PROTOCOL.write(bag, Publication(app, 80).payload),
            requirer_data=PROTOCOL.advertisement(),
        )
        sim.reschedule(f"{REQ}/0")  # first hooks with state: a new pod's upgrade-charm trio
        sim.run_until_quiet()
        sim.update_status(f"{REQ}/0")

        record = sim.step(f"{REQ}/0")

        assert record is not None
        assert record.ok, record.error
        ids = sorted(providers)
        assert record.observations["listed"] == sorted(ids, key=lambda i: f"k8s-service:{i}")
        assert record.observations["listed"] != ids
        assert [s[0] for s in record.observations["services"]] == ids

    def test_app_level_relation_changed(self, sim: Simulator, backend: LibraryBackend):
        """A relation-changed with no remote unit (the provider app's bag changed) is served."""
        sim.add_app(REQ, recording_charm(backend), {**REQUIRER_META, "name": REQ})
        sim.add_app("p1", ProviderCharm, {**PROVIDER_META, "name": "p1"})
        sim.relate("p1", "k8s-service", REQ, "k8s-service")
        sim.run_until_quiet()
        sim.set_config("p1", {"service-port": 9999})

        records = [r for r in sim.run_until_quiet() if r.unit == f"{REQ}/0"]

        changed = [r for r in records if r.hook == "k8s-service-relation-changed"]
        assert [r.observations["remote_unit"] for r in changed] == [None]
        assert changed[0].remote_unit is None
        assert [event[0][1:] for event in changed[0].observations["events"]] == [
            ("p1", "p1", 9999)
        ]
