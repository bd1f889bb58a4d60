"""The worked example of the case-format specification gives the answer the specification shows."""

from __future__ import annotations

import re

import yaml

from radicula.case import case_from_data
from radicula.engine.assess import assess_case
from radicula.knowledge.loader import Knowledge
from spec_codes import SPEC


def _spec_example() -> dict[str, object]:
    text = SPEC.read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert block is not None
    data: dict[str, object] = yaml.safe_load(block.group(1))
    return data


def test_spec_example_gives_the_expected_site_condition_and_triage(kb: Knowledge) -> None:
    case = case_from_data(_spec_example())
    assert case.expected is not None
    result = assess_case(case, kb)
    top = result.localization[0]
    assert (top.site, top.side) == (case.expected.site[0].site, case.expected.site[0].side)
    assert result.differential[0].condition in case.expected.condition
    assert result.triage.disposition == case.expected.triage
    assert result.safety_net, "self-care always comes with a safety net"
