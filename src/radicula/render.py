"""Readable terminal view of an assessment (Rich). Pure formatting: no clinical decisions here."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from radicula.assessment import Assessment, Recommendation
from radicula.knowledge.loader import Knowledge

STYLE = {
    "EMERGENCY_NOW": "bold white on red",
    "URGENT_SAME_DAY": "bold black on dark_orange",
    "SOON": "bold black on yellow",
    "ROUTINE": "bold white on blue",
    "SELF_CARE": "bold white on green",
}
MARK = {"do": "DO", "consider": "CONSIDER", "do_not": "DO NOT"}


def _recs(title: str, recs: list[Recommendation], public: bool) -> RenderableType | None:
    if not recs:
        return None
    table = Table(title=title, title_justify="left", show_lines=False, expand=True)
    table.add_column("", width=8, no_wrap=True)
    table.add_column("What", ratio=3)
    table.add_column("Why / strength", ratio=2)
    table.add_column("Sources", ratio=1)
    for r in recs:
        style = {"do": "green", "consider": "yellow", "do_not": "red"}[r.recommendation]
        what = r.action_public if public else r.action
        if r.when:
            what += f" [{r.when}]"
        table.add_row(Text(MARK[r.recommendation], style=style), what, f"{r.why} ({r.strength})",
                      ", ".join(r.sources) or r.evidence)
    return table


def render(result: Assessment, kb: Knowledge, source_name: str = "") -> RenderableType:
    public = result.reporter == "self"
    d = result.triage.disposition
    term = next(t for t in kb.vocabulary.dispositions if t.code == d)
    parts: list[RenderableType] = []
    head = Text(f" {term.public if public else term.clinician} ({d}) ", style=STYLE[d])
    title = f"{source_name}  {result.case_id or ''}".strip()
    parts.append(Panel(Group(head, Text(term.advice_public if public else term.advice_clinician)),
                       title=title or None, title_align="left"))

    reasons = result.triage.reasons if public else result.triage.reasons_clinical
    parts.append(Text("Why: ", style="bold") + Text("\n".join(f"- {r}" for r in reasons)))
    if result.triage.escalated_by:
        parts.append(Text("Raised by the diagnosis model: " + "; ".join(result.triage.escalated_by), style="bold"))
    if result.triage.open_questions:
        # the questions that would make it urgent are shown; the rest are counted (all are in the JSON)
        urgent = [q for q in result.triage.open_questions
                  if q.disposition_if_yes in ("EMERGENCY_NOW", "URGENT_SAME_DAY")]
        shown = urgent or result.triage.open_questions[:8]
        table = Table(title="Not yet answered: please check these now", title_justify="left", expand=True)
        table.add_column("Question")
        table.add_column("If yes", no_wrap=True)
        for oq in shown:
            table.add_row(oq.question_public if public else oq.question_clinician,
                          Text(oq.disposition_if_yes, style=STYLE[oq.disposition_if_yes]))
        parts.append(table)
        rest = len(result.triage.open_questions) - len(shown)
        if rest > 0:
            parts.append(Text(f"{rest} further questions would make it less urgent than that (see --json).",
                              style="dim"))

    loc = Table(title="Where the problem most likely is", title_justify="left", expand=True)
    loc.add_column("Site", ratio=2)
    loc.add_column("Side", no_wrap=True)
    loc.add_column("P", justify="right", no_wrap=True)
    loc.add_column("For / against", ratio=3)
    for s in result.localization[:5]:
        why = "; ".join(s.supporting[:3])
        if s.against:
            why += ("  |  against: " if why else "against: ") + "; ".join(s.against[:2])
        loc.add_row(kb.label("sites", s.site, "public" if public else "clinician"), s.side or "-",
                    f"{s.probability:.0%}", why)
    parts.append(loc)

    dx = Table(title="What it may be", title_justify="left", expand=True)
    dx.add_column("Condition", ratio=2)
    dx.add_column("P", justify="right", no_wrap=True)
    dx.add_column("For", ratio=3)
    dx.add_column("Against", ratio=2)
    for c in result.differential[:6]:
        dx.add_row(kb.label("conditions", c.condition, "public" if public else "clinician"),
                   f"{c.probability:.0%}", "; ".join(c.supporting[:3]), "; ".join(c.against[:2]))
    parts.append(dx)
    if result.discriminators:
        parts.append(Text("What would settle it: ", style="bold")
                     + Text("\n".join(f"- {x.ask}" for x in result.discriminators)))
    for recs in (_recs("Tests and scans", result.investigations, public), _recs("Plan", result.plan, public)):
        if recs is not None:
            parts.append(recs)
    for exp in result.explanations:  # the plain-language explanation (a clinician can hand it on)
        body = "\n\n".join(f"[bold]{s.heading}[/bold]\n{s.text}" for s in exp.sections)
        srcs = sorted({src for s in exp.sections for src in s.sources})
        body += f"\n\n[dim]Sources: {', '.join(srcs)}[/dim]"
        parts.append(Panel(body, title=f"About: {exp.title}", title_align="left"))
    net = result.safety_net if public else result.safety_net_clinical
    if net:
        parts.append(Panel("\n".join(f"- {n}" for n in net), title="Get help fast if", title_align="left",
                           border_style="red"))
    parts.append(Text(f"Triage sources: {', '.join(result.triage.sources) or '-'}   "
                      f"Knowledge {result.knowledge_version} ({result.knowledge_hash})", style="dim"))
    return Group(*parts)
