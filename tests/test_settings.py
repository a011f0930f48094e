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
