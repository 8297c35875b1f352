"""Markdown tables of the cost figures: the backends side by side, one cell per N with every M."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .cases import BASELINE, baseline_kind
from .figures import Figures, Row

KIND_TITLES: dict[str, str] = {
    "rebuild": "rebuild (start after state loss)",
    "update-status-no-read": "update-status, `services` not read",
    "update-status-read": "update-status, `services` read once",
    "update-status-read-twice": "update-status, `services` read twice",
    "relation-changed": "relation-changed (one provider's new port)",
}
"""The requirer's hook kinds in report order, with their headings."""

Cell = Callable[[Row], str]
"""Formats one figure of a row."""


def _row_for(
    figures: Figures, backend: str, kind: str, n: int, m: int, storage: str
) -> Row | None:
    """The row of a case; the no-op charm's row of the matching baseline kind."""
    if backend == BASELINE:
        return figures.get(backend, baseline_kind(kind), n, m, storage)
    return figures.get(backend, kind, n, m, storage)


def _joined(values: Sequence[str]) -> str:
    """One value if every M gave the same, else each M's value in order."""
    present = [v for v in values if v]
    if not present:
        return ""
    if len(set(present)) == 1 and len(present) == len(values):
        return present[0]
    return " / ".join(v or "-" for v in values)


def measure_table(
    figures: Figures,
    backends: Sequence[str],
    cell: Cell,
    *,
    kinds: Sequence[str] = tuple(KIND_TITLES),
    storage: str = "local",
) -> list[str]:
    """A table with one row per hook kind and N, one column per charm.

    A cell lists the figure for each M measured (``M=1 / 3 / 10``), or one figure when every M
    gave the same.

    Args:
        figures: The run's figures.
        backends: The charms, as columns.
        cell: Formats one row's figure.
        kinds: The hook kinds, as row groups.
        storage: ``local`` or ``controller``.

    Returns:
        The table's Markdown lines.
    """
    units = figures.values("units", storage)
    relations = figures.values("relations", storage)
    header = "| hook | N | " + " | ".join(backends) + " |"
    lines = [header, "| --- | ---: |" + " ---: |" * len(backends)]
    for kind in kinds:
        for n in relations:
            cells: list[str] = []
            for backend in backends:
                values: list[str] = []
                for m in units:
                    row = _row_for(figures, backend, kind, n, m, storage)
                    values.append(cell(row) if row is not None else "")
                cells.append(_joined(values))
            if any(cells):
                lines.append(f"| {KIND_TITLES[kind]} | {n} | " + " | ".join(cells) + " |")
    return lines


def units_note(figures: Figures, storage: str = "local") -> str:
    """Say how cells list M."""
    units = figures.values("units", storage)
    if len(units) < 2:
        return f"M = {units[0] if units else '-'} provider units per relation."
    listed = " / ".join(str(m) for m in units)
    return (
        f"Cells give M = {listed} provider units per relation, or one figure when every M gave "
        "the same."
    )


def ratio_cell(row: Row) -> str:
    """Time over the no-op charm."""
    return "" if row.ratio is None else f"{row.ratio:.2f}x"


def calls_cell(row: Row) -> str:
    """Hook-tool calls, with relation-get in brackets."""
    return f"{row.hook_tool_calls} ({row.calls('relation-get')})"


def state_cell(row: Row) -> str:
    """Stored state after the hook, in bytes."""
    return f"{row.state_bytes:,}"


def written_cell(row: Row) -> str:
    """Bytes the hook's commit wrote."""
    return f"{row.bytes_written:,}"


def _outcome(row: Row) -> str:
    if row.ok:
        return "yes"
    if row.state_limit_hits:
        return "no: Juju refused a state-set value over 64 KiB"
    return f"no: {row.error or 'failed'}"


def controller_table(figures: Figures) -> list[str]:
    """Controller storage: one row per charm, kind and N (and the kinds not run, with why)."""
    lines = [
        "| charm | hook | N | time over no-op | state-get / state-set | state bytes (YAML) "
        "| bytes written | largest value | values refused | hook ok |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    rows = figures.select("controller")
    for row in sorted(rows, key=lambda r: (r.backend != BASELINE, r.backend, r.kind, r.relations)):
        lines.append(
            f"| {row.backend} | {row.kind} | {row.relations} | {ratio_cell(row) or '-'} | "
            f"{row.calls('state-get')} / {row.calls('state-set')} | {row.state_bytes:,} | "
            f"{row.bytes_written:,} | {row.largest_state_value:,} | {row.state_limit_hits} | "
            f"{_outcome(row)} |"
        )
        later = figures.get(row.backend, "relation-changed", row.relations, 1, "controller")
        if row.kind == "rebuild" and not row.ok and later is None:
            lines.append(
                f"| {row.backend} | relation-changed | {row.relations} | - | - | - | - | - | - | "
                "not run: the requirer's state cannot be built (its first hook fails) |"
            )
    return lines


def exponent_table(figures: Figures, backends: Sequence[str]) -> list[str]:
    """Fitted exponents of time and hook-tool calls against N, per charm and kind."""
    units = figures.values("units")
    lines = [
        "| charm | hook | time: fit | time: top | calls: fit | calls: top |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]

    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    for backend in backends:
        for kind in KIND_TITLES:
            kind_here = baseline_kind(kind) if backend == BASELINE else kind
            found = [
                next(
                    (
                        f
                        for f in figures.fits
                        if f.storage == "local"
                        and f.backend == backend
                        and f.kind == kind_here
                        and f.units == m
                    ),
                    None,
                )
                for m in units
            ]
            if not any(found):
                continue
            columns = [
                _joined([fmt(getattr(f, name)) if f else "" for f in found])
                for name in (
                    "time_exponent",
                    "time_top_exponent",
                    "calls_exponent",
                    "calls_top_exponent",
                )
            ]
            lines.append(f"| {backend} | {KIND_TITLES[kind]} | " + " | ".join(columns) + " |")
    return lines
