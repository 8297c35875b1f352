"""jujusim: a Juju-semantics simulator that runs the real ops dispatch for every hook.

A ``Simulator`` holds a controller (applications, units, leaders, relations and every databag)
and one agent per unit. Lifecycle operations queue hooks the way Juju's unit agents would; each
``step`` picks a unit with the seeded RNG and dispatches its next hook through the real
``ops.main`` in-process, answering the hook tools (``relation-get``, ``state-set``, ...) from the
controller, so hook-tool counts and stored-state bytes are those of a real deployment.

The public surface is what this module exports (``Simulator``, whose methods and ``clock``
drive the model; ``HookRecord``, the outcome of one hook; ``ActionRun``; ``current_hook``, through
which a charm notes what it saw), plus ``jujusim.vocabulary`` (the closed vocabularies shared with
the study and the benchmarks), ``jujusim.compat`` (every private ops and Scenario symbol the
repository relies on, and why) and ``jujusim.hooktool`` (the compiled hook-tool client).

Relation visibility (which relations a unit's hook context holds) follows Juju 3.6's unit agent:

* A relation enters a unit's hook context when the unit runs its ``relation-created`` hook for it
  (Juju joins the relation scope right before, in ``relationStateTracker.SynchronizeScopes``, and
  runs ``relation-created`` before any other hook of the relation), and it leaves the context
  when ``relation-broken`` has committed (``CommitHook`` deletes the relationer). So a relation is
  visible from ``relation-created`` on and never after ``relation-broken``.
* ``relation-ids`` lists the context's relations of the endpoint except those Juju calls broken:
  since Juju 3.4 (juju/juju PR 17464, ``contextFactory.getContextRelations`` and
  ``HookContext.RelationIds``) a non-peer relation that is dying and has no members left in the
  unit's view is left out. That covers a removed relation during its own ``relation-broken``
  hook; a unit that is itself being removed still lists the relation there (ops drops it from
  ``Model.relations`` anyway). The ids are sorted as strings, so ``ep:10`` comes before ``ep:2``.
* ``relation-get``/``relation-list -r ID`` accept any relation in the context, including the one
  being broken.
* A unit becomes a member others see (``relation-joined``) once it has entered the scope, that is
  from its own ``relation-created`` on, and stops being one when its ``relation-broken`` has
  committed (or, for peer relations, when it is removed).
* A relation removed before a unit ran its ``relation-created`` produces no hook on that unit.

Hook ordering per unit follows Juju's uniter resolvers (``worker/uniter/resolver.go``
``uniterResolver.NextOp`` and ``worker/uniter/relation/resolver.go``): a failed hook is retried
before anything else but actions (``actions/resolver.go`` runs them in a hook error state);
``install``; the first hook of a replaced pod (``stop`` on the old pod on an upgrade, then
``upgrade-charm`` on the new one, also after a reschedule; ``start`` after a container restart
in the same pod), as Juju's upgrade and reboot resolvers come first; ``relation-created``;
``leader-elected``; a hook the last commit queued (``config-changed`` after ``upgrade-charm``,
``start`` after the first ``config-changed``: ``operation/runhook.go``); with nothing queued,
``<container>-pebble-ready`` (``container/workload.go``), ``secret-changed`` (not while dying,
one per secret however many revisions: ``secrets/resolver.go``) and ``<action>-action``, in that
order; other queued lifecycle hooks (``config-changed``, ``start``, ...) in order; relation hooks
(per relation: the ``relation-changed`` owed after a join, departs, broken, remote application
changes, joins, remote unit changes, compared by settings version so that writes coalesce);
``update-status``; and, for a unit being removed, ``stop`` and ``remove`` once every relation is
torn down. A failed action fails itself, never the unit.

Time and leadership. Model time passes only in ``clock.advance``; hooks take none. Each unit
agent's update-status timer fires every ``update_status_interval`` (Juju's default 300 s) from
the agent's start (``remotestate/watcher.go``), and ``update-status`` runs once the unit is idle
and started. A leader that starts dying resigns (``worker/uniter/leadership/resolver.go``), so
its own later hooks see ``is_leader()`` False; the next unit can only claim the lease when it
expires (``worker/leadership/tracker.go``; one minute in Juju), modelled as ``leader_gap_hooks``
hooks (8) in which no unit is leader, cut short when nothing else is left to run. (In Juju,
``is-leader`` asks the lease, which may still hold for a dying leader: the simulator takes the
side a charm must be ready for.)
"""

from __future__ import annotations

from ._engine import HookLimitError, ModelClock
from ._preload import PreloadOptions
from ._records import ActionRun, CurrentHook, HookRecord, RelationSnapshot, current_hook
from ._simulator import Simulator
from ._tools import MAX_STATE_KEY, MAX_STATE_VALUE
from .vocabulary import (
    BenchBackend,
    BenchKind,
    FailureKind,
    HookKind,
    LibraryBackend,
    Storage,
    Strategy,
)

__all__ = [
    "MAX_STATE_KEY",
    "MAX_STATE_VALUE",
    "ActionRun",
    "BenchBackend",
    "BenchKind",
    "CurrentHook",
    "FailureKind",
    "HookKind",
    "HookLimitError",
    "HookRecord",
    "LibraryBackend",
    "ModelClock",
    "PreloadOptions",
    "RelationSnapshot",
    "Simulator",
    "Storage",
    "Strategy",
    "current_hook",
]
