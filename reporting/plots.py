"""Every PNG of the reports, drawn from the loaded reports with one matplotlib set-up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .data import Costs, Reports, Row
from .labels import BASELINE, KINDS, STORAGES, STRATEGIES, Backend, baseline_kind

COLOURS = {"live": "tab:blue", "stored": "tab:orange", "noop": "tab:gray", "ops-read": "tab:green"}
MARKERS = {"live": "o", "stored": "D", "noop": "s", "ops-read": "^"}
STYLES = ("-", "--", ":", "-.")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(plt: Any, figure: Any, path: Path) -> None:
    figure.tight_layout(rect=(0, 0.12, 1, 1))
    figure.savefig(path, dpi=90)
    plt.close(figure)


def _log_axis(axis: Any, title: str) -> None:
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("relations N")
    axis.set_title(title, fontsize=9)
    axis.grid(True, which="major", alpha=0.3)


def _bars(reports: Reports, path: Path, panels: Sequence[tuple[str, str]]) -> None:
    """One bar chart per (measure, title), the study's strategies side by side."""
    plt = _pyplot()
    summary = reports.study.summary
    names = [s for s in STRATEGIES if s in summary]
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4))
    for axis, (key, title) in zip(axes, panels, strict=True):
        axis.bar(names, [summary[name][key] for name in names])
        axis.set_title(title)
        axis.tick_params(axis="x", rotation=30)
    _save(plt, figure, path)


def _panels(
    costs: Costs,
    path: Path,
    backends: Sequence[Backend],
    value: Callable[[Row], float | None],
    ylabel: str,
) -> None:
    """One panel per hook kind, one line per charm and M, against N on log-log axes."""
    plt = _pyplot()
    figure, axes = plt.subplots(1, len(KINDS), figsize=(4 * len(KINDS), 3.8), sharey=True)
    for axis, kind in zip(axes, KINDS, strict=True):
        for backend in backends:
            kind_here = baseline_kind(kind) if backend == BASELINE else kind
            for style, m in zip(STYLES, costs.values("units"), strict=False):
                rows = [
                    r for r in costs.select(backend=backend, kind=kind_here, units=m) if value(r)
                ]
                if rows:
                    axis.plot(
                        [r.relations for r in rows],
                        [value(r) for r in rows],
                        style,
                        marker=MARKERS[backend],
                        markersize=5,
                        color=COLOURS[backend],
                        label=f"{backend}, M={m}",
                    )
        _log_axis(axis, KINDS[kind])
    axes[0].set_ylabel(ylabel)
    legend: dict[str, Any] = {}
    for axis in axes:
        for handle, label in zip(*axis.get_legend_handles_labels(), strict=True):
            legend.setdefault(label, handle)
    figure.legend(list(legend.values()), list(legend), loc="lower center", ncol=6, fontsize=8)
    _save(plt, figure, path)


def _state(costs: Costs, path: Path) -> None:
    """Stored state after the rebuild with each storage, against N; Juju's limit marked."""
    plt = _pyplot()
    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, storage in zip(axes, STORAGES, strict=True):
        for backend in ("noop", "live", "stored"):
            rows = [r for r in costs.select(storage, backend=backend, kind="rebuild", units=1)]
            ok = [r for r in rows if r.ok]
            if ok:
                axis.plot(
                    [r.relations for r in ok],
                    [max(r.state_bytes, 1) for r in ok],
                    marker=MARKERS[backend],
                    color=COLOURS[backend],
                    label=backend,
                )
            refused = [r for r in rows if r.state_limit_hits]
            if refused:
                axis.plot(
                    [r.relations for r in refused],
                    [64 * 1024] * len(refused),
                    "X",
                    color=COLOURS[backend],
                    label=f"{backend}: value refused",
                )
        if storage == "controller":
            axis.axhline(64 * 1024, color="red", linewidth=0.8, label="Juju's 64 KiB limit")
        _log_axis(axis, STORAGES[storage])
        axis.set_ylabel("state bytes after the rebuild")
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=8)
    _save(plt, figure, path)


def write_plots(reports: Reports, out: Path) -> list[Path]:
    """Draw every plot the reports have figures for into ``out``; return the paths."""
    written = [out / "study-staleness.png", out / "study-cost.png"]
    _bars(
        reports,
        written[0],
        (
            ("stale_fraction", "stale hooks (share)"),
            ("stale_at_quiescence", "units stale at quiescence"),
        ),
    )
    _bars(
        reports,
        written[1],
        (
            ("tool_calls_per_hook", "hook-tool calls per requirer hook"),
            ("state_bytes_per_unit", "state bytes per unit (max)"),
        ),
    )
    costs = reports.costs
    if costs is None:
        return written
    plots: list[tuple[str, Sequence[Backend], Callable[[Row], float | None], str]] = [
        (
            "costs-time.png",
            ("noop", "ops-read", "live", "stored"),
            lambda r: r.time_s * 1000 if r.ok else None,
            "thread-CPU ms per hook",
        ),
        (
            "costs-tool-calls.png",
            ("noop", "ops-read", "live", "stored"),
            lambda r: float(r.hook_tool_calls),
            "hook-tool calls per hook",
        ),
    ]
    for name, backends, value, label in plots:
        _panels(costs, out / name, backends, value, label)
        written.append(out / name)
    _state(costs, out / "costs-state-bytes.png")
    return [*written, out / "costs-state-bytes.png"]
