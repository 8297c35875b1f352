"""Contract: the stored backend's cache layout, its format marker, and backend switches."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ops import testing

import interface_live
import interface_stored
from tests.helpers import (
    REQUIRER_META,
    RequirerCharm,
    RequirerRun,
    current,
    established,
    expected_service,
    provider_relation,
    requirer_charm,
    run_requirer,
    updated,
    v0_data,
)

Ctx = testing.Context[RequirerCharm]
CHUNK_BYTES = 16 * 1024
"""The documented bound on a chunk record holding more than one entry."""
OWNER = "DashboardCharm/K8sServiceRequirer[k8s-service]"


def _ctx(backend: ModuleType) -> Ctx:
    return testing.Context(requirer_charm(backend), meta=REQUIRER_META)


def _records(state: testing.State) -> dict[str, dict[str, Any]]:
    """The requirer's stored records by name."""
    return {s.name: dict(s.content) for s in state.stored_states if s.owner_path == OWNER}


def _with_records(state: testing.State, records: Mapping[str, Mapping[str, Any]]) -> testing.State:
    """The state with the requirer's records replaced by ``records``."""
    others = {s for s in state.stored_states if s.owner_path != OWNER}
    mine = {testing.StoredState(name, owner_path=OWNER, content=c) for name, c in records.items()}
    return dataclasses.replace(state, stored_states=frozenset(others | mine))


class TestBackendSwitch:
    """A machine charm that moves stored -> live -> stored keeps its unit state throughout."""

    def test_relation_broken_while_live(self):
        """A relation broken while the charm ran the live backend is not served once back."""
        stored, live = _ctx(interface_stored), _ctx(interface_live)
        kept = provider_relation("kfp-api", v0_data())
        gone = provider_relation("katib", v0_data("katib.kubeflow", 6789))
        state = established(stored, kept, gone)
        state = run_requirer(live, live.on.upgrade_charm(), state).state
        state = run_requirer(live, live.on.relation_broken(current(state, gone)), state).state
        state = dataclasses.replace(
            state, relations={r for r in state.relations if r.id != gone.id}
        )
        upgraded = run_requirer(stored, stored.on.upgrade_charm(), state)
        later = run_requirer(stored, stored.on.update_status(), upgraded.state)
        assert upgraded.services == later.services == (expected_service(kept),)
        assert upgraded.changes == ()  # the live backend announced the change already


class TestFormatMarker:
    """A cache the library did not write in this format is rebuilt, never misread."""

    def test_other_format(self):
        """Records carrying another format marker are replaced by a rebuild from live data."""
        ctx = _ctx(interface_stored)
        relation = provider_relation(data=v0_data(port=8888))
        state = established(ctx, relation)
        records = _records(state)
        records["cache"] = {**records["cache"], "format": "chunked-json-0 k8s-service-interface-0"}
        records["chunk-0"] = {"entries": str(records["chunk-0"]["entries"]).replace("8888", "1")}
        run = run_requirer(ctx, ctx.on.update_status(), _with_records(state, records))
        assert run.services == (expected_service(relation),)
        assert run.changes == ()

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("chunk-0", {"entries": "[[1, 2]"}),
            ("chunk-0", {"entries": '[["1", "a", "service", {"nom": "x"}]]'}),
            ("cache", {"format": "", "chunks": "many"}),
            ("cache", {"chunks": 10**12}),
        ],
    )
    def test_corrupt_record(self, name: str, content: dict[str, Any]):
        """A record that is not what this layout writes makes a rebuild, not a failed hook."""
        ctx = _ctx(interface_stored)
        relation = provider_relation(data=v0_data())
        state = established(ctx, relation)
        records = _records(state)
        records[name] = {**records[name], **content}
        run = run_requirer(ctx, ctx.on.update_status(), _with_records(state, records))
        assert run.services == (expected_service(relation),)

    def test_marker_names_the_released_version(self):
        """The marker names the version the wheel is built with (single-sourced in the package)."""
        version = (Path(__file__).parents[2] / "k8s_service_interface" / "_version.py").read_text()
        released = re.search(r'^__version__ = "([^"]+)"$', version, flags=re.MULTILINE)
        assert released is not None
        assert interface_stored.__version__ == released.group(1)
        ctx = _ctx(interface_stored)
        state = established(ctx, provider_relation(data=v0_data()))
        marker = _records(state)["cache"]["format"]
        assert f"k8s-service-interface-{released.group(1)} v0,v1,v2" in marker

    def test_per_relation_layout_dropped(self):
        """The earlier layout's index and per-relation records are deleted by the rebuild."""
        ctx = _ctx(interface_stored)
        relation = provider_relation(data=v0_data())
        old_bag = {"service-name": "old.kubeflow", "service-port": "1"}
        old = {
            "_index": {"built": True, "relation_ids": [relation.id]},
            f"relation-{relation.id}": {"app": "kfp-api", "databag": old_bag},
        }
        state = _with_records(testing.State(relations={relation}, leader=True), old)
        run = run_requirer(ctx, ctx.on.upgrade_charm(), state)
        assert run.services == (expected_service(relation),)
        assert set(_records(run.state)) == {"_announced", "cache", "chunk-0"}


class TestBounds:
    """What one provider can make the requirer keep is bounded, in both backends alike."""

    def test_largest_service_fits_one_chunk(self):
        """The longest v2 Service the YAML budget admits is served, and cached in one chunk."""
        ctx = _ctx(interface_stored)
        ports = "".join(
            f"- {{name: {chr(97 + n // 26)}{chr(97 + n % 26)}-long-port-nm, port: {n + 1},"
            " protocol: SCTP}\n"
            for n in range(141)  # 1 + 8 + 7 * 141 = 996 nodes: one more port breaks the budget
        )
        data = f"name: {'n' * 63}\nnamespace: {'s' * 63}\nport: 80\nports:\n{ports}"
        relation = provider_relation("big", {"_supported_versions": "- v2\n", "data": data})
        run = run_requirer(ctx, ctx.on.update_status(), established(ctx, relation))
        assert [len(svc.ports) for svc in run.services or ()] == [141]
        chunks = {name: c for name, c in _records(run.state).items() if name.startswith("chunk-")}
        assert list(chunks) == ["chunk-0"]
        assert "s" * 63 in chunks["chunk-0"]["entries"]
        assert len(json.dumps(chunks["chunk-0"])) < CHUNK_BYTES + 10 * 1024

    def test_too_many_ports_is_invalid(self, requirer_ctx: Ctx):
        """A v2 payload over the YAML budget is invalid, with the budget named; the hook runs."""
        ports = "".join(f"- {{name: port-{n}, port: {n + 1}}}\n" for n in range(700))
        bag = {"_supported_versions": "- v2\n", "data": f"name: big\nport: 80\nports:\n{ports}"}
        relation = provider_relation("big", bag)
        run = run_requirer(
            requirer_ctx, requirer_ctx.on.update_status(), established(requirer_ctx, relation)
        )
        assert run.services == ()
        assert run.invalid is not None
        assert [(bad.relation_id, bad.reason) for bad in run.invalid or ()] == [
            (relation.id, "data is not valid YAML (over 1000 nodes)")
        ]


class TestUpgradeFromReprDigest:
    """A unit that announced with an earlier library version's digest (of ``repr``)."""

    @pytest.mark.parametrize("hook", ["upgrade-charm", "start"])
    def test_no_spurious_event(self, backend: ModuleType, hook: str):
        """The same services under the earlier digest fire no ``services_changed``."""
        ctx = _ctx(backend)
        relation = provider_relation(data=v0_data())
        state = established(ctx, relation)
        services = (expected_service(relation),)
        earlier = hashlib.blake2b(repr(services).encode(), digest_size=8).hexdigest()
        invalid: dict[str, str] = {}
        records = {**_records(state), "_announced": {"digest": earlier, "invalid": invalid}}
        event = ctx.on.upgrade_charm() if hook == "upgrade-charm" else ctx.on.start()
        run = run_requirer(ctx, event, _with_records(state, records))
        assert run.changes == ()
        assert run.services == services


class TestManyChunks:
    """A cache of many relations spans several chunks and still answers as live data does."""

    RELATIONS = 400

    def test_change_and_break_across_chunks(self):
        """Changing and breaking relations in a multi-chunk cache keeps both backends alike."""
        relations = [
            provider_relation(f"app-{n}", v0_data(f"svc-{n}.kubeflow", 1000 + n))
            for n in range(self.RELATIONS)
        ]
        state = testing.State(relations=set(relations), leader=True)
        ctxs = {backend: _ctx(backend) for backend in (interface_live, interface_stored)}
        states = {b: run_requirer(ctx, ctx.on.start(), state).state for b, ctx in ctxs.items()}
        chunks = [c for name, c in _records(states[interface_stored]).items() if "chunk" in name]
        assert len(chunks) > 1
        assert max(len(str(chunk["entries"])) for chunk in chunks) <= CHUNK_BYTES
        changed, broken = relations[7], relations[-3]
        runs: dict[ModuleType, RequirerRun] = {}
        for backend, ctx in ctxs.items():
            new_state, new = updated(states[backend], changed, remote_app_data=v0_data(port=9))
            new_state = run_requirer(ctx, ctx.on.relation_changed(new), new_state).state
            new_state = run_requirer(
                ctx, ctx.on.relation_broken(current(new_state, broken)), new_state
            ).state
            new_state = dataclasses.replace(
                new_state, relations={r for r in new_state.relations if r.id != broken.id}
            )
            runs[backend] = run_requirer(ctx, ctx.on.update_status(), new_state)
        live, stored = runs[interface_live], runs[interface_stored]
        assert stored.services == live.services
        assert live.services is not None
        assert len(live.services) == self.RELATIONS - 1
        assert expected_service(changed, port=9) in live.services
