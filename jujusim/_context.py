"""The context of the hook that is running now, for charms to note what they observed."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(kw_only=True)
class CurrentHook:
    """The hook being dispatched right now, as seen by charm code.

    The fields are those of the hook's ``HookRecord``; ``observations`` is what the charm noted
    with ``observe`` so far.
    """

    unit: str
    hook: str
    relation_id: int | None
    remote_unit: str | None
    remote_app: str | None
    attempt: int
    observations: dict[str, Any] = dataclasses.field(default_factory=dict[str, Any])

    def observe(self, key: str, value: Any) -> None:
        """Put ``value`` into the hook's ``HookRecord.observations`` under ``key``.

        A later call with the same key replaces the earlier value. Pass plain values (or
        copies): the hook record keeps a reference.

        Args:
            key: The observation name.
            value: The observed value.
        """
        self.observations[key] = value


_current: CurrentHook | None = None


def current_hook() -> CurrentHook | None:
    """Return the hook being dispatched now, or None outside a dispatch."""
    return _current


def set_current(hook: CurrentHook | None) -> None:
    """Set (or clear, with None) the hook that ``current_hook`` returns."""
    global _current
    _current = hook
