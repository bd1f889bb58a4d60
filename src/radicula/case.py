"""The case model (spec: case-format version 1) and its parsing from YAML or JSON.

A case is what the engine reads: one person's presentation. Parsing never raises anything but
:class:`~radicula.errors.CaseError`, whose issues name the field path, the bad value, the allowed
values and the closest match. A finding in neither ``present`` nor ``absent`` is *unknown*, which
the engine keeps distinct from *absent*.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from radicula.errors import CaseError, CaseIssue
from radicula.knowledge.loader import load_vocabulary, vocabulary_codes
from radicula.yamlio import safe_load

Side = Literal["left", "right", "bilateral", "midline"]
Sex = Literal["female", "male", "other", "unknown"]
Reporter = Literal["self", "clinician"]
Onset = Literal["sudden", "acute", "gradual", "insidious"]
Course = Literal["improving", "stable", "worsening", "rapidly_worsening"]
Quality = Literal["numb", "tingling", "burning", "reduced", "normal"]
Grade = Literal["absent", "reduced", "normal", "brisk"]
Result = Literal["positive", "negative"]
Disposition = Literal["EMERGENCY_NOW", "URGENT_SAME_DAY", "SOON", "ROUTINE", "SELF_CARE"]

SIDES: tuple[str, ...] = ("left", "right", "bilateral", "midline")
METADATA_KEYS = ("source", "note")

_SECTION_NAMES = {
    "regions": "body region",
    "findings": "finding",
    "motor_actions": "motor action",
    "reflexes": "reflex",
    "tests": "exam test",
    "sites": "site",
    "conditions": "condition",
}


def _codes(section: str) -> frozenset[str]:
    return _vocabulary_codes()[section]


@cache
def _vocabulary_codes() -> dict[str, frozenset[str]]:
    """The codes of every vocabulary section (the vocabulary is loaded once per process)."""
    return vocabulary_codes(load_vocabulary())


def closest(value: str, allowed: Iterable[str]) -> str | None:
    """The allowed value nearest to ``value`` (for 'did you mean'), or None."""
    match = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    if not match and isinstance(value, str):
        # fall back on a prefix or substring match (for example 'foot' -> 'foot_drop')
        low = value.lower()
        hits = sorted(a for a in allowed if low and (a.startswith(low) or low in a))
        return hits[0] if hits else None
    return match[0] if match else None


def _code_validator(section: str) -> Any:
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            raise PydanticCustomError(
                "code_type", "must be a code (text), not {kind}", {"kind": type(value).__name__}
            )
        allowed = _codes(section)
        if value not in allowed:
            raise PydanticCustomError(
                "unknown_code",
                "'{value}' is not a known {kind}",
                {"value": value, "kind": _SECTION_NAMES[section], "section": section},
            )
        return value

    return BeforeValidator(check)


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "must be a number, not true/false", {})
    return value


Region = Annotated[str, _code_validator("regions")]
FindingCode = Annotated[str, _code_validator("findings")]
MotorAction = Annotated[str, _code_validator("motor_actions")]
ReflexCode = Annotated[str, _code_validator("reflexes")]
TestCode = Annotated[str, _code_validator("tests")]
SiteCode = Annotated[str, _code_validator("sites")]
ConditionCode = Annotated[str, _code_validator("conditions")]
Age = Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=120)]
Mrc = Annotated[int, BeforeValidator(_no_bool), Field(ge=0, le=5)]
Days = Annotated[float, BeforeValidator(_no_bool), Field(ge=0, le=36500)]
Number = Annotated[float, BeforeValidator(_no_bool)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SensoryEntry(_Model):
    region: Region
    side: Side | None = None
    quality: Quality


class PainEntry(_Model):
    region: Region
    side: Side | None = None


class Finding(_Model):
    """A finding code, optionally with a side (written ``code@left`` in case files)."""

    code: FindingCode
    side: Side | None = None

    @model_validator(mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            code, sep, side = value.partition("@")
            if sep and side not in SIDES:
                raise PydanticCustomError(
                    "bad_side", "'{value}' has an unknown side '{side}'", {"value": value, "side": side,
                                                                            "allowed": SIDES}
                )
            return {"code": code, "side": side or None}
        return value

    def __str__(self) -> str:
        return f"{self.code}@{self.side}" if self.side else self.code


class MotorEntry(_Model):
    action: MotorAction
    side: Side | None = None
    mrc: Mrc


class ReflexEntry(_Model):
    reflex: ReflexCode
    side: Side | None = None
    grade: Grade


class TestEntry(_Model):
    test: TestCode
    side: Side | None = None
    result: Result | None = None
    angle: Annotated[float, BeforeValidator(_no_bool), Field(ge=0, le=120)] | None = None
    value: Number | str | None = None

    @model_validator(mode="after")
    def _has_result(self) -> TestEntry:
        if self.result is None and self.value is None:
            raise PydanticCustomError(
                "missing_result", "a test needs a result (positive or negative) or a value", {}
            )
        return self


class ExpectedSite(_Model):
    site: SiteCode
    side: Side | None = None


def _listify(value: Any) -> Any:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Expected(_Model):
    """Reference answers for benchmark and test cases. The engine never reads this."""

    site: Annotated[list[ExpectedSite], BeforeValidator(_listify)] = Field(default_factory=list)
    condition: Annotated[list[ConditionCode], BeforeValidator(_listify)] = Field(default_factory=list)
    triage: Disposition | None = None


def _sides_overlap(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    return "bilateral" in (a, b) and "midline" not in (a, b)


class Case(_Model):
    """One person's presentation, as the case-format specification (version 1) defines it."""

    format: Literal[1] = 1
    id: str | None = Field(default=None, max_length=200)
    age: Age | None = None
    sex: Sex | None = None
    reporter: Reporter
    onset: Onset | None = None
    duration_days: Days | None = None
    course: Course | None = None
    sensory: list[SensoryEntry] = Field(default_factory=list)
    pain: list[PainEntry] = Field(default_factory=list)
    present: list[Finding] = Field(default_factory=list)
    absent: list[Finding] = Field(default_factory=list)
    motor: list[MotorEntry] = Field(default_factory=list)
    reflexes: list[ReflexEntry] = Field(default_factory=list)
    tests: list[TestEntry] = Field(default_factory=list)
    expected: Expected | None = None
    source: Any = None
    note: Any = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        return value

    @model_validator(mode="after")
    def _present_or_absent(self) -> Case:
        for j, gone in enumerate(self.absent):
            for here in self.present:
                if here.code == gone.code and _sides_overlap(here.side, gone.side):
                    raise PydanticCustomError(
                        "contradiction",
                        "'{code}' is listed both as present ({here}) and as absent ({gone}); "
                        "keep it in one list, or give each entry its own side",
                        {"code": gone.code, "here": str(here), "gone": str(gone), "index": j},
                    )
        return self


# --------------------------------------------------------------------------- parsing


def _path(loc: tuple[int | str, ...]) -> str:
    if len(loc) >= 3 and loc[0] in ("present", "absent") and loc[2] == "code":
        loc = loc[:2]
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "constrained-")) or part in ("str", "float", "int", "literal"):
            continue
        else:
            out += f".{part}" if out else part
    return out


_FIELD_MODELS: dict[str, type[BaseModel]] = {
    "sensory": SensoryEntry,
    "pain": PainEntry,
    "motor": MotorEntry,
    "reflexes": ReflexEntry,
    "tests": TestEntry,
    "expected": Expected,
}


def _allowed_fields(loc: tuple[int | str, ...]) -> tuple[str, ...]:
    strs = [p for p in loc if isinstance(p, str)]
    model: type[BaseModel] = Case
    if len(strs) >= 2 and strs[0] in _FIELD_MODELS:
        model = _FIELD_MODELS[strs[0]]
        if strs[0] == "expected" and len(strs) >= 3 and strs[1] == "site":
            model = ExpectedSite
    return tuple(model.model_fields)


def _issue_from_error(err: Any) -> CaseIssue | None:
    kind = err["type"]
    loc: tuple[int | str, ...] = tuple(err["loc"])
    ctx = err.get("ctx") or {}
    value = err.get("input")
    path = _path(loc)
    if kind == "unknown_code":
        section = ctx["section"]
        allowed = tuple(sorted(_codes(section)))
        return CaseIssue(path, err["msg"], value, allowed, closest(str(value), allowed))
    if kind == "literal_error":
        allowed = tuple(str(a).strip("'") for a in _literal_values(ctx.get("expected", "")))
        return CaseIssue(
            path, f"{value!r} is not allowed", value, allowed, closest(str(value), allowed)
        )
    if kind == "bad_side":
        allowed = tuple(ctx["allowed"])
        return CaseIssue(path, err["msg"], value, allowed, closest(str(ctx["side"]), allowed))
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed_fields(loc)
        parent = _path(loc[:-1])
        where = f"{parent}: " if parent else ""
        return CaseIssue(
            _path(loc), f"{where}unknown field '{name}'".split(": ", 1)[-1], None, allowed, closest(name, allowed)
        )
    if kind == "missing":
        if loc and loc[-1] == "reporter":
            return CaseIssue(path, "is required", None, ("self", "clinician"))
        return CaseIssue(path, "is required")
    if kind == "contradiction":
        return CaseIssue(f"absent[{ctx['index']}]", err["msg"], ctx["gone"])
    msg = err["msg"]
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        msg = f"{value!r} is out of range ({_range_text(path, ctx)})"
    elif kind in ("int_parsing", "float_parsing", "int_from_float", "int_type", "float_type", "bool_not_number"):
        msg = f"{value!r} is not a valid {'whole number' if kind.startswith('int') else 'number'}"
    elif kind in ("list_type",):
        msg = f"must be a list, not {type(value).__name__}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        msg = f"must be a mapping (key: value), not {type(value).__name__}"
    return CaseIssue(path, msg, value if not isinstance(value, (dict, list)) else None)


def _range_text(path: str, ctx: dict[str, Any]) -> str:
    low = ctx.get("ge", ctx.get("gt"))
    if path.endswith("mrc"):
        return "MRC grades run from 0 (no movement) to 5 (normal power)"
    if path.endswith("duration_days"):
        return "a duration is 0 days or more"
    if "ge" in ctx or "gt" in ctx:
        if "le" in ctx or "lt" in ctx:
            return f"allowed {low} to {ctx.get('le', ctx.get('lt'))}"
        return f"must be at least {low}"
    return f"must be at most {ctx.get('le', ctx.get('lt'))}"


def _literal_values(expected: str) -> list[str]:
    parts = expected.replace(" or ", ", ").split(", ")
    return [p.strip().strip("'") for p in parts if p.strip()]


def case_from_data(data: Any, origin: str | None = None) -> Case:
    """Validate an already-parsed document (a mapping) into a :class:`Case`."""
    if data is None:
        raise CaseError([CaseIssue("", "the case is empty: expected a mapping with at least 'reporter'")], origin)
    if not isinstance(data, dict):
        raise CaseError(
            [CaseIssue("", f"a case must be a mapping (key: value), not a {type(data).__name__}")], origin
        )
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        issues: list[CaseIssue] = []
        for err in exc.errors():
            issue = _issue_from_error(err)
            if issue is not None and issue not in issues:
                issues.append(issue)
        raise CaseError(issues, origin) from None


def parse_case_text(text: str, origin: str | None = None, fmt: Literal["yaml", "json"] = "yaml") -> Case:
    """Parse the text of a case file (YAML, or JSON with ``fmt='json'``)."""
    if not text.strip():
        raise CaseError([CaseIssue("", "the file is empty: expected a case (a mapping with 'reporter')")], origin)
    try:
        data = json.loads(text) if fmt == "json" else safe_load(text)
    except json.JSONDecodeError as exc:
        raise CaseError(
            [CaseIssue("", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")], origin
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CaseError([CaseIssue("", f"not valid YAML{where}: {problem}")], origin) from None
    return case_from_data(data, origin)


def load_case(path: str | Path) -> Case:
    """Read and validate one case file (``.json`` is read as JSON, anything else as YAML)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise CaseError([CaseIssue("", "no such file")], str(path)) from None
    except IsADirectoryError:
        raise CaseError([CaseIssue("", "is a directory, not a case file")], str(path)) from None
    except OSError as exc:
        raise CaseError([CaseIssue("", f"cannot be read: {exc.strerror}")], str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CaseError([CaseIssue("", "is not UTF-8 text")], str(path)) from None
    fmt: Literal["yaml", "json"] = "json" if p.suffix.lower() == ".json" else "yaml"
    return parse_case_text(text, str(path), fmt)
