"""Interface tests of a k8s-service v1 requirer (``pytest-interface-tester``)."""

from __future__ import annotations

from interface_tester import Tester
from ops.testing import Relation, State

PROVIDER = {
    "_supported_versions": "- v1\n",
    "data": "service-name: kfp-api.kubeflow\nservice-port: '8888'\n",
}


def test_leader_advertises_v1():
    """The requirer's leader lists v1 under ``_supported_versions`` when the relation forms."""
    tester = Tester(State(relations=[Relation("k8s-service", interface="k8s-service")]))
    tester.run("k8s-service-relation-created")
    tester.assert_schema_valid()


def test_reads_v1_provider_data():
    """A v1 provider's payload is read without failing the hook, the advertisement kept."""
    # The leader advertised at relation-created, before the provider wrote.
    relation = Relation(
        "k8s-service",
        interface="k8s-service",
        local_app_data={"_supported_versions": "- v1\n"},
        remote_app_data=PROVIDER,
    )
    tester = Tester(State(relations=[relation]))
    tester.run("k8s-service-relation-changed")
    tester.assert_schema_valid()
