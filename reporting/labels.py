"""The closed vocabularies of the reports, and the one label each value is shown with.

The strings are the ones the study and the benchmarks write into their JSON; every table, plot
and document takes its headings from here.
"""

from __future__ import annotations

from typing import TypeVar

from jujusim.vocabulary import (
    BENCH_KINDS,
    LIBRARY_BACKENDS,
    WIRES,
    BenchBackend,
    BenchKind,
    Storage,
    Wire,
)
from jujusim.vocabulary import (
    STORAGES as STORAGE_ORDER,
)
from jujusim.vocabulary import STRATEGIES as STRATEGIES

Value = TypeVar("Value", bound=str)

Backend = BenchBackend
"""A requirer charm the benchmarks time: the library's two backends, or a baseline."""

Kind = BenchKind
"""A hook the benchmarks time."""

SHIPPED: tuple[Backend, ...] = LIBRARY_BACKENDS
"""The library's two backends, as both the study and the benchmarks name them."""

BASELINE: Backend = "noop"
"""The charm that constructs nothing: every time ratio but the targets' is over its time."""


KINDS: dict[Kind, str] = {
    "rebuild": "rebuild (start after state loss)",
    "update-status-no-read": "update-status, `services` not read",
    "update-status-read": "update-status, `services` read once",
    "update-status-read-twice": "update-status, `services` read twice",
    "relation-changed": "relation-changed (one provider's new port)",
}
"""The requirer's hook kinds in report order, with their headings (``update-status`` is the
no-op charm's, the baseline of the three ``update-status-*`` kinds)."""

STORAGES: dict[Storage, str] = {
    "local": "local storage (SQLite, pickle)",
    "controller": "controller storage (state-set, YAML)",
}
"""Each storage with its heading."""

MEASURES: dict[str, str] = {
    "stale": "stale hooks",
    "event_faults": "events dropped, duplicated or order-only",
    "stale_fraction": "stale hooks",
    "notified_stale_hooks": "hooks off what the unit was notified of",
    "notified_stale_fraction": "hooks off what the unit was notified of",
    "missed_at_quiescence": "missed (final)",
    "spurious_events": "order-only events",
    "reannounced_events": "re-announced after a pod replacement",
    "events_received": "received by the charm",
    "order_disagreements": "runs with units in different order",
    "tool_calls_per_hook": "hook-tool calls / hook",
    "relation_get_per_hook": "relation-get / hook",
    "bytes_written_per_hook": "state bytes written / hook",
    "max_bytes_written": "largest write of one hook (bytes)",
    "state_bytes_per_unit": "state bytes / unit (max)",
    "databag_bytes": "databag bytes (median)",
    "state_limit_hits": "64 KiB limit hits",
    "median_hooks_to_first_service": "hooks to first service",
}
"""The study's measures (keys of ``study.json``'s summaries) with their column headings, where
the key with spaces for underscores would not do."""


def baseline_kind(kind: Kind) -> Kind:
    """The no-op charm's kind that ``kind`` is compared with."""
    return "update-status" if kind.startswith("update-status") else kind


def one_of(vocabulary: tuple[Value, ...], name: object) -> Value:
    """``name`` as a value of a vocabulary (``BACKENDS``, ``KIND_NAMES``, ...), or ValueError."""
    for value in vocabulary:
        if value == name:
            return value
    raise ValueError(f"{name!r} is not one of {', '.join(map(str, vocabulary))}")


BACKENDS: tuple[Backend, ...] = ("live", "stored", "noop", "ops-read")
KIND_NAMES: tuple[Kind, ...] = BENCH_KINDS
STORAGE_NAMES: tuple[Storage, ...] = STORAGE_ORDER
WIRE_NAMES: tuple[Wire, ...] = WIRES
