"""The error raised for relation data that breaks a protocol, and how remote text is shown."""

from __future__ import annotations

import reprlib

MAX_REASON_LENGTH = 200
"""Longest message a ``WireError`` carries, whatever the remote data held."""

_SHOWN_CHARACTERS = 60
"""How much of a remote string a message quotes before cutting it short."""

_SHORT_REPR = reprlib.Repr()
"""Bounded repr: remote YAML may alias one list into billions of items (a "billion laughs")."""
_SHORT_REPR.maxlevel = 2
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _SHORT_REPR.maxlong = 40


def shown(value: object) -> str:
    r"""Show an untrusted value in a message: quoted, escaped, and at most about 60 characters.

    Strings are shown with ``repr`` (so a newline or a lone surrogate appears escaped, never raw)
    and cut to their first 57 characters and ``...``; other values with a bounded ``repr``.

    Args:
        value: A value from remote relation data.

    Returns:
        A printable rendering of bounded length.

    Example:
        >>> print(shown("web\n"))
        'web\n'
        >>> print(shown("a" * 100))
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'
    """
    if isinstance(value, str):
        long = len(value) > _SHOWN_CHARACTERS
        text = repr(value[: _SHOWN_CHARACTERS - 3] if long else value)
        if long or len(text) > _SHOWN_CHARACTERS + 4:
            text = text[:-1][:_SHOWN_CHARACTERS] + "..." + text[-1]
        return text
    text = _SHORT_REPR.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def bounded(message: str) -> str:
    """Make a message safe to log: control characters escaped, ``MAX_REASON_LENGTH`` at most.

    Args:
        message: A message that may quote remote data.

    Returns:
        The message, printable and cut short with ``...`` if it was too long.
    """
    if not message.isprintable():
        message = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in message)
    if len(message) > MAX_REASON_LENGTH:
        message = message[: MAX_REASON_LENGTH - 3] + "..."
    return message


class WireError(ValueError):
    """Relation data from the remote side does not follow the protocol.

    The message is written for a person reading the charm's log or status, for example
    ``service-port 'abc' is not an integer``. It is always printable and at most
    ``MAX_REASON_LENGTH`` characters long, whatever the remote data held.

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

    def __init__(self, message: str):
        """Create the error.

        Args:
            message: What is wrong; it is escaped and bounded here.
        """
        super().__init__(bounded(message))
