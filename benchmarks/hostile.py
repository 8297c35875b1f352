"""The cost of one hook per hostile relation, on both backends and both sides.

Each case puts the worst remote data known beside a valid relation and runs one hook with
``ops.testing`` (Scenario's ``Context.run``: the real ops dispatch, charm construction,
observers and collect-status, in process). That measures a real hook more honestly for this
question than the ``jujusim`` model: what matters here is the library's parsing and validation
inside one hook, not Juju's storage or hook-tool round trips, which hostile data does not change.
The time is the thread CPU time of the hook's dispatch (``manager.run()`` inside the Context,
``time.thread_time``), median over repeats, so it includes ops' and Scenario's share of the
hook; each row also gives the same hook with a valid bag in place of the hostile one
(``baseline_ms``), and the difference is the hostile data's share.

Every run gets texts no run before it has seen (a YAML comment naming the run is appended),
so the per-text parse cache of ``relation_protocol`` never answers for it: each time is a cold
parse, as in a fresh hook process. Each run also checks that the thing timed happened: the
hostile relation is listed invalid with a short printable reason (or gets no payload, on the
provider side) and the valid relation is served.

Run ``python -m benchmarks.hostile`` to print the rows and the worst case.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, Literal

import ops
from ops import testing

import interface_live
import interface_stored
from k8s_service_interface import InvalidRelation, K8sService, RequirerBase
from relation_protocol import MAX_REASON_LENGTH

Side = Literal["requirer", "provider"]
Backend = Literal["live", "stored"]

ENDPOINT = "k8s-service"
ALL_VERSIONS = "- v0\n- v1\n- v2\n"
VALID_V0 = {"service-name": "kfp-api.kubeflow", "service-port": "8888"}

CORPUS: dict[str, str] = {
    "deep-brackets": "[" * 60_000,
    "deep-block": "- " * 20_000 + "x",
    "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "\n".join(
        f"a{i}: &a{i} [" + ", ".join(["*a" if i == 1 else f"*a{i - 1}"] * 9) + "]"
        for i in range(1, 9)
    ),
    "merge-bomb": "a0: &a0 {k0: x}\n"
    + "\n".join(f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: x}}" for i in range(1, 40)),
    "many-nodes": "[" + ", ".join(["1"] * 20_000) + "]",
    "many-keys": "\n".join(f"k{i}: {i}" for i in range(5_000)),
    "huge": "x" * (70 * 1024),
    "lone-surrogate": "name: web\ud800\nport: 80\n",
    "control": 'name: "web\\x1b[2J"\nport: 80\n',
    "long-tag": "!" + "t" * 60_000 + " x",
    "long-alias": "*" + "a" * 60_000,
    "unclosed": "name: [web" + " " * 60_000,
    "python-tag": "!!python/object/apply:os.system [ls]",
    "big-integer": "port: " + "9" * 5_000,
    "long-version-list": "".join(f"- v{n}\n" for n in range(3, 7_000)),
    "namespace-60k": "{name: web, port: 80, namespace: " + "a" * 60_000 + "}",
}
"""The worst remote YAML known: each makes a relation invalid, never a slow or failed hook."""

FLAT_CASES: dict[str, dict[str, str]] = {
    "v0-name-60k": {"service-name": "a" * 60_000, "service-port": "8888"},
    "v0-lone-surrogate": {"service-name": "web\ud800", "service-port": "8888"},
    "unknown-keys": {f"key{n}\n" + "x" * 500: "1" for n in range(100)},
}
"""Hostile flat provider bags (no YAML): long values, bad text, a bag in no known dialect."""


def _provider_bags(run: str) -> dict[str, dict[str, str]]:
    """Every hostile provider bag, with texts no earlier run has used."""
    suffix = f"\n# {run}"
    bags: dict[str, dict[str, str]] = {}
    for name, text in CORPUS.items():
        bags[f"data:{name}"] = {"_supported_versions": ALL_VERSIONS, "data": text + suffix}
        bags[f"versions:{name}"] = {"_supported_versions": text + suffix, **VALID_V0}
    bags.update(FLAT_CASES)
    return bags


def _requirer_bags(run: str) -> dict[str, dict[str, str]]:
    """Every hostile requirer bag: the corpus as the advertisement, in texts not used before."""
    suffix = f"\n# {run}"
    return {
        f"versions:{name}": {"_supported_versions": text + suffix} for name, text in CORPUS.items()
    }


class _Requirer(ops.CharmBase):
    requirer_type: type[RequirerBase]

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.requirer = self.requirer_type(self)
        self.seen: tuple[tuple[K8sService, ...], tuple[InvalidRelation, ...]] | None = None
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _on_collect_unit_status(self, _event: ops.CollectStatusEvent) -> None:
        self.seen = (self.requirer.services, self.requirer.invalid_relations)


class _Provider(ops.CharmBase):
    provider_type: type[interface_live.K8sServiceProvider]

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.provider = self.provider_type(
            self, service_name="kfp-api.kubeflow", service_port=8888
        )


_MODULES = {"live": interface_live, "stored": interface_stored}
_REQUIRER_META = {"name": "dashboard", "requires": {ENDPOINT: {"interface": "k8s-service"}}}
_PROVIDER_META = {"name": "kfp-api", "provides": {ENDPOINT: {"interface": "k8s-service"}}}


def _requirer_run(backend: Backend, bag: dict[str, str]) -> tuple[float, str | None]:
    """Run relation-changed on a relation with ``bag`` beside a valid one; return time, reason."""
    charm = type(
        "Dashboard", (_Requirer,), {"requirer_type": _MODULES[backend].K8sServiceRequirer}
    )
    ctx = testing.Context(charm, meta=_REQUIRER_META)
    good = testing.Relation(ENDPOINT, remote_app_name="good", remote_app_data=VALID_V0, id=1)
    bad = testing.Relation(ENDPOINT, remote_app_name="bad", remote_app_data=bag, id=2)
    state = testing.State(relations={good, bad}, leader=True)
    with ctx(ctx.on.relation_changed(bad, remote_unit=0), state) as manager:
        started = time.thread_time()
        manager.run()
        elapsed = time.thread_time() - started
        seen = manager.charm.seen
    assert seen is not None
    services, invalid = seen
    assert [(svc.relation_id, svc.name, svc.port) for svc in services][:1] == [
        (1, "kfp-api.kubeflow", 8888)
    ]
    reasons = [bad_one.reason for bad_one in invalid if bad_one.relation_id == 2]
    return elapsed, reasons[0] if reasons else None


def _provider_run(backend: Backend, bag: dict[str, str]) -> tuple[float, str | None]:
    """Run leader-elected with a hostile requirer beside a valid one; return time, keys written."""
    charm = type("KfpApi", (_Provider,), {"provider_type": _MODULES[backend].K8sServiceProvider})
    ctx = testing.Context(charm, meta=_PROVIDER_META)
    good = testing.Relation(
        ENDPOINT, remote_app_name="good", remote_app_data={"_supported_versions": "- v2\n"}, id=1
    )
    bad = testing.Relation(ENDPOINT, remote_app_name="bad", remote_app_data=bag, id=2)
    state = testing.State(relations={good, bad}, leader=True)
    with ctx(ctx.on.leader_elected(), state) as manager:
        started = time.thread_time()
        state_out = manager.run()
        elapsed = time.thread_time() - started
    assert "data" in state_out.get_relation(1).local_app_data
    written = sorted(state_out.get_relation(2).local_app_data)
    return elapsed, ",".join(written)


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def hostile_rows(repeats: int = 7) -> list[dict[str, Any]]:
    """Time one hook per hostile relation, for each backend, side and hostile case.

    Args:
        repeats: Runs per case (the median is reported); 1 is the smoke size.

    Returns:
        One row per (side, backend, case): ``median_ms`` for the hook with the hostile relation,
        ``baseline_ms`` for the same hook with a valid bag instead, and what the hook left
        (``outcome``: the reason, or the keys the provider wrote).
    """
    rows: list[dict[str, Any]] = []
    sides: dict[Side, tuple[Callable[..., Any], Callable[[str], dict[str, dict[str, str]]]]] = {
        "requirer": (_requirer_run, _provider_bags),
        "provider": (_provider_run, _requirer_bags),
    }
    for side, (run, bags_for) in sides.items():
        for backend in ("live", "stored"):
            valid = VALID_V0 if side == "requirer" else {"_supported_versions": "- v2\n"}
            baseline = _median_ms([run(backend, valid)[0] for _ in range(repeats)])
            samples: dict[str, list[float]] = {}
            outcomes: dict[str, str | None] = {}
            for repeat in range(repeats):
                for case, bag in bags_for(f"{side} {backend} {repeat}").items():
                    elapsed, outcome = run(backend, bag)
                    _check(side, outcome)
                    samples.setdefault(case, []).append(elapsed)
                    outcomes[case] = outcome
            for case, times in samples.items():
                rows.append(
                    {
                        "side": side,
                        "backend": backend,
                        "case": case,
                        "median_ms": _median_ms(times),
                        "baseline_ms": baseline,
                        "outcome": outcomes[case],
                    }
                )
    return rows


def _check(side: Side, outcome: str | None) -> None:
    """Assert the hostile relation was refused: a short printable reason, or no payload."""
    if side == "requirer":
        assert outcome is not None, "the hostile relation must be listed invalid"
        assert len(outcome) <= MAX_REASON_LENGTH
        assert outcome.isprintable()
    else:
        assert outcome == "_supported_versions", outcome


def worst_ms(rows: list[dict[str, Any]]) -> float:
    """The slowest hook with a hostile relation, in milliseconds."""
    return max(row["median_ms"] for row in rows)


def main() -> None:
    """Print every row and the worst case."""
    rows = hostile_rows()
    for row in sorted(rows, key=lambda row: -row["median_ms"]):
        print(
            f"{row['side']:9} {row['backend']:7} {row['case']:28} "
            f"{row['median_ms']:8.2f} ms (valid: {row['baseline_ms']:.2f} ms)  {row['outcome']}"
        )
    print(f"worst case: {worst_ms(rows):.2f} ms per hook with one hostile relation")


if __name__ == "__main__":
    main()
