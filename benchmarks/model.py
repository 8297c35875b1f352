"""A preloaded benchmark model: one requirer unit related to N providers of M units each."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from jujusim import HookRecord, Simulator
from k8s_service_interface import PROTOCOL, K8sService, Publication
from study.charms import PROVIDER_META, REQUIRER_META, ProviderCharm

from .charms import BenchRequirerCharm, charm_for

REQUIRER_APP = "req"
"""The requirer application's name."""

FIRST_PORT = 8080
"""The port every provider publishes when the model is preloaded."""

Storage = Literal["local", "controller"]
"""Where units keep their state: ops' SQLite file, or Juju's ``state-set``."""

PlainService = tuple[int, str, str, int]
"""A service as (relation id, provider application, name, port)."""


def unit_dirs_root() -> Path | None:
    """Where unit directories go: tmpfs when there is one, so disk latency stays out of timings."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def provider_databag(app: str, requirer_bag: Mapping[str, str], port: int) -> dict[str, str]:
    """What ``ProviderCharm`` publishes: its Service in the version agreed with the requirer.

    Args:
        app: The provider application (the Service is named after it).
        requirer_bag: The requirer application's databag (its advertised versions).
        port: The published port.

    Returns:
        The provider application's databag, empty values (deletions) left out.
    """
    entries = PROTOCOL.write(requirer_bag, Publication(app, port).payload)
    return {key: value for key, value in entries.items() if value}


def plain(services: tuple[K8sService, ...]) -> tuple[PlainService, ...]:
    """Services as plain tuples, in the order the requirer gave them."""
    return tuple((s.relation_id, s.app, s.name, s.port) for s in services)


class BenchModel:
    """A settled model built by ``jujusim.preload``, and the operations the benchmarks time.

    Args:
        backend: ``live``, ``stored``, ``noop`` or ``ops-read`` (the requirer's charm).
        storage: ``local`` or ``controller``.
        relations: N, the number of provider applications related to the requirer.
        units: M, the number of units of each provider application.
        seed: The simulator's seed.

    Attributes:
        backend: The requirer's charm.
        storage: Where units keep state.
        relations: N.
        units: M.
        sim: The simulator.
        unit: The requirer unit every benchmark runs hooks on.
        providers: The provider application of each relation, by relation id.
        ports: The port each relation's provider publishes now.
        is_primed: Whether the requirer's last hook was a successful ``start`` or came after
            one, so that its state is built.
    """

    def __init__(
        self, backend: str, storage: str, relations: int, units: int, seed: int = 0
    ) -> None:
        if storage not in ("local", "controller"):
            raise ValueError(f"storage must be 'local' or 'controller', not {storage!r}")
        self.backend = backend
        self.storage: Storage = "controller" if storage == "controller" else "local"
        self.relations = relations
        self.units = units
        self._workdir = tempfile.TemporaryDirectory(prefix="bench-units-", dir=unit_dirs_root())
        self.sim = Simulator(seed=seed, workdir=Path(self._workdir.name), storage=self.storage)
        self._charm = charm_for(backend)
        self.providers = self.sim.preload(
            REQUIRER_APP,
            self._charm,
            requirer_meta={**REQUIRER_META, "name": REQUIRER_APP},
            provider_charm=ProviderCharm,
            provider_meta=PROVIDER_META,
            providers=relations,
            units_per_provider=units,
            provider_data=lambda app, bag: provider_databag(app, bag, FIRST_PORT),
            requirer_data=PROTOCOL.advertisement(),
        )
        self.unit = f"{REQUIRER_APP}/0"
        self.ports = dict.fromkeys(self.providers, FIRST_PORT)
        self._next_port = FIRST_PORT
        self.is_primed = False

    def close(self) -> None:
        """Remove the simulator's directories."""
        self.sim.close()
        self._workdir.cleanup()

    # -- what the requirer should see -----------------------------------------------------

    def expected(self) -> tuple[PlainService, ...]:
        """The services the providers publish now, by relation id."""
        return tuple(
            (rid, app, app, self.ports[rid]) for rid, app in sorted(self.providers.items())
        )

    # -- operations (untimed) -------------------------------------------------------------

    def lose_state(self) -> None:
        """Replace the requirer's pod with its state gone; its next hook is ``start``.

        With local storage the pod's SQLite file goes with the pod. Controller storage outlives
        pods, so there the unit's charm state is wiped as well: the next hook then starts from
        empty state, like a new unit's.
        """
        if self.storage == "controller":
            self.sim.forget_state(self.unit)
        self.sim.reschedule(self.unit)
        self.is_primed = False

    def prime(self) -> HookRecord:
        """Build the requirer's state with one hook (``start`` after a lost state)."""
        self.lose_state()
        return self.run()

    def publish_new_port(self, relation_id: int) -> int:
        """Have one provider's leader publish a new port (its config changes).

        Every unit of that provider runs ``config-changed``; the requirer then has one
        ``relation-changed`` pending for the relation.

        Returns:
            The new port.
        """
        self._next_port += 1
        app = self.providers[relation_id]
        self.sim.set_config(app, {"service-port": self._next_port})
        for unit in self.sim.units(app):
            record = self.sim.step(unit)
            assert record is not None
            assert record.ok, record.error
        self.ports[relation_id] = self._next_port
        return self._next_port

    def queue_update_status(self, reads: int) -> None:
        """Queue ``update-status`` on the requirer, reading ``services`` ``reads`` times in it."""
        if issubclass(self._charm, BenchRequirerCharm):
            self._charm.reads_on_update_status = reads
        self.sim.update_status(self.unit)

    # -- the timed hook -------------------------------------------------------------------

    def run(self) -> HookRecord:
        """Run the requirer's next hook through the real ops dispatch."""
        record = self.sim.step(self.unit)
        assert record is not None, "the requirer had no hook to run"
        self.is_primed = record.ok and (self.is_primed or record.hook == "start")
        return record

    # -- measures beyond the hook record --------------------------------------------------

    def largest_state_value(self) -> int:
        """The largest single charm-state value the requirer has (controller storage), in bytes."""
        state = self.sim.charm_state(self.unit)
        return max((len(value.encode()) for value in state.values()), default=0)
