"""Hypothesis strategies for k8s-service values and for untrusted relation data."""

from __future__ import annotations

from hypothesis import strategies as st

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
