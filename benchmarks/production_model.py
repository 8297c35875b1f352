"""The production model: what one hook costs on a deployment, from the measured parts.

modelled hook time = start-up (a fresh Python importing ops and the charm's library)
                   + the hook's own CPU (ops' and the charm's work, tool answering left out)
                   + hook-tool calls x the cost of one call

Start-up is the child's CPU time (``startup_rows``) and the hook's own time its thread CPU, so a
busy machine inflates neither: they are what an idle machine's wall clock would show. The cost of
a call is the wall time of the compiled client against the simulator's socket (``ToolProbe``): a
call is mostly waiting on other processes. A hook pays for every call, the slow ones too, so the
figure is a mean: the median, over the calibration's bursts of calls, of each burst's mean, which
a spell of load on the machine does not move. Each figure is also given at 1 ms and at 5 ms a
call, a band around what Juju's own ``jujuc`` costs (about 1 ms to reach the agent, after
juju/juju PR 11311). The model leaves out what the simulator cannot show: the unit agent's own
time to answer (Juju's round trip to the controller on a hook's first read of a remote bag among
it).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping

import attrs

from .production import calibration_row, measure_case, startup_rows
from .tool_calls import Row, per_call_rows

SLIM_JUJUC_S = 0.001
"""About 1 ms: juju/juju PR 11311 (2020) says ``jujuc`` takes about 1 ms to get to the point of
talking to the agent, against 60 ms for ``jujud``. The lower edge of the sensitivity band."""

SLOW_CALL_S = 0.005
"""5 ms a call: the upper edge of the sensitivity band (a loaded or slow unit)."""

STARTUP_OF: dict[str, str] = {"live": "live", "stored": "stored", "ops-read": "ops", "noop": "ops"}
"""The start-up probe each charm's hook pays: plain ops charms import ops alone."""


@attrs.frozen
class ProductionSize:
    """How much the production benchmarks measure at one run size."""

    samples: int
    """Hook-tool calls of the per-call probe (each client)."""
    startup_runs: int
    """Fresh processes per start-up program."""
    relations: tuple[int, ...]
    """N of the production table."""
    rounds: int
    """In-process rounds per table case."""
    calibration: tuple[tuple[str, int], ...]
    """(backend, N) of the exec-mode calibration, update-status read with local storage."""
    calibration_rounds: Mapping[int, int]
    """Rounds of a calibration case, by N."""
    burst: int = 20
    """Per-call probe calls between two calibration rounds."""


_CALIBRATION = (("live", 10), ("stored", 10), ("live", 100), ("stored", 100))

PRODUCTION_SIZES: dict[str, ProductionSize] = {
    "smoke": ProductionSize(5, 1, (1,), 1, (("live", 1), ("stored", 1)), {1: 2}, burst=3),
    "quick": ProductionSize(100, 3, (1, 10, 100, 1000), 3, _CALIBRATION, {10: 15, 100: 5}),
    "default": ProductionSize(200, 7, (1, 10, 100, 1000), 5, _CALIBRATION, {10: 31, 100: 9}),
    "full": ProductionSize(400, 15, (1, 10, 100, 1000, 3000), 9, _CALIBRATION, {10: 61, 100: 15}),
}
"""``full`` adds N=3000 to the table; ``smoke`` is what plain pytest runs."""


def table_cases(relations: tuple[int, ...]) -> list[tuple[str, str, str, int]]:
    """The production table's cases as (backend, kind, storage, N).

    update-status reading ``services`` (plain ops reading every databag for comparison) at every
    N with local storage, the two backends with controller storage, and relation-changed at the
    largest N up to 1000 (where ops itself lists every relation).
    """
    read = "update-status-read"
    found = [(b, read, "local", n) for n in relations for b in ("ops-read", "live", "stored")]
    found += [(b, read, "controller", n) for n in relations for b in ("live", "stored")]
    changed = max(n for n in relations if n <= 1000)
    found += [(b, "relation-changed", "local", changed) for b in ("noop", "live", "stored")]
    return found


def modelled(hook: Row, startup_s: float, per_call_s: float) -> Row:
    """A measured hook in production terms: its parts, the model's total and its band."""
    if hook["error"]:
        return dict(hook)
    base = startup_s + hook["own_cpu_s"]
    calls = hook["tool_calls"]
    return {
        **hook,
        "startup_s": startup_s,
        "per_call_s": per_call_s,
        "tools_s": calls * per_call_s,
        "modelled_s": base + calls * per_call_s,
        "modelled_1ms_s": base + calls * SLIM_JUJUC_S,
        "modelled_5ms_s": base + calls * SLOW_CALL_S,
    }


def production_sections(
    size_name: str, progress: Callable[[str], None] = print
) -> dict[str, list[Row]]:
    """Run every production measurement of a size; the sections ``costs.json`` keeps.

    Args:
        size_name: ``smoke``, ``quick``, ``default`` or ``full``.
        progress: Called with one line per group of cases as it finishes.

    Returns:
        ``production-per-call``, ``production-startup``, ``production-hooks`` (each table case
        with its modelled figures) and ``production-calibration``.
    """
    size = PRODUCTION_SIZES[size_name]

    def timed(label: str, run: Callable[[], list[Row]]) -> list[Row]:
        started = time.perf_counter()
        rows = run()
        progress(f"  production: {label} ({len(rows)} rows, {time.perf_counter() - started:.1f}s)")
        return rows

    per_call = timed("per-call cost", lambda: per_call_rows(size.samples))
    startup = timed("start-up", lambda: startup_rows(size.startup_runs))
    startup_s = {row["program"]: row["cpu_s"] for row in startup}
    calibration = timed(
        "exec-mode calibration",
        lambda: [
            calibration_row(backend, "local", n, size.calibration_rounds[n], size.burst)
            for backend, n in size.calibration
        ],
    )
    # The cost of a call the model uses: the median, over the calibration's cases, of the
    # median burst mean. One burst's mean moves with any spell of load on the machine (a hook
    # pays for its slow calls too, so a burst's mean and not its median); the median over
    # bursts spread through the run does not.
    per_call_s = statistics.median(row["per_call_s"] for row in calibration)
    hooks: list[Row] = []
    for storage in ("local", "controller"):

        def measure(storage: str = storage) -> list[Row]:
            return [
                modelled(
                    measure_case(backend, kind, storage, n, size.rounds),
                    startup_s[STARTUP_OF[backend]],
                    per_call_s,
                )
                for backend, kind, case_storage, n in table_cases(size.relations)
                if case_storage == storage
            ]

        hooks += timed(f"{storage} storage hooks", measure)
    return {
        "production-per-call": per_call,
        "production-startup": startup,
        "production-hooks": hooks,
        "production-calibration": calibration,
    }
