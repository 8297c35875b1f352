"""The named-scenario catalogue and the random-schedule generator.

A scenario deploys providers next to the requirer application under test and plays lifecycle
operations, interleaved with a few hooks at a time, so that hooks of different units and different
relations overlap the way they do in a real model. Every choice comes from the scenario's own
random generator, seeded per run: the same seed plays the same operations for every strategy.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from .charms import ENDPOINT, ProviderCharm
from .deployment import REQUIRER_APP, Deployment
from .legacy import (
    SDI_REQUIRER_META,
    KubeflowV1ProviderCharm,
    KubeflowV1RequirerCharm,
    Legacy2020ProviderCharm,
    MlopsProviderCharm,
)

Play = Callable[[Deployment], None]


@attrs.frozen
class Scenario:
    """A named situation from the design discussion or from operating charms."""

    name: str
    summary: str
    """What happens, in one sentence."""
    play: Play
    """Plays the scenario on a deployment whose requirer application exists."""


SCENARIOS: list[Scenario] = []
"""Every named scenario, in the order the reports list them."""


def scenario(summary: str) -> Callable[[Play], Play]:
    """Add the decorated function to ``SCENARIOS``, named after it (``_pod_churn``: pod-churn)."""

    def register(play: Play) -> Play:
        SCENARIOS.append(Scenario(play.__name__.strip("_").replace("_", "-"), summary, play))
        return play

    return register


@scenario("Three providers relate while hooks of every unit interleave.")
def _steady(model: Deployment) -> None:
    for port in (8080, 8081, 8082):
        model.add_provider(port=port)
        model.steps(3)


@scenario("Two providers change ports twice while hooks interleave.")
def _port_change(model: Deployment) -> None:
    first, second = model.add_provider(), model.add_provider()
    model.settle()
    for port in (9001, 9002):
        model.set_port(first, port)
        model.steps(2)
        model.set_port(second, port + 100)
        model.steps(1)


@scenario("After the last relation change, a requirer pod is rescheduled and the app upgraded.")
def _pod_churn(model: Deployment) -> None:
    first = model.add_provider()
    model.add_provider()
    model.settle()
    model.set_port(first, 9100)
    model.settle()
    model.sim.reschedule(f"{REQUIRER_APP}/0")
    model.steps(2)
    model.sim.upgrade_charm(REQUIRER_APP)
    model.steps(2)
    model.sim.update_status(REQUIRER_APP)


@scenario("The requirer is upgraded (pods replaced) while a port change is in flight.")
def _upgrade_during_port_change(model: Deployment) -> None:
    first = model.add_provider()
    model.settle()
    model.set_port(first, 9200)
    model.steps(2)
    model.sim.upgrade_charm(REQUIRER_APP)
    model.steps(3)
    model.sim.update_status(REQUIRER_APP)


@scenario("A provider changes its port and is unrelated before the change is processed.")
def _broken_while_data_changes(model: Deployment) -> None:
    first = model.add_provider()
    model.add_provider()
    model.settle()
    model.set_port(first, 9300)
    model.steps(2)
    model.unrelate(first)
    model.steps(1)
    model.sim.update_status(REQUIRER_APP)


@scenario("Provider leadership moves before the first publish, then the port changes.")
def _leader_flip_before_publish(model: Deployment) -> None:
    provider = model.add_provider(units=2, relate=False)
    model.sim.set_leader(f"{provider}/1")
    model.relate(provider)
    model.steps(4)
    model.set_port(provider, 9400)


@scenario("Eleven providers relate, so ids 2 and 10 exist (Juju lists 10 before 2).")
def _relation_id_order(model: Deployment) -> None:
    for index in range(11):
        model.add_provider(port=8000 + index)
        model.steps(2)


@scenario("A requirer relation-changed hook fails and is retried while the port changes again.")
def _hook_failure_retry(model: Deployment) -> None:
    first = model.add_provider()
    model.settle()
    model.sim.fail_next_hook(f"{REQUIRER_APP}/0", "k8s-service-relation-changed")
    model.set_port(first, 9500)
    model.steps(3)
    model.set_port(first, 9501)


@scenario("Units are added to and removed from both sides mid-flight.")
def _scale(model: Deployment) -> None:
    first = model.add_provider(units=2)
    model.settle()
    model.sim.add_unit(REQUIRER_APP)
    model.steps(3)
    model.sim.remove_unit(f"{first}/1")
    model.add_provider()
    model.steps(3)
    model.sim.add_unit(first)


@scenario(
    "Providers speak v0 (2020), v1 (Kubeflow, related to a Kubeflow requirer too), "
    "mlops_libs' flat keys and v2; the 2020 one is upgraded to ours."
)
def _mixed_versions(model: Deployment) -> None:
    model.add_provider()
    legacy = model.add_provider(charm=Legacy2020ProviderCharm)
    kubeflow = model.add_provider(charm=KubeflowV1ProviderCharm)
    model.sim.add_app("kfp-ui", KubeflowV1RequirerCharm, SDI_REQUIRER_META)  # SDI's other peer
    model.sim.relate(kubeflow, ENDPOINT, "kfp-ui", ENDPOINT)
    model.add_provider(charm=MlopsProviderCharm)
    model.settle()
    model.sim.upgrade_charm(legacy, ProviderCharm)
    model.steps(4)


def _skip_change(model: Deployment, provider: str, port: int) -> None:
    """Change a provider's port, fail the requirer's hook of it, and resolve it ``--no-retry``.

    ``juju resolved --no-retry``: the change is never run. At most 60 hooks run to the failure.
    """
    unit = f"{REQUIRER_APP}/0"
    model.sim.fail_next_hook(unit, "k8s-service-relation-changed")
    model.set_port(provider, port)
    for _ in range(60):
        record = model.sim.step()
        if record is None:
            return
        if record.unit == unit and not record.ok:
            model.sim.resolve_no_retry(unit)
            return


@scenario(
    "A relation-changed with a new port fails, is resolved with --no-retry, then the other "
    "provider changes."
)
def _skipped_hook(model: Deployment) -> None:
    first = model.add_provider()
    second = model.add_provider()
    model.settle()
    _skip_change(model, first, 9600)
    for _ in range(3):
        model.sim.update_status(REQUIRER_APP)
        model.steps(2)
    model.set_port(second, 9601)  # later relation activity, within the stored backend's bound


@scenario("The same skip on the last of eight relations, then the others change one at a time.")
def _skipped_hook_many(model: Deployment) -> None:
    providers = [model.add_provider(port=8500 + index) for index in range(8)]
    model.settle()
    _skip_change(model, providers[-1], 9650)  # the highest relation id: the round robin's last
    for index, provider in enumerate(providers[:-1]):
        model.set_port(provider, 8600 + index)  # relation activity, one provider at a time
        model.steps(4)


@scenario("Mid port change, one requirer pod is rescheduled and another's container restarts.")
def _reschedule(model: Deployment) -> None:
    first = model.add_provider()
    model.add_provider()
    model.sim.add_unit(REQUIRER_APP)
    model.settle()
    model.set_port(first, 9700)
    model.steps(2)
    model.sim.reschedule(f"{REQUIRER_APP}/0")
    model.sim.restart_container(f"{REQUIRER_APP}/1")
    model.steps(3)
    model.sim.update_status(REQUIRER_APP)


@scenario(
    "Four hours on the update-status timer, workload hooks now and then, one relation burst."
)
def _realistic_mix(model: Deployment) -> None:
    # Update-status runs on Juju's five-minute timer on every unit; the workload's own hooks
    # (pebble-ready after a container restart, an operator's action, config-changed) come now
    # and then, and the relations churn once, in the middle.
    providers = [model.add_provider(port=8100 + index) for index in range(3)]
    model.settle()
    rng = model.rng
    for minute in range(0, 240, 5):
        for unit in model.sim.units(REQUIRER_APP):
            roll = rng.random()
            if roll < 0.08:
                model.sim.pebble_ready(unit, "workload")
            elif roll < 0.12:
                model.sim.run_action(unit, "show-upstreams")
        if rng.random() < 0.1:
            model.sim.set_config(REQUIRER_APP, {"tick": minute})
        if minute == 120:
            extra = model.add_provider(port=8200)
            model.set_port(providers[0], 8300)
            model.steps(3)
            model.set_port(extra, 8201)
            model.unrelate(providers[1])
            model.steps(2)
        model.sim.clock.advance(300)


@scenario("About 20 providers (80 with --full) relate in quick succession.")
def _many_relations(model: Deployment) -> None:
    for index in range(20 * model.scale + model.rng.randint(0, 4)):
        model.add_provider(port=8000 + index)
    model.steps(20)


_OPERATIONS = (
    *("relate", "unrelate", "port", "port", "status", "reschedule", "upgrade"),
    *("leader", "add-unit", "remove-unit", "fail", "restart", "migrate", "scale"),
)
"""The operations a random schedule draws from (port changes twice as often)."""


def random_schedule(model: Deployment, operations: int = 12) -> None:
    """Play a random schedule: a random lifecycle operation, then a few hooks, repeatedly.

    Args:
        model: The deployment, whose ``rng`` makes every choice.
        operations: How many operations to play.
    """
    rng = model.rng
    model.add_provider()
    model.steps(rng.randint(0, 4))
    for _ in range(operations):
        related = sorted(model.relations)
        requirer_units = model.sim.units(REQUIRER_APP)
        choice = rng.choice(_OPERATIONS)
        if choice == "relate" or not related:
            model.add_provider(units=rng.randint(1, 2), port=rng.randint(1024, 9999))
        elif choice == "unrelate":
            model.unrelate(rng.choice(related))
        elif choice == "port":
            model.set_port(rng.choice(related), rng.randint(1024, 9999))
        elif choice == "status":
            model.sim.update_status(REQUIRER_APP)
        elif choice == "reschedule":
            model.sim.reschedule(rng.choice(requirer_units))
        elif choice == "upgrade":
            model.sim.upgrade_charm(REQUIRER_APP)
        elif choice == "leader":
            app = rng.choice([REQUIRER_APP, *related])
            model.sim.set_leader(rng.choice(model.sim.units(app)))
        elif choice == "add-unit":
            model.sim.add_unit(REQUIRER_APP)
        elif choice == "remove-unit" and len(requirer_units) > 1:
            model.sim.remove_unit(rng.choice(requirer_units))
        elif choice == "fail":
            model.sim.fail_next_hook(rng.choice(requirer_units))
        elif choice == "restart":
            model.sim.restart_container(rng.choice(requirer_units))
        elif choice == "migrate":
            model.sim.migrate()
        elif choice == "scale":
            model.sim.scale(REQUIRER_APP, rng.randint(1, 3))
        model.steps(rng.randint(0, 6))
