"""How big a run is, for the study and the benchmarks, by the one name both take.

``smoke`` is what plain ``pytest benchmarks`` runs; ``python -m study`` and
``python -m benchmarks`` run ``default`` unless told ``--quick`` or ``--full``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from .labels import Backend, Kind, Storage, Wire

SizeName = Literal["smoke", "quick", "default", "full"]
"""The run sizes."""

ALL_KINDS: tuple[Kind, ...] = (
    "rebuild",
    "update-status",
    "update-status-no-read",
    "update-status-read",
    "update-status-read-twice",
    "relation-changed",
)
"""Every hook kind, in the order they run on one model."""

READ_KINDS: tuple[Kind, ...] = (
    "rebuild",
    "update-status",
    "update-status-no-read",
    "update-status-read",
    "update-status-read-twice",
)
"""The kinds in which no provider runs a hook (so any provider's wire can be measured)."""


@attrs.frozen
class StudySize:
    """One study size."""

    seeds: int
    """Random schedules per strategy."""
    operations: int
    """Operations per random schedule."""
    scale: int
    """Scale of the sized scenarios."""


@attrs.frozen
class Group:
    """Cases measured on one storage and wire: every kind at every N and M."""

    storage: Storage
    wire: Wire
    kinds: tuple[Kind, ...]
    relations: tuple[int, ...]
    """Values of N: relations of the requirer, one provider application each."""
    units: tuple[int, ...] = (1,)
    """Values of M: units of each provider application."""
    backends: tuple[Backend, ...] | None = None
    """The charms measured, when not every charm of each kind."""


@attrs.frozen
class BenchSize:
    """One benchmark size."""

    groups: tuple[Group, ...]
    """What is measured."""
    rounds: Mapping[int, int]
    """The fewest timed rounds per N."""
    budget_s: float = 0.0
    """Seconds a case may spend on its rounds (setup included): cheap hooks get more rounds."""
    max_rounds: int = 201
    """The most timed rounds of a case."""

    def rounds_for(self, relations: int, storage: Storage, round_s: float) -> int:
        """Timed rounds for a case, from the cost of one round (its untimed first round).

        A case gets at least ``rounds[N]`` rounds and, when its rounds are cheap, as many more as
        fit in ``budget_s`` (up to ``max_rounds``), so that hooks of a millisecond, whose timing
        is noisiest, get the most rounds. Controller storage gets at most 3 rounds.

        Args:
            relations: N.
            storage: Where state is kept.
            round_s: Seconds one round took, its setup included.

        Returns:
            The number of timed rounds.
        """
        rounds = self.rounds[relations]
        if storage == "controller":
            return min(rounds, 3)
        affordable = int(self.budget_s / round_s) if round_s > 0 else self.max_rounds
        return max(rounds, min(self.max_rounds, affordable))


def _bench(
    top: tuple[int, ...], units: tuple[int, ...], growth: Group | None = None
) -> tuple[Group, ...]:
    """Local v2 at every M; v0 and controller storage at M=1; then ``growth``, if any.

    ``growth`` adds N values at M=1: with its own ``backends``, only the cases a target needs;
    without, at every storage and wire.
    """
    extra = growth.relations if growth and growth.backends is None else ()
    return (
        Group("local", "v2", ALL_KINDS, top, units),
        *([Group("local", "v2", ALL_KINDS, extra)] if extra else []),
        Group("local", "v0", READ_KINDS, top + extra),
        Group("controller", "v2", ALL_KINDS, top + extra),
        Group("controller", "v0", READ_KINDS, top + extra),
        *([growth] if growth and not extra else []),
    )


def _growth(relations: int) -> Group:
    """The stored rebuild and the ops-read it is divided by, at one more N (M=1)."""
    kinds: tuple[Kind, ...] = ("rebuild", "update-status-read")
    return Group("local", "v2", kinds, (relations,), backends=("stored", "ops-read"))


STUDY_SIZES: dict[SizeName, StudySize] = {
    "smoke": StudySize(1, 4, 1),
    "quick": StudySize(3, 6, 1),
    "default": StudySize(8, 12, 1),
    "full": StudySize(40, 20, 4),
}
"""Every study size by name."""

BENCH_SIZES: dict[SizeName, BenchSize] = {
    "smoke": BenchSize(_bench((1, 10), (1, 3)), {1: 1, 10: 1}),
    "quick": BenchSize(
        _bench((1, 10, 100), (1, 3), _growth(300)), {1: 15, 10: 15, 100: 7, 300: 3}, budget_s=0.2
    ),
    "default": BenchSize(
        _bench((1, 10, 100, 1000), (1, 3, 10), _growth(3000)),
        {1: 21, 10: 21, 100: 9, 1000: 5, 3000: 1},
        budget_s=0.5,
    ),
    "full": BenchSize(
        _bench((1, 10, 100, 1000), (1, 3, 10), Group("local", "v2", ALL_KINDS, (3000,))),
        {1: 61, 10: 61, 100: 25, 1000: 11, 3000: 5},
        budget_s=2.0,
        max_rounds=501,
    ),
}
"""Every benchmark size by name. The default run measures the rebuild (and the ops-read it is
divided by) once at N=3000 too, so that the rebuild's growth is measured in every run."""
