"""The console of ``python -m benchmarks``: one line per group of cases, failures in full.

pytest's terminal reporter is off for the run (``-p no:terminal``): its per-test lines and
pytest-benchmark's tables, which time the whole simulator step, would contradict the report.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import pytest

from .cases import Case


def group_of(item: pytest.Item) -> str:
    """The group a test belongs to: its case's storage, wire, N and M, or its module."""
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get("case") if callspec is not None else None
    if isinstance(case, Case):
        return f"{case.storage} storage, {case.wire} wire, N={case.relations} M={case.units}"
    return item.nodeid.split("::")[0]


class Progress:
    """A pytest plugin printing a line per finished group of cases, and each failure at once."""

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self._write = write
        self._groups: dict[str, str] = {}
        self._sizes: Counter[str] = Counter()
        self._counts: Counter[str] = Counter()
        self._current: str | None = None
        self._started = time.perf_counter()
        self._done = 0
        self.failed = 0

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Learn each test's group, and how many tests each group has."""
        self._groups = {item.nodeid: group_of(item) for item in session.items}
        self._sizes = Counter(self._groups.values())
        self._write(f"benchmarks: {len(session.items)} cases in {len(self._sizes)} groups")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count each test's outcome; print a failure at once, and a group once it is done."""
        if report.when != "call" and not (report.failed or report.skipped):
            return
        group = self._groups.get(report.nodeid, report.nodeid)
        if group != self._current:
            self._current, self._counts = group, Counter()
        self._counts[report.outcome] += 1
        if report.failed:
            self.failed += 1
            self._write(f"FAILED {report.nodeid} ({report.when})\n{report.longreprtext}")
        if self._counts.total() == self._sizes[group]:
            self._done += 1
            counts = ", ".join(f"{n} {name}" for name, n in sorted(self._counts.items()))
            elapsed, self._started = time.perf_counter() - self._started, time.perf_counter()
            self._write(f"  [{self._done}/{len(self._sizes)}] {group}: {counts} ({elapsed:.1f}s)")
