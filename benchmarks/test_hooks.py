"""The benchmarked hooks: one test per case, each timed round checked (``BenchModel.queue``)."""

from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping
from typing import Any, Protocol

import attrs

from jujusim import HookRecord
from reporting import BenchSize

from .cases import Case
from .conftest import Models
from .model import Check


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


def test_hook(benchmark: Benchmark, case: Case, size: BenchSize, models: Models) -> None:
    """Every timed hook of the case does what its kind says, on N providers of M units."""
    # Each round queues the hook untimed (``BenchModel.queue``), then times its dispatch
    # (``BenchModel.run``). An untimed first round warms up and sets the number of rounds
    # (``BenchSize.rounds_for``). The timed rounds' figures go into the benchmark's
    # ``extra_info`` (pytest-benchmark's JSON), which ``python -m benchmarks`` summarises.
    model = models.get(case)
    checks: list[Check] = []
    records: list[HookRecord] = []

    def setup() -> None:
        checks.append(model.queue(case.kind))

    def target() -> None:
        records.append(model.run())

    started = time.perf_counter()
    setup()
    target()
    rounds = size.rounds_for(case.relations, case.storage, time.perf_counter() - started)
    benchmark.group = case.group
    benchmark.pedantic(target, setup=setup, rounds=rounds)
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
