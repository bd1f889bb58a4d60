"""The localisation fit has two paths: ``site_logs`` (every hypothesis, numbers only) and
``site_fit`` (one hypothesis, with the items behind the reasons). They must give the very same
numbers, to the last bit, for every site and side hypothesis."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import OWN_CASES, PUBLIC_CASES, PUBLISHED_CASES
from radicula.case import Case, load_case
from radicula.engine.assess import facts_for
from radicula.engine.localize import grouped_hypotheses, index_for, observations, site_fit, site_logs
from radicula.knowledge.loader import Knowledge, load_knowledge
from strategies import build, case_data

KB: Knowledge = load_knowledge()


def _check(case: Case, kb: Knowledge) -> None:
    index = index_for(kb)
    facts = facts_for(case, kb)
    obs = observations(case, facts, kb, index)
    for site, hyps in grouped_hypotheses(index, obs.lateral):
        fast = site_logs(index.sites[site], hyps, obs, index)
        slow = [site_fit(index.sites[site], h, obs, index).log for h in hyps]
        assert [x.hex() for x in fast] == [x.hex() for x in slow], site


@pytest.mark.parametrize("path", [*PUBLIC_CASES, *PUBLISHED_CASES, *OWN_CASES], ids=lambda p: p.stem)
def test_both_fit_paths_agree_on_the_fixtures(path: Any) -> None:
    _check(load_case(path), KB)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_data())
def test_both_fit_paths_agree_on_random_cases(data: dict[str, Any]) -> None:
    _check(build(data), KB)
