"""A preloaded benchmark model: one requirer unit related to N providers of M units each.

The model is the study's ``Deployment.preloaded``; ``BenchModel`` adds the benchmarked charm, the
unit directories, and ``queue``: each hook kind's set-up and the check of what its hook did.
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from jujusim import BenchBackend, BenchKind, HookRecord, Simulator, Storage
from jujusim.vocabulary import HookToolMode, Wire
from relation_protocol import clear_caches
from study.charms import plain
from study.deployment import FIRST_PORT, REQUIRER_APP, Deployment

from .charms import ENDPOINT, BenchRequirerCharm, charm_for

READS: dict[BenchKind, int] = {"update-status-read": 1, "update-status-read-twice": 2}
"""How many times the charm reads ``services`` in an ``update-status`` kind (else never)."""

Check = Callable[[HookRecord], None]
"""Asserts that a queued hook did what its kind says."""


def unit_dirs_root() -> Path | None:
    """Where unit directories go: tmpfs when there is one, so disk latency stays out of timings."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


class BenchModel:
    """A settled ``Deployment.preloaded`` model, and the operations the benchmarks time.

    Args:
        backend: The requirer's charm.
        storage: Where units keep state.
        relations: N, the provider applications related to the requirer.
        units: M, the units of each provider application.
        wire: What the providers' databags hold when the model is preloaded.
        hook_tools: ``inprocess``, or ``exec`` (every tool a process: the compiled client over
            the simulator's socket).
    """

    def __init__(
        self,
        backend: BenchBackend,
        storage: Storage,
        relations: int,
        units: int,
        wire: Wire = "v2",
        *,
        hook_tools: HookToolMode = "inprocess",
    ) -> None:
        self.backend, self.storage, self.relations = backend, storage, relations
        self._workdir = tempfile.TemporaryDirectory(prefix="bench-units-", dir=unit_dirs_root())
        self.sim = Simulator(
            workdir=Path(self._workdir.name), storage=storage, hook_tools=hook_tools
        )
        self._charm = charm_for(backend)
        self.deployment = Deployment.preloaded(
            self.sim, self._charm, providers=relations, units=units, wire=wire
        )
        self.unit = f"{REQUIRER_APP}/0"
        self._port = FIRST_PORT
        self.is_primed = False
        """Whether the requirer's state is built: its last hook was, or followed, a ``start``."""
        self.unbuildable: str | None = None
        """Why the requirer's state cannot be built on this model, once a ``start`` has failed."""

    def close(self) -> None:
        """Remove the simulator's directories."""
        self.sim.close()
        self._workdir.cleanup()

    def lose_state(self) -> None:
        """Wipe the requirer's state and restart its container; its next hook is ``start``.

        The next hook starts from empty state, like a new pod's first. (A real reschedule runs
        ``upgrade-charm`` and ``config-changed`` first; one ``start`` keeps the case to one hook.)
        """
        self.sim.forget_state(self.unit)
        self.sim.restart_container(self.unit)
        self.is_primed = False

    def prime(self) -> HookRecord:
        """Build the requirer's state with one hook (``start`` after a lost state)."""
        self.lose_state()
        return self.run()

    def queue(self, kind: BenchKind) -> Check:
        """Queue the requirer's hook of one kind (untimed); return the check of its record.

        ``rebuild`` is ``start`` after a lost state; ``update-status*`` reads ``services`` as
        often as ``READS`` says; ``relation-changed`` follows a new port on the first relation
        (its provider's units run ``config-changed``), so that the changed provider's name (in
        the bytes the event writes) is the same at any N.
        """
        app, relation_id = min(self.deployment.relations.items(), key=lambda item: item[1])
        reads, hook = READS.get(kind, 0), "update-status"
        if kind == "rebuild":
            self.lose_state()
            hook = "start"
        elif kind == "relation-changed":
            self._port += 1
            self.deployment.set_port(app, self._port)
            for unit in self.sim.units(app):
                record = self.sim.step(unit)
                assert record is not None
                assert record.ok, record.error
            hook = f"{ENDPOINT}-relation-changed"
        else:
            if issubclass(self._charm, BenchRequirerCharm):
                self._charm.reads_on_update_status = reads
            self.sim.update_status(self.unit)
        expected, port = self.deployment.expected(), self._port

        def check(record: HookRecord) -> None:
            assert record.hook == hook
            if kind == "rebuild" and not record.ok and self.storage == "controller":
                # The one failure allowed: Juju refusing a state value over its size limit.
                assert record.state_limit_hits > 0, record.error
                return
            assert record.ok, record.error
            assert len(expected) == self.relations
            if kind == "relation-changed":
                assert (record.relation_id, expected[0][3]) == (relation_id, port)
            if kind in ("rebuild", "relation-changed"):
                if self.backend != "noop":
                    assert plain(record.observations["announced"]) == expected
            elif self.backend == "ops-read":
                assert record.observations["databags"] == self.relations
            elif reads:
                assert plain(record.observations["services"]) == expected
            else:
                assert "services" not in record.observations

        return check

    def run(self) -> HookRecord:
        """Run the requirer's next hook through the real ops dispatch, as a fresh process would.

        A hook's own process has parsed nothing and its heap holds only what the hook allocates:
        so the library's caches are emptied first (``relation_protocol.clear_caches``), and the
        model's heap is frozen out of the garbage collector during the hook.
        """
        gc.freeze()
        try:
            clear_caches()
            record = self.sim.step(self.unit)
        finally:
            gc.unfreeze()
        assert record is not None, "the requirer had no hook to run"
        if record.hook == "start" and not record.ok:
            self.unbuildable = (
                "state over 64 KiB" if record.state_limit_hits else "first hook fails"
            )
        self.is_primed = record.ok and (self.is_primed or record.hook == "start")
        return record

    def largest_state_value(self) -> int:
        """The largest single charm-state value the requirer has (controller storage), in bytes."""
        state = self.sim.charm_state(self.unit)
        return max((len(value.encode()) for value in state.values()), default=0)
