"""``python docs/render.py [--check]``: render the reports and the figures of ``docs/``.

The same as ``python -m reporting`` (see ``reporting/render.py`` for the markers), kept so that
``nox -s docs`` and a clone's habits keep working.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reporting.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
