"""Derive the report's figures from pytest-benchmark's JSON: one row per case, ratios and fits."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .cases import BASELINE, baseline_kind


@attrs.frozen
class Row:
    """The figures of one case (one charm, hook kind, storage, N and M)."""

    storage: str
    """``local`` (SQLite, pickle) or ``controller`` (state-set, YAML)."""
    backend: str
    """``live``, ``stored``, ``noop`` or ``ops-read``."""
    kind: str
    """The hook kind."""
    relations: int
    """N."""
    units: int
    """M."""
    rounds: int
    """Timed rounds."""
    time_s: float
    """Median wall time of the hook's dispatch through ``ops.main``."""
    tool_calls: Mapping[str, int]
    """Hook-tool calls per tool, in the last timed round."""
    tool_calls_vary: bool
    """Whether the calls differed between rounds."""
    state_bytes: int
    """The requirer's stored state after the hook."""
    bytes_written: int
    """State bytes the hook's commit wrote (largest over the rounds)."""
    state_limit_hits: int
    """State values Juju refused for size, over every timed round."""
    largest_state_value: int
    """The largest single charm-state value after the last round (controller storage)."""
    ok: bool
    """Whether every timed round succeeded."""
    error: str | None = None
    """The last line of the last round's failure, if it failed."""
    error_frames: tuple[str, ...] = ()
    """The function names of that failure's traceback."""
    ratio: float | None = None
    """``time_s`` over the no-op charm's in the same run (same storage, kind, N and M)."""

    @property
    def hook_tool_calls(self) -> int:
        """Every hook-tool call of the hook."""
        return sum(self.tool_calls.values())

    def calls(self, tool: str) -> int:
        """Calls of one hook tool."""
        return self.tool_calls.get(tool, 0)


@attrs.frozen
class Fit:
    """How one series (charm, kind, storage, M) grows with N."""

    storage: str
    backend: str
    kind: str
    units: int
    relations: tuple[int, ...]
    """The N values fitted."""
    time_exponent: float | None
    """Least-squares slope of log(time) against log(N), over every N."""
    time_top_exponent: float | None
    """Slope between the two largest N: the growth where it matters most."""
    calls_exponent: float | None
    """Least-squares slope of log(hook-tool calls) against log(N)."""
    calls_top_exponent: float | None
    """Slope of hook-tool calls between the two largest N."""


def rows_from_raw(raw: Mapping[str, Any]) -> list[Row]:
    """Read every benchmark of pytest-benchmark's JSON into rows, with their time ratios.

    Args:
        raw: The document ``--benchmark-json`` wrote.

    Returns:
        One row per case.
    """
    rows: list[Row] = []
    for bench in raw.get("benchmarks", []):
        info: Mapping[str, Any] = bench["extra_info"]
        calls: list[dict[str, int]] = info["tool_calls"]
        rows.append(
            Row(
                storage=info["storage"],
                backend=info["backend"],
                kind=info["kind"],
                relations=int(info["relations"]),
                units=int(info["units"]),
                rounds=len(info["durations_s"]),
                time_s=statistics.median(info["durations_s"]),
                tool_calls=calls[-1],
                tool_calls_vary=any(c != calls[-1] for c in calls),
                state_bytes=int(info["state_bytes"][-1]),
                bytes_written=max(info["bytes_written"]),
                state_limit_hits=sum(info["state_limit_hits"]),
                largest_state_value=int(info["largest_state_value"]),
                ok=all(info["ok"]),
                error=info.get("error"),
                error_frames=tuple(info.get("error_frames", ())),
            )
        )
    return with_ratios(rows)


def with_ratios(rows: Sequence[Row]) -> list[Row]:
    """Divide each row's time by the no-op charm's of the same storage, kind, N and M."""
    baselines = {
        (r.storage, r.kind, r.relations, r.units): r.time_s for r in rows if r.backend == BASELINE
    }
    out: list[Row] = []
    for row in rows:
        base = baselines.get((row.storage, baseline_kind(row.kind), row.relations, row.units))
        ratio = row.time_s / base if base else None
        out.append(attrs.evolve(row, ratio=ratio))
    return out


def exponent(points: Iterable[tuple[float, float]]) -> float | None:
    """The least-squares slope of log(cost) against log(N), or None with fewer than 2 points.

    Points with a cost of 0 carry no information on a log scale and are left out.
    """
    logs = [(math.log(n), math.log(cost)) for n, cost in points if n > 0 and cost > 0]
    if len({x for x, _ in logs}) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in logs)
    mean_y = statistics.fmean(y for _, y in logs)
    sxx = sum((x - mean_x) ** 2 for x, _ in logs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in logs)
    return sxy / sxx


def top_exponent(points: Iterable[tuple[float, float]]) -> float | None:
    """The slope on log-log between the two largest N (None with fewer than 2 points)."""
    ordered = sorted((n, cost) for n, cost in points if n > 0 and cost > 0)
    return exponent(ordered[-2:]) if len(ordered) >= 2 else None


def fits(rows: Sequence[Row]) -> list[Fit]:
    """Fit time and hook-tool calls against N for every series with at least two N."""
    series: dict[tuple[str, str, str, int], list[Row]] = {}
    for row in rows:
        if row.ok:
            series.setdefault((row.storage, row.backend, row.kind, row.units), []).append(row)
    found: list[Fit] = []
    for (storage, backend, kind, units), members in sorted(series.items()):
        members.sort(key=lambda r: r.relations)
        if len(members) < 2:
            continue
        times = [(float(r.relations), r.time_s) for r in members]
        calls = [(float(r.relations), float(r.hook_tool_calls)) for r in members]
        found.append(
            Fit(
                storage=storage,
                backend=backend,
                kind=kind,
                units=units,
                relations=tuple(r.relations for r in members),
                time_exponent=exponent(times),
                time_top_exponent=top_exponent(times),
                calls_exponent=exponent(calls),
                calls_top_exponent=top_exponent(calls),
            )
        )
    return found


class Figures:
    """Every row and fit of a run, with look-ups by case."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)
        self.fits = fits(self.rows)
        self._by_case = {(r.storage, r.backend, r.kind, r.relations, r.units): r for r in rows}

    def get(
        self, backend: str, kind: str, relations: int, units: int, storage: str = "local"
    ) -> Row | None:
        """The row of one case, if it was measured."""
        return self._by_case.get((storage, backend, kind, relations, units))

    def select(self, storage: str = "local", **fields: object) -> list[Row]:
        """Rows of one storage whose attributes equal ``fields``, by N then M."""
        found = [
            r
            for r in self.rows
            if r.storage == storage and all(getattr(r, k) == v for k, v in fields.items())
        ]
        return sorted(found, key=lambda r: (r.relations, r.units))

    def values(self, name: str, storage: str = "local") -> list[int]:
        """The distinct values of ``relations`` or ``units`` measured with a storage."""
        return sorted({getattr(r, name) for r in self.rows if r.storage == storage})

    def as_json(self) -> dict[str, Any]:
        """Rows and fits as plain JSON-able data."""

        def plain(value: Row | Fit) -> dict[str, Any]:
            data: dict[str, Any] = attrs.asdict(value, recurse=True)
            return data

        rows: list[dict[str, Any]] = []
        for row in self.rows:
            rows.append({**plain(row), "hook_tool_calls": row.hook_tool_calls})
        return {"rows": rows, "fits": [plain(fit) for fit in self.fits]}
