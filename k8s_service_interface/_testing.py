"""Build the relations a charm's own unit tests need, and read back what a provider published.

Charm authors import this as ``interface_live.testing`` or ``interface_stored.testing`` (the same
code): ``provider_relation`` is the relation a *requirer* charm's test puts in its state (a
remote provider that published a Service), ``requirer_relation`` the one a *provider* charm's
test needs (a remote requirer that advertised its versions), and ``published_service`` reads the
provider charm's output. Every dialect deployed on the ``k8s-service`` interface can be built:
``v0`` (the 2020 library), ``v1`` (serialized-data-interface charms), ``v2`` (this library) and
``mlops`` (the mlops_libs ``k8s_service_info`` library: flat ``name`` and ``port`` strings and no
version advertisement).

Example:
    >>> import ops
    >>> from ops import testing
    >>> from interface_live import K8sServiceRequirer
    >>> from interface_live.testing import provider_relation
    >>> class DashboardCharm(ops.CharmBase):
    ...     def __init__(self, framework: ops.Framework):
    ...         super().__init__(framework)
    ...         self.kfp = K8sServiceRequirer(self)
    >>> meta = {"name": "dashboard", "requires": {"k8s-service": {"interface": "k8s-service"}}}
    >>> ctx = testing.Context(DashboardCharm, meta=meta)
    >>> relation = provider_relation("kfp-api.kubeflow", 8888, dialect="v0")
    >>> with ctx(ctx.on.update_status(), testing.State(relations={relation})) as mgr:
    ...     [(svc.name, svc.port) for svc in mgr.charm.kfp.services]
    [('kfp-api.kubeflow', 8888)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

import attrs
import yaml
from ops import testing

from ._endpoint import INTERFACE
from ._service import ServicePort
from ._view import ProviderRecord, build_view
from ._wire import PROTOCOL, Publication

ProviderDialect = Literal["v0", "v1", "v2", "mlops"]
"""How a provider writes its databag: a protocol version, or the mlops_libs flat keys."""

RequirerDialect = Literal["v0", "v1", "v2"]
"""Which versions a requirer advertises: ``v0`` none (2020), ``v1`` ``[v1]``, ``v2`` all."""

_ADVERTISED: dict[str, tuple[str, ...] | None] = {
    "v0": None,
    "v1": ("v1",),
    "v2": PROTOCOL.supported,
}


def _advertisement(names: Iterable[str]) -> dict[str, str]:
    return {"_supported_versions": yaml.safe_dump(list(names))}


@attrs.frozen
class PublishedService:
    """What a provider published on one relation, read as a requirer speaking its dialect would.

    Example:
        >>> PublishedService("v2", "kfp-api.kubeflow", 8888, namespace="kubeflow")
        PublishedService(version='v2', name='kfp-api.kubeflow', port=8888, ...)
    """

    version: str
    """The protocol version the payload is written in (``v0``, ``v1`` or ``v2``)."""

    name: str
    """The Service's DNS name as a requirer sees it (with the namespace, if one was given)."""

    port: int
    """The Service's primary port."""

    namespace: str | None = None
    """The namespace (``v2`` only)."""

    ports: tuple[ServicePort, ...] = ()
    """The named ports, sorted by name (``v2`` only)."""


def provider_databag(
    service_name: str = "kfp-api",
    service_port: int = 8888,
    *,
    namespace: str | None = None,
    ports: Iterable[ServicePort] = (),
    dialect: ProviderDialect = "v2",
) -> dict[str, str]:
    """Return the application databag a provider of some dialect writes for a Service.

    Args:
        service_name: The Service's DNS name.
        service_port: Its primary port.
        namespace: Its namespace (kept apart in ``v2``, appended to the name in ``v0``/``v1``).
        ports: Its named ports (written in ``v2`` only).
        dialect: Whose databag to build.

    Returns:
        The databag, as Juju stores it (every value a string).

    Raises:
        ValueError: If a name or port is invalid (for ``mlops`` too: build bad data by hand).

    Example:
        >>> provider_databag("kfp-api.kubeflow", 8888, dialect="v0")
        {'service-name': 'kfp-api.kubeflow', 'service-port': '8888'}
        >>> provider_databag("metadata-grpc-service", 8080, dialect="mlops")
        {'name': 'metadata-grpc-service', 'port': '8080'}
    """
    publication = Publication(service_name, service_port, namespace, tuple(ports))
    if dialect == "mlops":
        return {"name": publication.full_name, "port": str(publication.service_port)}
    advertised = _ADVERTISED[dialect]
    version = next(version for version in PROTOCOL.versions if version.name == dialect)
    bag = version.encode(publication.payload(version))
    if advertised is None:
        return bag
    return {**_advertisement(advertised), **bag}


def provider_relation(
    service_name: str = "kfp-api",
    service_port: int = 8888,
    *,
    namespace: str | None = None,
    ports: Iterable[ServicePort] = (),
    dialect: ProviderDialect = "v2",
    endpoint: str = INTERFACE,
    remote_app_name: str = "kfp-api",
    remote_app_data: Mapping[str, str] | None = None,
) -> testing.Relation:
    """Return the relation a requirer charm's test needs: a provider that published a Service.

    Args:
        service_name: The Service's DNS name.
        service_port: Its primary port.
        namespace: Its namespace.
        ports: Its named ports (``v2`` only).
        dialect: How the remote provider writes (``v0``, ``v1``, ``v2`` or ``mlops``).
        endpoint: The requirer charm's endpoint name.
        remote_app_name: The provider application's name.
        remote_app_data: A databag to use as it is instead (for bad or unusual data).

    Returns:
        A relation with the provider's application databag and one remote unit.

    Example:
        >>> relation = provider_relation("kfp-api", 8888, namespace="kubeflow", dialect="v1")
        >>> print(relation.remote_app_data["data"], end="")
        service-name: kfp-api.kubeflow
        service-port: '8888'
    """
    if remote_app_data is None:
        remote_app_data = provider_databag(
            service_name, service_port, namespace=namespace, ports=ports, dialect=dialect
        )
    return testing.Relation(
        endpoint,
        interface=INTERFACE,
        remote_app_name=remote_app_name,
        remote_app_data=dict(remote_app_data),
    )


def requirer_relation(
    dialect: RequirerDialect = "v2",
    *,
    versions: Iterable[str] | None = None,
    endpoint: str = INTERFACE,
    remote_app_name: str = "dashboard",
) -> testing.Relation:
    r"""Return the relation a provider charm's test needs: a requirer that advertised versions.

    Args:
        dialect: Which requirer: ``v0`` advertises nothing (the 2020 library), ``v1`` ``[v1]``
            (serialized-data-interface charms), ``v2`` every version (this library).
        versions: Advertise exactly these version names instead (for example ``["v3"]``).
        endpoint: The provider charm's endpoint name.
        remote_app_name: The requirer application's name.

    Returns:
        A relation with the requirer's application databag and one remote unit.

    Example:
        >>> requirer_relation("v0").remote_app_data
        {}
        >>> requirer_relation(versions=["v3"]).remote_app_data
        {'_supported_versions': '- v3\n'}
    """
    advertised = _ADVERTISED[dialect] if versions is None else tuple(versions)
    bag = {} if advertised is None else _advertisement(advertised)
    return testing.Relation(
        endpoint, interface=INTERFACE, remote_app_name=remote_app_name, remote_app_data=bag
    )


def published_service(relation: testing.RelationBase) -> PublishedService | None:
    """Read what the provider charm under test published on a relation of its output state.

    Args:
        relation: The relation from the state a provider charm's run returned.

    Returns:
        The published Service, or ``None`` if the provider wrote no payload there.

    Raises:
        AssertionError: If what the provider wrote is invalid (the test should fail).

    Example:
        >>> relation = provider_relation("kfp-api", 8888, namespace="kubeflow")
        >>> written = testing.Relation("k8s-service", local_app_data=relation.remote_app_data)
        >>> published_service(written)
        PublishedService(version='v2', name='kfp-api.kubeflow', port=8888, namespace=...)
    """
    bag = dict(relation.local_app_data)
    view = build_view([ProviderRecord(relation.id, "provider", bag)], PROTOCOL)
    if view.invalid:
        raise AssertionError(f"the provider published invalid data: {view.invalid[0].reason}")
    if not view.services:
        return None
    service = view.services[0]
    return PublishedService(
        version=PROTOCOL.read(bag).version,
        name=service.name,
        port=service.port,
        namespace=service.namespace,
        ports=service.ports,
    )
