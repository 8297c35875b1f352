"""Reading single databag values from the remote side: size, text, YAML, flat payloads.

Everything here treats the remote databag as untrusted: values are checked before they are
parsed, parsed within a budget, and quoted in messages only escaped and cut short.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._errors import WireError, shown
from ._schema import schema_fields, structure_mapping, wire_key
from ._yaml import YamlRefused, load

MAX_VALUE_BYTES = 64 * 1024
"""Largest databag value read from the remote side; larger values make the relation invalid."""

JUJU_UNIT_KEYS = frozenset({"egress-subnets", "ingress-address", "private-address"})
"""Keys Juju itself writes, in unit databags only; ignored should a tool copy them elsewhere."""

SUPPORTED_VERSIONS_KEY = "_supported_versions"
"""The databag key under which a leader advertises the protocol versions it supports."""

VERSION_NAME = re.compile(r"v(?:0|[1-9][0-9]*)")
DECIMAL = re.compile(r"0|[1-9][0-9]{0,17}")
_MAX_SHOWN_ITEMS = 5


def format_versions(names: Iterable[str]) -> str:
    return "[" + ", ".join(names) + "]"


def _ordered_names(names: Iterable[str]) -> list[str]:
    """Remote names, each once, shortest first: the order messages list them in."""
    return sorted(set(names), key=lambda name: (len(name), name))


def format_remote(names: Iterable[str]) -> str:
    """List remote names in a message: escaped, the first five, then ``...`` if there are more."""
    ordered = _ordered_names(names)
    listed = [
        name if VERSION_NAME.fullmatch(name) and len(name) <= 12 else shown(name)
        for name in ordered[:_MAX_SHOWN_ITEMS]
    ]
    if len(ordered) > _MAX_SHOWN_ITEMS:
        listed.append("...")
    return format_versions(listed)


def foreign_keys(bag: Mapping[str, str], keys: frozenset[str]) -> list[str]:
    return [key for key, value in bag.items() if value and key not in keys | JUJU_UNIT_KEYS]


def relevant_entries(bag: Mapping[str, str], keys: frozenset[str]) -> dict[str, str]:
    """Return what a reader must keep of a remote databag to read it later as it reads it now.

    That is each of the protocol's ``keys`` (values cut just past ``MAX_VALUE_BYTES``, so the
    size check still fails), and the names of the first few other keys (with a placeholder
    value), so that a bag in no known dialect is reported with the same reason.

    Args:
        bag: The remote application databag (untrusted).
        keys: ``Protocol.keys``.

    Returns:
        The entries to keep.

    Example:
        >>> relevant_entries({"data": "x", "other": "y" * 100}, frozenset({"data"}))
        {'data': 'x', 'other': '?'}
    """
    kept = {key: value[: MAX_VALUE_BYTES + 1] for key, value in bag.items() if key in keys}
    foreign = _ordered_names(foreign_keys(bag, keys))[: _MAX_SHOWN_ITEMS + 1]
    kept.update(dict.fromkeys(foreign, "?"))
    return kept


def checked_value(bag: Mapping[str, str], key: str) -> str | None:
    """Return a remote value, or ``None`` if absent or empty (Juju deletes a key set to "").

    Raises:
        WireError: If the value is over ``MAX_VALUE_BYTES`` or is not valid Unicode text.
    """
    value = bag.get(key)
    if not value:
        return None
    try:
        size = len(value) if value.isascii() else len(value.encode())
    except UnicodeEncodeError:
        raise WireError(f"{key} is not valid text (it holds a lone surrogate)") from None
    if size > MAX_VALUE_BYTES:
        # The size itself is not shown: the stored backend keeps values cut just past the limit.
        raise WireError(f"{key} is over the {MAX_VALUE_BYTES}-byte limit")
    return value


def load_yaml(key: str, text: str) -> object:
    """Parse an untrusted databag value as YAML, safely and within the budget of ``_yaml``.

    Raises:
        WireError: If the value is not YAML, breaks the budget, or holds what Python cannot build
            (an integer of over 4300 digits, a date such as 2001-02-30).
    """
    try:
        return load(text)
    except YamlRefused as refused:
        problem = refused.problem if len(refused.problem) <= 80 else refused.problem[:77] + "..."
    raise WireError(f"{key} is not valid YAML ({problem})")


def decode_flat(schema: type[Any], bag: Mapping[str, str]) -> Any | None:
    """Read a payload laid out one field per databag key; ``None`` if none of its keys is set."""
    fields = schema_fields(schema)
    if not any(bag.get(wire_key(field)) for field in fields):
        return None
    plain: dict[object, object] = {}
    for field in fields:
        key = wire_key(field)
        text = checked_value(bag, key)
        if text is None:
            continue
        if field.type is int:
            if not DECIMAL.fullmatch(text):
                raise WireError(f"{key} {shown(text)} is not an integer")
            plain[key] = int(text)
        else:
            plain[key] = text
    return structure_mapping(plain, schema, "")


@attrs.frozen
class Dialect:
    """A read-only layout of an unversioned peer: flat keys, never written, never negotiated.

    Deployed libraries that predate version negotiation wrote their own keys; a protocol reads
    them from a peer that advertises nothing and writes none of ``v0``'s keys.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Endpoint:
        ...     host: str
        >>> Dialect("old-lib", Endpoint).decode({"host": "db"})
        Endpoint(host='db')
    """

    name: str
    """A name for people, such as ``mlops-libs``."""

    schema: type[Any]
    """The attrs class of the payload; each field is one databag key (integers as decimals)."""

    @property
    def keys(self) -> tuple[str, ...]:
        """The databag keys this dialect's payload occupies."""
        return tuple(wire_key(field) for field in schema_fields(self.schema))

    def decode(self, bag: Mapping[str, str]) -> Any | None:
        """Read and validate this dialect's payload, or ``None`` if none of its keys is set.

        Args:
            bag: The remote application databag (untrusted).

        Returns:
            The validated payload, or ``None``.

        Raises:
            WireError: If some of its keys are set but the payload is malformed or invalid.
        """
        return decode_flat(self.schema, bag)


@functools.lru_cache(maxsize=64)
def advertised_versions(text: str) -> tuple[str, ...]:
    """The version names an ``_supported_versions`` text lists, worked out once per text.

    Entries that are not version names are skipped. Every relation to the same peer charm repeats
    the same text, so the result is remembered.

    Raises:
        WireError: If the advertisement is not a YAML list.
    """
    try:
        loaded = load_yaml(SUPPORTED_VERSIONS_KEY, text)
    except WireError:
        loaded = None
    if not isinstance(loaded, list):
        raise WireError(
            f"{SUPPORTED_VERSIONS_KEY} {shown(text)} is not a YAML list of versions like [v0, v1]"
        )
    items = typing.cast("list[object]", loaded)
    return tuple(item for item in items if isinstance(item, str) and VERSION_NAME.fullmatch(item))
