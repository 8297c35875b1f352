"""The figure registry, and the figures both reports share: values, sources, metadata.

A figure renders the text between ``<!-- figures:NAME ARGS -->`` and ``<!-- /figures -->`` in a
document or report template (``render.py``). Figures return numbers and tables; the sentences
around them are the documents' own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .data import Reports
from .formats import code, count, decimal, number, ratio, share, words

Figure = Callable[[Reports, Sequence[str]], str]
"""Turns the reports (and the marker's arguments) into Markdown."""

FIGURES: dict[str, Figure] = {}
"""Every figure, by the name its marker uses."""

MISSING_COSTS = (
    "*`reports/costs.json` is not there yet: run `nox -s bench` (or `python -m benchmarks`), "
    "then `nox -s docs`.*"
)

FORMATS: dict[str, Callable[[Any], str]] = {
    "count": count, "share": share, "decimal": decimal, "ratio": ratio, "number": number
}  # fmt: skip
"""The formats a ``value`` marker can name."""


def split_options(args: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """A marker's ``name=value`` options, and its other arguments in order."""
    return dict(a.split("=", 1) for a in args if "=" in a), [a for a in args if "=" not in a]


def figure(name: str) -> Callable[[Figure], Figure]:
    """Register a figure function under a marker name."""

    def register(function: Figure) -> Figure:
        FIGURES[name] = function
        return function

    return register


@figure("value")
def value(reports: Reports, args: Sequence[str]) -> str:
    """One figure of ``study.json`` inline: ``<!-- figures:value summary/live/hooks [count] -->``.

    The format is ``count`` (default), ``share``, ``decimal``, ``ratio`` or ``number``.
    """
    path, *style = args
    return FORMATS[style[0] if style else "count"](reports.study.lookup(path))


@figure("source")
def source(reports: Reports, args: Sequence[str]) -> str:
    """Where a block's figures come from: ``<!-- figures:source study|costs [PART ...] -->``."""
    which, *parts = args
    where = f" ({', '.join(code(part) for part in parts)})" if parts else ""
    if which == "study":
        meta = reports.study.meta
        return (
            f"*From `reports/study.json`{where}, written by `{meta['command']}` as part of "
            f"`nox -s bench`: ops {meta['ops_version']}, {count(len(meta['seeds']))} random "
            f"schedules of {count(meta['random_operations'])} operations, every named scenario "
            f"with seeds {words(str(seed) for seed in meta['scenario_seeds'])}.*"
        )
    if reports.costs is None:
        return MISSING_COSTS
    meta = reports.costs.meta
    return (
        f"*From `reports/costs.json`{where}, written by "
        f"`{meta.get('command', 'python -m benchmarks')}` as part of `nox -s bench`: ops "
        f"{meta.get('ops_version', '-')}, {meta.get('cores', '-')} cores. Times are medians of "
        f"{meta.get('clock', 'wall')} time over the timed rounds. Every N and M, the targets and "
        "the plots are in `reports/README.md`.*"
    )


@figure("meta")
def meta(reports: Reports, args: Sequence[str]) -> str:
    """One item of a report's metadata inline: ``<!-- figures:meta study|costs KEY -->``."""
    which, key = args
    if which == "study":
        return number(reports.study.meta.get(key, "-"))
    return number(reports.costs.meta.get(key, "-")) if reports.costs is not None else "-"
