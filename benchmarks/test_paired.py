"""Smoke run of the targets' pairs, so that they cannot rot between runs of ``bench``."""

from __future__ import annotations

from reporting import BenchSize
from reporting.targets import PAIRS

from .paired import paired_rows


def test_every_pair_is_timed_in_its_rounds() -> None:
    """Each pair of the targets gets a row of both cases' own CPU over the rounds asked for."""
    rows = paired_rows(BenchSize(groups=(), rounds={}, paired=(1, 2)))

    assert [(r["backend"], r["kind"], r["over"], r["over_kind"]) for r in rows] == list(PAIRS)
    assert {(r["relations"], r["rounds"]) for r in rows} == {(1, 2)}
    assert all(r["time_s"] > 0 and r["over_time_s"] > 0 for r in rows)


def test_a_size_without_pairs_times_none() -> None:
    """A size whose pairs are at N=0 (the smoke size) builds no model and returns no row."""
    assert paired_rows(BenchSize(groups=(), rounds={})) == []
