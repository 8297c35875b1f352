"""Load the measured reports, format their figures, and check the facts the docs rely on.

The documents in ``docs/`` quote figures from two reports, both written by ``nox -s bench``:

- ``reports/study.json``: the sync-correctness study (``python -m study``).
- ``reports/costs.json``: the cost benchmarks (``python -m benchmarks``); optional, the documents
  say so while it is missing.

A figure function (registered with :func:`figure`) turns a report into Markdown. When a record's
prose relies on a measured fact ("the naive cache stays stale after a pod is replaced"), the
figure checks it with :func:`claim`, so that a report which no longer shows the fact fails the
rendering instead of leaving a record that contradicts its own table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parent.parent
"""The repository's root folder."""

REPORTS = ROOT / "reports"
"""Where ``nox -s bench`` writes the reports."""

SHIPPED = ("live", "stored")
"""The two backends the library ships, as the study names them."""


class ClaimError(Exception):
    """A measured fact that a document relies on does not hold in the report."""


@attrs.frozen
class Reports:
    """The measured figures the documents quote."""

    study: Mapping[str, Any]
    """``reports/study.json``."""

    costs: Mapping[str, Any] | None = None
    """``reports/costs.json``, or ``None`` while the benchmarks have not been run."""

    @classmethod
    def load(cls, folder: Path = REPORTS) -> Reports:
        """Read the reports from a folder.

        Args:
            folder: The reports folder.

        Returns:
            The reports; ``costs`` is ``None`` if ``costs.json`` is absent.

        Raises:
            FileNotFoundError: If ``study.json`` is absent.
        """
        study = folder / "study.json"
        if not study.exists():
            raise FileNotFoundError(f"{study} is missing: run `nox -s bench` first")
        costs = folder / "costs.json"
        return cls(
            json.loads(study.read_text()),
            json.loads(costs.read_text()) if costs.exists() else None,
        )

    def summary(self, strategy: str) -> Mapping[str, Any]:
        """Return one strategy's measures over every local-state run."""
        return self.study["summary"][strategy]

    def scenario(self, scenario: str, strategy: str) -> Mapping[str, Any]:
        """Return one strategy's measures over the runs of one scenario."""
        return self.study["by_scenario"][scenario][strategy]

    def strategies(self) -> list[str]:
        """Return the strategies the study compared, shipped backends first."""
        return list(self.study["summary"])

    def scenarios(self) -> list[str]:
        """Return the scenarios the study played (named ones, then ``random``)."""
        return list(self.study["by_scenario"])


Figure = Callable[[Reports, Sequence[str]], str]
"""Turns the reports (and the marker's arguments) into Markdown."""

FIGURES: dict[str, Figure] = {}
"""Every figure, by the name its marker uses."""


def figure(name: str) -> Callable[[Figure], Figure]:
    """Register a figure function under a marker name.

    Args:
        name: The name in ``<!-- figures:NAME -->``.

    Returns:
        A decorator that registers the function and returns it unchanged.
    """

    def register(function: Figure) -> Figure:
        FIGURES[name] = function
        return function

    return register


def claim(holds: bool, statement: str, evidence: str) -> None:
    """Check a measured fact that a document's prose relies on.

    Args:
        holds: Whether the report shows the fact.
        statement: The fact, as the document states it.
        evidence: The figure that was checked, with its value.

    Raises:
        ClaimError: If the fact does not hold.
    """
    if not holds:
        raise ClaimError(
            f"the docs say {statement}, but the report shows {evidence}: "
            "re-read the record, then change its text or the code"
        )


def count(value: float) -> str:
    """Format a count: ``1,553``."""
    return f"{round(value):,}"


def share(value: float) -> str:
    """Format a fraction as a percentage: ``20.2%``."""
    return f"{value:.1%}"


def decimal(value: float) -> str:
    """Format a measured mean with one decimal: ``14.9``."""
    return f"{value:,.1f}"


def median(value: float | None) -> str:
    """Format a median, whole when it is whole: ``3``, ``2.5``, or ``-`` when there is none."""
    if value is None:
        return "-"
    return count(value) if float(value).is_integer() else decimal(value)


def ratio(value: float) -> str:
    """Format a ratio: ``1.07x``."""
    return f"{value:.2f}x"


def words(items: Iterable[str]) -> str:
    """Join names for a sentence: ``a``, ``a and b``, ``a, b and c``."""
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def code(name: str) -> str:
    """Format a name as inline code."""
    return f"`{name}`"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, labels: int = 1) -> str:
    """Build a Markdown table: label columns left-aligned, figure columns right-aligned.

    Args:
        header: The column headings.
        rows: The cells, one sequence per row.
        labels: How many leading columns are labels rather than figures.

    Returns:
        The table, without a trailing newline.
    """
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * labels + " ---: |" * (len(header) - labels),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def study_source(reports: Reports, where: str) -> str:
    """Say where a study figure comes from and which command produced it.

    Args:
        reports: The reports.
        where: The part of ``study.json`` the figure reads.

    Returns:
        One italic sentence.
    """
    meta = reports.study["meta"]
    seeds: list[int] = meta["seeds"]
    return (
        f"*From `reports/study.json` ({where}), written by `{meta['command']}` as part of "
        f"`nox -s bench`: ops {meta['ops_version']}, {count(len(seeds))} random schedules of "
        f"{count(meta['random_operations'])} operations, every named scenario with seeds "
        f"{words(str(seed) for seed in meta['scenario_seeds'])}.*"
    )
