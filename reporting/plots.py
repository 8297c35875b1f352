"""Every PNG of the reports, drawn from the loaded reports with one matplotlib set-up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jujusim.vocabulary import BENCH_BACKENDS

from .data import Costs, Reports, Row
from .labels import BASELINE, KINDS, STORAGES, STRATEGIES, Kind, Storage, baseline_kind
from .production_figures import charm, section

COLOURS = {"live": "tab:blue", "stored": "tab:orange", "noop": "tab:gray", "ops-read": "tab:green"}
MARKERS = {"live": "o", "stored": "D", "noop": "s", "ops-read": "^"}
STYLES = ("-", "--", ":", "-.")

Panel = tuple[str, Kind, Storage, Sequence[int]]
"""One panel of a cost plot: its title, the hook kind, the storage and the values of M."""


def _figure(panels: int, width: float) -> tuple[Any, Any]:
    from matplotlib.figure import Figure  # no pyplot: nothing to select or close

    figure = Figure(figsize=(width * panels, 4))
    return figure, figure.subplots(1, panels)


def _log_axes(axis: Any, title: str, size: float, label_size: float | None = None) -> None:
    """Log-log axes against N, with a title and a light grid."""
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("relations N", fontsize=label_size)
    axis.set_title(title, fontsize=size)
    axis.grid(True, which="major", alpha=0.3)


def _save(figure: Any, path: Path) -> Path:
    figure.tight_layout(rect=(0, 0.12, 1, 1))
    figure.savefig(path, dpi=90)
    return path


def _bars(reports: Reports, path: Path, panels: Sequence[tuple[str, str]]) -> Path:
    """One bar chart per (measure, title), the study's strategies side by side."""
    figure, axes = _figure(len(panels), 5)
    summary = reports.study.summary
    names = [s for s in STRATEGIES if s in summary]
    for axis, (key, title) in zip(axes, panels, strict=True):
        axis.bar(names, [summary[name][key] for name in names])
        axis.set_title(title)
        axis.tick_params(axis="x", rotation=30)
    return _save(figure, path)


def _lines(
    costs: Costs, path: Path, panels: Sequence[Panel], value: Callable[[Row], float], label: str
) -> Path:
    """One panel per entry, one line per charm and M, against N on log-log axes."""
    figure, axes = _figure(len(panels), 4)
    legend: dict[str, Any] = {}
    for axis, (title, kind, storage, units) in zip(axes, panels, strict=True):
        for backend in BENCH_BACKENDS:
            kind_here = baseline_kind(kind) if backend == BASELINE else kind
            for style, m in zip(STYLES, units, strict=False):
                rows = costs.select(storage, backend=backend, kind=kind_here, units=m)
                rows = [r for r in rows if r.ok]
                if rows:
                    axis.plot([r.relations for r in rows], [max(value(r), 1e-3) for r in rows],
                              style, marker=MARKERS[backend], markersize=5,
                              color=COLOURS[backend], label=f"{backend}, M={m}")  # fmt: skip
        if storage == "controller" and "state" in label:
            axis.axhline(64 * 1024, color="red", linewidth=0.8, label="Juju's 64 KiB limit")
        _log_axes(axis, title, 9)
        for handle, name in zip(*axis.get_legend_handles_labels(), strict=True):
            legend.setdefault(name, handle)
    axes[0].set_ylabel(label)
    figure.legend(list(legend.values()), list(legend), loc="lower center", ncol=6, fontsize=8)
    return _save(figure, path)


PRODUCTION_PANELS = (("local", "local storage"), ("controller", "controller storage"))
PRODUCTION_LINES = ("ops-read", "live", "stored")

FONT = 11
"""Titles, labels, ticks and legend, in points (the report is read at 100%)."""


def production_plot(costs: Costs, path: Path) -> Path | None:
    """Draw modelled production time of update-status reading ``services`` against N.

    Each charm is a line at the measured cost of a call, with a shaded band from 1 ms to 5 ms a
    call. Returns the path, or None when the run has no production section.
    """
    rows = [r for r in section(costs, "hooks") if r["kind"] == "update-status-read"]
    if not rows:
        return None
    figure, axes = _figure(len(PRODUCTION_PANELS), 5.5)
    for axis, (storage, title) in zip(axes, PRODUCTION_PANELS, strict=True):
        for backend in PRODUCTION_LINES:
            found = sorted(
                (r for r in rows if r["backend"] == backend and r["storage"] == storage
                 and not r["error"]),
                key=lambda r: r["relations"],
            )  # fmt: skip
            if not found:
                continue
            relations = [r["relations"] for r in found]
            axis.plot(relations, [r["modelled_s"] * 1000 for r in found], "-",
                      marker=MARKERS[backend], color=COLOURS[backend], label=backend)  # fmt: skip
            axis.fill_between(relations, [r["modelled_1ms_s"] * 1000 for r in found],
                              [r["modelled_5ms_s"] * 1000 for r in found],
                              color=COLOURS[backend], alpha=0.15)  # fmt: skip
        _log_axes(axis, f"update-status reading services, {title}", FONT, FONT)
        axis.set_ylabel("modelled hook time (ms)", fontsize=FONT)
        axis.tick_params(labelsize=FONT)
    handles, labels = axes[0].get_legend_handles_labels()
    names = [charm(label).replace("`", "") for label in labels]  # the tables' names, as text
    figure.legend(handles, names, loc="lower center", ncol=3, fontsize=FONT,
                  title="shaded: 1 ms to 5 ms a hook-tool call", title_fontsize=FONT)  # fmt: skip
    return _save(figure, path)


def write_plots(reports: Reports, out: Path) -> list[Path]:
    """Draw every plot the reports have figures for into ``out``; return the paths."""
    written = [
        _bars(reports, out / "study-staleness.png", (("stale_fraction", "stale hooks (share)"),
              ("stale_at_quiescence", "units stale at quiescence"))),
        _bars(reports, out / "study-cost.png", (("tool_calls_per_hook", "hook-tool calls / hook"),
              ("state_bytes_per_unit", "state bytes per unit (max)"))),
    ]  # fmt: skip
    costs = reports.costs
    if costs is None:
        return written
    by_kind: list[Panel] = [(KINDS[k], k, "local", costs.values("units")) for k in KINDS]
    by_storage: list[Panel] = [(STORAGES[s], "rebuild", s, [1]) for s in STORAGES]
    production = production_plot(costs, out / "costs-production.png")
    return [
        *written,
        *([production] if production is not None else []),
        _lines(costs, out / "costs-time.png", by_kind, lambda r: r.time_s * 1000,
               "ms per hook"),
        _lines(costs, out / "costs-tool-calls.png", by_kind, lambda r: r.hook_tool_calls,
               "hook-tool calls per hook"),
        _lines(costs, out / "costs-state-bytes.png", by_storage, lambda r: r.state_bytes,
               "state bytes after the rebuild"),
    ]  # fmt: skip
