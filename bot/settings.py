"""One typed settings object, built once at start-up from the environment and `.env`."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bot.errors import ConfigurationError
from bot.language import LANGUAGES

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything the gateway and the run command can be configured with.

    Each field is read from the environment variable `SPORTELLO_<FIELD>` (upper case).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'gateway.db'}"
    tracker_db: Path = PROJECT_ROOT / "var" / "rasa_tracker.db"  # Rasa's SQLite tracker store
    retention_days: int = 90  # transcripts older than this are purged every day
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_port: int = 5005
    action_port: int = 5055
    rasa_timeout_seconds: float = 30.0
    default_language: str = "it"
    max_message_chars: int = 4096
    log_level: str = "INFO"
    catalogue: Path = PROJECT_ROOT / "catalogue" / "bank.yml"  # read again whenever it changes
    # Telegram: off without a token (from @BotFather). Long polling unless a public webhook
    # URL is set; the gateway then serves POST /webhooks/telegram itself.
    telegram_token: str = field(default="", repr=False)
    telegram_webhook_url: str = ""
    telegram_secret: str = field(default="", repr=False)  # derived from the token if unset
    telegram_api_url: str = "https://api.telegram.org/bot"
    # The agents' room: a Telegram supergroup with topics, by id (e.g. -1001234567890).
    telegram_agents_chat_id: int = 0
    # Handover to people (bot/handover/): when to escalate and how long a queue may take.
    handover_frustration: float = 3.0  # weak-signal score that escalates
    handover_fallbacks: int = 2  # "I didn't understand" in a row that escalate
    handover_repeats: int = 3  # the same question this many times escalates
    # Below this confidence an answer counts as not understood, like a fallback (0: off).
    handover_unsure_confidence: float = 0.0
    handover_wait_minutes: int = 10  # then the customer is offered the phone or a complaint
    handover_minutes_per_customer: float = 6.0  # for the wait estimate, until measured
    agent_token: str = field(default="", repr=False)  # the agent page's password
    project_root: Path = PROJECT_ROOT

    @property
    def domain_path(self) -> Path:
        return self.project_root / "domain.yml"

    @property
    def tracker_url(self) -> str:
        return f"sqlite:///{self.tracker_db}"

    @property
    def nlu_dir(self) -> Path:
        return self.project_root / "data" / "nlu"

    @property
    def telegram_webhook_secret(self) -> str:
        """The secret_token Telegram sends with every webhook request."""
        if self.telegram_secret:
            return self.telegram_secret
        seed = f"sportello-telegram-webhook:{self.telegram_token}".encode()
        return hashlib.sha256(seed).hexdigest()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
        """Reads `SPORTELLO_*` variables (and `.env` in the project root unless told not to)."""
        if dotenv and environ is None:
            from dotenv import load_dotenv

            load_dotenv(PROJECT_ROOT / ".env", override=False)
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, spec in cls.__dataclass_fields__.items():
            raw = env.get(f"SPORTELLO_{name.upper()}")
            if raw is None or raw == "":
                continue
            values[name] = _convert(name, raw, spec.type)
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        """Fails fast, naming the bad setting."""
        if self.default_language not in LANGUAGES:
            raise ConfigurationError(
                f"SPORTELLO_DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}, "
                f"not {self.default_language!r}"
            )
        if not 1 <= self.max_message_chars <= 100_000:
            raise ConfigurationError("SPORTELLO_MAX_MESSAGE_CHARS must be between 1 and 100000")
        if self.retention_days < 1:
            raise ConfigurationError("SPORTELLO_RETENTION_DAYS must be at least 1")
        if self.rasa_timeout_seconds <= 0:
            raise ConfigurationError("SPORTELLO_RASA_TIMEOUT_SECONDS must be positive")
        self._validate_telegram()
        self._validate_handover()

    def _validate_handover(self) -> None:
        if self.handover_frustration <= 0:
            raise ConfigurationError("SPORTELLO_HANDOVER_FRUSTRATION must be positive")
        if self.handover_fallbacks < 1 or self.handover_repeats < 2:
            raise ConfigurationError(
                "SPORTELLO_HANDOVER_FALLBACKS must be at least 1 and SPORTELLO_HANDOVER_REPEATS "
                "at least 2"
            )
        if self.handover_wait_minutes < 1 or self.handover_minutes_per_customer <= 0:
            raise ConfigurationError(
                "SPORTELLO_HANDOVER_WAIT_MINUTES and SPORTELLO_HANDOVER_MINUTES_PER_CUSTOMER "
                "must be positive"
            )
        loopback = self.host in {"127.0.0.1", "localhost", "::1"}
        if not loopback and not self.agent_token:
            raise ConfigurationError(
                "SPORTELLO_AGENT_TOKEN must be set when the gateway listens beyond this machine "
                f"(SPORTELLO_HOST={self.host}): it protects the agent page"
            )

    def _validate_telegram(self) -> None:
        if self.telegram_token and not _TELEGRAM_TOKEN.fullmatch(self.telegram_token):
            raise ConfigurationError(
                "SPORTELLO_TELEGRAM_TOKEN does not look like a bot token from @BotFather "
                "(digits, a colon, then letters, digits, '_' or '-')"
            )
        if self.telegram_secret and not _WEBHOOK_SECRET.fullmatch(self.telegram_secret):
            raise ConfigurationError(
                "SPORTELLO_TELEGRAM_SECRET must be 1-256 characters: letters, digits, '_' or '-'"
            )
        if self.telegram_webhook_url:
            if not self.telegram_token:
                raise ConfigurationError(
                    "SPORTELLO_TELEGRAM_WEBHOOK_URL needs SPORTELLO_TELEGRAM_TOKEN"
                )
            url = urlsplit(self.telegram_webhook_url)
            local = url.hostname in {"127.0.0.1", "localhost", "::1"}
            if not url.hostname or (url.scheme != "https" and not (local and url.scheme == "http")):
                raise ConfigurationError(
                    "SPORTELLO_TELEGRAM_WEBHOOK_URL must be an https:// address Telegram can reach"
                )


_TELEGRAM_TOKEN = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{1,100}")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _convert(name: str, raw: str, annotation: object) -> object:
    kind = str(annotation)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw)
    except ValueError as error:
        raise ConfigurationError(
            f"SPORTELLO_{name.upper()}={raw!r} is not a valid {kind}"
        ) from error
    return raw
