"""The private ops and Scenario symbols listed in ``jujusim.compat`` still exist."""

from __future__ import annotations

import subprocess

import pytest

from jujusim import compat


class TestPrivateSymbols:
    """Tests for jujusim.compat.PRIVATE_SYMBOLS."""

    @pytest.mark.parametrize("symbol", compat.PRIVATE_SYMBOLS, ids=lambda s: s.qualified)
    def test_symbol_resolves(self, symbol: compat.PrivateSymbol) -> None:
        """Each listed symbol resolves; a failure names it and why the project needs it."""
        try:
            symbol.resolve()
        except (ImportError, AttributeError) as error:
            pytest.fail(
                f"{symbol.qualified} moved in this ops/Scenario release: {error}. "
                f"It is needed because {symbol.why} Update jujusim/compat.py."
            )

    def test_missing_symbol_is_named(self) -> None:
        """A symbol that is not there is reported by its qualified name."""
        gone = compat.PrivateSymbol("ops.log", "_no_such_function", "a test.")
        assert gone.qualified == "ops.log._no_such_function"
        with pytest.raises(
            AttributeError, match=r"^module 'ops\.log' has no attribute '_no_such_function'$"
        ):
            gone.resolve()

    def test_hook_tool_modules_spawn_through_subprocess(self) -> None:
        """The modules whose ``subprocess`` jujusim replaces really use the subprocess module."""
        modules = compat.hook_tool_modules()
        assert [m.__name__ for m in modules] == list(compat.HOOK_TOOL_MODULES)
        assert all(m.subprocess is subprocess for m in modules)
