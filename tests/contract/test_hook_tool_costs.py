"""Contract: what reading ``services`` costs in ``relation-get`` calls, per backend."""

from __future__ import annotations

from ops import testing

import interface_live
import interface_stored
from tests.contract.charms import (
    REQUIRER_META,
    V0_DATA,
    RequirerCharm,
    established,
    expected_service,
    provider_relation,
    requirer_charm,
    run_requirer,
    v0_data,
)
from tests.contract.conftest import HookToolCalls

Ctx = testing.Context[RequirerCharm]


class TestLazyReads:
    """Neither backend reads relation data in a hook where the charm does not ask for it."""

    def test_given_hook_that_never_reads_services_when_it_runs_then_no_relation_get(
        self, requirer_ctx: Ctx, hook_tools: HookToolCalls
    ):
        """config-changed, with the charm not reading ``services``, makes no ``relation-get``."""
        state = established(
            requirer_ctx, provider_relation("one", V0_DATA), provider_relation("two", V0_DATA)
        )
        hook_tools.clear()

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.config_changed(), state, read_at_end=False
        )

        assert result.services is None
        assert hook_tools.relation_get == []


class TestStoredBackendReadsFromCache:
    """The stored backend answers ``services`` from StoredState outside relation events."""

    def test_given_stored_backend_when_update_status_reads_services_then_no_relation_get(
        self, hook_tools: HookToolCalls
    ):
        """Reading ``services`` in update-status costs no ``relation-get`` at all."""
        ctx = testing.Context(requirer_charm(interface_stored), meta=REQUIRER_META)
        first = provider_relation("first", v0_data("first.kubeflow", 80))
        second = provider_relation("second", v0_data("second.kubeflow", 81))
        state = established(ctx, first, second)
        hook_tools.clear()

        result = run_requirer(ctx, ctx.on.update_status(), state)

        assert result.services == (
            expected_service(first, "first.kubeflow", 80),
            expected_service(second, "second.kubeflow", 81),
        )
        assert hook_tools.relation_get == []


class TestLiveBackendReadsProviderBags:
    """The live backend reads each provider's application databag when ``services`` is read."""

    def test_given_live_backend_when_update_status_reads_services_then_one_get_per_provider(
        self, hook_tools: HookToolCalls
    ):
        """Reading ``services`` costs one ``relation-get`` per relation, of the remote app only."""
        ctx = testing.Context(requirer_charm(interface_live), meta=REQUIRER_META)
        first = provider_relation("first", v0_data("first.kubeflow", 80))
        second = provider_relation("second", v0_data("second.kubeflow", 81))
        state = established(ctx, first, second)
        hook_tools.clear()

        result = run_requirer(ctx, ctx.on.update_status(), state)

        assert result.services == (
            expected_service(first, "first.kubeflow", 80),
            expected_service(second, "second.kubeflow", 81),
        )
        assert sorted(hook_tools.relation_get) == sorted(
            [(first.id, "first"), (second.id, "second")]
        )
