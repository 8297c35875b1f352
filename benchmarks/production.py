"""What one hook costs in production: hook tools as processes, Python's start-up, and a model.

The cost benchmarks answer hook tools in-process (microseconds a call); on a deployment each call
is a process spawn plus a round trip to the unit agent. This module measures the parts a deployed
hook pays and puts them together:

- ``per_call_rows`` (``tool_calls.py``): one hook-tool call as ops makes it (``subprocess.run``
  with captured text output), wall time over many calls of the compiled client
  (``jujusim/hooktool.c``) against the live socket of an exec-mode simulator, inside a real
  hook; and of a ``/bin/sh`` stub that prints a fixed answer, for comparison.
- ``startup_rows``: fresh ``python`` processes (``pass``, ``import ops``, each backend's import):
  wall time, and the child's CPU time from ``getrusage(RUSAGE_CHILDREN)``.
- ``measure_case``: each case's hook in-process, its thread-CPU time with the simulator's own
  answering of hook tools (``HookRecord.answer_s``) subtracted, and its hook-tool calls.
- ``calibration_rows``: a few cases run with every tool a real process (exec mode, C client);
  their measured dispatch wall time against the model's ``own CPU + calls x per-call cost``.

``production.model`` turns these rows into the modelled production figures.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from jujusim import HookRecord
from jujusim.vocabulary import HookToolMode

from .charms import ENDPOINT
from .model import BenchModel, plain
from .tool_calls import Row, ToolProbe, assert_compiled, cpu_clock

ROOT = Path(__file__).resolve().parent.parent
"""The project's root, put on the start-up probes' ``PYTHONPATH``."""

STARTUP_PROGRAMS: dict[str, str] = {
    "python": "pass",
    "ops": "import ops",
    "live": "import ops, interface_live",
    "stored": "import ops, interface_stored",
}
"""What each start-up probe runs in a fresh interpreter, by what it measures."""

WARM_ROUNDS = 3
"""Untimed rounds each calibration model runs first."""

TOOL_MODES: tuple[HookToolMode, ...] = ("inprocess", "exec")
"""The simulator's two ways of answering hook tools, in the order a calibration round runs."""


# -- start-up -------------------------------------------------------------------------------


def startup_rows(runs: int = 7) -> list[Row]:
    """Python's start-up in fresh processes: bare, with ops, and with each backend imported.

    Each program runs ``runs`` times, the probes interleaved so that a burst of load on the
    machine falls on all of them. Wall time is ``time.perf_counter`` around ``subprocess.run``
    (what a hook waits); CPU time is the child's user + system time from
    ``resource.getrusage(RUSAGE_CHILDREN)``, which a busy machine does not inflate.

    Returns:
        One row per program: medians of wall and CPU time.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls: dict[str, list[float]] = {name: [] for name in STARTUP_PROGRAMS}
    cpus: dict[str, list[float]] = {name: [] for name in STARTUP_PROGRAMS}
    for _ in range(runs):
        for name, program in STARTUP_PROGRAMS.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            code = f"{program}; print('started')"
            done = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            walls[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            assert done.stdout == "started\n", done.stdout  # the imports succeeded
    return [
        {
            "program": name,
            "code": STARTUP_PROGRAMS[name],
            "runs": runs,
            "wall_s": statistics.median(walls[name]),
            "cpu_s": statistics.median(cpus[name]),
        }
        for name in STARTUP_PROGRAMS
    ]


# -- a hook's own CPU, and its dispatch wall time ---------------------------------------------


def _queue(model: BenchModel, kind: str) -> Callable[[HookRecord], None]:
    """Queue the case's hook on the model; return the check of what the hook did."""
    if kind == "relation-changed":
        relation_id = min(model.providers)
        model.publish_new_port(relation_id)
    else:
        model.queue_update_status(1)
    expected = model.expected()

    def check(record: HookRecord) -> None:
        assert record.ok, record.error
        if kind == "relation-changed":
            assert record.hook == f"{ENDPOINT}-relation-changed"
            if model.backend != "noop":
                assert plain(record.observations["announced"]) == expected
        elif model.backend == "ops-read":
            assert record.hook == "update-status"
            assert record.observations["databags"] == model.relations
        else:
            assert record.hook == "update-status"
            assert plain(record.observations["services"]) == expected

    return check


def run_hooks(model: BenchModel, kind: str, rounds: int) -> list[Row]:
    """Run the case's hook ``rounds`` times on a primed model, checking each; one row a round.

    A row has the dispatch's thread CPU (``cpu_s``), the part of it the simulator spent
    answering hook tools in-process (``answer_s``), its wall time, the CPU time of the whole
    step in every process (``all_cpu_s``: the socket server's thread and the tool processes
    too, in exec mode), and the hook-tool calls.
    """
    found: list[Row] = []
    for _ in range(rounds):
        check = _queue(model, kind)
        with cpu_clock() as spent:
            record = model.run()
        check(record)
        found.append(
            {
                "cpu_s": record.duration_s,
                "answer_s": record.answer_s,
                "wall_s": record.wall_s,
                "all_cpu_s": spent[0],
                "tool_calls": sum(record.tool_calls.values()),
            }
        )
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
    backend: str, kind: str, storage: str, relations: int, hook_tools: HookToolMode = "inprocess"
) -> BenchModel | str:
    """A case's model with the requirer's state built, or why its first hook fails."""
    model = BenchModel(backend, storage, relations, 1, hook_tools=hook_tools)
    primed = model.prime()
    if not primed.ok:
        model.close()
        return "state over 64 KiB" if primed.state_limit_hits else "first hook fails"
    if hook_tools == "exec":
        assert_compiled(model.sim)
    return model


def measure_case(backend: str, kind: str, storage: str, relations: int, rounds: int) -> Row:
    """One case's hook in-process: medians of its rounds, or why its first hook fails."""
    case: Row = {"backend": backend, "kind": kind, "storage": storage, "relations": relations}
    model = primed_model(backend, kind, storage, relations)
    if isinstance(model, str):
        return {**case, "error": model}
    try:
        return {**case, **summarise_rounds(run_hooks(model, kind, rounds)), "error": None}
    finally:
        model.close()


def calibration_row(backend: str, storage: str, relations: int, rounds: int, burst: int) -> Row:
    """Run one update-status read in-process and in exec mode, round after round, and compare.

    The two models and a ``ToolProbe`` are alive together, and each round runs a probe burst of
    ``burst`` calls (at least as many as the hook makes), the in-process hook and the exec-mode
    hook, so that the machine's load falls alike on the three. A round's model of the exec-mode
    dispatch is the in-process dispatch's own wall time (its wall time less the simulator's
    answering of tools) plus the hook-tool calls times the mean cost of a call in that round's
    burst (the mean, not the median: a hook pays for every call, the slow ones too). The row
    gives the median over rounds of that model, and its error against the median exec-mode
    wall time.
    """
    kind = "update-status-read"
    probe = ToolProbe()
    models = [primed_model(backend, kind, storage, relations, tools) for tools in TOOL_MODES]
    try:
        ready = [model for model in models if not isinstance(model, str)]
        assert len(ready) == len(models), f"{backend} N={relations}: {models}"
        # Untimed rounds of each warm up (the first exec-mode hooks of a process run slower,
        # whatever the case), and tell how many calls the hook makes: a burst makes at least as
        # many, so that it sums as many slow calls as the hook meets.
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
    # Each round's model pairs its in-process hook with its own burst, the windows nearest the
    # exec-mode hook it predicts; medians over rounds keep a round that met a burst of load on
    # the machine from deciding the figure.
    own_wall = [r["wall_s"] - r["answer_s"] for r in found["inprocess"]]
    modelled = statistics.median(
        own + calls * wall for own, (wall, _) in zip(own_wall, bursts, strict=True)
    )
    # The same in CPU time, which waiting for a busy machine's cores does not inflate: the
    # in-process step less the answering, plus the calls at their CPU cost in every process.
    own_cpu = [r["all_cpu_s"] - r["answer_s"] for r in found["inprocess"]]
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
