"""Differential diagnosis and localisation from one explicit joint model.

For every condition c and every site hypothesis h (a site and side) the condition can be at:

    score(c, h) = prior(c | setting, age, sex) x P(site | c) x P(side) x product of LR(c, f) x fit(h)

- ``prior``: ``conditions.yaml`` priors for the setting (``self`` or ``clinician``), times the age
  and sex odds modifiers;
- ``P(site | c)``: the condition's site weights (``conditions.yaml``);
- ``LR(c, f)``: ``likelihoods.yaml``, for each *known* feature (present: lr_present, absent:
  lr_absent; unknown features move nothing). Rows sharing a ``group`` are correlated: only the
  most informative one counts;
- ``fit(h)``: the anatomical fit of the localisation step (``localize.py``).

Scores are normalised over all pairs; a condition's probability is the sum over its sites and a
site's probability the sum over conditions. With no findings at all, the result is the priors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter
from types import MappingProxyType
from typing import NamedTuple

from radicula.assessment import ConditionResult, Discriminator, Evidence, SiteResult, build_from
from radicula.engine.features import Facts, Tri
from radicula.engine.localize import (
    CaseObservations,
    Hypothesis,
    LocalisationIndex,
    SiteModel,
    fit_logs,
    grouped_hypotheses,
    index_for,
    observations,
    site_reasons,
)
from radicula.engine.triage import question
from radicula.knowledge.loader import Knowledge
from radicula.knowledge.schema import LikelihoodRow

TOP_SUPPORT = 4
#: Results below this probability are listed without reasons (they are not conclusions).
EXPLAIN_FROM = 0.001
#: Only the leading results carry their reasons (the rest are listed with probabilities only).
EXPLAIN_TOP = 8
#: Site hypotheses below this probability are not listed at all (conditions are always all listed).
LIST_FROM = 0.0005


class _Side(NamedTuple):
    """One side of a likelihood row (the feature present, or absent), ready to count and explain."""

    row: LikelihoodRow
    feature: str
    present: bool
    state: str  # 'present' or 'absent'
    lr: float
    label: str
    text: str  # the reason shown for the condition
    sources: tuple[str, ...]
    evidence: str
    strongest_for: tuple[float, str]  # (-lr, feature): the order of the evidence for
    strongest_against: tuple[float, str]  # (lr, feature): the order of the evidence against
    #: the fields of its Evidence, in the model's order (sources as a tuple, to copy)
    fields: Mapping[str, object]


#: A likelihood row's side as a candidate for a case: (position of the row in the knowledge base,
#: (condition number, the row's group or feature), log of the ratio, its size, the side)
_Candidate = tuple[int, tuple[int, str], float, float, _Side]


@dataclass(frozen=True)
class _Layout:
    """The side hypotheses of every site for one set of lateral sides, laid out flat (site by site,
    in the order of ``LocalisationIndex.sites``)."""

    grouped: tuple[tuple[str, tuple[Hypothesis, ...]], ...]
    hyps: tuple[Hypothesis, ...]
    hyp_site: tuple[int, ...]  # the number of each hypothesis's site
    result_key: tuple[tuple[str, str | None], ...]  # (site reported, side) of each hypothesis
    unlateral_key: tuple[tuple[str, str | None], ...]  # (site reported, None): nothing lateralises it
    mirror_pairs: tuple[tuple[int, int], ...]  # (left, right) hypotheses of one site, mirror images
    #: per site: the number of its first hypothesis, how many it has, and their log priors
    site_spans: tuple[tuple[int, int, tuple[float, ...]], ...]
    hyp_log_priors: tuple[float, ...]  # the log prior of each hypothesis


def _layout_of(index: LocalisationIndex, grouped: tuple[tuple[str, tuple[Hypothesis, ...]], ...]) -> _Layout:
    if tuple(code for code, _ in grouped) != tuple(index.sites):
        raise ValueError("side hypotheses are not in the order of the sites")
    hyps = tuple(h for _, site_hyps in grouped for h in site_hyps)
    at = {h.key: i for i, h in enumerate(hyps)}
    return _Layout(
        grouped=grouped,
        hyps=hyps,
        hyp_site=tuple(i for i, (_, site_hyps) in enumerate(grouped) for _ in site_hyps),
        result_key=tuple((index.sites[h.site].reports_as, h.side) for h in hyps),
        unlateral_key=tuple((index.sites[h.site].reports_as, None) for h in hyps),
        site_spans=tuple((at[site_hyps[0].key], len(site_hyps), tuple(h.log_prior for h in site_hyps))
                         for _, site_hyps in grouped),
        hyp_log_priors=tuple(h.log_prior for h in hyps),
        mirror_pairs=tuple((i, at[h.mirror]) for i, h in enumerate(hyps)
                           if h.side == "left" and h.mirror is not None and h.mirror in at),
    )


class _Ratio(NamedTuple):
    """A likelihood row made ready for scoring: the log of each ratio (None where it moves nothing),
    and each side's evidence, worked out once."""

    key: str  # the row's group, or its feature
    log_present: float | None
    log_absent: float | None
    present: _Side | None  # None where the ratio is not given
    absent: _Side | None


@dataclass(frozen=True)
class DifferentialIndex:
    rows_by_condition: Mapping[str, tuple[LikelihoodRow, ...]]
    ratios: Mapping[str, tuple[_Ratio, ...]]
    features: Mapping[str, tuple[str, ...]]  # the features of those rows, in order
    #: per condition: (site model, log of the condition's weight for its site); the model is the site, or
    #: the territory that scores the pair (reported as the site)
    site_weights: Mapping[str, tuple[tuple[str, float], ...]]
    labels: Mapping[str, str]  # condition code -> label
    #: per condition: feature -> (lr_present, lr_absent) of its first row, 1.0 where not given
    first_ratios: Mapping[str, Mapping[str, tuple[float, float]]]
    #: per condition: (feature, group or feature, lr_present) of the rows that can support it
    #: monotonically (lr_present over 1, feature not in NON_MONOTONE), in order
    supporting: Mapping[str, tuple[tuple[str, str, float], ...]]
    #: per setting and condition: (sources, evidence) of the prior
    prior_basis: Mapping[str, Mapping[str, tuple[tuple[str, ...], str]]]
    codes: tuple[str, ...] = ()  # the conditions, in knowledge-base order (numbered from 0)
    #: every feature of a likelihood row, with the candidates of its rows when it is present and when
    #: it is absent (the sides whose ratio moves something)
    by_feature: tuple[tuple[str, tuple[_Candidate, ...], tuple[_Candidate, ...]], ...] = ()
    #: every (condition number, site number, log of the condition's weight for the site model), by
    #: condition and in the order of its sites; sites numbered as ``LocalisationIndex.sites``
    pairs: tuple[tuple[int, int, float], ...] = ()
    #: the side hypotheses laid out, for each set of lateral sides the localisation index holds
    layouts: Mapping[frozenset[str], _Layout] = field(default_factory=dict)


@lru_cache(maxsize=8)
def _dindex(kb: Knowledge) -> DifferentialIndex:
    by: dict[str, list[LikelihoodRow]] = {c: [] for c in kb.conditions}
    for row in kb.likelihoods:
        by.setdefault(row.condition, []).append(row)

    def log(lr: float | None) -> float | None:
        return math.log(lr) if lr is not None and lr != 1.0 else None

    def side(row: LikelihoodRow, state: bool) -> _Side | None:
        lr = row.lr_present if state else row.lr_absent
        if lr is None:
            return None
        ev = _evidence(kb, (row, state, lr))
        fields = {"feature": row.feature, "label": ev.label, "state": ev.state, "lr": lr, "sources": tuple(row.source),
                  "evidence": row.evidence}
        return _Side(row, row.feature, state, ev.state, lr, ev.label, _describe(ev), tuple(row.source), row.evidence,
                     (-lr, row.feature), (lr, row.feature), fields)

    ratios = {
        code: tuple(
            _Ratio(row.group or row.feature, log(row.lr_present), log(row.lr_absent), side(row, True),
                   side(row, False))
            for row in rows
        )
        for code, rows in by.items()
    }
    codes = tuple(kb.conditions)
    number = {code: i for i, code in enumerate(codes)}
    position = {id(row): i for i, row in enumerate(kb.likelihoods)}
    candidates: dict[str, tuple[list[_Candidate], list[_Candidate]]] = {}
    for code, rows in by.items():
        for row, r in zip(rows, ratios[code], strict=True):
            present, absent = candidates.setdefault(row.feature, ([], []))
            slot = (number[code], r.key)
            if r.log_present is not None and r.present is not None:
                present.append((position[id(row)], slot, r.log_present, abs(r.log_present), r.present))
            if r.log_absent is not None and r.absent is not None:
                absent.append((position[id(row)], slot, r.log_absent, abs(r.log_absent), r.absent))
    index = index_for(kb)
    site_number = {code: i for i, code in enumerate(index.sites)}
    return DifferentialIndex(
        rows_by_condition={c: tuple(rows) for c, rows in by.items()},
        ratios=ratios,
        features={code: tuple(row.feature for row in rows) for code, rows in by.items()},
        site_weights={code: tuple((cs.territory or cs.site, math.log(cs.weight)) for cs in cond.sites)
                      for code, cond in kb.conditions.items()},
        labels={code: kb.label("conditions", code) for code in kb.conditions},
        first_ratios={code: _first_ratios(rows) for code, rows in by.items()},
        supporting={
            code: tuple((row.feature, row.group or row.feature, row.lr_present) for row in rows
                        if row.lr_present is not None and row.lr_present > 1.0 and row.feature not in NON_MONOTONE)
            for code, rows in by.items()
        },
        prior_basis={setting: {code: (tuple(p.source), p.evidence)
                               for code, cond in kb.conditions.items() for s, p in cond.priors.items() if s == setting}
                     for setting in ("self", "clinician")},
        codes=codes,
        by_feature=tuple((f, tuple(present), tuple(absent)) for f, (present, absent) in candidates.items()),
        pairs=tuple((number[code], site_number[cs.territory or cs.site], math.log(cs.weight))
                    for code, cond in kb.conditions.items() for cs in cond.sites
                    if (cs.territory or cs.site) in site_number),
        layouts={lateral: _layout_of(index, grouped) for lateral, grouped in index.grouped.items()},
    )


def _first_ratios(rows: list[LikelihoodRow]) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for row in rows:
        lr_present = row.lr_present if row.lr_present is not None else 1.0
        out.setdefault(row.feature, (lr_present, row.lr_absent if row.lr_absent is not None else 1.0))
    return out


@dataclass(frozen=True)
class ModelResult:
    conditions: list[ConditionResult]
    sites: list[SiteResult]
    condition_probs: Mapping[str, float]
    site_probs: Mapping[str, float]
    discriminators: list[Discriminator]


def prior(kb: Knowledge, code: str, facts: Facts) -> float:
    """The condition's prior for the case's setting, with age and sex odds modifiers applied."""
    case = facts.case
    return _priors(kb, case.reporter, case.sex, case.age)[code]


@lru_cache(maxsize=1024)
def _priors(kb: Knowledge, setting: str, sex: str | None, age: int | None) -> Mapping[str, float]:
    """Every condition's prior for a setting, sex and age (a few values: worked out once each)."""
    out: dict[str, float] = {}
    for code, cond in kb.conditions.items():
        p = cond.priors[setting].value  # type: ignore[index]
        odds = p / (1.0 - p)
        for mod in cond.modifiers:
            if mod.sex is not None and sex != mod.sex:
                continue
            if (mod.age_min is not None or mod.age_max is not None) and age is None:
                continue
            if mod.age_min is not None and age is not None and age < mod.age_min:
                continue
            if mod.age_max is not None and age is not None and age > mod.age_max:
                continue
            odds *= mod.factor
        out[code] = odds / (1.0 + odds)
    return MappingProxyType(out)


@lru_cache(maxsize=1024)
def _log_priors(kb: Knowledge, setting: str, sex: str | None, age: int | None) -> tuple[float, ...]:
    """The logs of :func:`_priors`, in knowledge-base order."""
    priors = _priors(kb, setting, sex, age)
    return tuple(math.log(priors[code]) for code in kb.conditions)


def _feature_label(kb: Knowledge, feature: str) -> str:
    if feature.startswith("test:"):
        return kb.label("tests", feature[5:])
    if ":" in feature:
        kind, value = feature.split(":", 1)
        section = {"onset": "onsets", "course": "courses", "reporter": "reporters", "sex": "sexes"}.get(kind)
        return f"{kind}: {kb.label(section, value)}" if section else feature
    for section in ("findings", "features"):
        if feature in kb.codes[section]:
            return kb.label(section, feature)
    return feature


Contribution = tuple[LikelihoodRow, bool, float]  # (row, feature state, likelihood ratio applied)


def likelihood(kb: Knowledge, code: str, facts: Facts) -> tuple[float, list[Contribution]]:
    """Sum of log likelihood ratios of the known features for one condition, and what contributed.

    Rows sharing a ``group`` are correlated: only the most informative of them counts.
    """
    dindex = _dindex(kb)
    total, chosen = _likelihood(dindex.ratios.get(code, ()), dindex.features.get(code, ()), facts)
    return total, [(side.row, side.present, side.lr) for side in chosen]


def _likelihood(
    ratios: tuple[_Ratio, ...], features: tuple[str, ...], facts: Facts
) -> tuple[float, list[_Side]]:
    """:func:`likelihood` over the prepared rows (and their features): the total and the sides of the
    rows that count."""
    chosen: dict[str, tuple[float, _Side]] = {}
    for r, state in zip(ratios, map(facts.states.get, features), strict=True):
        if state is None:
            continue
        if state:
            log, side = r.log_present, r.present
        else:
            log, side = r.log_absent, r.absent
        if log is None or side is None:
            continue
        best = chosen.get(r.key)
        if best is None or abs(log) > abs(best[0]):
            chosen[r.key] = (log, side)
    total = math.fsum(log for log, _ in chosen.values())
    return total, [side for _, side in chosen.values()]


def _likelihoods(dindex: DifferentialIndex, get: Callable[[str], Tri]) -> tuple[list[float], list[list[_Side]]]:
    """:func:`_likelihood` of every condition (in knowledge-base order), from the known features
    (their states read with ``get``): their rows' sides are taken in the order of the rows, so that
    each group keeps the same side (the first of the most informative) and the sides come in the
    same order."""
    found: list[_Candidate] = []
    for feature, present, absent in dindex.by_feature:
        state = get(feature)
        if state is not None:
            found += present if state else absent
    # by the rows' positions (each is unique); sorting on the int alone is much cheaper than on the tuples
    found.sort(key=_POSITION)
    chosen: dict[tuple[int, str], tuple[float, float, _Side]] = {}
    for _, slot, log, size, side in found:
        best = chosen.get(slot)
        if best is None or size > best[0]:
            chosen[slot] = (size, log, side)
    n = len(dindex.codes)
    logs: list[list[float]] = [[] for _ in range(n)]
    sides: list[list[_Side]] = [[] for _ in range(n)]
    for (number, _), (_, log, side) in chosen.items():
        logs[number].append(log)
        sides[number].append(side)
    return [math.fsum(values) for values in logs], sides


#: Derived features that can turn from true to false when a finding is added (so they cannot be
#: used where monotonicity is required).
NON_MONOTONE = frozenset({"unilateral_leg_symptoms", "gait_beyond_one_leg", "umn_signs_with_reflex_loss"})


def support_probability(kb: Knowledge, code: str, facts: Facts) -> tuple[float, list[str]]:
    """A cautious, monotone view of one condition: prior odds times the likelihood ratios of the
    features that are present and point towards it (the strongest of each group), ignoring any
    evidence against. Adding a finding can only raise it; an absent or unknown finding never moves it.
    Returns the probability and the features that contributed."""
    p = prior(kb, code, facts)
    odds = p / (1.0 - p)
    best: dict[str, tuple[float, str]] = {}
    get = facts.lookup
    for feature, key, lr_present in _dindex(kb).supporting.get(code, ()):
        if get(feature) is True and (key not in best or lr_present > best[key][0]):
            best[key] = (lr_present, feature)
    for lr, _ in best.values():
        odds *= lr
    return odds / (1.0 + odds), [feature for _, feature in sorted(best.values(), reverse=True)]


def _evidence(kb: Knowledge, contribution: Contribution) -> Evidence:
    row, state, lr = contribution
    return Evidence.model_construct(
        feature=row.feature, label=_feature_label(kb, row.feature), state="present" if state else "absent",
        lr=lr, sources=list(row.source), evidence=row.evidence,
    )


def _logsumexp(values: list[float]) -> float:
    if len(values) == 1:  # the general formula gives exactly this for a finite value
        return values[0] + 0.0
    top = max(values)
    if len(values) == 2:  # fsum of two numbers is their (correctly rounded) sum
        return top + math.log(math.exp(values[0] - top) + math.exp(values[1] - top))
    return top + math.log(math.fsum(map(math.exp, [v - top for v in values])))


def run_model(facts: Facts, kb: Knowledge) -> ModelResult:
    """Joint differential and localisation for one case (pure and deterministic)."""
    index = index_for(kb)
    dindex = _dindex(kb)
    obs = observations(facts.case, facts, kb, index)
    layout = dindex.layouts.get(obs.lateral) or _layout_of(index, grouped_hypotheses(index, obs.lateral))
    # Each site's own evidence: log of the sum over its side hypotheses of P(side) x fit.
    fits = fit_logs(layout.grouped, obs, index)  # the log fit of every hypothesis, as layout.hyps
    site_log: list[float] = []  # by site number
    log, exp = math.log, math.exp
    for start, n, log_priors in layout.site_spans:
        if n == 1:  # as _logsumexp of one value
            site_log.append(log_priors[0] + fits[start] + 0.0)
        elif n == 2:  # as _logsumexp of two values, written out (max gives the first of equals)
            a = log_priors[0] + fits[start]
            b = log_priors[1] + fits[start + 1]
            top = b if b > a else a
            site_log.append(top + log(exp(a - top) + exp(b - top)))
        elif n == 3:  # as _logsumexp of three values, written out
            a = log_priors[0] + fits[start]
            b = log_priors[1] + fits[start + 1]
            c = log_priors[2] + fits[start + 2]
            top = max(a, b, c)
            site_log.append(top + log(math.fsum((exp(a - top), exp(b - top), exp(c - top)))))
        else:
            logs = fits[start:start + n]
            site_log.append(_logsumexp([lp + f for lp, f in zip(log_priors, logs, strict=True)]))

    case = facts.case
    priors = _priors(kb, case.reporter, case.sex, case.age)
    lr_logs, sides = _likelihoods(dindex, facts.lookup)
    base = [log_prior + lr_log for log_prior, lr_log in zip(_log_priors(kb, case.reporter, case.sex, case.age),
                                                             lr_logs, strict=True)]
    pairs = dindex.pairs
    pair_logs = [base[c] + log_weight + site_log[s] for c, s, log_weight in pairs]
    z = _logsumexp(pair_logs)
    cond_mass = [0.0] * len(base)
    site_mass = [0.0] * len(site_log)
    for (c, s, _), v in zip(pairs, pair_logs, strict=True):
        prob = exp(v - z)
        cond_mass[c] += prob
        site_mass[s] += prob
    cond_p = dict(zip(dindex.codes, cond_mass, strict=True))
    # share each site's mass among its side hypotheses
    site_p = [site_mass[s] * exp(log_prior + f - site_log[s])
              for log_prior, f, s in zip(layout.hyp_log_priors, fits, layout.hyp_site, strict=True)]

    sites_out = _site_results(site_p, fits, layout, obs, index)
    evidence = dict(zip(dindex.codes, sides, strict=True))
    conditions = _condition_results(cond_p, evidence, priors, kb, facts.case.reporter)
    site_probs: dict[str, float] = {}
    for result in sites_out:
        site_probs[result.site] = site_probs.get(result.site, 0.0) + result.probability
    discriminators = _discriminators(conditions, sites_out, facts, index, kb)
    return ModelResult(conditions, sites_out, cond_p, site_probs, discriminators)


def _site_results(
    site_p: list[float], fits: list[float], layout: _Layout, obs: CaseObservations, index: LocalisationIndex,
) -> list[SiteResult]:
    # where nothing lateralises a site (both sides fit alike), the side is unknown
    keys = list(layout.result_key)
    unlateral_key = layout.unlateral_key
    for i, j in layout.mirror_pairs:
        if abs(fits[i] - fits[j]) < 1e-9:
            keys[i] = unlateral_key[i]
            keys[j] = unlateral_key[j]
    merged: dict[tuple[str, str | None], float] = {}
    # the hypothesis whose reasons are shown for each result: the largest contributor, the first
    # of equals (a territory reports as its site, so one result can gather the mass of several models)
    shown: dict[tuple[str, str | None], int] = {}
    for i, (key, prob) in enumerate(zip(keys, site_p, strict=True)):
        if key in merged:
            merged[key] += prob
            if prob > site_p[shown[key]]:
                shown[key] = i
        else:
            merged[key] = prob  # as 0.0 + prob
            shown[key] = i
    # most probable first, then by site and side: the tuples sort as they are (no two results have
    # the same site and side, so the side itself is never compared; -(-prob) is prob exactly)
    ranked = sorted([(-prob, site, side or "", side) for (site, side), prob in merged.items() if prob >= LIST_FROM])
    labels = index.labels
    out: list[SiteResult] = []
    for rank, (negative, site, _, side) in enumerate(ranked):
        prob = -negative
        explain = rank < EXPLAIN_TOP and prob >= EXPLAIN_FROM
        pro: list[str] = []
        con: list[str] = []
        if explain:
            hyp = layout.hyps[shown[(site, side)]]
            pro, con = site_reasons(index.sites[hyp.site], hyp, obs, index, TOP_SUPPORT)
        out.append(
            build_from(SiteResult, {"site": site, "side": side, "probability": prob, "label": labels[site],
                                    "supporting": pro, "against": con})
        )
    return out


def _describe(ev: Evidence) -> str:
    basis = ", ".join(ev.sources) if ev.sources else ev.evidence
    if ev.evidence == "expert_opinion":
        basis = f"expert_opinion{'; informed by ' + ', '.join(ev.sources) if ev.sources else ''}"
    return f"{ev.label} {ev.state} (LR {ev.lr:.2g}; {basis})"


def _condition_results(
    cond_p: Mapping[str, float], contributions: Mapping[str, list[_Side]],
    priors: Mapping[str, float], kb: Knowledge, setting: str,
) -> list[ConditionResult]:
    out: list[ConditionResult] = []
    dindex = _dindex(kb)
    labels = dindex.labels
    basis = dindex.prior_basis[setting]
    # the order of the results: most probable first, ties by code (a stable sort by code, then by
    # probability in reverse, which keeps the order of equals)
    ranked = sorted(cond_p.items(), key=_CODE)
    ranked.sort(key=_PROBABILITY, reverse=True)
    for rank, (code, prob) in enumerate(ranked):
        prior_sources, prior_evidence = basis[code]
        if rank < EXPLAIN_TOP and prob >= EXPLAIN_FROM:
            pro_sides: list[_Side] = []
            con_sides: list[_Side] = []
            for e in contributions[code]:
                if e.lr > 1:
                    pro_sides.append(e)
                elif e.lr < 1:
                    con_sides.append(e)
            pro_sides.sort(key=_FOR)
            con_sides.sort(key=_AGAINST)
            out.append(build_from(ConditionResult, {
                "condition": code, "probability": prob, "label": labels[code],
                "supporting": list(map(_TEXT, pro_sides[:TOP_SUPPORT])),
                "against": list(map(_TEXT, con_sides[:TOP_SUPPORT])),
                "evidence_for": list(map(_built_evidence, pro_sides)),
                "evidence_against": list(map(_built_evidence, con_sides)), "prior": priors[code],
                "prior_sources": list(prior_sources), "prior_evidence": prior_evidence,
            }))
        else:  # listed without reasons
            out.append(build_from(ConditionResult, {
                "condition": code, "probability": prob, "label": labels[code], "supporting": [], "against": [],
                "evidence_for": [], "evidence_against": [], "prior": priors[code],
                "prior_sources": list(prior_sources), "prior_evidence": prior_evidence,
            }))
    return out


_CODE = itemgetter(0)
_POSITION = itemgetter(0)
_PROBABILITY = itemgetter(1)
_FOR = attrgetter("strongest_for")
_TEXT = attrgetter("text")
_AGAINST = attrgetter("strongest_against")


def _built_evidence(side: _Side) -> Evidence:
    """The side's Evidence: a copy of its fields, with a list of the sources of its own."""
    fields = dict(side.fields)
    fields["sources"] = list(side.sources)
    return build_from(Evidence, fields)


#: A condition is a rival of the leading one, worth a separating question, from this share of its probability.
RIVAL_SHARE = 0.15
#: At most this many rivals are considered, in rank order.
MAX_RIVALS = 3
#: A question is offered only if one answer would change the odds between the pair at least this much.
MIN_SHIFT = 1.5


def _discriminators(
    conditions: list[ConditionResult], sites: list[SiteResult], facts: Facts, index: LocalisationIndex,
    kb: Knowledge,
) -> list[Discriminator]:
    """Questions or exam steps that best separate the leading condition from its close rivals (and,
    for an examined case, the two leading sites). A person reporting their own symptoms is offered
    only questions they can answer (no exam steps)."""
    out: list[Discriminator] = []
    reporter = facts.case.reporter
    if conditions:
        a = conditions[0].condition
        rivals = [c.condition for c in conditions[1:1 + MAX_RIVALS]
                  if c.probability >= RIVAL_SHARE * conditions[0].probability]
        separating = _separating(kb)[reporter]
        asks = _asks(kb)[reporter]
        get = facts.lookup
        best: dict[str, tuple[float, str]] = {}  # feature -> (log shift, the rival it separates best)
        for b in rivals:
            for feature, shift in separating[(a, b)]:
                if get(feature) is not None:
                    continue
                if feature not in best or shift > best[feature][0]:
                    best[feature] = (shift, b)
        ranked = [(feature, shift, b)
                  for feature, (shift, b) in sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))]
        # the best question against each rival first (so a less likely rival still gets one), then the rest
        chosen = [next(item for item in ranked if item[2] == b) for b in rivals if any(i[2] == b for i in ranked)]
        chosen += [item for item in ranked if item not in chosen]
        for feature, shift, b in sorted(chosen[:3], key=lambda item: (-item[1], item[0])):
            out.append(build_from(Discriminator, {
                "feature": feature, "label": _feature_label(kb, feature), "ask": asks[feature],
                "separates": [a, b], "expected_shift": round(math.exp(shift), 2),
            }))
    top_sites = [s for s in sites if s.probability > 0.0]
    if reporter == "clinician" and len(top_sites) >= 2 and top_sites[0].site != top_sites[1].site \
            and top_sites[1].probability >= 0.33 * top_sites[0].probability:
        s1, s2 = index.sites.get(top_sites[0].site), index.sites.get(top_sites[1].site)
        if s1 is not None and s2 is not None:
            out.extend(_site_discriminators(s1, s2, facts, index, kb))
    return out[:6]


def _site_discriminators(
    s1: SiteModel, s2: SiteModel, facts: Facts, index: LocalisationIndex, kb: Knowledge
) -> list[Discriminator]:
    """Exam steps that tell the two leading sites apart: the cited bedside distinctions first
    (localisation.yaml), then any unexamined muscle one site supplies and the other does not, or a
    reflex one site changes and the other does not."""
    case = facts.case
    done = {f"motor:{m.action}" for m in case.motor} | {f"reflex:{r.reflex}" for r in case.reflexes}
    done |= {f"test:{t.test}" for t in case.tests}
    pair = {s1.site, s2.site}
    out: list[Discriminator] = []
    for dist in kb.localisation.distinctions:
        if set(dist.sites) == pair and dist.exam not in done:
            kind, code = dist.exam.split(":", 1)
            section = {"motor": "motor_actions", "reflex": "reflexes", "test": "tests"}[kind]
            out.append(build_from(Discriminator, {
                "feature": dist.exam, "label": kb.label(section, code), "ask": dist.ask,
                "separates": sorted(pair), "expected_shift": round(index.weights["motor_primary"], 2),
            }))
            done.add(dist.exam)
    generic: list[tuple[int, Discriminator]] = []
    for action in kb.codes["motor_actions"]:
        r1, r2 = s1.motor.get(action), s2.motor.get(action)
        if f"motor:{action}" in done or (r1 is None) == (r2 is None):
            continue
        weak_in, spared_in = (s1.site, s2.site) if r1 else (s2.site, s1.site)
        name = kb.label("motor_actions", action)
        generic.append((0 if "primary" in (r1, r2) else 1, build_from(Discriminator, {
            "feature": f"motor:{action}", "label": name,
            "ask": f"Test {name.lower()} strength (may be weak in {weak_in}, spared in {spared_in}).",
            "separates": sorted(pair), "expected_shift": round(index.weights["motor_primary"], 2),
        })))
    for reflex in ("knee", "ankle", "medial_hamstring"):
        e1, e2 = s1.reflexes.get(reflex), s2.reflexes.get(reflex)
        if f"reflex:{reflex}" in done or e1 == e2 or "reduced" not in (e1, e2):
            continue
        name = kb.label("reflexes", reflex)
        generic.append((0, build_from(Discriminator, {
            "feature": f"reflex:{reflex}", "label": name,
            "ask": f"Check the {name.lower()} reflex ({s1.site}: {e1 or 'not affected'}; "
                   f"{s2.site}: {e2 or 'not affected'}).",
            "separates": sorted(pair), "expected_shift": round(index.weights["reflex_match"], 2),
        })))
    generic.sort(key=lambda item: (item[0], item[1].feature))
    return out + [d for _, d in generic]


@lru_cache(maxsize=8)
def _separating(kb: Knowledge) -> Mapping[str, Mapping[tuple[str, str], tuple[tuple[str, float], ...]]]:
    """Per reporter and (leading condition, rival), every pair of conditions: the features that can
    be asked about to separate the two, with the log of the largest shift in their odds one answer
    would give (built once per knowledge base).

    A feature is listed, in the order of the two conditions' likelihood rows (the leading one's
    first, each feature once), when the reader can be asked about it, when its 'yes' would point
    towards one of the two (the first row of each feature counts, 1.0 where a condition has none),
    and when the shift reaches ``MIN_SHIFT``: a smaller shift is never offered.
    """
    dindex = _dindex(kb)
    min_log = math.log(MIN_SHIFT)
    log = math.log
    # per condition: feature -> (lr_present, its log, log of lr_absent) of its first row
    logs = {code: {f: (yes, log(yes), log(no)) for f, (yes, no) in dindex.first_ratios.get(code, {}).items()}
            for code in dindex.codes}
    neutral = (1.0, 0.0, 0.0)  # no row for the feature: ratios of 1.0, whose log is 0.0
    out: dict[str, dict[tuple[str, str], tuple[tuple[str, float], ...]]] = {}
    for reporter, asks in _asks(kb).items():
        # per condition: its askable features, each once, in the order of its rows
        askable = {code: tuple(f for f in dict.fromkeys(dindex.features.get(code, ())) if f in asks)
                   for code in dindex.codes}
        pairs: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {}
        for a in dindex.codes:
            logs_a = logs[a]
            for b in dindex.codes:
                logs_b = logs[b]
                found: list[tuple[str, float]] = []
                for feature in dict.fromkeys((*askable[a], *askable[b])):
                    a_yes, a_log_yes, a_log_no = logs_a.get(feature, neutral)
                    b_yes, b_log_yes, b_log_no = logs_b.get(feature, neutral)
                    if max(a_yes, b_yes) <= 1.0:
                        continue
                    shift = max(abs(a_log_yes - b_log_yes), abs(a_log_no - b_log_no))
                    if shift >= min_log:
                        found.append((feature, shift))
                pairs[(a, b)] = tuple(found)
        out[reporter] = pairs
    return out


@lru_cache(maxsize=8)
def _asks(kb: Knowledge) -> Mapping[str, Mapping[str, str]]:
    """Per reporter, the question or prompt of every likelihood feature that has one (built once)."""
    features = {row.feature for row in kb.likelihoods}
    out: dict[str, dict[str, str]] = {}
    for reporter in ("self", "clinician"):
        texts = {f: _ask(kb, f, reporter) for f in sorted(features)}
        out[reporter] = {f: text for f, text in texts.items() if text}
    return out


def _ask(kb: Knowledge, feature: str, reporter: str) -> str | None:
    """The question (for the person) or prompt (for the clinician) that would settle a feature; None
    when there is none for this reader (exam steps have no question for the person). The same texts
    as the open red-flag questions (``triage.question``)."""
    q = question(kb, feature, reporter)
    return None if q is None else (q[0] if reporter == "self" else q[1])
