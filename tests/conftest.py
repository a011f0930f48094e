"""Shared fixtures. The `stack` fixture trains the model (cached by Rasa's fingerprint)
and starts the three processes once per test session."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server (Debian's, installed by scripts/install-test-deps.sh),
    started for the test session on a free loopback port; its database's URL."""
    import glob
    import os
    import pwd
    import subprocess

    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    assert binaries, "PostgreSQL is missing: scripts/install-test-deps.sh installs it"
    bin_dir = Path(binaries[-1])
    import tempfile

    # Not under pytest's own temporary folder, which only root may enter.
    root = Path(tempfile.mkdtemp(prefix="sportello-postgres-"))
    data, socket_dir, port = root / "data", root / "socket", free_port()
    socket_dir.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: use its own system user
        owner = pwd.getpwnam("postgres")
        for path in (root, socket_dir):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, cwd=root)

    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "sportello", "-E", "UTF8")
    options = f"-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(root / "log"),
        "-w",
        "start",
    )
    try:
        run(
            str(bin_dir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "sportello",
            "sportello",
        )
        yield f"postgresql://sportello@127.0.0.1:{port}/sportello"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty gateway database on each backend the gateway supports (a new one per test)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gateway.db'}"
    import uuid

    import psycopg2

    server = request.getfixturevalue("postgres_url")
    name = f"test_{uuid.uuid4().hex[:12]}"
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return server.rsplit("/", 1)[0] + "/" + name


# Debian's Chromium, headless, without its background connections (the machine is offline).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (scripts/install-test-deps.sh installs it)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: scripts/install-test-deps.sh installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
