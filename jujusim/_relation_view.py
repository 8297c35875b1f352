"""What one unit's agent knows about one relation (Juju's relation state directory)."""

from __future__ import annotations

from ._controller import Relation

__all__ = ["RelationView"]


class RelationView:
    """What one unit's agent knows about one relation (Juju's relation state directory).

    Attributes:
        relation: The controller relation.
        endpoint: The unit's endpoint name.
        remote_app: The application on the other side (own application for peers).
        members: Remote units the unit has run ``relation-joined`` for, with the settings
            version it last saw for each.
        app_seen: The remote application settings version the unit last saw.
        changed_pending: A unit whose ``relation-changed`` must follow its ``relation-joined``.
        created: Whether ``relation-created`` has succeeded.
    """

    __slots__ = (
        "app_seen",
        "changed_pending",
        "created",
        "endpoint",
        "members",
        "relation",
        "remote_app",
    )

    def __init__(self, relation: Relation, endpoint: str, remote_app: str) -> None:
        self.relation = relation
        self.endpoint = endpoint
        self.remote_app = remote_app
        self.members: dict[str, int] = {}
        self.app_seen: dict[str, int] = {}
        self.changed_pending: str | None = None
        self.created = False

    def juju_broken(self) -> bool:
        """Juju 3.4+'s rule for leaving a relation out of ``relation-ids``.

        A non-peer relation that is no longer alive and has no members left in the unit's view.
        """
        return not self.relation.is_peer and not self.relation.alive and not self.members
