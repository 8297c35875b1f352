"""The written wire contract in ``interfaces/k8s_service/`` matches the code that speaks it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from interface_tester.collector import get_schemas
from pydantic import ValidationError

from k8s_service_interface import PROTOCOL, build_view
from k8s_service_interface._view import ProviderRecord

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "interfaces" / "k8s_service"


def _render_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("interface_render", SPEC / "render.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestInterfaceContract:
    """Each ``v<N>/`` folder holds what ``render.py`` renders from the schemas."""

    def test_given_committed_contract_when_rendered_again_then_files_are_identical(self):
        """Every schema and example on disk is exactly what the code renders today."""
        rendered: dict[Path, str] = _render_module().rendered()

        assert {path.parent.name for path in rendered} == set(PROTOCOL.supported)
        for path, text in rendered.items():
            assert path.read_text() == text, f"{path.relative_to(ROOT)} is stale: re-render it"

    def test_given_each_version_example_when_requirer_reads_it_then_service_is_served(self):
        """Each version's example provider databag parses to the example Service."""
        for version in PROTOCOL.supported:
            example = yaml.safe_load((SPEC / version / "example.yaml").read_text())
            databag = example["provider-application-databag"]

            view = build_view([ProviderRecord(7, "kfp-api", databag)])

            assert view.invalid == ()
            assert [(svc.name, svc.port) for svc in view.services] == [("kfp-api.kubeflow", 8888)]

    def test_given_each_version_schema_then_it_lists_the_keys_the_code_writes(self):
        """The schema's properties are the keys the provider writes in that version."""
        for version in PROTOCOL.versions:
            schema = json.loads((SPEC / version.name / "schema.json").read_text())
            example = yaml.safe_load((SPEC / version.name / "example.yaml").read_text())

            assert set(example["provider-application-databag"]) <= set(schema["properties"])
            assert set(version.keys) <= set(schema["properties"])

    def test_given_each_version_examples_then_the_interface_tester_schemas_accept_them(self):
        """``schema.py`` (read by pytest-interface-tester) accepts the example databags."""
        for version in PROTOCOL.versions:
            folder = SPEC / version.name
            schemas = get_schemas(folder / "schema.py")
            example = yaml.safe_load((folder / "example.yaml").read_text())

            provider = schemas["provider"].model_validate(
                {"app": example["provider-application-databag"]}
            )
            schemas["requirer"].model_validate({"app": example["requirer-application-databag"]})

            assert provider.app is not None
            fields = type(provider.app).model_fields.values()
            assert {
                field.alias or name for name, field in type(provider.app).model_fields.items()
            } >= set(version.keys)
            assert len(fields) == len(version.keys) + (version.number > 0)

    def test_given_a_v0_schema_then_a_bad_port_is_refused(self):
        """The interface tester's v0 schema refuses what the library refuses: a port over 65535."""
        schema = get_schemas(SPEC / "v0" / "schema.py")["provider"]

        only_the_port_pattern = (
            r"^1 validation error .*\napp\.service-port\n\s+String should match pattern"
        )
        with pytest.raises(ValidationError, match=only_the_port_pattern):
            schema.model_validate({"app": {"service-name": "kfp-api", "service-port": "65536"}})
