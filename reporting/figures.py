"""The figure registry (markers: ``render.py``), the shared figures, and the study's tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from jujusim.vocabulary import BENCH_BACKENDS, STORAGES, WIRES

from .data import Costs, Measures, Reports
from .labels import (
    MEASURES,
    STRATEGIES,
    Backend,
    Storage,
    Wire,
    code,
    count,
    decimal,
    median,
    number,
    one_of,
    ratio,
    share,
    table,
    words,
)


class Marker:
    """A marker's arguments: its options (``name=value``) and the rest, in order."""

    def __init__(self, args: Sequence[str]) -> None:
        self.options = dict(a.split("=", 1) for a in args if "=" in a)
        self.args = [a for a in args if "=" not in a]
        self.storage: Storage = one_of(STORAGES, self.options.get("storage", "local"))
        self.wire: Wire = one_of(WIRES, self.options.get("wire", "v2"))

    def names(self, option: str, default: Iterable[str]) -> list[str]:
        """The comma-separated names of an option, or ``default``."""
        return self.options[option].split(",") if option in self.options else list(default)

    def backends(self, default: Sequence[Backend]) -> list[Backend]:
        """The charms of ``backends=a,b``, or ``default``."""
        return [one_of(BENCH_BACKENDS, name) for name in self.names("backends", default)]


Figure = Callable[[Reports, Marker], str]
"""Turns the reports and a marker's arguments into Markdown."""

FIGURES: dict[str, Figure] = {}
"""Every figure, by the name its marker uses."""

MISSING_COSTS = (
    "*`reports/costs.json` is not there yet: run `nox -s bench` (or `python -m benchmarks`), "
    "then `nox -s docs`.*"
)

FORMATS: dict[str, Callable[[Any], str]] = {
    "count": count, "share": share, "decimal": decimal, "ratio": ratio, "number": number
}  # fmt: skip
"""The formats a ``value`` marker can name."""


def figure(name: str) -> Callable[[Figure], Figure]:
    """Register a figure function under a marker name."""

    def register(function: Figure) -> Figure:
        FIGURES[name] = function
        return function

    return register


def cost_figure(name: str, missing: str = MISSING_COSTS) -> Callable[..., object]:
    """Register a figure over ``costs.json``; while it is missing, the figure is ``missing``."""

    def register(function: Callable[[Costs, Marker], str]) -> Callable[[Costs, Marker], str]:
        figure(name)(
            lambda reports, at: missing if reports.costs is None else function(reports.costs, at)
        )
        return function

    return register


@figure("value")
def value(reports: Reports, at: Marker) -> str:
    """One figure of ``study.json`` inline: ``<!-- figures:value summary/live/hooks [count] -->``.

    The format is ``count`` (default), ``share``, ``decimal``, ``ratio`` or ``number``.
    """
    path, *style = at.args
    return FORMATS[style[0] if style else "count"](reports.study.lookup(path))


@figure("source")
def source(reports: Reports, at: Marker) -> str:
    """Where a block's figures come from: ``<!-- figures:source study|costs [PART ...] -->``."""
    which, *parts = at.args
    where = f" ({', '.join(code(part) for part in parts)})" if parts else ""
    if which == "study":
        meta = reports.study.meta
        return (
            f"*From `reports/study.json`{where}, written by `{meta['command']}` as part of "
            f"`nox -s bench`: ops {meta['ops_version']}, {count(meta['random_schedules'])} random "
            f"schedules of {count(meta['random_operations'])} operations, every named scenario "
            f"with seeds {words(str(seed) for seed in meta['scenario_seeds'])}.*"
        )
    if reports.costs is None:
        return MISSING_COSTS
    meta = reports.costs.meta
    return (
        f"*From `reports/costs.json`{where}, written by "
        f"`{meta.get('command', 'python -m benchmarks')}` as part of `nox -s bench`: ops "
        f"{meta.get('ops_version', '-')}, {meta.get('cores', '-')} cores. Times are medians of "
        f"{meta.get('clock', 'wall')} time over the timed rounds. Every N and M, the targets and "
        "the plots are in `reports/README.md`.*"
    )


@figure("meta")
def meta(reports: Reports, at: Marker) -> str:
    """One item of a report's metadata inline: ``<!-- figures:meta study|costs KEY -->``."""
    which, key = at.args
    if which == "study":
        return number(reports.study.meta.get(key, "-"))
    return number(reports.costs.meta.get(key, "-")) if reports.costs is not None else "-"


def cell(measures: Measures, key: str) -> str:
    """One measure of one strategy (a key of ``study.json``), formatted by its kind.

    Two columns are made of several measures: ``stale`` (the share of stale hooks, with the
    counts) and ``event_faults`` (dropped, duplicate and order-only events together).
    """
    if key == "stale":
        hooks = f"{count(measures['stale_hooks'])} of {count(measures['hooks'])}"
        return f"{share(measures['stale_fraction'])} ({hooks})"
    if key == "event_faults":
        faults = ("dropped_events", "duplicate_events", "spurious_events")
        return count(sum(measures[fault] for fault in faults))
    found = measures.get(key)
    if key.endswith("fraction") and found is not None:
        return share(found)
    if key.endswith("per_hook") and found is not None:
        return decimal(found)
    if key.startswith("median_"):
        return median(found)
    return number(found)


def heading(key: str) -> str:
    """A measure's column heading."""
    return MEASURES.get(key) or key.replace("_", " ")


def _ordered(names: Sequence[str]) -> list[str]:
    return [s for s in STRATEGIES if s in names] + [s for s in names if s not in STRATEGIES]


@figure("study-table")
def study_table(reports: Reports, at: Marker) -> str:
    """A table of measures: ``<!-- figures:study-table SCOPE [option=...] COLUMN ... -->``.

    ``SCOPE`` is ``summary``, ``controller_storage``, a scenario's name or
    ``controller:SCENARIO`` (that scenario with controller storage); options:
    ``strategies=a,b`` (default: every one), ``scenarios=a,b`` (one row per scenario and
    strategy), ``transpose=yes`` (one row per measure).
    """
    scope, *columns = at.args
    scenarios = at.names("scenarios", [scope])
    rows: list[list[str]] = []
    names: list[str] = []
    for scenario in scenarios:
        found = reports.study.scope(scenario)
        names = _ordered([name for name in at.names("strategies", found) if name in found])
        prefix = [code(scenario)] if len(scenarios) > 1 else []
        rows += [[*prefix, code(name), *(cell(found[name], c) for c in columns)] for name in names]
    if at.options.get("transpose"):
        body = [[heading(c), *(row[i + 1] for row in rows)] for i, c in enumerate(columns)]
        return table(["measure", *(code(name) for name in names)], body)
    labels = ["scenario", "strategy"] if len(scenarios) > 1 else ["strategy"]
    return table([*labels, *(heading(c) for c in columns)], rows, labels=len(labels))


@figure("heal-budget")
def heal_budget(reports: Reports, at: Marker) -> str:
    """The stored backend per re-read budget: ``<!-- figures:heal-budget HEAL COST -->``.

    ``HEAL`` is the scenario that shows how fast a skipped change heals (stale hooks, the longest
    stale run, units stale at the end), ``COST`` the one that shows what re-reading costs.
    """
    healing, costing = at.args
    columns = [
        *((healing, key) for key in ("stale", "longest_stale_run", "stale_at_quiescence")),
        *((costing, key) for key in ("relation_get_per_hook", "tool_calls_per_hook")),
    ]
    rows = [
        [code(budget), *(cell(scopes[scenario], key) for scenario, key in columns)]
        for budget, scopes in reports.study.heal_budget.items()
    ]
    header = ["`rereads_per_event`", *(f"{code(s)}: {heading(key)}" for s, key in columns)]
    return table(header, rows)


@figure("study-by-scenario")
def study_by_scenario(reports: Reports, at: Marker) -> str:
    """One titled table per scenario: ``<!-- figures:study-by-scenario COLUMN ... -->``."""
    return "\n\n".join(
        f"### {scenario}\n\n{study_table(reports, Marker([scenario, *at.args]))}"
        for scenario in reports.study.by_scenario
    )


@figure("negotiation")
def negotiation(reports: Reports, at: Marker) -> str:
    """Hooks to the first service by provider dialect: ``<!-- figures:negotiation [a,b] -->``."""
    steady = reports.study.scope("steady")
    mixed = reports.study.scope("mixed-versions")
    names = _ordered(at.args[0].split(",") if at.args else list(mixed))
    key = "median_hooks_to_first_service_by_dialect"
    dialects = sorted({d for name in names for d in mixed[name][key]})
    rows = [
        [
            code(name),
            median(steady[name]["median_hooks_to_first_service"]),
            median(mixed[name]["median_hooks_to_first_service"]),
            *(median(mixed[name][key].get(dialect)) for dialect in dialects),
        ]
        for name in names
    ]
    header = ["strategy", "`steady`: every provider", "`mixed-versions`: every provider"]
    return table([*header, *(f"`mixed-versions`: {d} provider" for d in dialects)], rows)


@figure("scenarios")
def scenarios(_reports: Reports, at: Marker) -> str:
    """What named scenarios play, in the study's catalogue words: one bullet each."""
    from study.scenarios import SCENARIOS  # the catalogue imports the simulator: load on use

    summaries = {scenario.name: scenario.summary for scenario in SCENARIOS}
    return "\n".join(f"- {code(name)}: {summaries[name]}" for name in at.args)


@figure("staleness-by-hook")
def staleness_by_hook(reports: Reports, at: Marker) -> str:
    """Both staleness truths per hook kind: ``<!-- figures:staleness-by-hook SCOPE [a,b] -->``.

    One row per hook kind that read ``services``; per strategy, the stale hooks against the
    providers' current data and against what the unit was notified of.
    """
    scope, *rest = at.args
    found = reports.study.scope(scope)
    names = _ordered(rest[0].split(",") if rest else list(found))
    kinds = sorted({kind for name in names for kind in found[name]["hooks_by_hook"]})
    rows = [
        [
            code(kind),
            count(found[names[0]]["hooks_by_hook"].get(kind, 0)),
            *(
                f"{count(found[name]['stale_by_hook'].get(kind, 0))} / "
                f"{count(found[name]['notified_stale_by_hook'].get(kind, 0))}"
                for name in names
            ),
        ]
        for kind in kinds
    ]
    header = ["hook kind", "hooks", *(f"{code(name)}: current / notified" for name in names)]
    return table(header, rows)
