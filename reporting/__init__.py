"""Every report of the project comes out of this package, from the JSON the runs write.

``python -m study`` writes ``reports/study.json`` and ``python -m benchmarks`` writes
``reports/costs.json``; ``python -m reporting`` renders ``reports/README.md``, ``study.md``,
the plots, and the figures in ``docs/`` from them. Modules: ``labels`` (vocabularies),
``formats`` (numbers and tables), ``data`` (typed loaders), ``checks`` (the checker shape),
``targets`` and ``claims`` (what is checked), ``figures`` and its study and cost modules,
``plots``, ``render``, ``sizes`` and ``environment`` (run sizes and metadata).
"""

from __future__ import annotations

from .checks import CheckError
from .data import Costs, Reports, Study
from .environment import environment
from .labels import Backend, Kind, Storage, Wire
from .sizes import (
    ALL_KINDS,
    BENCH_SIZES,
    QUICK_REPORTS,
    STUDY_SIZES,
    BenchSize,
    add_size_flags,
    chosen_size,
    reports_folder,
)

__all__ = [
    "ALL_KINDS",
    "BENCH_SIZES",
    "QUICK_REPORTS",
    "STUDY_SIZES",
    "Backend",
    "BenchSize",
    "CheckError",
    "Costs",
    "Kind",
    "Reports",
    "Storage",
    "Study",
    "Wire",
    "add_size_flags",
    "chosen_size",
    "environment",
    "reports_folder",
]
