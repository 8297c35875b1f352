"""Smoke run of the hostile-input benchmark, so that it cannot rot between runs of ``bench``."""

from __future__ import annotations

from .hostile import CORPUS, FLAT_CASES, hostile_rows

EXPECTED_START = {
    "data": "data",
    "versions": "_supported_versions ",
    "v0-name-60k": "service-name ",
    "v0-lone-surrogate": "service-name ",
    "unknown-keys": "no known dialect",
}
"""How the reason of each requirer-side case begins: it names the key that was refused."""


def test_hostile_rows_cover_every_case_and_name_the_bad_key() -> None:
    """One repeat yields a row per side, backend and case; each reason names the refused key."""
    rows = hostile_rows(repeats=1)

    requirer_cases = 2 * len(CORPUS) + len(FLAT_CASES)
    assert len(rows) == 2 * (requirer_cases + len(CORPUS))
    assert {(row["side"], row["backend"]) for row in rows} == {
        (side, backend) for side in ("requirer", "provider") for backend in ("live", "stored")
    }
    for row in rows:
        if row["side"] == "requirer":
            start = EXPECTED_START[row["case"].split(":")[0]]
            assert row["outcome"].startswith(start), row
