"""The simulator's engine: unit agents, the hook scheduler, dispatch and commit."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
import uuid
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import ops

from ._agent import UnitAgent
from ._context import CurrentHook, set_current
from ._controller import (
    Application,
    Controller,
    Endpoint,
    Relation,
    endpoints_from_meta,
    sort_units,
    unit_number,
)
from ._dispatch import ToolHandler, dispatch
from ._exec import ToolServer, install_tools
from ._records import HookRecord, HookSpec
from ._storage import (
    STATE_FILE,
    delete_local_state,
    read_snapshot_rows,
    rows_size,
    rows_written,
    state_size,
)
from ._tools import HookSession
from .vocabulary import HOOK_TOOL_MODES, STORAGES, HookToolMode, LifecycleHook, Storage

JUJU_VERSION = "3.6.4"

NEW_POD_HOOKS: tuple[LifecycleHook, ...] = ("upgrade-charm", "config-changed", "start")
"""What a new Kubernetes pod of an installed unit runs first (upgrade or reschedule)."""
"""The ``JUJU_VERSION`` hooks see."""


class _AnswerClock:
    """A hook-tool handler that sums the thread CPU time spent answering, to subtract it."""

    def __init__(self, handler: ToolHandler) -> None:
        self._handler = handler
        self.spent_s = 0.0

    def __call__(self, argv: Sequence[str], stdin: str | None) -> tuple[int, str, str]:
        started = time.thread_time()
        try:
            return self._handler(argv, stdin)
        finally:
            self.spent_s += time.thread_time() - started


def _cleanup(server: ToolServer | None, dirs: list[Path]) -> None:
    if server is not None:
        server.close()
    for directory in dirs:
        shutil.rmtree(directory, ignore_errors=True)


class Engine:
    """The machinery a ``Simulator`` holds: the controller, the unit agents, and running hooks.

    Not part of the public API: ``Simulator`` (the lifecycle operations and queries) and
    ``preload`` (a settled model without hooks) are its only users, and its attributes are
    theirs to change. The arguments are ``Simulator``'s.

    Attributes:
        controller: Applications, units, leaders, relations and every databag.
        agents: The unit agent of every unit ever added, by unit name.
        records: Every hook record so far, in order.
        hook_count: How many hooks have run.
        state_limit_hits: How many ``state-set`` values Juju's quota refused.
        rng: The seeded generator choosing which unit runs next.
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
        if storage not in STORAGES:
            raise ValueError(f"storage must be 'local' or 'controller', not {storage!r}")
        if hook_tools not in HOOK_TOOL_MODES:
            raise ValueError(f"hook_tools must be 'inprocess' or 'exec', not {hook_tools!r}")
        self.seed = seed
        self.storage = storage
        self.hook_tools = hook_tools
        self.model_name = model_name
        self.model_uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"jujusim:{model_name}:{seed}"))
        self.keep_logs = keep_logs
        self.rng = random.Random(seed)
        cleanup: list[Path] = []
        if workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="jujusim-units-"))
            cleanup.append(self.workdir)
        else:
            self.workdir = Path(workdir)
            self.workdir.mkdir(parents=True, exist_ok=True)
        # The socket path must be short, so the run directory lives in the system temp dir.
        self._run_dir = Path(tempfile.mkdtemp(prefix="jujusim-"))
        cleanup.append(self._run_dir)
        self._bin_dir = self._run_dir / "bin"
        self.tool_client = install_tools(self._bin_dir, compiled=hook_tools == "exec")
        self._socket = self._run_dir / "agent.sock"
        self._server = ToolServer(self._socket) if hook_tools == "exec" else None
        self._finalizer = weakref.finalize(self, _cleanup, self._server, cleanup)
        self.controller = Controller()
        self.agents: dict[str, UnitAgent] = {}
        self._active: dict[str, None] = {}
        self.records: list[HookRecord] = []
        self.hook_count = 0
        self.state_limit_hits = 0

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
        meta_dict = dict(meta)
        app = Application(
            name=name,
            charm_class=charm_class,
            meta=meta_dict,
            endpoints=endpoints_from_meta(name, meta_dict),
            config=dict(config),
        )
        self.controller.apps[name] = app
        return app

    def new_agent(self, app: Application, metadata: str) -> UnitAgent:
        """Add the application's next unit: its charm directory (no state yet) and its agent.

        Args:
            app: The application.
            metadata: The ``metadata.yaml`` text of the unit's charm directory.
        """
        name = f"{app.name}/{app.next_unit}"
        app.next_unit += 1
        app.units.append(name)
        charm_dir = self.workdir / f"{app.name}-{unit_number(name)}"
        charm_dir.mkdir(parents=True, exist_ok=True)
        (charm_dir / "metadata.yaml").write_text(metadata, encoding="utf-8")
        delete_local_state(charm_dir)
        agent = UnitAgent(name, charm_dir, self.seed)
        self.agents[name] = agent
        return agent

    def agent(self, unit: str) -> UnitAgent:
        try:
            return self.agents[unit]
        except KeyError:
            raise KeyError(f"no unit {unit!r}") from None

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
        self._active[unit] = None

    def candidates(self) -> list[tuple[UnitAgent, HookSpec]]:
        candidates: list[tuple[UnitAgent, HookSpec]] = []
        for name in list(self._active):
            agent = self.agents[name]
            spec = agent.next_hook()
            if spec is None:
                del self._active[name]
            else:
                candidates.append((agent, spec))
        return candidates

    def touch(self, relation: Relation) -> None:
        """Tell every unit in the relation's scope that the relation changed."""
        for unit in relation.scope:
            self.agents[unit].mark(relation.id)
            self.activate(unit)

    def replace_pod(self, agent: UnitAgent) -> None:
        """The unit's pod is replaced: local state is gone and it has not started."""
        if self.storage == "local":
            delete_local_state(agent.charm_dir)
        agent.local_rows = {}
        agent.new_pod = True
        if agent.installed:
            agent.started = False
        agent.invalidate()

    def kill(self, agent: UnitAgent) -> None:
        """The unit is gone: it leaves every scope, and a leader hands over leadership."""
        agent.dead = True
        agent.invalidate()
        for relation in self.controller.relations.values():
            if agent.name in relation.scope:
                del relation.scope[agent.name]
                self.touch(relation)
        agent.views.clear()
        self.controller.charm_state.pop(agent.name, None)
        app = self.controller.app(agent.app)
        if app.leader == agent.name:
            remaining = self.live_units(agent.app)
            app.leader = remaining[0] if remaining else None
            if remaining:
                self.agents[remaining[0]].enqueue("leader-elected")
                self.activate(remaining[0])

    def _enter(self, agent: UnitAgent, relation_id: int) -> None:
        """The unit runs ``relation-created``: the relation enters its context and scope."""
        view = agent.begin_created(relation_id)
        if agent.name not in view.relation.scope:
            view.relation.scope[agent.name] = None
            view.relation.unit_bag(agent.name)
            self.touch(view.relation)

    def _env(self, agent: UnitAgent, spec: HookSpec, context_id: str) -> dict[str, str]:
        hook = spec.hook_name
        env = {
            "JUJU_UNIT_NAME": agent.name,
            "JUJU_CHARM_DIR": str(agent.charm_dir),
            "CHARM_DIR": str(agent.charm_dir),
            "JUJU_DISPATCH_PATH": f"hooks/{hook}",
            "JUJU_HOOK_NAME": hook,
            "JUJU_MODEL_NAME": self.model_name,
            "JUJU_MODEL_UUID": self.model_uuid,
            "JUJU_VERSION": JUJU_VERSION,
            "JUJU_CONTEXT_ID": context_id,
            "JUJU_PRINCIPAL_UNIT": "",
            "PATH": f"{self._bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        if self._server is not None:
            env["JUJU_AGENT_SOCKET_ADDRESS"] = str(self._socket)
            env["JUJU_AGENT_SOCKET_NETWORK"] = "unix"
        if spec.relation_id is not None and spec.endpoint is not None:
            env["JUJU_RELATION"] = spec.endpoint
            env["JUJU_RELATION_ID"] = f"{spec.endpoint}:{spec.relation_id}"
            env["JUJU_REMOTE_UNIT"] = spec.remote_unit or ""
            env["JUJU_REMOTE_APP"] = spec.remote_app or ""
            if spec.kind == "relation-departed":
                env["JUJU_DEPARTING_UNIT"] = spec.departing_unit or ""
        return env

    def _take_failure(self, agent: UnitAgent, hook: str) -> bool:
        for i, planned in enumerate(agent.fail_plan):
            if planned is None or planned == hook:
                del agent.fail_plan[i]
                return True
        return False

    def run(self, agent: UnitAgent, spec: HookSpec) -> HookRecord:
        index = self.hook_count
        self.hook_count += 1
        app = self.controller.app(agent.app)
        attempt = agent.failed_attempts + 1 if agent.failed is not None else 1
        if spec.kind == "relation-created" and spec.relation_id is not None:
            self._enter(agent, spec.relation_id)
        relations = agent.relations_at_start(spec)
        new_pod = agent.new_pod
        session = HookSession(
            controller=self.controller, agent=agent, spec=spec, keep_logs=self.keep_logs
        )
        context = CurrentHook(
            unit=agent.name,
            hook=spec.hook_name,
            relation_id=spec.relation_id,
            remote_unit=spec.remote_unit,
            remote_app=spec.remote_app,
            attempt=attempt,
        )
        context_id = f"{agent.name}-{spec.hook_name}-{index}"
        env = self._env(agent, spec, context_id)
        fail = self._take_failure(agent, spec.hook_name)
        charm_class = app.charm_class
        if spec.kind == "stop" and agent.old_charm is not None:
            charm_class = agent.old_charm  # the old pod stops with the charm it runs
        agent.dispatched()
        set_current(context)
        if self._server is not None:
            self._server.serve(context_id, session.handle)
        answering = _AnswerClock(session.handle)
        # Thread CPU time: what the hook costs, without the machine's other load or disk waits.
        started, wall = time.thread_time(), time.perf_counter()
        try:
            failure = dispatch(
                charm_class,
                env,
                use_juju_for_storage=self.storage == "controller",
                tool_handler=answering if self._server is None else None,
                fail_at_commit=fail,
            )
        finally:
            duration = time.thread_time() - started
            wall = time.perf_counter() - wall
            set_current(None)
            if self._server is not None:
                self._server.serve("", None)
        kind, error = (None, None) if failure is None else failure
        if error is None:
            agent.new_pod = False
            bytes_written = self._commit(agent, spec, session)
        else:
            bytes_written = 0
            agent.fail(spec, index)
        if self.storage == "local":
            if error is None and not agent.dead:
                rows = read_snapshot_rows(agent.charm_dir / STATE_FILE)
                bytes_written = rows_written(agent.local_rows, rows)
                agent.local_rows = rows
            state = rows_size(agent.local_rows)
        else:
            state = state_size(self.controller.charm_state.get(agent.name, {}))
        self.state_limit_hits += session.state_limit_hits
        self.activate(agent.name)
        record = HookRecord(
            index=index,
            unit=agent.name,
            hook=spec.hook_name,
            relation_id=spec.relation_id,
            remote_unit=spec.remote_unit or None,
            remote_app=spec.remote_app or None,
            departing_unit=spec.departing_unit,
            ok=error is None,
            error=error,
            failure=kind,
            attempt=attempt,
            tool_calls=MappingProxyType(dict(sorted(session.tool_calls.items()))),
            state_bytes=state,
            bytes_written=bytes_written,
            duration_s=duration,
            relations_at_start=relations,
            observations=MappingProxyType(dict(context.observations)),
            state_limit_hits=session.state_limit_hits,
            logs=tuple(session.logs),
            new_pod=new_pod,
            answer_s=answering.spent_s,
            wall_s=wall,
        )
        self.records.append(record)
        return record

    def _commit(self, agent: UnitAgent, spec: HookSpec, session: HookSession) -> int:
        """Commit a successful hook's writes and local-state change; return state bytes set."""
        writes = session.relation_writes()
        for relation_id, owner, is_app, delta in writes:
            relation = self.controller.relations.get(relation_id)
            if relation is None:
                continue
            bag = relation.app_bag(owner) if is_app else relation.unit_bag(owner)
            if bag.apply(delta):
                view = agent.views.get(relation_id)
                if is_app and relation.is_peer and view is not None:
                    view.app_seen[owner] = bag.version  # the writer does not see its own write
                self.touch(relation)
        written = 0
        state_writes = session.state_writes()
        if state_writes:
            state = self.controller.charm_state.setdefault(agent.name, {})
            for key, value in state_writes.items():
                if value is None:
                    state.pop(key, None)
                else:
                    state[key] = value
                    written += len(value.encode())
        self.mark_done(agent, spec)
        return written

    def skip_failed(self, agent: UnitAgent) -> HookSpec:
        """Mark the unit's failed hook done without running it (``juju resolved --no-retry``)."""
        spec = agent.failed
        if spec is None:
            raise ValueError(f"unit {agent.name} has no failed hook to resolve")
        self.mark_done(agent, spec)
        self.activate(agent.name)
        return spec

    def mark_done(self, agent: UnitAgent, spec: HookSpec) -> None:
        """Advance the unit's local state past ``spec`` (Juju's ``CommitHook``)."""
        upgrading = spec.kind == "stop" and agent.old_charm is not None
        agent.commit(spec)
        if upgrading:
            # The old pod has stopped: the new one starts with no local state.
            agent.old_charm = None
            self.replace_pod(agent)
            agent.enqueue_front(NEW_POD_HOOKS)
        elif spec.kind == "relation-broken" and spec.relation_id is not None:
            relation = self.controller.relation(spec.relation_id)
            relation.scope.pop(agent.name, None)
            self.touch(relation)
        elif spec.kind == "remove":
            self.kill(agent)
