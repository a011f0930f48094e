from __future__ import annotations

import pytest

from bot.errors import ConfigurationError
from bot.settings import Settings


def test_defaults_need_no_environment() -> None:
    settings = Settings.from_env({}, dotenv=False)
    assert settings.database_url.startswith("sqlite:///")
    assert settings.default_language == "it"


def test_reads_typed_values() -> None:
    settings = Settings.from_env(
        {"SPORTELLO_PORT": "9001", "SPORTELLO_RASA_TIMEOUT_SECONDS": "2.5"}, dotenv=False
    )
    assert (settings.port, settings.rasa_timeout_seconds) == (9001, 2.5)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("SPORTELLO_PORT", "eighty", "SPORTELLO_PORT='eighty' is not a valid int"),
        ("SPORTELLO_DEFAULT_LANGUAGE", "de", "SPORTELLO_DEFAULT_LANGUAGE must be one of"),
        ("SPORTELLO_MAX_MESSAGE_CHARS", "0", "SPORTELLO_MAX_MESSAGE_CHARS must be between"),
    ],
)
def test_fails_fast_naming_the_bad_setting(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings.from_env({variable: value}, dotenv=False)


TOKEN = "123456:ABC-def_ghi"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"SPORTELLO_TELEGRAM_TOKEN": "not a token"}, "does not look like a bot token"),
        (
            {"SPORTELLO_TELEGRAM_WEBHOOK_URL": "https://bank.example/tg"},
            "needs SPORTELLO_TELEGRAM_TOKEN",
        ),
        (
            {
                "SPORTELLO_TELEGRAM_TOKEN": TOKEN,
                "SPORTELLO_TELEGRAM_WEBHOOK_URL": "http://bank.example/tg",
            },
            "must be an https:// address",
        ),
        (
            {"SPORTELLO_TELEGRAM_TOKEN": TOKEN, "SPORTELLO_TELEGRAM_SECRET": "with spaces"},
            "SPORTELLO_TELEGRAM_SECRET must be",
        ),
    ],
)
def test_telegram_settings_fail_fast(values: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings.from_env(values, dotenv=False)


def test_the_webhook_secret_is_derived_from_the_token_unless_set() -> None:
    derived = Settings.from_env({"SPORTELLO_TELEGRAM_TOKEN": TOKEN}, dotenv=False)
    other = Settings.from_env({"SPORTELLO_TELEGRAM_TOKEN": TOKEN + "x"}, dotenv=False)
    chosen = Settings.from_env(
        {"SPORTELLO_TELEGRAM_TOKEN": TOKEN, "SPORTELLO_TELEGRAM_SECRET": "mine"}, dotenv=False
    )
    assert derived.telegram_webhook_secret != other.telegram_webhook_secret
    assert TOKEN not in derived.telegram_webhook_secret
    assert chosen.telegram_webhook_secret == "mine"
    assert TOKEN not in repr(derived)  # settings may be logged; the token never is


def test_the_agent_page_needs_a_token_beyond_this_machine() -> None:
    with pytest.raises(ConfigurationError, match="SPORTELLO_AGENT_TOKEN must be set"):
        Settings.from_env({"SPORTELLO_HOST": "0.0.0.0"}, dotenv=False)
    settings = Settings.from_env(
        {"SPORTELLO_HOST": "0.0.0.0", "SPORTELLO_AGENT_TOKEN": "long-secret"}, dotenv=False
    )
    assert "long-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SPORTELLO_HANDOVER_FRUSTRATION", "0"), ("SPORTELLO_HANDOVER_REPEATS", "1"),
     ("SPORTELLO_HANDOVER_WAIT_MINUTES", "0")],
)  # fmt: skip
def test_handover_thresholds_fail_fast(variable: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match="SPORTELLO_HANDOVER"):
        Settings.from_env({variable: value}, dotenv=False)
