"""The events a k8s-service requirer emits."""

from __future__ import annotations

import ops


class ServicesChangedEvent(ops.EventBase):
    """The requirer's ``services`` changed as this unit sees it.

    Emitted once per change, including a change to no services; read the new value from the
    requirer's ``services`` attribute.
    """


class K8sServiceRequirerEvents(ops.ObjectEvents):
    """Events of a ``K8sServiceRequirer``."""

    services_changed = ops.EventSource(ServicesChangedEvent)
    """See ``ServicesChangedEvent``."""
