"""The command line: exit codes and messages for validate, assess and kb check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PUBLIC_CASES
from radicula.cli import app

runner = CliRunner()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_public_cases_exit_0() -> None:
    result = runner.invoke(app, ["validate", *map(str, PUBLIC_CASES)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("reporter: self\nsensory: [{region: dorsum_fot, side: left, quality: numb}]", "sensory[0].region"),
        ("reporter: self\npresent: [saddle_numbnes]", "present[0]"),
        ("reporter: clinician\nmotor: [{action: hip_flexion, side: left, mrc: 9}]", "motor[0].mrc"),
        ("reporter: self\nduration_days: -1", "duration_days"),
        ("reporter: self\npresent: [fever]\nabsent: [fever]", "absent[0]"),
        ("reporter: self\nage: old", "age"),
        ("reporter: self\n  : [", "YAML"),
        ("", "empty"),
    ],
)
def test_validate_bad_input_exit_2_names_field(tmp_path: Path, text: str, field: str) -> None:
    path = _write(tmp_path, "bad.yaml", text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert field in result.output
    assert "Traceback" not in result.output


def test_validate_missing_file_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_assess_json_one_line_per_case_in_order_and_bad_file_reported(tmp_path: Path) -> None:
    good = PUBLIC_CASES[:3]
    bad = _write(tmp_path, "bad.yaml", "reporter: nobody")
    args = ["assess", "--json", str(good[0]), str(bad), str(good[1]), str(good[2])]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 3
    ids = [json.loads(line)["case_id"] for line in lines]
    assert ids == [p.stem for p in good]
    for line in lines:
        doc = json.loads(line)
        assert {"format", "case_id", "triage", "localization", "differential", "investigations", "plan",
                "safety_net"} <= doc.keys()
        assert doc["triage"]["disposition"] in {"EMERGENCY_NOW", "URGENT_SAME_DAY", "SOON", "ROUTINE", "SELF_CARE"}
    assert "reporter" in result.stderr


def test_assess_readable_view(tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(PUBLIC_CASES[0])])
    assert result.exit_code == 0, result.output
    assert "EMERGENCY_NOW" in result.output or "URGENT" in result.output or "SOON" in result.output \
        or "ROUTINE" in result.output or "SELF_CARE" in result.output


def test_kb_check_passes() -> None:
    result = runner.invoke(app, ["kb", "check"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("kb ok: ") and "sources" in last and "% expert_opinion" in last


def test_bench_last_line_has_the_figures() -> None:
    folder = PUBLIC_CASES[0].parent
    result = runner.invoke(app, ["bench", str(folder)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    for key in ("triage_exact=", "triage_safe=", "over_triage=", "emergencies_caught=", "site_top1=",
                "condition_top1=", "condition_top3=", "brier="):
        assert key in last


def test_bench_confusion_tables_agree_with_top1_figures() -> None:
    folder = PUBLIC_CASES[0].parent
    result = runner.invoke(app, ["bench", str(folder)])
    lines = result.output.strip().splitlines()
    figures = dict(item.split("=") for item in lines[-1].split())
    cases = int(figures["cases"])
    for what in ("site", "condition"):
        diagonal = next(line for line in lines if line.startswith(f"{what} top-1 correct on the diagonal: "))
        off = [line for line in lines if line.startswith(f"{what} confusion ")]
        correct = int(diagonal.rsplit(" ", 1)[1])
        assert correct + sum(int(line.rsplit(" ", 1)[1]) for line in off) == cases
        assert f"{correct / cases:.2f}" == figures[f"{what}_top1"]
