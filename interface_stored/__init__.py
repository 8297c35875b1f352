"""The k8s-service interface, stored backend: the requirer caches relation data in StoredState.

Each relation's provider data is validated when that relation's events arrive and the result is
kept in a few chunked records of the unit's state; ``K8sServiceRequirer.services`` is answered
from them without any hook tool. A cache that is missing (a Kubernetes pod lost it, a unit's first
hook) is built from live data at the first read, in any hook. Switch to the live backend by
importing from ``interface_live`` instead: the API is the same, name for name. The README shows
a provider and a requirer charm.
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
