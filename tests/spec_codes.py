"""Read the codes that the case-format specification lists, straight from its markdown.

The specification is the public contract; these helpers let the tests prove that every code it
names is in the knowledge base's vocabulary, so the two can never drift apart silently.
"""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SPEC = FIXTURES / "spec" / "case-format.md"

_NOT_CODES = {"sensory", "pain", "present", "absent", "normal", "code@left", "format", "source", "note"}


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    rest = text[start + len(heading) :]
    nxt = re.search(r"^#{2,3} ", rest, flags=re.MULTILINE)
    return rest[: nxt.start()] if nxt else rest


def _ticks(text: str) -> list[str]:
    return [c for c in re.findall(r"`([^`\s]+)`", text) if c not in _NOT_CODES]


def spec_codes(spec_path: Path = SPEC) -> dict[str, list[str]]:
    """Return the codes of each vocabulary section of the specification."""
    text = spec_path.read_text(encoding="utf-8")
    exam = _section(text, "### 1.3 Exam vocabulary")
    motor_part, rest = exam.split("`reflex`:", 1)
    reflex_part, test_part = rest.split("`test`", 1)
    sites: list[str] = []
    for code in _ticks(_section(text, "### 2.2 Site codes")):
        sites.append(code)
    # "`root:L1` ... `root:L5`" is a range in the text.
    if "root:L1" in sites and "root:L5" in sites:
        sites = [s for s in sites if not s.startswith("root:L")]
        sites = [f"root:L{i}" for i in range(1, 6)] + sites
    return {
        "regions": _ticks(_section(text, "### 1.1 Body regions")),
        "findings": _ticks(_section(text, "### 1.2 Finding codes")),
        "motor_actions": [c for c in _ticks(motor_part) if c != "action"],
        "reflexes": _ticks(reflex_part),
        "tests": [c for c in _ticks(test_part) if c not in {"positive", "negative"}],
        "dispositions": _ticks(_section(text, "### 2.1 Dispositions")),
        "sites": sites,
        "conditions": _ticks(_section(text, "### 2.3 Condition codes")),
    }
