"""The formal complaint: a short form (what happened, which product, how to answer) and the
ticket it leaves in the gateway's database, with its reference and legal due date.

Thin on purpose: deadlines and references come from bot.complaints, storage from bot.store.
The form asks for no sensitive data, and what it stores has been through the gateway's guard.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from actions.answers import label, mentioned_products
from actions.facts import PRODUCTS, catalogue, service_facts
from actions.turn import intent, language, text
from bot import store
from bot.complaints import PAYMENT, category_of, due_dates, find_reference
from bot.formatting import long_date

logger = logging.getLogger(__name__)

NO_PRODUCT = "none"
COMPLAINT_PRODUCTS = (*PRODUCTS, "transfers")
MIN_DESCRIPTION_WORDS = 3
TRANSCRIPT_TURNS = 30
_sessions: sessionmaker | None = None


def sessions() -> sessionmaker:
    """The gateway database's sessions (the gateway applies the migrations)."""
    global _sessions
    if _sessions is None:
        from bot.settings import Settings

        _sessions = store.session_factory(store.create_engine(Settings.from_env().database_url))
    return _sessions


def _entity(tracker: Tracker, name: str) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name:
            return str(entity.get("value"))
    return None


def _asked(tracker: Tracker, slot: str) -> bool:
    """The form asked for `slot` and the customer answered (did not say "cancel")."""
    return tracker.get_slot("requested_slot") == slot and intent(tracker) != "deny"


class ValidateComplaintForm(FormValidationAction):
    """Takes the customer's own words, then a product (button or name), then a channel."""

    def name(self) -> str:
        return "validate_complaint_form"

    async def extract_complaint_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        said = text(tracker).strip()
        if not _asked(tracker, "complaint_description") or said.startswith("/"):
            return {}
        return {"complaint_description": said}

    def validate_complaint_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: DomainDict
    ) -> dict[str, Any]:
        if len(str(value).split()) < MIN_DESCRIPTION_WORDS:
            dispatcher.utter_message(response="utter_complaint_too_short")
            return {"complaint_description": None}
        return {"complaint_description": value}

    async def extract_complaint_product(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not _asked(tracker, "complaint_product"):
            return {}
        products = [
            p for p in mentioned_products(tracker) if p in (*COMPLAINT_PRODUCTS, NO_PRODUCT)
        ]
        if products:
            return {"complaint_product": products[0]}
        said = text(tracker).strip()
        if said and not said.startswith("/"):  # told in words, not one of the products
            return {"complaint_product": NO_PRODUCT}
        return {}

    async def extract_complaint_reply_via(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = _entity(tracker, "reply_via")
        if not _asked(tracker, "complaint_reply_via") or choice not in ("chat", "contact"):
            return {}
        return {"complaint_reply_via": choice}


class ActionAskComplaintProduct(Action):
    """Which product: one button per product, transfers, and something else."""

    def name(self) -> str:
        return "action_ask_complaint_product"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        buttons = [
            {
                "title": label(domain, product, lang),
                "payload": f'/complain{{"product": "{product}"}}',
            }
            for product in (*COMPLAINT_PRODUCTS, "other")
        ]
        buttons[-1]["payload"] = f'/complain{{"product": "{NO_PRODUCT}"}}'
        dispatcher.utter_message(response="utter_ask_complaint_product", buttons=buttons)
        return []


class ActionFileComplaint(Action):
    """Records the ticket and tells the customer its reference, due date and ombudsman."""

    def name(self) -> str:
        return "action_file_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang, cat = language(tracker), catalogue()
        product = tracker.get_slot("complaint_product")
        product = None if product in (None, NO_PRODUCT) else str(product)
        category = category_of(cat, product)
        today = datetime.now(timezone.utc).astimezone(cat.timezone).date()
        dates = due_dates(cat, category, today)
        facts = service_facts(cat, lang)
        try:
            reference = await self._file(tracker, lang, product, category, today.year, dates)
        except SQLAlchemyError:
            logger.exception("complaint not recorded: database unavailable")
            dispatcher.utter_message(response="utter_complaint_not_filed", **facts)
            return _reset()
        dispatcher.utter_message(
            response="utter_complaint_filed_payment"
            if category == PAYMENT
            else "utter_complaint_filed",
            reference=reference,
            due_on=long_date(dates.due_on, lang),
            extended_on=long_date(dates.extended or dates.due_on, lang),
            **facts,
        )
        return _reset()

    async def _file(
        self, tracker: Tracker, lang: str, product: str | None, category: str, year: int, dates: Any
    ) -> str:
        channel, _, external_id = tracker.sender_id.partition(":")
        cat = catalogue()
        async with sessions()() as session, session.begin():
            conversation = await store.find_conversation(
                session, channel=channel, external_id=external_id
            )
            turns = (
                await store.recent_turns(
                    session, conversation_id=conversation.id, limit=TRANSCRIPT_TURNS
                )
                if conversation is not None
                else []
            )
            complaint = await store.add_complaint(
                session,
                prefix=cat.get("complaint_rules.reference_prefix"),
                year=year,
                conversation_id=conversation.id if conversation is not None else None,
                channel=channel or "unknown",
                language=lang,
                reason="complaint",
                product=product,
                category=category,
                description=str(tracker.get_slot("complaint_description") or ""),
                reply_via=str(tracker.get_slot("complaint_reply_via") or "chat"),
                transcript="\n".join(f"customer: {t.text}\nassistant: {t.reply}" for t in turns),
                due_on=dates.due_on,
                extended_due_on=dates.extended,
            )
            logger.info("complaint %s recorded (%s)", complaint.reference, category)
            return str(complaint.reference)


def _reset() -> list[EventType]:
    return [
        SlotSet(slot, None)
        for slot in ("complaint_description", "complaint_product", "complaint_reply_via")
    ]


async def complaint_status(reference_text: str, lang: str) -> tuple[str, dict[str, Any]] | None:
    """The status answer for a reference in the customer's message; None without one."""
    reference = find_reference(reference_text)
    if reference is None:
        return None
    facts = {**service_facts(catalogue(), lang), "reference": reference}
    async with sessions()() as session:
        complaint = await store.complaint_by_reference(session, reference=reference)
    if complaint is None:
        return "utter_complaint_status_unknown", facts
    facts["due_on"] = long_date(complaint.due_on, lang)
    return f"utter_complaint_status_{complaint.status}", facts
