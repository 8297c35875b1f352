"""The public data types of the k8s-service interface and their validation rules."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from typing import Any

import attrs

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_PORT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$")
_DECIMAL_PORT = re.compile(r"0|[1-9][0-9]{0,4}")
_PROTOCOLS = ("TCP", "UDP", "SCTP")
MAX_DNS_NAME = 253


def _label(attribute: attrs.Attribute[Any]) -> str:
    key = attribute.metadata.get("key")
    return key if isinstance(key, str) else attribute.name


def dns_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is a DNS name: RFC 1123 labels joined by dots, 253 characters at most.

    Raises:
        ValueError: Naming the field and the value.
    """
    if not isinstance(value, str):
        raise ValueError(f"{_label(attribute)} {value!r} is not a string")
    if len(value) > MAX_DNS_NAME or not all(_DNS_LABEL.match(part) for part in value.split(".")):
        shown = value if len(value) <= 60 else value[:57] + "..."
        raise ValueError(
            f"{_label(attribute)} {shown!r} is not a DNS name "
            f"(RFC 1123 labels joined by dots, {MAX_DNS_NAME} characters at most)"
        )


def dns_label(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is one RFC 1123 DNS label (a Kubernetes namespace name).

    Raises:
        ValueError: Naming the field and the value.
    """
    if not isinstance(value, str) or not _DNS_LABEL.match(value):
        raise ValueError(f"{_label(attribute)} {value!r} is not a DNS label (RFC 1123)")


def port_number(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is an integer TCP/UDP port, 1-65535.

    Raises:
        ValueError: Naming the field and the value.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{_label(attribute)} {value!r} is not an integer")
    if not 1 <= value <= 65535:
        raise ValueError(f"{_label(attribute)} {value} is not in 1-65535")


def decimal_port(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is a port, 1-65535, written as a decimal string such as ``"8888"``.

    Raises:
        ValueError: Naming the field and the value.
    """
    if not isinstance(value, str) or not _DECIMAL_PORT.fullmatch(value):
        raise ValueError(f"{_label(attribute)} {value!r} is not an integer")
    port_number(instance, attribute, int(value))


def port_name(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is a Kubernetes port name (IANA service name, 15 characters at most).

    Raises:
        ValueError: Naming the field and the value.
    """
    if not isinstance(value, str) or not _PORT_NAME.match(value):
        raise ValueError(
            f"{_label(attribute)} {value!r} is not a port name "
            "(lowercase letters, digits and '-', 15 characters at most)"
        )


def port_protocol(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that ``value`` is TCP, UDP or SCTP.

    Raises:
        ValueError: Naming the field and the value.
    """
    if value not in _PROTOCOLS:
        raise ValueError(f"{_label(attribute)} {value!r} is not one of TCP, UDP, SCTP")


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
        raise ValueError(f"ports {duplicates} are given more than once")
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
