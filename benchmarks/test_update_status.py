"""update-status: the charm reads ``services`` none, once or twice (the no-op charm: never)."""

from __future__ import annotations

from jujusim import HookRecord
from reporting import BenchSize, Kind

from .cases import READS, Case
from .conftest import Models
from .measure import Benchmark, measure
from .model import PlainService, plain

KINDS: tuple[Kind, ...] = (
    "update-status",
    "update-status-no-read",
    "update-status-read",
    "update-status-read-twice",
)


def test_update_status(benchmark: Benchmark, case: Case, size: BenchSize, models: Models) -> None:
    """The services read in update-status are the N services the providers publish."""
    model = models.primed(case)
    reads = READS[case.kind]

    def prepare() -> tuple[PlainService, ...]:
        model.queue_update_status(reads)
        return model.expected()

    def check(record: HookRecord, expected: tuple[PlainService, ...]) -> None:
        assert record.hook == "update-status"
        assert record.ok, record.error
        if case.backend == "ops-read":
            assert record.observations["databags"] == case.relations
        elif reads:
            assert plain(record.observations["services"]) == expected
            assert len(expected) == case.relations
        else:
            assert "services" not in record.observations

    measure(benchmark, case, size, model, prepare, check)
