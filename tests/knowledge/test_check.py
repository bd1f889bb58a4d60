"""Cross-file checks of the knowledge base catch broken references (here: condition territories)."""

from __future__ import annotations

import dataclasses

from radicula.knowledge.check import check_knowledge
from radicula.knowledge.loader import Knowledge


def _with_ali_site(kb: Knowledge, **changes: object) -> Knowledge:
    cond = kb.conditions["acute_limb_ischaemia"]
    sites = [cs.model_copy(update=changes) for cs in cond.sites]
    conditions = {**kb.conditions, "acute_limb_ischaemia": cond.model_copy(update={"sites": sites})}
    return dataclasses.replace(kb, conditions=conditions)


def test_the_shipped_knowledge_base_passes(kb: Knowledge) -> None:
    assert check_knowledge(kb).problems == []


def test_an_unknown_territory_is_reported(kb: Knowledge) -> None:
    problems = check_knowledge(_with_ali_site(kb, territory="frozen_limb")).problems
    assert any("unknown territory 'frozen_limb'" in p for p in problems), problems


def test_a_territory_must_report_as_the_site_of_the_row(kb: Knowledge) -> None:
    problems = check_knowledge(_with_ali_site(kb, site="polyneuropathy")).problems
    assert any("reports as 'non_neural', not 'polyneuropathy'" in p for p in problems), problems


def test_a_territory_without_reports_as_is_reported(kb: Knowledge) -> None:
    terr = kb.territories["ischaemic_limb"].model_copy(update={"reports_as": None})
    broken = dataclasses.replace(kb, territories={"ischaemic_limb": terr})
    assert any("reports_as is missing" in p for p in check_knowledge(broken).problems)
