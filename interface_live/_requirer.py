"""The live backend's requirer: provider data is read from the relation at each access."""

from __future__ import annotations

from collections.abc import Iterable

from k8s_service import ProviderRecord, RequirerBase


class K8sServiceRequirer(RequirerBase):
    """Consumes related Services, reading the providers' application databags live.

    ``services`` costs one ``relation-get`` per relation the first time it is read in a hook
    (ops caches the databags for the rest of the hook) and nothing in a hook that never reads it.
    Only a 16-digit digest of the last announced services is kept in ``StoredState``.

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

    def _provider_records(self) -> Iterable[ProviderRecord]:
        for relation in self.model.relations[self.relation_name]:
            yield ProviderRecord(relation.id, relation.app.name, relation.data[relation.app])

    def _relation_ids(self) -> Iterable[int]:
        return [relation.id for relation in self.model.relations[self.relation_name]]
