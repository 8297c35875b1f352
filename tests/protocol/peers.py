"""Remote peers of the protocol suite: what other versions of the interface put on the wire."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from ops import testing

from k8s_service_interface import K8sService, K8sServiceProvider, Publication, ServicePort
from k8s_service_interface._wire import V0, V1, V2
from relation_protocol import Protocol, Version

ALL_VERSIONS = (V0, V1, V2)

SUBSETS: tuple[tuple[Version, ...], ...] = tuple(
    subset
    for size in range(1, len(ALL_VERSIONS) + 1)
    for subset in itertools.combinations(ALL_VERSIONS, size)
)
"""Every non-empty subset of {v0, v1, v2}."""


def subset_id(subset: tuple[Version, ...]) -> str:
    """Name a subset of versions for a test id, such as ``v0+v2``."""
    return "+".join(version.name for version in subset)


PUBLICATION = Publication(
    "kfp-api",
    8888,
    namespace="kubeflow",
    ports=(ServicePort("http", 8888), ServicePort("grpc", 8887, "TCP")),
)
"""A Service whose v2 form (namespace, named ports) differs visibly from its v0/v1 form."""


def publish(provider: K8sServiceProvider) -> None:
    """Have a provider publish ``PUBLICATION``, as a charm would in one of its handlers."""
    provider.publish(
        PUBLICATION.service_name,
        PUBLICATION.service_port,
        namespace=PUBLICATION.namespace,
        ports=PUBLICATION.ports,
    )


def service_seen(version: str, relation: testing.Relation) -> K8sService:
    """Return the service a requirer sees for ``PUBLICATION`` sent in a version."""
    if version == "v2":
        return K8sService(
            name="kfp-api.kubeflow",
            port=8888,
            relation_id=relation.id,
            app=relation.remote_app_name,
            namespace="kubeflow",
            ports=(ServicePort("grpc", 8887), ServicePort("http", 8888)),
        )
    return K8sService(
        name="kfp-api.kubeflow", port=8888, relation_id=relation.id, app=relation.remote_app_name
    )


def as_stored(entries: Mapping[str, str]) -> dict[str, str]:
    """Return a databag as Juju keeps it after a write (an empty value deletes the key)."""
    return {key: value for key, value in entries.items() if value}


def peer_databag(versions: tuple[Version, ...], remote_bag: Mapping[str, str]) -> dict[str, str]:
    """Return the databag a provider supporting ``versions`` writes, negotiating with a bag."""
    return as_stored(Protocol(versions).write(remote_bag, PUBLICATION.payload))


def payload_keys(version: Version) -> set[str]:
    """Return the keys a version's payload occupies, plus the advertisement."""
    return {"_supported_versions", *version.keys}
