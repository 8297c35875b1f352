"""The first hook after the requirer lost its state: ``start`` on a replaced pod."""

from __future__ import annotations

from jujusim import HookRecord
from reporting import BenchSize, Kind

from .cases import Case
from .conftest import Models
from .measure import Benchmark, measure
from .model import PlainService, plain

KINDS: tuple[Kind, ...] = ("rebuild",)


def test_rebuild(benchmark: Benchmark, case: Case, size: BenchSize, models: Models) -> None:
    """The first hook after state loss presents every provider's service again."""
    model = models.get(case)

    def prepare() -> tuple[PlainService, ...]:
        model.lose_state()
        return model.expected()

    def check(record: HookRecord, expected: tuple[PlainService, ...]) -> None:
        assert record.hook == "start"
        if not record.ok and case.storage == "controller":
            # The one failure allowed: Juju refusing a state value over its size limit.
            assert record.state_limit_hits > 0, record.error
            return
        assert record.ok, record.error
        if case.backend != "noop":
            assert plain(record.observations["announced"]) == expected
            assert len(expected) == case.relations

    timed = measure(benchmark, case, size, model, prepare, check)
    if not timed[-1].ok:
        models.mark_unbuildable(case, timed[-1])
