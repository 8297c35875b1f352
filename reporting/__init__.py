"""Every report of the project comes out of this package, from the JSON the runs write.

``python -m study`` writes ``reports/study.json`` and ``python -m benchmarks`` writes
``reports/costs.json``; ``python -m reporting`` renders ``reports/README.md``, ``study.md``,
the plots, and the figures in ``docs/`` from them. Modules: ``labels`` (vocabularies, formats,
tables), ``data`` (typed loaders, run metadata), ``claims`` (the checker shape and the facts the
documents state), ``targets``, ``figures`` and its study and cost modules, ``plots``,
``render``, and ``sizes`` (run sizes).
"""

from __future__ import annotations

from .claims import CheckError
from .data import Costs, Reports, Study, environment
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
    "BenchSize",
    "CheckError",
    "Costs",
    "Reports",
    "Study",
    "add_size_flags",
    "chosen_size",
    "environment",
    "reports_folder",
]
