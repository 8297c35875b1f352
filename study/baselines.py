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

from typing import Any

import ops

from k8s_service_interface import (
    InvalidRelation,
    K8sService,
    K8sServiceRequirerEvents,
    ProviderRecord,
    ServicesView,
    build_view,
    services_digest,
)


class _Baseline(ops.Object):
    """The requirer's public surface, over a view each baseline builds its own way."""

    on = K8sServiceRequirerEvents()
    _stored = ops.StoredState()

    def __init__(self, charm: ops.CharmBase, relation_name: str = "k8s-service"):
        super().__init__(charm, relation_name)
        self.relation_name = relation_name

    def _view(self) -> ServicesView:
        raise NotImplementedError

    @property
    def services(self) -> tuple[K8sService, ...]:
        """Valid services."""
        return self._view().services

    @property
    def invalid_relations(self) -> tuple[InvalidRelation, ...]:
        """Relations with invalid data."""
        return self._view().invalid


class _LiveView(_Baseline):
    """Live reading, by integer relation id, shared by the two live baselines."""

    def __init__(self, charm: ops.CharmBase, relation_name: str = "k8s-service"):
        super().__init__(charm, relation_name)
        self._stored.set_default(digest="")

    def _view(self) -> ServicesView:
        relations = self.model.relations[self.relation_name]
        return build_view(ProviderRecord.live(relation) for relation in relations)

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


class NaiveCacheRequirer(_Baseline):
    """One StoredState dict filled on relation-changed in arrival order; no recovery."""

    def __init__(self, charm: ops.CharmBase, relation_name: str = "k8s-service"):
        super().__init__(charm, relation_name)
        self._stored.set_default(cache={})
        events = charm.on[relation_name]
        self.framework.observe(events.relation_changed, self._on_relation_event)
        self.framework.observe(events.relation_broken, self._on_relation_event)

    def _view(self) -> ServicesView:
        """The services in the order their relations first changed."""
        services: list[K8sService] = []
        invalid: list[InvalidRelation] = []
        for key, entry in self._stored.cache.items():
            view = build_view([ProviderRecord(int(key), entry["app"], dict(entry["databag"]))])
            services.extend(view.services)
            invalid.extend(view.invalid)
        return ServicesView(tuple(services), tuple(invalid))

    def _on_relation_event(self, event: ops.RelationEvent) -> None:
        before = self.services
        cache: dict[str, dict[str, Any]] = {
            key: {"app": str(entry["app"]), "databag": dict(entry["databag"])}
            for key, entry in self._stored.cache.items()
        }
        if isinstance(event, ops.RelationBrokenEvent):
            cache.pop(str(event.relation.id), None)
        else:
            cache[str(event.relation.id)] = {
                "app": event.relation.app.name,
                "databag": dict(event.relation.data[event.relation.app]),
            }
        self._stored.cache = cache
        if self.services != before:
            self.on.services_changed.emit()
