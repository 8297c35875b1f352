"""Properties over generated inputs: untrusted data never fails a hook; encodings round-trip."""

from __future__ import annotations

from types import ModuleType

from hypothesis import given
from ops import testing

from k8s_service_interface import Publication
from relation_protocol import Version
from tests.helpers import (
    ENDPOINT,
    PROVIDER_META,
    REQUIRER_META,
    provider_charm,
    provider_relation,
    requirer_charm,
    run_requirer,
)
from tests.strategies import publications, remote_databags, versions


class TestUntrustedDatabags:
    """Any string-to-string databag from the remote side is survived, on both backends."""

    @given(bag=remote_databags)
    def test_given_any_provider_databag_when_requirer_hooks_run_then_none_raises(
        self, backend: ModuleType, bag: dict[str, str]
    ):
        """relation-changed then update-status never raise, agree, and announce nothing new."""
        ctx = testing.Context(requirer_charm(backend), meta=REQUIRER_META)
        relation = provider_relation(data=bag)
        state = testing.State(relations={relation}, leader=True)

        changed = run_requirer(ctx, ctx.on.relation_changed(relation, remote_unit=0), state)
        later = run_requirer(ctx, ctx.on.update_status(), changed.state)

        assert later.services is not None
        assert later.invalid is not None
        assert len(later.services) + len(later.invalid) <= 1
        assert (later.services, later.invalid) == (changed.services, changed.invalid)
        assert later.changes == ()

    @given(bag=remote_databags)
    def test_given_any_requirer_databag_when_provider_answers_then_no_hook_raises(
        self, backend: ModuleType, bag: dict[str, str]
    ):
        """Our provider's relation-changed never raises, whatever the requirer advertises."""
        ctx = testing.Context(provider_charm(backend), meta=PROVIDER_META)
        relation = testing.Relation(ENDPOINT, remote_app_name="dashboard", remote_app_data=bag)

        state_out = ctx.run(
            ctx.on.relation_changed(relation, remote_unit=0),
            testing.State(relations={relation}, leader=True),
        )

        assert "_supported_versions" in state_out.get_relation(relation.id).local_app_data


class TestRoundTrip:
    """What a version encodes, it decodes to the same payload."""

    @given(publication=publications(), version=versions)
    def test_given_valid_publication_when_encoded_in_any_version_then_decodes_to_same_payload(
        self, publication: Publication, version: Version
    ):
        """``Version.decode(Version.encode(payload)) == payload`` for every version."""
        payload = publication.payload(version)

        assert version.decode(version.encode(payload)) == payload
