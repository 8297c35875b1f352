"""The targets' ratios, timed in pairs: the two cases of a ratio alternate round by round.

Each case of ``costs.json``'s rows is timed in a block of rounds of its own, so a ratio of two
rows also measures whatever the machine did between the two blocks: on a shared 2-core machine
the live read over ops-read moved by most of its target's margin between runs of the same code.
Here the models of both cases are alive at once and each round times one hook of each, so that a
change in the machine's speed falls on both; a pair's row holds each case's median thread CPU
over the same rounds (the simulator's answering of tools taken out, the heap frozen, as for the
rows). ``python -m benchmarks`` times the pairs before any case.
"""

from __future__ import annotations

import time
from statistics import median

from jujusim.vocabulary import BenchBackend, BenchKind
from reporting import BenchSize
from reporting.targets import PAIRS

from .model import BenchModel
from .production import primed_model, run_hooks
from .tool_calls import Row


def _own_cpu_s(model: BenchModel, kind: BenchKind) -> float:
    """Queue, run and check one hook of ``kind``; return its own thread CPU."""
    return run_hooks(model, kind, 1)[0]["own_cpu_s"]


def paired_rows(size: BenchSize) -> list[Row]:
    """Time every pair of ``reporting.targets.PAIRS`` at ``size.paired`` (local, v2, M=1).

    An untimed first round of each pair sets its number of rounds (``BenchSize.affordable``).
    Every round's hooks are checked as the cases' are (``BenchModel.queue``).
    """
    relations, fewest = size.paired
    if not relations:
        return []  # the size times no pairs
    models: dict[BenchBackend, BenchModel] = {}
    rows: list[Row] = []
    try:
        for backend, kind, over, over_kind in PAIRS:
            for charm in (backend, over):
                if charm not in models:
                    models[charm] = primed_model(charm, "local", relations)
            started = time.perf_counter()
            _own_cpu_s(models[backend], kind)
            _own_cpu_s(models[over], over_kind)
            rounds = size.affordable(fewest, time.perf_counter() - started)
            times = [
                (_own_cpu_s(models[backend], kind), _own_cpu_s(models[over], over_kind))
                for _ in range(rounds)
            ]
            rows.append(
                {
                    "backend": backend,
                    "kind": kind,
                    "over": over,
                    "over_kind": over_kind,
                    "relations": relations,
                    "rounds": rounds,
                    "time_s": median(time_s for time_s, _ in times),
                    "over_time_s": median(over_s for _, over_s in times),
                }
            )
    finally:
        for model in models.values():
            model.close()
    return rows
