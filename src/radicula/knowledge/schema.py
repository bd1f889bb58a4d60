"""Schemas of the knowledge-base data files.

Every clinical table lives in a YAML file under ``knowledge/data``. Each file is parsed into the
models below when the knowledge base is loaded; an unknown key, a wrong type or a number out of
range fails at load time with the file and the row named, never later at assessment time.

Every row that states a clinical fact or number is :class:`Cited`: it names one or more
bibliography ids in ``source``, or says ``evidence: expert_opinion`` when no published source
gives the number. Cross-file checks (codes exist, sources resolve, coverage) are in
``knowledge/check.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Disposition = Literal["EMERGENCY_NOW", "URGENT_SAME_DAY", "SOON", "ROUTINE", "SELF_CARE"]
DISPOSITIONS: tuple[Disposition, ...] = ("EMERGENCY_NOW", "URGENT_SAME_DAY", "SOON", "ROUTINE", "SELF_CARE")
Setting = Literal["self", "clinician"]
Evidence = Literal["published", "secondary", "derived", "expert_opinion"]
Recommendation = Literal["do", "consider", "do_not"]


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


SourceList = Annotated[list[str], BeforeValidator(_as_list)]


# --------------------------------------------------------------------------- rule patterns

# A pattern is a feature code (a string), or one of {all: [...]}, {any: [...]}, {not: pattern}.
Pattern = str | dict[str, Any]


def pattern_atoms(pattern: Pattern) -> list[str]:
    """Every feature code a pattern mentions, in order of appearance."""
    if isinstance(pattern, str):
        return [pattern]
    atoms: list[str] = []
    for key, value in pattern.items():
        if key in ("all", "any"):
            for sub in value:
                atoms.extend(pattern_atoms(sub))
        elif key == "not":
            atoms.extend(pattern_atoms(value))
    return atoms


def _check_pattern(value: Any) -> Any:
    if isinstance(value, str):
        if not value:
            raise ValueError("an empty feature code is not a pattern")
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("a pattern is a feature code or a mapping with exactly one of: all, any, not")
    (key, sub), = value.items()
    if key in ("all", "any"):
        if not isinstance(sub, list) or not sub:
            raise ValueError(f"'{key}' needs a non-empty list of patterns")
        for item in sub:
            _check_pattern(item)
    elif key == "not":
        _check_pattern(sub)
    else:
        raise ValueError(f"unknown pattern operator '{key}'; allowed: all, any, not")
    return value


CheckedPattern = Annotated[Pattern, BeforeValidator(_check_pattern)]


class Strict(BaseModel):
    """Base for every data model: unknown keys are an error, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(Strict):
    """A row that carries its evidence.

    ``evidence`` says how the row's content relates to its sources:
    ``published`` (taken from a primary or guideline source), ``secondary`` (seen only in a
    secondary summary), ``derived`` (computed here from cited numbers; the note shows how) or
    ``expert_opinion`` (no published figure; ``source`` may still list what informed it).
    ``unverified`` marks a fact that the reference pack could not confirm.
    """

    source: SourceList = Field(default_factory=list)
    evidence: Evidence = "published"
    unverified: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _needs_basis(self) -> Cited:
        if self.evidence != "expert_opinion" and not self.source:
            raise ValueError("a row needs a 'source' (bibliography ids) or 'evidence: expert_opinion'")
        return self


# --------------------------------------------------------------------------- bibliography


class BibEntry(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")
    citation: str
    urls: list[str] = Field(default_factory=list)
    kind: Literal["guideline", "paper", "review", "textbook", "secondary", "web"] | None = None
    from_pack: str | None = None


class BibliographyFile(Strict):
    entries: list[BibEntry]


# --------------------------------------------------------------------------- vocabulary


class Term(Strict):
    """A code with its clinician label and plain-language label.

    ``ask_public`` / ``ask_clinician`` are the question put to a person (or the prompt shown to a
    clinician) when the engine needs to know whether this is so (an open red-flag question).
    """

    code: str
    clinician: str = Field(min_length=1)
    public: str = Field(min_length=1)
    ask_public: str | None = None
    ask_clinician: str | None = None


class RegionTerm(Term):
    group: Literal["leg", "trunk_midline", "elsewhere", "unspecified"]
    description: str = Field(min_length=1)
    side_kind: Literal["sided", "midline"] = "sided"


class FindingTerm(Term):
    group: Literal["pain_mechanics", "cauda_equina", "motor_gait", "brain", "serious", "background"]
    red_flag: bool = False
    #: how the engine sets the finding from other parts of a case as well (see ``engine/features.py``)
    also_set_by: str | None = None


class TestTerm(Term):
    positive_means: str
    value: Literal["number", "text"] | None = None
    unit: str | None = None


class FeatureTerm(Term):
    """A feature the engine derives from a case (see ``engine/features.py``)."""

    definition: str


class DispositionTerm(Term):
    rank: int = Field(ge=0, le=4)
    advice_public: str
    advice_clinician: str


class Vocabulary(Strict):
    version: str
    regions: list[RegionTerm]
    findings: list[FindingTerm]
    motor_actions: list[Term]
    reflexes: list[Term]
    tests: list[TestTerm]
    sites: list[Term]
    conditions: list[Term]
    dispositions: list[DispositionTerm]
    features: list[FeatureTerm]
    sides: list[Term]
    sexes: list[Term]
    reporters: list[Term]
    onsets: list[Term]
    courses: list[Term]
    sensory_qualities: list[Term]
    reflex_grades: list[Term]
    test_results: list[Term]


# --------------------------------------------------------------------------- anatomy

SiteKind = Literal[
    "root", "cauda_equina", "conus", "cord", "brain", "nerve", "plexus", "polyneuropathy", "non_neural"
]


class SensoryRow(Cited):
    region: str
    weight: Literal["core", "edge"]


class PainRow(Cited):
    region: str


class MotorRow(Cited):
    """A muscle a site supplies. ``spared_by_distal_lesion``: the usual, distal lesion of this nerve
    leaves the muscle alone (it is supplied above the common entrapment point), so its weakness
    supports the site but its normal strength does not count against it."""

    action: str
    role: Literal["primary", "contributing"]
    muscle: str
    spared_by_distal_lesion: bool = False


class ReflexRow(Cited):
    """The reflex change a site predicts; ``variable`` means either normal or reduced is compatible."""

    reflex: str
    expected: Literal["reduced", "normal", "brisk", "variable"]


class CauseRow(Cited):
    text: str
    findings: list[str] = Field(default_factory=list)


class SiteAnatomy(Strict):
    """A site's territory. Under ``territories`` (anatomy.yaml) the same schema describes the pattern a
    condition produces without a nerve lesion; ``reports_as`` names the site it is reported as."""

    site: str
    reports_as: str | None = None
    kind: SiteKind
    laterality: Literal["unilateral", "bilateral", "contralateral", "none"]
    rankable: bool = True
    summary: str
    sensory: list[SensoryRow] = Field(default_factory=list)
    pain: list[PainRow] = Field(default_factory=list)
    motor: list[MotorRow] = Field(default_factory=list)
    reflexes: list[ReflexRow] = Field(default_factory=list)
    causes: list[CauseRow] = Field(default_factory=list)


class AnatomyFile(Strict):
    sites: list[SiteAnatomy]
    territories: list[SiteAnatomy] = Field(default_factory=list)


# --------------------------------------------------------------------------- localisation weights


class Weight(Cited):
    value: float = Field(gt=0, le=1000)


class RatioPair(Cited):
    """A feature's likelihood ratios: ``lr_present`` when it is true, ``lr_absent`` when false."""

    feature: str
    lr_present: float | None = Field(default=None, gt=0, le=1000)
    lr_absent: float | None = Field(default=None, gt=0, le=1000)

    @model_validator(mode="after")
    def _one_lr(self) -> RatioPair:
        if self.lr_present is None and self.lr_absent is None:
            raise ValueError("give lr_present, lr_absent or both")
        return self


class SiteSign(RatioPair):
    """How much a feature supports a site (a likelihood ratio for the site's hypothesis)."""

    site: str


class Distinction(Cited):
    """A bedside step that tells two sites apart (anatomy.md 3.4), offered when they are close.

    ``exam`` is ``motor:<action>``, ``reflex:<reflex>`` or ``test:<test>``; it is offered only when
    the case does not already record it.
    """

    sites: list[str] = Field(min_length=2, max_length=2)
    exam: str = Field(pattern=r"^(motor|reflex|test):[a-z_]+$")
    ask: str


class LocalisationFile(Strict):
    weights: dict[str, Weight]
    site_signs: list[SiteSign]
    distinctions: list[Distinction] = Field(default_factory=list)


# --------------------------------------------------------------------------- conditions


class Prior(Cited):
    value: float = Field(gt=0, lt=1)


class Modifier(Cited):
    """An odds multiplier on a condition's prior for an age band or sex."""

    age_min: int | None = Field(default=None, ge=0, le=130)
    age_max: int | None = Field(default=None, ge=0, le=130)
    sex: Literal["female", "male"] | None = None
    factor: float = Field(gt=0, le=100)

    @model_validator(mode="after")
    def _has_condition(self) -> Modifier:
        if self.age_min is None and self.age_max is None and self.sex is None:
            raise ValueError("a modifier needs age_min, age_max or sex")
        return self


class ConditionSite(Cited):
    """Where a condition can be, with P(site | condition). ``territory`` (an anatomy.yaml territory that
    reports as this site) scores the findings for this pair instead of the site's own territory: limb
    ischaemia is a non-neural site, yet it numbs and weakens the lower leg and foot."""

    site: str
    weight: float = Field(gt=0, le=1)
    territory: str | None = None


class Condition(Strict):
    """A condition: its urgency class, priors by setting, age/sex modifiers and where it can be.

    ``escalate_when`` (a pattern over features) says when the condition's urgency class applies to
    differential-driven escalation: stroke is an emergency when new, metastatic disease when it
    causes neurological deficit, and so on. Without it the class always applies.
    """

    code: str
    urgency: Disposition
    urgency_basis: Cited
    escalate_when: CheckedPattern | None = None
    priors: dict[Setting, Prior]
    modifiers: list[Modifier] = Field(default_factory=list)
    sites: list[ConditionSite]

    @model_validator(mode="after")
    def _complete(self) -> Condition:
        if set(self.priors) != {"self", "clinician"}:
            raise ValueError("priors need both settings: self and clinician")
        total = sum(s.weight for s in self.sites)
        if abs(total - 1.0) > 0.011:
            raise ValueError(f"site weights must sum to 1 (they sum to {total:.3f})")
        return self


class ConditionsFile(Strict):
    conditions: list[Condition]


# --------------------------------------------------------------------------- likelihood ratios


class LikelihoodRow(RatioPair):
    """A feature x condition likelihood ratio; rows of one condition sharing a ``group`` are correlated."""

    condition: str
    group: str | None = None


class LikelihoodsFile(Strict):
    likelihoods: list[LikelihoodRow]


# --------------------------------------------------------------------------- triage rules


class TriageRule(Cited):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    ref: str | None = None
    title: str
    disposition: Disposition
    when: CheckedPattern
    reason_public: str
    reason_clinical: str
    time_target: str | None = None
    asks: bool = True


class SafetyNetItem(Cited):
    """Advice shown with a result: when to seek help, where, and how fast.

    ``dispositions`` lists the dispositions the item is shown with; ``when`` (optional) is a pattern
    over features, likely conditions (``dx:<condition>``) and likely sites (``site:<site>``).
    """

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    dispositions: list[Disposition]
    when: CheckedPattern | None = None
    text_public: str
    text_clinical: str


class Escalation(Cited):
    """Differential-driven escalation: if a condition whose urgency class is ``urgency`` reaches
    ``threshold`` on its supporting evidence (prior x the likelihood ratios of present findings that
    point towards it), the disposition is raised to at least ``urgency`` (engine/triage.py)."""

    urgency: Disposition
    threshold: float = Field(gt=0, lt=1)
    reason_public: str
    reason_clinical: str


class TriageFile(Strict):
    rules: list[TriageRule]
    safety_net: list[SafetyNetItem] = Field(default_factory=list)
    escalation: list[Escalation] = Field(default_factory=list)


# --------------------------------------------------------------------------- plan and investigations


class PlanRule(Cited):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    ref: str | None = None
    kind: Literal["investigation", "plan"]
    recommendation: Recommendation
    action: str
    action_public: str
    when: CheckedPattern
    timing: str | None = None
    why: str
    strength: str
    audience: Literal["all", "self", "clinician"] = "all"


class PlanFile(Strict):
    rules: list[PlanRule]


# --------------------------------------------------------------------------- education


class EducationSection(Cited):
    text: str


class Education(Strict):
    condition: str
    title: str
    what_is_happening: EducationSection
    how_long: EducationSection
    what_helps: EducationSection
    what_does_not_help: EducationSection
    prevention: EducationSection
    warning_signs: EducationSection


class EducationFile(Strict):
    education: list[Education]
