"""Cross-checks of the knowledge base: every code used exists, every source resolves, coverage.

``check_knowledge(kb)`` returns a :class:`CheckReport` listing every problem (empty when the
knowledge base is consistent) and the summary figures printed by ``radicula kb check``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pydantic import BaseModel

from radicula.knowledge.loader import Knowledge
from radicula.knowledge.schema import DISPOSITIONS, Cited, pattern_atoms

#: Weight names the localisation step reads from ``localisation.yaml`` (see engine/localize.py).
LOCALISATION_WEIGHTS = (
    "sensory_core",
    "central_territory_size_exponent",
    "sensory_edge",
    "sensory_outside",
    "sensory_normal_in_core",
    "sensory_unspecified_match",
    "sensory_unspecified_miss",
    "pain_match",
    "pain_outside",
    "motor_primary",
    "motor_contributing",
    "motor_outside",
    "motor_normal_primary",
    "motor_spared_beside_dense",
    "reflex_match",
    "reflex_mismatch",
    "reflex_expected_change_absent",
    "wrong_side",
    "pain_wrong_side",
    "unilateral_for_bilateral_site",
    "unilateral_deficit_for_bilateral_site",
    "unilateral_deficits_free",
    "per_category_cap",
    "bilateral_root_prior",
    "bilateral_plexus_prior",
    "bilateral_nerve_prior",
    "bilateral_ischaemia_prior",
    "normal_exam_cap",
    "ankle_reflex_loss_common_age",
    "territory_size_exponent",
    "territory_reference_size",
)


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    rows: int = 0
    sources_used: int = 0
    expert_opinion_rows: int = 0
    summary: list[str] = field(default_factory=list)

    @property
    def expert_opinion_percent(self) -> float:
        return 100.0 * self.expert_opinion_rows / self.rows if self.rows else 0.0


def iter_cited(node: object, where: str) -> Iterator[tuple[str, Cited]]:
    """Every Cited row inside a model or container, with a readable location."""
    if isinstance(node, Cited):
        yield where, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from iter_cited(getattr(node, name), f"{where}.{name}")
    elif isinstance(node, (list, tuple)):
        for i, item in enumerate(node):
            ident = getattr(item, "name", None) or getattr(item, "code", None) or getattr(item, "site", None)
            yield from iter_cited(item, f"{where}[{ident or i}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from iter_cited(item, f"{where}.{key}")


def feature_atoms(kb: Knowledge) -> frozenset[str]:
    """Every code a pattern or a likelihood row may name (see engine/features.py)."""
    c = kb.codes
    atoms = set(c["findings"]) | set(c["features"])
    atoms |= {f"test:{t}" for t in c["tests"]}
    atoms |= {f"onset:{o}" for o in c["onsets"]}
    atoms |= {f"course:{o}" for o in c["courses"]}
    atoms |= {f"reporter:{r}" for r in c["reporters"]}
    atoms |= {f"sex:{s}" for s in c["sexes"]}
    return frozenset(atoms)


def plan_atoms(kb: Knowledge) -> frozenset[str]:
    """Plan rules and safety-net items may also name likely conditions (dx:...), likely sites (site:...)
    and the disposition (triage:...)."""
    extra = {f"dx:{c}" for c in kb.codes["conditions"]} | {f"triage:{d}" for d in DISPOSITIONS}
    extra |= {f"site:{s}" for s in kb.codes["sites"]}
    return feature_atoms(kb) | frozenset(extra)


def check_knowledge(kb: Knowledge) -> CheckReport:
    report = CheckReport()
    p = report.problems
    c = kb.codes

    def need(code: str, section: str, where: str) -> None:
        if code not in c[section]:
            p.append(f"{where}: unknown {section[:-1].replace('_', ' ')} code '{code}'")

    # anatomy (sites, and territories that report as a site)
    for name, terr in kb.territories.items():
        if name in c["sites"]:
            p.append(f"anatomy.yaml territory '{name}': a territory cannot share a site code")
        if terr.reports_as is None:
            p.append(f"anatomy.yaml territory '{name}': reports_as is missing")
        else:
            need(terr.reports_as, "sites", f"anatomy.yaml territory {name} reports_as")
    for site, anat in [*kb.anatomy.items(), *kb.territories.items()]:
        if site not in kb.territories:
            need(site, "sites", f"anatomy.yaml {site}")
        for s in anat.sensory:
            need(s.region, "regions", f"anatomy.yaml {site} sensory")
        for pr in anat.pain:
            need(pr.region, "regions", f"anatomy.yaml {site} pain")
        for m in anat.motor:
            need(m.action, "motor_actions", f"anatomy.yaml {site} motor")
        for r in anat.reflexes:
            need(r.reflex, "reflexes", f"anatomy.yaml {site} reflexes")
        for cause in anat.causes:
            for f in cause.findings:
                need(f, "findings", f"anatomy.yaml {site} causes")
    for site in sorted(c["sites"]):
        if site not in kb.anatomy:
            p.append(f"anatomy.yaml: site '{site}' has no anatomy entry")

    # localisation
    atoms = feature_atoms(kb)
    for name in LOCALISATION_WEIGHTS:
        if name not in kb.localisation.weights:
            p.append(f"localisation.yaml: weight '{name}' is missing")
    for name in kb.localisation.weights:
        if name not in LOCALISATION_WEIGHTS:
            p.append(f"localisation.yaml: weight '{name}' is not used by the engine")
    kinds = {a.kind for a in kb.anatomy.values()}
    for sign in kb.localisation.site_signs:
        if sign.site.startswith("kind:"):
            if sign.site[5:] not in kinds:
                p.append(f"localisation.yaml site_signs: no site is of kind '{sign.site[5:]}'")
        elif sign.site not in kb.territories:  # a territory's own sign replaces its site's
            need(sign.site, "sites", "localisation.yaml site_signs")
        if sign.feature not in atoms:
            p.append(f"localisation.yaml site_signs: unknown feature '{sign.feature}' (site {sign.site})")

    section_of = {"motor": "motor_actions", "reflex": "reflexes", "test": "tests"}
    for dist in kb.localisation.distinctions:
        for site in dist.sites:
            need(site, "sites", "localisation.yaml distinctions")
        kind, code = dist.exam.split(":", 1)
        need(code, section_of[kind], "localisation.yaml distinctions")

    # conditions
    for code in sorted(c["conditions"]):
        if code not in kb.conditions:
            p.append(f"conditions.yaml: condition '{code}' is missing")
    reachable_sites: set[str] = set()
    for code, cond in kb.conditions.items():
        need(code, "conditions", "conditions.yaml")
        for atom in pattern_atoms(cond.escalate_when) if cond.escalate_when is not None else []:
            if atom not in feature_atoms(kb):
                p.append(f"conditions.yaml {code}: escalate_when names unknown feature '{atom}'")
        for cs in cond.sites:
            need(cs.site, "sites", f"conditions.yaml {code} sites")
            target = kb.anatomy.get(cs.site)
            if target is not None and not target.rankable:
                p.append(f"conditions.yaml {code}: site '{cs.site}' is anatomy-only (rankable: false)")
            reachable_sites.add(cs.site)
            if cs.territory is not None:
                scored_by = kb.territories.get(cs.territory)
                if scored_by is None:
                    p.append(f"conditions.yaml {code}: unknown territory '{cs.territory}'")
                elif scored_by.reports_as != cs.site:
                    p.append(f"conditions.yaml {code}: territory '{cs.territory}' reports as "
                             f"'{scored_by.reports_as}', not '{cs.site}'")
    for site in sorted(c["sites"]):
        site_anat = kb.anatomy.get(site)
        if site_anat is not None and site_anat.rankable and site not in reachable_sites:
            p.append(f"conditions.yaml: no condition can be at site '{site}'")

    # likelihood ratios
    with_lr: set[str] = set()
    for row in kb.likelihoods:
        need(row.condition, "conditions", f"likelihoods.yaml {row.feature}")
        if row.feature not in atoms:
            p.append(f"likelihoods.yaml: unknown feature '{row.feature}' (condition {row.condition})")
        with_lr.add(row.condition)
    from radicula.engine.features import SAFE_DEFAULT_FEATURES

    for row in kb.likelihoods:
        if row.feature in SAFE_DEFAULT_FEATURES and row.lr_present is not None:
            p.append(
                f"likelihoods.yaml: '{row.feature}' ({row.condition}) takes the safe reading when timing is unknown; "
                "use it only with lr_absent, or use began_within_14_days"
            )
    for code in sorted(c["conditions"]):
        if code not in with_lr:
            p.append(f"likelihoods.yaml: condition '{code}' has no likelihood rows")

    # rules
    for rule in kb.triage_rules:
        for atom in pattern_atoms(rule.when):
            if atom not in atoms:
                p.append(f"triage.yaml {rule.name}: unknown feature '{atom}'")
    patoms = plan_atoms(kb)
    for prule in kb.plan_rules:
        for atom in pattern_atoms(prule.when):
            if atom not in patoms:
                p.append(f"plan.yaml {prule.name}: unknown feature '{atom}'")
    for item in kb.safety_net:
        for atom in pattern_atoms(item.when) if item.when is not None else []:
            if atom not in patoms:
                p.append(f"triage.yaml safety_net {item.name}: unknown feature '{atom}'")
    for cond_code in kb.education:
        need(cond_code, "conditions", "education.yaml")

    # sources and evidence
    sources_used: set[str] = set()
    files = {
        "anatomy.yaml": [*kb.anatomy.values(), *kb.territories.values()],
        "localisation.yaml": kb.localisation,
        "conditions.yaml": list(kb.conditions.values()),
        "likelihoods.yaml": list(kb.likelihoods),
        "triage.yaml": [*kb.triage_rules, *kb.safety_net, *kb.escalation],
        "plan.yaml": list(kb.plan_rules),
        "education.yaml": list(kb.education.values()),
    }
    for fname, content in files.items():
        for where, cited in iter_cited(content, fname):
            report.rows += 1
            if cited.evidence == "expert_opinion":
                report.expert_opinion_rows += 1
            for sid in cited.source:
                sources_used.add(sid)
                if sid not in kb.bibliography:
                    p.append(f"{where}: source '{sid}' is not in the bibliography")
    report.sources_used = len(sources_used)
    report.summary = [
        f"vocabulary: {sum(len(v) for v in c.values())} codes",
        f"anatomy: {len(kb.anatomy)} sites, {len(kb.territories)} territories",
        f"conditions: {len(kb.conditions)}; likelihood rows: {len(kb.likelihoods)}",
        f"triage rules: {len(kb.triage_rules)}; plan rules: {len(kb.plan_rules)}",
        f"education: {len(kb.education)} conditions",
        f"bibliography: {len(kb.bibliography)} entries, {len(sources_used)} cited",
    ]
    return report
