"""Protocol versions, their wire encodings, and version negotiation.

A protocol is a set of versions. Each side's leader advertises the versions it supports in its
application databag under ``_supported_versions`` (a YAML list such as ``- v1``), as the
serialized-data-interface charms did. A side that advertises nothing is an unversioned peer and
speaks ``v0``. The agreed version of a relation is the highest version both sides list.
"""

from __future__ import annotations

import typing
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs
import yaml

from ._errors import WireError
from ._schema import json_schema, schema_fields, structure_mapping, unstructure, wire_key
from ._values import (
    DECIMAL,
    SUPPORTED_VERSIONS_KEY,
    VERSION_NAME,
    Dialect,
    advertised_versions,
    checked_value,
    decode_flat,
    foreign_keys,
    format_remote,
    format_versions,
    load_yaml,
)
from ._yaml import clear_parse_cache

DATA_KEY = "data"
"""The databag key that holds a YAML-encoded payload (``encoding="yaml"``)."""


def _version_number(name: str) -> int:
    return int(name[1:])


@attrs.frozen
class Version:
    """One version of a protocol: a name, the attrs schema of its payload, and its encoding.

    ``encoding="flat"`` puts each top-level field under its own databag key (integers as decimal
    strings), like the 2020 ``k8s-service`` library. ``encoding="yaml"`` puts the whole payload,
    as a YAML mapping, under the key ``data``, like the serialized-data-interface charms.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Endpoint:
        ...     host: str
        ...     port: int
        >>> flat = Version("v0", Endpoint, "flat")
        >>> flat.encode(Endpoint("db", 5432))
        {'host': 'db', 'port': '5432'}
        >>> flat.decode({"host": "db", "port": "5432"})
        Endpoint(host='db', port=5432)
        >>> print(Version("v1", Endpoint, "yaml").encode(Endpoint("db", 5432))["data"], end="")
        host: db
        port: 5432
    """

    name: str = attrs.field(validator=attrs.validators.matches_re(VERSION_NAME))
    """The version's name, ``v`` followed by its number (``v0``, ``v1``, ...)."""

    schema: type[Any]
    """The attrs class of the payload; its validators run on every decode."""

    encoding: Literal["flat", "yaml"]
    """How the payload is laid out in the databag."""

    @property
    def number(self) -> int:
        """The version's number, for ordering (``v10`` is newer than ``v2``)."""
        return _version_number(self.name)

    @property
    def keys(self) -> tuple[str, ...]:
        """The databag keys this version's payload occupies."""
        if self.encoding == "yaml":
            return (DATA_KEY,)
        return tuple(wire_key(field) for field in schema_fields(self.schema))

    def databag_schema(self) -> dict[str, Any]:
        """Describe the databag this version's sender writes, as a JSON Schema.

        Returns:
            A JSON Schema of the application databag: string values only, as Juju stores them;
            for ``yaml`` the payload's own schema is given as the ``contentSchema`` of ``data``.
        """
        advertisement = {
            "type": "string",
            "description": "YAML list of the protocol versions the sender supports",
        }
        properties: dict[str, Any] = {}
        if self.encoding == "yaml":
            properties[SUPPORTED_VERSIONS_KEY] = advertisement
            properties[DATA_KEY] = {
                "type": "string",
                "contentMediaType": "application/yaml",
                "contentSchema": json_schema(self.schema),
            }
            required = [SUPPORTED_VERSIONS_KEY, DATA_KEY]
        else:
            payload = json_schema(self.schema)
            for key, prop in payload["properties"].items():
                wire = {"type": "string"}
                if prop["type"] == "integer":
                    wire["pattern"] = f"^(?:{DECIMAL.pattern})$"
                for keyword in ("pattern", "maxLength"):
                    if keyword in prop:
                        wire[keyword] = prop[keyword]
                if "description" in prop:
                    wire["description"] = prop["description"]
                properties[key] = wire
            required = list(payload.get("required", []))
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"{self.name} application databag",
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": {"type": "string"},
        }

    def encode(self, payload: object) -> dict[str, str]:
        """Lay a payload out as databag entries.

        Args:
            payload: An instance of ``schema``.

        Returns:
            The databag entries (key to string value) that carry the payload.

        Raises:
            TypeError: If ``payload`` is not an instance of this version's schema.
        """
        if not isinstance(payload, self.schema):
            raise TypeError(f"{self.name} payload must be {self.schema.__name__}, not {payload!r}")
        plain = typing.cast("dict[str, object]", unstructure(payload))
        if self.encoding == "yaml":
            return {DATA_KEY: yaml.safe_dump(plain, sort_keys=True, default_flow_style=False)}
        return {key: str(value) for key, value in plain.items()}

    def decode(self, bag: Mapping[str, str]) -> Any | None:
        """Read and validate this version's payload from a databag.

        Args:
            bag: The remote application databag (untrusted).

        Returns:
            The validated payload, or ``None`` if none of this version's keys are present
            (the remote side has not written it yet).

        Raises:
            WireError: If the payload is present but malformed or invalid.
        """
        if self.encoding == "yaml":
            text = checked_value(bag, DATA_KEY)
            if text is None:
                return None
            loaded = load_yaml(DATA_KEY, text)
            if not isinstance(loaded, dict):
                raise WireError(f"{DATA_KEY} is not a YAML mapping")
            return structure_mapping(loaded, self.schema, DATA_KEY)  # pyright: ignore[reportUnknownArgumentType]
        return decode_flat(self.schema, bag)


@attrs.frozen
class Reading:
    """What one relation's remote databag says, read through a protocol.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Endpoint:
        ...     host: str
        >>> protocol = Protocol([Version("v0", Endpoint, "flat")])
        >>> protocol.read({})  # the remote side has written nothing yet
        Reading(version='v0', payload=None)
        >>> protocol.read({"host": "db"})
        Reading(version='v0', payload=Endpoint(host='db'))
    """

    version: str
    """The version the payload was read in, or the agreed version if no payload is there yet."""

    payload: Any | None
    """The validated payload, or ``None`` while the remote side has not written it (not ready)."""


class Protocol:
    """A versioned relation-data protocol: negotiation, encoding and validation.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Greeting:
        ...     text: str
        >>> protocol = Protocol([Version("v0", Greeting, "flat")])
        >>> protocol.read({"text": "hello"}).payload
        Greeting(text='hello')
    """

    def __init__(self, versions: Iterable[Version], dialects: Iterable[Dialect] = ()):
        """Create a protocol from its versions.

        Args:
            versions: The versions this side supports, in any order.
            dialects: Read-only layouts tried, in order, for an unversioned peer that wrote none
                of ``v0``'s keys.

        Raises:
            ValueError: If no version is given or two have the same name.
        """
        ordered = sorted(versions, key=lambda version: version.number)
        if not ordered:
            raise ValueError("a protocol needs at least one version")
        names = [version.name for version in ordered]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate protocol versions in {format_versions(names)}")
        self._versions = {version.name: version for version in ordered}
        self._common_with: dict[tuple[str, ...], list[Version]] = {}
        _PROTOCOLS.add(self)
        self._dialects = tuple(dialects)

    def clear_cache(self) -> None:
        """Forget the common versions worked out per remote advertisement (``clear_caches``)."""
        self._common_with.clear()

    @property
    def versions(self) -> tuple[Version, ...]:
        """The supported versions, oldest first."""
        return tuple(self._versions.values())

    @property
    def dialects(self) -> tuple[Dialect, ...]:
        """The read-only dialects of unversioned peers, in the order they are tried."""
        return self._dialects

    @property
    def supported(self) -> tuple[str, ...]:
        """The names of the supported versions, oldest first."""
        return tuple(self._versions)

    @property
    def keys(self) -> frozenset[str]:
        """Every databag key any supported version, dialect, or negotiation uses."""
        keys = {SUPPORTED_VERSIONS_KEY}
        for version in self._versions.values():
            keys.update(version.keys)
        for dialect in self._dialects:
            keys.update(dialect.keys)
        return frozenset(keys)

    def advertisement(self) -> dict[str, str]:
        """The databag entry that advertises this side's versions."""
        return {SUPPORTED_VERSIONS_KEY: yaml.safe_dump(list(self.supported))}

    @staticmethod
    def remote_versions(bag: Mapping[str, str]) -> tuple[str, ...] | None:
        """Parse the versions the remote side advertises.

        Entries that are not version names (``v`` and a number, any number of digits) are
        skipped, so that a peer listing a version or a word we do not know is still understood.

        Args:
            bag: The remote application databag (untrusted).

        Returns:
            The advertised version names, or ``None`` for an unversioned peer.

        Raises:
            WireError: If the advertisement is not a YAML list.
        """
        text = checked_value(bag, SUPPORTED_VERSIONS_KEY)
        if text is None:
            return None
        return advertised_versions(text)

    def agreed(self, bag: Mapping[str, str]) -> Version:
        """Return the version agreed with the remote side: the highest both sides support.

        Args:
            bag: The remote application databag (untrusted).

        Returns:
            The agreed version (``v0`` for an unversioned peer, if this side supports it).

        Raises:
            WireError: If the advertisement is malformed or no version is common.
        """
        return self._common(bag)[1][-1]

    def _common(self, bag: Mapping[str, str]) -> tuple[tuple[str, ...] | None, list[Version]]:
        remote = self.remote_versions(bag)
        theirs = ("v0",) if remote is None else remote
        common = self._common_with.get(theirs)
        if common is None:  # worked out once per distinct advertisement (every relation reads it)
            common = [version for version in self._versions.values() if version.name in theirs]
            if len(self._common_with) < _COMMON_CACHE_SIZE:
                self._common_with[theirs] = common
        if not common:
            note = " (it advertises none)" if remote is None else ""
            raise WireError(
                f"no common protocol version: we support {format_versions(self.supported)}, "
                f"remote supports {format_remote(theirs)}{note}"
            )
        return remote, common

    def read(self, bag: Mapping[str, str]) -> Reading:
        """Read the remote side's payload in the best version both sides support.

        The newest common version whose payload is present and valid wins, so a peer that moves
        to a newer version keeps being served while both payloads change hands (versions that
        share the ``data`` key included: a payload written for an older peer is still read). If
        none is valid, the newest present version's error is raised. An unversioned peer that
        wrote no ``v0`` key is read in the first dialect whose keys it wrote; if it wrote other
        keys only, the relation is invalid and the error names them.

        Args:
            bag: The remote application databag (untrusted).

        Returns:
            The reading; its payload is ``None`` while nothing has been written.

        Raises:
            WireError: If negotiation fails or the payload is malformed or invalid.
        """
        remote, common = self._common(bag)
        first_error: WireError | None = None
        for version in reversed(common):
            try:
                payload = version.decode(bag)
            except WireError as error:
                first_error = first_error or error
                continue
            if payload is not None:
                return Reading(version.name, payload)  # by position: once per relation read
        if first_error is not None:
            raise first_error
        if remote is None:
            return self._read_dialect(bag, common[-1])
        return Reading(version=common[-1].name, payload=None)

    def _read_dialect(self, bag: Mapping[str, str], agreed: Version) -> Reading:
        for dialect in self._dialects:
            payload = dialect.decode(bag)
            if payload is not None:
                return Reading(version=dialect.name, payload=payload)
        foreign = foreign_keys(bag, self.keys)
        if foreign:
            names = [*self.supported, *(dialect.name for dialect in self._dialects)]
            raise WireError(
                f"no known dialect: the databag has keys {format_remote(foreign)}, "
                f"we read {format_versions(names)}"
            )
        return Reading(version=agreed.name, payload=None)

    def write(
        self, remote_bag: Mapping[str, str], payload_for: Callable[[Version], object] | None
    ) -> dict[str, str]:
        """Compute this side's databag for a relation: the advertisement and the payload.

        The payload goes out in the version agreed with the remote side (``v0`` while the remote
        side advertises nothing, if this side supports it); the keys of every other version are
        set to ``""``, which deletes them.

        Args:
            remote_bag: The remote application databag (untrusted), for negotiation.
            payload_for: Builds the payload for the agreed version; ``None`` to publish only the
                advertisement.

        Returns:
            The entries to write (an empty string deletes a key).
        """
        entries = self.advertisement()
        for version in self._versions.values():
            entries.update(dict.fromkeys(version.keys, ""))
        if payload_for is None:
            return entries
        try:
            version = self.agreed(remote_bag)
        except WireError:
            return entries
        entries.update(version.encode(payload_for(version)))
        return entries


_COMMON_CACHE_SIZE = 64
"""Most distinct remote advertisements whose common versions one protocol remembers."""

_PROTOCOLS: weakref.WeakSet[Protocol] = weakref.WeakSet()
"""Every protocol made in this process, so that ``clear_caches`` reaches their caches."""


def clear_caches() -> None:
    """Forget the values this process has kept: parsed texts, advertisements, agreed versions.

    Juju runs every hook in a fresh process, so these caches only ever serve one hook, in which
    every relation repeats the same advertisement and a charm may read a value many times. A
    program that runs many hooks in one process (a simulator, a benchmark) calls this before
    each hook so that each starts as cold as in a deployment. What is worked out once per schema
    class is kept: a fresh process does that once, at its first relation.

    Example:
        >>> from relation_protocol import clear_caches
        >>> clear_caches()  # between two hooks run in one process
    """
    clear_parse_cache()
    advertised_versions.cache_clear()
    for protocol in _PROTOCOLS:
        protocol.clear_cache()
