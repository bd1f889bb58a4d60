"""Investigations and the stepped plan: the rules of ``plan.yaml`` applied after triage and the
differential. A rule is shown when its pattern is true over the case's features plus:

- ``dx:<condition>``: the condition is likely (probability >= ``LIKELY``, or ranked first);
- ``site:<site>``: the site is likely (same test);
- ``triage:<DISPOSITION>``: the final disposition is that one.
"""

from __future__ import annotations

from collections.abc import Mapping

from radicula.assessment import DISPOSITION_ORDER, Explanation, ExplanationSection, Recommendation
from radicula.engine.features import Tri
from radicula.engine.rules import evaluate
from radicula.knowledge.loader import Knowledge

LIKELY = 0.15


def context_states(
    states: Mapping[str, Tri],
    condition_probs: Mapping[str, float],
    site_probs: Mapping[str, float],
    disposition: str,
) -> dict[str, Tri]:
    """The case's features plus the dx:, site: and triage: atoms the plan and safety net read."""
    out: dict[str, Tri] = dict(states)
    top_c = max(condition_probs, key=lambda c: condition_probs[c]) if condition_probs else None
    for code, p in condition_probs.items():
        out[f"dx:{code}"] = p >= LIKELY or code == top_c
    top_s = max(site_probs, key=lambda s: site_probs[s]) if site_probs else None
    for code, p in site_probs.items():
        out[f"site:{code}"] = p >= LIKELY or code == top_s
    for d in DISPOSITION_ORDER:
        out[f"triage:{d}"] = d == disposition
    return out


SECTION_HEADINGS = (
    ("what_is_happening", "What is happening"),
    ("how_long", "How long it lasts"),
    ("what_helps", "What helps"),
    ("what_does_not_help", "What does not help"),
    ("prevention", "Lowering the chance of it coming back"),
    ("warning_signs", "Warning signs"),
)


def explanations(condition_probs: Mapping[str, float], kb: Knowledge, limit: int = 2) -> list[Explanation]:
    """The plain-language explanations of the likely conditions (at most ``limit``, most likely first)."""
    ranked = sorted(condition_probs.items(), key=lambda kv: (-kv[1], kv[0]))
    out: list[Explanation] = []
    for rank, (code, p) in enumerate(ranked):
        if len(out) >= limit or (rank > 0 and p < LIKELY):
            break
        entry = kb.education.get(code)
        if entry is None:
            continue
        sections = [
            ExplanationSection.model_construct(
                heading=heading, text=getattr(entry, key).text, sources=list(getattr(entry, key).source),
                evidence=getattr(entry, key).evidence,
            )
            for key, heading in SECTION_HEADINGS
        ]
        out.append(Explanation.model_construct(condition=code, title=entry.title, sections=sections))
    return out


def recommendations(
    states: Mapping[str, Tri], reporter: str, kb: Knowledge
) -> tuple[list[Recommendation], list[Recommendation]]:
    """(investigations, plan) whose patterns are true, in knowledge-base order."""
    investigations: list[Recommendation] = []
    plan: list[Recommendation] = []
    for rule in kb.plan_rules:
        if rule.audience != "all" and rule.audience != reporter:
            continue
        if evaluate(rule.when, states) is not True:
            continue
        rec = Recommendation.model_construct(
            name=rule.name, kind=rule.kind, action=rule.action, action_public=rule.action_public,
            recommendation=rule.recommendation, when=rule.timing, why=rule.why, strength=rule.strength,
            sources=list(rule.source), evidence=rule.evidence,
        )
        (investigations if rule.kind == "investigation" else plan).append(rec)
    return investigations, plan
