#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned dependencies.
# Re-running is cheap: it reinstalls only when requirements.lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.requirements.sha256"

find_python() {
    local candidates=()
    [ -n "${SPORTELLO_PYTHON:-}" ] && candidates+=("$SPORTELLO_PYTHON")
    if command -v pyenv >/dev/null 2>&1; then
        local root; root=$(pyenv root)
        for dir in "$root"/versions/3.10.*; do
            [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
        done
    fi
    for dir in "$HOME"/.pyenv/versions/3.10.*; do
        [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
    done
    command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
    for python in "${candidates[@]}"; do
        if "$python" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
            echo "$python"; return 0
        fi
    done
    return 1
}

if [ ! -x "$VENV/bin/python" ]; then
    if ! python=$(find_python); then
        cat >&2 <<'MSG'
Sportello needs Python 3.10 (Rasa 3.6 runs below 3.11, python-telegram-bot 22 needs 3.10+).
None was found. Install one of:
  - pyenv:   pyenv install 3.10.13
  - Debian:  apt-get install python3.10 python3.10-venv   (where your release ships it)
or point SPORTELLO_PYTHON at a Python 3.10 interpreter.
MSG
        exit 1
    fi
    echo "==> Creating $VENV with $python"
    "$python" -m venv "$VENV"
fi

wanted=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]; then
    echo "==> Installing pinned dependencies (first time: about 3 minutes)"
    "$VENV/bin/python" -m pip install --quiet --upgrade "pip==24.0"
    # pip's own progress, without the per-file noise; a pip failure still stops the script.
    "$VENV/bin/python" -m pip install -r requirements.lock 2>&1 \
        | { grep --line-buffered -E "^(Collecting|Installing|Successfully|ERROR)" || true; }
    echo "$wanted" > "$STAMP"
fi
