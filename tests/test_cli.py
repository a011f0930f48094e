"""The privacy commands of `python -m bot`, run as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot import store
from bot.settings import PROJECT_ROOT


def run(tmp_path: Path, *args: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "SPORTELLO_DATABASE_URL": f"sqlite:///{tmp_path / 'gateway.db'}",
        "SPORTELLO_TRACKER_DB": str(tmp_path / "rasa_tracker.db"),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=tmp_path,
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return completed.stdout


def test_purge_forget_and_incidents_on_an_empty_installation(tmp_path: Path) -> None:
    store.upgrade(f"sqlite:///{tmp_path / 'gateway.db'}")
    assert "0 turns, 0 conversations, 0 Rasa events" in run(tmp_path, "purge", "--days", "30")
    assert "0 conversations, 0 turns, 0 Rasa events" in run(tmp_path, "forget", "web", "alice")
    assert run(tmp_path, "incidents").splitlines()[-1].split() == ["total", "0"]
