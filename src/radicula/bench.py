"""Benchmark figures over cases that carry an ``expected`` block: accuracy and speed.

``score(pairs)`` compares assessments with the expected answers; ``speed(texts)`` measures engine
throughput. The ``radicula bench`` command prints both; nothing here asserts a target (targets are
read off the printed figures, never enforced by timed unit tests).
"""

from __future__ import annotations

import gc
import resource
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from radicula.assessment import Assessment, urgency_rank
from radicula.case import Case, parse_case_text
from radicula.engine.assess import assess_case
from radicula.knowledge.loader import Knowledge


@dataclass
class Miss:
    case_id: str
    what: str
    expected: str
    got: str


@dataclass
class Scores:
    n: int = 0
    triage_n: int = 0
    triage_exact: int = 0
    triage_safe: int = 0
    over_triage: int = 0
    emergencies: int = 0
    emergencies_caught: int = 0
    site_n: int = 0
    site_top1: int = 0
    site_top3: int = 0
    condition_n: int = 0
    condition_top1: int = 0
    condition_top3: int = 0
    brier_sum: float = 0.0
    misses: list[Miss] = field(default_factory=list)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    site_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @staticmethod
    def _rate(k: int, n: int) -> float:
        return k / n if n else 0.0

    def figures(self) -> dict[str, str]:
        r = self._rate
        return {
            "cases": str(self.n),
            "triage_exact": f"{r(self.triage_exact, self.triage_n):.2f}",
            "triage_safe": f"{r(self.triage_safe, self.triage_n):.2f}",
            "over_triage": f"{r(self.over_triage, self.triage_n):.2f}",
            "emergencies_caught": f"{self.emergencies_caught}/{self.emergencies}",
            "site_top1": f"{r(self.site_top1, self.site_n):.2f}",
            "site_top3": f"{r(self.site_top3, self.site_n):.2f}",
            "condition_top1": f"{r(self.condition_top1, self.condition_n):.2f}",
            "condition_top3": f"{r(self.condition_top3, self.condition_n):.2f}",
            "brier": f"{(self.brier_sum / self.condition_n) if self.condition_n else 0.0:.3f}",
        }

    def last_line(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.figures().items())


def score(pairs: Sequence[tuple[Case, Assessment]]) -> Scores:
    s = Scores()
    for case, result in pairs:
        exp = case.expected
        if exp is None:
            continue
        s.n += 1
        cid = case.id or "(no id)"
        if exp.triage is not None:
            s.triage_n += 1
            got = result.triage.disposition
            diff = urgency_rank(got) - urgency_rank(exp.triage)
            s.triage_exact += diff == 0
            s.triage_safe += diff <= 0
            s.over_triage += diff < 0
            if exp.triage == "EMERGENCY_NOW":
                s.emergencies += 1
                s.emergencies_caught += got == "EMERGENCY_NOW"
            if diff != 0:
                what = "UNDER-TRIAGE" if diff > 0 else "over-triage"
                s.misses.append(Miss(cid, what, exp.triage, got))
        if exp.site:
            s.site_n += 1
            ranked: list[str] = []
            for site in result.localization:
                if site.site not in ranked:
                    ranked.append(site.site)
            wanted = {e.site for e in exp.site}
            s.site_top1 += bool(ranked[:1]) and ranked[0] in wanted
            s.site_top3 += bool(wanted & set(ranked[:3]))
            top_site = ranked[0] if ranked else "-"
            # the expected site the model ranked highest (a case may accept several)
            truth_site = min(wanted, key=lambda w: (ranked.index(w) if w in ranked else len(ranked), w))
            s.site_confusion[(truth_site, top_site)] += 1
            if not ranked or ranked[0] not in wanted:
                s.misses.append(Miss(cid, "site", "/".join(sorted(wanted)), ranked[0] if ranked else "-"))
        if exp.condition:
            s.condition_n += 1
            order = [c.condition for c in result.differential]
            probs = {c.condition: c.probability for c in result.differential}
            wanted_c = set(exp.condition)
            top = order[0] if order else "-"
            s.condition_top1 += top in wanted_c
            s.condition_top3 += bool(wanted_c & set(order[:3]))
            truth = max(exp.condition, key=lambda c: probs.get(c, 0.0))
            s.brier_sum += sum((p - (1.0 if c == truth else 0.0)) ** 2 for c, p in probs.items())
            s.confusion[(truth, top)] += 1
            if top not in wanted_c:
                s.misses.append(Miss(cid, "condition", "/".join(exp.condition), top))
    return s


@dataclass
class Speed:
    cases: int
    cases_per_s: float
    parse_cases_per_s: float
    peak_mb: float

    def last_line(self) -> str:
        return (f"cases_per_s={self.cases_per_s:.0f} parse_cases_per_s={self.parse_cases_per_s:.0f} "
                f"peak_mb={self.peak_mb:.0f}")


def _throughput(fn: Callable[[], int], min_seconds: float) -> float:
    done = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < min_seconds:
        done += fn()
        elapsed = time.perf_counter() - start
    return done / elapsed


def speed(texts: Sequence[tuple[str, str]], kb: Knowledge, min_seconds: float = 2.0) -> Speed:
    """Engine throughput with cases already parsed, and with parsing included; peak memory (RSS)."""
    cases = [parse_case_text(text, name, "json" if name.endswith(".json") else "yaml") for name, text in texts]
    for case in cases:  # warm the caches (indexes are built once per knowledge base)
        assess_case(case, kb)
    gc.collect()

    def engine_only() -> int:
        for case in cases:
            assess_case(case, kb)
        return len(cases)

    def with_parsing() -> int:
        for name, text in texts:
            assess_case(parse_case_text(text, name, "json" if name.endswith(".json") else "yaml"), kb)
        return len(texts)

    engine = _throughput(engine_only, min_seconds)
    parsed = _throughput(with_parsing, min_seconds)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return Speed(len(cases), engine, parsed, peak_kb / 1024.0)
