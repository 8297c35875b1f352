"""One relation-changed on one relation: a provider has published a new port."""

from __future__ import annotations

from jujusim import HookRecord
from reporting import BenchSize, Kind

from .cases import Case
from .charms import ENDPOINT
from .conftest import Models
from .measure import Benchmark, measure
from .model import PlainService, plain

KINDS: tuple[Kind, ...] = ("relation-changed",)


def test_relation_changed(
    benchmark: Benchmark, case: Case, size: BenchSize, models: Models
) -> None:
    """The requirer's relation-changed sees the new port, next to the other N - 1 services.

    The first relation changes at every N, so the changed provider's name (in the bytes a
    relation event writes) is the same whatever N is.
    """
    model = models.primed(case)
    relation_id = min(model.providers)

    def prepare() -> tuple[int, tuple[PlainService, ...]]:
        model.publish_new_port(relation_id)
        return model.ports[relation_id], model.expected()

    def check(record: HookRecord, expectation: tuple[int, tuple[PlainService, ...]]) -> None:
        port, expected = expectation
        assert record.hook == f"{ENDPOINT}-relation-changed"
        assert record.relation_id == relation_id
        assert record.ok, record.error
        if case.backend != "noop":
            announced = plain(record.observations["announced"])
            assert announced == expected
            assert announced[0][3] == port
            assert len(announced) == case.relations

    measure(benchmark, case, size, model, prepare, check)
