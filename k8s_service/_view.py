"""Distil the providers' databags into the view a requirer charm needs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import attrs

from relation_protocol import Protocol, WireError

from ._service import InvalidRelation, K8sService
from ._wire import PROTOCOL, to_service


@attrs.frozen
class ProviderRecord:
    """One relation's provider data as a requirer sees it, wherever it came from."""

    relation_id: int
    """The relation's id."""

    app: str
    """The provider application's name."""

    databag: Mapping[str, str]
    """The provider application's databag (untrusted)."""


@attrs.frozen
class ServicesView:
    """Every relation of an endpoint, split into usable services and invalid relations."""

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
