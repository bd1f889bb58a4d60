"""The ``radicula`` command line (Typer + Rich). It only translates: files in, engine call, text out.

Exit codes: 0 success; 1 the knowledge base failed its checks; 2 bad input (invalid case files,
unknown options).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from radicula.case import Case, load_case, parse_case_text
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

out = Console(highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

FilesArg = Annotated[list[Path], typer.Argument(help="Case files (YAML or JSON).", show_default=False)]


def _line(text: str) -> None:
    """A machine-readable line (figures, summaries): written as is, never wrapped."""
    sys.stdout.write(text + "\n")


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
    _line(
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


@app.command()
def assess(
    files: FilesArg,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per case, one line each.")] = False,
) -> None:
    """Assess case files: triage, localisation, differential, investigations, plan and safety net."""
    from radicula.engine.assess import assess_case
    from radicula.knowledge.loader import load_knowledge
    from radicula.render import render

    kb = load_knowledge()
    bad = 0
    for path in files:  # input order is kept; a bad file does not stop the others
        try:
            case = load_case(path)
        except CaseError as exc:
            bad += 1
            _report_case_error(exc)
            continue
        result = assess_case(case, kb)
        if as_json:
            sys.stdout.write(json.dumps(result.to_spec_json(), ensure_ascii=False) + "\n")
        else:
            out.print(render(result, kb, str(path)))
    if bad:
        raise typer.Exit(2)


def _case_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        err.print(f"{folder}: no such folder")
        raise typer.Exit(2)
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".yaml", ".yml", ".json"))


@app.command()
def bench(
    case_dir: Annotated[Path, typer.Argument(help="Folder of case files with 'expected' blocks.")],
    speed: Annotated[bool, typer.Option("--speed", help="Measure engine throughput and peak memory.")] = False,
    seconds: Annotated[float, typer.Option(help="Minimum seconds per speed measurement.")] = 2.0,
) -> None:
    """Run every case with 'expected' and print accuracy figures (or, with --speed, throughput)."""
    from radicula import bench as benchmod
    from radicula.engine.assess import assess_case
    from radicula.knowledge.loader import load_knowledge

    kb = load_knowledge()
    paths = _case_files(case_dir)
    if speed:
        texts = [(p.name, p.read_text(encoding="utf-8")) for p in paths]
        good: list[tuple[str, str]] = []
        for name, text in texts:
            try:
                parse_case_text(text, name, "json" if name.endswith(".json") else "yaml")
                good.append((name, text))
            except CaseError as exc:
                _report_case_error(exc)
        result = benchmod.speed(good, kb, min_seconds=seconds)
        out.print(f"{result.cases} cases, engine only (parsing excluded), one process, one core")
        _line(result.last_line())
        return
    cases, bad = load_cases(paths)
    pairs = [(case, assess_case(case, kb)) for _, case in cases]
    scores = benchmod.score(pairs)
    for miss in scores.misses:
        _line(f"{miss.what} {miss.case_id}: expected {miss.expected}, got {miss.got}")
    _print_confusion("site", scores.site_confusion)
    _print_confusion("condition", scores.confusion)
    if bad:
        _line(f"{bad} invalid case files skipped")
    _line(scores.last_line())


def _print_confusion(what: str, table: Counter[tuple[str, str]]) -> None:
    """Off-diagonal cells of a confusion table, then the count on the diagonal."""
    for (expected, got), count in sorted(table.items()):
        if expected != got:
            _line(f"{what} confusion {expected} -> {got}: {count}")
    _line(f"{what} top-1 correct on the diagonal: {sum(v for k, v in table.items() if k[0] == k[1])}")


def main() -> None:
    """Entry point: run the app, turning a broken knowledge base into exit code 1, never a traceback."""
    try:
        app()
    except KnowledgeError as exc:
        err.print(str(exc))
        sys.exit(1)


__all__ = ["app", "main"]
