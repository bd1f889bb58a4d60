"""Print engine throughput (one core, parsing excluded and included) and peak memory."""

from __future__ import annotations

import sys
from pathlib import Path

from radicula.bench import speed
from radicula.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    folders = [Path(a) for a in argv] or [ROOT / "tests/fixtures/public_cases", ROOT / "tests/fixtures/own_cases",
                                          ROOT / "examples"]
    texts = [(p.name, p.read_text(encoding="utf-8")) for f in folders if f.is_dir() for p in sorted(f.glob("*.yaml"))]
    result = speed(texts, load_knowledge())
    names = [str(f.relative_to(ROOT)) if f.is_relative_to(ROOT) else str(f) for f in folders]
    print(f"{result.cases} cases from {', '.join(names)}")
    print(result.last_line())


if __name__ == "__main__":
    main(sys.argv[1:])
