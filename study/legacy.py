"""Provider charms that speak the older dialects of k8s-service, written as those charms did.

- ``Legacy2020ProviderCharm``: the 2020 library: the leader writes flat ``service-name`` and
  ``service-port`` strings, advertises no version, ignores the requirer.
- ``KubeflowV1ProviderCharm``: a serialized-data-interface charm: the leader advertises
  ``- v1`` and, once the requirer's advertisement lists v1, writes the YAML payload under ``data``.
"""

from __future__ import annotations

import ops
import yaml


class _LegacyProvider(ops.CharmBase):
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        events = self.on["k8s-service"]
        for event in (events.relation_created, events.relation_joined, events.relation_changed):
            framework.observe(event, self._on_relation_event)
        framework.observe(self.on.config_changed, self._on_config_changed)
        framework.observe(self.on.leader_elected, self._on_config_changed)

    def _service(self) -> tuple[str, int]:
        name = self.config.get("service-name")
        port = self.config.get("service-port")
        return (
            name if isinstance(name, str) and name else self.app.name,
            port if isinstance(port, int) else 8080,
        )

    def _on_relation_event(self, event: ops.RelationEvent) -> None:
        if self.unit.is_leader():
            self._write(event.relation)

    def _on_config_changed(self, _event: ops.EventBase) -> None:
        if self.unit.is_leader():
            for relation in self.model.relations["k8s-service"]:
                self._write(relation)

    def _write(self, relation: ops.Relation) -> None:
        raise NotImplementedError


class Legacy2020ProviderCharm(_LegacyProvider):
    """Writes the 2020 library's flat keys; no version negotiation."""

    def _write(self, relation: ops.Relation) -> None:
        name, port = self._service()
        relation.data[self.app].update({"service-name": name, "service-port": str(port)})


class KubeflowV1ProviderCharm(_LegacyProvider):
    """Advertises v1 and writes the YAML payload once the requirer lists v1."""

    def _write(self, relation: ops.Relation) -> None:
        bag = relation.data[self.app]
        if bag.get("_supported_versions") != "- v1\n":
            bag["_supported_versions"] = "- v1\n"
        theirs = yaml.safe_load(relation.data[relation.app].get("_supported_versions", "[]"))
        if not isinstance(theirs, list) or "v1" not in theirs:
            return
        name, port = self._service()
        data = yaml.safe_dump({"service-name": name, "service-port": str(port)})
        if bag.get("data") != data:
            bag["data"] = data
