"""Radicula: clinical decision support for leg numbness.

    >>> from radicula import load_case, assess
    >>> result = assess(load_case("case.yaml"))
    >>> result.triage.disposition

``assess`` is pure: it reads a validated :class:`Case` and the packaged knowledge base and returns an
:class:`Assessment`. Errors are :class:`CaseError` (bad input) and :class:`KnowledgeError`.
"""

from __future__ import annotations

from radicula.assessment import Assessment
from radicula.case import Case, case_from_data, load_case, parse_case_text
from radicula.errors import CaseError, CaseIssue, KnowledgeError, RadiculaError
from radicula.knowledge.loader import Knowledge, load_knowledge

__version__ = "0.1.0"


def assess(case: Case, kb: Knowledge | None = None) -> Assessment:
    """Assess one case against the knowledge base (the packaged one when ``kb`` is None)."""
    from radicula.engine.assess import assess_case

    return assess_case(case, kb if kb is not None else load_knowledge())


__all__ = [
    "Assessment",
    "Case",
    "CaseError",
    "CaseIssue",
    "Knowledge",
    "KnowledgeError",
    "RadiculaError",
    "__version__",
    "assess",
    "case_from_data",
    "load_case",
    "load_knowledge",
    "parse_case_text",
]
