"""The error raised for relation data that breaks a protocol."""

from __future__ import annotations


class WireError(ValueError):
    """Relation data from the remote side does not follow the protocol.

    The message is written for a person reading the charm's log or status, for example
    ``service-port 'abc' is not an integer``.
    """
