"""Measure one simulated run: staleness, events, ordering and cost, from its hook records.

Everything here is computed from ``jujusim.HookRecord`` values: what the requirer charm recorded
(``services`` read at the end of the hook, ``events`` its observer received, ``emitted`` events)
against the truth of the hook, which is what the providers' committed databags held when the hook
started, distilled by the same shared code every strategy uses.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from jujusim import HookRecord, RelationSnapshot
from k8s_service_interface import ProviderRecord, build_view

from .charms import ENDPOINT, PlainService, plain

Services = tuple[PlainService, ...]
"""Plain services, in the order a requirer presented them."""


def _services(snapshots: Iterable[RelationSnapshot]) -> Services:
    records = [ProviderRecord(s.relation_id, s.remote_app, s.remote_app_data) for s in snapshots]
    return plain(build_view(records).services)


def truth(record: HookRecord) -> Services:
    """The services a requirer should present in a hook, by integer relation id.

    Those of its providers' committed data at hook start, the relation being broken left out.
    """
    breaking = record.relation_id if record.hook.endswith("-relation-broken") else None
    return _services(
        s
        for s in record.relations_at_start.values()
        if s.endpoint == ENDPOINT and not s.broken and s.relation_id != breaking
    )


def hook_kind(record: HookRecord) -> str:
    """The hook's kind without its endpoint (``relation-changed``, ``update-status``, ...)."""
    name = record.hook
    return "relation-" + name.rsplit("-relation-", 1)[1] if "-relation-" in name else name


@attrs.define
class RunMetrics:
    """Every measure of one run (one strategy, one scenario, one seed)."""

    hooks: int = 0
    """Requirer hooks that ran successfully."""
    failed_hooks: int = 0
    """Requirer hooks that failed for a reason other than an injected failure."""
    stale_hooks: int = 0
    """Hooks whose ``services`` (content) differed from the hook's truth: the providers'
    committed data at hook start."""
    notified_stale_hooks: int = 0
    """Hooks whose ``services`` (content) differed from what the unit has been notified of:
    each relation's provider data as of the unit's last successful hook of that relation."""
    hooks_by_hook: Counter[str] = attrs.field(factory=Counter[str])
    """Requirer hooks that read ``services``, by hook kind."""
    stale_by_hook: Counter[str] = attrs.field(factory=Counter[str])
    """``stale_hooks`` by hook kind."""
    notified_stale_by_hook: Counter[str] = attrs.field(factory=Counter[str])
    """``notified_stale_hooks`` by hook kind."""
    longest_stale_run: int = 0
    """Most consecutive stale hooks of one unit."""
    stale_at_quiescence: int = 0
    """Units whose ``services`` still differed from the truth once every queue was drained."""
    truth_changes: int = 0
    """Changes of a unit's truth (content) from one of its hooks to the next."""
    events_received: int = 0
    """``services_changed`` events the charm's observer received."""
    events_emitted: int = 0
    """``services_changed`` events emitted, observed or not."""
    dropped_events: int = 0
    """Events emitted where no observer was registered (emitted minus received)."""
    duplicate_events: int = 0
    """Events that announced exactly what the previous event had announced."""
    reannounced_events: int = 0
    """Events in start or upgrade-charm that repeat the last announcement: after a Kubernetes pod
    is replaced the charm has lost its memory too, so these are wanted, not duplicates."""
    spurious_events: int = 0
    """Events that changed only the order of the services announced before."""
    stale_events: int = 0
    """Events whose content was not the truth of the hook that emitted them."""
    missed_at_quiescence: int = 0
    """Units whose last announced services (content) differ from the final truth."""
    order_disagreements: int = 0
    """1 if the requirer's units present different orders at quiescence, else 0."""
    order_flips: int = 0
    """Hooks in which a unit's order changed while the content did not."""
    tool_calls: Counter[str] = attrs.field(factory=Counter[str])
    """Hook-tool calls of requirer hooks, per tool."""
    bytes_written: list[int] = attrs.field(factory=list[int])
    """Stored-state bytes written by each requirer hook."""
    state_bytes: dict[str, int] = attrs.field(factory=dict[str, int])
    """Each requirer unit's stored-state size at the end."""
    databag_bytes: int = 0
    """Bytes of relation data (keys and values, both applications) at the end."""
    state_limit_hits: int = 0
    """``state-set`` values refused for exceeding Juju's 64 KiB limit."""
    hooks_to_first_service: list[int] = attrs.field(factory=list[int])
    """Per relation: requirer hooks from its relation-created to the first hook showing it."""
    first_service_by_app: dict[str, list[int]] = attrs.field(factory=dict[str, list[int]])
    """``hooks_to_first_service`` by provider application."""

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as plain JSON-able data, with the per-hook and largest figures."""
        hooks = max(self.hooks, 1)
        figures = attrs.asdict(self, filter=lambda field, _: field.name not in DETAIL)
        return {
            **figures,
            "stale_fraction": self.stale_hooks / hooks,
            "notified_stale_fraction": self.notified_stale_hooks / hooks,
            "tool_calls_per_hook": sum(self.tool_calls.values()) / hooks,
            "relation_get_per_hook": self.tool_calls["relation-get"] / hooks,
            "tool_calls": dict(sorted(self.tool_calls.items())),
            "bytes_written_per_hook": statistics.fmean(self.bytes_written or [0]),
            "max_bytes_written": max(self.bytes_written or [0]),
            "state_bytes_per_unit": max(self.state_bytes.values() or [0]),
        }


DETAIL = frozenset({"tool_calls", "bytes_written", "state_bytes"})
"""Fields reported only through the figures derived from them."""


def measure(
    records: Sequence[HookRecord],
    requirer_units: Iterable[str],
    *,
    final_state_bytes: dict[str, int],
    databag_bytes: int,
    state_survives_pod: bool = False,
) -> RunMetrics:
    """Compute a run's metrics from its hook records.

    The run must end with every queue drained, then an ``update-status`` on every requirer unit,
    drained again: each unit's last hook is then its state at quiescence.

    Args:
        records: Every hook record of the run, in order.
        requirer_units: The requirer units to measure (units removed during the run included).
        final_state_bytes: Stored-state size of each requirer unit still present at the end.
        databag_bytes: Relation data size at the end.
        state_survives_pod: True with controller storage, where a new pod keeps its state (so
            the charm's stored memory of what was announced survives too).
    """
    wanted = set(requirer_units)
    by_unit: dict[str, list[HookRecord]] = defaultdict(list)
    result = RunMetrics(state_bytes=dict(final_state_bytes), databag_bytes=databag_bytes)
    for record in (r for r in records if r.unit in wanted):
        result.state_limit_hits += record.state_limit_hits
        if not record.ok:
            result.failed_hooks += record.failure != "injected"
            continue
        by_unit[record.unit].append(record)
        result.hooks += 1
        result.tool_calls.update(record.tool_calls)
        result.bytes_written.append(record.bytes_written)
    finals: set[Services] = set()
    for unit, unit_records in by_unit.items():
        announced = _measure_unit(unit_records, result, forget_on_new_pod=not state_survives_pod)
        if unit not in final_state_bytes:
            continue  # removed during the run: nothing at quiescence to judge
        final_truth = set(truth(unit_records[-1]))
        result.missed_at_quiescence += set(announced or ()) != final_truth
        observed = unit_records[-1].observations.get("services")
        if observed is not None:
            finals.add(observed)
            result.stale_at_quiescence += set(observed) != final_truth
    result.dropped_events = result.events_emitted - result.events_received
    result.order_disagreements = int(len(finals) > 1)
    return result


def _measure_unit(
    records: Sequence[HookRecord], result: RunMetrics, *, forget_on_new_pod: bool
) -> Services | None:
    """Add one unit's staleness, order and event figures to ``result``.

    Returns:
        The last services the unit's observer received, or None if it received none.
    """
    stale_run = 0
    previous_truth: Services | None = None
    previous_observed: Services | None = None
    announced: Services | None = None
    created_at: dict[int, int] = {}
    shown: set[int] = set()
    notified: dict[int, RelationSnapshot] = {}  # each relation's data at its last hook's start
    for position, record in enumerate(records):
        expected = truth(record)
        observed: Services | None = record.observations.get("services")
        relation_id = record.relation_id
        if relation_id is not None:
            snapshot = record.relations_at_start.get(relation_id)
            if record.hook.endswith("-relation-broken") or snapshot is None:
                notified.pop(relation_id, None)
            elif snapshot.endpoint == ENDPOINT and not snapshot.broken:
                notified[relation_id] = snapshot
            if record.hook.endswith("-relation-created"):
                created_at.setdefault(relation_id, position)
        if previous_truth is not None and set(previous_truth) != set(expected):
            result.truth_changes += 1
        previous_truth = expected
        if observed is not None:
            kind = hook_kind(record)
            result.hooks_by_hook[kind] += 1
            if set(observed) != set(expected):
                result.stale_by_hook[kind] += 1
                result.stale_hooks += 1
                stale_run += 1
                result.longest_stale_run = max(result.longest_stale_run, stale_run)
            else:
                stale_run = 0
            context = record.relations_at_start
            if set(observed) != set(_services(s for r, s in notified.items() if r in context)):
                result.notified_stale_hooks += 1
                result.notified_stale_by_hook[kind] += 1
            if previous_observed and previous_observed != observed:
                result.order_flips += set(observed) == set(previous_observed)
            previous_observed = observed
            for shown_id, app, *_ in observed:
                if shown_id not in shown and shown_id in created_at:
                    shown.add(shown_id)
                    hooks = position - created_at[shown_id]
                    result.hooks_to_first_service.append(hooks)
                    result.first_service_by_app.setdefault(app, []).append(hooks)
        result.events_emitted += int(record.observations.get("emitted", 0))
        before_loss: Services | None = None
        if record.new_pod and forget_on_new_pod:
            # A new pod (reschedule, Kubernetes upgrade): the charm's memory of what was
            # announced is gone, so the next announcement starts from nothing.
            before_loss, announced = announced, None
        for event in record.observations.get("events", []):
            result.events_received += 1
            if announced is None and before_loss is not None and event == before_loss:
                result.reannounced_events += 1
            elif announced is not None and event == announced:
                result.duplicate_events += 1
            elif announced is not None and set(event) == set(announced):
                result.spurious_events += 1
            result.stale_events += set(event) != set(expected)
            announced = event
    return announced
