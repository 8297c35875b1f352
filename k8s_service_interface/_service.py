"""The public data types of the k8s-service interface and their validation rules."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from typing import Any

import attrs

from relation_protocol import shown

DNS_LABEL_PATTERN = r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?"
"""One RFC 1123 label (a Kubernetes namespace name): 1-63 lowercase letters, digits and '-'."""

DNS_NAME_PATTERN = rf"{DNS_LABEL_PATTERN}(?:\.{DNS_LABEL_PATTERN})*"
"""RFC 1123 labels joined by dots (and at most ``MAX_DNS_NAME`` characters in all)."""

PORT_NAME_PATTERN = r"(?=[-0-9]*[a-z])(?!.*--)[a-z0-9](?:[-a-z0-9]{0,13}[a-z0-9])?"
"""An IANA service name as Kubernetes checks port names: 1-15 characters of lowercase letters,
digits and '-', at least one letter, no '-' at either end, no '--'."""

PORT_DECIMAL_PATTERN = (
    r"[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]"
)
"""A port, 1-65535, in plain decimal: no sign, no leading zero, no space or newline."""

PROTOCOLS = ("TCP", "UDP", "SCTP")
"""The transport protocols a Kubernetes Service port may have."""

MAX_DNS_NAME = 253

_DNS_LABEL = re.compile(DNS_LABEL_PATTERN)
_DNS_NAME = re.compile(DNS_NAME_PATTERN)
_PORT_NAME = re.compile(PORT_NAME_PATTERN)
_PORT_DECIMAL = re.compile(PORT_DECIMAL_PATTERN)


def anchored(pattern: str) -> str:
    """Return ``pattern`` anchored for JSON Schema, whose ``pattern`` matches anywhere.

    Args:
        pattern: A regular expression matched in full by the Python checks.

    Returns:
        The same language as an ECMA-262 ``^...$`` pattern (``$`` there is the end of the text).
    """
    return f"^(?:{pattern})$"


def _label(attribute: attrs.Attribute[Any]) -> str:
    key = attribute.metadata.get("key")
    return key if isinstance(key, str) else attribute.name


def is_dns_name(value: str) -> bool:
    """Return whether ``value`` is a DNS name: RFC 1123 labels joined by dots, 253 at most.

    Args:
        value: The text to check; matched in full, so a trailing newline fails.

    Returns:
        ``True`` if it is one.
    """
    return len(value) <= MAX_DNS_NAME and _DNS_NAME.fullmatch(value) is not None


def dns_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is a DNS name: RFC 1123 labels joined by dots, 253 characters at most.

    Raises:
        ValueError: Naming the field and the value.
    """
    if not isinstance(value, str):
        raise ValueError(f"{_label(attribute)} {shown(value)} is not a string")
    if len(value) > MAX_DNS_NAME or _DNS_NAME.fullmatch(value) is None:  # is_dns_name, inlined
        raise ValueError(
            f"{_label(attribute)} {shown(value)} is not a DNS name "
            f"(RFC 1123 labels joined by dots, {MAX_DNS_NAME} characters at most)"
        )


def dns_label(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is one RFC 1123 DNS label (a Kubernetes namespace name).

    Raises:
        ValueError: Naming the field and the value.
    """
    if not isinstance(value, str) or not _DNS_LABEL.fullmatch(value):
        raise ValueError(f"{_label(attribute)} {shown(value)} is not a DNS label (RFC 1123)")


def port_number(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is an integer TCP/UDP port, 1-65535.

    Raises:
        ValueError: Naming the field and the value.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{_label(attribute)} {shown(value)} is not an integer")
    if not 1 <= value <= 65535:
        raise ValueError(f"{_label(attribute)} {value} is not in 1-65535")


def decimal_port(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is a port, 1-65535, written as a decimal string such as ``"8888"``.

    Raises:
        ValueError: Naming the field and the value.
    """
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise ValueError(f"{_label(attribute)} {shown(value)} is not an integer")
    if not _PORT_DECIMAL.fullmatch(value):
        raise ValueError(f"{_label(attribute)} {shown(value)} is not a port, 1-65535")


def port_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is a Kubernetes port name (an IANA service name).

    Raises:
        ValueError: Naming the field and the value.
    """
    if not isinstance(value, str) or not _PORT_NAME.fullmatch(value):
        raise ValueError(
            f"{_label(attribute)} {shown(value)} is not a port name (1-15 lowercase letters, "
            "digits and single '-' inside, at least one letter)"
        )


def port_protocol(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is TCP, UDP or SCTP.

    Raises:
        ValueError: Naming the field and the value.
    """
    if value not in PROTOCOLS:
        raise ValueError(f"{_label(attribute)} {shown(value)} is not one of TCP, UDP, SCTP")


@attrs.frozen
class ServicePort:
    """One named port of a Kubernetes Service.

    Example:
        >>> ServicePort("grpc", 8887)
        ServicePort(name='grpc', port=8887, protocol='TCP')
        >>> ServicePort("metrics", 9090, protocol="HTTP")
        Traceback (most recent call last):
        ...
        ValueError: protocol 'HTTP' is not one of TCP, UDP, SCTP
    """

    name: str = attrs.field(validator=port_name)
    """The port's name, such as ``http`` or ``grpc``."""

    port: int = attrs.field(validator=port_number)
    """The port number, 1-65535."""

    protocol: str = attrs.field(default="TCP", validator=port_protocol)
    """``TCP``, ``UDP`` or ``SCTP``."""


def sorted_ports(ports: Iterable[ServicePort]) -> tuple[ServicePort, ...]:
    """Return ports in their stable wire order (by name), rejecting duplicate names.

    Args:
        ports: Named ports in any order.

    Returns:
        The ports sorted by name.

    Raises:
        ValueError: If two ports have the same name.
    """
    ordered = tuple(sorted(ports, key=lambda port: port.name))
    names = [port.name for port in ordered]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"ports {shown(duplicates)} are given more than once")
    return ordered


def _ports_in_order(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple):
        raise ValueError(f"{_label(attribute)} {value!r} is not a tuple")
    ports = typing.cast("tuple[object, ...]", value)
    if not all(isinstance(port, ServicePort) for port in ports):
        raise ValueError(f"{_label(attribute)} must hold ServicePort values")
    if sorted_ports(typing.cast("tuple[ServicePort, ...]", ports)) != ports:
        raise ValueError(f"{_label(attribute)} must be sorted by name")


@attrs.frozen
class K8sService:
    """A Kubernetes Service published by one related provider application.

    Example:
        >>> svc = K8sService(name="kfp-api.kubeflow", port=8888, relation_id=3, app="kfp-api")
        >>> f"http://{svc.name}:{svc.port}"
        'http://kfp-api.kubeflow:8888'
    """

    name: str = attrs.field(validator=dns_name)
    """DNS name of the Service, for example ``kfp-api.kubeflow``; connect to it with ``port``."""

    port: int = attrs.field(validator=port_number)
    """TCP port of the Kubernetes Service, 1-65535."""

    relation_id: int
    """The id of the relation the Service came over."""

    app: str
    """The name of the remote (provider) application."""

    namespace: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(dns_label)
    )
    """The Service's namespace when the provider says it (protocol v2), else ``None``."""

    ports: tuple[ServicePort, ...] = attrs.field(default=(), validator=_ports_in_order)
    """Every named port of the Service, sorted by name (protocol v2), else empty."""


@attrs.frozen
class InvalidRelation:
    """A relation whose provider data is present but cannot be used, and why.

    Example:
        >>> bad = InvalidRelation(4, "broken", "service-port 'abc' is not an integer")
        >>> f"relation {bad.relation_id} ({bad.app}): {bad.reason}"
        "relation 4 (broken): service-port 'abc' is not an integer"
    """

    relation_id: int
    """The id of the relation."""

    app: str
    """The name of the remote application."""

    reason: str
    """What is wrong, for a person: ``service-port 'abc' is not an integer``."""


_SERVICE_FIELDS = ("name", "port", "relation_id", "app", "namespace", "ports")
_PORT_FIELDS = ("name", "port", "protocol")
if (
    tuple(field.name for field in attrs.fields(K8sService)) != _SERVICE_FIELDS
    or tuple(field.name for field in attrs.fields(ServicePort)) != _PORT_FIELDS
):  # pragma: no cover - a guard for whoever adds a field
    raise RuntimeError("validated_service and validated_port must set every field")


def validated_service(
    *,
    name: str,
    port: int,
    relation_id: int,
    app: str,
    namespace: str | None = None,
    ports: tuple[ServicePort, ...] = (),
) -> K8sService:
    """Build a ``K8sService`` from values a protocol payload has already validated.

    Charm authors build ``K8sService`` through its constructor, which checks every field; a
    decoded payload has been checked by its schema already, so this skips a second pass. Each
    field is set by name (a loop over the names costs as much again, once per relation).

    Args:
        name: A DNS name.
        port: A port, 1-65535.
        relation_id: The relation's id.
        app: The provider application's name.
        namespace: A DNS label, or ``None``.
        ports: Named ports, sorted by name, names unique.

    Returns:
        The service, equal to what the constructor would build from the same values.
    """
    service = object.__new__(K8sService)
    set_field = object.__setattr__  # the frozen class refuses its own __setattr__
    set_field(service, "name", name)
    set_field(service, "port", port)
    set_field(service, "relation_id", relation_id)
    set_field(service, "app", app)
    set_field(service, "namespace", namespace)
    set_field(service, "ports", ports)
    return service


def validated_port(name: str, port: int, protocol: str) -> ServicePort:
    """Build a ``ServicePort`` from values a protocol payload has already validated.

    Args:
        name: A port name.
        port: A port, 1-65535.
        protocol: ``TCP``, ``UDP`` or ``SCTP``.

    Returns:
        The port, equal to what the constructor would build from the same values.
    """
    service_port = object.__new__(ServicePort)
    set_field = object.__setattr__
    set_field(service_port, "name", name)
    set_field(service_port, "port", port)
    set_field(service_port, "protocol", protocol)
    return service_port
