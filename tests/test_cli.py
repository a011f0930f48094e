"""The privacy commands of `python -m bot`, run as an operator would."""

from __future__ import annotations

import os
import sqlite3
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


def test_forgetting_a_telegram_user_also_erases_their_group_conversations(tmp_path: Path) -> None:
    database = tmp_path / "gateway.db"
    store.upgrade(f"sqlite:///{database}")
    rows = [("telegram", "42"), ("telegram_group", "-1001:42"), ("telegram_group", "-1002:42"),
            ("telegram_group", "-1001:421"), ("telegram", "421")]  # fmt: skip
    with sqlite3.connect(database) as connection:
        for channel, external_id in rows:
            connection.execute(
                "insert into conversations (channel, external_id, created_at, updated_at)"
                " values (?, ?, '2026-11-01', '2026-11-01')",
                (channel, external_id),
            )
    assert "3 conversations" in run(tmp_path, "forget", "telegram", "42")
    with sqlite3.connect(database) as connection:
        left = sorted(connection.execute("select channel, external_id from conversations"))
    assert left == [("telegram", "421"), ("telegram_group", "-1001:421")]
