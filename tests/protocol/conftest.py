"""Fixtures of the protocol suite: the backend under test and contexts of the test charms."""

from __future__ import annotations

from tests.helpers import backend, provider_ctx, requirer_ctx

__all__ = ["backend", "provider_ctx", "requirer_ctx"]
