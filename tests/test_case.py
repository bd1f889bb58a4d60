"""The case model: every spec code accepted, every kind of bad input refused with a named field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, PUBLIC_CASES, PUBLISHED_CASES
from radicula.case import Case, case_from_data, load_case, parse_case_text
from radicula.errors import CaseError
from radicula.knowledge.loader import load_vocabulary, vocabulary_codes
from spec_codes import spec_codes

SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_every_spec_code_is_in_the_vocabulary() -> None:
    codes = vocabulary_codes(load_vocabulary())
    for section, listed in spec_codes().items():
        assert listed, f"no codes parsed for {section}"
        missing = sorted(set(listed) - codes[section])
        assert not missing, f"{section}: spec codes missing from the vocabulary: {missing}"


def test_spec_parser_reads_the_sections_it_should() -> None:
    codes = spec_codes()
    assert "dorsum_foot" in codes["regions"] and "saddle" in codes["regions"]
    assert "cold_foot" in codes["findings"] and "back_pain" in codes["findings"]
    assert codes["dispositions"] == ["EMERGENCY_NOW", "URGENT_SAME_DAY", "SOON", "ROUTINE", "SELF_CARE"]
    assert "root:L3" in codes["sites"] and "non_neural" in codes["sites"]
    assert len(codes["conditions"]) == 23


@pytest.mark.parametrize("path", PUBLIC_CASES, ids=lambda p: p.stem)
def test_public_cases_validate(path: Path) -> None:
    case = load_case(path)
    assert case.expected is not None


@pytest.mark.parametrize("path", PUBLISHED_CASES, ids=lambda p: p.stem)
def test_published_cases_validate_and_name_their_source(path: Path) -> None:
    case = load_case(path)
    assert case.expected is not None and case.expected.triage and case.expected.site and case.expected.condition
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["source"]["url"].startswith("http") and data["source"]["title"]
    assert data.get("note"), "each case records how it was encoded"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared reference folder is not beside this checkout")
def test_fixture_copies_match_the_shared_folder() -> None:
    for name in ("spec/case-format.md",):
        assert (FIXTURES / name).read_text() == (SHARED / name).read_text(), name
    shared_cases = {p.name: p.read_text() for p in (SHARED / "cases").glob("*.yaml")}
    ours = {p.name: p.read_text() for p in (FIXTURES / "public_cases").glob("*.yaml")}
    assert ours == shared_cases


def test_unknown_is_kept_apart_from_absent() -> None:
    case = parse_case_text("reporter: self\npresent: [back_pain]\nabsent: [fever]\n")
    assert [f.code for f in case.present] == ["back_pain"]
    assert [f.code for f in case.absent] == ["fever"]
    assert "saddle_numbness" not in {f.code for f in (*case.present, *case.absent)}


def test_code_with_side_and_metadata_keys() -> None:
    case = case_from_data(
        {"reporter": "clinician", "present": ["foot_drop@left"], "source": {"title": "t", "url": "u"},
         "note": "free text"}
    )
    assert case.present[0].code == "foot_drop" and case.present[0].side == "left"


def test_json_is_accepted() -> None:
    case = parse_case_text('{"reporter": "self", "age": 40, "present": ["back_pain"]}', fmt="json")
    assert isinstance(case, Case) and case.age == 40


def _issue(text: str) -> CaseError:
    with pytest.raises(CaseError) as info:
        parse_case_text(text, "case.yaml")
    return info.value


BAD_INPUTS = [
    ("unknown region", "reporter: self\nsensory: [{region: dorsum_fot, side: left, quality: numb}]",
     "sensory[0].region", "dorsum_foot"),
    ("unknown finding", "reporter: self\npresent: [saddle_numbnes]", "present[0]", "saddle_numbness"),
    ("unknown side", "reporter: self\npresent: [back_pain@lft]", "present[0]", "left"),
    ("wrong type", "reporter: self\nage: forty", "age", None),
    ("boolean for a number", "reporter: self\nage: true", "age", None),
    ("MRC above 5", "reporter: clinician\nmotor: [{action: hip_flexion, side: left, mrc: 7}]", "motor[0].mrc", None),
    ("MRC below 0", "reporter: clinician\nmotor: [{action: hip_flexion, side: left, mrc: -1}]", "motor[0].mrc", None),
    ("negative duration", "reporter: self\nduration_days: -3", "duration_days", None),
    ("present and absent", "reporter: self\npresent: [fever]\nabsent: [fever]", "absent[0]", None),
    ("unknown field", "reporter: self\npresnt: [fever]", "presnt", "present"),
    ("unknown reporter", "reporter: slf", "reporter", "self"),
    ("missing reporter", "age: 40", "reporter", None),
    ("unknown motor action", "reporter: clinician\nmotor: [{action: hip_flex, side: left, mrc: 4}]",
     "motor[0].action", "hip_flexion"),
]


@pytest.mark.parametrize(("what", "text", "path", "suggestion"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_names_the_field(what: str, text: str, path: str, suggestion: str | None) -> None:
    err = _issue(text)
    paths = [i.path for i in err.issues]
    assert path in paths, f"{what}: {paths}"
    issue = err.issues[paths.index(path)]
    if suggestion is not None:
        assert issue.suggestion == suggestion
        assert suggestion in issue.allowed
    assert path in str(err)


def test_sided_present_and_absent_on_different_sides_is_fine() -> None:
    case = parse_case_text("reporter: clinician\npresent: [cold_foot@left]\nabsent: [cold_foot@right]")
    assert len(case.present) == 1 and len(case.absent) == 1


@pytest.mark.parametrize(
    ("text", "needle"),
    [("", "empty"), ("   \n", "empty"), ("reporter: self\n  bad: [", "not valid YAML at line"), ("[1, 2]", "mapping")],
)
def test_file_level_errors(text: str, needle: str) -> None:
    assert needle in str(_issue(text))


def test_allowed_values_are_listed_for_small_enums() -> None:
    err = _issue("reporter: self\nonset: quick")
    issue = err.issues[0]
    assert issue.path == "onset"
    assert set(issue.allowed) == {"sudden", "acute", "gradual", "insidious"}
