"""The real ops dispatch: environment, process-state hygiene, hook-tool interception."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import ops
from ops import hookcmds

from jujusim import HookRecord, Simulator, current_hook
from jujusim.vocabulary import STORAGES
from tests.simulator.charms import (
    PROV_META,
    REQ_META,
    ProbeCharm,
    ProviderCharm,
    RequirerCharm,
    StoredCharm,
    hook,
    probe,
    record_env,
)


def test_hooks_see_the_juju_environment_of_their_unit_and_relation(sim: Simulator) -> None:
    """Each dispatch gets Juju's variables for its unit, hook, relation and remote unit."""
    sim.add_app("prov", probe({"*": record_env}), PROV_META)
    sim.add_app("req", probe({"*": record_env}), REQ_META)
    rid = sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = sim.run_until_quiet()

    joined = next(r for r in records if r.unit == "req/0" and r.hook.endswith("relation-joined"))
    env = joined.observations["env"]
    assert env["JUJU_UNIT_NAME"] == "req/0"
    assert env["JUJU_HOOK_NAME"] == "k8s-service-relation-joined"
    assert env["JUJU_DISPATCH_PATH"] == "hooks/k8s-service-relation-joined"
    assert env["JUJU_RELATION"] == "k8s-service"
    assert env["JUJU_RELATION_ID"] == f"k8s-service:{rid}"
    assert env["JUJU_REMOTE_UNIT"] == "prov/0"
    assert env["JUJU_REMOTE_APP"] == "prov"
    assert env["JUJU_VERSION"].startswith("3.6.")
    assert env["JUJU_MODEL_NAME"] == sim.model_name
    assert env["JUJU_MODEL_UUID"] == sim.model_uuid
    assert Path(env["JUJU_CHARM_DIR"], "metadata.yaml").exists()
    assert env["OPERATOR_DISPATCH"] == "1"  # set by ops itself, so ops.main really ran
    install = next(r for r in records if r.unit == "req/0" and r.hook == "install")
    assert "JUJU_RELATION" not in install.observations["env"]

    sim.remove_unit("req/0")
    records = sim.run_until_quiet()
    departed = next(r for r in records if r.unit == "prov/0")
    assert departed.hook == "k8s-service-relation-departed"
    assert departed.observations["env"]["JUJU_DEPARTING_UNIT"] == "req/0"
    assert departed.observations["env"]["JUJU_REMOTE_UNIT"] == "req/0"


def test_the_process_is_restored_after_every_dispatch(sim: Simulator) -> None:
    """Environment, root logger, hooks and warning display are as before each dispatch."""
    root = logging.getLogger()
    before: dict[str, Any] = {
        "handlers": list(root.handlers),
        "level": root.level,
        "excepthook": sys.excepthook,
        "breakpointhook": sys.breakpointhook,
        "showwarning": warnings.showwarning,
        "env": {k: v for k, v in os.environ.items() if k.startswith("JUJU_")},
        "dispatch": os.environ.get("OPERATOR_DISPATCH"),
        "path": os.environ.get("PATH"),
    }
    sim.add_app("prov", ProviderCharm, PROV_META)
    sim.fail_next_hook("prov/0", "start")
    records = sim.run_until_quiet()

    assert any(not r.ok for r in records)
    after: dict[str, Any] = {
        "handlers": list(root.handlers),
        "level": root.level,
        "excepthook": sys.excepthook,
        "breakpointhook": sys.breakpointhook,
        "showwarning": warnings.showwarning,
        "env": {k: v for k, v in os.environ.items() if k.startswith("JUJU_")},
        "dispatch": os.environ.get("OPERATOR_DISPATCH"),
        "path": os.environ.get("PATH"),
    }
    assert after == before
    assert current_hook() is None


def test_juju_log_calls_do_not_grow_from_hook_to_hook(sim: Simulator) -> None:
    """The per-dispatch log handler of ops is removed, so a hook logs the same amount each time."""

    def log_twice(charm: ProbeCharm, event: ops.EventBase) -> None:
        logging.getLogger("probe").info("one")
        logging.getLogger("probe").info("two")

    sim.add_app("prov", probe({"update-status": log_twice}), PROV_META)
    sim.run_until_quiet()
    counts: list[int] = []
    for _ in range(3):
        sim.update_status()
        record = sim.step()
        assert record is not None
        counts.append(record.tool_calls["juju-log"])
    assert counts[0] == counts[1] == counts[2]
    assert counts[0] >= 2


def test_every_hook_tool_call_is_counted_per_tool(sim: Simulator) -> None:
    """Three extra ``is-leader`` calls in a hook show up as three more in its record."""

    def ask(times: int):
        def handler(charm: ProbeCharm, event: ops.EventBase) -> None:
            for _ in range(times):
                hookcmds.is_leader()

        return handler

    sim.add_app("quiet", probe({}), PROV_META)
    sim.add_app("chatty", probe({"update-status": ask(3)}), PROV_META)
    sim.run_until_quiet()
    sim.update_status()
    records = sim.run_until_quiet()
    by_app = {r.unit.split("/")[0]: r for r in records}
    quiet, chatty = by_app["quiet"].tool_calls, by_app["chatty"].tool_calls
    assert chatty["is-leader"] == quiet["is-leader"] + 3
    assert {k: v for k, v in chatty.items() if k != "is-leader"} == {
        k: v for k, v in quiet.items() if k != "is-leader"
    }


def test_an_unknown_hook_tool_fails_with_a_clear_error(sim: Simulator) -> None:
    """A tool the simulator does not implement exits non-zero and says so, and is counted."""

    def call_goal_state(charm: ProbeCharm, event: ops.EventBase) -> None:
        try:
            hookcmds.goal_state()
        except hookcmds.Error as e:
            hook().observe("error", e.stderr)

    sim.add_app("prov", probe({"install": call_goal_state}), PROV_META)
    record = sim.step()
    assert record is not None
    assert "does not implement the hook tool 'goal-state'" in record.observations["error"]
    assert record.tool_calls["goal-state"] == 1


def test_a_charm_exception_fails_the_hook_and_is_logged_like_a_real_process(
    sim: Simulator,
) -> None:
    """An uncaught charm error fails the hook, records the traceback and goes to juju-log."""

    def boom(charm: ProbeCharm, event: ops.EventBase) -> None:
        raise RuntimeError("charm bug")

    sim.add_app("prov", probe({"install": boom}), PROV_META)
    record = sim.step()
    assert record is not None
    assert not record.ok
    assert record.error is not None
    assert "RuntimeError: charm bug" in record.error
    ok_sim_logs = 2  # ops' own debug lines of a hook that succeeds
    assert record.tool_calls["juju-log"] > ok_sim_logs


def _scenario(sim: Simulator, *, small: bool) -> list[HookRecord]:
    """Deploy, fail a hook; unless small: relate, change config, remove a unit and a relation."""
    sim.add_app("store", StoredCharm, REQ_META)
    if small:
        records = sim.run_until_quiet()
        sim.update_status()
        sim.fail_next_hook("store/0")
        return records + sim.run_until_quiet()
    sim.add_app("prov", ProviderCharm, PROV_META, config={"port": 80})
    sim.add_app("req", RequirerCharm, REQ_META)
    first = sim.relate("prov", "k8s-service", "store", "k8s-service")
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = sim.run_until_quiet()
    sim.set_config("prov", {"port": 8080})
    sim.fail_next_hook("store/0")
    records += sim.run_until_quiet()
    sim.remove_unit("req/0")
    sim.unrelate(first)
    return records + sim.run_until_quiet()


def test_exec_mode_tools_give_the_same_results_as_in_process_tools(tmp_path: Path) -> None:
    """Real tool executables on PATH give identical hooks, tool counts, data and observations."""
    results: list[tuple[list[tuple[Any, ...]], dict[str, Any], int]] = []
    for storage in STORAGES:
        for mode in ("inprocess", "exec"):
            workdir = tmp_path / f"{storage}-{mode}"
            with Simulator(seed=3, workdir=workdir, storage=storage, hook_tools=mode) as sim:
                records = _scenario(sim, small=storage == "controller")
                rows = [
                    (
                        r.unit,
                        r.hook,
                        r.ok,
                        dict(r.tool_calls),
                        dict(r.observations),
                        r.state_bytes,
                        r.bytes_written,
                    )
                    for r in records
                ]
                data = {
                    str(rid): (
                        sim.app_data(rid, "prov"),
                        {u: sim.unit_data(rid, u) for u in ("req/0", "store/0")},
                    )
                    for rid in ([0, 1] if storage == "local" else [])
                }
                results.append((rows, data, sim.state_bytes("store/0")))
    for inprocess, exec_mode in (results[0:2], results[2:4]):
        assert exec_mode == inprocess
    assert any(row[3].get("relation-set") for row in results[0][0])
    assert any(row[3].get("state-set") for row in results[2][0])
    assert any(not row[2] for row in results[0][0])
    assert results[0][1]["1"][1]["req/0"] == {"seen-port": "8080"}
