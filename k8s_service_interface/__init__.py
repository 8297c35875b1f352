"""The shared core of the k8s-service interface: types, validation, wire, events, provider.

Charms do not import this package directly: they import one backend, ``interface_live`` or
``interface_stored``, which re-export these names next to their own ``K8sServiceRequirer``.
"""

from __future__ import annotations

from ._events import K8sServiceRequirerEvents, ServicesChangedEvent
from ._provider import K8sServiceProvider
from ._requirer import RequirerBase
from ._service import InvalidRelation, K8sService, ServicePort
from ._version import __version__ as __version__
from ._view import (
    ProviderRecord,
    ServicesView,
    build_view,
    canonical,
    canonical_json,
    services_digest,
)
from ._wire import PROTOCOL, Publication, ServiceV0, ServiceV1, ServiceV2

__all__ = [
    "PROTOCOL",
    "InvalidRelation",
    "K8sService",
    "K8sServiceProvider",
    "K8sServiceRequirerEvents",
    "ProviderRecord",
    "Publication",
    "RequirerBase",
    "ServicePort",
    "ServiceV0",
    "ServiceV1",
    "ServiceV2",
    "ServicesChangedEvent",
    "ServicesView",
    "build_view",
    "canonical",
    "canonical_json",
    "services_digest",
]
