"""Provider charms that speak the older dialects of k8s-service, behaving as the public code does.

Each reproduces the wire behaviour of code deployed on the interface (what is written, where, on
which hooks, by which units), not an idealised version of it:

- ``Legacy2020ProviderCharm``: the 2020 library (``ProvideK8sService``). Its constructor writes
  flat ``service-name`` and ``service-port`` to every relation's application databag, on every
  unit and every hook, with no leader check: a non-leader unit fails each hook it runs while
  related (ops raises ``RelationDataAccessError``), and Juju retries that hook forever.
- ``KubeflowV1ProviderCharm``: a serialized-data-interface charm as ``kfp-api`` was written,
  running the real ``serialized_data_interface`` package. SDI is all or nothing per endpoint:
  ``get_interfaces`` raises ``NoVersionsListed`` while any relation's remote application has not
  listed its versions, the charm turns that into ``WaitingStatus``, and no relation gets data.
- ``MlopsProviderCharm``: ``mlops_libs.v0.k8s_service_info``'s provider: flat ``name`` and
  ``port`` strings, written on ``leader-elected``, ``relation-created`` and the refresh event
  (``config-changed``); its leader check only logs, so a non-leader unit fails those hooks.
"""

from __future__ import annotations

import os
from typing import Any

import ops
import serialized_data_interface as sdi  # pyright: ignore[reportMissingTypeStubs]

from .charms import ENDPOINT, configured

SDI_SCHEMA: dict[str, Any] = {
    "v1": {
        "provides": {
            "type": "object",
            "properties": {
                "service-name": {"type": "string"},
                "service-port": {"type": "string"},
            },
            "required": ["service-name", "service-port"],
        }
    }
}
"""The ``k8s-service`` schema SDI charms named in ``metadata.yaml``: v1, two string fields."""

SDI_META: dict[str, Any] = {
    "name": "provider",
    "provides": {ENDPOINT: {"interface": "k8s-service", "schema": SDI_SCHEMA, "versions": ["v1"]}},
}
"""``metadata.yaml`` of an SDI provider: SDI reads ``schema`` and ``versions`` from it."""

SDI_REQUIRER_META: dict[str, Any] = {
    "name": "kfp-ui",
    "requires": SDI_META["provides"],
}
"""``metadata.yaml`` of an SDI requirer of the same endpoint."""


class Legacy2020ProviderCharm(ops.CharmBase):
    """The 2020 library's provider: writes its flat keys from ``__init__``, leader or not."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        name, port = configured(self)
        for relation in self.model.relations[ENDPOINT]:
            relation.data[self.app].update({"service-name": name, "service-port": str(port)})


class _KubeflowCharm(ops.CharmBase):
    """An SDI charm of the Kubeflow bundle: one handler, leader only, that needs every peer agreed.

    The handler runs on ``install``, ``upgrade-charm``, ``config-changed`` and the endpoint's
    ``relation-changed``, as in ``kfp-api`` and the charms relating to it.
    """

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        for event in (
            self.on.install,
            self.on.upgrade_charm,
            self.on.config_changed,
            self.on[ENDPOINT].relation_changed,
        ):
            framework.observe(event, self._main)

    def _main(self, _event: ops.EventBase) -> None:
        if not self.unit.is_leader():
            self.unit.status = ops.WaitingStatus("Waiting for leadership")
            return
        # In the charm directory, where Juju starts every hook and SDI finds metadata.yaml (the
        # simulator dispatches in-process, so it is entered here, for the SDI call only).
        previous = os.getcwd()
        os.chdir(self.charm_dir)
        try:
            # get_interfaces lists our versions on every relation, then raises if any remote
            # application has not listed its own (or none is compatible). SDI leaves the charm
            # parameter untyped.
            interfaces: dict[str, Any] = sdi.get_interfaces(self)  # pyright: ignore[reportUnknownMemberType]
        except sdi.NoVersionsListed as error:
            self.unit.status = ops.WaitingStatus(str(error))
            return
        except sdi.NoCompatibleVersions as error:
            self.unit.status = ops.BlockedStatus(str(error))
            return
        finally:
            os.chdir(previous)
        if interfaces[ENDPOINT] is not None:
            self._use(interfaces[ENDPOINT])
        self.unit.status = ops.ActiveStatus()

    def _use(self, interface: Any) -> None:
        """Send or read the endpoint's data once every relation agreed on a version."""


class KubeflowV1ProviderCharm(_KubeflowCharm):
    """An SDI provider written as ``kfp-api`` was; needs ``SDI_META`` as its metadata."""

    def _use(self, interface: Any) -> None:
        name, port = configured(self)
        interface.send_data({"service-name": name, "service-port": str(port)})


class KubeflowV1RequirerCharm(_KubeflowCharm):
    """An SDI requirer (``kfp-ui`` and the like); needs ``SDI_REQUIRER_META`` as its metadata."""

    def _use(self, interface: Any) -> None:
        interface.get_data()  # validates the provider's payload against the schema


class MlopsProviderCharm(ops.CharmBase):
    """``mlops_libs``' ``KubernetesServiceInfoProvider`` with ``refresh_event=config_changed``.

    The Service is read from the configuration when the charm is constructed, as the library takes
    it as constructor arguments.
    """

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._service = configured(self)
        on = self.on
        for event in (on.leader_elected, on[ENDPOINT].relation_created, on.config_changed):
            framework.observe(event, self._send_data)

    def _send_data(self, _event: ops.EventBase) -> None:
        # The library logs "not the leader ... no data sent" here, then writes anyway.
        name, port = self._service
        for relation in self.model.relations[ENDPOINT]:
            relation.data[self.app].update({"name": name, "port": str(port)})


METADATA: dict[type[ops.CharmBase], dict[str, Any]] = {KubeflowV1ProviderCharm: SDI_META}
"""The ``metadata.yaml`` a provider charm needs, where it is not ``study.charms.PROVIDER_META``."""
