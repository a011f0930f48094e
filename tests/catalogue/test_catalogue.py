"""The catalogue's schema check and its reload when the file changes."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from bot.catalogue import CatalogueFile, load_catalogue
from bot.catalogue._schema import SCHEMA
from bot.errors import DataError
from bot.settings import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "catalogue" / "bank.yml"


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def edited(tmp_path: Path, dotted: str, value: object, *, delete: bool = False) -> Path:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    node = data
    *parents, last = dotted.split(".")
    for key in parents:
        node = node[key]
    if delete:
        del node[last]
    else:
        node[last] = value
    return write(tmp_path / "bank.yml", data)


def test_the_project_catalogue_passes_and_values_are_converted() -> None:
    catalogue = load_catalogue(SOURCE)
    assert catalogue.get("products.current_account.monthly_fee_eur") == Decimal("3.00")
    assert catalogue.get("products.personal_loan.tan_from_pct") == Decimal("6.9")
    assert str(catalogue.timezone) == "Europe/Rome"
    assert set(SCHEMA) <= set(catalogue.checked)


@pytest.mark.parametrize("dotted", sorted(SCHEMA))
def test_every_missing_key_is_named(tmp_path: Path, dotted: str) -> None:
    with pytest.raises(DataError, match=rf"missing key '{dotted}'"):
        load_catalogue(edited(tmp_path, dotted, None, delete=True))


@pytest.mark.parametrize(
    ("dotted", "value", "complaint"),
    [
        ("products.current_account.monthly_fee_eur", "three euros", "must be a number"),
        ("products.current_account.monthly_fee_eur", -1, "zero or more"),
        ("products.current_account.monthly_fee_eur", True, "must be a number"),
        ("products.credit_card.tan_pct", 140, "between 0 and 100"),
        ("products.current_account.name", "  ", "non-empty text"),
        ("products.personal_loan.term_months.min", 12.5, "whole number"),
        ("bank.timezone", "Europe/Atlantis", "timezone"),
        ("bank.country", "XX", "country code"),
        ("transfers.sepa.cut_off", "4pm", "16:00"),
        ("contacts.customer_service.hours", {"mon-fri": "08:00-20:00"}, "no hours for sat, sun"),
        ("contacts.customer_service.hours", {"mon-sun": "20:00-08:00"}, "run forwards"),
        ("contacts.branches.hours", {"mon-fri": "9 to 5", "sat": "closed", "sun": "closed"},
         "must look like"),
        ("contacts.customer_service.closed_on_public_holidays", "yes", "true or false"),
    ],
)  # fmt: skip
def test_a_malformed_value_is_named_with_what_is_wrong(
    tmp_path: Path, dotted: str, value: object, complaint: str
) -> None:
    with pytest.raises(DataError) as error:
        load_catalogue(edited(tmp_path, dotted, value))
    assert f"'{dotted}'" in str(error.value) and complaint in str(error.value)


def test_a_range_that_runs_backwards_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "products.personal_loan.amount_eur", {"min": 60000, "max": 50000})
    with pytest.raises(DataError, match="amount_eur.min' is larger than"):
        load_catalogue(path)


def test_not_yaml_or_not_a_mapping_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("products: [unclosed", encoding="utf-8")
    (tmp_path / "b.yml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(DataError, match="cannot read"):
        load_catalogue(tmp_path / "a.yml")
    with pytest.raises(DataError, match="must be a mapping"):
        load_catalogue(tmp_path / "b.yml")


def test_the_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    path = edited(tmp_path, "products.current_account.monthly_fee_eur", 3.0)
    watched = CatalogueFile(path)
    assert watched.current().get("products.current_account.monthly_fee_eur") == Decimal("3.0")
    edited(tmp_path, "products.current_account.monthly_fee_eur", 4.5)
    os.utime(path, ns=(1, 1))  # a different modification time even on coarse clocks
    assert watched.current().get("products.current_account.monthly_fee_eur") == Decimal("4.5")


def test_a_broken_edit_keeps_the_last_good_catalogue(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = edited(tmp_path, "products.current_account.monthly_fee_eur", 3.0)
    watched = CatalogueFile(path)
    watched.current()
    edited(tmp_path, "products.current_account.monthly_fee_eur", "free!")
    os.utime(path, ns=(1, 1))
    assert watched.current().get("products.current_account.monthly_fee_eur") == Decimal("3.0")
    assert "keeping the previous one" in caplog.text


def test_a_broken_catalogue_at_start_up_stops_start_up(tmp_path: Path) -> None:
    path = edited(tmp_path, "products.credit_card.annual_fee_eur", None, delete=True)
    with pytest.raises(DataError, match="products.credit_card.annual_fee_eur"):
        CatalogueFile(path).current()
