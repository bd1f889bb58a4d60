"""Localisation: how well a case's distribution of findings fits each site's territory.

For each site hypothesis (a site and, for one-sided sites, a side) this step computes ``fit``, a
likelihood ratio built from the anatomy tables (``anatomy.yaml``) and the weights and site signs of
``localisation.yaml``:

- each numb, tingling or reduced region: in the site's core zone, edge zone, or outside it;
- each examined normal region inside the core zone counts against the site;
- each pain region: inside the site's pain map or territory (for the cords and brain, the pain map
  only: limb pain is a root's or a nerve's), or not;
- each weak muscle (MRC 4 or less): a key muscle of the site, a contributing one, or not supplied;
  a key muscle of normal strength counts against;
- each reflex: the change the site predicts, or not (a reflex lost within days of a sudden or acute
  onset says nothing against a cord site, which predicts brisk reflexes: spinal shock);
- findings on the wrong side for a one-sided site count against it (a leg named weak or wasted by
  side counts too, though no muscle is named, and so does an abnormal bedside test on a stated side;
  pain counts more firmly when every leg finding is on one side); one-sided symptoms count once
  against a site that is usually two-sided, and against the two-sided hypothesis of a root, nerve or plexus;
- site signs: upper-motor-neurone signs, a sensory level, arm or hand, face and speech, saddle and
  sphincter involvement, gait and posterior-column signs, root tension tests.

Within each kind of item (sensory, pain, motor, reflex, sign) at most ``per_category_cap`` items
count in full, because neighbouring regions and muscles are correlated evidence. The differential
step combines these fits with what each condition implies about sites (``differential.py``).

Everything that depends only on the knowledge base is worked out once (``index_for``): each site's
judgement of every observation a case can make, the logs of its sign ratios, and the side
hypotheses. ``site_logs`` then gives the fit of every hypothesis from those tables; ``site_fit``
gives the same number with the items behind it, for the few sites shown with their reasons.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from radicula.case import Case
from radicula.engine.features import LEG_REGIONS, POSITIVE_IS_NORMAL, Facts, sides_of
from radicula.knowledge.loader import Knowledge

THIGH_REGIONS = frozenset({"anterior_thigh", "lateral_thigh", "medial_thigh", "posterior_thigh"})
#: Findings whose side says which leg is weak but not which muscle: they count against a one-sided
#: hypothesis of the other side, and against a site that supplies no muscle (a foot drop is read as
#: weak ankle dorsiflexion instead; a weak muscle examined on the same side says it already).
SIDED_WEAKNESS = ("leg_weakness", "muscle_wasting")
#: Bedside tests whose abnormal result on a stated side belongs to that leg: besides what each site's
#: signs make of them, they count against a one-sided hypothesis of the other side. (Crossed tests are
#: left out, since their side may be the leg raised or the leg that hurts; so are the foot pulses, which
#: say nothing about the side of a nerve lesion.)
SIDED_TESTS = (
    "straight_leg_raise", "slump", "femoral_stretch", "babinski", "ankle_clonus", "tinel_fibular_head",
    "tinel_tarsal_tunnel", "pelvic_compression", "vibration_toes", "monofilament_feet", "joint_position_sense_toes",
)
#: Kinds of site whose pain is judged by their pain map only: the cord and brain give numbness and
#: weakness across the leg, but leg pain belongs to roots and nerves (the cords' pain is at the spine
#: or round the trunk), so leg pain counts as outside them.
PAIN_MAP_ONLY = frozenset({"cord", "brain"})
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
    log_prior: float  # its log
    key: tuple[str, str | None]  # (site, side)
    mirror: tuple[str, str] | None  # (site, the other side) for a left or right hypothesis


ObsKey = str  # 'kind:code:value' of an observation, as far as a site's judgement goes
Judgement = tuple[str, str, float]  # (category, reason key, log factor)
Table = Mapping[ObsKey, Judgement | None]  # None: the observation does not count


@dataclass(frozen=True)
class LocalisationIndex:
    """Everything about the sites that does not depend on the case, worked out once per knowledge base."""

    sites: Mapping[str, SiteModel]
    weights: Mapping[str, float]
    #: per site: every observation a case can make, judged for a side the hypothesis covers
    tables: Mapping[str, Table]
    #: the same observations on a side the hypothesis does not cover (the same for every site)
    other_side: Table
    #: as ``other_side``, for a case whose leg findings are all on one side (pain there is stronger evidence)
    other_side_one_sided: Table
    #: per site: (feature, log lr_present, log lr_absent) of its signs; None where the ratio moves nothing
    sign_logs: Mapping[str, tuple[tuple[str, float | None, float | None], ...]]
    #: per site: feature -> (position, log lr_present, log lr_absent) of its signs (as sign_logs)
    sign_at: Mapping[str, Mapping[str, tuple[int, float | None, float | None]]]
    sign_features: frozenset[str]  # every feature some site sign reads
    sign_labels: Mapping[str, str]  # sign feature -> label
    #: the side hypotheses of every site, by site, for each set of sides the case's leg findings are on
    grouped: Mapping[frozenset[str], tuple[tuple[str, tuple[Hypothesis, ...]], ...]]
    #: the same hypotheses by (site, side)
    hypothesis_at: Mapping[frozenset[str], Mapping[tuple[str, str | None], Hypothesis]]
    labels: Mapping[str, str]  # site code -> label
    #: per category, how many items count in full (``normal_exam_cap`` or ``per_category_cap``)
    caps: Mapping[str, float]
    #: per site: the observations of ``tables`` that count, as (category, log factor)
    counting: Mapping[str, Mapping[ObsKey, tuple[str, float]]]
    #: per site: (sign feature, its state) -> (position in the site's signs, log ratio), for the
    #: states whose ratio moves something
    sign_values: Mapping[str, Mapping[tuple[str, bool], tuple[int, float]]]


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
        if code != reports_as:  # a territory's own signs take the place of its site's
            for sign in kb.localisation.site_signs:
                if sign.site == code:
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
    both = frozenset(("left", "right"))
    laterals: tuple[frozenset[str], ...] = (frozenset(), frozenset(("left",)), frozenset(("right",)), both)
    grouped = {lateral: _grouped(sites, weights, lateral) for lateral in laterals}
    keys = _table_keys(kb.codes)
    tables = {
        code: {_obs_key(kind, c, value): _counting(_judge(site, kind, c, value, weights)) for kind, c, value in keys}
        for code, site in sites.items()
    }
    sign_features = frozenset(f for site in sites.values() for f in site.signs)
    return LocalisationIndex(
        sites=sites,
        weights=weights,
        tables=tables,
        other_side={_obs_key(kind, c, value): _counting(_other_side(kind, value, weights)) for kind, c, value in keys},
        other_side_one_sided={_obs_key(kind, c, value): _counting(_other_side(kind, value, weights, one_sided=True))
                              for kind, c, value in keys},
        sign_logs={code: tuple(_sign_logs(site)) for code, site in sites.items()},
        sign_at={code: {f: (i, log_p, log_a) for i, (f, log_p, log_a) in enumerate(_sign_logs(site))}
                 for code, site in sites.items()},
        sign_features=sign_features,
        grouped=grouped,
        labels={code: kb.label("sites", code) for code in sites},
        caps={c: weights["normal_exam_cap"] if c == "normal_exam" else weights["per_category_cap"] for c in CATEGORIES},
        sign_labels={f: _sign_label(kb, f) for f in sign_features},
        hypothesis_at={
            lateral: {h.key: h for _, hyps in by_site for h in hyps} for lateral, by_site in grouped.items()
        },
        counting={code: {key: (j[0], j[2]) for key, j in table.items() if j is not None}
                  for code, table in tables.items()},
        sign_values={code: _sign_values(site) for code, site in sites.items()},
    )


def _sign_values(site: SiteModel) -> dict[tuple[str, bool], tuple[int, float]]:
    out: dict[tuple[str, bool], tuple[int, float]] = {}
    for i, (feature, log_p, log_a) in enumerate(_sign_logs(site)):
        if log_p is not None:
            out[(feature, True)] = (i, log_p)
        if log_a is not None:
            out[(feature, False)] = (i, log_a)
    return out


def _sign_logs(site: SiteModel) -> list[tuple[str, float | None, float | None]]:
    def log(lr: float | None) -> float | None:
        return math.log(lr) if lr is not None and lr != 1.0 else None

    return [(feature, log(lr_p), log(lr_a)) for feature, (lr_p, lr_a, _src, _ev) in site.signs.items()]


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


def _site_hypotheses(
    sites: Mapping[str, SiteModel], weights: Mapping[str, float], lateral: frozenset[str]
) -> list[Hypothesis]:
    bilateral_prior = {"root": weights["bilateral_root_prior"], "plexus": weights["bilateral_plexus_prior"],
                       "nerve": weights["bilateral_nerve_prior"], "non_neural": weights["bilateral_ischaemia_prior"]}
    out: list[Hypothesis] = []
    both = frozenset(("left", "right"))

    def hyp(code: str, side: str | None, body_sides: frozenset[str], prior: float) -> Hypothesis:
        mirror = (code, OPPOSITE[side]) if side in OPPOSITE else None
        return Hypothesis(code, side, body_sides, prior, math.log(prior), (code, side), mirror)

    for code, site in sites.items():
        if site.laterality == "unilateral":
            extra = bilateral_prior.get(site.kind, 0.0)
            total = 2.0 + extra
            for side in ("left", "right"):
                out.append(hyp(code, side, frozenset({side}), 1.0 / total))
            if extra:
                out.append(hyp(code, "bilateral", both, extra / total))
        elif site.laterality == "contralateral":
            for hemi in ("left", "right"):
                out.append(hyp(code, hemi, frozenset({OPPOSITE[hemi]}), 0.5))
        elif site.laterality == "bilateral":
            out.append(hyp(code, "bilateral", both, 1.0))
        else:  # no nerve territory: report the side of the symptoms
            reported: str | None = "bilateral" if lateral == both else (next(iter(lateral)) if lateral else None)
            out.append(hyp(code, reported, both, 1.0))
    return out


def _grouped(
    sites: Mapping[str, SiteModel], weights: Mapping[str, float], lateral: frozenset[str]
) -> tuple[tuple[str, tuple[Hypothesis, ...]], ...]:
    by_site: dict[str, list[Hypothesis]] = {}
    for h in _site_hypotheses(sites, weights, lateral):
        by_site.setdefault(h.site, []).append(h)
    return tuple((site, tuple(hyps)) for site, hyps in by_site.items())


def grouped_hypotheses(
    index: LocalisationIndex, lateral: frozenset[str]
) -> tuple[tuple[str, tuple[Hypothesis, ...]], ...]:
    """Every site's side hypotheses, for a case whose leg findings are on the ``lateral`` sides."""
    hit = index.grouped.get(lateral)
    return hit if hit is not None else _grouped(index.sites, index.weights, lateral)


def hypotheses(index: LocalisationIndex, case: Case) -> list[Hypothesis]:
    return [h for _, hyps in grouped_hypotheses(index, lateral_sides(case)) for h in hyps]


def _expand(side: str | None) -> list[str | None]:
    return ["left", "right"] if side == "bilateral" else [side]


class Obs(NamedTuple):
    """One anatomical observation of the case, with a bilateral entry split into left and right."""

    kind: str  # sensory | sensory_normal | pain | motor | reflex | side (a sided weakness finding) | test
    code: str  # region, motor action or reflex
    side: str | None
    value: str  # quality, 'weak'/'normal'/'spared' (normal beside MRC 2 or less), or reflex change
    label: str
    key: ObsKey  # what a site's judgement of it depends on (see _obs_key)


def _obs(kind: str, code: str, side: str | None, value: str, label: str) -> Obs:
    return Obs(kind, code, side, value, label, _obs_key(kind, code, value))


@dataclass(frozen=True)
class CaseObservations:
    items: tuple[Obs, ...]
    lateral: frozenset[str]
    sign_states: Mapping[str, bool | None]
    #: the keys of the observations with no side (or midline), on the left and on the right, in order
    neutral_keys: tuple[ObsKey, ...] = ()
    left_keys: tuple[ObsKey, ...] = ()
    right_keys: tuple[ObsKey, ...] = ()
    #: whether every observation is in the index's tables (else the fits take the long way)
    tabled: bool = False
    #: the sign features whose state is known, with that state
    known_signs: Mapping[str, bool] = field(default_factory=dict)
    #: the same as (feature, state) pairs
    known_sign_items: tuple[tuple[str, bool], ...] = ()
    #: whether the left and the right observations have the same keys, in the same order
    mirrored: bool = False
    #: the tallies of the left and of the right findings for a hypothesis that does not cover that
    #: side (the same for every site)
    left_other: Tally = field(default_factory=dict)
    right_other: Tally = field(default_factory=dict)
    #: the log ratio for findings on one side only under a two-sided hypothesis (see one_sided_log)
    one_sided_log: float = 0.0


def one_sided_deficits(sided: Iterable[Obs]) -> int:
    """How many deficits (numbness, weakness, a reflex change) are among these one-sided observations."""
    return sum(1 for o in sided if o.kind == "sensory" or (o.kind in ("motor", "side") and o.value == "weak")
               or (o.kind == "reflex" and o.value != "normal"))


def one_sided_log(sided: Iterable[Obs], w: Mapping[str, float]) -> float:
    """The log ratio of findings on one side only, for a two-sided site or the two-sided hypothesis of
    a root, nerve or plexus: ``unilateral_for_bilateral_site``, times
    ``unilateral_deficit_for_bilateral_site`` for each one-sided deficit beyond the first
    ``unilateral_deficits_free`` (a two-sided lesion that has made several deficits on one leg rarely
    spares the other; pain, which spreads, is not counted)."""
    extra = max(0.0, one_sided_deficits(sided) - w["unilateral_deficits_free"])
    return math.log(w["unilateral_for_bilateral_site"]) + extra * math.log(w["unilateral_deficit_for_bilateral_site"])


def observations(case: Case, facts: Facts, kb: Knowledge, index: LocalisationIndex) -> CaseObservations:
    """Every anatomical observation of a case, labelled once (shared by all site hypotheses)."""
    w = index.weights
    label = kb.label
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
            items.append(_obs(kind, e.region, side, e.quality, place(label("regions", e.region), side)))
    for pe in case.pain:
        if pe.region == "low_back":
            continue
        for side in _expand(pe.side):
            if ("pain", pe.region, side) in seen:
                continue
            seen.add(("pain", pe.region, side))
            items.append(_obs("pain", pe.region, side, "pain", place(label("regions", pe.region), side)))
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
    for t in case.tests:
        abnormal = t.result == ("negative" if t.test in POSITIVE_IS_NORMAL else "positive")
        if abnormal and t.test in SIDED_TESTS and t.side in ("left", "right", "bilateral"):
            for side in _expand(t.side):
                if ("test", t.test, side) not in seen:
                    seen.add(("test", t.test, side))
                    items.append(_obs("test", t.test, side, "abnormal", place(label("tests", t.test), side)))
    weak_sides = {side for action, mside, mrc in motor if mrc <= 4 for side in _expand(mside)}
    for f in case.present:
        if f.code in SIDED_WEAKNESS and f.side in ("left", "right", "bilateral"):
            for side in _expand(f.side):
                # a weak muscle examined on that side already says it (and says which muscle)
                if side not in weak_sides and ("side", f.code, side) not in seen:
                    seen.add(("side", f.code, side))
                    items.append(_obs("side", f.code, side, "present", place(label("findings", f.code), side)))
    # a leg with a muscle at MRC 2 or less: a lesion that dense weakens the other key muscles it supplies
    dense_sides = {side for action, mside, mrc in motor if mrc <= 2 for side in _expand(mside)}
    for action, mside, mrc in motor:
        for side in _expand(mside):
            text = place(label("motor_actions", action), side) + (f" MRC {mrc}" if mrc < 5 else "")
            value = "weak" if mrc <= 4 else "spared" if side in dense_sides else "normal"
            items.append(_obs("motor", action, side, value, text))
    ankle_lost: set[str] = set()
    for r in case.reflexes:
        if r.reflex == "ankle" and r.grade in ("absent", "reduced"):
            ankle_lost |= sides_of(r.side)
    age = case.age if case.age is not None else 0
    common_loss = ankle_lost >= {"left", "right"} and (
        facts.get("diabetes") is True or age >= w["ankle_reflex_loss_common_age"]
    )
    # within days of a sudden or acute onset, a cord lesion can leave the reflexes below it lost
    # (spinal shock), so a lost reflex then says nothing against a cord site (which predicts brisk ones)
    shock_window = case.onset in ("sudden", "acute") and facts.get("new_symptoms") is True
    lost = "reduced_early" if shock_window else "reduced"
    for r in case.reflexes:
        if common_loss and r.reflex == "ankle":  # two-sided loss in older or diabetic people does not localise
            continue
        change = lost if r.grade in ("absent", "reduced") else r.grade
        for side in _expand(r.side):
            items.append(_obs("reflex", r.reflex, side, change,
                             place(f"{label('reflexes', r.reflex)} {r.grade}", side)))
    get = facts.lookup
    sign_states = {f: get(f) for f in index.sign_features}
    left = [o for o in items if o.side == "left"]
    right = [o for o in items if o.side == "right"]
    lateral = lateral_sides(case)
    one_sided = len(lateral) == 1
    known_signs = {f: state for f, state in sign_states.items() if state is not None}
    left_keys = tuple(o.key for o in left)
    right_keys = tuple(o.key for o in right)
    return CaseObservations(
        one_sided_log=one_sided_log(left if "left" in lateral else right, w) if one_sided else 0.0,
        items=tuple(items),
        lateral=lateral,
        sign_states=sign_states,
        neutral_keys=tuple(o.key for o in items if o.side not in ("left", "right")),
        left_keys=left_keys,
        right_keys=right_keys,
        tabled=all(o.key in index.other_side for o in items),
        known_signs=known_signs,
        known_sign_items=tuple(known_signs.items()),
        mirrored=left_keys == right_keys,
        left_other=_tally_judged(_judged_other_side(index, o, one_sided) for o in left),
        right_other=_tally_judged(_judged_other_side(index, o, one_sided) for o in right),
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
    "spared_strength": "normal strength beside a very weak muscle",
    "wrong_side_motor": "weakness on the other side",
    "motor_primary": "weakness of a key muscle",
    "motor_contributing": "weakness of a contributing muscle",
    "motor_outside": "weakness not explained",
    "wrong_side_reflex": "reflex change on the other side",
    "wrong_side_test": "test result on the other side",
    "reflex_absent_change": "reflex normal where a change is expected",
    "reflex_match": "reflex change as expected",
    "reflex_mismatch": "reflex change not explained",
    "sign_present": "present",
    "sign_absent": "absent",
    "one_sided": "symptoms on one side only",
}


Item = tuple[str, str, str, float]  # (category, reason key, label, log factor)
_STRENGTH = itemgetter(0, 1)  # (-abs(scaled log), label): the order of the reasons


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
        return _reasons(self.items, limit)


def _reasons(items: list[tuple[str, str, float]], limit: int) -> tuple[list[str], list[str]]:
    """(supporting, against) texts of (reason key, label, scaled log) items, strongest first (ties in
    the order of the items)."""
    ranked = sorted([(-abs(value), label, key, value) for key, label, value in items], key=_STRENGTH)
    pro: list[str] = []
    con: list[str] = []
    for _, label, key, value in ranked:
        if value > 0 and len(pro) < limit:
            pro.append(_reason_text(key, label))
        elif value < 0 and len(con) < limit:
            con.append(_reason_text(key, label))
    return pro, con


def _reason_text(key: str, label: str) -> str:
    """The text of one reason: 'label: present' for a site sign, 'reason: label' for the others."""
    return f"{label}: {REASONS[key]}" if key in _SIGN_REASONS else f"{REASONS[key]}: {label}"


#: The reasons of site signs (their keys begin with 'sign_'), whose text puts the label first.
_SIGN_REASONS = frozenset(key for key in REASONS if key.startswith("sign_"))


def _judge(site: SiteModel, kind: str, code: str, value: str, w: Mapping[str, float]) -> Judgement | None:
    """How one observation bears on a site when it is on a side the hypothesis covers (or has no side)."""
    log = math.log
    if kind == "test":  # the site's signs judge the result; here it only says which leg
        return None
    if kind == "side":  # which leg, not which muscle: it counts only against a site that supplies no muscle
        return None if site.motor else ("motor", "motor_outside", log(w["motor_outside"]))
    if kind == "sensory_normal":
        if code in ("whole_leg", "thigh"):
            covered = site.leg_territory if code == "whole_leg" else site.thigh_territory
        else:
            covered = site.sensory.get(code) == "core"
        return ("normal_exam", "normal_sensation", log(w["sensory_normal_in_core"])) if covered else None
    if kind == "sensory":
        if code in ("whole_leg", "thigh"):
            hit = site.leg_territory if code == "whole_leg" else site.thigh_territory
            factor = w["sensory_unspecified_match"] if hit else w["sensory_unspecified_miss"]
            return ("sensory", "whole", log(factor))
        zone = site.sensory.get(code)
        if zone == "core":
            # the size principle is about the leg territory: a saddle or trunk match keeps its full weight
            scale = site.core_scale if code in LEG_REGIONS else 1.0
            return ("sensory", "core", log(w["sensory_core"] * scale))
        if zone == "edge":
            return ("sensory", "edge", log(w["sensory_edge"]))
        return ("sensory", "outside", log(w["sensory_outside"]))
    if kind == "pain":
        # a cord or brain lesion does not give limb pain: its pain map alone counts, not its territory
        by_territory = site.kind not in PAIN_MAP_ONLY
        if code == "whole_leg":
            miss = not (by_territory and site.leg_territory) and not (site.pain & LEG_REGIONS)
            return ("pain", "pain_out", log(w["pain_outside"])) if miss else None
        if code == "thigh":
            hit = (by_territory and site.thigh_territory) or bool(THIGH_REGIONS & site.pain)
        else:
            hit = code in site.pain or (by_territory and code in site.sensory)
        factor = w["pain_match"] if hit else w["pain_outside"]
        return ("pain", "pain_in" if hit else "pain_out", log(factor))
    if kind == "motor":
        role = site.motor.get(code)
        if value != "weak":  # normal, or spared beside a dense weakness of the same leg
            if role != "primary" or code in site.spared_distally:
                return None
            if value == "spared":
                return ("normal_exam", "spared_strength", log(w["motor_spared_beside_dense"]))
            return ("normal_exam", "normal_strength", log(w["motor_normal_primary"]))
        if role == "primary":
            return ("motor", "motor_primary", log(w["motor_primary"]))
        if role == "contributing":
            return ("motor", "motor_contributing", log(w["motor_contributing"]))
        return ("motor", "motor_outside", log(w["motor_outside"]))
    # reflex
    expected = site.reflexes.get(code)
    if value == "reduced_early":  # a reflex lost within days of a sudden or acute onset
        if expected == "brisk" and site.kind == "cord":
            return None  # spinal shock: the reflexes below an acute cord lesion may be lost at first
        value = "reduced"
    if expected == "variable" and value != "brisk":
        return None
    if value == "normal":
        if expected in ("reduced", "brisk"):
            return ("normal_exam", "reflex_absent_change", log(w["reflex_expected_change_absent"]))
        return None
    if expected == value:
        return ("reflex", "reflex_match", log(w["reflex_match"]))
    return ("reflex", "reflex_mismatch", log(w["reflex_mismatch"]))


def _other_side(kind: str, value: str, w: Mapping[str, float], one_sided: bool = False) -> Judgement | None:
    """How an observation bears on a one-sided hypothesis that does not cover its side: the same for
    every site (a finding on the other side counts against; normal findings say nothing). Pain counts
    as pain outside the territory, or, when every leg finding of the case is on one side, as
    ``pain_wrong_side`` (a lesion of one side does not give pain in the other leg alone)."""
    log = math.log
    if kind == "sensory":
        return ("sensory", "wrong_side_sensory", log(w["wrong_side"]))
    if kind == "pain":
        return ("pain", "wrong_side_pain", log(w["pain_wrong_side" if one_sided else "pain_outside"]))
    if kind == "motor":
        return ("motor", "wrong_side_motor", log(w["wrong_side"])) if value == "weak" else None
    if kind == "side":
        return ("motor", "wrong_side_motor", log(w["wrong_side"]))
    if kind == "test":
        return ("sign", "wrong_side_test", log(w["wrong_side"]))
    if kind == "reflex":
        return ("reflex", "wrong_side_reflex", log(w["wrong_side"])) if value != "normal" else None
    return None  # sensory_normal


def _counting(judgement: Judgement | None) -> Judgement | None:
    """Judgements that move nothing (a factor of 1) are left out of the tallies and the reasons."""
    return judgement if judgement is not None and judgement[2] != 0.0 else None


def _obs_key(kind: str, code: str, value: str) -> ObsKey:
    # the quality of a sensory symptom (numb, tingling ...) does not change how it is judged
    return f"{kind}:{code}:{'' if kind in ('sensory', 'sensory_normal', 'pain') else value}"


def _table_keys(codes: Mapping[str, frozenset[str]]) -> list[tuple[str, str, str]]:
    """(kind, code, value) of every observation a case can make with these vocabulary codes."""
    keys: list[tuple[str, str, str]] = []
    for region in sorted(codes.get("regions", ())):
        keys += [("sensory_normal", region, "normal"), ("sensory", region, "numb"), ("pain", region, "pain")]
    for action in sorted(codes.get("motor_actions", ())):
        keys += [("motor", action, "weak"), ("motor", action, "normal"), ("motor", action, "spared")]
    for reflex in sorted(codes.get("reflexes", ())):
        keys += [("reflex", reflex, change) for change in ("reduced", "reduced_early", "normal", "brisk")]
    keys += [("side", code, "present") for code in SIDED_WEAKNESS if code in codes.get("findings", ())]
    keys += [("test", code, "abnormal") for code in SIDED_TESTS if code in codes.get("tests", ())]
    return keys


def _judged(index: LocalisationIndex, site: SiteModel, o: Obs) -> Judgement | None:
    table = index.tables[site.site]
    if o.key in table:
        return table[o.key]
    return _counting(_judge(site, o.kind, o.code, o.value, index.weights))  # a code the tables do not list


def _judged_other_side(index: LocalisationIndex, o: Obs, one_sided: bool) -> Judgement | None:
    table = index.other_side_one_sided if one_sided else index.other_side
    if o.key in table:
        return table[o.key]
    return _counting(_other_side(o.kind, o.value, index.weights, one_sided))


Tally = dict[str, tuple[int, float]]  # category -> (items, sum of their logs), in order of appearance
_EMPTY = (0, 0.0)


def _tally(items: list[Item]) -> Tally:
    out: Tally = {}
    for category, _, _, value in items:
        n, total = out.get(category, (0, 0.0))
        out[category] = (n + 1, total + value)
    return out


def _combine(tallies: tuple[Tally, ...], caps: Mapping[str, float]) -> tuple[float, dict[str, float]]:
    """A hypothesis's log fit from the tallies of its parts, and the scale applied to each category:
    within each category at most ``per_category_cap`` items (``normal_exam_cap`` for normal findings)
    count in full."""
    counts: dict[str, tuple[int, float]] = {}
    for tally in tallies:
        for category, (n, total) in tally.items():
            m, t = counts.get(category, (0, 0.0))
            counts[category] = (m + n, t + total)
    scales: dict[str, float] = {}
    log = 0.0
    for category, (n, total) in counts.items():
        scales[category] = min(1.0, caps[category] / n)
        log += total * scales[category]
    return log, scales


def _items(
    site: SiteModel, hyp: Hypothesis, obs: CaseObservations, index: LocalisationIndex
) -> tuple[list[Item], list[Item], list[Item]]:
    """The items of one side hypothesis of a site: (no side, then the signs; left; right).

    Every observation is judged once per site; a side hypothesis takes, for each observation on a
    stated side, the judgement for 'its side' or for 'the other side'.
    """
    neutral: list[Item] = []
    left: list[Item] = []
    right: list[Item] = []
    covered = hyp.body_sides
    one_sided = len(obs.lateral) == 1
    table, other = index.tables[site.site], (index.other_side_one_sided if one_sided else index.other_side)
    for o in obs.items:
        side = o.side
        sided = side == "left" or side == "right"
        if obs.tabled:
            judged = (table if not sided or side in covered else other)[o.key]
        else:
            judged = (_judged(index, site, o) if not sided or side in covered
                      else _judged_other_side(index, o, one_sided))
        if judged is not None:
            (neutral if not sided else left if side == "left" else right).append(
                (judged[0], judged[1], o.label, judged[2])
            )
    labels = index.sign_labels
    signs = index.sign_at[site.site]
    for _, log_p, log_a, state, feature in sorted(
        signs[f] + (state, f) for f, state in obs.known_signs.items() if f in signs
    ):  # the known signs, in the site's order
        if state is True and log_p is not None:
            neutral.append(("sign", "sign_present", labels[feature], log_p))
        elif state is False and log_a is not None:
            neutral.append(("sign", "sign_absent", labels[feature], log_a))
    if len(obs.lateral) == 1 and (site.laterality == "bilateral" or hyp.side == "bilateral"):
        # a two-sided site, or the two-sided hypothesis of a root, nerve or plexus, with findings on one side only
        neutral.append(("sign", "one_sided", "laterality", obs.one_sided_log))
    return neutral, left, right


def site_fit(site: SiteModel, hyp: Hypothesis, obs: CaseObservations, index: LocalisationIndex) -> Fit:
    """The likelihood ratio of the case's observations under one side hypothesis of a site, with the
    items behind it (:func:`site_logs` gives the same logs faster, :func:`site_reasons` the same
    reasons). Within each category at most ``per_category_cap`` items (``normal_exam_cap`` for
    normal findings) count in full.
    """
    parts = _items(site, hyp, obs, index)
    log, scales = _combine(tuple(_tally(part) for part in parts), index.caps)
    return Fit(log=log, parts=parts, scales=scales)


def site_reasons(
    site: SiteModel, hyp: Hypothesis, obs: CaseObservations, index: LocalisationIndex, limit: int
) -> tuple[list[str], list[str]]:
    """``site_fit(...).reasons(limit)``, without summing the logs: an item's weight needs only how
    many items of its category count."""
    parts = _items(site, hyp, obs, index)
    counts: dict[str, int] = {}
    for part in parts:
        for item in part:
            counts[item[0]] = counts.get(item[0], 0) + 1
    caps = index.caps
    # the scale ``min(1.0, cap / n)`` of the categories over their cap (the others keep their logs:
    # times 1.0 a log is the same number)
    scales = {category: caps[category] / n for category, n in counts.items() if n > caps[category]}
    # the items for and against ranked apart: as :func:`_reasons`, whose stable sort on
    # (-abs(weight), label) keeps the order of each kind among the others (and -abs(weight) is
    # -weight for an item for, the weight itself for one against); the item's number after the
    # label breaks ties as the stable sort does, so the tuples sort as they are
    pro: list[tuple[float, str, int, str]] = []
    con: list[tuple[float, str, int, str]] = []
    number = 0
    for part in parts:
        for category, key, label, value in part:
            scale = scales.get(category)
            if scale is not None:
                value *= scale
            if value > 0:
                pro.append((-value, label, number, key))
            elif value < 0:
                con.append((value, label, number, key))
            number += 1
    pro.sort()
    con.sort()
    signs = _SIGN_REASONS
    return ([f"{label}: {REASONS[key]}" if key in signs else f"{REASONS[key]}: {label}"
             for _, label, _, key in pro[:limit]],
            [f"{label}: {REASONS[key]}" if key in signs else f"{REASONS[key]}: {label}"
             for _, label, _, key in con[:limit]])


def site_logs(
    site: SiteModel, hyps: Sequence[Hypothesis], obs: CaseObservations, index: LocalisationIndex
) -> list[float]:
    """The log fits of :func:`site_fit` (the very same numbers, summed in the same order), without
    building the items: the explanations are needed only for the few sites shown with reasons."""
    return fit_logs(((site.site, tuple(hyps)),), obs, index)


def fit_logs(
    grouped: Iterable[tuple[str, tuple[Hypothesis, ...]]], obs: CaseObservations, index: LocalisationIndex
) -> list[float]:
    """:func:`site_logs` of every site and its side hypotheses (as :func:`grouped_hypotheses` gives
    them), one list for all the hypotheses in that order.

    Each part's tally (no side, left or right; the side covered or not) receives observations of
    one side only, so the observations of each side are tallied on their own, in case order.
    """
    sites = index.sites
    if not obs.tabled:  # an observation the tables do not hold: the long way gives the same numbers
        return [site_fit(sites[code], hyp, obs, index).log for code, hyps in grouped for hyp in hyps]
    neutral_keys, left, right = obs.neutral_keys, obs.left_keys, obs.right_keys
    signs = obs.known_sign_items
    one_sided = len(obs.lateral) == 1
    mirrored = obs.mirrored
    left_there, right_there = obs.left_other, obs.right_other
    counting, sign_values, caps = index.counting, index.sign_values, index.caps
    out: list[float] = []
    for code, hyps in grouped:
        table = counting[code]
        neutral = _tally_keys(neutral_keys, table) if neutral_keys else {}
        if signs:
            values = sign_values[code]
            found = []  # (a loop: a comprehension per site costs more than it saves)
            for item in signs:
                if item in values:
                    found.append(values[item])
            if found:  # no observation is of the 'sign' category: the signs start its tally
                found.sort()  # in the site's order
                total = 0.0
                for _, value in found:
                    total += value
                neutral["sign"] = (len(found), total)
        # findings on one side only count against a two-sided site, and against the two-sided
        # hypothesis of a one-sided site (a root, nerve or plexus on both sides)
        two_sided = neutral
        if one_sided:
            n, total = neutral.get("sign", _EMPTY)
            two_sided = {**neutral, "sign": (n + 1, total + obs.one_sided_log)}
            if sites[code].laterality == "bilateral":
                neutral = two_sided
        if not (left or right):  # no finding on a stated side: every hypothesis fits alike but the two-sided one
            fit = _fit_log(neutral, {}, {}, caps)
            out += [_fit_log(two_sided, {}, {}, caps) if hyp.side == "bilateral" else fit for hyp in hyps]
            continue
        left_here = _tally_keys(left, table) if left else {}
        # the same keys on both sides (bilateral findings) give the same tally
        right_here = left_here if mirrored else (_tally_keys(right, table) if right else {})
        for hyp in hyps:
            sides = hyp.body_sides
            out.append(_fit_log(two_sided if hyp.side == "bilateral" else neutral,
                                left_here if "left" in sides else left_there,
                                right_here if "right" in sides else right_there, caps))
    return out


def _tally_keys(keys: tuple[ObsKey, ...], table: Mapping[ObsKey, tuple[str, float]]) -> Tally:
    """:func:`_tally` of the observations with these keys, as judged in a site's ``counting`` table
    (a total starts from 0.0 and no counting log is 0.0, so the first item's log is its total)."""
    out: Tally = {}
    get = out.get
    for key in keys:
        judged = table.get(key)
        if judged is not None:
            category, value = judged
            entry = get(category)
            out[category] = (1, value) if entry is None else (entry[0] + 1, entry[1] + value)
    return out


def _tally_judged(judgements: Iterable[Judgement | None]) -> Tally:
    """:func:`_tally` of judgements (those that do not count left out)."""
    out: Tally = {}
    for judged in judgements:
        if judged is not None:
            n, total = out.get(judged[0], _EMPTY)
            out[judged[0]] = (n + 1, total + judged[2])
    return out


def _fit_log(neutral: Tally, left: Tally, right: Tally, caps: Mapping[str, float]) -> float:
    """The log of :func:`_combine` for the tallies (neutral, left, right), without building the
    combined tally: each category is summed over the parts in order, from the first part that has
    it (a total is a sum from 0.0, so starting from it gives the same sum), and the categories are
    taken in the order they first appear. A category's scale is ``min(1.0, cap / n)``; where that
    is 1.0 (``n <= cap``) the total is taken as it is (times 1.0 it is the same number)."""
    log = 0.0
    for category, (n, total) in neutral.items():
        if left:
            entry = left.get(category)
            if entry is not None:
                n += entry[0]
                total += entry[1]
        if right:
            entry = right.get(category)
            if entry is not None:
                n += entry[0]
                total += entry[1]
        cap = caps[category]
        log += total if n <= cap else total * (cap / n)
    if left:
        for category, (n, total) in left.items():
            if category in neutral:
                continue
            if right:
                entry = right.get(category)
                if entry is not None:
                    n += entry[0]
                    total += entry[1]
            cap = caps[category]
            log += total if n <= cap else total * (cap / n)
    if right:
        for category, (n, total) in right.items():
            if category in neutral or category in left:
                continue
            cap = caps[category]
            log += total if n <= cap else total * (cap / n)
    return log


def _sign_label(kb: Knowledge, feature: str) -> str:
    if feature.startswith("test:"):
        return kb.label("tests", feature[5:])
    return kb.label("features", feature) if ("features", feature) in kb.terms else kb.label("findings", feature)
