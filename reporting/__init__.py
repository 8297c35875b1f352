"""Every report of the project comes out of this package, from the JSON the runs write.

``python -m study`` writes ``reports/study.json`` and ``python -m benchmarks`` writes
``reports/costs.json``; ``python -m reporting`` renders ``reports/README.md``, ``study.md``,
the plots, and the figures in ``docs/`` from them (the modules: HACKING.md, ``## Reports``).
"""

from __future__ import annotations

from .claims import CheckError
from .data import Costs, Reports, Study, environment
from .sizes import (
    BENCH_SIZES,
    QUICK_REPORTS,
    STUDY_SIZES,
    BenchSize,
    add_size_flags,
    chosen_size,
    reports_folder,
)

__all__ = [
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
