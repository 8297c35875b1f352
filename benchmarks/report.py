"""Write ``reports/costs.json`` and ``reports/README.md``, the report a person reads first.

Every number in the README comes from this run's pytest-benchmark JSON (through ``Figures``) or
from the study's ``study.json``; nothing is typed in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .figures import Figures, rows_from_raw
from .plots import write_plots
from .tables import (
    calls_cell,
    controller_table,
    exponent_table,
    measure_table,
    ratio_cell,
    state_cell,
    units_note,
    written_cell,
)
from .targets import LINEAR_EXPONENT, MISSED, Target, check_targets

STUDY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("runs", "runs"),
    ("stale_fraction", "stale hooks"),
    ("stale_at_quiescence", "stale at quiescence"),
    ("missed_at_quiescence", "missed (final)"),
    ("dropped_events", "dropped events"),
    ("duplicate_events", "duplicate events"),
    ("failed_hooks", "failed hooks"),
    ("tool_calls_per_hook", "hook-tool calls / hook"),
    ("relation_get_per_hook", "relation-get / hook"),
    ("state_bytes_per_unit", "state bytes / unit (max)"),
)
"""The study's key measures, as its summary names them, with headings."""

STRATEGY_ORDER = ("live", "stored", "init-emit", "hybrid", "naive-cache")


def write_reports(raw_path: Path, out: Path, meta: Mapping[str, Any]) -> list[Target]:
    """Derive the figures, write ``costs.json``, the plots and ``README.md``.

    Args:
        raw_path: pytest-benchmark's JSON of this run.
        out: The reports folder (``study.json`` is read from there if present).
        meta: What was run: versions, machine, size, commands, timings.

    Returns:
        The targets, checked.
    """
    raw: dict[str, Any] = json.loads(raw_path.read_text())
    figures = Figures(rows_from_raw(raw))
    targets = check_targets(figures)
    document = {
        "meta": dict(meta),
        **figures.as_json(),
        "targets": [attrs.asdict(t) for t in targets],
    }
    (out / "costs.json").write_text(json.dumps(document, indent=1) + "\n")
    plots = write_plots(figures, out)
    study_path = out / "study.json"
    study: dict[str, Any] | None = (
        json.loads(study_path.read_text()) if study_path.exists() else None
    )
    (out / "README.md").write_text(readme(figures, targets, meta, study, plots))
    return targets


def _cell(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def what_was_run(meta: Mapping[str, Any], study: Mapping[str, Any] | None) -> list[str]:
    """The section saying what produced the report, and how to produce it again."""
    study_meta: Mapping[str, Any] = (study or {}).get("meta", {})
    seeds = study_meta.get("seeds", "no study in this run")
    rounds = ", ".join(f"{r} at N={n}" for n, r in meta["rounds"].items())
    cpu_note = (
        "one thread, state on tmpfs: in effect CPU time"
        if "tmpfs" in str(meta["unit_dirs"])
        else "one thread, state on disk: CPU time plus SQLite's writes"
    )
    lines = [
        "## What was run",
        "",
        "| | |",
        "| --- | --- |",
        f"| ops | {meta['ops_version']} |",
        f"| Python | {meta['python']} ({meta['platform']}) |",
        f"| machine cores | {meta['cores']} |",
        f"| benchmark size | {meta['size']}: N = {meta['relations']}, M = {meta['units']}; "
        f"controller storage N = {meta['controller_relations']}, M = 1 |",
        f"| timed rounds per case | at least {rounds}; cheap hooks get more, as many as fit in "
        f"{meta['round_budget_s']} s (at most {meta['max_rounds']}); median taken. Controller "
        "storage: at most 3, 1 at N=1000 |",
        f"| study seeds | {seeds} |",
        f"| study size | {study_meta.get('size', '-')}, "
        f"{study_meta.get('random_operations', '-')} operations per random schedule |",
        f"| unit directories | {meta['unit_dirs']} |",
        f"| benchmarks took | {meta['seconds']:.0f} s |",
        "",
        "To produce it again from a clone: `nox -s bench` (it installs what is needed, then runs "
        "the two commands after it, which are what produced this report):",
        "",
        "```sh",
        f"nox -s bench{' -- ' + meta['size_flag'] if meta['size_flag'] else ''}",
        str(study_meta.get("command", "python -m study")),
        str(meta["command"]),
        "```",
        "",
        "Each benchmark stands up a settled model with `jujusim.preload` (one requirer unit "
        "related to N provider applications of M units each, every relation hook already run), "
        "builds the requirer's state with one hook, then times one hook of the requirer per "
        "round: its dispatch through the real `ops.main`, hook tools answered by the simulated "
        f"controller. Time is the median wall time of that dispatch ({cpu_note}) divided by the "
        "no-op charm's (a charm that constructs nothing, with the same relations) measured in "
        "the same run. "
        "Before each timed hook the simulator's heap is frozen out of the garbage collector, so "
        "that a collection scans only what the hook allocates, as in a hook's own process; "
        "`ops-read` is a charm without the library that reads every provider's databag with "
        "plain ops. State bytes are the pickled SQLite rows (local storage) or the YAML values "
        "given to `state-set` (controller storage). Raw figures: "
        "[benchmarks-raw.json](benchmarks-raw.json) (pytest-benchmark's own statistics there "
        "time the whole `Simulator.step`, the simulator's bookkeeping included; the dispatch "
        "times used here are in each benchmark's `extra_info`); derived: "
        "[costs.json](costs.json).",
        "",
    ]
    return lines


def study_section(study: Mapping[str, Any] | None) -> list[str]:
    """The study's summary: one row per strategy."""
    lines = ["## The study (sync correctness)", ""]
    if study is None:
        return [
            *lines,
            "`reports/study.json` is absent: the study was not run before these benchmarks. "
            "`nox -s bench` runs it first; `python -m study` runs it alone.",
            "",
        ]
    summary: Mapping[str, Mapping[str, Any]] = study["summary"]
    order = [s for s in STRATEGY_ORDER if s in summary] + [
        s for s in summary if s not in STRATEGY_ORDER
    ]
    lines += [
        "One row per strategy over every scenario and seed of the study (local state); the full "
        "tables are in [study.md](study.md).",
        "",
        "| strategy | " + " | ".join(title for _, title in STUDY_COLUMNS) + " |",
        "| --- |" + " ---: |" * len(STUDY_COLUMNS),
    ]
    for strategy in order:
        figures = summary[strategy]
        cells: list[str] = []
        for key, _ in STUDY_COLUMNS:
            value = figures.get(key, "-")
            cells.append(f"{value:.1%}" if key == "stale_fraction" else _cell(value))
        lines.append(f"| {strategy} | " + " | ".join(cells) + " |")
    lines += ["", "![staleness](study-staleness.png)", "![cost](study-cost.png)", ""]
    return lines


def targets_section(targets: Sequence[Target]) -> list[str]:
    """The targets of issue 4, each with its verdict and the figure that decides it."""
    met = sum(t.status == "MET" for t in targets)
    missed = sum(t.status == MISSED for t in targets)
    lines = [
        "## Targets",
        "",
        f"{met} met, {missed} missed, {len(targets) - met - missed} not measured in this run. "
        "Misses are explained at the end.",
        "",
        "| target | verdict | figure |",
        "| --- | --- | --- |",
    ]
    for target in targets:
        verdict = f"**{target.status}**" if target.status == MISSED else target.status
        lines.append(f"| {target.claim} | {verdict} | {target.figure} |")
    return [*lines, ""]


def _stability(figures: Figures) -> str:
    varying = [
        f"{r.backend} {r.kind} N={r.relations} M={r.units}"
        for r in figures.rows
        if r.tool_calls_vary
    ]
    if not varying:
        return "Hook-tool calls were the same in every round of every case."
    return (
        "Hook-tool calls differed between rounds in: "
        + "; ".join(varying)
        + " (last round shown)."
    )


def costs_section(figures: Figures) -> list[str]:
    """One table per cost measure, the backends side by side with the baselines."""
    note = units_note(figures)
    return [
        "## Costs",
        "",
        _stability(figures),
        "",
        "### Time over the no-op charm",
        "",
        f"Median dispatch time divided by the no-op charm's for the same hook, N and M. {note}",
        "",
        *measure_table(figures, ("ops-read", "live", "stored"), ratio_cell),
        "",
        "### Hook-tool calls per hook",
        "",
        f"Every hook-tool call, `relation-get` in brackets. {note}",
        "",
        *measure_table(figures, ("noop", "ops-read", "live", "stored"), calls_cell),
        "",
        "### Stored state after the hook (bytes, pickle as in SQLite)",
        "",
        note,
        "",
        *measure_table(figures, ("noop", "live", "stored"), state_cell),
        "",
        "### Bytes written by the hook's commit",
        "",
        note,
        "",
        *measure_table(figures, ("noop", "live", "stored"), written_cell),
        "",
        "### Controller storage (state-set, YAML; Juju refuses a value over 64 KiB)",
        "",
        "The rebuild here is the first hook with empty state; `largest value` is the largest "
        "single state value the unit holds after the hook.",
        "",
        *controller_table(figures),
        "",
        "### Growth with N",
        "",
        "Exponent of cost against N on log-log axes: `fit` is the least-squares slope over every "
        "N, `top` the slope between the two largest N. 1 is linear; a target counts as met up "
        f"to {LINEAR_EXPONENT}. {note}",
        "",
        *exponent_table(figures, ("noop", "ops-read", "live", "stored")),
        "",
    ]


def readme(
    figures: Figures,
    targets: Sequence[Target],
    meta: Mapping[str, Any],
    study: Mapping[str, Any] | None,
    plots: Sequence[str],
) -> str:
    """The whole ``README.md``."""
    missed = [t for t in targets if t.status == MISSED]
    lines = [
        "# k8s-service interface: costs and correctness",
        "",
        "The report to read first. Every figure below was measured by the run described under "
        "*What was run* (the benchmarks) or comes from `study.json` (the study).",
        "",
        *what_was_run(meta, study),
        *study_section(study),
        *targets_section(targets),
        *costs_section(figures),
        "## Plots",
        "",
        *(f"![{name}]({name})" for name in plots),
        "",
        "## Why the misses",
        "",
    ]
    if not missed:
        lines.append("Every measured target was met.")
    for target in missed:
        lines += [f"- **{target.claim}**: {target.figure}. {target.why}", ""]
    return "\n".join(lines).rstrip() + "\n"
