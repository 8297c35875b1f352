"""Unit tests of the kfp-api charm with ops.testing, through either backend's import."""

from __future__ import annotations

from types import ModuleType

import charm
import ops
import pytest
from ops import testing

import interface_live
import interface_stored
from interface_live.testing import (
    PublishedService,
    RequirerDialect,
    published_service,
    requirer_relation,
)

Ctx = testing.Context[charm.KfpApiCharm]

KUBEFLOW = testing.Model(name="kubeflow")


@pytest.fixture(params=[interface_live, interface_stored], ids=lambda module: module.__name__)
def ctx(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Ctx:
    """The charm's context, its provider imported from one backend or the other."""
    backend: ModuleType = request.param
    monkeypatch.setattr(charm, "K8sServiceProvider", backend.K8sServiceProvider)
    return testing.Context(charm.KfpApiCharm)  # metadata from ../../charmcraft.yaml


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("v0", PublishedService("v0", "kfp-api.kubeflow", 8888)),
        ("v1", PublishedService("v1", "kfp-api.kubeflow", 8888)),
        ("v2", PublishedService("v2", "kfp-api.kubeflow", 8888, namespace="kubeflow")),
    ],
)
def test_leader_publishes_in_the_requirer_version(
    ctx: Ctx, dialect: RequirerDialect, expected: PublishedService
):
    """The leader publishes its Service in the newest version the requirer speaks."""
    relation = requirer_relation(dialect)
    state = testing.State(relations={relation}, leader=True, model=KUBEFLOW)

    out = ctx.run(ctx.on.relation_created(relation), state)

    assert published_service(out.get_relation(relation.id)) == expected


def test_new_port_is_published(ctx: Ctx):
    """Changing the ``port`` option republishes the Service on every relation."""
    relations = {requirer_relation("v2"), requirer_relation("v0", remote_app_name="legacy")}
    state = testing.State(relations=relations, leader=True, model=KUBEFLOW, config={"port": 9000})

    out = ctx.run(ctx.on.config_changed(), state)

    published = [published_service(relation) for relation in out.relations]
    assert [service.port if service else None for service in published] == [9000, 9000]
    assert out.unit_status == ops.ActiveStatus()


def test_non_leader_publishes_nothing(ctx: Ctx):
    """A unit that is not the leader writes nothing."""
    relation = requirer_relation("v2")
    state = testing.State(relations={relation}, model=KUBEFLOW)

    out = ctx.run(ctx.on.relation_created(relation), state)

    assert published_service(out.get_relation(relation.id)) is None
