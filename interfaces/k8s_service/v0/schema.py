"""Databag schemas of k8s-service v0 (the 2020 library), for ``pytest-interface-tester``.

The provider's leader writes two flat strings; the requirer writes nothing that v0 needs. Keys
another version adds (such as ``_supported_versions``) are allowed and ignored here.
"""

from __future__ import annotations

from interface_tester.schema_base import DataBagSchema
from pydantic import BaseModel, Field

DNS_NAME = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$"
"""RFC 1123 labels joined by dots (253 characters at most, checked apart)."""

PORT = r"^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$"
"""A decimal port, 1-65535."""


class ProviderAppData(BaseModel):
    """The provider application's databag."""

    service_name: str = Field(alias="service-name", pattern=DNS_NAME, max_length=253)
    """DNS name of the Service, e.g. ``kfp-api.kubeflow``."""

    service_port: str = Field(alias="service-port", pattern=PORT)
    """Port of the Service, 1-65535, as a decimal string."""


class ProviderSchema(DataBagSchema):
    """What a v0 provider writes: only the application databag."""

    app: ProviderAppData  # pyright: ignore[reportGeneralTypeIssues, reportIncompatibleVariableOverride]


class RequirerSchema(DataBagSchema):
    """What a v0 requirer writes: nothing that v0 reads."""
