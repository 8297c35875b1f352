"""The measured facts the documents state in words, checked against the reports.

A document that says "the naive cache stays stale after a pod is replaced" relies on the report
showing it; ``CLAIMS`` checks every such fact whenever a document is rendered, so that a report
which no longer shows one fails the rendering (every failed fact listed) instead of leaving a
document that contradicts its own tables.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from .checks import NOT_MEASURED, Check, Result
from .data import Reports

OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
}

STUDY_FACTS: Sequence[tuple[str, str, str, str | int]] = (
    *(
        (f"{s} has no {key}", f"{scope}/{s}/{key}", "==", 0)
        for s in ("live", "stored")
        for scope in (
            "summary",
            "by_scenario/pod-churn",
            "by_scenario/upgrade-during-port-change",
            "by_scenario/mixed-versions",
        )
        for key in ("stale_at_quiescence", "missed_at_quiescence", "failed_hooks")
    ),
    *(
        (f"{s} has no {key}", f"summary/{s}/{key}", "==", 0)
        for s in ("live", "stored")
        for key in (
            "dropped_events",
            "duplicate_events",
            "spurious_events",
            "order_disagreements",
            "order_flips",
        )
    ),
    ("the live backend is never stale", "summary/live/stale_hooks", "==", 0),
    ("the live backend announces no stale event", "summary/live/stale_events", "==", 0),
    ("the stored cache lags", "summary/stored/stale_hooks", ">", 0),
    ("a stored event can show another relation's old data", "summary/stored/stale_events", ">", 0),
    (
        "the stored backend makes fewer relation-get calls",
        "summary/stored/relation_get_per_hook",
        "<",
        "summary/live/relation_get_per_hook",
    ),
    (
        "the stored backend keeps more state",
        "summary/stored/state_bytes_per_unit",
        ">",
        "summary/live/state_bytes_per_unit",
    ),
    ("init-emit emits events", "summary/init-emit/events_emitted", ">", 0),
    ("init-emit's every event is dropped", "summary/init-emit/events_received", "==", 0),
    ("hybrid drops nothing", "summary/hybrid/dropped_events", "==", 0),
    (
        "hybrid misses a change in broken-while-data-changes",
        "by_scenario/broken-while-data-changes/hybrid/missed_at_quiescence",
        ">",
        0,
    ),
    (
        "hybrid misses a change in pod-churn",
        "by_scenario/pod-churn/hybrid/missed_at_quiescence",
        ">",
        0,
    ),
    (
        "the naive cache's units disagree on order",
        "summary/naive-cache/order_disagreements",
        ">",
        0,
    ),
    (
        "the naive cache stays stale after the pod is replaced in pod-churn",
        "by_scenario/pod-churn/naive-cache/stale_at_quiescence",
        ">",
        0,
    ),
    (
        "the naive cache stays stale after the pod is replaced in upgrade-during-port-change",
        "by_scenario/upgrade-during-port-change/naive-cache/stale_at_quiescence",
        ">",
        0,
    ),
    *(
        (
            f"{s} re-announces its services after the pod is replaced",
            f"by_scenario/pod-churn/{s}/reannounced_events",
            ">",
            0,
        )
        for s in ("live", "stored")
    ),
    (
        "the live backend's relation-get calls grow with relations",
        "by_scenario/many-relations/live/relation_get_per_hook",
        ">",
        "by_scenario/steady/live/relation_get_per_hook",
    ),
    (
        "advertising versions costs bytes on the wire",
        "by_scenario/steady/live/databag_bytes",
        ">",
        "by_scenario/steady/hybrid/databag_bytes",
    ),
    *(
        (
            f"{s} never hits the 64 KiB limit with controller storage",
            f"controller_storage/{s}/state_limit_hits",
            "==",
            0,
        )
        for s in ("live", "stored")
    ),
    *(
        (
            f"{s} makes more hook-tool calls with controller storage",
            f"controller_storage/{s}/tool_calls_per_hook",
            ">",
            f"summary/{s}/tool_calls_per_hook",
        )
        for s in ("live", "stored")
    ),
)
"""Each study fact: the statement, a path into ``study.json``, a comparison, and a number or
another path."""


def _lookup(reports: Reports, path: str) -> Any:
    found: Any = {
        "summary": reports.study.summary,
        "by_scenario": reports.study.by_scenario,
        "controller_storage": reports.study.controller_storage,
    }
    for key in path.split("/"):
        found = found[key]
    return found


def check_study_facts(reports: Reports) -> Result:
    """Every fact of ``STUDY_FACTS`` holds in ``study.json``."""
    errors: list[str] = []
    for statement, path, op, other in STUDY_FACTS:
        if path.startswith("controller_storage") and not reports.study.controller_storage:
            continue
        left = _lookup(reports, path)
        right = _lookup(reports, other) if isinstance(other, str) else other
        if not OPERATORS[op](left, right):
            errors.append(f"the docs say {statement}, but {path} = {left} ({op} {right} fails)")
    return Result(tuple(errors))


def check_cost_calls(reports: Reports) -> Result:
    """The hook-tool counts the documents state in words, in every local case measured."""
    if reports.costs is None:
        return NOT_MEASURED
    rules: Sequence[tuple[str, str, Callable[[int, int], bool], str]] = (
        (
            "live",
            "update-status-no-read",
            lambda g, n: g == 0,
            "a live hook that does not read services reads nothing",
        ),
        (
            "live",
            "update-status-read",
            lambda g, n: g == n,
            "a live read costs one relation-get per relation",
        ),
        (
            "live",
            "update-status-read-twice",
            lambda g, n: g == n,
            "a live read costs one relation-get per relation, however often read",
        ),
        (
            "stored",
            "update-status-read",
            lambda g, n: g == 0,
            "the stored backend reads nothing outside relation events",
        ),
        (
            "stored",
            "relation-changed",
            lambda g, n: g <= 1,
            "a stored relation event reads at most one databag",
        ),
    )
    errors = [
        f"the docs say {statement}, but {row.backend} {row.kind} at N={row.relations}, "
        f"M={row.units} made {row.calls('relation-get')} relation-get"
        for backend, kind, holds, statement in rules
        for row in reports.costs.select(backend=backend, kind=kind)
        if row.ok and not holds(row.calls("relation-get"), row.relations)
    ]
    return Result(tuple(errors))


def check_stored_writes_flat(reports: Reports) -> Result:
    """A stored relation-changed writes no more at the largest N than at the smallest."""
    if reports.costs is None:
        return NOT_MEASURED
    rows = reports.costs.select(backend="stored", kind="relation-changed", units=1)
    if len(rows) < 2:
        return NOT_MEASURED
    low, high = rows[0], rows[-1]
    if high.bytes_written < 2 * max(low.bytes_written, 1):
        return Result()
    return Result(
        (
            "the docs say the stored backend's relation-changed writes do not grow with N, but it "
            f"wrote {low.bytes_written} bytes at N={low.relations}, {high.bytes_written} at "
            f"N={high.relations}",
        )
    )


CLAIMS: Sequence[Check] = (check_study_facts, check_cost_calls, check_stored_writes_flat)
"""Every fact check the documents rely on."""
