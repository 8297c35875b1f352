"""The events a k8s-service requirer emits."""

from __future__ import annotations

import ops


class ServicesChangedEvent(ops.EventBase):
    """The requirer's ``services`` changed as this unit sees it.

    Emitted once per change, including a change to no services; read the new value from the
    requirer's ``services`` attribute.

    Example:
        >>> import ops
        >>> from ops import testing
        >>> from interface_live import K8sServiceRequirer
        >>> class DashboardCharm(ops.CharmBase):
        ...     def __init__(self, framework: ops.Framework):
        ...         super().__init__(framework)
        ...         self.kfp = K8sServiceRequirer(self)
        ...         framework.observe(self.kfp.on.services_changed, self._on_services_changed)
        ...
        ...     def _on_services_changed(self, event: ServicesChangedEvent):
        ...         print([f"{svc.name}:{svc.port}" for svc in self.kfp.services])
        >>> meta = {"name": "dashboard", "requires": {"k8s-service": {"interface": "k8s-service"}}}
        >>> ctx = testing.Context(DashboardCharm, meta=meta)
        >>> bag = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}
        >>> relation = testing.Relation("k8s-service", remote_app_data=bag)
        >>> _ = ctx.run(ctx.on.relation_created(relation), testing.State(relations={relation}))
        ['kfp-api.kubeflow:8888']
    """


class K8sServiceRequirerEvents(ops.ObjectEvents):
    """Events of a ``K8sServiceRequirer``: its ``on`` attribute, which charms observe.

    Example:
        >>> from interface_live import K8sServiceRequirer
        >>> isinstance(K8sServiceRequirer.on, K8sServiceRequirerEvents)
        True
        >>> K8sServiceRequirerEvents.services_changed.event_type is ServicesChangedEvent
        True
    """

    services_changed = ops.EventSource(ServicesChangedEvent)
    """See ``ServicesChangedEvent``."""
