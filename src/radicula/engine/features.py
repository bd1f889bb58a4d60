"""Turn a case into features: named facts that are true, false or unknown (None).

Rules (triage, plan) and likelihood rows speak of features, never of raw case fields. A feature is:

- a finding code (``saddle_numbness``): true if in ``present``, false if in ``absent``, else unknown;
- ``test:<code>``: true if the test was positive, false if negative, else unknown;
- ``onset:<value>``, ``course:<value>``, ``reporter:<value>``, ``sex:<value>``: true when the case says
  so, false when it says something else, unknown when it says nothing;
- a derived feature defined in :data:`DERIVED` below (each is listed with its definition in the
  vocabulary's ``features`` section).

Three-valued logic throughout: an unknown input never becomes false. Where a derived feature must
pick a default (timing that is not given), it takes the safe reading and says so in its definition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from radicula.case import Case

Tri = bool | None

LEG_REGIONS = frozenset(
    {
        "buttock", "groin", "anterior_thigh", "lateral_thigh", "medial_thigh", "posterior_thigh",
        "knee_anterior", "medial_knee", "medial_leg", "medial_ankle", "anterolateral_leg", "posterior_calf",
        "dorsum_foot", "first_web_space", "great_toe", "lateral_foot", "sole", "heel", "thigh", "whole_leg",
    }
)
FOOT_REGIONS = frozenset({"dorsum_foot", "first_web_space", "great_toe", "lateral_foot", "sole", "heel"})
BELOW_KNEE_REGIONS = FOOT_REGIONS | {"medial_leg", "medial_ankle", "anterolateral_leg", "posterior_calf"}
#: where a bleed into the iliacus or psoas muscle, or behind the abdomen, hurts first (the hip is held bent)
GROIN_THIGH_REGIONS = frozenset({"groin", "anterior_thigh", "medial_thigh", "lateral_thigh", "thigh"})
#: where a slipped femoral epiphysis or another hip problem of a child hurts (often the thigh or knee alone)
HIP_THIGH_KNEE_REGIONS = GROIN_THIGH_REGIONS | {"knee_anterior", "medial_knee"}
#: where pain spreading from a root or from a deposit in the pelvis or hip is felt first (and where a
#: length-dependent neuropathy, which starts in the feet, is not)
PROXIMAL_LEG_REGIONS = GROIN_THIGH_REGIONS | {"buttock", "posterior_thigh", "whole_leg"}
SADDLE_REGIONS = frozenset({"saddle", "genitals"})
LATERAL = ("left", "right")


def any_of(states: Iterable[Tri]) -> Tri:
    """Kleene OR: true if any is true, false only if all are false, else unknown."""
    seen_unknown = False
    for s in states:
        if s is True:
            return True
        if s is None:
            seen_unknown = True
    return None if seen_unknown else False


def all_of(states: Iterable[Tri]) -> Tri:
    """Kleene AND: false if any is false, true only if all are true, else unknown."""
    seen_unknown = False
    for s in states:
        if s is False:
            return False
        if s is None:
            seen_unknown = True
    return None if seen_unknown else True


def sides_of(side: str | None) -> frozenset[str]:
    """The body sides an entry covers: bilateral is both, midline neither, None unknown (empty).
    (The sets are made once: they are frozen, so every entry can share them.)"""
    return _SIDES.get(side, _NO_SIDES)


_NO_SIDES: frozenset[str] = frozenset()
#: the sides of each side value (not to be changed: read by sides_of only)
_SIDES: dict[str | None, frozenset[str]] = {
    "bilateral": frozenset(LATERAL), **{side: frozenset({side}) for side in LATERAL},
}


@dataclass(frozen=True)
class Facts:
    """The case seen as features (the case itself is kept for the anatomical detail)."""

    case: Case
    states: Mapping[str, Tri]
    #: ``get`` of the dict behind the read-only ``states`` (several times faster than the view's)
    lookup: Callable[[str], Tri]

    def get(self, feature: str) -> Tri:
        return self.lookup(feature)


def _true_or_unknown(flag: bool) -> Tri:
    return True if flag else None


# ----------------------------------------------------------------------------- helpers over the case


def _leg_sensory(case: Case) -> list[tuple[str, str | None]]:
    return [(e.region, e.side) for e in case.sensory if e.region in LEG_REGIONS and e.quality != "normal"]


def _leg_pain(case: Case) -> list[tuple[str, str | None]]:
    return [(e.region, e.side) for e in case.pain if e.region in LEG_REGIONS]


def _side_set(entries: Iterable[tuple[str, str | None]]) -> frozenset[str]:
    out: set[str] = set()
    for _, side in entries:
        out |= sides_of(side)
    return frozenset(out)


def _finding_sides(case: Case, codes: Iterable[str]) -> frozenset[str]:
    wanted = set(codes)
    out: set[str] = set()
    for f in case.present:
        if f.code in wanted:
            out |= sides_of(f.side)
    return frozenset(out)


def _weak_sides(case: Case, threshold: int) -> frozenset[str]:
    out: set[str] = set()
    for m in case.motor:
        if m.mrc <= threshold:
            out |= sides_of(m.side)
    return frozenset(out)


def _has_weak(case: Case, threshold: int) -> bool:
    return any(m.mrc <= threshold for m in case.motor)


def _graded_dorsiflexion_sides(case: Case) -> frozenset[str]:
    """Sides on which ankle dorsiflexion was graded (a grade, where given, is used instead of a foot drop)."""
    return frozenset(side for m in case.motor if m.action == "ankle_dorsiflexion" for side in sides_of(m.side))


def _major_weak_sides(case: Case) -> frozenset[str]:
    """Sides with an action graded MRC 3 or less, or with a foot drop whose ankle dorsiflexion was not
    graded (a foot that cannot be lifted is at most MRC 3)."""
    dropped = _finding_sides(case, ("foot_drop",))
    return _weak_sides(case, 3) | (dropped - _graded_dorsiflexion_sides(case))


def _major_motor_deficit(c: Case, s: Mapping[str, Tri]) -> Tri:
    if _has_weak(c, 3):
        return True
    graded = any(m.action == "ankle_dorsiflexion" for m in c.motor)  # on any side, or with no side given
    return True if s.get("foot_drop") is True and not graded else None


#: Tests that stretch a lumbosacral root: positive when they reproduce the leg pain.
ROOT_TENSION_TESTS = ("straight_leg_raise", "crossed_straight_leg_raise", "slump", "femoral_stretch",
                      "crossed_femoral_stretch")


#: Tests whose positive result is the normal one (case-format spec, section 1.3): pulses felt,
#: vibration or monofilament felt, normal anal tone or perianal sensation, intact joint position
#: sense, can walk on heels or toes.
POSITIVE_IS_NORMAL = frozenset({
    "pedal_pulses", "vibration_toes", "monofilament_feet", "anal_tone", "perianal_sensation",
    "joint_position_sense_toes", "heel_walk", "toe_walk",
})


def _test_value(case: Case, code: str) -> float | None:
    for t in case.tests:
        if t.test == code and isinstance(t.value, (int, float)):
            return float(t.value)
    return None


def _status(case: Case, code: str) -> Tri:
    if any(f.code == code for f in case.present):
        return True
    if any(f.code == code for f in case.absent):
        return False
    return None


def _long_standing(case: Case) -> Tri:
    """Known to have lasted long: insidious onset or more than 42 days. Unknown timing is not long."""
    if case.onset == "insidious" or (case.duration_days is not None and case.duration_days > 42):
        return True
    if case.onset is not None or case.duration_days is not None:
        return False
    return None


# ----------------------------------------------------------------------------- derived features

Derive = Callable[[Case, Mapping[str, Tri]], Tri]


def _age_at_least(years: int) -> Derive:
    return lambda c, s: None if c.age is None else c.age >= years


def _age_below(years: int) -> Derive:
    return lambda c, s: None if c.age is None else c.age < years


def _leg_symptoms(c: Case, s: Mapping[str, Tri]) -> Tri:
    if _leg_sensory(c) or _leg_pain(c) or _has_weak(c, 4):
        return True
    return any_of([s.get("leg_pain_below_knee"), s.get("leg_weakness"), s.get("foot_drop"), None])


def _leg_pain_feature(c: Case, s: Mapping[str, Tri]) -> Tri:
    if _leg_pain(c):
        return True
    return _true_or_unknown(s.get("leg_pain_below_knee") is True)


def _bilateral(entries_sides: frozenset[str]) -> Tri:
    return _true_or_unknown(entries_sides >= set(LATERAL))


def _leg_symptom_sides(c: Case) -> frozenset[str]:
    return (
        _side_set(_leg_sensory(c))
        | _side_set(_leg_pain(c))
        | _weak_sides(c, 4)
        | _finding_sides(c, ("leg_weakness", "foot_drop", "leg_pain_below_knee"))
    )


def _motor_deficit(c: Case, s: Mapping[str, Tri]) -> Tri:
    if _has_weak(c, 4) or s.get("test:heel_walk") is False or s.get("test:toe_walk") is False:
        return True
    weak, drop = s.get("leg_weakness"), s.get("foot_drop")
    if weak is False and drop is not True:  # no weakness of the leg at all, a foot drop included
        return False
    return any_of([weak, drop])


def _gait_beyond_one_leg(c: Case, s: Mapping[str, Tri]) -> Tri:
    """``gait_disturbance`` as evidence of a central or widespread cause: trouble walking and falls
    count unless weakness of one leg explains them (a foot drop, or an action graded MRC 3 or less, on
    one side with no weakness on the other: a limp), when they are unknown; unsteadiness always counts."""
    walking = any_of([s.get("difficulty_walking"), s.get("falls")])
    if walking is True:
        major = _major_weak_sides(c)
        if len(major) == 1 and (_weak_sides(c, 4) | _finding_sides(c, ("leg_weakness", "foot_drop"))) == major:
            walking = None
    return any_of([s.get("unsteady_gait"), walking])


def _sensory_ataxia(c: Case, s: Mapping[str, Tri]) -> Tri:
    """A gait disturbance with lost joint position sense at the toes (the test reads positive when
    intact) or a positive Romberg test."""
    position = s.get("test:joint_position_sense_toes")
    lost = None if position is None else not position
    return all_of([s.get("gait_disturbance"), any_of([lost, s.get("test:romberg")])])


def _saddle_sensory(c: Case, s: Mapping[str, Tri]) -> Tri:
    region = any(e.region in SADDLE_REGIONS and e.quality != "normal" for e in c.sensory)
    perianal = s.get("test:perianal_sensation")
    normal_saddle = any(e.region in SADDLE_REGIONS and e.quality == "normal" for e in c.sensory)
    states: list[Tri] = [s.get("saddle_numbness")]
    if c.reporter == "clinician" or perianal is not None:  # an unexamined sign is only open for clinicians
        states.append(None if perianal is None else not perianal)
    if region:
        return True
    result = any_of(states)
    if result is None and normal_saddle and s.get("saddle_numbness") is not True:
        return False
    return result


def _pvr_over_200(c: Case, s: Mapping[str, Tri]) -> Tri:
    v = _test_value(c, "post_void_residual")
    return None if v is None else v > 200


def _bladder(c: Case, s: Mapping[str, Tri]) -> Tri:
    states = [s.get(k) for k in ("urinary_retention", "urinary_hesitancy_new", "urinary_incontinence_new",
                                 "reduced_bladder_sensation")]
    pvr = _pvr_over_200(c, s)
    if c.reporter == "clinician" or pvr is not None:  # a person cannot scan their own bladder
        states.append(pvr)
    return any_of(states)


def _bowel(c: Case, s: Mapping[str, Tri]) -> Tri:
    tone = s.get("test:anal_tone")
    states = [s.get("fecal_incontinence_new")]
    if c.reporter == "clinician" or tone is not None:
        states.append(None if tone is None else not tone)
    return any_of(states)


def _umn(c: Case, s: Mapping[str, Tri]) -> Tri:
    if any(r.grade == "brisk" for r in c.reflexes):
        return True
    return any_of(
        [s.get("test:babinski"), s.get("test:ankle_clonus"), s.get("test:hoffmann"), s.get("leg_stiffness")]
    )


def _sensory_level(c: Case, s: Mapping[str, Tri]) -> Tri:
    level = s.get("test:sensory_level")
    if level is None and any(t.test == "sensory_level" and t.value is not None for t in c.tests):
        level = True
    trunk = _side_set([(e.region, e.side) for e in c.sensory if e.region == "trunk" and e.quality != "normal"])
    if trunk >= set(LATERAL):
        return True
    return level


def _trunk_numbness(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Sensory symptoms or loss on the trunk, on either side or both (a level on one side counts)."""
    return True if any(e.region == "trunk" and e.quality != "normal" for e in c.sensory) else None


def _arm_hand(c: Case, s: Mapping[str, Tri]) -> Tri:
    if any(e.region in ("arm", "hand") and e.quality != "normal" for e in c.sensory):
        return True
    return any_of([s.get("hand_clumsiness"), None])


def _brain_signs(c: Case, s: Mapping[str, Tri]) -> Tri:
    if any(e.region == "face" and e.quality != "normal" for e in c.sensory):
        return True
    return any_of([s.get("face_droop"), s.get("speech_disturbance"), s.get("vision_loss")])


def _reflex_loss(c: Case, s: Mapping[str, Tri]) -> Tri:
    leg = [r for r in c.reflexes if r.reflex in ("knee", "ankle", "medial_hamstring")]
    if any(r.grade in ("absent", "reduced") for r in leg):
        return True
    return False if leg and all(r.grade in ("normal", "brisk") for r in leg) else None


def _umn_with_reflex_loss(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Upper motor neurone signs with a lost leg reflex (extensor plantars with absent ankle jerks). In
    a person with diabetes it is unknown: a diabetic neuropathy takes the ankle jerks, so the pair may be
    two lesions (a cord lesion on top of the neuropathy) rather than one disease of both."""
    if s.get("diabetes") is True:
        return None
    return all_of([s.get("umn_signs"), s.get("leg_reflex_loss")])


def _areflexia_bilateral(c: Case, s: Mapping[str, Tri]) -> Tri:
    sides: set[str] = set()
    for r in c.reflexes:
        if r.reflex in ("knee", "ankle") and r.grade in ("absent", "reduced"):
            sides |= sides_of(r.side)
    return _true_or_unknown(sides >= set(LATERAL))


def _pulse_deficit(c: Case, s: Mapping[str, Tri]) -> Tri:
    abi = _test_value(c, "ankle_brachial_index")
    pulses = s.get("test:pedal_pulses")
    return any_of([None if pulses is None else not pulses, None if abi is None else abi < 0.9])


def _in_both_feet(entries: Iterable[tuple[str, str | None]]) -> Tri:
    return _true_or_unknown(_side_set((r, side) for r, side in entries if r in FOOT_REGIONS) >= set(LATERAL))


def _distal_symmetric(c: Case, s: Mapping[str, Tri]) -> Tri:
    return _in_both_feet(_leg_sensory(c))


def _bilateral_weakness_ungraded(c: Case, s: Mapping[str, Tri]) -> Tri:
    # weakness of both legs recorded as findings with no power grade at all: its severity is not known
    return not c.motor and _finding_sides(c, ("leg_weakness", "foot_drop")) >= set(LATERAL)


def _whole_leg_numbness(c: Case, s: Mapping[str, Tri]) -> Tri:
    # numb or reduced, not tingling or burning: a loss of feeling over the whole leg
    return _true_or_unknown(any(e.region == "whole_leg" and e.quality in ("numb", "reduced") for e in c.sensory))


def _distal_loss_examined(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Vibration or monofilament not felt at the toes or feet (these tests' positive result is normal)."""
    felt = [s.get("test:vibration_toes"), s.get("test:monofilament_feet")]
    if False in felt:
        return True
    return False if True in felt else None


def _distal_symmetric_pain(c: Case, s: Mapping[str, Tri]) -> Tri:
    return _in_both_feet(_leg_pain(c))


def _progressing(c: Case, s: Mapping[str, Tri]) -> Tri:
    return None if c.course is None else c.course in ("worsening", "rapidly_worsening")


def _recent_progression(c: Case, s: Mapping[str, Tri]) -> Tri:
    if c.course == "rapidly_worsening":
        return True
    # unknown timing is not long-standing (the safe reading, as for not_long_standing)
    return all_of([_progressing(c, s), _long_standing(c) is not True])


def _recent_progression_known(c: Case, s: Mapping[str, Tri]) -> Tri:
    """As recent_progression, but unknown when the timing is: it never assumes, so the differential
    can use it (recent_progression takes the safe reading for the triage rules)."""
    if c.course == "rapidly_worsening":
        return True
    long_standing = _long_standing(c)
    return all_of([_progressing(c, s), None if long_standing is None else not long_standing])


def _new_symptoms(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Began within 14 days. Unknown timing counts as new (the safe reading)."""
    if c.duration_days is not None:
        return c.duration_days <= 14
    return c.onset != "insidious"


def _not_long_standing(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Not known to be long-standing (the safe reading when timing is unknown)."""
    return _long_standing(c) is not True


def _not_stable_beyond_14_days(c: Case, s: Mapping[str, Tri]) -> Tri:
    """False only when known to have lasted over 14 days and to be stable or improving.

    Used for cauda equina symptoms: the case's duration is that of the leg symptoms, so bladder or
    saddle symptoms may be newer than it says; anything short of 'known long and stable' counts.
    """
    return not (c.duration_days is not None and c.duration_days > 14 and c.course in ("stable", "improving"))


def _began_within_14_days(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Known to have begun within 14 days (unknown when the duration is not given)."""
    if c.duration_days is not None:
        return c.duration_days <= 14
    return False if c.onset == "insidious" else None


def _began_within_1_day(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Known to have begun today or yesterday (unknown when the duration is not given)."""
    if c.duration_days is not None:
        return c.duration_days <= 1
    return False if c.onset == "insidious" else None


def _duration_at_least(days: int) -> Derive:
    return lambda c, s: None if c.duration_days is None else c.duration_days >= days


def _persisting_6_weeks(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Duration 42 days or more; with no duration, an insidious onset (months, in the case format)
    counts, as it does for ``_long_standing``."""
    if c.duration_days is not None:
        return c.duration_days >= 42
    return True if c.onset == "insidious" else None


def _chronic_stable(c: Case, s: Mapping[str, Tri]) -> Tri:
    if c.duration_days is None or c.course is None:
        return None
    return c.duration_days > 14 and c.course in ("stable", "improving")


def _sudden_or_acute(c: Case, s: Mapping[str, Tri]) -> Tri:
    return None if c.onset is None else c.onset in ("sudden", "acute")


def _below_knee_pain(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Pain below the knee; pain in the whole leg counts, since it reaches below the knee."""
    if any(r in BELOW_KNEE_REGIONS or r == "whole_leg" for r, _ in _leg_pain(c)):
        return True
    return s.get("leg_pain_below_knee")


def _pain_in(regions: frozenset[str]) -> Derive:
    """Pain in one of these leg regions (true, or unknown: a region not listed is not known to be free)."""
    return lambda c, s: _true_or_unknown(any(r in regions for r, _ in _leg_pain(c)))


def _trunk_pain(c: Case, s: Mapping[str, Tri]) -> Tri:
    if any(e.region == "trunk" for e in c.pain):
        return True
    return s.get("thoracic_pain")


def _spinal_pain(c: Case, s: Mapping[str, Tri]) -> Tri:
    if any(e.region == "low_back" for e in c.pain):
        return True
    return any_of([s.get("back_pain"), s.get("thoracic_pain"), s.get("neck_pain"), s.get("test:spinal_tenderness")])


def _low_back_pain_only(c: Case, s: Mapping[str, Tri]) -> Tri:
    """Pain in the lower back (the low-back pain region, or back pain) with no thoracic or trunk pain:
    spinal pain that points to the lumbar spine. With trunk pain the level is that of the trunk pain."""
    if s.get("trunk_pain") is True:
        return None
    if any(e.region == "low_back" for e in c.pain):
        return True
    return s.get("back_pain")


def _infection_risk(c: Case, s: Mapping[str, Tri]) -> Tri:
    return any_of(
        [s.get(k) for k in ("iv_drug_use", "immunosuppression", "diabetes", "recent_spinal_procedure",
                            "recent_infection")]
    )


def _unilateral_leg(c: Case, s: Mapping[str, Tri]) -> Tri:
    sides = _leg_symptom_sides(c)
    if len(sides) == 1:
        return True
    if len(sides) == 2:
        return False
    return None


DERIVED: Mapping[str, Derive] = MappingProxyType(
    {
        "leg_symptoms": _leg_symptoms,
        "leg_numbness": lambda c, s: _true_or_unknown(bool(_leg_sensory(c))),
        "leg_pain": _leg_pain_feature,
        "below_knee_pain": _below_knee_pain,
        "proximal_leg_pain": _pain_in(PROXIMAL_LEG_REGIONS),
        "groin_or_thigh_pain": _pain_in(GROIN_THIGH_REGIONS),
        "groin_pain": _pain_in(frozenset({"groin"})),
        "hip_thigh_or_knee_pain": _pain_in(HIP_THIGH_KNEE_REGIONS),
        "spinal_pain": _spinal_pain,
        "trunk_pain": _trunk_pain,
        "low_back_pain_only": _low_back_pain_only,
        "bilateral_leg_symptoms": lambda c, s: _bilateral(_leg_symptom_sides(c)),
        "bilateral_leg_pain": lambda c, s: _bilateral(
            _side_set(_leg_pain(c)) | _finding_sides(c, ("leg_pain_below_knee",))
        ),
        "bilateral_leg_numbness": lambda c, s: _bilateral(_side_set(_leg_sensory(c))),
        "unilateral_leg_symptoms": _unilateral_leg,
        "distal_symmetric_sensory": _distal_symmetric,
        "distal_symmetric_pain": _distal_symmetric_pain,
        "distal_loss_examined": _distal_loss_examined,
        "whole_leg_numbness": _whole_leg_numbness,
        "bilateral_weakness_ungraded": _bilateral_weakness_ungraded,
        "motor_deficit": _motor_deficit,
        "major_motor_deficit": _major_motor_deficit,
        "profound_motor_deficit": lambda c, s: _true_or_unknown(_has_weak(c, 2)),
        "bilateral_motor_deficit": lambda c, s: _bilateral(
            _weak_sides(c, 4) | _finding_sides(c, ("leg_weakness", "foot_drop"))
        ),
        "bilateral_major_motor_deficit": lambda c, s: _bilateral(_major_weak_sides(c)),
        "gait_disturbance": lambda c, s: any_of(
            [s.get("difficulty_walking"), s.get("unsteady_gait"), s.get("falls")]
        ),
        "gait_beyond_one_leg": _gait_beyond_one_leg,
        "sensory_ataxia": _sensory_ataxia,
        "saddle_sensory_loss": _saddle_sensory,
        "bladder_dysfunction": _bladder,
        "bowel_dysfunction": _bowel,
        "pvr_over_200": _pvr_over_200,
        "umn_signs": _umn,
        "sensory_level": _sensory_level,
        "trunk_numbness": _trunk_numbness,
        "arm_or_hand_involvement": _arm_hand,
        "brain_signs": _brain_signs,
        "leg_reflex_loss": _reflex_loss,
        "umn_signs_with_reflex_loss": _umn_with_reflex_loss,
        "root_tension_sign": lambda c, s: any_of([s.get(f"test:{code}") for code in ROOT_TENSION_TESTS]),
        "bilateral_reflex_loss": _areflexia_bilateral,
        "pulse_deficit": _pulse_deficit,
        "infection_risk": _infection_risk,
        "progressing": _progressing,
        "recent_progression": _recent_progression,
        "recent_progression_known": _recent_progression_known,
        "new_symptoms": _new_symptoms,
        "not_long_standing": _not_long_standing,
        "not_stable_beyond_14_days": _not_stable_beyond_14_days,
        "began_within_14_days": _began_within_14_days,
        "began_within_1_day": _began_within_1_day,
        "duration_not_given": lambda c, s: c.duration_days is None,
        "persisting_6_weeks": _persisting_6_weeks,
        "persisting_12_weeks": _duration_at_least(84),
        "chronic_stable": _chronic_stable,
        "sudden_or_acute_onset": _sudden_or_acute,
        "age_under_20": _age_below(20),
        "age_under_60": _age_below(60),
        "age_50_plus": _age_at_least(50),
        "age_60_plus": _age_at_least(60),
        "age_70_plus": _age_at_least(70),
    }
)


#: Features that take the safe (urgent) reading when timing is unknown. They serve triage; the
#: differential may use them only through lr_absent (when they are known to be false), never as
#: evidence that something is present (knowledge/check.py enforces this).
SAFE_DEFAULT_FEATURES = frozenset({"new_symptoms", "not_long_standing", "not_stable_beyond_14_days"})


#: The enumerated case fields and their values: ``onset:sudden`` and so on.
OPTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("onset", ("sudden", "acute", "gradual", "insidious")),
    ("course", ("improving", "stable", "worsening", "rapidly_worsening")),
    ("reporter", ("self", "clinician")),
    ("sex", ("female", "male", "other", "unknown")),
)
_OPTION_KEYS = tuple((name, tuple((opt, f"{name}:{opt}") for opt in options)) for name, options in OPTIONS)


Codes = frozenset[str] | tuple[str, ...]


@lru_cache(maxsize=8)
def _layout(finding_codes: Codes, test_codes: Codes) -> tuple[dict[str, Tri], Mapping[str, tuple[str, bool]]]:
    """For :func:`extract`, worked out once per set of codes: every feature key in the order the
    features are set, each unknown (a dict to copy for each case); and per test code, its feature
    key and whether a positive result is the normal one."""
    tests = {code: (f"test:{code}", code in POSITIVE_IS_NORMAL) for code in test_codes}
    keys = [*finding_codes, *(key for key, _ in tests.values()),
            *(key for _, options in _OPTION_KEYS for _, key in options), *DERIVED]
    return dict.fromkeys(keys), MappingProxyType(tests)


BURNING = "burning_pain"


def _codes(codes: Iterable[str]) -> Codes:
    return codes if isinstance(codes, frozenset) else tuple(codes)


def extract(case: Case, finding_codes: Iterable[str], test_codes: Iterable[str]) -> Facts:
    """All features of a case. Pure: the same case always gives the same facts.

    Every feature starts unknown (a copy of the keys laid out once); then only the findings, tests
    and fields the case gives are set.
    """
    findings = _codes(finding_codes)
    template, tests = _layout(findings, _codes(test_codes))
    states = template.copy()
    for f in case.absent:  # present wins, then absent, else unknown
        if f.code in findings:
            states[f.code] = False
    for f in case.present:
        if f.code in findings:
            states[f.code] = True
    # a burning sensory symptom is burning (neuropathic) pain, whether or not the code is listed too
    if BURNING in findings and any(s.quality == "burning" for s in case.sensory):
        states[BURNING] = True
    positive = {t.test for t in case.tests if t.result == "positive"}
    negative = {t.test for t in case.tests if t.result == "negative"}
    for code in positive | negative:
        entry = tests.get(code)
        if entry is None:
            continue
        key, positive_is_normal = entry
        # an abnormal result on any side wins, then a normal one
        if positive_is_normal:
            states[key] = code not in negative
        else:
            states[key] = code in positive
    for name, options in _OPTION_KEYS:
        value = getattr(case, name)
        if value is None:  # every option unknown, as laid out
            continue
        for opt, key in options:
            states[key] = value == opt
    # a derived feature not yet worked out reads as unknown; the derived features read the dict
    # itself (they only read it, and its get is cheaper than the read-only view's)
    for name, fn in DERIVED.items():
        states[name] = fn(case, states)
    return Facts(case=case, states=MappingProxyType(states), lookup=states.get)
