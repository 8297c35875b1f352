"""The cost of one hook per hostile relation, on both backends and both sides.

Each case puts the worst remote data known beside a valid relation and runs one hook with
``ops.testing`` (the real ops dispatch, in process): hostile data changes the library's parsing,
not Juju's storage or hook-tool round trips. The time is the dispatch's thread CPU, median over
repeats; ``baseline_ms`` is the same hook with a valid bag in place of the hostile one. Each run
starts with the library's caches empty (``relation_protocol.clear_caches``), as a fresh hook
process does, and checks that the hostile relation was refused and the valid one served.

Run ``python -m benchmarks.hostile`` to print the rows and the worst case.
"""

from __future__ import annotations

import itertools
import statistics
import time
from typing import Any, Literal, get_args

import ops
from ops import testing

from jujusim.vocabulary import LIBRARY_BACKENDS, LibraryBackend
from k8s_service_interface import InvalidRelation, K8sService, K8sServiceProvider, RequirerBase
from relation_protocol import MAX_REASON_LENGTH, clear_caches
from study.charms import ENDPOINT, PROVIDER_META, REQUIRER_META, REQUIRERS

Side = Literal["requirer", "provider"]
SIDES: tuple[Side, ...] = get_args(Side)

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

VALID: dict[Side, dict[str, str]] = {
    "requirer": VALID_V0,
    "provider": {"_supported_versions": "- v2\n"},
}
"""A valid bag from the other side, for each side."""


def _bags(side: Side) -> dict[str, dict[str, str]]:
    """Every hostile bag from the other side.

    The requirer gets the corpus as a provider's payload and as its advertisement (beside a valid
    v0 bag), and the flat cases; the provider gets it as the requirer's advertisement.
    """
    bags: dict[str, dict[str, str]] = {}
    for name, text in CORPUS.items():
        if side == "requirer":
            bags[f"data:{name}"] = {"_supported_versions": ALL_VERSIONS, "data": text}
        valid = VALID_V0 if side == "requirer" else {}
        bags[f"versions:{name}"] = {"_supported_versions": text, **valid}
    return bags | FLAT_CASES if side == "requirer" else bags


class _Requirer(ops.CharmBase):
    requirer_type: type[RequirerBase]

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.requirer = self.requirer_type(self)
        self.seen: tuple[tuple[K8sService, ...], tuple[InvalidRelation, ...]] = ((), ())
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _on_collect_unit_status(self, _event: ops.CollectStatusEvent) -> None:
        self.seen = (self.requirer.services, self.requirer.invalid_relations)


class _Provider(ops.CharmBase):  # the same on both backends
    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self.provider = K8sServiceProvider(
            self, service_name="kfp-api.kubeflow", service_port=8888
        )


def _run(side: Side, backend: LibraryBackend, bag: dict[str, str]) -> tuple[float, str | None]:
    """Run one hook of ``side`` with ``bag`` on relation 2, beside a valid relation 1.

    The requirer runs relation-changed, the provider leader-elected; either serves relation 1.
    Returns the hook's thread CPU time and what it left: the reason relation 2 is invalid
    (requirer), or the keys written to it (provider).
    """
    if side == "requirer":
        charm = type("Dashboard", (_Requirer,), {"requirer_type": REQUIRERS[backend]})
        ctx = testing.Context(charm, meta=REQUIRER_META)
    else:
        ctx = testing.Context(_Provider, meta=PROVIDER_META)
    good = testing.Relation(ENDPOINT, remote_app_name="good", remote_app_data=VALID[side], id=1)
    bad = testing.Relation(ENDPOINT, remote_app_name="bad", remote_app_data=bag, id=2)
    on, state = ctx.on, testing.State(relations={good, bad}, leader=True)
    event = on.relation_changed(bad, remote_unit=0) if side == "requirer" else on.leader_elected()
    with ctx(event, state) as manager:
        clear_caches()
        started = time.thread_time()
        state = manager.run()
        elapsed = time.thread_time() - started
        charm = manager.charm
    if isinstance(charm, _Provider):
        assert "data" in state.get_relation(1).local_app_data
        return elapsed, ",".join(sorted(state.get_relation(2).local_app_data))
    assert isinstance(charm, _Requirer)
    services, invalid = charm.seen
    assert [(svc.relation_id, svc.name, svc.port) for svc in services][:1] == [
        (1, "kfp-api.kubeflow", 8888)
    ]
    return elapsed, next((bad.reason for bad in invalid if bad.relation_id == 2), None)


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def hostile_rows(repeats: int = 7) -> list[dict[str, Any]]:
    """Time one hook per hostile relation, for each side, backend and hostile case.

    Args:
        repeats: Runs per case (the median is reported); 1 is the smoke size.

    Returns:
        One row per (side, backend, case): ``median_ms``, ``baseline_ms`` and what the hook left
        (``outcome``: the reason, or the keys the provider wrote).
    """
    rows: list[dict[str, Any]] = []
    for side, backend in itertools.product(SIDES, LIBRARY_BACKENDS):
        baseline = _median_ms([_run(side, backend, VALID[side])[0] for _ in range(repeats)])
        samples: dict[str, list[float]] = {}
        outcomes: dict[str, str | None] = {}
        bags = _bags(side)
        for _ in range(repeats):
            for case, bag in bags.items():
                elapsed, outcome = _run(side, backend, bag)
                if side == "requirer":
                    assert outcome is not None, "the hostile relation must be listed invalid"
                    assert len(outcome) <= MAX_REASON_LENGTH
                    assert outcome.isprintable()
                else:
                    assert outcome == "_supported_versions", outcome
                samples.setdefault(case, []).append(elapsed)
                outcomes[case] = outcome
        rows += [
            {"side": side, "backend": backend, "case": case, "median_ms": _median_ms(times),
             "baseline_ms": baseline, "outcome": outcomes[case]}
            for case, times in samples.items()
        ]  # fmt: skip
    return rows


def main() -> None:
    """Print every row and the worst case."""
    rows = sorted(hostile_rows(), key=lambda row: -row["median_ms"])
    for row in rows:
        print(
            f"{row['side']:9} {row['backend']:7} {row['case']:28} "
            f"{row['median_ms']:8.2f} ms (valid: {row['baseline_ms']:.2f} ms)  {row['outcome']}"
        )
    print(f"worst case: {rows[0]['median_ms']:.2f} ms per hook with one hostile relation")


if __name__ == "__main__":
    main()
