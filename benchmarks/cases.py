"""What is benchmarked: the charms run for each hook kind, and one case per combination."""

from __future__ import annotations

import attrs

from jujusim.vocabulary import BENCH_KINDS, BenchBackend, BenchKind, Storage, Wire
from reporting import BenchSize

KIND_BACKENDS: dict[BenchKind, tuple[BenchBackend, ...]] = {
    "rebuild": ("noop", "live", "stored"),
    "update-status": ("noop",),
    "update-status-no-read": ("live", "stored"),
    "update-status-read": ("ops-read", "live", "stored"),
    "update-status-read-twice": ("live", "stored"),
    "relation-changed": ("noop", "live", "stored"),
}
"""Each hook kind and the requirer charms it is measured for."""

ModelKey = tuple[BenchBackend, Storage, int, int, Wire]
"""``BenchModel``'s arguments (charm, storage, N, M, wire): cases with one key share a model."""


@attrs.frozen
class Case:
    """One benchmark: a storage, a provider wire, a charm, a hook kind and a model size.

    Its fields, in this order, begin the case's row in ``costs.json``.
    """

    storage: Storage
    wire: Wire
    backend: BenchBackend
    kind: BenchKind
    relations: int
    """N: relations of the requirer, one provider application each."""
    units: int
    """M: units of each provider application."""

    @property
    def model_key(self) -> ModelKey:
        """The case's model, as ``BenchModel``'s arguments."""
        return (self.backend, self.storage, self.relations, self.units, self.wire)

    @property
    def group(self) -> str:
        """The cases measured on one model size, storage and wire, as the console names them."""
        return f"{self.storage} storage, {self.wire} wire, N={self.relations} M={self.units}"

    @property
    def run_order(self) -> tuple[str, str, int, int, str, int]:
        """Sort key: cases sharing a model run together, their kinds in ``BENCH_KINDS`` order."""
        order = BENCH_KINDS.index(self.kind)
        return (self.storage, self.wire, self.relations, self.units, self.backend, order)

    def __str__(self) -> str:
        prefix = "controller-" if self.storage == "controller" else ""
        wire = "-v0" if self.wire == "v0" else ""
        return f"{prefix}{self.backend}{wire}-N{self.relations}-M{self.units}-{self.kind}"


def cases(size: BenchSize) -> list[Case]:
    """Every case of a run size, in run order, each once."""
    found = {
        Case(group.storage, group.wire, backend, kind, n, m)
        for group in size.groups
        for kind in group.kinds
        for backend in KIND_BACKENDS[kind]
        if group.backends is None or backend in group.backends
        for n in group.relations
        for m in group.units
    }
    return sorted(found, key=lambda case: case.run_order)
