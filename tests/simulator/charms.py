"""Charms the simulator tests deploy, and helpers for them."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import ops
from ops import hookcmds

from jujusim import CurrentHook, current_hook

PROV_META: dict[str, Any] = {
    "name": "prov",
    "provides": {"k8s-service": {"interface": "k8s-service"}},
}
REQ_META: dict[str, Any] = {
    "name": "req",
    "requires": {"k8s-service": {"interface": "k8s-service"}},
}
EVENT_META: dict[str, Any] = {
    **REQ_META,
    "containers": {"workload": {"resource": "workload-image"}},
    "actions": {"refresh": {"params": {"mode": {"type": "string"}}}},
}
PEER_META: dict[str, Any] = {
    "name": "peer",
    "peers": {"cluster": {"interface": "cluster"}},
    "provides": {"k8s-service": {"interface": "k8s-service"}},
}

Handler = Callable[["ProbeCharm", ops.EventBase], None]
"""A per-test behaviour: called with the charm and the event of a hook."""

_LIFECYCLE = (
    "install",
    "leader_elected",
    "config_changed",
    "start",
    "upgrade_charm",
    "update_status",
    "stop",
    "remove",
)
_RELATION_KINDS = ("created", "joined", "changed", "departed", "broken")


def hook() -> CurrentHook:
    """The current hook (asserting that one is running)."""
    current = current_hook()
    assert current is not None
    return current


class ProbeCharm(ops.CharmBase):
    """Observes every lifecycle, relation, workload, secret and action event; runs ``handlers``.

    A handler is looked up by the full hook name (``k8s-service-relation-changed``), then by the
    hook kind without the endpoint, container or action (``relation-changed``, ``pebble-ready``,
    ``action``), then ``*``. Make a subclass per test with ``probe``.
    """

    handlers: ClassVar[Mapping[str, Handler]] = {}

    def __init__(self, framework: ops.Framework) -> None:
        super().__init__(framework)
        for name in _LIFECYCLE:
            framework.observe(getattr(self.on, name), self._on_event)
        for endpoint in self.framework.meta.relations:
            events = self.on[endpoint]
            for kind in _RELATION_KINDS:
                framework.observe(getattr(events, f"relation_{kind}"), self._on_event)
        for container in self.framework.meta.containers:
            framework.observe(self.on[container].pebble_ready, self._on_event)
        for action in self.framework.meta.actions:
            framework.observe(self.on[action].action, self._on_event)
        framework.observe(self.on.secret_changed, self._on_event)

    def _on_event(self, event: ops.EventBase) -> None:
        name = hook().hook
        kind = next((k for k in ("pebble-ready", "action") if name.endswith(f"-{k}")), name)
        if "-relation-" in name:
            kind = "relation-" + name.rsplit("-relation-", 1)[1]
        handler = self.handlers.get(name) or self.handlers.get(kind) or self.handlers.get("*")
        if handler is not None:
            handler(self, event)


def probe(handlers: Mapping[str, Handler], name: str = "ProbeCharm") -> type[ProbeCharm]:
    """A ``ProbeCharm`` subclass that runs ``handlers``."""
    return type(name, (ProbeCharm,), {"handlers": dict(handlers)})


def record_env(charm: ProbeCharm, event: ops.EventBase) -> None:
    """Record the hook's Juju environment variables."""
    env = {k: v for k, v in os.environ.items() if k.startswith("JUJU_")}
    env["OPERATOR_DISPATCH"] = os.environ.get("OPERATOR_DISPATCH", "<unset>")
    hook().observe("env", env)


def record_relation_view(endpoint: str) -> Handler:
    """A handler that records raw ``relation-ids`` and each relation's ``relation-list``."""

    def handler(charm: ProbeCharm, event: ops.EventBase) -> None:
        ids = hookcmds.relation_ids(endpoint)
        hook().observe("relation_ids", ids)
        lists = {ref: hookcmds.relation_list(int(ref.split(":")[1])) for ref in ids}
        hook().observe("relation_lists", lists)

    return handler


class ProviderCharm(ops.CharmBase):
    """Publishes ``service-name``/``service-port`` (from config ``port``) as the leader."""

    def __init__(self, framework: ops.Framework) -> None:
        super().__init__(framework)
        framework.observe(self.on.config_changed, self._publish)
        framework.observe(self.on.leader_elected, self._publish)
        framework.observe(self.on["k8s-service"].relation_created, self._publish)
        framework.observe(self.on["k8s-service"].relation_changed, self._on_changed)

    def _publish(self, event: ops.EventBase) -> None:
        if not self.unit.is_leader():
            return
        port = str(self.config.get("port", 80))
        for relation in self.model.relations["k8s-service"]:
            relation.data[self.app].update({"service-name": self.app.name, "service-port": port})

    def _on_changed(self, event: ops.RelationChangedEvent) -> None:
        if event.unit is not None:
            hook().observe("seen", event.relation.data[event.unit].get("seen-port"))


class RequirerCharm(ops.CharmBase):
    """Records the provider's published port and acknowledges it in its unit databag."""

    def __init__(self, framework: ops.Framework) -> None:
        super().__init__(framework)
        framework.observe(self.on["k8s-service"].relation_changed, self._on_changed)
        framework.observe(self.on["k8s-service"].relation_broken, self._on_broken)

    def _on_changed(self, event: ops.RelationChangedEvent) -> None:
        port = event.relation.data[event.relation.app].get("service-port")
        hook().observe("port", port)
        if port is not None:
            event.relation.data[self.unit]["seen-port"] = port

    def _on_broken(self, event: ops.RelationBrokenEvent) -> None:
        hook().observe("relations", [r.id for r in self.model.relations["k8s-service"]])


class StoredCharm(ops.CharmBase):
    """Keeps a counter and per-relation data in StoredState."""

    _stored = ops.StoredState()

    def __init__(self, framework: ops.Framework) -> None:
        super().__init__(framework)
        self._stored.set_default(hooks=0, relations={})
        for name in _LIFECYCLE:
            framework.observe(getattr(self.on, name), self._count)
        framework.observe(self.on["k8s-service"].relation_changed, self._on_changed)

    def _count(self, event: ops.EventBase) -> None:
        self._stored.hooks += 1
        hook().observe("hooks", self._stored.hooks)
        payload = self.config.get("payload")
        if payload is not None:
            self._stored.payload = str(payload)

    def _on_changed(self, event: ops.RelationChangedEvent) -> None:
        data = dict(event.relation.data[event.relation.app])
        self._stored.relations[str(event.relation.id)] = data
        hook().observe("hooks", self._stored.hooks)
