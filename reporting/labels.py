"""How the reports show every value: the headings of ``jujusim.vocabulary``, formats, tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar, cast

from jujusim.vocabulary import STRATEGIES as STRATEGIES
from jujusim.vocabulary import BenchBackend as Backend
from jujusim.vocabulary import BenchKind as Kind
from jujusim.vocabulary import Storage as Storage
from jujusim.vocabulary import Wire as Wire

Value = TypeVar("Value", bound=str)

BASELINE: Backend = "noop"
"""The charm that constructs nothing: every time ratio but the targets' is over its time."""

KINDS: dict[Kind, str] = {
    "rebuild": "rebuild (start after state loss)",
    "update-status-no-read": "update-status, `services` not read",
    "update-status-read": "update-status, `services` read once",
    "update-status-read-twice": "update-status, `services` read twice",
    "relation-changed": "relation-changed (one provider's new port)",
}
"""The requirer's hook kinds in report order, with their headings."""

STORAGES: dict[Storage, str] = {
    "local": "local storage (SQLite, pickle)",
    "controller": "controller storage (state-set, YAML)",
}

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
"""The study's measures (``study.json``'s keys) with their headings, where the key with spaces
for underscores would not do."""


def baseline_kind(kind: Kind) -> Kind:
    """The no-op charm's kind that ``kind`` is compared with."""
    return "update-status" if kind.startswith("update-status") else kind


def one_of(vocabulary: tuple[Value, ...], name: object) -> Value:
    """``name`` as a value of a vocabulary, or ValueError."""
    for value in vocabulary:
        if value == name:
            return value
    raise ValueError(f"{name!r} is not one of {', '.join(map(str, vocabulary))}")


def count(value: float) -> str:
    """Format a count: ``1,553``."""
    return f"{round(value):,}"


def share(value: float) -> str:
    """Format a fraction as a percentage: ``20.2%``."""
    return f"{value:.1%}"


def decimal(value: float) -> str:
    """Format a measured mean with one decimal: ``14.9``."""
    return f"{value:,.1f}"


def exponent(value: float | None) -> str:
    """Format a fitted exponent: ``1.02``, or ``-`` when there is none."""
    return "-" if value is None else f"{value:.2f}"


def ratio(value: float | None) -> str:
    """Format a ratio: ``1.07x``, or ``-`` when there is none."""
    return "-" if value is None else f"{value:.2f}x"


def ms(seconds: float) -> str:
    """Format a time in milliseconds, to about three figures: ``0.44``, ``12.3``, ``1,234``."""
    value = seconds * 1000
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def median(value: float | None) -> str:
    """Format a median, whole when it is whole: ``3``, ``2.5``, or ``-`` when there is none."""
    return "-" if value is None else count(value) if float(value).is_integer() else decimal(value)


def number(value: object) -> str:
    """Format any value by its type: counts whole, means with one decimal, collections by item."""
    if isinstance(value, list | tuple):
        return ", ".join(number(item) for item in cast("Sequence[object]", value))
    if isinstance(value, dict):
        items = cast("dict[object, object]", value).items()
        return ", ".join(f"{key}: {number(item)}" for key, item in items)
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int):
        return count(value)
    return median(value) if isinstance(value, float) else str(value)


def words(items: Iterable[str]) -> str:
    """Join names for a sentence: ``a``, ``a and b``, ``a, b and c``."""
    names = list(items)
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def code(name: str) -> str:
    """Format a name as inline code."""
    return f"`{name}`"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, labels: int = 1) -> str:
    """A Markdown table, no trailing newline: ``labels`` columns left-aligned, the rest right."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * labels + " ---: |" * (len(header) - labels),
    ]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
