"""Interface tests of a k8s-service v0 requirer (``pytest-interface-tester``)."""

from __future__ import annotations

from interface_tester import Tester
from ops.testing import Relation, State

PROVIDER = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}


def test_reads_flat_provider_data():
    """A provider's flat service-name and service-port are read without failing the hook."""
    relation = Relation("k8s-service", interface="k8s-service", remote_app_data=PROVIDER)
    tester = Tester(State(relations=[relation]))
    tester.run("k8s-service-relation-changed")
    tester.assert_schema_valid()


def test_bad_provider_data_does_not_fail_the_hook():
    """A port that is not a number never fails the requirer's hook."""
    bad = {"service-name": "kfp-api", "service-port": "eighty"}
    relation = Relation("k8s-service", interface="k8s-service", remote_app_data=bad)
    tester = Tester(State(relations=[relation]))
    tester.run("k8s-service-relation-changed")
    tester.assert_schema_valid()
