"""Measuring a unit's stored state: ops' SQLite ``snapshot`` table, or controller charm state."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Mapping
from pathlib import Path

STATE_FILE = ".unit-state.db"
"""The file ops keeps local state in, inside the charm directory."""


def read_snapshot_rows(db_path: Path) -> dict[str, bytes]:
    """Every row of the ``snapshot`` table as ``{handle: blob}`` (empty if there is no DB)."""
    if not db_path.exists():
        return {}
    uri = f"{db_path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        try:
            rows = db.execute("SELECT handle, data FROM snapshot").fetchall()
        except sqlite3.OperationalError:
            return {}
    return {str(handle): bytes(data) for handle, data in rows}


def rows_size(rows: Mapping[str, bytes]) -> int:
    return sum(len(blob) for blob in rows.values())


def rows_written(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> int:
    """Bytes of rows that are new or changed in ``after`` (deleted rows count 0)."""
    return sum(len(blob) for handle, blob in after.items() if before.get(handle) != blob)


def state_size(state: Mapping[str, str]) -> int:
    """The sum of the UTF-8 sizes of controller charm-state values."""
    return sum(len(value.encode()) for value in state.values())


def delete_local_state(charm_dir: Path) -> None:
    """Delete a unit's local state DB (the pod and its filesystem are gone)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        (charm_dir / f"{STATE_FILE}{suffix}").unlink(missing_ok=True)
