"""Every contact the project has with private parts of ops and Scenario, in one place.

The simulator runs the real ``ops.main`` in-process, which needs a few things ops does not offer
publicly; the tests need one private Scenario type. Each such contact is listed in
``PRIVATE_SYMBOLS`` with why it is needed, reached only through this module, and checked by
``tests/simulator/test_compat.py``, which fails naming the symbol when an ops or Scenario release
moves it. Everything else in the repository uses public names only (pyright's
``reportPrivateUsage`` is on).

When ops moves one of these: find its new home in the ops source, update the symbol's entry and
the function below that uses it, and run the compat test.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, TypeAlias

import attrs
import ops.log

if TYPE_CHECKING:
    # Scenario's type for what ``Context.on.<event>(...)`` returns; it has no public name.
    # Imported for type checking only (import it under TYPE_CHECKING too): the simulator does
    # not depend on Scenario at run time.
    from scenario.state import _Event  # pyright: ignore[reportPrivateUsage]

    ScenarioEvent: TypeAlias = _Event


@attrs.frozen
class PrivateSymbol:
    """A private name of ops or Scenario that this project relies on."""

    module: str
    """The dotted module that holds it."""
    name: str
    """The attribute of the module (dotted for a class member)."""
    why: str
    """What it is needed for, and what breaks without it."""

    @property
    def qualified(self) -> str:
        """``module.name``, as it appears in error messages."""
        return f"{self.module}.{self.name}"

    def resolve(self) -> object:
        """Import the module and walk to the symbol.

        Raises:
            ImportError: if the module is gone.
            AttributeError: if the symbol is gone.
        """
        found: object = importlib.import_module(self.module)
        for part in self.name.split("."):
            found = getattr(found, part)
        return found


PRIVATE_SYMBOLS: tuple[PrivateSymbol, ...] = (
    PrivateSymbol(
        "ops.hookcmds._utils",
        "subprocess",
        "ops.hookcmds runs every hook tool (relation-get, is-leader, ...) with this module's "
        "subprocess.run; the in-process mode of jujusim replaces it for one dispatch to answer "
        "the tools without spawning a process (the exec mode needs nothing private).",
    ),
    PrivateSymbol(
        "ops.storage",
        "subprocess",
        "JujuStorage runs state-get/state-set/state-delete with it; replaced like the above "
        "(the module is public, the attribute is its import of subprocess).",
    ),
    PrivateSymbol(
        "ops.log",
        "_get_juju_log_and_app_id.cache_clear",
        "ops caches the security-log backend of the first dispatch for the whole process; "
        "jujusim runs many dispatches in one process, so it clears the cache around each one, "
        "or security events of later hooks would go to the first hook's unit.",
    ),
    PrivateSymbol(
        "scenario.state",
        "_EventPath",
        "pytest-interface-tester 3.4 reads _EventPath.suffix, which ops-scenario 8.9 renamed "
        "python_suffix; the interface-test harness (tests/contract/test_interface_tests.py) "
        "gives the old name back for the length of each test.",
    ),
    PrivateSymbol(
        "scenario.state",
        "_Event",
        "the type of Context.on.<event>(...); test helpers that take an event are annotated "
        "with it (as ScenarioEvent, for type checking only).",
    ),
)
"""Every private symbol of ops and Scenario used in the repository, and why."""

HOOK_TOOL_MODULES = tuple(s.module for s in PRIVATE_SYMBOLS if s.name == "subprocess")
"""The ops modules that spawn hook tools through their module attribute ``subprocess``."""


def hook_tool_modules() -> list[ModuleType]:
    """The ops modules whose ``subprocess`` attribute jujusim replaces during a dispatch.

    Replacing it raises ``AttributeError`` naming the module if one no longer has it.
    """
    return [importlib.import_module(name) for name in HOOK_TOOL_MODULES]


def clear_security_log_cache() -> None:
    """Forget the security-log backend ops cached for the previous dispatch.

    Fails loudly (``AttributeError``) if ops renames the function, rather than silently leaving
    the cache in place.
    """
    # Private: ops has no public way to reset a cache that assumes one dispatch per process.
    ops.log._get_juju_log_and_app_id.cache_clear()  # pyright: ignore[reportPrivateUsage]


def scenario_event_path() -> type:
    """Scenario's class for a parsed event name (``_EventPath``), which has no public name.

    Raises:
        ImportError: If Scenario is not installed, or the class is gone (see ``PRIVATE_SYMBOLS``).
    """
    # Private: imported here, not at the top, because the simulator does not need Scenario.
    from scenario.state import _EventPath  # pyright: ignore[reportPrivateUsage]

    return _EventPath
