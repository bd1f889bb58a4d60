"""Load the knowledge base from the package's data files, validate it, and index it.

``load_knowledge()`` reads every file once per process (it is cached) and returns a frozen
:class:`Knowledge`. Schema errors raise :class:`~radicula.errors.KnowledgeError` naming the file
and the row. The cross-checks between files live in ``check.py``; ``load_knowledge(check=True)``
(the default) runs them too, so an inconsistent knowledge base never reaches the engine.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from radicula.errors import KnowledgeError
from radicula.knowledge.schema import (
    AnatomyFile,
    BibEntry,
    BibliographyFile,
    Condition,
    ConditionsFile,
    Education,
    EducationFile,
    Escalation,
    LikelihoodRow,
    LikelihoodsFile,
    LocalisationFile,
    PlanFile,
    PlanRule,
    SafetyNetItem,
    SiteAnatomy,
    Term,
    TriageFile,
    TriageRule,
    Vocabulary,
)
from radicula.yamlio import safe_load

M = TypeVar("M", bound=BaseModel)

DATA_FILES = (
    "vocabulary.yaml",
    "anatomy.yaml",
    "localisation.yaml",
    "conditions.yaml",
    "likelihoods.yaml",
    "triage.yaml",
    "plan.yaml",
    "education.yaml",
)


def _data_dir() -> Traversable:
    return resources.files("radicula.knowledge").joinpath("data")


def _read_yaml(node: Traversable, problems: list[str]) -> Any:
    try:
        return safe_load(node.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{node.name}: file is missing")
    except yaml.YAMLError as exc:
        problems.append(f"{node.name}: not valid YAML: {exc}")
    return None


def _parse(model: type[M], name: str, raw: Any, problems: list[str]) -> M | None:
    if raw is None:
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            where = _describe_loc(raw, err["loc"])
            problems.append(f"{name}: {where}: {err['msg']}")
    return None


def _describe_loc(raw: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic location into 'rules[3] (name=...).when' so a reader finds the row."""
    parts: list[str] = []
    node: Any = raw
    for key in loc:
        label = f"[{key}]" if isinstance(key, int) else (f".{key}" if parts else str(key))
        if isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
            ident = None
            if isinstance(node, Mapping):
                ident = next((node[k] for k in ("name", "code", "site", "id", "condition") if k in node), None)
            if ident is not None:
                label += f" ({ident})"
        elif isinstance(node, Mapping) and key in node:
            node = node[key]
        else:
            node = None
        parts.append(label)
    return "".join(parts) or "(top level)"


@dataclass(frozen=True, eq=False)
class Knowledge:
    """The loaded, validated knowledge base, indexed for the engine. Never mutated after load."""

    version: str
    content_hash: str
    vocabulary: Vocabulary
    bibliography: Mapping[str, BibEntry]
    anatomy: Mapping[str, SiteAnatomy]
    territories: Mapping[str, SiteAnatomy]
    localisation: LocalisationFile
    conditions: Mapping[str, Condition]
    likelihoods: tuple[LikelihoodRow, ...]
    triage_rules: tuple[TriageRule, ...]
    safety_net: tuple[SafetyNetItem, ...]
    escalation: tuple[Escalation, ...]
    plan_rules: tuple[PlanRule, ...]
    education: Mapping[str, Education]
    codes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    terms: Mapping[tuple[str, str], Term] = field(default_factory=dict)

    def label(self, kind: str, code: str, audience: str = "clinician") -> str:
        """The clinician or public label of a code of a vocabulary section (the code if unknown)."""
        term = self.terms.get((kind, code))
        if term is None:
            return code
        return term.public if audience == "public" else term.clinician

    def term(self, kind: str, code: str) -> Term | None:
        """The vocabulary entry of a code (None if the section has no such code)."""
        return self.terms.get((kind, code))


SECTIONS = (
    "regions", "findings", "motor_actions", "reflexes", "tests", "sites", "conditions", "dispositions",
    "features", "sides", "sexes", "reporters", "onsets", "courses", "sensory_qualities", "reflex_grades",
    "test_results",
)


def vocabulary_terms(vocab: Vocabulary) -> dict[tuple[str, str], Term]:
    return {(name, term.code): term for name in SECTIONS for term in getattr(vocab, name)}


def vocabulary_codes(vocab: Vocabulary) -> dict[str, frozenset[str]]:
    return {name: frozenset(term.code for term in getattr(vocab, name)) for name in SECTIONS}


@cache
def load_vocabulary() -> Vocabulary:
    """The vocabulary alone (used to validate cases without loading the whole knowledge base)."""
    problems: list[str] = []
    raw = _read_yaml(_data_dir().joinpath("vocabulary.yaml"), problems)
    vocab = _parse(Vocabulary, "vocabulary.yaml", raw, problems)
    if problems or vocab is None:
        raise KnowledgeError(problems or ["vocabulary.yaml: empty"])
    return vocab


def read_knowledge() -> tuple[Knowledge | None, list[str]]:
    """Read and schema-validate every data file. Returns the knowledge (if it parsed) and problems."""
    problems: list[str] = []
    data = _data_dir()
    hasher = hashlib.sha256()
    raws: dict[str, Any] = {}
    for name in DATA_FILES:
        node = data.joinpath(name)
        raws[name] = _read_yaml(node, problems)
        with contextlib.suppress(FileNotFoundError):
            hasher.update(name.encode() + node.read_bytes())
    bib_entries: dict[str, BibEntry] = {}
    bib_dir = data.joinpath("bibliography")
    for node in sorted(bib_dir.iterdir(), key=lambda n: n.name):
        if not node.name.endswith(".yaml"):
            continue
        hasher.update(node.name.encode() + node.read_bytes())
        parsed = _parse(BibliographyFile, f"bibliography/{node.name}", _read_yaml(node, problems), problems)
        for entry in parsed.entries if parsed else []:
            if entry.id in bib_entries:
                problems.append(f"bibliography/{node.name}: id '{entry.id}' is defined twice")
            bib_entries[entry.id] = entry

    vocab = _parse(Vocabulary, "vocabulary.yaml", raws["vocabulary.yaml"], problems)
    anatomy = _parse(AnatomyFile, "anatomy.yaml", raws["anatomy.yaml"], problems)
    local = _parse(LocalisationFile, "localisation.yaml", raws["localisation.yaml"], problems)
    conds = _parse(ConditionsFile, "conditions.yaml", raws["conditions.yaml"], problems)
    lrs = _parse(LikelihoodsFile, "likelihoods.yaml", raws["likelihoods.yaml"], problems)
    triage = _parse(TriageFile, "triage.yaml", raws["triage.yaml"], problems)
    plan = _parse(PlanFile, "plan.yaml", raws["plan.yaml"], problems)
    edu = _parse(EducationFile, "education.yaml", raws["education.yaml"], problems)
    if not (vocab and anatomy and local and conds and lrs and triage and plan and edu):
        return None, problems

    def index(items: list[Any], key: str, what: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in items:
            k = getattr(item, key)
            if k in out:
                problems.append(f"{what}: '{k}' is defined twice")
            out[k] = item
        return out

    for rules, what in ((triage.rules, "triage.yaml rule"), (plan.rules, "plan.yaml rule")):
        index(list(rules), "name", what)
    kb = Knowledge(
        version=vocab.version,
        content_hash=hasher.hexdigest()[:16],
        vocabulary=vocab,
        bibliography=bib_entries,
        anatomy=index(anatomy.sites, "site", "anatomy.yaml site"),
        territories=index(anatomy.territories, "site", "anatomy.yaml territory"),
        localisation=local,
        conditions=index(conds.conditions, "code", "conditions.yaml condition"),
        likelihoods=tuple(lrs.likelihoods),
        triage_rules=tuple(triage.rules),
        safety_net=tuple(triage.safety_net),
        escalation=tuple(triage.escalation),
        plan_rules=tuple(plan.rules),
        education=index(edu.education, "condition", "education.yaml condition"),
        codes=vocabulary_codes(vocab),
        terms=vocabulary_terms(vocab),
    )
    return kb, problems


@cache
def load_knowledge() -> Knowledge:
    """Load, validate and cross-check the knowledge base once per process."""
    from radicula.knowledge.check import check_knowledge

    kb, problems = read_knowledge()
    if kb is not None:
        problems = problems + check_knowledge(kb).problems
    if problems or kb is None:
        raise KnowledgeError(problems)
    return kb
