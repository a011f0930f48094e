"""The web chat page in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.responses import Responses
from bot.settings import PROJECT_ROOT
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")


@pytest.fixture
def page(browser: Browser, running_stack: RunningStack) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(running_stack.url + "/")
    yield page
    context.close()


def send(page: Page, text: str) -> None:
    page.get_by_label("Message").fill(text)
    page.get_by_label("Message").press("Enter")


def test_a_customer_chats_in_two_languages(page: Page, tmp_path: Path) -> None:
    send(page, "bonjour")
    bot = page.locator(".msg.bot")
    expect(bot.nth(0)).to_have_text(TEXTS.text("utter_greet", "fr"))
    send(page, "are you a real person?")
    expect(bot.nth(1)).to_have_text(TEXTS.text("utter_iamabot", "en"))
    expect(page.locator(".msg.user")).to_have_text(["bonjour", "are you a real person?"])
    page.screenshot(path=str(tmp_path / "chat.png"))


def test_the_browser_language_is_the_hint_for_a_first_emoji(page: Page) -> None:
    send(page, "👍")  # a thumbs-up reads as "yes": answered in French, the browser's language
    expect(page.locator(".msg.bot").nth(0)).to_have_text(TEXTS.text("utter_affirm", "fr"))


def test_markup_in_a_message_is_shown_as_text(page: Page) -> None:
    markup = "<b>ciao</b> <img src=x onerror=alert(1)>"
    send(page, markup)
    expect(page.locator(".msg.user").nth(0)).to_have_text(markup)
    expect(page.locator(".msg.bot")).to_have_count(1)
    assert page.locator(".msg img").count() == 0


def test_a_product_button_answers_about_that_product(page: Page) -> None:
    send(page, "combien coûte la carte ?")
    buttons = page.locator(".buttons button")
    expect(buttons).to_have_text(
        [
            TEXTS.text(f"utter_label_{p}", "fr")
            for p in ("debit_card", "credit_card", "prepaid_card")
        ]
    )
    buttons.nth(2).click()
    expect(page.locator(".msg.user").nth(1)).to_have_text(
        TEXTS.text("utter_label_prepaid_card", "fr")
    )
    expect(page.locator(".msg.bot").nth(1)).to_contain_text("Aurora Prepaid")
    expect(page.locator(".msg.bot").nth(1)).to_contain_text("5,00\u00a0€")
