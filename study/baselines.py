"""The naive designs from the original design discussion, rebuilt so the study can measure them.

They are not part of the library. Each has the requirer's public surface (``services``,
``invalid_relations``, ``on.services_changed``) and reuses the shared wire code, so that the only
differences from the shipped backends are the design choices the discussion argued about:

- ``InitEmitRequirer``: reads relation data in ``__init__``, compares a digest kept in StoredState
  and emits ``services_changed`` from ``__init__`` (before the charm can observe it).
- ``HybridRequirer``: live properties; the digest is checked only on relation-joined and
  relation-changed (not departed, broken, upgrade-charm or start).
- ``NaiveCacheRequirer``: copies provider data into one StoredState dict on relation-changed, in
  arrival order, drops it on relation-broken, and never recovers after the state is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ops

from k8s_service_interface import (
    InvalidRelation,
    K8sService,
    K8sServiceRequirerEvents,
    ProviderRecord,
    build_view,
    services_digest,
)


class _LiveView(ops.Object):
    """Live reading shared by the two live baselines."""

    on = K8sServiceRequirerEvents()
    _stored = ops.StoredState()

    def __init__(self, charm: ops.CharmBase, relation_name: str = "k8s-service"):
        super().__init__(charm, relation_name)
        self.relation_name = relation_name
        self._stored.set_default(digest="")

    def _records(self) -> Iterable[ProviderRecord]:
        for relation in self.model.relations[self.relation_name]:
            yield ProviderRecord.live(relation)

    @property
    def services(self) -> tuple[K8sService, ...]:
        """Valid services, by integer relation id."""
        return build_view(self._records()).services

    @property
    def invalid_relations(self) -> tuple[InvalidRelation, ...]:
        """Relations with invalid data."""
        return build_view(self._records()).invalid

    def _announce_if_changed(self) -> None:
        digest = services_digest(self.services)
        if digest != self._stored.digest:
            self._stored.digest = digest
            self.on.services_changed.emit()


class InitEmitRequirer(_LiveView):
    """Checks for changes in ``__init__`` and emits from there (the dropped-event design)."""

    def __init__(self, charm: ops.CharmBase, relation_name: str = "k8s-service"):
        super().__init__(charm, relation_name)
        self._announce_if_changed()


class HybridRequirer(_LiveView):
    """Live properties; change detection only on relation-joined and relation-changed."""

    def __init__(self, charm: ops.CharmBase, relation_name: str = "k8s-service"):
        super().__init__(charm, relation_name)
        events = charm.on[relation_name]
        self.framework.observe(events.relation_joined, self._on_relation_event)
        self.framework.observe(events.relation_changed, self._on_relation_event)

    def _on_relation_event(self, _event: ops.RelationEvent) -> None:
        self._announce_if_changed()


class NaiveCacheRequirer(ops.Object):
    """One StoredState dict filled on relation-changed in arrival order; no recovery."""

    on = K8sServiceRequirerEvents()
    _stored = ops.StoredState()

    def __init__(self, charm: ops.CharmBase, relation_name: str = "k8s-service"):
        super().__init__(charm, relation_name)
        self.relation_name = relation_name
        self._stored.set_default(cache={})
        events = charm.on[relation_name]
        self.framework.observe(events.relation_changed, self._on_relation_changed)
        self.framework.observe(events.relation_broken, self._on_relation_broken)

    def _view_in_arrival_order(self) -> tuple[tuple[K8sService, ...], tuple[InvalidRelation, ...]]:
        services: list[K8sService] = []
        invalid: list[InvalidRelation] = []
        for key, entry in self._stored.cache.items():
            view = build_view([ProviderRecord(int(key), entry["app"], dict(entry["databag"]))])
            services.extend(view.services)
            invalid.extend(view.invalid)
        return tuple(services), tuple(invalid)

    @property
    def services(self) -> tuple[K8sService, ...]:
        """Valid services, in the order their relations first changed."""
        return self._view_in_arrival_order()[0]

    @property
    def invalid_relations(self) -> tuple[InvalidRelation, ...]:
        """Relations with invalid data."""
        return self._view_in_arrival_order()[1]

    def _plain_cache(self) -> dict[str, dict[str, Any]]:
        return {
            key: {"app": str(entry["app"]), "databag": dict(entry["databag"])}
            for key, entry in self._stored.cache.items()
        }

    def _on_relation_changed(self, event: ops.RelationChangedEvent) -> None:
        before = self.services
        cache = self._plain_cache()
        cache[str(event.relation.id)] = {
            "app": event.relation.app.name,
            "databag": dict(event.relation.data[event.relation.app]),
        }
        self._stored.cache = cache
        if self.services != before:
            self.on.services_changed.emit()

    def _on_relation_broken(self, event: ops.RelationBrokenEvent) -> None:
        before = self.services
        cache = self._plain_cache()
        cache.pop(str(event.relation.id), None)
        self._stored.cache = cache
        if self.services != before:
            self.on.services_changed.emit()
