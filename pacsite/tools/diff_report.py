"""``pacsite diff``'s report in words: text for a terminal, Markdown for a pull-request comment, JSON.

It reads only the ``PlanDiff`` that ``pacsite.tools.diff.compare`` gives, in the
newer revision's language, with the site's formats (money, dates, ratios).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from pacsite.figures.money import ZERO
from pacsite.format import Formatter
from pacsite.i18n import OBJECTIVE_LABELS, STATUS_LABELS, translator
from pacsite.load.model import Plan, Result
from pacsite.tools.changes import Change, Named
from pacsite.tools.diff import Money, PlanDiff, Ref, Shift


class _Words:
    """The words and formats of one language, for the three renderings."""

    def __init__(self, plan: Plan) -> None:
        language = plan.settings.language
        self.language = language
        self.t = translator(language)
        self.fmt = Formatter(plan.settings)
        self.status = STATUS_LABELS[language]
        self.objective = OBJECTIVE_LABELS[language]

    def days(self, n: int) -> str:
        unit = self.t["diff_day" if abs(n) == 1 else "diff_days"]
        return f"{'+' if n > 0 else '−' if n < 0 else ''}{abs(n)}\u00a0{unit}"

    def date(self, value: date | None) -> str:
        return self.fmt.date(value) if value else self.t["undated"]

    def phase(self, ref: Ref) -> str:
        return f"{ref.family} / {ref.title}"

    def count(self, key: str, n: int, **more: str) -> str:
        """``{n} phase retardée``: French takes the singular for 0 and 1, English for 1 only."""
        one = abs(n) <= 1 if self.language == "fr" else n == 1
        return self.t[key + ("_one" if one else "")].format(n=n, **more)

    def value(self, c: Change, v: Any, markdown: bool) -> str:
        """A changed value in words, formatted as the site formats it; None is a dash."""
        if v is None:
            return self.t["none"]
        if c.kind == "money":
            return self.fmt.money(v)
        if c.kind == "date":
            return self.fmt.date(v)
        if c.kind == "status":
            return self.status.get(v, v)
        if c.kind == "ratio":
            return self.fmt.pct(v)
        if c.kind == "result":
            return _result(v, self, markdown)
        if c.kind == "measure":
            dated = v.date and c.what != "measurement"  # a measurement is named by its date already
            return self.fmt.value_unit(v.value, c.unit) + (f" ({self.fmt.date(v.date)})" if dated else "")
        return _esc(str(v), markdown)

    def change(self, c: Change, markdown: bool) -> str:
        """``budget 12 500,00 € → 18 000,00 €``."""
        what = (self.t["diff_measurement"].format(date=self.fmt.date(c.at)) if c.what == "measurement" and c.at
                else self.t[f"diff_field_{c.what}"])
        return f"{what} {self.value(c, c.before, markdown)} → {self.value(c, c.after, markdown)}"

    def changes(self, changes: tuple[Change, ...], markdown: bool) -> str:
        return self.t["list_sep"].join(self.change(c, markdown) for c in changes)


def summary(diff: PlanDiff) -> str:
    """The one line a pull request shows first: '+12 500,00 € planned, 3 phases delayed'.

    Errors come first: '⚠ 1 erreur : le plan ne se construit pas ; …'.
    """
    w = _Words(diff.after.plan)
    t = w.t
    parts = [f"{w.fmt.money_signed(diff.totals.planned_delta) if diff.totals.planned_delta else w.fmt.money(ZERO)}"
             f" {t['diff_planned']}"]
    if diff.totals.actual_delta:
        parts.append(f"{w.fmt.money_signed(diff.totals.actual_delta)} {t['diff_actual']}")
    counts = ((diff.delayed, "diff_delayed"), (len(diff.added), "diff_added"), (len(diff.removed), "diff_removed"),
              (len(diff.moved), "diff_moved"), (len(diff.envelopes), "diff_envelopes"),
              (len(diff.strategic), "diff_strategic"), (len(diff.settings), "diff_settings"))
    parts += [w.count(key, n) for n, key in counts if n]
    head = (w.count("diff_broken", diff.errors) if diff.errors else
            w.count("diff_broken_before", len(diff.before.errors), rev=diff.before.label)
            if diff.before.errors else "")
    if head:
        return head if diff.empty else head + t["list_sep"] + ", ".join(parts)
    return t["diff_nothing"] if diff.empty else ", ".join(parts)


def _lines(diff: PlanDiff, markdown: bool) -> list[str]:
    """The report, line by line: plain text, or Markdown for a pull-request comment."""
    w = _Words(diff.after.plan)
    t, fmt = w.t, w.fmt
    out: list[str] = []

    def heading(key: str) -> None:
        out.append("")
        out.append(f"### {t[key]}" if markdown else f"{t[key]}{t['colon']}")

    def item(text: str) -> None:
        out.append(f"- {text}" if markdown else f"  {text}")

    title = f"{t['diff_title']} {diff.before.label} → {diff.after.label}"
    first = summary(diff)
    out += [f"**{first}**", "", f"{title}"] if markdown else [title, first]
    for side in (diff.before, diff.after):
        if side.errors:
            out.append("")
            note = t["diff_errors_one" if len(side.errors) == 1 else "diff_errors"].format(rev=side.label,
                                                                                            n=len(side.errors))
            out.append(f"> ⚠ {note}" if markdown else f"⚠ {note}")
            for error in side.errors[:10]:
                out.append(f">   {error}" if markdown else f"    {error}")
            if len(side.errors) > 10:
                out.append(("> " if markdown else "    ") + t["diff_more_errors"].format(n=len(side.errors) - 10))
    if diff.empty and not diff.unknown:
        return out
    money = [f for f in diff.families if f.money.changed or f.state != "kept"]
    rows = ([(t["total"], diff.totals)] if diff.totals.changed else []) + [
        (f.title + (f" ({t['diff_new_family']})" if f.state == "added" else
                    f" ({t['diff_gone_family']})" if f.state == "removed" else ""), f.money) for f in money]
    if rows:
        heading("diff_budget")
    if rows and markdown:
        out.append(f"| | {t['diff_planned_before']} | {t['diff_planned_after']} | {t['diff_delta']} | "
                   f"{t['diff_actual_before']} | {t['diff_actual_after']} | {t['diff_delta']} |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for name, m in rows:
            out.append(f"| {_md(name)} | {fmt.money(m.planned_before)} | {fmt.money(m.planned_after)} | "
                       f"{fmt.money_signed(m.planned_delta) if m.planned_delta else '—'} | "
                       f"{fmt.money(m.actual_before)} | {fmt.money(m.actual_after)} | "
                       f"{fmt.money_signed(m.actual_delta) if m.actual_delta else '—'} |")
    else:
        for name, m in rows:
            line = (f"{name}{t['colon']} {t['diff_planned']} {fmt.money(m.planned_before)} → "
                    f"{fmt.money(m.planned_after)}")
            if m.planned_delta:
                line += f" ({fmt.money_signed(m.planned_delta)})"
            line += f", {t['diff_actual']} {fmt.money(m.actual_before)} → {fmt.money(m.actual_after)}"
            if m.actual_delta:
                line += f" ({fmt.money_signed(m.actual_delta)})"
            item(line)

    def phase_line(ref: Ref) -> str:
        dates = f"{w.date(ref.start)} → {w.date(ref.end)}" if ref.start else t["undated"]
        return f"{_md(w.phase(ref)) if markdown else w.phase(ref)} — {fmt.money(ref.budget)}, {dates}"

    def named(text: str, detail: str) -> str:
        return f"{_esc(text, markdown)} ({_esc(detail, markdown)})" if detail else _esc(text, markdown)

    def objective_line(o: Named) -> str:
        said = (t["diff_objective_added"] if o.state == "added" else t["diff_objective_removed"]
                if o.state == "removed" else w.changes(o.changes, markdown))
        return f"{named(o.title, o.key)}{t['colon']} {said}"

    sections: list[tuple[str, list[str]]] = [
        ("diff_envelopes_title", [f"{named(e.title, '') if e.key else t['diff_whole_plan']}{t['colon']} "
                                  f"{w.changes(e.changes, markdown)}" for e in diff.envelopes]),
        ("diff_phases_title", [f"{named(e.phase.title, e.phase.family)}{t['colon']} "
                               f"{w.changes(e.changes, markdown)}" for e in diff.phases]),
        ("diff_added_title", [phase_line(r) for r in diff.added]),
        ("diff_removed_title", [phase_line(r) for r in diff.removed]),
        ("diff_moved_title", [f"{_esc(b.title, markdown)}{t['colon']} {_esc(b.family, markdown)} → "
                              f"{_esc(a.family, markdown)}" for b, a in diff.moved]),
        ("diff_dates_title", [_shift(s, w, markdown) for s in diff.shifted]),
        ("diff_owners_title", [f"{_esc(w.phase(s.phase), markdown)}{t['colon']} "
                               f"{_esc(s.before or t['none'], markdown)} → {_esc(s.after or t['none'], markdown)}"
                               for s in diff.owners]),
        ("diff_status_title", [f"{_esc(w.phase(s.phase), markdown)}{t['colon']} "
                               f"{w.status.get(s.before or '', s.before)} → {w.status.get(s.after or '', s.after)}"
                               for s in diff.statuses]),
        ("diff_results_title", [f"{_esc(w.phase(ref), markdown)}{t['colon']} {_result(r, w, markdown)}"
                                for ref, r in diff.results]),
        ("diff_objectives_title", [
            f"{_esc(w.phase(s.phase), markdown)}{t['colon']} {w.objective.get(s.before or '', t['none'])}"
            f" → {w.objective.get(s.after or '', t['none'])}" for s in diff.objectives]),
        ("diff_strategic_title", [objective_line(o) for o in diff.strategic]),
        ("diff_settings_title", [w.change(c, markdown) for c in diff.settings]),
        ("diff_unknown_title", [phase_line(r) for r in diff.unknown]),
    ]
    for key, lines in sections:
        if lines:
            heading(key)
            for line in lines:
                item(line)
    return out


def _shift(s: Shift, w: _Words, markdown: bool) -> str:
    t = w.t
    parts = []
    if s.start_before != s.start_after:
        parts.append(f"{t['diff_start']} {w.date(s.start_before)} → {w.date(s.start_after)}"
                     + (f" ({w.days(s.start_days)})" if s.start_days is not None else ""))
    if s.end_before != s.end_after:
        parts.append(f"{t['diff_end']} {w.date(s.end_before)} → {w.date(s.end_after)}"
                     + (f" ({w.days(s.end_days)})" if s.end_days is not None else "")
                     + (f" ⚠ {t['diff_slipped']}" if s.slipped else ""))
    return f"{_esc(w.phase(s.phase), markdown)}{t['colon']} " + ", ".join(parts)


def _result(r: Result, w: _Words, markdown: bool) -> str:
    text = " ".join(x for x in (r.text or "", w.fmt.number(r.value) if r.value is not None else "") if x)
    return _esc(text or w.t["none"], markdown) + (f" ({w.date(r.date)})" if r.date else "")


def _esc(text: str, markdown: bool) -> str:
    return _md(text) if markdown else text


def _md(text: str) -> str:
    """Escape what Markdown (GitHub's) would read as markup in a plan's own words."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>|~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("\n", " ")


def render_text(diff: PlanDiff) -> str:
    """The report for a terminal."""
    return "\n".join(_lines(diff, markdown=False)) + "\n"


def render_markdown(diff: PlanDiff) -> str:
    """The report as a pull-request comment: the summary line first, in bold."""
    return "\n".join(_lines(diff, markdown=True)) + "\n"


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _ref_json(ref: Ref) -> dict[str, Any]:
    family, _, slug = ref.key.partition("/")
    return {"family": family, "phase": slug, "family_title": ref.family, "title": ref.title,
            "planned": _amount(ref.budget), "start": ref.start.isoformat() if ref.start else None,
            "end": ref.end.isoformat() if ref.end else None}


def _money_json(m: Money) -> dict[str, Any]:
    return {"planned": {"before": _amount(m.planned_before), "after": _amount(m.planned_after),
                        "delta": _amount(m.planned_delta)},
            "actual": {"before": _amount(m.actual_before), "after": _amount(m.actual_after),
                       "delta": _amount(m.actual_delta)}}


def _value_json(kind: str, v: Any) -> Any:
    """A changed value for other tools: amounts with two decimals, dates ISO, statuses as ids."""
    if v is None:
        return None
    if kind == "money":
        return _amount(v)
    if kind == "date":
        return v.isoformat()
    if kind == "ratio":
        return str(v)
    if kind == "result":
        return {"text": v.text, "value": str(v.value) if v.value is not None else None,
                "date": v.date.isoformat() if v.date else None}
    if kind == "measure":
        return {"value": str(v.value), "date": v.date.isoformat() if v.date else None}
    return v


def _changes_json(changes: tuple[Change, ...]) -> list[dict[str, Any]]:
    return [{"field": c.what, **({"date": c.at.isoformat()} if c.at else {}),
             "before": _value_json(c.kind, c.before), "after": _value_json(c.kind, c.after)} for c in changes]


def render_json(diff: PlanDiff) -> str:
    """The report for other tools: amounts as strings with two decimals, dates ISO, statuses as ids."""
    data = {
        "version": 1,
        "before": {"revision": diff.before.label, "errors": list(diff.before.errors)},
        "after": {"revision": diff.after.label, "errors": list(diff.after.errors)},
        "today": diff.after.plan.today.isoformat(),
        "summary": summary(diff),
        "totals": _money_json(diff.totals),
        "families": [{"family": f.slug, "title": f.title, "state": f.state, **_money_json(f.money)}
                     for f in diff.families if f.money.changed or f.state != "kept"],
        "added": [_ref_json(r) for r in diff.added],
        "removed": [_ref_json(r) for r in diff.removed],
        "moved": [{"before": _ref_json(b), "after": _ref_json(a)} for b, a in diff.moved],
        "dates": [{**_ref_json(s.phase),
                   "start_before": s.start_before.isoformat() if s.start_before else None,
                   "end_before": s.end_before.isoformat() if s.end_before else None,
                   "start_days": s.start_days, "end_days": s.end_days, "slipped": s.slipped} for s in diff.shifted],
        "owners": [{**_ref_json(s.phase), "before": s.before, "after": s.after} for s in diff.owners],
        "statuses": [{**_ref_json(s.phase), "before": s.before, "after": s.after} for s in diff.statuses],
        "results": [{**_ref_json(ref), "result": {"text": r.text, "value": str(r.value) if r.value is not None
                                                  else None, "date": r.date.isoformat() if r.date else None}}
                    for ref, r in diff.results],
        "objective_statuses": [{**_ref_json(s.phase), "before": s.before, "after": s.after} for s in diff.objectives],
        "errors": diff.errors,
        "phases": [{**_ref_json(e.phase), "changes": _changes_json(e.changes)} for e in diff.phases],
        "envelopes": [{"family": e.key or None, "title": e.title or None, **_changes_json(e.changes)[0]}
                      for e in diff.envelopes],
        "strategic_objectives": [{"id": o.key, "title": o.title, "state": o.state,
                                  "changes": _changes_json(o.changes)} for o in diff.strategic],
        "settings": _changes_json(diff.settings),
        "unknown": [_ref_json(r) for r in diff.unknown],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
