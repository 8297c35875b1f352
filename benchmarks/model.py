"""A preloaded benchmark model: one requirer unit related to N providers of M units each.

The model itself is the study's ``Deployment`` (``Deployment.preloaded``); ``BenchModel`` adds
the benchmarked charm, the unit directories and the operations the benchmarks time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jujusim import BenchBackend, HookRecord, Simulator, Storage
from jujusim.vocabulary import (
    BENCH_BACKENDS,
    STORAGES,
    HookToolMode,
    Wire,
    is_bench_backend,
    is_storage,
)
from study.charms import PlainService, plain
from study.deployment import FIRST_PORT, REQUIRER_APP, Deployment

from .charms import BenchRequirerCharm, charm_for

__all__ = ["FIRST_PORT", "REQUIRER_APP", "BenchModel", "PlainService", "plain", "unit_dirs_root"]


def unit_dirs_root() -> Path | None:
    """Where unit directories go: tmpfs when there is one, so disk latency stays out of timings."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


class BenchModel:
    """A settled ``Deployment.preloaded`` model, and the operations the benchmarks time.

    Args:
        backend: ``live``, ``stored``, ``noop`` or ``ops-read`` (the requirer's charm).
        storage: ``local`` or ``controller``.
        relations: N, the number of provider applications related to the requirer.
        units: M, the number of units of each provider application.
        seed: The simulator's seed.
        wire: What the providers' databags hold when the model is preloaded.
        hook_tools: ``inprocess`` (tools answered in the process) or ``exec`` (every tool a
            real process: the compiled client, over the simulator's socket).

    Attributes:
        backend: The requirer's charm.
        storage: Where units keep state.
        relations: N.
        units: M.
        wire: What the providers' databags hold when the model is preloaded.
        sim: The simulator.
        deployment: The requirer and its providers.
        unit: The requirer unit every benchmark runs hooks on.
        providers: The provider application of each relation, by relation id.
        ports: The port each relation's provider publishes now.
        is_primed: Whether the requirer's last hook was a successful ``start`` or came after
            one, so that its state is built.
    """

    def __init__(
        self,
        backend: str,
        storage: str,
        relations: int,
        units: int,
        seed: int = 0,
        *,
        wire: Wire = "v2",
        hook_tools: HookToolMode = "inprocess",
    ) -> None:
        if not is_bench_backend(backend):
            raise ValueError(f"backend must be one of {BENCH_BACKENDS}, not {backend!r}")
        if not is_storage(storage):
            raise ValueError(f"storage must be one of {STORAGES}, not {storage!r}")
        self.backend: BenchBackend = backend
        self.storage: Storage = storage
        self.relations = relations
        self.units = units
        self.wire: Wire = wire
        self._workdir = tempfile.TemporaryDirectory(prefix="bench-units-", dir=unit_dirs_root())
        self.sim = Simulator(
            seed=seed,
            workdir=Path(self._workdir.name),
            storage=self.storage,
            hook_tools=hook_tools,
        )
        self._charm = charm_for(backend)
        self.deployment = Deployment.preloaded(
            self.sim, self._charm, providers=relations, units=units, port=FIRST_PORT, wire=wire
        )
        self.providers = {rid: app for app, rid in self.deployment.relations.items()}
        self.unit = f"{REQUIRER_APP}/0"
        self._next_port = FIRST_PORT
        self.is_primed = False

    def close(self) -> None:
        """Remove the simulator's directories."""
        self.sim.close()
        self._workdir.cleanup()

    # -- what the requirer should see -----------------------------------------------------

    @property
    def ports(self) -> dict[int, int]:
        """The port each relation's provider publishes now, by relation id."""
        return {rid: self.deployment.services[app][1] for rid, app in self.providers.items()}

    def expected(self) -> tuple[PlainService, ...]:
        """The services the providers publish now, by relation id."""
        return self.deployment.expected()

    # -- operations (untimed) -------------------------------------------------------------

    def lose_state(self) -> None:
        """Wipe the requirer's state and restart its container; its next hook is ``start``.

        Local storage loses the SQLite file, controller storage the unit's charm state: the
        next hook then starts from empty state, like a new pod's first hook. (A real reschedule
        runs ``upgrade-charm`` and ``config-changed`` first; one ``start`` keeps the case to one
        hook.)
        """
        self.sim.forget_state(self.unit)
        self.sim.restart_container(self.unit)
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
        self.deployment.set_port(app, self._next_port)
        for unit in self.sim.units(app):
            record = self.sim.step(unit)
            assert record is not None
            assert record.ok, record.error
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
