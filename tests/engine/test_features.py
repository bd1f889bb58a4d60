"""Feature extraction: findings set from other parts of a case, and timing read from the onset."""

from __future__ import annotations

from typing import Any

import pytest

from radicula.case import case_from_data
from radicula.engine.features import Tri, extract
from radicula.knowledge.loader import load_knowledge


def _states(data: dict[str, Any]) -> dict[str, Tri]:
    kb = load_knowledge()
    return dict(extract(case_from_data({"reporter": "self", **data}), kb.codes["findings"], kb.codes["tests"]).states)


def test_a_burning_sensory_symptom_is_burning_pain() -> None:
    burning = {"sensory": [{"region": "sole", "side": "left", "quality": "burning"}]}
    assert _states(burning)["burning_pain"] is True
    # present wins over absent, as for any finding listed both ways
    assert _states({**burning, "absent": ["burning_pain"]})["burning_pain"] is True
    tingling = {"sensory": [{"region": "sole", "side": "left", "quality": "tingling"}]}
    assert _states(tingling)["burning_pain"] is None
    assert _states({**tingling, "absent": ["burning_pain"]})["burning_pain"] is False


@pytest.mark.parametrize(
    ("timing", "expected"),
    [
        ({"duration_days": 42}, True),
        ({"duration_days": 41}, False),
        ({"onset": "insidious"}, True),  # over months, in the case format
        ({"onset": "insidious", "duration_days": 20}, False),  # a stated duration wins
        ({"onset": "gradual"}, None),
        ({}, None),
    ],
)
def test_persisting_6_weeks(timing: dict[str, Any], expected: Tri) -> None:
    assert _states(timing)["persisting_6_weeks"] is expected


@pytest.mark.parametrize(
    ("timing", "safe", "known"),
    [
        ({"course": "worsening"}, True, None),  # no timing: the triage reading assumes recent, the other waits
        ({"course": "worsening", "duration_days": 10}, True, True),
        ({"course": "worsening", "duration_days": 60}, False, False),
        ({"course": "worsening", "onset": "insidious"}, False, False),
        ({"course": "rapidly_worsening", "duration_days": 400}, True, True),
        ({"course": "stable"}, False, False),
        ({"duration_days": 10}, None, None),  # course not given
    ],
)
def test_recent_progression_takes_the_safe_reading_and_its_known_twin_does_not(
    timing: dict[str, Any], safe: Tri, known: Tri
) -> None:
    states = _states(timing)
    assert states["recent_progression"] is safe
    assert states["recent_progression_known"] is known


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"absent": ["leg_weakness"]}, False),  # no weakness of the leg at all, so no foot drop either
        ({"absent": ["leg_weakness"], "present": ["foot_drop"]}, True),  # present wins
        ({"absent": ["foot_drop"]}, None),  # another muscle may still be weak
        ({"absent": ["leg_weakness"], "motor": [{"action": "knee_extension", "side": "left", "mrc": 4}]}, True),
        ({}, None),
    ],
)
def test_motor_deficit(extra: dict[str, Any], expected: Tri) -> None:
    assert _states(extra)["motor_deficit"] is expected


@pytest.mark.parametrize(
    ("extra", "major", "bilateral_major"),
    [
        ({"present": ["foot_drop@left"]}, True, None),  # a foot that cannot be lifted: MRC 3 or less
        ({"present": ["foot_drop@bilateral"]}, True, True),
        ({"present": ["foot_drop"]}, True, None),  # unsided: marked weakness, sides unknown
        # a graded dorsiflexion is what the examiner found, and wins over the history
        ({"present": ["foot_drop@left"], "motor": [{"action": "ankle_dorsiflexion", "side": "left", "mrc": 4}]},
         None, None),
        ({}, None, None),
    ],
)
def test_a_foot_drop_is_a_major_motor_deficit_unless_graded(extra: dict[str, Any], major: Tri,
                                                           bilateral_major: Tri) -> None:
    states = _states(extra)
    assert states["major_motor_deficit"] is major
    assert states["bilateral_major_motor_deficit"] is bilateral_major


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"present": ["difficulty_walking"]}, True),
        # a limp from one weak leg says nothing of the cord or the nerves at large
        ({"present": ["difficulty_walking", "foot_drop@right"]}, None),
        ({"present": ["falls"], "motor": [{"action": "knee_extension", "side": "left", "mrc": 3}]}, None),
        # unsteadiness is never a limp
        ({"present": ["difficulty_walking", "unsteady_gait", "foot_drop@right"]}, True),
        # weakness on both sides, or mild weakness, does not explain it
        ({"present": ["difficulty_walking", "foot_drop@bilateral"]}, True),
        ({"present": ["difficulty_walking", "foot_drop@right", "leg_weakness@left"]}, True),
        ({"present": ["difficulty_walking"], "motor": [{"action": "ankle_dorsiflexion", "side": "left", "mrc": 4}]},
         True),
        ({"absent": ["difficulty_walking", "unsteady_gait", "falls"]}, False),
        ({}, None),
    ],
)
def test_a_limp_from_one_weak_leg_is_no_gait_disturbance_of_central_cause(extra: dict[str, Any],
                                                                          expected: Tri) -> None:
    states = _states(extra)
    assert states["gait_beyond_one_leg"] is expected
    if set(extra.get("present", [])) & {"difficulty_walking", "falls", "unsteady_gait"}:
        assert states["gait_disturbance"] is True  # triage still reads every walking problem as one


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"pain": [{"region": "low_back"}]}, True),
        ({"present": ["back_pain"]}, True),
        # with thoracic or trunk pain the level is that pain's, not the lumbar spine
        ({"present": ["back_pain", "thoracic_pain"]}, None),
        ({"pain": [{"region": "low_back"}, {"region": "trunk", "side": "left"}]}, None),
        ({"absent": ["back_pain"]}, False),
        ({}, None),
    ],
)
def test_low_back_pain_only(extra: dict[str, Any], expected: Tri) -> None:
    assert _states(extra)["low_back_pain_only"] is expected


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"reflexes": [{"reflex": "ankle", "side": "bilateral", "grade": "absent"}],
          "tests": [{"test": "babinski", "side": "bilateral", "result": "positive"}]}, True),
        ({"reflexes": [{"reflex": "ankle", "side": "bilateral", "grade": "absent"}],
          "tests": [{"test": "babinski", "side": "bilateral", "result": "negative"}]}, None),  # other signs unknown
        ({"reflexes": [{"reflex": "ankle", "side": "bilateral", "grade": "normal"}],
          "tests": [{"test": "babinski", "side": "bilateral", "result": "positive"}]}, False),
        ({"reflexes": [{"reflex": "ankle", "side": "bilateral", "grade": "absent"}]}, None),
        # a diabetic neuropathy takes the ankle jerks by itself: the pair may be two lesions
        ({"present": ["diabetes"], "reflexes": [{"reflex": "ankle", "side": "bilateral", "grade": "absent"}],
          "tests": [{"test": "babinski", "side": "bilateral", "result": "positive"}]}, None),
    ],
)
def test_upper_motor_neurone_signs_with_lost_leg_reflexes(extra: dict[str, Any], expected: Tri) -> None:
    assert _states(extra)["umn_signs_with_reflex_loss"] is expected


@pytest.mark.parametrize(
    ("tests", "expected"),
    [
        ([{"test": "straight_leg_raise", "side": "left", "result": "positive"}], True),
        ([{"test": "femoral_stretch", "side": "right", "result": "positive"},
          {"test": "straight_leg_raise", "side": "right", "result": "negative"}], True),
        ([{"test": "straight_leg_raise", "side": "bilateral", "result": "negative"}], None),  # others not done
        ([], None),
    ],
)
def test_root_tension_sign(tests: list[dict[str, Any]], expected: Tri) -> None:
    assert _states({"tests": tests})["root_tension_sign"] is expected
