"""Evaluate rule patterns over features with three-valued (Kleene) logic.

A pattern is a feature code, or ``{all: [...]}``, ``{any: [...]}``, ``{not: pattern}``. A feature
that is unknown stays unknown through the logic: ``any`` is true as soon as one part is true and
false only when every part is false; ``all`` is the mirror image. A rule fires only when its
pattern is *true*; an *unknown* pattern means the answer to some questions could make it fire.

Patterns are compiled once into small closures (``compiled``), since every case evaluates every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from radicula.engine.features import Tri, all_of, any_of
from radicula.knowledge.schema import Pattern, pattern_atoms

Compiled = Callable[[Mapping[str, Tri]], Tri]
_CACHE: dict[int, tuple[Pattern, Compiled, tuple[str, ...]]] = {}


def _compile(pattern: Pattern) -> Compiled:
    if isinstance(pattern, str):
        atom = pattern
        return lambda states: states.get(atom)
    ((op, sub),) = pattern.items()
    if op == "not":
        inner = _compile(sub)

        def negate(states: Mapping[str, Tri]) -> Tri:
            value = inner(states)
            return None if value is None else not value

        return negate
    parts = tuple(_compile(p) for p in sub)
    combine = all_of if op == "all" else any_of
    return lambda states: combine(part(states) for part in parts)


def _entry(pattern: Pattern) -> tuple[Pattern, Compiled, tuple[str, ...]]:
    """(pattern, compiled form, distinct atoms), cached by identity: patterns in a loaded knowledge
    base never change."""
    hit = _CACHE.get(id(pattern))
    if hit is not None and hit[0] is pattern:
        return hit
    entry = (pattern, _compile(pattern), tuple(dict.fromkeys(pattern_atoms(pattern))))
    _CACHE[id(pattern)] = entry
    return entry


def compiled(pattern: Pattern) -> Compiled:
    """The compiled form of a pattern."""
    return _entry(pattern)[1]


def evaluate(pattern: Pattern, states: Mapping[str, Tri]) -> Tri:
    return compiled(pattern)(states)


class _Override(Mapping[str, Tri]):
    """The states with one feature set to true (without copying the states)."""

    def __init__(self, states: Mapping[str, Tri], atom: str) -> None:
        self._states = states
        self._atom = atom

    def __getitem__(self, key: str) -> Tri:
        return True if key == self._atom else self._states[key]

    def get(self, key: str, default: Tri = None) -> Tri:  # type: ignore[override]
        return True if key == self._atom else self._states.get(key, default)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)


def decisive_unknowns(pattern: Pattern, states: Mapping[str, Tri]) -> list[str]:
    """Unknown features that would, if found present, make an unknown pattern true on their own."""
    _, fn, atoms = _entry(pattern)
    if fn(states) is not None:
        return []
    return [atom for atom in atoms if states.get(atom) is None and fn(_Override(states, atom)) is True]
