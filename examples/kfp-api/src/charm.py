#!/usr/bin/env python3
"""An example charm that runs the kfp-api Kubernetes Service and publishes it over k8s-service."""

from __future__ import annotations

import ops

from interface_live import K8sServiceProvider  # the provider is the same in interface_stored


class KfpApiCharm(ops.CharmBase):
    """Publishes ``kfp-api.<model>:<port>`` to every related requirer."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        # On Kubernetes the model's name is the namespace the Service runs in.
        self.service = K8sServiceProvider(
            self,
            relation_name="k8s-service",
            service_name=self.app.name,
            namespace=self.model.name,
            service_port=self._port,
        )
        framework.observe(self.on.config_changed, self._on_config_changed)

    @property
    def _port(self) -> int:
        port = self.config["port"]
        assert isinstance(port, int)
        return port

    def _on_config_changed(self, _event: ops.ConfigChangedEvent) -> None:
        # The leader writes the new port on every relation; other units write nothing.
        self.service.publish(self.app.name, self._port, namespace=self.model.name)
        self.unit.status = ops.ActiveStatus()


if __name__ == "__main__":  # pragma: nocover
    ops.main(KfpApiCharm)
