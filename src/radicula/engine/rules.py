"""Evaluate rule patterns over features with three-valued (Kleene) logic.

A pattern is a feature code, or ``{all: [...]}``, ``{any: [...]}``, ``{not: pattern}``. A feature
that is unknown stays unknown through the logic: ``any`` is true as soon as one part is true and
false only when every part is false; ``all`` is the mirror image. A rule fires only when its
pattern is *true*; an *unknown* pattern means the answer to some questions could make it fire.
"""

from __future__ import annotations

from collections.abc import Mapping

from radicula.engine.features import Tri, all_of, any_of
from radicula.knowledge.schema import Pattern, pattern_atoms


def evaluate(pattern: Pattern, states: Mapping[str, Tri]) -> Tri:
    if isinstance(pattern, str):
        return states.get(pattern)
    ((op, sub),) = pattern.items()
    if op == "all":
        return all_of(evaluate(p, states) for p in sub)
    if op == "any":
        return any_of(evaluate(p, states) for p in sub)
    inner = evaluate(sub, states)
    return None if inner is None else not inner


def decisive_unknowns(pattern: Pattern, states: Mapping[str, Tri]) -> list[str]:
    """Unknown features that would, if found present, make an unknown pattern true on their own."""
    if evaluate(pattern, states) is not None:
        return []
    out: list[str] = []
    for atom in dict.fromkeys(pattern_atoms(pattern)):
        if states.get(atom) is None:
            trial = dict(states)
            trial[atom] = True
            if evaluate(pattern, trial) is True:
                out.append(atom)
    return out
