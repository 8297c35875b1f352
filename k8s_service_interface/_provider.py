"""The provider side of k8s-service: the leader publishes its Service on every relation."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import ops

from ._service import ServicePort
from ._wire import Publication, protocol_for

logger = logging.getLogger(__name__)


def write_databag(databag: ops.RelationDataContent, entries: dict[str, str]) -> None:
    """Write entries into a databag, skipping unchanged values (an empty value deletes a key).

    Args:
        databag: This application's databag on one relation (the caller is the leader).
        entries: The wanted content; keys not named are left alone.
    """
    for key, value in entries.items():
        if databag.get(key, "") != value:
            databag[key] = value


class K8sServiceProvider(ops.Object):
    """Publishes a Kubernetes Service (name and port) to every related requirer.

    Only the leader writes; other units do nothing. The data goes out in the newest protocol
    version both sides support (``v0``, the 2020 format, to a requirer that advertises none).

    Example:
        >>> import ops
        >>> class KfpApiCharm(ops.CharmBase):
        ...     def __init__(self, framework: ops.Framework):
        ...         super().__init__(framework)
        ...         self.service = K8sServiceProvider(
        ...             self, service_name="kfp-api.kubeflow", service_port=8888
        ...         )
    """

    def __init__(
        self,
        charm: ops.CharmBase,
        relation_name: str = "k8s-service",
        *,
        service_name: str,
        service_port: int,
        namespace: str | None = None,
        ports: Iterable[ServicePort] = (),
        versions: Iterable[str] | None = None,
    ):
        """Set up the provider.

        Args:
            charm: The charm that provides the relation.
            relation_name: The endpoint's name in ``metadata.yaml``.
            service_name: DNS name of the Service (``kfp-api``, or ``kfp-api.kubeflow``).
            service_port: The Service's primary port, 1-65535.
            namespace: The Service's namespace, if not already part of ``service_name``.
            ports: Every named port of the Service (sent to requirers that speak v2).
            versions: The protocol versions to speak (default: all, ``v0``, ``v1``, ``v2``).

        Raises:
            ValueError: If a name, port or version is invalid.
        """
        super().__init__(charm, relation_name)
        self._relation_name = relation_name
        self._protocol = protocol_for(versions)
        self._publication = Publication(service_name, service_port, namespace, tuple(ports))
        events = charm.on[relation_name]
        self.framework.observe(events.relation_created, self._on_relation_event)
        self.framework.observe(events.relation_joined, self._on_relation_event)
        self.framework.observe(events.relation_changed, self._on_relation_event)
        self.framework.observe(charm.on.leader_elected, self._on_refresh)
        self.framework.observe(charm.on.upgrade_charm, self._on_refresh)

    def publish(
        self,
        service_name: str,
        service_port: int,
        *,
        namespace: str | None = None,
        ports: Iterable[ServicePort] = (),
    ) -> None:
        """Publish a new Service name and port on every relation (leader only; others no-op).

        Args:
            service_name: DNS name of the Service.
            service_port: The Service's primary port, 1-65535.
            namespace: The Service's namespace, if not already part of ``service_name``.
            ports: Every named port of the Service.

        Raises:
            ValueError: If a name or port is invalid; nothing is written then.
        """
        self._publication = Publication(service_name, service_port, namespace, tuple(ports))
        self._write_all()

    def _on_relation_event(self, event: ops.RelationEvent) -> None:
        self._write(event.relation)

    def _on_refresh(self, _event: ops.EventBase) -> None:
        self._write_all()

    def _write_all(self) -> None:
        if not self.model.unit.is_leader():
            return
        for relation in self.model.relations[self._relation_name]:
            self._write(relation)

    def _write(self, relation: ops.Relation) -> None:
        if not self.model.unit.is_leader():
            return
        entries = self._protocol.write(relation.data[relation.app], self._publication.payload)
        write_databag(relation.data[self.model.app], entries)
