#!/usr/bin/env python3
"""An example charm that connects to the Service a kfp-api charm publishes over k8s-service."""

from __future__ import annotations

import ops

import interface_live as k8s_service  # or: import interface_stored as k8s_service


class DashboardCharm(ops.CharmBase):
    """Goes active with the kfp-api URL once a related charm has published its Service."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.kfp = k8s_service.K8sServiceRequirer(self, relation_name="kfp-api")
        framework.observe(self.kfp.on.services_changed, self._on_services_changed)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)
        self.kfp_url: str | None = None

    def _on_services_changed(self, _event: ops.EventBase) -> None:
        # A real charm would write its configuration here; this one remembers the URL.
        services = self.kfp.services
        self.kfp_url = f"http://{services[0].name}:{services[0].port}" if services else None

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        for bad in self.kfp.invalid_relations:
            event.add_status(ops.BlockedStatus(f"invalid kfp-api data from {bad.app}"))
        if not self.kfp.is_created:
            event.add_status(ops.BlockedStatus("needs a kfp-api relation"))
        services = self.kfp.services
        if not services:
            event.add_status(ops.WaitingStatus("waiting for kfp-api to publish its Service"))
        else:
            event.add_status(ops.ActiveStatus(f"kfp-api at {services[0].name}:{services[0].port}"))


if __name__ == "__main__":  # pragma: nocover
    ops.main(DashboardCharm)
