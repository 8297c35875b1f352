"""The hook tools of events from outside a unit: ``action-*`` and ``secret-get``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import MappingProxyType

from ._controller import Controller
from ._jujuc import ToolError, parse_args, render, settings_to_set
from ._records import ActionRun, HookSpec

Tool = Callable[[list[str], str | None], str]
"""A hook tool: its arguments and stdin in, its output out (``ToolError`` on failure)."""


class EventTools:
    """``action-get``, ``action-set``, ``action-fail`` and ``secret-get`` for one hook.

    ``action-log`` is ``juju-log``; every ``action-*`` tool fails outside an action.
    """

    def __init__(self, controller: Controller, spec: HookSpec) -> None:
        self.controller = controller
        self.spec = spec
        self._results: dict[str, str] = {}
        self._failure: str | None = None

    def tools(self) -> dict[str, Tool]:
        """The tools, by name."""
        return {
            "action-get": self._action_get,
            "action-set": self._action_set,
            "action-fail": self._action_fail,
            "secret-get": self._secret_get,
        }

    def _action(self) -> ActionRun:
        assert self.spec.action is not None  # ``HookSession.handle`` refuses it in hooks
        return self.spec.action

    def _action_get(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "output"})
        params = dict(self._action().params)
        return render(params.get(pos[0]) if pos else params, flags.get("format"))

    def _action_set(self, args: list[str], stdin: str | None) -> str:
        self._results.update(settings_to_set(None, parse_args(args, set())[1], None))
        return ""

    def _action_fail(self, args: list[str], stdin: str | None) -> str:
        self._failure = " ".join(parse_args(args, set())[1]) or "action failed"
        return ""

    def action_outcome(self, error: str | None) -> ActionRun:
        """How this hook's action ended: failed if the charm called ``action-fail`` or raised."""
        message = error or self._failure
        return dataclasses.replace(
            self._action(),
            status="completed" if message is None else "failed",
            results=MappingProxyType(dict(self._results)),
            message=message or "",
        )

    def _secret_get(self, args: list[str], stdin: str | None) -> str:
        """The latest content of a secret, by id or label (``--refresh``/``--peek`` alike)."""
        flags, pos = parse_args(args, {"format", "output", "label", "refresh", "peek"})
        label = flags.get("label")
        secret_id = pos[0] if pos else self.controller.secret_labels.get(label or "")
        content = self.controller.secrets.get(secret_id or "")
        if content is None:
            raise ToolError(f'secret "{secret_id or label}" not found')
        return render(dict(content), flags.get("format"))
