"""One unit agent: its local state and the resolver that picks its next hook.

The order of the resolvers is Juju's ``uniterResolver.NextOp`` (``worker/uniter/resolver.go``);
the per-relation resolver is ``_relation_view.next_relation_hook``.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import EllipsisType, MappingProxyType

import ops

from ._controller import Relation, app_of, sort_units
from ._records import ActionRun, HookSpec, RelationSnapshot
from ._relation_view import RelationView, next_relation_hook, relation_list
from .vocabulary import LifecycleHook


class UnitAgent:
    """The simulated unit agent of one unit.

    Attributes:
        started: Whether ``start`` has succeeded since the pod last started.
        new_pod: Whether no hook has succeeded since the pod started (see ``HookRecord``).
        dying: Whether the unit is being removed; ``dead``, whether it has run ``remove``.
        views: Relations in the unit's hook context, by id.
        to_create: Relations whose ``relation-created`` the unit still has to run, by id.
        lifecycle: Pending lifecycle hooks, in order; each name at most once.
        pinned: Whether the first lifecycle hook runs before ``relation-created`` (``stop``
            on an old pod, ``upgrade-charm`` on a new pod, ``start`` after a container
            restart, as Juju's reboot and upgrade resolvers come first).
        queued: The lifecycle hook Juju queued when the last hook committed (``config-changed``
            after ``upgrade-charm``, ``start`` after the first ``config-changed``), which runs
            before any event hook (``worker/uniter/operation/runhook.go`` ``Commit``).
        next_update_status: The model time of the unit's next update-status timer tick.
        workloads: Containers whose ``pebble-ready`` is pending, in arrival order.
        secrets: Secrets with a new revision to tell the unit of (id to label); later revisions
            of a pending secret add nothing, as Juju compares revisions.
        actions: Actions queued on the unit, in the order they were run.
        failed: The hook that failed and must be retried before anything else.
        failed_attempts: How many times ``failed`` has failed so far.
        retry_not_before: The hook count before which the retry must not run (unless no other
            unit has anything to do).
        fail_plan: Injected failures still to happen (None: the next hook of any name).
        old_charm: While an upgrade waits for the old pod's ``stop``, the charm class that pod
            runs (None otherwise).
        local_rows: The unit's ``snapshot`` rows after its last hook (local storage).
    """

    def __init__(self, name: str, charm_dir: Path, seed: int, now: float = 0.0) -> None:
        self.name = name
        self.app = app_of(name)
        self.charm_dir = charm_dir
        self.installed = False
        self.started = False
        self.new_pod = True
        self.stopped = False
        self.dying = False
        self.dead = False
        self.views: dict[int, RelationView] = {}
        self.to_create: dict[int, Relation] = {}
        self.lifecycle: deque[LifecycleHook] = deque()
        self.pinned = False
        self.queued: LifecycleHook | None = None
        self.update_status_pending = False
        self.next_update_status = now
        self.workloads: list[str] = []
        self.secrets: dict[str, str | None] = {}
        self.actions: deque[ActionRun] = deque()
        self.failed: HookSpec | None = None
        self.failed_attempts = 0
        self.retry_not_before = 0
        self.fail_plan: list[str | None] = []
        self.old_charm: type[ops.CharmBase] | None = None
        self.local_rows: dict[str, bytes] = {}
        self._seed = (seed, zlib.crc32(name.encode()))
        self._dispatches = 0
        self._stale: set[int] = set()
        self._work: dict[int, HookSpec] = {}
        self._next: HookSpec | EllipsisType | None = ...  # ...: not computed yet
        self._snap_entries: dict[int, RelationSnapshot] = {}
        self._snap_stale: set[int] = set()
        self._snap_map: Mapping[int, RelationSnapshot] = MappingProxyType({})

    # -- change notification ---------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget the cached next hook (something the resolver reads has changed)."""
        self._next = ...

    def mark(self, relation_id: int) -> None:
        """Note that relation ``relation_id`` changed in a way this unit may react to."""
        self._stale.add(relation_id)
        self._snap_stale.add(relation_id)
        self._next = ...

    def enqueue(self, hook: LifecycleHook) -> None:
        """Queue a lifecycle hook at the back, unless it is already pending."""
        if hook not in self.lifecycle:
            self.lifecycle.append(hook)
        self._next = ...

    def enqueue_front(self, hooks: Iterable[LifecycleHook]) -> None:
        """Queue lifecycle hooks in front of everything, dropping later copies of them.

        The first of them is pinned: it runs before any pending ``relation-created``.
        """
        first: list[LifecycleHook] = list(hooks)
        rest: list[LifecycleHook] = [h for h in self.lifecycle if h not in first]
        self.lifecycle = deque(first + rest)
        self.pinned = True
        self._next = ...

    # -- the resolver ----------------------------------------------------------------------

    def next_hook(self) -> HookSpec | None:
        """The hook this unit would run next, or None if it has nothing to do.

        A pure function of the simulated state (and the seed), so asking does not change what
        happens next.
        """
        if self._next is ...:
            self._next = self._compute()
        return self._next

    def _compute(self) -> HookSpec | None:
        """Juju's resolvers in ``uniterResolver.NextOp`` order, as the package docstring lists.

        Workload, secret and action events come only with no hook queued by the last commit
        (Juju's ``operation.Continue``).
        """
        if self.dead:
            return None
        if self.failed is not None:
            return self._action_hook() if self.installed and self.actions else self.failed
        head = self.lifecycle[0] if self.lifecycle else None
        if not self.installed:
            return HookSpec(kind="install") if head == "install" else None
        if head is not None and self.pinned:
            return HookSpec(kind=head)
        if self.to_create and not self.dying:
            view = RelationView.of(self.to_create[min(self.to_create)], self.app)
            return HookSpec(
                "relation-created", view.relation.id, view.endpoint, remote_app=view.remote_app
            )
        if "leader-elected" in self.lifecycle:
            return HookSpec(kind="leader-elected")  # the leadership resolver comes next
        if head is not None and head == self.queued:
            return HookSpec(kind=head)
        if self.workloads:
            return HookSpec(kind="pebble-ready", workload=self.workloads[0])
        if self.secrets and not self.dying:
            secret_id, label = next(iter(self.secrets.items()))
            return HookSpec(kind="secret-changed", secret_id=secret_id, secret_label=label)
        if self.actions:
            return self._action_hook()
        if head is not None:
            return HookSpec(kind=head)
        spec = self._relation_hook()
        if spec is not None:
            return spec
        if self.update_status_pending and self.started and not self.dying:
            return HookSpec(kind="update-status")
        if self.dying and all(v.relation.is_peer and not v.members for v in self.views.values()):
            return HookSpec(kind="remove" if self.stopped else "stop")
        return None

    def _action_hook(self) -> HookSpec:
        return HookSpec(kind="action", action=self.actions[0])

    def add_pending_relation(self, relation: Relation) -> None:
        """Note that the unit has to run ``relation-created`` for ``relation``."""
        self.to_create[relation.id] = relation
        self._next = ...

    def drop_pending_relation(self, relation_id: int) -> None:
        """Forget a pending ``relation-created`` (the relation died before the unit saw it).

        A failed ``relation-created`` of that relation is not retried either: the relation (or
        the unit) is going away, and Juju drops the hooks it no longer owes.
        """
        failed = self.failed
        if failed and failed.kind == "relation-created" and failed.relation_id == relation_id:
            self.failed = None
            self.failed_attempts = 0
        if self.to_create.pop(relation_id, None) is not None:
            self._next = ...

    def _relation_hook(self) -> HookSpec | None:
        """Pick a relation with pending work, like Go's random map order but seeded.

        Each relation's next hook is cached until the relation is marked again; the pick among
        relations with work hashes the relation id with the seed, the unit and how many hooks it
        has dispatched.
        """
        for relation_id in self._stale:
            view = self.views.get(relation_id)
            spec = None if view is None else next_relation_hook(view, self.name, dying=self.dying)
            if spec is None:
                self._work.pop(relation_id, None)
            else:
                self._work[relation_id] = spec
        self._stale.clear()
        if not self._work:
            return None
        if self.started or self.dying:
            candidates = list(self._work)
        else:
            # Before start only a removed relation may be torn down.
            candidates = [r for r in self._work if not self.views[r].relation.alive]
            if not candidates:
                return None
        salt = (*self._seed, self._dispatches)
        return self._work[min(candidates, key=lambda r: hash((salt, r)))]

    # -- running and committing ------------------------------------------------------------

    def begin_created(self, relation_id: int) -> RelationView:
        """Enter a relation: it is in the hook context from its ``relation-created`` on."""
        if relation_id not in self.views:
            self.views[relation_id] = RelationView.of(self.to_create[relation_id], self.app)
        self.mark(relation_id)
        return self.views[relation_id]

    def dispatched(self) -> None:
        """Count a dispatch of this unit (it reseeds the choice among relations)."""
        self._dispatches += 1
        self._next = ...

    def commit(self, spec: HookSpec) -> None:
        """Record the local-state change of a hook that succeeded (Juju's ``CommitHook``).

        An action leaves a hook in error as it was (``operation/runaction.go`` ``Commit`` keeps
        the recorded hook).
        """
        kind = spec.kind
        if kind != "action":
            self.failed = None
            self.failed_attempts = 0
        if spec.relation_id is None:
            if self.lifecycle and self.lifecycle[0] == kind:
                self.pinned = False
            if kind in self.lifecycle:
                self.lifecycle.remove(kind)
            if kind == "install":
                self.installed = True
            elif kind == "start":
                self.started = True
            elif kind == "stop" and self.old_charm is None:
                self.stopped = True
            elif kind == "remove":
                self.dead = True
            elif kind == "update-status":
                self.update_status_pending = False
            elif kind == "pebble-ready" and spec.workload in self.workloads:
                self.workloads.remove(spec.workload)
            elif kind == "secret-changed":
                self.secrets.pop(spec.secret_id or "", None)
            elif spec.action in self.actions:
                self.actions.remove(spec.action)
            queue_start = kind == "config-changed" and not self.started
            self.queued = "config-changed" if kind == "upgrade-charm" else None
            self.queued = "start" if queue_start else self.queued
            self._next = ...
            return
        relation_id = spec.relation_id
        self.mark(relation_id)
        if kind == "relation-created":
            self.to_create.pop(relation_id, None)
            return
        view = self.views.get(relation_id)
        if view is None:
            return
        unit = spec.remote_unit
        if kind == "relation-joined" and unit is not None:
            view.members[unit] = spec.version
            view.changed_pending = unit
        elif kind == "relation-changed" and unit is not None:
            view.members[unit] = spec.version
            if view.changed_pending == unit:
                view.changed_pending = None
        elif kind == "relation-changed" and spec.remote_app is not None:
            view.app_seen[spec.remote_app] = spec.version
        elif kind == "relation-departed" and unit is not None:
            view.members.pop(unit, None)
            if view.changed_pending == unit:
                view.changed_pending = None
        elif kind == "relation-broken":
            del self.views[relation_id]

    def fail(self, spec: HookSpec, hook_index: int) -> None:
        """Record that ``spec`` failed: Juju retries it, later, before any other hook."""
        self.failed = spec
        self.failed_attempts += 1
        self.retry_not_before = hook_index + 2  # at least one other hook runs first
        self._next = ...

    # -- relation snapshots for hook records -----------------------------------------------

    def relations_at_start(self, spec: HookSpec) -> Mapping[int, RelationSnapshot]:
        """The relations in the hook context now, as immutable snapshots."""
        if self._snap_stale:
            entries = self._snap_entries
            for relation_id in self._snap_stale:
                view = self.views.get(relation_id)
                if view is None:
                    entries.pop(relation_id, None)
                else:
                    units = sort_units(view.members)
                    entries[relation_id] = _snapshot(view, units, view.juju_broken())
            self._snap_stale.clear()
            self._snap_map = MappingProxyType(dict(entries))
        relation_id = spec.relation_id
        if relation_id is not None and relation_id in self.views:
            view = self.views[relation_id]
            units = relation_list(view, spec)
            broken = spec.kind == "relation-broken" or view.juju_broken()
            cached = self._snap_map[relation_id]
            if broken != cached.broken or units != list(cached.remote_units):
                return MappingProxyType(
                    {**self._snap_map, relation_id: _snapshot(view, units, broken)}
                )
        return self._snap_map


def _snapshot(view: RelationView, units: list[str], broken: bool) -> RelationSnapshot:
    relation = view.relation
    return RelationSnapshot(
        relation_id=relation.id,
        endpoint=view.endpoint,
        remote_app=view.remote_app,
        remote_app_data=relation.data(view.remote_app),
        remote_units=tuple(units),
        remote_units_data=MappingProxyType({u: relation.bag(u).data for u in units}),
        broken=broken,
    )
