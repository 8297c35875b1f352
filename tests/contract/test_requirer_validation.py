"""Contract: ``K8sServiceRequirer.invalid_relations``; bad remote data never fails a hook."""

from __future__ import annotations

import dataclasses

import pytest
from ops import testing

from k8s_service_interface import InvalidRelation
from tests.helpers import (
    V0_DATA,
    RequirerCharm,
    current,
    established,
    expected_service,
    provider_relation,
    run_requirer,
    updated,
    v0_data,
)

Ctx = testing.Context[RequirerCharm]

LONG_NAME = ".".join(["a" * 63] * 4)
"""255 characters, each label valid: too long for a DNS name."""

DNS_RULE = "(RFC 1123 labels joined by dots, 253 characters at most)"

BAD_DATA = [
    pytest.param(
        {"service-name": "bad.kubeflow", "service-port": "abc"},
        "service-port 'abc' is not an integer",
        id="non-integer-port",
    ),
    pytest.param(
        {"service-name": "bad.kubeflow", "service-port": "0"},
        "service-port 0 is not in 1-65535",
        id="port-0",
    ),
    pytest.param(
        {"service-name": "bad.kubeflow", "service-port": "70000"},
        "service-port 70000 is not in 1-65535",
        id="port-70000",
    ),
    pytest.param(
        {"service-name": "Bad_Name!", "service-port": "80"},
        f"service-name 'Bad_Name!' is not a DNS name {DNS_RULE}",
        id="bad-dns-name",
    ),
    pytest.param(
        {"service-name": LONG_NAME, "service-port": "80"},
        f"service-name '{LONG_NAME[:57]}...' is not a DNS name {DNS_RULE}",
        id="name-over-253",
    ),
    pytest.param(
        {"service-name": "bad.kubeflow"},
        "service-port is missing",
        id="only-service-name",
    ),
]


def warnings_about(ctx: Ctx, relation: testing.Relation) -> list[str]:
    """Return the WARNING lines the charm logged about one relation."""
    return [
        line.message
        for line in ctx.juju_log
        if line.level == "WARNING" and f"relation {relation.id} " in line.message
    ]


class TestInvalidRelations:
    """Each validation rule, with a valid relation beside the bad one."""

    @pytest.mark.parametrize(("data", "reason"), BAD_DATA)
    def test_given_valid_relation_when_other_relation_brings_bad_data_then_valid_one_still_served(
        self, requirer_ctx: Ctx, data: dict[str, str], reason: str
    ):
        """The bad relation is reported with a reason; the good one is served; no hook fails."""
        good = provider_relation("good", V0_DATA)
        bad = provider_relation("bad", {})
        state = established(requirer_ctx, good, bad)
        state, bad_now = updated(state, bad, remote_app_data=data)

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(bad_now, remote_unit=0), state
        )

        assert result.services == (expected_service(good),)
        assert result.invalid == (InvalidRelation(bad.id, "bad", reason),)
        assert result.changes == ()

    @pytest.mark.parametrize(("data", "reason"), BAD_DATA)
    def test_given_bad_data_when_it_arrives_then_warning_logged_once_not_again_next_hook(
        self, requirer_ctx: Ctx, data: dict[str, str], reason: str
    ):
        """The reason is logged at WARNING when the relation turns bad, and not on later hooks."""
        bad = provider_relation("bad", {})
        state = established(requirer_ctx, bad)
        state, bad_now = updated(state, bad, remote_app_data=data)
        before = len(warnings_about(requirer_ctx, bad))

        state = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(bad_now, remote_unit=0), state
        ).state
        at_turn = warnings_about(requirer_ctx, bad)[before:]
        run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(current(state, bad), remote_unit=0),
            state,
        )
        later = warnings_about(requirer_ctx, bad)[before + len(at_turn) :]

        assert before == 0
        assert len(at_turn) == 1
        assert reason in at_turn[0]
        assert later == []

    def test_given_served_relation_when_its_data_turns_bad_then_it_leaves_services_with_one_event(
        self, requirer_ctx: Ctx
    ):
        """A service whose data turns invalid is withdrawn, announced once, and reported."""
        good = provider_relation("good", v0_data("good.kubeflow", 80))
        turning = provider_relation("turning", V0_DATA)
        state = established(requirer_ctx, good, turning)
        state, turned = updated(state, turning, remote_app_data=v0_data(port="abc"))

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(turned, remote_unit=0), state
        )

        kept = (expected_service(good, "good.kubeflow", 80),)
        assert result.changes == (kept,)
        assert result.services == kept
        assert result.invalid == (
            InvalidRelation(turning.id, "turning", "service-port 'abc' is not an integer"),
        )

    def test_given_invalid_relation_when_provider_fixes_data_then_served_with_one_event(
        self, requirer_ctx: Ctx
    ):
        """Once the provider writes valid data the relation is served and no longer reported."""
        relation = provider_relation("fixed", v0_data(port="0"))
        state = established(requirer_ctx, relation)
        state, fixed = updated(state, relation, remote_app_data=V0_DATA)

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_changed(fixed, remote_unit=0), state
        )

        assert result.changes == ((expected_service(relation),),)
        assert result.invalid == ()

    def test_given_invalid_relation_when_broken_then_no_longer_reported(self, requirer_ctx: Ctx):
        """A relation that goes away leaves ``invalid_relations`` too."""
        good = provider_relation("good", V0_DATA)
        bad = provider_relation("bad", v0_data(port="abc"))
        state = established(requirer_ctx, good, bad)

        result = run_requirer(
            requirer_ctx, requirer_ctx.on.relation_broken(current(state, bad)), state
        )

        assert result.invalid == ()
        assert result.services == (expected_service(good),)
        assert result.changes == ()

    def test_given_non_leader_requirer_when_bad_data_arrives_then_reported_the_same(
        self, requirer_ctx: Ctx
    ):
        """Validation does not depend on leadership."""
        bad = provider_relation("bad", {})
        state = established(requirer_ctx, bad, leader=False)
        state, bad_now = updated(state, bad, remote_app_data=v0_data(port="abc"))

        result = run_requirer(
            requirer_ctx,
            requirer_ctx.on.relation_changed(bad_now, remote_unit=0),
            dataclasses.replace(state, leader=False),
        )

        assert result.invalid == (
            InvalidRelation(bad.id, "bad", "service-port 'abc' is not an integer"),
        )
        assert result.services == ()
