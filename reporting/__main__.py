"""``python -m reporting [--check] [--quick] [--reports DIR]``: render the reports and documents.

Reads ``study.json`` and ``costs.json`` from the reports folder and writes ``README.md``,
``study.md`` and the plots there. The documents in ``docs/`` quote the committed reports, so
their figures are rendered in place only from the default folder, ``reports/``; ``--quick``
reads and writes ``build/quick-reports/``, where ``--quick`` runs write. With ``--check``
nothing is written: it fails while a document differs from what the reports render. The
study's other flags are accepted and ignored, so that ``nox -s bench -- <flags>`` passes the
same flags to the three steps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data import REPORTS, Reports
from .plots import write_plots
from .render import ROOT, documents, render_reports, rendered
from .sizes import add_size_flags, chosen_size, reports_folder


def main(argv: list[str] | None = None) -> int:
    """Render, or check; return the exit status (1 when ``--check`` finds a stale document)."""
    parser = argparse.ArgumentParser(prog="python -m reporting", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a document is stale")
    parser.add_argument("--reports", type=Path, help="the reports folder (default: reports/)")
    add_size_flags(parser)
    arguments, _ignored = parser.parse_known_args(argv)
    arguments.reports = arguments.reports or reports_folder(chosen_size(arguments))
    reports = Reports.load(arguments.reports)
    quoted = documents() if arguments.reports.resolve() == REPORTS else []
    found = rendered(quoted, reports).items()
    stale = {path: text for path, text in found if path.read_text() != text}
    if arguments.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run `nox -s docs`)")
        return 1 if stale else 0
    for path, text in stale.items():
        path.write_text(text)
        print(f"rendered {path.relative_to(ROOT)}")
    for path in [
        *render_reports(reports, arguments.reports),
        *write_plots(reports, arguments.reports),
    ]:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
