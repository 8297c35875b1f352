"""Distil the providers' databags into the view a requirer charm needs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import attrs
import ops

from relation_protocol import Protocol, WireError

from ._service import InvalidRelation, K8sService
from ._wire import PROTOCOL, to_service


@attrs.frozen
class ProviderRecord:
    """One relation's provider data as a requirer sees it, wherever it came from.

    Example:
        >>> bag = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}
        >>> record = ProviderRecord(relation_id=3, app="kfp-api", databag=bag)
        >>> build_view([record]).services[0].name
        'kfp-api.kubeflow'
    """

    relation_id: int
    """The relation's id."""

    app: str
    """The provider application's name."""

    databag: Mapping[str, str]
    """The provider application's databag (untrusted)."""

    @classmethod
    def live(cls, relation: ops.Relation) -> ProviderRecord:
        """Make a relation's provider record from live data (read on first use, once a hook).

        Args:
            relation: A relation of the requirer's endpoint.

        Returns:
            The record of the remote application's databag.
        """
        return cls(relation.id, relation.app.name, relation.data[relation.app])


@attrs.frozen
class ServicesView:
    """Every relation of an endpoint, split into usable services and invalid relations.

    Example:
        >>> svc = K8sService("kfp-api.kubeflow", 8888, relation_id=3, app="kfp-api")
        >>> view = ServicesView(services=(svc,), invalid=())
        >>> view.digest == services_digest([svc])
        True
    """

    services: tuple[K8sService, ...]
    """Complete and valid services, ordered by integer relation id."""

    invalid: tuple[InvalidRelation, ...]
    """Relations whose data is present but invalid, ordered by integer relation id."""

    @property
    def digest(self) -> str:
        """A short fingerprint of ``services``: equal fingerprints mean equal services."""
        return services_digest(self.services)


def services_digest(services: Iterable[K8sService]) -> str:
    """Fingerprint a tuple of services in 16 hex digits (the requirer stores only this).

    Args:
        services: The services, in their public order.

    Returns:
        A digest that changes whenever any field of any service changes.

    Example:
        >>> svc = K8sService("kfp-api.kubeflow", 8888, relation_id=3, app="kfp-api")
        >>> len(services_digest([svc]))
        16
        >>> services_digest([svc]) == services_digest([attrs.evolve(svc, port=8889)])
        False
    """
    return hashlib.blake2b(repr(tuple(services)).encode(), digest_size=8).hexdigest()


def reason_digest(reason: str) -> str:
    """Fingerprint an invalid relation's reason in 8 hex digits.

    Args:
        reason: The human-readable reason.

    Returns:
        A short digest used to log each reason once.
    """
    return hashlib.blake2b(reason.encode(), digest_size=4).hexdigest()


def build_view(records: Iterable[ProviderRecord], protocol: Protocol = PROTOCOL) -> ServicesView:
    """Validate every provider record and build the requirer's view of them.

    Bad data in one record never affects another: it lands in ``invalid`` with a reason.

    Args:
        records: One record per relation, in any order.
        protocol: The protocol versions this side speaks (all by default).

    Returns:
        The services and invalid relations, each ordered by integer relation id.

    Example:
        >>> good = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}
        >>> bad = {"service-name": "broken", "service-port": "abc"}
        >>> records = [ProviderRecord(7, "broken", bad), ProviderRecord(3, "kfp-api", good)]
        >>> view = build_view(records)  # ordered by relation id; bad data is set aside
        >>> [(svc.name, svc.port, svc.relation_id) for svc in view.services]
        [('kfp-api.kubeflow', 8888, 3)]
        >>> [(bad.relation_id, bad.reason) for bad in view.invalid]
        [(7, "service-port 'abc' is not an integer")]
    """
    services: list[K8sService] = []
    invalid: list[InvalidRelation] = []
    for record in sorted(records, key=lambda record: record.relation_id):
        try:
            reading = protocol.read(record.databag)
            if reading.payload is None:
                continue
            services.append(to_service(reading, record.relation_id, record.app))
        except (WireError, ValueError) as error:
            invalid.append(InvalidRelation(record.relation_id, record.app, str(error)))
    return ServicesView(services=tuple(services), invalid=tuple(invalid))
