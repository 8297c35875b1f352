"""Figures from the cost benchmarks (``reports/costs.json``): tables of cases against N.

A cost measure is one of ``CELLS``' keys; cases are named by charm (``backend``), hook ``kind``,
N, and optionally ``storage=`` and ``wire=``. While ``costs.json`` is missing, every cost figure
says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .data import Costs, Reports, Row
from .figures import MISSING_COSTS, figure
from .formats import code, count, exponent, ratio, table
from .labels import (
    BACKENDS,
    BASELINE,
    KIND_NAMES,
    KINDS,
    SHIPPED,
    STORAGE_NAMES,
    WIRE_NAMES,
    Backend,
    Kind,
    Storage,
    Wire,
    baseline_kind,
    one_of,
)
from .targets import verdicts

CELLS: dict[str, tuple[str, Callable[[Costs, Row], str]]] = {
    "ratio": ("time / no-op charm", lambda c, r: ratio(c.ratio(r))),
    "ms": ("ms per hook", lambda _, r: f"{r.time_s * 1000:,.2f}"),
    "relation-get": ("`relation-get` calls", lambda _, r: count(r.calls("relation-get"))),
    "state-get": ("`state-get` calls", lambda _, r: count(r.calls("state-get"))),
    "calls": ("hook-tool calls", lambda _, r: count(r.hook_tool_calls)),
    "calls-gets": (
        "hook-tool calls (`relation-get`)",
        lambda _, r: f"{r.hook_tool_calls} ({r.calls('relation-get')})",
    ),
    "written": ("state bytes written", lambda _, r: count(r.bytes_written)),
    "state": ("state bytes kept", lambda _, r: count(r.state_bytes)),
    "largest": ("largest state value", lambda _, r: count(r.largest_state_value)),
    "refused": ("values refused", lambda _, r: count(r.state_limit_hits)),
}
"""Each cost measure: its label and how one case's cell shows it."""


def _cell(costs: Costs, row: Row | None, measure: str) -> str:
    if row is None:
        return "-"
    if not row.ok:
        return "refused (64 KiB)" if row.state_limit_hits else "failed"
    return CELLS[measure][1](costs, row)


def _options(args: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    return dict(a.split("=", 1) for a in args if "=" in a), [a for a in args if "=" not in a]


def _place(options: dict[str, str]) -> tuple[Storage, Wire]:
    """The storage and wire a marker names (local and v2 by default)."""
    storage: Storage = one_of(STORAGE_NAMES, options.get("storage", "local"))
    return storage, one_of(WIRE_NAMES, options.get("wire", "v2"))


def _case(
    costs: Costs, backend: Backend, kind: Kind, n: int, m: int, storage: Storage, wire: Wire
) -> Row | None:
    """A case; the no-op charm's of the matching baseline kind."""
    kind = baseline_kind(kind) if backend == BASELINE else kind
    return costs.get(backend, kind, n, m, storage, wire)


def _joined(values: Sequence[str]) -> str:
    """One value if every M gave the same, else each M's value in order."""
    if all(v == "-" for v in values):
        return ""
    return values[0] if len(set(values)) == 1 else " / ".join(values)


@figure("costs-table")
def costs_table(reports: Reports, args: Sequence[str]) -> str:
    """One measure, a row per kind and N, a column per charm, each cell every M's figure.

    ``<!-- figures:costs-table MEASURE backends=a,b [storage=local] [wire=v2] -->``.
    """
    if reports.costs is None:
        return MISSING_COSTS
    costs = reports.costs
    options, (measure,) = _options(args)
    storage, wire = _place(options)
    backends: list[Backend] = [one_of(BACKENDS, name) for name in options["backends"].split(",")]
    units = costs.values("units", storage, wire)
    rows: list[list[str]] = []
    for kind in KINDS:
        for n in costs.values("relations", storage, wire):
            cells = [
                _joined(
                    [
                        _cell(costs, _case(costs, b, kind, n, m, storage, wire), measure)
                        for m in units
                    ]
                )
                for b in backends
            ]
            if any(cells):
                rows.append([KINDS[kind], str(n), *cells])
    note = f"M = {' / '.join(map(str, units))} provider units per relation, or one figure for all."
    return table(["hook", "N", *backends], rows, labels=1) + f"\n\n{note}"


@figure("costs-kind")
def costs_kind(reports: Reports, args: Sequence[str]) -> str:
    """One hook kind, a row per charm and measure, a column per N (M=1, local, v2)."""
    if reports.costs is None:
        return MISSING_COSTS
    costs = reports.costs
    kind_: Kind = one_of(KIND_NAMES, args[0])
    relations = costs.values("relations")
    backends: list[Backend] = [*SHIPPED, "ops-read"]
    measures = ("ms", "ratio", "relation-get", "calls", "written", "state")
    rows = [
        [code(b), CELLS[m][0], *(_cell(costs, costs.get(b, kind_, n), m) for n in relations)]
        for b in backends
        if costs.select(backend=b, kind=kind_)
        for m in measures
    ]
    return table(["charm", "measure", *(f"N={count(n)}" for n in relations)], rows, labels=2)


@figure("costs-at-scale")
def costs_at_scale(reports: Reports, args: Sequence[str]) -> str:
    """Both backends at some N for every kind: ``<!-- figures:costs-at-scale 1 100 1000 -->``."""
    if reports.costs is None:
        return MISSING_COSTS
    costs = reports.costs
    relations = [int(n) for n in args]
    header = ["hook", "measure", *(f"`{b}` N={count(n)}" for b in SHIPPED for n in relations)]
    rows = [
        [
            KINDS[kind],
            CELLS[m][0],
            *(_cell(costs, costs.get(b, kind, n), m) for b in SHIPPED for n in relations),
        ]
        for kind in KINDS
        if costs.select(kind=kind)
        for m in ("ratio", "relation-get", "calls", "written")
    ]
    return table(header, rows, labels=2)


@figure("cost")
def cost(reports: Reports, args: Sequence[str]) -> str:
    """One case's measure inline: ``<!-- figures:cost BACKEND KIND N MEASURE [storage=] -->``."""
    if reports.costs is None:
        return "-"
    options, (backend, kind, n, measure) = _options(args)
    storage, wire = _place(options)
    row = _case(
        reports.costs,
        one_of(BACKENDS, backend),
        one_of(KIND_NAMES, kind),
        int(n),
        1,
        storage,
        wire,
    )
    return _cell(reports.costs, row, measure)


@figure("costs-controller")
def costs_controller(reports: Reports, args: Sequence[str]) -> str:
    """Controller storage, a row per wire, charm, kind and N: ``[backends=a,b]`` (all)."""
    if reports.costs is None:
        return MISSING_COSTS
    costs = reports.costs
    options, _ = _options(args)
    chosen = options.get("backends", ",".join(BACKENDS)).split(",")
    measures = ("ratio", "state-get", "written", "state", "largest", "refused")
    rows = [
        [w, r.backend, r.kind, str(r.relations), *(_cell(costs, r, m) for m in measures)]
        for w in WIRE_NAMES
        for r in sorted(
            costs.select("controller", w), key=lambda r: (r.backend, r.kind, r.relations)
        )
        if r.backend in chosen
    ]
    header = ["wire", "charm", "hook", "N", *(CELLS[m][0] for m in measures)]
    return table(header, rows, labels=3)


@figure("costs-growth")
def costs_growth(reports: Reports, _args: Sequence[str]) -> str:
    """Log-log slopes of time and hook-tool calls against N, per charm, kind and M."""
    if reports.costs is None:
        return MISSING_COSTS
    costs = reports.costs
    rows: list[list[str]] = []
    for r in costs.select():
        series = costs.select(backend=r.backend, kind=r.kind, units=r.units)
        if r is series[-1] and len(series) >= 3:
            fit, top = costs.growth(r), costs.growth(r, top=True)
            rows.append(
                [
                    r.backend,
                    KINDS.get(r.kind, r.kind),
                    str(r.units),
                    *(exponent(v) for v in (fit[0], top[0], fit[1], top[1])),
                ]
            )
    header = ["charm", "hook", "M", "time: fit", "time: top", "calls: fit", "calls: top"]
    return table(header, sorted(rows), labels=3)


@figure("costs-targets")
def costs_targets(reports: Reports, args: Sequence[str]) -> str:
    """The targets, met or missed: ``<!-- figures:costs-targets [KEY ...] -->`` (all if none)."""
    if reports.costs is None:
        return MISSING_COSTS
    found = verdicts(reports)
    unknown = set(args) - {target.key for target, *_ in found}
    if unknown:
        raise KeyError(f"no cost target {sorted(unknown)}")
    rows = [
        [
            target.claim,
            target.goal,
            f"**{status}**" if status == "MISSED" else status,
            result.figure or "-",
        ]
        for target, status, result in found
        if not args or target.key in args
    ]
    return table(["target (v2 wire, M=1, N=1000)", "goal", "status", "measured"], rows, labels=3)


@figure("costs-tally")
def costs_tally(reports: Reports, _args: Sequence[str]) -> str:
    """How many targets were met, missed and not measured, inline."""
    if reports.costs is None:
        return "no targets checked"
    statuses = [status for _, status, _ in verdicts(reports)]
    return ", ".join(f"{statuses.count(s)} {s.lower()}" for s in ("MET", "MISSED", "NOT MEASURED"))
