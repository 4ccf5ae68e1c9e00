"""Whole-cent arithmetic: amounts spread over days and split between owners.

Amounts are ``Decimal`` with two places; spreading works in integer cents so
that every part sums back exactly to the whole (SPEC §3).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> int:
    """Return an amount in whole cents (amounts are validated to 2 decimals)."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} has fractions of a cent")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Return whole cents as a two-decimal amount."""
    return (Decimal(cents) / 100).quantize(CENT)


def split(cents: int, k: int) -> list[int]:
    """Split cents into k parts: each ``cents // k``, the first ``cents % k`` one more."""
    base, extra = divmod(cents, k)
    return [base + (1 if i < extra else 0) for i in range(k)]


def _month_segments(start: date, end: date) -> Iterator[tuple[str, int, int]]:
    """Yield (YYYY-MM, index of its first day in the range, days) for start..end."""
    index = 0
    current = start
    while current <= end:
        if current.month == 12:
            next_month = date(current.year + 1, 1, 1)
        else:
            next_month = date(current.year, current.month + 1, 1)
        last = min(end, next_month - timedelta(days=1))
        days = (last - current).days + 1
        yield f"{current.year:04d}-{current.month:02d}", index, days
        index += days
        current = next_month


def spread_by_month(cents: int, start: date, end: date) -> dict[str, int]:
    """Spread cents over the days start..end inclusive and sum them by month.

    Each day gets ``cents // days`` and the first ``cents % days`` days one
    more, so the months add up exactly to ``cents``.
    """
    if end < start:
        raise ValueError("end before start")
    days = (end - start).days + 1
    base, extra = divmod(cents, days)
    months: dict[str, int] = {}
    for month, first, count in _month_segments(start, end):
        bonus = max(0, min(extra, first + count) - first)
        months[month] = months.get(month, 0) + base * count + bonus
    return months


def spread_until(cents: int, start: date, end: date, cutoff: date) -> int:
    """Return the cents of a start..end spread that fall on days up to ``cutoff`` included.

    Same day rule as ``spread_by_month``, so it agrees with the monthly table.
    """
    if cutoff < start:
        return 0
    days = (end - start).days + 1
    elapsed = min(days, (cutoff - start).days + 1)
    base, extra = divmod(cents, days)
    return base * elapsed + min(extra, elapsed)


def quarter_of(month: str) -> str:
    """Return ``YYYY-Qn`` for a ``YYYY-MM`` key; the undated key stays ``''``."""
    if not month:
        return ""
    year, number = month.split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


@functools.lru_cache(maxsize=8192)
def ratio(numerator: Decimal, denominator: Decimal) -> Fraction | None:
    """Return an exact ratio, or None when the denominator is zero.

    Remembered: the pages ask for each phase's ratios again and again (its
    page, its rows in three tables, its variance), ~15 000 times at 1 500
    phases, and making two fractions from decimals costs ~6 µs. Equal
    decimals give equal fractions, so a remembered one is always right.
    """
    if denominator == 0:
        return None
    return Fraction(numerator) / Fraction(denominator)
