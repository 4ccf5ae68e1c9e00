"""plan.ics is written by hand: icalendar reads it back to the same events, and writes the same bytes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, Event

from pacsite import __version__
from pacsite.build import plan_site
from pacsite.errors import Diagnostics
from pacsite.i18n import STATUS_LABELS, translator
from pacsite.output.exports import _ics_escape, _ics_fold, plan_ics
from pacsite.site.urls import Urls, directory_url
from tests.conftest import EXAMPLE_TODAY, MakePlan

NASTY = "Salon; stand, « vitrine » \\ démo\nsuite — 12 500,00 € " + "é" * 40


def with_icalendar(plan, urls: Urls) -> bytes:  # type: ignore[no-untyped-def]
    """The calendar as the icalendar library writes it: the reference."""
    cal = Calendar()
    cal.add("prodid", f"-//pacsite//{__version__}//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", plan.title)
    stamp = datetime.combine(plan.today, time(0, 0), tzinfo=UTC)
    for f in plan.families:
        for p in f.phases:
            if p.start is None or p.end is None:
                continue
            event = Event()
            event.add("uid", f"{f.slug}.{p.slug}@pacsite")
            event.add("dtstamp", stamp)
            event.add("dtstart", p.start)
            event.add("dtend", p.end + timedelta(days=1))
            event.add("summary", f"{p.title} ({f.title})")
            event.add("categories", [f.title])
            url = plan.settings.base_url + directory_url(urls.phase(f.slug, p.slug)) if plan.settings.base_url else None
            t = translator(plan.settings.language)
            notes = [f"{t['owner']}{t['colon']} {', '.join(o.name for o in p.owners) or t['none']}",
                     f"{t['status']}{t['colon']} {STATUS_LABELS[plan.settings.language][p.status]}"]
            event.add("description", "\n".join(notes + ([url] if url else [])))
            if url:
                event.add("url", url)
            event.add("status", {"planned": "TENTATIVE", "cancelled": "CANCELLED"}.get(p.status, "CONFIRMED"))
            cal.add_component(event)
    return bytes(cal.to_ical())


def test_the_example_calendar_is_the_bytes_icalendar_writes(example_site: Path) -> None:
    from tests.conftest import REPO
    site = plan_site(REPO, Diagnostics(), EXAMPLE_TODAY, base_url="https://intra.example/pac/")
    assert site is not None
    ours = plan_ics(site.plan, site.figures)
    assert ours == with_icalendar(site.plan, Urls("fr"))
    assert b"URL:https://intra.example/pac/actions/" in ours


def test_hostile_titles_read_back_whole(make_plan: MakePlan) -> None:
    root = make_plan({
        "content/actions/01-salon/_index.md": f"---\ntitle: \"Famille; {NASTY[:30]}\"\n---\n",
        "content/actions/01-salon/01-stand.md": "---\ntitle: 'Salon; stand, « vitrine » \\ démo'\n"
                                              f"budget: 100\nstart: 2027-03-01\nend: 2027-03-01\n"
                                              f"owner: \"Dupont, Jean; {'é' * 50}\"\nstatus: annulé\n---\n",
    })
    site = plan_site(root, Diagnostics(), date(2027, 6, 30))
    assert site is not None
    raw = plan_ics(site.plan, site.figures)
    assert raw == with_icalendar(site.plan, Urls("fr"))
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    family = next(f for f in site.plan.families if f.title.startswith("Famille;"))
    phase = family.phases[0]
    [event] = [e for e in Calendar.from_ical(raw).walk("VEVENT")
               if str(e["uid"]) == f"{family.slug}.{phase.slug}@pacsite"]
    assert str(event["summary"]) == f"{phase.title} ({family.title})" and "Salon; stand" in phase.title
    assert str(event["description"]).startswith(f"Responsable\u00a0: Dupont, Jean; {'é' * 50}\nStatut\u00a0: Annulé")
    assert str(event["status"]) == "CANCELLED"
    assert event.decoded("dtstart") == date(2027, 3, 1) and event.decoded("dtend") == date(2027, 3, 2)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_folds_and_escapes_as_icalendar_reads_it(text: str) -> None:
    line = "SUMMARY:" + _ics_escape(text)
    folded = _ics_fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    event = Event.from_ical(f"BEGIN:VEVENT\r\n{folded}\r\nEND:VEVENT\r\n")
    # line breaks of any kind come back as \n: iCalendar has one way to write them; other controls
    # (but the tab) are not allowed in a TEXT value (RFC 5545 §3.1) and are left out
    expected = re.sub("[\x00-\x08\x0b-\x1f\x7f]", "", text.replace("\r\n", "\n").replace("\r", "\n"))
    assert str(event["summary"]) == expected


def test_events_say_who_the_status_and_link_to_the_page_with_stable_uids(make_plan: MakePlan) -> None:
    root = make_plan({"content/actions/01-etudes/02-salon.md":
                      "---\ntitle: Salon\nbudget: 10\nstart: 2027-02-01\nend: 2027-02-02\nowner: Ana Martin\n"
                      "status: en cours\n---\n"})
    site = plan_site(root, Diagnostics(), date(2027, 6, 30), base_url="https://intra.example/pac")
    assert site is not None
    events = {str(e["uid"]): e for e in Calendar.from_ical(plan_ics(site.plan, site.figures))
              .walk("VEVENT")}
    salon = events["etudes.salon@pacsite"]
    assert str(salon["description"]) == ("Responsable\u00a0: Ana Martin\nStatut\u00a0: En cours\n"
                                         "https://intra.example/pac/actions/etudes/salon/")
    assert str(salon["status"]) == "CONFIRMED" and str(salon["url"]).endswith("/actions/etudes/salon/")
    assert str(events["etudes.clients@pacsite"]["status"]) == "TENTATIVE"
    # a new title and new dates: the same event (UID), so a subscribed calendar updates it
    phase = root / "content/actions/01-etudes/02-salon.md"
    phase.write_text(phase.read_text().replace("title: Salon", "title: Salon pro").replace("02-02", "02-05"))
    again = plan_site(root, Diagnostics(), date(2027, 6, 30), base_url="https://intra.example/pac")
    assert again is not None
    uids = [str(e["uid"]) for e in Calendar.from_ical(plan_ics(again.plan, again.figures)).walk("VEVENT")]
    assert sorted(uids) == sorted(events) and len(set(uids)) == len(uids)
