"""PNG plots of the cost figures against N: time ratio, hook-tool calls and state bytes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .cases import BASELINE, baseline_kind
from .figures import Figures, Row
from .tables import KIND_TITLES
from .targets import RATIO_LIMITS

COLOURS = {"live": "tab:blue", "stored": "tab:orange", "noop": "tab:gray", "ops-read": "tab:green"}
MARKERS = {"live": "o", "stored": "D", "noop": "s", "ops-read": "^"}
STYLES = ("-", "--", ":", "-.")

TIME_PLOT = "costs-time-ratio.png"
CALLS_PLOT = "costs-tool-calls.png"
STATE_PLOT = "costs-state-bytes.png"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _series(
    figures: Figures, backend: str, kind: str, units: int, storage: str = "local"
) -> list[Row]:
    kind_here = baseline_kind(kind) if backend == BASELINE else kind
    return figures.select(storage, backend=backend, kind=kind_here, units=units)


def _panels(
    figures: Figures,
    path: Path,
    backends: Sequence[str],
    value: Callable[[Row], float | None],
    ylabel: str,
    *,
    limits: bool = False,
    largest_m_only: bool = False,
) -> None:
    """One panel per hook kind, one line per charm and M, against N on log-log axes."""
    plt = _pyplot()
    kinds = list(KIND_TITLES)
    figure, axes = plt.subplots(1, len(kinds), figsize=(4 * len(kinds), 3.8), sharey=True)
    units = figures.values("units")
    if largest_m_only:
        units = units[-1:]
    for axis, kind in zip(axes, kinds, strict=True):
        for backend in backends:
            for style, m in zip(STYLES, units, strict=False):
                rows = [r for r in _series(figures, backend, kind, m) if value(r)]
                if rows:
                    axis.plot(
                        [r.relations for r in rows],
                        [value(r) for r in rows],
                        style,
                        marker=MARKERS.get(backend, "o"),
                        markersize=5,
                        color=COLOURS.get(backend),
                        label=f"{backend}, M={m}",
                    )
        if limits:
            axis.plot(
                [n for n, _ in RATIO_LIMITS],
                [limit for _, limit in RATIO_LIMITS],
                "k*",
                linestyle="none",
                markersize=9,
                label="target",
            )
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("relations N")
        axis.set_title(KIND_TITLES[kind], fontsize=9)
        axis.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel(ylabel)
    legend: dict[str, Any] = {}
    for axis in axes:
        for handle, label in zip(*axis.get_legend_handles_labels(), strict=True):
            legend.setdefault(label, handle)
    if legend:
        figure.legend(
            list(legend.values()),
            list(legend),
            loc="lower center",
            ncol=min(len(legend), 6),
            fontsize=8,
        )
    figure.tight_layout(rect=(0, 0.12, 1, 1))
    figure.savefig(path, dpi=90)
    plt.close(figure)


def _state_plot(figures: Figures, path: Path) -> None:
    """Stored state after the rebuild: pickle (local) and YAML (controller), against N."""
    plt = _pyplot()
    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, storage, title in (
        (axes[0], "local", "local storage (SQLite, pickle)"),
        (axes[1], "controller", "controller storage (state-set, YAML)"),
    ):
        for backend in ("noop", "live", "stored"):
            units = figures.values("units", storage)
            rows = [r for r in _series(figures, backend, "rebuild", max(units or [1]), storage)]
            rows = [r for r in rows if r.ok]
            if rows:
                axis.plot(
                    [r.relations for r in rows],
                    [max(r.state_bytes, 1) for r in rows],
                    marker=MARKERS[backend],
                    color=COLOURS[backend],
                    label=backend,
                )
            if storage == "controller":
                largest = [r for r in _series(figures, backend, "rebuild", 1, storage) if r.ok]
                refused = [
                    r
                    for r in _series(figures, backend, "rebuild", 1, storage)
                    if r.state_limit_hits
                ]
                if refused:
                    axis.plot(
                        [r.relations for r in refused],
                        [64 * 1024] * len(refused),
                        "X",
                        markersize=11,
                        color=COLOURS[backend],
                        label=f"{backend}: value refused, hook failed",
                    )
                if largest and backend != "noop":
                    axis.plot(
                        [r.relations for r in largest],
                        [max(r.largest_state_value, 1) for r in largest],
                        ":",
                        marker="x",
                        color=COLOURS[backend],
                        label=f"{backend}: largest value",
                    )
        if storage == "controller":
            axis.axhline(64 * 1024, color="red", linewidth=0.8, label="Juju's 64 KiB limit")
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("relations N")
        axis.set_ylabel("state bytes after the rebuild")
        axis.set_title(title, fontsize=10)
        axis.grid(True, alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def write_plots(figures: Figures, out: Path) -> list[str]:
    """Write the three plots into ``out``.

    Args:
        figures: The run's figures.
        out: The reports folder.

    Returns:
        The file names written.
    """
    _panels(
        figures,
        out / TIME_PLOT,
        ("ops-read", "live", "stored"),
        lambda r: r.ratio,
        "time over the no-op charm (x)",
        limits=True,
    )
    _panels(
        figures,
        out / CALLS_PLOT,
        ("noop", "ops-read", "live", "stored"),
        lambda r: float(r.hook_tool_calls),
        "hook-tool calls per hook (largest M)",
        largest_m_only=True,
    )
    _state_plot(figures, out / STATE_PLOT)
    return [TIME_PLOT, CALLS_PLOT, STATE_PLOT]
