"""The localisation fit has three paths: ``site_logs`` (every hypothesis, numbers only),
``site_fit`` (one hypothesis, with the items behind the reasons) and ``site_reasons`` (the reasons
alone). They must agree exactly, to the last bit, for every site and side hypothesis."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import OWN_CASES, PUBLIC_CASES, PUBLISHED_CASES
from radicula.case import Case, load_case
from radicula.engine.assess import facts_for
from radicula.engine.localize import (
    Fit,
    grouped_hypotheses,
    index_for,
    observations,
    site_fit,
    site_logs,
    site_reasons,
)
from radicula.knowledge.loader import Knowledge, load_knowledge
from strategies import build, case_data

KB: Knowledge = load_knowledge()


def _check(case: Case, kb: Knowledge) -> None:
    index = index_for(kb)
    facts = facts_for(case, kb)
    obs = observations(case, facts, kb, index)
    for site, hyps in grouped_hypotheses(index, obs.lateral):
        fast = site_logs(index.sites[site], hyps, obs, index)
        fits = [site_fit(index.sites[site], h, obs, index) for h in hyps]
        assert [x.hex() for x in fast] == [f.log.hex() for f in fits], site
        for h, f in zip(hyps, fits, strict=True):
            for limit in (2, 4, 100):
                assert site_reasons(index.sites[site], h, obs, index, limit) == f.reasons(limit), site


@pytest.mark.parametrize("path", [*PUBLIC_CASES, *PUBLISHED_CASES, *OWN_CASES], ids=lambda p: p.stem)
def test_both_fit_paths_agree_on_the_fixtures(path: Any) -> None:
    _check(load_case(path), KB)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_data())
def test_both_fit_paths_agree_on_random_cases(data: dict[str, Any]) -> None:
    _check(build(data), KB)


def test_reasons_of_equal_weight_are_ordered_by_label() -> None:
    fit = Fit(parts=([("sign", "sign_present", "Gait disturbance", 0.5), ("pain", "pain_in", "Buttock", 0.5),
                      ("pain", "pain_in", "Posterior thigh", 0.5), ("sign", "one_sided", "laterality", -0.2)],),
              scales={"sign": 1.0, "pain": 1.0})
    assert fit.reasons(4) == (
        ["pain in expected area: Buttock", "Gait disturbance: present", "pain in expected area: Posterior thigh"],
        ["symptoms on one side only: laterality"],
    )
    assert fit.reasons(1) == (["pain in expected area: Buttock"], ["symptoms on one side only: laterality"])
