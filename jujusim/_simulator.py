"""The public ``Simulator``: lifecycle operations, the seeded hook scheduler, and queries."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ops

from . import _lifecycle as lifecycle
from ._engine import Engine, ModelClock
from ._preload import PreloadOptions, settle_providers
from ._records import ActionRun, HookRecord
from ._runner import skip_failed
from ._storage import STATE_FILE, read_snapshot_rows, rows_size, state_size
from .vocabulary import HookToolMode, Storage

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is Python 3.11+


class Simulator:
    """A Juju model in-process: a controller, unit agents, and the real ops dispatch per hook.

    Operations (``add_app``, ``relate``, ``remove_unit``, ...) change the controller and queue
    hooks on unit agents; ``step`` runs one pending hook of a unit chosen by the seeded RNG.
    The same seed and the same sequence of calls give the same hook records.

    Args:
        seed: Seed for the choice of which unit runs next (and among its relations).
        workdir: Where unit charm directories go (a temporary directory if None).
        storage: ``"local"`` for ops' SQLite state per unit, ``"controller"`` for Juju's
            ``state-get``/``state-set`` (``ops.main(..., use_juju_for_storage=True)``).
        hook_tools: ``"inprocess"`` answers hook tools inside the process (ops' ``subprocess``
            is replaced for each dispatch); ``"exec"`` runs them as real executables on
            ``PATH`` that talk to the simulator over a Unix socket: a compiled client
            (``jujusim/hooktool.c``, built with the machine's ``cc``), or a Python script
            when there is no compiler.
        model_name: ``JUJU_MODEL_NAME``.
        update_status_interval: The initial ``clock.update_status_interval`` (seconds).
        leader_gap_hooks: After a leader resigns, how many hooks run in the model before
            another unit is elected (sooner if nothing else is left to run): Juju's lease
            expiry, in which no unit is leader (see ``remove_unit``).

    Attributes:
        clock: The model clock (``now``, ``advance``, ``update_status_interval``).
        tool_client: What the hook tools on ``PATH`` run: ``"_jujusim_tool_c"``, the compiled
            client (exec mode, when it could be built), or ``"_jujusim_tool"``, the script.
        workdir: The directory holding one charm directory per unit (``<app>-<n>``).
        model_name: ``JUJU_MODEL_NAME``; ``model_uuid``, ``JUJU_MODEL_UUID`` (derived from the
            model name and seed).
    """

    def __init__(
        self,
        seed: int = 0,
        workdir: Path | str | None = None,
        storage: Storage = "local",
        *,
        hook_tools: HookToolMode = "inprocess",
        model_name: str = "jujusim",
        update_status_interval: float = 300.0,
        leader_gap_hooks: int = 8,
    ) -> None:
        self._engine = Engine(seed, workdir, storage, hook_tools, model_name, leader_gap_hooks)
        self.clock = ModelClock(self._engine)
        self.clock.update_status_interval = update_status_interval
        self.tool_client: str = self._engine.tool_client
        self.workdir = self._engine.workdir
        self.model_name = model_name
        self.model_uuid = self._engine.model_uuid

    # -- context management ----------------------------------------------------------------

    def close(self) -> None:
        """Stop the exec-mode tool server and remove temporary directories."""
        self._engine.close()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- lifecycle operations --------------------------------------------------------------

    def add_app(
        self,
        name: str,
        charm_class: type[ops.CharmBase],
        meta: Mapping[str, Any],
        units: int = 1,
        config: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """Deploy ``units`` units of ``charm_class`` as ``name``; return the new unit names.

        ``meta`` is the charm's ``metadata.yaml`` content, ``config`` what ``config-get``
        answers. Each unit gets its own charm directory (``metadata.yaml``, ``actions.yaml``
        from ``meta["actions"]``) and its own ``.unit-state.db``; the first becomes leader.
        Queued per unit: ``install``, ``leader-elected`` (leader only), ``config-changed``,
        ``start``; peer relations too.
        """
        return lifecycle.add_app(self._engine, name, charm_class, meta, units, config or {})

    def add_unit(self, app: str) -> str:
        """Add a unit to ``app`` and return its name.

        The unit runs ``install``, ``relation-created`` for each of the app's relations,
        ``config-changed`` and ``start`` (and ``leader-elected`` if the app had no leader).
        """
        return lifecycle.add_unit(self._engine, app)

    def preload(
        self,
        requirer_app: str,
        requirer_charm: type[ops.CharmBase],
        **options: Unpack[PreloadOptions],
    ) -> dict[int, str]:
        """Deploy a requirer related to ``providers`` provider applications, already settled.

        Relating N providers through hooks costs O(N^2) work; this writes the model as if every
        hook had run: every unit is installed, started and in every relation's scope, and has
        seen every other unit join and every databag (unit databags are empty); the first unit
        of each application is leader. Nothing is pending, no charm ran, no state is stored.

        Args:
            requirer_app: The requirer application's name (not deployed yet).
            requirer_charm: The charm class the requirer's units run.
            **options: The provider side and the databags: ``jujusim.PreloadOptions``.

        Returns:
            The provider application of each relation, by relation id (in creation order).

        Raises:
            ValueError: If an application exists already, a metadata declares peer relations,
                or the two charms do not have exactly one pair of endpoints to relate.
        """
        return settle_providers(self._engine, requirer_app, requirer_charm, options)

    def relate(self, app1: str, endpoint1: str, app2: str, endpoint2: str) -> int:
        """Relate two application endpoints and return the relation id.

        Every unit of both applications runs ``relation-created``.
        """
        return lifecycle.relate(self._engine, app1, endpoint1, app2, endpoint2)

    def unrelate(self, relation_id: int) -> None:
        """Remove a relation: every unit in it runs departed for each member, then broken.

        Changes still pending for the relation are dropped, as Juju does.
        """
        lifecycle.unrelate(self._engine, relation_id)

    def remove_unit(self, unit: str) -> None:
        """Remove a unit: it departs every relation, runs broken, ``stop`` and ``remove``.

        The other units see it depart once it has left each relation. A leader resigns at once,
        so its own remaining hooks see ``is_leader()`` False; the lowest-numbered remaining unit
        is elected (and runs ``leader-elected``) after ``leader_gap_hooks`` hooks, or once the
        model has nothing else to run; in between no unit is leader.
        """
        lifecycle.remove_unit(self._engine, unit)

    def scale(self, app: str, units: int) -> list[str]:
        """Scale ``app`` to ``units`` units, as Kubernetes scales a StatefulSet; return new ones.

        New units are added as by ``add_unit``; on scale-down the highest-numbered units are
        removed first (each as by ``remove_unit``); zero removes every unit.
        """
        return lifecycle.scale(self._engine, app, units)

    def migrate(self) -> None:
        """Migrate the model: started units rerun relation-changed per remote unit and app."""
        lifecycle.migrate(self._engine)

    def set_leader(self, unit: str) -> None:
        """Make ``unit`` its application's leader (also in a lease gap); it runs leader-elected."""
        lifecycle.set_leader(self._engine, unit)

    def upgrade_charm(self, app: str, charm_class: type[ops.CharmBase] | None = None) -> None:
        """Refresh the charm (None keeps the class), the Kubernetes way: every pod is replaced.

        Each unit's old pod first runs ``stop`` (with the old charm and its state); then the
        local state DB is deleted and the new pod runs ``upgrade-charm``, ``config-changed`` and
        ``start`` before anything else.
        """
        lifecycle.upgrade_charm(self._engine, app, charm_class)

    def reschedule(self, unit: str) -> None:
        """Reschedule (or delete) a unit's pod: a new pod with no charm directory and no state.

        Juju deploys the charm again, as on an upgrade (``resolver/loop.go``
        checkCharmInstallUpgrade): the unit runs ``upgrade-charm``, ``config-changed`` and
        ``start`` before anything else. No relation hook runs for it.
        """
        lifecycle.reschedule(self._engine, unit)

    def restart_container(self, unit: str) -> None:
        """Restart the unit's charm container in the same pod: it runs ``start`` first.

        The pod, its charm directory and its local state DB survive.
        """
        lifecycle.restart_container(self._engine, unit)

    def update_status(self, app_or_unit: str | None = None) -> None:
        """Queue ``update-status`` on one unit, on an application's units, or on all units."""
        lifecycle.update_status(self._engine, app_or_unit)

    def pebble_ready(self, unit: str, container: str) -> None:
        """The container's Pebble came up: queue ``<container>-pebble-ready`` on the unit.

        Raises:
            ValueError: If the charm's metadata declares no such container.
        """
        lifecycle.pebble_ready(self._engine, unit, container)

    def secret_changed(
        self,
        app_or_unit: str,
        secret_id: str,
        content: Mapping[str, str] | None = None,
        label: str | None = None,
    ) -> None:
        """A secret the units consume has a new revision: each runs ``secret-changed`` once.

        It runs before action and relation hooks, not on a unit being removed; more revisions
        while one is pending add nothing. ``event.secret`` has the id and label, and
        ``secret-get`` answers ``content`` (None keeps the last) by id or label.

        Raises:
            ValueError: If ``secret_id`` does not start with ``secret:``.
        """
        lifecycle.secret_changed(self._engine, app_or_unit, secret_id, content, label)

    def run_action(self, unit: str, name: str, params: Mapping[str, Any] | None = None) -> str:
        """Run an action on the unit (``juju run``); return its id (``JUJU_ACTION_UUID``).

        ``<name>-action`` runs before relation hooks, even while a hook is in error (before the
        retry); a charm that raises fails the action, not the unit. See ``action``.

        Raises:
            ValueError: If the charm's metadata declares no such action.
        """
        return lifecycle.run_action(self._engine, unit, name, params or {})

    def action(self, action_id: str) -> ActionRun:
        """The action run ``action_id`` as it now stands: pending, or its results and status."""
        return self._engine.actions[action_id]

    def set_config(self, app: str, values: Mapping[str, Any]) -> None:
        """Change configuration (a None value unsets a key); units run ``config-changed``."""
        lifecycle.set_config(self._engine, app, values)

    def forget_state(self, unit: str) -> None:
        """Delete the unit's stored state wherever it is kept, as when a state is lost.

        Local storage: the pod's ``.unit-state.db``; controller storage: the unit's charm state
        (which otherwise outlives pods). Nothing is queued (see ``reschedule``).
        """
        lifecycle.forget_state(self._engine, unit)

    def set_relation_data(self, relation_id: int, owner: str, data: Mapping[str, str]) -> None:
        """Commit a write to the databag of ``owner`` (a unit or an application) in a relation.

        As if the owner's hook had just committed it (an empty value deletes the key): Juju's
        agents run concurrently, so a commit may land in the middle of another unit's hook.
        """
        lifecycle.set_relation_data(self._engine, relation_id, owner, data)

    def fail_next_hook(self, unit: str, hook: str | None = None) -> None:
        """Make the unit's next hook (or its next ``hook`` by that name) fail after the charm ran.

        The failure is raised where ops would commit, so nothing of the hook is committed;
        Juju retries it, after other units may have run and before the unit's other hooks.
        """
        self._engine.agent(unit).fail_plan.append(hook)

    def resolve_no_retry(self, unit: str) -> str:
        """Mark the unit's failed hook done without running it; return the hook's name.

        As ``juju resolved --no-retry``, Juju's uniter commits the hook as if it had succeeded
        (``operation.Skip``): the unit's local relation state moves past the change the hook
        carried, so that change produces no further hook; nothing the charm wrote is kept.

        Raises:
            ValueError: If the unit has no failed hook.
        """
        return skip_failed(self._engine, self._engine.agent(unit)).hook_name

    # -- running hooks ---------------------------------------------------------------------

    def step(self, unit: str | None = None) -> HookRecord | None:
        """Run one pending hook of a unit chosen by the seeded RNG (or of ``unit``, no draw).

        Returns:
            The hook's record, or None if no unit (or not ``unit``) has anything to do.
        """
        return self._engine.step(unit)

    def run_until_quiet(self, max_hooks: int = 100_000) -> list[HookRecord]:
        """Run at most ``max_hooks`` hooks, until no unit has anything to do; return them.

        Raises:
            HookLimitError: If the model is still busy after ``max_hooks`` hooks (a charm that
                fails every retry of a hook, for one).
        """
        return self._engine.run_until_quiet(max_hooks)

    @property
    def is_quiet(self) -> bool:
        """Whether no unit has a hook to run (and no leader election is pending)."""
        return self._engine.is_quiet()

    # -- queries ---------------------------------------------------------------------------

    @property
    def hook_count(self) -> int:
        """How many hooks have run."""
        return self._engine.hook_count

    @property
    def records(self) -> list[HookRecord]:
        """Every hook record so far, in order."""
        return list(self._engine.records)

    @property
    def state_limit_hits(self) -> int:
        """How many ``state-set`` calls Juju's 64 KiB value (or 256-byte key) quota refused."""
        return sum(record.state_limit_hits for record in self._engine.records)

    def app_data(self, relation_id: int, app: str) -> dict[str, str]:
        """The committed application databag of ``app`` in the relation."""
        return dict(self._engine.controller.relation(relation_id).data(app))

    def unit_data(self, relation_id: int, unit: str) -> dict[str, str]:
        """The committed unit databag of ``unit`` in the relation."""
        return dict(self._engine.controller.relation(relation_id).data(unit))

    def relation_ids(self, app: str | None = None) -> list[int]:
        """Ids of the relations not removed (peer relations too), optionally only of ``app``."""
        relations = self._engine.controller.relations.values()
        return [r.id for r in relations if r.alive and (app is None or r.has_app(app))]

    def units(self, app: str) -> list[str]:
        """The application's units that are not being removed, by number."""
        return self._engine.live_units(app)

    def leader(self, app: str) -> str:
        """The application's leader unit (LookupError while it has none)."""
        if (leader := self._engine.controller.app(app).leader) is None:
            raise LookupError(f"application {app!r} has no leader")
        return leader

    def state_bytes(self, unit: str) -> int:
        """Bytes of the unit's stored state: ``.unit-state.db`` snapshot blobs, or charm state."""
        agent = self._engine.agent(unit)
        if self._engine.storage == "controller":
            return state_size(self._engine.controller.charm_state.get(unit, {}))
        return rows_size(read_snapshot_rows(agent.charm_dir / STATE_FILE))

    def charm_state(self, unit: str) -> dict[str, str]:
        """The unit's charm state in the controller (``state-get``; controller storage only)."""
        self._engine.agent(unit)
        return dict(self._engine.controller.charm_state.get(unit, {}))

    def unit_status(self, unit: str) -> tuple[str, str]:
        """The unit's workload status and message, as last set with ``status-set``."""
        self._engine.agent(unit)
        return self._engine.controller.statuses.get(unit, ("unknown", ""))

    def config(self, app: str) -> dict[str, Any]:
        """The application's configuration."""
        return dict(self._engine.controller.app(app).config)
