"""The study's stand-ins for older k8s-service providers behave as the public code they reproduce.

Every test runs the real ops dispatch in the simulator, with the library's requirer (both
backends) on the other side, and asserts on databags and on what the requirer charm observed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import ops
import pytest

from jujusim import HookRecord, LibraryBackend, Simulator
from jujusim.vocabulary import LIBRARY_BACKENDS
from study.charms import PlainService, requirer_charm
from study.deployment import REQUIRER_APP, Deployment
from study.legacy import (
    SDI_REQUIRER_META,
    KubeflowV1ProviderCharm,
    KubeflowV1RequirerCharm,
    Legacy2020ProviderCharm,
    MlopsProviderCharm,
)

NOT_LEADER = "RelationDataAccessError: p1/1 is not leader and cannot write application data"


@pytest.fixture(params=LIBRARY_BACKENDS)
def model(request: pytest.FixtureRequest) -> Iterator[Deployment]:
    """A requirer application (one unit) on one backend, ready for providers."""
    strategy: LibraryBackend = request.param
    with tempfile.TemporaryDirectory(prefix="peers-") as workdir:
        sim = Simulator(seed=1, workdir=Path(workdir))
        yield Deployment.deployed(sim, requirer_charm(strategy), units=1, seed=1)
        sim.close()


def observed(model: Deployment) -> tuple[PlainService, ...]:
    """What the requirer unit's ``services`` said in an ``update-status`` run now.

    Only the requirer unit runs hooks here: a model with a failing unit never settles.
    """
    unit = f"{REQUIRER_APP}/0"
    model.sim.update_status(unit)
    while model.sim.step(unit) is not None:
        pass
    services: tuple[PlainService, ...] = records_of(model, unit)[-1].observations["services"]
    return services


def records_of(model: Deployment, unit: str) -> list[HookRecord]:
    """Every hook record of one unit."""
    return [record for record in model.sim.records if record.unit == unit]


class TestLegacy2020Provider:
    """Tests for the 2020 library's provider stand-in."""

    def test_writes_flat_keys(self, model: Deployment) -> None:
        """The leader's flat service-name and service-port reach the requirer."""
        provider = model.add_provider(charm=Legacy2020ProviderCharm, port=8081)
        model.settle()
        relation_id = model.relations[provider]
        assert model.sim.app_data(relation_id, provider) == {
            "service-name": "p1.svc",
            "service-port": "8081",
        }
        assert observed(model) == ((relation_id, provider, "p1.svc", 8081),)

    def test_rewrites_on_any_hook(self, model: Deployment) -> None:
        """Its constructor writes, so even update-status restores a databag emptied meanwhile."""
        provider = model.add_provider(charm=Legacy2020ProviderCharm)
        model.settle()
        relation_id = model.relations[provider]
        model.sim.set_relation_data(relation_id, provider, {"service-port": ""})
        model.sim.update_status(provider)
        model.settle()
        assert model.sim.app_data(relation_id, provider)["service-port"] == "8080"

    def test_non_leader_fails_every_hook(self, model: Deployment) -> None:
        """A related non-leader fails relation-created on every retry; the leader serves."""
        provider = model.add_provider(charm=Legacy2020ProviderCharm, units=2)
        model.steps(80)
        assert model.sim.leader(provider) == "p1/0"
        failed = [r for r in records_of(model, "p1/1") if not r.ok]
        assert [r.hook for r in failed[:2]] == ["k8s-service-relation-created"] * 2
        assert [r.attempt for r in failed[:3]] == [1, 2, 3]
        assert all(NOT_LEADER in (r.error or "") for r in failed)
        assert all(r.ok for r in records_of(model, "p1/0"))
        assert observed(model) == ((model.relations[provider], provider, "p1.svc", 8080),)


class _UnversionedRequirer(ops.CharmBase):
    """A requirer that lists no versions, as the 2020 library's ``RequireK8sService``."""


class TestKubeflowV1Provider:
    """Tests for the serialized-data-interface provider stand-in (the real SDI package)."""

    def test_publishes_v1_payload(self, model: Deployment) -> None:
        """Once the requirer lists its versions, SDI writes the v1 payload the requirer reads."""
        provider = model.add_provider(charm=KubeflowV1ProviderCharm, port=8082)
        model.settle()
        relation_id = model.relations[provider]
        assert model.sim.app_data(relation_id, provider) == {
            "_supported_versions": "- v1\n",
            "data": "service-name: p1.svc\nservice-port: '8082'\n",
        }
        assert observed(model) == ((relation_id, provider, "p1.svc", 8082),)

    def test_all_or_nothing_per_endpoint(self, model: Deployment) -> None:
        """One relation without versions stops data to every relation until it lists them."""
        meta = {"name": "old", "requires": {"k8s-service": {"interface": "k8s-service"}}}
        model.sim.add_app("old", _UnversionedRequirer, meta)
        provider = model.add_provider(charm=KubeflowV1ProviderCharm, relate=False)
        old = model.sim.relate(provider, "k8s-service", "old", "k8s-service")
        model.settle()
        ours = model.relate(provider)
        model.settle()
        assert [model.sim.app_data(r, provider) for r in (old, ours)] == [
            {"_supported_versions": "- v1\n"}
        ] * 2
        waiting = (
            f"List of <ops.model.Relation k8s-service:{old}> versions not found for apps: old"
        )
        assert model.sim.unit_status("p1/0") == ("waiting", waiting)
        assert observed(model) == ()
        model.sim.set_relation_data(old, "old", {"_supported_versions": "- v1\n"})
        model.settle()
        assert all("data" in model.sim.app_data(r, provider) for r in (old, ours))
        assert observed(model) == ((ours, provider, "p1.svc", 8080),)

    def test_kubeflow_requirer_alongside_ours(self, model: Deployment) -> None:
        """A Kubeflow requirer lists its versions too, so both requirers get the payload."""
        model.sim.add_app("kfp-ui", KubeflowV1RequirerCharm, SDI_REQUIRER_META)
        provider = model.add_provider(charm=KubeflowV1ProviderCharm, relate=False)
        kfp_ui = model.sim.relate(provider, "k8s-service", "kfp-ui", "k8s-service")
        ours = model.relate(provider)
        model.settle()
        assert model.sim.app_data(kfp_ui, "kfp-ui") == {"_supported_versions": "- v1\n"}
        assert model.sim.app_data(kfp_ui, provider) == model.sim.app_data(ours, provider)
        assert [model.sim.unit_status(unit)[0] for unit in ("p1/0", "kfp-ui/0")] == ["active"] * 2
        assert observed(model) == ((ours, provider, "p1.svc", 8080),)


class TestMlopsProvider:
    """Tests for the mlops_libs ``k8s_service_info`` provider stand-in."""

    def test_writes_flat_name_and_port(self, model: Deployment) -> None:
        """The provider writes only flat name and port strings, which the requirer reads."""
        provider = model.add_provider(charm=MlopsProviderCharm, port=8083)
        model.settle()
        relation_id = model.relations[provider]
        assert model.sim.app_data(relation_id, provider) == {"name": "p1.svc", "port": "8083"}
        assert observed(model) == ((relation_id, provider, "p1.svc", 8083),)

    def test_non_leader_fails_relation_created(self, model: Deployment) -> None:
        """Its leader check only logs, so a non-leader's relation-created fails on every retry."""
        model.add_provider(charm=MlopsProviderCharm, units=2)
        model.steps(60)
        failed = [r for r in records_of(model, "p1/1") if not r.ok]
        assert {r.hook for r in failed} == {"k8s-service-relation-created"}
        assert len(failed) > 2
        assert all(NOT_LEADER in (r.error or "") for r in failed)
