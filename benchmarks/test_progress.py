"""The benchmark run's console, and where a quick run writes."""

from __future__ import annotations

import shutil
import subprocess
from types import SimpleNamespace
from typing import Any, Literal

import pytest

from reporting import QUICK_REPORTS, reports_folder
from reporting.data import REPORTS

from .__main__ import Progress


def _item(nodeid: str) -> Any:
    return SimpleNamespace(nodeid=nodeid)


def _report(
    nodeid: str,
    outcome: Literal["passed", "failed", "skipped"],
    when: Literal["setup", "call", "teardown"] = "call",
) -> pytest.TestReport:
    longrepr = "AssertionError: the hook failed" if outcome == "failed" else None
    return pytest.TestReport(nodeid, ("x.py", 0, nodeid), {}, outcome, longrepr, when)


class TestProgress:
    """Tests for the Progress plugin."""

    def test_one_line_per_group(self) -> None:
        """A group's line comes once its last test is reported, with its counts."""
        lines: list[str] = []
        progress = Progress(lines.append)
        ids = ["a.py::t1", "a.py::t2", "b.py::t1"]
        progress.pytest_collection_finish(SimpleNamespace(items=[_item(i) for i in ids]))  # type: ignore[arg-type]
        progress.pytest_runtest_logreport(_report(ids[0], "passed"))
        assert len(lines) == 1  # only the header so far
        progress.pytest_runtest_logreport(_report(ids[1], "skipped"))
        progress.pytest_runtest_logreport(_report(ids[2], "passed"))
        assert lines[0] == "benchmarks: 3 cases in 2 groups"
        assert lines[1].startswith("  [1/2] a.py: 1 passed, 1 skipped (")
        assert lines[2].startswith("  [2/2] b.py: 1 passed (")

    def test_failure_is_printed_at_once(self) -> None:
        """A failed case prints its error when it fails, and counts as failed."""
        lines: list[str] = []
        progress = Progress(lines.append)
        progress.pytest_collection_finish(SimpleNamespace(items=[_item("a.py::t1")]))  # type: ignore[arg-type]
        progress.pytest_runtest_logreport(_report("a.py::t1", "failed"))
        assert progress.failed == 1
        assert "FAILED a.py::t1 (call)\nAssertionError: the hook failed" in lines


class TestQuickFolder:
    """Tests for reports_folder."""

    def test_quick_runs_write_apart(self) -> None:
        """A quick run writes outside reports/, every other size into it."""
        assert reports_folder("quick") == QUICK_REPORTS
        assert REPORTS not in (QUICK_REPORTS, *QUICK_REPORTS.parents)
        assert reports_folder("default") == reports_folder("full") == REPORTS

    @pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
    def test_quick_folder_is_ignored_by_git(self) -> None:
        """Git ignores what a quick run writes, so that it leaves a clone's status clean."""
        found = subprocess.run(
            ["git", "check-ignore", "-q", str(QUICK_REPORTS / "costs.json")],
            cwd=REPORTS.parent,
            check=False,
        )
        assert found.returncode == 0
