"""Shared fixtures: the packaged knowledge base and the case fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from radicula.knowledge.loader import Knowledge, load_knowledge

FIXTURES = Path(__file__).parent / "fixtures"
PUBLIC_CASES = sorted((FIXTURES / "public_cases").glob("*.yaml"))
OWN_CASES = sorted((FIXTURES / "own_cases").glob("*.yaml"))
#: Published presentations the project encoded itself (a second benchmark set, beside the shared one).
PUBLISHED_CASES = sorted((FIXTURES / "published_cases").glob("*.yaml"))


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge()
