"""Shared fixtures. The `stack` fixture trains the model (cached by Rasa's fingerprint)
and starts the three processes once per test session."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import requests

from bot.settings import PROJECT_ROOT, Settings
from bot.stack import Stack, train


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings of a gateway with its own SQLite database in a temporary folder."""
    return replace(
        Settings.from_env({}, dotenv=False),
        database_url=f"sqlite:///{tmp_path / 'gateway.db'}",
        tracker_db=tmp_path / "rasa_tracker.db",
    )


@dataclass
class RunningStack:
    url: str
    var_dir: Path
    settings: Settings
    stack: Stack

    def send(self, sender: str, message: object, **extra: object) -> requests.Response:
        body = {"sender": sender, "message": message, **extra}
        return requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=60)

    def say(self, sender: str, message: str) -> list[str]:
        """The texts the assistant answers to `message`."""
        response = self.send(sender, message)
        assert response.status_code == 200, response.text
        return [m["text"] for m in response.json() if m.get("text")]


def isolated_settings(var_dir: Path, **overrides: object) -> Settings:
    """Settings of a whole stack on free loopback ports with its databases in `var_dir`."""
    return replace(
        Settings.from_env({}, dotenv=False),
        port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        database_url=f"sqlite:///{var_dir / 'gateway.db'}",
        tracker_db=var_dir / "rasa_tracker.db",
        project_root=PROJECT_ROOT,
        **overrides,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    var_dir = tmp_path_factory.mktemp("var")
    catalogue = var_dir / "bank.yml"  # a copy the tests may edit while the stack runs
    shutil.copyfile(PROJECT_ROOT / "catalogue" / "bank.yml", catalogue)
    settings = isolated_settings(var_dir, catalogue=catalogue)
    model = train(settings, quiet=True)
    stack = Stack(settings, var_dir=var_dir, model=model)
    stack.start()
    try:
        yield RunningStack(stack.gateway_url, var_dir, settings, stack)
    finally:
        stack.stop()
