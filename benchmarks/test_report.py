"""The targets' arithmetic and verdicts, on synthetic figures (no benchmark runs here)."""

from __future__ import annotations

from typing import Any

import pytest

from reporting import Costs
from reporting.data import slope
from reporting.targets import MET, MISSED, TARGETS, UNMEASURED, verdicts

from .__main__ import summarise


def row(backend: str, kind: str, n: int, ms: float, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "storage": "local",
        "backend": backend,
        "kind": kind,
        "relations": n,
        "units": 1,
        "time_s": ms / 1000,
        "tool_calls": {"is-leader": 1},
        "state_bytes": 100,
        "bytes_written": 31,
        "ok": True,
    }
    return values | fields


def status(
    rows: list[dict[str, Any]], key: str, paired: list[dict[str, Any]] | None = None
) -> str:
    noop = [row("noop", "update-status", n, 1) for n in {r["relations"] for r in rows}]
    costs = Costs.from_json({"rows": [*noop, *rows], "sections": {"paired": paired or []}})
    return next(found for target, found, _ in verdicts(costs) if target.key == key)


class TestSlope:
    def test_power_law(self) -> None:
        """A cost of 3 N^2 fits a slope of exactly 2."""
        assert slope([(n, 3.0 * n**2) for n in (1, 10, 100, 1000)]) == pytest.approx(2.0)

    def test_zeros_are_left_out(self) -> None:
        """A series of zeros has no slope."""
        assert slope([(1, 0.0), (10, 0.0)]) is None


class TestTargets:
    @pytest.mark.parametrize(
        ("n", "live_ms", "expected"), [(1000, 14, MET), (1000, 16, MISSED), (100, 1, UNMEASURED)]
    )
    def test_live_read(self, n: int, live_ms: float, expected: str) -> None:
        """1.4 times ops-read meets the 1.5 target, 1.6 misses it; without N=1000, undecided."""
        rows = [
            row("ops-read", "update-status-read", n, 10),
            row("live", "update-status-read", n, live_ms),
        ]
        assert status(rows, "live-read") == expected

    @pytest.mark.parametrize(("paired_live_ms", "expected"), [(16, MISSED), (14, MET)])
    def test_pairs_decide_over_rows(self, paired_live_ms: float, expected: str) -> None:
        """The rounds timed in pairs decide a ratio target, whatever the two rows say."""
        rows = [
            row("ops-read", "update-status-read", 1000, 10),
            row("live", "update-status-read", 1000, 30 - paired_live_ms),
        ]
        paired = {"backend": "live", "kind": "update-status-read", "over": "ops-read",
                  "over_kind": "update-status-read", "relations": 1000, "rounds": 21}  # fmt: skip
        times = {"time_s": paired_live_ms / 1000, "over_time_s": 0.01}
        assert status(rows, "live-read", [paired | times]) == expected

    @pytest.mark.parametrize(("rebuild_3000", "expected"), [(30.0, MET), (40.0, MISSED)])
    def test_rebuild_growth(self, rebuild_3000: float, expected: str) -> None:
        """Three times N at three times the cost is a slope of 1; at four times, 1.26."""
        rows = [row("stored", "rebuild", 1000, 10), row("stored", "rebuild", 3000, rebuild_3000)]
        assert status(rows, "stored-rebuild-growth") == expected

    @pytest.mark.parametrize(("gets", "expected"), [(36, MET), (37, MISSED)])
    def test_controller_state_gets(self, gets: int, expected: str) -> None:
        """At N=1000 the limit is 1000/32 + 5 = 36.25 state-get calls."""
        rows = [
            row("stored", "update-status-read", 1000, 5, storage="controller",
                tool_calls={"state-get": gets})
        ]  # fmt: skip
        assert status(rows, "stored-controller-gets") == expected

    def test_construct_takes_the_worse_backend(self) -> None:
        """Constructing is met only if both backends stay within 1.1 of the no-op charm."""
        rows = [
            row("live", "update-status-no-read", 1000, 1.05),
            row("stored", "update-status-no-read", 1000, 1.2),
        ]
        assert status(rows, "construct") == MISSED

    def test_every_target_not_measured_without_costs(self) -> None:
        """Without costs.json no target is decided."""
        found = [s for _, s, _ in verdicts(None)]
        assert found == [UNMEASURED] * len(TARGETS)


class TestSummarise:
    def test_medians_and_totals_of_the_rounds(self) -> None:
        """A case's row takes the median own time, the last calls and the largest write."""
        info = {
            "storage": "local", "wire": "v0", "backend": "live", "kind": "rebuild",
            "relations": 10, "units": 1, "durations_s": [0.3, 0.1, 0.2],
            "answers_s": [0.1, 0.05, 0.05],
            "tool_calls": [{"relation-get": 10}, {"relation-get": 10}, {"relation-get": 11}],
            "state_bytes": [5, 6, 7], "bytes_written": [1, 9, 3], "state_limit_hits": [0, 1, 0],
            "largest_state_value": 4, "ok": [True, True, False], "error": "boom",
        }  # fmt: skip
        (found,) = summarise({"benchmarks": [{"extra_info": info}]})
        assert found["time_s"] == pytest.approx(0.15)  # of 0.2, 0.05 and 0.15
        assert found["answer_s"] == pytest.approx(0.05)
        assert found["tool_calls"] == {"relation-get": 11}
        assert found["tool_calls_vary"] is True
        assert (found["bytes_written"], found["state_limit_hits"], found["ok"]) == (9, 1, False)
        assert found["wire"] == "v0"
