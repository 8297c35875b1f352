"""Render the k8s-service wire contract (schemas and example databags) from the library's code.

Run ``python interfaces/k8s_service/render.py`` after changing a schema;
``tests/test_interface_contract.py`` fails while the committed files differ from what this renders.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's root

from k8s_service_interface import PROTOCOL, Publication, ServicePort
from relation_protocol import Version

HERE = Path(__file__).resolve().parent

EXAMPLE = Publication(
    service_name="kfp-api",
    service_port=8888,
    namespace="kubeflow",
    ports=(ServicePort("grpc", 8887), ServicePort("http", 8888)),
)
"""The Service every example databag publishes."""


class _LiteralDumper(yaml.SafeDumper):
    """Dump multi-line strings as YAML block literals, as a person would write them."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(  # pyright: ignore[reportUnknownMemberType]
        "tag:yaml.org,2002:str", value, style=style
    )


_LiteralDumper.add_representer(str, _represent_str)


def example(version: Version) -> dict[str, dict[str, str]]:
    """Return the example databags of both sides for one version.

    Args:
        version: The protocol version.

    Returns:
        The provider's and the requirer's application databags, as Juju stores them.
    """
    provider = version.encode(EXAMPLE.payload(version))
    requirer: dict[str, str] = {}
    if version.number > 0:
        versions = {"_supported_versions": yaml.safe_dump([version.name])}
        provider = {**versions, **provider}
        requirer = versions
    return {"provider-application-databag": provider, "requirer-application-databag": requirer}


def rendered() -> dict[Path, str]:
    """Return every generated file's path and content."""
    files: dict[Path, str] = {}
    for version in PROTOCOL.versions:
        folder = HERE / version.name
        files[folder / "schema.json"] = json.dumps(version.databag_schema(), indent=2) + "\n"
        files[folder / "example.yaml"] = yaml.dump(
            example(version),
            Dumper=_LiteralDumper,
            sort_keys=False,
            default_flow_style=False,
            width=99,
        )
    return files


def main() -> None:
    """Write the generated files."""
    for path, text in rendered().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
