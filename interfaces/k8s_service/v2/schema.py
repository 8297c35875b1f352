"""Databag schemas of k8s-service v2 (this library's version), for ``pytest-interface-tester``.

Both sides advertise ``_supported_versions`` (a YAML list naming ``v2``); the provider's ``data``
is a YAML mapping with the Service's name, namespace, primary port and named ports.
"""

from __future__ import annotations

from typing import Any, Literal

import yaml
from interface_tester.schema_base import DataBagSchema
from pydantic import BaseModel, Field, field_validator

DNS_LABEL = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
"""One RFC 1123 label."""

DNS_NAME = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$"
"""RFC 1123 labels joined by dots (253 characters at most, checked apart)."""

PORT_NAME = r"^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$"
"""A Kubernetes port name (IANA service name)."""


def _yaml(value: Any) -> Any:
    """Parse a databag value as YAML (every databag value is a string)."""
    return yaml.safe_load(value) if isinstance(value, str) else value


class Advertisement(BaseModel):
    """An application databag that advertises the versions its side speaks, v2 among them."""

    supported_versions: list[str] = Field(alias="_supported_versions")
    """The versions, as a YAML list such as ``[v0, v1, v2]``."""

    @field_validator("supported_versions", mode="before")
    @classmethod
    def _parse_versions(cls, value: Any) -> Any:
        return _yaml(value)

    @field_validator("supported_versions")
    @classmethod
    def _speaks_v2(cls, value: list[str]) -> list[str]:
        if "v2" not in value:
            raise ValueError(f"{value} does not list v2")
        return value


class PortV2(BaseModel):
    """One named port."""

    name: str = Field(pattern=PORT_NAME)
    """Port name, e.g. ``http``."""

    port: int = Field(ge=1, le=65535, strict=True)
    """Port number."""

    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"
    """Transport protocol."""


class ServiceV2(BaseModel):
    """The mapping under ``data``."""

    name: str = Field(pattern=DNS_NAME, max_length=253)
    """Name of the Service, without the namespace."""

    port: int = Field(ge=1, le=65535, strict=True)
    """Primary port of the Service."""

    namespace: str | None = Field(default=None, pattern=DNS_LABEL)
    """Namespace of the Service."""

    ports: list[PortV2] = []
    """Every named port, sorted by name, names unique."""

    @field_validator("ports")
    @classmethod
    def _sorted_and_unique(cls, value: list[PortV2]) -> list[PortV2]:
        names = [port.name for port in value]
        if names != sorted(set(names)):
            raise ValueError(f"port names {names} are not sorted and unique")
        return value


class ProviderAppData(Advertisement):
    """The provider application's databag."""

    data: ServiceV2
    """The Service, as a YAML mapping."""

    @field_validator("data", mode="before")
    @classmethod
    def _parse_data(cls, value: Any) -> Any:
        return _yaml(value)


class ProviderSchema(DataBagSchema):
    """What a v2 provider writes: only the application databag."""

    app: ProviderAppData  # pyright: ignore[reportGeneralTypeIssues, reportIncompatibleVariableOverride]


class RequirerSchema(DataBagSchema):
    """What a v2 requirer writes: its advertisement."""

    app: Advertisement  # pyright: ignore[reportGeneralTypeIssues, reportIncompatibleVariableOverride]
