"""Hook tools, answered from the simulated controller for one hook (Juju's hook context).

One ``HookSession`` serves every hook-tool call of one dispatch, whichever way the call arrives
(in-process or through the exec-mode socket). It parses the argv as Juju's ``jujuc`` commands do
and prints what they print (``_jujuc.py``), counts every call, and buffers relation and
charm-state writes until the hook succeeds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._agent import UnitAgent
from ._controller import Controller, Relation, app_of
from ._event_tools import EventTools
from ._jujuc import ToolError, parse_args, render, settings_to_set
from ._records import EMPTY_BAG, HookSpec
from ._relation_view import RelationView, relation_list

MAX_STATE_KEY = 256
"""Juju's ``quota.MaxCharmStateKeySize``."""

MAX_STATE_VALUE = 64 * 1024
"""Juju's ``quota.MaxCharmStateValueSize``."""

_STATUSES = ("maintenance", "blocked", "waiting", "active")

BagKey = tuple[int, str, bool]
"""A databag in a session: relation id, owner (unit or app), whether it is an app bag."""


class HookSession:
    """Everything one hook does through hook tools.

    Attributes:
        tool_calls: Calls per tool name.
        logs: The ``juju-log`` messages, if kept.
        state_limit_hits: ``state-set`` calls refused for Juju's size quota.
    """

    def __init__(
        self,
        *,
        controller: Controller,
        agent: UnitAgent,
        spec: HookSpec,
        keep_logs: bool,
    ) -> None:
        self.controller = controller
        self.agent = agent
        self.spec = spec
        self.unit = agent.name
        self.app = agent.app
        self.keep_logs = keep_logs
        self.tool_calls: dict[str, int] = {}
        self.logs: list[str] = []
        self.state_limit_hits = 0
        self._views: dict[int, RelationView] = dict(agent.views)
        self._ids: dict[str, list[str]] | None = None
        self._reads: dict[BagKey, Mapping[str, str]] = {}
        self._pending: dict[BagKey, dict[str, str]] = {}
        self._state_pending: dict[str, str | None] = {}
        self._tools: dict[str, Callable[[list[str], str | None], str]] = {
            "relation-ids": self._relation_ids,
            "relation-list": self._relation_list,
            "relation-get": self._relation_get,
            "relation-set": self._relation_set,
            "is-leader": self._is_leader,
            "juju-log": self._juju_log,
            "status-set": self._status_set,
            "status-get": self._status_get,
            "config-get": self._config_get,
            "state-get": self._state_get,
            "state-set": self._state_set,
            "state-delete": self._state_delete,
            "application-version-set": self._app_version_set,
        }
        self.events = EventTools(controller, spec)
        self._tools.update(self.events.tools())
        self._tools["action-log"] = self._juju_log

    def handle(self, argv: Sequence[str], stdin: str | None) -> tuple[int, str, str]:
        """Run one hook tool; return its exit code, stdout and stderr."""
        name = argv[0].rsplit("/", 1)[-1] if argv else ""
        self.tool_calls[name] = self.tool_calls.get(name, 0) + 1
        if name.startswith("action-") and self.spec.action is None:
            return 1, "", "ERROR not running an action\n"  # Juju's jujuc refuses it too
        tool = self._tools.get(name)
        if tool is None:
            return 1, "", f"ERROR jujusim does not implement the hook tool {name!r}\n"
        try:
            return 0, tool(list(argv[1:]), stdin), ""
        except ToolError as e:
            return e.returncode, "", f"ERROR {e.message}\n"

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

    def _relation_ids(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "output"})
        if pos:
            name = pos[0]
        elif self.spec.endpoint is not None:
            name = self.spec.endpoint
        else:
            raise ToolError("no endpoint name specified")
        if self._ids is None:
            ids: dict[str, list[str]] = {}
            for view in self._views.values():
                if not view.juju_broken():
                    ids.setdefault(view.endpoint, []).append(f"{view.endpoint}:{view.relation.id}")
            for names in ids.values():
                names.sort()  # Juju sorts the strings: "ep:10" before "ep:2".
            self._ids = ids
        return render(self._ids.get(name, []), flags.get("format"))

    def _relation_list(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "output", "relation", "app"})
        if pos:
            raise ToolError(f"unrecognized args: {pos}", 2)
        view = self._relation(flags)
        if flags.get("app") == "true":
            return render(view.remote_app, flags.get("format"))
        return render(relation_list(view, self.spec), flags.get("format"))

    def _read(self, relation: Relation, owner: str, is_app: bool) -> Mapping[str, str]:
        """A databag as it was at this hook's first read of it."""
        key = (relation.id, owner, is_app)
        data = self._reads.get(key)
        if data is None:
            bag = relation.app_bags.get(owner) if is_app else relation.unit_bags.get(owner)
            data = bag.data if bag is not None else EMPTY_BAG
            self._reads[key] = data
        return data

    def _own(self, relation: Relation, owner: str, is_app: bool) -> dict[str, str]:
        """An own databag as this hook sees it: first read plus the hook's own writes."""
        data = dict(self._read(relation, owner, is_app))
        for key, value in self._pending.get((relation.id, owner, is_app), {}).items():
            if value == "":
                data.pop(key, None)
            else:
                data[key] = value
        return data

    def _gone_app_bag(self, view: RelationView) -> bool:
        """Whether this is the own app bag of a removed relation during its relation-broken."""
        return (
            not view.relation.alive
            and self.spec.kind == "relation-broken"
            and self.spec.relation_id == view.relation.id
        )

    def _relation_get(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "output", "relation", "app"})
        view = self._relation(flags)
        relation = view.relation
        is_app = flags.get("app") == "true"
        key = pos[0] if pos else ""
        if key == "-":
            key = ""
        if len(pos) > 2:
            raise ToolError(f"unrecognized args: {pos[2:]}", 2)
        if len(pos) == 2:
            target = pos[1]
            if is_app:
                target = app_of(target) if "/" in target else target
            elif "/" not in target:
                raise ToolError(f'expected unit name, got application name "{target}"')
        elif is_app:
            if not self.spec.remote_app:
                raise ToolError("no unit or application specified")
            target = self.spec.remote_app
        elif self.spec.remote_unit:
            target = self.spec.remote_unit
        elif self.spec.remote_app:
            target, is_app = self.spec.remote_app, True
        else:
            raise ToolError("no unit or application specified")

        if target == self.unit and not is_app:
            data: Mapping[str, str] = self._own(relation, target, False)
        elif is_app and target == self.app:
            if self.controller.is_leader(self.unit):
                if self._gone_app_bag(view):
                    raise ToolError("permission denied (unauthorized access)")
                data = self._own(relation, target, True)
            elif relation.is_peer:
                data = self._read(relation, target, True)
            else:
                raise ToolError("permission denied")
        elif is_app:
            if target != view.remote_app:
                raise ToolError("permission denied")
            data = self._read(relation, target, True)
        elif target in relation.unit_bags:
            data = self._read(relation, target, False)
        else:
            ref = f"{view.endpoint}:{relation.id}"
            raise ToolError(
                f'cannot read settings for unit "{target}" in relation "{ref}": '
                f'unit "{target}": settings not found'
            )
        if key:
            return render(data.get(key), flags.get("format"))
        return render(dict(data), flags.get("format"))

    def _relation_set(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "relation", "app", "file"})
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
        self._read(view.relation, owner, is_app)
        self._pending.setdefault((view.relation.id, owner, is_app), {}).update(settings)
        return ""

    def relation_writes(self) -> list[tuple[int, str, bool, dict[str, str]]]:
        """The buffered relation writes: relation id, owner, is-app, delta."""
        return [
            (rid, owner, is_app, delta) for (rid, owner, is_app), delta in self._pending.items()
        ]

    # -- leadership, logging, status, config ----------------------------------------------

    def _is_leader(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "output"})
        if pos:
            raise ToolError(f"unrecognized args: {pos}", 2)
        return render(self.controller.is_leader(self.unit), flags.get("format"))

    def _juju_log(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"log-level", "debug", "format"})
        if not pos:
            raise ToolError("no message specified", 2)
        if self.keep_logs:
            self.logs.append(f"{flags.get('log-level', 'INFO')} {' '.join(pos)}")
        return ""

    def _status_set(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"application"})
        if not pos:
            raise ToolError("invalid args, require <status> [message] [data]", 2)
        status, message = pos[0], " ".join(pos[1:2])
        if status not in _STATUSES:
            raise ToolError(f'invalid status "{status}", expected one of {list(_STATUSES)}', 2)
        if flags.get("application") == "true":
            if not self.controller.is_leader(self.unit):
                raise ToolError("setting application status: this unit is not the leader")
            self.controller.app(self.app).status = (status, message)
        else:
            self.controller.unit_status[self.unit] = (status, message)
        return ""

    def _status_get(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "output", "include-data", "application"})
        if flags.get("application") == "true":
            if not self.controller.is_leader(self.unit):
                raise ToolError("finding application status: this unit is not the leader")
            app = self.controller.app(self.app)
            units: dict[str, Any] = {}
            for unit in app.units:
                status, message = self.controller.unit_status.get(unit, ("unknown", ""))
                units[unit] = {"message": message, "status": status, "status-data": {}}
            value: Any = {
                "application-status": {
                    "message": app.status[1],
                    "status": app.status[0],
                    "status-data": {},
                },
                "units": units,
            }
        else:
            status, message = self.controller.unit_status.get(self.unit, ("unknown", ""))
            value = {"message": message, "status": status, "status-data": {}}
        if pos:
            value = value.get(pos[0])
        return render(value, flags.get("format"))

    def _config_get(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "output", "all"})
        config = dict(self.controller.app(self.app).config)
        if pos:
            return render(config.get(pos[0]), flags.get("format"))
        return render(config, flags.get("format"))

    def _app_version_set(self, args: list[str], stdin: str | None) -> str:
        _, pos = parse_args(args, set())
        if len(pos) != 1:
            raise ToolError("no version specified", 2)
        self.controller.app_versions[self.app] = pos[0]
        return ""

    # -- charm state (controller storage) --------------------------------------------------

    def _state(self) -> dict[str, str]:
        state = dict(self.controller.charm_state.get(self.unit, {}))
        for key, value in self._state_pending.items():
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        return state

    def _state_get(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"format", "output", "strict"})
        state = self._state()
        if pos:
            value = state.get(pos[0])
            if value is None and flags.get("strict") == "true":
                raise ToolError(f'"{pos[0]}" not found')
            return render(value, flags.get("format"))
        return render(state, flags.get("format"))

    def _state_set(self, args: list[str], stdin: str | None) -> str:
        flags, pos = parse_args(args, {"file"})
        settings = settings_to_set(flags.get("file"), pos, stdin)
        for key, value in settings.items():
            if len(key.encode()) > MAX_STATE_KEY:
                self.state_limit_hits += 1
                raise ToolError(f"max allowed key length ({MAX_STATE_KEY}) exceeded")
            if len(value.encode()) > MAX_STATE_VALUE:
                self.state_limit_hits += 1
                raise ToolError(f"max allowed value length ({MAX_STATE_VALUE}) exceeded")
        for key, value in settings.items():
            self._state_pending[key] = value if value != "" else None
        return ""

    def _state_delete(self, args: list[str], stdin: str | None) -> str:
        _, pos = parse_args(args, set())
        if len(pos) != 1:
            raise ToolError("specify a key to delete", 2)
        self._state_pending[pos[0]] = None
        return ""

    def state_writes(self) -> dict[str, str | None]:
        """The buffered charm-state writes (None deletes)."""
        return dict(self._state_pending)
