"""The likelihood ratios of every condition are gathered from the case's known features
(``_likelihoods``); they must agree exactly with going through each condition's rows
(``_likelihood``): the same total to the last bit, and the same sides in the same order."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import OWN_CASES, PUBLIC_CASES, PUBLISHED_CASES
from radicula.case import Case, load_case
from radicula.engine.assess import facts_for
from radicula.engine.differential import _dindex, _likelihood, _likelihoods
from radicula.knowledge.loader import Knowledge, load_knowledge
from strategies import build, case_data

KB: Knowledge = load_knowledge()


def _check(case: Case, kb: Knowledge) -> None:
    dindex = _dindex(kb)
    facts = facts_for(case, kb)
    totals, sides = _likelihoods(dindex, facts.lookup)
    assert len(totals) == len(sides) == len(kb.conditions)
    for code, total, chosen in zip(kb.conditions, totals, sides, strict=True):
        ref_total, ref_chosen = _likelihood(dindex.ratios.get(code, ()), dindex.features.get(code, ()), facts)
        assert total.hex() == ref_total.hex(), code
        assert [id(side) for side in chosen] == [id(side) for side in ref_chosen], code


@pytest.mark.parametrize("path", [*PUBLIC_CASES, *PUBLISHED_CASES, *OWN_CASES], ids=lambda p: p.stem)
def test_both_likelihood_paths_agree_on_the_fixtures(path: Any) -> None:
    _check(load_case(path), KB)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_data())
def test_both_likelihood_paths_agree_on_random_cases(data: dict[str, Any]) -> None:
    _check(build(data), KB)
