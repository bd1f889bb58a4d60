"""The ``radicula`` command line (Typer + Rich). It only translates: files in, engine call, text out.

Exit codes: 0 success; 1 the knowledge base failed its checks; 2 bad input (invalid case files,
unknown options).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from radicula.case import Case, load_case
from radicula.errors import CaseError, KnowledgeError

app = typer.Typer(
    name="radicula",
    help="Clinical decision support for leg numbness: where the lesion is, what it may be, how urgent.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
kb_app = typer.Typer(help="Inspect and check the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

FilesArg = Annotated[list[Path], typer.Argument(help="Case files (YAML or JSON).", show_default=False)]


def _report_case_error(exc: CaseError) -> None:
    err.print(f"[bold red]invalid case[/] {exc}", markup=True, highlight=False)


@kb_app.command("check")
def kb_check() -> None:
    """Load and cross-check the whole knowledge base; list every problem or print a summary."""
    from radicula.knowledge.check import check_knowledge
    from radicula.knowledge.loader import read_knowledge

    kb, problems = read_knowledge()
    report = check_knowledge(kb) if kb is not None else None
    if report is not None:
        problems = problems + report.problems
    if problems:
        for problem in problems:
            out.print(f"[red]problem[/] {problem}", markup=True)
        out.print(f"kb failed: {len(problems)} problems")
        raise typer.Exit(1)
    assert report is not None and kb is not None
    for line in report.summary:
        out.print(line)
    out.print(f"knowledge version {kb.version}, content hash {kb.content_hash}")
    out.print(
        f"kb ok: {report.rows} rows, {report.sources_used} sources, "
        f"{report.expert_opinion_percent:.0f}% expert_opinion"
    )


@app.command()
def validate(files: FilesArg) -> None:
    """Check case files against the case format; exit 2 if any is invalid."""
    bad = 0
    for path in files:
        try:
            load_case(path)
        except CaseError as exc:
            bad += 1
            _report_case_error(exc)
        else:
            out.print(f"[green]ok[/] {path}", markup=True)
    if bad:
        err.print(f"{bad} of {len(files)} files invalid")
        raise typer.Exit(2)


def load_cases(files: list[Path]) -> tuple[list[tuple[Path, Case]], int]:
    """Load every file, reporting bad ones on stderr; return the good cases and the bad count."""
    good: list[tuple[Path, Case]] = []
    bad = 0
    for path in files:
        try:
            good.append((path, load_case(path)))
        except CaseError as exc:
            bad += 1
            _report_case_error(exc)
    return good, bad


def main() -> None:
    """Entry point: run the app, turning a broken knowledge base into exit code 1, never a traceback."""
    try:
        app()
    except KnowledgeError as exc:
        err.print(str(exc))
        sys.exit(1)


__all__ = ["app", "main"]
