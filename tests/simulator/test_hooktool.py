"""The compiled hook-tool client: built at run time, used in exec mode, a script without cc."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jujusim import Simulator, hooktool
from jujusim.hooktool import CLIENT_NAME, HookToolBuildError, build_client
from tests.simulator.charms import PROV_META, REQ_META, ProviderCharm, RequirerCharm


def _relate_and_settle(sim: Simulator) -> None:
    sim.add_app("prov", ProviderCharm, PROV_META)
    sim.add_app("req", RequirerCharm, REQ_META)
    sim.relate("prov", "k8s-service", "req", "k8s-service")
    records = sim.run_until_quiet()
    assert all(record.ok for record in records)
    assert any(record.tool_calls.get("relation-get") for record in records)


class TestCompiledClient:
    """Tests for the C client in exec mode."""

    @pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler on this machine")
    def test_exec_mode_runs_the_c_client(self, tmp_path: Path) -> None:
        """Exec mode links every tool name to the compiled client, and hooks succeed with it."""
        with Simulator(workdir=tmp_path, hook_tools="exec") as sim:
            assert sim.tool_client == CLIENT_NAME
            _relate_and_settle(sim)


class TestNoCompiler:
    """Tests for a machine without a C compiler."""

    @pytest.fixture
    def no_compiler(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An empty build cache and a compiler that does not exist."""
        monkeypatch.setattr(hooktool, "cache_dir", lambda: tmp_path / "cache")
        monkeypatch.setenv("CC", "no-such-cc")

    @pytest.mark.usefixtures("no_compiler")
    def test_build_says_what_is_missing(self) -> None:
        """Building without a compiler raises, naming what to install."""
        with pytest.raises(HookToolBuildError, match="no C compiler found"):
            build_client()

    @pytest.mark.usefixtures("no_compiler")
    def test_in_process_mode_needs_none(self, tmp_path: Path) -> None:
        """Tools answered in-process keep the script on PATH, so no compiler is needed."""
        with Simulator(workdir=tmp_path / "units") as sim:
            assert sim.tool_client == "_jujusim_tool"
            _relate_and_settle(sim)

    @pytest.mark.usefixtures("no_compiler")
    def test_exec_mode_falls_back_to_the_script(self, tmp_path: Path) -> None:
        """Without a compiler exec mode runs the script, which answers the same calls."""
        with Simulator(workdir=tmp_path / "units", hook_tools="exec") as sim:
            assert sim.tool_client == "_jujusim_tool"
            _relate_and_settle(sim)
