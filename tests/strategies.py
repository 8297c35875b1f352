"""Hypothesis strategies for k8s-service values and for untrusted relation data."""

from __future__ import annotations

import attrs
import yaml
from hypothesis import strategies as st

from benchmarks.hostile import CORPUS
from k8s_service_interface import Publication, ServicePort
from k8s_service_interface._service import MAX_DNS_NAME
from k8s_service_interface._wire import V0, V1, V2
from relation_protocol import DATA_KEY, SUPPORTED_VERSIONS_KEY, Version

dns_labels = st.from_regex(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", fullmatch=True)
"""RFC 1123 labels, such as ``kubeflow`` or ``kfp-api``."""

dns_names = (
    st.lists(dns_labels, min_size=1, max_size=5)
    .map(".".join)
    .filter(lambda name: len(name) <= MAX_DNS_NAME)
)
"""DNS names: labels joined by dots, 253 characters at most."""

port_numbers = st.integers(min_value=1, max_value=65535)

port_names = st.from_regex(r"[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?", fullmatch=True).filter(
    lambda name: "--" not in name and any("a" <= ch <= "z" for ch in name)
)
"""Kubernetes port names (IANA service names): at least one letter, no ``--``."""

service_ports = st.builds(
    ServicePort,
    name=port_names,
    port=port_numbers,
    protocol=st.sampled_from(["TCP", "UDP", "SCTP"]),
)


@st.composite
def publications(draw: st.DrawFn) -> Publication:
    """Valid publications, with or without a namespace and named ports."""
    name = draw(dns_names)
    namespace = draw(st.none() | dns_labels)
    if namespace is not None and len(name) + 1 + len(namespace) > MAX_DNS_NAME:
        namespace = None
    ports = draw(st.lists(service_ports, max_size=4, unique_by=lambda port: port.name))
    return Publication(name, draw(port_numbers), namespace, tuple(ports))


versions: st.SearchStrategy[Version] = st.sampled_from([V0, V1, V2])
"""Every version of the k8s-service protocol."""

_PROTOCOL_KEYS = ["service-name", "service-port", SUPPORTED_VERSIONS_KEY, DATA_KEY]

_TELLING_VALUES = [
    "",
    "kfp-api.kubeflow",
    "8888",
    "0",
    "70000",
    "abc",
    "-1",
    "- v0\n",
    "- v1\n",
    "- v2\n",
    "- v0\n- v1\n- v2\n",
    "- v3\n",
    "v1",
    "[v1, 2]",
    "{service-name: kfp-api.kubeflow, service-port: '8888'}",
    "{service-name: kfp-api.kubeflow, service-port: 8888}",
    "{name: kfp-api, port: 8888, namespace: kubeflow, ports: [{name: http, port: 80}]}",
    "{name: kfp-api, port: 8888, ports: [{name: http, port: 80}, {name: http, port: 81}]}",
    "{name: kfp-api, port: 8888, ports: 3}",
    "[[[[[[[[[[",
    "a: &a [x]\nb: *a\nservice-name: *b",
    "!!python/object:os.system ls",
]

databag_keys = st.sampled_from(_PROTOCOL_KEYS) | st.text(min_size=1, max_size=12)
databag_values = st.sampled_from(_TELLING_VALUES) | st.text(max_size=40)

remote_databags = st.dictionaries(databag_keys, databag_values, max_size=6)
"""Arbitrary string-to-string databags, biased towards the protocol's keys and tricky values."""


# Hostile relation data: bags built from parts, each part kept beside the bag so that an
# independent oracle (tests/protocol/oracle.py) can say from the spec what a reader must see.

HOSTILE_TEXTS = CORPUS
"""The worst remote YAML known (the bench's corpus): each makes a relation invalid."""

_NAMES = [
    "kfp-api",
    "kfp-api.kubeflow",
    "web\n",
    "Web",
    "-web",
    "a" * 64,
    ".".join(["a" * 63] * 4),
    "a" * 60_000,
    "web\ud800",
    "",
    "0x1F",
]
_PORTS: list[object] = [8080, 1, 65535, 0, 65536, -1, "8080", True, None, 8.5, [80]]
_PORT_TEXTS = ["8080", "1", "65535", "080", "0", "65536", "8\n", "+80", "", "abc", "9" * 40]
_PORT_NAMES = ["http", "grpc", "h2c", "80", "a--b", "-a", "Http", "abcdefghijklmnop", "http\n"]
_ENTRIES: list[object] = ["v0", "v1", "v2", "v3", "v1234567", "v" + "9" * 500, "foo", "v1\n", 3]


@attrs.frozen
class ProviderBag:
    """A provider databag and the parts it was built from (``None``: the key is absent)."""

    advertised: list[object] | str | None
    """The advertised entries (dumped as YAML), a hostile text, or nothing."""

    flat: dict[str, str]
    """Flat keys: v0's, the mlops dialects', and unknown ones."""

    data: dict[str, object] | str | None
    """The payload mapping (dumped as YAML), a key of ``HOSTILE_TEXTS``, or nothing."""

    @property
    def bag(self) -> dict[str, str]:
        """The databag as Juju would hold it (no empty values)."""
        bag = {key: value for key, value in self.flat.items() if value}
        if isinstance(self.advertised, list):
            bag["_supported_versions"] = yaml.safe_dump(self.advertised)
        elif isinstance(self.advertised, str):
            bag["_supported_versions"] = HOSTILE_TEXTS[self.advertised]
        if isinstance(self.data, dict):
            bag["data"] = yaml.safe_dump(self.data)
        elif isinstance(self.data, str):
            bag["data"] = HOSTILE_TEXTS[self.data]
        return bag


_hostile = st.sampled_from(sorted(HOSTILE_TEXTS))
_port_entries = st.fixed_dictionaries(
    {"name": st.sampled_from(_PORT_NAMES) | port_names, "port": st.sampled_from(_PORTS)},
    optional={"protocol": st.sampled_from(["TCP", "UDP", "SCTP", "HTTP", "tcp"])},
)
_v2_payloads = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(_NAMES) | dns_names,
        "port": st.sampled_from(_PORTS) | port_numbers,
        "namespace": st.sampled_from([None, "kubeflow", "Kubeflow", "a" * 64, "ns\n"])
        | dns_labels,
        "ports": st.none() | st.lists(_port_entries, max_size=3),
    },
)
_v1_payloads = st.fixed_dictionaries(
    {},
    optional={
        "service-name": st.sampled_from(_NAMES) | dns_names,
        "service-port": st.sampled_from(_PORT_TEXTS) | st.sampled_from(_PORTS),
    },
)
_flat = st.fixed_dictionaries(
    {},
    optional={
        "service-name": st.sampled_from(_NAMES),
        "service-port": st.sampled_from(_PORT_TEXTS),
        "name": st.sampled_from(_NAMES),
        "port": st.sampled_from(_PORT_TEXTS),
        "svc_name": st.sampled_from(_NAMES),
        "svc_port": st.sampled_from(_PORT_TEXTS),
        "egress-subnets": st.just("10.0.0.0/24"),
        "other-key": st.sampled_from(["x", ""]),
        "x\n\ud800" * 20: st.just("y"),
    },
)

_built_bags = st.builds(
    ProviderBag,
    advertised=st.none() | st.lists(st.sampled_from(_ENTRIES), max_size=4) | _hostile,
    flat=_flat,
    data=st.none() | _v1_payloads | _v2_payloads | _hostile,
)

_BAD_VALUES: list[object] = [*_NAMES, *_PORTS, *_PORT_TEXTS, *_PORT_NAMES]


@st.composite
def _near_valid_bags(draw: st.DrawFn) -> ProviderBag:
    """A valid publication in one version, with at most one value swapped for a bad one."""
    publication = draw(publications())
    version = draw(st.sampled_from(["v0", "v1", "v2", "mlops"]))
    flat: dict[str, str] = {}
    data: dict[str, object] | None = None
    if version == "v2":
        data = {"name": publication.service_name, "port": publication.service_port}
        if publication.namespace is not None:
            data["namespace"] = publication.namespace
        data["ports"] = [
            {"name": port.name, "port": port.port, "protocol": port.protocol}
            for port in publication.ports
        ]
    elif version == "v1":
        data = {
            "service-name": publication.full_name,
            "service-port": str(publication.service_port),
        }
    elif version == "v0":
        flat = {
            "service-name": publication.full_name,
            "service-port": str(publication.service_port),
        }
    else:
        flat = {"name": publication.full_name, "port": str(publication.service_port)}
    if draw(st.booleans()):
        value = draw(st.sampled_from(_BAD_VALUES))
        if data is None:
            flat[draw(st.sampled_from(sorted(flat)))] = str(value)
        else:
            data[draw(st.sampled_from(sorted(data)))] = value
    advertised: list[object] | None = None
    if version in ("v1", "v2"):
        advertised = list[object](["v0", "v1", "v2"][: int(version[1]) + 1])
    return ProviderBag(advertised=advertised, flat=flat, data=data)


provider_bags = _built_bags | _near_valid_bags()
"""Hostile provider databags: protocol keys with values on both sides of every rule."""

requirer_advertisements = st.none() | st.lists(st.sampled_from(_ENTRIES), max_size=4) | _hostile
"""What a hostile requirer may advertise (as in ``ProviderBag.advertised``)."""
