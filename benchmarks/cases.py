"""What is benchmarked: the charms run for each hook kind, and one case per combination."""

from __future__ import annotations

import attrs

from reporting import ALL_KINDS, Backend, BenchSize, Kind, Storage, Wire

KIND_BACKENDS: dict[Kind, tuple[Backend, ...]] = {
    "rebuild": ("noop", "live", "stored"),
    "update-status": ("noop",),
    "update-status-no-read": ("live", "stored"),
    "update-status-read": ("ops-read", "live", "stored"),
    "update-status-read-twice": ("live", "stored"),
    "relation-changed": ("noop", "live", "stored"),
}
"""Each hook kind and the requirer charms it is measured for.

``rebuild`` is the first hook after the requirer lost its state (``start`` on a replaced pod);
``update-status`` is the no-op charm's, the baseline of the three ``update-status-*`` kinds;
``relation-changed`` follows one provider publishing a new port."""

READS: dict[Kind, int] = {
    "update-status": 0,
    "update-status-no-read": 0,
    "update-status-read": 1,
    "update-status-read-twice": 2,
}
"""How many times the charm reads ``services`` in each ``update-status`` kind."""


@attrs.frozen(order=True)
class Case:
    """One benchmark: a charm, a hook kind, a storage, a provider wire and a model size."""

    storage: Storage
    wire: Wire
    relations: int
    """N: relations of the requirer, one provider application each."""
    units: int
    """M: units of each provider application."""
    backend: Backend
    kind: Kind

    @property
    def model_key(self) -> tuple[Backend, Storage, Wire, int, int]:
        """Cases with the same key share one model."""
        return (self.backend, self.storage, self.wire, self.relations, self.units)

    @property
    def run_order(self) -> tuple[str, str, int, int, str, int]:
        """Sort key: cases sharing a model run together, their kinds in ``ALL_KINDS`` order."""
        order = ALL_KINDS.index(self.kind)
        return (self.storage, self.wire, self.relations, self.units, self.backend, order)

    def __str__(self) -> str:
        prefix = "controller-" if self.storage == "controller" else ""
        wire = "-v0" if self.wire == "v0" else ""
        return f"{prefix}{self.backend}{wire}-N{self.relations}-M{self.units}-{self.kind}"


def cases(size: BenchSize, kinds: tuple[Kind, ...]) -> list[Case]:
    """Every case of ``kinds`` in a run size, in run order, each once.

    Args:
        size: The run size.
        kinds: Hook kinds (keys of ``KIND_BACKENDS``).

    Returns:
        The cases, in run order.
    """
    found = {
        Case(group.storage, group.wire, n, m, backend, kind)
        for group in size.groups
        for kind in group.kinds
        if kind in kinds
        for backend in KIND_BACKENDS[kind]
        if group.backends is None or backend in group.backends
        for n in group.relations
        for m in group.units
    }
    return sorted(found, key=lambda case: case.run_order)
