"""Running one hook: its environment, the real ``ops.main`` dispatch, the commit and the record."""

from __future__ import annotations

import os
import time
from types import MappingProxyType
from typing import TYPE_CHECKING

from ._agent import UnitAgent
from ._controller import merged
from ._dispatch import dispatch
from ._records import CurrentHook, HookRecord, HookSpec, set_current
from ._storage import STATE_FILE, read_snapshot_rows, rows_size, rows_written, state_size
from ._tools import HookSession

if TYPE_CHECKING:
    from ._engine import Engine  # which imports this module to run hooks

JUJU_VERSION = "3.6.4"


def _enter(engine: Engine, agent: UnitAgent, relation_id: int) -> None:
    """The unit runs ``relation-created``: the relation enters its context and scope."""
    view = agent.begin_created(relation_id)
    if agent.name not in view.relation.scope:
        view.relation.scope[agent.name] = None
        view.relation.bag(agent.name)
        engine.touch(view.relation)


def _env(engine: Engine, agent: UnitAgent, spec: HookSpec, context_id: str) -> dict[str, str]:
    """The hook's environment, with what ops reads for the event (``_main._get_event_args``).

    The relation, ``JUJU_WORKLOAD_NAME``, ``JUJU_SECRET_ID`` and ``_LABEL``, or for an action
    ``JUJU_ACTION_NAME`` and ``_UUID`` and the ``actions/<name>`` dispatch path.
    """
    hook = spec.hook_name
    env = {
        "JUJU_UNIT_NAME": agent.name,
        "JUJU_CHARM_DIR": str(agent.charm_dir),
        "CHARM_DIR": str(agent.charm_dir),
        "JUJU_MODEL_NAME": engine.model_name,
        "JUJU_MODEL_UUID": engine.model_uuid,
        "JUJU_VERSION": JUJU_VERSION,
        "JUJU_CONTEXT_ID": context_id,
        "JUJU_PRINCIPAL_UNIT": "",
        "PATH": f"{engine.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if engine.server is not None:
        env["JUJU_AGENT_SOCKET_ADDRESS"] = str(engine.socket)
        env["JUJU_AGENT_SOCKET_NETWORK"] = "unix"
    if spec.relation_id is not None and spec.endpoint is not None:
        env["JUJU_RELATION"] = spec.endpoint
        env["JUJU_RELATION_ID"] = f"{spec.endpoint}:{spec.relation_id}"
        env["JUJU_REMOTE_UNIT"] = spec.remote_unit or ""
        env["JUJU_REMOTE_APP"] = spec.remote_app or ""
        if spec.kind == "relation-departed":
            env["JUJU_DEPARTING_UNIT"] = spec.departing_unit or ""
    if spec.action is not None:
        env["JUJU_DISPATCH_PATH"] = f"actions/{spec.action.name}"
        env["JUJU_ACTION_NAME"], env["JUJU_ACTION_UUID"] = spec.action.name, spec.action.id
    else:
        env["JUJU_DISPATCH_PATH"], env["JUJU_HOOK_NAME"] = f"hooks/{hook}", hook
    if spec.workload is not None:
        env["JUJU_WORKLOAD_NAME"] = spec.workload
    if spec.secret_id is not None:
        env["JUJU_SECRET_ID"] = spec.secret_id
        env["JUJU_SECRET_LABEL"] = spec.secret_label or ""
    return env


def _take_failure(agent: UnitAgent, hook: str) -> bool:
    for i, planned in enumerate(agent.fail_plan):
        if planned is None or planned == hook:
            del agent.fail_plan[i]
            return True
    return False


def run_hook(engine: Engine, agent: UnitAgent, spec: HookSpec) -> HookRecord:
    """Dispatch ``spec`` on the unit through ``ops.main``, commit it if it succeeded, record it."""
    index = engine.hook_count
    engine.hook_count += 1
    attempt = agent.failed_attempts + 1 if agent.failed == spec else 1
    if spec.kind == "relation-created" and spec.relation_id is not None:
        _enter(engine, agent, spec.relation_id)
    relations = agent.relations_at_start(spec)
    new_pod = agent.new_pod
    session = HookSession(controller=engine.controller, agent=agent, spec=spec)
    context = CurrentHook(
        unit=agent.name,
        hook=spec.hook_name,
        relation_id=spec.relation_id,
        remote_unit=spec.remote_unit,
        remote_app=spec.remote_app,
        attempt=attempt,
    )
    context_id = f"{agent.name}-{spec.hook_name}-{index}"
    env = _env(engine, agent, spec, context_id)
    fail = _take_failure(agent, spec.hook_name)
    # An old pod stops with the charm it runs.
    old_charm = agent.old_charm if spec.kind == "stop" else None
    charm_class = old_charm or engine.controller.app(agent.app).charm_class
    agent.dispatched()
    set_current(context)
    if engine.server is not None:
        engine.server.serve(context_id, session.handle)
    # Thread CPU time: what the hook costs, without the machine's other load or disk waits.
    started, wall = time.thread_time(), time.perf_counter()
    try:
        failure = dispatch(
            charm_class,
            env,
            use_juju_for_storage=engine.storage == "controller",
            tool_handler=session.handle if engine.server is None else None,
            fail_at_commit=fail,
        )
    finally:
        duration = time.thread_time() - started
        wall = time.perf_counter() - wall
        set_current(None)
        if engine.server is not None:
            engine.server.serve("", None)
    kind, error = (None, None) if failure is None else failure
    bytes_written = 0
    if error is None:
        agent.new_pod = False
        bytes_written = _commit(engine, agent, spec, session)
    elif spec.action is not None:
        # An action merely failing fails the action, not the unit (operation/runaction.go).
        mark_done(engine, agent, spec)
    else:
        agent.fail(spec, index)
    if spec.action is not None:
        engine.actions[spec.action.id] = session.action_outcome(error)
    if engine.storage == "local":
        if error is None and not agent.dead:
            rows = read_snapshot_rows(agent.charm_dir / STATE_FILE)
            bytes_written = rows_written(agent.local_rows, rows)
            agent.local_rows = rows
        state = rows_size(agent.local_rows)
    else:
        state = state_size(engine.controller.charm_state.get(agent.name, {}))
    engine.activate(agent.name)
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
        new_pod=new_pod,
        answer_s=session.answer_s if engine.server is None else 0.0,  # exec: not this thread
        wall_s=wall,
    )
    engine.records.append(record)
    return record


def _commit(engine: Engine, agent: UnitAgent, spec: HookSpec, session: HookSession) -> int:
    """Commit a successful hook's writes and local-state change; return state bytes set."""
    for (relation_id, owner), delta in session.relation_writes.items():
        relation = engine.controller.relations[relation_id]
        bag = relation.bag(owner)
        if bag.apply(delta):
            view = agent.views.get(relation_id)
            if owner == agent.app and relation.is_peer and view is not None:
                view.app_seen[owner] = bag.version  # the writer does not see its own write
            engine.touch(relation)
    if session.state_writes:
        state = engine.controller.charm_state.get(agent.name, {})
        engine.controller.charm_state[agent.name] = merged(state, session.state_writes)
    mark_done(engine, agent, spec)
    return state_size(session.state_writes)


def skip_failed(engine: Engine, agent: UnitAgent) -> HookSpec:
    """Mark the unit's failed hook done without running it (``juju resolved --no-retry``)."""
    spec = agent.failed
    if spec is None:
        raise ValueError(f"unit {agent.name} has no failed hook to resolve")
    mark_done(engine, agent, spec)
    engine.activate(agent.name)
    return spec


def mark_done(engine: Engine, agent: UnitAgent, spec: HookSpec) -> None:
    """Advance the unit's local state past ``spec`` (Juju's ``CommitHook``)."""
    upgrading = spec.kind == "stop" and agent.old_charm is not None
    agent.commit(spec)
    if upgrading:
        agent.old_charm = None  # the old pod has stopped: the new one starts afresh
        engine.replace_pod(agent)
    elif spec.kind == "relation-broken" and spec.relation_id is not None:
        relation = engine.controller.relation(spec.relation_id)
        relation.scope.pop(agent.name, None)
        engine.touch(relation)
    elif spec.kind == "remove":
        engine.kill(agent)
