"""The targets of issue 4, each checked against this run's figures: MET, MISSED or NOT MEASURED.

Each ``check_*`` function reads ``Figures`` and returns one ``Target`` whose ``figure`` quotes the
measurements that decide it and, when missed, whose ``why`` says what the measurements show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from jujusim import MAX_STATE_VALUE

from .figures import Figures, Fit, Row

MET = "MET"
MISSED = "MISSED"
NOT_MEASURED = "NOT MEASURED"

RATIO_LIMITS = ((100, 1.2), (1000, 1.5))
"""(N, the most time the library may take over the no-op charm at that N)."""

LINEAR_EXPONENT = 1.15
"""The largest fitted exponent of cost against N that still counts as linear."""

UPDATE_STATUS_KINDS = ("update-status-no-read", "update-status-read", "update-status-read-twice")
LIBRARY_KINDS = ("rebuild", *UPDATE_STATUS_KINDS, "relation-changed")


@attrs.frozen
class Target:
    """One target and its verdict."""

    key: str
    """A short identifier."""
    claim: str
    """What the issue asks for."""
    status: str
    """``MET``, ``MISSED`` or ``NOT MEASURED``."""
    figure: str
    """The measured figures that decide it."""
    why: str = ""
    """For a miss: what the measurements show about the cause."""


def _calls(row: Row) -> str:
    return ", ".join(f"{tool} {n}" for tool, n in sorted(row.tool_calls.items())) or "none"


def _at(row: Row) -> str:
    return f"N={row.relations}, M={row.units}"


def check_live_quiet_without_reads(figures: Figures) -> Target:
    """Live: an update-status that does not read ``services`` calls what the no-op calls."""
    claim = "live: a hook that does not read `services` makes no hook-tool call for it"
    pairs = [
        (row, figures.get("noop", "update-status", row.relations, row.units))
        for row in figures.select(backend="live", kind="update-status-no-read")
    ]
    pairs = [(row, base) for row, base in pairs if base is not None]
    if not pairs:
        return Target("live-no-read", claim, NOT_MEASURED, "no update-status measured")
    bad = [(row, base) for row, base in pairs if dict(row.tool_calls) != dict(base.tool_calls)]
    if not bad:
        row, base = pairs[-1]
        figure = (
            f"same calls as the no-op charm at every N and M; at {_at(row)}: live "
            f"{_calls(row)}; no-op {_calls(base)}"
        )
        return Target("live-no-read", claim, MET, figure)
    row, base = bad[-1]
    figure = f"at {_at(row)}: live {_calls(row)}; no-op {_calls(base)}"
    extra = {t: n - base.calls(t) for t, n in row.tool_calls.items() if n != base.calls(t)}
    why = f"Without reading `services` the live requirer still made these calls: {extra}."
    return Target("live-no-read", claim, MISSED, figure, why)


def check_live_reads_each_relation_once(figures: Figures) -> Target:
    """Live: reading services costs exactly N relation-get, however often it is read."""
    claim = (
        "live: reading `services` costs exactly N `relation-get` (providers' app bags only), "
        "once per hook however often read"
    )
    rows = figures.select(backend="live", kind="update-status-read") + figures.select(
        backend="live", kind="update-status-read-twice"
    )
    if not rows:
        return Target("live-read-n", claim, NOT_MEASURED, "no update-status read measured")
    bad = [r for r in rows if r.calls("relation-get") != r.relations]
    if not bad:
        top = max(rows, key=lambda r: (r.relations, r.units))
        figure = (
            f"relation-get = N in all {len(rows)} cases, read once or twice; at {_at(top)}: "
            f"{top.calls('relation-get')} (reading a unit bag too would add up to N x M)"
        )
        once = figures.get("live", "update-status-read", top.relations, top.units)
        twice = figures.get("live", "update-status-read-twice", top.relations, top.units)
        if once and twice:
            figure += (
                f"; the calls are cached, the CPU is not: reading twice takes "
                f"{twice.time_s / once.time_s:.2f} times as long as reading once"
            )
        return Target("live-read-n", claim, MET, figure)
    first = bad[0]
    figure = f"{first.kind} at {_at(first)}: {first.calls('relation-get')} relation-get"
    why = f"{len(bad)} of {len(rows)} cases read a number of databags other than N."
    return Target("live-read-n", claim, MISSED, figure, why)


def check_stored_quiet_outside_relation_events(figures: Figures) -> Target:
    """Stored: no relation-get in update-status, whether services is read or not."""
    claim = "stored: no `relation-get` outside relation events"
    rows = [r for kind in UPDATE_STATUS_KINDS for r in figures.select(backend="stored", kind=kind)]
    if not rows:
        return Target("stored-no-get", claim, NOT_MEASURED, "no update-status measured")
    rebuild = figures.select(backend="stored", kind="rebuild")
    note = ""
    if rebuild:
        top = rebuild[-1]
        note = (
            f"; the rebuild after state loss (start) reads live data by design: "
            f"{top.calls('relation-get')} relation-get at {_at(top)}"
        )
    bad = [r for r in rows if r.calls("relation-get")]
    if not bad:
        return Target(
            "stored-no-get", claim, MET, f"0 relation-get in all {len(rows)} update-status{note}"
        )
    first = bad[0]
    figure = f"{first.kind} at {_at(first)}: {first.calls('relation-get')} relation-get"
    return Target("stored-no-get", claim, MISSED, figure, "update-status read relation data.")


def check_stored_relation_event_reads_one_bag(figures: Figures) -> Target:
    """Stored: a relation event costs at most one relation-get."""
    claim = "stored: a relation event costs at most one `relation-get` (that relation's app bag)"
    rows = figures.select(backend="stored", kind="relation-changed")
    if not rows:
        return Target("stored-one-get", claim, NOT_MEASURED, "no relation-changed measured")
    worst = max(rows, key=lambda r: (r.calls("relation-get"), r.relations, r.units))
    figure = (
        f"at most {worst.calls('relation-get')} relation-get ({_at(worst)}), {len(rows)} cases"
    )
    if worst.calls("relation-get") <= 1:
        return Target("stored-one-get", claim, MET, figure)
    why = "The relation event read more databags than its own relation's."
    return Target("stored-one-get", claim, MISSED, figure, why)


def check_stored_writes_flat(figures: Figures) -> Target:
    """Stored: the bytes a relation event writes do not grow with N."""
    claim = "stored: the bytes written by a relation event do not grow with N"
    parts: list[str] = []
    grew: list[str] = []
    for units in figures.values("units"):
        rows = figures.select(backend="stored", kind="relation-changed", units=units)
        if len(rows) < 2:
            continue
        low, high = rows[0], rows[-1]
        parts.append(
            f"M={units}: {low.bytes_written} B at N={low.relations}, "
            f"{high.bytes_written} B at N={high.relations}"
        )
        if high.bytes_written > low.bytes_written:
            grew.append(f"M={units}")
    if not parts:
        return Target("stored-flat-writes", claim, NOT_MEASURED, "fewer than two N measured")
    figure = "; ".join(parts)
    if not grew:
        return Target("stored-flat-writes", claim, MET, figure)
    why = f"A relation event writes more at larger N ({', '.join(grew)})."
    return Target("stored-flat-writes", claim, MISSED, figure, why)


def check_time_ratio(figures: Figures, backend: str, relations: int, limit: float) -> Target:
    """Both: the hook's time over the no-op charm's stays within ``limit`` at N=``relations``."""
    claim = f"{backend}: time over the no-op charm within {limit}x at N={relations}"
    key = f"{backend}-ratio-{relations}"
    rows = [
        r
        for r in figures.select(backend=backend, relations=relations)
        if r.kind in LIBRARY_KINDS and r.ratio is not None
    ]
    if not rows:
        return Target(key, claim, NOT_MEASURED, f"N={relations} not in this run")
    worst = max(rows, key=lambda r: r.ratio or 0.0)
    best = min(rows, key=lambda r: r.ratio or 0.0)
    figure = (
        f"{worst.ratio:.2f}x ({worst.kind}, M={worst.units}) to {best.ratio:.2f}x "
        f"({best.kind}, M={best.units})"
    )
    over = sorted({r.kind for r in rows if (r.ratio or 0.0) > limit})
    if not over:
        return Target(key, claim, MET, figure)
    return Target(key, claim, MISSED, figure, _ratio_why(figures, backend, relations, over))


def _ratio_why(figures: Figures, backend: str, relations: int, over: Sequence[str]) -> str:
    """Explain a time-ratio miss from the run's own figures."""
    reasons = [f"Over the limit: {', '.join(over)}."]
    units = max(figures.values("units"))
    read = figures.get(backend, "update-status-read", relations, units)
    ops_read = figures.get("ops-read", "update-status-read", relations, units)
    at = f"N={relations}, M={units}"
    if read and ops_read and read.ratio and ops_read.ratio:
        reasons.append(
            f"The no-op charm touches no relation, so any charm that reads N relations is far "
            f"above it: reading the N provider databags with plain ops and no library takes "
            f"{ops_read.ratio:.1f}x the no-op hook at {at} ({ops_read.calls('relation-get')} "
            f"relation-get)."
        )
        if backend == "live":
            reasons.append(
                f"The live backend's read takes {read.ratio:.1f}x, "
                f"{read.ratio / ops_read.ratio:.1f} times the plain ops read: the rest is the "
                "library validating every databag (the protocol parses each provider's YAML)."
            )
        else:
            reasons.append(
                f"The stored backend's read takes {read.ratio:.1f}x with "
                f"{read.calls('relation-get')} relation-get, {read.ratio / ops_read.ratio:.1f} "
                "times the plain ops read of live data: it loads one snapshot per relation from "
                "the state file and validates every cached databag again."
            )
    twice = figures.get(backend, "update-status-read-twice", relations, units)
    if read and twice and read.ratio and twice.ratio and twice.ratio > 1.5 * read.ratio:
        reasons.append(
            f"Reading `services` twice takes {twice.ratio:.1f}x against {read.ratio:.1f}x once: "
            "the view is validated again at each read (only the databags are cached)."
        )
    quiet = figures.get(backend, "update-status-no-read", relations, units)
    if quiet and quiet.ratio and quiet.ratio > 1.0:
        reasons.append(
            f"Even without reading, constructing the requirer (its observers and StoredState) "
            f"takes {quiet.ratio:.2f}x the no-op hook, which does almost nothing."
        )
    return " ".join(reasons)


def check_linear_growth(figures: Figures, backend: str) -> Target:
    """Both: time and hook-tool calls grow at most linearly with N."""
    claim = f"{backend}: cost grows linearly in N (fitted exponent <= {LINEAR_EXPONENT})"
    fits = [
        f
        for f in figures.fits
        if f.backend == backend and f.storage == "local" and len(f.relations) >= 3
    ]
    if not fits:
        return Target(f"{backend}-linear", claim, NOT_MEASURED, "fewer than three N measured")

    def worst(measure: Callable[[Fit], float | None]) -> tuple[float, str]:
        pairs = [(measure(f) or 0.0, f"{f.kind}, M={f.units}") for f in fits]
        return max(pairs)

    time_fit, time_at = worst(lambda f: f.time_exponent)
    time_top, top_at = worst(lambda f: f.time_top_exponent)
    calls_fit, calls_at = worst(lambda f: f.calls_exponent)
    calls_top, calls_top_at = worst(lambda f: f.calls_top_exponent)
    top_n = fits[0].relations[-2:]
    figure = (
        f"largest exponents: time {time_fit:.2f} over all N ({time_at}), {time_top:.2f} "
        f"between N={top_n[0]} and {top_n[1]} ({top_at}); hook-tool calls {calls_fit:.2f} "
        f"({calls_at}), {calls_top:.2f} at the top ({calls_top_at})"
    )
    if max(time_fit, time_top, calls_fit, calls_top) <= LINEAR_EXPONENT:
        return Target(f"{backend}-linear", claim, MET, figure)
    why = [f"The cost grows faster than linearly at the top of the range ({top_at})."]
    if time_top > LINEAR_EXPONENT >= calls_top:
        why.append(
            "The hook-tool calls stay linear, so the extra time is spent in the process (ops "
            "or the library), not in round trips to Juju."
        )
    return Target(f"{backend}-linear", claim, MISSED, figure, " ".join(why))


def check_controller_limit(figures: Figures, backend: str) -> Target:
    """Both: with controller storage no single state value exceeds Juju's 64 KiB at N=1000."""
    claim = f"{backend}: with controller storage no state value exceeds 64 KiB at N=1000"
    key = f"{backend}-64k"
    rows = figures.select("controller", backend=backend)
    if not rows:
        return Target(key, claim, NOT_MEASURED, "controller storage not measured")
    top_n = max(r.relations for r in rows)
    top = [r for r in rows if r.relations == top_n]
    largest = max(r.largest_state_value for r in top)
    hits = sum(r.state_limit_hits for r in top)
    failed = [r for r in top if not r.ok]
    figure = f"at N={top_n}: largest value {largest} B, {hits} value(s) refused"
    if failed:
        figure += f", {len(failed)} hook kind(s) failed"
    status = MET if not hits and not failed and largest <= MAX_STATE_VALUE else MISSED
    if top_n < 1000 and status == MET:
        return Target(key, claim, NOT_MEASURED, figure + " (N=1000 not in this run)")
    if status == MET:
        return Target(key, claim, MET, figure)
    why = f"Juju refused {hits} state value(s) over 64 KiB, so the hook failed and saved nothing."
    if any("_save_notice_list" in r.error_frames for r in failed):
        why += (
            " The refused value is ops' own list of pending notices (`#notices#`): at commit "
            "ops saves one notice per StoredState object, and the stored backend has one per "
            "relation, so the list grows with N past the limit, although each relation's "
            "own value stays small."
        )
    return Target(key, claim, MISSED, figure, why)


def check_targets(figures: Figures) -> list[Target]:
    """Check every target of issue 4, in the issue's order."""
    targets = [
        check_live_quiet_without_reads(figures),
        check_live_reads_each_relation_once(figures),
        check_stored_quiet_outside_relation_events(figures),
        check_stored_relation_event_reads_one_bag(figures),
        check_stored_writes_flat(figures),
    ]
    for backend in ("live", "stored"):
        targets += [check_time_ratio(figures, backend, n, limit) for n, limit in RATIO_LIMITS]
        targets.append(check_linear_growth(figures, backend))
        targets.append(check_controller_limit(figures, backend))
    return targets
