"""Check at construction that a provider or requirer is wired to a ``k8s-service`` endpoint.

Without this check a misspelt ``relation_name`` fails deep in ops (``AttributeError`` on
``CharmEvents``) or, for a requirer, much later with a ``KeyError``; and a requirer on a
``provides`` endpoint, a provider on a ``requires`` endpoint, or either on an endpoint of another
interface works silently and never talks to anyone.
"""

from __future__ import annotations

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
