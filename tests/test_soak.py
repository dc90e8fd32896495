"""`make soak` in small, in every test run: the whole assistant under `scripts/run.sh` keeps every message and
booking while its processes are killed, and answers hostile requests without a server error (bench/soak.py)."""
from __future__ import annotations

import pytest

from bench.soak import Scale, soak, table
from tests.conftest import MODEL_PATH


def test_a_small_soak_meets_every_target():
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}: run `make test`, which trains it first.")
    rows = soak(Scale.small())
    assert all(row.ok for row in rows), "\n" + table(rows, Scale.small())
