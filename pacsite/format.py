"""Money, numbers, ratios and dates in the plan's locale and currency (Babel), for pages, charts and reports.

Apart from the Jinja environment (``theme``) so that what only formats
(the diff report, the downloads) needs no template machinery.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from pacsite.load.settings import Settings

CACHE_MAX = 50_000  # texts a formatter's caches hold before they start again (``pacsite serve`` lives for hours)


@dataclass
class _Shared:
    """What every formatter of one locale, currency and language shares: Babel's data and patterns, and what
    was written already (a plan has a few hundred distinct dates and amounts, printed thousands of times)."""

    locale: Locale
    money_shape: Shape | None
    pct_shape: Shape | None
    money: dict[tuple[Decimal, bool], str] = field(default_factory=dict)
    numbers: dict[int | str, str] = field(default_factory=dict)
    dates: dict[dt.date, str] = field(default_factory=dict)
    short: dict[dt.date, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=16)
def _shared(locale: str, currency: str, nbsp_percent: str) -> _Shared:
    """Made once per locale, currency and language: a build makes ~70 formatters (a page, a chart, a table
    each), and reading Babel's patterns cost ~0.5 ms each time."""
    parsed = Locale.parse(locale)  # parsed once: Babel re-parses strings per call
    # Babel's own patterns, read off its output once (``Shape``): a page of 1 500 rows formats thousands
    # of amounts and ratios, and Babel takes ~15 µs each; None where the shape is not the usual one
    return _Shared(parsed, Shape.of(lambda v: str(format_currency(v, currency, locale=parsed))),
                   Shape.of(lambda v: str(format_percent(v / 100, locale=parsed, format="#,##0.0" + nbsp_percent))))


class Formatter:
    """Money, numbers, ratios and dates in the plan's locale and currency."""

    def __init__(self, settings: Settings) -> None:
        self.locale = settings.locale
        self.currency = settings.currency
        self.nbsp_percent = "\u00a0%" if settings.language == "fr" else "%"
        shared = _shared(self.locale, self.currency, self.nbsp_percent)
        self._locale, self._money_shape, self._pct_shape = shared.locale, shared.money_shape, shared.pct_shape
        self._money_cache, self._date_cache, self._short_cache = shared.money, shared.dates, shared.short
        self._number_cache = shared.numbers

    def money(self, value: Decimal | None) -> str:
        """Format an amount: ``12 500,00 €``; None is a dash."""
        if value is None:
            return "—"
        key = (value, value.is_signed())  # Decimal("-0") == 0, and Babel writes it "-0,00 €"
        cached = self._money_cache.get(key)
        if cached is None:
            cached = _keep(self._money_cache, key, _minus(self._money_shape.format(value) if self._money_shape else
                                                          str(format_currency(value, self.currency,
                                                                              locale=self._locale))))
        return cached

    def money_signed(self, value: Decimal | None) -> str:
        """Format a variance with its sign: ``+1 250,00 €``."""
        if value is None:
            return "—"
        text = self.money(abs(value))
        return ("+" if value > 0 else "−" if value < 0 else "") + text

    def money_round(self, value: Decimal | None) -> str:
        """Format an amount rounded to the unit, for chart labels."""
        if value is None:
            return "—"
        rounded = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return str(format_currency(rounded, self.currency, locale=self._locale,
                                   format="#,##0\u00a0¤" if self.locale.startswith("fr") else "¤#,##0",
                                   currency_digits=False))

    def pct(self, value: Fraction | Decimal | None, signed: bool = False) -> str:
        """Format a ratio: -0.0812 -> ``−8,1 %``; None is a dash."""
        if value is None:
            return "—"
        number = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(
            value, Fraction) else value
        pattern = "#,##0.0" + self.nbsp_percent
        text = self._pct_shape.format(abs(number) * 100) if self._pct_shape else \
            str(format_percent(abs(number), locale=self._locale, format=pattern))
        sign = "−" if number < 0 and text.strip("0,.%\u00a0 ") else ""
        if signed and number > 0:
            sign = "+"
        return sign + text

    def number(self, value: Decimal | int | None) -> str:
        """Format a number with the locale's separators."""
        if value is None:
            return "—"
        # targets and results: a few hundred values, each shown on four pages; keyed by their text, as
        # Decimal("-0") == 0 but is written "-0"
        key = value if type(value) is int else str(value)
        cached = self._number_cache.get(key)
        if cached is None:
            cached = _keep(self._number_cache, key, _minus(str(format_decimal(value, locale=self._locale))))
        return cached

    def value_unit(self, value: Decimal | int | None, unit: str | None) -> str:
        """Format a number with its unit, kept together by a no-break space."""
        text = self.number(value)
        return f"{text}\u00a0{unit}" if unit and value is not None else text

    def gap(self, value: Decimal | None, unit: str | None) -> str:
        """Format an objective gap: a currency keeps its unit, a percentage becomes points.

        "−1 commerciaux" or "−0,6 %" would read wrong; "−1" and "−0,6 point" do not.
        """
        if value is None:
            return "—"
        text = self.number(value)
        if unit in ("€", "EUR", "k€", "M€", "$", "£"):
            return f"{text}\u00a0{unit}"
        if unit and unit.strip() == "%":
            word = "point" if self.locale.startswith("fr") else "pt"
            return f"{text}\u00a0{word}" + ("s" if abs(value) >= 2 and self.locale.startswith("fr") else "")
        return text

    def css_pct(self, value: Fraction | None) -> str:
        """Return a CSS percentage for a ratio, clipped to 0-100 % (meters)."""
        if value is None:
            return "0%"
        clipped = min(Fraction(1), max(Fraction(0), value))
        return f"{float(clipped) * 100:.1f}%"

    def schedule(self, days: int | None) -> str:
        """Say a schedule variance in words: ``7 jours de retard``, ``dans les délais``."""
        if days is None:
            return "—"
        fr = self.locale.startswith("fr")
        if days == 0:
            return "dans les délais" if fr else "on time"
        n = abs(days)
        if fr:
            unit = "jour" if n == 1 else "jours"
            return f"{n}\u00a0{unit} " + ("de retard" if days > 0 else "d'avance")
        unit = "day" if n == 1 else "days"
        return f"{n} {unit} " + ("late" if days > 0 else "early")

    def date(self, value: dt.date | None) -> str:
        """Format a date: ``30 juin 2027``."""
        if value is None:
            return "—"
        cached = self._date_cache.get(value)
        if cached is None:  # a plan has a few hundred distinct dates, printed thousands of times
            text = str(format_date(value, "long", locale=self._locale))
            if value.day == 1 and self.locale.startswith("fr"):
                text = "1er" + text[1:]  # CLDR writes "1 mars"; French writes "1er mars"
            cached = _keep(self._date_cache, value, text.replace(" ", "\u00a0"))  # never broken across lines
        return cached

    def date_short(self, value: dt.date | None) -> str:
        """Format a date for tables: ``30/06/2027`` style in the locale."""
        if value is None:
            return "—"
        cached = self._short_cache.get(value)
        if cached is None:
            cached = _keep(self._short_cache, value, str(format_date(value, "short", locale=self._locale)))
        return cached

    def quarter(self, key: str) -> str:
        """Format a ``YYYY-Qn`` key: ``T1 2027`` in French, ``Q1 2027`` in English."""
        year, number = key.split("-Q")
        return f"{'T' if self.locale.startswith('fr') else 'Q'}{number}\u00a0{year}"

    def month_narrow(self, month: dt.date, width: float) -> str:
        """Label a month in a chart column ``width`` pixels wide: ``janv.`` or ``J``."""
        pattern = "MMM" if width >= 34 else "MMMMM"
        return str(format_date(month, pattern, locale=self._locale))

    def month(self, key: str) -> str:
        """Format a ``YYYY-MM`` key: ``janv. 2027``."""
        if not key:
            return "—"
        year, month = key.split("-")
        return str(format_date(dt.date(int(year), int(month), 1), "MMM yyyy", locale=self._locale))


class Shape:
    """How Babel writes a number in one pattern (money in a currency, a percentage), read off its own output for
    one positive and one negative sample: what comes before and after the digits, the group and decimal
    separators, and how many decimals. ``format`` then writes any value as Babel would, with Babel's rounding
    (the context's, half to even), 15 times faster; the tests compare the two on random values."""

    SAMPLE = Decimal("1234567.125")

    def __init__(self, prefix: str, suffix: str, negative: tuple[str, str], group: str, decimal: str,
                 digits: int) -> None:
        self.prefix, self.suffix, self.negative = prefix, suffix, negative
        self.group, self.decimal, self.digits = group, decimal, digits
        self.quantum = Decimal(1).scaleb(-digits)

    @classmethod
    def of(cls, babel: Callable[[Decimal], str]) -> Shape | None:
        """The shape of ``babel``'s output, or None when it is not digits grouped by three (an Indian grouping,
        other digits): those values go to Babel itself."""
        positive, negative = babel(cls.SAMPLE), babel(-cls.SAMPLE)
        digits = [i for i, c in enumerate(positive) if c.isdigit()]
        if not digits:
            return None
        body = positive[digits[0]:digits[-1] + 1]
        if len(body) < 9 or body[0] != "1" or body[1].isdigit() or body[1:9] != f"{body[1]}234{body[1]}567":
            return None
        group, rest = body[1], body[9:]
        if rest and (rest[0].isdigit() or not rest[1:].isdigit()):
            return None
        shape = cls(positive[:digits[0]], positive[digits[-1] + 1:], ("", ""), group, rest[:1], len(rest[1:]))
        if shape.format(cls.SAMPLE) != positive or body not in negative:
            return None
        at = negative.index(body)
        shape.negative = (negative[:at], negative[at + len(body):])
        return shape if shape.format(-cls.SAMPLE) == negative else None

    def format(self, value: Decimal) -> str:
        """``value`` as Babel writes it in this shape."""
        whole, _, fraction = f"{abs(value.quantize(self.quantum)):f}".partition(".")
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        number = self.group.join([whole, *groups]) + (self.decimal + fraction if self.digits else "")
        before, after = self.negative if value < 0 else (self.prefix, self.suffix)
        return before + number + after


def _keep(cache: dict[Any, str], key: Any, text: str) -> str:
    """Remember ``text`` under ``key``; a cache grown to ``CACHE_MAX`` starts again (never unbounded)."""
    if len(cache) >= CACHE_MAX:
        cache.clear()
    cache[key] = text
    return text


def _minus(text: str) -> str:
    """Use the real minus sign, as typography wants, not a hyphen."""
    return "\u2212" + text[1:] if text.startswith("-") else text
