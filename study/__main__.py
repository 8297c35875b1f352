"""``python -m study``: run the sync-correctness study and write its reports."""

from __future__ import annotations

import argparse
import contextlib
import functools
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jujusim.vocabulary import STRATEGIES, Strategy
from reporting import STUDY_SIZES, add_size_flags, chosen_size, reports_folder

from .charms import REQUIRERS
from .report import write_study
from .run import run_study
from .scenarios import SCENARIOS

HEAL_BUDGETS = (0, 1, 2, 4)
"""The stored backend's re-read budgets the study compares (``rereads_per_event``)."""
HEAL_SCENARIOS = ("skipped-hook-many", "realistic-mix")
"""Where the budgets are compared: how fast a skip heals, and what re-reading costs."""


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the study, write ``study.json``; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m study", description=__doc__)
    add_size_flags(parser)
    parser.add_argument("--seeds", type=int, help="random schedules per strategy")
    parser.add_argument("--operations", type=int, help="operations per random schedule")
    parser.add_argument("--scenario-seeds", type=int, help="seeds per named scenario")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes running the runs (default: one per core)")  # fmt: skip
    parser.add_argument("--out", type=Path, help="reports folder (reports/, or for --quick "
                        "build/quick-reports/)")  # fmt: skip
    names = [scenario.name for scenario in SCENARIOS] + ["random"]
    parser.add_argument("--strategies", nargs="+", default=list(REQUIRERS), choices=REQUIRERS)
    parser.add_argument("--scenarios", nargs="+", default=names, choices=names)
    arguments = parser.parse_args(argv)
    name = chosen_size(arguments)
    size = STUDY_SIZES[name]
    seeds = list(range(arguments.seeds or size.seeds))
    operations: int = arguments.operations or size.operations
    scenario_seeds = list(range(arguments.scenario_seeds or size.scenario_seeds))
    named = [scenario for scenario in arguments.scenarios if scenario != "random"]
    # argparse's choices= already restricted the names to REQUIRERS' keys.
    strategies: list[Strategy] = [s for s in STRATEGIES if s in arguments.strategies]
    started = time.perf_counter()
    print(f"study ({name}): strategies {strategies}, {len(seeds)} random schedules of "
          f"{operations} operations, scenario seeds {scenario_seeds}", flush=True)  # fmt: skip
    # Spawned, not forked, workers: each starts from a fresh interpreter, on every platform.
    spawn = multiprocessing.get_context("spawn")
    with (
        ProcessPoolExecutor(arguments.workers, mp_context=spawn)
        if arguments.workers > 1
        else contextlib.nullcontext()
    ) as pool:
        run = functools.partial(run_study, random_operations=operations, pool=pool)
        runs = run(strategies, named, scenario_seeds, scale=size.scale)
        if "random" in arguments.scenarios:
            runs += run(strategies, ["random"], seeds)
        # Every strategy on controller storage too: in 2020 ops kept podspec charms' state
        # there, so a baseline's state-loss faults are judged on that substrate as well.
        controller = run(
            strategies,
            [s for s in ("steady", "pod-churn", "reschedule", "skipped-hook") if s in named],
            scenario_seeds,
            storage="controller",
        )
        # The stored backend's heal budget: how fast a skipped change heals, and what it costs.
        heal = {
            str(budget): run(["stored"], HEAL_SCENARIOS, scenario_seeds, rereads_per_event=budget)
            for budget in HEAL_BUDGETS
            if "stored" in strategies and all(s in named for s in HEAL_SCENARIOS)
        }
    arguments_kept = {
        "size": name,
        "random_schedules": len(seeds),
        "scenario_seeds": scenario_seeds,
        "random_operations": operations,
        "scale": size.scale,
        "scenarios": arguments.scenarios,
        "strategies": strategies,
    }
    out = arguments.out or reports_folder(name)
    path = write_study(runs, controller, heal, arguments_kept, out)
    print(f"wrote {path} in {time.perf_counter() - started:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
