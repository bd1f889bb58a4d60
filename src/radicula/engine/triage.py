"""Triage: the rule table of ``triage.yaml`` applied to a case's features.

Every rule whose pattern is true fires; the most urgent fired rule sets the disposition. Rules whose
pattern is *unknown* (an answer could make it fire) and that would raise the disposition produce
open questions: the unanswered red flags, asked in plain words for the public and as prompts for
clinicians. Unknown is never treated as absent.

``escalate`` applies the differential-driven escalation of ``triage.yaml`` (it can only raise the
disposition) and ``safety_net`` chooses the advice shown with the final disposition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any

from radicula.assessment import (
    DISPOSITION_ORDER,
    Disposition,
    FiredRule,
    OpenQuestion,
    Triage,
    build_from,
    replaced,
    urgency_rank,
)
from radicula.case import Case
from radicula.engine.features import Facts, Tri, extract
from radicula.engine.rules import Compiled, Sets, compiled, evaluate
from radicula.knowledge.loader import Knowledge
from radicula.knowledge.schema import Escalation, TriageRule

BASELINE: Disposition = "SELF_CARE"
_RANK = attrgetter("rank")


def question(kb: Knowledge, atom: str, reporter: str) -> tuple[str, str] | None:
    """(public question, clinician prompt) for a feature, or None when it cannot be asked."""
    if atom.startswith("test:"):
        term = kb.term("tests", atom[5:])
    elif ":" in atom:
        kind, value = atom.split(":", 1)
        section = {"onset": "onsets", "course": "courses"}.get(kind)
        term = kb.term(section, value) if section else None
    else:
        term = kb.term("findings", atom) or kb.term("features", atom)
    if term is None:
        return None
    public = term.ask_public
    clinician = term.ask_clinician or (f"Document: {term.clinician}." if public else None)
    if reporter == "self" and not public:
        return None
    if reporter == "clinician" and not clinician:
        return None
    return public or "", clinician or ""


@dataclass(frozen=True)
class _Rule:
    """A triage rule made ready for evaluation: compiled pattern, atoms, urgency rank."""

    rule: TriageRule
    when: Compiled
    atoms: tuple[str, ...]
    makes_true: Sets
    rank: int
    #: the rule's fields as a fired rule, in the model's order (sources as a tuple, to copy)
    fired: Mapping[str, Any]
    name: str
    disposition: Disposition
    asks: bool


@dataclass(frozen=True)
class TriageIndex:
    rules: tuple[_Rule, ...]
    #: (feature, reporter) -> (public question, clinician prompt), or None when it cannot be asked
    questions: Mapping[tuple[str, str], tuple[str, str] | None]


@lru_cache(maxsize=8)
def triage_index(kb: Knowledge) -> TriageIndex:
    """The compiled rule table and its questions, built once per knowledge base."""
    rules: list[_Rule] = []
    questions: dict[tuple[str, str], tuple[str, str] | None] = {}
    for rule in kb.triage_rules:
        fn, atoms, makes_true = compiled(rule.when)
        fired = {"name": rule.name, "ref": rule.ref, "title": rule.title, "disposition": rule.disposition,
                 "reason_public": rule.reason_public, "reason_clinical": rule.reason_clinical,
                 "time_target": rule.time_target, "sources": tuple(rule.source), "evidence": rule.evidence}
        rules.append(_Rule(rule, fn, atoms, makes_true, urgency_rank(rule.disposition), fired, rule.name,
                           rule.disposition, bool(rule.asks)))
        if rule.asks:
            for atom in atoms:
                for reporter in ("self", "clinician"):
                    questions[(atom, reporter)] = question(kb, atom, reporter)
    return TriageIndex(rules=tuple(rules), questions=questions)


def rule_triage(facts: Facts, kb: Knowledge) -> Triage:
    """Apply every triage rule; report the fired ones and the open red-flag questions."""
    index = triage_index(kb)
    get = facts.lookup
    values = [(r, r.when(get)) for r in index.rules]
    fired = [r for r, value in values if value is True]
    fired.sort(key=_RANK)
    disposition = fired[0].disposition if fired else BASELINE
    rank = urgency_rank(disposition)
    reporter = facts.case.reporter
    questions_of = index.questions

    # per feature asked: (question, prompt, the rules it would fire, the most urgent of their
    # dispositions and its rank)
    asked: dict[str, tuple[str, str, list[str], Disposition, int]] = {}
    for r, value in values:
        if value is not None or not r.asks or r.rank >= rank:
            continue
        found = r.makes_true(get)  # as rules.decisive, in line: the unknown atoms in 'found', in order
        for atom in r.atoms:
            if get(atom) is not None or (found is not None and atom not in found):
                continue
            q = questions_of[(atom, reporter)]
            if q is None:
                continue
            if atom in asked:
                pub, clin, names, disp, disp_rank = asked[atom]
                # the more urgent of the two (as most_urgent: the first of equals)
                if r.rank < disp_rank:
                    disp, disp_rank = r.disposition, r.rank
                asked[atom] = (pub, clin, [*names, r.name], disp, disp_rank)
            else:
                asked[atom] = (q[0], q[1], [r.name], r.disposition, r.rank)
    # most urgent first; within a level, in the order of the rule table (cauda equina first): the
    # order of a stable sort by rank, the features' order breaking ties
    ranked = sorted([(entry[4], i, atom, entry) for i, (atom, entry) in enumerate(asked.items())])
    questions = [
        build_from(OpenQuestion, {"feature": atom, "question_public": pub, "question_clinician": clin,
                                  "would_trigger": names, "disposition_if_yes": disp})
        for _, _, atom, (pub, clin, names, disp, _) in ranked
    ]

    fired_rules = [r.rule for r in fired]
    fired_out = [build_from(FiredRule, _fired_fields(r.fired)) for r in fired]
    sources = list(dict.fromkeys(s for r in fired_rules for s in r.source))
    if fired:
        reasons = list(dict.fromkeys(r.reason_public for r in fired_rules))
        reasons_clinical = list(dict.fromkeys(r.reason_clinical for r in fired_rules))
    else:
        reasons = ["None of the warning signs Radicula checks for was reported."]
        reasons_clinical = ["No triage rule matched the findings recorded."]
    return build_from(Triage, {
        "disposition": disposition, "reasons": reasons, "reasons_clinical": reasons_clinical, "sources": sources,
        "fired": fired_out, "open_questions": questions, "rule_disposition": disposition, "escalated_by": [],
    })


def _fired_fields(template: Mapping[str, Any]) -> dict[str, Any]:
    """A fired rule's fields: a copy of the rule's, with a list of its sources of its own."""
    fields = dict(template)
    fields["sources"] = list(template["sources"])
    return fields


@lru_cache(maxsize=8)
def _escalation(kb: Knowledge) -> tuple[tuple[Escalation, int, tuple[tuple[str, Compiled | None], ...]], ...]:
    """Each escalation item with the rank of its urgency and the conditions of that urgency class
    (as :func:`_of_urgency`), built once per knowledge base."""
    of_urgency = _of_urgency(kb)
    return tuple((item, urgency_rank(item.urgency), of_urgency[item.urgency]) for item in kb.escalation)


@lru_cache(maxsize=8)
def _of_urgency(kb: Knowledge) -> Mapping[str, tuple[tuple[str, Compiled | None], ...]]:
    """Per urgency class: its conditions, in knowledge-base order, with their compiled
    ``escalate_when`` (None where they have none), built once per knowledge base."""
    out: dict[str, list[tuple[str, Compiled | None]]] = {d: [] for d in DISPOSITION_ORDER}
    for code, cond in kb.conditions.items():
        when = None if cond.escalate_when is None else compiled(cond.escalate_when)[0]
        out[cond.urgency].append((code, when))
    return {urgency: tuple(conds) for urgency, conds in out.items()}


def escalate(triage: Triage, facts: Facts, kb: Knowledge) -> Triage:
    """Raise (never lower) the disposition when a condition of an urgent class is well supported.

    For each escalation item of ``triage.yaml``, the conditions whose urgency class is the item's are
    scored with ``support_probability`` (prior times the likelihood ratios of present findings that
    point towards the condition, ignoring evidence against: the cautious reading). If the best one
    reaches the item's threshold, the disposition is raised to that class. Because the score can only
    grow as findings are added, the escalation keeps the triage invariants (adding a finding never
    lowers the urgency; an absent or unknown finding never raises it).
    """
    from radicula.engine.differential import support_probability

    disposition = triage.disposition
    rank = urgency_rank(disposition)
    reasons: list[str] = []
    reasons_clinical: list[str] = []
    sources: list[str] = []
    escalated: list[str] = []
    get = facts.lookup
    for item, item_rank, conditions in _escalation(kb):
        if item_rank >= rank:
            continue
        scored = [
            (*support_probability(kb, code, facts), code)
            for code, when in conditions
            if when is None or when(get) is True
        ]
        if not scored:
            continue
        prob, features, code = max(scored, key=lambda s: (s[0], s[2]))
        if prob < item.threshold:
            continue
        if not escalated:  # the first: the triage's texts, to add to
            reasons = list(triage.reasons)
            reasons_clinical = list(triage.reasons_clinical)
            sources = list(triage.sources)
        disposition, rank = item.urgency, item_rank
        name = kb.label("conditions", code)
        escalated.append(f"{item.urgency}: {name} supported at {prob:.0%} by {', '.join(features) or 'its prior'}")
        reasons.insert(0, item.reason_public)
        reasons_clinical.insert(
            0,
            f"{item.reason_clinical} {name}: prior x supporting likelihood ratios gives {prob:.0%} "
            f"(threshold {item.threshold:.0%}; findings: {', '.join(features)}).",
        )
        sources = list(dict.fromkeys([*item.source, *sources]))
    if not escalated:
        return triage
    # questions that would no longer change the disposition are dropped
    questions = [q for q in triage.open_questions if urgency_rank(q.disposition_if_yes) < urgency_rank(disposition)]
    return replaced(
        triage, disposition=disposition, reasons=reasons, reasons_clinical=reasons_clinical, sources=sources,
        escalated_by=escalated, open_questions=questions,
    )


def safety_net(
    disposition: str, states: Mapping[str, Tri], kb: Knowledge
) -> tuple[list[str], list[str], list[str]]:
    """(public texts, clinician texts, sources) of the safety-net items that apply."""
    public: list[str] = []
    clinical: list[str] = []
    sources: list[str] = []
    for item in kb.safety_net:
        if disposition not in item.dispositions:
            continue
        if item.when is not None and evaluate(item.when, states) is not True:
            continue
        public.append(item.text_public)
        clinical.append(item.text_clinical)
        sources.extend(item.source)
    return public, clinical, list(dict.fromkeys(sources))


def triage_case(case: Case, kb: Knowledge) -> Triage:
    """Rule triage of one case (features extracted here): the step on its own, for tests and tools."""
    return rule_triage(extract(case, kb.codes["findings"], kb.codes["tests"]), kb)
