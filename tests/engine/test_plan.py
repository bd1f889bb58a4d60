"""Investigations and the stepped plan (knowledge/data/plan.yaml) along the main care pathways.

Each pathway is an own case in tests/fixtures/own_cases/plan_*.yaml (with an ``expected`` block, so the
benchmark measures it too). For each, the key rows are checked by rule name and recommendation, and
every row checked must carry sources. Then the cross-cutting properties: supplements are never
recommended, every row shown for a public case is cited (or marked expert opinion), emergencies always
come with something to do, and the safety net carries the cauda equina and stroke warnings.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from radicula.assessment import Assessment, Recommendation
from radicula.case import case_from_data
from radicula.engine.assess import assess_case
from radicula.engine.rules import evaluate
from radicula.knowledge.loader import Knowledge, load_knowledge

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PUBLIC_CASES = sorted((FIXTURES / "public_cases").glob("*.yaml"))
OWN_CASES = sorted((FIXTURES / "own_cases").glob("*.yaml"))
PLAN_CASES = sorted((FIXTURES / "own_cases").glob("plan_*.yaml"))
ALL_CASES = PUBLIC_CASES + OWN_CASES

# Rows that image the lumbar spine (or order spinal imaging for a back or root cause).
LUMBAR_IMAGING = frozenset({
    "ces_emergency_mri", "ces_urgent_mri_stable", "mri_persistent_radiculopathy", "mri_progressive_motor_deficit",
    "prior_surgery_mri", "fracture_imaging",
})
NON_EMERGENCY = ("URGENT_SAME_DAY", "SOON", "ROUTINE", "SELF_CARE")


@cache
def _kb() -> Knowledge:
    return load_knowledge()


@cache
def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _data(name: str) -> dict[str, Any]:
    """A deep copy of the own case plan_<name>.yaml."""
    return copy.deepcopy(_read(FIXTURES / "own_cases" / f"plan_{name}.yaml"))


def _assess(data: Mapping[str, Any]) -> Assessment:
    return assess_case(case_from_data(copy.deepcopy(dict(data))), _kb())


@cache
def _assess_file(path: Path) -> Assessment:
    return _assess(_read(path))


def _rows(result: Assessment) -> dict[str, Recommendation]:
    return {r.name: r for r in [*result.investigations, *result.plan]}


def _shown(result: Assessment) -> str:
    return ", ".join(f"{r.name}:{r.recommendation}" for r in [*result.investigations, *result.plan])


def _row(result: Assessment, name: str, *allowed: str) -> Recommendation:
    """The row called ``name``; it must be shown, with one of the allowed recommendations and cited."""
    rows = _rows(result)
    assert name in rows, f"{name} not shown ({result.triage.disposition}); shown: {_shown(result)}"
    rec = rows[name]
    assert rec.recommendation in allowed, f"{name} is {rec.recommendation}, expected one of {allowed}"
    assert rec.sources, f"{name} carries no source"
    missing = [s for s in rec.sources if s not in _kb().bibliography]
    assert not missing, f"{name} cites unknown sources {missing}"
    return rec


def _absent(result: Assessment, *names: str) -> None:
    shown = set(_rows(result)) & set(names)
    assert not shown, f"{sorted(shown)} should not be shown; shown: {_shown(result)}"


def _no_positive(result: Assessment, names: Iterable[str]) -> None:
    """None of ``names`` is shown as do or consider."""
    rows = _rows(result)
    bad = [n for n in names if n in rows and rows[n].recommendation != "do_not"]
    assert not bad, f"{bad} should not be recommended; shown: {_shown(result)}"


def _net_text(name: str) -> str:
    found = [item for item in _kb().safety_net if item.name == name]
    assert found, f"no safety-net item named {name!r}"
    return found[0].text_public


def _self_reported(data: Mapping[str, Any]) -> dict[str, Any]:
    """The same story told by the person: history only (no examination fields)."""
    out = copy.deepcopy(dict(data))
    out["reporter"] = "self"
    for key in ("motor", "reflexes", "tests", "expected"):
        out.pop(key, None)
    out["sensory"] = [dict(s, quality="numb") if s.get("quality") == "reduced" else s
                      for s in out.get("sensory", []) if s.get("quality") != "normal"]
    return out


# --------------------------------------------------------------------------- the plan cases themselves


def _expected_conditions(expected: Mapping[str, Any]) -> list[str]:
    cond = expected.get("condition")
    if cond is None:
        return []
    return [cond] if isinstance(cond, str) else list(cond)


@pytest.mark.parametrize("path", PLAN_CASES, ids=lambda p: p.stem)
def test_plan_case_meets_its_expected_block(path: Path) -> None:
    """Each pathway case is assessed as its expected block says (triage, and the leading condition)."""
    expected = _read(path).get("expected")
    assert isinstance(expected, dict), f"{path.name} has no expected block"
    result = _assess_file(path)
    assert result.triage.disposition == expected["triage"], (
        f"{path.stem}: disposition {result.triage.disposition}, expected {expected['triage']}; "
        f"fired {[f.name for f in result.triage.fired]}"
    )
    conditions = _expected_conditions(expected)
    if conditions:
        top = result.differential[0].condition
        assert top in conditions, f"{path.stem}: leading condition {top}, expected {conditions}"


# --------------------------------------------------------------------------- 1. cauda equina


def test_suspected_ces_gets_emergency_mri_and_bladder_scan() -> None:
    result = _assess(_data("ces_saddle_retention"))
    assert result.triage.disposition == "EMERGENCY_NOW"
    mri = _row(result, "ces_emergency_mri", "do")
    assert "4 hours" in mri.action
    _row(result, "ces_bladder_scan", "do")
    _row(result, "ces_emergency_decompression", "do")
    # first-line back-pain care is not what an emergency needs
    _absent(result, "no_routine_imaging", "stay_active_self_manage", "ces_warning_card", "ces_urgent_mri_stable")


def test_suspected_ces_told_by_the_person_gets_the_same_emergency_rows() -> None:
    result = _assess(_self_reported(_data("ces_saddle_retention")))
    assert result.triage.disposition == "EMERGENCY_NOW"
    _row(result, "ces_emergency_mri", "do")
    _row(result, "ces_bladder_scan", "do")


# --------------------------------------------------------------------------- 2. acute sciatica, no red flags


def test_acute_sciatica_no_scan_stay_active_and_no_unhelpful_drugs() -> None:
    result = _assess(_data("acute_l5_sciatica"))
    assert result.triage.disposition == "SELF_CARE"
    _row(result, "no_routine_imaging", "do_not")
    _row(result, "stay_active_self_manage", "do")
    _row(result, "no_gabapentinoids_sciatica", "do_not")
    _row(result, "no_oral_steroids_benzodiazepines_sciatica", "do_not")
    _row(result, "no_opioids_chronic", "do_not")
    _row(result, "ces_warning_card", "do")
    _row(result, "prognosis_counselling", "do")
    _row(result, "review_if_not_improving", "do")
    # no scan is recommended
    _no_positive(result, LUMBAR_IMAGING)
    assert not [r for r in result.investigations if r.recommendation == "do" and "MRI" in r.action], _shown(result)


def test_acute_sciatica_never_recommends_opioids_for_chronic_pain() -> None:
    """Opioids appear in do/consider rows only as a short course for new back pain, or as a review of
    opioids already taken; the chronic row is do_not, and a long-standing case loses the short course."""
    acute = _assess(_data("acute_l5_sciatica"))
    for rec in [*acute.investigations, *acute.plan]:
        if rec.recommendation == "do_not" or "opioid" not in rec.action.lower():
            continue
        assert rec.name in ("weak_opioid_acute_back_pain", "review_current_medicines_sciatica"), rec.name
        assert "chronic" not in rec.action.lower(), rec.name
    assert "acute" in _row(acute, "weak_opioid_acute_back_pain", "consider").action.lower()

    chronic_data = _data("acute_l5_sciatica")
    chronic_data.update(onset="insidious", duration_days=120)
    chronic = _assess(chronic_data)
    _row(chronic, "no_opioids_chronic", "do_not")
    _absent(chronic, "weak_opioid_acute_back_pain", "epidural_acute_severe_sciatica")


# --------------------------------------------------------------------------- 3. sciatica past 6 weeks


def test_sciatica_past_six_weeks_gets_mri_and_loses_the_no_imaging_row() -> None:
    result = _assess(_data("sciatica_persisting_8_weeks"))
    assert result.triage.disposition == "ROUTINE"
    _row(result, "mri_persistent_radiculopathy", "do", "consider")
    _absent(result, "no_routine_imaging", "epidural_acute_severe_sciatica")
    _row(result, "transforaminal_injection_before_surgery", "consider")
    _row(result, "discectomy_referral", "consider")
    _row(result, "combined_cbt_programme", "consider")


def test_the_six_week_boundary_moves_the_imaging_rows() -> None:
    """The same sciatica at 3 weeks: no MRI yet, and the no-imaging advice is back."""
    early_data = _data("sciatica_persisting_8_weeks")
    early_data.update(duration_days=21)
    early = _assess(early_data)
    _row(early, "no_routine_imaging", "do_not")
    _absent(early, "mri_persistent_radiculopathy", "discectomy_referral", "transforaminal_injection_before_surgery")


# --------------------------------------------------------------------------- 4. progressive foot drop


def test_progressive_foot_drop_gets_urgent_mri_and_spinal_opinion() -> None:
    result = _assess(_data("progressive_foot_drop"))
    assert result.triage.disposition == "EMERGENCY_NOW"
    rec = _row(result, "mri_progressive_motor_deficit", "do")
    assert "spinal team" in rec.action
    _absent(result, "no_routine_imaging", "stay_active_self_manage")


def test_worsening_foot_drop_mrc3_is_same_day_with_mri_and_surgical_opinion() -> None:
    """Less severe (MRC 3) but still worsening: same day, with the MRI row and the spinal surgical opinion."""
    data = _data("progressive_foot_drop")
    data["motor"] = [
        {"action": "ankle_dorsiflexion", "side": "left", "mrc": 3},
        {"action": "great_toe_extension", "side": "left", "mrc": 3},
        {"action": "ankle_inversion", "side": "left", "mrc": 4},
        {"action": "ankle_dorsiflexion", "side": "right", "mrc": 5},
    ]
    result = _assess(data)
    assert result.triage.disposition == "URGENT_SAME_DAY", [f.name for f in result.triage.fired]
    _row(result, "mri_progressive_motor_deficit", "do")
    _row(result, "foot_drop_surgical_opinion", "consider", "do")
    _row(result, "foot_drop_orthosis", "consider", "do")
    _absent(result, "no_routine_imaging")


# --------------------------------------------------------------------------- 5. common peroneal palsy


def test_peroneal_palsy_gets_nerve_studies_and_leg_crossing_advice_not_a_back_scan() -> None:
    result = _assess(_data("peroneal_palsy_weight_loss"))
    assert result.triage.disposition == "SOON"
    _row(result, "nerve_conduction_studies", "consider", "do")
    advice = _row(result, "peroneal_remove_pressure", "do")
    assert "crossing" in advice.action and "crossing" in advice.action_public
    assert "weight loss" in advice.action
    _row(result, "foot_drop_orthosis", "consider", "do")
    _no_positive(result, LUMBAR_IMAGING)


# --------------------------------------------------------------------------- 6. meralgia paresthetica


@pytest.mark.parametrize("cause", ["tight_belt", "pregnancy"])
def test_meralgia_gets_belt_and_weight_advice_not_a_back_scan(cause: str) -> None:
    data = _data("meralgia_tight_belt")
    if cause == "pregnancy":
        data.update(sex="female", age=32)
        data["present"] = ["pregnancy", "burning_pain"]
    result = _assess(data)
    assert result.triage.disposition in ("SELF_CARE", "ROUTINE")
    advice = _row(result, "meralgia_remove_compression", "do")
    assert "belt" in advice.action and "weight" in advice.action
    assert "belt" in advice.action_public
    _no_positive(result, LUMBAR_IMAGING)
    _absent(result, "no_routine_imaging")  # not a back problem, so no back-imaging advice at all


# --------------------------------------------------------------------------- 7. polyneuropathy


def test_diabetic_polyneuropathy_gets_blood_tests_and_foot_care() -> None:
    result = _assess(_data("diabetic_polyneuropathy"))
    assert result.triage.disposition == "ROUTINE"
    bloods = _row(result, "polyneuropathy_bloods", "do")
    assert "B12" in bloods.action
    assert "HbA1c" in bloods.action or "glucose" in bloods.action
    feet = _row(result, "polyneuropathy_foot_care_and_cause", "do")
    assert "footwear" in feet.action
    _no_positive(result, LUMBAR_IMAGING)


# --------------------------------------------------------------------------- 8. vascular claudication


def test_vascular_claudication_gets_abi_and_vascular_referral() -> None:
    result = _assess(_data("vascular_claudication"))
    assert result.triage.disposition == "ROUTINE"
    _row(result, "ankle_brachial_index", "do")
    referral = _row(result, "pad_vascular_assessment", "do")
    assert "vascular" in referral.action
    _row(result, "pad_risk_reduction", "do")
    _row(result, "pad_supervised_exercise", "do")
    _no_positive(result, LUMBAR_IMAGING)
    assert _net_text("limb_ischaemia_warning") in result.safety_net


# --------------------------------------------------------------------------- 9. spinal infection


def test_suspected_spinal_infection_gets_contrast_mri_markers_and_cultures() -> None:
    result = _assess(_data("spinal_infection_ivdu"))
    assert result.triage.disposition == "EMERGENCY_NOW"
    mri = _row(result, "mri_contrast_infection_cancer", "do")
    assert "contrast" in mri.action
    bloods = _row(result, "infection_bloods", "do")
    assert "CRP" in bloods.action and "blood cultures" in bloods.action
    _row(result, "spinal_infection_admission", "do")
    _absent(result, "no_routine_imaging", "stay_active_self_manage", "epidural_acute_severe_sciatica")


def test_same_day_infection_routes_come_with_the_infection_bloods() -> None:
    """The same-day routes for a possible infection (new_deficit_immunosuppressed; worsening leg pain with a
    fever, infection_suspected) bring the markers and cultures; without the fever or the weak immune
    system they do not."""
    weak_thigh: dict[str, Any] = {
        "reporter": "clinician", "age": 66, "onset": "gradual", "duration_days": 10,
        "present": ["immunosuppression"], "motor": [{"action": "knee_extension", "side": "right", "mrc": 4}]}
    febrile_calves: dict[str, Any] = {
        "reporter": "clinician", "age": 48, "onset": "gradual", "duration_days": 35, "course": "worsening",
        "present": ["fever"], "pain": [{"region": "posterior_calf", "side": "bilateral"}]}
    for data, rule in ((weak_thigh, "new_deficit_immunosuppressed"), (febrile_calves, "infection_suspected")):
        result = _assess(data)
        assert rule in [f.name for f in result.triage.fired]
        _row(result, "infection_bloods", "do")
    _absent(_assess({**weak_thigh, "present": []}), "infection_bloods")
    _absent(_assess({**febrile_calves, "present": []}), "infection_bloods")


# --------------------------------------------------------------------------- 10. cancer


def test_cancer_with_back_pain_and_weakness_gets_whole_spine_mri_and_mscc_pathway() -> None:
    result = _assess(_data("cancer_back_pain_weakness"))
    assert result.triage.disposition == "EMERGENCY_NOW"
    mri = _row(result, "mscc_whole_spine_mri", "do")
    assert "whole spine" in mri.action and "24 hours" in mri.action
    _row(result, "mscc_coordinator", "do")
    _absent(result, "no_routine_imaging", "stay_active_self_manage")


def test_cancer_with_back_pain_alone_still_gets_whole_spine_mri() -> None:
    """No neurological features: the whole-spine MRI stays (within a week); the disposition itself is
    checked against the case's expected block (SOON, guidelines T16)."""
    result = _assess(_data("cancer_back_pain_no_neuro"))
    mri = _row(result, "mscc_whole_spine_mri", "do")
    assert "1 week" in mri.action
    _no_positive(result, ["epidural_acute_severe_sciatica", "no_routine_imaging"])
    _absent(result, "no_routine_imaging")


# --------------------------------------------------------------------------- emergencies come with actions

EMERGENCY_PROBES: dict[str, tuple[dict[str, Any], str]] = {
    # triage rule -> (a minimal case that fires it, a row that must then be 'do')
    "ces_suspected": (
        {"reporter": "self", "onset": "acute", "duration_days": 2, "present": ["back_pain", "saddle_numbness"]},
        "ces_emergency_mri"),
    "ces_retention": (
        {"reporter": "clinician", "onset": "gradual", "duration_days": 20,
         "pain": [{"region": "posterior_calf", "side": "right"}], "present": ["back_pain", "urinary_retention"]},
        "ces_emergency_mri"),
    "bilateral_severe_deficit": (
        {"reporter": "clinician", "onset": "acute", "duration_days": 3, "present": ["back_pain"],
         "motor": [{"action": "ankle_dorsiflexion", "side": "bilateral", "mrc": 2}]},
        "ces_emergency_mri"),
    "mscc_suspected": (
        {"reporter": "self", "onset": "gradual", "duration_days": 10, "course": "worsening",
         "present": ["cancer_history", "back_pain", "leg_weakness"]},
        "mscc_whole_spine_mri"),
    "infection_with_deficit": (
        {"reporter": "self", "onset": "gradual", "duration_days": 4, "course": "worsening",
         "present": ["back_pain", "fever", "leg_weakness"]},
        "infection_bloods"),
    "stroke_suspected": (
        {"reporter": "self", "onset": "sudden", "duration_days": 0, "present": ["face_droop", "leg_weakness@left"],
         "sensory": [{"region": "whole_leg", "side": "left", "quality": "numb"}]},
        "stroke_emergency_pathway"),
    "trauma_spinal": (
        {"reporter": "self", "onset": "sudden", "duration_days": 0, "present": ["back_pain", "significant_trauma"],
         "sensory": [{"region": "dorsum_foot", "side": "left", "quality": "numb"}]},
        "fracture_imaging"),
    "anticoagulant_bleed": (
        {"reporter": "self", "onset": "acute", "duration_days": 1,
         "present": ["anticoagulant_use", "leg_weakness@left"],
         "pain": [{"region": "groin", "side": "left"}, {"region": "anterior_thigh", "side": "left"}]},
        "haematoma_ct_anticoagulated"),
    "motor_deficit_severe_progressive": (
        {"reporter": "clinician", "onset": "acute", "duration_days": 6, "course": "worsening",
         "pain": [{"region": "anterolateral_leg", "side": "right"}], "present": ["back_pain"],
         "motor": [{"action": "ankle_dorsiflexion", "side": "right", "mrc": 1}]},
        "mri_progressive_motor_deficit"),
    "post_procedure_deficit": (
        {"reporter": "self", "duration_days": 1, "present": ["recent_spinal_procedure"],
         "sensory": [{"region": "posterior_thigh", "side": "left", "quality": "numb"}]},
        "post_procedure_emergency_mri"),
    "thoracic_pain_numb_legs_weak": (
        {"reporter": "clinician", "onset": "acute", "duration_days": 0, "present": ["thoracic_pain"],
         "sensory": [{"region": "whole_leg", "side": "bilateral", "quality": "tingling"}],
         "motor": [{"action": "hip_flexion", "side": "left", "mrc": 4}]},
        "myelopathy_mri"),
    "leg_pain_within_a_day_of_immobility": (
        {"reporter": "self", "onset": "acute", "duration_days": 0, "present": ["prolonged_bed_rest_or_surgery"],
         "pain": [{"region": "whole_leg", "side": "bilateral"}]},
        "compartment_emergency_review"),
    "marked_weakness_after_fall": (
        {"reporter": "clinician", "onset": "acute", "duration_days": 1, "present": ["back_pain", "minor_trauma"],
         "motor": [{"action": "knee_extension", "side": "right", "mrc": 2}]},
        "fracture_imaging"),
}


@pytest.mark.parametrize("rule", sorted(EMERGENCY_PROBES))
def test_each_emergency_triage_rule_comes_with_its_investigation(rule: str) -> None:
    data, row = EMERGENCY_PROBES[rule]
    result = _assess(data)
    assert rule in [f.name for f in result.triage.fired], [f.name for f in result.triage.fired]
    assert result.triage.disposition == "EMERGENCY_NOW"
    _row(result, row, "do")


@pytest.mark.parametrize("path", ALL_CASES, ids=lambda p: p.stem)
def test_every_emergency_has_something_to_do(path: Path) -> None:
    """An EMERGENCY_NOW case always shows at least one 'do' investigation or plan row."""
    result = _assess_file(path)
    if result.triage.disposition != "EMERGENCY_NOW":
        return
    doable = [r.name for r in [*result.investigations, *result.plan] if r.recommendation == "do"]
    assert doable, f"{path.stem}: emergency with nothing to do; shown: {_shown(result)}"


# --------------------------------------------------------------------------- (a) supplements

_PRODUCT_WORDS = re.compile(
    r"supplement|palmitoylethanolamide|\bPEA\b|alpha-lipoic|lipoic acid|carnitine|turmeric|curcumin|\bCBD\b|"
    r"cannabidiol|nerve formula|'nerve'|capsule|brand",
    re.IGNORECASE,
)
_VITAMIN = re.compile(r"vitamin", re.IGNORECASE)
# a vitamin may be named only where a deficiency is tested for or a proven one treated
_DEFICIENCY_CONTEXT = re.compile(r"deficien|test|blood|\blow\b|measure|replacement", re.IGNORECASE)


def _recommends_a_product(text: str) -> str | None:
    for sentence in re.split(r"(?<=[.;:])\s+", text):
        if _PRODUCT_WORDS.search(sentence):
            return sentence
        if _VITAMIN.search(sentence) and not _DEFICIENCY_CONTEXT.search(sentence):
            return sentence
    return None


def test_no_do_or_consider_rule_recommends_a_supplement_or_product() -> None:
    """Static check over the whole plan table, shown or not."""
    for rule in _kb().plan_rules:
        if rule.recommendation == "do_not":
            continue
        for text in (rule.action, rule.action_public):
            hit = _recommends_a_product(text)
            assert hit is None, f"{rule.name} ({rule.recommendation}) reads like a product recommendation: {hit!r}"


def test_the_supplement_check_catches_what_it_should() -> None:
    assert _recommends_a_product("Take a vitamin D supplement daily.")
    assert _recommends_a_product("Try alpha-lipoic acid for the tingling.")
    assert _recommends_a_product("Vitamin B complex may help nerve pain.")
    assert _recommends_a_product("Measure vitamin B12 and folate before any replacement.") is None


def test_supplements_row_says_do_not() -> None:
    rule = [r for r in _kb().plan_rules if r.name == "no_supplements"]
    assert rule and rule[0].recommendation == "do_not" and rule[0].source
    assert "insufficient evidence" in rule[0].strength


@pytest.mark.parametrize("path", [p for p in ALL_CASES if _read(p).get("reporter") == "self"], ids=lambda p: p.stem)
def test_self_reporters_always_get_the_supplements_row(path: Path) -> None:
    _row(_assess_file(path), "no_supplements", "do_not")


@pytest.mark.parametrize("path", PLAN_CASES, ids=lambda p: p.stem)
def test_plan_cases_told_by_the_person_get_the_supplements_row(path: Path) -> None:
    result = _assess(_self_reported(_read(path)))
    _row(result, "no_supplements", "do_not")
    for rec in [*result.investigations, *result.plan]:
        if rec.recommendation != "do_not":
            assert _recommends_a_product(rec.action_public) is None, rec.name


def test_clinician_case_gets_the_supplements_row_only_when_asked() -> None:
    data = _data("acute_l5_sciatica")
    _absent(_assess(data), "no_supplements")
    data["present"] = [*data["present"], "asks_about_supplements"]
    _row(_assess(data), "no_supplements", "do_not")
    poly = _data("diabetic_polyneuropathy")
    poly["present"] = [*poly["present"], "asks_about_supplements"]
    _row(_assess(poly), "no_supplements", "do_not")


# --------------------------------------------------------------------------- (b) every row is cited


def _uncited(result: Assessment) -> list[str]:
    bib = _kb().bibliography
    bad = []
    for rec in [*result.investigations, *result.plan]:
        unknown = [s for s in rec.sources if s not in bib]
        resolves = any(s in bib for s in rec.sources)
        if unknown or not resolves:  # every row names at least one source, expert opinion included
            bad.append(f"{rec.name} (sources {rec.sources}, evidence {rec.evidence})")
    return bad


@pytest.mark.parametrize("path", PUBLIC_CASES, ids=lambda p: p.stem)
def test_public_case_rows_are_all_cited(path: Path) -> None:
    result = _assess_file(path)
    assert [*result.investigations, *result.plan], f"{path.stem}: no investigation or plan row at all"
    assert not _uncited(result), _uncited(result)


@pytest.mark.parametrize("path", OWN_CASES, ids=lambda p: p.stem)
def test_own_case_rows_are_all_cited(path: Path) -> None:
    assert not _uncited(_assess_file(path))


def test_expert_opinion_is_a_minority_of_public_case_rows() -> None:
    rows = [r for p in PUBLIC_CASES for r in [*_assess_file(p).investigations, *_assess_file(p).plan]]
    expert = [r for r in rows if r.evidence == "expert_opinion"]
    assert rows and len(expert) < len(rows) / 4, f"{len(expert)} of {len(rows)} rows are expert opinion"


# --------------------------------------------------------------------------- (c) safety net


@pytest.mark.parametrize("path", ALL_CASES, ids=lambda p: p.stem)
def test_ces_warning_comes_with_every_disposition_short_of_emergency(path: Path) -> None:
    result = _assess_file(path)
    ces = _net_text("ces_warning")
    if result.triage.disposition == "EMERGENCY_NOW":
        assert _net_text("emergency_what_to_do") in result.safety_net
    else:
        assert ces in result.safety_net, f"{path.stem} ({result.triage.disposition}) lacks the CES warning"


@pytest.mark.parametrize("path", PLAN_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("reporter", ["clinician", "self"])
def test_ces_warning_for_plan_cases_and_their_self_reported_versions(path: Path, reporter: str) -> None:
    data = _read(path) if reporter == "clinician" else _self_reported(_read(path))
    result = _assess(data)
    if result.triage.disposition != "EMERGENCY_NOW":
        assert _net_text("ces_warning") in result.safety_net


def test_ces_warning_item_covers_every_non_emergency_disposition() -> None:
    item = next(i for i in _kb().safety_net if i.name == "ces_warning")
    assert set(item.dispositions) == set(NON_EMERGENCY)
    assert item.when is None  # shown whatever the diagnosis


def test_brain_cause_not_emergency_gets_stroke_warning_and_no_999_plan() -> None:
    result = _assess(_data("hemisensory_not_new"))
    assert result.triage.disposition in NON_EMERGENCY
    assert result.localization[0].site == "brain"
    assert _net_text("stroke_warning") in result.safety_net
    assert _net_text("ces_warning") in result.safety_net
    _row(result, "brain_signs_specialist_review", "do")
    _absent(result, "stroke_emergency_pathway", "stroke_brain_imaging")


@pytest.mark.parametrize("name", ["late_stroke_not_new", "hemisensory_not_new"])
def test_brain_cause_gets_stroke_warning_whenever_not_an_emergency(name: str) -> None:
    result = _assess(_data(name))
    if result.triage.disposition == "EMERGENCY_NOW":
        _row(result, "stroke_emergency_pathway", "do")
        _row(result, "stroke_brain_imaging", "do")
    else:
        assert _net_text("stroke_warning") in result.safety_net
        _row(result, "brain_signs_specialist_review", "do")


def test_stroke_warning_pattern_fires_on_a_likely_stroke() -> None:
    item = next(i for i in _kb().safety_net if i.name == "stroke_warning")
    assert item.when is not None
    assert set(item.dispositions) == set(NON_EMERGENCY)
    assert evaluate(item.when, {"dx:stroke": True}) is True
    assert evaluate(item.when, {"site:brain": True}) is True
    assert evaluate(item.when, {"dx:stroke": False, "site:brain": False, "onset:sudden": False}) is False
