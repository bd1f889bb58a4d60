"""Edit rows of likelihoods.yaml from the command line and write it back in its canonical layout.

    uv run python scripts/kbrows.py set CONDITION FEATURE key=value ...   # add or change a row
    uv run python scripts/kbrows.py del CONDITION FEATURE                 # remove a row
    uv run python scripts/kbrows.py fmt                                   # rewrite in canonical layout

Values are parsed as YAML (so lists and numbers work: source=[suri2010] lr_present=2.0). The file's
opening comment block is kept; rows are grouped by condition in the order of the first occurrence.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

PATH = Path(__file__).resolve().parents[1] / "src/radicula/knowledge/data/likelihoods.yaml"
KEYS = ("feature", "condition", "lr_present", "lr_absent", "group", "source", "evidence", "unverified", "note")


def _load() -> tuple[str, list[dict[str, object]]]:
    text = PATH.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if line.startswith("likelihoods:"):
            break
        header.append(line)
    rows = yaml.safe_load(text)["likelihoods"]
    return "\n".join(header).rstrip() + "\n", rows


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _save(header: str, rows: list[dict[str, object]]) -> None:
    order: list[str] = []
    for row in rows:
        if row["condition"] not in order:
            order.append(str(row["condition"]))
    out = [header, "likelihoods:"]
    for cond in order:
        out.append(f"# {'=' * 76} {cond}")
        for row in rows:
            if row["condition"] != cond:
                continue
            parts = [f"{k}: {_scalar(row[k])}" for k in KEYS if k in row and row[k] is not None]
            out.append("- {" + ", ".join(parts) + "}")
    PATH.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    header, rows = _load()
    if argv[0] == "set":
        cond, feature, *pairs = argv[1:]
        fields = {k: yaml.safe_load(v) for k, v in (p.split("=", 1) for p in pairs)}
        for row in rows:
            if row["condition"] == cond and row["feature"] == feature:
                row.update(fields)
                for k in [k for k, v in row.items() if v is None]:
                    del row[k]
                break
        else:
            last = max((i for i, r in enumerate(rows) if r["condition"] == cond), default=len(rows) - 1)
            rows.insert(last + 1, {"feature": feature, "condition": cond, **fields})
    elif argv[0] == "del":
        cond, feature = argv[1:3]
        rows = [r for r in rows if not (r["condition"] == cond and r["feature"] == feature)]
    _save(header, rows)


if __name__ == "__main__":
    main(sys.argv[1:])
