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

    site: str  # the site code, or the name of a territory (anatomy.yaml ``territories``)
    reports_as: str  # the site code results are reported under (the site itself, or the territory's site)
    kind: str
    laterality: str
    sensory: Mapping[str, str]
    pain: frozenset[str]
    motor: Mapping[str, str]
    spared_distally: frozenset[str]  # muscles whose normal strength does not count against the site
    reflexes: Mapping[str, str]
    signs: Mapping[str, tuple[float | None, float | None, tuple[str, ...], str]]

    leg_territory: bool
    thigh_territory: bool
    core_scale: float  # size-principle factor for a core sensory match


@dataclass(frozen=True)
class Hypothesis:
    site: str
    side: str | None  # the side reported: body side for roots and nerves, hemisphere for brain
    body_sides: frozenset[str]  # body sides where the site's findings should be
    prior: float  # share of the site's prior given to this side hypothesis


@dataclass(frozen=True)
class LocalisationIndex:
    sites: Mapping[str, SiteModel]
    weights: Mapping[str, float]


@lru_cache(maxsize=8)
def index_for(kb: Knowledge) -> LocalisationIndex:
    """Territories and signs of every rankable site, and of every territory a condition is scored
    with (reported as its site), built once per knowledge base."""
    weights = {name: w.value for name, w in kb.localisation.weights.items()}
    sites: dict[str, SiteModel] = {}
    models = [(code, anat) for code, anat in kb.anatomy.items() if anat.rankable]
    for code, anat in [*models, *kb.territories.items()]:
        reports_as = anat.reports_as or code
        sensory: dict[str, str] = {}
        for row in anat.sensory:
            if sensory.get(row.region) != "core":
                sensory[row.region] = row.weight
        signs: dict[str, tuple[float | None, float | None, tuple[str, ...], str]] = {}
        for sign in kb.localisation.site_signs:
            if sign.site == f"kind:{anat.kind}" and sign.feature not in signs:
                signs[sign.feature] = (sign.lr_present, sign.lr_absent, tuple(sign.source), sign.evidence)
        for sign in kb.localisation.site_signs:
            if sign.site == reports_as:
                signs[sign.feature] = (sign.lr_present, sign.lr_absent, tuple(sign.source), sign.evidence)
        sites[code] = SiteModel(
            site=code,
            reports_as=reports_as,
            kind=anat.kind,
            laterality=anat.laterality,
            sensory=sensory,
            pain=frozenset(p.region for p in anat.pain),
            motor={m.action: m.role for m in anat.motor},
            spared_distally=frozenset(m.action for m in anat.motor if m.spared_by_distal_lesion),
            reflexes={r.reflex: r.expected for r in anat.reflexes},
            signs=signs,
            leg_territory=any(r in LEG_REGIONS for r in sensory),
            thigh_territory=bool(THIGH_REGIONS & sensory.keys()),
            core_scale=_core_scale(anat.kind, sensory, weights),
        )
    return LocalisationIndex(sites=sites, weights=weights)


def _core_scale(kind: str, sensory: Mapping[str, str], w: Mapping[str, float]) -> float:
    """Size principle: a small territory containing the symptom gains more than a large one.

    Roots, nerves and the plexus use ``territory_size_exponent``; central sites (cauda equina, conus,
    cord, brain), whose territory is most of the leg, and non-neural territories (the ischaemic limb)
    use the gentler ``central_territory_size_exponent``.
    """
    if kind in ("root", "nerve", "plexus"):
        exponent = w["territory_size_exponent"]
    elif kind in ("cauda_equina", "conus", "cord", "brain", "non_neural"):
        exponent = w["central_territory_size_exponent"]
    else:
        return 1.0
    size = sum(1 for region, zone in sensory.items() if zone == "core" and region in LEG_REGIONS)
    return float((w["territory_reference_size"] / max(size, 1)) ** exponent)


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


def _expand(side: str | None) -> list[str | None]:
    return ["left", "right"] if side == "bilateral" else [side]


@dataclass(frozen=True)
class Obs:
    """One anatomical observation of the case, with a bilateral entry split into left and right."""

    kind: str  # sensory | sensory_normal | pain | motor | reflex
    code: str  # region, motor action or reflex
    side: str | None
    value: str  # quality, 'weak'/'normal', or reflex change: reduced | normal | brisk
    label: str


@dataclass(frozen=True)
class CaseObservations:
    items: tuple[Obs, ...]
    lateral: frozenset[str]
    sign_states: Mapping[str, bool | None]


def observations(case: Case, facts: Facts, kb: Knowledge, index: LocalisationIndex) -> CaseObservations:
    """Every anatomical observation of a case, labelled once (shared by all site hypotheses)."""
    w = index.weights
    items: list[Obs] = []
    seen: set[tuple[str, str, str | None]] = set()

    def place(code: str, side: str | None) -> str:
        return f"{code}{f' ({side})' if side else ''}"

    for e in case.sensory:
        kind = "sensory_normal" if e.quality == "normal" else "sensory"
        for side in _expand(e.side):
            if (kind, e.region, side) in seen:  # numb and tingling in one place are one finding
                continue
            seen.add((kind, e.region, side))
            items.append(Obs(kind, e.region, side, e.quality, place(kb.label("regions", e.region), side)))
    for pe in case.pain:
        if pe.region == "low_back":
            continue
        for side in _expand(pe.side):
            if ("pain", pe.region, side) in seen:
                continue
            seen.add(("pain", pe.region, side))
            items.append(Obs("pain", pe.region, side, "pain", place(kb.label("regions", pe.region), side)))
    motor = [(m.action, m.side, m.mrc) for m in case.motor]
    examined = {(a, sd) for a, sd, _ in motor}
    for f in case.present:
        if f.code == "foot_drop" and not any(a == "ankle_dorsiflexion" for a, _ in examined):
            motor.append(("ankle_dorsiflexion", f.side, 3))
    for t in case.tests:
        if t.result != "negative":
            continue
        if t.test == "heel_walk" and ("ankle_dorsiflexion", t.side) not in examined:
            motor.append(("ankle_dorsiflexion", t.side, 4))
        if t.test == "toe_walk" and ("ankle_plantarflexion", t.side) not in examined:
            motor.append(("ankle_plantarflexion", t.side, 4))
    for action, mside, mrc in motor:
        for side in _expand(mside):
            label = place(kb.label("motor_actions", action), side) + (f" MRC {mrc}" if mrc < 5 else "")
            items.append(Obs("motor", action, side, "weak" if mrc <= 4 else "normal", label))
    ankle_lost: set[str] = set()
    for r in case.reflexes:
        if r.reflex == "ankle" and r.grade in ("absent", "reduced"):
            ankle_lost |= sides_of(r.side)
    age = case.age if case.age is not None else 0
    common_loss = ankle_lost >= {"left", "right"} and (
        facts.get("diabetes") is True or age >= w["ankle_reflex_loss_common_age"]
    )
    for r in case.reflexes:
        if common_loss and r.reflex == "ankle":  # two-sided loss in older or diabetic people does not localise
            continue
        change = "reduced" if r.grade in ("absent", "reduced") else r.grade
        for side in _expand(r.side):
            items.append(Obs("reflex", r.reflex, side, change,
                             place(f"{kb.label('reflexes', r.reflex)} {r.grade}", side)))
    sign_features = {f for site in index.sites.values() for f in site.signs}
    return CaseObservations(
        items=tuple(items),
        lateral=lateral_sides(case),
        sign_states={f: facts.get(f) for f in sign_features},
    )


#: How each kind of item is described in the reasons for and against a site.
REASONS = {
    "wrong_side_sensory": "sensory symptoms on the other side",
    "whole": "sensory symptoms",
    "core": "sensory symptoms in territory",
    "edge": "sensory symptoms at edge of territory",
    "outside": "sensory symptoms outside territory",
    "normal_sensation": "sensation normal",
    "wrong_side_pain": "pain on the other side",
    "pain_in": "pain in expected area",
    "pain_out": "pain outside expected area",
    "normal_strength": "normal strength",
    "wrong_side_motor": "weakness on the other side",
    "motor_primary": "weakness of a key muscle",
    "motor_contributing": "weakness of a contributing muscle",
    "motor_outside": "weakness not explained",
    "wrong_side_reflex": "reflex change on the other side",
    "reflex_absent_change": "reflex normal where a change is expected",
    "reflex_match": "reflex change as expected",
    "reflex_mismatch": "reflex change not explained",
    "sign_present": "present",
    "sign_absent": "absent",
    "one_sided": "symptoms on one side only",
}


Item = tuple[str, str, str, float]  # (category, reason key, label, log factor)


@dataclass
class Fit:
    """A site hypothesis's log likelihood ratio, and the items behind it (for the reasons shown)."""

    log: float = 0.0
    parts: tuple[list[Item], ...] = ()
    scales: Mapping[str, float] = field(default_factory=dict)

    @property
    def items(self) -> list[tuple[str, str, float]]:
        """(reason key, label, scaled log) of every item that counted."""
        scales = self.scales
        return [(key, label, value * scales.get(cat, 1.0)) for part in self.parts for cat, key, label, value in part]

    def reasons(self, limit: int) -> tuple[list[str], list[str]]:
        """(supporting, against) texts, strongest first."""
        ranked = sorted(self.items, key=lambda item: (-abs(item[2]), item[1]))

        def text(key: str, label: str) -> str:
            return f"{label}: {REASONS[key]}" if key.startswith("sign_") else f"{REASONS[key]}: {label}"

        pro = [text(k, lab) for k, lab, v in ranked if v > 0][:limit]
        con = [text(k, lab) for k, lab, v in ranked if v < 0][:limit]
        return pro, con




def _judge(site: SiteModel, o: Obs, w: Mapping[str, float]) -> tuple[Item | None, Item | None]:
    """How one observation bears on a site: (if on a side the hypothesis covers, if on the other side)."""
    log = math.log
    if o.kind == "sensory_normal":
        if o.code in ("whole_leg", "thigh"):
            covered = site.leg_territory if o.code == "whole_leg" else site.thigh_territory
        else:
            covered = site.sensory.get(o.code) == "core"
        ok = ("normal_exam", "normal_sensation", o.label, log(w["sensory_normal_in_core"])) if covered else None
        return ok, None
    if o.kind == "sensory":
        wrong = ("sensory", "wrong_side_sensory", o.label, log(w["wrong_side"]))
        if o.code in ("whole_leg", "thigh"):
            hit = site.leg_territory if o.code == "whole_leg" else site.thigh_territory
            factor = w["sensory_unspecified_match"] if hit else w["sensory_unspecified_miss"]
            return ("sensory", "whole", o.label, log(factor)), wrong
        zone = site.sensory.get(o.code)
        if zone == "core":
            # the size principle is about the leg territory: a saddle or trunk match keeps its full weight
            scale = site.core_scale if o.code in LEG_REGIONS else 1.0
            return ("sensory", "core", o.label, log(w["sensory_core"] * scale)), wrong
        if zone == "edge":
            return ("sensory", "edge", o.label, log(w["sensory_edge"])), wrong
        return ("sensory", "outside", o.label, log(w["sensory_outside"])), wrong
    if o.kind == "pain":
        wrong = ("pain", "wrong_side_pain", o.label, log(w["pain_outside"]))
        if o.code == "whole_leg":
            miss = not site.leg_territory and not site.pain
            return (("pain", "pain_out", o.label, log(w["pain_outside"])) if miss else None), wrong
        if o.code == "thigh":
            hit = site.thigh_territory or bool(THIGH_REGIONS & site.pain)
        else:
            hit = o.code in site.pain or o.code in site.sensory
        factor = w["pain_match"] if hit else w["pain_outside"]
        return ("pain", "pain_in" if hit else "pain_out", o.label, log(factor)), wrong
    if o.kind == "motor":
        role = site.motor.get(o.code)
        if o.value == "normal":
            if role != "primary" or o.code in site.spared_distally:
                return None, None
            return ("normal_exam", "normal_strength", o.label, log(w["motor_normal_primary"])), None
        wrong = ("motor", "wrong_side_motor", o.label, log(w["wrong_side"]))
        if role == "primary":
            return ("motor", "motor_primary", o.label, log(w["motor_primary"])), wrong
        if role == "contributing":
            return ("motor", "motor_contributing", o.label, log(w["motor_contributing"])), wrong
        return ("motor", "motor_outside", o.label, log(w["motor_outside"])), wrong
    # reflex
    expected = site.reflexes.get(o.code)
    wrong_reflex = ("reflex", "wrong_side_reflex", o.label, log(w["wrong_side"])) if o.value != "normal" else None
    if expected == "variable" and o.value != "brisk":
        return None, wrong_reflex
    if o.value == "normal":
        if expected in ("reduced", "brisk"):
            return ("normal_exam", "reflex_absent_change", o.label, log(w["reflex_expected_change_absent"])), None
        return None, None
    if expected == o.value:
        return ("reflex", "reflex_match", o.label, log(w["reflex_match"])), wrong_reflex
    return ("reflex", "reflex_mismatch", o.label, log(w["reflex_mismatch"])), wrong_reflex


def _tally(items: list[Item]) -> dict[str, tuple[int, float]]:
    out: dict[str, tuple[int, float]] = {}
    for category, _, _, value in items:
        n, total = out.get(category, (0, 0.0))
        out[category] = (n + 1, total + value)
    return out


def site_fits(
    site: SiteModel, hyps: list[Hypothesis], obs: CaseObservations, index: LocalisationIndex, kb: Knowledge
) -> list[Fit]:
    """The likelihood ratio of the case's observations under each side hypothesis of one site.

    Every observation is judged once per site; a side hypothesis then takes, for each observation on
    a stated side, the judgement for 'its side' or for 'the other side'. Within each category at most
    ``per_category_cap`` items (``normal_exam_cap`` for normal findings) count in full.
    """
    w = index.weights
    neutral: list[Item] = []
    sided: dict[str, tuple[list[Item], list[Item]]] = {"left": ([], []), "right": ([], [])}
    for o in obs.items:
        ok, wrong = _judge(site, o, w)
        if o.side in ("left", "right"):
            here, there = sided[o.side]
            if ok is not None and ok[3] != 0.0:
                here.append(ok)
            if wrong is not None and wrong[3] != 0.0:
                there.append(wrong)
        elif ok is not None and ok[3] != 0.0:
            neutral.append(ok)
    for feature, (lr_p, lr_a, _src, _ev) in site.signs.items():
        state = obs.sign_states.get(feature)
        if state is True and lr_p is not None and lr_p != 1.0:
            neutral.append(("sign", "sign_present", _sign_label(kb, feature), math.log(lr_p)))
        elif state is False and lr_a is not None and lr_a != 1.0:
            neutral.append(("sign", "sign_absent", _sign_label(kb, feature), math.log(lr_a)))
    if site.laterality == "bilateral" and len(obs.lateral) == 1:
        neutral.append(("sign", "one_sided", "laterality", math.log(w["unilateral_for_bilateral_site"])))
    tallies = {id(part): _tally(part) for part in (neutral, *sided["left"], *sided["right"])}
    out: list[Fit] = []
    for hyp in hyps:
        parts = (neutral, *(sided[s][0 if s in hyp.body_sides else 1] for s in ("left", "right")))
        counts: dict[str, tuple[int, float]] = {}
        for part in parts:
            for category, (n, total) in tallies[id(part)].items():
                m, t = counts.get(category, (0, 0.0))
                counts[category] = (m + n, t + total)
        scales: dict[str, float] = {}
        log = 0.0
        for category, (n, total) in counts.items():
            cap = w["normal_exam_cap"] if category == "normal_exam" else w["per_category_cap"]
            scales[category] = min(1.0, cap / n)
            log += total * scales[category]
        out.append(Fit(log=log, parts=parts, scales=scales))
    return out


def _sign_label(kb: Knowledge, feature: str) -> str:
    if feature.startswith("test:"):
        return kb.label("tests", feature[5:])
    return kb.label("features", feature) if ("features", feature) in kb.terms else kb.label("findings", feature)
