"""The public ``Simulator``: lifecycle operations, the seeded hook scheduler, and queries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ops
import yaml

from ._agent import UnitAgent
from ._controller import Application, endpoints_from_meta, unit_number
from ._engine import Engine
from ._records import HookRecord
from ._storage import STATE_FILE, delete_local_state, read_snapshot_rows, rows_size, state_size


class HookLimitError(RuntimeError):
    """``run_until_quiet`` ran its maximum number of hooks and the model is still busy."""


class Simulator(Engine):
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
            ``PATH`` that talk to the simulator over a Unix socket.
        model_name: ``JUJU_MODEL_NAME``.
        keep_logs: Keep every ``juju-log`` message in ``HookRecord.logs``.

    Attributes:
        seed: The seed.
        storage: ``"local"`` or ``"controller"``.
        hook_tools: ``"inprocess"`` or ``"exec"``.
        workdir: The directory holding one charm directory per unit (``<app>-<n>``).
        model_name: ``JUJU_MODEL_NAME``.
        model_uuid: ``JUJU_MODEL_UUID`` (derived from the model name and seed).
        keep_logs: Whether ``juju-log`` messages are kept in the records.
    """

    # -- context management ----------------------------------------------------------------

    def close(self) -> None:
        """Stop the exec-mode tool server and remove temporary directories."""
        self._finalizer()

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
        if name in self._controller.apps:
            raise ValueError(f"application {name!r} already exists")
        if "/" in name or not name:
            raise ValueError(f"invalid application name {name!r}")
        meta_dict = dict(meta)
        app = Application(
            name=name,
            charm_class=charm_class,
            meta=meta_dict,
            endpoints=endpoints_from_meta(name, meta_dict),
            config=dict(config or {}),
        )
        self._controller.apps[name] = app
        for endpoint in app.endpoints.values():
            if endpoint.role == "peers":
                self._controller.new_relation((endpoint,))
        return [self.add_unit(name) for _ in range(units)]

    def add_unit(self, app: str) -> str:
        """Add a unit to ``app``.

        The unit runs ``install``, ``relation-created`` for each of the app's relations,
        ``config-changed`` and ``start`` (and ``leader-elected`` if the app had no leader).

        Returns:
            The new unit's name.
        """
        application = self._controller.app(app)
        name = f"{app}/{application.next_unit}"
        application.next_unit += 1
        application.units.append(name)
        charm_dir = self.workdir / f"{app}-{unit_number(name)}"
        charm_dir.mkdir(parents=True, exist_ok=True)
        (charm_dir / "metadata.yaml").write_text(
            yaml.safe_dump(application.meta, sort_keys=False), encoding="utf-8"
        )
        delete_local_state(charm_dir)
        agent = UnitAgent(name, charm_dir, self.seed)
        self._agents[name] = agent
        agent.enqueue("install")
        if application.leader is None:
            application.leader = name
            agent.enqueue("leader-elected")
        agent.enqueue("config-changed")
        agent.enqueue("start")
        for relation in self._controller.relations.values():
            if relation.alive and any(e.app == app for e in relation.endpoints):
                agent.add_pending_relation(relation)
        self._activate(name)
        return name

    def relate(self, app1: str, endpoint1: str, app2: str, endpoint2: str) -> int:
        """Relate two application endpoints; every unit of both runs ``relation-created``.

        Returns:
            The new relation id.
        """
        first = self._endpoint(app1, endpoint1)
        second = self._endpoint(app2, endpoint2)
        if {first.role, second.role} != {"provides", "requires"}:
            raise ValueError(
                f"cannot relate {app1}:{endpoint1} ({first.role}) "
                f"to {app2}:{endpoint2} ({second.role})"
            )
        if first.interface != second.interface:
            raise ValueError(f"interfaces differ: {first.interface!r} != {second.interface!r}")
        for relation in self._controller.relations.values():
            if relation.alive and set(relation.endpoints) == {first, second}:
                raise ValueError(f"relation {relation.describe()} already exists")
        relation = self._controller.new_relation((first, second))
        for unit in self._live_units(app1) + self._live_units(app2):
            self._agents[unit].add_pending_relation(relation)
            self._activate(unit)
        return relation.id

    def unrelate(self, relation_id: int) -> None:
        """Remove a relation: every unit in it runs departed for each member, then broken.

        Changes still pending for the relation are dropped, as Juju does.
        """
        relation = self._controller.relation(relation_id)
        if not relation.alive:
            raise ValueError(f"relation {relation_id} is already removed")
        if relation.is_peer:
            raise ValueError("peer relations cannot be removed")
        relation.alive = False
        for endpoint in relation.endpoints:
            for unit in self._controller.app(endpoint.app).units:
                self._agents[unit].drop_pending_relation(relation_id)
        self._touch(relation)

    def remove_unit(self, unit: str) -> None:
        """Remove a unit: it departs every relation, runs broken, ``stop`` and ``remove``.

        The other units see it depart once it has left each relation. A leader keeps its
        leadership until it is gone; then the lowest-numbered remaining unit is elected.
        """
        agent = self._agent(unit)
        if agent.dying or agent.dead:
            raise ValueError(f"unit {unit} is already being removed")
        agent.dying = True
        for relation_id in list(agent.to_create):
            agent.drop_pending_relation(relation_id)
        if not agent.installed:
            self._kill(agent)
            return
        agent.lifecycle.clear()
        agent.pinned = False
        agent.update_status_pending = False
        for relation_id in agent.views:
            agent.mark(relation_id)
        agent.invalidate()
        self._activate(unit)

    def set_leader(self, unit: str) -> None:
        """Move leadership of the unit's application to ``unit``; it runs ``leader-elected``."""
        agent = self._agent(unit)
        if agent.dying or agent.dead:
            raise ValueError(f"unit {unit} is being removed")
        app = self._controller.app(agent.app)
        if app.leader != unit:
            if app.leader is not None:
                # Juju runs leader-elected on a unit only while it holds leadership.
                previous = self._agents[app.leader]
                if "leader-elected" in previous.lifecycle:
                    previous.lifecycle.remove("leader-elected")
                    previous.invalidate()
            app.leader = unit
            agent.enqueue("leader-elected")
            self._activate(unit)

    def upgrade_charm(self, app: str, charm_class: type[ops.CharmBase] | None = None) -> None:
        """Refresh the application's charm, the Kubernetes way: every pod is replaced.

        Each unit's local state DB is deleted, then the unit runs ``upgrade-charm``,
        ``config-changed`` and ``start`` before anything else.

        Args:
            app: The application.
            charm_class: The new charm class (None keeps the current one).
        """
        application = self._controller.app(app)
        if charm_class is not None:
            application.charm_class = charm_class
        for unit in self._live_units(app):
            agent = self._agents[unit]
            self._replace_pod(agent)
            if agent.installed:
                agent.enqueue_front(["upgrade-charm", "config-changed", "start"])
            self._activate(unit)

    def reschedule(self, unit: str) -> None:
        """Reschedule a unit's pod: its local state DB is deleted, then it runs ``start``."""
        agent = self._agent(unit)
        if agent.dying or agent.dead:
            raise ValueError(f"unit {unit} is being removed")
        self._replace_pod(agent)
        if agent.installed:
            agent.enqueue_front(["start"])
        self._activate(unit)

    def update_status(self, app_or_unit: str | None = None) -> None:
        """Queue ``update-status`` on one unit, on an application's units, or on all units."""
        if app_or_unit is None:
            units = [u for app in self._controller.apps for u in self._live_units(app)]
        elif "/" in app_or_unit:
            self._agent(app_or_unit)
            units = [app_or_unit]
        else:
            units = self._live_units(app_or_unit)
        for unit in units:
            agent = self._agents[unit]
            agent.update_status_pending = True
            agent.invalidate()
            self._activate(unit)

    def set_config(self, app: str, values: Mapping[str, Any]) -> None:
        """Change configuration (a None value unsets a key); units run ``config-changed``."""
        application = self._controller.app(app)
        for key, value in values.items():
            if value is None:
                application.config.pop(key, None)
            else:
                application.config[key] = value
        for unit in self._live_units(app):
            self._agents[unit].enqueue("config-changed")
            self._activate(unit)

    def fail_next_hook(self, unit: str, hook: str | None = None) -> None:
        """Make the unit's next hook (or its next ``hook`` by that name) fail after the charm ran.

        The failure is raised where ops would commit, so nothing of the hook is committed;
        Juju then retries the hook, after other units may have run and before the unit runs
        any other hook.
        """
        self._agent(unit).fail_plan.append(hook)

    # -- running hooks ---------------------------------------------------------------------

    def step(self, unit: str | None = None) -> HookRecord | None:
        """Run one pending hook of a unit chosen by the seeded RNG.

        Args:
            unit: Run the next hook of this unit instead (no RNG draw).

        Returns:
            The hook's record, or None if no unit (or not ``unit``) has anything to do.
        """
        if unit is not None:
            agent = self._agent(unit)
            spec = agent.next_hook()
            return None if spec is None else self._run(agent, spec)
        candidates = self._candidates()
        if not candidates:
            return None
        ready = [
            (agent, spec)
            for agent, spec in candidates
            if agent.failed is None or agent.retry_not_before <= self._hook_count
        ]
        agent, spec = self._rng.choice(ready or candidates)
        return self._run(agent, spec)

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
        return not self._candidates()

    # -- queries ---------------------------------------------------------------------------

    @property
    def hook_count(self) -> int:
        """How many hooks have run."""
        return self._hook_count

    @property
    def records(self) -> list[HookRecord]:
        """Every hook record so far, in order."""
        return list(self._records)

    @property
    def state_limit_hits(self) -> int:
        """How many ``state-set`` calls Juju's 64 KiB value (or 256-byte key) quota refused."""
        return self._state_limit_hits

    def app_data(self, relation_id: int, app: str) -> dict[str, str]:
        """The committed application databag of ``app`` in the relation."""
        bag = self._controller.relation(relation_id).app_bags.get(app)
        return dict(bag.data) if bag is not None else {}

    def unit_data(self, relation_id: int, unit: str) -> dict[str, str]:
        """The committed unit databag of ``unit`` in the relation."""
        bag = self._controller.relation(relation_id).unit_bags.get(unit)
        return dict(bag.data) if bag is not None else {}

    def relation_ids(self, app: str | None = None) -> list[int]:
        """Ids of the relations not removed (peer relations too), optionally only of ``app``."""
        return sorted(
            r.id
            for r in self._controller.relations.values()
            if r.alive and (app is None or any(e.app == app for e in r.endpoints))
        )

    def units(self, app: str) -> list[str]:
        """The application's units that are not being removed, by number."""
        return self._live_units(app)

    def leader(self, app: str) -> str:
        """The application's leader unit."""
        leader = self._controller.app(app).leader
        if leader is None:
            raise LookupError(f"application {app!r} has no leader")
        return leader

    def state_bytes(self, unit: str) -> int:
        """The size of the unit's stored state now.

        Local storage: the sum of the blob sizes in the ``snapshot`` table of the unit's
        ``.unit-state.db``. Controller storage: the sum of the unit's charm-state value sizes.
        """
        agent = self._agent(unit)
        if self.storage == "controller":
            return state_size(self._controller.charm_state.get(unit, {}))
        return rows_size(read_snapshot_rows(agent.charm_dir / STATE_FILE))

    def unit_status(self, unit: str) -> tuple[str, str]:
        """The unit's workload status and message, as last set with ``status-set``."""
        self._agent(unit)
        return self._controller.unit_status.get(unit, ("unknown", ""))

    def config(self, app: str) -> dict[str, Any]:
        """The application's configuration."""
        return dict(self._controller.app(app).config)
