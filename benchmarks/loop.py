"""Assess the cases of a folder N times over, for profilers and instruction counters.

    uv run python benchmarks/loop.py CASE_DIR N

Run it under ``valgrind --tool=callgrind`` once with N=0 and once with N=10: the difference in the
instructions collected, divided by 10 x the number of cases, is the engine's cost per case, the same
from run to run on one machine whatever else the machine is doing (wall-clock figures are not).
"""

from __future__ import annotations

import sys
from pathlib import Path

from radicula.case import parse_case_text
from radicula.engine.assess import assess_case
from radicula.knowledge.loader import load_knowledge


def main(argv: list[str]) -> None:
    folder, rounds = Path(argv[0]), int(argv[1])
    kb = load_knowledge()
    cases = [parse_case_text(p.read_text(encoding="utf-8"), p.name, "yaml") for p in sorted(folder.glob("*.yaml"))]
    for case in cases:  # warm the knowledge-base indexes, as the speed benchmark does
        assess_case(case, kb)
    for _ in range(rounds):
        for case in cases:
            assess_case(case, kb)
    print(f"{len(cases)} cases x {rounds} rounds")


if __name__ == "__main__":
    main(sys.argv[1:])
