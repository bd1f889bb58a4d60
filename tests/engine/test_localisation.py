"""Localisation of textbook, clinician-examined presentations: the expected site ranks first.

Every presentation here is a case file ``tests/fixtures/own_cases/site_<name>.yaml`` with an
``expected`` block, so ``radicula bench tests/fixtures/own_cases`` measures the same cases. Each one
encodes a bedside distinction of the reference pack (``anatomy.md`` sections 2-5, especially 3.4, "key
bedside distinctions"): the dermatome, key muscle and reflex of each root; L5 root versus common
peroneal nerve (ankle inversion, hip abduction); L4 root versus femoral nerve (hip adduction);
meralgia; cauda equina versus conus versus thoracic and cervical cord; polyneuropathy versus a
bilateral radiculopathy; brain (opposite hemisphere); and a non-neural mimic. Two incomplete
examinations check that the tool asks for the step that would settle the question, and one
self-reported sciatica checks the condition ranking without an examination.

A failure here means the engine ranks the wrong site for a textbook picture: fix the engine or the
knowledge base, not the case.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from radicula.assessment import Assessment, urgency_rank
from radicula.case import Case, case_from_data, load_case
from radicula.engine.assess import assess_case, facts_for
from radicula.engine.localize import index_for, observations
from radicula.knowledge.loader import Knowledge

OWN_CASES = Path(__file__).resolve().parent.parent / "fixtures" / "own_cases"
SITE_CASES = sorted(OWN_CASES.glob("site_*.yaml"))
TRIAGE_CASES = [
    p for p in SITE_CASES if "triage" in (yaml.safe_load(p.read_text(encoding="utf-8")).get("expected") or {})
]
SWAP = {"left": "right", "right": "left"}


# --------------------------------------------------------------------------- helpers


def _data(name: str) -> dict[str, Any]:
    raw = yaml.safe_load((OWN_CASES / f"site_{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def _case(name: str) -> Case:
    return case_from_data(_data(name), origin=f"site_{name}.yaml")


def _expected(case: Case) -> tuple[str, str | None]:
    assert case.expected is not None and case.expected.site, f"{case.id}: no expected site"
    first = case.expected.site[0]
    return first.site, first.side


def _summary(result: Assessment) -> str:
    sites = ", ".join(f"{s.site}/{s.side}={s.probability:.3f}" for s in result.localization[:3])
    conditions = ", ".join(f"{c.condition}={c.probability:.3f}" for c in result.differential[:3])
    return f"top sites: {sites}; top conditions: {conditions}"


def _site_probability(result: Assessment, site: str) -> float:
    return sum(s.probability for s in result.localization if s.site == site)


def _rank_of(result: Assessment, site: str) -> int:
    order: list[str] = []
    for s in result.localization:
        if s.site not in order:
            order.append(s.site)
    return order.index(site) if site in order else len(order)


def _assert_ranks_first(result: Assessment, site: str, side: str | None, kb: Knowledge) -> None:
    """``site`` ranks first; for a one-sided site (root, nerve, plexus, brain) on the right side."""
    top = result.localization[0]
    assert top.site == site, f"expected {site} first; {_summary(result)}"
    if kb.anatomy[site].laterality in ("unilateral", "contralateral"):
        assert top.side == side, f"expected {site} on the {side}, got {top.side}; {_summary(result)}"


def _assess_and_check(name: str, kb: Knowledge) -> Assessment:
    case = _case(name)
    result = assess_case(case, kb)
    _assert_ranks_first(result, *_expected(case), kb)
    return result


def _mirror(data: dict[str, Any]) -> dict[str, Any]:
    """The same presentation on the other side of the body (``code@side`` findings included)."""

    def side(value: Any) -> Any:
        return SWAP.get(value, value) if isinstance(value, str) else value

    def finding(code: str) -> str:
        base, _, where = code.partition("@")
        return f"{base}@{SWAP.get(where, where)}" if where else code

    out = dict(data)
    for key in ("sensory", "pain", "motor", "reflexes", "tests"):
        if key in out:
            out[key] = [{**entry, "side": side(entry.get("side"))} for entry in out[key]]
    for key in ("present", "absent"):
        if key in out:
            out[key] = [finding(code) for code in out[key]]
    out.pop("expected", None)
    return out


def _mentions(result: Assessment, *words: str) -> bool:
    text = " ".join(f"{d.feature} {d.label} {d.ask}" for d in result.discriminators).lower()
    return any(word in text for word in words)


def _discriminator_summary(result: Assessment) -> str:
    return "; ".join(f"{d.feature} ({'/'.join(d.separates)})" for d in result.discriminators) or "none"


# --------------------------------------------------------------------------- the case files themselves


@pytest.mark.parametrize("path", SITE_CASES, ids=lambda p: p.stem)
def test_site_case_files_are_valid_and_carry_an_expected_site(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    case = case_from_data(data, origin=path.name)
    assert case.id == path.stem
    assert case.expected is not None and case.expected.site


@pytest.mark.parametrize("path", TRIAGE_CASES, ids=lambda p: p.stem)
def test_site_cases_are_triaged_as_expected(path: Path, kb: Knowledge) -> None:
    """Only presentations whose disposition guidelines.md states carry an expected triage."""
    case = case_from_data(yaml.safe_load(path.read_text(encoding="utf-8")), origin=path.name)
    assert case.expected is not None and case.expected.triage is not None
    got = assess_case(case, kb).triage.disposition
    assert urgency_rank(got) == urgency_rank(case.expected.triage), f"expected {case.expected.triage}, got {got}"


# --------------------------------------------------------------------------- single roots


@pytest.mark.parametrize(
    "name",
    [
        "l3_radiculopathy",  # lower anterior thigh and knee, quadriceps + adductors, knee jerk
        "l4_radiculopathy",  # medial shin to medial malleolus, quadriceps + tibialis anterior, knee jerk
        "l5_radiculopathy",  # dorsum of foot and great toe, extensor hallucis + hip abduction, reflexes normal
        "s1_radiculopathy",  # lateral foot and sole, plantarflexion, ankle jerk
    ],
)
def test_root_syndrome_localises_to_its_root(name: str, kb: Knowledge) -> None:
    _assess_and_check(name, kb)


# --------------------------------------------------------------------------- L5 root versus common peroneal nerve


def test_foot_drop_with_weak_inversion_and_hip_abduction_is_an_l5_root(kb: Knowledge) -> None:
    result = _assess_and_check("foot_drop_l5_root", kb)
    assert _site_probability(result, "root:L5") > _site_probability(result, "nerve:common_peroneal")


def test_foot_drop_with_inversion_and_hip_abduction_spared_is_the_common_peroneal_nerve(kb: Knowledge) -> None:
    result = _assess_and_check("foot_drop_peroneal", kb)
    assert _site_probability(result, "nerve:common_peroneal") > _site_probability(result, "root:L5")


def test_inversion_kept_in_a_dense_foot_drop_counts_strongly_against_l5(kb: Knowledge) -> None:
    """A dense foot drop with weak eversion and toe extension but full inversion points to the common
    peroneal nerve: an L5 lesion weakening the foot that much would weaken tibialis posterior too.
    Normal inversion beside a mild weakness counts less (mild radiculopathy often spares strength)."""
    dense = case_from_data({
        "format": 1, "id": "dense-foot-drop", "age": 40, "reporter": "clinician", "onset": "gradual",
        "duration_days": 60, "present": ["back_pain"],
        "pain": [{"region": "low_back"}, {"region": "anterolateral_leg", "side": "right"}],
        "sensory": [{"region": "dorsum_foot", "side": "right", "quality": "reduced"}],
        "motor": [{"action": "ankle_dorsiflexion", "side": "right", "mrc": 1},
                  {"action": "great_toe_extension", "side": "right", "mrc": 2},
                  {"action": "ankle_eversion", "side": "right", "mrc": 2},
                  {"action": "ankle_inversion", "side": "right", "mrc": 5}],
    })
    result = assess_case(dense, kb)
    untested = assess_case(dense.model_copy(update={"motor": dense.motor[:3]}), kb)

    def odds(r: Assessment) -> float:
        return _site_probability(r, "nerve:common_peroneal") / _site_probability(r, "root:L5")

    # full inversion moves the odds towards the nerve about five-fold (0.2 against L5), not 2.5-fold
    assert odds(result) > 3.5 * odds(untested), (_summary(result), _summary(untested))
    l5 = next(s for s in result.localization if s.site == "root:L5")
    assert any(a.startswith("normal strength beside a very weak muscle") for a in l5.against), l5.against
    mild = dense.model_copy(update={"motor": [m.model_copy(update={"mrc": 4}) if m.mrc < 5 else m
                                              for m in dense.motor]})
    l5_mild = next(s for s in assess_case(mild, kb).localization if s.site == "root:L5")
    assert not any("beside a very weak muscle" in a for a in l5_mild.against), l5_mild.against


# --------------------------------------------------------------------------- L4 root versus femoral nerve


def test_quadriceps_weakness_with_weak_adductors_is_an_l4_root(kb: Knowledge) -> None:
    result = _assess_and_check("quadriceps_l4_root", kb)
    assert _rank_of(result, "root:L4") < _rank_of(result, "nerve:femoral"), _summary(result)


@pytest.mark.parametrize("name", ["femoral_anticoagulant", "femoral_after_hip_surgery"])
def test_quadriceps_weakness_with_adductors_spared_is_the_femoral_nerve(name: str, kb: Knowledge) -> None:
    result = _assess_and_check(name, kb)
    assert _rank_of(result, "nerve:femoral") < _rank_of(result, "root:L4"), _summary(result)


def test_one_sided_quadriceps_weakness_and_a_lost_knee_jerk_is_not_the_cauda_equina(kb: Knowledge) -> None:
    """The quadriceps (L3-L4) is a supplied, not a key, muscle of the cauda equina: its usual compressions
    are lower, as its sensory map says (the front of the thigh and the inner shin are edge regions)."""
    result = assess_case(_case("quadriceps_one_side_sparse"), kb)
    lower_motor = {"root:L3", "root:L4", "nerve:femoral", "plexus:lumbosacral"}
    assert result.localization[0].site in lower_motor, _summary(result)
    assert _rank_of(result, "cauda_equina") > _rank_of(result, "root:L3"), _summary(result)


# --------------------------------------------------------------------------- meralgia


def test_pure_lateral_thigh_numbness_is_the_lateral_femoral_cutaneous_nerve(kb: Knowledge) -> None:
    _assess_and_check("meralgia", kb)


def test_a_patch_on_the_outer_front_of_the_thigh_is_within_the_lateral_femoral_cutaneous_nerve(kb: Knowledge) -> None:
    # the nerve supplies the anterolateral thigh: the front of the thigh is at the edge of its territory
    result = assess_case(load_case(OWN_CASES / "common_meralgia_outer_front_thigh_self.yaml"), kb)
    top = result.localization[0]
    assert top.site == "nerve:lateral_femoral_cutaneous", _summary(result)
    assert not any("Anterior thigh" in reason for reason in top.against), top.against
    assert any("Anterior thigh" in reason for reason in top.supporting), top.supporting


def test_the_same_lateral_thigh_patch_on_both_sides_is_meralgia_on_both_sides(kb: Knowledge) -> None:
    result = _assess_and_check("meralgia_both_sides", kb)
    assert result.localization[0].side == "bilateral", _summary(result)
    assert result.differential[0].condition == "meralgia_paresthetica", _summary(result)


def test_signs_of_two_neighbouring_roots_on_one_side_rank_a_root_not_the_cauda_equina(kb: Knowledge) -> None:
    """The great toe extensor has a share from S1 as well as L5, so its weakness does not count against S1."""
    result = _assess_and_check("l5_s1_two_roots", kb)
    assert _rank_of(result, "cauda_equina") > 0, _summary(result)
    s1 = next(s for s in result.localization if s.site == "root:S1")
    assert not [a for a in s1.against if "Extensor hallucis longus" in a], s1.against


def test_a_dense_deficit_of_one_leg_with_the_gluteal_and_femoral_muscles_spared_is_the_sciatic_nerve(
    kb: Knowledge,
) -> None:
    _assess_and_check("sciatic_dense_one_leg", kb)


def _one_sided_log_of(data: dict[str, Any], kb: Knowledge) -> float:
    case = case_from_data(data)
    return observations(case, facts_for(case, kb), kb, index_for(kb)).one_sided_log


def test_each_one_sided_deficit_beyond_the_first_few_counts_further_against_a_two_sided_site(kb: Knowledge) -> None:
    """A two-sided lesion that has made many deficits in one leg rarely spares the other; pain and normal
    findings are not deficits, and a case with findings on both sides has no one-sided penalty."""
    w = index_for(kb).weights
    base = math.log(w["unilateral_for_bilateral_site"])
    step = math.log(w["unilateral_deficit_for_bilateral_site"])
    free = int(w["unilateral_deficits_free"])
    regions = ["anterolateral_leg", "dorsum_foot", "lateral_foot", "sole", "great_toe", "medial_leg"]
    pain = [{"region": "buttock", "side": "left"}, {"region": "posterior_thigh", "side": "left"}]

    def case(n: int, **more: Any) -> dict[str, Any]:
        return {"reporter": "clinician", "pain": pain,
                "sensory": [{"region": r, "side": "left", "quality": "numb"} for r in regions[:n]], **more}

    assert step < 0
    assert _one_sided_log_of(case(free), kb) == pytest.approx(base)
    for extra in (1, 2, 4):
        assert _one_sided_log_of(case(free + extra), kb) == pytest.approx(base + extra * step)
    normal = [{"reflex": "ankle", "side": "left", "grade": "normal"},
              {"reflex": "knee", "side": "left", "grade": "normal"}]
    assert _one_sided_log_of(case(free, reflexes=normal), kb) == pytest.approx(base)
    weak = [{"action": "ankle_dorsiflexion", "side": "left", "mrc": 2}]
    assert _one_sided_log_of(case(free, motor=weak), kb) == pytest.approx(base + step)
    both = case(free + 3)
    both["sensory"] = [*both["sensory"], {"region": "sole", "side": "right", "quality": "numb"}]
    assert _one_sided_log_of(both, kb) == 0.0


# --------------------------------------------------------------------------- tarsal tunnel


def test_sole_numbness_with_tinel_at_the_ankle_is_the_tibial_nerve(kb: Knowledge) -> None:
    _assess_and_check("tarsal_tunnel", kb)


def test_muscles_spared_by_a_distal_entrapment_do_not_count_against_the_nerve(kb: Knowledge) -> None:
    """Normal calf, tibialis posterior and long toe flexor strength is expected at the tarsal tunnel
    (those muscles are supplied higher up), so it is no evidence against the tibial nerve; the same
    normal calf still counts against an S1 root, whose key muscle it is."""
    result = assess_case(_case("tarsal_tunnel"), kb)
    tibial = next(s for s in result.localization if s.site == "nerve:tibial")
    assert not [a for a in tibial.against if a.startswith("normal strength")], tibial.against
    s1 = next(s for s in result.localization if s.site == "root:S1")
    assert any("Ankle plantarflexion" in a for a in s1.against if a.startswith("normal strength")), s1.against


# --------------------------------------------------------------------------- cauda equina, conus, cord


@pytest.mark.parametrize(
    "name",
    [
        "cauda_equina",  # bilateral sciatica, saddle loss, retention, ankle jerks reduced (LMN)
        "conus",  # sudden symmetric perianal loss, early retention, ankle jerks absent, knee jerks kept
        "thoracic_cord",  # sensory level, brisk reflexes, Babinski, arms normal
        "cervical_cord",  # clumsy hands, Hoffmann, brisk reflexes in arms and legs, unsteady gait
    ],
)
def test_central_lesion_localises_to_its_level(name: str, kb: Knowledge) -> None:
    _assess_and_check(name, kb)


def test_lost_reflexes_within_days_of_an_acute_cord_lesion_do_not_hide_its_level(kb: Knowledge) -> None:
    """Spinal shock: in the first days of an acute cord lesion the reflexes below it may be lost, so a
    flaccid, areflexic paraplegia with a sensory level on the trunk reads as the thoracic cord."""
    _assess_and_check("thoracic_cord_acute_flaccid", kb)


def test_lost_reflexes_count_against_the_cord_once_the_lesion_is_long_standing(kb: Knowledge) -> None:
    data = _data("thoracic_cord_acute_flaccid")
    acute = assess_case(case_from_data(data, origin="acute"), kb)
    data.update(onset="insidious", duration_days=400, course="worsening")
    old = assess_case(case_from_data(data, origin="old"), kb)
    assert _site_probability(old, "cord:thoracic") < _site_probability(acute, "cord:thoracic"), (
        _summary(acute), _summary(old))


# --------------------------------------------------------------------------- polyneuropathy versus bilateral roots


def test_length_dependent_stocking_loss_is_a_polyneuropathy(kb: Knowledge) -> None:
    _assess_and_check("polyneuropathy", kb)


def test_one_sided_sciatica_with_spread_numbness_does_not_read_as_a_cord_lesion(kb: Knowledge) -> None:
    # leg pain is a root's or nerve's pain: it counts for the cords and brain only inside their pain map
    result = assess_case(load_case(OWN_CASES / "triage_sciatica_spread_numbness_self.yaml"), kb)
    cords = sum(_site_probability(result, site) for site in ("cord:cervical", "cord:thoracic", "brain"))
    assert cords < 0.1, _summary(result)
    assert result.differential[0].condition == "disc_herniation_radiculopathy", _summary(result)


def test_a_limp_from_a_long_standing_foot_drop_does_not_read_as_a_cord_lesion(kb: Knowledge) -> None:
    # the trouble walking is the foot drop: it is not the gait disturbance of a myelopathy
    result = _assess_and_check("old_foot_drop_limp_self", kb)
    assert _site_probability(result, "cord:cervical") < 0.1, _summary(result)
    assert "cervical_myelopathy" not in [c.condition for c in result.differential[:3]], _summary(result)


def test_the_level_of_the_spinal_pain_points_to_the_level_of_a_central_lesion(kb: Knowledge) -> None:
    # weak legs on both sides with a cancer history: thoracic cord or lumbar canal; only the pain tells
    base = {"format": 1, "id": "pain_level", "age": 70, "sex": "male", "reporter": "clinician",
            "onset": "gradual", "present": ["cancer_history", "leg_weakness@bilateral"],
            "motor": [{"action": a, "side": "bilateral", "mrc": 3}
                      for a in ("hip_flexion", "knee_extension", "ankle_dorsiflexion", "ankle_plantarflexion")]}

    def thoracic_share(pain: list[dict[str, str]]) -> float:
        result = assess_case(case_from_data({**base, "pain": pain}), kb)
        thoracic = _site_probability(result, "cord:thoracic")
        return thoracic / (thoracic + _site_probability(result, "cauda_equina") + _site_probability(result, "conus"))

    low_back = thoracic_share([{"region": "low_back", "side": "midline"}])
    trunk = thoracic_share([{"region": "trunk", "side": "bilateral"}])
    unknown = thoracic_share([])
    assert low_back < unknown < trunk


def test_tingling_hands_and_feet_rising_over_days_is_guillain_barre_not_the_cervical_cord(kb: Knowledge) -> None:
    # the hands belong to the first pattern of Guillain-Barre syndrome, with the feet
    result = _assess_and_check("gbs_hands_and_feet_self", kb)
    assert result.differential[0].condition == "guillain_barre_syndrome", _summary(result)


def test_arterial_disease_of_both_legs_with_numb_toes_is_not_a_polyneuropathy(kb: Knowledge) -> None:
    # the ischaemic-limb territory can be two-sided: chronic arterial disease often is
    result = _assess_and_check("pad_both_legs_numb_toes", kb)
    assert result.differential[0].condition == "peripheral_arterial_disease", _summary(result)


def test_weakness_with_every_limb_reflex_lost_is_a_polyradiculoneuropathy_not_the_cervical_cord(kb: Knowledge) -> None:
    # arms and legs involved, as in a cervical cord lesion, but with the jerks lost in all four limbs
    result = _assess_and_check("gbs_arms_involved", kb)
    assert result.differential[0].condition == "guillain_barre_syndrome", _summary(result)


def test_bilateral_dermatomal_loss_with_back_pain_is_spinal_not_a_polyneuropathy(kb: Knowledge) -> None:
    case = _case("bilateral_l5_radiculopathy")
    result = assess_case(case, kb)
    assert case.expected is not None
    wanted = {e.site for e in case.expected.site}
    assert result.localization[0].site in wanted, _summary(result)
    assert _rank_of(result, "root:L5") < _rank_of(result, "polyneuropathy"), _summary(result)


# --------------------------------------------------------------------------- brain and non-neural


@pytest.mark.parametrize("mirrored", [False, True], ids=["left_body", "right_body"])
def test_sudden_face_arm_and_leg_weakness_is_the_opposite_hemisphere(mirrored: bool, kb: Knowledge) -> None:
    data = _data("brain_stroke")  # left face, arm and leg: right hemisphere
    hemisphere = "right"
    if mirrored:
        data, hemisphere = _mirror(data), "left"
    result = assess_case(case_from_data(data), kb)
    _assert_ranks_first(result, "brain", hemisphere, kb)


def test_cold_pulseless_numb_weak_foot_is_limb_ischaemia_not_a_nerve_lesion(kb: Knowledge) -> None:
    """Numbness and weakness of the foot are cardinal signs of acute limb ischaemia: scored against the
    ischaemic-limb territory, they point to it (reported as the non-neural site), not to a nerve."""
    result = _assess_and_check("acute_limb_ischaemia", kb)
    assert result.differential[0].condition == "acute_limb_ischaemia", _summary(result)
    assert result.triage.disposition == "EMERGENCY_NOW"


def test_exertional_calf_pain_with_absent_pulses_and_normal_neurology_is_non_neural(kb: Knowledge) -> None:
    _assess_and_check("vascular_claudication", kb)


# --------------------------------------------------------------------------- what would settle it


def test_undecided_foot_drop_asks_for_ankle_inversion_or_hip_abduction(kb: Knowledge) -> None:
    result = assess_case(_case("foot_drop_undecided"), kb)
    top_two = {s.site for s in result.localization[:2]}
    assert top_two == {"root:L5", "nerve:common_peroneal"}, _summary(result)
    assert _mentions(result, "ankle_inversion", "hip_abduction", "inversion", "hip abduction"), (
        f"discriminators: {_discriminator_summary(result)}"
    )


def test_undecided_quadriceps_weakness_asks_for_hip_adduction(kb: Knowledge) -> None:
    result = assess_case(_case("quadriceps_undecided"), kb)
    top_two = {s.site for s in result.localization[:2]}
    assert top_two == {"root:L4", "nerve:femoral"}, _summary(result)
    assert _mentions(result, "hip_adduction", "hip adduction"), f"discriminators: {_discriminator_summary(result)}"


# --------------------------------------------------------------------------- self-reported calibration


def test_self_reported_typical_s1_sciatica_puts_disc_herniation_first(kb: Knowledge) -> None:
    case = _case("self_reported_s1_sciatica")
    assert case.reporter == "self"
    result = assess_case(case, kb)
    assert result.differential[0].condition == "disc_herniation_radiculopathy", _summary(result)


# --------------------------------------------------------------------------- sides


def _side_mass(result: Assessment, site: str) -> dict[str | None, float]:
    out: dict[str | None, float] = {}
    for s in result.localization:
        if s.site == site:
            out[s.side] = out.get(s.side, 0.0) + s.probability
    return out


@pytest.mark.parametrize("finding", ["leg_weakness", "muscle_wasting"])
def test_the_side_of_a_weak_or_wasted_leg_counts_against_the_other_side(finding: str, kb: Knowledge) -> None:
    """A weak (or wasted) right leg with no muscle named: a right-sided plexus lesion is much more
    likely than a left one, and a two-sided one is penalised for the one-sided findings."""
    data = {"format": 1, "id": "sided", "reporter": "self", "age": 66, "present": ["diabetes", f"{finding}@right"],
            "pain": [{"region": "anterior_thigh", "side": "right"}]}
    right = _side_mass(assess_case(case_from_data(data), kb), "plexus:lumbosacral")
    unsided = {**data, "present": ["diabetes", finding]}
    plain = _side_mass(assess_case(case_from_data(unsided), kb), "plexus:lumbosacral")
    def share(mass: dict[str | None, float], side: str) -> float:
        return mass.get(side, 0.0) / sum(mass.values())

    assert share(right, "left") < share(plain, "left") / 3, (right, plain)
    assert right.get("bilateral", 0.0) < right["right"] / 3, right


def test_a_weak_leg_named_by_side_is_not_explained_by_a_site_without_muscles(kb: Knowledge) -> None:
    """Back pain after a minor fall with a weak right leg (no muscle named): 'no nerve lesion' cannot
    explain the weakness, so it loses ground to the nerve sites, as it would for an examined weak muscle."""
    present = ["back_pain", "osteoporosis", "minor_trauma"]
    data: dict[str, Any] = {"format": 1, "id": "weak", "reporter": "self", "age": 78, "onset": "sudden",
                            "duration_days": 2, "present": present,
                            "pain": [{"region": "anterior_thigh", "side": "right"}]}
    weak = {**data, "present": [*present, "leg_weakness@right"]}
    before = _site_probability(assess_case(case_from_data(data), kb), "non_neural")
    after = _site_probability(assess_case(case_from_data(weak), kb), "non_neural")
    assert after < 0.75 * before, (before, after)


def test_a_sided_test_result_counts_against_the_other_side(kb: Knowledge) -> None:
    """A positive straight leg raise on the left belongs to the left leg: with buttock pain that gives no
    side, it moves the L5 root's weight to the left, as a sided symptom would."""
    data: dict[str, Any] = {"format": 1, "id": "slr", "reporter": "clinician", "age": 40, "onset": "acute",
                            "duration_days": 5, "pain": [{"region": "buttock"}, {"region": "anterolateral_leg"}],
                            "tests": [{"test": "straight_leg_raise", "side": "left", "result": "positive"}]}
    mass = _side_mass(assess_case(case_from_data(data), kb), "root:L5")
    assert mass.get("left", 0.0) > 3 * mass.get("right", 0.0), mass
    mirrored = _side_mass(assess_case(case_from_data(_mirror(data)), kb), "root:L5")
    assert mirrored.get("right", 0.0) > 3 * mirrored.get("left", 0.0), mirrored


def test_one_sided_pain_counts_firmly_against_the_other_side(kb: Knowledge) -> None:
    """Buttock and calf pain on the right only (a self-report, nothing examined): a left-sided root
    lesion would not hurt in the right leg alone, so the right side holds nearly all of the root's weight.
    With pain in both legs, pain on the other side counts only as pain outside the territory."""
    data: dict[str, Any] = {"format": 1, "id": "pain", "reporter": "self", "age": 40, "onset": "acute",
                            "duration_days": 5, "present": ["back_pain"],
                            "pain": [{"region": "buttock", "side": "right"},
                                     {"region": "posterior_calf", "side": "right"}]}
    mass = _side_mass(assess_case(case_from_data(data), kb), "root:S1")
    assert mass.get("right", 0.0) > 8 * mass.get("left", 0.0), mass


def test_a_territory_s_own_sign_takes_the_place_of_its_site_s(kb: Knowledge) -> None:
    """The Guillain-Barre territory reports as the polyneuropathy site and takes that site's signs,
    except those written for the territory itself: hand symptoms, late in a length-dependent
    neuropathy, are early and common in Guillain-Barre syndrome."""
    sites = index_for(kb).sites
    rows = {(s.site, s.feature): s.lr_present for s in kb.localisation.site_signs}
    gbs, length_dependent = sites["polyradiculoneuropathy"], sites["polyneuropathy"]
    assert gbs.reports_as == "polyneuropathy"
    assert gbs.signs["arm_or_hand_involvement"][0] == rows[("polyradiculoneuropathy", "arm_or_hand_involvement")]
    assert length_dependent.signs["arm_or_hand_involvement"][0] == rows[("polyneuropathy", "arm_or_hand_involvement")]
    assert gbs.signs["arm_or_hand_involvement"][0] != length_dependent.signs["arm_or_hand_involvement"][0]
    assert gbs.signs["umn_signs"] == length_dependent.signs["umn_signs"]  # the rest is inherited
