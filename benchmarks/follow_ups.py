"""Follow-up questions: accuracy per language, and how often a product question gets an
emergency answer (lost card, fraud).

    .venv/bin/python benchmarks/follow_ups.py [--url http://127.0.0.1:8000]

Without --url it trains (if needed) and starts its own stack on free loopback ports. The
conversations are built here from templates and product names that are not the training
examples: a first question (fees, rate or how to open) about one product, then a follow-up
naming only another product ("and the credit card?"), or only another attribute ("and its
rate?"). A follow-up is right when the reply is the catalogue answer of that attribute for
that product. Every first question and follow-up also counts towards the emergency rate.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.facts import product_facts, service_facts  # noqa: E402
from bot.catalogue import load_catalogue  # noqa: E402
from bot.language import LANGUAGES  # noqa: E402
from bot.responses import Responses  # noqa: E402
from bot.settings import PROJECT_ROOT  # noqa: E402

ANSWER = {"fees": "utter_fees", "rate": "utter_rate", "open": "utter_open"}
EMERGENCIES = ("utter_lost_card", "utter_report_fraud")

# Product names as a customer writes them after "and", per language.
PRODUCTS = {
    "it": {"current_account": "il conto corrente", "savings_account": "il conto risparmio",
           "term_deposit": "il deposito vincolato", "debit_card": "il bancomat",
           "credit_card": "la carta di credito", "prepaid_card": "la prepagata",
           "personal_loan": "il prestito personale", "mortgage": "il mutuo",
           "overdraft": "il fido"},
    "en": {"current_account": "the current account", "savings_account": "the savings account",
           "term_deposit": "a fixed term deposit", "debit_card": "the debit card",
           "credit_card": "the credit card", "prepaid_card": "a prepaid card",
           "personal_loan": "a personal loan", "mortgage": "the mortgage",
           "overdraft": "an overdraft"},
    "fr": {"current_account": "le compte courant", "savings_account": "le livret d'épargne",
           "term_deposit": "le dépôt à terme", "debit_card": "la carte bleue",
           "credit_card": "la carte de crédit", "prepaid_card": "la carte prépayée",
           "personal_loan": "un prêt perso", "mortgage": "le crédit immobilier",
           "overdraft": "le découvert"},
    "pl": {"current_account": "konto osobiste", "savings_account": "konto oszczędnościowe",
           "term_deposit": "lokata", "debit_card": "karta debetowa",
           "credit_card": "karta kredytowa", "prepaid_card": "karta przedpłacona",
           "personal_loan": "kredyt gotówkowy", "mortgage": "kredyt hipoteczny",
           "overdraft": "debet"},
}  # fmt: skip
FIRST = {
    "it": {"fees": "quanto costa {p}?", "rate": "che tasso ha {p}?", "open": "come si apre {p}?"},
    "en": {"fees": "how much does {p} cost?", "rate": "what's the interest rate of {p}?",
           "open": "how do i get {p}?"},
    "fr": {"fees": "combien coûte {p} ?", "rate": "quel est le taux pour {p} ?",
           "open": "comment obtenir {p} ?"},
    "pl": {"fees": "ile kosztuje {p}?", "rate": "jakie oprocentowanie ma {p}?",
           "open": "{p}: jak to założyć?"},
}  # fmt: skip
PRODUCT_FOLLOW_UPS = {
    "it": ["e {p}?", "invece {p}?", "{p}?", "e per {p}"],
    "en": ["and {p}?", "what about {p}?", "{p}?", "how about {p}"],
    "fr": ["et {p} ?", "et pour {p} ?", "{p} ?", "et concernant {p}"],
    "pl": ["a {p}?", "i {p}?", "{p}?", "no a {p}?"],
}
ATTRIBUTE_FOLLOW_UPS = {
    "it": {"fees": ["e quanto costa?", "e i costi?"], "rate": ["e il tasso?", "e il TAEG?"],
           "open": ["e come si apre?", "come lo richiedo?"]},
    "en": {"fees": ["and how much is it?", "and the fees?"],
           "rate": ["and its rate?", "what's the interest?"],
           "open": ["and how do i open it?", "how do i apply?"]},
    "fr": {"fees": ["et ça coûte combien ?", "et les frais ?"],
           "rate": ["et le taux ?", "et le TAEG ?"],
           "open": ["et comment l'ouvrir ?", "comment on fait pour l'avoir ?"]},
    "pl": {"fees": ["a ile to kosztuje?", "a opłaty?"],
           "rate": ["a oprocentowanie?", "a RRSO?"],
           "open": ["a jak to założyć?", "jak to zamówić?"]},
}  # fmt: skip


def conversations(language: str) -> list[list[tuple[str, str, str]]]:
    """Conversations as [(text, attribute, product)] turns; the first turn is the question."""
    names, first = PRODUCTS[language], FIRST[language]
    products = sorted(names)
    found = []
    for attribute, (index, product) in itertools.product(sorted(first), enumerate(products)):
        other = products[(index + 1) % len(products)]
        template = PRODUCT_FOLLOW_UPS[language][index % len(PRODUCT_FOLLOW_UPS[language])]
        found.append(
            [
                (first[attribute].format(p=names[product]), attribute, product),
                (template.format(p=names[other]), attribute, other),
            ]
        )
        for then in sorted(set(first) - {attribute}):
            texts = ATTRIBUTE_FOLLOW_UPS[language][then]
            found.append(
                [
                    (first[attribute].format(p=names[product]), attribute, product),
                    (texts[index % len(texts)], then, product),
                ]
            )
    return found


def _training_examples() -> set[str]:
    from bot.language._vocabulary import training_examples_by_intent

    return {
        text.strip()
        for path in (PROJECT_ROOT / "data" / "nlu").glob("*/*.yml")
        for examples in training_examples_by_intent(path).values()
        for text in examples
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running gateway (default: start one here)")
    args = parser.parse_args()
    stack = None
    url = args.url
    if url is None:
        from bot.stack import Stack, train
        from tests.conftest import isolated_settings

        var_dir = Path(tempfile.mkdtemp(prefix="sportello-bench-follow-ups-"))
        settings = isolated_settings(var_dir, log_level="WARNING")
        stack = Stack(settings, var_dir=var_dir, model=train(settings, quiet=True))
        stack.start()
        url = stack.gateway_url
    training = _training_examples()
    for language in LANGUAGES:
        asked = {text for turns in conversations(language) for text, _, _ in turns}
        seen = sorted(asked & training)
        print(f"{language}: {len(asked)} distinct texts, {len(seen)} also training examples")
    texts = Responses.from_domain(PROJECT_ROOT / "domain.yml")
    catalogue = load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml")
    print("| language | follow-ups right (product) | (attribute) | (texts not in training) "
          "| questions | emergency answers |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    try:
        for language in LANGUAGES:
            emergency = {texts.text(n, language, **service_facts(catalogue, language))
                         for n in EMERGENCIES}  # fmt: skip
            counts: Counter[str] = Counter()
            for number, turns in enumerate(conversations(language)):
                sender = f"bench-follow-{language}-{number}"
                for position, (text, attribute, product) in enumerate(turns):
                    body = {"sender": sender, "message": text}
                    reply = requests.post(f"{url}/webhooks/rest/webhook", json=body, timeout=60)
                    said = [m.get("text") for m in reply.json()]
                    counts["questions"] += 1
                    counts["emergency"] += any(t in emergency for t in said)
                    if position == 0:
                        continue
                    kind = "product" if turns[0][2] != product else "attribute"
                    facts = product_facts(catalogue, product, language)
                    right = said == [texts.text(f"{ANSWER[attribute]}_{product}", language,
                                                **facts)]  # fmt: skip
                    counts[f"{kind}_all"] += 1
                    counts[f"{kind}_right"] += right
                    if text.strip() not in training:  # phrasing the model never saw
                        counts["unseen_all"] += 1
                        counts["unseen_right"] += right
            print(
                f"| {language} | {counts['product_right']}/{counts['product_all']} "
                f"({100 * counts['product_right'] / counts['product_all']:.1f} %) | "
                f"{counts['attribute_right']}/{counts['attribute_all']} "
                f"({100 * counts['attribute_right'] / counts['attribute_all']:.1f} %) | "
                f"{counts['unseen_right']}/{counts['unseen_all']} | "
                f"{counts['questions']} | {counts['emergency']} "
                f"({100 * counts['emergency'] / counts['questions']:.1f} %) |",
                flush=True,
            )
    finally:
        if stack is not None:
            stack.stop()


if __name__ == "__main__":
    main()
