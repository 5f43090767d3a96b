"""Fixtures shared by several test files."""

from __future__ import annotations

import pytest

from _results_support import blockade_run_folder


@pytest.fixture(scope="session")
def blockade_run(tmp_path_factory):
    """A 300-replication blockade run folder written by ``straitsim run`` (read-only)."""
    return blockade_run_folder(tmp_path_factory)
