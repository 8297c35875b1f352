"""The closed vocabularies the simulator, the study and the benchmarks share, as ``Literal`` types.

Every name here is a string on the wire (in JSON reports, on the command line), so each type
is a ``Literal`` with a tuple of its values beside it, taken from the ``Literal`` itself
(``typing.get_args``), so each vocabulary is written once and its order (the one reports use)
is the ``Literal``'s.
Nothing here imports the rest of ``jujusim``, so any layer can use it.
"""

from __future__ import annotations

from typing import Literal, get_args

Storage = Literal["local", "controller"]
"""Where a unit keeps its stored state: ops' SQLite file or Juju's ``state-set``."""

STORAGES: tuple[Storage, ...] = get_args(Storage)

HookToolMode = Literal["inprocess", "exec"]
"""How the simulator answers hook tools: inside the process or by executing a binary."""

HOOK_TOOL_MODES: tuple[HookToolMode, ...] = get_args(HookToolMode)

LifecycleHook = Literal[
    "install",
    "leader-elected",
    "config-changed",
    "start",
    "upgrade-charm",
    "update-status",
    "stop",
    "remove",
]
"""The hooks of a unit that belong to no relation."""

RelationHook = Literal[
    "relation-created",
    "relation-joined",
    "relation-changed",
    "relation-departed",
    "relation-broken",
]
"""The hooks of a relation, without the endpoint prefix."""

EventHook = Literal["pebble-ready", "secret-changed", "action"]
"""Events from outside the unit's lifecycle: a workload container's Pebble came up, a secret it
consumes has a new revision, an action was run on it (hook names get the container or action
name in front: ``<container>-pebble-ready``, ``<action>-action``)."""

HookKind = Literal[LifecycleHook, EventHook, RelationHook]
"""A Juju hook kind (a relation hook without its ``<endpoint>-`` prefix)."""

ActionStatus = Literal["pending", "completed", "failed"]
"""Where an action run is: queued on its unit, or run and how it ended."""

FailureKind = Literal["injected", "charm"]
"""Why a hook failed: a failure the simulator was told to inject, or the charm (or ops) raising."""

LibraryBackend = Literal["live", "stored"]
"""The library's two requirer backends (``interface_live``, ``interface_stored``)."""

LIBRARY_BACKENDS: tuple[LibraryBackend, ...] = get_args(LibraryBackend)

Baseline = Literal["init-emit", "hybrid", "naive-cache"]
"""The naive requirer designs the study measures beside the library (``study.baselines``)."""

BASELINES: tuple[Baseline, ...] = get_args(Baseline)

Strategy = Literal[LibraryBackend, Baseline]
"""A requirer design the sync-correctness study runs."""

STRATEGIES: tuple[Strategy, ...] = (*LIBRARY_BACKENDS, *BASELINES)
"""Every strategy of the study, in report order."""

ReferenceCharm = Literal["noop", "ops-read"]
"""The benchmarks' reference charms: one that does nothing, one that reads relation data with
plain ops (no library)."""

BenchBackend = Literal[ReferenceCharm, LibraryBackend]
"""A requirer charm the cost benchmarks measure."""

BENCH_BACKENDS: tuple[BenchBackend, ...] = get_args(BenchBackend)

BenchKind = Literal[
    "rebuild",
    "update-status",
    "update-status-no-read",
    "update-status-read",
    "update-status-read-twice",
    "relation-changed",
]
"""A benchmarked hook situation: ``rebuild`` is the first hook after the state was lost,
``update-status`` is the no-op charm's (the baseline of the three ``update-status-*``), and
``relation-changed`` follows one provider publishing a new port; in the order they run on a
model."""

BENCH_KINDS: tuple[BenchKind, ...] = get_args(BenchKind)

Wire = Literal["v2", "v0"]
"""What the providers publish: our provider's v2 bag, or the 2020 provider's flat v0 bag."""

WIRES: tuple[Wire, ...] = get_args(Wire)
