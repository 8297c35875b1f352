"""What one hook costs in production: hook tools as processes, Python's start-up, and a model.

The cost benchmarks answer hook tools in-process (microseconds a call); on a deployment each call
is a process spawn plus a round trip to the unit agent. Measured here: one hook-tool call as ops
makes it (``per_call_rows``, ``tool_calls.py``), Python's start-up in fresh processes
(``startup_rows``), each case's hook in-process (``measure_case``: its thread CPU less the
simulator's answering of tools), and a check of the model against hooks run with every tool a
real process (``calibration_row``). The model::

    modelled hook time = start-up (a fresh Python importing ops and the charm's library)
                       + the hook's own CPU (ops' and the charm's work, tool answering left out)
                       + hook-tool calls x the cost of one call

Start-up is the child's CPU time and the hook's own time its thread CPU, so a busy machine
inflates neither. A call is mostly waiting on other processes, so its cost is the client's wall
time; a hook pays for every call, the slow ones too, so it is a mean: the median, over the
calibration's bursts, of each burst's mean. Each figure is also given at 1 ms and 5 ms a call, a
band around what Juju's own ``jujuc`` costs (about 1 ms to reach the agent, after juju/juju PR
11311). The model leaves out the unit agent's own time to answer (Juju's round trip to the
controller on a hook's first read of a remote bag among it).
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from jujusim.vocabulary import BenchBackend, BenchKind, HookToolMode, Storage

from .model import BenchModel
from .tool_calls import Row, ToolProbe, assert_compiled, children_cpu_s, cpu_clock, per_call_rows

ROOT = Path(__file__).resolve().parent.parent
"""The project's root, put on the start-up probes' ``PYTHONPATH``."""

STARTUP_PROGRAMS: dict[str, str] = {
    "python": "pass",
    "ops": "import ops",
    "live": "import ops, interface_live",
    "stored": "import ops, interface_stored",
}
"""What each start-up probe runs in a fresh interpreter, by what it measures."""

STARTUP_OF: dict[BenchBackend, str] = {
    "live": "live",
    "stored": "stored",
    "ops-read": "ops",
    "noop": "ops",
}
"""The start-up probe each charm's hook pays: plain ops charms import ops alone."""

SLIM_JUJUC_S = 0.001
"""About 1 ms: juju/juju PR 11311 (2020) says ``jujuc`` takes about 1 ms to get to the point of
talking to the agent, against 60 ms for ``jujud``. The lower edge of the sensitivity band."""

SLOW_CALL_S = 0.005
"""5 ms a call: the upper edge of the sensitivity band (a loaded or slow unit)."""

WARM_ROUNDS = 3
"""Untimed rounds each calibration model runs first."""

TOOL_MODES: tuple[HookToolMode, ...] = ("inprocess", "exec")
"""The simulator's two ways of answering hook tools, in the order a calibration round runs."""

Case = tuple[BenchBackend, BenchKind, Storage, int]
"""A production case: charm, hook kind, storage and N (M=1)."""


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
    calibration: tuple[tuple[BenchBackend, int], ...]
    """(backend, N) of the exec-mode calibration, update-status read with local storage."""
    calibration_rounds: Mapping[int, int]
    """Rounds of a calibration case, by N."""
    burst: int = 20
    """Per-call probe calls between two calibration rounds."""


_CALIBRATION: tuple[tuple[BenchBackend, int], ...] = (
    ("live", 10), ("stored", 10), ("live", 100), ("stored", 100)
)  # fmt: skip

PRODUCTION_SIZES: dict[str, ProductionSize] = {
    "smoke": ProductionSize(5, 1, (1,), 1, (("live", 1), ("stored", 1)), {1: 2}, burst=3),
    "quick": ProductionSize(100, 3, (1, 10, 100, 1000), 3, _CALIBRATION, {10: 15, 100: 5}),
    "default": ProductionSize(200, 7, (1, 10, 100, 1000), 5, _CALIBRATION, {10: 31, 100: 9}),
    "full": ProductionSize(400, 15, (1, 10, 100, 1000, 3000), 9, _CALIBRATION, {10: 61, 100: 15}),
}
"""``full`` adds N=3000 to the table; ``smoke`` is what plain pytest runs."""


def startup_rows(runs: int = 7) -> list[Row]:
    """Python's start-up in fresh processes: bare, with ops, and with each backend imported.

    The probes are interleaved, so that a burst of load on the machine falls on all of them.
    Wall time is what a hook waits; CPU time is the child's user + system time, which a busy
    machine does not inflate. Returns one row per program: medians of wall and CPU time.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls: dict[str, list[float]] = {name: [] for name in STARTUP_PROGRAMS}
    cpus: dict[str, list[float]] = {name: [] for name in STARTUP_PROGRAMS}
    for _ in range(runs):
        for name, program in STARTUP_PROGRAMS.items():
            children, started = children_cpu_s(), time.perf_counter()
            done = subprocess.run([sys.executable, "-c", f"{program}; print('started')"],
                                  env=env, capture_output=True, text=True, check=True)  # fmt: skip
            walls[name].append(time.perf_counter() - started)
            cpus[name].append(children_cpu_s() - children)
            assert done.stdout == "started\n", done.stdout  # the imports succeeded
    return [
        {"program": name, "code": program, "runs": runs,
         "wall_s": statistics.median(walls[name]), "cpu_s": statistics.median(cpus[name])}
        for name, program in STARTUP_PROGRAMS.items()
    ]  # fmt: skip


def run_hooks(model: BenchModel, kind: BenchKind, rounds: int) -> list[Row]:
    """Run the case's hook ``rounds`` times on a primed model, checking each; one row a round.

    A row has the dispatch's thread CPU (``cpu_s``), the part of it spent answering hook tools
    in-process (``answer_s``), its wall time, the CPU time of the whole step in every process
    (``all_cpu_s``: in exec mode, the socket server's thread and the tool processes too), and
    the hook-tool calls. A hook runs in a fresh process; here it shares the heap of the whole
    benchmark run, so the heap is frozen around each timed hook, as for the cost benchmarks: a
    collection then scans only what the hook allocates.
    """
    found: list[Row] = []
    for _ in range(rounds):
        check = model.queue(kind)
        gc.freeze()
        try:
            with cpu_clock() as spent:
                record = model.run()
        finally:
            gc.unfreeze()
        check(record)
        found.append({"cpu_s": record.duration_s, "answer_s": record.answer_s,
                      "wall_s": record.wall_s, "all_cpu_s": spent[0],
                      "tool_calls": sum(record.tool_calls.values())})  # fmt: skip
    return found


def summarise_rounds(rounds: list[Row]) -> Row:
    """Medians of a case's rounds; the hook's own CPU is its thread CPU less tool answering."""
    calls = {row["tool_calls"] for row in rounds}
    assert len(calls) == 1, f"the hook-tool calls varied between rounds: {sorted(calls)}"
    return {
        "rounds": len(rounds),
        "cpu_s": statistics.median(row["cpu_s"] for row in rounds),
        "answer_s": statistics.median(row["answer_s"] for row in rounds),
        "own_cpu_s": statistics.median(row["cpu_s"] - row["answer_s"] for row in rounds),
        "wall_s": statistics.median(row["wall_s"] for row in rounds),
        "own_wall_s": statistics.median(row["wall_s"] - row["answer_s"] for row in rounds),
        "tool_calls": calls.pop(),
    }


def primed_model(
    backend: BenchBackend, storage: Storage, relations: int, tools: HookToolMode = "inprocess"
) -> BenchModel | str:
    """A case's model (M=1) with the requirer's state built, or why its first hook fails."""
    model = BenchModel(backend, storage, relations, 1, hook_tools=tools)
    primed = model.prime()
    if not primed.ok:
        model.close()
        return "state over 64 KiB" if primed.state_limit_hits else "first hook fails"
    if tools == "exec":
        assert_compiled(model.sim)
    return model


def measure_case(case: Case, rounds: int) -> Row:
    """One case's hook in-process: medians of its rounds, or why its first hook fails."""
    backend, kind, storage, relations = case
    row: Row = {"backend": backend, "kind": kind, "storage": storage, "relations": relations}
    model = primed_model(backend, storage, relations)
    if isinstance(model, str):
        return {**row, "error": model}
    try:
        return {**row, **summarise_rounds(run_hooks(model, kind, rounds)), "error": None}
    finally:
        model.close()


def calibration_row(
    backend: BenchBackend, storage: Storage, relations: int, rounds: int, burst: int
) -> Row:
    """Run one update-status read in-process and in exec mode, round after round, and compare.

    The two models and a ``ToolProbe`` are alive together, and each round runs a probe burst of
    ``burst`` calls (at least as many as the hook makes), the in-process hook and the exec-mode
    hook, so that the machine's load falls alike on the three. A round's model of the exec-mode
    dispatch is the in-process dispatch's own wall time plus the hook-tool calls times the mean
    cost of a call in that round's burst. The row gives the median of that over rounds, and its
    error against the median exec-mode wall time; and the same in CPU time.
    """
    kind: BenchKind = "update-status-read"
    probe = ToolProbe()
    models = [primed_model(backend, storage, relations, tools) for tools in TOOL_MODES]
    try:
        ready = [model for model in models if not isinstance(model, str)]
        assert len(ready) == len(models), f"{backend} N={relations}: {models}"
        # Untimed rounds warm up (a process's first exec-mode hooks run slower) and tell how
        # many calls the hook makes: a burst makes at least as many, meeting as many slow calls.
        warm = [run_hooks(model, kind, WARM_ROUNDS)[-1] for model in ready]
        burst = max(burst, warm[0]["tool_calls"])
        probe.burst(burst)
        found: dict[str, list[Row]] = {tools: [] for tools in TOOL_MODES}
        bursts: list[tuple[float, float]] = []
        for _ in range(rounds):
            bursts.append(probe.burst(burst))
            for tools, model in zip(TOOL_MODES, ready, strict=True):
                found[tools].extend(run_hooks(model, kind, 1))
    finally:
        probe.close()
        for model in models:
            if not isinstance(model, str):
                model.close()
    inprocess, exec_mode = (summarise_rounds(found[tools]) for tools in TOOL_MODES)
    calls = inprocess["tool_calls"]
    assert exec_mode["tool_calls"] == calls, "exec mode made other hook-tool calls"
    # Each round's in-process hook is paired with its own burst, the window nearest the exec-mode
    # hook it predicts; the median over rounds keeps one round's burst of load from deciding.
    # CPU time, which waiting for a busy machine's cores does not inflate, counts every process.
    own_wall = [r["wall_s"] - r["answer_s"] for r in found["inprocess"]]
    own_cpu = [r["all_cpu_s"] - r["answer_s"] for r in found["inprocess"]]
    modelled = statistics.median(
        own + calls * w for own, (w, _) in zip(own_wall, bursts, strict=True)
    )
    modelled_cpu = statistics.median(
        own + calls * cpu for own, (_, cpu) in zip(own_cpu, bursts, strict=True)
    )
    measured_cpu = statistics.median(r["all_cpu_s"] for r in found["exec"])
    return {
        "backend": backend,
        "kind": kind,
        "storage": storage,
        "relations": relations,
        "rounds": rounds,
        "tool_calls": calls,
        "per_call_s": statistics.median(wall for wall, _ in bursts),
        "per_call_cpu_s": statistics.median(cpu for _, cpu in bursts),
        "own_cpu_s": inprocess["own_cpu_s"],
        "own_wall_s": inprocess["own_wall_s"],
        "modelled_s": modelled,
        "measured_s": exec_mode["wall_s"],
        "model_error": modelled / exec_mode["wall_s"] - 1,
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
    changed = max(n for n in relations if n <= 1000)
    return [
        *(
            (b, "update-status-read", "local", n)
            for n in relations
            for b in ("ops-read", *shipped)
        ),
        *((b, "update-status-read", "controller", n) for n in relations for b in shipped),
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


def production_sections(
    size_name: str, progress: Callable[[str], None] = print
) -> dict[str, list[Row]]:
    """Run every production measurement of a size; return the sections ``costs.json`` keeps.

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
    calibration = timed("exec-mode calibration", lambda: [
        calibration_row(backend, "local", n, size.calibration_rounds[n], size.burst)
        for backend, n in size.calibration
    ])  # fmt: skip
    # The cost of a call the model uses: the median over the calibration's cases of the median
    # burst mean, which a spell of load on the machine during one burst does not move.
    per_call_s = statistics.median(row["per_call_s"] for row in calibration)
    hooks: list[Row] = []
    for storage in ("local", "controller"):
        cases = [case for case in table_cases(size.relations) if case[2] == storage]
        hooks += timed(f"{storage} storage hooks", lambda cases=cases: [
            modelled(measure_case(case, size.rounds), startup_s[STARTUP_OF[case[0]]], per_call_s)
            for case in cases
        ])  # fmt: skip
    return {
        "production-per-call": per_call,
        "production-startup": startup,
        "production-hooks": hooks,
        "production-calibration": calibration,
    }
