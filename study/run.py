"""Run the study: every strategy over the scenario catalogue and many random schedules."""

from __future__ import annotations

import functools
import itertools
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import attrs

from jujusim import Simulator, Storage, Strategy

from .charms import requirer_charm
from .deployment import Deployment
from .metrics import RunMetrics
from .scenarios import SCENARIOS, random_schedule

SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
"""Where the units' charm folders and state go: a tmpfs when there is one (the system's temporary
folder if not). ops commits its SQLite state at the end of every hook, and on a disk that commit's
fsync took a third of a run's time; nothing measured depends on it reaching the disk."""


@attrs.frozen
class Run:
    """One run's identity and figures.

    ``seconds`` is shown in the progress lines but not reported, so that ``study.json`` is the
    same however the runs were scheduled.
    """

    strategy: Strategy
    scenario: str
    seed: int
    storage: Storage
    metrics: RunMetrics
    seconds: float
    dialects: dict[str, str] = attrs.field(factory=dict[str, str])

    def as_dict(self) -> dict[str, Any]:
        """Return the run as plain JSON-able data, hooks to the first service by dialect too."""
        by_dialect: dict[str, list[int]] = {}
        for app, hooks in self.metrics.first_service_by_app.items():
            by_dialect.setdefault(self.dialects.get(app, app), []).extend(hooks)
        return {
            "strategy": self.strategy,
            "scenario": self.scenario,
            "seed": self.seed,
            "storage": self.storage,
            **self.metrics.as_dict(),
            "first_service_by_dialect": by_dialect,
        }


def run_once(
    strategy: Strategy,
    scenario: str,
    seed: int,
    *,
    storage: Storage = "local",
    random_operations: int = 12,
    scale: int = 1,
    rereads_per_event: int | None = None,
) -> Run:
    """Run one strategy through one scenario (or ``"random"``) with one seed, on two units.

    Args:
        strategy: A key of ``study.charms.REQUIRERS``.
        scenario: A scenario name from the catalogue, or ``"random"`` for a random schedule.
        seed: Seeds both the scenario's choices and the simulator's hook interleaving.
        storage: ``"local"`` (ops' SQLite file) or ``"controller"`` (Juju state-set).
        random_operations: Operations in a random schedule.
        scale: Size factor of sized scenarios.
        rereads_per_event: The stored backend's re-read budget, if not its default.
    """
    play: Callable[[Deployment], None] = (
        functools.partial(random_schedule, operations=random_operations)
        if scenario == "random"
        else next(s.play for s in SCENARIOS if s.name == scenario)
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="study-", dir=SCRATCH) as workdir:
        sim = Simulator(seed=seed, workdir=Path(workdir), storage=storage)
        try:
            charm = requirer_charm(strategy, rereads_per_event=rereads_per_event)
            model = Deployment.deployed(sim, charm, seed=seed, scale=scale)
            play(model)
            metrics = model.measure_at_quiescence(state_survives_pod=storage == "controller")
        finally:
            sim.close()
    elapsed = time.perf_counter() - started
    return Run(strategy, scenario, seed, storage, metrics, elapsed, dict(model.dialects))


def run_study(
    strategies: Sequence[Strategy],
    scenarios: Sequence[str],
    seeds: Sequence[int],
    *,
    pool: Executor | None = None,
    **options: Any,
) -> list[Run]:
    """Run every strategy over every scenario and seed, printing a line per finished run.

    Args:
        strategies: Strategy names.
        scenarios: Scenario names (``"random"`` included for random schedules).
        seeds: Seeds to run each scenario with.
        pool: Runs the runs in its processes if given (each run is seeded, so a run's figures
            do not depend on where it ran); the runs come back in the same order either way.
        **options: ``run_once``'s keyword arguments (``storage``, ``scale``, ...), for every run.

    Returns:
        Every run, by scenario, then seed, then strategy.
    """
    jobs = list(itertools.product(scenarios, seeds, strategies))
    play = functools.partial(_run_job, **options)
    runs: list[Run] = []
    for run in pool.map(play, jobs) if pool else map(play, jobs):
        runs.append(run)
        figures = run.metrics
        print(
            f"[{len(runs):>4}/{len(jobs)}] {run.storage:<10} {run.scenario:<27} "
            f"seed={run.seed:<4} {run.strategy:<12} hooks={figures.hooks:<5} "
            f"stale={figures.stale_hooks:<4} missed={figures.missed_at_quiescence} "
            f"{run.seconds:5.1f}s",
            flush=True,
        )
    return runs


def _run_job(job: tuple[str, int, Strategy], **options: Any) -> Run:
    scenario, seed, strategy = job
    return run_once(strategy, scenario, seed, **options)
