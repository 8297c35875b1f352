"""The example charms pass each version's interface tests, run by ``pytest-interface-tester``.

Two adaptations, both here and nowhere else:

- ``LocalInterfaceTester`` reads the specs from this repository's ``interfaces/`` folder: the
  tester itself only fetches them with a ``git clone`` of charm-relation-interfaces, and the specs
  under test are the ones in this tree. It also keeps the tester's bare-name imports of
  ``test_provider``/``test_requirer`` from finding this suite's modules of the same name.
- ``event_path_suffix``: ops-scenario 8.9 renamed ``_EventPath.suffix`` to ``python_suffix``, and
  pytest-interface-tester 3.4 still reads ``suffix`` when it points a test's event at the charm's
  endpoint. The fixture adds the old name back as an alias while a test runs.

The tester builds each test's state from the charm's ``state_template`` and takes only the
relations from the test's own state, so leadership is set here (the tests are about what the
leader writes); that a non-leader writes nothing is tested in the examples' unit tests.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import ops
import pytest
from interface_tester import InterfaceTester
from interface_tester.collector import InterfaceTestSpec, gather_test_spec_for_version
from ops import testing

from jujusim.compat import scenario_event_path

EventPath = scenario_event_path()
"""Scenario's parsed event name, which the tester reads (private: see ``jujusim.compat``)."""
ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "interfaces" / "k8s_service"
EXAMPLES = ("kfp-api", "dashboard")
TEST_MODULES = ("test_provider", "test_requirer")
"""The module names the tester imports from each version's ``interface_tests/``."""
CASES = {"kfp-api": 1, "dashboard": 2}
"""How many interface tests each version has for each example's role."""


class LocalInterfaceTester(InterfaceTester):
    """An ``InterfaceTester`` that reads the interface specs from this repository's tree."""

    def cases(self) -> int:
        """Return how many interface tests apply to the configured charm's role."""
        return sum(1 for _ in self._yield_tests())  # pyright: ignore[reportUnknownVariableType, reportUnknownMemberType]

    def _collect_interface_test_specs(self) -> InterfaceTestSpec:
        folder = SPEC / f"v{self._interface_version}"
        # The collector imports ``test_provider`` and ``test_requirer`` by bare name after
        # *appending* their folder to sys.path, so this suite's own tests/contract/test_provider.py
        # would be found first: put the spec's folder first and hide any module of those names.
        hidden = {name: sys.modules.pop(name) for name in TEST_MODULES if name in sys.modules}
        sys.path.insert(0, str(folder / "interface_tests"))
        try:
            return gather_test_spec_for_version(
                folder, interface_name="k8s-service", version=self._interface_version
            )
        finally:
            sys.path.remove(str(folder / "interface_tests"))
            sys.modules.update(hidden)


@pytest.fixture(autouse=True)
def event_path_suffix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give Scenario's ``_EventPath`` back the ``suffix`` the tester reads (``python_suffix``)."""
    if not hasattr(EventPath, "suffix"):
        monkeypatch.setattr(
            EventPath,
            "suffix",
            property(lambda path: path.python_suffix),
            raising=False,
        )


def example_charm(
    name: str, backend: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> type[ops.CharmBase]:
    """Load an example charm's ``src/charm.py`` afresh, importing from ``backend``."""
    path = ROOT / "examples" / name / "src" / "charm.py"
    spec = importlib.util.spec_from_file_location(f"example_{name.replace('-', '_')}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # ops.testing finds the charm's files so
    spec.loader.exec_module(module)
    # Each example switches backend with one import; point it at the backend under test.
    if hasattr(module, "k8s_service"):
        monkeypatch.setattr(module, "k8s_service", backend)
    else:
        monkeypatch.setattr(module, "K8sServiceProvider", backend.K8sServiceProvider)
    charms = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ops.CharmBase)
        and value is not ops.CharmBase
    ]
    assert len(charms) == 1
    return charms[0]


class TestInterfaceTests:
    """Each example charm, on each backend, passes every version's interface tests."""

    @pytest.mark.parametrize("version", [0, 1, 2])
    @pytest.mark.parametrize("example", EXAMPLES)
    def test_example_passes(
        self, backend: ModuleType, example: str, version: int, monkeypatch: pytest.MonkeyPatch
    ):
        """The tests of the charm's role in ``interfaces/k8s_service/v<N>/`` all pass."""
        tester = LocalInterfaceTester()
        tester.configure(
            charm_type=example_charm(example, backend, monkeypatch),
            interface_name="k8s-service",
            interface_version=version,
            state_template=testing.State(leader=True, model=testing.Model(name="kubeflow")),
        )

        cases = tester.cases()
        tester.run()  # raises InterfaceTestsFailed, listing each failed test

        assert cases == CASES[example]

    def test_shimmed_name_still_exists(self):
        """``_EventPath.python_suffix``, which the shim reads, is still what ops-scenario sets."""
        path = EventPath("k8s_service_relation_changed")

        assert path.python_suffix == "_relation_changed"
