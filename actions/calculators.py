"""The loan and savings calculators: two Rasa forms, their validation and their answers.

Thin on purpose: numbers come from actions.numbers, maths from actions.finance, formatting
from bot.formatting, default rates from the bank's catalogue.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import finance
from actions.facts import catalogue
from actions.numbers import (
    foreign_currency,
    mentions_lump_sum,
    parse_amount,
    parse_bare_number,
    parse_duration_months,
    parse_rate,
)
from actions.turn import language, text
from bot.formatting import money, percent

AMOUNT_RANGE = (Decimal(100), Decimal(10_000_000))
RATE_RANGE = (Decimal(0), Decimal(30))
MONTHS_RANGE = (1, 480)
# A bare number given as a duration: up to this many it means years, above it months.
MAX_BARE_YEARS = 40

LOAN_SLOTS = ("loan_amount", "loan_rate", "loan_months")
FOREIGN_CURRENCY = "currency:"  # an amount slot's value for an amount in another currency
SAVINGS_SLOTS = ("savings_amount", "savings_rate", "savings_months", "savings_lump_sum")


def asked(tracker: Tracker, slot: str) -> bool:
    return bool(tracker.get_slot("requested_slot") == slot)


def extract_amount(tracker: Tracker, slot: str) -> dict[str, Any]:
    if tracker.get_slot(slot) is not None and not asked(tracker, slot):
        return {}
    value = parse_amount(text(tracker))
    if value is None:
        return {}
    currency = foreign_currency(text(tracker))
    return {slot: f"{FOREIGN_CURRENCY}{currency}" if currency else str(value)}


def extract_rate(tracker: Tracker, slot: str, default: Decimal) -> dict[str, Any]:
    value = parse_rate(text(tracker))
    if value is None and asked(tracker, slot):
        value = parse_bare_number(text(tracker))
    if value is not None:
        return {slot: str(value)}
    if tracker.get_slot(slot) is None:
        return {slot: str(default)}  # the catalogue's rate when the customer gives none
    return {}


def extract_months(tracker: Tracker, slot: str) -> dict[str, Any]:
    months = parse_duration_months(text(tracker))
    if months is None and asked(tracker, slot):
        bare = parse_bare_number(text(tracker))
        if bare is not None and bare == int(bare):
            months = int(bare) * 12 if bare <= MAX_BARE_YEARS else int(bare)
    return {slot: months} if months is not None else {}


def within(value: Any, bounds: tuple[Any, Any], kind: type = Decimal) -> Any | None:
    try:
        number = kind(value)
    except (ArithmeticError, TypeError, ValueError):
        return None
    return number if bounds[0] <= number <= bounds[1] else None


def checked(
    slot: str, value: Any, bounds: tuple[Any, Any], kind: type, response: str,
    dispatcher: CollectingDispatcher,
) -> dict[str, Any]:  # fmt: skip
    """The slot's value if within bounds; otherwise the localised re-ask and an empty slot."""
    if isinstance(value, str) and value.startswith(FOREIGN_CURRENCY):
        # An amount in złoty or dollars is never taken for euros: say so, and ask again.
        dispatcher.utter_message(
            response="utter_amount_in_euros", currency=value.removeprefix(FOREIGN_CURRENCY)
        )
        return {slot: None}
    number = within(value, bounds, kind)
    if number is None:
        dispatcher.utter_message(response=response)
        return {slot: None}
    return {slot: str(number) if kind is Decimal else number}


# rasa_sdk calls `extract_<slot>` and `validate_<slot>` on the validation actions; both
# calculators ask for an amount, a rate and a duration, so their methods are made here.
Extractor = Callable[[Any, CollectingDispatcher, Tracker, DomainDict], Awaitable[dict[str, Any]]]
Validator = Callable[[Any, Any, CollectingDispatcher, Tracker, DomainDict], dict[str, Any]]


def amount_extractor(slot: str) -> Extractor:
    async def extract(
        self: Any, d: CollectingDispatcher, tracker: Tracker, _: DomainDict
    ) -> dict[str, Any]:
        return extract_amount(tracker, slot)

    return extract


def rate_extractor(slot: str, catalogue_key: str) -> Extractor:
    async def extract(
        self: Any, d: CollectingDispatcher, tracker: Tracker, _: DomainDict
    ) -> dict[str, Any]:
        return extract_rate(tracker, slot, catalogue().get(catalogue_key))

    return extract


def months_extractor(slot: str) -> Extractor:
    async def extract(
        self: Any, d: CollectingDispatcher, tracker: Tracker, _: DomainDict
    ) -> dict[str, Any]:
        return extract_months(tracker, slot)

    return extract


def range_validator(slot: str, bounds: tuple[Any, Any], kind: type, response: str) -> Validator:
    def validate(
        self: Any, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _: DomainDict
    ) -> dict[str, Any]:
        return checked(slot, value, bounds, kind, response, dispatcher)

    return validate


class ValidateLoanForm(FormValidationAction):
    """Reads amount, rate and duration from any message of the loan calculator."""

    def name(self) -> str:
        return "validate_loan_form"

    extract_loan_amount = amount_extractor("loan_amount")
    extract_loan_rate = rate_extractor("loan_rate", "products.personal_loan.tan_from_pct")
    extract_loan_months = months_extractor("loan_months")
    validate_loan_amount = range_validator(
        "loan_amount", AMOUNT_RANGE, Decimal, "utter_invalid_amount"
    )
    validate_loan_rate = range_validator("loan_rate", RATE_RANGE, Decimal, "utter_invalid_rate")
    validate_loan_months = range_validator(
        "loan_months", MONTHS_RANGE, int, "utter_invalid_duration"
    )


class ValidateSavingsForm(FormValidationAction):
    """Reads the deposit (monthly or one-off), rate and duration of the savings calculator."""

    def name(self) -> str:
        return "validate_savings_form"

    extract_savings_amount = amount_extractor("savings_amount")
    extract_savings_rate = rate_extractor(
        "savings_rate", "products.savings_account.gross_annual_interest_pct"
    )
    extract_savings_months = months_extractor("savings_months")
    validate_savings_amount = range_validator(
        "savings_amount", AMOUNT_RANGE, Decimal, "utter_invalid_amount"
    )
    validate_savings_rate = range_validator(
        "savings_rate", RATE_RANGE, Decimal, "utter_invalid_rate"
    )
    validate_savings_months = range_validator(
        "savings_months", MONTHS_RANGE, int, "utter_invalid_duration"
    )

    async def extract_savings_lump_sum(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("savings_lump_sum") is not None:
            return {}
        return {"savings_lump_sum": mentions_lump_sum(text(tracker))}


class ActionCalculateLoan(Action):
    """Answers the loan calculator with the monthly payment and the interest."""

    def name(self) -> str:
        return "action_calculate_loan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        amount, rate = (
            Decimal(tracker.get_slot("loan_amount")),
            Decimal(tracker.get_slot("loan_rate")),
        )
        months = int(tracker.get_slot("loan_months"))
        plan = finance.loan(amount, rate, months)
        lang = language(tracker)
        dispatcher.utter_message(
            response="utter_loan_result",
            amount=money(amount, lang), rate=percent(rate, lang), months=months,
            payment=money(plan.monthly_payment, lang), total=money(plan.total_paid, lang),
            interest=money(plan.total_interest, lang),
        )  # fmt: skip
        return [SlotSet(slot, None) for slot in LOAN_SLOTS]


class ActionCalculateSavings(Action):
    """Answers the savings calculator with the final balance and the interest."""

    def name(self) -> str:
        return "action_calculate_savings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        amount, rate = (
            Decimal(tracker.get_slot("savings_amount")),
            Decimal(tracker.get_slot("savings_rate")),
        )
        months = int(tracker.get_slot("savings_months"))
        lump_sum = bool(tracker.get_slot("savings_lump_sum"))
        deposits = {"initial_deposit": amount} if lump_sum else {"monthly_deposit": amount}
        plan = finance.savings(rate, months, **deposits)
        lang = language(tracker)
        dispatcher.utter_message(
            response="utter_savings_result_lump_sum" if lump_sum else "utter_savings_result",
            amount=money(amount, lang), rate=percent(rate, lang), months=months,
            balance=money(plan.final_balance, lang), deposited=money(plan.total_deposited, lang),
            interest=money(plan.interest_earned, lang),
        )  # fmt: skip
        return [SlotSet(slot, None) for slot in SAVINGS_SLOTS]
