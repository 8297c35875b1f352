"""Wire a provider or requirer to its ``k8s-service`` endpoint and to the events it handles.

``check_endpoint`` checks the endpoint at construction. Without it a misspelt
``relation_name`` fails deep in ops (``AttributeError`` on ``CharmEvents``) or, for a requirer,
much later with a ``KeyError``; and a requirer on a ``provides`` endpoint, a provider on a
``requires`` endpoint, or either on an endpoint of another interface works silently and never
talks to anyone. ``observe_dispatched`` observes only the events the dispatch can emit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

import ops

INTERFACE = "k8s-service"
"""The interface name that endpoints must declare in the charm's metadata."""

Role = Literal["provides", "requires"]
"""The metadata section an endpoint is declared under."""

_SECTION = {
    ops.RelationRole.provides: "provides",
    ops.RelationRole.requires: "requires",
    ops.RelationRole.peer: "peers",
}


def declared_endpoints(meta: ops.CharmMeta) -> str:
    """Describe the charm's endpoints of interface ``k8s-service``, for an error message.

    Args:
        meta: The charm's metadata.

    Returns:
        For example ``'k8s-service' (provides), 'upstreams' (requires)``, or ``none``.

    Example:
        >>> meta = ops.CharmMeta.from_yaml(
        ...     "{name: proxy, requires: {upstreams: {interface: k8s-service}}}"
        ... )
        >>> declared_endpoints(meta)
        "'upstreams' (requires)"
    """
    found = [
        f"{name!r} ({_SECTION[relation.role]})"
        for name, relation in sorted(meta.relations.items())
        if relation.interface_name == INTERFACE
    ]
    return ", ".join(found) or "none"


def check_endpoint(charm: ops.CharmBase, relation_name: str, role: Role, owner: str) -> None:
    """Raise unless ``relation_name`` is a ``k8s-service`` endpoint declared under ``role``.

    Args:
        charm: The charm constructing the provider or requirer.
        relation_name: The endpoint name the charm passed.
        role: ``provides`` for a provider, ``requires`` for a requirer.
        owner: The class being constructed, named in the message.

    Raises:
        ValueError: Naming what was given and the ``k8s-service`` endpoints the metadata declares.

    Example:
        >>> meta = {"name": "proxy", "requires": {"upstreams": {"interface": "k8s-service"}}}
        >>> charm = ops.testing.Context(ops.CharmBase, meta=meta)
        >>> with charm(charm.on.update_status(), ops.testing.State()) as mgr:
        ...     check_endpoint(mgr.charm, "upstream", "requires", "K8sServiceRequirer")
        Traceback (most recent call last):
        ...
        ValueError: K8sServiceRequirer(relation_name='upstream'): ...: 'upstreams' (requires)
    """
    relation = charm.meta.relations.get(relation_name)
    if relation is None:
        problem = f"the charm's metadata has no endpoint {relation_name!r}"
    elif relation.interface_name != INTERFACE:
        problem = (
            f"endpoint {relation_name!r} has interface {relation.interface_name!r}, "
            f"not {INTERFACE!r}"
        )
    elif _SECTION[relation.role] != role:
        wanted = "a provider" if role == "provides" else "a requirer"
        problem = (
            f"endpoint {relation_name!r} is declared under {_SECTION[relation.role]!r}, "
            f"but {wanted} needs one under {role!r}"
        )
    else:
        return
    raise ValueError(
        f"{owner}(relation_name={relation_name!r}): {problem}; "
        f"its {INTERFACE} endpoints are: {declared_endpoints(charm.meta)}"
    )


def dispatched_event_kind() -> str | None:
    """The kind of the event ops emits in this dispatch, from ``JUJU_DISPATCH_PATH``.

    Returns:
        For example ``k8s_service_relation_changed`` for ``hooks/k8s-service-relation-changed``,
        ``show_upstreams_action`` for ``actions/show-upstreams``, or ``None`` when the variable
        is unset or names neither a hook nor an action (the deprecated Harness, say).

    Example:
        >>> os.environ["JUJU_DISPATCH_PATH"] = "hooks/k8s-service-relation-changed"
        >>> dispatched_event_kind()
        'k8s_service_relation_changed'
        >>> del os.environ["JUJU_DISPATCH_PATH"]
        >>> dispatched_event_kind() is None
        True
    """
    folder, _, name = os.environ.get("JUJU_DISPATCH_PATH", "").partition("/")
    if not name:
        return None
    kind = name.replace("-", "_")
    return {"hooks": kind, "actions": f"{kind}_action"}.get(folder)


def observe_dispatched(
    owner: ops.Object, charm: ops.CharmBase, relation_name: str, handlers: Mapping[str, str]
) -> None:
    """Observe each charm event that this dispatch can emit; every one if the dispatch is unknown.

    Juju runs one hook or action per dispatch, and ops emits only its event (a deferred event
    goes back to the observer that deferred it, and the library defers none). Each
    ``Framework.observe`` checks its handler's signature, so observing handlers that cannot run
    would cost every hook, update-status included, for nothing. An event emitted by hand from
    another hook's handler does not reach the library.

    Args:
        owner: The object whose methods handle the events.
        charm: The charm whose events are observed.
        relation_name: The endpoint whose relation events ``handlers`` names.
        handlers: Each event (``relation_changed`` for the endpoint's, ``start`` for the
            charm's) with the name of the method of ``owner`` that handles it.
    """
    dispatched = dispatched_event_kind()
    prefix = relation_name.replace("-", "_") + "_"
    if dispatched is not None:
        if dispatched.startswith(prefix + "relation_"):
            dispatched = dispatched[len(prefix) :]
        handlers = {dispatched: handlers[dispatched]} if dispatched in handlers else {}
    for event, method in handlers.items():
        kind = prefix + event if event.startswith("relation_") else event
        charm.framework.observe(getattr(charm.on, kind), getattr(owner, method))
