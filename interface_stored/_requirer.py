"""The stored backend's requirer: validated provider data is cached in the unit's state.

The cache keeps every relation's validated result in a few chunk records (see ``_cache``), so a
read loads a handful of records and validates nothing, and a relation event revalidates only
that relation and rewrites only the chunk that holds it.

The cache is built from live data at the first read whenever this unit's state has none of this
format: after a Kubernetes pod lost its state, on a unit's first hook, in an ``ops.testing``
``State`` that already holds related providers, or after an upgrade to another layout, protocol
set or library version. At upgrade-charm it is always rebuilt, so relations that changed while
the charm ran another backend (or another library version) leave no ghost behind.
"""

from __future__ import annotations

import functools
import sqlite3

import ops

from k8s_service_interface import ProviderRecord, RequirerBase, ServicesView, build_view

from ._cache import ChunkedCache, cache_format, drop_per_relation_layout, entries_of

_HOOK_ENDED = (
    "the stored requirer's cache cannot be loaded: the hook has ended and the unit's state is "
    "closed. Read services, invalid_relations or is_available during the hook (in ops.testing, "
    "before leaving mgr.run(), for example in the charm's observer), or check the output State."
)


class K8sServiceRequirer(RequirerBase):
    """Consumes related Services, caching the validated provider data in the unit's state.

    ``services`` is answered from the cache alone: no ``relation-get`` outside relation events,
    once the cache is built. A relation event reads that relation's provider databag once and
    rewrites the cache record that holds it only if its result changed.

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

    @functools.cached_property
    def _cache(self) -> ChunkedCache:
        """The cache, loaded at first use (a hook that never reads it loads nothing)."""
        try:
            return ChunkedCache(self, cache_format(self.protocol.supported))
        except sqlite3.ProgrammingError as error:
            raise RuntimeError(_HOOK_ENDED) from error

    def _built_cache(self) -> ChunkedCache:
        """The cache, built from live data first if this unit's state has none."""
        cache = self._cache
        if not cache.is_built:
            self._rebuild(cache)
        return cache

    def _load_view(self) -> ServicesView:
        return self._built_cache().view()

    def _reread_others(self, cache: ChunkedCache, event_relation: int) -> None:
        """Re-read the next ``rereads_per_event`` other relations, round robin.

        Runs in relation events of the endpoint, where ops has already listed the endpoint's
        relations, so each costs one ``relation-get``; a relation-changed skipped with ``juju
        resolved --no-retry`` is corrected within ``ceil((N - 1) / rereads_per_event)``
        relation events, and an entry whose relation is gone (a skipped relation-broken) is
        dropped.
        """
        chosen = cache.next_to_refresh(exclude=event_relation, count=self.rereads_per_event)
        if not chosen:
            return
        relations = {rel.id: rel for rel in self.model.relations[self.relation_name]}
        for relation_id in chosen:
            relation = relations.get(relation_id)
            if relation is None:
                cache.remove(relation_id)
                continue
            self._reread(cache, relation)

    def _reread(self, cache: ChunkedCache, relation: ops.Relation) -> bool:
        """Validate one relation's live data into the cache; return whether its entry changed."""
        one = build_view([ProviderRecord.live(relation)], self.protocol)
        return cache.put(entries_of(one, [relation.id])[relation.id])

    def _relation_ids(self) -> list[int]:
        return self._built_cache().relation_ids

    def _on_relation_data(self, event: ops.RelationEvent) -> None:
        cache = self._cache
        if not cache.is_built:
            changed = self._rebuild(cache)
        elif isinstance(event, ops.RelationBrokenEvent):
            changed = cache.remove(event.relation.id)
        else:
            changed = self._reread(cache, event.relation)
            before = cache.view()
            self._reread_others(cache, event.relation.id)
            changed = changed or cache.view() is not before
        if changed:
            self._forget_view()

    def _on_upgrade(self) -> None:
        self._rebuild(self._cache)
        self._forget_view()

    def _rebuild(self, cache: ChunkedCache) -> bool:
        """Rebuild the whole cache from live data, in time linear in the number of relations."""
        drop_per_relation_layout(self)
        view = self._live_view()
        cache.rebuild(view, [relation.id for relation in self.model.relations[self.relation_name]])
        return True
