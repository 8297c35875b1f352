"""What a reader must make of a generated bag, written from ``interface/README.md`` alone.

It shares no code with the library: its rules are the spec's sentences, on the parts a bag was
built from (``tests.strategies.ProviderBag``), so a bug in the library's parsing or validation
cannot hide in it.
"""

from __future__ import annotations

import re
import typing
from typing import Literal

import attrs

from tests.strategies import ProviderBag

OURS = ("v0", "v1", "v2")
LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
DECIMAL_PORT = re.compile(r"[1-9][0-9]{0,4}")
VERSION = re.compile(r"v(0|[1-9][0-9]*)")
PROTOCOL_KEYS = {
    "_supported_versions",
    "data",
    "service-name",
    "service-port",
    "name",
    "port",
    "svc_name",
    "svc_port",
}
JUJU_KEYS = {"egress-subnets", "ingress-address", "private-address"}


@attrs.frozen
class Expected:
    """What the reader presents for one relation."""

    outcome: Literal["service", "invalid", "not-ready"]
    name: str | None = None
    port: int | None = None
    namespace: str | None = None
    ports: tuple[tuple[str, int, str], ...] = ()


INVALID = Expected("invalid")
NOT_READY = Expected("not-ready")


def is_dns_name(value: object) -> bool:
    """RFC 1123 labels joined by dots, 253 characters at most, matched in full."""
    return (
        isinstance(value, str)
        and len(value) <= 253
        and all(LABEL.fullmatch(label) for label in value.split("."))
    )


def is_port(value: object) -> bool:
    """An integer (not a boolean) in 1-65535."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535


def is_port_text(value: object) -> bool:
    """A port in plain decimal: digits only, no leading zero, 1-65535."""
    return isinstance(value, str) and bool(DECIMAL_PORT.fullmatch(value)) and is_port(int(value))


def is_port_name(value: object) -> bool:
    """An IANA service name: 1-15 of [a-z0-9-], a letter, no end or double hyphen."""
    return (
        isinstance(value, str)
        and 1 <= len(value) <= 15
        and bool(re.fullmatch(r"[a-z0-9-]+", value))
        and any(ch.isalpha() for ch in value)
        and not value.startswith("-")
        and not value.endswith("-")
        and "--" not in value
    )


def _v2(data: dict[str, object]) -> Expected:
    name, port = data.get("name"), data.get("port")
    namespace, ports = data.get("namespace"), data.get("ports")
    if not is_dns_name(name) or not is_port(port):
        return INVALID
    if namespace is not None and not (isinstance(namespace, str) and LABEL.fullmatch(namespace)):
        return INVALID
    read: list[tuple[str, int, str]] = []
    if ports is not None and not isinstance(ports, list):
        return INVALID
    entries = typing.cast("list[object]", ports or [])
    for entry in entries:
        if not isinstance(entry, dict):
            return INVALID
        entry = typing.cast("dict[str, object]", entry)
        port_name, number, protocol = entry["name"], entry["port"], entry.get("protocol", "TCP")
        if not is_port_name(port_name) or not is_port(number):
            return INVALID
        if protocol not in ("TCP", "UDP", "SCTP"):
            return INVALID
        assert isinstance(port_name, str)
        assert isinstance(number, int)
        assert isinstance(protocol, str)
        read.append((port_name, number, protocol))
    if len({entry[0] for entry in read}) != len(read):
        return INVALID
    assert isinstance(name, str)
    assert isinstance(port, int)
    full = name if namespace is None else f"{name}.{namespace}"
    if len(full) > 253:
        return INVALID
    ns = namespace if isinstance(namespace, str) else None
    return Expected("service", full, port, ns, tuple(sorted(read)))


def _flat(name: object, port: object) -> Expected:
    if is_dns_name(name) and is_port_text(port):
        assert isinstance(port, str)
        return Expected("service", str(name), int(port))
    return INVALID


def expected(provider: ProviderBag) -> Expected:
    """Return what the spec says a requirer speaking v0, v1 and v2 presents for this bag."""
    bag = provider.bag
    if isinstance(provider.advertised, str):
        return INVALID  # every hostile text is not a YAML list
    entries = provider.advertised
    theirs = ["v0"] if entries is None else [e for e in entries if isinstance(e, str)]
    common = [version for version in OURS if version in theirs]
    if not common:
        return INVALID
    data = provider.data
    errors = False
    for version in reversed(common):
        if version == "v0":
            present = bool(bag.get("service-name") or bag.get("service-port"))
            if present:
                result = _flat(bag.get("service-name"), bag.get("service-port"))
                if result.outcome == "service":
                    return result
                errors = True
            continue
        if data is None:
            continue
        if isinstance(data, str):
            errors = True
            continue
        if version == "v2":
            result = _v2(data)
        else:
            result = _flat(data.get("service-name"), data.get("service-port"))
        if result.outcome == "service":
            return result
        errors = True
    if errors:
        return INVALID
    if entries is not None:
        return NOT_READY
    for name_key, port_key in (("name", "port"), ("svc_name", "svc_port")):
        if bag.get(name_key) or bag.get(port_key):
            return _flat(bag.get(name_key), bag.get(port_key))
    if any(key not in PROTOCOL_KEYS | JUJU_KEYS for key in bag):
        return INVALID
    return NOT_READY


def agreed(advertised: list[object] | str | None) -> str | None:
    """Return the version our provider must write for a requirer's advertisement, if any."""
    if advertised is None:
        return "v0"
    if isinstance(advertised, str):
        return None
    theirs = [entry for entry in advertised if isinstance(entry, str) and VERSION.fullmatch(entry)]
    common = [version for version in OURS if version in theirs]
    return common[-1] if common else None
