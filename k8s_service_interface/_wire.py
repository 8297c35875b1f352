"""The k8s-service wire protocol: one attrs schema per version, shared by every backend.

- ``v0``: flat ``service-name`` and ``service-port`` strings in the provider's application databag
  (the 2020 library and the published interface spec).
- ``v1``: the same two fields as a YAML mapping under ``data``, both strings, as the
  serialized-data-interface schema of ``k8s-service`` requires (Kubeflow charms of 2021-2023).
- ``v2``: a YAML mapping under ``data`` with the Service's name, namespace, primary port and every
  named port (sorted by name).

Read only, from a provider that advertises no version and writes no ``v0`` key: the dialect of
``mlops_libs.v0.k8s_service_info`` (flat ``name`` and ``port`` strings; an earlier revision of it
wrote ``svc_name`` and ``svc_port``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from relation_protocol import Dialect, Protocol, Reading, Version, WireError

from ._service import (
    DNS_LABEL_PATTERN,
    DNS_NAME_PATTERN,
    MAX_DNS_NAME,
    PORT_DECIMAL_PATTERN,
    PORT_NAME_PATTERN,
    PROTOCOLS,
    K8sService,
    ServicePort,
    anchored,
    decimal_port,
    dns_label,
    dns_name,
    port_name,
    port_number,
    port_protocol,
    sorted_ports,
    validated_port,
    validated_service,
)

_NAME = {"pattern": anchored(DNS_NAME_PATTERN), "maxLength": MAX_DNS_NAME}
_LABEL = {"pattern": anchored(DNS_LABEL_PATTERN)}
_PORT = {"minimum": 1, "maximum": 65535}
_DECIMAL = {"pattern": anchored(PORT_DECIMAL_PATTERN)}


@attrs.frozen
class ServiceV0:
    """Provider payload of protocol version v0.

    Example:
        >>> bag = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}
        >>> PROTOCOL.read(bag).payload  # a provider that advertises no version speaks v0
        ServiceV0(service_name='kfp-api.kubeflow', service_port=8888)
    """

    service_name: str = attrs.field(
        validator=dns_name,
        metadata={
            "key": "service-name",
            "doc": "DNS name of the Service, e.g. kfp-api.kubeflow",
            **_NAME,
        },
    )
    service_port: int = attrs.field(
        validator=port_number,
        metadata={
            "key": "service-port",
            "doc": "Port of the Service, 1-65535, in plain decimal",
            **_PORT,
            **_DECIMAL,
        },
    )


@attrs.frozen
class ServiceV1:
    """Provider payload of protocol version v1: as v0, but the port is a YAML string.

    Example:
        >>> v1 = PROTOCOL.agreed({"_supported_versions": "[v0, v1]"})
        >>> bag = v1.encode(ServiceV1(service_name="kfp-api.kubeflow", service_port="8888"))
        >>> print(bag["data"], end="")
        service-name: kfp-api.kubeflow
        service-port: '8888'
    """

    service_name: str = attrs.field(
        validator=dns_name,
        metadata={
            "key": "service-name",
            "doc": "DNS name of the Service, e.g. kfp-api.kubeflow",
            **_NAME,
        },
    )
    service_port: str = attrs.field(
        validator=decimal_port,
        metadata={
            "key": "service-port",
            "doc": "Port of the Service, 1-65535, as a decimal string",
            **_DECIMAL,
        },
    )


@attrs.frozen
class PortV2:
    """One named port in a v2 payload."""

    name: str = attrs.field(
        validator=port_name,
        metadata={
            "doc": "Port name (IANA service name), e.g. http",
            "pattern": anchored(PORT_NAME_PATTERN),
        },
    )
    port: int = attrs.field(
        validator=port_number, metadata={"doc": "Port number, 1-65535", **_PORT}
    )
    protocol: str = attrs.field(
        default="TCP",
        validator=port_protocol,
        metadata={"doc": "TCP, UDP or SCTP", "enum": list(PROTOCOLS)},
    )


def _unique_port_names(_instance: object, _attribute: object, value: tuple[PortV2, ...]) -> None:
    if value == ():
        return  # the usual case, checked first: no names to compare
    names = [port.name for port in value]
    if len(set(names)) != len(names):
        raise ValueError("ports names are not unique")


@attrs.frozen
class ServiceV2:
    """Provider payload of protocol version v2.

    Example:
        >>> v2 = PROTOCOL.agreed({"_supported_versions": "[v0, v1, v2]"})
        >>> bag = v2.encode(ServiceV2(name="kfp-api", port=8888, namespace="kubeflow"))
        >>> print(bag["data"], end="")
        name: kfp-api
        namespace: kubeflow
        port: 8888
        ports: []
        >>> v2.decode(bag)
        ServiceV2(name='kfp-api', port=8888, namespace='kubeflow', ports=())
    """

    name: str = attrs.field(
        validator=dns_name,
        metadata={"doc": "Name of the Service (without the namespace)", **_NAME},
    )
    port: int = attrs.field(
        validator=port_number, metadata={"doc": "Primary port of the Service, 1-65535", **_PORT}
    )
    namespace: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(dns_label),
        metadata={"doc": "Namespace of the Service (null means none)", **_LABEL},
    )
    ports: tuple[PortV2, ...] = attrs.field(
        default=(),
        validator=_unique_port_names,
        metadata={"doc": "Every named port, sorted by name (null means none)"},
    )


@attrs.frozen
class MlopsService:
    """What ``mlops_libs.v0.k8s_service_info`` providers write (read only, never written).

    Example:
        >>> PROTOCOL.read({"name": "metadata-grpc-service", "port": "8080"}).payload
        MlopsService(name='metadata-grpc-service', port='8080')
    """

    name: str = attrs.field(validator=dns_name, metadata={"doc": "Name of the Service", **_NAME})
    port: str = attrs.field(
        validator=decimal_port, metadata={"doc": "Port of the Service, as a string", **_DECIMAL}
    )


@attrs.frozen
class MlopsSvcService:
    """What an earlier revision of ``mlops_libs.v0.k8s_service_info`` wrote (read only)."""

    svc_name: str = attrs.field(
        validator=dns_name, metadata={"key": "svc_name", "doc": "Name of the Service", **_NAME}
    )
    svc_port: str = attrs.field(
        validator=decimal_port,
        metadata={"key": "svc_port", "doc": "Port of the Service, as a string", **_DECIMAL},
    )


V0 = Version("v0", ServiceV0, "flat")
V1 = Version("v1", ServiceV1, "yaml")
V2 = Version("v2", ServiceV2, "yaml")
MLOPS = Dialect("mlops-libs", MlopsService)
MLOPS_SVC = Dialect("mlops-libs-svc", MlopsSvcService)

PROTOCOL = Protocol([V0, V1, V2], dialects=[MLOPS, MLOPS_SVC])
"""The k8s-service protocol with every version this library speaks."""


def protocol_for(versions: Iterable[str] | None) -> Protocol:
    """Return the k8s-service protocol restricted to some versions.

    Args:
        versions: Version names (``"v0"``, ``"v1"``, ``"v2"``), or ``None`` for all of them.

    Returns:
        The protocol speaking exactly those versions.

    Raises:
        ValueError: If a name is not a version of k8s-service, or none is given.
    """
    if versions is None:
        return PROTOCOL
    wanted = list(versions)
    unknown = sorted(set(wanted) - set(PROTOCOL.supported))
    if unknown:
        raise ValueError(
            f"versions {unknown} are not k8s-service versions {list(PROTOCOL.supported)}"
        )
    if not wanted:
        raise ValueError("versions must name at least one k8s-service version")
    return Protocol(
        (version for version in PROTOCOL.versions if version.name in wanted), PROTOCOL.dialects
    )


@attrs.frozen
class Publication:
    """What a provider charm publishes, validated at the call that gives it.

    Example:
        >>> publication = Publication("kfp-api", 8888, namespace="kubeflow")
        >>> publication.full_name
        'kfp-api.kubeflow'
        >>> publication.payload(PROTOCOL.agreed({}))  # for a requirer that advertises nothing
        ServiceV0(service_name='kfp-api.kubeflow', service_port=8888)
        >>> Publication("kfp-api", 0)
        Traceback (most recent call last):
        ...
        ValueError: service_port 0 is not in 1-65535
    """

    service_name: str = attrs.field(validator=dns_name)
    service_port: int = attrs.field(validator=port_number)
    namespace: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(dns_label)
    )
    ports: tuple[ServicePort, ...] = attrs.field(default=(), converter=sorted_ports)

    def __attrs_post_init__(self) -> None:
        # v0 and v1 requirers get the name with the namespace appended: check it at the call too.
        dns_name(self, attrs.fields(Publication).service_name, self.full_name)

    @property
    def full_name(self) -> str:
        """The Service's DNS name, with the namespace appended when one is given."""
        if self.namespace is None:
            return self.service_name
        return f"{self.service_name}.{self.namespace}"

    def payload(self, version: Version) -> object:
        """Build this publication's payload for a protocol version.

        Args:
            version: The version agreed with the requirer.

        Returns:
            An instance of the version's schema.
        """
        if version.schema is ServiceV0:
            return ServiceV0(service_name=self.full_name, service_port=self.service_port)
        if version.schema is ServiceV1:
            return ServiceV1(service_name=self.full_name, service_port=str(self.service_port))
        return ServiceV2(
            name=self.service_name,
            port=self.service_port,
            namespace=self.namespace,
            ports=tuple(PortV2(port.name, port.port, port.protocol) for port in self.ports),
        )


def _from_v0(payload: ServiceV0, relation_id: int, app: str) -> K8sService:
    return validated_service(
        name=payload.service_name, port=payload.service_port, relation_id=relation_id, app=app
    )


def _from_v1(payload: ServiceV1, relation_id: int, app: str) -> K8sService:
    return validated_service(
        name=payload.service_name, port=int(payload.service_port), relation_id=relation_id, app=app
    )


def _from_v2(payload: ServiceV2, relation_id: int, app: str) -> K8sService:
    name = payload.name
    if payload.namespace is not None:
        name = f"{payload.name}.{payload.namespace}"
        if len(name) > MAX_DNS_NAME:
            raise WireError(
                f"data: name and namespace make a DNS name of {len(name)} characters, "
                f"over {MAX_DNS_NAME}"
            )
    ports: tuple[ServicePort, ...] = ()
    if payload.ports:  # most services have none: skip sorting and building nothing
        ordered = sorted(payload.ports, key=lambda port: port.name)
        ports = tuple(validated_port(port.name, port.port, port.protocol) for port in ordered)
    return validated_service(
        name=name,
        port=payload.port,
        relation_id=relation_id,
        app=app,
        namespace=payload.namespace,
        ports=ports,
    )


def _from_mlops(payload: MlopsService, relation_id: int, app: str) -> K8sService:
    return validated_service(
        name=payload.name, port=int(payload.port), relation_id=relation_id, app=app
    )


def _from_mlops_svc(payload: MlopsSvcService, relation_id: int, app: str) -> K8sService:
    return validated_service(
        name=payload.svc_name, port=int(payload.svc_port), relation_id=relation_id, app=app
    )


_CONVERTERS: dict[type[Any], Callable[[Any, int, str], K8sService]] = {
    ServiceV0: _from_v0,
    ServiceV1: _from_v1,
    ServiceV2: _from_v2,
    MlopsService: _from_mlops,
    MlopsSvcService: _from_mlops_svc,
}
"""One converter per payload schema: a schema without one is an error, never a fall-through."""


def to_service(reading: Reading, relation_id: int, app: str) -> K8sService:
    """Turn a validated payload into the public ``K8sService``, without validating it again.

    Args:
        reading: A reading with a payload (not ``None``).
        relation_id: The relation the payload came over.
        app: The remote application's name.

    Returns:
        The service as charms see it.

    Raises:
        WireError: If the combined name is too long for a DNS name, or the payload's schema is
            not one this library converts.
    """
    payload: object = reading.payload
    converter = _CONVERTERS.get(type(payload))
    if converter is None:
        raise WireError(f"version {reading.version} has no conversion to a K8sService")
    return converter(payload, relation_id, app)
