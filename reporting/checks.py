"""The one checker shape: a tuple of small ``check_*`` functions, each returning a ``Result``.

As in ops' consistency checker, every check runs and the errors are reported together. The cost
targets (``targets.py``) and the facts the documents state in words (``claims.py``) are both
written this way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from .data import Reports


@attrs.frozen
class Result:
    """What one check found."""

    errors: tuple[str, ...] = ()
    """What does not hold, each in a sentence; empty when the check passes."""
    figure: str = ""
    """The measured figures that decide it."""
    measured: bool = True
    """False when the reports hold nothing to check (then ``errors`` is empty)."""


Check = Callable[[Reports], Result]
"""A check over the reports."""

NOT_MEASURED = Result(measured=False)
"""The result of a check whose figures are not in the reports."""


class CheckError(Exception):
    """One or more checks failed; the message lists every error."""


def require(checks: Sequence[Check], reports: Reports, *, what: str) -> None:
    """Run every check, in order, and raise once, with every error, if any failed.

    Args:
        checks: The checks.
        reports: The reports checked.
        what: What relies on the checks, for the message.

    Raises:
        CheckError: If any check returned errors.
    """
    errors = [error for check in checks for error in check(reports).errors]
    if errors:
        listed = "\n".join(f"- {error}" for error in errors)
        raise CheckError(f"{what} no longer hold in the reports:\n{listed}")
