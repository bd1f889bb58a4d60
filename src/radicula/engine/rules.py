"""Evaluate rule patterns over features with three-valued (Kleene) logic.

A pattern is a feature code, or ``{all: [...]}``, ``{any: [...]}``, ``{not: pattern}``. A feature
that is unknown stays unknown through the logic: ``any`` is true as soon as one part is true and
false only when every part is false; ``all`` is the mirror image. A rule fires only when its
pattern is *true*; an *unknown* pattern means the answer to some questions could make it fire.

Patterns are compiled once (``compiled``), since every case evaluates every rule. A compiled pattern
reads features through a lookup function (``states.get``). The result never depends on the order in
which the parts are looked at, so each ``all``/``any`` reads its plain feature codes first and its
nested patterns after. A pattern is compiled into the source of one Python function (``_generate``),
the same steps as the small closures of ``_compile`` written out in line: no call per nested part
and no loop over the parts. The closures remain the plain form, used where the generated source
cannot be compiled (too deeply nested).

The open questions need, for an unknown pattern, the unknown features whose presence alone would
make it true. Rather than evaluating the pattern once per unknown feature, one pass computes for
every part the set of unknown features that would make it true (or false) when present:

- a feature code: true already, so any feature does (``EVERY``); unknown, only itself; false, none.
  It is made false by every feature when it is false already, and by none otherwise;
- ``any``: made true by the union of what makes a part true, false by the intersection;
- ``all``: made true by the intersection, false by the union;
- ``not``: made true by what makes its part false, and the other way round.

This gives exactly what evaluating with each feature set to present would give, because forcing one
feature changes every place it appears at once and Kleene logic is evaluated part by part.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from radicula.engine.features import Tri
from radicula.knowledge.schema import Pattern, pattern_atoms

Lookup = Callable[[str], Tri]
Compiled = Callable[[Lookup], Tri]
#: The unknown features whose presence alone would make a pattern true (or false); None is EVERY.
FeatureSet = frozenset[str] | None
Sets = Callable[[Lookup], FeatureSet]
EVERY: FeatureSet = None
NONE: frozenset[str] = frozenset()
_CACHE: dict[int, tuple[Pattern, Compiled, tuple[str, ...], Sets]] = {}


def _compile(pattern: Pattern) -> Compiled:
    if isinstance(pattern, str):
        atom = pattern
        return lambda get: get(atom)
    ((op, sub),) = pattern.items()
    if op == "not":
        inner = _compile(sub)

        def negate(get: Lookup) -> Tri:
            value = inner(get)
            return None if value is None else not value

        return negate
    atoms = tuple(p for p in sub if isinstance(p, str))
    nested = tuple(_compile(p) for p in sub if not isinstance(p, str))
    return _all(atoms, nested) if op == "all" else _any(atoms, nested)


def _generate(pattern: Pattern) -> Compiled:
    """The pattern as one generated function, doing what :func:`_compile`'s closures do: each
    ``all``/``any`` reads its parts in order (plain feature codes first), stops at the first part
    that settles it (false for ``all``, true for ``any``), and is otherwise unknown if a part was
    unknown. Each ``all``/``any`` is a ``while True`` block that leaves with ``break`` once its value
    is set, so a nested one stops only itself. Feature codes enter the source as ``repr`` literals."""
    lines = ["def _pattern(get):"]
    count = 0

    def emit(part: Pattern, target: str, depth: int) -> None:
        nonlocal count
        pad = "    " * depth
        if isinstance(part, str):
            lines.append(f"{pad}{target} = get({part!r})")
            return
        ((op, sub),) = part.items()
        if op == "not":
            emit(sub, target, depth)
            lines.append(f"{pad}{target} = None if {target} is None else not {target}")
            return
        count += 1
        unknown, value = f"u{count}", f"p{count}"
        settles, otherwise = ("False", "True") if op == "all" else ("True", "False")
        lines.append(f"{pad}while True:")
        lines.append(f"{pad}    {unknown} = False")
        for p in [*(p for p in sub if isinstance(p, str)), *(p for p in sub if not isinstance(p, str))]:
            emit(p, value, depth + 1)
            lines.append(f"{pad}    if {value} is {settles}:")
            lines.append(f"{pad}        {target} = {settles}")
            lines.append(f"{pad}        break")
            lines.append(f"{pad}    if {value} is None:")
            lines.append(f"{pad}        {unknown} = True")
        lines.append(f"{pad}    {target} = None if {unknown} else {otherwise}")
        lines.append(f"{pad}    break")

    emit(pattern, "result", 1)
    lines.append("    return result")
    namespace: dict[str, Compiled] = {}
    try:
        exec(compile("\n".join(lines), "<pattern>", "exec"), namespace)  # our own source, codes as literals
    except SyntaxError:  # too many nested blocks: the closures do the same
        return _compile(pattern)
    return namespace["_pattern"]


def _all(atoms: tuple[str, ...], nested: tuple[Compiled, ...]) -> Compiled:
    """Kleene AND: false if any part is false, true only if all are true, else unknown."""

    def all_of(get: Lookup) -> Tri:
        unknown = False
        for atom in atoms:
            value = get(atom)
            if value is False:
                return False
            if value is None:
                unknown = True
        for part in nested:
            value = part(get)
            if value is False:
                return False
            if value is None:
                unknown = True
        return None if unknown else True

    return all_of


def _any(atoms: tuple[str, ...], nested: tuple[Compiled, ...]) -> Compiled:
    """Kleene OR: true if any part is true, false only if all are false, else unknown."""

    def any_of(get: Lookup) -> Tri:
        unknown = False
        for atom in atoms:
            value = get(atom)
            if value is True:
                return True
            if value is None:
                unknown = True
        for part in nested:
            value = part(get)
            if value is True:
                return True
            if value is None:
                unknown = True
        return None if unknown else False

    return any_of


def _sets(pattern: Pattern) -> tuple[Sets, Sets]:
    """(makes it true, makes it false): the unknown features whose presence alone would make the
    pattern true, or false (see the module's docstring)."""
    if isinstance(pattern, str):
        atom = pattern
        itself = frozenset((atom,))

        def atom_true(get: Lookup) -> FeatureSet:
            value = get(atom)
            return EVERY if value is True else (itself if value is None else NONE)

        def atom_false(get: Lookup) -> FeatureSet:
            return EVERY if get(atom) is False else NONE

        return atom_true, atom_false
    ((op, sub),) = pattern.items()
    if op == "not":
        makes_true, makes_false = _sets(sub)
        return makes_false, makes_true
    # the plain feature codes are handled in the loops below rather than by a function each (the
    # same sets, fewer calls: union and intersection do not depend on the order of the parts)
    atoms = tuple(p for p in sub if isinstance(p, str))
    parts = [_sets(p) for p in sub if not isinstance(p, str)]
    trues = tuple(t for t, _ in parts)
    falses = tuple(f for _, f in parts)
    if op == "any":
        return _union(atoms, trues), _any_made_false(atoms, falses)
    return _intersection(atoms, trues), _all_made_false(atoms, falses)


def _union(atoms: tuple[str, ...], parts: tuple[Sets, ...]) -> Sets:
    """What makes an ``any`` true: the union of what makes each part true (a true feature code:
    every feature; an unknown one: itself)."""
    singles = tuple((atom, frozenset((atom,))) for atom in atoms)

    def union(get: Lookup) -> FeatureSet:
        out: frozenset[str] = NONE
        for atom, itself in singles:
            value = get(atom)
            if value is True:
                return EVERY
            if value is None:
                out = out | itself
        for part in parts:
            found = part(get)
            if found is None:  # EVERY
                return EVERY
            if found:
                out = out | found
        return out

    return union


def _intersection(atoms: tuple[str, ...], parts: tuple[Sets, ...]) -> Sets:
    """What makes an ``all`` true: the intersection of what makes each part true (a true feature
    code: every feature; an unknown one: itself; a false one: none)."""
    singles = tuple((atom, frozenset((atom,))) for atom in atoms)

    def intersection(get: Lookup) -> FeatureSet:
        out: FeatureSet = EVERY
        for atom, itself in singles:
            value = get(atom)
            if value is True:  # EVERY
                continue
            if value is False:
                return NONE
            out = itself if out is None else out & itself
            if not out:
                return NONE
        for part in parts:
            found = part(get)
            if found is None:  # EVERY
                continue
            out = found if out is None else out & found
            if not out:
                return NONE
        return out

    return intersection


def _any_made_false(atoms: tuple[str, ...], parts: tuple[Sets, ...]) -> Sets:
    """What makes an ``any`` false: the intersection of what makes each part false (a false feature
    code: every feature; any other: none)."""

    def intersection(get: Lookup) -> FeatureSet:
        for atom in atoms:
            if get(atom) is not False:
                return NONE
        out: FeatureSet = EVERY
        for part in parts:
            found = part(get)
            if found is None:  # EVERY
                continue
            out = found if out is None else out & found
            if not out:
                return NONE
        return out

    return intersection


def _all_made_false(atoms: tuple[str, ...], parts: tuple[Sets, ...]) -> Sets:
    """What makes an ``all`` false: the union of what makes each part false (a false feature code:
    every feature; any other: none)."""

    def union(get: Lookup) -> FeatureSet:
        for atom in atoms:
            if get(atom) is False:
                return EVERY
        out: frozenset[str] = NONE
        for part in parts:
            found = part(get)
            if found is None:  # EVERY
                return EVERY
            if found:
                out = out | found
        return out

    return union


def _entry(pattern: Pattern) -> tuple[Pattern, Compiled, tuple[str, ...], Sets]:
    """(pattern, compiled form, distinct atoms, what makes it true), cached by identity: patterns in
    a loaded knowledge base never change."""
    hit = _CACHE.get(id(pattern))
    if hit is not None and hit[0] is pattern:
        return hit
    entry = (pattern, _generate(pattern), tuple(dict.fromkeys(pattern_atoms(pattern))), _sets(pattern)[0])
    _CACHE[id(pattern)] = entry
    return entry


def compiled(pattern: Pattern) -> tuple[Compiled, tuple[str, ...], Sets]:
    """The compiled form of a pattern, its distinct atoms (in order of appearance) and the function
    giving the unknown features whose presence alone would make it true."""
    _, fn, atoms, makes_true = _entry(pattern)
    return fn, atoms, makes_true


def evaluate(pattern: Pattern, states: Mapping[str, Tri]) -> Tri:
    return _entry(pattern)[1](states.get)


def gate(pattern: Pattern) -> frozenset[str] | None:
    """Feature codes of which at least one is true whenever the pattern is true, or None when there
    is no such set (a ``not``). A rule whose gate has no true feature cannot be true, so it need not
    be evaluated.

    A feature code is its own gate; an ``any`` is true only if one of its parts is, so its gate is
    the union of theirs (none if a part has none); an ``all`` is true only if every part is, so the
    smallest gate of its parts will do.
    """
    if isinstance(pattern, str):
        return frozenset((pattern,))
    ((op, sub),) = pattern.items()
    if op == "not":
        return None
    gates = [gate(p) for p in sub]
    if op == "any":
        out: frozenset[str] = frozenset()
        for g in gates:
            if g is None:
                return None
            out |= g
        return out
    known = [g for g in gates if g is not None]
    return min(known, key=len) if known else None


def decisive(atoms: tuple[str, ...], makes_true: Sets, get: Lookup) -> list[str]:
    """Of a pattern's atoms, the unknown ones whose presence alone would make it true, in order."""
    found = makes_true(get)
    return [atom for atom in atoms if get(atom) is None and (found is None or atom in found)]


def decisive_unknowns(pattern: Pattern, states: Mapping[str, Tri]) -> list[str]:
    """Unknown features that would, if found present, make an unknown pattern true on their own."""
    _, fn, atoms, makes_true = _entry(pattern)
    get = states.get
    if fn(get) is not None:
        return []
    return decisive(atoms, makes_true, get)
