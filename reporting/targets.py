"""The cost targets: the library's two backends against a charm that reads with plain ops.

Each is a ``check_*`` function over the costs (the shape of ``claims.py``) and one line of
``TARGETS``, decided on the v2 wire at M=1 and N=1000 from median thread-CPU times of one run; a
run without N=1000 (``--quick``) shows the figure at its largest N, NOT MEASURED. A ratio of two
cases (``PAIRS``) is taken from the rounds that timed them alternately (``costs.json``'s
``paired`` section, ``benchmarks/paired.py``), or from their two rows when there is none.
"""

from __future__ import annotations

import functools
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


Pair = tuple[Backend, Kind, Backend, Kind]
"""A case and the case its time is divided by (charm and kind of each; v2 wire, M=1, local)."""


def _pair_ratio(costs: Costs, pair: Pair) -> tuple[float, str, int] | Result:
    """The pair's time ratio, its times as a figure, and N; or the result when it has none."""
    for found in costs.sections.get("paired", ()):
        if (found["backend"], found["kind"], found["over"], found["over_kind"]) == pair:
            time_s, over_s, relations = found["time_s"], found["over_time_s"], found["relations"]
            rounds = f", {found['rounds']} rounds in pairs"
            break
    else:
        row, base = _case(costs, *pair[:2]), _case(costs, *pair[2:])
        if row is None or base is None:
            return NOT_MEASURED
        if costs.ratio(row, base) is None:
            return Result(("a hook failed",), "failed")
        time_s, over_s, relations, rounds = row.time_s, base.time_s, row.relations, ""
    return time_s / over_s, f"{time_s * 1000:,.1f} ms / {over_s * 1000:,.1f} ms{rounds}", relations


def check_time_ratio(pair: Pair, limit: float, costs: Costs) -> Result:
    """A target on the time of one case over another's, both at M=1 in the same run."""
    found = _pair_ratio(costs, pair)
    if isinstance(found, Result):
        return found
    value, times, relations = found
    return _limited(value, limit, f"{value:.2f} ({times})", relations)


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


CONSTRUCT_PAIRS: tuple[Pair, ...] = tuple(
    (backend, "update-status-no-read", "noop", "update-status") for backend in ("live", "stored")
)
"""Each backend's requirer constructed and nothing read, over the no-op charm's hook."""


def check_construct(costs: Costs) -> Result:
    """Constructing either backend's requirer and reading nothing costs what the no-op does."""
    found = [_pair_ratio(costs, pair) for pair in CONSTRUCT_PAIRS]
    ratios = [ratio for ratio in found if not isinstance(ratio, Result)]
    if len(ratios) < len(found):
        return NOT_MEASURED
    figure = ", ".join(f"{p[0]} {r[0]:.2f}" for p, r in zip(CONSTRUCT_PAIRS, ratios, strict=True))
    return _limited(max(r[0] for r in ratios), 1.1, figure, ratios[0][2])


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

PAIRS: tuple[Pair, ...] = (*(target[2:6] for target in RATIO_TARGETS), *CONSTRUCT_PAIRS)
"""Every pair of cases a target divides, in the order ``benchmarks/paired.py`` times them."""

TARGETS: Sequence[Target] = (
    *(
        Target(key, claim, f"<= {limit}",
               functools.partial(check_time_ratio, (backend, kind, over, over_kind), limit))
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
    """Every target with its status (``MET``, ``MISSED``, ``NOT MEASURED``) and its result."""
    found: list[tuple[Target, str, Result]] = []
    for target in TARGETS:
        result = NOT_MEASURED if costs is None else target.check(costs)
        status = UNMEASURED if not result.measured else MISSED if result.errors else MET
        found.append((target, status, result))
    return found
