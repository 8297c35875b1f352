"""The controller's model: applications, units, leaders, relations and their databags.

Databags are copy-on-write: a ``Bag`` holds an immutable mapping that is replaced, never mutated,
on every change, so hook snapshots and records can share it without copying.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, cast

import ops

from ._records import EMPTY_BAG


def app_of(unit: str) -> str:
    return unit.rsplit("/", 1)[0]


def sort_units(units: Iterable[str]) -> list[str]:
    """Sort unit names by application name, then by unit number."""
    return sorted(units, key=lambda u: (app_of(u), int(u.rsplit("/", 1)[1])))


def merged(data: Mapping[str, str], delta: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``data`` with a ``relation-set`` style delta applied (an empty value deletes)."""
    new = dict(data)
    for key, value in delta.items():
        if value == "":
            new.pop(key, None)
        else:
            new[key] = value
    return new


@dataclasses.dataclass(slots=True, eq=False)
class Bag:
    """One databag: an immutable mapping plus a version bumped on every real change."""

    data: Mapping[str, str] = dataclasses.field(default_factory=lambda: EMPTY_BAG)
    version: int = 0

    def apply(self, delta: Mapping[str, str]) -> bool:
        """Apply a ``relation-set`` style delta (an empty value deletes); return if it changed."""
        new = merged(self.data, delta)
        if new == self.data:
            return False
        self.data = MappingProxyType(new)
        self.version += 1
        return True


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """An application endpoint: its role is ``provides``, ``requires`` or ``peers``."""

    app: str
    name: str
    role: str
    interface: str


@dataclasses.dataclass(eq=False)
class Relation:
    """A relation in the controller.

    Attributes:
        endpoints: Two endpoints, or one for a peer relation.
        alive: False once the relation has been removed (``unrelate``).
        bags: The databags, by owner: an application, or a unit (``<app>/<n>``, kept after the
            unit leaves scope).
        scope: The units in scope, in the order they entered.
    """

    id: int
    endpoints: tuple[Endpoint, ...]
    alive: bool = True
    bags: dict[str, Bag] = dataclasses.field(default_factory=dict[str, Bag])
    scope: dict[str, None] = dataclasses.field(default_factory=dict[str, None])

    @property
    def is_peer(self) -> bool:
        return len(self.endpoints) == 1

    def has_app(self, app: str) -> bool:
        return any(e.app == app for e in self.endpoints)

    def bag(self, owner: str) -> Bag:
        """The databag of ``owner`` (an application or a unit), created empty on first use."""
        if owner not in self.bags:
            self.bags[owner] = Bag()
        return self.bags[owner]

    def data(self, owner: str) -> Mapping[str, str]:
        """The committed databag of ``owner``, empty if it has none (without creating one)."""
        bag = self.bags.get(owner)
        return EMPTY_BAG if bag is None else bag.data

    def remote_members(self, unit: str) -> list[str]:
        """Units in scope that ``unit`` would see as remote members, sorted by number."""
        if self.is_peer:
            return sort_units(u for u in self.scope if u != unit)
        return sort_units(u for u in self.scope if app_of(u) != app_of(unit))


@dataclasses.dataclass(eq=False)
class Application:
    """An application in the controller.

    Attributes:
        meta: The ``metadata.yaml`` content.
        config: The explicitly set configuration (what ``config-get`` answers).
        units: All unit names ever created, in creation order (``<app>/<index>``).
    """

    name: str
    charm_class: type[ops.CharmBase]
    meta: dict[str, Any]
    endpoints: dict[str, Endpoint]
    config: dict[str, Any]
    units: list[str] = dataclasses.field(default_factory=list[str])
    leader: str | None = None


def endpoints_from_meta(app: str, meta: Mapping[str, Any]) -> dict[str, Endpoint]:
    """Read the endpoints of ``app`` from its metadata."""
    endpoints: dict[str, Endpoint] = {}
    for role in ("provides", "requires", "peers"):
        section: Mapping[str, Any] = meta.get(role) or {}
        for name, spec in section.items():
            interface: Any = spec
            if isinstance(spec, Mapping):
                interface = cast("Mapping[str, Any]", spec).get("interface", "")
            if name in endpoints:
                raise ValueError(f"endpoint {name!r} of {app!r} is declared twice")
            endpoints[name] = Endpoint(app, name, role, str(interface))
    return endpoints


class Controller:
    """The truth: applications, relations, leaders, config and charm state.

    ``statuses`` holds the workload status and message last set, by unit or application.
    """

    def __init__(self) -> None:
        self.apps: dict[str, Application] = {}
        self.relations: dict[int, Relation] = {}
        self.statuses: dict[str, tuple[str, str]] = {}
        self.charm_state: dict[str, dict[str, str]] = {}
        self.secrets: dict[str, dict[str, str]] = {}
        self.secret_labels: dict[str, str] = {}

    def app(self, name: str) -> Application:
        try:
            return self.apps[name]
        except KeyError:
            raise KeyError(f"no application {name!r}") from None

    def new_relation(self, endpoints: tuple[Endpoint, ...]) -> Relation:
        """Create a relation between ``endpoints`` with the next id (removed ones stay listed)."""
        relation = Relation(len(self.relations), endpoints)
        self.relations[relation.id] = relation
        return relation

    def relation(self, relation_id: int) -> Relation:
        try:
            return self.relations[relation_id]
        except KeyError:
            raise KeyError(f"no relation {relation_id}") from None

    def is_leader(self, unit: str) -> bool:
        """Whether ``unit`` holds its application's leadership now."""
        app = self.apps.get(app_of(unit))
        return app is not None and app.leader == unit
