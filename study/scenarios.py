"""The named-scenario catalogue and the random-schedule generator.

A scenario deploys providers next to the requirer application under test and plays lifecycle
operations, interleaved with a few hooks at a time, so that hooks of different units and different
relations overlap the way they do in a real model. Every choice comes from the scenario's own
random generator, seeded per run: the same seed plays the same operations for every strategy.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from .charms import ProviderCharm
from .deployment import REQUIRER_APP, Deployment
from .legacy import (
    SDI_REQUIRER_META,
    KubeflowV1ProviderCharm,
    KubeflowV1RequirerCharm,
    Legacy2020ProviderCharm,
    MlopsProviderCharm,
)


@attrs.frozen
class Scenario:
    """A named situation from the design discussion or from operating charms."""

    name: str
    """Short name, used in reports."""
    summary: str
    """What happens, in one sentence."""
    play: Callable[[Deployment], None]
    """Plays the scenario on a deployment whose requirer application exists."""


def _steady(model: Deployment) -> None:
    for port in (8080, 8081, 8082):
        model.add_provider(port=port)
        model.steps(3)


def _port_change(model: Deployment) -> None:
    first, second = model.add_provider(), model.add_provider()
    model.settle()
    for port in (9001, 9002):
        model.set_port(first, port)
        model.steps(2)
        model.set_port(second, port + 100)
        model.steps(1)


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


def _upgrade_during_port_change(model: Deployment) -> None:
    first = model.add_provider()
    model.settle()
    model.set_port(first, 9200)
    model.steps(2)
    model.sim.upgrade_charm(REQUIRER_APP)
    model.steps(3)
    model.sim.update_status(REQUIRER_APP)


def _broken_while_data_changes(model: Deployment) -> None:
    first = model.add_provider()
    model.add_provider()
    model.settle()
    model.set_port(first, 9300)
    model.steps(2)
    model.unrelate(first)
    model.steps(1)
    model.sim.update_status(REQUIRER_APP)


def _leader_flip_before_publish(model: Deployment) -> None:
    provider = model.add_provider(units=2, relate=False)
    model.sim.set_leader(f"{provider}/1")
    model.relate(provider)
    model.steps(4)
    model.set_port(provider, 9400)


def _relation_id_order(model: Deployment) -> None:
    for index in range(11):
        model.add_provider(port=8000 + index)
        model.steps(2)


def _hook_failure_retry(model: Deployment) -> None:
    first = model.add_provider()
    model.settle()
    model.sim.fail_next_hook(f"{REQUIRER_APP}/0", "k8s-service-relation-changed")
    model.set_port(first, 9500)
    model.steps(3)
    model.set_port(first, 9501)


def _scale(model: Deployment) -> None:
    first = model.add_provider(units=2)
    model.settle()
    model.sim.add_unit(REQUIRER_APP)
    model.steps(3)
    model.sim.remove_unit(f"{first}/1")
    model.add_provider()
    model.steps(3)
    model.sim.add_unit(first)


def _mixed_versions(model: Deployment) -> None:
    model.add_provider()
    legacy = model.add_provider(charm=Legacy2020ProviderCharm)
    kubeflow = model.add_provider(charm=KubeflowV1ProviderCharm)
    model.sim.add_app("kfp-ui", KubeflowV1RequirerCharm, SDI_REQUIRER_META)  # SDI's other peer
    model.sim.relate(kubeflow, "k8s-service", "kfp-ui", "k8s-service")
    model.add_provider(charm=MlopsProviderCharm)
    model.settle()
    model.sim.upgrade_charm(legacy, ProviderCharm)
    model.steps(4)


def _many_relations(model: Deployment) -> None:
    for index in range(20 * model.scale + model.rng.randint(0, 4)):
        model.add_provider(port=8000 + index)
    model.steps(20)


def _until_failed(model: Deployment, unit: str, most: int = 60) -> bool:
    """Run hooks until ``unit``'s hook fails (True) or ``most`` hooks ran (False)."""
    for _ in range(most):
        record = model.sim.step()
        if record is None:
            return False
        if record.unit == unit and not record.ok:
            return True
    return False


def _skipped_hook(model: Deployment) -> None:
    first = model.add_provider()
    second = model.add_provider()
    model.settle()
    unit = f"{REQUIRER_APP}/0"
    model.sim.fail_next_hook(unit, "k8s-service-relation-changed")
    model.set_port(first, 9600)
    if _until_failed(model, unit):
        model.sim.resolve_no_retry(unit)  # juju resolved --no-retry: the change is never run
    for _ in range(3):
        model.sim.update_status(REQUIRER_APP)
        model.steps(2)
    model.set_port(second, 9601)  # later relation activity, within the stored backend's bound


def _skipped_hook_many(model: Deployment) -> None:
    providers = [model.add_provider(port=8500 + index) for index in range(8)]
    model.settle()
    unit = f"{REQUIRER_APP}/0"
    model.sim.fail_next_hook(unit, "k8s-service-relation-changed")
    model.set_port(providers[-1], 9650)  # the highest relation id: the round robin's last stop
    if _until_failed(model, unit):
        model.sim.resolve_no_retry(unit)
    for index, provider in enumerate(providers[:-1]):
        model.set_port(provider, 8600 + index)  # relation activity, one provider at a time
        model.steps(4)


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


def _realistic_mix(model: Deployment) -> None:
    """Four hours of a deployed model, with one burst of relation churn in the middle.

    Update-status runs on Juju's five-minute timer on every unit; the workload's own hooks
    (pebble-ready after a container restart, an operator's action, config-changed) come now and
    then.
    """
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


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("steady", "Three providers relate while hooks of every unit interleave.", _steady),
    Scenario(
        "port-change", "Two providers change ports twice while hooks interleave.", _port_change
    ),
    Scenario(
        "pod-churn",
        "After the last relation change, a requirer pod is rescheduled and the app upgraded.",
        _pod_churn,
    ),
    Scenario(
        "upgrade-during-port-change",
        "The requirer is upgraded (pods replaced) while a port change is in flight.",
        _upgrade_during_port_change,
    ),
    Scenario(
        "broken-while-data-changes",
        "A provider changes its port and is unrelated before the change is processed.",
        _broken_while_data_changes,
    ),
    Scenario(
        "leader-flip-before-publish",
        "Provider leadership moves before the first publish, then the port changes.",
        _leader_flip_before_publish,
    ),
    Scenario(
        "relation-id-order",
        "Eleven providers relate, so ids 2 and 10 exist (Juju lists 10 before 2).",
        _relation_id_order,
    ),
    Scenario(
        "hook-failure-retry",
        "A requirer relation-changed hook fails and is retried while the port changes again.",
        _hook_failure_retry,
    ),
    Scenario("scale", "Units are added to and removed from both sides mid-flight.", _scale),
    Scenario(
        "mixed-versions",
        "Providers speak v0 (2020), v1 (Kubeflow, related to a Kubeflow requirer too), "
        "mlops_libs' flat keys and v2; the 2020 one is upgraded to ours.",
        _mixed_versions,
    ),
    Scenario(
        "skipped-hook",
        "A relation-changed with a new port fails, is resolved with --no-retry, then the other "
        "provider changes.",
        _skipped_hook,
    ),
    Scenario(
        "skipped-hook-many",
        "The same skip on the last of eight relations, then the others change one at a time.",
        _skipped_hook_many,
    ),
    Scenario(
        "reschedule",
        "Mid port change, one requirer pod is rescheduled and another's container restarts.",
        _reschedule,
    ),
    Scenario(
        "realistic-mix",
        "Four hours on the update-status timer, workload hooks now and then, one relation burst.",
        _realistic_mix,
    ),
    Scenario(
        "many-relations",
        "About 20 providers (80 with --full) relate in quick succession.",
        _many_relations,
    ),
)
"""Every named scenario."""


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
