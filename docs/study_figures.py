"""Figures from the sync-correctness study (``reports/study.json``, ``python -m study``).

Each function renders the block of one ``<!-- figures:NAME -->`` marker and checks, with
``claim``, every measured fact the surrounding prose states in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from docs.reports import (
    SHIPPED,
    Reports,
    claim,
    code,
    count,
    decimal,
    figure,
    median,
    share,
    study_source,
    table,
    words,
)
from study.scenarios import SCENARIOS

SCENARIO_SUMMARIES = {scenario.name: scenario.summary for scenario in SCENARIOS}
"""What each named scenario plays, as the study's catalogue says it."""


def _of(part: int, whole: int) -> str:
    return f"{count(part)} of {count(whole)}"


def _stale(measures: Mapping[str, Any]) -> str:
    return (
        f"{share(measures['stale_fraction'])} ({_of(measures['stale_hooks'], measures['hooks'])})"
    )


def _scenarios_where(reports: Reports, strategy: str, measure: str) -> list[str]:
    """Return the named scenarios in which a strategy's measure is above zero."""
    return [
        name
        for name in reports.scenarios()
        if name in SCENARIO_SUMMARIES and reports.scenario(name, strategy)[measure] > 0
    ]


def _check_shipped_consistent(reports: Reports, *, scenario: str | None = None) -> None:
    """Check what every record says of both shipped backends: consistent at quiescence."""
    where = "over all runs" if scenario is None else f"in {scenario}"
    for strategy in SHIPPED:
        measures = (
            reports.summary(strategy) if scenario is None else reports.scenario(scenario, strategy)
        )
        for key in ("stale_at_quiescence", "missed_at_quiescence", "failed_hooks"):
            claim(
                measures[key] == 0,
                f"{strategy} has no {key} {where}",
                f"{key} = {measures[key]}",
            )


def scenario_list(names: Sequence[str]) -> str:
    """Describe named scenarios, one bullet each, in the catalogue's words."""
    return "\n".join(f"- {code(name)}: {SCENARIO_SUMMARIES[name]}" for name in names)


@figure("cache-or-live")
def cache_or_live(reports: Reports, _args: Sequence[str]) -> str:
    """Staleness, cost and state of the two backends and the naive cache, over every run."""
    live, stored = reports.summary("live"), reports.summary("stored")
    _check_shipped_consistent(reports)
    claim(live["stale_hooks"] == 0, "the live backend is never stale", f"{live['stale_hooks']}")
    claim(stored["stale_hooks"] > 0, "the stored cache lags", f"{stored['stale_hooks']}")
    claim(
        stored["relation_get_per_hook"] < live["relation_get_per_hook"],
        "the stored backend makes fewer relation-get calls",
        f"{stored['relation_get_per_hook']} against {live['relation_get_per_hook']}",
    )
    claim(
        stored["state_bytes_per_unit"] > live["state_bytes_per_unit"],
        "the stored backend keeps more state",
        f"{stored['state_bytes_per_unit']} against {live['state_bytes_per_unit']}",
    )
    rows = [
        [
            code(strategy),
            _stale(measures),
            count(measures["longest_stale_run"]),
            count(measures["stale_at_quiescence"]),
            decimal(measures["tool_calls_per_hook"]),
            decimal(measures["relation_get_per_hook"]),
            count(measures["state_bytes_per_unit"]),
            decimal(measures["bytes_written_per_hook"]),
        ]
        for strategy, measures in (
            (name, reports.summary(name)) for name in (*SHIPPED, "naive-cache")
        )
    ]
    header = [
        "strategy",
        "stale hooks",
        "longest stale run (hooks)",
        "units stale at quiescence",
        "hook-tool calls / hook",
        "`relation-get` / hook",
        "state bytes / unit (max)",
        "state bytes written / hook",
    ]
    sentence = (
        f"The live backend showed the providers' current data in all {count(live['hooks'])} of "
        f"its hooks. The stored backend's cache lagged it in {share(stored['stale_fraction'])} "
        f"of its hooks, up to {count(stored['longest_stale_run'])} hooks in a row on one unit, "
        "and had caught up on every unit once the queues drained. In exchange the stored backend "
        f"made {decimal(stored['relation_get_per_hook'])} `relation-get` calls per hook against "
        f"{decimal(live['relation_get_per_hook'])} ({decimal(stored['tool_calls_per_hook'])} "
        f"hook-tool calls in all against {decimal(live['tool_calls_per_hook'])}), and kept up to "
        f"{count(stored['state_bytes_per_unit'])} bytes of state per unit against "
        f"{count(live['state_bytes_per_unit'])}."
    )
    return "\n\n".join([table(header, rows), sentence, study_source(reports, "`summary`")])


@figure("change-detection")
def change_detection(reports: Reports, _args: Sequence[str]) -> str:
    """Events emitted, received, dropped and missed, for every strategy."""
    init_emit, hybrid = reports.summary("init-emit"), reports.summary("hybrid")
    _check_shipped_consistent(reports)
    for strategy in SHIPPED:
        measures = reports.summary(strategy)
        for key in ("dropped_events", "duplicate_events", "spurious_events"):
            claim(measures[key] == 0, f"{strategy} has no {key}", f"{key} = {measures[key]}")
    claim(
        init_emit["events_emitted"] > 0 and init_emit["events_received"] == 0,
        "init-emit emits events that no observer receives",
        f"{init_emit['events_emitted']} emitted, {init_emit['events_received']} received",
    )
    claim(hybrid["dropped_events"] == 0, "hybrid drops nothing", f"{hybrid['dropped_events']}")
    hybrid_misses = _scenarios_where(reports, "hybrid", "missed_at_quiescence")
    for needed in ("broken-while-data-changes", "pod-churn"):
        claim(
            needed in hybrid_misses,
            f"hybrid misses a change in {needed}",
            f"misses only in {hybrid_misses}",
        )
    header = [
        "strategy",
        "events emitted",
        "received by the charm",
        "dropped",
        "units whose last event missed the final services",
        "duplicate events",
        "order-only events",
        "re-announced after a pod replacement",
    ]
    rows = [
        [
            code(strategy),
            count(measures["events_emitted"]),
            count(measures["events_received"]),
            count(measures["dropped_events"]),
            count(measures["missed_at_quiescence"]),
            count(measures["duplicate_events"]),
            count(measures["spurious_events"]),
            count(measures["reannounced_events"]),
        ]
        for strategy, measures in ((name, reports.summary(name)) for name in reports.strategies())
    ]
    sentences = (
        f"`init-emit` emitted {count(init_emit['events_emitted'])} `services_changed` events "
        f"from `__init__`; the charm's observer received {count(init_emit['events_received'])} "
        f"of them, and {count(init_emit['missed_at_quiescence'])} times a unit ended a run "
        "never told the "
        f"final services. `hybrid` dropped nothing, but {count(hybrid['missed_at_quiescence'])} "
        f"times a unit ended a run without being told the final services, in "
        f"{words(code(name) for name in hybrid_misses)}. The shipped backends dropped, missed, "
        "duplicated and reordered nothing; their re-announcements follow pod replacements."
    )
    return "\n\n".join([table(header, rows), sentences, study_source(reports, "`summary`")])


@figure("ordering")
def ordering(reports: Reports, _args: Sequence[str]) -> str:
    """Order disagreements between units and order changes on one unit, for every strategy."""
    naive = reports.summary("naive-cache")
    for strategy in SHIPPED:
        measures = reports.summary(strategy)
        for key in ("order_disagreements", "order_flips", "spurious_events"):
            claim(measures[key] == 0, f"{strategy} has no {key}", f"{key} = {measures[key]}")
    claim(
        naive["order_disagreements"] > 0,
        "the naive cache's units disagree on order",
        f"order_disagreements = {naive['order_disagreements']}",
    )
    header = [
        "strategy",
        "runs ending with units in different orders",
        "… of `relation-id-order` runs",
        "order flips on one unit",
        "order-only events",
    ]
    rows: list[list[str]] = []
    for strategy in reports.strategies():
        measures = reports.summary(strategy)
        ids = reports.scenario("relation-id-order", strategy)
        rows.append(
            [
                code(strategy),
                _of(measures["order_disagreements"], measures["runs"]),
                _of(ids["order_disagreements"], ids["runs"]),
                count(measures["order_flips"]),
                count(measures["spurious_events"]),
            ]
        )
    naive_ids = reports.scenario("relation-id-order", "naive-cache")
    flips = (
        "Arrival order, once set, stayed put on each unit: the cost is that units disagree, "
        "not that one unit's order flips."
        if naive["order_flips"] == 0
        else f"It also changed order on one unit {count(naive['order_flips'])} times."
    )
    sentences = (
        f"`naive-cache`, which keeps relations in the order their data arrived, ended "
        f"{_of(naive['order_disagreements'], naive['runs'])} runs with units of one application "
        f"presenting the same services in different orders "
        f"({_of(naive_ids['order_disagreements'], naive_ids['runs'])} runs of "
        f"`relation-id-order`). {flips} The strategies that sort by integer relation id never "
        "disagreed."
    )
    return "\n\n".join(
        [
            table(header, rows),
            sentences,
            scenario_list(["relation-id-order"]),
            study_source(reports, "`summary`, `by_scenario`"),
        ]
    )


STATE_LOSS_SCENARIOS = ("pod-churn", "upgrade-during-port-change")
"""The scenarios in which requirer pods are replaced and their state lost."""


@figure("state-loss")
def state_loss(reports: Reports, _args: Sequence[str]) -> str:
    """What each strategy shows after a Kubernetes pod lost its state."""
    for scenario in STATE_LOSS_SCENARIOS:
        _check_shipped_consistent(reports, scenario=scenario)
        naive = reports.scenario(scenario, "naive-cache")
        claim(
            naive["stale_at_quiescence"] > 0,
            f"the naive cache stays stale after the pod is replaced in {scenario}",
            f"stale_at_quiescence = {naive['stale_at_quiescence']}",
        )
    for strategy in SHIPPED:
        measures = reports.scenario("pod-churn", strategy)
        claim(
            measures["reannounced_events"] > 0,
            f"{strategy} re-announces its services after the pod is replaced",
            f"reannounced_events = {measures['reannounced_events']}",
        )
    header = [
        "scenario",
        "strategy",
        "stale hooks",
        "units stale at quiescence",
        "units whose last event missed the final services",
        "re-announced after a pod replacement",
    ]
    rows = [
        [
            code(scenario),
            code(strategy),
            count(measures["stale_hooks"]),
            count(measures["stale_at_quiescence"]),
            count(measures["missed_at_quiescence"]),
            count(measures["reannounced_events"]),
        ]
        for scenario in STATE_LOSS_SCENARIOS
        for strategy, measures in (
            (name, reports.scenario(scenario, name)) for name in reports.strategies()
        )
    ]
    naive = [reports.scenario(name, "naive-cache") for name in STATE_LOSS_SCENARIOS]
    stored = reports.scenario("pod-churn", "stored")
    sentences = (
        f"After its pods were replaced, `naive-cache` was still stale at quiescence on "
        f"{count(naive[0]['stale_at_quiescence'])} units in `pod-churn` and "
        f"{count(naive[1]['stale_at_quiescence'])} in `upgrade-during-port-change`: its cache "
        "came back empty and only a later relation-changed would refill it. The stored backend "
        "rebuilt its cache at the first hook after the loss, and both shipped backends ended "
        "every run consistent, announcing their services again to the charm, whose own memory "
        f"went with the pod ({count(stored['reannounced_events'])} times in `pod-churn`)."
    )
    return "\n\n".join(
        [
            table(header, rows, labels=2),
            sentences,
            scenario_list(STATE_LOSS_SCENARIOS),
            study_source(reports, "`by_scenario`"),
        ]
    )


@figure("controller-storage")
def controller_storage(reports: Reports, _args: Sequence[str]) -> str:
    """The shipped backends with state kept in the controller (``state-set``, YAML)."""
    controller: Mapping[str, Mapping[str, Any]] = reports.study["controller_storage"]
    if not controller:
        return "*The study was run without controller storage: run `nox -s bench`.*"
    for strategy, measures in controller.items():
        claim(
            measures["state_limit_hits"] == 0,
            f"{strategy} never hits the 64 KiB limit with controller storage",
            f"state_limit_hits = {measures['state_limit_hits']}",
        )
        local = reports.summary(strategy)["tool_calls_per_hook"]
        claim(
            measures["tool_calls_per_hook"] > local,
            f"{strategy} makes more hook-tool calls with controller storage",
            f"{measures['tool_calls_per_hook']} against {local} with local state",
        )
        claim(
            measures["stale_at_quiescence"] == 0,
            f"{strategy} is consistent with controller storage",
            f"stale_at_quiescence = {measures['stale_at_quiescence']}",
        )
    scenarios = sorted(
        {run["scenario"] for run in reports.study["runs"] if run["storage"] == "controller"}
    )
    header = [
        "strategy",
        "hook-tool calls / hook",
        "… with local state",
        "state bytes written / hook",
        "state bytes / unit (max)",
        "values refused by the 64 KiB limit",
        "units stale at quiescence",
    ]
    rows = [
        [
            code(strategy),
            decimal(measures["tool_calls_per_hook"]),
            decimal(reports.summary(strategy)["tool_calls_per_hook"]),
            decimal(measures["bytes_written_per_hook"]),
            count(measures["state_bytes_per_unit"]),
            count(measures["state_limit_hits"]),
            count(measures["stale_at_quiescence"]),
        ]
        for strategy, measures in controller.items()
    ]
    return "\n\n".join(
        [
            table(header, rows),
            f"Scenarios: {words(code(name) for name in scenarios)}; state bytes are YAML as "
            "ops sends it to `state-set`.",
            study_source(reports, "`controller_storage`"),
        ]
    )


LAYOUT_SCENARIOS = ("steady", "relation-id-order", "many-relations")
"""Named scenarios of growing numbers of relations."""


@figure("storage-layout")
def storage_layout(reports: Reports, _args: Sequence[str]) -> str:
    """How the largest state write of one hook grows with relations, per cache layout."""

    def growth(strategy: str) -> float:
        first = reports.scenario(LAYOUT_SCENARIOS[0], strategy)["max_bytes_written"]
        last = reports.scenario(LAYOUT_SCENARIOS[-1], strategy)["max_bytes_written"]
        return last / max(first, 1)

    claim(
        growth("naive-cache") > growth("stored"),
        "the one-dict cache's writes grow faster with relations than per-relation snapshots",
        f"growth {growth('naive-cache'):.2f} against {growth('stored'):.2f}",
    )
    header = [
        "scenario",
        "`stored`: largest write of one hook (bytes)",
        "`naive-cache`: largest write of one hook (bytes)",
        "`stored`: state / unit (bytes)",
        "`naive-cache`: state / unit (bytes)",
    ]
    rows: list[list[str]] = []
    for scenario in LAYOUT_SCENARIOS:
        stored = reports.scenario(scenario, "stored")
        naive = reports.scenario(scenario, "naive-cache")
        rows.append(
            [
                code(scenario),
                count(stored["max_bytes_written"]),
                count(naive["max_bytes_written"]),
                count(stored["state_bytes_per_unit"]),
                count(naive["state_bytes_per_unit"]),
            ]
        )
    sentence = (
        f"From `{LAYOUT_SCENARIOS[0]}` to `{LAYOUT_SCENARIOS[-1]}` the largest write of one hook "
        f"grew {growth('naive-cache'):.1f}-fold for `naive-cache`, which rewrites its one dict "
        f"on every relation-changed, and {growth('stored'):.1f}-fold for `stored`, whose "
        "relation events write that relation's record, plus the small index of relation ids when "
        "a relation comes or goes. The state kept is not comparable across the columns: the "
        "shipped requirer advertises its versions, so its providers answer in v2 (YAML, with "
        "`_supported_versions`), while the baselines' providers stay on the shorter v0."
    )
    return "\n\n".join(
        [
            table(header, rows),
            sentence,
            scenario_list(LAYOUT_SCENARIOS),
            study_source(reports, "`by_scenario`"),
        ]
    )


@figure("negotiation")
def negotiation(reports: Reports, _args: Sequence[str]) -> str:
    """Hooks to the first service with peers of every protocol dialect, and the wire cost."""
    _check_shipped_consistent(reports, scenario="mixed-versions")
    mixed = {name: reports.scenario("mixed-versions", name) for name in SHIPPED}
    steady = {name: reports.scenario("steady", name) for name in SHIPPED}
    dialects = sorted(
        {
            dialect
            for measures in mixed.values()
            for dialect in measures.get("median_hooks_to_first_service_by_dialect", {})
        }
    )
    header = ["strategy", "`steady`: every provider", "`mixed-versions`: every provider"]
    header += [f"`mixed-versions`: {dialect} provider" for dialect in dialects]
    rows: list[list[str]] = []
    for name in SHIPPED:
        by_dialect: Mapping[str, float] = mixed[name].get(
            "median_hooks_to_first_service_by_dialect", {}
        )
        rows.append(
            [
                code(name),
                median(steady[name]["median_hooks_to_first_service"]),
                median(mixed[name]["median_hooks_to_first_service"]),
                *(median(by_dialect.get(dialect)) for dialect in dialects),
            ]
        )
    same = all(
        mixed[name]["median_hooks_to_first_service"]
        == steady[name]["median_hooks_to_first_service"]
        for name in SHIPPED
    )
    delay = (
        "the same as in `steady`: negotiating added no hook before the first service, "
        "because a provider serves v0 until the requirer has advertised its versions"
        if same
        else "against the medians of `steady` in the first column"
    )
    live_bag = reports.scenario("steady", "live")["databag_bytes"]
    baseline_bag = reports.scenario("steady", "hybrid")["databag_bytes"]
    claim(
        live_bag > baseline_bag,
        "advertising versions costs bytes on the wire",
        f"{live_bag} bytes against {baseline_bag}",
    )
    sentences = (
        "In `mixed-versions` both shipped backends served the 2020 provider, the Kubeflow one "
        "and ours, and ended every run consistent, after the 2020 one was upgraded to ours too "
        "(that no service is withdrawn during such an upgrade is pinned by "
        "`tests/protocol/test_upgrade.py`). The median number of requirer hooks from "
        "relation-created to the first "
        f"hook showing the service was {delay}. What negotiation costs on the wire: in `steady` "
        f"the relation data of both applications held {count(live_bag)} bytes with our "
        f"requirers, which advertise their versions, against {count(baseline_bag)} bytes with "
        "the baselines, which do not (so every provider stays on v0)."
    )
    return "\n\n".join(
        [
            table(header, rows),
            sentences,
            scenario_list(["steady", "mixed-versions"]),
            study_source(reports, "`by_scenario`"),
        ]
    )


@figure("backends-at-a-glance")
def backends_at_a_glance(reports: Reports, _args: Sequence[str]) -> str:
    """The shipped backends side by side on every measure of the study."""
    _check_shipped_consistent(reports)
    live, stored = reports.summary("live"), reports.summary("stored")
    for key in ("stale_hooks", "stale_events"):
        claim(live[key] == 0, f"the live backend has no {key}", f"{key} = {live[key]}")
    claim(
        stored["stale_events"] > 0,
        "a stored backend's event can show another relation's previous data",
        f"stale_events = {stored['stale_events']}",
    )
    measures = [live, stored]
    lines: list[tuple[str, str]] = [
        ("hooks showing other data than the providers' current data", "stale"),
        ("events announcing other data than the providers' current data", "stale_events"),
        ("longest stale run on one unit (hooks)", "longest_stale_run"),
        ("units stale once every queue drained", "stale_at_quiescence"),
        ("units whose last event missed the final services", "missed_at_quiescence"),
        ("events dropped, duplicated or order-only", "event_faults"),
        ("runs ending with units in different orders", "order_disagreements"),
        ("hook-tool calls per hook", "tool_calls_per_hook"),
        ("`relation-get` calls per hook", "relation_get_per_hook"),
        ("state bytes per unit (max)", "state_bytes_per_unit"),
        ("state bytes written per hook", "bytes_written_per_hook"),
    ]

    def cell(figures: Mapping[str, Any], key: str) -> str:
        if key == "stale":
            return _stale(figures)
        if key == "event_faults":
            faults = ("dropped_events", "duplicate_events", "spurious_events")
            return count(sum(figures[fault] for fault in faults))
        value = figures[key]
        return decimal(value) if key.endswith("per_hook") else count(value)

    rows = [[label, *(cell(figures, key) for figures in measures)] for label, key in lines]
    return "\n\n".join(
        [
            table(["measure", *(code(name) for name in SHIPPED)], rows),
            study_source(reports, "`summary`"),
        ]
    )


@figure("failure-modes")
def failure_modes(reports: Reports, _args: Sequence[str]) -> str:
    """Each strategy's failure modes, with the scenario that shows each, from the study."""
    modes: list[tuple[str, str, str, str]] = []

    def most(strategy: str, key: str) -> str:
        named = [name for name in reports.scenarios() if name in SCENARIO_SUMMARIES]
        return max(named, key=lambda name: reports.scenario(name, strategy)[key])

    stored = reports.summary("stored")
    claim(stored["stale_hooks"] > 0, "the stored cache lags", f"{stored['stale_hooks']}")
    lagging = most("stored", "stale_hooks")
    measures = reports.scenario(lagging, "stored")
    modes.append(
        (
            "stored",
            "Between a provider's write and this unit's relation-changed for it, `services` "
            "shows the old data (caught up by quiescence).",
            lagging,
            f"{_stale(measures)} stale hooks, up to {count(measures['longest_stale_run'])} "
            "in a row",
        )
    )
    churn = reports.scenario("pod-churn", "stored")
    modes.append(
        (
            "stored",
            "A replaced pod loses the cache; it is rebuilt from live data at the first hook.",
            "pod-churn",
            f"{count(churn['stale_at_quiescence'])} units stale at quiescence, "
            f"{count(churn['reannounced_events'])} re-announcements",
        )
    )
    live_steady = reports.scenario("steady", "live")
    live_many = reports.scenario("many-relations", "live")
    claim(
        live_many["relation_get_per_hook"] > live_steady["relation_get_per_hook"],
        "the live backend's relation-get calls grow with relations",
        f"{live_many['relation_get_per_hook']} against {live_steady['relation_get_per_hook']}",
    )
    modes.append(
        (
            "live",
            "No correctness failure seen; the cost is one `relation-get` per relation in each "
            "hook that reads `services`.",
            "many-relations",
            f"{decimal(live_many['relation_get_per_hook'])} `relation-get` / hook, against "
            f"{decimal(live_steady['relation_get_per_hook'])} in `steady`",
        )
    )
    for strategy, key, text, scenario in (
        ("init-emit", "dropped_events", "Emits from `__init__`: every event dropped.", "steady"),
        (
            "hybrid",
            "missed_at_quiescence",
            "Checks only on joined/changed: a removed relation or a replaced pod is never "
            "announced.",
            "broken-while-data-changes",
        ),
        (
            "naive-cache",
            "stale_at_quiescence",
            "No recovery after state loss: stale for good.",
            "pod-churn",
        ),
        (
            "naive-cache",
            "order_disagreements",
            "Arrival order: units disagree on the order of services.",
            "relation-id-order",
        ),
    ):
        measures = reports.scenario(scenario, strategy)
        value = measures[key]
        claim(value > 0, f"{strategy} fails in {scenario}", f"{key} = {value}")
        if strategy == "init-emit":
            claim(
                measures["events_received"] == 0,
                "init-emit's every event is dropped",
                f"events_received = {measures['events_received']}",
            )
        if strategy == "hybrid":
            claim(
                reports.scenario("pod-churn", strategy)[key] > 0,
                "hybrid never announces to a replaced pod",
                f"{key} in pod-churn = {reports.scenario('pod-churn', strategy)[key]}",
            )
        label = {
            "dropped_events": "events dropped",
            "missed_at_quiescence": "units never told the final services",
            "stale_at_quiescence": "units stale at quiescence",
            "order_disagreements": "runs with units in different orders",
        }[key]
        modes.append((strategy, text, scenario, f"{count(value)} {label}"))
    rows = [[code(s), text, code(scenario), value] for s, text, scenario, value in modes]
    return "\n\n".join(
        [
            table(
                ["strategy", "failure mode", "scenario that shows it", "measured"], rows, labels=3
            ),
            study_source(reports, "`summary`, `by_scenario`"),
        ]
    )


@figure("value")
def value(reports: Reports, args: Sequence[str]) -> str:
    """One figure of ``study.json`` for a sentence: ``<!-- figures:value summary/live/hooks -->``.

    An optional second argument formats it: ``count`` (default), ``share``, ``decimal``.
    """
    path, *style = args
    found: Any = reports.study
    for key in path.split("/"):
        found = found[key]
    formats = {"count": count, "share": share, "decimal": decimal}
    return formats[style[0] if style else "count"](found)
