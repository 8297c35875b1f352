"""The error raised for relation data that breaks a protocol."""

from __future__ import annotations


class WireError(ValueError):
    """Relation data from the remote side does not follow the protocol.

    The message is written for a person reading the charm's log or status, for example
    ``service-port 'abc' is not an integer``.

    Example:
        >>> import attrs
        >>> from relation_protocol import Protocol, Version
        >>> @attrs.frozen
        ... class Endpoint:
        ...     port: int
        >>> protocol = Protocol([Version("v0", Endpoint, "flat")])
        >>> try:
        ...     protocol.read({"port": "abc"})
        ... except WireError as error:
        ...     print(f"invalid relation: {error}")
        invalid relation: port 'abc' is not an integer
    """
