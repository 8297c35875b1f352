"""The provider side of k8s-service: the leader publishes its Service on every relation."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import ops

from relation_protocol import Protocol, WireError

from ._endpoint import check_endpoint, observe_dispatched
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


_HANDLERS = {
    "relation_created": "_on_relation_event",
    "relation_joined": "_on_relation_event",
    "relation_changed": "_on_relation_event",
    "leader_elected": "_on_refresh",
    "upgrade_charm": "_on_refresh",
}
"""The events the provider handles (the endpoint's relation events, then the charm's)."""


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
            ValueError: If a name, port or version is invalid, or ``relation_name`` is not a
                ``k8s-service`` endpoint under ``provides`` in the charm's metadata.
        """
        protocol = protocol_for(versions)
        publication = Publication(service_name, service_port, namespace, tuple(ports))
        check_endpoint(charm, relation_name, "provides", type(self).__name__)
        super().__init__(charm, relation_name)
        self._relation_name = relation_name
        self._protocol = protocol
        self._publication = publication
        observe_dispatched(self, charm, relation_name, _HANDLERS)

    def publish(
        self,
        service_name: str,
        service_port: int,
        *,
        namespace: str | None = None,
        ports: Iterable[ServicePort] = (),
    ) -> None:
        """Publish a new Service name and port on every relation (leader only; others log it).

        Args:
            service_name: DNS name of the Service.
            service_port: The Service's primary port, 1-65535.
            namespace: The Service's namespace, if not already part of ``service_name``.
            ports: Every named port of the Service.

        Raises:
            ValueError: If a name or port is invalid; nothing is written then.
        """
        self._publication = Publication(service_name, service_port, namespace, tuple(ports))
        if not self.model.unit.is_leader():
            logger.debug(
                "%s: %s is not the leader, so it publishes nothing; the leader publishes",
                self._relation_name,
                self.model.unit.name,
            )
            return
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
        remote = relation.data[relation.app]
        local = relation.data[self.model.app]
        entries = self._protocol.write(remote, self._publication.payload)
        problem = unpublishable(self._protocol, remote)
        # The local databag is the memory: warn only when this write changes it, so a relation
        # that stays without a common version is reported once, not in every hook, and the unit
        # stores nothing for it.
        if problem is not None and any(
            local.get(key, "") != value for key, value in entries.items()
        ):
            logger.warning(
                "%s relation %d with %s: nothing is published, %s",
                self._relation_name,
                relation.id,
                relation.app.name,
                problem,
            )
        write_databag(local, entries)


MAX_SHOWN_VERSIONS = 8
"""How many of the remote side's advertised versions a log message lists at most."""


def unpublishable(protocol: Protocol, remote_bag: ops.RelationDataContent) -> str | None:
    """Say why nothing can be published to a requirer, or return ``None`` if something can.

    The remote list is untrusted: each name is already checked to be ``v`` and a number (any
    number of digits), and at most ``MAX_SHOWN_VERSIONS`` of them are shown.

    Args:
        protocol: The versions this provider speaks.
        remote_bag: The requirer's application databag.

    Returns:
        A bounded reason naming both version lists, or ``None``.

    Example:
        >>> from k8s_service_interface._wire import protocol_for
        >>> unpublishable(protocol_for(["v2"]), {})
        'no common protocol version: we support [v2], remote supports [v0] (it advertises none)'
        >>> many = {"_supported_versions": str([f"v{n}" for n in range(3, 100)])}
        >>> print(unpublishable(protocol_for(["v2"]), many).split(", remote ")[1])
        supports [v3, v4, v5, v6, v7, v8, v9, v10, ... 89 more]
    """
    try:
        remote = protocol.remote_versions(remote_bag)
    except WireError as error:  # a malformed advertisement: the message is already bounded
        return str(error)
    theirs = ("v0",) if remote is None else remote
    if set(theirs) & set(protocol.supported):
        return None
    names = sorted(set(theirs), key=lambda name: int(name[1:]))
    shown = names[:MAX_SHOWN_VERSIONS]
    if len(names) > len(shown):
        shown.append(f"... {len(names) - len(shown)} more")
    note = " (it advertises none)" if remote is None else ""
    return (
        f"no common protocol version: we support [{', '.join(protocol.supported)}], "
        f"remote supports [{', '.join(shown)}]{note}"
    )
