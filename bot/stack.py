"""Trains the model when the data changed and runs the three processes of the assistant.

    Rasa action server (actions/)   127.0.0.1:<action_port>
    Rasa server (the model)         127.0.0.1:<rasa_port>
    gateway (bot/)                  <host>:<port>   the only door customers reach

Used by `python -m bot run` and by the integration tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.errors import SportelloError
from bot.settings import Settings

MODEL_NAME = "sportello"
STOP_GRACE_SECONDS = 15


@dataclass
class _Process:
    name: str
    popen: subprocess.Popen
    health_url: str
    log_path: Path


class StackError(SportelloError):
    """A process of the stack failed to start or stopped unexpectedly."""


def environment(settings: Settings) -> dict[str, str]:
    """Environment of the child processes: settings as SPORTELLO_* variables."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(settings.project_root), env.get("PYTHONPATH")])
        ),
        SANIC_HOST="127.0.0.1",  # the action server listens on loopback only
        SPORTELLO_ACTION_PORT=str(settings.action_port),
        SPORTELLO_TRACKER_DB=str(settings.tracker_db),
        SPORTELLO_RETENTION_DAYS=str(settings.retention_days),
        SPORTELLO_DATABASE_URL=settings.database_url,
        SPORTELLO_HOST=settings.host,
        SPORTELLO_PORT=str(settings.port),
        SPORTELLO_RASA_URL=f"http://127.0.0.1:{settings.rasa_port}",
        SPORTELLO_DEFAULT_LANGUAGE=settings.default_language,
        SPORTELLO_MAX_MESSAGE_CHARS=str(settings.max_message_chars),
        SPORTELLO_CATALOGUE=str(settings.catalogue),
        # Always set, even empty, so that a developer's .env cannot switch Telegram on in a
        # stack started with other settings (python-dotenv never overrides a set variable).
        SPORTELLO_TELEGRAM_TOKEN=settings.telegram_token,
        SPORTELLO_TELEGRAM_WEBHOOK_URL=settings.telegram_webhook_url,
        SPORTELLO_TELEGRAM_SECRET=settings.telegram_secret,
        SPORTELLO_TELEGRAM_API_URL=settings.telegram_api_url,
        SPORTELLO_TELEGRAM_AGENTS_CHAT_ID=str(settings.telegram_agents_chat_id),
        SPORTELLO_HANDOVER_FRUSTRATION=str(settings.handover_frustration),
        SPORTELLO_HANDOVER_FALLBACKS=str(settings.handover_fallbacks),
        SPORTELLO_HANDOVER_REPEATS=str(settings.handover_repeats),
        SPORTELLO_HANDOVER_UNSURE_CONFIDENCE=str(settings.handover_unsure_confidence),
        SPORTELLO_HANDOVER_WAIT_MINUTES=str(settings.handover_wait_minutes),
        SPORTELLO_HANDOVER_MINUTES_PER_CUSTOMER=str(settings.handover_minutes_per_customer),
        SPORTELLO_AGENT_TOKEN=settings.agent_token,
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def train(settings: Settings, *, quiet: bool = False) -> Path:
    """Trains the model, or keeps the current one when data and config are unchanged.

    Rasa's fingerprinting decides: a second run with the same data does not retrain.
    """
    root = settings.project_root
    command = [
        _venv_binary("rasa"),
        "train",
        "--config",
        str(root / "config.yml"),
        "--domain",
        str(root / "domain.yml"),
        "--data",
        str(root / "data"),
        "--out",
        str(root / "models"),
        "--fixed-model-name",
        MODEL_NAME,
    ]
    output = subprocess.DEVNULL if quiet else None
    completed = subprocess.run(
        command,
        cwd=root,
        env=environment(settings),
        stdout=output,
        stderr=output,
        check=False,
    )
    if completed.returncode != 0:
        raise StackError(f"training failed (exit code {completed.returncode})")
    return root / "models" / f"{MODEL_NAME}.tar.gz"


class Stack:
    """The three processes, started in order and stopped together."""

    def __init__(self, settings: Settings, *, var_dir: Path, model: Path) -> None:
        self._settings = settings
        self._var = var_dir
        self._model = model
        self._processes: list[_Process] = []

    @property
    def gateway_url(self) -> str:
        return f"http://{self._settings.host}:{self._settings.port}"

    def start(self, progress: Callable[[str], None] = lambda _: None, timeout: float = 180) -> None:
        """Starts the action server, Rasa and the gateway, and waits until each answers."""
        (self._var / "log").mkdir(parents=True, exist_ok=True)
        env = environment(self._settings)
        root = self._settings.project_root
        s = self._settings
        self._spawn(
            "action server",
            [
                _venv_binary("python"),
                "-m",
                "rasa_sdk",
                "--actions",
                "actions",
                "--port",
                str(s.action_port),
            ],
            f"http://127.0.0.1:{s.action_port}/health",
            env,
        )
        self._spawn(
            "Rasa server",
            [
                _venv_binary("rasa"),
                "run",
                "--model",
                str(self._model),
                "--endpoints",
                str(root / "endpoints.yml"),
                "--credentials",
                str(root / "credentials.yml"),
                "--interface",
                "127.0.0.1",
                "--port",
                str(s.rasa_port),
            ],
            f"http://127.0.0.1:{s.rasa_port}/webhooks/gateway/",
            env,
        )
        self._spawn(
            "gateway",
            [_venv_binary("python"), "-m", "bot", "serve"],
            f"{self.gateway_url}/health",
            env,
        )
        deadline = time.monotonic() + timeout
        for process in self._processes:
            progress(f"waiting for the {process.name}")
            self._wait_until_ready(process, deadline)

    def check_alive(self) -> None:
        """Raises StackError naming the first process that stopped."""
        for process in self._processes:
            if process.popen.poll() is not None:
                raise StackError(
                    f"the {process.name} stopped (exit code {process.popen.returncode}); "
                    f"see {process.log_path}"
                )

    def stop(self) -> None:
        """Stops every process: SIGTERM, then SIGKILL after a grace period."""
        for process in reversed(self._processes):
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in reversed(self._processes):
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()
        self._processes.clear()

    def _spawn(self, name: str, command: list[str], health_url: str, env: dict[str, str]) -> None:
        log_path = self._var / "log" / f"{name.split()[0].lower()}.log"
        with log_path.open("ab") as log:
            popen = subprocess.Popen(
                command,
                cwd=self._settings.project_root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops the rest
            )
        self._processes.append(_Process(name, popen, health_url, log_path))

    def _wait_until_ready(self, process: _Process, deadline: float) -> None:
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with urllib.request.urlopen(process.health_url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise StackError(f"the {process.name} did not answer in time; see {process.log_path}")


def _venv_binary(name: str) -> str:
    """A program of the running interpreter's environment (the project's .venv)."""
    if name == "python":
        return sys.executable
    return str(Path(sys.executable).with_name(name))
