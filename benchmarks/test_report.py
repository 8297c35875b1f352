"""The report's arithmetic and target logic, on synthetic figures (no benchmark runs here)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from .figures import Figures, Row, exponent, rows_from_raw, top_exponent, with_ratios
from .report import readme, write_reports
from .targets import (
    MET,
    MISSED,
    NOT_MEASURED,
    check_controller_limit,
    check_linear_growth,
    check_live_quiet_without_reads,
    check_live_reads_each_relation_once,
    check_stored_quiet_outside_relation_events,
    check_stored_relation_event_reads_one_bag,
    check_stored_writes_flat,
    check_targets,
    check_time_ratio,
)

QUIET = {"is-leader": 1, "juju-log": 2}


def row(backend: str, kind: str, n: int, m: int = 1, **fields: Any) -> Row:
    values: dict[str, Any] = {
        "storage": "local",
        "backend": backend,
        "kind": kind,
        "relations": n,
        "units": m,
        "rounds": 3,
        "time_s": 0.001,
        "tool_calls": QUIET,
        "tool_calls_vary": False,
        "state_bytes": 100,
        "bytes_written": 31,
        "state_limit_hits": 0,
        "largest_state_value": 0,
        "ok": True,
    }
    values.update(fields)
    return Row(**values)


def figures(*rows: Row) -> Figures:
    return Figures(with_ratios(rows))


class TestFits:
    def test_exponent_of_a_power_law_is_its_power(self) -> None:
        """A cost of 3 N^2 fits an exponent of exactly 2."""
        points = [(n, 3.0 * n**2) for n in (1, 10, 100, 1000)]
        assert exponent(points) == pytest.approx(2.0)
        assert top_exponent(points) == pytest.approx(2.0)

    def test_a_constant_cost_fits_zero_and_zero_costs_are_left_out(self) -> None:
        """A flat series has exponent 0; a series of zeros has no exponent."""
        assert exponent([(1, 5.0), (10, 5.0), (100, 5.0)]) == pytest.approx(0.0)
        assert exponent([(1, 0.0), (10, 0.0)]) is None

    def test_top_exponent_sees_a_quadratic_tail_the_overall_fit_hides(self) -> None:
        """A fixed cost plus a small N^2 term fits below 1 overall but 2-ish at the top."""
        points = [(n, 1.0 + 1e-4 * n**2) for n in (1, 10, 100, 1000)]
        overall, top = exponent(points), top_exponent(points)
        assert overall is not None
        assert top is not None
        assert overall < 1.0 < top


class TestRatios:
    def test_ratio_divides_by_the_noop_of_the_matching_kind(self) -> None:
        """update-status kinds are divided by the no-op's update-status of the same N and M."""
        found = figures(
            row("noop", "update-status", 10, time_s=0.002),
            row("live", "update-status-read", 10, time_s=0.005),
            row("live", "update-status-read", 100, time_s=0.005),
        )
        measured = found.get("live", "update-status-read", 10, 1)
        assert measured is not None
        assert measured.ratio == pytest.approx(2.5)
        unmatched = found.get("live", "update-status-read", 100, 1)
        assert unmatched is not None
        assert unmatched.ratio is None

    def test_time_ratio_is_met_below_the_limit_and_missed_above(self) -> None:
        """1.1x at N=100 meets the 1.2x target; 1.3x misses it and says which kind."""
        base = row("noop", "update-status", 100, time_s=1.0)
        met = figures(base, row("live", "update-status-no-read", 100, time_s=1.1))
        missed = figures(base, row("live", "update-status-no-read", 100, time_s=1.3))
        assert check_time_ratio(met, "live", 100, 1.2).status == MET
        target = check_time_ratio(missed, "live", 100, 1.2)
        assert target.status == MISSED
        assert "update-status-no-read" in target.why
        assert check_time_ratio(met, "live", 1000, 1.5).status == NOT_MEASURED


class TestCallTargets:
    def test_live_without_reads_must_call_what_the_noop_calls(self) -> None:
        """Equal calls meet the target; one extra relation-get misses it."""
        base = row("noop", "update-status", 10)
        same = figures(base, row("live", "update-status-no-read", 10))
        extra = figures(
            base,
            row("live", "update-status-no-read", 10, tool_calls={**QUIET, "relation-get": 1}),
        )
        assert check_live_quiet_without_reads(same).status == MET
        missed = check_live_quiet_without_reads(extra)
        assert missed.status == MISSED
        assert "relation-get" in missed.why

    @pytest.mark.parametrize(("gets", "status"), [(10, MET), (20, MISSED), (9, MISSED)])
    def test_live_read_must_cost_exactly_n_relation_get(self, gets: int, status: str) -> None:
        """N relation-get for N relations, however often read; anything else misses."""
        found = figures(
            row("live", "update-status-read", 10, tool_calls={"relation-get": 10}),
            row("live", "update-status-read-twice", 10, tool_calls={"relation-get": gets}),
        )
        assert check_live_reads_each_relation_once(found).status == status

    def test_stored_update_status_must_not_read_relation_data(self) -> None:
        """Any relation-get in a stored update-status misses the target."""
        clean = figures(row("stored", "update-status-read", 100))
        dirty = figures(row("stored", "update-status-read", 100, tool_calls={"relation-get": 100}))
        assert check_stored_quiet_outside_relation_events(clean).status == MET
        assert check_stored_quiet_outside_relation_events(dirty).status == MISSED

    def test_stored_relation_event_may_read_one_bag(self) -> None:
        """One relation-get is within the target, two are not."""
        one = figures(row("stored", "relation-changed", 100, tool_calls={"relation-get": 1}))
        two = figures(row("stored", "relation-changed", 100, tool_calls={"relation-get": 2}))
        assert check_stored_relation_event_reads_one_bag(one).status == MET
        assert check_stored_relation_event_reads_one_bag(two).status == MISSED

    def test_stored_relation_event_writes_must_not_grow_with_n(self) -> None:
        """Equal bytes at the smallest and largest N meet the target; more at N=1000 misses."""
        flat = figures(
            row("stored", "relation-changed", 1, bytes_written=208),
            row("stored", "relation-changed", 1000, bytes_written=208),
        )
        growing = figures(
            row("stored", "relation-changed", 1, bytes_written=208),
            row("stored", "relation-changed", 1000, bytes_written=9000),
        )
        assert check_stored_writes_flat(flat).status == MET
        assert check_stored_writes_flat(growing).status == MISSED


class TestGrowthAndLimits:
    def _series(self, power: float) -> Figures:
        return figures(
            *(
                row(
                    "stored",
                    "update-status-read",
                    n,
                    time_s=1e-4 * n**power,
                    tool_calls={"relation-get": n},
                )
                for n in (1, 10, 100, 1000)
            )
        )

    def test_linear_cost_is_met_and_quadratic_is_missed(self) -> None:
        """Time proportional to N meets the growth target; N^2 misses it, explaining why."""
        assert check_linear_growth(self._series(1.0), "stored").status == MET
        missed = check_linear_growth(self._series(2.0), "stored")
        assert missed.status == MISSED
        assert "faster than linearly" in missed.why

    def test_refused_state_value_misses_the_controller_target(self) -> None:
        """A refused state-set at N=1000 misses; ops' notice list is named when it is the cause."""
        frames = ("run", "_commit", "save_notice", "_save_notice_list", "set")
        failed = figures(
            row(
                "stored",
                "rebuild",
                1000,
                storage="controller",
                ok=False,
                state_limit_hits=1,
                error_frames=frames,
            )
        )
        fine = figures(row("live", "rebuild", 1000, storage="controller", largest_state_value=37))
        target = check_controller_limit(failed, "stored")
        assert target.status == MISSED
        assert "#notices#" in target.why
        assert check_controller_limit(fine, "live").status == MET
        small = figures(row("live", "rebuild", 100, storage="controller"))
        assert check_controller_limit(small, "live").status == NOT_MEASURED


def _raw(cases: list[Mapping[str, Any]]) -> dict[str, Any]:
    benchmarks: list[dict[str, Any]] = []
    for case in cases:
        rounds = len(case["durations_s"])
        benchmarks.append(
            {
                "extra_info": {
                    "storage": "local",
                    "units": 1,
                    "ok": [True] * rounds,
                    "tool_calls": [QUIET] * rounds,
                    "state_bytes": [31] * rounds,
                    "bytes_written": [31] * rounds,
                    "state_limit_hits": [0] * rounds,
                    "largest_state_value": 0,
                    **case,
                }
            }
        )
    return {"benchmarks": benchmarks}


class TestReport:
    RAW = _raw(
        [
            {
                "backend": "noop",
                "kind": "update-status",
                "relations": 10,
                "durations_s": [1, 9, 2],
            },
            {
                "backend": "live",
                "kind": "update-status-no-read",
                "relations": 10,
                "durations_s": [3, 5, 4],
            },
        ]
    )

    def test_rows_take_the_median_time_and_its_ratio(self) -> None:
        """The median round decides the time (an outlier round does not)."""
        rows = {r.backend: r for r in rows_from_raw(self.RAW)}
        assert rows["noop"].time_s == 2
        assert rows["live"].time_s == 4
        assert rows["live"].ratio == pytest.approx(2.0)

    def test_readme_marks_misses_and_says_when_the_study_is_absent(self, tmp_path: Path) -> None:
        """The README lists every target, explains misses and notes a missing study.json."""
        raw_path = tmp_path / "benchmarks-raw.json"
        raw_path.write_text(json.dumps(self.RAW))
        meta = {
            "ops_version": "3.9.0",
            "python": "3.11",
            "platform": "Linux",
            "cores": 2,
            "size": "smoke",
            "size_flag": "",
            "relations": [10],
            "units": [1],
            "controller_relations": [],
            "rounds": {"10": 3},
            "round_budget_s": 0.0,
            "max_rounds": 3,
            "unit_dirs": "tmp",
            "seconds": 1.0,
            "command": "python -m benchmarks",
        }
        targets = write_reports(raw_path, tmp_path, meta)
        text = (tmp_path / "README.md").read_text()
        assert "study.json` is absent" in text
        assert all(t.claim in text for t in targets)
        costs = json.loads((tmp_path / "costs.json").read_text())
        assert len(costs["rows"]) == 2
        assert (tmp_path / "costs-time-ratio.png").stat().st_size > 0
        study = {"meta": {"seeds": [0, 1]}, "summary": {"live": {"stale_fraction": 0.25}}}
        with_study = readme(Figures(rows_from_raw(self.RAW)), targets, meta, study, [])
        assert "| live | - | 25.0% |" in with_study
        slow = figures(
            row("noop", "update-status", 100, time_s=1.0),
            row("live", "update-status-no-read", 100, time_s=2.0),
        )
        text = readme(slow, check_targets(slow), meta, None, [])
        assert "| live: time over the no-op charm within 1.2x at N=100 | **MISSED** |" in text
        assert "- **live: time over the no-op charm within 1.2x at N=100**" in text
