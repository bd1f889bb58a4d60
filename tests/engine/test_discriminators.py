"""'What would settle it': questions that separate the leading condition from its close rivals."""

from __future__ import annotations

from typing import Any

from radicula.case import case_from_data
from radicula.engine.assess import assess_case
from radicula.knowledge.loader import Knowledge

# A person's own report: numbness of the sole only, after an ankle injury; nothing else known.
SOLE_ONLY: dict[str, Any] = {
    "format": 1, "age": 36, "sex": "male", "reporter": "self", "course": "stable",
    "sensory": [{"region": "sole", "quality": "numb"}], "present": ["significant_trauma"],
}


def _discriminators(data: dict[str, Any], kb: Knowledge) -> list[Any]:
    return assess_case(case_from_data(data), kb).discriminators


def test_a_person_is_asked_questions_they_can_answer_never_exam_steps(kb: Knowledge) -> None:
    found = _discriminators(SOLE_ONLY, kb)
    assert found, "a thin history should come with questions that would settle it"
    for d in found:
        assert not d.feature.startswith(("test:", "motor:", "reflex:")), d
        term = kb.term("findings", d.feature) or kb.term("features", d.feature)
        assert term is not None and d.ask == term.ask_public, d


def test_every_close_rival_gets_a_question_not_only_the_runner_up(kb: Knowledge) -> None:
    """Tarsal tunnel syndrome is the third candidate here: the back pain question (which separates a
    root from a nerve at the ankle) must be offered against it."""
    result = assess_case(case_from_data(SOLE_ONLY), kb)
    ranked = [c.condition for c in result.differential]
    assert ranked.index("tarsal_tunnel_syndrome") >= 1
    pairs = {(d.feature, d.separates[1]) for d in result.discriminators}
    assert ("back_pain", "tarsal_tunnel_syndrome") in pairs, pairs


def test_a_clinician_is_offered_the_exam_step_that_separates_them(kb: Knowledge) -> None:
    """Examined, the same picture gets the Tinel test at the tarsal tunnel against the S1 root."""
    data = {**SOLE_ONLY, "reporter": "clinician", "sensory": [{"region": "sole", "side": "left", "quality": "reduced"}]}
    found = {d.feature: d for d in _discriminators(data, kb)}
    assert "test:tinel_tarsal_tunnel" in found, sorted(found)
    term = kb.term("tests", "tinel_tarsal_tunnel")
    assert term is not None and found["test:tinel_tarsal_tunnel"].ask == term.ask_clinician
