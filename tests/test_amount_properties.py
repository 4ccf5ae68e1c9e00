"""Amounts are never guessed: properties over every way people write them (issue 13, SPEC §2).

Any amount pacsite accepts, written back in French and in English (by hand
and by Babel), reads back to the same Decimal; every form that could be
read two ways is refused, naming both readings.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from pacsite.load import fields
from pacsite.messages import Problem

cents = st.integers(min_value=0, max_value=99_999_999_999_99).map(lambda c: Decimal(c) / 100)
SPACES = [" ", "\u00a0", "\u202f"]


def grouped(whole: int, separator: str) -> str:
    return f"{whole:,}".replace(",", separator)


def french(amount: Decimal, space: str, euro: bool) -> str:
    whole, _, decimals = f"{amount:.2f}".partition(".")
    return grouped(int(whole), space) + "," + decimals + (f"{space}€" if euro else "")


def english(amount: Decimal, euro: bool) -> str:
    return ("€" if euro else "") + f"{amount:,.2f}"


@settings(max_examples=300)
@given(cents, st.sampled_from(SPACES), st.booleans())
def test_any_amount_written_in_french_or_english_reads_back_the_same(amount: Decimal, space: str, euro: bool) -> None:
    quantized = amount.quantize(Decimal("0.01"))
    assert fields.parse_money(french(amount, space, euro)) == quantized
    assert fields.parse_money(english(amount, euro)) == quantized
    assert fields.parse_money(f"{amount:.2f}") == quantized
    assert fields.parse_money(format_currency(amount, "EUR", locale="fr_FR")) == quantized
    assert fields.parse_money(format_currency(amount, "EUR", locale="en_GB")) == quantized
    assert fields.parse_money(format_decimal(amount, locale="de_DE", decimal_quantization=False,
                                             format="#,##0.00")) == quantized  # 12.500,50


# what people type: digits, separators, spaces and a currency mark, in any order
typed = st.text(alphabet="0123456789.,  €", min_size=1, max_size=14)


@settings(max_examples=600)
@given(typed)
def test_whatever_is_accepted_reads_back_from_its_french_and_english_writing(text: str) -> None:
    try:
        amount = fields.parse_money(text)
    except Problem:
        return
    assert amount == amount.quantize(Decimal("0.01")) and amount >= 0
    for space in SPACES:
        assert fields.parse_money(french(amount, space, True)) == amount
    assert fields.parse_money(english(amount, True)) == amount


@settings(max_examples=300)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999), st.sampled_from(".,"),
       st.sampled_from(["", " €", "€", "EUR "]))
def test_one_separator_and_three_digits_is_refused_naming_both_readings(
    whole: int, three: int, separator: str, mark: str
) -> None:
    text = f"{whole}{separator}{three:03d}"
    written = mark + text if mark.endswith(" ") else text + mark
    with pytest.raises(Problem) as caught:
        fields.parse_money(written)
    said = caught.value.msg
    assert said.code == "ambiguous_number"
    args = dict(said.args)
    assert args["thousands"] == Decimal(whole * 1000 + three)
    assert args["fraction"] == Decimal(f"{whole}.{three:03d}")
    french_words = said.text("fr")
    assert f"Écrivez {whole}{three:03d} ou " in french_words


@pytest.mark.parametrize("text, expected", [
    ("12.500,50", "12500.50"), ("12,500.50", "12500.50"), ("1.250.000", "1250000.00"), ("1,250,000", "1250000.00"),
    ("12,5", "12.50"), ("12.50", "12.50"), ("12500", "12500.00"), ("0.125", None), ("12500.500", "12500.50"),
    ("0,500", "0.50"), ("12 50", None), ("1.2.3", None), ("12.500.5", None), ("1,25.000", None),
])
def test_amounts_by_hand(text: str, expected: str | None) -> None:
    """Worked out by hand: the separators SPEC §2 allows, and the forms it refuses (None)."""
    if expected is None:
        with pytest.raises(Problem):
            fields.parse_money(text)
    else:
        assert fields.parse_money(text) == Decimal(expected)


# --- money and ratios written as Babel writes them, without Babel on the way (format.Shape) ---------------------

LOCALES = ("fr_FR", "fr_CA", "fr_CH", "en_US", "en_GB", "de_DE", "en_IN", "de_CH")
CURRENCIES = ("EUR", "USD", "CHF", "JPY", "GBP", "CAD")


@settings(max_examples=400, deadline=None)
@given(st.decimals(min_value=-10**15, max_value=10**15, allow_nan=False, allow_infinity=False, places=4),
       st.sampled_from(LOCALES), st.sampled_from(CURRENCIES))
def test_money_and_ratios_are_written_exactly_as_babel_writes_them(value: Decimal, locale: str, currency: str) -> None:
    """The fast writer reads Babel's pattern off two samples; on any value, locale and currency it must give
    Babel's very text (rounding half to even included), or leave the value to Babel (``Shape.of`` is None)."""
    from babel import Locale
    from babel.numbers import format_currency, format_percent

    from pacsite.format import Shape

    parsed = Locale.parse(locale)
    money = Shape.of(lambda v: str(format_currency(v, currency, locale=parsed)))
    if money is not None:
        assert money.format(value) == str(format_currency(value, currency, locale=parsed))
    ratio = Shape.of(lambda v: str(format_percent(v / 100, locale=parsed, format="#,##0.0\u00a0%")))
    if ratio is not None:
        assert ratio.format(abs(value) * 100) == str(format_percent(abs(value), locale=parsed, format="#,##0.0\u00a0%"))


def test_the_usual_shapes_are_read_and_the_others_left_to_babel() -> None:
    """French and English plans take the fast path; a grouping other than by threes (India) goes to Babel."""
    from babel import Locale
    from babel.numbers import format_currency

    from pacsite.format import Shape

    def shape(locale: str, currency: str) -> Shape | None:
        parsed = Locale.parse(locale)
        return Shape.of(lambda v: str(format_currency(v, currency, locale=parsed)))

    fr = shape("fr_FR", "EUR")
    assert fr is not None and (fr.group, fr.decimal, fr.suffix, fr.negative) == ("\u202f", ",", "\u00a0€",
                                                                                    ("-", "\u00a0€"))
    assert fr.format(Decimal("12500")) == "12\u202f500,00\u00a0€" and fr.format(Decimal("-0.005")) == "-0,00\u00a0€"
    en = shape("en_US", "USD")
    assert en is not None and en.format(Decimal("-1234.565")) == "-$1,234.56"  # half to even
    assert shape("en_IN", "EUR") is None


def test_a_number_is_written_the_same_whatever_was_written_before() -> None:
    """Numbers are remembered by their text: -0 equals 0 as a Decimal but is written with its sign."""
    from types import SimpleNamespace

    from pacsite.format import Formatter

    settings = SimpleNamespace(locale="fr_FR", currency="EUR", language="fr")
    values = [Decimal("-0"), Decimal("0"), 0, Decimal("1.50"), Decimal("1.5"), Decimal("12500")]
    written = [Formatter(settings).number(v) for v in values]  # type: ignore[arg-type]
    assert written == [Formatter(settings).number(v) for v in reversed(values)][::-1]
    assert written == ["−0", "0", "0", "1,5", "1,5", "12\u202f500"]


def test_the_formatters_caches_start_again_when_full_and_stay_right(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pacsite serve`` lives for hours: what the formatters remember is bounded, and never wrong."""
    import datetime as dt
    from types import SimpleNamespace

    from pacsite import format as formatting

    monkeypatch.setattr(formatting, "CACHE_MAX", 3)
    fmt = formatting.Formatter(SimpleNamespace(locale="fr_FR", currency="EUR", language="fr"))  # type: ignore[arg-type]
    amounts = [Decimal(n) * 1000 for n in range(-5, 5)]
    assert [fmt.money(a) for a in amounts] == [format_currency(a, "EUR", locale="fr_FR").replace("-", "−")
                                               for a in amounts]
    assert fmt.money(Decimal("-0")) == fmt.money(Decimal("0")) == "0,00\u00a0€"  # no sign on nothing
    assert fmt.date(dt.date(2027, 6, 30)) == "30\u00a0juin\u00a02027"
    assert len(formatting._shared("fr_FR", "EUR", "\u00a0%").money) <= 3
