"""A preloaded model is the model its hooks would have built, without running them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import ops
import pytest

import interface_live
import interface_stored
from jujusim import HookRecord, Simulator, current_hook
from k8s_service_interface import PROTOCOL, Publication, RequirerBase
from study.charms import PROVIDER_META, REQUIRER_META, ProviderCharm
from tests.simulator.charms import PEER_META

PROVIDERS = 3
UNITS = 2


def _model_view(charm: ops.CharmBase) -> dict[int, tuple[tuple[str, ...], dict[str, str]]]:
    """Every relation of the endpoint as the unit sees it: remote units and the remote app bag."""
    return {
        relation.id: (
            tuple(sorted((u.name for u in relation.units), key=lambda n: int(n.split("/")[1]))),
            dict(relation.data[relation.app]),
        )
        for relation in charm.model.relations["k8s-service"]
    }


class _Probe(ops.CharmBase):
    """A requirer that records its model view and services on update-status."""

    requirer_class: ClassVar[type[RequirerBase]]

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.k8s = self.requirer_class(self)
        framework.observe(self.on.update_status, self._on_update_status)
        framework.observe(self.k8s.on.services_changed, self._on_services_changed)

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        hook = current_hook()
        assert hook is not None
        hook.observe("view", _model_view(self))
        hook.observe("services", [(s.relation_id, s.name, s.port) for s in self.k8s.services])

    def _on_services_changed(self, _event: ops.EventBase) -> None:
        hook = current_hook()
        assert hook is not None
        hook.observe("announced", [(s.relation_id, s.name, s.port) for s in self.k8s.services])


class LiveProbe(_Probe):
    requirer_class = interface_live.K8sServiceRequirer


class StoredProbe(_Probe):
    requirer_class = interface_stored.K8sServiceRequirer


def _provider_data(app: str, requirer_bag: Mapping[str, str]) -> Mapping[str, str]:
    """What ``ProviderCharm`` publishes with default config, negotiated with the requirer."""
    return PROTOCOL.write(requirer_bag, Publication(app, 8080).payload)


def _by_hooks(sim: Simulator, charm: type[ops.CharmBase]) -> None:
    sim.add_app("req", charm, {**REQUIRER_META, "name": "req"})
    for number in range(1, PROVIDERS + 1):
        sim.add_app(f"p{number}", ProviderCharm, PROVIDER_META, units=UNITS)
        sim.relate("req", "k8s-service", f"p{number}", "k8s-service")
    sim.run_until_quiet()


def _preloaded(sim: Simulator, charm: type[ops.CharmBase]) -> dict[int, str]:
    return sim.preload(
        "req",
        charm,
        requirer_meta={**REQUIRER_META, "name": "req"},
        provider_charm=ProviderCharm,
        provider_meta=PROVIDER_META,
        providers=PROVIDERS,
        units_per_provider=UNITS,
        provider_data=_provider_data,
        requirer_data=PROTOCOL.advertisement(),
    )


def _step(sim: Simulator, unit: str) -> HookRecord:
    record = sim.step(unit)
    assert record is not None
    assert record.ok, record.error
    return record


def _update_status(sim: Simulator, unit: str) -> HookRecord:
    sim.update_status(unit)
    return _step(sim, unit)


@pytest.fixture
def built(tmp_path: Path) -> Any:
    with Simulator(seed=0, workdir=tmp_path / "built") as sim:
        _by_hooks(sim, LiveProbe)
        yield sim


@pytest.fixture
def loaded(tmp_path: Path) -> Any:
    with Simulator(seed=0, workdir=tmp_path / "loaded") as sim:
        _preloaded(sim, LiveProbe)
        yield sim


class TestPreload:
    def test_nothing_is_pending(self, loaded: Simulator) -> None:
        """A preloaded model is quiet: every hook counts as already run."""
        assert loaded.is_quiet
        assert loaded.hook_count == 0

    def test_relations_and_databags_match_hooks(self, built: Simulator, loaded: Simulator) -> None:
        """Relation ids, units, leaders and every databag are those the hooks produced."""
        assert len(built.relation_ids()) == PROVIDERS
        assert loaded.relation_ids() == built.relation_ids()
        for app in ("req", *(f"p{n}" for n in range(1, PROVIDERS + 1))):
            assert loaded.units(app) == built.units(app)
            assert loaded.leader(app) == built.leader(app)
        for relation_id in built.relation_ids():
            for app in ("req", f"p{relation_id + 1}"):
                assert loaded.app_data(relation_id, app) == built.app_data(relation_id, app)
                for unit in built.units(app):
                    assert loaded.unit_data(relation_id, unit) == built.unit_data(
                        relation_id, unit
                    )

    def test_hook_tools_answer_as_after_hooks(self, built: Simulator, loaded: Simulator) -> None:
        """relation-ids, relation-list and relation-get give the same answers in a later hook."""
        expected = _update_status(built, "req/0")
        record = _update_status(loaded, "req/0")
        assert record.observations["view"] == expected.observations["view"]
        assert record.relations_at_start == expected.relations_at_start
        assert len(record.observations["services"]) == PROVIDERS

    def test_provider_units_see_the_requirer(self, built: Simulator, loaded: Simulator) -> None:
        """A provider unit's hook context holds the relation with the requirer unit in it."""
        for unit in ("p1/0", "p2/1"):
            expected = _update_status(built, unit)
            record = _update_status(loaded, unit)
            assert record.relations_at_start == expected.relations_at_start
            [relation] = record.relations_at_start.values()
            assert (relation.remote_app, relation.remote_units) == ("req", ("req/0",))

    def test_later_relation_changed_matches_hooks(
        self, built: Simulator, loaded: Simulator
    ) -> None:
        """A provider's new port reaches the requirer with the same hooks, all N services seen."""
        runs: list[list[tuple[str, str, int | None]]] = []
        for sim in (built, loaded):
            sim.set_config("p2", {"service-port": 9999})
            records = sim.run_until_quiet()
            runs.append(sorted((r.unit, r.hook, r.relation_id) for r in records))
            changed = [r for r in records if r.unit == "req/0"]
            assert [r.hook for r in changed] == ["k8s-service-relation-changed"]
            announced = changed[0].observations["announced"]
            assert len(announced) == PROVIDERS
            assert (1, "p2", 9999) in announced
        assert runs[0] == runs[1]

    @pytest.mark.parametrize("charm", [LiveProbe, StoredProbe], ids=["live", "stored"])
    def test_first_hook_after_preload_builds_state(
        self, tmp_path: Path, charm: type[ops.CharmBase]
    ) -> None:
        """The requirer starts with no state; the new pod's first hook sees every service."""
        with Simulator(seed=0, workdir=tmp_path) as sim:
            relations = _preloaded(sim, charm)
            assert sim.state_bytes("req/0") == 0
            sim.reschedule("req/0")
            record = _step(sim, "req/0")
            assert record.hook == "upgrade-charm"
            expected = [(rid, app, 8080) for rid, app in sorted(relations.items())]
            assert record.observations["announced"] == expected
            assert record.state_bytes > 0
            sim.run_until_quiet()  # the rest of the new pod's hooks: config-changed, start
            assert _update_status(sim, "req/0").observations["services"] == expected

    def test_an_existing_application_is_refused(self, loaded: Simulator) -> None:
        """Preloading onto a name already deployed raises instead of corrupting the model."""
        with pytest.raises(ValueError, match=r"^application 'req' already exists$"):
            _preloaded(loaded, LiveProbe)

    def test_peer_relations_are_refused(self, tmp_path: Path) -> None:
        """A metadata with peer relations is refused (preload settles no peer relation)."""
        with (
            Simulator(seed=0, workdir=tmp_path) as sim,
            pytest.raises(
                ValueError, match=r"^preload does not support peer relations \('peer'\)$"
            ),
        ):
            sim.preload(
                "req",
                LiveProbe,
                requirer_meta={**REQUIRER_META, "name": "req"},
                provider_charm=ProviderCharm,
                provider_meta=PEER_META,
                providers=1,
            )
