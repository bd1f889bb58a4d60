"""The result of assessing a case (spec section 2), as returned by ``radicula.assess``.

These models are what leaves the engine. ``Assessment.to_spec_json()`` gives the stable JSON of the
case-format specification (section 2) plus additive fields (open questions, evidence details,
knowledge version).
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Disposition = Literal["EMERGENCY_NOW", "URGENT_SAME_DAY", "SOON", "ROUTINE", "SELF_CARE"]
DISPOSITION_ORDER: tuple[Disposition, ...] = ("EMERGENCY_NOW", "URGENT_SAME_DAY", "SOON", "ROUTINE", "SELF_CARE")


_RANKS: dict[str, int] = {d: i for i, d in enumerate(DISPOSITION_ORDER)}


def urgency_rank(disposition: str) -> int:
    """0 for EMERGENCY_NOW ... 4 for SELF_CARE (lower is more urgent)."""
    rank = _RANKS.get(disposition)
    if rank is None:  # not a disposition: the ValueError of tuple.index
        return DISPOSITION_ORDER.index(disposition)  # type: ignore[arg-type,unused-ignore]
    return rank


def most_urgent(dispositions: list[Disposition]) -> Disposition:
    return min(dispositions, key=urgency_rank) if dispositions else "SELF_CARE"


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


M = TypeVar("M", bound=_Out)
_new = object.__new__
# the slots of every pydantic model (its __dict__ included), set through their descriptors directly:
# cheaper than object.__setattr__, which looks the name up first
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
#: per model class, the set of its fields (a copy of it is each result's set of fields given)
_FIELD_SETS: dict[type[BaseModel], set[str]] = {}


def build_from(cls: type[M], fields: dict[str, Any]) -> M:
    """A result model from trusted engine values, like ``cls.model_construct(**fields)`` but cheaper.

    Every field must be given, in the order the model declares them (the test-suite checks that the
    engine's results match ``model_construct`` exactly). No validation is done: the engine builds
    these values itself from the validated case and knowledge base. The dict becomes the model's
    ``__dict__`` as it is (it must not be used after); a dict display is cheaper to make than keyword
    arguments are to gather."""
    m = _new(cls)
    _set_dict(m, fields)
    names = _FIELD_SETS.get(cls)
    if names is None:
        names = _FIELD_SETS[cls] = set(cls.model_fields)
    # copying a set of the right size is cheaper than building one; fewer fields: the set of those
    _set_fields_set(m, names.copy() if len(names) == len(fields) else set(fields))
    _set_extra(m, None)
    _set_private(m, None)
    return m


def replaced(m: M, **changes: Any) -> M:
    """A copy of a result model with some fields changed, like ``m.model_copy(update=changes)`` but
    cheaper, for a model that has every field set (as :func:`build_from` makes them). The copy is
    shallow: the fields not changed are the very same values."""
    return build_from(type(m), {**m.__dict__, **changes})


class Evidence(_Out):
    """One finding's contribution: which way it points, how strongly, and on what basis."""

    feature: str
    label: str
    state: Literal["present", "absent"]
    lr: float
    sources: list[str] = Field(default_factory=list)
    evidence: str = "published"


class FiredRule(_Out):
    name: str
    ref: str | None = None
    title: str
    disposition: Disposition
    reason_public: str
    reason_clinical: str
    time_target: str | None = None
    sources: list[str]
    evidence: str


class OpenQuestion(_Out):
    """A red-flag question the case leaves unanswered, and the rules an answer of 'yes' would fire."""

    feature: str
    question_public: str
    question_clinician: str
    would_trigger: list[str]
    disposition_if_yes: Disposition


class Triage(_Out):
    disposition: Disposition
    reasons: list[str]
    reasons_clinical: list[str] = Field(default_factory=list)
    sources: list[str]
    fired: list[FiredRule] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    rule_disposition: Disposition | None = None
    escalated_by: list[str] = Field(default_factory=list)


class SiteResult(_Out):
    site: str
    side: str | None
    probability: float
    label: str = ""
    supporting: list[str] = Field(default_factory=list)
    against: list[str] = Field(default_factory=list)


class ConditionResult(_Out):
    condition: str
    probability: float
    label: str = ""
    supporting: list[str] = Field(default_factory=list)
    against: list[str] = Field(default_factory=list)
    evidence_for: list[Evidence] = Field(default_factory=list)
    evidence_against: list[Evidence] = Field(default_factory=list)
    prior: float = 0.0
    prior_sources: list[str] = Field(default_factory=list)
    prior_evidence: str = "expert_opinion"


class Discriminator(_Out):
    """A question or exam step that would best separate the leading candidates."""

    feature: str
    label: str
    ask: str
    separates: list[str]
    expected_shift: float


class Recommendation(_Out):
    name: str
    kind: Literal["investigation", "plan"]
    action: str
    action_public: str
    recommendation: Literal["do", "consider", "do_not"]
    when: str | None = None
    why: str = ""
    strength: str = ""
    sources: list[str]
    evidence: str = "published"


class ExplanationSection(_Out):
    heading: str
    text: str
    sources: list[str]
    evidence: str = "published"


class Explanation(_Out):
    """Plain-language explanation of a likely condition, for the person (education.yaml)."""

    condition: str
    title: str
    sections: list[ExplanationSection]


class Assessment(_Out):
    format: Literal[1] = 1
    case_id: str | None
    reporter: Literal["self", "clinician"]
    triage: Triage
    localization: list[SiteResult] = Field(default_factory=list)
    differential: list[ConditionResult] = Field(default_factory=list)
    discriminators: list[Discriminator] = Field(default_factory=list)
    investigations: list[Recommendation] = Field(default_factory=list)
    plan: list[Recommendation] = Field(default_factory=list)
    safety_net: list[str] = Field(default_factory=list)
    safety_net_clinical: list[str] = Field(default_factory=list)
    explanations: list[Explanation] = Field(default_factory=list)
    knowledge_version: str = ""
    knowledge_hash: str = ""

    def to_spec_json(self) -> dict[str, Any]:
        """The JSON of spec section 2 (stable fields first), with additive detail."""
        return {
            "format": 1,
            "case_id": self.case_id,
            "triage": {
                "disposition": self.triage.disposition,
                "reasons": self.triage.reasons,
                "sources": self.triage.sources,
                "reasons_clinical": self.triage.reasons_clinical,
                "fired_rules": [r.name for r in self.triage.fired],
                "escalated_by": self.triage.escalated_by,
                "open_questions": [q.model_dump() for q in self.triage.open_questions],
            },
            "localization": [
                {"site": s.site, "side": s.side, "probability": round(s.probability, 4),
                 "supporting": s.supporting, "against": s.against}
                for s in self.localization
            ],
            "differential": [
                {"condition": c.condition, "probability": round(c.probability, 4), "supporting": c.supporting,
                 "against": c.against,
                 "evidence": [e.model_dump() for e in (*c.evidence_for, *c.evidence_against)],
                 "prior": round(c.prior, 5), "prior_sources": c.prior_sources, "prior_evidence": c.prior_evidence}
                for c in self.differential
            ],
            "discriminators": [d.model_dump() for d in self.discriminators],
            "investigations": [_rec_json(r) for r in self.investigations],
            "plan": [_rec_json(r) for r in self.plan],
            "safety_net": self.safety_net,
            "safety_net_clinical": self.safety_net_clinical,
            "explanations": [e.model_dump() for e in self.explanations],
            "knowledge": {"version": self.knowledge_version, "hash": self.knowledge_hash},
        }


def _rec_json(r: Recommendation) -> dict[str, Any]:
    return {
        "action": r.action,
        "action_public": r.action_public,
        "recommendation": r.recommendation,
        "when": r.when,
        "why": r.why,
        "strength": r.strength,
        "sources": r.sources,
        "evidence": r.evidence,
        "rule": r.name,
    }
