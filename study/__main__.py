"""``python -m study``: run the sync-correctness study and write its reports."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from reporting import STUDY_SIZES

from .charms import REQUIRERS, SHIPPED
from .report import write_study
from .run import run_study
from .scenarios import SCENARIOS


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the study, write the reports.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(prog="python -m study", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer seeds, shorter schedules")
    size.add_argument("--full", action="store_true", help="more seeds, longer schedules")
    parser.add_argument("--seeds", type=int, help="random schedules per strategy")
    parser.add_argument("--operations", type=int, help="operations per random schedule")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="reports folder")
    names = [scenario.name for scenario in SCENARIOS]
    parser.add_argument("--strategies", nargs="+", default=list(REQUIRERS), choices=REQUIRERS)
    parser.add_argument(
        "--scenarios", nargs="+", default=[*names, "random"], choices=[*names, "random"]
    )
    arguments = parser.parse_args(argv)
    name = "quick" if arguments.quick else "full" if arguments.full else "default"
    preset = STUDY_SIZES[name]
    seeds_count, operations, scale = preset.seeds, preset.operations, preset.scale
    seeds = list(range(arguments.seeds or seeds_count))
    operations = arguments.operations or operations
    scenario_seeds = seeds[: max(1, len(seeds) // 4)]
    named = [scenario for scenario in arguments.scenarios if scenario != "random"]
    started = time.perf_counter()
    print(f"study ({name}): strategies {arguments.strategies}, seeds {seeds}", flush=True)
    runs = run_study(
        arguments.strategies,
        named,
        scenario_seeds,
        random_operations=operations,
        scale=scale,
        progress=_progress,
    )
    if "random" in arguments.scenarios:
        runs += run_study(
            arguments.strategies,
            ["random"],
            seeds,
            random_operations=operations,
            progress=_progress,
        )
    controller = run_study(
        [strategy for strategy in SHIPPED if strategy in arguments.strategies],
        [scenario for scenario in ("steady", "pod-churn") if scenario in named],
        scenario_seeds[:1],
        storage="controller",
        progress=_progress,
    )
    path = write_study(
        runs,
        controller,
        {
            "size": name,
            "seeds": seeds,
            "scenario_seeds": scenario_seeds,
            "random_operations": operations,
            "scale": scale,
            "scenarios": arguments.scenarios,
            "strategies": arguments.strategies,
        },
        arguments.out,
    )
    elapsed = time.perf_counter() - started
    print(f"wrote {path} in {elapsed:.0f}s", flush=True)
    return 0


def _progress(line: str) -> None:
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
