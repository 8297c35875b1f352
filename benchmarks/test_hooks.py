"""The benchmarked hooks: one test per case, each timed round checked (``BenchModel.queue``)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, MutableMapping
from typing import Any, Protocol

import attrs

from jujusim import HookRecord
from reporting import BenchSize

from .cases import Case
from .conftest import Models
from .model import BenchModel, Check


class Benchmark(Protocol):
    """The part of pytest-benchmark's ``benchmark`` fixture the benchmarks use."""

    group: str | None
    extra_info: MutableMapping[str, Any]

    def pedantic(
        self,
        target: Callable[[], object],
        *,
        setup: Callable[[], None] | None = None,
        rounds: int = 1,
    ) -> object:
        """Run ``target`` once per round, calling ``setup`` untimed before each."""
        ...


def measure(
    benchmark: Benchmark, case: Case, size: BenchSize, model: BenchModel
) -> list[HookRecord]:
    """Time the requirer's hook of ``case.kind``, round after round; check every round.

    Each round queues the hook untimed (``BenchModel.queue``) and freezes the heap out of the
    garbage collector, then times the dispatch of that one hook. An untimed first round warms
    up and sets the number of rounds (``BenchSize.rounds_for``). The timed rounds' figures go
    into the benchmark's ``extra_info`` (pytest-benchmark's JSON). Returns the timed records.
    """
    checks: list[Check] = []
    records: list[HookRecord] = []

    def setup() -> None:
        gc.unfreeze()
        checks.append(model.queue(case.kind))
        # A hook runs in a fresh process; here the whole model shares the heap. Frozen, a
        # collection during the hook scans only what the hook allocates.
        gc.freeze()

    def target() -> None:
        records.append(model.run())

    started = time.perf_counter()
    setup()
    target()
    gc.unfreeze()
    rounds = size.rounds_for(case.relations, case.storage, time.perf_counter() - started)
    benchmark.group = f"{case.storage} {case.wire} N={case.relations} M={case.units}"
    try:
        benchmark.pedantic(target, setup=setup, rounds=rounds)
    finally:
        gc.unfreeze()
    for check, record in zip(checks, records, strict=True):
        check(record)
    timed = records[-rounds:]
    error = [line for line in (timed[-1].error or "").strip().splitlines() if line.strip()]
    benchmark.extra_info.update(
        {
            **attrs.asdict(case),
            "hook": timed[-1].hook,
            "durations_s": [record.duration_s for record in timed],
            "answers_s": [record.answer_s for record in timed],
            "ok": [record.ok for record in timed],
            "tool_calls": [dict(record.tool_calls) for record in timed],
            "state_bytes": [record.state_bytes for record in timed],
            "bytes_written": [record.bytes_written for record in timed],
            "state_limit_hits": [record.state_limit_hits for record in timed],
            "largest_state_value": model.largest_state_value(),
            "error": error[-1] if error else None,
        }
    )
    return timed


def test_hook(benchmark: Benchmark, case: Case, size: BenchSize, models: Models) -> None:
    """Every timed hook of the case does what its kind says, on N providers of M units."""
    timed = measure(benchmark, case, size, models.get(case))
    if case.kind == "rebuild" and not timed[-1].ok:
        models.mark_unbuildable(case, timed[-1])
