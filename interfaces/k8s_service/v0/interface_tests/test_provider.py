"""Interface tests of a k8s-service v0 provider (``pytest-interface-tester``)."""

from __future__ import annotations

from interface_tester import Tester
from ops.testing import Relation, State


def test_leader_publishes_to_an_unversioned_requirer():
    """The leader writes flat service-name and service-port for a requirer that advertises none."""
    tester = Tester(State(relations=[Relation("k8s-service", interface="k8s-service")]))
    tester.run("k8s-service-relation-created")
    tester.assert_schema_valid()
