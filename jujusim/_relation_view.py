"""What one unit's agent knows about one relation, and Juju's resolver for that relation.

The resolver follows Juju's uniter (``worker/uniter/relation/resolver.go``,
``nextHookForRelation``): it compares the remote state (members in scope and their settings
versions, the remote application settings version) with what the unit has already seen, so that
any number of remote writes between two hooks of the unit produce one ``relation-changed`` that
reads the newest data, and a relation that dies drops its pending changes and runs departed hooks
and then ``relation-broken``.
"""

from __future__ import annotations

import dataclasses
import functools

from ._controller import Relation, app_of, sort_units
from ._records import HookSpec
from .vocabulary import RelationHook


@dataclasses.dataclass(slots=True, eq=False)
class RelationView:
    """What one unit's agent knows about one relation (Juju's relation state directory).

    Attributes:
        endpoint: The unit's own endpoint name.
        remote_app: The application on the other side (own application for peers).
        members: Remote units the unit has run ``relation-joined`` for, with the settings
            version it last saw for each.
        app_seen: The remote application settings version the unit last saw.
        changed_pending: A unit whose ``relation-changed`` must follow its ``relation-joined``.
    """

    relation: Relation
    endpoint: str
    remote_app: str
    members: dict[str, int] = dataclasses.field(default_factory=dict[str, int])
    app_seen: dict[str, int] = dataclasses.field(default_factory=dict[str, int])
    changed_pending: str | None = None

    @classmethod
    def of(cls, relation: Relation, app: str) -> RelationView:
        """A unit of ``app``'s view of ``relation`` before it has seen anyone join."""
        [endpoint] = [e.name for e in relation.endpoints if e.app == app]
        remote = [e.app for e in relation.endpoints if e.app != app]
        return cls(relation, endpoint, remote[0] if remote else app)  # a peer's remote is itself

    def juju_broken(self) -> bool:
        """Juju 3.4+'s rule for leaving a relation out of ``relation-ids``.

        A non-peer relation that is no longer alive and has no members left in the unit's view.
        """
        return not self.relation.is_peer and not self.relation.alive and not self.members


def next_relation_hook(view: RelationView, unit: str, *, dying: bool) -> HookSpec | None:
    """Juju's ``nextHookForRelation``: the next hook ``unit`` owes the relation, if any."""
    relation = view.relation
    remote_broken = not relation.alive or dying
    remote_members: dict[str, int] = {}
    app_version: int | None = None
    if not remote_broken:
        for member in relation.remote_members(unit):
            remote_members[member] = relation.bag(member).version
        app_version = relation.bag(view.remote_app).version
    spec = functools.partial(HookSpec, relation_id=relation.id, endpoint=view.endpoint)

    def of_unit(
        kind: RelationHook, member: str, version: int, departing: str | None = None
    ) -> HookSpec:
        return spec(
            kind,
            remote_unit=member,
            remote_app=app_of(member),
            departing_unit=departing,
            version=version,
        )

    if view.changed_pending is not None:
        member = view.changed_pending
        return of_unit("relation-changed", member, remote_members.get(member, 0))
    for member in sort_units(view.members):
        if member not in remote_members:
            departing = unit if dying else member
            return of_unit("relation-departed", member, view.members[member], departing)
    if remote_broken and not relation.is_peer:
        return spec("relation-broken", remote_app=view.remote_app)
    if app_version is not None and view.app_seen.get(view.remote_app, 0) != app_version:
        return spec("relation-changed", remote_app=view.remote_app, version=app_version)
    for member, version in remote_members.items():
        if member not in view.members:
            return of_unit("relation-joined", member, version)
    for member, version in remote_members.items():
        if view.members[member] != version:
            return of_unit("relation-changed", member, version)
    return None


def relation_list(view: RelationView, spec: HookSpec) -> list[str]:
    """``relation-list`` for ``view`` during hook ``spec``.

    The units the unit has joined; during the hook of a remote unit that unit counts as a
    member (Juju's ``RelationCache.InvalidateMember``), except in its departed hook
    (``RemoveMember``).
    """
    members = sort_units(view.members)
    unit = spec.remote_unit
    if spec.relation_id != view.relation.id or unit is None:
        return members
    if spec.kind == "relation-departed":
        return [u for u in members if u != unit]
    if unit not in view.members:
        return sort_units([*members, unit])
    return members
