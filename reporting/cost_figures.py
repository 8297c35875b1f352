"""Figures from the cost benchmarks (``reports/costs.json``): tables of cases against N.

A cost measure is one of ``CELLS``' keys; a case is a charm (``backend``), a hook ``kind``, N,
and the marker's ``storage=`` and ``wire=`` (local and v2 by default).
"""

from __future__ import annotations

from collections.abc import Callable

from jujusim.vocabulary import BENCH_BACKENDS, BENCH_KINDS, WIRES
from jujusim.vocabulary import LIBRARY_BACKENDS as SHIPPED

from .data import Costs, Row, slope
from .figures import Marker, cost_figure
from .labels import (
    KINDS,
    Backend,
    Kind,
    code,
    count,
    exponent,
    one_of,
    ratio,
    table,
)
from .targets import MET, MISSED, UNMEASURED, verdicts

CELLS: dict[str, tuple[str, Callable[[Costs, Row], str]]] = {
    "ratio": ("time / no-op charm",
              lambda c, r: f"{ratio(c.ratio(r))} ({r.time_s * 1000:,.2f} ms)"),
    "ms": ("ms per hook", lambda _, r: f"{r.time_s * 1000:,.2f}"),
    "relation-get": ("`relation-get` calls", lambda _, r: count(r.calls("relation-get"))),
    "state-get": ("`state-get` calls", lambda _, r: count(r.calls("state-get"))),
    "calls": ("hook-tool calls", lambda _, r: count(r.hook_tool_calls)),
    "calls-gets": ("hook-tool calls (`relation-get`)",
                   lambda _, r: f"{r.hook_tool_calls} ({r.calls('relation-get')})"),
    "written": ("state bytes written", lambda _, r: count(r.bytes_written)),
    "state": ("state bytes kept", lambda _, r: count(r.state_bytes)),
    "largest": ("largest state value", lambda _, r: count(r.largest_state_value)),
    "refused": ("values refused", lambda _, r: count(r.state_limit_hits)),
}  # fmt: skip
"""Each cost measure: its label and how one case's cell shows it."""


def _cell(costs: Costs, row: Row | None, measure: str) -> str:
    if row is None:
        return "-"
    if not row.ok:
        return "refused (64 KiB)" if row.state_limit_hits else "failed"
    return CELLS[measure][1](costs, row)


def _case(
    costs: Costs, at: Marker, backend: Backend, kind: Kind, n: int, m: int = 1
) -> Row | None:
    return costs.get(backend, kind, n, m, at.storage, at.wire)


@cost_figure("costs-table")
def costs_table(costs: Costs, at: Marker) -> str:
    """One measure, a row per kind and N, a column per charm, each cell every M's figure.

    ``<!-- figures:costs-table MEASURE backends=a,b [storage=local] [wire=v2] -->``.
    """
    (measure,) = at.args
    backends, units = at.backends(BENCH_BACKENDS), costs.values("units", at.storage, at.wire)
    rows: list[list[str]] = []
    for kind in KINDS:
        for n in costs.values("relations", at.storage, at.wire):
            found = [[_cell(costs, _case(costs, at, b, kind, n, m), measure) for m in units]
                     for b in backends]  # fmt: skip
            # One value if every M gave the same, else each M's value in order.
            cells = ["" if set(v) == {"-"} else v[0] if len(set(v)) == 1 else " / ".join(v)
                     for v in found]  # fmt: skip
            if any(cells):
                rows.append([KINDS[kind], str(n), *cells])
    note = f"M = {' / '.join(map(str, units))} provider units per relation, or one figure for all."
    return table(["hook", "N", *backends], rows) + f"\n\n{note}"


@cost_figure("costs-kind")
def costs_kind(costs: Costs, at: Marker) -> str:
    """One hook kind, a row per charm and measure, a column per N: ``costs-kind KIND`` (M=1)."""
    kind: Kind = one_of(BENCH_KINDS, at.args[0])
    relations = costs.values("relations", at.storage, at.wire)
    rows = [
        [code(b), CELLS[m][0], *(_cell(costs, _case(costs, at, b, kind, n), m) for n in relations)]
        for b in at.backends((*SHIPPED, "ops-read"))
        if costs.select(at.storage, at.wire, backend=b, kind=kind)
        for m in ("ms", "ratio", "relation-get", "calls", "written", "state")
    ]
    return table(["charm", "measure", *(f"N={count(n)}" for n in relations)], rows, labels=2)


@cost_figure("costs-at-scale")
def costs_at_scale(costs: Costs, at: Marker) -> str:
    """Both backends at some N for every kind: ``<!-- figures:costs-at-scale 1 100 1000 -->``."""
    relations = [int(n) for n in at.args]
    header = ["hook", "measure", *(f"`{b}` N={count(n)}" for b in SHIPPED for n in relations)]
    rows = [
        [KINDS[kind], CELLS[m][0],
         *(_cell(costs, _case(costs, at, b, kind, n), m) for b in SHIPPED for n in relations)]
        for kind in KINDS
        if costs.select(kind=kind)
        for m in ("ratio", "relation-get", "calls", "written")
    ]  # fmt: skip
    return table(header, rows, labels=2)


@cost_figure("cost", missing="-")
def cost(costs: Costs, at: Marker) -> str:
    """One case's measure inline: ``<!-- figures:cost BACKEND KIND N MEASURE [storage=] -->``."""
    backend, kind, n, measure = at.args
    row = _case(costs, at, one_of(BENCH_BACKENDS, backend), one_of(BENCH_KINDS, kind), int(n))
    return _cell(costs, row, measure)


@cost_figure("costs-controller")
def costs_controller(costs: Costs, at: Marker) -> str:
    """Controller storage, a row per wire, charm, kind and N: ``[backends=a,b]`` (all)."""
    measures = ("ratio", "state-get", "written", "state", "largest", "refused")
    chosen = at.backends(BENCH_BACKENDS)
    rows = [
        [w, r.backend, r.kind, str(r.relations), *(_cell(costs, r, m) for m in measures)]
        for w in WIRES
        for r in sorted(costs.select("controller", w), key=lambda r: (r.backend, r.kind))
        if r.backend in chosen
    ]  # fmt: skip
    return table(["wire", "charm", "hook", "N", *(CELLS[m][0] for m in measures)], rows, labels=3)


@cost_figure("costs-growth")
def costs_growth(costs: Costs, _at: Marker) -> str:
    """Log-log slopes of time and hook-tool calls against N, per charm, kind and M (3 N or more).

    Each is fitted over every N whose hook succeeded, and over the two largest of them (``top``).
    """
    rows: list[list[str]] = []
    for r in costs.select():
        series = costs.select(backend=r.backend, kind=r.kind, units=r.units)
        if r is series[-1] and len(series) >= 3:
            ok = [s for s in series if s.ok]
            slopes = [
                exponent(slope([(s.relations, getattr(s, cost)) for s in fitted]))
                for cost in ("time_s", "hook_tool_calls")
                for fitted in (ok, ok[-2:])
            ]
            rows.append([r.backend, KINDS.get(r.kind, r.kind), str(r.units), *slopes])
    header = ["charm", "hook", "M", "time: fit", "time: top", "calls: fit", "calls: top"]
    return table(header, sorted(rows), labels=3)


@cost_figure("costs-targets")
def costs_targets(costs: Costs, at: Marker) -> str:
    """The targets, met or missed: ``<!-- figures:costs-targets [KEY ...] -->`` (all if none)."""
    found = verdicts(costs)
    unknown = set(at.args) - {target.key for target, *_ in found}
    if unknown:
        raise KeyError(f"no cost target {sorted(unknown)}")
    rows = [
        [t.claim, t.goal, f"**{status}**" if status == MISSED else status, result.figure or "-"]
        for t, status, result in found
        if not at.args or t.key in at.args
    ]
    return table(["target (v2 wire, M=1, N=1000)", "goal", "status", "measured"], rows, labels=3)


@cost_figure("costs-tally", missing="no targets checked")
def costs_tally(costs: Costs, _at: Marker) -> str:
    """How many targets were met, missed and not measured, inline."""
    statuses = [status for _, status, _ in verdicts(costs)]
    return ", ".join(f"{statuses.count(s)} {s.lower()}" for s in (MET, MISSED, UNMEASURED))
