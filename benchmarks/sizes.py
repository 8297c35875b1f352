"""How big a benchmark run is: relations (N), provider units (M) and rounds per N."""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen
class Size:
    """One run size."""

    name: str
    """``smoke`` (plain pytest), ``quick``, ``default`` or ``full``."""

    relations: tuple[int, ...]
    """Values of N: relations between the requirer and provider applications."""

    units: tuple[int, ...]
    """Values of M: units of each provider application."""

    controller_relations: tuple[int, ...]
    """Values of N measured with controller storage (M = 1 there)."""

    rounds: Mapping[int, int]
    """The fewest timed rounds per N."""

    budget_s: float = 0.0
    """Seconds a case may spend on its rounds (setup included): cheap hooks get more rounds."""

    max_rounds: int = 201
    """The most timed rounds of a case."""

    def rounds_for(self, relations: int, storage: str, round_s: float) -> int:
        """Timed rounds for a case, from the cost of one round (its untimed first round).

        A case gets at least ``rounds[N]`` rounds and, when its rounds are cheap, as many more as
        fit in ``budget_s`` (up to ``max_rounds``), so that hooks of a millisecond, whose timing
        is noisiest, get the most rounds. Controller storage gets at most 3 rounds, 1 at N=1000.

        Args:
            relations: N.
            storage: ``local`` or ``controller``.
            round_s: Seconds one round took, its setup included.

        Returns:
            The number of timed rounds.
        """
        rounds = self.rounds[relations]
        if storage == "controller":
            return 1 if relations >= 1000 else min(rounds, 3)
        affordable = int(self.budget_s / round_s) if round_s > 0 else self.max_rounds
        return max(rounds, min(self.max_rounds, affordable))


SIZES: dict[str, Size] = {
    "smoke": Size("smoke", (1, 10), (1, 3), (1, 10), {1: 1, 10: 1}),
    "quick": Size(
        "quick", (1, 10, 100), (1, 3), (1, 10, 100), {1: 15, 10: 15, 100: 7}, budget_s=0.2
    ),
    "default": Size(
        "default",
        (1, 10, 100, 1000),
        (1, 3, 10),
        (1, 10, 100, 1000),
        {1: 21, 10: 21, 100: 9, 1000: 5},
        budget_s=0.5,
    ),
    "full": Size(
        "full",
        (1, 10, 100, 1000),
        (1, 3, 10),
        (1, 10, 100, 1000),
        {1: 61, 10: 61, 100: 25, 1000: 11},
        budget_s=2.0,
        max_rounds=501,
    ),
}
"""Every size by name. Plain ``pytest benchmarks`` runs ``smoke``; ``python -m benchmarks`` runs
``default`` unless told ``--quick`` or ``--full``."""
