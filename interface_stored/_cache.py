"""The stored backend's cache: every relation's validated result, packed into a few records.

Each relation has one entry: its ``K8sService`` (canonically encoded), its ``InvalidRelation``
reason, or ``pending`` while the provider has written nothing. Entries are packed, as compact
JSON, into chunk records of at most ``CHUNK_BYTES`` each, so that reading 1000 relations loads a
handful of records (one ``state-get`` each with controller storage) and no record nears Juju's
64 KiB limit on one state value; ``build_view`` bounds every entry well under a chunk. A header
record holds the format marker and the number of chunks; a cache whose marker differs (another
layout, protocol set or library version) is treated as never built.

Records are plain ``StoredStateData`` snapshots saved by hand when their content changes, not
``StoredState`` attributes, which would register one framework observer each.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import ops
from ops.framework import StoredStateData
from ops.storage import NoSnapshotError

from k8s_service_interface import (
    InvalidRelation,
    K8sService,
    ServicePort,
    ServicesView,
    __version__,
    canonical,
)

CHUNK_BYTES = 16 * 1024
"""Longest JSON text of a chunk record holding more than one entry.

One entry alone may be longer, but not by much: the remote YAML budget (``MAX_NODES``)
admits 141 named ports at most, whose Service encodes in under 10 KiB, and ``build_view`` cuts
a reason at ``MAX_REASON_CHARS``; so no record exceeds about 26 KiB, well under Juju's 64 KiB.
Smaller chunks would make a relation event write less and a read load more records; 16 KiB
keeps a read at N=1000 to about ten records."""

LAYOUT = "chunked-json-1"
"""The name of this record layout; change it whenever the records' meaning changes."""

_MOST_CHUNKS = 100_000
"""More chunks than any header this library writes could name (a corrupt header is ignored)."""

Entry = list[Any]
"""One relation's entry: ``[relation_id, app, kind, detail]``."""

_SERVICE, _INVALID, _PENDING = "service", "invalid", "pending"


def cache_format(supported: Iterable[str]) -> str:
    """The format marker of a cache written by this library for a protocol set.

    Args:
        supported: The protocol versions the requirer speaks.

    Returns:
        A marker naming the layout, the library version and the protocol set.
    """
    return f"{LAYOUT} k8s-service-interface-{__version__} {','.join(supported)}"


def entries_of(view: ServicesView, relation_ids: Iterable[int]) -> dict[int, Entry]:
    """Encode a view as one entry per relation; relations not in the view are pending.

    Args:
        view: The validated view of some relations.
        relation_ids: Every relation the view covers, with or without provider data.

    Returns:
        The entries by relation id.
    """
    entries: dict[int, Entry] = {rid: [rid, "", _PENDING, None] for rid in relation_ids}
    for service in view.services:
        entries[service.relation_id] = [
            service.relation_id,
            service.app,
            _SERVICE,
            canonical(service),
        ]
    for bad in view.invalid:
        entries[bad.relation_id] = [bad.relation_id, bad.app, _INVALID, bad.reason]
    return entries


def view_of(entries: Iterable[Entry]) -> ServicesView:
    """Decode entries into the view, ordered by integer relation id.

    Raises:
        TypeError: If an entry is not one this layout writes.
        ValueError: Likewise.
    """
    services: list[K8sService] = []
    invalid: list[InvalidRelation] = []
    for relation_id, app, kind, detail in sorted(entries, key=lambda entry: entry[0]):
        if kind == _SERVICE:
            fields = dict(detail)
            fields["ports"] = tuple(ServicePort(**port) for port in fields.get("ports", ()))
            services.append(K8sService(**fields))
        elif kind == _INVALID:
            invalid.append(InvalidRelation(int(relation_id), str(app), str(detail)))
        elif kind != _PENDING:
            raise ValueError(f"unknown cache entry kind {kind!r}")
    return ServicesView(services=tuple(services), invalid=tuple(invalid))


def _encoded(entry: Entry) -> str:
    return json.dumps(entry, separators=(",", ":"))


class _Record:
    """One snapshot saved by hand, in the hook's transaction."""

    def __init__(self, owner: ops.Object, key: str):
        self._framework = owner.framework
        owner.framework.register_type(StoredStateData, owner)
        try:
            loaded = owner.framework.load_snapshot(ops.Handle(owner, "StoredStateData", key))
        except NoSnapshotError:
            loaded = None
        self.exists = isinstance(loaded, StoredStateData)
        self._data = loaded if isinstance(loaded, StoredStateData) else StoredStateData(owner, key)

    def get(self, name: str) -> Any:
        return self._data[name] if name in self._data else None  # noqa: SIM401 (no .get)

    def save(self, **values: Any) -> None:
        for name, value in values.items():
            self._data[name] = value
        self._framework.save_snapshot(self._data)
        self.exists = True

    def drop(self) -> None:
        if self.exists:
            self._framework.drop_snapshot(self._data.handle)
            self.exists = False


def drop_per_relation_layout(owner: ops.Object) -> None:
    """Delete the records of the earlier layout (an ``_index`` and one snapshot per relation).

    Args:
        owner: The requirer object the records belong to.
    """
    index = _Record(owner, "_index")
    if not index.exists:
        return
    ids = index.get("relation_ids")
    for relation_id in ids if isinstance(ids, list) else []:  # pyright: ignore[reportUnknownVariableType]
        _Record(owner, f"relation-{relation_id}").drop()
    index.drop()


class ChunkedCache:
    """The cached entries of one requirer, loaded from and saved to chunk records.

    Args:
        owner: The requirer object the records belong to.
        marker: The format marker the records must carry to be read.
    """

    def __init__(self, owner: ops.Object, marker: str):
        self._owner = owner
        self._marker = marker
        self._header = _Record(owner, "cache")
        self._chunks: list[dict[int, Entry]] = []
        self._records: list[_Record] = []
        self._view: ServicesView | None = None
        self.is_built = False
        """Whether the records hold a cache of this format (else ``rebuild`` must run)."""
        count = self._header.get("chunks")
        sane = isinstance(count, int) and 0 <= count <= _MOST_CHUNKS
        self._saved_chunks: int = count if sane else 0
        if self._header.get("format") == marker and self._saved_chunks == count:
            self._load(self._saved_chunks)

    def _load(self, count: int) -> None:
        try:
            for number in range(count):
                record = _Record(self._owner, f"chunk-{number}")
                self._records.append(record)
                entries = json.loads(record.get("entries"))
                self._chunks.append({entry[0]: entry for entry in entries})
            self.view()
        except (TypeError, ValueError, KeyError, IndexError):
            self._chunks = []
            return
        self.is_built = True

    @property
    def relation_ids(self) -> list[int]:
        """The cached relation ids, in integer order."""
        return sorted(rid for chunk in self._chunks for rid in chunk)

    def view(self) -> ServicesView:
        """The view of every cached entry (decoded once per change)."""
        if self._view is None:
            self._view = view_of(entry for chunk in self._chunks for entry in chunk.values())
        return self._view

    def rebuild(self, view: ServicesView, relation_ids: Iterable[int]) -> None:
        """Replace the whole cache: pack the entries into as few chunks as fit, and save them.

        Args:
            view: The view of the relations, validated from live data.
            relation_ids: Every relation the view covers, with or without provider data.
        """
        entries = entries_of(view, relation_ids)
        self._view = view
        packed: list[list[str]] = [[]]
        size = 2
        self._chunks = [{}]
        for rid in sorted(entries):
            text = _encoded(entries[rid])
            if packed[-1] and size + 1 + len(text) > CHUNK_BYTES:
                packed.append([])
                self._chunks.append({})
                size = 2
            size += len(text) + (1 if len(packed[-1]) else 0)
            packed[-1].append(text)
            self._chunks[-1][rid] = entries[rid]
        for number, texts in enumerate(packed):
            self._record(number).save(entries="[" + ",".join(texts) + "]")
        self._truncate(len(packed))
        self.is_built = True

    def put(self, entry: Entry) -> bool:
        """Store one relation's entry, rewriting only the chunks it leaves or enters.

        Returns:
            Whether anything changed.
        """
        rid: int = entry[0]
        home = next((n for n, chunk in enumerate(self._chunks) if rid in chunk), None)
        if home is not None and self._chunks[home][rid] == entry:
            return False
        self._view = None
        order = [home] if home is not None else []
        order += [n for n in range(len(self._chunks)) if n != home]
        for number in order:
            chunk = {**self._chunks[number], rid: entry}
            text = _encoded(list(chunk.values()))
            if len(text) <= CHUNK_BYTES:
                break
        else:
            number, chunk = len(self._chunks), {rid: entry}
            self._chunks.append({})
            text = _encoded([entry])
        if home is not None and home != number:
            self.remove(rid)
        self._chunks[number] = chunk
        self._record(number).save(entries=text)
        if len(self._records) != self._saved_chunks:
            self._save_header(len(self._records))
        return True

    def remove(self, relation_id: int) -> bool:
        """Forget one relation's entry.

        Returns:
            Whether it was cached.
        """
        for number, chunk in enumerate(self._chunks):
            if relation_id in chunk:
                del chunk[relation_id]
                self._view = None
                self._record(number).save(entries=_encoded(list(chunk.values())))
                return True
        return False

    def next_to_refresh(self, exclude: int, count: int) -> list[int]:
        """The next ``count`` cached relations after the one re-read last (round robin).

        The last of them is remembered as re-read last.

        Args:
            exclude: A relation not to choose (the one the hook has just read).
            count: How many to choose, at most every other cached relation.

        Returns:
            Relation ids in round-robin order; none if no other relation is cached.
        """
        ids = [rid for rid in self.relation_ids if rid != exclude]
        if not ids or count <= 0:
            return []
        last = self._header.get("refreshed")
        start = sum(1 for rid in ids if isinstance(last, int) and rid <= last) % len(ids)
        chosen = [ids[(start + step) % len(ids)] for step in range(min(count, len(ids)))]
        self._header.save(refreshed=chosen[-1])
        return chosen

    def _record(self, number: int) -> _Record:
        while len(self._records) <= number:
            self._records.append(_Record(self._owner, f"chunk-{len(self._records)}"))
        return self._records[number]

    def _truncate(self, count: int) -> None:
        """Drop the chunk records past ``count`` and save the header."""
        for number in range(count, max(self._saved_chunks, len(self._records))):
            self._record(number).drop()
        del self._records[count:]
        self._save_header(count)

    def _save_header(self, count: int) -> None:
        self._header.save(format=self._marker, chunks=count)
        self._saved_chunks = count
