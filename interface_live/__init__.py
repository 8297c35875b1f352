"""The k8s-service interface, live backend: the requirer reads relation data at each access.

``K8sServiceRequirer.services`` is distilled from the providers' application databags whenever it
is read, so it is never behind the providers' data within a hook; the unit stores only a digest
of what it last announced. Switch to the cached backend by importing from ``interface_stored``
instead: the API is the same, name for name. The README shows a provider and a requirer charm.
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
