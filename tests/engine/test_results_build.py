"""The engine builds its result models with ``assessment.build_from``: the same objects as
``model_construct`` would give (fields, their order, the fields set), only cheaper."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from conftest import OWN_CASES, PUBLIC_CASES, PUBLISHED_CASES
from radicula.assessment import Assessment, SiteResult, build_from
from radicula.case import load_case
from radicula.engine.assess import assess_case
from radicula.knowledge.loader import Knowledge


def _models(value: Any) -> Iterator[BaseModel]:
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from _models(item)


def _same_as_model_construct(m: BaseModel) -> None:
    cls = type(m)
    fields = list(cls.model_fields)
    assert list(m.__dict__) == fields, cls.__name__
    assert m.model_fields_set == set(fields), cls.__name__
    ref = cls.model_construct(**m.__dict__)
    assert ref.__dict__ == m.__dict__
    assert list(ref.__dict__) == list(m.__dict__)
    assert ref.model_fields_set == m.model_fields_set
    assert m.__pydantic_extra__ is None and m.__pydantic_private__ is None
    assert ref == m
    assert repr(ref) == repr(m)


def test_build_matches_model_construct() -> None:
    values: dict[str, Any] = {"site": "l5_root", "side": "left", "probability": 0.25, "label": "L5 root",
                              "supporting": ["a"], "against": []}
    built = build_from(SiteResult, dict(values))
    _same_as_model_construct(built)
    assert built.model_dump() == SiteResult.model_construct(**values).model_dump()
    with pytest.raises(ValidationError):  # still frozen
        built.probability = 0.5  # type: ignore[misc]


@pytest.mark.parametrize("path", [*PUBLIC_CASES, *PUBLISHED_CASES, *OWN_CASES[:20]], ids=lambda p: p.stem)
def test_every_result_model_is_as_model_construct_builds_it(path: Any, kb: Knowledge) -> None:
    result = assess_case(load_case(path), kb)
    assert isinstance(result, Assessment)
    for m in _models(result):
        _same_as_model_construct(m)
