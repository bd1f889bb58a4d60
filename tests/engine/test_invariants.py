"""Property tests of the whole assessment: safety and symmetry invariants (Hypothesis)."""

from __future__ import annotations

import math
import os
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radicula.assessment import urgency_rank
from radicula.case import case_from_data
from radicula.engine.assess import assess_case, facts_for
from radicula.engine.triage import rule_triage
from radicula.knowledge.loader import Knowledge, load_knowledge
from strategies import FINDINGS, RED_FLAGS, build, case_data, mirror

KB: Knowledge = load_knowledge()
# More examples for a deeper local run: RADICULA_HYPOTHESIS_EXAMPLES=3000
EXAMPLES = int(os.environ.get("RADICULA_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rank(data: dict[str, Any]) -> int:
    return urgency_rank(assess_case(build(data), KB).triage.disposition)


def _rule_rank(data: dict[str, Any]) -> int:
    return urgency_rank(rule_triage(facts_for(build(data), KB), KB).disposition)


def _without(data: dict[str, Any], code: str) -> dict[str, Any]:
    return {**data, "present": [f for f in data["present"] if f.split("@")[0] != code],
            "absent": [f for f in data["absent"] if f.split("@")[0] != code]}


@SETTINGS
@given(case_data(), st.sampled_from(RED_FLAGS))
def test_adding_a_red_flag_never_lowers_urgency(data: dict[str, Any], flag: str) -> None:
    base = _without(data, flag)
    more = {**base, "present": [*base["present"], flag]}
    assert _rank(more) <= _rank(base)


@SETTINGS
@given(case_data(), st.sampled_from(FINDINGS))
def test_unknown_to_present_never_lowers_and_to_absent_never_raises_urgency(data: dict[str, Any], code: str) -> None:
    unknown = _without(data, code)
    present = {**unknown, "present": [*unknown["present"], code]}
    absent = {**unknown, "absent": [*unknown["absent"], code]}
    for rank in (_rule_rank, _rank):  # the rule table alone, and after escalation by the diagnosis model
        assert rank(present) <= rank(unknown)
        assert rank(absent) >= rank(unknown)


@SETTINGS
@given(case_data())
def test_mirroring_left_and_right_mirrors_the_result(data: dict[str, Any]) -> None:
    a = assess_case(build(data), KB)
    b = assess_case(build(mirror(data)), KB)
    assert a.triage.disposition == b.triage.disposition
    pa = {c.condition: c.probability for c in a.differential}
    pb = {c.condition: c.probability for c in b.differential}
    for code, p in pa.items():
        assert math.isclose(p, pb[code], rel_tol=1e-9, abs_tol=1e-12)
    swap = {"left": "right", "right": "left"}
    sa = {(s.site, s.side): s.probability for s in a.localization}
    sb = {(s.site, swap.get(s.side or "", s.side)): s.probability for s in b.localization}
    assert sa.keys() == sb.keys()
    for key, p in sa.items():
        assert math.isclose(p, sb[key], rel_tol=1e-9, abs_tol=1e-12)


@SETTINGS
@given(case_data(), st.randoms(use_true_random=False))
def test_order_of_findings_does_not_matter(data: dict[str, Any], rnd: random.Random) -> None:
    shuffled = dict(data)
    for key in ("present", "absent", "sensory", "pain", "motor", "reflexes", "tests"):
        if key in shuffled:
            items = list(shuffled[key])
            rnd.shuffle(items)
            shuffled[key] = items
    a = assess_case(build(data), KB).to_spec_json()
    b = assess_case(build(shuffled), KB).to_spec_json()
    assert a["triage"]["disposition"] == b["triage"]["disposition"]
    for x, y in zip(a["differential"], b["differential"], strict=True):
        assert math.isclose(x["probability"], y["probability"], abs_tol=1e-9)


@SETTINGS
@given(case_data())
def test_probabilities_are_in_range_and_sum_to_at_most_one(data: dict[str, Any]) -> None:
    result = assess_case(build(data), KB)
    for items in ([c.probability for c in result.differential], [s.probability for s in result.localization]):
        assert all(0.0 <= p <= 1.0 for p in items)
        assert sum(items) <= 1.0 + 1e-9


@SETTINGS
@given(case_data())
def test_differential_can_only_raise_the_rule_disposition(data: dict[str, Any]) -> None:
    result = assess_case(build(data), KB)
    assert result.triage.rule_disposition is not None
    assert urgency_rank(result.triage.disposition) <= urgency_rank(result.triage.rule_disposition)


def test_a_case_with_no_findings_gives_the_priors() -> None:
    for reporter in ("self", "clinician"):
        result = assess_case(case_from_data({"reporter": reporter}), KB)
        priors = {c: cond.priors[reporter].value for c, cond in KB.conditions.items()}
        total = sum(priors.values())
        for item in result.differential:
            assert math.isclose(item.probability, priors[item.condition] / total, rel_tol=1e-6)


def test_assessment_is_deterministic() -> None:
    data = {"reporter": "clinician", "present": ["back_pain"], "sensory": [
        {"region": "dorsum_foot", "side": "left", "quality": "numb"}]}
    assert assess_case(build(data), KB).to_spec_json() == assess_case(build(data), KB).to_spec_json()
