"""Interface tests of a k8s-service v2 requirer (``pytest-interface-tester``)."""

from __future__ import annotations

from interface_tester import Tester
from ops.testing import Relation, State

PROVIDER = {
    "_supported_versions": "- v2\n",
    "data": "name: kfp-api\nnamespace: kubeflow\nport: 8888\nports: []\n",
}


def test_leader_advertises_v2():
    """The requirer's leader lists v2 under ``_supported_versions`` when the relation forms."""
    tester = Tester(State(relations=[Relation("k8s-service", interface="k8s-service")]))
    tester.run("k8s-service-relation-created")
    tester.assert_schema_valid()


def test_reads_v2_provider_data():
    """A v2 provider's payload is read without failing the hook, the advertisement kept."""
    # The leader advertised at relation-created, before the provider wrote.
    relation = Relation(
        "k8s-service",
        interface="k8s-service",
        local_app_data={"_supported_versions": "- v2\n"},
        remote_app_data=PROVIDER,
    )
    tester = Tester(State(relations=[relation]))
    tester.run("k8s-service-relation-changed")
    tester.assert_schema_valid()
