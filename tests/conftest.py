"""Shared test set-up: the hypothesis profile, the backend fixture and test-charm contexts."""

from __future__ import annotations

import os
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings
from ops import testing

import interface_live
import interface_stored
from tests.contract.charms import (
    PROVIDER_META,
    REQUIRER_META,
    ProviderCharm,
    RequirerCharm,
    provider_charm,
    requirer_charm,
)

settings.register_profile(
    "default",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# CI runs the same examples every time, so a red run can be reproduced; locally they vary.
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
)

BACKENDS = (interface_live, interface_stored)


@pytest.fixture(params=BACKENDS, ids=lambda module: module.__name__, scope="session")
def backend(request: pytest.FixtureRequest) -> ModuleType:
    """One backend module; a charm switches between them by changing only its import."""
    module: ModuleType = request.param
    return module


@pytest.fixture
def requirer_ctx(backend: ModuleType) -> testing.Context[RequirerCharm]:
    """A context for the requirer test charm on the backend under test."""
    return testing.Context(requirer_charm(backend), meta=REQUIRER_META)


@pytest.fixture
def provider_ctx(backend: ModuleType) -> testing.Context[ProviderCharm]:
    """A context for the provider test charm on the backend under test."""
    return testing.Context(provider_charm(backend), meta=PROVIDER_META)
