"""``python -m benchmarks [--quick | --full]``: run the cost benchmarks and write the report.

Runs the pytest-benchmark suite (pytest -v shows each case as it finishes), keeps its JSON in
``reports/benchmarks-raw.json``, then writes ``reports/costs.json``, the plots and
``reports/README.md``. The study's own flags (``--seeds``, ``--strategies``, ...) are accepted and
ignored, so that ``nox -s bench -- <flags>`` can pass the same flags to both.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import ops
import pytest

from .model import unit_dirs_root
from .report import write_reports
from .sizes import SIZES

PACKAGE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmarks, write the reports; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, allow_abbrev=False
    )
    size_flags = parser.add_mutually_exclusive_group()
    size_flags.add_argument("--quick", action="store_true", help="N up to 100, M in {1, 3}")
    size_flags.add_argument("--full", action="store_true", help="more rounds per case")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="reports folder")
    arguments, ignored = parser.parse_known_args(argv)
    if ignored:
        print(f"benchmarks: ignoring {' '.join(ignored)} (the study's flags)", flush=True)
    name = "quick" if arguments.quick else "full" if arguments.full else "default"
    size = SIZES[name]
    out: Path = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    raw_path = out / "benchmarks-raw.json"
    print(
        f"benchmarks ({name}): N = {list(size.relations)}, M = {list(size.units)}, "
        f"controller N = {list(size.controller_relations)}",
        flush=True,
    )
    started = time.perf_counter()
    code = pytest.main(
        [
            str(PACKAGE),
            "-v",
            "-p",
            "no:cacheprovider",
            f"--rootdir={PACKAGE.parent}",
            f"--bench-size={name}",
            f"--benchmark-json={raw_path}",
            "--benchmark-columns=median,iqr,rounds",
            "--benchmark-sort=name",
        ]
    )
    seconds = time.perf_counter() - started
    if code != 0:
        print(f"benchmarks failed (pytest exit code {int(code)}); no report written", flush=True)
        return int(code)
    size_flag = "--quick" if arguments.quick else "--full" if arguments.full else ""
    meta = {
        "ops_version": ops.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cores": os.cpu_count(),
        "size": name,
        "size_flag": size_flag,
        "relations": list(size.relations),
        "units": list(size.units),
        "controller_relations": list(size.controller_relations),
        "rounds": {str(n): r for n, r in size.rounds.items()},
        "round_budget_s": size.budget_s,
        "max_rounds": size.max_rounds,
        "unit_dirs": _unit_dirs(),
        "seconds": round(seconds, 1),
        "command": " ".join(
            ["python -m benchmarks", *(argv if argv is not None else sys.argv[1:])]
        ),
    }
    targets = write_reports(raw_path, out, meta)
    for target in targets:
        print(f"{target.status:<12} {target.claim}", flush=True)
    print(f"wrote {out}/README.md, costs.json and plots in {time.perf_counter() - started:.0f}s")
    return 0


def _unit_dirs() -> str:
    root = unit_dirs_root()
    if root is None:
        return "the system's temporary directory (on disk: SQLite's fsync is in the timings)"
    return f"{root} (tmpfs: disk latency is left out of the timings)"


if __name__ == "__main__":
    sys.exit(main())
