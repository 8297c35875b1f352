"""The two reports' typed loaders, and the metadata both runs record.

Time ratios and growth fits are derived from ``costs.json``'s rows, not stored.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import ops

from .labels import BASELINE, Backend, Kind, Storage, Wire, baseline_kind

REPORTS = Path(__file__).resolve().parent.parent / "reports"
"""Where ``nox -s bench`` writes the reports."""


def environment(program: str, argv: list[str] | None = None) -> dict[str, Any]:
    """A report's ``meta``: versions, machine, and the command (``program`` and ``argv``)."""
    arguments = sys.argv[1:] if argv is None else argv
    return {
        "ops_version": ops.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "command": " ".join([program, *arguments]),
    }


Measures = Mapping[str, Any]
"""One strategy's aggregated measures, keyed as in ``study.json``."""


@attrs.frozen
class Study:
    """The study's report."""

    meta: Mapping[str, Any]
    summary: Mapping[str, Measures]
    """Per strategy, over every local-state run."""
    by_scenario: Mapping[str, Mapping[str, Measures]]
    """Per named scenario (and ``random``), per strategy."""
    controller_storage: Mapping[str, Measures]
    """Per strategy, with state kept in the controller; empty if not run."""
    controller_by_scenario: Mapping[str, Mapping[str, Measures]]
    """The same, per scenario run with controller storage."""
    heal_budget: Mapping[str, Mapping[str, Measures]]
    """The stored backend per re-read budget (``rereads_per_event``), per scenario."""

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Study:
        """Read the document ``study.json`` holds."""
        return cls(**{field.name: document[field.name] for field in attrs.fields(cls)})

    def scope(self, name: str) -> Mapping[str, Measures]:
        """Per strategy, the measures of ``summary``, ``controller_storage`` or a scenario.

        ``controller:SCENARIO`` is that scenario with controller storage.
        """
        scopes = {"summary": self.summary, "controller_storage": self.controller_storage}
        if name.startswith("controller:"):
            return self.controller_by_scenario[name.removeprefix("controller:")]
        return scopes.get(name) or self.by_scenario[name]

    def lookup(self, path: str) -> Any:
        """The figure at a path such as ``summary/live/hooks`` (a number is itself).

        A hook kind missing from a ``*_by_hook`` count (``.../stale_by_hook/update-status``)
        counted none: the study leaves zero counts out.
        """
        if path.isdigit():
            return int(path)
        found: Any = attrs.asdict(self, recurse=False)
        parent = ""
        for key in path.split("/"):
            found = found.get(key, 0) if parent.endswith("_by_hook") else found[key]
            parent = key
        return found


@attrs.frozen
class Row:
    """The figures of one benchmark case."""

    storage: Storage
    backend: Backend
    kind: Kind
    relations: int
    """N."""
    units: int
    """M."""
    time_s: float
    """Median thread-CPU time of the hook's dispatch through ``ops.main``, less the simulator's
    answering of its hook tools (``answer_s``): ops' and the charm's own work."""
    tool_calls: Mapping[str, int]
    """Hook-tool calls per tool, in the last timed round."""
    state_bytes: int
    """The requirer's stored state after the hook."""
    bytes_written: int
    """State bytes the hook's commit wrote (largest over the rounds)."""
    ok: bool
    """Whether every timed round succeeded."""
    wire: Wire = "v2"
    rounds: int = 1
    tool_calls_vary: bool = False
    """Whether the calls differed between rounds."""
    state_limit_hits: int = 0
    """State values Juju refused for size, over every timed round."""
    largest_state_value: int = 0
    """The largest single charm-state value after the last round (controller storage)."""
    error: str | None = None
    """The last line of the last round's failure, if it failed."""
    answer_s: float = 0.0
    """Median thread-CPU time the simulator spent answering the hook's tools, left out."""

    @property
    def hook_tool_calls(self) -> int:
        """Every hook-tool call of the hook."""
        return sum(self.tool_calls.values())

    def calls(self, tool: str) -> int:
        """Calls of one hook tool."""
        return self.tool_calls.get(tool, 0)


def slope(points: Sequence[tuple[float, float]]) -> float | None:
    """The least-squares slope of log(cost) against log(N); None with fewer than 2 N.

    Points with a cost of 0 carry no information on a log scale and are left out.
    """
    logs = [(math.log(n), math.log(cost)) for n, cost in points if n > 0 and cost > 0]
    if len({x for x, _ in logs}) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in logs)
    mean_y = statistics.fmean(y for _, y in logs)
    sxx = sum((x - mean_x) ** 2 for x, _ in logs)
    return sum((x - mean_x) * (y - mean_y) for x, y in logs) / sxx


@attrs.frozen
class Costs:
    """The cost benchmarks' report, with look-ups by case."""

    meta: Mapping[str, Any]
    rows: Sequence[Row]
    sections: Mapping[str, Sequence[Mapping[str, Any]]] = attrs.field(
        factory=dict[str, Sequence[Mapping[str, Any]]]
    )
    """Further measured tables by name (e.g. ``hostile``), as their benchmark wrote them."""

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Costs:
        """Read the document ``costs.json`` holds."""
        rows = [Row(**row) for row in document["rows"]]
        return cls(document.get("meta", {}), rows, document.get("sections", {}))

    def get(
        self, backend: Backend, kind: Kind, relations: int, units: int = 1,
        storage: Storage = "local", wire: Wire = "v2",
    ) -> Row | None:  # fmt: skip
        """The row of one case, if it was measured (the no-op charm's stands in its own kind)."""
        kind = baseline_kind(kind) if backend == BASELINE else kind
        found = self.select(storage, wire, backend=backend, kind=kind, relations=relations,
                            units=units)  # fmt: skip
        return found[0] if found else None

    def select(self, storage: Storage = "local", wire: Wire = "v2", **fields: object) -> list[Row]:
        """Rows of one storage and wire whose attributes equal ``fields``, by N then M."""
        fields = {"storage": storage, "wire": wire, **fields}
        found = [r for r in self.rows if all(getattr(r, k) == v for k, v in fields.items())]
        return sorted(found, key=lambda r: (r.relations, r.units))

    def values(self, name: str, storage: Storage = "local", wire: Wire = "v2") -> list[int]:
        """The distinct values of ``relations`` or ``units`` measured with a storage and wire."""
        return sorted({getattr(r, name) for r in self.select(storage, wire)})

    def ratio(self, row: Row, over: Row | None = None) -> float | None:
        """``row``'s time over ``over``'s (by default the no-op charm's in its case), or None."""
        if over is None:
            over = self.get(BASELINE, row.kind, row.relations, row.units, row.storage, row.wire)
        if over is None or not over.time_s or not (row.ok and over.ok):
            return None
        return row.time_s / over.time_s


@attrs.frozen
class Reports:
    """Both reports, as the documents and report templates quote them."""

    study: Study
    costs: Costs | None = None
    """``None`` while the benchmarks have not been run."""

    @classmethod
    def load(cls, folder: Path = REPORTS) -> Reports:
        """Read the reports from a folder; FileNotFoundError if ``study.json`` is absent."""
        study = folder / "study.json"
        if not study.exists():
            raise FileNotFoundError(f"{study} is missing: run `nox -s bench` first")
        costs = folder / "costs.json"
        return cls(
            Study.from_json(json.loads(study.read_text())),
            Costs.from_json(json.loads(costs.read_text())) if costs.exists() else None,
        )
