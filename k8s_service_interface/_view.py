"""Distil the providers' databags into the view a requirer charm needs."""

from __future__ import annotations

import functools
import hashlib
import json
import typing
from collections.abc import Iterable, Mapping
from typing import Any

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


MAX_REASON_CHARS = 500
"""Longest reason an ``InvalidRelation`` carries; longer ones are cut short, marked ``...``."""


@functools.cache
def _fields_and_defaults(cls: type) -> tuple[tuple[str, object, bool], ...] | None:
    """An attrs class's field names, defaults and whether each has one; ``None`` for other types.

    Worked out once per class: the first service of a hook does it for the others.
    """
    if not attrs.has(cls):
        return None
    return tuple(
        (field.name, field.default, field.default is not attrs.NOTHING)
        for field in attrs.fields(cls)
    )


def canonical(value: object) -> Any:
    """Encode a public value as plain JSON types, in a form that survives library upgrades.

    An attrs instance becomes a mapping of its fields, leaving out every field whose value is its
    default, so a field added later with a default encodes as before; tuples become lists.

    Args:
        value: A ``K8sService``, ``ServicePort``, or a plain value inside one.

    Returns:
        The value as dicts, lists, strings, integers and ``None``.

    Example:
        >>> canonical(K8sService("kfp-api.kubeflow", 8888, relation_id=3, app="kfp-api"))
        {'name': 'kfp-api.kubeflow', 'port': 8888, 'relation_id': 3, 'app': 'kfp-api'}
    """
    plan = _fields_and_defaults(type(value))
    if plan is not None:
        encoded: dict[str, Any] = {}
        for name, default, has_default in plan:
            item = getattr(value, name)
            if not has_default or item != default:
                # Strings and integers (not bools) encode as themselves: skip the call for them.
                encoded[name] = item if type(item) in (str, int) else canonical(item)
        return encoded
    if isinstance(value, tuple):
        return [canonical(item) for item in typing.cast("tuple[object, ...]", value)]
    return value


def canonical_json(value: object) -> str:
    """Return ``canonical(value)`` as compact JSON with sorted keys (ASCII only).

    Args:
        value: What ``canonical`` accepts, or a list of such values.

    Returns:
        The JSON text, equal for equal public values.

    Example:
        >>> canonical_json(K8sService("kfp-api.kubeflow", 8888, relation_id=3, app="kfp-api"))
        '{"app":"kfp-api","name":"kfp-api.kubeflow","port":8888,"relation_id":3}'
    """
    if isinstance(value, list):
        plain: Any = [canonical(item) for item in typing.cast("list[object]", value)]
    else:
        plain = canonical(value)
    return json.dumps(plain, sort_keys=True, separators=(",", ":"))


def services_digest(services: Iterable[K8sService]) -> str:
    """Fingerprint a tuple of services in 16 hex digits (the requirer stores only this).

    The digest hashes the canonical encoding of the public fields (``canonical_json``), never
    ``repr()``: a library upgrade that adds a defaulted field keeps every digest, so it fires no
    spurious ``services_changed``.

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
    text = canonical_json(list(services))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


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
            invalid.append(InvalidRelation(record.relation_id, record.app, _bounded(str(error))))
    return ServicesView(services=tuple(services), invalid=tuple(invalid))


def _bounded(reason: str) -> str:
    if len(reason) <= MAX_REASON_CHARS:
        return reason
    return reason[: MAX_REASON_CHARS - 3] + "..."
