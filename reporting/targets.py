"""The cost targets: the library's two backends against a charm that reads with plain ops.

Each is a ``check_*`` function over the costs (the shape of ``claims.py``) and one line of
``TARGETS``, decided on the v2 wire at M=1 and N=1000 from median thread-CPU times of one run; a
run without N=1000 (``--quick``) shows the figure at its largest N, NOT MEASURED.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from .claims import NOT_MEASURED, Result
from .data import Costs, Row, slope
from .labels import Backend, Kind, Storage, exponent

TARGET_N = 1000

MET = "MET"
MISSED = "MISSED"
UNMEASURED = "NOT MEASURED"


@attrs.frozen
class Target:
    """One target of the cost benchmarks."""

    key: str
    """A short identifier, as documents name it."""
    claim: str
    """What is measured."""
    goal: str
    """The limit, as the table shows it."""
    check: Callable[[Costs], Result]

    def verdict(self, costs: Costs | None) -> tuple[str, Result]:
        """The status (``MET``, ``MISSED``, ``NOT MEASURED``) and the check's result."""
        result = NOT_MEASURED if costs is None else self.check(costs)
        status = UNMEASURED if not result.measured else MISSED if result.errors else MET
        return status, result


def _top(costs: Costs) -> int:
    """``TARGET_N`` if measured, else the largest N below it that the no-op charm was run at."""
    below = [r.relations for r in costs.rows if r.relations <= TARGET_N and r.backend == "noop"]
    return TARGET_N if TARGET_N in below else max(below, default=0)


def _case(costs: Costs, backend: Backend, kind: Kind, storage: Storage = "local") -> Row | None:
    return costs.get(backend, kind, _top(costs), 1, storage)


def _limited(value: float | None, limit: float, figure: str, relations: int) -> Result:
    """MET when ``value <= limit`` at ``TARGET_N``; NOT MEASURED at any other N."""
    if value is None:
        return NOT_MEASURED
    figure = f"{figure} (N={relations})"
    if relations != TARGET_N:
        return Result(figure=f"{figure}; N={TARGET_N} not in this run", measured=False)
    errors = () if value <= limit else (f"{value:.2f} is over {limit}",)
    return Result(errors, figure)


def _time_ratio(
    backend: Backend, kind: Kind, over: tuple[Backend, Kind], limit: float
) -> Callable[[Costs], Result]:
    """A target on the time of one case over another's, both at M=1 in the same run."""

    def check(costs: Costs) -> Result:
        row, base = _case(costs, backend, kind), _case(costs, *over)
        if row is None or base is None:
            return NOT_MEASURED
        value = costs.ratio(row, base)
        if value is None:
            return Result(("a hook failed",), "failed")
        figure = f"{value:.2f} ({row.time_s * 1000:,.1f} ms / {base.time_s * 1000:,.1f} ms)"
        return _limited(value, limit, figure, row.relations)

    return check


def check_rebuild_growth(costs: Costs) -> Result:
    """The stored rebuild's growth from N=1000 to the next N measured (3000), log-log."""
    top, rows = _top(costs), costs.select(backend="stored", kind="rebuild", units=1)
    series = [r for r in rows if r.relations >= top]
    if len(series) < 2:
        return NOT_MEASURED
    low, high = series[0], series[1]
    growth = slope([(low.relations, low.time_s), (high.relations, high.time_s)])
    figure = (
        f"{exponent(growth)} ({low.time_s * 1000:,.1f} ms at N={low.relations}, "
        f"{high.time_s * 1000:,.1f} ms at N={high.relations})"
    )
    return _limited(growth, 1.1, figure, low.relations)


def check_controller_state_gets(costs: Costs) -> Result:
    """With controller storage, a stored read makes at most N/32 + 5 ``state-get`` calls."""
    row = _case(costs, "stored", "update-status-read", "controller")
    if row is None or not row.ok:
        return NOT_MEASURED if row is None else Result(("the hook failed",), "failed")
    limit = row.relations / 32 + 5
    figure = f"{row.calls('state-get')} state-get, limit {limit:g}"
    return _limited(row.calls("state-get"), limit, figure, row.relations)


def check_construct(costs: Costs) -> Result:
    """Constructing either backend's requirer and reading nothing costs what the no-op does."""
    base = _case(costs, "noop", "update-status")
    found = [
        (b, costs.ratio(_case(costs, b, "update-status-no-read"), base))
        for b in ("live", "stored")
    ]
    ratios = [(b, r) for b, r in found if r is not None]
    if base is None or len(ratios) < len(found):
        return NOT_MEASURED
    worst = max(r for _, r in ratios)
    figure = ", ".join(f"{b} {r:.2f}" for b, r in ratios)
    return _limited(worst, 1.1, figure, base.relations)


def check_hostile_worst_case(costs: Costs) -> Result:
    """Worst-case hook time per hostile relation, from ``costs.json``'s ``hostile`` section."""
    if not costs.sections.get("hostile"):
        return NOT_MEASURED
    worst = max(float(row["median_ms"]) for row in costs.sections["hostile"])
    errors = () if worst < 50 else (f"{worst:.1f} ms is not under 50 ms",)
    return Result(errors, f"{worst:.1f} ms")


CALIBRATION_TOLERANCE = 0.2
"""How far the production model may be from a hook run with every tool a real process."""


def check_production_calibration(costs: Costs) -> Result:
    """The production model is within 20% of every exec-mode hook it was checked against.

    Decided on CPU time (every process's, the tool processes and the socket server included),
    which other load on the machine does not inflate; the wall-clock error is in the figure.
    """
    rows = costs.sections.get("production-calibration", ())
    if not rows:
        return NOT_MEASURED
    errors = tuple(
        f"{r['backend']} N={r['relations']}: the model is {r['cpu_model_error']:+.0%} off"
        for r in rows
        if abs(r["cpu_model_error"]) > CALIBRATION_TOLERANCE
    )
    worst = max(rows, key=lambda r: abs(r["cpu_model_error"]))
    wall = max(rows, key=lambda r: abs(r["model_error"]))
    figure = (
        f"worst {worst['cpu_model_error']:+.0%} in CPU ({worst['backend']} "
        f"N={worst['relations']}); in wall time {wall['model_error']:+.0%} ({wall['backend']} "
        f"N={wall['relations']})"
    )
    return Result(errors, figure)


RATIO_TARGETS: Sequence[tuple[str, str, Backend, Kind, Backend, Kind, float]] = (
    ("live-read", "live: read `services` / ops-read",
     "live", "update-status-read", "ops-read", "update-status-read", 1.5),
    ("live-read-twice", "live: read `services` twice / once",
     "live", "update-status-read-twice", "live", "update-status-read", 1.15),
    ("stored-read", "stored: read `services` / ops-read (local storage)",
     "stored", "update-status-read", "ops-read", "update-status-read", 0.5),
    ("stored-rebuild", "stored: rebuild after state loss / ops-read",
     "stored", "rebuild", "ops-read", "update-status-read", 2.0),
)  # fmt: skip
"""The targets on one case's time over another's: key, claim, the case, the other, the limit."""

TARGETS: Sequence[Target] = (
    *(
        Target(key, claim, f"<= {limit}", _time_ratio(backend, kind, (over, over_kind), limit))
        for key, claim, backend, kind, over, over_kind, limit in RATIO_TARGETS
    ),
    Target("stored-rebuild-growth", "stored: rebuild growth, N=1000 to 3000 (log-log slope)",
           "<= 1.1", check_rebuild_growth),
    Target("stored-controller-gets", "stored: read with controller storage, `state-get` calls",
           "<= N/32 + 5", check_controller_state_gets),
    Target("construct", "constructing a requirer, nothing read / no-op charm",
           "<= 1.1", check_construct),
    Target("hostile", "worst-case hook time with one hostile relation (`benchmarks/hostile.py`)",
           "< 50 ms", check_hostile_worst_case),
    Target("production-calibration", "production model / hook with every tool a process",
           "within 20%", check_production_calibration),
)  # fmt: skip
"""Every target, in the order the report lists them."""


def verdicts(costs: Costs | None) -> list[tuple[Target, str, Result]]:
    """Every target with its status and result (all NOT MEASURED without ``costs.json``)."""
    return [(target, *target.verdict(costs)) for target in TARGETS]
