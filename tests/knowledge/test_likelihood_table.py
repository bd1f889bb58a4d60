"""Consistency of the likelihood table across related features."""

from __future__ import annotations

from radicula.knowledge.loader import Knowledge


def test_bladder_and_bowel_change_are_weighed_for_the_same_conditions(kb: Knowledge) -> None:
    """New bladder and new bowel change are both sphincter signs of a cauda equina or cord lesion: a
    condition the table weighs for one is weighed for the other, in the same direction, so that a
    bowel symptom cannot favour a condition that a bladder symptom would count against."""
    bladder = {r.condition: r.lr_present for r in kb.likelihoods if r.feature == "bladder_dysfunction"}
    bowel = {r.condition: r.lr_present for r in kb.likelihoods if r.feature == "bowel_dysfunction"}
    assert bladder.keys() == bowel.keys()
    for condition, lr in bladder.items():
        lr_bowel = bowel[condition]
        assert lr is not None and lr_bowel is not None
        assert (lr > 1) == (lr_bowel > 1), condition


def test_walking_related_leg_pain_counts_against_non_specific_back_pain(kb: Knowledge) -> None:
    """Pain referred from the back is not tied to walking distance: a claudication history, vascular or
    neurogenic, lowers non-specific low back pain."""
    rows = {r.feature: r for r in kb.likelihoods if r.condition == "nonspecific_low_back_pain"}
    for feature in ("vascular_claudication", "neurogenic_claudication"):
        lr = rows[feature].lr_present
        assert lr is not None and lr < 1, feature


def test_slowly_developing_conditions_count_a_start_within_two_weeks_against_them(kb: Knowledge) -> None:
    """Degenerative stenosis and myelopathy, length-dependent polyneuropathy and B12 deficiency build up
    over months: leg symptoms that began within two weeks lower each of them."""
    rows = {r.condition: r.lr_present for r in kb.likelihoods if r.feature == "began_within_14_days"}
    for condition in ("lumbar_spinal_stenosis", "cervical_myelopathy", "polyneuropathy", "b12_deficiency"):
        lr = rows.get(condition)
        assert lr is not None and lr < 1, condition


def test_the_femoral_stretch_test_counts_against_conditions_without_a_root_lesion(kb: Knowledge) -> None:
    """The femoral stretch test is the root tension sign of the mid-lumbar roots, as the straight leg
    raise is of the lower ones: positive, it lowers the conditions with no root lesion that the straight
    leg raise lowers."""
    def against(feature: str) -> set[str]:
        return {r.condition for r in kb.likelihoods
                if r.feature == feature and r.lr_present is not None and r.lr_present < 1}

    no_root = {"nonspecific_low_back_pain", "peripheral_arterial_disease", "polyneuropathy", "hip_osteoarthritis"}
    assert no_root <= against("test:straight_leg_raise")
    assert no_root <= against("test:femoral_stretch")


def test_arterial_claudication_counts_against_the_nerve_conditions_that_do_not_vary_with_walking(
    kb: Knowledge,
) -> None:
    rows = {r.condition: r.lr_present for r in kb.likelihoods if r.feature == "vascular_claudication"}
    for condition in ("disc_herniation_radiculopathy", "lumbar_spinal_stenosis", "polyneuropathy",
                      "nonspecific_low_back_pain"):
        lr = rows.get(condition)
        assert lr is not None and lr < 1, condition


def test_chronic_arterial_disease_and_stenosis_count_an_onset_over_hours_against_them(kb: Knowledge) -> None:
    """Claudication of arterial disease and of stenosis develops over months: symptoms that began over
    hours to two days lower both (they point to acute ischaemia, a disc or a cord lesion)."""
    rows = {(r.feature, r.condition): r.lr_present for r in kb.likelihoods}
    for condition in ("peripheral_arterial_disease", "lumbar_spinal_stenosis"):
        for onset in ("onset:sudden", "onset:acute"):
            lr = rows.get((onset, condition))
            assert lr is not None and lr < 1, (onset, condition)
