"""The k8s-service interface, live backend: the requirer reads relation data at each access.

Switch to the cached backend by importing from ``interface_stored`` instead; nothing else changes.

Example:
    Provider (the application that runs the Service)::

        from interface_live import K8sServiceProvider

        class KfpApiCharm(ops.CharmBase):
            def __init__(self, framework):
                super().__init__(framework)
                self.service = K8sServiceProvider(
                    self, service_name="kfp-api.kubeflow", service_port=8888
                )

    Requirer (the application that uses it)::

        from interface_live import K8sServiceRequirer

        class DashboardCharm(ops.CharmBase):
            def __init__(self, framework):
                super().__init__(framework)
                self.kfp = K8sServiceRequirer(self, relation_name="kfp-api")
                framework.observe(self.kfp.on.services_changed, self._on_services_changed)

            def _on_services_changed(self, event):
                urls = [f"http://{svc.name}:{svc.port}" for svc in self.kfp.services]
"""

from __future__ import annotations

from k8s_service import (
    InvalidRelation,
    K8sService,
    K8sServiceProvider,
    K8sServiceRequirerEvents,
    ServicePort,
    ServicesChangedEvent,
)

from ._requirer import K8sServiceRequirer

__all__ = [
    "InvalidRelation",
    "K8sService",
    "K8sServiceProvider",
    "K8sServiceRequirer",
    "K8sServiceRequirerEvents",
    "ServicePort",
    "ServicesChangedEvent",
]
