"""Fixtures of the contract suite: hook-tool instrumentation and Juju behaviour.

The instrumentation wraps private pieces of ops.testing (``scenario``); that is acceptable in tests
and is the only way to count hook-tool calls or reproduce Juju behaviour that ops.testing lacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from ops import testing
from scenario import _runtime
from scenario.mocking import _MockModelBackend
from scenario.state import _Event


@attrs.define
class HookToolCalls:
    """The relation hook-tool calls the charm made, as ``(relation id, member)`` pairs."""

    relation_get: list[tuple[int, str]] = attrs.field(factory=list[tuple[int, str]])
    relation_set: list[tuple[int, dict[str, str]]] = attrs.field(
        factory=list[tuple[int, dict[str, str]]]
    )

    def clear(self) -> None:
        """Forget the calls counted so far."""
        self.relation_get.clear()
        self.relation_set.clear()


@pytest.fixture
def hook_tools(monkeypatch: pytest.MonkeyPatch) -> HookToolCalls:
    """Count ``relation-get`` and ``relation-set`` calls (each a hook-tool run under Juju)."""
    calls = HookToolCalls()
    original_get = _MockModelBackend.relation_get
    original_set = _MockModelBackend.relation_set

    def relation_get(
        self: _MockModelBackend, relation_id: int, member_name: str, is_app: bool, **kwargs: Any
    ) -> dict[str, str]:
        calls.relation_get.append((relation_id, member_name))
        return original_get(self, relation_id, member_name, is_app, **kwargs)

    def relation_set(
        self: _MockModelBackend,
        relation_id: int,
        data: Mapping[str, str],
        is_app: bool,
        **kwargs: Any,
    ) -> None:
        calls.relation_set.append((relation_id, dict(data)))
        original_set(self, relation_id, data, is_app, **kwargs)

    monkeypatch.setattr(_MockModelBackend, "relation_get", relation_get)
    monkeypatch.setattr(_MockModelBackend, "relation_set", relation_set)
    return calls


@pytest.fixture
def juju_relation_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``relation-ids`` list relations as Juju does: sorted as strings (``ep:10`` first)."""
    original = _MockModelBackend.relation_ids

    def relation_ids(self: _MockModelBackend, relation_name: str) -> list[int]:
        ids: list[int] = original(self, relation_name)
        return sorted(ids, key=lambda relation_id: f"{relation_name}:{relation_id}")

    monkeypatch.setattr(_MockModelBackend, "relation_ids", relation_ids)


@pytest.fixture
def app_level_relation_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dispatch relation-changed as Juju does for a change of the remote application's databag.

    Juju then sets ``JUJU_REMOTE_UNIT`` to the empty string, so the event has no unit;
    ops.testing always names a remote unit when the relation has one.
    """
    original = _runtime.Runtime[Any]._get_event_env

    def get_event_env(
        self: _runtime.Runtime[Any], state: testing.State, event: _Event, charm_root: Path
    ) -> dict[str, str]:
        env = original(self, state, event, charm_root)
        if event.name.endswith("_relation_changed"):
            env["JUJU_REMOTE_UNIT"] = ""
        return env

    monkeypatch.setattr(_runtime.Runtime, "_get_event_env", get_event_env)
