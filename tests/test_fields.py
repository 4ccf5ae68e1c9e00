"""Field parsers: exact money, strict dates, aliases compared like keys, typo suggestions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pacsite.load import fields


@pytest.mark.parametrize(
    "text, amount",
    [
        ("12500", "12500.00"), ("12500.50", "12500.50"), ("12 500 €", "12500.00"),
        ("12\u00a0500,50\u00a0€", "12500.50"), ("12\u202f500,5 €", "12500.50"),
        ("EUR 12500", "12500.00"), ("€ 80", "80.00"), ("0", "0.00"), ("2 437,50", "2437.50"),
    ],
)
def test_amounts_are_exact(text: str, amount: str) -> None:
    value = fields.parse_money(text)
    assert isinstance(value, Decimal) and value == Decimal(amount)


@pytest.mark.parametrize(
    "text, words",
    [("-5", "0 or more"), ("1.0051", "at most 2 decimals"), ("12.500", "can be read two ways"),
     ("douze", "expected an amount"), (None, "found nothing")],
)
def test_bad_amounts_say_what_was_expected(text: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        fields.parse_money(text)


def test_dates_are_strict_and_helpful() -> None:
    assert fields.parse_date("2027-06-30") == date(2027, 6, 30)
    with pytest.raises(ValueError, match="not a real date"):
        fields.parse_date("2027-02-30")
    with pytest.raises(ValueError, match=r"write 2027-06-30"):
        fields.parse_date("30/06/2027")


def test_keys_compare_without_case_accents_or_spaces() -> None:
    table = fields.alias_table(fields.PHASE_KEYS)
    for written in ("Date début", "date_debut", "debut", "DATE-DEBUT"):
        assert table[fields.normalize_key(written)] == "start"
    assert table[fields.normalize_key("Résultat obtenu")] == "result"


def test_enumerations_compare_like_keys() -> None:
    for written in ("Terminé", "termine", "DONE"):
        assert fields.parse_status(written) == "done"
    for written in ("en cours", "En_cours", "in progress"):
        assert fields.parse_status(written) == "in_progress"


def test_typos_within_two_edits_are_found() -> None:
    table = fields.alias_table(fields.PHASE_KEYS)
    assert fields.nearest("budjet", table) == "budget"
    assert fields.nearest("ownr", table) == "owner"
    assert fields.nearest("statsu", table) == "status"
    assert fields.nearest("couleur", table) is None


def test_slug_and_order_from_names() -> None:
    assert fields.slug_and_order("01-etudes-de-marche") == ("etudes-de-marche", 1)
    assert fields.slug_and_order("synthese") == ("synthese", None)
    assert fields.title_from_slug("fidelisation") == "Fidelisation"
