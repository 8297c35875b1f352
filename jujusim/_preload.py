"""``Simulator.preload``: a requirer related to many providers, settled without running a hook.

It writes the controller and the unit agents' views as if every ``install``, ``leader-elected``,
``config-changed``, ``start``, ``relation-created``, ``relation-joined`` and ``relation-changed``
had run and committed. No charm code runs, so no unit has stored state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

import ops

from ._controller import Application, Endpoint, Relation, endpoints_from_meta
from ._engine import Engine
from ._records import EMPTY_BAG
from ._relation_view import RelationView

if TYPE_CHECKING:
    from typing_extensions import Required  # typing.Required is Python 3.11+

ProviderData = Mapping[str, str] | Callable[[str, Mapping[str, str]], Mapping[str, str]]
"""A provider application's databag: fixed, or built from the provider's name and the
requirer application's databag (for version negotiation). Empty values are left out."""

ProviderConfig = Mapping[str, Any] | Callable[[str], Mapping[str, Any]]
"""A provider application's configuration: fixed, or built from its name."""


class PreloadOptions(TypedDict, total=False):
    """The keyword arguments of ``Simulator.preload``: the first four are required."""

    requirer_meta: Required[Mapping[str, Any]]
    """The requirer charm's ``metadata.yaml`` content (no peer relations)."""
    provider_charm: Required[type[ops.CharmBase]]
    """The charm class the provider units run."""
    provider_meta: Required[Mapping[str, Any]]
    """The provider charm's ``metadata.yaml`` content (no peer relations)."""
    providers: Required[int]
    """How many provider applications (and so relations) there are."""
    units_per_provider: int
    """Units of each provider application (1)."""
    provider_data: ProviderData
    """Each provider application's databag (see ``ProviderData``); empty by default."""
    requirer_data: Mapping[str, str]
    """The requirer application's databag, the same on every relation (empty)."""
    provider_config: ProviderConfig
    """Each provider application's configuration (see ``ProviderConfig``; empty)."""
    requirer_units: int
    """Units of the requirer application (1)."""
    provider_prefix: str
    """Provider applications are named ``<prefix>1`` to ``<prefix>N`` (``p``)."""


def settle_providers(
    engine: Engine,
    requirer_app: str,
    requirer_charm: type[ops.CharmBase],
    options: PreloadOptions,
) -> dict[int, str]:
    """Deploy a requirer related to many providers, already settled (``Simulator.preload``)."""
    requirer_meta, provider_meta = options["requirer_meta"], options["provider_meta"]
    provider_charm, providers = options["provider_charm"], options["providers"]
    units_per_provider = options.get("units_per_provider", 1)
    provider_config = options.get("provider_config", EMPTY_BAG)
    requirer_units = options.get("requirer_units", 1)
    if providers < 0 or units_per_provider < 1 or requirer_units < 1:
        raise ValueError("need providers >= 0, units_per_provider >= 1 and requirer_units >= 1")
    ours, theirs = _endpoint_pair(requirer_meta, provider_meta)
    names = [f"{options.get('provider_prefix', 'p')}{n}" for n in range(1, providers + 1)]
    taken = [name for name in (requirer_app, *names) if name in engine.controller.apps]
    if taken:
        raise ValueError(f"application {taken[0]!r} already exists")
    requirer = _deploy(engine, requirer_app, requirer_charm, requirer_meta, requirer_units, {})
    relations: dict[int, str] = {}
    for name in names:
        config = provider_config(name) if callable(provider_config) else provider_config
        provider = _deploy(engine, name, provider_charm, provider_meta, units_per_provider, config)
        endpoint = provider.endpoints[theirs]
        relation = engine.controller.new_relation((requirer.endpoints[ours], endpoint))
        _settle(engine, relation, requirer, provider, options)
        relations[relation.id] = name
    return relations


def _deploy(
    engine: Engine,
    name: str,
    charm_class: type[ops.CharmBase],
    meta: Mapping[str, Any],
    units: int,
    config: Mapping[str, Any],
) -> Application:
    """Add an application whose units have installed and started (without running hooks)."""
    app = engine.new_app(name, charm_class, meta, config)
    for _ in range(units):
        agent = engine.new_agent(app)
        agent.installed = True
        agent.started = True
    app.leader = app.units[0]
    return app


def _endpoint_pair(
    requirer_meta: Mapping[str, Any], provider_meta: Mapping[str, Any]
) -> tuple[str, str]:
    """The one (requirer endpoint, provider endpoint) pair that can be related; no peers."""
    sides: list[list[Endpoint]] = []
    for meta in (requirer_meta, provider_meta):
        endpoints = list(endpoints_from_meta(str(meta.get("name", "")), meta).values())
        if any(endpoint.role == "peers" for endpoint in endpoints):
            raise ValueError(f"preload does not support peer relations ({meta.get('name')!r})")
        sides.append(endpoints)
    pairs = [
        (ours.name, theirs.name)
        for ours in sides[0]
        for theirs in sides[1]
        if {ours.role, theirs.role} == {"provides", "requires"}
        and ours.interface == theirs.interface
    ]
    if len(pairs) != 1:
        raise ValueError(f"expected one pair of endpoints to relate, found {pairs}")
    return pairs[0]


def _settle(
    engine: Engine,
    relation: Relation,
    requirer: Application,
    provider: Application,
    options: PreloadOptions,
) -> None:
    """Fill a relation's databags and every member's view as if all its hooks had run."""
    units = [*requirer.units, *provider.units]
    for unit in units:
        relation.scope[unit] = None
        relation.bag(unit)
    requirer_bag = relation.bag(requirer.name)
    requirer_bag.apply(options.get("requirer_data", EMPTY_BAG))  # an empty value is left out
    provider_data = options.get("provider_data", EMPTY_BAG)
    data = (
        provider_data(provider.name, requirer_bag.data)
        if callable(provider_data)
        else provider_data
    )
    relation.bag(provider.name).apply(data)
    for unit in units:
        agent = engine.agents[unit]
        view = RelationView.of(relation, agent.app)
        view.members = {m: relation.bag(m).version for m in relation.remote_members(unit)}
        view.app_seen = {view.remote_app: relation.bag(view.remote_app).version}
        agent.views[relation.id] = view
        agent.mark(relation.id)
