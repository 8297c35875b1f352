"""Aggregate study runs into ``reports/study.json``; ``reporting`` renders everything from it.

A run's measures (``RunMetrics.as_dict``) are aggregated over runs by their names, so that a new
measure needs no change here: ``*_per_hook`` and ``*_fraction`` are weighted by hooks; ``max_*``,
``longest_*`` and ``*_per_unit`` take the largest; ``*_bytes`` the median; other numbers are
summed; lists of hook counts (``hooks_to_*``) give ``median_hooks_to_*``, and mappings of them
(``*_by_dialect``) a median per key; counts by hook kind (``*_by_hook``) are summed per kind.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reporting import environment

from .run import Run

SKIPPED = frozenset({"strategy", "scenario", "seed", "storage", "tool_calls"})
"""Run fields that are identity or detail, not measures to aggregate."""


def _aggregate(key: str, values: list[Any], hooks: list[int]) -> tuple[str, Any] | None:
    """One measure over runs, by the rule its name gives; None for what is not aggregated."""
    total = sum(hooks) or 1
    if key.endswith(("_per_hook", "_fraction")):
        return key, sum(v * h for v, h in zip(values, hooks, strict=True)) / total
    if key.startswith(("max_", "longest_")) or key.endswith("_per_unit"):
        return key, max(values)
    if key.endswith("_bytes"):
        return key, statistics.median(values)
    if key.startswith("hooks_to_"):
        merged = [n for value in values for n in value]
        return f"median_{key}", statistics.median(merged) if merged else None
    if key.endswith("_by_dialect"):
        grouped: dict[str, list[int]] = defaultdict(list)
        for value in values:
            for name, counts in value.items():
                grouped[name].extend(counts)
        median_key = f"median_{key.replace('first_service', 'hooks_to_first_service')}"
        return median_key, {name: statistics.median(n) for name, n in sorted(grouped.items())}
    if key.endswith("_by_hook"):
        summed = sum(map(Counter[str], values), Counter[str]())  # a run counts no hook kind 0
        return key, dict(sorted(summed.items()))
    if isinstance(values[0], int | float) and not isinstance(values[0], bool):
        return key, sum(values)
    return None


def summarise(runs: Sequence[Run]) -> dict[str, dict[str, Any]]:
    """Aggregate runs per strategy (see the module's rules).

    Returns:
        Strategy name to its aggregated measures, ``runs`` (their number) included.
    """
    grouped: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for run in runs:
        grouped[run.strategy].append(run.as_dict())
    summary: dict[str, dict[str, Any]] = {}
    for strategy, rows in grouped.items():
        hooks = [int(row["hooks"]) for row in rows]
        keys = [key for key in rows[0] if key not in SKIPPED]
        found = [_aggregate(key, [row[key] for row in rows], hooks) for key in keys]
        summary[strategy] = {"runs": len(rows), **dict(f for f in found if f is not None)}
    return summary


def by_scenario(runs: Sequence[Run]) -> dict[str, dict[str, dict[str, Any]]]:
    """``summarise`` of each scenario's runs, scenarios in the order they first ran."""
    scenarios = dict.fromkeys(run.scenario for run in runs)
    return {s: summarise([run for run in runs if run.scenario == s]) for s in scenarios}


def write_study(
    runs: Sequence[Run],
    controller_runs: Sequence[Run],
    heal: Mapping[str, Sequence[Run]],
    arguments: dict[str, Any],
    out: Path,
) -> Path:
    """Write ``study.json`` (the aggregates) and ``study-runs.json`` (every run); return the first.

    The reports are rendered from ``study.json`` alone; ``study-runs.json`` is a build artefact,
    not committed (a rerun would otherwise be a diff of every run).

    Args:
        runs: Runs with local (SQLite) state.
        controller_runs: Runs with controller state (``state-set``), possibly empty.
        heal: The stored backend's runs per re-read budget (``heal_budget`` in the report).
        arguments: The study's arguments (seeds, sizes), recorded in the report.
        out: The reports folder.
    """
    out.mkdir(parents=True, exist_ok=True)
    document = {
        "meta": {**environment("python -m study"), **arguments},
        "summary": summarise(runs),
        "by_scenario": by_scenario(runs),
        "controller_storage": summarise(controller_runs),
        "controller_by_scenario": by_scenario(controller_runs),
        "heal_budget": {
            budget: {scenario: found["stored"] for scenario, found in by_scenario(rs).items()}
            for budget, rs in heal.items()
        },
    }
    every_run = [run.as_dict() for run in [*runs, *controller_runs]]
    (out / "study-runs.json").write_text(json.dumps(every_run, indent=1) + "\n")
    path = out / "study.json"
    path.write_text(json.dumps(document, indent=1) + "\n")
    return path
