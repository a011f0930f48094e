"""Answers from the bank's catalogue: products, service questions and financial education.

Thin on purpose: the response names and their placeholders come from actions.facts and
actions.products; the sentences are in domain.yml, one variation per language.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.facts import (
    catalogue,
    contact_status,
    education_facts,
    overview_facts,
    product_facts,
    service_facts,
)
from actions.products import Choice, resolve
from actions.turn import intent, language, text

PRODUCT_ANSWERS = {
    "ask_fees": "utter_fees",
    "ask_products": "utter_fees",  # "tell me about the credit card": its summary
    "ask_interest_rate": "utter_rate",
    "ask_open_product": "utter_open",
}
# Questions about one attribute of a product: "and its rate?" asks it of the last product.
ATTRIBUTES = ("ask_fees", "ask_interest_rate", "ask_open_product")
FOLLOW_UP = "ask_follow_up"  # "and the credit card?": the last question, for this product
OVERVIEWS = {
    None: "utter_products_overview",
    "account": "utter_products_accounts",
    "card": "utter_products_cards",
    "loan": "utter_products_loans",
}
logger = logging.getLogger(__name__)
SERVICE_ANSWERS = {
    "lost_stolen_card": "utter_lost_card",
    "report_fraud": "utter_report_fraud",
    "ask_transfer": "utter_transfer",
    "online_banking_help": "utter_online_banking_help",
    "ask_account_data": "utter_account_data",
    "ask_complaint_status": "utter_complaint_status",
}


def mentioned_products(tracker: Tracker) -> list[str]:
    entities = tracker.latest_message.get("entities") or []
    return [str(e.get("value")) for e in entities if e.get("entity") == "product"]


def now() -> datetime:
    return datetime.now(timezone.utc)


def label(domain: DomainDict, product: str, lang: str, prefix: str = "utter_label_") -> str:
    """The product's button title in `lang`, from the utter_label_<product> response."""
    for variation in domain.get("responses", {}).get(f"{prefix}{product}", []):
        for condition in variation.get("condition") or []:
            if condition.get("name") == "language" and condition.get("value") == lang:
                return str(variation.get("text"))
    return product.replace("_", " ")


def product_buttons(
    domain: DomainDict, asked: str, options: tuple[str, ...], lang: str
) -> list[dict[str, Any]]:
    """One button per product; its payload asks the same question about that product."""
    return [
        {"title": label(domain, p, lang), "payload": f"/{asked}{json.dumps({'product': p})}"}
        for p in options
    ]


class ActionAnswerProduct(Action):
    """Fees, rates, how to open, or the list of products; asks which product when unclear.

    Follow-ups carry the last question over: "and the credit card?" asks the previous
    question about the credit card, "and its rate?" asks the rate of the previous product.
    """

    def name(self) -> str:
        return "action_answer_product"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked, lang, cat = intent(tracker), language(tracker), catalogue()
        mentioned = mentioned_products(tracker)
        if asked == FOLLOW_UP:
            asked = str(tracker.get_slot("last_question") or FOLLOW_UP)
        elif not mentioned and asked in ATTRIBUTES and tracker.get_slot("last_product"):
            mentioned = [str(tracker.get_slot("last_product"))]
        asked = asked if asked in PRODUCT_ANSWERS or asked == FOLLOW_UP else "ask_products"
        choice = resolve(mentioned)
        if asked == FOLLOW_UP:  # a product, and nothing asked before: what about it?
            return self._ask_what_about(dispatcher, domain, choice, lang)
        if choice.product is None and asked == "ask_products":
            dispatcher.utter_message(response=OVERVIEWS[choice.family], **overview_facts(cat, lang))
        elif choice.product is None:
            dispatcher.utter_message(
                response="utter_ask_which_product",
                buttons=product_buttons(domain, asked, choice.options, lang),
            )
        else:
            dispatcher.utter_message(
                response=f"{PRODUCT_ANSWERS[asked]}_{choice.product}",
                **product_facts(cat, choice.product, lang),
            )
        remembered = [SlotSet("last_question", asked)]
        if choice.product is not None:
            remembered.append(SlotSet("last_product", choice.product))
        return remembered

    @staticmethod
    def _ask_what_about(
        dispatcher: CollectingDispatcher, domain: DomainDict, choice: Choice, lang: str
    ) -> list[EventType]:
        if choice.product is None:
            dispatcher.utter_message(
                response="utter_ask_which_product",
                buttons=product_buttons(domain, "ask_products", choice.options, lang),
            )
            return []
        product = json.dumps({"product": choice.product})
        dispatcher.utter_message(
            response="utter_ask_what_about_product",
            product_name=label(domain, choice.product, lang),
            buttons=[
                {
                    "title": label(domain, attribute, lang, prefix="utter_button_"),
                    "payload": f"/{attribute}{product}",
                }
                for attribute in ATTRIBUTES
            ],  # fmt: skip
        )
        return [SlotSet("last_product", choice.product)]


class ActionAnswerService(Action):
    """Contacts and hours, lost cards, fraud, transfers, online banking, account data."""

    def name(self) -> str:
        return "action_answer_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked, lang, cat = intent(tracker), language(tracker), catalogue()
        facts = service_facts(cat, lang)
        if asked == "ask_complaint_status" and await self._status(dispatcher, tracker, lang):
            return []
        if asked in SERVICE_ANSWERS:
            dispatcher.utter_message(response=SERVICE_ANSWERS[asked], **facts)
            return []
        response, status = contact_status(cat, now(), lang)
        dispatcher.utter_message(response=response, **status)
        if response != "utter_contact_details":
            dispatcher.utter_message(response="utter_contact_details", **facts)
        return []

    @staticmethod
    async def _status(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str) -> bool:
        """A complaint's status when the customer gave its reference."""
        from actions.complaints import complaint_status

        try:
            found = await complaint_status(text(tracker), lang)
        except SQLAlchemyError:
            logger.exception("complaint status unavailable: database unavailable")
            return False
        if found is None:
            return False
        response, facts = found
        dispatcher.utter_message(response=response, **facts)
        return True


class ActionExplain(Action):
    """A financial-education topic (edu_<topic> -> utter_edu_<topic>), quoting the catalogue."""

    def name(self) -> str:
        return "action_explain"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        topic = intent(tracker)
        response = f"utter_{topic}"
        if not topic.startswith("edu_") or response not in domain.get("responses", {}):
            response = "utter_default"
        dispatcher.utter_message(
            response=response, **education_facts(catalogue(), language(tracker))
        )
        return []
