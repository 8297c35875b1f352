"""Benchmark set-up: the run size, one case per test, and the models the cases share.

Cases that share a model (same charm, storage, wire, N and M) run one after the other, so only
one model is alive at a time: building the biggest (1000 relations of 10 units) takes a second.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reporting import BENCH_SIZES, BenchSize

from .cases import Case, ModelKey, cases
from .model import BenchModel


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--bench-size``."""
    parser.addoption(
        "--bench-size",
        choices=list(BENCH_SIZES),
        default="smoke",
        help="benchmark size: smoke (plain pytest), quick, default or full",
    )


def _size(config: pytest.Config) -> BenchSize:
    name = str(config.getoption("--bench-size"))
    return next(size for key, size in BENCH_SIZES.items() if key == name)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give a test taking ``case`` every case of the run size, in run order."""
    if "case" in metafunc.fixturenames:
        found = cases(_size(metafunc.config))
        metafunc.parametrize("case", found, ids=[str(case) for case in found])


class Models:
    """Hands out the model of a case, keeping only the latest one alive."""

    def __init__(self) -> None:
        self._model: tuple[ModelKey, BenchModel] | None = None

    def get(self, case: Case) -> BenchModel:
        """The case's model, the requirer's state built unless the case is a rebuild.

        Skips the case once the requirer's state cannot be built on its model (``unbuildable``).
        """
        if self._model is None or self._model[0] != case.model_key:
            self.close()
            self._model = (case.model_key, BenchModel(*case.model_key))
        model = self._model[1]
        if case.kind != "rebuild" and not model.is_primed and not model.unbuildable:
            model.prime()
        if model.unbuildable:
            pytest.skip(f"the requirer's state cannot be built: {model.unbuildable}")
        return model

    def close(self) -> None:
        """Close the live model, if any."""
        if self._model is not None:
            self._model[1].close()
            self._model = None


@pytest.fixture(scope="session")
def models() -> Iterator[Models]:
    """The session's model cache."""
    cache = Models()
    yield cache
    cache.close()


@pytest.fixture
def size(request: pytest.FixtureRequest) -> BenchSize:
    """The run size chosen with ``--bench-size``."""
    return _size(request.config)
