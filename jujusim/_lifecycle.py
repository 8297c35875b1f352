"""The lifecycle operations behind ``Simulator``'s methods.

Each changes the controller and queues hooks on the unit agents the way Juju would; the
``Simulator`` method of the same name documents it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ops

from ._agent import UnitAgent
from ._engine import Engine
from ._records import ActionRun
from ._storage import delete_local_state


def add_app(
    engine: Engine,
    name: str,
    charm_class: type[ops.CharmBase],
    meta: Mapping[str, Any],
    units: int,
    config: Mapping[str, Any],
) -> list[str]:
    if "/" in name or not name:
        raise ValueError(f"invalid application name {name!r}")
    app = engine.new_app(name, charm_class, meta, config)
    for endpoint in app.endpoints.values():
        if endpoint.role == "peers":
            engine.controller.new_relation((endpoint,))
    return [add_unit(engine, name) for _ in range(units)]


def add_unit(engine: Engine, app: str) -> str:
    application = engine.controller.app(app)
    agent = engine.new_agent(application)
    name = agent.name
    agent.enqueue("install")
    if application.leader is None and app not in engine.elections:
        application.leader = name
        agent.enqueue("leader-elected")
    agent.enqueue("config-changed")
    agent.enqueue("start")
    for relation in engine.controller.relations.values():
        if relation.alive and relation.has_app(app):
            agent.add_pending_relation(relation)
    engine.activate(name)
    return name


def relate(engine: Engine, app1: str, endpoint1: str, app2: str, endpoint2: str) -> int:
    first = engine.endpoint(app1, endpoint1)
    second = engine.endpoint(app2, endpoint2)
    if {first.role, second.role} != {"provides", "requires"}:
        raise ValueError(
            f"cannot relate {app1}:{endpoint1} ({first.role}) "
            f"to {app2}:{endpoint2} ({second.role})"
        )
    if first.interface != second.interface:
        raise ValueError(f"interfaces differ: {first.interface!r} != {second.interface!r}")
    for relation in engine.controller.relations.values():
        if relation.alive and set(relation.endpoints) == {first, second}:
            raise ValueError(f"relation {app1}:{endpoint1} {app2}:{endpoint2} already exists")
    relation = engine.controller.new_relation((first, second))
    for unit in engine.live_units(app1) + engine.live_units(app2):
        engine.agents[unit].add_pending_relation(relation)
        engine.activate(unit)
    return relation.id


def unrelate(engine: Engine, relation_id: int) -> None:
    relation = engine.controller.relation(relation_id)
    if not relation.alive:
        raise ValueError(f"relation {relation_id} is already removed")
    if relation.is_peer:
        raise ValueError("peer relations cannot be removed")
    relation.alive = False
    for endpoint in relation.endpoints:
        for unit in engine.controller.app(endpoint.app).units:
            engine.agents[unit].drop_pending_relation(relation_id)
    engine.touch(relation)


def remove_unit(engine: Engine, unit: str) -> None:
    agent = engine.live_agent(unit)
    agent.dying = True
    engine.resign(unit)
    for relation_id in list(agent.to_create):
        agent.drop_pending_relation(relation_id)
    if not agent.installed:
        engine.kill(agent)
        return
    agent.lifecycle.clear()
    agent.pinned = False
    agent.old_charm = None
    agent.update_status_pending = False
    for relation_id in agent.views:
        agent.mark(relation_id)
    engine.activate(unit)


def set_leader(engine: Engine, unit: str) -> None:
    agent = engine.live_agent(unit)
    app = engine.controller.app(agent.app)
    engine.elections.pop(app.name, None)
    if app.leader != unit:
        if app.leader is not None:
            # Juju runs leader-elected on a unit only while it holds leadership.
            previous = engine.agents[app.leader]
            if "leader-elected" in previous.lifecycle:
                previous.lifecycle.remove("leader-elected")
                engine.activate(previous.name)
        app.leader = unit
        agent.enqueue("leader-elected")
        engine.activate(unit)


def upgrade_charm(engine: Engine, app: str, charm_class: type[ops.CharmBase] | None) -> None:
    application = engine.controller.app(app)
    old_class = application.charm_class
    if charm_class is not None:
        application.charm_class = charm_class
    for unit in engine.live_units(app):
        agent = engine.agents[unit]
        if agent.installed:
            agent.old_charm = agent.old_charm or old_class  # a pending upgrade's old pod stays
            agent.enqueue_front(["stop"])
        else:
            engine.replace_pod(agent)
        engine.activate(unit)


def reschedule(engine: Engine, unit: str) -> None:
    agent = engine.live_agent(unit)
    engine.replace_pod(agent)
    engine.activate(unit)


def restart_container(engine: Engine, unit: str) -> None:
    agent = engine.live_agent(unit)
    if agent.installed:
        agent.enqueue_front(["start"])
    engine.activate(unit)


def _units(engine: Engine, app_or_unit: str | None) -> list[UnitAgent]:
    if app_or_unit is None:
        units = [u for app in engine.controller.apps for u in engine.live_units(app)]
    elif "/" in app_or_unit:
        units = [engine.agent(app_or_unit).name]
    else:
        units = engine.live_units(app_or_unit)
    for unit in units:
        engine.activate(unit)
    return [engine.agents[unit] for unit in units]


def update_status(engine: Engine, app_or_unit: str | None) -> None:
    for agent in _units(engine, app_or_unit):
        agent.update_status_pending = True


def _declared(engine: Engine, unit: str, section: str, name: str) -> None:
    meta = engine.controller.app(engine.agent(unit).app).meta
    declared: Mapping[str, Any] = meta.get(section) or {}
    if name not in declared:
        raise ValueError(f"{unit}'s charm declares no {section} {name!r}: {sorted(declared)}")


def pebble_ready(engine: Engine, unit: str, container: str) -> None:
    _declared(engine, unit, "containers", container)
    [agent] = _units(engine, unit)
    agent.workloads.append(container)


def secret_changed(
    engine: Engine,
    app_or_unit: str,
    secret_id: str,
    content: Mapping[str, str] | None,
    label: str | None,
) -> None:
    if not secret_id.startswith("secret:"):
        raise ValueError(f"a secret id starts with 'secret:', not {secret_id!r}")
    engine.controller.secrets[secret_id] = dict(
        content or engine.controller.secrets.get(secret_id, {})
    )
    if label is not None:
        engine.controller.secret_labels[label] = secret_id
    for agent in _units(engine, app_or_unit):
        agent.secrets[secret_id] = label


def run_action(engine: Engine, unit: str, name: str, params: Mapping[str, Any]) -> str:
    _declared(engine, unit, "actions", name)
    action = ActionRun(id=str(len(engine.actions) + 1), unit=unit, name=name, params=dict(params))
    engine.actions[action.id] = action
    [agent] = _units(engine, unit)
    agent.actions.append(action)
    return action.id


def forget_state(engine: Engine, unit: str) -> None:
    agent = engine.agent(unit)
    delete_local_state(agent.charm_dir)
    agent.local_rows = {}
    engine.controller.charm_state.pop(unit, None)


def set_relation_data(
    engine: Engine, relation_id: int, owner: str, data: Mapping[str, str]
) -> None:
    relation = engine.controller.relation(relation_id)
    if relation.bag(owner).apply(data):
        engine.touch(relation)


def set_config(engine: Engine, app: str, values: Mapping[str, Any]) -> None:
    application = engine.controller.app(app)
    for key, value in values.items():
        if value is None:
            application.config.pop(key, None)
        else:
            application.config[key] = value
    for unit in engine.live_units(app):
        engine.agents[unit].enqueue("config-changed")
        engine.activate(unit)


def scale(engine: Engine, app: str, units: int) -> list[str]:
    if units < 0:
        raise ValueError(f"cannot scale {app} to {units} units")
    live = engine.live_units(app)
    added = [add_unit(engine, app) for _ in range(units - len(live))]
    for unit in reversed(live[units:]):
        remove_unit(engine, unit)
    return added


def migrate(engine: Engine) -> None:
    for agent in engine.agents.values():
        if agent.dead or agent.dying or not agent.installed:
            continue
        for relation_id, view in agent.views.items():
            if not view.relation.alive:
                continue
            view.members = dict.fromkeys(view.members, -1)  # every version seen is now unknown
            view.app_seen[view.remote_app] = -1
            agent.mark(relation_id)
        engine.activate(agent.name)
