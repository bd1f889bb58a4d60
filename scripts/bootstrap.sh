#!/usr/bin/env bash
# Shared set-up for a fresh machine: make sure uv exists, then install the project and its
# development tools into .venv from the lock file. Sourced by scripts/run and scripts/test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON_DOWNLOADS=never          # use the machine's Python; never download one
if ! command -v uv >/dev/null 2>&1; then
  echo "uv not found: installing it from PyPI" >&2
  python3 -m pip install --quiet uv || python3 -m pip install --quiet --user uv
  export PATH="$HOME/.local/bin:$PATH"
fi
uv sync --quiet --frozen
