"""Generated hostile bags on both sides and both backends, checked against a spec oracle."""

from __future__ import annotations

from types import ModuleType

import yaml
from hypothesis import given
from ops import testing

from relation_protocol import MAX_REASON_LENGTH
from tests.helpers import (
    ENDPOINT,
    PROVIDER_META,
    REQUIRER_META,
    V0_DATA,
    expected_service,
    provider_charm,
    provider_relation,
    requirer_charm,
    run_requirer,
)
from tests.protocol.oracle import agreed, expected
from tests.strategies import HOSTILE_TEXTS, ProviderBag, provider_bags, requirer_advertisements


class TestRequirerReadingHostileProviders:
    """The requirer's view of a hostile provider is what the spec says, beside a valid one."""

    @given(provider=provider_bags)
    def test_view_matches_oracle(self, backend: ModuleType, provider: ProviderBag):
        """No hook fails; the bad relation is what the oracle says; the good one is served."""
        ctx = testing.Context(requirer_charm(backend), meta=REQUIRER_META)
        good = provider_relation("good", V0_DATA, relation_id=1)
        hostile = provider_relation("hostile", provider.bag, relation_id=2)
        state = testing.State(relations={good, hostile}, leader=True)

        changed = run_requirer(ctx, ctx.on.relation_changed(hostile, remote_unit=0), state)
        later = run_requirer(ctx, ctx.on.update_status(), changed.state)

        want = expected(provider)
        assert later.services is not None
        assert later.invalid is not None
        assert later.services[0] == expected_service(good)
        served = [svc for svc in later.services if svc.relation_id == hostile.id]
        listed = [bad for bad in later.invalid if bad.relation_id == hostile.id]
        if want.outcome == "service":
            assert listed == []
            assert [(s.name, s.port, s.namespace) for s in served] == [
                (want.name, want.port, want.namespace)
            ]
            assert [(p.name, p.port, p.protocol) for p in served[0].ports] == list(want.ports)
        elif want.outcome == "invalid":
            assert served == []
            assert len(listed) == 1
            assert len(listed[0].reason) <= MAX_REASON_LENGTH
            assert listed[0].reason.isprintable()
        else:
            assert (served, listed) == ([], [])
        assert (later.services, later.invalid) == (changed.services, changed.invalid)
        warnings = [line.message for line in ctx.juju_log if line.level == "WARNING"]
        assert all(line.isprintable() and len(line) < 400 for line in warnings)


class TestProviderReadingHostileRequirers:
    """The provider answers any requirer advertisement in the version the spec says, or not."""

    @given(advertised=requirer_advertisements)
    def test_payload_version_matches_oracle(
        self, backend: ModuleType, advertised: list[object] | str | None
    ):
        """No hook fails; the payload goes out in the agreed version, or only the advertisement."""
        ctx = testing.Context(provider_charm(backend), meta=PROVIDER_META)
        bag: dict[str, str] = {}
        if isinstance(advertised, list):
            bag["_supported_versions"] = yaml.safe_dump(advertised)
        elif isinstance(advertised, str):
            bag["_supported_versions"] = HOSTILE_TEXTS[advertised]
        relation = testing.Relation(ENDPOINT, remote_app_name="dashboard", remote_app_data=bag)

        state_out = ctx.run(
            ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        written = set(state_out.get_relation(relation.id).local_app_data)
        payload_keys = {
            None: set[str](),
            "v0": {"service-name", "service-port"},
            "v1": {"data"},
            "v2": {"data"},
        }
        assert written == {"_supported_versions"} | payload_keys[agreed(advertised)]
