"""Figures from the cost benchmarks (``reports/costs.json``, ``python -m benchmarks``).

``costs.json`` holds one row per case (``benchmarks/figures.py``): the requirer charm (``backend``:
``live``, ``stored``, or the baselines ``noop`` and ``ops-read``), the hook ``kind``, the
``storage``, N (``relations``) and M (``units``, per provider application), with the hook's
``ratio`` (median time over the no-op charm's in the same run), ``tool_calls`` per tool,
``state_bytes`` and ``bytes_written``. While the file is missing, every cost figure says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from docs.reports import SHIPPED, Reports, claim, code, count, figure, ratio, table, words

KIND_LABELS = {
    "relation-changed": "one relation-changed on one relation",
    "update-status-read": "update-status that reads `services`",
    "update-status-read-twice": "update-status that reads `services` twice",
    "update-status-no-read": "update-status that does not read `services`",
    "rebuild": "first hook after the state was lost (start on a new pod)",
}
"""What each hook kind of the benchmarks is, in words."""

GUIDE_RELATIONS = (1, 100, 1000)
"""The numbers of relations the guide shows."""

MISSING = (
    "*`reports/costs.json` is not there yet: run `nox -s bench` (or `python -m benchmarks`), "
    "then `nox -s docs`.*"
)


def _rows(reports: Reports, storage: str = "local") -> list[Mapping[str, Any]]:
    """Return the cases measured with one storage, failed ones included (they show as such)."""
    assert reports.costs is not None
    rows: list[Mapping[str, Any]] = reports.costs["rows"]
    return [row for row in rows if row["storage"] == storage]


def _ok(row: Mapping[str, Any] | None) -> bool:
    return row is not None and bool(row.get("ok", True))


def _checked_rows(reports: Reports) -> tuple[list[Mapping[str, Any]], int] | None:
    """Return the local-storage cases, checked against what the documents say, and their M.

    ``None`` when there is no cost report yet.
    """
    if reports.costs is None:
        return None
    rows = _rows(reports)
    _check_targets(rows)
    return rows, _units(rows)


def _units(rows: Sequence[Mapping[str, Any]]) -> int:
    """The M every table shows: the smallest measured."""
    return min(int(row["units"]) for row in rows)


def _find(
    rows: Sequence[Mapping[str, Any]], backend: str, kind: str, relations: int, units: int
) -> Mapping[str, Any] | None:
    for row in rows:
        if (row["backend"], row["kind"], row["relations"], row["units"]) == (
            backend,
            kind,
            relations,
            units,
        ):
            return row
    return None


def _per_provider(units: int) -> str:
    return f"each provider application has {count(units)} unit{'' if units == 1 else 's'}"


def _calls(row: Mapping[str, Any], tool: str | None = None) -> int:
    calls: Mapping[str, int] = row["tool_calls"]
    return sum(calls.values()) if tool is None else calls.get(tool, 0)


def _source(reports: Reports, *, times: bool = True) -> str:
    assert reports.costs is not None
    meta: Mapping[str, Any] = reports.costs.get("meta", {})
    command = meta.get("command", "python -m benchmarks")
    details = [f"ops {meta['ops_version']}"] if "ops_version" in meta else []
    if "cores" in meta:
        details.append(f"{count(meta['cores'])} cores")
    said = f": {', '.join(details)}" if details else ""
    timing = (
        " Times are medians over the timed rounds, divided by the no-op charm's in the same run."
        if times
        else ""
    )
    timing += " Every N and M, the targets and the plots are in `reports/README.md`."
    return (
        f"*From `reports/costs.json`, written by `{command}` as part of `nox -s bench`"
        f"{said}.{timing}*"
    )


MEASURES: tuple[tuple[str, str], ...] = (
    ("time", "time / no-op charm"),
    ("relation-get", "`relation-get` calls"),
    ("calls", "hook-tool calls"),
    ("written", "state bytes written"),
    ("state", "state bytes kept"),
)
"""The measures of a cost table: key and label."""


def _cell(row: Mapping[str, Any] | None, measure: str) -> str:
    if row is None:
        return "-"
    if not _ok(row):
        return "failed"
    if measure == "time":
        value = row.get("ratio")
        return "-" if value is None else ratio(value)
    if measure == "relation-get":
        return count(_calls(row, "relation-get"))
    if measure == "calls":
        return count(_calls(row))
    if measure == "written":
        return count(row["bytes_written"])
    return count(row["state_bytes"])


def _check_targets(rows: Sequence[Mapping[str, Any]]) -> None:
    """Check the hook-tool facts the documents state in words, wherever they were measured."""
    for row in rows:
        if not _ok(row):
            continue
        backend, kind, relations = row["backend"], row["kind"], int(row["relations"])
        gets = _calls(row, "relation-get")
        case = f"{backend} {kind} at N={relations}, M={row['units']}"
        if backend == "live" and kind == "update-status-no-read":
            claim(gets == 0, "a live hook that does not read services reads nothing", case)
        if backend == "live" and kind.startswith("update-status-read"):
            claim(gets == relations, "a live read costs one relation-get per relation", case)
        if backend == "stored" and kind.startswith("update-status"):
            claim(gets == 0, "the stored backend reads nothing outside relation events", case)
        if backend == "stored" and kind == "relation-changed":
            claim(gets <= 1, "a stored relation event reads at most one databag", case)
        if backend == "stored" and kind == "rebuild":
            claim(gets == relations, "a stored rebuild reads each relation once", case)


@figure("costs-kind")
def costs_kind(reports: Reports, args: Sequence[str]) -> str:
    """One hook kind's costs for both backends, against N: ``<!-- figures:costs-kind KIND -->``."""
    (kind,) = args
    checked = _checked_rows(reports)
    if checked is None:
        return MISSING
    rows, units = checked
    relations = sorted({int(row["relations"]) for row in rows})
    backends = [*SHIPPED, *(["ops-read"] if kind.startswith("update-status-read") else [])]
    body = [
        [
            code(backend),
            label,
            *(_cell(_find(rows, backend, kind, n, units), key) for n in relations),
        ]
        for backend in backends
        for key, label in MEASURES
        if _find(rows, backend, kind, relations[0], units) is not None
    ]
    header = ["charm", "measure", *(f"N={count(n)}" for n in relations)]
    note = f"{KIND_LABELS.get(kind, kind).capitalize()}; {_per_provider(units)}."
    if "ops-read" in backends:
        note += " `ops-read` reads the same databags with plain ops and no library."
    parts = [table(header, body, labels=2), note]
    if "ops-read" in backends:
        parts.append(_read_sentence(rows, kind, relations[-1], units))
    parts.append(_source(reports))
    return "\n\n".join(part for part in parts if part)


@figure("costs-storage")
def costs_storage(reports: Reports, _args: Sequence[str]) -> str:
    """State written by one relation-changed and state kept, against N, with both storages."""
    checked = _checked_rows(reports)
    if checked is None:
        return MISSING
    rows, units = checked
    relations = sorted({int(row["relations"]) for row in rows})
    body: list[list[str]] = []
    for backend in SHIPPED:
        for key, label in (("written", "bytes written"), ("state", "state bytes kept")):
            row_cells = [
                _cell(_find(rows, backend, "relation-changed", n, units), key) for n in relations
            ]
            body.append([code(backend), label, *row_cells])
    parts = [
        table(
            ["backend", "after one relation-changed", *(f"N={count(n)}" for n in relations)],
            body,
            labels=2,
        )
    ]
    stored = [
        row
        for n in relations
        if (row := _find(rows, "stored", "relation-changed", n, units)) is not None
    ]
    if len(stored) >= 2:
        first, last = stored[0], stored[-1]
        claim(
            last["bytes_written"] < 2 * max(first["bytes_written"], 1),
            "the stored backend's relation-changed writes do not grow with N",
            f"{first['bytes_written']} bytes at N={first['relations']}, "
            f"{last['bytes_written']} at N={last['relations']}",
        )
        parts.append(
            f"With `stored`, one relation-changed wrote {count(first['bytes_written'])} bytes at "
            f"N={count(first['relations'])} and {count(last['bytes_written'])} at "
            f"N={count(last['relations'])}: that relation's record, whatever the number of "
            "relations."
        )
    controller = [row for row in _rows(reports, "controller") if row["backend"] in SHIPPED]
    if controller:
        parts.append(_controller_sentence(controller))
    parts.append(_source(reports, times=False))
    return "\n\n".join(parts)


@figure("costs-at-scale")
def costs_at_scale(reports: Reports, _args: Sequence[str]) -> str:
    """Both backends' costs at 1, 100 and 1000 relations, for every hook kind."""
    checked = _checked_rows(reports)
    if checked is None:
        return MISSING
    rows, units = checked
    measured = sorted({int(row["relations"]) for row in rows})
    kinds = [kind for kind in KIND_LABELS if any(row["kind"] == kind for row in rows)]
    header = [
        "hook",
        "measure",
        *(f"{code(backend)} N={count(n)}" for backend in SHIPPED for n in GUIDE_RELATIONS),
    ]
    body: list[list[str]] = []
    for kind in kinds:
        for key, label in MEASURES[:4]:
            cells = [
                _cell(_find(rows, backend, kind, n, units), key)
                for backend in SHIPPED
                for n in GUIDE_RELATIONS
            ]
            body.append([KIND_LABELS[kind], label, *cells])
    state = [
        _cell(_find(rows, backend, "relation-changed", n, units), "state")
        for backend in SHIPPED
        for n in GUIDE_RELATIONS
    ]
    body.append(["any", "state bytes kept per unit", *state])
    missing = [n for n in GUIDE_RELATIONS if n not in measured]
    parts = [table(header, body, labels=2), _ops_own_calls(rows, measured[-1], units)]
    note = f"{_per_provider(units).capitalize()}."
    if missing:
        note += (
            f" N={words(count(n) for n in missing)} was not measured in this run (`-` cells): "
            "`nox -s bench` without `--quick` measures it."
        )
    parts += [note, _source(reports)]
    return "\n\n".join(part for part in parts if part)


def _controller_sentence(rows: Sequence[Mapping[str, Any]]) -> str:
    """Say what controller storage showed: the largest value, and any hook Juju refused."""
    sentences: list[str] = []
    for backend in SHIPPED:
        mine = [row for row in rows if row["backend"] == backend]
        if not mine:
            continue
        top = max(int(row["relations"]) for row in mine)
        largest = max(int(row["largest_state_value"]) for row in mine)
        failed = sorted({(int(row["relations"]), row["kind"]) for row in mine if not _ok(row)})
        hits = sum(int(row["state_limit_hits"]) for row in mine)
        text = (
            f"`{backend}`: the largest single value saved was {count(largest)} bytes, up to "
            f"N={count(top)}"
        )
        if failed:
            where = words(f"{kind} at N={count(n)}" for n, kind in failed)
            text += (
                f", but {count(hits)} value(s) were refused by Juju's 64 KiB limit and the hook "
                f"failed ({where})"
            )
        sentences.append(text + ".")
    return "With controller storage (YAML through `state-set`): " + " ".join(sentences)


@figure("costs-targets")
def costs_targets(reports: Reports, args: Sequence[str]) -> str:
    """The cost benchmarks' targets, met or missed: ``<!-- figures:costs-targets [KEY ...] -->``.

    With no key, every target. A missed target's explanation follows the table, unless the first
    argument is ``brief``.
    """
    if reports.costs is None:
        return MISSING
    brief = bool(args) and args[0] == "brief"
    args = args[1:] if brief else args
    targets: list[Mapping[str, Any]] = reports.costs.get("targets", [])
    by_key = {target["key"]: target for target in targets}
    unknown = [key for key in args if key not in by_key]
    claim(
        not unknown,
        f"the cost benchmarks check {words(args)}",
        f"no target {words(unknown)} (known: {words(by_key)})",
    )
    chosen = [by_key[key] for key in args] if args else targets
    rows = [[target["claim"], target["status"], target["figure"]] for target in chosen]
    parts = [table(["target", "status", "measured"], rows, labels=2)]
    parts += [
        f"- `{target['key']}` {target['status'].lower()}: {target['why']}"
        for target in chosen
        if target.get("why") and not brief
    ]
    parts.append(_source(reports, times=False))
    return "\n\n".join(parts)


def _read_sentence(rows: Sequence[Mapping[str, Any]], kind: str, top: int, units: int) -> str:
    """Compare the read's time with both backends and plain ops at the largest N."""
    live, stored, plain = (_find(rows, name, kind, top, units) for name in (*SHIPPED, "ops-read"))
    if live is None or stored is None or plain is None:
        return ""
    if not (_ok(live) and _ok(stored) and _ok(plain)):
        return ""
    faster = (
        "`stored` was faster in-process too"
        if stored["ratio"] < live["ratio"]
        else "`stored` was not faster in-process"
    )
    return (
        f"At N={count(top)}, the hook took {ratio(live['ratio'])} the no-op charm's time with "
        f"`live`, {ratio(stored['ratio'])} with `stored` and {ratio(plain['ratio'])} with plain "
        "ops. The simulator answers hook tools in-process, so these times are the charm's own "
        f"work, and {faster}; on a deployment each of the "
        f"{count(_calls(live, 'relation-get'))} `relation-get` calls of `live` is also a round "
        "trip to the unit agent, which `stored` does not make."
    )


def _ops_own_calls(rows: Sequence[Mapping[str, Any]], top: int, units: int) -> str:
    """Say what ops itself costs in a relation event, from the no-op charm's calls."""
    noop = _find(rows, "noop", "relation-changed", top, units)
    if noop is None or not _ok(noop):
        return ""
    lists = _calls(noop, "relation-list")
    claim(
        lists == top,
        "ops runs relation-list once per relation in a relation event",
        f"{lists} relation-list calls at N={top}",
    )
    return (
        "In a relation event ops itself runs `relation-list` once per relation of the endpoint "
        "before any charm code: a charm that constructs nothing made "
        f"{count(_calls(noop))} hook-tool calls in a relation-changed at N={count(top)}, "
        "whatever the library."
    )
