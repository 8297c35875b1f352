"""Hook tools, answered from the simulated controller for one hook (Juju's hook context).

One ``HookSession`` serves every hook-tool call of one dispatch, whichever way the call arrives
(in-process or through the exec-mode socket). It parses the argv as Juju's ``jujuc`` commands do
and prints what they print (``_jujuc.py``), counts every call, and buffers relation and
charm-state writes until the hook succeeds.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from ._agent import UnitAgent
from ._controller import Controller, Relation, app_of, merged
from ._jujuc import ToolError, parse_args, render, settings_to_set
from ._records import ActionRun, HookSpec
from ._relation_view import RelationView, relation_list

MAX_STATE_KEY = 256
"""Juju's ``quota.MaxCharmStateKeySize``."""

MAX_STATE_VALUE = 64 * 1024
"""Juju's ``quota.MaxCharmStateValueSize``."""

_STATUSES = ("maintenance", "blocked", "waiting", "active")

_FLAGS: dict[str, set[str]] = {
    "relation-ids": {"format", "output"},
    "relation-list": {"format", "output", "relation", "app"},
    "relation-get": {"format", "output", "relation", "app"},
    "relation-set": {"format", "relation", "app", "file"},
    "is-leader": {"format", "output"},
    "juju-log": {"log-level", "debug", "format"},
    "status-set": {"application"},
    "status-get": {"format", "output", "include-data", "application"},
    "config-get": {"format", "output", "all"},
    "state-get": {"format", "output", "strict"},
    "state-set": {"file"},
    "state-delete": set(),
    "application-version-set": set(),
    "action-get": {"format", "output"},
    "action-set": set(),
    "action-fail": set(),
    "action-log": {"log-level", "debug", "format"},
    "secret-get": {"format", "output", "label", "refresh", "peek"},
}
"""The tools a session answers, with the flags each accepts; ``x-y`` is method ``_x_y``."""

BagKey = tuple[int, str]
"""A databag in a session: relation id and owner (unit or application)."""


def _status(statuses: Mapping[str, tuple[str, str]], owner: str) -> dict[str, Any]:
    status, message = statuses.get(owner, ("unknown", ""))
    return {"message": message, "status": status, "status-data": {}}


class HookSession:
    """Everything one hook does through hook tools.

    Attributes:
        relation_writes: The buffered ``relation-set`` deltas, by databag.
        state_writes: The buffered charm-state delta (an empty value deletes).
        answer_s: Thread CPU time spent in ``handle``, of whichever thread called it.
    """

    def __init__(self, *, controller: Controller, agent: UnitAgent, spec: HookSpec) -> None:
        self.controller = controller
        self.spec = spec
        self.unit = agent.name
        self.app = agent.app
        self.tool_calls: dict[str, int] = {}
        self.state_limit_hits = 0
        self.relation_writes: dict[BagKey, dict[str, str]] = {}
        self.state_writes: dict[str, str] = {}
        self.answer_s = 0.0
        self._views: dict[int, RelationView] = dict(agent.views)
        self._reads: dict[BagKey, Mapping[str, str]] = {}
        self._results: dict[str, str] = {}
        self._failure: str | None = None

    def handle(self, argv: Sequence[str], stdin: str | None) -> tuple[int, str, str]:
        """Run one hook tool; return its exit code, stdout and stderr."""
        started = time.thread_time()
        name = argv[0].rsplit("/", 1)[-1] if argv else ""
        self.tool_calls[name] = self.tool_calls.get(name, 0) + 1
        allowed = _FLAGS.get(name)
        try:
            if name.startswith("action-") and self.spec.action is None:
                return 1, "", "ERROR not running an action\n"  # Juju's jujuc refuses it too
            if allowed is None:
                return 1, "", f"ERROR jujusim does not implement the hook tool {name!r}\n"
            flags, pos = parse_args(argv[1:], allowed)
            return 0, getattr(self, "_" + name.replace("-", "_"))(flags, pos, stdin), ""
        except ToolError as e:
            return e.returncode, "", f"ERROR {e.message}\n"
        finally:
            self.answer_s += time.thread_time() - started

    # -- relations -------------------------------------------------------------------------

    def _relation(self, flags: Mapping[str, str]) -> RelationView:
        ref = flags.get("relation")
        if ref is None:
            if self.spec.relation_id is None:
                raise ToolError("no relation id specified")
            return self._views[self.spec.relation_id]
        endpoint, _, number = ref.rpartition(":")
        try:
            relation_id = int(number)
        except ValueError:
            raise ToolError(f'invalid value "{ref}" for flag -r: invalid relation id', 2) from None
        view = self._views.get(relation_id)
        if view is None or (endpoint and endpoint != view.endpoint):
            raise ToolError(f'invalid value "{ref}" for flag -r: relation not found', 2)
        return view

    def _relation_ids(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        name = pos[0] if pos else self.spec.endpoint
        if name is None:
            raise ToolError("no endpoint name specified")
        views = self._views.values()
        ids = [
            f"{name}:{v.relation.id}" for v in views if v.endpoint == name and not v.juju_broken()
        ]
        return render(sorted(ids), flags.get("format"))  # as Juju: "ep:10" before "ep:2"

    def _relation_list(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        if pos:
            raise ToolError(f"unrecognized args: {pos}", 2)
        view = self._relation(flags)
        if flags.get("app") == "true":
            return render(view.remote_app, flags.get("format"))
        return render(relation_list(view, self.spec), flags.get("format"))

    def _read(self, relation: Relation, owner: str) -> Mapping[str, str]:
        """A databag as it was at this hook's first read of it."""
        return self._reads.setdefault((relation.id, owner), relation.data(owner))

    def _own(self, relation: Relation, owner: str) -> dict[str, str]:
        """An own databag as this hook sees it: first read plus the hook's own writes."""
        delta = self.relation_writes.get((relation.id, owner), {})
        return merged(self._read(relation, owner), delta)

    def _gone_app_bag(self, view: RelationView) -> bool:
        """Whether this is the own app bag of a removed relation during its relation-broken."""
        return (
            not view.relation.alive
            and self.spec.kind == "relation-broken"
            and self.spec.relation_id == view.relation.id
        )

    def _relation_get(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        view = self._relation(flags)
        relation = view.relation
        is_app = flags.get("app") == "true"
        key = pos[0] if pos and pos[0] != "-" else ""
        if len(pos) > 2:
            raise ToolError(f"unrecognized args: {pos[2:]}", 2)
        if len(pos) == 2:
            target = app_of(pos[1]) if is_app else pos[1]
            if not is_app and "/" not in target:
                raise ToolError(f'expected unit name, got application name "{target}"')
        elif self.spec.remote_unit and not is_app:
            target = self.spec.remote_unit
        elif self.spec.remote_app:
            target, is_app = self.spec.remote_app, True
        else:
            raise ToolError("no unit or application specified")

        if target == self.unit and not is_app:
            data: Mapping[str, str] = self._own(relation, target)
        elif is_app and target == self.app:
            if self.controller.is_leader(self.unit):
                if self._gone_app_bag(view):
                    raise ToolError("permission denied (unauthorized access)")
                data = self._own(relation, target)
            elif relation.is_peer:
                data = self._read(relation, target)
            else:
                raise ToolError("permission denied")
        elif is_app:
            if target != view.remote_app:
                raise ToolError("permission denied")
            data = self._read(relation, target)
        elif target in relation.bags:
            data = self._read(relation, target)
        else:
            ref = f"{view.endpoint}:{relation.id}"
            raise ToolError(
                f'cannot read settings for unit "{target}" in relation "{ref}": '
                f'unit "{target}": settings not found'
            )
        return render(data.get(key) if key else dict(data), flags.get("format"))

    def _relation_set(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        settings = settings_to_set(flags.get("file"), pos, stdin)
        view = self._relation(flags)
        is_app = flags.get("app") == "true"
        if is_app and not self.controller.is_leader(self.unit):
            raise ToolError("cannot write relation settings")
        if is_app and self._gone_app_bag(view):
            raise ToolError(
                "cannot read relation application settings: permission denied "
                "(unauthorized access)"
            )
        owner = self.app if is_app else self.unit
        self._read(view.relation, owner)
        self.relation_writes.setdefault((view.relation.id, owner), {}).update(settings)
        return ""

    # -- leadership, logging, status, config ----------------------------------------------

    def _is_leader(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        if pos:
            raise ToolError(f"unrecognized args: {pos}", 2)
        return render(self.controller.is_leader(self.unit), flags.get("format"))

    def _juju_log(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        if not pos:
            raise ToolError("no message specified", 2)
        return ""

    _action_log = _juju_log

    def _status_set(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        if not pos:
            raise ToolError("invalid args, require <status> [message] [data]", 2)
        status, message = pos[0], " ".join(pos[1:2])
        if status not in _STATUSES:
            raise ToolError(f'invalid status "{status}", expected one of {list(_STATUSES)}', 2)
        owner = self.app if flags.get("application") == "true" else self.unit
        if owner == self.app and not self.controller.is_leader(self.unit):
            raise ToolError("setting application status: this unit is not the leader")
        self.controller.statuses[owner] = (status, message)
        return ""

    def _status_get(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        statuses = self.controller.statuses
        if flags.get("application") == "true":
            if not self.controller.is_leader(self.unit):
                raise ToolError("finding application status: this unit is not the leader")
            value: dict[str, Any] = {
                "application-status": _status(statuses, self.app),
                "units": {u: _status(statuses, u) for u in self.controller.app(self.app).units},
            }
        else:
            value = _status(statuses, self.unit)
        return render(value.get(pos[0]) if pos else value, flags.get("format"))

    def _config_get(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        config = dict(self.controller.app(self.app).config)
        return render(config.get(pos[0]) if pos else config, flags.get("format"))

    def _application_version_set(
        self, flags: dict[str, str], pos: list[str], stdin: str | None
    ) -> str:
        if len(pos) != 1:
            raise ToolError("no version specified", 2)
        return ""  # nothing in the simulated model reads the version

    # -- charm state (controller storage) --------------------------------------------------

    def _state_get(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        state = merged(self.controller.charm_state.get(self.unit, {}), self.state_writes)
        if not pos:
            return render(state, flags.get("format"))
        if pos[0] not in state and flags.get("strict") == "true":
            raise ToolError(f'"{pos[0]}" not found')
        return render(state.get(pos[0]), flags.get("format"))

    def _state_set(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        settings = settings_to_set(flags.get("file"), pos, stdin)
        for key, value in settings.items():
            if len(key.encode()) > MAX_STATE_KEY:
                self.state_limit_hits += 1
                raise ToolError(f"max allowed key length ({MAX_STATE_KEY}) exceeded")
            if len(value.encode()) > MAX_STATE_VALUE:
                self.state_limit_hits += 1
                raise ToolError(f"max allowed value length ({MAX_STATE_VALUE}) exceeded")
        self.state_writes.update(settings)
        return ""

    def _state_delete(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        if len(pos) != 1:
            raise ToolError("specify a key to delete", 2)
        self.state_writes[pos[0]] = ""
        return ""

    # -- actions and secrets ---------------------------------------------------------------

    def _action(self) -> ActionRun:
        assert self.spec.action is not None  # ``handle`` refuses action tools in hooks
        return self.spec.action

    def _action_get(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        params = dict(self._action().params)
        return render(params.get(pos[0]) if pos else params, flags.get("format"))

    def _action_set(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        self._results.update(settings_to_set(None, pos, None))
        return ""

    def _action_fail(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        self._failure = " ".join(pos) or "action failed"
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

    def _secret_get(self, flags: dict[str, str], pos: list[str], stdin: str | None) -> str:
        """The latest content of a secret, by id or label (``--refresh``/``--peek`` alike)."""
        label = flags.get("label")
        secret_id = pos[0] if pos else self.controller.secret_labels.get(label or "")
        content = self.controller.secrets.get(secret_id or "")
        if content is None:
            raise ToolError(f'secret "{secret_id or label}" not found')
        return render(dict(content), flags.get("format"))
