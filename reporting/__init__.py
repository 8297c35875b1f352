"""Every report of the project comes out of this package, from the JSON the runs write.

``python -m study`` writes ``reports/study.json`` and ``python -m benchmarks`` writes
``reports/costs.json``; ``python -m reporting`` renders ``reports/README.md``, ``study.md``,
the plots, and the figures in ``docs/`` from them. Modules: ``labels`` (vocabularies),
``formats`` (numbers and tables), ``data`` (typed loaders), ``checks`` (the checker shape),
``targets`` and ``claims`` (what is checked), ``figures`` and its study and cost modules,
``plots``, ``render``, ``sizes`` and ``environment`` (run sizes and metadata).
"""

from __future__ import annotations

from .checks import CheckError, Result
from .data import Costs, Reports, Row, Study
from .environment import environment
from .labels import BASELINE, KINDS, SHIPPED, Backend, Kind, Storage, Wire
from .sizes import (
    ALL_KINDS,
    BENCH_SIZES,
    STUDY_SIZES,
    BenchSize,
    SizeName,
    StudySize,
    add_size_flags,
    chosen_size,
)

__all__ = [
    "ALL_KINDS",
    "BASELINE",
    "BENCH_SIZES",
    "KINDS",
    "SHIPPED",
    "STUDY_SIZES",
    "Backend",
    "BenchSize",
    "CheckError",
    "Costs",
    "Kind",
    "Reports",
    "Result",
    "Row",
    "SizeName",
    "Storage",
    "Study",
    "StudySize",
    "Wire",
    "add_size_flags",
    "chosen_size",
    "environment",
]
