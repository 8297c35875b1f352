"""How big a run is, for the study and the benchmarks, by the one name both take.

``smoke`` is what plain ``pytest benchmarks`` runs; the others are ``--quick``, the default and
``--full``.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import attrs

from jujusim.vocabulary import BENCH_KINDS

from .data import REPORTS
from .labels import Backend, Kind, Storage, Wire

SizeName = Literal["smoke", "quick", "default", "full"]

READ_KINDS: tuple[Kind, ...] = tuple(kind for kind in BENCH_KINDS if kind != "relation-changed")
"""The kinds in which no provider runs a hook (so any provider's wire can be measured)."""


@attrs.frozen
class StudySize:
    """One study size: how many runs of each strategy, and how big."""

    seeds: int
    """Random schedules (one seed each)."""
    operations: int
    scenario_seeds: int
    """Seeds each named scenario runs with, on each storage."""
    scale: int
    """Size factor of sized scenarios."""


@attrs.frozen
class Group:
    """Cases measured on one storage and wire: each kind's charms (or ``backends``) at N and M."""

    storage: Storage
    wire: Wire
    kinds: tuple[Kind, ...]
    relations: tuple[int, ...]
    units: tuple[int, ...] = (1,)
    backends: tuple[Backend, ...] | None = None


@attrs.frozen
class BenchSize:
    """One benchmark size: what is measured, and the fewest timed rounds per N."""

    groups: tuple[Group, ...]
    rounds: Mapping[int, int]
    budget_s: float = 0.0
    """Seconds a case may spend on its rounds (setup included): cheap hooks get more rounds."""
    max_rounds: int = 201
    paired: tuple[int, int] = (0, 0)
    """N and the fewest rounds of the targets' pairs, timed alternately (``benchmarks/paired.py``;
    N=0: not run); cheap pairs get more rounds, as cases do."""

    def rounds_for(self, relations: int, storage: Storage, round_s: float) -> int:
        """Timed rounds for a case, from the cost of its untimed first round.

        At least ``rounds[N]``; when rounds are cheap, as many more as fit in ``budget_s`` (up to
        ``max_rounds``), so that the noisiest, millisecond hooks get the most. Controller storage
        gets at most 3.
        """
        rounds = self.rounds[relations]
        if storage == "controller":
            return min(rounds, 3)
        return self.affordable(rounds, round_s)

    def affordable(self, rounds: int, round_s: float) -> int:
        """At least ``rounds``; more if rounds of ``round_s`` fit in ``budget_s``."""
        affordable = int(self.budget_s / round_s) if round_s > 0 else self.max_rounds
        return max(rounds, min(self.max_rounds, affordable))


def _bench(
    top: tuple[int, ...], units: tuple[int, ...], *, more: tuple[int, ...] = (),
    extra: Group | None = None,
) -> tuple[Group, ...]:  # fmt: skip
    """Local v2 at every M; v0 and controller storage at M=1; ``more`` N at M=1 everywhere too.

    ``extra`` measures only the cases a target needs, at its own N.
    """
    return (
        Group("local", "v2", BENCH_KINDS, top, units),
        *([Group("local", "v2", BENCH_KINDS, more)] if more else []),
        Group("local", "v0", READ_KINDS, top + more),
        Group("controller", "v2", BENCH_KINDS, top + more),
        Group("controller", "v0", READ_KINDS, top + more),
        *([extra] if extra else []),
    )


def _growth(relations: int) -> Group:
    """The stored rebuild and the ops-read it is divided by, at one more N (M=1)."""
    kinds: tuple[Kind, ...] = ("rebuild", "update-status-read")
    return Group("local", "v2", kinds, (relations,), backends=("stored", "ops-read"))


STUDY_SIZES: dict[SizeName, StudySize] = {
    "quick": StudySize(3, 6, 1, 1),
    "default": StudySize(100, 20, 4, 1),
    "full": StudySize(400, 30, 10, 4),
}

BENCH_SIZES: dict[SizeName, BenchSize] = {
    "smoke": BenchSize(_bench((1, 10), (1, 3)), {1: 1, 10: 1}),
    "quick": BenchSize(_bench((1, 10, 100), (1, 3), extra=_growth(300)),
                       {1: 15, 10: 15, 100: 7, 300: 3}, budget_s=0.2, paired=(100, 5)),
    "default": BenchSize(_bench((1, 10, 100, 1000), (1, 3, 10), extra=_growth(3000)),
                         {1: 21, 10: 21, 100: 9, 1000: 5, 3000: 1}, budget_s=0.5,
                         paired=(1000, 21)),
    "full": BenchSize(_bench((1, 10, 100, 1000), (1, 3, 10), more=(3000,)),
                      {1: 61, 10: 61, 100: 25, 1000: 11, 3000: 5}, budget_s=2.0, max_rounds=501,
                      paired=(1000, 61)),
}  # fmt: skip
"""The default run measures the stored rebuild (and the ops-read it is divided by) once at
N=3000 too, so that every run measures the rebuild's growth; ``full`` measures N=3000 throughout
(M=1)."""


def add_size_flags(parser: argparse.ArgumentParser) -> None:
    """Add ``--quick`` and ``--full``, the flags both the study and the benchmarks take."""
    flags = parser.add_mutually_exclusive_group()
    flags.add_argument("--quick", action="store_true", help="a smaller run (smoke)")
    flags.add_argument("--full", action="store_true", help="a bigger run (N up to 3000)")


def chosen_size(arguments: argparse.Namespace) -> SizeName:
    """The size the flags of ``add_size_flags`` chose."""
    return "quick" if arguments.quick else "full" if arguments.full else "default"


QUICK_REPORTS = REPORTS.parent / "build" / "quick-reports"
"""Where ``--quick`` runs write (git-ignored): a smoke run never replaces the committed reports."""


def reports_folder(size: SizeName) -> Path:
    """The folder a run of ``size`` writes its reports to: ``QUICK_REPORTS`` or ``reports/``."""
    return QUICK_REPORTS if size == "quick" else REPORTS
