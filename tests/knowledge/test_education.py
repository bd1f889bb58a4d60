"""Public education leaflets (knowledge/data/education.yaml): coverage, reading level, no selling.

The entries are read through the package (``read_knowledge``), not ``load_knowledge``, so these tests
do not depend on the other data files passing their cross-checks.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pytest
import textstat
import yaml

from radicula.knowledge.loader import load_vocabulary, read_knowledge
from radicula.knowledge.schema import Education, EducationFile

SECTIONS = ("what_is_happening", "how_long", "what_helps", "what_does_not_help", "prevention", "warning_signs")
MAX_GRADE = 8.0

#: Wording that sells or endorses a product. The leaflets may say that Radicula does *not* recommend
#: any product; they must never tell a reader what to buy or take.
SELLING = re.compile(
    r"\bbuy(?:s|ing)?\b|\bpurchas\w*|\bbrand(?:s|ed)?\b|\bwe recommend\b|\bradicula recommends\b"
    r"|\brecommends? taking\b|\bdiscount\w*|\border (?:now|online)\b|[®™]",
    re.IGNORECASE,
)


@cache
def education() -> dict[str, Education]:
    """The education entries by condition code, read through the package."""
    kb, problems = read_knowledge()
    if kb is not None:
        return dict(kb.education)
    # Another data file failed to parse, so the whole knowledge base is unavailable; read this file alone
    # with the same schema so that its own tests still run.
    mine = [p for p in problems if p.startswith("education.yaml")]
    assert not mine, mine
    node = resources.files("radicula.knowledge").joinpath("data", "education.yaml")
    raw = yaml.safe_load(node.read_text(encoding="utf-8"))
    return {entry.condition: entry for entry in EducationFile.model_validate(raw).education}


def _cases() -> list[tuple[str, str]]:
    return [(code, section) for code in sorted(education()) for section in SECTIONS]


def _text(code: str, section: str) -> str:
    text: str = getattr(education()[code], section).text
    return text


def test_every_condition_has_an_entry() -> None:
    codes = {term.code for term in load_vocabulary().conditions}
    assert sorted(codes - set(education())) == []
    assert sorted(set(education()) - codes) == []


def test_education_yaml_has_no_load_problems() -> None:
    _, problems = read_knowledge()
    assert [p for p in problems if p.startswith("education.yaml")] == []


def test_every_cited_source_is_in_the_bibliography() -> None:
    kb, _ = read_knowledge()
    if kb is None:
        pytest.skip("the knowledge base does not load yet (another data file)")
    missing = [
        f"{code}.{section}: {sid}"
        for code, entry in kb.education.items()
        for section in SECTIONS
        for sid in getattr(entry, section).source
        if sid not in kb.bibliography
    ]
    assert missing == []


@pytest.mark.parametrize(("code", "section"), _cases())
def test_section_reads_at_grade_8_or_below(code: str, section: str) -> None:
    text = _text(code, section)
    grade = float(textstat.flesch_kincaid_grade(text))
    assert grade <= MAX_GRADE, f"{code}.{section} scores grade {grade:.1f}: {text}"


@pytest.mark.parametrize(("code", "section"), _cases())
def test_section_does_not_sell_a_product(code: str, section: str) -> None:
    text = _text(code, section)
    found = SELLING.findall(text)
    assert found == [], f"{code}.{section} reads like a product pitch ({found}): {text}"


@pytest.mark.parametrize(("code", "section"), _cases())
def test_section_is_short(code: str, section: str) -> None:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", _text(code, section).strip()) if s]
    assert 2 <= len(sentences) <= 5, f"{code}.{section} has {len(sentences)} sentences"
