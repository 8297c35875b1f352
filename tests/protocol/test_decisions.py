"""The cases the wire spec settles explicitly (``interface/README.md``, "Exact reading rules")."""

from __future__ import annotations

import pytest
from ops import testing

from k8s_service_interface import K8sService, ServicePort
from k8s_service_interface._wire import PortV2, ServiceV2, to_service
from relation_protocol import Reading, WireError
from tests.helpers import RequirerCharm, provider_relation, run_requirer

Ctx = testing.Context[RequirerCharm]

ALL = "- v0\n- v1\n- v2\n"


def _read(ctx: Ctx, bag: dict[str, str]) -> tuple[list[K8sService], list[str]]:
    relation = provider_relation("kfp", bag, relation_id=5)
    result = run_requirer(
        ctx,
        ctx.on.relation_changed(relation, remote_unit=0),
        testing.State(relations={relation}, leader=True),
    )
    assert result.services is not None
    assert result.invalid is not None
    return list(result.services), [bad.reason for bad in result.invalid]


def _service(**fields: object) -> K8sService:
    base: dict[str, object] = {"name": "kfp", "port": 8080, "relation_id": 5, "app": "kfp"}
    return K8sService(**{**base, **fields})  # type: ignore[arg-type]


class TestEmptyValues:
    """Juju deletes a key set to ``""``, so an empty value reads as an absent key."""

    def test_empty_values_are_not_ready(self, requirer_ctx: Ctx):
        """A bag of empty values is "not ready", not invalid."""
        assert _read(requirer_ctx, {"service-name": "", "service-port": ""}) == ([], [])

    def test_one_empty_value_is_a_missing_key(self, requirer_ctx: Ctx):
        """An empty name beside a port is a missing name."""
        bag = {"service-name": "", "service-port": "8080"}

        assert _read(requirer_ctx, bag) == ([], ["service-name is missing"])

    def test_empty_advertisement_is_an_unversioned_peer(self, requirer_ctx: Ctx):
        """An empty ``_supported_versions`` is no advertisement: the peer speaks v0."""
        bag = {"_supported_versions": "", "service-name": "kfp", "service-port": "8080"}

        assert _read(requirer_ctx, bag) == ([_service()], [])


class TestNulls:
    """``null`` for an optional v2 field means the field is absent; for a required one, bad."""

    @pytest.mark.parametrize("field", ["namespace", "ports"])
    def test_null_optional_field_is_absent(self, requirer_ctx: Ctx, field: str):
        """``namespace: null`` and ``ports: null`` both read as not given."""
        bag = {"_supported_versions": ALL, "data": f"{{name: kfp, port: 8080, {field}: null}}"}

        assert _read(requirer_ctx, bag) == ([_service()], [])

    def test_null_required_field_is_invalid(self, requirer_ctx: Ctx):
        """``port: null`` is not a port."""
        bag = {"_supported_versions": ALL, "data": "{name: kfp, port: null}"}

        assert _read(requirer_ctx, bag) == ([], ["data.port None is not an integer"])


class TestIntegers:
    """A port is plain decimal in every version: no sign, no leading zero, no YAML 1.1 form."""

    @pytest.mark.parametrize("port", ["080", "+80", " 80", "8_080", "0x50"])
    def test_v0_port_not_plain_decimal_is_invalid(self, requirer_ctx: Ctx, port: str):
        """v0 refuses ``080`` as v1 does (it used to read it as 80)."""
        _, reasons = _read(requirer_ctx, {"service-name": "kfp", "service-port": port})

        assert reasons == [f"service-port {port!r} is not an integer"]

    @pytest.mark.parametrize("port", ["0x1F90", "017620", "2:14:40", "8_080", "+8080"])
    def test_v2_yaml11_integer_forms_are_invalid(self, requirer_ctx: Ctx, port: str):
        """YAML 1.1 reads these as 8080; the spec does not."""
        bag = {"_supported_versions": ALL, "data": f"{{name: kfp, port: {port}}}"}

        assert _read(requirer_ctx, bag) == ([], [f"data.port {port} is not an integer"])

    def test_v1_port_with_leading_zero_is_invalid(self, requirer_ctx: Ctx):
        """v1's string port follows the same rule."""
        bag = {"_supported_versions": "- v1\n", "data": "{service-name: kfp, service-port: '080'}"}

        assert _read(requirer_ctx, bag) == (
            [],
            ["data: service-port '080' is not a port, 1-65535"],
        )


class TestPortNames:
    """A port name is an IANA service name, as Kubernetes checks it."""

    @pytest.mark.parametrize("name", ["80", "a--b", "-a", "a-", "Http", "abcdefghijklmnop"])
    def test_bad_port_names_are_invalid(self, requirer_ctx: Ctx, name: str):
        """All digits, ``--``, an end hyphen, capitals or 16 characters are refused."""
        data = f"{{name: kfp, port: 8080, ports: [{{name: '{name}', port: 80}}]}}"

        _, reasons = _read(requirer_ctx, {"_supported_versions": ALL, "data": data})

        assert len(reasons) == 1
        assert reasons[0].startswith(f"data.ports[0]: name {name!r} is not a port name")

    def test_provider_refuses_them_too(self):
        """The provider's ``ServicePort`` applies the same rule at the call."""
        with pytest.raises(ValueError, match=r"name 'a--b' is not a port name"):
            ServicePort("a--b", 80)


class TestMappings:
    """Duplicate keys are refused; port order on the wire does not matter to the reader."""

    def test_duplicate_key_is_invalid(self, requirer_ctx: Ctx):
        """A mapping with ``port`` twice is refused rather than read as the last one."""
        bag = {"_supported_versions": ALL, "data": "name: kfp\nport: 80\nport: 8080\n"}

        assert _read(requirer_ctx, bag) == ([], ["data is not valid YAML (a key is given twice)"])

    def test_unsorted_ports_are_served_sorted(self, requirer_ctx: Ctx):
        """Ports written out of order are presented sorted by name."""
        data = "{name: kfp, port: 8080, ports: [{name: web, port: 80}, {name: api, port: 81}]}"

        services, _ = _read(requirer_ctx, {"_supported_versions": ALL, "data": data})

        assert [port.name for port in services[0].ports] == ["api", "web"]


class TestFallback:
    """The newest common version whose payload is present and valid is read."""

    def test_v1_payload_under_a_v2_advertisement_is_served(self, requirer_ctx: Ctx):
        """A v1 payload still in ``data`` (invalid as v2) is read as v1."""
        data = "service-name: kfp\nservice-port: '8080'\n"

        assert _read(requirer_ctx, {"_supported_versions": ALL, "data": data}) == (
            [_service()],
            [],
        )

    def test_when_none_is_valid_the_newest_error_is_reported(self, requirer_ctx: Ctx):
        """A payload valid in no version reports the newest version's complaint."""
        bag = {"_supported_versions": ALL, "data": "{name: kfp}"}

        assert _read(requirer_ctx, bag) == ([], ["data.port is missing"])


class TestConversion:
    """Each payload schema has its own conversion to ``K8sService``; there is no fall-through."""

    def test_unknown_payload_schema_is_a_wire_error(self):
        """A reading whose payload no converter knows is refused with a clear error."""
        reading = Reading(version="v9", payload=object())

        with pytest.raises(WireError, match=r"^version v9 has no conversion to a K8sService$"):
            to_service(reading, 3, "kfp")

    def test_converted_service_equals_constructed_one(self):
        """A service built from a validated v2 payload equals the public constructor's."""
        payload = ServiceV2(
            name="kfp",
            port=8080,
            namespace="kubeflow",
            ports=(PortV2("web", 80), PortV2("api", 81)),
        )

        service = to_service(Reading(version="v2", payload=payload), 3, "kfp")

        assert service == K8sService(
            name="kfp.kubeflow",
            port=8080,
            relation_id=3,
            app="kfp",
            namespace="kubeflow",
            ports=(ServicePort("api", 81), ServicePort("web", 80)),
        )
