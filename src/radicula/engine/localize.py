"""Localisation: how well a case's distribution of findings fits each site's territory.

For each site hypothesis (a site and, for one-sided sites, a side) this step computes ``fit``, a
likelihood ratio built from the anatomy tables (``anatomy.yaml``) and the weights and site signs of
``localisation.yaml``:

- each numb, tingling or reduced region: in the site's core zone, edge zone, or outside it;
- each examined normal region inside the core zone counts against the site;
- each pain region: inside the site's pain map or territory, or not;
- each weak muscle (MRC 4 or less): a key muscle of the site, a contributing one, or not supplied;
  a key muscle of normal strength counts against;
- each reflex: the change the site predicts, or not;
- findings on the wrong side for a one-sided site count against it; one-sided symptoms count once
  against a site that is usually two-sided;
- site signs: upper-motor-neurone signs, a sensory level, arm or hand, face and speech, saddle and
  sphincter involvement, gait and posterior-column signs, root tension tests.

Within each kind of item (sensory, pain, motor, reflex, sign) at most ``per_category_cap`` items
count in full, because neighbouring regions and muscles are correlated evidence. The differential
step combines these fits with what each condition implies about sites (``differential.py``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from radicula.case import Case
from radicula.engine.features import LEG_REGIONS, Facts, sides_of
from radicula.knowledge.loader import Knowledge

THIGH_REGIONS = frozenset({"anterior_thigh", "lateral_thigh", "medial_thigh", "posterior_thigh"})
OPPOSITE = {"left": "right", "right": "left"}
CATEGORIES = ("sensory", "pain", "motor", "reflex", "sign", "normal_exam")


@dataclass(frozen=True)
class SiteModel:
    """One site's territory and signs, indexed for fast matching."""

    site: str
    kind: str
    laterality: str
    sensory: Mapping[str, str]
    pain: frozenset[str]
    motor: Mapping[str, str]
    reflexes: Mapping[str, str]
    signs: Mapping[str, tuple[float | None, float | None, tuple[str, ...], str]]

    @property
    def leg_territory(self) -> bool:
        return any(r in LEG_REGIONS for r in self.sensory)


@dataclass(frozen=True)
class Hypothesis:
    site: str
    side: str | None  # the side reported: body side for roots and nerves, hemisphere for brain
    body_sides: frozenset[str]  # body sides where the site's findings should be
    prior: float  # share of the site's prior given to this side hypothesis


@dataclass
class Fit:
    log: float = 0.0
    items: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class LocalisationIndex:
    sites: Mapping[str, SiteModel]
    weights: Mapping[str, float]


@lru_cache(maxsize=8)
def index_for(kb: Knowledge) -> LocalisationIndex:
    """Territories and signs of every rankable site, built once per knowledge base."""
    weights = {name: w.value for name, w in kb.localisation.weights.items()}
    sites: dict[str, SiteModel] = {}
    for code, anat in kb.anatomy.items():
        if not anat.rankable:
            continue
        sensory: dict[str, str] = {}
        for row in anat.sensory:
            if sensory.get(row.region) != "core":
                sensory[row.region] = row.weight
        signs: dict[str, tuple[float | None, float | None, tuple[str, ...], str]] = {}
        for sign in kb.localisation.site_signs:
            if sign.site == f"kind:{anat.kind}" and sign.feature not in signs:
                signs[sign.feature] = (sign.lr_present, sign.lr_absent, tuple(sign.source), sign.evidence)
        for sign in kb.localisation.site_signs:
            if sign.site == code:
                signs[sign.feature] = (sign.lr_present, sign.lr_absent, tuple(sign.source), sign.evidence)
        sites[code] = SiteModel(
            site=code,
            kind=anat.kind,
            laterality=anat.laterality,
            sensory=sensory,
            pain=frozenset(p.region for p in anat.pain),
            motor={m.action: m.role for m in anat.motor},
            reflexes={r.reflex: r.expected for r in anat.reflexes},
            signs=signs,
        )
    return LocalisationIndex(sites=sites, weights=weights)


def lateral_sides(case: Case) -> frozenset[str]:
    """Body sides on which the case records leg findings (sensory, pain, motor, reflexes)."""
    sides: set[str] = set()
    for s in case.sensory:
        if s.region in LEG_REGIONS and s.quality != "normal":
            sides |= sides_of(s.side)
    for p in case.pain:
        if p.region in LEG_REGIONS:
            sides |= sides_of(p.side)
    for m in case.motor:
        if m.mrc <= 4:
            sides |= sides_of(m.side)
    for r in case.reflexes:
        if r.grade != "normal" and r.reflex in ("knee", "ankle", "medial_hamstring"):
            sides |= sides_of(r.side)
    for f in case.present:
        if f.code in ("leg_weakness", "foot_drop", "leg_pain_below_knee", "muscle_wasting"):
            sides |= sides_of(f.side)
    return frozenset(sides)


def hypotheses(index: LocalisationIndex, case: Case) -> list[Hypothesis]:
    bilateral_prior = {"root": index.weights["bilateral_root_prior"], "plexus": index.weights["bilateral_plexus_prior"]}
    lateral = lateral_sides(case)
    out: list[Hypothesis] = []
    both = frozenset(("left", "right"))
    for code, site in index.sites.items():
        if site.laterality == "unilateral":
            extra = bilateral_prior.get(site.kind, 0.0)
            total = 2.0 + extra
            for side in ("left", "right"):
                out.append(Hypothesis(code, side, frozenset({side}), 1.0 / total))
            if extra:
                out.append(Hypothesis(code, "bilateral", both, extra / total))
        elif site.laterality == "contralateral":
            for hemi in ("left", "right"):
                out.append(Hypothesis(code, hemi, frozenset({OPPOSITE[hemi]}), 0.5))
        elif site.laterality == "bilateral":
            out.append(Hypothesis(code, "bilateral", both, 1.0))
        else:  # no nerve territory: report the side of the symptoms
            reported: str | None = "bilateral" if lateral == both else (next(iter(lateral)) if lateral else None)
            out.append(Hypothesis(code, reported, both, 1.0))
    return out


def _side_ok(entry_side: str | None, body: frozenset[str]) -> bool:
    """An entry on a stated side is consistent only with hypotheses covering that side."""
    if entry_side is None or entry_side == "midline":
        return True
    return entry_side in body


def _expand(side: str | None) -> list[str | None]:
    return ["left", "right"] if side == "bilateral" else [side]


def fit(
    site: SiteModel, hyp: Hypothesis, case: Case, facts: Facts, index: LocalisationIndex, kb: Knowledge
) -> Fit:
    """The likelihood ratio of the case's findings under one site hypothesis, with its reasons."""
    w = index.weights
    per: dict[str, list[tuple[str, float]]] = {c: [] for c in CATEGORIES}

    def add(category: str, text: str, factor: float) -> None:
        if factor != 1.0:
            per[category].append((text, math.log(factor)))

    def region_label(code: str) -> str:
        return kb.label("regions", code)

    # sensory: one item per region and side (numb and tingling in the same place are one finding)
    seen: set[tuple[str, str | None, bool]] = set()
    for e in case.sensory:
        for side in _expand(e.side):
            key = (e.region, side, e.quality == "normal")
            if key in seen:
                continue
            seen.add(key)
            where = f"{region_label(e.region)}{f' ({side})' if side else ''}"
            zone = site.sensory.get(e.region)
            if e.quality == "normal":
                if e.region in ("whole_leg", "thigh"):
                    thigh = bool(THIGH_REGIONS & site.sensory.keys())
                    covered = site.leg_territory if e.region == "whole_leg" else thigh
                    if covered and _side_ok(side, hyp.body_sides):
                        add("normal_exam", f"sensation normal: {where}", w["sensory_normal_in_core"])
                elif zone == "core" and _side_ok(side, hyp.body_sides):
                    add("normal_exam", f"sensation normal: {where}", w["sensory_normal_in_core"])
                continue
            if not _side_ok(side, hyp.body_sides):
                add("sensory", f"sensory symptoms on the other side: {where}", w["wrong_side"])
            elif e.region == "whole_leg":
                ok = site.leg_territory
                add("sensory", f"sensory symptoms: {where}",
                    w["sensory_unspecified_match"] if ok else w["sensory_unspecified_miss"])
            elif e.region == "thigh":
                ok = bool(THIGH_REGIONS & site.sensory.keys())
                add("sensory", f"sensory symptoms: {where}",
                    w["sensory_unspecified_match"] if ok else w["sensory_unspecified_miss"])
            elif zone == "core":
                scale = 1.0
                if site.kind in ("root", "nerve", "plexus"):  # the size principle applies to dermatomal maps
                    size = sum(1 for z in site.sensory.values() if z == "core")
                    scale = (w["territory_reference_size"] / max(size, 1)) ** w["territory_size_exponent"]
                add("sensory", f"sensory symptoms in territory: {where}", w["sensory_core"] * scale)
            elif zone == "edge":
                add("sensory", f"sensory symptoms at edge of territory: {where}", w["sensory_edge"])
            else:
                add("sensory", f"sensory symptoms outside territory: {where}", w["sensory_outside"])

    # pain
    seen_pain: set[tuple[str, str | None]] = set()
    for p in case.pain:
        if p.region in ("low_back",):
            continue
        for side in _expand(p.side):
            if (p.region, side) in seen_pain:
                continue
            seen_pain.add((p.region, side))
            where = f"{region_label(p.region)}{f' ({side})' if side else ''}"
            if not _side_ok(side, hyp.body_sides):
                add("pain", f"pain on the other side: {where}", w["pain_outside"])
                continue
            if p.region == "whole_leg":
                if not site.leg_territory and not site.pain:
                    add("pain", f"pain: {where}", w["pain_outside"])
                continue
            if p.region == "thigh":
                hit = bool(THIGH_REGIONS & (site.pain | site.sensory.keys()))
            else:
                hit = p.region in site.pain or p.region in site.sensory
            add("pain", f"pain {'in' if hit else 'outside'} expected area: {where}",
                w["pain_match"] if hit else w["pain_outside"])

    # motor (exam, plus foot drop and failed heel or toe walk from the history and exam)
    motor = [(m.action, m.side, m.mrc) for m in case.motor]
    examined = {(a, s) for a, s, _ in motor}
    for f in case.present:
        if f.code == "foot_drop" and not any(a == "ankle_dorsiflexion" for a, _ in examined):
            motor.append(("ankle_dorsiflexion", f.side, 3))
    for t in case.tests:
        if t.test == "heel_walk" and t.result == "negative" and ("ankle_dorsiflexion", t.side) not in examined:
            motor.append(("ankle_dorsiflexion", t.side, 4))
        if t.test == "toe_walk" and t.result == "negative" and ("ankle_plantarflexion", t.side) not in examined:
            motor.append(("ankle_plantarflexion", t.side, 4))
    for action, mside, mrc in motor:
        for side in _expand(mside):
            label = f"{kb.label('motor_actions', action)}{f' ({side})' if side else ''}"
            role = site.motor.get(action)
            if mrc >= 5:
                if role == "primary" and _side_ok(side, hyp.body_sides):
                    add("normal_exam", f"normal strength: {label}", w["motor_normal_primary"])
                continue
            if not _side_ok(side, hyp.body_sides):
                add("motor", f"weakness on the other side: {label}", w["wrong_side"])
            elif role == "primary":
                add("motor", f"weakness of a key muscle: {label} MRC {mrc}", w["motor_primary"])
            elif role == "contributing":
                add("motor", f"weakness of a contributing muscle: {label} MRC {mrc}", w["motor_contributing"])
            else:
                add("motor", f"weakness not explained: {label} MRC {mrc}", w["motor_outside"])

    # reflexes; two-sided ankle reflex loss in older or diabetic people is common and does not localise
    ankle_lost: set[str] = set()
    for r in case.reflexes:
        if r.reflex == "ankle" and r.grade in ("absent", "reduced"):
            ankle_lost |= sides_of(r.side)
    age = case.age if case.age is not None else 0
    common_loss = ankle_lost >= {"left", "right"} and (
        facts.get("diabetes") is True or age >= w["ankle_reflex_loss_common_age"]
    )
    for r in case.reflexes:
        if common_loss and r.reflex == "ankle":
            continue
        for side in _expand(r.side):
            label = f"{kb.label('reflexes', r.reflex)} {r.grade}{f' ({side})' if side else ''}"
            expected = site.reflexes.get(r.reflex)
            changed = "reduced" if r.grade in ("absent", "reduced") else r.grade
            if not _side_ok(side, hyp.body_sides):
                if changed != "normal":
                    add("reflex", f"reflex change on the other side: {label}", w["wrong_side"])
                continue
            if expected == "variable" and changed != "brisk":
                continue
            if changed == "normal":
                if expected in ("reduced", "brisk"):
                    add("normal_exam", f"reflex normal where a change is expected: {label}",
                        w["reflex_expected_change_absent"])
            elif expected == changed:
                add("reflex", f"reflex change as expected: {label}", w["reflex_match"])
            else:
                add("reflex", f"reflex change not explained: {label}", w["reflex_mismatch"])

    # signs
    for feature, (lr_p, lr_a, _src, _ev) in site.signs.items():
        state = facts.get(feature)
        label = kb.label("features", feature) if not feature.startswith("test:") else kb.label(
            "tests", feature[5:])
        if state is True and lr_p is not None:
            add("sign", f"{label}: present", lr_p)
        elif state is False and lr_a is not None:
            add("sign", f"{label}: absent", lr_a)

    # one-sided symptoms for a two-sided site
    lateral = lateral_sides(case)
    if site.laterality == "bilateral" and len(lateral) == 1:
        add("sign", "symptoms on one side only", w["unilateral_for_bilateral_site"])

    result = Fit()
    for category in CATEGORIES:
        items = per[category]
        if not items:
            continue
        cap = w["normal_exam_cap"] if category == "normal_exam" else w["per_category_cap"]
        scale = min(1.0, cap / len(items))
        for text, log in items:
            result.items.append((text, log * scale))
        result.log += math.fsum(log for _, log in items) * scale
    return result
