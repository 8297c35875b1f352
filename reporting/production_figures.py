"""Figures of the production model: ``costs.json``'s ``production-*`` sections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .data import Costs
from .figures import Marker, cost_figure
from .labels import KINDS, code, count, ms, table

ProductionRow = Mapping[str, Any]

CHARM_NAMES = {"ops-read": "plain ops (`ops-read`)", "noop": "plain ops (`noop`)"}
"""How the baselines are named in the production tables (the backends by their own names)."""

PROGRAMS = {
    "python": "`python -c pass`",
    "ops": "`import ops`",
    "live": "`import ops, interface_live`",
    "stored": "`import ops, interface_stored`",
}
"""Each start-up probe, as the tables name it."""

TABLE_ROWS: tuple[tuple[str, str], ...] = (
    ("ops-read", "local"), ("live", "local"), ("stored", "local"),
    ("live", "controller"), ("stored", "controller"),
)  # fmt: skip
"""The production table's rows: each charm and storage, update-status reading services."""

PARTS = ("startup_s", "own_cpu_s", "tools_s", "modelled_s", "modelled_1ms_s", "modelled_5ms_s")
"""The times of a modelled hook, as ``production-parts`` shows them."""


def section(costs: Costs, name: str) -> Sequence[ProductionRow]:
    """One production section's rows (empty when the run had none)."""
    return costs.sections.get(f"production-{name}", ())


def hook(
    costs: Costs, backend: str, storage: str, relations: int, kind: str = "update-status-read"
) -> ProductionRow | None:
    """The production row of one case, if measured."""
    key = (backend, kind, storage, relations)
    rows = section(costs, "hooks")
    found = (r for r in rows if (r["backend"], r["kind"], r["storage"], r["relations"]) == key)
    return next(found, None)


def charm(backend: str) -> str:
    """A charm's name in the production tables."""
    return CHARM_NAMES.get(backend, code(backend))


def _cell(row: ProductionRow | None) -> str:
    if row is None:
        return "-"
    return f"fails: {row['error']}" if row["error"] else ms(row["modelled_s"])


@cost_figure("production-table")
def production_table(costs: Costs, _at: Marker) -> str:
    """What one update-status reading ``services`` costs, in ms, a column per N."""
    relations = sorted({r["relations"] for r in section(costs, "hooks")})
    rows = [
        [charm(backend), storage, *(_cell(hook(costs, backend, storage, n)) for n in relations)]
        for backend, storage in TABLE_ROWS
    ]
    return table(["charm", "storage", *(f"N={count(n)}" for n in relations)], rows, labels=2)


@cost_figure("production-parts")
def production_parts(costs: Costs, at: Marker) -> str:
    """Each case at one N in parts, with the 1 ms and 5 ms band: ``production-parts N [KIND]``."""
    relations = int(at.args[0])
    kinds = at.args[1:] or ["update-status-read"]
    header = ["hook", "charm", "storage", "hook-tool calls", "start-up", "own CPU", "tool calls",
              "modelled", "at 1 ms a call", "at 5 ms a call"]  # fmt: skip
    rows: list[list[str]] = []
    for r in section(costs, "hooks"):
        if r["relations"] == relations and r["kind"] in kinds:
            label = [str(KINDS.get(r["kind"], r["kind"])), charm(r["backend"]), str(r["storage"])]
            if r["error"]:
                rows.append([*label, "-", *["-"] * 5, f"fails: {r['error']}"])
            else:
                rows.append([*label, count(r["tool_calls"]), *(ms(r[f]) for f in PARTS)])
    return table(header, rows, labels=3) + "\n\nTimes in ms; N = " + count(relations) + "."


@cost_figure("production-calibration")
def production_calibration(costs: Costs, _at: Marker) -> str:
    """The model against hooks run with every tool a real process (exec mode, C client)."""
    header = ["case", "rounds", "hook-tool calls", "ms a call", "modelled (ms)", "measured (ms)",
              "error", "CPU: modelled (ms)", "CPU: measured (ms)", "CPU: error",
              "load"]  # fmt: skip
    rows = [
        [f"{code(r['backend'])} N={count(r['relations'])}", count(r["rounds"]),
         count(r["tool_calls"]), ms(r["per_call_s"]), ms(r["modelled_s"]), ms(r["measured_s"]),
         f"{r['model_error']:+.0%}", ms(r["modelled_cpu_s"]), ms(r["measured_cpu_s"]),
         f"{r['cpu_model_error']:+.0%}", f"{r['load_average']:.1f}"]
        for r in section(costs, "calibration")
    ]  # fmt: skip
    return table(header, rows)


@cost_figure("production-per-call")
def production_per_call(costs: Costs, _at: Marker) -> str:
    """One hook-tool call as ops makes it, per client: median, mean, quartiles, caller CPU."""
    header = ["hook tool as", "calls", "median (ms)", "mean (ms)", "quartiles (ms)",
              "caller's CPU (ms)"]  # fmt: skip
    rows = [
        [r["client"], count(r["samples"]), ms(r["wall_s"]), ms(r["mean_wall_s"]),
         f"{ms(r['wall_q1_s'])} - {ms(r['wall_q3_s'])}", ms(r["caller_cpu_s"])]
        for r in section(costs, "per-call")
    ]  # fmt: skip
    return table(header, rows)


@cost_figure("production-startup")
def production_startup(costs: Costs, _at: Marker) -> str:
    """Python's start-up in fresh processes: the child's CPU time and the wall time."""
    rows = [
        [PROGRAMS[r["program"]], count(r["runs"]), ms(r["cpu_s"]), ms(r["wall_s"])]
        for r in section(costs, "startup")
    ]  # fmt: skip
    return table(["program", "runs", "CPU (ms)", "wall (ms)"], rows)


@cost_figure("production", missing="-")
def production_value(costs: Costs, at: Marker) -> str:
    """One production figure inline, in ms unless said.

    ``production per-call`` (the ms a call the model uses); ``production startup PROGRAM``;
    ``production hook BACKEND STORAGE N FIELD [KIND]`` (FIELD a ``*_s`` time or
    ``tool_calls``); ``production ratio BACKEND STORAGE N OVER [KIND]`` (one charm's modelled
    time over another's at the same N).
    """
    what, *rest = at.args
    if what == "per-call":
        rows = [r for r in section(costs, "hooks") if not r["error"]]
        return ms(rows[0]["per_call_s"]) if rows else "-"
    if what == "startup":
        found = [r for r in section(costs, "startup") if r["program"] == rest[0]]
        return ms(found[0]["cpu_s"]) if found else "-"
    backend, storage, n, field, *kind = rest  # for ``ratio``, ``field`` is the other charm
    row = hook(costs, backend, storage, int(n), *kind)
    if what == "ratio":
        over = hook(costs, field, storage, int(n), *kind)
        if row is None or over is None or row["error"] or over["error"]:
            return "-"
        return f"{row['modelled_s'] / over['modelled_s']:.1f}"
    if row is None or row["error"]:
        return _cell(row)
    return count(row[field]) if field == "tool_calls" else ms(row[field])
