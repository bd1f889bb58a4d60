"""Investigations and the stepped plan: the rules of ``plan.yaml`` applied after triage and the
differential. A rule is shown when its pattern is true over the case's features plus:

- ``dx:<condition>``: the condition is likely (probability >= ``LIKELY``, or ranked first);
- ``site:<site>``: the site is likely (same test);
- ``triage:<DISPOSITION>``: the final disposition is that one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from radicula.assessment import DISPOSITION_ORDER, Explanation, ExplanationSection, Recommendation, build_from
from radicula.engine.features import Tri
from radicula.engine.rules import Compiled, compiled, gate
from radicula.knowledge.loader import Knowledge
from radicula.knowledge.schema import PlanRule

LIKELY = 0.15
_CODE = itemgetter(0)
_PROBABILITY = itemgetter(1)


def context_states(
    states: Mapping[str, Tri],
    condition_probs: Mapping[str, float],
    site_probs: Mapping[str, float],
    disposition: str,
) -> dict[str, Tri]:
    """The case's features plus the dx:, site: and triage: atoms the plan and safety net read."""
    # a read-only view copies as fast as the dict behind it
    out: dict[str, Tri] = states.copy() if isinstance(states, MappingProxyType) else dict(states)
    top_c = max(condition_probs, key=condition_probs.__getitem__) if condition_probs else None
    for code, p in condition_probs.items():
        out["dx:" + code] = p >= LIKELY or code == top_c
    top_s = max(site_probs, key=site_probs.__getitem__) if site_probs else None
    for code, p in site_probs.items():
        out["site:" + code] = p >= LIKELY or code == top_s
    for d in DISPOSITION_ORDER:
        out["triage:" + d] = d == disposition
    return out


SECTION_HEADINGS = (
    ("what_is_happening", "What is happening"),
    ("how_long", "How long it lasts"),
    ("what_helps", "What helps"),
    ("what_does_not_help", "What does not help"),
    ("prevention", "Lowering the chance of it coming back"),
    ("warning_signs", "Warning signs"),
)


@dataclass(frozen=True)
class PlanIndex:
    """The plan rules compiled, and the education sections ready to show, once per knowledge base."""

    #: per reporter: the rules for that audience, compiled, in knowledge-base order
    rules: Mapping[str, tuple[tuple[PlanRule, Compiled], ...]]
    #: per reporter: the numbers (in ``rules``) of the rules without a gate (``rules.gate``), and per
    #: feature the numbers of the rules it gates (a rule whose gate has no true feature is not true)
    ungated: Mapping[str, frozenset[int]]
    gated: Mapping[str, Mapping[str, tuple[int, ...]]]
    #: condition -> (title, sections as (heading, text, sources, evidence))
    education: Mapping[str, tuple[str, tuple[tuple[str, str, tuple[str, ...], str], ...]]]
    #: per rule (by identity): the fields of its recommendation, in the model's order (a copy of them,
    #: with a list of the sources of its own, is each case's recommendation), and whether it is an
    #: investigation
    shown: Mapping[int, tuple[Mapping[str, Any], bool]]


@lru_cache(maxsize=8)
def plan_index(kb: Knowledge) -> PlanIndex:
    education: dict[str, tuple[str, tuple[tuple[str, str, tuple[str, ...], str], ...]]] = {}
    for code, entry in kb.education.items():
        sections = tuple(
            (heading, getattr(entry, key).text, tuple(getattr(entry, key).source), getattr(entry, key).evidence)
            for key, heading in SECTION_HEADINGS
        )
        education[code] = (entry.title, sections)
    rules = {
        reporter: tuple((rule, compiled(rule.when)[0]) for rule in kb.plan_rules
                        if rule.audience == "all" or rule.audience == reporter)
        for reporter in ("self", "clinician")
    }
    ungated: dict[str, frozenset[int]] = {}
    gated: dict[str, dict[str, tuple[int, ...]]] = {}
    for reporter, reporter_rules in rules.items():
        free: set[int] = set()
        by_atom: dict[str, list[int]] = {}
        for i, (rule, _) in enumerate(reporter_rules):
            g = gate(rule.when)
            if g is None:
                free.add(i)
            else:
                for atom in sorted(g):
                    by_atom.setdefault(atom, []).append(i)
        ungated[reporter] = frozenset(free)
        gated[reporter] = {atom: tuple(numbers) for atom, numbers in by_atom.items()}
    shown = {
        id(rule): ({"name": rule.name, "kind": rule.kind, "action": rule.action, "action_public": rule.action_public,
                    "recommendation": rule.recommendation, "when": rule.timing, "why": rule.why,
                    "strength": rule.strength, "sources": tuple(rule.source), "evidence": rule.evidence},
                   rule.kind == "investigation")
        for rule in kb.plan_rules
    }
    return PlanIndex(rules=rules, ungated=ungated, gated=gated, education=education, shown=shown)


def explanations(condition_probs: Mapping[str, float], kb: Knowledge, limit: int = 2) -> list[Explanation]:
    """The plain-language explanations of the likely conditions (at most ``limit``, most likely first)."""
    education = plan_index(kb).education
    # most likely first, ties by code: a sort by code, then a stable one by probability in reverse
    # (cheaper than one sort on (-probability, code) tuples)
    ranked = sorted(condition_probs.items(), key=_CODE)
    ranked.sort(key=_PROBABILITY, reverse=True)
    out: list[Explanation] = []
    for rank, (code, p) in enumerate(ranked):
        if len(out) >= limit or (rank > 0 and p < LIKELY):
            break
        entry = education.get(code)
        if entry is None:
            continue
        title, texts = entry
        sections = [
            build_from(ExplanationSection,
                       {"heading": heading, "text": text, "sources": list(sources), "evidence": evidence})
            for heading, text, sources, evidence in texts
        ]
        out.append(build_from(Explanation, {"condition": code, "title": title, "sections": sections}))
    return out


def recommendations(
    states: Mapping[str, Tri], reporter: str, kb: Knowledge
) -> tuple[list[Recommendation], list[Recommendation]]:
    """(investigations, plan) whose patterns are true, in knowledge-base order."""
    investigations: list[Recommendation] = []
    plan: list[Recommendation] = []
    get = states.get
    index = plan_index(kb)
    rules = index.rules.get(reporter, ())
    # only the rules with a true feature in their gate can be true: the others are not evaluated
    candidates = set(index.ungated.get(reporter, ()))
    for atom, numbers in index.gated.get(reporter, {}).items():
        if get(atom) is True:
            candidates.update(numbers)
    shown = index.shown
    for number in sorted(candidates):
        rule, when = rules[number]
        if when(get) is not True:
            continue
        template, investigation = shown[id(rule)]
        fields = dict(template)
        fields["sources"] = list(template["sources"])
        (investigations if investigation else plan).append(build_from(Recommendation, fields))
    return investigations, plan
