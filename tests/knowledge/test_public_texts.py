"""Every text Radicula shows the public reads at school grade 8 or below (textstat, offline)."""

from __future__ import annotations

import pytest
import textstat

from radicula.knowledge.loader import load_knowledge

MAX_GRADE = 8.0
MIN_WORDS = 8  # the grade formula is meaningless for a label of a few words


def _public_texts() -> list[tuple[str, str]]:
    kb = load_knowledge()
    texts = [(f"triage rule {r.name}", r.reason_public) for r in kb.triage_rules]
    texts += [(f"safety net {s.name}", s.text_public) for s in kb.safety_net]
    texts += [(f"escalation {e.urgency}", e.reason_public) for e in kb.escalation]
    texts += [(f"plan rule {r.name}", r.action_public) for r in kb.plan_rules]
    texts += [(f"disposition {d.code}", d.advice_public) for d in kb.vocabulary.dispositions]
    for section in ("findings", "features", "tests", "onsets", "courses"):
        texts += [(f"question {t.code}", t.ask_public) for t in getattr(kb.vocabulary, section) if t.ask_public]
    texts += [(f"region {r.code}", r.description) for r in kb.vocabulary.regions]
    return [(name, text) for name, text in texts if len(text.split()) >= MIN_WORDS]


PUBLIC_TEXTS = _public_texts()


def test_there_are_public_texts_to_check() -> None:
    assert len(PUBLIC_TEXTS) > 100


@pytest.mark.parametrize(("name", "text"), PUBLIC_TEXTS, ids=[name for name, _ in PUBLIC_TEXTS])
def test_public_text_is_at_or_below_grade_8(name: str, text: str) -> None:
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{name} reads at grade {grade:.1f}: {text}"
