"""Hostile relation data found by generated campaigns: one test class per finding.

Each bad bag sits beside a valid relation: the bad one is listed invalid with a short printable
reason, the valid one is still served, and no hook fails, on both backends and both sides.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from ops import testing

from k8s_service_interface import PROTOCOL, K8sService, Publication
from relation_protocol import clear_caches
from tests.helpers import (
    ENDPOINT,
    V0_DATA,
    ProviderCharm,
    RequirerCharm,
    expected_service,
    provider_relation,
    run_requirer,
)

Ctx = testing.Context[RequirerCharm]

REASON_LIMIT = 200
"""The longest reason (and the longest reason part of a log line) the spec allows."""

V2 = "- v0\n- v1\n- v2\n"
LONG = "A" * 60_000


def _v2(data: str) -> dict[str, str]:
    return {"_supported_versions": V2, "data": data}


def _serve(ctx: Ctx, bad_bag: dict[str, str]) -> tuple[tuple[K8sService, ...], list[str]]:
    """Run relation-changed for a bad relation beside a good one; return services and reasons."""
    good = provider_relation("good", V0_DATA, relation_id=1)
    bad = provider_relation("bad", bad_bag, relation_id=2)
    state = testing.State(relations={good, bad}, leader=True)

    result = run_requirer(ctx, ctx.on.relation_changed(bad, remote_unit=0), state)

    assert result.services is not None
    assert result.invalid is not None
    assert [invalid.relation_id for invalid in result.invalid] == [bad.id]
    assert result.services == (expected_service(good),)
    return result.services, [invalid.reason for invalid in result.invalid]


class TestTrailingNewline:
    """A value with a trailing newline is not the value without it."""

    @pytest.mark.parametrize(
        "bag",
        [
            pytest.param({"service-name": "web\n", "service-port": "1"}, id="v0-name"),
            pytest.param({"service-name": "web", "service-port": "8\n"}, id="v0-port"),
            pytest.param(
                {
                    "_supported_versions": "- v1\n",
                    "data": "service-name: |\n  web\nservice-port: '1'",
                },
                id="v1-block-scalar-name",
            ),
            pytest.param(
                {
                    "_supported_versions": "- v1\n",
                    "data": '{service-name: web, service-port: "8\\n"}',
                },
                id="v1-port",
            ),
            pytest.param(_v2('{name: web, port: 1, namespace: "ns\\n"}'), id="v2-namespace"),
            pytest.param(
                _v2('{name: web, port: 1, ports: [{name: "http\\n", port: 80}]}'),
                id="v2-port-name",
            ),
        ],
    )
    def test_requirer_rejects(self, requirer_ctx: Ctx, bag: dict[str, str]):
        """A name, namespace, port or port name ending in a newline makes the relation invalid."""
        _, reasons = _serve(requirer_ctx, bag)

        assert "\\n" in reasons[0]

    def test_provider_rejects(self):
        """The provider's own argument check refuses a name ending in a newline."""
        with pytest.raises(ValueError, match=r"service_name 'web\\n' is not a DNS name"):
            Publication("web\n", 1)


class TestBoundedReasons:
    """Every reason and log line built from remote data has a fixed maximum length."""

    @pytest.mark.parametrize(
        "bag",
        [
            pytest.param(
                _v2(f"{{name: web, port: 1, namespace: {'a' * 60_000}}}"), id="namespace"
            ),
            pytest.param(
                _v2(f"{{name: web, port: 1, ports: [{{name: {'a' * 60_000}, port: 80}}]}}"),
                id="port-name",
            ),
            pytest.param(
                _v2(f"{{name: w, port: 1, ports: [{{name: h, port: 1, protocol: {LONG}}}]}}"),
                id="protocol",
            ),
            pytest.param(
                {
                    "_supported_versions": "- v1\n",
                    "data": f"{{service-name: web, service-port: '{'9' * 60_000}'}}",
                },
                id="v1-service-port",
            ),
            pytest.param(_v2(f"!{'t' * 60_000} x"), id="yaml-tag"),
            pytest.param(_v2(f"*{'a' * 60_000}"), id="yaml-alias"),
            pytest.param(
                {"_supported_versions": yaml.safe_dump([f"v{n + 3}" for n in range(6000)])},
                id="unknown-versions",
            ),
        ],
    )
    def test_reason_and_log_line_are_short(self, requirer_ctx: Ctx, bag: dict[str, str]):
        """A 60 KB value yields a reason and a WARNING line of a few hundred characters at most."""
        _, reasons = _serve(requirer_ctx, bag)

        assert len(reasons[0]) <= REASON_LIMIT, reasons[0][:300]
        warnings = [line.message for line in requirer_ctx.juju_log if line.level == "WARNING"]
        assert len(warnings) == 1
        assert len(warnings[0]) <= REASON_LIMIT + 100


class TestNoControlCharacters:
    """A control character from remote data reaches a reason or the log only escaped."""

    @pytest.mark.parametrize(
        "bag",
        [
            pytest.param({"_supported_versions": '["v1\\n"]'}, id="versions-newline"),
            pytest.param({"_supported_versions": '["v9\\u001b[31m"]'}, id="versions-escape"),
            pytest.param({"service-name": "web\x1b[2J", "service-port": "1"}, id="v0-name"),
        ],
    )
    def test_reason_is_printable(self, requirer_ctx: Ctx, bag: dict[str, str]):
        """The reason and the WARNING line hold no raw control characters."""
        _, reasons = _serve(requirer_ctx, bag)

        assert reasons[0].isprintable(), repr(reasons[0])
        warnings = [line.message for line in requirer_ctx.juju_log if line.level == "WARNING"]
        assert len(warnings) == 1
        assert warnings[0].isprintable(), warnings


class TestVersionLists:
    """Unknown or malformed advertised versions are skipped while a known one remains."""

    @pytest.mark.parametrize(
        "advertised",
        [
            pytest.param("[v1234567, v1]", id="seven-digit-version"),
            pytest.param(f"[v{'9' * 5000}, v1]", id="five-thousand-digit-version"),
            pytest.param("[foo, v1]", id="not-a-version"),
            pytest.param("[3, null, {a: b}, v1]", id="not-strings"),
        ],
    )
    def test_valid_v1_is_served(self, requirer_ctx: Ctx, advertised: str):
        """A provider listing v1 among entries we do not know is served in v1."""
        data = "service-name: kfp-api.kubeflow\nservice-port: '8888'\n"
        relation = provider_relation("kfp", {"_supported_versions": advertised, "data": data})

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert result.invalid == ()
        assert result.services == (expected_service(relation),)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the start of every text a PyYAML loader is made for, with either loader."""
    seen: list[str] = []
    loaders = [yaml.SafeLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]
    for loader in loaders:
        original = loader.__init__

        def spy(self: object, stream: str, _original: object = original) -> None:
            seen.append(stream[:20])
            _original(self, stream)  # type: ignore[operator]

        monkeypatch.setattr(loader, "__init__", spy)
    return seen


class TestParseOncePerHook:
    """Remote YAML costs one bounded parse per hook, however often the charm reads."""

    def test_deep_nesting_is_parsed_once(self, requirer_ctx: Ctx, parses: list[str]):
        """3 KB of ``[`` is refused as nested too deeply, and ``data`` is parsed at most once."""
        _, reasons = _serve(requirer_ctx, _v2("[" * 3000 + "x"))

        assert reasons == ["data is not valid YAML (nested too deeply)"]
        assert len([text for text in parses if text.startswith("[[[")]) <= 1


def _merge_bomb() -> str:
    lines = ["a0: &a0 {k0: x}"]
    lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], k{i}: x}}" for i in range(1, 40)]
    return "\n".join(lines)


class TestMergeKeys:
    """YAML merge keys, the root of PyYAML's merge-key blow-up, are refused."""

    def test_merge_key_bomb_is_refused(self, requirer_ctx: Ctx):
        """A chain of ``<<:`` merges of aliases is refused before any merge is expanded."""
        _, reasons = _serve(requirer_ctx, _v2(_merge_bomb()))

        assert reasons == ["data is not valid YAML (it uses an alias)"]

    def test_inline_merge_key_is_refused(self, requirer_ctx: Ctx):
        """A merge key without any alias is refused too, naming it."""
        _, reasons = _serve(requirer_ctx, _v2("{<<: {name: web, port: 1}}"))

        assert reasons == ["data is not valid YAML (it uses a merge key <<)"]

    def test_dependency_floor_excludes_slow_pyyaml(self):
        """The package requires a PyYAML with the merge-key fix (6.0.4 or later)."""
        pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()

        assert re.findall(r'"PyYAML[^"]*"', pyproject) == ['"PyYAML>=6.0.4"']


class TestLoneSurrogate:
    """A lone surrogate, which no UTF-8 text can hold, is bad data and not a crash."""

    def test_provider_answers_with_advertisement_only(
        self, provider_ctx: testing.Context[ProviderCharm]
    ):
        """A requirer advertisement holding a lone surrogate gets no payload and no failure."""
        relation = testing.Relation(
            ENDPOINT,
            remote_app_name="dashboard",
            remote_app_data={"_supported_versions": "\ud800"},
        )

        state_out = provider_ctx.run(
            provider_ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert state_out.get_relation(relation.id).local_app_data == {
            "_supported_versions": "- v0\n- v1\n- v2\n"
        }

    def test_requirer_lists_it_invalid(self, requirer_ctx: Ctx):
        """A provider name holding a lone surrogate is listed invalid, saying so."""
        _, reasons = _serve(requirer_ctx, {"service-name": "web\ud800", "service-port": "1"})

        assert reasons == ["service-name is not valid text (it holds a lone surrogate)"]


class TestClearCaches:
    """``relation_protocol.clear_caches`` makes the next read start as a fresh process does."""

    def test_a_text_is_parsed_again_after_clearing(self, parses: list[str]):
        """A kept parse answers the second read; after ``clear_caches`` the text is read again."""
        bag = _v2("{name: kept-parse, port: 80}")  # a flow mapping: not the flat fast path

        for _ in range(2):
            PROTOCOL.read(bag)
        before = len([text for text in parses if text.startswith("{name: kept")])
        clear_caches()
        reading = PROTOCOL.read(bag)

        after = len([text for text in parses if text.startswith("{name: kept")])
        assert (before, after) == (1, 2)
        assert reading.version == "v2"
