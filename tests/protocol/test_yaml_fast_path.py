"""The fast path of the remote YAML loader reads exactly what the full loader reads."""

from __future__ import annotations

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from relation_protocol._yaml import load_composed, load_flat

_WORDS = st.sampled_from(
    ["name", "port", "ports", "namespace", "service-name", "service-port", "yes", "no", "on",
     "off", "true", "false", "null", "y", "n", "svc1.ns", "kfp-api.kubeflow", "a-", "e3", "nan"]
)  # fmt: skip
_VALUES = st.one_of(
    _WORDS,
    st.integers(min_value=0, max_value=10**19).map(str),
    st.sampled_from(["[]", "[ ]", "0x1F90", "017620", "080", "2:14:40", "8_080", "+8080", "~"]),
    _WORDS.map(lambda word: f"'{word}'"),
    st.from_regex(r"[a-z0-9.'\[\]:#&*!-]{0,12}", fullmatch=True),
)
_LINES = st.tuples(_WORDS, _VALUES).map(lambda pair: f"{pair[0]}: {pair[1]}")
_TEXTS = st.lists(_LINES, min_size=1, max_size=6).map(lambda lines: "\n".join(lines) + "\n")
_YAML11_WORDS = ("yes", "no", "on", "off", "true", "false", "null", "y", "n")
_PLAIN_WORDS = _WORDS.filter(lambda word: word not in _YAML11_WORDS)
_DECIMALS = st.integers(min_value=0, max_value=10**18 - 1).map(str)
_FLAT_VALUES = st.one_of(
    _PLAIN_WORDS,
    _DECIMALS,
    st.just("[]"),
    _WORDS.map(lambda word: f"'{word}'"),
    _DECIMALS.map(lambda digits: f"'{digits}'"),
)
_FLAT_TEXTS = st.lists(
    st.tuples(_PLAIN_WORDS.filter(lambda word: "." not in word), _FLAT_VALUES),
    min_size=1,
    max_size=6,
    unique_by=lambda pair: pair[0],
).map(lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))
"""Texts of exactly the flat shape: distinct word keys, decimals, ``[]``, words, quoted words."""


class TestLoadFlat:
    """Tests for load_flat, the fast path of remote YAML."""

    @given(_TEXTS)
    @example("name: svc1.ns\nport: 8001\nports: []\n")
    @example("service-name: kfp-api.kubeflow\nservice-port: '8888'\n")
    @example("name: a\nname: b\n")
    @example("port: 080\n")
    def test_same_as_the_full_loader(self, text: str):
        """Whatever the fast path reads, PyYAML and the budgeted loader read the same."""
        flat = load_flat(text)
        if flat is None:
            return  # not the flat shape: the full loader alone decides
        assert flat == yaml.safe_load(text)
        assert load_composed(text) == (flat, None)

    @given(_FLAT_TEXTS)
    def test_flat_texts_take_the_fast_path(self, text: str):
        """Every text of the flat shape is read by the fast path, as PyYAML reads it."""
        flat = load_flat(text)

        assert flat is not None, text
        assert flat == yaml.safe_load(text)
        assert load_composed(text) == (flat, None)

    def test_reads_what_our_provider_writes(self):
        """The v2 and v1 payloads this library writes take the fast path."""
        assert load_flat("name: svc1.ns\nport: 8001\nports: []\n") == {
            "name": "svc1.ns",
            "port": 8001,
            "ports": [],
        }
        assert load_flat("service-name: kfp-api.kubeflow\nservice-port: '8888'\n") == {
            "service-name": "kfp-api.kubeflow",
            "service-port": "8888",
        }

    def test_leaves_the_rest_to_the_full_loader(self):
        """Repeated keys, YAML 1.1 words and other integer forms are not read by the fast path."""
        for text in ("name: a\nname: b\n", "on: a\n", "name: yes\n", "port: 0x1F90\n", "a: b"):
            assert load_flat(text) is None, text

    def test_line_count_within_the_budget(self):
        """A flat text with more lines than the node budget allows is left to the full loader."""
        text = "".join(f"k{n}: {n}\n" for n in range(500))
        assert load_flat(text) is None
        assert load_composed(text) == (None, "over 1000 nodes")
