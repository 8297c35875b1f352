"""Every docstring example in the library runs, and the README's and the guide's charms work."""

from __future__ import annotations

import contextlib
import doctest
import importlib
import inspect
import io
import pkgutil
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import ops
import pytest
import yaml
from ops import testing
from packaging.requirements import Requirement

from k8s_service_interface import K8sService
from k8s_service_interface._version import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("k8s_service_interface", "interface_live", "interface_stored", "relation_protocol")
BACKENDS = ("interface_live", "interface_stored")

WITH_EXAMPLES = frozenset(
    {
        "k8s_service_interface._endpoint",
        "k8s_service_interface._events",
        "k8s_service_interface._provider",
        "k8s_service_interface._requirer",
        "k8s_service_interface._service",
        "k8s_service_interface._testing",
        "k8s_service_interface._view",
        "k8s_service_interface._wire",
        "interface_live._requirer",
        "interface_live.testing",
        "interface_stored._requirer",
        "interface_stored.testing",
        "relation_protocol",
        "relation_protocol._errors",
        "relation_protocol._protocol",
        "relation_protocol._schema",
    }
)
"""Modules whose docstrings carry runnable examples: each must run at least one."""


def _blocks(path: Path, language: str) -> list[str]:
    """Return a document's fenced code blocks of one language, in order."""
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(), flags=re.DOTALL)


README = ROOT / "README.md"
_ENDPOINTS = [yaml.safe_load(block) for block in _blocks(README, "yaml")]
PROVIDER_META: dict[str, Any] = {"name": "kfp-api", **_ENDPOINTS[0]}
"""The README's provider ``charmcraft.yaml`` snippet, as the provider charm's metadata."""
REQUIRER_META: dict[str, Any] = {"name": "dashboard", **_ENDPOINTS[1]}
"""The README's requirer ``charmcraft.yaml`` snippet, as the requirer charm's metadata."""
ADVERTISEMENT = {"_supported_versions": "- v0\n- v1\n- v2\n"}
"""What a requirer of this library advertises, so that the provider answers in v2."""


def _modules() -> list[str]:
    names: list[str] = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        names.append(package_name)
        names += [
            info.name for info in pkgutil.walk_packages(package.__path__, f"{package_name}.")
        ]
    return names


def _public_objects() -> dict[str, object]:
    """Return every public class and function, by the package that exports it first."""
    found: dict[str, object] = {}
    seen: set[int] = set()
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for name in package.__all__:
            value = getattr(package, name)
            if (inspect.isclass(value) or inspect.isfunction(value)) and id(value) not in seen:
                seen.add(id(value))
                found[f"{package_name}.{name}"] = value
    return found


def _charm_blocks(path: Path, backend: str) -> list[str]:
    """Return a document's ```python blocks that define charms, importing from the backend."""
    return [
        block.replace("from interface_live import", f"from {backend} import")
        for block in _blocks(path, "python")
        if "(ops.CharmBase):" in block
    ]


def _charm_classes(path: Path, backend: str) -> dict[str, Any]:
    """Run a document's charm blocks with the backend's import; return what they define."""
    namespace: dict[str, Any] = {}
    for source in _charm_blocks(path, backend):
        exec(compile(source, str(path), "exec"), namespace)
    return namespace


class TestDocstringExamples:
    """The examples in the library's docstrings run as written."""

    @pytest.mark.parametrize("name", _modules())
    def test_given_a_library_module_when_its_doctests_run_then_none_fails(self, name: str):
        """Every example in the module passes, and modules known to have examples run some."""
        module: ModuleType = importlib.import_module(name)
        output = io.StringIO()

        with contextlib.redirect_stdout(output):
            results = doctest.testmod(module, optionflags=doctest.ELLIPSIS)

        assert results.failed == 0, output.getvalue()
        if name in WITH_EXAMPLES:
            assert results.attempted > 0, f"{name} was expected to have examples"

    def test_given_the_public_names_when_docstrings_are_read_then_each_has_an_example(self):
        """Each public class and function has its own example, which its module's doctests run."""
        finder = doctest.DocTestFinder(recurse=False)
        missing = {
            name
            for name, value in _public_objects().items()
            if not any(test.examples for test in finder.find(value, name))
        }

        assert missing == set()


@pytest.mark.parametrize("backend", BACKENDS)
class TestReadmeExamples:
    """The README's provider and requirer charms work together, through either backend."""

    def test_given_readme_provider_when_related_then_leader_publishes_v0_to_an_old_requirer(
        self, backend: str
    ):
        """The provider example's leader writes v0 to a requirer that advertises no version."""
        charms = _charm_classes(ROOT / "README.md", backend)
        ctx = testing.Context(charms["KfpApiCharm"], meta=PROVIDER_META)
        relation = testing.Relation("k8s-service", remote_app_name="dashboard")

        state = ctx.run(
            ctx.on.relation_created(relation), testing.State(relations={relation}, leader=True)
        )

        published = state.get_relation(relation.id).local_app_data
        assert published["service-name"] == "kfp-api.kubeflow"
        assert published["service-port"] == "8888"

    @pytest.mark.parametrize("advertised", [{}, ADVERTISEMENT], ids=["v0", "v2"])
    def test_given_readme_provider_data_when_readme_requirer_sees_it_then_it_reads_the_service(
        self, backend: str, advertised: dict[str, str], capsys: pytest.CaptureFixture[str]
    ):
        """What the provider example publishes is the service the requirer example prints."""
        charms = _charm_classes(ROOT / "README.md", backend)
        provider_ctx = testing.Context(charms["KfpApiCharm"], meta=PROVIDER_META)
        to_requirer = testing.Relation(
            "k8s-service", remote_app_name="dashboard", remote_app_data=dict(advertised)
        )
        provided = provider_ctx.run(
            provider_ctx.on.relation_changed(to_requirer),
            testing.State(relations={to_requirer}, leader=True),
        )
        published = dict(provided.get_relation(to_requirer.id).local_app_data)
        ctx = testing.Context(charms["DashboardCharm"], meta=REQUIRER_META)
        relation = testing.Relation(
            "k8s-service", remote_app_name="kfp-api", remote_app_data=published
        )

        with ctx(ctx.on.relation_changed(relation), testing.State(relations={relation})) as mgr:
            mgr.run()
            services = mgr.charm.kfp.services

        assert ("data" in published) == bool(advertised)  # v2 once the requirer advertised
        assert services == (K8sService("kfp-api.kubeflow", 8888, relation.id, "kfp-api"),)
        assert "http://kfp-api.kubeflow:8888" in capsys.readouterr().out

    def test_given_bad_provider_data_when_readme_requirer_runs_then_it_prints_the_reason(
        self, backend: str, capsys: pytest.CaptureFixture[str]
    ):
        """The requirer example lists an invalid relation with its reason, beside a valid one."""
        charms = _charm_classes(ROOT / "README.md", backend)
        ctx = testing.Context(charms["DashboardCharm"], meta=REQUIRER_META)
        good = testing.Relation(
            "k8s-service",
            remote_app_name="kfp-api",
            remote_app_data={"service-name": "kfp-api.kubeflow", "service-port": "8888"},
        )
        bad = testing.Relation(
            "k8s-service",
            remote_app_name="broken",
            remote_app_data={"service-name": "broken", "service-port": "abc"},
        )

        ctx.run(ctx.on.relation_changed(bad), testing.State(relations={good, bad}))

        printed = capsys.readouterr().out
        assert "http://kfp-api.kubeflow:8888" in printed
        assert f"relation {bad.id} (broken): service-port 'abc' is not an integer" in printed


@pytest.mark.parametrize("backend", BACKENDS)
class TestGuideExample:
    """The charm in ``docs/choosing-a-backend.md`` works through either backend."""

    def test_given_a_provider_when_guide_charm_sees_it_then_it_configures_and_is_active(
        self, backend: str
    ):
        """The guide's charm turns the service into a backend address and goes active."""
        charm_class = _charm_classes(ROOT / "docs" / "choosing-a-backend.md", backend)[
            "ProxyCharm"
        ]
        ctx = testing.Context(
            charm_class,
            meta={"name": "proxy", "requires": {"upstreams": {"interface": "k8s-service"}}},
        )
        relation = testing.Relation(
            "upstreams",
            remote_app_name="kfp-api",
            remote_app_data={"service-name": "kfp-api.kubeflow", "service-port": "8888"},
        )

        with ctx(ctx.on.relation_changed(relation), testing.State(relations={relation})) as mgr:
            state = mgr.run()
            backends = mgr.charm.backends

        assert backends == ["kfp-api.kubeflow:8888"]
        assert state.unit_status == ops.ActiveStatus()

    def test_given_bad_provider_data_when_guide_charm_runs_then_it_is_blocked(self, backend: str):
        """The guide's charm blocks, naming the provider whose data is invalid."""
        charm_class = _charm_classes(ROOT / "docs" / "choosing-a-backend.md", backend)[
            "ProxyCharm"
        ]
        ctx = testing.Context(
            charm_class,
            meta={"name": "proxy", "requires": {"upstreams": {"interface": "k8s-service"}}},
        )
        good = testing.Relation(
            "upstreams",
            remote_app_name="kfp-api",
            remote_app_data={"service-name": "kfp-api.kubeflow", "service-port": "8888"},
        )
        bad = testing.Relation(
            "upstreams",
            remote_app_name="broken",
            remote_app_data={"service-name": "broken", "service-port": "0"},
        )

        state = ctx.run(ctx.on.relation_changed(good), testing.State(relations={good, bad}))

        assert state.unit_status == ops.BlockedStatus("invalid k8s-service data from broken")


class TestReadmeForCharmAuthors:
    """The README's first sections work as a charm author copies them."""

    def test_requirement_line_accepts_this_version(self):
        """The ``requirements.txt`` line names this distribution and admits its version."""
        (block,) = _blocks(README, "text")
        requirement = Requirement(block.strip())

        assert requirement.name == "k8s-service-interface"
        assert requirement.specifier.contains(__version__)

    def test_endpoint_snippets_declare_each_role(self):
        """The two ``charmcraft.yaml`` snippets declare the endpoint under each role."""
        assert _ENDPOINTS == [
            {"provides": {"k8s-service": {"interface": "k8s-service"}}},
            {"requires": {"k8s-service": {"interface": "k8s-service"}}},
        ]

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_testing_snippet_passes_in_a_charm_layout(
        self,
        backend: str,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ):
        """The unit-test snippet passes against the requirer snippet laid out as a charm."""
        (requirer,) = [block for block in _charm_blocks(README, backend) if "Requirer" in block]
        (test,) = [block for block in _blocks(README, "python") if "def test_" in block]
        charmcraft = {"type": "charm", "summary": "s", "description": "d", **REQUIRER_META}
        (tmp_path / "charmcraft.yaml").write_text(yaml.safe_dump(charmcraft))
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "charm.py").write_text(requirer)
        monkeypatch.setattr(sys, "path", [str(tmp_path / "src"), *sys.path])
        monkeypatch.delitem(sys.modules, "charm", raising=False)
        namespace: dict[str, Any] = {}
        source = test.replace("from interface_live.testing", f"from {backend}.testing")
        exec(compile(source, str(README), "exec"), namespace)

        namespace["test_dashboard_prints_the_kfp_api_url"](capsys)

        assert sys.modules["charm"].__file__ == str(tmp_path / "src" / "charm.py")

    def test_ci_runs_the_readme_test_command(self):
        """``.ci/run`` runs the README's test command exactly, and the bench command matches it."""
        (block,) = _blocks(README, "sh")
        commands = [line.split("   #")[0].strip() for line in block.splitlines()]
        ci = (ROOT / ".ci" / "run").read_text().splitlines()

        assert commands[1] in ci
        assert commands[0] == commands[1].replace("-s tests", "-s bench")
        assert commands[1].startswith("python3 -m venv .venv && .venv/bin/python -m pip install")
