r"""Versioned relation-data protocols for Juju interfaces.

An interface declares each protocol version as an attrs schema class plus an encoding, and gets
version negotiation (``_supported_versions``, highest common version wins), encoding, validation of
untrusted remote data with messages a person can read, and JSON Schemas for its documentation.

Example:
    >>> import attrs
    >>> from relation_protocol import Protocol, Version
    >>> @attrs.frozen
    ... class Endpoint:
    ...     host: str
    ...     port: int
    >>> protocol = Protocol([Version("v0", Endpoint, "flat"), Version("v1", Endpoint, "yaml")])
    >>> protocol.read({"host": "db", "port": "5432"})
    Reading(version='v0', payload=Endpoint(host='db', port=5432))
    >>> protocol.read({"_supported_versions": "- v1\n", "data": "{host: db, port: 5432}"}).version
    'v1'
"""

from __future__ import annotations

from ._errors import MAX_REASON_LENGTH, WireError, shown
from ._protocol import DATA_KEY, Protocol, Reading, Version, clear_caches
from ._schema import json_schema, wire_key
from ._values import (
    JUJU_UNIT_KEYS,
    MAX_VALUE_BYTES,
    SUPPORTED_VERSIONS_KEY,
    Dialect,
    relevant_entries,
)
from ._yaml import MAX_DEPTH, MAX_NODES, NonDecimalInteger

__all__ = [
    "DATA_KEY",
    "JUJU_UNIT_KEYS",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_REASON_LENGTH",
    "MAX_VALUE_BYTES",
    "SUPPORTED_VERSIONS_KEY",
    "Dialect",
    "NonDecimalInteger",
    "Protocol",
    "Reading",
    "Version",
    "WireError",
    "clear_caches",
    "json_schema",
    "relevant_entries",
    "shown",
    "wire_key",
]
