"""What one hook costs in production: hook tools as processes, Python's start-up, and a model.

The cost benchmarks answer hook tools in-process; on a deployment each call is a process spawn
plus a round trip to the unit agent. Measured here: one hook-tool call as ops makes it
(``tool_calls.py``), Python's start-up in fresh processes, each case's hook in-process, and the
model checked against hooks run with every tool a real process (``calibration_row``)::

    modelled hook time = start-up (the child's CPU: a fresh Python importing ops and the library)
                       + the hook's own thread CPU (tool answering left out)
                       + hook-tool calls x the cost of one call (median of burst means, wall)

``reports/README.md`` says why each figure is taken the way it is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from statistics import median

import attrs

from jujusim.vocabulary import STORAGES, BenchBackend, BenchKind, HookToolMode, Storage

from .model import BenchModel
from .tool_calls import Row, ToolProbe, all_cpu_s, assert_compiled, children_cpu_s, per_call_rows

ROOT = Path(__file__).resolve().parent.parent
"""The project's root, put on the start-up probes' ``PYTHONPATH``."""

STARTUP_PROGRAMS: dict[str, str] = {
    "python": "pass",
    "ops": "import ops",
    "live": "import ops, interface_live",
    "stored": "import ops, interface_stored",
}
"""What each start-up probe runs in a fresh interpreter; a backend's hook pays its own probe's
start-up, the plain ops charms (``noop``, ``ops-read``) that of ``ops``."""

SLIM_JUJUC_S = 0.001
"""About 1 ms: juju/juju PR 11311 (2020) says ``jujuc`` takes about 1 ms to get to the point of
talking to the agent, against 60 ms for ``jujud``. The lower edge of the sensitivity band."""

SLOW_CALL_S = 0.005
"""5 ms a call: the upper edge of the sensitivity band (a loaded or slow unit)."""

WARM_ROUNDS = 3
"""Untimed rounds each calibration model runs first."""

MEDIANS = ("cpu_s", "answer_s", "own_cpu_s", "wall_s", "own_wall_s")
"""The figures of a round a case's row gives the median of; ``own`` is less tool answering."""

Case = tuple[BenchBackend, BenchKind, Storage, int]
"""A production case: charm, hook kind, storage and N (M=1)."""


class UnbuildableError(Exception):
    """The requirer's first hook fails on a model; the message says why."""


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
    calibration_rounds: Mapping[int, int]
    calibration: tuple[tuple[BenchBackend, int], ...] = (
        ("live", 10), ("stored", 10), ("live", 100), ("stored", 100)
    )  # fmt: skip
    """(backend, N) of the exec-mode calibration, update-status read with local storage."""
    burst: int = 20
    """Per-call probe calls between two calibration rounds."""


PRODUCTION_SIZES: dict[str, ProductionSize] = {
    "smoke": ProductionSize(5, 1, (1,), 1, {1: 2}, (("live", 1), ("stored", 1)), burst=3),
    "quick": ProductionSize(100, 3, (1, 10, 100, 1000), 3, {10: 15, 100: 5}),
    "default": ProductionSize(200, 7, (1, 10, 100, 1000), 5, {10: 31, 100: 9}),
    "full": ProductionSize(400, 15, (1, 10, 100, 1000, 3000), 9, {10: 61, 100: 15}),
}
"""``full`` adds N=3000 to the table; ``smoke`` is what plain pytest runs."""


def startup_rows(runs: int) -> list[Row]:
    """Python's start-up in fresh processes: medians of wall and child CPU time, per program.

    The programs take turns, so that a burst of load on the machine falls on all of them.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in STARTUP_PROGRAMS}
    for _ in range(runs):
        for name, program in STARTUP_PROGRAMS.items():
            children, started = children_cpu_s(), time.perf_counter()
            done = subprocess.run([sys.executable, "-c", f"{program}; print('started')"],
                                  env=env, capture_output=True, text=True, check=True)  # fmt: skip
            times[name].append((time.perf_counter() - started, children_cpu_s() - children))
            assert done.stdout == "started\n", done.stdout  # the imports succeeded
    return [
        {"program": name, "code": program, "runs": runs,
         "wall_s": median(wall for wall, _ in times[name]),
         "cpu_s": median(cpu for _, cpu in times[name])}
        for name, program in STARTUP_PROGRAMS.items()
    ]  # fmt: skip


def run_hooks(model: BenchModel, kind: BenchKind, rounds: int) -> list[Row]:
    """Run the case's hook ``rounds`` times on a primed model, checking each; one row a round.

    A row has the dispatch's thread CPU (``cpu_s``), the part of it spent answering hook tools
    in-process (``answer_s``), the wall time, the CPU time of every process (``all_cpu_s``: in
    exec mode the socket server and the tools too) and the calls.
    """
    found: list[Row] = []
    for _ in range(rounds):
        check = model.queue(kind)
        started = all_cpu_s()
        record = model.run()
        spent = all_cpu_s() - started
        check(record)
        found.append({"cpu_s": record.duration_s, "answer_s": record.answer_s,
                      "own_cpu_s": record.duration_s - record.answer_s, "wall_s": record.wall_s,
                      "own_wall_s": record.wall_s - record.answer_s, "all_cpu_s": spent,
                      "tool_calls": sum(record.tool_calls.values())})  # fmt: skip
    return found


def summarise_rounds(rounds: list[Row]) -> Row:
    """Medians of a case's rounds (of ``MEDIANS``), and its hook-tool calls."""
    calls = {row["tool_calls"] for row in rounds}
    assert len(calls) == 1, f"the hook-tool calls varied between rounds: {sorted(calls)}"
    medians = {key: median(row[key] for row in rounds) for key in MEDIANS}
    return {"rounds": len(rounds), **medians, "tool_calls": calls.pop()}


def primed_model(
    backend: BenchBackend, storage: Storage, relations: int, tools: HookToolMode = "inprocess"
) -> BenchModel:
    """A case's model (M=1) with the requirer's state built.

    Raises:
        UnbuildableError: The requirer's first hook fails.
    """
    model = BenchModel(backend, storage, relations, 1, hook_tools=tools)
    if not model.prime().ok:
        model.close()
        raise UnbuildableError(model.unbuildable)
    if tools == "exec":
        assert_compiled(model.sim)
    return model


def measure_case(case: Case, rounds: int) -> Row:
    """One case's hook in-process: medians of its rounds, or why its first hook fails."""
    backend, kind, storage, relations = case
    row: Row = {"backend": backend, "kind": kind, "storage": storage, "relations": relations}
    try:
        model = primed_model(backend, storage, relations)
    except UnbuildableError as error:
        return {**row, "error": str(error)}
    with closing(model):
        return {**row, **summarise_rounds(run_hooks(model, kind, rounds)), "error": None}


def calibration_row(backend: BenchBackend, relations: int, rounds: int, burst: int) -> Row:
    """Run one update-status read (local storage) in-process and in exec mode, and compare.

    Each round runs a probe burst of ``burst`` calls (at least as many as the hook makes), the
    in-process hook and the exec-mode hook, so that the machine's load falls alike on the three.
    A round's model of the exec-mode hook is the in-process hook's own time plus its calls at
    that round's burst's mean cost; the row gives the median model against the median exec-mode
    hook, in wall time and in CPU time (every process counted, which waiting does not inflate).
    """
    kind: BenchKind = "update-status-read"
    found: dict[HookToolMode, list[Row]] = {"inprocess": [], "exec": []}
    bursts: list[tuple[float, float]] = []
    with (
        closing(ToolProbe()) as probe,
        closing(primed_model(backend, "local", relations)) as inprocess,
        closing(primed_model(backend, "local", relations, "exec")) as exec_mode,
    ):
        models: dict[HookToolMode, BenchModel] = {"inprocess": inprocess, "exec": exec_mode}
        # Untimed rounds warm up (a process's first exec-mode hooks run slower) and tell how
        # many calls the hook makes: a burst makes at least as many, meeting as many slow calls.
        warm = [run_hooks(model, kind, WARM_ROUNDS)[-1] for model in models.values()]
        burst = max(burst, warm[0]["tool_calls"])
        probe.burst(burst)
        for _ in range(rounds):
            bursts.append(probe.burst(burst))
            for tools, model in models.items():
                found[tools] += run_hooks(model, kind, 1)
    summary, measured = summarise_rounds(found["inprocess"]), summarise_rounds(found["exec"])
    calls = summary["tool_calls"]
    assert measured["tool_calls"] == calls, "exec mode made other hook-tool calls"
    # Each in-process hook is paired with its round's burst, the nearest to the hook it predicts.
    paired = list(zip(found["inprocess"], bursts, strict=True))
    modelled = median(r["own_wall_s"] + calls * w for r, (w, _) in paired)
    modelled_cpu = median(r["all_cpu_s"] - r["answer_s"] + calls * cpu for r, (_, cpu) in paired)
    measured_cpu = median(r["all_cpu_s"] for r in found["exec"])
    return {
        "backend": backend,
        "kind": kind,
        "storage": "local",
        "relations": relations,
        "rounds": rounds,
        "tool_calls": calls,
        "per_call_s": median(wall for wall, _ in bursts),
        "per_call_cpu_s": median(cpu for _, cpu in bursts),
        "own_cpu_s": summary["own_cpu_s"],
        "own_wall_s": summary["own_wall_s"],
        "modelled_s": modelled,
        "measured_s": measured["wall_s"],
        "model_error": modelled / measured["wall_s"] - 1,
        "modelled_cpu_s": modelled_cpu,
        "measured_cpu_s": measured_cpu,
        "cpu_model_error": modelled_cpu / measured_cpu - 1,
        "load_average": os.getloadavg()[0],
    }


def table_cases(relations: tuple[int, ...]) -> list[Case]:
    """The production table's cases.

    update-status reading ``services`` (plain ops reading every databag for comparison) at every
    N with local storage, the two backends with controller storage, and relation-changed at the
    largest N up to 1000 (where ops itself lists every relation).
    """
    shipped: tuple[BenchBackend, ...] = ("live", "stored")
    read: BenchKind = "update-status-read"
    changed = max(n for n in relations if n <= 1000)
    return [
        *((b, read, "local", n) for n in relations for b in ("ops-read", *shipped)),
        *((b, read, "controller", n) for n in relations for b in shipped),
        *((b, "relation-changed", "local", changed) for b in ("noop", *shipped)),
    ]


def modelled(hook: Row, startup_s: float, per_call_s: float) -> Row:
    """A measured hook in production terms: its parts, the model's total and its band."""
    if hook["error"]:
        return dict(hook)
    base, calls = startup_s + hook["own_cpu_s"], hook["tool_calls"]
    return {
        **hook,
        "startup_s": startup_s,
        "per_call_s": per_call_s,
        "tools_s": calls * per_call_s,
        "modelled_s": base + calls * per_call_s,
        "modelled_1ms_s": base + calls * SLIM_JUJUC_S,
        "modelled_5ms_s": base + calls * SLOW_CALL_S,
    }


def production_sections(size_name: str, progress: Callable[[str], None]) -> dict[str, list[Row]]:
    """Run every production measurement of a size; return ``costs.json``'s ``production-*``.

    ``progress`` is given a line per group of cases as it finishes.
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
    calibration = timed("exec-mode calibration", lambda: [
        calibration_row(backend, n, size.calibration_rounds[n], size.burst)
        for backend, n in size.calibration
    ])  # fmt: skip
    # The cost of a call the model uses: the median over the calibration's cases of the median
    # burst mean, which a spell of load on the machine during one burst does not move.
    per_call_s = median(row["per_call_s"] for row in calibration)
    hooks: list[Row] = []
    for storage in STORAGES:
        cases = [case for case in table_cases(size.relations) if case[2] == storage]
        hooks += timed(f"{storage} storage hooks", lambda cases=cases: [
            modelled(measure_case(case, size.rounds), startup_s.get(case[0], startup_s["ops"]),
                     per_call_s)
            for case in cases
        ])  # fmt: skip
    return {
        "production-per-call": per_call,
        "production-startup": startup,
        "production-hooks": hooks,
        "production-calibration": calibration,
    }
