"""Untrusted remote data: each bad input makes one relation invalid, never a hook fail."""

from __future__ import annotations

import re

import pytest
from ops import testing

from tests.helpers import (
    ENDPOINT,
    V0_DATA,
    ProviderCharm,
    RequirerCharm,
    established,
    expected_service,
    provider_relation,
    run_requirer,
    updated,
)

Ctx = testing.Context[RequirerCharm]

V1_ADVERTISED = {"_supported_versions": "- v1\n"}
OVER_64_KIB = 70_000
DEEP = 1000
"""Flow nesting deeper than PyYAML can compose within Python's default recursion limit."""


def _billion_laughs() -> str:
    """YAML whose aliases expand to 9**8 strings: tiny on the wire, huge if walked in full."""
    lines = ['l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join([*lines, "service-name: *l8", "service-port: '8888'"])


BAD_INPUTS = [
    pytest.param(
        {**V1_ADVERTISED, "data": "service-name: [unclosed"},
        r"data is not valid YAML \(.+\)",
        id="malformed-yaml",
    ),
    pytest.param(
        {**V1_ADVERTISED, "data": "- service-name\n- service-port\n"},
        r"data is not a YAML mapping",
        id="data-not-a-mapping",
    ),
    pytest.param(
        {"_supported_versions": "v1", **V0_DATA},
        r"_supported_versions 'v1' is not a YAML list of versions like \[v0, v1\]",
        id="versions-not-a-list",
    ),
    pytest.param(
        {"_supported_versions": "{v1: yes}", **V0_DATA},
        r"_supported_versions '\{v1: yes\}' is not a YAML list of versions like \[v0, v1\]",
        id="versions-a-mapping",
    ),
    pytest.param(
        {"_supported_versions": "- 1\n- 2\n", **V0_DATA},
        r"no common protocol version: we support \[v0, v1, v2\], remote supports \[\]",
        id="versions-not-names",
    ),
    pytest.param(
        {"_supported_versions": "- v3\n", "data": "{}"},
        r"no common protocol version: we support \[v0, v1, v2\], remote supports \[v3\]",
        id="unknown-versions-only",
    ),
    pytest.param(
        {"service-name": "a" * OVER_64_KIB, "service-port": "8888"},
        r"service-name is over the 65536-byte limit",
        id="huge-flat-value",
    ),
    pytest.param(
        {**V1_ADVERTISED, "data": "service-name: " + "a" * OVER_64_KIB},
        r"data is over the 65536-byte limit",
        id="huge-data",
    ),
    pytest.param(
        {"_supported_versions": "- v1\n" * (OVER_64_KIB // 5), **V0_DATA},
        r"_supported_versions is over the 65536-byte limit",
        id="huge-versions",
    ),
    pytest.param(
        {**V1_ADVERTISED, "data": "[" * DEEP},
        r"data is not valid YAML \(nested too deeply\)",
        id="deeply-nested-data",
    ),
    pytest.param(
        {"_supported_versions": "[" * DEEP, **V0_DATA},
        r"_supported_versions '\[{57}\.\.\.' is not a YAML list of versions like \[v0, v1\]",
        id="deeply-nested-versions",
    ),
    pytest.param(
        {"_supported_versions": "- " + "9" * 5000, **V0_DATA},
        r"_supported_versions '- 9{55}\.\.\.' is not a YAML list of versions like \[v0, v1\]",
        id="integer-too-long-for-python",
    ),
    pytest.param(
        {**V1_ADVERTISED, "data": "service-name: kfp-api\nservice-port: " + "9" * 5000},
        r"data is not valid YAML \(a value out of range\)",
        id="integer-too-long-in-data",
    ),
    pytest.param(
        {**V1_ADVERTISED, "data": _billion_laughs()},
        r"data is not valid YAML \(it uses an alias\)",
        id="billion-laughs",
    ),
    pytest.param(
        {"service-name": "kfp-api.kubeflow", "service-port": "9" * 5000},
        r"service-port '9{57}\.\.\.' is not an integer",
        id="long-bad-port",
    ),
]


class TestBadProviderData:
    """Bad provider data, with a valid relation beside it, through our requirer."""

    @pytest.mark.parametrize(("data", "reason"), BAD_INPUTS)
    def test_given_valid_relation_when_other_provider_sends_bad_data_then_clear_reason(
        self, requirer_ctx: Ctx, data: dict[str, str], reason: str
    ):
        """The bad relation is reported with a clear reason; the good one is still served."""
        good = provider_relation("good", V0_DATA)
        bad = provider_relation("bad", {})
        state = established(requirer_ctx, good, bad)
        state, bad_now = updated(state, bad, remote_app_data=data)

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(bad_now, remote_unit=0), state
        )

        assert result.services == (expected_service(good),)
        assert result.invalid is not None
        assert [(invalid.relation_id, invalid.app) for invalid in result.invalid] == [
            (bad.id, "bad")
        ]
        assert re.fullmatch(reason, result.invalid[0].reason), result.invalid[0].reason
        assert len(result.invalid[0].reason) < 200
        assert result.changes == ()


class TestBadRequirerData:
    """A bad advertisement from a requirer never makes our provider's hook fail."""

    @pytest.mark.parametrize(
        "advertisement",
        [
            pytest.param("v1", id="not-a-list"),
            pytest.param("- v3\n", id="unknown-versions-only"),
            pytest.param("[" * DEEP, id="deeply-nested"),
            pytest.param("- " + "9" * 5000, id="integer-too-long-for-python"),
            pytest.param("- v1\n" * (OVER_64_KIB // 5), id="huge"),
        ],
    )
    def test_given_bad_advertisement_when_provider_answers_then_no_payload_and_no_failure(
        self, provider_ctx: testing.Context[ProviderCharm], advertisement: str
    ):
        """With no version to agree on, the provider publishes only its own advertisement."""
        relation = testing.Relation(
            ENDPOINT,
            remote_app_name="dashboard",
            remote_app_data={"_supported_versions": advertisement},
        )

        state_out = provider_ctx.run(
            provider_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert state_out.get_relation(relation.id).local_app_data == {
            "_supported_versions": "- v0\n- v1\n- v2\n"
        }
