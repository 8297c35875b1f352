"""The k8s-service interface, stored backend: the requirer caches relation data in StoredState.

Each relation's provider data is copied into its own StoredState snapshot when that relation's
events arrive, and ``K8sServiceRequirer.services`` is answered from the cache without any hook
tool. A cache lost with a Kubernetes pod is rebuilt at the next upgrade-charm, start or relation
event. Switch to the live backend by importing from ``interface_live`` instead: the API is the
same, name for name. The README shows a provider and a requirer charm.
"""

from __future__ import annotations

from k8s_service_interface import (
    InvalidRelation,
    K8sService,
    K8sServiceProvider,
    K8sServiceRequirerEvents,
    ServicePort,
    ServicesChangedEvent,
)
from k8s_service_interface._version import __version__

from ._requirer import K8sServiceRequirer

__all__ = [
    "InvalidRelation",
    "K8sService",
    "K8sServiceProvider",
    "K8sServiceRequirer",
    "K8sServiceRequirerEvents",
    "ServicePort",
    "ServicesChangedEvent",
    "__version__",
]
