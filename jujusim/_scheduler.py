"""Which unit runs its next hook, and the model clock that drives timed hooks.

Juju's unit agents run concurrently; here one hook runs at a time, on a unit chosen with the
seeded RNG among those with something to do. Model time moves only when asked
(``ModelClock.advance``) and hooks take none of it.
"""

from __future__ import annotations

from ._engine import Engine
from ._records import HookRecord
from ._runner import run_hook


class HookLimitError(RuntimeError):
    """``run_until_quiet`` ran its maximum number of hooks and the model is still busy."""


def step(engine: Engine, unit: str | None = None) -> HookRecord | None:
    """Run one pending hook (see ``Simulator.step``)."""
    engine.due_elections(idle=False)
    if unit is not None:
        agent = engine.agent(unit)
        spec = agent.next_hook()
        return None if spec is None else run_hook(engine, agent, spec)
    candidates = engine.candidates()
    if not candidates and engine.due_elections(idle=True):
        candidates = engine.candidates()  # the model was idle until the lease expired
    if not candidates:
        return None
    ready = [
        (agent, spec)
        for agent, spec in candidates
        if agent.failed is None or agent.retry_not_before <= engine.hook_count
    ]
    agent, spec = engine.rng.choice(ready or candidates)
    return run_hook(engine, agent, spec)


def run_until_quiet(engine: Engine, max_hooks: int) -> list[HookRecord]:
    """Run hooks until no unit has anything to do (see ``Simulator.run_until_quiet``)."""
    records: list[HookRecord] = []
    while len(records) < max_hooks:
        record = step(engine)
        if record is None:
            return records
        records.append(record)
    if not is_quiet(engine):
        raise HookLimitError(f"still busy after {max_hooks} hooks")
    return records


def is_quiet(engine: Engine) -> bool:
    """Whether no unit has a hook to run and no leader election is pending."""
    return not engine.candidates() and not engine.elections


class ModelClock:
    """The model's clock (``Simulator.clock``): time passes only when a scenario says so."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def now(self) -> float:
        """Seconds of model time since the simulator was made."""
        return self._engine.now

    @property
    def update_status_interval(self) -> float:
        """Juju's ``update-status-hook-interval``: seconds between two update-status ticks.

        Setting it (as ``juju model-config`` does) takes effect from each timer's next tick.
        """
        return self._engine.update_status_interval

    @update_status_interval.setter
    def update_status_interval(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError(f"update_status_interval must be > 0, not {seconds}")
        self._engine.update_status_interval = seconds

    def advance(self, seconds: float, max_hooks: int = 100_000) -> list[HookRecord]:
        """Let ``seconds`` of model time pass: the hooks due now, then each timer as it fires.

        Each unit agent's update-status timer fires every ``update_status_interval`` from the
        agent's start (a new pod restarts it): the timer bumps ``UpdateStatusVersion``
        (``worker/uniter/remotestate/watcher.go``), and ``update-status`` runs once the unit
        has nothing else to do and has started (``worker/uniter/resolver.go`` ``nextOp``), so
        ticks while one is pending add nothing. ``advance(600)`` gives a settled unit two.
        Hooks take no model time; after each tick the model runs until quiet.

        Returns:
            The records of the hooks run.

        Raises:
            ValueError: If ``seconds`` is negative.
            HookLimitError: As ``Simulator.run_until_quiet``, at any point of the way.
        """
        if seconds < 0:
            raise ValueError(f"time cannot go back ({seconds} s)")
        engine = self._engine
        end = engine.now + seconds
        records = run_until_quiet(engine, max_hooks)
        while True:
            live = [a for a in engine.agents.values() if not (a.dead or a.dying)]
            tick = min((a.next_update_status for a in live), default=end + 1)
            if tick > end:
                break
            engine.now = tick
            for agent in live:
                if agent.next_update_status <= tick:
                    agent.next_update_status = tick + self.update_status_interval
                    agent.update_status_pending = True
                    engine.activate(agent.name)
            records += run_until_quiet(engine, max_hooks - len(records))
        engine.now = end
        return records
