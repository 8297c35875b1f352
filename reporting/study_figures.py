"""Figures from the sync-correctness study (``reports/study.json``): tables of measures.

Columns are measure keys of ``study.json`` (headings from ``labels.MEASURES``), plus two derived
ones: ``stale`` (share of stale hooks, with the counts) and ``event_faults`` (dropped, duplicate
and order-only events together).
"""

from __future__ import annotations

from collections.abc import Sequence

from .data import Measures, Reports
from .figures import figure, split_options
from .formats import code, count, decimal, median, number, share, table
from .labels import MEASURES, STRATEGIES


def cell(measures: Measures, key: str) -> str:
    """One measure of one strategy, formatted by its kind."""
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
def study_table(reports: Reports, args: Sequence[str]) -> str:
    """A table of measures: ``<!-- figures:study-table SCOPE [option=...] COLUMN ... -->``.

    ``SCOPE`` is ``summary``, ``controller_storage`` or a scenario's name; options:
    ``strategies=a,b`` (default: every one), ``scenarios=a,b`` (one row per scenario and
    strategy), ``transpose=yes`` (one row per measure).
    """
    scope, *rest = args
    options, columns = split_options(rest)
    scenarios = options["scenarios"].split(",") if "scenarios" in options else [scope]
    groups = {
        "summary": reports.study.summary,
        "controller_storage": reports.study.controller_storage,
    }
    rows: list[list[str]] = []
    names: list[str] = []
    for scenario in scenarios:
        found = groups.get(scenario) or reports.study.by_scenario[scenario]
        names = options["strategies"].split(",") if "strategies" in options else list(found)
        names = _ordered([name for name in names if name in found])
        prefix = [code(scenario)] if len(scenarios) > 1 else []
        rows += [[*prefix, code(name), *(cell(found[name], c) for c in columns)] for name in names]
    if options.get("transpose"):
        body = [[heading(c), *(row[i + 1] for row in rows)] for i, c in enumerate(columns)]
        return table(["measure", *(code(name) for name in names)], body)
    labels = ["scenario", "strategy"] if len(scenarios) > 1 else ["strategy"]
    return table([*labels, *(heading(c) for c in columns)], rows, labels=len(labels))


@figure("study-by-scenario")
def study_by_scenario(reports: Reports, args: Sequence[str]) -> str:
    """One titled table per scenario: ``<!-- figures:study-by-scenario COLUMN ... -->``."""
    parts = [
        f"### {scenario}\n\n{study_table(reports, [scenario, *args])}"
        for scenario in reports.study.by_scenario
    ]
    return "\n\n".join(parts)


@figure("negotiation")
def negotiation(reports: Reports, args: Sequence[str]) -> str:
    """Hooks to the first service by provider dialect: ``<!-- figures:negotiation [a,b] -->``."""
    mixed = reports.study.by_scenario.get("mixed-versions", {})
    names = _ordered(args[0].split(",") if args else list(mixed))
    key = "median_hooks_to_first_service_by_dialect"
    dialects = sorted({d for name in names for d in mixed[name].get(key, {})})
    steady = reports.study.by_scenario["steady"]
    rows = [
        [
            code(name),
            median(steady[name]["median_hooks_to_first_service"]),
            median(mixed[name]["median_hooks_to_first_service"]),
            *(median(mixed[name].get(key, {}).get(dialect)) for dialect in dialects),
        ]
        for name in names
    ]
    header = ["strategy", "`steady`: every provider", "`mixed-versions`: every provider"]
    return table([*header, *(f"`mixed-versions`: {d} provider" for d in dialects)], rows)


@figure("scenarios")
def scenarios(_reports: Reports, args: Sequence[str]) -> str:
    """What named scenarios play, in the study's catalogue words: one bullet each."""
    from study.scenarios import SCENARIOS  # the catalogue imports the simulator: load on use

    summaries = {scenario.name: scenario.summary for scenario in SCENARIOS}
    return "\n".join(f"- {code(name)}: {summaries[name]}" for name in args)


@figure("staleness-by-hook")
def staleness_by_hook(reports: Reports, args: Sequence[str]) -> str:
    """Both staleness truths per hook kind: ``<!-- figures:staleness-by-hook SCOPE [a,b] -->``.

    One row per hook kind that read ``services``; per strategy, the stale hooks against the
    providers' current data and against what the unit was notified of. A study JSON written
    before these measures existed renders a note instead of a table.
    """
    scope, *rest = args
    found = reports.study.summary if scope == "summary" else reports.study.by_scenario[scope]
    names = _ordered(rest[0].split(",") if rest else list(found))
    names = [name for name in names if "hooks_by_hook" in found.get(name, {})]
    if not names:
        return "*Not measured yet: regenerate the reports with `nox -s bench`.*"
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
