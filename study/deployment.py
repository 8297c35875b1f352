"""The deployment every study scenario and cost benchmark runs on: a requirer with N providers."""

from __future__ import annotations

import random

import attrs
import ops

from interface_live.testing import provider_databag
from jujusim import Simulator
from jujusim.vocabulary import Wire
from k8s_service_interface import PROTOCOL

from .charms import ENDPOINT, PROVIDER_META, REQUIRER_META, PlainService, ProviderCharm
from .legacy import METADATA, KubeflowV1ProviderCharm, Legacy2020ProviderCharm, MlopsProviderCharm
from .metrics import RunMetrics, measure

REQUIRER_APP = "req"
"""The name of the requirer application in every scenario."""


DIALECTS: dict[type[ops.CharmBase], str] = {
    ProviderCharm: "v0-v2 (this library)",
    Legacy2020ProviderCharm: "v0 only (2020 library)",
    KubeflowV1ProviderCharm: "v1 only (Kubeflow)",
    MlopsProviderCharm: "flat name/port (mlops_libs)",
}
"""The protocol dialect each provider charm speaks."""


FIRST_PORT = 8080
"""The port a provider publishes unless told otherwise (``ProviderCharm``'s default)."""


@attrs.define
class Deployment:
    """A requirer application and the provider applications related to it, on a simulator.

    The study's scenarios build one hook by hook (``add_provider``, ``relate``, ...); the cost
    benchmarks start from a settled one (``preloaded``), which also deploys ``REQUIRER_APP``.
    """

    sim: Simulator
    rng: random.Random = attrs.field(factory=lambda: random.Random(0))
    """The scenario's own random generator (operations, not hook order)."""
    relations: dict[str, int] = attrs.field(factory=dict[str, int])
    """Provider application name to its relation id with the requirer, while related."""
    scale: int = 1
    """Size factor of the scenarios that have a size (``many-relations``)."""
    dialects: dict[str, str] = attrs.field(factory=dict[str, str])
    """Provider application name to the protocol dialect its charm speaks."""
    services: dict[str, tuple[str, int]] = attrs.field(factory=dict[str, tuple[str, int]])
    """Every provider application deployed so far, in order, to the Service (name, port) it was
    last told to publish."""

    @classmethod
    def deployed(
        cls, sim: Simulator, charm: type[ops.CharmBase], *, units: int = 2, seed: int = 0,
        scale: int = 1,
    ) -> Deployment:  # fmt: skip
        """``REQUIRER_APP`` deployed (``units`` units of ``charm``), no provider yet."""
        sim.add_app(REQUIRER_APP, charm, {**REQUIRER_META, "name": REQUIRER_APP}, units=units)
        return cls(sim, random.Random(seed), scale=scale)

    @classmethod
    def preloaded(
        cls,
        sim: Simulator,
        requirer_charm: type[ops.CharmBase],
        *,
        providers: int,
        units: int = 1,
        wire: Wire = "v2",
    ) -> Deployment:
        """A settled deployment: the requirer related to ``providers`` providers, no hook run.

        Built by ``Simulator.preload``: one requirer unit advertising every version, each provider
        (``p1`` to ``pN``, ``units`` units each, running ``ProviderCharm`` with no configuration)
        publishing its Service named after itself on ``FIRST_PORT`` in the ``wire`` dialect
        (``provider_databag``: on v2 what ``ProviderCharm`` writes to that requirer, on v0 the
        2020 provider's flat bag). No unit has stored state yet.
        """
        relations = sim.preload(
            REQUIRER_APP,
            requirer_charm,
            requirer_meta={**REQUIRER_META, "name": REQUIRER_APP},
            provider_charm=ProviderCharm,
            provider_meta=PROVIDER_META,
            providers=providers,
            units_per_provider=units,
            provider_data=lambda app, _bag: provider_databag(app, FIRST_PORT, dialect=wire),
            requirer_data=PROTOCOL.advertisement(),
        )
        names = list(relations.values())
        return cls(
            sim,
            relations={app: relation_id for relation_id, app in relations.items()},
            dialects=dict.fromkeys(names, DIALECTS[ProviderCharm]),
            services={app: (app, FIRST_PORT) for app in names},
        )

    def expected(self) -> tuple[PlainService, ...]:
        """The services the related providers were told to publish, by relation id."""
        return tuple(
            (relation_id, app, *self.services[app])
            for app, relation_id in sorted(self.relations.items(), key=lambda item: item[1])
        )

    def add_provider(
        self,
        *,
        charm: type[ops.CharmBase] = ProviderCharm,
        units: int = 1,
        port: int = FIRST_PORT,
        relate: bool = True,
    ) -> str:
        """Deploy a provider application and (unless not ``relate``) relate it; return its name."""
        name = f"p{len(self.services) + 1}"
        self.dialects[name] = DIALECTS.get(charm, charm.__name__)
        meta = {**METADATA.get(charm, PROVIDER_META), "name": name}
        config = {"service-name": f"{name}.svc", "service-port": port}
        self.sim.add_app(name, charm, meta, units=units, config=config)
        self.services[name] = (f"{name}.svc", port)
        if relate:
            self.relate(name)
        return name

    def relate(self, provider: str) -> int:
        """Relate a provider to the requirer."""
        relation_id = self.sim.relate(provider, ENDPOINT, REQUIRER_APP, ENDPOINT)
        self.relations[provider] = relation_id
        return relation_id

    def unrelate(self, provider: str) -> None:
        """Remove a provider's relation with the requirer."""
        self.sim.unrelate(self.relations.pop(provider))

    def set_port(self, provider: str, port: int) -> None:
        """Have a provider publish a new port (its config changes)."""
        self.sim.set_config(provider, {**self.sim.config(provider), "service-port": port})
        self.services[provider] = (self.services[provider][0], port)

    def steps(self, count: int) -> None:
        """Run up to ``count`` hooks."""
        for _ in range(count):
            if self.sim.step() is None:
                return

    def settle(self) -> None:
        """Run every pending hook."""
        self.sim.run_until_quiet()

    def measure_at_quiescence(self, *, state_survives_pod: bool = False) -> RunMetrics:
        """Settle, update-status the requirer, settle again; measure its units (removed too).

        ``state_survives_pod``: True with controller storage, as ``measure`` says.
        """
        self.settle()
        self.sim.update_status(REQUIRER_APP)
        self.settle()
        records = self.sim.records
        return measure(
            records,
            {r.unit for r in records if r.unit.startswith(f"{REQUIRER_APP}/")},
            final_state_bytes={u: self.sim.state_bytes(u) for u in self.sim.units(REQUIRER_APP)},
            databag_bytes=sum(  # keys and values, of the requirer and every provider
                len(key) + len(value)
                for app in [REQUIRER_APP, *self.services]
                for relation_id in self.sim.relation_ids(app)
                for key, value in self.sim.app_data(relation_id, app).items()
            ),
            state_survives_pod=state_survives_pod,
        )
