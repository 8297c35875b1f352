"""The production benchmarks at their smallest size, so that they cannot rot between runs."""

from __future__ import annotations

import pytest

from .production import (
    calibration_row,
    measure_case,
    modelled,
    production_sections,
    startup_rows,
    table_cases,
)
from .tool_calls import per_call_rows


class TestPerCall:
    """Tests for per_call_rows."""

    def test_both_clients(self) -> None:
        """The C client and the shell stub are each timed the number of calls asked."""
        rows = per_call_rows(3)
        assert [(row["client"], row["samples"]) for row in rows] == [
            ("C client", 3),
            ("/bin/sh stub", 3),
        ]
        assert all(row["wall_q1_s"] <= row["wall_s"] <= row["wall_q3_s"] for row in rows)


class TestStartup:
    """Tests for startup_rows."""

    def test_ops_costs_more_than_bare_python(self) -> None:
        """Importing ops takes more CPU than starting Python and doing nothing."""
        rows = {row["program"]: row for row in startup_rows(1)}
        assert set(rows) == {"python", "ops", "live", "stored"}
        assert rows["ops"]["cpu_s"] > rows["python"]["cpu_s"]


class TestMeasureCase:
    """Tests for measure_case."""

    def test_tool_calls_follow_the_backend(self) -> None:
        """The live read makes two calls per relation; the stored one (local storage) three."""
        live = measure_case(("live", "update-status-read", "local", 10), 1)
        stored = measure_case(("stored", "update-status-read", "local", 10), 1)
        assert live["tool_calls"] >= 2 * 10
        assert stored["tool_calls"] == 3
        assert 0 <= stored["answer_s"] < stored["cpu_s"]


class TestCalibration:
    """Tests for calibration_row."""

    def test_exec_mode_makes_the_same_calls(self) -> None:
        """Exec mode runs the same hook, making the calls the in-process run made."""
        row = calibration_row("live", 1, 1, 2)
        assert row["tool_calls"] >= 2
        assert row["modelled_s"] == pytest.approx(
            row["own_wall_s"] + row["tool_calls"] * row["per_call_s"]
        )
        assert row["measured_s"] > row["tool_calls"] * 1e-5


class TestModel:
    """Tests for modelled and production_sections."""

    def test_modelled_adds_the_parts(self) -> None:
        """The modelled time is start-up, own CPU and the calls at each per-call cost."""
        hook = {"own_cpu_s": 0.002, "tool_calls": 10, "error": None}
        row = modelled(hook, 0.1, 0.0005)
        assert row["modelled_s"] == pytest.approx(0.107)
        assert row["modelled_1ms_s"] == pytest.approx(0.112)
        assert row["modelled_5ms_s"] == pytest.approx(0.152)

    def test_table_has_each_case(self) -> None:
        """The smoke run models every case of the table, with no hook failing."""
        sections = production_sections("smoke", progress=lambda _line: None)
        hooks = sections["production-hooks"]
        assert len(hooks) == len(table_cases((1,)))
        assert all(row["error"] is None and row["modelled_s"] > 0 for row in hooks)
