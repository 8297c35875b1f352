"""Interface tests of a k8s-service v2 provider (``pytest-interface-tester``)."""

from __future__ import annotations

from interface_tester import Tester
from ops.testing import Relation, State

REQUIRER = {"_supported_versions": "- v0\n- v1\n- v2\n"}


def test_leader_publishes_v2_to_a_v2_requirer():
    """The leader advertises its versions and writes the v2 payload under ``data``."""
    relation = Relation("k8s-service", interface="k8s-service", remote_app_data=REQUIRER)
    tester = Tester(State(relations=[relation]))
    tester.run("k8s-service-relation-changed")
    tester.assert_schema_valid()
