"""The checker shape, and the measured facts the documents state in words.

As in ops' consistency checker, a check is a small ``check_*`` function returning a ``Result``;
every check runs and the errors are reported together. The cost targets (``targets.py``) are
written this way, and so is ``CLAIMS``: a document that says "the naive cache stays stale after
a pod is replaced" relies on the report showing it, so every such fact is checked whenever a
document is rendered, and a report that no longer shows one fails the rendering.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from .data import Reports, Row


@attrs.frozen
class Result:
    """What one check found."""

    errors: tuple[str, ...] = ()
    """What does not hold, each in a sentence; empty when the check passes."""
    figure: str = ""
    """The measured figures that decide it."""
    measured: bool = True
    """False when the reports hold nothing to check (then ``errors`` is empty)."""


Check = Callable[[Reports], Result]
"""A check over the reports."""

NOT_MEASURED = Result(measured=False)
"""The result of a check whose figures are not in the reports."""


class CheckError(Exception):
    """One or more checks failed; the message lists every error."""


def require(checks: Sequence[Check], reports: Reports) -> None:
    """Run every check, in order; raise CheckError once, listing every error, if any failed."""
    errors = [error for check in checks for error in check(reports).errors]
    if errors:
        listed = "\n".join(f"- {error}" for error in errors)
        raise CheckError(f"facts the documents state no longer hold in the reports:\n{listed}")


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    ">": operator.gt,
    "<": operator.lt,
}

SCOPED_FACTS = """
{s} has no stale_at_quiescence {where}: {scope}/{s}/stale_at_quiescence == 0
{s} has no missed_at_quiescence {where}: {scope}/{s}/missed_at_quiescence == 0
{s} has no failed_hooks {where}: {scope}/{s}/failed_hooks == 0
"""
"""Facts of both shipped backends (``{s}``) over every run and in each of ``SCOPES``."""

SHIPPED_FACTS = """
{s} has no dropped events: summary/{s}/dropped_events == 0
{s} has no duplicate events: summary/{s}/duplicate_events == 0
{s} has no order-only events: summary/{s}/spurious_events == 0
{s} units never disagree on order: summary/{s}/order_disagreements == 0
{s} never flips order: summary/{s}/order_flips == 0
{s} re-announces its services after the pod is replaced: by_scenario/pod-churn/{s}/reannounced_events > 0
negotiating adds no hook before {s}'s first service: by_scenario/mixed-versions/{s}/median_hooks_to_first_service == by_scenario/steady/{s}/median_hooks_to_first_service
{s} is right in every update-status of realistic-mix: by_scenario/realistic-mix/{s}/stale_by_hook/update-status == 0
{s} is right by both truths in every update-status of realistic-mix: by_scenario/realistic-mix/{s}/notified_stale_by_hook/update-status == 0
{s} never hits the 64 KiB limit with controller storage: controller_storage/{s}/state_limit_hits == 0
{s} makes more hook-tool calls with controller storage: controller_storage/{s}/tool_calls_per_hook > summary/{s}/tool_calls_per_hook
"""  # noqa: E501 (one fact a line: the statement, a path into study.json, a comparison, and a number or another path)
"""Facts of both shipped backends (``{s}``)."""

STUDY_FACTS = """
the live backend is never stale: summary/live/stale_hooks == 0
the live backend announces no stale event: summary/live/stale_events == 0
the stored cache lags: summary/stored/stale_hooks > 0
a stored event can show another relation's old data: summary/stored/stale_events > 0
the stored backend makes fewer relation-get calls: summary/stored/relation_get_per_hook < summary/live/relation_get_per_hook
the stored backend keeps more state: summary/stored/state_bytes_per_unit > summary/live/state_bytes_per_unit
init-emit emits events: summary/init-emit/events_emitted > 0
init-emit's every event is dropped: summary/init-emit/events_received == 0
hybrid drops nothing: summary/hybrid/dropped_events == 0
hybrid misses a change in broken-while-data-changes: by_scenario/broken-while-data-changes/hybrid/missed_at_quiescence > 0
hybrid misses a change in pod-churn: by_scenario/pod-churn/hybrid/missed_at_quiescence > 0
the naive cache's units disagree on order: summary/naive-cache/order_disagreements > 0
the naive cache stays stale after the pod is replaced in pod-churn: by_scenario/pod-churn/naive-cache/stale_at_quiescence > 0
the naive cache stays stale after the pod is replaced in upgrade-during-port-change: by_scenario/upgrade-during-port-change/naive-cache/stale_at_quiescence > 0
the naive cache's pod-replacement fault is the substrate's: controller_by_scenario/pod-churn/naive-cache/stale_at_quiescence == 0
the naive cache's reschedule fault is the substrate's: controller_by_scenario/reschedule/naive-cache/stale_at_quiescence == 0
hybrid's pod-replacement fault is the substrate's: controller_by_scenario/pod-churn/hybrid/missed_at_quiescence == 0
the naive cache stays wrong after a skipped hook with controller storage: controller_by_scenario/skipped-hook/naive-cache/missed_at_quiescence > 0
the naive cache stays wrong after a skipped hook with local storage: by_scenario/skipped-hook/naive-cache/missed_at_quiescence > 0
the stored backend is off what the unit was notified of less often: summary/stored/notified_stale_fraction < summary/live/notified_stale_fraction
the stored backend is off what the unit was notified of less often in realistic-mix: by_scenario/realistic-mix/stored/notified_stale_fraction < by_scenario/realistic-mix/live/notified_stale_fraction
the stored backend with no re-read stays stale after a skip: heal_budget/0/skipped-hook-many/stale_at_quiescence > 0
the stored backend's default re-read heals a skip: heal_budget/2/skipped-hook-many/stale_at_quiescence == 0
two re-reads per event heal a skip faster than one: heal_budget/2/skipped-hook-many/stale_hooks < heal_budget/1/skipped-hook-many/stale_hooks
two re-reads per event cost more relation-get than one: heal_budget/2/realistic-mix/relation_get_per_hook > heal_budget/1/realistic-mix/relation_get_per_hook
four re-reads per event cost more relation-get than two: heal_budget/4/realistic-mix/relation_get_per_hook > heal_budget/2/realistic-mix/relation_get_per_hook
the live backend's relation-get calls grow with relations: by_scenario/many-relations/live/relation_get_per_hook > by_scenario/steady/live/relation_get_per_hook
advertising versions costs bytes on the wire: by_scenario/steady/live/databag_bytes > by_scenario/steady/hybrid/databag_bytes
"""  # noqa: E501
"""Facts of one strategy or comparing two."""

SCOPES = ("pod-churn", "upgrade-during-port-change", "mixed-versions")
"""The scenarios ``SCOPED_FACTS`` are checked in, besides over all runs."""


def facts() -> Iterator[tuple[str, str, str, str]]:
    """Every study fact: statement, path, comparison, and a number or another path."""
    scopes = [("summary", "over all runs"), *((f"by_scenario/{n}", f"in {n}") for n in SCOPES)]
    lines = STUDY_FACTS.strip().splitlines() + [
        line.format(s=s, scope=scope, where=where)
        for s in ("live", "stored")
        for template, places in ((SHIPPED_FACTS, [("", "")]), (SCOPED_FACTS, scopes))
        for scope, where in places
        for line in template.strip().splitlines()
    ]
    for line in lines:
        statement, comparison = line.rsplit(": ", 1)
        path, op, other = comparison.split()
        yield statement, path, op, other


def check_study_facts(reports: Reports) -> Result:
    """Every study fact holds in ``study.json`` (controller facts only if that was run)."""
    errors: list[str] = []
    for statement, path, op, other in facts():
        if path.startswith("controller_storage") and not reports.study.controller_storage:
            continue
        left, right = reports.study.lookup(path), reports.study.lookup(other)
        if not OPERATORS[op](left, right):
            errors.append(f"the docs say {statement}, but {path} = {left} ({op} {right} fails)")
    return Result(tuple(errors))


STORED_WRITE_BOUND = 17 * 1024
"""What the documents say one stored relation event writes at most: one cache chunk (at most
16 KiB of JSON, as ``docs/decisions/0005`` says) with ops' framing around it."""

COST_FACTS: Sequence[tuple[str, str, str, Callable[[Row], bool]]] = (
    ("live", "update-status-no-read", "reads nothing", lambda r: r.calls("relation-get") == 0),
    ("live", "update-status-read", "makes N relation-get",
     lambda r: r.calls("relation-get") == r.relations),
    ("live", "update-status-read-twice", "makes N relation-get",
     lambda r: r.calls("relation-get") == r.relations),
    ("stored", "update-status-read", "reads nothing", lambda r: r.calls("relation-get") == 0),
    ("stored", "relation-changed", "reads at most three bags",
     lambda r: r.calls("relation-get") <= 3),
    ("stored", "relation-changed", "writes one chunk of at most 16 KiB",
     lambda r: r.bytes_written <= STORED_WRITE_BOUND),
)  # fmt: skip
"""What the documents state, in words, of each charm and kind's ``relation-get`` calls and
state writes."""


def check_cost_facts(reports: Reports) -> Result:
    """The cost facts the documents state, in every local case measured."""
    if reports.costs is None:
        return NOT_MEASURED
    errors = [
        f"the docs say a {backend} {kind} {statement}, but at N={row.relations}, M={row.units}, "
        f"wire {row.wire} it made {row.calls('relation-get')} relation-get and wrote "
        f"{row.bytes_written} bytes"
        for backend, kind, statement, holds in COST_FACTS
        for wire in ("v2", "v0")
        for row in reports.costs.select(wire=wire, backend=backend, kind=kind)
        if row.ok and not holds(row)
    ]
    return Result(tuple(errors))


CLAIMS: Sequence[Check] = (check_study_facts, check_cost_facts)
"""Every fact check the documents rely on."""
