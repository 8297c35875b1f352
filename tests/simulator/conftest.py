"""Fixtures for the simulator tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jujusim import Simulator


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[Simulator]:
    """A simulator with local storage and in-process hook tools."""
    with Simulator(seed=0, workdir=tmp_path) as simulator:
        yield simulator
