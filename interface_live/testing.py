r"""Helpers for a charm's unit tests: build k8s-service relations, read what a provider published.

The same code serves both backends (``interface_live.testing`` and ``interface_stored.testing``),
because what is on the wire does not depend on the backend.

Example:
    >>> from interface_live.testing import provider_relation, requirer_relation
    >>> provider_relation("kfp-api.kubeflow", 8888, dialect="v0").remote_app_data
    {'service-name': 'kfp-api.kubeflow', 'service-port': '8888'}
    >>> requirer_relation("v1").remote_app_data
    {'_supported_versions': '- v1\n'}
"""

from __future__ import annotations

from k8s_service_interface._testing import (
    ProviderDialect,
    PublishedService,
    RequirerDialect,
    provider_databag,
    provider_relation,
    published_service,
    requirer_relation,
)

__all__ = [
    "ProviderDialect",
    "PublishedService",
    "RequirerDialect",
    "provider_databag",
    "provider_relation",
    "published_service",
    "requirer_relation",
]
