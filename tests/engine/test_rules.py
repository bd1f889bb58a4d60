"""The compiled rule patterns agree with a plain reading of three-valued logic (Hypothesis).

The reference below evaluates a pattern part by part, in order, and finds the decisive unknowns by
setting each unknown feature present in turn and evaluating again: the engine's compiled closures
and its one-pass search must give exactly the same answers, ``not`` included.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from radicula.engine.features import Tri
from radicula.engine.rules import _compile, decisive_unknowns, evaluate, gate
from radicula.knowledge.schema import Pattern, pattern_atoms

ATOMS = ["a", "b", "c", "d", "e", "f"]


def _reference(pattern: Pattern, states: dict[str, Tri]) -> Tri:
    if isinstance(pattern, str):
        return states.get(pattern)
    ((op, sub),) = pattern.items()
    if op == "not":
        value = _reference(sub, states)
        return None if value is None else not value
    values = [_reference(p, states) for p in sub]
    if op == "all":
        return False if False in values else (None if None in values else True)
    return True if True in values else (None if None in values else False)


def _reference_decisive(pattern: Pattern, states: dict[str, Tri]) -> list[str]:
    if _reference(pattern, states) is not None:
        return []
    atoms = list(dict.fromkeys(pattern_atoms(pattern)))
    return [a for a in atoms if states.get(a) is None and _reference(pattern, {**states, a: True}) is True]


patterns: st.SearchStrategy[Any] = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.builds(lambda parts: {"all": parts}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda parts: {"any": parts}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda part: {"not": part}, inner),
    ),
    max_leaves=12,
)
states_st = st.dictionaries(st.sampled_from(ATOMS), st.sampled_from([True, False, None]))


@settings(max_examples=400, deadline=None)
@given(patterns, states_st)
def test_compiled_patterns_match_the_reference(pattern: Pattern, states: dict[str, Tri]) -> None:
    assert evaluate(pattern, states) is _reference(pattern, states)
    assert decisive_unknowns(pattern, states) == _reference_decisive(pattern, states)


@settings(max_examples=400, deadline=None)
@given(patterns, states_st)
def test_the_plain_closures_match_the_reference(pattern: Pattern, states: dict[str, Tri]) -> None:
    """The closures are the fallback for a pattern too deeply nested for a generated function."""
    assert _compile(pattern)(states.get) is _reference(pattern, states)


@settings(max_examples=400, deadline=None)
@given(patterns, states_st)
def test_a_true_pattern_has_a_true_feature_in_its_gate(pattern: Pattern, states: dict[str, Tri]) -> None:
    """The plan skips a rule whose gate has no true feature, so a pattern that is true must always
    have one (a pattern with no gate, None, is always evaluated)."""
    g = gate(pattern)
    if g is not None and _reference(pattern, states) is True:
        assert any(states.get(atom) is True for atom in g), (pattern, states, g)


def test_decisive_unknowns_by_example() -> None:
    pattern: Pattern = {"any": [{"all": ["a", "b"]}, {"all": ["c", {"not": "d"}]}, "e"]}
    assert decisive_unknowns(pattern, {"b": True, "d": False}) == ["a", "c", "e"]
    assert decisive_unknowns(pattern, {"b": True, "d": None}) == ["a", "e"]
    assert decisive_unknowns(pattern, {"e": True}) == []  # already true
    assert decisive_unknowns({"not": "a"}, {}) == []  # presence can only make it false
    assert decisive_unknowns({"all": ["a", "a"]}, {}) == ["a"]
