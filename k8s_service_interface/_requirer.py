"""The requirer behaviour both backends share; a backend only says where provider data comes from.

Change detection runs in event handlers, never in ``__init__``: an event emitted while the charm
is still being constructed reaches no observer and is silently dropped by ops.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import ClassVar, TypeVar

import ops

from ._endpoint import check_endpoint, observe_dispatched
from ._events import K8sServiceRequirerEvents
from ._provider import write_databag
from ._service import InvalidRelation, K8sService
from ._view import ProviderRecord, ServicesView, build_view, reason_digest, services_digest
from ._wire import protocol_for

logger = logging.getLogger(__name__)

_NOTHING_ANNOUNCED = services_digest(())


def _repr_digest(services: tuple[K8sService, ...]) -> str:
    """The digest that library versions before the canonical one stored (of ``repr``).

    A unit upgraded from such a version holds this digest for the same services: recognising it
    keeps the upgrade from firing ``services_changed`` once on every unit.
    """
    return hashlib.blake2b(repr(services).encode(), digest_size=8).hexdigest()


_Handler = TypeVar("_Handler", bound=Callable[..., None])


def _observer(handler: _Handler) -> _Handler:
    """Give an event handler its signature once, at import.

    ``Framework.observe`` checks each observer's signature with ``inspect.signature``, which
    otherwise rebuilds it from the code object at every call: most of what constructing a
    requirer costs in a hook it handles (``observe_dispatched`` skips the others).
    ``inspect`` honours a precomputed ``__signature__``.
    """
    setattr(handler, "__signature__", inspect.signature(handler))  # noqa: B010
    return handler


_HANDLERS = {
    "relation_created": "_on_relation_event",
    "relation_joined": "_on_relation_event",
    "relation_changed": "_on_relation_event",
    "relation_departed": "_on_relation_event",
    "relation_broken": "_on_relation_event",
    "upgrade_charm": "_on_upgrade_charm",
    "start": "_on_start",
    "leader_elected": "_on_leader_elected",
}
"""The events the requirer handles (the endpoint's relation events, then the charm's)."""


class RequirerBase(ops.Object):
    """Consumes the Services that related providers publish.

    Subclasses (the backends) implement ``_load_view`` (where the data comes from) and
    ``_relation_ids``, and may hook ``_on_relation_data`` and ``_on_upgrade``; everything else,
    including when ``services_changed`` fires, is here. The view is built once and reused by
    ``services``, ``invalid_relations`` and ``is_available`` until a backend calls
    ``_forget_view`` because its data changed.

    Example:
        >>> import ops
        >>> from ops import testing
        >>> class LiveRequirer(RequirerBase):
        ...     def _load_view(self):
        ...         return self._live_view()
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

    rereads_per_event: ClassVar[int] = 2
    """Other relations each relation event re-reads, round robin, to heal a skipped hook.

    The stored backend's budget: a change whose relation-changed an operator skipped (``juju
    resolved --no-retry``) is in its cache within ``ceil((N - 1) / rereads_per_event)`` relation
    events of the endpoint, at one ``relation-get`` per re-read; 0 turns healing off. The default
    is the study's choice (``docs/decisions/0007-a-skipped-hook-is-not-lost.md``); a subclass may
    set another. The live backend reads every relation when ``services`` is read, so it has
    nothing to heal and ignores this.
    """

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
            ValueError: If ``versions`` names an unknown version or none, ``relation_name`` is
                not a ``k8s-service`` endpoint under ``requires`` in the charm's metadata, or a
                subclass set ``rereads_per_event`` to something other than an int of 0 or more.
        """
        check_endpoint(charm, relation_name, "requires", type(self).__name__)
        budget: object = self.rereads_per_event
        if type(budget) is not int or budget < 0:
            raise ValueError(
                f"{type(self).__name__}.rereads_per_event must be an int of 0 or more "
                f"(other relations re-read per relation event), not {budget!r}"
            )
        super().__init__(charm, relation_name)
        self.relation_name = relation_name
        self.protocol = protocol_for(versions)
        """The protocol versions this requirer speaks."""
        self._cached_view: ServicesView | None = None
        self._watching_commit = False
        self._announcing = False
        observe_dispatched(self, charm, relation_name, _HANDLERS)

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
        """The view of every relation, built at the first read and kept until data changes."""
        if self._cached_view is None:
            self._cached_view = self._load_view()
            if not self._watching_commit and not self._announcing:
                # A hook that read the view outside the library's own announcing handlers
                # checks, at its end, for a change it missed; other hooks pay nothing for it.
                self._watching_commit = True
                self.framework.observe(self.framework.on.pre_commit, self._on_pre_commit)
        return self._cached_view

    def _forget_view(self) -> None:
        """Drop the kept view: the backend's data changed, so the next read builds it anew."""
        self._cached_view = None

    def _live_view(self) -> ServicesView:
        """Build the view from the live relation data (fixed for the hook)."""
        records = [ProviderRecord.live(rel) for rel in self.model.relations[self.relation_name]]
        return build_view(records, self.protocol)

    def _load_view(self) -> ServicesView:
        """Return the view of every relation from the backend's data."""
        raise NotImplementedError

    def _relation_ids(self) -> Iterable[int]:
        """Return the ids of the relations this unit is in."""
        raise NotImplementedError

    def _on_relation_data(self, event: ops.RelationEvent) -> None:
        """Called first in every relation event of the endpoint; backends keep their data here."""

    def _on_upgrade(self) -> None:
        """Called first on upgrade-charm, when the charm (or its backend) may have changed."""

    @_observer
    def _on_relation_event(self, event: ops.RelationEvent) -> None:
        self._on_relation_data(event)
        if isinstance(event, ops.RelationCreatedEvent):
            self._advertise([event.relation])
        self._announce_changes()

    @_observer
    def _on_upgrade_charm(self, _event: ops.UpgradeCharmEvent) -> None:
        self._on_upgrade()
        self._advertise(self.model.relations[self.relation_name])
        self._announce_changes()

    @_observer
    def _on_start(self, _event: ops.StartEvent) -> None:
        self._announce_changes()

    @_observer
    def _on_leader_elected(self, _event: ops.LeaderElectedEvent) -> None:
        self._advertise(self.model.relations[self.relation_name])

    @_observer
    def _on_pre_commit(self, _event: ops.PreCommitEvent) -> None:
        # A hook that read ``services`` announces a change it missed (a relation-changed
        # skipped with ``juju resolved --no-retry``, say) at the end of the hook, after the
        # charm's own handler (see ``_view`` for when this is observed).
        if self._cached_view is not None:
            self._announce_changes()

    def _advertise(self, relations: Iterable[ops.Relation]) -> None:
        """Have the leader list the protocol versions it speaks on each relation."""
        relations = list(relations)
        if not relations or not self.model.unit.is_leader():
            return
        for relation in relations:
            write_databag(relation.data[self.model.app], self.protocol.advertisement())

    def _announce_changes(self) -> None:
        """Emit ``services_changed`` if services differ from the last announced ones."""
        self._announcing = True
        try:
            view = self._view()
        finally:
            self._announcing = False
        # Start from "nothing announced": a unit with nothing to serve announces nothing. The
        # default is set here, not in __init__, so that a hook that never announces loads nothing.
        self._announced.set_default(digest=_NOTHING_ANNOUNCED, invalid={})
        self._log_invalid(view)
        if view.digest == self._announced.digest:
            return
        announced_before_upgrade = self._announced.digest == _repr_digest(view.services)
        self._announced.digest = view.digest
        if not announced_before_upgrade:
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
