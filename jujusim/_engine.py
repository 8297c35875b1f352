"""The simulator's engine: the controller, the unit agents, leadership, which unit runs next, time.

Juju's unit agents run concurrently; here one hook runs at a time (``_runner.run_hook``), on a
unit chosen with the seeded RNG among those with something to do. Model time moves only when
asked (``ModelClock.advance``) and hooks take none of it.
"""

from __future__ import annotations

import functools
import json
import random
import shutil
import tempfile
import uuid
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ops
import yaml

from ._agent import UnitAgent
from ._controller import (
    Application,
    Controller,
    Endpoint,
    Relation,
    endpoints_from_meta,
    sort_units,
)
from ._records import ActionRun, HookRecord, HookSpec
from ._runner import run_hook
from ._storage import delete_local_state
from .hooktool import ToolServer, install_tools
from .vocabulary import HOOK_TOOL_MODES, STORAGES, HookToolMode, Storage


@functools.lru_cache(maxsize=8)
def _metadata_yaml(meta_json: str) -> str:
    """The ``metadata.yaml`` text, dumped once for the many units sharing a metadata."""
    return yaml.safe_dump(json.loads(meta_json), sort_keys=False)


class HookLimitError(RuntimeError):
    """``run_until_quiet`` ran its maximum number of hooks and the model is still busy."""


def _cleanup(server: ToolServer | None, run_dir: Path) -> None:
    if server is not None:
        server.close()
    shutil.rmtree(run_dir, ignore_errors=True)


class Engine:
    """The model a ``Simulator`` holds: the controller, the unit agents, time and leadership.

    Not part of the public API: the package's modules are its only users, and its attributes are
    theirs to change. The arguments are ``Simulator``'s (which sets ``update_status_interval``).

    Attributes:
        controller: Applications, units, leaders, relations and every databag.
        agents: The unit agent of every unit ever added, by unit name.
        rng: The seeded generator choosing which unit runs next.
        now: The model clock, in seconds since the simulator was made.
        elections: Applications whose leader resigned, with the hook count at which the lease
            has expired (see ``resign``).
        actions: Every action run, by id, as it now stands.
        bin_dir: The hook tools' directory (on ``PATH`` in every hook).
        server: The exec-mode tool server on ``socket`` (None in-process).
    """

    def __init__(
        self,
        seed: int,
        workdir: Path | str | None,
        storage: Storage,
        hook_tools: HookToolMode,
        model_name: str,
        leader_gap_hooks: int,
    ) -> None:
        if storage not in STORAGES:
            raise ValueError(f"storage must be 'local' or 'controller', not {storage!r}")
        if hook_tools not in HOOK_TOOL_MODES:
            raise ValueError(f"hook_tools must be 'inprocess' or 'exec', not {hook_tools!r}")
        if leader_gap_hooks < 0:
            raise ValueError(f"leader_gap_hooks must be >= 0, not {leader_gap_hooks}")
        self.seed = seed
        self.storage = storage
        self.model_name = model_name
        self.model_uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"jujusim:{model_name}:{seed}"))
        self.rng = random.Random(seed)
        # The socket path must be short, so the run directory lives in the system temp dir.
        run_dir = Path(tempfile.mkdtemp(prefix="jujusim-"))
        self.workdir = run_dir / "units" if workdir is None else Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.bin_dir = run_dir / "bin"
        self.tool_client = install_tools(self.bin_dir, compiled=hook_tools == "exec")
        self.socket = run_dir / "agent.sock"
        self.server = ToolServer(self.socket) if hook_tools == "exec" else None
        self._finalizer = weakref.finalize(self, _cleanup, self.server, run_dir)
        self.controller = Controller()
        self.agents: dict[str, UnitAgent] = {}
        self._active: dict[str, None] = {}
        self.records: list[HookRecord] = []
        self.hook_count = 0
        self.now = 0.0
        self.update_status_interval = 300.0
        self.leader_gap_hooks = leader_gap_hooks
        self.elections: dict[str, int] = {}
        self.actions: dict[str, ActionRun] = {}

    def close(self) -> None:
        """Stop the exec-mode tool server and remove the temporary directories."""
        self._finalizer()

    def new_app(
        self,
        name: str,
        charm_class: type[ops.CharmBase],
        meta: Mapping[str, Any],
        config: Mapping[str, Any],
    ) -> Application:
        """Add an application, with no units, to the controller."""
        if name in self.controller.apps:
            raise ValueError(f"application {name!r} already exists")
        endpoints = endpoints_from_meta(name, meta)
        app = Application(name, charm_class, dict(meta), endpoints, dict(config))
        self.controller.apps[name] = app
        return app

    def new_agent(self, app: Application) -> UnitAgent:
        """Add the application's next unit: its charm directory (no state yet) and its agent."""
        name = f"{app.name}/{len(app.units)}"
        charm_dir = self.workdir / f"{app.name}-{len(app.units)}"
        app.units.append(name)
        charm_dir.mkdir(parents=True, exist_ok=True)
        (charm_dir / "metadata.yaml").write_text(_metadata_yaml(json.dumps(app.meta)), "utf-8")
        if "actions" in app.meta:  # ops reads actions from actions.yaml beside metadata.yaml
            (charm_dir / "actions.yaml").write_text(yaml.safe_dump(app.meta["actions"]), "utf-8")
        delete_local_state(charm_dir)
        agent = UnitAgent(name, charm_dir, self.seed, self.now + self.update_status_interval)
        self.agents[name] = agent
        return agent

    def agent(self, unit: str) -> UnitAgent:
        try:
            return self.agents[unit]
        except KeyError:
            raise KeyError(f"no unit {unit!r}") from None

    def live_agent(self, unit: str) -> UnitAgent:
        """The unit's agent, if the unit is not being removed."""
        agent = self.agent(unit)
        if agent.dying or agent.dead:
            raise ValueError(f"unit {unit} is already being removed")
        return agent

    def endpoint(self, app: str, endpoint: str) -> Endpoint:
        application = self.controller.app(app)
        try:
            return application.endpoints[endpoint]
        except KeyError:
            raise ValueError(f"application {app!r} has no endpoint {endpoint!r}") from None

    def live_units(self, app: str) -> list[str]:
        units = self.controller.app(app).units
        return sort_units(u for u in units if not self.agents[u].dying)

    def activate(self, unit: str) -> None:
        """Make the unit a candidate to run next, and have it work out its next hook again."""
        self.agents[unit].invalidate()
        self._active[unit] = None

    def _candidates(self) -> list[tuple[UnitAgent, HookSpec]]:
        candidates: list[tuple[UnitAgent, HookSpec]] = []
        for name in list(self._active):
            agent = self.agents[name]
            spec = agent.next_hook()
            if spec is None:
                del self._active[name]
            else:
                candidates.append((agent, spec))
        return candidates

    def step(self, unit: str | None = None) -> HookRecord | None:
        """Run one pending hook (see ``Simulator.step``); a retry waits for another unit's hook."""
        self.due_elections(idle=False)
        if unit is not None:
            agent = self.agent(unit)
            spec = agent.next_hook()
            return None if spec is None else run_hook(self, agent, spec)
        candidates = self._candidates()
        if not candidates and self.due_elections(idle=True):
            candidates = self._candidates()  # the model was idle until the lease expired
        if not candidates:
            return None
        ready = [
            (agent, spec)
            for agent, spec in candidates
            if agent.failed is None or agent.retry_not_before <= self.hook_count
        ]
        agent, spec = self.rng.choice(ready or candidates)
        return run_hook(self, agent, spec)

    def run_until_quiet(self, max_hooks: int) -> list[HookRecord]:
        """Run hooks until no unit has anything to do (see ``Simulator.run_until_quiet``)."""
        records: list[HookRecord] = []
        while len(records) < max_hooks:
            record = self.step()
            if record is None:
                return records
            records.append(record)
        if not self.is_quiet():
            raise HookLimitError(f"still busy after {max_hooks} hooks")
        return records

    def is_quiet(self) -> bool:
        """Whether no unit has a hook to run and no leader election is pending."""
        return not self._candidates() and not self.elections

    def touch(self, relation: Relation) -> None:
        """Tell every unit in the relation's scope that the relation changed."""
        for unit in relation.scope:
            self.agents[unit].mark(relation.id)
            self.activate(unit)

    def replace_pod(self, agent: UnitAgent) -> None:
        """The unit's pod is replaced: local state is gone and it has not started.

        Juju deploys the charm again, so an installed unit runs ``upgrade-charm``,
        ``config-changed`` and ``start`` first.
        """
        if self.storage == "local":
            delete_local_state(agent.charm_dir)
        agent.local_rows = {}
        agent.new_pod = True
        agent.next_update_status = self.now + self.update_status_interval  # a new unit agent
        agent.started = False
        if agent.installed:
            agent.enqueue_front(["upgrade-charm", "config-changed", "start"])
        agent.invalidate()

    def kill(self, agent: UnitAgent) -> None:
        """The unit is gone: it leaves every scope (a leader has resigned when it began dying)."""
        agent.dead = True
        agent.invalidate()
        for relation in self.controller.relations.values():
            if agent.name in relation.scope:
                del relation.scope[agent.name]
                self.touch(relation)
        agent.views.clear()
        self.controller.charm_state.pop(agent.name, None)

    def resign(self, unit: str) -> None:
        """A dying leader resigns; no unit leads until the lease expires (package docstring).

        Juju's leases run for twice the 30 s claim duration (``worker/leadership/tracker.go``);
        here the election waits ``leader_gap_hooks`` hooks, or until the model is idle
        (``due_elections``).
        """
        app = self.controller.app(unit.rsplit("/", 1)[0])
        if app.leader == unit:
            app.leader = None
            self.elections[app.name] = self.hook_count + self.leader_gap_hooks

    def due_elections(self, *, idle: bool) -> bool:
        """Elect a leader where the lease has expired (all pending ones if ``idle``).

        The new leader is the lowest-numbered unit not being removed; it runs
        ``leader-elected``. Returns whether anyone was elected.
        """
        elected = False
        for name, due in list(self.elections.items()):
            if idle or self.hook_count >= due:
                del self.elections[name]
                remaining = self.live_units(name)
                if remaining:
                    self.controller.app(name).leader = remaining[0]
                    self.agents[remaining[0]].enqueue("leader-elected")
                    self.activate(remaining[0])
                    elected = True
        return elected


class ModelClock:
    """The model's clock (``Simulator.clock``): time passes only when a scenario says so."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def now(self) -> float:
        """Seconds of model time since the simulator was made."""
        return self._engine.now

    @property
    def update_status_interval(self) -> float:
        """Juju's ``update-status-hook-interval``: seconds between two update-status ticks.

        Setting it (as ``juju model-config`` does) takes effect from each timer's next tick.
        """
        return self._engine.update_status_interval

    @update_status_interval.setter
    def update_status_interval(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError(f"update_status_interval must be > 0, not {seconds}")
        self._engine.update_status_interval = seconds

    def advance(self, seconds: float, max_hooks: int = 100_000) -> list[HookRecord]:
        """Let ``seconds`` of model time pass: the hooks due now, then each timer as it fires.

        Each unit agent's update-status timer fires every ``update_status_interval`` from the
        agent's start (a new pod restarts it): the timer bumps ``UpdateStatusVersion``
        (``worker/uniter/remotestate/watcher.go``), and ``update-status`` runs once the unit
        has nothing else to do and has started (``worker/uniter/resolver.go`` ``nextOp``), so
        ticks while one is pending add nothing. ``advance(600)`` gives a settled unit two.
        Hooks take no model time; after each tick the model runs until quiet.

        Returns:
            The records of the hooks run.

        Raises:
            ValueError: If ``seconds`` is negative.
            HookLimitError: As ``Simulator.run_until_quiet``, at any point of the way.
        """
        if seconds < 0:
            raise ValueError(f"time cannot go back ({seconds} s)")
        engine = self._engine
        end = engine.now + seconds
        records = engine.run_until_quiet(max_hooks)
        while True:
            live = [a for a in engine.agents.values() if not (a.dead or a.dying)]
            tick = min((a.next_update_status for a in live), default=end + 1)
            if tick > end:
                break
            engine.now = tick
            for agent in live:
                if agent.next_update_status <= tick:
                    agent.next_update_status = tick + self.update_status_interval
                    agent.update_status_pending = True
                    engine.activate(agent.name)
            records += engine.run_until_quiet(max_hooks - len(records))
        engine.now = end
        return records
