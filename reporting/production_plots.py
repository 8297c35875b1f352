"""The production model's plot: modelled hook time against N, per charm and storage."""

from __future__ import annotations

from pathlib import Path

from .data import Costs
from .plots import COLOURS, MARKERS, _figure, _save
from .production_figures import section

PANELS = (("local", "local storage"), ("controller", "controller storage"))
"""One panel per storage, with its title."""

LINES = ("ops-read", "live", "stored")
"""The charms drawn, each in its own colour: plain ops, then the two backends."""

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
    plt, figure, axes = _figure(len(PANELS), 5.5)
    for axis, (storage, title) in zip(axes, PANELS, strict=True):
        for backend in LINES:
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
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(f"update-status reading services, {title}", fontsize=FONT)
        axis.set_xlabel("relations N", fontsize=FONT)
        axis.set_ylabel("modelled hook time (ms)", fontsize=FONT)
        axis.tick_params(labelsize=FONT)
        axis.grid(True, which="major", alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    names = {"ops-read": "plain ops (ops-read)"}
    figure.legend(handles, [names.get(label, label) for label in labels], loc="lower center",
                  ncol=3, fontsize=FONT, title="shaded: 1 ms to 5 ms a hook-tool call",
                  title_fontsize=FONT)  # fmt: skip
    return _save(plt, figure, path)
