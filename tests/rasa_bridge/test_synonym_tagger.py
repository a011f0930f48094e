"""The NLU component that finds products by the trainers' synonyms, in four languages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_bridge.synonym_tagger import SynonymTagger, fold
from bot.settings import PROJECT_ROOT

CONFIG = next(
    c
    for c in yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    if c["name"].endswith("SynonymTagger")
)


def trained(tmp_path: Path, data: TrainingData, config: dict | None = None) -> SynonymTagger:  # type: ignore[type-arg]
    """Trains, persists and loads the tagger as Rasa does."""
    storage, resource = LocalModelStorage(tmp_path), Resource("synonym_tagger")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**SynonymTagger.get_default_config(), **(config or CONFIG)}
    SynonymTagger.create(config, storage, resource, context).train(data)
    return SynonymTagger.load(config, storage, resource, context)


@pytest.fixture(scope="module")
def project_tagger(tmp_path_factory: pytest.TempPathFactory) -> SynonymTagger:
    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    return trained(tmp_path_factory.mktemp("model"), data)


def values(tagger: SynonymTagger, text: str) -> list[str]:
    message = Message(data={TEXT: text})
    tagger.process([message])
    return [e["value"] for e in message.get(ENTITIES, []) if e["entity"] == "product"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quanto costa la carta di credito?", ["credit_card"]),
        ("QUANTO COSTA IL CONTO CORRENTE", ["current_account"]),
        ("il bancomat ha commissioni?", ["debit_card"]),
        ("tasso del mutuo", ["mortgage"]),
        ("quanto costa la carta?", ["card"]),
        ("how much is the credit card?", ["credit_card"]),
        ("what's the savings account rate", ["savings_account"]),
        ("how do I get a mortgage", ["mortgage"]),
        ("do you have prepaid cards?", ["prepaid_card"]),
        ("combien coûte la carte de crédit ?", ["credit_card"]),
        ("combien coute la carte de credit", ["credit_card"]),
        ("le prêt immobilier", ["mortgage"]),
        ("ile kosztuje karta kredytowa?", ["credit_card"]),
        ("jak założyć konto osobiste", ["current_account"]),
        ("oprocentowanie kredytu hipotecznego", ["mortgage"]),
        ("chcę zamówić kartę kredytową", ["credit_card"]),
        ("chce zamowic karte kredytowa", ["credit_card"]),  # no Polish letters
        ("co z moją kartą debetową", ["debit_card"]),
        ("carta di credito o prepagata?", ["credit_card", "prepaid_card"]),
        ("how much does it cost?", []),
        ("incartato", []),  # a form inside a longer word is not a match
    ],
)
def test_the_projects_synonyms_find_products(
    project_tagger: SynonymTagger, text: str, expected: list[str]
) -> None:
    assert values(project_tagger, text) == expected


def test_longest_form_wins_and_offsets_point_at_the_original_text(tmp_path: Path) -> None:
    data = TrainingData(
        entity_synonyms={"carte": "card", "carte de crédit": "credit_card", "Aurora": "other"}
    )
    tagger = trained(tmp_path, data, {"entity": "product", "values": ["card", "credit_card"]})
    text = "La  Carte de Crédit, ou la carte ? Aurora"
    found = tagger.find(text)
    assert [(text[e["start"] : e["end"]], e["value"]) for e in found] == [
        ("Carte de Crédit", "credit_card"),
        ("carte", "card"),
    ]  # "Aurora" maps to a value the tagger was not configured for


def test_without_synonyms_nothing_is_found(tmp_path: Path) -> None:
    tagger = trained(tmp_path, TrainingData(), {"entity": "product", "values": ["card"]})
    assert values(tagger, "carta di credito") == []


def test_other_entities_are_kept(project_tagger: SynonymTagger) -> None:
    message = Message(
        data={TEXT: "the credit card", ENTITIES: [{"entity": "language", "value": "en"}]}
    )
    project_tagger.process([message])
    assert [e["entity"] for e in message.get(ENTITIES)] == ["language", "product"]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Kartą Kredytową", "karta kredytowa"), ("ŁÓDŹ", "lodz"), ("l’été", "l'ete"), ("İ", "i")],
)
def test_fold_keeps_one_character_for_one(text: str, folded: str) -> None:
    assert fold(text) == folded and len(fold(text)) == len(text)
