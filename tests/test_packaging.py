"""The built wheel installs alone in a clean virtual environment and is what charms import."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import interface_live
import interface_stored
from k8s_service_interface._version import __version__

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import importlib.metadata, importlib.util, json
import interface_live, interface_stored
dist = importlib.metadata.distribution("k8s-service-interface")
print(json.dumps({
    "versions": [interface_live.__version__, interface_stored.__version__, dist.version],
    "k8s_service": importlib.util.find_spec("k8s_service") is not None,
    "license": dist.metadata["License-Expression"],
    "license_file": any(str(path).endswith("licenses/LICENSE") for path in dist.files or ()),
    "top_level": sorted({str(path).split("/")[0] for path in dist.files or ()
                         if not str(path).split("/")[0].endswith(".dist-info")
                         and "/" in str(path)}),
}))
"""


class TestPackaging:
    """What ``pip install`` of the wheel gives a charm."""

    def test_both_packages_report_the_version(self):
        """``__version__`` is the same string in both backends, written in one place."""
        assert interface_live.__version__ == interface_stored.__version__ == __version__
        assert interface_live.__version__.count(".") == 2

    def test_wheel_installs_alone_in_a_clean_venv(self, tmp_path: Path):
        """The wheel's packages import and report ``__version__``; no ``k8s_service`` is there.

        The distribution's version is the one ``__version__`` says: pyproject reads it from
        ``k8s_service_interface/_version.py``.
        """
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, ROOT],
            check=True,
        )
        (wheel,) = tmp_path.glob("k8s_service_interface-*.whl")
        venv.create(tmp_path / "venv", with_pip=True)
        python = tmp_path / "venv" / "bin" / "python"
        subprocess.run([python, "-m", "pip", "install", "-q", wheel], check=True)

        probe = subprocess.run(
            [python, "-I", "-c", PROBE], check=True, capture_output=True, text=True, cwd=tmp_path
        )

        assert json.loads(probe.stdout) == {
            "versions": [__version__] * 3,
            "k8s_service": False,
            "license": "Apache-2.0",
            "license_file": True,
            "top_level": [
                "interface_live",
                "interface_stored",
                "k8s_service_interface",
                "relation_protocol",
            ],
        }
