"""Databag schemas of k8s-service v1 (serialized-data-interface charms), for the interface tester.

Both sides advertise ``_supported_versions`` (a YAML list naming ``v1``); the provider's ``data``
is a YAML mapping of two strings.
"""

from __future__ import annotations

from typing import Any

import yaml
from interface_tester.schema_base import DataBagSchema
from pydantic import BaseModel, Field, field_validator

DNS_NAME = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$"
"""RFC 1123 labels joined by dots (253 characters at most, checked apart)."""

PORT = r"^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$"
"""A decimal port, 1-65535."""


def _yaml(value: Any) -> Any:
    """Parse a databag value as YAML (every databag value is a string)."""
    return yaml.safe_load(value) if isinstance(value, str) else value


class Advertisement(BaseModel):
    """An application databag that advertises the versions its side speaks, v1 among them."""

    supported_versions: list[str] = Field(alias="_supported_versions")
    """The versions, as a YAML list such as ``[v0, v1]``."""

    @field_validator("supported_versions", mode="before")
    @classmethod
    def _parse_versions(cls, value: Any) -> Any:
        return _yaml(value)

    @field_validator("supported_versions")
    @classmethod
    def _speaks_v1(cls, value: list[str]) -> list[str]:
        if "v1" not in value:
            raise ValueError(f"{value} does not list v1")
        return value


class ServiceV1(BaseModel):
    """The mapping under ``data``."""

    service_name: str = Field(alias="service-name", pattern=DNS_NAME, max_length=253)
    """DNS name of the Service, e.g. ``kfp-api.kubeflow``."""

    service_port: str = Field(alias="service-port", pattern=PORT)
    """Port of the Service, 1-65535, as a string."""


class ProviderAppData(Advertisement):
    """The provider application's databag."""

    data: ServiceV1
    """The Service, as a YAML mapping."""

    @field_validator("data", mode="before")
    @classmethod
    def _parse_data(cls, value: Any) -> Any:
        return _yaml(value)


class ProviderSchema(DataBagSchema):
    """What a v1 provider writes: only the application databag."""

    app: ProviderAppData  # pyright: ignore[reportGeneralTypeIssues, reportIncompatibleVariableOverride]


class RequirerSchema(DataBagSchema):
    """What a v1 requirer writes: its advertisement."""

    app: Advertisement  # pyright: ignore[reportGeneralTypeIssues, reportIncompatibleVariableOverride]
