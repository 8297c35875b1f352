"""The vocabularies composed by hand list exactly the values of their ``Literal`` types."""

from __future__ import annotations

from typing import get_args

from jujusim import vocabulary as v
from study.charms import REQUIRERS


class TestVocabulary:
    """Tests for jujusim.vocabulary."""

    def test_strategies_match_their_literal(self) -> None:
        """``STRATEGIES`` (backends, then baselines) holds every ``Strategy`` once."""
        assert len(set(v.STRATEGIES)) == len(v.STRATEGIES)
        assert set(v.STRATEGIES) == set(get_args(v.Strategy))

    def test_study_runs_every_strategy(self) -> None:
        """The study's requirer classes are exactly the vocabulary's strategies, in its order."""
        assert tuple(REQUIRERS) == v.STRATEGIES
