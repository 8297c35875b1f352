"""The public ``Simulator``: lifecycle operations, the seeded hook scheduler, and queries."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ops

from . import _lifecycle as lifecycle
from ._engine import Engine
from ._preload import ProviderConfig, ProviderData, settle_providers
from ._records import EMPTY_BAG, HookRecord
from ._storage import STATE_FILE, delete_local_state, read_snapshot_rows, rows_size, state_size
from .vocabulary import HookToolMode, Storage


class HookLimitError(RuntimeError):
    """``run_until_quiet`` ran its maximum number of hooks and the model is still busy."""


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
        keep_logs: Keep every ``juju-log`` message in ``HookRecord.logs``.

    Attributes:
        seed: The seed.
        storage: ``"local"`` or ``"controller"``.
        hook_tools: ``"inprocess"`` or ``"exec"``.
        tool_client: What the hook tools on ``PATH`` run: ``"_jujusim_tool_c"``, the compiled
            client (exec mode, when it could be built), or ``"_jujusim_tool"``, the script.
        workdir: The directory holding one charm directory per unit (``<app>-<n>``).
        model_name: ``JUJU_MODEL_NAME``.
        model_uuid: ``JUJU_MODEL_UUID`` (derived from the model name and seed).
        keep_logs: Whether ``juju-log`` messages are kept in the records.
    """

    def __init__(
        self,
        seed: int = 0,
        workdir: Path | str | None = None,
        storage: Storage = "local",
        *,
        hook_tools: HookToolMode = "inprocess",
        model_name: str = "jujusim",
        keep_logs: bool = False,
    ) -> None:
        self._engine = Engine(
            seed,
            workdir,
            storage,
            hook_tools=hook_tools,
            model_name=model_name,
            keep_logs=keep_logs,
        )
        self.seed = seed
        self.storage: Storage = storage
        self.hook_tools: HookToolMode = hook_tools
        self.tool_client: str = self._engine.tool_client
        self.workdir = self._engine.workdir
        self.model_name = model_name
        self.model_uuid = self._engine.model_uuid
        self.keep_logs = keep_logs

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
        """Deploy an application with ``units`` units; the first unit becomes leader.

        Each unit gets its own charm directory (with ``metadata.yaml``) and, once it runs, its
        own ``.unit-state.db``. Queued per unit: ``install``, ``leader-elected`` (leader only),
        ``config-changed``, ``start``; peer relations in ``meta`` are created too.

        Args:
            name: The application name.
            charm_class: The charm class the units run.
            meta: The charm's ``metadata.yaml`` content.
            units: How many units to add.
            config: Initial configuration (what ``config-get`` answers).

        Returns:
            The new unit names.
        """
        if name in self._engine.controller.apps:
            raise ValueError(f"application {name!r} already exists")
        if "/" in name or not name:
            raise ValueError(f"invalid application name {name!r}")
        app = self._engine.new_app(name, charm_class, meta, config or {})
        for endpoint in app.endpoints.values():
            if endpoint.role == "peers":
                self._engine.controller.new_relation((endpoint,))
        return [self.add_unit(name) for _ in range(units)]

    def add_unit(self, app: str) -> str:
        """Add a unit to ``app``.

        The unit runs ``install``, ``relation-created`` for each of the app's relations,
        ``config-changed`` and ``start`` (and ``leader-elected`` if the app had no leader).

        Returns:
            The new unit's name.
        """
        return lifecycle.add_unit(self._engine, app)

    def preload(
        self,
        requirer_app: str,
        requirer_charm: type[ops.CharmBase],
        *,
        requirer_meta: Mapping[str, Any],
        provider_charm: type[ops.CharmBase],
        provider_meta: Mapping[str, Any],
        providers: int,
        units_per_provider: int = 1,
        provider_data: ProviderData = EMPTY_BAG,
        requirer_data: Mapping[str, str] = EMPTY_BAG,
        provider_config: ProviderConfig = EMPTY_BAG,
        requirer_units: int = 1,
        provider_prefix: str = "p",
    ) -> dict[int, str]:
        """Deploy a requirer related to ``providers`` provider applications, already settled.

        Relating N providers through hooks costs O(N^2) work; this writes the model as if every
        hook had run: each application's units are installed and started, the first unit of
        each is leader, each provider application (``p1``, ``p2``, ...) is related to the
        requirer, every unit is in every relation's scope and has seen every other unit join and
        every databag's current content. The requirer's application databag holds
        ``requirer_data`` on every relation, each provider's holds ``provider_data``; unit
        databags are empty. Nothing is pending, no charm code ran and no unit has stored state.

        Args:
            requirer_app: The requirer application's name (not deployed yet).
            requirer_charm: The charm class the requirer's units run.
            requirer_meta: The requirer charm's ``metadata.yaml`` content (no peer relations).
            provider_charm: The charm class the provider units run.
            provider_meta: The provider charm's ``metadata.yaml`` content (no peer relations).
            providers: How many provider applications (and so relations) there are.
            units_per_provider: Units of each provider application.
            provider_data: Each provider application's databag, fixed or built from the
                provider's name and the requirer's databag (empty values are left out).
            requirer_data: The requirer application's databag, the same on every relation.
            provider_config: Each provider application's configuration, fixed or by name.
            requirer_units: Units of the requirer application.
            provider_prefix: Provider applications are named ``<prefix>1`` to ``<prefix>N``.

        Returns:
            The provider application of each relation, by relation id (in creation order).

        Raises:
            ValueError: If an application exists already, a metadata declares peer relations,
                or the two charms do not have exactly one pair of endpoints to relate.
        """
        return settle_providers(
            self._engine,
            requirer_app,
            requirer_charm,
            requirer_meta=requirer_meta,
            provider_charm=provider_charm,
            provider_meta=provider_meta,
            providers=providers,
            units_per_provider=units_per_provider,
            provider_data=provider_data,
            requirer_data=requirer_data,
            provider_config=provider_config,
            requirer_units=requirer_units,
            provider_prefix=provider_prefix,
        )

    def relate(self, app1: str, endpoint1: str, app2: str, endpoint2: str) -> int:
        """Relate two application endpoints; every unit of both runs ``relation-created``.

        Returns:
            The new relation id.
        """
        return lifecycle.relate(self._engine, app1, endpoint1, app2, endpoint2)

    def unrelate(self, relation_id: int) -> None:
        """Remove a relation: every unit in it runs departed for each member, then broken.

        Changes still pending for the relation are dropped, as Juju does.
        """
        lifecycle.unrelate(self._engine, relation_id)

    def remove_unit(self, unit: str) -> None:
        """Remove a unit: it departs every relation, runs broken, ``stop`` and ``remove``.

        The other units see it depart once it has left each relation. A leader keeps its
        leadership until it is gone; then the lowest-numbered remaining unit is elected.
        """
        lifecycle.remove_unit(self._engine, unit)

    def scale(self, app: str, units: int) -> list[str]:
        """Scale ``app`` to ``units`` units, as Kubernetes scales a StatefulSet.

        New units are added as by ``add_unit``; on scale-down the highest-numbered units are
        removed first (each as by ``remove_unit``); zero removes every unit.

        Returns:
            The units added (none on scale-down).
        """
        return lifecycle.scale(self._engine, app, units)

    def migrate(self) -> None:
        """Migrate the model to another controller: a burst of relation-changed, data unchanged.

        Every started unit runs relation-changed once more for each remote unit and remote
        application of each of its relations, as the migrated agents resynchronise.
        """
        lifecycle.migrate(self._engine)

    def set_leader(self, unit: str) -> None:
        """Move leadership of the unit's application to ``unit``; it runs ``leader-elected``."""
        lifecycle.set_leader(self._engine, unit)

    def upgrade_charm(self, app: str, charm_class: type[ops.CharmBase] | None = None) -> None:
        """Refresh the application's charm, the Kubernetes way: every pod is replaced.

        Each unit's old pod first runs ``stop`` (with the old charm and its state); then the
        local state DB is deleted and the new pod runs ``upgrade-charm``, ``config-changed`` and
        ``start`` before anything else.

        Args:
            app: The application.
            charm_class: The new charm class (None keeps the current one).
        """
        lifecycle.upgrade_charm(self._engine, app, charm_class)

    def reschedule(self, unit: str) -> None:
        """Reschedule (or delete) a unit's pod: a new pod with no charm directory and no state.

        Juju deploys the charm again, as on an upgrade (``resolver/loop.go``
        checkCharmInstallUpgrade; the uniter treats the sidecar unit as rebooted): the local
        state DB is deleted and the unit runs ``upgrade-charm``, ``config-changed`` and
        ``start`` before anything else. No relation hook runs for it.
        """
        lifecycle.reschedule(self._engine, unit)

    def restart_container(self, unit: str) -> None:
        """Restart the unit's charm container inside the same pod: ``start`` only, state kept.

        The pod, its charm directory and its local state DB survive; the unit runs ``start``
        before anything else.
        """
        lifecycle.restart_container(self._engine, unit)

    def update_status(self, app_or_unit: str | None = None) -> None:
        """Queue ``update-status`` on one unit, on an application's units, or on all units."""
        lifecycle.update_status(self._engine, app_or_unit)

    def set_config(self, app: str, values: Mapping[str, Any]) -> None:
        """Change configuration (a None value unsets a key); units run ``config-changed``."""
        lifecycle.set_config(self._engine, app, values)

    def forget_state(self, unit: str) -> None:
        """Delete the unit's stored state wherever it is kept, as when a state is lost.

        Local storage: the pod's ``.unit-state.db``; controller storage: the unit's charm state
        (which otherwise outlives pods). Nothing is queued: combine with ``reschedule`` for a
        pod that comes back with no state.
        """
        agent = self._engine.agent(unit)
        delete_local_state(agent.charm_dir)
        agent.local_rows = {}
        self._engine.controller.charm_state.pop(unit, None)

    def set_relation_data(self, relation_id: int, owner: str, data: Mapping[str, str]) -> None:
        """Commit a write to a databag as if the owner's hook had just committed it.

        Juju's unit agents run concurrently, so another unit may commit in the middle of a hook;
        this reproduces that from inside a charm's handler. Units in the relation are told of
        the change as after any commit. An empty value deletes the key.

        Args:
            relation_id: The relation.
            owner: A unit (``app/0``: its unit databag) or an application (its app databag).
            data: The keys to write.
        """
        relation = self._engine.controller.relation(relation_id)
        bag = relation.unit_bag(owner) if "/" in owner else relation.app_bag(owner)
        if bag.apply(dict(data)):
            self._engine.touch(relation)

    def fail_next_hook(self, unit: str, hook: str | None = None) -> None:
        """Make the unit's next hook (or its next ``hook`` by that name) fail after the charm ran.

        The failure is raised where ops would commit, so nothing of the hook is committed;
        Juju then retries the hook, after other units may have run and before the unit runs
        any other hook.
        """
        self._engine.agent(unit).fail_plan.append(hook)

    def resolve_no_retry(self, unit: str) -> str:
        """Mark the unit's failed hook done without running it (``juju resolved --no-retry``).

        Juju's uniter then commits the hook as if it had succeeded (``operation.Skip``): the
        unit's local relation state moves past the change the hook carried, so that change
        produces no further hook; the charm never ran for it and nothing it wrote is kept.

        Returns:
            The name of the hook skipped.

        Raises:
            ValueError: If the unit has no failed hook.
        """
        return self._engine.skip_failed(self._engine.agent(unit)).hook_name

    # -- running hooks ---------------------------------------------------------------------

    def step(self, unit: str | None = None) -> HookRecord | None:
        """Run one pending hook of a unit chosen by the seeded RNG.

        Args:
            unit: Run the next hook of this unit instead (no RNG draw).

        Returns:
            The hook's record, or None if no unit (or not ``unit``) has anything to do.
        """
        if unit is not None:
            agent = self._engine.agent(unit)
            spec = agent.next_hook()
            return None if spec is None else self._engine.run(agent, spec)
        candidates = self._engine.candidates()
        if not candidates:
            return None
        ready = [
            (agent, spec)
            for agent, spec in candidates
            if agent.failed is None or agent.retry_not_before <= self._engine.hook_count
        ]
        agent, spec = self._engine.rng.choice(ready or candidates)
        return self._engine.run(agent, spec)

    def run_until_quiet(self, max_hooks: int = 100_000) -> list[HookRecord]:
        """Run hooks until no unit has anything to do.

        Args:
            max_hooks: The most hooks to run.

        Returns:
            The records of the hooks run.

        Raises:
            HookLimitError: if the model is still busy after ``max_hooks`` hooks (for instance
                because a charm fails every retry of a hook).
        """
        records: list[HookRecord] = []
        while len(records) < max_hooks:
            record = self.step()
            if record is None:
                return records
            records.append(record)
        if not self.is_quiet:
            raise HookLimitError(f"still busy after {max_hooks} hooks")
        return records

    @property
    def is_quiet(self) -> bool:
        """Whether no unit has a hook to run."""
        return not self._engine.candidates()

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
        return self._engine.state_limit_hits

    def app_data(self, relation_id: int, app: str) -> dict[str, str]:
        """The committed application databag of ``app`` in the relation."""
        bag = self._engine.controller.relation(relation_id).app_bags.get(app)
        return dict(bag.data) if bag is not None else {}

    def unit_data(self, relation_id: int, unit: str) -> dict[str, str]:
        """The committed unit databag of ``unit`` in the relation."""
        bag = self._engine.controller.relation(relation_id).unit_bags.get(unit)
        return dict(bag.data) if bag is not None else {}

    def relation_ids(self, app: str | None = None) -> list[int]:
        """Ids of the relations not removed (peer relations too), optionally only of ``app``."""
        return sorted(
            r.id
            for r in self._engine.controller.relations.values()
            if r.alive and (app is None or any(e.app == app for e in r.endpoints))
        )

    def units(self, app: str) -> list[str]:
        """The application's units that are not being removed, by number."""
        return self._engine.live_units(app)

    def leader(self, app: str) -> str:
        """The application's leader unit."""
        leader = self._engine.controller.app(app).leader
        if leader is None:
            raise LookupError(f"application {app!r} has no leader")
        return leader

    def state_bytes(self, unit: str) -> int:
        """The size of the unit's stored state now.

        Local storage: the sum of the blob sizes in the ``snapshot`` table of the unit's
        ``.unit-state.db``. Controller storage: the sum of the unit's charm-state value sizes.
        """
        agent = self._engine.agent(unit)
        if self.storage == "controller":
            return state_size(self._engine.controller.charm_state.get(unit, {}))
        return rows_size(read_snapshot_rows(agent.charm_dir / STATE_FILE))

    def charm_state(self, unit: str) -> dict[str, str]:
        """The unit's charm state in the controller (``state-get``; controller storage only)."""
        self._engine.agent(unit)
        return dict(self._engine.controller.charm_state.get(unit, {}))

    def unit_status(self, unit: str) -> tuple[str, str]:
        """The unit's workload status and message, as last set with ``status-set``."""
        self._engine.agent(unit)
        return self._engine.controller.unit_status.get(unit, ("unknown", ""))

    def config(self, app: str) -> dict[str, Any]:
        """The application's configuration."""
        return dict(self._engine.controller.app(app).config)
