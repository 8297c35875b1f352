"""Report metadata: what produced a report, recorded the same way by the study and benchmarks."""

from __future__ import annotations

import os
import platform
import sys
from typing import Any

import ops


def environment(program: str, argv: list[str] | None = None) -> dict[str, Any]:
    """Describe the run: versions, machine, and the command that produced it.

    Args:
        program: How the command is run, e.g. ``python -m study``.
        argv: Its arguments (``sys.argv[1:]`` by default).

    Returns:
        JSON-able metadata for the report's ``meta``.
    """
    arguments = sys.argv[1:] if argv is None else argv
    return {
        "ops_version": ops.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "command": " ".join([program, *arguments]),
    }
