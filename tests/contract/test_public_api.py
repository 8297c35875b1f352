"""Contract: a charm switches backends by changing only its import."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import interface_live
import interface_stored


def _public_members(cls: type[Any]) -> dict[str, Any]:
    """Return a class's public attributes (properties, methods, events) by name."""
    return {
        name: inspect.getattr_static(cls, name) for name in dir(cls) if not name.startswith("_")
    }


def _describe(member: Any) -> str:
    """Describe a class member by its kind and signature, for comparison across backends."""
    if isinstance(member, property):
        assert member.fget is not None
        return f"property {inspect.signature(member.fget)}"
    if callable(member):
        return f"{type(member).__name__} {inspect.signature(member)}"
    return type(member).__name__


class TestPublicApi:
    """Both backends export the same names with the same signatures."""

    def test_given_both_backends_then_they_export_the_same_names(self):
        """``__all__`` is the same list in both backends."""
        assert sorted(interface_live.__all__) == sorted(interface_stored.__all__)
        assert {"K8sService", "K8sServiceProvider", "K8sServiceRequirer"} <= set(
            interface_live.__all__
        )

    @pytest.mark.parametrize("name", sorted(interface_live.__all__))
    def test_given_public_name_then_same_signature_in_both_backends(self, name: str):
        """Every exported callable has the same signature in both backends."""
        live = getattr(interface_live, name)
        stored = getattr(interface_stored, name)

        assert callable(live) == callable(stored)
        if callable(live):
            assert inspect.signature(live) == inspect.signature(stored)

    def test_given_requirer_then_same_constructor_in_both_backends(self):
        """``K8sServiceRequirer(charm, relation_name="k8s-service", *, versions=None)`` in both."""
        live = inspect.signature(interface_live.K8sServiceRequirer.__init__)
        stored = inspect.signature(interface_stored.K8sServiceRequirer.__init__)

        assert live == stored
        assert list(live.parameters) == ["self", "charm", "relation_name", "versions"]
        assert live.parameters["relation_name"].default == "k8s-service"
        assert live.parameters["versions"].kind is inspect.Parameter.KEYWORD_ONLY
        assert live.parameters["versions"].default is None

    def test_given_requirer_then_same_public_members_in_both_backends(self):
        """Properties, methods and events of the requirer match by name, kind and signature."""
        live = _public_members(interface_live.K8sServiceRequirer)
        stored = _public_members(interface_stored.K8sServiceRequirer)

        assert {name: _describe(member) for name, member in live.items()} == {
            name: _describe(member) for name, member in stored.items()
        }
        assert {"services", "invalid_relations", "is_available", "is_created", "on"} <= set(live)

    def test_given_shared_types_then_both_backends_export_the_same_objects(self):
        """Values built with one backend's types compare equal in the other (one class each)."""
        for name in ("K8sService", "K8sServiceProvider", "InvalidRelation", "ServicePort"):
            assert getattr(interface_live, name) is getattr(interface_stored, name)
