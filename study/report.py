"""Aggregate study runs and write ``reports/study.json``, ``reports/study.md`` and plots."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ops

from .run import Run

COUNTED = (
    "hooks",
    "failed_hooks",
    "stale_hooks",
    "stale_at_quiescence",
    "truth_changes",
    "events_received",
    "events_emitted",
    "dropped_events",
    "duplicate_events",
    "reannounced_events",
    "spurious_events",
    "stale_events",
    "missed_at_quiescence",
    "order_disagreements",
    "order_flips",
    "state_limit_hits",
)
"""Measures summed over runs."""

COLUMNS: tuple[tuple[str, str], ...] = (
    ("stale_fraction", "stale hooks"),
    ("longest_stale_run", "longest stale run"),
    ("stale_at_quiescence", "stale at quiescence"),
    ("missed_at_quiescence", "missed (final)"),
    ("dropped_events", "dropped events"),
    ("duplicate_events", "duplicate events"),
    ("spurious_events", "order-only events"),
    ("stale_events", "stale events"),
    ("order_disagreements", "runs with units in different order"),
    ("order_flips", "order flips"),
    ("failed_hooks", "failed hooks"),
    ("tool_calls_per_hook", "hook-tool calls / hook"),
    ("relation_get_per_hook", "relation-get / hook"),
    ("bytes_written_per_hook", "state bytes written / hook"),
    ("state_bytes_per_unit", "state bytes / unit (max)"),
    ("databag_bytes", "databag bytes (median)"),
)
"""The study table's columns: measure key and heading."""


def summarise(runs: Sequence[Run]) -> dict[str, dict[str, Any]]:
    """Aggregate runs per strategy: counts summed, per-hook figures weighted by hooks.

    Args:
        runs: Runs of any strategies, scenarios and seeds.

    Returns:
        Strategy name to its aggregated measures.
    """
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for run in runs:
        grouped[run.strategy].append(run.as_dict())
    summary: dict[str, dict[str, Any]] = {}
    for strategy, rows in grouped.items():
        hooks = sum(row["hooks"] for row in rows) or 1
        figures: dict[str, Any] = {key: sum(row[key] for row in rows) for key in COUNTED}
        figures["runs"] = len(rows)
        figures["stale_fraction"] = figures["stale_hooks"] / hooks
        figures["longest_stale_run"] = max(row["longest_stale_run"] for row in rows)
        for key in ("tool_calls_per_hook", "relation_get_per_hook", "bytes_written_per_hook"):
            figures[key] = sum(row[key] * row["hooks"] for row in rows) / hooks
        figures["max_bytes_written"] = max(row["max_bytes_written"] for row in rows)
        figures["state_bytes_per_unit"] = max(row["state_bytes_per_unit"] for row in rows)
        figures["databag_bytes"] = statistics.median(row["databag_bytes"] for row in rows)
        first = [n for row in rows for n in row["hooks_to_first_service"]]
        figures["median_hooks_to_first_service"] = statistics.median(first) if first else None
        by_dialect: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            for dialect, hooks in row["first_service_by_dialect"].items():
                by_dialect[dialect].extend(hooks)
        figures["median_hooks_to_first_service_by_dialect"] = {
            dialect: statistics.median(hooks) for dialect, hooks in sorted(by_dialect.items())
        }
        summary[strategy] = figures
    return summary


def _cell(key: str, value: Any) -> str:
    if key.endswith("fraction"):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _table(summary: dict[str, dict[str, Any]], columns: Sequence[tuple[str, str]]) -> list[str]:
    lines = [
        "| strategy | " + " | ".join(title for _, title in columns) + " |",
        "| --- |" + " ---: |" * len(columns),
    ]
    for strategy, figures in summary.items():
        cells = [_cell(key, figures[key]) for key, _ in columns]
        lines.append(f"| {strategy} | " + " | ".join(cells) + " |")
    return lines


def metadata(arguments: dict[str, Any]) -> dict[str, Any]:
    """Describe what produced a report: versions, machine, and the study's arguments."""
    return {
        "ops_version": ops.__version__,
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "command": " ".join(["python -m study", *sys.argv[1:]]),
        **arguments,
    }


def write_reports(
    runs: Sequence[Run],
    controller_runs: Sequence[Run],
    arguments: dict[str, Any],
    out: Path,
) -> dict[str, Any]:
    """Write ``study.json``, ``study.md`` and the plots into ``out``.

    Args:
        runs: Runs with local (SQLite) state.
        controller_runs: Runs with controller state (``state-set``), possibly empty.
        arguments: The study's arguments (seeds, sizes), recorded in the report.
        out: The reports folder.

    Returns:
        The JSON document written.
    """
    out.mkdir(parents=True, exist_ok=True)
    summary = summarise(runs)
    by_scenario: dict[str, dict[str, dict[str, Any]]] = {}
    for scenario in dict.fromkeys(run.scenario for run in runs):
        by_scenario[scenario] = summarise([run for run in runs if run.scenario == scenario])
    document = {
        "meta": metadata(arguments),
        "summary": summary,
        "by_scenario": by_scenario,
        "controller_storage": summarise(controller_runs) if controller_runs else {},
        "runs": [run.as_dict() for run in [*runs, *controller_runs]],
    }
    (out / "study.json").write_text(json.dumps(document, indent=1, sort_keys=False) + "\n")
    (out / "study.md").write_text(_markdown(document))
    _plots(summary, out)
    return document


def _markdown(document: dict[str, Any]) -> str:
    meta = document["meta"]
    lines = [
        "# Sync-correctness study",
        "",
        f"Produced by `{meta['command']}` with ops {meta['ops_version']}, "
        f"Python {meta['python']}, {meta['cores']} cores; seeds {meta['seeds']}, "
        f"{meta['random_operations']} operations per random schedule, scenarios: "
        f"{', '.join(meta['scenarios'])}. Every figure is in `study.json`.",
        "",
        "## All runs (local state), one row per strategy",
        "",
        *_table(document["summary"], COLUMNS),
        "",
        "## Per scenario: stale hooks, missed changes and dropped events",
        "",
    ]
    key_columns = (
        ("stale_hooks", "stale hooks"),
        ("stale_at_quiescence", "stale at quiescence"),
        ("missed_at_quiescence", "missed (final)"),
        ("dropped_events", "dropped events"),
        ("order_disagreements", "order differs"),
        ("median_hooks_to_first_service", "hooks to first service"),
    )
    for scenario, summary in document["by_scenario"].items():
        lines += [f"### {scenario}", "", *_table(summary, key_columns), ""]
    mixed = document["by_scenario"].get("mixed-versions")
    if mixed:
        dialects = sorted(
            {d for f in mixed.values() for d in f["median_hooks_to_first_service_by_dialect"]}
        )
        lines += [
            "## Negotiation: requirer hooks from relation-created to the first service",
            "",
            "In the `mixed-versions` scenario, by the dialect the provider speaks (median).",
            "",
            "| strategy | " + " | ".join(dialects) + " |",
            "| --- |" + " ---: |" * len(dialects),
        ]
        for strategy, figures in mixed.items():
            medians = figures["median_hooks_to_first_service_by_dialect"]
            cells = [str(medians.get(dialect, "-")) for dialect in dialects]
            lines.append(f"| {strategy} | " + " | ".join(cells) + " |")
        lines.append("")
    if document["controller_storage"]:
        lines += [
            "## Controller storage (state-set, YAML)",
            "",
            *_table(
                document["controller_storage"],
                (
                    ("tool_calls_per_hook", "hook-tool calls / hook"),
                    ("bytes_written_per_hook", "state bytes written / hook"),
                    ("state_bytes_per_unit", "state bytes / unit (max)"),
                    ("state_limit_hits", "64 KiB limit hits"),
                    ("stale_at_quiescence", "stale at quiescence"),
                ),
            ),
            "",
        ]
    lines += [
        "## Measures",
        "",
        "- *stale hooks*: share of requirer hooks whose `services` (read at the end of the hook)",
        "  differed in content from the truth: the providers' committed data at hook start.",
        "- *stale at quiescence*: units still stale after every queue drained and a final",
        "  update-status; *missed (final)*: units whose last `services_changed` announced",
        "  something other than the final truth.",
        "- *dropped events*: emitted where no observer was registered; *duplicate*: announced the",
        "  same as the previous event; *order-only*: same content, new order; *stale events*:",
        "  announced content that was not the truth of that hook.",
        "- Costs count requirer hooks only; state bytes are pickle sizes as ops stores them.",
        "",
    ]
    return "\n".join(lines)


def _plots(summary: dict[str, dict[str, Any]], out: Path) -> None:
    _bar_pair(
        summary,
        out / "study-staleness.png",
        ("stale_fraction", "stale hooks (share)", "Staleness within hooks"),
        ("stale_at_quiescence", "units stale at quiescence", "Staleness at quiescence"),
    )
    _bar_pair(
        summary,
        out / "study-cost.png",
        ("tool_calls_per_hook", "hook-tool calls per requirer hook", "Hook-tool calls"),
        ("state_bytes_per_unit", "state bytes per unit (max)", "Stored state"),
    )


def _bar_pair(
    summary: dict[str, dict[str, Any]],
    path: Path,
    *panels: tuple[str, str, str],
) -> None:
    """Draw one bar chart per (measure, axis label, title), strategies side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    strategies = list(summary)
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4))
    for axis, (key, label, title) in zip(axes, panels, strict=True):
        axis.bar(strategies, [summary[strategy][key] for strategy in strategies])
        axis.set_ylabel(label)
        axis.set_title(title)
        axis.tick_params(axis="x", rotation=30)
    figure.tight_layout()
    figure.savefig(path, dpi=100)  # pyright: ignore[reportUnknownMemberType]
    plt.close(figure)
