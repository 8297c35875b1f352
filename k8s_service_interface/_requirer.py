"""The requirer behaviour both backends share; a backend only says where provider data comes from.

Change detection runs in event handlers, never in ``__init__``: an event emitted while the charm
is still being constructed reaches no observer and is silently dropped by ops.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import ops

from ._endpoint import check_endpoint
from ._events import K8sServiceRequirerEvents
from ._provider import write_databag
from ._service import InvalidRelation, K8sService
from ._view import ProviderRecord, ServicesView, build_view, reason_digest, services_digest
from ._wire import protocol_for

logger = logging.getLogger(__name__)


class RequirerBase(ops.Object):
    """Consumes the Services that related providers publish.

    Subclasses (the backends) implement ``_provider_records`` and may hook ``_on_relation_data``
    and ``_on_restart``; everything else, including when ``services_changed`` fires, is here.

    Example:
        >>> import ops
        >>> from ops import testing
        >>> class LiveRequirer(RequirerBase):
        ...     def _provider_records(self):
        ...         for relation in self.model.relations[self.relation_name]:
        ...             yield ProviderRecord.live(relation)
        ...
        ...     def _relation_ids(self):
        ...         return [relation.id for relation in self.model.relations[self.relation_name]]
        >>> class DashboardCharm(ops.CharmBase):
        ...     def __init__(self, framework: ops.Framework):
        ...         super().__init__(framework)
        ...         self.kfp = LiveRequirer(self)
        >>> meta = {"name": "dashboard", "requires": {"k8s-service": {"interface": "k8s-service"}}}
        >>> ctx = testing.Context(DashboardCharm, meta=meta)
        >>> bag = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}
        >>> relation = testing.Relation("k8s-service", remote_app_name="kfp", remote_app_data=bag)
        >>> with ctx(ctx.on.update_status(), testing.State(relations={relation})) as mgr:
        ...     [(svc.app, svc.name, svc.port) for svc in mgr.charm.kfp.services]
        [('kfp', 'kfp-api.kubeflow', 8888)]
    """

    on = K8sServiceRequirerEvents()
    _announced = ops.StoredState()

    def __init__(
        self,
        charm: ops.CharmBase,
        relation_name: str = "k8s-service",
        *,
        versions: Iterable[str] | None = None,
    ):
        """Set up the requirer.

        Args:
            charm: The charm that requires the relation.
            relation_name: The endpoint's name in ``metadata.yaml``.
            versions: The protocol versions to speak (default: all, ``v0``, ``v1``, ``v2``).

        Raises:
            ValueError: If ``versions`` names an unknown version or none, or ``relation_name`` is
                not a ``k8s-service`` endpoint under ``requires`` in the charm's metadata.
        """
        check_endpoint(charm, relation_name, "requires", type(self).__name__)
        super().__init__(charm, relation_name)
        self.relation_name = relation_name
        self.protocol = protocol_for(versions)
        """The protocol versions this requirer speaks."""
        # Start from "nothing announced": a unit with nothing to serve announces nothing.
        self._announced.set_default(digest=services_digest(()), invalid={})
        events = charm.on[relation_name]
        for event in (
            events.relation_created,
            events.relation_joined,
            events.relation_changed,
            events.relation_departed,
            events.relation_broken,
        ):
            self.framework.observe(event, self._on_relation_event)
        self.framework.observe(charm.on.upgrade_charm, self._on_upgrade_charm)
        self.framework.observe(charm.on.start, self._on_start)
        self.framework.observe(charm.on.leader_elected, self._on_leader_elected)

    @property
    def services(self) -> tuple[K8sService, ...]:
        """Every relation's Service whose data is complete and valid, by integer relation id."""
        return self._view().services

    @property
    def invalid_relations(self) -> tuple[InvalidRelation, ...]:
        """Relations whose provider data is present but invalid, each with a reason."""
        return self._view().invalid

    @property
    def is_available(self) -> bool:
        """Whether at least one Service is available."""
        return bool(self.services)

    @property
    def is_created(self) -> bool:
        """Whether at least one relation exists on the endpoint."""
        return bool(self._relation_ids())

    def _view(self) -> ServicesView:
        return build_view(self._provider_records(), self.protocol)

    def _provider_records(self) -> Iterable[ProviderRecord]:
        """Return one record per relation: the provider's application databag."""
        raise NotImplementedError

    def _relation_ids(self) -> Iterable[int]:
        """Return the ids of the relations this unit is in."""
        raise NotImplementedError

    def _on_relation_data(self, event: ops.RelationEvent) -> None:
        """Called first in every relation event of the endpoint; backends keep their data here."""

    def _on_restart(self) -> None:
        """Called first on upgrade-charm and start, when a Kubernetes pod may have lost state."""

    def _on_relation_event(self, event: ops.RelationEvent) -> None:
        self._on_relation_data(event)
        if isinstance(event, ops.RelationCreatedEvent):
            self._advertise([event.relation])
        self._announce_changes()

    def _on_upgrade_charm(self, _event: ops.UpgradeCharmEvent) -> None:
        self._on_restart()
        self._advertise(self.model.relations[self.relation_name])
        self._announce_changes()

    def _on_start(self, _event: ops.StartEvent) -> None:
        self._on_restart()
        self._announce_changes()

    def _on_leader_elected(self, _event: ops.LeaderElectedEvent) -> None:
        self._advertise(self.model.relations[self.relation_name])

    def _advertise(self, relations: Iterable[ops.Relation]) -> None:
        """Have the leader list the protocol versions it speaks on each relation."""
        relations = list(relations)
        if not relations or not self.model.unit.is_leader():
            return
        for relation in relations:
            write_databag(relation.data[self.model.app], self.protocol.advertisement())

    def _announce_changes(self) -> None:
        """Emit ``services_changed`` if services differ from the last announced ones."""
        view = self._view()
        self._log_invalid(view)
        if view.digest != self._announced.digest:
            self._announced.digest = view.digest
            self.on.services_changed.emit()

    def _log_invalid(self, view: ServicesView) -> None:
        """Log each invalid relation once at WARNING, when it turns bad or its reason changes."""
        seen: dict[str, str] = dict(self._announced.invalid)
        now = {str(bad.relation_id): reason_digest(bad.reason) for bad in view.invalid}
        for bad in view.invalid:
            if seen.get(str(bad.relation_id)) != now[str(bad.relation_id)]:
                logger.warning(
                    "%s relation %d with %s is invalid: %s",
                    self.relation_name,
                    bad.relation_id,
                    bad.app,
                    bad.reason,
                )
        if now != seen:
            self._announced.invalid = now
