"""One hook-tool call as a deployed hook makes it: a process and a round trip to the agent.

``ToolProbe`` is an exec-mode simulator whose probe unit times hook-tool calls inside a real
hook, as ops makes them (``subprocess.run`` with captured text output): the compiled client
(``jujusim/hooktool.c``) against the simulator's socket, and for comparison a ``/bin/sh`` stub
that prints a fixed answer.
"""

from __future__ import annotations

import resource
import subprocess
import tempfile
import time
from contextlib import closing
from pathlib import Path
from statistics import fmean, median, quantiles
from typing import Any, ClassVar

import ops

from jujusim import Simulator
from jujusim.hooktool import CLIENT_NAME, build_client
from study.charms import PROVIDER_META, REQUIRER_META, ProviderCharm

from .charms import ENDPOINT

Row = dict[str, Any]
"""One measured row, as ``costs.json`` keeps it."""


def children_cpu_s() -> float:
    """User and system CPU time of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def all_cpu_s() -> float:
    """CPU time so far of every thread of this process and of its finished children."""
    return time.process_time() + children_cpu_s()


class ToolProbeCharm(ops.CharmBase):
    """On update-status, makes ``samples`` calls of each of ``clients``, timing each call.

    A client with no command runs ``relation-get`` of the provider's application bag.
    """

    samples: ClassVar[int] = 0
    clients: ClassVar[dict[str, list[str]]] = {}
    walls: ClassVar[dict[str, list[float]]] = {}
    cpus: ClassVar[dict[str, list[float]]] = {}

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        framework.observe(self.on.update_status, self._on_update_status)

    def _on_update_status(self, _event: ops.UpdateStatusEvent) -> None:
        relation = self.model.relations[ENDPOINT][0]
        assert relation.app is not None
        tool = ["relation-get", "--format=json", "-r", str(relation.id), "--app", "-"]
        for name, argv in self.clients.items():
            argv = argv or [*tool, relation.app.name]
            walls, cpus = self.walls.setdefault(name, []), self.cpus.setdefault(name, [])
            for _ in range(self.samples):
                cpu, wall = time.thread_time(), time.perf_counter()
                done = subprocess.run(argv, capture_output=True, check=True, encoding="utf-8")
                walls.append(time.perf_counter() - wall)
                cpus.append(time.thread_time() - cpu)
                assert done.stdout.startswith("{"), done.stdout  # a JSON databag came back


class ToolProbe:
    """The probe's simulator, timing calls in bursts (and a ``/bin/sh`` stub with ``stub``)."""

    def __init__(self, *, stub: bool = False) -> None:
        self._workdir = tempfile.TemporaryDirectory(prefix="bench-probe-")
        clients: dict[str, list[str]] = {"C client": []}
        if stub:
            path = Path(self._workdir.name) / "stub-tool"
            path.write_text('#!/bin/sh\necho \'{"name": "stub"}\'\n')
            path.chmod(0o755)
            clients["/bin/sh stub"] = [str(path)]
        namespace = {"clients": clients, "walls": {}, "cpus": {}}
        self.charm = type("ToolProbeCharm", (ToolProbeCharm,), namespace)
        self.sim = Simulator(workdir=Path(self._workdir.name) / "units", hook_tools="exec")
        assert_compiled(self.sim)
        self.sim.add_app("provider", ProviderCharm, PROVIDER_META)
        self.sim.add_app("probe", self.charm, {**REQUIRER_META, "name": "probe"})
        self.sim.relate("probe", ENDPOINT, "provider", ENDPOINT)
        self.sim.run_until_quiet()
        # What a probe hook costs with no call, to take out of each burst's CPU time.
        self._hook_cpu_s = median(self._probe_hook(0)[1] for _ in range(3))

    def _probe_hook(self, samples: int) -> tuple[int, float]:
        """Run one probe hook; return its ``relation-get`` calls and every process's CPU time."""
        self.charm.samples = samples
        self.sim.update_status("probe/0")
        started = all_cpu_s()
        record = self.sim.step("probe/0")
        spent = all_cpu_s() - started
        assert record is not None, "the probe had no hook to run"
        assert record.hook == "update-status", record.hook
        assert record.ok, record.error
        return record.tool_calls.get("relation-get", 0), spent

    def burst(self, samples: int) -> tuple[float, float]:
        """Run one probe hook making ``samples`` calls of each client, and check it.

        Returns:
            The mean wall time of the burst's C client calls, and the CPU time a call costs
            all its processes (this one's threads, the agent's socket server among them, and
            the client's process), the probe hook's own cost without calls taken out.
        """
        done = len(self.charm.walls.get("C client", []))
        gets, spent = self._probe_hook(samples)
        assert gets >= samples  # the socket answered each call
        per_call_cpu = max(spent - self._hook_cpu_s, 0.0) / (len(self.charm.clients) * samples)
        return fmean(self.charm.walls["C client"][done:]), per_call_cpu

    def rows(self) -> list[Row]:
        """One row per client, over every call so far.

        Wall time's median, mean and quartiles, and the calling thread's median CPU time (the
        parent's share of a spawn).
        """
        rows: list[Row] = []
        for client, walls in self.charm.walls.items():
            quartiles = quantiles(walls, n=4) if len(walls) > 1 else walls * 3
            rows.append(
                {
                    "client": client,
                    "samples": len(walls),
                    "wall_s": median(walls),
                    "mean_wall_s": fmean(walls),
                    "wall_q1_s": quartiles[0],
                    "wall_q3_s": quartiles[2],
                    "caller_cpu_s": median(self.charm.cpus[client]),
                }
            )
        return rows

    def close(self) -> None:
        """Stop the simulator and remove its directories."""
        self.sim.close()
        self._workdir.cleanup()


def per_call_rows(samples: int) -> list[Row]:
    """The cost of one hook-tool call, for the C client and for a ``/bin/sh`` stub."""
    with closing(ToolProbe(stub=True)) as probe:
        probe.burst(samples)
        return probe.rows()


def assert_compiled(sim: Simulator) -> None:
    """Fail unless the simulator's tools run the C client (build it, naming why it cannot)."""
    build_client()
    assert sim.tool_client == CLIENT_NAME, (
        f"the hook tools run {sim.tool_client}, not the C client"
    )
