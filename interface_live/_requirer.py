"""The live backend's requirer: provider data is read from the relation at each access."""

from __future__ import annotations

from collections.abc import Iterable

from k8s_service_interface import RequirerBase, ServicesView


class K8sServiceRequirer(RequirerBase):
    """Consumes related Services, reading the providers' application databags live.

    ``services`` costs one ``relation-get`` per relation the first time it is read in a hook
    (ops caches the databags for the rest of the hook) and nothing in a hook that never reads it.
    The remote data is fixed for the hook, so the validated view is built once, at the first
    read, and every later read of ``services``, ``invalid_relations`` or ``is_available`` reuses
    it. Only a 16-digit digest of the last announced services is kept in ``StoredState``.

    Example:
        >>> import ops
        >>> class ProxyCharm(ops.CharmBase):
        ...     def __init__(self, framework: ops.Framework):
        ...         super().__init__(framework)
        ...         self.upstreams = K8sServiceRequirer(self, relation_name="upstream")
        ...         framework.observe(self.on.update_status, self._on_update_status)
        ...
        ...     def _on_update_status(self, event: ops.UpdateStatusEvent):
        ...         count = len(self.upstreams.services)  # one relation-get per relation
        ...         self.unit.status = ops.ActiveStatus(f"{count} upstreams")
    """

    def _load_view(self) -> ServicesView:
        return self._live_view()

    def _relation_ids(self) -> Iterable[int]:
        return [relation.id for relation in self.model.relations[self.relation_name]]
