"""Common presentations, written by the project in its own words (``own_cases/common_*.yaml``).

Each is a typical picture of one condition, from a person's own report or a clinician's examination.
The expected site and condition must rank first, and the triage, where the case gives one, must match.
A failure means the reasoning misreads a common picture: fix the knowledge or the engine, not the case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from radicula.case import load_case
from radicula.engine.assess import assess_case
from radicula.knowledge.loader import Knowledge

CASES = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "own_cases").glob("common_*.yaml"))


def test_there_are_common_presentations() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_common_presentation_ranks_the_expected_site_and_condition_first(path: Path, kb: Knowledge) -> None:
    case = load_case(path)
    assert case.expected is not None and case.expected.site and case.expected.condition
    result = assess_case(case, kb)
    sites = [s.site for s in result.localization]
    conditions = [c.condition for c in result.differential]
    summary = f"sites {sites[:3]}, conditions {conditions[:3]}, triage {result.triage.disposition}"
    assert sites[0] in {s.site for s in case.expected.site}, summary
    assert conditions[0] in set(case.expected.condition), summary
    if case.expected.triage is not None:
        assert result.triage.disposition == case.expected.triage, summary
