"""Time one hook kind with pytest-benchmark and keep every figure of each timed round."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, MutableMapping
from typing import Any, Protocol, TypeVar

from jujusim import HookRecord
from reporting import BenchSize

from .cases import Case
from .model import BenchModel

Expectation = TypeVar("Expectation")


class Benchmark(Protocol):
    """The part of pytest-benchmark's ``benchmark`` fixture the benchmarks use."""

    group: str | None
    extra_info: MutableMapping[str, Any]

    def pedantic(
        self,
        target: Callable[..., object],
        *,
        setup: Callable[[], tuple[tuple[Any, ...], dict[str, Any]]] | None = None,
        rounds: int = 1,
        warmup_rounds: int = 0,
        iterations: int = 1,
    ) -> object:
        """Run ``target`` once per round, calling ``setup`` untimed before each."""
        ...


def measure(
    benchmark: Benchmark,
    case: Case,
    size: BenchSize,
    model: BenchModel,
    prepare: Callable[[], Expectation],
    check: Callable[[HookRecord, Expectation], None],
) -> list[HookRecord]:
    """Time the requirer's next hook, round after round, and check each round's outcome.

    Each round calls ``prepare`` untimed (it queues the hook and returns what the hook should
    produce), freezes the heap out of the garbage collector, then times the dispatch of that one
    hook. An untimed first round warms up and sets the number of rounds (``rounds_for``). Every
    record is then checked with ``check``, and the timed rounds' figures go into the benchmark's
    ``extra_info`` (pytest-benchmark's JSON). Returns the records of the timed rounds.
    """
    runs: list[tuple[HookRecord, Expectation]] = []

    def setup() -> tuple[tuple[Any, ...], dict[str, Any]]:
        gc.unfreeze()
        expectation = prepare()
        # A hook runs in a fresh process; here the simulator's whole model shares the heap. Freeze
        # it (no collection, which would take long) so that a collection during the hook scans
        # only what the hook allocates.
        gc.freeze()
        return (expectation,), {}

    def target(expectation: Expectation) -> None:
        runs.append((model.run(), expectation))

    # The first round warms up, untimed, and tells how many rounds the case can afford.
    started = time.perf_counter()
    (expectation,), _ = setup()
    target(expectation)
    gc.unfreeze()
    rounds = size.rounds_for(case.relations, case.storage, time.perf_counter() - started)
    benchmark.group = f"{case.storage} {case.wire} N={case.relations} M={case.units}"
    try:
        benchmark.pedantic(target, setup=setup, rounds=rounds)
    finally:
        gc.unfreeze()
    for record, expectation in runs:
        check(record, expectation)
    timed = [record for record, _ in runs[-rounds:]]
    benchmark.extra_info.update(
        {
            "backend": case.backend,
            "kind": case.kind,
            "storage": case.storage,
            "wire": case.wire,
            "relations": case.relations,
            "units": case.units,
            "hook": timed[-1].hook,
            "durations_s": [record.duration_s for record in timed],
            "answers_s": [record.answer_s for record in timed],
            "ok": [record.ok for record in timed],
            "tool_calls": [dict(record.tool_calls) for record in timed],
            "state_bytes": [record.state_bytes for record in timed],
            "bytes_written": [record.bytes_written for record in timed],
            "state_limit_hits": [record.state_limit_hits for record in timed],
            "largest_state_value": model.largest_state_value(),
            "error": _last_line(timed[-1].error),
        }
    )
    return timed


def _last_line(error: str | None) -> str | None:
    if not error:
        return None
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return lines[-1] if lines else None
