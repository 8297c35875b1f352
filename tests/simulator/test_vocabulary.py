"""The vocabulary tuples list exactly the values of their ``Literal`` types."""

from __future__ import annotations

from typing import get_args

import pytest

from jujusim import vocabulary as v
from study.charms import REQUIRERS


class TestVocabulary:
    """Tests for jujusim.vocabulary."""

    @pytest.mark.parametrize(
        ("values", "literal"),
        [
            (v.STORAGES, v.Storage),
            (v.HOOK_TOOL_MODES, v.HookToolMode),
            (v.LIFECYCLE_HOOKS, v.LifecycleHook),
            (v.RELATION_HOOKS, v.RelationHook),
            (v.EVENT_HOOKS, v.EventHook),
            (v.LIBRARY_BACKENDS, v.LibraryBackend),
            (v.BASELINES, v.Baseline),
            (v.STRATEGIES, v.Strategy),
            (v.BENCH_BACKENDS, v.BenchBackend),
            (v.BENCH_KINDS, v.BenchKind),
        ],
    )
    def test_tuple_matches_literal(self, values: tuple[str, ...], literal: object) -> None:
        """Each tuple holds every value of its type once, and nothing else."""
        assert len(set(values)) == len(values)
        assert set(values) == set(get_args(literal))

    def test_guards(self) -> None:
        """The guards accept the vocabulary's values and refuse anything else."""
        assert v.is_storage("controller")
        assert not v.is_storage("Controller")
        assert v.is_bench_backend("ops-read")
        assert not v.is_bench_backend("hybrid")

    def test_study_runs_every_strategy(self) -> None:
        """The study's requirer classes are exactly the vocabulary's strategies, in its order."""
        assert tuple(REQUIRERS) == v.STRATEGIES
