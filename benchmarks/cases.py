"""What is benchmarked: hook kinds, the charms run for each, and one case per combination."""

from __future__ import annotations

import attrs

from .sizes import Size

KIND_BACKENDS: dict[str, tuple[str, ...]] = {
    "rebuild": ("noop", "live", "stored"),
    "update-status": ("noop",),
    "update-status-no-read": ("live", "stored"),
    "update-status-read": ("ops-read", "live", "stored"),
    "update-status-read-twice": ("live", "stored"),
    "relation-changed": ("noop", "live", "stored"),
}
"""Each hook kind and the requirer charms it is measured for, in the order they run on a model.

``rebuild`` is the first hook after the requirer lost its state (``start`` on a replaced pod);
``update-status`` is the no-op charm's, the baseline of the three ``update-status-*`` kinds;
``relation-changed`` follows one provider publishing a new port."""

CONTROLLER_KINDS = ("rebuild", "relation-changed")
"""The kinds measured with controller storage (where the state's size is what matters)."""

READS: dict[str, int] = {
    "update-status": 0,
    "update-status-no-read": 0,
    "update-status-read": 1,
    "update-status-read-twice": 2,
}
"""How many times the charm reads ``services`` in each ``update-status`` kind."""

BASELINE = "noop"
"""The charm every time is divided by."""


def baseline_kind(kind: str) -> str:
    """The no-op charm's kind that ``kind`` is compared with."""
    return "update-status" if kind.startswith("update-status") else kind


@attrs.frozen(order=True)
class Case:
    """One benchmark: a charm, a hook kind, a storage and a model size."""

    storage: str
    """``local`` (SQLite, pickle) or ``controller`` (state-set, YAML)."""

    relations: int
    """N: relations of the requirer, one provider application each."""

    units: int
    """M: units of each provider application."""

    backend: str
    """``live``, ``stored``, ``noop`` or ``ops-read``."""

    kind: str
    """The hook kind, a key of ``KIND_BACKENDS``."""

    @property
    def model_key(self) -> tuple[str, str, int, int]:
        """Cases with the same key share one model."""
        return (self.backend, self.storage, self.relations, self.units)

    @property
    def run_order(self) -> tuple[str, int, int, str, int]:
        """Sort key: cases sharing a model run together, their kinds in ``KIND_BACKENDS`` order."""
        return (
            self.storage,
            self.relations,
            self.units,
            self.backend,
            list(KIND_BACKENDS).index(self.kind),
        )

    def __str__(self) -> str:
        prefix = "controller-" if self.storage == "controller" else ""
        return f"{prefix}{self.backend}-N{self.relations}-M{self.units}-{self.kind}"


def cases(size: Size, kinds: tuple[str, ...]) -> list[Case]:
    """Every case of ``kinds`` for a run size.

    Local storage gets every N and M of the size; controller storage its own N with M = 1, for
    the kinds in ``CONTROLLER_KINDS``.

    Args:
        size: The run size.
        kinds: Hook kinds (keys of ``KIND_BACKENDS``).

    Returns:
        The cases, in run order.
    """
    found = [
        Case("local", n, m, backend, kind)
        for kind in kinds
        for backend in KIND_BACKENDS[kind]
        for n in size.relations
        for m in size.units
    ]
    found += [
        Case("controller", n, 1, backend, kind)
        for kind in kinds
        if kind in CONTROLLER_KINDS
        for backend in KIND_BACKENDS[kind]
        for n in size.controller_relations
    ]
    return sorted(found, key=lambda case: case.run_order)
