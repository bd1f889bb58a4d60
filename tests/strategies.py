"""Hypothesis strategies for cases, shared by the property tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from radicula.case import Case, case_from_data
from radicula.knowledge.loader import load_vocabulary

_V = load_vocabulary()
FINDINGS = sorted(t.code for t in _V.findings)
RED_FLAGS = sorted(t.code for t in _V.findings if t.red_flag)
REGIONS = sorted(t.code for t in _V.regions)
ACTIONS = sorted(t.code for t in _V.motor_actions)
REFLEXES = sorted(t.code for t in _V.reflexes)
TESTS = sorted(t.code for t in _V.tests if t.value is None)
SIDES = ["left", "right", "bilateral", None]

sides = st.sampled_from(SIDES)


@st.composite
def case_data(draw: st.DrawFn, reporter: str | None = None) -> dict[str, Any]:
    """A random but valid case document (present and absent never overlap)."""
    chosen = draw(st.lists(st.sampled_from(FINDINGS), unique=True, max_size=10))
    split = draw(st.integers(min_value=0, max_value=len(chosen)))
    data: dict[str, Any] = {
        "reporter": reporter or draw(st.sampled_from(["self", "clinician"])),
        "present": chosen[:split],
        "absent": chosen[split:],
    }
    if draw(st.booleans()):
        data["age"] = draw(st.integers(min_value=16, max_value=95))
    if draw(st.booleans()):
        data["sex"] = draw(st.sampled_from(["female", "male"]))
    if draw(st.booleans()):
        data["onset"] = draw(st.sampled_from(["sudden", "acute", "gradual", "insidious"]))
    if draw(st.booleans()):
        data["duration_days"] = draw(st.integers(min_value=0, max_value=800))
    if draw(st.booleans()):
        data["course"] = draw(st.sampled_from(["improving", "stable", "worsening", "rapidly_worsening"]))
    data["sensory"] = draw(st.lists(st.fixed_dictionaries({
        "region": st.sampled_from(REGIONS), "side": sides,
        "quality": st.sampled_from(["numb", "tingling", "burning", "reduced", "normal"]),
    }), max_size=5))
    data["pain"] = draw(st.lists(st.fixed_dictionaries({"region": st.sampled_from(REGIONS), "side": sides}),
                                 max_size=3))
    if data["reporter"] == "clinician":
        data["motor"] = draw(st.lists(st.fixed_dictionaries({
            "action": st.sampled_from(ACTIONS), "side": sides, "mrc": st.integers(min_value=0, max_value=5),
        }), max_size=4))
        data["reflexes"] = draw(st.lists(st.fixed_dictionaries({
            "reflex": st.sampled_from(REFLEXES), "side": sides,
            "grade": st.sampled_from(["absent", "reduced", "normal", "brisk"]),
        }), max_size=3))
        data["tests"] = draw(st.lists(st.fixed_dictionaries({
            "test": st.sampled_from(TESTS), "side": sides, "result": st.sampled_from(["positive", "negative"]),
        }), max_size=3))
    for key in ("sensory", "pain"):
        for entry in data[key]:
            if entry["side"] is None:
                del entry["side"]
    return data


def build(data: dict[str, Any]) -> Case:
    return case_from_data(data)


_SWAP = {"left": "right", "right": "left"}


def mirror(data: dict[str, Any]) -> dict[str, Any]:
    """The same case with left and right exchanged everywhere."""
    out = dict(data)
    for key in ("sensory", "pain", "motor", "reflexes", "tests"):
        if key in data:
            out[key] = [{**e, "side": _SWAP.get(e.get("side"), e.get("side"))} if "side" in e else dict(e)
                        for e in data[key]]
    for key in ("present", "absent"):
        items = []
        for f in data.get(key, []):
            code, sep, side = f.partition("@")
            items.append(f"{code}@{_SWAP.get(side, side)}" if sep else f)
        out[key] = items
    return out
