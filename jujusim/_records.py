"""The records the simulator hands out, and the hook running now (``current_hook``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .vocabulary import ActionStatus, FailureKind, HookKind

EMPTY_BAG: Mapping[str, str] = MappingProxyType({})


@dataclasses.dataclass(frozen=True)
class RelationSnapshot:
    """What one unit sees of one relation when a hook starts.

    The mappings are shared with the controller's copy-on-write databags, so a snapshot costs
    no copying; never mutate them.

    Attributes:
        relation_id: The relation's integer id.
        endpoint: The unit's own endpoint name for this relation.
        remote_app: The application on the other side (the unit's own app for a peer relation).
        remote_app_data: The remote application databag as committed when the hook started.
        remote_units: The remote units ``relation-list`` shows at hook start, sorted by number.
        remote_units_data: The committed databag of each of ``remote_units``.
        broken: Whether the unit sees the relation as broken: during the relation's own
            ``relation-broken`` hook, and (Juju 3.4+) whenever the relation has been removed
            and no member is left in the unit's view, which leaves it out of ``relation-ids``.
    """

    relation_id: int
    endpoint: str
    remote_app: str
    remote_app_data: Mapping[str, str]
    remote_units: tuple[str, ...]
    remote_units_data: Mapping[str, Mapping[str, str]]
    broken: bool = False


@dataclasses.dataclass(frozen=True)
class HookRecord:
    """The outcome of one hook run (one dispatch of ``ops.main``).

    Two records compare equal when everything but the timings (``duration_s``, ``answer_s``,
    ``wall_s``) is equal, so that runs with the same seed and operations can be compared record
    by record.

    Attributes:
        index: Global sequence number of the hook run, from 0.
        unit: The unit that ran the hook, e.g. ``"req/0"``.
        hook: The Juju hook name, e.g. ``"k8s-service-relation-changed"``,
            ``"workload-pebble-ready"``; ``"<name>-action"`` for an action.
        relation_id: The relation of a relation hook, else None.
        remote_unit: ``JUJU_REMOTE_UNIT`` (None when empty).
        remote_app: ``JUJU_REMOTE_APP`` (None when empty).
        departing_unit: ``JUJU_DEPARTING_UNIT`` of a ``relation-departed`` hook, else None.
        ok: Whether the hook succeeded (and so committed its changes).
        error: The traceback of the failure, or None.
        failure: Why the hook failed, or None: ``"injected"`` (``Simulator.fail_next_hook``)
            or ``"charm"`` (the charm or ops raised).
        attempt: 1 for the first try of a hook, 2 and up for Juju's retries.
        tool_calls: Calls per hook tool name made during the hook.
        state_bytes: The unit's stored-state size after the hook (see ``Simulator.state_bytes``).
        bytes_written: Stored-state bytes this hook's commit wrote.
        duration_s: Thread CPU time of the dispatch in seconds.
        relations_at_start: Every relation in the unit's hook context at hook start.
        observations: What the charm noted through ``current_hook().observe``.
        state_limit_hits: How many ``state-set`` values this hook had refused for size.
        new_pod: True for the hooks a pod runs until one succeeds: after install, a
            reschedule or a Kubernetes upgrade (the charm's in-memory and workload state are new).
        answer_s: Thread CPU time the simulator spent answering hook tools in-process, part of
            ``duration_s``: ``duration_s - answer_s`` is ops' and the charm's own work. 0 in
            exec mode, where a server thread answers.
        wall_s: Wall-clock time of the dispatch in seconds.
    """

    index: int
    unit: str
    hook: str
    relation_id: int | None
    remote_unit: str | None
    remote_app: str | None
    departing_unit: str | None
    ok: bool
    error: str | None
    attempt: int
    tool_calls: Mapping[str, int]
    state_bytes: int
    bytes_written: int
    duration_s: float = dataclasses.field(compare=False)
    relations_at_start: Mapping[int, RelationSnapshot]
    observations: Mapping[str, Any]
    state_limit_hits: int = 0
    failure: FailureKind | None = None
    new_pod: bool = False
    answer_s: float = dataclasses.field(default=0.0, compare=False)
    wall_s: float = dataclasses.field(default=0.0, compare=False)


@dataclasses.dataclass(frozen=True)
class ActionRun:
    """One run of an action on a unit, and how it ended.

    Attributes:
        id: ``JUJU_ACTION_UUID`` (what ``Simulator.run_action`` returned).
        unit: The unit it runs on.
        name: The action name (``<name>-action`` is its hook name in the records).
        params: What ``action-get`` answers.
        status: ``"pending"`` until it ran, then ``"completed"`` or ``"failed"`` (the charm
            called ``event.fail()`` or raised).
        results: What the charm set with ``event.set_results`` (``action-set``).
        message: The ``event.fail`` message, or the error, of a failed action.
    """

    id: str
    unit: str
    name: str
    params: Mapping[str, Any]
    status: ActionStatus = "pending"
    results: Mapping[str, str] = dataclasses.field(default_factory=lambda: EMPTY_BAG)
    message: str = ""


@dataclasses.dataclass(frozen=True)
class HookSpec:
    """One hook a unit agent has decided to run (Juju's ``hook.Info``).

    The fields are what the hook's environment says (``JUJU_REMOTE_UNIT``,
    ``JUJU_WORKLOAD_NAME``, ...); ``kind`` has no endpoint prefix and ``version`` is the
    settings version the hook was chosen for (Juju's ``ChangeVersion``).
    """

    kind: HookKind
    relation_id: int | None = None
    endpoint: str | None = None
    remote_unit: str | None = None
    remote_app: str | None = None
    departing_unit: str | None = None
    version: int = 0
    workload: str | None = None
    secret_id: str | None = None
    secret_label: str | None = None
    action: ActionRun | None = None

    @property
    def hook_name(self) -> str:
        """The hook name: ``<endpoint>-relation-changed``, ``<container>-pebble-ready``, ..."""
        prefix = self.endpoint or self.workload or (self.action.name if self.action else None)
        return self.kind if prefix is None else f"{prefix}-{self.kind}"


@dataclasses.dataclass(kw_only=True)
class CurrentHook:
    """The hook being dispatched right now, as seen by charm code.

    The fields are those of the hook's ``HookRecord``; ``observations`` is what the charm noted
    with ``observe`` so far.
    """

    unit: str
    hook: str
    relation_id: int | None
    remote_unit: str | None
    remote_app: str | None
    attempt: int
    observations: dict[str, Any] = dataclasses.field(default_factory=dict[str, Any])

    def observe(self, key: str, value: Any) -> None:
        """Put ``value`` into the hook's ``HookRecord.observations`` under ``key``.

        A later call with the same key replaces the earlier value. Pass plain values (or
        copies): the hook record keeps a reference.

        Args:
            key: The observation name.
            value: The observed value.
        """
        self.observations[key] = value


_current: CurrentHook | None = None


def current_hook() -> CurrentHook | None:
    """Return the hook being dispatched now, or None outside a dispatch."""
    return _current


def set_current(hook: CurrentHook | None) -> None:
    """Set (or clear, with None) the hook that ``current_hook`` returns."""
    global _current
    _current = hook
