"""Pydantic models of each document kind, fed with normalised keys.

Every scalar arrives as text; the ``Annotated`` parsers from ``fields`` make
exact values. Pydantic collects every error of a document at once, with a
location the loader maps back to a line.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator

from pacsite.load import fields
from pacsite.messages import Problem, msg

Money = Annotated[Decimal, BeforeValidator(fields.parse_money)]
Number = Annotated[Decimal, BeforeValidator(fields.parse_number)]
Date = Annotated[date, BeforeValidator(fields.parse_date)]
Int = Annotated[int, BeforeValidator(fields.parse_int)]
Status = Annotated[str, BeforeValidator(fields.parse_status)]
Direction = Annotated[str, BeforeValidator(fields.parse_direction)]


def _text_list(value: Any) -> Any:
    """Accept one text where a list of texts is expected."""
    if isinstance(value, str):
        return [value]
    return [] if value is None else value


TextList = Annotated[list[str], BeforeValidator(_text_list)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MeasureIn(_Strict):
    value: Number
    date: Date | None = None
    note: str | None = None


class BudgetLineIn(_Strict):
    label: str | None = None
    amount: Money
    spent: Money | None = None


class PhaseObjectiveIn(_Strict):
    text: str | None = None
    target: Number | None = None
    unit: str | None = None
    direction: Direction = "increase"


class ResultIn(_Strict):
    text: str | None = None
    note: str | None = None
    value: Number | None = None
    date: Date | None = None
    from_text: str | None = None  # set by pacsite, never written: the result was given as text alone


class CorrectiveActionIn(_Strict):
    title: str
    owner: TextList = []
    due: Date | None = None
    status: Status = "planned"


class PhaseIn(BaseModel):
    """A phase's front matter (extra keys were set aside by the loader)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    order: Int | None = None
    stage: str | None = None
    owner: TextList = []
    budget: list[BudgetLineIn] | None = None
    spent: Money | None = None
    start: Date | None = None
    end: Date | None = None
    finished: Date | None = None
    status: Status = "planned"
    objective: PhaseObjectiveIn | None = None
    result: list[ResultIn] = []
    analysis: str | None = None
    corrective_actions: list[CorrectiveActionIn] = []
    contributes_to: TextList = []
    tags: TextList = []

    @field_validator("budget", mode="before")
    @classmethod
    def _budget_as_lines(cls, value: Any) -> Any:
        """A single amount is one unlabelled line; the loader tells them apart."""
        if isinstance(value, str):
            return [{"amount": value}]
        if isinstance(value, dict):
            raise Problem(msg("budget_mapping"))
        return value

    @field_validator("objective", mode="before")
    @classmethod
    def _objective_text(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @field_validator("result", mode="before")
    @classmethod
    def _result_list(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, (str, dict)):
            value = [value]
        if isinstance(value, list):
            return [_result_from_text(v) if isinstance(v, str) else v for v in value]
        return value


def _result_from_text(text: str) -> dict[str, Any]:
    """A result written as text keeps its text whole; the loader reads its value when a target needs one."""
    return {"text": text, "from_text": "yes"}


class FamilyIn(_Strict):
    title: str
    order: Int | None = None
    stage: str | None = None
    owner: TextList = []
    summary: str | None = None
    budget: Money | None = None


class ObjectiveIn(_Strict):
    title: str
    owner: TextList = []
    metric: str | None = None
    unit: str | None = None
    direction: Direction = "increase"
    baseline: MeasureIn | None = None
    target: MeasureIn | None = None
    measurements: list[MeasureIn] = []


class PeriodIn(_Strict):
    start: Date | None = None
    end: Date | None = None


class HeaderIn(_Strict):
    title: str | None = None
    company: str | None = None
    vision: str | None = None
    period: PeriodIn | None = None


class PersonIn(_Strict):
    name: str
    role: str | None = None
    team: str | None = None
    email: str | None = None


class PageIn(_Strict):
    title: str | None = None
    order: Int | None = None
