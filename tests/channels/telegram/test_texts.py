"""The gateway's own texts exist in domain.yml in every language, within Telegram's limits."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.channels.telegram._channel import MENU
from bot.language import LANGUAGES
from bot.pipeline import PRIVATE_TOPICS
from bot.responses import Responses
from bot.settings import PROJECT_ROOT

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
SOURCES = [PROJECT_ROOT / "bot" / "pipeline.py", *(PROJECT_ROOT / "bot" / "channels").rglob("*.py")]
NAMED = sorted(
    {name for path in SOURCES for name in re.findall(r'"(utter_[a-z_]+)"', path.read_text())}
)


def test_the_sources_name_the_responses_they_use() -> None:
    assert "utter_no_pictures" in NAMED and "utter_continue_in_private" in NAMED


@pytest.mark.parametrize("name", NAMED)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_response_the_gateway_sends_exists_in_every_language(
    name: str, language: str
) -> None:
    assert TEXTS.text(name, language).strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_command_descriptions_and_alerts_fit_telegrams_limits(language: str) -> None:
    for command in MENU:
        assert 1 <= len(TEXTS.text(f"utter_command_{command}", language)) <= 256
    assert len(TEXTS.text("utter_button_expired", language)) <= 200  # answerCallbackQuery


def test_the_private_topics_are_intents_of_the_domain() -> None:
    assert set(PRIVATE_TOPICS) <= set(DOMAIN["intents"])
    assert all(
        re.fullmatch(r"[A-Za-z0-9_-]{1,64}", topic) for topic in PRIVATE_TOPICS
    )  # deep links


def test_the_language_menu_offers_every_language_in_every_language() -> None:
    for language in LANGUAGES:
        message = TEXTS.message("utter_choose_language", language)
        payloads = [b["payload"] for b in message["buttons"]]
        assert payloads == [f'/choose_language{{"language": "{code}"}}' for code in LANGUAGES]
        assert all(len(p.encode()) <= 64 for p in payloads)  # Telegram's callback data
