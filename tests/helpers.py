"""The shared test charms, helpers to run them, and the backend fixtures.

The charms use the library as a charm author would; each records what its own observers saw, so
tests assert on what a charm received, never on ``ctx.emitted_events`` (which also lists events
that no observer got).

The fixtures (``backend``, ``requirer_ctx``, ``provider_ctx``) are defined here and made
available to a test folder by importing them in its ``conftest.py``
(``from tests.helpers import backend, provider_ctx, requirer_ctx``), as ``tests/contract`` and
``tests/protocol`` do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import ops
import pytest
from ops import testing

import interface_live
import interface_stored
from k8s_service_interface import InvalidRelation, K8sService, K8sServiceProvider, RequirerBase

if TYPE_CHECKING:
    from jujusim.compat import ScenarioEvent

ENDPOINT = "k8s-service"
REQUIRER_META: dict[str, Any] = {
    "name": "dashboard",
    "requires": {ENDPOINT: {"interface": "k8s-service"}},
}
PROVIDER_META: dict[str, Any] = {
    "name": "kfp-api",
    "provides": {ENDPOINT: {"interface": "k8s-service"}},
}

V0_DATA: dict[str, str] = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}
"""What a provider of the 2020 library writes (and our provider writes to an old requirer)."""


def v0_data(name: str = "kfp-api.kubeflow", port: int | str = 8888) -> dict[str, str]:
    """Return a provider application databag in the flat v0 format."""
    return {"service-name": name, "service-port": str(port)}


def expected_service(
    relation: testing.Relation, name: str = "kfp-api.kubeflow", port: int = 8888
) -> K8sService:
    """Return the service a requirer should see for a relation carrying v0 data."""
    return K8sService(name=name, port=port, relation_id=relation.id, app=relation.remote_app_name)


def provider_relation(
    app: str = "kfp-api",
    data: Mapping[str, str] | None = None,
    *,
    relation_id: int | None = None,
    units: tuple[int, ...] = (0,),
) -> testing.Relation:
    """Build the requirer's view of a relation to a provider application."""
    relation = testing.Relation(
        ENDPOINT,
        remote_app_name=app,
        remote_app_data=dict(data or {}),
        remote_units_data={unit: {} for unit in units},
    )
    return relation if relation_id is None else dataclasses.replace(relation, id=relation_id)


class RequirerCharm(ops.CharmBase):
    """A requirer charm that records every ``services_changed`` its observer receives."""

    requirer_type: ClassVar[type[RequirerBase]]

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        # Observing after constructing the library is what charm authors do: an event emitted
        # from the library's __init__ would never reach this observer.
        self.requirer = self.requirer_type(self)
        self.changes: list[tuple[K8sService, ...]] = []
        self.changed_units: list[str | None] = []
        self.read_at_end = True
        self.final_services: tuple[K8sService, ...] | None = None
        self.final_invalid: tuple[InvalidRelation, ...] | None = None
        framework.observe(self.requirer.on.services_changed, self._on_services_changed)
        framework.observe(self.on[ENDPOINT].relation_changed, self._on_relation_changed)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _on_services_changed(self, _event: ops.EventBase) -> None:
        self.changes.append(self.requirer.services)

    def _on_relation_changed(self, event: ops.RelationChangedEvent) -> None:
        self.changed_units.append(None if event.unit is None else event.unit.name)

    def _on_collect_unit_status(self, _event: ops.CollectStatusEvent) -> None:
        # A charm typically reads the library at the end of every hook to set its status.
        if self.read_at_end:
            self.final_services = self.requirer.services
            self.final_invalid = self.requirer.invalid_relations


class ProviderCharm(ops.CharmBase):
    """A provider charm publishing ``kfp-api.kubeflow:8888``."""

    provider_type: ClassVar[type[K8sServiceProvider]]

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.provider = self.provider_type(
            self, service_name="kfp-api.kubeflow", service_port=8888
        )


_REQUIRER_CHARMS: dict[str, type[RequirerCharm]] = {}
_PROVIDER_CHARMS: dict[str, type[ProviderCharm]] = {}


def requirer_charm(backend: ModuleType) -> type[RequirerCharm]:
    """Return the requirer test charm built on one backend (one class per backend)."""
    if backend.__name__ not in _REQUIRER_CHARMS:
        requirer_type: type[RequirerBase] = backend.K8sServiceRequirer
        _REQUIRER_CHARMS[backend.__name__] = type(
            "DashboardCharm", (RequirerCharm,), {"requirer_type": requirer_type}
        )
    return _REQUIRER_CHARMS[backend.__name__]


def provider_charm(backend: ModuleType) -> type[ProviderCharm]:
    """Return the provider test charm built on one backend (one class per backend)."""
    if backend.__name__ not in _PROVIDER_CHARMS:
        provider_type: type[K8sServiceProvider] = backend.K8sServiceProvider
        _PROVIDER_CHARMS[backend.__name__] = type(
            "KfpApiCharm", (ProviderCharm,), {"provider_type": provider_type}
        )
    return _PROVIDER_CHARMS[backend.__name__]


@attrs.frozen
class RequirerRun:
    """What one dispatch of the requirer charm left behind."""

    state: testing.State
    """The state after the hook."""

    changes: tuple[tuple[K8sService, ...], ...]
    """``services`` as the charm's observer saw it, once per ``services_changed`` received."""

    services: tuple[K8sService, ...] | None
    """``services`` as the charm read it at the end of the hook (``None`` if it did not read)."""

    invalid: tuple[InvalidRelation, ...] | None
    """``invalid_relations`` as the charm read it at the end of the hook."""

    changed_units: tuple[str | None, ...]
    """The remote unit of each relation-changed the charm saw (``None``: application-level)."""


def run_requirer(
    ctx: testing.Context[RequirerCharm],
    event: ScenarioEvent,
    state: testing.State,
    *,
    read_at_end: bool = True,
) -> RequirerRun:
    """Dispatch one event to the requirer charm and collect what the charm saw."""
    with ctx(event, state) as manager:
        manager.charm.read_at_end = read_at_end
        state_out = manager.run()
        charm = manager.charm
    return RequirerRun(
        state=state_out,
        changes=tuple(charm.changes),
        services=charm.final_services,
        invalid=charm.final_invalid,
        changed_units=tuple(charm.changed_units),
    )


def current(state: testing.State, relation: testing.Relation) -> testing.Relation:
    """Return the state's version of a relation (events must name the object in the state)."""
    found = state.get_relation(relation.id)
    assert isinstance(found, testing.Relation)
    return found


def updated(
    state: testing.State, relation: testing.Relation, **changes: Any
) -> tuple[testing.State, testing.Relation]:
    """Return the state, and the relation in it, after changing some of the relation's fields.

    The relation's other fields (such as what this unit wrote) are kept as the state has them.
    """
    replaced = dataclasses.replace(current(state, relation), **changes)
    relations = {r for r in state.relations if r.id != relation.id} | {replaced}
    return dataclasses.replace(state, relations=relations), replaced


def establish(
    ctx: testing.Context[RequirerCharm], state: testing.State, relation: testing.Relation
) -> testing.State:
    """Add a relation to the state and run the hooks Juju runs as it forms.

    relation-created comes before any remote unit has joined or the remote application has
    written; then each remote unit joins, with the remote application's data, and its
    relation-changed follows.
    """
    created = dataclasses.replace(relation, remote_app_data={}, remote_units_data={})
    state = dataclasses.replace(state, relations={*state.relations, created})
    state = run_requirer(ctx, ctx.on.relation_created(created), state).state
    state, formed = updated(
        state,
        relation,
        remote_app_data=relation.remote_app_data,
        remote_units_data=relation.remote_units_data,
    )
    for unit in formed.remote_units_data:
        state = run_requirer(ctx, ctx.on.relation_joined(formed, remote_unit=unit), state).state
        state = run_requirer(ctx, ctx.on.relation_changed(formed, remote_unit=unit), state).state
    return state


def established(
    ctx: testing.Context[RequirerCharm], *relations: testing.Relation, leader: bool = True
) -> testing.State:
    """Return the state of a requirer unit that started, then saw each relation form in turn."""
    state = run_requirer(ctx, ctx.on.start(), testing.State(leader=leader)).state
    for relation in relations:
        state = establish(ctx, state, relation)
    return state


BACKENDS = (interface_live, interface_stored)
"""The library's two requirer backends, as the modules a charm imports."""


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
