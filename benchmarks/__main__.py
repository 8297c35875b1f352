"""``python -m benchmarks [--quick | --full]``: run the cost benchmarks and write ``costs.json``.

One row per case from its timed rounds, then the ``sections``: the hostile-input hooks
(``hostile``), the targets' pairs (``paired``) and the production benchmarks. pytest-benchmark's
JSON is kept beside it as ``benchmarks-raw.json``.
``--quick`` writes into ``build/quick-reports/`` unless ``--out`` says otherwise; the study's
flags are accepted and ignored, so that ``nox -s bench -- <flags>`` can pass them to both.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from statistics import median
from typing import Any

import attrs
import pytest

from reporting import BENCH_SIZES, Costs, add_size_flags, chosen_size, environment, reports_folder
from reporting.labels import ms
from reporting.targets import PAIRS, verdicts

from .cases import Case, cases
from .hostile import hostile_rows
from .model import unit_dirs_root
from .paired import paired_rows
from .production import production_sections

PACKAGE = Path(__file__).resolve().parent

say = partial(print, flush=True)


def group_of(item: pytest.Item) -> str:
    """The group a test belongs to: its case's storage, wire, N and M, or its module."""
    callspec = getattr(item, "callspec", None)
    case = callspec.params.get("case") if callspec is not None else None
    return case.group if isinstance(case, Case) else item.nodeid.split("::")[0]


class Progress:
    """A pytest plugin printing a line per finished group of cases, and each failure at once.

    It is the run's console: pytest's terminal reporter is off (``-p no:terminal``), as its
    per-test lines and pytest-benchmark's tables, which time the whole simulator step, would
    contradict the report.
    """

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        self._groups: dict[str, str] = {}
        self._sizes: Counter[str] = Counter()
        self._counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._started = time.perf_counter()
        self._done = 0
        self.failed = 0

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Learn each test's group, and how many tests each group has."""
        self._groups = {item.nodeid: group_of(item) for item in session.items}
        self._sizes = Counter(self._groups.values())
        self._write(f"benchmarks: {len(session.items)} cases in {len(self._sizes)} groups")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count each test's outcome; print a failure at once, and a group once it is done."""
        if report.when != "call" and not (report.failed or report.skipped):
            return
        group = self._groups.get(report.nodeid, report.nodeid)
        counts = self._counts[group]
        counts[report.outcome] += 1
        if report.failed:
            self.failed += 1
            self._write(f"FAILED {report.nodeid} ({report.when})\n{report.longreprtext}")
        if counts.total() == self._sizes[group]:
            self._done += 1
            tally = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
            elapsed, self._started = time.perf_counter() - self._started, time.perf_counter()
            self._write(f"  [{self._done}/{len(self._sizes)}] {group}: {tally} ({elapsed:.1f}s)")


def summarise(raw: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per case from pytest-benchmark's JSON: medians and totals of the timed rounds."""
    rows: list[dict[str, Any]] = []
    for bench in raw.get("benchmarks", []):
        info: Mapping[str, Any] = bench["extra_info"]
        calls: list[dict[str, int]] = info["tool_calls"]
        durations, answers = info["durations_s"], info["answers_s"]
        rows.append(
            {
                **{key: info[key] for key in attrs.fields_dict(Case)},
                "rounds": len(durations),
                # The hook's own thread CPU: the simulator's answering of its tools taken out.
                "time_s": median(d - a for d, a in zip(durations, answers, strict=True)),
                "answer_s": median(answers),
                "tool_calls": calls[-1],
                "tool_calls_vary": any(c != calls[-1] for c in calls),
                "state_bytes": info["state_bytes"][-1],
                "bytes_written": max(info["bytes_written"]),
                "state_limit_hits": sum(info["state_limit_hits"]),
                "largest_state_value": info["largest_state_value"],
                "ok": all(info["ok"]),
                "error": info.get("error"),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmarks, write ``costs.json``; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    add_size_flags(parser)
    parser.add_argument("--out", type=Path, help="reports folder (reports/, or for --quick "
                        "build/quick-reports/)")  # fmt: skip
    arguments, ignored = parser.parse_known_args(argv)
    if ignored:
        say(f"benchmarks: ignoring {' '.join(ignored)} (the study's flags)")
    name = chosen_size(arguments)
    out: Path = arguments.out or reports_folder(name)
    out.mkdir(parents=True, exist_ok=True)
    raw_path, size = out / "benchmarks-raw.json", BENCH_SIZES[name]
    found = cases(size)
    say(f"benchmarks ({name}): {len(found)} cases")
    started = time.perf_counter()
    # First, while the process holds nothing but its imports, as a hook's own process does.
    say(f"paired: the targets' {len(PAIRS)} ratios, their two cases timed in turn")
    paired = paired_rows(size)
    progress = Progress(say)
    code = pytest.main(
        [str(PACKAGE), "-p", "no:cacheprovider", "-p", "no:terminal",
         "-o", "addopts=--strict-markers", f"--rootdir={PACKAGE.parent}",
         f"--ignore={PACKAGE / 'test_production.py'}", f"--bench-size={name}",
         f"--benchmark-json={raw_path}"],
        plugins=[progress],
    )  # fmt: skip
    if code != 0 or progress.failed:
        say(f"benchmarks failed (pytest exit code {int(code)}); nothing written")
        return int(code) or 1
    sections = {"hostile": hostile_rows(), "paired": paired}
    say("production: hook tools as processes, start-up, and the model")
    sections |= production_sections(name, say)
    root = unit_dirs_root()
    meta = {
        **environment("python -m benchmarks", argv),
        "size": name,
        "cases": len(found),
        "clock": "thread-CPU",
        "rounds": {str(n): r for n, r in size.rounds.items()},
        "unit_dirs": f"{root} (tmpfs)" if root else "the system's temporary directory (disk)",
        "seconds": round(time.perf_counter() - started, 1),
    }
    document = {"meta": meta, "rows": summarise(json.loads(raw_path.read_text())),
                "sections": sections}  # fmt: skip
    (out / "costs.json").write_text(json.dumps(document, indent=1) + "\n")
    per_call, hooks = sections["production-per-call"][0], sections["production-hooks"]
    say(f"one hook-tool call (C client): {ms(hooks[0]['per_call_s'])} ms in the model; "
        f"{ms(per_call['wall_s'])} ms median, {ms(per_call['mean_wall_s'])} ms mean of one run "
        "of calls")  # fmt: skip
    startup = sections["production-startup"]
    say("start-up (CPU): " + ", ".join(f"{r['program']} {ms(r['cpu_s'])} ms" for r in startup))
    for target, status, result in verdicts(Costs.from_json(document)):
        say(f"{status:<12} {target.claim} {target.goal}: {result.figure}")
    say(f"wrote {out}/costs.json in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
