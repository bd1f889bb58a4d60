"""``assess(case, kb)``: the whole pure pipeline, one step after another.

features -> triage rules -> joint differential and localisation -> escalation (can only raise the
disposition) -> investigations and plan -> safety net. No I/O, no clock, no randomness: the same
case and knowledge base always give the same assessment.
"""

from __future__ import annotations

from radicula.assessment import Assessment, build_from, replaced
from radicula.case import Case
from radicula.engine.differential import run_model
from radicula.engine.features import Facts, extract
from radicula.engine.plan import context_states, explanations, recommendations
from radicula.engine.triage import escalate, rule_triage, safety_net
from radicula.knowledge.loader import Knowledge


def facts_for(case: Case, kb: Knowledge) -> Facts:
    return extract(case, kb.codes["findings"], kb.codes["tests"])


def assess_case(case: Case, kb: Knowledge) -> Assessment:
    facts = facts_for(case, kb)
    triage = rule_triage(facts, kb)
    model = run_model(facts, kb)
    triage = escalate(triage, facts, kb)
    states = context_states(facts.states, model.condition_probs, model.site_probs, triage.disposition)
    investigations, plan = recommendations(states, case.reporter, kb)
    net_public, net_clinical, net_sources = safety_net(triage.disposition, states, kb)
    if net_sources:
        triage = replaced(triage, sources=list(dict.fromkeys([*triage.sources, *net_sources])))
    # build_from: every part was built by the engine from validated inputs (no re-validation)
    return build_from(Assessment, {
        "format": 1,
        "case_id": case.id,
        "reporter": case.reporter,
        "triage": triage,
        "localization": model.sites,
        "differential": model.conditions,
        "discriminators": model.discriminators,
        "investigations": investigations,
        "plan": plan,
        "safety_net": net_public,
        "safety_net_clinical": net_clinical,
        "explanations": explanations(model.condition_probs, kb),
        "knowledge_version": kb.version,
        "knowledge_hash": kb.content_hash,
    })
