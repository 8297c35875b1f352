"""Number formats and the one Markdown table builder every report and document uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast


def count(value: float) -> str:
    """Format a count: ``1,553``."""
    return f"{round(value):,}"


def share(value: float) -> str:
    """Format a fraction as a percentage: ``20.2%``."""
    return f"{value:.1%}"


def decimal(value: float) -> str:
    """Format a measured mean with one decimal: ``14.9``."""
    return f"{value:,.1f}"


def ratio(value: float | None) -> str:
    """Format a ratio: ``1.07x``, or ``-`` when there is none."""
    return "-" if value is None else f"{value:.2f}x"


def exponent(value: float | None) -> str:
    """Format a fitted exponent: ``1.02``, or ``-`` when there is none."""
    return "-" if value is None else f"{value:.2f}"


def median(value: float | None) -> str:
    """Format a median, whole when it is whole: ``3``, ``2.5``, or ``-`` when there is none."""
    if value is None:
        return "-"
    return count(value) if float(value).is_integer() else decimal(value)


def number(value: object) -> str:
    """Format any value by its type: counts whole, means with one decimal, collections by item."""
    if isinstance(value, list | tuple):
        return ", ".join(number(item) for item in cast("Sequence[object]", value))
    if isinstance(value, dict):
        items = cast("dict[object, object]", value).items()
        return ", ".join(f"{key}: {number(item)}" for key, item in items)
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int):
        return count(value)
    if isinstance(value, float):
        return median(value)
    return str(value)


def words(items: Iterable[str]) -> str:
    """Join names for a sentence: ``a``, ``a and b``, ``a, b and c``."""
    names = list(items)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def code(name: str) -> str:
    """Format a name as inline code."""
    return f"`{name}`"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, labels: int = 1) -> str:
    """Build a Markdown table: label columns left-aligned, figure columns right-aligned.

    Args:
        header: The column headings.
        rows: The cells, one sequence per row.
        labels: How many leading columns are labels rather than figures.

    Returns:
        The table, without a trailing newline.
    """
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * labels + " ---: |" * (len(header) - labels),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
