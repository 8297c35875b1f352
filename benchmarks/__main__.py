"""``python -m benchmarks [--quick | --full]``: run the cost benchmarks and write ``costs.json``.

Runs the pytest-benchmark suite and summarises each case's timed rounds into one row of
``reports/costs.json``, then the production benchmarks (``production_model.py``) and the other
sections; ``python -m reporting`` renders the report from it. The console shows one line per
group of cases as it finishes (``progress.py``) and, at the end, the production figures and the
targets; pytest's own per-test lines and pytest-benchmark's tables are left out. pytest-benchmark's
JSON is kept beside it as ``benchmarks-raw.json``, a build artefact that is not committed.
``--quick`` writes into ``build/quick-reports/`` (git-ignored) unless ``--out`` says otherwise,
so that a smoke run never overwrites the committed reports. The study's own flags
(``--seeds``, ...) are accepted and ignored, so that ``nox -s bench -- <flags>`` can pass the
same flags to both.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from reporting import BENCH_SIZES, Costs, add_size_flags, chosen_size, environment, reports_folder
from reporting.production_figures import ms
from reporting.targets import verdicts

from .cases import cases
from .hostile import hostile_rows
from .model import unit_dirs_root
from .production_model import production_sections
from .progress import Progress
from .test_rebuild import KINDS as REBUILD_KINDS
from .test_relation_changed import KINDS as CHANGED_KINDS
from .test_update_status import KINDS as STATUS_KINDS

PACKAGE = Path(__file__).resolve().parent

SECTIONS: dict[str, Callable[[], Sequence[Mapping[str, Any]]]] = {"hostile": hostile_rows}
"""Further measured tables for ``costs.json``'s ``sections``, by name: each function runs its
measurement and returns its rows (the targets read them from there)."""


def summarise(raw: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per case from pytest-benchmark's JSON: medians and totals of the timed rounds."""
    rows: list[dict[str, Any]] = []
    for bench in raw.get("benchmarks", []):
        info: Mapping[str, Any] = bench["extra_info"]
        calls: list[dict[str, int]] = info["tool_calls"]
        answers: list[float] = info.get("answers_s", [0.0] * len(info["durations_s"]))
        rows.append(
            {
                **{key: info[key] for key in ("storage", "wire", "backend", "kind")},
                "relations": int(info["relations"]),
                "units": int(info["units"]),
                "rounds": len(info["durations_s"]),
                # The hook's own thread CPU: the simulator's answering of its tools taken out.
                "time_s": statistics.median(
                    d - a for d, a in zip(info["durations_s"], answers, strict=True)
                ),
                "answer_s": statistics.median(answers),
                "tool_calls": calls[-1],
                "tool_calls_vary": any(c != calls[-1] for c in calls),
                "state_bytes": int(info["state_bytes"][-1]),
                "bytes_written": max(info["bytes_written"]),
                "state_limit_hits": sum(info["state_limit_hits"]),
                "largest_state_value": int(info["largest_state_value"]),
                "ok": all(info["ok"]),
                "error": info.get("error"),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmarks, write ``costs.json``; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    add_size_flags(parser)
    parser.add_argument("--out", type=Path, help="reports folder (reports/, or for --quick "
                        "build/quick-reports/)")  # fmt: skip
    arguments, ignored = parser.parse_known_args(argv)
    if ignored:
        print(f"benchmarks: ignoring {' '.join(ignored)} (the study's flags)", flush=True)
    name = chosen_size(arguments)
    out: Path = arguments.out or reports_folder(name)
    out.mkdir(parents=True, exist_ok=True)
    raw_path = out / "benchmarks-raw.json"
    size = BENCH_SIZES[name]
    found = cases(size, (*REBUILD_KINDS, *STATUS_KINDS, *CHANGED_KINDS))
    print(f"benchmarks ({name}): {len(found)} cases", flush=True)
    started = time.perf_counter()
    progress = Progress(lambda line: print(line, flush=True))
    code = pytest.main(
        [str(PACKAGE), "-p", "no:cacheprovider", "-p", "no:terminal",
         "-o", "addopts=--strict-markers", f"--rootdir={PACKAGE.parent}",
         f"--ignore={PACKAGE / 'test_production.py'}", f"--bench-size={name}",
         f"--benchmark-json={raw_path}"],
        plugins=[progress],
    )  # fmt: skip
    if code != 0 or progress.failed:
        print(f"benchmarks failed (pytest exit code {int(code)}); nothing written", flush=True)
        return int(code) or 1
    sections = {section: list(run()) for section, run in SECTIONS.items()}
    print("production: hook tools as processes, start-up, and the model", flush=True)
    sections |= production_sections(name, lambda line: print(line, flush=True))
    root = unit_dirs_root()
    meta = {
        **environment("python -m benchmarks", argv),
        "size": name,
        "cases": len(found),
        "clock": "thread-CPU",
        "rounds": {str(n): r for n, r in size.rounds.items()},
        "unit_dirs": f"{root} (tmpfs)" if root else "the system's temporary directory (disk)",
        "seconds": round(time.perf_counter() - started, 1),
    }
    rows = summarise(json.loads(raw_path.read_text()))
    document = {"meta": meta, "rows": rows, "sections": sections}
    (out / "costs.json").write_text(json.dumps(document, indent=1) + "\n")
    costs = Costs.from_json(document)
    _print_production(costs)
    for target, status, result in verdicts(costs):
        print(f"{status:<12} {target.claim} {target.goal}: {result.figure}", flush=True)
    print(f"wrote {out}/costs.json in {time.perf_counter() - started:.0f}s", flush=True)
    return 0


def _print_production(costs: Costs) -> None:
    """The production figures a reader wants first: per-call cost, start-up, calibration."""
    per_call = costs.sections["production-per-call"][0]
    modelled = costs.sections["production-hooks"][0]["per_call_s"]
    print(
        f"one hook-tool call (C client): {ms(modelled)} ms in the model; {ms(per_call['wall_s'])}"
        f" ms median, {ms(per_call['mean_wall_s'])} ms mean of one run of calls",
        flush=True,
    )
    startup = ", ".join(f"{r['program']} {ms(r['cpu_s'])} ms"
                        for r in costs.sections["production-startup"])  # fmt: skip
    print(f"start-up (CPU): {startup}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
