"""``python -m study``: what it writes does not depend on how its runs were scheduled."""

from __future__ import annotations

from pathlib import Path

from study.__main__ import main

TINY = ["--quick", "--seeds", "2", "--operations", "4", "--scenario-seeds", "1"]
"""A sample small enough for a unit test that still has named, random and controller runs."""


class TestWorkers:
    """Tests for ``--workers``."""

    def test_report_is_the_same_for_one_and_two_workers(self, tmp_path: Path):
        """Two processes write byte for byte the reports one process writes."""
        written: list[str] = []
        for workers in ("1", "2"):
            out = tmp_path / workers
            choice = ["--strategies", "live", "naive-cache", "--scenarios", "pod-churn", "random"]
            assert main([*TINY, *choice, "--workers", workers, "--out", str(out)]) == 0
            reports = ("study.json", "study-runs.json")
            written.append("".join((out / name).read_text() for name in reports))

        assert '"controller_storage": {}' not in written[0]
        assert '"storage": "controller"' in written[0]
        assert written[0] == written[1]
