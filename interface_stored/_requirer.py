"""The stored backend's requirer: provider data is cached in StoredState on relation events.

The cache keeps one snapshot per relation (one ``ops.Object`` child per relation id), so an event
on one relation rewrites only that relation's record, whatever the number of relations. A small
index lists the cached relation ids and whether the cache was built on this unit's current state.

On Kubernetes the state is lost with the pod (every upgrade, every reschedule). A lost cache is
detected as an index that was never built, and rebuilt from live data at the next upgrade-charm,
start or relation event.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import ops
from ops.framework import StoredStateData
from ops.storage import NoSnapshotError

from k8s_service_interface import ProviderRecord, RequirerBase
from relation_protocol import relevant_entries


def _relevant(databag: Mapping[str, str], keys: frozenset[str]) -> dict[str, str]:
    """Keep the protocol's keys, each cut short past the size limit, and a few other key names."""
    return relevant_entries(databag, keys)


class _RelationRecord:
    """The cached provider data of one relation, stored in its own snapshot.

    The snapshot is written at once, in the hook's transaction, and only when its content changes.
    It is a plain ``StoredStateData`` saved by hand rather than a ``StoredState`` attribute: a
    ``StoredState`` registers an observer of the framework's commit event, and ops records a
    notice for every observer at every commit, which at 1000 relations costs time and, with
    controller storage, outgrows Juju's 64 KiB limit on one state value.
    """

    def __init__(self, owner: ops.Object, relation_id: int):
        self._framework = owner.framework
        key = f"relation-{relation_id}"
        owner.framework.register_type(StoredStateData, owner)
        try:
            loaded = owner.framework.load_snapshot(ops.Handle(owner, "StoredStateData", key))
            assert isinstance(loaded, StoredStateData)
            self._data = loaded
        except NoSnapshotError:
            self._data = StoredStateData(owner, key)

    @property
    def app(self) -> str:
        return self._data["app"] if "app" in self._data else ""  # noqa: SIM401 (no .get)

    @property
    def databag(self) -> dict[str, str]:
        return dict(self._data["databag"]) if "databag" in self._data else {}

    def update(self, app: str, databag: dict[str, str]) -> None:
        """Store new content; unchanged content writes nothing."""
        if "app" in self._data and self.app == app and self.databag == databag:
            return
        self._data["app"] = app
        self._data["databag"] = databag
        self._framework.save_snapshot(self._data)

    def drop(self) -> None:
        """Delete the snapshot."""
        self._framework.drop_snapshot(self._data.handle)


class K8sServiceRequirer(RequirerBase):
    """Consumes related Services, caching the providers' data in ``StoredState``.

    ``services`` is answered from the cache alone: no ``relation-get`` outside relation events. A
    relation event reads that relation's provider databag once and rewrites that relation's record
    only if it changed.

    Example:
        >>> import ops
        >>> class DashboardCharm(ops.CharmBase):
        ...     def __init__(self, framework: ops.Framework):
        ...         super().__init__(framework)
        ...         self.scraper = K8sServiceRequirer(self, relation_name="metrics-scraper")
        ...         framework.observe(self.scraper.on.services_changed, self._on_services)
        ...
        ...     def _on_services(self, event: ops.EventBase):
        ...         self.targets = [f"{svc.name}:{svc.port}" for svc in self.scraper.services]
    """

    _index = ops.StoredState()

    @property
    def _cache(self) -> ops.framework.BoundStoredState:
        """The cache index: the cached relation ids, and whether the cache was built."""
        self._index.set_default(built=False, relation_ids=[])
        return self._index

    @functools.cached_property
    def _records(self) -> dict[int, _RelationRecord]:
        return {}

    def _record(self, relation_id: int) -> _RelationRecord:
        if relation_id not in self._records:
            self._records[relation_id] = _RelationRecord(self, relation_id)
        return self._records[relation_id]

    def _provider_records(self) -> Iterable[ProviderRecord]:
        for relation_id in self._relation_ids():
            record = self._record(relation_id)
            yield ProviderRecord(relation_id, record.app, record.databag)

    def _relation_ids(self) -> list[int]:
        return list(self._cache.relation_ids)

    def _on_relation_data(self, event: ops.RelationEvent) -> None:
        if not self._cache.built:
            self._rebuild()
        elif isinstance(event, ops.RelationBrokenEvent):
            self._forget(event.relation.id)
        else:
            self._store(event.relation)

    def _on_restart(self) -> None:
        if not self._cache.built:
            self._rebuild()

    def _store(self, relation: ops.Relation) -> None:
        self._record(relation.id).update(
            relation.app.name, _relevant(relation.data[relation.app], self.protocol.keys)
        )
        if relation.id not in self._cache.relation_ids:
            self._cache.relation_ids = sorted([*self._cache.relation_ids, relation.id])

    def _forget(self, relation_id: int) -> None:
        if relation_id in self._cache.relation_ids:
            self._cache.relation_ids = [
                rid for rid in self._cache.relation_ids if rid != relation_id
            ]
        self._record(relation_id).drop()

    def _rebuild(self) -> None:
        """Rebuild the whole cache from live data (after state loss, or on first use)."""
        relations = self.model.relations[self.relation_name]
        live = {relation.id for relation in relations}
        for relation_id in self._relation_ids():
            if relation_id not in live:
                self._forget(relation_id)
        for relation in relations:
            self._store(relation)
        self._cache.built = True
