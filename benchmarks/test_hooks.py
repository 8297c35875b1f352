"""The benchmarked hooks: one test per case, each timed round checked (``BenchModel.queue``)."""

from __future__ import annotations

from reporting import BenchSize

from .cases import Case
from .conftest import Models
from .measure import Benchmark, measure


def test_hook(benchmark: Benchmark, case: Case, size: BenchSize, models: Models) -> None:
    """Every timed hook of the case does what its kind says, on N providers of M units."""
    if case.kind != "rebuild":
        measure(benchmark, case, size, models.primed(case))
        return
    timed = measure(benchmark, case, size, models.get(case))
    if not timed[-1].ok:
        models.mark_unbuildable(case, timed[-1])
